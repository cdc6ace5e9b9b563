//! Owner references and deletion propagation, as kube-controller-manager's garbage collector and
//! the API server's finalizer handling behave.

use cluster::{Cluster, Propagation};
use model::Object;

fn config_map(name: &str, owner: Option<&Object>, finalizers: &[&str]) -> Object {
    let mut text = format!(
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {name}\n  namespace: default\n"
    );
    if !finalizers.is_empty() {
        text.push_str(&format!("  finalizers: [{}]\n", finalizers.join(", ")));
    }
    if let Some(owner) = owner {
        text.push_str(&format!(
            "  ownerReferences:\n  - apiVersion: v1\n    kind: ConfigMap\n    name: {}\n    uid: {}\n",
            owner.name(),
            owner.metadata().uid.as_deref().unwrap()
        ));
    }
    model::decode_documents(&text).unwrap().remove(0)
}

fn names(cluster: &Cluster) -> Vec<String> {
    let cm = model::registry::resolve("cm").unwrap();
    cluster
        .list(cm, Some("default"))
        .iter()
        .map(|o| o.name().to_string())
        .filter(|n| n != "kube-root-ca.crt")
        .collect()
}

fn family(cluster: &mut Cluster) {
    let owner = cluster.create(config_map("owner", None, &[])).unwrap();
    let child = cluster
        .create(config_map("child", Some(&owner), &[]))
        .unwrap();
    cluster
        .create(config_map("grandchild", Some(&child), &[]))
        .unwrap();
    cluster.create(config_map("stranger", None, &[])).unwrap();
}

#[test]
fn background_deletion_takes_dependents_and_their_dependents() {
    let mut cluster = Cluster::new(1);
    family(&mut cluster);
    let cm = model::registry::resolve("cm").unwrap();
    cluster
        .delete_with(cm, "default", "owner", Propagation::Background)
        .unwrap();
    assert_eq!(names(&cluster), ["stranger"]);
}

#[test]
fn orphan_deletion_keeps_dependents_without_the_reference() {
    let mut cluster = Cluster::new(1);
    family(&mut cluster);
    let cm = model::registry::resolve("cm").unwrap();
    cluster
        .delete_with(cm, "default", "owner", Propagation::Orphan)
        .unwrap();
    assert_eq!(names(&cluster), ["child", "grandchild", "stranger"]);
    let child = cluster.get(cm, "default", "child").unwrap();
    assert!(child.metadata().owner_references.is_none());
}

#[test]
fn foreground_deletion_waits_for_a_blocked_dependent() {
    let mut cluster = Cluster::new(1);
    let cm = model::registry::resolve("cm").unwrap();
    let owner = cluster.create(config_map("owner", None, &[])).unwrap();
    cluster
        .create(config_map("blocked", Some(&owner), &["example.com/hold"]))
        .unwrap();
    cluster
        .delete_with(cm, "default", "owner", Propagation::Foreground)
        .unwrap();
    // The owner waits, marked, with the foregroundDeletion finalizer.
    let waiting = cluster.get(cm, "default", "owner").unwrap();
    assert!(waiting.metadata().deletion_timestamp.is_some());
    assert_eq!(
        waiting.metadata().finalizers.as_deref(),
        Some(&["foregroundDeletion".to_string()][..])
    );
    // Releasing the dependent's finalizer lets both go.
    let patch = serde_json::json!({"metadata": {"finalizers": null}});
    cluster
        .patch(cm, "default", "blocked", cluster::PatchType::Merge, &patch)
        .unwrap();
    assert_eq!(names(&cluster), Vec::<String>::new());
}

#[test]
fn finalizers_hold_an_object_until_removed() {
    let mut cluster = Cluster::new(1);
    let cm = model::registry::resolve("cm").unwrap();
    cluster
        .create(config_map("kept", None, &["example.com/keep"]))
        .unwrap();
    let marked = cluster.delete(cm, "default", "kept").unwrap();
    assert!(marked.metadata().deletion_timestamp.is_some());
    assert_eq!(names(&cluster), ["kept"]);
    let patch = serde_json::json!({"metadata": {"finalizers": []}});
    cluster
        .patch(cm, "default", "kept", cluster::PatchType::Merge, &patch)
        .unwrap();
    assert_eq!(names(&cluster), Vec::<String>::new());
}

#[test]
fn a_namespace_terminates_while_contents_hold_it_then_goes() {
    let mut cluster = Cluster::new(1);
    let ns = model::registry::resolve("ns").unwrap();
    let cm = model::registry::resolve("cm").unwrap();
    cluster
        .create(
            model::decode_documents("apiVersion: v1\nkind: Namespace\nmetadata: {name: shop}\n")
                .unwrap()
                .remove(0),
        )
        .unwrap();
    let mut held = config_map("held", None, &["example.com/keep"]);
    held.metadata_mut().namespace = Some("shop".into());
    cluster.create(held).unwrap();
    cluster.delete(ns, "", "shop").unwrap();
    let terminating = cluster.get(ns, "", "shop").unwrap();
    assert_eq!(
        terminating.to_json_value()["status"]["phase"],
        "Terminating"
    );
    // Nothing new may be created in a terminating namespace.
    let mut late = config_map("late", None, &[]);
    late.metadata_mut().namespace = Some("shop".into());
    let refused = cluster.create(late).unwrap_err();
    assert_eq!(refused.reason, "Forbidden");
    assert!(
        refused.message.contains("because it is being terminated"),
        "{}",
        refused.message
    );
    let patch = serde_json::json!({"metadata": {"finalizers": null}});
    cluster
        .patch(cm, "shop", "held", cluster::PatchType::Merge, &patch)
        .unwrap();
    assert!(
        cluster.get(ns, "", "shop").is_err(),
        "the namespace goes once it is empty"
    );
}
