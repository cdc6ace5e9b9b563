//! Service address allocation, as the API server's allocators do it: ClusterIPs at random from
//! the service CIDR 10.96.0.0/12 (10.96.0.1 is the `kubernetes` Service, 10.96.0.10 kube-dns),
//! node ports at random from 30000–32767; explicit ones are honoured or refused when taken.
//! The rest of networking (endpoints, DNS, kube-proxy) arrives with the networking issue.

use std::collections::BTreeSet;

use model::Object;

use crate::api::{ApiError, Store, StoreExt};
use crate::rng::SimRng;

const SERVICE_CIDR_BASE: u32 = (10 << 24) | (96 << 16); // 10.96.0.0
const SERVICE_CIDR_SIZE: u32 = 1 << 20; // /12
const KUBE_DNS_IP: &str = "10.96.0.10";
const NODE_PORT_RANGE: std::ops::RangeInclusive<i32> = 30000..=32767;

fn ip_text(ip: u32) -> String {
    format!(
        "{}.{}.{}.{}",
        ip >> 24,
        (ip >> 16) & 255,
        (ip >> 8) & 255,
        ip & 255
    )
}

fn invalid(service: &str, detail: String) -> ApiError {
    ApiError {
        reason: "Invalid",
        code: 422,
        message: format!("The Service \"{service}\" is invalid: {detail}"),
    }
}

/// Fills `clusterIP(s)`, IP families and node ports of a new Service.
pub fn allocate_service_addresses(
    object: &mut Object,
    store: &Store,
    rng: &mut SimRng,
) -> Result<(), ApiError> {
    let Object::Service(service) = object else {
        return Ok(());
    };
    let name = service.metadata.name.clone().unwrap_or_default();
    let Some(spec) = service.spec.as_mut() else {
        return Ok(());
    };
    let service_type = spec.type_.clone().unwrap_or_else(|| "ClusterIP".into());
    let services = store.list(
        model::registry::resolve("services").expect("registered"),
        None,
    );
    let mut used_ips: BTreeSet<String> = BTreeSet::from([KUBE_DNS_IP.to_string()]);
    let mut used_ports: BTreeSet<i32> = BTreeSet::new();
    for other in &services {
        if let Object::Service(s) = other.as_ref() {
            if let Some(other_spec) = s.spec.as_ref() {
                used_ips.extend(other_spec.cluster_ip.clone());
                used_ports.extend(
                    other_spec
                        .ports
                        .iter()
                        .flatten()
                        .filter_map(|p| p.node_port),
                );
            }
        }
    }
    if service_type != "ExternalName" {
        match spec.cluster_ip.as_deref() {
            Some("None") => {}
            Some(ip) if !ip.is_empty() => {
                if used_ips.contains(ip) && !(ip == KUBE_DNS_IP && name == "kube-dns") {
                    return Err(invalid(&name, format!("spec.clusterIPs: Invalid value: []string{{\"{ip}\"}}: failed to allocate IP {ip}: provided IP is already allocated")));
                }
            }
            _ => {
                let ip = loop {
                    // Skip the network address and the two well-known addresses.
                    let offset = 11 + rng.next_u32() % (SERVICE_CIDR_SIZE - 12);
                    let candidate = ip_text(SERVICE_CIDR_BASE + offset);
                    if !used_ips.contains(&candidate) {
                        break candidate;
                    }
                };
                spec.cluster_ip = Some(ip);
            }
        }
        spec.cluster_ips = spec.cluster_ip.clone().map(|ip| vec![ip]);
        spec.ip_families
            .get_or_insert_with(|| vec!["IPv4".to_string()]);
        spec.ip_family_policy
            .get_or_insert_with(|| "SingleStack".to_string());
    }
    if service_type == "NodePort" || service_type == "LoadBalancer" {
        for (index, port) in spec.ports.iter_mut().flatten().enumerate() {
            match port.node_port {
                Some(explicit) => {
                    if !NODE_PORT_RANGE.contains(&explicit) {
                        return Err(invalid(&name, format!("spec.ports[{index}].nodePort: Invalid value: {explicit}: provided port is not in the valid range. The range of valid ports is 30000-32767")));
                    }
                    if !used_ports.insert(explicit) {
                        return Err(invalid(&name, format!("spec.ports[{index}].nodePort: Invalid value: {explicit}: provided port is already allocated")));
                    }
                }
                None => {
                    let span = (NODE_PORT_RANGE.end() - NODE_PORT_RANGE.start() + 1) as u32;
                    let chosen = loop {
                        let candidate = NODE_PORT_RANGE.start() + (rng.next_u32() % span) as i32;
                        if used_ports.insert(candidate) {
                            break candidate;
                        }
                    };
                    port.node_port = Some(chosen);
                }
            }
        }
    }
    Ok(())
}
