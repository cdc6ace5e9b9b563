//! LimitRanger (plugin/pkg/admission/limitranger): the LimitRanges of a namespace give
//! containers their default limits (`default`) and requests (`defaultRequest`) when a Pod is
//! created (mutating), and bound what Pods and PersistentVolumeClaims may ask for with `min`,
//! `max` and `maxLimitRequestRatio` (validating).
//!
//! Refusals are upstream's sentences (upstream has dropped the trailing period the docs still
//! show), several joined as an aggregate `[a, b]`:
//! `maximum memory usage per Container is 1Gi, but limit is 1536Mi`.

use std::collections::BTreeMap;

use model::k8s_openapi::api::core::v1::{
    Container, LimitRange, LimitRangeItem, PersistentVolumeClaim, Pod,
};
use model::k8s_openapi::apimachinery::pkg::api::resource::Quantity as K8sQuantity;
use model::quantity::Quantity;
use model::Object;

use super::resources::{self, ResourceList};
use super::{forbidden, AdmissionRequest, Operation};
use crate::api::ApiError;

const ANNOTATION: &str = "kubernetes.io/limit-ranger";

/// `resource.MaxMilliValue`: beyond it upstream compares whole units instead of thousandths.
const MAX_MILLI_VALUE: i128 = (i64::MAX / 1000) as i128;

fn limit_ranges(request: &AdmissionRequest<'_>, namespace: &str) -> Vec<LimitRange> {
    super::list(request.store, "limitranges", "", namespace)
        .into_iter()
        .filter_map(|object| match &*object {
            Object::LimitRange(range) => Some((**range).clone()),
            _ => None,
        })
        .collect()
}

fn items(range: &LimitRange) -> impl Iterator<Item = &LimitRangeItem> {
    range.spec.iter().flat_map(|spec| spec.limits.iter())
}

/// Objects that are being deleted are left alone.
fn old_is_terminating(request: &AdmissionRequest<'_>) -> bool {
    request
        .old
        .is_some_and(|old| old.metadata().deletion_timestamp.is_some())
}

/// Mutating half: default container resources of a Pod being created.
pub(super) fn admit(request: &AdmissionRequest<'_>, object: &mut Object) -> Result<(), ApiError> {
    // Containers cannot change after creation, so Pod updates are not looked at.
    if request.operation != Operation::Create || old_is_terminating(request) {
        return Ok(());
    }
    let Object::Pod(pod) = object else {
        return Ok(());
    };
    let namespace = pod.metadata.namespace.clone().unwrap_or_default();
    for range in limit_ranges(request, &namespace) {
        merge_pod_resource_requirements(&range, pod);
    }
    Ok(())
}

/// What the Container items of a LimitRange default: `(requests, limits)`; a later item wins.
fn default_requirements(
    range: &LimitRange,
) -> (BTreeMap<String, K8sQuantity>, BTreeMap<String, K8sQuantity>) {
    let mut requests = BTreeMap::new();
    let mut limits = BTreeMap::new();
    for item in items(range).filter(|item| item.type_ == "Container") {
        for (name, value) in item.default_request.iter().flatten() {
            requests.insert(name.clone(), canonical(value));
        }
        for (name, value) in item.default.iter().flatten() {
            limits.insert(name.clone(), canonical(value));
        }
    }
    (requests, limits)
}

/// A quantity as the API server would hold it (`1.5Gi` is `1536Mi` once stored).
fn canonical(value: &K8sQuantity) -> K8sQuantity {
    Quantity::from_k8s(value)
        .map(|q| q.to_k8s())
        .unwrap_or_else(|_| value.clone())
}

/// Fills missing requests and limits of one container; returns the annotation parts
/// (`memory request for container web`).
fn merge_container_resources(
    container: &mut Container,
    defaults: &(BTreeMap<String, K8sQuantity>, BTreeMap<String, K8sQuantity>),
    prefix: &str,
    annotations: &mut Vec<String>,
) {
    let (default_requests, default_limits) = defaults;
    let mut set_requests = Vec::new();
    let mut set_limits = Vec::new();
    let resources = container.resources.get_or_insert_with(Default::default);
    for (name, value) in default_limits {
        let limits = resources.limits.get_or_insert_with(Default::default);
        if !limits.contains_key(name) {
            limits.insert(name.clone(), value.clone());
            set_limits.push(name.clone());
        }
    }
    for (name, value) in default_requests {
        let requests = resources.requests.get_or_insert_with(Default::default);
        if !requests.contains_key(name) {
            requests.insert(name.clone(), value.clone());
            set_requests.push(name.clone());
        }
    }
    // Upstream leaves empty lists, which serialize as nothing.
    if resources.limits.as_ref().is_some_and(|l| l.is_empty()) {
        resources.limits = None;
    }
    if resources.requests.as_ref().is_some_and(|r| r.is_empty()) {
        resources.requests = None;
    }
    let name = &container.name;
    if !set_requests.is_empty() {
        annotations.push(format!(
            "{} request for {prefix} {name}",
            set_requests.join(", ")
        ));
    }
    if !set_limits.is_empty() {
        annotations.push(format!(
            "{} limit for {prefix} {name}",
            set_limits.join(", ")
        ));
    }
}

