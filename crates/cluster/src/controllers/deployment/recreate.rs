//! The Recreate strategy: scale every old ReplicaSet to zero, wait until their pods are gone,
//! then create (or scale up) the new one.

use super::sync;
use super::util::{rs_available, rs_replicas};
use super::Rollout;

pub(super) fn rollout_recreate(rollout: &mut Rollout<'_>) {
    let desired = rollout.deployment.spec.replicas.unwrap_or(1);
    sync::ensure_new_rs(rollout, None);
    let old: Vec<String> = rollout
        .old_rses
        .iter()
        .filter(|rs| rs_replicas(rs) > 0)
        .filter_map(|rs| rs.metadata.name.clone())
        .collect();
    let mut scaled_down = false;
    for name in old {
        scaled_down |= rollout.scale(&name, 0);
    }
    if scaled_down || rollout.old_pods_running() {
        return;
    }
    if rollout.new_rs.is_none() {
        sync::ensure_new_rs(rollout, Some(desired));
        return;
    }
    if let Some(name) = rollout
        .new_rs
        .as_ref()
        .and_then(|rs| rs.metadata.name.clone())
    {
        if rollout.scale(&name, desired) {
            return;
        }
    }
    let complete = rollout
        .new_rs
        .as_ref()
        .is_some_and(|rs| rs_replicas(rs) == desired && rs_available(rs) == desired);
    if complete {
        sync::cleanup(rollout);
    }
}
