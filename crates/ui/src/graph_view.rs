//! The cluster graph on the page (`data-testid="graph"`): node boxes with capacity bars, pod
//! marks inside their node, the scheduling queue, a namespace filter, and — above
//! [`graph::SVG_POD_LIMIT`] visible pods — a canvas that draws pods as pixel blocks.
//!
//! Pod marks are one flat keyed list (yew's keyed diffing needs every child of a list keyed);
//! node boxes are another. The component re-renders only when the cluster's resourceVersion
//! changes ([`GraphProps`] compares versions, not models).

use model::sort::SortSlice;
use std::rc::Rc;

use wasm_bindgen::JsCast;
use yew::prelude::*;

use crate::engine::Selection;
use crate::faults::{self, MenuTarget};
use crate::graph::{
    self, Detail, GraphModel, GraphNode, GraphPod, GraphService, Layout, Rect, Usage, Viewport,
};
use crate::i18n::{Label, Language};
use crate::traffic::Flash;

#[derive(Properties, Clone)]
pub struct GraphProps {
    pub model: Rc<GraphModel>,
    /// The cluster's resourceVersion when `model` was read.
    pub version: u64,
    pub language: Language,
    /// The inspector's object, outlined when it is a node or a pod.
    pub selected: Option<Selection>,
    pub on_select: Callback<Selection>,
    /// Requests on their way along the Service edges.
    pub flashes: Rc<Vec<Flash>>,
    /// Runs a line a fault menu item stands for (`cluster fail-node node-1`).
    pub on_command: Callback<String>,
}

/// The fault menu's width in pixels (web/style.css `.fault-menu` max-width).
const MENU_WIDTH: f64 = 340.0;

/// How long a pod whose restart count went up pulses.
const RESTART_PULSE_MILLIS: f64 = 1_600.0;

/// A request to open a fault menu: what for, and where (page coordinates).
type MenuRequest = (MenuTarget, f64, f64);

/// What [`GraphMarks`] draws from: a model, its filter and its layout. Equal props (same model
/// and layout, selection, pulses and requests) skip the render, so a zoom or a pan — which only
/// moves the `<g class="viewport">` around the marks — costs one attribute, not a diff of every
/// mark. Callbacks are not compared: they only forward to state handles that never change.
#[derive(Properties, Clone)]
struct GraphMarksProps {
    model: Rc<GraphModel>,
    version: u64,
    namespace: Option<String>,
    layout: Rc<Layout>,
    language: Language,
    selected: Option<Selection>,
    /// Pods whose restart pulses right now.
    pulsing: Rc<std::collections::BTreeSet<String>>,
    flashes: Rc<Vec<Flash>>,
    on_select: Callback<Selection>,
    on_focus_queue: Callback<Option<String>>,
    on_menu: Callback<MenuRequest>,
}

impl PartialEq for GraphMarksProps {
    fn eq(&self, other: &Self) -> bool {
        self.version == other.version
            && Rc::ptr_eq(&self.model, &other.model)
            && self.namespace == other.namespace
            && Rc::ptr_eq(&self.layout, &other.layout)
            && self.language == other.language
            && self.selected == other.selected
            && self.pulsing == other.pulsing
            && Rc::ptr_eq(&self.flashes, &other.flashes)
    }
}

/// The detailed view's marks: the scheduling queue, node boxes, pods, Service hubs with their
/// edges, and requests in flight.
#[function_component(GraphMarks)]
fn graph_marks(props: &GraphMarksProps) -> Html {
    let model = &props.model;
    let layout = &props.layout;
    let language = props.language;
    let pods = graph::visible_pods(model, props.namespace.as_deref());
    let services = graph::visible_services(model, props.namespace.as_deref());
    let pod_centres: std::collections::BTreeMap<String, (f64, f64)> = pods
        .iter()
        .zip(&layout.pods)
        .map(|(p, r)| (p.key(), (r.x + r.width / 2.0, r.y + r.height / 2.0)))
        .collect();
    let hub_centres: std::collections::BTreeMap<String, (f64, f64)> = services
        .iter()
        .zip(&layout.services)
        .map(|(s, c)| (s.key(), *c))
        .collect();
    let edges: Vec<Html> = services
        .iter()
        .zip(&layout.services)
        .flat_map(|(service, hub)| {
            let key = service.key();
            service
                .endpoints
                .iter()
                .filter_map(|pod| pod_centres.get(pod).map(|c| (pod, *c)))
                .map(move |(pod, (x, y))| {
                    html! {
                        <line key={format!("{key}>{pod}")} class="service-edge" data-edge={format!("{key}>{pod}")}
                            x1={format!("{}", hub.0)} y1={format!("{}", hub.1)} x2={format!("{x}")} y2={format!("{y}")} />
                    }
                })
                .collect::<Vec<_>>()
        })
        .collect();
    // Each request: client pod → hub (or a failure flashing at the hub), then hub → the pod
    // that answered.
    let mut dots: Vec<Html> = Vec::new();
    for flash in props.flashes.iter() {
        let event = &flash.event;
        let delay = (flash.order as f64 * 45.0).min(1_200.0);
        let hub = event
            .service
            .as_ref()
            .and_then(|s| hub_centres.get(s))
            .copied();
        let client = event
            .client
            .as_ref()
            .and_then(|p| pod_centres.get(p))
            .copied();
        let answered = event.pod.as_ref().and_then(|p| pod_centres.get(p)).copied();
        let mut leg_delay = delay;
        if let (Some(client), Some(hub)) = (client, hub) {
            dots.push(request_dot(flash, "in", client, hub, leg_delay));
            leg_delay += 450.0;
        }
        match (hub, answered) {
            (Some(hub), Some(pod)) => dots.push(request_dot(flash, "out", hub, pod, leg_delay)),
            (Some(hub), None) if !event.ok => dots.push(html! {
                <circle key={format!("{}-flash", flash.id)} class="hub-flash failed" data-request-failed={event.service.clone().unwrap_or_default()}
                    cx={format!("{}", hub.0)} cy={format!("{}", hub.1)} r="9" style={format!("animation-delay:{leg_delay}ms")} />
            }),
            (None, Some(pod)) => dots.push(html! {
                <circle key={format!("{}-flash", flash.id)} class="pod-flash" data-request="ok"
                    data-request-pod={event.pod.clone().unwrap_or_default()}
                    cx={format!("{}", pod.0)} cy={format!("{}", pod.1)} r="8" style={format!("animation-delay:{leg_delay}ms")} />
            }),
            _ => {}
        }
    }
    let queued = pods.iter().filter(|p| p.node.is_none()).count();
    let queue = layout.queue;
    html! {
        <>
            <g class="queue" data-testid="scheduling-queue">
                <rect class="queue-frame" x={format!("{}", queue.x)} y={format!("{}", queue.y)}
                    width={format!("{}", queue.width)} height={format!("{}", queue.height)} rx="6" />
                <text class="queue-label" x={format!("{}", queue.x + 8.0)} y={format!("{}", queue.y + 16.0)}>
                    { format!("{} ({queued})", language.text(Label::SchedulingQueue)) }
                </text>
            </g>
            if !services.is_empty() {
                <g class="services-band">
                    <rect class="services-frame" x={format!("{}", layout.services_band.x)} y={format!("{}", layout.services_band.y)}
                        width={format!("{}", layout.services_band.width)} height={format!("{}", layout.services_band.height)} rx="6" />
                    <text class="queue-label" x={format!("{}", layout.services_band.x + 8.0)} y={format!("{}", layout.services_band.y + 14.0)}>
                        { format!("{} ({})", language.text(Label::Services), services.len()) }
                    </text>
                </g>
            }
            <g class="nodes">
                { for model.nodes.iter().zip(&layout.nodes).map(|(node, rect)| node_box(node, *rect, props.selected.as_ref() == Some(&node_selection(&node.name)), &props.on_select, &props.on_menu)) }
            </g>
            <g class="service-edges">{ edges }</g>
            <g class="pods">
                { for pods.iter().zip(&layout.pods).map(|(pod, rect)| pod_mark(pod, *rect, props.selected.as_ref() == Some(&pod_selection(pod)), props.pulsing.contains(&pod.key()), &props.on_select, &props.on_focus_queue, &props.on_menu)) }
            </g>
            <g class="services">
                { for services.iter().zip(&layout.services).map(|(service, centre)| service_hub(service, *centre, props.selected.as_ref().is_some_and(|s| s.kind == "Service" && s.namespace == service.namespace && s.name == service.name), &props.on_select)) }
            </g>
            <g class="requests" data-testid="requests">{ dots }</g>
        </>
    }
}

