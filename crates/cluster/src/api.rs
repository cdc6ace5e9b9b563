//! The simulated API server: a persistent store of immutable objects plus the semantics every
//! write goes through (validation, namespace admission, uid/resourceVersion/generation, watch).

use std::rc::Rc;

use model::registry::{self, ResourceType};
use model::Object;

use crate::admission::{self, AdmissionRequest, Operation};
use crate::clock::SimTime;
use crate::rng::SimRng;

/// Where an object lives: `deployments.apps` / `default` / `web`. Cluster-scoped objects have an
/// empty namespace. Ordered, so listing is ordered by namespace then name as the API server does.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ObjectKey {
    pub resource: &'static str,
    pub namespace: Rc<str>,
    pub name: Rc<str>,
}

/// The persistent map of everything stored: cloning it is O(1), a write copies one path.
pub type Store = imbl::OrdMap<ObjectKey, Rc<Object>>;

/// A failed request, shaped like the API server's `Status`: kubectl prints it as
/// `Error from server (<reason>): <message>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    /// `NotFound`, `AlreadyExists`, `Conflict`, `Invalid`, `BadRequest`, `Forbidden`.
    pub reason: &'static str,
    pub message: String,
    /// The HTTP status code (404, 409, 422, 400, 403).
    pub code: u16,
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Error from server ({}): {}", self.reason, self.message)
    }
}

impl std::error::Error for ApiError {}

impl ApiError {
    pub fn not_found(resource: &ResourceType, name: &str) -> ApiError {
        ApiError {
            reason: "NotFound",
            code: 404,
            message: format!("{} \"{name}\" not found", resource.qualified_plural()),
        }
    }
    pub fn already_exists(resource: &ResourceType, name: &str) -> ApiError {
        ApiError {
            reason: "AlreadyExists",
            code: 409,
            message: format!("{} \"{name}\" already exists", resource.qualified_plural()),
        }
    }
    pub fn unprocessable(message: String) -> ApiError {
        ApiError {
            reason: "UnprocessableEntity",
            code: 422,
            message,
        }
    }
    pub fn bad_request(message: String) -> ApiError {
        ApiError {
            reason: "BadRequest",
            code: 400,
            message,
        }
    }
}

/// ADDED / MODIFIED / DELETED, as a watch stream names them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WatchEventType {
    Added,
    Modified,
    Deleted,
}

impl WatchEventType {
    pub fn as_str(self) -> &'static str {
        match self {
            WatchEventType::Added => "ADDED",
            WatchEventType::Modified => "MODIFIED",
            WatchEventType::Deleted => "DELETED",
        }
    }
}

/// One entry of the watch log.
#[derive(Debug, Clone)]
pub struct WatchEvent {
    pub resource_version: u64,
    /// The simulated instant of the write.
    pub at: SimTime,
    pub event_type: WatchEventType,
    pub object: Rc<Object>,
}

/// The namespaces NamespaceLifecycle admission refuses to delete.
const IMMORTAL_NAMESPACES: [&str; 3] = ["default", "kube-system", "kube-public"];

/// How many watch events are kept for `watch_since`; older ones are compacted away as etcd does.
const WATCH_LOG_CAPACITY: usize = 10_000;

#[derive(Clone)]
pub struct ApiServer {
    store: Store,
    resource_version: u64,
    watch_log: std::collections::VecDeque<WatchEvent>,
    event_log_hash: u64,
    /// The cluster's clock, as the `Cluster` last moved it: the instant watch events carry.
    now: SimTime,
    /// Whether warnings for the client are kept (while a user's request is served, not while
    /// controllers write), and those kept since they were last taken.
    pub(crate) recording_warnings: bool,
    warnings: Vec<String>,
}

impl Default for ApiServer {
    fn default() -> Self {
        ApiServer {
            store: Store::new(),
            resource_version: 0,
            watch_log: Default::default(),
            event_log_hash: FNV_OFFSET,
            now: SimTime::default(),
            recording_warnings: false,
            warnings: Vec::new(),
        }
    }
}

const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
const FNV_PRIME: u64 = 0x0000_0100_0000_01b3;

fn fnv1a(mut hash: u64, bytes: &[u8]) -> u64 {
    for byte in bytes {
        hash ^= u64::from(*byte);
        hash = hash.wrapping_mul(FNV_PRIME);
    }
    hash
}

pub(crate) fn key_for(resource: &ResourceType, namespace: &str, name: &str) -> ObjectKey {
    ObjectKey {
        resource: resource.plural_key(),
        namespace: if resource.namespaced {
            namespace.into()
        } else {
            "".into()
        },
        name: name.into(),
    }
}

