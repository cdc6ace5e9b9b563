//! `kubectl expose (TYPE NAME | TYPE/NAME)`: a Service for a Pod, Deployment, ReplicaSet,
//! ReplicationController, StatefulSet or Service, selecting what it selects, on the port given
//! (or the ports its pod template declares), as kubectl's service generator writes it.

use cluster::Cluster;
use model::Object;
use serde_json::{json, Map, Value};

use crate::flags::{self, value};
use crate::{Kubectl, Output};

/// A selector and the ports `(port, protocol)` found on the exposed object.
type SelectorAndPorts = (Map<String, Value>, Vec<(i64, String)>);

/// The selector and ports of the object being exposed.
fn selector_and_ports(object: &Value, kind: &str) -> Result<SelectorAndPorts, String> {
    let (selector, pod_spec) = match kind {
        "Pod" => (object["metadata"]["labels"].clone(), &object["spec"]),
        "Service" => (object["spec"]["selector"].clone(), &Value::Null),
        "ReplicationController" => (
            object["spec"]["selector"].clone(),
            &object["spec"]["template"]["spec"],
        ),
        "Deployment" | "ReplicaSet" | "StatefulSet" => {
            let selector = &object["spec"]["selector"];
            if selector["matchExpressions"]
                .as_array()
                .is_some_and(|e| !e.is_empty())
            {
                return Err("couldn't convert expressions - \"".to_string()
                    + &selector["matchExpressions"].to_string()
                    + "\" to map-based selector format");
            }
            (
                selector["matchLabels"].clone(),
                &object["spec"]["template"]["spec"],
            )
        }
        other => return Err(format!("cannot expose a {other}")),
    };
    let selector = selector.as_object().cloned().unwrap_or_default();
    let mut ports: Vec<(i64, String)> = Vec::new();
    if kind == "Service" {
        for port in object["spec"]["ports"].as_array().into_iter().flatten() {
            if let Some(p) = port["port"].as_i64() {
                ports.push((p, port["protocol"].as_str().unwrap_or("TCP").to_string()));
            }
        }
    }
    for container in pod_spec["containers"].as_array().into_iter().flatten() {
        for port in container["ports"].as_array().into_iter().flatten() {
            if let Some(p) = port["containerPort"].as_i64() {
                ports.push((p, port["protocol"].as_str().unwrap_or("TCP").to_string()));
            }
        }
    }
    Ok((selector, ports))
}

