//! The node lifecycle controller's taint work: a cordoned node (`spec.unschedulable`) carries
//! the `node.kubernetes.io/unschedulable:NoSchedule` taint and an uncordoned one does not; pods
//! on a node with a NoExecute taint they do not tolerate are deleted (at once, or after their
//! `tolerationSeconds`), as the taint eviction controller does. A node whose kubelet has been
//! silent for the node-monitor grace period (50 s) turns `Unknown`, gets the
//! `node.kubernetes.io/unreachable` NoSchedule and NoExecute taints, and its pods turn NotReady;
//! when the kubelet posts Ready again the taints go.

use std::rc::Rc;

use model::Object;
use serde_json::{json, Value};

use super::{is_terminating, ControllerView, EventToRecord, Reconciled, Write};
use crate::events::EventType;
use crate::SimTime;

const UNSCHEDULABLE_TAINT: &str = "node.kubernetes.io/unschedulable";
const UNREACHABLE_TAINT: &str = "node.kubernetes.io/unreachable";
/// How long a node may stay silent before it is `Unknown` (node-monitor-grace-period).
const NODE_MONITOR_GRACE_MILLIS: u64 = 50_000;

/// The node's conditions as the controller sets them for a silent kubelet.
fn unknown_conditions(node: &Value, now: SimTime) -> Value {
    let conditions: Vec<Value> = node["status"]["conditions"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|c| {
            let mut c = c.clone();
            c["status"] = json!("Unknown");
            c["reason"] = json!("NodeStatusUnknown");
            c["message"] = json!("Kubelet stopped posting node status.");
            c["lastTransitionTime"] = json!(now.to_k8s_time());
            c
        })
        .collect();
    json!(conditions)
}

/// A silent node's pods: Ready turns False (the controller's MarkPodsNotReady; nothing
/// touches ContainersReady, which the gone kubelet would own), each with a `NodeNotReady`
/// event.
fn mark_pods_not_ready(out: &mut Reconciled, node: &Object, view: &ControllerView<'_>) {
    for namespace in view.list_in_cluster("namespaces") {
        for pod in view.pods_in(namespace.name()) {
            let mut value = pod.to_json_value();
            if value["spec"]["nodeName"] != json!(node.name()) {
                continue;
            }
            let mut changed = false;
            for condition in value["status"]["conditions"]
                .as_array_mut()
                .into_iter()
                .flatten()
            {
                if condition["type"] == "Ready" && condition["status"] != "False" {
                    condition["status"] = json!("False");
                    condition["lastTransitionTime"] = json!(view.now.to_k8s_time());
                    changed = true;
                }
            }
            if !changed {
                continue;
            }
            if let Some(meta) = value["metadata"].as_object_mut() {
                meta.remove("resourceVersion");
            }
            if let Ok(object) = Object::from_json_value(value) {
                out.writes.push(Write::UpdateStatus(object));
            }
            out.writes.push(Write::Event {
                involved: pod.clone(),
                event: EventToRecord {
                    event_type: EventType::Warning,
                    reason: "NodeNotReady",
                    message: "Node is not ready".into(),
                },
            });
        }
    }
}

/// How long a pod may stay on a node with this taint: None = forever, Some(0) = not at all.
/// Among the tolerations that match, the shortest `tolerationSeconds` wins; only when none of
/// them has one does the pod stay forever (upstream's getMinTolerationTime).
fn tolerated_for(pod: &Value, taint: &Value) -> Option<u64> {
    let matching: Vec<&Value> = pod["spec"]["tolerations"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|t| crate::scheduler::tolerates(&json!({"spec": {"tolerations": [t]}}), taint))
        .collect();
    if matching.is_empty() {
        return Some(0);
    }
    matching
        .iter()
        .filter_map(|t| t["tolerationSeconds"].as_i64())
        .map(|s| s.max(0) as u64)
        .min()
}

