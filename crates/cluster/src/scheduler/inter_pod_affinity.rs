//! InterPodAffinity and NodePorts, as kube-scheduler's plugins of those names decide.
//!
//! - Required pod affinity: a node fits when, in its topology domain (the nodes sharing its
//!   value of the term's `topologyKey`), some pod matches the term — or, for the first pod of a
//!   group, when no pod anywhere matches and the incoming pod matches its own term.
//! - Required anti-affinity: no matching pod in the domain; and no existing pod whose own
//!   required anti-affinity matches the incoming pod shares a domain with the node.
//! - Preferred terms add (affinity) or subtract (anti-affinity) their weight per node whose
//!   domain holds matching pods; the scores are normalised to 0–100.
//! - NodePorts: a `hostPort` already taken on the node (same port, protocol and host IP, or a
//!   wildcard IP) rules it out.

use std::collections::{BTreeMap, BTreeSet};

use model::selector::Selector;
use serde_json::Value;

/// One affinity term, parsed.
#[derive(Debug, Clone)]
pub(super) struct Term {
    selector: Selector,
    /// `None`: every namespace (an empty namespaceSelector).
    namespaces: Option<BTreeSet<String>>,
    topology_key: String,
    weight: i64,
}

/// A pod as the affinity checks see it.
#[derive(Debug, Clone)]
pub(super) struct PodView<'a> {
    pub namespace: &'a str,
    pub labels: Option<BTreeMap<String, String>>,
}

impl<'a> PodView<'a> {
    pub fn of(value: &'a Value) -> PodView<'a> {
        PodView {
            namespace: value["metadata"]["namespace"].as_str().unwrap_or("default"),
            labels: serde_json::from_value(value["metadata"]["labels"].clone()).ok(),
        }
    }
}

fn parse_term(
    term: &Value,
    own_namespace: &str,
    namespace_labels: &BTreeMap<String, BTreeMap<String, String>>,
    weight: i64,
) -> Term {
    let selector: Option<model::k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelector> =
        serde_json::from_value(term["labelSelector"].clone()).ok();
    // No labelSelector matches nothing.
    let selector = match selector {
        Some(s) => Selector::from_label_selector(Some(&s)),
        None => Selector::parse("kubeplay.invalid/no-selector=x,kubeplay.invalid/no-selector!=x")
            .unwrap_or_default(),
    };
    let listed: BTreeSet<String> = term["namespaces"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|n| n.as_str().map(str::to_string))
        .collect();
    let namespaces = if term["namespaceSelector"].is_object() {
        let parsed: Option<model::k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelector> =
            serde_json::from_value(term["namespaceSelector"].clone()).ok();
        let namespace_selector = Selector::from_label_selector(parsed.as_ref());
        if namespace_selector.is_empty() {
            None
        } else {
            let mut chosen = listed;
            chosen.extend(
                namespace_labels
                    .iter()
                    .filter(|(_, labels)| namespace_selector.matches(Some(labels)))
                    .map(|(name, _)| name.clone()),
            );
            Some(chosen)
        }
    } else if listed.is_empty() {
        Some(BTreeSet::from([own_namespace.to_string()]))
    } else {
        Some(listed)
    };
    Term {
        selector,
        namespaces,
        topology_key: term["topologyKey"].as_str().unwrap_or("").to_string(),
        weight,
    }
}

impl Term {
    pub fn topology_key(&self) -> &str {
        &self.topology_key
    }

    pub fn weight(&self) -> i64 {
        self.weight
    }

    pub fn matches(&self, pod: &PodView<'_>) -> bool {
        self.namespaces
            .as_ref()
            .is_none_or(|n| n.contains(pod.namespace))
            && self.selector.matches(pod.labels.as_ref())
    }
}

/// A pod's terms: (required affinity, required anti-affinity, preferred affinity, preferred
/// anti-affinity).
pub(super) struct PodTerms {
    pub affinity: Vec<Term>,
    pub anti_affinity: Vec<Term>,
    pub preferred_affinity: Vec<Term>,
    pub preferred_anti_affinity: Vec<Term>,
}

impl PodTerms {
    pub fn of(
        pod: &Value,
        namespace_labels: &BTreeMap<String, BTreeMap<String, String>>,
    ) -> PodTerms {
        let own = pod["metadata"]["namespace"].as_str().unwrap_or("default");
        let required = |kind: &str| -> Vec<Term> {
            pod["spec"]["affinity"][kind]["requiredDuringSchedulingIgnoredDuringExecution"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|t| parse_term(t, own, namespace_labels, 0))
                .collect()
        };
        let preferred = |kind: &str| -> Vec<Term> {
            pod["spec"]["affinity"][kind]["preferredDuringSchedulingIgnoredDuringExecution"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|t| {
                    parse_term(
                        &t["podAffinityTerm"],
                        own,
                        namespace_labels,
                        t["weight"].as_i64().unwrap_or(0),
                    )
                })
                .collect()
        };
        PodTerms {
            affinity: required("podAffinity"),
            anti_affinity: required("podAntiAffinity"),
            preferred_affinity: preferred("podAffinity"),
            preferred_anti_affinity: preferred("podAntiAffinity"),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.affinity.is_empty()
            && self.anti_affinity.is_empty()
            && self.preferred_affinity.is_empty()
            && self.preferred_anti_affinity.is_empty()
    }
}

/// The topology domains (topologyKey → values) in which pods matching a term run.
pub(super) fn domains_with_matches(
    term: &Term,
    placed: &[(&Value, Vec<PodView<'_>>)],
) -> BTreeSet<String> {
    placed
        .iter()
        .filter(|(_, pods)| pods.iter().any(|p| term.matches(p)))
        .filter_map(|(node, _)| {
            node["metadata"]["labels"][&term.topology_key]
                .as_str()
                .map(str::to_string)
        })
        .collect()
}

/// Whether any pod anywhere matches the term.
pub(super) fn any_match(term: &Term, placed: &[(&Value, Vec<PodView<'_>>)]) -> bool {
    placed
        .iter()
        .any(|(_, pods)| pods.iter().any(|p| term.matches(p)))
}

/// The host ports a pod asks for: (port, protocol, host IP).
pub(super) fn host_ports(pod: &Value) -> Vec<(i64, String, String)> {
    pod["spec"]["containers"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|c| c["ports"].as_array().into_iter().flatten())
        .filter_map(|p| {
            let port = p["hostPort"].as_i64().filter(|p| *p > 0)?;
            Some((
                port,
                p["protocol"].as_str().unwrap_or("TCP").to_string(),
                p["hostIP"].as_str().unwrap_or("0.0.0.0").to_string(),
            ))
        })
        .collect()
}

/// Whether two host-port requests collide.
pub(super) fn ports_conflict(a: &(i64, String, String), b: &(i64, String, String)) -> bool {
    a.0 == b.0 && a.1 == b.1 && (a.2 == b.2 || a.2 == "0.0.0.0" || b.2 == "0.0.0.0")
}
