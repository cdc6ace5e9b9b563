//! Node maintenance: `kubectl cordon`, `uncordon`, `drain` and `taint`.
//!
//! `drain` cordons the node, checks its pods as kubectl does (DaemonSet-managed pods need
//! `--ignore-daemonsets`, pods with emptyDir data need `--delete-emptydir-data`, pods no
//! controller would recreate need `--force`), then evicts them through the Eviction API so that
//! PodDisruptionBudgets hold: a refused eviction is retried every 5 simulated seconds while the
//! cluster runs, and each evicted pod is waited for (polled every second) until it is gone,
//! until `--timeout` (10 simulated minutes when not given, as kubectl's "forever" must end).

use std::rc::Rc;

use cluster::{Cluster, PatchType, SimDuration};
use model::sort::SortSlice;
use model::{Object, Selector};
use serde_json::{json, Value};

use crate::flags::{self, boolean, value};
use crate::{Kubectl, Output};

const RETRY_SECONDS: u64 = 5;
const DEFAULT_DRAIN_LIMIT_SECONDS: u64 = 600;
/// The longest `--timeout` honoured (simulated seconds).
const MAX_DRAIN_LIMIT_SECONDS: u64 = 3_600;

fn nodes_resource() -> &'static model::ResourceType {
    model::registry::resolve("nodes").expect("registered")
}

/// The nodes named on the command line (`NODE…`, `node/NODE`, `nodes NODE`) or chosen by `-l`.
fn target_nodes(
    cluster: &Cluster,
    parsed: &flags::ParsedArgs,
    words: &[String],
) -> Result<Vec<Rc<Object>>, Output> {
    let mut names: Vec<String> = Vec::new();
    for (i, word) in words.iter().enumerate() {
        match word.split_once('/') {
            Some((kind, name)) => {
                let resource = super::resolve_resource(kind)?;
                if resource.kind != "Node" {
                    return Err(Output::error(format!(
                        "error: resource type {kind} is not a node"
                    )));
                }
                names.push(name.to_string());
            }
            None if i == 0 && matches!(word.as_str(), "node" | "nodes" | "no") => {}
            None => names.push(word.clone()),
        }
    }
    if let Some(selector) = parsed.value("selector") {
        let selector =
            Selector::parse(selector).map_err(|e| Output::error(format!("error: {e}")))?;
        return Ok(cluster
            .list(nodes_resource(), None)
            .into_iter()
            .filter(|n| selector.matches(n.metadata().labels.as_ref()))
            .collect());
    }
    if names.is_empty() {
        return Err(Output::error(
            "error: USAGE: cordon NODE [flags]\nSee 'kubectl cordon -h' for help and examples",
        ));
    }
    names
        .iter()
        .map(|name| {
            cluster
                .get(nodes_resource(), "", name)
                .map_err(|e| Output::error(e.to_string()))
        })
        .collect()
}

/// Sets or clears `spec.unschedulable`; the line kubectl prints.
fn set_schedulable(cluster: &mut Cluster, node: &Object, cordon: bool) -> Result<String, Output> {
    let cordoned = node_unschedulable(node);
    let word = if cordon { "cordoned" } else { "uncordoned" };
    if cordoned == cordon {
        return Ok(format!("node/{} already {word}\n", node.name()));
    }
    let patch =
        json!({ "spec": { "unschedulable": if cordon { json!(true) } else { Value::Null } } });
    cluster
        .patch(
            nodes_resource(),
            "",
            node.name(),
            PatchType::Strategic,
            &patch,
        )
        .map_err(|e| Output::error(e.to_string()))?;
    Ok(format!("node/{} {word}\n", node.name()))
}

