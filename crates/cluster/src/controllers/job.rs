//! The Job controller: run pods until enough of them succeed, retrying failures with back-off.
//!
//! NonIndexed Jobs need `completions` successful pods (or, without completions, one success and
//! nothing left running), running at most `parallelism` at once. Indexed Jobs need one success
//! per index 0…completions-1; each pod carries its index (name `JOB-INDEX-xxxxx`, label and
//! annotation `batch.kubernetes.io/job-completion-index`, env `JOB_COMPLETION_INDEX`, hostname
//! `JOB-INDEX`). Failed pods count towards `backoffLimit` (container restarts too, with
//! restartPolicy OnFailure) unless a `podFailurePolicy` rule ignores them or fails the Job at
//! once; replacements wait 10 s doubling up to 6 min. `activeDeadlineSeconds`, `suspend` and
//! `ttlSecondsAfterFinished` behave as upstream. A finished Job gets `SuccessCriteriaMet` or
//! `FailureTarget` and then `Complete` or `Failed`, with upstream's reasons and events.
//!
//! Indexed Jobs may give each index its own retries (`backoffLimitPerIndex`, with per-index
//! back-off and the `job-index-failure-count` annotation; a `FailIndex` rule fails an index at
//! once): failed indexes show in `failedIndexes`, and the Job fails with `FailedIndexes` once
//! every index has succeeded or failed, or with `MaxFailedIndexesExceeded` past
//! `maxFailedIndexes`. A `successPolicy` completes an Indexed Job early (`SuccessPolicy`,
//! "Matched rules at index N"). `podReplacementPolicy: Failed` waits for a terminating pod to be
//! gone before replacing it.

use std::collections::BTreeSet;
use std::rc::Rc;

use model::Object;
use serde_json::{json, Value};

use super::replicaset::ready_since;
use super::{
    controller_reference, controller_uid, is_terminating, ControllerView, EventToRecord,
    Reconciled, Write,
};
use crate::events::EventType;
use crate::SimTime;

const INDEX_KEY: &str = "batch.kubernetes.io/job-completion-index";
/// The first retry waits this long; each further failure doubles it, up to [`MAX_BACKOFF_MS`].
const BASE_BACKOFF_MS: u64 = 10_000;
const MAX_BACKOFF_MS: u64 = 360_000;

fn phase(pod: &Value) -> &str {
    pod["status"]["phase"].as_str().unwrap_or("Pending")
}

fn time_of(value: &Value) -> Option<SimTime> {
    let time: model::k8s_openapi::apimachinery::pkg::apis::meta::v1::Time =
        serde_json::from_value(value.clone()).ok()?;
    Some(SimTime::from_k8s_time(&time))
}

fn timestamp(now: SimTime) -> Value {
    serde_json::to_value(now.to_k8s_time()).unwrap_or_default()
}

/// When a finished pod finished: its last container's finishedAt, else its creation.
fn finished_at(pod: &Value) -> SimTime {
    pod["status"]["containerStatuses"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|c| time_of(&c["state"]["terminated"]["finishedAt"]))
        .max()
        .or_else(|| time_of(&pod["metadata"]["creationTimestamp"]))
        .unwrap_or_default()
}

fn index_of(pod: &Value) -> Option<i64> {
    pod["metadata"]["annotations"][INDEX_KEY]
        .as_str()?
        .parse()
        .ok()
}

/// "0-2,4": upstream's compressed list of completed indexes.
pub(crate) fn format_indexes(indexes: &BTreeSet<i64>) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut iter = indexes.iter().copied().peekable();
    while let Some(start) = iter.next() {
        let mut end = start;
        while iter.peek() == Some(&(end + 1)) {
            end = iter.next().unwrap_or(end);
        }
        parts.push(if end == start {
            start.to_string()
        } else {
            format!("{start}-{end}")
        });
    }
    parts.join(",")
}

/// "0-2,4" back to the indexes (what `failedIndexes` and a success policy's
/// `succeededIndexes` hold); malformed parts are skipped.
pub(crate) fn parse_indexes(text: &str) -> BTreeSet<i64> {
    let mut indexes = BTreeSet::new();
    for part in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        match part.split_once('-') {
            Some((a, b)) => {
                if let (Ok(a), Ok(b)) = (a.trim().parse::<i64>(), b.trim().parse::<i64>()) {
                    // A guard against huge ranges: indexes are below completions (≤ 100,000).
                    indexes.extend(a..=b.min(a.saturating_add(100_000)));
                }
            }
            None => {
                if let Ok(n) = part.parse() {
                    indexes.insert(n);
                }
            }
        }
    }
    indexes
}

