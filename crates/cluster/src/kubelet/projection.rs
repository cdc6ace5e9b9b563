//! Mounted ConfigMaps, Secrets and downward-API files follow their sources while the pod runs.
//!
//! When a ConfigMap or Secret that a running pod's volumes project is written (or, for a
//! downward-API volume, the pod's labels or annotations change), the kubelet rewrites the
//! files at the pod's next periodic sync: within a minute, as a real kubelet's sync loop
//! (`syncFrequency`, 1m) does. Environment variables keep the values the container started
//! with, and a `subPath` mount never changes, as upstream documents. A running shell is held
//! at each of its pod's sync instants, so what it reads after an instant is read from the
//! refreshed files (it runs ahead of the clock otherwise). The service-account volume that
//! admission adds (`kube-api-access-…`) is not watched: nothing the user does changes it.

use std::collections::{BTreeMap, BTreeSet};

use model::k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use model::Object;
use serde_json::Value;

use super::{ContainerState, KubeletPod, MOUNT_FAILURE};
use crate::events::{EventSource, EventType};
use crate::{Cluster, SimTime};

/// How often the kubelet syncs each pod (and so refreshes its projected volumes).
const SYNC_PERIOD_MILLIS: u64 = 60_000;

/// What a pod's projected volumes are made of, as far as a user can change it.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct ProjectionSources {
    /// The ConfigMaps (`false`) and Secrets (`true`) its volumes project, by name.
    objects: BTreeSet<(bool, String)>,
    /// A downward-API volume projects the pod's labels or annotations.
    metadata: bool,
}

impl ProjectionSources {
    /// Whether anything the pod's volumes project can change.
    pub(crate) fn is_watched(&self) -> bool {
        !self.objects.is_empty() || self.metadata
    }
}

/// The sources of a pod's projected volumes (`configMap`, `secret`, `downwardAPI` and
/// `projected` volumes; not the service-account volume admission adds).
pub(crate) fn projection_sources(pod: &Value) -> ProjectionSources {
    let mut sources = ProjectionSources::default();
    let downward_metadata = |downward: &Value| {
        downward["items"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|item| item["fieldRef"]["fieldPath"].as_str())
            .any(|path| {
                path.starts_with("metadata.labels") || path.starts_with("metadata.annotations")
            })
    };
    for volume in pod["spec"]["volumes"].as_array().into_iter().flatten() {
        if volume["name"]
            .as_str()
            .is_some_and(|name| name.starts_with("kube-api-access-"))
        {
            continue;
        }
        if let Some(name) = volume["configMap"]["name"].as_str() {
            sources.objects.insert((false, name.to_string()));
        }
        if let Some(name) = volume["secret"]["secretName"].as_str() {
            sources.objects.insert((true, name.to_string()));
        }
        sources.metadata |= downward_metadata(&volume["downwardAPI"]);
        for source in volume["projected"]["sources"]
            .as_array()
            .into_iter()
            .flatten()
        {
            if let Some(name) = source["configMap"]["name"].as_str() {
                sources.objects.insert((false, name.to_string()));
            }
            if let Some(name) = source["secret"]["name"].as_str() {
                sources.objects.insert((true, name.to_string()));
            }
            sources.metadata |= downward_metadata(&source["downwardAPI"]);
        }
    }
    sources
}

/// The first periodic sync after `after`: every [`SYNC_PERIOD_MILLIS`] on the minute, for
/// every pod at once (a real kubelet spreads its pods over the period; one instant for all
/// keeps a cluster of such pods from waking once per pod per minute).
pub(crate) fn next_sync(after: SimTime) -> SimTime {
    SimTime((after.0 / SYNC_PERIOD_MILLIS + 1) * SYNC_PERIOD_MILLIS)
}

/// A digest of the labels and annotations (what a downward-API volume can project).
pub(crate) fn metadata_fingerprint(metadata: &ObjectMeta) -> u64 {
    let mut text = String::new();
    for (key, value) in metadata.labels.iter().flatten() {
        text.push_str(&format!("l {key}={value}\n"));
    }
    for (key, value) in metadata.annotations.iter().flatten() {
        text.push_str(&format!("a {key}={value}\n"));
    }
    super::fnv(&text)
}

