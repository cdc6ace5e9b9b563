//! The PersistentVolume controller (kube-controller-manager's `persistentvolume-binder`) and the
//! simulated dynamic provisioner of the default StorageClass.
//!
//! Claims: a claim bound to a volume stays Bound (Lost when its volume vanishes); a claim that
//! names a volume (`spec.volumeName`) binds to it when it fits; any other claim binds to the
//! smallest Available volume that satisfies it (same class, access modes, volume mode, selector,
//! capacity). When none does, the claim's StorageClass decides: with `WaitForFirstConsumer`
//! nothing happens until a pod using the claim is given a node (the scheduler's
//! `volume.kubernetes.io/selected-node` annotation, or the node of a pod already bound); then
//! the class's provisioner makes a volume. The simulated cluster runs one provisioner,
//! [`LOCAL_PATH_PROVISIONER`] (as kind does); claims of classes with any other provisioner wait
//! for it forever, as they do on a real cluster where it is not installed.
//!
//! Volumes: no claimRef → Available; claimRef to a claim that is gone → Released, and then the
//! reclaim policy: `Delete` removes provisioned volumes, `Retain` keeps them Released.
//!
//! Events repeat on the controller's 15-second resync, as upstream's do.

use std::rc::Rc;

use model::quantity::Quantity;
use model::Object;
use serde_json::{json, Value};

use super::{ControllerView, EventToRecord, Reconciled, Write};
use crate::events::EventType;
use crate::{SimDuration, SimTime};

/// The provisioner of the default StorageClass `standard`.
pub const LOCAL_PATH_PROVISIONER: &str = "rancher.io/local-path";
/// Where the local-path provisioner keeps its directories on the node.
const LOCAL_PATH_ROOT: &str = "/var/local-path-provisioner";
/// Where kind runs the local-path-provisioner.
const LOCAL_PATH_NAMESPACE: &str = "local-path-storage";
/// The PV controller's periodic resync.
const RESYNC: SimDuration = SimDuration::from_secs(15);

pub(crate) const SELECTED_NODE: &str = "volume.kubernetes.io/selected-node";
const STORAGE_PROVISIONER: &str = "volume.kubernetes.io/storage-provisioner";
const BETA_STORAGE_PROVISIONER: &str = "volume.beta.kubernetes.io/storage-provisioner";
const BIND_COMPLETED: &str = "pv.kubernetes.io/bind-completed";
const BOUND_BY_CONTROLLER: &str = "pv.kubernetes.io/bound-by-controller";
const PROVISIONED_BY: &str = "pv.kubernetes.io/provisioned-by";

fn quantity_bytes(value: &Value) -> Option<i128> {
    value
        .as_str()
        .and_then(|s| Quantity::parse(s).ok())
        .map(|q| q.value())
}

fn text<'a>(value: &'a Value, pointer: &str) -> &'a str {
    value.pointer(pointer).and_then(Value::as_str).unwrap_or("")
}

fn strings(value: &Value) -> Vec<&str> {
    value
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect()
}

fn event(event_type: EventType, reason: &'static str, message: String) -> EventToRecord {
    EventToRecord {
        event_type,
        reason,
        message,
    }
}

fn object_from(mut value: Value) -> Option<Object> {
    if let Some(meta) = value["metadata"].as_object_mut() {
        meta.remove("resourceVersion");
    }
    Object::from_json_value(value).ok()
}

/// Reports `reason` about `claim` unless it was reported within the last resync period.
fn report_periodically(
    out: &mut Reconciled,
    claim: &Rc<Object>,
    view: &ControllerView<'_>,
    recorded: EventToRecord,
) {
    let since = SimTime(view.now.0.saturating_sub(RESYNC.as_millis() - 1));
    if !view.event_recorded_since(claim, recorded.reason, since) {
        out.writes.push(Write::Event {
            involved: claim.clone(),
            event: recorded,
        });
    }
    out.requeue_no_later_than(SimTime(view.now.0 + RESYNC.as_millis()));
}

