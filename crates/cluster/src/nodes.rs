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

/// The most nodes a shape may have (addresses are 192.168.49.2 upwards, pod CIDRs
/// 10.244.N.0/24).
pub const MAX_NODES: usize = 5_000;

impl ClusterShape {
    /// A shape from its YAML form (`kubeplay run --cluster SHAPE.yaml`):
    ///
    /// ```yaml
    /// workers: 5          # a control-plane node and node-1…node-5 in zones a, b, c
    /// cpu: "8"            # for every generated node (default 4)
    /// memory: 16Gi        # (default 8Gi)
    /// pods: 110           # (default 110)
    /// ```
    ///
    /// or an explicit `nodes:` list of `{name, controlPlane, cpu, memory, pods, zone, labels,
    /// taints: [{key, value, effect}]}`. Unknown fields, bad quantities, duplicate names and
    /// more than [`MAX_NODES`] nodes are errors.
    pub fn from_yaml(text: &str) -> Result<ClusterShape, String> {
        let value = model::decode::yaml_value(text)?;
        let Some(top) = value.as_object() else {
            return Err("a cluster shape is a mapping (workers: N, or nodes: [...])".into());
        };
        for key in top.keys() {
            if !["workers", "cpu", "memory", "pods", "nodes"].contains(&key.as_str()) {
                return Err(format!(
                    "unknown field \"{key}\" (known: workers, cpu, memory, pods, nodes)"
                ));
            }
        }
        let text_of = |v: &serde_json::Value, field: &str| -> Result<Option<String>, String> {
            match v {
                serde_json::Value::Null => Ok(None),
                serde_json::Value::String(s) => Ok(Some(s.clone())),
                serde_json::Value::Number(n) => Ok(Some(n.to_string())),
                _ => Err(format!("{field} must be a string or a number")),
            }
        };
        let quantity = |v: Option<String>, field: &str, default: &str| -> Result<String, String> {
            let text = v.unwrap_or_else(|| default.to_string());
            match model::quantity::Quantity::parse(&text) {
                Ok(q) if q.nanos() > 0 => Ok(text),
                _ => Err(format!("{field}: \"{text}\" is not a positive quantity")),
            }
        };
        let count = |v: &serde_json::Value, field: &str, default: u64| -> Result<u64, String> {
            match v {
                serde_json::Value::Null => Ok(default),
                serde_json::Value::Number(n) => n
                    .as_u64()
                    .filter(|n| *n >= 1)
                    .ok_or_else(|| format!("{field} must be a whole number of at least 1")),
                _ => Err(format!("{field} must be a whole number")),
            }
        };
        let cpu = quantity(
            text_of(&top.get("cpu").cloned().unwrap_or_default(), "cpu")?,
            "cpu",
            "4",
        )?;
        let memory = quantity(
            text_of(&top.get("memory").cloned().unwrap_or_default(), "memory")?,
            "memory",
            "8Gi",
        )?;
        let pods = count(
            top.get("pods").unwrap_or(&serde_json::Value::Null),
            "pods",
            110,
        )? as u32;
        const ZONES: [&str; 3] = ["zone-a", "zone-b", "zone-c"];
        let mut nodes = Vec::new();
        match (top.get("nodes"), top.get("workers")) {
            (Some(_), Some(_)) => return Err("give either workers or nodes, not both".into()),
            (Some(list), None) => {
                let Some(list) = list.as_array() else {
                    return Err("nodes must be a list".into());
                };
                if list.is_empty() {
                    return Err("nodes must name at least one node".into());
                }
                for (i, node) in list.iter().enumerate() {
                    let Some(fields) = node.as_object() else {
                        return Err(format!("nodes[{i}] must be a mapping"));
                    };
                    for key in fields.keys() {
                        if ![
                            "name",
                            "controlPlane",
                            "cpu",
                            "memory",
                            "pods",
                            "zone",
                            "labels",
                            "taints",
                        ]
                        .contains(&key.as_str())
                        {
                            return Err(format!("nodes[{i}]: unknown field \"{key}\""));
                        }
                    }
                    let name = fields
                        .get("name")
                        .and_then(|n| n.as_str())
                        .ok_or_else(|| format!("nodes[{i}]: name is required"))?
                        .to_string();
                    let valid_name = !name.is_empty()
                        && name.len() <= 63
                        && name.chars().all(|c| {
                            c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '.'
                        })
                        && name.starts_with(|c: char| c.is_ascii_alphanumeric())
                        && name.ends_with(|c: char| c.is_ascii_alphanumeric());
                    if !valid_name {
                        return Err(format!("nodes[{i}]: \"{name}\" is not a valid node name (lower-case letters, digits, '-' and '.')"));
                    }
                    let mut labels = Vec::new();
                    if let Some(map) = fields.get("labels") {
                        let Some(map) = map.as_object() else {
                            return Err(format!("nodes[{i}]: labels must be a mapping"));
                        };
                        for (k, v) in map {
                            let v = text_of(v, "label value")?.unwrap_or_default();
                            labels.push((k.clone(), v));
                        }
                    }
                    let mut taints = Vec::new();
                    for taint in fields
                        .get("taints")
                        .and_then(|t| t.as_array())
                        .into_iter()
                        .flatten()
                    {
                        let key = taint["key"].as_str().unwrap_or("").to_string();
                        let effect = taint["effect"].as_str().unwrap_or("").to_string();
                        if key.is_empty()
                            || !["NoSchedule", "PreferNoSchedule", "NoExecute"]
                                .contains(&effect.as_str())
                        {
                            return Err(format!("nodes[{i}]: a taint needs a key and an effect of NoSchedule, PreferNoSchedule or NoExecute"));
                        }
                        taints.push((
                            key,
                            text_of(&taint["value"], "taint value")?.unwrap_or_default(),
                            effect,
                        ));
                    }
                    let control_plane = match fields.get("controlPlane") {
                        None => false,
                        Some(serde_json::Value::Bool(b)) => *b,
                        Some(_) => {
                            return Err(format!("nodes[{i}]: controlPlane must be true or false"))
                        }
                    };
                    nodes.push(NodeShape {
                        name,
                        cpu: quantity(
                            text_of(fields.get("cpu").unwrap_or(&serde_json::Value::Null), "cpu")?,
                            "cpu",
                            &cpu,
                        )?,
                        memory: quantity(
                            text_of(
                                fields.get("memory").unwrap_or(&serde_json::Value::Null),
                                "memory",
                            )?,
                            "memory",
                            &memory,
                        )?,
                        pods: count(
                            fields.get("pods").unwrap_or(&serde_json::Value::Null),
                            "pods",
                            pods as u64,
                        )? as u32,
                        zone: fields
                            .get("zone")
                            .and_then(|z| z.as_str())
                            .map_or_else(|| ZONES[i % 3].to_string(), str::to_string),
                        control_plane,
                        labels,
                        taints,
                    });
                }
            }
            (None, workers) => {
                let workers = count(workers.unwrap_or(&serde_json::Value::Null), "workers", 3)?;
                if workers as usize >= MAX_NODES {
                    return Err(format!("at most {} workers", MAX_NODES - 1));
                }
                let node = |name: String, zone: &str, control_plane: bool| NodeShape {
                    name,
                    cpu: cpu.clone(),
                    memory: memory.clone(),
                    pods,
                    zone: zone.to_string(),
                    control_plane,
                    labels: Vec::new(),
                    taints: Vec::new(),
                };
                nodes.push(node("control-plane".into(), "zone-a", true));
                for i in 0..workers as usize {
                    nodes.push(node(format!("node-{}", i + 1), ZONES[i % 3], false));
                }
            }
        }
        if nodes.len() > MAX_NODES {
            return Err(format!("at most {MAX_NODES} nodes"));
        }
        let mut names = std::collections::BTreeSet::new();
        for (index, node) in nodes.iter().enumerate() {
            if !names.insert(node.name.clone()) {
                return Err(format!("two nodes are named \"{}\"", node.name));
            }
            // Labels and taints must make a valid Node, as the API server would check.
            let object = node_object(node, index)
                .ok_or_else(|| format!("node \"{}\" cannot be registered", node.name))?;
            if let Some(error) = model::validation::validate(&object, None).first() {
                return Err(format!(
                    "node \"{}\": {}: {}",
                    node.name, error.field, error.message
                ));
            }
        }
        Ok(ClusterShape { nodes })
    }
}