pub(crate) fn expose(kubectl: &mut Kubectl, cluster: &mut Cluster, args: &[String]) -> Output {
    let specs = [
        value("port", None),
        value("target-port", None),
        value("protocol", None),
        value("type", None),
        value("name", None),
        value("selector", None),
        value("labels", Some('l')),
        value("external-ip", None),
        value("cluster-ip", None),
        value("session-affinity", None),
        value("load-balancer-ip", None),
        value("dry-run", None),
        value("output", Some('o')),
        value("filename", Some('f')),
        value("overrides", None),
    ];
    let parsed = match flags::parse(args, &specs, "expose") {
        Ok(p) => p,
        Err(e) => return Output::error(e),
    };
    let namespace = super::namespace_of(kubectl, &parsed);
    let words = &parsed.positionals;
    let (resource, name) = match super::resource_and_name(words) {
        Ok(found) => found,
        Err(o) => return o,
    };
    if let Err(denied) = super::check_access(
        cluster,
        &parsed,
        "get",
        resource,
        Some(&namespace),
        Some(&name),
    ) {
        return denied;
    }
    let object = match cluster.get(resource, &namespace, &name) {
        Ok(o) => o.to_json_value(),
        Err(e) => return Output::error(e.to_string()),
    };
    let kind = resource.kind;
    let (mut selector, introspected) = match selector_and_ports(&object, kind) {
        Ok(found) => found,
        Err(message) if message.starts_with("cannot expose") => {
            return Output::error(format!(
                "error: cannot expose a {} ({})",
                kind,
                resource.qualified_plural()
            ))
        }
        Err(message) => return Output::error(format!("error: {message}")),
    };
    if let Some(text) = parsed.value("selector") {
        selector = Map::new();
        for pair in text.split(',') {
            if let Some((k, v)) = pair.split_once('=') {
                selector.insert(k.trim().into(), json!(v.trim()));
            }
        }
    }
    if selector.is_empty() {
        return Output::error(format!("error: couldn't retrieve selectors via --selector flag or introspection: the {} has no labels to select", kind));
    }
    let protocol_flag = parsed.value("protocol");
    let ports: Vec<(i64, String)> = match parsed.value("port") {
        Some(text) => {
            let mut ports = Vec::new();
            for part in text.split(',') {
                match part.trim().parse::<i64>() {
                    Ok(p) => ports.push((p, protocol_flag.unwrap_or("TCP").to_string())),
                    Err(_) => return Output::error(format!("error: invalid port \"{part}\"")),
                }
            }
            ports
        }
        None => introspected
            .into_iter()
            .map(|(p, proto)| (p, protocol_flag.map(str::to_string).unwrap_or(proto)))
            .collect(),
    };
    if ports.is_empty() {
        return Output::error("error: couldn't find port via --port flag or introspection\nSee 'kubectl expose -h' for help and examples");
    }
    let target_port = parsed.value("target-port");
    let many = ports.len() > 1;
    let ports_json: Vec<Value> = ports
        .iter()
        .enumerate()
        .map(|(i, (port, protocol))| {
            let mut p = json!({ "port": port, "protocol": protocol });
            if many {
                p["name"] = json!(format!("port-{}", i + 1));
            }
            p["targetPort"] = match target_port {
                Some(t) => t
                    .parse::<i64>()
                    .map(|n| json!(n))
                    .unwrap_or_else(|_| json!(t)),
                None => json!(port),
            };
            p
        })
        .collect();
    let service_name = parsed
        .value("name")
        .map(str::to_string)
        .unwrap_or_else(|| name.clone());
    let mut metadata = json!({ "name": service_name });
    let labels = match parsed.value("labels") {
        Some(text) => {
            let mut map = Map::new();
            for pair in text.split(',') {
                if let Some((k, v)) = pair.split_once('=') {
                    map.insert(k.into(), json!(v));
                }
            }
            Value::Object(map)
        }
        None => object["metadata"]["labels"].clone(),
    };
    if labels.as_object().is_some_and(|l| !l.is_empty()) {
        metadata["labels"] = labels;
    }
    let mut spec = json!({ "ports": ports_json, "selector": selector });
    if let Some(kind) = parsed.value("type") {
        spec["type"] = json!(kind);
    }
    if let Some(ip) = parsed.value("external-ip") {
        spec["externalIPs"] = json!([ip]);
    }
    if let Some(ip) = parsed.value("cluster-ip") {
        spec["clusterIP"] = json!(ip);
    }
    if let Some(affinity) = parsed.value("session-affinity") {
        spec["sessionAffinity"] = json!(affinity);
    }
    let manifest = json!({
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": metadata,
        "spec": spec,
        "status": { "loadBalancer": {} },
    });
    let dry_run = parsed.value("dry-run").filter(|d| *d != "none");
    if dry_run == Some("client") {
        if let Some(printed) = parsed
            .value("output")
            .and_then(|f| super::output::print_with_template(f, &manifest))
        {
            return printed;
        }
    }
    if dry_run.is_some() && matches!(parsed.value("output"), Some("yaml") | Some("json")) {
        return if parsed.value("output") == Some("json") {
            Output::ok(super::get::to_json_pretty(&manifest) + "\n")
        } else {
            Output::ok(model::decode::json_to_yaml(&manifest))
        };
    }
    let mut manifest = manifest;
    manifest["metadata"]["namespace"] = json!(namespace);
    let object = match Object::from_json_value(manifest) {
        Ok(o) => o,
        Err(e) => return Output::error(format!("error: {}", e.message)),
    };
    let services = model::registry::resolve("services").expect("registered");
    if let Err(denied) =
        super::check_access(cluster, &parsed, "create", services, Some(&namespace), None)
    {
        return denied;
    }
    let reference = super::object_ref(services, object.name());
    if dry_run.is_some() {
        return super::apply::print_result(
            &object,
            &format!("{reference} exposed (dry run)"),
            parsed.value("output"),
        );
    }
    match cluster.create(object) {
        Ok(stored) => super::apply::print_result(
            &stored,
            &format!("{reference} exposed"),
            parsed.value("output"),
        ),
        Err(e) => Output::error(super::server_error(&e, None, "creating")),
    }
}
