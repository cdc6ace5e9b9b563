//! Object validation with the API server's own messages and field paths.
//!
//! This re-expresses the behaviour of upstream's `pkg/apis/core/validation`,
//! `pkg/apis/apps/validation`, `pkg/apis/batch/validation` and
//! `k8s.io/apimachinery/pkg/{api,util}/validation` for the kinds a learner writes by hand:
//! object names, labels and annotations; pod specs (also inside every workload template);
//! Deployments, ReplicaSets, ReplicationControllers, DaemonSets, StatefulSets, Jobs, CronJobs;
//! Services, ConfigMaps, Secrets and PersistentVolumeClaims; and the fields that are immutable
//! on update. Messages follow `field.Error.ErrorBody()`: `Required value`, `Invalid value: <v>`,
//! `Unsupported value: <v>: supported values: …`, `Duplicate value: <v>`, `Not found: <v>`,
//! `Forbidden: …`, with the bad value printed the way Go prints it (`%q` for strings, `%v` for
//! numbers, `%#v` for maps and structs).
//!
//! Validation runs on the defaulted object, as the API server validates after defaulting.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use k8s_openapi::api::apps::v1 as apps;
use k8s_openapi::api::batch::v1 as batch;
use k8s_openapi::api::core::v1 as core;
use k8s_openapi::apimachinery::pkg::api::resource::Quantity;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelector;
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;
use serde_json::Value;

use crate::object::Object;
use crate::selector::Selector;

/// One validation failure: `metadata.name: Invalid value: "Web": a lowercase RFC 1123 …`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

/// The stored object of the same kind, if any.
macro_rules! as_kind {
    ($old:expr, $variant:ident) => {
        match $old {
            Some(Object::$variant(o)) => Some(&**o),
            _ => None,
        }
    };
}

/// Validates an object as the API server does before storing it; `old` is the stored object on
/// update (immutable fields). Returns every field error in upstream's order, duplicates dropped
/// (as `ErrorList.ToAggregate` drops them).
pub fn validate(object: &Object, old: Option<&Object>) -> Vec<FieldError> {
    let mut errs = Errors::default();
    meta(object, old.is_none(), &mut errs);
    match object {
        Object::Pod(pod) => pod_object(pod, as_kind!(old, Pod), &mut errs),
        Object::Deployment(d) => deployment(d, as_kind!(old, Deployment), &mut errs),
        Object::ReplicaSet(rs) => replica_set(rs, as_kind!(old, ReplicaSet), &mut errs),
        Object::ReplicationController(rc) => replication_controller(rc, &mut errs),
        Object::DaemonSet(ds) => daemon_set(ds, as_kind!(old, DaemonSet), &mut errs),
        Object::StatefulSet(ss) => stateful_set(ss, as_kind!(old, StatefulSet), &mut errs),
        Object::Job(job) => job_object(job, as_kind!(old, Job), &mut errs),
        Object::CronJob(cj) => cron_job(cj, as_kind!(old, CronJob), &mut errs),
        Object::Service(svc) => service(svc, as_kind!(old, Service), &mut errs),
        Object::ConfigMap(cm) => config_map(cm, as_kind!(old, ConfigMap), &mut errs),
        Object::Secret(secret) => secret_object(secret, as_kind!(old, Secret), &mut errs),
        Object::PersistentVolumeClaim(pvc) => {
            persistent_volume_claim(pvc, as_kind!(old, PersistentVolumeClaim), &mut errs)
        }
        Object::Role(role) => policy_rules(role.rules.as_deref(), true, &mut errs),
        Object::ClusterRole(role) => policy_rules(role.rules.as_deref(), false, &mut errs),
        Object::RoleBinding(binding) => role_binding(
            &binding.role_ref,
            binding.subjects.as_deref(),
            as_kind!(old, RoleBinding).map(|o| &o.role_ref),
            true,
            &mut errs,
        ),
        Object::ClusterRoleBinding(binding) => role_binding(
            &binding.role_ref,
            binding.subjects.as_deref(),
            as_kind!(old, ClusterRoleBinding).map(|o| &o.role_ref),
            false,
            &mut errs,
        ),
        Object::HorizontalPodAutoscaler(hpa) => horizontal_pod_autoscaler(hpa, &mut errs),
        Object::HorizontalPodAutoscalerV1(hpa) => {
            hpa_replicas(hpa.spec.min_replicas, hpa.spec.max_replicas, &mut errs)
        }
        Object::PodDisruptionBudget(pdb) => pod_disruption_budget(pdb, &mut errs),
        Object::PriorityClass(pc) => priority_class(pc, &mut errs),
        Object::ResourceQuota(quota) => resource_quota(quota, &mut errs),
        Object::LimitRange(range) => limit_range(range, &mut errs),
        Object::PersistentVolume(pv) => persistent_volume(pv, &mut errs),
        Object::StorageClass(class) => storage_class(class, &mut errs),
        _ => {}
    }
    errs.finish()
}

// ---------------------------------------------------------------------------------------------
// Autoscaling, policy, scheduling, quota, storage (pkg/apis/*/validation)
// ---------------------------------------------------------------------------------------------

fn horizontal_pod_autoscaler(
    hpa: &k8s_openapi::api::autoscaling::v2::HorizontalPodAutoscaler,
    errs: &mut Errors,
) {
    let spec = &hpa.spec;
    hpa_replicas(spec.min_replicas, spec.max_replicas, errs);
    if spec.scale_target_ref.kind.is_empty() {
        errs.required("spec.scaleTargetRef.kind", "");
    }
    if spec.scale_target_ref.name.is_empty() {
        errs.required("spec.scaleTargetRef.name", "");
    }
}

/// `minReplicas` at least 1 (scale to zero is an alpha feature), `maxReplicas` above 0 and not
/// below `minReplicas`.
fn hpa_replicas(min: Option<i32>, max: i32, errs: &mut Errors) {
    if let Some(min) = min.filter(|m| *m < 1) {
        errs.invalid(
            "spec.minReplicas",
            &min.to_string(),
            "must be greater than or equal to 1",
        );
    }
    if max < 1 {
        errs.invalid(
            "spec.maxReplicas",
            &max.to_string(),
            "must be greater than 0",
        );
    }
    if let Some(min) = min.filter(|m| max < *m) {
        let _ = min;
        errs.invalid(
            "spec.maxReplicas",
            &max.to_string(),
            "must be greater than or equal to `minReplicas`",
        );
    }
}

fn pod_disruption_budget(
    pdb: &k8s_openapi::api::policy::v1::PodDisruptionBudget,
    errs: &mut Errors,
) {
    let spec = pdb.spec.clone().unwrap_or_default();
    if spec.min_available.is_some() && spec.max_unavailable.is_some() {
        // The whole spec as Go's %#v prints it (pointers as addresses).
        let value = format!(
            "policy.PodDisruptionBudgetSpec{{MinAvailable:{}, Selector:{}, MaxUnavailable:{}, UnhealthyPodEvictionPolicy:{}}}",
            go_pointer("intstr.IntOrString", true),
            go_pointer("v1.LabelSelector", spec.selector.is_some()),
            go_pointer("intstr.IntOrString", true),
            go_pointer(
                "policy.UnhealthyPodEvictionPolicyType",
                spec.unhealthy_pod_eviction_policy.is_some()
            ),
        );
        errs.invalid(
            "spec",
            &value,
            "minAvailable and maxUnavailable cannot be both set",
        );
    }
    for (field, value) in [
        ("spec.minAvailable", &spec.min_available),
        ("spec.maxUnavailable", &spec.max_unavailable),
    ] {
        match value {
            Some(IntOrString::Int(n)) if *n < 0 => {
                errs.invalid(field, &n.to_string(), NEGATIVE);
            }
            Some(IntOrString::String(text)) => {
                let digits = text.strip_suffix('%');
                match digits.filter(|d| !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit())) {
                    None => errs.invalid(field, &quote(text), "a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')"),
                    Some(d) if d.parse::<u64>().map_or(true, |n| n > 100) => {
                        errs.invalid(field, &quote(text), "must not be greater than 100%")
                    }
                    Some(_) => {}
                }
            }
            _ => {}
        }
    }
}

/// The API server's own classes: `system-` names are theirs alone.
const SYSTEM_PRIORITY_CLASSES: &[(&str, i32)] = &[
    ("system-cluster-critical", 2_000_000_000),
    ("system-node-critical", 2_000_001_000),
];

fn priority_class(pc: &k8s_openapi::api::scheduling::v1::PriorityClass, errs: &mut Errors) {
    let name = pc.metadata.name.as_deref().unwrap_or("");
    if name.starts_with("system-") {
        // upstream's IsKnownSystemPriorityClass: the name, then its value, then globalDefault.
        let problem = match SYSTEM_PRIORITY_CLASSES.iter().find(|(n, _)| *n == name) {
            None => Some(format!("{name} is not a known system priority class")),
            Some((_, value)) if pc.value != Some(*value) => {
                Some(format!("value of {name} PriorityClass must be {value}"))
            }
            Some(_) if pc.global_default == Some(true) => Some(format!(
                "globalDefault of {name} PriorityClass must be false"
            )),
            Some(_) => None,
        };
        if let Some(problem) = problem {
            errs.forbidden(
                "metadata.name",
                &format!("priority class names with 'system-' prefix are reserved for system use only. error: {problem}"),
            );
        }
    } else if pc.value.unwrap_or(0) > 1_000_000_000 {
        errs.forbidden(
            "value",
            "maximum allowed value of a user defined priority is 1000000000",
        );
    }
    if let Some(policy) = pc.preemption_policy.as_deref() {
        if !["Never", "PreemptLowerPriority"].contains(&policy) {
            errs.not_supported(
                "preemptionPolicy",
                &quote(policy),
                &["Never", "PreemptLowerPriority"],
            );
        }
    }
}

fn standard_resource(name: &str) -> bool {
    STANDARD_RESOURCES.contains(&name)
        || name.starts_with("hugepages-")
        || name.starts_with("requests.hugepages-")
        || name.starts_with("limits.hugepages-")
}

fn resource_quota(quota: &core::ResourceQuota, errs: &mut Errors) {
    let hard = quota
        .spec
        .as_ref()
        .and_then(|s| s.hard.clone())
        .unwrap_or_default();
    for (name, value) in &hard {
        let path = key("spec.hard", name);
        if !name.contains('/') {
            if !standard_resource(name) {
                errs.invalid(
                    &path,
                    &quote(name),
                    "must be a standard resource type or fully qualified",
                );
                errs.invalid(&path, &quote(name), "must be a standard resource for quota");
            } else if name == "storage" {
                errs.invalid(&path, &quote(name), "must be a standard resource for quota");
            }
        }
        if crate::quantity::Quantity::parse(&value.0).is_ok_and(|q| q.nanos() < 0) {
            errs.invalid(&path, &quote(&value.0), NEGATIVE);
        }
    }
}

/// A `resource.Quantity` as Go's `%#v` prints it in a validation message.
fn go_quantity(text: &str) -> String {
    let (number, suffix) = text
        .find(|c: char| !(c.is_ascii_digit() || c == '.' || c == '-' || c == '+'))
        .map_or((text, ""), |at| text.split_at(at));
    let (binary, multiplier, exponent) = match suffix {
        "Ki" => (true, 1u64 << 10, 0),
        "Mi" => (true, 1 << 20, 0),
        "Gi" => (true, 1 << 30, 0),
        "Ti" => (true, 1 << 40, 0),
        "m" => (false, 1, -3),
        "k" => (false, 1, 3),
        "M" => (false, 1, 6),
        "G" => (false, 1, 9),
        "T" => (false, 1, 12),
        _ => (false, 1, 0),
    };
    let (whole, fraction) = number.split_once('.').unwrap_or((number, ""));
    let mantissa: i64 = format!("{whole}{fraction}").parse().unwrap_or(0);
    let value = mantissa.saturating_mul(multiplier as i64);
    let scale = exponent - fraction.len() as i32;
    format!(
        "resource.Quantity{{i:resource.int64Amount{{value:{value}, scale:{scale}}}, d:resource.infDecAmount{{Dec:(*inf.Dec)(nil)}}, s:\"\", Format:\"{}\"}}",
        if binary { "BinarySI" } else { "DecimalSI" }
    )
}

fn limit_range(range: &core::LimitRange, errs: &mut Errors) {
    let limits = range
        .spec
        .as_ref()
        .map(|s| s.limits.clone())
        .unwrap_or_default();
    for (i, limit) in limits.iter().enumerate() {
        let path = index("spec.limits", i);
        let get = |map: &Option<BTreeMap<String, Quantity>>, k: &str| {
            map.as_ref().and_then(|m| m.get(k)).map(|q| q.0.clone())
        };
        let nanos = |text: &str| crate::quantity::Quantity::parse(text).map_or(0, |q| q.nanos());
        if limit.type_ == "Pod" {
            if limit.default.as_ref().is_some_and(|m| !m.is_empty()) {
                errs.forbidden(
                    &child(&path, "default"),
                    "may not be specified when `type` is 'Pod'",
                );
            }
            if limit
                .default_request
                .as_ref()
                .is_some_and(|m| !m.is_empty())
            {
                errs.forbidden(
                    &child(&path, "defaultRequest"),
                    "may not be specified when `type` is 'Pod'",
                );
            }
        }
        let mut keys: BTreeSet<String> = BTreeSet::new();
        for map in [
            &limit.max,
            &limit.min,
            &limit.default,
            &limit.default_request,
        ] {
            keys.extend(map.iter().flatten().map(|(k, _)| k.clone()));
        }
        for k in &keys {
            let (min, max) = (get(&limit.min, k), get(&limit.max, k));
            let (default, request) = if limit.type_ == "Pod" {
                (None, None)
            } else {
                (get(&limit.default, k), get(&limit.default_request, k))
            };
            let greater = |a: &Option<String>, b: &Option<String>| match (a, b) {
                (Some(a), Some(b)) => nanos(a) > nanos(b),
                _ => false,
            };
            let text = |q: &Option<String>| q.clone().unwrap_or_default();
            if greater(&min, &max) {
                errs.invalid(
                    &key(&child(&path, "min"), k),
                    &go_quantity(&text(&min)),
                    &format!(
                        "min value {} is greater than max value {}",
                        text(&min),
                        text(&max)
                    ),
                );
            }
            if greater(&min, &request) {
                errs.invalid(
                    &key(&child(&path, "defaultRequest"), k),
                    &go_quantity(&text(&request)),
                    &format!(
                        "min value {} is greater than default request value {}",
                        text(&min),
                        text(&request)
                    ),
                );
            }
            if greater(&request, &max) {
                errs.invalid(
                    &key(&child(&path, "defaultRequest"), k),
                    &go_quantity(&text(&request)),
                    &format!(
                        "default request value {} is greater than max value {}",
                        text(&request),
                        text(&max)
                    ),
                );
            }
            if greater(&request, &default) {
                errs.invalid(
                    &key(&child(&path, "defaultRequest"), k),
                    &go_quantity(&text(&request)),
                    &format!(
                        "default request value {} is greater than default limit value {}",
                        text(&request),
                        text(&default)
                    ),
                );
            }
            if greater(&min, &default) {
                errs.invalid(
                    &key(&child(&path, "default"), k),
                    &go_quantity(&text(&min)),
                    &format!(
                        "min value {} is greater than default value {}",
                        text(&min),
                        text(&default)
                    ),
                );
            }
            if greater(&default, &max) {
                errs.invalid(
                    &key(&child(&path, "default"), k),
                    &go_quantity(&text(&default)),
                    &format!(
                        "default value {} is greater than max value {}",
                        text(&default),
                        text(&max)
                    ),
                );
            }
        }
    }
}

fn persistent_volume(pv: &core::PersistentVolume, errs: &mut Errors) {
    let spec = pv.spec.clone().unwrap_or_default();
    if spec.access_modes.as_ref().is_none_or(Vec::is_empty) {
        errs.required("spec.accessModes", "");
    }
    match &spec.capacity {
        None => errs.required("spec.capacity", ""),
        Some(capacity) if !capacity.contains_key("storage") => {
            errs.required("spec.capacity.storage", "");
        }
        _ => {}
    }
    if let Some(policy) = spec.persistent_volume_reclaim_policy.as_deref() {
        if !["Delete", "Recycle", "Retain"].contains(&policy) {
            errs.not_supported(
                "spec.persistentVolumeReclaimPolicy",
                &quote(policy),
                &["Delete", "Recycle", "Retain"],
            );
        }
    }
}

fn storage_class(class: &k8s_openapi::api::storage::v1::StorageClass, errs: &mut Errors) {
    if let Some(policy) = class.reclaim_policy.as_deref() {
        if !["Delete", "Retain"].contains(&policy) {
            errs.not_supported("reclaimPolicy", &quote(policy), &["Delete", "Retain"]);
        }
    }
    if let Some(mode) = class.volume_binding_mode.as_deref() {
        if !["Immediate", "WaitForFirstConsumer"].contains(&mode) {
            errs.not_supported(
                "volumeBindingMode",
                &quote(mode),
                &["Immediate", "WaitForFirstConsumer"],
            );
        }
    }
}

// ---------------------------------------------------------------------------------------------
// RBAC (pkg/apis/rbac/validation)
// ---------------------------------------------------------------------------------------------

const RBAC_GROUP: &str = "rbac.authorization.k8s.io";

/// A Role's or ClusterRole's rules: verbs, and either resources with API groups or (cluster
/// roles only) non-resource URLs.
fn policy_rules(
    rules: Option<&[k8s_openapi::api::rbac::v1::PolicyRule]>,
    namespaced: bool,
    errs: &mut Errors,
) {
    for (i, rule) in rules.unwrap_or_default().iter().enumerate() {
        let path = format!("rules[{i}]");
        if rule.verbs.is_empty() {
            errs.required(
                &format!("{path}.verbs"),
                "verbs must contain at least one value",
            );
        }
        if let Some(urls) = rule.non_resource_urls.as_deref().filter(|u| !u.is_empty()) {
            if namespaced {
                errs.invalid(
                    &format!("{path}.nonResourceURLs"),
                    &go_string_slice(Some(urls)),
                    "namespaced rules cannot apply to non-resource URLs",
                );
            }
            let has_resources = [&rule.api_groups, &rule.resources, &rule.resource_names]
                .iter()
                .any(|list| list.as_ref().is_some_and(|l| !l.is_empty()));
            if has_resources {
                errs.invalid(
                    &format!("{path}.nonResourceURLs"),
                    &go_string_slice(Some(urls)),
                    "rules cannot apply to both regular resources and non-resource URLs",
                );
            }
            continue;
        }
        if rule.api_groups.as_ref().is_none_or(|g| g.is_empty()) {
            errs.required(
                &format!("{path}.apiGroups"),
                "resource rules must supply at least one api group",
            );
        }
        if rule.resources.as_ref().is_none_or(|r| r.is_empty()) {
            errs.required(
                &format!("{path}.resources"),
                "resource rules must supply at least one resource",
            );
        }
    }
}

