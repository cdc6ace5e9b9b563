//! Verbs that change one field family of existing objects: patch, label, annotate, scale,
//! set image.

use model::sort::SortSlice;
use std::collections::BTreeMap;
use std::rc::Rc;

use cluster::{Cluster, PatchType};
use model::{Object, ResourceType, Selector};
use serde_json::{json, Value};

use crate::flags::{self, boolean, value};
use crate::{Kubectl, Output};

/// Resolves `TYPE NAME…`, `TYPE/NAME…` or `TYPE -l selector|--all` into objects.
pub(super) fn targets(
    cluster: &Cluster,
    parsed: &flags::ParsedArgs,
    namespace: &str,
    positionals: &[String],
) -> Result<Vec<(&'static ResourceType, String)>, Output> {
    let Some(first) = positionals.first() else {
        return Err(Output::error(super::NO_RESOURCES_GIVEN));
    };
    if first.contains('/') {
        return positionals
            .iter()
            .map(|p| {
                let (kind, name) = p.split_once('/').unwrap_or((p, ""));
                super::resolve_resource(kind).map(|r| (r, name.to_string()))
            })
            .collect();
    }
    let resource = super::resolve_resource(first)?;
    let names = &positionals[1..];
    if !names.is_empty() {
        return Ok(names.iter().map(|n| (resource, n.clone())).collect());
    }
    let selector = match parsed.value("selector").map(Selector::parse).transpose() {
        Ok(s) => s,
        Err(e) => return Err(Output::error(format!("error: {e}"))),
    };
    if selector.is_none() && !parsed.flag("all") {
        return Err(Output::error(
            "error: resource(s) were provided, but no name was specified",
        ));
    }
    Ok(cluster
        .list(resource, Some(namespace))
        .iter()
        .filter(|o| {
            selector
                .as_ref()
                .is_none_or(|s| s.matches(o.metadata().labels.as_ref()))
        })
        .map(|o| (resource, o.name().to_string()))
        .collect())
}

/// The stored object a patching verb works on, after the `--as` access check for "patch".
fn patch_target(
    cluster: &Cluster,
    parsed: &flags::ParsedArgs,
    namespace: &str,
    resource: &'static ResourceType,
    name: &str,
) -> Result<Rc<Object>, Output> {
    super::check_access(
        cluster,
        parsed,
        "patch",
        resource,
        Some(namespace),
        Some(name),
    )?;
    cluster
        .get(resource, namespace, name)
        .map_err(|e| Output::error(e.to_string()))
}

/// Parses a patch given as JSON or YAML (kubectl accepts both).
fn parse_patch(text: &str) -> Result<Value, String> {
    serde_json::from_str(text).or_else(|_| {
        serde_yaml::from_str::<Value>(text)
            .map_err(|e| format!("error: unable to parse \"{text}\": {e}"))
    })
}

pub(crate) fn patch(kubectl: &mut Kubectl, cluster: &mut Cluster, args: &[String]) -> Output {
    let specs = [
        value("patch", Some('p')),
        value("type", None),
        value("output", Some('o')),
        value("dry-run", None),
        value("filename", Some('f')),
        value("patch-file", None),
        boolean("local", None),
    ];
    let parsed = match flags::parse(args, &specs, "patch") {
        Ok(p) => p,
        Err(e) => return Output::error(e),
    };
    let namespace = super::namespace_of(kubectl, &parsed);
    let Some(patch_text) = parsed.value("patch") else {
        return Output::error(
            "error: must specify --patch or --patch-file containing the contents of the patch",
        );
    };
    let patch_type = match parsed.value("type").unwrap_or("strategic") {
        "strategic" => PatchType::Strategic,
        "merge" => PatchType::Merge,
        "json" => PatchType::Json,
        other => {
            return Output::error(format!(
                "error: --type must be one of [json merge strategic], not \"{other}\""
            ))
        }
    };
    let patch = match parse_patch(patch_text) {
        Ok(p) => p,
        Err(e) => return Output::error(e),
    };
    let targets = match targets(cluster, &parsed, &namespace, &parsed.positionals) {
        Ok(t) => t,
        Err(o) => return o,
    };
    let mut output = Output::default();
    for (resource, name) in targets {
        if let Err(denied) = super::check_access(
            cluster,
            &parsed,
            "patch",
            resource,
            Some(&namespace),
            Some(&name),
        ) {
            output.append(denied);
            continue;
        }
        if parsed.value("dry-run").is_some_and(|d| d != "none") {
            // A dry run reports what would change and writes nothing.
            output.stdout.push_str(&format!(
                "{} {} (dry run)\n",
                super::object_ref(resource, &name),
                "patched"
            ));
            continue;
        }
        match cluster.patch(resource, &namespace, &name, patch_type, &patch) {
            Ok((stored, changed)) => {
                let suffix = if changed {
                    "patched"
                } else {
                    "patched (no change)"
                };
                output.append(super::apply::print_result(
                    &stored,
                    &format!("{} {suffix}", super::object_ref(resource, &name)),
                    parsed.value("output"),
                ));
            }
            Err(e) => output.append(Output::error(super::server_error(&e, None, "patching"))),
        }
    }
    output
}

