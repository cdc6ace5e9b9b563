//! PersistentVolumeClaimResize (plugin/pkg/admission/storage/persistentvolume/resize), on
//! PersistentVolumeClaim update: a claim may only grow when it is Bound and its StorageClass (the
//! same before and after) sets `allowVolumeExpansion: true`. Shrinking and unchanged sizes are
//! left to validation.

use model::quantity::Quantity;
use model::Object;

use super::{AdmissionRequest, Operation};
use crate::api::ApiError;

fn requested_storage(object: &Object) -> Option<i128> {
    let Object::PersistentVolumeClaim(claim) = object else {
        return None;
    };
    let text = &claim
        .spec
        .as_ref()?
        .resources
        .as_ref()?
        .requests
        .as_ref()?
        .get("storage")?
        .0;
    Quantity::parse(text).ok().map(|q| q.value())
}

fn class_of(object: &Object) -> Option<String> {
    let Object::PersistentVolumeClaim(claim) = object else {
        return None;
    };
    claim
        .metadata
        .annotations
        .as_ref()
        .and_then(|a| a.get("volume.beta.kubernetes.io/storage-class").cloned())
        .or_else(|| claim.spec.as_ref()?.storage_class_name.clone())
        .filter(|c| !c.is_empty())
}

pub(super) fn validate(request: &AdmissionRequest<'_>, object: &Object) -> Result<(), ApiError> {
    if request.operation != Operation::Update {
        return Ok(());
    }
    let (Some(old), Object::PersistentVolumeClaim(_)) = (request.old, object) else {
        return Ok(());
    };
    let (Some(new_size), old_size) = (requested_storage(object), requested_storage(old)) else {
        return Ok(());
    };
    if new_size <= old_size.unwrap_or(0) {
        return Ok(());
    }
    let old_phase = match old {
        Object::PersistentVolumeClaim(claim) => claim.status.as_ref().and_then(|s| s.phase.clone()),
        _ => None,
    };
    if old_phase.as_deref() != Some("Bound") {
        return Err(super::forbidden(
            object,
            "Only bound persistent volume claims can be expanded",
        ));
    }
    let allowed = match (class_of(object), class_of(old)) {
        (Some(new_class), Some(old_class)) if new_class == old_class => {
            super::list(request.store, "storageclasses", "storage.k8s.io", "")
                .iter()
                .any(|class| match &**class {
                    Object::StorageClass(class) => {
                        class.metadata.name.as_deref() == Some(new_class.as_str())
                            && class.allow_volume_expansion == Some(true)
                    }
                    _ => false,
                })
        }
        _ => false,
    };
    if !allowed {
        return Err(super::forbidden(
            object,
            "only dynamically provisioned pvc can be resized and the storageclass that provisions the pvc must support resize",
        ));
    }
    Ok(())
}
