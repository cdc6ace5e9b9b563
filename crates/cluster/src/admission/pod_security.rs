//! PodSecurity (staging/src/k8s.io/pod-security-admission). A namespace's labels
//! `pod-security.kubernetes.io/enforce|warn` (with `…-version`, default `latest`) name a Pod
//! Security Standard level: `privileged`, `baseline` or `restricted`. On Pod create the
//! enforce level refuses a pod that violates it (`violates PodSecurity "baseline:latest": …`);
//! the warn level returns a warning for pods and for the pod templates of workload objects
//! (`would violate PodSecurity "restricted:latest": …`). Labelling a namespace with an enforce
//! level warns about the existing pods that violate it. `audit` is accepted and has no
//! effect (there is no audit log).
//!
//! The checks, in upstream's order (by check id): allowPrivilegeEscalation, capabilities,
//! hostNamespaces, hostPathVolumes, hostPorts, privileged, restrictedVolumes, runAsNonRoot,
//! runAsUser, seccompProfile. Not checked: AppArmor, SELinux options, procMount, sysctls.

use std::collections::BTreeSet;

use model::Object;
use serde_json::Value;

use super::{forbidden, AdmissionRequest, Operation};
use crate::api::{ApiError, StoreExt};

const LABEL_PREFIX: &str = "pod-security.kubernetes.io/";
/// The capabilities a baseline pod may add (the container runtime's defaults).
const BASELINE_CAPABILITIES: &[&str] = &[
    "AUDIT_WRITE",
    "CHOWN",
    "DAC_OVERRIDE",
    "FOWNER",
    "FSETID",
    "KILL",
    "MKNOD",
    "NET_BIND_SERVICE",
    "SETFCAP",
    "SETGID",
    "SETPCAP",
    "SETUID",
    "SYS_CHROOT",
];
/// The volume types a restricted pod may use.
const RESTRICTED_VOLUMES: &[&str] = &[
    "configMap",
    "csi",
    "downwardAPI",
    "emptyDir",
    "ephemeral",
    "persistentVolumeClaim",
    "projected",
    "secret",
];

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Level {
    Privileged,
    Baseline,
    Restricted,
}

/// A level and the version it is pinned to, as the messages name it (`restricted:latest`).
struct Policy {
    level: Level,
    version: String,
}

impl Policy {
    fn name(&self) -> String {
        let level = match self.level {
            Level::Privileged => "privileged",
            Level::Baseline => "baseline",
            Level::Restricted => "restricted",
        };
        format!("{level}:{}", self.version)
    }
}

/// The policy a namespace's labels set for `mode` (`enforce`, `warn`), if any.
fn policy_of(namespace: &Object, mode: &str) -> Option<Policy> {
    let labels = namespace.metadata().labels.as_ref()?;
    let level = match labels.get(&format!("{LABEL_PREFIX}{mode}"))?.as_str() {
        "privileged" => Level::Privileged,
        "baseline" => Level::Baseline,
        "restricted" => Level::Restricted,
        _ => return None,
    };
    let version = labels
        .get(&format!("{LABEL_PREFIX}{mode}-version"))
        .cloned()
        .unwrap_or_else(|| "latest".to_string());
    Some(Policy { level, version })
}

