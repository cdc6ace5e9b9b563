//! The page's frame-time bench (`?bench=PODS`, optionally `&churn=1`): only the cluster graph,
//! fed a synthetic model of PODS pods on as many 110-pod nodes as they need, with three
//! Services over a thirtieth of them each. With `churn=1` one pod in a hundred changes status
//! on every animation frame and the graph gets a fresh model, as it does when the cluster
//! changes; without it the model stands still and only zoom and pan (driven by the bench
//! script's wheel events) re-render. `bench/page-frame-time.mjs` measures the frame times.
//!
//! Synthetic because the engine cannot yet run 150,000 pods inside a page in reasonable time;
//! this measures what the graph costs at those sizes, not the engine.

use std::cell::RefCell;
use std::rc::Rc;

use wasm_bindgen::prelude::*;
use yew::prelude::*;

use crate::graph::{GraphModel, GraphNode, GraphPod, GraphService, Usage};
use crate::graph_view::GraphView;
use crate::i18n::Language;

/// Pods per synthetic node (the kubelet's default maxPods is 110).
const PODS_PER_NODE: usize = 110;
/// The most pods a bench page builds (a hostile address cannot ask for a billion).
pub const MAX_BENCH_PODS: usize = 200_000;

/// The bench's parameters from the address (`?bench=10000&churn=1`), when it asks for one.
pub fn bench_request(search: &str) -> Option<(usize, bool)> {
    let mut pods = None;
    let mut churn = false;
    for pair in search.trim_start_matches('?').split('&') {
        match pair.split_once('=') {
            Some(("bench", n)) => pods = n.parse::<usize>().ok(),
            Some(("churn", v)) => churn = v == "1" || v == "true",
            _ => {}
        }
    }
    pods.map(|n| (n.clamp(1, MAX_BENCH_PODS), churn))
}

const STATUSES: [&str; 5] = [
    "Running",
    "Pending",
    "ContainerCreating",
    "CrashLoopBackOff",
    "Completed",
];

/// A pod's status at `frame`: mostly Running; pod `i` changes on frames where
/// `(i + frame) % 100 == 0`, so one pod in a hundred changes per frame.
fn status_of(index: usize, frame: u64) -> &'static str {
    let epoch = (index as u64 + frame) / 100;
    let draw = (index as u64)
        .wrapping_mul(0x9e37_79b9_7f4a_7c15)
        .wrapping_add(epoch.wrapping_mul(0xbf58_476d_1ce4_e5b9))
        >> 59;
    if draw < 28 {
        "Running"
    } else {
        STATUSES[(draw as usize) % STATUSES.len()]
    }
}

/// The synthetic cluster at `frame`.
pub fn synthetic_model(pods: usize, frame: u64) -> GraphModel {
    let node_count = pods.div_ceil(PODS_PER_NODE).max(1);
    let nodes = (0..node_count)
        .map(|n| GraphNode {
            name: format!("node-{}", n + 1),
            control_plane: false,
            ready: true,
            unschedulable: false,
            cpu: Usage {
                requested: 1_000 + (n as i128 % 7) * 500,
                allocatable: 8_000,
            },
            memory: Usage {
                requested: (1 + n as i128 % 5) << 30,
                allocatable: 16 << 30,
            },
            pods: Usage {
                requested: pods.min(PODS_PER_NODE) as i128,
                allocatable: PODS_PER_NODE as i128,
            },
        })
        .collect();
    let pod_list: Vec<Rc<GraphPod>> = (0..pods)
        .map(|i| {
            let status = status_of(i, frame);
            Rc::new(GraphPod {
                namespace: "default".into(),
                name: format!("web-{i}"),
                node: (status != "Pending").then(|| format!("node-{}", i / PODS_PER_NODE + 1)),
                status: status.to_string(),
                scheduling_message: None,
                scheduling_nodes: Vec::new(),
                restarts: 0,
                containers: vec!["app".into()],
            })
        })
        .collect();
    let services = (0..3)
        .map(|s| GraphService {
            namespace: "default".into(),
            name: format!("web-{s}"),
            service_type: "ClusterIP".into(),
            endpoints: service_endpoints(&pod_list, s),
            other_endpoints: 0,
            addresses: vec![format!("10.96.0.{}", 100 + s)],
            node_ports: Vec::new(),
        })
        .collect();
    GraphModel {
        nodes,
        pods: pod_list,
        namespaces: vec!["default".into()],
        services,
    }
}

