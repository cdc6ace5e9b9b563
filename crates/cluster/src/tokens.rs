//! Service-account tokens as the API server issues them: JWTs (header, claims, signature,
//! each base64url) for a TokenRequest (`kubectl create token`), the kubelet's projected volume
//! and the legacy token Secrets. In shape only: the signature is not a real one and nothing in
//! the playground verifies it.

use serde_json::{json, Value};

use crate::api::ApiError;
use crate::Cluster;

/// The issuer kubeadm configures (`--service-account-issuer`).
pub const ISSUER: &str = "https://kubernetes.default.svc.cluster.local";

/// A JWT carrying `claims`.
pub fn jwt(claims: &Value) -> String {
    let header = r#"{"alg":"RS256","kid":"kubeplay"}"#;
    let claims = claims.to_string();
    let signature = format!("{:016x}", crate::rng::fnv_parts(&[&claims]));
    [header, claims.as_str(), signature.as_str()]
        .iter()
        .map(|part| base64_url(part.as_bytes()))
        .collect::<Vec<_>>()
        .join(".")
}

/// Unpadded base64url, as JWTs are written.
pub fn base64_url(bytes: &[u8]) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, b)| n | (u32::from(*b) << (16 - 8 * i)));
        for i in 0..=chunk.len() {
            out.push(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize] as char);
        }
    }
    out
}

impl Cluster {
    /// A TokenRequest for a service account (`serviceaccounts/token`): the account must exist;
    /// the expiration defaults to an hour and must lie between ten minutes and 2^32 seconds.
    pub fn request_service_account_token(
        &mut self,
        namespace: &str,
        account: &str,
        audiences: &[String],
        expiration_seconds: Option<i64>,
    ) -> Result<String, ApiError> {
        let accounts = model::registry::resolve("serviceaccounts").expect("registered");
        let service_account = self.get(accounts, namespace, account)?;
        let expiration = expiration_seconds.unwrap_or(3600);
        let too_short = expiration < 600;
        if too_short || expiration > 1 << 32 {
            return Err(ApiError {
                reason: "Invalid",
                code: 422,
                message: format!(
                    "TokenRequest.authentication.k8s.io \"{account}\" is invalid: spec.expirationSeconds: Invalid value: {expiration}: may not specify a duration {}",
                    if too_short { "less than 10 minutes" } else { "larger than 2^32 seconds" }
                ),
            });
        }
        let issued = self.now().unix_seconds();
        let audiences: Vec<String> = if audiences.is_empty() {
            vec![ISSUER.to_string()]
        } else {
            audiences.to_vec()
        };
        let claims = json!({
            "aud": audiences,
            "exp": issued.saturating_add(expiration),
            "iat": issued,
            "iss": ISSUER,
            "jti": self.rng.uuid(),
            "kubernetes.io": {
                "namespace": namespace,
                "serviceaccount": {
                    "name": account,
                    "uid": service_account.metadata().uid.clone().unwrap_or_default(),
                },
            },
            "nbf": issued,
            "sub": format!("system:serviceaccount:{namespace}:{account}"),
        });
        Ok(jwt(&claims))
    }
}
