//! `kubectl logs`: a container's log from the simulated kubelet — `-c`, `--previous`,
//! `--tail`, `--since`/`--since-time`, `--timestamps`, `--prefix`, `--limit-bytes`,
//! `--all-containers`, `-l` selectors, `pod/NAME` and `TYPE/NAME` for workloads (their first
//! pod by the workload's selector). The container is defaulted as kubectl defaults it (the
//! `kubectl.kubernetes.io/default-container` annotation, else the first container, saying so on
//! stderr when there are several). `-f` prints what the log holds so far and leaves a
//! [`LogFollow`] stream open: a script's covers the next `sleep`, the page's terminal follows
//! it until Ctrl+C.

use cluster::{Cluster, SimTime};
use model::selector::Selector;
use model::sort::SortSlice;
use serde_json::Value;

use crate::flags::{self, boolean, value};
use crate::{Kubectl, Output};

const DEFAULT_CONTAINER_ANNOTATION: &str = "kubectl.kubernetes.io/default-container";

/// One log request: which pod and container, and how to label its lines.
struct Target {
    pod: String,
    container: String,
}

pub(crate) fn logs(kubectl: &mut Kubectl, cluster: &mut Cluster, args: &[String]) -> Output {
    let specs = [
        boolean("all-containers", None),
        boolean("all-pods", None),
        value("container", Some('c')),
        boolean("follow", Some('f')),
        boolean("ignore-errors", None),
        boolean("insecure-skip-tls-verify-backend", None),
        value("limit-bytes", None),
        value("max-log-requests", None),
        value("pod-running-timeout", None),
        boolean("prefix", None),
        boolean("previous", Some('p')),
        value("selector", Some('l')),
        value("since", None),
        value("since-time", None),
        value("tail", None),
        boolean("timestamps", None),
    ];
    let parsed = match flags::parse(args, &specs, "logs") {
        Ok(p) => p,
        Err(e) => return Output::error(e),
    };
    let namespace = super::namespace_of(kubectl, &parsed);
    let selector_text = parsed.value("selector").map(str::to_string);
    let positionals = &parsed.positionals;
    if selector_text.is_some() && !positionals.is_empty() {
        return Output::error(
            "error: only a selector (-l) or a POD name is allowed\nSee 'kubectl logs -h' for help and examples",
        );
    }
    if selector_text.is_none() && positionals.is_empty() {
        return Output::error("error: expected 'logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER]'.\nPOD or TYPE/NAME is a required argument for the logs command\nSee 'kubectl logs -h' for help and examples");
    }
    if positionals.len() > 2 {
        return Output::error("error: expected 'logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER]'.\nPOD or TYPE/NAME is a required argument for the logs command\nSee 'kubectl logs -h' for help and examples");
    }
    let mut container_flag = parsed.value("container").map(str::to_string);
    if let Some(second) = positionals.get(1) {
        if container_flag.is_some() {
            return Output::error("error: only one of -c or an inline [CONTAINER] arg is allowed");
        }
        container_flag = Some(second.clone());
    }
    let all_containers = parsed.flag("all-containers");
    if all_containers && container_flag.is_some() {
        return Output::error(
            "error: --all-containers=true should not be specified with container name",
        );
    }
    let options = match LineOptions::from_flags(&parsed, cluster.now(), selector_text.is_some()) {
        Ok(o) => o,
        Err(e) => return Output::error(e),
    };
    let Some(pods_resource) = model::registry::resolve("pods") else {
        return Output::error("error: the server doesn't have a resource type \"pods\"");
    };
    // Which pods (listing or getting them is authorized first, as kubectl's requests are).
    let read_verb = if selector_text.is_some() {
        "list"
    } else {
        "get"
    };
    let read_name = selector_text
        .is_none()
        .then(|| positionals[0].rsplit('/').next().unwrap_or("").to_string());
    let names_a_pod = selector_text.is_some()
        || match positionals[0].split_once('/') {
            None => true,
            Some((kind, _)) => matches!(kind, "pod" | "pods" | "po"),
        };
    if !names_a_pod {
        // A workload's pod is found through the workload (its own get is not checked here).
    } else if let Err(denied) = super::check_access(
        cluster,
        &parsed,
        read_verb,
        pods_resource,
        Some(&namespace),
        read_name.as_deref(),
    ) {
        return denied;
    }
    let mut found_several: Option<String> = None;
    let pods: Vec<Value> = if let Some(text) = &selector_text {
        let selector = match Selector::parse(text) {
            Ok(s) => s,
            Err(e) => return Output::error(format!("error: {e}")),
        };
        let found: Vec<Value> = cluster
            .list(pods_resource, Some(&namespace))
            .into_iter()
            .filter(|p| selector.matches(p.metadata().labels.as_ref()))
            .map(|p| p.to_json_value())
            .collect();
        if found.is_empty() {
            // kubectl says so on stderr and succeeds.
            let mut out = Output::ok("");
            out.stderr = format!("No resources found in {namespace} namespace.\n");
            return out;
        }
        found
    } else {
        match pods_for_name(cluster, &namespace, &positionals[0]) {
            Ok((p, count)) => {
                // A controller with several pods: kubectl says which one it reads.
                if count > 1 {
                    found_several = Some(format!(
                        "Found {count} pods, using pod/{}\n",
                        p["metadata"]["name"].as_str().unwrap_or("")
                    ));
                }
                vec![p]
            }
            Err(o) => return o,
        }
    };
    // Then each pod's log (`get pods/log`, by name).
    for pod in &pods {
        let name = pod["metadata"]["name"].as_str().unwrap_or("");
        if let Err(denied) = super::check_subresource_access(
            cluster,
            &parsed,
            "get",
            pods_resource,
            Some("log"),
            Some(&namespace),
            Some(name),
        ) {
            return denied;
        }
    }
    let prefix = parsed.flag("prefix") || parsed.flag("all-pods");
    let mut out = Output::ok("");
    if let Some(line) = found_several {
        out.stderr.push_str(&line);
    }
    let mut targets: Vec<Target> = Vec::new();
    for pod in &pods {
        let name = pod["metadata"]["name"].as_str().unwrap_or("").to_string();
        if all_containers {
            for key in ["initContainers", "containers", "ephemeralContainers"] {
                for c in pod["spec"][key].as_array().into_iter().flatten() {
                    targets.push(Target {
                        pod: name.clone(),
                        container: c["name"].as_str().unwrap_or("").to_string(),
                    });
                }
            }
            continue;
        }
        let container = match chosen_container(pod, container_flag.as_deref()) {
            Ok((chosen, note)) => {
                if let Some(note) = note {
                    out.stderr.push_str(&note);
                }
                chosen
            }
            Err(error) => return error,
        };
        targets.push(Target {
            pod: name,
            container,
        });
    }
    if parsed.flag("follow") && !options.previous {
        kubectl.follow = Some(LogFollow {
            namespace: namespace.clone(),
            targets: targets
                .iter()
                .map(|t| (t.pod.clone(), t.container.clone()))
                .collect(),
            prefix,
            timestamps: options.timestamps,
            printed_until: cluster.now(),
        });
    }
    let mut written = 0usize;
    for target in targets {
        let lines = match cluster.logs(
            &namespace,
            &target.pod,
            Some(&target.container),
            options.previous,
        ) {
            Ok(lines) => lines,
            Err(error) => {
                out.stderr.push_str(&format!("{error}\n"));
                out.exit_code = 1;
                return out;
            }
        };
        for (time, line) in options.select(&lines) {
            let mut text = String::new();
            if prefix {
                text.push_str(&format!("[pod/{}/{}] ", target.pod, target.container));
            }
            if options.timestamps {
                text.push_str(&cluster::runtime::clock_text::rfc3339_nanos(*time));
                text.push(' ');
            }
            text.push_str(line);
            text.push('\n');
            if let Some(limit) = options.limit_bytes {
                if written + text.len() > limit {
                    let room = limit.saturating_sub(written);
                    out.stdout
                        .push_str(&String::from_utf8_lossy(&text.as_bytes()[..room]));
                    return out;
                }
            }
            written += text.len();
            out.stdout.push_str(&text);
        }
    }
    out
}