/// Whether `volume` can serve `claim` (ignoring who it is bound to).
fn volume_satisfies(volume: &Value, claim: &Value) -> bool {
    let claim_class = text(claim, "/spec/storageClassName");
    if text(volume, "/spec/storageClassName") != claim_class {
        return false;
    }
    let offered = strings(&volume["spec"]["accessModes"]);
    if !strings(&claim["spec"]["accessModes"])
        .iter()
        .all(|mode| offered.contains(mode))
    {
        return false;
    }
    let mode = |v: &Value| match text(v, "/spec/volumeMode") {
        "" => "Filesystem".to_string(),
        m => m.to_string(),
    };
    if mode(volume) != mode(claim) {
        return false;
    }
    let requested = quantity_bytes(&claim["spec"]["resources"]["requests"]["storage"]).unwrap_or(0);
    let capacity = quantity_bytes(&volume["spec"]["capacity"]["storage"]).unwrap_or(0);
    if capacity < requested {
        return false;
    }
    let selector = &claim["spec"]["selector"];
    if selector.is_object() {
        let parsed: Option<model::k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelector> =
            serde_json::from_value(selector.clone()).ok();
        let labels: Option<std::collections::BTreeMap<String, String>> =
            serde_json::from_value(volume["metadata"]["labels"].clone()).ok();
        let selector = model::selector::Selector::from_label_selector(parsed.as_ref());
        if !selector.matches(labels.as_ref()) {
            return false;
        }
    }
    true
}

fn claim_ref_names(volume: &Value, namespace: &str, name: &str) -> bool {
    let claim_ref = &volume["spec"]["claimRef"];
    claim_ref.is_object()
        && claim_ref["name"].as_str() == Some(name)
        && claim_ref["namespace"].as_str().unwrap_or("default") == namespace
}

/// The node chosen for a claim that waits for its first consumer: the scheduler's annotation,
/// else the node of a pod that uses the claim and already has one.
fn selected_node(claim: &Value, namespace: &str, view: &ControllerView<'_>) -> Option<String> {
    if let Some(node) = claim["metadata"]["annotations"][SELECTED_NODE].as_str() {
        return Some(node.to_string());
    }
    let name = text(claim, "/metadata/name");
    view.pods_in(namespace)
        .iter()
        .filter(|pod| !super::is_terminating(pod))
        .filter_map(|pod| match &**pod {
            Object::Pod(p) => p.spec.as_ref(),
            _ => None,
        })
        .filter(|spec| {
            spec.volumes.iter().flatten().any(|v| {
                v.persistent_volume_claim
                    .as_ref()
                    .is_some_and(|c| c.claim_name == name)
            })
        })
        .find_map(|spec| spec.node_name.clone().filter(|n| !n.is_empty()))
}

/// Binds `claim` to `volume`: the volume's claimRef first, then the claim's volumeName and
/// annotations, then both statuses.
fn bind(out: &mut Reconciled, claim: &Value, volume: &Value, by_controller: bool) {
    let namespace = text(claim, "/metadata/namespace");
    let name = text(claim, "/metadata/name");
    let uid = text(claim, "/metadata/uid");
    let reference_ok = volume["spec"]["claimRef"]["uid"].as_str() == Some(uid);
    if !reference_ok {
        let mut updated = volume.clone();
        updated["spec"]["claimRef"] = json!({
            "kind": "PersistentVolumeClaim",
            "namespace": namespace,
            "name": name,
            "uid": uid,
            "apiVersion": "v1",
            "resourceVersion": text(claim, "/metadata/resourceVersion"),
        });
        if by_controller {
            updated["metadata"]["annotations"][BOUND_BY_CONTROLLER] = json!("yes");
        }
        out.writes.extend(object_from(updated).map(Write::Update));
    }
    if text(volume, "/status/phase") != "Bound" {
        let mut status = volume.clone();
        status["status"] = json!({ "phase": "Bound" });
        out.writes
            .extend(object_from(status).map(Write::UpdateStatus));
    }
    let volume_name = text(volume, "/metadata/name");
    if text(claim, "/spec/volumeName") != volume_name
        || claim["metadata"]["annotations"][BIND_COMPLETED].as_str() != Some("yes")
    {
        let mut updated = claim.clone();
        updated["spec"]["volumeName"] = json!(volume_name);
        updated["metadata"]["annotations"][BIND_COMPLETED] = json!("yes");
        if by_controller {
            updated["metadata"]["annotations"][BOUND_BY_CONTROLLER] = json!("yes");
        }
        out.writes.extend(object_from(updated).map(Write::Update));
    }
    let wanted_status = json!({
        "phase": "Bound",
        "accessModes": volume["spec"]["accessModes"],
        "capacity": volume["spec"]["capacity"],
    });
    if claim["status"] != wanted_status {
        let mut status = claim.clone();
        status["status"] = wanted_status;
        out.writes
            .extend(object_from(status).map(Write::UpdateStatus));
    }
}

