//! The HorizontalPodAutoscaler controller (autoscaling/v2), as kube-controller-manager runs it:
//! every 15 s per HPA it reads the target's scale (Deployment, ReplicaSet, StatefulSet,
//! ReplicationController), the resource metrics API (metrics-server) for the target's pods, and
//! proposes a replica count per metric with upstream's replica calculator (tolerance 0.1;
//! pending, unready and not-yet-measured pods handled as upstream does; requests summed over
//! containers and restartable init containers). The largest proposal is then stabilized and
//! limited: without `behavior`, the highest recommendation of the last 5 minutes and at most
//! max(2×current, 4); with `behavior`, its stabilization windows and rate policies. Conditions
//! AbleToScale / ScalingActive / ScalingLimited, events SuccessfulRescale,
//! FailedGetResourceMetric, FailedComputeMetricsReplicas, FailedGetScale — worded as upstream.
//!
//! The controller's memory (recommendations and scale events per HPA, when it last synced) is
//! passed in and returned: the reconcile stays a pure function.

use std::collections::{BTreeMap, BTreeSet};
use std::rc::Rc;

use model::selector::Selector;
use model::Object;
use serde_json::{json, Value};

use super::{ControllerView, EventToRecord, Reconciled, Write};
use crate::events::EventType;
use crate::metrics::PodMetrics;
use crate::SimTime;

/// `--horizontal-pod-autoscaler-sync-period`.
pub(crate) const SYNC_PERIOD_MILLIS: u64 = 15_000;
/// `--horizontal-pod-autoscaler-tolerance`.
const TOLERANCE: f64 = 0.1;
/// `--horizontal-pod-autoscaler-downscale-stabilization`.
const DOWNSCALE_STABILIZATION_MILLIS: u64 = 300_000;
/// `--horizontal-pod-autoscaler-cpu-initialization-period`.
const CPU_INITIALIZATION_PERIOD_MILLIS: u64 = 300_000;
/// `--horizontal-pod-autoscaler-initial-readiness-delay`.
const INITIAL_READINESS_DELAY_MILLIS: u64 = 30_000;
/// The component events are reported by.
const COMPONENT: &str = "horizontal-pod-autoscaler";

/// What the controller remembers about one HPA between syncs.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct AutoscalerMemory {
    /// (recommended replicas, when).
    pub recommendations: Vec<(i32, SimTime)>,
    /// (replicas added or removed, when, outdated).
    pub scale_up_events: Vec<(i32, SimTime, bool)>,
    pub scale_down_events: Vec<(i32, SimTime, bool)>,
    pub synced_at: Option<SimTime>,
    pub synced_generation: i64,
}

impl AutoscalerMemory {
    /// Whether the HPA is due for a sync now.
    pub fn due(&self, now: SimTime, generation: i64) -> bool {
        match self.synced_at {
            None => true,
            Some(at) => now.0 >= at.0 + SYNC_PERIOD_MILLIS || generation != self.synced_generation,
        }
    }
}

/// A condition as upstream's `setCondition` takes it.
#[derive(Debug, Clone, PartialEq)]
struct Condition {
    kind: &'static str,
    status: &'static str,
    reason: String,
    message: String,
}

fn condition(
    kind: &'static str,
    status: &'static str,
    reason: &str,
    message: impl Into<String>,
) -> Condition {
    Condition {
        kind,
        status,
        reason: reason.to_string(),
        message: message.into(),
    }
}

/// What one sync decided, before it is written.
struct Sync<'a> {
    hpa: &'a Rc<Object>,
    now: SimTime,
    conditions: Vec<Condition>,
    events: Vec<(EventType, &'static str, String)>,
}

impl Sync<'_> {
    fn set(&mut self, wanted: Condition) {
        match self.conditions.iter_mut().find(|c| c.kind == wanted.kind) {
            Some(existing) => *existing = wanted,
            None => self.conditions.push(wanted),
        }
    }

    fn event(&mut self, kind: EventType, reason: &'static str, message: impl Into<String>) {
        self.events.push((kind, reason, message.into()));
    }

    /// ScalingActive=False with upstream's wording, and the Warning event that goes with it.
    fn unable_to_compute(&mut self, reason: &'static str, error: &str) -> Condition {
        self.event(EventType::Warning, reason, error);
        condition(
            "ScalingActive",
            "False",
            reason,
            format!("the HPA was unable to compute the replica count: {error}"),
        )
    }
}

/// The target's scale subresource: replicas and the selector of its pods.
struct Scale {
    object: Rc<Object>,
    replicas: i32,
    selector: Selector,
}