/// The first rule of an Indexed Job's `successPolicy` that the completed indexes satisfy.
fn success_rule_met(spec: &Value, completed: &BTreeSet<i64>) -> Option<usize> {
    spec["successPolicy"]["rules"]
        .as_array()?
        .iter()
        .position(|rule| {
            let wanted = rule["succeededIndexes"].as_str().map(parse_indexes);
            let count = rule["succeededCount"].as_i64();
            match (wanted, count) {
                (Some(set), Some(count)) => set.intersection(completed).count() as i64 >= count,
                (Some(set), None) => !set.is_empty() && set.is_subset(completed),
                (None, Some(count)) => completed.len() as i64 >= count,
                (None, None) => false,
            }
        })
}

/// What a pod failure policy says about one failed pod.
#[derive(Debug, PartialEq)]
enum PolicyAction {
    FailJob(String),
    /// Fail the pod's index (with `backoffLimitPerIndex`).
    FailIndex,
    Ignore,
    Count,
}

fn apply_failure_policy(job: &Value, pod: &Value) -> PolicyAction {
    let rules = job["spec"]["podFailurePolicy"]["rules"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    for (index, rule) in rules.iter().enumerate() {
        let mut matched_detail = None;
        if let Some(on_exit) = rule.get("onExitCodes") {
            let wanted_container = on_exit["containerName"].as_str();
            let values: Vec<i64> = on_exit["values"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(Value::as_i64)
                .collect();
            let operator_in = on_exit["operator"] == "In";
            for status in pod["status"]["containerStatuses"]
                .as_array()
                .into_iter()
                .flatten()
            {
                if wanted_container.is_some_and(|w| status["name"] != w) {
                    continue;
                }
                let Some(code) = status["state"]["terminated"]["exitCode"].as_i64() else {
                    continue;
                };
                if code == 0 {
                    continue;
                }
                if values.contains(&code) == operator_in {
                    matched_detail = Some(format!(
                        "Container {} for pod {}/{} failed with exit code {code}",
                        status["name"].as_str().unwrap_or(""),
                        pod["metadata"]["namespace"].as_str().unwrap_or(""),
                        pod["metadata"]["name"].as_str().unwrap_or("")
                    ));
                    break;
                }
            }
        }
        if let Some(patterns) = rule["onPodConditions"].as_array() {
            for pattern in patterns {
                let status = pattern["status"].as_str().unwrap_or("True");
                let found = pod["status"]["conditions"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .any(|c| c["type"] == pattern["type"] && c["status"] == status);
                if found {
                    matched_detail = Some(format!(
                        "Pod {}/{} has condition {} matching",
                        pod["metadata"]["namespace"].as_str().unwrap_or(""),
                        pod["metadata"]["name"].as_str().unwrap_or(""),
                        pattern["type"].as_str().unwrap_or("")
                    ));
                }
            }
        }
        let Some(detail) = matched_detail else {
            continue;
        };
        return match rule["action"].as_str().unwrap_or("") {
            "FailJob" => {
                PolicyAction::FailJob(format!("{detail} matching FailJob rule at index {index}"))
            }
            "Ignore" => PolicyAction::Ignore,
            "FailIndex" => PolicyAction::FailIndex,
            _ => PolicyAction::Count,
        };
    }
    PolicyAction::Count
}

/// Sets a Job condition (type, status, reason, message), keeping lastTransitionTime when the
/// status and reason are unchanged.
fn set_condition(
    status: &mut Value,
    kind: &str,
    state: &str,
    reason: &str,
    message: &str,
    now: SimTime,
) {
    if !status["conditions"].is_array() {
        status["conditions"] = json!([]);
    }
    let Some(conditions) = status["conditions"].as_array_mut() else {
        return;
    };
    if let Some(existing) = conditions.iter_mut().find(|c| c["type"] == kind) {
        if existing["status"] == state && existing["reason"] == reason {
            return;
        }
        *existing = json!({"type": kind, "status": state, "reason": reason, "message": message,
            "lastProbeTime": timestamp(now), "lastTransitionTime": timestamp(now)});
        return;
    }
    conditions.push(
        json!({"type": kind, "status": state, "reason": reason, "message": message,
        "lastProbeTime": timestamp(now), "lastTransitionTime": timestamp(now)}),
    );
}

fn has_condition(status: &Value, kind: &str) -> bool {
    status["conditions"]
        .as_array()
        .into_iter()
        .flatten()
        .any(|c| c["type"] == kind && c["status"] == "True")
}

/// A pod for the Job (with its index, for Indexed Jobs).
fn job_pod(job: &Object, template: &Value, index: Option<i64>) -> Option<Object> {
    let name = job.name();
    let mut metadata = json!({
        "generateName": match index { Some(i) => format!("{name}-{i}-"), None => format!("{name}-") },
        "namespace": job.namespace(),
    });
    for field in ["labels", "annotations"] {
        if let Some(v) = template["metadata"].get(field) {
            metadata[field] = v.clone();
        }
    }
    let mut spec = template["spec"].clone();
    if let Some(index) = index {
        metadata["annotations"][INDEX_KEY] = json!(index.to_string());
        metadata["labels"][INDEX_KEY] = json!(index.to_string());
        spec["hostname"] = json!(format!("{name}-{index}"));
        for list in ["initContainers", "containers"] {
            for container in spec[list].as_array_mut().into_iter().flatten() {
                let mut env = container["env"].as_array().cloned().unwrap_or_default();
                env.retain(|e| e["name"] != "JOB_COMPLETION_INDEX");
                env.push(
                    json!({"name": "JOB_COMPLETION_INDEX", "valueFrom": {"fieldRef": {
                        "apiVersion": "v1",
                        "fieldPath": format!("metadata.annotations['{INDEX_KEY}']"),
                    }}}),
                );
                container["env"] = json!(env);
            }
        }
    }
    let pod = json!({ "apiVersion": "v1", "kind": "Pod", "metadata": metadata, "spec": spec });
    let mut pod = Object::from_json_value(pod).ok()?;
    pod.metadata_mut().owner_references = Some(vec![controller_reference(job)]);
    Some(pod)
}

fn warning(reason: &'static str, message: &str) -> EventToRecord {
    EventToRecord {
        event_type: EventType::Warning,
        reason,
        message: message.to_string(),
    }
}

fn normal(reason: &'static str, message: &str) -> EventToRecord {
    EventToRecord {
        event_type: EventType::Normal,
        reason,
        message: message.to_string(),
    }
}

pub(crate) fn reconcile(object: &Rc<Object>, view: &ControllerView<'_>) -> Reconciled {
    let mut out = Reconciled::default();
    if !matches!(&**object, Object::Job(_)) || is_terminating(object) {
        return out;
    }
    let job = object.to_json_value();
    let now = view.now;
    let spec = &job["spec"];
    let old_status = job.get("status").cloned().unwrap_or(json!({}));
    let mut status = old_status.clone();
    let finished = has_condition(&status, "Complete") || has_condition(&status, "Failed");

    // Finished Jobs only wait for their TTL.
    if finished {
        if let (Some(ttl), Some(done)) = (
            spec["ttlSecondsAfterFinished"].as_u64(),
            status["completionTime"]
                .as_str()
                .map(|_| &status["completionTime"])
                .and_then(time_of)
                .or_else(|| {
                    status["conditions"]
                        .as_array()
                        .into_iter()
                        .flatten()
                        .filter(|c| c["type"] == "Failed" || c["type"] == "Complete")
                        .find_map(|c| time_of(&c["lastTransitionTime"]))
                }),
        ) {
            let due = SimTime(done.0 + ttl * 1000);
            if now >= due {
                out.writes.push(Write::Delete {
                    target: object.clone(),
                    owner: None,
                    event: None,
                });
            } else {
                out.requeue_no_later_than(due);
            }
        }
        return out;
    }

    let uid = object.metadata().uid.clone().unwrap_or_default();
    let pods: Vec<(Rc<Object>, Value)> = view
        .pods_in(object.namespace())
        .into_iter()
        .filter(|p| controller_uid(p) == Some(uid.as_str()))
        .map(|p| {
            let v = p.to_json_value();
            (p, v)
        })
        .collect();
    let indexed = spec["completionMode"] == "Indexed";
    let completions = spec["completions"].as_i64();
    let parallelism = spec["parallelism"].as_i64().unwrap_or(1).max(0);
    let backoff_limit = spec["backoffLimit"].as_i64().unwrap_or(6);
    let suspended = spec["suspend"] == json!(true);
    let on_failure = spec["template"]["spec"]["restartPolicy"] == "OnFailure";

    let active: Vec<&(Rc<Object>, Value)> = pods
        .iter()
        .filter(|(p, v)| !is_terminating(p) && !matches!(phase(v), "Succeeded" | "Failed"))
        .collect();
    let terminating = pods
        .iter()
        .filter(|(p, v)| is_terminating(p) && !matches!(phase(v), "Succeeded" | "Failed"))
        .count();
    let succeeded_pods: Vec<&(Rc<Object>, Value)> = pods
        .iter()
        .filter(|(_, v)| phase(v) == "Succeeded")
        .collect();
    let failed_pods: Vec<&(Rc<Object>, Value)> =
        pods.iter().filter(|(_, v)| phase(v) == "Failed").collect();

    let mut fail_job: Option<(&'static str, String)> = None;
    let mut counted_failures = 0i64;
    // With backoffLimitPerIndex each index has its own retries; an index that runs out of them
    // (or whose pod matches a FailIndex rule) is failed, and the others go on.
    let per_index_limit = if indexed {
        spec["backoffLimitPerIndex"].as_i64()
    } else {
        None
    };
    let mut index_failures: std::collections::BTreeMap<i64, (i64, SimTime)> = Default::default();
    let mut failed_indexes: BTreeSet<i64> = old_status["failedIndexes"]
        .as_str()
        .map(parse_indexes)
        .unwrap_or_default();
    for (_, pod) in &failed_pods {
        let index = index_of(pod);
        match apply_failure_policy(&job, pod) {
            PolicyAction::FailJob(message) => {
                counted_failures += 1;
                fail_job.get_or_insert(("PodFailurePolicy", message));
            }
            PolicyAction::Ignore => {}
            PolicyAction::FailIndex if per_index_limit.is_some() => {
                counted_failures += 1;
                failed_indexes.extend(index);
            }
            PolicyAction::FailIndex | PolicyAction::Count => {
                counted_failures += 1;
                if let Some(index) = index {
                    let entry = index_failures.entry(index).or_insert((0, SimTime(0)));
                    entry.0 += 1;
                    entry.1 = entry.1.max(finished_at(pod));
                }
            }
        }
    }
    if let Some(limit) = per_index_limit {
        for (index, (failures, _)) in &index_failures {
            if *failures > limit {
                failed_indexes.insert(*index);
            }
        }
    }
    // Pods may have been deleted since they were counted: counts never go down.
    let succeeded =
        (succeeded_pods.len() as i64).max(old_status["succeeded"].as_i64().unwrap_or(0));
    let failed = counted_failures.max(old_status["failed"].as_i64().unwrap_or(0));
    // pastBackoffLimitOnFailure: the restarts of the running and pending pods' containers, init
    // containers included, reach the limit (with a limit of 0, any restart).
    let restarts: i64 = if on_failure {
        active
            .iter()
            .filter(|(_, v)| matches!(v["status"]["phase"].as_str(), Some("Running" | "Pending")))
            .flat_map(|(_, v)| {
                let status = &v["status"];
                let init = status["initContainerStatuses"].as_array().cloned();
                let regular = status["containerStatuses"].as_array().cloned();
                init.into_iter()
                    .flatten()
                    .chain(regular.into_iter().flatten())
            })
            .map(|c| c["restartCount"].as_i64().unwrap_or(0))
            .sum()
    } else {
        0
    };
    let past_backoff_limit_on_failure = on_failure
        && if backoff_limit == 0 {
            restarts > 0
        } else {
            restarts >= backoff_limit
        };
    if fail_job.is_none()
        && per_index_limit.is_none()
        && (failed > backoff_limit || past_backoff_limit_on_failure)
    {
        fail_job = Some((
            "BackoffLimitExceeded",
            "Job has reached the specified backoff limit".into(),
        ));
    }
    let start_time = time_of(&status["startTime"]);
    if let (Some(deadline), Some(start)) = (spec["activeDeadlineSeconds"].as_u64(), start_time) {
        let due = SimTime(start.0 + deadline * 1000);
        if fail_job.is_none() && now >= due && !suspended {
            fail_job = Some((
                "DeadlineExceeded",
                "Job was active longer than specified deadline".into(),
            ));
        } else if now < due {
            out.requeue_no_later_than(due);
        }
    }

    let completed_indexes: BTreeSet<i64> = succeeded_pods
        .iter()
        .filter_map(|(_, v)| index_of(v))
        .collect();
    if let (Some(_), Some(n), None) = (per_index_limit, completions, &fail_job) {
        let succeeded_indexes = completed_indexes.iter().filter(|i| **i < n).count();
        match spec["maxFailedIndexes"].as_i64() {
            Some(max) if failed_indexes.len() as i64 > max => {
                fail_job = Some((
                    "MaxFailedIndexesExceeded",
                    "Job has exceeded the specified maximal number of failed indexes".into(),
                ));
            }
            _ if !failed_indexes.is_empty()
                && (failed_indexes.len() + succeeded_indexes) as i64 >= n =>
            {
                fail_job = Some(("FailedIndexes", "Job has failed indexes".into()));
            }
            _ => {}
        }
    }
    let success_rule = if indexed {
        success_rule_met(spec, &completed_indexes)
    } else {
        None
    };
    let complete = match (indexed, completions) {
        _ if success_rule.is_some() => true,
        (true, Some(n)) => completed_indexes.iter().filter(|i| **i < n).count() as i64 >= n,
        (false, Some(n)) => succeeded >= n,
        (_, None) => succeeded > 0 && active.is_empty(),
    };

    let delete_pod = |out: &mut Reconciled, pod: &Rc<Object>| {
        out.writes.push(Write::Delete {
            target: pod.clone(),
            owner: Some(object.clone()),
            event: Some(normal(
                "SuccessfulDelete",
                &format!("Deleted pod: {}", pod.name()),
            )),
        });
    };

    if let Some((reason, message)) = &fail_job {
        for (pod, _) in &active {
            delete_pod(&mut out, pod);
        }
        set_condition(&mut status, "FailureTarget", "True", reason, message, now);
        set_condition(&mut status, "Failed", "True", reason, message, now);
        out.writes.push(Write::Event {
            involved: object.clone(),
            event: warning(reason, message),
        });
    } else if complete {
        for (pod, _) in &active {
            delete_pod(&mut out, pod);
        }
        let (reason, message) = match success_rule {
            Some(rule) => ("SuccessPolicy", format!("Matched rules at index {rule}")),
            None => (
                "CompletionsReached",
                "Reached expected number of succeeded pods".to_string(),
            ),
        };
        set_condition(
            &mut status,
            "SuccessCriteriaMet",
            "True",
            reason,
            &message,
            now,
        );
        set_condition(&mut status, "Complete", "True", reason, &message, now);
        status["completionTime"] = timestamp(now);
        out.writes.push(Write::Event {
            involved: object.clone(),
            event: normal("Completed", "Job completed"),
        });
    } else if suspended {
        for (pod, _) in &active {
            delete_pod(&mut out, pod);
        }
        if !has_condition(&status, "Suspended") {
            set_condition(
                &mut status,
                "Suspended",
                "True",
                "JobSuspended",
                "Job suspended",
                now,
            );
            out.writes.push(Write::Event {
                involved: object.clone(),
                event: normal("Suspended", "Job suspended"),
            });
        }
    } else {
        if has_condition(&status, "Suspended") {
            set_condition(
                &mut status,
                "Suspended",
                "False",
                "JobResumed",
                "Job resumed",
                now,
            );
            status["startTime"] = timestamp(now);
            out.writes.push(Write::Event {
                involved: object.clone(),
                event: normal("Resumed", "Job resumed"),
            });
        }
        if status["startTime"].is_null() {
            status["startTime"] = timestamp(now);
        }
        // Retries wait: 10 s after the first failure, doubling.
        let last_failure = failed_pods.iter().map(|(_, v)| finished_at(v)).max();
        let backoff_until = match (counted_failures, last_failure) {
            (n, Some(at)) if n > 0 => {
                let delay = (BASE_BACKOFF_MS << (n - 1).min(10) as u32).min(MAX_BACKOFF_MS);
                Some(SimTime(at.0 + delay))
            }
            _ => None,
        };
        let may_create = per_index_limit.is_some() || backoff_until.is_none_or(|t| now >= t);
        if let Some(t) = backoff_until.filter(|t| *t > now && per_index_limit.is_none()) {
            out.requeue_no_later_than(t);
        }
        // podReplacementPolicy: Failed — a replacement waits until the pod it replaces is gone.
        let wait_for_terminating = spec["podReplacementPolicy"] == "Failed";
        let occupied = active.len() as i64
            + if wait_for_terminating {
                terminating as i64
            } else {
                0
            };
        let failure = view.failure_of(object).filter(|f| f.retry_at > now);
        if may_create && failure.is_none() {
            let template = &spec["template"];
            if indexed {
                let total = completions.unwrap_or(0);
                let busy: BTreeSet<i64> = pods
                    .iter()
                    .filter(|(p, v)| {
                        !matches!(phase(v), "Succeeded" | "Failed")
                            && (wait_for_terminating || !is_terminating(p))
                    })
                    .filter_map(|(_, v)| index_of(v))
                    .collect();
                let room = (parallelism - occupied).max(0);
                // Each index's own back-off when it has its own retries.
                let due = |index: &i64| match (per_index_limit, index_failures.get(index)) {
                    (Some(_), Some((failures, last))) => {
                        let delay =
                            (BASE_BACKOFF_MS << (failures - 1).min(10) as u32).min(MAX_BACKOFF_MS);
                        SimTime(last.0 + delay)
                    }
                    _ => now,
                };
                let pending: Vec<i64> = (0..total)
                    .filter(|i| {
                        !completed_indexes.contains(i)
                            && !busy.contains(i)
                            && !failed_indexes.contains(i)
                    })
                    .collect();
                for index in &pending {
                    let at = due(index);
                    if at > now {
                        out.requeue_no_later_than(at);
                    }
                }
                for index in pending
                    .into_iter()
                    .filter(|i| due(i) <= now)
                    .take(room as usize)
                {
                    if let Some(pod) = job_pod(object, template, Some(index)) {
                        let pod = match per_index_limit {
                            Some(_) => with_failure_count(
                                pod,
                                index_failures.get(&index).map_or(0, |f| f.0),
                            ),
                            None => pod,
                        };
                        out.writes.push(create(object, pod));
                    }
                }
            } else {
                let remaining = completions.map_or(parallelism, |n| (n - succeeded).max(0));
                let wanted = parallelism.min(remaining);
                for _ in occupied..wanted {
                    if let Some(pod) = job_pod(object, template, None) {
                        out.writes.push(create(object, pod));
                    }
                }
            }
        }
    }

    status["active"] = json!(if fail_job.is_some() || complete {
        0
    } else {
        active.len()
    });
    status["succeeded"] = json!(succeeded);
    // A failed Job's running pods are deleted, and upstream counts each of them as failed.
    let failed = if fail_job.is_some() {
        failed + active.len() as i64
    } else {
        failed
    };
    status["failed"] = json!(failed);
    status["terminating"] = json!(terminating);
    status["ready"] = json!(if fail_job.is_some() || complete {
        0
    } else {
        active
            .iter()
            .filter(|(p, _)| ready_since(p).is_some())
            .count()
    });
    status["uncountedTerminatedPods"] = json!({});
    for field in ["active", "succeeded", "failed"] {
        if status[field] == json!(0) {
            if let Some(map) = status.as_object_mut() {
                map.remove(field);
            }
        }
    }
    if indexed && !completed_indexes.is_empty() {
        status["completedIndexes"] = json!(format_indexes(&completed_indexes));
    }
    if per_index_limit.is_some() {
        status["failedIndexes"] = json!(format_indexes(&failed_indexes));
    }
    if status != old_status {
        let mut changed = job.clone();
        changed["status"] = status;
        if let Ok(changed) = Object::from_json_value(changed) {
            out.writes.push(Write::UpdateStatus(changed));
        }
    }
    out
}

/// A pod of an index that has failed `failures` times (with backoffLimitPerIndex), annotated
/// as upstream does.
fn with_failure_count(pod: Object, failures: i64) -> Object {
    let mut value = pod.to_json_value();
    value["metadata"]["annotations"]["batch.kubernetes.io/job-index-failure-count"] =
        json!(failures.to_string());
    Object::from_json_value(value).unwrap_or(pod)
}

fn create(job: &Rc<Object>, pod: Object) -> Write {
    Write::Create {
        object: pod,
        owner: job.clone(),
        success: Some(("SuccessfulCreate", "Created pod: {name}".to_string())),
        failure: Some(("FailedCreate", "Error creating: {error}".to_string())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn completed_indexes_compress_into_ranges() {
        let set = |v: &[i64]| v.iter().copied().collect::<BTreeSet<i64>>();
        assert_eq!(format_indexes(&set(&[0, 1, 2, 4])), "0-2,4");
        assert_eq!(format_indexes(&set(&[3])), "3");
        assert_eq!(format_indexes(&set(&[])), "");
        assert_eq!(format_indexes(&set(&[1, 3, 5, 6])), "1,3,5-6");
    }
}
