//! `kubectl diff -f FILE`: for each object, the live version against the version a server-side
//! dry run of `kubectl apply` would store, as `diff -u -N` prints two directories of YAML files
//! (`/tmp/LIVE-<n>` and `/tmp/MERGED-<n>`, one file per object named
//! `group.version.Kind.namespace.name`). The dry run is apply's own code path run against a
//! clone of the cluster (a clone is cheap: the store is persistent), so defaults, admission,
//! validation and the generation bump are the API server's. `managedFields` are left out unless
//! `--show-managed-fields`; Secret values are masked unless `--show-secrets`. Exit code 0: no
//! differences, 1: differences, 2: an error. Directory numbers and file times are derived from
//! the seed, the resourceVersion and the simulated clock, so a script prints the same every run.

use std::collections::BTreeMap;

use cluster::Cluster;
use serde_json::Value;

use crate::flags::{self, boolean, value};
use crate::line_diff::unified_hunks;
use crate::{Kubectl, Output, Workspace};

const DIFF_FLAGS: &[flags::FlagSpec] = &[
    value("filename", Some('f')),
    boolean("recursive", Some('R')),
    boolean("server-side", None),
    value("field-manager", None),
    boolean("force-conflicts", None),
    boolean("show-managed-fields", None),
    boolean("show-secrets", None),
    value("concurrency", None),
    value("selector", Some('l')),
    boolean("prune", None),
    value("prune-allowlist", None),
    value("kustomize", Some('k')),
];

/// kubectl exits with the error's code + 1 for diff (1 means "differences").
fn diff_error(message: impl Into<String>) -> Output {
    let mut out = Output::error(message);
    out.exit_code = 2;
    out
}

pub(crate) fn diff(
    kubectl: &mut Kubectl,
    cluster: &mut Cluster,
    args: &[String],
    workspace: &dyn Workspace,
) -> Output {
    let parsed = match flags::parse(args, DIFF_FLAGS, "diff") {
        Ok(p) => p,
        Err(e) => return diff_error(e),
    };
    if parsed.is_set("kustomize") {
        return diff_error("error: -k (kustomize) is not available in this playground; use -f");
    }
    if parsed.values("filename").is_empty() {
        return diff_error("error: must specify one of -f and -k");
    }
    if !parsed.positionals.is_empty() {
        return diff_error(format!(
            "error: Unexpected args: [{}]\nSee 'kubectl diff -h' for help and examples",
            parsed.positionals.join(" ")
        ));
    }
    let namespace = super::namespace_of(kubectl, &parsed);
    let sources = match super::read_sources(
        parsed.values("filename"),
        parsed.flag("recursive"),
        workspace,
    ) {
        Ok(s) => s,
        // `-f -` with nothing on standard input is simply nothing to compare.
        Err(e) if e == "error: no objects passed to apply" => return Output::default(),
        Err(e) => return diff_error(e),
    };
    // File name -> (live YAML, merged YAML); BTreeMap: diff walks the directories sorted.
    let mut files: BTreeMap<String, (Option<Value>, Value)> = BTreeMap::new();
    // The server dry runs: apply on a throwaway copy of the cluster, one copy for the whole
    // command so that each new object gets its own uid and address.
    let mut dry = cluster.clone();
    for (source, text) in sources {
        let objects = match model::decode_documents(&text) {
            Ok(objects) => objects,
            Err(e) => {
                return diff_error(super::decode_error_message(&source, &e, "creating"));
            }
        };
        for object in objects {
            let object = match super::apply::with_request_namespace(
                object,
                &namespace,
                parsed.is_set("namespace"),
            ) {
                Ok(o) => o,
                Err(e) => return diff_error(e),
            };
            let resource = object.resource_type();
            let (ns, name) = (object.namespace().to_string(), object.name().to_string());
            let live = cluster.get(resource, &ns, &name).ok();
            let access_verb = if live.is_some() { "patch" } else { "create" };
            if let Err(denied) = super::check_access(
                cluster,
                &parsed,
                access_verb,
                resource,
                Some(&ns),
                Some(name.as_str()).filter(|_| live.is_some()),
            ) {
                return Output {
                    exit_code: 2,
                    ..denied
                };
            }
            let merged = match super::apply::apply_object(&mut dry, object, false) {
                Ok(applied) => applied.object,
                Err(super::apply::ApplyError::Message(m)) => return diff_error(m),
                Err(super::apply::ApplyError::Api(e)) => {
                    return diff_error(super::server_error(&e, None, "creating"))
                }
            };
            let mut merged = merged.to_json_value();
            // Server-side apply records ownership in managedFields, not in kubectl's
            // last-applied-configuration annotation: the annotation stays as it is live.
            if parsed.flag("server-side") {
                let live_annotation = live
                    .as_ref()
                    .and_then(|l| l.metadata().annotations.as_ref())
                    .and_then(|a| a.get(super::apply::LAST_APPLIED))
                    .cloned();
                if let Some(annotations) = merged
                    .pointer_mut("/metadata/annotations")
                    .and_then(Value::as_object_mut)
                {
                    match live_annotation {
                        Some(text) => {
                            annotations
                                .insert(super::apply::LAST_APPLIED.into(), Value::String(text));
                        }
                        None => {
                            annotations.remove(super::apply::LAST_APPLIED);
                        }
                    }
                    if annotations.is_empty() {
                        if let Some(meta) =
                            merged.get_mut("metadata").and_then(Value::as_object_mut)
                        {
                            meta.remove("annotations");
                        }
                    }
                }
            }
            // A dry run stores nothing, so no new resourceVersion is assigned.
            if let Some(meta) = merged.get_mut("metadata").and_then(Value::as_object_mut) {
                match live
                    .as_ref()
                    .and_then(|l| l.metadata().resource_version.clone())
                {
                    Some(rv) => {
                        meta.insert("resourceVersion".into(), Value::String(rv));
                    }
                    None => {
                        meta.remove("resourceVersion");
                    }
                }
            }
            let mut live = live.map(|l| l.to_json_value());
            if !parsed.flag("show-managed-fields") {
                for value in live.iter_mut().chain(std::iter::once(&mut merged)) {
                    if let Some(meta) = value.get_mut("metadata").and_then(Value::as_object_mut) {
                        meta.remove("managedFields");
                    }
                }
            }
            if resource.kind == "Secret" && !parsed.flag("show-secrets") {
                mask_secrets(live.as_mut(), &mut merged);
            }
            let group = if resource.group.is_empty() {
                String::new()
            } else {
                format!("{}.", resource.group)
            };
            let version = merged["apiVersion"]
                .as_str()
                .map(|v| model::registry::split_api_version(v).1.to_string())
                .unwrap_or_default();
            let file = format!(
                "{group}{version}.{}.{}.{name}",
                resource.kind,
                if resource.namespaced { ns.as_str() } else { "" }
            );
            files.insert(file, (live, merged));
        }
    }

    kubectl.temp_names += 1;
    let live_dir = format!(
        "/tmp/LIVE-{}",
        super::temp_number(cluster, kubectl.temp_names, "LIVE")
    );
    let merged_dir = format!(
        "/tmp/MERGED-{}",
        super::temp_number(cluster, kubectl.temp_names, "MERGED")
    );
    let now = file_time(cluster.now());
    let mut out = String::new();
    for (file, (live, merged)) in &files {
        let before = live
            .as_ref()
            .map(model::decode::json_to_yaml)
            .unwrap_or_default();
        let after = model::decode::json_to_yaml(merged);
        if before == after {
            continue;
        }
        let live_path = format!("{live_dir}/{file}");
        let merged_path = format!("{merged_dir}/{file}");
        out.push_str(&format!("diff -u -N {live_path} {merged_path}\n"));
        let live_time = if live.is_some() {
            now.clone()
        } else {
            "1970-01-01 00:00:00.000000000 +0000".to_string()
        };
        out.push_str(&format!("--- {live_path}\t{live_time}\n"));
        out.push_str(&format!("+++ {merged_path}\t{now}\n"));
        out.push_str(&unified_hunks(&before, &after));
    }
    Output {
        exit_code: i32::from(!out.is_empty()),
        open_in_editor: None,
        stdout: out,
        stderr: String::new(),
    }
}