pub(crate) fn cordon(
    kubectl: &mut Kubectl,
    cluster: &mut Cluster,
    args: &[String],
    cordon: bool,
) -> Output {
    let _ = kubectl;
    let specs = [value("selector", Some('l')), value("dry-run", None)];
    let command = if cordon { "cordon" } else { "uncordon" };
    let parsed = match flags::parse(args, &specs, command) {
        Ok(p) => p,
        Err(e) => return Output::error(e),
    };
    let nodes = match target_nodes(cluster, &parsed, &parsed.positionals) {
        Ok(n) => n,
        Err(o) => return o,
    };
    let mut output = Output::default();
    for node in nodes {
        if let Err(denied) = super::check_access(
            cluster,
            &parsed,
            "patch",
            nodes_resource(),
            None,
            Some(node.name()),
        ) {
            output.append(denied);
            continue;
        }
        if let Some(suffix) = super::dry_run_suffix(&parsed) {
            let already = if node_unschedulable(&node) == cordon {
                "already "
            } else {
                ""
            };
            output.stdout.push_str(&format!(
                "node/{} {already}{command}ed{suffix}\n",
                node.name()
            ));
            continue;
        }
        match set_schedulable(cluster, &node, cordon) {
            Ok(line) => output.stdout.push_str(&line),
            Err(o) => output.append(o),
        }
    }
    output
}

fn node_unschedulable(node: &Object) -> bool {
    node.to_json_value()["spec"]["unschedulable"] == json!(true)
}

/// What kubectl's drain filters decide for one pod.
enum DrainVerdict {
    /// Evicted, with the last filter's warning.
    Evict(Option<String>),
    /// Left on the node with a warning (DaemonSet pods with --ignore-daemonsets).
    Keep(String),
    /// Left on the node silently (mirror pods).
    Skip,
    /// The drain cannot go on.
    Refuse(String),
}

fn controller_kind(pod: &Value) -> Option<&str> {
    pod["metadata"]["ownerReferences"]
        .as_array()?
        .iter()
        .find(|r| r["controller"] == json!(true))
        .and_then(|r| r["kind"].as_str())
}

