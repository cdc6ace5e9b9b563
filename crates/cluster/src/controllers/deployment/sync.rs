//! Finding a Deployment's ReplicaSets (adopting orphans that match), creating the new one with
//! the next revision, scaling events, proportional scaling and revision-history cleanup.

use model::sort::SortSlice;
use std::collections::BTreeMap;

use model::k8s_openapi::api::apps::v1::{ReplicaSet, ReplicaSetSpec};
use model::k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelector;
use model::selector::Selector;
use model::Object;

use super::util::{self, rs_replicas};
use super::Rollout;
use crate::controllers::{controller_reference, controller_uid, is_terminating, Write};
use crate::SimTime;

/// Sorts the Deployment's ReplicaSets into new and old (adopting matching orphans).
pub(super) fn adopt_and_classify(rollout: &mut Rollout<'_>) {
    let deployment = rollout.deployment;
    let uid = deployment.metadata.uid.clone().unwrap_or_default();
    let selector = Selector::from_label_selector(Some(&deployment.spec.selector));
    let wanted = util::without_hash(&deployment.spec.template);
    let mut owned: Vec<ReplicaSet> = Vec::new();
    for object in rollout
        .view
        .list_in("replicasets", rollout.object.namespace())
    {
        let Object::ReplicaSet(rs) = &*object else {
            continue;
        };
        match controller_uid(&object) {
            Some(owner) if owner == uid => owned.push((**rs).clone()),
            None if !is_terminating(&object) && selector.matches(rs.metadata.labels.as_ref()) => {
                let mut adopted = (**rs).clone();
                adopted.metadata.owner_references =
                    Some(vec![controller_reference(rollout.object)]);
                let mut write = Object::ReplicaSet(Box::new(adopted.clone()));
                write.metadata_mut().resource_version = None;
                rollout.out.writes.push(Write::Update(write));
                owned.push(adopted);
            }
            _ => {}
        }
    }
    owned.sort_stable_by(|a, b| {
        a.metadata
            .creation_timestamp
            .cmp(&b.metadata.creation_timestamp)
            .then(a.metadata.name.cmp(&b.metadata.name))
    });
    let new_index = owned.iter().position(|rs| {
        rs.spec
            .template
            .as_ref()
            .is_some_and(|t| util::without_hash(t) == wanted)
    });
    rollout.new_rs = new_index.map(|i| owned.remove(i));
    rollout.old_rses = owned;
}

/// A scaling event: some active ReplicaSet was sized for a different `replicas`.
pub(super) fn is_scaling_event(rollout: &Rollout<'_>) -> bool {
    let desired = rollout.deployment.spec.replicas.unwrap_or(1).to_string();
    rollout
        .all_rses()
        .filter(|rs| rs_replicas(rs) > 0)
        .any(|rs| {
            rs.metadata
                .annotations
                .as_ref()
                .and_then(|a| a.get(util::DESIRED_REPLICAS))
                .is_some_and(|d| *d != desired)
        })
}

/// The next revision: one more than any ReplicaSet has.
fn next_revision(rollout: &Rollout<'_>) -> i64 {
    rollout
        .old_rses
        .iter()
        .map(|rs| util::revision_of(rs.metadata.annotations.as_ref()))
        .max()
        .unwrap_or(0)
        + 1
}