fn get_scale(
    view: &ControllerView<'_>,
    namespace: &str,
    reference: &Value,
) -> Result<Scale, String> {
    let kind = reference["kind"].as_str().unwrap_or("");
    let name = reference["name"].as_str().unwrap_or("");
    let api_version = reference["apiVersion"].as_str().unwrap_or("");
    let group = api_version.rsplit_once('/').map_or("", |(g, _)| g);
    let (plural, qualified) = match (kind, group) {
        ("Deployment", "apps") => ("deployments", "deployments.apps"),
        ("ReplicaSet", "apps") => ("replicasets", "replicasets.apps"),
        ("StatefulSet", "apps") => ("statefulsets", "statefulsets.apps"),
        ("ReplicationController", "") => ("replicationcontrollers", "replicationcontrollers"),
        _ => {
            return Err(format!(
                "no matches for kind \"{kind}\" in group \"{group}\""
            ))
        }
    };
    let object = view
        .get(plural, namespace, name)
        .ok_or_else(|| format!("{qualified} \"{name}\" not found"))?;
    let value = object.to_json_value();
    let replicas = value["spec"]["replicas"].as_i64().unwrap_or(1) as i32;
    let selector = if kind == "ReplicationController" {
        let labels: BTreeMap<String, String> = value["spec"]["selector"]
            .as_object()
            .map(|m| {
                m.iter()
                    .filter_map(|(k, v)| Some((k.clone(), v.as_str()?.to_string())))
                    .collect()
            })
            .unwrap_or_default();
        Selector::from_map(&labels)
    } else {
        let parsed = serde_json::from_value(value["spec"]["selector"].clone()).ok();
        Selector::from_label_selector(parsed.as_ref())
    };
    Ok(Scale {
        object,
        replicas,
        selector,
    })
}

/// A quantity from a milli-value, in the canonical decimal form the API server prints.
pub(crate) fn milli_quantity(milli: i64) -> String {
    if milli % 1000 != 0 {
        return format!("{milli}m");
    }
    let value = milli / 1000;
    if value == 0 {
        return "0".into();
    }
    for (factor, suffix) in [
        (1_000_000_000_000_000i64, "E"),
        (1_000_000_000_000, "T"),
        (1_000_000_000, "G"),
        (1_000_000, "M"),
        (1_000, "k"),
    ] {
        if value % factor == 0 {
            return format!("{}{suffix}", value / factor);
        }
    }
    value.to_string()
}

fn quantity_milli(value: &Value) -> Option<i64> {
    let text = match value {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        _ => return None,
    };
    let quantity = model::quantity::Quantity::parse(&text).ok()?;
    Some((quantity.nanos() / 1_000_000) as i64)
}

/// A pod as the replica calculator sees it.
struct TargetPod {
    name: String,
    phase: String,
    deleting: bool,
    start_time: Option<SimTime>,
    /// The Ready condition: (status is True, last transition).
    ready: Option<(bool, SimTime)>,
    /// Per container (and restartable init container): name and its request of the resource
    /// in milli-units, if it has one.
    requests: Vec<(String, Option<i64>)>,
}

fn target_pods(
    view: &ControllerView<'_>,
    namespace: &str,
    selector: &Selector,
    resource: &str,
) -> Vec<TargetPod> {
    view.pods_in(namespace)
        .iter()
        .filter(|p| selector.matches(p.metadata().labels.as_ref()))
        .map(|pod| {
            let value = pod.to_json_value();
            let status = &value["status"];
            let ready = status["conditions"]
                .as_array()
                .into_iter()
                .flatten()
                .find(|c| c["type"] == "Ready")
                .map(|c| {
                    let at = serde_json::from_value(c["lastTransitionTime"].clone())
                        .ok()
                        .map(|t| SimTime::from_k8s_time(&t))
                        .unwrap_or_default();
                    (c["status"] == "True", at)
                });
            let start_time = serde_json::from_value(status["startTime"].clone())
                .ok()
                .map(|t| SimTime::from_k8s_time(&t));
            let containers = value["spec"]["containers"]
                .as_array()
                .cloned()
                .unwrap_or_default();
            let sidecars = value["spec"]["initContainers"]
                .as_array()
                .into_iter()
                .flatten()
                .filter(|c| c["restartPolicy"] == "Always")
                .cloned();
            let requests = containers
                .into_iter()
                .chain(sidecars)
                .map(|c| {
                    (
                        c["name"].as_str().unwrap_or("").to_string(),
                        quantity_milli(&c["resources"]["requests"][resource]),
                    )
                })
                .collect();
            TargetPod {
                name: pod.name().to_string(),
                phase: status["phase"].as_str().unwrap_or("Pending").to_string(),
                deleting: pod.metadata().deletion_timestamp.is_some(),
                start_time,
                ready,
                requests,
            }
        })
        .collect()
}

/// A pod's measured use of a resource, in milli-units (millicores; milli-bytes for memory).
#[derive(Debug, Clone, Copy)]
struct Sample {
    value: i64,
    timestamp: SimTime,
    window: u64,
}

