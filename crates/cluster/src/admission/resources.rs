//! Resource lists as the admission plugins handle them: parsed quantities by resource name,
//! the list arithmetic of upstream's `quota` helpers (add, subtract, mask, compare), and the
//! pod-wide requests and limits of component-helpers' `PodRequests` / `PodLimits`.

use std::collections::BTreeMap;

use model::k8s_openapi::api::core::v1::{Container, PodSpec};
use model::k8s_openapi::apimachinery::pkg::api::resource::Quantity as K8sQuantity;
use model::quantity::Quantity;

/// Quantities by resource name (`cpu`, `requests.memory`, `count/pods`), sorted by name.
pub(crate) type ResourceList = BTreeMap<String, Quantity>;

/// Parses a k8s-openapi resource list. Entries that are not quantities are left out: the API
/// server's decoding refuses them, so they never reach admission there.
pub(crate) fn parse_list(list: Option<&BTreeMap<String, K8sQuantity>>) -> ResourceList {
    list.into_iter()
        .flatten()
        .filter_map(|(name, value)| {
            Quantity::from_k8s(value)
                .ok()
                .map(|quantity| (name.clone(), quantity))
        })
        .collect()
}

/// The list as k8s-openapi writes it, each quantity as upstream serializes it.
pub(crate) fn to_k8s_list(list: &ResourceList) -> BTreeMap<String, K8sQuantity> {
    list.iter()
        .map(|(name, value)| (name.clone(), value.to_k8s()))
        .collect()
}

/// `quota.Add`: the sum of both lists; keys of either appear.
pub(crate) fn add(a: &ResourceList, b: &ResourceList) -> ResourceList {
    let mut result = a.clone();
    add_into(&mut result, b);
    result
}

/// Adds `b` into `a` in place (`addResourceList`).
pub(crate) fn add_into(a: &mut ResourceList, b: &ResourceList) {
    for (name, value) in b {
        match a.get_mut(name) {
            Some(existing) => *existing = existing.add(value),
            None => {
                a.insert(name.clone(), value.clone());
            }
        }
    }
}

/// `quota.SubtractWithNonNegativeResult`: `a - b` per key of `a`, floored at zero.
pub(crate) fn subtract_non_negative(a: &ResourceList, b: &ResourceList) -> ResourceList {
    a.iter()
        .map(|(name, value)| {
            let difference = match b.get(name) {
                Some(other) => value.sub(other),
                None => value.clone(),
            };
            let floored = if difference.signum() < 0 {
                Quantity::zero()
            } else {
                difference
            };
            (name.clone(), floored)
        })
        .collect()
}

/// `quota.Mask`: only the named keys.
pub(crate) fn mask(list: &ResourceList, names: &[String]) -> ResourceList {
    list.iter()
        .filter(|(name, _)| names.contains(name))
        .map(|(name, value)| (name.clone(), value.clone()))
        .collect()
}

/// `quota.ResourceNames`.
pub(crate) fn names(list: &ResourceList) -> Vec<String> {
    list.keys().cloned().collect()
}

/// `quota.LessThanOrEqual`: whether every key of `a` that `b` also has is within it, and the
/// keys that are not.
pub(crate) fn less_than_or_equal(a: &ResourceList, b: &ResourceList) -> (bool, Vec<String>) {
    let exceeded: Vec<String> = a
        .iter()
        .filter(|(name, value)| b.get(*name).is_some_and(|limit| *value > limit))
        .map(|(name, _)| name.clone())
        .collect();
    (exceeded.is_empty(), exceeded)
}

/// `quota.Equals`: the same keys with equal values.
pub(crate) fn equals(a: &ResourceList, b: &ResourceList) -> bool {
    a.len() == b.len() && a.iter().all(|(name, value)| b.get(name) == Some(value))
}

/// `requests.memory=700Mi,requests.cpu=400m`: the quota controller's `prettyPrint`, keys sorted.
pub(crate) fn pretty_print(list: &ResourceList) -> String {
    list.iter()
        .map(|(name, value)| format!("{name}={value}"))
        .collect::<Vec<_>>()
        .join(",")
}

