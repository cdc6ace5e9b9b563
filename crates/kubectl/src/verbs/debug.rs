//! `kubectl debug`: troubleshooting sessions.
//!
//! - `kubectl debug POD --image=IMG [-c NAME] [--target=C] [-it] [-- CMD…]` adds an ephemeral
//!   container to the running pod (the `ephemeralcontainers` subresource); the pod's kubelet
//!   starts it at once and never restarts it.
//! - `kubectl debug POD --copy-to=NEW [--image=IMG] [--set-image=C=IMG,…] [--container=C]
//!   [-- CMD…]` creates a copy of the pod (without its labels and probes unless kept) with a
//!   debug container added or a container changed.
//! - `kubectl debug node/NODE --image=IMG [-it]` creates a pod on the node in its host
//!   namespaces with the node's root filesystem at `/host`.
//!
//! An interactive session (`-it`) is not simulated: the debug container keeps running and
//! `kubectl exec POD -c NAME -- COMMAND` runs commands in it.

use cluster::Cluster;
use serde_json::{json, Value};

use crate::flags::{self, boolean, value};
use crate::{Kubectl, Output};

const PROFILES: &[&str] = &[
    "legacy",
    "general",
    "baseline",
    "netadmin",
    "restricted",
    "sysadmin",
];

/// What kubectl prints when it attaches a terminal, and what the playground adds.
fn interactive_notice(out: &mut Output, pod: &str, container: &str) {
    out.stderr.push_str("All commands and output from this session will be recorded in container logs, including credentials and sensitive information passed through the command prompt.\nIf you don't see a command prompt, try pressing enter.\n");
    out.stderr.push_str(&format!(
        "error: an interactive session is not simulated in this playground; the debug container keeps running: kubectl exec {pod} -c {container} -- COMMAND\n"
    ));
    out.exit_code = 1;
}

/// The debug container's `securityContext` for a profile (`general` adds SYS_PTRACE, as
/// kubectl's does for process debugging; `sysadmin` is privileged).
fn profile_security(profile: &str, node: bool) -> Option<Value> {
    match profile {
        "general" if !node => Some(json!({ "capabilities": { "add": ["SYS_PTRACE"] } })),
        "baseline" | "restricted" => Some(json!({
            "allowPrivilegeEscalation": false,
            "capabilities": { "drop": ["ALL"] },
            "runAsNonRoot": profile == "restricted",
            "seccompProfile": { "type": "RuntimeDefault" },
        })),
        "netadmin" => Some(json!({ "capabilities": { "add": ["NET_ADMIN", "NET_RAW"] } })),
        "sysadmin" => Some(json!({ "privileged": true })),
        _ => None,
    }
}

