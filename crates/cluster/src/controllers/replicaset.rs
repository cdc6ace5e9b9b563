//! The ReplicaSet controller (and the ReplicationController, which is the same loop over the
//! older object): keep `replicas` pods matching the selector.
//!
//! One reconcile: adopt orphans that match and release children that no longer match
//! (ownerReferences); count the active pods (not Succeeded/Failed, not terminating); create the
//! missing ones from the template (`SuccessfulCreate` "Created pod: NAME", or `FailedCreate`
//! with the API server's refusal and the `ReplicaFailure` condition) or delete the surplus in
//! upstream's preference order (unscheduled, pending, not ready, ready for less time, more
//! restarts, newer first); then write status (replicas, fullyLabeledReplicas, readyReplicas,
//! availableReplicas, observedGeneration). Existing pods are never touched when the template
//! changes: a template change affects only pods created afterwards.

use model::sort::SortSlice;
use std::collections::BTreeMap;
use std::rc::Rc;

use model::selector::Selector;
use model::Object;
use serde_json::{json, Value};

use super::{
    controller_reference, controller_uid, is_terminating, pod_phase, ControllerView, EventToRecord,
    Reconciled, Write,
};
use crate::events::EventType;
use crate::SimTime;

/// What the ReplicaSet and ReplicationController share.
struct ReplicaSpec {
    replicas: i64,
    min_ready_seconds: i64,
    selector: Selector,
    template: Value,
}

fn replica_spec(object: &Object) -> Option<ReplicaSpec> {
    let value = object.to_json_value();
    let spec = &value["spec"];
    let selector = match object {
        Object::ReplicaSet(rs) => Selector::from_label_selector(Some(&rs.spec.selector)),
        Object::ReplicationController(_) => {
            let labels: BTreeMap<String, String> = serde_json::from_value(
                spec.get("selector")
                    .or_else(|| spec["template"]["metadata"].get("labels"))
                    .cloned()
                    .unwrap_or(json!({})),
            )
            .ok()?;
            if labels.is_empty() {
                return None;
            }
            Selector::from_map(&labels)
        }
        _ => return None,
    };
    Some(ReplicaSpec {
        replicas: spec["replicas"].as_i64().unwrap_or(1),
        min_ready_seconds: spec["minReadySeconds"].as_i64().unwrap_or(0),
        selector,
        template: spec["template"].clone(),
    })
}

/// When the pod last became Ready, if it is Ready now.
pub(crate) fn ready_since(pod: &Object) -> Option<SimTime> {
    let Object::Pod(pod) = pod else { return None };
    let condition = pod
        .status
        .as_ref()?
        .conditions
        .as_ref()?
        .iter()
        .find(|c| c.type_ == "Ready")?;
    if condition.status != "True" {
        return None;
    }
    Some(
        condition
            .last_transition_time
            .as_ref()
            .map(SimTime::from_k8s_time)
            .unwrap_or_default(),
    )
}

/// Whether a pod has been Ready for at least `min_ready_seconds` (upstream's IsPodAvailable).
pub(crate) fn is_available(pod: &Object, min_ready_seconds: i64, now: SimTime) -> bool {
    ready_since(pod).is_some_and(|since| {
        min_ready_seconds <= 0 || since.0 + (min_ready_seconds as u64) * 1000 <= now.0
    })
}

/// When a Ready pod becomes available, if that is still ahead.
pub(crate) fn available_at(pod: &Object, min_ready_seconds: i64, now: SimTime) -> Option<SimTime> {
    let since = ready_since(pod)?;
    let at = SimTime(since.0 + (min_ready_seconds.max(0) as u64) * 1000);
    (at > now).then_some(at)
}

/// Counted towards `replicas`: not finished, not being deleted.
pub(crate) fn is_active(pod: &Object) -> bool {
    !is_terminating(pod) && !matches!(pod_phase(pod), "Succeeded" | "Failed")
}

fn restarts(pod: &Object) -> i32 {
    match pod {
        Object::Pod(p) => p
            .status
            .as_ref()
            .and_then(|s| s.container_statuses.as_ref())
            .map_or(0, |cs| {
                cs.iter().map(|c| c.restart_count).max().unwrap_or(0)
            }),
        _ => 0,
    }
}

