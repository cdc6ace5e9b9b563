//! DefaultTolerationSeconds: a new Pod that does not tolerate `node.kubernetes.io/not-ready` or
//! `node.kubernetes.io/unreachable` (NoExecute) gets a toleration for each, for 300 seconds —
//! which is why a pod leaves a dead node five minutes after the node went NotReady.

use model::k8s_openapi::api::core::v1::Toleration;
use model::Object;

use super::{AdmissionRequest, Operation};
use crate::api::ApiError;

/// How long pods stay on a not-ready or unreachable node by default.
pub const DEFAULT_TOLERATION_SECONDS: i64 = 300;

const TAINTS: [&str; 2] = [
    "node.kubernetes.io/not-ready",
    "node.kubernetes.io/unreachable",
];

pub(super) fn admit(request: &AdmissionRequest<'_>, object: &mut Object) -> Result<(), ApiError> {
    if request.operation != Operation::Create {
        return Ok(());
    }
    let Object::Pod(pod) = object else {
        return Ok(());
    };
    let Some(spec) = pod.spec.as_mut() else {
        return Ok(());
    };
    let tolerations = spec.tolerations.get_or_insert_with(Vec::new);
    for key in TAINTS {
        let covered = tolerations.iter().any(|t| {
            let effect_ok = t
                .effect
                .as_deref()
                .is_none_or(|e| e.is_empty() || e == "NoExecute");
            let key_ok = match t.key.as_deref() {
                None | Some("") => t.operator.as_deref() == Some("Exists"),
                Some(k) => k == key,
            };
            effect_ok && key_ok
        });
        if !covered {
            tolerations.push(Toleration {
                key: Some(key.to_string()),
                operator: Some("Exists".to_string()),
                effect: Some("NoExecute".to_string()),
                toleration_seconds: Some(DEFAULT_TOLERATION_SECONDS),
                value: None,
            });
        }
    }
    Ok(())
}
