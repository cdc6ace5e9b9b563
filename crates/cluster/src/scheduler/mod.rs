//! kube-scheduler in miniature: for each pod without a node, filter the nodes with the default
//! plugins in upstream's order (NodeUnschedulable, TaintToleration, NodeAffinity,
//! NodeResourcesFit) and score the feasible ones (least allocated, with the scheduler's default
//! requests of 100m CPU / 200Mi for containers that request nothing); ties are broken by the
//! seeded RNG. A pod that fits nowhere gets upstream's FailedScheduling message and is retried
//! when the cluster changes, or after five minutes.

use model::sort::SortSlice;
use std::collections::{BTreeMap, BTreeSet};
use std::rc::Rc;

use model::quantity::Quantity;
use model::Object;
use serde_json::{json, Value};

use crate::events::{EventSource, EventType};

mod inter_pod_affinity;
mod preemption;
mod topology_spread;
use crate::{Cluster, SimDuration};
use inter_pod_affinity::{PodTerms, PodView, Term};

/// The annotation VolumeBinding writes on a WaitForFirstConsumer claim.
const SELECTED_NODE: &str = "volume.kubernetes.io/selected-node";

/// How long an unschedulable pod waits before the scheduler tries it again on its own.
pub const UNSCHEDULABLE_RETRY: SimDuration = SimDuration::from_secs(300);

fn quantity(value: &Value) -> Option<Quantity> {
    value.as_str().and_then(|s| Quantity::parse(s).ok())
}

/// What a pod asks for: (cpu millicores, memory bytes), summed over containers, init containers
/// counted as their maximum (as the scheduler computes effective requests).
pub fn pod_requests(pod: &Value) -> (i128, i128) {
    let sum = |containers: &Value, resource: &str| -> i128 {
        containers
            .as_array()
            .into_iter()
            .flatten()
            .map(|c| request_of(c, resource))
            .sum()
    };
    let max = |containers: &Value, resource: &str| -> i128 {
        containers
            .as_array()
            .into_iter()
            .flatten()
            .map(|c| request_of(c, resource))
            .max()
            .unwrap_or(0)
    };
    let spec = &pod["spec"];
    (
        sum(&spec["containers"], "cpu").max(max(&spec["initContainers"], "cpu")),
        sum(&spec["containers"], "memory").max(max(&spec["initContainers"], "memory")),
    )
}

/// A pod's requests of extended resources (anything but cpu, memory, ephemeral-storage and
/// hugepages), summed over containers, init containers counted as their maximum.
fn extended_requests(pod: &Value) -> Vec<(String, i128)> {
    let standard = |name: &str| {
        matches!(name, "cpu" | "memory" | "ephemeral-storage" | "pods")
            || name.starts_with("hugepages-")
    };
    let mut names: std::collections::BTreeSet<String> = std::collections::BTreeSet::new();
    for list in ["containers", "initContainers"] {
        for container in pod["spec"][list].as_array().into_iter().flatten() {
            for section in ["requests", "limits"] {
                if let Some(map) = container["resources"][section].as_object() {
                    names.extend(map.keys().filter(|k| !standard(k)).cloned());
                }
            }
        }
    }
    names
        .into_iter()
        .map(|name| {
            let of = |list: &str| -> Vec<i128> {
                pod["spec"][list]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .map(|c| request_of(c, &name))
                    .collect()
            };
            let sum: i128 = of("containers").iter().sum();
            let init = of("initContainers").into_iter().max().unwrap_or(0);
            (name.clone(), sum.max(init))
        })
        .filter(|(_, n)| *n > 0)
        .collect()
}

fn request_of(container: &Value, resource: &str) -> i128 {
    let resources = &container["resources"];
    let value = quantity(&resources["requests"][resource])
        .or_else(|| quantity(&resources["limits"][resource]));
    match (value, resource) {
        (Some(q), "cpu") => q.milli_value(),
        (Some(q), _) => q.value(),
        (None, _) => 0,
    }
}

/// Per-node bookkeeping (upstream's NodeInfo): allocatable and what bound pods request.
struct NodeInfo {
    name: String,
    node: Value,
    allocatable_cpu: i128,
    allocatable_memory: i128,
    allocatable_pods: i128,
    requested_cpu: i128,
    requested_memory: i128,
    pod_count: i128,
    /// Requests with the scheduler's non-zero defaults, for scoring.
    scored_cpu: i128,
    scored_memory: i128,
    /// The pods on the node (that have not finished).
    pods: Vec<Value>,
    /// The required anti-affinity terms of those pods.
    anti_affinity_terms: Vec<Term>,
    /// Pods nominated to this node by preemption (not bound yet).
    nominated: Vec<Nominated>,
}

/// A pod waiting for the room its preemption made on a node.
struct Nominated {
    uid: String,
    priority: i64,
    requests: (i128, i128),
}

/// What one scheduling attempt precomputes once for every node it filters.
struct Cycle<'a> {
    /// The pod's uid and priority (nominated pods of at least its priority keep their room).
    uid: String,
    priority: i64,
    requests: (i128, i128),
    volumes: &'a VolumeBinding,
    terms: PodTerms,
    host_ports: Vec<(i64, String, String)>,
    /// Per required affinity / anti-affinity term: the domains holding matching pods.
    affinity_domains: Vec<BTreeSet<String>>,
    anti_affinity_domains: Vec<BTreeSet<String>>,
    /// No pod anywhere matches the affinity terms, and the pod matches them itself.
    first_of_its_group: bool,
    /// (topologyKey, value) pairs where an existing pod's anti-affinity forbids this pod.
    forbidden_by_existing: BTreeSet<(String, String)>,
    /// Preferred terms with the domains holding matching pods.
    preferred_affinity_domains: Vec<(Term, BTreeSet<String>)>,
    preferred_anti_affinity_domains: Vec<(Term, BTreeSet<String>)>,
    /// PodTopologySpread's constraints with their domain counts.
    spreads: Vec<topology_spread::Spread>,
}

enum FilterFailure {
    /// Preemption cannot help (taints, affinity, unschedulable).
    Unresolvable(String),
    /// Preemption might help (resources).
    Unschedulable(Vec<String>),
}

