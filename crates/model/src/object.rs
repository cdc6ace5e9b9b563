//! [`Object`]: one enum over every supported kind, each variant the real `k8s-openapi` type.

use k8s_openapi::api;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use k8s_openapi::Metadata;

use crate::registry::{ResourceType, RESOURCE_TYPES};

/// Go writes a condition's zero `lastProbeTime` (a struct, which `omitempty` keeps) as `null`:
/// every Pod and PersistentVolumeClaim condition shows `lastProbeTime: null` on a real API
/// server. k8s-openapi leaves the field out, so it is put back here.
fn zero_probe_times_as_null(value: &mut serde_json::Value) {
    if let Some(conditions) = value
        .pointer_mut("/status/conditions")
        .and_then(serde_json::Value::as_array_mut)
    {
        for condition in conditions {
            if let Some(fields) = condition.as_object_mut() {
                fields
                    .entry("lastProbeTime")
                    .or_insert(serde_json::Value::Null);
            }
        }
    }
}

macro_rules! objects {
    ($($variant:ident => $ty:ty),+ $(,)?) => {
        /// A stored or decoded Kubernetes object of one of the supported kinds.
        #[derive(Debug, Clone, PartialEq)]
        pub enum Object {
            $($variant(Box<$ty>),)+
        }

        impl Object {
            /// The object's metadata.
            pub fn metadata(&self) -> &ObjectMeta {
                match self { $(Object::$variant(o) => o.metadata(),)+ }
            }

            /// The object's metadata, to change.
            pub fn metadata_mut(&mut self) -> &mut ObjectMeta {
                match self { $(Object::$variant(o) => o.metadata_mut(),)+ }
            }

            /// `Deployment`.
            pub fn kind(&self) -> &'static str {
                match self { $(Object::$variant(_) => <$ty as k8s_openapi::Resource>::KIND,)+ }
            }

            /// `apps/v1`: the version the object is stored and served at.
            pub fn api_version(&self) -> &'static str {
                match self { $(Object::$variant(_) => <$ty as k8s_openapi::Resource>::API_VERSION,)+ }
            }

            /// `apps`, or empty for the core group.
            pub fn group(&self) -> &'static str {
                match self { $(Object::$variant(_) => <$ty as k8s_openapi::Resource>::GROUP,)+ }
            }

            /// The object as JSON, with `apiVersion` and `kind` first as the API server writes it.
            pub fn to_json_value(&self) -> serde_json::Value {
                let result = match self { $(Object::$variant(o) => serde_json::to_value(o),)+ };
                // Serializing k8s-openapi types into a JSON value cannot fail: every field is a
                // string, number, bool, map or list.
                let mut value = result.unwrap_or(serde_json::Value::Null);
                if matches!(self, Object::Pod(_) | Object::PersistentVolumeClaim(_)) {
                    zero_probe_times_as_null(&mut value);
                }
                value
            }

            /// The typed object for `apiVersion`/`kind` from its JSON, through the one strict
            /// deserializer ([`crate::strict`]); `None` when no variant has that type.
            pub(crate) fn deserialize_typed(
                api_version: &str,
                kind: &str,
                value: serde_json::Value,
                unknown: &crate::strict::UnknownFields,
            ) -> Option<Result<Object, crate::strict::StrictError>> {
                $(
                    if kind == <$ty as k8s_openapi::Resource>::KIND
                        && api_version == <$ty as k8s_openapi::Resource>::API_VERSION
                    {
                        return Some(crate::strict::from_value::<$ty>(value, unknown).map(|o| Object::$variant(Box::new(o))));
                    }
                )+
                None
            }
        }
    };
}

objects! {
    ConfigMap => api::core::v1::ConfigMap,
    Endpoints => api::core::v1::Endpoints,
    Event => api::core::v1::Event,
    LimitRange => api::core::v1::LimitRange,
    Namespace => api::core::v1::Namespace,
    Node => api::core::v1::Node,
    PersistentVolumeClaim => api::core::v1::PersistentVolumeClaim,
    PersistentVolume => api::core::v1::PersistentVolume,
    Pod => api::core::v1::Pod,
    ReplicationController => api::core::v1::ReplicationController,
    ResourceQuota => api::core::v1::ResourceQuota,
    Secret => api::core::v1::Secret,
    ServiceAccount => api::core::v1::ServiceAccount,
    Service => api::core::v1::Service,
    ControllerRevision => api::apps::v1::ControllerRevision,
    DaemonSet => api::apps::v1::DaemonSet,
    Deployment => api::apps::v1::Deployment,
    ReplicaSet => api::apps::v1::ReplicaSet,
    StatefulSet => api::apps::v1::StatefulSet,
    HorizontalPodAutoscaler => api::autoscaling::v2::HorizontalPodAutoscaler,
    HorizontalPodAutoscalerV1 => api::autoscaling::v1::HorizontalPodAutoscaler,
    CronJob => api::batch::v1::CronJob,
    Lease => api::coordination::v1::Lease,
    Job => api::batch::v1::Job,
    EndpointSlice => api::discovery::v1::EndpointSlice,
    EventsEvent => api::events::v1::Event,
    IngressClass => api::networking::v1::IngressClass,
    Ingress => api::networking::v1::Ingress,
    NetworkPolicy => api::networking::v1::NetworkPolicy,
    PodDisruptionBudget => api::policy::v1::PodDisruptionBudget,
    ClusterRoleBinding => api::rbac::v1::ClusterRoleBinding,
    ClusterRole => api::rbac::v1::ClusterRole,
    RoleBinding => api::rbac::v1::RoleBinding,
    Role => api::rbac::v1::Role,
    PriorityClass => api::scheduling::v1::PriorityClass,
    StorageClass => api::storage::v1::StorageClass,
}

