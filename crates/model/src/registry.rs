//! The resource registry: what a real API server's discovery documents say about each kind.

/// One resource type as discovery describes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ResourceType {
    /// `Deployment`.
    pub kind: &'static str,
    /// `apps`; empty for the core group.
    pub group: &'static str,
    /// The versions this simulated API server serves, preferred first.
    pub versions: &'static [&'static str],
    /// `deployments`.
    pub plural: &'static str,
    /// `deployment`.
    pub singular: &'static str,
    /// `deploy`.
    pub short_names: &'static [&'static str],
    /// Whether objects live in a namespace.
    pub namespaced: bool,
    /// The verbs `kubectl api-resources -o wide` lists.
    pub verbs: &'static [&'static str],
}

const ALL_VERBS: &[&str] = &[
    "create",
    "delete",
    "deletecollection",
    "get",
    "list",
    "patch",
    "update",
    "watch",
];

macro_rules! resource {
    ($kind:literal, $group:literal, [$($v:literal),+], $plural:literal, $singular:literal, [$($short:literal),*], $namespaced:literal) => {
        ResourceType {
            kind: $kind,
            group: $group,
            versions: &[$($v),+],
            plural: $plural,
            singular: $singular,
            short_names: &[$($short),*],
            namespaced: $namespaced,
            verbs: ALL_VERBS,
        }
    };
}

/// Every resource type the simulated API server serves, in `kubectl api-resources` order
/// (core group first, then by group name, each sorted by plural).
pub static RESOURCE_TYPES: &[ResourceType] = &[
    resource!(
        "ConfigMap",
        "",
        ["v1"],
        "configmaps",
        "configmap",
        ["cm"],
        true
    ),
    resource!(
        "Endpoints",
        "",
        ["v1"],
        "endpoints",
        "endpoints",
        ["ep"],
        true
    ),
    resource!("Event", "", ["v1"], "events", "event", ["ev"], true),
    resource!(
        "LimitRange",
        "",
        ["v1"],
        "limitranges",
        "limitrange",
        ["limits"],
        true
    ),
    resource!(
        "Namespace",
        "",
        ["v1"],
        "namespaces",
        "namespace",
        ["ns"],
        false
    ),
    resource!("Node", "", ["v1"], "nodes", "node", ["no"], false),
    resource!(
        "PersistentVolumeClaim",
        "",
        ["v1"],
        "persistentvolumeclaims",
        "persistentvolumeclaim",
        ["pvc"],
        true
    ),
    resource!(
        "PersistentVolume",
        "",
        ["v1"],
        "persistentvolumes",
        "persistentvolume",
        ["pv"],
        false
    ),
    resource!("Pod", "", ["v1"], "pods", "pod", ["po"], true),
    resource!(
        "ReplicationController",
        "",
        ["v1"],
        "replicationcontrollers",
        "replicationcontroller",
        ["rc"],
        true
    ),
    resource!(
        "ResourceQuota",
        "",
        ["v1"],
        "resourcequotas",
        "resourcequota",
        ["quota"],
        true
    ),
    resource!("Secret", "", ["v1"], "secrets", "secret", [], true),
    resource!(
        "ServiceAccount",
        "",
        ["v1"],
        "serviceaccounts",
        "serviceaccount",
        ["sa"],
        true
    ),
    resource!("Service", "", ["v1"], "services", "service", ["svc"], true),
    resource!(
        "DaemonSet",
        "apps",
        ["v1"],
        "daemonsets",
        "daemonset",
        ["ds"],
        true
    ),
    resource!(
        "Deployment",
        "apps",
        ["v1"],
        "deployments",
        "deployment",
        ["deploy"],
        true
    ),
    resource!(
        "ReplicaSet",
        "apps",
        ["v1"],
        "replicasets",
        "replicaset",
        ["rs"],
        true
    ),
    resource!(
        "ControllerRevision",
        "apps",
        ["v1"],
        "controllerrevisions",
        "controllerrevision",
        [],
        true
    ),
    resource!(
        "StatefulSet",
        "apps",
        ["v1"],
        "statefulsets",
        "statefulset",
        ["sts"],
        true
    ),
    resource!(
        "HorizontalPodAutoscaler",
        "autoscaling",
        ["v2", "v1"],
        "horizontalpodautoscalers",
        "horizontalpodautoscaler",
        ["hpa"],
        true
    ),
    resource!(
        "CronJob",
        "batch",
        ["v1"],
        "cronjobs",
        "cronjob",
        ["cj"],
        true
    ),
    resource!("Job", "batch", ["v1"], "jobs", "job", [], true),
    resource!(
        "Lease",
        "coordination.k8s.io",
        ["v1"],
        "leases",
        "lease",
        [],
        true
    ),
    resource!(
        "EndpointSlice",
        "discovery.k8s.io",
        ["v1"],
        "endpointslices",
        "endpointslice",
        [],
        true
    ),
    resource!(
        "Event",
        "events.k8s.io",
        ["v1"],
        "events",
        "event",
        ["ev"],
        true
    ),
    resource!(
        "IngressClass",
        "networking.k8s.io",
        ["v1"],
        "ingressclasses",
        "ingressclass",
        [],
        false
    ),
    resource!(
        "Ingress",
        "networking.k8s.io",
        ["v1"],
        "ingresses",
        "ingress",
        ["ing"],
        true
    ),
    resource!(
        "NetworkPolicy",
        "networking.k8s.io",
        ["v1"],
        "networkpolicies",
        "networkpolicy",
        ["netpol"],
        true
    ),
    resource!(
        "PodDisruptionBudget",
        "policy",
        ["v1"],
        "poddisruptionbudgets",
        "poddisruptionbudget",
        ["pdb"],
        true
    ),
    resource!(
        "ClusterRoleBinding",
        "rbac.authorization.k8s.io",
        ["v1"],
        "clusterrolebindings",
        "clusterrolebinding",
        [],
        false
    ),
    resource!(
        "ClusterRole",
        "rbac.authorization.k8s.io",
        ["v1"],
        "clusterroles",
        "clusterrole",
        [],
        false
    ),
    resource!(
        "RoleBinding",
        "rbac.authorization.k8s.io",
        ["v1"],
        "rolebindings",
        "rolebinding",
        [],
        true
    ),
    resource!(
        "Role",
        "rbac.authorization.k8s.io",
        ["v1"],
        "roles",
        "role",
        [],
        true
    ),
    resource!(
        "PriorityClass",
        "scheduling.k8s.io",
        ["v1"],
        "priorityclasses",
        "priorityclass",
        ["pc"],
        false
    ),
    resource!(
        "StorageClass",
        "storage.k8s.io",
        ["v1"],
        "storageclasses",
        "storageclass",
        ["sc"],
        false
    ),
];

