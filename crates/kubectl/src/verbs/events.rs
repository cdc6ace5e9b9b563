//! `kubectl events`: the namespace's events, oldest first, `--for TYPE/NAME`, `--types`.

use cluster::Cluster;
use model::sort::SortSlice;

use crate::flags::{self, boolean, value};
use crate::{printers, table, Kubectl, Output};

pub(crate) fn events(kubectl: &mut Kubectl, cluster: &mut Cluster, args: &[String]) -> Output {
    let specs = [
        boolean("all-namespaces", Some('A')),
        value("for", None),
        value("types", None),
        boolean("no-headers", None),
        boolean("watch", Some('w')),
        value("output", Some('o')),
    ];
    let parsed = match flags::parse(args, &specs, "events") {
        Ok(p) => p,
        Err(e) => return Output::error(e),
    };
    let namespace = super::namespace_of(kubectl, &parsed);
    let all = parsed.flag("all-namespaces");
    let Some(resource) = model::registry::resolve("events") else {
        return Output::error("error: the server doesn't have a resource type \"events\"");
    };
    let types: Vec<String> = parsed
        .value("types")
        .map(|t| t.split(',').map(|s| s.trim().to_string()).collect())
        .unwrap_or_default();
    for t in &types {
        if t != "Normal" && t != "Warning" {
            return Output::error(format!(
                "error: valid --types are Normal or Warning, got {t}"
            ));
        }
    }
    let involved = match parsed.value("for") {
        Some(target) => {
            let Some((kind, name)) = target.split_once('/') else {
                return Output::error(format!(
                    "error: --for must be in resource/name form, got \"{target}\""
                ));
            };
            let resource = match super::resolve_resource(kind) {
                Ok(r) => r,
                Err(o) => return o,
            };
            Some((resource.kind, name.to_string()))
        }
        None => None,
    };
    let mut events: Vec<_> = cluster
        .list(resource, if all { None } else { Some(namespace.as_str()) })
        .into_iter()
        .map(|e| (e.clone(), e.to_json_value()))
        .filter(|(_, e)| types.is_empty() || types.iter().any(|t| e["type"].as_str() == Some(t)))
        .filter(|(_, e)| {
            involved.as_ref().is_none_or(|(kind, name)| {
                e["involvedObject"]["kind"].as_str() == Some(kind)
                    && e["involvedObject"]["name"].as_str() == Some(name)
            })
        })
        .collect();
    events.sort_stable_by_key(|(e, _)| cluster::events::last_seen(e));
    if events.is_empty() {
        let message = if all {
            "No events found.\n".to_string()
        } else {
            format!("No events found in {namespace} namespace.\n")
        };
        return Output {
            stdout: String::new(),
            stderr: message,
            exit_code: 0,
            open_in_editor: None,
        };
    }
    let mut header: Vec<String> = ["LAST SEEN", "TYPE", "REASON", "OBJECT", "MESSAGE"]
        .map(String::from)
        .to_vec();
    if all {
        header.insert(0, "NAMESPACE".into());
    }
    let now = cluster.now();
    let rows: Vec<Vec<String>> = events
        .iter()
        .map(|(object, e)| {
            let last = e["lastTimestamp"]
                .as_str()
                .or_else(|| e["eventTime"].as_str())
                .unwrap_or("");
            let count = e["count"].as_i64().unwrap_or(1);
            let first = e["firstTimestamp"].as_str().unwrap_or(last);
            let seen = if count > 1 {
                format!(
                    "{} (x{count} over {})",
                    printers::timestamp_age(last, now),
                    printers::timestamp_age(first, now)
                )
            } else {
                printers::timestamp_age(last, now)
            };
            let mut row = vec![
                seen,
                e["type"].as_str().unwrap_or("").to_string(),
                e["reason"].as_str().unwrap_or("").to_string(),
                format!(
                    "{}/{}",
                    e["involvedObject"]["kind"].as_str().unwrap_or(""),
                    e["involvedObject"]["name"].as_str().unwrap_or("")
                ),
                e["message"].as_str().unwrap_or("").trim().to_string(),
            ];
            if all {
                row.insert(0, object.namespace().to_string());
            }
            row
        })
        .collect();
    Output::ok(table::render(&header, &rows, parsed.flag("no-headers")))
}
