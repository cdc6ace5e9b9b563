//! Per-kind table columns, as the API server's table convertor and kubectl print them.
//! Cells are computed from the object's JSON form so that every kind is handled the same way.

use cluster::SimTime;
use model::Object;
use serde_json::Value;

use crate::table::human_duration;

/// Column headers for a kind (`wide` adds the `-o wide` columns).
pub fn headers(kind: &str, wide: bool) -> Vec<&'static str> {
    let (normal, extra): (&[&str], &[&str]) = match kind {
        "Pod" => (
            &["NAME", "READY", "STATUS", "RESTARTS", "AGE"],
            &["IP", "NODE", "NOMINATED NODE", "READINESS GATES"],
        ),
        "Deployment" => (
            &["NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE"],
            &["CONTAINERS", "IMAGES", "SELECTOR"],
        ),
        "ReplicaSet" => (
            &["NAME", "DESIRED", "CURRENT", "READY", "AGE"],
            &["CONTAINERS", "IMAGES", "SELECTOR"],
        ),
        "ReplicationController" => (
            &["NAME", "DESIRED", "CURRENT", "READY", "AGE"],
            &["CONTAINERS", "IMAGES", "SELECTOR"],
        ),
        "DaemonSet" => (
            &[
                "NAME",
                "DESIRED",
                "CURRENT",
                "READY",
                "UP-TO-DATE",
                "AVAILABLE",
                "NODE SELECTOR",
                "AGE",
            ],
            &["CONTAINERS", "IMAGES", "SELECTOR"],
        ),
        "StatefulSet" => (&["NAME", "READY", "AGE"], &["CONTAINERS", "IMAGES"]),
        "Job" => (
            &["NAME", "STATUS", "COMPLETIONS", "DURATION", "AGE"],
            &["CONTAINERS", "IMAGES", "SELECTOR"],
        ),
        "CronJob" => (
            &[
                "NAME",
                "SCHEDULE",
                "TIMEZONE",
                "SUSPEND",
                "ACTIVE",
                "LAST SCHEDULE",
                "AGE",
            ],
            &["CONTAINERS", "IMAGES", "SELECTOR"],
        ),
        "Service" => (
            &[
                "NAME",
                "TYPE",
                "CLUSTER-IP",
                "EXTERNAL-IP",
                "PORT(S)",
                "AGE",
            ],
            &["SELECTOR"],
        ),
        "Endpoints" => (&["NAME", "ENDPOINTS", "AGE"], &[]),
        "EndpointSlice" => (&["NAME", "ADDRESSTYPE", "PORTS", "ENDPOINTS", "AGE"], &[]),
        "Ingress" => (&["NAME", "CLASS", "HOSTS", "ADDRESS", "PORTS", "AGE"], &[]),
        "IngressClass" => (&["NAME", "CONTROLLER", "PARAMETERS", "AGE"], &[]),
        "ConfigMap" => (&["NAME", "DATA", "AGE"], &[]),
        "Secret" => (&["NAME", "TYPE", "DATA", "AGE"], &[]),
        "Namespace" => (&["NAME", "STATUS", "AGE"], &[]),
        "Node" => (
            &["NAME", "STATUS", "ROLES", "AGE", "VERSION"],
            &[
                "INTERNAL-IP",
                "EXTERNAL-IP",
                "OS-IMAGE",
                "KERNEL-VERSION",
                "CONTAINER-RUNTIME",
            ],
        ),
        "PersistentVolume" => (
            &[
                "NAME",
                "CAPACITY",
                "ACCESS MODES",
                "RECLAIM POLICY",
                "STATUS",
                "CLAIM",
                "STORAGECLASS",
                "VOLUMEATTRIBUTESCLASS",
                "REASON",
                "AGE",
            ],
            &["VOLUMEMODE"],
        ),
        "PersistentVolumeClaim" => (
            &[
                "NAME",
                "STATUS",
                "VOLUME",
                "CAPACITY",
                "ACCESS MODES",
                "STORAGECLASS",
                "VOLUMEATTRIBUTESCLASS",
                "AGE",
            ],
            &["VOLUMEMODE"],
        ),
        "StorageClass" => (
            &[
                "NAME",
                "PROVISIONER",
                "RECLAIMPOLICY",
                "VOLUMEBINDINGMODE",
                "ALLOWVOLUMEEXPANSION",
                "AGE",
            ],
            &[],
        ),
        "ServiceAccount" => (&["NAME", "SECRETS", "AGE"], &[]),
        "ControllerRevision" => (&["NAME", "CONTROLLER", "REVISION", "AGE"], &[]),
        "Lease" => (&["NAME", "HOLDER", "AGE"], &[]),
        "Role" | "ClusterRole" | "LimitRange" => (&["NAME", "CREATED AT"], &[]),
        "RoleBinding" | "ClusterRoleBinding" => (
            &["NAME", "ROLE", "AGE"],
            &["USERS", "GROUPS", "SERVICEACCOUNTS"],
        ),
        "HorizontalPodAutoscaler" => (
            &[
                "NAME",
                "REFERENCE",
                "TARGETS",
                "MINPODS",
                "MAXPODS",
                "REPLICAS",
                "AGE",
            ],
            &[],
        ),
        "PodDisruptionBudget" => (
            &[
                "NAME",
                "MIN AVAILABLE",
                "MAX UNAVAILABLE",
                "ALLOWED DISRUPTIONS",
                "AGE",
            ],
            &[],
        ),
        "NetworkPolicy" => (&["NAME", "POD-SELECTOR", "AGE"], &[]),
        "PriorityClass" => (
            &["NAME", "VALUE", "GLOBAL-DEFAULT", "AGE", "PREEMPTIONPOLICY"],
            &[],
        ),
        "ResourceQuota" => (&["NAME", "REQUEST", "LIMIT", "AGE"], &[]),
        "Event" => (
            &["LAST SEEN", "TYPE", "REASON", "OBJECT", "MESSAGE"],
            &["SUBOBJECT", "SOURCE", "FIRST SEEN", "COUNT", "NAME"],
        ),
        _ => (&["NAME", "AGE"], &[]),
    };
    let mut headers = normal.to_vec();
    if wide {
        headers.extend_from_slice(extra);
    }
    headers
}

