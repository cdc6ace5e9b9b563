//! Builds the table `kubectl explain` reads: the JSON schemas k8s-openapi derives for every kind
//! the playground serves (with the API's field descriptions), each definition once, reduced to
//! what explain prints, deflated into `$OUT_DIR/explain.json.deflate`.
//!
//! The schemas are reshaped the way the API server's OpenAPI v3 document has them: a property
//! that refers to another definition is `{"allOf": [{"$ref": …}], "description": …}`, so the
//! field's own description and the referred type's are both at hand.

use std::collections::BTreeMap;

use k8s_openapi::api;
use serde_json::{json, Map, Value};

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    let mut generator = schemars::SchemaGenerator::default();
    let mut roots: BTreeMap<String, Value> = BTreeMap::new();
    macro_rules! kinds {
        ($($group:literal $version:literal $kind:literal => $ty:ty;)*) => {
            $(
                let schema = generator.subschema_for::<$ty>();
                let schema = serde_json::to_value(&schema).unwrap_or_default();
                let name = schema
                    .get("$ref")
                    .and_then(Value::as_str)
                    .map(short_ref)
                    .unwrap_or_default();
                roots.insert(format!("{}/{}/{}", $group, $version, $kind), Value::String(name));
            )*
        };
    }
    kinds! {
        "" "v1" "ConfigMap" => api::core::v1::ConfigMap;
        "" "v1" "Endpoints" => api::core::v1::Endpoints;
        "" "v1" "Event" => api::core::v1::Event;
        "" "v1" "LimitRange" => api::core::v1::LimitRange;
        "" "v1" "Namespace" => api::core::v1::Namespace;
        "" "v1" "Node" => api::core::v1::Node;
        "" "v1" "PersistentVolumeClaim" => api::core::v1::PersistentVolumeClaim;
        "" "v1" "PersistentVolume" => api::core::v1::PersistentVolume;
        "" "v1" "Pod" => api::core::v1::Pod;
        "" "v1" "ReplicationController" => api::core::v1::ReplicationController;
        "" "v1" "ResourceQuota" => api::core::v1::ResourceQuota;
        "" "v1" "Secret" => api::core::v1::Secret;
        "" "v1" "ServiceAccount" => api::core::v1::ServiceAccount;
        "" "v1" "Service" => api::core::v1::Service;
        "apps" "v1" "DaemonSet" => api::apps::v1::DaemonSet;
        "apps" "v1" "Deployment" => api::apps::v1::Deployment;
        "apps" "v1" "ReplicaSet" => api::apps::v1::ReplicaSet;
        "apps" "v1" "ControllerRevision" => api::apps::v1::ControllerRevision;
        "apps" "v1" "StatefulSet" => api::apps::v1::StatefulSet;
        "autoscaling" "v2" "HorizontalPodAutoscaler" => api::autoscaling::v2::HorizontalPodAutoscaler;
        "autoscaling" "v1" "HorizontalPodAutoscaler" => api::autoscaling::v1::HorizontalPodAutoscaler;
        "batch" "v1" "CronJob" => api::batch::v1::CronJob;
        "batch" "v1" "Job" => api::batch::v1::Job;
        "coordination.k8s.io" "v1" "Lease" => api::coordination::v1::Lease;
        "discovery.k8s.io" "v1" "EndpointSlice" => api::discovery::v1::EndpointSlice;
        "events.k8s.io" "v1" "Event" => api::events::v1::Event;
        "networking.k8s.io" "v1" "IngressClass" => api::networking::v1::IngressClass;
        "networking.k8s.io" "v1" "Ingress" => api::networking::v1::Ingress;
        "networking.k8s.io" "v1" "NetworkPolicy" => api::networking::v1::NetworkPolicy;
        "policy" "v1" "PodDisruptionBudget" => api::policy::v1::PodDisruptionBudget;
        "rbac.authorization.k8s.io" "v1" "ClusterRoleBinding" => api::rbac::v1::ClusterRoleBinding;
        "rbac.authorization.k8s.io" "v1" "ClusterRole" => api::rbac::v1::ClusterRole;
        "rbac.authorization.k8s.io" "v1" "RoleBinding" => api::rbac::v1::RoleBinding;
        "rbac.authorization.k8s.io" "v1" "Role" => api::rbac::v1::Role;
        "scheduling.k8s.io" "v1" "PriorityClass" => api::scheduling::v1::PriorityClass;
        "storage.k8s.io" "v1" "StorageClass" => api::storage::v1::StorageClass;
    }
    let mut defs = Map::new();
    for (name, schema) in generator.definitions() {
        defs.insert(name.clone(), reshape(schema, false));
    }
    // k8s-openapi lists the fields its Rust types do not wrap in Option (metadata, often spec)
    // as required on the kinds themselves; the API's schema requires none there.
    for root in roots.values().filter_map(Value::as_str) {
        if let Some(schema) = defs.get_mut(root).and_then(Value::as_object_mut) {
            schema.remove("required");
        }
    }
    let table = json!({ "roots": roots, "defs": defs });
    let text = serde_json::to_vec(&table).unwrap_or_default();
    let out = std::env::var("OUT_DIR").unwrap_or_else(|_| ".".to_string());
    let path = std::path::Path::new(&out).join("explain.json");
    if let Err(e) = std::fs::write(&path, &text) {
        panic!("writing {}: {e}", path.display());
    }
    // Measured for kubectl 1.37 / k8s-openapi 0.29 (36 kinds): ~513 KB of JSON; ~77 KB once the
    // page is served brotli-compressed. Stored plain on purpose: deflated (~105 KB) it was
    // incompressible to the transfer's brotli and cost the page 28 KB more.
}

