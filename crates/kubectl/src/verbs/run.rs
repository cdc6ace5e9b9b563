//! `kubectl run NAME --image=…`: one Pod, labelled `run=NAME`, its container named NAME.

use cluster::Cluster;
use model::Object;
use serde_json::{json, Value};

use crate::flags::{self, boolean, value};
use crate::{Kubectl, Output};

const RUN_FLAGS: &[flags::FlagSpec] = &[
    value("image", None),
    value("port", None),
    value("env", None),
    value("labels", Some('l')),
    value("restart", None),
    boolean("command", None),
    value("dry-run", None),
    value("output", Some('o')),
    boolean("stdin", Some('i')),
    boolean("tty", Some('t')),
    boolean("rm", None),
    value("image-pull-policy", None),
    value("overrides", None),
    boolean("expose", None),
    value("annotations", None),
    boolean("attach", None),
    boolean("quiet", Some('q')),
];

pub(crate) fn run(kubectl: &mut Kubectl, cluster: &mut Cluster, args: &[String]) -> Output {
    let parsed = match flags::parse(args, RUN_FLAGS, "run") {
        Ok(p) => p,
        Err(e) => return Output::error(e),
    };
    let Some(name) = parsed.positionals.first().cloned() else {
        return Output::error(
            "error: NAME is required for run\nSee 'kubectl run -h' for help and examples",
        );
    };
    let Some(image) = parsed.value("image") else {
        return Output::error("error: required flag(s) \"image\" not set");
    };
    if parsed.flag("rm") && !parsed.flag("stdin") && !parsed.flag("attach") {
        return Output::error("error: --rm should only be used for attached containers");
    }
    let namespace = super::namespace_of(kubectl, &parsed);
    let mut labels = serde_json::Map::new();
    match parsed.value("labels") {
        Some(text) => {
            for pair in text.split(',') {
                let Some((k, v)) = pair.split_once('=') else {
                    return Output::error(format!("error: invalid label spec: {pair}"));
                };
                labels.insert(k.to_string(), Value::String(v.to_string()));
            }
        }
        None => {
            labels.insert("run".to_string(), Value::String(name.clone()));
        }
    }
    let mut container = json!({ "image": image, "name": name, "resources": {} });
    if let Some(port) = parsed.value("port") {
        match port.parse::<i64>() {
            Ok(p) => container["ports"] = json!([{ "containerPort": p }]),
            Err(_) => {
                return Output::error(format!(
                    "error: invalid argument \"{port}\" for \"--port\" flag"
                ))
            }
        }
    }
    let env: Vec<Value> = parsed
        .values("env")
        .iter()
        .map(|e| {
            let (k, v) = e.split_once('=').unwrap_or((e, ""));
            json!({ "name": k, "value": v })
        })
        .collect();
    if !env.is_empty() {
        container["env"] = json!(env);
    }
    if let Some(rest) = parsed.after_dash_dash.as_ref().filter(|r| !r.is_empty()) {
        if parsed.flag("command") {
            container["command"] = json!(rest);
        } else {
            container["args"] = json!(rest);
        }
    }
    if let Some(policy) = parsed.value("image-pull-policy") {
        container["imagePullPolicy"] = json!(policy);
    }
    if parsed.flag("stdin") {
        container["stdin"] = json!(true);
        container["stdinOnce"] = json!(true);
    }
    if parsed.flag("tty") {
        container["tty"] = json!(true);
    }
    let restart = parsed.value("restart").unwrap_or("Always");
    if !["Always", "OnFailure", "Never"].contains(&restart) {
        return Output::error(format!("error: invalid restart policy: {restart}"));
    }
    let manifest = json!({
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": { "labels": labels, "name": name },
        "spec": { "containers": [container], "dnsPolicy": "ClusterFirst", "restartPolicy": restart },
        "status": {}
    });
    let mut manifest = manifest;
    if parsed.is_set("namespace") {
        manifest["metadata"]["namespace"] = Value::String(namespace.clone());
    }
    let dry_run = parsed.value("dry-run").filter(|d| *d != "none");
    if let Some(pods) = model::registry::resolve("pods") {
        if let Err(denied) =
            super::check_access(cluster, &parsed, "create", pods, Some(&namespace), None)
        {
            return denied;
        }
    }
    if dry_run.is_some() && matches!(parsed.value("output"), Some("yaml") | Some("json")) {
        return if parsed.value("output") == Some("json") {
            Output::ok(super::get::to_json_pretty(&manifest) + "\n")
        } else {
            Output::ok(model::decode::json_to_yaml(&manifest))
        };
    }
    match Object::from_json_value(manifest)
        .map(|o| super::apply::with_request_namespace(o, &namespace, false))
    {
        Ok(Ok(object)) => {
            super::create::create_object(cluster, object, "", dry_run, parsed.value("output"))
        }
        Ok(Err(e)) => Output::error(e),
        Err(e) => Output::error(format!("error: {}", e.message)),
    }
}
