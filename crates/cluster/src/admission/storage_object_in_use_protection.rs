//! StorageObjectInUseProtection (plugin/pkg/admission/storage/storageobjectinuseprotection):
//! every new PersistentVolumeClaim gets the `kubernetes.io/pvc-protection` finalizer and every
//! new PersistentVolume `kubernetes.io/pv-protection`, so that neither disappears while in use
//! (the protection controllers remove them).

use model::Object;

use super::{AdmissionRequest, Operation};
use crate::api::ApiError;

pub(super) fn admit(request: &AdmissionRequest<'_>, object: &mut Object) -> Result<(), ApiError> {
    if request.operation != Operation::Create {
        return Ok(());
    }
    let finalizer = match object {
        Object::PersistentVolumeClaim(_) => "kubernetes.io/pvc-protection",
        Object::PersistentVolume(_) => "kubernetes.io/pv-protection",
        _ => return Ok(()),
    };
    let finalizers = object
        .metadata_mut()
        .finalizers
        .get_or_insert_with(Vec::new);
    if !finalizers.iter().any(|f| f == finalizer) {
        finalizers.push(finalizer.to_string());
    }
    Ok(())
}
