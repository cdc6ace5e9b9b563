//! `kubectl top pod|node`: CPU and memory use from the resource metrics API (metrics-server),
//! printed as kubectl's metrics printer prints it (every cell followed by a tab, so even the
//! last column is padded; CPU in millicores, memory in MiB, node percentages of allocatable).

use cluster::metrics::PodMetrics;
use cluster::Cluster;
use model::selector::Selector;
use model::sort::SortSlice;

use crate::flags::{self, boolean, value};
use crate::{Kubectl, Output};

const MIB: u64 = 1024 * 1024;

/// Lays out cells as kubectl's tabwriter does when every cell ends with a tab.
fn render(rows: &[Vec<String>]) -> String {
    let columns = rows.iter().map(Vec::len).max().unwrap_or(0);
    let header: Vec<String> = vec![String::new(); columns + 1];
    let padded: Vec<Vec<String>> = rows
        .iter()
        .map(|row| {
            let mut row = row.clone();
            row.resize(columns + 1, String::new());
            row
        })
        .collect();
    crate::table::render(&header, &padded, true)
}

pub(crate) fn top(kubectl: &mut Kubectl, cluster: &mut Cluster, args: &[String]) -> Output {
    let (Some(subcommand), rest) = super::take_subcommand(args) else {
        return super::help::help("top", &[]);
    };
    match subcommand.as_str() {
        "pod" | "pods" | "po" => top_pod(kubectl, cluster, &rest),
        "node" | "nodes" | "no" => top_node(cluster, &rest),
        other => Output::error(format!(
            "error: unknown command \"{other}\" for \"kubectl top\"\n\nDid you mean this?\n\tnode\n\tpod\n"
        )),
    }
}

fn sort_by(parsed: &flags::ParsedArgs) -> Result<Option<&str>, Output> {
    match parsed.value("sort-by") {
        None | Some("") => Ok(None),
        Some(s @ ("cpu" | "memory")) => Ok(Some(s)),
        Some(_) => Err(Output::error("error: --sort-by accepts only cpu or memory")),
    }
}

/// Go's `time.Duration` text: `3m5.123s`, `1h0m0s`.
pub(crate) fn go_duration(millis: u64) -> String {
    let hours = millis / 3_600_000;
    let minutes = millis / 60_000 % 60;
    let seconds = millis % 60_000;
    let seconds_text = if seconds.is_multiple_of(1000) {
        format!("{}s", seconds / 1000)
    } else {
        let text = format!("{}.{:03}", seconds / 1000, seconds % 1000);
        format!("{}s", text.trim_end_matches('0'))
    };
    if hours > 0 {
        format!("{hours}h{minutes}m{seconds_text}")
    } else if minutes > 0 {
        format!("{minutes}m{seconds_text}")
    } else {
        seconds_text
    }
}

fn cpu(millicores: u64) -> String {
    format!("{millicores}m")
}

fn memory(bytes: u64) -> String {
    format!("{}Mi", bytes / MIB)
}

