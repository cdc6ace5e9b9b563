//! The kubelet: a pod bound to a node gets its sandbox (pod IP from the node's CIDR), then each
//! container in turn has its image pulled from the simulated registry (or found on the node),
//! is created and started, and runs its program from [`crate::runtime`] on the simulated clock.
//!
//! What follows is upstream's lifecycle: init containers one after another (each must exit 0),
//! app containers started in order; exits give terminated states (`Completed` / `Error` /
//! `StartError`), restarts follow `restartPolicy` with the crash back-off (10 s doubling to
//! 5 min, forgotten after 10 min of running) and `CrashLoopBackOff`; failed pulls give
//! `ErrImagePull` then `ImagePullBackOff` with the same back-off; unparsable names give
//! `InvalidImageName`; a missing ConfigMap/Secret key gives `CreateContainerConfigError`. The
//! pod's phase (Pending/Running/Succeeded/Failed) and conditions follow the containers, and the
//! events carry upstream's reasons and messages at the simulated instants they happen.
//!
//! Each container has at most one pending action with a due time; `run_kubelet` performs every
//! due action in time order and writes the pod status when something changed;
//! `kubelet_next_wakeup` tells the clock when the next action is due. Container programs run
//! ahead of the clock in slices of [`LOOKAHEAD_MILLIS`], so the kubelet knows when they exit.

use std::collections::{BTreeMap, BTreeSet};

use model::Object;
use serde_json::{json, Value};

use crate::events::{EventSource, EventType};
use crate::runtime::catalog;
use crate::runtime::probe::{self, ProbeAction};
use crate::runtime::programs::{self, ContainerLaunch, Listener, Program};
use crate::runtime::{Process, ProcessEnvironment, ProcessState};
use crate::scheduler::set_condition;
use crate::{ApiError, Cluster, SimTime};

/// How long the sandbox (network namespace, pause container) takes.
const SANDBOX_MILLIS: u64 = 800;
/// Creating and starting a container once its image is there.
const START_MILLIS: u64 = 300;
/// How far ahead of the clock container programs are simulated.
const LOOKAHEAD_MILLIS: u64 = 600_000;
/// The kubelet notices an exited container at its next relist (PLEG, every second).
const RELIST_MILLIS: u64 = 1_000;
/// The pod worker's retry period after an error (ErrImagePull → ImagePullBackOff, config errors).
const RETRY_MILLIS: u64 = 10_000;
/// Back-off: first delay, cap, and how long a container must run for its back-off to reset.
const BACKOFF_INITIAL_MILLIS: u64 = 10_000;
const BACKOFF_MAX_MILLIS: u64 = 300_000;
const BACKOFF_RESET_MILLIS: u64 = 2 * BACKOFF_MAX_MILLIS;
/// How the kubelet's volume-mount failures begin (`FailedMount` events).
const MOUNT_FAILURE: &str = "MountVolume.SetUp failed for volume";
/// The most actions one pod performs in one sync (a guard: real pods need a handful).
const MAX_ACTIONS_PER_SYNC: usize = 10_000;

/// A container's terminated state.
#[derive(Debug, Clone, PartialEq)]
struct Terminated {
    exit_code: i32,
    reason: String,
    message: Option<String>,
    started_at: SimTime,
    finished_at: SimTime,
    container_id: String,
}

#[derive(Debug, Clone, PartialEq)]
enum ContainerState {
    Waiting {
        reason: String,
        message: Option<String>,
    },
    Running {
        started_at: SimTime,
    },
    Terminated(Terminated),
}

/// What the kubelet will do next for one container.
#[derive(Debug, Clone, PartialEq)]
enum Action {
    /// Make sure the image is there (pull it or find it), then start.
    EnsureImage,
    /// A pull that started earlier finishes.
    PullFinished { ok: bool, millis: u64, bytes: u64 },
    /// After a failed pull: enter ImagePullBackOff, retry after the back-off.
    EnterPullBackOff,
    /// Create and start the container.
    Start,
    /// Run the program further ahead of the clock.
    Extend,
    /// The program exited (its exit is known ahead of time).
    Exited { code: i32 },
    /// After an exit that is in back-off: enter CrashLoopBackOff.
    EnterCrashLoop { delay: u64 },
    /// Start the container again.
    Restart,
}

/// Exponential back-off as the kubelet's `flowcontrol.Backoff`.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Backoff {
    delay: u64,
    last_update: SimTime,
}

impl Backoff {
    fn next(previous: Option<Backoff>, now: SimTime) -> Backoff {
        let delay = match previous {
            Some(b) if now.since(b.last_update).0 <= BACKOFF_RESET_MILLIS => {
                (b.delay * 2).min(BACKOFF_MAX_MILLIS)
            }
            _ => BACKOFF_INITIAL_MILLIS,
        };
        Backoff {
            delay,
            last_update: now,
        }
    }
}

#[derive(Debug, Clone)]
struct ContainerRun {
    name: String,
    image: String,
    pull_policy: String,
    init: bool,
    sidecar: bool,
    spec: Value,
    restart_count: u32,
    state: ContainerState,
    last_terminated: Option<Terminated>,
    process: Option<Process>,
    previous_log: Option<Vec<(SimTime, String)>>,
    crash_backoff: Option<Backoff>,
    pull_backoff: Option<Backoff>,
    pulled: bool,
    action: Option<(SimTime, Action)>,
    /// When a crash-looping container is started again.
    restart_at: Option<SimTime>,
    /// What the running program listens on, how it takes SIGTERM, its environment.
    listener: Option<Listener>,
    sigterm_exit: Option<i32>,
    environment: Vec<(String, String)>,
    /// Probes of the running instance; whether its startup probe passed and it is ready.
    probes: Vec<ProbeRun>,
    started_ok: bool,
    ready: bool,
    /// The running instance will be OOM-killed (it wants more memory than its limit).
    oom_kill: bool,
    /// The running instance is being replaced because its spec changed.
    spec_changed: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ProbeKind {
    Startup,
    Liveness,
    Readiness,
}

impl ProbeKind {
    fn title(self) -> &'static str {
        match self {
            ProbeKind::Startup => "Startup",
            ProbeKind::Liveness => "Liveness",
            ProbeKind::Readiness => "Readiness",
        }
    }
}

/// One probe of a running container and its counters.
#[derive(Debug, Clone)]
struct ProbeRun {
    kind: ProbeKind,
    action: ProbeAction,
    period_millis: u64,
    timeout_millis: u64,
    success_threshold: u32,
    failure_threshold: u32,
    successes: u32,
    failures: u32,
    next_at: Option<SimTime>,
}

/// The probes of a container spec, first due `initialDelaySeconds` after `started`.
fn probes_of(spec: &Value, started: SimTime) -> Vec<ProbeRun> {
    let ports: Vec<(String, u16)> = spec["ports"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|p| {
            Some((
                p["name"].as_str().unwrap_or("").to_string(),
                p["containerPort"].as_u64()? as u16,
            ))
        })
        .collect();
    let port_of = |value: &Value| -> u16 {
        match value {
            Value::Number(n) => n.as_u64().unwrap_or(0) as u16,
            Value::String(name) => ports
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, p)| *p)
                .or_else(|| name.parse().ok())
                .unwrap_or(0),
            _ => 0,
        }
    };
    let mut probes = Vec::new();
    for (key, kind) in [
        ("startupProbe", ProbeKind::Startup),
        ("livenessProbe", ProbeKind::Liveness),
        ("readinessProbe", ProbeKind::Readiness),
    ] {
        let probe = &spec[key];
        if !probe.is_object() {
            continue;
        }
        let action = if probe["exec"].is_object() {
            ProbeAction::Exec(string_list(&probe["exec"]["command"]))
        } else if probe["httpGet"].is_object() {
            ProbeAction::Http {
                port: port_of(&probe["httpGet"]["port"]),
                path: probe["httpGet"]["path"].as_str().unwrap_or("/").to_string(),
                scheme: probe["httpGet"]["scheme"]
                    .as_str()
                    .unwrap_or("HTTP")
                    .to_string(),
            }
        } else if probe["tcpSocket"].is_object() {
            ProbeAction::Tcp {
                port: port_of(&probe["tcpSocket"]["port"]),
            }
        } else if probe["grpc"].is_object() {
            ProbeAction::Grpc {
                port: port_of(&probe["grpc"]["port"]),
            }
        } else {
            continue;
        };
        let seconds = |field: &str, default: u64| probe[field].as_u64().unwrap_or(default);
        probes.push(ProbeRun {
            kind,
            action,
            period_millis: seconds("periodSeconds", 10).clamp(1, 86_400) * 1000,
            timeout_millis: seconds("timeoutSeconds", 1).clamp(1, 86_400) * 1000,
            success_threshold: seconds("successThreshold", 1).max(1) as u32,
            failure_threshold: seconds("failureThreshold", 3).max(1) as u32,
            successes: 0,
            failures: 0,
            next_at: Some(SimTime(started.0.saturating_add(
                seconds("initialDelaySeconds", 0).min(1 << 40) * 1000,
            ))),
        });
    }
    probes
}