pub(crate) fn reconcile(node: &Rc<Object>, view: &ControllerView<'_>) -> Reconciled {
    let mut out = Reconciled::default();
    let value = node.to_json_value();
    let cordoned = value["spec"]["unschedulable"] == json!(true);
    let original_taints: Vec<Value> = value["spec"]["taints"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let mut taints = original_taints.clone();
    // A silent kubelet: Unknown after the grace period, with the unreachable taints; a node
    // posting Ready again loses them.
    let ready = value["status"]["conditions"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|c| c["type"] == "Ready")
        .and_then(|c| c["status"].as_str())
        .unwrap_or("Unknown")
        .to_string();
    let silent_since = view.kubelet_stopped.get(node.name()).copied();
    let unreachable = silent_since.is_some_and(|t| view.now.0 >= t.0 + NODE_MONITOR_GRACE_MILLIS);
    if let (Some(since), false) = (silent_since, unreachable) {
        out.requeue_no_later_than(SimTime(since.0 + NODE_MONITOR_GRACE_MILLIS));
    }
    if unreachable && ready != "Unknown" {
        let mut status = value.clone();
        status["status"]["conditions"] = unknown_conditions(&value, view.now);
        if let Some(meta) = status["metadata"].as_object_mut() {
            meta.remove("resourceVersion");
        }
        if let Ok(object) = Object::from_json_value(status) {
            out.writes.push(Write::UpdateStatus(object));
        }
        out.writes.push(Write::Event {
            involved: node.clone(),
            event: EventToRecord {
                event_type: EventType::Normal,
                reason: "NodeNotReady",
                message: format!("Node {} status is now: NodeNotReady", node.name()),
            },
        });
        mark_pods_not_ready(&mut out, node, view);
    }
    let has_unreachable = taints.iter().any(|t| t["key"] == UNREACHABLE_TAINT);
    if unreachable && !has_unreachable {
        for effect in ["NoSchedule", "NoExecute"] {
            taints.push(json!({"key": UNREACHABLE_TAINT, "effect": effect, "timeAdded": view.now.to_k8s_time()}));
        }
    } else if !unreachable && ready == "True" && has_unreachable {
        taints.retain(|t| t["key"] != UNREACHABLE_TAINT);
    }
    let has_taint = taints.iter().any(|t| t["key"] == UNSCHEDULABLE_TAINT);
    if cordoned && !has_taint {
        taints.push(json!({"key": UNSCHEDULABLE_TAINT, "effect": "NoSchedule", "timeAdded": view.now.to_k8s_time()}));
    } else if !cordoned && has_taint {
        taints.retain(|t| t["key"] != UNSCHEDULABLE_TAINT);
    }
    if taints != original_taints {
        let mut changed = value.clone();
        changed["spec"]["taints"] = if taints.is_empty() {
            Value::Null
        } else {
            json!(taints)
        };
        if let Some(meta) = changed["metadata"].as_object_mut() {
            meta.remove("resourceVersion");
        }
        if let Ok(object) = Object::from_json_value(changed) {
            out.writes.push(Write::Update(object));
        }
    }
    let no_execute: Vec<&Value> = taints
        .iter()
        .filter(|t| t["effect"] == "NoExecute")
        .collect();
    if no_execute.is_empty() {
        return out;
    }
    for namespace in view.list_in_cluster("namespaces") {
        for pod in view.pods_in(namespace.name()) {
            let pod_value = pod.to_json_value();
            if pod_value["spec"]["nodeName"] != json!(node.name()) || is_terminating(&pod) {
                continue;
            }
            // The pod leaves after the shortest time any untolerated-forever taint allows.
            let mut leave_after: Option<u64> = None;
            for taint in &no_execute {
                if let Some(seconds) = tolerated_for(&pod_value, taint) {
                    let added = taint["timeAdded"].clone();
                    let since = serde_json::from_value::<
                        model::k8s_openapi::apimachinery::pkg::apis::meta::v1::Time,
                    >(added)
                    .map(|t| SimTime::from_k8s_time(&t))
                    .unwrap_or(view.now);
                    let at = since.0 + seconds * 1000;
                    leave_after = Some(leave_after.map_or(at, |a| a.min(at)));
                }
            }
            let Some(at) = leave_after else { continue };
            if SimTime(at) <= view.now {
                out.writes.push(Write::Event {
                    involved: pod.clone(),
                    event: EventToRecord {
                        event_type: EventType::Normal,
                        reason: "TaintManagerEviction",
                        message: format!(
                            "Marking for deletion Pod {}/{}",
                            pod.namespace(),
                            pod.name()
                        ),
                    },
                });
                out.writes.push(Write::Delete {
                    target: pod.clone(),
                    owner: None,
                    event: None,
                });
            } else {
                out.requeue_no_later_than(SimTime(at));
            }
        }
    }
    out
}