/// label and annotate share everything but the map they change and their words.
struct MetadataMapVerb {
    command: &'static str,
    field: &'static str,
    /// What one entry is called in kubectl's errors.
    noun: &'static str,
}

const LABEL: MetadataMapVerb = MetadataMapVerb {
    command: "label",
    field: "labels",
    noun: "label",
};
const ANNOTATE: MetadataMapVerb = MetadataMapVerb {
    command: "annotate",
    field: "annotations",
    noun: "annotation",
};

/// What kubectl label says it did, from the labels before and after: added or changed
/// ones, removed ones, both, or nothing.
fn label_change_message(
    old: &BTreeMap<String, String>,
    new: &BTreeMap<String, String>,
) -> &'static str {
    let removed = old.keys().any(|k| !new.contains_key(k));
    let labeled = new.iter().any(|(k, v)| old.get(k) != Some(v));
    match (labeled, removed) {
        (true, true) => "label(s) changed",
        (true, false) => "labeled",
        (false, true) => "unlabeled",
        (false, false) => "not labeled",
    }
}

/// kubectl label's client-side check of its `key=value` / `key-` arguments.
fn parse_label_changes(
    changes: &[&String],
) -> Result<(BTreeMap<String, String>, Vec<String>), String> {
    let mut set = BTreeMap::new();
    let mut remove = Vec::new();
    for change in changes {
        if change.contains('=') {
            let parts: Vec<&str> = change.split('=').collect();
            if parts.len() != 2 {
                return Err(format!("error: invalid label spec: {change}"));
            }
            let errors = model::validation::label_value_errors(parts[1]);
            if !errors.is_empty() {
                return Err(format!(
                    "error: invalid label value: {}: {}",
                    model::validation::quote(change),
                    errors.join(";")
                ));
            }
            set.insert(parts[0].to_string(), parts[1].to_string());
        } else {
            remove.push(change.trim_end_matches('-').to_string());
        }
    }
    if remove.iter().any(|k| set.contains_key(k)) {
        return Err("error: can not both modify and remove a label in the same command".into());
    }
    Ok((set, remove))
}

/// kubectl annotate's: values may hold `=`; a key both set and removed is refused.
fn parse_annotation_changes(
    changes: &[&String],
) -> Result<(BTreeMap<String, String>, Vec<String>), String> {
    let mut set = BTreeMap::new();
    let mut remove = Vec::new();
    for change in changes {
        match change.split_once('=') {
            Some((k, v)) => {
                set.insert(k.to_string(), v.to_string());
            }
            None => remove.push(change.trim_end_matches('-').to_string()),
        }
    }
    let both: Vec<&str> = remove
        .iter()
        .filter(|k| set.contains_key(*k))
        .map(String::as_str)
        .collect();
    if !both.is_empty() {
        return Err(format!(
            "error: can not both modify and remove the following annotation(s) in the same command: {}",
            both.join(", ")
        ));
    }
    Ok((set, remove))
}

pub(crate) fn label(kubectl: &mut Kubectl, cluster: &mut Cluster, args: &[String]) -> Output {
    change_metadata_map(&LABEL, kubectl, cluster, args)
}

pub(crate) fn annotate(kubectl: &mut Kubectl, cluster: &mut Cluster, args: &[String]) -> Output {
    change_metadata_map(&ANNOTATE, kubectl, cluster, args)
}

