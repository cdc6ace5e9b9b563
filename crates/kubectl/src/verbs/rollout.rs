//! `kubectl rollout status|history|undo|pause|resume|restart` for Deployments, and
//! `status|history|undo|restart` for DaemonSets and StatefulSets (whose history is their
//! ControllerRevisions).
//!
//! `status` watches: it lets simulated time run (one second at a time, at most 30 simulated
//! minutes or `--timeout`) and prints each new state of the rollout, as kubectl prints while it
//! waits on a real cluster. `undo` works as kubectl's does, on the client: it copies the pod
//! template of the ReplicaSet of the wanted revision back into the Deployment.

use model::sort::SortSlice;
use std::rc::Rc;

use cluster::{Cluster, PatchType, SimDuration};
use model::{Object, ResourceType};
use serde_json::{json, Value};

use crate::flags::{self, boolean, value};
use crate::{Kubectl, Output};

const REVISION: &str = "deployment.kubernetes.io/revision";
const CHANGE_CAUSE: &str = "kubernetes.io/change-cause";
const SUBCOMMANDS: &[&str] = &["history", "pause", "restart", "resume", "status", "undo"];
/// How long `rollout status` waits at most when no `--timeout` is given (simulated).
const DEFAULT_WATCH_LIMIT_SECONDS: u64 = 30 * 60;

pub(crate) fn rollout(kubectl: &mut Kubectl, cluster: &mut Cluster, args: &[String]) -> Output {
    let specs = [
        boolean("watch", Some('w')),
        value("timeout", None),
        value("revision", None),
        value("to-revision", None),
        value("output", Some('o')),
        value("dry-run", None),
        value("selector", Some('l')),
        value("filename", Some('f')),
    ];
    let parsed = match flags::parse(args, &specs, "rollout") {
        Ok(p) => p,
        Err(e) => return Output::error(e),
    };
    let Some(subcommand) = parsed.positionals.first().map(String::as_str) else {
        return Output::ok(super::help::text(&["rollout"]).unwrap_or_default());
    };
    if !SUBCOMMANDS.contains(&subcommand) {
        return Output::error(format!(
            "error: unknown command \"{subcommand}\" for \"kubectl rollout\""
        ));
    }
    // Each subcommand has its own flags (restart, pause and resume have no --dry-run).
    let allowed: &[&str] = match subcommand {
        "status" => &["watch", "timeout", "revision", "selector", "filename"],
        "history" => &["output", "revision", "selector", "filename"],
        "undo" => &["output", "dry-run", "to-revision", "selector", "filename"],
        _ => &["output", "selector", "filename"],
    };
    for flag in [
        "watch",
        "timeout",
        "revision",
        "to-revision",
        "output",
        "dry-run",
    ] {
        if parsed.value(flag).is_some() && !allowed.contains(&flag) {
            return Output::error(format!(
                "error: unknown flag: --{flag}\nSee 'kubectl rollout {subcommand} --help' for usage."
            ));
        }
    }
    let namespace = super::namespace_of(kubectl, &parsed);
    let targets = match resolve_targets(cluster, &parsed, &namespace, &parsed.positionals[1..]) {
        Ok(t) => t,
        Err(o) => return o,
    };
    let mut output = Output::ok(String::new());
    for (resource, name) in targets {
        let one = rollout_one(cluster, &parsed, subcommand, &namespace, resource, &name);
        let failed = one.exit_code != 0;
        output.append(one);
        if failed && subcommand == "status" {
            break;
        }
    }
    output
}

