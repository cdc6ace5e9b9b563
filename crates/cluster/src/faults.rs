//! Faults a learner injects, as the `cluster …` script commands and the page's menus do: a
//! node's kubelet stops (the machine died or lost its network) and comes back, nodes join and
//! leave, a container crashes or is killed, the control plane's controller-manager and
//! scheduler stop and start.
//!
//! What follows is the cluster's own doing: a node whose kubelet is silent turns `Unknown`
//! after the node-monitor grace period and gets the `unreachable` taints (the node lifecycle
//! controller), its pods turn NotReady and leave the Services, and after their 300 s
//! toleration they are evicted — they stay `Terminating` while the kubelet cannot confirm, and
//! their controllers replace them elsewhere.

use std::collections::BTreeMap;

use model::Object;

use crate::nodes::{node_object, NodeShape};
use crate::{Cluster, SimTime};

/// What has been broken, and since when.
#[derive(Debug, Clone, Default)]
pub struct Faults {
    /// Nodes whose kubelet stopped, with the instant it did.
    pub stopped_kubelets: BTreeMap<String, SimTime>,
    /// kube-controller-manager and kube-scheduler are down.
    pub control_plane_stopped: bool,
    /// Their static pods' manifests while they are stopped (as if moved out of
    /// /etc/kubernetes/manifests), to put back on start.
    pub stopped_static_pods: Vec<serde_json::Value>,
}

/// The control-plane components `stop_control_plane` stops.
const STOPPABLE_COMPONENTS: [&str; 2] = ["kube-controller-manager", "kube-scheduler"];

fn nodes_resource() -> &'static model::ResourceType {
    model::registry::resolve("nodes").expect("registered")
}

impl Cluster {
    /// The faults in force.
    pub fn faults(&self) -> &Faults {
        &self.faults
    }

    fn node_exists(&self, name: &str) -> Result<(), String> {
        self.get(nodes_resource(), "", name)
            .map(|_| ())
            .map_err(|_| format!("node \"{name}\" not found"))
    }

    /// The node's kubelet stops posting status and running pods (the machine is gone).
    pub fn fail_node(&mut self, name: &str) -> Result<(), String> {
        self.node_exists(name)?;
        let now = self.now();
        self.faults
            .stopped_kubelets
            .entry(name.to_string())
            .or_insert(now);
        Ok(())
    }

    /// The node's kubelet is back: it posts Ready again and picks up its pods.
    pub fn recover_node(&mut self, name: &str) -> Result<(), String> {
        self.node_exists(name)?;
        if self.faults.stopped_kubelets.remove(name).is_none() {
            return Err(format!("node \"{name}\" has not failed"));
        }
        self.kubelet_resync_node(name);
        self.record_node_start_events(name, false);
        self.run_components();
        Ok(())
    }

    /// A new node joins (registered as the next one: its address and pod CIDR follow the
    /// others').
    pub fn add_node(&mut self, shape: &NodeShape) -> Result<(), String> {
        let existing = self.list(nodes_resource(), None);
        if existing.iter().any(|n| n.name() == shape.name) {
            return Err(format!("nodes \"{}\" already exists", shape.name));
        }
        let index = existing.len();
        let Some(node) = node_object(shape, index) else {
            return Err(format!("node \"{}\" could not be described", shape.name));
        };
        self.create(node).map_err(|e| e.to_string())?;
        self.create_node_lease(&shape.name);
        self.record_node_start_events(&shape.name, true);
        self.run_components();
        Ok(())
    }

    /// The node is removed from the cluster (`kubectl delete node` after the machine is gone):
    /// its pods are deleted at once, as the pod garbage collector does for pods bound to a node
    /// that no longer exists.
    pub fn remove_node(&mut self, name: &str) -> Result<(), String> {
        self.node_exists(name)?;
        let pods = model::registry::resolve("pods").expect("registered");
        for pod in self.list(pods, None) {
            let on_node = match &*pod {
                Object::Pod(p) => {
                    p.spec.as_ref().and_then(|s| s.node_name.as_deref()) == Some(name)
                }
                _ => false,
            };
            if on_node {
                let _ = self.delete_with_grace(
                    pods,
                    pod.namespace(),
                    pod.name(),
                    crate::api::Propagation::Background,
                    Some(0),
                );
            }
        }
        self.delete(nodes_resource(), "", name)
            .map_err(|e| e.to_string())?;
        self.faults.stopped_kubelets.remove(name);
        self.run_components();
        Ok(())
    }

    /// kube-controller-manager and kube-scheduler stop (running pods keep running; nothing is
    /// created, replaced or scheduled).
    /// Their static pods go, as when their manifests leave /etc/kubernetes/manifests: the
    /// kubelet stops the containers and deletes the mirror pods.
    pub fn stop_control_plane(&mut self) {
        if self.faults.control_plane_stopped {
            return;
        }
        self.faults.control_plane_stopped = true;
        let pods = model::registry::resolve("pods").expect("registered");
        for pod in self.list(pods, Some("kube-system")) {
            let component = pod
                .metadata()
                .labels
                .as_ref()
                .and_then(|l| l.get("component"))
                .cloned()
                .unwrap_or_default();
            let mirror = pod
                .metadata()
                .annotations
                .as_ref()
                .is_some_and(|a| a.contains_key("kubernetes.io/config.mirror"));
            if !mirror || !STOPPABLE_COMPONENTS.contains(&component.as_str()) {
                continue;
            }
            let mut manifest = pod.to_json_value();
            if let Some(map) = manifest.as_object_mut() {
                map.remove("status");
            }
            if let Some(meta) = manifest["metadata"].as_object_mut() {
                for field in ["uid", "resourceVersion", "creationTimestamp", "generation"] {
                    meta.remove(field);
                }
            }
            self.faults.stopped_static_pods.push(manifest);
            let _ = self.delete_with_grace(
                pods,
                pod.namespace(),
                pod.name(),
                crate::api::Propagation::Background,
                Some(0),
            );
        }
        self.run_components();
    }

    /// They are back (their manifests return: the kubelet starts them and mirrors them again),
    /// and catch up with what changed meanwhile.
    pub fn start_control_plane(&mut self) {
        for manifest in std::mem::take(&mut self.faults.stopped_static_pods) {
            if let Ok(pod) = Object::from_json_value(manifest) {
                let _ = self.create(pod);
            }
        }
        self.faults.control_plane_stopped = false;
        self.run_components();
    }

    /// Whether a node's kubelet is running.
    pub(crate) fn kubelet_is_up(&self, node: &str) -> bool {
        !self.faults.stopped_kubelets.contains_key(node)
    }
}
