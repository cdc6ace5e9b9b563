//! Requests the graph animates along its Service edges, with no DOM: which pods answered since
//! the page last looked ([`ServedCursor`] over [`cluster::Cluster::served_requests_since`]), which
//! Service and client pod a terminal line's URL names ([`line_target`]), and the events the page
//! draws ([`traffic_events`]). Deterministic: the same cluster and the same lines give the same
//! events; only the animation's timing is the browser's.

use std::collections::BTreeMap;

use cluster::SimTime;
use scenario::script::Command;

use crate::graph::{GraphModel, GraphService};

/// One request the graph shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrafficEvent {
    /// The Service hub it went through (`namespace/name`), when known.
    pub service: Option<String>,
    /// The pod that sent it (`kubectl exec`), when known; `None` from outside or unknown.
    pub client: Option<String>,
    /// The pod that answered; `None` for a failure or an answer the page cannot attribute.
    pub pod: Option<String>,
    pub ok: bool,
}

/// A request on its way across the graph: the event, and when (page time, milliseconds) it
/// started, so the page can drop it once its animation is over.
#[derive(Debug, Clone, PartialEq)]
pub struct Flash {
    pub id: u64,
    pub event: TrafficEvent,
    pub born_millis: f64,
    /// Its place in its batch (the animation staggers a batch).
    pub order: usize,
}

/// How long a flash stays on the page (its animation is shorter).
pub const FLASH_MILLIS: f64 = 2_400.0;

/// The most requests one batch animates (a `curl -n 600` is sampled evenly).
pub const MAX_EVENTS_PER_BATCH: usize = 40;
/// The most failures one line flashes.
const MAX_FAILURES_PER_BATCH: usize = 8;

/// Remembers which answered requests the page has already shown: every one before `at`, and at
/// `at` itself the first `seen[pod]` of each pod (a request made at the instant the page last
/// looked is still new).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ServedCursor {
    at: SimTime,
    seen: BTreeMap<String, usize>,
}

impl ServedCursor {
    /// The instant from which the cluster's record has to be read.
    pub fn from(&self) -> SimTime {
        self.at
    }

    /// Given every answered request at or after [`ServedCursor::from`] (ordered by instant),
    /// returns the new ones and moves past them.
    pub fn take(&mut self, served: &[(SimTime, String)]) -> Vec<(SimTime, String)> {
        let mut new = Vec::new();
        let mut at_instant: BTreeMap<String, usize> = BTreeMap::new();
        for (t, pod) in served {
            if *t < self.at {
                continue;
            }
            if *t == self.at {
                let count = at_instant.entry(pod.clone()).or_default();
                *count += 1;
                if *count <= self.seen.get(pod).copied().unwrap_or(0) {
                    continue;
                }
            }
            new.push((*t, pod.clone()));
        }
        if let Some((last, _)) = served.last() {
            if *last > self.at {
                self.at = *last;
                self.seen.clear();
            }
            let at = self.at;
            self.seen =
                served
                    .iter()
                    .filter(|(t, _)| *t == at)
                    .fold(BTreeMap::new(), |mut m, (_, pod)| {
                        *m.entry(pod.clone()).or_default() += 1;
                        m
                    });
        }
        new
    }
}

/// What a terminal line sends, as far as its words tell.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LineTarget {
    /// The Service its URL names (`namespace/name`).
    pub service: Option<String>,
    /// The pod it runs in (`kubectl exec POD`), `namespace/name`.
    pub client: Option<String>,
    /// A `curl -n N` burst (its output counts the failures).
    pub burst: bool,
}

/// (host, port) of a URL as wget and curl read it (`web`, `http://web.default:8080/x`).
fn host_and_port(url: &str) -> Option<(String, u16)> {
    let (rest, default_port) = if let Some(rest) = url.strip_prefix("https://") {
        (rest, 443)
    } else if let Some(rest) = url.strip_prefix("http://") {
        (rest, 80)
    } else {
        (url, 80)
    };
    let authority = rest.split(['/', '?', '#']).next()?;
    let authority = authority.rsplit('@').next()?;
    if authority.is_empty() {
        return None;
    }
    match authority.rsplit_once(':') {
        Some((host, port)) => Some((host.to_string(), port.parse().ok()?)),
        None => Some((authority.to_string(), default_port)),
    }
}