fn merge_pod_resource_requirements(range: &LimitRange, pod: &mut Pod) {
    let defaults = default_requirements(range);
    let mut annotations = Vec::new();
    if let Some(spec) = pod.spec.as_mut() {
        for container in spec.containers.iter_mut() {
            merge_container_resources(container, &defaults, "container", &mut annotations);
        }
        for container in spec.init_containers.iter_mut().flatten() {
            merge_container_resources(container, &defaults, "init container", &mut annotations);
        }
    }
    if !annotations.is_empty() {
        pod.metadata
            .annotations
            .get_or_insert_with(Default::default)
            .insert(
                ANNOTATION.to_string(),
                format!("LimitRanger plugin set: {}", annotations.join("; ")),
            );
    }
}

/// Validating half: Pods on create, PersistentVolumeClaims on create and update.
pub(super) fn validate(request: &AdmissionRequest<'_>, object: &Object) -> Result<(), ApiError> {
    if old_is_terminating(request) {
        return Ok(());
    }
    let supported = match object {
        Object::Pod(_) => request.operation == Operation::Create,
        Object::PersistentVolumeClaim(_) => true,
        _ => false,
    };
    if !supported {
        return Ok(());
    }
    for range in limit_ranges(request, object.namespace()) {
        let errors = match object {
            Object::Pod(pod) => validate_pod(&range, pod),
            Object::PersistentVolumeClaim(claim) => validate_claim(&range, claim),
            _ => Vec::new(),
        };
        if !errors.is_empty() {
            return Err(forbidden(object, aggregate(errors)));
        }
    }
    Ok(())
}

/// `utilerrors.NewAggregate(...).Error()`: one message alone, several deduplicated in
/// brackets.
fn aggregate(errors: Vec<String>) -> String {
    let mut unique: Vec<String> = Vec::new();
    for error in errors {
        if !unique.contains(&error) {
            unique.push(error);
        }
    }
    if unique.len() == 1 {
        unique.remove(0)
    } else {
        format!("[{}]", unique.join(", "))
    }
}

fn container_lists(container: &Container) -> (ResourceList, ResourceList) {
    let resources = container.resources.as_ref();
    (
        resources::parse_list(resources.and_then(|r| r.requests.as_ref())),
        resources::parse_list(resources.and_then(|r| r.limits.as_ref())),
    )
}

/// Checks one item's min, max and ratio against a requests/limits pair.
fn check_item(
    item: &LimitRangeItem,
    requests: &ResourceList,
    limits: &ResourceList,
    errors: &mut Vec<String>,
) {
    let kind = item.type_.as_str();
    for (name, enforced) in resources::parse_list(item.min.as_ref()) {
        errors.extend(min_constraint(kind, &name, &enforced, requests, limits));
    }
    for (name, enforced) in resources::parse_list(item.max.as_ref()) {
        errors.extend(max_constraint(kind, &name, &enforced, requests, limits));
    }
    for (name, enforced) in resources::parse_list(item.max_limit_request_ratio.as_ref()) {
        errors.extend(limit_request_ratio_constraint(
            kind, &name, &enforced, requests, limits,
        ));
    }
}

fn validate_pod(range: &LimitRange, pod: &Pod) -> Vec<String> {
    let mut errors = Vec::new();
    let Some(spec) = pod.spec.as_ref() else {
        return errors;
    };
    for item in items(range) {
        match item.type_.as_str() {
            "Container" => {
                let containers = spec
                    .containers
                    .iter()
                    .chain(spec.init_containers.iter().flatten());
                for container in containers {
                    let (requests, limits) = container_lists(container);
                    check_item(item, &requests, &limits, &mut errors);
                }
            }
            "Pod" => {
                let requests = resources::pod_requests(spec, false);
                let limits = resources::pod_limits(spec, false);
                check_item(item, &requests, &limits, &mut errors);
            }
            _ => {}
        }
    }
    errors
}

