//! The cluster graph on the page (`data-testid="graph"`): node boxes with capacity bars, pod
//! marks inside their node, the scheduling queue, a namespace filter, and — above
//! [`graph::SVG_POD_LIMIT`] visible pods — a canvas that draws pods as pixel blocks.
//!
//! Pod marks are one flat keyed list (yew's keyed diffing needs every child of a list keyed);
//! node boxes are another. The component re-renders only when the cluster's resourceVersion
//! changes ([`GraphProps`] compares versions, not models).

use std::rc::Rc;

use wasm_bindgen::JsCast;
use yew::prelude::*;

use crate::engine::Selection;
use crate::graph::{self, Detail, GraphModel, GraphNode, GraphPod, Rect, Usage};
use crate::i18n::{Label, Language};

#[derive(Properties, Clone)]
pub struct GraphProps {
    pub model: Rc<GraphModel>,
    /// The cluster's resourceVersion when `model` was read.
    pub version: u64,
    pub language: Language,
    /// The inspector's object, outlined when it is a node or a pod.
    pub selected: Option<Selection>,
    pub on_select: Callback<Selection>,
}

impl PartialEq for GraphProps {
    fn eq(&self, other: &Self) -> bool {
        self.version == other.version
            && Rc::ptr_eq(&self.model, &other.model)
            && self.language == other.language
            && self.selected == other.selected
            && self.on_select == other.on_select
    }
}

/// Enter or Space on a focused mark acts like a click (marks are keyboard-focusable).
fn on_activate_key(
    selection: Selection,
    on_select: &Callback<Selection>,
) -> Callback<KeyboardEvent> {
    let on_select = on_select.clone();
    Callback::from(move |event: KeyboardEvent| {
        if matches!(event.key().as_str(), "Enter" | " ") {
            event.prevent_default();
            on_select.emit(selection.clone());
        }
    })
}

fn pod_selection(pod: &GraphPod) -> Selection {
    Selection {
        kind: "Pod".into(),
        namespace: pod.namespace.clone(),
        name: pod.name.clone(),
    }
}

fn node_selection(name: &str) -> Selection {
    Selection {
        kind: "Node".into(),
        namespace: String::new(),
        name: name.to_string(),
    }
}

/// One capacity bar: label, track, fill, and the numbers in a tooltip.
fn bar(label: &'static str, usage: Usage, text: String, x: f64, y: f64, width: f64) -> Html {
    let track_width = (width - 46.0).max(0.0);
    let class = if usage.fraction() >= 0.9 {
        "bar-fill high"
    } else {
        "bar-fill"
    };
    html! {
        <g class="bar" data-bar={label}>
            <title>{ format!("{label}: {text} ({}%)", usage.percent()) }</title>
            <text x={format!("{x}")} y={format!("{}", y + 8.0)} class="bar-label">{ label }</text>
            <rect class="bar-track" x={format!("{}", x + 46.0)} y={format!("{y}")}
                width={format!("{track_width}")} height="9" rx="2" />
            <rect class={class} x={format!("{}", x + 46.0)} y={format!("{y}")}
                width={format!("{}", track_width * usage.fraction())} height="9" rx="2" />
        </g>
    }
}

