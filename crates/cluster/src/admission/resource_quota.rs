//! ResourceQuota: the admission plugin (staging/src/k8s.io/apiserver/pkg/admission/plugin/
//! resourcequota) and, done synchronously, the quota controller's status bookkeeping
//! (pkg/controller/resourcequota).
//!
//! Admission, last in the chain: for every quota of the namespace that the new object counts
//! against, the object's usage (pkg/quota/v1/evaluator/core: pods, services, claims; object
//! counts for everything else) is added to `status.used`; a quota that would go over `hard`
//! refuses the request —
//! `exceeded quota: mem-cpu-demo, requested: requests.memory=700Mi, used: requests.memory=600Mi, limited: requests.memory=1Gi`
//! — and a Pod that leaves cpu or memory unset under a quota that tracks them is refused with
//! `failed quota: mem-cpu-demo: must specify limits.cpu for: nginx; limits.memory for: nginx`.
//! Otherwise the quotas with their new usage are returned for the API server to write.
//!
//! Status: a quota's `status.hard` is its `spec.hard` and `status.used` what the namespace
//! holds, computed when the quota is written ([`status_after_write`]) and after deletions
//! ([`recompute_after_delete`]), which release usage.

use model::sort::SortSlice;
use std::rc::Rc;

use model::k8s_openapi::api::core::v1::{
    PersistentVolumeClaim, Pod, PodSpec, ResourceQuota, ResourceQuotaStatus, Service,
};
use model::quantity::{Format, Quantity};
use model::{Object, ResourceType};

use super::resources::{self, ResourceList};
use super::{forbidden, AdmissionRequest, Operation};
use crate::api::{ApiError, Store, StoreExt};
use crate::clock::SimTime;

const STORAGE_CLASS_SUFFIX: &str = ".storageclass.storage.k8s.io/";
const BETA_CLASS_ANNOTATION: &str = "volume.beta.kubernetes.io/storage-class";

/// Pod resources a quota may name (`podResources`).
const POD_RESOURCES: &[&str] = &[
    "count/pods",
    "cpu",
    "memory",
    "ephemeral-storage",
    "requests.cpu",
    "requests.memory",
    "requests.ephemeral-storage",
    "limits.cpu",
    "limits.memory",
    "limits.ephemeral-storage",
    "pods",
];

/// A quota on these makes every container state them (upstream's backward-compatible
/// `validationSet`).
const MUST_SPECIFY: &[&str] = &[
    "cpu",
    "memory",
    "requests.cpu",
    "requests.memory",
    "limits.cpu",
    "limits.memory",
];

const SERVICE_RESOURCES: &[&str] = &[
    "count/services",
    "services",
    "services.nodeports",
    "services.loadbalancers",
];

/// `count/deployments.apps`, `count/pods`: the object-count name of a resource.
pub fn object_count_name(resource: &ResourceType) -> String {
    if resource.group.is_empty() {
        format!("count/{}", resource.plural)
    } else {
        format!("count/{}.{}", resource.plural, resource.group)
    }
}

/// The pre-`count/` names some core resources are also counted under.
fn legacy_alias(resource: &ResourceType) -> Option<&'static str> {
    if !resource.group.is_empty() {
        return None;
    }
    match resource.plural {
        "configmaps" => Some("configmaps"),
        "resourcequotas" => Some("resourcequotas"),
        "replicationcontrollers" => Some("replicationcontrollers"),
        "secrets" => Some("secrets"),
        _ => None,
    }
}

/// How usage of one resource is measured (upstream's quota evaluators).
#[derive(Clone, Copy)]
enum Evaluator {
    Pods,
    Services,
    PersistentVolumeClaims,
    /// Any other resource: objects are counted.
    Count(&'static ResourceType),
}

fn one() -> Quantity {
    Quantity::from_units(1, Format::DecimalSI)
}

impl Evaluator {
    fn for_resource(resource: &'static ResourceType) -> Evaluator {
        match (resource.group, resource.plural) {
            ("", "pods") => Evaluator::Pods,
            ("", "services") => Evaluator::Services,
            ("", "persistentvolumeclaims") => Evaluator::PersistentVolumeClaims,
            _ => Evaluator::Count(resource),
        }
    }

    /// Every evaluator the quota controller runs: the three special ones and a counter for
    /// every other resource.
    fn all() -> Vec<Evaluator> {
        model::registry::RESOURCE_TYPES
            .iter()
            .filter(|r| r.namespaced)
            .map(Evaluator::for_resource)
            .collect()
    }