/// One subcommand on one object.
fn rollout_one(
    cluster: &mut Cluster,
    parsed: &flags::ParsedArgs,
    subcommand: &str,
    namespace: &str,
    resource: &'static ResourceType,
    name: &str,
) -> Output {
    let workload = ["DaemonSet", "StatefulSet"].contains(&resource.kind);
    if workload && matches!(subcommand, "pause" | "resume") {
        return Output::error(format!(
            "error: {}/{name} {} is not supported",
            resource.qualified_plural(),
            if subcommand == "pause" {
                "pausing"
            } else {
                "resuming"
            }
        ));
    }
    if resource.kind != "Deployment" && !workload {
        // kubectl names the type as a GroupKind prints: `Pod`, `Job.batch` (quoted by the
        // history viewer's `%q`).
        let group_kind = if resource.group.is_empty() {
            resource.kind.to_string()
        } else {
            format!("{}.{}", resource.kind, resource.group)
        };
        return Output::error(format!(
            "error: no {} has been implemented for {}",
            match subcommand {
                "status" => "status viewer",
                "history" => "history viewer",
                "undo" => "rollbacker",
                _ => "handler",
            },
            if subcommand == "history" {
                format!("\"{group_kind}\"")
            } else {
                group_kind
            },
        ));
    }
    let verb = if matches!(subcommand, "status" | "history") {
        "get"
    } else {
        "patch"
    };
    if let Err(denied) =
        super::check_access(cluster, parsed, verb, resource, Some(namespace), Some(name))
    {
        return denied;
    }
    let live = match cluster.get(resource, namespace, name) {
        Ok(o) => o,
        Err(e) => return Output::error(e.to_string()),
    };
    let reference = super::object_ref(resource, name);
    let output = match subcommand {
        "status" => return status(cluster, parsed, resource, namespace, name),
        "history" if workload => return revision_history(cluster, parsed, &live, &reference),
        "undo" => {
            let mut output = if workload {
                revision_undo(cluster, parsed, resource, &live, &reference)
            } else {
                undo(cluster, parsed, resource, &live, &reference)
            };
            // Before rolling back, kubectl warns when the object was applied: the
            // last-applied configuration stays what it was.
            let applied = live
                .metadata()
                .annotations
                .as_ref()
                .is_some_and(|a| a.contains_key(super::apply::LAST_APPLIED));
            if applied {
                output.stderr.insert_str(0, &format!("Warning: resource {}/{name} was previously managed with 'kubectl apply'. Rolling back will not update the {} annotation, which may cause unexpected behavior on future 'kubectl apply' operations. Consider using 'kubectl apply' with your previous configuration file instead.\n", resource.plural, super::apply::LAST_APPLIED));
            }
            return output;
        }
        "history" => return history(cluster, parsed, &live, &reference),
        "pause" | "resume" => {
            pause_or_resume(cluster, resource, &live, &reference, subcommand == "pause")
        }
        _ => restart(cluster, resource, &live, &reference),
    };
    // `-o name` prints the object's name alone; `-o yaml|json` the object as changed.
    match parsed.value("output") {
        Some(format) if output.exit_code == 0 => match cluster.get(resource, namespace, name) {
            Ok(changed) => {
                super::apply::print_result(&changed, output.stdout.trim_end(), Some(format))
            }
            Err(_) => output,
        },
        _ => output,
    }
}

/// The objects named: `TYPE/NAME…`, `TYPE NAME…`, or a bare `TYPE` (every object of the type
/// in the namespace, as kubectl's resource builder lists them).
fn resolve_targets(
    cluster: &Cluster,
    parsed: &flags::ParsedArgs,
    namespace: &str,
    words: &[String],
) -> Result<Vec<(&'static ResourceType, String)>, Output> {
    let Some(first) = words.first() else {
        return Err(Output::error("error: required resource not specified"));
    };
    if first.contains('/') {
        let mut targets = Vec::new();
        for word in words {
            let Some((kind, name)) = word.split_once('/') else {
                return Err(Output::error(
                    "error: there is no need to specify a resource type as a separate argument when passing arguments in resource/name form (e.g. 'kubectl get resource/<resource_name>' instead of 'kubectl get resource resource/<resource_name>'",
                ));
            };
            targets.push((super::resolve_resource(kind)?, name.to_string()));
        }
        return Ok(targets);
    }
    let resource = super::resolve_resource(first)?;
    if words.len() > 1 {
        return Ok(words[1..]
            .iter()
            .map(|name| (resource, name.clone()))
            .collect());
    }
    super::check_access(cluster, parsed, "list", resource, Some(namespace), None)?;
    let names: Vec<String> = cluster
        .list(resource, Some(namespace))
        .iter()
        .map(|object| object.name().to_string())
        .collect();
    if names.is_empty() {
        return Err(Output::error(format!(
            "No resources found in {namespace} namespace."
        )));
    }
    Ok(names.into_iter().map(|name| (resource, name)).collect())
}