trait PluralKey {
    fn plural_key(&self) -> &'static str;
}

impl PluralKey for ResourceType {
    /// The store key of a resource: its plural, qualified by group when two groups share it
    /// (`events` vs `events.events.k8s.io`).
    fn plural_key(&self) -> &'static str {
        registry::RESOURCE_TYPES
            .iter()
            .find(|r| r.kind == self.kind && r.group == self.group)
            .map(|r| {
                if r.group == "events.k8s.io" {
                    "events.events.k8s.io"
                } else {
                    r.plural
                }
            })
            .unwrap_or(self.plural)
    }
}

/// What the API server's create strategy sets in a new object's status: a Pod starts Pending
/// with its QoS class; a Namespace starts Active.
fn initialize_status(object: &mut Object) {
    match object {
        Object::Pod(pod) => {
            let qos = pod
                .spec
                .as_ref()
                .map(model::pod::qos_class)
                .unwrap_or("BestEffort");
            let status = pod.status.get_or_insert_with(Default::default);
            status.phase = Some("Pending".to_string());
            status.qos_class = Some(qos.to_string());
        }
        Object::Namespace(namespace) => {
            namespace.status.get_or_insert_with(Default::default).phase =
                Some("Active".to_string());
        }
        _ => {}
    }
}

/// What the Job strategy does to a new Job without `manualSelector`: a selector on the Job's
/// uid, and the labels that match it (plus the job name) on the pod template. Returns the uid.
fn generate_job_selector(object: &mut Object, rng: &mut SimRng) -> Option<String> {
    let Object::Job(job) = object else {
        return None;
    };
    // batch/v1 defaulting: a Job without labels takes its template's. It runs when the
    // manifest is decoded (the user's template labels) and again whenever the Job is read back
    // (then the template also has the selector's labels), so a Job given none ends up with
    // the controller-uid and job-name labels.
    let copy_template_labels = |job: &mut model::k8s_openapi::api::batch::v1::Job| {
        if job.metadata.labels.as_ref().is_none_or(|l| l.is_empty()) {
            let template_labels = job
                .spec
                .as_ref()
                .and_then(|s| s.template.metadata.as_ref())
                .and_then(|m| m.labels.clone())
                .filter(|l| !l.is_empty());
            if template_labels.is_some() {
                job.metadata.labels = template_labels;
            }
        }
    };
    copy_template_labels(job);
    let spec = job.spec.as_mut()?;
    if spec.manual_selector == Some(true) {
        return None;
    }
    let uid = rng.uuid();
    let name = job.metadata.name.clone().unwrap_or_default();
    let labels = spec
        .template
        .metadata
        .get_or_insert_with(Default::default)
        .labels
        .get_or_insert_with(Default::default);
    for (key, value) in [
        ("batch.kubernetes.io/controller-uid", &uid),
        ("batch.kubernetes.io/job-name", &name),
        ("controller-uid", &uid),
        ("job-name", &name),
    ] {
        labels.insert(key.to_string(), value.clone());
    }
    spec.selector = Some(
        model::k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelector {
            match_labels: Some(
                [(
                    "batch.kubernetes.io/controller-uid".to_string(),
                    uid.clone(),
                )]
                .into_iter()
                .collect(),
            ),
            match_expressions: None,
        },
    );
    copy_template_labels(job);
    Some(uid)
}

/// The annotation apps/v1 keeps a DaemonSet's template generation in (the internal
/// `spec.templateGeneration`): 1 at create, one more each time the pod template changes,
/// whatever a client sends on update. The controller labels its pods with it
/// (`pod-template-generation`).
pub const DAEMON_SET_TEMPLATE_GENERATION: &str = "deprecated.daemonset.template.generation";

/// Sets a DaemonSet's template generation annotation: on create the client's value when it is
/// a positive number, else 1; on update the stored one, plus one when the template changed.
/// The template generation a DaemonSet's annotation holds, when it is a positive number.
pub fn daemon_set_template_generation(object: &Object) -> Option<i64> {
    object
        .metadata()
        .annotations
        .as_ref()
        .and_then(|a| a.get(DAEMON_SET_TEMPLATE_GENERATION))
        .and_then(|v| v.parse::<i64>().ok())
        .filter(|g| *g >= 1)
}

