//! What the network needs from the kubelet: the containers running now whose programs listen,
//! with their pod's address and the files of their web root.

use std::collections::BTreeMap;

use super::ContainerState;
use crate::runtime::programs::{HttpBehaviour, Site};
use crate::{Cluster, SimTime};

/// A running container whose program listens.
#[derive(Debug, Clone)]
pub struct RunningListener {
    pub pod_ip: String,
    pub namespace: String,
    pub pod_name: String,
    pub hostname: String,
    pub ports: Vec<u16>,
    pub http: HttpBehaviour,
    pub site: Site,
    /// When the port opens.
    pub listening_from: SimTime,
    pub started_at: SimTime,
    /// The image's tag (hello-app prints its version).
    pub image: String,
    /// `-text` of http-echo style servers.
    pub arguments: Vec<String>,
    /// Files under the server's web root (path → contents), as they are now.
    pub web_root: BTreeMap<String, String>,
}

/// Where servers keep the files they serve.
pub const WEB_ROOTS: &[&str] = &["/usr/share/nginx/html", "/usr/local/apache2/htdocs"];

impl Cluster {
    /// The addresses of pods on nodes whose machine failed (their packets go nowhere).
    pub(crate) fn unreachable_pod_addresses(&self) -> std::collections::BTreeSet<String> {
        self.kubelet
            .pods
            .values()
            .filter(|state| !self.kubelet_is_up(&state.node))
            .filter_map(|state| state.pod_ip.clone())
            .collect()
    }

    /// Every listening container that is running now.
    pub(crate) fn running_listeners(&self) -> Vec<RunningListener> {
        let now = self.now();
        let mut listeners = Vec::new();
        for state in self.kubelet.pods.values() {
            let Some(pod_ip) = state.pod_ip.as_ref() else {
                continue;
            };
            // A failed machine answers nothing.
            if !self.kubelet_is_up(&state.node) {
                continue;
            }
            for container in &state.containers {
                let (Some(listener), ContainerState::Running { started_at }) =
                    (container.listener.as_ref(), &container.state)
                else {
                    continue;
                };
                let web_root = match (listener.site, container.process.as_ref()) {
                    (Site::NginxWelcome | Site::HttpdItWorks, Some(process)) => process
                        .files_at(now)
                        .into_iter()
                        .filter(|(path, _)| {
                            WEB_ROOTS
                                .iter()
                                .any(|root| path.starts_with(&format!("{root}/")))
                        })
                        .collect(),
                    _ => BTreeMap::new(),
                };
                let mut arguments = super::string_list(&container.spec["command"]);
                arguments.extend(super::string_list(&container.spec["args"]));
                listeners.push(RunningListener {
                    pod_ip: pod_ip.clone(),
                    namespace: state.namespace.clone(),
                    pod_name: state.name.clone(),
                    hostname: state.hostname.clone(),
                    ports: listener.ports.clone(),
                    http: listener.http,
                    site: listener.site,
                    listening_from: SimTime(started_at.0 + listener.ready_after_millis),
                    started_at: *started_at,
                    image: container.image.clone(),
                    arguments,
                    web_root,
                });
            }
        }
        listeners
    }
}