/// An open `logs -f` stream: the lines the followed containers print after `printed_until`.
#[derive(Debug, Clone)]
pub struct LogFollow {
    namespace: String,
    /// (pod, container)
    targets: Vec<(String, String)>,
    prefix: bool,
    timestamps: bool,
    printed_until: SimTime,
}

impl LogFollow {
    /// A stream of what one container prints from now on (`kubectl attach`).
    pub(crate) fn from_now(cluster: &Cluster, namespace: &str, pod: &str, container: &str) -> Self {
        LogFollow {
            namespace: namespace.to_string(),
            targets: vec![(pod.to_string(), container.to_string())],
            prefix: false,
            timestamps: false,
            printed_until: cluster.now(),
        }
    }

    /// The lines written since the last call.
    pub fn lines(&mut self, cluster: &Cluster) -> String {
        let now = cluster.now();
        // Every followed container's new lines, in the order they were written (kubectl prints
        // each stream's lines as they arrive), whatever stretch of time this call covers.
        let mut new_lines: Vec<(SimTime, usize, &str)> = Vec::new();
        let logs: Vec<_> = self
            .targets
            .iter()
            .map(|(pod, container)| cluster.logs(&self.namespace, pod, Some(container), false))
            .collect();
        for (index, lines) in logs.iter().enumerate() {
            let Ok(lines) = lines else {
                continue;
            };
            for (time, line) in lines
                .iter()
                .filter(|(t, _)| *t > self.printed_until && *t <= now)
            {
                new_lines.push((*time, index, line));
            }
        }
        new_lines.sort_stable_by_key(|(time, index, _)| (*time, *index));
        let mut out = String::new();
        for (time, index, line) in new_lines {
            if self.prefix {
                let (pod, container) = &self.targets[index];
                out.push_str(&format!("[pod/{pod}/{container}] "));
            }
            if self.timestamps {
                out.push_str(&cluster::runtime::clock_text::rfc3339_nanos(time));
                out.push(' ');
            }
            out.push_str(line);
            out.push('\n');
        }
        self.printed_until = now;
        out
    }
}

