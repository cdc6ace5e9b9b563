//! `kubectl port-forward TYPE/NAME [LOCAL:]REMOTE…`: forwards ports of "this machine" to a pod
//! (for a Service, deployment, … the pod kubectl picks, and a Service's port becomes its
//! targetPort). The forward runs in the background — in a script the next lines can `curl
//! http://localhost:LOCAL/`, in the page the terminal stays usable — until its pod goes away,
//! as the real command ends when its pod terminates.

use cluster::traffic::PortForward;
use cluster::Cluster;
use serde_json::Value;

use crate::flags::{self, value};
use crate::{Kubectl, Output};

/// A requested mapping: the local port (`None` for a random one) and the remote port as typed
/// (a number or a port name).
struct Mapping {
    local: Option<u16>,
    remote: String,
}

fn parse_mapping(text: &str) -> Result<Mapping, String> {
    let (local, remote) = match text.split_once(':') {
        Some((local, remote)) => (local, remote),
        None => (text, text),
    };
    let local = if local.is_empty() {
        None
    } else {
        match local.parse::<u16>() {
            Ok(port) if port > 0 => Some(port),
            _ => return Err(format!("error: Error parsing local port '{local}': strconv.ParseUint: parsing \"{local}\": invalid syntax")),
        }
    };
    if remote.is_empty() {
        return Err(format!(
            "error: Error parsing remote port '{remote}': strconv.ParseUint: parsing \"\": invalid syntax"
        ));
    }
    Ok(Mapping {
        local,
        remote: remote.to_string(),
    })
}

/// A container port of the pod by number or by name.
fn container_port(pod: &Value, wanted: &str) -> Option<u16> {
    if let Ok(number) = wanted.parse::<u16>() {
        return Some(number);
    }
    pod["spec"]["containers"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|c| c["ports"].as_array().into_iter().flatten())
        .find(|p| p["name"] == wanted)
        .and_then(|p| p["containerPort"].as_u64())
        .and_then(|p| u16::try_from(p).ok())
}

pub(crate) fn port_forward(
    kubectl: &mut Kubectl,
    cluster: &mut Cluster,
    args: &[String],
) -> Output {
    let specs = [value("address", None), value("pod-running-timeout", None)];
    let parsed = match flags::parse(args, &specs, "port-forward") {
        Ok(p) => p,
        Err(e) => return Output::error(e),
    };
    let namespace = super::namespace_of(kubectl, &parsed);
    let [target, ports @ ..] = parsed.positionals.as_slice() else {
        return Output::error("error: TYPE/NAME and list of ports are required for port-forward\nSee 'kubectl port-forward -h' for help and examples");
    };
    if ports.is_empty() {
        return Output::error("error: TYPE/NAME and list of ports are required for port-forward\nSee 'kubectl port-forward -h' for help and examples");
    }
    let mut mappings = Vec::new();
    for text in ports {
        match parse_mapping(text) {
            Ok(m) => mappings.push(m),
            Err(e) => return Output::error(e),
        }
    }
    let addresses: Vec<String> = parsed
        .value("address")
        .unwrap_or("localhost")
        .split(',')
        .map(str::to_string)
        .collect();
    let pod = match super::logs::pod_for_name(cluster, &namespace, target) {
        Ok(p) => p,
        Err(o) => return o,
    };
    // kubectl reads the pod, then the API server authorizes `create pods/portforward`.
    let pod_name_checked = pod["metadata"]["name"].as_str().unwrap_or("");
    if let Err(denied) = super::check_pod_connect(
        cluster,
        &parsed,
        &namespace,
        pod_name_checked,
        "portforward",
    ) {
        return denied;
    }
    // A Service's port is translated to the targetPort the pod serves it on.
    let service = target
        .split_once('/')
        .filter(|(kind, _)| ["svc", "service", "services"].contains(kind))
        .and_then(|(_, name)| {
            let services = model::registry::resolve("services")?;
            cluster.get(services, &namespace, name).ok()
        })
        .map(|s| s.to_json_value());
    let pod_name = pod["metadata"]["name"].as_str().unwrap_or("").to_string();
    let mut resolved = Vec::new();
    for mapping in &mappings {
        let remote = match &service {
            Some(service) => {
                let port = service["spec"]["ports"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .find(|p| {
                        p["name"] == mapping.remote.as_str()
                            || p["port"].as_u64().map(|n| n.to_string()).as_deref()
                                == Some(mapping.remote.as_str())
                    });
                let Some(port) = port else {
                    return Output::error(format!(
                        "error: Service {} does not have a service port {}",
                        service["metadata"]["name"].as_str().unwrap_or(""),
                        mapping.remote
                    ));
                };
                match &port["targetPort"] {
                    Value::Number(n) => n.to_string(),
                    Value::String(s) => s.clone(),
                    _ => port["port"].to_string(),
                }
            }
            None => mapping.remote.clone(),
        };
        let Some(remote_port) = container_port(&pod, &remote) else {
            return Output::error(format!(
                "error: Pod '{pod_name}' does not have a named port '{remote}'"
            ));
        };
        let local = mapping.local.unwrap_or_else(|| {
            // An ephemeral port, chosen the same way for the same seed and moment.
            let draw = cluster::rng::fnv_parts(&[&pod_name, &remote_port.to_string()]);
            32768 + (draw % 28232) as u16
        });
        resolved.push((local, remote_port));
    }
    let phase = pod["status"]["phase"].as_str().unwrap_or("Pending");
    if phase != "Running" {
        return Output::error(format!(
            "error: unable to forward port because pod is not running. Current status={phase}"
        ));
    }
    let uid = pod["metadata"]["uid"].as_str().unwrap_or("").to_string();
    let mut out = Output::ok("");
    for (local, remote) in resolved {
        let forward = PortForward {
            namespace: namespace.clone(),
            pod: pod_name.clone(),
            pod_uid: uid.clone(),
            port: remote,
        };
        if !cluster.start_port_forward(local, forward) {
            let listeners: Vec<String> = addresses
                .iter()
                .flat_map(|a| match a.as_str() {
                    "localhost" => vec![
                        format!("unable to create listener: Error listen tcp4 127.0.0.1:{local}: bind: address already in use"),
                        format!("unable to create listener: Error listen tcp6 [::1]:{local}: bind: address already in use"),
                    ],
                    other => vec![format!("unable to create listener: Error listen tcp4 {other}:{local}: bind: address already in use")],
                })
                .collect();
            out.stderr.push_str(&format!(
                "Unable to listen on port {local}: Listeners failed to create with the following errors: [{}]\nerror: unable to listen on any of the requested ports: [{{{local} {remote}}}]\n",
                listeners.join(" ")
            ));
            out.exit_code = 1;
            return out;
        }
        for address in &addresses {
            match address.as_str() {
                "localhost" => out.stdout.push_str(&format!(
                    "Forwarding from 127.0.0.1:{local} -> {remote}\nForwarding from [::1]:{local} -> {remote}\n"
                )),
                other => out
                    .stdout
                    .push_str(&format!("Forwarding from {other}:{local} -> {remote}\n")),
            }
        }
    }
    out
}
