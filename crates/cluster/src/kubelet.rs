//! The kubelet, first slice: a pod bound to a node gets its sandbox (pod IP from the node's
//! CIDR), pulls each container's image (or finds it already present), creates and starts the
//! containers one after another, then reports Running and Ready — with the kubelet's events
//! (`Pulling`, `Pulled`, `Created`, `Started`) at the simulated times they happen.
//!
//! The reconcile is level-triggered: a pod's status is a pure function of the time since the
//! kubelet first saw it; `next_wakeup` tells the clock when the next step is due. Container
//! programs (exits, crashes, probes, logs) arrive with the runtime module; until then every
//! container keeps running once started.

use std::collections::{BTreeMap, BTreeSet};

use model::Object;
use serde_json::{json, Value};

use crate::events::{EventSource, EventType};
use crate::scheduler::set_condition;
use crate::{Cluster, SimTime};

/// How long the sandbox (network namespace, pause container) takes.
const SANDBOX_MILLIS: u64 = 800;
/// Creating and starting a container once its image is there.
const START_MILLIS: u64 = 300;

/// The kubelet's memory of one pod.
#[derive(Debug, Clone)]
pub(crate) struct KubeletPod {
    seen_at: SimTime,
    node: String,
    pod_ip: Option<String>,
    steps: Vec<Step>,
    /// How many steps have been reported (events recorded).
    reported: usize,
}

#[derive(Debug, Clone)]
struct Step {
    at: SimTime,
    kind: StepKind,
    container: usize,
}

#[derive(Debug, Clone, PartialEq)]
enum StepKind {
    Sandbox,
    Pulling {
        image: String,
    },
    Pulled {
        image: String,
        millis: u64,
        bytes: u64,
    },
    AlreadyPresent {
        image: String,
    },
    Started {
        name: String,
    },
}

/// The kubelet's state across all nodes: pods it runs, images each node has, pod IPs handed out.
#[derive(Debug, Clone, Default)]
pub(crate) struct KubeletState {
    pods: BTreeMap<String, KubeletPod>,
    images: BTreeSet<(String, String)>,
    next_host: BTreeMap<String, u32>,
}

