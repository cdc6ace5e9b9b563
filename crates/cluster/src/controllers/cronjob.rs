//! The CronJob controller: a Job for every scheduled time.
//!
//! Each reconcile finds the most recent scheduled time not yet started (since the last one, or
//! since the CronJob was created), skips it when it is older than `startingDeadlineSeconds`,
//! honours `concurrencyPolicy` (Allow, Forbid: skip while a Job runs, Replace: delete the running
//! Job) and `suspend`, and creates the Job `NAME-<minutes since the epoch>` from the template.
//! Finished Jobs leave `status.active` (`SawCompletedJob`) and the oldest beyond
//! `successfulJobsHistoryLimit` / `failedJobsHistoryLimit` are deleted. `timeZone` works for the
//! zones [`super::cron::zone_offset`] knows; another zone gets a Warning and UTC.

use model::sort::SortSlice;
use std::rc::Rc;

use model::Object;
use serde_json::{json, Value};

use super::cron::{zone_offset, Schedule};
use super::{
    controller_reference, controller_uid, is_terminating, ControllerView, EventToRecord,
    Reconciled, Write,
};
use crate::clock::EPOCH_UNIX_SECONDS;
use crate::events::EventType;
use crate::SimTime;

/// More missed times than this and the controller says so instead of counting further.
const MAX_MISSED: usize = 100;

fn unix_of(time: &Value) -> Option<i64> {
    let time: model::k8s_openapi::apimachinery::pkg::apis::meta::v1::Time =
        serde_json::from_value(time.clone()).ok()?;
    Some(time.0.as_second())
}

fn sim_time_of_unix(seconds: i64) -> SimTime {
    SimTime(((seconds - EPOCH_UNIX_SECONDS).max(0) as u64) * 1000)
}

fn rfc3339(seconds: i64) -> Value {
    serde_json::to_value(sim_time_of_unix(seconds).to_k8s_time()).unwrap_or_default()
}

/// `Complete` or `Failed` once the Job has finished.
fn finished_condition(job: &Value) -> Option<&str> {
    job["status"]["conditions"]
        .as_array()
        .into_iter()
        .flatten()
        .find_map(|c| {
            let kind = c["type"].as_str()?;
            (matches!(kind, "Complete" | "Failed") && c["status"] == "True").then_some(kind)
        })
}

fn event(event_type: EventType, reason: &'static str, message: String) -> EventToRecord {
    EventToRecord {
        event_type,
        reason,
        message,
    }
}