/// The Service a URL reaches from a client in `namespace` (`None`: outside the cluster): by
/// address (ClusterIP, load balancer), by DNS name (`web`, `web.ns`, `web.ns.svc.cluster.local`),
/// or by a node's address or name at a NodePort.
pub fn service_for_url<'a>(
    services: &'a [GraphService],
    namespace: Option<&str>,
    url: &str,
) -> Option<&'a GraphService> {
    let (host, port) = host_and_port(url)?;
    if let Some(service) = services.iter().find(|s| s.addresses.contains(&host)) {
        return Some(service);
    }
    let labels: Vec<&str> = host.split('.').collect();
    let by_name = match labels.as_slice() {
        [name] => namespace.map(|ns| (*name, ns)),
        [name, ns] | [name, ns, "svc", ..] => Some((*name, *ns)),
        _ => None,
    };
    if let Some((name, ns)) = by_name {
        if let Some(service) = services
            .iter()
            .find(|s| s.name == name && s.namespace == ns)
        {
            return Some(service);
        }
    }
    services.iter().find(|s| s.node_ports.contains(&port))
}

/// The URL a `wget`/`curl` in a command's words fetches (flags and their values skipped).
fn url_in_words(words: &[String]) -> Option<String> {
    const TAKES_VALUE: &[&str] = &[
        "-O",
        "-o",
        "-T",
        "-m",
        "-H",
        "-w",
        "-U",
        "-X",
        "-d",
        "--max-time",
        "--timeout",
        "--connect-timeout",
        "--header",
        "--output",
        "--user-agent",
        "--request",
        "--data",
    ];
    let tokens: Vec<String> = words
        .iter()
        .flat_map(|w| w.split_whitespace())
        .map(|t| {
            t.trim_matches(|c| matches!(c, '"' | '\'' | ';' | '(' | ')'))
                .to_string()
        })
        .collect();
    let mut in_fetch = false;
    let mut skip_next = false;
    for token in &tokens {
        if skip_next {
            skip_next = false;
            continue;
        }
        let program = token.rsplit('/').next().unwrap_or(token);
        if program == "wget" || program == "curl" {
            in_fetch = true;
            continue;
        }
        if !in_fetch {
            continue;
        }
        if token.starts_with('-') {
            skip_next = TAKES_VALUE.contains(&token.as_str());
            continue;
        }
        if matches!(token.as_str(), "&&" | "||" | "|" | "do" | "done" | "then") {
            in_fetch = false;
            continue;
        }
        return Some(token.clone());
    }
    None
}

/// What a terminal line sends: `curl URL` from outside, or `kubectl exec POD … -- … wget/curl
/// URL` from a pod. `None` for anything else.
pub fn line_target(model: &GraphModel, line: &str) -> Option<LineTarget> {
    let command = scenario::script::parse_command(line, None).ok()??;
    match command {
        Command::Curl { args } => {
            let burst = args.iter().any(|a| a == "-n");
            let mut url = None;
            let mut iter = args.iter();
            while let Some(arg) = iter.next() {
                match arg.as_str() {
                    "-n" | "--every" | "-H" | "--header" => {
                        iter.next();
                    }
                    a if a.starts_with('-') => {}
                    a => url = Some(a.to_string()),
                }
            }
            let service = url
                .and_then(|u| service_for_url(&model.services, None, &u))
                .map(GraphService::key);
            Some(LineTarget {
                service,
                client: None,
                burst,
            })
        }
        Command::Kubectl { args, .. } => {
            let (verb, rest) = args.split_first()?;
            if verb != "exec" {
                return None;
            }
            let split = rest.iter().position(|a| a == "--")?;
            let (before, after) = (&rest[..split], &rest[split + 1..]);
            let mut namespace = "default".to_string();
            let mut pod = None;
            let mut iter = before.iter();
            while let Some(arg) = iter.next() {
                match arg.as_str() {
                    "-n" | "--namespace" | "-c" | "--container" => {
                        if arg.starts_with("-n") || arg == "--namespace" {
                            namespace = iter.next()?.clone();
                        } else {
                            iter.next();
                        }
                    }
                    a if a.starts_with("--namespace=") => {
                        namespace = a["--namespace=".len()..].to_string()
                    }
                    a if a.starts_with('-') => {}
                    a => pod = pod.or(Some(a.to_string())),
                }
            }
            let url = url_in_words(after)?;
            let service =
                service_for_url(&model.services, Some(&namespace), &url).map(GraphService::key);
            let client = pod
                .filter(|p| !p.contains('/'))
                .map(|p| format!("{namespace}/{p}"));
            Some(LineTarget {
                service,
                client,
                burst: false,
            })
        }
        _ => None,
    }
}