    fn resource(&self) -> Option<&'static ResourceType> {
        match self {
            Evaluator::Pods => super::resource_type("pods", ""),
            Evaluator::Services => super::resource_type("services", ""),
            Evaluator::PersistentVolumeClaims => super::resource_type("persistentvolumeclaims", ""),
            Evaluator::Count(resource) => Some(resource),
        }
    }

    /// Which operations change usage: creates; updates of services (their type may change)
    /// and claims (they may grow).
    fn handles(&self, operation: Operation) -> bool {
        match self {
            Evaluator::Services | Evaluator::PersistentVolumeClaims => true,
            Evaluator::Pods | Evaluator::Count(_) => operation == Operation::Create,
        }
    }

    /// The names among `names` this evaluator measures, in their order.
    fn matching_resources(&self, names: &[String]) -> Vec<String> {
        names
            .iter()
            .filter(|name| self.measures(name))
            .cloned()
            .collect()
    }

    fn measures(&self, name: &str) -> bool {
        match self {
            Evaluator::Pods => {
                POD_RESOURCES.contains(&name)
                    || name.starts_with("hugepages-")
                    || name.starts_with("requests.hugepages-")
                    || (name.starts_with("requests.") && !is_native_resource(name))
            }
            Evaluator::Services => SERVICE_RESOURCES.contains(&name),
            Evaluator::PersistentVolumeClaims => {
                name == "count/persistentvolumeclaims"
                    || name == "persistentvolumeclaims"
                    || name == "requests.storage"
                    || name.ends_with(".storageclass.storage.k8s.io/persistentvolumeclaims")
                    || name.ends_with(".storageclass.storage.k8s.io/requests.storage")
            }
            Evaluator::Count(resource) => {
                name == object_count_name(resource) || legacy_alias(resource) == Some(name)
            }
        }
    }

    /// Whether the object falls under every scope of the quota (no scopes: yes). Only pods
    /// know scopes; for anything else a scoped quota never matches.
    fn matches_scopes(&self, quota: &ResourceQuota, object: &Object) -> bool {
        let selectors = scope_selectors(quota);
        match (self, object) {
            (Evaluator::Pods, Object::Pod(pod)) => selectors
                .iter()
                .all(|(scope, operator, values)| pod_matches_scope(pod, scope, operator, values)),
            _ => selectors.is_empty(),
        }
    }

    /// `Constraints`: a Pod under a quota on cpu or memory must state them in every container.
    fn constraints(&self, required: &[String], object: &Object) -> Result<(), String> {
        let (Evaluator::Pods, Object::Pod(pod)) = (self, object) else {
            return Ok(());
        };
        let required: Vec<&String> = required
            .iter()
            .filter(|r| MUST_SPECIFY.contains(&r.as_str()))
            .collect();
        if required.is_empty() {
            return Ok(());
        }
        let mut missing: std::collections::BTreeMap<&str, std::collections::BTreeSet<&str>> =
            Default::default();
        for container in pod.spec.iter().flat_map(|spec| {
            spec.containers
                .iter()
                .chain(spec.init_containers.iter().flatten())
        }) {
            let resources = container.resources.as_ref();
            let usage = pod_compute_usage(
                &resources::parse_list(resources.and_then(|r| r.requests.as_ref())),
                &resources::parse_list(resources.and_then(|r| r.limits.as_ref())),
            );
            for resource in &required {
                if !usage.contains_key(resource.as_str()) {
                    missing
                        .entry(resource.as_str())
                        .or_default()
                        .insert(container.name.as_str());
                }
            }
        }
        if missing.is_empty() {
            return Ok(());
        }
        let parts: Vec<String> = missing
            .iter()
            .map(|(resource, containers)| {
                let names: Vec<&str> = containers.iter().copied().collect();
                format!("{resource} for: {}", names.join(","))
            })
            .collect();
        Err(format!("must specify {}", parts.join("; ")))
    }

