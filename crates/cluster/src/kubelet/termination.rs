//! Pods that go away or change: graceful deletion (deletionTimestamp, `Killing` with SIGTERM
//! or the end of the grace period, then removal) and containers whose image changed in the
//! spec (killed and started again with the new image).

use super::*;

/// How long a postStart exec hook may run before the kubelet stops waiting for it.
const POST_START_LIMIT_MILLIS: u64 = 10_000;

/// How many file writes of a postStart hook are kept one by one.
const POST_START_MAX_CHANGES: usize = 200;

impl Cluster {
    /// A container whose image changed in the spec (`kubectl set image` on a pod) is killed and
    /// started again with the new image, as the kubelet does when a container's hash changes.
    pub(super) fn apply_spec_changes(
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
        let state_grace_millis = state.grace_millis;
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
                    let (exit_at, code) = sigterm_outcome(
                        container.sigterm_exit,
                        now,
                        kill_deadline(now, state_grace_millis),
                    );
                    container.probes.clear();
                    container.action = Some((exit_at, Action::Exited { code }));
                    container.restart_at = None;
                    container.crash_backoff = None;
                    container.spec_changed = true;
                    let message = format!(
                        "Container {} definition changed, will be restarted",
                        container.name
                    );
                    let _ = self.record_container_event(
                        pod,
                        &container.name,
                        EventType::Normal,
                        "Killing",
                        &message,
                        source,
                    );
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

    /// The pod got a deletionTimestamp: `Killing` each running container — its preStop hook
    /// first (an exec command through the container's shell, `sleep`, `httpGet`), then SIGTERM:
    /// servers stop at once, a shell as PID 1 ignores it and is killed when the grace period
    /// ends (at least 2 s after a hook that used it up, as the kubelet allows) — and cancel
    /// everything else.
    pub(super) fn start_termination(
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
        let uid = value["metadata"]["uid"].as_str().unwrap_or("").to_string();
        let mut stopping = Vec::new();
        let mut failed_hooks = Vec::new();
        for index in 0..state.containers.len() {
            let running = matches!(
                state.containers[index].state,
                ContainerState::Running { .. }
            );
            let hook = if running && grace_millis > 0 {
                self.run_pre_stop_hook(state, index, &uid, now, deadline)
            } else {
                None
            };
            let container = &mut state.containers[index];
            container.probes.clear();
            container.restart_at = None;
            if !running {
                container.action = None;
                continue;
            }
            // The hook uses up part of the grace period; what is left (at least 2 s) follows
            // the SIGTERM.
            let (signalled_at, kill_at) = match hook {
                Some((ended, failed)) => {
                    if failed {
                        failed_hooks.push(container.name.clone());
                    }
                    (
                        ended,
                        kill_deadline(ended, deadline.0.saturating_sub(ended.0)),
                    )
                }
                None => (now, kill_deadline(now, grace_millis)),
            };
            let (exit_at, code) = sigterm_outcome(container.sigterm_exit, signalled_at, kill_at);
            let exit = match &container.action {
                Some((t, Action::Exited { code })) if *t <= exit_at => (*t, *code),
                _ => (exit_at, code),
            };
            container.action = Some((exit.0, Action::Exited { code: exit.1 }));
            stopping.push(container.name.clone());
        }
        for name in stopping {
            let _ = self.record_container_event(
                pod,
                &name,
                EventType::Normal,
                "Killing",
                &format!("Stopping container {name}"),
                source,
            );
        }
        for name in failed_hooks {
            let _ = self.record_container_event(
                pod,
                &name,
                EventType::Warning,
                "FailedPreStopHook",
                "PreStopHook failed",
                source,
            );
        }
    }

    /// Runs a container's postStart hook as it starts: an exec hook runs in the container
    /// (what it writes stays there), a sleep or HTTP hook succeeds. Whether it failed; `None`
    /// without a hook.
    pub(super) fn run_post_start_hook(
        &mut self,
        state: &mut KubeletPod,
        index: usize,
        uid: &str,
        at: SimTime,
    ) -> Option<bool> {
        let hook = state.containers[index].spec["lifecycle"]["postStart"].clone();
        let Some(command) = hook["exec"]["command"].as_array() else {
            return (hook["sleep"].is_object() || hook["httpGet"].is_object()).then_some(false);
        };
        let argv: Vec<String> = command
            .iter()
            .map(|word| word.as_str().unwrap_or("").to_string())
            .collect();
        if argv.is_empty() {
            return Some(true);
        }
        let mut machine = self.container_shell(state, &state.containers[index], uid, &argv, at);
        let progress = machine.run_until(SimTime(at.0 + POST_START_LIMIT_MILLIS));
        // Each write at its own instant; a hook that writes on and on keeps only the last
        // content of each file (a bounded record).
        let mut changes: Vec<(SimTime, String, Option<String>)> = machine
            .state
            .file_log
            .iter()
            .map(|(when, path, content)| (*when, path.clone(), content.clone()))
            .collect();
        if changes.len() > POST_START_MAX_CHANGES {
            let mut last: BTreeMap<String, (SimTime, Option<String>)> = BTreeMap::new();
            for (when, path, content) in changes {
                last.insert(path, (when, content));
            }
            changes = last
                .into_iter()
                .map(|(path, (when, content))| (when, path, content))
                .collect();
            model::sort::SortSlice::sort_stable_by_key(changes.as_mut_slice(), |(when, _, _)| {
                *when
            });
        }
        if let Some(process) = state.containers[index].process.as_mut() {
            for (when, path, content) in changes {
                process.record_file_change(when, &path, content);
            }
        }
        Some(matches!(
            progress,
            crate::runtime::shell_vm::Progress::Exited(_, code) if code != 0
        ))
    }

    /// When a running container's preStop hook ends (cut off at the grace period's end) and
    /// whether it failed; `None` without a hook.
    fn run_pre_stop_hook(
        &self,
        state: &KubeletPod,
        index: usize,
        uid: &str,
        now: SimTime,
        deadline: SimTime,
    ) -> Option<(SimTime, bool)> {
        let run = &state.containers[index];
        let hook = &run.spec["lifecycle"]["preStop"];
        if let Some(command) = hook["exec"]["command"].as_array() {
            let argv: Vec<String> = command
                .iter()
                .map(|word| word.as_str().unwrap_or("").to_string())
                .collect();
            if argv.is_empty() {
                return Some((now, true));
            }
            let mut machine = self.container_shell(state, run, uid, &argv, now);
            return Some(match machine.run_until(deadline) {
                crate::runtime::shell_vm::Progress::Exited(at, code) => {
                    (at.min(deadline), code != 0)
                }
                // Still running when the grace period ends: the kubelet stops waiting for it.
                _ => (deadline, false),
            });
        }
        if let Some(seconds) = hook["sleep"]["seconds"].as_u64() {
            return Some((
                SimTime(now.0.saturating_add(seconds.min(1 << 40) * 1000)).min(deadline),
                false,
            ));
        }
        if hook["httpGet"].is_object() {
            return Some((now, false));
        }
        None
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
        let key = crate::api::key_for(resource, namespace, name);
        let now = self.now();
        let marked = self
            .api
            .mark_pod_terminating(&key, grace_period_seconds, now)?;
        // The kubelet watches its pods: it starts stopping the containers at once.
        self.run_kubelet();
        Some(Ok(self.get(resource, namespace, name).unwrap_or(marked)))
    }
}