impl ResourceType {
    /// `apps/v1`, or `v1` for the core group: the preferred version.
    pub fn api_version(&self) -> String {
        group_version(self.group, self.versions[0])
    }

    /// `deployments.apps`, or `pods` for the core group: how kubectl names the resource in
    /// messages such as `deployments.apps "web" not found`.
    pub fn qualified_plural(&self) -> String {
        if self.group.is_empty() {
            self.plural.to_string()
        } else {
            format!("{}.{}", self.plural, self.group)
        }
    }

    /// Whether `apiVersion` (e.g. `apps/v1`) is served for this resource.
    pub fn serves(&self, api_version: &str) -> bool {
        let (group, version) = split_api_version(api_version);
        group == self.group && self.versions.contains(&version)
    }
}

/// `group/version`, or just the version for the core group.
pub fn group_version(group: &str, version: &str) -> String {
    if group.is_empty() {
        version.to_string()
    } else {
        format!("{group}/{version}")
    }
}

/// Splits `apps/v1` into `("apps", "v1")` and `v1` into `("", "v1")`.
pub fn split_api_version(api_version: &str) -> (&str, &str) {
    match api_version.split_once('/') {
        Some((group, version)) => (group, version),
        None => ("", api_version),
    }
}

/// The resource type for a manifest's `apiVersion` and `kind`, if that version is served.
pub fn for_api_version_kind(api_version: &str, kind: &str) -> Option<&'static ResourceType> {
    RESOURCE_TYPES
        .iter()
        .find(|r| r.kind == kind && r.serves(api_version))
}

/// Whether any served group knows this kind at some version (used to word errors).
pub fn kind_exists(kind: &str) -> bool {
    RESOURCE_TYPES.iter().any(|r| r.kind == kind)
}

/// Resolves what a user types after `kubectl get` (`po`, `pod`, `pods`, `Pod`, `deploy`,
/// `deployments.apps`, `deployments.v1.apps`) to a resource type, as kubectl's RESTMapper does.
/// For the two `events` resources the core group wins, as it does in kubectl.
pub fn resolve(name: &str) -> Option<&'static ResourceType> {
    let lower = name.to_ascii_lowercase();
    let (resource, group) = match lower.split_once('.') {
        Some((resource, rest)) => {
            // `deployments.v1.apps` carries a version between the resource and the group.
            let group = match rest.split_once('.') {
                Some((version, group))
                    if version.starts_with('v')
                        && version[1..].starts_with(|c: char| c.is_ascii_digit()) =>
                {
                    group.to_string()
                }
                _ => rest.to_string(),
            };
            (resource.to_string(), Some(group))
        }
        None => (lower.clone(), None),
    };
    RESOURCE_TYPES.iter().find(|r| {
        let group_matches = match &group {
            Some(g) => r.group == g || (r.group.is_empty() && g == "core"),
            None => true,
        };
        group_matches
            && (r.plural == resource
                || r.singular == resource
                || r.kind.eq_ignore_ascii_case(&resource)
                || r.short_names.contains(&resource.as_str()))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_short_names_plurals_and_groups() {
        assert_eq!(resolve("po").unwrap().kind, "Pod");
        assert_eq!(resolve("Pods").unwrap().kind, "Pod");
        assert_eq!(resolve("deploy").unwrap().kind, "Deployment");
        assert_eq!(resolve("deployments.apps").unwrap().kind, "Deployment");
        assert_eq!(resolve("deployments.v1.apps").unwrap().kind, "Deployment");
        assert_eq!(resolve("hpa").unwrap().group, "autoscaling");
        assert_eq!(resolve("ev").unwrap().group, "");
        assert_eq!(
            resolve("events.events.k8s.io").unwrap().group,
            "events.k8s.io"
        );
        assert!(resolve("foo").is_none());
    }

    #[test]
    fn api_versions_no_longer_served_are_unknown() {
        assert!(for_api_version_kind("batch/v1beta1", "CronJob").is_none());
        assert!(for_api_version_kind("extensions/v1beta1", "Ingress").is_none());
        assert!(for_api_version_kind("autoscaling/v1", "HorizontalPodAutoscaler").is_some());
    }
}