    /// `Usage`: what the object consumes.
    fn usage(&self, object: &Object, now: SimTime) -> ResourceList {
        let mut usage = ResourceList::new();
        match (self, object) {
            (Evaluator::Pods, Object::Pod(pod)) => pod_usage(pod, now),
            (Evaluator::Services, Object::Service(service)) => service_usage(service),
            (Evaluator::PersistentVolumeClaims, Object::PersistentVolumeClaim(claim)) => {
                claim_usage(claim)
            }
            (Evaluator::Count(resource), _) => {
                usage.insert(object_count_name(resource), one());
                if let Some(alias) = legacy_alias(resource) {
                    usage.insert(alias.to_string(), one());
                }
                usage
            }
            _ => usage,
        }
    }
}

/// `IsNativeResource`: no domain, or a `kubernetes.io/` one.
fn is_native_resource(name: &str) -> bool {
    !name.contains('/') || name.contains("kubernetes.io/")
}

/// `(scopeName, operator, values)` of `spec.scopes` (as `Exists`) and `spec.scopeSelector`.
fn scope_selectors(quota: &ResourceQuota) -> Vec<(String, String, Vec<String>)> {
    let Some(spec) = quota.spec.as_ref() else {
        return Vec::new();
    };
    let mut selectors: Vec<(String, String, Vec<String>)> = spec
        .scopes
        .iter()
        .flatten()
        .map(|scope| (scope.clone(), "Exists".to_string(), Vec::new()))
        .collect();
    for requirement in spec
        .scope_selector
        .iter()
        .flat_map(|s| s.match_expressions.iter().flatten())
    {
        selectors.push((
            requirement.scope_name.clone(),
            requirement.operator.clone(),
            requirement.values.clone().unwrap_or_default(),
        ));
    }
    selectors
}

fn pod_matches_scope(pod: &Pod, scope: &str, operator: &str, values: &[String]) -> bool {
    let spec = pod.spec.as_ref();
    match scope {
        "Terminating" => is_terminating(spec),
        "NotTerminating" => !is_terminating(spec),
        "BestEffort" => is_best_effort(spec),
        "NotBestEffort" => !is_best_effort(spec),
        "PriorityClass" => {
            let class = spec
                .and_then(|s| s.priority_class_name.as_deref())
                .filter(|c| !c.is_empty());
            match operator {
                "Exists" => class.is_some(),
                "DoesNotExist" => class.is_none(),
                "In" => class.is_some_and(|c| values.iter().any(|v| v == c)),
                "NotIn" => class.is_none_or(|c| values.iter().all(|v| v != c)),
                _ => false,
            }
        }
        "CrossNamespacePodAffinity" => uses_cross_namespace_affinity(spec),
        _ => false,
    }
}

fn is_terminating(spec: Option<&PodSpec>) -> bool {
    spec.and_then(|s| s.active_deadline_seconds)
        .is_some_and(|d| d >= 0)
}

fn is_best_effort(spec: Option<&PodSpec>) -> bool {
    spec.map(model::pod::qos_class).unwrap_or("BestEffort") == "BestEffort"
}

fn uses_cross_namespace_affinity(spec: Option<&PodSpec>) -> bool {
    let Some(affinity) = spec.and_then(|s| s.affinity.as_ref()) else {
        return false;
    };
    let cross = |term: &model::k8s_openapi::api::core::v1::PodAffinityTerm| {
        term.namespaces.as_ref().is_some_and(|n| !n.is_empty()) || term.namespace_selector.is_some()
    };
    let pod_affinity = affinity.pod_affinity.as_ref().is_some_and(|a| {
        a.required_during_scheduling_ignored_during_execution
            .iter()
            .flatten()
            .any(cross)
            || a.preferred_during_scheduling_ignored_during_execution
                .iter()
                .flatten()
                .any(|w| cross(&w.pod_affinity_term))
    });
    let anti_affinity = affinity.pod_anti_affinity.as_ref().is_some_and(|a| {
        a.required_during_scheduling_ignored_during_execution
            .iter()
            .flatten()
            .any(cross)
            || a.preferred_during_scheduling_ignored_during_execution
                .iter()
                .flatten()
                .any(|w| cross(&w.pod_affinity_term))
    });
    pod_affinity || anti_affinity
}

