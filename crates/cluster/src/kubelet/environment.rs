//! What a container starts with: its environment (`env` values with `$(VAR)` references,
//! fieldRef and resourceFieldRef from the downward API, ConfigMap/Secret keys, `envFrom`, the
//! `kubernetes` Service's variables) and the files of its ConfigMap/Secret volumes.

use super::*;

/// Decodes standard base64 (Secret data); `None` if it is not base64.
pub(super) fn decode_base64(text: &str) -> Option<String> {
    String::from_utf8(crate::certificates::base64_bytes(text)?).ok()
}

/// `$(VAR)` references to earlier variables in an `env` value, as the kubelet expands them.
pub(super) fn expand_dependent(value: &str, earlier: &[(String, String)]) -> String {
    let mut out = String::new();
    let mut rest = value;
    while let Some(start) = rest.find("$(") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        match after.find(')') {
            Some(end) => {
                let name = &after[..end];
                match earlier.iter().rev().find(|(n, _)| n == name) {
                    Some((_, v)) => out.push_str(v),
                    None => out.push_str(&rest[start..start + 2 + end + 1]),
                }
                rest = &after[end + 1..];
            }
            None => {
                out.push_str(&rest[start..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

pub(super) fn field_value(pod: &Value, field: &str, state: &KubeletPod) -> String {
    let text = |v: &Value| v.as_str().unwrap_or("").to_string();
    match field {
        "metadata.name" => text(&pod["metadata"]["name"]),
        "metadata.namespace" => text(&pod["metadata"]["namespace"]),
        "metadata.uid" => text(&pod["metadata"]["uid"]),
        "spec.nodeName" => state.node.clone(),
        "spec.serviceAccountName" => text(&pod["spec"]["serviceAccountName"]),
        "status.podIP" => state.pod_ip.clone().unwrap_or_default(),
        "status.hostIP" => text(&pod["status"]["hostIP"]),
        other => {
            for (prefix, key) in [
                ("metadata.labels['", "labels"),
                ("metadata.annotations['", "annotations"),
            ] {
                if let Some(name) = other
                    .strip_prefix(prefix)
                    .and_then(|r| r.strip_suffix("']"))
                {
                    return text(&pod["metadata"][key][name]);
                }
            }
            String::new()
        }
    }
}

impl Cluster {
    /// The container's environment: `env` (values, fieldRefs, ConfigMap/Secret keys), `envFrom`,
    /// and the `kubernetes` Service's variables; a missing ConfigMap/Secret is an error.
    pub(super) fn container_environment(
        &self,
        pod: &Value,
        state: &KubeletPod,
        index: usize,
    ) -> Result<ProcessEnvironment, String> {
        let container = &state.containers[index].spec;
        let namespace = pod["metadata"]["namespace"].as_str().unwrap_or("default");
        let mut variables: Vec<(String, String)> = vec![
            ("KUBERNETES_SERVICE_HOST".into(), "10.96.0.1".into()),
            ("KUBERNETES_SERVICE_PORT".into(), "443".into()),
            ("KUBERNETES_SERVICE_PORT_HTTPS".into(), "443".into()),
            ("KUBERNETES_PORT".into(), "tcp://10.96.0.1:443".into()),
            (
                "KUBERNETES_PORT_443_TCP".into(),
                "tcp://10.96.0.1:443".into(),
            ),
            ("KUBERNETES_PORT_443_TCP_PROTO".into(), "tcp".into()),
            ("KUBERNETES_PORT_443_TCP_PORT".into(), "443".into()),
            ("KUBERNETES_PORT_443_TCP_ADDR".into(), "10.96.0.1".into()),
        ];
        for source in container["envFrom"].as_array().into_iter().flatten() {
            let prefix = source["prefix"].as_str().unwrap_or("");
            for (key, kind, secret) in [
                ("configMapRef", "configmaps", false),
                ("secretRef", "secrets", true),
            ] {
                let Some(name) = source[key]["name"].as_str() else {
                    continue;
                };
                let optional = source[key]["optional"].as_bool() == Some(true);
                match self.config_data(kind, namespace, name, secret) {
                    Some(data) => {
                        for (k, v) in data {
                            variables.push((format!("{prefix}{k}"), v));
                        }
                    }
                    None if optional => {}
                    None => {
                        return Err(format!("{} \"{name}\" not found", &kind[..kind.len() - 1]))
                    }
                }
            }
        }
        for entry in container["env"].as_array().into_iter().flatten() {
            let Some(name) = entry["name"].as_str() else {
                continue;
            };
            let value = if let Some(v) = entry["value"].as_str() {
                expand_dependent(v, &variables)
            } else if let Some(field) = entry["valueFrom"]["fieldRef"]["fieldPath"].as_str() {
                field_value(pod, field, state)
            } else if entry["valueFrom"]["resourceFieldRef"].is_object() {
                self.resource_field_value(
                    pod,
                    container,
                    &entry["valueFrom"]["resourceFieldRef"],
                    state,
                )
            } else {
                let mut found = None;
                for (key, kind, secret) in [
                    ("configMapKeyRef", "configmaps", false),
                    ("secretKeyRef", "secrets", true),
                ] {
                    let reference = &entry["valueFrom"][key];
                    let Some(object) = reference["name"].as_str() else {
                        continue;
                    };
                    let wanted = reference["key"].as_str().unwrap_or("");
                    let optional = reference["optional"].as_bool() == Some(true);
                    let singular = &kind[..kind.len() - 1];
                    match self.config_data(kind, namespace, object, secret) {
                        Some(data) => match data.get(wanted) {
                            Some(v) => found = Some(v.clone()),
                            None if optional => found = Some(String::new()),
                            None => {
                                return Err(format!(
                                    "couldn't find key {wanted} in {} {namespace}/{object}",
                                    if secret { "Secret" } else { "ConfigMap" }
                                ))
                            }
                        },
                        None if optional => found = Some(String::new()),
                        None => return Err(format!("{singular} \"{object}\" not found")),
                    }
                }
                found.unwrap_or_default()
            };
            variables.push((name.to_string(), value));
        }
        let hostname = pod["spec"]["hostname"]
            .as_str()
            .or(pod["metadata"]["name"].as_str())
            .unwrap_or("")
            .to_string();
        Ok(ProcessEnvironment {
            variables,
            hostname,
            namespace: namespace.to_string(),
            seed: fnv(pod["metadata"]["uid"].as_str().unwrap_or("")),
            files: self.projected_files(pod, container)?,
        })
    }

    /// The files of the container's ConfigMap and Secret volumes under their mount paths (each
    /// key a file, or only the listed `items`). A missing ConfigMap/Secret that is not optional
    /// is an error (the kubelet reports it as FailedMount; here it keeps the container waiting).
    pub(super) fn projected_files(
        &self,
        pod: &Value,
        container: &Value,
    ) -> Result<BTreeMap<String, String>, String> {
        let namespace = pod["metadata"]["namespace"].as_str().unwrap_or("default");
        let mut files = BTreeMap::new();
        for mount in container["volumeMounts"].as_array().into_iter().flatten() {
            let (Some(volume_name), Some(mount_path)) =
                (mount["name"].as_str(), mount["mountPath"].as_str())
            else {
                continue;
            };
            let Some(volume) = pod["spec"]["volumes"]
                .as_array()
                .into_iter()
                .flatten()
                .find(|v| v["name"] == volume_name)
            else {
                continue;
            };
            for (key, kind, name_field, secret) in [
                ("configMap", "configmaps", "name", false),
                ("secret", "secrets", "secretName", true),
            ] {
                let source = &volume[key];
                let Some(object) = source[name_field].as_str() else {
                    continue;
                };
                let optional = source["optional"].as_bool() == Some(true);
                let data = match self.config_data(kind, namespace, object, secret) {
                    Some(d) => d,
                    None if optional => continue,
                    None => {
                        return Err(format!(
                            "{MOUNT_FAILURE} \"{volume_name}\" : {} \"{object}\" not found",
                            &kind[..kind.len() - 1]
                        ))
                    }
                };
                let base = mount_path.trim_end_matches('/');
                let sub_path = mount["subPath"].as_str().filter(|s| !s.is_empty());
                let items: Vec<(String, String)> = match source["items"].as_array() {
                    Some(items) => items
                        .iter()
                        .filter_map(|i| {
                            Some((
                                i["key"].as_str()?.to_string(),
                                i["path"].as_str()?.to_string(),
                            ))
                        })
                        .collect(),
                    None => data.keys().map(|k| (k.clone(), k.clone())).collect(),
                };
                for (data_key, path) in items {
                    let Some(text) = data.get(&data_key) else {
                        continue;
                    };
                    match sub_path {
                        Some(sub) if sub == path => {
                            files.insert(base.to_string(), text.clone());
                        }
                        Some(_) => {}
                        None => {
                            files.insert(format!("{base}/{path}"), text.clone());
                        }
                    }
                }
            }
        }
        Ok(files)
    }

    /// A downward-API `resourceFieldRef` (`limits.cpu`, `requests.memory`, …) divided by its
    /// divisor and rounded up; a limit that is not set is the node's allocatable amount.
    pub(super) fn resource_field_value(
        &self,
        pod: &Value,
        own: &Value,
        reference: &Value,
        state: &KubeletPod,
    ) -> String {
        use model::quantity::Quantity;
        let resource = reference["resource"].as_str().unwrap_or("");
        let container = match reference["containerName"].as_str() {
            Some(name) => pod["spec"]["containers"]
                .as_array()
                .into_iter()
                .flatten()
                .find(|c| c["name"] == name)
                .unwrap_or(own),
            None => own,
        };
        let Some((kind, name)) = resource.split_once('.') else {
            return String::new();
        };
        let mut amount = container["resources"][kind][name]
            .as_str()
            .map(str::to_string)
            .or_else(|| {
                container["resources"][kind][name]
                    .as_i64()
                    .map(|n| n.to_string())
            });
        if amount.is_none() && kind == "requests" {
            amount = container["resources"]["limits"][name]
                .as_str()
                .map(str::to_string);
        }
        let amount = amount.or_else(|| {
            if kind != "limits" {
                return Some("0".to_string());
            }
            let nodes = self.list(model::registry::resolve("nodes")?, None);
            nodes.iter().find(|n| n.name() == state.node).and_then(|n| {
                n.to_json_value()["status"]["allocatable"][name]
                    .as_str()
                    .map(str::to_string)
            })
        });
        let value = amount.as_deref().and_then(|a| Quantity::parse(a).ok());
        let divisor = match &reference["divisor"] {
            Value::String(d) => Quantity::parse(d).ok(),
            Value::Number(n) => Quantity::parse(&n.to_string()).ok(),
            _ => None,
        }
        .filter(|d| !d.is_zero())
        .unwrap_or_else(|| Quantity::from_units(1, model::quantity::Format::DecimalSI));
        match value {
            Some(v) => {
                let (n, d) = (v.nanos(), divisor.nanos());
                let quotient = n / d + i128::from(n % d != 0 && n > 0);
                quotient.to_string()
            }
            None => String::new(),
        }
    }

    pub(super) fn config_data(
        &self,
        kind: &str,
        namespace: &str,
        name: &str,
        secret: bool,
    ) -> Option<BTreeMap<String, String>> {
        let resource = model::registry::resolve(kind)?;
        let object = self.get(resource, namespace, name).ok()?.to_json_value();
        let mut data = BTreeMap::new();
        for (k, v) in object["data"].as_object().into_iter().flatten() {
            let text = v.as_str().unwrap_or("");
            let text = if secret {
                decode_base64(text).unwrap_or_default()
            } else {
                text.to_string()
            };
            data.insert(k.clone(), text);
        }
        Some(data)
    }
}

/// What the pod's other containers have written into emptyDir volumes this container mounts,
/// as it stands at `at`, under this container's mount paths: an init container's output is
/// there for the containers that start after it. (A file written after this container started
/// does not appear in it: sharing is at start, not live.)
pub(super) fn shared_empty_dir_files(
    pod: &Value,
    state: &KubeletPod,
    index: usize,
    at: SimTime,
) -> BTreeMap<String, String> {
    let empty_dirs: Vec<&str> = pod["spec"]["volumes"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|v| v.get("emptyDir").is_some())
        .filter_map(|v| v["name"].as_str())
        .collect();
    let mounts_of = |spec: &Value| -> Vec<(String, String)> {
        spec["volumeMounts"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|m| {
                let name = m["name"].as_str()?;
                let path = m["mountPath"].as_str()?;
                empty_dirs
                    .contains(&name)
                    .then(|| (name.to_string(), path.trim_end_matches('/').to_string()))
            })
            .collect()
    };
    let mine = mounts_of(&state.containers[index].spec);
    let mut files = BTreeMap::new();
    for (other_index, other) in state.containers.iter().enumerate() {
        if other_index == index {
            continue;
        }
        let Some(process) = other.process.as_ref() else {
            continue;
        };
        let written = process.files_at(at);
        for (volume, their_path) in mounts_of(&other.spec) {
            for (_, my_path) in mine.iter().filter(|(v, _)| *v == volume) {
                let prefix = format!("{their_path}/");
                for (path, text) in written.iter().filter(|(p, _)| p.starts_with(&prefix)) {
                    files.insert(format!("{my_path}/{}", &path[prefix.len()..]), text.clone());
                }
            }
        }
    }
    files
}
