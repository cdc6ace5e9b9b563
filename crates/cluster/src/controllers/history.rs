//! ControllerRevisions: the template history of DaemonSets and StatefulSets, as their
//! controllers keep it upstream. Each distinct pod template gets a ControllerRevision named
//! `OWNER-HASH` (HASH the template's hash, which is also the pods' `controller-revision-hash`)
//! holding the template as a patch (`{"spec":{"template":{…,"$patch":"replace"}}}`) and a
//! revision number; going back to an earlier template renumbers its revision as the newest; the
//! oldest revisions beyond `revisionHistoryLimit` (10) that no pod uses are deleted.
//! `kubectl rollout history|undo` for these kinds read and apply them.

use model::sort::SortSlice;
use std::collections::BTreeSet;
use std::rc::Rc;

use model::Object;
use serde_json::{json, Value};

use super::{controller_reference, controller_uid, ControllerView, Reconciled, Write};

/// The revisions an owner controls, oldest revision first.
pub(crate) fn revisions_of(owner: &Object, view: &ControllerView<'_>) -> Vec<Rc<Object>> {
    let uid = owner.metadata().uid.clone().unwrap_or_default();
    let mut revisions: Vec<Rc<Object>> = view
        .list_in("controllerrevisions", owner.namespace())
        .into_iter()
        .filter(|r| controller_uid(r) == Some(uid.as_str()))
        .collect();
    revisions.sort_stable_by_key(|r| revision_number(r));
    revisions
}

pub(crate) fn revision_number(revision: &Object) -> i64 {
    match revision {
        Object::ControllerRevision(r) => r.revision.unwrap_or(0),
        _ => 0,
    }
}

/// Makes the owner's current template (`hash`) the newest revision, creating or renumbering
/// its ControllerRevision, and trims the history. `in_use` are the hashes live pods carry.
/// Returns the current template's revision number.
pub(crate) fn sync_history(
    owner: &Rc<Object>,
    template: &Value,
    hash: &str,
    in_use: &BTreeSet<String>,
    view: &ControllerView<'_>,
    out: &mut Reconciled,
) -> i64 {
    let revisions = revisions_of(owner, view);
    let name = format!("{}-{hash}", owner.name());
    let newest = revisions.last().map_or(0, |r| revision_number(r));
    let current = match revisions.iter().find(|r| r.name() == name) {
        Some(existing) if revision_number(existing) == newest => newest,
        Some(existing) => {
            // Back to an earlier template: it becomes the newest revision.
            let mut value = existing.to_json_value();
            value["revision"] = json!(newest + 1);
            if let Ok(object) = Object::from_json_value(value) {
                out.writes.push(Write::Update(object));
            }
            newest + 1
        }
        None => {
            let mut labels = template["metadata"]["labels"].clone();
            if !labels.is_object() {
                labels = json!({});
            }
            // The DaemonSet controller labels its revisions as its pods; the StatefulSet's go
            // through upstream's history package, whose label is `controller.kubernetes.io/hash`.
            let hash_label = if owner.kind() == "StatefulSet" {
                "controller.kubernetes.io/hash"
            } else {
                "controller-revision-hash"
            };
            labels[hash_label] = json!(hash);
            let mut metadata = json!({
                "name": name,
                "namespace": owner.namespace(),
                "labels": labels,
                "ownerReferences": [serde_json::to_value(controller_reference(owner)).unwrap_or_default()],
            });
            if let Some(annotations) = owner.metadata().annotations.as_ref() {
                let kept: serde_json::Map<String, Value> = annotations
                    .iter()
                    .filter(|(k, _)| {
                        k.as_str() != "kubectl.kubernetes.io/last-applied-configuration"
                    })
                    .map(|(k, v)| (k.clone(), json!(v)))
                    .collect();
                if !kept.is_empty() {
                    metadata["annotations"] = Value::Object(kept);
                }
            }
            let mut replaced = template.clone();
            replaced["$patch"] = json!("replace");
            let revision = json!({
                "apiVersion": "apps/v1",
                "kind": "ControllerRevision",
                "metadata": metadata,
                "data": {"spec": {"template": replaced}},
                "revision": newest + 1,
            });
            if let Ok(object) = Object::from_json_value(revision) {
                out.writes.push(Write::Create {
                    object,
                    owner: owner.clone(),
                    success: None,
                    failure: None,
                });
            }
            newest + 1
        }
    };
    // History beyond the limit goes, oldest first, unless a pod still runs it.
    let limit = owner.to_json_value()["spec"]["revisionHistoryLimit"]
        .as_u64()
        .unwrap_or(10) as usize;
    let old: Vec<&Rc<Object>> = revisions
        .iter()
        .filter(|r| r.name() != name)
        .filter(|r| {
            let revision_hash = r.name().rsplit('-').next().unwrap_or("");
            !in_use.contains(revision_hash) && !in_use.contains(r.name())
        })
        .collect();
    if old.len() > limit {
        for revision in &old[..old.len() - limit] {
            out.writes.push(Write::Delete {
                target: (*revision).clone(),
                owner: None,
                event: None,
            });
        }
    }
    current
}
