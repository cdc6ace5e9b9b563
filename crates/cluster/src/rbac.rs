//! The RBAC authorizer: Roles, ClusterRoles and their bindings decide whether a user (or a
//! service account, or a group) may do a verb on a resource, as kube-apiserver's RBAC
//! authorizer does. Members of `system:masters` may do everything. The playground's own user is
//! `kubernetes-admin` in `kubeadm:cluster-admins`, bound to `cluster-admin` as kubeadm binds it.

use model::registry::ResourceType;
use serde_json::Value;

use crate::api::{Store, StoreExt};

/// Who is asking.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserInfo {
    pub name: String,
    pub groups: Vec<String>,
}

impl UserInfo {
    /// The kubeconfig user of a kubeadm cluster.
    pub fn cluster_admin() -> UserInfo {
        UserInfo {
            name: "kubernetes-admin".into(),
            groups: vec![
                "kubeadm:cluster-admins".into(),
                "system:authenticated".into(),
            ],
        }
    }

    /// `--as NAME [--as-group G]…`: `system:serviceaccount:NS:NAME` users get the service
    /// account groups, everyone gets `system:authenticated`.
    pub fn impersonated(name: &str, groups: &[String]) -> UserInfo {
        let mut all: Vec<String> = groups.to_vec();
        if let Some(rest) = name.strip_prefix("system:serviceaccount:") {
            if let Some((namespace, _)) = rest.split_once(':') {
                all.push("system:serviceaccounts".into());
                all.push(format!("system:serviceaccounts:{namespace}"));
            }
        }
        all.push("system:authenticated".into());
        UserInfo {
            name: name.into(),
            groups: all,
        }
    }
}

/// One request to authorize: `list pods in default`, `get deployments.apps web in dev`.
#[derive(Debug, Clone)]
pub struct Request<'a> {
    pub verb: &'a str,
    pub resource: &'a ResourceType,
    /// `log` in `pods/log`.
    pub subresource: Option<&'a str>,
    pub namespace: Option<&'a str>,
    pub name: Option<&'a str>,
}