/// `… answered (…), 3 failed` in `curl -n`'s summary line: the failures.
pub fn burst_failures(output: &str) -> usize {
    let first = output.lines().next().unwrap_or("");
    first
        .rsplit(", ")
        .next()
        .and_then(|tail| tail.strip_suffix(" failed"))
        .and_then(|n| n.parse().ok())
        .unwrap_or(0)
}

/// Keeps at most `limit` items, spread evenly over the list (deterministic).
fn sample<T: Clone>(items: &[T], limit: usize) -> Vec<T> {
    if items.len() <= limit {
        return items.to_vec();
    }
    (0..limit)
        .map(|i| items[i * items.len() / limit].clone())
        .collect()
}

/// The events to draw for newly answered requests (`served`, from [`ServedCursor::take`]) and
/// what a terminal line reported: `target` (its Service and client), whether it failed
/// (`exit_ok`, and `failures` for a `curl -n` burst).
pub fn traffic_events(
    model: &GraphModel,
    served: &[(SimTime, String)],
    target: Option<&LineTarget>,
    exit_ok: bool,
    failures: usize,
) -> Vec<TrafficEvent> {
    let target_service = target.and_then(|t| t.service.as_deref());
    let service_of = |pod: &str| -> Option<String> {
        let serves = |s: &&GraphService| s.endpoints.iter().any(|e| e == pod);
        model
            .services
            .iter()
            .filter(serves)
            .find(|s| Some(s.key().as_str()) == target_service)
            .or_else(|| model.services.iter().find(serves))
            .map(GraphService::key)
    };
    let mut events: Vec<TrafficEvent> = sample(served, MAX_EVENTS_PER_BATCH)
        .into_iter()
        .map(|(_, pod)| {
            let service = service_of(&pod);
            let client = target
                .filter(|t| t.service.is_some() && t.service == service)
                .and_then(|t| t.client.clone());
            TrafficEvent {
                service,
                client,
                pod: Some(pod),
                ok: true,
            }
        })
        .collect();
    if let Some(target) = target {
        let failed = if target.burst {
            failures
        } else {
            usize::from(!exit_ok)
        };
        for _ in 0..failed.min(MAX_FAILURES_PER_BATCH) {
            events.push(TrafficEvent {
                service: target.service.clone(),
                client: target.client.clone(),
                pod: None,
                ok: false,
            });
        }
        // An answer from a pod's shell (`kubectl exec … wget`) is not in the cluster's record
        // of answered requests: show it as far as the Service.
        if exit_ok && !target.burst && served.is_empty() && target.client.is_some() {
            events.push(TrafficEvent {
                service: target.service.clone(),
                client: target.client.clone(),
                pod: None,
                ok: true,
            });
        }
    }
    events
}

#[cfg(test)]
mod tests {
    use super::*;

    fn service(ns: &str, name: &str, ip: &str, node_port: Option<u16>) -> GraphService {
        GraphService {
            namespace: ns.into(),
            name: name.into(),
            service_type: "ClusterIP".into(),
            endpoints: vec![format!("{ns}/{name}-1"), format!("{ns}/{name}-2")],
            other_endpoints: 0,
            addresses: vec![ip.into()],
            node_ports: node_port.into_iter().collect(),
        }
    }

    fn model() -> GraphModel {
        GraphModel {
            services: vec![
                service("default", "web", "10.96.0.20", Some(30080)),
                service("shop", "cart", "10.96.0.30", None),
            ],
            ..Default::default()
        }
    }

    #[test]
    fn urls_name_services_by_address_dns_name_or_node_port() {
        let m = model();
        let key = |ns: Option<&str>, url: &str| {
            service_for_url(&m.services, ns, url).map(GraphService::key)
        };
        assert_eq!(key(Some("default"), "web"), Some("default/web".into()));
        assert_eq!(
            key(Some("default"), "http://web:80/"),
            Some("default/web".into())
        );
        assert_eq!(key(Some("default"), "cart.shop"), Some("shop/cart".into()));
        assert_eq!(
            key(Some("x"), "http://cart.shop.svc.cluster.local/a"),
            Some("shop/cart".into())
        );
        assert_eq!(key(Some("shop"), "cart"), Some("shop/cart".into()));
        assert_eq!(key(Some("default"), "cart"), None);
        assert_eq!(key(None, "http://10.96.0.30"), Some("shop/cart".into()));
        assert_eq!(
            key(None, "http://192.168.49.3:30080/"),
            Some("default/web".into())
        );
        assert_eq!(key(None, "http://node-1:30080"), Some("default/web".into()));
        assert_eq!(key(None, "http://node-1:31000"), None);
        assert_eq!(key(None, ""), None);
    }

