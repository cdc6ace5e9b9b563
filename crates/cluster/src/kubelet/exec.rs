//! `kubectl exec`: a command run in a running container, through the mini shell, against the
//! container's files as they are now, with its environment and the pod's view of the network.
//! What the command writes stays in the container (and, under a claim's mount, in the volume).
//! Commands run at the current instant: their own `sleep`s pass inside the command, not on the
//! cluster's clock.

use super::*;
use crate::runtime::shell_vm::{Progress, ShellMachine, ShellState};

/// How long an exec'd command may run (simulated) before it is cut off.
const EXEC_LIMIT_MILLIS: u64 = 600_000;

/// What an exec'd command did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExecOutcome {
    /// stdout and stderr as they interleaved.
    pub output: String,
    pub exit_code: i32,
}

/// Why an exec did not run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ExecRefusal {
    /// From the API server (`Error from server (…)`).
    Api(ApiError),
    /// What kubectl itself prints (`error: …`).
    Client(String),
}

impl Cluster {
    /// The pod's uid and the container's index in the kubelet's state, when the container is
    /// running (what exec, cp and attach need), or the API server's or kubelet's refusal.
    fn running_container(
        &self,
        namespace: &str,
        pod: &str,
        container: &str,
    ) -> Result<(String, usize), ExecRefusal> {
        let resource = model::registry::resolve("pods").expect("registered");
        let object = self
            .get(resource, namespace, pod)
            .map_err(ExecRefusal::Api)?
            .to_json_value();
        let phase = object["status"]["phase"].as_str().unwrap_or("Pending");
        if phase == "Succeeded" || phase == "Failed" {
            return Err(ExecRefusal::Client(format!(
                "cannot exec into a container in a completed pod; current phase is {phase}"
            )));
        }
        let declared = ["containers", "initContainers", "ephemeralContainers"]
            .iter()
            .flat_map(|key| object["spec"][*key].as_array().into_iter().flatten())
            .any(|c| c["name"] == container);
        if !declared {
            return Err(ExecRefusal::Api(ApiError::bad_request(format!(
                "container {container} is not valid for pod {pod}"
            ))));
        }
        let uid = object["metadata"]["uid"].as_str().unwrap_or("").to_string();
        let not_running = || {
            ExecRefusal::Client(format!(
                "unable to upgrade connection: container not found (\"{container}\")"
            ))
        };
        let state = self.kubelet.pods.get(&uid).ok_or_else(not_running)?;
        let index = state
            .containers
            .iter()
            .position(|c| c.name == container)
            .ok_or_else(not_running)?;
        if !matches!(
            state.containers[index].state,
            ContainerState::Running { .. }
        ) {
            return Err(not_running());
        }
        Ok((uid, index))
    }

    /// `kubectl cp`'s read half (kubectl runs `tar cf - PATH` in the container): the file at
    /// `path`, or every file under the directory `path`, as (path, content). `Ok(None)` when
    /// the container has no `tar`; an empty list when nothing is there.
    pub fn read_container_files(
        &mut self,
        namespace: &str,
        pod: &str,
        container: &str,
        path: &str,
    ) -> Result<Option<Vec<(String, String)>>, ExecRefusal> {
        let (uid, index) = self.running_container(namespace, pod, container)?;
        let now = self.now();
        let Some(run) = self
            .kubelet
            .pods
            .get(&uid)
            .and_then(|s| s.containers.get(index))
        else {
            return Ok(Some(Vec::new()));
        };
        if !crate::runtime::programs::image_has_tar(&run.image) {
            return Ok(None);
        }
        let files = run
            .process
            .as_ref()
            .map(|p| p.files_at(now))
            .unwrap_or_default();
        let directory = format!("{}/", path.trim_end_matches('/'));
        Ok(Some(
            files
                .into_iter()
                .filter(|(name, _)| name == path || name.starts_with(&directory))
                .collect(),
        ))
    }

    /// Hands what `kubectl exec`/`cp` wrote in a container to the containers sharing its
    /// emptyDir volumes.
    fn share_exec_writes(
        &mut self,
        uid: &str,
        index: usize,
        now: SimTime,
        changes: &[(String, Option<String>)],
    ) {
        if let Some(state) = self.kubelet.pods.get_mut(uid) {
            let writes: Vec<(SimTime, String, Option<String>)> = changes
                .iter()
                .map(|(path, content)| (now, path.clone(), content.clone()))
                .collect();
            state.deliver_empty_dir_writes(index, &writes);
        }
    }

