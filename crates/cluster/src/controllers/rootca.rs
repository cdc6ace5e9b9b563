//! The root CA certificate publisher: every active namespace has the ConfigMap
//! `kube-root-ca.crt` holding the cluster's CA bundle (what pods use to trust the API server);
//! a deleted or changed one is put back.

use std::rc::Rc;

use model::Object;
use serde_json::json;

use super::{is_terminating, ControllerView, Reconciled, Write};

pub(crate) const NAME: &str = "kube-root-ca.crt";

/// The simulated cluster's CA certificate (a stand-in: nothing here does TLS).
pub(crate) const CA_CERTIFICATE: &str = "-----BEGIN CERTIFICATE-----
MIIDBTCCAe2gAwIBAgIIKubePlay0CAwDQYJKoZIhvcNAQELBQAwFTETMBEGA1UE
AxMKa3ViZXJuZXRlczAeFw0yNTEyMzEyMzUwMDBaFw0zNTEyMjkyMzU1MDBaMBUx
EzARBgNVBAMTCmt1YmVybmV0ZXMwggEiMA0GCSqGSIb3DQEBAQUAA4IBDwAwggEK
AoIBAQC0a2V1YmVwbGF5IHNpbXVsYXRlZCBjbHVzdGVyIENBIC0gbm90IGEgcmVh
bCBrZXkga3ViZXBsYXkgc2ltdWxhdGVkIGNsdXN0ZXIgQ0EgLSBub3QgYSByZWFs
IGtleSBrdWJlcGxheSBzaW11bGF0ZWQgY2x1c3RlciBDQSAtIG5vdCBhIHJlYWwg
-----END CERTIFICATE-----
";

pub(crate) fn reconcile(namespace: &Rc<Object>, view: &ControllerView<'_>) -> Reconciled {
    let mut out = Reconciled::default();
    let active = namespace.to_json_value()["status"]["phase"] != "Terminating";
    if is_terminating(namespace) || !active {
        return out;
    }
    let existing = view
        .list_in("configmaps", namespace.name())
        .into_iter()
        .find(|c| c.name() == NAME);
    let wanted_data = json!({ "ca.crt": CA_CERTIFICATE });
    match existing {
        Some(current) => {
            let mut value = current.to_json_value();
            if value["data"] != wanted_data {
                value["data"] = wanted_data;
                if let Some(meta) = value["metadata"].as_object_mut() {
                    meta.remove("resourceVersion");
                }
                if let Ok(object) = Object::from_json_value(value) {
                    out.writes.push(Write::Update(object));
                }
            }
        }
        None => {
            let config_map = json!({
                "apiVersion": "v1",
                "kind": "ConfigMap",
                "metadata": { "name": NAME, "namespace": namespace.name() },
                "data": wanted_data,
            });
            if let Ok(object) = Object::from_json_value(config_map) {
                out.writes.push(Write::Create {
                    object,
                    owner: namespace.clone(),
                    success: None,
                    failure: None,
                });
            }
        }
    }
    out
}