/// How often a kubelet renews its node's Lease (`nodeLeaseDurationSeconds` is 40).
pub const LEASE_RENEW_MILLIS: u64 = 10_000;

/// The Lease a kubelet keeps in `kube-node-lease` for its node (owned by the Node).
pub fn lease_object(node: &Object, renewed: crate::SimTime) -> Option<Object> {
    let name = node.name();
    let uid = node.metadata().uid.clone().unwrap_or_default();
    let manifest = serde_json::json!({
        "apiVersion": "coordination.k8s.io/v1",
        "kind": "Lease",
        "metadata": {
            "name": name,
            "namespace": "kube-node-lease",
            "ownerReferences": [{"apiVersion": "v1", "kind": "Node", "name": name, "uid": uid}],
        },
        "spec": {
            "holderIdentity": name,
            "leaseDurationSeconds": 40,
            "renewTime": micro_time(renewed),
        },
    });
    Object::from_json_value(manifest).ok()
}

/// A MicroTime as the API server writes it (`2026-01-01T00:00:10.000000Z`).
pub fn micro_time(at: crate::SimTime) -> String {
    let seconds = serde_json::to_value(at.to_k8s_time())
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default();
    seconds.replace('Z', &format!(".{:06}Z", (at.0 % 1000) * 1000))
}

/// The kubelet version every node reports (the simulated Kubernetes version).
pub const KUBELET_VERSION: &str = "v1.37.1";

/// The InternalIP of the node registered `index`-th (`192.168.49.2` for the first; big
/// clusters continue in 192.168.50.0/24 and up).
pub fn node_address(index: usize) -> String {
    if index < 250 {
        format!("192.168.49.{}", 2 + index)
    } else {
        let k = index - 250;
        format!("192.168.{}.{}", 50 + k / 250, 2 + k % 250)
    }
}

/// The first three octets of the node's /24 pod CIDR: `10.244.N` for the first 256 nodes (as
/// kubeadm's 10.244.0.0/16 cluster CIDR gives), then `10.A.B` (clear of the Service range
/// 10.96.0.0/12) for big clusters.
pub fn pod_subnet(index: usize) -> String {
    if index < 256 {
        format!("10.244.{index}")
    } else {
        format!("10.{}.{}", index / 256, index % 256)
    }
}

/// Whether an address is a pod's (in some node's pod CIDR rather than the Service range).
pub fn is_pod_address(address: &str) -> bool {
    let mut octets = address.split('.');
    octets.next() == Some("10")
        && octets
            .next()
            .and_then(|o| o.parse::<u8>().ok())
            .is_some_and(|second| second == 244 || (1..=19).contains(&second))
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
  podCIDR: {subnet}.0/24
  podCIDRs: [{subnet}.0/24]
{taints}status:
  addresses:
  - address: {ip}
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
    machineID: \"{machine}\"
    operatingSystem: linux
    osImage: Ubuntu 24.04.1 LTS
    systemUUID: {boot}
",
        zone = shape.zone,
        ip = node_address(index),
        subnet = pod_subnet(index),
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
