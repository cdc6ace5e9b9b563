//! NetworkPolicy as the simulated network enforces it (as a policy-enforcing CNI does): a pod
//! selected by a policy with an Ingress part accepts only what one of that part's rules allows
//! (peers by pod selector, namespace selector, or ipBlock with exceptions; ports by number,
//! name or range); a pod selected by a policy with an Egress part sends only what one of its
//! rules allows — including DNS, so a default-deny egress policy breaks name lookups. Pods no
//! policy selects are open. Denied packets are dropped: the client times out.

use std::collections::BTreeMap;

use model::selector::Selector;
use model::Object;
use serde_json::Value;

/// A pod as policies see it.
#[derive(Debug, Clone)]
pub(super) struct PodIdentity {
    pub namespace: String,
    pub labels: BTreeMap<String, String>,
    /// Container port name → number (for named ports in rules).
    pub named_ports: BTreeMap<String, u16>,
}

#[derive(Debug, Clone)]
enum Peer {
    Pods {
        namespaces: Option<Selector>,
        pods: Option<Selector>,
    },
    Addresses {
        cidr: (u32, u32),
        except: Vec<(u32, u32)>,
    },
}

#[derive(Debug, Clone)]
enum PortMatch {
    Any,
    Number { first: u16, last: u16 },
    Named(String),
}

#[derive(Debug, Clone)]
struct PortRule {
    protocol: String,
    port: PortMatch,
}

#[derive(Debug, Clone)]
struct Rule {
    /// Empty: every peer.
    peers: Vec<Peer>,
    /// Empty: every port.
    ports: Vec<PortRule>,
}

#[derive(Debug, Clone)]
struct Policy {
    namespace: String,
    selects: Selector,
    ingress: Option<Vec<Rule>>,
    egress: Option<Vec<Rule>>,
}

/// Every NetworkPolicy of the cluster, parsed.
#[derive(Debug, Clone, Default)]
pub(super) struct Policies {
    policies: Vec<Policy>,
    namespace_labels: BTreeMap<String, BTreeMap<String, String>>,
}

fn selector(value: &Value) -> Option<Selector> {
    if value.is_null() {
        return None;
    }
    let parsed: Option<model::k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelector> =
        serde_json::from_value(value.clone()).ok();
    Some(Selector::from_label_selector(parsed.as_ref()))
}

/// `10.0.0.0/24` → (network, mask).
fn cidr(text: &str) -> Option<(u32, u32)> {
    let (address, bits) = text.split_once('/')?;
    let address: std::net::Ipv4Addr = address.parse().ok()?;
    let bits: u32 = bits.parse().ok().filter(|b| *b <= 32)?;
    let mask = if bits == 0 {
        0
    } else {
        u32::MAX << (32 - bits)
    };
    Some((u32::from(address) & mask, mask))
}

fn in_cidr(address: &str, (network, mask): (u32, u32)) -> bool {
    address
        .parse::<std::net::Ipv4Addr>()
        .is_ok_and(|a| u32::from(a) & mask == network)
}

fn rules(value: &Value, peers_key: &str) -> Vec<Rule> {
    value
        .as_array()
        .into_iter()
        .flatten()
        .map(|rule| Rule {
            peers: rule[peers_key]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|peer| {
                    if peer["ipBlock"].is_object() {
                        Some(Peer::Addresses {
                            cidr: cidr(peer["ipBlock"]["cidr"].as_str()?)?,
                            except: peer["ipBlock"]["except"]
                                .as_array()
                                .into_iter()
                                .flatten()
                                .filter_map(|e| cidr(e.as_str()?))
                                .collect(),
                        })
                    } else {
                        Some(Peer::Pods {
                            namespaces: selector(&peer["namespaceSelector"]),
                            pods: selector(&peer["podSelector"]),
                        })
                    }
                })
                .collect(),
            ports: rule["ports"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|p| PortRule {
                    protocol: p["protocol"].as_str().unwrap_or("TCP").to_string(),
                    port: match (&p["port"], p["endPort"].as_u64()) {
                        (Value::Number(n), end) => {
                            let first = n.as_u64().unwrap_or(0).min(65535) as u16;
                            PortMatch::Number {
                                first,
                                last: end.map_or(first, |e| e.min(65535) as u16),
                            }
                        }
                        (Value::String(name), _) => PortMatch::Named(name.clone()),
                        _ => PortMatch::Any,
                    },
                })
                .collect(),
        })
        .collect()
}

