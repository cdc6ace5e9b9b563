//! The StatefulSet controller: pods with stable names (`web-0`, `web-1`, …), stable hostnames
//! under the governing Service, and a PersistentVolumeClaim per pod per volumeClaimTemplate
//! (`www-web-0`) that a recreated pod attaches again.
//!
//! Ordinals run from `spec.ordinals.start` (0 by default). OrderedReady (the default) creates
//! pods one at a time in ordinal order, each waiting until every lower ordinal is Running,
//! Ready and available for `minReadySeconds`, and removes them in reverse order; Parallel acts
//! on all ordinals at once. RollingUpdate replaces pods of an older revision from the highest
//! ordinal down to `partition`, `maxUnavailable` at a time; a pod deleted below the partition
//! comes back from the current revision's template. OnDelete replaces only pods the user
//! deletes. Pods that ended (Failed, Succeeded) are replaced. Status as upstream counts it:
//! every pod is a replica and a Running, Ready one is ready even while it terminates;
//! currentRevision moves on once every replica is updated and ready (never under OnDelete).

use model::sort::SortSlice;
use std::rc::Rc;

use model::Object;
use serde_json::{json, Value};

use super::deployment::util::pod_template_hash;
use super::replicaset::{available_at, is_available, ready_since};
use super::{
    controller_reference, controller_uid, is_terminating, label, pod_phase, ControllerView,
    EventToRecord, Reconciled, Write,
};
use crate::events::EventType;

const REVISION_LABEL: &str = "controller-revision-hash";

/// `web-3` → 3, for pods of the set `web`.
fn ordinal_of(set_name: &str, pod_name: &str) -> Option<i64> {
    pod_name
        .strip_prefix(set_name)?
        .strip_prefix('-')?
        .parse()
        .ok()
}

/// Running and Ready: what OrderedReady waits for.
fn running_and_ready(pod: &Object) -> bool {
    pod_phase(pod) == "Running" && ready_since(pod).is_some()
}

/// Running, Ready and available for `min_ready` seconds: what OrderedReady and the rolling
/// update wait for (upstream's `isRunningAndAvailable`).
fn running_and_available(pod: &Object, min_ready: i64, now: crate::clock::SimTime) -> bool {
    running_and_ready(pod) && is_available(pod, min_ready, now)
}

/// A ControllerRevision's pod template (what `revision` of the set said), if it is kept.
fn revision_template(set: &Object, revision: &str, view: &ControllerView<'_>) -> Option<Value> {
    let stored = super::history::revisions_of(set, view)
        .into_iter()
        .find(|r| r.name() == revision)?;
    let mut template = stored.to_json_value()["data"]["spec"]["template"].clone();
    template.as_object_mut()?.remove("$patch");
    Some(template)
}

/// The pod for `ordinal`, as the template says at `revision`.
fn stateful_pod(set: &Value, ordinal: i64, revision: &str) -> Value {
    let name = set["metadata"]["name"].as_str().unwrap_or("");
    let pod_name = format!("{name}-{ordinal}");
    let template = &set["spec"]["template"];
    let mut metadata = json!({ "name": pod_name, "namespace": set["metadata"]["namespace"] });
    for field in ["labels", "annotations"] {
        if let Some(v) = template["metadata"].get(field) {
            metadata[field] = v.clone();
        }
    }
    metadata["labels"][REVISION_LABEL] = json!(revision);
    metadata["labels"]["statefulset.kubernetes.io/pod-name"] = json!(pod_name);
    metadata["labels"]["apps.kubernetes.io/pod-index"] = json!(ordinal.to_string());
    let mut spec = template["spec"].clone();
    spec["hostname"] = json!(pod_name);
    if let Some(service) = set["spec"]["serviceName"]
        .as_str()
        .filter(|s| !s.is_empty())
    {
        spec["subdomain"] = json!(service);
    }
    // Each claim template becomes a volume backed by this pod's own claim; those come first,
    // then the template's other volumes (upstream's updateStorage).
    let mut volumes: Vec<Value> = Vec::new();
    for claim in set["spec"]["volumeClaimTemplates"]
        .as_array()
        .into_iter()
        .flatten()
    {
        let claim_name = claim["metadata"]["name"].as_str().unwrap_or("");
        volumes.push(json!({
            "name": claim_name,
            "persistentVolumeClaim": { "claimName": format!("{claim_name}-{pod_name}") },
        }));
    }
    for volume in spec["volumes"].as_array().into_iter().flatten() {
        if !volumes.iter().any(|v| v["name"] == volume["name"]) {
            volumes.push(volume.clone());
        }
    }
    if !volumes.is_empty() {
        spec["volumes"] = json!(volumes);
    }
    json!({ "apiVersion": "v1", "kind": "Pod", "metadata": metadata, "spec": spec })
}