fn set_claim_phase(out: &mut Reconciled, claim: &Value, phase: &str) {
    if text(claim, "/status/phase") != phase {
        let mut status = claim.clone();
        status["status"] = json!({ "phase": phase });
        out.writes
            .extend(object_from(status).map(Write::UpdateStatus));
    }
}

/// A bound claim whose volume is gone or taken: Lost (a terminal phase), with the event once.
fn mark_lost(
    out: &mut Reconciled,
    claim: &Rc<Object>,
    value: &Value,
    reason: &'static str,
    message: &str,
) {
    if text(value, "/status/phase") != "Lost" {
        set_claim_phase(out, value, "Lost");
        out.writes.push(Write::Event {
            involved: claim.clone(),
            event: event(EventType::Warning, reason, message.to_string()),
        });
    }
}

pub(crate) fn reconcile_claim(claim: &Rc<Object>, view: &ControllerView<'_>) -> Reconciled {
    let mut out = Reconciled::default();
    if super::is_terminating(claim) {
        return out;
    }
    let value = claim.to_json_value();
    let namespace = claim.namespace().to_string();
    let volume_name = text(&value, "/spec/volumeName").to_string();
    let was_bound = value["metadata"]["annotations"][BIND_COMPLETED].as_str() == Some("yes");
    if !volume_name.is_empty() {
        let Some(volume) = view.get("persistentvolumes", "", &volume_name) else {
            if was_bound {
                mark_lost(
                    &mut out,
                    claim,
                    &value,
                    "ClaimLost",
                    "Bound claim has lost its PersistentVolume. Data on the volume is lost!",
                );
            } else {
                set_claim_phase(&mut out, &value, "Pending");
            }
            return out;
        };
        let volume = volume.to_json_value();
        let claim_ref = &volume["spec"]["claimRef"];
        let uid = text(&value, "/metadata/uid");
        let ours = claim_ref_names(&volume, &namespace, claim.name())
            && claim_ref["uid"]
                .as_str()
                .is_none_or(|u| u.is_empty() || u == uid);
        if !claim_ref.is_object() {
            if volume_satisfies(&volume, &value) {
                bind(&mut out, &value, &volume, false);
            } else {
                set_claim_phase(&mut out, &value, "Pending");
                report_periodically(
                    &mut out,
                    claim,
                    view,
                    event(
                        EventType::Warning,
                        "VolumeMismatch",
                        format!(
                            "Cannot bind to requested volume \"{volume_name}\": requested PV is too small, or its storage class or access modes do not match the claim"
                        ),
                    ),
                );
            }
        } else if ours {
            bind(&mut out, &value, &volume, false);
        } else if was_bound {
            mark_lost(
                &mut out,
                claim,
                &value,
                "ClaimMisbound",
                "Two claims are bound to the same volume, this one is bound incorrectly",
            );
        } else {
            set_claim_phase(&mut out, &value, "Pending");
            report_periodically(
                &mut out,
                claim,
                view,
                event(
                    EventType::Warning,
                    "FailedBinding",
                    format!("volume \"{volume_name}\" already bound to a different claim."),
                ),
            );
        }
        return out;
    }

    // An unbound claim: a volume pre-bound to it, else the smallest that fits.
    let volumes: Vec<Value> = view
        .list_in_cluster("persistentvolumes")
        .iter()
        .filter(|v| !super::is_terminating(v))
        .map(|v| v.to_json_value())
        .collect();
    let pre_bound = volumes.iter().find(|v| {
        claim_ref_names(v, &namespace, claim.name())
            && v["spec"]["claimRef"]["uid"]
                .as_str()
                .is_none_or(|u| u.is_empty() || u == text(&value, "/metadata/uid"))
    });
    let class_name = text(&value, "/spec/storageClassName").to_string();
    let class = (!class_name.is_empty())
        .then(|| view.get("storageclasses", "", &class_name))
        .flatten()
        .map(|c| c.to_json_value());
    let wait_for_consumer = class
        .as_ref()
        .is_some_and(|c| c["volumeBindingMode"] == "WaitForFirstConsumer");
    let node = if wait_for_consumer {
        selected_node(&value, &namespace, view)
    } else {
        None
    };
    if let Some(volume) = pre_bound {
        if !wait_for_consumer || node.is_some() || volume["spec"]["claimRef"]["uid"].is_string() {
            bind(&mut out, &value, volume, true);
            return out;
        }
    }
    set_claim_phase(&mut out, &value, "Pending");
    if wait_for_consumer && node.is_none() {
        report_periodically(
            &mut out,
            claim,
            view,
            event(
                EventType::Normal,
                "WaitForFirstConsumer",
                "waiting for first consumer to be created before binding".into(),
            ),
        );
        return out;
    }
    let best = volumes
        .iter()
        .filter(|v| !v["spec"]["claimRef"].is_object())
        .filter(|v| matches!(text(v, "/status/phase"), "" | "Available" | "Pending"))
        .filter(|v| volume_satisfies(v, &value))
        .min_by_key(|v| {
            (
                quantity_bytes(&v["spec"]["capacity"]["storage"]).unwrap_or(0),
                text(v, "/metadata/name").to_string(),
            )
        });
    if let Some(volume) = best {
        bind(&mut out, &value, volume, true);
        return out;
    }
    if class_name.is_empty() {
        report_periodically(
            &mut out,
            claim,
            view,
            event(
                EventType::Normal,
                "FailedBinding",
                "no persistent volumes available for this claim and no storage class is set".into(),
            ),
        );
        return out;
    }
    let Some(class) = class else {
        report_periodically(
            &mut out,
            claim,
            view,
            event(
                EventType::Warning,
                "ProvisioningFailed",
                format!("storageclass.storage.k8s.io \"{class_name}\" not found"),
            ),
        );
        return out;
    };
    let provisioner = text(&class, "/provisioner").to_string();
    if provisioner == "kubernetes.io/no-provisioner" {
        report_periodically(
            &mut out,
            claim,
            view,
            event(
                EventType::Normal,
                "FailedBinding",
                "no persistent volumes available for this claim and no storage class is set".into(),
            ),
        );
        return out;
    }
    if value["metadata"]["annotations"][STORAGE_PROVISIONER].as_str() != Some(&provisioner) {
        let mut updated = value.clone();
        updated["metadata"]["annotations"][STORAGE_PROVISIONER] = json!(provisioner);
        updated["metadata"]["annotations"][BETA_STORAGE_PROVISIONER] = json!(provisioner);
        out.writes.extend(object_from(updated).map(Write::Update));
    }
    report_periodically(
        &mut out,
        claim,
        view,
        event(
            EventType::Normal,
            "ExternalProvisioning",
            format!(
                "Waiting for a volume to be created either by the external provisioner '{provisioner}' or manually by the system administrator. If volume creation is delayed, please verify that the provisioner is running and correctly registered."
            ),
        ),
    );
    if provisioner == LOCAL_PATH_PROVISIONER {
        if let Some(identity) = local_path_provisioner_identity(view) {
            provision_local_path(&mut out, claim, &value, &class, node.as_deref(), &identity);
        }
    }
    out
}

