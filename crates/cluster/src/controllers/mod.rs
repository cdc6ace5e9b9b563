//! kube-controller-manager in miniature: one file (or folder) per controller, each a pure,
//! level-triggered, idempotent `reconcile(object, &view) -> Reconciled`.
//!
//! A reconcile reads the store through a [`ControllerView`] and returns the writes it wants
//! ([`Write`]) and when it wants to look again; it is never told why it runs. The runner here
//! ([`Cluster::run_controllers`]) applies the writes through the API server (admission,
//! validation, resourceVersion and watch events, as a real controller's requests go) and records
//! the events. Writes in this simulation are synchronous, so upstream's "expectations" (which
//! guard against acting on a stale informer cache) are not needed: every reconcile sees the
//! result of the previous one.
//!
//! Failures are values: a create that the API server refuses (a quota, say) is remembered per
//! owner ([`ControllerState::failures`]) so the next reconcile can report it in status
//! (`ReplicaFailure`) and retry after an exponential back-off, as the workqueue's rate limiter
//! would.

pub(crate) mod clusterroleaggregation;
pub(crate) mod cron;
pub(crate) mod cronjob;
pub(crate) mod daemonset;
pub(crate) mod deployment;
pub(crate) mod disruption;
pub(crate) mod endpoints;
pub(crate) mod endpointslice;
pub(crate) mod history;
pub(crate) mod horizontalpodautoscaler;
pub(crate) mod ingress;
pub(crate) mod job;
pub(crate) mod loadbalancer;
pub(crate) mod nodelifecycle;
pub(crate) mod persistentvolume;
pub(crate) mod podgc;
pub(crate) mod pvprotection;
pub(crate) mod replicaset;
pub(crate) mod rootca;
pub(crate) mod serviceaccounttoken;
pub(crate) mod statefulset;
pub(crate) mod volumeexpand;

use std::collections::BTreeMap;
use std::rc::Rc;

use model::{Object, ResourceType};

use crate::api::{Propagation, Store, StoreExt};
use crate::events::{EventSource, EventType};
use crate::{Cluster, SimDuration, SimTime};

/// An event a controller wants recorded about an object.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct EventToRecord {
    pub event_type: EventType,
    pub reason: &'static str,
    pub message: String,
}

/// One request a controller makes of the API server.
#[derive(Debug, Clone)]
pub(crate) enum Write {
    /// POST. On success an event naming the new object (`{name}` in `success_message` is
    /// replaced by its generated name); on failure a Warning with `{error}` replaced, and the
    /// failure remembered for the owner.
    Create {
        object: Object,
        owner: Rc<Object>,
        success: Option<(&'static str, String)>,
        failure: Option<(&'static str, String)>,
    },
    /// PUT of the main resource (spec, metadata).
    Update(Object),
    /// PUT of the status subresource: only the status of the stored object changes.
    UpdateStatus(Object),
    /// DELETE (background propagation), with an event on the owner when given.
    Delete {
        target: Rc<Object>,
        owner: Option<Rc<Object>>,
        event: Option<EventToRecord>,
    },
    /// DELETE with a grace period of 0 (the pod garbage collector's force deletion).
    ForceDelete(Rc<Object>),
    /// An event about an object.
    Event {
        involved: Rc<Object>,
        event: EventToRecord,
    },
    /// An event reported by another component than the controller itself (an external
    /// provisioner, say).
    EventFrom {
        involved: Rc<Object>,
        event: EventToRecord,
        component: String,
    },
}

/// What a reconcile returns: the writes it wants and when to look again.
#[derive(Debug, Default)]
pub(crate) struct Reconciled {
    pub writes: Vec<Write>,
    pub requeue_at: Option<SimTime>,
}

impl Reconciled {
    pub fn requeue_no_later_than(&mut self, at: SimTime) {
        self.requeue_at = Some(self.requeue_at.map_or(at, |t| t.min(at)));
    }
}

/// A remembered failed create: the error as the API server worded it, and when to retry.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Failure {
    pub message: String,
    pub retry_at: SimTime,
    pub attempts: u32,
}

/// What the controllers remember between runs (what upstream keeps in memory: the workqueue's
/// rate limiter and requeue-after timers).
#[derive(Debug, Clone, Default)]
pub(crate) struct ControllerState {
    /// Failed creates by owner uid.
    pub failures: BTreeMap<String, Failure>,
    /// When each controller asked to look at an object again, by `controller/uid`.
    pub wakeups: BTreeMap<String, SimTime>,
    /// The requested size the expand controller last reported waiting for, by claim uid.
    pub expansions_reported: BTreeMap<String, String>,
}

/// The read-only view a reconcile gets: the store at this instant and the clock.
pub(crate) struct ControllerView<'a> {
    pub store: &'a Store,
    pub now: SimTime,
    pub failures: &'a BTreeMap<String, Failure>,
    /// Nodes whose kubelet stopped posting status, since when (what the node lifecycle
    /// controller infers from missed heartbeats).
    pub kubelet_stopped: &'a BTreeMap<String, SimTime>,
}