fn change_metadata_map(
    verb: &MetadataMapVerb,
    kubectl: &mut Kubectl,
    cluster: &mut Cluster,
    args: &[String],
) -> Output {
    let specs = [
        boolean("overwrite", None),
        boolean("all", None),
        value("selector", Some('l')),
        value("output", Some('o')),
        boolean("list", None),
        value("dry-run", None),
        value("resource-version", None),
    ];
    let parsed = match flags::parse(args, &specs, verb.command) {
        Ok(p) => p,
        Err(e) => return Output::error(e),
    };
    let namespace = super::namespace_of(kubectl, &parsed);
    // Positionals: resources first, then key=value / key- changes (kubectl's
    // GetResourcesAndPairs: `node-role.kubernetes.io/worker-` is a change, not a resource).
    let is_change = |a: &String| {
        (a.contains('=') && !a.starts_with('=')) || (a.ends_with('-') && a.as_str() != "-")
    };
    let mut resources: Vec<String> = Vec::new();
    let mut changes: Vec<&String> = Vec::new();
    for argument in &parsed.positionals {
        match (is_change(argument), changes.is_empty()) {
            (true, _) => changes.push(argument),
            (false, true) => resources.push(argument.clone()),
            (false, false) => {
                return Output::error(format!(
                    "error: all resources must be specified before {} changes: {argument}",
                    verb.noun
                ))
            }
        }
    }
    if changes.is_empty() && !parsed.flag("list") {
        return Output::error(format!(
            "error: at least one {} update is required",
            verb.noun
        ));
    }
    let labels = verb.noun == "label";
    let parsed_changes = if labels {
        parse_label_changes(&changes)
    } else {
        parse_annotation_changes(&changes)
    };
    let (set, remove) = match parsed_changes {
        Ok(changes) => changes,
        Err(message) => return Output::error(message),
    };
    let targets = match targets(cluster, &parsed, &namespace, &resources) {
        Ok(t) => t,
        Err(o) => return o,
    };
    let mut output = Output::default();
    for (resource, name) in targets {
        let live = match patch_target(cluster, &parsed, &namespace, resource, &name) {
            Ok(o) => o,
            Err(o) => {
                output.append(o);
                continue;
            }
        };
        let current = if verb.field == "labels" {
            live.metadata().labels.clone()
        } else {
            live.metadata().annotations.clone()
        }
        .unwrap_or_default();
        if parsed.flag("list") {
            for (k, v) in &current {
                output.stdout.push_str(&format!("{k}={v}\n"));
            }
            continue;
        }
        if !parsed.flag("overwrite") {
            let overwritten: Vec<(&String, &String)> = set
                .iter()
                .filter(|(k, _)| labels || k.as_str() != "kubernetes.io/change-cause")
                .filter_map(|(k, v)| current.get(k).filter(|old| *old != v).map(|old| (k, old)))
                .collect();
            if let Some((key, old)) = overwritten.first().filter(|_| labels) {
                output.append(Output::error(format!(
                    "error: '{key}' already has a value ({old}), and --overwrite is false"
                )));
                continue;
            }
            if !overwritten.is_empty() {
                let found: Vec<String> = overwritten
                    .iter()
                    .map(|(key, old)| format!("'{key}' already has a value ({old})"))
                    .collect();
                output.append(Output::error(format!(
                    "error: --overwrite is false but found the following declared annotation(s): {}",
                    found.join("; ")
                )));
                continue;
            }
        }
        let mut after = current.clone();
        for (k, v) in &set {
            after.insert(k.clone(), v.clone());
        }
        for k in &remove {
            after.remove(k);
        }
        let word = if labels {
            label_change_message(&current, &after)
        } else {
            "annotated"
        };
        let mut patch_map = serde_json::Map::new();
        for (k, v) in &set {
            patch_map.insert(k.clone(), Value::String(v.clone()));
        }
        for k in &remove {
            patch_map.insert(k.clone(), Value::Null);
        }
        let mut patch = json!({ "metadata": { verb.field: patch_map } });
        // `--resource-version`: a precondition the API server checks.
        if let Some(version) = parsed.value("resource-version").filter(|v| !v.is_empty()) {
            patch["metadata"]["resourceVersion"] = json!(version);
        }
        if let Some(suffix) = super::dry_run_suffix(&parsed) {
            // A dry run reports what would change and writes nothing.
            output.stdout.push_str(&format!(
                "{} {word}{suffix}\n",
                super::object_ref(resource, &name),
            ));
            continue;
        }
        if labels {
            for key in remove.iter().filter(|k| !current.contains_key(*k)) {
                output
                    .stdout
                    .push_str(&format!("label \"{key}\" not found.\n"));
            }
        }
        match cluster.patch(resource, &namespace, &name, PatchType::Merge, &patch) {
            Ok((stored, _)) => {
                output.append(super::apply::print_result(
                    &stored,
                    &format!("{} {word}", super::object_ref(resource, &name)),
                    parsed.value("output"),
                ));
            }
            Err(e) => output.append(Output::error(super::server_error(&e, None, "patching"))),
        }
    }
    output
}

fn replicas_of(object: &Object) -> Option<i64> {
    match object.kind() {
        "Deployment" | "ReplicaSet" | "ReplicationController" | "StatefulSet" => Some(
            object.to_json_value()["spec"]["replicas"]
                .as_i64()
                .unwrap_or(1),
        ),
        _ => None,
    }
}