/// The files of a container's projection that can change: all but those of `subPath` mounts.
pub(crate) fn without_sub_paths(
    mut files: BTreeMap<String, String>,
    container: &Value,
) -> BTreeMap<String, String> {
    for mount in container["volumeMounts"].as_array().into_iter().flatten() {
        if mount["subPath"].as_str().is_some_and(|s| !s.is_empty()) {
            if let Some(path) = mount["mountPath"].as_str() {
                files.remove(path.trim_end_matches('/'));
            }
        }
    }
    files
}

impl Cluster {
    /// Marks for a refresh at their next sync the pods whose projected sources were written
    /// since the kubelet last looked.
    pub(super) fn notice_projection_source_writes(&mut self, now: SimTime) {
        let since = self.kubelet.projection_watch_version;
        let latest = self.api.resource_version();
        if latest == since {
            return;
        }
        self.kubelet.projection_watch_version = latest;
        if !self
            .kubelet
            .pods
            .values()
            .any(|p| p.projection.is_watched())
        {
            return;
        }
        let mut objects: BTreeSet<(String, bool, String)> = BTreeSet::new();
        let mut metadata: BTreeMap<String, u64> = BTreeMap::new();
        for event in self.api.watch_since(since) {
            let object = &event.object;
            match object.kind() {
                "ConfigMap" | "Secret" => {
                    objects.insert((
                        object.namespace().to_string(),
                        object.kind() == "Secret",
                        object.name().to_string(),
                    ));
                }
                "Pod" => {
                    let uid = object.metadata().uid.as_deref().unwrap_or("");
                    if self
                        .kubelet
                        .pods
                        .get(uid)
                        .is_some_and(|p| p.projection.metadata)
                    {
                        metadata.insert(uid.to_string(), metadata_fingerprint(object.metadata()));
                    }
                }
                _ => {}
            }
        }
        let mut stale = Vec::new();
        for (uid, state) in &self.kubelet.pods {
            if state.projection_refresh_at.is_some() || state.terminating {
                continue;
            }
            let source_written = state.projection.objects.iter().any(|(secret, name)| {
                objects.contains(&(state.namespace.clone(), *secret, name.clone()))
            });
            let metadata_changed = metadata
                .get(uid)
                .is_some_and(|fingerprint| *fingerprint != state.metadata_seen);
            if source_written || metadata_changed {
                stale.push((uid.clone(), next_sync(now)));
            }
        }
        for (uid, at) in stale {
            if let Some(state) = self.kubelet.pods.get_mut(&uid) {
                state.projection_refresh_at = Some(at);
            }
        }
    }

    /// Rewrites the projected files of the pod's running containers from their sources at
    /// `at` (a source that is gone leaves the files as they were, with a FailedMount event).
    pub(super) fn refresh_projected_files(
        &mut self,
        pod: &Object,
        value: &Value,
        state: &mut KubeletPod,
        at: SimTime,
        source: &EventSource,
    ) {
        state.metadata_seen = metadata_fingerprint(pod.metadata());
        let mut failures = BTreeSet::new();
        for index in 0..state.containers.len() {
            let container = &state.containers[index];
            if !matches!(container.state, ContainerState::Running { .. })
                || container.process.is_none()
            {
                continue;
            }
            let files = match self.projected_files(value, &container.spec, state) {
                Ok(files) => without_sub_paths(files, &container.spec),
                Err(message) => {
                    if message.starts_with(MOUNT_FAILURE) {
                        failures.extend(message.lines().map(str::to_string));
                    }
                    continue;
                }
            };
            let container = &mut state.containers[index];
            let old = std::mem::take(&mut container.projected);
            if let Some(process) = container.process.as_mut() {
                for (path, text) in &files {
                    if old.get(path) != Some(text) {
                        process.record_file_change(at, path, Some(text.clone()));
                    }
                }
                for path in old.keys().filter(|path| !files.contains_key(*path)) {
                    process.record_file_change(at, path, None);
                }
            }
            container.projected = files;
        }
        for message in failures {
            let _ = self.record_event(pod, EventType::Warning, "FailedMount", &message, source);
        }
    }
}
