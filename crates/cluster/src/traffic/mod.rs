//! Requests travelling through the simulated cluster: cluster DNS (CoreDNS's records for
//! Services, headless Services, StatefulSet pods and ExternalNames, with the pod's search
//! path), kube-proxy (a ClusterIP, NodePort or LoadBalancer address and port → a ready
//! endpoint from the Service's EndpointSlices, chosen at random as iptables mode does, or
//! pinned per client with `sessionAffinity: ClientIP` until its timeout passes (`affinity`); no
//! ready endpoint → connection refused),
//! and the container that answers (its program's listener: nginx's page or the files under its
//! web root, hello-app's greeting, the pod's hostname, echoserver's report…).
//!
//! - [`NetworkView`]: what the network looks like at one instant (built from the store and the
//!   kubelet's running containers; cached per instant and resourceVersion).
//! - [`ClientNetwork`]: the network as one client (a pod, or "outside") sees it; it implements
//!   the runtime's [`Network`] for the shells' `wget`/`curl`/`nslookup`.
//! - [`Cluster::send_traffic`](crate::Cluster::send_traffic): the traffic API (N requests,
//!   optionally spread over simulated time, counted per endpoint).

mod affinity;
mod answer;
mod policy;
mod view;

use model::sort::SortSlice;
use std::cell::{Cell, RefCell};
use std::collections::BTreeMap;
use std::rc::Rc;

pub use affinity::SessionAffinityMemory;
pub use view::{NetworkView, INGRESS_CLASS};

use crate::rng::fnv_parts as fnv;
use crate::runtime::network::{HttpOutcome, HttpRequest, Lookup, Network, NetworkHandle};
use crate::{Cluster, SimDuration, SimTime};

/// The cluster DNS Service's address.
pub const DNS_SERVER: &str = "10.96.0.10";
/// The address requests from outside the cluster come from (the host's bridge gateway).
pub const OUTSIDE_ADDRESS: &str = "192.168.49.1";

/// Who sends a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Client {
    /// The pod's namespace (its DNS search path); `None` for a client outside the cluster.
    pub namespace: Option<String>,
    pub address: String,
}

impl Client {
    pub fn outside() -> Client {
        Client {
            namespace: None,
            address: OUTSIDE_ADDRESS.to_string(),
        }
    }
}

/// A `kubectl port-forward`: connections to `127.0.0.1:LOCAL` on this machine go, through the
/// kubelet, to `port` inside the pod (no Service, no NetworkPolicy on the way).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PortForward {
    pub namespace: String,
    pub pod: String,
    /// The pod it was started for: a new pod of the same name is not it.
    pub pod_uid: String,
    pub port: u16,
}

/// The network as one client sees it at one instant.
pub struct ClientNetwork {
    view: Rc<NetworkView>,
    client: Client,
    /// Drives kube-proxy's random choice of endpoint (deterministic per client and instant).
    draws: Cell<u64>,
    seed: u64,
    /// The pods that answered, until taken (see [`Network::take_served`]).
    served: RefCell<Vec<String>>,
    /// kube-proxy's ClientIP affinity memory (the cluster's own, shared).
    affinity: affinity::SessionAffinityHandle,
    /// The sender's clock when it is later than the view's instant (see [`Network::clock_at`]).
    clock: Cell<SimTime>,
}

/// How far ahead of the clock a pod's programs may use the network as it stands now (as
/// kube-proxy's rules lag the API by up to a second or so). A program that sends a request every
/// 10 ms thus costs one step of the cluster per second, not a hundred.
const POD_NETWORK_LOOKAHEAD_MILLIS: u64 = 1_000;

/// How long the cluster remembers which pod answered which request (the CPU a request costs
/// shows in the metrics for one window, 15 s; a minute is plenty).
const SERVED_REQUESTS_KEPT_MILLIS: u64 = 60_000;

impl ClientNetwork {
    pub(crate) fn new(
        view: Rc<NetworkView>,
        client: Client,
        seed: u64,
        affinity: affinity::SessionAffinityHandle,
    ) -> ClientNetwork {
        ClientNetwork {
            view,
            client,
            draws: Cell::new(0),
            seed,
            served: RefCell::new(Vec::new()),
            affinity,
            clock: Cell::new(SimTime(0)),
        }
    }