fn at<'a>(value: &'a Value, path: &str) -> &'a Value {
    path.split('.')
        .fold(value, |v, key| match key.parse::<usize>() {
            Ok(index) if v.is_array() => &v[index],
            _ => &v[key],
        })
}

fn text(value: &Value, path: &str) -> String {
    match at(value, path) {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        Value::Bool(b) => b.to_string(),
        _ => String::new(),
    }
}

fn int(value: &Value, path: &str) -> i64 {
    at(value, path).as_i64().unwrap_or(0)
}

fn or_none(s: String) -> String {
    if s.is_empty() {
        "<none>".to_string()
    } else {
        s
    }
}

fn items<'a>(value: &'a Value, path: &str) -> &'a [Value] {
    at(value, path).as_array().map(Vec::as_slice).unwrap_or(&[])
}

fn map_len(value: &Value, path: &str) -> usize {
    at(value, path).as_object().map_or(0, |m| m.len())
}

fn age(value: &Value, now: SimTime) -> String {
    timestamp_age(&text(value, "metadata.creationTimestamp"), now)
}

/// The age of an RFC 3339 timestamp on the simulated clock; `<unknown>` when absent.
pub fn timestamp_age(timestamp: &str, now: SimTime) -> String {
    match timestamp.parse::<model::k8s_openapi::jiff::Timestamp>() {
        Ok(t) => {
            let since = now.unix_seconds() - t.as_second();
            if since < -1 {
                "<invalid>".to_string()
            } else {
                human_duration(since.max(0) as u64 * 1000)
            }
        }
        Err(_) => "<unknown>".to_string(),
    }
}

fn selector_text(selector: &Value) -> String {
    let mut parts: Vec<String> = selector["matchLabels"]
        .as_object()
        .map(|m| {
            m.iter()
                .map(|(k, v)| format!("{k}={}", v.as_str().unwrap_or("")))
                .collect()
        })
        .unwrap_or_default();
    for expression in selector["matchExpressions"]
        .as_array()
        .into_iter()
        .flatten()
    {
        let key = text(expression, "key");
        let values: Vec<&str> = expression["values"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|v| v.as_str())
            .collect();
        parts.push(match text(expression, "operator").as_str() {
            "In" => format!("{key} in ({})", values.join(",")),
            "NotIn" => format!("{key} notin ({})", values.join(",")),
            "Exists" => key,
            "DoesNotExist" => format!("!{key}"),
            _ => String::new(),
        });
    }
    parts.join(",")
}

fn map_text(value: &Value) -> String {
    value
        .as_object()
        .map(|m| {
            m.iter()
                .map(|(k, v)| format!("{k}={}", v.as_str().unwrap_or("")))
                .collect::<Vec<_>>()
                .join(",")
        })
        .unwrap_or_default()
}

fn containers_and_images(template_spec: &Value) -> (String, String) {
    let containers = items(template_spec, "containers");
    let names: Vec<String> = containers.iter().map(|c| text(c, "name")).collect();
    let images: Vec<String> = containers.iter().map(|c| text(c, "image")).collect();
    (names.join(","), images.join(","))
}

/// The STATUS column of `kubectl get pods`, with upstream's precedence: the pod's reason, then
/// init containers (`Init:0/1`, `Init:CrashLoopBackOff`), then containers' waiting/terminated
/// reasons, then `Terminating` for a pod being deleted.
pub fn pod_status(pod: &Value) -> String {
    pod_status_and_counting(pod).0
}

