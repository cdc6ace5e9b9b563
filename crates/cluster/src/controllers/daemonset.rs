//! The DaemonSet controller: one pod per eligible node.
//!
//! A node is eligible when the pod template's nodeSelector and required node affinity match it
//! and the pod tolerates its NoSchedule/NoExecute taints — with the tolerations every daemon pod
//! gets automatically (not-ready, unreachable, disk/memory/pid pressure, unschedulable, and
//! network-unavailable for host-network pods). Each pod is pinned to its node by a required
//! node affinity on `metadata.name`, so the scheduler still checks that it fits. Pods on nodes
//! that are no longer eligible are deleted — unless only a NoSchedule taint turned the node
//! away: those stay, counted as misscheduled — and so are duplicates and pods that ended (a
//! FailedDaemonPod / SucceededDaemonPod event each; the replacement follows once it is gone).
//! Pods are labelled with the template generation the API server keeps in the
//! `deprecated.daemonset.template.generation` annotation. RollingUpdate replaces
//! pods of an older template at most `maxUnavailable` at a time; OnDelete only replaces pods the
//! user deletes. Status: desired/current/ready/updated/available/unavailable/misscheduled.

use model::sort::SortSlice;
use std::collections::BTreeMap;
use std::rc::Rc;

use model::Object;
use serde_json::{json, Value};

use super::deployment::util::{pod_template_hash, scaled_value};
use super::replicaset::{available_at, is_available, ready_since};
use super::{
    controller_reference, controller_uid, is_terminating, label, pod_phase, ControllerView,
    EventToRecord, Reconciled, Write,
};
use crate::events::EventType;
use crate::scheduler::{node_matches_affinity, tolerates};

const HASH_LABEL: &str = "controller-revision-hash";

/// The tolerations the DaemonSet controller adds to every pod it creates.
fn daemon_tolerations(host_network: bool) -> Vec<Value> {
    let mut tolerations = vec![
        json!({"key": "node.kubernetes.io/not-ready", "operator": "Exists", "effect": "NoExecute"}),
        json!({"key": "node.kubernetes.io/unreachable", "operator": "Exists", "effect": "NoExecute"}),
        json!({"key": "node.kubernetes.io/disk-pressure", "operator": "Exists", "effect": "NoSchedule"}),
        json!({"key": "node.kubernetes.io/memory-pressure", "operator": "Exists", "effect": "NoSchedule"}),
        json!({"key": "node.kubernetes.io/pid-pressure", "operator": "Exists", "effect": "NoSchedule"}),
        json!({"key": "node.kubernetes.io/unschedulable", "operator": "Exists", "effect": "NoSchedule"}),
    ];
    if host_network {
        tolerations.push(json!({"key": "node.kubernetes.io/network-unavailable", "operator": "Exists", "effect": "NoSchedule"}));
    }
    tolerations
}

/// The pod the DaemonSet would run on `node` (template + daemon tolerations + pinning).
fn daemon_pod(
    set: &Object,
    template: &Value,
    node: &str,
    hash: &str,
    template_generation: i64,
) -> Value {
    let mut metadata = json!({
        "generateName": format!("{}-", set.name()),
        "namespace": set.namespace(),
    });
    for field in ["labels", "annotations"] {
        if let Some(v) = template["metadata"].get(field) {
            metadata[field] = v.clone();
        }
    }
    metadata["labels"][HASH_LABEL] = json!(hash);
    metadata["labels"]["pod-template-generation"] = json!(template_generation.to_string());
    let mut spec = template["spec"].clone();
    let host_network = spec["hostNetwork"].as_bool() == Some(true);
    let mut tolerations: Vec<Value> = spec["tolerations"].as_array().cloned().unwrap_or_default();
    for toleration in daemon_tolerations(host_network) {
        if !tolerations
            .iter()
            .any(|t| t["key"] == toleration["key"] && t["effect"] == toleration["effect"])
        {
            tolerations.push(toleration);
        }
    }
    spec["tolerations"] = json!(tolerations);
    // Pin to the node, replacing any matchFields on metadata.name the template had.
    let pin = json!({"key": "metadata.name", "operator": "In", "values": [node]});
    let required =
        &mut spec["affinity"]["nodeAffinity"]["requiredDuringSchedulingIgnoredDuringExecution"];
    match required["nodeSelectorTerms"].as_array_mut() {
        Some(terms) if !terms.is_empty() => {
            for term in terms {
                term["matchFields"] = json!([pin.clone()]);
            }
        }
        _ => required["nodeSelectorTerms"] = json!([{ "matchFields": [pin] }]),
    }
    json!({ "apiVersion": "v1", "kind": "Pod", "metadata": metadata, "spec": spec })
}

