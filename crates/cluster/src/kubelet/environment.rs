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

/// A downward-API volume's `items`: each field (`fieldRef`) as a file at its path. (The
/// kubelet adds a trailing newline to neither.)
fn downward_api_files(
    pod: &Value,
    source: &Value,
    state: &KubeletPod,
    resource_value: &dyn Fn(&Value) -> String,
    files: &mut BTreeMap<String, String>,
) {
    for item in source["items"].as_array().into_iter().flatten() {
        let Some(path) = item["path"].as_str() else {
            continue;
        };
        let value = if let Some(field) = item["fieldRef"]["fieldPath"].as_str() {
            match field {
                // The whole map, one `key="value"` line each, as the kubelet writes it.
                "metadata.labels" | "metadata.annotations" => {
                    let key = &field["metadata.".len()..];
                    pod["metadata"][key]
                        .as_object()
                        .into_iter()
                        .flatten()
                        .map(|(k, v)| format!("{k}={:?}", v.as_str().unwrap_or("")))
                        .collect::<Vec<_>>()
                        .join("\n")
                }
                _ => field_value(pod, field, state),
            }
        } else if item["resourceFieldRef"].is_object() {
            // A container's request or limit (`limits.cpu` in `divisor` units), as in env.
            resource_value(&item["resourceFieldRef"])
        } else {
            continue;
        };
        files.insert(path.to_string(), value);
    }
}