/// The lines kept and how they print.
struct LineOptions {
    previous: bool,
    timestamps: bool,
    tail: Option<usize>,
    since: Option<SimTime>,
    limit_bytes: Option<usize>,
}

impl LineOptions {
    fn from_flags(
        parsed: &flags::ParsedArgs,
        now: SimTime,
        selector: bool,
    ) -> Result<LineOptions, String> {
        let tail = match parsed.value("tail") {
            Some(t) => {
                let n: i64 = t.parse().map_err(|_| {
                    format!("error: invalid argument \"{t}\" for \"--tail\" flag: strconv.ParseInt: parsing \"{t}\": invalid syntax\nSee 'kubectl logs --help' for usage.")
                })?;
                usize::try_from(n).ok()
            }
            None if selector => Some(10),
            None => None,
        };
        if parsed.value("since").is_some() && parsed.value("since-time").is_some() {
            return Err(
                "error: at most one of `sinceTime` or `sinceSeconds` may be specified".into(),
            );
        }
        let since = match (parsed.value("since"), parsed.value("since-time")) {
            (Some(text), _) => {
                let millis = model::duration::parse_duration_millis(text).map_err(|_| {
                    format!("error: invalid argument \"{text}\" for \"--since\" flag: time: invalid duration \"{text}\"\nSee 'kubectl logs --help' for usage.")
                })?;
                if millis == 0 {
                    None
                } else {
                    // The kubelet works in whole seconds (sinceSeconds), rounded up.
                    let seconds = millis.div_ceil(1000);
                    Some(SimTime(now.0.saturating_sub(seconds * 1000)))
                }
            }
            (None, Some(text)) => {
                let timestamp: model::k8s_openapi::jiff::Timestamp = text
                    .parse()
                    .map_err(|_| format!("error: {text} is not a valid RFC3339 time"))?;
                let seconds = timestamp.as_second() - cluster::clock::EPOCH_UNIX_SECONDS;
                Some(SimTime(seconds.max(0) as u64 * 1000))
            }
            (None, None) => None,
        };
        let limit_bytes = match parsed.value("limit-bytes") {
            Some(t) => {
                let n: i64 = t.parse().map_err(|_| {
                    format!("error: invalid argument \"{t}\" for \"--limit-bytes\" flag: strconv.ParseInt: parsing \"{t}\": invalid syntax\nSee 'kubectl logs --help' for usage.")
                })?;
                if n < 0 {
                    return Err("error: --limit-bytes must be greater than 0".into());
                }
                usize::try_from(n).ok().filter(|n| *n > 0)
            }
            None => None,
        };
        Ok(LineOptions {
            previous: parsed.flag("previous"),
            timestamps: parsed.flag("timestamps"),
            tail,
            since,
            limit_bytes,
        })
    }

    fn select<'a>(&self, lines: &'a [(SimTime, String)]) -> &'a [(SimTime, String)] {
        let start = match self.since {
            Some(since) => lines
                .iter()
                .position(|(t, _)| *t >= since)
                .unwrap_or(lines.len()),
            None => 0,
        };
        let lines = &lines[start..];
        match self.tail {
            Some(n) => &lines[lines.len().saturating_sub(n)..],
            None => lines,
        }
    }
}

/// `NAME`, `pod/NAME`, or `TYPE/NAME` of a workload (its first pod by its selector, as
/// kubectl's attachable-pod lookup picks one).
pub(super) fn pod_for_name(
    cluster: &Cluster,
    namespace: &str,
    text: &str,
) -> Result<Value, Output> {
    pods_for_name(cluster, namespace, text).map(|(pod, _)| pod)
}

