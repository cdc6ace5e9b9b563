//! PersistentVolumeClaim volumes: a container mounting a claim starts only once the claim is
//! Bound (until then the pod is ContainerCreating with a `FailedMount` event), and sees the
//! files of the claim's PersistentVolume — which outlive pods: what a container writes under
//! the mount path is kept with the volume (as a real disk would keep it), so a StatefulSet's
//! pod recreated on its claim finds its data again, while an emptyDir's files vanish with the
//! pod. The volume's files go when the PersistentVolume is deleted.

use std::collections::BTreeMap;

use model::Object;
use serde_json::Value;

use super::KubeletPod;
use crate::api::StoreExt;
use crate::{Cluster, SimTime};

/// One container's mount of a claim.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ClaimMount {
    pub container: usize,
    pub mount_path: String,
    /// The directory of the volume mounted (`subPath`), empty for the whole volume.
    pub sub_path: String,
    pub claim: String,
}

/// The claim mounts of a pod's containers (indexes as in [`KubeletPod::containers`]: init
/// containers first).
pub(crate) fn claim_mounts(pod: &Value) -> Vec<ClaimMount> {
    let claims: BTreeMap<&str, &str> = pod["spec"]["volumes"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|v| {
            Some((
                v["name"].as_str()?,
                v["persistentVolumeClaim"]["claimName"].as_str()?,
            ))
        })
        .collect();
    if claims.is_empty() {
        return Vec::new();
    }
    let containers = pod["spec"]["initContainers"]
        .as_array()
        .into_iter()
        .flatten()
        .chain(pod["spec"]["containers"].as_array().into_iter().flatten());
    let mut mounts = Vec::new();
    for (index, container) in containers.enumerate() {
        for mount in container["volumeMounts"].as_array().into_iter().flatten() {
            let (Some(volume), Some(path)) = (mount["name"].as_str(), mount["mountPath"].as_str())
            else {
                continue;
            };
            if let Some(claim) = claims.get(volume) {
                mounts.push(ClaimMount {
                    container: index,
                    mount_path: path.trim_end_matches('/').to_string(),
                    sub_path: mount["subPath"]
                        .as_str()
                        .unwrap_or("")
                        .trim_matches('/')
                        .to_string(),
                    claim: claim.to_string(),
                });
            }
        }
    }
    mounts
}

/// Where a file of the volume (`relative`) appears in the container, if inside the mount.
fn container_path(mount: &ClaimMount, relative: &str) -> Option<String> {
    let inside = if mount.sub_path.is_empty() {
        relative
    } else {
        relative.strip_prefix(&format!("{}/", mount.sub_path))?
    };
    Some(format!("{}/{inside}", mount.mount_path))
}

/// Where a container's file (`path`) lives in the volume, if under the mount.
fn volume_path(mount: &ClaimMount, path: &str) -> Option<String> {
    let inside = path.strip_prefix(&format!("{}/", mount.mount_path))?;
    Some(if mount.sub_path.is_empty() {
        inside.to_string()
    } else {
        format!("{}/{inside}", mount.sub_path)
    })
}

/// How the kubelet's failures to set up a pod's volumes begin (`FailedMount` events).
pub(crate) const UNABLE_TO_MOUNT: &str = "Unable to attach or mount volumes";

impl Cluster {
    /// The PersistentVolume a claim is bound to, if it is Bound.
    fn bound_volume_of(&self, namespace: &str, claim: &str) -> Result<String, String> {
        let claims = model::registry::resolve("persistentvolumeclaims").expect("registered");
        let Ok(object) = self.get(claims, namespace, claim) else {
            return Err(format!(
                "error processing PVC {namespace}/{claim}: failed to fetch PVC from API server: persistentvolumeclaims \"{claim}\" not found"
            ));
        };
        let value = object.to_json_value();
        match (
            value["status"]["phase"].as_str(),
            value["spec"]["volumeName"].as_str(),
        ) {
            (Some("Bound"), Some(volume)) if !volume.is_empty() => Ok(volume.to_string()),
            _ => Err(format!(
                "error processing PVC {namespace}/{claim}: PVC is not bound"
            )),
        }
    }

