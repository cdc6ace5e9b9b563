//! emptyDir volumes are shared live between a pod's containers: what one container writes
//! under its mount of the volume appears, at the same instant, under every other container's
//! mount of it (a web server serves the page a sidecar wrote; a `tail -f` in a log shipper
//! prints the lines an app appends). Programs run ahead of the clock, so writes carry their
//! instants and readers see them only from then on.

use serde_json::Value;

use super::KubeletPod;
use crate::SimTime;

/// A container's mounts of emptyDir volumes: (volume name, mount path without a trailing `/`).
pub(crate) fn empty_dir_mounts(pod: &Value, container: &Value) -> Vec<(String, String)> {
    let empty_dirs: Vec<&str> = pod["spec"]["volumes"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|v| v.get("emptyDir").is_some())
        .filter_map(|v| v["name"].as_str())
        .collect();
    if empty_dirs.is_empty() {
        return Vec::new();
    }
    container["volumeMounts"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|m| m["subPath"].as_str().is_none_or(str::is_empty))
        .filter_map(|m| {
            let name = m["name"].as_str()?;
            let path = m["mountPath"].as_str()?;
            empty_dirs
                .contains(&name)
                .then(|| (name.to_string(), path.trim_end_matches('/').to_string()))
        })
        .collect()
}

/// A container's read-only mount paths: ConfigMap, Secret, downward-API and projected volumes
/// (the kubelet always mounts them read-only, whatever `readOnly` says) and mounts with
/// `readOnly: true`.
pub(crate) fn read_only_mounts(pod: &Value, container: &Value) -> Vec<String> {
    let volumes = pod["spec"]["volumes"].as_array();
    container["volumeMounts"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|mount| {
            let volume = volumes
                .into_iter()
                .flatten()
                .find(|v| v["name"] == mount["name"]);
            mount["readOnly"].as_bool() == Some(true)
                || volume.is_some_and(|v| {
                    ["configMap", "secret", "downwardAPI", "projected"]
                        .iter()
                        .any(|kind| v.get(*kind).is_some())
                })
        })
        .filter_map(|mount| mount["mountPath"].as_str())
        .map(|path| path.trim_end_matches('/').to_string())
        .collect()
}

impl KubeletPod {
    /// Whether a container mounts an emptyDir volume that another container mounts too.
    pub(crate) fn shares_empty_dir(&self, index: usize) -> bool {
        let Some(mine) = self.containers.get(index).map(|c| &c.empty_dir_mounts) else {
            return false;
        };
        self.containers.iter().enumerate().any(|(other, c)| {
            other != index
                && c.empty_dir_mounts
                    .iter()
                    .any(|(volume, _)| mine.iter().any(|(v, _)| v == volume))
        })
    }

    /// A container that has just started (at `at`) gets what the containers sharing its
    /// emptyDir volumes have written after that instant: their programs ran ahead of the clock,
    /// and those writes were handed over before this one had a process.
    pub(crate) fn catch_up_empty_dir_writes(&mut self, index: usize, at: SimTime) {
        let Some(mine) = self
            .containers
            .get(index)
            .map(|c| c.empty_dir_mounts.clone())
        else {
            return;
        };
        if mine.is_empty() || self.containers[index].process.is_none() {
            return;
        }
        let mut writes: Vec<(SimTime, String, Option<String>)> = Vec::new();
        for (other, run) in self.containers.iter().enumerate() {
            let Some(process) = run.process.as_ref().filter(|_| other != index) else {
                continue;
            };
            let changes = process.file_changes_after(at);
            for (volume, their_mount) in &run.empty_dir_mounts {
                let prefix = format!("{their_mount}/");
                for (_, my_mount) in mine.iter().filter(|(v, _)| v == volume) {
                    for (t, path, content) in &changes {
                        if let Some(relative) = path.strip_prefix(&prefix) {
                            writes.push((*t, format!("{my_mount}/{relative}"), content.clone()));
                        }
                    }
                }
            }
        }
        model::sort::SortSlice::sort_stable_by(writes.as_mut_slice(), |a, b| a.0.cmp(&b.0));
        if let Some(process) = self.containers[index].process.as_mut() {
            for (t, path, content) in writes {
                process.receive_file_change(t, &path, content);
            }
        }
    }

    /// Hands what container `index` wrote (its own writes since the last call, or `writes`
    /// made in it by `kubectl exec`/`cp`) under its emptyDir mounts to the other containers
    /// mounting the same volumes.
    pub(crate) fn deliver_empty_dir_writes(
        &mut self,
        index: usize,
        extra: &[(SimTime, String, Option<String>)],
    ) {
        let Some(container) = self.containers.get_mut(index) else {
            return;
        };
        if container.empty_dir_mounts.is_empty() {
            return;
        }
        let mut writes = container
            .process
            .as_mut()
            .map(|p| p.take_own_writes())
            .unwrap_or_default();
        writes.extend_from_slice(extra);
        if writes.is_empty() {
            return;
        }
        let mounts = container.empty_dir_mounts.clone();
        for (at, path, content) in writes {
            for (volume, mount) in &mounts {
                let Some(relative) = path.strip_prefix(&format!("{mount}/")) else {
                    continue;
                };
                for (other, run) in self.containers.iter_mut().enumerate() {
                    if other == index {
                        continue;
                    }
                    let Some(process) = run.process.as_mut() else {
                        continue;
                    };
                    for (_, their_mount) in run.empty_dir_mounts.iter().filter(|(v, _)| v == volume)
                    {
                        process.receive_file_change(
                            at,
                            &format!("{their_mount}/{relative}"),
                            content.clone(),
                        );
                    }
                }
            }
        }
    }
}
