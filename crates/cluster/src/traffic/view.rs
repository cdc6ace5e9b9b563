//! The network at one instant: Services with their ready endpoints (from EndpointSlices),
//! node and load-balancer addresses, and the listening containers by pod address; name lookup
//! as CoreDNS answers it and routing as kube-proxy's rules send packets.

use model::sort::SortSlice;
use std::collections::BTreeMap;

use model::Object;
use serde_json::Value;

use super::affinity::{AffinityChoice, KubeProxyMemory};
use super::policy::{PodIdentity, Policies};
use super::{answer, Client};
use crate::api::StoreExt;
use crate::kubelet::listeners::RunningListener;
use crate::runtime::network::{
    reason_phrase, Certificate, HttpOutcome, HttpRequest, Lookup, ServiceRecord,
};
use crate::{Cluster, SimTime};

const CLUSTER_DOMAIN: &str = "cluster.local";

#[derive(Debug, Clone)]
struct ServicePort {
    name: String,
    port: u16,
    node_port: Option<u16>,
    /// `tcp`, `udp` or `sctp`, as an SRV name spells it (`_http._tcp.web…`).
    protocol: String,
}

#[derive(Debug, Clone)]
struct Endpoint {
    address: String,
    ready: bool,
    node: String,
    hostname: Option<String>,
    /// Port name → port number on the pod.
    ports: BTreeMap<String, u16>,
}

#[derive(Debug, Clone)]
struct ServiceEntry {
    namespace: String,
    name: String,
    cluster_ip: Option<String>,
    external_name: Option<String>,
    ports: Vec<ServicePort>,
    /// `sessionAffinity: ClientIP`'s timeout (seconds); `None` without affinity.
    client_ip_affinity_seconds: Option<u64>,
    external_traffic_local: bool,
    publish_not_ready: bool,
    load_balancer_ips: Vec<String>,
    endpoints: Vec<Endpoint>,
}

/// Which port of a backend Service an Ingress names.
#[derive(Debug, Clone, PartialEq, Eq)]
enum PortReference {
    Number(u16),
    Name(String),
}

/// One path of an Ingress rule (or an Ingress's default backend: no host, no path).
#[derive(Debug, Clone)]
struct IngressRoute {
    namespace: String,
    host: Option<String>,
    path: Option<String>,
    /// `Exact`, `Prefix` or `ImplementationSpecific`.
    path_type: String,
    service: String,
    port: PortReference,
}

/// A `spec.tls` entry of an Ingress: its hosts and the certificate of its Secret (`None` when
/// the Secret is missing or holds no certificate: ingress-nginx then presents its default one).
#[derive(Debug, Clone)]
struct IngressTls {
    hosts: Vec<String>,
    certificate: Option<Certificate>,
}

/// The class the simulated ingress-nginx serves.
pub const INGRESS_CLASS: &str = "nginx";

/// The network at one instant.
#[derive(Debug, Clone, Default)]
pub struct NetworkView {
    /// `kubectl port-forward`s: local port → the pod's address and port.
    forwards: BTreeMap<u16, (String, u16)>,
    ingress_routes: Vec<IngressRoute>,
    ingress_tls: Vec<IngressTls>,
    policies: Policies,
    /// Pods on failed machines.
    unreachable: std::collections::BTreeSet<String>,
    /// Every pod with an address of its own (not host-network), for NetworkPolicy.
    identities: BTreeMap<String, PodIdentity>,
    now: SimTime,
    services: Vec<ServiceEntry>,
    node_addresses: BTreeMap<String, String>,
    listeners: BTreeMap<String, Vec<RunningListener>>,
    /// Pod address → (namespace, name), for `a-b-c-d.ns.pod` records.
    pods: BTreeMap<String, (String, String)>,
}

/// The names a pod's resolver tries before `name` itself (its resolv.conf: search
/// `ns.svc.cluster.local svc.cluster.local cluster.local`, ndots 5); none from outside.
fn search_path(name: &str, namespace: Option<&str>) -> Vec<String> {
    match namespace {
        Some(namespace) if name.matches('.').count() < 5 => vec![
            format!("{name}.{namespace}.svc.{CLUSTER_DOMAIN}"),
            format!("{name}.svc.{CLUSTER_DOMAIN}"),
            format!("{name}.{CLUSTER_DOMAIN}"),
        ],
        _ => Vec::new(),
    }
}

/// Whether an Ingress host `*.example.com` covers `host`: exactly one more label in front.
fn wildcard_covers(pattern: &str, host: &str) -> bool {
    pattern.strip_prefix("*.").is_some_and(|suffix| {
        host.strip_suffix(suffix)
            .and_then(|rest| rest.strip_suffix('.'))
            .is_some_and(|label| !label.is_empty() && !label.contains('.'))
    })
}

