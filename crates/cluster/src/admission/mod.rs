//! The admission chain, run on every create and update after defaulting: mutating plugins
//! (which may change the object), then the API server's validation, then validating plugins
//! (which may only refuse). Plugins run in upstream's order (`AllOrderedPlugins`):
//!
//! - mutating: NamespaceLifecycle, [`limit_ranger`] (container defaults), [`service_account`],
//!   [`priority`], [`default_storage_class`], [`default_ingress_class`],
//!   [`storage_object_in_use_protection`];
//! - validating: [`limit_ranger`] (min / max / ratio), [`priority`] (one global default),
//!   [`resource_quota`] (last: it charges the quota only once everything else has agreed).
//!
//! A plugin's refusal is `admission.NewForbidden`: `pods "x" is forbidden: <reason>` (see
//! [`forbidden`]).

mod default_ingress_class;
mod default_storage_class;
mod default_toleration_seconds;
mod limit_ranger;
mod persistent_volume_claim_resize;
mod pod_security;
mod priority;
pub mod resource_quota;
mod resources;
mod service_account;
mod storage_object_in_use_protection;

use std::fmt::Display;

use model::{Object, ResourceType};

use crate::api::{ApiError, Store, StoreExt};
use crate::clock::SimTime;

pub use service_account::default_service_account;

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
    limit_ranger::admit(request, object)?;
    service_account::admit(request, object)?;
    priority::admit(request, object)?;
    default_toleration_seconds::admit(request, object)?;
    default_storage_class::admit(request, object)?;
    default_ingress_class::admit(request, object)?;
    storage_object_in_use_protection::admit(request, object)?;
    Ok(())
}

/// Validating admission: may refuse, never changes the object. Returns the objects whose status
/// the API server must write along with this request (ResourceQuota usage).
pub fn admit_validating(
    request: &AdmissionRequest<'_>,
    object: &Object,
) -> Result<Vec<Object>, ApiError> {
    limit_ranger::validate(request, object)?;
    priority::validate(request, object)?;
    persistent_volume_claim_resize::validate(request, object)?;
    resource_quota::validate(request, object)
}

/// PodSecurity (validating): the enforce level's refusal of a pod, else the warnings for the
/// client (warn level, and an enforce label that existing pods violate).
pub fn pod_security(
    request: &AdmissionRequest<'_>,
    object: &Object,
) -> Result<Vec<String>, ApiError> {
    pod_security::validate(request, object)
}

/// `admission.NewForbidden`: `<resource> "<name>" is forbidden: <reason>`, 403. The name is the
/// object's name, else its generateName, else `Unknown`.
pub(crate) fn forbidden(object: &Object, reason: impl Display) -> ApiError {
    let metadata = object.metadata();
    let name = metadata
        .name
        .as_deref()
        .filter(|n| !n.is_empty())
        .or(metadata.generate_name.as_deref().filter(|n| !n.is_empty()))
        .unwrap_or("Unknown");
    ApiError {
        reason: "Forbidden",
        code: 403,
        message: format!(
            "{} \"{name}\" is forbidden: {reason}",
            object.resource_type().qualified_plural()
        ),
    }
}

/// The registry entry of a core or named-group resource by plural (`limitranges`).
pub(crate) fn resource_type(plural: &str, group: &str) -> Option<&'static ResourceType> {
    model::registry::RESOURCE_TYPES
        .iter()
        .find(|r| r.plural == plural && r.group == group)
}

/// Every object of a resource in one namespace (all namespaces for cluster-scoped resources),
/// ordered by name.
pub(crate) fn list(
    store: &Store,
    plural: &str,
    group: &str,
    namespace: &str,
) -> Vec<std::rc::Rc<Object>> {
    match resource_type(plural, group) {
        Some(resource) => store.list(resource, Some(namespace)),
        None => Vec::new(),
    }
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