/// Pods by name → their sample, from the metrics API (`Err` worded as upstream's metrics
/// client words it).
fn resource_samples(
    metrics: Option<&[PodMetrics]>,
    namespace: &str,
    pod_names: &BTreeSet<String>,
    resource: &str,
    container: Option<&str>,
) -> Result<BTreeMap<String, Sample>, String> {
    let Some(metrics) = metrics else {
        return Err("unable to fetch metrics from resource metrics API: the server could not find the requested resource (get pods.metrics.k8s.io)".into());
    };
    let mut samples = BTreeMap::new();
    for pod in metrics
        .iter()
        .filter(|m| m.namespace == namespace && pod_names.contains(&m.name))
    {
        let mut value = 0i64;
        let mut found = false;
        for c in &pod.containers {
            if container.is_some_and(|name| name != c.name) {
                continue;
            }
            found = true;
            value += match resource {
                "cpu" => c.cpu_millicores as i64,
                _ => (c.memory_bytes as i64).saturating_mul(1000),
            };
        }
        if !found {
            continue;
        }
        samples.insert(
            pod.name.clone(),
            Sample {
                value,
                timestamp: pod.timestamp,
                window: pod.window_millis,
            },
        );
    }
    if samples.is_empty() {
        return Err("no metrics returned from resource metrics API".into());
    }
    Ok(samples)
}

fn is_within_tolerance(ratio: f64) -> bool {
    ((1.0 - TOLERANCE)..=(1.0 + TOLERANCE)).contains(&ratio)
}

/// Sorts pods as upstream's `groupPods`: (ready count, unready, missing, ignored).
fn group_pods(
    pods: &[TargetPod],
    samples: &BTreeMap<String, Sample>,
    resource: &str,
    now: SimTime,
) -> (usize, BTreeSet<String>, BTreeSet<String>, BTreeSet<String>) {
    let mut ready_count = 0;
    let (mut unready, mut missing, mut ignored) =
        (BTreeSet::new(), BTreeSet::new(), BTreeSet::new());
    for pod in pods {
        if pod.deleting || pod.phase == "Failed" {
            ignored.insert(pod.name.clone());
            continue;
        }
        if pod.phase == "Pending" {
            unready.insert(pod.name.clone());
            continue;
        }
        let Some(sample) = samples.get(&pod.name) else {
            missing.insert(pod.name.clone());
            continue;
        };
        if resource == "cpu" {
            let is_unready = match (pod.ready, pod.start_time) {
                (Some((ready, transition)), Some(start)) => {
                    if start.0 + CPU_INITIALIZATION_PERIOD_MILLIS > now.0 {
                        !ready || sample.timestamp.0 < transition.0 + sample.window
                    } else {
                        !ready && start.0 + INITIAL_READINESS_DELAY_MILLIS > transition.0
                    }
                }
                _ => true,
            };
            if is_unready {
                unready.insert(pod.name.clone());
                continue;
            }
        }
        ready_count += 1;
    }
    (ready_count, unready, missing, ignored)
}

/// (usage ratio, utilization percent, raw average) as `GetResourceUtilizationRatio`.
fn utilization_ratio(
    samples: &BTreeMap<String, Sample>,
    requests: &BTreeMap<String, i64>,
    target: i64,
) -> Result<(f64, i64, i64), String> {
    let (mut total, mut requested, mut entries) = (0i64, 0i64, 0i64);
    for (pod, sample) in samples {
        let Some(request) = requests.get(pod) else {
            continue;
        };
        total += sample.value;
        requested += request;
        entries += 1;
    }
    if requested == 0 {
        return Err("no metrics returned matched known pods".into());
    }
    let utilization = total * 100 / requested;
    Ok((
        utilization as f64 / target as f64,
        utilization,
        total / entries,
    ))
}

/// (proposed replicas, current value for status) for a resource metric.
enum Proposal {
    Utilization {
        replicas: i32,
        percent: i64,
        raw: i64,
    },
    AverageValue {
        replicas: i32,
        raw: i64,
    },
}

