//! Pod helpers that the API server and the kubelet share.

use k8s_openapi::api::core::v1::PodSpec;

/// The QoS class (`Guaranteed`, `Burstable`, `BestEffort`) from the containers' requests and
/// limits, as the API server computes `status.qosClass`: Guaranteed when every container sets
/// CPU and memory limits equal to its requests (requests default to limits); BestEffort when no
/// container sets any request or limit; Burstable otherwise.
pub fn qos_class(spec: &PodSpec) -> &'static str {
    let containers = spec
        .containers
        .iter()
        .chain(spec.init_containers.iter().flatten());
    let mut any_set = false;
    let mut all_guaranteed = true;
    for container in containers {
        let resources = container.resources.as_ref();
        let requests = resources.and_then(|r| r.requests.as_ref());
        let limits = resources.and_then(|r| r.limits.as_ref());
        let relevant = |m: Option<
            &std::collections::BTreeMap<
                String,
                k8s_openapi::apimachinery::pkg::api::resource::Quantity,
            >,
        >| {
            m.map(|m| {
                m.iter()
                    .filter(|(k, _)| k.as_str() == "cpu" || k.as_str() == "memory")
                    .count()
            })
            .unwrap_or(0)
        };
        if relevant(requests) > 0 || relevant(limits) > 0 {
            any_set = true;
        }
        for resource in ["cpu", "memory"] {
            let limit = limits.and_then(|l| l.get(resource));
            let request = requests.and_then(|r| r.get(resource)).or(limit);
            match (request, limit) {
                (Some(r), Some(l)) if r == l => {}
                _ => all_guaranteed = false,
            }
        }
    }
    if !any_set {
        "BestEffort"
    } else if all_guaranteed {
        "Guaranteed"
    } else {
        "Burstable"
    }
}