impl Policies {
    pub fn build(policies: &[std::rc::Rc<Object>], namespaces: &[std::rc::Rc<Object>]) -> Self {
        let parsed = policies
            .iter()
            .filter(|p| p.metadata().deletion_timestamp.is_none())
            .map(|policy| {
                let value = policy.to_json_value();
                let spec = &value["spec"];
                let types: Vec<&str> = spec["policyTypes"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(Value::as_str)
                    .collect();
                let (has_ingress, has_egress) = if types.is_empty() {
                    (true, spec["egress"].is_array())
                } else {
                    (types.contains(&"Ingress"), types.contains(&"Egress"))
                };
                Policy {
                    namespace: policy.namespace().to_string(),
                    selects: selector(&spec["podSelector"]).unwrap_or_default(),
                    ingress: has_ingress.then(|| rules(&spec["ingress"], "from")),
                    egress: has_egress.then(|| rules(&spec["egress"], "to")),
                }
            })
            .collect();
        let namespace_labels = namespaces
            .iter()
            .map(|n| {
                let mut labels = n.metadata().labels.clone().unwrap_or_default();
                // The API server labels every namespace with its name.
                labels.insert("kubernetes.io/metadata.name".into(), n.name().to_string());
                (n.name().to_string(), labels)
            })
            .collect();
        Policies {
            policies: parsed,
            namespace_labels,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.policies.is_empty()
    }

    fn peer_matches(
        &self,
        peer: &Peer,
        policy_namespace: &str,
        pod: Option<&PodIdentity>,
        address: &str,
    ) -> bool {
        match peer {
            Peer::Addresses { cidr, except } => {
                in_cidr(address, *cidr) && !except.iter().any(|e| in_cidr(address, *e))
            }
            Peer::Pods { namespaces, pods } => {
                let Some(pod) = pod else {
                    return false;
                };
                let namespace_ok = match namespaces {
                    None => pod.namespace == policy_namespace,
                    Some(selector) => selector.matches(self.namespace_labels.get(&pod.namespace)),
                };
                namespace_ok && pods.as_ref().is_none_or(|s| s.matches(Some(&pod.labels)))
            }
        }
    }

    fn port_matches(
        rule: &PortRule,
        port: u16,
        protocol: &str,
        target: Option<&PodIdentity>,
    ) -> bool {
        if rule.protocol != protocol {
            return false;
        }
        match &rule.port {
            PortMatch::Any => true,
            PortMatch::Number { first, last } => (*first..=*last).contains(&port),
            PortMatch::Named(name) => target.and_then(|t| t.named_ports.get(name)) == Some(&port),
        }
    }

    /// Whether a packet from (`source`, `source_address`) to the pod `target` at
    /// `target_address:port` gets through.
    pub fn allows(
        &self,
        source: Option<&PodIdentity>,
        source_address: &str,
        target: Option<&PodIdentity>,
        target_address: &str,
        port: u16,
        protocol: &str,
    ) -> bool {
        if self.policies.is_empty() {
            return true;
        }
        if let Some(target_pod) = target {
            let applying: Vec<&Policy> = self
                .policies
                .iter()
                .filter(|p| p.namespace == target_pod.namespace && p.ingress.is_some())
                .filter(|p| p.selects.matches(Some(&target_pod.labels)))
                .collect();
            if !applying.is_empty() {
                let admitted = applying.iter().any(|policy| {
                    policy.ingress.iter().flatten().any(|rule| {
                        (rule.peers.is_empty()
                            || rule.peers.iter().any(|peer| {
                                self.peer_matches(peer, &policy.namespace, source, source_address)
                            }))
                            && (rule.ports.is_empty()
                                || rule
                                    .ports
                                    .iter()
                                    .any(|r| Self::port_matches(r, port, protocol, target)))
                    })
                });
                if !admitted {
                    return false;
                }
            }
        }
        if let Some(source_pod) = source {
            let applying: Vec<&Policy> = self
                .policies
                .iter()
                .filter(|p| p.namespace == source_pod.namespace && p.egress.is_some())
                .filter(|p| p.selects.matches(Some(&source_pod.labels)))
                .collect();
            if !applying.is_empty() {
                return applying.iter().any(|policy| {
                    policy.egress.iter().flatten().any(|rule| {
                        (rule.peers.is_empty()
                            || rule.peers.iter().any(|peer| {
                                self.peer_matches(peer, &policy.namespace, target, target_address)
                            }))
                            && (rule.ports.is_empty()
                                || rule
                                    .ports
                                    .iter()
                                    .any(|r| Self::port_matches(r, port, protocol, target)))
                    })
                });
            }
        }
        true
    }
}
