//! The Event API every controller, the scheduler and the kubelet report through, as client-go's
//! event recorder does: one core/v1 Event per (object, type, reason, message, source); a repeat
//! bumps `count` and `lastTimestamp` instead of creating another. Events expire one simulated
//! hour after they were last seen, as the API server's event TTL does.

use model::sort::SortSlice;
use std::rc::Rc;

use model::Object;
use serde_json::json;

use crate::api::{ApiError, StoreExt};
use crate::clock::{SimDuration, SimTime};
use crate::Cluster;

/// How long an event lives after it was last seen.
pub const EVENT_TTL: SimDuration = SimDuration::from_secs(3600);

/// `Normal` or `Warning`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventType {
    Normal,
    Warning,
}

impl EventType {
    pub fn as_str(self) -> &'static str {
        match self {
            EventType::Normal => "Normal",
            EventType::Warning => "Warning",
        }
    }
}

/// Who reports: `deployment-controller`, `default-scheduler`, `kubelet` (with its node as host).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventSource {
    pub component: String,
    pub host: Option<String>,
}

impl EventSource {
    pub fn component(component: &str) -> EventSource {
        EventSource {
            component: component.to_string(),
            host: None,
        }
    }
}

/// What a node's kubelet reports when it starts (the node's conditions as they come true), and
/// the node controller when it registers the node — the events `kubectl describe node` shows
/// for a node's first hour.
const NODE_START_EVENTS: [(&str, &str, &str); 8] = [
    ("kube-proxy", "Starting", ""),
    ("kubelet", "Starting", "Starting kubelet."),
    (
        "kubelet",
        "NodeHasSufficientMemory",
        "Node {node} status is now: NodeHasSufficientMemory",
    ),
    (
        "kubelet",
        "NodeHasNoDiskPressure",
        "Node {node} status is now: NodeHasNoDiskPressure",
    ),
    (
        "kubelet",
        "NodeHasSufficientPID",
        "Node {node} status is now: NodeHasSufficientPID",
    ),
    (
        "kubelet",
        "NodeAllocatableEnforced",
        "Updated Node Allocatable limit across pods",
    ),
    (
        "node-controller",
        "RegisteredNode",
        "Node {node} event: Registered Node {node} in Controller",
    ),
    (
        "kubelet",
        "NodeReady",
        "Node {node} status is now: NodeReady",
    ),
];

fn events_resource() -> &'static model::ResourceType {
    model::registry::resolve("events").expect("events are registered")
}

impl Cluster {
    /// The events of a node whose kubelet starts: at boot and when a node joins (`registered`:
    /// the node controller registers it too), and when a failed node's kubelet is back.
    pub(crate) fn record_node_start_events(&mut self, node: &str, registered: bool) {
        let Ok(object) = self.get(
            model::registry::resolve("nodes").expect("nodes are registered"),
            "",
            node,
        ) else {
            return;
        };
        for (component, reason, message) in NODE_START_EVENTS {
            if reason == "RegisteredNode" && !registered {
                continue;
            }
            let source = EventSource {
                component: component.to_string(),
                host: (component != "node-controller").then(|| node.to_string()),
            };
            let message = message.replace("{node}", node);
            let _ = self.record_event(&object, EventType::Normal, reason, &message, &source);
        }
    }

    /// The kubelet reports its node's schedulability as it changes (`kubectl cordon`,
    /// `uncordon`): NodeNotSchedulable / NodeSchedulable.
    pub(crate) fn record_node_schedulable_events(&mut self) {
        let nodes = self.list(
            model::registry::resolve("nodes").expect("nodes are registered"),
            None,
        );
        for node in nodes {
            let Object::Node(n) = &*node else { continue };
            let name = node.name();
            if self.faults.stopped_kubelets.contains_key(name) {
                continue;
            }
            let unschedulable = n.spec.as_ref().and_then(|s| s.unschedulable) == Some(true);
            let reported = self.kubelet.reported_unschedulable.get(name).copied();
            if reported.unwrap_or(false) == unschedulable {
                if reported.is_none() {
                    self.kubelet
                        .reported_unschedulable
                        .insert(name.to_string(), unschedulable);
                }
                continue;
            }
            self.kubelet
                .reported_unschedulable
                .insert(name.to_string(), unschedulable);
            let name = name.to_string();
            let reason = if unschedulable {
                "NodeNotSchedulable"
            } else {
                "NodeSchedulable"
            };
            let source = EventSource {
                component: "kubelet".to_string(),
                host: Some(name.clone()),
            };
            let message = format!("Node {name} status is now: {reason}");
            let _ = self.record_event(&node, EventType::Normal, reason, &message, &source);
        }
    }