/// What `rollout status` says about a Deployment now, and whether it is done (Ok(true)), still
/// going (Ok(false)) or failed (Err).
fn deployment_status_line(deployment: &Value, name: &str) -> (String, Result<bool, String>) {
    let generation = deployment["metadata"]["generation"].as_i64().unwrap_or(0);
    let status = &deployment["status"];
    let observed = status["observedGeneration"].as_i64().unwrap_or(0);
    if generation > observed {
        return (
            "Waiting for deployment spec update to be observed...\n".into(),
            Ok(false),
        );
    }
    let progressing = status["conditions"]
        .as_array()
        .and_then(|cs| cs.iter().find(|c| c["type"] == "Progressing"));
    if progressing.is_some_and(|c| c["reason"] == "ProgressDeadlineExceeded") {
        return (
            String::new(),
            Err(format!(
                "error: deployment \"{name}\" exceeded its progress deadline"
            )),
        );
    }
    let count = |field: &str| status[field].as_i64().unwrap_or(0);
    let desired = deployment["spec"]["replicas"].as_i64().unwrap_or(1);
    let updated = count("updatedReplicas");
    let replicas = count("replicas");
    let available = count("availableReplicas");
    if updated < desired {
        return (format!("Waiting for deployment \"{name}\" rollout to finish: {updated} out of {desired} new replicas have been updated...\n"), Ok(false));
    }
    if replicas > updated {
        return (format!("Waiting for deployment \"{name}\" rollout to finish: {} old replicas are pending termination...\n", replicas - updated), Ok(false));
    }
    if available < updated {
        return (format!("Waiting for deployment \"{name}\" rollout to finish: {available} of {updated} updated replicas are available...\n"), Ok(false));
    }
    (
        format!("deployment \"{name}\" successfully rolled out\n"),
        Ok(true),
    )
}

/// Only a RollingUpdate strategy has a rollout to follow.
fn rolling_only(object: &Value, strategy_field: &str) -> Option<(String, Result<bool, String>)> {
    let kind = object["spec"][strategy_field]["type"]
        .as_str()
        .unwrap_or("RollingUpdate");
    (kind != "RollingUpdate").then(|| {
        (
            String::new(),
            Err("error: rollout status is only available for RollingUpdate strategy type".into()),
        )
    })
}

fn daemon_set_status_line(daemon_set: &Value, name: &str) -> (String, Result<bool, String>) {
    if let Some(refusal) = rolling_only(daemon_set, "updateStrategy") {
        return refusal;
    }
    let generation = daemon_set["metadata"]["generation"].as_i64().unwrap_or(0);
    let status = &daemon_set["status"];
    if generation > status["observedGeneration"].as_i64().unwrap_or(0) {
        return (
            "Waiting for daemon set spec update to be observed...\n".into(),
            Ok(false),
        );
    }
    let count = |field: &str| status[field].as_i64().unwrap_or(0);
    let desired = count("desiredNumberScheduled");
    let updated = count("updatedNumberScheduled");
    let available = count("numberAvailable");
    if updated < desired {
        return (format!("Waiting for daemon set \"{name}\" rollout to finish: {updated} out of {desired} new pods have been updated...\n"), Ok(false));
    }
    if available < desired {
        return (format!("Waiting for daemon set \"{name}\" rollout to finish: {available} of {desired} updated pods are available...\n"), Ok(false));
    }
    (
        format!("daemon set \"{name}\" successfully rolled out\n"),
        Ok(true),
    )
}