/// A file time as GNU diff prints it: `2026-01-01 00:00:05.000000000 +0000`.
fn file_time(now: cluster::SimTime) -> String {
    let stamp = serde_json::to_value(now.to_k8s_time())
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default();
    let stamp = stamp.trim_end_matches('Z').replace('T', " ");
    format!("{stamp}.{:09} +0000", (now.0 % 1000) * 1_000_000)
}

/// kubectl's masker: every value of a Secret's data becomes `***`, or `*** (before)` and
/// `*** (after)` where it changes.
fn mask_secrets(live: Option<&mut Value>, merged: &mut Value) {
    let before: BTreeMap<String, Value> = live
        .as_ref()
        .and_then(|l| l.get("data"))
        .and_then(Value::as_object)
        .map(|m| m.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
        .unwrap_or_default();
    let after: BTreeMap<String, Value> = merged
        .get("data")
        .and_then(Value::as_object)
        .map(|m| m.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
        .unwrap_or_default();
    let mask = |key: &str, other: &BTreeMap<String, Value>, mine: &Value, tag: &str| match other
        .get(key)
    {
        Some(v) if v != mine => Value::String(format!("*** ({tag})")),
        _ => Value::String("***".to_string()),
    };
    if let Some(live) = live {
        if let Some(data) = live.get_mut("data").and_then(Value::as_object_mut) {
            for (key, value) in data.iter_mut() {
                *value = mask(key, &after, value, "before");
            }
        }
    }
    if let Some(data) = merged.get_mut("data").and_then(Value::as_object_mut) {
        for (key, value) in data.iter_mut() {
            *value = mask(key, &before, value, "after");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hunks_read_like_gnu_diff() {
        assert_eq!(
            unified_hunks("a\nb\n", "a\nc\n"),
            "@@ -1,2 +1,2 @@\n a\n-b\n+c\n"
        );
        assert_eq!(unified_hunks("", "new\n"), "@@ -0,0 +1 @@\n+new\n");
    }
}