fn node_name(pod: &Object) -> &str {
    match pod {
        Object::Pod(p) => p
            .spec
            .as_ref()
            .and_then(|s| s.node_name.as_deref())
            .unwrap_or(""),
        _ => "",
    }
}

/// Upstream's deletion preference: the pod that goes first sorts first.
pub(crate) fn deletion_order(pods: &mut [Rc<Object>]) {
    let mut per_node: BTreeMap<String, usize> = BTreeMap::new();
    for pod in pods.iter() {
        *per_node.entry(node_name(pod).to_string()).or_default() += 1;
    }
    let phase_rank = |pod: &Object| match pod_phase(pod) {
        "Pending" => 0,
        "Unknown" => 1,
        "Running" => 2,
        _ => 3,
    };
    pods.sort_stable_by(|a, b| {
        let assigned = |p: &Object| !node_name(p).is_empty();
        assigned(a)
            .cmp(&assigned(b))
            .then(phase_rank(a).cmp(&phase_rank(b)))
            .then(ready_since(a).is_some().cmp(&ready_since(b).is_some()))
            // More replicas of this set on the same node go first (spreads what remains).
            .then_with(|| {
                let count = |p: &Object| per_node.get(node_name(p)).copied().unwrap_or(0);
                count(b).cmp(&count(a))
            })
            // Ready for less time goes first.
            .then_with(|| ready_since(b).cmp(&ready_since(a)))
            .then(restarts(b).cmp(&restarts(a)))
            // Newer goes first.
            .then_with(|| {
                b.metadata()
                    .creation_timestamp
                    .cmp(&a.metadata().creation_timestamp)
            })
            .then_with(|| b.name().cmp(a.name()))
    });
}

/// A pod built from the template, owned by `owner`, named `OWNER-xxxxx` by the API server.
fn pod_from_template(owner: &Object, template: &Value) -> Option<Object> {
    let mut metadata = json!({
        "generateName": format!("{}-", owner.name()),
        "namespace": owner.namespace(),
    });
    for field in ["labels", "annotations", "finalizers"] {
        if let Some(v) = template["metadata"].get(field) {
            metadata[field] = v.clone();
        }
    }
    let pod = json!({
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": metadata,
        "spec": template["spec"].clone(),
    });
    let mut pod = Object::from_json_value(pod).ok()?;
    pod.metadata_mut().owner_references = Some(vec![controller_reference(owner)]);
    Some(pod)
}

/// Sets (or clears) the ownerReference to `owner` on a pod: adoption and release.
fn with_owner(pod: &Object, owner: Option<&Object>) -> Object {
    let mut pod = pod.clone();
    let meta = pod.metadata_mut();
    let mut refs: Vec<_> = meta
        .owner_references
        .take()
        .unwrap_or_default()
        .into_iter()
        .filter(|r| r.controller != Some(true))
        .collect();
    if let Some(owner) = owner {
        refs.push(controller_reference(owner));
    }
    meta.owner_references = (!refs.is_empty()).then_some(refs);
    pod
}

