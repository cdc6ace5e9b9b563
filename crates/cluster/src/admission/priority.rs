//! Priority (plugin/pkg/admission/priority). Mutating, on Pod create: resolve
//! `priorityClassName` to `priority` and `preemptionPolicy` from the PriorityClass (no name:
//! the global-default class, else 0 and `PreemptLowerPriority`); an unknown class is refused
//! with `no PriorityClass with name <name> was found`. On Pod update the stored priority is
//! kept. Validating, on PriorityClass create/update: only one class may be the global default.
//!
//! Model's defaulting already writes `priority: 0` and `preemptionPolicy: PreemptLowerPriority`
//! into every Pod before admission (upstream leaves both to this plugin), so those two values are
//! taken as "not given" rather than as a conflicting request.

use model::k8s_openapi::api::scheduling::v1::PriorityClass;
use model::Object;

use super::{forbidden, AdmissionRequest, Operation};
use crate::api::ApiError;

const PREEMPT_LOWER_PRIORITY: &str = "PreemptLowerPriority";

fn priority_classes(request: &AdmissionRequest<'_>) -> Vec<PriorityClass> {
    super::list(request.store, "priorityclasses", "scheduling.k8s.io", "")
        .into_iter()
        .filter_map(|object| match &*object {
            Object::PriorityClass(class) => Some((**class).clone()),
            _ => None,
        })
        .collect()
}

/// The global-default class; with several (a race upstream), the lowest value, then by name.
fn default_class(classes: &[PriorityClass]) -> Option<&PriorityClass> {
    classes
        .iter()
        .filter(|c| c.global_default == Some(true))
        .min_by_key(|c| c.value.unwrap_or(0))
}

pub(super) fn admit(request: &AdmissionRequest<'_>, object: &mut Object) -> Result<(), ApiError> {
    let Object::Pod(pod) = object else {
        return Ok(());
    };
    let Some(spec) = pod.spec.as_mut() else {
        return Ok(());
    };
    match request.operation {
        Operation::Update => {
            let old_spec = match request.old {
                Some(Object::Pod(old)) => old.spec.as_ref(),
                _ => None,
            };
            if let Some(old_spec) = old_spec {
                if matches!(spec.priority, None | Some(0)) && old_spec.priority.is_some() {
                    spec.priority = old_spec.priority;
                }
                let unset = matches!(
                    spec.preemption_policy.as_deref(),
                    None | Some(PREEMPT_LOWER_PRIORITY)
                );
                if unset && old_spec.preemption_policy.is_some() {
                    spec.preemption_policy = old_spec.preemption_policy.clone();
                }
            }
            Ok(())
        }
        Operation::Create => {
            let classes = priority_classes(request);
            let class_name = spec.priority_class_name.clone().unwrap_or_default();
            let (priority, policy) = if class_name.is_empty() {
                match default_class(&classes) {
                    Some(class) => {
                        spec.priority_class_name = class.metadata.name.clone();
                        (class.value.unwrap_or(0), class.preemption_policy.clone())
                    }
                    None => (0, Some(PREEMPT_LOWER_PRIORITY.to_string())),
                }
            } else {
                match classes
                    .iter()
                    .find(|c| c.metadata.name.as_deref() == Some(class_name.as_str()))
                {
                    Some(class) => (class.value.unwrap_or(0), class.preemption_policy.clone()),
                    None => {
                        let reason = format!("no PriorityClass with name {class_name} was found");
                        return Err(forbidden(object, reason));
                    }
                }
            };
            if let Some(given) = spec.priority.filter(|p| *p != 0 && *p != priority) {
                let reason = format!(
                    "the integer value of priority ({given}) must not be provided in pod spec; priority admission controller computed {priority} from the given PriorityClass name"
                );
                return Err(forbidden(object, reason));
            }
            spec.priority = Some(priority);
            // A class without a policy is defaulted to PreemptLowerPriority upstream.
            let policy = policy.unwrap_or_else(|| PREEMPT_LOWER_PRIORITY.to_string());
            if let Some(given) = spec
                .preemption_policy
                .clone()
                .filter(|p| p != PREEMPT_LOWER_PRIORITY && *p != policy)
            {
                let reason = format!(
                    "the string value of PreemptionPolicy ({given}) must not be provided in pod spec; priority admission controller computed {policy} from the given PriorityClass name"
                );
                return Err(forbidden(object, reason));
            }
            spec.preemption_policy = Some(policy);
            Ok(())
        }
    }
}

pub(super) fn validate(request: &AdmissionRequest<'_>, object: &Object) -> Result<(), ApiError> {
    let Object::PriorityClass(class) = object else {
        return Ok(());
    };
    if class.global_default != Some(true) {
        return Ok(());
    }
    let classes = priority_classes(request);
    if let Some(existing) = default_class(&classes) {
        let existing_name = existing.metadata.name.clone().unwrap_or_default();
        if request.operation == Operation::Create || existing_name != object.name() {
            return Err(forbidden(
                object,
                format!(
                    "PriorityClass {existing_name} is already marked as default. Only one default can exist"
                ),
            ));
        }
    }
    Ok(())
}