fn stateful_set_status_line(stateful_set: &Value) -> (String, Result<bool, String>) {
    if let Some(refusal) = rolling_only(stateful_set, "updateStrategy") {
        return refusal;
    }
    let generation = stateful_set["metadata"]["generation"].as_i64().unwrap_or(0);
    let status = &stateful_set["status"];
    let observed = status["observedGeneration"].as_i64().unwrap_or(0);
    if observed == 0 || generation > observed {
        return (
            "Waiting for statefulset spec update to be observed...\n".into(),
            Ok(false),
        );
    }
    let count = |field: &str| status[field].as_i64().unwrap_or(0);
    let replicas = stateful_set["spec"]["replicas"].as_i64().unwrap_or(1);
    if count("readyReplicas") < replicas {
        return (
            format!(
                "Waiting for {} pods to be ready...\n",
                replicas - count("readyReplicas")
            ),
            Ok(false),
        );
    }
    // A RollingUpdate strategy with its rollingUpdate block (the API server defaults one with
    // partition 0) is reported as a partitioned roll out, whatever the partition.
    let strategy = &stateful_set["spec"]["updateStrategy"];
    if strategy["type"] == "RollingUpdate" && strategy["rollingUpdate"].is_object() {
        if let Some(partition) = strategy["rollingUpdate"]["partition"].as_i64() {
            let wanted = replicas - partition;
            if count("updatedReplicas") < wanted {
                return (format!("Waiting for partitioned roll out to finish: {} out of {wanted} new pods have been updated...\n", count("updatedReplicas")), Ok(false));
            }
        }
        return (
            format!(
                "partitioned roll out complete: {} new pods have been updated...\n",
                count("updatedReplicas")
            ),
            Ok(true),
        );
    }
    let update_revision = status["updateRevision"].as_str().unwrap_or("");
    let current_revision = status["currentRevision"].as_str().unwrap_or("");
    if update_revision != current_revision {
        return (format!("waiting for statefulset rolling update to complete {} pods at revision {update_revision}...\n", count("updatedReplicas")), Ok(false));
    }
    (
        format!(
            "statefulset rolling update complete {} pods at revision {current_revision}...\n",
            count("currentReplicas")
        ),
        Ok(true),
    )
}

fn status(
    cluster: &mut Cluster,
    parsed: &flags::ParsedArgs,
    resource: &'static ResourceType,
    namespace: &str,
    name: &str,
) -> Output {
    let watch = parsed.value("watch").is_none_or(|w| w != "false");
    let limit_seconds = match parsed.value("timeout") {
        None | Some("0") | Some("0s") => DEFAULT_WATCH_LIMIT_SECONDS,
        Some(text) => match model::duration::parse_duration_millis(text) {
            Ok(millis) => (millis / 1000).max(1),
            Err(_) => {
                return Output::error(format!(
                    "error: invalid argument \"{text}\" for \"--timeout\" flag: time: invalid duration \"{text}\""
                ))
            }
        },
    };
    let mut output = Output::default();
    let mut last_line = String::new();
    for second in 0..=limit_seconds {
        let live = match cluster.get(resource, namespace, name) {
            Ok(o) => o.to_json_value(),
            Err(e) => {
                output.append(Output::error(e.to_string()));
                return output;
            }
        };
        let (line, state) = match resource.kind {
            "DaemonSet" => daemon_set_status_line(&live, name),
            "StatefulSet" => stateful_set_status_line(&live),
            _ => deployment_status_line(&live, name),
        };
        if line != last_line {
            output.stdout.push_str(&line);
            last_line = line;
        }
        match state {
            Ok(true) => return output,
            Err(message) => {
                output.append(Output::error(message));
                return output;
            }
            Ok(false) if !watch => return output,
            Ok(false) if second == limit_seconds => break,
            Ok(false) => cluster.advance(SimDuration::from_secs(1)),
        }
    }
    output.append(Output::error("error: timed out waiting for the condition"));
    output
}