/// The claims the pod for `ordinal` needs.
fn claims_for(set: &Value, ordinal: i64) -> Vec<Value> {
    let name = set["metadata"]["name"].as_str().unwrap_or("");
    let labels = set["spec"]["selector"]["matchLabels"].clone();
    set["spec"]["volumeClaimTemplates"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|template| {
            let claim_name = template["metadata"]["name"].as_str().unwrap_or("");
            // The template's labels and annotations, with the set's matchLabels over them.
            let mut metadata = json!({
                "name": format!("{claim_name}-{name}-{ordinal}"),
                "namespace": set["metadata"]["namespace"],
            });
            for field in ["labels", "annotations"] {
                if template["metadata"][field].is_object() {
                    metadata[field] = template["metadata"][field].clone();
                }
            }
            for (key, value) in labels.as_object().into_iter().flatten() {
                metadata["labels"][key] = value.clone();
            }
            json!({
                "apiVersion": "v1",
                "kind": "PersistentVolumeClaim",
                "metadata": metadata,
                "spec": template["spec"].clone(),
            })
        })
        .collect()
}

/// A claim's ownerReference to its StatefulSet or pod (not a controller reference: the
/// claim's lifetime, not its management, follows the owner).
fn claim_owner(
    owner: &Object,
) -> model::k8s_openapi::apimachinery::pkg::apis::meta::v1::OwnerReference {
    let mut reference = controller_reference(owner);
    reference.controller = Some(owner.kind() == "StatefulSet");
    reference
}

fn event(reason: &'static str, message: String) -> Option<EventToRecord> {
    Some(EventToRecord {
        event_type: EventType::Normal,
        reason,
        message,
    })
}