pub(crate) fn scale(kubectl: &mut Kubectl, cluster: &mut Cluster, args: &[String]) -> Output {
    let specs = [
        value("replicas", None),
        value("current-replicas", None),
        value("resource-version", None),
        boolean("all", None),
        value("selector", Some('l')),
        value("output", Some('o')),
        value("timeout", None),
        value("filename", Some('f')),
        value("dry-run", None),
    ];
    let parsed = match flags::parse(args, &specs, "scale") {
        Ok(p) => p,
        Err(e) => return Output::error(e),
    };
    let namespace = super::namespace_of(kubectl, &parsed);
    let Some(replicas) = parsed.value("replicas") else {
        return Output::error("error: required flag(s) \"replicas\" not set");
    };
    let Ok(replicas) = replicas.parse::<i64>() else {
        return Output::error(format!("error: invalid argument \"{replicas}\" for \"--replicas\" flag: strconv.ParseInt: parsing \"{replicas}\": invalid syntax"));
    };
    if replicas < 0 {
        return Output::error("error: The --replicas=COUNT flag is required, and COUNT must be greater than or equal to 0");
    }
    let targets = match targets(cluster, &parsed, &namespace, &parsed.positionals) {
        Ok(t) => t,
        Err(o) => return o,
    };
    let mut output = Output::default();
    for (resource, name) in targets {
        let live = match patch_target(cluster, &parsed, &namespace, resource, &name) {
            Ok(o) => o,
            Err(o) => {
                output.append(o);
                continue;
            }
        };
        let Some(current) = replicas_of(&live) else {
            output.append(Output::error(format!(
                "error: no scale subresource for {} \"{name}\"",
                resource.qualified_plural()
            )));
            continue;
        };
        if let Some(expected) = parsed
            .value("current-replicas")
            .and_then(|c| c.parse::<i64>().ok())
        {
            if expected != current {
                output.append(Output::error(format!(
                    "error: Expected replicas to be {expected}, was {current}"
                )));
                continue;
            }
        }
        let patch = json!({ "spec": { "replicas": replicas } });
        if let Some(suffix) = super::dry_run_suffix(&parsed) {
            // A dry run reports what would change and writes nothing.
            let mut would_be = live.to_json_value();
            would_be["spec"]["replicas"] = json!(replicas);
            let printed = Object::from_json_value(would_be).unwrap_or_else(|_| (*live).clone());
            output.append(super::apply::print_result(
                &printed,
                &format!("{} scaled{suffix}", super::object_ref(resource, &name)),
                parsed.value("output"),
            ));
            continue;
        }
        match cluster.patch(resource, &namespace, &name, PatchType::Merge, &patch) {
            Ok((stored, _)) => output.append(super::apply::print_result(
                &stored,
                &format!("{} scaled", super::object_ref(resource, &name)),
                parsed.value("output"),
            )),
            Err(e) => output.append(Output::error(super::server_error(&e, None, "scaling"))),
        }
    }
    output
}

/// The JSON path of the pod spec inside an object of this kind.
fn pod_spec_pointer(kind: &str) -> Option<&'static str> {
    match kind {
        "Pod" => Some("/spec"),
        "Deployment"
        | "ReplicaSet"
        | "ReplicationController"
        | "DaemonSet"
        | "StatefulSet"
        | "Job" => Some("/spec/template/spec"),
        "CronJob" => Some("/spec/jobTemplate/spec/template/spec"),
        _ => None,
    }
}

pub(crate) fn set(kubectl: &mut Kubectl, cluster: &mut Cluster, args: &[String]) -> Output {
    // `-o` may come first: the output flags are moved to the front.
    let (subcommand, rest) = super::take_subcommand(args);
    match subcommand.as_deref() {
        Some("image") => set_image(kubectl, cluster, &rest),
        Some("env") => set_env(kubectl, cluster, &rest),
        Some("resources") => set_resources(kubectl, cluster, &rest),
        Some("serviceaccount" | "sa") => set_field(kubectl, cluster, &rest, SetField::ServiceAccount),
        Some("selector") => set_field(kubectl, cluster, &rest, SetField::Selector),
        Some(other) if !other.starts_with('-') => Output::error(format!(
            "error: \"kubectl set {other}\" is not available in this playground yet (set image, env, resources, serviceaccount and selector are)"
        )),
        _ => Output::error(
            "error: Required resource not specified.\nSee 'kubectl set -h' for help and examples",
        ),
    }
}

/// What `set serviceaccount` and `set selector` write: one field, from the last argument.
#[derive(Clone, Copy, PartialEq)]
enum SetField {
    /// The pod template's (or pod's) `serviceAccountName`.
    ServiceAccount,
    /// A Service's `spec.selector`, replaced whole (`k=v,k2=v2`).
    Selector,
}