pub(crate) fn tolerates(pod: &Value, taint: &Value) -> bool {
    pod["spec"]["tolerations"]
        .as_array()
        .into_iter()
        .flatten()
        .any(|t| {
            let key_matches = match t["key"].as_str() {
                None | Some("") => t["operator"].as_str() == Some("Exists"),
                Some(key) => Some(key) == taint["key"].as_str(),
            };
            let effect_matches = match t["effect"].as_str() {
                None | Some("") => true,
                Some(effect) => Some(effect) == taint["effect"].as_str(),
            };
            let value_matches = t["operator"].as_str() == Some("Exists")
                || t["value"].as_str().unwrap_or("") == taint["value"].as_str().unwrap_or("");
            key_matches && effect_matches && value_matches
        })
}

fn match_expression(labels: &Value, expression: &Value) -> bool {
    let key = expression["key"].as_str().unwrap_or("");
    let actual = labels[key].as_str();
    let values: Vec<&str> = expression["values"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect();
    match expression["operator"].as_str().unwrap_or("") {
        "In" => actual.is_some_and(|a| values.contains(&a)),
        "NotIn" => actual.is_none_or(|a| !values.contains(&a)),
        "Exists" => actual.is_some(),
        "DoesNotExist" => actual.is_none(),
        "Gt" | "Lt" => {
            let (Some(a), Some(v)) = (
                actual.and_then(|a| a.parse::<i64>().ok()),
                values.first().and_then(|v| v.parse::<i64>().ok()),
            ) else {
                return false;
            };
            if expression["operator"] == "Gt" {
                a > v
            } else {
                a < v
            }
        }
        _ => false,
    }
}

pub(crate) fn node_matches_affinity(pod: &Value, node: &Value) -> bool {
    let labels = &node["metadata"]["labels"];
    let selector_ok = pod["spec"]["nodeSelector"]
        .as_object()
        .into_iter()
        .flatten()
        .all(|(k, v)| labels[k] == *v);
    let terms = &pod["spec"]["affinity"]["nodeAffinity"]
        ["requiredDuringSchedulingIgnoredDuringExecution"]["nodeSelectorTerms"];
    let affinity_ok = match terms.as_array() {
        None => true,
        Some(terms) => terms.iter().any(|term| {
            let expressions_ok = term["matchExpressions"]
                .as_array()
                .into_iter()
                .flatten()
                .all(|e| match_expression(labels, e));
            let fields_ok = term["matchFields"]
                .as_array()
                .into_iter()
                .flatten()
                .all(|e| {
                    let name_labels = json!({ "metadata.name": node["metadata"]["name"] });
                    match_expression(&name_labels, e)
                });
            expressions_ok && fields_ok
        }),
    };
    selector_ok && affinity_ok
}

/// What the VolumeBinding plugin's PreFilter found about a pod's claims.
#[derive(Debug, Default)]
struct VolumeBinding {
    /// `nodeSelectorTerms` of the bound claims' PersistentVolumes (each must match).
    volume_node_affinities: Vec<Value>,
    /// Unbound claims of WaitForFirstConsumer classes: the chosen node is written on them.
    claims_to_provision: Vec<Rc<Object>>,
    /// VolumeRestrictions: a ReadWriteOncePod claim of the pod is already used by a scheduled
    /// pod (every node then refuses the pod).
    read_write_once_pod_in_use: bool,
}

/// VolumeRestrictions' reason when a ReadWriteOncePod claim is taken.
const READ_WRITE_ONCE_POD_CONFLICT: &str =
    "node has pod using PersistentVolumeClaim with the same name and ReadWriteOncePod access mode";

/// Whether a node's labels satisfy one of a `nodeSelectorTerms` list.
fn node_matches_terms(node: &Value, terms: &Value) -> bool {
    let labels = &node["metadata"]["labels"];
    terms.as_array().is_some_and(|terms| {
        terms.iter().any(|term| {
            term["matchExpressions"]
                .as_array()
                .into_iter()
                .flatten()
                .all(|e| match_expression(labels, e))
        })
    })
}

fn filter(pod: &Value, info: &NodeInfo, cycle: &Cycle<'_>) -> Result<(), FilterFailure> {
    let node = &info.node;
    let requests = cycle.requests;
    if node["spec"]["unschedulable"].as_bool() == Some(true)
        && !tolerates(
            pod,
            &json!({"key": "node.kubernetes.io/unschedulable", "effect": "NoSchedule"}),
        )
    {
        return Err(FilterFailure::Unresolvable(
            "node(s) were unschedulable".into(),
        ));
    }
    for taint in node["spec"]["taints"].as_array().into_iter().flatten() {
        let effect = taint["effect"].as_str().unwrap_or("");
        if (effect == "NoSchedule" || effect == "NoExecute") && !tolerates(pod, taint) {
            return Err(FilterFailure::Unresolvable(format!(
                "node(s) had untolerated taint {{{}: {}}}",
                taint["key"].as_str().unwrap_or(""),
                taint["value"].as_str().unwrap_or("")
            )));
        }
    }
    if !node_matches_affinity(pod, node) {
        return Err(FilterFailure::Unresolvable(
            "node(s) didn't match Pod's node affinity/selector".into(),
        ));
    }
    if !cycle.host_ports.is_empty()
        && info.pods.iter().any(|other| {
            inter_pod_affinity::host_ports(other).iter().any(|taken| {
                cycle
                    .host_ports
                    .iter()
                    .any(|wanted| inter_pod_affinity::ports_conflict(taken, wanted))
            })
        })
    {
        return Err(FilterFailure::Unschedulable(vec![
            "node(s) didn't have free ports for the requested pod ports".into(),
        ]));
    }
    // Room held for pods nominated here by preemption, unless they yield to this one.
    let (held_cpu, held_memory, held_pods) = info
        .nominated
        .iter()
        .filter(|n| n.priority >= cycle.priority && n.uid != cycle.uid)
        .fold((0, 0, 0), |(c, m, n), held| {
            (c + held.requests.0, m + held.requests.1, n + 1)
        });
    let mut insufficient = Vec::new();
    if info.pod_count + held_pods + 1 > info.allocatable_pods {
        insufficient.push("Too many pods".to_string());
    }
    if requests.0 > 0 && info.requested_cpu + held_cpu + requests.0 > info.allocatable_cpu {
        insufficient.push("Insufficient cpu".to_string());
    }
    if requests.1 > 0 && info.requested_memory + held_memory + requests.1 > info.allocatable_memory
    {
        insufficient.push("Insufficient memory".to_string());
    }
    // Extended resources (`example.com/dongle`, `nvidia.com/gpu`): what the node advertises in
    // allocatable, minus what its pods asked for.
    for (resource, wanted) in extended_requests(pod) {
        let allocatable = quantity(&node["status"]["allocatable"][&resource])
            .map(|q| q.value())
            .unwrap_or(0);
        let used: i128 = info
            .pods
            .iter()
            .map(|p| {
                extended_requests(p)
                    .into_iter()
                    .filter(|(r, _)| *r == resource)
                    .map(|(_, n)| n)
                    .sum::<i128>()
            })
            .sum();
        if used + wanted > allocatable {
            insufficient.push(format!("Insufficient {resource}"));
        }
    }
    if !insufficient.is_empty() {
        return Err(FilterFailure::Unschedulable(insufficient));
    }
    // VolumeRestrictions, then VolumeBinding, in upstream's filter order.
    if cycle.volumes.read_write_once_pod_in_use {
        return Err(FilterFailure::Unschedulable(vec![
            READ_WRITE_ONCE_POD_CONFLICT.to_string(),
        ]));
    }
    if cycle
        .volumes
        .volume_node_affinities
        .iter()
        .any(|terms| !node_matches_terms(node, terms))
    {
        return Err(FilterFailure::Unresolvable(
            "node(s) had volume node affinity conflict".into(),
        ));
    }
    if let Err(reason) = topology_spread::check(&cycle.spreads, node) {
        // A node without the topology label cannot be helped by preemption.
        return Err(if reason.ends_with("(missing required label)") {
            FilterFailure::Unresolvable(reason.to_string())
        } else {
            FilterFailure::Unschedulable(vec![reason.to_string()])
        });
    }
    let label = |key: &str| node["metadata"]["labels"][key].as_str().map(str::to_string);
    if !cycle.first_of_its_group {
        for (term, domains) in cycle.terms.affinity.iter().zip(&cycle.affinity_domains) {
            if !label(term.topology_key()).is_some_and(|v| domains.contains(&v)) {
                return Err(FilterFailure::Unresolvable(
                    "node(s) didn't match pod affinity rules".into(),
                ));
            }
        }
    }
    for (term, domains) in cycle
        .terms
        .anti_affinity
        .iter()
        .zip(&cycle.anti_affinity_domains)
    {
        if label(term.topology_key()).is_some_and(|v| domains.contains(&v)) {
            return Err(FilterFailure::Unschedulable(vec![
                "node(s) didn't match pod anti-affinity rules".into(),
            ]));
        }
    }
    if cycle
        .forbidden_by_existing
        .iter()
        .any(|(key, value)| label(key).as_deref() == Some(value.as_str()))
    {
        return Err(FilterFailure::Unschedulable(vec![
            "node(s) didn't satisfy existing pods anti-affinity rules".into(),
        ]));
    }
    Ok(())
}

/// `0/4 nodes are available: 1 node(s) had untolerated taint {…}, 3 Insufficient memory.
/// preemption: 0/4 nodes are available: 1 Preemption is not helpful for scheduling, 3 No
/// preemption victims found for incoming pod.` — reasons counted, then sorted as text.
/// How many feasible nodes the scheduler looks for before it stops filtering (upstream's
/// adaptive percentageOfNodesToScore: all nodes below 100; then 50% minus 1% per 125 nodes, at
/// least 5%, and never fewer than 100 nodes).
fn feasible_nodes_to_find(all: usize) -> usize {
    const MIN_FEASIBLE_NODES: usize = 100;
    const MIN_PERCENTAGE: usize = 5;
    if all < MIN_FEASIBLE_NODES {
        return all;
    }
    let percentage = 50usize.saturating_sub(all / 125).max(MIN_PERCENTAGE);
    (all * percentage / 100).max(MIN_FEASIBLE_NODES)
}

/// The scheduler's FitError text: the filters' reasons per node, counted and sorted as text,
/// then preemption's verdict per node (`preemption_verdicts`, one list per Unschedulable
/// failure in order; nodes preemption cannot help are "not helpful").
fn fit_error(
    total: usize,
    failures: &[FilterFailure],
    preemption_verdicts: &[Vec<String>],
) -> String {
    let mut reasons: BTreeMap<String, usize> = BTreeMap::new();
    let mut preemption: BTreeMap<String, usize> = BTreeMap::new();
    let mut verdicts = preemption_verdicts.iter();
    for failure in failures {
        match failure {
            FilterFailure::Unresolvable(reason) => {
                *reasons.entry(reason.clone()).or_default() += 1;
                *preemption
                    .entry("Preemption is not helpful for scheduling".to_string())
                    .or_default() += 1;
            }
            FilterFailure::Unschedulable(list) => {
                for reason in list {
                    *reasons.entry(reason.clone()).or_default() += 1;
                }
                let verdict = verdicts.next().cloned().unwrap_or_else(|| {
                    vec!["No preemption victims found for incoming pod".to_string()]
                });
                for reason in verdict {
                    *preemption.entry(reason).or_default() += 1;
                }
            }
        }
    }
    let sorted = |map: Vec<String>| {
        let mut m = map;
        m.sort_stable();
        m.join(", ")
    };
    let reason_text = sorted(reasons.iter().map(|(r, n)| format!("{n} {r}")).collect());
    let preemption_text = sorted(preemption.iter().map(|(r, n)| format!("{n} {r}")).collect());
    format!("0/{total} nodes are available: {reason_text}. preemption: 0/{total} nodes are available: {preemption_text}.")
}

/// Why each node was turned down for a pod the scheduler could not place: (node, reasons in
/// upstream's words), by `namespace/name`.
pub type SchedulingDiagnoses = std::collections::BTreeMap<String, Vec<(String, Vec<String>)>>;

impl Cluster {
    /// The scheduler's last verdict per node for a pod it could not place (what the page shows
    /// for "why is this pod Pending?"), if it tried and failed.
    pub fn scheduling_diagnosis(
        &self,
        namespace: &str,
        name: &str,
    ) -> Option<&[(String, Vec<String>)]> {
        self.scheduling_diagnoses
            .get(&format!("{namespace}/{name}"))
            .map(Vec::as_slice)
    }

    /// Every namespace's labels (with the `kubernetes.io/metadata.name` label the API server
    /// adds), for namespace selectors.
    fn namespace_labels(&self) -> BTreeMap<String, BTreeMap<String, String>> {
        self.list(
            model::registry::resolve("namespaces").expect("registered"),
            None,
        )
        .iter()
        .map(|n| {
            let mut labels = n.metadata().labels.clone().unwrap_or_default();
            labels.insert("kubernetes.io/metadata.name".into(), n.name().to_string());
            (n.name().to_string(), labels)
        })
        .collect()
    }

    fn node_infos(&self) -> Vec<NodeInfo> {
        let namespace_labels = self.namespace_labels();
        let nodes = self.list(model::registry::resolve("nodes").expect("registered"), None);
        let pods = self.list(model::registry::resolve("pods").expect("registered"), None);
        let mut bound: BTreeMap<String, Vec<Value>> = BTreeMap::new();
        let mut nominated: BTreeMap<String, Vec<Nominated>> = BTreeMap::new();
        for pod in &pods {
            let Object::Pod(typed) = &**pod else { continue };
            let phase = typed
                .status
                .as_ref()
                .and_then(|s| s.phase.as_deref())
                .unwrap_or("");
            let node = typed.spec.as_ref().and_then(|s| s.node_name.as_deref());
            let nominated_to = typed
                .status
                .as_ref()
                .and_then(|s| s.nominated_node_name.as_deref());
            if let (None, Some(target)) = (node, nominated_to) {
                let value = pod.to_json_value();
                nominated
                    .entry(target.to_string())
                    .or_default()
                    .push(Nominated {
                        uid: typed.metadata.uid.clone().unwrap_or_default(),
                        priority: typed
                            .spec
                            .as_ref()
                            .and_then(|s| s.priority)
                            .unwrap_or(0)
                            .into(),
                        requests: pod_requests(&value),
                    });
            }
            if let Some(node) = node.filter(|_| phase != "Succeeded" && phase != "Failed") {
                bound
                    .entry(node.to_string())
                    .or_default()
                    .push(pod.to_json_value());
            }
        }
        nodes
            .iter()
            .map(move |node| {
                let value = node.to_json_value();
                let allocatable = &value["status"]["allocatable"];
                let on_node = bound.remove(node.name()).unwrap_or_default();
                let requests: Vec<(i128, i128)> = on_node.iter().map(pod_requests).collect();
                let anti_affinity_terms: Vec<Term> = on_node
                    .iter()
                    .filter(|p| p["spec"]["affinity"]["podAntiAffinity"].is_object())
                    .flat_map(|p| PodTerms::of(p, &namespace_labels).anti_affinity)
                    .collect();
                NodeInfo {
                    name: node.name().to_string(),
                    allocatable_cpu: quantity(&allocatable["cpu"])
                        .map(|q| q.milli_value())
                        .unwrap_or(0),
                    allocatable_memory: quantity(&allocatable["memory"])
                        .map(|q| q.value())
                        .unwrap_or(0),
                    allocatable_pods: quantity(&allocatable["pods"])
                        .map(|q| q.value())
                        .unwrap_or(0),
                    requested_cpu: requests.iter().map(|r| r.0).sum(),
                    requested_memory: requests.iter().map(|r| r.1).sum(),
                    pod_count: on_node.len() as i128,
                    scored_cpu: requests
                        .iter()
                        .map(|r| if r.0 == 0 { 100 } else { r.0 })
                        .sum(),
                    scored_memory: requests
                        .iter()
                        .map(|r| if r.1 == 0 { 200 * 1024 * 1024 } else { r.1 })
                        .sum(),
                    node: value,
                    pods: on_node,
                    anti_affinity_terms,
                    nominated: nominated.remove(node.name()).unwrap_or_default(),
                }
            })
            .collect()
    }

    /// One scheduling pass over every pod that waits for a node and is due.
    pub(crate) fn run_scheduler(&mut self) {
        let now = self.now();
        self.retry_unschedulable_after_changes(now);
        // Verdicts about pods that are gone or bound are forgotten.
        if !self.scheduling_diagnoses.is_empty() {
            let pods_type = model::registry::resolve("pods").expect("registered");
            let stale: Vec<String> = self
                .scheduling_diagnoses
                .keys()
                .filter(|key| {
                    let (namespace, name) = key.split_once('/').unwrap_or(("", key));
                    match self.api.get(pods_type, namespace, name) {
                        Ok(pod) => match &*pod {
                            Object::Pod(p) => p
                                .spec
                                .as_ref()
                                .and_then(|s| s.node_name.as_deref())
                                .is_some_and(|n| !n.is_empty()),
                            _ => true,
                        },
                        Err(_) => true,
                    }
                })
                .cloned()
                .collect();
            if !stale.is_empty() {
                let diagnoses = Rc::make_mut(&mut self.scheduling_diagnoses);
                for key in stale {
                    diagnoses.remove(&key);
                }
            }
        }
        let pods = self.list(model::registry::resolve("pods").expect("registered"), None);
        // The node cache (upstream's NodeInfo snapshot) is built once per run, only if some pod
        // waits, and kept up to date as this run binds pods.
        let mut infos: Option<Vec<NodeInfo>> = None;
        for pod in pods {
            // Cheap typed checks first: most pods are bound, finished or being deleted.
            let Object::Pod(typed) = &*pod else { continue };
            let spec = typed.spec.as_ref();
            let bound = spec
                .and_then(|s| s.node_name.as_deref())
                .is_some_and(|n| !n.is_empty());
            let phase = typed
                .status
                .as_ref()
                .and_then(|s| s.phase.as_deref())
                .unwrap_or("Pending");
            let scheduler = spec
                .and_then(|s| s.scheduler_name.as_deref())
                .unwrap_or("default-scheduler");
            if bound
                || typed.metadata.deletion_timestamp.is_some()
                || scheduler != "default-scheduler"
                || phase != "Pending"
            {
                continue;
            }
            let uid = typed.metadata.uid.clone().unwrap_or_default();
            if self
                .scheduler_backoff
                .get(&uid)
                .is_some_and(|retry_at| *retry_at > now)
            {
                continue;
            }
            let value = pod.to_json_value();
            if value["spec"]["schedulingGates"]
                .as_array()
                .is_some_and(|g| !g.is_empty())
            {
                self.set_pod_scheduled_condition(
                    &pod,
                    "False",
                    "SchedulingGated",
                    "Scheduling is blocked due to non-empty scheduling gates",
                );
                self.scheduler_backoff.insert(uid, crate::SimTime(u64::MAX));
                continue;
            }
            let infos = infos.get_or_insert_with(|| self.node_infos());
            self.schedule_one(&pod, &value, infos);
        }
    }

    /// VolumeBinding's PreFilter: every claim the pod mounts exists; bound ones pin the pod to
    /// their volume's nodes; unbound ones must wait for their first consumer (their class is
    /// WaitForFirstConsumer), else the pod cannot be scheduled yet.
    fn volume_binding(&self, pod: &Value) -> Result<VolumeBinding, String> {
        let mut found = VolumeBinding::default();
        let namespace = pod["metadata"]["namespace"].as_str().unwrap_or("default");
        let claims = model::registry::resolve("persistentvolumeclaims").expect("registered");
        let volumes = model::registry::resolve("persistentvolumes").expect("registered");
        let classes = model::registry::resolve("storageclasses").expect("registered");
        for volume in pod["spec"]["volumes"].as_array().into_iter().flatten() {
            let Some(name) = volume["persistentVolumeClaim"]["claimName"].as_str() else {
                continue;
            };
            let Ok(claim) = self.get(claims, namespace, name) else {
                return Err(format!("persistentvolumeclaim \"{name}\" not found"));
            };
            if claim.metadata().deletion_timestamp.is_some() {
                return Err(format!("persistentvolumeclaim \"{name}\" is being deleted"));
            }
            let claim_value = claim.to_json_value();
            let read_write_once_pod = claim_value["spec"]["accessModes"]
                .as_array()
                .is_some_and(|modes| modes.iter().any(|m| m == "ReadWriteOncePod"));
            if read_write_once_pod && self.claim_used_by_scheduled_pod(namespace, name, pod) {
                found.read_write_once_pod_in_use = true;
            }
            let bound_to = claim_value["spec"]["volumeName"]
                .as_str()
                .filter(|v| !v.is_empty() && claim_value["status"]["phase"] == "Bound");
            if let Some(volume_name) = bound_to {
                if let Ok(pv) = self.get(volumes, "", volume_name) {
                    let terms = pv.to_json_value()["spec"]["nodeAffinity"]["required"]
                        ["nodeSelectorTerms"]
                        .clone();
                    if terms.is_array() {
                        found.volume_node_affinities.push(terms);
                    }
                }
                continue;
            }
            let waits_for_consumer = claim_value["spec"]["storageClassName"]
                .as_str()
                .filter(|c| !c.is_empty())
                .and_then(|c| self.get(classes, "", c).ok())
                .is_some_and(|class| {
                    class.to_json_value()["volumeBindingMode"] == "WaitForFirstConsumer"
                });
            if !waits_for_consumer {
                return Err("pod has unbound immediate PersistentVolumeClaims".to_string());
            }
            found.claims_to_provision.push(claim);
        }
        Ok(found)
    }

    /// Whether a pod other than `pod` that is bound to a node and not finished mounts claim
    /// `namespace/name`.
    fn claim_used_by_scheduled_pod(&self, namespace: &str, name: &str, pod: &Value) -> bool {
        let pods = model::registry::resolve("pods").expect("registered");
        let own_uid = pod["metadata"]["uid"].as_str().unwrap_or("");
        self.list(pods, Some(namespace)).iter().any(|other| {
            let Object::Pod(typed) = &**other else {
                return false;
            };
            let phase = typed.status.as_ref().and_then(|s| s.phase.as_deref());
            other.metadata().uid.as_deref() != Some(own_uid)
                && !matches!(phase, Some("Succeeded" | "Failed"))
                && typed.spec.as_ref().is_some_and(|spec| {
                    spec.node_name.as_deref().is_some_and(|n| !n.is_empty())
                        && spec.volumes.iter().flatten().any(|v| {
                            v.persistent_volume_claim
                                .as_ref()
                                .is_some_and(|c| c.claim_name == name)
                        })
                })
        })
    }

    /// Unschedulable pods are tried again as soon as something that could make room happened
    /// (a node joined or changed, a pod went away or finished, a claim or volume changed), as
    /// upstream's scheduling queue moves them back on cluster events.
    fn retry_unschedulable_after_changes(&mut self, now: crate::SimTime) {
        if self.scheduler_backoff.is_empty() {
            self.scheduler_scanned_rv = self.resource_version();
            return;
        }
        // A gated pod whose gates were removed is tried at once.
        let ungated: Vec<String> = self
            .watch_since(self.scheduler_scanned_rv)
            .filter_map(|event| match &*event.object {
                Object::Pod(pod)
                    if pod
                        .spec
                        .as_ref()
                        .and_then(|s| s.scheduling_gates.as_ref())
                        .is_none_or(|g| g.is_empty()) =>
                {
                    pod.metadata.uid.clone()
                }
                _ => None,
            })
            .collect();
        for uid in ungated {
            if let Some(retry_at) = self.scheduler_backoff.get_mut(&uid) {
                if retry_at.0 == u64::MAX {
                    *retry_at = now;
                }
            }
        }
        let relevant =
            self.watch_since(self.scheduler_scanned_rv)
                .any(|event| match &*event.object {
                    Object::Node(_)
                    | Object::PersistentVolumeClaim(_)
                    | Object::PersistentVolume(_)
                    | Object::StorageClass(_) => true,
                    Object::Pod(pod) => {
                        event.event_type == crate::api::WatchEventType::Deleted
                            || pod.metadata.deletion_timestamp.is_some()
                            || matches!(
                                pod.status.as_ref().and_then(|s| s.phase.as_deref()),
                                Some("Succeeded" | "Failed")
                            )
                    }
                    _ => false,
                });
        self.scheduler_scanned_rv = self.resource_version();
        if relevant {
            for retry_at in self.scheduler_backoff.values_mut() {
                // Gated pods (u64::MAX) wait for their gates, not for the cluster.
                if retry_at.0 != u64::MAX && *retry_at > now {
                    *retry_at = now;
                }
            }
        }
    }

    /// What filtering and scoring this pod needs, computed once for all nodes.
    fn cycle<'a>(
        &self,
        pod: &Value,
        requests: (i128, i128),
        volumes: &'a VolumeBinding,
        infos: &[NodeInfo],
    ) -> Cycle<'a> {
        let has_terms = pod["spec"]["affinity"]["podAffinity"].is_object()
            || pod["spec"]["affinity"]["podAntiAffinity"].is_object();
        let existing_anti = infos.iter().any(|i| !i.anti_affinity_terms.is_empty());
        let terms = if has_terms {
            PodTerms::of(pod, &self.namespace_labels())
        } else {
            PodTerms::of(&Value::Null, &BTreeMap::new())
        };
        let own = PodView::of(pod);
        let mut cycle = Cycle {
            uid: pod["metadata"]["uid"].as_str().unwrap_or("").to_string(),
            priority: pod["spec"]["priority"].as_i64().unwrap_or(0),
            requests,
            volumes,
            host_ports: inter_pod_affinity::host_ports(pod),
            affinity_domains: Vec::new(),
            anti_affinity_domains: Vec::new(),
            preferred_affinity_domains: Vec::new(),
            preferred_anti_affinity_domains: Vec::new(),
            first_of_its_group: false,
            forbidden_by_existing: BTreeSet::new(),
            spreads: topology_spread::spreads(pod, infos),
            terms: PodTerms::of(&Value::Null, &BTreeMap::new()),
        };
        if existing_anti {
            for info in infos {
                for term in &info.anti_affinity_terms {
                    if term.matches(&own) {
                        if let Some(value) =
                            info.node["metadata"]["labels"][term.topology_key()].as_str()
                        {
                            cycle
                                .forbidden_by_existing
                                .insert((term.topology_key().to_string(), value.to_string()));
                        }
                    }
                }
            }
        }
        if !terms.is_empty() {
            let placed: Vec<(&Value, Vec<PodView<'_>>)> = infos
                .iter()
                .map(|i| (&i.node, i.pods.iter().map(PodView::of).collect()))
                .collect();
            let domains = |term: &Term| inter_pod_affinity::domains_with_matches(term, &placed);
            cycle.affinity_domains = terms.affinity.iter().map(domains).collect();
            cycle.anti_affinity_domains = terms.anti_affinity.iter().map(domains).collect();
            cycle.preferred_affinity_domains = terms
                .preferred_affinity
                .iter()
                .map(|t| (t.clone(), domains(t)))
                .collect();
            cycle.preferred_anti_affinity_domains = terms
                .preferred_anti_affinity
                .iter()
                .map(|t| (t.clone(), domains(t)))
                .collect();
            cycle.first_of_its_group = !terms.affinity.is_empty()
                && terms
                    .affinity
                    .iter()
                    .all(|t| !inter_pod_affinity::any_match(t, &placed))
                && terms.affinity.iter().all(|t| t.matches(&own));
        }
        cycle.terms = terms;
        cycle
    }

    fn schedule_one(&mut self, pod: &Rc<Object>, value: &Value, infos: &mut [NodeInfo]) {
        let requests = pod_requests(value);
        let uid = value["metadata"]["uid"].as_str().unwrap_or("").to_string();
        let volumes = match self.volume_binding(value) {
            Ok(v) => v,
            Err(reason) => {
                // A PreFilter rejection: no node is looked at.
                let total = infos.len();
                let message = format!("0/{total} nodes are available: {reason}. preemption: 0/{total} nodes are available: {total} Preemption is not helpful for scheduling.");
                self.report_unschedulable(pod, &uid, &message);
                return;
            }
        };
        let cycle = self.cycle(value, requests, &volumes, infos);
        let mut failures = Vec::new();
        let mut per_node: Vec<(String, Vec<String>)> = Vec::new();
        let mut feasible: Vec<&NodeInfo> = Vec::new();
        let mut preemptable: Vec<&NodeInfo> = Vec::new();
        let mut preemption_verdicts: Vec<Vec<String>> = Vec::new();
        // percentageOfNodesToScore: in a big cluster the search stops once enough feasible
        // nodes are found, and the next pod's search starts where this one stopped.
        let total = infos.len();
        let wanted = feasible_nodes_to_find(total);
        let start = if total == 0 {
            0
        } else {
            self.scheduler_next_start_node % total
        };
        let mut processed = 0;
        for offset in 0..total {
            let info = &infos[(start + offset) % total];
            processed = offset + 1;
            match filter(value, info, &cycle) {
                Ok(()) => feasible.push(info),
                Err(failure) => {
                    if let FilterFailure::Unschedulable(reasons) = &failure {
                        if preemption::fixable(reasons) {
                            preemptable.push(info);
                        }
                    }
                    if let FilterFailure::Unschedulable(reasons) = &failure {
                        preemption_verdicts.push(preemption::node_verdict(value, info, reasons));
                    }
                    per_node.push((
                        info.name.clone(),
                        match &failure {
                            FilterFailure::Unresolvable(reason) => vec![reason.clone()],
                            FilterFailure::Unschedulable(reasons) => reasons.clone(),
                        },
                    ));
                    failures.push(failure);
                }
            }
            if feasible.len() >= wanted {
                break;
            }
        }
        if total > 0 {
            self.scheduler_next_start_node = (start + processed) % total;
        }
        let key = format!(
            "{}/{}",
            value["metadata"]["namespace"].as_str().unwrap_or(""),
            value["metadata"]["name"].as_str().unwrap_or("")
        );
        if feasible.is_empty() {
            Rc::make_mut(&mut self.scheduling_diagnoses).insert(key, per_node);
        } else if self.scheduling_diagnoses.contains_key(&key) {
            Rc::make_mut(&mut self.scheduling_diagnoses).remove(&key);
        }
        if feasible.is_empty() {
            // A pod whose earlier preemption is still under way (a lower-priority pod is
            // terminating on its nominated node) does not preempt again.
            let waiting_for_victims = value["status"]["nominatedNodeName"]
                .as_str()
                .and_then(|n| infos.iter().find(|i| i.name == n))
                .is_some_and(|info| {
                    let own = value["spec"]["priority"].as_i64().unwrap_or(0);
                    info.pods.iter().any(|p| {
                        p["metadata"]["deletionTimestamp"].is_string()
                            && p["spec"]["priority"].as_i64().unwrap_or(0) < own
                    })
                });
            let preempted = if waiting_for_victims {
                None
            } else {
                let budgets: Vec<preemption::Budget> = self
                    .list(
                        model::registry::resolve("poddisruptionbudgets").expect("registered"),
                        None,
                    )
                    .iter()
                    .filter_map(|b| match &**b {
                        Object::PodDisruptionBudget(pdb) => Some(preemption::Budget {
                            namespace: b.namespace().to_string(),
                            selector: model::selector::Selector::from_label_selector(
                                pdb.spec.as_ref().and_then(|s| s.selector.as_ref()),
                            ),
                            allowed: pdb
                                .status
                                .as_ref()
                                .map_or(0, |s| i64::from(s.disruptions_allowed.unwrap_or(0))),
                        }),
                        _ => None,
                    })
                    .collect();
                preemption::find(value, &preemptable, &budgets)
            };
            let never_preempts = value["spec"]["preemptionPolicy"] == "Never";
            let message = if infos.is_empty() {
                "no nodes available to schedule pods".to_string()
            } else if never_preempts {
                let full = fit_error(infos.len(), &failures, &preemption_verdicts);
                let head = full.split(" preemption:").next().unwrap_or(&full);
                format!("{head} preemption: not eligible due to preemptionPolicy=Never.")
            } else if waiting_for_victims {
                let full = fit_error(infos.len(), &failures, &preemption_verdicts);
                let head = full.split(" preemption:").next().unwrap_or(&full);
                format!("{head} preemption: not eligible due to a terminating pod on the nominated node.")
            } else if preempted.is_some() {
                // Preemption found room: the message is the fit error alone.
                let full = fit_error(infos.len(), &failures, &preemption_verdicts);
                full.split(" preemption:")
                    .next()
                    .unwrap_or(&full)
                    .to_string()
            } else {
                fit_error(infos.len(), &failures, &preemption_verdicts)
            };
            if let Some(candidate) = preempted {
                drop(cycle);
                self.preempt(pod, &candidate, &message);
                return;
            }
            self.report_unschedulable(pod, &uid, &message);
            return;
        }
        // LeastAllocated: the share of CPU and memory left free after placing the pod.
        let score = |info: &NodeInfo| -> i128 {
            let cpu_request = if requests.0 == 0 { 100 } else { requests.0 };
            let memory_request = if requests.1 == 0 {
                200 * 1024 * 1024
            } else {
                requests.1
            };
            let free = |allocatable: i128, used: i128| {
                if allocatable <= 0 {
                    0
                } else {
                    ((allocatable - used).max(0) * 100) / allocatable
                }
            };
            (free(info.allocatable_cpu, info.scored_cpu + cpu_request)
                + free(info.allocatable_memory, info.scored_memory + memory_request))
                / 2
        };
        // InterPodAffinity's preferred terms, normalised to 0–100, weigh twice as much.
        let affinity_score = |info: &NodeInfo| -> i64 {
            let label = |key: &str| {
                info.node["metadata"]["labels"][key]
                    .as_str()
                    .map(str::to_string)
            };
            let mut total = 0;
            for (term, domains) in cycle.preferred_affinity_domains.iter() {
                if label(term.topology_key()).is_some_and(|v| domains.contains(&v)) {
                    total += term.weight();
                }
            }
            for (term, domains) in cycle.preferred_anti_affinity_domains.iter() {
                if label(term.topology_key()).is_some_and(|v| domains.contains(&v)) {
                    total -= term.weight();
                }
            }
            total
        };
        let raw: Vec<i64> = feasible.iter().map(|i| affinity_score(i)).collect();
        let (low, high) = (
            raw.iter().copied().min().unwrap_or(0),
            raw.iter().copied().max().unwrap_or(0),
        );
        // PodTopologySpread's soft constraints: the least crowded domains score 100.
        let crowding: Vec<i64> = feasible
            .iter()
            .map(|i| topology_spread::crowding(&cycle.spreads, &i.node))
            .collect();
        let most_crowded = crowding.iter().copied().max().unwrap_or(0);
        let least_crowded = crowding.iter().copied().min().unwrap_or(0);
        let total_score = |index: usize, info: &NodeInfo| -> i128 {
            let normalised = if high > low {
                i128::from((raw[index] - low) * 100 / (high - low))
            } else {
                0
            };
            let spread = if most_crowded > least_crowded {
                i128::from((most_crowded - crowding[index]) * 100 / (most_crowded - least_crowded))
            } else {
                0
            };
            score(info) + 2 * normalised + 2 * spread
        };
        let scores: Vec<i128> = feasible
            .iter()
            .enumerate()
            .map(|(i, info)| total_score(i, info))
            .collect();
        let best = scores.iter().copied().max().unwrap_or(0);
        let top: Vec<&&NodeInfo> = feasible
            .iter()
            .zip(&scores)
            .filter(|(_, s)| **s == best)
            .map(|(i, _)| i)
            .collect();
        // A pod already assumed on a node (its claims carry the node) keeps it while it fits.
        // So does a pod nominated by preemption (its victims made room there).
        let preselected = volumes
            .claims_to_provision
            .iter()
            .find_map(|claim| {
                claim.to_json_value()["metadata"]["annotations"][SELECTED_NODE]
                    .as_str()
                    .map(str::to_string)
            })
            .or_else(|| {
                value["status"]["nominatedNodeName"]
                    .as_str()
                    .map(str::to_string)
            });
        let chosen = match preselected.filter(|n| feasible.iter().any(|i| &i.name == n)) {
            Some(node) => node,
            None => top[(self.rng.next_u32() as usize) % top.len()].name.clone(),
        };
        // Claims waiting for their first consumer learn the chosen node; the pod is bound once
        // their volumes are (VolumeBinding's PreBind waits for the provisioner).
        if !volumes.claims_to_provision.is_empty() {
            for claim in &volumes.claims_to_provision {
                let mut claim_value = claim.to_json_value();
                if claim_value["metadata"]["annotations"][SELECTED_NODE].as_str() == Some(&chosen) {
                    continue;
                }
                claim_value["metadata"]["annotations"][SELECTED_NODE] = json!(chosen);
                if let Some(meta) = claim_value["metadata"].as_object_mut() {
                    meta.remove("resourceVersion");
                }
                if let Ok(object) = Object::from_json_value(claim_value) {
                    let _ = self.update(object);
                }
            }
            self.scheduler_backoff
                .insert(uid, crate::SimTime(self.now().0 + UNSCHEDULABLE_RETRY.0));
            return;
        }
        self.scheduler_backoff.remove(&uid);
        drop(cycle);
        for info in infos.iter_mut() {
            info.nominated.retain(|n| n.uid != uid);
        }
        if let Some(info) = infos.iter_mut().find(|i| i.name == chosen) {
            if value["spec"]["affinity"]["podAntiAffinity"].is_object() {
                let labels = self.namespace_labels();
                info.anti_affinity_terms
                    .extend(PodTerms::of(value, &labels).anti_affinity);
            }
            let mut placed = value.clone();
            placed["spec"]["nodeName"] = json!(chosen);
            info.pods.push(placed);
            info.requested_cpu += requests.0;
            info.requested_memory += requests.1;
            info.pod_count += 1;
            info.scored_cpu += if requests.0 == 0 { 100 } else { requests.0 };
            info.scored_memory += if requests.1 == 0 {
                200 * 1024 * 1024
            } else {
                requests.1
            };
        }
        self.bind_pod(pod, &chosen);
    }

    /// The pod fits nowhere (now): its PodScheduled condition and FailedScheduling event say
    /// why, and it is tried again after a while or when the cluster changes.
    fn report_unschedulable(&mut self, pod: &Rc<Object>, uid: &str, message: &str) {
        self.set_pod_scheduled_condition(pod, "False", "Unschedulable", message);
        let _ = self.record_event(
            pod,
            EventType::Warning,
            "FailedScheduling",
            message,
            &EventSource::component("default-scheduler"),
        );
        self.scheduler_backoff.insert(
            uid.to_string(),
            crate::SimTime(self.now().0 + UNSCHEDULABLE_RETRY.0),
        );
    }

    /// Preemption: the pod is reported unschedulable, nominated to the candidate node, and the
    /// victims are deleted gracefully with a `Preempted` event each.
    fn preempt(&mut self, pod: &Rc<Object>, candidate: &preemption::Candidate, message: &str) {
        let uid = pod.metadata().uid.clone().unwrap_or_default();
        self.report_unschedulable(pod, &uid, message);
        let pods = model::registry::resolve("pods").expect("registered");
        if let Ok(current) = self.get(pods, pod.namespace(), pod.name()) {
            let mut value = current.to_json_value();
            value["status"]["nominatedNodeName"] = json!(candidate.node);
            if let Ok(object) = Object::from_json_value(value) {
                self.api.write_internal(object);
            }
        }
        for (namespace, name) in &candidate.victims {
            let Ok(victim) = self.get(pods, namespace, name) else {
                continue;
            };
            let _ = self.record_event(
                &victim,
                EventType::Normal,
                "Preempted",
                &format!("Preempted by pod {uid} on node {}", candidate.node),
                &EventSource::component("default-scheduler"),
            );
            let _ = self.delete(pods, namespace, name);
        }
    }

    fn bind_pod(&mut self, pod: &Rc<Object>, node: &str) {
        let mut value = pod.to_json_value();
        value["spec"]["nodeName"] = json!(node);
        if let Some(status) = value["status"].as_object_mut() {
            status.remove("nominatedNodeName");
        }
        let timestamp = serde_json::to_value(self.now().to_k8s_time()).unwrap_or_default();
        set_condition(&mut value, "PodScheduled", "True", None, None, &timestamp);
        let Ok(object) = Object::from_json_value(value) else {
            return;
        };
        let bound = self.api.write_internal(object);
        let message = format!(
            "Successfully assigned {}/{} to {node}",
            pod.namespace(),
            pod.name()
        );
        let _ = self.record_event(
            &bound,
            EventType::Normal,
            "Scheduled",
            &message,
            &EventSource::component("default-scheduler"),
        );
    }

    fn set_pod_scheduled_condition(
        &mut self,
        pod: &Rc<Object>,
        status: &str,
        reason: &str,
        message: &str,
    ) {
        let mut value = pod.to_json_value();
        let timestamp = serde_json::to_value(self.now().to_k8s_time()).unwrap_or_default();
        if !set_condition(
            &mut value,
            "PodScheduled",
            status,
            Some(reason),
            Some(message),
            &timestamp,
        ) {
            return;
        }
        if let Ok(object) = Object::from_json_value(value) {
            self.api.write_internal(object);
        }
    }
}