fn node_box(node: &GraphNode, rect: Rect, selected: bool, on_select: &Callback<Selection>) -> Html {
    let onclick = {
        let on_select = on_select.clone();
        let selection = node_selection(&node.name);
        Callback::from(move |_: MouseEvent| on_select.emit(selection.clone()))
    };
    let role = if node.control_plane {
        "control plane"
    } else {
        "worker"
    };
    let mut class = String::from("node-box");
    if node.control_plane {
        class.push_str(" control-plane");
    }
    if !node.ready {
        class.push_str(" not-ready");
    }
    if node.unschedulable {
        class.push_str(" cordoned");
    }
    if selected {
        class.push_str(" selected");
    }
    let inner_x = rect.x + 8.0;
    let inner_width = rect.width - 16.0;
    html! {
        <g key={node.name.clone()} class={class} data-node={node.name.clone()} onclick={onclick}
            tabindex="0" role="button" aria-label={format!("node {}", node.name)}
            onkeydown={on_activate_key(node_selection(&node.name), on_select)}>
            <title>{ format!("{} ({role}{}{})", node.name, if node.ready { "" } else { ", NotReady" }, if node.unschedulable { ", SchedulingDisabled" } else { "" }) }</title>
            <rect class="node-frame" x={format!("{}", rect.x)} y={format!("{}", rect.y)}
                width={format!("{}", rect.width)} height={format!("{}", rect.height)} rx="6" />
            <text class="node-name" x={format!("{inner_x}")} y={format!("{}", rect.y + 17.0)}>{ node.name.clone() }</text>
            { bar("CPU", node.cpu, format!("{} / {}", graph::format_cpu(node.cpu.requested), graph::format_cpu(node.cpu.allocatable)), inner_x, rect.y + 26.0, inner_width) }
            { bar("Memory", node.memory, format!("{} / {}", graph::format_memory(node.memory.requested), graph::format_memory(node.memory.allocatable)), inner_x, rect.y + 40.0, inner_width) }
            { bar("Pods", node.pods, format!("{} / {}", node.pods.requested, node.pods.allocatable), inner_x, rect.y + 54.0, inner_width) }
        </g>
    }
}

fn pod_mark(
    pod: &GraphPod,
    rect: Rect,
    selected: bool,
    on_select: &Callback<Selection>,
    on_focus_queue: &Callback<Option<String>>,
) -> Html {
    let key = pod.key();
    let mut class = format!("pod pod-{}", graph::status_class(&pod.status));
    if selected {
        class.push_str(" selected");
    }
    let onclick = {
        let on_select = on_select.clone();
        let on_focus_queue = on_focus_queue.clone();
        let selection = pod_selection(pod);
        let key = key.clone();
        let queued = pod.node.is_none();
        Callback::from(move |_: MouseEvent| {
            if queued {
                on_focus_queue.emit(Some(key.clone()));
            }
            on_select.emit(selection.clone());
        })
    };
    let onmouseenter = {
        let on_focus_queue = on_focus_queue.clone();
        let key = key.clone();
        let queued = pod.node.is_none();
        Callback::from(move |_: MouseEvent| {
            if queued {
                on_focus_queue.emit(Some(key.clone()));
            }
        })
    };
    let mut tooltip = format!("{key}  {}", pod.status);
    if let Some(message) = &pod.scheduling_message {
        tooltip.push('\n');
        tooltip.push_str(message);
    }
    let inset = 1.5;
    html! {
        <rect key={key.clone()} class={class} data-pod={key} data-phase={pod.status.clone()}
            x={format!("{}", rect.x + inset)} y={format!("{}", rect.y + inset)}
            width={format!("{}", rect.width - 2.0 * inset)} height={format!("{}", rect.height - 2.0 * inset)}
            rx="3" onclick={onclick} onmouseenter={onmouseenter}
            tabindex="0" role="button" aria-label={format!("pod {} {}", pod.key(), pod.status)}
            onkeydown={on_activate_key(pod_selection(pod), on_select)}>
            <title>{ tooltip }</title>
        </rect>
    }
}