fn set_field(
    kubectl: &mut Kubectl,
    cluster: &mut Cluster,
    args: &[String],
    field: SetField,
) -> Output {
    let specs = [
        boolean("all", None),
        value("output", Some('o')),
        value("dry-run", None),
        value("filename", Some('f')),
        value("resource-version", None),
    ];
    let command = match field {
        SetField::ServiceAccount => "set serviceaccount",
        SetField::Selector => "set selector",
    };
    let parsed = match flags::parse(args, &specs, command) {
        Ok(p) => p,
        Err(e) => return Output::error(e),
    };
    let namespace = super::namespace_of(kubectl, &parsed);
    let Some((wanted, resources)) = parsed.positionals.split_last() else {
        return Output::error(match field {
            SetField::ServiceAccount => "error: serviceaccount is required",
            SetField::Selector => "error: one selector is required",
        });
    };
    let selector: serde_json::Map<String, Value> = match field {
        SetField::ServiceAccount => serde_json::Map::new(),
        SetField::Selector => {
            let mut map = serde_json::Map::new();
            for pair in wanted.split(',').filter(|p| !p.is_empty()) {
                match pair.split_once('=') {
                    Some((key, value)) if !key.is_empty() => {
                        map.insert(key.to_string(), Value::String(value.to_string()));
                    }
                    _ => return Output::error(format!("error: invalid selector: {pair}")),
                }
            }
            map
        }
    };
    let targets = match targets(cluster, &parsed, &namespace, resources) {
        Ok(t) => t,
        Err(o) => return o,
    };
    let mut output = Output::default();
    for (resource, name) in targets {
        let live = match patch_target(cluster, &parsed, &namespace, resource, &name) {
            Ok(o) => o,
            Err(o) => {
                output.append(o);
                continue;
            }
        };
        let (patch, what) = match field {
            SetField::Selector if live.kind() != "Service" => {
                output.append(Output::error(
                    "error: setting a selector is only supported for Services",
                ));
                continue;
            }
            SetField::Selector => (json!({ "spec": { "selector": Value::Null } }), "selector"),
            SetField::ServiceAccount => {
                let Some(pointer) = pod_spec_pointer(live.kind()) else {
                    output.append(Output::error(format!(
                        "error: {}/{name} has no pod template",
                        resource.singular
                    )));
                    continue;
                };
                let mut patch = json!({});
                let mut cursor = &mut patch;
                for segment in pointer.trim_start_matches('/').split('/') {
                    cursor = &mut cursor[segment];
                }
                *cursor = json!({ "serviceAccountName": wanted });
                (patch, "serviceaccount")
            }
        };
        // The selector is replaced, not merged: clear it, then set it.
        let mut would_be = live.to_json_value();
        model::merge::merge_patch(&mut would_be, &patch);
        if field == SetField::Selector {
            would_be["spec"]["selector"] = Value::Object(selector.clone());
        }
        let line = format!("{} {what} updated", super::object_ref(resource, &name));
        if let Some(suffix) = super::dry_run_suffix(&parsed) {
            let printed = Object::from_json_value(would_be).unwrap_or_else(|_| (*live).clone());
            output.append(super::apply::print_result(
                &printed,
                &format!("{line}{suffix}"),
                parsed.value("output"),
            ));
            continue;
        }
        let written = match Object::from_json_value(would_be) {
            Ok(object) => cluster.update(object),
            Err(e) => {
                output.append(Output::error(format!("error: {}", e.message)));
                continue;
            }
        };
        match written {
            Ok(stored) => output.append(super::apply::print_result(
                &stored,
                &line,
                parsed.value("output"),
            )),
            Err(e) => output.append(Output::error(super::server_error(&e, None, "patching"))),
        }
    }
    output
}

fn set_image(kubectl: &mut Kubectl, cluster: &mut Cluster, args: &[String]) -> Output {
    let specs = [
        boolean("all", None),
        value("selector", Some('l')),
        value("output", Some('o')),
        value("dry-run", None),
        boolean("local", None),
        value("filename", Some('f')),
    ];
    let parsed = match flags::parse(args, &specs, "set image") {
        Ok(p) => p,
        Err(e) => return Output::error(e),
    };
    let namespace = super::namespace_of(kubectl, &parsed);
    let resources: Vec<String> = parsed
        .positionals
        .iter()
        .filter(|a| !a.contains('='))
        .cloned()
        .collect();
    let images: Vec<(String, String)> = parsed
        .positionals
        .iter()
        .filter_map(|a| {
            a.split_once('=')
                .map(|(c, i)| (c.to_string(), i.to_string()))
        })
        .collect();
    if images.is_empty() {
        return Output::error("error: at least one image update is required");
    }
    let edit = |container: &mut Value| -> Result<(), String> {
        for (name, image) in &images {
            if name == "*" || container["name"].as_str() == Some(name) {
                container["image"] = Value::String(image.clone());
            }
        }
        Ok(())
    };
    // Every named container must exist in the object.
    let verify = |spec: &Value| -> Result<(), String> {
        for (name, _) in &images {
            let found = name == "*"
                || ["initContainers", "containers"].iter().any(|list| {
                    spec[*list]
                        .as_array()
                        .into_iter()
                        .flatten()
                        .any(|c| c["name"].as_str() == Some(name))
                });
            if !found {
                return Err(format!("error: unable to find container named \"{name}\""));
            }
        }
        Ok(())
    };
    update_containers(
        cluster, &parsed, &namespace, &resources, "*", "image", &edit, &verify,
    )
}

