//! The token controller's legacy half: a Secret of type `kubernetes.io/service-account-token`
//! naming a ServiceAccount (`kubernetes.io/service-account.name`) is filled in with a
//! long-lived token for that account, the cluster's CA certificate and the namespace, and gets
//! the account's uid as an annotation (the docs' "Manually create an API token for a
//! ServiceAccount"). A Secret whose account does not exist is deleted.

use std::rc::Rc;

use model::k8s_openapi::ByteString;
use model::Object;
use serde_json::json;

use super::{is_terminating, ControllerView, Reconciled, Write};

const TOKEN_TYPE: &str = "kubernetes.io/service-account-token";
const ACCOUNT_NAME: &str = "kubernetes.io/service-account.name";
const ACCOUNT_UID: &str = "kubernetes.io/service-account.uid";

pub(crate) fn reconcile(secret: &Rc<Object>, view: &ControllerView<'_>) -> Reconciled {
    let mut out = Reconciled::default();
    let Object::Secret(typed) = &**secret else {
        return out;
    };
    if typed.type_.as_deref() != Some(TOKEN_TYPE) || is_terminating(secret) {
        return out;
    }
    let annotations = typed.metadata.annotations.clone().unwrap_or_default();
    let account_name = annotations.get(ACCOUNT_NAME).cloned().unwrap_or_default();
    let account = view
        .get("serviceaccounts", secret.namespace(), &account_name)
        .filter(|a| {
            annotations
                .get(ACCOUNT_UID)
                .is_none_or(|uid| a.metadata().uid.as_deref() == Some(uid.as_str()))
        });
    let Some(account) = account else {
        out.writes.push(Write::Delete {
            target: secret.clone(),
            owner: None,
            event: None,
        });
        return out;
    };
    let data = typed.data.clone().unwrap_or_default();
    if data.contains_key("token") && annotations.contains_key(ACCOUNT_UID) {
        return out;
    }
    let namespace = secret.namespace().to_string();
    let account_uid = account.metadata().uid.clone().unwrap_or_default();
    let claims = json!({
        "iss": "kubernetes/serviceaccount",
        "kubernetes.io/serviceaccount/namespace": namespace,
        "kubernetes.io/serviceaccount/secret.name": secret.name(),
        "kubernetes.io/serviceaccount/service-account.name": account_name,
        "kubernetes.io/serviceaccount/service-account.uid": account_uid,
        "sub": format!("system:serviceaccount:{namespace}:{account_name}"),
    });
    let mut filled = typed.clone();
    let data = filled.data.get_or_insert_with(Default::default);
    data.insert(
        "ca.crt".into(),
        ByteString(super::rootca::CA_CERTIFICATE.as_bytes().to_vec()),
    );
    data.insert(
        "namespace".into(),
        ByteString(namespace.as_bytes().to_vec()),
    );
    data.insert(
        "token".into(),
        ByteString(crate::tokens::jwt(&claims).into_bytes()),
    );
    filled
        .metadata
        .annotations
        .get_or_insert_with(Default::default)
        .insert(ACCOUNT_UID.into(), account_uid);
    filled.metadata.resource_version = None;
    out.writes.push(Write::Update(Object::Secret(filled)));
    out
}
