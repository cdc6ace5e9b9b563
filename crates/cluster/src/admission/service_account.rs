//! ServiceAccount (plugin/pkg/admission/serviceaccount), on Pod create: a Pod runs as the
//! `default` service account unless it names one (model's defaulting already fills the name),
//! the account must exist, and a Pod without `imagePullSecrets` takes the account's.
//!
//! Refusal: `error looking up service account <ns>/<name>: serviceaccount "<name>" not found`.
//! The projected API-token volume (`kube-api-access-xxxxx`) that upstream mounts is not
//! simulated yet.

use model::k8s_openapi::api::core::v1::ServiceAccount;
use model::Object;

use super::{forbidden, AdmissionRequest, Operation};
use crate::api::{ApiError, ObjectKey};

const DEFAULT_SERVICE_ACCOUNT: &str = "default";

fn service_account(
    request: &AdmissionRequest<'_>,
    namespace: &str,
    name: &str,
) -> Option<ServiceAccount> {
    let key = ObjectKey {
        resource: "serviceaccounts",
        namespace: namespace.into(),
        name: name.into(),
    };
    match request.store.get(&key).map(|o| &**o) {
        Some(Object::ServiceAccount(account)) => Some((**account).clone()),
        _ => None,
    }
}

pub(super) fn admit(request: &AdmissionRequest<'_>, object: &mut Object) -> Result<(), ApiError> {
    if request.operation != Operation::Create {
        return Ok(());
    }
    let namespace = object.namespace().to_string();
    let Object::Pod(pod) = object else {
        return Ok(());
    };
    let Some(spec) = pod.spec.as_mut() else {
        return Ok(());
    };
    let name = match spec.service_account_name.as_deref() {
        Some(name) if !name.is_empty() => name.to_string(),
        _ => DEFAULT_SERVICE_ACCOUNT.to_string(),
    };
    spec.service_account_name = Some(name.clone());
    let Some(account) = service_account(request, &namespace, &name) else {
        return Err(forbidden(
            object,
            format!(
                "error looking up service account {namespace}/{name}: serviceaccount \"{name}\" not found"
            ),
        ));
    };
    if spec
        .image_pull_secrets
        .as_ref()
        .is_none_or(|s| s.is_empty())
    {
        if let Some(secrets) = account.image_pull_secrets.filter(|s| !s.is_empty()) {
            spec.image_pull_secrets = Some(secrets);
        }
    }
    Ok(())
}

/// The `default` ServiceAccount the serviceaccount controller puts in every namespace.
pub fn default_service_account(namespace: &str) -> Object {
    let account = ServiceAccount {
        metadata: model::k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta {
            name: Some(DEFAULT_SERVICE_ACCOUNT.to_string()),
            namespace: Some(namespace.to_string()),
            ..Default::default()
        },
        ..Default::default()
    };
    Object::ServiceAccount(Box::new(account))
}