/// A RoleBinding's or ClusterRoleBinding's roleRef (fixed once created) and subjects.
fn role_binding(
    role_ref: &k8s_openapi::api::rbac::v1::RoleRef,
    subjects: Option<&[k8s_openapi::api::rbac::v1::Subject]>,
    old: Option<&k8s_openapi::api::rbac::v1::RoleRef>,
    namespaced: bool,
    errs: &mut Errors,
) {
    // An absent apiGroup is the RBAC group (the field is optional since 1.33).
    let api_group = role_ref
        .api_group
        .as_deref()
        .filter(|g| !g.is_empty())
        .unwrap_or(RBAC_GROUP);
    if api_group != RBAC_GROUP {
        errs.not_supported("roleRef.apiGroup", &quote(api_group), &[RBAC_GROUP]);
    }
    let kinds: &[&str] = if namespaced {
        &["Role", "ClusterRole"]
    } else {
        &["ClusterRole"]
    };
    if !kinds.contains(&role_ref.kind.as_str()) {
        errs.not_supported("roleRef.kind", &quote(&role_ref.kind), kinds);
    }
    if role_ref.name.is_empty() {
        errs.required("roleRef.name", "");
    }
    for (i, subject) in subjects.unwrap_or_default().iter().enumerate() {
        let path = format!("subjects[{i}]");
        if subject.name.is_empty() {
            errs.required(&format!("{path}.name"), "");
        }
        let api_group = subject.api_group.as_deref().unwrap_or("");
        match subject.kind.as_str() {
            "ServiceAccount" => {
                if !api_group.is_empty() {
                    errs.not_supported(&format!("{path}.apiGroup"), &quote(api_group), &[""]);
                }
                if !namespaced && subject.namespace.as_deref().is_none_or(str::is_empty) {
                    errs.required(&format!("{path}.namespace"), "");
                }
            }
            "User" | "Group" => {
                if api_group != RBAC_GROUP {
                    errs.not_supported(
                        &format!("{path}.apiGroup"),
                        &quote(api_group),
                        &[RBAC_GROUP],
                    );
                }
            }
            other => errs.not_supported(
                &format!("{path}.kind"),
                &quote(other),
                &["ServiceAccount", "User", "Group"],
            ),
        }
    }
    if let Some(old) = old {
        let old_group = old
            .api_group
            .as_deref()
            .filter(|g| !g.is_empty())
            .unwrap_or(RBAC_GROUP);
        if (old_group, &old.kind, &old.name) != (api_group, &role_ref.kind, &role_ref.name) {
            errs.invalid(
                "roleRef",
                &format!(
                    "rbac.RoleRef{{APIGroup:{}, Kind:{}, Name:{}}}",
                    quote(api_group),
                    quote(&role_ref.kind),
                    quote(&role_ref.name)
                ),
                "cannot change roleRef",
            );
        }
    }
}

/// Validates what every kind shares: name present and well-formed for its kind, labels and
/// annotations.
pub fn validate_object_meta(object: &Object) -> Vec<FieldError> {
    let mut errs = Errors::default();
    meta(object, true, &mut errs);
    errs.finish()
}

// ---------------------------------------------------------------------------------------------
// Error list and Go-style value printing
// ---------------------------------------------------------------------------------------------

const FIELD_IMMUTABLE: &str = "field is immutable";
const NEGATIVE: &str = "must be greater than or equal to 0";
const PORT_RANGE: &str = "must be between 1 and 65535, inclusive";
const MAX_INT32: i64 = 2_147_483_647;

#[derive(Default)]
struct Errors {
    list: Vec<FieldError>,
}

impl Errors {
    fn push(&mut self, field: &str, message: String) {
        self.list.push(FieldError {
            field: field.to_string(),
            message,
        });
    }

    fn required(&mut self, field: &str, detail: &str) {
        self.push(field, with_detail("Required value".to_string(), detail));
    }

    /// `value` is already printed as Go prints it (see [`quote`]).
    fn invalid(&mut self, field: &str, value: &str, detail: &str) {
        self.push(
            field,
            with_detail(format!("Invalid value: {value}"), detail),
        );
    }

    fn not_supported(&mut self, field: &str, value: &str, supported: &[&str]) {
        let detail = if supported.is_empty() {
            String::new()
        } else {
            let quoted: Vec<String> = supported.iter().map(|s| quote(s)).collect();
            format!("supported values: {}", quoted.join(", "))
        };
        self.push(
            field,
            with_detail(format!("Unsupported value: {value}"), &detail),
        );
    }

    fn duplicate(&mut self, field: &str, value: &str) {
        self.push(field, format!("Duplicate value: {value}"));
    }

    fn not_found(&mut self, field: &str, value: &str) {
        self.push(field, format!("Not found: {value}"));
    }

    fn forbidden(&mut self, field: &str, detail: &str) {
        self.push(field, with_detail("Forbidden".to_string(), detail));
    }

    fn too_long(&mut self, field: &str, max: usize) {
        self.push(field, format!("Too long: must have at most {max} bytes"));
    }

    fn nonnegative(&mut self, field: &str, value: i64) {
        if value < 0 {
            self.invalid(field, &value.to_string(), NEGATIVE);
        }
    }

    fn finish(self) -> Vec<FieldError> {
        let mut seen = BTreeSet::new();
        self.list
            .into_iter()
            .filter(|e| seen.insert((e.field.clone(), e.message.clone())))
            .collect()
    }
}

fn with_detail(mut body: String, detail: &str) -> String {
    if !detail.is_empty() {
        body.push_str(": ");
        body.push_str(detail);
    }
    body
}

fn child(path: &str, name: &str) -> String {
    if path.is_empty() {
        name.to_string()
    } else {
        format!("{path}.{name}")
    }
}

fn index(path: &str, i: usize) -> String {
    format!("{path}[{i}]")
}

fn key(path: &str, k: &str) -> String {
    format!("{path}[{k}]")
}

/// A string as Go's `%q` (strconv.Quote) prints it.
pub fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{7}' => out.push_str("\\a"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{b}' => out.push_str("\\v"),
            c if go_printable(c) => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{7f}' => {
                let _ = write!(out, "\\x{:02x}", c as u32);
            }
            c if (c as u32) < 0x10000 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => {
                let _ = write!(out, "\\U{:08x}", c as u32);
            }
        }
    }
    out.push('"');
    out
}

fn go_printable(c: char) -> bool {
    if c.is_ascii() {
        return (' '..='~').contains(&c);
    }
    !(c.is_control()
        || c.is_whitespace()
        || matches!(c, '\u{ad}' | '\u{200b}'..='\u{200f}' | '\u{2028}'..='\u{202e}' | '\u{2060}'..='\u{206f}' | '\u{feff}'))
}

/// `map[string]string{"app":"web"}` — Go's `%#v` of a label map (nil prints as such).
fn go_string_map(map: Option<&BTreeMap<String, String>>) -> String {
    match map {
        None => "map[string]string(nil)".to_string(),
        Some(map) => {
            let items: Vec<String> = map
                .iter()
                .map(|(k, v)| format!("{}:{}", quote(k), quote(v)))
                .collect();
            format!("map[string]string{{{}}}", items.join(", "))
        }
    }
}

/// `[]string{"a", "b"}` — Go's `%#v` of a string slice.
fn go_string_slice(values: Option<&[String]>) -> String {
    match values {
        None => "[]string(nil)".to_string(),
        Some(values) => {
            let items: Vec<String> = values.iter().map(|v| quote(v)).collect();
            format!("[]string{{{}}}", items.join(", "))
        }
    }
}

/// Go's `%#v` of a `metav1.LabelSelector`.
fn go_label_selector(selector: &LabelSelector) -> String {
    let expressions = match &selector.match_expressions {
        None => "[]v1.LabelSelectorRequirement(nil)".to_string(),
        Some(list) => {
            let items: Vec<String> = list
                .iter()
                .map(|r| {
                    format!(
                        "v1.LabelSelectorRequirement{{Key:{}, Operator:{}, Values:{}}}",
                        quote(&r.key),
                        quote(&r.operator),
                        go_string_slice(r.values.as_deref())
                    )
                })
                .collect();
            format!("[]v1.LabelSelectorRequirement{{{}}}", items.join(", "))
        }
    };
    format!(
        "v1.LabelSelector{{MatchLabels:{}, MatchExpressions:{}}}",
        go_string_map(selector.match_labels.as_ref()),
        expressions
    )
}

/// An `intstr.IntOrString` as its `String()` method prints it.
fn int_or_string(value: &IntOrString) -> String {
    match value {
        IntOrString::Int(i) => i.to_string(),
        IntOrString::String(s) => s.clone(),
    }
}

fn opt_str(value: &Option<String>) -> &str {
    value.as_deref().unwrap_or("")
}

/// A pointer to a Go value: `null` when nil.
fn opt_i64<T: Into<i64> + Copy>(value: Option<T>) -> String {
    value.map_or_else(|| "null".to_string(), |v| v.into().to_string())
}

// ---------------------------------------------------------------------------------------------
// Names, label keys and values, and other string formats (apimachinery util/validation)
// ---------------------------------------------------------------------------------------------

const DNS1123_LABEL_FMT: &str = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
const DNS1123_LABEL_MSG: &str = "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character";
const DNS1123_SUBDOMAIN_FMT: &str =
    "[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*";
const DNS1123_SUBDOMAIN_MSG: &str = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character";
const DNS1035_LABEL_FMT: &str = "[a-z]([-a-z0-9]*[a-z0-9])?";
const DNS1035_LABEL_MSG: &str = "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character";
const LABEL_KEY_FMT: &str = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]";
const LABEL_KEY_MSG: &str = "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
const LABEL_VALUE_FMT: &str = "(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?";
const LABEL_VALUE_MSG: &str = "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
const CONFIG_KEY_FMT: &str = "[-._a-zA-Z0-9]+";
const CONFIG_KEY_MSG: &str =
    "a valid config key must consist of alphanumeric characters, '-', '_' or '.'";
const PERCENT_FMT: &str = "[0-9]+%";
const PERCENT_MSG: &str =
    "a valid percent string must be a numeric string followed by an ending '%'";
const RELAXED_ENV_MSG: &str =
    "a valid environment variable name must consist only of printable ASCII characters other than '='";

/// upstream's `RegexError`: the message, examples joined with " or " (each followed by ", ",
/// hence the double space), and the regular expression.
fn regex_error(msg: &str, fmt: &str, examples: &[&str]) -> String {
    if examples.is_empty() {
        return format!("{msg} (regex used for validation is '{fmt}')");
    }
    let mut out = format!("{msg} (e.g. ");
    for (i, example) in examples.iter().enumerate() {
        if i > 0 {
            out.push_str(" or ");
        }
        let _ = write!(out, "'{example}', ");
    }
    let _ = write!(out, "regex used for validation is '{fmt}')");
    out
}

fn max_len_error(n: usize) -> String {
    format!("must be no more than {n} bytes")
}

fn is_alnum_lower(b: u8) -> bool {
    b.is_ascii_lowercase() || b.is_ascii_digit()
}

fn matches_dns1123_label(s: &str) -> bool {
    let b = s.as_bytes();
    !b.is_empty()
        && is_alnum_lower(b[0])
        && is_alnum_lower(b[b.len() - 1])
        && b.iter().all(|&c| is_alnum_lower(c) || c == b'-')
}

fn matches_dns1123_subdomain(s: &str) -> bool {
    s.split('.').all(matches_dns1123_label)
}

fn matches_dns1035_label(s: &str) -> bool {
    matches_dns1123_label(s) && s.as_bytes()[0].is_ascii_lowercase()
}

fn dns1123_label_errors(value: &str) -> Vec<String> {
    let mut errs = Vec::new();
    if value.len() > 63 {
        errs.push(max_len_error(63));
    }
    if !matches_dns1123_label(value) {
        if matches_dns1123_subdomain(value) {
            errs.push("must not contain dots".to_string());
        } else {
            errs.push(regex_error(
                DNS1123_LABEL_MSG,
                DNS1123_LABEL_FMT,
                &["my-name", "123-abc"],
            ));
        }
    }
    errs
}

fn dns1123_subdomain_errors(value: &str) -> Vec<String> {
    let mut errs = Vec::new();
    if value.len() > 253 {
        errs.push(max_len_error(253));
    }
    if !matches_dns1123_subdomain(value) {
        errs.push(regex_error(
            DNS1123_SUBDOMAIN_MSG,
            DNS1123_SUBDOMAIN_FMT,
            &["example.com"],
        ));
    }
    errs
}

fn dns1035_label_errors(value: &str) -> Vec<String> {
    let mut errs = Vec::new();
    if value.len() > 63 {
        errs.push(max_len_error(63));
    }
    if !matches_dns1035_label(value) {
        errs.push(regex_error(
            DNS1035_LABEL_MSG,
            DNS1035_LABEL_FMT,
            &["my-name", "abc-123"],
        ));
    }
    errs
}

/// RBAC object names: any path segment.
fn path_segment_errors(value: &str) -> Vec<String> {
    if value == "." || value == ".." {
        return vec![format!("may not be '{value}'")];
    }
    let mut errs = Vec::new();
    for bad in ["/", "%"] {
        if value.contains(bad) {
            errs.push(format!("may not contain '{bad}'"));
        }
    }
    errs
}

fn matches_label_key_name(s: &str) -> bool {
    let b = s.as_bytes();
    !b.is_empty()
        && b[0].is_ascii_alphanumeric()
        && b[b.len() - 1].is_ascii_alphanumeric()
        && b.iter()
            .all(|&c| c.is_ascii_alphanumeric() || matches!(c, b'-' | b'_' | b'.'))
}

/// `IsQualifiedName` / `IsLabelKey`: an optional DNS subdomain prefix and a name.
fn label_key_errors(value: &str) -> Vec<String> {
    let mut errs = Vec::new();
    let parts: Vec<&str> = value.split('/').collect();
    let name = match parts.as_slice() {
        [name] => *name,
        [prefix, name] => {
            if prefix.is_empty() {
                errs.push("prefix part must be non-empty".to_string());
            } else {
                for msg in dns1123_subdomain_errors(prefix) {
                    errs.push(format!("prefix part {msg}"));
                }
            }
            *name
        }
        _ => {
            errs.push(format!(
                "a valid label key {} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')",
                regex_error(LABEL_KEY_MSG, LABEL_KEY_FMT, &["MyName", "my.name", "123-abc"])
            ));
            return errs;
        }
    };
    if name.is_empty() {
        errs.push("name part must be non-empty".to_string());
    } else if name.len() > 63 {
        errs.push(format!("name part {}", max_len_error(63)));
    }
    if !matches_label_key_name(name) {
        errs.push(format!(
            "name part {}",
            regex_error(
                LABEL_KEY_MSG,
                LABEL_KEY_FMT,
                &["MyName", "my.name", "123-abc"]
            )
        ));
    }
    errs
}

/// What is wrong with a label value, in the API server's words (empty when it is valid).
pub fn label_value_errors(value: &str) -> Vec<String> {
    let mut errs = Vec::new();
    if value.len() > 63 {
        errs.push(max_len_error(63));
    }
    if !value.is_empty() && !matches_label_key_name(value) {
        errs.push(regex_error(
            LABEL_VALUE_MSG,
            LABEL_VALUE_FMT,
            &["MyValue", "my_value", "12345"],
        ));
    }
    errs
}

fn config_map_key_errors(value: &str) -> Vec<String> {
    let mut errs = Vec::new();
    if value.len() > 253 {
        errs.push(max_len_error(253));
    }
    let charset_ok = !value.is_empty()
        && value
            .bytes()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'-' | b'.' | b'_'));
    if !charset_ok {
        errs.push(regex_error(
            CONFIG_KEY_MSG,
            CONFIG_KEY_FMT,
            &["key.name", "KEY_NAME", "key-name"],
        ));
    }
    if value == "." {
        errs.push("must not be '.'".to_string());
    } else if value == ".." {
        errs.push("must not be '..'".to_string());
    } else if value.starts_with("..") {
        errs.push("must not start with '..'".to_string());
    }
    errs
}

fn port_name_errors(port: &str) -> Vec<String> {
    let mut errs = Vec::new();
    if port.len() > 15 {
        errs.push("must be no more than 15 bytes".to_string());
    }
    if port.is_empty()
        || !port
            .bytes()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'-')
    {
        errs.push(
            "must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)".to_string(),
        );
    }
    if !port.bytes().any(|c| c.is_ascii_lowercase()) {
        errs.push("must contain at least one letter (a-z)".to_string());
    }
    if port.contains("--") {
        errs.push("must not contain consecutive hyphens".to_string());
    }
    if port.starts_with('-') || port.ends_with('-') {
        errs.push("must not begin or end with a hyphen".to_string());
    }
    errs
}

/// Environment variable names (RelaxedEnvironmentVariableValidation is GA): printable ASCII
/// other than '='.
fn env_var_name_errors(name: &str) -> Vec<String> {
    if name.is_empty() {
        return vec!["environment variable name must be non-empty".to_string()];
    }
    if name.chars().any(|c| !(' '..='~').contains(&c) || c == '=') {
        return vec![RELAXED_ENV_MSG.to_string()];
    }
    Vec::new()
}

fn percent_value(value: &str) -> Option<i64> {
    let digits = value.strip_suffix('%')?;
    if digits.is_empty() || !digits.bytes().all(|c| c.is_ascii_digit()) {
        return None;
    }
    Some(digits.parse::<i64>().unwrap_or(i64::MAX))
}

enum NameRule {
    Subdomain,
    Label,
    Dns1035,
    PathSegment,
}

fn name_rule(kind: &str) -> NameRule {
    match kind {
        "Namespace" | "StatefulSet" => NameRule::Label,
        "Service" => NameRule::Dns1035,
        "Role" | "ClusterRole" | "RoleBinding" | "ClusterRoleBinding" => NameRule::PathSegment,
        _ => NameRule::Subdomain,
    }
}

fn name_errors(name: &str, rule: NameRule) -> Vec<String> {
    match rule {
        NameRule::Subdomain => dns1123_subdomain_errors(name),
        NameRule::Label => dns1123_label_errors(name),
        NameRule::Dns1035 => dns1035_label_errors(name),
        NameRule::PathSegment => path_segment_errors(name),
    }
}