fn keep_daemon_set_template_generation(object: &mut Object, existing: Option<&Object>) {
    let template_generation = daemon_set_template_generation;
    let template = |object: &Object| match object {
        Object::DaemonSet(set) => {
            Some(serde_json::to_value(&set.spec.template).unwrap_or_default())
        }
        _ => None,
    };
    let Some(new_template) = template(object) else {
        return;
    };
    let generation = match existing {
        None => template_generation(object).unwrap_or(1),
        Some(existing) => {
            let old = template_generation(existing).unwrap_or(1);
            if template(existing) == Some(new_template) {
                old
            } else {
                old.saturating_add(1)
            }
        }
    };
    object
        .metadata_mut()
        .annotations
        .get_or_insert_with(Default::default)
        .insert(
            DAEMON_SET_TEMPLATE_GENERATION.to_string(),
            generation.to_string(),
        );
}

/// Whether the API server keeps a `metadata.generation` for a kind: the workloads and the
/// other kinds whose registry strategy sets it on create (a Service, a Namespace or a claim has
/// none, whatever its spec).
fn tracks_generation(kind: &str) -> bool {
    matches!(
        kind,
        "Pod"
            | "Deployment"
            | "ReplicaSet"
            | "StatefulSet"
            | "DaemonSet"
            | "ReplicationController"
            | "Job"
            | "CronJob"
            | "HorizontalPodAutoscaler"
            | "PodDisruptionBudget"
            | "Ingress"
            | "IngressClass"
            | "NetworkPolicy"
            | "EndpointSlice"
    )
}

/// Everything but metadata and status: what a spec change is (generation bumps on it).
fn spec_like_content(object: &Object) -> serde_json::Value {
    let mut value = object.to_json_value();
    if let Some(map) = value.as_object_mut() {
        map.remove("metadata");
        map.remove("status");
    }
    value
}

impl ApiServer {
    pub fn store(&self) -> &Store {
        &self.store
    }

    /// The warnings kept for the client since the last call.
    pub fn take_warnings(&mut self) -> Vec<String> {
        std::mem::take(&mut self.warnings)
    }

    pub fn resource_version(&self) -> u64 {
        self.resource_version
    }

    pub fn event_log_hash(&self) -> u64 {
        self.event_log_hash
    }

    pub fn watch_since(&self, resource_version: u64) -> impl Iterator<Item = &WatchEvent> {
        self.watch_log
            .iter()
            .filter(move |e| e.resource_version > resource_version)
    }

    /// Moves the instant the next writes are stamped with (the `Cluster` calls it whenever its
    /// clock moves).
    pub(crate) fn set_now(&mut self, now: SimTime) {
        self.now = now;
    }

    fn next_resource_version(&mut self) -> u64 {
        self.resource_version += 1;
        self.resource_version
    }

    fn record(&mut self, event_type: WatchEventType, object: Rc<Object>) {
        let resource_version = self.resource_version;
        let line = format!(
            "{resource_version} {} {} {}/{}\n",
            event_type.as_str(),
            object.kind(),
            object.namespace(),
            object.name()
        );
        self.event_log_hash = fnv1a(self.event_log_hash, line.as_bytes());
        if self.watch_log.len() == WATCH_LOG_CAPACITY {
            self.watch_log.pop_front();
        }
        self.watch_log.push_back(WatchEvent {
            resource_version,
            at: self.now,
            event_type,
            object,
        });
    }

    fn validate(object: &Object, old: Option<&Object>) -> Result<(), ApiError> {
        let errors = model::validation::validate(object, old);
        if errors.is_empty() {
            return Ok(());
        }
        let rendered: Vec<String> = errors
            .iter()
            .map(|e| format!("{}: {}", e.field, e.message))
            .collect();
        // kubectl words one cause inline and several as a bulleted list.
        let details = if rendered.len() == 1 {
            rendered[0].clone()
        } else {
            rendered
                .iter()
                .map(|r| format!("\n* {r}"))
                .collect::<String>()
        };
        Err(ApiError {
            reason: "Invalid",
            code: 422,
            message: format!(
                "The {} \"{}\" is invalid: {details}",
                object.kind(),
                object.name()
            ),
        })
    }

