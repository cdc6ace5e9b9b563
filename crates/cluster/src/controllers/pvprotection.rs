//! The storage-object-in-use protection controllers (`pvc-protection`, `pv-protection`): a
//! claim being deleted keeps its `kubernetes.io/pvc-protection` finalizer while a pod that has
//! not finished uses it; a volume being deleted keeps `kubernetes.io/pv-protection` while it is
//! Bound. (The finalizers are added by the StorageObjectInUseProtection admission plugin.)

use std::rc::Rc;

use model::Object;

use super::{is_terminating, pod_phase, ControllerView, Reconciled, Write};

pub(crate) const CLAIM_FINALIZER: &str = "kubernetes.io/pvc-protection";
pub(crate) const VOLUME_FINALIZER: &str = "kubernetes.io/pv-protection";

fn without_finalizer(object: &Object, finalizer: &str) -> Option<Write> {
    let mut value = object.to_json_value();
    let finalizers = value["metadata"]["finalizers"].as_array_mut()?;
    let before = finalizers.len();
    finalizers.retain(|f| f.as_str() != Some(finalizer));
    if finalizers.len() == before {
        return None;
    }
    if let Some(meta) = value["metadata"].as_object_mut() {
        meta.remove("resourceVersion");
    }
    Object::from_json_value(value).ok().map(Write::Update)
}

/// Whether a pod that has not finished mounts the claim.
fn claim_in_use(claim: &Object, view: &ControllerView<'_>) -> bool {
    view.pods_in(claim.namespace()).iter().any(|pod| {
        let Object::Pod(typed) = &**pod else {
            return false;
        };
        let finished = matches!(pod_phase(pod), "Succeeded" | "Failed");
        !finished
            && typed
                .spec
                .as_ref()
                .and_then(|s| s.volumes.as_ref())
                .into_iter()
                .flatten()
                .any(|v| {
                    v.persistent_volume_claim
                        .as_ref()
                        .is_some_and(|c| c.claim_name == claim.name())
                })
    })
}

pub(crate) fn reconcile_claim(claim: &Rc<Object>, view: &ControllerView<'_>) -> Reconciled {
    let mut out = Reconciled::default();
    if is_terminating(claim) && !claim_in_use(claim, view) {
        out.writes.extend(without_finalizer(claim, CLAIM_FINALIZER));
    }
    out
}

pub(crate) fn reconcile_volume(volume: &Rc<Object>, _view: &ControllerView<'_>) -> Reconciled {
    let mut out = Reconciled::default();
    let bound = volume.to_json_value()["status"]["phase"] == "Bound";
    if is_terminating(volume) && !bound {
        out.writes
            .extend(without_finalizer(volume, VOLUME_FINALIZER));
    }
    out
}