fn validate_labels(labels: Option<&BTreeMap<String, String>>, path: &str, errs: &mut Errors) {
    for (k, v) in labels.into_iter().flatten() {
        for msg in label_key_errors(k) {
            errs.invalid(path, &quote(k), &msg);
        }
        for msg in label_value_errors(v) {
            errs.invalid(path, &quote(v), &msg);
        }
    }
}

fn validate_annotations(
    annotations: Option<&BTreeMap<String, String>>,
    path: &str,
    errs: &mut Errors,
) {
    let Some(annotations) = annotations else {
        return;
    };
    let mut total = 0usize;
    for (k, v) in annotations {
        for msg in label_key_errors(&k.to_lowercase()) {
            errs.invalid(path, &quote(k), &msg);
        }
        total += k.len() + v.len();
    }
    if total > 256 * 1024 {
        errs.too_long(path, 256 * 1024);
    }
}

fn meta(object: &Object, create: bool, errs: &mut Errors) {
    let meta = object.metadata();
    let name = meta.name.as_deref().unwrap_or("");
    if name.is_empty() {
        // A generateName is turned into a name before the API server validates.
        if meta.generate_name.as_deref().unwrap_or("").is_empty() {
            errs.required("metadata.name", "name or generateName is required");
        }
    } else {
        for msg in name_errors(name, name_rule(object.kind())) {
            errs.invalid("metadata.name", &quote(name), &msg);
        }
    }
    validate_labels(meta.labels.as_ref(), "metadata.labels", errs);
    validate_annotations(meta.annotations.as_ref(), "metadata.annotations", errs);
    // CronJob names leave room for the 11-character suffix of the Jobs they create.
    if create && object.kind() == "CronJob" && name.len() > 52 {
        errs.invalid("metadata.name", &quote(name), &max_len_error(52));
    }
}

// ---------------------------------------------------------------------------------------------
// Pod specs (pkg/apis/core/validation: ValidatePodSpec and friends)
// ---------------------------------------------------------------------------------------------

#[derive(Clone, Copy, PartialEq, Eq)]
enum ProbeKind {
    Liveness,
    Readiness,
    Startup,
}

/// The template's spec as the API server sees it: an absent spec is a defaulted empty one.
fn template_spec(template: &core::PodTemplateSpec) -> std::borrow::Cow<'_, core::PodSpec> {
    match &template.spec {
        Some(spec) => std::borrow::Cow::Borrowed(spec),
        None => {
            let mut spec = core::PodSpec::default();
            crate::defaults::default_pod_spec(&mut spec);
            std::borrow::Cow::Owned(spec)
        }
    }
}

fn template_labels(template: &core::PodTemplateSpec) -> Option<&BTreeMap<String, String>> {
    template.metadata.as_ref().and_then(|m| m.labels.as_ref())
}

/// `ValidatePodTemplateSpec`: labels and annotations at `<path>.labels` / `<path>.annotations`
/// (upstream's paths, without `metadata`), then the pod spec.
fn pod_template_spec(template: &core::PodTemplateSpec, path: &str, errs: &mut Errors) {
    let meta = template.metadata.as_ref();
    validate_labels(
        meta.and_then(|m| m.labels.as_ref()),
        &child(path, "labels"),
        errs,
    );
    validate_annotations(
        meta.and_then(|m| m.annotations.as_ref()),
        &child(path, "annotations"),
        errs,
    );
    let spec = template_spec(template);
    let spec_path = child(path, "spec");
    pod_spec(&spec, &spec_path, errs);
    if spec
        .ephemeral_containers
        .as_ref()
        .is_some_and(|e| !e.is_empty())
    {
        errs.forbidden(
            &child(&spec_path, "ephemeralContainers"),
            "ephemeral containers not allowed in pod template",
        );
    }
}

/// `ValidatePodSpec`, in upstream's order.
fn pod_spec(spec: &core::PodSpec, path: &str, errs: &mut Errors) {
    if spec.termination_grace_period_seconds.is_none() {
        errs.required(&child(path, "terminationGracePeriodSeconds"), "");
    }
    let volumes = pod_volumes(
        spec.volumes.as_deref().unwrap_or(&[]),
        &child(path, "volumes"),
        errs,
    );
    let grace = spec.termination_grace_period_seconds;
    containers(
        &spec.containers,
        &volumes,
        grace,
        &child(path, "containers"),
        errs,
    );
    init_containers(
        spec.init_containers.as_deref().unwrap_or(&[]),
        &spec.containers,
        &volumes,
        grace,
        &child(path, "initContainers"),
        errs,
    );
    if spec.host_network == Some(true) {
        for (i, c) in spec.containers.iter().enumerate() {
            for (j, port) in c.ports.iter().flatten().enumerate() {
                let host_port = port.host_port.unwrap_or(0);
                if host_port != 0 && host_port != port.container_port {
                    errs.invalid(
                        &child(
                            &index(&child(&index(&child(path, "containers"), i), "ports"), j),
                            "hostPort",
                        ),
                        &host_port.to_string(),
                        "must match `containerPort` when `hostNetwork` is true",
                    );
                }
            }
        }
    }
    let restart_policy = opt_str(&spec.restart_policy);
    match restart_policy {
        "Always" | "OnFailure" | "Never" => {}
        "" => errs.required(&child(path, "restartPolicy"), ""),
        other => errs.not_supported(
            &child(path, "restartPolicy"),
            &quote(other),
            &["Always", "OnFailure", "Never"],
        ),
    }
    match opt_str(&spec.dns_policy) {
        "ClusterFirstWithHostNet" | "ClusterFirst" | "Default" | "None" => {}
        "" => errs.required(&child(path, "dnsPolicy"), ""),
        other => errs.not_supported(
            &child(path, "dnsPolicy"),
            &quote(other),
            &["ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"],
        ),
    }
    validate_labels(
        spec.node_selector.as_ref(),
        &child(path, "nodeSelector"),
        errs,
    );
    if let Some(name) = spec
        .service_account_name
        .as_deref()
        .filter(|n| !n.is_empty())
    {
        for msg in dns1123_subdomain_errors(name) {
            errs.invalid(&child(path, "serviceAccountName"), &quote(name), &msg);
        }
    }
    if let Some(name) = spec.node_name.as_deref().filter(|n| !n.is_empty()) {
        for msg in dns1123_subdomain_errors(name) {
            errs.invalid(&child(path, "nodeName"), &quote(name), &msg);
        }
    }
    if let Some(deadline) = spec.active_deadline_seconds {
        if !(1..=MAX_INT32).contains(&deadline) {
            errs.invalid(
                &child(path, "activeDeadlineSeconds"),
                &deadline.to_string(),
                &format!("must be between 1 and {MAX_INT32}, inclusive"),
            );
        }
    }
    for (field, value) in [("hostname", &spec.hostname), ("subdomain", &spec.subdomain)] {
        if let Some(value) = value.as_deref().filter(|v| !v.is_empty()) {
            for msg in dns1123_label_errors(value) {
                errs.invalid(&child(path, field), &quote(value), &msg);
            }
        }
    }
    tolerations(
        spec.tolerations.as_deref().unwrap_or(&[]),
        &child(path, "tolerations"),
        errs,
    );
    if let Some(name) = spec
        .priority_class_name
        .as_deref()
        .filter(|n| !n.is_empty())
    {
        for msg in dns1123_subdomain_errors(name) {
            errs.invalid(&child(path, "priorityClassName"), &quote(name), &msg);
        }
    }
    if let Some(policy) = spec.preemption_policy.as_deref() {
        match policy {
            "PreemptLowerPriority" | "Never" => {}
            "" => errs.required(&child(path, "preemptionPolicy"), ""),
            other => errs.not_supported(
                &child(path, "preemptionPolicy"),
                &quote(other),
                &["PreemptLowerPriority", "Never"],
            ),
        }
    }
}

/// The volume sources a volume sets, in upstream's order, with the path segment upstream
/// reports a second source under.
fn volume_sources(v: &core::Volume) -> Vec<&'static str> {
    let sources = [
        ("emptyDir", v.empty_dir.is_some()),
        ("hostPath", v.host_path.is_some()),
        ("gitRepo", v.git_repo.is_some()),
        ("gcePersistentDisk", v.gce_persistent_disk.is_some()),
        ("awsElasticBlockStore", v.aws_elastic_block_store.is_some()),
        ("secret", v.secret.is_some()),
        ("nfs", v.nfs.is_some()),
        ("iscsi", v.iscsi.is_some()),
        ("glusterfs", v.glusterfs.is_some()),
        ("flocker", v.flocker.is_some()),
        ("persistentVolumeClaim", v.persistent_volume_claim.is_some()),
        ("rbd", v.rbd.is_some()),
        ("cinder", v.cinder.is_some()),
        ("cephFS", v.cephfs.is_some()),
        ("quobyte", v.quobyte.is_some()),
        // sic: upstream's path for a second source here is "downwarAPI".
        ("downwarAPI", v.downward_api.is_some()),
        ("fc", v.fc.is_some()),
        ("flexVolume", v.flex_volume.is_some()),
        ("configMap", v.config_map.is_some()),
        ("azureFile", v.azure_file.is_some()),
        ("vsphereVolume", v.vsphere_volume.is_some()),
        ("photonPersistentDisk", v.photon_persistent_disk.is_some()),
        ("portworxVolume", v.portworx_volume.is_some()),
        ("azureDisk", v.azure_disk.is_some()),
        ("storageos", v.storageos.is_some()),
        ("projected", v.projected.is_some()),
        ("scaleIO", v.scale_io.is_some()),
        ("csi", v.csi.is_some()),
        ("ephemeral", v.ephemeral.is_some()),
        ("image", v.image.is_some()),
    ];
    sources
        .into_iter()
        .filter(|(_, set)| *set)
        .map(|(name, _)| name)
        .collect()
}

/// `ValidateVolumes`: returns the names of the volumes that validated (mounts may refer only
/// to those).
fn pod_volumes(volumes: &[core::Volume], path: &str, errs: &mut Errors) -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    for (i, volume) in volumes.iter().enumerate() {
        let idx = index(path, i);
        let name_path = child(&idx, "name");
        let mut el = Errors::default();
        // A volume without a source is an emptyDir after defaulting.
        for extra in volume_sources(volume).iter().skip(1) {
            el.forbidden(
                &child(&idx, extra),
                "may not specify more than 1 volume type",
            );
        }
        if let Some(host_path) = &volume.host_path {
            if host_path.path.is_empty() {
                el.required(&child(&child(&idx, "hostPath"), "path"), "");
            }
        }
        const FILE_MODE: &str = "must be a number between 0 and 0777 (octal), both inclusive";
        if let Some(secret) = &volume.secret {
            if opt_str(&secret.secret_name).is_empty() {
                el.required(&child(&child(&idx, "secret"), "secretName"), "");
            }
            if let Some(mode) = secret.default_mode.filter(|m| !(0..=0o777).contains(m)) {
                el.invalid(
                    &child(&child(&idx, "secret"), "defaultMode"),
                    &mode.to_string(),
                    FILE_MODE,
                );
            }
        }
        if let Some(config_map) = &volume.config_map {
            if config_map.name.is_empty() {
                el.required(&child(&child(&idx, "configMap"), "name"), "");
            }
            if let Some(mode) = config_map.default_mode.filter(|m| !(0..=0o777).contains(m)) {
                el.invalid(
                    &child(&child(&idx, "configMap"), "defaultMode"),
                    &mode.to_string(),
                    FILE_MODE,
                );
            }
        }
        if let Some(claim) = &volume.persistent_volume_claim {
            if claim.claim_name.is_empty() {
                el.required(
                    &child(&child(&idx, "persistentVolumeClaim"), "claimName"),
                    "",
                );
            }
        }
        if volume.name.is_empty() {
            el.required(&name_path, "");
        } else {
            for msg in dns1123_label_errors(&volume.name) {
                el.invalid(&name_path, &quote(&volume.name), &msg);
            }
        }
        if names.contains(&volume.name) {
            el.duplicate(&name_path, &quote(&volume.name));
        }
        if el.list.is_empty() {
            names.insert(volume.name.clone());
        } else {
            errs.list.extend(el.list);
        }
    }
    names
}

/// `validateContainers`: the regular containers.
fn containers(
    list: &[core::Container],
    volumes: &BTreeSet<String>,
    grace: Option<i64>,
    path: &str,
    errs: &mut Errors,
) {
    if list.is_empty() {
        errs.required(path, "");
        return;
    }
    let mut names = BTreeSet::new();
    for (i, c) in list.iter().enumerate() {
        let p = index(path, i);
        container_common(c, volumes, &p, errs);
        if !names.insert(c.name.clone()) {
            errs.duplicate(&child(&p, "name"), &quote(&c.name));
        }
        if let Some(lifecycle) = &c.lifecycle {
            validate_lifecycle(lifecycle, grace, &child(&p, "lifecycle"), errs);
        }
        probe(
            c.liveness_probe.as_ref(),
            ProbeKind::Liveness,
            &child(&p, "livenessProbe"),
            errs,
        );
        probe(
            c.readiness_probe.as_ref(),
            ProbeKind::Readiness,
            &child(&p, "readinessProbe"),
            errs,
        );
        probe(
            c.startup_probe.as_ref(),
            ProbeKind::Startup,
            &child(&p, "startupProbe"),
            errs,
        );
        if c.restart_policy.is_some() {
            errs.forbidden(
                &child(&p, "restartPolicy"),
                "may not be set for non-init containers",
            );
        }
    }
    host_port_conflicts(list, path, errs);
}

fn init_containers(
    list: &[core::Container],
    regular: &[core::Container],
    volumes: &BTreeSet<String>,
    grace: Option<i64>,
    path: &str,
    errs: &mut Errors,
) {
    let mut names: BTreeSet<String> = regular.iter().map(|c| c.name.clone()).collect();
    for (i, c) in list.iter().enumerate() {
        let p = index(path, i);
        container_common(c, volumes, &p, errs);
        let mut restart_always = false;
        if let Some(policy) = c.restart_policy.as_deref() {
            if policy == "Always" {
                restart_always = true;
            } else {
                errs.not_supported(&child(&p, "restartPolicy"), &quote(policy), &["Always"]);
            }
        }
        if names.contains(&c.name) {
            errs.duplicate(&child(&p, "name"), &quote(&c.name));
        } else if !c.name.is_empty() {
            names.insert(c.name.clone());
        }
        host_port_conflicts(std::slice::from_ref(c), path, errs);
        if restart_always {
            if let Some(lifecycle) = &c.lifecycle {
                validate_lifecycle(lifecycle, grace, &child(&p, "lifecycle"), errs);
            }
            probe(
                c.liveness_probe.as_ref(),
                ProbeKind::Liveness,
                &child(&p, "livenessProbe"),
                errs,
            );
            probe(
                c.readiness_probe.as_ref(),
                ProbeKind::Readiness,
                &child(&p, "readinessProbe"),
                errs,
            );
            probe(
                c.startup_probe.as_ref(),
                ProbeKind::Startup,
                &child(&p, "startupProbe"),
                errs,
            );
        } else {
            const NOT_ALLOWED: &str =
                "may not be set for init containers without restartPolicy=Always";
            for (field, set) in [
                ("lifecycle", c.lifecycle.is_some()),
                ("livenessProbe", c.liveness_probe.is_some()),
                ("readinessProbe", c.readiness_probe.is_some()),
                ("startupProbe", c.startup_probe.is_some()),
            ] {
                if set {
                    errs.forbidden(&child(&p, field), NOT_ALLOWED);
                }
            }
        }
    }
}

/// `validateContainerCommon`: what regular and init containers share.
fn container_common(
    c: &core::Container,
    volumes: &BTreeSet<String>,
    path: &str,
    errs: &mut Errors,
) {
    let name_path = child(path, "name");
    if c.name.is_empty() {
        errs.required(&name_path, "");
    } else {
        for msg in dns1123_label_errors(&c.name) {
            errs.invalid(&name_path, &quote(&c.name), &msg);
        }
    }
    if opt_str(&c.image).is_empty() {
        errs.required(&child(path, "image"), "");
    }
    match opt_str(&c.termination_message_policy) {
        "File" | "FallbackToLogsOnError" => {}
        "" => errs.required(&child(path, "terminationMessagePolicy"), ""),
        other => errs.not_supported(
            &child(path, "terminationMessagePolicy"),
            &quote(other),
            &["File", "FallbackToLogsOnError"],
        ),
    }
    container_ports(
        c.ports.as_deref().unwrap_or(&[]),
        &child(path, "ports"),
        errs,
    );
    env(c.env.as_deref().unwrap_or(&[]), &child(path, "env"), errs);
    env_from(
        c.env_from.as_deref().unwrap_or(&[]),
        &child(path, "envFrom"),
        errs,
    );
    volume_mounts(
        c.volume_mounts.as_deref().unwrap_or(&[]),
        volumes,
        &child(path, "volumeMounts"),
        errs,
    );
    match opt_str(&c.image_pull_policy) {
        "Always" | "IfNotPresent" | "Never" => {}
        "" => errs.required(&child(path, "imagePullPolicy"), ""),
        other => errs.not_supported(
            &child(path, "imagePullPolicy"),
            &quote(other),
            &["Always", "IfNotPresent", "Never"],
        ),
    }
    if let Some(resources) = &c.resources {
        container_resources(resources, &child(path, "resources"), errs);
    }
}

fn container_ports(ports: &[core::ContainerPort], path: &str, errs: &mut Errors) {
    let mut names = BTreeSet::new();
    for (i, port) in ports.iter().enumerate() {
        let p = index(path, i);
        if let Some(name) = port.name.as_deref().filter(|n| !n.is_empty()) {
            let msgs = port_name_errors(name);
            if !msgs.is_empty() {
                for msg in msgs {
                    errs.invalid(&child(&p, "name"), &quote(name), &msg);
                }
            } else if !names.insert(name.to_string()) {
                errs.duplicate(&child(&p, "name"), &quote(name));
            }
        }
        if port.container_port == 0 {
            errs.required(&child(&p, "containerPort"), "");
        } else if !(1..=65535).contains(&port.container_port) {
            errs.invalid(
                &child(&p, "containerPort"),
                &port.container_port.to_string(),
                PORT_RANGE,
            );
        }
        let host_port = port.host_port.unwrap_or(0);
        if host_port != 0 && !(1..=65535).contains(&host_port) {
            errs.invalid(&child(&p, "hostPort"), &host_port.to_string(), PORT_RANGE);
        }
        protocol(port.protocol.as_deref(), &child(&p, "protocol"), errs);
    }
}