/// `podComputeUsageHelper`: the quota names a set of requests and limits consume.
fn pod_compute_usage(requests: &ResourceList, limits: &ResourceList) -> ResourceList {
    let mut usage = ResourceList::new();
    usage.insert("pods".to_string(), one());
    for resource in ["cpu", "memory", "ephemeral-storage"] {
        if let Some(request) = requests.get(resource) {
            usage.insert(resource.to_string(), request.clone());
            usage.insert(format!("requests.{resource}"), request.clone());
        }
        if let Some(limit) = limits.get(resource) {
            usage.insert(format!("limits.{resource}"), limit.clone());
        }
    }
    for (resource, request) in requests {
        if resource.starts_with("hugepages-") {
            usage.insert(resource.clone(), request.clone());
            usage.insert(format!("requests.{resource}"), request.clone());
        }
        // Extended resources (`example.com/dongle`) are quota'd as `requests.<name>` only.
        if !is_native_resource(resource) && !resource.starts_with("requests.") {
            usage.insert(format!("requests.{resource}"), request.clone());
        }
    }
    usage
}

/// `QuotaV1Pod`: pods that finished, or whose deletion grace period has run out, no longer
/// count against compute quota.
fn pod_counts_for_compute(pod: &Pod, now: SimTime) -> bool {
    let phase = pod.status.as_ref().and_then(|s| s.phase.as_deref());
    if matches!(phase, Some("Succeeded") | Some("Failed")) {
        return false;
    }
    if let (Some(deletion), Some(grace)) = (
        pod.metadata.deletion_timestamp.as_ref(),
        pod.metadata.deletion_grace_period_seconds,
    ) {
        let deadline = SimTime::from_k8s_time(deletion).0 + grace.max(0) as u64 * 1000;
        if now.0 > deadline {
            return false;
        }
    }
    true
}

fn pod_usage(pod: &Pod, now: SimTime) -> ResourceList {
    let mut usage = ResourceList::new();
    usage.insert("count/pods".to_string(), one());
    let Some(spec) = pod.spec.as_ref() else {
        return usage;
    };
    if !pod_counts_for_compute(pod, now) {
        return usage;
    }
    let requests = resources::pod_requests(spec, true);
    let limits = resources::pod_limits(spec, true);
    resources::add(&usage, &pod_compute_usage(&requests, &limits))
}

fn service_usage(service: &Service) -> ResourceList {
    let mut usage = ResourceList::new();
    usage.insert("count/services".to_string(), one());
    usage.insert("services".to_string(), one());
    usage.insert("services.loadbalancers".to_string(), Quantity::zero());
    usage.insert("services.nodeports".to_string(), Quantity::zero());
    let Some(spec) = service.spec.as_ref() else {
        return usage;
    };
    let ports = spec.ports.as_deref().unwrap_or_default();
    let all_ports = Quantity::from_units(ports.len() as i64, Format::DecimalSI);
    match spec.type_.as_deref() {
        Some("NodePort") => {
            usage.insert("services.nodeports".to_string(), all_ports);
        }
        Some("LoadBalancer") => {
            // Without allocated node ports, only ports that name one explicitly count.
            let node_ports = if spec.allocate_load_balancer_node_ports == Some(false) {
                let explicit = ports
                    .iter()
                    .filter(|p| p.node_port.is_some_and(|n| n != 0))
                    .count();
                Quantity::from_units(explicit as i64, Format::DecimalSI)
            } else {
                all_ports
            };
            usage.insert("services.nodeports".to_string(), node_ports);
            usage.insert("services.loadbalancers".to_string(), one());
        }
        _ => {}
    }
    usage
}

fn claim_usage(claim: &PersistentVolumeClaim) -> ResourceList {
    let mut usage = ResourceList::new();
    usage.insert("persistentvolumeclaims".to_string(), one());
    usage.insert("count/persistentvolumeclaims".to_string(), one());
    let class = claim
        .metadata
        .annotations
        .as_ref()
        .and_then(|a| a.get(BETA_CLASS_ANNOTATION).cloned())
        .or_else(|| {
            claim
                .spec
                .as_ref()
                .and_then(|s| s.storage_class_name.clone())
        })
        .unwrap_or_default();
    if !class.is_empty() {
        usage.insert(
            format!("{class}{STORAGE_CLASS_SUFFIX}persistentvolumeclaims"),
            one(),
        );
    }
    let requested = resources::parse_list(
        claim
            .spec
            .as_ref()
            .and_then(|s| s.resources.as_ref())
            .and_then(|r| r.requests.as_ref()),
    )
    .remove("storage")
    .map(|q| q.round_up_to_units());
    let allocated = resources::parse_list(
        claim
            .status
            .as_ref()
            .and_then(|s| s.allocated_resources.as_ref()),
    )
    .remove("storage");
    let storage = match (requested, allocated) {
        (Some(requested), Some(allocated)) if allocated > requested => {
            Some(allocated.round_up_to_units())
        }
        (requested, _) => requested,
    };
    if let Some(storage) = storage {
        if !class.is_empty() {
            usage.insert(
                format!("{class}{STORAGE_CLASS_SUFFIX}requests.storage"),
                storage.clone(),
            );
        }
        usage.insert("requests.storage".to_string(), storage);
    }
    usage
}

