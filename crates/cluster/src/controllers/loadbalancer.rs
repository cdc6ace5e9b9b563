//! The load-balancer controller a bare-metal cluster adds (MetalLB's, in layer-2 mode): a
//! Service of type LoadBalancer gets the lowest free address of the pool
//! ([`ADDRESS_POOL_FIRST`]–[`ADDRESS_POOL_LAST`], inside the kind network) in
//! `status.loadBalancer.ingress`, with an `IPAllocated` event; when the pool is exhausted it
//! stays `<pending>` with `AllocationFailed`. An address asked for in `spec.loadBalancerIP` is
//! honoured when free. A Service that is no longer of type LoadBalancer gives its address back.

use std::collections::BTreeSet;
use std::rc::Rc;

use model::Object;
use serde_json::{json, Value};

use super::{ControllerView, EventToRecord, Reconciled, Write};
use crate::events::EventType;

/// The pool: 172.18.255.200 – 172.18.255.250.
pub const ADDRESS_POOL_FIRST: u8 = 200;
pub const ADDRESS_POOL_LAST: u8 = 250;
const POOL_PREFIX: &str = "172.18.255.";

fn ingress_addresses(service: &Value) -> Vec<String> {
    service["status"]["loadBalancer"]["ingress"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|i| i["ip"].as_str().map(str::to_string))
        .collect()
}

fn with_ingress(service: &Value, ingress: Value) -> Option<Write> {
    let mut status = service.clone();
    status["status"]["loadBalancer"] = ingress;
    if let Some(meta) = status["metadata"].as_object_mut() {
        meta.remove("resourceVersion");
    }
    Object::from_json_value(status)
        .ok()
        .map(Write::UpdateStatus)
}

pub(crate) fn reconcile(service: &Rc<Object>, view: &ControllerView<'_>) -> Reconciled {
    let mut out = Reconciled::default();
    if super::is_terminating(service) {
        return out;
    }
    let value = service.to_json_value();
    let current = ingress_addresses(&value);
    if value["spec"]["type"] != "LoadBalancer" {
        if !current.is_empty() {
            out.writes.extend(with_ingress(&value, json!({})));
        }
        return out;
    }
    if !current.is_empty() {
        return out;
    }
    let taken: BTreeSet<String> = view
        .list_in_cluster("services")
        .iter()
        .filter(|s| s.metadata().uid != service.metadata().uid)
        .flat_map(|s| ingress_addresses(&s.to_json_value()))
        .collect();
    let wanted = value["spec"]["loadBalancerIP"]
        .as_str()
        .filter(|ip| !ip.is_empty())
        .map(str::to_string);
    let address = match wanted {
        Some(ip) if !taken.contains(&ip) => Some(ip),
        Some(_) => None,
        None => (ADDRESS_POOL_FIRST..=ADDRESS_POOL_LAST)
            .map(|n| format!("{POOL_PREFIX}{n}"))
            .find(|ip| !taken.contains(ip)),
    };
    let key = format!("{}/{}", service.namespace(), service.name());
    match address {
        Some(ip) => {
            out.writes.extend(with_ingress(
                &value,
                json!({ "ingress": [ { "ip": ip, "ipMode": "VIP" } ] }),
            ));
            out.writes.push(Write::EventFrom {
                involved: service.clone(),
                event: EventToRecord {
                    event_type: EventType::Normal,
                    reason: "IPAllocated",
                    message: format!("Assigned IP [\"{ip}\"]"),
                },
                component: "metallb-controller".into(),
            });
        }
        None => {
            let since = crate::SimTime(view.now.0.saturating_sub(59_999));
            if !view.event_recorded_since(service, "AllocationFailed", since) {
                out.writes.push(Write::EventFrom {
                    involved: service.clone(),
                    event: EventToRecord {
                        event_type: EventType::Warning,
                        reason: "AllocationFailed",
                        message: format!("Failed to allocate IP for \"{key}\": no available IPs"),
                    },
                    component: "metallb-controller".into(),
                });
            }
            out.requeue_no_later_than(crate::SimTime(view.now.0 + 60_000));
        }
    }
    out
}
