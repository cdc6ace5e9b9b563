//! ServiceAccount (plugin/pkg/admission/serviceaccount), on Pod create: a Pod runs as the
//! `default` service account unless it names one (model's defaulting already fills the name),
//! the account must exist, and a Pod without `imagePullSecrets` takes the account's.
//!
//! Unless the Pod or its account turns `automountServiceAccountToken` off (the Pod's word
//! wins), every container and init container gets the API credentials mounted read-only at
//! `/var/run/secrets/kubernetes.io/serviceaccount` from a projected volume
//! `kube-api-access-xxxxx` (a token, the cluster's CA from `kube-root-ca.crt`, the
//! namespace); a container that already mounts something there keeps it. Mirror pods (the
//! control plane's static pods) are left as they are.
//!
//! Refusal: `error looking up service account <ns>/<name>: serviceaccount "<name>" not found`.

use model::k8s_openapi::api::core::v1::{
    ConfigMapProjection, DownwardAPIProjection, DownwardAPIVolumeFile, KeyToPath,
    ObjectFieldSelector, PodSpec, ProjectedVolumeSource, ServiceAccount,
    ServiceAccountTokenProjection, Volume, VolumeMount, VolumeProjection,
};
use model::Object;

use super::{forbidden, AdmissionRequest, Operation};
use crate::api::{ApiError, ObjectKey};

const DEFAULT_SERVICE_ACCOUNT: &str = "default";

/// Where containers find their API credentials.
pub const API_TOKEN_MOUNT_PATH: &str = "/var/run/secrets/kubernetes.io/serviceaccount";

/// The prefix of the projected volume's name.
const API_ACCESS_VOLUME_PREFIX: &str = "kube-api-access-";

/// The token's lifetime as the plugin asks for it: an hour and seven seconds (the seconds let
/// the kubelet tell it from a token a user asked for).
const API_TOKEN_EXPIRATION_SECONDS: i64 = 3607;

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
    // A mirror pod's spec is the kubelet's file: changing it would make the kubelet delete it.
    let mirror = pod
        .metadata
        .annotations
        .as_ref()
        .is_some_and(|a| a.contains_key("kubernetes.io/config.mirror"));
    if mirror {
        return Ok(());
    }
    let pod_name = pod.metadata.name.clone().unwrap_or_default();
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
        if let Some(secrets) = account.image_pull_secrets.clone().filter(|s| !s.is_empty()) {
            spec.image_pull_secrets = Some(secrets);
        }
    }
    let automount = spec
        .automount_service_account_token
        .or(account.automount_service_account_token)
        .unwrap_or(true);
    if automount {
        let suffix =
            crate::rng::name_suffix_of(&[&namespace, &pod_name, &request.now.0.to_string()], 5);
        mount_api_token(spec, &format!("{API_ACCESS_VOLUME_PREFIX}{suffix}"));
    }
    Ok(())
}

/// Mounts the API credentials into every container and init container that does not mount
/// something at the path already, and adds the projected volume when one of them needed it
/// (a `kube-api-access-` volume the Pod already has is reused).
fn mount_api_token(spec: &mut PodSpec, new_volume_name: &str) {
    let existing = spec
        .volumes
        .iter()
        .flatten()
        .find(|v| v.name.starts_with(API_ACCESS_VOLUME_PREFIX))
        .map(|v| v.name.clone());
    let volume_name = existing
        .clone()
        .unwrap_or_else(|| new_volume_name.to_string());
    let mount = VolumeMount {
        name: volume_name.clone(),
        read_only: Some(true),
        mount_path: API_TOKEN_MOUNT_PATH.to_string(),
        ..Default::default()
    };
    let mut needed = false;
    let containers = spec
        .init_containers
        .iter_mut()
        .flatten()
        .chain(spec.containers.iter_mut());
    for container in containers {
        let mounts = container.volume_mounts.get_or_insert_with(Vec::new);
        if mounts.iter().all(|m| m.mount_path != API_TOKEN_MOUNT_PATH) {
            mounts.push(mount.clone());
            needed = true;
        }
    }
    if needed && existing.is_none() {
        spec.volumes.get_or_insert_with(Vec::new).push(Volume {
            name: volume_name,
            projected: Some(api_access_projection()),
            ..Default::default()
        });
    }
}

/// The projected volume upstream's plugin builds: token, CA bundle, namespace; mode 0644.
fn api_access_projection() -> ProjectedVolumeSource {
    ProjectedVolumeSource {
        default_mode: Some(0o644),
        sources: Some(vec![
            VolumeProjection {
                service_account_token: Some(ServiceAccountTokenProjection {
                    expiration_seconds: Some(API_TOKEN_EXPIRATION_SECONDS),
                    path: "token".to_string(),
                    ..Default::default()
                }),
                ..Default::default()
            },
            VolumeProjection {
                config_map: Some(ConfigMapProjection {
                    name: "kube-root-ca.crt".to_string(),
                    items: Some(vec![KeyToPath {
                        key: "ca.crt".to_string(),
                        path: "ca.crt".to_string(),
                        ..Default::default()
                    }]),
                    ..Default::default()
                }),
                ..Default::default()
            },
            VolumeProjection {
                downward_api: Some(DownwardAPIProjection {
                    items: Some(vec![DownwardAPIVolumeFile {
                        path: "namespace".to_string(),
                        field_ref: Some(ObjectFieldSelector {
                            api_version: Some("v1".to_string()),
                            field_path: "metadata.namespace".to_string(),
                        }),
                        ..Default::default()
                    }]),
                }),
                ..Default::default()
            },
        ]),
        ..Default::default()
    }
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
