//! The disruption controller: a PodDisruptionBudget's status — how many of its pods are healthy
//! (Ready and not terminating), how many must stay healthy, and so how many voluntary
//! disruptions (evictions, e.g. by `kubectl drain`) are allowed now.
//!
//! `minAvailable` as a number counts against the pods that exist; a percentage, and
//! `maxUnavailable`, count against the replicas their controllers ask for (Deployment through
//! its ReplicaSet, ReplicaSet, ReplicationController, StatefulSet), as upstream does.

use std::collections::BTreeSet;
use std::rc::Rc;

use model::k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;
use model::selector::Selector;
use model::Object;
use serde_json::json;

use super::deployment::util::scaled_value;
use super::replicaset::ready_since;
use super::{is_terminating, ControllerView, Reconciled, Write};

/// The replicas the controller of a pod asks for (by the pod's controller reference).
fn expected_replicas(view: &ControllerView<'_>, pods: &[Rc<Object>]) -> i32 {
    let mut seen: BTreeSet<String> = BTreeSet::new();
    let mut total = 0;
    for pod in pods {
        let Some(owner) = pod
            .metadata()
            .owner_references
            .iter()
            .flatten()
            .find(|r| r.controller == Some(true))
        else {
            total += 1;
            continue;
        };
        if !seen.insert(owner.uid.clone()) {
            continue;
        }
        let plural = match owner.kind.as_str() {
            "ReplicaSet" => "replicasets",
            "ReplicationController" => "replicationcontrollers",
            "StatefulSet" => "statefulsets",
            _ => {
                total += 1;
                continue;
            }
        };
        let scale = view
            .list_in(plural, pod.namespace())
            .into_iter()
            .find(|o| o.metadata().uid.as_deref() == Some(owner.uid.as_str()))
            .and_then(|o| o.to_json_value()["spec"]["replicas"].as_i64());
        total += scale.unwrap_or(1) as i32;
    }
    total
}

pub(crate) fn reconcile(budget: &Rc<Object>, view: &ControllerView<'_>) -> Reconciled {
    let mut out = Reconciled::default();
    let Object::PodDisruptionBudget(pdb) = &**budget else {
        return out;
    };
    let Some(spec) = pdb.spec.as_ref() else {
        return out;
    };
    let selector = Selector::from_label_selector(spec.selector.as_ref());
    let pods: Vec<Rc<Object>> = view
        .pods_in(budget.namespace())
        .into_iter()
        .filter(|p| selector.matches(p.metadata().labels.as_ref()))
        .filter(|p| {
            !matches!(
                p.to_json_value()["status"]["phase"].as_str(),
                Some("Succeeded" | "Failed")
            )
        })
        .collect();
    let healthy = pods
        .iter()
        .filter(|p| !is_terminating(p) && ready_since(p).is_some())
        .count() as i32;
    let (expected, desired) = match (&spec.min_available, &spec.max_unavailable) {
        (Some(IntOrString::Int(n)), _) => (pods.len() as i32, *n),
        (Some(percent), _) => {
            let expected = expected_replicas(view, &pods);
            (expected, scaled_value(Some(percent), expected, true))
        }
        (None, Some(max)) => {
            let expected = expected_replicas(view, &pods);
            (
                expected,
                (expected - scaled_value(Some(max), expected, true)).max(0),
            )
        }
        (None, None) => (pods.len() as i32, 0),
    };
    let allowed = (healthy - desired).max(0);
    let value = budget.to_json_value();
    let old = value.get("status").cloned().unwrap_or(json!({}));
    let (state, reason) = if allowed > 0 {
        ("True", "SufficientPods")
    } else {
        ("False", "InsufficientPods")
    };
    let transition = old["conditions"]
        .as_array()
        .and_then(|cs| {
            cs.iter()
                .find(|c| c["type"] == "DisruptionAllowed" && c["status"] == state)
        })
        .map(|c| c["lastTransitionTime"].clone())
        .unwrap_or_else(|| serde_json::to_value(view.now.to_k8s_time()).unwrap_or_default());
    let status = json!({
        "currentHealthy": healthy,
        "desiredHealthy": desired,
        "disruptionsAllowed": allowed,
        "expectedPods": expected,
        "observedGeneration": budget.metadata().generation.unwrap_or(1),
        "conditions": [{
            "type": "DisruptionAllowed",
            "status": state,
            "reason": reason,
            "message": "",
            "observedGeneration": budget.metadata().generation.unwrap_or(1),
            "lastTransitionTime": transition,
        }],
    });
    if status != old {
        let mut changed = value;
        changed["status"] = status;
        if let Ok(object) = Object::from_json_value(changed) {
            out.writes.push(Write::UpdateStatus(object));
        }
    }
    out
}