    fn draw(&self) -> u64 {
        let n = self.draws.get();
        self.draws.set(n + 1);
        let mut x = self
            .seed
            .wrapping_add(n.wrapping_mul(0x9e37_79b9_7f4a_7c15));
        x ^= x >> 30;
        x = x.wrapping_mul(0xbf58_476d_1ce4_e5b9);
        x ^= x >> 27;
        x = x.wrapping_mul(0x94d0_49bb_1331_11eb);
        x ^ (x >> 31)
    }

    /// Resolves a host to one address (the first A record; a headless Service's records are
    /// shuffled per query as CoreDNS's `loadbalance` plugin does).
    fn address_of(&self, host: &str) -> Option<String> {
        if host.parse::<std::net::Ipv4Addr>().is_ok() {
            return Some(host.to_string());
        }
        match self.lookup(host) {
            Lookup::Addresses { addresses, .. } if !addresses.is_empty() => {
                let index = (self.draw() % addresses.len() as u64) as usize;
                Some(addresses[index].clone())
            }
            _ => None,
        }
    }

    /// A request with the endpoint that answered it (for the traffic API's counts).
    pub fn send(&self, request: &HttpRequest) -> HttpOutcome {
        let Some(address) = self.address_of(&request.host) else {
            return HttpOutcome::UnknownHost;
        };
        let draw = self.draw();
        let outcome = self.view.route(
            &self.client,
            &address,
            request.port,
            request,
            draw,
            &affinity::KubeProxyMemory {
                affinity: &self.affinity,
                now: self.clock.get().max(self.view.now()),
            },
        );
        if let HttpOutcome::Response { served_by, .. } = &outcome {
            self.served.borrow_mut().push(served_by.clone());
        }
        outcome
    }
}

impl Network for ClientNetwork {
    fn lookup(&self, name: &str) -> Lookup {
        // /etc/hosts, before any DNS server is asked.
        if name.eq_ignore_ascii_case("localhost") {
            return Lookup::Addresses {
                name: "localhost".into(),
                addresses: vec!["127.0.0.1".into()],
            };
        }
        if !self.view.dns_reachable_from(&self.client) {
            return Lookup::Unreachable;
        }
        self.view.lookup(name, self.client.namespace.as_deref())
    }

    fn lookup_services(&self, name: &str) -> Lookup {
        if !self.view.dns_reachable_from(&self.client) {
            return Lookup::Unreachable;
        }
        self.view
            .lookup_services(name, self.client.namespace.as_deref())
    }

    fn request(&self, request: &HttpRequest) -> HttpOutcome {
        self.send(request)
    }

    fn dns_server(&self) -> String {
        DNS_SERVER.to_string()
    }

    fn take_served(&self) -> Vec<String> {
        std::mem::take(&mut *self.served.borrow_mut())
    }

    fn clock_at(&self, now: SimTime) {
        self.clock.set(now);
    }
}

/// What a burst of requests did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TrafficReport {
    pub sent: usize,
    /// Answers per pod (`namespace/name`).
    pub by_endpoint: BTreeMap<String, usize>,
    /// Answers per HTTP status.
    pub by_status: BTreeMap<u16, usize>,
    /// Failures per kind (`connection refused`, `timed out`, `unknown host`).
    pub failures: BTreeMap<String, usize>,
    /// The body of the first answer.
    pub first_body: Option<String>,
    /// Simulated latency of each answered request, in milliseconds, in the order sent.
    pub latencies_millis: Vec<u64>,
}

impl TrafficReport {
    pub fn failed(&self) -> usize {
        self.failures.values().sum()
    }

    /// The latency at or below which `percent` of the answered requests came back (nearest
    /// rank), if any was answered.
    pub fn latency_percentile(&self, percent: u64) -> Option<u64> {
        let mut sorted = self.latencies_millis.clone();
        sorted.sort_stable();
        let rank = (sorted.len() as u64 * percent.min(100))
            .div_ceil(100)
            .max(1);
        sorted.get(usize::try_from(rank).ok()? - 1).copied()
    }
}

impl Cluster {
    /// Starts forwarding `local_port` on this machine to `port` of a pod; `false` when a
    /// forward already listens on that port.
    pub fn start_port_forward(&mut self, local_port: u16, forward: PortForward) -> bool {
        // A forward whose pod is gone has stopped (kubectl port-forward exits with it).
        let pods = model::registry::resolve("pods").expect("registered");
        let live: Vec<u16> = self
            .port_forwards
            .iter()
            .filter(|(_, f)| {
                self.get(pods, &f.namespace, &f.pod)
                    .is_ok_and(|p| p.metadata().uid.as_deref() == Some(f.pod_uid.as_str()))
            })
            .map(|(port, _)| *port)
            .collect();
        self.port_forwards.retain(|port, _| live.contains(port));
        if self.port_forwards.contains_key(&local_port) {
            return false;
        }
        self.port_forwards.insert(local_port, forward);
        self.network_cache.borrow_mut().take();
        true
    }