/// The Deployment's ReplicaSets (controlled by it), with their revisions, oldest revision first.
fn replica_sets_of(cluster: &Cluster, deployment: &Object) -> Vec<(i64, Rc<Object>)> {
    let uid = deployment.metadata().uid.clone().unwrap_or_default();
    let resource = model::registry::resolve("replicasets").expect("registered");
    let mut sets: Vec<(i64, Rc<Object>)> = cluster
        .list(resource, Some(deployment.namespace()))
        .into_iter()
        .filter(|rs| {
            rs.metadata()
                .owner_references
                .iter()
                .flatten()
                .any(|r| r.controller == Some(true) && r.uid == uid)
        })
        .map(|rs| {
            let revision = rs
                .metadata()
                .annotations
                .as_ref()
                .and_then(|a| a.get(REVISION))
                .and_then(|r| r.parse().ok())
                .unwrap_or(0);
            (revision, rs)
        })
        .collect();
    sets.sort_stable_by_key(|(revision, _)| *revision);
    sets
}

fn history(
    cluster: &Cluster,
    parsed: &flags::ParsedArgs,
    live: &Object,
    reference: &str,
) -> Output {
    let sets = replica_sets_of(cluster, live);
    if let Some(wanted) = parsed.value("revision").filter(|r| *r != "0") {
        let Ok(wanted) = wanted.parse::<i64>() else {
            return Output::error(format!("error: invalid argument \"{wanted}\" for \"--revision\" flag: strconv.ParseInt: parsing \"{wanted}\": invalid syntax"));
        };
        let Some((_, rs)) = sets.iter().find(|(r, _)| *r == wanted) else {
            return Output::error("error: unable to find the specified revision");
        };
        let mut template = rs.to_json_value()["spec"]["template"].clone();
        if let Some(annotation) = rs
            .metadata()
            .annotations
            .as_ref()
            .and_then(|a| a.get(CHANGE_CAUSE))
        {
            template["metadata"]["annotations"][CHANGE_CAUSE] = json!(annotation);
        }
        return Output::ok(format!(
            "{reference} with revision #{wanted}\n{}\n",
            super::describe::pod_template_text(&template)
        ));
    }
    let mut out = format!("{reference} \nREVISION  CHANGE-CAUSE\n");
    for (revision, rs) in sets.iter().filter(|(r, _)| *r > 0) {
        let cause = rs
            .metadata()
            .annotations
            .as_ref()
            .and_then(|a| a.get(CHANGE_CAUSE))
            .cloned()
            .unwrap_or_else(|| "<none>".into());
        out.push_str(&format!("{revision:<10}{cause}\n"));
    }
    out.push('\n');
    Output::ok(out)
}

/// `--to-revision` (0, the previous revision, when not given).
fn to_revision(parsed: &flags::ParsedArgs) -> Result<i64, Output> {
    match parsed.value("to-revision").map(str::parse::<i64>) {
        None => Ok(0),
        Some(Ok(r)) => Ok(r),
        Some(Err(_)) => Err(Output::error(
            "error: invalid argument for \"--to-revision\" flag: strconv.ParseInt: invalid syntax",
        )),
    }
}