/// `#/$defs/io.k8s.api.core.v1.PodSpec` → `io.k8s.api.core.v1.PodSpec`.
fn short_ref(reference: &str) -> String {
    reference
        .rsplit('/')
        .next()
        .unwrap_or(reference)
        .to_string()
}

/// Keeps what explain prints and reshapes references as the OpenAPI v3 document has them.
fn reshape(schema: &Value, is_property: bool) -> Value {
    let Some(object) = schema.as_object() else {
        return schema.clone();
    };
    let mut out = Map::new();
    if let Some(reference) = object.get("$ref").and_then(Value::as_str) {
        let reference = Value::String(short_ref(reference));
        if is_property || object.contains_key("description") {
            out.insert("allOf".into(), json!([{ "$ref": reference }]));
        } else {
            out.insert("$ref".into(), reference);
        }
    }
    for key in ["description", "type", "required"] {
        if let Some(value) = object.get(key) {
            let value = match value {
                // `"type": ["string", "null"]` (an optional field) is the first type.
                Value::Array(types) if key == "type" => types
                    .iter()
                    .find(|t| t.as_str() != Some("null"))
                    .cloned()
                    .unwrap_or(Value::Null),
                other => other.clone(),
            };
            if !value.is_null() {
                out.insert(key.into(), value);
            }
        }
    }
    if let Some(properties) = object.get("properties").and_then(Value::as_object) {
        let properties: Map<String, Value> = properties
            .iter()
            .map(|(k, v)| (k.clone(), reshape(v, true)))
            .collect();
        out.insert("properties".into(), Value::Object(properties));
    }
    if let Some(items) = object.get("items") {
        out.insert("items".into(), reshape(items, false));
    }
    if let Some(additional) = object.get("additionalProperties") {
        if additional.is_object() {
            out.insert("additionalProperties".into(), reshape(additional, false));
        }
    }
    if let Some(all_of) = object.get("allOf").and_then(Value::as_array) {
        let all_of: Vec<Value> = all_of.iter().map(|s| reshape(s, false)).collect();
        out.insert("allOf".into(), Value::Array(all_of));
    }
    Value::Object(out)
}