fn resource(plural: &str) -> &'static model::ResourceType {
    model::registry::resolve(plural).expect("the network's resources are registered")
}

fn text(value: &Value, pointer: &str) -> Option<String> {
    value
        .pointer(pointer)
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

/// A Service's ready endpoints for one of its ports (on one node only, when given), with the
/// pod port that port resolves to.
fn ready_endpoints<'s>(
    service: &'s ServiceEntry,
    port_name: &str,
    only_node: Option<&str>,
) -> Vec<(&'s Endpoint, u16)> {
    service
        .endpoints
        .iter()
        .filter(|e| e.ready)
        .filter(|e| only_node.is_none_or(|n| e.node == n))
        .filter_map(|e| e.ports.get(port_name).map(|p| (e, *p)))
        .collect()
}

impl NetworkView {
    pub(crate) fn build(cluster: &Cluster) -> NetworkView {
        let store = cluster.api.store();
        let mut slices_by_service: BTreeMap<(String, String), Vec<Value>> = BTreeMap::new();
        for slice in store.list(resource("endpointslices"), None) {
            let value = slice.to_json_value();
            if let Some(service) = text(&value, "/metadata/labels/kubernetes.io~1service-name") {
                slices_by_service
                    .entry((slice.namespace().to_string(), service))
                    .or_default()
                    .push(value);
            }
        }
        let mut services = Vec::new();
        for service in store.list(resource("services"), None) {
            let value = service.to_json_value();
            let spec = &value["spec"];
            let namespace = service.namespace().to_string();
            let name = service.name().to_string();
            let mut endpoints = Vec::new();
            for slice in slices_by_service
                .get(&(namespace.clone(), name.clone()))
                .into_iter()
                .flatten()
            {
                let ports: BTreeMap<String, u16> = slice["ports"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(|p| {
                        Some((
                            p["name"].as_str().unwrap_or("").to_string(),
                            u16::try_from(p["port"].as_i64()?).ok()?,
                        ))
                    })
                    .collect();
                for endpoint in slice["endpoints"].as_array().into_iter().flatten() {
                    let ready = endpoint["conditions"]["ready"].as_bool().unwrap_or(true);
                    for address in endpoint["addresses"].as_array().into_iter().flatten() {
                        let Some(address) = address.as_str() else {
                            continue;
                        };
                        endpoints.push(Endpoint {
                            address: address.to_string(),
                            ready,
                            node: text(endpoint, "/nodeName").unwrap_or_default(),
                            hostname: text(endpoint, "/hostname"),
                            ports: ports.clone(),
                        });
                    }
                }
            }
            let cluster_ip = text(spec, "/clusterIP").filter(|ip| ip != "None");
            services.push(ServiceEntry {
                namespace,
                name,
                cluster_ip,
                external_name: (spec["type"] == "ExternalName")
                    .then(|| text(spec, "/externalName"))
                    .flatten(),
                ports: spec["ports"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(|p| {
                        Some(ServicePort {
                            name: p["name"].as_str().unwrap_or("").to_string(),
                            port: u16::try_from(p["port"].as_i64()?).ok()?,
                            node_port: p["nodePort"].as_i64().and_then(|n| u16::try_from(n).ok()),
                            protocol: p["protocol"].as_str().unwrap_or("TCP").to_ascii_lowercase(),
                        })
                    })
                    .collect(),
                client_ip_affinity_seconds: (spec["sessionAffinity"] == "ClientIP").then(|| {
                    spec["sessionAffinityConfig"]["clientIP"]["timeoutSeconds"]
                        .as_u64()
                        .unwrap_or(model::defaults::DEFAULT_CLIENT_IP_AFFINITY_SECONDS as u64)
                }),
                external_traffic_local: spec["externalTrafficPolicy"] == "Local",
                publish_not_ready: spec["publishNotReadyAddresses"] == true,
                load_balancer_ips: value["status"]["loadBalancer"]["ingress"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(|i| i["ip"].as_str().map(str::to_string))
                    .collect(),
                endpoints,
            });
        }
        let mut node_addresses = BTreeMap::new();
        for node in store.list(resource("nodes"), None) {
            if let Object::Node(typed) = &*node {
                for address in typed
                    .status
                    .as_ref()
                    .and_then(|s| s.addresses.as_ref())
                    .into_iter()
                    .flatten()
                    .filter(|a| a.type_ == "InternalIP")
                {
                    node_addresses.insert(address.address.clone(), node.name().to_string());
                }
            }
        }
        let mut listeners: BTreeMap<String, Vec<RunningListener>> = BTreeMap::new();
        let mut pods = BTreeMap::new();
        for listener in cluster.running_listeners() {
            pods.insert(
                listener.pod_ip.clone(),
                (listener.namespace.clone(), listener.pod_name.clone()),
            );
            listeners
                .entry(listener.pod_ip.clone())
                .or_default()
                .push(listener);
        }
        let mut ingress_routes = Vec::new();
        let mut ingress_tls = Vec::new();
        for ingress in store.list(resource("ingresses"), None) {
            let value = ingress.to_json_value();
            let class = text(&value, "/spec/ingressClassName")
                .or_else(|| text(&value, "/metadata/annotations/kubernetes.io~1ingress.class"));
            if class.as_deref() != Some(INGRESS_CLASS)
                || ingress.metadata().deletion_timestamp.is_some()
            {
                continue;
            }
            let namespace = ingress.namespace().to_string();
            for tls in value["spec"]["tls"].as_array().into_iter().flatten() {
                let certificate = text(tls, "/secretName")
                    .and_then(|name| {
                        store
                            .get(&crate::api::key_for(resource("secrets"), &namespace, &name))
                            .cloned()
                    })
                    .and_then(|secret| match &*secret {
                        Object::Secret(secret) => secret
                            .data
                            .as_ref()
                            .and_then(|d| d.get("tls.crt"))
                            .and_then(|pem| Certificate::from_pem(&pem.0)),
                        _ => None,
                    });
                ingress_tls.push(IngressTls {
                    hosts: tls["hosts"]
                        .as_array()
                        .into_iter()
                        .flatten()
                        .filter_map(|h| h.as_str().map(str::to_ascii_lowercase))
                        .collect(),
                    certificate,
                });
            }
            let backend_of = |backend: &Value| -> Option<(String, PortReference)> {
                let service = text(backend, "/service/name")?;
                let port = match backend["service"]["port"]["number"].as_i64() {
                    Some(n) => PortReference::Number(u16::try_from(n).ok()?),
                    None => PortReference::Name(text(backend, "/service/port/name")?),
                };
                Some((service, port))
            };
            for rule in value["spec"]["rules"].as_array().into_iter().flatten() {
                let host = text(rule, "/host").map(|h| h.to_ascii_lowercase());
                for path in rule["http"]["paths"].as_array().into_iter().flatten() {
                    if let Some((service, port)) = backend_of(&path["backend"]) {
                        ingress_routes.push(IngressRoute {
                            namespace: namespace.clone(),
                            host: host.clone(),
                            path: Some(text(path, "/path").unwrap_or_else(|| "/".into())),
                            path_type: text(path, "/pathType")
                                .unwrap_or_else(|| "ImplementationSpecific".into()),
                            service,
                            port,
                        });
                    }
                }
            }
            if let Some((service, port)) = backend_of(&value["spec"]["defaultBackend"]) {
                ingress_routes.push(IngressRoute {
                    namespace,
                    host: None,
                    path: None,
                    path_type: String::new(),
                    service,
                    port,
                });
            }
        }
        let mut identities = BTreeMap::new();
        for pod in store.list(resource("pods"), None) {
            let Object::Pod(typed) = &*pod else {
                continue;
            };
            let spec = typed.spec.as_ref();
            if spec.and_then(|s| s.host_network) == Some(true) {
                continue;
            }
            let Some(ip) = typed.status.as_ref().and_then(|s| s.pod_ip.clone()) else {
                continue;
            };
            let named_ports = spec
                .map(|s| s.containers.iter())
                .into_iter()
                .flatten()
                .flat_map(|c| c.ports.iter().flatten())
                .filter_map(|p| Some((p.name.clone()?, u16::try_from(p.container_port).ok()?)))
                .collect();
            identities.insert(
                ip,
                PodIdentity {
                    namespace: pod.namespace().to_string(),
                    labels: pod.metadata().labels.clone().unwrap_or_default(),
                    named_ports,
                },
            );
        }
        let policies = Policies::build(
            &store.list(resource("networkpolicies"), None),
            &store.list(resource("namespaces"), None),
        );
        let pods_resource = resource("pods");
        let forwards = cluster
            .port_forwards()
            .iter()
            .filter_map(|(local, forward)| {
                let pod = store.get(&crate::api::key_for(
                    pods_resource,
                    &forward.namespace,
                    &forward.pod,
                ))?;
                if pod.metadata().uid.as_deref() != Some(forward.pod_uid.as_str()) {
                    return None;
                }
                let Object::Pod(typed) = &**pod else {
                    return None;
                };
                let ip = typed.status.as_ref()?.pod_ip.clone()?;
                Some((*local, (ip, forward.port)))
            })
            .collect();
        NetworkView {
            forwards,
            unreachable: cluster.unreachable_pod_addresses(),
            ingress_routes,
            ingress_tls,
            policies,
            identities,
            now: cluster.now(),
            services,
            node_addresses,
            listeners,
            pods,
        }
    }

    /// The instant this view is of.
    pub(super) fn now(&self) -> SimTime {
        self.now
    }

    /// Looks a name up as a pod in `namespace` does (search path `ns.svc.cluster.local`,
    /// `svc.cluster.local`, `cluster.local`, ndots 5), or as an outside client does (only
    /// fully qualified cluster names, as if the cluster's DNS were asked directly).
    pub fn lookup(&self, name: &str, namespace: Option<&str>) -> Lookup {
        let name = name.trim_end_matches('.').to_ascii_lowercase();
        let mut candidates = search_path(&name, namespace);
        candidates.push(name.clone());
        // From outside, node names resolve as the host's /etc/hosts has them, and an Ingress's
        // hosts to the ingress controller's external address (as a tutorial's /etc/hosts line
        // or DNS record would make them).
        if namespace.is_none() {
            if name == "localhost" {
                return Lookup::Addresses {
                    name,
                    addresses: vec!["127.0.0.1".to_string()],
                };
            }
            if self
                .ingress_routes
                .iter()
                .any(|r| r.host.as_deref() == Some(name.as_str()))
            {
                if let Some(address) = self
                    .service("ingress-nginx", "ingress-nginx-controller")
                    .and_then(|s| s.load_balancer_ips.first())
                {
                    return Lookup::Addresses {
                        name: name.clone(),
                        addresses: vec![address.clone()],
                    };
                }
            }
            if let Some((address, node)) = self.node_addresses.iter().find(|(_, n)| **n == name) {
                return Lookup::Addresses {
                    name: node.clone(),
                    addresses: vec![address.clone()],
                };
            }
        }
        for candidate in &candidates {
            match self.resolve_fully_qualified(candidate) {
                Lookup::NotFound => continue,
                found => return found,
            }
        }
        Lookup::NotFound
    }

    /// Looks an SRV name up as [`NetworkView::lookup`] looks up addresses (same search path):
    /// `_PORT._PROTO.SERVICE.NAMESPACE.svc.cluster.local`, or the Service's own name for
    /// every port, as CoreDNS answers them. A Service with a cluster IP has one record per
    /// port, targeting the Service's name; a headless one has one per ready endpoint, targeting
    /// the endpoint's hostname (or its dashed address) under the Service, the weight shared
    /// out as CoreDNS shares it (100 / records of the same priority).
    pub fn lookup_services(&self, name: &str, namespace: Option<&str>) -> Lookup {
        let name = name.trim_end_matches('.').to_ascii_lowercase();
        let mut candidates = search_path(&name, namespace);
        candidates.push(name);
        for candidate in &candidates {
            match self.services_of_fully_qualified(candidate) {
                Lookup::NotFound => continue,
                found => return found,
            }
        }
        Lookup::NotFound
    }

    fn services_of_fully_qualified(&self, fqdn: &str) -> Lookup {
        let Some(service_part) = fqdn
            .strip_suffix(&format!(".{CLUSTER_DOMAIN}"))
            .and_then(|rest| rest.strip_suffix(".svc"))
        else {
            return Lookup::NotFound;
        };
        let labels: Vec<&str> = service_part.split('.').collect();
        let (port_name, protocol, service, namespace) = match labels.as_slice() {
            [service, namespace] => (None, None, *service, *namespace),
            [port, protocol, service, namespace] => {
                match (port.strip_prefix('_'), protocol.strip_prefix('_')) {
                    (Some(port), Some(protocol)) => {
                        (Some(port), Some(protocol), *service, *namespace)
                    }
                    _ => return Lookup::NotFound,
                }
            }
            _ => return Lookup::NotFound,
        };
        let Some(entry) = self.service(namespace, service) else {
            return Lookup::NotFound;
        };
        if let Some(target) = &entry.external_name {
            return Lookup::Alias {
                name: fqdn.to_string(),
                target: target.clone(),
            };
        }
        let wanted = |name: &str, proto: &str| {
            port_name.is_none_or(|p| p == name) && protocol.is_none_or(|p| p == proto)
        };
        let service_name = format!("{service}.{namespace}.svc.{CLUSTER_DOMAIN}");
        let mut records: Vec<(u16, String)> = Vec::new();
        if entry.cluster_ip.is_some() {
            for port in entry.ports.iter().filter(|p| wanted(&p.name, &p.protocol)) {
                records.push((port.port, service_name.clone()));
            }
        } else {
            for endpoint in entry
                .endpoints
                .iter()
                .filter(|e| e.ready || entry.publish_not_ready)
            {
                let host = endpoint
                    .hostname
                    .clone()
                    .unwrap_or_else(|| endpoint.address.replace('.', "-"));
                for (name, number) in &endpoint.ports {
                    let protocol = entry
                        .ports
                        .iter()
                        .find(|p| &p.name == name)
                        .map_or("tcp", |p| p.protocol.as_str());
                    if wanted(name, protocol) {
                        records.push((*number, format!("{host}.{service_name}")));
                    }
                }
            }
        }
        records.sort_stable();
        records.dedup();
        if records.is_empty() {
            return Lookup::NotFound;
        }
        let weight = (100 / records.len()) as u16;
        Lookup::Services {
            name: fqdn.to_string(),
            records: records
                .into_iter()
                .map(|(port, target)| ServiceRecord {
                    priority: 0,
                    weight,
                    port,
                    target,
                })
                .collect(),
        }
    }

    fn service(&self, namespace: &str, name: &str) -> Option<&ServiceEntry> {
        self.services
            .iter()
            .find(|s| s.namespace == namespace && s.name == name)
    }

    fn resolve_fully_qualified(&self, fqdn: &str) -> Lookup {
        let Some(rest) = fqdn.strip_suffix(&format!(".{CLUSTER_DOMAIN}")) else {
            return Lookup::NotFound;
        };
        let found = |addresses: Vec<String>| {
            if addresses.is_empty() {
                Lookup::NotFound
            } else {
                Lookup::Addresses {
                    name: fqdn.to_string(),
                    addresses,
                }
            }
        };
        if let Some(service_part) = rest.strip_suffix(".svc") {
            let labels: Vec<&str> = service_part.split('.').collect();
            match labels.as_slice() {
                [service, namespace] => {
                    let Some(entry) = self.service(namespace, service) else {
                        return Lookup::NotFound;
                    };
                    if let Some(target) = &entry.external_name {
                        return Lookup::Alias {
                            name: fqdn.to_string(),
                            target: target.clone(),
                        };
                    }
                    match &entry.cluster_ip {
                        Some(ip) => found(vec![ip.clone()]),
                        None => {
                            let mut addresses: Vec<String> = entry
                                .endpoints
                                .iter()
                                .filter(|e| e.ready || entry.publish_not_ready)
                                .map(|e| e.address.clone())
                                .collect();
                            addresses.sort_stable();
                            addresses.dedup();
                            found(addresses)
                        }
                    }
                }
                [host, service, namespace] => {
                    let Some(entry) = self.service(namespace, service) else {
                        return Lookup::NotFound;
                    };
                    found(
                        entry
                            .endpoints
                            .iter()
                            .filter(|e| e.ready || entry.publish_not_ready)
                            .filter(|e| e.hostname.as_deref() == Some(host))
                            .map(|e| e.address.clone())
                            .take(1)
                            .collect(),
                    )
                }
                _ => Lookup::NotFound,
            }
        } else if let Some(pod_part) = rest.strip_suffix(".pod") {
            let labels: Vec<&str> = pod_part.split('.').collect();
            match labels.as_slice() {
                [dashed, _namespace] => {
                    let address = dashed.replace('-', ".");
                    if address.parse::<std::net::Ipv4Addr>().is_ok() {
                        found(vec![address])
                    } else {
                        Lookup::NotFound
                    }
                }
                _ => Lookup::NotFound,
            }
        } else {
            Lookup::NotFound
        }
    }

    /// Where a packet to `address:port` goes, and what answers.
    pub(super) fn route(
        &self,
        client: &Client,
        address: &str,
        port: u16,
        request: &HttpRequest,
        draw: u64,
        proxy: &KubeProxyMemory<'_>,
    ) -> HttpOutcome {
        if client.namespace.is_none() && address == "127.0.0.1" {
            return self.forwarded(port, client, request, draw);
        }
        // Inside a pod, localhost is the pod itself (its containers share one network
        // namespace): no kube-proxy, no NetworkPolicy.
        if client.namespace.is_some() && (address == "127.0.0.1" || address == client.address) {
            let own = client.address.clone();
            return match self.direct_to_pod(&own, port, client, request, draw) {
                Some(outcome) => outcome,
                None => HttpOutcome::Refused {
                    address: address.to_string(),
                },
            };
        }
        // A ClusterIP, else a load-balancer address: kube-proxy treats both alike.
        let by_cluster_ip = || {
            self.services
                .iter()
                .find(|s| s.cluster_ip.as_deref() == Some(address))
        };
        let by_load_balancer_ip = || {
            self.services
                .iter()
                .find(|s| s.load_balancer_ips.iter().any(|ip| ip == address))
        };
        if let Some(service) = by_cluster_ip().or_else(by_load_balancer_ip) {
            return match service.ports.iter().find(|p| p.port == port) {
                Some(service_port) => self.to_endpoint(
                    service,
                    service_port,
                    None,
                    client,
                    address,
                    request,
                    draw,
                    proxy,
                ),
                None => HttpOutcome::TimedOut {
                    address: address.to_string(),
                },
            };
        }
        if let Some(node) = self.node_addresses.get(address) {
            let found = self.services.iter().find_map(|s| {
                s.ports
                    .iter()
                    .find(|p| p.node_port == Some(port))
                    .map(|p| (s, p))
            });
            return match found {
                Some((service, service_port)) => {
                    let only_node = service.external_traffic_local.then_some(node.as_str());
                    self.to_endpoint(
                        service,
                        service_port,
                        only_node,
                        client,
                        address,
                        request,
                        draw,
                        proxy,
                    )
                }
                None => HttpOutcome::Refused {
                    address: address.to_string(),
                },
            };
        }
        if self.pods.contains_key(address) || self.listeners.contains_key(address) {
            return self.to_pod(address, port, client, request, draw);
        }
        // A pod address with nothing listening, or an address nobody has.
        let pod_network = crate::nodes::is_pod_address(address);
        if pod_network {
            HttpOutcome::Refused {
                address: address.to_string(),
            }
        } else {
            HttpOutcome::TimedOut {
                address: address.to_string(),
            }
        }
    }

    /// A connection inside a pod's network namespace, past kube-proxy and NetworkPolicy (a
    /// port-forward, the pod's own localhost, or a packet `to_pod` let through): what listens
    /// on `port` answers; `None` when nothing does.
    fn direct_to_pod(
        &self,
        pod_ip: &str,
        port: u16,
        client: &Client,
        request: &HttpRequest,
        draw: u64,
    ) -> Option<HttpOutcome> {
        let listener = self.listeners.get(pod_ip).and_then(|containers| {
            containers
                .iter()
                .find(|l| l.ports.contains(&port) && l.listening_from <= self.now)
        })?;
        Some(
            if listener.site == crate::runtime::programs::Site::IngressController
                && (port == 80 || port == 443)
            {
                self.ingress_controller(listener, pod_ip, port, client, request, draw)
            } else if request.tls {
                HttpOutcome::NotTls {
                    address: pod_ip.to_string(),
                }
            } else {
                let (status, body) = answer::respond(listener, request, client, port, self.now);
                HttpOutcome::Response {
                    address: pod_ip.to_string(),
                    status,
                    body,
                    served_by: format!("{}/{}", listener.namespace, listener.pod_name),
                    certificate: None,
                }
            },
        )
    }

    /// This machine's `127.0.0.1:PORT`: a `kubectl port-forward` carries the connection through
    /// the kubelet into the pod (no Service, no NetworkPolicy); nothing listening there is an
    /// empty reply, no forward on the port a refusal.
    fn forwarded(
        &self,
        port: u16,
        client: &Client,
        request: &HttpRequest,
        draw: u64,
    ) -> HttpOutcome {
        let Some((pod_ip, pod_port)) = self.forwards.get(&port) else {
            return HttpOutcome::Refused {
                address: "127.0.0.1".to_string(),
            };
        };
        let outcome = if self.unreachable.contains(pod_ip) {
            HttpOutcome::EmptyReply {
                address: "127.0.0.1".to_string(),
            }
        } else {
            self.direct_to_pod(pod_ip, *pod_port, client, request, draw)
                .unwrap_or(HttpOutcome::EmptyReply {
                    address: "127.0.0.1".to_string(),
                })
        };
        match outcome {
            HttpOutcome::Response {
                status,
                body,
                served_by,
                certificate,
                ..
            } => HttpOutcome::Response {
                address: "127.0.0.1".to_string(),
                status,
                body,
                served_by,
                certificate,
            },
            other => other,
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn to_endpoint(
        &self,
        service: &ServiceEntry,
        service_port: &ServicePort,
        only_node: Option<&str>,
        client: &Client,
        address: &str,
        request: &HttpRequest,
        draw: u64,
        proxy: &KubeProxyMemory<'_>,
    ) -> HttpOutcome {
        let candidates = ready_endpoints(service, &service_port.name, only_node);
        if candidates.is_empty() {
            // kube-proxy rejects traffic to a Service without endpoints; with
            // externalTrafficPolicy Local a node without one drops it.
            return if only_node.is_some() {
                HttpOutcome::TimedOut {
                    address: address.to_string(),
                }
            } else {
                HttpOutcome::Refused {
                    address: address.to_string(),
                }
            };
        }
        let random_index = (draw % candidates.len() as u64) as usize;
        let index = match service.client_ip_affinity_seconds {
            Some(timeout_seconds) => {
                let addresses: Vec<&str> = candidates
                    .iter()
                    .map(|(endpoint, _)| endpoint.address.as_str())
                    .collect();
                let choice = AffinityChoice {
                    namespace: &service.namespace,
                    service: &service.name,
                    port_name: &service_port.name,
                    client: &client.address,
                    timeout_seconds,
                    now: proxy.now,
                };
                proxy.affinity.choose(&choice, &addresses, random_index)
            }
            None => random_index,
        };
        let (endpoint, target_port) = candidates[index];
        match self.to_pod(&endpoint.address, target_port, client, request, draw / 7) {
            // The packet was sent to the Service's address: report that one.
            HttpOutcome::Refused { .. } => HttpOutcome::Refused {
                address: address.to_string(),
            },
            HttpOutcome::Response {
                status,
                body,
                served_by,
                certificate,
                ..
            } => HttpOutcome::Response {
                address: address.to_string(),
                status,
                body,
                served_by,
                certificate,
            },
            other => other,
        }
    }

    fn to_pod(
        &self,
        address: &str,
        port: u16,
        client: &Client,
        request: &HttpRequest,
        draw: u64,
    ) -> HttpOutcome {
        if self.unreachable.contains(address) {
            return HttpOutcome::TimedOut {
                address: address.to_string(),
            };
        }
        if !self.policies.is_empty()
            && !self.policies.allows(
                self.identities.get(&client.address),
                &client.address,
                self.identities.get(address),
                address,
                port,
                "TCP",
            )
        {
            return HttpOutcome::TimedOut {
                address: address.to_string(),
            };
        }
        self.direct_to_pod(address, port, client, request, draw)
            .unwrap_or_else(|| HttpOutcome::Refused {
                address: address.to_string(),
            })
    }

    /// ingress-nginx's two server ports: on 443 the TLS handshake presents the certificate of
    /// the Ingress whose `tls` lists the requested host (SNI) with a Secret holding one, else
    /// the controller's default certificate; plain HTTP to 443 gets nginx's 400 page; on 80 a
    /// host listed under some Ingress's `tls` is redirected to https (308, ingress-nginx's
    /// default `ssl-redirect`), and TLS to 80 fails the handshake.
    fn ingress_controller(
        &self,
        listener: &RunningListener,
        address: &str,
        port: u16,
        client: &Client,
        request: &HttpRequest,
        draw: u64,
    ) -> HttpOutcome {
        let sni = request.host.to_ascii_lowercase();
        let host = request
            .host_header
            .clone()
            .unwrap_or_else(|| request.host.clone())
            .to_ascii_lowercase();
        let host = host.split(':').next().unwrap_or("").to_string();
        let listed = |wanted: &str| -> Option<&IngressTls> {
            self.ingress_tls.iter().find(|tls| {
                tls.hosts
                    .iter()
                    .any(|h| h == wanted || wildcard_covers(h, wanted))
            })
        };
        let nginx_page = |status: u16, title: &str, detail: Option<&str>| {
            let heading = match detail {
                Some(_) => format!("{status} {}", reason_phrase(status)),
                None => format!("{status} {title}"),
            };
            let detail = detail
                .map(|d| format!("<center>{d}</center>\n"))
                .unwrap_or_default();
            HttpOutcome::Response {
                address: address.to_string(),
                status,
                body: format!(
                    "<html>\n<head><title>{status} {title}</title></head>\n<body>\n<center><h1>{heading}</h1></center>\n{detail}<hr><center>nginx</center>\n</body>\n</html>\n"
                ),
                served_by: "ingress-nginx/ingress-nginx-controller".to_string(),
                certificate: None,
            }
        };
        match (port, request.tls) {
            (443, true) => {
                let certificate = listed(&sni)
                    .and_then(|tls| tls.certificate.clone())
                    .unwrap_or_else(|| Certificate::ingress_nginx_default(listener.started_at));
                // TLS ends here: the request goes on to the backend as plain HTTP.
                let upstream = HttpRequest {
                    tls: false,
                    ..request.clone()
                };
                match self.through_ingress(address, client, &upstream, draw) {
                    HttpOutcome::Response {
                        address,
                        status,
                        body,
                        served_by,
                        ..
                    } => HttpOutcome::Response {
                        address,
                        status,
                        body,
                        served_by,
                        certificate: Some(certificate),
                    },
                    other => other,
                }
            }
            (443, false) => nginx_page(
                400,
                "The plain HTTP request was sent to HTTPS port",
                Some("The plain HTTP request was sent to HTTPS port"),
            ),
            (_, true) => HttpOutcome::NotTls {
                address: address.to_string(),
            },
            _ if listed(&host).is_some() => nginx_page(308, "Permanent Redirect", None),
            _ => self.through_ingress(address, client, request, draw),
        }
    }

    /// ingress-nginx: the host (the `Host:` header, else the URL's) picks the rules (exact
    /// host, then `*.` wildcard, then rules without a host), the longest matching path wins
    /// (`Exact` before `Prefix` of the same length), and the request goes to a ready endpoint
    /// of the backend Service; nothing matching → the controller's 404, a backend without
    /// endpoints → 503.
    fn through_ingress(
        &self,
        address: &str,
        _client: &Client,
        request: &HttpRequest,
        draw: u64,
    ) -> HttpOutcome {
        let host = request
            .host_header
            .clone()
            .unwrap_or_else(|| request.host.clone())
            .to_ascii_lowercase();
        let host = host.split(':').next().unwrap_or("").to_string();
        let path = request.path.split('?').next().unwrap_or("/").to_string();
        let host_rank = |route: &IngressRoute| -> Option<u8> {
            match route.host.as_deref() {
                Some(h) if h == host => Some(0),
                Some(h) => wildcard_covers(h, &host).then_some(1),
                None => Some(2),
            }
        };
        let path_matches = |route: &IngressRoute| -> Option<(usize, bool)> {
            let wanted = route.path.as_deref()?;
            match route.path_type.as_str() {
                "Exact" => (path == wanted).then_some((wanted.len(), true)),
                "Prefix" => {
                    let trimmed = wanted.trim_end_matches('/');
                    let matches = trimmed.is_empty()
                        || path == trimmed
                        || path.starts_with(&format!("{trimmed}/"));
                    matches.then_some((trimmed.len(), false))
                }
                _ => path.starts_with(wanted).then_some((wanted.len(), false)),
            }
        };
        let best_host = self.ingress_routes.iter().filter_map(host_rank).min();
        let chosen = best_host.and_then(|rank| {
            self.ingress_routes
                .iter()
                .filter(|r| host_rank(r) == Some(rank))
                .filter_map(|r| path_matches(r).map(|m| (r, m)))
                .max_by_key(|(_, (length, exact))| (*length, *exact))
                .map(|(r, _)| r)
        });
        let chosen = chosen.or_else(|| self.ingress_routes.iter().find(|r| r.path.is_none()));
        let respond = |status: u16, reason: &str| {
            HttpOutcome::Response {
            address: address.to_string(),
            status,
            body: format!(
                "<html>\n<head><title>{status} {reason}</title></head>\n<body>\n<center><h1>{status} {reason}</h1></center>\n<hr><center>nginx</center>\n</body>\n</html>\n"
            ),
            served_by: "ingress-nginx/ingress-nginx-controller".to_string(),
            certificate: None,
        }
        };
        let Some(route) = chosen else {
            return respond(404, "Not Found");
        };
        let Some(service) = self.service(&route.namespace, &route.service) else {
            return respond(503, "Service Temporarily Unavailable");
        };
        let port_name = match &route.port {
            PortReference::Number(n) => service.ports.iter().find(|p| p.port == *n),
            PortReference::Name(name) => service.ports.iter().find(|p| &p.name == name),
        };
        let Some(service_port) = port_name else {
            return respond(503, "Service Temporarily Unavailable");
        };
        let candidates = ready_endpoints(service, &service_port.name, None);
        if candidates.is_empty() {
            return respond(503, "Service Temporarily Unavailable");
        }
        let (endpoint, target_port) = candidates[(draw % candidates.len() as u64) as usize];
        // The controller pod is who connects to the backend.
        let controller = Client {
            namespace: self.identities.get(address).map(|i| i.namespace.clone()),
            address: address.to_string(),
        };
        match self.to_pod(
            &endpoint.address,
            target_port,
            &controller,
            request,
            draw / 7,
        ) {
            HttpOutcome::Response {
                status,
                body,
                served_by,
                certificate,
                ..
            } => HttpOutcome::Response {
                address: address.to_string(),
                status,
                body,
                served_by,
                certificate,
            },
            _ => respond(502, "Bad Gateway"),
        }
    }

    /// Whether the client may reach the cluster DNS (its egress policies allow UDP 53 to a
    /// CoreDNS pod). Clients outside the cluster and pods without egress policies always can.
    pub(super) fn dns_reachable_from(&self, client: &Client) -> bool {
        if self.policies.is_empty() {
            return true;
        }
        let Some(source) = self.identities.get(&client.address) else {
            return true;
        };
        self.identities
            .iter()
            .filter(|(_, pod)| {
                pod.namespace == "kube-system"
                    && pod.labels.get("k8s-app").map(String::as_str) == Some("kube-dns")
            })
            .any(|(address, pod)| {
                self.policies
                    .allows(Some(source), &client.address, Some(pod), address, 53, "UDP")
            })
    }
}