pub(crate) fn resource(plural: &str) -> &'static ResourceType {
    model::registry::resolve(plural).expect("the controllers' resources are registered")
}

impl ControllerView<'_> {
    /// The pods of a namespace, by name.
    pub fn pods_in(&self, namespace: &str) -> Vec<Rc<Object>> {
        self.store.list(resource("pods"), Some(namespace))
    }

    /// Objects of a resource in a namespace.
    pub fn list_in(&self, plural: &str, namespace: &str) -> Vec<Rc<Object>> {
        self.store.list(resource(plural), Some(namespace))
    }

    /// Every object of a cluster-scoped resource.
    pub fn list_in_cluster(&self, plural: &str) -> Vec<Rc<Object>> {
        self.store.list(resource(plural), None)
    }

    /// One object, if it exists.
    pub fn get(&self, plural: &str, namespace: &str, name: &str) -> Option<Rc<Object>> {
        self.store
            .get(&crate::api::key_for(resource(plural), namespace, name))
            .cloned()
    }

    /// Whether an event with this reason was recorded about `involved` at or after `since`
    /// (controllers that re-report a condition on every periodic sync use it to keep upstream's
    /// cadence instead of reporting on every round).
    pub fn event_recorded_since(&self, involved: &Object, reason: &str, since: SimTime) -> bool {
        let uid = involved.metadata().uid.as_deref();
        let namespace = if involved.namespace().is_empty() {
            "default"
        } else {
            involved.namespace()
        };
        self.list_in("events", namespace)
            .iter()
            .any(|event| match &**event {
                Object::Event(e) => {
                    e.involved_object.uid.as_deref() == uid
                        && e.reason.as_deref() == Some(reason)
                        && e.last_timestamp
                            .as_ref()
                            .is_some_and(|t| SimTime::from_k8s_time(t) >= since)
                }
                _ => false,
            })
    }

    /// Every node, by name.
    pub fn store_nodes(&self) -> Vec<Rc<Object>> {
        self.store.list(resource("nodes"), None)
    }

    /// The failed create remembered for an owner, if any.
    pub fn failure_of(&self, owner: &Object) -> Option<&Failure> {
        owner
            .metadata()
            .uid
            .as_deref()
            .and_then(|uid| self.failures.get(uid))
    }
}

/// The uid of the object's controller (the ownerReference with `controller: true`).
pub(crate) fn controller_uid(object: &Object) -> Option<&str> {
    object
        .metadata()
        .owner_references
        .iter()
        .flatten()
        .find(|r| r.controller == Some(true))
        .map(|r| r.uid.as_str())
}

/// The ownerReference a controller puts on what it creates.
pub(crate) fn controller_reference(
    owner: &Object,
) -> model::k8s_openapi::apimachinery::pkg::apis::meta::v1::OwnerReference {
    model::k8s_openapi::apimachinery::pkg::apis::meta::v1::OwnerReference {
        api_version: owner.api_version().to_string(),
        kind: owner.kind().to_string(),
        name: owner.name().to_string(),
        uid: owner.metadata().uid.clone().unwrap_or_default(),
        controller: Some(true),
        block_owner_deletion: Some(true),
    }
}

/// A pod's phase (`Pending` until the kubelet reports one; empty for anything not a pod).
pub(crate) fn pod_phase(pod: &Object) -> &str {
    match pod {
        Object::Pod(p) => p
            .status
            .as_ref()
            .and_then(|s| s.phase.as_deref())
            .unwrap_or("Pending"),
        _ => "",
    }
}

