//! The admission chain, run on every create and update after defaulting: mutating plugins
//! (which may change the object), then the API server's validation, then validating plugins
//! (which may only refuse). Plugins run in upstream's order.
//!
//! Today: NamespaceLifecycle. The object-model issue adds LimitRanger, ServiceAccount,
//! DefaultStorageClass, Priority and ResourceQuota here, one file each.

use model::Object;

use crate::api::{ApiError, Store};
use crate::clock::SimTime;

/// What the request does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Operation {
    Create,
    Update,
}

/// Everything a plugin may look at besides the object itself.
pub struct AdmissionRequest<'a> {
    pub operation: Operation,
    /// The stored object, on update.
    pub old: Option<&'a Object>,
    pub store: &'a Store,
    pub now: SimTime,
}

/// Mutating admission: may change the object (defaults from LimitRanges, the service account,
/// priority, the default storage class).
pub fn admit_mutating(request: &AdmissionRequest<'_>, object: &mut Object) -> Result<(), ApiError> {
    namespace_lifecycle(request, object)?;
    Ok(())
}

/// Validating admission: may refuse, never changes the object. Returns the objects whose status
/// the API server must write along with this request (ResourceQuota usage).
pub fn admit_validating(
    request: &AdmissionRequest<'_>,
    object: &Object,
) -> Result<Vec<Object>, ApiError> {
    let _ = (request, object);
    Ok(Vec::new())
}

/// NamespaceLifecycle: no object in a namespace that does not exist or is being deleted.
fn namespace_lifecycle(request: &AdmissionRequest<'_>, object: &Object) -> Result<(), ApiError> {
    if !object.resource_type().namespaced || request.operation != Operation::Create {
        return Ok(());
    }
    let namespaces = model::registry::resolve("namespaces").expect("namespaces are registered");
    let namespace_name = object.namespace();
    let key = crate::api::ObjectKey {
        resource: "namespaces",
        namespace: "".into(),
        name: namespace_name.into(),
    };
    let Some(namespace) = request.store.get(&key) else {
        return Err(ApiError::not_found(namespaces, namespace_name));
    };
    if namespace.metadata().deletion_timestamp.is_some() {
        return Err(ApiError {
            reason: "Forbidden",
            code: 403,
            message: format!(
                "{} \"{}\" is forbidden: unable to create new content in namespace {namespace_name} because it is being terminated",
                object.resource_type().qualified_plural(),
                object.name()
            ),
        });
    }
    Ok(())
}
