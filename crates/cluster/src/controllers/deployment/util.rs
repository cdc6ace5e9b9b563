//! Pure helpers of the deployment controller (upstream's `deployment/util`): the
//! pod-template-hash, surge/unavailable fenceposts, revisions and the annotations a
//! Deployment's ReplicaSets carry.

use std::collections::BTreeMap;

use model::k8s_openapi::api::apps::v1::{Deployment, ReplicaSet};
use model::k8s_openapi::api::core::v1::PodTemplateSpec;
use model::k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;

pub const REVISION: &str = "deployment.kubernetes.io/revision";
pub const REVISION_HISTORY: &str = "deployment.kubernetes.io/revision-history";
pub const DESIRED_REPLICAS: &str = "deployment.kubernetes.io/desired-replicas";
pub const MAX_REPLICAS: &str = "deployment.kubernetes.io/max-replicas";
pub const POD_TEMPLATE_HASH: &str = "pod-template-hash";
const LAST_APPLIED: &str = "kubectl.kubernetes.io/last-applied-configuration";

/// The alphabet Kubernetes uses for generated names: no vowels, no look-alike characters.
const SAFE_ALPHABET: &[u8] = b"bcdfghjklmnpqrstvwxz2456789";

/// Upstream's `SafeEncodeString`: every byte of the text mapped into the safe alphabet.
pub fn safe_encode(text: &str) -> String {
    text.bytes()
        .map(|b| SAFE_ALPHABET[usize::from(b) % SAFE_ALPHABET.len()] as char)
        .collect()
}

/// The `pod-template-hash` label value: an FNV-32a hash of the template (and the collision
/// count), printed in decimal and safe-encoded — the shape upstream's hash has (`7d4b9c8f5`).
/// The bytes hashed are our canonical JSON of the template, so values differ from a real
/// cluster's while behaving the same (equal templates, equal hashes).
pub fn pod_template_hash(template: &PodTemplateSpec, collision_count: Option<i32>) -> String {
    // Through a `Value`: the same bytes (k8s-openapi writes fields in key order, as a `Value`
    // map does), and no second serializer compiled for every pod type into the page.
    let text = serde_json::to_value(template)
        .map(|v| v.to_string())
        .unwrap_or_default();
    let mut hash: u32 = 0x811c_9dc5;
    let mut feed = |bytes: &[u8]| {
        for byte in bytes {
            hash ^= u32::from(*byte);
            hash = hash.wrapping_mul(0x0100_0193);
        }
    };
    feed(text.as_bytes());
    if let Some(count) = collision_count {
        feed(&count.to_le_bytes());
    }
    safe_encode(&hash.to_string())
}

/// The template without the `pod-template-hash` label, for comparing a ReplicaSet's template
/// with its Deployment's (upstream's EqualIgnoreHash).
pub fn without_hash(template: &PodTemplateSpec) -> PodTemplateSpec {
    let mut template = template.clone();
    if let Some(meta) = template.metadata.as_mut() {
        if let Some(labels) = meta.labels.as_mut() {
            labels.remove(POD_TEMPLATE_HASH);
        }
    }
    template
}

/// An int-or-percent scaled against `total`, rounding up or down.
pub fn scaled_value(value: Option<&IntOrString>, total: i32, round_up: bool) -> i32 {
    match value {
        None => 0,
        Some(IntOrString::Int(n)) => *n,
        Some(IntOrString::String(text)) => {
            let Some(percent) = text
                .strip_suffix('%')
                .and_then(|p| p.trim().parse::<i64>().ok())
            else {
                return 0;
            };
            let product = percent * i64::from(total);
            let value = if round_up {
                (product + 99).div_euclid(100)
            } else {
                product.div_euclid(100)
            };
            value as i32
        }
    }
}

/// `(maxSurge, maxUnavailable)` as numbers of pods: surge rounds up, unavailable rounds down,
/// and if both come out zero one pod may be unavailable (else a rollout could never move).
pub fn resolve_fenceposts(deployment: &Deployment) -> (i32, i32) {
    let spec = &deployment.spec;
    let desired = spec.replicas.unwrap_or(1);
    let rolling = spec
        .strategy
        .as_ref()
        .filter(|s| s.type_.as_deref() != Some("Recreate"))
        .and_then(|s| s.rolling_update.as_ref());
    let Some(rolling) = rolling else {
        return (0, 0);
    };
    let surge = scaled_value(rolling.max_surge.as_ref(), desired, true);
    let unavailable = scaled_value(rolling.max_unavailable.as_ref(), desired, false);
    if surge == 0 && unavailable == 0 {
        return (0, 1);
    }
    (surge, unavailable)
}

/// `maxUnavailable` as a number, never more than the desired replicas.
pub fn max_unavailable(deployment: &Deployment) -> i32 {
    let desired = deployment.spec.replicas.unwrap_or(1);
    if deployment
        .spec
        .strategy
        .as_ref()
        .is_some_and(|s| s.type_.as_deref() == Some("Recreate"))
        || desired == 0
    {
        return 0;
    }
    resolve_fenceposts(deployment).1.min(desired)
}

/// The revision a ReplicaSet carries (0 when it has none).
pub fn revision_of(annotations: Option<&BTreeMap<String, String>>) -> i64 {
    annotations
        .and_then(|a| a.get(REVISION))
        .and_then(|r| r.parse().ok())
        .unwrap_or(0)
}

pub fn rs_replicas(rs: &ReplicaSet) -> i32 {
    rs.spec.replicas.unwrap_or(0)
}

pub fn rs_available(rs: &ReplicaSet) -> i32 {
    rs.status
        .as_ref()
        .and_then(|s| s.available_replicas)
        .unwrap_or(0)
}

/// The annotations a Deployment passes on to its ReplicaSets (not kubectl's last-applied
/// configuration, nor the deployment controller's own).
pub fn copied_annotations(deployment: &Deployment) -> BTreeMap<String, String> {
    deployment
        .metadata
        .annotations
        .iter()
        .flatten()
        .filter(|(k, _)| {
            ![
                LAST_APPLIED,
                REVISION,
                REVISION_HISTORY,
                DESIRED_REPLICAS,
                MAX_REPLICAS,
                "deprecated.deployment.rollback.to",
            ]
            .contains(&k.as_str())
        })
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_use_the_safe_alphabet_of_decimal_digits() {
        assert_eq!(safe_encode("0123456789"), "456789bcdf");
        let template = PodTemplateSpec::default();
        let hash = pod_template_hash(&template, None);
        assert!(hash.chars().all(|c| "456789bcdf".contains(c)), "{hash}");
        assert_ne!(hash, pod_template_hash(&template, Some(1)));
    }

    #[test]
    fn percentages_round_like_upstream() {
        // (value, total, round up) → pods
        let cases = [
            ("25%", 10, true, 3),
            ("25%", 10, false, 2),
            ("25%", 3, true, 1),
            ("25%", 3, false, 0),
            ("100%", 4, false, 4),
            ("0%", 4, true, 0),
        ];
        for (value, total, up, want) in cases {
            let got = scaled_value(Some(&IntOrString::String(value.into())), total, up);
            assert_eq!(got, want, "{value} of {total}");
        }
        assert_eq!(scaled_value(Some(&IntOrString::Int(2)), 10, true), 2);
    }
}