/// The kubelet's memory of one pod.
#[derive(Debug, Clone)]
pub(crate) struct KubeletPod {
    seen_at: SimTime,
    node: String,
    pod_ip: Option<String>,
    sandbox_at: Option<SimTime>,
    restart_policy: String,
    containers: Vec<ContainerRun>,
    init_count: usize,
    /// The pod is being deleted: containers are being stopped, nothing restarts.
    terminating: bool,
    /// The pod's generation when the kubelet last looked at its spec.
    generation: i64,
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

/// Go's duration format for what the kubelet prints: `812ms`, `1.5s`, `2.104s`, `5m0s`.
fn go_duration(millis: u64) -> String {
    if millis < 1000 {
        return format!("{millis}ms");
    }
    if millis >= 60_000 && millis.is_multiple_of(1000) {
        let seconds = millis / 1000;
        return format!("{}m{}s", seconds / 60, seconds % 60);
    }
    let text = format!("{}.{:03}", millis / 1000, millis % 1000);
    format!("{}s", text.trim_end_matches('0').trim_end_matches('.'))
}

/// `nginx` → `docker.io/library/nginx:latest`, as container statuses name images.
fn full_image_name(image: &str) -> String {
    match catalog::parse_reference(image) {
        Ok(reference) => reference.full_name(),
        Err(_) => image.to_string(),
    }
}

/// A 64-hex-digit id (container ids, image digests) that looks random but is a pure function
/// of `parts` (FNV-1a, then SplitMix64 to spread the bits).
fn hex_id(parts: &[&str]) -> String {
    let mut state = fnv(&parts.join("/"));
    let mut text = String::with_capacity(64);
    for _ in 0..4 {
        state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        text.push_str(&format!("{:016x}", z ^ (z >> 31)));
    }
    text
}

/// Decodes standard base64 (Secret data); `None` if it is not base64.
fn decode_base64(text: &str) -> Option<String> {
    let mut bits = 0u32;
    let mut count = 0;
    let mut bytes = Vec::new();
    for c in text
        .bytes()
        .filter(|c| *c != b'=' && !c.is_ascii_whitespace())
    {
        let value = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        };
        bits = (bits << 6) | u32::from(value);
        count += 6;
        if count >= 8 {
            count -= 8;
            bytes.push((bits >> count) as u8);
            bits &= (1 << count) - 1;
        }
    }
    String::from_utf8(bytes).ok()
}