pub(crate) fn debug(kubectl: &mut Kubectl, cluster: &mut Cluster, args: &[String]) -> Output {
    let specs = [
        boolean("arguments-only", None),
        boolean("attach", None),
        value("container", Some('c')),
        value("copy-to", None),
        value("custom", None),
        value("env", None),
        value("filename", Some('f')),
        value("image", None),
        value("image-pull-policy", None),
        boolean("keep-annotations", None),
        boolean("keep-init-containers", None),
        boolean("keep-labels", None),
        boolean("keep-liveness", None),
        boolean("keep-readiness", None),
        boolean("keep-startup", None),
        value("profile", None),
        boolean("quiet", Some('q')),
        boolean("replace", None),
        boolean("same-node", None),
        value("set-image", None),
        boolean("share-processes", None),
        boolean("stdin", Some('i')),
        value("target", None),
        boolean("tty", Some('t')),
    ];
    let parsed = match flags::parse(args, &specs, "debug") {
        Ok(p) => p,
        Err(e) => return Output::error(e),
    };
    let namespace = super::namespace_of(kubectl, &parsed);
    let image = parsed.value("image").map(str::to_string);
    let copy_to = parsed.value("copy-to").map(str::to_string);
    if image.is_none() && copy_to.is_none() {
        return Output::error("error: you must specify --image when not using --copy-to.");
    }
    let profile = parsed.value("profile").unwrap_or("general").to_string();
    if !PROFILES.contains(&profile.as_str()) {
        return Output::error(format!("error: unknown profile: {profile}"));
    }
    if !parsed.values("filename").is_empty() {
        return Output::error("error: kubectl debug -f is not available in this playground yet; name the pod instead (kubectl debug POD …)");
    }
    let [target] = parsed.positionals.as_slice() else {
        return Output::error(if parsed.positionals.is_empty() {
            "error: NAME or filename is required for debug"
        } else {
            "error: only one of NAME or --filename may be given for debug"
        });
    };
    let interactive = parsed.flag("stdin");
    let tty = parsed.flag("tty");
    let command: Vec<String> = parsed.after_dash_dash.clone().unwrap_or_default();
    let quiet = parsed.flag("quiet");
    let env: Vec<Value> = parsed
        .values("env")
        .iter()
        .filter_map(|e| e.split_once('='))
        .map(|(k, v)| json!({ "name": k, "value": v }))
        .collect();
    let seed_text = format!("{target}/{}", cluster.now().0);
    let debug_container = |name: &str, image: &str, node: bool| -> Value {
        let mut container = json!({
            "name": name,
            "image": image,
            "terminationMessagePolicy": "File",
            "resources": {},
        });
        if let Some(policy) = parsed.value("image-pull-policy") {
            container["imagePullPolicy"] = json!(policy);
        }
        if !command.is_empty() {
            let key = if parsed.flag("arguments-only") {
                "args"
            } else {
                "command"
            };
            container[key] = json!(command);
        }
        if interactive {
            container["stdin"] = json!(true);
        }
        if tty {
            container["tty"] = json!(true);
        }
        if !env.is_empty() {
            container["env"] = json!(env);
        }
        if let Some(security) = profile_security(&profile, node) {
            container["securityContext"] = security;
        }
        container
    };

    // node/NAME: a pod in the node's host namespaces.
    if let Some(node) = target
        .strip_prefix("node/")
        .or_else(|| target.strip_prefix("nodes/"))
    {
        if copy_to.is_some() {
            return Output::error("error: --copy-to is not supported when debugging a node");
        }
        let nodes = model::registry::resolve("nodes").expect("registered");
        if let Err(e) = cluster.get(nodes, "", node) {
            return Output::error(e.to_string());
        }
        let suffix = super::create_input::random_suffix(cluster.seed(), &seed_text);
        let pod_name = format!("node-debugger-{node}-{suffix}");
        let mut container = debug_container("debugger", image.as_deref().unwrap_or(""), true);
        container["volumeMounts"] = json!([{ "mountPath": "/host", "name": "host-root" }]);
        let pod = json!({
            "apiVersion": "v1",
            "kind": "Pod",
            "metadata": { "name": pod_name, "namespace": namespace },
            "spec": {
                "containers": [container],
                "hostIPC": true,
                "hostNetwork": true,
                "hostPID": true,
                "nodeName": node,
                "restartPolicy": "Never",
                "tolerations": [{ "operator": "Exists" }],
                "volumes": [{ "name": "host-root", "hostPath": { "path": "/" } }],
            },
        });
        let created = create_pod(cluster, pod);
        if created.exit_code != 0 {
            return created;
        }
        let mut out = Output::ok("");
        if !quiet {
            out.stderr.push_str(&format!(
                "Creating debugging pod {pod_name} with container debugger on node {node}.\n"
            ));
        }
        if interactive && tty {
            interactive_notice(&mut out, &pod_name, "debugger");
        }
        return out;
    }

    let pod = match super::logs::pod_for_name(cluster, &namespace, target) {
        Ok(p) => p,
        Err(o) => return o,
    };
    let pod_name = pod["metadata"]["name"].as_str().unwrap_or("").to_string();
    let mut out = Output::ok("");
    let generated_name = || {
        format!(
            "debugger-{}",
            super::create_input::random_suffix(cluster.seed(), &seed_text)
        )
    };

    if let Some(copy_name) = copy_to {
        return copy_pod(
            cluster,
            &parsed,
            &pod,
            &copy_name,
            &namespace,
            |name, image| debug_container(name, image, false),
            generated_name(),
            interactive && tty,
        );
    }

    let image = image.unwrap_or_default();
    let name = match parsed.value("container") {
        Some(name) => name.to_string(),
        None => {
            let name = generated_name();
            if !quiet {
                out.stderr
                    .push_str(&format!("Defaulting debug container name to {name}.\n"));
            }
            name
        }
    };
    let mut container = debug_container(&name, &image, false);
    if let Some(target) = parsed.value("target") {
        container["targetContainerName"] = json!(target);
        if !quiet {
            out.stderr.insert_str(0, &format!("Targeting container \"{target}\". If you don't see processes from this container it may be because the container runtime doesn't support this feature.\n"));
        }
    }
    if let Err(error) = cluster.add_ephemeral_container(&namespace, &pod_name, container) {
        return Output::error(format!("{error}"));
    }
    if interactive && tty {
        interactive_notice(&mut out, &pod_name, &name);
    }
    out
}