fn top_pod(kubectl: &mut Kubectl, cluster: &mut Cluster, args: &[String]) -> Output {
    let specs = [
        value("selector", Some('l')),
        value("field-selector", None),
        value("sort-by", None),
        boolean("containers", None),
        boolean("all-namespaces", Some('A')),
        boolean("no-headers", None),
        boolean("sum", None),
        boolean("use-protocol-buffers", None),
        boolean("show-swap", None),
    ];
    let parsed = match flags::parse(args, &specs, "top pod") {
        Ok(p) => p,
        Err(e) => return Output::error(e),
    };
    let sort = match sort_by(&parsed) {
        Ok(s) => s,
        Err(o) => return o,
    };
    if parsed.positionals.len() > 1 {
        return Output::error(
            "error: pod [NAME | -l label]\nSee 'kubectl top pod -h' for help and examples",
        );
    }
    let name = parsed.positionals.first().cloned();
    if name.is_some() && (parsed.is_set("selector") || parsed.is_set("field-selector")) {
        return Output::error("error: only one of NAME or selector can be provided");
    }
    let selector = match parsed.value("selector").map(Selector::parse).transpose() {
        Ok(s) => s,
        Err(e) => return Output::error(format!("error: {e}")),
    };
    let all = parsed.flag("all-namespaces");
    let namespace = super::namespace_of(kubectl, &parsed);
    let pods_resource = model::registry::resolve("pods").expect("registered");
    if let Err(denied) = super::check_access(
        cluster,
        &parsed,
        "list",
        pods_resource,
        (!all).then_some(namespace.as_str()),
        None,
    ) {
        return denied;
    }
    let Some(metrics) = cluster.pod_metrics() else {
        return Output::error("error: Metrics API not available");
    };
    let pods = cluster.list(pods_resource, (!all).then_some(namespace.as_str()));
    let labels_of = |namespace: &str, name: &str| {
        pods.iter()
            .find(|p| p.namespace() == namespace && p.name() == name)
            .and_then(|p| p.metadata().labels.clone())
    };
    let mut chosen: Vec<PodMetrics> = metrics
        .into_iter()
        .filter(|m| all || m.namespace == namespace)
        .filter(|m| name.as_deref().is_none_or(|n| m.name == n))
        .filter(|m| {
            selector
                .as_ref()
                .is_none_or(|s| s.matches(labels_of(&m.namespace, &m.name).as_ref()))
        })
        .collect();
    if chosen.is_empty() {
        if let Some(name) = &name {
            return Output::error(format!(
                "Error from server (NotFound): podmetrics.metrics.k8s.io \"{namespace}/{name}\" not found"
            ));
        }
        // Why no metrics: pods that exist but are too new, or none at all.
        let candidates: Vec<_> = pods
            .iter()
            .filter(|p| {
                selector
                    .as_ref()
                    .is_none_or(|s| s.matches(p.metadata().labels.as_ref()))
            })
            .collect();
        if !candidates.is_empty() {
            for pod in &candidates {
                let created = pod
                    .metadata()
                    .creation_timestamp
                    .as_ref()
                    .map(cluster::SimTime::from_k8s_time)
                    .unwrap_or_default();
                let age = cluster.now().since(created).as_millis();
                if age > 120_000 {
                    return Output::error(format!(
                        "error: Metrics not available for pod {}/{}, age: {}",
                        pod.namespace(),
                        pod.name(),
                        go_duration(age)
                    ));
                }
            }
            return Output::error("error: metrics not available yet");
        }
        return Output {
            stdout: String::new(),
            stderr: if all {
                "No resources found\n".into()
            } else {
                format!("No resources found in {namespace} namespace.\n")
            },
            exit_code: 0,
            open_in_editor: None,
        };
    }
    chosen.sort_stable_by(|a, b| match sort {
        Some("cpu") => b.total().0.cmp(&a.total().0),
        Some(_) => b.total().1.cmp(&a.total().1),
        None if all && a.namespace != b.namespace => a.namespace.cmp(&b.namespace),
        None => a.name.cmp(&b.name),
    });
    let containers = parsed.flag("containers");
    let mut rows: Vec<Vec<String>> = Vec::new();
    if !parsed.flag("no-headers") {
        let mut header = Vec::new();
        if all {
            header.push("NAMESPACE".to_string());
        }
        if containers {
            header.push("POD".to_string());
        }
        header.extend(["NAME", "CPU(cores)", "MEMORY(bytes)"].map(String::from));
        rows.push(header);
    }
    for pod in &chosen {
        if containers {
            let mut list = pod.containers.clone();
            match sort {
                Some("cpu") => list.sort_stable_by_key(|c| std::cmp::Reverse(c.cpu_millicores)),
                Some(_) => list.sort_stable_by_key(|c| std::cmp::Reverse(c.memory_bytes)),
                None => list.sort_stable_by(|a, b| a.name.cmp(&b.name)),
            }
            for c in list {
                let mut row = Vec::new();
                if all {
                    row.push(pod.namespace.clone());
                }
                row.push(pod.name.clone());
                row.extend([
                    c.name.clone(),
                    cpu(c.cpu_millicores),
                    memory(c.memory_bytes),
                ]);
                rows.push(row);
            }
        } else {
            let (c, m) = pod.total();
            let mut row = Vec::new();
            if all {
                row.push(pod.namespace.clone());
            }
            row.extend([pod.name.clone(), cpu(c), memory(m)]);
            rows.push(row);
        }
    }
    if parsed.flag("sum") {
        let width = 3 + usize::from(all) + usize::from(containers);
        let (c, m) = chosen.iter().fold((0, 0), |(c, m), p| {
            let (pc, pm) = p.total();
            (c + pc, m + pm)
        });
        let mut line: Vec<String> = vec![String::new(); width - 2];
        line.extend(["________".to_string(), "________".to_string()]);
        rows.push(line);
        let mut total: Vec<String> = vec![String::new(); width - 3];
        total.extend([String::new(), cpu(c), memory(m)]);
        rows.push(total);
    }
    Output::ok(render(&rows))
}