#[allow(clippy::too_many_arguments)]
fn resource_replicas(
    pods: &[TargetPod],
    mut samples: BTreeMap<String, Sample>,
    resource: &str,
    container: Option<&str>,
    current: i32,
    target_utilization: Option<i64>,
    target_average: Option<i64>,
    now: SimTime,
) -> Result<Proposal, String> {
    if pods.is_empty() {
        return Err("no pods returned by selector while calculating replica count".into());
    }
    let (ready_count, unready, missing, ignored) = group_pods(pods, &samples, resource, now);
    samples.retain(|pod, _| !ignored.contains(pod) && !unready.contains(pod));
    if samples.is_empty() {
        return Err("did not receive metrics for targeted pods (pods might be unready)".into());
    }
    if let Some(target) = target_average {
        // Plain values: the average over the pods against the target.
        let average = |samples: &BTreeMap<String, Sample>| {
            let total: i64 = samples.values().map(|s| s.value).sum();
            (
                total as f64 / samples.len() as f64 / target as f64,
                total / samples.len() as i64,
            )
        };
        let (ratio, raw) = average(&samples);
        let scale_up_with_unready = !unready.is_empty() && ratio > 1.0;
        if !scale_up_with_unready && missing.is_empty() {
            let replicas = if is_within_tolerance(ratio) {
                current
            } else {
                (ratio * ready_count as f64).ceil() as i32
            };
            return Ok(Proposal::AverageValue { replicas, raw });
        }
        fill_missing(
            &mut samples,
            &missing,
            &unready,
            ratio,
            scale_up_with_unready,
            |_| target,
        );
        let (new_ratio, _) = average(&samples);
        let replicas = settle(ratio, new_ratio, samples.len(), current);
        return Ok(Proposal::AverageValue { replicas, raw });
    }
    let target = target_utilization.unwrap_or(80);
    let mut requests = BTreeMap::new();
    for pod in pods {
        let mut sum = 0;
        for (name, request) in &pod.requests {
            if container.is_some_and(|c| c != name) {
                continue;
            }
            match request {
                Some(r) => sum += r,
                None => {
                    return Err(format!(
                        "missing request for {resource} in container {name} of Pod {}",
                        pod.name
                    ))
                }
            }
        }
        if let Some(c) = container {
            if !pod.requests.iter().any(|(name, _)| name == c) {
                return Err(format!("container {c} not found in Pod {}", pod.name));
            }
        }
        requests.insert(pod.name.clone(), sum);
    }
    let (ratio, percent, raw) = utilization_ratio(&samples, &requests, target)?;
    let scale_up_with_unready = !unready.is_empty() && ratio > 1.0;
    if !scale_up_with_unready && missing.is_empty() {
        let replicas = if is_within_tolerance(ratio) {
            current
        } else {
            (ratio * ready_count as f64).ceil() as i32
        };
        return Ok(Proposal::Utilization {
            replicas,
            percent,
            raw,
        });
    }
    let fallback = target.max(100);
    fill_missing(
        &mut samples,
        &missing,
        &unready,
        ratio,
        scale_up_with_unready,
        |pod| requests.get(pod).copied().unwrap_or(0) * fallback / 100,
    );
    let (new_ratio, _, _) = utilization_ratio(&samples, &requests, target)?;
    let replicas = settle(ratio, new_ratio, samples.len(), current);
    Ok(Proposal::Utilization {
        replicas,
        percent,
        raw,
    })
}

/// Missing pods count as using 100% (or the target) on a scale-down and 0% on a scale-up;
/// unready pods as 0% on a scale-up.
fn fill_missing(
    samples: &mut BTreeMap<String, Sample>,
    missing: &BTreeSet<String>,
    unready: &BTreeSet<String>,
    ratio: f64,
    scale_up_with_unready: bool,
    scale_down_value: impl Fn(&str) -> i64,
) {
    let blank = Sample {
        value: 0,
        timestamp: SimTime(0),
        window: 0,
    };
    for pod in missing {
        if ratio < 1.0 {
            samples.insert(
                pod.clone(),
                Sample {
                    value: scale_down_value(pod),
                    ..blank
                },
            );
        } else if ratio > 1.0 {
            samples.insert(pod.clone(), blank);
        }
    }
    if scale_up_with_unready {
        for pod in unready {
            samples.insert(pod.clone(), blank);
        }
    }
}

/// The replica count once missing and unready pods are accounted for (no change if that would
/// flip the direction of scaling or is within tolerance).
fn settle(ratio: f64, new_ratio: f64, counted: usize, current: i32) -> i32 {
    if is_within_tolerance(new_ratio)
        || (ratio < 1.0 && new_ratio > 1.0)
        || (ratio > 1.0 && new_ratio < 1.0)
    {
        return current;
    }
    let replicas = (new_ratio * counted as f64).ceil() as i32;
    if (new_ratio < 1.0 && replicas > current) || (new_ratio > 1.0 && replicas < current) {
        return current;
    }
    replicas
}