/// Checks an object on create (and workload objects on update). Returns the warnings for the
/// response, or the enforce level's refusal of a pod.
pub(super) fn validate(
    request: &AdmissionRequest<'_>,
    object: &Object,
) -> Result<Vec<String>, ApiError> {
    if let Object::Namespace(_) = object {
        return Ok(namespace_warnings(request, object));
    }
    let value;
    let spec = match object {
        Object::Pod(_) if request.operation == Operation::Create => {
            value = object.to_json_value();
            &value["spec"]
        }
        Object::Deployment(_)
        | Object::ReplicaSet(_)
        | Object::StatefulSet(_)
        | Object::DaemonSet(_)
        | Object::Job(_)
        | Object::ReplicationController(_) => {
            value = object.to_json_value();
            &value["spec"]["template"]["spec"]
        }
        Object::CronJob(_) => {
            value = object.to_json_value();
            &value["spec"]["jobTemplate"]["spec"]["template"]["spec"]
        }
        _ => return Ok(Vec::new()),
    };
    // An update that leaves the pod template as it was (a scale, a label) is not checked again.
    if let Some(old) = request.old {
        let old_value = old.to_json_value();
        let pointer = if matches!(object, Object::CronJob(_)) {
            "/spec/jobTemplate/spec/template/spec"
        } else {
            "/spec/template/spec"
        };
        if old_value.pointer(pointer) == Some(spec) {
            return Ok(Vec::new());
        }
    }
    let key = crate::api::ObjectKey {
        resource: "namespaces",
        namespace: "".into(),
        name: object.namespace().into(),
    };
    let Some(namespace) = request.store.get(&key) else {
        return Ok(Vec::new());
    };
    let is_pod = matches!(object, Object::Pod(_));
    if is_pod {
        if let Some(policy) = policy_of(namespace, "enforce") {
            let violations = evaluate(spec, policy.level);
            if !violations.is_empty() {
                return Err(forbidden(
                    object,
                    format!(
                        "violates PodSecurity \"{}\": {}",
                        policy.name(),
                        describe(&violations)
                    ),
                ));
            }
        }
    }
    let mut warnings = Vec::new();
    if let Some(policy) = policy_of(namespace, "warn") {
        let violations = evaluate(spec, policy.level);
        if !violations.is_empty() {
            warnings.push(format!(
                "would violate PodSecurity \"{}\": {}",
                policy.name(),
                describe(&violations)
            ));
        }
    }
    Ok(warnings)
}

/// A namespace whose enforce level is set or changed: the existing pods that violate it (by
/// name, with the reasons), as a warning.
fn namespace_warnings(request: &AdmissionRequest<'_>, namespace: &Object) -> Vec<String> {
    let Some(policy) = policy_of(namespace, "enforce") else {
        return Vec::new();
    };
    let before = request.old.and_then(|old| policy_of(old, "enforce"));
    if before.is_some_and(|b| b.name() == policy.name()) {
        return Vec::new();
    }
    let Some(pods) = model::registry::resolve("pods") else {
        return Vec::new();
    };
    let mut failing: Vec<(String, String)> = Vec::new();
    for pod in request.store.list(pods, Some(namespace.name())) {
        let value = pod.to_json_value();
        let violations = evaluate(&value["spec"], policy.level);
        if !violations.is_empty() {
            let reasons: Vec<&str> = violations.iter().map(|v| v.reason.as_str()).collect();
            failing.push((pod.name().to_string(), reasons.join(", ")));
        }
    }
    if failing.is_empty() {
        return Vec::new();
    }
    let mut warnings = vec![format!(
        "existing pods in namespace \"{}\" violate the new PodSecurity enforce level \"{}\"",
        namespace.name(),
        policy.name()
    )];
    // Pods with the same reasons are named once, with how many others share them.
    let mut grouped: Vec<(String, usize, String)> = Vec::new();
    for (name, reasons) in failing {
        match grouped.iter_mut().find(|(_, _, r)| *r == reasons) {
            Some((_, others, _)) => *others += 1,
            None => grouped.push((name, 0, reasons)),
        }
    }
    for (name, others, reasons) in grouped {
        warnings.push(if others == 0 {
            format!("{name}: {reasons}")
        } else {
            format!("{name} (and {others} other pods): {reasons}")
        });
    }
    warnings
}

struct Violation {
    reason: String,
    detail: String,
}

fn add(violations: &mut Vec<Violation>, reason: &str, details: Vec<String>) {
    violations.push(Violation {
        reason: reason.to_string(),
        detail: details.join("; "),
    });
}