impl Object {
    /// The registry entry for this object's resource.
    pub fn resource_type(&self) -> &'static ResourceType {
        let (kind, group) = (self.kind(), self.group());
        RESOURCE_TYPES
            .iter()
            .find(|r| r.kind == kind && r.group == group)
            .expect("every Object variant has a registry entry (tested)")
    }

    /// `metadata.name`, or empty.
    pub fn name(&self) -> &str {
        self.metadata().name.as_deref().unwrap_or("")
    }

    /// `metadata.namespace`, or empty.
    pub fn namespace(&self) -> &str {
        self.metadata().namespace.as_deref().unwrap_or("")
    }

    /// The object as YAML, the way `kubectl get -o yaml` prints a single object.
    pub fn to_yaml(&self) -> String {
        crate::decode::json_to_yaml(&self.to_json_value())
    }

    /// The object with everything but its spec-like content stripped: what is compared to decide
    /// whether an update changed the object (`unchanged` in `kubectl apply`).
    pub fn without_server_fields(&self) -> serde_json::Value {
        let mut value = self.to_json_value();
        if let Some(meta) = value.get_mut("metadata").and_then(|m| m.as_object_mut()) {
            for field in [
                "uid",
                "resourceVersion",
                "generation",
                "creationTimestamp",
                "managedFields",
            ] {
                meta.remove(field);
            }
        }
        if let Some(map) = value.as_object_mut() {
            map.remove("status");
        }
        value
    }

    /// Rebuilds an object from its JSON form (`apiVersion` and `kind` pick the type).
    pub fn from_json_value(value: serde_json::Value) -> Result<Object, crate::DecodeError> {
        let api_version = value
            .get("apiVersion")
            .and_then(|v| v.as_str())
            .unwrap_or("")
            .to_string();
        let kind = value
            .get("kind")
            .and_then(|v| v.as_str())
            .unwrap_or("")
            .to_string();
        let error = |message: String| crate::DecodeError {
            kind: crate::DecodeErrorKind::StrictDecoding,
            document: 0,
            line: None,
            column: None,
            message,
            object_kind: Some(kind.clone()),
            api_version: Some(api_version.clone()),
            object_name: None,
        };
        // Fields a controller's JSON carries beyond the type are dropped, as a typed client would.
        let unknown = crate::strict::UnknownFields::default();
        match Object::deserialize_typed(&api_version, &kind, value, &unknown) {
            Some(Ok(object)) => Ok(object.into_storage_version()),
            Some(Err(e)) => Err(error(e.message)),
            None => Err(error(format!(
                "no matches for kind \"{kind}\" in version \"{api_version}\""
            ))),
        }
    }

    /// Converts versions the API server serves but does not store (autoscaling/v1
    /// HorizontalPodAutoscaler) to the stored version, as the API server's conversion does.
    pub fn into_storage_version(self) -> Object {
        match self {
            Object::HorizontalPodAutoscalerV1(v1) => {
                Object::HorizontalPodAutoscaler(Box::new(hpa_v1_to_v2(*v1)))
            }
            other => other,
        }
    }
}

fn hpa_v1_to_v2(
    v1: api::autoscaling::v1::HorizontalPodAutoscaler,
) -> api::autoscaling::v2::HorizontalPodAutoscaler {
    use api::autoscaling::v2;
    let s = v1.spec;
    let spec = v2::HorizontalPodAutoscalerSpec {
        scale_target_ref: v2::CrossVersionObjectReference {
            api_version: s.scale_target_ref.api_version,
            kind: s.scale_target_ref.kind,
            name: s.scale_target_ref.name,
        },
        min_replicas: s.min_replicas,
        max_replicas: s.max_replicas,
        metrics: s.target_cpu_utilization_percentage.map(|percent| {
            vec![v2::MetricSpec {
                type_: "Resource".to_string(),
                resource: Some(v2::ResourceMetricSource {
                    name: "cpu".to_string(),
                    target: v2::MetricTarget {
                        type_: "Utilization".to_string(),
                        average_utilization: Some(percent),
                        ..Default::default()
                    },
                }),
                ..Default::default()
            }]
        }),
        behavior: None,
    };
    v2::HorizontalPodAutoscaler {
        metadata: v1.metadata,
        spec,
        status: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_registry_entry_has_a_variant_and_back() {
        for r in RESOURCE_TYPES {
            let api_version = r.api_version();
            let json = format!(
                r#"{{"apiVersion":"{api_version}","kind":"{}","metadata":{{"name":"x"}}}}"#,
                r.kind
            );
            let objects =
                crate::decode_documents(&json).unwrap_or_else(|e| panic!("{}: {e}", r.kind));
            assert_eq!(objects[0].resource_type(), r);
        }
    }
}