fn fnv(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

/// A believable image size and pull time, the same for the same image every time.
fn pull_profile(image: &str) -> (u64, u64) {
    let hash = fnv(image);
    let megabytes = 20 + hash % 100;
    let bytes = megabytes * 1_000_000 + hash % 999_983;
    (bytes, 500 + megabytes * 20 + hash % 97)
}

/// Go's duration format for what the kubelet prints: `812ms`, `1.5s`, `2.104s`.
fn go_duration(millis: u64) -> String {
    if millis < 1000 {
        return format!("{millis}ms");
    }
    let text = format!("{}.{:03}", millis / 1000, millis % 1000);
    format!("{}s", text.trim_end_matches('0').trim_end_matches('.'))
}

/// `nginx` → `docker.io/library/nginx:latest`, as container statuses name images.
fn full_image_name(image: &str) -> String {
    let (name, tag) = match image.rsplit_once(':') {
        Some((n, t)) if !t.contains('/') => (n.to_string(), t.to_string()),
        _ => (image.to_string(), "latest".to_string()),
    };
    let first = name.split('/').next().unwrap_or("");
    let with_registry = if name.contains('/')
        && (first.contains('.') || first.contains(':') || first == "localhost")
    {
        name
    } else if name.contains('/') {
        format!("docker.io/{name}")
    } else {
        format!("docker.io/library/{name}")
    };
    format!("{with_registry}:{tag}")
}

impl Cluster {
    /// Brings every bound pod's status up to the current time.
    pub(crate) fn run_kubelet(&mut self) {
        let now = self.now();
        let pods = self.list(model::registry::resolve("pods").expect("registered"), None);
        let live: BTreeSet<String> = pods
            .iter()
            .filter_map(|p| p.metadata().uid.clone())
            .collect();
        self.kubelet.pods.retain(|uid, _| live.contains(uid));
        for pod in pods {
            let value = pod.to_json_value();
            let Some(node) = value["spec"]["nodeName"].as_str().map(str::to_string) else {
                continue;
            };
            let uid = value["metadata"]["uid"].as_str().unwrap_or("").to_string();
            if !self.kubelet.pods.contains_key(&uid) {
                let plan = self.plan_pod(&value, &node, now);
                self.kubelet.pods.insert(uid.clone(), plan);
            }
            self.report_pod(&pod, &value, &uid, now);
        }
    }

    fn plan_pod(&mut self, pod: &Value, node: &str, now: SimTime) -> KubeletPod {
        let mut steps = vec![Step {
            at: SimTime(now.0 + SANDBOX_MILLIS),
            kind: StepKind::Sandbox,
            container: 0,
        }];
        let mut t = now.0 + SANDBOX_MILLIS;
        let containers: Vec<&Value> = pod["spec"]["initContainers"]
            .as_array()
            .into_iter()
            .flatten()
            .chain(pod["spec"]["containers"].as_array().into_iter().flatten())
            .collect();
        let mut pulled_here: BTreeSet<String> = BTreeSet::new();
        for (index, container) in containers.iter().enumerate() {
            let image = container["image"].as_str().unwrap_or("").to_string();
            let policy = container["imagePullPolicy"]
                .as_str()
                .unwrap_or("IfNotPresent");
            let present = self
                .kubelet
                .images
                .contains(&(node.to_string(), image.clone()))
                || pulled_here.contains(&image);
            if present && policy != "Always" {
                steps.push(Step {
                    at: SimTime(t),
                    kind: StepKind::AlreadyPresent {
                        image: image.clone(),
                    },
                    container: index,
                });
            } else {
                let (bytes, millis) = pull_profile(&image);
                steps.push(Step {
                    at: SimTime(t),
                    kind: StepKind::Pulling {
                        image: image.clone(),
                    },
                    container: index,
                });
                t += millis;
                steps.push(Step {
                    at: SimTime(t),
                    kind: StepKind::Pulled {
                        image: image.clone(),
                        millis,
                        bytes,
                    },
                    container: index,
                });
            }
            pulled_here.insert(image);
            t += START_MILLIS;
            let name = container["name"].as_str().unwrap_or("").to_string();
            steps.push(Step {
                at: SimTime(t),
                kind: StepKind::Started { name },
                container: index,
            });
        }
        KubeletPod {
            seen_at: now,
            node: node.to_string(),
            pod_ip: None,
            steps,
            reported: 0,
        }
    }

    fn report_pod(&mut self, pod: &Object, value: &Value, uid: &str, now: SimTime) {
        let Some(mut state) = self.kubelet.pods.get(uid).cloned() else {
            return;
        };
        let source = EventSource {
            component: "kubelet".into(),
            host: Some(state.node.clone()),
        };
        let mut changed = false;
        while state.reported < state.steps.len() && state.steps[state.reported].at <= now {
            let step = state.steps[state.reported].clone();
            match &step.kind {
                StepKind::Sandbox => {
                    let index = self.node_index(&state.node);
                    let host = self
                        .kubelet
                        .next_host
                        .entry(state.node.clone())
                        .or_insert(2);
                    state.pod_ip = Some(format!("10.244.{index}.{host}"));
                    *host += 1;
                }
                StepKind::Pulling { image } => {
                    let _ = self.record_event(
                        pod,
                        EventType::Normal,
                        "Pulling",
                        &format!("Pulling image \"{image}\""),
                        &source,
                    );
                }
                StepKind::Pulled {
                    image,
                    millis,
                    bytes,
                } => {
                    self.kubelet
                        .images
                        .insert((state.node.clone(), image.clone()));
                    let d = go_duration(*millis);
                    let message = format!("Successfully pulled image \"{image}\" in {d} ({d} including waiting). Image size: {bytes} bytes.");
                    let _ = self.record_event(pod, EventType::Normal, "Pulled", &message, &source);
                }
                StepKind::AlreadyPresent { image } => {
                    let message = format!("Container image \"{image}\" already present on machine");
                    let _ = self.record_event(pod, EventType::Normal, "Pulled", &message, &source);
                }
                StepKind::Started { name } => {
                    let _ = self.record_event(
                        pod,
                        EventType::Normal,
                        "Created",
                        &format!("Created container: {name}"),
                        &source,
                    );
                    let _ = self.record_event(
                        pod,
                        EventType::Normal,
                        "Started",
                        &format!("Started container {name}"),
                        &source,
                    );
                }
            }
            state.reported += 1;
            changed = true;
        }
        let first_report = value["status"]["hostIP"].is_null();
        self.kubelet.pods.insert(uid.to_string(), state.clone());
        if !changed && !first_report {
            return;
        }
        // Re-read: the events above do not touch the pod, but stay on the stored version.
        let current = self
            .get(pod.resource_type(), pod.namespace(), pod.name())
            .map(|p| p.to_json_value())
            .unwrap_or_else(|_| value.clone());
        let status = self.pod_status(&current, &state, now);
        let mut updated = current.clone();
        updated["status"] = status;
        if updated != current {
            if let Ok(object) = Object::from_json_value(updated) {
                self.api.write_internal(object);
            }
        }
    }

    fn node_index(&self, node: &str) -> usize {
        let nodes = self.list(model::registry::resolve("nodes").expect("registered"), None);
        nodes
            .iter()
            .find(|n| n.name() == node)
            .and_then(|n| {
                n.to_json_value()["spec"]["podCIDR"]
                    .as_str()
                    .and_then(|c| c.split('.').nth(2))
                    .and_then(|i| i.parse().ok())
            })
            .unwrap_or(0)
    }

    fn pod_status(&self, pod: &Value, state: &KubeletPod, now: SimTime) -> Value {
        let mut status = pod["status"].clone();
        let timestamp = |t: SimTime| serde_json::to_value(t.to_k8s_time()).unwrap_or_default();
        let node_ip = {
            let nodes = self.list(model::registry::resolve("nodes").expect("registered"), None);
            nodes
                .iter()
                .find(|n| n.name() == state.node)
                .and_then(|n| {
                    n.to_json_value()["status"]["addresses"]
                        .as_array()
                        .and_then(|a| a.iter().find(|x| x["type"] == "InternalIP").cloned())
                })
                .and_then(|a| a["address"].as_str().map(str::to_string))
                .unwrap_or_default()
        };
        status["hostIP"] = json!(node_ip);
        status["hostIPs"] = json!([{ "ip": node_ip }]);
        status["startTime"] = timestamp(state.seen_at);
        if let Some(ip) = &state.pod_ip {
            status["podIP"] = json!(ip);
            status["podIPs"] = json!([{ "ip": ip }]);
        }
        let init_count = pod["spec"]["initContainers"].as_array().map_or(0, Vec::len);
        let started: BTreeMap<usize, SimTime> = state
            .steps
            .iter()
            .take(state.reported)
            .filter(|s| matches!(s.kind, StepKind::Started { .. }))
            .map(|s| (s.container, s.at))
            .collect();
        let pulled: BTreeSet<usize> = state
            .steps
            .iter()
            .take(state.reported)
            .filter(|s| {
                matches!(
                    s.kind,
                    StepKind::Pulled { .. } | StepKind::AlreadyPresent { .. }
                )
            })
            .map(|s| s.container)
            .collect();
        let initialized_before = (0..init_count).all(|i| started.contains_key(&i));
        let container_status = |index: usize, container: &Value, init: bool| -> Value {
            let name = container["name"].as_str().unwrap_or("");
            let image = container["image"].as_str().unwrap_or("");
            let full = full_image_name(image);
            let mut s = json!({ "name": name, "image": full, "imageID": "", "ready": false, "restartCount": 0, "started": false });
            if pulled.contains(&index) {
                s["imageID"] = json!(format!(
                    "{}@sha256:{:016x}{:016x}{:016x}{:016x}",
                    full.rsplit_once(':').map_or(full.as_str(), |(n, _)| n),
                    fnv(image),
                    fnv(&full),
                    fnv(name),
                    fnv("digest")
                ));
            }
            match started.get(&index) {
                Some(at) if init => {
                    s["containerID"] = json!(format!(
                        "containerd://{:016x}{:016x}{:016x}{:016x}",
                        fnv(name),
                        fnv(&state.node),
                        fnv(&at.0.to_string()),
                        fnv(image)
                    ));
                    s["state"] = json!({ "terminated": { "exitCode": 0, "reason": "Completed", "startedAt": timestamp(*at), "finishedAt": timestamp(*at), "containerID": s["containerID"].clone() } });
                    s["ready"] = json!(true);
                }
                Some(at) => {
                    s["containerID"] = json!(format!(
                        "containerd://{:016x}{:016x}{:016x}{:016x}",
                        fnv(name),
                        fnv(&state.node),
                        fnv(&at.0.to_string()),
                        fnv(image)
                    ));
                    s["state"] = json!({ "running": { "startedAt": timestamp(*at) } });
                    s["ready"] = json!(true);
                    s["started"] = json!(true);
                }
                None => {
                    // Init containers not yet run wait as PodInitializing (the STATUS column shows
                    // Init:i/n); app containers wait for the init containers, then are created.
                    let reason = if init || !initialized_before {
                        "PodInitializing"
                    } else {
                        "ContainerCreating"
                    };
                    s["state"] = json!({ "waiting": { "reason": reason } });
                }
            }
            s
        };
        let init_containers: Vec<&Value> = pod["spec"]["initContainers"]
            .as_array()
            .into_iter()
            .flatten()
            .collect();
        let containers: Vec<&Value> = pod["spec"]["containers"]
            .as_array()
            .into_iter()
            .flatten()
            .collect();
        if !init_containers.is_empty() {
            status["initContainerStatuses"] = json!(init_containers
                .iter()
                .enumerate()
                .map(|(i, c)| container_status(i, c, true))
                .collect::<Vec<_>>());
        }
        status["containerStatuses"] = json!(containers
            .iter()
            .enumerate()
            .map(|(i, c)| container_status(init_count + i, c, false))
            .collect::<Vec<_>>());
        let all_started = (0..init_count + containers.len()).all(|i| started.contains_key(&i));
        let initialized = (0..init_count).all(|i| started.contains_key(&i));
        let sandbox_ready = state.pod_ip.is_some();
        let unready: Vec<&str> = containers
            .iter()
            .enumerate()
            .filter(|(i, _)| !started.contains_key(&(init_count + i)))
            .filter_map(|(_, c)| c["name"].as_str())
            .collect();
        let mut value = json!({ "status": status });
        let now_ts = timestamp(now);
        set_condition(
            &mut value,
            "PodReadyToStartContainers",
            if sandbox_ready { "True" } else { "False" },
            None,
            None,
            &now_ts,
        );
        if initialized {
            set_condition(&mut value, "Initialized", "True", None, None, &now_ts);
        } else {
            let pending: Vec<&str> = init_containers
                .iter()
                .enumerate()
                .filter(|(i, _)| !started.contains_key(i))
                .filter_map(|(_, c)| c["name"].as_str())
                .collect();
            set_condition(
                &mut value,
                "Initialized",
                "False",
                Some("ContainersNotInitialized"),
                Some(&format!(
                    "containers with incomplete status: [{}]",
                    pending.join(" ")
                )),
                &now_ts,
            );
        }
        if all_started {
            set_condition(&mut value, "Ready", "True", None, None, &now_ts);
            set_condition(&mut value, "ContainersReady", "True", None, None, &now_ts);
        } else {
            let message = format!("containers with unready status: [{}]", unready.join(" "));
            set_condition(
                &mut value,
                "Ready",
                "False",
                Some("ContainersNotReady"),
                Some(&message),
                &now_ts,
            );
            set_condition(
                &mut value,
                "ContainersReady",
                "False",
                Some("ContainersNotReady"),
                Some(&message),
                &now_ts,
            );
        }
        let mut status = value["status"].take();
        status["phase"] = json!(if all_started { "Running" } else { "Pending" });
        // Conditions in the order the kubelet lists them.
        if let Some(conditions) = status["conditions"].as_array_mut() {
            let order = [
                "PodReadyToStartContainers",
                "Initialized",
                "Ready",
                "ContainersReady",
                "PodScheduled",
            ];
            conditions.sort_by_key(|c| {
                order
                    .iter()
                    .position(|o| c["type"] == *o)
                    .unwrap_or(order.len())
            });
        }
        status
    }

    /// When the kubelet next has something to do (a step of some pod), if ever.
    pub(crate) fn kubelet_next_wakeup(&self) -> Option<SimTime> {
        self.kubelet
            .pods
            .values()
            .filter_map(|p| p.steps.get(p.reported).map(|s| s.at))
            .min()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_and_image_names_read_like_the_kubelet() {
        assert_eq!(go_duration(812), "812ms");
        assert_eq!(go_duration(1500), "1.5s");
        assert_eq!(go_duration(2104), "2.104s");
        assert_eq!(go_duration(2000), "2s");
        assert_eq!(full_image_name("nginx"), "docker.io/library/nginx:latest");
        assert_eq!(
            full_image_name("nginx:1.27"),
            "docker.io/library/nginx:1.27"
        );
        assert_eq!(
            full_image_name("registry.k8s.io/echoserver:1.4"),
            "registry.k8s.io/echoserver:1.4"
        );
        assert_eq!(
            full_image_name("bitnami/redis"),
            "docker.io/bitnami/redis:latest"
        );
    }
}
