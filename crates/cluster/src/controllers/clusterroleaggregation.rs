//! The ClusterRole aggregation controller: a ClusterRole with an `aggregationRule` gets, as its
//! rules, the rules of every other ClusterRole whose labels match one of its
//! `clusterRoleSelectors` — selectors in order, the roles a selector matches by name, each rule
//! once. This is how the bootstrap `admin`, `edit` and `view` roles get their permissions (from
//! the `system:aggregate-to-*` roles and from each other), and how a learner's own role labelled
//! `rbac.authorization.k8s.io/aggregate-to-view: "true"` extends `view`. Rules written by hand
//! into an aggregated role are replaced, as upstream's controller stomps them.
//!
//! Upstream re-syncs every aggregated role whenever any ClusterRole changes; here every
//! controller round looks at every aggregated role, which converges the same way (view into
//! edit into admin takes one round per level).

use std::rc::Rc;

use model::k8s_openapi::api::rbac::v1::PolicyRule;
use model::selector::Selector;
use model::sort::SortSlice;
use model::Object;

use super::{ControllerView, Reconciled, Write};

pub(crate) fn reconcile(role: &Rc<Object>, view: &ControllerView<'_>) -> Reconciled {
    let mut out = Reconciled::default();
    let Object::ClusterRole(cluster_role) = &**role else {
        return out;
    };
    let Some(aggregation) = &cluster_role.aggregation_rule else {
        return out;
    };
    let all_roles = view.list_in_cluster("clusterroles");
    let mut aggregated: Vec<PolicyRule> = Vec::new();
    for label_selector in aggregation.cluster_role_selectors.iter().flatten() {
        let selector = Selector::from_label_selector(Some(label_selector));
        let mut matching: Vec<&Rc<Object>> = all_roles
            .iter()
            .filter(|other| other.name() != role.name())
            .filter(|other| selector.matches(other.metadata().labels.as_ref()))
            .collect();
        matching.sort_stable_by(|a, b| a.name().cmp(b.name()));
        for other in matching {
            let Object::ClusterRole(other_role) = &**other else {
                continue;
            };
            for rule in other_role.rules.iter().flatten() {
                if !aggregated.contains(rule) {
                    aggregated.push(rule.clone());
                }
            }
        }
    }
    let current = cluster_role.rules.as_deref().unwrap_or_default();
    if current == aggregated.as_slice() {
        return out;
    }
    let mut updated = cluster_role.clone();
    updated.rules = Some(aggregated);
    updated.metadata.resource_version = None;
    out.writes.push(Write::Update(Object::ClusterRole(updated)));
    out
}