fn protocol(value: Option<&str>, path: &str, errs: &mut Errors) {
    match value.unwrap_or("") {
        "TCP" | "UDP" | "SCTP" => {}
        "" => errs.required(path, ""),
        other => errs.not_supported(path, &quote(other), &["SCTP", "TCP", "UDP"]),
    }
}

fn host_port_conflicts(list: &[core::Container], path: &str, errs: &mut Errors) {
    let mut seen = BTreeSet::new();
    for (ci, c) in list.iter().enumerate() {
        for (pi, port) in c.ports.iter().flatten().enumerate() {
            let host_port = port.host_port.unwrap_or(0);
            if host_port == 0 {
                continue;
            }
            let key = format!(
                "{}/{}/{}",
                port.protocol.as_deref().unwrap_or(""),
                port.host_ip.as_deref().unwrap_or(""),
                host_port
            );
            if !seen.insert(key.clone()) {
                let p = index(&child(&index(path, ci), "ports"), pi);
                errs.duplicate(&child(&p, "hostPort"), &quote(&key));
            }
        }
    }
}

fn env(vars: &[core::EnvVar], path: &str, errs: &mut Errors) {
    for (i, var) in vars.iter().enumerate() {
        let p = index(path, i);
        if var.name.is_empty() {
            errs.required(&child(&p, "name"), "");
        } else {
            for msg in env_var_name_errors(&var.name) {
                errs.invalid(&child(&p, "name"), &quote(&var.name), &msg);
            }
        }
        let Some(from) = &var.value_from else {
            continue;
        };
        let from_path = child(&p, "valueFrom");
        let mut sources = 0;
        if let Some(field_ref) = &from.field_ref {
            sources += 1;
            env_field_ref(&field_ref.field_path, &child(&from_path, "fieldRef"), errs);
        }
        if from.resource_field_ref.is_some() {
            sources += 1;
        }
        if let Some(r) = &from.config_map_key_ref {
            sources += 1;
            key_selector(&r.name, &r.key, &child(&from_path, "configMapKeyRef"), errs);
        }
        if let Some(r) = &from.secret_key_ref {
            sources += 1;
            key_selector(&r.name, &r.key, &child(&from_path, "secretKeyRef"), errs);
        }
        if from.file_key_ref.is_some() {
            sources += 1;
        }
        if sources == 0 {
            errs.invalid(
                &from_path,
                "\"\"",
                "must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`",
            );
        } else if !opt_str(&var.value).is_empty() {
            errs.invalid(
                &from_path,
                "\"\"",
                "may not be specified when `value` is not empty",
            );
        } else if sources > 1 {
            errs.invalid(
                &from_path,
                "\"\"",
                "may not have more than one field specified at a time",
            );
        }
    }
}

/// `validateObjectFieldSelector` for environment variables (apiVersion defaults to v1).
fn env_field_ref(field_path: &str, path: &str, errs: &mut Errors) {
    const CONVERTIBLE: &[&str] = &[
        "metadata.annotations",
        "metadata.labels",
        "metadata.name",
        "metadata.namespace",
        "metadata.uid",
        "spec.nodeName",
        "spec.restartPolicy",
        "spec.serviceAccountName",
        "spec.schedulerName",
        "status.phase",
        "status.hostIP",
        "status.hostIPs",
        "status.podIP",
        "status.podIPs",
    ];
    const FOR_ENV: &[&str] = &[
        "metadata.name",
        "metadata.namespace",
        "metadata.uid",
        "spec.nodeName",
        "spec.serviceAccountName",
        "status.hostIP",
        "status.hostIPs",
        "status.podIP",
        "status.podIPs",
    ];
    let fp = child(path, "fieldPath");
    if field_path.is_empty() {
        errs.required(&fp, "");
        return;
    }
    let subscripted = ["metadata.labels['", "metadata.annotations['"]
        .iter()
        .find(|prefix| field_path.starts_with(**prefix) && field_path.ends_with("']"));
    if let Some(prefix) = subscripted {
        let subscript = &field_path[prefix.len()..field_path.len() - 2];
        let checked = if prefix.starts_with("metadata.annotations") {
            subscript.to_lowercase()
        } else {
            subscript.to_string()
        };
        for msg in label_key_errors(&checked) {
            errs.invalid(path, &quote(&checked), &msg);
        }
        return;
    }
    if !CONVERTIBLE.contains(&field_path) {
        errs.invalid(
            &fp,
            &quote(field_path),
            &format!("error converting fieldPath: field label not supported: {field_path}"),
        );
    } else if !FOR_ENV.contains(&field_path) {
        errs.not_supported(&fp, &quote(field_path), FOR_ENV);
    }
}

fn key_selector(name: &str, key_name: &str, path: &str, errs: &mut Errors) {
    for msg in dns1123_subdomain_errors(name) {
        errs.invalid(&child(path, "name"), &quote(name), &msg);
    }
    if key_name.is_empty() {
        errs.required(&child(path, "key"), "");
    } else {
        for msg in config_map_key_errors(key_name) {
            errs.invalid(&child(path, "key"), &quote(key_name), &msg);
        }
    }
}

fn env_from(sources: &[core::EnvFromSource], path: &str, errs: &mut Errors) {
    for (i, source) in sources.iter().enumerate() {
        let p = index(path, i);
        if let Some(prefix) = source.prefix.as_deref().filter(|s| !s.is_empty()) {
            for msg in env_var_name_errors(prefix) {
                errs.invalid(&child(&p, "prefix"), &quote(prefix), &msg);
            }
        }
        let mut count = 0;
        for (field, name) in [
            (
                "configMapRef",
                source.config_map_ref.as_ref().map(|r| &r.name),
            ),
            ("secretRef", source.secret_ref.as_ref().map(|r| &r.name)),
        ] {
            let Some(name) = name else {
                continue;
            };
            count += 1;
            let name_path = child(&child(&p, field), "name");
            if name.is_empty() {
                errs.required(&name_path, "");
            } else {
                for msg in dns1123_subdomain_errors(name) {
                    errs.invalid(&name_path, &quote(name), &msg);
                }
            }
        }
        if count == 0 {
            errs.invalid(
                path,
                "\"\"",
                "must specify one of: `configMapRef` or `secretRef`",
            );
        } else if count > 1 {
            errs.invalid(
                path,
                "\"\"",
                "may not have more than one field specified at a time",
            );
        }
    }
}

fn volume_mounts(
    mounts: &[core::VolumeMount],
    volumes: &BTreeSet<String>,
    path: &str,
    errs: &mut Errors,
) {
    let mut mount_points = BTreeSet::new();
    for (i, mount) in mounts.iter().enumerate() {
        let p = index(path, i);
        if mount.name.is_empty() {
            errs.required(&child(&p, "name"), "");
        }
        if !volumes.contains(&mount.name) {
            errs.not_found(&child(&p, "name"), &quote(&mount.name));
        }
        if mount.mount_path.is_empty() {
            errs.required(&child(&p, "mountPath"), "");
        }
        if !mount_points.insert(mount.mount_path.clone()) {
            errs.invalid(
                &child(&p, "mountPath"),
                &quote(&mount.mount_path),
                "must be unique",
            );
        }
        if let Some(sub_path) = mount.sub_path.as_deref().filter(|s| !s.is_empty()) {
            local_descending_path(sub_path, &child(path, "subPath"), errs);
        }
    }
}

/// `validateLocalDescendingPath`: relative, without `..`.
fn local_descending_path(target: &str, path: &str, errs: &mut Errors) {
    if target.starts_with('/') {
        errs.invalid(path, &quote(target), "must be a relative path");
    }
    if target.split(['/', '\\']).any(|part| part == "..") {
        errs.invalid(path, &quote(target), "must not contain '..'");
    }
}

const STANDARD_RESOURCES: &[&str] = &[
    "cpu",
    "memory",
    "ephemeral-storage",
    "storage",
    "requests.cpu",
    "requests.memory",
    "requests.ephemeral-storage",
    "requests.storage",
    "limits.cpu",
    "limits.memory",
    "limits.ephemeral-storage",
    "pods",
    "services",
    "replicationcontrollers",
    "resourcequotas",
    "secrets",
    "configmaps",
    "persistentvolumeclaims",
    "services.nodeports",
    "services.loadbalancers",
];

fn is_native_resource(name: &str) -> bool {
    !name.contains('/') || name.starts_with("kubernetes.io/")
}

fn is_hugepages(name: &str) -> bool {
    name.starts_with("hugepages-")
}

fn overcommit_allowed(name: &str) -> bool {
    is_native_resource(name) && !is_hugepages(name)
}

/// `validateContainerResourceName`.
fn container_resource_name(name: &str, path: &str, errs: &mut Errors) {
    let msgs = label_key_errors(name);
    let qualified_ok = msgs.is_empty();
    for msg in msgs {
        errs.invalid(path, &quote(name), &msg);
    }
    if !name.contains('/') {
        if qualified_ok && !STANDARD_RESOURCES.contains(&name) && !is_hugepages(name) {
            errs.invalid(
                path,
                &quote(name),
                "must be a standard resource type or fully qualified",
            );
        }
        if !matches!(name, "cpu" | "memory" | "ephemeral-storage") && !is_hugepages(name) {
            errs.invalid(
                path,
                &quote(name),
                "must be a standard resource for containers",
            );
        }
    } else if !is_native_resource(name)
        && (name.starts_with("requests.")
            || !label_key_errors(&format!("requests.{name}")).is_empty())
    {
        errs.invalid(
            path,
            &quote(name),
            "doesn't follow extended resource name standard",
        );
    }
}

/// `ValidateResourceQuantityValue`: not negative; whole numbers for extended resources.
fn resource_quantity_value(name: &str, q: &Qty, path: &str, errs: &mut Errors) {
    if q.nanos < 0 {
        errs.invalid(path, &quote(&q.canonical()), NEGATIVE);
    }
    if !is_native_resource(name) && q.nanos % 1_000_000_000 != 0 {
        errs.invalid(path, &q.canonical(), "must be an integer");
    }
}

/// `ValidateContainerResourceRequirements`: names, quantities, requests within limits.
fn container_resources(resources: &core::ResourceRequirements, path: &str, errs: &mut Errors) {
    let limits_path = child(path, "limits");
    let requests_path = child(path, "requests");
    let empty = BTreeMap::new();
    let limits = resources.limits.as_ref().unwrap_or(&empty);
    for (name, quantity) in limits {
        let p = key(&limits_path, name);
        container_resource_name(name, &p, errs);
        if let Some(q) = Qty::parse(&quantity.0) {
            resource_quantity_value(name, &q, &p, errs);
        }
    }
    for (name, quantity) in resources.requests.iter().flatten() {
        let p = key(&requests_path, name);
        container_resource_name(name, &p, errs);
        let Some(request) = Qty::parse(&quantity.0) else {
            continue;
        };
        resource_quantity_value(name, &request, &p, errs);
        match limits.get(name).and_then(|l| Qty::parse(&l.0)) {
            Some(limit) => {
                if request.nanos != limit.nanos && !overcommit_allowed(name) {
                    errs.invalid(
                        &requests_path,
                        &quote(&request.canonical()),
                        &format!("must be equal to {name} limit of {}", limit.canonical()),
                    );
                } else if request.nanos > limit.nanos {
                    errs.invalid(
                        &requests_path,
                        &quote(&request.canonical()),
                        &format!(
                            "must be less than or equal to {name} limit of {}",
                            limit.canonical()
                        ),
                    );
                }
            }
            None if !limits.contains_key(name) && !overcommit_allowed(name) => {
                errs.required(
                    &limits_path,
                    "Limit must be set for non overcommitable resources",
                );
            }
            None => {}
        }
    }
}

fn probe(probe: Option<&core::Probe>, kind: ProbeKind, path: &str, errs: &mut Errors) {
    let Some(probe) = probe else {
        return;
    };
    handler(
        [
            ("exec", probe.exec.as_ref().map(Handler::Exec)),
            ("httpGet", probe.http_get.as_ref().map(Handler::HttpGet)),
            (
                "tcpSocket",
                probe.tcp_socket.as_ref().map(Handler::TcpSocket),
            ),
            ("grpc", probe.grpc.as_ref().map(Handler::Grpc)),
        ],
        None,
        path,
        errs,
    );
    for (field, value) in [
        ("initialDelaySeconds", probe.initial_delay_seconds),
        ("timeoutSeconds", probe.timeout_seconds),
        ("periodSeconds", probe.period_seconds),
        ("successThreshold", probe.success_threshold),
        ("failureThreshold", probe.failure_threshold),
    ] {
        errs.nonnegative(&child(path, field), i64::from(value.unwrap_or(0)));
    }
    if let Some(grace) = probe.termination_grace_period_seconds {
        if kind == ProbeKind::Readiness {
            errs.invalid(
                &child(path, "terminationGracePeriodSeconds"),
                &grace.to_string(),
                "must not be set for readinessProbes",
            );
        } else if grace <= 0 {
            errs.invalid(
                &child(path, "terminationGracePeriodSeconds"),
                &grace.to_string(),
                "must be greater than 0",
            );
        }
    }
    let success = probe.success_threshold.unwrap_or(0);
    if kind != ProbeKind::Readiness && success != 1 {
        errs.invalid(
            &child(path, "successThreshold"),
            &success.to_string(),
            "must be 1",
        );
    }
}