pub(crate) fn drain(kubectl: &mut Kubectl, cluster: &mut Cluster, args: &[String]) -> Output {
    let _ = kubectl;
    let specs = [
        boolean("ignore-daemonsets", None),
        boolean("delete-emptydir-data", None),
        boolean("delete-local-data", None),
        boolean("force", None),
        boolean("disable-eviction", None),
        value("grace-period", None),
        value("timeout", None),
        value("pod-selector", None),
        value("selector", Some('l')),
        value("dry-run", None),
        value("chunk-size", None),
        boolean("skip-wait-for-delete-timeout", None),
    ];
    let parsed = match flags::parse(args, &specs, "drain") {
        Ok(p) => p,
        Err(e) => return Output::error(e),
    };
    let nodes = match target_nodes(cluster, &parsed, &parsed.positionals) {
        Ok(n) => n,
        Err(o) => return o,
    };
    // What the timeout message names: the user's --timeout (the clock it may spend is bounded).
    let mut timeout_text = super::top::go_duration(DEFAULT_DRAIN_LIMIT_SECONDS * 1000);
    let limit_seconds = match parsed.value("timeout") {
        None | Some("0") | Some("0s") => DEFAULT_DRAIN_LIMIT_SECONDS,
        Some(text) => match model::duration::parse_duration_millis(text) {
            // Bounded like the default: a page must not spend hours of clock in one command.
            Ok(ms) => {
                timeout_text = super::top::go_duration(ms);
                (ms / 1000).clamp(1, MAX_DRAIN_LIMIT_SECONDS)
            }
            Err(_) => return Output::error(format!("error: invalid argument \"{text}\" for \"--timeout\" flag: time: invalid duration \"{text}\"")),
        },
    };
    let pod_selector = match parsed
        .value("pod-selector")
        .map(Selector::parse)
        .transpose()
    {
        Ok(s) => s,
        Err(e) => return Output::error(format!("error: {e}")),
    };
    let pods_resource = model::registry::resolve("pods").expect("registered");
    let mut output = Output::default();
    let dry_run = super::dry_run_suffix(&parsed);
    for node in nodes {
        if let Some(suffix) = dry_run {
            // A dry run cordons nothing: it says what it would do.
            let already = if node_unschedulable(&node) {
                "already "
            } else {
                ""
            };
            output
                .stdout
                .push_str(&format!("node/{} {already}cordoned{suffix}\n", node.name()));
        } else {
            match set_schedulable(cluster, &node, true) {
                Ok(line) => output.stdout.push_str(&line),
                Err(o) => {
                    output.append(o);
                    continue;
                }
            }
        }
        // kubectl's drain filters run in order (DaemonSet, mirror, local storage, unreplicated)
        // and stop at the first that keeps a pod; the pod's status is the last one given, so a
        // warning is dropped by a later filter that is fine with the pod (kubectl's own TODO).
        let delete_local = parsed.flag("delete-emptydir-data") || parsed.flag("delete-local-data");
        let daemon_sets = model::registry::resolve("daemonsets").expect("registered");
        let mut warnings_by_message: Vec<(String, Vec<String>)> = Vec::new();
        let mut errors_by_message: Vec<(String, Vec<String>)> = Vec::new();
        let mut to_evict: Vec<(String, String)> = Vec::new();
        for pod in cluster.list(pods_resource, None) {
            let v = pod.to_json_value();
            if v["spec"]["nodeName"] != json!(node.name())
                || pod.metadata().deletion_timestamp.is_some()
            {
                continue;
            }
            if pod_selector
                .as_ref()
                .is_some_and(|s| !s.matches(pod.metadata().labels.as_ref()))
            {
                continue;
            }
            let id = format!("{}/{}", pod.namespace(), pod.name());
            let finished = matches!(v["status"]["phase"].as_str(), Some("Succeeded" | "Failed"));
            let has_empty_dir = v["spec"]["volumes"]
                .as_array()
                .into_iter()
                .flatten()
                .any(|vol| vol.get("emptyDir").is_some());
            let daemon_set_owner = pod
                .metadata()
                .owner_references
                .iter()
                .flatten()
                .find(|r| r.controller == Some(true) && r.kind == "DaemonSet")
                .map(|r| r.name.clone());
            // A warning from the DaemonSet or local-storage filter never survives: the
            // unreplicated filter runs last and replaces it.
            let verdict = (|| {
                if let Some(owner) = daemon_set_owner.as_deref().filter(|_| !finished) {
                    match cluster.get(daemon_sets, pod.namespace(), owner) {
                        // An orphan of a deleted DaemonSet goes with --force.
                        Err(e) if e.code == 404 && parsed.flag("force") => {}
                        Err(e) => return DrainVerdict::Refuse(e.message),
                        Ok(_) if parsed.flag("ignore-daemonsets") => {
                            return DrainVerdict::Keep("ignoring DaemonSet-managed Pods".into())
                        }
                        Ok(_) => {
                            return DrainVerdict::Refuse(
                                "DaemonSet-managed Pods (use --ignore-daemonsets to ignore)".into(),
                            )
                        }
                    }
                }
                if v["metadata"]["annotations"]["kubernetes.io/config.mirror"].is_string() {
                    return DrainVerdict::Skip;
                }
                if has_empty_dir && !finished && !delete_local {
                    return DrainVerdict::Refuse(
                        "Pods with local storage (use --delete-emptydir-data to override)".into(),
                    );
                }
                if !finished && controller_kind(&v).is_none() {
                    if !parsed.flag("force") {
                        return DrainVerdict::Refuse(
                            "Pods that declare no controller (use --force to override)".into(),
                        );
                    }
                    return DrainVerdict::Evict(Some(
                        "deleting Pods that declare no controller".into(),
                    ));
                }
                DrainVerdict::Evict(None)
            })();
            let group = |groups: &mut Vec<(String, Vec<String>)>, message: String| match groups
                .iter_mut()
                .find(|(m, _)| *m == message)
            {
                Some((_, pods)) => pods.push(id.clone()),
                None => groups.push((message, vec![id.clone()])),
            };
            match verdict {
                DrainVerdict::Evict(warning) => {
                    if let Some(message) = warning {
                        group(&mut warnings_by_message, message);
                    }
                    to_evict.push((pod.namespace().to_string(), pod.name().to_string()));
                }
                DrainVerdict::Keep(message) => group(&mut warnings_by_message, message),
                DrainVerdict::Refuse(message) => group(&mut errors_by_message, message),
                DrainVerdict::Skip => {}
            }
        }
        // Messages in the filters' order (kubectl's come out of a Go map, in no set order).
        let filter_rank = |message: &String| {
            ["DaemonSet", "local storage", "no controller"]
                .iter()
                .position(|part| message.contains(part))
                .unwrap_or(0)
        };
        errors_by_message.sort_stable_by_key(|(message, _)| filter_rank(message));
        warnings_by_message.sort_stable_by_key(|(message, _)| filter_rank(message));
        let errors: Vec<String> = errors_by_message
            .iter()
            .map(|(message, pods)| format!("cannot delete {message}: {}", pods.join(", ")))
            .collect();
        let warnings: Vec<String> = warnings_by_message
            .iter()
            .map(|(message, pods)| format!("{message}: {}", pods.join(", ")))
            .collect();
        if !errors.is_empty() {
            let joined = if errors.len() == 1 {
                errors[0].clone()
            } else {
                format!("[{}]", errors.join(", "))
            };
            // The last lines are the aggregate's errors one per line (kubectl's
            // MultipleErrors), the first names them as one bracketed list.
            output.append(Output::error(format!(
                "error: unable to drain node \"{}\" due to error: {joined}, continuing command...\nThere are pending nodes to be drained:\n {}\n{}",
                node.name(),
                node.name(),
                errors.join("\n")
            )));
            continue;
        }
        if !warnings.is_empty() {
            output
                .stderr
                .push_str(&format!("Warning: {}\n", warnings.join("; ")));
        }
        if let Some(suffix) = dry_run {
            for (namespace, name) in &to_evict {
                output
                    .stdout
                    .push_str(&format!("evicting pod {namespace}/{name}{suffix}\n"));
            }
            output
                .stdout
                .push_str(&format!("node/{} drained{suffix}\n", node.name()));
            continue;
        }
        for (namespace, name) in &to_evict {
            output
                .stdout
                .push_str(&format!("evicting pod {namespace}/{name}\n"));
        }
        // As kubectl's drain: each pod is evicted (a 429 from a PodDisruptionBudget is retried
        // every 5 s), then polled every second until it is gone; "evicted" (or "deleted" with
        // --disable-eviction) is printed when it is.
        let verb = if parsed.flag("disable-eviction") {
            "deleted"
        } else {
            "evicted"
        };
        let uid_of = |cluster: &Cluster, namespace: &str, name: &str| {
            cluster
                .get(pods_resource, namespace, name)
                .ok()
                .and_then(|p| p.metadata().uid.clone())
        };
        let mut pending = to_evict;
        let mut waiting: Vec<(String, String, Option<String>)> = Vec::new();
        let mut waited = 0;
        let mut next_attempt = 0;
        loop {
            if waited >= next_attempt && waited < limit_seconds && !pending.is_empty() {
                let mut still = Vec::new();
                for (namespace, name) in pending {
                    // Every attempt after the first says so again, as kubectl's retry loop does.
                    if waited > 0 {
                        output
                            .stdout
                            .push_str(&format!("evicting pod {namespace}/{name}\n"));
                    }
                    let uid = uid_of(cluster, &namespace, &name);
                    let result = if parsed.flag("disable-eviction") {
                        cluster.delete(pods_resource, &namespace, &name)
                    } else {
                        cluster.evict(&namespace, &name)
                    };
                    match result {
                        Ok(_) => waiting.push((namespace, name, uid)),
                        // Gone already: kubectl says nothing about it.
                        Err(e) if e.code == 404 => {}
                        Err(e) if e.code == 429 => {
                            output.stderr.push_str(&format!(
                                "error when evicting pods/\"{name}\" -n \"{namespace}\" (will retry after {RETRY_SECONDS}s): {}\n",
                                e.message
                            ));
                            still.push((namespace, name));
                        }
                        Err(e) => {
                            output.append(Output::error(format!(
                                "error when evicting pods/\"{name}\" -n \"{namespace}\": {}",
                                e.message
                            )));
                        }
                    }
                }
                pending = still;
                next_attempt = waited + RETRY_SECONDS;
            }
            waiting.retain(|(namespace, name, uid)| {
                let gone = uid_of(cluster, namespace, name) != *uid || uid.is_none();
                if gone {
                    output.stdout.push_str(&format!("pod/{name} {verb}\n"));
                }
                !gone
            });
            if pending.is_empty() && waiting.is_empty() {
                break;
            }
            if waited >= limit_seconds {
                let timeout = &timeout_text;
                // A pod still being retried is tried once more (and says so) before the
                // deadline stops it.
                for (namespace, name) in &pending {
                    output
                        .stdout
                        .push_str(&format!("evicting pod {namespace}/{name}\n"));
                }
                let (namespace, name) = pending
                    .first()
                    .cloned()
                    .or_else(|| waiting.first().map(|(ns, n, _)| (ns.clone(), n.clone())))
                    .unwrap_or_default();
                let error = format!(
                    "error when evicting pods/\"{name}\" -n \"{namespace}\": global timeout reached: {timeout}"
                );
                // kubectl lists the pods still to go (what its filters would pick now), names
                // the node, then prints the error itself last.
                let still_there: Vec<String> = pending
                    .iter()
                    .map(|(ns, n)| (ns.clone(), n.clone()))
                    .chain(waiting.iter().map(|(ns, n, _)| (ns.clone(), n.clone())))
                    .filter(|(ns, n)| uid_of(cluster, ns, n).is_some())
                    .map(|(_, n)| format!("pod/{n}\n"))
                    .collect();
                output.stderr.push_str(&format!(
                    "There are pending pods in node \"{}\" when an error occurred: {error}\n{}",
                    node.name(),
                    still_there.concat()
                ));
                output.append(Output::error(format!(
                    "error: unable to drain node \"{}\" due to error: {error}, continuing command...\nThere are pending nodes to be drained:\n {}\n{error}",
                    node.name(),
                    node.name()
                )));
                break;
            }
            // Poll deletions every second; with only PodDisruptionBudget retries left, go
            // straight to the next attempt.
            let step = if waiting.is_empty() {
                next_attempt.saturating_sub(waited).max(1)
            } else {
                1
            };
            cluster.advance(SimDuration::from_secs(step));
            waited += step;
        }
        if output.exit_code == 0 {
            output
                .stdout
                .push_str(&format!("node/{} drained\n", node.name()));
        }
    }
    output
}