/// [`pod_for_name`], with how many pods the object selected.
fn pods_for_name(cluster: &Cluster, namespace: &str, text: &str) -> Result<(Value, usize), Output> {
    let pods = model::registry::resolve("pods").ok_or_else(|| Output::error("error: no pods"))?;
    let (kind, name) = match text.split_once('/') {
        Some((k, n)) => (k, n),
        None => ("pods", text),
    };
    let resource = super::resolve_resource(kind)?;
    if resource.kind == "Pod" {
        return cluster
            .get(pods, namespace, name)
            .map(|p| (p.to_json_value(), 1))
            .map_err(|e| Output::error(e.to_string()));
    }
    let object = cluster
        .get(resource, namespace, name)
        .map_err(|e| Output::error(e.to_string()))?
        .to_json_value();
    let labels = match resource.kind {
        "Deployment" | "ReplicaSet" | "StatefulSet" | "DaemonSet" | "Job" => {
            &object["spec"]["selector"]["matchLabels"]
        }
        "ReplicationController" | "Service" => &object["spec"]["selector"],
        other => {
            return Err(Output::error(format!(
                "error: cannot get the logs from {}: selector for {other} not implemented",
                super::object_ref(resource, name).replace('/', ", ")
            )))
        }
    };
    let wanted: Vec<(String, String)> = labels
        .as_object()
        .into_iter()
        .flatten()
        .map(|(k, v)| (k.clone(), v.as_str().unwrap_or("").to_string()))
        .collect();
    let mut candidates: Vec<Value> = cluster
        .list(pods, Some(namespace))
        .into_iter()
        .map(|p| p.to_json_value())
        .filter(|p| {
            !wanted.is_empty()
                && wanted
                    .iter()
                    .all(|(k, v)| p["metadata"]["labels"][k].as_str() == Some(v))
        })
        .collect();
    // Like kubectl: prefer running pods, then the oldest.
    candidates.sort_stable_by_key(|p| {
        (
            p["status"]["phase"].as_str() != Some("Running"),
            p["metadata"]["creationTimestamp"]
                .as_str()
                .unwrap_or("")
                .to_string(),
            p["metadata"]["name"].as_str().unwrap_or("").to_string(),
        )
    });
    let count = candidates.len();
    match candidates.into_iter().next() {
        Some(p) => Ok((p, count)),
        None => Err(Output::error("error: timed out waiting for the condition")),
    }
}

/// Every container of a pod as kubectl lists them: containers, then ephemeral containers
/// (` (ephem)`), then init containers (` (init)`).
fn all_container_names(pod: &Value) -> Vec<String> {
    let names = |key: &str, suffix: &str| -> Vec<String> {
        pod["spec"][key]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|c| c["name"].as_str().map(|n| format!("{n}{suffix}")))
            .collect()
    };
    let mut all = names("containers", "");
    all.extend(names("ephemeralContainers", " (ephem)"));
    all.extend(names("initContainers", " (init)"));
    all
}

/// The container a command works on: `-c NAME` when the pod has it (kubectl checks before
/// asking the server: `container zz is not valid for pod two out of: a, b`), else the default
/// one with its note.
pub(super) fn chosen_container(
    pod: &Value,
    flag: Option<&str>,
) -> Result<(String, Option<String>), Output> {
    let Some(name) = flag else {
        return Ok(default_container(pod));
    };
    let known = ["containers", "initContainers", "ephemeralContainers"]
        .iter()
        .flat_map(|key| pod["spec"][*key].as_array().into_iter().flatten())
        .any(|c| c["name"].as_str() == Some(name));
    if known {
        return Ok((name.to_string(), None));
    }
    Err(Output::error(format!(
        "error: container {name} is not valid for pod {} out of: {}",
        pod["metadata"]["name"].as_str().unwrap_or(""),
        all_container_names(pod).join(", ")
    )))
}

/// The container kubectl picks without `-c`, and the `Defaulted container …` note it prints
/// when the pod has other containers (several, or init or ephemeral ones) and no
/// default-container annotation.
pub(super) fn default_container(pod: &Value) -> (String, Option<String>) {
    let containers: Vec<String> = pod["spec"]["containers"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|c| c["name"].as_str().map(str::to_string))
        .collect();
    if let Some(annotated) = pod["metadata"]["annotations"][DEFAULT_CONTAINER_ANNOTATION].as_str() {
        if containers.iter().any(|c| c == annotated) {
            return (annotated.to_string(), None);
        }
    }
    let first = containers.first().cloned().unwrap_or_default();
    let all = all_container_names(pod);
    if all.len() <= 1 {
        return (first, None);
    }
    let note = format!(
        "Defaulted container \"{first}\" out of: {}\n",
        all.join(", ")
    );
    (first, Some(note))
}