/// Keeps the set's pods at `replicas` and reports its status.
pub(crate) fn reconcile(set: &Rc<Object>, view: &ControllerView<'_>) -> Reconciled {
    let mut out = Reconciled::default();
    let Some(spec) = replica_spec(set) else {
        return out;
    };
    let uid = set.metadata().uid.clone().unwrap_or_default();
    let pods = view.pods_in(set.namespace());
    let mut owned: Vec<Rc<Object>> = Vec::new();
    for pod in pods {
        let matches = spec.selector.matches(pod.metadata().labels.as_ref());
        match controller_uid(&pod) {
            Some(owner) if owner == uid => {
                if matches || is_terminating(&pod) {
                    owned.push(pod);
                } else if !is_terminating(set) {
                    out.writes.push(Write::Update(with_owner(&pod, None)));
                }
            }
            None if matches && !is_terminating(&pod) && !is_terminating(set) => {
                out.writes.push(Write::Update(with_owner(&pod, Some(set))));
                owned.push(pod);
            }
            _ => {}
        }
    }
    let mut active: Vec<Rc<Object>> = owned.iter().filter(|p| is_active(p)).cloned().collect();
    let diff = active.len() as i64 - spec.replicas;
    let failure = view.failure_of(set);
    if !is_terminating(set) {
        if diff < 0 {
            let may_try = failure.is_none_or(|f| f.retry_at <= view.now);
            if may_try {
                for _ in 0..(-diff).min(500) {
                    let Some(pod) = pod_from_template(set, &spec.template) else {
                        break;
                    };
                    out.writes.push(Write::Create {
                        object: pod,
                        owner: set.clone(),
                        success: Some(("SuccessfulCreate", "Created pod: {name}".to_string())),
                        failure: Some(("FailedCreate", "Error creating: {error}".to_string())),
                    });
                }
            }
        } else if diff > 0 {
            deletion_order(&mut active);
            for pod in active.iter().take(diff as usize) {
                out.writes.push(Write::Delete {
                    target: pod.clone(),
                    owner: Some(set.clone()),
                    event: Some(EventToRecord {
                        event_type: EventType::Normal,
                        reason: "SuccessfulDelete",
                        message: format!("Deleted pod: {}", pod.name()),
                    }),
                });
            }
            let doomed: Vec<String> = active
                .iter()
                .take(diff as usize)
                .map(|p| p.name().to_string())
                .collect();
            active.retain(|p| !doomed.iter().any(|d| d == p.name()));
        }
    }

    // Status, computed from what exists now (the next reconcile counts the new pods).
    let template_labels: Option<BTreeMap<String, String>> =
        serde_json::from_value(set_template_labels(&spec.template)).ok();
    let fully_labeled = active
        .iter()
        .filter(|p| {
            template_labels.as_ref().is_none_or(|wanted| {
                wanted.iter().all(|(k, v)| {
                    p.metadata()
                        .labels
                        .as_ref()
                        .and_then(|l| l.get(k))
                        .is_some_and(|have| have == v)
                })
            })
        })
        .count();
    let ready = active.iter().filter(|p| ready_since(p).is_some()).count();
    let available = active
        .iter()
        .filter(|p| is_available(p, spec.min_ready_seconds, view.now))
        .count();
    for pod in &active {
        if let Some(at) = available_at(pod, spec.min_ready_seconds, view.now) {
            out.requeue_no_later_than(at);
        }
    }
    let mut value = set.to_json_value();
    let old_status = value.get("status").cloned().unwrap_or(json!({}));
    let mut status = json!({ "replicas": active.len() });
    if fully_labeled > 0 {
        status["fullyLabeledReplicas"] = json!(fully_labeled);
    }
    if ready > 0 {
        status["readyReplicas"] = json!(ready);
    }
    if available > 0 {
        status["availableReplicas"] = json!(available);
    }
    if let Some(generation) = set.metadata().generation {
        status["observedGeneration"] = json!(generation);
    }
    let failure_condition = failure.filter(|_| diff < 0).map(|f| {
        let since = old_status["conditions"]
            .as_array()
            .and_then(|cs| cs.iter().find(|c| c["type"] == "ReplicaFailure"))
            .map(|c| c["lastTransitionTime"].clone())
            .unwrap_or_else(|| serde_json::to_value(view.now.to_k8s_time()).unwrap_or_default());
        json!({
            "type": "ReplicaFailure",
            "status": "True",
            "reason": "FailedCreate",
            // The pod control's error, as the docs' quota example shows it.
            "message": format!("unable to create pods: {}", f.message),
            "lastTransitionTime": since,
        })
    });
    if let Some(condition) = failure_condition {
        status["conditions"] = json!([condition]);
    }
    if let Some(f) = failure {
        out.requeue_no_later_than(f.retry_at);
    }
    if status != old_status {
        value["status"] = status;
        if let Ok(object) = Object::from_json_value(value) {
            out.writes.push(Write::UpdateStatus(object));
        }
    }
    out
}

fn set_template_labels(template: &Value) -> Value {
    template["metadata"]
        .get("labels")
        .cloned()
        .unwrap_or(json!({}))
}