/// One metric's proposal: (replicas, metric name, status) or (error, ScalingActive condition).
fn replicas_for_metric(
    sync: &mut Sync<'_>,
    view: &ControllerView<'_>,
    metric: &Value,
    scale: &Scale,
    metrics: Option<&[PodMetrics]>,
) -> Result<(i32, String, Value), (String, Condition)> {
    let namespace = sync.hpa.namespace().to_string();
    let kind = metric["type"].as_str().unwrap_or("");
    let (source, container, reason) = match kind {
        "Resource" => (&metric["resource"], None, "FailedGetResourceMetric"),
        "ContainerResource" => (
            &metric["containerResource"],
            metric["containerResource"]["container"].as_str(),
            "FailedGetContainerResourceMetric",
        ),
        "Pods" | "Object" | "External" => {
            let (reason, field, api) = match kind {
                "Pods" => ("FailedGetPodsMetric", "pods", "custom.metrics.k8s.io"),
                "Object" => ("FailedGetObjectMetric", "object", "custom.metrics.k8s.io"),
                _ => (
                    "FailedGetExternalMetric",
                    "external",
                    "external.metrics.k8s.io",
                ),
            };
            let name = metric[field]["metric"]["name"].as_str().unwrap_or("");
            let error = format!(
                "unable to get metric {name}: unable to fetch metrics from {} API: no {} API ({api}) registered",
                if kind == "External" { "external metrics" } else { "custom metrics" },
                if kind == "External" { "external metrics" } else { "custom metrics" },
            );
            let condition = sync.unable_to_compute(reason, &error);
            return Err((error, condition));
        }
        other => {
            let error = format!("unknown metric source type \"{other}\"");
            let condition = sync.unable_to_compute("InvalidMetricSourceType", &error);
            return Err((error, condition));
        }
    };
    let resource = source["name"].as_str().unwrap_or("cpu").to_string();
    let target_utilization = source["target"]["averageUtilization"].as_i64();
    let target_average = quantity_milli(&source["target"]["averageValue"]);
    let fail = |sync: &mut Sync<'_>, error: String| {
        let condition = sync.unable_to_compute(reason, &error);
        Err((error, condition))
    };
    if target_average.is_none() && target_utilization.is_none() {
        return fail(
            sync,
            "invalid resource metric source: neither a utilization target nor a value target was set"
                .into(),
        );
    }
    let pods = target_pods(view, &namespace, &scale.selector, &resource);
    let names: BTreeSet<String> = pods.iter().map(|p| p.name.clone()).collect();
    let samples = match resource_samples(metrics, &namespace, &names, &resource, container) {
        Ok(samples) => samples,
        Err(error) => {
            return fail(
                sync,
                format!("failed to get {resource} utilization: unable to get metrics for resource {resource}: {error}"),
            )
        }
    };
    let proposal = resource_replicas(
        &pods,
        samples,
        &resource,
        container,
        scale.replicas,
        target_utilization,
        target_average,
        sync.now,
    );
    let (replicas, current, name) = match proposal {
        Err(error) => {
            return fail(
                sync,
                format!("failed to get {resource} utilization: {error}"),
            )
        }
        Ok(Proposal::Utilization {
            replicas,
            percent,
            raw,
        }) => (
            replicas,
            json!({"averageUtilization": percent, "averageValue": milli_quantity(raw)}),
            format!("{resource} resource utilization (percentage of request)"),
        ),
        Ok(Proposal::AverageValue { replicas, raw }) => (
            replicas,
            json!({"averageValue": milli_quantity(raw)}),
            format!("{resource} resource"),
        ),
    };
    let status = match container {
        None => json!({"type": "Resource", "resource": {"name": resource, "current": current}}),
        Some(c) => {
            json!({"type": "ContainerResource", "containerResource": {"name": resource, "container": c, "current": current}})
        }
    };
    Ok((replicas, name, status))
}

/// (min, max) replicas allowed and why, for the behavior-less HPA.
fn limit_without_behavior(
    current: i32,
    desired: i32,
    min: i32,
    max: i32,
) -> (i32, &'static str, &'static str) {
    let scale_up_limit = ((2 * current) as f64).max(4.0) as i32;
    let (maximum, limit_reason, limit_message) = if max > scale_up_limit {
        (
            scale_up_limit,
            "ScaleUpLimit",
            "the desired replica count is increasing faster than the maximum scale rate",
        )
    } else {
        (
            max,
            "TooManyReplicas",
            "the desired replica count is more than the maximum replica count",
        )
    };
    if desired < min {
        (
            min,
            "TooFewReplicas",
            "the desired replica count is less than the minimum replica count",
        )
    } else if desired > maximum {
        (maximum, limit_reason, limit_message)
    } else {
        (
            desired,
            "DesiredWithinRange",
            "the desired count is within the acceptable range",
        )
    }
}

/// A scaling direction's rules with upstream's defaults filled in.
struct Rules {
    window_millis: u64,
    select: String,
    /// (type, value, period in ms).
    policies: Vec<(String, i64, u64)>,
}

fn rules(value: &Value, up: bool) -> Rules {
    let default_window = if up {
        0
    } else {
        DOWNSCALE_STABILIZATION_MILLIS
    };
    let policies: Vec<(String, i64, u64)> = match value["policies"].as_array() {
        Some(list) => list
            .iter()
            .map(|p| {
                (
                    p["type"].as_str().unwrap_or("Pods").to_string(),
                    p["value"].as_i64().unwrap_or(0),
                    p["periodSeconds"].as_u64().unwrap_or(15) * 1000,
                )
            })
            .collect(),
        None if up => vec![("Pods".into(), 4, 15_000), ("Percent".into(), 100, 15_000)],
        None => vec![("Percent".into(), 100, 15_000)],
    };
    Rules {
        window_millis: value["stabilizationWindowSeconds"]
            .as_u64()
            .map_or(default_window, |s| s * 1000),
        select: value["selectPolicy"].as_str().unwrap_or("Max").to_string(),
        policies,
    }
}

fn changes_within(events: &[(i32, SimTime, bool)], period: u64, now: SimTime) -> i32 {
    events
        .iter()
        .filter(|(_, at, _)| at.0 + period > now.0)
        .map(|(change, _, _)| *change)
        .sum()
}