/// The projected service-account token: a JWT in shape (header, claims, signature) naming the
/// pod, its account and namespace, issued when the pod started. The signature is not a real
/// one; nothing in the playground verifies it.
fn service_account_token(pod: &Value, source: &Value, state: &KubeletPod) -> String {
    let namespace = pod["metadata"]["namespace"].as_str().unwrap_or("default");
    let account = pod["spec"]["serviceAccountName"]
        .as_str()
        .unwrap_or("default");
    let audience = source["audience"]
        .as_str()
        .unwrap_or("https://kubernetes.default.svc.cluster.local");
    let expiration = source["expirationSeconds"].as_i64().unwrap_or(3607);
    let issued = state.seen_at.unix_seconds();
    let claims = serde_json::json!({
        "aud": [audience],
        "exp": issued.saturating_add(expiration),
        "iat": issued,
        "iss": crate::tokens::ISSUER,
        "kubernetes.io": {
            "namespace": namespace,
            "node": {"name": state.node},
            "pod": {
                "name": pod["metadata"]["name"],
                "uid": pod["metadata"]["uid"],
            },
            "serviceaccount": {"name": account},
        },
        "nbf": issued,
        "sub": format!("system:serviceaccount:{namespace}:{account}"),
    });
    crate::tokens::jwt(&claims)
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
        // The Services of the pod's namespace that exist as the container starts
        // (`enableServiceLinks`, on unless the pod says false), as docker links named them.
        if pod["spec"]["enableServiceLinks"].as_bool() != Some(false) {
            variables.extend(self.service_link_variables(namespace));
        }
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
            files: self.projected_files(pod, container, state)?,
            read_only: state.containers[index].read_only_mounts.clone(),
        })
    }

    /// `WEB_SERVICE_HOST`, `WEB_SERVICE_PORT`, `WEB_PORT_80_TCP_ADDR`, … for every Service of
    /// the namespace with a cluster IP (the `kubernetes` Service's are always there).
    fn service_link_variables(&self, namespace: &str) -> Vec<(String, String)> {
        let Some(services) = model::registry::resolve("services") else {
            return Vec::new();
        };
        let mut variables = Vec::new();
        for service in self.list(services, Some(namespace)) {
            let service = service.to_json_value();
            let name = service["metadata"]["name"].as_str().unwrap_or("");
            let ip = service["spec"]["clusterIP"].as_str().unwrap_or("");
            if (namespace == "default" && name == "kubernetes") || ip.is_empty() || ip == "None" {
                continue;
            }
            let prefix = name.to_ascii_uppercase().replace('-', "_");
            let ports: Vec<&Value> = service["spec"]["ports"]
                .as_array()
                .into_iter()
                .flatten()
                .collect();
            let Some(first) = ports.first() else {
                continue;
            };
            let port_of = |p: &Value| p["port"].as_i64().unwrap_or(0);
            let protocol_of = |p: &Value| p["protocol"].as_str().unwrap_or("TCP").to_string();
            variables.push((format!("{prefix}_SERVICE_HOST"), ip.to_string()));
            variables.push((format!("{prefix}_SERVICE_PORT"), port_of(first).to_string()));
            for port in &ports {
                if let Some(port_name) = port["name"].as_str().filter(|n| !n.is_empty()) {
                    variables.push((
                        format!(
                            "{prefix}_SERVICE_PORT_{}",
                            port_name.to_ascii_uppercase().replace('-', "_")
                        ),
                        port_of(port).to_string(),
                    ));
                }
            }
            variables.push((
                format!("{prefix}_PORT"),
                format!(
                    "{}://{ip}:{}",
                    protocol_of(first).to_ascii_lowercase(),
                    port_of(first)
                ),
            ));
            for port in &ports {
                let protocol = protocol_of(port);
                let number = port_of(port);
                let base = format!("{prefix}_PORT_{number}_{protocol}");
                let lower = protocol.to_ascii_lowercase();
                variables.push((base.clone(), format!("{lower}://{ip}:{number}")));
                variables.push((format!("{base}_PROTO"), lower));
                variables.push((format!("{base}_PORT"), number.to_string()));
                variables.push((format!("{base}_ADDR"), ip.to_string()));
            }
        }
        variables
    }

    /// The files of the container's ConfigMap, Secret, downward-API and projected volumes
    /// under their mount paths (each key a file, or only the listed `items`; a projected
    /// volume's sources side by side, its service-account token a signed-looking JWT). A
    /// missing ConfigMap/Secret or listed key that is not optional is an error (the kubelet
    /// reports it as FailedMount; here it keeps the container waiting): one line per volume
    /// that fails, a projected volume's failures listed together as upstream aggregates them.
    pub(super) fn projected_files(
        &self,
        pod: &Value,
        container: &Value,
        state: &KubeletPod,
    ) -> Result<BTreeMap<String, String>, String> {
        let mut files = BTreeMap::new();
        let mut failures: Vec<String> = Vec::new();
        let resource_value =
            |reference: &Value| self.resource_field_value(pod, container, reference, state);
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
            let mut volume_files = BTreeMap::new();
            let mut errors: Vec<String> = Vec::new();
            let mut collect = |result: Result<(), String>| {
                if let Err(error) = result {
                    errors.push(error);
                }
            };
            if volume["configMap"].is_object() {
                collect(self.config_volume_files(
                    pod,
                    &volume["configMap"],
                    "name",
                    false,
                    &mut volume_files,
                ));
            }
            if volume["secret"].is_object() {
                collect(self.config_volume_files(
                    pod,
                    &volume["secret"],
                    "secretName",
                    true,
                    &mut volume_files,
                ));
            }
            if volume["downwardAPI"].is_object() {
                downward_api_files(
                    pod,
                    &volume["downwardAPI"],
                    state,
                    &resource_value,
                    &mut volume_files,
                );
            }
            for source in volume["projected"]["sources"]
                .as_array()
                .into_iter()
                .flatten()
            {
                if source["configMap"].is_object() {
                    collect(self.config_volume_files(
                        pod,
                        &source["configMap"],
                        "name",
                        false,
                        &mut volume_files,
                    ));
                }
                if source["secret"].is_object() {
                    collect(self.config_volume_files(
                        pod,
                        &source["secret"],
                        "name",
                        true,
                        &mut volume_files,
                    ));
                }
                if source["downwardAPI"].is_object() {
                    downward_api_files(
                        pod,
                        &source["downwardAPI"],
                        state,
                        &resource_value,
                        &mut volume_files,
                    );
                }
                if let Some(path) = source["serviceAccountToken"]["path"].as_str() {
                    volume_files.insert(
                        path.to_string(),
                        service_account_token(pod, &source["serviceAccountToken"], state),
                    );
                }
            }
            if !errors.is_empty() {
                // Go's aggregate error: one error as it is, several (distinct) in brackets.
                let mut distinct: Vec<String> = Vec::new();
                for error in errors {
                    if !distinct.contains(&error) {
                        distinct.push(error);
                    }
                }
                let reason = if distinct.len() == 1 {
                    distinct.remove(0)
                } else {
                    format!("[{}]", distinct.join(", "))
                };
                let failure = format!("{MOUNT_FAILURE} \"{volume_name}\" : {reason}");
                if !failures.contains(&failure) {
                    failures.push(failure);
                }
                continue;
            }
            let base = mount_path.trim_end_matches('/');
            match mount["subPath"].as_str().filter(|s| !s.is_empty()) {
                Some(sub) => {
                    if let Some(text) = volume_files.remove(sub) {
                        files.insert(base.to_string(), text);
                    }
                }
                None => {
                    for (path, text) in volume_files {
                        files.insert(format!("{base}/{path}"), text);
                    }
                }
            }
        }
        if failures.is_empty() {
            Ok(files)
        } else {
            Err(failures.join("\n"))
        }
    }

    /// A ConfigMap's or Secret's keys as files (`items` picks and renames them), by path in
    /// the volume; a missing object or listed key that is not optional is the mount's failure,
    /// worded as upstream's volume plugins word it.
    fn config_volume_files(
        &self,
        pod: &Value,
        source: &Value,
        name_field: &str,
        secret: bool,
        files: &mut BTreeMap<String, String>,
    ) -> Result<(), String> {
        let namespace = pod["metadata"]["namespace"].as_str().unwrap_or("default");
        let Some(object) = source[name_field].as_str() else {
            return Ok(());
        };
        let kind = if secret { "secrets" } else { "configmaps" };
        let optional = source["optional"].as_bool() == Some(true);
        let data = match self.config_data(kind, namespace, object, secret) {
            Some(d) => d,
            None if optional => return Ok(()),
            None => {
                return Err(format!(
                    "{} \"{object}\" not found",
                    &kind[..kind.len() - 1]
                ))
            }
        };
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
            match data.get(&data_key) {
                Some(text) => {
                    files.insert(path, text.clone());
                }
                None if optional => {}
                None if secret => {
                    return Err(format!("references non-existent secret key: {data_key}"))
                }
                None => {
                    return Err(format!(
                        "configmap references non-existent config key: {data_key}"
                    ))
                }
            }
        }
        Ok(())
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