pub(crate) fn reconcile(set: &Rc<Object>, view: &ControllerView<'_>) -> Reconciled {
    let mut out = Reconciled::default();
    let Object::StatefulSet(stateful_set) = &**set else {
        return out;
    };
    if is_terminating(set) {
        return out;
    }
    let value = set.to_json_value();
    let name = set.name().to_string();
    let replicas = i64::from(stateful_set.spec.replicas.unwrap_or(1));
    let min_ready = i64::from(stateful_set.spec.min_ready_seconds.unwrap_or(0));
    let parallel = value["spec"]["podManagementPolicy"] == "Parallel";
    let on_delete = value["spec"]["updateStrategy"]["type"] == "OnDelete";
    // spec.ordinals.start: the pods are `start .. start + replicas` (the partition counts
    // from `start`); pods outside that range are condemned.
    let start = value["spec"]["ordinals"]["start"]
        .as_i64()
        .unwrap_or(0)
        .max(0);
    let end = start + replicas;
    let in_ordinal_range = |ordinal: i64| (start..end).contains(&ordinal);
    let partition = value["spec"]["updateStrategy"]["rollingUpdate"]["partition"]
        .as_i64()
        .unwrap_or(0);
    let update_revision = format!(
        "{name}-{}",
        pod_template_hash(&stateful_set.spec.template, None)
    );
    let uid = set.metadata().uid.clone().unwrap_or_default();

    let mut pods: Vec<(i64, Rc<Object>)> = view
        .pods_in(set.namespace())
        .into_iter()
        .filter(|p| controller_uid(p) == Some(uid.as_str()))
        .filter_map(|p| ordinal_of(&name, p.name()).map(|o| (o, p)))
        .collect();
    pods.sort_stable_by_key(|(o, _)| *o);
    let pod_at = |ordinal: i64| {
        pods.iter()
            .find(|(o, _)| *o == ordinal)
            .map(|(_, p)| p.clone())
    };
    let existing_claims: Vec<String> = view
        .list_in("persistentvolumeclaims", set.namespace())
        .iter()
        .map(|c| c.name().to_string())
        .collect();

    // The revisions pods carry, and the set's current and update revisions (a pod recreated
    // below the partition is built from the current one), are kept out of history trimming.
    let mut in_use: std::collections::BTreeSet<String> = pods
        .iter()
        .filter_map(|(_, p)| label(p, REVISION_LABEL).map(str::to_string))
        .collect();
    in_use.insert(update_revision.clone());
    if let Some(current) = value["status"]["currentRevision"].as_str() {
        in_use.insert(current.to_string());
    }
    super::history::sync_history(
        set,
        &value["spec"]["template"],
        &pod_template_hash(&stateful_set.spec.template, None),
        &in_use,
        view,
        &mut out,
    );

    // Status first, from what exists now.
    let current_revision = value["status"]["currentRevision"]
        .as_str()
        .map(str::to_string)
        .unwrap_or_else(|| update_revision.clone());
    // Upstream's computeReplicaStatus: every pod the set has counts as a replica, and a
    // Running and Ready one as ready even while it terminates; current and updated count the
    // pods that are not terminating.
    let all: Vec<&Rc<Object>> = pods.iter().map(|(_, p)| p).collect();
    let staying: Vec<&Rc<Object>> = all.iter().copied().filter(|p| !is_terminating(p)).collect();
    let ready = all.iter().filter(|p| running_and_ready(p)).count();
    let available = all
        .iter()
        .filter(|p| running_and_available(p, min_ready, view.now))
        .count();
    let revision_count = |revision: &str| {
        staying
            .iter()
            .filter(|p| label(p, REVISION_LABEL) == Some(revision))
            .count()
    };
    let updated = revision_count(&update_revision);
    let current = revision_count(&current_revision);
    for pod in &all {
        if let Some(at) = available_at(pod, min_ready, view.now) {
            out.requeue_no_later_than(at);
        }
    }
    // The rollout completes (currentRevision moves on) under RollingUpdate once every replica
    // is updated and ready; under OnDelete it never does.
    let all_updated = !on_delete
        && updated as i64 == replicas
        && ready as i64 == replicas
        && all.len() as i64 == replicas;
    let mut status = json!({
        "replicas": all.len(),
        "observedGeneration": set.metadata().generation.unwrap_or(1),
        "currentRevision": if all_updated { update_revision.clone() } else { current_revision.clone() },
        "updateRevision": update_revision.clone(),
        "collisionCount": 0,
        "availableReplicas": available,
    });
    if ready > 0 {
        status["readyReplicas"] = json!(ready);
    }
    let current_count = if all_updated { updated } else { current };
    if current_count > 0 {
        status["currentReplicas"] = json!(current_count);
    }
    if updated > 0 {
        status["updatedReplicas"] = json!(updated);
    }
    if value["status"] != status {
        let mut changed = value.clone();
        changed["status"] = status;
        if let Ok(object) = Object::from_json_value(changed) {
            out.writes.push(Write::UpdateStatus(object));
        }
    }

    // persistentVolumeClaimRetentionPolicy: claims owned by the set (whenDeleted: Delete) go
    // with it; claims of ordinals scaled away (whenScaled: Delete) are owned by their pod and go
    // with it.
    let retention = &value["spec"]["persistentVolumeClaimRetentionPolicy"];
    let delete_with_set = retention["whenDeleted"] == "Delete";
    let delete_when_scaled = retention["whenScaled"] == "Delete";
    // The ordinals with a pod, a wanted pod or a claim (not every number between: a start of
    // two billion next to old pods must not walk the gap).
    let mut ordinals: std::collections::BTreeSet<i64> = pods.iter().map(|(o, _)| *o).collect();
    ordinals.extend(start..end);
    for template in value["spec"]["volumeClaimTemplates"]
        .as_array()
        .into_iter()
        .flatten()
    {
        let prefix = format!(
            "{}-{name}-",
            template["metadata"]["name"].as_str().unwrap_or("")
        );
        ordinals.extend(
            existing_claims
                .iter()
                .filter_map(|c| c.strip_prefix(&prefix)?.parse::<i64>().ok()),
        );
    }
    for ordinal in ordinals {
        let pod = pod_at(ordinal);
        for claim in claims_for(&value, ordinal) {
            let claim_name = claim["metadata"]["name"].as_str().unwrap_or("");
            let Some(existing) = view.get("persistentvolumeclaims", set.namespace(), claim_name)
            else {
                continue;
            };
            // A condemned ordinal's claim is owned by its pod alone (so it goes with the pod).
            let wanted = match (delete_when_scaled, !in_ordinal_range(ordinal), &pod) {
                (true, true, Some(pod)) => vec![claim_owner(pod)],
                _ if delete_with_set => vec![claim_owner(set)],
                _ => Vec::new(),
            };
            let mut current = existing
                .metadata()
                .owner_references
                .clone()
                .unwrap_or_default();
            let ours =
                |r: &model::k8s_openapi::apimachinery::pkg::apis::meta::v1::OwnerReference| {
                    r.uid == uid
                        || pod
                            .as_ref()
                            .is_some_and(|p| p.metadata().uid.as_deref() == Some(r.uid.as_str()))
                };
            let kept: Vec<_> = current.iter().filter(|r| !ours(r)).cloned().collect();
            let mut desired = kept;
            desired.extend(wanted);
            if desired != current {
                current = desired;
                let mut updated = (*existing).clone();
                updated.metadata_mut().owner_references = (!current.is_empty()).then_some(current);
                out.writes.push(Write::Update(updated));
            }
        }
    }

    // Replace pods that ended (Failed, or Succeeded after a node shutdown); wait for
    // terminating ones.
    for (_, pod) in &pods {
        if matches!(pod_phase(pod), "Failed" | "Succeeded") && !is_terminating(pod) {
            out.writes.push(Write::Delete {
                target: pod.clone(),
                owner: Some(set.clone()),
                event: event(
                    "SuccessfulDelete",
                    format!("delete Pod {} in StatefulSet {name} successful", pod.name()),
                ),
            });
            if !parallel {
                return out;
            }
        }
    }

    // Scale up / fill gaps, in ordinal order.
    for ordinal in start..end {
        match pod_at(ordinal) {
            None => {
                // Below the partition a recreated pod keeps the current revision.
                let revision = if ordinal < start + partition && !on_delete {
                    current_revision.clone()
                } else {
                    update_revision.clone()
                };
                for claim in claims_for(&value, ordinal) {
                    let claim_name = claim["metadata"]["name"].as_str().unwrap_or("").to_string();
                    if existing_claims.contains(&claim_name) {
                        continue;
                    }
                    let Ok(mut claim) = Object::from_json_value(claim) else {
                        continue;
                    };
                    if delete_with_set {
                        claim.metadata_mut().owner_references = Some(vec![claim_owner(set)]);
                    }
                    out.writes.push(Write::Create {
                        object: claim,
                        owner: set.clone(),
                        success: Some(("SuccessfulCreate", format!("create Claim {claim_name} Pod {name}-{ordinal} in StatefulSet {name} success"))),
                        failure: Some(("FailedCreate", format!("create Claim {claim_name} for Pod {name}-{ordinal} in StatefulSet {name} failed error: {{error}}"))),
                    });
                }
                // A pod of the current revision is built from that revision's template, so a
                // pod deleted below the partition comes back as it was.
                let old_template = (revision != update_revision)
                    .then(|| revision_template(set, &revision, view))
                    .flatten();
                let pod_value = match old_template {
                    Some(template) => {
                        let mut at_revision = value.clone();
                        at_revision["spec"]["template"] = template;
                        stateful_pod(&at_revision, ordinal, &revision)
                    }
                    None => stateful_pod(&value, ordinal, &update_revision),
                };
                let Ok(mut pod) = Object::from_json_value(pod_value) else {
                    continue;
                };
                pod.metadata_mut().owner_references = Some(vec![controller_reference(set)]);
                out.writes.push(Write::Create {
                    object: pod,
                    owner: set.clone(),
                    success: Some(("SuccessfulCreate", format!("create Pod {name}-{ordinal} in StatefulSet {name} successful"))),
                    failure: Some(("FailedCreate", format!("create Pod {name}-{ordinal} in StatefulSet {name} failed error: {{error}}"))),
                });
                if !parallel {
                    return out;
                }
            }
            Some(pod) => {
                if !parallel
                    && (is_terminating(&pod) || !running_and_available(&pod, min_ready, view.now))
                {
                    return out;
                }
            }
        }
    }

    // Scale down: the highest ordinal first.
    let condemned: Vec<Rc<Object>> = pods
        .iter()
        .rev()
        .filter(|(o, _)| !in_ordinal_range(*o))
        .map(|(_, p)| p.clone())
        .collect();
    for pod in condemned {
        if is_terminating(&pod) {
            if parallel {
                continue;
            }
            return out;
        }
        out.writes.push(Write::Delete {
            target: pod.clone(),
            owner: Some(set.clone()),
            event: event(
                "SuccessfulDelete",
                format!("delete Pod {} in StatefulSet {name} successful", pod.name()),
            ),
        });
        if !parallel {
            return out;
        }
    }

    // Rolling update: the highest outdated ordinal at or above the partition, once all are ready.
    if on_delete {
        return out;
    }
    let target = update_revision;
    let in_range: Vec<&(i64, Rc<Object>)> =
        pods.iter().filter(|(o, _)| in_ordinal_range(*o)).collect();
    // maxUnavailable (default 1) pods may be down at once; missing ordinals count as down.
    let max_unavailable = stateful_set
        .spec
        .update_strategy
        .as_ref()
        .and_then(|s| s.rolling_update.as_ref())
        .map_or(1, |r| {
            super::deployment::util::scaled_value(
                r.max_unavailable.as_ref(),
                replicas as i32,
                false,
            )
        })
        .max(1) as usize;
    let unavailable = in_range
        .iter()
        .filter(|(_, p)| is_terminating(p) || !running_and_available(p, min_ready, view.now))
        .count()
        + (replicas as usize).saturating_sub(in_range.len());
    if unavailable >= max_unavailable {
        return out;
    }
    let outdated: Vec<&&(i64, Rc<Object>)> = in_range
        .iter()
        .rev()
        .filter(|(o, p)| {
            *o >= start + partition
                && label(p, REVISION_LABEL) != Some(target.as_str())
                && !is_terminating(p)
        })
        .take(max_unavailable - unavailable)
        .collect();
    for (_, pod) in outdated {
        out.writes.push(Write::Delete {
            target: pod.clone(),
            owner: Some(set.clone()),
            event: event(
                "SuccessfulDelete",
                format!("delete Pod {} in StatefulSet {name} successful", pod.name()),
            ),
        });
    }
    out
}