/// Opens the menu at the element's lower left (for keyboard users).
fn menu_at_element(event: &KeyboardEvent, target: MenuTarget, on_menu: &Callback<MenuRequest>) {
    event.prevent_default();
    let (x, y) = event
        .target_dyn_into::<web_sys::Element>()
        .map(|e| {
            let r = e.get_bounding_client_rect();
            (r.left(), r.bottom())
        })
        .unwrap_or((0.0, 0.0));
    on_menu.emit((target, x, y));
}

/// The keys that open a context menu: the Menu key and Shift+F10.
fn is_menu_key(event: &KeyboardEvent) -> bool {
    event.key() == "ContextMenu" || (event.shift_key() && event.key() == "F10")
}

impl PartialEq for GraphProps {
    fn eq(&self, other: &Self) -> bool {
        self.version == other.version
            && Rc::ptr_eq(&self.model, &other.model)
            && self.language == other.language
            && self.selected == other.selected
            && self.on_select == other.on_select
            && Rc::ptr_eq(&self.flashes, &other.flashes)
            && self.on_command == other.on_command
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

/// A Service's hub: a circle with its name, a tooltip with its type and endpoints.
fn service_hub(
    service: &GraphService,
    centre: (f64, f64),
    selected: bool,
    on_select: &Callback<Selection>,
) -> Html {
    let key = service.key();
    let selection = Selection {
        kind: "Service".into(),
        namespace: service.namespace.clone(),
        name: service.name.clone(),
    };
    let onclick = {
        let on_select = on_select.clone();
        let selection = selection.clone();
        Callback::from(move |_: MouseEvent| on_select.emit(selection.clone()))
    };
    let (x, y) = centre;
    let mut label: String = service.name.chars().take(16).collect();
    if service.name.chars().count() > 16 {
        label.push('…');
    }
    let class = classes!(
        "service-hub",
        (service.endpoints.is_empty() && service.other_endpoints == 0).then_some("no-endpoints"),
        selected.then_some("selected")
    );
    html! {
        <g key={key.clone()} class={class} data-service={key.clone()}
            data-endpoints={service.endpoints.len().to_string()} onclick={onclick}
            tabindex="0" role="button" aria-label={format!("service {key}, {} ready endpoints", service.endpoints.len())}
            onkeydown={on_activate_key(selection, on_select)}>
            <title>{
                if service.other_endpoints > 0 {
                    format!("Service {key} ({}), {} ready endpoints ({} outside pods)", service.service_type, service.endpoints.len() + service.other_endpoints, service.other_endpoints)
                } else {
                    format!("Service {key} ({}), {} ready endpoints", service.service_type, service.endpoints.len())
                }
            }</title>
            <circle class="hub" cx={format!("{x}")} cy={format!("{y}")} r="9" />
            <text class="hub-name" x={format!("{x}")} y={format!("{}", y + 23.0)} text-anchor="middle">{ label }</text>
        </g>
    }
}

/// One request's animation: a dot travelling from `from` to `to` (CSS keyframes read the
/// custom properties), after `delay` milliseconds.
fn request_dot(flash: &Flash, leg: &str, from: (f64, f64), to: (f64, f64), delay: f64) -> Html {
    let event = &flash.event;
    let style = format!(
        "--x1:{}px;--y1:{}px;--x2:{}px;--y2:{}px;animation-delay:{delay}ms",
        from.0, from.1, to.0, to.1
    );
    html! {
        <circle key={format!("{}-{leg}", flash.id)} class={classes!("request", if event.ok { "ok" } else { "failed" })}
            r="4" cx="0" cy="0" style={style}
            data-request={if event.ok { "ok" } else { "failed" }}
            data-request-service={event.service.clone().unwrap_or_default()}
            data-request-pod={event.pod.clone().unwrap_or_default()} />
    }
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

fn node_box(
    node: &GraphNode,
    rect: Rect,
    selected: bool,
    on_select: &Callback<Selection>,
    on_menu: &Callback<MenuRequest>,
) -> Html {
    let target = MenuTarget::Node(node.name.clone());
    let oncontextmenu = {
        let on_menu = on_menu.clone();
        let target = target.clone();
        Callback::from(move |event: MouseEvent| {
            event.prevent_default();
            on_menu.emit((
                target.clone(),
                f64::from(event.client_x()),
                f64::from(event.client_y()),
            ));
        })
    };
    let on_actions_click = {
        let on_menu = on_menu.clone();
        let target = target.clone();
        Callback::from(move |event: MouseEvent| {
            event.stop_propagation();
            on_menu.emit((
                target.clone(),
                f64::from(event.client_x()),
                f64::from(event.client_y()),
            ));
        })
    };
    let on_actions_key = {
        let on_menu = on_menu.clone();
        let target = target.clone();
        Callback::from(move |event: KeyboardEvent| {
            if matches!(event.key().as_str(), "Enter" | " ") || is_menu_key(&event) {
                event.stop_propagation();
                menu_at_element(&event, target.clone(), &on_menu);
            }
        })
    };
    let on_node_key = {
        let on_menu = on_menu.clone();
        let activate = on_activate_key(node_selection(&node.name), on_select);
        Callback::from(move |event: KeyboardEvent| {
            if is_menu_key(&event) {
                menu_at_element(&event, target.clone(), &on_menu);
            } else {
                activate.emit(event);
            }
        })
    };
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
    let actions_x = rect.x + rect.width - 26.0;
    html! {
        <g key={node.name.clone()} class={class} data-node={node.name.clone()} onclick={onclick}
            tabindex="0" role="button" aria-label={format!("node {}", node.name)}
            onkeydown={on_node_key} oncontextmenu={oncontextmenu}>
            <title>{ format!("{} ({role}{}{})", node.name, if node.ready { "" } else { ", NotReady" }, if node.unschedulable { ", SchedulingDisabled" } else { "" }) }</title>
            <rect class="node-frame" x={format!("{}", rect.x)} y={format!("{}", rect.y)}
                width={format!("{}", rect.width)} height={format!("{}", rect.height)} rx="6" />
            <text class="node-name" x={format!("{inner_x}")} y={format!("{}", rect.y + 17.0)}>{ node.name.clone() }</text>
            { bar("CPU", node.cpu, format!("{} / {}", graph::format_cpu(node.cpu.requested), graph::format_cpu(node.cpu.allocatable)), inner_x, rect.y + 26.0, inner_width) }
            { bar("Memory", node.memory, format!("{} / {}", graph::format_memory(node.memory.requested), graph::format_memory(node.memory.allocatable)), inner_x, rect.y + 40.0, inner_width) }
            { bar("Pods", node.pods, format!("{} / {}", node.pods.requested, node.pods.allocatable), inner_x, rect.y + 54.0, inner_width) }
            <g class="node-actions" data-node-actions={node.name.clone()} tabindex="0" role="button"
                aria-haspopup="menu" aria-label={format!("fault menu for node {}", node.name)}
                onclick={on_actions_click} onkeydown={on_actions_key}>
                <rect x={format!("{actions_x}")} y={format!("{}", rect.y + 5.0)} width="20" height="16" rx="3" />
                <text x={format!("{}", actions_x + 10.0)} y={format!("{}", rect.y + 17.0)} text-anchor="middle">{ "⋯" }</text>
            </g>
        </g>
    }
}

fn pod_mark(
    pod: &GraphPod,
    rect: Rect,
    selected: bool,
    restarted: bool,
    on_select: &Callback<Selection>,
    on_focus_queue: &Callback<Option<String>>,
    on_menu: &Callback<MenuRequest>,
) -> Html {
    let target = MenuTarget::Pod {
        namespace: pod.namespace.clone(),
        name: pod.name.clone(),
    };
    let oncontextmenu = {
        let on_menu = on_menu.clone();
        let target = target.clone();
        Callback::from(move |event: MouseEvent| {
            event.prevent_default();
            on_menu.emit((
                target.clone(),
                f64::from(event.client_x()),
                f64::from(event.client_y()),
            ));
        })
    };
    let onkeydown = {
        let on_menu = on_menu.clone();
        let activate = on_activate_key(pod_selection(pod), on_select);
        Callback::from(move |event: KeyboardEvent| {
            if is_menu_key(&event) {
                menu_at_element(&event, target.clone(), &on_menu);
            } else {
                activate.emit(event);
            }
        })
    };
    let key = pod.key();
    let mut class = format!("pod pod-{}", graph::status_class(&pod.status));
    if selected {
        class.push_str(" selected");
    }
    if restarted {
        class.push_str(" restarted");
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
            data-restarts={pod.restarts.to_string()}
            x={format!("{}", rect.x + inset)} y={format!("{}", rect.y + inset)}
            width={format!("{}", rect.width - 2.0 * inset)} height={format!("{}", rect.height - 2.0 * inset)}
            rx="3" onclick={onclick} onmouseenter={onmouseenter} oncontextmenu={oncontextmenu}
            tabindex="0" role="button" aria-haspopup="menu" aria-label={format!("pod {} {}", pod.key(), pod.status)}
            onkeydown={onkeydown}>
            <title>{ tooltip }</title>
        </rect>
    }
}

/// The pixel view's still picture at zoom 1 (what changes only with the cluster): the queue,
/// node frames with names and thin capacity bars, one block per pod, the Services as hubs
/// with a thin edge to each ready endpoint. Drawn once per cluster change into an offscreen
/// canvas; zoom and pan only copy it (see [`draw_pixels`]).
fn draw_pixel_base(
    context: &web_sys::CanvasRenderingContext2d,
    model: &GraphModel,
    pods: &[&GraphPod],
    services: &[&GraphService],
    layout: &graph::Layout,
) {
    context.clear_rect(0.0, 0.0, layout.width, layout.height);
    // Bottom to top: the Service edges, the pods, the boxes and their text, the hubs.
    if !services.is_empty() {
        draw_pixel_edges(context, model, pods, services, layout);
    }
    paint_pod_cells(context, pods, layout);
    context.set_font("12px system-ui, sans-serif");
    context.set_stroke_style_str("#8c959f");
    context.set_fill_style_str("#57606a");
    let queue = layout.queue;
    context.stroke_rect(queue.x, queue.y, queue.width, queue.height);
    let _ = context.fill_text("Scheduling queue", queue.x + 8.0, queue.y + 15.0);
    context.set_font("9px system-ui, sans-serif");
    for (node, rect) in model.nodes.iter().zip(&layout.nodes) {
        context.set_fill_style_str("#57606a");
        context.stroke_rect(rect.x, rect.y, rect.width, rect.height);
        let _ = context.fill_text_with_max_width(
            &node.name,
            rect.x + 2.0,
            rect.y + 10.0,
            (rect.width - 4.0).max(1.0),
        );
        // CPU, memory, pods: three thin bars side by side.
        let third = ((rect.width - 4.0) / 3.0).max(1.0);
        for (index, usage) in [node.cpu, node.memory, node.pods].into_iter().enumerate() {
            let x = rect.x + 2.0 + index as f64 * third;
            let y = rect.y + 14.0;
            context.set_fill_style_str("#eaeef2");
            context.fill_rect(x, y, third - 1.0, 4.0);
            context.set_fill_style_str("#326ce5");
            context.fill_rect(x, y, (third - 1.0) * usage.fraction(), 4.0);
        }
    }
    if services.is_empty() {
        return;
    }
    let band = layout.services_band;
    context.set_stroke_style_str("#8c959f");
    context.stroke_rect(band.x, band.y, band.width, band.height);
    context.set_font("12px system-ui, sans-serif");
    for (service, hub) in services.iter().zip(&layout.services) {
        let empty = service.endpoints.is_empty() && service.other_endpoints == 0;
        context.set_fill_style_str(if empty { "#8c959f" } else { "#326ce5" });
        context.begin_path();
        let _ = context.arc(hub.0, hub.1, 9.0, 0.0, std::f64::consts::TAU);
        context.fill();
        context.set_fill_style_str("#57606a");
        let mut label: String = service.name.chars().take(16).collect();
        if service.name.chars().count() > 16 {
            label.push('…');
        }
        context.set_text_align("center");
        let _ = context.fill_text(&label, hub.0, hub.1 + 23.0);
        context.set_text_align("start");
    }
}

/// The Service edges, translucent. One edge per node makes thousands of lines thousands of
/// pixels long at 150,000 pods: those are drawn at a quarter of the resolution and scaled up
/// (a sixteenth of the pixels to rasterize), fainter, as the fan they are.
fn draw_pixel_edges(
    context: &web_sys::CanvasRenderingContext2d,
    model: &GraphModel,
    pods: &[&GraphPod],
    services: &[&GraphService],
    layout: &graph::Layout,
) {
    let (edges, per_node) = pixel_edges(&model.nodes, pods, services, layout);
    let reduced = per_node
        .then(|| blank_canvas(layout.width, layout.height, EDGE_LAYER_REDUCTION))
        .flatten();
    let (edge_context, factor, alpha) = match &reduced {
        Some((_, reduced_context)) => (reduced_context, EDGE_LAYER_REDUCTION, 0.06),
        None => (context, 1.0, 0.35),
    };
    let _ = edge_context.set_transform(1.0 / factor, 0.0, 0.0, 1.0 / factor, 0.0, 0.0);
    edge_context.set_global_alpha(alpha);
    edge_context.set_line_width(0.5 * factor);
    edge_context.set_stroke_style_str("#326ce5");
    edge_context.begin_path();
    for (hub, end) in edges {
        edge_context.move_to(hub.0, hub.1);
        edge_context.line_to(end.0, end.1);
    }
    edge_context.stroke();
    let _ = edge_context.set_transform(1.0, 0.0, 0.0, 1.0, 0.0, 0.0);
    edge_context.set_global_alpha(1.0);
    edge_context.set_line_width(1.0);
    if let Some((edge_canvas, _)) = &reduced {
        // Scaled back by the same factor (not stretched to the layout: its size was rounded up).
        let _ = context.draw_image_with_html_canvas_element_and_dw_and_dh(
            edge_canvas,
            0.0,
            0.0,
            f64::from(edge_canvas.width()) * factor,
            f64::from(edge_canvas.height()) * factor,
        );
    }
}

/// The most Service edges the pixel view draws one per endpoint pod; above it, one per node
/// holding endpoints. (Rasterizing 15,000 hub-to-pod lines, three Services over 150,000 pods,
/// took half a second per change; that many lines are a solid fan anyway.)
const PIXEL_POD_EDGE_LIMIT: usize = 2_000;

/// A line from a Service's hub to what it reaches, in drawing units.
type Edge = ((f64, f64), (f64, f64));

/// How much smaller the canvas the per-node edges are drawn on is.
const EDGE_LAYER_REDUCTION: f64 = 4.0;

/// A blank canvas `factor` times smaller than `width` × `height`, and its context.
fn blank_canvas(
    width: f64,
    height: f64,
    factor: f64,
) -> Option<(
    web_sys::HtmlCanvasElement,
    web_sys::CanvasRenderingContext2d,
)> {
    let canvas = web_sys::window()?
        .document()?
        .create_element("canvas")
        .ok()?
        .dyn_into::<web_sys::HtmlCanvasElement>()
        .ok()?;
    canvas.set_width((width / factor).ceil().max(1.0) as u32);
    canvas.set_height((height / factor).ceil().max(1.0) as u32);
    let context = context_2d(&canvas)?;
    Some((canvas, context))
}

/// The pixel view's Service edges, from hub to endpoint pod or, when the Services name more
/// than [`PIXEL_POD_EDGE_LIMIT`] pods, from hub to the top of each node holding any of its
/// endpoints (then the flag is true).
fn pixel_edges(
    nodes: &[graph::GraphNode],
    pods: &[&GraphPod],
    services: &[&GraphService],
    layout: &graph::Layout,
) -> (Vec<Edge>, bool) {
    let endpoint_count: usize = services.iter().map(|s| s.endpoints.len()).sum();
    let hubs = services.iter().zip(&layout.services);
    if endpoint_count <= PIXEL_POD_EDGE_LIMIT {
        let centres = pixel_centres(pods, services, &[], layout);
        let edges = hubs
            .flat_map(|(service, hub)| {
                let centres = &centres;
                service
                    .endpoints
                    .iter()
                    .filter_map(move |e| centres.get(e).map(|c| (*hub, *c)))
            })
            .collect();
        return (edges, false);
    }
    let node_index: std::collections::BTreeMap<&str, usize> = nodes
        .iter()
        .enumerate()
        .map(|(i, n)| (n.name.as_str(), i))
        .collect();
    let named: std::collections::BTreeSet<(&str, &str)> = services
        .iter()
        .flat_map(|s| s.endpoints.iter().filter_map(|e| e.split_once('/')))
        .collect();
    let home_of: std::collections::BTreeMap<(&str, &str), usize> = pods
        .iter()
        .filter(|pod| named.contains(&(pod.namespace.as_str(), pod.name.as_str())))
        .filter_map(|pod| {
            let node = *node_index.get(pod.node.as_deref()?)?;
            Some(((pod.namespace.as_str(), pod.name.as_str()), node))
        })
        .collect();
    let edges = hubs
        .flat_map(|(service, hub)| {
            let homes: std::collections::BTreeSet<usize> = service
                .endpoints
                .iter()
                .filter_map(|e| home_of.get(&e.split_once('/')?).copied())
                .collect();
            homes.into_iter().filter_map(move |i| {
                let rect = layout.nodes.get(i)?;
                Some((*hub, (rect.x + rect.width / 2.0, rect.y)))
            })
        })
        .collect();
    (edges, true)
}

/// Paints every pod's cell, coloured by status, into one RGBA buffer spanning the rows that
/// hold pods, and draws it over the canvas with one call (`putImageData` on a canvas of its
/// own, which `drawImage` then lays over the edges): at 150,000 pods one `fillRect` per pod
/// (150,000 calls out of wasm) took most of a second per change.
fn paint_pod_cells(
    context: &web_sys::CanvasRenderingContext2d,
    pods: &[&GraphPod],
    layout: &graph::Layout,
) {
    let Some(buffer) = pod_cell_pixels(pods, layout) else {
        return;
    };
    let PodCellPixels {
        top,
        width,
        height,
        rgba,
    } = buffer;
    let Ok(image) = web_sys::ImageData::new_with_u8_clamped_array_and_sh(
        wasm_bindgen::Clamped(&rgba),
        width,
        height,
    ) else {
        return;
    };
    if let Some((cells, cells_context)) = blank_canvas(f64::from(width), f64::from(height), 1.0) {
        let _ = cells_context.put_image_data(&image, 0.0, 0.0);
        let _ = context.draw_image_with_html_canvas_element(&cells, 0.0, f64::from(top));
    }
}

/// The tallest or widest canvas browsers draw.
const MAX_CANVAS_SIDE: usize = 32_767;

/// The pods' cells as pixels: rows `top .. top + height` of a `width`-wide picture.
struct PodCellPixels {
    top: u32,
    width: u32,
    height: u32,
    rgba: Vec<u8>,
}

/// Each pod's cell (less its last row and column, the gap between cells) in its status colour;
/// `None` when no pod is visible.
fn pod_cell_pixels(pods: &[&GraphPod], layout: &graph::Layout) -> Option<PodCellPixels> {
    let width = layout.width.ceil().max(1.0) as usize;
    let cells = || layout.pods.iter().take(pods.len());
    let top = cells().map(|r| r.y.floor().max(0.0) as usize).min()?;
    let bottom = cells().map(|r| (r.y + r.height).ceil() as usize).max()?;
    // No taller than a canvas may be (Chromium: 32,767 px); cells below are left out.
    let height = bottom.saturating_sub(top).clamp(1, MAX_CANVAS_SIDE);
    let mut rgba = vec![0u8; width.checked_mul(height)?.checked_mul(4)?];
    for (pod, rect) in pods.iter().zip(&layout.pods) {
        let (r, g, b) = graph::status_rgb(graph::status_class(&pod.status));
        let x0 = rect.x.max(0.0) as usize;
        let y0 = (rect.y.max(0.0) as usize).saturating_sub(top);
        let x1 = (x0 + (rect.width - 1.0).max(1.0) as usize).min(width);
        let y1 = (y0 + (rect.height - 1.0).max(1.0) as usize).min(height);
        for y in y0..y1 {
            for x in x0..x1 {
                let at = (y * width + x) * 4;
                rgba[at..at + 4].copy_from_slice(&[r, g, b, 255]);
            }
        }
    }
    Some(PodCellPixels {
        top: top as u32,
        width: width as u32,
        height: height as u32,
        rgba,
    })
}

/// The centres of the pods some Service or request names (not all 150,000 keys, and no key
/// built for a pod nobody names).
fn pixel_centres(
    pods: &[&GraphPod],
    services: &[&GraphService],
    flashes: &[Flash],
    layout: &graph::Layout,
) -> std::collections::BTreeMap<String, (f64, f64)> {
    let mut wanted: std::collections::BTreeSet<(&str, &str)> = services
        .iter()
        .flat_map(|s| s.endpoints.iter().filter_map(|e| e.split_once('/')))
        .collect();
    wanted.extend(
        flashes
            .iter()
            .filter_map(|f| f.event.pod.as_deref()?.split_once('/')),
    );
    if wanted.is_empty() {
        return Default::default();
    }
    pods.iter()
        .zip(&layout.pods)
        .filter(|(pod, _)| wanted.contains(&(pod.namespace.as_str(), pod.name.as_str())))
        .map(|(pod, rect)| {
            (
                pod.key(),
                (rect.x + rect.width / 2.0, rect.y + rect.height / 2.0),
            )
        })
        .collect()
}

/// The pixel view on screen: the still picture (`base`) through the zoom and pan `viewport`,
/// and the requests in flight over it as lines from hub to the pod that answered (a red disc
/// at the hub for a failure).
fn draw_pixels(
    canvas: &web_sys::HtmlCanvasElement,
    base: &web_sys::HtmlCanvasElement,
    pods: &[&GraphPod],
    services: &[&GraphService],
    flashes: &[Flash],
    layout: &graph::Layout,
    viewport: Viewport,
) {
    let Some(context) = context_2d(canvas) else {
        return;
    };
    let _ = context.set_transform(1.0, 0.0, 0.0, 1.0, 0.0, 0.0);
    context.clear_rect(
        0.0,
        0.0,
        f64::from(canvas.width()),
        f64::from(canvas.height()),
    );
    let _ = context.set_transform(
        viewport.scale,
        0.0,
        0.0,
        viewport.scale,
        viewport.x,
        viewport.y,
    );
    let _ = context.draw_image_with_html_canvas_element(base, 0.0, 0.0);
    if flashes.is_empty() || services.is_empty() {
        return;
    }
    let centres = pixel_centres(pods, &[], flashes, layout);
    let hub_of: std::collections::BTreeMap<String, (f64, f64)> = services
        .iter()
        .zip(&layout.services)
        .map(|(s, c)| (s.key(), *c))
        .collect();
    context.set_line_width(1.5);
    for flash in flashes {
        let Some(hub) = flash.event.service.as_ref().and_then(|s| hub_of.get(s)) else {
            continue;
        };
        match flash.event.pod.as_ref().and_then(|p| centres.get(p)) {
            Some(pod) if flash.event.ok => {
                context.set_stroke_style_str("#2da44e");
                context.begin_path();
                context.move_to(hub.0, hub.1);
                context.line_to(pod.0, pod.1);
                context.stroke();
            }
            _ if !flash.event.ok => {
                context.set_fill_style_str("rgba(207,34,46,0.8)");
                context.begin_path();
                let _ = context.arc(hub.0, hub.1, 12.0, 0.0, std::f64::consts::TAU);
                context.fill();
            }
            _ => {}
        }
    }
    context.set_line_width(1.0);
}

fn context_2d(canvas: &web_sys::HtmlCanvasElement) -> Option<web_sys::CanvasRenderingContext2d> {
    canvas
        .get_context("2d")
        .ok()
        .flatten()
        .and_then(|c| c.dyn_into::<web_sys::CanvasRenderingContext2d>().ok())
}

/// The pixel view's still picture, kept between renders: the cluster version and namespace
/// it shows, and the offscreen canvas it is drawn on.
type PixelBase = Option<((u64, usize), Option<String>, web_sys::HtmlCanvasElement)>;

#[component(GraphView)]
pub fn graph_view(props: &GraphProps) -> Html {
    let namespace = use_state(|| Option::<String>::None);
    let focused_queue_pod = use_state(|| Option::<String>::None);
    let panel = use_node_ref();
    // The SVG or, in the pixel view, the canvas: what zoom and pan measure against.
    let surface_ref = use_node_ref();
    let menu_ref = use_node_ref();
    let menu = use_state(|| Option::<(MenuTarget, f64, f64)>::None);
    let viewport = use_state(Viewport::default);
    // A drag in progress: where the pointer went down and the viewport then.
    let drag = use_mut_ref(|| Option::<(f64, f64, Viewport)>::None);
    // Whether the pointer moved the view since it went down (the click that ends a pan in
    // the pixel view selects nothing).
    let dragged = use_mut_ref(|| false);
    let pixel_base = use_mut_ref(|| PixelBase::None);
    // Restart counts seen so far, and when (page time) each pod's count last went up.
    let restarts_seen = use_mut_ref(std::collections::BTreeMap::<String, i64>::new);
    let restart_pulses = use_mut_ref(std::collections::BTreeMap::<String, f64>::new);
    let language = props.language;
    // A menu opens where it was asked for, in the panel's coordinates.
    let on_menu = {
        let menu = menu.clone();
        let panel = panel.clone();
        Callback::from(move |(target, x, y): MenuRequest| {
            let (left, top, width) = panel
                .cast::<web_sys::Element>()
                .map(|p| {
                    let r = p.get_bounding_client_rect();
                    (r.left(), r.top(), r.width())
                })
                .unwrap_or((0.0, 0.0, f64::INFINITY));
            // Near the right edge the menu opens leftwards, inside the panel.
            let x = (x - left).min(width - MENU_WIDTH).max(0.0);
            menu.set(Some((target, x, y - top)));
        })
    };
    {
        // Focus the first item of a menu that just opened (keyboard users land in it).
        let menu_ref = menu_ref.clone();
        let open = menu.is_some();
        use_effect_with(open, move |open| {
            if *open {
                if let Some(first) = menu_ref
                    .cast::<web_sys::Element>()
                    .and_then(|m| m.query_selector("button").ok().flatten())
                    .and_then(|b| b.dyn_into::<web_sys::HtmlElement>().ok())
                {
                    let _ = first.focus();
                }
            }
        });
    }

    let model = props.model.clone();
    // A filter naming a namespace that has no pods any more shows nothing, which is what the
    // user asked for; the choice stays in the menu until they change it.
    let mut namespace_choices = model.namespaces.clone();
    if let Some(chosen) = namespace.as_ref() {
        if !namespace_choices.contains(chosen) {
            namespace_choices.push(chosen.clone());
            namespace_choices.sort_stable();
        }
    }
    let pods = graph::visible_pods(&model, namespace.as_deref());
    let detail = graph::level_of_detail(pods.len());
    let now = crate::page_state::page_millis();
    // Restart pulses are SVG marks; the pixel view (up to 150,000 pods) keeps no per-pod map.
    if detail == Detail::Pixels {
        restarts_seen.borrow_mut().clear();
        restart_pulses.borrow_mut().clear();
    } else {
        let mut seen = restarts_seen.borrow_mut();
        let mut pulses = restart_pulses.borrow_mut();
        let mut current = std::collections::BTreeMap::new();
        for pod in &model.pods {
            let key = pod.key();
            if seen.get(&key).is_some_and(|before| pod.restarts > *before) {
                pulses.insert(key.clone(), now);
            }
            current.insert(key, pod.restarts);
        }
        *seen = current;
        pulses.retain(|_, at| now - *at < RESTART_PULSE_MILLIS);
    }
    let pulsing: Rc<std::collections::BTreeSet<String>> =
        Rc::new(restart_pulses.borrow().keys().cloned().collect());
    let services = graph::visible_services(&model, namespace.as_deref());
    // Laid out once per model and filter: zooming and panning re-render the panel, but neither
    // lays the graph out again nor (GraphMarks' props being equal) rebuilds a single mark.
    let layout: Rc<Layout> = use_memo(
        (
            (props.version, Rc::as_ptr(&props.model) as usize),
            (*namespace).clone(),
        ),
        {
            let model = model.clone();
            move |(_, namespace): &((u64, usize), Option<String>)| {
                let pods = graph::visible_pods(&model, namespace.as_deref());
                let services = graph::visible_services(&model, namespace.as_deref());
                let cell = match graph::level_of_detail(pods.len()) {
                    Detail::Svg => graph::SVG_CELL,
                    Detail::Pixels => graph::PIXEL_CELL,
                };
                graph::layout_with_services(&model.nodes, &pods, services.len(), cell)
            }
        },
    );
    let queued = pods.iter().filter(|p| p.node.is_none()).count();

    {
        let canvas = surface_ref.clone();
        let model = model.clone();
        let namespace = (*namespace).clone();
        let flashes = props.flashes.clone();
        let viewport = *viewport;
        // The model's address too: a new model at the same resourceVersion is redrawn.
        let version = (props.version, Rc::as_ptr(&props.model) as usize);
        let pixel_base = pixel_base.clone();
        let layout = layout.clone();
        use_effect(move || {
            if detail == Detail::Pixels {
                if let Some(canvas) = canvas.cast::<web_sys::HtmlCanvasElement>() {
                    let pods = graph::visible_pods(&model, namespace.as_deref());
                    let services = graph::visible_services(&model, namespace.as_deref());
                    let mut cached = pixel_base.borrow_mut();
                    let stale =
                        !matches!(&*cached, Some((v, ns, _)) if *v == version && *ns == namespace);
                    if stale {
                        // The offscreen canvas is made once and redrawn in place.
                        let base = cached.take().map(|(_, _, base)| base).or_else(|| {
                            blank_canvas(layout.width, layout.height, 1.0).map(|(c, _)| c)
                        });
                        if let Some(base) = base {
                            base.set_width(layout.width as u32);
                            base.set_height(layout.height as u32);
                            if let Some(context) = context_2d(&base) {
                                draw_pixel_base(&context, &model, &pods, &services, &layout);
                            }
                            *cached = Some((version, namespace.clone(), base));
                        }
                    }
                    // The canvas shows a window the layout's width wide, as tall as its box
                    // allows at the same scale (square pixels); the rest is a pan away.
                    let (box_width, box_height) = (canvas.client_width(), canvas.client_height());
                    if box_width > 0 && box_height > 0 {
                        let window_height = (layout.width * f64::from(box_height)
                            / f64::from(box_width))
                        .round()
                        .max(1.0) as u32;
                        if canvas.height() != window_height {
                            canvas.set_height(window_height);
                        }
                    }
                    if let Some((_, _, base)) = cached.as_ref() {
                        draw_pixels(&canvas, base, &pods, &services, &flashes, &layout, viewport);
                    }
                }
            } else {
                pixel_base.borrow_mut().take();
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
        let viewport = viewport.clone();
        let dragged = dragged.clone();
        let layout = layout.clone();
        Callback::from(move |event: MouseEvent| {
            // The end of a pan is not a click on what the pointer stopped over.
            if std::mem::take(&mut *dragged.borrow_mut()) {
                return;
            }
            let Some(canvas) = event.target_dyn_into::<web_sys::HtmlCanvasElement>() else {
                return;
            };
            // Each axis by its own ratio: the bitmap's height follows its box only at the
            // next draw (a resized window while paused, say).
            let scale_x = f64::from(canvas.width()) / f64::from(canvas.client_width().max(1));
            let scale_y = f64::from(canvas.height()) / f64::from(canvas.client_height().max(1));
            let (x, y) = viewport.to_drawing(
                f64::from(event.offset_x()) * scale_x,
                f64::from(event.offset_y()) * scale_y,
            );
            let pods = graph::visible_pods(&model, namespace.as_deref());
            let services = graph::visible_services(&model, namespace.as_deref());
            if let Some(service) = layout
                .services
                .iter()
                .position(|(hx, hy)| (hx - x).hypot(hy - y) <= 10.0)
                .and_then(|i| services.get(i))
            {
                on_select.emit(Selection {
                    kind: "Service".into(),
                    namespace: service.namespace.clone(),
                    name: service.name.clone(),
                });
            } else if let Some(pod) = layout
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
    let close_menu = {
        let menu = menu.clone();
        Callback::from(move |_: ()| menu.set(None))
    };
    let fault_menu = menu.as_ref().map(|(target, x, y)| {
        let items = faults::menu_items(&model, target);
        let title = match target {
            MenuTarget::Node(name) => format!("node {name}"),
            MenuTarget::Pod { namespace, name } => format!("pod {namespace}/{name}"),
            MenuTarget::Cluster => language.text(Label::Cluster).to_string(),
        };
        let target_attribute = match target {
            MenuTarget::Node(name) => format!("node/{name}"),
            MenuTarget::Pod { namespace, name } => format!("pod/{namespace}/{name}"),
            MenuTarget::Cluster => "cluster".to_string(),
        };
        let onkeydown = {
            let close_menu = close_menu.clone();
            Callback::from(move |event: KeyboardEvent| {
                let key = event.key();
                if key == "Escape" {
                    event.prevent_default();
                    close_menu.emit(());
                } else if key == "ArrowDown" || key == "ArrowUp" {
                    // Move between items as in any menu.
                    event.prevent_default();
                    let Some(current) = event.target_dyn_into::<web_sys::Element>() else {
                        return;
                    };
                    let next = if key == "ArrowDown" {
                        current.next_element_sibling()
                    } else {
                        current.previous_element_sibling()
                    };
                    if let Some(next) = next.and_then(|n| n.dyn_into::<web_sys::HtmlElement>().ok()) {
                        let _ = next.focus();
                    }
                }
            })
        };
        let backdrop_close = {
            let close_menu = close_menu.clone();
            Callback::from(move |event: MouseEvent| {
                event.prevent_default();
                close_menu.emit(());
            })
        };
        html! {
            <>
                <div class="menu-backdrop" onclick={backdrop_close.clone()} oncontextmenu={backdrop_close}></div>
                <div class="fault-menu" data-testid="fault-menu" role="menu" ref={menu_ref.clone()}
                    data-target={target_attribute} aria-label={title.clone()}
                    style={format!("left:{x}px;top:{y}px")} onkeydown={onkeydown}>
                    <div class="menu-title">{ title }</div>
                    if items.is_empty() {
                        <div class="menu-empty">{ "—" }</div>
                    }
                    { for items.into_iter().map(|item| {
                        let onclick = {
                            let on_command = props.on_command.clone();
                            let close_menu = close_menu.clone();
                            let line = item.line.clone();
                            Callback::from(move |_: MouseEvent| {
                                close_menu.emit(());
                                on_command.emit(line.clone());
                            })
                        };
                        html! {
                            <button role="menuitem" data-action={item.action} title={item.line.clone()} onclick={onclick}>
                                <span>{ language.text(item.label) }</span>
                                <code>{ item.line.clone() }</code>
                            </button>
                        }
                    }) }
                </div>
            </>
        }
    });
    let on_cluster_menu = {
        let on_menu = on_menu.clone();
        Callback::from(move |event: MouseEvent| {
            let (x, y) = event
                .target_dyn_into::<web_sys::Element>()
                .map(|e| {
                    let r = e.get_bounding_client_rect();
                    (r.left(), r.bottom())
                })
                .unwrap_or((0.0, 0.0));
            on_menu.emit((MenuTarget::Cluster, x, y));
        })
    };
    // Zoom and pan: wheel (around the pointer), drag on the background, the +/−/reset buttons,
    // and + − 0 and the arrow keys while the graph has focus.
    let (graph_width, graph_height) = (layout.width, layout.height);
    let view_point = move |svg: &web_sys::Element, client_x: f64, client_y: f64| {
        let r = svg.get_bounding_client_rect();
        let ratio = graph_width / r.width().max(1.0);
        ((client_x - r.left()) * ratio, (client_y - r.top()) * ratio)
    };
    // (Yew delegates events to the body: `current_target` is not the SVG, so it is a ref.)
    let on_wheel = {
        let viewport = viewport.clone();
        let surface_ref = surface_ref.clone();
        Callback::from(move |event: WheelEvent| {
            let Some(svg) = surface_ref.cast::<web_sys::Element>() else {
                return;
            };
            event.prevent_default();
            let (px, py) = view_point(
                &svg,
                f64::from(event.client_x()),
                f64::from(event.client_y()),
            );
            let factor = (-event.delta_y() * 0.0015).exp();
            viewport.set(viewport.zoom_at(factor, px, py));
        })
    };
    let on_pointer_down = {
        let drag = drag.clone();
        let dragged = dragged.clone();
        let viewport = viewport.clone();
        Callback::from(move |event: PointerEvent| {
            // Only the background starts a pan: marks and boxes stay clickable.
            let on_background = event
                .target_dyn_into::<web_sys::Element>()
                .is_some_and(|t| {
                    t.tag_name() == "svg"
                        || t.tag_name() == "CANVAS"
                        || t.class_list().contains("graph-background")
                });
            if on_background && event.button() == 0 {
                *dragged.borrow_mut() = false;
                *drag.borrow_mut() = Some((
                    f64::from(event.client_x()),
                    f64::from(event.client_y()),
                    *viewport,
                ));
            }
        })
    };
    let on_pointer_move = {
        let drag = drag.clone();
        let dragged = dragged.clone();
        let viewport = viewport.clone();
        let surface_ref = surface_ref.clone();
        Callback::from(move |event: PointerEvent| {
            let Some((x0, y0, start)) = *drag.borrow() else {
                return;
            };
            let Some(svg) = surface_ref.cast::<web_sys::Element>() else {
                return;
            };
            let ratio = graph_width / svg.get_bounding_client_rect().width().max(1.0);
            let (dx, dy) = (
                (f64::from(event.client_x()) - x0) * ratio,
                (f64::from(event.client_y()) - y0) * ratio,
            );
            if dx.hypot(dy) > 3.0 {
                *dragged.borrow_mut() = true;
            }
            viewport.set(start.pan(dx, dy));
        })
    };
    let on_pointer_up = {
        let drag = drag.clone();
        Callback::from(move |_: PointerEvent| {
            drag.borrow_mut().take();
        })
    };
    // The buttons and keys zoom around the middle of what is on screen: the pixel view's
    // canvas is a window onto the drawing (its height, set by the last draw, in drawing units).
    let centre_y = match detail {
        Detail::Pixels => surface_ref
            .cast::<web_sys::HtmlCanvasElement>()
            .map(|c| f64::from(c.height()).min(graph_height) / 2.0)
            .unwrap_or(graph_height / 2.0),
        Detail::Svg => graph_height / 2.0,
    };
    let zoom_button = |factor: Option<f64>| {
        let viewport = viewport.clone();
        Callback::from(move |_: MouseEvent| {
            viewport.set(match factor {
                Some(f) => viewport.zoom_at(f, graph_width / 2.0, centre_y),
                None => Viewport::default(),
            });
        })
    };
    let on_graph_key = {
        let viewport = viewport.clone();
        Callback::from(move |event: KeyboardEvent| {
            // Keys on a focused mark or box are theirs.
            let on_svg = event
                .target_dyn_into::<web_sys::Element>()
                .is_some_and(|t| t.tag_name() == "svg" || t.tag_name() == "CANVAS");
            if !on_svg {
                return;
            }
            let step = 40.0;
            let next = match event.key().as_str() {
                "+" | "=" => viewport.zoom_at(Viewport::STEP, graph_width / 2.0, centre_y),
                "-" | "_" => viewport.zoom_at(1.0 / Viewport::STEP, graph_width / 2.0, centre_y),
                "0" => Viewport::default(),
                "ArrowLeft" => viewport.pan(step, 0.0),
                "ArrowRight" => viewport.pan(-step, 0.0),
                "ArrowUp" => viewport.pan(0.0, step),
                "ArrowDown" => viewport.pan(0.0, -step),
                _ => return,
            };
            event.prevent_default();
            viewport.set(next);
        })
    };
    let view_box = format!("0 0 {} {}", layout.width, layout.height);

    html! {
        <section class="graph-panel" data-testid="graph" ref={panel} data-detail={match detail { Detail::Svg => "svg", Detail::Pixels => "pixels" }}>
            <div class="graph-toolbar">
                <h2>{ language.text(Label::Cluster) }</h2>
                <button class="secondary small" data-testid="cluster-menu" aria-haspopup="menu" onclick={on_cluster_menu}>{ language.text(Label::ClusterMenu) }</button>
                <label>
                    { language.text(Label::Namespace) }{ " " }
                    <select data-testid="namespace-filter" onchange={on_namespace}>
                        <option value="" selected={namespace.is_none()}>{ language.text(Label::AllNamespaces) }</option>
                        { for namespace_choices.iter().map(|ns| html! {
                            <option value={ns.clone()} selected={namespace.as_deref() == Some(ns.as_str())}>{ ns.clone() }</option>
                        }) }
                    </select>
                </label>
                <span class="zoom-controls">
                    <button class="secondary small" data-testid="zoom-out" title={language.text(Label::ZoomOut)} aria-label={language.text(Label::ZoomOut)} onclick={zoom_button(Some(1.0 / Viewport::STEP))}>{ "−" }</button>
                    <button class="secondary small" data-testid="zoom-reset" title={language.text(Label::ZoomReset)} aria-label={language.text(Label::ZoomReset)} onclick={zoom_button(None)}>{ format!("{:.0}%", viewport.scale * 100.0) }</button>
                    <button class="secondary small" data-testid="zoom-in" title={language.text(Label::ZoomIn)} aria-label={language.text(Label::ZoomIn)} onclick={zoom_button(Some(Viewport::STEP))}>{ "+" }</button>
                </span>
                <span class="graph-caption" data-testid="graph-caption">{ caption }</span>
            </div>
            if detail == Detail::Svg {
                <svg class="graph-svg" ref={surface_ref} viewBox={view_box} width="100%" role="application" tabindex="0"
                    aria-label={format!("{} — + − 0, arrows", language.text(Label::Cluster))}
                    data-zoom={format!("{:.3}", viewport.scale)}
                    onwheel={on_wheel} onpointerdown={on_pointer_down} onpointermove={on_pointer_move}
                    onpointerup={on_pointer_up.clone()} onpointerleave={on_pointer_up} onkeydown={on_graph_key}>
                    <rect class="graph-background" x="0" y="0" width={format!("{}", layout.width)} height={format!("{}", layout.height)} />
                    <g class="viewport" transform={viewport.transform()}>
                        <GraphMarks model={model.clone()} version={props.version} namespace={(*namespace).clone()}
                            layout={layout.clone()} language={language} selected={props.selected.clone()}
                            pulsing={pulsing} flashes={props.flashes.clone()} on_select={props.on_select.clone()}
                            on_focus_queue={on_focus_queue} on_menu={on_menu.clone()} />
                    </g>
                </svg>
            } else {
                <canvas class="graph-canvas" ref={surface_ref} width={format!("{}", layout.width)}
                    onclick={on_canvas_click}
                    tabindex="0" role="application" aria-label={format!("{} — + − 0, arrows", language.text(Label::Cluster))}
                    data-zoom={format!("{:.3}", viewport.scale)} data-services={services.len().to_string()}
                    onwheel={on_wheel} onpointerdown={on_pointer_down} onpointermove={on_pointer_move}
                    onpointerup={on_pointer_up.clone()} onpointerleave={on_pointer_up} onkeydown={on_graph_key} />
            }
            { fault_menu.unwrap_or_default() }
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

#[cfg(test)]
mod tests {
    use super::*;

    fn pod(name: &str, node: Option<&str>, status: &str) -> GraphPod {
        GraphPod {
            namespace: "default".into(),
            name: name.into(),
            node: node.map(str::to_string),
            status: status.into(),
            scheduling_message: None,
            scheduling_nodes: Vec::new(),
            restarts: 0,
            containers: vec!["app".into()],
        }
    }

    fn node(name: &str) -> graph::GraphNode {
        let usage = graph::Usage {
            requested: 0,
            allocatable: 1,
        };
        graph::GraphNode {
            name: name.into(),
            control_plane: false,
            ready: true,
            unschedulable: false,
            cpu: usage,
            memory: usage,
            pods: usage,
        }
    }

    fn pixel(pixels: &PodCellPixels, x: f64, y: f64) -> [u8; 4] {
        let at = ((y as usize - pixels.top as usize) * pixels.width as usize + x as usize) * 4;
        pixels.rgba[at..at + 4].try_into().unwrap()
    }

    #[test]
    fn each_pod_cell_is_painted_in_its_status_colour_with_a_gap_between_cells() {
        let pods = [
            pod("a", Some("node-1"), "Running"),
            pod("b", Some("node-1"), "CrashLoopBackOff"),
            pod("c", None, "Pending"),
        ];
        let visible: Vec<&GraphPod> = pods.iter().collect();
        let layout = graph::layout_with_services(&[node("node-1")], &visible, 0, graph::PIXEL_CELL);
        let pixels = pod_cell_pixels(&visible, &layout).expect("pods are visible");
        assert_eq!(pixels.width as f64, layout.width.ceil());
        assert_eq!(
            pixels.rgba.len(),
            (pixels.width * pixels.height * 4) as usize
        );
        for (pod, rect) in pods.iter().zip(&layout.pods) {
            let (r, g, b) = graph::status_rgb(graph::status_class(&pod.status));
            assert_eq!(
                pixel(&pixels, rect.x, rect.y),
                [r, g, b, 255],
                "{}",
                pod.name
            );
            assert_eq!(
                pixel(
                    &pixels,
                    rect.x + rect.width - 2.0,
                    rect.y + rect.height - 2.0
                ),
                [r, g, b, 255]
            );
            // The cell's last column is the gap to the next cell: left transparent.
            assert_eq!(
                pixel(&pixels, rect.x + rect.width - 1.0, rect.y),
                [0, 0, 0, 0]
            );
        }
        // Running green, crash-looping red, pending amber: three different colours.
        let colours: std::collections::BTreeSet<[u8; 4]> = layout
            .pods
            .iter()
            .map(|r| pixel(&pixels, r.x, r.y))
            .collect();
        assert_eq!(colours.len(), 3);
        assert!(pod_cell_pixels(&[], &layout).is_none());
    }

    #[test]
    fn many_service_endpoints_are_drawn_as_one_edge_per_node() {
        let nodes = [node("node-1"), node("node-2"), node("node-3")];
        let pods: Vec<GraphPod> = (0..3_000)
            .map(|i| {
                pod(
                    &format!("web-{i}"),
                    Some(["node-1", "node-2"][i % 2]),
                    "Running",
                )
            })
            .collect();
        let visible: Vec<&GraphPod> = pods.iter().collect();
        let layout = graph::layout_with_services(&nodes, &visible, 1, graph::PIXEL_CELL);
        let service = |endpoints: Vec<String>| graph::GraphService {
            namespace: "default".into(),
            name: "web".into(),
            service_type: "ClusterIP".into(),
            endpoints,
            other_endpoints: 0,
            addresses: Vec::new(),
            node_ports: Vec::new(),
        };
        let hub = layout.services[0];
        // Few endpoints: one edge per pod, to its cell's centre.
        let few = service(vec!["default/web-0".into(), "default/web-3".into()]);
        let (edges, per_node) = pixel_edges(&nodes, &visible, &[&few], &layout);
        assert!(!per_node);
        assert_eq!(edges.len(), 2);
        assert!(edges.iter().all(|(from, _)| *from == hub));
        let cell = layout.pods[3];
        assert!(edges.contains(&(hub, (cell.x + cell.width / 2.0, cell.y + cell.height / 2.0))));
        // Every pod an endpoint: one edge per node that holds any (node-3 holds none).
        let all = service(pods.iter().map(|p| p.key()).collect());
        let (edges, per_node) = pixel_edges(&nodes, &visible, &[&all], &layout);
        assert!(per_node);
        let tops: Vec<(f64, f64)> = layout.nodes[..2]
            .iter()
            .map(|r| (r.x + r.width / 2.0, r.y))
            .collect();
        assert_eq!(edges, vec![(hub, tops[0]), (hub, tops[1])]);
    }

    #[test]
    fn pixel_centres_name_only_the_pods_a_service_or_request_names() {
        let pods = [
            pod("a", Some("node-1"), "Running"),
            pod("b", Some("node-1"), "Running"),
        ];
        let visible: Vec<&GraphPod> = pods.iter().collect();
        let layout = graph::layout_with_services(&[node("node-1")], &visible, 1, graph::PIXEL_CELL);
        let service = graph::GraphService {
            namespace: "default".into(),
            name: "web".into(),
            service_type: "ClusterIP".into(),
            endpoints: vec!["default/b".into()],
            other_endpoints: 0,
            addresses: Vec::new(),
            node_ports: Vec::new(),
        };
        let centres = pixel_centres(&visible, &[&service], &[], &layout);
        let rect = layout.pods[1];
        assert_eq!(
            centres.into_iter().collect::<Vec<_>>(),
            vec![(
                "default/b".to_string(),
                (rect.x + rect.width / 2.0, rect.y + rect.height / 2.0)
            )]
        );
    }
}
