//! `kubectl create -f` and the generators (`create deployment|namespace|configmap|service`).

use cluster::Cluster;
use model::Object;
use serde_json::{json, Value};

use crate::flags::{self, boolean, value};
use crate::{Kubectl, Output, Workspace};

const CREATE_FLAGS: &[flags::FlagSpec] = &[
    value("filename", Some('f')),
    boolean("recursive", Some('R')),
    value("output", Some('o')),
    value("dry-run", None),
    boolean("save-config", None),
    value("validate", None),
    value("image", None),
    value("replicas", Some('r')),
    value("port", None),
    value("from-literal", None),
    value("from-file", None),
    value("from-env-file", None),
    value("tcp", None),
    value("type", None),
    value("external-name", None),
    value("node-port", None),
    value("field-manager", None),
];

pub(crate) fn create(
    kubectl: &mut Kubectl,
    cluster: &mut Cluster,
    args: &[String],
    workspace: &dyn Workspace,
) -> Output {
    let command = match args
        .iter()
        .find(|a| !a.starts_with('-'))
        .map(String::as_str)
    {
        Some(
            sub @ ("deployment" | "deploy" | "namespace" | "ns" | "configmap" | "cm" | "service"
            | "svc"),
        ) => format!("create {sub}"),
        _ => "create".to_string(),
    };
    let parsed = match flags::parse(args, CREATE_FLAGS, &command) {
        Ok(p) => p,
        Err(e) => return Output::error(e),
    };
    let namespace = super::namespace_of(kubectl, &parsed);
    let dry_run = parsed.value("dry-run").filter(|d| *d != "none");
    let output_format = parsed.value("output");

    if !parsed.values("filename").is_empty() {
        let sources = match super::read_sources(parsed.values("filename"), workspace) {
            Ok(s) => s,
            Err(e) => return Output::error(e),
        };
        let mut output = Output::default();
        for (source, text) in sources {
            let objects = match model::decode_documents(&text) {
                Ok(o) => o,
                Err(e) => {
                    output.append(Output::error(super::decode_error_message(
                        &source, &e, "creating",
                    )));
                    continue;
                }
            };
            for object in objects {
                match super::apply::with_request_namespace(
                    object,
                    &namespace,
                    parsed.is_set("namespace"),
                ) {
                    Ok(object) => output.append(create_object(
                        cluster,
                        object,
                        &source,
                        dry_run,
                        output_format,
                    )),
                    Err(e) => output.append(Output::error(e)),
                }
            }
        }
        return output;
    }

    let Some(generator) = parsed.positionals.first() else {
        return Output::error(
            "error: must specify one of -f and -k\n\nSee 'kubectl create -h' for help and examples",
        );
    };
    let name = parsed.positionals.get(1).cloned();
    let generated = match generator.as_str() {
        "deployment" | "deploy" => generate_deployment(&parsed, name),
        "namespace" | "ns" => generate_namespace(name),
        "configmap" | "cm" => generate_configmap(&parsed, name, workspace),
        "service" | "svc" => generate_service(&parsed),
        other => {
            return Output::error(format!(
                "error: unknown command \"{other}\" for \"kubectl create\" (generators available here: configmap, deployment, namespace, service)"
            ))
        }
    };
    let mut manifest = match generated {
        Ok(m) => m,
        Err(e) => return Output::error(e),
    };
    // Generators name the namespace only when -n was given; the request namespace fills it.
    if parsed.is_set("namespace") && manifest["kind"] != "Namespace" {
        manifest["metadata"]["namespace"] = Value::String(namespace.clone());
    }
    if dry_run.is_some() && matches!(output_format, Some("yaml") | Some("json")) {
        // kubectl prints the generated object as it would send it.
        return if output_format == Some("json") {
            Output::ok(super::get::to_json_pretty(&manifest) + "\n")
        } else {
            Output::ok(model::decode::json_to_yaml(&manifest))
        };
    }
    let object = match Object::from_json_value(manifest) {
        Ok(object) => super::apply::with_request_namespace(object, &namespace, false)
            .unwrap_or_else(|_| unreachable!("no namespace set yet")),
        Err(e) => return Output::error(format!("error: {}", e.message)),
    };
    let mut result = create_object(cluster, object, "", dry_run, output_format);
    if result.exit_code != 0 && matches!(generator.as_str(), "deployment" | "deploy") {
        // This generator wraps server errors in its own words.
        let message = result
            .stderr
            .trim_end()
            .trim_start_matches("Error from server (AlreadyExists): ")
            .trim_start_matches("Error from server (NotFound): ")
            .to_string();
        result.stderr = format!("error: failed to create deployment: {message}\n");
    }
    result
}

