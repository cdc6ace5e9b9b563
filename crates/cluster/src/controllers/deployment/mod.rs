//! The Deployment controller, in upstream's shape: [`sync`] (ReplicaSets, revisions, scaling
//! events and proportional scaling), [`rolling`] and [`recreate`] (the two strategies), and
//! [`progress`] (status and the Available / Progressing / ReplicaFailure conditions).
//!
//! A Deployment owns ReplicaSets named `DEPLOYMENT-HASH`, where HASH is the
//! `pod-template-hash` of its template; the ReplicaSet whose template equals the Deployment's
//! is the *new* one, all others are *old*. Rollback is kubectl's business (it copies an old
//! ReplicaSet's template back into the Deployment), after which the old ReplicaSet becomes the
//! new one again and takes the next revision.

mod progress;
mod recreate;
mod rolling;
mod sync;
pub(crate) mod util;

use std::rc::Rc;

use model::k8s_openapi::api::apps::v1::{Deployment, ReplicaSet};
use model::Object;

use super::{
    controller_uid, is_terminating, pod_phase, ControllerView, EventToRecord, Reconciled, Write,
};
use crate::events::EventType;

/// One reconcile's working state: the ReplicaSets as this reconcile plans them, and the writes
/// that make them so.
pub(crate) struct Rollout<'a> {
    pub object: &'a Rc<Object>,
    pub deployment: &'a Deployment,
    pub view: &'a ControllerView<'a>,
    /// The ReplicaSet whose template is the Deployment's (after this reconcile's plan).
    pub new_rs: Option<ReplicaSet>,
    /// The others, oldest first.
    pub old_rses: Vec<ReplicaSet>,
    /// Set when this reconcile creates the new ReplicaSet.
    pub created_new_rs: bool,
    pub out: Reconciled,
}

impl Rollout<'_> {
    /// Sets a ReplicaSet's replicas (and the desired/max annotations), with upstream's
    /// `ScalingReplicaSet` event "Scaled up replica set X from A to B".
    pub fn scale(&mut self, name: &str, replicas: i32) -> bool {
        let (surge, _) = util::resolve_fenceposts(self.deployment);
        let desired = self.deployment.spec.replicas.unwrap_or(1);
        let in_new = self
            .new_rs
            .as_ref()
            .is_some_and(|rs| rs.metadata.name.as_deref() == Some(name));
        let rs = if in_new {
            self.new_rs.as_mut()
        } else {
            self.old_rses
                .iter_mut()
                .find(|rs| rs.metadata.name.as_deref() == Some(name))
        };
        let Some(rs) = rs else { return false };
        let before = util::rs_replicas(rs);
        let annotations = rs.metadata.annotations.get_or_insert_with(Default::default);
        let annotations_stale = annotations.get(util::DESIRED_REPLICAS)
            != Some(&desired.to_string())
            || annotations.get(util::MAX_REPLICAS) != Some(&(desired + surge).to_string());
        if before == replicas && !annotations_stale {
            return false;
        }
        annotations.insert(util::DESIRED_REPLICAS.into(), desired.to_string());
        annotations.insert(util::MAX_REPLICAS.into(), (desired + surge).to_string());
        rs.spec.replicas = Some(replicas);
        let mut object = Object::ReplicaSet(Box::new(rs.clone()));
        object.metadata_mut().resource_version = None;
        self.out.writes.push(Write::Update(object));
        if before != replicas {
            let direction = if replicas > before { "up" } else { "down" };
            self.out.writes.push(Write::Event {
                involved: self.object.clone(),
                event: EventToRecord {
                    event_type: EventType::Normal,
                    reason: "ScalingReplicaSet",
                    message: format!(
                        "Scaled {direction} replica set {name} from {before} to {replicas}"
                    ),
                },
            });
        }
        before != replicas
    }

    /// Every ReplicaSet, new first.
    pub fn all_rses(&self) -> impl Iterator<Item = &ReplicaSet> {
        self.new_rs.iter().chain(self.old_rses.iter())
    }

    /// Pods of the old ReplicaSets that still exist and have not finished.
    pub fn old_pods_running(&self) -> bool {
        let old_uids: Vec<&str> = self
            .old_rses
            .iter()
            .filter_map(|rs| rs.metadata.uid.as_deref())
            .collect();
        self.view
            .pods_in(self.object.namespace())
            .iter()
            .any(|pod| {
                controller_uid(pod).is_some_and(|uid| old_uids.contains(&uid))
                    && !matches!(pod_phase(pod), "Succeeded" | "Failed")
            })
    }
}

/// Brings the Deployment's ReplicaSets one step closer to its spec and reports its status.
pub(crate) fn reconcile(object: &Rc<Object>, view: &ControllerView<'_>) -> Reconciled {
    let Object::Deployment(deployment) = &**object else {
        return Reconciled::default();
    };
    if is_terminating(object) {
        return Reconciled::default();
    }
    let mut rollout = Rollout {
        object,
        deployment,
        view,
        new_rs: None,
        old_rses: Vec::new(),
        created_new_rs: false,
        out: Reconciled::default(),
    };
    sync::adopt_and_classify(&mut rollout);
    let paused = deployment.spec.paused == Some(true);
    if paused || sync::is_scaling_event(&rollout) {
        sync::sync_scale(&mut rollout);
    } else if deployment
        .spec
        .strategy
        .as_ref()
        .is_some_and(|s| s.type_.as_deref() == Some("Recreate"))
    {
        recreate::rollout_recreate(&mut rollout);
    } else {
        rolling::rollout_rolling(&mut rollout);
    }
    progress::sync_status(&mut rollout);
    rollout.out
}