fn scale_up_limit(
    current: i32,
    events: &[(i32, SimTime, bool)],
    rules: &Rules,
    now: SimTime,
) -> i32 {
    if rules.select == "Disabled" {
        return current;
    }
    let proposals = rules.policies.iter().map(|(kind, value, period)| {
        let start = current - changes_within(events, *period, now);
        if kind == "Pods" {
            start + *value as i32
        } else {
            (start as f64 * (1.0 + *value as f64 / 100.0)).ceil() as i32
        }
    });
    if rules.select == "Min" {
        proposals.min().unwrap_or(current)
    } else {
        proposals.max().unwrap_or(current)
    }
}

fn scale_down_limit(
    current: i32,
    events: &[(i32, SimTime, bool)],
    rules: &Rules,
    now: SimTime,
) -> i32 {
    if rules.select == "Disabled" {
        return current;
    }
    let proposals = rules.policies.iter().map(|(kind, value, period)| {
        let start = current + changes_within(events, *period, now);
        if kind == "Pods" {
            start - *value as i32
        } else {
            (start as f64 * (1.0 - *value as f64 / 100.0)) as i32
        }
    });
    if rules.select == "Min" {
        proposals.max().unwrap_or(current)
    } else {
        proposals.min().unwrap_or(current)
    }
}

/// Where the desired count lands once stabilized and limited (with conditions set).
fn normalize(
    sync: &mut Sync<'_>,
    memory: &mut AutoscalerMemory,
    behavior: &Value,
    current: i32,
    proposed: i32,
    min: i32,
    max: i32,
) -> i32 {
    let now = sync.now;
    if behavior.is_null() {
        // The highest recommendation of the stabilization window.
        let cutoff = now.0.saturating_sub(DOWNSCALE_STABILIZATION_MILLIS);
        let mut stabilized = proposed;
        let mut old_sample = None;
        for (index, (replicas, at)) in memory.recommendations.iter().enumerate() {
            if at.0 < cutoff {
                old_sample = Some(index);
            } else if *replicas > stabilized {
                stabilized = *replicas;
            }
        }
        match old_sample {
            Some(index) => memory.recommendations[index] = (proposed, now),
            None => memory.recommendations.push((proposed, now)),
        }
        if stabilized != proposed {
            sync.set(condition("AbleToScale", "True", "ScaleDownStabilized", "recent recommendations were higher than current one, applying the highest recent recommendation"));
        } else {
            sync.set(condition(
                "AbleToScale",
                "True",
                "ReadyForNewScale",
                "recommended size matches current size",
            ));
        }
        let (desired, reason, message) = limit_without_behavior(current, stabilized, min, max);
        let status = if desired == stabilized {
            "False"
        } else {
            "True"
        };
        sync.set(condition("ScalingLimited", status, reason, message));
        return desired;
    }
    let up = rules(&behavior["scaleUp"], true);
    let down = rules(&behavior["scaleDown"], false);
    // Stabilization: the lowest recommendation of the scale-up window, the highest of the
    // scale-down window.
    let (mut up_recommendation, mut down_recommendation) = (proposed, proposed);
    let mut old_sample = None;
    for (index, (replicas, at)) in memory.recommendations.iter().enumerate() {
        let in_up = at.0 + up.window_millis > now.0;
        let in_down = at.0 + down.window_millis > now.0;
        if in_up {
            up_recommendation = up_recommendation.min(*replicas);
        }
        if in_down {
            down_recommendation = down_recommendation.max(*replicas);
        }
        if !in_up && !in_down {
            old_sample = Some(index);
        }
    }
    match old_sample {
        Some(index) => memory.recommendations[index] = (proposed, now),
        None => memory.recommendations.push((proposed, now)),
    }
    let mut stabilized = current;
    let mut stabilization = ("ReadyForNewScale", "recommended size matches current size");
    if stabilized < up_recommendation {
        stabilized = up_recommendation;
        stabilization = ("ScaleUpStabilized", "recent recommendations were lower than current one, applying the lowest recent recommendation");
    }
    if stabilized > down_recommendation {
        stabilized = down_recommendation;
        stabilization = ("ScaleDownStabilized", "recent recommendations were higher than current one, applying the highest recent recommendation");
    }
    if stabilized != proposed {
        sync.set(condition(
            "AbleToScale",
            "True",
            stabilization.0,
            stabilization.1,
        ));
    } else {
        sync.set(condition(
            "AbleToScale",
            "True",
            "ReadyForNewScale",
            "recommended size matches current size",
        ));
    }
    let (desired, reason, message) = if stabilized > current {
        let limit = scale_up_limit(current, &memory.scale_up_events, &up, now).max(current);
        let maximum = limit.min(max);
        if stabilized > maximum {
            if maximum == max {
                (
                    maximum,
                    "TooManyReplicas",
                    "the desired replica count is more than the maximum replica count",
                )
            } else {
                (
                    maximum,
                    "ScaleUpLimit",
                    "the desired replica count is increasing faster than the maximum scale rate",
                )
            }
        } else {
            (
                stabilized,
                "DesiredWithinRange",
                "the desired count is within the acceptable range",
            )
        }
    } else if stabilized < current {
        let limit = scale_down_limit(current, &memory.scale_down_events, &down, now).min(current);
        let minimum = limit.max(min);
        if stabilized < minimum {
            if minimum == min {
                (
                    minimum,
                    "TooFewReplicas",
                    "the desired replica count is less than the minimum replica count",
                )
            } else {
                (
                    minimum,
                    "ScaleDownLimit",
                    "the desired replica count is decreasing faster than the maximum scale rate",
                )
            }
        } else {
            (
                stabilized,
                "DesiredWithinRange",
                "the desired count is within the acceptable range",
            )
        }
    } else {
        (
            stabilized,
            "DesiredWithinRange",
            "the desired count is within the acceptable range",
        )
    };
    let status = if desired == stabilized {
        "False"
    } else {
        "True"
    };
    sync.set(condition("ScalingLimited", status, reason, message));
    desired
}

