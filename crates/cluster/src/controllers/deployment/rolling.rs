//! The RollingUpdate strategy: scale the new ReplicaSet up within `maxSurge`, scale old ones
//! down while keeping `replicas - maxUnavailable` pods available (unhealthy old pods go first).

use super::sync;
use super::util::{self, rs_available, rs_replicas};
use super::Rollout;

pub(super) fn rollout_rolling(rollout: &mut Rollout<'_>) {
    let desired = rollout.deployment.spec.replicas.unwrap_or(1);
    let initial = new_rs_replicas(rollout, None);
    sync::ensure_new_rs(rollout, Some(initial));
    if rollout.created_new_rs {
        return;
    }
    if reconcile_new_replica_set(rollout) {
        return;
    }
    if reconcile_old_replica_sets(rollout) {
        return;
    }
    let complete = rollout
        .new_rs
        .as_ref()
        .is_some_and(|rs| rs_replicas(rs) == desired && rs_available(rs) == desired)
        && rollout.old_rses.iter().all(|rs| rs_replicas(rs) == 0);
    if complete {
        sync::cleanup(rollout);
    }
}

/// How many replicas the new ReplicaSet should have now (upstream's NewRSNewReplicas).
fn new_rs_replicas(rollout: &Rollout<'_>, current_new: Option<i32>) -> i32 {
    let desired = rollout.deployment.spec.replicas.unwrap_or(1);
    let (surge, _) = util::resolve_fenceposts(rollout.deployment);
    let new_now = current_new.unwrap_or(0);
    let current_total: i32 = rollout.old_rses.iter().map(rs_replicas).sum::<i32>() + new_now;
    let max_total = desired + surge;
    if current_total >= max_total {
        return new_now;
    }
    let scale_up = (max_total - current_total).min(desired - new_now);
    new_now + scale_up.max(0)
}

fn reconcile_new_replica_set(rollout: &mut Rollout<'_>) -> bool {
    let desired = rollout.deployment.spec.replicas.unwrap_or(1);
    let Some(new_rs) = rollout.new_rs.as_ref() else {
        return false;
    };
    let name = new_rs.metadata.name.clone().unwrap_or_default();
    let current = rs_replicas(new_rs);
    let target = if current >= desired {
        desired
    } else {
        new_rs_replicas(rollout, Some(current))
    };
    rollout.scale(&name, target)
}

fn reconcile_old_replica_sets(rollout: &mut Rollout<'_>) -> bool {
    let desired = rollout.deployment.spec.replicas.unwrap_or(1);
    let old_count: i32 = rollout.old_rses.iter().map(rs_replicas).sum();
    if old_count == 0 {
        return false;
    }
    let all_count: i32 = rollout.all_rses().map(rs_replicas).sum();
    let min_available = desired - util::max_unavailable(rollout.deployment);
    let new_unavailable = rollout
        .new_rs
        .as_ref()
        .map_or(0, |rs| rs_replicas(rs) - rs_available(rs));
    let max_scaled_down = all_count - min_available - new_unavailable;
    if max_scaled_down <= 0 {
        return false;
    }
    // Old ReplicaSets' unhealthy replicas go first: they cost no availability.
    let mut cleaned = 0;
    let olds: Vec<(String, i32, i32)> = rollout
        .old_rses
        .iter()
        .map(|rs| {
            (
                rs.metadata.name.clone().unwrap_or_default(),
                rs_replicas(rs),
                rs_available(rs),
            )
        })
        .collect();
    let mut scaled = false;
    for (name, replicas, available) in &olds {
        if cleaned >= max_scaled_down {
            break;
        }
        if *replicas == 0 || replicas <= available {
            continue;
        }
        let down = (max_scaled_down - cleaned).min(replicas - available);
        cleaned += down;
        scaled |= rollout.scale(name, replicas - down);
    }
    // Then healthy ones, oldest first, as far as availability allows.
    let available_total: i32 = rollout.all_rses().map(rs_available).sum();
    if available_total > min_available {
        let budget = available_total - min_available;
        let mut done = 0;
        let olds: Vec<(String, i32)> = rollout
            .old_rses
            .iter()
            .map(|rs| {
                (
                    rs.metadata.name.clone().unwrap_or_default(),
                    rs_replicas(rs),
                )
            })
            .collect();
        for (name, replicas) in olds {
            if done >= budget {
                break;
            }
            if replicas == 0 {
                continue;
            }
            let down = replicas.min(budget - done);
            done += down;
            scaled |= rollout.scale(&name, replicas - down);
        }
    }
    scaled
}
