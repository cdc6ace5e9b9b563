//! The resource metrics API (`metrics.k8s.io/v1beta1`) as metrics-server serves it: every
//! [`METRIC_RESOLUTION_MILLIS`] it scrapes the kubelets, and serves what each pod's containers
//! and each node used over the last window. `kubectl top` and the HorizontalPodAutoscaler read
//! it. It exists only while the `metrics-server` pod in `kube-system` runs and is ready, as on a
//! real cluster (delete it and `kubectl top` says `error: Metrics API not available`).

use crate::kubelet::usage::MeasuredPod;
use crate::{Cluster, SimTime};

/// metrics-server's `--metric-resolution` (how often it scrapes, and the window it reports).
pub const METRIC_RESOLUTION_MILLIS: u64 = 15_000;

/// What the node's own daemons (kubelet, containerd, the OS) use besides its pods:
/// (millicores, bytes) for a worker and for the control-plane node.
const WORKER_OVERHEAD: (u64, u64) = (38, 412 << 20);
const CONTROL_PLANE_OVERHEAD: (u64, u64) = (64, 566 << 20);

/// One container's usage.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContainerMetrics {
    pub name: String,
    pub cpu_millicores: u64,
    pub memory_bytes: u64,
}

/// A `PodMetrics` object.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PodMetrics {
    pub namespace: String,
    pub name: String,
    /// The end of the window.
    pub timestamp: SimTime,
    pub window_millis: u64,
    pub containers: Vec<ContainerMetrics>,
}

impl PodMetrics {
    /// The pod's total (CPU millicores, memory bytes).
    pub fn total(&self) -> (u64, u64) {
        self.containers.iter().fold((0, 0), |(c, m), x| {
            (c + x.cpu_millicores, m + x.memory_bytes)
        })
    }
}

/// A `NodeMetrics` object.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NodeMetrics {
    pub name: String,
    pub timestamp: SimTime,
    pub window_millis: u64,
    pub cpu_millicores: u64,
    pub memory_bytes: u64,
}

impl Cluster {
    /// Whether the metrics API is served: a `metrics-server` pod in `kube-system` is Running
    /// and Ready.
    pub fn metrics_api_available(&self) -> bool {
        let pods = self.list(
            model::registry::resolve("pods").expect("registered"),
            Some("kube-system"),
        );
        pods.iter().any(|pod| {
            let model::Object::Pod(p) = &**pod else {
                return false;
            };
            let labelled = p
                .metadata
                .labels
                .as_ref()
                .and_then(|l| l.get("k8s-app"))
                .is_some_and(|v| v == "metrics-server");
            let status = p.status.as_ref();
            let running = status.and_then(|s| s.phase.as_deref()) == Some("Running");
            let ready = status
                .and_then(|s| s.conditions.as_ref())
                .into_iter()
                .flatten()
                .any(|c| c.type_ == "Ready" && c.status == "True");
            labelled && running && ready && p.metadata.deletion_timestamp.is_none()
        })
    }

    /// The instant of metrics-server's latest scrape.
    pub fn metrics_timestamp(&self) -> SimTime {
        SimTime(self.now().0 / METRIC_RESOLUTION_MILLIS * METRIC_RESOLUTION_MILLIS)
    }

    /// Every `PodMetrics` (all namespaces, by namespace and name), or `None` when the metrics
    /// API is not served.
    pub fn pod_metrics(&self) -> Option<Vec<PodMetrics>> {
        if !self.metrics_api_available() {
            return None;
        }
        let at = self.metrics_timestamp();
        Some(
            self.measure_pods(at, METRIC_RESOLUTION_MILLIS)
                .into_iter()
                .map(|pod| pod_metrics_of(pod, at))
                .collect(),
        )
    }

    /// Every `NodeMetrics` the kubelets could report (a node whose kubelet is down has none),
    /// or `None` when the metrics API is not served.
    pub fn node_metrics(&self) -> Option<Vec<NodeMetrics>> {
        if !self.metrics_api_available() {
            return None;
        }
        let at = self.metrics_timestamp();
        let pods = self.measure_pods(at, METRIC_RESOLUTION_MILLIS);
        let nodes = self.list(model::registry::resolve("nodes").expect("registered"), None);
        let mut out = Vec::new();
        for node in nodes {
            let name = node.name().to_string();
            if !self.kubelet_is_up(&name) {
                continue;
            }
            let control_plane = node
                .metadata()
                .labels
                .as_ref()
                .is_some_and(|l| l.contains_key("node-role.kubernetes.io/control-plane"));
            let (mut cpu, mut memory) = if control_plane {
                CONTROL_PLANE_OVERHEAD
            } else {
                WORKER_OVERHEAD
            };
            for pod in pods.iter().filter(|p| p.node == name) {
                for container in &pod.containers {
                    cpu += container.cpu_millicores;
                    memory += container.memory_bytes;
                }
            }
            out.push(NodeMetrics {
                name,
                timestamp: at,
                window_millis: METRIC_RESOLUTION_MILLIS,
                cpu_millicores: cpu,
                memory_bytes: memory,
            });
        }
        Some(out)
    }
}

fn pod_metrics_of(pod: MeasuredPod, at: SimTime) -> PodMetrics {
    PodMetrics {
        namespace: pod.namespace,
        name: pod.name,
        timestamp: at,
        window_millis: METRIC_RESOLUTION_MILLIS,
        containers: pod
            .containers
            .into_iter()
            .map(|c| ContainerMetrics {
                name: c.name,
                cpu_millicores: c.cpu_millicores,
                memory_bytes: c.memory_bytes,
            })
            .collect(),
    }
}
