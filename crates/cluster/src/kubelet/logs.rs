//! Container logs as the API server and the kubelet serve `GET …/pods/NAME/log`: the current
//! or previous instance, with the API server's and kubelet's errors.

use super::*;

/// Where a pod's log request ends up: the lines, or the kubelet's refusal.
pub type LogLines = Vec<(SimTime, String)>;

impl Cluster {
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