fn strings(value: &Value) -> Vec<&str> {
    value
        .as_array()
        .map(|a| a.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default()
}

fn subject_matches(subject: &Value, user: &UserInfo, binding_namespace: &str) -> bool {
    let name = subject["name"].as_str().unwrap_or("");
    match subject["kind"].as_str() {
        Some("User") => name == user.name,
        Some("Group") => user.groups.iter().any(|g| g == name),
        Some("ServiceAccount") => {
            let namespace = subject["namespace"]
                .as_str()
                .filter(|n| !n.is_empty())
                .unwrap_or(binding_namespace);
            user.name == format!("system:serviceaccount:{namespace}:{name}")
        }
        _ => false,
    }
}

fn rule_allows(rule: &Value, request: &Request<'_>) -> bool {
    let verbs = strings(&rule["verbs"]);
    let groups = strings(&rule["apiGroups"]);
    let resources = strings(&rule["resources"]);
    let names = strings(&rule["resourceNames"]);
    let resource = match request.subresource {
        Some(sub) => format!("{}/{sub}", request.resource.plural),
        None => request.resource.plural.to_string(),
    };
    (verbs.contains(&"*") || verbs.contains(&request.verb))
        && (groups.contains(&"*") || groups.contains(&request.resource.group))
        && (resources.contains(&"*")
            || resources.contains(&resource.as_str())
            || (request.subresource.is_some()
                && resources.contains(&format!("{}/*", request.resource.plural).as_str())))
        && (names.is_empty() || request.name.is_some_and(|n| names.contains(&n)))
}

fn role_rules(store: &Store, kind: &str, name: &str, namespace: &str) -> Vec<Value> {
    let resource = model::registry::resolve(if kind == "ClusterRole" {
        "clusterroles"
    } else {
        "roles"
    })
    .expect("registered");
    let found = store
        .list(resource, Some(namespace))
        .into_iter()
        .find(|r| r.name() == name)
        .map(|r| r.to_json_value());
    found
        .and_then(|r| r["rules"].as_array().cloned())
        .unwrap_or_default()
}

/// Every rule that applies to the user in a namespace (`None`: cluster-wide rules only).
pub fn rules_for(store: &Store, user: &UserInfo, namespace: Option<&str>) -> Vec<Value> {
    let mut rules = Vec::new();
    let cluster_bindings = model::registry::resolve("clusterrolebindings").expect("registered");
    for binding in store.list(cluster_bindings, None) {
        let b = binding.to_json_value();
        if strings_objects(&b["subjects"])
            .iter()
            .any(|s| subject_matches(s, user, ""))
        {
            rules.extend(role_rules(
                store,
                "ClusterRole",
                b["roleRef"]["name"].as_str().unwrap_or(""),
                "",
            ));
        }
    }
    if let Some(namespace) = namespace {
        let bindings = model::registry::resolve("rolebindings").expect("registered");
        for binding in store.list(bindings, Some(namespace)) {
            let b = binding.to_json_value();
            if strings_objects(&b["subjects"])
                .iter()
                .any(|s| subject_matches(s, user, namespace))
            {
                let kind = b["roleRef"]["kind"].as_str().unwrap_or("Role");
                let role_namespace = if kind == "ClusterRole" { "" } else { namespace };
                rules.extend(role_rules(
                    store,
                    kind,
                    b["roleRef"]["name"].as_str().unwrap_or(""),
                    role_namespace,
                ));
            }
        }
    }
    rules
}

fn strings_objects(value: &Value) -> Vec<Value> {
    value.as_array().cloned().unwrap_or_default()
}

/// Whether the user may make the request.
pub fn authorize(store: &Store, user: &UserInfo, request: &Request<'_>) -> bool {
    if user.groups.iter().any(|g| g == "system:masters") {
        return true;
    }
    rules_for(store, user, request.namespace)
        .iter()
        .any(|rule| rule_allows(rule, request))
}

/// The API server's Forbidden message for a refused request.
pub fn forbidden_message(user: &UserInfo, request: &Request<'_>) -> String {
    let resource = match request.subresource {
        Some(sub) => format!("{}/{sub}", request.resource.plural),
        None => request.resource.plural.to_string(),
    };
    let subject = match request.name {
        Some(name) => format!("{} \"{name}\"", request.resource.qualified_plural()),
        None => request.resource.qualified_plural(),
    };
    let scope = match request.namespace {
        Some(namespace) if request.resource.namespaced => {
            format!(" in the namespace \"{namespace}\"")
        }
        _ => " at the cluster scope".to_string(),
    };
    format!(
        "{subject} is forbidden: User \"{}\" cannot {} resource \"{resource}\" in API group \"{}\"{scope}",
        user.name, request.verb, request.resource.group
    )
}

/// How many of [`bootstrap_manifests`]' objects (the first ones) draw their uids from the
/// cluster's main random stream; the others have a stream of their own, so adding to the
/// policy leaves every other generated name as it was.
pub const POLICY_OBJECTS_ON_THE_MAIN_STREAM: usize = 6;

/// The ClusterRoles and ClusterRoleBindings a kubeadm cluster starts with (the user-facing ones):
/// the API server's bootstrap policy. `admin`, `edit` and `view` carry no rules of their own:
/// they aggregate the `system:aggregate-to-*` roles (and each other: view into edit, edit into
/// admin), which the ClusterRole aggregation controller fills in.
pub fn bootstrap_manifests() -> &'static str {
    r#"
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: cluster-admin
  labels: {kubernetes.io/bootstrapping: rbac-defaults}
  annotations: {rbac.authorization.kubernetes.io/autoupdate: "true"}
rules:
- apiGroups: ["*"]
  resources: ["*"]
  verbs: ["*"]
- nonResourceURLs: ["*"]
  verbs: ["*"]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: admin
  labels: {kubernetes.io/bootstrapping: rbac-defaults}
  annotations: {rbac.authorization.kubernetes.io/autoupdate: "true"}
aggregationRule:
  clusterRoleSelectors:
  - matchLabels: {rbac.authorization.k8s.io/aggregate-to-admin: "true"}
rules: []
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: edit
  labels: {kubernetes.io/bootstrapping: rbac-defaults, rbac.authorization.k8s.io/aggregate-to-admin: "true"}
  annotations: {rbac.authorization.kubernetes.io/autoupdate: "true"}
aggregationRule:
  clusterRoleSelectors:
  - matchLabels: {rbac.authorization.k8s.io/aggregate-to-edit: "true"}
rules: []
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: view
  labels: {kubernetes.io/bootstrapping: rbac-defaults, rbac.authorization.k8s.io/aggregate-to-edit: "true"}
  annotations: {rbac.authorization.kubernetes.io/autoupdate: "true"}
aggregationRule:
  clusterRoleSelectors:
  - matchLabels: {rbac.authorization.k8s.io/aggregate-to-view: "true"}
rules: []
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  name: cluster-admin
  labels: {kubernetes.io/bootstrapping: rbac-defaults}
  annotations: {rbac.authorization.kubernetes.io/autoupdate: "true"}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-admin}