fn undo(
    cluster: &mut Cluster,
    parsed: &flags::ParsedArgs,
    resource: &'static ResourceType,
    live: &Object,
    reference: &str,
) -> Output {
    let value = live.to_json_value();
    if value["spec"]["paused"] == json!(true) {
        // kubectl (since 1.26) no longer names the object in this hint.
        return Output::error(
            "error: you cannot rollback a paused deployment; resume it first with 'kubectl rollout resume' and try again",
        );
    }
    let to_revision = match to_revision(parsed) {
        Ok(r) => r,
        Err(o) => return o,
    };
    let sets = replica_sets_of(cluster, live);
    let target = if to_revision == 0 {
        // The previous revision: the second highest.
        if sets.len() < 2 {
            return Output::error(format!(
                "error: no rollout history found for deployment \"{}\"",
                live.name()
            ));
        }
        sets.get(sets.len() - 2).cloned()
    } else {
        sets.iter().find(|(r, _)| *r == to_revision).cloned()
    };
    let Some((revision, rs)) = target else {
        return Output::error(format!(
            "error: unable to find specified revision {to_revision} in history"
        ));
    };
    let mut template = rs.to_json_value()["spec"]["template"].clone();
    // A client dry run prints the revision's template (as the ReplicaSet has it) before
    // anything is compared.
    if super::dry_run_suffix(parsed) == Some(" (dry run)") {
        return Output::ok(format!(
            "{reference} {} (dry run)\n",
            super::describe::pod_template_text(&template)
        ));
    }
    if let Some(labels) = template["metadata"]["labels"].as_object_mut() {
        labels.remove("pod-template-hash");
    }
    if template == value["spec"]["template"] {
        return Output::ok(format!(
            "{reference} skipped rollback (current template already matches revision {revision})\n"
        ));
    }
    if super::dry_run_suffix(parsed) == Some(" (server dry run)") {
        return Output::ok(format!("{reference} rolled back (server dry run)\n"));
    }
    // The ReplicaSet's change-cause comes back with its template.
    let mut patch = json!({ "spec": { "template": template } });
    if let Some(cause) = rs
        .metadata()
        .annotations
        .as_ref()
        .and_then(|a| a.get(CHANGE_CAUSE))
    {
        patch["metadata"] = json!({ "annotations": { CHANGE_CAUSE: cause } });
    }
    // A whole-template replacement: a JSON merge patch of the template with nulls for what the
    // old template lacks would be kubectl's JSON patch; replacing the field does the same.
    let replace =
        json!([{ "op": "replace", "path": "/spec/template", "value": patch["spec"]["template"] }]);
    if let Err(e) = cluster.patch(
        resource,
        live.namespace(),
        live.name(),
        PatchType::Json,
        &replace,
    ) {
        return Output::error(e.to_string());
    }
    if let Some(annotations) = patch.get("metadata") {
        let _ = cluster.patch(
            resource,
            live.namespace(),
            live.name(),
            PatchType::Merge,
            &json!({ "metadata": annotations }),
        );
    }
    Output::ok(format!("{reference} rolled back\n"))
}

/// A DaemonSet's or StatefulSet's ControllerRevisions, oldest revision first.
fn controller_revisions_of(cluster: &Cluster, owner: &Object) -> Vec<(i64, Rc<Object>)> {
    let uid = owner.metadata().uid.clone().unwrap_or_default();
    let resource = model::registry::resolve("controllerrevisions").expect("registered");
    let mut revisions: Vec<(i64, Rc<Object>)> = cluster
        .list(resource, Some(owner.namespace()))
        .into_iter()
        .filter(|r| {
            r.metadata()
                .owner_references
                .iter()
                .flatten()
                .any(|o| o.controller == Some(true) && o.uid == uid)
        })
        .map(|r| (r.to_json_value()["revision"].as_i64().unwrap_or(0), r))
        .collect();
    revisions.sort_stable_by_key(|(revision, _)| *revision);
    revisions
}

/// The pod template a ControllerRevision holds (its data is a replace patch of it).
fn revision_template(revision: &Object) -> Value {
    let mut template = revision.to_json_value()["data"]["spec"]["template"].clone();
    if let Some(map) = template.as_object_mut() {
        map.remove("$patch");
    }
    template
}

/// `rollout history` for DaemonSets and StatefulSets, from their ControllerRevisions.
fn revision_history(
    cluster: &Cluster,
    parsed: &flags::ParsedArgs,
    live: &Object,
    reference: &str,
) -> Output {
    let revisions = controller_revisions_of(cluster, live);
    if let Some(wanted) = parsed.value("revision").filter(|r| *r != "0") {
        let Ok(wanted) = wanted.parse::<i64>() else {
            return Output::error(format!("error: invalid argument \"{wanted}\" for \"--revision\" flag: strconv.ParseInt: parsing \"{wanted}\": invalid syntax"));
        };
        let Some((_, revision)) = revisions.iter().find(|(r, _)| *r == wanted) else {
            return Output::error("error: unable to find the specified revision");
        };
        return Output::ok(format!(
            "{reference} with revision #{wanted}\n{}\n",
            super::describe::pod_template_text(&revision_template(revision))
        ));
    }
    let mut out = format!("{reference} \nREVISION  CHANGE-CAUSE\n");
    for (number, revision) in &revisions {
        let cause = revision
            .metadata()
            .annotations
            .as_ref()
            .and_then(|a| a.get(CHANGE_CAUSE))
            .cloned()
            .unwrap_or_else(|| "<none>".into());
        out.push_str(&format!("{number:<10}{cause}\n"));
    }
    out.push('\n');
    Output::ok(out)
}

