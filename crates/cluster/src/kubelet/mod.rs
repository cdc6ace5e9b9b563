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
//!
//! Beside this file: [`probes`] (the prober), [`environment`] (env and projected files),
//! [`status`] (the pod status and phase), [`termination`] (graceful deletion, image changes),
//! [`logs`] (the log endpoint).

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

mod environment;
pub mod exec;
pub(crate) mod listeners;
mod logs;
mod probes;
mod projection;
mod shared_volumes;
mod status;
mod termination;
pub(crate) mod usage;
mod volumes;

#[cfg(test)]
use environment::decode_base64;
use environment::expand_dependent;
use probes::{probes_of, ProbeKind, ProbeRun};
#[cfg(test)]
use status::full_image_name;
use status::hex_id;

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
/// The volume manager's back-off between attempts to mount a volume that failed.
const MOUNT_RETRY_INITIAL_MILLIS: u64 = 500;
const MOUNT_RETRY_MAX_MILLIS: u64 = 122_000;
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
    sigterm_exit: Option<programs::SigtermExit>,
    environment: Vec<(String, String)>,
    /// Probes of the running instance; whether its startup probe passed and it is ready.
    probes: Vec<ProbeRun>,
    started_ok: bool,
    ready: bool,
    /// The running instance will be OOM-killed (it wants more memory than its limit).
    oom_kill: bool,
    /// What the running instance costs in CPU and memory.
    profile: programs::ResourceProfile,
    /// An ephemeral container (`kubectl debug`): added to a running pod, never restarted, not
    /// counted in the pod's phase or readiness.
    ephemeral: bool,
    /// The running instance is being replaced because its spec changed.
    spec_changed: bool,
    /// The files of its ConfigMap, Secret and downward-API volumes as last written (not
    /// `subPath` ones), when the pod's projection is watched.
    projected: BTreeMap<String, String>,
    /// Its mounts of emptyDir volumes (volume, path), shared live with the pod's other
    /// containers.
    empty_dir_mounts: Vec<(String, String)>,
    /// Its read-only mount paths.
    read_only_mounts: Vec<String>,
    /// What the running redis-server loaded at start (`redis-cli CONFIG GET`), `key=value`
    /// lines; `None` for any other program.
    redis_config: Option<String>,
}

/// The kubelet's memory of one pod.
#[derive(Debug, Clone)]
pub(crate) struct KubeletPod {
    seen_at: SimTime,
    /// Report the pod's status again on the next sync (its kubelet is back after a failure, and
    /// the node lifecycle controller has marked it not ready meanwhile).
    resync: bool,
    node: String,
    pod_ip: Option<String>,
    sandbox_at: Option<SimTime>,
    restart_policy: String,
    containers: Vec<ContainerRun>,
    init_count: usize,
    /// The pod is being deleted: containers are being stopped, nothing restarts.
    terminating: bool,
    /// The regular containers have all finished for good: the sidecars were sent SIGTERM and
    /// are not restarted.
    sidecars_stopping: bool,
    /// `spec.terminationGracePeriodSeconds`, in ms.
    grace_millis: u64,
    /// The pod's generation when the kubelet last looked at its spec.
    generation: i64,
    namespace: String,
    name: String,
    /// `spec.hostname`, else the pod's name.
    hostname: String,
    /// The containers' mounts of PersistentVolumeClaims, and until when their writes have been
    /// kept with the volumes.
    claim_mounts: Vec<volumes::ClaimMount>,
    volumes_synced_at: SimTime,
    /// What its projected volumes are made of; when they are refreshed next (a source was
    /// written); the labels and annotations they were last made from.
    projection: projection::ProjectionSources,
    projection_refresh_at: Option<SimTime>,
    metadata_seen: u64,
    /// The delay before the last retry of a failed volume mount.
    mount_retry_millis: Option<u64>,
}