    /// POST: validates, admits, assigns identity, stores.
    pub fn create(
        &mut self,
        mut object: Object,
        now: SimTime,
        rng: &mut SimRng,
    ) -> Result<Rc<Object>, ApiError> {
        let resource = object.resource_type();
        if resource.namespaced && object.namespace().is_empty() {
            object.metadata_mut().namespace = Some("default".into());
        }
        if !resource.namespaced {
            object.metadata_mut().namespace = None;
        }
        let mut generated_from = None;
        if object.name().is_empty() {
            if let Some(prefix) = object
                .metadata()
                .generate_name
                .clone()
                .filter(|p| !p.is_empty())
            {
                object.metadata_mut().name = Some(format!("{prefix}{}", rng.name_suffix(5)));
                generated_from = Some(prefix);
            }
        }
        // Admission sees a generated name's request as the client sent it: its refusals name
        // the object by the generateName prefix (`pods "web-7d4b9c8f5-" is forbidden: …`).
        let name_in_refusals = |mut error: ApiError, object: &Object| {
            if let Some(prefix) = &generated_from {
                error.message = error
                    .message
                    .replace(&format!("\"{}\"", object.name()), &format!("\"{prefix}\""));
            }
            error
        };
        model::defaults::apply_defaults(&mut object);
        // The Job strategy selects a new Job's pods by its uid, so that uid exists already.
        let early_uid = generate_job_selector(&mut object, rng);
        let request = AdmissionRequest {
            operation: Operation::Create,
            old: None,
            store: &self.store,
            now,
        };
        if let Err(error) = admission::admit_mutating(&request, &mut object) {
            return Err(name_in_refusals(error, &object));
        }
        Self::validate(&object, None)?;
        let key = key_for(resource, object.namespace(), object.name());
        if self.store.contains_key(&key) {
            return Err(ApiError::already_exists(resource, object.name()));
        }
        let warnings = admission::pod_security(&request, &object)
            .map_err(|error| name_in_refusals(error, &object))?;
        if self.recording_warnings {
            self.warnings.extend(warnings);
        }
        let side_writes = match admission::admit_validating(&request, &object) {
            Ok(writes) => writes,
            Err(error) => return Err(name_in_refusals(error, &object)),
        };
        initialize_status(&mut object);
        keep_daemon_set_template_generation(&mut object, None);
        crate::network::allocate_service_addresses(&mut object, &self.store, rng)?;
        let resource_version = self.next_resource_version();
        let tracked = tracks_generation(object.kind());
        let meta = object.metadata_mut();
        meta.uid = Some(early_uid.unwrap_or_else(|| rng.uuid()));
        meta.resource_version = Some(resource_version.to_string());
        meta.creation_timestamp = Some(now.to_k8s_time());
        meta.generation = if tracked { Some(1) } else { None };
        meta.deletion_timestamp = None;
        let stored = Rc::new(object);
        self.store.insert(key, stored.clone());
        self.record(WatchEventType::Added, stored.clone());
        self.write_side_effects(side_writes);
        self.after_create(&stored, now, rng);
        Ok(stored)
    }

    /// What controllers do at once after a create (synchronously until they run on their own):
    /// the serviceaccount controller gives a new Namespace its `default` ServiceAccount; the
    /// quota controller writes a new ResourceQuota's status.
    fn after_create(&mut self, created: &Object, now: SimTime, rng: &mut SimRng) {
        if let Object::Namespace(_) = created {
            let account = admission::default_service_account(created.name());
            let result = self.create(account, now, rng);
            debug_assert!(result.is_ok(), "default ServiceAccount: {:?}", result.err());
        }
        let quota_status = admission::resource_quota::status_after_write(&self.store, created, now);
        self.write_side_effects(quota_status);
    }

    /// Stores what admission asked to write along with a request (quota usage in status),
    /// bypassing admission: these are the API server's own writes.
    fn write_side_effects(&mut self, objects: Vec<Object>) {
        for mut object in objects {
            let key = key_for(object.resource_type(), object.namespace(), object.name());
            if !self.store.contains_key(&key) {
                continue;
            }
            let resource_version = self.next_resource_version();
            object.metadata_mut().resource_version = Some(resource_version.to_string());
            let stored = Rc::new(object);
            self.store.insert(key, stored.clone());
            self.record(WatchEventType::Modified, stored);
        }
    }