/// Where a pod's log request ends up: the lines, or the kubelet's refusal.
pub type LogLines = Vec<(SimTime, String)>;

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
            // Skip (cheaply, without rendering JSON) pods that have nothing due now.
            let uid = pod.metadata().uid.clone().unwrap_or_default();
            if let Some(state) = self.kubelet.pods.get(&uid) {
                let deleting = pod.metadata().deletion_timestamp.is_some();
                let due = state.next_due().is_some_and(|t| t <= now);
                let spec_changed = pod.metadata().generation.unwrap_or(0) != state.generation;
                if !due && !spec_changed && (state.terminating || !deleting) {
                    continue;
                }
            } else if let Object::Pod(typed) = &*pod {
                let bound = typed
                    .spec
                    .as_ref()
                    .and_then(|s| s.node_name.as_deref())
                    .is_some_and(|n| !n.is_empty());
                if !bound {
                    continue;
                }
            }
            let value = pod.to_json_value();
            let Some(node) = value["spec"]["nodeName"].as_str().map(str::to_string) else {
                continue;
            };
            let uid = value["metadata"]["uid"].as_str().unwrap_or("").to_string();
            let first_report = !self.kubelet.pods.contains_key(&uid);
            if first_report {
                let plan = new_pod(&value, &node, now);
                self.kubelet.pods.insert(uid.clone(), plan);
            }
            self.sync_pod(&pod, &value, &uid, now, first_report);
        }
    }

    fn sync_pod(&mut self, pod: &Object, value: &Value, uid: &str, now: SimTime, first: bool) {
        let Some(mut state) = self.kubelet.pods.remove(uid) else {
            return;
        };
        let source = EventSource {
            component: "kubelet".into(),
            host: Some(state.node.clone()),
        };
        let mut changed = first;
        let generation = value["metadata"]["generation"].as_i64().unwrap_or(0);
        if generation != state.generation {
            state.generation = generation;
            changed |= self.apply_spec_changes(pod, value, &mut state, now, &source);
        }
        if !state.terminating && !value["metadata"]["deletionTimestamp"].is_null() {
            self.start_termination(pod, value, &mut state, now, &source);
            changed = true;
        }
        for _ in 0..MAX_ACTIONS_PER_SYNC {
            // The sandbox comes first (unless the pod is already going).
            if state.terminating {
                state.sandbox_at = None;
            }
            if let Some(at) = state.sandbox_at.filter(|at| *at <= now) {
                state.sandbox_at = None;
                let index = self.node_index(&state.node);
                let host = self
                    .kubelet
                    .next_host
                    .entry(state.node.clone())
                    .or_insert(2);
                state.pod_ip = Some(format!("10.244.{index}.{host}"));
                *host += 1;
                if let Some(first) = state.containers.first_mut() {
                    first.action = Some((at, Action::EnsureImage));
                }
                changed = true;
                continue;
            }
            // The earliest due action or probe (an action first at the same instant).
            let due = state
                .containers
                .iter()
                .enumerate()
                .flat_map(|(i, c)| {
                    c.action
                        .as_ref()
                        .map(|(t, _)| (*t, 0, i))
                        .into_iter()
                        .chain(c.next_probe_at().map(|t| (t, 1, i)))
                })
                .filter(|(t, _, _)| *t <= now)
                .min();
            let Some((at, kind, index)) = due else {
                break;
            };
            if kind == 1 {
                changed |= self.run_probes(pod, &mut state, index, at, &source);
                continue;
            }
            let Some((_, action)) = state.containers[index].action.take() else {
                break;
            };
            self.perform(pod, value, &mut state, index, at, action, &source);
            changed = true;
        }
        if state.terminating && state.containers.iter().all(ContainerRun::stopped) {
            // Every container has stopped: the kubelet deletes the pod for good.
            let _ = self.api.delete(
                pod.resource_type(),
                pod.namespace(),
                pod.name(),
                crate::Propagation::Background,
                now,
            );
            return;
        }
        if !changed {
            self.kubelet.pods.insert(uid.to_string(), state);
            return;
        }
        // Re-read: the events above do not touch the pod, but stay on the stored version.
        let current = self
            .get(pod.resource_type(), pod.namespace(), pod.name())
            .map(|p| p.to_json_value())
            .unwrap_or_else(|_| value.clone());
        let status = self.pod_status(&current, &state, now);
        self.kubelet.pods.insert(uid.to_string(), state);
        let mut updated = current.clone();
        updated["status"] = status;
        if updated != current {
            if let Ok(object) = Object::from_json_value(updated) {
                self.api.write_internal(object);
            }
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn perform(
        &mut self,
        pod: &Object,
        value: &Value,
        state: &mut KubeletPod,
        index: usize,
        at: SimTime,
        action: Action,
        source: &EventSource,
    ) {
        let event = |cluster: &mut Cluster, kind: EventType, reason: &str, message: &str| {
            let _ = cluster.record_event(pod, kind, reason, message, source);
        };
        let pod_label = format!(
            "{}_{}({})",
            pod.name(),
            pod.namespace(),
            pod.metadata().uid.clone().unwrap_or_default()
        );
        match action {
            Action::EnsureImage | Action::Restart => {
                if action == Action::Restart {
                    let container = &mut state.containers[index];
                    // The instance that ended becomes the last state when the next one is made.
                    if let ContainerState::Terminated(t) = &container.state {
                        container.last_terminated = Some(t.clone());
                    }
                    container.restart_count += 1;
                    container.crash_backoff = Some(Backoff::next(container.crash_backoff, at));
                    container.previous_log = container
                        .process
                        .take()
                        .map(|p| p.lines_until(at).cloned().collect::<Vec<_>>());
                }
                let container = &mut state.containers[index];
                let image = container.image.clone();
                let reference = match catalog::parse_reference(&image) {
                    Ok(r) => r,
                    Err(reason) => {
                        let message = format!("Failed to apply default image tag \"{image}\": couldn't parse image name \"{image}\": {reason}");
                        container.state = ContainerState::Waiting {
                            reason: "InvalidImageName".into(),
                            message: Some(message.clone()),
                        };
                        event(self, EventType::Warning, "InspectFailed", &message);
                        event(
                            self,
                            EventType::Warning,
                            "Failed",
                            "Error: InvalidImageName",
                        );
                        self.start_next_after_failure(state, index, at);
                        return;
                    }
                };
                let present = self
                    .kubelet
                    .images
                    .contains(&(state.node.clone(), image.clone()));
                let container = &mut state.containers[index];
                if present && container.pull_policy != "Always" {
                    container.pulled = true;
                    container.action = Some((SimTime(at.0 + START_MILLIS), Action::Start));
                    event(
                        self,
                        EventType::Normal,
                        "Pulled",
                        &format!("Container image \"{image}\" already present on machine"),
                    );
                } else if container.pull_policy == "Never" {
                    let message = format!(
                        "Container image \"{image}\" is not present with pull policy of Never"
                    );
                    container.state = ContainerState::Waiting {
                        reason: "ErrImageNeverPull".into(),
                        message: Some(message.clone()),
                    };
                    event(self, EventType::Warning, "ErrImageNeverPull", &message);
                    event(
                        self,
                        EventType::Warning,
                        "Failed",
                        "Error: ErrImageNeverPull",
                    );
                    self.start_next_after_failure(state, index, at);
                } else {
                    let ok = catalog::pull(&reference).is_ok();
                    let (bytes, millis) = pull_profile(&image);
                    // A failure answers fast; a re-pull of layers the node has is quick.
                    let millis = if !ok {
                        300 + millis % 900
                    } else if present {
                        150 + millis % 350
                    } else {
                        millis
                    };
                    container.action = Some((
                        SimTime(at.0 + millis),
                        Action::PullFinished { ok, millis, bytes },
                    ));
                    event(
                        self,
                        EventType::Normal,
                        "Pulling",
                        &format!("Pulling image \"{image}\""),
                    );
                }
            }
            Action::PullFinished { ok, millis, bytes } => {
                let container = &mut state.containers[index];
                let image = container.image.clone();
                if ok {
                    container.pulled = true;
                    container.pull_backoff = None;
                    container.action = Some((SimTime(at.0 + START_MILLIS), Action::Start));
                    self.kubelet
                        .images
                        .insert((state.node.clone(), image.clone()));
                    let d = go_duration(millis);
                    let message = format!("Successfully pulled image \"{image}\" in {d} ({d} including waiting). Image size: {bytes} bytes.");
                    event(self, EventType::Normal, "Pulled", &message);
                } else {
                    let failure = catalog::parse_reference(&image)
                        .map(|r| {
                            let f = catalog::pull(&r)
                                .err()
                                .unwrap_or(catalog::PullFailure::NotFound);
                            catalog::pull_failure_message(&image, &r, &f)
                        })
                        .unwrap_or_default();
                    let detail = failure
                        .split_once("\": ")
                        .map(|(_, d)| d.to_string())
                        .unwrap_or_default();
                    container.state = ContainerState::Waiting {
                        reason: "ErrImagePull".into(),
                        message: Some(detail),
                    };
                    container.pull_backoff = Some(Backoff::next(container.pull_backoff, at));
                    container.action =
                        Some((SimTime(at.0 + RETRY_MILLIS), Action::EnterPullBackOff));
                    event(self, EventType::Warning, "Failed", &failure);
                    event(self, EventType::Warning, "Failed", "Error: ErrImagePull");
                    self.start_next_after_failure(state, index, at);
                }
            }
            Action::EnterPullBackOff => {
                let container = &mut state.containers[index];
                let image = container.image.clone();
                let detail = match &container.state {
                    ContainerState::Waiting { message, .. } => message.clone().unwrap_or_default(),
                    _ => String::new(),
                };
                let detail = detail
                    .strip_prefix("Back-off pulling image ")
                    .map(|_| detail.clone())
                    .unwrap_or_else(|| {
                        format!("Back-off pulling image \"{image}\": ErrImagePull: {detail}")
                    });
                container.state = ContainerState::Waiting {
                    reason: "ImagePullBackOff".into(),
                    message: Some(detail),
                };
                let delay = container
                    .pull_backoff
                    .map_or(BACKOFF_INITIAL_MILLIS, |b| b.delay);
                container.action = Some((SimTime(at.0 + delay), Action::EnsureImage));
                event(
                    self,
                    EventType::Normal,
                    "BackOff",
                    &format!("Back-off pulling image \"{image}\""),
                );
                event(
                    self,
                    EventType::Warning,
                    "Failed",
                    "Error: ImagePullBackOff",
                );
            }
            Action::Start => {
                let environment = match self.container_environment(value, state, index) {
                    Ok(env) => env,
                    Err(message) if message.starts_with(MOUNT_FAILURE) => {
                        // A volume that cannot be set up keeps the pod ContainerCreating; the
                        // kubelet retries the mount.
                        let container = &mut state.containers[index];
                        container.state = ContainerState::Waiting {
                            reason: "ContainerCreating".into(),
                            message: None,
                        };
                        container.action = Some((SimTime(at.0 + RETRY_MILLIS * 6), Action::Start));
                        event(self, EventType::Warning, "FailedMount", &message);
                        return;
                    }
                    Err(message) => {
                        let container = &mut state.containers[index];
                        container.state = ContainerState::Waiting {
                            reason: "CreateContainerConfigError".into(),
                            message: Some(message.clone()),
                        };
                        container.action = Some((SimTime(at.0 + RETRY_MILLIS), Action::Start));
                        event(
                            self,
                            EventType::Warning,
                            "Failed",
                            &format!("Error: {message}"),
                        );
                        self.start_next_after_failure(state, index, at);
                        return;
                    }
                };
                let container = &mut state.containers[index];
                let reference = catalog::parse_reference(&container.image).ok();
                let Some(reference) = reference else {
                    return;
                };
                // `$(VAR)` in command and args is the container's environment, as the kubelet
                // expands it before the runtime sees them.
                let expand = |list: Vec<String>| -> Vec<String> {
                    list.iter()
                        .map(|a| expand_dependent(a, &environment.variables))
                        .collect()
                };
                let command = expand(string_list(&container.spec["command"]));
                let args = expand(string_list(&container.spec["args"]));
                let program = programs::program_for(&ContainerLaunch {
                    image: &reference,
                    command: &command,
                    args: &args,
                    env: &environment.variables,
                    started: at,
                    pod_ip: state.pod_ip.as_deref().unwrap_or(""),
                });
                let name = container.name.clone();
                if let Program::StartError(message) = &program {
                    let container_id = hex_id(&[&name, &at.0.to_string(), "start-error"]);
                    container.state = ContainerState::Terminated(Terminated {
                        exit_code: 128,
                        reason: "StartError".into(),
                        message: Some(message.clone()),
                        started_at: SimTime(0),
                        finished_at: at,
                        container_id: format!("containerd://{container_id}"),
                    });
                    container.process = Some(Process::start(&program, &environment, at));
                    event(
                        self,
                        EventType::Normal,
                        "Created",
                        &format!("Created container: {name}"),
                    );
                    event(
                        self,
                        EventType::Warning,
                        "Failed",
                        &format!("Error: {message}"),
                    );
                    self.after_exit(state, index, at, 128, pod_label.as_str());
                    return;
                }
                let declared: Vec<u16> = container.spec["ports"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(|p| p["containerPort"].as_u64().map(|n| n as u16))
                    .collect();
                let launch = ContainerLaunch {
                    image: &reference,
                    command: &command,
                    args: &args,
                    env: &environment.variables,
                    started: at,
                    pod_ip: state.pod_ip.as_deref().unwrap_or(""),
                };
                container.listener = programs::listener_for(&launch, &program, &declared);
                container.sigterm_exit = programs::exit_on_sigterm(&launch, &program);
                container.environment = environment.variables.clone();
                container.probes = probes_of(&container.spec, at);
                container.started_ok = !container
                    .probes
                    .iter()
                    .any(|p| p.kind == ProbeKind::Startup);
                container.ready = container.started_ok
                    && !container
                        .probes
                        .iter()
                        .any(|p| p.kind == ProbeKind::Readiness);
                let mut process = Process::start(&program, &environment, at);
                let progress = process.run_until(SimTime(at.0 + LOOKAHEAD_MILLIS));
                container.process = Some(process);
                container.state = ContainerState::Running { started_at: at };
                container.action = action_for(progress);
                // A memory hog over its limit is killed by the kernel once it has allocated.
                let limit = container.spec["resources"]["limits"]["memory"]
                    .as_str()
                    .and_then(|q| model::quantity::Quantity::parse(q).ok())
                    .map(|q| (q.nanos() / 1_000_000_000).max(0) as u64);
                let demand = programs::memory_demand_bytes(&command, &args);
                container.oom_kill = matches!((demand, limit), (Some(d), Some(l)) if d > l);
                if container.oom_kill {
                    container.action = Some((SimTime(at.0 + 1_000), Action::Exited { code: 137 }));
                }
                event(
                    self,
                    EventType::Normal,
                    "Created",
                    &format!("Created container: {name}"),
                );
                event(
                    self,
                    EventType::Normal,
                    "Started",
                    &format!("Started container {name}"),
                );
                // The next container starts once this one is up (init containers: once done).
                if !container.init || container.sidecar {
                    self.schedule_next(state, index, at);
                }
            }
            Action::Extend => {
                let container = &mut state.containers[index];
                if let Some(process) = container.process.as_mut() {
                    let progress = process.run_until(SimTime(at.0 + LOOKAHEAD_MILLIS));
                    container.action = action_for(progress);
                }
            }
            Action::Exited { code } => {
                let container = &mut state.containers[index];
                container.probes.clear();
                container.ready = false;
                container.started_ok = false;
                if let Some(process) = container.process.as_mut() {
                    process.stop(at);
                }
                let started_at = match container.state {
                    ContainerState::Running { started_at } => started_at,
                    _ => at,
                };
                let container_id = hex_id(&[
                    &container.name,
                    &state.node,
                    &started_at.0.to_string(),
                    &container.image,
                ]);
                let message = termination_message(container, at, code);
                let oom = std::mem::take(&mut container.oom_kill) && code == 137;
                container.state = ContainerState::Terminated(Terminated {
                    exit_code: code,
                    reason: if oom {
                        "OOMKilled"
                    } else if code == 0 {
                        "Completed"
                    } else {
                        "Error"
                    }
                    .into(),
                    message,
                    started_at,
                    finished_at: at,
                    container_id: format!("containerd://{container_id}"),
                });
                self.after_exit(state, index, at, code, pod_label.as_str());
            }
            Action::EnterCrashLoop { delay } => {
                let container = &mut state.containers[index];
                let name = container.name.clone();
                if let ContainerState::Terminated(t) = &container.state {
                    container.last_terminated = Some(t.clone());
                }
                let restart_at = container.restart_at.take().unwrap_or(at);
                container.action = Some((restart_at, Action::Restart));
                container.state = ContainerState::Waiting {
                    reason: "CrashLoopBackOff".into(),
                    message: Some(format!(
                        "back-off {} restarting failed container={name} pod={pod_label}",
                        go_duration(delay)
                    )),
                };
                event(
                    self,
                    EventType::Warning,
                    "BackOff",
                    &format!("Back-off restarting failed container {name} in pod {pod_label}"),
                );
            }
        }
    }

    /// A container whose image changed in the spec (`kubectl set image` on a pod) is killed and
    /// started again with the new image, as the kubelet does when a container's hash changes.
    fn apply_spec_changes(
        &mut self,
        pod: &Object,
        value: &Value,
        state: &mut KubeletPod,
        now: SimTime,
        source: &EventSource,
    ) -> bool {
        let specs: Vec<Value> = value["spec"]["initContainers"]
            .as_array()
            .into_iter()
            .flatten()
            .chain(value["spec"]["containers"].as_array().into_iter().flatten())
            .cloned()
            .collect();
        let mut changed = false;
        for (container, spec) in state.containers.iter_mut().zip(specs) {
            let image = spec["image"].as_str().unwrap_or("").to_string();
            if image == container.image || container.init && !container.sidecar {
                continue;
            }
            container.image = image;
            container.spec = spec;
            container.pulled = false;
            changed = true;
            match container.state {
                ContainerState::Running { .. } => {
                    let (exit_at, code) = match container.sigterm_exit {
                        Some(code) => (SimTime(now.0 + 100), code),
                        None => (SimTime(now.0 + 30_000), 137),
                    };
                    container.probes.clear();
                    container.action = Some((exit_at, Action::Exited { code }));
                    container.restart_at = None;
                    container.crash_backoff = None;
                    container.spec_changed = true;
                    let message = format!(
                        "Container {} definition changed, will be restarted",
                        container.name
                    );
                    let _ = self.record_event(pod, EventType::Normal, "Killing", &message, source);
                }
                ContainerState::Waiting { ref reason, .. }
                    if matches!(
                        reason.as_str(),
                        "InvalidImageName"
                            | "ErrImagePull"
                            | "ImagePullBackOff"
                            | "ErrImageNeverPull"
                            | "CrashLoopBackOff"
                    ) =>
                {
                    // Stuck on the old image or crash-looping: try the new image now.
                    container.action = Some((
                        now,
                        if container.process.is_some() {
                            Action::Restart
                        } else {
                            Action::EnsureImage
                        },
                    ));
                    container.pull_backoff = None;
                    container.crash_backoff = None;
                }
                // Not started yet (it will use the new image) or finished for good.
                _ => {}
            }
        }
        changed
    }

    /// The pod got a deletionTimestamp: `Killing` each running container (SIGTERM — servers
    /// stop at once, a shell as PID 1 ignores it and is killed when the grace period ends) and
    /// cancel everything else.
    fn start_termination(
        &mut self,
        pod: &Object,
        value: &Value,
        state: &mut KubeletPod,
        now: SimTime,
        source: &EventSource,
    ) {
        state.terminating = true;
        let grace_millis = value["metadata"]["deletionGracePeriodSeconds"]
            .as_u64()
            .unwrap_or(30)
            .min(1 << 40)
            * 1000;
        let deadline = SimTime(now.0.saturating_add(grace_millis));
        let mut stopping = Vec::new();
        for container in &mut state.containers {
            container.probes.clear();
            container.restart_at = None;
            if !matches!(container.state, ContainerState::Running { .. }) {
                container.action = None;
                continue;
            }
            let (exit_at, code) = match container.sigterm_exit {
                Some(code) => (SimTime(now.0 + 100).min(deadline), code),
                None => (deadline, 137),
            };
            let exit = match &container.action {
                Some((t, Action::Exited { code })) if *t <= exit_at => (*t, *code),
                _ => (exit_at, code),
            };
            container.action = Some((exit.0, Action::Exited { code: exit.1 }));
            stopping.push(container.name.clone());
        }
        for name in stopping {
            let _ = self.record_event(
                pod,
                EventType::Normal,
                "Killing",
                &format!("Stopping container {name}"),
                source,
            );
        }
    }

    /// Deletes a pod as the API server does for a pod on a node: with a grace period
    /// (`grace_period_seconds`, else the pod's `terminationGracePeriodSeconds`) the pod only gets
    /// a deletionTimestamp and the kubelet stops its containers and then removes it. Returns
    /// `None` when the deletion is immediate instead (not scheduled, finished, grace 0).
    pub(crate) fn graceful_pod_deletion(
        &mut self,
        namespace: &str,
        name: &str,
        grace_period_seconds: Option<i64>,
    ) -> Option<Result<std::rc::Rc<Object>, ApiError>> {
        let resource = model::registry::resolve("pods")?;
        let existing = self.get(resource, namespace, name).ok()?;
        let value = existing.to_json_value();
        if existing.metadata().deletion_timestamp.is_some() {
            return Some(Ok(existing));
        }
        let on_node = !value["spec"]["nodeName"].as_str().unwrap_or("").is_empty();
        let finished = matches!(
            value["status"]["phase"].as_str(),
            Some("Succeeded" | "Failed")
        );
        let grace = grace_period_seconds
            .or_else(|| value["spec"]["terminationGracePeriodSeconds"].as_i64())
            .unwrap_or(30);
        if !on_node || finished || grace <= 0 {
            return None;
        }
        let now = self.now();
        let mut marked = (*existing).clone();
        {
            let meta = marked.metadata_mut();
            meta.deletion_timestamp = Some(
                SimTime(now.0.saturating_add((grace as u64).min(1 << 40) * 1000)).to_k8s_time(),
            );
            meta.deletion_grace_period_seconds = Some(grace);
            // The API server bumps the generation when it marks an object for deletion.
            meta.generation = meta.generation.map(|g| g + 1);
        }
        let marked = self.api.write_internal(marked);
        // The kubelet watches its pods: it starts stopping the containers at once.
        self.run_kubelet();
        Some(Ok(self.get(resource, namespace, name).unwrap_or(marked)))
    }

    /// Runs the probes of container `index` due at `at`: `Unhealthy` events on failures,
    /// readiness flips, and a kill (then restart) when liveness or startup fails too often.
    /// Whether the pod status changed.
    fn run_probes(
        &mut self,
        pod: &Object,
        state: &mut KubeletPod,
        index: usize,
        at: SimTime,
        source: &EventSource,
    ) -> bool {
        let pod_ip = state.pod_ip.clone().unwrap_or_default();
        let hostname = pod.name().to_string();
        let grace_millis = match pod {
            Object::Pod(typed) => typed
                .spec
                .as_ref()
                .and_then(|s| s.termination_grace_period_seconds)
                .map_or(30, |g| g.clamp(0, 1 << 40) as u64),
            _ => 30,
        } * 1000;
        let container = &mut state.containers[index];
        let started = match container.state {
            ContainerState::Running { started_at } => started_at,
            _ => return false,
        };
        let mut changed = false;
        let mut events: Vec<(EventType, &'static str, String)> = Vec::new();
        let mut kill: Option<ProbeKind> = None;
        for i in 0..container.probes.len() {
            if container.probes[i].next_at != Some(at) {
                continue;
            }
            let kind = container.probes[i].kind;
            container.probes[i].next_at = Some(SimTime(at.0 + container.probes[i].period_millis));
            if kind != ProbeKind::Startup && !container.started_ok {
                continue;
            }
            let result = probe::check(
                &container.probes[i].action,
                &probe::Target {
                    process: container.process.as_ref(),
                    listener: container.listener.as_ref(),
                    started,
                    pod_ip: &pod_ip,
                    environment: &container.environment,
                    hostname: &hostname,
                },
                at,
                container.probes[i].timeout_millis,
            );
            let has_readiness = container
                .probes
                .iter()
                .any(|p| p.kind == ProbeKind::Readiness);
            let run = &mut container.probes[i];
            match result {
                Ok(()) => {
                    run.failures = 0;
                    run.successes += 1;
                    if run.successes >= run.success_threshold {
                        match kind {
                            ProbeKind::Startup => {
                                run.next_at = None;
                                container.started_ok = true;
                                if !has_readiness {
                                    container.ready = true;
                                }
                                changed = true;
                            }
                            ProbeKind::Readiness if !container.ready => {
                                container.ready = true;
                                changed = true;
                            }
                            _ => {}
                        }
                    }
                }
                Err(message) => {
                    run.successes = 0;
                    run.failures += 1;
                    events.push((
                        EventType::Warning,
                        "Unhealthy",
                        format!("{} probe failed: {message}", kind.title()),
                    ));
                    if run.failures >= run.failure_threshold {
                        match kind {
                            ProbeKind::Readiness => {
                                if container.ready {
                                    container.ready = false;
                                    changed = true;
                                }
                            }
                            _ => kill = Some(kind),
                        }
                    }
                }
            }
            if kill.is_some() {
                break;
            }
        }
        if let Some(kind) = kill {
            let name = container.name.clone();
            events.push((
                EventType::Normal,
                "Killing",
                format!(
                    "Container {name} failed {} probe, will be restarted",
                    kind.title().to_lowercase()
                ),
            ));
            let (exit_at, code) = match container.sigterm_exit {
                Some(code) => (SimTime(at.0 + 100), code),
                None => (SimTime(at.0.saturating_add(grace_millis)), 137),
            };
            for run in &mut container.probes {
                run.next_at = None;
            }
            let natural = match &container.action {
                Some((t, Action::Exited { code })) if *t <= exit_at => Some((*t, *code)),
                _ => None,
            };
            let (exit_at, code) = natural.unwrap_or((exit_at, code));
            container.action = Some((exit_at, Action::Exited { code }));
            changed = true;
        }
        for (kind, reason, message) in events {
            let _ = self.record_event(pod, kind, reason, &message, source);
        }
        changed
    }

    /// After a container's program ended at `at` with `code`: the next init container, a
    /// restart (now or after the back-off), or nothing.
    fn after_exit(
        &mut self,
        state: &mut KubeletPod,
        index: usize,
        at: SimTime,
        code: i32,
        _pod: &str,
    ) {
        let policy = state.restart_policy.clone();
        if state.terminating {
            return;
        }
        let container = &mut state.containers[index];
        if std::mem::take(&mut container.spec_changed) {
            container.action = Some((SimTime(at.0 + RELIST_MILLIS), Action::Restart));
            return;
        }
        let restart = if container.sidecar {
            true
        } else if container.init {
            code != 0 && policy != "Never"
        } else {
            policy == "Always" || (policy == "OnFailure" && code != 0)
        };
        if container.init && !container.sidecar && code == 0 {
            self.schedule_next(state, index, at);
            return;
        }
        if !restart {
            return;
        }
        let in_backoff = container
            .crash_backoff
            .filter(|b| at.since(b.last_update).0 <= BACKOFF_RESET_MILLIS);
        match in_backoff {
            None => {
                // First crash (or after a long run): restart at the next relist.
                container.action = Some((SimTime(at.0 + RELIST_MILLIS), Action::Restart));
            }
            Some(backoff) => {
                let delay = backoff.delay;
                container.action = Some((
                    SimTime(at.0 + RELIST_MILLIS),
                    Action::EnterCrashLoop { delay },
                ));
                // The restart itself is queued when the crash-loop state is entered.
                container.pending_restart(SimTime(at.0 + delay.max(RELIST_MILLIS + 1)));
            }
        }
    }

    /// Queues the container after `index` in the start sequence.
    fn schedule_next(&mut self, state: &mut KubeletPod, index: usize, at: SimTime) {
        if let Some(next) = state.containers.get_mut(index + 1) {
            if next.action.is_none()
                && matches!(next.state, ContainerState::Waiting { .. })
                && next.restart_count == 0
                && next.process.is_none()
            {
                next.action = Some((at, Action::EnsureImage));
            }
        }
    }

    /// App containers do not wait for a sibling whose image cannot be had; init containers do.
    fn start_next_after_failure(&mut self, state: &mut KubeletPod, index: usize, at: SimTime) {
        if !state.containers[index].init {
            self.schedule_next(state, index, at);
        }
    }

    /// The container's environment: `env` (values, fieldRefs, ConfigMap/Secret keys), `envFrom`,
    /// and the `kubernetes` Service's variables; a missing ConfigMap/Secret is an error.
    fn container_environment(
        &self,
        pod: &Value,
        state: &KubeletPod,
        index: usize,
    ) -> Result<ProcessEnvironment, String> {
        let container = &state.containers[index].spec;
        let namespace = pod["metadata"]["namespace"].as_str().unwrap_or("default");
        let mut variables: Vec<(String, String)> = vec![
            ("KUBERNETES_SERVICE_HOST".into(), "10.96.0.1".into()),
            ("KUBERNETES_SERVICE_PORT".into(), "443".into()),
            ("KUBERNETES_SERVICE_PORT_HTTPS".into(), "443".into()),
            ("KUBERNETES_PORT".into(), "tcp://10.96.0.1:443".into()),
            (
                "KUBERNETES_PORT_443_TCP".into(),
                "tcp://10.96.0.1:443".into(),
            ),
            ("KUBERNETES_PORT_443_TCP_PROTO".into(), "tcp".into()),
            ("KUBERNETES_PORT_443_TCP_PORT".into(), "443".into()),
            ("KUBERNETES_PORT_443_TCP_ADDR".into(), "10.96.0.1".into()),
        ];
        for source in container["envFrom"].as_array().into_iter().flatten() {
            let prefix = source["prefix"].as_str().unwrap_or("");
            for (key, kind, secret) in [
                ("configMapRef", "configmaps", false),
                ("secretRef", "secrets", true),
            ] {
                let Some(name) = source[key]["name"].as_str() else {
                    continue;
                };
                let optional = source[key]["optional"].as_bool() == Some(true);
                match self.config_data(kind, namespace, name, secret) {
                    Some(data) => {
                        for (k, v) in data {
                            variables.push((format!("{prefix}{k}"), v));
                        }
                    }
                    None if optional => {}
                    None => {
                        return Err(format!("{} \"{name}\" not found", &kind[..kind.len() - 1]))
                    }
                }
            }
        }
        for entry in container["env"].as_array().into_iter().flatten() {
            let Some(name) = entry["name"].as_str() else {
                continue;
            };
            let value = if let Some(v) = entry["value"].as_str() {
                expand_dependent(v, &variables)
            } else if let Some(field) = entry["valueFrom"]["fieldRef"]["fieldPath"].as_str() {
                field_value(pod, field, state)
            } else if entry["valueFrom"]["resourceFieldRef"].is_object() {
                self.resource_field_value(
                    pod,
                    container,
                    &entry["valueFrom"]["resourceFieldRef"],
                    state,
                )
            } else {
                let mut found = None;
                for (key, kind, secret) in [
                    ("configMapKeyRef", "configmaps", false),
                    ("secretKeyRef", "secrets", true),
                ] {
                    let reference = &entry["valueFrom"][key];
                    let Some(object) = reference["name"].as_str() else {
                        continue;
                    };
                    let wanted = reference["key"].as_str().unwrap_or("");
                    let optional = reference["optional"].as_bool() == Some(true);
                    let singular = &kind[..kind.len() - 1];
                    match self.config_data(kind, namespace, object, secret) {
                        Some(data) => match data.get(wanted) {
                            Some(v) => found = Some(v.clone()),
                            None if optional => found = Some(String::new()),
                            None => {
                                return Err(format!(
                                    "couldn't find key {wanted} in {} {namespace}/{object}",
                                    if secret { "Secret" } else { "ConfigMap" }
                                ))
                            }
                        },
                        None if optional => found = Some(String::new()),
                        None => return Err(format!("{singular} \"{object}\" not found")),
                    }
                }
                found.unwrap_or_default()
            };
            variables.push((name.to_string(), value));
        }
        let hostname = pod["spec"]["hostname"]
            .as_str()
            .or(pod["metadata"]["name"].as_str())
            .unwrap_or("")
            .to_string();
        Ok(ProcessEnvironment {
            variables,
            hostname,
            namespace: namespace.to_string(),
            seed: fnv(pod["metadata"]["uid"].as_str().unwrap_or("")),
            files: self.projected_files(pod, container)?,
        })
    }

    /// The files of the container's ConfigMap and Secret volumes under their mount paths (each
    /// key a file, or only the listed `items`). A missing ConfigMap/Secret that is not optional
    /// is an error (the kubelet reports it as FailedMount; here it keeps the container waiting).
    fn projected_files(
        &self,
        pod: &Value,
        container: &Value,
    ) -> Result<BTreeMap<String, String>, String> {
        let namespace = pod["metadata"]["namespace"].as_str().unwrap_or("default");
        let mut files = BTreeMap::new();
        for mount in container["volumeMounts"].as_array().into_iter().flatten() {
            let (Some(volume_name), Some(mount_path)) =
                (mount["name"].as_str(), mount["mountPath"].as_str())
            else {
                continue;
            };
            let Some(volume) = pod["spec"]["volumes"]
                .as_array()
                .into_iter()
                .flatten()
                .find(|v| v["name"] == volume_name)
            else {
                continue;
            };
            for (key, kind, name_field, secret) in [
                ("configMap", "configmaps", "name", false),
                ("secret", "secrets", "secretName", true),
            ] {
                let source = &volume[key];
                let Some(object) = source[name_field].as_str() else {
                    continue;
                };
                let optional = source["optional"].as_bool() == Some(true);
                let data = match self.config_data(kind, namespace, object, secret) {
                    Some(d) => d,
                    None if optional => continue,
                    None => {
                        return Err(format!(
                            "{MOUNT_FAILURE} \"{volume_name}\" : {} \"{object}\" not found",
                            &kind[..kind.len() - 1]
                        ))
                    }
                };
                let base = mount_path.trim_end_matches('/');
                let sub_path = mount["subPath"].as_str().filter(|s| !s.is_empty());
                let items: Vec<(String, String)> = match source["items"].as_array() {
                    Some(items) => items
                        .iter()
                        .filter_map(|i| {
                            Some((
                                i["key"].as_str()?.to_string(),
                                i["path"].as_str()?.to_string(),
                            ))
                        })
                        .collect(),
                    None => data.keys().map(|k| (k.clone(), k.clone())).collect(),
                };
                for (data_key, path) in items {
                    let Some(text) = data.get(&data_key) else {
                        continue;
                    };
                    match sub_path {
                        Some(sub) if sub == path => {
                            files.insert(base.to_string(), text.clone());
                        }
                        Some(_) => {}
                        None => {
                            files.insert(format!("{base}/{path}"), text.clone());
                        }
                    }
                }
            }
        }
        Ok(files)
    }

    /// A downward-API `resourceFieldRef` (`limits.cpu`, `requests.memory`, …) divided by its
    /// divisor and rounded up; a limit that is not set is the node's allocatable amount.
    fn resource_field_value(
        &self,
        pod: &Value,
        own: &Value,
        reference: &Value,
        state: &KubeletPod,
    ) -> String {
        use model::quantity::Quantity;
        let resource = reference["resource"].as_str().unwrap_or("");
        let container = match reference["containerName"].as_str() {
            Some(name) => pod["spec"]["containers"]
                .as_array()
                .into_iter()
                .flatten()
                .find(|c| c["name"] == name)
                .unwrap_or(own),
            None => own,
        };
        let Some((kind, name)) = resource.split_once('.') else {
            return String::new();
        };
        let mut amount = container["resources"][kind][name]
            .as_str()
            .map(str::to_string)
            .or_else(|| {
                container["resources"][kind][name]
                    .as_i64()
                    .map(|n| n.to_string())
            });
        if amount.is_none() && kind == "requests" {
            amount = container["resources"]["limits"][name]
                .as_str()
                .map(str::to_string);
        }
        let amount = amount.or_else(|| {
            if kind != "limits" {
                return Some("0".to_string());
            }
            let nodes = self.list(model::registry::resolve("nodes")?, None);
            nodes.iter().find(|n| n.name() == state.node).and_then(|n| {
                n.to_json_value()["status"]["allocatable"][name]
                    .as_str()
                    .map(str::to_string)
            })
        });
        let value = amount.as_deref().and_then(|a| Quantity::parse(a).ok());
        let divisor = match &reference["divisor"] {
            Value::String(d) => Quantity::parse(d).ok(),
            Value::Number(n) => Quantity::parse(&n.to_string()).ok(),
            _ => None,
        }
        .filter(|d| !d.is_zero())
        .unwrap_or_else(|| Quantity::from_units(1, model::quantity::Format::DecimalSI));
        match value {
            Some(v) => {
                let (n, d) = (v.nanos(), divisor.nanos());
                let quotient = n / d + i128::from(n % d != 0 && n > 0);
                quotient.to_string()
            }
            None => String::new(),
        }
    }

    fn config_data(
        &self,
        kind: &str,
        namespace: &str,
        name: &str,
        secret: bool,
    ) -> Option<BTreeMap<String, String>> {
        let resource = model::registry::resolve(kind)?;
        let object = self.get(resource, namespace, name).ok()?.to_json_value();
        let mut data = BTreeMap::new();
        for (k, v) in object["data"].as_object().into_iter().flatten() {
            let text = v.as_str().unwrap_or("");
            let text = if secret {
                decode_base64(text).unwrap_or_default()
            } else {
                text.to_string()
            };
            data.insert(k.clone(), text);
        }
        Some(data)
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
        let terminated_json = |t: &Terminated| {
            let mut v = json!({
                "containerID": t.container_id,
                "exitCode": t.exit_code,
                "reason": t.reason,
                "startedAt": timestamp(t.started_at),
                "finishedAt": timestamp(t.finished_at),
            });
            if t.started_at == SimTime(0) && t.reason == "StartError" {
                v["startedAt"] = json!("1970-01-01T00:00:00Z");
            }
            if let Some(m) = &t.message {
                v["message"] = json!(m);
            }
            v
        };
        let container_status = |c: &ContainerRun| -> Value {
            let full = full_image_name(&c.image);
            let mut s = json!({
                "name": c.name,
                "image": full,
                "imageID": "",
                "ready": false,
                "restartCount": c.restart_count,
                "started": false,
                "lastState": {},
            });
            if c.pulled {
                s["imageID"] = json!(format!(
                    "{}@sha256:{}",
                    full.rsplit_once(':').map_or(full.as_str(), |(n, _)| n),
                    hex_id(&[&c.image, "digest"])
                ));
            }
            if let Some(last) = &c.last_terminated {
                s["lastState"] = json!({ "terminated": terminated_json(last) });
            }
            match &c.state {
                ContainerState::Waiting { reason, message } => {
                    let mut w = json!({ "reason": reason });
                    if let Some(m) = message {
                        w["message"] = json!(m);
                    }
                    s["state"] = json!({ "waiting": w });
                    // A container waiting to restart keeps naming its last instance.
                    if let Some(last) = &c.last_terminated {
                        s["containerID"] = json!(last.container_id);
                    }
                }
                ContainerState::Running { started_at } => {
                    s["containerID"] = json!(format!(
                        "containerd://{}",
                        hex_id(&[&c.name, &state.node, &started_at.0.to_string(), &c.image])
                    ));
                    s["state"] = json!({ "running": { "startedAt": timestamp(*started_at) } });
                    s["ready"] = json!((!c.init || c.sidecar) && c.ready);
                    s["started"] = json!(c.started_ok);
                }
                ContainerState::Terminated(t) => {
                    s["containerID"] = json!(t.container_id);
                    s["state"] = json!({ "terminated": terminated_json(t) });
                    s["ready"] = json!(c.init && !c.sidecar && t.exit_code == 0);
                }
            }
            s
        };
        let (init, app) = state.containers.split_at(state.init_count);
        if !init.is_empty() {
            status["initContainerStatuses"] =
                json!(init.iter().map(container_status).collect::<Vec<_>>());
        }
        status["containerStatuses"] = json!(app.iter().map(container_status).collect::<Vec<_>>());
        let phase = pod_phase(state);
        let initialized_pending: Vec<&str> = init
            .iter()
            .filter(|c| match &c.state {
                ContainerState::Terminated(t) => !c.sidecar && t.exit_code != 0,
                ContainerState::Running { .. } => !c.sidecar,
                ContainerState::Waiting { .. } => true,
            })
            .map(|c| c.name.as_str())
            .collect();
        let unready: Vec<&str> = app
            .iter()
            .filter(|c| !matches!(c.state, ContainerState::Running { .. }) || !c.ready)
            .map(|c| c.name.as_str())
            .collect();
        let mut value = json!({ "status": status });
        let now_ts = timestamp(now);
        set_condition(
            &mut value,
            "PodReadyToStartContainers",
            if state.pod_ip.is_some() {
                "True"
            } else {
                "False"
            },
            None,
            None,
            &now_ts,
        );
        if initialized_pending.is_empty() {
            set_condition(&mut value, "Initialized", "True", None, None, &now_ts);
        } else {
            set_condition(
                &mut value,
                "Initialized",
                "False",
                Some("ContainersNotInitialized"),
                Some(&format!(
                    "containers with incomplete status: [{}]",
                    initialized_pending.join(" ")
                )),
                &now_ts,
            );
        }
        let terminal = phase == "Succeeded" || phase == "Failed";
        if terminal {
            for kind in ["Ready", "ContainersReady"] {
                set_condition(
                    &mut value,
                    kind,
                    "False",
                    Some("PodCompleted"),
                    None,
                    &now_ts,
                );
            }
        } else if unready.is_empty() && initialized_pending.is_empty() {
            set_condition(&mut value, "Ready", "True", None, None, &now_ts);
            set_condition(&mut value, "ContainersReady", "True", None, None, &now_ts);
        } else {
            let message = format!("containers with unready status: [{}]", unready.join(" "));
            for kind in ["Ready", "ContainersReady"] {
                set_condition(
                    &mut value,
                    kind,
                    "False",
                    Some("ContainersNotReady"),
                    Some(&message),
                    &now_ts,
                );
            }
        }
        let mut status = value["status"].take();
        status["phase"] = json!(phase);
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
            .filter_map(KubeletPod::next_due)
            .min()
    }

    /// A container's log lines up to now with the instant each was written (`kubectl logs`):
    /// the API server's checks (pod exists, container named or the pod has only one, pod on a
    /// node), then the kubelet's (`previous` asks for the instance before the current one).
    /// Errors carry the API server's and kubelet's messages.
    pub fn logs(
        &self,
        namespace: &str,
        pod: &str,
        container: Option<&str>,
        previous: bool,
    ) -> Result<LogLines, ApiError> {
        let resource = model::registry::resolve("pods").expect("registered");
        let object = self.get(resource, namespace, pod)?.to_json_value();
        let names = |key: &str| -> Vec<String> {
            object["spec"][key]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|c| c["name"].as_str().map(str::to_string))
                .collect()
        };
        let (app, init, ephemeral) = (
            names("containers"),
            names("initContainers"),
            names("ephemeralContainers"),
        );
        let container = match container {
            Some(c) => c.to_string(),
            None if app.len() == 1 => app[0].clone(),
            None => {
                let mut message = format!(
                    "a container name must be specified for pod {pod}, choose one of: [{}]",
                    app.join(" ")
                );
                if !init.is_empty() {
                    message.push_str(&format!(
                        " or one of the init containers: [{}]",
                        init.join(" ")
                    ));
                }
                return Err(ApiError::bad_request(message));
            }
        };
        if !app.contains(&container)
            && !init.contains(&container)
            && !ephemeral.contains(&container)
        {
            return Err(ApiError::bad_request(format!(
                "container {container} is not valid for pod {pod}"
            )));
        }
        if object["spec"]["nodeName"].as_str().unwrap_or("").is_empty() {
            return Err(ApiError::bad_request(format!(
                "pod {pod} does not have a host assigned"
            )));
        }
        self.kubelet_logs(&object, &container, previous)
    }

    /// A container's log lines up to now, as the kubelet serves `GET …/pods/NAME/log`:
    /// `previous` asks for the instance before the current one. Errors are the kubelet's.
    pub(crate) fn kubelet_logs(
        &self,
        pod: &Value,
        container: &str,
        previous: bool,
    ) -> Result<LogLines, ApiError> {
        let now = self.now();
        let pod_name = pod["metadata"]["name"].as_str().unwrap_or("");
        let uid = pod["metadata"]["uid"].as_str().unwrap_or("");
        let state = self.kubelet.pods.get(uid);
        let run = state.and_then(|s| s.containers.iter().find(|c| c.name == container));
        let Some(run) = run else {
            return Err(ApiError::bad_request(format!(
                "container \"{container}\" in pod \"{pod_name}\" is waiting to start: ContainerCreating"
            )));
        };
        let lines = |p: &Process| p.lines_until(now).cloned().collect::<Vec<_>>();
        if previous {
            // Waiting to restart, the last instance is still the process the kubelet holds;
            // once a new one runs (or ends), the previous one's log was set aside at restart.
            return match (&run.last_terminated, &run.state) {
                (Some(_), ContainerState::Waiting { .. }) => {
                    Ok(run.process.as_ref().map(lines).unwrap_or_default())
                }
                (Some(_), _) => Ok(run.previous_log.clone().unwrap_or_default()),
                _ => Err(ApiError::bad_request(format!(
                    "previous terminated container \"{container}\" in pod \"{pod_name}\" not found"
                ))),
            };
        }
        match (&run.state, &run.process) {
            (ContainerState::Running { .. } | ContainerState::Terminated(_), Some(p)) => Ok(lines(p)),
            (ContainerState::Terminated(_), None) => Ok(Vec::new()),
            (ContainerState::Waiting { .. }, Some(p)) if run.last_terminated.is_some() => Ok(lines(p)),
            (ContainerState::Waiting { reason, .. }, _) => Err(ApiError::bad_request(match reason.as_str() {
                "ErrImagePull" => format!("container \"{container}\" in pod \"{pod_name}\" is waiting to start: image can't be pulled"),
                "ImagePullBackOff" => format!("container \"{container}\" in pod \"{pod_name}\" is waiting to start: trying and failing to pull image"),
                other => format!("container \"{container}\" in pod \"{pod_name}\" is waiting to start: {other}"),
            })),
            (ContainerState::Running { .. }, None) => Ok(Vec::new()),
        }
    }
}

impl KubeletPod {
    /// The earliest instant something is due for this pod (sandbox, action or probe).
    fn next_due(&self) -> Option<SimTime> {
        self.sandbox_at
            .into_iter()
            .chain(
                self.containers
                    .iter()
                    .filter_map(|c| c.action.as_ref().map(|(t, _)| *t)),
            )
            .chain(
                self.containers
                    .iter()
                    .filter_map(ContainerRun::next_probe_at),
            )
            .min()
    }
}

impl ContainerRun {
    /// Not running and not about to exit (what the kubelet waits for before removing a pod).
    fn stopped(&self) -> bool {
        !matches!(self.state, ContainerState::Running { .. })
            && !matches!(self.action, Some((_, Action::Exited { .. })))
    }

    /// When the next probe of the running instance is due.
    fn next_probe_at(&self) -> Option<SimTime> {
        if !matches!(self.state, ContainerState::Running { .. }) {
            return None;
        }
        self.probes.iter().filter_map(|p| p.next_at).min()
    }

    /// Remembers when a crash-looping container restarts: the action after EnterCrashLoop.
    fn pending_restart(&mut self, at: SimTime) {
        self.restart_at = Some(at);
    }
}

/// The terminated state's message: the file at `terminationMessagePath` (default
/// `/dev/termination-log`), or with `FallbackToLogsOnError` and a failure, the log's last lines
/// (at most 80 lines and 2048 bytes, as the kubelet takes them).
fn termination_message(container: &ContainerRun, at: SimTime, code: i32) -> Option<String> {
    let process = container.process.as_ref()?;
    let path = container.spec["terminationMessagePath"]
        .as_str()
        .unwrap_or("/dev/termination-log");
    if let Some(text) = process.files_at(at).get(path).filter(|t| !t.is_empty()) {
        return Some(text.chars().take(4096).collect());
    }
    if code != 0 && container.spec["terminationMessagePolicy"] == "FallbackToLogsOnError" {
        let lines: Vec<&str> = process.lines_until(at).map(|(_, l)| l.as_str()).collect();
        let mut text = lines[lines.len().saturating_sub(80)..].join("\n");
        text.push('\n');
        if text.len() > 2048 {
            let mut start = text.len() - 2048;
            while !text.is_char_boundary(start) {
                start += 1;
            }
            text = text[start..].to_string();
        }
        return Some(text);
    }
    None
}

fn action_for(progress: ProcessState) -> Option<(SimTime, Action)> {
    match progress {
        ProcessState::RunningUntil(t) => Some((t, Action::Extend)),
        ProcessState::Forever => None,
        ProcessState::Exited(t, code) => Some((t, Action::Exited { code })),
    }
}

fn string_list(value: &Value) -> Vec<String> {
    value
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|v| v.as_str().map(str::to_string))
        .collect()
}

/// `$(VAR)` references to earlier variables in an `env` value, as the kubelet expands them.
fn expand_dependent(value: &str, earlier: &[(String, String)]) -> String {
    let mut out = String::new();
    let mut rest = value;
    while let Some(start) = rest.find("$(") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        match after.find(')') {
            Some(end) => {
                let name = &after[..end];
                match earlier.iter().rev().find(|(n, _)| n == name) {
                    Some((_, v)) => out.push_str(v),
                    None => out.push_str(&rest[start..start + 2 + end + 1]),
                }
                rest = &after[end + 1..];
            }
            None => {
                out.push_str(&rest[start..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

fn field_value(pod: &Value, field: &str, state: &KubeletPod) -> String {
    let text = |v: &Value| v.as_str().unwrap_or("").to_string();
    match field {
        "metadata.name" => text(&pod["metadata"]["name"]),
        "metadata.namespace" => text(&pod["metadata"]["namespace"]),
        "metadata.uid" => text(&pod["metadata"]["uid"]),
        "spec.nodeName" => state.node.clone(),
        "spec.serviceAccountName" => text(&pod["spec"]["serviceAccountName"]),
        "status.podIP" => state.pod_ip.clone().unwrap_or_default(),
        "status.hostIP" => text(&pod["status"]["hostIP"]),
        other => {
            for (prefix, key) in [
                ("metadata.labels['", "labels"),
                ("metadata.annotations['", "annotations"),
            ] {
                if let Some(name) = other
                    .strip_prefix(prefix)
                    .and_then(|r| r.strip_suffix("']"))
                {
                    return text(&pod["metadata"][key][name]);
                }
            }
            String::new()
        }
    }
}

/// The pod phase from its containers, as the kubelet's `getPhase` decides it.
fn pod_phase(state: &KubeletPod) -> &'static str {
    let (init, app) = state.containers.split_at(state.init_count);
    let mut pending_init = 0;
    let mut failed_init = 0;
    for c in init.iter().filter(|c| !c.sidecar) {
        match &c.state {
            ContainerState::Terminated(t) if t.exit_code == 0 => {}
            ContainerState::Terminated(_) => failed_init += 1,
            ContainerState::Waiting { .. }
                if c.last_terminated.as_ref().is_some_and(|t| t.exit_code != 0) =>
            {
                failed_init += 1
            }
            _ => pending_init += 1,
        }
    }
    if failed_init > 0 && state.restart_policy == "Never" {
        return "Failed";
    }
    if pending_init > 0 || failed_init > 0 {
        return "Pending";
    }
    let (mut running, mut waiting, mut stopped, mut succeeded) = (0, 0, 0, 0);
    for c in app {
        match &c.state {
            ContainerState::Running { .. } => running += 1,
            ContainerState::Terminated(t) => {
                stopped += 1;
                if t.exit_code == 0 {
                    succeeded += 1;
                }
            }
            ContainerState::Waiting { .. } if c.last_terminated.is_some() => stopped += 1,
            ContainerState::Waiting { .. } => waiting += 1,
        }
    }
    if waiting > 0 {
        "Pending"
    } else if running > 0 {
        "Running"
    } else if stopped > 0 {
        if state.restart_policy == "Always" {
            "Running"
        } else if stopped == succeeded {
            "Succeeded"
        } else if state.restart_policy == "Never" {
            "Failed"
        } else {
            "Running"
        }
    } else {
        "Pending"
    }
}

fn new_pod(pod: &Value, node: &str, now: SimTime) -> KubeletPod {
    let mut containers = Vec::new();
    let init_specs: Vec<&Value> = pod["spec"]["initContainers"]
        .as_array()
        .into_iter()
        .flatten()
        .collect();
    let app_specs: Vec<&Value> = pod["spec"]["containers"]
        .as_array()
        .into_iter()
        .flatten()
        .collect();
    let init_count = init_specs.len();
    for (i, spec) in init_specs.into_iter().chain(app_specs).enumerate() {
        let init = i < init_count;
        containers.push(ContainerRun {
            name: spec["name"].as_str().unwrap_or("").to_string(),
            image: spec["image"].as_str().unwrap_or("").to_string(),
            pull_policy: spec["imagePullPolicy"]
                .as_str()
                .unwrap_or("IfNotPresent")
                .to_string(),
            init,
            sidecar: init && spec["restartPolicy"].as_str() == Some("Always"),
            spec: spec.clone(),
            restart_count: 0,
            state: ContainerState::Waiting {
                reason: if init || init_count > 0 {
                    "PodInitializing"
                } else {
                    "ContainerCreating"
                }
                .into(),
                message: None,
            },
            last_terminated: None,
            process: None,
            previous_log: None,
            crash_backoff: None,
            pull_backoff: None,
            pulled: false,
            action: None,
            restart_at: None,
            listener: None,
            sigterm_exit: None,
            environment: Vec::new(),
            probes: Vec::new(),
            started_ok: false,
            ready: false,
            oom_kill: false,
            spec_changed: false,
        });
    }
    // Init containers wait as PodInitializing until they run; the first one is being created.
    KubeletPod {
        seen_at: now,
        node: node.to_string(),
        pod_ip: None,
        sandbox_at: Some(SimTime(now.0 + SANDBOX_MILLIS)),
        restart_policy: pod["spec"]["restartPolicy"]
            .as_str()
            .unwrap_or("Always")
            .to_string(),
        containers,
        init_count,
        terminating: false,
        generation: pod["metadata"]["generation"].as_i64().unwrap_or(0),
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
        assert_eq!(go_duration(300_000), "5m0s");
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
        assert_eq!(decode_base64("YWRtaW4=").as_deref(), Some("admin"));
        assert_eq!(
            expand_dependent("x-$(A)-$(B)", &[("A".into(), "1".into())]),
            "x-1-$(B)"
        );
    }

    fn run_pod(manifest: &str, seconds: u64) -> (Cluster, Value) {
        let mut cluster = Cluster::new(1);
        let objects = model::decode_documents(manifest).expect("test manifest decodes");
        for object in objects {
            cluster.create(object).expect("test pod is valid");
        }
        cluster.advance(crate::SimDuration::from_secs(seconds));
        let pods = model::registry::resolve("pods").expect("registered");
        let pod = cluster
            .get(pods, "default", "p")
            .expect("pod exists")
            .to_json_value();
        (cluster, pod)
    }

    fn pod_manifest(image: &str, policy: &str, script: &str) -> String {
        format!("apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  restartPolicy: {policy}\n  containers:\n  - name: c\n    image: {image}\n    command: [sh, -c, {script:?}]\n")
    }

    /// restartPolicy × exit code → phase, the container's state and its restart count, as the
    /// kubelet's getPhase and restart rules decide.
    #[test]
    fn exits_and_restart_policies_give_upstreams_phases() {
        let table = [
            ("Never", "exit 0", "Succeeded", "terminated", "Completed", 0),
            ("Never", "exit 4", "Failed", "terminated", "Error", 0),
            (
                "OnFailure",
                "exit 0",
                "Succeeded",
                "terminated",
                "Completed",
                0,
            ),
            (
                "OnFailure",
                "exit 1",
                "Running",
                "waiting",
                "CrashLoopBackOff",
                3,
            ),
            (
                "Always",
                "exit 0",
                "Running",
                "waiting",
                "CrashLoopBackOff",
                3,
            ),
            ("Always", "sleep 3600", "Running", "running", "", 0),
        ];
        for (policy, script, phase, state, reason, restarts) in table {
            let (_, pod) = run_pod(&pod_manifest("busybox:1.36", policy, script), 60);
            let status = &pod["status"]["containerStatuses"][0];
            assert_eq!(pod["status"]["phase"], phase, "{policy} {script}");
            assert!(
                status["state"][state].is_object(),
                "{policy} {script}: {status}"
            );
            if !reason.is_empty() {
                assert_eq!(
                    status["state"][state]["reason"], reason,
                    "{policy} {script}"
                );
            }
            assert_eq!(status["restartCount"], restarts, "{policy} {script}");
        }
    }

    #[test]
    fn logs_keep_the_current_and_the_previous_instance() {
        let (cluster, _) = run_pod(
            &pod_manifest(
                "busybox:1.36",
                "Always",
                "echo run at $(date +%s); sleep 5; exit 1",
            ),
            25,
        );
        let current = cluster
            .logs("default", "p", None, false)
            .expect("has a log");
        let previous = cluster
            .logs("default", "p", Some("c"), true)
            .expect("has a previous log");
        assert_eq!(current.len(), 1);
        assert_eq!(previous.len(), 1);
        assert!(previous[0].0 < current[0].0, "{previous:?} {current:?}");
        // Waiting in CrashLoopBackOff, the current log is the last instance's, as for real.
        let (cluster, _) = run_pod(
            &pod_manifest("busybox:1.36", "Always", "echo once; exit 1"),
            15,
        );
        assert_eq!(
            cluster
                .logs("default", "p", None, false)
                .expect("has a log"),
            cluster
                .logs("default", "p", None, true)
                .expect("has a previous log")
        );
        let error = cluster.logs("default", "p", Some("x"), false).unwrap_err();
        assert_eq!(error.message, "container x is not valid for pod p");
        let (cluster, _) = run_pod(&pod_manifest("busybox:1.36", "Always", "sleep 3600"), 10);
        let error = cluster.logs("default", "p", None, true).unwrap_err();
        assert_eq!(
            error.message,
            "previous terminated container \"c\" in pod \"p\" not found"
        );
    }

    #[test]
    fn failed_pulls_back_off_and_bad_names_are_invalid() {
        let (_, pod) = run_pod(&pod_manifest("nginx:doesnotexist", "Always", "true"), 3);
        assert_eq!(
            pod["status"]["containerStatuses"][0]["state"]["waiting"]["reason"],
            "ErrImagePull"
        );
        let (_, pod) = run_pod(&pod_manifest("nginx:doesnotexist", "Always", "true"), 15);
        assert_eq!(
            pod["status"]["containerStatuses"][0]["state"]["waiting"]["reason"],
            "ImagePullBackOff"
        );
        assert_eq!(pod["status"]["phase"], "Pending");
        let (_, pod) = run_pod(&pod_manifest("<your-private-image>", "Always", "true"), 15);
        assert_eq!(
            pod["status"]["containerStatuses"][0]["state"]["waiting"]["reason"],
            "InvalidImageName"
        );
    }

    #[test]
    fn back_off_doubles_to_five_minutes_and_resets_after_ten() {
        let mut b = Backoff::next(None, SimTime(0));
        let mut delays = vec![b.delay];
        for i in 1..7 {
            b = Backoff::next(Some(b), SimTime(i * 1000));
            delays.push(b.delay);
        }
        assert_eq!(
            delays,
            [10_000, 20_000, 40_000, 80_000, 160_000, 300_000, 300_000]
        );
        let reset = Backoff::next(Some(b), SimTime(6_000 + BACKOFF_RESET_MILLIS + 1));
        assert_eq!(reset.delay, BACKOFF_INITIAL_MILLIS);
    }
}