    /// `kubectl cp`'s write half (`tar xf -` in the container): writes the files (under a
    /// claim's mount they land in its volume). `Ok(false)` when the container has no `tar`.
    pub fn write_container_files(
        &mut self,
        namespace: &str,
        pod: &str,
        container: &str,
        files: &[(String, String)],
    ) -> Result<bool, ExecRefusal> {
        let (uid, index) = self.running_container(namespace, pod, container)?;
        let now = self.now();
        let Some(run) = self
            .kubelet
            .pods
            .get_mut(&uid)
            .and_then(|s| s.containers.get_mut(index))
        else {
            return Ok(false);
        };
        if !crate::runtime::programs::image_has_tar(&run.image) {
            return Ok(false);
        }
        let changes: Vec<(String, Option<String>)> = files
            .iter()
            .map(|(path, content)| (path.clone(), Some(content.clone())))
            .collect();
        if let Some(process) = run.process.as_mut() {
            for (path, content) in &changes {
                process.record_file_change(now, path, content.clone());
            }
        }
        self.share_exec_writes(&uid, index, now, &changes);
        self.write_through_claims(&uid, index, &changes);
        self.network_cache.borrow_mut().take();
        Ok(true)
    }

    /// The `pods/NAME/ephemeralcontainers` subresource (what `kubectl debug` patches): adds an
    /// ephemeral container to a pod; its kubelet starts it at once. Names must be unique among
    /// all the pod's containers; a finished pod cannot take one.
    pub fn add_ephemeral_container(
        &mut self,
        namespace: &str,
        pod: &str,
        container: Value,
    ) -> Result<(), ApiError> {
        let resource = model::registry::resolve("pods").expect("registered");
        let mut object = self.get(resource, namespace, pod)?.to_json_value();
        let name = container["name"].as_str().unwrap_or("").to_string();
        let existing = ["containers", "initContainers", "ephemeralContainers"]
            .iter()
            .flat_map(|key| object["spec"][*key].as_array().cloned().unwrap_or_default())
            .any(|c| c["name"] == name.as_str());
        let index = object["spec"]["ephemeralContainers"]
            .as_array()
            .map_or(0, Vec::len);
        if existing {
            return Err(ApiError::unprocessable(format!(
                "Pod \"{pod}\" is invalid: spec.ephemeralContainers[{index}].name: Duplicate value: \"{name}\""
            )));
        }
        if container["image"].as_str().unwrap_or("").is_empty() {
            return Err(ApiError::unprocessable(format!(
                "Pod \"{pod}\" is invalid: spec.ephemeralContainers[{index}].image: Required value"
            )));
        }
        match object["spec"]["ephemeralContainers"].as_array_mut() {
            Some(list) => list.push(container),
            None => object["spec"]["ephemeralContainers"] = Value::Array(vec![container]),
        }
        let object =
            Object::from_json_value(object).map_err(|e| ApiError::bad_request(e.to_string()))?;
        let uid = object.metadata().uid.clone().unwrap_or_default();
        self.api.write_internal(object);
        if let Some(state) = self.kubelet.pods.get_mut(&uid) {
            state.resync = true;
        }
        self.run_components();
        Ok(())
    }

    /// A shell machine that runs `argv` in a running container as `kubectl exec` (and the
    /// kubelet's exec hooks) do: the container's files and environment, the pod's hostname and
    /// view of the network, from `now`.
    pub(super) fn container_shell(
        &self,
        state: &KubeletPod,
        run: &ContainerRun,
        uid: &str,
        argv: &[String],
        now: SimTime,
    ) -> ShellMachine {
        let files = run
            .process
            .as_ref()
            .map(|p| p.files_at(now))
            .unwrap_or_default();
        let (shell_name, script, positional) = crate::runtime::shell_invocation(argv);
        // The image's PATH and the runtime's HOME, then the container's environment.
        let mut variables: BTreeMap<String, String> = BTreeMap::new();
        variables.insert(
            "PATH".into(),
            "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin".into(),
        );
        variables.insert("HOME".into(), "/root".into());
        variables.extend(run.environment.iter().cloned());
        variables.insert("HOSTNAME".into(), state.hostname.clone());
        let exported = variables.keys().cloned().collect();
        if let Some(config) = &run.redis_config {
            variables.insert(
                crate::runtime::programs::REDIS_CONFIG_VARIABLE.to_string(),
                config.clone(),
            );
        }
        let network = {
            let mut handle = self
                .network_handle_for_pod(&state.namespace, state.pod_ip.as_deref().unwrap_or(""));
            handle.valid_until = SimTime(now.0 + EXEC_LIMIT_MILLIS);
            handle
        };
        let shell_state = ShellState {
            shell_name,
            variables,
            positional: if positional.is_empty() {
                vec!["sh".to_string()]
            } else {
                positional
            },
            files,
            status: 0,
            now,
            random_state: fnv(&format!("{uid}/{}/{}", run.name, now.0)),
            exported,
            file_log: Vec::new(),
            network,
            read_only: run.read_only_mounts.clone(),
        };
        ShellMachine::new(&script, shell_state)
    }