/// One parsed taint argument.
struct TaintChange {
    key: String,
    value: Option<String>,
    effect: Option<String>,
    remove: bool,
}

fn parse_taint(text: &str) -> Result<TaintChange, String> {
    let (body, remove) = match text.strip_suffix('-') {
        Some(b) => (b, true),
        None => (text, false),
    };
    let (key_value, effect) = match body.split_once(':') {
        Some((kv, e)) => (kv, Some(e.to_string())),
        None => (body, None),
    };
    let (key, value) = match key_value.split_once('=') {
        Some((k, v)) => (k.to_string(), Some(v.to_string())),
        None => (key_value.to_string(), None),
    };
    if key.is_empty() || (!remove && effect.is_none()) {
        return Err(format!("invalid taint spec: {text}"));
    }
    if let Some(effect) = &effect {
        if !["NoSchedule", "PreferNoSchedule", "NoExecute"].contains(&effect.as_str()) {
            return Err(format!(
                "invalid taint effect: {effect}, unsupported taint effect"
            ));
        }
    }
    Ok(TaintChange {
        key,
        value,
        effect,
        remove,
    })
}

pub(crate) fn taint(kubectl: &mut Kubectl, cluster: &mut Cluster, args: &[String]) -> Output {
    let _ = kubectl;
    let specs = [
        boolean("overwrite", None),
        boolean("all", None),
        value("selector", Some('l')),
        value("dry-run", None),
        value("output", Some('o')),
    ];
    let parsed = match flags::parse(args, &specs, "taint") {
        Ok(p) => p,
        Err(e) => return Output::error(e),
    };
    let (taint_words, node_words): (Vec<String>, Vec<String>) =
        parsed.positionals.iter().cloned().partition(|w| {
            w.contains(':') || w.contains('=') || (w.ends_with('-') && !w.contains('/'))
        });
    if taint_words.is_empty() {
        return Output::error("error: at least one taint update is required");
    }
    let mut changes = Vec::new();
    for word in &taint_words {
        match parse_taint(word) {
            Ok(c) => changes.push(c),
            Err(e) => return Output::error(format!("error: {e}")),
        }
    }
    let nodes = if parsed.flag("all") {
        Ok(cluster.list(nodes_resource(), None))
    } else {
        target_nodes(cluster, &parsed, &node_words)
    };
    let nodes = match nodes {
        Ok(n) => n,
        Err(o) => return o,
    };
    let mut output = Output::default();
    for node in nodes {
        let value = node.to_json_value();
        let mut taints: Vec<Value> = value["spec"]["taints"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        let mut removed_any = false;
        let mut added_any = false;
        let mut clash = Vec::new();
        for change in &changes {
            if change.remove {
                let before = taints.len();
                taints.retain(|t| {
                    !(t["key"] == json!(change.key)
                        && change
                            .effect
                            .as_ref()
                            .is_none_or(|e| t["effect"] == json!(e)))
                });
                if taints.len() == before {
                    let shown = match &change.effect {
                        Some(e) => format!("{}:{e}", change.key),
                        None => change.key.clone(),
                    };
                    output.append(Output::error(format!("error: taint {shown:?} not found")));
                    return output;
                }
                removed_any = true;
                continue;
            }
            let effect = change.effect.clone().unwrap_or_default();
            let existing = taints
                .iter()
                .position(|t| t["key"] == json!(change.key) && t["effect"] == json!(effect));
            if existing.is_some() && !parsed.flag("overwrite") {
                clash.push(change.key.clone());
                continue;
            }
            let mut taint = json!({"key": change.key, "effect": effect});
            if let Some(v) = &change.value {
                taint["value"] = json!(v);
            }
            if effect == "NoExecute" {
                taint["timeAdded"] =
                    serde_json::to_value(cluster.now().to_k8s_time()).unwrap_or_default();
            }
            match existing {
                Some(i) => taints[i] = taint,
                None => taints.push(taint),
            }
            added_any = true;
        }
        if !clash.is_empty() {
            output.append(Output::error(format!(
                "error: node {} already has {} taint(s) with same effect(s) and --overwrite is false",
                node.name(),
                clash.join(",")
            )));
            continue;
        }
        let patch = json!({ "spec": { "taints": if taints.is_empty() { Value::Null } else { json!(taints) } } });
        if let Err(e) = cluster.patch(nodes_resource(), "", node.name(), PatchType::Merge, &patch) {
            output.append(Output::error(e.to_string()));
            continue;
        }
        let word = match (added_any, removed_any) {
            (true, true) => "modified",
            (false, true) => "untainted",
            _ => "tainted",
        };
        output
            .stdout
            .push_str(&format!("node/{} {word}\n", node.name()));
    }
    output
}