/// The `/etc/resolv.conf` the pod's containers get: the cluster DNS for `ClusterFirst` (and a
/// host-network pod with `ClusterFirstWithHostNet`), `dnsConfig` added to it, or only
/// `dnsConfig` with `None`. `None` for a pod that uses its node's resolver.
pub(super) fn resolv_conf(pod: &Value) -> Option<String> {
    let namespace = pod["metadata"]["namespace"].as_str().unwrap_or("default");
    let policy = pod["spec"]["dnsPolicy"].as_str().unwrap_or("ClusterFirst");
    let host_network = pod["spec"]["hostNetwork"].as_bool() == Some(true);
    let (mut searches, mut nameservers, mut options): (Vec<String>, Vec<String>, Vec<String>) =
        match policy {
            "ClusterFirstWithHostNet" => cluster_dns(namespace),
            "ClusterFirst" if !host_network => cluster_dns(namespace),
            "None" => (Vec::new(), Vec::new(), Vec::new()),
            _ => return None,
        };
    let config = &pod["spec"]["dnsConfig"];
    nameservers.extend(super::string_list(&config["nameservers"]));
    searches.extend(super::string_list(&config["searches"]));
    for option in config["options"].as_array().into_iter().flatten() {
        let Some(name) = option["name"].as_str() else {
            continue;
        };
        let text = match option["value"].as_str() {
            Some(value) => format!("{name}:{value}"),
            None => name.to_string(),
        };
        // A pod's option replaces the cluster's of the same name (ndots:2 over ndots:5).
        options.retain(|o| o.split(':').next() != Some(name));
        options.push(text);
    }
    let mut text = String::new();
    if !searches.is_empty() {
        text.push_str(&format!("search {}\n", searches.join(" ")));
    }
    for server in &nameservers {
        text.push_str(&format!("nameserver {server}\n"));
    }
    if !options.is_empty() {
        text.push_str(&format!("options {}\n", options.join(" ")));
    }
    Some(text)
}