    #[test]
    fn lines_name_their_service_and_client() {
        let m = model();
        assert_eq!(
            line_target(&m, "kubectl exec client -- wget -qO- -T 2 http://web"),
            Some(LineTarget {
                service: Some("default/web".into()),
                client: Some("default/client".into()),
                burst: false
            })
        );
        assert_eq!(
            line_target(
                &m,
                "kubectl exec -n shop box -c sh -- sh -c \"curl -s cart; echo\""
            ),
            Some(LineTarget {
                service: Some("shop/cart".into()),
                client: Some("shop/box".into()),
                burst: false
            })
        );
        assert_eq!(
            line_target(&m, "curl -n 50 --every 100ms http://192.168.49.3:30080/"),
            Some(LineTarget {
                service: Some("default/web".into()),
                client: None,
                burst: true
            })
        );
        assert_eq!(line_target(&m, "kubectl get pods"), None);
        assert_eq!(line_target(&m, "kubectl exec client -- ls"), None);
        assert_eq!(line_target(&m, "kubectl exec \"unterminated"), None);
        assert_eq!(
            burst_failures("600 requests to u: 590 answered (590 × 200), 10 failed\n  a  1\n"),
            10
        );
        assert_eq!(burst_failures("error"), 0);
    }

    #[test]
    fn the_cursor_returns_each_answered_request_once() {
        let mut cursor = ServedCursor::default();
        let a = |t: u64, pod: &str| (SimTime(t), pod.to_string());
        let first = vec![a(5, "p"), a(5, "q"), a(7, "p")];
        assert_eq!(cursor.take(&first), first);
        assert_eq!(cursor.from(), SimTime(7));
        // Read again from 7: nothing new.
        assert_eq!(cursor.take(&[a(7, "p")]), vec![]);
        // Two more at the same instant, and one later.
        assert_eq!(
            cursor.take(&[a(7, "p"), a(7, "p"), a(7, "q"), a(9, "q")]),
            vec![a(7, "p"), a(7, "q"), a(9, "q")]
        );
        assert_eq!(cursor.take(&[a(9, "q")]), vec![]);
        assert_eq!(cursor.take(&[]), vec![]);
    }

    #[test]
    fn events_go_through_the_named_service_and_failures_flash() {
        let m = model();
        let target = line_target(&m, "kubectl exec client -- wget -qO- web").expect("target");
        let served = vec![(SimTime(1), "default/web-2".to_string())];
        let events = traffic_events(&m, &served, Some(&target), true, 0);
        assert_eq!(
            events,
            vec![TrafficEvent {
                service: Some("default/web".into()),
                client: Some("default/client".into()),
                pod: Some("default/web-2".into()),
                ok: true
            }]
        );
        let failed = traffic_events(&m, &[], Some(&target), false, 0);
        assert_eq!(failed.len(), 1);
        assert!(!failed[0].ok && failed[0].pod.is_none());
        // exec's answers are not in the cluster's record: the request is shown to the hub.
        let unattributed = traffic_events(&m, &[], Some(&target), true, 0);
        assert_eq!(unattributed.len(), 1);
        assert!(unattributed[0].ok);
        // A big burst is sampled; its failures are capped.
        let many: Vec<(SimTime, String)> = (0..600)
            .map(|i| (SimTime(i), format!("default/web-{}", 1 + i % 2)))
            .collect();
        let burst = LineTarget {
            service: Some("default/web".into()),
            client: None,
            burst: true,
        };
        let events = traffic_events(&m, &many, Some(&burst), true, 100);
        assert_eq!(events.len(), MAX_EVENTS_PER_BATCH + MAX_FAILURES_PER_BATCH);
        // Background answers (a pod's own wget loop) find their Service by endpoint.
        let background = traffic_events(&m, &[(SimTime(3), "shop/cart-1".into())], None, true, 0);
        assert_eq!(background[0].service.as_deref(), Some("shop/cart"));
        assert_eq!(background[0].client, None);
    }
}
