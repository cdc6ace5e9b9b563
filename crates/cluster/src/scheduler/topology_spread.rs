//! PodTopologySpread: a pod's `topologySpreadConstraints` — with `DoNotSchedule` a node is ruled
//! out when placing the pod there would make its domain hold more than `maxSkew` matching pods
//! beyond the emptiest eligible domain (`minDomains` counts missing domains as empty); with
//! `ScheduleAnyway` emptier domains only score higher. A pod without constraints that belongs
//! to a ReplicaSet, ReplicationController or StatefulSet gets the cluster's default ones
//! (hostname maxSkew 3 and zone maxSkew 5, both ScheduleAnyway), so replicas spread over nodes
//! and zones as on a real cluster.

use std::collections::BTreeMap;

use model::selector::Selector;
use serde_json::{json, Value};

use super::inter_pod_affinity::PodView;
use super::NodeInfo;

/// One constraint with the counts of matching pods per domain.
#[derive(Debug, Clone)]
pub(super) struct Spread {
    key: String,
    max_skew: i64,
    /// `DoNotSchedule`.
    hard: bool,
    counts: BTreeMap<String, i64>,
    /// The emptiest eligible domain's count (0 when fewer domains than `minDomains`).
    minimum: i64,
    /// The incoming pod matches the constraint's selector (it counts once placed).
    counts_itself: bool,
}

fn default_constraints(pod: &Value) -> Vec<Value> {
    let owned = pod["metadata"]["ownerReferences"]
        .as_array()
        .into_iter()
        .flatten()
        .any(|r| {
            r["controller"] == true
                && matches!(
                    r["kind"].as_str(),
                    Some("ReplicaSet" | "ReplicationController" | "StatefulSet")
                )
        });
    if !owned {
        return Vec::new();
    }
    let labels = &pod["metadata"]["labels"];
    vec![
        json!({"maxSkew": 3, "topologyKey": "kubernetes.io/hostname", "whenUnsatisfiable": "ScheduleAnyway", "labelSelector": {"matchLabels": labels}}),
        json!({"maxSkew": 5, "topologyKey": "topology.kubernetes.io/zone", "whenUnsatisfiable": "ScheduleAnyway", "labelSelector": {"matchLabels": labels}}),
    ]
}

/// The pod's constraints with their counts over the nodes it may run on.
pub(super) fn spreads(pod: &Value, infos: &[NodeInfo]) -> Vec<Spread> {
    let declared: Vec<Value> = pod["spec"]["topologySpreadConstraints"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let constraints = if declared.is_empty() {
        default_constraints(pod)
    } else {
        declared
    };
    if constraints.is_empty() {
        return Vec::new();
    }
    let namespace = pod["metadata"]["namespace"].as_str().unwrap_or("default");
    let own = PodView::of(pod);
    let eligible: Vec<&NodeInfo> = infos
        .iter()
        .filter(|i| super::node_matches_affinity(pod, &i.node))
        .collect();
    constraints
        .iter()
        .map(|constraint| {
            let parsed: Option<
                model::k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelector,
            > = serde_json::from_value(constraint["labelSelector"].clone()).ok();
            let selector = Selector::from_label_selector(parsed.as_ref());
            let key = constraint["topologyKey"].as_str().unwrap_or("").to_string();
            let mut counts: BTreeMap<String, i64> = BTreeMap::new();
            for info in &eligible {
                let Some(domain) = info.node["metadata"]["labels"][&key].as_str() else {
                    continue;
                };
                let matching = info
                    .pods
                    .iter()
                    .filter(|p| p["metadata"]["deletionTimestamp"].is_null())
                    .map(PodView::of)
                    .filter(|p| p.namespace == namespace && selector.matches(p.labels.as_ref()))
                    .count() as i64;
                *counts.entry(domain.to_string()).or_default() += matching;
            }
            let min_domains = constraint["minDomains"].as_i64().unwrap_or(1);
            let minimum = if (counts.len() as i64) < min_domains {
                0
            } else {
                counts.values().copied().min().unwrap_or(0)
            };
            Spread {
                key,
                max_skew: constraint["maxSkew"].as_i64().unwrap_or(1).max(1),
                hard: constraint["whenUnsatisfiable"].as_str() != Some("ScheduleAnyway"),
                counts,
                minimum,
                counts_itself: selector.matches(own.labels.as_ref()),
            }
        })
        .collect()
}

/// The filter: `Err(reason)` when a hard constraint rules the node out.
pub(super) fn check(spreads: &[Spread], node: &Value) -> Result<(), &'static str> {
    for spread in spreads.iter().filter(|s| s.hard) {
        let Some(domain) = node["metadata"]["labels"][&spread.key].as_str() else {
            return Err(
                "node(s) didn't match pod topology spread constraints (missing required label)",
            );
        };
        let count =
            spread.counts.get(domain).copied().unwrap_or(0) + i64::from(spread.counts_itself);
        if count - spread.minimum > spread.max_skew {
            return Err("node(s) didn't match pod topology spread constraints");
        }
    }
    Ok(())
}

/// The soft part of the score: how many matching pods the node's domains already hold
/// (fewer is better), weighted by each constraint's skew allowance.
pub(super) fn crowding(spreads: &[Spread], node: &Value) -> i64 {
    spreads
        .iter()
        .filter(|s| !s.hard)
        .map(|spread| {
            let domain = node["metadata"]["labels"][&spread.key]
                .as_str()
                .unwrap_or("");
            spread.counts.get(domain).copied().unwrap_or(0) * 10 / spread.max_skew
        })
        .sum()
}