/// Whether the daemon pod may run on the node (selector, affinity, taints).
fn should_run(pod: &Value, node: &Value) -> bool {
    fits_node(pod, node, &["NoSchedule", "NoExecute"])
}

/// Whether a daemon pod already on the node may stay: a NoSchedule taint keeps new pods off
/// but does not evict (upstream's `shouldContinueRunning`); a NoExecute one does.
fn should_continue_running(pod: &Value, node: &Value) -> bool {
    fits_node(pod, node, &["NoExecute"])
}

/// The node matches the pod's selector and required affinity (its pin aside) and the pod
/// tolerates the node's taints of the given effects.
fn fits_node(pod: &Value, node: &Value, effects: &[&str]) -> bool {
    let mut unpinned = pod.clone();
    if let Some(terms) = unpinned["spec"]["affinity"]["nodeAffinity"]
        ["requiredDuringSchedulingIgnoredDuringExecution"]["nodeSelectorTerms"]
        .as_array_mut()
    {
        for term in terms {
            if let Some(map) = term.as_object_mut() {
                map.remove("matchFields");
            }
        }
    }
    node_matches_affinity(&unpinned, node)
        && node["spec"]["taints"]
            .as_array()
            .into_iter()
            .flatten()
            .all(|taint| {
                !taint["effect"]
                    .as_str()
                    .is_some_and(|effect| effects.contains(&effect))
                    || tolerates(pod, taint)
            })
}

fn node_of(pod: &Object) -> String {
    let value = pod.to_json_value();
    if let Some(node) = value["spec"]["nodeName"].as_str() {
        return node.to_string();
    }
    // Not bound yet: the node it is pinned to.
    value["spec"]["affinity"]["nodeAffinity"]["requiredDuringSchedulingIgnoredDuringExecution"]
        ["nodeSelectorTerms"][0]["matchFields"][0]["values"][0]
        .as_str()
        .unwrap_or("")
        .to_string()
}