/// The STATUS column, and whether the pod's app containers count (its RESTARTS are then the
/// sidecars' and app containers', not the regular init containers').
fn pod_status_and_counting(pod: &Value) -> (String, bool) {
    let mut reason = text(pod, "status.phase");
    let status_reason = text(pod, "status.reason");
    if !status_reason.is_empty() {
        reason = status_reason;
    }
    // A pod held back by scheduling gates says so.
    if items(pod, "status.conditions")
        .iter()
        .any(|c| c["type"] == "PodScheduled" && c["reason"] == "SchedulingGated")
    {
        reason = "SchedulingGated".to_string();
    }
    let init_statuses = items(pod, "status.initContainerStatuses");
    let init_total = items(pod, "spec.initContainers").len();
    let mut initializing = false;
    for (i, status) in init_statuses.iter().enumerate() {
        let terminated = &status["state"]["terminated"];
        let waiting = &status["state"]["waiting"];
        let restartable = items(pod, "spec.initContainers")
            .get(i)
            .is_some_and(|c| text(c, "restartPolicy") == "Always");
        if terminated.is_object() && int(terminated, "exitCode") == 0 {
            continue;
        }
        if restartable && status["started"].as_bool() == Some(true) {
            continue;
        }
        if terminated.is_object() {
            let r = text(terminated, "reason");
            reason = if r.is_empty() {
                let signal = int(terminated, "signal");
                if signal != 0 {
                    format!("Init:Signal:{signal}")
                } else {
                    format!("Init:ExitCode:{}", int(terminated, "exitCode"))
                }
            } else {
                format!("Init:{r}")
            };
        } else if waiting.is_object()
            && !text(waiting, "reason").is_empty()
            && text(waiting, "reason") != "PodInitializing"
        {
            reason = format!("Init:{}", text(waiting, "reason"));
        } else {
            reason = format!("Init:{i}/{init_total}");
        }
        initializing = true;
        break;
    }
    // Once the pod is Initialized, its containers decide (a sidecar stopped after the main
    // containers finished does not make a completed pod `Init:Error`).
    let initialized = items(pod, "status.conditions")
        .iter()
        .any(|c| text(c, "type") == "Initialized" && text(c, "status") == "True");
    let containers_count = !initializing || initialized;
    if containers_count {
        let mut has_running = false;
        for status in items(pod, "status.containerStatuses").iter().rev() {
            let waiting = &status["state"]["waiting"];
            let terminated = &status["state"]["terminated"];
            if waiting.is_object() && !text(waiting, "reason").is_empty() {
                reason = text(waiting, "reason");
            } else if terminated.is_object() {
                let r = text(terminated, "reason");
                reason = if !r.is_empty() {
                    r
                } else if int(terminated, "signal") != 0 {
                    format!("Signal:{}", int(terminated, "signal"))
                } else {
                    format!("ExitCode:{}", int(terminated, "exitCode"))
                };
            } else if status["ready"].as_bool() == Some(true)
                && status["state"]["running"].is_object()
            {
                has_running = true;
            }
        }
        if reason == "Completed" && has_running {
            let ready = items(pod, "status.conditions")
                .iter()
                .any(|c| text(c, "type") == "Ready" && text(c, "status") == "True");
            reason = if ready {
                "Running".to_string()
            } else {
                "NotReady".to_string()
            };
        }
    }
    let terminal = matches!(text(pod, "status.phase").as_str(), "Succeeded" | "Failed");
    if !text(pod, "metadata.deletionTimestamp").is_empty() {
        if text(pod, "status.reason") == "NodeLost" {
            reason = "Unknown".to_string();
        } else if !terminal {
            reason = "Terminating".to_string();
        }
    }
    (reason, containers_count)
}

