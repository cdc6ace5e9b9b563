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
        return Output::error("error: NAME is required for run");
    };
    let Some(image) = parsed.value("image") else {
        return Output::error("error: required flag(s) \"image\" not set");
    };
    // kubectl run's own checks, in its order, before anything reaches the server.
    if image.is_empty() {
        return Output::error("error: --image is required");
    }
    // The reference grammar the runtime parses images with (kubectl checks the same regexp).
    if cluster::runtime::catalog::parse_reference(image).is_err() {
        return Output::error(format!(
            "error: invalid image name \"{image}\": invalid reference format"
        ));
    }
    // kubectl's o.Attach: --attach, or -i when --attach is not given.
    let attached = if parsed.is_set("attach") {
        parsed.flag("attach")
    } else {
        parsed.flag("stdin")
    };
    if parsed.flag("tty") && !parsed.flag("stdin") {
        return Output::error("error: -i/--stdin is required for containers with -t/--tty=true");
    }
    if parsed.flag("expose") && parsed.value("port").is_none() {
        return Output::error("error: --port must be set when exposing a service");
    }
    if parsed.value("dry-run").is_some_and(|d| d != "none") && attached {
        return Output::error("error: --dry-run=[server|client] can't be used with attached containers options (--attach, --stdin, or --tty)");
    }
    let restart = parsed.value("restart").unwrap_or("Always");
    if !["Always", "OnFailure", "Never"].contains(&restart) {
        return Output::error(format!(
            "error: invalid restart policy: {restart}, valid values are: Always, OnFailure, Never"
        ));
    }
    if parsed.flag("rm") && !attached {
        return Output::error("error: --rm should only be used for attached containers");
    }
    if let Some(policy) = parsed
        .value("image-pull-policy")
        .filter(|p| !p.is_empty() && !["Always", "IfNotPresent", "Never"].contains(p))
    {
        return Output::error(format!(
            "error: invalid image pull policy: {policy}, valid values are: Always, IfNotPresent, Never"
        ));
    }
    let namespace = super::namespace_of(kubectl, &parsed);
    let mut labels = serde_json::Map::new();
    match parsed.value("labels") {
        Some(text) => {
            for pair in text.split(',') {
                let Some((k, v)) = pair.split_once('=') else {
                    return Output::error(format!("error: unexpected label spec: {pair}"));
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
            Err(_) => return Output::error("error: --port must be a number"),
        }
    }
    let mut env: Vec<Value> = Vec::new();
    for entry in parsed.values("env") {
        match entry.split_once('=') {
            Some((key, value)) if !key.is_empty() => env.push(if value.is_empty() {
                json!({ "name": key })
            } else {
                json!({ "name": key, "value": value })
            }),
            _ => return Output::error(format!("error: invalid env: {entry}")),
        }
    }
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
    let mut metadata = json!({ "labels": labels, "name": name });
    for entry in parsed.values("annotations") {
        match entry.split_once('=') {
            Some((key, value)) if !key.is_empty() => {
                metadata["annotations"][key] = Value::String(value.to_string())
            }
            _ => return Output::error(format!("error: invalid annotation spec: {entry}")),
        }
    }
    // --expose: a ClusterIP Service selecting the pod's labels on --port (labelled only when
    // --labels was given, as kubectl's service generator does).
    let service = parsed.flag("expose").then(|| {
        let port: i64 = parsed
            .value("port")
            .and_then(|p| p.parse().ok())
            .unwrap_or_default();
        let mut service = json!({
            "apiVersion": "v1",
            "kind": "Service",
            "metadata": { "name": name },
            "spec": {
                "ports": [{ "port": port, "protocol": "TCP", "targetPort": port }],
                "selector": labels,
            },
            "status": { "loadBalancer": {} }
        });
        if parsed.is_set("labels") {
            service["metadata"]["labels"] = json!(labels);
        }
        if parsed.is_set("namespace") {
            service["metadata"]["namespace"] = Value::String(namespace.clone());
        }
        service
    });
    let manifest = json!({
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": metadata,
        "spec": { "containers": [container], "dnsPolicy": "ClusterFirst", "restartPolicy": restart },
        "status": {}
    });
    let mut manifest = manifest;
    // --overrides: a JSON merge patch over the generated object (kubectl's default
    // --override-type=merge).
    if let Some(overrides) = parsed.value("overrides") {
        match serde_json::from_str::<Value>(overrides) {
            Ok(patch) if patch.is_object() => model::merge::merge_patch(&mut manifest, &patch),
            Ok(_) | Err(_) => {
                return Output::error(format!(
                    "error: unable to parse \"{overrides}\": the overrides must be a JSON object"
                ))
            }
        }
    }
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
    if dry_run == Some("client") {
        if let Some(mut printed) = parsed
            .value("output")
            .and_then(|f| super::output::print_with_template(f, &manifest))
        {
            if let Some(more) = service.as_ref().and_then(|service| {
                super::output::print_with_template(parsed.value("output")?, service)
            }) {
                printed.append(more);
            }
            return printed;
        }
    }
    if dry_run.is_some() && matches!(parsed.value("output"), Some("yaml") | Some("json")) {
        let json = parsed.value("output") == Some("json");
        let print = |object: &Value| {
            if json {
                super::get::to_json_pretty(object) + "\n"
            } else {
                model::decode::json_to_yaml(object)
            }
        };
        let mut text = print(&manifest);
        if let Some(service) = &service {
            if !json {
                text.push_str("---\n");
            }
            text.push_str(&print(service));
        }
        return Output::ok(text);
    }
    match Object::from_json_value(manifest)
        .map(|o| super::apply::with_request_namespace(o, &namespace, false))
    {
        Ok(Ok(object)) => {
            let attached = (parsed.flag("stdin") || parsed.flag("attach")) && dry_run.is_none();
            if !attached {
                let mut created = super::create::create_object(
                    cluster,
                    object,
                    "",
                    dry_run,
                    parsed.value("output"),
                );
                if let Some(service) = service.filter(|_| created.exit_code == 0) {
                    match Object::from_json_value(service)
                        .map(|o| super::apply::with_request_namespace(o, &namespace, false))
                    {
                        Ok(Ok(service)) => created.append(super::create::create_object(
                            cluster,
                            service,
                            "",
                            dry_run,
                            parsed.value("output"),
                        )),
                        Ok(Err(e)) => created.append(Output::error(e)),
                        Err(e) => created.append(Output::error(format!("error: {}", e.message))),
                    }
                }
                return created;
            }
            let created = super::create::create_object(cluster, object, "", None, Some("name"));
            if created.exit_code != 0 {
                return created;
            }
            let interactive_shell = parsed.flag("stdin")
                && match parsed.after_dash_dash.as_deref() {
                    None | Some([]) => true,
                    Some([program]) => {
                        ["sh", "bash", "ash", "/bin/sh", "/bin/bash"].contains(&program.as_str())
                    }
                    Some(_) => false,
                };
            attach(
                cluster,
                &namespace,
                &name,
                parsed.flag("rm"),
                interactive_shell,
            )
        }
        Ok(Err(e)) => Output::error(e),
        Err(e) => Output::error(format!("error: {}", e.message)),
    }
}

/// How long `kubectl run -i`/`--attach` waits (simulated) for the container to finish.
const ATTACH_LIMIT_MILLIS: u64 = 300_000;

/// `kubectl run -i`/`--attach`: time passes until the pod's container has run and ended; what it
/// printed is shown, and with `--rm` the pod is deleted afterwards. An interactive shell cannot
/// be simulated: it says so (and still cleans up).
fn attach(
    cluster: &mut Cluster,
    namespace: &str,
    name: &str,
    remove: bool,
    interactive_shell: bool,
) -> Output {
    let Some(pods) = model::registry::resolve("pods") else {
        return Output::error("error: the server doesn't have a resource type \"pods\"");
    };
    let started = cluster.now();
    let mut out = Output::ok("");
    let finished = loop {
        let pod = match cluster.get(pods, namespace, name) {
            Ok(p) => p.to_json_value(),
            Err(e) => return Output::error(e.to_string()),
        };
        let status = &pod["status"]["containerStatuses"][0];
        let ended = pod["status"]["phase"] == "Succeeded"
            || pod["status"]["phase"] == "Failed"
            || status["lastState"]["terminated"].is_object()
            || status["state"]["terminated"].is_object();
        let running = status["state"]["running"].is_object();
        if interactive_shell && (running || ended) {
            break false;
        }
        if ended {
            break true;
        }
        if cluster.now().since(started).as_millis() >= ATTACH_LIMIT_MILLIS {
            break false;
        }
        cluster.advance(cluster::SimDuration(1_000));
    };
    if interactive_shell && !finished {
        out.stdout.push_str("All commands and output from this session will be recorded in container logs, including credentials and sensitive information passed through the command prompt.\nIf you don't see a command prompt, try pressing enter.\n");
        out.stderr.push_str("error: an interactive session is not simulated in this playground; run one command at a time, e.g. kubectl exec POD -- sh -c \"…\"\n");
        out.exit_code = 1;
    } else if !finished {
        out.stderr
            .push_str("error: timed out waiting for the condition\n");
        out.exit_code = 1;
    } else {
        let lines = cluster
            .logs(namespace, name, None, false)
            .or_else(|_| cluster.logs(namespace, name, None, true))
            .unwrap_or_default();
        for (_, line) in lines {
            out.stdout.push_str(&line);
            out.stdout.push('\n');
        }
        let pod = cluster
            .get(pods, namespace, name)
            .map(|p| p.to_json_value())
            .unwrap_or_default();
        let status = &pod["status"]["containerStatuses"][0];
        let code = status["state"]["terminated"]["exitCode"]
            .as_i64()
            .or_else(|| status["lastState"]["terminated"]["exitCode"].as_i64())
            .unwrap_or(0);
        if code != 0 {
            out.stderr
                .push_str(&format!("pod {namespace}/{name} terminated (Error)\n"));
            out.exit_code = 1;
        }
    }
    if remove {
        match cluster.delete(pods, namespace, name) {
            Ok(_) => out.stdout.push_str(&format!(
                "pod \"{name}\" deleted from {namespace} namespace\n"
            )),
            Err(e) => out.stderr.push_str(&format!("{e}\n")),
        }
    }
    out
}
