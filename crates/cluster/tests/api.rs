//! API-server semantics: optimistic concurrency, watch ordering, RBAC decisions, default
//! tolerations — table-driven where there is a table.

use cluster::rbac::{Request, UserInfo};
use cluster::{Cluster, WatchEventType};
use model::Object;

fn decode(text: &str) -> Object {
    model::decode_documents(text).unwrap().remove(0)
}

#[test]
fn a_stale_resource_version_is_a_conflict() {
    let mut cluster = Cluster::new(1);
    let created = cluster
        .create(decode(
            "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\ndata: {k: v1}\n",
        ))
        .unwrap();
    let stale = created.metadata().resource_version.clone();
    let mut first = (*created).clone();
    if let Object::ConfigMap(cm) = &mut first {
        cm.data = Some([("k".to_string(), "v2".to_string())].into());
    }
    let updated = cluster.update(first.clone()).unwrap();
    assert_ne!(updated.metadata().resource_version, stale);
    first.metadata_mut().resource_version = stale;
    let conflict = cluster.update(first).unwrap_err();
    assert_eq!(conflict.reason, "Conflict");
    assert_eq!(
        conflict.message,
        "Operation cannot be fulfilled on configmaps \"a\": the object has been modified; please apply your changes to the latest version and try again"
    );
}

#[test]
fn watch_events_come_in_resource_version_order() {
    let mut cluster = Cluster::new(1);
    let start = cluster.resource_version();
    let cm = model::registry::resolve("cm").unwrap();
    cluster
        .create(decode(
            "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n",
        ))
        .unwrap();
    cluster
        .patch(
            cm,
            "default",
            "a",
            cluster::PatchType::Merge,
            &serde_json::json!({"data": {"x": "1"}}),
        )
        .unwrap();
    cluster.delete(cm, "default", "a").unwrap();
    let events: Vec<(u64, WatchEventType, String)> = cluster
        .watch_since(start)
        .filter(|e| e.object.kind() == "ConfigMap")
        .map(|e| {
            (
                e.resource_version,
                e.event_type,
                e.object.name().to_string(),
            )
        })
        .collect();
    let types: Vec<WatchEventType> = events.iter().map(|e| e.1).collect();
    assert_eq!(
        types,
        [
            WatchEventType::Added,
            WatchEventType::Modified,
            WatchEventType::Deleted
        ]
    );
    assert!(
        events.windows(2).all(|w| w[0].0 < w[1].0),
        "resourceVersions only grow: {events:?}"
    );
}

/// (user, verb, resource, namespace, name, allowed)
type Decision<'a> = (
    &'a UserInfo,
    &'a str,
    &'a model::ResourceType,
    Option<&'a str>,
    Option<&'a str>,
    bool,
);

#[test]
fn rbac_decisions() {
    let mut cluster = Cluster::new(1);
    for manifest in [
        "apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata: {name: pod-reader, namespace: default}\nrules:\n- apiGroups: [\"\"]\n  resources: [pods]\n  verbs: [get, list]\n- apiGroups: [apps]\n  resources: [deployments]\n  resourceNames: [web]\n  verbs: [get]\n",
        "apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata: {name: read, namespace: default}\nsubjects:\n- {kind: User, name: jane, apiGroup: rbac.authorization.k8s.io}\n- {kind: Group, name: readers, apiGroup: rbac.authorization.k8s.io}\n- {kind: ServiceAccount, name: robot, namespace: default}\nroleRef: {kind: Role, name: pod-reader, apiGroup: rbac.authorization.k8s.io}\n",
        "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata: {name: ops-view}\nsubjects:\n- {kind: User, name: ops, apiGroup: rbac.authorization.k8s.io}\nroleRef: {kind: ClusterRole, name: view, apiGroup: rbac.authorization.k8s.io}\n",
    ] {
        cluster.create(decode(manifest)).unwrap();
    }
    let pods = model::registry::resolve("pods").unwrap();
    let deployments = model::registry::resolve("deploy").unwrap();
    let secrets = model::registry::resolve("secrets").unwrap();
    let jane = UserInfo::impersonated("jane", &[]);
    let reader = UserInfo::impersonated("someone", &["readers".to_string()]);
    let robot = UserInfo::impersonated("system:serviceaccount:default:robot", &[]);
    let ops = UserInfo::impersonated("ops", &[]);
    let nobody = UserInfo::impersonated("nobody", &[]);
    let admin = UserInfo::cluster_admin();
    let table: Vec<Decision> = vec![
        (&jane, "list", pods, Some("default"), None, true),
        (&jane, "get", pods, Some("default"), Some("x"), true),
        (&jane, "delete", pods, Some("default"), Some("x"), false),
        (&jane, "list", pods, Some("kube-system"), None, false),
        (
            &jane,
            "get",
            deployments,
            Some("default"),
            Some("web"),
            true,
        ),
        (
            &jane,
            "get",
            deployments,
            Some("default"),
            Some("api"),
            false,
        ),
        (&reader, "list", pods, Some("default"), None, true),
        (&robot, "list", pods, Some("default"), None, true),
        (&ops, "list", pods, Some("kube-system"), None, true),
        (&ops, "list", secrets, Some("default"), None, false),
        (&ops, "delete", pods, Some("default"), Some("x"), false),
        (&nobody, "list", pods, Some("default"), None, false),
        (
            &admin,
            "delete",
            secrets,
            Some("kube-system"),
            Some("x"),
            true,
        ),
    ];
    for (user, verb, resource, namespace, name, expected) in table {
        let request = Request {
            verb,
            resource,
            subresource: None,
            namespace,
            name,
        };
        assert_eq!(
            cluster.authorize(user, &request),
            expected,
            "{} {verb} {} {namespace:?} {name:?}",
            user.name,
            resource.plural
        );
    }
}

#[test]
fn new_pods_tolerate_not_ready_and_unreachable_nodes_for_five_minutes() {
    let mut cluster = Cluster::new(1);
    let pod = cluster.create(decode("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers: [{name: c, image: nginx}]\n")).unwrap();
    let tolerations = pod.to_json_value()["spec"]["tolerations"].clone();
    assert_eq!(
        tolerations,
        serde_json::json!([
            {"effect": "NoExecute", "key": "node.kubernetes.io/not-ready", "operator": "Exists", "tolerationSeconds": 300},
            {"effect": "NoExecute", "key": "node.kubernetes.io/unreachable", "operator": "Exists", "tolerationSeconds": 300}
        ])
    );
    // A pod that already tolerates one keeps its own.
    let own = cluster
        .create(decode("apiVersion: v1\nkind: Pod\nmetadata: {name: q}\nspec:\n  tolerations: [{key: node.kubernetes.io/unreachable, operator: Exists, effect: NoExecute, tolerationSeconds: 10}]\n  containers: [{name: c, image: nginx}]\n"))
        .unwrap();
    let tolerations = own.to_json_value()["spec"]["tolerations"].clone();
    assert_eq!(tolerations.as_array().unwrap().len(), 2);
    assert_eq!(tolerations[0]["tolerationSeconds"], 10);
}