/// Remembers a rescale for the rate policies (only when the HPA has a behavior).
fn store_scale_event(
    memory: &mut AutoscalerMemory,
    behavior: &Value,
    previous: i32,
    new: i32,
    now: SimTime,
) {
    if behavior.is_null() {
        return;
    }
    let up = new > previous;
    let direction = rules(
        if up {
            &behavior["scaleUp"]
        } else {
            &behavior["scaleDown"]
        },
        up,
    );
    let longest = direction
        .policies
        .iter()
        .map(|(_, _, p)| *p)
        .max()
        .unwrap_or(0);
    let events = if up {
        &mut memory.scale_up_events
    } else {
        &mut memory.scale_down_events
    };
    let mut outdated = None;
    for (index, event) in events.iter_mut().enumerate() {
        if event.1 .0 + longest <= now.0 {
            event.2 = true;
            outdated = Some(index);
        }
    }
    let event = ((new - previous).abs(), now, false);
    match outdated {
        Some(index) => events[index] = event,
        None => events.push(event),
    }
}

/// One sync of one HPA.
pub(crate) fn reconcile(
    hpa: &Rc<Object>,
    view: &ControllerView<'_>,
    metrics: Option<&[PodMetrics]>,
    memory: &AutoscalerMemory,
) -> (Reconciled, AutoscalerMemory) {
    let mut out = Reconciled::default();
    let mut memory = memory.clone();
    let now = view.now;
    let generation = hpa.metadata().generation.unwrap_or(1);
    memory.synced_at = Some(now);
    memory.synced_generation = generation;
    out.requeue_no_later_than(SimTime(now.0 + SYNC_PERIOD_MILLIS));
    let value = hpa.to_json_value();
    let spec = &value["spec"];
    let old_status = value["status"].clone();
    let mut sync = Sync {
        hpa,
        now,
        conditions: old_status["conditions"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|c| {
                let kind = match c["type"].as_str()? {
                    "AbleToScale" => "AbleToScale",
                    "ScalingActive" => "ScalingActive",
                    "ScalingLimited" => "ScalingLimited",
                    _ => return None,
                };
                Some(Condition {
                    kind,
                    status: if c["status"] == "True" {
                        "True"
                    } else {
                        "False"
                    },
                    reason: c["reason"].as_str().unwrap_or("").to_string(),
                    message: c["message"].as_str().unwrap_or("").to_string(),
                })
            })
            .collect(),
        events: Vec::new(),
    };
    let mut status = json!({
        "currentReplicas": old_status["currentReplicas"].as_i64().unwrap_or(0),
        "desiredReplicas": old_status["desiredReplicas"].as_i64().unwrap_or(0),
    });
    if !old_status["currentMetrics"].is_null() {
        status["currentMetrics"] = old_status["currentMetrics"].clone();
    }
    if !old_status["lastScaleTime"].is_null() {
        status["lastScaleTime"] = old_status["lastScaleTime"].clone();
    }
    let scale = match get_scale(view, hpa.namespace(), &spec["scaleTargetRef"]) {
        Ok(scale) => scale,
        Err(error) => {
            sync.event(EventType::Warning, "FailedGetScale", error.clone());
            sync.set(condition(
                "AbleToScale",
                "False",
                "FailedGetScale",
                format!("the HPA controller was unable to get the target's current scale: {error}"),
            ));
            finish(&mut out, &sync, &value, status, &old_status, generation);
            return (out, memory);
        }
    };
    sync.set(condition(
        "AbleToScale",
        "True",
        "SucceededGetScale",
        "the HPA controller was able to get the target's current scale",
    ));
    let current = scale.replicas;
    if memory.recommendations.is_empty() {
        memory.recommendations.push((current, now));
    }
    let min = spec["minReplicas"].as_i64().unwrap_or(1) as i32;
    let max = spec["maxReplicas"].as_i64().unwrap_or(1) as i32;
    let behavior = &spec["behavior"];
    let mut desired = 0;
    let mut reason = String::new();
    let mut metric_statuses: Option<Vec<Value>> = None;
    let rescale;
    if current == 0 && min != 0 {
        rescale = false;
        sync.set(condition(
            "ScalingActive",
            "False",
            "ScalingDisabled",
            "scaling is disabled since the replica count of the target is zero",
        ));
    } else if current > max {
        reason = "Current number of replicas above Spec.MaxReplicas".into();
        desired = max;
        rescale = desired != current;
    } else if current < min {
        reason = "Current number of replicas below Spec.MinReplicas".into();
        desired = min;
        rescale = desired != current;
    } else {
        let specs: Vec<Value> = spec["metrics"].as_array().cloned().unwrap_or_else(|| {
            vec![json!({"type": "Resource", "resource": {"name": "cpu", "target": {"type": "Utilization", "averageUtilization": 80}}})]
        });
        let mut proposal = 0;
        let mut metric_name = String::new();
        let mut statuses = Vec::new();
        let mut invalid = 0;
        let mut first_error: Option<(String, Condition)> = None;
        for metric in &specs {
            match replicas_for_metric(&mut sync, view, metric, &scale, metrics) {
                Ok((replicas, name, status)) => {
                    statuses.push(status);
                    if proposal == 0 || replicas > proposal {
                        proposal = replicas;
                        metric_name = name;
                    }
                }
                Err(error) => {
                    statuses.push(json!({"type": ""}));
                    invalid += 1;
                    first_error.get_or_insert(error);
                }
            }
        }
        if let Some((error, failed)) = first_error.as_ref() {
            if invalid >= specs.len() || proposal < current {
                sync.set(failed.clone());
                let error = format!(
                    "invalid metrics ({invalid} invalid out of {}), first error is: {error}",
                    specs.len()
                );
                status["currentReplicas"] = json!(current);
                sync.event(EventType::Warning, "FailedComputeMetricsReplicas", error);
                finish(&mut out, &sync, &value, status, &old_status, generation);
                return (out, memory);
            }
        }
        sync.set(condition(
            "ScalingActive",
            "True",
            "ValidMetricFound",
            format!(
                "the HPA was able to successfully calculate a replica count from {metric_name}"
            ),
        ));
        desired = proposal;
        if desired > current {
            reason = format!("{metric_name} above target");
        } else if desired < current {
            reason = "All metrics below target".into();
        }
        desired = normalize(&mut sync, &mut memory, behavior, current, desired, min, max);
        rescale = desired != current;
        metric_statuses = Some(statuses);
    }
    if rescale {
        let mut target = scale.object.to_json_value();
        target["spec"]["replicas"] = json!(desired);
        if let Ok(object) = Object::from_json_value(target) {
            out.writes.push(Write::Update(object));
        }
        sync.set(condition(
            "AbleToScale",
            "True",
            "SucceededRescale",
            format!("the HPA controller was able to update the target scale to {desired}"),
        ));
        sync.event(
            EventType::Normal,
            "SuccessfulRescale",
            format!("New size: {desired}; reason: {reason}"),
        );
        store_scale_event(&mut memory, behavior, current, desired, now);
        status["lastScaleTime"] = serde_json::to_value(now.to_k8s_time()).unwrap_or_default();
    } else {
        desired = current;
    }
    status["currentReplicas"] = json!(current);
    status["desiredReplicas"] = json!(desired);
    match metric_statuses {
        Some(list) if !list.is_empty() => status["currentMetrics"] = Value::Array(list),
        Some(_) => {
            status.as_object_mut().map(|s| s.remove("currentMetrics"));
        }
        None => {}
    }
    finish(&mut out, &sync, &value, status, &old_status, generation);
    (out, memory)
}