    /// The port-forwards running, by local port.
    pub fn port_forwards(&self) -> &std::collections::BTreeMap<u16, PortForward> {
        &self.port_forwards
    }

    /// The network as it stands now (cached for this instant and resourceVersion).
    pub fn network_view(&self) -> Rc<NetworkView> {
        let key = (self.now(), self.resource_version());
        if let Some((cached_key, view)) = self.network_cache.borrow().as_ref() {
            if *cached_key == key {
                return view.clone();
            }
        }
        let view = Rc::new(NetworkView::build(self));
        *self.network_cache.borrow_mut() = Some((key, view.clone()));
        view
    }

    /// A fresh seed for a client's random choices: the cluster's seed, the instant, the client
    /// and how many clients came before (so two bursts at one instant differ).
    fn client_seed(&self, address: &str) -> u64 {
        let sequence = self.network_clients.get();
        self.network_clients.set(sequence + 1);
        fnv(&[
            address,
            &self.now().0.to_string(),
            &self.seed.to_string(),
            &sequence.to_string(),
        ])
    }

    /// The network as a pod sees it now.
    pub(crate) fn network_handle_for_pod(&self, namespace: &str, pod_ip: &str) -> NetworkHandle {
        let now = self.now();
        let client = Client {
            namespace: Some(namespace.to_string()),
            address: pod_ip.to_string(),
        };
        let seed = self.client_seed(pod_ip);
        NetworkHandle::new(
            Rc::new(ClientNetwork::new(
                self.network_view(),
                client,
                seed,
                self.session_affinity.handle(),
            )),
            SimTime(now.0 + POD_NETWORK_LOOKAHEAD_MILLIS),
        )
    }

    /// Sends `count` requests for `url` from `client`, one every `interval` of simulated time
    /// (all at once when `None`; the clock advances otherwise), and counts what answered.
    pub fn send_traffic(
        &mut self,
        client: &Client,
        url: &str,
        host_header: Option<&str>,
        count: usize,
        interval: Option<SimDuration>,
    ) -> Result<TrafficReport, String> {
        let Some((scheme, host, port, path)) = crate::runtime::network::parse_url(url) else {
            return Err(format!("not an http URL: {url}"));
        };
        let request = HttpRequest {
            host,
            port,
            path,
            host_header: host_header.map(str::to_string),
            user_agent: "curl/8.5.0".into(),
            tls: scheme == "https",
        };
        let mut report = TrafficReport::default();
        let mut network: Option<(SimTime, ClientNetwork)> = None;
        for index in 0..count.min(100_000) {
            if index > 0 {
                if let Some(interval) = interval {
                    self.advance(interval);
                }
            }
            let now = self.now();
            let stale = network.as_ref().is_none_or(|(at, _)| *at != now);
            if stale {
                let seed = self.client_seed(&client.address);
                network = Some((
                    now,
                    ClientNetwork::new(
                        self.network_view(),
                        client.clone(),
                        seed,
                        self.session_affinity.handle(),
                    ),
                ));
            }
            let Some((_, current)) = network.as_ref() else {
                continue;
            };
            report.sent += 1;
            match current.send(&request) {
                HttpOutcome::Response {
                    status,
                    body,
                    served_by,
                    ..
                } => {
                    self.record_served_request(&served_by, now);
                    *report.by_endpoint.entry(served_by).or_default() += 1;
                    *report.by_status.entry(status).or_default() += 1;
                    report.latencies_millis.push(1 + current.draw() % 4);
                    report.first_body.get_or_insert(body);
                }
                HttpOutcome::UnknownHost => {
                    *report.failures.entry("unknown host".into()).or_default() += 1
                }
                HttpOutcome::Refused { .. } => {
                    *report
                        .failures
                        .entry("connection refused".into())
                        .or_default() += 1
                }
                HttpOutcome::TimedOut { .. } => {
                    *report.failures.entry("timed out".into()).or_default() += 1
                }
                HttpOutcome::EmptyReply { .. } => {
                    *report.failures.entry("empty reply".into()).or_default() += 1
                }
                HttpOutcome::NotTls { .. } => {
                    *report
                        .failures
                        .entry("TLS handshake failed".into())
                        .or_default() += 1
                }
            }
        }
        Ok(report)
    }