pub(crate) fn reconcile(set: &Rc<Object>, view: &ControllerView<'_>) -> Reconciled {
    let mut out = Reconciled::default();
    let Object::DaemonSet(daemon_set) = &**set else {
        return out;
    };
    if is_terminating(set) {
        return out;
    }
    let value = set.to_json_value();
    let template = value["spec"]["template"].clone();
    let hash = pod_template_hash(&daemon_set.spec.template, None);
    let generation = set.metadata().generation.unwrap_or(1);
    // Pods carry the template generation the API server keeps, not the set's generation.
    let template_generation = crate::api::daemon_set_template_generation(set).unwrap_or(1);
    let min_ready = i64::from(daemon_set.spec.min_ready_seconds.unwrap_or(0));
    let uid = set.metadata().uid.clone().unwrap_or_default();
    let selector = model::selector::Selector::from_label_selector(Some(&daemon_set.spec.selector));

    // The set's pods by node.
    let mut by_node: BTreeMap<String, Vec<Rc<Object>>> = BTreeMap::new();
    for pod in view.pods_in(set.namespace()) {
        if controller_uid(&pod) == Some(uid.as_str())
            && selector.matches(pod.metadata().labels.as_ref())
        {
            by_node.entry(node_of(&pod)).or_default().push(pod);
        }
    }
    let in_use: std::collections::BTreeSet<String> = by_node
        .values()
        .flatten()
        .filter_map(|p| label(p, HASH_LABEL).map(str::to_string))
        .collect();
    super::history::sync_history(set, &template, &hash, &in_use, view, &mut out);
    let nodes = view.store_nodes();
    let mut desired = 0;
    let mut current = 0;
    let mut misscheduled = 0;
    let mut ready = 0;
    let mut updated = 0;
    let mut available = 0;
    let mut unavailable_now = 0;
    let mut to_create: Vec<String> = Vec::new();
    let mut to_delete: Vec<Rc<Object>> = Vec::new();
    let mut outdated: Vec<Rc<Object>> = Vec::new();
    let probe = daemon_pod(set, &template, "", &hash, template_generation);
    // With RollingUpdate and maxSurge > 0 the new pod starts next to the old one, which goes
    // once the new one is available (at most maxSurge nodes surging at once).
    let strategy = &value["spec"]["updateStrategy"];
    let rolling = strategy["type"].as_str().unwrap_or("RollingUpdate") == "RollingUpdate";
    let eligible_count = nodes
        .iter()
        .filter(|n| should_run(&probe, &n.to_json_value()))
        .count() as i32;
    let max_surge = if rolling {
        daemon_set
            .spec
            .update_strategy
            .as_ref()
            .and_then(|s| s.rolling_update.as_ref())
            .map_or(0, |r| {
                scaled_value(r.max_surge.as_ref(), eligible_count, true).max(0)
            })
    } else {
        0
    };
    let mut surging = 0;
    let mut surge_candidates: Vec<String> = Vec::new();
    for node in &nodes {
        let node_value = node.to_json_value();
        let node_name = node.name().to_string();
        let eligible = should_run(&probe, &node_value);
        let pods: Vec<Rc<Object>> = by_node.remove(&node_name).unwrap_or_default();
        let live: Vec<Rc<Object>> = pods
            .iter()
            .filter(|p| !is_terminating(p))
            .cloned()
            .collect();
        if eligible {
            desired += 1;
            // A pod that ended is deleted, with a word on the set; its replacement comes at
            // the next look, once it is gone (upstream's podsShouldBeOnNode).
            let (ended, running): (Vec<_>, Vec<_>) = live
                .iter()
                .cloned()
                .partition(|p| matches!(pod_phase(p), "Failed" | "Succeeded"));
            for pod in &ended {
                let failed = pod_phase(pod) == "Failed";
                out.writes.push(Write::Event {
                    involved: set.clone(),
                    event: EventToRecord {
                        event_type: if failed {
                            EventType::Warning
                        } else {
                            EventType::Normal
                        },
                        reason: if failed {
                            "FailedDaemonPod"
                        } else {
                            "SucceededDaemonPod"
                        },
                        message: format!(
                            "Found {} daemon pod {}/{} on node {node_name}, will try to {}",
                            if failed { "failed" } else { "succeeded" },
                            pod.namespace(),
                            pod.name(),
                            if failed { "kill it" } else { "delete it" },
                        ),
                    },
                });
            }
            let replacing_ended = !ended.is_empty();
            to_delete.extend(ended);
            match running.len() {
                0 => {
                    if !replacing_ended && !pods.iter().any(|p| is_terminating(p)) {
                        to_create.push(node_name.clone());
                    }
                    unavailable_now += 1;
                }
                _ => {
                    current += 1;
                    let mut running = running;
                    running.sort_stable_by(|a, b| {
                        a.metadata()
                            .creation_timestamp
                            .cmp(&b.metadata().creation_timestamp)
                    });
                    if max_surge > 0 {
                        let (new_pods, old_pods): (Vec<_>, Vec<_>) = running
                            .iter()
                            .cloned()
                            .partition(|p| label(p, HASH_LABEL) == Some(hash.as_str()));
                        to_delete.extend(new_pods.iter().skip(1).cloned());
                        to_delete.extend(old_pods.iter().skip(1).cloned());
                        let (new_pod, old_pod) = (new_pods.first(), old_pods.first());
                        // Status counts the node's oldest pod, as upstream does: a node is
                        // updated once its old pod is gone.
                        let Some(serving) = old_pod.or(new_pod) else {
                            continue;
                        };
                        if ready_since(serving).is_some() {
                            ready += 1;
                        }
                        if is_available(serving, min_ready, view.now) {
                            available += 1;
                        } else {
                            unavailable_now += 1;
                        }
                        for pod in new_pod.iter().chain(old_pod.iter()) {
                            if let Some(at) = available_at(pod, min_ready, view.now) {
                                out.requeue_no_later_than(at);
                            }
                        }
                        match (new_pod, old_pod) {
                            (Some(new), Some(old)) => {
                                if is_available(new, min_ready, view.now) {
                                    to_delete.push(old.clone());
                                } else {
                                    surging += 1;
                                }
                            }
                            (Some(_), None) => updated += 1,
                            (None, Some(old)) => {
                                if is_available(old, min_ready, view.now) {
                                    surge_candidates.push(node_name.clone());
                                } else {
                                    // An old pod that serves nothing is replaced at once.
                                    to_delete.push(old.clone());
                                    to_create.push(node_name.clone());
                                }
                            }
                            (None, None) => {}
                        }
                        continue;
                    }
                    // Keep the oldest; extras go.
                    to_delete.extend(running.iter().skip(1).cloned());
                    let pod = &running[0];
                    if ready_since(pod).is_some() {
                        ready += 1;
                    }
                    if is_available(pod, min_ready, view.now) {
                        available += 1;
                    } else {
                        unavailable_now += 1;
                    }
                    if let Some(at) = available_at(pod, min_ready, view.now) {
                        out.requeue_no_later_than(at);
                    }
                    if label(pod, HASH_LABEL) == Some(hash.as_str()) {
                        updated += 1;
                    } else {
                        outdated.push(pod.clone());
                    }
                }
            }
        } else if !live.is_empty() {
            // Counted by node, as upstream does; the pods go unless only NoSchedule taints
            // (or nothing the node can change) turned the node away.
            misscheduled += 1;
            if !should_continue_running(&probe, &node_value) {
                to_delete.extend(live);
            }
        }
    }
    // Pods pinned to nodes that no longer exist go too.
    for (_, pods) in by_node {
        to_delete.extend(pods.into_iter().filter(|p| !is_terminating(p)));
    }

    if max_surge > 0 {
        let room = (max_surge - surging).max(0) as usize;
        to_create.extend(surge_candidates.into_iter().take(room));
    }
    // Rolling update: replace outdated pods while at most maxUnavailable are unavailable.
    if rolling && max_surge == 0 {
        let max_unavailable = daemon_set
            .spec
            .update_strategy
            .as_ref()
            .and_then(|s| s.rolling_update.as_ref())
            .map_or(1, |r| {
                scaled_value(r.max_unavailable.as_ref(), desired, true).max(0)
            });
        let max_unavailable = if max_unavailable == 0 {
            1
        } else {
            max_unavailable
        };
        let mut budget = max_unavailable - unavailable_now.min(max_unavailable);
        // Unavailable outdated pods cost nothing to replace.
        outdated.sort_stable_by_key(|p| is_available(p, min_ready, view.now));
        for pod in outdated {
            if !is_available(&pod, min_ready, view.now) {
                to_delete.push(pod);
            } else if budget > 0 {
                budget -= 1;
                to_delete.push(pod);
            }
        }
    }

    for node in to_create {
        let pod = daemon_pod(set, &template, &node, &hash, template_generation);
        let Ok(mut pod) = Object::from_json_value(pod) else {
            continue;
        };
        pod.metadata_mut().owner_references = Some(vec![controller_reference(set)]);
        out.writes.push(Write::Create {
            object: pod,
            owner: set.clone(),
            success: Some(("SuccessfulCreate", "Created pod: {name}".to_string())),
            failure: Some(("FailedCreate", "Error creating: {error}".to_string())),
        });
    }
    for pod in to_delete {
        let message = format!("Deleted pod: {}", pod.name());
        out.writes.push(Write::Delete {
            target: pod,
            owner: Some(set.clone()),
            event: Some(EventToRecord {
                event_type: EventType::Normal,
                reason: "SuccessfulDelete",
                message,
            }),
        });
    }

    let mut status = json!({
        "currentNumberScheduled": current,
        "desiredNumberScheduled": desired,
        "numberMisscheduled": misscheduled,
        "numberReady": ready,
        "observedGeneration": generation,
    });
    if updated > 0 {
        status["updatedNumberScheduled"] = json!(updated);
    }
    if available > 0 {
        status["numberAvailable"] = json!(available);
    }
    if desired - available > 0 {
        status["numberUnavailable"] = json!(desired - available);
    }
    if value["status"] != status {
        let mut changed = value.clone();
        changed["status"] = status;
        if let Ok(object) = Object::from_json_value(changed) {
            out.writes.push(Write::UpdateStatus(object));
        }
    }
    out
}
