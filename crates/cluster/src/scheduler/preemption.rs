//! DefaultPreemption: when a pod fits nowhere, the nodes it misses only for resources (CPU,
//! memory, pod count) are tried again without pods of lower priority. On each such node the
//! victims are the lowest-priority pods (newest first among equals) until the pod fits; the node
//! whose worst victim has the lowest priority wins, then the one with the fewest victims. The
//! victims are deleted gracefully (each with a `Preempted` event) and the preemptor is nominated
//! to the node, where it is scheduled once they are gone. `preemptionPolicy: Never` opts out.

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

/// The best node to preempt on among `nodes` (those the pod misses only for resources).
pub(super) fn find(pod: &Value, nodes: &[&NodeInfo]) -> Option<Candidate> {
    if pod["spec"]["preemptionPolicy"] == "Never" {
        return None;
    }
    let incoming = priority(pod);
    let (cpu, memory) = pod_requests(pod);
    let mut best: Option<(i64, usize, Candidate)> = None;
    for info in nodes {
        let mut lower: Vec<&Value> = info
            .pods
            .iter()
            .filter(|p| priority(p) < incoming && p["metadata"]["deletionTimestamp"].is_null())
            .collect();
        // Lowest priority first; among equals the newest goes first.
        lower.sort_by(|a, b| {
            priority(a).cmp(&priority(b)).then_with(|| {
                b["metadata"]["creationTimestamp"]
                    .as_str()
                    .cmp(&a["metadata"]["creationTimestamp"].as_str())
            })
        });
        let (mut used_cpu, mut used_memory, mut count) =
            (info.requested_cpu, info.requested_memory, info.pod_count);
        let fits = |c: i128, m: i128, n: i128| {
            (cpu == 0 || c + cpu <= info.allocatable_cpu)
                && (memory == 0 || m + memory <= info.allocatable_memory)
                && n < info.allocatable_pods
        };
        let mut victims = Vec::new();
        let mut worst = i64::MIN;
        for victim in lower {
            if fits(used_cpu, used_memory, count) {
                break;
            }
            let (c, m) = pod_requests(victim);
            used_cpu -= c;
            used_memory -= m;
            count -= 1;
            worst = worst.max(priority(victim));
            victims.push((
                victim["metadata"]["namespace"]
                    .as_str()
                    .unwrap_or("default")
                    .to_string(),
                victim["metadata"]["name"]
                    .as_str()
                    .unwrap_or("")
                    .to_string(),
            ));
        }
        if victims.is_empty() || !fits(used_cpu, used_memory, count) {
            continue;
        }
        let better = best
            .as_ref()
            .is_none_or(|(w, n, _)| (worst, victims.len()) < (*w, *n));
        if better {
            best = Some((
                worst,
                victims.len(),
                Candidate {
                    node: info.name.clone(),
                    victims,
                },
            ));
        }
    }
    best.map(|(_, _, candidate)| candidate)
}
