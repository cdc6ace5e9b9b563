//! The EndpointSlice controller: for every Service with a selector, slices listing the pods it
//! selects — address, node, zone, the pod as targetRef, and the conditions `ready`, `serving`
//! and `terminating` — with each Service port resolved against the pod (a named targetPort is
//! looked up in the pod's container ports; a pod without it is left out). Pods that resolve the
//! ports differently land in different slices. Slices are named `SERVICE-xxxxx`, labelled
//! `kubernetes.io/service-name` and `endpointslice.kubernetes.io/managed-by`, and owned by the
//! Service (so they go when it goes). A Service that selects nothing still has one empty slice.
//! [`service_endpoints`] is shared with the Endpoints controller.

use model::sort::SortSlice;
use std::collections::BTreeMap;
use std::net::Ipv4Addr;
use std::rc::Rc;

use model::selector::Selector;
use model::Object;
use serde_json::{json, Value};

use super::replicaset::ready_since;
use super::{
    controller_reference, controller_uid, is_terminating, ControllerView, Reconciled, Write,
};

pub(crate) const MANAGED_BY: &str = "endpointslice-controller.k8s.io";

/// One pod behind a Service, with the ports it resolved.
#[derive(Debug, Clone)]
pub(crate) struct PodEndpoint {
    pub pod: Rc<Object>,
    pub ip: String,
    pub node: String,
    pub ready: bool,
    pub serving: bool,
    pub terminating: bool,
    /// `(name, port, protocol)` per Service port, resolved for this pod.
    pub ports: Vec<(String, i64, String)>,
}

fn ip_order(ip: &str) -> u32 {
    ip.parse::<Ipv4Addr>().map(u32::from).unwrap_or(u32::MAX)
}