    /// PUT: optimistic concurrency on a set resourceVersion; identity and status are kept from the
    /// stored object; generation bumps when the spec changed. An update that changes nothing
    /// stores nothing and emits no event, as the API server does.
    pub fn update(&mut self, mut object: Object, now: SimTime) -> Result<Rc<Object>, ApiError> {
        let resource = object.resource_type();
        if resource.namespaced && object.namespace().is_empty() {
            object.metadata_mut().namespace = Some("default".into());
        }
        let key = key_for(resource, object.namespace(), object.name());
        let Some(existing) = self.store.get(&key).cloned() else {
            return Err(ApiError::not_found(resource, object.name()));
        };
        if let Some(sent) = object.metadata().resource_version.as_deref() {
            if Some(sent) != existing.metadata().resource_version.as_deref() {
                return Err(ApiError {
                    reason: "Conflict",
                    code: 409,
                    message: format!(
                        "Operation cannot be fulfilled on {} \"{}\": the object has been modified; please apply your changes to the latest version and try again",
                        resource.qualified_plural(),
                        object.name()
                    ),
                });
            }
        }
        model::defaults::apply_defaults(&mut object);
        let request = AdmissionRequest {
            operation: Operation::Update,
            old: Some(&existing),
            store: &self.store,
            now,
        };
        admission::admit_mutating(&request, &mut object)?;
        Self::validate(&object, Some(&existing))?;
        let warnings = admission::pod_security(&request, &object)?;
        if self.recording_warnings {
            self.warnings.extend(warnings);
        }
        let side_writes = admission::admit_validating(&request, &object)?;
        // Keep what clients cannot change through the main resource.
        let mut value = object.to_json_value();
        let existing_value = existing.to_json_value();
        if let (Some(map), Some(existing_map)) = (value.as_object_mut(), existing_value.as_object())
        {
            match existing_map.get("status") {
                Some(status) => map.insert("status".into(), status.clone()),
                None => map.remove("status"),
            };
        }
        let mut object =
            Object::from_json_value(value).map_err(|e| ApiError::bad_request(e.message))?;
        let existing_meta = existing.metadata();
        {
            let meta = object.metadata_mut();
            meta.uid = existing_meta.uid.clone();
            meta.creation_timestamp = existing_meta.creation_timestamp.clone();
            meta.resource_version = existing_meta.resource_version.clone();
            meta.generation = existing_meta.generation;
            meta.deletion_timestamp = existing_meta.deletion_timestamp.clone();
        }
        keep_daemon_set_template_generation(&mut object, Some(&existing));
        if object == *existing {
            return Ok(existing);
        }
        // Only kinds that track a generation (those created with a spec) count changes; a
        // ConfigMap or a ClusterRole never gets one.
        if spec_like_content(&object) != spec_like_content(&existing) {
            let meta = object.metadata_mut();
            meta.generation = meta.generation.map(|generation| generation + 1);
        }
        let resource_version = self.next_resource_version();
        object.metadata_mut().resource_version = Some(resource_version.to_string());
        let stored = Rc::new(object);
        self.store.insert(key.clone(), stored.clone());
        self.record(WatchEventType::Modified, stored.clone());
        self.write_side_effects(side_writes);
        // An update that clears the last finalizer of an object being deleted lets it go (a
        // pod only once its grace period is over: the kubelet removes a terminating pod).
        let graceful_pod = matches!(&*stored, Object::Pod(_))
            && stored
                .metadata()
                .deletion_grace_period_seconds
                .is_some_and(|g| g > 0);
        if stored.metadata().deletion_timestamp.is_some()
            && stored
                .metadata()
                .finalizers
                .as_ref()
                .is_none_or(|f| f.is_empty())
            && !graceful_pod
        {
            if stored.kind() == "Namespace" {
                let namespace = stored.name().to_string();
                self.finalize_namespace_if_empty(&namespace, now);
                return Ok(self.store.get(&key).cloned().unwrap_or(stored));
            }
            self.remove_objects(vec![key], now);
            return Ok(stored);
        }
        // The quota controller's status of an updated ResourceQuota.
        let quota_status = admission::resource_quota::status_after_write(&self.store, &stored, now);
        self.write_side_effects(quota_status);
        Ok(stored)
    }

    pub fn get(
        &self,
        resource: &ResourceType,
        namespace: &str,
        name: &str,
    ) -> Result<Rc<Object>, ApiError> {
        self.store
            .get(&key_for(resource, namespace, name))
            .cloned()
            .ok_or_else(|| ApiError::not_found(resource, name))
    }