/// A container's name matches `--containers` (a shell glob with `*`; `*` is every container).
fn container_matches(pattern: &str, name: &str) -> bool {
    let parts: Vec<&str> = pattern.split('*').collect();
    if parts.len() == 1 {
        return pattern == name;
    }
    let (first, last) = (parts[0], parts[parts.len() - 1]);
    if !name.starts_with(first) || name.len() < first.len() + last.len() || !name.ends_with(last) {
        return false;
    }
    let mut rest = &name[first.len()..name.len() - last.len()];
    for middle in &parts[1..parts.len() - 1] {
        match rest.find(middle) {
            Some(at) => rest = &rest[at + middle.len()..],
            None => return false,
        }
    }
    true
}

/// The shared work of `set env` and `set resources`: for each target, edit the containers
/// `--containers` selects (init containers too), then patch the object's pod template (or the
/// pod) and report `<ref> <what> updated`.
#[allow(clippy::too_many_arguments)]
fn update_containers(
    cluster: &mut Cluster,
    parsed: &flags::ParsedArgs,
    namespace: &str,
    resources: &[String],
    container_pattern: &str,
    what: &str,
    edit: &dyn Fn(&mut Value) -> Result<(), String>,
    verify: &dyn Fn(&Value) -> Result<(), String>,
) -> Output {
    let targets = match targets(cluster, parsed, namespace, resources) {
        Ok(t) => t,
        Err(o) => return o,
    };
    let mut output = Output::default();
    for (resource, name) in targets {
        let live = match patch_target(cluster, parsed, namespace, resource, &name) {
            Ok(o) => o,
            Err(o) => {
                output.append(o);
                continue;
            }
        };
        let Some(pointer) = pod_spec_pointer(live.kind()) else {
            output.append(Output::error(format!(
                "error: {}/{name} has no pod template",
                resource.singular
            )));
            continue;
        };
        let mut value = live.to_json_value();
        if let Err(e) = value.pointer(pointer).map_or(Ok(()), verify) {
            output.append(Output::error(e));
            continue;
        }
        let mut matched = 0;
        let mut failure = None;
        if let Some(spec) = value.pointer_mut(pointer) {
            for list in ["initContainers", "containers"] {
                for c in spec[list].as_array_mut().into_iter().flatten() {
                    if container_matches(container_pattern, c["name"].as_str().unwrap_or("")) {
                        matched += 1;
                        if let Err(e) = edit(c) {
                            failure = Some(e);
                        }
                    }
                }
            }
        }
        if let Some(e) = failure {
            output.append(Output::error(e));
            continue;
        }
        if matched == 0 {
            output.append(Output::error(format!(
                "error: unable to find container named {container_pattern}"
            )));
            continue;
        }
        let original = live.to_json_value();
        if original.pointer(pointer) == value.pointer(pointer) {
            output.append(super::apply::print_result(
                &live,
                &format!("{} {what} updated", super::object_ref(resource, &name)),
                parsed.value("output"),
            ));
            continue;
        }
        let spec_patch = value.pointer(pointer).cloned().unwrap_or_default();
        let mut patch = json!({});
        let mut cursor = &mut patch;
        for segment in pointer.trim_start_matches('/').split('/') {
            cursor = &mut cursor[segment];
        }
        *cursor = json!({ "containers": spec_patch["containers"] });
        if !spec_patch["initContainers"].is_null() {
            cursor["initContainers"] = spec_patch["initContainers"].clone();
        }
        if let Some(suffix) = super::dry_run_suffix(parsed) {
            // What the object would be, printed as `-o` asks (the edit is already in `value`).
            let printed = Object::from_json_value(value).unwrap_or_else(|_| (*live).clone());
            output.append(super::apply::print_result(
                &printed,
                &format!(
                    "{} {what} updated{suffix}",
                    super::object_ref(resource, &name)
                ),
                parsed.value("output"),
            ));
            continue;
        }
        // The containers are replaced as a whole (a merge patch of the lists), so that removed
        // variables and limits go.
        match cluster.patch(resource, namespace, &name, PatchType::Merge, &patch) {
            Ok((stored, _)) => output.append(super::apply::print_result(
                &stored,
                &format!("{} {what} updated", super::object_ref(resource, &name)),
                parsed.value("output"),
            )),
            Err(e) => output.append(Output::error(super::server_error(&e, None, "patching"))),
        }
    }
    output
}