fn cluster_dns(namespace: &str) -> (Vec<String>, Vec<String>, Vec<String>) {
    (
        vec![
            format!("{namespace}.svc.cluster.local"),
            "svc.cluster.local".to_string(),
            "cluster.local".to_string(),
        ],
        vec!["10.96.0.10".to_string()],
        vec!["ndots:5".to_string()],
    )
}

/// The `/etc/hosts` the kubelet writes for a pod (not a host-network one): localhost, the
/// IPv6 names, the pod's own line (its FQDN first when it has a subdomain), and `hostAliases`.
pub(super) fn hosts_file(pod: &Value, pod_ip: &str, hostname: &str) -> Option<String> {
    if pod["spec"]["hostNetwork"].as_bool() == Some(true) || pod_ip.is_empty() {
        return None;
    }
    let mut text = String::from("# Kubernetes-managed hosts file.\n127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\nfe00::0\tip6-localnet\nfe00::0\tip6-mcastprefix\nfe00::1\tip6-allnodes\nfe00::2\tip6-allrouters\n");
    match pod["spec"]["subdomain"].as_str().filter(|s| !s.is_empty()) {
        Some(subdomain) => {
            let namespace = pod["metadata"]["namespace"].as_str().unwrap_or("default");
            text.push_str(&format!(
                "{pod_ip}\t{hostname}.{subdomain}.{namespace}.svc.cluster.local\t{hostname}\n"
            ));
        }
        None => text.push_str(&format!("{pod_ip}\t{hostname}\n")),
    }
    let aliases = pod["spec"]["hostAliases"].as_array();
    if aliases.is_some_and(|a| !a.is_empty()) {
        text.push_str("\n# Entries added by HostAliases.\n");
        for alias in aliases.into_iter().flatten() {
            let names: Vec<&str> = alias["hostnames"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .collect();
            text.push_str(&format!(
                "{}\t{}\n",
                alias["ip"].as_str().unwrap_or(""),
                names.join("\t")
            ));
        }
    }
    Some(text)
}

/// What the pod's other containers have written into emptyDir volumes this container mounts,
/// as it stands at `at`, under this container's mount paths: an init container's output is
/// there for the containers that start after it (later writes reach it live, see
/// `shared_volumes`).
pub(super) fn shared_empty_dir_files(
    state: &KubeletPod,
    index: usize,
    at: SimTime,
) -> BTreeMap<String, String> {
    let mine = &state.containers[index].empty_dir_mounts;
    let mut files = BTreeMap::new();
    if mine.is_empty() {
        return files;
    }
    for (other_index, other) in state.containers.iter().enumerate() {
        if other_index == index {
            continue;
        }
        let Some(process) = other.process.as_ref() else {
            continue;
        };
        let written = process.files_at(at);
        for (volume, their_path) in &other.empty_dir_mounts {
            for (_, my_path) in mine.iter().filter(|(v, _)| v == volume) {
                let prefix = format!("{their_path}/");
                for (path, text) in written.iter().filter(|(p, _)| p.starts_with(&prefix)) {
                    files.insert(format!("{my_path}/{}", &path[prefix.len()..]), text.clone());
                }
            }
        }
    }
    files
}