/// Sets a pod condition; keeps lastTransitionTime when the status did not change. Returns
/// whether anything changed.
pub(crate) fn set_condition(
    pod: &mut Value,
    kind: &str,
    status: &str,
    reason: Option<&str>,
    message: Option<&str>,
    now: &Value,
) -> bool {
    if !pod["status"]["conditions"].is_array() {
        pod["status"]["conditions"] = json!([]);
    }
    let Some(conditions) = pod["status"]["conditions"].as_array_mut() else {
        return false;
    };
    let mut condition =
        json!({ "type": kind, "status": status, "lastProbeTime": null, "lastTransitionTime": now });
    if let Some(reason) = reason {
        condition["reason"] = json!(reason);
    }
    if let Some(message) = message {
        condition["message"] = json!(message);
    }
    match conditions.iter_mut().find(|c| c["type"] == kind) {
        Some(existing) => {
            if existing["status"] == status
                && existing["reason"] == condition["reason"]
                && existing["message"] == condition["message"]
            {
                return false;
            }
            if existing["status"] == status {
                condition["lastTransitionTime"] = existing["lastTransitionTime"].clone();
            }
            *existing = condition;
        }
        None => conditions.push(condition),
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn big_clusters_stop_filtering_at_a_share_of_their_nodes() {
        assert_eq!(feasible_nodes_to_find(4), 4);
        assert_eq!(feasible_nodes_to_find(99), 99);
        assert_eq!(feasible_nodes_to_find(150), 100);
        assert_eq!(feasible_nodes_to_find(200), 100);
        assert_eq!(feasible_nodes_to_find(1_000), 420);
        assert_eq!(feasible_nodes_to_find(5_000), 500);
    }

    #[test]
    fn fit_errors_read_like_upstream() {
        let failures = vec![
            FilterFailure::Unresolvable(
                "node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }".into(),
            ),
            FilterFailure::Unschedulable(vec!["Insufficient memory".into()]),
            FilterFailure::Unschedulable(vec!["Insufficient memory".into()]),
            FilterFailure::Unschedulable(vec!["Insufficient memory".into()]),
        ];
        assert_eq!(
            fit_error(4, &failures, &[]),
            "0/4 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 3 Insufficient memory. preemption: 0/4 nodes are available: 1 Preemption is not helpful for scheduling, 3 No preemption victims found for incoming pod."
        );
        // A node with lower-priority pods that would still be too small keeps its reason.
        let no_victims = vec!["No preemption victims found for incoming pod".to_string()];
        assert_eq!(
            fit_error(
                4,
                &failures,
                &[
                    no_victims.clone(),
                    vec!["Insufficient memory".into()],
                    no_victims
                ]
            ),
            "0/4 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 3 Insufficient memory. preemption: 0/4 nodes are available: 1 Insufficient memory, 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod."
        );
    }
}