subjects:
- {apiGroup: rbac.authorization.k8s.io, kind: Group, name: "system:masters"}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  name: kubeadm:cluster-admins
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-admin}
subjects:
- {apiGroup: rbac.authorization.k8s.io, kind: Group, name: "kubeadm:cluster-admins"}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: system:aggregate-to-admin
  labels: {kubernetes.io/bootstrapping: rbac-defaults, rbac.authorization.k8s.io/aggregate-to-admin: "true"}
  annotations: {rbac.authorization.kubernetes.io/autoupdate: "true"}
rules:
- {apiGroups: [authorization.k8s.io], resources: [localsubjectaccessreviews], verbs: [create]}
- apiGroups: [rbac.authorization.k8s.io]
  resources: [rolebindings, roles]
  verbs: [create, delete, deletecollection, get, list, patch, update, watch]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: system:aggregate-to-edit
  labels: {kubernetes.io/bootstrapping: rbac-defaults, rbac.authorization.k8s.io/aggregate-to-edit: "true"}
  annotations: {rbac.authorization.kubernetes.io/autoupdate: "true"}
rules:
- apiGroups: [""]
  resources: [pods/attach, pods/exec, pods/portforward, pods/proxy, secrets, services/proxy]
  verbs: [get, list, watch]
- {apiGroups: [""], resources: [serviceaccounts], verbs: [impersonate]}
- apiGroups: [""]
  resources: [pods, pods/attach, pods/exec, pods/portforward, pods/proxy]
  verbs: [create, delete, deletecollection, patch, update]
- {apiGroups: [""], resources: [pods/eviction], verbs: [create]}
- apiGroups: [""]
  resources: [configmaps, events, persistentvolumeclaims, replicationcontrollers, replicationcontrollers/scale, secrets, serviceaccounts, services, services/proxy]
  verbs: [create, delete, deletecollection, patch, update]
- {apiGroups: [""], resources: [serviceaccounts/token], verbs: [create]}
- apiGroups: [apps]
  resources: [daemonsets, deployments, deployments/rollback, deployments/scale, replicasets, replicasets/scale, statefulsets, statefulsets/scale]
  verbs: [create, delete, deletecollection, patch, update]
- {apiGroups: [autoscaling], resources: [horizontalpodautoscalers], verbs: [create, delete, deletecollection, patch, update]}
- {apiGroups: [batch], resources: [cronjobs, jobs], verbs: [create, delete, deletecollection, patch, update]}
- apiGroups: [extensions]
  resources: [daemonsets, deployments, deployments/rollback, deployments/scale, ingresses, networkpolicies, replicasets, replicasets/scale, replicationcontrollers/scale]
  verbs: [create, delete, deletecollection, patch, update]
- {apiGroups: [policy], resources: [poddisruptionbudgets], verbs: [create, delete, deletecollection, patch, update]}
- {apiGroups: [networking.k8s.io], resources: [ingresses, networkpolicies], verbs: [create, delete, deletecollection, patch, update]}
- apiGroups: [coordination.k8s.io]
  resources: [leases]
  verbs: [create, delete, deletecollection, get, list, patch, update, watch]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: system:aggregate-to-view
  labels: {kubernetes.io/bootstrapping: rbac-defaults, rbac.authorization.k8s.io/aggregate-to-view: "true"}
  annotations: {rbac.authorization.kubernetes.io/autoupdate: "true"}
rules:
- apiGroups: [""]
  resources: [configmaps, endpoints, persistentvolumeclaims, persistentvolumeclaims/status, pods, replicationcontrollers, replicationcontrollers/scale, serviceaccounts, services, services/status]
  verbs: [get, list, watch]
- apiGroups: [""]
  resources: [bindings, events, limitranges, namespaces/status, pods/log, pods/status, replicationcontrollers/status, resourcequotas, resourcequotas/status]
  verbs: [get, list, watch]
