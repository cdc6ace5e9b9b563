//! What running containers use, as the kubelet's cAdvisor measures it: CPU averaged over a
//! window (idle use, work the program always does, and the CPU time of the requests its pod
//! answered in that window, capped by the container's CPU limit) and the working set.

use super::ContainerState;
use crate::rng::fnv_parts;
use crate::{Cluster, SimTime};
use model::sort::SortSlice;

/// One container's measured use over a window.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct MeasuredContainer {
    pub name: String,
    pub cpu_millicores: u64,
    pub memory_bytes: u64,
}

/// One pod's measured containers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct MeasuredPod {
    pub namespace: String,
    pub name: String,
    pub node: String,
    pub containers: Vec<MeasuredContainer>,
}

/// A node's CPU when no limit says otherwise (what one container can use at most).
const NODE_CPU_MILLICORES: u64 = 4_000;

impl Cluster {
    /// The pods whose kubelet is up, with each container that ran through the whole window
    /// `(at - window_millis, at]` and what it used in it. Pods with no such container are left
    /// out (metrics-server needs two samples of a container before it reports it).
    pub(crate) fn measure_pods(&self, at: SimTime, window_millis: u64) -> Vec<MeasuredPod> {
        let from = SimTime(at.0.saturating_sub(window_millis));
        let mut measured = Vec::new();
        for (uid, pod) in &self.kubelet.pods {
            if !self.kubelet_is_up(&pod.node) {
                continue;
            }
            let pod_key = format!("{}/{}", pod.namespace, pod.name);
            let mut served_taken = false;
            let mut containers = Vec::new();
            for container in &pod.containers {
                let ContainerState::Running { started_at } = container.state else {
                    continue;
                };
                if started_at.0 + window_millis > at.0 {
                    continue;
                }
                if container.init && !container.sidecar {
                    continue;
                }
                let profile = container.profile;
                let mut cpu = profile.idle_cpu_millicores + profile.busy_cpu_millicores;
                let sample = fnv_parts(&[uid, &container.name, &(at.0 / 15_000).to_string()]);
                if profile.idle_cpu_millicores >= 2 {
                    // A little noise, as real measurements have.
                    cpu = cpu + sample % 3 - 1;
                }
                // The requests the pod answered were answered by its (first) server.
                if container.listener.is_some() && !served_taken {
                    served_taken = true;
                    let requests = self.served_requests_between(&pod_key, from, at) as u64;
                    cpu += requests.saturating_mul(profile.cpu_micros_per_request)
                        / window_millis.max(1);
                }
                let limit = container.spec["resources"]["limits"]["cpu"]
                    .as_str()
                    .map(str::to_string)
                    .or_else(|| {
                        container.spec["resources"]["limits"]["cpu"]
                            .as_f64()
                            .map(|n| n.to_string())
                    })
                    .and_then(|q| model::quantity::Quantity::parse(&q).ok())
                    .map(|q| (q.nanos() / 1_000_000).max(0) as u64)
                    .unwrap_or(NODE_CPU_MILLICORES);
                let memory = profile.memory_bytes + (sample >> 8) % (256 * 1024);
                containers.push(MeasuredContainer {
                    name: container.name.clone(),
                    cpu_millicores: cpu.min(limit),
                    memory_bytes: memory,
                });
            }
            if containers.is_empty() {
                continue;
            }
            measured.push(MeasuredPod {
                namespace: pod.namespace.clone(),
                name: pod.name.clone(),
                node: pod.node.clone(),
                containers,
            });
        }
        measured.sort_stable_by(|a, b| (&a.namespace, &a.name).cmp(&(&b.namespace, &b.name)));
        measured
    }
}