/// Draws the pixel view: node frames, names, and one block per pod.
fn draw_pixels(
    canvas: &web_sys::HtmlCanvasElement,
    model: &GraphModel,
    pods: &[&GraphPod],
    layout: &graph::Layout,
) {
    let Ok(Some(context)) = canvas.get_context("2d") else {
        return;
    };
    let Ok(context) = context.dyn_into::<web_sys::CanvasRenderingContext2d>() else {
        return;
    };
    context.clear_rect(0.0, 0.0, layout.width, layout.height);
    context.set_font("12px system-ui, sans-serif");
    context.set_stroke_style_str("#8c959f");
    context.set_fill_style_str("#57606a");
    let queue = layout.queue;
    context.stroke_rect(queue.x, queue.y, queue.width, queue.height);
    let _ = context.fill_text("Scheduling queue", queue.x + 8.0, queue.y + 15.0);
    for (node, rect) in model.nodes.iter().zip(&layout.nodes) {
        context.set_fill_style_str("#57606a");
        context.stroke_rect(rect.x, rect.y, rect.width, rect.height);
        let _ = context.fill_text(&node.name, rect.x + 8.0, rect.y + 17.0);
        for (row, usage) in [node.cpu, node.memory, node.pods].into_iter().enumerate() {
            let y = rect.y + 26.0 + row as f64 * 14.0;
            context.set_fill_style_str("#eaeef2");
            context.fill_rect(rect.x + 8.0, y, rect.width - 16.0, 9.0);
            context.set_fill_style_str("#326ce5");
            context.fill_rect(rect.x + 8.0, y, (rect.width - 16.0) * usage.fraction(), 9.0);
        }
    }
    // Group by colour so the fill style changes at most five times.
    for class in ["running", "pending", "completed", "terminating", "failed"] {
        let (r, g, b) = graph::status_rgb(class);
        context.set_fill_style_str(&format!("rgb({r},{g},{b})"));
        for (pod, rect) in pods.iter().zip(&layout.pods) {
            if graph::status_class(&pod.status) == class {
                context.fill_rect(rect.x, rect.y, rect.width - 1.0, rect.height - 1.0);
            }
        }
    }
}