fn pod_row(pod: &Value, now: SimTime, wide: bool) -> Vec<String> {
    // Sidecars (init containers with restartPolicy Always) count in READY like containers;
    // restarts of every container, init containers included, count in RESTARTS.
    let sidecars: Vec<String> = items(pod, "spec.initContainers")
        .iter()
        .filter(|c| text(c, "restartPolicy") == "Always")
        .map(|c| text(c, "name"))
        .collect();
    let containers = items(pod, "spec.containers").len() + sidecars.len();
    let statuses = items(pod, "status.containerStatuses");
    let init_statuses = items(pod, "status.initContainerStatuses");
    let ready = statuses
        .iter()
        .filter(|s| s["ready"].as_bool() == Some(true) && s["state"]["running"].is_object())
        .count()
        + init_statuses
            .iter()
            .filter(|s| sidecars.contains(&text(s, "name")))
            .filter(|s| s["ready"].as_bool() == Some(true) && s["started"].as_bool() == Some(true))
            .count();
    // While regular init containers run, their restarts count; once the app containers count,
    // the sidecars' and the app containers' do (printPod's reset).
    let (status, containers_count) = pod_status_and_counting(pod);
    let counted: Vec<&Value> = if containers_count {
        statuses
            .iter()
            .chain(
                init_statuses
                    .iter()
                    .filter(|s| sidecars.contains(&text(s, "name"))),
            )
            .collect()
    } else {
        init_statuses.iter().collect()
    };
    let restarts: i64 = counted.iter().map(|s| int(s, "restartCount")).sum();
    let last_restart = counted
        .iter()
        .filter_map(|s| s["lastState"]["terminated"]["finishedAt"].as_str())
        .max()
        .map(|t| format!(" ({} ago)", timestamp_age(t, now)));
    let restarts_text = match (restarts, last_restart) {
        (0, _) | (_, None) => restarts.to_string(),
        (n, Some(ago)) => format!("{n}{ago}"),
    };
    let mut row = vec![
        text(pod, "metadata.name"),
        format!("{ready}/{containers}"),
        status,
        restarts_text,
        age(pod, now),
    ];
    if wide {
        let gates = items(pod, "spec.readinessGates");
        row.push(or_none(text(pod, "status.podIP")));
        row.push(or_none(text(pod, "spec.nodeName")));
        row.push(or_none(text(pod, "status.nominatedNodeName")));
        row.push(if gates.is_empty() {
            "<none>".to_string()
        } else {
            format!("0/{}", gates.len())
        });
    }
    row
}

fn service_ports(service: &Value) -> String {
    let ports: Vec<String> = items(service, "spec.ports")
        .iter()
        .map(|p| {
            let protocol = {
                let p = text(p, "protocol");
                if p.is_empty() {
                    "TCP".to_string()
                } else {
                    p
                }
            };
            match int(p, "nodePort") {
                0 => format!("{}/{protocol}", int(p, "port")),
                node_port => format!("{}:{node_port}/{protocol}", int(p, "port")),
            }
        })
        .collect();
    if ports.is_empty() {
        "<none>".to_string()
    } else {
        ports.join(",")
    }
}

fn service_external_ip(service: &Value) -> String {
    let external_ips: Vec<String> = items(service, "spec.externalIPs")
        .iter()
        .filter_map(|v| v.as_str().map(String::from))
        .collect();
    match text(service, "spec.type").as_str() {
        "ExternalName" => text(service, "spec.externalName"),
        "LoadBalancer" => {
            let mut ips: Vec<String> = items(service, "status.loadBalancer.ingress")
                .iter()
                .map(|i| {
                    let ip = text(i, "ip");
                    if ip.is_empty() {
                        text(i, "hostname")
                    } else {
                        ip
                    }
                })
                .collect();
            ips.extend(external_ips);
            if ips.is_empty() {
                "<pending>".to_string()
            } else {
                ips.join(",")
            }
        }
        _ => {
            if external_ips.is_empty() {
                "<none>".to_string()
            } else {
                external_ips.join(",")
            }
        }
    }
}

fn job_status(job: &Value) -> String {
    let conditions = items(job, "status.conditions");
    let has = |t: &str| {
        conditions
            .iter()
            .any(|c| text(c, "type") == t && text(c, "status") == "True")
    };
    // printJob's order: finished, then being deleted, suspended, failing (FailureTarget),
    // otherwise running.
    if has("Complete") {
        "Complete"
    } else if has("Failed") {
        "Failed"
    } else if !job["metadata"]["deletionTimestamp"].is_null() {
        "Terminating"
    } else if has("Suspended") {
        "Suspended"
    } else if has("FailureTarget") {
        "FailureTarget"
    } else {
        "Running"
    }
    .to_string()
}

fn rfc3339(value: &Value, path: &str) -> String {
    text(value, path)
}