/// The identity of the running local-path-provisioner (`rancher.io/local-path_POD_UID`, as its
/// events are signed), if its pod in `local-path-storage` is running and ready: without it
/// nothing provisions `rancher.io/local-path` claims.
fn local_path_provisioner_identity(view: &ControllerView<'_>) -> Option<String> {
    view.pods_in(LOCAL_PATH_NAMESPACE).iter().find_map(|pod| {
        let ready = pod.to_json_value()["status"]["conditions"]
            .as_array()
            .is_some_and(|c| {
                c.iter()
                    .any(|c| c["type"] == "Ready" && c["status"] == "True")
            });
        (super::label(pod, "app") == Some("local-path-provisioner")
            && super::pod_phase(pod) == "Running"
            && ready
            && !super::is_terminating(pod))
        .then(|| {
            format!(
                "{LOCAL_PATH_PROVISIONER}_{}_{}",
                pod.name(),
                pod.metadata().uid.as_deref().unwrap_or("")
            )
        })
    })
}

/// What the simulated local-path provisioner does: a hostPath volume in its directory on the
/// selected node, pinned to that node, pre-bound to the claim.
fn provision_local_path(
    out: &mut Reconciled,
    claim: &Rc<Object>,
    value: &Value,
    class: &Value,
    node: Option<&str>,
    identity: &str,
) {
    let namespace = claim.namespace();
    let uid = text(value, "/metadata/uid");
    let volume_name = format!("pvc-{uid}");
    let requested = &value["spec"]["resources"]["requests"]["storage"];
    let mut annotations = json!({ PROVISIONED_BY: LOCAL_PATH_PROVISIONER });
    let mut volume = json!({
        "apiVersion": "v1",
        "kind": "PersistentVolume",
        "metadata": { "name": volume_name },
        "spec": {
            "accessModes": value["spec"]["accessModes"],
            "capacity": { "storage": requested },
            "claimRef": {
                "apiVersion": "v1",
                "kind": "PersistentVolumeClaim",
                "namespace": namespace,
                "name": claim.name(),
                "uid": uid,
                "resourceVersion": text(value, "/metadata/resourceVersion"),
            },
            "hostPath": {
                "path": format!("{LOCAL_PATH_ROOT}/{volume_name}_{namespace}_{}", claim.name()),
                "type": "DirectoryOrCreate",
            },
            "persistentVolumeReclaimPolicy": match text(class, "/reclaimPolicy") {
                "" => "Delete",
                policy => policy,
            },
            "storageClassName": text(value, "/spec/storageClassName"),
            "volumeMode": match text(value, "/spec/volumeMode") {
                "" => "Filesystem",
                mode => mode,
            },
        },
    });
    if let Some(node) = node {
        annotations["local.path.provisioner/selected-node"] = json!(node);
        volume["spec"]["nodeAffinity"] = json!({
            "required": { "nodeSelectorTerms": [ { "matchExpressions": [
                { "key": "kubernetes.io/hostname", "operator": "In", "values": [node] }
            ] } ] }
        });
    }
    volume["metadata"]["annotations"] = annotations;
    let Ok(object) = Object::from_json_value(volume) else {
        return;
    };
    let component = identity.to_string();
    out.writes.push(Write::EventFrom {
        involved: claim.clone(),
        event: event(
            EventType::Normal,
            "Provisioning",
            format!(
                "External provisioner is provisioning volume for claim \"{namespace}/{}\"",
                claim.name()
            ),
        ),
        component: component.clone(),
    });
    out.writes.push(Write::Create {
        object,
        owner: claim.clone(),
        success: None,
        failure: None,
    });
    out.writes.push(Write::EventFrom {
        involved: claim.clone(),
        event: event(
            EventType::Normal,
            "ProvisioningSucceeded",
            format!("Successfully provisioned volume {volume_name}"),
        ),
        component,
    });
}