#[component(GraphView)]
pub fn graph_view(props: &GraphProps) -> Html {
    let namespace = use_state(|| Option::<String>::None);
    let focused_queue_pod = use_state(|| Option::<String>::None);
    let canvas = use_node_ref();
    let language = props.language;

    let model = props.model.clone();
    // A filter naming a namespace that has no pods any more shows nothing, which is what the
    // user asked for; the choice stays in the menu until they change it.
    let mut namespace_choices = model.namespaces.clone();
    if let Some(chosen) = namespace.as_ref() {
        if !namespace_choices.contains(chosen) {
            namespace_choices.push(chosen.clone());
            namespace_choices.sort();
        }
    }
    let pods = graph::visible_pods(&model, namespace.as_deref());
    let detail = graph::level_of_detail(pods.len());
    let cell = match detail {
        Detail::Svg => graph::SVG_CELL,
        Detail::Pixels => graph::PIXEL_CELL,
    };
    let layout = graph::layout(&model.nodes, &pods, cell);
    let queued = pods.iter().filter(|p| p.node.is_none()).count();

    {
        let canvas = canvas.clone();
        let model = model.clone();
        let namespace = (*namespace).clone();
        use_effect(move || {
            if detail == Detail::Pixels {
                if let Some(canvas) = canvas.cast::<web_sys::HtmlCanvasElement>() {
                    let pods = graph::visible_pods(&model, namespace.as_deref());
                    let layout = graph::layout(&model.nodes, &pods, graph::PIXEL_CELL);
                    draw_pixels(&canvas, &model, &pods, &layout);
                }
            }
        });
    }

    let on_namespace = {
        let namespace = namespace.clone();
        Callback::from(move |event: Event| {
            if let Some(select) = event.target_dyn_into::<web_sys::HtmlSelectElement>() {
                let value = select.value();
                namespace.set((!value.is_empty()).then_some(value));
            }
        })
    };
    let on_focus_queue = {
        let focused_queue_pod = focused_queue_pod.clone();
        Callback::from(move |key: Option<String>| focused_queue_pod.set(key))
    };

    let caption = match detail {
        Detail::Svg => language.detailed_caption(pods.len(), queued),
        Detail::Pixels => language.pixel_caption(pods.len(), graph::SVG_POD_LIMIT),
    };
    let focused_message = focused_queue_pod.as_ref().and_then(|key| {
        pods.iter()
            .find(|p| &p.key() == key && p.node.is_none())
            .map(|p| {
                let message = p
                    .scheduling_message
                    .clone()
                    .unwrap_or_else(|| language.text(Label::NotTriedYet).to_string());
                (format!("{key}: {message}"), p.scheduling_nodes.clone())
            })
    });
    // In the pixel view a click selects the pod or node under the pointer.
    let on_canvas_click = {
        let model = model.clone();
        let namespace = (*namespace).clone();
        let on_select = props.on_select.clone();
        Callback::from(move |event: MouseEvent| {
            let Some(canvas) = event.target_dyn_into::<web_sys::HtmlCanvasElement>() else {
                return;
            };
            let scale = f64::from(canvas.width()) / f64::from(canvas.client_width().max(1));
            let (x, y) = (
                f64::from(event.offset_x()) * scale,
                f64::from(event.offset_y()) * scale,
            );
            let pods = graph::visible_pods(&model, namespace.as_deref());
            let layout = graph::layout(&model.nodes, &pods, graph::PIXEL_CELL);
            if let Some(pod) = layout
                .pods
                .iter()
                .position(|r| r.contains(x, y))
                .and_then(|i| pods.get(i))
            {
                on_select.emit(pod_selection(pod));
            } else if let Some(node) = layout
                .nodes
                .iter()
                .position(|r| r.contains(x, y))
                .and_then(|i| model.nodes.get(i))
            {
                on_select.emit(node_selection(&node.name));
            }
        })
    };
    let view_box = format!("0 0 {} {}", layout.width, layout.height);
    let queue = layout.queue;

    html! {
        <section class="graph-panel" data-testid="graph" data-detail={match detail { Detail::Svg => "svg", Detail::Pixels => "pixels" }}>
            <div class="graph-toolbar">
                <h2>{ language.text(Label::Cluster) }</h2>
                <label>
                    { language.text(Label::Namespace) }{ " " }
                    <select data-testid="namespace-filter" onchange={on_namespace}>
                        <option value="" selected={namespace.is_none()}>{ language.text(Label::AllNamespaces) }</option>
                        { for namespace_choices.iter().map(|ns| html! {
                            <option value={ns.clone()} selected={namespace.as_deref() == Some(ns.as_str())}>{ ns.clone() }</option>
                        }) }
                    </select>
                </label>
                <span class="graph-caption" data-testid="graph-caption">{ caption }</span>
            </div>
            if detail == Detail::Svg {
                <svg class="graph-svg" viewBox={view_box} width="100%" role="img"
                    aria-label={language.text(Label::Cluster)}>
                    <g class="queue" data-testid="scheduling-queue">
                        <rect class="queue-frame" x={format!("{}", queue.x)} y={format!("{}", queue.y)}
                            width={format!("{}", queue.width)} height={format!("{}", queue.height)} rx="6" />
                        <text class="queue-label" x={format!("{}", queue.x + 8.0)} y={format!("{}", queue.y + 16.0)}>
                            { format!("{} ({queued})", language.text(Label::SchedulingQueue)) }
                        </text>
                    </g>
                    <g class="nodes">
                        { for model.nodes.iter().zip(&layout.nodes).map(|(node, rect)| node_box(node, *rect, props.selected.as_ref() == Some(&node_selection(&node.name)), &props.on_select)) }
                    </g>
                    <g class="pods">
                        { for pods.iter().zip(&layout.pods).map(|(pod, rect)| pod_mark(pod, *rect, props.selected.as_ref() == Some(&pod_selection(pod)), &props.on_select, &on_focus_queue)) }
                    </g>
                </svg>
            } else {
                <canvas class="graph-canvas" ref={canvas} width={format!("{}", layout.width)}
                    height={format!("{}", layout.height)} onclick={on_canvas_click} />
            }
            if let Some((message, nodes)) = focused_message {
                <div class="scheduling-message" data-testid="scheduling-message" role="status">
                    { message }
                    if !nodes.is_empty() {
                        <ul class="scheduling-nodes" data-testid="scheduling-nodes">
                            { for nodes.iter().map(|(node, reasons)| html! {
                                <li key={node.clone()} data-node-verdict={node.clone()}>{ format!("{node}: {reasons}") }</li>
                            }) }
                        </ul>
                    }
                </div>
            }
        </section>
    }
}
