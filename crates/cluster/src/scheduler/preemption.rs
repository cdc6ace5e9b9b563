//! DefaultPreemption: when a pod fits nowhere, the nodes it misses only for resources (CPU,
//! memory, pod count) are tried again without pods of lower priority. On each such node every
//! lower-priority pod is a potential victim, and the most important ones are reprieved while the
//! pod still fits — those whose eviction would break a PodDisruptionBudget first; the node with
//! the fewest budget violations wins, then the lowest highest-victim priority, the lowest sum of
//! victim priorities and the fewest victims (see [`find`]). The victims are deleted gracefully (each with a `Preempted` event) and the preemptor is nominated
//! to the node, where it is scheduled once they are gone. `preemptionPolicy: Never` opts out.

use model::sort::SortSlice;
use serde_json::Value;

use super::{pod_requests, NodeInfo};

/// A node where preemption makes room, and whom it evicts.
#[derive(Debug)]
pub(super) struct Candidate {
    pub node: String,
    /// (namespace, name) of each victim.
    pub victims: Vec<(String, String)>,
}

fn priority(pod: &Value) -> i64 {
    pod["spec"]["priority"].as_i64().unwrap_or(0)
}

/// Whether a filter failure is one preemption can fix here (resources only).
pub(super) fn fixable(reasons: &[String]) -> bool {
    reasons
        .iter()
        .all(|r| r.starts_with("Insufficient ") || r == "Too many pods")
}

/// A node's pods of lower priority than `incoming` that are not already terminating: the
/// potential victims.
fn lower_priority_pods(info: &NodeInfo, incoming: i64) -> Vec<&Value> {
    info.pods
        .iter()
        .filter(|p| priority(p) < incoming && p["metadata"]["deletionTimestamp"].is_null())
        .collect()
}

/// The node's requested CPU, memory and pod count with `victims` gone.
fn usage_without(info: &NodeInfo, victims: &[&Value]) -> (i128, i128, i128) {
    victims.iter().fold(
        (info.requested_cpu, info.requested_memory, info.pod_count),
        |(cpu, memory, count), victim| {
            let (c, m) = pod_requests(victim);
            (cpu - c, memory - m, count - 1)
        },
    )
}

/// What preemption reports of a node the pod missed for reasons preemption might fix
/// (upstream's `SelectVictimsOnNode` status in the `preemption:` half of the message): with no
/// lower-priority pod there, "No preemption victims found for incoming pod"; otherwise the
/// filter's reasons once every lower-priority pod is gone (resources are counted again; other
/// reasons stand as they were).
pub(super) fn node_verdict(pod: &Value, info: &NodeInfo, reasons: &[String]) -> Vec<String> {
    let incoming = priority(pod);
    let potential = lower_priority_pods(info, incoming);
    if potential.is_empty() {
        return vec!["No preemption victims found for incoming pod".to_string()];
    }
    if !fixable(reasons) {
        return reasons.to_vec();
    }
    let (cpu, memory) = pod_requests(pod);
    let (used_cpu, used_memory, count) = usage_without(info, &potential);
    let mut still = Vec::new();
    if count + 1 > info.allocatable_pods {
        still.push("Too many pods".to_string());
    }
    if cpu > 0 && used_cpu + cpu > info.allocatable_cpu {
        still.push("Insufficient cpu".to_string());
    }
    if memory > 0 && used_memory + memory > info.allocatable_memory {
        still.push("Insufficient memory".to_string());
    }
    still
}

/// A PodDisruptionBudget as preemption weighs it: its namespace, selector and how many
/// disruptions it allows now.
pub(super) struct Budget {
    pub namespace: String,
    pub selector: model::selector::Selector,
    pub allowed: i64,
}

fn labels_of(pod: &Value) -> Option<std::collections::BTreeMap<String, String>> {
    serde_json::from_value(pod["metadata"]["labels"].clone()).ok()
}

