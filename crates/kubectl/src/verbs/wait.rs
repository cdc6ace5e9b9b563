//! `kubectl wait --for=condition=…|delete|jsonpath=…` — waits in simulated time: the cluster
//! runs one simulated second at a time until every chosen object meets the condition or
//! `--timeout` (default 30s) passes.

use std::rc::Rc;

use cluster::{Cluster, SimDuration};
use model::{Object, ResourceType};
use serde_json::Value;

use crate::flags::{self, boolean, value};
use crate::jsonpath::{value_text, Template};
use crate::{Kubectl, Output};

enum Condition {
    /// `condition=Ready` / `condition=Available=false`.
    Named {
        name: String,
        status: String,
    },
    Delete,
    /// `jsonpath={.status.phase}=Running` (without a value: the field exists).
    JsonPath {
        path: Template,
        value: Option<String>,
    },
}

fn parse_condition(text: &str) -> Result<Condition, String> {
    if text == "delete" {
        return Ok(Condition::Delete);
    }
    if let Some(rest) = text.strip_prefix("condition=") {
        let (name, status) = match rest.split_once('=') {
            Some((n, s)) => (n.to_string(), s.to_string()),
            None => (rest.to_string(), "True".to_string()),
        };
        return Ok(Condition::Named { name, status });
    }
    if let Some(rest) = text.strip_prefix("jsonpath=") {
        let rest = rest.trim_matches('\'');
        let (expression, wanted) = match rest.rfind("}=") {
            Some(i) => (
                &rest[..=i],
                Some(rest[i + 2..].trim_matches('\'').to_string()),
            ),
            None => (rest, None),
        };
        let path = Template::parse(expression).map_err(|e| format!("error: {e}"))?;
        return Ok(Condition::JsonPath {
            path,
            value: wanted,
        });
    }
    Err(format!("error: unrecognized condition: \"{text}\""))
}

fn met(condition: &Condition, object: Option<&Object>) -> bool {
    match (condition, object) {
        (Condition::Delete, None) => true,
        (_, None) | (Condition::Delete, Some(_)) => false,
        (Condition::Named { name, status }, Some(object)) => object.to_json_value()["status"]
            ["conditions"]
            .as_array()
            .into_iter()
            .flatten()
            .any(|c| {
                c["type"]
                    .as_str()
                    .is_some_and(|t| t.eq_ignore_ascii_case(name))
                    && c["status"]
                        .as_str()
                        .is_some_and(|s| s.eq_ignore_ascii_case(status))
            }),
        (Condition::JsonPath { path, value }, Some(object)) => {
            let json = object.to_json_value();
            let found: Vec<&Value> = path.values(&json);
            match value {
                None => !found.is_empty(),
                Some(wanted) => found.first().is_some_and(|v| value_text(v) == *wanted),
            }
        }
    }
}

/// The objects to wait for: modify's resolver of `TYPE NAME…`, `TYPE/NAME…` and
/// `TYPE -l …|--all`, with wait's own wording when there is nothing to resolve.
fn targets(
    cluster: &Cluster,
    parsed: &flags::ParsedArgs,
    namespace: &str,
) -> Result<Vec<(&'static ResourceType, String)>, Output> {
    if parsed.positionals.is_empty() {
        return Err(Output::error(
            "error: resource(s) were provided, but no name was specified",
        ));
    }
    let found = super::modify::targets(cluster, parsed, namespace, &parsed.positionals)?;
    if found.is_empty() {
        return Err(Output::error("error: no matching resources found"));
    }
    Ok(found)
}

pub(crate) fn wait(kubectl: &mut Kubectl, cluster: &mut Cluster, args: &[String]) -> Output {
    let specs = [
        value("for", None),
        value("timeout", None),
        value("selector", Some('l')),
        boolean("all", None),
        value("field-selector", None),
        value("output", Some('o')),
        boolean("local", None),
    ];
    let parsed = match flags::parse(args, &specs, "wait") {
        Ok(p) => p,
        Err(e) => return Output::error(e),
    };
    let Some(condition_text) = parsed.value("for") else {
        return Output::error("error: --for must be specified");
    };
    let condition = match parse_condition(condition_text) {
        Ok(c) => c,
        Err(e) => return Output::error(e),
    };
    let timeout_text = parsed.value("timeout").unwrap_or("30s");
    let Ok(timeout_millis) = model::duration::parse_duration_millis(timeout_text) else {
        return Output::error(format!("error: invalid argument \"{timeout_text}\" for \"--timeout\" flag: time: invalid duration \"{timeout_text}\""));
    };
    let namespace = super::namespace_of(kubectl, &parsed);
    let targets = match targets(cluster, &parsed, &namespace) {
        Ok(t) => t,
        Err(o) => return o,
    };
    let mut output = Output::default();
    let mut pending: Vec<(&'static ResourceType, String)> = Vec::new();
    for (resource, name) in targets {
        if let Err(denied) = super::check_access(
            cluster,
            &parsed,
            "get",
            resource,
            Some(&namespace),
            Some(&name),
        ) {
            output.append(denied);
            continue;
        }
        match cluster.get(resource, &namespace, &name) {
            Err(e) if !matches!(condition, Condition::Delete) => {
                output.append(Output::error(e.to_string()))
            }
            _ => pending.push((resource, name)),
        }
    }
    let mut waited = 0u64;
    loop {
        let mut still = Vec::new();
        for (resource, name) in pending {
            let object: Option<Rc<Object>> = cluster.get(resource, &namespace, &name).ok();
            if met(&condition, object.as_deref()) {
                output.stdout.push_str(&format!(
                    "{} condition met\n",
                    super::object_ref(resource, &name)
                ));
            } else {
                still.push((resource, name));
            }
        }
        if still.is_empty() {
            break;
        }
        if waited >= timeout_millis {
            for (resource, name) in still {
                output.append(Output::error(format!(
                    "error: timed out waiting for the condition on {}/{name}",
                    resource.qualified_plural()
                )));
            }
            break;
        }
        let step = 1000.min(timeout_millis - waited).max(1);
        cluster.advance(SimDuration(step));
        waited += step;
        pending = still;
    }
    output
}