    /// DELETE, with the garbage collector's propagation: `Background` removes the object and
    /// then its dependents (objects whose ownerReferences name it), `Foreground` marks the owner
    /// (`foregroundDeletion` finalizer) and removes it once its dependents are gone, `Orphan`
    /// strips the ownerReferences from the dependents. An object with finalizers only gets a
    /// deletionTimestamp and goes when an update removes its last finalizer. A Namespace turns
    /// Terminating, its contents are deleted, and it goes once it is empty.
    pub fn delete(
        &mut self,
        resource: &ResourceType,
        namespace: &str,
        name: &str,
        propagation: Propagation,
        now: SimTime,
    ) -> Result<Rc<Object>, ApiError> {
        let key = key_for(resource, namespace, name);
        let Some(existing) = self.store.get(&key).cloned() else {
            return Err(ApiError::not_found(resource, name));
        };
        // NamespaceLifecycle admission: the namespaces the system lives in stay.
        if resource.kind == "Namespace" && IMMORTAL_NAMESPACES.contains(&name) {
            return Err(crate::admission::forbidden(
                &existing,
                "this namespace may not be deleted",
            ));
        }
        let uid = existing.metadata().uid.clone().unwrap_or_default();
        if propagation == Propagation::Orphan {
            self.orphan_dependents(&uid);
        }
        // Already being deleted in the foreground: its dependents are on their way (an
        // ownership cycle would otherwise recurse for ever); see whether it can go now.
        if existing.metadata().deletion_timestamp.is_some()
            && existing
                .metadata()
                .finalizers
                .iter()
                .flatten()
                .any(|f| f == FOREGROUND_DELETION)
        {
            self.finish_foreground_deletion(&uid, now);
            return Ok(self.store.get(&key).cloned().unwrap_or(existing));
        }
        let dependents = self.dependents_of(&uid);
        let mut finalizers = existing.metadata().finalizers.clone().unwrap_or_default();
        if propagation == Propagation::Foreground
            && !dependents.is_empty()
            && !finalizers.iter().any(|f| f == FOREGROUND_DELETION)
        {
            finalizers.push(FOREGROUND_DELETION.to_string());
        }
        let is_namespace = resource.kind == "Namespace";
        if finalizers.is_empty() && !is_namespace {
            self.remove_objects(vec![key], now);
            if resource.kind == "Node" {
                self.remove_pods_bound_to(name, now);
            }
            return Ok(existing);
        }
        // Graceful: the object stays, marked, until its finalizers are gone.
        let mut marked = (*existing).clone();
        {
            let meta = marked.metadata_mut();
            if meta.deletion_timestamp.is_none() {
                meta.deletion_timestamp = Some(now.to_k8s_time());
                meta.deletion_grace_period_seconds = Some(0);
            } else if resource.kind == "Pod" {
                // The kubelet's last DELETE of a pod whose containers have stopped has grace
                // 0: from then on clearing its finalizers lets it go.
                meta.deletion_grace_period_seconds = Some(0);
            }
            meta.finalizers = if finalizers.is_empty() {
                None
            } else {
                Some(finalizers)
            };
        }
        if let Object::Namespace(namespace_object) = &mut marked {
            namespace_object
                .status
                .get_or_insert_with(Default::default)
                .phase = Some("Terminating".to_string());
        }
        let marked = self.write(key.clone(), marked);
        if is_namespace {
            // The namespace controller: delete everything in it, then the namespace itself.
            let contained: Vec<ObjectKey> = self
                .store
                .keys()
                .filter(|k| &*k.namespace == name)
                .cloned()
                .collect();
            for contained_key in contained {
                self.delete_dependent(&contained_key, Propagation::Background, now);
            }
            self.finalize_namespace_if_empty(name, now);
        } else if propagation == Propagation::Foreground {
            for dependent_key in dependents {
                self.delete_dependent(&dependent_key, Propagation::Foreground, now);
            }
            self.finish_foreground_deletion(&uid, now);
        }
        Ok(self.store.get(&key).cloned().unwrap_or(marked))
    }

    /// The graceful part of a pod's DELETE: a pod on a node that has not finished, with a
    /// grace period (`grace_period_seconds`, else its terminationGracePeriodSeconds, else 30)
    /// above 0, only gets its deletionTimestamp (now + grace) and deletionGracePeriodSeconds;
    /// its kubelet stops the containers and then removes it. `None` when the deletion is
    /// immediate instead (not a pod, not scheduled, finished, grace 0). An already terminating
    /// pod stays as it is.
    pub(crate) fn mark_pod_terminating(
        &mut self,
        key: &ObjectKey,
        grace_period_seconds: Option<i64>,
        now: SimTime,
    ) -> Option<Rc<Object>> {
        let existing = self.store.get(key).cloned()?;
        let Object::Pod(pod) = &*existing else {
            return None;
        };
        // `--grace-period=0 --force` removes even a pod that is already terminating.
        if grace_period_seconds.is_some_and(|g| g <= 0) {
            return None;
        }
        if existing.metadata().deletion_timestamp.is_some() {
            return Some(existing);
        }
        let spec = pod.spec.as_ref();
        let on_node = spec
            .and_then(|s| s.node_name.as_deref())
            .is_some_and(|n| !n.is_empty());
        let finished = pod
            .status
            .as_ref()
            .and_then(|s| s.phase.as_deref())
            .is_some_and(|phase| matches!(phase, "Succeeded" | "Failed"));
        let grace = grace_period_seconds
            .or_else(|| spec.and_then(|s| s.termination_grace_period_seconds))
            .unwrap_or(30);
        if !on_node || finished || grace <= 0 {
            return None;
        }
        let mut marked = (*existing).clone();
        {
            let meta = marked.metadata_mut();
            meta.deletion_timestamp = Some(
                SimTime(now.0.saturating_add((grace as u64).min(1 << 40) * 1000)).to_k8s_time(),
            );
            meta.deletion_grace_period_seconds = Some(grace);
            // The API server bumps the generation when it marks an object for deletion.
            meta.generation = meta.generation.map(|g| g + 1);
        }
        Some(self.write(key.clone(), marked))
    }