/// Sets every key of `other` that is missing from `list` or larger there (`maxResourceList`).
fn max_into(list: &mut ResourceList, other: &ResourceList) {
    for (name, value) in other {
        match list.get(name) {
            Some(existing) if existing >= value => {}
            _ => {
                list.insert(name.clone(), value.clone());
            }
        }
    }
}

fn container_list(container: &Container, limits: bool) -> ResourceList {
    let resources = container.resources.as_ref();
    parse_list(if limits {
        resources.and_then(|r| r.limits.as_ref())
    } else {
        resources.and_then(|r| r.requests.as_ref())
    })
}

/// The containers' aggregate (`AggregateContainerRequests` / `...Limits`): the sum over app
/// containers and sidecars (init containers with `restartPolicy: Always`), at least what any
/// init container needs while it runs beside the sidecars started before it.
fn aggregate(spec: &PodSpec, limits: bool) -> ResourceList {
    let mut total = ResourceList::new();
    for container in &spec.containers {
        add_into(&mut total, &container_list(container, limits));
    }
    let mut sidecars = ResourceList::new();
    let mut init_peak = ResourceList::new();
    for container in spec.init_containers.iter().flatten() {
        let own = container_list(container, limits);
        let running = if container.restart_policy.as_deref() == Some("Always") {
            add_into(&mut total, &own);
            add_into(&mut sidecars, &own);
            sidecars.clone()
        } else {
            add(&own, &sidecars)
        };
        max_into(&mut init_peak, &running);
    }
    max_into(&mut total, &init_peak);
    total
}

/// Pod-level `spec.resources` override the aggregate for cpu and memory (PodLevelResources).
fn pod_level_override(spec: &PodSpec, list: &mut ResourceList, limits: bool) {
    let Some(resources) = spec.resources.as_ref() else {
        return;
    };
    let pod_level = parse_list(if limits {
        resources.limits.as_ref()
    } else {
        resources.requests.as_ref()
    });
    for (name, value) in pod_level {
        if name == "cpu" || name == "memory" {
            list.insert(name, value);
        }
    }
}

/// `PodRequests`: what the pod asks for, with the pod overhead unless excluded.
pub(crate) fn pod_requests(spec: &PodSpec, include_overhead: bool) -> ResourceList {
    let mut requests = aggregate(spec, false);
    pod_level_override(spec, &mut requests, false);
    if include_overhead {
        add_into(&mut requests, &parse_list(spec.overhead.as_ref()));
    }
    requests
}

/// `PodLimits`: the pod's limits; the overhead is added only to limits that are set.
pub(crate) fn pod_limits(spec: &PodSpec, include_overhead: bool) -> ResourceList {
    let mut limits = aggregate(spec, true);
    pod_level_override(spec, &mut limits, true);
    if include_overhead {
        for (name, value) in parse_list(spec.overhead.as_ref()) {
            if let Some(existing) = limits.get_mut(&name) {
                *existing = existing.add(&value);
            }
        }
    }
    limits
}

#[cfg(test)]
mod tests {
    use super::*;

    fn list(entries: &[(&str, &str)]) -> ResourceList {
        entries
            .iter()
            .map(|(k, v)| (k.to_string(), Quantity::parse(v).unwrap()))
            .collect()
    }

    #[test]
    fn list_arithmetic_matches_the_quota_helpers() {
        let used = list(&[("requests.memory", "600Mi"), ("pods", "1")]);
        let requested = list(&[("requests.memory", "700Mi")]);
        let total = add(&used, &requested);
        assert_eq!(total["requests.memory"].to_string(), "1300Mi");
        let (allowed, exceeded) = less_than_or_equal(&total, &list(&[("requests.memory", "1Gi")]));
        assert!(!allowed);
        assert_eq!(exceeded, vec!["requests.memory".to_string()]);
        assert_eq!(
            pretty_print(&list(&[("b", "1"), ("a", "2Gi")])),
            "a=2Gi,b=1"
        );
        let delta = subtract_non_negative(&list(&[("x", "1"), ("y", "5")]), &list(&[("x", "3")]));
        assert_eq!(delta["x"].to_string(), "0");
        assert_eq!(delta["y"].to_string(), "5");
    }
}