fn quotas_in(store: &Store, namespace: &str) -> Vec<Rc<Object>> {
    super::list(store, "resourcequotas", "", namespace)
}

fn as_quota(object: &Object) -> Option<&ResourceQuota> {
    match object {
        Object::ResourceQuota(quota) => Some(quota),
        _ => None,
    }
}

/// What the quota enforces: `status.hard`, or `spec.hard` before the status is written.
fn hard_of(quota: &ResourceQuota) -> ResourceList {
    let status_hard = resources::parse_list(quota.status.as_ref().and_then(|s| s.hard.as_ref()));
    if !status_hard.is_empty() {
        return status_hard;
    }
    resources::parse_list(quota.spec.as_ref().and_then(|s| s.hard.as_ref()))
}

fn used_of(quota: &ResourceQuota) -> ResourceList {
    resources::parse_list(quota.status.as_ref().and_then(|s| s.used.as_ref()))
}

fn with_used(quota: &ResourceQuota, used: &ResourceList) -> Object {
    let mut quota = quota.clone();
    quota.status.get_or_insert_with(Default::default).used = Some(resources::to_k8s_list(used));
    Object::ResourceQuota(Box::new(quota))
}

/// `requests.cpu,requests.memory`: upstream's `prettyPrintResourceNames`.
fn pretty_print_names(names: &[String]) -> String {
    let mut sorted = names.to_vec();
    sorted.sort_stable();
    sorted.join(",")
}

/// The admission check (`CheckRequest`): refuses what would exceed a quota, else returns the
/// quotas whose `status.used` grows.
pub(super) fn validate(
    request: &AdmissionRequest<'_>,
    object: &Object,
) -> Result<Vec<Object>, ApiError> {
    let resource = object.resource_type();
    if !resource.namespaced {
        return Ok(Vec::new());
    }
    let evaluator = Evaluator::for_resource(resource);
    if !evaluator.handles(request.operation) {
        return Ok(Vec::new());
    }
    let quotas = quotas_in(request.store, object.namespace());
    if quotas.is_empty() {
        return Ok(Vec::new());
    }
    let mut interesting = Vec::new();
    for stored in &quotas {
        let Some(quota) = as_quota(stored) else {
            continue;
        };
        let hard = hard_of(quota);
        let restricted = evaluator.matching_resources(&resources::names(&hard));
        if restricted.is_empty() || !evaluator.matches_scopes(quota, object) {
            continue;
        }
        let name = quota.metadata.name.clone().unwrap_or_default();
        if let Err(reason) = evaluator.constraints(&restricted, object) {
            return Err(forbidden(object, format!("failed quota: {name}: {reason}")));
        }
        let used = used_of(quota);
        if restricted.iter().any(|r| !used.contains_key(r)) {
            return Err(forbidden(
                object,
                format!(
                    "status unknown for quota: {name}, resources: {}",
                    pretty_print_names(&restricted)
                ),
            ));
        }
        interesting.push((quota, name, hard, used));
    }
    let mut delta = evaluator.usage(object, request.now);
    let negative: Vec<String> = delta
        .iter()
        .filter(|(_, v)| v.signum() < 0)
        .map(|(k, _)| k.clone())
        .collect();
    if !negative.is_empty() {
        return Err(forbidden(
            object,
            format!(
                "quota usage is negative for resource(s): {}",
                pretty_print_names(&negative)
            ),
        ));
    }
    if request.operation == Operation::Update {
        if let Some(old) = request.old {
            if old.metadata().resource_version.is_some() {
                delta =
                    resources::subtract_non_negative(&delta, &evaluator.usage(old, request.now));
            }
        }
    }
    if delta.values().all(Quantity::is_zero) || interesting.is_empty() {
        return Ok(Vec::new());
    }
    let mut writes = Vec::new();
    for (quota, name, hard, used) in interesting {
        let requested = resources::mask(&delta, &resources::names(&hard));
        let new_usage = resources::add(&used, &requested);
        let masked = resources::mask(&new_usage, &resources::names(&requested));
        let (allowed, exceeded) = resources::less_than_or_equal(&masked, &hard);
        if !allowed {
            return Err(forbidden(
                object,
                format!(
                    "exceeded quota: {name}, requested: {}, used: {}, limited: {}",
                    resources::pretty_print(&resources::mask(&requested, &exceeded)),
                    resources::pretty_print(&resources::mask(&used, &exceeded)),
                    resources::pretty_print(&resources::mask(&hard, &exceeded)),
                ),
            ));
        }
        if !resources::equals(&used, &new_usage) {
            writes.push(with_used(quota, &new_usage));
        }
    }
    Ok(writes)
}