fn top_node(cluster: &mut Cluster, args: &[String]) -> Output {
    let specs = [
        value("selector", Some('l')),
        value("sort-by", None),
        boolean("no-headers", None),
        boolean("show-capacity", None),
        boolean("use-protocol-buffers", None),
        boolean("show-swap", None),
    ];
    let parsed = match flags::parse(args, &specs, "top node") {
        Ok(p) => p,
        Err(e) => return Output::error(e),
    };
    let sort = match sort_by(&parsed) {
        Ok(s) => s,
        Err(o) => return o,
    };
    if parsed.positionals.len() > 1 {
        return Output::error(
            "error: node [NAME | -l label]\nSee 'kubectl top node -h' for help and examples",
        );
    }
    let name = parsed.positionals.first().cloned();
    if name.is_some() && parsed.is_set("selector") {
        return Output::error("error: only one of NAME or selector can be provided");
    }
    let selector = match parsed.value("selector").map(Selector::parse).transpose() {
        Ok(s) => s,
        Err(e) => return Output::error(format!("error: {e}")),
    };
    let Some(mut metrics) = cluster.node_metrics() else {
        return Output::error("error: Metrics API not available");
    };
    let nodes_resource = model::registry::resolve("nodes").expect("registered");
    let nodes: Vec<_> = cluster
        .list(nodes_resource, None)
        .into_iter()
        .filter(|n| name.as_deref().is_none_or(|x| n.name() == x))
        .filter(|n| {
            selector
                .as_ref()
                .is_none_or(|s| s.matches(n.metadata().labels.as_ref()))
        })
        .collect();
    if let Some(name) = &name {
        if !metrics.iter().any(|m| &m.name == name) {
            return Output::error(format!(
                "Error from server (NotFound): nodemetrics.metrics.k8s.io \"{name}\" not found"
            ));
        }
    }
    metrics.retain(|m| nodes.iter().any(|n| n.name() == m.name));
    if metrics.is_empty() {
        return Output::error("error: metrics not available yet");
    }
    metrics.sort_stable_by(|a, b| match sort {
        Some("cpu") => b.cpu_millicores.cmp(&a.cpu_millicores),
        Some(_) => b.memory_bytes.cmp(&a.memory_bytes),
        None => a.name.cmp(&b.name),
    });
    let field = if parsed.flag("show-capacity") {
        "capacity"
    } else {
        "allocatable"
    };
    let available = |node: &str| {
        let value = nodes
            .iter()
            .find(|n| n.name() == node)
            .map(|n| n.to_json_value()["status"][field].clone())
            .unwrap_or_default();
        let milli = |key: &str| {
            value[key]
                .as_str()
                .and_then(|q| model::quantity::Quantity::parse(q).ok())
                .map(|q| (q.nanos() / 1_000_000) as u64)
                .unwrap_or(0)
        };
        (milli("cpu"), milli("memory") / 1000)
    };
    let mut rows: Vec<Vec<String>> = Vec::new();
    if !parsed.flag("no-headers") {
        rows.push(
            ["NAME", "CPU(cores)", "CPU(%)", "MEMORY(bytes)", "MEMORY(%)"]
                .map(String::from)
                .to_vec(),
        );
    }
    let percent = |used: u64, of: u64| format!("{}%", (used * 100).checked_div(of).unwrap_or(0));
    for m in &metrics {
        let (cpu_available, memory_available) = available(&m.name);
        // Percentages are of milli-values, as kubectl computes them.
        rows.push(vec![
            m.name.clone(),
            cpu(m.cpu_millicores),
            percent(m.cpu_millicores, cpu_available),
            memory(m.memory_bytes),
            percent(m.memory_bytes, memory_available),
        ]);
    }
    // Nodes whose kubelet reports nothing.
    for node in &nodes {
        if !metrics.iter().any(|m| m.name == node.name()) {
            rows.push(vec![
                node.name().to_string(),
                "<unknown>".into(),
                "<unknown>".into(),
                "<unknown>".into(),
                "<unknown>".into(),
            ]);
        }
    }
    Output::ok(render(&rows))
}