/// One table row for an object; the first cell is its name (callers prefix `kind/` or add a
/// NAMESPACE column).
pub fn row(object: &Object, now: SimTime, wide: bool) -> Vec<String> {
    let v = object.to_json_value();
    let name = text(&v, "metadata.name");
    let age = age(&v, now);
    let mut extra: Vec<String> = Vec::new();
    let row: Vec<String> = match object.kind() {
        "Pod" => return pod_row(&v, now, wide),
        "Deployment" => {
            let desired = at(&v, "spec.replicas").as_i64().unwrap_or(1);
            let (containers, images) = containers_and_images(at(&v, "spec.template.spec"));
            extra = vec![containers, images, selector_text(at(&v, "spec.selector"))];
            vec![
                name,
                format!("{}/{desired}", int(&v, "status.readyReplicas")),
                int(&v, "status.updatedReplicas").to_string(),
                int(&v, "status.availableReplicas").to_string(),
                age,
            ]
        }
        "ReplicaSet" | "ReplicationController" => {
            let desired = at(&v, "spec.replicas").as_i64().unwrap_or(1);
            let (containers, images) = containers_and_images(at(&v, "spec.template.spec"));
            let selector = if object.kind() == "ReplicaSet" {
                selector_text(at(&v, "spec.selector"))
            } else {
                map_text(at(&v, "spec.selector"))
            };
            extra = vec![containers, images, selector];
            vec![
                name,
                desired.to_string(),
                int(&v, "status.replicas").to_string(),
                int(&v, "status.readyReplicas").to_string(),
                age,
            ]
        }
        "DaemonSet" => {
            let (containers, images) = containers_and_images(at(&v, "spec.template.spec"));
            extra = vec![containers, images, selector_text(at(&v, "spec.selector"))];
            vec![
                name,
                int(&v, "status.desiredNumberScheduled").to_string(),
                int(&v, "status.currentNumberScheduled").to_string(),
                int(&v, "status.numberReady").to_string(),
                int(&v, "status.updatedNumberScheduled").to_string(),
                int(&v, "status.numberAvailable").to_string(),
                or_none(map_text(at(&v, "spec.template.spec.nodeSelector"))),
                age,
            ]
        }
        "StatefulSet" => {
            let desired = at(&v, "spec.replicas").as_i64().unwrap_or(1);
            let (containers, images) = containers_and_images(at(&v, "spec.template.spec"));
            extra = vec![containers, images];
            vec![
                name,
                format!("{}/{desired}", int(&v, "status.readyReplicas")),
                age,
            ]
        }
        "Job" => {
            let completions = at(&v, "spec.completions").as_i64();
            let parallelism = at(&v, "spec.parallelism").as_i64().unwrap_or(1);
            let succeeded = int(&v, "status.succeeded");
            let completions_text = match completions {
                Some(c) => format!("{succeeded}/{c}"),
                None if parallelism > 1 => format!("{succeeded}/1 of {parallelism}"),
                None => format!("{succeeded}/1"),
            };
            let start = text(&v, "status.startTime");
            let duration = if start.is_empty() {
                String::new()
            } else {
                let end = text(&v, "status.completionTime");
                let end_seconds = end
                    .parse::<model::k8s_openapi::jiff::Timestamp>()
                    .map(|t| t.as_second())
                    .unwrap_or(now.unix_seconds());
                let start_seconds = start
                    .parse::<model::k8s_openapi::jiff::Timestamp>()
                    .map(|t| t.as_second())
                    .unwrap_or(end_seconds);
                human_duration((end_seconds - start_seconds).max(0) as u64 * 1000)
            };
            let (containers, images) = containers_and_images(at(&v, "spec.template.spec"));
            extra = vec![containers, images, selector_text(at(&v, "spec.selector"))];
            vec![name, job_status(&v), completions_text, duration, age]
        }
        "CronJob" => {
            let last = text(&v, "status.lastScheduleTime");
            let (containers, images) =
                containers_and_images(at(&v, "spec.jobTemplate.spec.template.spec"));
            extra = vec![
                containers,
                images,
                or_none(selector_text(at(&v, "spec.jobTemplate.spec.selector"))),
            ];
            vec![
                name,
                text(&v, "spec.schedule"),
                or_none(text(&v, "spec.timeZone")),
                at(&v, "spec.suspend")
                    .as_bool()
                    .unwrap_or(false)
                    .to_string()
                    .replace("false", "False")
                    .replace("true", "True"),
                items(&v, "status.active").len().to_string(),
                if last.is_empty() {
                    "<none>".to_string()
                } else {
                    timestamp_age(&last, now)
                },
                age,
            ]
        }
        "Service" => {
            let cluster_ip = text(&v, "spec.clusterIP");
            extra = vec![or_none(map_text(at(&v, "spec.selector")))];
            vec![
                name,
                {
                    let t = text(&v, "spec.type");
                    if t.is_empty() {
                        "ClusterIP".to_string()
                    } else {
                        t
                    }
                },
                or_none(cluster_ip),
                service_external_ip(&v),
                service_ports(&v),
                age,
            ]
        }
        "Endpoints" => {
            let mut endpoints = Vec::new();
            // formatEndpoints: each port over every address (an address alone without ports).
            for subset in items(&v, "subsets") {
                let ports = items(subset, "ports");
                if ports.is_empty() {
                    for address in items(subset, "addresses") {
                        endpoints.push(text(address, "ip"));
                    }
                }
                for port in ports {
                    for address in items(subset, "addresses") {
                        endpoints.push(format!("{}:{}", text(address, "ip"), int(port, "port")));
                    }
                }
            }
            let shown = if endpoints.len() > 3 {
                format!(
                    "{} + {} more...",
                    endpoints[..3].join(","),
                    endpoints.len() - 3
                )
            } else {
                endpoints.join(",")
            };
            vec![name, or_none(shown), age]
        }
        "EndpointSlice" => {
            let ports: Vec<String> = items(&v, "ports")
                .iter()
                .map(|p| int(p, "port").to_string())
                .collect();
            let addresses: Vec<String> = items(&v, "endpoints")
                .iter()
                .flat_map(|e| {
                    items(e, "addresses")
                        .iter()
                        .filter_map(|a| a.as_str().map(String::from))
                })
                .collect();
            let shown = if addresses.len() > 3 {
                format!(
                    "{} + {} more...",
                    addresses[..3].join(","),
                    addresses.len() - 3
                )
            } else {
                addresses.join(",")
            };
            vec![
                name,
                text(&v, "addressType"),
                if ports.is_empty() {
                    "<unset>".into()
                } else {
                    ports.join(",")
                },
                if shown.is_empty() {
                    "<unset>".into()
                } else {
                    shown
                },
                age,
            ]
        }
        "Ingress" => {
            let hosts: Vec<String> = items(&v, "spec.rules")
                .iter()
                .map(|r| text(r, "host"))
                .filter(|h| !h.is_empty())
                .collect();
            let address: Vec<String> = items(&v, "status.loadBalancer.ingress")
                .iter()
                .map(|i| {
                    let ip = text(i, "ip");
                    if ip.is_empty() {
                        text(i, "hostname")
                    } else {
                        ip
                    }
                })
                .collect();
            let ports = if items(&v, "spec.tls").is_empty() {
                "80"
            } else {
                "80, 443"
            };
            vec![
                name,
                or_none(text(&v, "spec.ingressClassName")),
                if hosts.is_empty() {
                    "*".to_string()
                } else {
                    hosts.join(",")
                },
                address.join(","),
                ports.to_string(),
                age,
            ]
        }
        "IngressClass" => {
            let parameters = if at(&v, "spec.parameters").is_object() {
                format!(
                    "{}/{}",
                    text(&v, "spec.parameters.kind"),
                    text(&v, "spec.parameters.name")
                )
            } else {
                "<none>".to_string()
            };
            vec![name, text(&v, "spec.controller"), parameters, age]
        }
        "ConfigMap" => vec![
            name,
            (map_len(&v, "data") + map_len(&v, "binaryData")).to_string(),
            age,
        ],
        "Secret" => vec![
            name,
            {
                let t = text(&v, "type");
                if t.is_empty() {
                    "Opaque".to_string()
                } else {
                    t
                }
            },
            (map_len(&v, "data") + map_len(&v, "stringData")).to_string(),
            age,
        ],
        "Namespace" => vec![
            name,
            {
                let p = text(&v, "status.phase");
                if p.is_empty() {
                    "Active".to_string()
                } else {
                    p
                }
            },
            age,
        ],
        "Node" => {
            let ready = items(&v, "status.conditions")
                .iter()
                .find(|c| text(c, "type") == "Ready")
                .map(|c| text(c, "status"));
            let mut status = match ready.as_deref() {
                Some("True") => "Ready".to_string(),
                _ => "NotReady".to_string(),
            };
            if at(&v, "spec.unschedulable").as_bool() == Some(true) {
                status.push_str(",SchedulingDisabled");
            }
            let roles: Vec<String> = at(&v, "metadata.labels")
                .as_object()
                .into_iter()
                .flatten()
                .filter_map(|(k, _)| k.strip_prefix("node-role.kubernetes.io/").map(String::from))
                .collect();
            let address = |t: &str| {
                items(&v, "status.addresses")
                    .iter()
                    .find(|a| text(a, "type") == t)
                    .map(|a| text(a, "address"))
                    .unwrap_or_else(|| "<none>".to_string())
            };
            extra = vec![
                address("InternalIP"),
                address("ExternalIP"),
                text(&v, "status.nodeInfo.osImage"),
                text(&v, "status.nodeInfo.kernelVersion"),
                text(&v, "status.nodeInfo.containerRuntimeVersion"),
            ];
            vec![
                name,
                status,
                if roles.is_empty() {
                    "<none>".to_string()
                } else {
                    roles.join(",")
                },
                age,
                text(&v, "status.nodeInfo.kubeletVersion"),
            ]
        }
        "PersistentVolume" => {
            let claim = if at(&v, "spec.claimRef").is_object() {
                format!(
                    "{}/{}",
                    text(&v, "spec.claimRef.namespace"),
                    text(&v, "spec.claimRef.name")
                )
            } else {
                String::new()
            };
            extra = vec![{
                let m = text(&v, "spec.volumeMode");
                if m.is_empty() {
                    "Filesystem".into()
                } else {
                    m
                }
            }];
            vec![
                name,
                text(&v, "spec.capacity.storage"),
                access_modes(&v, "spec.accessModes"),
                {
                    let p = text(&v, "spec.persistentVolumeReclaimPolicy");
                    if p.is_empty() {
                        "Retain".into()
                    } else {
                        p
                    }
                },
                {
                    let p = text(&v, "status.phase");
                    if v["metadata"]["deletionTimestamp"].is_string() {
                        "Terminating".into()
                    } else if p.is_empty() {
                        "Pending".into()
                    } else {
                        p
                    }
                },
                claim,
                text(&v, "spec.storageClassName"),
                or_unset(text(&v, "spec.volumeAttributesClassName")),
                text(&v, "status.reason"),
                age,
            ]
        }
        "PersistentVolumeClaim" => {
            extra = vec![{
                let m = text(&v, "spec.volumeMode");
                if m.is_empty() {
                    "Filesystem".into()
                } else {
                    m
                }
            }];
            vec![
                name,
                {
                    let p = text(&v, "status.phase");
                    if v["metadata"]["deletionTimestamp"].is_string() {
                        "Terminating".into()
                    } else if p.is_empty() {
                        "Pending".into()
                    } else {
                        p
                    }
                },
                text(&v, "spec.volumeName"),
                text(&v, "status.capacity.storage"),
                access_modes(&v, "status.accessModes"),
                text(&v, "spec.storageClassName"),
                or_unset(text(&v, "spec.volumeAttributesClassName")),
                age,
            ]
        }
        "StorageClass" => {
            let is_default = at(&v, "metadata.annotations")
                .get("storageclass.kubernetes.io/is-default-class")
                .and_then(|x| x.as_str())
                == Some("true");
            let shown_name = if is_default {
                format!("{name} (default)")
            } else {
                name
            };
            vec![
                shown_name,
                text(&v, "provisioner"),
                {
                    let p = text(&v, "reclaimPolicy");
                    if p.is_empty() {
                        "Delete".into()
                    } else {
                        p
                    }
                },
                {
                    let m = text(&v, "volumeBindingMode");
                    if m.is_empty() {
                        "Immediate".into()
                    } else {
                        m
                    }
                },
                at(&v, "allowVolumeExpansion")
                    .as_bool()
                    .unwrap_or(false)
                    .to_string(),
                age,
            ]
        }
        "ServiceAccount" => vec![name, items(&v, "secrets").len().to_string(), age],
        "ControllerRevision" => {
            let controller = items(&v, "metadata.ownerReferences")
                .iter()
                .find(|r| at(r, "controller").as_bool() == Some(true))
                .map(|r| {
                    let api_version = text(r, "apiVersion");
                    let group = api_version.rsplit_once('/').map_or("", |(g, _)| g);
                    let kind = text(r, "kind").to_lowercase();
                    if group.is_empty() {
                        format!("{kind}/{}", text(r, "name"))
                    } else {
                        format!("{kind}.{group}/{}", text(r, "name"))
                    }
                })
                .unwrap_or_else(|| "<none>".into());
            vec![name, controller, int(&v, "revision").to_string(), age]
        }
        "Lease" => vec![name, text(&v, "spec.holderIdentity"), age],
        "Role" | "ClusterRole" | "LimitRange" => {
            vec![name, rfc3339(&v, "metadata.creationTimestamp")]
        }
        "RoleBinding" | "ClusterRoleBinding" => {
            let subjects = items(&v, "subjects");
            let of = |kind: &str| {
                subjects
                    .iter()
                    .filter(|s| text(s, "kind") == kind)
                    .map(|s| {
                        if kind == "ServiceAccount" {
                            format!("{}/{}", text(s, "namespace"), text(s, "name"))
                        } else {
                            text(s, "name")
                        }
                    })
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            extra = vec![of("User"), of("Group"), of("ServiceAccount")];
            vec![
                name,
                format!("{}/{}", text(&v, "roleRef.kind"), text(&v, "roleRef.name")),
                age,
            ]
        }
        "HorizontalPodAutoscaler" => {
            let reference = format!(
                "{}/{}",
                text(&v, "spec.scaleTargetRef.kind"),
                text(&v, "spec.scaleTargetRef.name")
            );
            let statuses = items(&v, "status.currentMetrics");
            let targets: Vec<String> = items(&v, "spec.metrics")
                .iter()
                .enumerate()
                .map(|(i, m)| {
                    let status = statuses.get(i);
                    let field = match text(m, "type").as_str() {
                        "Resource" => "resource",
                        "ContainerResource" => "containerResource",
                        "Pods" => "pods",
                        "Object" => "object",
                        "External" => "external",
                        _ => return "<unknown type>".to_string(),
                    };
                    let current = |key: &str| {
                        status
                            .map(|s| at(s, &format!("{field}.current.{key}")))
                            .filter(|c| !c.is_null())
                            .map(|c| match c {
                                serde_json::Value::String(t) => t.clone(),
                                other => other.to_string(),
                            })
                    };
                    let target_average = text(m, &format!("{field}.target.averageValue"));
                    let resource = text(m, &format!("{field}.name"));
                    match field {
                        "resource" | "containerResource" if !target_average.is_empty() => format!(
                            "{resource}: {}/{target_average}",
                            current("averageValue").unwrap_or_else(|| "<unknown>".into())
                        ),
                        "resource" | "containerResource" => {
                            let current = current("averageUtilization")
                                .map(|c| format!("{c}%"))
                                .unwrap_or_else(|| "<unknown>".into());
                            let target = at(m, &format!("{field}.target.averageUtilization"))
                                .as_i64()
                                .map(|t| format!("{t}%"))
                                .unwrap_or_else(|| "<auto>".into());
                            format!("{resource}: {current}/{target}")
                        }
                        _ if !target_average.is_empty() => format!(
                            "{}/{target_average} (avg)",
                            current("averageValue").unwrap_or_else(|| "<unknown>".into())
                        ),
                        _ => format!(
                            "{}/{}",
                            current("value").unwrap_or_else(|| "<unknown>".into()),
                            text(m, &format!("{field}.target.value"))
                        ),
                    }
                })
                .collect();
            let targets = if targets.len() > 2 {
                format!(
                    "{} + {} more...",
                    targets[..2].join(", "),
                    targets.len() - 2
                )
            } else {
                targets.join(", ")
            };
            vec![
                name,
                reference,
                if targets.is_empty() {
                    "<none>".into()
                } else {
                    targets
                },
                at(&v, "spec.minReplicas")
                    .as_i64()
                    .map_or("<unset>".to_string(), |n| n.to_string()),
                int(&v, "spec.maxReplicas").to_string(),
                int(&v, "status.currentReplicas").to_string(),
                age,
            ]
        }
        "PodDisruptionBudget" => {
            let show = |p: &str| {
                let t = text(&v, p);
                if t.is_empty() {
                    "N/A".to_string()
                } else {
                    t
                }
            };
            vec![
                name,
                show("spec.minAvailable"),
                show("spec.maxUnavailable"),
                int(&v, "status.disruptionsAllowed").to_string(),
                age,
            ]
        }
        "NetworkPolicy" => vec![
            name,
            {
                let s = selector_text(at(&v, "spec.podSelector"));
                if s.is_empty() {
                    "<none>".into()
                } else {
                    s
                }
            },
            age,
        ],
        "PriorityClass" => vec![
            name,
            int(&v, "value").to_string(),
            at(&v, "globalDefault")
                .as_bool()
                .unwrap_or(false)
                .to_string(),
            age,
            {
                let p = text(&v, "preemptionPolicy");
                if p.is_empty() {
                    "PreemptLowerPriority".into()
                } else {
                    p
                }
            },
        ],
        "ResourceQuota" => {
            let hard = at(&v, "status.hard")
                .as_object()
                .or(at(&v, "spec.hard").as_object())
                .cloned()
                .unwrap_or_default();
            let used = at(&v, "status.used");
            let (mut request, mut limit) = (Vec::new(), Vec::new());
            for (key, value) in &hard {
                let used_value = used[key].as_str().unwrap_or("0");
                let cell = format!("{key}: {used_value}/{}", value.as_str().unwrap_or(""));
                if key.starts_with("limits.") {
                    limit.push(cell)
                } else {
                    request.push(cell)
                }
            }
            vec![name, request.join(", "), limit.join(", "), age]
        }
        "Event" => {
            let last = {
                let t = text(&v, "lastTimestamp");
                if t.is_empty() {
                    text(&v, "eventTime")
                } else {
                    t
                }
            };
            vec![
                timestamp_age(&last, now),
                text(&v, "type"),
                text(&v, "reason"),
                format!(
                    "{}/{}",
                    text(&v, "involvedObject.kind").to_lowercase(),
                    text(&v, "involvedObject.name")
                ),
                text(&v, "message"),
            ]
        }
        _ => vec![name, age],
    };
    let mut row = row;
    if wide {
        row.extend(extra);
    }
    row
}

fn or_unset(s: String) -> String {
    if s.is_empty() {
        "<unset>".to_string()
    } else {
        s
    }
}

fn access_modes(value: &Value, path: &str) -> String {
    items(value, path)
        .iter()
        .filter_map(|m| m.as_str())
        .map(|m| match m {
            "ReadWriteOnce" => "RWO",
            "ReadOnlyMany" => "ROX",
            "ReadWriteMany" => "RWX",
            "ReadWriteOncePod" => "RWOP",
            other => other,
        })
        .collect::<Vec<_>>()
        .join(",")
}