/// The value of one of an object's labels.
pub(crate) fn label<'a>(object: &'a Object, key: &str) -> Option<&'a str> {
    object
        .metadata()
        .labels
        .as_ref()?
        .get(key)
        .map(String::as_str)
}

/// Whether an object is being deleted.
pub(crate) fn is_terminating(object: &Object) -> bool {
    object.metadata().deletion_timestamp.is_some()
}

/// The workqueue's per-item back-off after `attempts` failures: 1 s doubling, at most 1000 s.
fn retry_delay(attempts: u32) -> SimDuration {
    let seconds = 1u64 << attempts.min(10).saturating_sub(1);
    SimDuration::from_secs(seconds.min(1000))
}

/// The most rounds of "controllers, scheduler, kubelet" one instant runs before the clock
/// moves on (each round is level-triggered; a settled cluster needs one).
pub const MAX_ROUNDS_PER_INSTANT: usize = 64;

type ReconcileFn = fn(&Rc<Object>, &ControllerView<'_>) -> Reconciled;

/// The controllers in the order kube-controller-manager's loops would typically observe each
/// other's writes: owners before what they own.
const CONTROLLERS: &[(&str, &str, ReconcileFn)] = &[
    ("cronjob", "cronjobs", cronjob::reconcile),
    ("deployment", "deployments", deployment::reconcile),
    ("replicaset", "replicasets", replicaset::reconcile),
    ("daemonset", "daemonsets", daemonset::reconcile),
    ("statefulset", "statefulsets", statefulset::reconcile),
    ("job", "jobs", job::reconcile),
    ("endpoint", "services", endpoints::reconcile),
    ("endpoint-orphan", "endpoints", endpoints::reconcile_orphan),
    ("endpointslice", "services", endpointslice::reconcile),
    ("metallb", "services", loadbalancer::reconcile),
    ("nginx-ingress", "ingresses", ingress::reconcile),
    ("disruption", "poddisruptionbudgets", disruption::reconcile),
    (
        "persistentvolume",
        "persistentvolumeclaims",
        persistentvolume::reconcile_claim,
    ),
    (
        "persistentvolume",
        "persistentvolumes",
        persistentvolume::reconcile_volume,
    ),
    (
        "pvc-protection",
        "persistentvolumeclaims",
        pvprotection::reconcile_claim,
    ),
    (
        "pv-protection",
        "persistentvolumes",
        pvprotection::reconcile_volume,
    ),
    ("node-lifecycle", "nodes", nodelifecycle::reconcile),
    ("root-ca-cert-publisher", "namespaces", rootca::reconcile),
    ("tokens", "secrets", serviceaccounttoken::reconcile),
    ("pod-garbage-collector", "pods", podgc::reconcile),
    (
        "clusterrole-aggregation",
        "clusterroles",
        clusterroleaggregation::reconcile,
    ),
    (
        "replicationcontroller",
        "replicationcontrollers",
        replicaset::reconcile,
    ),
];

impl Cluster {
    /// Runs every controller once over every object it owns. Returns whether anything was
    /// written.
    pub(crate) fn run_controllers(&mut self) -> bool {
        let before = self.resource_version();
        let now = self.now();
        for (name, plural, reconcile) in CONTROLLERS {
            let objects = self.list(resource(plural), None);
            for object in objects {
                let uid = object.metadata().uid.clone().unwrap_or_default();
                let wakeup_key = format!("{name}/{uid}");
                // Re-read: an earlier reconcile in this round may have changed the object.
                let Ok(current) = self.get(resource(plural), object.namespace(), object.name())
                else {
                    self.controllers.wakeups.remove(&wakeup_key);
                    continue;
                };
                let reconciled = {
                    let view = self.controller_view(now);
                    reconcile(&current, &view)
                };
                match reconciled.requeue_at.filter(|t| *t > now) {
                    Some(at) => {
                        self.controllers.wakeups.insert(wakeup_key, at);
                    }
                    None => {
                        self.controllers.wakeups.remove(&wakeup_key);
                    }
                }
                self.apply_controller_writes(name, reconciled.writes);
            }
        }
        self.run_autoscalers(now);
        self.run_volume_expansion(now);
        // Forget the wakeups and failures of objects that are gone.
        let live: std::collections::BTreeSet<String> = CONTROLLERS
            .iter()
            .map(|(_, plural, _)| *plural)
            .chain(["horizontalpodautoscalers"])
            .flat_map(|plural| self.list(resource(plural), None))
            .filter_map(|o| o.metadata().uid.clone())
            .collect();
        self.autoscalers.retain(|uid, _| live.contains(uid));
        self.controllers
            .expansions_reported
            .retain(|uid, _| live.contains(uid));
        self.controllers.wakeups.retain(|key, _| {
            key.split_once('/')
                .is_some_and(|(_, uid)| live.contains(uid))
        });
        self.controllers
            .failures
            .retain(|uid, _| live.contains(uid));
        self.resource_version() != before
    }

    /// What the controllers see at `now`.
    fn controller_view(&self, now: SimTime) -> ControllerView<'_> {
        ControllerView {
            store: self.api.store(),
            now,
            failures: &self.controllers.failures,
            kubelet_stopped: &self.faults.stopped_kubelets,
        }
    }

    /// Syncs the HorizontalPodAutoscalers that are due (every 15 s, and when their spec
    /// changes), with the metrics API as it stands now.
    fn run_autoscalers(&mut self, now: SimTime) {
        let autoscalers = self.list(resource("horizontalpodautoscalers"), None);
        let mut metrics: Option<Option<Vec<crate::metrics::PodMetrics>>> = None;
        for hpa in autoscalers {
            let uid = hpa.metadata().uid.clone().unwrap_or_default();
            let memory = self.autoscalers.get(&uid).cloned().unwrap_or_default();
            let generation = hpa.metadata().generation.unwrap_or(1);
            if !memory.due(now, generation) {
                continue;
            }
            let metrics = metrics.get_or_insert_with(|| self.pod_metrics());
            let (reconciled, memory) = {
                let view = self.controller_view(now);
                horizontalpodautoscaler::reconcile(&hpa, &view, metrics.as_deref(), &memory)
            };
            self.autoscalers.insert(uid.clone(), memory);
            if let Some(at) = reconciled.requeue_at.filter(|t| *t > now) {
                self.controllers
                    .wakeups
                    .insert(format!("horizontal-pod-autoscaler/{uid}"), at);
            }
            self.apply_controller_writes("horizontal-pod-autoscaler", reconciled.writes);
        }
    }

    /// The expand controller over every claim, with what it reported before.
    fn run_volume_expansion(&mut self, now: SimTime) {
        for claim in self.list(resource("persistentvolumeclaims"), None) {
            let uid = claim.metadata().uid.clone().unwrap_or_default();
            let reported = self.controllers.expansions_reported.get(&uid).cloned();
            let (reconciled, reported) = {
                let view = self.controller_view(now);
                volumeexpand::reconcile(&claim, &view, reported.as_deref())
            };
            match reported {
                Some(size) => {
                    self.controllers.expansions_reported.insert(uid, size);
                }
                None => {
                    self.controllers.expansions_reported.remove(&uid);
                }
            }
            self.apply_controller_writes("volume-expand", reconciled.writes);
        }
    }

    /// The controllers' timers: which controller asked to look again (or retry a failed
    /// create) and when (wakeups in key order, then retries). A learner's "is the cluster settled yet?"
    /// waits for the one-off timers (a failed node's grace period and its pods' eviction)
    /// but not for the periodic ones (a CronJob's schedule).
    pub fn controller_timers(&self) -> Vec<(&str, SimTime)> {
        self.controllers
            .wakeups
            .iter()
            .map(|(key, at)| (key.split_once('/').map_or(key.as_str(), |(c, _)| c), *at))
            .chain(
                self.controllers
                    .failures
                    .values()
                    .map(|f| ("retry", f.retry_at)),
            )
            .collect()
    }

    /// The earliest time a controller asked to look again (or retry a failed create).
    pub(crate) fn controllers_next_wakeup(&self) -> Option<SimTime> {
        self.controllers
            .wakeups
            .values()
            .chain(self.controllers.failures.values().map(|f| &f.retry_at))
            .copied()
            .min()
    }

    fn apply_controller_writes(&mut self, controller: &str, writes: Vec<Write>) {
        let source = EventSource::component(&format!("{controller}-controller"));
        for write in writes {
            match write {
                Write::Create {
                    object,
                    owner,
                    success,
                    failure,
                } => {
                    let owner_uid = owner.metadata().uid.clone().unwrap_or_default();
                    match self.create(object) {
                        Ok(created) => {
                            self.controllers.failures.remove(&owner_uid);
                            if let Some((reason, message)) = success {
                                let message = message.replace("{name}", created.name());
                                let _ = self.record_event(
                                    &owner,
                                    EventType::Normal,
                                    reason,
                                    &message,
                                    &source,
                                );
                            }
                        }
                        Err(error) => {
                            let attempts = self
                                .controllers
                                .failures
                                .get(&owner_uid)
                                .map_or(1, |f| f.attempts + 1);
                            let text = error.to_string();
                            let text = text
                                .strip_prefix("Error from server ")
                                .and_then(|t| t.split_once(": "))
                                .map_or(text.as_str(), |(_, rest)| rest)
                                .to_string();
                            self.controllers.failures.insert(
                                owner_uid,
                                Failure {
                                    message: text.clone(),
                                    retry_at: SimTime(
                                        self.now().0 + retry_delay(attempts).as_millis(),
                                    ),
                                    attempts,
                                },
                            );
                            if let Some((reason, message)) = failure {
                                let message = message.replace("{error}", &text);
                                let _ = self.record_event(
                                    &owner,
                                    EventType::Warning,
                                    reason,
                                    &message,
                                    &source,
                                );
                            }
                        }
                    }
                }
                Write::Update(object) => {
                    let result = self.update(object);
                    debug_assert!(result.is_ok(), "controller update: {:?}", result.err());
                }
                Write::UpdateStatus(object) => {
                    self.update_status(object);
                }
                Write::Delete {
                    target,
                    owner,
                    event,
                } => {
                    let deleted = self.delete_with(
                        target.resource_type(),
                        target.namespace(),
                        target.name(),
                        Propagation::Background,
                    );
                    if let (Ok(_), Some(owner), Some(event)) = (deleted, owner, event) {
                        let _ = self.record_event(
                            &owner,
                            event.event_type,
                            event.reason,
                            &event.message,
                            &source,
                        );
                    }
                }
                Write::ForceDelete(target) => {
                    let _ = self.delete_with_grace(
                        target.resource_type(),
                        target.namespace(),
                        target.name(),
                        Propagation::Background,
                        Some(0),
                    );
                }
                Write::EventFrom {
                    involved,
                    event,
                    component,
                } => {
                    let _ = self.record_event(
                        &involved,
                        event.event_type,
                        event.reason,
                        &event.message,
                        &EventSource::component(&component),
                    );
                }
                Write::Event { involved, event } => {
                    let _ = self.record_event(
                        &involved,
                        event.event_type,
                        event.reason,
                        &event.message,
                        &source,
                    );
                }
            }
        }
    }

    /// Writes the status of an object that exists (the status subresource): everything but
    /// the status is kept from the stored object. Writes nothing when the status is unchanged.
    pub(crate) fn update_status(&mut self, object: Object) -> Option<Rc<Object>> {
        let stored = self
            .get(object.resource_type(), object.namespace(), object.name())
            .ok()?;
        let mut merged = stored.to_json_value();
        let wanted = object.to_json_value();
        match wanted.get("status") {
            Some(status) => merged["status"] = status.clone(),
            None => return None,
        }
        let merged = Object::from_json_value(merged).ok()?;
        if merged == *stored {
            return Some(stored);
        }
        Some(self.api.write_internal(merged))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retries_back_off_exponentially_up_to_a_limit() {
        assert_eq!(retry_delay(1), SimDuration::from_secs(1));
        assert_eq!(retry_delay(2), SimDuration::from_secs(2));
        assert_eq!(retry_delay(5), SimDuration::from_secs(16));
        assert_eq!(retry_delay(30), SimDuration::from_secs(512));
    }
}

#[cfg(test)]
mod reconcile_tests;
