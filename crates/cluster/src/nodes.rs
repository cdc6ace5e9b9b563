//! The cluster's shape: its nodes, as a kubeadm cluster registers them. The default is one
//! control-plane node (tainted `node-role.kubernetes.io/control-plane:NoSchedule`) and three
//! workers of 4 CPU / 8 GiB / 110 pods, in three zones, each with a /24 pod CIDR.

use model::Object;

/// One node of the shape.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NodeShape {
    pub name: String,
    pub cpu: String,
    pub memory: String,
    pub pods: u32,
    pub zone: String,
    pub control_plane: bool,
    /// Labels besides the well-known ones.
    pub labels: Vec<(String, String)>,
    /// Taints (key, value, effect) besides the control plane's.
    pub taints: Vec<(String, String, String)>,
}

/// The nodes a cluster starts with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClusterShape {
    pub nodes: Vec<NodeShape>,
}

impl Default for ClusterShape {
    fn default() -> Self {
        let node = |name: &str, zone: &str, control_plane: bool| NodeShape {
            name: name.to_string(),
            cpu: "4".to_string(),
            memory: "8Gi".to_string(),
            pods: 110,
            zone: zone.to_string(),
            control_plane,
            labels: Vec::new(),
            taints: Vec::new(),
        };
        ClusterShape {
            nodes: vec![
                node("control-plane", "zone-a", true),
                node("node-1", "zone-a", false),
                node("node-2", "zone-b", false),
                node("node-3", "zone-c", false),
            ],
        }
    }
}

/// The kubelet version every node reports (the simulated Kubernetes version).
pub const KUBELET_VERSION: &str = "v1.37.1";

/// The InternalIP of the node registered `index`-th (`192.168.49.2` for the first).
pub fn node_address(index: usize) -> String {
    format!("192.168.49.{}", 2 + index)
}

/// The Node object a node registers with, `index` numbering its address and pod CIDR.
pub fn node_object(shape: &NodeShape, index: usize) -> Option<Object> {
    let role_label = if shape.control_plane {
        "    node-role.kubernetes.io/control-plane: \"\"\n"
    } else {
        ""
    };
    let taints = if shape.control_plane {
        "  taints:\n  - effect: NoSchedule\n    key: node-role.kubernetes.io/control-plane\n"
    } else {
        ""
    };
    let name = &shape.name;
    let boot = format!("0a1b2c3d-0000-4000-8000-{index:012}");
    let machine = format!("{index:032x}");
    let manifest = format!(
        "apiVersion: v1
kind: Node
metadata:
  name: {name}
  labels:
    beta.kubernetes.io/arch: amd64
    beta.kubernetes.io/os: linux
    kubernetes.io/arch: amd64
    kubernetes.io/hostname: {name}
    kubernetes.io/os: linux
{role_label}    topology.kubernetes.io/zone: {zone}
  annotations:
    node.alpha.kubernetes.io/ttl: \"0\"
    volumes.kubernetes.io/controller-managed-attach-detach: \"true\"
spec:
  podCIDR: 10.244.{index}.0/24
  podCIDRs: [10.244.{index}.0/24]
{taints}status:
  addresses:
  - address: 192.168.49.{ip}
    type: InternalIP
  - address: {name}
    type: Hostname
  allocatable: {{cpu: \"{cpu}\", ephemeral-storage: 95Gi, hugepages-1Gi: \"0\", hugepages-2Mi: \"0\", memory: {memory}, pods: \"{pods}\"}}
  capacity: {{cpu: \"{cpu}\", ephemeral-storage: 95Gi, hugepages-1Gi: \"0\", hugepages-2Mi: \"0\", memory: {memory}, pods: \"{pods}\"}}
  conditions:
  - {{type: MemoryPressure, status: \"False\", reason: KubeletHasSufficientMemory, message: kubelet has sufficient memory available, lastHeartbeatTime: \"2026-01-01T00:00:00Z\", lastTransitionTime: \"2026-01-01T00:00:00Z\"}}
  - {{type: DiskPressure, status: \"False\", reason: KubeletHasNoDiskPressure, message: kubelet has no disk pressure, lastHeartbeatTime: \"2026-01-01T00:00:00Z\", lastTransitionTime: \"2026-01-01T00:00:00Z\"}}
  - {{type: PIDPressure, status: \"False\", reason: KubeletHasSufficientPID, message: kubelet has sufficient PID available, lastHeartbeatTime: \"2026-01-01T00:00:00Z\", lastTransitionTime: \"2026-01-01T00:00:00Z\"}}
  - {{type: Ready, status: \"True\", reason: KubeletReady, message: kubelet is posting ready status, lastHeartbeatTime: \"2026-01-01T00:00:00Z\", lastTransitionTime: \"2026-01-01T00:00:00Z\"}}
  daemonEndpoints:
    kubeletEndpoint: {{Port: 10250}}
  nodeInfo:
    architecture: amd64
    bootID: {boot}
    containerRuntimeVersion: containerd://2.1.0
    kernelVersion: 6.8.0-45-generic
    kubeProxyVersion: {KUBELET_VERSION}
    kubeletVersion: {KUBELET_VERSION}
    machineID: {machine}
    operatingSystem: linux
    osImage: Ubuntu 24.04.1 LTS
    systemUUID: {boot}
",
        zone = shape.zone,
        ip = 2 + index,
        cpu = shape.cpu,
        memory = shape.memory,
        pods = shape.pods,
    );
    let mut node = model::decode_documents(&manifest)
        .ok()
        .and_then(|mut objects| objects.pop())?;
    if !shape.labels.is_empty() || !shape.taints.is_empty() {
        let mut value = node.to_json_value();
        for (key, label) in &shape.labels {
            value["metadata"]["labels"][key] = serde_json::json!(label);
        }
        for (key, taint_value, effect) in &shape.taints {
            let mut taint = serde_json::json!({ "key": key, "effect": effect });
            if !taint_value.is_empty() {
                taint["value"] = serde_json::json!(taint_value);
            }
            match value["spec"]["taints"].as_array_mut() {
                Some(taints) => taints.push(taint),
                None => value["spec"]["taints"] = serde_json::json!([taint]),
            }
        }
        node = Object::from_json_value(value).ok()?;
    }
    Some(node)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_shape_decodes_into_nodes() {
        for (index, shape) in ClusterShape::default().nodes.iter().enumerate() {
            let node = node_object(shape, index).expect("node manifest decodes");
            assert_eq!(node.kind(), "Node");
            assert_eq!(
                node.to_json_value()["spec"]["podCIDR"],
                format!("10.244.{index}.0/24")
            );
        }
    }
}