enum Handler<'a> {
    Exec(&'a core::ExecAction),
    HttpGet(&'a core::HTTPGetAction),
    TcpSocket(&'a core::TCPSocketAction),
    Grpc(&'a core::GRPCAction),
    Sleep(&'a core::SleepAction),
}

/// `validateHandler`: exactly one handler type, each well-formed.
fn handler<const N: usize>(
    handlers: [(&str, Option<Handler<'_>>); N],
    grace: Option<i64>,
    path: &str,
    errs: &mut Errors,
) {
    let mut count = 0;
    for (field, h) in handlers {
        let Some(h) = h else {
            continue;
        };
        let p = child(path, field);
        if count > 0 {
            errs.forbidden(&p, "may not specify more than 1 handler type");
            continue;
        }
        count += 1;
        match h {
            Handler::Exec(exec) => {
                if exec.command.as_ref().is_none_or(|c| c.is_empty()) {
                    errs.required(&child(&p, "command"), "");
                }
            }
            Handler::HttpGet(http) => {
                if opt_str(&http.path).is_empty() {
                    errs.required(&child(&p, "path"), "");
                }
                port_num_or_name(&http.port, &child(&p, "port"), errs);
                match opt_str(&http.scheme) {
                    "HTTP" | "HTTPS" => {}
                    other => {
                        errs.not_supported(&child(&p, "scheme"), &quote(other), &["HTTP", "HTTPS"])
                    }
                }
            }
            Handler::TcpSocket(tcp) => port_num_or_name(&tcp.port, &child(&p, "port"), errs),
            Handler::Grpc(grpc) => {
                port_num_or_name(&IntOrString::Int(grpc.port), &child(&p, "port"), errs)
            }
            Handler::Sleep(sleep) => {
                if let Some(grace) = grace {
                    if sleep.seconds < 0 || sleep.seconds > grace {
                        errs.invalid(
                            &p,
                            &sleep.seconds.to_string(),
                            &format!(
                                "must be non-negative and less than terminationGracePeriodSeconds ({grace})"
                            ),
                        );
                    }
                }
            }
        }
    }
    if count == 0 {
        errs.required(path, "must specify a handler type");
    }
}

fn validate_lifecycle(
    lifecycle: &core::Lifecycle,
    grace: Option<i64>,
    path: &str,
    errs: &mut Errors,
) {
    for (field, h) in [
        ("postStart", &lifecycle.post_start),
        ("preStop", &lifecycle.pre_stop),
    ] {
        if let Some(h) = h {
            handler(
                [
                    ("exec", h.exec.as_ref().map(Handler::Exec)),
                    ("httpGet", h.http_get.as_ref().map(Handler::HttpGet)),
                    ("tcpSocket", h.tcp_socket.as_ref().map(Handler::TcpSocket)),
                    ("sleep", h.sleep.as_ref().map(Handler::Sleep)),
                ],
                grace,
                &child(path, field),
                errs,
            );
        }
    }
}

/// `ValidatePortNumOrName`.
fn port_num_or_name(port: &IntOrString, path: &str, errs: &mut Errors) {
    match port {
        IntOrString::Int(n) => {
            if !(1..=65535).contains(n) {
                errs.invalid(path, &n.to_string(), PORT_RANGE);
            }
        }
        IntOrString::String(name) => {
            for msg in port_name_errors(name) {
                errs.invalid(path, &quote(name), &msg);
            }
        }
    }
}

fn tolerations(list: &[core::Toleration], path: &str, errs: &mut Errors) {
    for (i, t) in list.iter().enumerate() {
        let p = index(path, i);
        let key_name = opt_str(&t.key);
        let operator = opt_str(&t.operator);
        let effect = opt_str(&t.effect);
        let value = opt_str(&t.value);
        if !key_name.is_empty() {
            for msg in label_key_errors(key_name) {
                errs.invalid(&child(&p, "key"), &quote(key_name), &msg);
            }
        }
        if key_name.is_empty() && operator != "Exists" {
            errs.invalid(
                &child(&p, "operator"),
                &quote(operator),
                "operator must be Exists when `key` is empty, which means \"match all values and all keys\"",
            );
        }
        if t.toleration_seconds.is_some() && effect != "NoExecute" {
            errs.invalid(
                &child(&p, "effect"),
                &quote(effect),
                "effect must be 'NoExecute' when `tolerationSeconds` is set",
            );
        }
        match operator {
            "Equal" | "" => {
                let msgs = label_value_errors(value);
                if !msgs.is_empty() {
                    errs.invalid(&child(&p, "operator"), &quote(value), &msgs.join(";"));
                }
            }
            "Exists" => {
                if !value.is_empty() {
                    errs.invalid(
                        &child(&p, "operator"),
                        &quote(value),
                        "value must be empty when `operator` is 'Exists'",
                    );
                }
            }
            other => {
                errs.not_supported(&child(&p, "operator"), &quote(other), &["Equal", "Exists"])
            }
        }
        if !effect.is_empty() && !matches!(effect, "NoSchedule" | "PreferNoSchedule" | "NoExecute")
        {
            errs.not_supported(
                &child(&p, "effect"),
                &quote(effect),
                &["NoSchedule", "PreferNoSchedule", "NoExecute"],
            );
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Label selectors and workloads (pkg/apis/apps/validation, pkg/apis/core/validation for RCs)
// ---------------------------------------------------------------------------------------------

/// A required `*metav1.LabelSelector` left out of the manifest decodes as an empty one; the
/// API server sees a nil pointer.
fn selector_is_nil(selector: &LabelSelector) -> bool {
    selector.match_labels.is_none() && selector.match_expressions.is_none()
}

fn selector_is_empty(selector: &LabelSelector) -> bool {
    selector.match_labels.as_ref().map_or(0, |m| m.len())
        + selector.match_expressions.as_ref().map_or(0, |e| e.len())
        == 0
}

/// `ValidateLabelSelector`; returns whether the selector converts to a `labels.Selector`.
fn label_selector(selector: &LabelSelector, path: &str, errs: &mut Errors) -> bool {
    let before = errs.list.len();
    validate_labels(
        selector.match_labels.as_ref(),
        &child(path, "matchLabels"),
        errs,
    );
    for (i, r) in selector.match_expressions.iter().flatten().enumerate() {
        let p = index(&child(path, "matchExpressions"), i);
        let values = r.values.as_deref().unwrap_or(&[]);
        match r.operator.as_str() {
            "In" | "NotIn" => {
                if values.is_empty() {
                    errs.required(
                        &child(&p, "values"),
                        "must be specified when `operator` is 'In' or 'NotIn'",
                    );
                }
            }
            "Exists" | "DoesNotExist" => {
                if !values.is_empty() {
                    errs.forbidden(
                        &child(&p, "values"),
                        "may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
                    );
                }
            }
            other => errs.invalid(
                &child(&p, "operator"),
                &quote(other),
                "not a valid selector operator",
            ),
        }
        for msg in label_key_errors(&r.key) {
            errs.invalid(&child(&p, "key"), &quote(&r.key), &msg);
        }
        for (j, value) in values.iter().enumerate() {
            for msg in label_value_errors(value) {
                errs.invalid(&index(&child(&p, "values"), j), &quote(value), &msg);
            }
        }
    }
    errs.list.len() == before
}

/// The selector of an apps workload: `Required value` when absent, `empty selector is invalid
/// for <kind>` when empty. Returns the selector to match the template against, or `None` when
/// it does not convert (upstream then reports `invalid_detail` on `spec.selector`).
fn workload_selector(
    selector: &LabelSelector,
    kind_word: &str,
    invalid_detail: &str,
    errs: &mut Errors,
) -> Option<Selector> {
    if selector_is_nil(selector) {
        errs.required("spec.selector", "");
        return Some(Selector::from_label_selector(None));
    }
    let converts = label_selector(selector, "spec.selector", errs);
    if selector_is_empty(selector) {
        errs.invalid(
            "spec.selector",
            &go_label_selector(selector),
            &format!("empty selector is invalid for {kind_word}"),
        );
    }
    if converts {
        Some(Selector::from_label_selector(Some(selector)))
    } else {
        errs.invalid(
            "spec.selector",
            &go_label_selector(selector),
            invalid_detail,
        );
        None
    }
}

fn selector_mismatch(
    selector: &Selector,
    template: &core::PodTemplateSpec,
    path: &str,
    errs: &mut Errors,
) {
    let labels = template_labels(template);
    if !selector.is_empty() && !selector.matches(labels) {
        errs.invalid(
            &child(path, "metadata.labels"),
            &go_string_map(labels),
            "`selector` does not match template `labels`",
        );
    }
}

/// `ValidatePodTemplateSpecForReplicaSet` (Deployments and ReplicaSets).
fn replica_set_template(template: &core::PodTemplateSpec, selector: &Selector, errs: &mut Errors) {
    let path = "spec.template";
    selector_mismatch(selector, template, path, errs);
    pod_template_spec(template, path, errs);
    always_restart_only(template, path, "ReplicaSet", errs);
}

/// Controllers that keep pods running accept only `restartPolicy: Always` and no
/// `activeDeadlineSeconds`.
fn always_restart_only(
    template: &core::PodTemplateSpec,
    path: &str,
    kind: &str,
    errs: &mut Errors,
) {
    let spec = template_spec(template);
    let policy = opt_str(&spec.restart_policy);
    if policy != "Always" {
        errs.not_supported(
            &child(path, "spec.restartPolicy"),
            &quote(policy),
            &["Always"],
        );
    }
    if spec.active_deadline_seconds.is_some() {
        errs.forbidden(
            &child(path, "spec.activeDeadlineSeconds"),
            &format!("activeDeadlineSeconds in {kind} is not Supported"),
        );
    }
}

fn selector_immutable(new: &LabelSelector, old: &LabelSelector, errs: &mut Errors) {
    let norm = |s: &LabelSelector| {
        (
            s.match_labels.clone().unwrap_or_default(),
            s.match_expressions.clone().unwrap_or_default(),
        )
    };
    if norm(new) != norm(old) {
        let value = if selector_is_nil(new) {
            "null".to_string()
        } else {
            go_label_selector(new)
        };
        errs.invalid("spec.selector", &value, FIELD_IMMUTABLE);
    }
}

/// `getIntOrPercentValue`.
fn int_or_percent_value(value: &IntOrString) -> i64 {
    match value {
        IntOrString::Int(i) => i64::from(*i),
        IntOrString::String(s) => percent_value(s)
            .or_else(|| s.parse::<i64>().ok())
            .unwrap_or(0),
    }
}

/// `ValidatePositiveIntOrPercent`.
fn positive_int_or_percent(value: &IntOrString, path: &str, errs: &mut Errors) {
    match value {
        IntOrString::String(s) => {
            if percent_value(s).is_none() {
                errs.invalid(
                    path,
                    &int_or_string(value),
                    &regex_error(PERCENT_MSG, PERCENT_FMT, &["1%", "93%"]),
                );
            }
        }
        IntOrString::Int(i) => errs.nonnegative(path, i64::from(*i)),
    }
}

/// `IsNotMoreThan100Percent`.
fn not_more_than_100_percent(value: &IntOrString, path: &str, errs: &mut Errors) {
    if let IntOrString::String(s) = value {
        if percent_value(s).is_some_and(|p| p > 100) {
            errs.invalid(path, &int_or_string(value), "must not be greater than 100%");
        }
    }
}

fn deployment(d: &apps::Deployment, old: Option<&apps::Deployment>, errs: &mut Errors) {
    let spec = &d.spec;
    errs.nonnegative("spec.replicas", i64::from(spec.replicas.unwrap_or(0)));
    if let Some(selector) =
        workload_selector(&spec.selector, "deployment", "invalid label selector", errs)
    {
        replica_set_template(&spec.template, &selector, errs);
    }
    if let Some(strategy) = &spec.strategy {
        deployment_strategy(strategy, "spec.strategy", errs);
    }
    let min_ready = spec.min_ready_seconds.unwrap_or(0);
    errs.nonnegative("spec.minReadySeconds", i64::from(min_ready));
    if let Some(limit) = spec.revision_history_limit {
        errs.nonnegative("spec.revisionHistoryLimit", i64::from(limit));
    }
    if let Some(deadline) = spec.progress_deadline_seconds {
        errs.nonnegative("spec.progressDeadlineSeconds", i64::from(deadline));
        if deadline <= min_ready {
            errs.invalid(
                "spec.progressDeadlineSeconds",
                &deadline.to_string(),
                "must be greater than minReadySeconds",
            );
        }
    }
    if let Some(old) = old {
        selector_immutable(&spec.selector, &old.spec.selector, errs);
    }
}

fn deployment_strategy(strategy: &apps::DeploymentStrategy, path: &str, errs: &mut Errors) {
    match opt_str(&strategy.type_) {
        "Recreate" => {
            if strategy.rolling_update.is_some() {
                errs.forbidden(
                    &child(path, "rollingUpdate"),
                    "may not be specified when strategy `type` is 'Recreate'",
                );
            }
        }
        // An empty type is defaulted to RollingUpdate (with 25%/25%).
        "RollingUpdate" | "" => {
            let Some(rolling) = &strategy.rolling_update else {
                if strategy.type_.as_deref() == Some("RollingUpdate") {
                    errs.required(
                        &child(path, "rollingUpdate"),
                        "this should be defaulted and never be nil",
                    );
                }
                return;
            };
            let p = child(path, "rollingUpdate");
            let default = IntOrString::String("25%".to_string());
            let unavailable = rolling.max_unavailable.as_ref().unwrap_or(&default);
            let surge = rolling.max_surge.as_ref().unwrap_or(&default);
            positive_int_or_percent(unavailable, &child(&p, "maxUnavailable"), errs);
            positive_int_or_percent(surge, &child(&p, "maxSurge"), errs);
            if int_or_percent_value(unavailable) == 0 && int_or_percent_value(surge) == 0 {
                errs.invalid(
                    &child(&p, "maxUnavailable"),
                    &int_or_string(unavailable),
                    "may not be 0 when `maxSurge` is 0",
                );
            }
            not_more_than_100_percent(unavailable, &child(&p, "maxUnavailable"), errs);
        }
        other => errs.not_supported(
            path,
            &format!(
                "apps.DeploymentStrategy{{Type:{}, RollingUpdate:{}}}",
                quote(other),
                go_pointer(
                    "apps.RollingUpdateDeployment",
                    strategy.rolling_update.is_some()
                )
            ),
            &["Recreate", "RollingUpdate"],
        ),
    }
}

/// `%#v` of a struct pointer field: nil, or an address (upstream prints the real one).
fn go_pointer(type_name: &str, set: bool) -> String {
    if set {
        format!("(*{type_name})(0xc000a1c2d0)")
    } else {
        format!("(*{type_name})(nil)")
    }
}

fn replica_set(rs: &apps::ReplicaSet, old: Option<&apps::ReplicaSet>, errs: &mut Errors) {
    let spec = &rs.spec;
    errs.nonnegative("spec.replicas", i64::from(spec.replicas.unwrap_or(0)));
    errs.nonnegative(
        "spec.minReadySeconds",
        i64::from(spec.min_ready_seconds.unwrap_or(0)),
    );
    // sic: upstream words the ReplicaSet message with "deployment".
    if let Some(selector) =
        workload_selector(&spec.selector, "deployment", "invalid label selector", errs)
    {
        let template = spec.template.clone().unwrap_or_default();
        replica_set_template(&template, &selector, errs);
    }
    if let Some(old) = old {
        selector_immutable(&spec.selector, &old.spec.selector, errs);
    }
}

fn replication_controller(rc: &core::ReplicationController, errs: &mut Errors) {
    let spec = rc.spec.clone().unwrap_or_default();
    errs.nonnegative(
        "spec.minReadySeconds",
        i64::from(spec.min_ready_seconds.unwrap_or(0)),
    );
    if spec.selector.as_ref().is_none_or(|s| s.is_empty()) {
        errs.required("spec.selector", "");
    }
    errs.nonnegative("spec.replicas", i64::from(spec.replicas.unwrap_or(0)));
    let Some(template) = &spec.template else {
        errs.required("spec.template", "");
        return;
    };
    if let Some(selector) = spec.selector.as_ref().filter(|s| !s.is_empty()) {
        selector_mismatch(
            &Selector::from_map(selector),
            template,
            "spec.template",
            errs,
        );
    }
    pod_template_spec(template, "spec.template", errs);
    always_restart_only(template, "spec.template", "ReplicationController", errs);
}

fn daemon_set(ds: &apps::DaemonSet, old: Option<&apps::DaemonSet>, errs: &mut Errors) {
    let spec = &ds.spec;
    let converts = label_selector(&spec.selector, "spec.selector", errs);
    if converts {
        let selector = if selector_is_nil(&spec.selector) {
            Selector::from_label_selector(None)
        } else {
            Selector::from_label_selector(Some(&spec.selector))
        };
        let labels = template_labels(&spec.template);
        if !selector.matches(labels) {
            errs.invalid(
                "spec.template.metadata.labels",
                &go_string_map(labels),
                "`selector` does not match template `labels`",
            );
        }
    }
    if !selector_is_nil(&spec.selector) && selector_is_empty(&spec.selector) {
        errs.invalid(
            "spec.selector",
            &go_label_selector(&spec.selector),
            "empty selector is invalid for daemonset",
        );
    }
    pod_template_spec(&spec.template, "spec.template", errs);
    always_restart_only(&spec.template, "spec.template", "DaemonSet", errs);
    errs.nonnegative(
        "spec.minReadySeconds",
        i64::from(spec.min_ready_seconds.unwrap_or(0)),
    );
    if let Some(strategy) = &spec.update_strategy {
        let path = "spec.updateStrategy";
        match opt_str(&strategy.type_) {
            "OnDelete" => {}
            "RollingUpdate" => match &strategy.rolling_update {
                None => errs.required(&child(path, "rollingUpdate"), ""),
                Some(rolling) => {
                    let p = child(path, "rollingUpdate");
                    let unavailable = rolling
                        .max_unavailable
                        .clone()
                        .unwrap_or(IntOrString::Int(1));
                    let surge = rolling.max_surge.clone().unwrap_or(IntOrString::Int(0));
                    positive_int_or_percent(&unavailable, &child(&p, "maxUnavailable"), errs);
                    positive_int_or_percent(&surge, &child(&p, "maxSurge"), errs);
                    not_more_than_100_percent(&unavailable, &child(&p, "maxUnavailable"), errs);
                    not_more_than_100_percent(&surge, &child(&p, "maxSurge"), errs);
                    let has_unavailable = int_or_percent_value(&unavailable) != 0;
                    let has_surge = int_or_percent_value(&surge) != 0;
                    if has_unavailable && has_surge {
                        errs.invalid(
                            &child(&p, "maxSurge"),
                            &int_or_string(&surge),
                            "may not be set when maxUnavailable is non-zero",
                        );
                    } else if !has_unavailable && !has_surge {
                        errs.required(
                            &child(&p, "maxUnavailable"),
                            "cannot be 0 when maxSurge is 0",
                        );
                    }
                }
            },
            other => errs.not_supported(
                path,
                &format!(
                    "apps.DaemonSetUpdateStrategy{{Type:{}, RollingUpdate:{}}}",
                    quote(other),
                    go_pointer(
                        "apps.RollingUpdateDaemonSet",
                        strategy.rolling_update.is_some()
                    )
                ),
                &["RollingUpdate", "OnDelete"],
            ),
        }
    }
    if let Some(limit) = spec.revision_history_limit {
        errs.nonnegative("spec.revisionHistoryLimit", i64::from(limit));
    }
    if let Some(old) = old {
        selector_immutable(&spec.selector, &old.spec.selector, errs);
    }
}

fn stateful_set(ss: &apps::StatefulSet, old: Option<&apps::StatefulSet>, errs: &mut Errors) {
    let spec = &ss.spec;
    match opt_str(&spec.pod_management_policy) {
        "" => errs.required("spec.podManagementPolicy", ""),
        "OrderedReady" | "Parallel" => {}
        other => errs.invalid(
            "spec.podManagementPolicy",
            &quote(other),
            "must be 'OrderedReady' or 'Parallel'",
        ),
    }
    let strategy = spec.update_strategy.clone().unwrap_or_default();
    match opt_str(&strategy.type_) {
        "" => errs.required("spec.updateStrategy", ""),
        "OnDelete" => {
            if let Some(rolling) = &strategy.rolling_update {
                errs.invalid(
                    "spec.updateStrategy.rollingUpdate",
                    &format!(
                        "apps.RollingUpdateStatefulSetStrategy{{Partition:{}, MaxUnavailable:{}}}",
                        rolling.partition.unwrap_or(0),
                        go_pointer("intstr.IntOrString", rolling.max_unavailable.is_some())
                    ),
                    "only allowed for updateStrategy 'RollingUpdate'",
                );
            }
        }
        "RollingUpdate" => {
            if let Some(rolling) = &strategy.rolling_update {
                let p = "spec.updateStrategy.rollingUpdate";
                errs.nonnegative(
                    &child(p, "partition"),
                    i64::from(rolling.partition.unwrap_or(0)),
                );
                if let Some(unavailable) = &rolling.max_unavailable {
                    let up = child(p, "maxUnavailable");
                    positive_int_or_percent(unavailable, &up, errs);
                    if int_or_percent_value(unavailable) == 0 {
                        errs.invalid(&up, &int_or_string(unavailable), "cannot be 0");
                    }
                    not_more_than_100_percent(unavailable, &up, errs);
                }
            }
        }
        other => errs.invalid(
            "spec.updateStrategy",
            &format!(
                "apps.StatefulSetUpdateStrategy{{Type:{}, RollingUpdate:{}}}",
                quote(other),
                go_pointer(
                    "apps.RollingUpdateStatefulSetStrategy",
                    strategy.rolling_update.is_some()
                )
            ),
            "must be 'RollingUpdate' or 'OnDelete'",
        ),
    }
    if let Some(policy) = &spec.persistent_volume_claim_retention_policy {
        for (field, value) in [
            ("whenDeleted", &policy.when_deleted),
            ("whenScaled", &policy.when_scaled),
        ] {
            let value = opt_str(value);
            if !matches!(value, "Retain" | "Delete") {
                errs.not_supported(
                    &format!("spec.persistentVolumeClaimRetentionPolicy.{field}"),
                    &quote(value),
                    &["Retain", "Delete"],
                );
            }
        }
    }
    errs.nonnegative("spec.replicas", i64::from(spec.replicas.unwrap_or(0)));
    errs.nonnegative(
        "spec.minReadySeconds",
        i64::from(spec.min_ready_seconds.unwrap_or(0)),
    );
    if let Some(ordinals) = &spec.ordinals {
        errs.nonnegative(
            "spec.ordinals.start",
            i64::from(ordinals.start.unwrap_or(0)),
        );
    }
    // StatefulSets validate their template's labels and annotations but not its pod spec
    // (upstream leaves that to pod creation, because volume mounts may name claim templates).
    if let Some(selector) = workload_selector(&spec.selector, "statefulset", "", errs) {
        let template = &spec.template;
        selector_mismatch(&selector, template, "spec.template", errs);
        let meta = template.metadata.as_ref();
        validate_labels(
            meta.and_then(|m| m.labels.as_ref()),
            "spec.template.labels",
            errs,
        );
        validate_annotations(
            meta.and_then(|m| m.annotations.as_ref()),
            "spec.template.annotations",
            errs,
        );
    }
    always_restart_only(&spec.template, "spec.template", "StatefulSet", errs);
    if let Some(old) = old.filter(|old| old.spec != *spec) {
        let strip = |s: &apps::StatefulSetSpec| {
            let mut s = s.clone();
            s.replicas = None;
            s.template = Default::default();
            s.update_strategy = None;
            s.min_ready_seconds = None;
            s.ordinals = None;
            s.persistent_volume_claim_retention_policy = None;
            s.revision_history_limit = None;
            serde_json::to_value(s).unwrap_or(Value::Null)
        };
        if !semantic_eq(&strip(spec), &strip(&old.spec)) {
            errs.forbidden(
                "spec",
                "updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'revisionHistoryLimit', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden",
            );
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Jobs and CronJobs (pkg/apis/batch/validation)
// ---------------------------------------------------------------------------------------------

/// `validateJobSpec`: what Jobs and CronJob job templates share.
fn job_spec(spec: &batch::JobSpec, path: &str, errs: &mut Errors) {
    for (field, value) in [
        ("parallelism", spec.parallelism.map(i64::from)),
        ("completions", spec.completions.map(i64::from)),
        ("activeDeadlineSeconds", spec.active_deadline_seconds),
        ("backoffLimit", spec.backoff_limit.map(i64::from)),
        (
            "ttlSecondsAfterFinished",
            spec.ttl_seconds_after_finished.map(i64::from),
        ),
        (
            "backoffLimitPerIndex",
            spec.backoff_limit_per_index.map(i64::from),
        ),
    ] {
        if let Some(value) = value {
            errs.nonnegative(&child(path, field), value);
        }
    }
    if let Some(max_failed) = spec.max_failed_indexes {
        errs.nonnegative(&child(path, "maxFailedIndexes"), i64::from(max_failed));
        if spec.backoff_limit_per_index.is_none() {
            errs.required(
                &child(path, "backoffLimitPerIndex"),
                "when maxFailedIndexes is specified",
            );
        }
    }
    let mode = spec.completion_mode.as_deref();
    if let Some(mode) = mode {
        if !matches!(mode, "NonIndexed" | "Indexed") {
            errs.not_supported(
                &child(path, "completionMode"),
                &quote(mode),
                &["NonIndexed", "Indexed"],
            );
        }
    }
    if mode == Some("Indexed") {
        if spec.completions.is_none() {
            errs.required(
                &child(path, "completions"),
                "when completion mode is Indexed",
            );
        }
        if let Some(parallelism) = spec.parallelism.filter(|p| *p > 100_000) {
            errs.invalid(
                &child(path, "parallelism"),
                &parallelism.to_string(),
                "must be less than or equal to 100000 when completion mode is Indexed",
            );
        }
        if let (Some(completions), Some(max_failed)) = (spec.completions, spec.max_failed_indexes) {
            if max_failed > completions {
                errs.invalid(
                    &child(path, "maxFailedIndexes"),
                    &max_failed.to_string(),
                    "must be less than or equal to completions",
                );
            }
        }
    } else {
        if let Some(limit) = spec.backoff_limit_per_index {
            errs.invalid(
                &child(path, "backoffLimitPerIndex"),
                &limit.to_string(),
                "requires indexed completion mode",
            );
        }
        if let Some(max_failed) = spec.max_failed_indexes {
            errs.invalid(
                &child(path, "maxFailedIndexes"),
                &max_failed.to_string(),
                "requires indexed completion mode",
            );
        }
    }
    if let Some(policy) = spec.pod_replacement_policy.as_deref() {
        if !matches!(policy, "Failed" | "TerminatingOrFailed") {
            errs.not_supported(
                &child(path, "podReplacementPolicy"),
                &quote(policy),
                &["Failed", "TerminatingOrFailed"],
            );
        }
    }
    let template_path = child(path, "template");
    pod_template_spec(&spec.template, &template_path, errs);
    let restart_path = child(&template_path, "spec.restartPolicy");
    let template = template_spec(&spec.template);
    match opt_str(&template.restart_policy) {
        "Always" | "" => errs.required(&restart_path, "valid values: \"OnFailure\", \"Never\""),
        "OnFailure" | "Never" => {
            if spec.pod_failure_policy.is_some()
                && template.restart_policy.as_deref() != Some("Never")
            {
                errs.invalid(
                    &restart_path,
                    &quote(opt_str(&template.restart_policy)),
                    "only \"Never\" is supported when podFailurePolicy is specified",
                );
            }
        }
        other => errs.not_supported(&restart_path, &quote(other), &["OnFailure", "Never"]),
    }
}

fn job_object(job: &batch::Job, old: Option<&batch::Job>, errs: &mut Errors) {
    let spec = job.spec.clone().unwrap_or_default();
    job_spec(&spec, "spec", errs);
    // The API server generates the selector (and the template labels it matches) unless
    // `manualSelector` is set; a given selector must match the template.
    match &spec.selector {
        None if spec.manual_selector == Some(true) => errs.required("spec.selector", ""),
        None => {}
        Some(selector) if label_selector(selector, "spec.selector", errs) => {
            let selector = Selector::from_label_selector(Some(selector));
            let labels = template_labels(&spec.template);
            if !selector.matches(labels) {
                errs.invalid(
                    "spec.template.metadata.labels",
                    &go_string_map(labels),
                    "`selector` does not match template `labels`",
                );
            }
        }
        Some(_) => {}
    }
    if spec.completion_mode.as_deref() == Some("Indexed") {
        if let Some(completions) = spec.completions.filter(|c| *c > 0) {
            let hostname = format!(
                "{}-{}",
                job.metadata.name.as_deref().unwrap_or(""),
                completions - 1
            );
            if !dns1123_label_errors(&hostname).is_empty() {
                errs.invalid(
                    "metadata.name",
                    &quote(job.metadata.name.as_deref().unwrap_or("")),
                    &format!("will not able to create pod with invalid DNS label: {hostname}"),
                );
            }
        }
    }
    let Some(old) = old else {
        return;
    };
    let old_spec = old.spec.clone().unwrap_or_default();
    if spec.completion_mode.as_deref() != Some("Indexed")
        && spec.completions != old_spec.completions
    {
        errs.invalid(
            "spec.completions",
            &opt_i64(spec.completions),
            FIELD_IMMUTABLE,
        );
    }
    let selector_value = |s: &Option<LabelSelector>| serde_json::to_value(s).unwrap_or(Value::Null);
    if !semantic_eq(
        &selector_value(&spec.selector),
        &selector_value(&old_spec.selector),
    ) {
        let shown = spec
            .selector
            .as_ref()
            .map_or_else(|| "null".to_string(), go_label_selector);
        errs.invalid("spec.selector", &shown, FIELD_IMMUTABLE);
    }
    let template_value = || serde_json::to_value(&spec.template).unwrap_or(Value::Null);
    let old_template_value = || serde_json::to_value(&old_spec.template).unwrap_or(Value::Null);
    if old_spec.suspend != Some(true)
        && spec.template != old_spec.template
        && !semantic_eq(&template_value(), &old_template_value())
    {
        errs.invalid(
            "spec.template",
            &go_dump("core.PodTemplateSpec", &template_value()),
            FIELD_IMMUTABLE,
        );
    }
    for (field, new, old) in [
        (
            "completionMode",
            &spec.completion_mode,
            &old_spec.completion_mode,
        ),
        ("managedBy", &spec.managed_by, &old_spec.managed_by),
    ] {
        if new != old {
            let shown = new.as_deref().map_or_else(|| "null".to_string(), quote);
            errs.invalid(&child("spec", field), &shown, FIELD_IMMUTABLE);
        }
    }
    if spec.backoff_limit_per_index != old_spec.backoff_limit_per_index {
        errs.invalid(
            "spec.backoffLimitPerIndex",
            &opt_i64(spec.backoff_limit_per_index),
            FIELD_IMMUTABLE,
        );
    }
}

fn cron_job(cj: &batch::CronJob, old: Option<&batch::CronJob>, errs: &mut Errors) {
    let spec = &cj.spec;
    if spec.schedule.is_empty() {
        errs.required("spec.schedule", "");
    } else {
        if let Err(message) = cron_schedule(&spec.schedule) {
            errs.invalid("spec.schedule", &quote(&spec.schedule), &message);
        }
        // A stored schedule that already used TZ may keep it (unless timeZone is also set).
        let tz_allowed = old.is_some_and(|o| o.spec.schedule.contains("TZ"));
        if tz_allowed && spec.schedule.contains("TZ") && spec.time_zone.is_some() {
            errs.invalid(
                "spec.schedule",
                &quote(&spec.schedule),
                "cannot use both timeZone field and TZ or CRON_TZ in schedule",
            );
        } else if !tz_allowed && spec.schedule.contains("TZ") {
            errs.invalid(
                "spec.schedule",
                &quote(&spec.schedule),
                "cannot use TZ or CRON_TZ in schedule, use timeZone field instead",
            );
        }
    }
    if let Some(deadline) = spec.starting_deadline_seconds {
        errs.nonnegative("spec.startingDeadlineSeconds", deadline);
    }
    if let Some(zone) = &spec.time_zone {
        if old.is_none_or(|o| o.spec.time_zone.as_ref() != Some(zone)) {
            time_zone(zone, errs);
        }
    }
    match opt_str(&spec.concurrency_policy) {
        "Allow" | "Forbid" | "Replace" => {}
        "" => errs.required("spec.concurrencyPolicy", ""),
        other => errs.not_supported(
            "spec.concurrencyPolicy",
            &quote(other),
            &["Allow", "Forbid", "Replace"],
        ),
    }
    let job_spec_value = spec.job_template.spec.clone().unwrap_or_else(|| {
        let mut job_spec = batch::JobSpec::default();
        crate::defaults::default_pod_spec(
            job_spec.template.spec.get_or_insert_with(Default::default),
        );
        job_spec
    });
    job_spec(&job_spec_value, "spec.jobTemplate.spec", errs);
    if let Some(selector) = &job_spec_value.selector {
        errs.invalid(
            "spec.jobTemplate.spec.selector",
            &go_label_selector(selector),
            "`selector` will be auto-generated",
        );
    }
    if job_spec_value.manual_selector == Some(true) {
        errs.not_supported(
            "spec.jobTemplate.spec.manualSelector",
            "true",
            &["nil", "false"],
        );
    }
    for (field, value) in [
        (
            "successfulJobsHistoryLimit",
            spec.successful_jobs_history_limit,
        ),
        ("failedJobsHistoryLimit", spec.failed_jobs_history_limit),
    ] {
        if let Some(value) = value {
            errs.nonnegative(&child("spec", field), i64::from(value));
        }
    }
}

/// `validateTimeZone`, without the IANA database look-up.
fn time_zone(zone: &str, errs: &mut Errors) {
    let path = "spec.timeZone";
    if zone.is_empty() {
        errs.invalid(
            path,
            &quote(zone),
            "timeZone must be nil or non-empty string",
        );
        return;
    }
    let part_ok = |part: &str| {
        !part.is_empty()
            && part.len() <= 14
            && part != "."
            && part != ".."
            && !part.starts_with('-')
            && part
                .bytes()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'.' | b'-' | b'_' | b'+'))
    };
    if !zone.split('/').all(part_ok) {
        errs.invalid(path, &quote(zone), &format!("unknown time zone {zone}"));
        return;
    }
    if zone.eq_ignore_ascii_case("Local") {
        errs.invalid(
            path,
            &quote(zone),
            "timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones",
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Pods, Services, ConfigMaps, Secrets, PersistentVolumeClaims (pkg/apis/core/validation)
// ---------------------------------------------------------------------------------------------

const UPDATABLE_POD_FIELDS: &str = "`spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)";

fn pod_object(pod: &core::Pod, old: Option<&core::Pod>, errs: &mut Errors) {
    let spec = pod.spec.clone().unwrap_or_default();
    pod_spec(&spec, "spec", errs);
    for (field, list) in [
        ("containers", Some(&spec.containers)),
        ("initContainers", spec.init_containers.as_ref()),
    ] {
        for (i, c) in list.into_iter().flatten().enumerate() {
            let image = opt_str(&c.image);
            if image.trim() != image {
                errs.invalid(
                    &child(&index(&child("spec", field), i), "image"),
                    &quote(image),
                    "must not have leading or trailing whitespace",
                );
            }
        }
    }
    let Some(old) = old else {
        if spec
            .ephemeral_containers
            .as_ref()
            .is_some_and(|e| !e.is_empty())
        {
            errs.forbidden("spec.ephemeralContainers", "cannot be set on create");
        }
        return;
    };
    let old_spec = old.spec.clone().unwrap_or_default();
    for (field, new_list, old_list) in [
        (
            "containers",
            spec.containers.clone(),
            old_spec.containers.clone(),
        ),
        (
            "initContainers",
            spec.init_containers.clone().unwrap_or_default(),
            old_spec.init_containers.clone().unwrap_or_default(),
        ),
    ] {
        let path = child("spec", field);
        if new_list.len() != old_list.len() {
            errs.forbidden(&path, "pod updates may not add or remove containers");
            return;
        }
        for (i, c) in new_list.iter().enumerate() {
            if opt_str(&c.image).is_empty() {
                errs.required(&child(&index(&path, i), "image"), "");
            }
        }
    }
    if let Some(deadline) = spec.active_deadline_seconds {
        if !(0..=MAX_INT32).contains(&deadline) {
            errs.invalid(
                "spec.activeDeadlineSeconds",
                &deadline.to_string(),
                &format!("must be between 0 and {MAX_INT32}, inclusive"),
            );
            return;
        }
        if old_spec
            .active_deadline_seconds
            .is_some_and(|old| old < deadline)
        {
            errs.invalid(
                "spec.activeDeadlineSeconds",
                &deadline.to_string(),
                "must be less than or equal to previous value",
            );
            return;
        }
    } else if old_spec.active_deadline_seconds.is_some() {
        errs.invalid(
            "spec.activeDeadlineSeconds",
            "null",
            "must not update from a positive integer to nil value",
        );
    }
    // Tolerations may only be added (an existing one may change its tolerationSeconds).
    let new_tolerations = spec.tolerations.clone().unwrap_or_default();
    for old_toleration in old_spec.tolerations.iter().flatten() {
        let kept = new_tolerations.iter().any(|t| {
            let mut old_toleration = old_toleration.clone();
            old_toleration.toleration_seconds = t.toleration_seconds;
            old_toleration == *t
        });
        if !kept {
            errs.forbidden(
                "spec.tolerations",
                "existing toleration can not be modified except its tolerationSeconds",
            );
            break;
        }
    }
    // Everything else must be unchanged: compare with the updatable fields taken from the old.
    let mut munged = spec.clone();
    for (c, old_c) in munged.containers.iter_mut().zip(&old_spec.containers) {
        c.image = old_c.image.clone();
    }
    for (c, old_c) in munged
        .init_containers
        .iter_mut()
        .flatten()
        .zip(old_spec.init_containers.iter().flatten())
    {
        c.image = old_c.image.clone();
    }
    munged.active_deadline_seconds = old_spec.active_deadline_seconds;
    munged.scheduling_gates = old_spec.scheduling_gates.clone();
    munged.tolerations = old_spec.tolerations.clone();
    if old_spec
        .termination_grace_period_seconds
        .is_some_and(|g| g < 0)
        && munged.termination_grace_period_seconds == Some(1)
    {
        munged.termination_grace_period_seconds = old_spec.termination_grace_period_seconds;
    }
    if munged == old_spec {
        return;
    }
    let old_value = serde_json::to_value(&old_spec).unwrap_or(Value::Null);
    let new_value = serde_json::to_value(&munged).unwrap_or(Value::Null);
    if !semantic_eq(&old_value, &new_value) {
        errs.forbidden(
            "spec",
            &format!(
                "pod updates may not change fields other than {UPDATABLE_POD_FIELDS}\n{}",
                cmp_diff("core.PodSpec", &old_value, &new_value)
            ),
        );
    }
}

fn service(svc: &core::Service, old: Option<&core::Service>, errs: &mut Errors) {
    let spec = svc.spec.clone().unwrap_or_default();
    let service_type = opt_str(&spec.type_);
    if let Some(old) = old {
        let old_spec = old.spec.clone().unwrap_or_default();
        cluster_ips_unchanged(&spec, &old_spec, errs);
    }
    let ports = spec.ports.clone().unwrap_or_default();
    let headless = cluster_ips(&spec).as_slice() == ["None"];
    if ports.is_empty() && !headless && service_type != "ExternalName" {
        errs.required("spec.ports", "");
    }
    match service_type {
        "LoadBalancer" | "NodePort" if headless => errs.invalid(
            "spec.clusterIPs[0]",
            "\"None\"",
            &format!("may not be set to 'None' for {service_type} services"),
        ),
        "ExternalName" => {
            // On update the API server drops the allocated cluster IP of a Service that
            // becomes ExternalName before validating.
            if old.is_none() && !cluster_ips(&spec).is_empty() {
                errs.forbidden(
                    "spec.clusterIPs",
                    "may not be set for ExternalName services",
                );
            }
            if spec.ip_families.as_ref().is_some_and(|f| !f.is_empty()) {
                errs.forbidden(
                    "spec.ipFamilies",
                    "may not be set for ExternalName services",
                );
            }
            if spec.ip_family_policy.is_some() {
                errs.forbidden(
                    "spec.ipFamilyPolicy",
                    "may not be set for ExternalName services",
                );
            }
            let cname = opt_str(&spec.external_name);
            let cname = cname.strip_suffix('.').unwrap_or(cname);
            if cname.is_empty() {
                errs.required("spec.externalName", "");
            } else {
                for msg in dns1123_subdomain_errors(cname) {
                    errs.invalid("spec.externalName", &quote(cname), &msg);
                }
            }
        }
        _ => {}
    }
    let mut port_names = BTreeSet::new();
    for (i, port) in ports.iter().enumerate() {
        let p = index("spec.ports", i);
        let name = opt_str(&port.name);
        if ports.len() > 1 && name.is_empty() {
            errs.required(&child(&p, "name"), "");
        } else if !name.is_empty() {
            for msg in dns1123_label_errors(name) {
                errs.invalid(&child(&p, "name"), &quote(name), &msg);
            }
            if !port_names.insert(name.to_string()) {
                errs.duplicate(&child(&p, "name"), &quote(name));
            }
        }
        if !(1..=65535).contains(&port.port) {
            errs.invalid(&child(&p, "port"), &port.port.to_string(), PORT_RANGE);
        }
        protocol(port.protocol.as_deref(), &child(&p, "protocol"), errs);
        // A zero or empty targetPort is defaulted to the port.
        match &port.target_port {
            None | Some(IntOrString::Int(0)) => {}
            Some(IntOrString::String(s)) if s.is_empty() => {}
            Some(target) => port_num_or_name(target, &child(&p, "targetPort"), errs),
        }
        if let Some(app_protocol) = &port.app_protocol {
            for msg in label_key_errors(app_protocol) {
                errs.invalid(&child(&p, "appProtocol"), &quote(app_protocol), &msg);
            }
        }
    }
    validate_labels(spec.selector.as_ref(), "spec.selector", errs);
    match opt_str(&spec.session_affinity) {
        "ClientIP" => {
            validate_client_ip_affinity_config(spec.session_affinity_config.as_ref(), errs)
        }
        "None" => {}
        "" if service_type == "ExternalName" => {}
        "" => errs.required("spec.sessionAffinity", ""),
        other => errs.not_supported("spec.sessionAffinity", &quote(other), &["ClientIP", "None"]),
    }
    if spec.session_affinity.as_deref() == Some("None") && spec.session_affinity_config.is_some() {
        errs.forbidden(
            "spec.sessionAffinityConfig",
            "must not be set when session affinity is None",
        );
    }
    match service_type {
        "ClusterIP" | "NodePort" | "LoadBalancer" | "ExternalName" => {}
        "" => errs.required("spec.type", ""),
        other => errs.not_supported(
            "spec.type",
            &quote(other),
            &["ClusterIP", "ExternalName", "LoadBalancer", "NodePort"],
        ),
    }
    if service_type == "ClusterIP" {
        for (i, port) in ports.iter().enumerate() {
            if port.node_port.unwrap_or(0) != 0 {
                errs.forbidden(
                    &child(&index("spec.ports", i), "nodePort"),
                    "may not be used when `type` is 'ClusterIP'",
                );
            }
        }
    }
    let mut node_ports = BTreeSet::new();
    for (i, port) in ports.iter().enumerate() {
        let node_port = port.node_port.unwrap_or(0);
        if node_port == 0 {
            continue;
        }
        if !node_ports.insert((opt_str(&port.protocol).to_string(), node_port)) {
            errs.duplicate(
                &child(&index("spec.ports", i), "nodePort"),
                &node_port.to_string(),
            );
        }
    }
    let mut seen_ports = BTreeSet::new();
    for (i, port) in ports.iter().enumerate() {
        let protocol = opt_str(&port.protocol).to_string();
        if !seen_ports.insert((protocol.clone(), port.port)) {
            errs.duplicate(
                &index("spec.ports", i),
                &format!(
                    "core.ServicePort{{Name:\"\", Protocol:{}, AppProtocol:(*string)(nil), Port:{}, TargetPort:intstr.IntOrString{{Type:0, IntVal:0, StrVal:\"\"}}, NodePort:0}}",
                    quote(&protocol),
                    port.port
                ),
            );
        }
    }
    let externally_accessible = matches!(service_type, "LoadBalancer" | "NodePort")
        || (service_type == "ClusterIP"
            && spec.external_ips.as_ref().is_some_and(|e| !e.is_empty()));
    match spec.external_traffic_policy.as_deref() {
        Some(policy) if !policy.is_empty() && !externally_accessible => errs.invalid(
            "spec.externalTrafficPolicy",
            &quote(policy),
            "may only be set for externally-accessible services",
        ),
        Some(policy) if externally_accessible && !matches!(policy, "Cluster" | "Local") => errs
            .not_supported(
                "spec.externalTrafficPolicy",
                &quote(policy),
                &["Cluster", "Local"],
            ),
        _ => {}
    }
    if let Some(policy) = spec.internal_traffic_policy.as_deref() {
        if !matches!(policy, "Cluster" | "Local") {
            errs.not_supported(
                "spec.internalTrafficPolicy",
                &quote(policy),
                &["Cluster", "Local"],
            );
        }
    }
}

/// `spec.clusterIPs` as the API server keeps it: synced from `spec.clusterIP`.
fn cluster_ips(spec: &core::ServiceSpec) -> Vec<String> {
    match (&spec.cluster_ips, spec.cluster_ip.as_deref()) {
        (Some(ips), _) if !ips.is_empty() => ips.clone(),
        (_, Some(ip)) if !ip.is_empty() => vec![ip.to_string()],
        _ => Vec::new(),
    }
}

/// `validateUpgradeDowngradeClusterIPs`: an allocated cluster IP may not change.
fn cluster_ips_unchanged(spec: &core::ServiceSpec, old: &core::ServiceSpec, errs: &mut Errors) {
    if opt_str(&spec.type_) == "ExternalName" || opt_str(&old.type_) == "ExternalName" {
        return;
    }
    let old_ips = cluster_ips(old);
    let mut new_ips = cluster_ips(spec);
    // A changed clusterIP with unchanged clusterIPs replaces the first clusterIPs entry.
    if let Some(ip) = spec.cluster_ip.as_deref().filter(|ip| !ip.is_empty()) {
        if spec.cluster_ip != old.cluster_ip
            && spec.cluster_ips.as_ref().is_none_or(|ips| *ips == old_ips)
        {
            new_ips = std::iter::once(ip.to_string())
                .chain(old_ips.iter().skip(1).cloned())
                .collect();
        }
    }
    // Without a cluster IP the API server keeps the allocated one.
    if new_ips.is_empty() {
        return;
    }
    if old_ips.as_slice() == ["None"] && new_ips.as_slice() == ["None"] {
        return;
    }
    let shown = go_string_slice(Some(&new_ips));
    if old_ips.len() == new_ips.len() {
        for (i, ip) in old_ips.iter().enumerate() {
            if *ip != new_ips[i] {
                errs.invalid(
                    &index("spec.clusterIPs", i),
                    &shown,
                    "may not change once set",
                );
            }
        }
    } else if !old_ips.is_empty() && new_ips[0] != old_ips[0] {
        errs.invalid("spec.clusterIPs[0]", &shown, "may not change once set");
    }
}

fn config_map(cm: &core::ConfigMap, old: Option<&core::ConfigMap>, errs: &mut Errors) {
    if let Some(old) = old {
        if old.immutable == Some(true) {
            const DETAIL: &str = "field is immutable when `immutable` is set";
            if cm.immutable != Some(true) {
                errs.forbidden("immutable", DETAIL);
            }
            if cm.data.clone().unwrap_or_default() != old.data.clone().unwrap_or_default() {
                errs.forbidden("data", DETAIL);
            }
            if cm.binary_data.clone().unwrap_or_default()
                != old.binary_data.clone().unwrap_or_default()
            {
                errs.forbidden("binaryData", DETAIL);
            }
        }
    }
    let mut total = 0usize;
    for (k, v) in cm.data.iter().flatten() {
        for msg in config_map_key_errors(k) {
            errs.invalid(&key("data", k), &quote(k), &msg);
        }
        if cm.binary_data.as_ref().is_some_and(|b| b.contains_key(k)) {
            errs.invalid(
                &key("data", k),
                &quote(k),
                "duplicate of key present in binaryData",
            );
        }
        total += v.len();
    }
    for (k, v) in cm.binary_data.iter().flatten() {
        for msg in config_map_key_errors(k) {
            errs.invalid(&key("binaryData", k), &quote(k), &msg);
        }
        total += v.0.len();
    }
    if total > 1024 * 1024 {
        // The whole object: upstream's empty field path prints as "[]".
        errs.too_long("[]", 1024 * 1024);
    }
}

fn secret_object(secret: &core::Secret, old: Option<&core::Secret>, errs: &mut Errors) {
    let secret_type = opt_str(&secret.type_);
    if let Some(old) = old {
        if secret.type_ != old.type_ {
            errs.invalid("type", &quote(secret_type), FIELD_IMMUTABLE);
        }
        if old.immutable == Some(true) {
            const DETAIL: &str = "field is immutable when `immutable` is set";
            if secret.immutable != Some(true) {
                errs.forbidden("immutable", DETAIL);
            }
            if secret.data.clone().unwrap_or_default() != old.data.clone().unwrap_or_default() {
                errs.forbidden("data", DETAIL);
            }
        }
    }
    let empty = BTreeMap::new();
    let data = secret.data.as_ref().unwrap_or(&empty);
    let mut total = 0usize;
    for (k, v) in data {
        for msg in config_map_key_errors(k) {
            errs.invalid(&key("data", k), &quote(k), &msg);
        }
        total += v.0.len();
    }
    if total > 1024 * 1024 {
        errs.too_long("data", 1024 * 1024);
    }
    let json_config = |config_key: &str, errs: &mut Errors| match data.get(config_key) {
        None => errs.required(&key("data", config_key), ""),
        Some(bytes) => {
            if let Some(message) = go_json_object_error(&bytes.0) {
                errs.invalid(
                    &key("data", config_key),
                    "\"<secret contents redacted>\"",
                    &message,
                );
            }
        }
    };
    match secret_type {
        "kubernetes.io/service-account-token" => {
            let annotations = secret.metadata.annotations.as_ref();
            if annotations
                .and_then(|a| a.get("kubernetes.io/service-account.name"))
                .is_none_or(|v| v.is_empty())
            {
                errs.required(
                    "metadata.annotations[kubernetes.io/service-account.name]",
                    "",
                );
            }
        }
        "kubernetes.io/dockercfg" => json_config(".dockercfg", errs),
        "kubernetes.io/dockerconfigjson" => json_config(".dockerconfigjson", errs),
        "kubernetes.io/basic-auth"
            if !data.contains_key("username") && !data.contains_key("password") =>
        {
            errs.required("data[username]", "");
            errs.required("data[password]", "");
        }
        "kubernetes.io/ssh-auth" if data.get("ssh-privatekey").is_none_or(|v| v.0.is_empty()) => {
            errs.required("data[ssh-privatekey]", "");
        }
        "kubernetes.io/tls" => {
            for tls_key in ["tls.crt", "tls.key"] {
                if !data.contains_key(tls_key) {
                    errs.required(&key("data", tls_key), "");
                }
            }
        }
        _ => {}
    }
}

/// What Go's `json.Unmarshal` into a `map[string]interface{}` says about bytes that are not a
/// JSON object (the common cases; `None` when they are one).
fn go_json_object_error(bytes: &[u8]) -> Option<String> {
    match serde_json::from_slice::<Value>(bytes) {
        Ok(Value::Object(_)) => None,
        Ok(other) => {
            let kind = match other {
                Value::Array(_) => "array",
                Value::String(_) => "string",
                Value::Number(_) => "number",
                Value::Bool(_) => "bool",
                _ => return None,
            };
            Some(format!(
                "json: cannot unmarshal {kind} into Go value of type map[string]interface {{}}"
            ))
        }
        Err(e) => {
            let text = String::from_utf8_lossy(bytes);
            let trimmed = text.trim_start_matches([' ', '\t', '\r', '\n']);
            // A leading n, t or f starts a literal: Go names the first character that breaks it.
            for literal in ["null", "true", "false"] {
                if trimmed.starts_with(&literal[..1]) {
                    let bad = trimmed
                        .chars()
                        .zip(literal.chars())
                        .find(|(got, want)| got != want);
                    if let Some((got, want)) = bad {
                        return Some(format!(
                            "invalid character {} in literal {literal} (expecting {})",
                            go_quote_char(got),
                            go_quote_char(want)
                        ));
                    }
                }
            }
            if text.trim().is_empty() || e.is_eof() {
                return Some("unexpected end of JSON input".to_string());
            }
            let position = e.column().saturating_sub(1);
            let line_start: usize = text
                .split_inclusive('\n')
                .take(e.line().saturating_sub(1))
                .map(str::len)
                .sum();
            let offending = text[line_start.min(text.len())..]
                .chars()
                .nth(position)
                .unwrap_or(' ');
            let looking_for = if e.to_string().starts_with("key must be a string") {
                "beginning of object key string"
            } else {
                "beginning of value"
            };
            Some(format!(
                "invalid character {} looking for {looking_for}",
                go_quote_char(offending)
            ))
        }
    }
}

/// Go's `quoteChar` in encoding/json errors: `'x'`.
fn go_quote_char(c: char) -> String {
    match c {
        '\'' => "'\\''".to_string(),
        '"' => "'\"'".to_string(),
        c => {
            let quoted = quote(&c.to_string());
            format!("'{}'", &quoted[1..quoted.len() - 1])
        }
    }
}

fn persistent_volume_claim(
    pvc: &core::PersistentVolumeClaim,
    old: Option<&core::PersistentVolumeClaim>,
    errs: &mut Errors,
) {
    let spec = pvc.spec.clone().unwrap_or_default();
    let modes = spec.access_modes.clone().unwrap_or_default();
    if modes.is_empty() {
        errs.required("spec.accessModes", "at least 1 access mode is required");
    }
    if let Some(selector) = &spec.selector {
        label_selector(selector, "spec.selector", errs);
    }
    const MODES: &[&str] = &[
        "ReadOnlyMany",
        "ReadWriteMany",
        "ReadWriteOnce",
        "ReadWriteOncePod",
    ];
    let (mut once_pod, mut other) = (false, false);
    for mode in &modes {
        if !MODES.contains(&mode.as_str()) {
            errs.not_supported("spec.accessModes", &quote(mode), MODES);
        }
        if mode == "ReadWriteOncePod" {
            once_pod = true;
        } else if MODES.contains(&mode.as_str()) {
            other = true;
        }
    }
    if once_pod && other {
        errs.forbidden(
            "spec.accessModes",
            "may not use ReadWriteOncePod with other access modes",
        );
    }
    let storage = storage_request(&spec);
    match storage.as_ref() {
        None => errs.required("spec.resources[storage]", ""),
        Some(q) if q.nanos <= 0 => errs.invalid(
            "spec.resources[storage]",
            &quote(&q.canonical()),
            "must be greater than zero",
        ),
        Some(_) => {}
    }
    if let Some(class) = spec.storage_class_name.as_deref().filter(|c| !c.is_empty()) {
        for msg in dns1123_subdomain_errors(class) {
            errs.invalid("spec.storageClassName", &quote(class), &msg);
        }
    }
    if let Some(mode) = spec.volume_mode.as_deref() {
        if !matches!(mode, "Block" | "Filesystem") {
            errs.not_supported("spec.volumeMode", &quote(mode), &["Block", "Filesystem"]);
        }
    }
    let Some(old) = old else {
        return;
    };
    let old_spec = old.spec.clone().unwrap_or_default();
    let mut new_clone = spec.clone();
    let mut old_clone = old_spec.clone();
    if opt_str(&old_spec.volume_name).is_empty() {
        old_clone.volume_name = new_clone.volume_name.clone();
    }
    // A class may be set once on a claim that had none.
    if new_clone.storage_class_name.is_some() && old_clone.storage_class_name.is_none() {
        new_clone.storage_class_name = None;
    }
    let bound = pvc.status.as_ref().and_then(|s| s.phase.as_deref()) == Some("Bound")
        || old.status.as_ref().and_then(|s| s.phase.as_deref()) == Some("Bound");
    if bound {
        let old_storage = old_spec
            .resources
            .as_ref()
            .and_then(|r| r.requests.as_ref())
            .and_then(|r| r.get("storage"))
            .cloned();
        if let Some(requests) = new_clone
            .resources
            .as_mut()
            .and_then(|r| r.requests.as_mut())
        {
            match old_storage {
                Some(q) => requests.insert("storage".to_string(), q),
                None => requests.remove("storage"),
            };
        }
        new_clone.volume_attributes_class_name = old_clone.volume_attributes_class_name.clone();
    }
    let old_value = serde_json::to_value(&old_clone).unwrap_or(Value::Null);
    let new_value = serde_json::to_value(&new_clone).unwrap_or(Value::Null);
    if !semantic_eq(&old_value, &new_value) {
        errs.forbidden(
            "spec",
            &format!(
                "spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims\n{}",
                cmp_diff("core.PersistentVolumeClaimSpec", &old_value, &new_value)
            ),
        );
    }
    if let (Some(new_size), Some(old_size)) = (storage, storage_request(&old_spec)) {
        let capacity = old
            .status
            .as_ref()
            .and_then(|s| s.capacity.as_ref())
            .and_then(|c| c.get("storage"))
            .and_then(|q| Qty::parse(&q.0))
            .map_or(0, |q| q.nanos);
        if new_size.nanos < old_size.nanos && new_size.nanos <= capacity {
            errs.forbidden(
                "spec.resources.requests.storage",
                "field can not be less than status.capacity",
            );
        }
    }
    if spec.volume_mode != old_spec.volume_mode {
        let shown = spec
            .volume_mode
            .as_deref()
            .map_or_else(|| "null".to_string(), quote);
        errs.invalid("volumeMode", &shown, FIELD_IMMUTABLE);
    }
}

fn storage_request(spec: &core::PersistentVolumeClaimSpec) -> Option<Qty> {
    let quantity: &Quantity = spec.resources.as_ref()?.requests.as_ref()?.get("storage")?;
    Qty::parse(&quantity.0).or(Some(Qty {
        nanos: 0,
        format: QFormat::DecimalSI,
    }))
}

// ---------------------------------------------------------------------------------------------
// Cron schedules (robfig/cron v3 ParseStandard, as the API server uses it)
// ---------------------------------------------------------------------------------------------

/// Parses a standard 5-field cron expression (or a `@descriptor`) and returns the parser's
/// error text on failure.
fn cron_schedule(spec: &str) -> Result<(), String> {
    if spec.is_empty() {
        return Err("empty spec string".to_string());
    }
    let mut spec = spec;
    if spec.starts_with("TZ=") || spec.starts_with("CRON_TZ=") {
        let Some(space) = spec.find(' ') else {
            return Err(
                "failed to parse cron schedule: runtime error: slice bounds out of range [:-1]"
                    .to_string(),
            );
        };
        spec = spec[space..].trim();
    }
    if let Some(descriptor) = spec.strip_prefix('@') {
        return match descriptor {
            "yearly" | "annually" | "monthly" | "weekly" | "daily" | "midnight" | "hourly" => {
                Ok(())
            }
            _ => match spec.strip_prefix("@every ") {
                Some(duration) => go_duration(duration)
                    .map(|_| ())
                    .map_err(|e| format!("failed to parse duration {spec}: {e}")),
                None => Err(format!("unrecognized descriptor: {spec}")),
            },
        };
    }
    let fields: Vec<&str> = spec.split_whitespace().collect();
    if fields.len() != 5 {
        return Err(format!(
            "expected exactly 5 fields, found {}: [{}]",
            fields.len(),
            fields.join(" ")
        ));
    }
    const MONTHS: &[&str] = &[
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ];
    const DAYS: &[&str] = &["sun", "mon", "tue", "wed", "thu", "fri", "sat"];
    let bounds: [(u64, u64, &[&str], u64); 5] = [
        (0, 59, &[], 0),
        (0, 23, &[], 0),
        (1, 31, &[], 0),
        (1, 12, MONTHS, 1),
        (0, 6, DAYS, 0),
    ];
    for (field, (min, max, names, first)) in fields.iter().zip(bounds) {
        for expr in field.split(',').filter(|e| !e.is_empty()) {
            cron_range(expr, min, max, names, first)?;
        }
    }
    Ok(())
}

/// `getRange` of robfig/cron: `*`, `?`, `N`, `N-M`, each optionally `/step`.
fn cron_range(expr: &str, min: u64, max: u64, names: &[&str], first: u64) -> Result<(), String> {
    let range_and_step: Vec<&str> = expr.split('/').collect();
    let low_and_high: Vec<&str> = range_and_step[0].split('-').collect();
    let single = low_and_high.len() == 1;
    let parse = |text: &str| -> Result<u64, String> {
        let lower = text.to_lowercase();
        if let Some(i) = names.iter().position(|n| *n == lower) {
            return Ok(i as u64 + first);
        }
        cron_int(text)
    };
    let (start, mut end) = if low_and_high[0] == "*" || low_and_high[0] == "?" {
        (min, max)
    } else {
        let start = parse(low_and_high[0])?;
        match low_and_high.len() {
            1 => (start, start),
            2 => (start, parse(low_and_high[1])?),
            _ => return Err(format!("too many hyphens: {expr}")),
        }
    };
    let step = match range_and_step.len() {
        1 => 1,
        2 => {
            let step = cron_int(range_and_step[1])?;
            if single {
                end = max;
            }
            step
        }
        _ => return Err(format!("too many slashes: {expr}")),
    };
    if start < min {
        return Err(format!(
            "beginning of range ({start}) below minimum ({min}): {expr}"
        ));
    }
    if end > max {
        return Err(format!(
            "end of range ({end}) above maximum ({max}): {expr}"
        ));
    }
    if start > end {
        return Err(format!(
            "beginning of range ({start}) beyond end of range ({end}): {expr}"
        ));
    }
    if step == 0 {
        return Err(format!("step of range should be a positive number: {expr}"));
    }
    Ok(())
}

/// `mustParseInt`: `strconv.Atoi` and no negatives.
fn cron_int(text: &str) -> Result<u64, String> {
    let digits = text.strip_prefix(['+', '-']).unwrap_or(text);
    if digits.is_empty() || !digits.bytes().all(|c| c.is_ascii_digit()) {
        return Err(format!(
            "failed to parse int from {text}: strconv.Atoi: parsing {}: invalid syntax",
            quote(text)
        ));
    }
    let Ok(value) = text.parse::<i64>() else {
        return Err(format!(
            "failed to parse int from {text}: strconv.Atoi: parsing {}: value out of range",
            quote(text)
        ));
    };
    if value < 0 {
        return Err(format!("negative number ({value}) not allowed: {text}"));
    }
    Ok(value as u64)
}

/// Go's `time.ParseDuration` (units ns, us, µs, ms, s, m, h), in nanoseconds.
fn go_duration(text: &str) -> Result<f64, String> {
    let invalid = || format!("time: invalid duration {}", quote(text));
    let mut rest = text.strip_prefix(['+', '-']).unwrap_or(text);
    if rest == "0" {
        return Ok(0.0);
    }
    if rest.is_empty() {
        return Err(invalid());
    }
    let mut total = 0f64;
    while !rest.is_empty() {
        let number_end = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(rest.len());
        let number = &rest[..number_end];
        if number.is_empty() || number == "." {
            return Err(invalid());
        }
        let value: f64 = number.parse().map_err(|_| invalid())?;
        rest = &rest[number_end..];
        let unit_end = rest
            .find(|c: char| c.is_ascii_digit() || c == '.')
            .unwrap_or(rest.len());
        let unit = &rest[..unit_end];
        let factor = match unit {
            "ns" => 1.0,
            "us" | "µs" | "μs" => 1e3,
            "ms" => 1e6,
            "s" => 1e9,
            "m" => 60e9,
            "h" => 3600e9,
            "" => return Err(format!("time: missing unit in duration {}", quote(text))),
            other => {
                return Err(format!(
                    "time: unknown unit {} in duration {}",
                    quote(other),
                    quote(text)
                ))
            }
        };
        total += value * factor;
        rest = &rest[unit_end..];
    }
    Ok(total)
}

// ---------------------------------------------------------------------------------------------
// Quantities: just enough of resource.Quantity to compare and print canonically
// ---------------------------------------------------------------------------------------------

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum QFormat {
    DecimalSI,
    BinarySI,
    DecimalExponent,
}

/// A quantity in nano-units with the format its suffix implies.
#[derive(Clone, Copy, Debug)]
struct Qty {
    nanos: i128,
    format: QFormat,
}

impl Qty {
    fn parse(text: &str) -> Option<Qty> {
        let text = text.trim();
        let (negative, rest) = match text.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, text.strip_prefix('+').unwrap_or(text)),
        };
        let number_end = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(rest.len());
        let (number, suffix) = rest.split_at(number_end);
        let (whole, fraction) = number.split_once('.').unwrap_or((number, ""));
        if whole.is_empty() && fraction.is_empty() || fraction.contains('.') {
            return None;
        }
        let (format, exp10, exp2): (QFormat, i32, u32) = match suffix {
            "" => (QFormat::DecimalSI, 0, 0),
            "n" => (QFormat::DecimalSI, -9, 0),
            "u" => (QFormat::DecimalSI, -6, 0),
            "m" => (QFormat::DecimalSI, -3, 0),
            "k" => (QFormat::DecimalSI, 3, 0),
            "M" => (QFormat::DecimalSI, 6, 0),
            "G" => (QFormat::DecimalSI, 9, 0),
            "T" => (QFormat::DecimalSI, 12, 0),
            "P" => (QFormat::DecimalSI, 15, 0),
            "E" => (QFormat::DecimalSI, 18, 0),
            "Ki" => (QFormat::BinarySI, 0, 10),
            "Mi" => (QFormat::BinarySI, 0, 20),
            "Gi" => (QFormat::BinarySI, 0, 30),
            "Ti" => (QFormat::BinarySI, 0, 40),
            "Pi" => (QFormat::BinarySI, 0, 50),
            "Ei" => (QFormat::BinarySI, 0, 60),
            other => {
                let exponent = other.strip_prefix(['e', 'E'])?;
                let digits = exponent.strip_prefix(['+', '-']).unwrap_or(exponent);
                if digits.is_empty() || !digits.bytes().all(|c| c.is_ascii_digit()) {
                    return None;
                }
                let exponent: i32 = exponent.parse().ok().filter(|e: &i32| e.abs() <= 30)?;
                (QFormat::DecimalExponent, exponent, 0)
            }
        };
        let digits = format!("{whole}{fraction}");
        let digits = digits.trim_start_matches('0');
        let digits = if digits.is_empty() { "0" } else { digits };
        if digits.len() > 30 {
            return None;
        }
        let mantissa: i128 = digits.parse().ok()?;
        // value = mantissa * 10^(exp10 - fraction digits) * 2^exp2, in nanos (rounded up).
        let scale = exp10 - fraction.len() as i32 + 9;
        let mut nanos = mantissa.checked_mul(1i128.checked_shl(exp2)?)?;
        if scale >= 0 {
            nanos = nanos.checked_mul(10i128.checked_pow(scale as u32)?)?;
        } else {
            let divisor = 10i128.checked_pow((-scale) as u32)?;
            nanos = (nanos + divisor - 1) / divisor;
        }
        Some(Qty {
            nanos: if negative { -nanos } else { nanos },
            format,
        })
    }

    /// `Quantity.String()`: the canonical form.
    fn canonical(&self) -> String {
        const NANO: i128 = 1_000_000_000;
        if self.nanos == 0 {
            return "0".to_string();
        }
        if self.format == QFormat::BinarySI
            && self.nanos.abs() >= 1024 * NANO
            && self.nanos % NANO == 0
        {
            let mut amount = self.nanos / NANO;
            let mut exponent = 0;
            while amount % 1024 == 0 && exponent < 6 {
                amount /= 1024;
                exponent += 1;
            }
            let suffix = ["", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"][exponent];
            return format!("{amount}{suffix}");
        }
        let mut amount = self.nanos;
        let mut exponent: i32 = -9;
        while amount % 10 == 0 {
            amount /= 10;
            exponent += 1;
        }
        match exponent.rem_euclid(3) {
            1 => {
                amount *= 10;
                exponent -= 1;
            }
            2 => {
                amount *= 100;
                exponent -= 2;
            }
            _ => {}
        }
        let suffix = if self.format == QFormat::DecimalExponent {
            if exponent == 0 {
                String::new()
            } else {
                format!("e{exponent}")
            }
        } else {
            match exponent {
                -9 => "n".to_string(),
                -6 => "u".to_string(),
                -3 => "m".to_string(),
                0 => String::new(),
                3 => "k".to_string(),
                6 => "M".to_string(),
                9 => "G".to_string(),
                12 => "T".to_string(),
                15 => "P".to_string(),
                18 => "E".to_string(),
                other => format!("e{other}"),
            }
        };
        format!("{amount}{suffix}")
    }
}

// ---------------------------------------------------------------------------------------------
// Comparing and printing specs: semantic equality and Go-like dumps and diffs
// ---------------------------------------------------------------------------------------------

/// `apiequality.Semantic.DeepEqual` on JSON: absent, null, empty strings, lists and maps are
/// the same (Go's zero values and nil/empty collections).
fn semantic_eq(a: &Value, b: &Value) -> bool {
    fn zero(v: Option<&Value>) -> bool {
        match v {
            None | Some(Value::Null) => true,
            Some(Value::String(s)) => s.is_empty(),
            Some(Value::Array(a)) => a.is_empty(),
            Some(Value::Object(o)) => o.values().all(|v| zero(Some(v))),
            _ => false,
        }
    }
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            x.keys()
                .chain(y.keys())
                .all(|k| match (x.get(k), y.get(k)) {
                    (Some(p), Some(q)) => semantic_eq(p, q),
                    (p, q) => zero(p) && zero(q),
                })
        }
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| semantic_eq(p, q))
        }
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        _ => a == b || (zero(Some(a)) && zero(Some(b))),
    }
}

/// Go field names of the JSON keys whose capitalization is not just the first letter.
fn go_field_name(json_key: &str) -> String {
    let special = match json_key {
        "dnsPolicy" => "DNSPolicy",
        "dnsConfig" => "DNSConfig",
        "httpGet" => "HTTPGet",
        "tcpSocket" => "TCPSocket",
        "grpc" => "GRPC",
        "tty" => "TTY",
        "os" => "OS",
        "hostIPC" => "HostIPC",
        "hostPID" => "HostPID",
        "uid" => "UID",
        "apiVersion" => "APIVersion",
        "externalIPs" => "ExternalIPs",
        "clusterIP" => "ClusterIP",
        "clusterIPs" => "ClusterIPs",
        "hostIP" => "HostIP",
        _ => "",
    };
    if !special.is_empty() {
        return special.to_string();
    }
    let mut chars = json_key.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Keys whose values are Go maps, printed with quoted keys.
fn is_map_field(json_key: &str) -> bool {
    matches!(
        json_key,
        "labels"
            | "annotations"
            | "nodeSelector"
            | "limits"
            | "requests"
            | "matchLabels"
            | "capacity"
            | "overhead"
    )
}

/// Go type names of well-known nested fields, for dumps.
fn go_type_of(json_key: &str) -> Option<&'static str> {
    Some(match json_key {
        "metadata" => "v1.ObjectMeta",
        "spec" => "core.PodSpec",
        "containers" | "initContainers" => "[]core.Container",
        "ports" => "[]core.ContainerPort",
        "env" => "[]core.EnvVar",
        "volumeMounts" => "[]core.VolumeMount",
        "volumes" => "[]core.Volume",
        "tolerations" => "[]core.Toleration",
        "resources" => "core.ResourceRequirements",
        "command" | "args" | "finalizers" => "[]string",
        "labels" | "annotations" | "nodeSelector" => "map[string]string",
        "limits" | "requests" => "core.ResourceList",
        _ => return None,
    })
}

/// A `%#v`-like dump of a JSON value under a Go type name (fields that are set only).
fn go_dump(type_name: &str, value: &Value) -> String {
    fn render(value: &Value, type_name: Option<&str>, map: bool) -> String {
        match value {
            Value::Null => "nil".to_string(),
            Value::Bool(b) => b.to_string(),
            Value::Number(n) => n.to_string(),
            Value::String(s) => quote(s),
            Value::Array(items) => {
                let element = type_name.and_then(|t| t.strip_prefix("[]"));
                let items: Vec<String> = items.iter().map(|v| render(v, element, false)).collect();
                format!("{}{{{}}}", type_name.unwrap_or(""), items.join(", "))
            }
            Value::Object(fields) => {
                let items: Vec<String> = fields
                    .iter()
                    .map(|(k, v)| {
                        if map {
                            format!("{}:{}", quote(k), render(v, None, false))
                        } else {
                            format!(
                                "{}:{}",
                                go_field_name(k),
                                render(v, go_type_of(k), is_map_field(k))
                            )
                        }
                    })
                    .collect();
                format!("{}{{{}}}", type_name.unwrap_or(""), items.join(", "))
            }
        }
    }
    render(value, Some(type_name), false)
}

/// A cmp.Diff-like rendering of what changed between two specs: `-` lines for the stored
/// value, `+` lines for the new one, unchanged fields left out.
fn cmp_diff(type_name: &str, old: &Value, new: &Value) -> String {
    fn compact(value: &Value, map: bool) -> String {
        match value {
            Value::Null => "nil".to_string(),
            Value::Bool(b) => b.to_string(),
            Value::Number(n) => n.to_string(),
            Value::String(s) => quote(s),
            Value::Array(items) => {
                let items: Vec<String> = items.iter().map(|v| compact(v, false)).collect();
                format!("{{{}}}", items.join(", "))
            }
            Value::Object(fields) => {
                let items: Vec<String> = fields
                    .iter()
                    .map(|(k, v)| {
                        if map {
                            format!("{}: {}", quote(k), compact(v, false))
                        } else {
                            format!("{}: {}", go_field_name(k), compact(v, is_map_field(k)))
                        }
                    })
                    .collect();
                format!("{{{}}}", items.join(", "))
            }
        }
    }
    fn zero_like(other: &Value) -> String {
        match other {
            Value::String(_) => "\"\"".to_string(),
            Value::Number(_) => "0".to_string(),
            Value::Bool(_) => "false".to_string(),
            _ => "nil".to_string(),
        }
    }
    fn fields(old: &Value, new: &Value, depth: usize, map: bool, out: &mut Vec<String>) {
        let empty = serde_json::Map::new();
        let old_fields = old.as_object().unwrap_or(&empty);
        let new_fields = new.as_object().unwrap_or(&empty);
        let keys: BTreeSet<&String> = old_fields.keys().chain(new_fields.keys()).collect();
        let tabs = "\t".repeat(depth);
        for k in keys {
            let (o, n) = (old_fields.get(k), new_fields.get(k));
            let same = match (o, n) {
                (Some(o), Some(n)) => semantic_eq(o, n),
                (Some(v), None) | (None, Some(v)) => semantic_eq(v, &Value::Null),
                (None, None) => true,
            };
            if same {
                continue;
            }
            let name = if map { quote(k) } else { go_field_name(k) };
            let child_map = !map && is_map_field(k);
            match (o, n) {
                (Some(Value::Object(_)), Some(Value::Object(_))) if !child_map => {
                    let type_name = if map { "" } else { go_type_of(k).unwrap_or("") };
                    out.push(format!("  {tabs}{name}: {type_name}{{"));
                    fields(
                        o.unwrap_or(&Value::Null),
                        n.unwrap_or(&Value::Null),
                        depth + 1,
                        false,
                        out,
                    );
                    out.push(format!("  {tabs}}},"));
                }
                (Some(Value::Array(a)), Some(Value::Array(b))) if a.len() == b.len() => {
                    let type_name = if map { "" } else { go_type_of(k).unwrap_or("") };
                    out.push(format!("  {tabs}{name}: {type_name}{{"));
                    for (x, y) in a.iter().zip(b) {
                        if semantic_eq(x, y) {
                            continue;
                        }
                        if x.is_object() && y.is_object() {
                            out.push(format!("  {tabs}\t{{"));
                            fields(x, y, depth + 2, false, out);
                            out.push(format!("  {tabs}\t}},"));
                        } else {
                            out.push(format!("- {tabs}\t{},", compact(x, false)));
                            out.push(format!("+ {tabs}\t{},", compact(y, false)));
                        }
                    }
                    out.push(format!("  {tabs}}},"));
                }
                _ => {
                    let shown_old = o.map_or_else(
                        || zero_like(n.unwrap_or(&Value::Null)),
                        |v| compact(v, child_map),
                    );
                    let shown_new = n.map_or_else(
                        || zero_like(o.unwrap_or(&Value::Null)),
                        |v| compact(v, child_map),
                    );
                    out.push(format!("- {tabs}{name}: {shown_old},"));
                    out.push(format!("+ {tabs}{name}: {shown_new},"));
                }
            }
        }
    }
    let mut out = vec![format!("  {type_name}{{")];
    fields(old, new, 1, false, &mut out);
    out.push("  }".to_string());
    out.join("\n")
}

/// The longest `sessionAffinityConfig.clientIP.timeoutSeconds` the API server accepts (a day).
const MAX_CLIENT_IP_AFFINITY_SECONDS: i32 = 86_400;

/// `sessionAffinity: ClientIP` needs a config with a timeout in (0, one day].
fn validate_client_ip_affinity_config(
    config: Option<&k8s_openapi::api::core::v1::SessionAffinityConfig>,
    errs: &mut Errors,
) {
    const PATH: &str = "spec.sessionAffinityConfig";
    const DETAIL: &str = "when session affinity type is ClientIP";
    let Some(config) = config else {
        return errs.required(PATH, DETAIL);
    };
    let Some(client_ip) = config.client_ip.as_ref() else {
        return errs.required(&format!("{PATH}.clientIP"), DETAIL);
    };
    let Some(timeout) = client_ip.timeout_seconds else {
        return errs.required(&format!("{PATH}.clientIP.timeoutSeconds"), DETAIL);
    };
    if timeout <= 0 || timeout > MAX_CLIENT_IP_AFFINITY_SECONDS {
        errs.invalid(
            &format!("{PATH}.clientIP.timeoutSeconds"),
            &timeout.to_string(),
            &format!("must be greater than 0 and less than {MAX_CLIENT_IP_AFFINITY_SECONDS}"),
        );
    }
}