/// Makes sure the new ReplicaSet exists (creating it with `replicas` when asked) and that it
/// and the Deployment carry the current revision.
pub(super) fn ensure_new_rs(rollout: &mut Rollout<'_>, create_with: Option<i32>) {
    let deployment = rollout.deployment;
    let revision = next_revision(rollout);
    if let Some(rs) = rollout.new_rs.as_mut() {
        // A ReplicaSet brought back by a rollback takes the next revision and remembers its old ones.
        let annotations = rs.metadata.annotations.get_or_insert_with(Default::default);
        let current = util::revision_of(Some(annotations));
        let mut changed = false;
        if current < revision - 1 || current == 0 {
            if current > 0 {
                let history = match annotations.get(util::REVISION_HISTORY) {
                    Some(h) if !h.is_empty() => format!("{h},{current}"),
                    _ => current.to_string(),
                };
                annotations.insert(util::REVISION_HISTORY.into(), history);
            }
            annotations.insert(util::REVISION.into(), revision.to_string());
            changed = true;
        }
        for (key, value) in util::copied_annotations(deployment) {
            if annotations.get(&key) != Some(&value) {
                annotations.insert(key, value);
                changed = true;
            }
        }
        let min_ready = deployment.spec.min_ready_seconds;
        let spec = &mut rs.spec;
        if spec.min_ready_seconds != min_ready {
            spec.min_ready_seconds = min_ready;
            changed = true;
        }
        if changed {
            let mut object = Object::ReplicaSet(Box::new(rs.clone()));
            object.metadata_mut().resource_version = None;
            rollout.out.writes.push(Write::Update(object));
        }
        let rs_revision = util::revision_of(rs.metadata.annotations.as_ref());
        set_deployment_revision(rollout, rs_revision);
        return;
    }
    let Some(replicas) = create_with else { return };
    let collision_count = deployment.status.as_ref().and_then(|s| s.collision_count);
    let hash = util::pod_template_hash(&deployment.spec.template, collision_count);
    let name = format!("{}-{hash}", rollout.object.name());
    let mut template = deployment.spec.template.clone();
    let template_meta = template.metadata.get_or_insert_with(Default::default);
    template_meta
        .labels
        .get_or_insert_with(Default::default)
        .insert(util::POD_TEMPLATE_HASH.into(), hash.clone());
    let labels = template_meta.labels.clone();
    let mut selector: LabelSelector = deployment.spec.selector.clone();
    selector
        .match_labels
        .get_or_insert_with(Default::default)
        .insert(util::POD_TEMPLATE_HASH.into(), hash.clone());
    let (surge, _) = util::resolve_fenceposts(deployment);
    let desired = deployment.spec.replicas.unwrap_or(1);
    let mut annotations: BTreeMap<String, String> = util::copied_annotations(deployment);
    annotations.insert(util::DESIRED_REPLICAS.into(), desired.to_string());
    annotations.insert(util::MAX_REPLICAS.into(), (desired + surge).to_string());
    annotations.insert(util::REVISION.into(), revision.to_string());
    let rs = ReplicaSet {
        metadata: model::k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta {
            name: Some(name.clone()),
            namespace: Some(rollout.object.namespace().to_string()),
            labels,
            annotations: Some(annotations),
            owner_references: Some(vec![controller_reference(rollout.object)]),
            ..Default::default()
        },
        spec: ReplicaSetSpec {
            replicas: Some(replicas),
            min_ready_seconds: deployment.spec.min_ready_seconds,
            selector,
            template: Some(template),
        },
        status: None,
    };
    let success = (replicas > 0).then(|| {
        (
            "ScalingReplicaSet",
            format!("Scaled up replica set {name} from 0 to {replicas}"),
        )
    });
    rollout.out.writes.push(Write::Create {
        object: Object::ReplicaSet(Box::new(rs.clone())),
        owner: rollout.object.clone(),
        success,
        failure: None,
    });
    rollout.new_rs = Some(rs);
    rollout.created_new_rs = true;
    set_deployment_revision(rollout, revision);
}

fn set_deployment_revision(rollout: &mut Rollout<'_>, revision: i64) {
    let current = util::revision_of(rollout.deployment.metadata.annotations.as_ref());
    if current == revision {
        return;
    }
    let mut deployment = rollout.deployment.clone();
    deployment
        .metadata
        .annotations
        .get_or_insert_with(Default::default)
        .insert(util::REVISION.into(), revision.to_string());
    deployment.metadata.resource_version = None;
    rollout
        .out
        .writes
        .push(Write::Update(Object::Deployment(Box::new(deployment))));
}

/// A scaling event or a paused Deployment: resize without rolling (upstream's `sync`).
pub(super) fn sync_scale(rollout: &mut Rollout<'_>) {
    ensure_new_rs(rollout, None);
    scale(rollout);
    if rollout.deployment.spec.paused == Some(true) {
        cleanup(rollout);
    }
}