/// The selected pods of a Service, ordered by IP, or None when the Service has no selector or
/// is an ExternalName Service (neither endpoints controller serves those, selector or not).
pub(crate) fn service_endpoints(
    service: &Object,
    view: &ControllerView<'_>,
) -> Option<Vec<PodEndpoint>> {
    let value = service.to_json_value();
    if value["spec"]["type"] == json!("ExternalName") {
        return None;
    }
    let selector_map: BTreeMap<String, String> =
        serde_json::from_value(value["spec"]["selector"].clone()).ok()?;
    if selector_map.is_empty() {
        return None;
    }
    let selector = Selector::from_map(&selector_map);
    let publish_not_ready = value["spec"]["publishNotReadyAddresses"] == json!(true);
    let service_ports: Vec<Value> = value["spec"]["ports"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let mut endpoints: Vec<PodEndpoint> = Vec::new();
    for pod in view.pods_in(service.namespace()) {
        if !selector.matches(pod.metadata().labels.as_ref()) {
            continue;
        }
        let pod_value = pod.to_json_value();
        let Some(ip) = pod_value["status"]["podIP"]
            .as_str()
            .filter(|ip| !ip.is_empty())
        else {
            continue;
        };
        if matches!(
            pod_value["status"]["phase"].as_str(),
            Some("Succeeded" | "Failed")
        ) {
            continue;
        }
        let mut ports = Vec::new();
        let mut resolved_all = true;
        for port in &service_ports {
            let protocol = port["protocol"].as_str().unwrap_or("TCP").to_string();
            let name = port["name"].as_str().unwrap_or("").to_string();
            let target = match &port["targetPort"] {
                Value::Number(n) => n.as_i64(),
                Value::String(wanted) => pod_value["spec"]["containers"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .flat_map(|c| c["ports"].as_array().cloned().unwrap_or_default())
                    .find(|p| {
                        p["name"] == json!(wanted)
                            && p["protocol"].as_str().unwrap_or("TCP") == protocol
                    })
                    .and_then(|p| p["containerPort"].as_i64()),
                _ => port["port"].as_i64(),
            };
            match target {
                Some(target) => ports.push((name, target, protocol)),
                None => resolved_all = false,
            }
        }
        if !resolved_all && !service_ports.is_empty() {
            continue;
        }
        let terminating = is_terminating(&pod);
        let ready_now = ready_since(&pod).is_some();
        endpoints.push(PodEndpoint {
            ip: ip.to_string(),
            node: pod_value["spec"]["nodeName"]
                .as_str()
                .unwrap_or("")
                .to_string(),
            ready: (ready_now || publish_not_ready) && !terminating,
            serving: ready_now || publish_not_ready,
            terminating,
            ports,
            pod,
        });
    }
    endpoints.sort_stable_by(|a, b| {
        ip_order(&a.ip)
            .cmp(&ip_order(&b.ip))
            .then(a.pod.name().cmp(b.pod.name()))
    });
    Some(endpoints)
}

fn slice_ports(ports: &[(String, i64, String)]) -> Value {
    if ports.is_empty() {
        return Value::Null;
    }
    json!(ports
        .iter()
        .map(|(name, port, protocol)| json!({"name": name, "port": port, "protocol": protocol}))
        .collect::<Vec<_>>())
}

pub(crate) fn reconcile(service: &Rc<Object>, view: &ControllerView<'_>) -> Reconciled {
    let mut out = Reconciled::default();
    if is_terminating(service) {
        return out;
    }
    let Some(endpoints) = service_endpoints(service, view) else {
        return out;
    };
    let uid = service.metadata().uid.clone().unwrap_or_default();
    let zones: BTreeMap<String, String> = view
        .store_nodes()
        .iter()
        .filter_map(|n| {
            let zone = n
                .metadata()
                .labels
                .as_ref()?
                .get("topology.kubernetes.io/zone")?
                .clone();
            Some((n.name().to_string(), zone))
        })
        .collect();
    // Group by resolved ports: one slice per group (an empty Service keeps one empty slice).
    let mut groups: BTreeMap<String, (Value, Vec<Value>)> = BTreeMap::new();
    for endpoint in &endpoints {
        let ports = slice_ports(&endpoint.ports);
        let mut entry = json!({
            "addresses": [endpoint.ip],
            "conditions": { "ready": endpoint.ready, "serving": endpoint.serving, "terminating": endpoint.terminating },
            "nodeName": endpoint.node,
            "targetRef": { "kind": "Pod", "name": endpoint.pod.name(), "namespace": endpoint.pod.namespace(), "uid": endpoint.pod.metadata().uid },
        });
        if let Some(zone) = zones.get(&endpoint.node) {
            entry["zone"] = json!(zone);
        }
        // A pod whose subdomain is this Service gets its hostname published (the DNS record
        // `web-0.nginx.default.svc.cluster.local` of a StatefulSet pod).
        if let Object::Pod(pod) = &*endpoint.pod {
            let spec = pod.spec.as_ref();
            let hostname = spec.and_then(|s| s.hostname.as_deref()).unwrap_or("");
            let subdomain = spec.and_then(|s| s.subdomain.as_deref()).unwrap_or("");
            if !hostname.is_empty() && subdomain == service.name() {
                entry["hostname"] = json!(hostname);
            }
        }
        groups
            .entry(ports.to_string())
            .or_insert_with(|| (ports, Vec::new()))
            .1
            .push(entry);
    }
    if groups.is_empty() {
        groups.insert(String::new(), (Value::Null, Vec::new()));
    }
    let mut existing: Vec<Rc<Object>> = view
        .list_in("endpointslices", service.namespace())
        .into_iter()
        .filter(|s| controller_uid(s) == Some(uid.as_str()))
        .collect();
    let mut labels = service.metadata().labels.clone().unwrap_or_default();
    labels.insert(
        "kubernetes.io/service-name".into(),
        service.name().to_string(),
    );
    labels.insert(
        "endpointslice.kubernetes.io/managed-by".into(),
        MANAGED_BY.into(),
    );
    for (_, (ports, entries)) in groups {
        let wanted_endpoints = if entries.is_empty() {
            Value::Null
        } else {
            json!(entries)
        };
        // Reuse a slice with the same ports, else any leftover slice, else make one.
        let reuse = existing
            .iter()
            .position(|s| s.to_json_value()["ports"] == ports)
            .or_else(|| (!existing.is_empty()).then_some(0));
        match reuse {
            Some(i) => {
                let slice = existing.remove(i);
                let mut value = slice.to_json_value();
                let mut changed = value.clone();
                changed["ports"] = ports.clone();
                changed["endpoints"] = wanted_endpoints;
                changed["metadata"]["labels"] = json!(labels);
                if changed != value {
                    value = changed;
                    if let Some(map) = value["metadata"].as_object_mut() {
                        map.remove("resourceVersion");
                    }
                    if let Ok(object) = Object::from_json_value(value) {
                        out.writes.push(Write::Update(object));
                    }
                }
            }
            None => {
                let slice = json!({
                    "apiVersion": "discovery.k8s.io/v1",
                    "kind": "EndpointSlice",
                    "metadata": { "generateName": format!("{}-", service.name()), "namespace": service.namespace(), "labels": labels },
                    "addressType": "IPv4",
                    "endpoints": wanted_endpoints,
                    "ports": ports,
                });
                if let Ok(mut object) = Object::from_json_value(slice) {
                    object.metadata_mut().owner_references =
                        Some(vec![controller_reference(service)]);
                    out.writes.push(Write::Create {
                        object,
                        owner: service.clone(),
                        success: None,
                        failure: None,
                    });
                }
            }
        }
    }
    for stale in existing {
        out.writes.push(Write::Delete {
            target: stale,
            owner: None,
            event: None,
        });
    }
    out
}
