//! The Endpoints controller (the older API beside EndpointSlices): one `Endpoints` object named
//! after each Service with a selector, its pods grouped into subsets by resolved ports —
//! `addresses` for ready pods, `notReadyAddresses` for the rest (terminating pods are left
//! out). Endpoints objects it made whose Service is gone are deleted.

use std::rc::Rc;

use model::Object;
use serde_json::{json, Value};

use super::endpointslice::service_endpoints;
use super::{is_terminating, ControllerView, Reconciled, Write};

/// Resolved ports `(name, port, protocol)`, ready addresses, not-ready addresses.
type Subset = (Vec<(String, i64, String)>, Vec<Value>, Vec<Value>);

/// The label upstream puts on Endpoints its controller manages.
const MANAGED_BY: &str = "endpoints.kubernetes.io/managed-by";

pub(crate) fn reconcile(service: &Rc<Object>, view: &ControllerView<'_>) -> Reconciled {
    let mut out = Reconciled::default();
    if is_terminating(service) {
        return out;
    }
    let Some(endpoints) = service_endpoints(service, view) else {
        return out;
    };
    let mut subsets: Vec<Subset> = Vec::new();
    for endpoint in endpoints.iter().filter(|e| !e.terminating) {
        let address = json!({
            "ip": endpoint.ip,
            "nodeName": endpoint.node,
            "targetRef": { "kind": "Pod", "name": endpoint.pod.name(), "namespace": endpoint.pod.namespace(), "uid": endpoint.pod.metadata().uid },
        });
        let index = match subsets
            .iter()
            .position(|(ports, _, _)| *ports == endpoint.ports)
        {
            Some(i) => i,
            None => {
                subsets.push((endpoint.ports.clone(), Vec::new(), Vec::new()));
                subsets.len() - 1
            }
        };
        if endpoint.ready {
            subsets[index].1.push(address);
        } else {
            subsets[index].2.push(address);
        }
    }
    let subsets: Vec<Value> = subsets
        .into_iter()
        .map(|(ports, ready, not_ready)| {
            let mut subset = json!({
                "ports": ports.iter().map(|(name, port, protocol)| {
                    let mut p = json!({"port": port, "protocol": protocol});
                    if !name.is_empty() { p["name"] = json!(name); }
                    p
                }).collect::<Vec<_>>(),
            });
            if !ready.is_empty() {
                subset["addresses"] = json!(ready);
            }
            if !not_ready.is_empty() {
                subset["notReadyAddresses"] = json!(not_ready);
            }
            subset
        })
        .collect();
    let mut labels = service.metadata().labels.clone().unwrap_or_default();
    labels.insert(MANAGED_BY.into(), "endpoint-controller".into());
    let wanted = json!({
        "apiVersion": "v1",
        "kind": "Endpoints",
        "metadata": { "name": service.name(), "namespace": service.namespace(), "labels": labels },
        "subsets": if subsets.is_empty() { Value::Null } else { json!(subsets) },
    });
    match view
        .list_in("endpoints", service.namespace())
        .into_iter()
        .find(|e| e.name() == service.name())
    {
        Some(current) => {
            let value = current.to_json_value();
            if value["subsets"] != wanted["subsets"]
                || value["metadata"]["labels"] != wanted["metadata"]["labels"]
            {
                let mut changed = value;
                changed["subsets"] = wanted["subsets"].clone();
                changed["metadata"]["labels"] = wanted["metadata"]["labels"].clone();
                if let Some(map) = changed["metadata"].as_object_mut() {
                    map.remove("resourceVersion");
                }
                if let Ok(object) = Object::from_json_value(changed) {
                    out.writes.push(Write::Update(object));
                }
            }
        }
        None => {
            if let Ok(object) = Object::from_json_value(wanted) {
                out.writes.push(Write::Create {
                    object,
                    owner: service.clone(),
                    success: None,
                    failure: None,
                });
            }
        }
    }
    out
}

/// Deletes an Endpoints object this controller made once its Service is gone.
pub(crate) fn reconcile_orphan(endpoints: &Rc<Object>, view: &ControllerView<'_>) -> Reconciled {
    let mut out = Reconciled::default();
    let managed = endpoints.metadata().labels.as_ref().is_some_and(|l| {
        l.get(MANAGED_BY)
            .is_some_and(|v| v == "endpoint-controller")
    });
    if !managed || is_terminating(endpoints) {
        return out;
    }
    let service_exists = view
        .list_in("services", endpoints.namespace())
        .iter()
        .any(|s| s.name() == endpoints.name());
    if !service_exists {
        out.writes.push(Write::Delete {
            target: endpoints.clone(),
            owner: None,
            event: None,
        });
    }
    out
}