/// The kubelet's state across all nodes: pods it runs, images each node has, pod IPs handed out.
#[derive(Debug, Clone, Default)]
pub(crate) struct KubeletState {
    pods: BTreeMap<String, KubeletPod>,
    images: BTreeSet<(String, String)>,
    next_host: BTreeMap<String, u32>,
    /// The files of PersistentVolumes (volume name → path inside the volume → contents).
    volume_files: BTreeMap<String, BTreeMap<String, String>>,
    /// Whether each node's kubelet last reported it unschedulable (for NodeNotSchedulable /
    /// NodeSchedulable events).
    pub(crate) reported_unschedulable: BTreeMap<String, bool>,
    /// The resource version up to which writes were checked for projected volumes' sources.
    projection_watch_version: u64,
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

impl Cluster {
    /// Brings every bound pod's status up to the current time.
    pub(crate) fn run_kubelet(&mut self) {
        let now = self.now();
        self.post_node_status(now);
        self.record_node_schedulable_events();
        let pods = self.list(model::registry::resolve("pods").expect("registered"), None);
        let live: BTreeSet<String> = pods
            .iter()
            .filter_map(|p| p.metadata().uid.clone())
            .collect();
        let gone: Vec<String> = self
            .kubelet
            .pods
            .keys()
            .filter(|uid| !live.contains(*uid))
            .cloned()
            .collect();
        for uid in &gone {
            self.keep_persistent_volume_writes(uid, now);
        }
        self.kubelet.pods.retain(|uid, _| live.contains(uid));
        // Forget who answered requests when the pod is gone or has been quiet for a minute.
        if !self.served_requests.borrow().is_empty() {
            let names: BTreeSet<String> = pods
                .iter()
                .map(|p| format!("{}/{}", p.namespace(), p.name()))
                .collect();
            let horizon = now.0.saturating_sub(60_000);
            self.served_requests.borrow_mut().retain(|pod, times| {
                names.contains(pod) && times.back().is_some_and(|t| t.0 >= horizon)
            });
        }
        self.forget_deleted_volumes();
        self.notice_projection_source_writes(now);
        for pod in pods {
            // Skip (cheaply, without rendering JSON) pods that have nothing due now.
            let uid = pod.metadata().uid.clone().unwrap_or_default();
            if let Some(state) = self.kubelet.pods.get(&uid) {
                if !self.kubelet_is_up(&state.node) {
                    continue;
                }
                let deleting = pod.metadata().deletion_timestamp.is_some();
                let due = state.next_due().is_some_and(|t| t <= now);
                let spec_changed = pod.metadata().generation.unwrap_or(0) != state.generation;
                if !due && !spec_changed && !state.resync && (state.terminating || !deleting) {
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
            if !self.kubelet_is_up(&node) {
                continue;
            }
            let uid = value["metadata"]["uid"].as_str().unwrap_or("").to_string();
            let first_report = !self.kubelet.pods.contains_key(&uid);
            // No kubelet runs a pod bound to a node that does not exist: it stays Pending
            // (until the pod garbage collector removes it).
            if first_report
                && self
                    .get(
                        model::registry::resolve("nodes").expect("registered"),
                        "",
                        &node,
                    )
                    .is_err()
            {
                continue;
            }
            if first_report {
                let mut plan = new_pod(&value, &node, now);
                plan.metadata_seen = projection::metadata_fingerprint(pod.metadata());
                self.kubelet.pods.insert(uid.clone(), plan);
            }
            self.sync_pod(&pod, &value, &uid, now, first_report);
            self.keep_persistent_volume_writes(&uid, now);
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
        let mut changed = first || std::mem::take(&mut state.resync);
        changed |= add_ephemeral_containers(value, &mut state, now);
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
                // The kubelet mounts the pod's volumes before it creates the sandbox: a
                // volume that cannot be set up leaves the pod without an IP, retried.
                if let Err(failures) = self.mount_pod_volumes(value, &state) {
                    let delay = state.next_mount_retry();
                    state.sandbox_at = Some(SimTime(at.0 + delay));
                    for line in failures.lines() {
                        let _ = self.record_event(
                            pod,
                            EventType::Warning,
                            "FailedMount",
                            line,
                            &source,
                        );
                    }
                    continue;
                }
                state.mount_retry_millis = None;
                state.sandbox_at = None;
                let (subnet, node_address) = self.node_network(&state.node);
                if value["spec"]["hostNetwork"] == Value::Bool(true) {
                    // A host-network pod shares its node's network namespace and address.
                    state.pod_ip = Some(node_address);
                } else {
                    let host = self
                        .kubelet
                        .next_host
                        .entry(state.node.clone())
                        .or_insert(2);
                    state.pod_ip = Some(format!("{subnet}.{host}"));
                    // The /24 is handed out in turn (2…254), then again from the start.
                    *host = if *host >= 254 { 2 } else { *host + 1 };
                }
                if let Some(first) = state.containers.first_mut() {
                    first.action = Some((at, Action::EnsureImage));
                }
                changed = true;
                continue;
            }
            // The earliest due refresh of projected files, action or probe (in that order at
            // the same instant).
            let due = state
                .containers
                .iter()
                .enumerate()
                .flat_map(|(i, c)| {
                    c.action
                        .as_ref()
                        .map(|(t, _)| (*t, 1, i))
                        .into_iter()
                        .chain(c.next_probe_at().map(|t| (t, 2, i)))
                })
                .chain(state.projection_refresh_at.map(|t| (t, 0, 0)))
                .filter(|(t, _, _)| *t <= now)
                .min();
            let Some((at, kind, index)) = due else {
                break;
            };
            if kind == 0 {
                state.projection_refresh_at = None;
                if !state.terminating {
                    self.refresh_projected_files(pod, value, &mut state, at, &source);
                }
                continue;
            }
            if kind == 2 {
                changed |= self.run_probes(pod, &mut state, index, at, &source);
                continue;
            }
            let Some((_, action)) = state.containers[index].action.take() else {
                break;
            };
            let starting = action == Action::Start;
            self.perform(pod, value, &mut state, index, at, action, &source);
            if starting {
                state.catch_up_empty_dir_writes(index, at);
            }
            state.deliver_empty_dir_writes(index, &[]);
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
        // Every event of a container action is about that container (its field path).
        let container_name = state.containers[index].name.clone();
        let event = |cluster: &mut Cluster, kind: EventType, reason: &str, message: &str| {
            let _ =
                cluster.record_container_event(pod, &container_name, kind, reason, message, source);
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
                        &format!("Container image \"{image}\" already present on machine and can be accessed by the pod"),
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
                let mut projected = BTreeMap::new();
                let environment = match self.container_environment(value, state, index) {
                    Ok(mut env) => {
                        if state.projection.is_watched() {
                            projected = projection::without_sub_paths(
                                env.files.clone(),
                                &state.containers[index].spec,
                            );
                        }
                        env.files
                            .extend(environment::shared_empty_dir_files(state, index, at));
                        // The runtime's /etc/resolv.conf and the kubelet's /etc/hosts.
                        if let Some(text) = environment::resolv_conf(value) {
                            env.files.insert("/etc/resolv.conf".into(), text);
                        }
                        let pod_ip = state.pod_ip.clone().unwrap_or_default();
                        if let Some(text) = environment::hosts_file(value, &pod_ip, &state.hostname)
                        {
                            env.files.insert("/etc/hosts".into(), text);
                        }
                        match self.persistent_volume_files(state, index) {
                            Ok(files) => {
                                env.files.extend(files);
                                Ok(env)
                            }
                            Err(message) => Err(message),
                        }
                    }
                    Err(message) => Err(message),
                };
                let environment = match environment {
                    Ok(env) => env,
                    Err(message)
                        if message.starts_with(MOUNT_FAILURE)
                            || message.starts_with(volumes::UNABLE_TO_MOUNT) =>
                    {
                        // A volume that cannot be set up keeps the pod ContainerCreating; the
                        // kubelet retries the mount.
                        let delay = state.next_mount_retry();
                        let container = &mut state.containers[index];
                        container.state = ContainerState::Waiting {
                            reason: "ContainerCreating".into(),
                            message: None,
                        };
                        container.action = Some((SimTime(at.0 + delay), Action::Start));
                        for line in message.lines() {
                            event(self, EventType::Warning, "FailedMount", line);
                        }
                        return;
                    }
                    Err(message) => {
                        let container = &mut state.containers[index];
                        container.state = ContainerState::Waiting {
                            reason: "CreateContainerConfigError".into(),
                            message: Some(message.clone()),
                        };
                        // Each retry goes through the image again (`already present on
                        // machine`), as the kubelet's startContainer does before the config.
                        container.action =
                            Some((SimTime(at.0 + RETRY_MILLIS), Action::EnsureImage));
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
                // A shell runs ahead only up to the pod's next sync while its projected files
                // can change.
                let hold_files = state
                    .projection
                    .is_watched()
                    .then(|| projection::next_sync(at));
                let shares_volume = state.shares_empty_dir(index);
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
                    event(self, EventType::Normal, "Created", "Container created");
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
                container.redis_config = programs::redis_server_config(&launch, &environment.files)
                    .map(|config| {
                        config
                            .iter()
                            .map(|(key, value)| format!("{key}={value}\n"))
                            .collect()
                    });
                container.sigterm_exit = programs::exit_on_sigterm(&launch, &program);
                container.profile = programs::resource_profile(&launch, &program);
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
                if let Some(until) = hold_files {
                    process.hold_files_until(until);
                }
                if shares_volume {
                    process.share_own_writes();
                }
                if process.uses_network() {
                    process.set_network(self.network_handle_for_pod(
                        &state.namespace,
                        state.pod_ip.as_deref().unwrap_or(""),
                    ));
                }
                let progress = process.run_until(SimTime(at.0 + LOOKAHEAD_MILLIS));
                for pod in process.take_served_requests() {
                    self.record_served_request(&pod, at);
                }
                container.process = Some(process);
                container.projected = projected;
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
                event(self, EventType::Normal, "Created", "Container created");
                event(self, EventType::Normal, "Started", "Container started");
                // The postStart hook runs once the container has started; a failing one
                // kills the container, which then restarts as its policy says.
                let uid = pod.metadata().uid.clone().unwrap_or_default();
                if self.run_post_start_hook(state, index, &uid, at) == Some(true) {
                    event(
                        self,
                        EventType::Warning,
                        "FailedPostStartHook",
                        "PostStartHook failed",
                    );
                    event(self, EventType::Normal, "Killing", "FailedPostStartHook");
                    let grace_millis = value["spec"]["terminationGracePeriodSeconds"]
                        .as_u64()
                        .unwrap_or(30)
                        .min(1 << 40)
                        * 1000;
                    let container = &mut state.containers[index];
                    let (exit_at, code) = sigterm_outcome(
                        container.sigterm_exit,
                        at,
                        kill_deadline(at, grace_millis),
                    );
                    container.probes.clear();
                    container.action = Some((exit_at, Action::Exited { code }));
                }
                let container = &mut state.containers[index];
                // The next container starts once this one is up (init containers: once done).
                if !container.init || container.sidecar {
                    self.schedule_next(state, index, at);
                }
            }
            Action::Extend => {
                let uses_network = state.containers[index]
                    .process
                    .as_ref()
                    .is_some_and(Process::uses_network);
                let network = uses_network.then(|| {
                    self.network_handle_for_pod(
                        &state.namespace,
                        state.pod_ip.as_deref().unwrap_or(""),
                    )
                });
                let hold_files = state
                    .projection
                    .is_watched()
                    .then(|| projection::next_sync(at));
                let container = &mut state.containers[index];
                if let Some(process) = container.process.as_mut() {
                    if let Some(network) = network {
                        process.set_network(network);
                    }
                    if let Some(until) = hold_files {
                        process.hold_files_until(until);
                    }
                    let progress = process.run_until(SimTime(at.0 + LOOKAHEAD_MILLIS));
                    container.action = action_for(progress);
                    for pod in process.take_served_requests() {
                        self.record_served_request(&pod, at);
                    }
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
        let regular = !container.init && !container.ephemeral;
        let restart = if container.ephemeral {
            false
        } else if container.sidecar {
            !state.sidecars_stopping
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
            if regular {
                let stopped = stop_sidecars_when_done(state, at);
                // The kubelet says it stops each sidecar (`Stopping container NAME`).
                let pods = model::registry::resolve("pods").expect("registered");
                if let Ok(pod) = self.get(pods, &state.namespace, &state.name) {
                    let source = EventSource {
                        component: "kubelet".into(),
                        host: Some(state.node.clone()),
                    };
                    for name in stopped {
                        let _ = self.record_container_event(
                            &pod,
                            &name,
                            EventType::Normal,
                            "Killing",
                            &format!("Stopping container {name}"),
                            &source,
                        );
                    }
                }
            }
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
            if !next.ephemeral
                && next.action.is_none()
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

    /// When the kubelet next has something to do (a step of some pod), if ever.
    /// Each running kubelet posts its node Ready (again, after it was silent).
    fn post_node_status(&mut self, now: SimTime) {
        let nodes = model::registry::resolve("nodes").expect("registered");
        for node in self.list(nodes, None) {
            if !self.kubelet_is_up(node.name()) {
                continue;
            }
            let Object::Node(typed) = &*node else {
                continue;
            };
            let ready = typed
                .status
                .as_ref()
                .and_then(|s| s.conditions.as_ref())
                .and_then(|c| c.iter().find(|c| c.type_ == "Ready"))
                .map(|c| c.status.as_str());
            if matches!(ready, Some("True") | None) {
                continue;
            }
            let mut value = node.to_json_value();
            let time = serde_json::to_value(now.to_k8s_time()).unwrap_or_default();
            for condition in value["status"]["conditions"]
                .as_array_mut()
                .into_iter()
                .flatten()
            {
                let (status, reason, message) = match condition["type"].as_str() {
                    Some("Ready") => ("True", "KubeletReady", "kubelet is posting ready status"),
                    Some("MemoryPressure") => (
                        "False",
                        "KubeletHasSufficientMemory",
                        "kubelet has sufficient memory available",
                    ),
                    Some("DiskPressure") => (
                        "False",
                        "KubeletHasNoDiskPressure",
                        "kubelet has no disk pressure",
                    ),
                    Some("PIDPressure") => (
                        "False",
                        "KubeletHasSufficientPID",
                        "kubelet has sufficient PID available",
                    ),
                    _ => continue,
                };
                condition["status"] = serde_json::json!(status);
                condition["reason"] = serde_json::json!(reason);
                condition["message"] = serde_json::json!(message);
                condition["lastHeartbeatTime"] = time.clone();
                condition["lastTransitionTime"] = time.clone();
            }
            if let Ok(object) = Object::from_json_value(value) {
                self.update_status(object);
                let _ = self.record_event(
                    &node,
                    EventType::Normal,
                    "NodeReady",
                    &format!("Node {} status is now: NodeReady", node.name()),
                    &EventSource {
                        component: "kubelet".into(),
                        host: Some(node.name().to_string()),
                    },
                );
            }
        }
    }

    /// Makes the running containers of a pod exit now with `code` (all of them, or the one
    /// named): `cluster crash` (1) and `cluster kill` (137).
    pub fn inject_container_exit(
        &mut self,
        namespace: &str,
        pod: &str,
        container: Option<&str>,
        code: i32,
    ) -> Result<usize, String> {
        let pods = model::registry::resolve("pods").expect("registered");
        let object = self.get(pods, namespace, pod).map_err(|e| e.to_string())?;
        let uid = object.metadata().uid.clone().unwrap_or_default();
        let now = self.now();
        let Some(state) = self.kubelet.pods.get_mut(&uid) else {
            return Err(format!("pod \"{pod}\" has no running containers"));
        };
        if let Some(name) = container {
            if !state.containers.iter().any(|c| c.name == name) {
                return Err(format!("container {name} is not valid for pod {pod}"));
            }
        }
        let mut hit = 0;
        for run in state.containers.iter_mut() {
            if container.is_some_and(|c| c != run.name) {
                continue;
            }
            if matches!(run.state, ContainerState::Running { .. }) {
                run.action = Some((now, Action::Exited { code }));
                hit += 1;
            }
        }
        if hit == 0 {
            return Err(format!("pod \"{pod}\" has no running containers"));
        }
        self.run_components();
        Ok(hit)
    }

    /// A node's kubelet is back: it reports each of its pods' status again (the status
    /// manager's sync), which undoes what the node lifecycle controller marked meanwhile.
    pub(crate) fn kubelet_resync_node(&mut self, node: &str) {
        for pod in self.kubelet.pods.values_mut() {
            if pod.node == node {
                pod.resync = true;
            }
        }
    }

    pub(crate) fn kubelet_next_wakeup(&self) -> Option<SimTime> {
        self.kubelet
            .pods
            .values()
            .filter(|p| self.kubelet_is_up(&p.node))
            .filter_map(KubeletPod::next_due)
            .min()
    }
}

impl KubeletPod {
    /// The volume manager retries a failed mount after 0.5 s, doubling up to 2m2s (each
    /// failure an event).
    fn next_mount_retry(&mut self) -> u64 {
        let delay = self
            .mount_retry_millis
            .map_or(MOUNT_RETRY_INITIAL_MILLIS, |d| {
                (d * 2).min(MOUNT_RETRY_MAX_MILLIS)
            });
        self.mount_retry_millis = Some(delay);
        delay
    }

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
            .chain(self.projection_refresh_at)
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

pub(super) fn string_list(value: &Value) -> Vec<String> {
    value
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|v| v.as_str().map(str::to_string))
        .collect()
}

/// Ephemeral containers the pod's spec gained (`kubectl debug`) join the running pod and start
/// now; whether any did.
fn add_ephemeral_containers(pod: &Value, state: &mut KubeletPod, now: SimTime) -> bool {
    if state.terminating || state.pod_ip.is_none() {
        return false;
    }
    let mut added = false;
    for spec in pod["spec"]["ephemeralContainers"]
        .as_array()
        .into_iter()
        .flatten()
    {
        let name = spec["name"].as_str().unwrap_or("");
        if state.containers.iter().any(|c| c.name == name) {
            continue;
        }
        let mut run = container_run(spec, false, "ContainerCreating");
        run.ephemeral = true;
        run.action = Some((now, Action::EnsureImage));
        state.containers.push(run);
        added = true;
    }
    added
}

/// A container as the kubelet first knows it: waiting (with `waiting` as its reason), nothing
/// pulled or started yet.
fn container_run(spec: &Value, init: bool, waiting: &str) -> ContainerRun {
    ContainerRun {
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
            reason: waiting.into(),
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
        profile: Default::default(),
        spec_changed: false,
        ephemeral: false,
        projected: BTreeMap::new(),
        empty_dir_mounts: Vec::new(),
        read_only_mounts: Vec::new(),
        redis_config: None,
    }
}

/// When and how a container signalled at `signalled_at` ends: a program that exits on SIGTERM
/// does so (a trapping shell once its foreground command ends), at the latest when the kubelet
/// kills it at `kill_at` (137).
fn sigterm_outcome(
    sigterm_exit: Option<programs::SigtermExit>,
    signalled_at: SimTime,
    kill_at: SimTime,
) -> (SimTime, i32) {
    match sigterm_exit {
        Some(exit) if signalled_at.0.saturating_add(exit.after_millis) < kill_at.0 => {
            (SimTime(signalled_at.0 + exit.after_millis), exit.code)
        }
        _ => (kill_at, 137),
    }
}

/// A kill's end of grace: the grace period from `signalled_at`, never under the kubelet's
/// two-second minimum (`minimumGracePeriodInSeconds`).
fn kill_deadline(signalled_at: SimTime, grace_millis: u64) -> SimTime {
    SimTime(
        signalled_at
            .0
            .saturating_add(grace_millis.max(MINIMUM_GRACE_MILLIS)),
    )
}

/// The shortest shutdown window the kubelet gives a container.
const MINIMUM_GRACE_MILLIS: u64 = 2_000;

/// Once every regular container has finished for good (a pod that does not restart them), the
/// kubelet stops the sidecars (restartable init containers) with SIGTERM:
/// a server exits at once, a shell that ignores the signal is killed at the end of the pod's
/// grace period (all signalled at once: upstream waits for each in turn). The pod then ends
/// Succeeded or Failed by its regular containers alone.
fn stop_sidecars_when_done(state: &mut KubeletPod, at: SimTime) -> Vec<String> {
    let all_done = state
        .containers
        .iter()
        .filter(|c| !c.init && !c.ephemeral)
        .all(|c| {
            matches!(c.state, ContainerState::Terminated(_))
                && !matches!(
                    c.action,
                    Some((_, Action::Restart | Action::EnterCrashLoop { .. }))
                )
        });
    if !all_done || state.sidecars_stopping {
        return Vec::new();
    }
    state.sidecars_stopping = true;
    let kill_at = kill_deadline(at, state.grace_millis);
    let mut stopped = Vec::new();
    for container in state.containers.iter_mut().rev().filter(|c| c.sidecar) {
        container.probes.clear();
        container.restart_at = None;
        if !matches!(container.state, ContainerState::Running { .. }) {
            container.action = None;
            continue;
        }
        let (exit_at, code) = sigterm_outcome(container.sigterm_exit, at, kill_at);
        container.action = Some((exit_at, Action::Exited { code }));
        stopped.push(container.name.clone());
    }
    stopped
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
        let waiting = if init || init_count > 0 {
            "PodInitializing"
        } else {
            "ContainerCreating"
        };
        let mut run = container_run(spec, init, waiting);
        run.empty_dir_mounts = shared_volumes::empty_dir_mounts(pod, spec);
        run.read_only_mounts = shared_volumes::read_only_mounts(pod, spec);
        containers.push(run);
    }
    // Init containers wait as PodInitializing until they run; the first one is being created.
    KubeletPod {
        seen_at: now,
        resync: false,
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
        sidecars_stopping: false,
        grace_millis: pod["spec"]["terminationGracePeriodSeconds"]
            .as_u64()
            .unwrap_or(30)
            .min(1 << 40)
            * 1000,
        generation: pod["metadata"]["generation"].as_i64().unwrap_or(0),
        namespace: pod["metadata"]["namespace"]
            .as_str()
            .unwrap_or("default")
            .to_string(),
        name: pod["metadata"]["name"].as_str().unwrap_or("").to_string(),
        hostname: pod["spec"]["hostname"]
            .as_str()
            .or(pod["metadata"]["name"].as_str())
            .unwrap_or("")
            .to_string(),
        claim_mounts: volumes::claim_mounts(pod),
        volumes_synced_at: now,
        projection: projection::projection_sources(pod),
        projection_refresh_at: None,
        metadata_seen: 0,
        mount_retry_millis: None,
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