/// `reason (detail), reason (detail)`.
fn describe(violations: &[Violation]) -> String {
    violations
        .iter()
        .map(|v| {
            if v.detail.is_empty() {
                v.reason.clone()
            } else {
                format!("{} ({})", v.reason, v.detail)
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn pluralize<'a>(singular: &'a str, plural: &'a str, count: usize) -> &'a str {
    if count == 1 {
        singular
    } else {
        plural
    }
}

fn join_quote<S: AsRef<str>>(items: &[S]) -> String {
    items
        .iter()
        .map(|i| format!("\"{}\"", i.as_ref()))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Every container of the pod spec: init containers, containers, ephemeral containers.
fn containers(spec: &Value) -> Vec<&Value> {
    ["initContainers", "containers", "ephemeralContainers"]
        .iter()
        .flat_map(|list| spec[*list].as_array().into_iter().flatten())
        .collect()
}

/// A container's securityContext (`null` when it has none), read in place.
fn security_context(container: &Value) -> &Value {
    &container["securityContext"]
}

fn name_of(container: &Value) -> String {
    container["name"].as_str().unwrap_or("").to_string()
}

/// The checks of a level on a pod spec, in upstream's order; empty when it passes.
fn evaluate(spec: &Value, level: Level) -> Vec<Violation> {
    if level == Level::Privileged {
        return Vec::new();
    }
    let restricted = level == Level::Restricted;
    let containers = containers(spec);
    let mut violations = Vec::new();

    // allowPrivilegeEscalation (restricted)
    if restricted {
        let bad: Vec<String> = containers
            .iter()
            .filter(|c| security_context(c)["allowPrivilegeEscalation"] != Value::Bool(false))
            .map(|c| name_of(c))
            .collect();
        if !bad.is_empty() {
            add(
                &mut violations,
                "allowPrivilegeEscalation != false",
                vec![format!(
                    "{} {} must set securityContext.allowPrivilegeEscalation=false",
                    pluralize("container", "containers", bad.len()),
                    join_quote(&bad)
                )],
            );
        }
    }

    // capabilities: baseline (only the runtime's defaults may be added) or restricted (drop
    // ALL, add at most NET_BIND_SERVICE)
    let adds = |c: &Value| -> Vec<String> {
        security_context(c)["capabilities"]["add"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|v| v.as_str().map(str::to_string))
            .collect()
    };
    if restricted {
        let missing_drop_all: Vec<String> = containers
            .iter()
            .filter(|c| {
                !security_context(c)["capabilities"]["drop"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .any(|v| v == "ALL")
            })
            .map(|c| name_of(c))
            .collect();
        let mut adding: Vec<String> = Vec::new();
        let mut forbidden_caps: BTreeSet<String> = BTreeSet::new();
        for c in &containers {
            let bad: Vec<String> = adds(c)
                .into_iter()
                .filter(|cap| cap != "NET_BIND_SERVICE")
                .collect();
            if !bad.is_empty() {
                adding.push(name_of(c));
                forbidden_caps.extend(bad);
            }
        }
        let mut details = Vec::new();
        if !missing_drop_all.is_empty() {
            details.push(format!(
                "{} {} must set securityContext.capabilities.drop=[\"ALL\"]",
                pluralize("container", "containers", missing_drop_all.len()),
                join_quote(&missing_drop_all)
            ));
        }
        if !adding.is_empty() {
            let caps: Vec<String> = forbidden_caps.into_iter().collect();
            details.push(format!(
                "{} {} must not include {} in securityContext.capabilities.add",
                pluralize("container", "containers", adding.len()),
                join_quote(&adding),
                join_quote(&caps)
            ));
        }
        if !details.is_empty() {
            add(&mut violations, "unrestricted capabilities", details);
        }
    } else {
        let mut bad: Vec<String> = Vec::new();
        let mut caps: BTreeSet<String> = BTreeSet::new();
        for c in &containers {
            let extra: Vec<String> = adds(c)
                .into_iter()
                .filter(|cap| !BASELINE_CAPABILITIES.contains(&cap.as_str()))
                .collect();
            if !extra.is_empty() {
                bad.push(name_of(c));
                caps.extend(extra);
            }
        }
        if !bad.is_empty() {
            let caps: Vec<String> = caps.into_iter().collect();
            add(
                &mut violations,
                "non-default capabilities",
                vec![format!(
                    "{} {} must not include {} in securityContext.capabilities.add",
                    pluralize("container", "containers", bad.len()),
                    join_quote(&bad),
                    join_quote(&caps)
                )],
            );
        }
    }

    // hostNamespaces
    let host: Vec<String> = ["hostNetwork", "hostPID", "hostIPC"]
        .iter()
        .filter(|field| spec[**field] == Value::Bool(true))
        .map(|field| format!("{field}=true"))
        .collect();
    if !host.is_empty() {
        violations.push(Violation {
            reason: "host namespaces".into(),
            detail: host.join(", "),
        });
    }

    // hostPathVolumes
    let volumes: Vec<&Value> = spec["volumes"].as_array().into_iter().flatten().collect();
    let host_paths: Vec<String> = volumes
        .iter()
        .filter(|v| v.get("hostPath").is_some())
        .map(|v| v["name"].as_str().unwrap_or("").to_string())
        .collect();
    if !host_paths.is_empty() {
        violations.push(Violation {
            reason: "hostPath volumes".into(),
            detail: format!(
                "{} {}",
                pluralize("volume", "volumes", host_paths.len()),
                join_quote(&host_paths)
            ),
        });
    }

    // hostPorts
    let mut port_containers: Vec<String> = Vec::new();
    let mut ports: BTreeSet<String> = BTreeSet::new();
    for c in &containers {
        let used: Vec<String> = c["ports"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|p| p["hostPort"].as_i64().filter(|n| *n != 0))
            .map(|n| n.to_string())
            .collect();
        if !used.is_empty() {
            port_containers.push(name_of(c));
            ports.extend(used);
        }
    }
    if !port_containers.is_empty() {
        let ports: Vec<String> = ports.into_iter().collect();
        violations.push(Violation {
            reason: "hostPort".into(),
            detail: format!(
                "{} {} {} {} {}",
                pluralize("container", "containers", port_containers.len()),
                join_quote(&port_containers),
                pluralize("uses", "use", port_containers.len()),
                pluralize("hostPort", "hostPorts", ports.len()),
                ports.join(", ")
            ),
        });
    }

    // privileged
    let privileged: Vec<String> = containers
        .iter()
        .filter(|c| security_context(c)["privileged"] == Value::Bool(true))
        .map(|c| name_of(c))
        .collect();
    if !privileged.is_empty() {
        violations.push(Violation {
            reason: "privileged".into(),
            detail: format!(
                "{} {} must not set securityContext.privileged=true",
                pluralize("container", "containers", privileged.len()),
                join_quote(&privileged)
            ),
        });
    }

    if restricted {
        // restrictedVolumes
        let mut bad: Vec<String> = Vec::new();
        let mut types: BTreeSet<String> = BTreeSet::new();
        for volume in &volumes {
            let kind = volume
                .as_object()
                .into_iter()
                .flatten()
                .map(|(k, _)| k.as_str())
                .find(|k| *k != "name");
            if let Some(kind) = kind.filter(|k| !RESTRICTED_VOLUMES.contains(k)) {
                bad.push(volume["name"].as_str().unwrap_or("").to_string());
                types.insert(kind.to_string());
            }
        }
        if !bad.is_empty() {
            let types: Vec<String> = types.into_iter().collect();
            violations.push(Violation {
                reason: "restricted volume types".into(),
                detail: format!(
                    "{} {} {} {} {}",
                    pluralize("volume", "volumes", bad.len()),
                    join_quote(&bad),
                    pluralize("uses", "use", bad.len()),
                    pluralize(
                        "restricted volume type",
                        "restricted volume types",
                        types.len()
                    ),
                    join_quote(&types)
                ),
            });
        }

        // runAsNonRoot
        let pod_value = &spec["securityContext"]["runAsNonRoot"];
        let mut details = Vec::new();
        if *pod_value == Value::Bool(false) {
            details.push("pod must not set securityContext.runAsNonRoot=false".to_string());
        }
        let explicit: Vec<String> = containers
            .iter()
            .filter(|c| security_context(c)["runAsNonRoot"] == Value::Bool(false))
            .map(|c| name_of(c))
            .collect();
        if !explicit.is_empty() {
            details.push(format!(
                "{} {} must not set securityContext.runAsNonRoot=false",
                pluralize("container", "containers", explicit.len()),
                join_quote(&explicit)
            ));
        }
        if *pod_value != Value::Bool(true) {
            let implicit: Vec<String> = containers
                .iter()
                .filter(|c| security_context(c)["runAsNonRoot"].is_null())
                .map(|c| name_of(c))
                .collect();
            if !implicit.is_empty() {
                details.push(format!(
                    "pod or {} {} must set securityContext.runAsNonRoot=true",
                    pluralize("container", "containers", implicit.len()),
                    join_quote(&implicit)
                ));
            }
        }
        if !details.is_empty() {
            violations.push(Violation {
                reason: "runAsNonRoot != true".into(),
                detail: details.join("; "),
            });
        }

        // runAsUser
        let mut details = Vec::new();
        if spec["securityContext"]["runAsUser"].as_i64() == Some(0) {
            details.push("pod must not set runAsUser=0".to_string());
        }
        let root: Vec<String> = containers
            .iter()
            .filter(|c| security_context(c)["runAsUser"].as_i64() == Some(0))
            .map(|c| name_of(c))
            .collect();
        if !root.is_empty() {
            details.push(format!(
                "{} {} must not set runAsUser=0",
                pluralize("container", "containers", root.len()),
                join_quote(&root)
            ));
        }
        if !details.is_empty() {
            violations.push(Violation {
                reason: "runAsUser=0".into(),
                detail: details.join("; "),
            });
        }
    }

    // seccompProfile: never Unconfined; restricted also requires RuntimeDefault or Localhost
    let pod_type = spec["securityContext"]["seccompProfile"]["type"].as_str();
    let mut details = Vec::new();
    if pod_type == Some("Unconfined") {
        details.push(
            "pod must not set securityContext.seccompProfile.type to \"Unconfined\"".to_string(),
        );
    }
    let unconfined: Vec<String> = containers
        .iter()
        .filter(|c| security_context(c)["seccompProfile"]["type"] == "Unconfined")
        .map(|c| name_of(c))
        .collect();
    if !unconfined.is_empty() {
        details.push(format!(
            "{} {} must not set securityContext.seccompProfile.type to \"Unconfined\"",
            pluralize("container", "containers", unconfined.len()),
            join_quote(&unconfined)
        ));
    }
    if restricted && !matches!(pod_type, Some("RuntimeDefault" | "Localhost")) {
        let unset: Vec<String> = containers
            .iter()
            .filter(|c| security_context(c)["seccompProfile"]["type"].is_null())
            .map(|c| name_of(c))
            .collect();
        if !unset.is_empty() {
            details.push(format!(
                "pod or {} {} must set securityContext.seccompProfile.type to \"RuntimeDefault\" or \"Localhost\"",
                pluralize("container", "containers", unset.len()),
                join_quote(&unset)
            ));
        }
    }
    if !details.is_empty() {
        violations.push(Violation {
            reason: "seccompProfile".into(),
            detail: details.join("; "),
        });
    }
    violations
}