/// The quota controller's `syncResourceQuota`: `hard` from the spec, `used` measured over the
/// namespace for every hard resource some evaluator knows (others keep what they had).
fn computed_status(store: &Store, quota: &ResourceQuota, now: SimTime) -> ResourceQuotaStatus {
    let hard = resources::parse_list(quota.spec.as_ref().and_then(|s| s.hard.as_ref()));
    let hard_names = resources::names(&hard);
    let namespace = quota.metadata.namespace.clone().unwrap_or_default();
    let mut used = used_of(quota);
    for evaluator in Evaluator::all() {
        let tracked = evaluator.matching_resources(&hard_names);
        if tracked.is_empty() {
            continue;
        }
        let Some(resource) = evaluator.resource() else {
            continue;
        };
        let mut measured: ResourceList = tracked
            .iter()
            .map(|name| (name.clone(), Quantity::zero()))
            .collect();
        for object in store.list(resource, Some(&namespace)) {
            if evaluator.matches_scopes(quota, &object) {
                let usage = resources::mask(&evaluator.usage(&object, now), &tracked);
                resources::add_into(&mut measured, &usage);
            }
        }
        used.extend(measured);
    }
    let used = resources::mask(&used, &hard_names);
    ResourceQuotaStatus {
        hard: Some(resources::to_k8s_list(&hard)),
        used: Some(resources::to_k8s_list(&used)),
    }
}

/// The quota with its status recomputed, if that changes it.
fn resynced(store: &Store, quota: &ResourceQuota, now: SimTime) -> Option<Object> {
    let status = computed_status(store, quota, now);
    if quota.status.as_ref() == Some(&status) {
        return None;
    }
    let mut updated = quota.clone();
    updated.status = Some(status);
    Some(Object::ResourceQuota(Box::new(updated)))
}

/// After a ResourceQuota was created or updated (and is in `store`): its status as the quota
/// controller writes it. Nothing for other objects.
pub fn status_after_write(store: &Store, written: &Object, now: SimTime) -> Vec<Object> {
    let Some(quota) = as_quota(written) else {
        return Vec::new();
    };
    let key = crate::api::ObjectKey {
        resource: "resourcequotas",
        namespace: written.namespace().into(),
        name: written.name().into(),
    };
    let Some(stored) = store.get(&key) else {
        return Vec::new();
    };
    let current = as_quota(stored).unwrap_or(quota);
    resynced(store, current, now).into_iter().collect()
}

/// After an object was deleted (and is gone from `store`): the quotas of its namespace whose
/// usage it released. (No clock here: pods inside a deletion grace period still count, as they
/// do upstream until the period ends.)
pub fn recompute_after_delete(store: &Store, deleted: &Object) -> Vec<Object> {
    let now = SimTime::default();
    let resource = deleted.resource_type();
    if !resource.namespaced {
        return Vec::new();
    }
    let evaluator = Evaluator::for_resource(resource);
    quotas_in(store, deleted.namespace())
        .iter()
        .filter_map(|stored| as_quota(stored))
        .filter(|quota| {
            let hard = resources::names(&hard_of(quota));
            !evaluator.matching_resources(&hard).is_empty()
        })
        .filter_map(|quota| resynced(store, quota, now))
        .collect()
}

/// Every quota of a namespace whose status no longer matches what the namespace holds (for
/// writers that change usage outside admission, e.g. pods reaching a terminal phase).
pub fn recompute_namespace(store: &Store, namespace: &str, now: SimTime) -> Vec<Object> {
    quotas_in(store, namespace)
        .iter()
        .filter_map(|stored| as_quota(stored))
        .filter_map(|quota| resynced(store, quota, now))
        .collect()
}
