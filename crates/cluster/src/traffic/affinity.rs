//! kube-proxy's memory for `sessionAffinity: ClientIP`: which endpoint each client address was
//! last sent to, per Service port, and when. iptables mode keeps this in the `recent` match of
//! each endpoint's chain: a new connection from a client seen within the Service's
//! `sessionAffinityConfig.clientIP.timeoutSeconds` goes to the same endpoint (if it is still a
//! ready endpoint), and every connection refreshes the stamp; an older entry is reaped and the
//! client is balanced at random again.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;

use crate::SimTime;

/// (namespace, Service, port name).
type ServicePortKey = (String, String, String);

#[derive(Debug, Clone, PartialEq, Eq)]
struct Pin {
    endpoint: String,
    last_seen: SimTime,
}

type Table = BTreeMap<ServicePortKey, BTreeMap<String, Pin>>;

/// Reaping every client of a Service port on each connection would cost O(clients); expired
/// entries of other clients are swept only once a port remembers this many.
const SWEEP_ABOVE_CLIENTS: usize = 256;

/// The cluster's affinity memory. Cloning a cluster copies it (a clone never shares it).
#[derive(Debug, Default)]
pub struct SessionAffinityMemory(Rc<RefCell<Table>>);

impl Clone for SessionAffinityMemory {
    fn clone(&self) -> SessionAffinityMemory {
        SessionAffinityMemory(Rc::new(RefCell::new(self.0.borrow().clone())))
    }
}

impl SessionAffinityMemory {
    /// A handle on this memory (shared, not copied) for one client's view of the network.
    pub(crate) fn handle(&self) -> SessionAffinityHandle {
        SessionAffinityHandle(self.0.clone())
    }
}

/// What a [`super::ClientNetwork`] routes with: the cluster's memory itself.
#[derive(Debug, Clone, Default)]
pub(crate) struct SessionAffinityHandle(Rc<RefCell<Table>>);

/// What kube-proxy remembers, as one connection sees it: the affinity memory and the instant
/// the connection is made.
pub(super) struct KubeProxyMemory<'a> {
    pub affinity: &'a SessionAffinityHandle,
    pub now: SimTime,
}

/// One connection to a Service port with ClientIP affinity.
pub(super) struct AffinityChoice<'a> {
    pub namespace: &'a str,
    pub service: &'a str,
    pub port_name: &'a str,
    pub client: &'a str,
    pub timeout_seconds: u64,
    pub now: SimTime,
}

impl SessionAffinityHandle {
    /// The index in `endpoints` (ready endpoint addresses) this connection goes to: the
    /// client's pinned endpoint while its stamp is younger than the timeout and it is still
    /// ready, `random_index` otherwise; either way the client is (re)pinned there, now.
    pub(super) fn choose(
        &self,
        choice: &AffinityChoice<'_>,
        endpoints: &[&str],
        random_index: usize,
    ) -> usize {
        let mut table = self.0.borrow_mut();
        let clients = table
            .entry((
                choice.namespace.to_string(),
                choice.service.to_string(),
                choice.port_name.to_string(),
            ))
            .or_default();
        let window = choice.timeout_seconds.saturating_mul(1_000);
        let fresh = |pin: &Pin| pin.last_seen.0.saturating_add(window) > choice.now.0;
        if clients.len() > SWEEP_ABOVE_CLIENTS {
            clients.retain(|_, pin| fresh(pin));
        }
        let index = clients
            .get(choice.client)
            .filter(|pin| fresh(pin))
            .and_then(|pin| endpoints.iter().position(|e| *e == pin.endpoint))
            .unwrap_or(random_index);
        if let Some(endpoint) = endpoints.get(index) {
            let last_seen = clients
                .get(choice.client)
                .map_or(choice.now, |pin| pin.last_seen.max(choice.now));
            clients.insert(
                choice.client.to_string(),
                Pin {
                    endpoint: endpoint.to_string(),
                    last_seen,
                },
            );
        }
        index
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn choice(client: &str, now_seconds: u64) -> AffinityChoice<'_> {
        AffinityChoice {
            namespace: "default",
            service: "web",
            port_name: "",
            client,
            timeout_seconds: 10,
            now: SimTime(now_seconds * 1_000),
        }
    }

    #[test]
    fn a_client_stays_pinned_while_it_keeps_coming_within_the_timeout() {
        let memory = SessionAffinityMemory::default();
        let handle = memory.handle();
        let endpoints = ["10.244.1.2", "10.244.2.2", "10.244.1.3"];
        assert_eq!(handle.choose(&choice("1.1.1.1", 0), &endpoints, 2), 2);
        // Every 9 s for a minute: still within 10 s of the last connection each time.
        for step in 1..7 {
            assert_eq!(
                handle.choose(&choice("1.1.1.1", step * 9), &endpoints, 0),
                2
            );
        }
        // Another client is balanced on its own.
        assert_eq!(handle.choose(&choice("2.2.2.2", 60), &endpoints, 1), 1);
    }

    #[test]
    fn the_pin_expires_after_the_timeout_and_when_its_endpoint_is_gone() {
        let memory = SessionAffinityMemory::default();
        let handle = memory.handle();
        let endpoints = ["a", "b", "c"];
        assert_eq!(handle.choose(&choice("x", 0), &endpoints, 0), 0);
        assert_eq!(handle.choose(&choice("x", 9), &endpoints, 1), 0);
        // 10 s after the last connection the entry is stale: a fresh random choice.
        assert_eq!(handle.choose(&choice("x", 19), &endpoints, 1), 1);
        // Its endpoint no longer ready: balanced again, and pinned to the new one.
        assert_eq!(handle.choose(&choice("x", 20), &["a", "c"], 1), 1);
        assert_eq!(handle.choose(&choice("x", 21), &["a", "c"], 0), 1);
    }

    #[test]
    fn a_cloned_memory_is_a_copy() {
        let memory = SessionAffinityMemory::default();
        memory.handle().choose(&choice("x", 0), &["a", "b"], 1);
        let copy = memory.clone();
        copy.handle().choose(&choice("x", 100), &["a", "b"], 0);
        assert_eq!(memory.handle().choose(&choice("x", 1), &["a", "b"], 0), 1);
        assert_eq!(copy.handle().choose(&choice("x", 101), &["a", "b"], 1), 0);
    }
}