/// Writes the status (conditions keep their transition time unless their status changed) and
/// the events.
fn finish(
    out: &mut Reconciled,
    sync: &Sync<'_>,
    value: &Value,
    mut status: Value,
    old_status: &Value,
    generation: i64,
) {
    let now_time = serde_json::to_value(sync.now.to_k8s_time()).unwrap_or_default();
    let conditions: Vec<Value> = sync
        .conditions
        .iter()
        .map(|c| {
            let transition = old_status["conditions"]
                .as_array()
                .into_iter()
                .flatten()
                .find(|old| old["type"] == c.kind && old["status"] == c.status)
                .map(|old| old["lastTransitionTime"].clone())
                .unwrap_or_else(|| now_time.clone());
            json!({
                "type": c.kind,
                "status": c.status,
                "reason": c.reason,
                "message": c.message,
                "lastTransitionTime": transition,
            })
        })
        .collect();
    status["conditions"] = Value::Array(conditions);
    status["observedGeneration"] = json!(generation);
    if status != *old_status {
        let mut changed = value.clone();
        changed["status"] = status;
        if let Ok(object) = Object::from_json_value(changed) {
            out.writes.push(Write::UpdateStatus(object));
        }
    }
    for (kind, reason, message) in &sync.events {
        out.writes.push(Write::EventFrom {
            involved: sync.hpa.clone(),
            event: EventToRecord {
                event_type: *kind,
                reason,
                message: message.clone(),
            },
            component: COMPONENT.to_string(),
        });
    }
}