    /// The pod garbage collector: pods bound to a node that no longer exists are deleted at
    /// once (nothing is left to stop their containers).
    fn remove_pods_bound_to(&mut self, node: &str, now: SimTime) {
        let orphaned: Vec<ObjectKey> = self
            .store
            .iter()
            .filter(|(k, o)| {
                k.resource == "pods"
                    && matches!(&***o, Object::Pod(p) if p.spec.as_ref().and_then(|s| s.node_name.as_deref()) == Some(node))
            })
            .map(|(k, _)| k.clone())
            .collect();
        for key in orphaned {
            let finalized = self.store.get(&key).is_some_and(|o| {
                o.metadata()
                    .finalizers
                    .as_ref()
                    .is_some_and(|f| !f.is_empty())
            });
            if !finalized {
                self.remove_objects(vec![key], now);
            }
        }
    }

    /// The garbage collector's (and the namespace controller's) DELETE of a dependent: as any
    /// client's, so a running pod terminates gracefully rather than vanishing.
    fn delete_dependent(&mut self, key: &ObjectKey, propagation: Propagation, now: SimTime) {
        if self.mark_pod_terminating(key, None, now).is_some() {
            return;
        }
        let Some(dependent) = self.store.get(key).cloned() else {
            return;
        };
        let _ = self.delete(
            dependent.resource_type(),
            dependent.namespace(),
            dependent.name(),
            propagation,
            now,
        );
    }

    /// Writes an object as the system components do through subresources (binding, status):
    /// no admission, no validation, no generation bump; resourceVersion and the watch event as
    /// for any write. The object must exist.
    pub(crate) fn write_internal(&mut self, object: Object) -> Rc<Object> {
        let key = key_for(object.resource_type(), object.namespace(), object.name());
        self.write(key, object)
    }

    /// Stores an object the API server itself changed (bumps resourceVersion, records MODIFIED).
    fn write(&mut self, key: ObjectKey, mut object: Object) -> Rc<Object> {
        let resource_version = self.next_resource_version();
        object.metadata_mut().resource_version = Some(resource_version.to_string());
        let stored = Rc::new(object);
        self.store.insert(key, stored.clone());
        self.record(WatchEventType::Modified, stored.clone());
        stored
    }

    fn find_by_uid(&self, uid: &str) -> Option<ObjectKey> {
        self.store
            .iter()
            .find(|(_, o)| o.metadata().uid.as_deref() == Some(uid))
            .map(|(k, _)| k.clone())
    }

    /// Keys of the objects whose ownerReferences name `uid`.
    fn dependents_of(&self, uid: &str) -> Vec<ObjectKey> {
        if uid.is_empty() {
            return Vec::new();
        }
        self.store
            .iter()
            .filter(|(_, o)| {
                o.metadata()
                    .owner_references
                    .iter()
                    .flatten()
                    .any(|r| r.uid == uid)
            })
            .map(|(k, _)| k.clone())
            .collect()
    }

    fn orphan_dependents(&mut self, uid: &str) {
        for key in self.dependents_of(uid) {
            if let Some(dependent) = self.store.get(&key).cloned() {
                let mut changed = (*dependent).clone();
                let meta = changed.metadata_mut();
                meta.owner_references = meta
                    .owner_references
                    .take()
                    .map(|refs| {
                        refs.into_iter()
                            .filter(|r| r.uid != uid)
                            .collect::<Vec<_>>()
                    })
                    .filter(|refs| !refs.is_empty());
                self.write(key, changed);
            }
        }
    }