pub(crate) fn create_object(
    cluster: &mut Cluster,
    object: Object,
    source: &str,
    dry_run: Option<&str>,
    output_format: Option<&str>,
) -> Output {
    let resource = object.resource_type();
    let reference = super::object_ref(resource, object.name());
    if let Some(mode) = dry_run {
        let suffix = if mode == "server" {
            "server dry run"
        } else {
            "dry run"
        };
        return super::apply::print_result(
            &object,
            &format!("{reference} created ({suffix})"),
            output_format,
        );
    }
    match cluster.create(object) {
        Ok(stored) => super::apply::print_result(
            &stored,
            &format!("{} created", super::object_ref(resource, stored.name())),
            output_format,
        ),
        Err(e) => Output::error(super::server_error(&e, Some(source), "creating")),
    }
}

/// The container name kubectl derives from an image: `registry.k8s.io/echoserver:1.4` → `echoserver`.
fn container_name_for(image: &str) -> String {
    let without_digest = image.split('@').next().unwrap_or(image);
    let last = without_digest.rsplit('/').next().unwrap_or(without_digest);
    let base = last.split(':').next().unwrap_or(last);
    base.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect::<String>()
        .trim_matches('-')
        .to_string()
}

fn require_name(name: Option<String>, usage: &str) -> Result<String, String> {
    name.ok_or_else(|| {
        format!(
            "error: exactly one NAME is required, got 0\nSee '{usage} -h' for help and examples"
        )
    })
}

fn generate_deployment(parsed: &flags::ParsedArgs, name: Option<String>) -> Result<Value, String> {
    let name = require_name(name, "kubectl create deployment")?;
    let images = parsed.values("image");
    if images.is_empty() {
        return Err("error: required flag(s) \"image\" not set".to_string());
    }
    let replicas: i64 = parsed
        .value("replicas")
        .unwrap_or("1")
        .parse()
        .map_err(|_| "error: invalid argument for --replicas".to_string())?;
    let mut containers: Vec<Value> = images
        .iter()
        .map(|image| json!({ "image": image, "name": container_name_for(image), "resources": {} }))
        .collect();
    if let (Some(port), Some(first)) = (parsed.value("port"), containers.first_mut()) {
        let port: i64 = port
            .parse()
            .map_err(|_| format!("error: invalid argument \"{port}\" for \"--port\" flag"))?;
        first["ports"] = json!([{ "containerPort": port }]);
    }
    if let (Some(command), Some(first)) = (parsed.after_dash_dash.as_ref(), containers.first_mut())
    {
        first["command"] = json!(command);
    }
    Ok(json!({
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": { "labels": { "app": name }, "name": name },
        "spec": {
            "replicas": replicas,
            "selector": { "matchLabels": { "app": name } },
            "strategy": {},
            "template": {
                "metadata": { "labels": { "app": name } },
                "spec": { "containers": containers }
            }
        },
        "status": {}
    }))
}

fn generate_namespace(name: Option<String>) -> Result<Value, String> {
    let name = require_name(name, "kubectl create namespace")?;
    Ok(
        json!({ "apiVersion": "v1", "kind": "Namespace", "metadata": { "name": name }, "spec": {}, "status": {} }),
    )
}