/// Storage bounds of a claim: `min` and `max` both apply to what it requests.
fn validate_claim(range: &LimitRange, claim: &PersistentVolumeClaim) -> Vec<String> {
    let mut errors = Vec::new();
    let requests = resources::parse_list(
        claim
            .spec
            .as_ref()
            .and_then(|s| s.resources.as_ref())
            .and_then(|r| r.requests.as_ref()),
    );
    for item in items(range).filter(|i| i.type_ == "PersistentVolumeClaim") {
        let kind = item.type_.as_str();
        for (name, enforced) in resources::parse_list(item.min.as_ref()) {
            errors.extend(min_constraint(
                kind,
                &name,
                &enforced,
                &requests,
                &ResourceList::new(),
            ));
        }
        for (name, enforced) in resources::parse_list(item.max.as_ref()) {
            errors.extend(max_request_constraint(kind, &name, &enforced, &requests));
        }
    }
    errors
}

/// `requestLimitEnforcedValues`: thousandths when every value allows, whole units otherwise.
fn comparable(
    request: Option<&Quantity>,
    limit: Option<&Quantity>,
    enforced: &Quantity,
) -> (i128, i128, i128) {
    let zero = Quantity::zero();
    let request = request.unwrap_or(&zero);
    let limit = limit.unwrap_or(&zero);
    let units = (request.value(), limit.value(), enforced.value());
    if units.0 <= MAX_MILLI_VALUE && units.1 <= MAX_MILLI_VALUE && units.2 <= MAX_MILLI_VALUE {
        (
            request.milli_value(),
            limit.milli_value(),
            enforced.milli_value(),
        )
    } else {
        units
    }
}

fn min_constraint(
    kind: &str,
    name: &str,
    enforced: &Quantity,
    requests: &ResourceList,
    limits: &ResourceList,
) -> Option<String> {
    let request = requests.get(name);
    let limit = limits.get(name);
    let (observed_request, observed_limit, enforced_value) = comparable(request, limit, enforced);
    let Some(request) = request else {
        return Some(format!(
            "minimum {name} usage per {kind} is {enforced}.  No request is specified"
        ));
    };
    if observed_request < enforced_value {
        return Some(format!(
            "minimum {name} usage per {kind} is {enforced}, but request is {request}"
        ));
    }
    match limit {
        Some(limit) if observed_limit < enforced_value => Some(format!(
            "minimum {name} usage per {kind} is {enforced}, but limit is {limit}"
        )),
        _ => None,
    }
}

fn max_request_constraint(
    kind: &str,
    name: &str,
    enforced: &Quantity,
    requests: &ResourceList,
) -> Option<String> {
    let request = requests.get(name);
    let (observed_request, _, enforced_value) = comparable(request, None, enforced);
    let Some(request) = request else {
        return Some(format!(
            "maximum {name} usage per {kind} is {enforced}.  No request is specified"
        ));
    };
    (observed_request > enforced_value)
        .then(|| format!("maximum {name} usage per {kind} is {enforced}, but request is {request}"))
}

fn max_constraint(
    kind: &str,
    name: &str,
    enforced: &Quantity,
    requests: &ResourceList,
    limits: &ResourceList,
) -> Option<String> {
    let request = requests.get(name);
    let limit = limits.get(name);
    let (observed_request, observed_limit, enforced_value) = comparable(request, limit, enforced);
    let Some(limit) = limit else {
        return Some(format!(
            "maximum {name} usage per {kind} is {enforced}.  No limit is specified"
        ));
    };
    if observed_limit > enforced_value {
        return Some(format!(
            "maximum {name} usage per {kind} is {enforced}, but limit is {limit}"
        ));
    }
    match request {
        Some(request) if observed_request > enforced_value => Some(format!(
            "maximum {name} usage per {kind} is {enforced}, but request is {request}"
        )),
        _ => None,
    }
}

fn limit_request_ratio_constraint(
    kind: &str,
    name: &str,
    enforced: &Quantity,
    requests: &ResourceList,
    limits: &ResourceList,
) -> Option<String> {
    let request = requests.get(name);
    let limit = limits.get(name);
    let (observed_request, observed_limit, _) = comparable(request, limit, enforced);
    if request.is_none() || observed_request == 0 {
        return Some(format!(
            "{name} max limit to request ratio per {kind} is {enforced}, but no request is specified or request is 0"
        ));
    }
    if limit.is_none() || observed_limit == 0 {
        return Some(format!(
            "{name} max limit to request ratio per {kind} is {enforced}, but no limit is specified or limit is 0"
        ));
    }
    let displayed_ratio = observed_limit as f64 / observed_request as f64;
    let (observed_ratio, max_ratio) = if enforced.value() <= MAX_MILLI_VALUE {
        (displayed_ratio * 1000.0, enforced.milli_value() as f64)
    } else {
        (displayed_ratio, enforced.value() as f64)
    };
    (observed_ratio > max_ratio).then(|| {
        format!(
            "{name} max limit to request ratio per {kind} is {enforced}, but provided ratio is {displayed_ratio:.6}"
        )
    })
}