    /// Removes objects for good, then lets the garbage collector follow: dependents whose owners
    /// are all gone go too, foreground-deleting owners whose dependents are gone go, terminating
    /// namespaces that became empty go.
    fn remove_objects(&mut self, mut work: Vec<ObjectKey>, now: SimTime) {
        while let Some(key) = work.pop() {
            let Some(removed) = self.store.remove(&key) else {
                continue;
            };
            self.next_resource_version();
            self.record(WatchEventType::Deleted, removed.clone());
            // The quota controller releases what the deleted object used.
            let released = admission::resource_quota::recompute_after_delete(&self.store, &removed);
            self.write_side_effects(released);
            let uid = removed.metadata().uid.clone().unwrap_or_default();
            for dependent_key in self.dependents_of(&uid) {
                let Some(dependent) = self.store.get(&dependent_key).cloned() else {
                    continue;
                };
                let live_owners = dependent
                    .metadata()
                    .owner_references
                    .iter()
                    .flatten()
                    .filter(|r| r.uid != uid && self.find_by_uid(&r.uid).is_some())
                    .count();
                if live_owners > 0 {
                    let mut changed = (*dependent).clone();
                    let meta = changed.metadata_mut();
                    meta.owner_references = meta
                        .owner_references
                        .take()
                        .map(|refs| refs.into_iter().filter(|r| r.uid != uid).collect());
                    self.write(dependent_key, changed);
                } else if dependent
                    .metadata()
                    .finalizers
                    .as_ref()
                    .is_some_and(|f| !f.is_empty())
                {
                    let _ = self.delete(
                        dependent.resource_type(),
                        dependent.namespace(),
                        dependent.name(),
                        Propagation::Background,
                        now,
                    );
                } else if self
                    .mark_pod_terminating(&dependent_key, None, now)
                    .is_none()
                {
                    work.push(dependent_key);
                }
            }
            for owner in removed.metadata().owner_references.iter().flatten() {
                self.finish_foreground_deletion(&owner.uid, now);
            }
            if removed.resource_type().namespaced {
                self.finalize_namespace_if_empty(removed.namespace(), now);
            }
        }
    }

    /// An owner in foreground deletion goes once no dependent is left.
    fn finish_foreground_deletion(&mut self, owner_uid: &str, now: SimTime) {
        let Some(owner_key) = self.find_by_uid(owner_uid) else {
            return;
        };
        let Some(owner) = self.store.get(&owner_key).cloned() else {
            return;
        };
        let waiting = owner.metadata().deletion_timestamp.is_some()
            && owner
                .metadata()
                .finalizers
                .iter()
                .flatten()
                .any(|f| f == FOREGROUND_DELETION);
        if !waiting || !self.dependents_of(owner_uid).is_empty() {
            return;
        }
        let mut changed = (*owner).clone();
        let meta = changed.metadata_mut();
        meta.finalizers = meta
            .finalizers
            .take()
            .map(|f| {
                f.into_iter()
                    .filter(|f| f != FOREGROUND_DELETION)
                    .collect::<Vec<_>>()
            })
            .filter(|f| !f.is_empty());
        if meta.finalizers.is_none() {
            self.remove_objects(vec![owner_key], now);
        } else {
            self.write(owner_key, changed);
        }
    }

    fn finalize_namespace_if_empty(&mut self, namespace: &str, now: SimTime) {
        let key = ObjectKey {
            resource: "namespaces",
            namespace: "".into(),
            name: namespace.into(),
        };
        let Some(object) = self.store.get(&key).cloned() else {
            return;
        };
        if object.metadata().deletion_timestamp.is_none() {
            return;
        }
        if self.store.keys().any(|k| &*k.namespace == namespace) {
            return;
        }
        if object
            .metadata()
            .finalizers
            .as_ref()
            .is_some_and(|f| !f.is_empty())
        {
            return;
        }
        self.remove_objects(vec![key], now);
    }
}

/// The finalizer an owner carries while its dependents are deleted first.
pub const FOREGROUND_DELETION: &str = "foregroundDeletion";

/// `--cascade=background|foreground|orphan`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Propagation {
    Background,
    Foreground,
    Orphan,
}

/// Listing helpers over any store (the live one or a snapshot).
pub trait StoreExt {
    fn list(&self, resource: &ResourceType, namespace: Option<&str>) -> Vec<Rc<Object>>;
}

impl StoreExt for Store {
    fn list(&self, resource: &ResourceType, namespace: Option<&str>) -> Vec<Rc<Object>> {
        let plural = resource.plural_key();
        let start = ObjectKey {
            resource: plural,
            namespace: namespace
                .filter(|_| resource.namespaced)
                .unwrap_or("")
                .into(),
            name: "".into(),
        };
        self.range(start..)
            .take_while(|(k, _)| {
                k.resource == plural
                    && match namespace {
                        Some(ns) if resource.namespaced => &*k.namespace == ns,
                        _ => true,
                    }
            })
            .map(|(_, v)| v.clone())
            .collect()
    }
}