- {apiGroups: [""], resources: [namespaces], verbs: [get, list, watch]}
- {apiGroups: [discovery.k8s.io], resources: [endpointslices], verbs: [get, list, watch]}
- apiGroups: [apps]
  resources: [controllerrevisions, daemonsets, daemonsets/status, deployments, deployments/scale, deployments/status, replicasets, replicasets/scale, replicasets/status, statefulsets, statefulsets/scale, statefulsets/status]
  verbs: [get, list, watch]
- {apiGroups: [autoscaling], resources: [horizontalpodautoscalers, horizontalpodautoscalers/status], verbs: [get, list, watch]}
- {apiGroups: [batch], resources: [cronjobs, cronjobs/status, jobs, jobs/status], verbs: [get, list, watch]}
- apiGroups: [extensions]
  resources: [daemonsets, daemonsets/status, deployments, deployments/scale, deployments/status, ingresses, ingresses/status, networkpolicies, replicasets, replicasets/scale, replicasets/status, replicationcontrollers/scale]
  verbs: [get, list, watch]
- {apiGroups: [policy], resources: [poddisruptionbudgets, poddisruptionbudgets/status], verbs: [get, list, watch]}
- {apiGroups: [networking.k8s.io], resources: [ingresses, ingresses/status, networkpolicies], verbs: [get, list, watch]}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: system:basic-user
  labels: {kubernetes.io/bootstrapping: rbac-defaults}
  annotations: {rbac.authorization.kubernetes.io/autoupdate: "true"}
rules:
- {apiGroups: [authorization.k8s.io], resources: [selfsubjectaccessreviews, selfsubjectrulesreviews], verbs: [create]}
- {apiGroups: [authentication.k8s.io], resources: [selfsubjectreviews], verbs: [create]}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: system:discovery
  labels: {kubernetes.io/bootstrapping: rbac-defaults}
  annotations: {rbac.authorization.kubernetes.io/autoupdate: "true"}
rules:
- nonResourceURLs: [/api, /api/*, /apis, /apis/*, /healthz, /livez, /openapi, /openapi/*, /readyz, /version, /version/]
  verbs: [get]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: system:public-info-viewer
  labels: {kubernetes.io/bootstrapping: rbac-defaults}
  annotations: {rbac.authorization.kubernetes.io/autoupdate: "true"}
rules:
- nonResourceURLs: [/healthz, /livez, /readyz, /version, /version/]
  verbs: [get]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: system:service-account-issuer-discovery
  labels: {kubernetes.io/bootstrapping: rbac-defaults}
  annotations: {rbac.authorization.kubernetes.io/autoupdate: "true"}
rules:
- nonResourceURLs: [/.well-known/openid-configuration, /openid/v1/jwks]
  verbs: [get]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  name: system:basic-user
  labels: {kubernetes.io/bootstrapping: rbac-defaults}
  annotations: {rbac.authorization.kubernetes.io/autoupdate: "true"}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: "system:basic-user"}
subjects:
- {apiGroup: rbac.authorization.k8s.io, kind: Group, name: "system:authenticated"}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  name: system:discovery
  labels: {kubernetes.io/bootstrapping: rbac-defaults}
  annotations: {rbac.authorization.kubernetes.io/autoupdate: "true"}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: "system:discovery"}
subjects:
- {apiGroup: rbac.authorization.k8s.io, kind: Group, name: "system:authenticated"}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  name: system:public-info-viewer
  labels: {kubernetes.io/bootstrapping: rbac-defaults}
  annotations: {rbac.authorization.kubernetes.io/autoupdate: "true"}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: "system:public-info-viewer"}
subjects:
- {apiGroup: rbac.authorization.k8s.io, kind: Group, name: "system:authenticated"}
- {apiGroup: rbac.authorization.k8s.io, kind: Group, name: "system:unauthenticated"}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  name: system:service-account-issuer-discovery
  labels: {kubernetes.io/bootstrapping: rbac-defaults}
  annotations: {rbac.authorization.kubernetes.io/autoupdate: "true"}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: "system:service-account-issuer-discovery"}
subjects:
- {apiGroup: rbac.authorization.k8s.io, kind: Group, name: "system:serviceaccounts"}
"#
}