/// An environment variable name as `set env --from` makes it from a key: upper case, and
/// characters a name may not have become `_`.
fn env_name_from_key(prefix: &str, key: &str) -> String {
    let cleaned: String = key
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect();
    format!("{prefix}{}", cleaned.to_ascii_uppercase())
}

fn set_env(kubectl: &mut Kubectl, cluster: &mut Cluster, args: &[String]) -> Output {
    let specs = [
        boolean("all", None),
        value("containers", Some('c')),
        value("dry-run", None),
        value("env", Some('e')),
        value("filename", Some('f')),
        value("from", None),
        value("keys", None),
        boolean("list", None),
        boolean("local", None),
        value("output", Some('o')),
        boolean("overwrite", None),
        value("prefix", None),
        boolean("resolve", None),
        value("selector", Some('l')),
    ];
    let parsed = match flags::parse(args, &specs, "set env") {
        Ok(p) => p,
        Err(e) => return Output::error(e),
    };
    let namespace = super::namespace_of(kubectl, &parsed);
    let is_env_item = |a: &str| a.contains('=') || (a.ends_with('-') && !a.contains('/'));
    let resources: Vec<String> = parsed
        .positionals
        .iter()
        .filter(|a| !is_env_item(a))
        .cloned()
        .collect();
    let mut items: Vec<String> = parsed
        .positionals
        .iter()
        .filter(|a| is_env_item(a))
        .cloned()
        .collect();
    items.extend(parsed.values("env").iter().cloned());
    let pattern = parsed.value("containers").unwrap_or("*").to_string();
    if parsed.flag("list") {
        let targets = match targets(cluster, &parsed, &namespace, &resources) {
            Ok(t) => t,
            Err(o) => return o,
        };
        let mut out = String::new();
        for (resource, name) in targets {
            let Ok(live) = cluster.get(resource, &namespace, &name) else {
                continue;
            };
            let value = live.to_json_value();
            let Some(spec) = pod_spec_pointer(live.kind()).and_then(|p| value.pointer(p)) else {
                continue;
            };
            for c in spec["containers"].as_array().into_iter().flatten() {
                let container = c["name"].as_str().unwrap_or("");
                if !container_matches(&pattern, container) {
                    continue;
                }
                out.push_str(&format!(
                    "# {} {name}, container {container}\n",
                    live.kind()
                ));
                for e in c["env"].as_array().into_iter().flatten() {
                    let key = e["name"].as_str().unwrap_or("");
                    match e["value"].as_str() {
                        Some(v) => out.push_str(&format!("{key}={v}\n")),
                        None => {
                            let from = &e["valueFrom"];
                            let source = if from["configMapKeyRef"].is_object() {
                                format!(
                                    "configmap {}, key {}",
                                    from["configMapKeyRef"]["name"].as_str().unwrap_or(""),
                                    from["configMapKeyRef"]["key"].as_str().unwrap_or("")
                                )
                            } else if from["secretKeyRef"].is_object() {
                                format!(
                                    "secret {}, key {}",
                                    from["secretKeyRef"]["name"].as_str().unwrap_or(""),
                                    from["secretKeyRef"]["key"].as_str().unwrap_or("")
                                )
                            } else if from["fieldRef"].is_object() {
                                format!(
                                    "field path {}",
                                    from["fieldRef"]["fieldPath"].as_str().unwrap_or("")
                                )
                            } else {
                                "resource field".to_string()
                            };
                            out.push_str(&format!("# {key} from {source}\n"));
                        }
                    }
                }
            }
        }
        return Output::ok(out);
    }
    // What to set and what to remove.
    let mut set: Vec<Value> = Vec::new();
    let mut remove: Vec<String> = Vec::new();
    for item in &items {
        if let Some((key, value)) = item.split_once('=') {
            if key.is_empty() {
                return Output::error(format!("error: invalid env: {item}"));
            }
            set.push(json!({ "name": key, "value": value }));
        } else if let Some(key) = item.strip_suffix('-') {
            remove.push(key.to_string());
        }
    }
    if let Some(from) = parsed.value("from") {
        let prefix = parsed.value("prefix").unwrap_or("");
        let keys: Vec<&str> = parsed
            .value("keys")
            .map(|k| k.split(',').collect())
            .unwrap_or_default();
        let (kind, source) = from.split_once('/').unwrap_or(("", from));
        let (plural, reference) = match kind {
            "configmap" | "configmaps" | "cm" => ("configmaps", "configMapKeyRef"),
            "secret" | "secrets" => ("secrets", "secretKeyRef"),
            _ => {
                return Output::error(format!(
                    "error: unsupported resource specified in --from: {from}"
                ))
            }
        };
        let Some(resource) = model::registry::resolve(plural) else {
            return Output::error("error: the server doesn't have that resource type");
        };
        let object = match cluster.get(resource, &namespace, source) {
            Ok(o) => o.to_json_value(),
            Err(e) => return Output::error(e.to_string()),
        };
        let mut data_keys: Vec<String> = object["data"]
            .as_object()
            .into_iter()
            .flatten()
            .map(|(k, _)| k.clone())
            .collect();
        data_keys.sort_stable();
        for key in data_keys {
            if !keys.is_empty() && !keys.contains(&key.as_str()) {
                continue;
            }
            set.push(json!({
                "name": env_name_from_key(prefix, &key),
                "valueFrom": { reference: { "name": source, "key": key } },
            }));
        }
    }
    if set.is_empty() && remove.is_empty() {
        return Output::error(
            "error: at least one environment variable must be provided\nSee 'kubectl set env -h' for help and examples",
        );
    }
    let overwrite = !parsed.is_set("overwrite") || parsed.flag("overwrite");
    let edit = move |container: &mut Value| -> Result<(), String> {
        let mut env: Vec<Value> = container["env"].as_array().cloned().unwrap_or_default();
        env.retain(|e| !remove.iter().any(|r| e["name"].as_str() == Some(r)));
        for variable in &set {
            match env.iter_mut().find(|e| e["name"] == variable["name"]) {
                Some(existing) if overwrite => *existing = variable.clone(),
                Some(_) => {
                    return Err(format!(
                        "error: '{}' already has a value ({}), and --overwrite is false",
                        variable["name"].as_str().unwrap_or(""),
                        existing_value(&env, variable)
                    ))
                }
                None => env.push(variable.clone()),
            }
        }
        if env.is_empty() {
            if let Some(map) = container.as_object_mut() {
                map.remove("env");
            }
        } else {
            container["env"] = Value::Array(env);
        }
        Ok(())
    };
    update_containers(
        cluster,
        &parsed,
        &namespace,
        &resources,
        &pattern,
        "env",
        &edit,
        &|_| Ok(()),
    )
}