/// `rollout undo` for DaemonSets and StatefulSets: the template of the wanted (by default the
/// previous) ControllerRevision goes back into the object.
fn revision_undo(
    cluster: &mut Cluster,
    parsed: &flags::ParsedArgs,
    resource: &'static ResourceType,
    live: &Object,
    reference: &str,
) -> Output {
    let to_revision = match to_revision(parsed) {
        Ok(r) => r,
        Err(o) => return o,
    };
    let revisions = controller_revisions_of(cluster, live);
    if to_revision == 0 && revisions.len() <= 1 {
        return Output::error("error: no last revision to roll back to");
    }
    let target = if to_revision == 0 {
        revisions.get(revisions.len() - 2)
    } else {
        revisions.iter().find(|(r, _)| *r == to_revision)
    };
    let Some((number, revision)) = target else {
        return Output::error(format!(
            "error: unable to find specified revision {to_revision} in history"
        ));
    };
    let template = revision_template(revision);
    if super::dry_run_suffix(parsed) == Some(" (dry run)") {
        return Output::ok(format!(
            "{reference} will roll back to {} (dry run)\n",
            super::describe::pod_template_text(&template)
        ));
    }
    let value = live.to_json_value();
    if template == value["spec"]["template"] {
        return Output::ok(format!(
            "{reference} skipped rollback (current template already matches revision {number})\n"
        ));
    }
    if super::dry_run_suffix(parsed) == Some(" (server dry run)") {
        return Output::ok(format!("{reference} rolled back (server dry run)\n"));
    }
    let replace = json!([{ "op": "replace", "path": "/spec/template", "value": template }]);
    match cluster.patch(
        resource,
        live.namespace(),
        live.name(),
        PatchType::Json,
        &replace,
    ) {
        Ok(_) => Output::ok(format!("{reference} rolled back\n")),
        Err(e) => Output::error(e.to_string()),
    }
}

fn pause_or_resume(
    cluster: &mut Cluster,
    resource: &'static ResourceType,
    live: &Object,
    reference: &str,
    pause: bool,
) -> Output {
    let paused = live.to_json_value()["spec"]["paused"] == json!(true);
    if paused == pause {
        return Output::error(format!(
            "error: {} \"{}\" is {}",
            resource.qualified_plural(),
            live.name(),
            if pause {
                "already paused"
            } else {
                "not paused"
            }
        ));
    }
    let patch = json!({ "spec": { "paused": if pause { json!(true) } else { Value::Null } } });
    match cluster.patch(
        resource,
        live.namespace(),
        live.name(),
        PatchType::Strategic,
        &patch,
    ) {
        Ok(_) => Output::ok(format!(
            "{reference} {}\n",
            if pause { "paused" } else { "resumed" }
        )),
        Err(e) => Output::error(e.to_string()),
    }
}

fn restart(
    cluster: &mut Cluster,
    resource: &'static ResourceType,
    live: &Object,
    reference: &str,
) -> Output {
    if live.to_json_value()["spec"]["paused"] == json!(true) {
        return Output::error("error: can't restart paused deployment (run rollout resume first)");
    }
    let now = serde_json::to_value(cluster.now().to_k8s_time()).unwrap_or_default();
    let patch = json!({ "spec": { "template": { "metadata": { "annotations": {
        "kubectl.kubernetes.io/restartedAt": now
    } } } } });
    match cluster.patch(
        resource,
        live.namespace(),
        live.name(),
        PatchType::Strategic,
        &patch,
    ) {
        Ok(_) => Output::ok(format!("{reference} restarted\n")),
        Err(e) => Output::error(e.to_string()),
    }
}