    /// Records an event about `involved`, aggregating repeats.
    pub fn record_event(
        &mut self,
        involved: &Object,
        event_type: EventType,
        reason: &str,
        message: &str,
        source: &EventSource,
    ) -> Result<Rc<Object>, ApiError> {
        self.record_event_at(involved, None, event_type, reason, message, source)
    }

    /// An event about one container of a pod, as the kubelet records them (the container's
    /// reference: `involvedObject.fieldPath` is `spec.containers{name}`,
    /// `spec.initContainers{name}` or `spec.ephemeralContainers{name}`, which `kubectl describe`
    /// puts before the message).
    pub fn record_container_event(
        &mut self,
        pod: &Object,
        container: &str,
        event_type: EventType,
        reason: &str,
        message: &str,
        source: &EventSource,
    ) -> Result<Rc<Object>, ApiError> {
        let field_path = container_field_path(&pod.to_json_value(), container);
        self.record_event_at(
            pod,
            field_path.as_deref(),
            event_type,
            reason,
            message,
            source,
        )
    }

    fn record_event_at(
        &mut self,
        involved: &Object,
        field_path: Option<&str>,
        event_type: EventType,
        reason: &str,
        message: &str,
        source: &EventSource,
    ) -> Result<Rc<Object>, ApiError> {
        let now = self.now();
        let namespace = if involved.namespace().is_empty() {
            "default".to_string()
        } else {
            involved.namespace().to_string()
        };
        let uid = involved.metadata().uid.clone().unwrap_or_default();
        let timestamp = serde_json::to_value(now.to_k8s_time()).unwrap_or_default();
        // Repeats aggregate into one Event: found through the cluster's index of series (what
        // client-go's event correlator keeps in memory), checked against the stored object.
        let series_key = format!(
            "{namespace}\0{uid}\0{}\0{}\0{reason}\0{}\0{message}",
            field_path.unwrap_or(""),
            event_type.as_str(),
            source.component
        );
        let existing = self
            .event_series
            .get(&series_key)
            .and_then(|name| self.get(events_resource(), &namespace, name).ok())
            .filter(|event| match &**event {
                Object::Event(e) => {
                    e.involved_object.uid.as_deref() == Some(uid.as_str())
                        && e.involved_object.field_path.as_deref() == field_path
                        && e.type_.as_deref() == Some(event_type.as_str())
                        && e.reason.as_deref() == Some(reason)
                        && e.message.as_deref() == Some(message)
                        && e.source.as_ref().and_then(|s| s.component.as_deref())
                            == Some(source.component.as_str())
                }
                _ => false,
            });
        if let Some(existing) = existing {
            let mut e = existing.to_json_value();
            let count = e["count"].as_i64().unwrap_or(1) + 1;
            e["count"] = json!(count);
            e["lastTimestamp"] = timestamp;
            let object =
                Object::from_json_value(e).map_err(|err| ApiError::bad_request(err.message))?;
            return self.update(object);
        }
        // client-go names events `<object>.<nanoseconds since epoch in hex>`.
        let mut nanos =
            (now.unix_seconds() as u128) * 1_000_000_000 + u128::from(now.0 % 1000) * 1_000_000;
        let name = loop {
            let candidate = format!("{}.{nanos:x}", involved.name());
            if self.get(events_resource(), &namespace, &candidate).is_err() {
                break candidate;
            }
            nanos += 1;
        };
        let mut source_json = json!({ "component": source.component });
        if let Some(host) = &source.host {
            source_json["host"] = json!(host);
        }
        let event = json!({
            "apiVersion": "v1",
            "kind": "Event",
            "metadata": { "name": name, "namespace": namespace },
            "involvedObject": {
                "apiVersion": involved.api_version(),
                "kind": involved.kind(),
                "name": involved.name(),
                "namespace": involved.namespace(),
                "uid": uid,
                "resourceVersion": involved.metadata().resource_version.clone().unwrap_or_default(),
            },
            "reason": reason,
            "message": message,
            "source": source_json,
            "firstTimestamp": timestamp,
            "lastTimestamp": timestamp,
            "count": 1,
            "type": event_type.as_str(),
            "eventTime": null,
            "reportingComponent": source.component,
            "reportingInstance": source.host.clone().unwrap_or_default(),
        });
        let mut event = event;
        if let Some(path) = field_path {
            event["involvedObject"]["fieldPath"] = json!(path);
        }
        let object =
            Object::from_json_value(event).map_err(|err| ApiError::bad_request(err.message))?;
        let created = self.create(object)?;
        self.event_series
            .insert(series_key, created.name().to_string());
        Ok(created)
    }