/// The model after one more frame of churn: only the pods whose status changes are rebuilt
/// (the Services' endpoint lists follow them); the others are the previous model's, shared.
fn next_model(previous: &GraphModel, frame: u64) -> GraphModel {
    let mut model = previous.clone();
    for (i, pod) in model.pods.iter_mut().enumerate() {
        if (i as u64 + frame).is_multiple_of(100) {
            let status = status_of(i, frame);
            let pod = Rc::make_mut(pod);
            pod.status = status.to_string();
            pod.node = (status != "Pending").then(|| format!("node-{}", i / PODS_PER_NODE + 1));
        }
    }
    for (s, service) in model.services.iter_mut().enumerate() {
        service.endpoints = service_endpoints(&model.pods, s);
    }
    model
}

/// Service `s`'s ready endpoints: every thirtieth pod from the `s`-th, while Running.
fn service_endpoints(pods: &[Rc<GraphPod>], s: usize) -> Vec<String> {
    pods.iter()
        .enumerate()
        .filter(|(i, pod)| i % 30 == s && pod.status == "Running")
        .map(|(i, _)| format!("default/web-{i}"))
        .collect()
}

#[derive(Properties, PartialEq)]
pub struct FrameBenchProps {
    pub pods: usize,
    pub churn: bool,
}

/// The bench page: the graph alone, re-rendered on every animation frame when churning.
#[component(FrameBench)]
pub fn frame_bench(props: &FrameBenchProps) -> Html {
    let pods = props.pods;
    let model = use_mut_ref(|| Rc::new(synthetic_model(pods, 0)));
    let frame = use_state(|| 0u64);
    let running = use_mut_ref(|| true);
    {
        let frame = frame.clone();
        let model = model.clone();
        let churn = props.churn;
        let running: Rc<RefCell<bool>> = running.clone();
        use_effect(move || {
            if churn && *running.borrow() {
                let callback = Closure::once_into_js(move |_timestamp: f64| {
                    let next = *frame + 1;
                    let updated = next_model(&model.borrow(), next);
                    *model.borrow_mut() = Rc::new(updated);
                    frame.set(next);
                });
                if let Some(window) = web_sys::window() {
                    let _ = window.request_animation_frame(callback.unchecked_ref());
                }
            }
        });
    }
    let on_select = Callback::from(|_| {});
    let on_command = Callback::from(|_| {});
    let current = model.borrow().clone();
    html! {
        <main class="bench" data-testid="frame-bench" data-pods={pods.to_string()} data-frame={frame.to_string()}>
            <GraphView model={current} version={*frame} language={Language::English}
                selected={None} on_select={on_select} flashes={Rc::new(Vec::new())} on_command={on_command} />
        </main>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_address_asks_for_a_bench_with_bounded_size() {
        assert_eq!(bench_request("?bench=1000"), Some((1_000, false)));
        assert_eq!(
            bench_request("?churn=1&bench=150000"),
            Some((150_000, true))
        );
        assert_eq!(
            bench_request("?bench=999999999999"),
            Some((MAX_BENCH_PODS, false))
        );
        assert_eq!(bench_request("?bench=x"), None);
        assert_eq!(bench_request("?embed=1"), None);
        assert_eq!(bench_request(""), None);
    }

    #[test]
    fn the_synthetic_cluster_has_the_pods_asked_for_and_churns_one_in_a_hundred() {
        let model = synthetic_model(10_000, 0);
        assert_eq!(model.pods.len(), 10_000);
        assert_eq!(model.nodes.len(), 91);
        let running = model.pods.iter().filter(|p| p.status == "Running").count();
        assert!(running > 8_000, "mostly running: {running}");
        let next = next_model(&model, 1);
        let changed = model
            .pods
            .iter()
            .zip(&next.pods)
            .filter(|(a, b)| a != b)
            .count();
        assert!(
            changed <= 100,
            "at most one in a hundred changes: {changed}"
        );
        // next_model agrees with building the frame from scratch for the pods it touched.
        let fresh = synthetic_model(10_000, 1);
        for (i, pod) in next.pods.iter().enumerate() {
            if (i as u64 + 1).is_multiple_of(100) {
                assert_eq!(pod.status, fresh.pods[i].status);
            }
        }
    }
}