fn create_pod(cluster: &mut Cluster, pod: Value) -> Output {
    match model::Object::from_json_value(pod) {
        Ok(object) => {
            let created = super::create::create_object(cluster, object, "", None, Some("name"));
            if created.exit_code != 0 {
                return created;
            }
            Output::ok("")
        }
        Err(e) => Output::error(format!("error: {e}")),
    }
}

/// `--copy-to`: a new pod from the old one's spec (no node, so the scheduler places it unless
/// `--same-node`; labels, annotations and probes dropped unless kept), with images changed by
/// `--set-image`, and either the container named by `--container` changed or a debug container
/// added.
#[allow(clippy::too_many_arguments)]
fn copy_pod(
    cluster: &mut Cluster,
    parsed: &crate::flags::ParsedArgs,
    pod: &Value,
    copy_name: &str,
    namespace: &str,
    debug_container: impl Fn(&str, &str) -> Value,
    generated_name: String,
    attach: bool,
) -> Output {
    let mut out = Output::ok("");
    let mut spec = pod["spec"].clone();
    let node = spec["nodeName"].clone();
    if let Some(map) = spec.as_object_mut() {
        map.remove("nodeName");
        map.remove("ephemeralContainers");
    }
    if parsed.flag("same-node") {
        spec["nodeName"] = node;
    }
    if !parsed.flag("keep-init-containers") && parsed.is_set("keep-init-containers") {
        if let Some(map) = spec.as_object_mut() {
            map.remove("initContainers");
        }
    }
    if !parsed.is_set("share-processes") || parsed.flag("share-processes") {
        spec["shareProcessNamespace"] = json!(true);
    }
    let containers = spec["containers"].as_array_mut();
    let Some(containers) = containers else {
        return Output::error("error: the pod has no containers");
    };
    for container in containers.iter_mut() {
        if let Some(map) = container.as_object_mut() {
            for (flag, key) in [
                ("keep-liveness", "livenessProbe"),
                ("keep-readiness", "readinessProbe"),
                ("keep-startup", "startupProbe"),
            ] {
                if !parsed.flag(flag) {
                    map.remove(key);
                }
            }
        }
    }
    for setting in parsed.values("set-image") {
        for pair in setting.split(',') {
            let Some((name, image)) = pair.split_once('=') else {
                return Output::error(format!(
                    "error: --set-image takes NAME=IMAGE pairs, got \"{pair}\""
                ));
            };
            for container in containers.iter_mut() {
                if name == "*" || container["name"] == name {
                    container["image"] = json!(image);
                }
            }
        }
    }
    let image = parsed.value("image");
    let command = parsed.after_dash_dash.clone().unwrap_or_default();
    let chosen = parsed.value("container").map(str::to_string);
    let existing = chosen
        .as_ref()
        .and_then(|name| containers.iter_mut().find(|c| c["name"] == name.as_str()));
    let attached_name = match existing {
        Some(container) => {
            if let Some(image) = image {
                container["image"] = json!(image);
            }
            if !command.is_empty() {
                container["command"] = json!(command);
                if let Some(map) = container.as_object_mut() {
                    map.remove("args");
                }
            }
            if attach {
                container["stdin"] = json!(true);
                container["tty"] = json!(true);
            }
            container["name"].as_str().unwrap_or("").to_string()
        }
        None => match image {
            Some(image) => {
                let name = chosen.unwrap_or_else(|| {
                    out.stderr.push_str(&format!(
                        "Defaulting debug container name to {generated_name}.\n"
                    ));
                    generated_name.clone()
                });
                containers.push(debug_container(&name, image));
                name
            }
            None => String::new(),
        },
    };
    let mut metadata = json!({ "name": copy_name, "namespace": namespace });
    if parsed.flag("keep-labels") {
        metadata["labels"] = pod["metadata"]["labels"].clone();
    }
    if parsed.flag("keep-annotations") {
        metadata["annotations"] = pod["metadata"]["annotations"].clone();
    }
    if parsed.flag("replace") {
        let pods = model::registry::resolve("pods").expect("registered");
        if let Err(e) = cluster.delete(
            pods,
            namespace,
            pod["metadata"]["name"].as_str().unwrap_or(""),
        ) {
            return Output::error(e.to_string());
        }
    }
    let copy = json!({ "apiVersion": "v1", "kind": "Pod", "metadata": metadata, "spec": spec });
    let created = create_pod(cluster, copy);
    if created.exit_code != 0 {
        let mut failed = created;
        failed.stderr.insert_str(0, &out.stderr);
        return failed;
    }
    if attach && !attached_name.is_empty() {
        interactive_notice(&mut out, copy_name, &attached_name);
    }
    out
}