/// Upstream's `scale`: one active ReplicaSet takes the whole size; a saturated new ReplicaSet
/// retires the old ones; otherwise a rolling Deployment's extra (or missing) replicas are spread
/// over the active ReplicaSets in proportion to their size.
pub(super) fn scale(rollout: &mut Rollout<'_>) {
    let desired = rollout.deployment.spec.replicas.unwrap_or(1);
    let active: Vec<(String, i32)> = rollout
        .all_rses()
        .filter(|rs| rs_replicas(rs) > 0)
        .map(|rs| {
            (
                rs.metadata.name.clone().unwrap_or_default(),
                rs_replicas(rs),
            )
        })
        .collect();
    if active.len() <= 1 {
        let target = active.first().map(|(n, _)| n.clone()).or_else(|| {
            rollout
                .new_rs
                .as_ref()
                .or(rollout.old_rses.last())
                .and_then(|rs| rs.metadata.name.clone())
        });
        if let Some(name) = target {
            rollout.scale(&name, desired);
        }
        return;
    }
    if let Some(new_rs) = rollout.new_rs.as_ref() {
        if rs_replicas(new_rs) == desired && util::rs_available(new_rs) == desired {
            let old: Vec<String> = rollout
                .old_rses
                .iter()
                .filter_map(|rs| rs.metadata.name.clone())
                .collect();
            for name in old {
                rollout.scale(&name, 0);
            }
            return;
        }
    }
    // Proportional scaling (upstream's `GetProportion`): each active ReplicaSet is sized to its
    // share of the new allowed size, as a fraction of the size it was last scaled for (its
    // `max-replicas` annotation), rounded, and capped by what is left to add or remove; the first
    // in order (the largest; among equals the newest when adding, the oldest when removing)
    // takes the leftover.
    let (surge, _) = util::resolve_fenceposts(rollout.deployment);
    let allowed = if desired > 0 { desired + surge } else { 0 };
    let current: i32 = active.iter().map(|(_, r)| r).sum();
    let to_add = allowed - current;
    let deployment_status_replicas = rollout
        .deployment
        .status
        .as_ref()
        .and_then(|s| s.replicas)
        .unwrap_or(0);
    let mut order: Vec<(String, i32, i32, Option<SimTime>)> = rollout
        .all_rses()
        .filter(|rs| rs_replicas(rs) > 0)
        .map(|rs| {
            let annotated = rs
                .metadata
                .annotations
                .as_ref()
                .and_then(|a| a.get(util::MAX_REPLICAS))
                .and_then(|v| v.parse::<i32>().ok())
                .filter(|v| *v > 0)
                .unwrap_or(deployment_status_replicas);
            let created = rs
                .metadata
                .creation_timestamp
                .as_ref()
                .map(SimTime::from_k8s_time);
            (
                rs.metadata.name.clone().unwrap_or_default(),
                rs_replicas(rs),
                annotated,
                created,
            )
        })
        .collect();
    if to_add > 0 {
        order.sort_stable_by(|a, b| b.1.cmp(&a.1).then(b.3.cmp(&a.3)));
    } else if to_add < 0 {
        order.sort_stable_by(|a, b| b.1.cmp(&a.1).then(a.3.cmp(&b.3)));
    }
    let mut added = 0;
    let mut sizes: Vec<(String, i32)> = Vec::new();
    for (name, replicas, annotated, _) in &order {
        let proportion = if to_add == 0 || to_add == added {
            0
        } else {
            let fraction = if desired == 0 {
                -replicas
            } else if *annotated <= 0 {
                0
            } else {
                let size = f64::from(*replicas) * f64::from(allowed) / f64::from(*annotated);
                (size.round() as i32).saturating_sub(*replicas)
            };
            let left = to_add - added;
            if to_add > 0 {
                fraction.min(left)
            } else {
                fraction.max(left)
            }
        };
        added += proportion;
        sizes.push((name.clone(), replicas + proportion));
    }
    if let Some(first) = sizes.first_mut() {
        first.1 = (first.1 + to_add - added).max(0);
    }
    for (name, size) in sizes {
        rollout.scale(&name, size);
    }
}

/// Deletes the oldest unused ReplicaSets beyond `revisionHistoryLimit`.
pub(super) fn cleanup(rollout: &mut Rollout<'_>) {
    let limit = rollout
        .deployment
        .spec
        .revision_history_limit
        .unwrap_or(10)
        .max(0) as usize;
    let mut cleanable: Vec<&ReplicaSet> = rollout
        .old_rses
        .iter()
        .filter(|rs| {
            rs_replicas(rs) == 0
                && rs.status.as_ref().map_or(0, |s| s.replicas) == 0
                && rs.metadata.deletion_timestamp.is_none()
        })
        .collect();
    if cleanable.len() <= limit {
        return;
    }
    cleanable.sort_stable_by_key(|rs| util::revision_of(rs.metadata.annotations.as_ref()));
    let doomed: Vec<ReplicaSet> = cleanable[..cleanable.len() - limit]
        .iter()
        .map(|rs| (*rs).clone())
        .collect();
    for rs in doomed {
        let target = std::rc::Rc::new(Object::ReplicaSet(Box::new(rs)));
        rollout.out.writes.push(Write::Delete {
            target,
            owner: None,
            event: None,
        });
    }
}