fn generate_configmap(
    parsed: &flags::ParsedArgs,
    name: Option<String>,
    workspace: &dyn Workspace,
) -> Result<Value, String> {
    let name = require_name(name, "kubectl create configmap")?;
    let mut data = serde_json::Map::new();
    for literal in parsed.values("from-literal") {
        let Some((key, value)) = literal.split_once('=') else {
            return Err(format!(
                "error: invalid literal source {literal}, expected key=value"
            ));
        };
        if data.contains_key(key) {
            return Err(format!("error: cannot add key {key}, another key by that name already exists in Data for ConfigMap \"{name}\""));
        }
        data.insert(key.to_string(), Value::String(value.to_string()));
    }
    for file in parsed.values("from-file") {
        let (key, path) = match file.split_once('=') {
            Some((k, p)) => (k.to_string(), p.to_string()),
            None => (
                file.rsplit('/').next().unwrap_or(file).to_string(),
                file.clone(),
            ),
        };
        let text = workspace
            .read_file(&path)
            .map_err(|_| format!("error: error reading {path}: no such file or directory"))?;
        data.insert(key, Value::String(text));
    }
    for file in parsed.values("from-env-file") {
        let text = workspace
            .read_file(file)
            .map_err(|_| format!("error: error reading {file}: no such file or directory"))?;
        for line in text
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
        {
            let (key, value) = line.split_once('=').unwrap_or((line, ""));
            data.insert(key.to_string(), Value::String(value.to_string()));
        }
    }
    let mut manifest =
        json!({ "apiVersion": "v1", "kind": "ConfigMap", "metadata": { "name": name } });
    if !data.is_empty() {
        manifest["data"] = Value::Object(data);
    }
    Ok(manifest)
}

fn generate_service(parsed: &flags::ParsedArgs) -> Result<Value, String> {
    let kind = parsed.positionals.get(1).map(String::as_str).unwrap_or("");
    let service_type = match kind {
        "clusterip" => "ClusterIP",
        "nodeport" => "NodePort",
        "loadbalancer" => "LoadBalancer",
        "externalname" => "ExternalName",
        "" => return Err(
            "error: must specify a service type: clusterip, externalname, loadbalancer or nodeport"
                .to_string(),
        ),
        other => {
            return Err(format!(
                "error: unknown command \"{other}\" for \"kubectl create service\""
            ))
        }
    };
    let name = require_name(
        parsed.positionals.get(2).cloned(),
        &format!("kubectl create service {kind}"),
    )?;
    let mut ports = Vec::new();
    for tcp in parsed.values("tcp").iter().flat_map(|t| t.split(',')) {
        let (port, target) = tcp.split_once(':').unwrap_or((tcp, tcp));
        let port: i64 = port
            .parse()
            .map_err(|_| format!("error: invalid port \"{tcp}\""))?;
        let target_value: Value = target
            .parse::<i64>()
            .map(Value::from)
            .unwrap_or_else(|_| Value::String(target.to_string()));
        let mut entry = json!({ "name": format!("{port}-{target}"), "port": port, "protocol": "TCP", "targetPort": target_value });
        if let Some(node_port) = parsed
            .value("node-port")
            .and_then(|n| n.parse::<i64>().ok())
        {
            entry["nodePort"] = json!(node_port);
        }
        ports.push(entry);
    }
    let mut spec = json!({ "type": service_type });
    if service_type == "ExternalName" {
        let external = parsed
            .value("external-name")
            .ok_or("error: required flag(s) \"external-name\" not set")?;
        spec["externalName"] = json!(external);
    } else {
        if ports.is_empty() {
            return Err("error: required flag(s) \"tcp\" not set".to_string());
        }
        spec["ports"] = json!(ports);
        spec["selector"] = json!({ "app": name });
    }
    if service_type == "ClusterIP" && parsed.value("clusterip") == Some("None") {
        spec["clusterIP"] = json!("None");
    }
    Ok(json!({
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": { "labels": { "app": name }, "name": name },
        "spec": spec,
        "status": { "loadBalancer": {} }
    }))
}

#[cfg(test)]
mod tests {
    #[test]
    fn container_names_come_from_the_image() {
        assert_eq!(super::container_name_for("nginx:1.27"), "nginx");
        assert_eq!(
            super::container_name_for("registry.k8s.io/echoserver:1.4"),
            "echoserver"
        );
        assert_eq!(
            super::container_name_for("gcr.io/google-samples/hello_app@sha256:abc"),
            "hello-app"
        );
    }
}