    /// Events about an object (by uid), oldest first.
    pub fn events_for(&self, involved: &Object) -> Vec<Rc<Object>> {
        let Some(uid) = involved.metadata().uid.as_deref() else {
            return Vec::new();
        };
        let namespace = if involved.namespace().is_empty() {
            "default"
        } else {
            involved.namespace()
        };
        let mut events: Vec<Rc<Object>> = self
            .list(events_resource(), Some(namespace))
            .into_iter()
            .filter(|e| e.to_json_value()["involvedObject"]["uid"].as_str() == Some(uid))
            .collect();
        events.sort_stable_by_key(|e| last_seen(e));
        events
    }

    /// Deletes events last seen more than [`EVENT_TTL`] ago.
    pub(crate) fn expire_events(&mut self) {
        let now = self.now();
        let expired: Vec<(String, String)> = self
            .api_store()
            .list(events_resource(), None)
            .into_iter()
            .filter(|e| now.since(last_seen(e)) >= EVENT_TTL)
            .map(|e| (e.namespace().to_string(), e.name().to_string()))
            .collect();
        let any_expired = !expired.is_empty();
        for (namespace, name) in expired {
            let _ = self.delete(events_resource(), &namespace, &name);
        }
        if any_expired {
            let api = &self.api;
            self.event_series.retain(|key, name| {
                let namespace = key.split('\0').next().unwrap_or("");
                api.get(events_resource(), namespace, name).is_ok()
            });
        }
    }
}

/// When an event was last seen (lastTimestamp, else eventTime, else creation).
pub fn last_seen(event: &Object) -> SimTime {
    let time = match event {
        Object::Event(e) => e
            .last_timestamp
            .as_ref()
            .map(SimTime::from_k8s_time)
            .or_else(|| {
                e.event_time.as_ref().map(|t| {
                    SimTime::from_k8s_time(
                        &model::k8s_openapi::apimachinery::pkg::apis::meta::v1::Time(t.0),
                    )
                })
            }),
        Object::EventsEvent(e) => e
            .deprecated_last_timestamp
            .as_ref()
            .map(SimTime::from_k8s_time)
            .or_else(|| {
                e.event_time.as_ref().map(|t| {
                    SimTime::from_k8s_time(
                        &model::k8s_openapi::apimachinery::pkg::apis::meta::v1::Time(t.0),
                    )
                })
            }),
        _ => None,
    };
    time.or_else(|| {
        event
            .metadata()
            .creation_timestamp
            .as_ref()
            .map(SimTime::from_k8s_time)
    })
    .unwrap_or_default()
}

/// The field path of a pod's container by name (what the kubelet's container references carry).
pub(crate) fn container_field_path(pod: &serde_json::Value, container: &str) -> Option<String> {
    ["containers", "initContainers", "ephemeralContainers"]
        .iter()
        .find(|list| {
            pod["spec"][**list]
                .as_array()
                .is_some_and(|items| items.iter().any(|c| c["name"] == container))
        })
        .map(|list| format!("spec.{list}{{{container}}}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pod(cluster: &mut Cluster) -> Rc<Object> {
        let object = model::decode_documents("apiVersion: v1\nkind: Pod\nmetadata: {name: web}\nspec:\n  schedulerName: elsewhere\n  containers: [{name: c, image: nginx}]\n").unwrap().remove(0);
        cluster.create(object).unwrap()
    }

    #[test]
    fn repeats_aggregate_and_events_expire_after_an_hour() {
        let mut cluster = Cluster::new(1);
        let pod = pod(&mut cluster);
        let source = EventSource {
            component: "kubelet".into(),
            host: Some("node-1".into()),
        };
        cluster
            .record_event(
                &pod,
                EventType::Warning,
                "BackOff",
                "Back-off restarting failed container",
                &source,
            )
            .unwrap();
        cluster.advance(SimDuration::from_secs(30));
        let event = cluster
            .record_event(
                &pod,
                EventType::Warning,
                "BackOff",
                "Back-off restarting failed container",
                &source,
            )
            .unwrap();
        let json = event.to_json_value();
        assert_eq!(json["count"], 2);
        assert_eq!(json["firstTimestamp"], "2026-01-01T00:00:00Z");
        assert_eq!(json["lastTimestamp"], "2026-01-01T00:00:30Z");
        assert!(event.name().starts_with("web."));
        cluster
            .record_event(
                &pod,
                EventType::Normal,
                "Pulled",
                "Successfully pulled image",
                &source,
            )
            .unwrap();
        assert_eq!(cluster.events_for(&pod).len(), 2);
        cluster.advance(SimDuration::from_secs(3600));
        assert_eq!(
            cluster.events_for(&pod).len(),
            0,
            "an hour after last seen, events are gone"
        );
    }
}