    /// Runs `argv` in `container` (the first one when `None`) of a pod.
    pub fn exec(
        &mut self,
        namespace: &str,
        pod: &str,
        container: &str,
        argv: &[String],
    ) -> Result<ExecOutcome, ExecRefusal> {
        let (uid, index) = self.running_container(namespace, pod, container)?;
        let now = self.now();
        let Some(state_snapshot) = self.kubelet.pods.get(&uid).cloned() else {
            return Err(ExecRefusal::Client(format!(
                "unable to upgrade connection: container not found (\"{container}\")"
            )));
        };
        let run = &state_snapshot.containers[index];
        let Some(first) = argv.first() else {
            return Err(ExecRefusal::Client(
                "you must specify at least one command for the container".into(),
            ));
        };
        let program = first.rsplit('/').next().unwrap_or(first);
        if ["sh", "bash", "ash"].contains(&program) && argv.len() == 1 {
            return Err(ExecRefusal::Client(
                "an interactive shell is not simulated in this playground; run one command at a time: kubectl exec POD -- sh -c \"…\"".into(),
            ));
        }
        let mut machine = self.container_shell(&state_snapshot, run, &uid, argv, now);
        let progress = machine.run_until(SimTime(now.0 + EXEC_LIMIT_MILLIS));
        // The pods that answered the command's requests (`wget -qO- http://web`) served them: they
        // count toward those pods' CPU use and the page draws them, as a container's own
        // requests do. The command saw the network as it was when it started.
        let served = machine
            .state
            .network
            .network
            .as_ref()
            .map(|network| network.take_served())
            .unwrap_or_default();
        for pod in served {
            self.record_served_request(&pod, now);
        }
        let output: String = machine
            .output
            .iter()
            .map(|(_, line)| format!("{line}\n"))
            .collect();
        let exit_code = match progress {
            Progress::Exited(_, code) => code,
            _ => {
                return Err(ExecRefusal::Client(
                    "the command did not finish within 10 simulated minutes; exec runs commands that end (no servers, no `sleep infinity`)".into(),
                ))
            }
        };
        // A program the image does not have, run directly (not through a shell): the runtime
        // cannot start it, and says so through the API server.
        let direct = !["sh", "bash", "ash", "dash"].contains(&program);
        if direct && exit_code == 127 && output == format!("sh: {first}: not found\n") {
            let exec_id = status::hex_id(&[&uid, &run.name, &now.0.to_string(), "exec"]);
            return Err(ExecRefusal::Client(format!(
                "Internal error occurred: error executing command in container: failed to exec in container: failed to start exec \"{exec_id}\": OCI runtime exec failed: exec failed: unable to start container process: exec: \"{first}\": executable file not found in $PATH: unknown"
            )));
        }
        // What the command wrote stays in the container (and its claims' volumes).
        let changes: Vec<(String, Option<String>)> = machine
            .state
            .file_log
            .iter()
            .map(|(_, path, content)| (path.clone(), content.clone()))
            .collect();
        if !changes.is_empty() {
            if let Some(process) = self
                .kubelet
                .pods
                .get_mut(&uid)
                .and_then(|s| s.containers.get_mut(index))
                .and_then(|c| c.process.as_mut())
            {
                for (path, content) in &changes {
                    process.record_file_change(now, path, content.clone());
                }
            }
            self.share_exec_writes(&uid, index, now, &changes);
            self.write_through_claims(&uid, index, &changes);
            self.network_cache.borrow_mut().take();
        }
        Ok(ExecOutcome { output, exit_code })
    }
}