/// The best node to preempt on among `nodes` (those the pod misses only for resources), as
/// upstream's DefaultPreemption picks it: on each node every lower-priority pod is a potential
/// victim; then, most important first, pods whose eviction would break a PodDisruptionBudget
/// and then the others are reprieved while the pod still fits. The node with the fewest
/// budget violations wins, then the lowest highest-victim priority, the lowest sum of victim
/// priorities, the fewest victims.
pub(super) fn find(pod: &Value, nodes: &[&NodeInfo], budgets: &[Budget]) -> Option<Candidate> {
    if pod["spec"]["preemptionPolicy"] == "Never" {
        return None;
    }
    let incoming = priority(pod);
    let (cpu, memory) = pod_requests(pod);
    // (violations, highest victim priority, sum of priorities, victims) → candidate.
    let mut best: Option<((usize, i64, i64, usize), Candidate)> = None;
    for info in nodes {
        let mut potential = lower_priority_pods(info, incoming);
        if potential.is_empty() {
            continue;
        }
        let fits = |c: i128, m: i128, n: i128| {
            (cpu == 0 || c + cpu <= info.allocatable_cpu)
                && (memory == 0 || m + memory <= info.allocatable_memory)
                && n < info.allocatable_pods
        };
        // Everything lower-priority gone: does the pod fit at all?
        let (mut used_cpu, mut used_memory, mut count) = usage_without(info, &potential);
        if !fits(used_cpu, used_memory, count) {
            continue;
        }
        // Most important first (higher priority, then older).
        potential.sort_stable_by(|a, b| {
            priority(b).cmp(&priority(a)).then_with(|| {
                a["metadata"]["creationTimestamp"]
                    .as_str()
                    .cmp(&b["metadata"]["creationTimestamp"].as_str())
            })
        });
        // Which evictions would break a budget (each matching pod uses one disruption).
        let mut allowed: Vec<i64> = budgets.iter().map(|b| b.allowed).collect();
        let (mut violating, mut others): (Vec<&Value>, Vec<&Value>) = (Vec::new(), Vec::new());
        for victim in potential {
            let namespace = victim["metadata"]["namespace"]
                .as_str()
                .unwrap_or("default");
            let labels = labels_of(victim);
            let mut breaks = false;
            for (i, budget) in budgets.iter().enumerate() {
                if budget.namespace == namespace && budget.selector.matches(labels.as_ref()) {
                    allowed[i] -= 1;
                    if allowed[i] < 0 {
                        breaks = true;
                    }
                }
            }
            if breaks {
                violating.push(victim);
            } else {
                others.push(victim);
            }
        }
        let mut victims = Vec::new();
        let (mut violations, mut highest, mut sum) = (0usize, i64::MIN, 0i64);
        for (is_violating, candidate) in violating
            .into_iter()
            .map(|v| (true, v))
            .chain(others.into_iter().map(|v| (false, v)))
        {
            let (c, m) = pod_requests(candidate);
            if fits(used_cpu + c, used_memory + m, count + 1) {
                // Reprieved: it stays.
                used_cpu += c;
                used_memory += m;
                count += 1;
                continue;
            }
            if is_violating {
                violations += 1;
            }
            highest = highest.max(priority(candidate));
            sum += priority(candidate);
            victims.push((
                candidate["metadata"]["namespace"]
                    .as_str()
                    .unwrap_or("default")
                    .to_string(),
                candidate["metadata"]["name"]
                    .as_str()
                    .unwrap_or("")
                    .to_string(),
            ));
        }
        if victims.is_empty() {
            continue;
        }
        let score = (violations, highest, sum, victims.len());
        if best.as_ref().is_none_or(|(b, _)| score < *b) {
            best = Some((
                score,
                Candidate {
                    node: info.name.clone(),
                    victims,
                },
            ));
        }
    }
    best.map(|(_, candidate)| candidate)
}
