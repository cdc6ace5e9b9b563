//! A Deployment's status: counts summed over its ReplicaSets, and the conditions —
//! `Available` (MinimumReplicasAvailable / MinimumReplicasUnavailable), `Progressing`
//! (NewReplicaSetCreated, FoundNewReplicaSet, ReplicaSetUpdated, NewReplicaSetAvailable,
//! ProgressDeadlineExceeded, DeploymentPaused, DeploymentResumed) and `ReplicaFailure`.
//! A changed condition moves to the end of the list, as upstream's SetDeploymentCondition does.

use model::k8s_openapi::api::apps::v1::{DeploymentCondition, DeploymentStatus};
use model::Object;

use super::util::{self, rs_available, rs_replicas};
use super::Rollout;
use crate::controllers::Write;
use crate::SimTime;

fn set_condition(
    conditions: &mut Vec<DeploymentCondition>,
    kind: &str,
    status: &str,
    reason: &str,
    message: &str,
    now: SimTime,
) {
    let existing = conditions
        .iter()
        .find(|c| c.type_.as_deref() == Some(kind))
        .cloned();
    if let Some(existing) = &existing {
        if existing.status.as_deref() == Some(status) && existing.reason.as_deref() == Some(reason)
        {
            // Same state: only a progress report refreshes lastUpdateTime and the message.
            if existing.message.as_deref() != Some(message) || reason == "ReplicaSetUpdated" {
                for c in conditions
                    .iter_mut()
                    .filter(|c| c.type_.as_deref() == Some(kind))
                {
                    c.message = Some(message.to_string());
                    c.last_update_time = Some(now.to_k8s_time());
                }
            }
            return;
        }
    }
    let transition = existing
        .as_ref()
        .filter(|c| c.status.as_deref() == Some(status))
        .and_then(|c| c.last_transition_time.clone())
        .unwrap_or_else(|| now.to_k8s_time());
    conditions.retain(|c| c.type_.as_deref() != Some(kind));
    conditions.push(DeploymentCondition {
        type_: Some(kind.to_string()),
        status: Some(status.to_string()),
        reason: Some(reason.to_string()),
        message: Some(message.to_string()),
        last_update_time: Some(now.to_k8s_time()),
        last_transition_time: Some(transition),
    });
}