pub(crate) fn reconcile(object: &Rc<Object>, view: &ControllerView<'_>) -> Reconciled {
    let mut out = Reconciled::default();
    if !matches!(&**object, Object::CronJob(_)) || is_terminating(object) {
        return out;
    }
    let cron_job = object.to_json_value();
    let spec = &cron_job["spec"];
    let name = object.name();
    let now_unix = view.now.unix_seconds();
    let old_status = cron_job.get("status").cloned().unwrap_or(json!({}));
    let mut status = old_status.clone();
    let uid = object.metadata().uid.clone().unwrap_or_default();
    let mut jobs: Vec<(Rc<Object>, Value)> = view
        .list_in("jobs", object.namespace())
        .into_iter()
        .filter(|j| controller_uid(j) == Some(uid.as_str()))
        .map(|j| {
            let v = j.to_json_value();
            (j, v)
        })
        .collect();
    jobs.sort_stable_by_key(|(_, v)| {
        unix_of(&v["status"]["startTime"]).or_else(|| unix_of(&v["metadata"]["creationTimestamp"]))
    });

    // Finished Jobs leave the active list. Only Jobs this controller started are in it: a Job
    // someone else made with this CronJob as its owner (`kubectl create job --from`) is not.
    let in_active_list = |job: &Object| {
        old_status["active"]
            .as_array()
            .into_iter()
            .flatten()
            .any(|r| {
                r["uid"] == json!(job.metadata().uid)
                    || (r["uid"].is_null() && r["name"] == job.name())
            })
    };
    let mut unexpected: Vec<String> = Vec::new();
    let mut active: Vec<Value> = Vec::new();
    for (job, value) in &jobs {
        match finished_condition(value) {
            Some(condition) => {
                let was_active = old_status["active"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .any(|r| r["uid"] == json!(job.metadata().uid));
                if was_active {
                    out.writes.push(Write::Event {
                        involved: object.clone(),
                        event: event(
                            EventType::Normal,
                            "SawCompletedJob",
                            format!("Saw completed job: {}, condition: {condition}", job.name()),
                        ),
                    });
                }
                if condition == "Complete" {
                    if let Some(done) = unix_of(&value["status"]["completionTime"]) {
                        let last = unix_of(&status["lastSuccessfulTime"]).unwrap_or(i64::MIN);
                        if done > last {
                            status["lastSuccessfulTime"] = rfc3339(done);
                        }
                    }
                }
            }
            None if !is_terminating(job) && !in_active_list(job) => {
                unexpected.push(job.name().to_string())
            }
            None if !is_terminating(job) => active.push(json!({
                "apiVersion": "batch/v1",
                "kind": "Job",
                "name": job.name(),
                "namespace": job.namespace(),
                "resourceVersion": job.metadata().resource_version,
                "uid": job.metadata().uid,
            })),
            None => {}
        }
    }

    // History limits: the oldest finished Jobs beyond them go.
    for (kind, field, default) in [
        ("Complete", "successfulJobsHistoryLimit", 3),
        ("Failed", "failedJobsHistoryLimit", 1),
    ] {
        let limit = spec[field].as_i64().unwrap_or(default).max(0) as usize;
        let finished: Vec<&(Rc<Object>, Value)> = jobs
            .iter()
            .filter(|(j, v)| finished_condition(v) == Some(kind) && !is_terminating(j))
            .collect();
        if finished.len() > limit {
            for (job, _) in &finished[..finished.len() - limit] {
                out.writes.push(Write::Delete {
                    target: job.clone(),
                    owner: Some(object.clone()),
                    event: Some(event(
                        EventType::Normal,
                        "SuccessfulDelete",
                        format!("Deleted job {}", job.name()),
                    )),
                });
            }
        }
    }

    let schedule_text = spec["schedule"].as_str().unwrap_or("");
    let zone = spec["timeZone"].as_str();
    let offset = match zone {
        None => 0,
        Some(zone) => match zone_offset(zone) {
            Some(offset) => offset,
            None => {
                if old_status["lastScheduleTime"].is_null() && jobs.is_empty() {
                    out.writes.push(Write::Event {
                        involved: object.clone(),
                        event: event(EventType::Warning, "UnknownTimeZone", format!("invalid timeZone: {zone:?}: this playground knows only zones with a fixed offset (UTC, Asia/Seoul, Asia/Tokyo, …); using UTC")),
                    });
                }
                0
            }
        },
    };
    let schedule = match Schedule::parse(schedule_text) {
        Ok(s) => s,
        Err(message) => {
            out.writes.push(Write::Event {
                involved: object.clone(),
                event: event(
                    EventType::Warning,
                    "UnparseableSchedule",
                    format!("unparseable schedule: {schedule_text:?} : {message}"),
                ),
            });
            return finish(out, &cron_job, status, active, &old_status);
        }
    };

    // The unmet scheduled times since the last one (or since creation).
    let since = unix_of(&status["lastScheduleTime"])
        .or_else(|| unix_of(&cron_job["metadata"]["creationTimestamp"]))
        .unwrap_or(now_unix);
    let mut missed: Vec<i64> = Vec::new();
    let mut cursor = since;
    while let Some(next) = schedule.next_after(cursor, offset) {
        if next > now_unix {
            out.requeue_no_later_than(sim_time_of_unix(next));
            break;
        }
        missed.push(next);
        cursor = next;
        if missed.len() > MAX_MISSED {
            // Jump ahead: only the latest matters.
            if let Some(latest) = latest_before(&schedule, cursor, now_unix, offset) {
                missed.push(latest);
            }
            // Said once per sync upstream; here once per unmet time, not at every round.
            if !view.event_recorded_since(object, "TooManyMissedTimes", sim_time_of_unix(cursor)) {
                out.writes.push(Write::Event {
                    involved: object.clone(),
                    event: event(EventType::Warning, "TooManyMissedTimes", "too many missed start times. Set or decrease .spec.startingDeadlineSeconds or check clock skew".to_string()),
                });
            }
            if let Some(next) = schedule.next_after(now_unix, offset) {
                out.requeue_no_later_than(sim_time_of_unix(next));
            }
            break;
        }
    }
    let suspended = spec["suspend"] == json!(true);
    if let Some(&scheduled) = missed.last() {
        for job in unexpected.iter().filter(|_| {
            !view.event_recorded_since(object, "UnexpectedJob", sim_time_of_unix(scheduled))
        }) {
            out.writes.push(Write::Event {
                involved: object.clone(),
                event: event(
                    EventType::Warning,
                    "UnexpectedJob",
                    format!("Saw a job that the controller did not create or forgot: {job}"),
                ),
            });
        }
        let too_late = spec["startingDeadlineSeconds"]
            .as_i64()
            .is_some_and(|d| scheduled + d < now_unix);
        if suspended {
            // A suspended CronJob starts nothing; the time stays unmet until it resumes.
        } else if too_late {
            out.writes.push(Write::Event {
                involved: object.clone(),
                event: event(
                    EventType::Warning,
                    "MissSchedule",
                    format!(
                        "Missed scheduled time to start a job: {}",
                        rfc3339(scheduled).as_str().unwrap_or("")
                    ),
                ),
            });
            status["lastScheduleTime"] = rfc3339(scheduled);
        } else {
            let policy = spec["concurrencyPolicy"].as_str().unwrap_or("Allow");
            if policy == "Forbid" && !active.is_empty() {
                // Said once per unmet scheduled time (upstream's sync says it when the time
                // comes and requeues for the next one), not at every round of every instant.
                if !view.event_recorded_since(
                    object,
                    "JobAlreadyActive",
                    sim_time_of_unix(scheduled),
                ) {
                    out.writes.push(Write::Event {
                        involved: object.clone(),
                        event: event(EventType::Normal, "JobAlreadyActive", "Not starting job because prior execution is running and concurrency policy is Forbid".to_string()),
                    });
                }
                // Look again when the running Job may have finished.
                out.requeue_no_later_than(SimTime(view.now.0 + 10_000));
            } else {
                if policy == "Replace" {
                    for (job, value) in &jobs {
                        if finished_condition(value).is_none() && !is_terminating(job) {
                            out.writes.push(Write::Delete {
                                target: job.clone(),
                                owner: Some(object.clone()),
                                event: Some(event(
                                    EventType::Normal,
                                    "SuccessfulDelete",
                                    format!("Deleted job {}", job.name()),
                                )),
                            });
                        }
                    }
                    active.clear();
                }
                let job_name = format!("{name}-{}", scheduled / 60);
                if !jobs.iter().any(|(j, _)| j.name() == job_name) {
                    if let Some(job) = job_for(object, &cron_job, &job_name, scheduled) {
                        out.writes.push(Write::Create {
                            object: job,
                            owner: object.clone(),
                            success: Some(("SuccessfulCreate", "Created job {name}".to_string())),
                            failure: Some((
                                "FailedCreate",
                                "Error creating job: {error}".to_string(),
                            )),
                        });
                        active.push(json!({
                            "apiVersion": "batch/v1", "kind": "Job", "name": job_name,
                            "namespace": object.namespace(),
                        }));
                    }
                }
                status["lastScheduleTime"] = rfc3339(scheduled);
            }
        }
    }
    finish(out, &cron_job, status, active, &old_status)
}

/// The latest scheduled time in (after, until].
fn latest_before(schedule: &Schedule, after: i64, until: i64, offset: i64) -> Option<i64> {
    // Step back a day at a time from `until` to find a window holding a scheduled time.
    let mut window_start = until - 86_400;
    while window_start > after {
        let mut t = window_start;
        let mut latest = None;
        while let Some(next) = schedule.next_after(t, offset).filter(|n| *n <= until) {
            latest = Some(next);
            t = next;
        }
        if latest.is_some() {
            return latest;
        }
        window_start -= 86_400 * 30;
    }
    None
}

fn job_for(cron_job: &Object, value: &Value, job_name: &str, scheduled: i64) -> Option<Object> {
    let template = &value["spec"]["jobTemplate"];
    let mut metadata = json!({ "name": job_name, "namespace": cron_job.namespace() });
    if let Some(labels) = template["metadata"].get("labels") {
        metadata["labels"] = labels.clone();
    }
    let mut annotations = template["metadata"]
        .get("annotations")
        .cloned()
        .unwrap_or(json!({}));
    annotations["batch.kubernetes.io/cronjob-scheduled-timestamp"] = rfc3339(scheduled);
    metadata["annotations"] = annotations;
    let job = json!({ "apiVersion": "batch/v1", "kind": "Job", "metadata": metadata, "spec": template["spec"].clone() });
    let mut job = Object::from_json_value(job).ok()?;
    job.metadata_mut().owner_references = Some(vec![controller_reference(cron_job)]);
    Some(job)
}

fn finish(
    mut out: Reconciled,
    cron_job: &Value,
    mut status: Value,
    active: Vec<Value>,
    old_status: &Value,
) -> Reconciled {
    match status.as_object_mut() {
        Some(map) if active.is_empty() => {
            map.remove("active");
        }
        _ => status["active"] = json!(active),
    }
    if status != *old_status {
        let mut changed = cron_job.clone();
        changed["status"] = status;
        if let Ok(object) = Object::from_json_value(changed) {
            out.writes.push(Write::UpdateStatus(object));
        }
    }
    out
}
