//! The pod garbage collector's orphan sweep: a pod bound to a node that does not exist (a
//! `nodeName` naming no node, as the docs' `pod-nginx-specific-node.yaml` does on a cluster
//! without `foo-node`) is, after the 40-second quarantine, marked Failed with a
//! `DisruptionTarget` condition (`DeletionByPodGC`) and force-deleted.

use std::rc::Rc;

use model::Object;
use serde_json::json;

use super::{ControllerView, Reconciled, Write};
use crate::SimTime;

/// How long a node must be missing before its pods are collected (upstream's quarantineTime).
const QUARANTINE_MILLIS: u64 = 40_000;

pub(crate) fn reconcile(pod: &Rc<Object>, view: &ControllerView<'_>) -> Reconciled {
    let mut out = Reconciled::default();
    let Object::Pod(typed) = &**pod else {
        return out;
    };
    let Some(node) = typed
        .spec
        .as_ref()
        .and_then(|s| s.node_name.as_deref())
        .filter(|n| !n.is_empty())
    else {
        return out;
    };
    if view.get("nodes", "", node).is_some() {
        return out;
    }
    let created = typed
        .metadata
        .creation_timestamp
        .as_ref()
        .map_or(view.now, SimTime::from_k8s_time);
    let due = SimTime(created.0.saturating_add(QUARANTINE_MILLIS));
    if view.now < due {
        out.requeue_no_later_than(due);
        return out;
    }
    let mut value = pod.to_json_value();
    let phase = value["status"]["phase"].as_str().unwrap_or("");
    if phase != "Succeeded" && phase != "Failed" {
        value["status"]["phase"] = json!("Failed");
        let condition = json!({
            "type": "DisruptionTarget",
            "status": "True",
            "reason": "DeletionByPodGC",
            "message": "PodGC: node no longer exists",
            "lastTransitionTime": view.now.to_k8s_time(),
        });
        match value["status"]["conditions"].as_array_mut() {
            Some(conditions) => conditions.push(condition),
            None => value["status"]["conditions"] = json!([condition]),
        }
        if let Some(meta) = value["metadata"].as_object_mut() {
            meta.remove("resourceVersion");
        }
        if let Ok(object) = Object::from_json_value(value) {
            out.writes.push(Write::UpdateStatus(object));
        }
    }
    out.writes.push(Write::ForceDelete(pod.clone()));
    out
}
