//! The Eviction subresource (`POST pods/NAME/eviction`): a pod is deleted only if no
//! PodDisruptionBudget covering it would be broken — what `kubectl drain` uses.

use std::rc::Rc;

use model::selector::Selector;
use model::Object;
use serde_json::json;

use crate::api::{ApiError, StoreExt};
use crate::Cluster;

impl Cluster {
    /// Evicts a pod: refused with 429 TooManyRequests while a budget covering it allows no
    /// disruption, otherwise the pod is deleted and the budget's allowance goes down by one
    /// until its controller counts again.
    pub fn evict(&mut self, namespace: &str, name: &str) -> Result<Rc<Object>, ApiError> {
        let pods = model::registry::resolve("pods").expect("registered");
        let budgets = model::registry::resolve("poddisruptionbudgets").expect("registered");
        let pod = self.get(pods, namespace, name)?;
        let covering: Vec<Rc<Object>> = self
            .api_store()
            .list(budgets, Some(namespace))
            .into_iter()
            .filter(|budget| {
                let Object::PodDisruptionBudget(pdb) = &**budget else {
                    return false;
                };
                let selector = Selector::from_label_selector(
                    pdb.spec.as_ref().and_then(|s| s.selector.as_ref()),
                );
                selector.matches(pod.metadata().labels.as_ref())
            })
            .collect();
        if covering.len() > 1 {
            return Err(ApiError {
                reason: "InternalError",
                code: 500,
                message: "This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.".into(),
            });
        }
        let finished = matches!(
            pod.to_json_value()["status"]["phase"].as_str(),
            Some("Succeeded" | "Failed")
        );
        if let (Some(budget), false) = (covering.first(), finished) {
            let mut value = budget.to_json_value();
            let allowed = value["status"]["disruptionsAllowed"].as_i64().unwrap_or(0);
            if allowed <= 0 {
                return Err(ApiError {
                    reason: "TooManyRequests",
                    code: 429,
                    message: "Cannot evict pod as it would violate the pod's disruption budget."
                        .into(),
                });
            }
            value["status"]["disruptionsAllowed"] = json!(allowed - 1);
            if let Ok(object) = Object::from_json_value(value) {
                self.update_status(object);
            }
        }
        self.delete(pods, namespace, name)
    }
}