    /// `curl ARGS…` run from outside the cluster (the host a kind cluster runs on): node
    /// names and addresses, NodePorts and load-balancer addresses are reachable; cluster DNS
    /// names only fully qualified. Returns (stdout, stderr, exit code) as curl would.
    pub fn curl_from_outside(&self, args: &[String]) -> (String, String, i32) {
        let now = self.now();
        let client = Client::outside();
        let seed = self.client_seed(&client.address);
        let network = ClientNetwork::new(
            self.network_view(),
            client,
            seed,
            self.session_affinity.handle(),
        );
        let mut state = crate::runtime::shell_vm::ShellState {
            shell_name: "sh".into(),
            variables: Default::default(),
            positional: vec!["sh".into()],
            files: Default::default(),
            status: 0,
            now,
            random_state: seed,
            exported: Default::default(),
            file_log: Vec::new(),
            network: NetworkHandle::new(Rc::new(network), now),
            read_only: Vec::new(),
        };
        let outcome = crate::runtime::network::curl(args, &mut state);
        for pod in state
            .network
            .network
            .as_ref()
            .map(|n| n.take_served())
            .unwrap_or_default()
        {
            self.record_served_request(&pod, now);
        }
        (outcome.output, outcome.errors, outcome.status)
    }

    /// One request from `client`, answered now.
    pub fn send_request(
        &self,
        client: &Client,
        url: &str,
        host_header: Option<&str>,
    ) -> Result<HttpOutcome, String> {
        let Some((scheme, host, port, path)) = crate::runtime::network::parse_url(url) else {
            return Err(format!("not an http URL: {url}"));
        };
        let seed = self.client_seed(&client.address);
        let network = ClientNetwork::new(
            self.network_view(),
            client.clone(),
            seed,
            self.session_affinity.handle(),
        );
        let outcome = network.send(&HttpRequest {
            host,
            port,
            path,
            host_header: host_header.map(str::to_string),
            user_agent: "curl/8.5.0".into(),
            tls: scheme == "https",
        });
        if let HttpOutcome::Response { served_by, .. } = &outcome {
            self.record_served_request(served_by, self.now());
        }
        Ok(outcome)
    }

    /// Remembers that a pod (`namespace/name`) answered a request at `at` (the last minute
    /// of these is what its CPU use is made of).
    pub(crate) fn record_served_request(&self, pod: &str, at: SimTime) {
        let mut served = self.served_requests.borrow_mut();
        let times = served.entry(pod.to_string()).or_default();
        times.push_back(at);
        let horizon = at.0.saturating_sub(SERVED_REQUESTS_KEPT_MILLIS);
        while times.front().is_some_and(|t| t.0 < horizon) {
            times.pop_front();
        }
    }

    /// Every request answered at or after `from` that the cluster still remembers (the last
    /// minute), as (instant, pod `namespace/name`), ordered by instant then pod. Read-only: the
    /// page animates these along its Service edges.
    pub fn served_requests_since(&self, from: SimTime) -> Vec<(SimTime, String)> {
        let mut served: Vec<(SimTime, String)> = self
            .served_requests
            .borrow()
            .iter()
            .flat_map(|(pod, times)| {
                times
                    .iter()
                    .filter(|t| **t >= from)
                    .map(|t| (*t, pod.clone()))
            })
            .collect();
        served.sort_stable();
        served
    }

    /// How many requests a pod answered in `(from, to]`.
    pub(crate) fn served_requests_between(&self, pod: &str, from: SimTime, to: SimTime) -> usize {
        self.served_requests.borrow().get(pod).map_or(0, |times| {
            times.iter().filter(|t| **t > from && **t <= to).count()
        })
    }
}

#[cfg(test)]
mod report_tests {
    use super::TrafficReport;

    #[test]
    fn latency_percentiles_are_nearest_rank() {
        let report = TrafficReport {
            latencies_millis: vec![4, 1, 3, 2, 1, 1, 2, 1, 1, 4],
            ..Default::default()
        };
        assert_eq!(report.latency_percentile(50), Some(1));
        assert_eq!(report.latency_percentile(90), Some(4));
        assert_eq!(report.latency_percentile(99), Some(4));
        assert_eq!(report.latency_percentile(0), Some(1));
        assert_eq!(TrafficReport::default().latency_percentile(50), None);
    }
}