fn existing_value(env: &[Value], variable: &Value) -> String {
    env.iter()
        .find(|e| e["name"] == variable["name"])
        .and_then(|e| e["value"].as_str())
        .unwrap_or("")
        .to_string()
}

fn set_resources(kubectl: &mut Kubectl, cluster: &mut Cluster, args: &[String]) -> Output {
    let specs = [
        boolean("all", None),
        value("containers", Some('c')),
        value("dry-run", None),
        value("filename", Some('f')),
        value("limits", None),
        boolean("local", None),
        value("output", Some('o')),
        value("requests", None),
        value("selector", Some('l')),
    ];
    let parsed = match flags::parse(args, &specs, "set resources") {
        Ok(p) => p,
        Err(e) => return Output::error(e),
    };
    let namespace = super::namespace_of(kubectl, &parsed);
    let parse_list = |flag: &str| -> Result<Vec<(String, String)>, String> {
        let mut pairs = Vec::new();
        for pair in parsed
            .value(flag)
            .unwrap_or("")
            .split(',')
            .filter(|p| !p.is_empty())
        {
            let Some((name, quantity)) = pair.split_once('=') else {
                return Err(format!("error: invalid resource requirement: {pair}"));
            };
            if model::quantity::Quantity::parse(quantity).is_err() {
                return Err(
                    "error: quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"
                        .to_string(),
                );
            }
            pairs.push((name.to_string(), quantity.to_string()));
        }
        Ok(pairs)
    };
    let limits = match parse_list("limits") {
        Ok(l) => l,
        Err(e) => return Output::error(e),
    };
    let requests = match parse_list("requests") {
        Ok(r) => r,
        Err(e) => return Output::error(e),
    };
    if limits.is_empty() && requests.is_empty() {
        return Output::error(
            "error: you must specify an update to requests or limits (in the form of --requests/--limits)",
        );
    }
    let pattern = parsed.value("containers").unwrap_or("*").to_string();
    let edit = move |container: &mut Value| -> Result<(), String> {
        for (key, pairs) in [("limits", &limits), ("requests", &requests)] {
            for (name, quantity) in pairs.iter() {
                container["resources"][key][name] = json!(quantity);
            }
        }
        Ok(())
    };
    update_containers(
        cluster,
        &parsed,
        &namespace,
        &parsed.positionals.clone(),
        &pattern,
        "resource requirements",
        &edit,
        &|_| Ok(()),
    )
}
