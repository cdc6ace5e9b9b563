//! DefaultIngressClass (plugin/pkg/admission/network/defaultingressclass), on Ingress create: an
//! Ingress that names no class (no `ingressClassName`, no `kubernetes.io/ingress.class`
//! annotation) gets the IngressClass annotated `ingressclass.kubernetes.io/is-default-class:
//! "true"` (the newest when there are several). Without a default it is left as it is.

use model::sort::SortSlice;
use model::Object;

use super::{AdmissionRequest, Operation};
use crate::api::ApiError;

const IS_DEFAULT: &str = "ingressclass.kubernetes.io/is-default-class";
const LEGACY_CLASS_ANNOTATION: &str = "kubernetes.io/ingress.class";

pub(super) fn admit(request: &AdmissionRequest<'_>, object: &mut Object) -> Result<(), ApiError> {
    if request.operation != Operation::Create {
        return Ok(());
    }
    let Object::Ingress(ingress) = object else {
        return Ok(());
    };
    let annotated = ingress
        .metadata
        .annotations
        .as_ref()
        .is_some_and(|a| a.contains_key(LEGACY_CLASS_ANNOTATION));
    let named = ingress
        .spec
        .as_ref()
        .is_some_and(|s| s.ingress_class_name.is_some());
    if annotated || named {
        return Ok(());
    }
    let mut defaults: Vec<(Option<i64>, String)> =
        super::list(request.store, "ingressclasses", "networking.k8s.io", "")
            .iter()
            .filter(|class| {
                class
                    .metadata()
                    .annotations
                    .as_ref()
                    .and_then(|a| a.get(IS_DEFAULT))
                    .map(String::as_str)
                    == Some("true")
            })
            .map(|class| {
                (
                    class
                        .metadata()
                        .creation_timestamp
                        .as_ref()
                        .map(|t| t.0.as_second()),
                    class.name().to_string(),
                )
            })
            .collect();
    defaults.sort_stable_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
    if let Some((_, name)) = defaults.first() {
        ingress
            .spec
            .get_or_insert_with(Default::default)
            .ingress_class_name = Some(name.clone());
    }
    Ok(())
}