pub(super) fn sync_status(rollout: &mut Rollout<'_>) {
    let deployment = rollout.deployment;
    let now = rollout.view.now;
    let desired = deployment.spec.replicas.unwrap_or(1);
    let old = deployment.status.clone().unwrap_or_default();
    let status_replicas: i32 = rollout
        .all_rses()
        .map(|rs| rs.status.as_ref().map_or(0, |s| s.replicas))
        .sum();
    let spec_replicas: i32 = rollout.all_rses().map(rs_replicas).sum();
    let ready: i32 = rollout
        .all_rses()
        .map(|rs| {
            rs.status
                .as_ref()
                .and_then(|s| s.ready_replicas)
                .unwrap_or(0)
        })
        .sum();
    let available: i32 = rollout.all_rses().map(rs_available).sum();
    let updated = rollout
        .new_rs
        .as_ref()
        .map_or(0, |rs| rs.status.as_ref().map_or(0, |s| s.replicas));
    let mut status = DeploymentStatus {
        observed_generation: deployment.metadata.generation,
        replicas: (status_replicas > 0).then_some(status_replicas),
        updated_replicas: (updated > 0).then_some(updated),
        ready_replicas: (ready > 0).then_some(ready),
        available_replicas: (available > 0).then_some(available),
        unavailable_replicas: Some((spec_replicas - available).max(0)).filter(|n| *n > 0),
        collision_count: old.collision_count,
        conditions: None,
        terminating_replicas: None,
    };
    let mut conditions = old.conditions.clone().unwrap_or_default();
    let new_name = rollout
        .new_rs
        .as_ref()
        .and_then(|rs| rs.metadata.name.clone())
        .unwrap_or_default();
    let paused = deployment.spec.paused == Some(true);
    let progressing_reason = conditions
        .iter()
        .find(|c| c.type_.as_deref() == Some("Progressing"))
        .and_then(|c| c.reason.clone());
    let deadline = deployment.spec.progress_deadline_seconds;
    let complete = updated == desired
        && status_replicas == desired
        && available == desired
        && rollout
            .new_rs
            .as_ref()
            .is_some_and(|rs| rs_replicas(rs) == desired);
    // Available first, then Progressing: the order upstream updates them in.
    let min_available = desired - util::max_unavailable(deployment);
    if available >= min_available {
        set_condition(
            &mut conditions,
            "Available",
            "True",
            "MinimumReplicasAvailable",
            "Deployment has minimum availability.",
            now,
        );
    } else {
        set_condition(
            &mut conditions,
            "Available",
            "False",
            "MinimumReplicasUnavailable",
            "Deployment does not have minimum availability.",
            now,
        );
    }
    if paused {
        set_condition(
            &mut conditions,
            "Progressing",
            "Unknown",
            "DeploymentPaused",
            "Deployment is paused",
            now,
        );
    } else if progressing_reason.as_deref() == Some("DeploymentPaused") {
        set_condition(
            &mut conditions,
            "Progressing",
            "Unknown",
            "DeploymentResumed",
            "Deployment is resumed",
            now,
        );
    } else if deadline.is_some() {
        let made_progress = updated > old.updated_replicas.unwrap_or(0)
            || ready > old.ready_replicas.unwrap_or(0)
            || available > old.available_replicas.unwrap_or(0)
            || status_replicas < old.replicas.unwrap_or(0);
        if rollout.created_new_rs {
            let message = format!("Created new replica set \"{new_name}\"");
            set_condition(
                &mut conditions,
                "Progressing",
                "True",
                "NewReplicaSetCreated",
                &message,
                now,
            );
        } else if complete && !new_name.is_empty() {
            let message = format!("ReplicaSet \"{new_name}\" has successfully progressed.");
            set_condition(
                &mut conditions,
                "Progressing",
                "True",
                "NewReplicaSetAvailable",
                &message,
                now,
            );
        } else if made_progress && !new_name.is_empty() {
            let message = format!("ReplicaSet \"{new_name}\" is progressing.");
            set_condition(
                &mut conditions,
                "Progressing",
                "True",
                "ReplicaSetUpdated",
                &message,
                now,
            );
        } else if progressing_reason.is_none() && !new_name.is_empty() {
            let message = format!("Found new replica set \"{new_name}\"");
            set_condition(
                &mut conditions,
                "Progressing",
                "True",
                "FoundNewReplicaSet",
                &message,
                now,
            );
        } else if let Some(progressing) = conditions
            .iter()
            .find(|c| c.type_.as_deref() == Some("Progressing"))
            .cloned()
        {
            let last_update = progressing
                .last_update_time
                .as_ref()
                .map(SimTime::from_k8s_time)
                .unwrap_or_default();
            let due = SimTime(last_update.0 + deadline.unwrap_or(600).max(0) as u64 * 1000);
            if progressing.reason.as_deref() != Some("NewReplicaSetAvailable") && !complete {
                if now > due {
                    let message = format!("ReplicaSet \"{new_name}\" has timed out progressing.");
                    set_condition(
                        &mut conditions,
                        "Progressing",
                        "False",
                        "ProgressDeadlineExceeded",
                        &message,
                        now,
                    );
                } else {
                    rollout.out.requeue_no_later_than(SimTime(due.0 + 1000));
                }
            }
        }
    }
    let failure = rollout.all_rses().find_map(|rs| {
        rs.status
            .as_ref()?
            .conditions
            .as_ref()?
            .iter()
            .find(|c| {
                c.type_.as_deref() == Some("ReplicaFailure") && c.status.as_deref() == Some("True")
            })
            .cloned()
    });
    match failure {
        Some(failure) => set_condition(
            &mut conditions,
            "ReplicaFailure",
            "True",
            failure.reason.as_deref().unwrap_or("FailedCreate"),
            failure.message.as_deref().unwrap_or(""),
            now,
        ),
        None => conditions.retain(|c| c.type_.as_deref() != Some("ReplicaFailure")),
    }
    status.conditions = (!conditions.is_empty()).then_some(conditions);
    if status != old {
        let mut changed = deployment.clone();
        changed.status = Some(status);
        rollout
            .out
            .writes
            .push(Write::UpdateStatus(Object::Deployment(Box::new(changed))));
    }
}
