//! The expand controller (pkg/controller/volume/expand): when a Bound claim asks for more
//! storage than its volume has, it looks for an in-tree plugin that can grow the volume. The
//! volumes of this cluster (the local-path provisioner's hostPath volumes, CSI volumes) have
//! none, so — as on a kind cluster — it only says it is waiting for an external resizer:
//! Warning `ExternalExpanding` "waiting for an external controller to expand this PVC", once
//! per requested size. No resizer runs here, so the claim keeps its capacity (`kubectl get pvc`
//! shows the old CAPACITY), exactly as local-path behaves.
//!
//! Pure: the size it last reported for a claim comes in and goes out (upstream reacts to the
//! claim's update events; this is what stands in for them).

use std::rc::Rc;

use model::quantity::Quantity;
use model::Object;

use super::{ControllerView, EventToRecord, Reconciled, Write};
use crate::events::EventType;

/// The component upstream's expand controller records events as.
const COMPONENT: &str = "volume_expand";

fn storage(
    quantity: Option<&model::k8s_openapi::apimachinery::pkg::api::resource::Quantity>,
) -> Option<i128> {
    Quantity::parse(&quantity?.0).ok().map(|q| q.value())
}

/// Returns the writes and the requested size reported (to pass in next time).
pub(crate) fn reconcile(
    claim: &Rc<Object>,
    _view: &ControllerView<'_>,
    reported: Option<&str>,
) -> (Reconciled, Option<String>) {
    let mut reconciled = Reconciled::default();
    let Object::PersistentVolumeClaim(typed) = &**claim else {
        return (reconciled, None);
    };
    let requested_text = typed
        .spec
        .as_ref()
        .and_then(|s| s.resources.as_ref())
        .and_then(|r| r.requests.as_ref())
        .and_then(|r| r.get("storage"));
    let status = typed.status.as_ref();
    let bound = status.and_then(|s| s.phase.as_deref()) == Some("Bound");
    let capacity = storage(
        status
            .and_then(|s| s.capacity.as_ref())
            .and_then(|c| c.get("storage")),
    );
    let (Some(requested), Some(capacity)) = (storage(requested_text), capacity) else {
        return (reconciled, None);
    };
    if !bound || requested <= capacity {
        return (reconciled, None);
    }
    let requested_text = requested_text.map(|q| q.0.clone()).unwrap_or_default();
    if reported != Some(requested_text.as_str()) {
        reconciled.writes.push(Write::EventFrom {
            involved: claim.clone(),
            event: EventToRecord {
                event_type: EventType::Warning,
                reason: "ExternalExpanding",
                message: "waiting for an external controller to expand this PVC".into(),
            },
            component: COMPONENT.into(),
        });
    }
    (reconciled, Some(requested_text))
}