pub(crate) fn reconcile_volume(volume: &Rc<Object>, view: &ControllerView<'_>) -> Reconciled {
    let mut out = Reconciled::default();
    // A volume being deleted is still synced (upstream's syncVolume looks at every volume): once
    // its claim is gone it turns Released, and the pv-protection finalizer can go.
    let terminating = super::is_terminating(volume);
    let value = volume.to_json_value();
    let phase = text(&value, "/status/phase");
    let claim_ref = &value["spec"]["claimRef"];
    let set_phase = |out: &mut Reconciled, wanted: &str, message: Option<String>| {
        if phase != wanted {
            let mut status = value.clone();
            status["status"] = json!({ "phase": wanted });
            if let Some(message) = message {
                status["status"]["message"] = json!(message);
            }
            out.writes
                .extend(object_from(status).map(Write::UpdateStatus));
        }
    };
    if !claim_ref.is_object() {
        set_phase(&mut out, "Available", None);
        return out;
    }
    let claim_uid = claim_ref["uid"].as_str().unwrap_or("");
    if claim_uid.is_empty() {
        set_phase(&mut out, "Available", None);
        return out;
    }
    let claim = view
        .get(
            "persistentvolumeclaims",
            claim_ref["namespace"].as_str().unwrap_or("default"),
            claim_ref["name"].as_str().unwrap_or(""),
        )
        .filter(|c| c.metadata().uid.as_deref() == Some(claim_uid));
    match claim {
        Some(claim) => {
            let claim_volume = claim.to_json_value()["spec"]["volumeName"].clone();
            if claim_volume.as_str() == Some(volume.name()) {
                set_phase(&mut out, "Bound", None);
            }
        }
        None => {
            let policy = match text(&value, "/spec/persistentVolumeReclaimPolicy") {
                "" => "Retain",
                p => p,
            };
            let provisioned = value["metadata"]["annotations"][PROVISIONED_BY]
                .as_str()
                .is_some();
            match policy {
                "Delete" if provisioned => {
                    set_phase(&mut out, "Released", None);
                    if !terminating {
                        out.writes.push(Write::Delete {
                            target: volume.clone(),
                            owner: None,
                            event: None,
                        });
                    }
                }
                "Delete" | "Recycle" => {
                    let message = format!(
                        "error getting deleter volume plugin for volume \"{}\": no deletable volume plugin matched",
                        volume.name()
                    );
                    if phase != "Failed" {
                        set_phase(&mut out, "Failed", Some(message.clone()));
                        out.writes.push(Write::Event {
                            involved: volume.clone(),
                            event: event(EventType::Warning, "VolumeFailedDelete", message),
                        });
                    }
                }
                _ => set_phase(&mut out, "Released", None),
            }
        }
    }
    out
}
