//! The status half of the simulated ingress-nginx controller: every Ingress of class `nginx`
//! gets the controller Service's external address in `status.loadBalancer` once the controller
//! has a ready pod (as `--publish-service` makes ingress-nginx do), with its `Sync` event.
//! Ingresses of other classes are left alone, as on a real cluster where nothing serves them.
//! (The routing half is in `traffic`.)

use std::rc::Rc;

use model::Object;
use serde_json::json;

use super::{ControllerView, EventToRecord, Reconciled, Write};
use crate::events::EventType;
use crate::traffic::INGRESS_CLASS;

pub(crate) fn reconcile(ingress: &Rc<Object>, view: &ControllerView<'_>) -> Reconciled {
    let mut out = Reconciled::default();
    if super::is_terminating(ingress) {
        return out;
    }
    let value = ingress.to_json_value();
    let class = value["spec"]["ingressClassName"]
        .as_str()
        .or(value["metadata"]["annotations"]["kubernetes.io/ingress.class"].as_str());
    if class != Some(INGRESS_CLASS) {
        return out;
    }
    let controller_ready = view
        .get("deployments", "ingress-nginx", "ingress-nginx-controller")
        .is_some_and(|d| {
            d.to_json_value()["status"]["readyReplicas"]
                .as_i64()
                .unwrap_or(0)
                > 0
        });
    let address = view
        .get("services", "ingress-nginx", "ingress-nginx-controller")
        .and_then(|s| {
            s.to_json_value()["status"]["loadBalancer"]["ingress"][0]["ip"]
                .as_str()
                .map(str::to_string)
        });
    let wanted = match (controller_ready, address) {
        (true, Some(ip)) => json!({ "ingress": [ { "ip": ip } ] }),
        _ => return out,
    };
    let current = &value["status"]["loadBalancer"];
    if *current == wanted {
        return out;
    }
    if current.get("ingress").is_none() {
        out.writes.push(Write::EventFrom {
            involved: ingress.clone(),
            event: EventToRecord {
                event_type: EventType::Normal,
                reason: "Sync",
                message: "Scheduled for sync".into(),
            },
            component: "nginx-ingress-controller".into(),
        });
    }
    let mut status = value.clone();
    status["status"]["loadBalancer"] = wanted;
    if let Some(meta) = status["metadata"].as_object_mut() {
        meta.remove("resourceVersion");
    }
    out.writes.extend(
        Object::from_json_value(status)
            .ok()
            .map(Write::UpdateStatus),
    );
    out
}
