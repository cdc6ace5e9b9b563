//! DefaultStorageClass (plugin/pkg/admission/storage/storageclass/setdefault), on
//! PersistentVolumeClaim create: a claim that names no class (neither `storageClassName`, even
//! empty, nor the beta annotation) gets the default StorageClass — the one annotated
//! `storageclass.kubernetes.io/is-default-class: "true"` (or the beta annotation); with several,
//! the newest, then the first by name. Without a default class the claim is left as it is.

use model::sort::SortSlice;
use model::Object;

use super::{AdmissionRequest, Operation};
use crate::api::ApiError;

const IS_DEFAULT: &str = "storageclass.kubernetes.io/is-default-class";
const BETA_IS_DEFAULT: &str = "storageclass.beta.kubernetes.io/is-default-class";
const BETA_CLASS_ANNOTATION: &str = "volume.beta.kubernetes.io/storage-class";

pub(super) fn admit(request: &AdmissionRequest<'_>, object: &mut Object) -> Result<(), ApiError> {
    if request.operation != Operation::Create {
        return Ok(());
    }
    let Object::PersistentVolumeClaim(claim) = object else {
        return Ok(());
    };
    let has_class = claim
        .metadata
        .annotations
        .as_ref()
        .is_some_and(|a| a.contains_key(BETA_CLASS_ANNOTATION))
        || claim
            .spec
            .as_ref()
            .is_some_and(|s| s.storage_class_name.is_some());
    if has_class {
        return Ok(());
    }
    if let Some(name) = default_class(request) {
        claim
            .spec
            .get_or_insert_with(Default::default)
            .storage_class_name = Some(name);
    }
    Ok(())
}

fn default_class(request: &AdmissionRequest<'_>) -> Option<String> {
    let classes = super::list(request.store, "storageclasses", "storage.k8s.io", "");
    let mut defaults: Vec<_> = classes
        .iter()
        .filter_map(|object| match &**object {
            Object::StorageClass(class) => Some(class),
            _ => None,
        })
        .filter(|class| {
            class.metadata.annotations.as_ref().is_some_and(|a| {
                a.get(IS_DEFAULT).map(String::as_str) == Some("true")
                    || a.get(BETA_IS_DEFAULT).map(String::as_str) == Some("true")
            })
        })
        .collect();
    // Newest first, then by name.
    defaults.sort_stable_by(|a, b| {
        let created = |c: &model::k8s_openapi::api::storage::v1::StorageClass| {
            c.metadata.creation_timestamp.as_ref().map(|t| t.0)
        };
        created(b)
            .cmp(&created(a))
            .then_with(|| a.metadata.name.cmp(&b.metadata.name))
    });
    defaults.first().and_then(|c| c.metadata.name.clone())
}