    /// The files a container finds under its claim mounts when it starts, or the mount
    /// failure that keeps it waiting.
    pub(super) fn persistent_volume_files(
        &self,
        state: &KubeletPod,
        index: usize,
    ) -> Result<BTreeMap<String, String>, String> {
        let mut files = BTreeMap::new();
        for mount in state.claim_mounts.iter().filter(|m| m.container == index) {
            let volume = self
                .bound_volume_of(&state.namespace, &mount.claim)
                .map_err(|reason| {
                    let volume_name = &state.containers[index].spec["volumeMounts"]
                        .as_array()
                        .into_iter()
                        .flatten()
                        .find(|m| {
                            m["mountPath"].as_str().map(|p| p.trim_end_matches('/'))
                                == Some(mount.mount_path.as_str())
                        })
                        .and_then(|m| m["name"].as_str())
                        .unwrap_or("")
                        .to_string();
                    format!(
                        "{UNABLE_TO_MOUNT}: unmounted volumes=[{volume_name}], unattached volumes=[], failed to process volumes=[{volume_name}]: {reason}"
                    )
                })?;
            if let Some(contents) = self.kubelet.volume_files.get(&volume) {
                for (relative, text) in contents {
                    if let Some(path) = container_path(mount, relative) {
                        files.insert(path, text.clone());
                    }
                }
            }
        }
        Ok(files)
    }

    /// Sets up the pod's volumes for all its containers (before its sandbox): the FailedMount
    /// messages, one per line, of the volumes that cannot be (the ConfigMaps, Secrets and
    /// claims they need).
    pub(super) fn mount_pod_volumes(&self, pod: &Value, state: &KubeletPod) -> Result<(), String> {
        let mut failures: Vec<String> = Vec::new();
        for index in 0..state.containers.len() {
            let outcome = self
                .projected_files(pod, &state.containers[index].spec, state)
                .and_then(|_| self.persistent_volume_files(state, index).map(|_| ()));
            if let Err(message) = outcome {
                for line in message.lines() {
                    if !failures.iter().any(|f| f == line) {
                        failures.push(line.to_string());
                    }
                }
            }
        }
        if failures.is_empty() {
            Ok(())
        } else {
            Err(failures.join("\n"))
        }
    }

    /// Keeps what containers wrote under claim mounts (up to `until`) with the claims'
    /// volumes, and forgets the files of volumes that no longer exist.
    pub(super) fn keep_persistent_volume_writes(&mut self, uid: &str, until: SimTime) {
        let Some(state) = self.kubelet.pods.get(uid) else {
            return;
        };
        if state.claim_mounts.is_empty() || until <= state.volumes_synced_at {
            return;
        }
        let from = state.volumes_synced_at;
        let mut writes: Vec<(String, String, Option<String>)> = Vec::new();
        for mount in &state.claim_mounts {
            let Some(process) = state
                .containers
                .get(mount.container)
                .and_then(|c| c.process.as_ref())
            else {
                continue;
            };
            let Ok(volume) = self.bound_volume_of(&state.namespace, &mount.claim) else {
                continue;
            };
            for (path, content) in process.file_changes_between(from, until) {
                if let Some(relative) = volume_path(mount, &path) {
                    writes.push((volume.clone(), relative, content));
                }
            }
        }
        for (volume, relative, content) in writes {
            let files = self.kubelet.volume_files.entry(volume).or_default();
            match content {
                Some(text) => files.insert(relative, text),
                None => files.remove(&relative),
            };
        }
        if let Some(state) = self.kubelet.pods.get_mut(uid) {
            state.volumes_synced_at = until;
        }
    }

    /// Writes changes made in container `index` of a pod (by `kubectl exec`) through to the
    /// volumes of the claims it mounts.
    pub(super) fn write_through_claims(
        &mut self,
        uid: &str,
        index: usize,
        changes: &[(String, Option<String>)],
    ) {
        let Some(state) = self.kubelet.pods.get(uid) else {
            return;
        };
        let mut writes = Vec::new();
        for mount in state.claim_mounts.iter().filter(|m| m.container == index) {
            let Ok(volume) = self.bound_volume_of(&state.namespace, &mount.claim) else {
                continue;
            };
            for (path, content) in changes {
                if let Some(relative) = volume_path(mount, path) {
                    writes.push((volume.clone(), relative, content.clone()));
                }
            }
        }
        for (volume, relative, content) in writes {
            let files = self.kubelet.volume_files.entry(volume).or_default();
            match content {
                Some(text) => files.insert(relative, text),
                None => files.remove(&relative),
            };
        }
    }

    /// Drops the files of volumes that were deleted.
    pub(super) fn forget_deleted_volumes(&mut self) {
        if self.kubelet.volume_files.is_empty() {
            return;
        }
        let volumes = model::registry::resolve("persistentvolumes").expect("registered");
        let live: std::collections::BTreeSet<String> = self
            .api
            .store()
            .list(volumes, None)
            .iter()
            .map(|v: &std::rc::Rc<Object>| v.name().to_string())
            .collect();
        self.kubelet
            .volume_files
            .retain(|name, _| live.contains(name));
    }
}
