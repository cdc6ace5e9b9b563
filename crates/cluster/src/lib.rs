//! The simulated cluster: the engine behind every kubectl command and every frame of the page.
//!
//! - [`clock`]: simulated time ([`SimTime`]); nothing here reads the wall clock.
//! - [`rng`]: one seeded ChaCha RNG; same seed, same uids, same generated names.
//! - [`api`]: the API server — a persistent store keyed by resource/namespace/name with uid,
//!   resourceVersion, generation and creationTimestamp, defaulting, validation, the admission
//!   chain, finalizers, garbage collection (background/foreground/orphan), namespace
//!   termination, and a watch log.
//! - [`admission`]: NamespaceLifecycle, LimitRanger, ServiceAccount, DefaultStorageClass,
//!   Priority, ResourceQuota — one file each, in upstream's order.
//! - [`rbac`]: the RBAC authorizer and kubeadm's bootstrap roles.
//! - [`events`]: the Event API (aggregation of repeats, one-hour TTL).
//! - [`network`]: ClusterIP and NodePort allocation.
//! - [`Cluster`]: the public face (`create`, `update`, `patch`, `get`, `list`, `delete`,
//!   `authorize`, `record_event`, `advance`, `snapshot`). Later issues add the scheduler, the
//!   kubelet, controllers, networking and storage as modules beside these, behind this same face.

pub mod admission;
pub mod api;
pub mod certificates;
pub mod clock;
pub(crate) mod controllers;
pub mod events;
mod eviction;
pub mod faults;
mod kubelet;
pub mod metrics;
pub mod network;
pub mod nodes;
pub mod rbac;
pub mod rng;
pub mod runtime;
pub mod scheduler;
pub mod system;
pub mod tokens;
pub mod traffic;

pub use kubelet::exec::{ExecOutcome, ExecRefusal};

use std::rc::Rc;

pub use api::{ApiError, ObjectKey, Propagation, Store, StoreExt, WatchEvent, WatchEventType};
pub use clock::{SimDuration, SimTime};
use model::{Object, ResourceType};

/// A whole simulated cluster. Deterministic: the same seed and the same calls give the same
/// objects, uids, resourceVersions and event log, natively and in wasm.
#[derive(Clone)]
pub struct Cluster {
    clock: clock::Clock,
    rng: rng::SimRng,
    api: api::ApiServer,
    seed: u64,
    kubelet: kubelet::KubeletState,
    /// Unschedulable pods (by uid) and when the scheduler tries them again.
    scheduler_backoff: std::collections::BTreeMap<String, SimTime>,
    /// How far the scheduler has looked through the watch log for changes that could make room.
    scheduler_scanned_rv: u64,
    /// Where the scheduler's next search through the nodes starts (percentageOfNodesToScore).
    scheduler_next_start_node: usize,
    /// What kube-controller-manager's loops remember between runs.
    controllers: controllers::ControllerState,
    /// Event series (namespace, object, type, reason, source, message) → the Event recording
    /// them, for aggregation without scanning every event.
    event_series: std::collections::BTreeMap<String, String>,
    /// The network as it stood at (instant, resourceVersion), reused until either moves.
    network_cache: std::cell::RefCell<NetworkCacheEntry>,
    /// How many clients have been given a view of the network (seeds kube-proxy's choices).
    network_clients: std::cell::Cell<u64>,
    /// What the user broke (failed nodes, a stopped control plane).
    faults: faults::Faults,
    /// When each pod (`namespace/name`) answered requests, over the last minute (their CPU
    /// cost shows in the pod's metrics).
    served_requests: std::cell::RefCell<ServedRequests>,
    /// The scheduler's per-node verdicts for pods it could not place (shared: cheap to clone).
    scheduling_diagnoses: std::rc::Rc<scheduler::SchedulingDiagnoses>,
    /// What the HorizontalPodAutoscaler controller remembers per HPA (recommendations, scale
    /// events, when it last synced).
    autoscalers:
        std::collections::BTreeMap<String, controllers::horizontalpodautoscaler::AutoscalerMemory>,
    /// `kubectl port-forward`s running on "this machine", by local port.
    port_forwards: std::collections::BTreeMap<u16, traffic::PortForward>,
    /// kube-proxy's `sessionAffinity: ClientIP` pins (client → endpoint, last seen).
    session_affinity: traffic::SessionAffinityMemory,
}

type ServedRequests = std::collections::BTreeMap<String, std::collections::VecDeque<SimTime>>;

type NetworkCacheEntry = Option<((SimTime, u64), std::rc::Rc<traffic::NetworkView>)>;

/// The most stops one `advance` makes (each stop runs the scheduler and the kubelet once).
pub const MAX_STEPS_PER_ADVANCE: usize = 100_000;

/// The three patch types the API server accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PatchType {
    /// `application/strategic-merge-patch+json` (kubectl's default).
    Strategic,
    /// `application/merge-patch+json` (RFC 7386).
    Merge,
    /// `application/json-patch+json` (RFC 6902).
    Json,
}

/// A cheap read-only view of the cluster at one instant (O(1) to take: the store is persistent).
#[derive(Clone)]
pub struct ClusterSnapshot {
    pub now: SimTime,
    pub store: Store,
}

/// Mixed into the seed for the stream the boot's node events draw from.
const NODE_EVENTS_STREAM: u64 = 0x6e6f_6465_6576_7473;

/// Mixed into the seed for the stream the bootstrap RBAC policy's later objects draw from.
const RBAC_POLICY_STREAM: u64 = 0x7262_6163_706f_6c79;

impl Cluster {
    /// A fresh cluster as `kubeadm init` leaves it: the four system namespaces and the
    /// `kubernetes` Service in `default`.
    pub fn new(seed: u64) -> Cluster {
        Cluster::with_shape(seed, &nodes::ClusterShape::default())
    }

    /// A fresh cluster with the given nodes: bootstrapped and booted for
    /// [`system::BOOT_SECONDS`]. Booting is deterministic, so each (seed, shape) is booted once
    /// per thread and cloned afterwards (a clone is cheap: the store is persistent).
    pub fn with_shape(seed: u64, shape: &nodes::ClusterShape) -> Cluster {
        thread_local! {
            static BOOTED: std::cell::RefCell<std::collections::BTreeMap<(u64, String), Cluster>> =
                const { std::cell::RefCell::new(std::collections::BTreeMap::new()) };
        }
        let key = (seed, format!("{shape:?}"));
        if let Some(cluster) = BOOTED.with(|booted| booted.borrow().get(&key).cloned()) {
            return cluster;
        }
        let cluster = Cluster::boot(seed, shape);
        BOOTED.with(|booted| {
            let mut booted = booted.borrow_mut();
            // A handful of seeds is what tests and pages use; never grow without bound.
            if booted.len() >= 16 {
                booted.clear();
            }
            booted.insert(key, cluster.clone());
        });
        cluster
    }

    fn boot(seed: u64, shape: &nodes::ClusterShape) -> Cluster {
        let mut cluster = Cluster {
            clock: clock::Clock::default(),
            rng: rng::SimRng::new(seed),
            api: api::ApiServer::default(),
            seed,
            kubelet: Default::default(),
            scheduler_backoff: Default::default(),
            scheduler_scanned_rv: 0,
            scheduler_next_start_node: 0,
            controllers: Default::default(),
            event_series: Default::default(),
            network_cache: Default::default(),
            network_clients: Default::default(),
            faults: Default::default(),
            served_requests: Default::default(),
            autoscalers: Default::default(),
            port_forwards: Default::default(),
            session_affinity: Default::default(),
            scheduling_diagnoses: Default::default(),
        };
        cluster.bootstrap(shape);
        cluster.boot_system_workloads(shape);
        cluster
    }

    fn bootstrap(&mut self, shape: &nodes::ClusterShape) {
        for namespace in ["default", "kube-node-lease", "kube-public", "kube-system"] {
            let object = model::decode_documents(&format!(
                "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: {namespace}\n  labels:\n    kubernetes.io/metadata.name: {namespace}\nspec:\n  finalizers: [kubernetes]\nstatus:\n  phase: Active\n"
            ));
            self.create_bootstrap_object(object);
        }
        for (index, node) in shape.nodes.iter().enumerate() {
            let object = nodes::node_object(node, index);
            debug_assert!(object.is_some(), "node manifests decode (tested)");
            if let Some(object) = object {
                self.create_bootstrap_object(Ok(vec![object]));
                self.create_node_lease(&node.name);
                // The nodes' start events draw their uids from a stream of their own, so the
                // names and uids of everything else stay what the seed made them.
                let main_stream = std::mem::replace(
                    &mut self.rng,
                    rng::SimRng::new(self.seed ^ NODE_EVENTS_STREAM ^ index as u64),
                );
                self.record_node_start_events(&node.name, true);
                self.rng = main_stream;
            }
        }
        let kubernetes_service = model::decode_documents(
            "apiVersion: v1\nkind: Service\nmetadata:\n  name: kubernetes\n  namespace: default\n  labels:\n    component: apiserver\n    provider: kubernetes\nspec:\n  type: ClusterIP\n  clusterIP: 10.96.0.1\n  clusterIPs: [10.96.0.1]\n  ipFamilies: [IPv4]\n  ipFamilyPolicy: SingleStack\n  internalTrafficPolicy: Cluster\n  sessionAffinity: None\n  ports:\n  - name: https\n    port: 443\n    protocol: TCP\n    targetPort: 6443\nstatus:\n  loadBalancer: {}\n",
        );
        self.create_bootstrap_object(kubernetes_service);
        // The API server publishes its own address behind the `kubernetes` Service.
        let api_server_ip = nodes::node_address(0);
        self.create_bootstrap_object(model::decode_documents(&format!(
            "apiVersion: v1\nkind: Endpoints\nmetadata:\n  name: kubernetes\n  namespace: default\n  labels:\n    endpointslice.kubernetes.io/skip-mirror: \"true\"\nsubsets:\n- addresses:\n  - ip: {api_server_ip}\n  ports:\n  - name: https\n    port: 6443\n    protocol: TCP\n"
        )));
        self.create_bootstrap_object(model::decode_documents(&format!(
            "apiVersion: discovery.k8s.io/v1\nkind: EndpointSlice\nmetadata:\n  name: kubernetes\n  namespace: default\n  labels:\n    kubernetes.io/service-name: kubernetes\naddressType: IPv4\nendpoints:\n- addresses:\n  - {api_server_ip}\n  conditions:\n    ready: true\nports:\n- name: https\n  port: 6443\n  protocol: TCP\n"
        )));
        // The policy's first objects (what it held before it grew) draw their uids from the
        // main stream; the rest from a stream of their own, so that the names and uids of
        // everything else stay what the seed made them.
        if let Ok(objects) = model::decode_documents(rbac::bootstrap_manifests()) {
            let mut main_stream = None;
            for (index, object) in objects.into_iter().enumerate() {
                if index == rbac::POLICY_OBJECTS_ON_THE_MAIN_STREAM {
                    main_stream = Some(std::mem::replace(
                        &mut self.rng,
                        rng::SimRng::new(self.seed ^ RBAC_POLICY_STREAM),
                    ));
                }
                self.create_bootstrap_object(Ok(vec![object]));
            }
            if let Some(main_stream) = main_stream {
                self.rng = main_stream;
            }
        }
        // The API server's built-in PriorityClasses (scheduling's SystemPriorityClasses).
        for (name, value, description) in [
            (
                "system-cluster-critical",
                2_000_000_000,
                "Used for system critical pods that must run in the cluster, but can be moved to another node if necessary.",
            ),
            (
                "system-node-critical",
                2_000_001_000,
                "Used for system critical pods that must not be moved from their current node.",
            ),
        ] {
            self.create_bootstrap_object(model::decode_documents(&format!(
                "apiVersion: scheduling.k8s.io/v1\nkind: PriorityClass\nmetadata:\n  name: {name}\nvalue: {value}\ndescription: \"{description}\"\npreemptionPolicy: PreemptLowerPriority\n"
            )));
        }
    }

    /// kube-system's own workloads, then a few minutes of running so that they are up.
    fn boot_system_workloads(&mut self, shape: &nodes::ClusterShape) {
        let node_resource = model::registry::resolve("nodes").expect("registered");
        for manifest in system::manifests(shape) {
            let Ok(mut objects) = model::decode_documents(&manifest) else {
                debug_assert!(false, "system manifests decode: {manifest}");
                continue;
            };
            for mut object in objects.drain(..) {
                // A static pod's mirror is owned by its Node.
                if let Object::Pod(pod) = &object {
                    let node_name = pod.spec.as_ref().and_then(|s| s.node_name.clone());
                    if let Some(node) = node_name.and_then(|n| self.get(node_resource, "", &n).ok())
                    {
                        object.metadata_mut().owner_references = Some(vec![
                            model::k8s_openapi::apimachinery::pkg::apis::meta::v1::OwnerReference {
                                api_version: "v1".into(),
                                kind: "Node".into(),
                                name: node.name().to_string(),
                                uid: node.metadata().uid.clone().unwrap_or_default(),
                                controller: Some(true),
                                block_owner_deletion: None,
                            },
                        ]);
                    }
                }
                self.create_bootstrap_object(Ok(vec![object]));
            }
        }
        self.advance(SimDuration::from_secs(system::BOOT_SECONDS));
    }

    fn create_bootstrap_object(&mut self, decoded: Result<Vec<Object>, model::DecodeError>) {
        let object = decoded.ok().and_then(|mut objects| objects.pop());
        debug_assert!(object.is_some(), "bootstrap manifests decode");
        if let Some(object) = object {
            let created = self.create(object);
            debug_assert!(
                created.is_ok(),
                "bootstrap objects are valid: {:?}",
                created.err()
            );
        }
    }

    /// The seed this cluster was made with.
    pub fn seed(&self) -> u64 {
        self.seed
    }

    /// The simulated now.
    pub fn now(&self) -> SimTime {
        self.clock.now()
    }

    /// Moves simulated time forward, stopping at every moment something is due (the scheduler,
    /// the kubelet's next step) so that every write and event carries its true time. Bounded:
    /// at most [`MAX_STEPS_PER_ADVANCE`] stops per call.
    pub fn advance(&mut self, duration: SimDuration) {
        let target = SimTime(self.now().0.saturating_add(duration.0));
        for _ in 0..MAX_STEPS_PER_ADVANCE {
            self.run_components();
            let next = [
                self.kubelet_next_wakeup(),
                self.scheduler_next_wakeup(),
                self.controllers_next_wakeup(),
            ]
            .into_iter()
            .flatten()
            .filter(|t| *t > self.now())
            .min();
            match next {
                Some(t) if t <= target => {
                    self.clock.advance(t.since(self.now()));
                    self.api.set_now(self.now());
                }
                _ => break,
            }
        }
        self.clock.advance(target.since(self.now()));
        self.api.set_now(self.now());
        self.run_components();
        self.expire_events();
    }

    /// The control loops, run at the current instant until they have nothing more to do (each
    /// round is controllers, then the scheduler, then the kubelet; bounded by
    /// [`controllers::MAX_ROUNDS_PER_INSTANT`]).
    fn run_components(&mut self) {
        // What controllers and kubelets write is not the user's request: no warnings for them.
        let recording = std::mem::replace(&mut self.api.recording_warnings, false);
        self.run_components_rounds();
        self.api.recording_warnings = recording;
    }

    fn run_components_rounds(&mut self) {
        for _ in 0..controllers::MAX_ROUNDS_PER_INSTANT {
            let before = self.resource_version();
            if !self.faults.control_plane_stopped {
                self.run_controllers();
                self.run_scheduler();
            }
            self.run_kubelet();
            if self.resource_version() == before {
                break;
            }
        }
    }

    /// The next moment something in the cluster is due to happen on its own (a container
    /// starting or exiting, a probe, a retry, a controller's timer), if any: what the page's
    /// Step button jumps to.
    pub fn next_wakeup(&self) -> Option<SimTime> {
        let control_plane = !self.faults.control_plane_stopped;
        [
            self.kubelet_next_wakeup(),
            self.scheduler_next_wakeup().filter(|_| control_plane),
            self.controllers_next_wakeup().filter(|_| control_plane),
        ]
        .into_iter()
        .flatten()
        .filter(|t| *t > self.now())
        .min()
    }

    fn scheduler_next_wakeup(&self) -> Option<SimTime> {
        self.scheduler_backoff
            .values()
            .copied()
            .filter(|t| t.0 != u64::MAX)
            .min()
    }

    pub(crate) fn api_store(&self) -> &Store {
        self.api.store()
    }

    /// Creates an object (POST). Fills uid, resourceVersion, creationTimestamp and generation.
    /// While `on`, the API server keeps the warnings its answers carry for the client
    /// (PodSecurity's `would violate …`); [`Cluster::take_warnings`] hands them over.
    pub fn record_warnings(&mut self, on: bool) {
        self.api.recording_warnings = on;
    }

    /// The warnings kept since the last call (see [`Cluster::record_warnings`]).
    pub fn take_warnings(&mut self) -> Vec<String> {
        self.api.take_warnings()
    }

    pub fn create(&mut self, object: Object) -> Result<Rc<Object>, ApiError> {
        self.api.create(object, self.clock.now(), &mut self.rng)
    }

    /// Replaces an object (PUT). A `metadata.resourceVersion` that is set and stale is a
    /// Conflict; status is kept from the stored object (status is its own subresource).
    pub fn update(&mut self, object: Object) -> Result<Rc<Object>, ApiError> {
        self.api.update(object, self.clock.now())
    }

    /// PATCH: applies a strategic merge, JSON merge or JSON patch to the stored object and
    /// updates it. Returns the stored object and whether anything changed.
    pub fn patch(
        &mut self,
        resource: &ResourceType,
        namespace: &str,
        name: &str,
        patch_type: PatchType,
        patch: &serde_json::Value,
    ) -> Result<(Rc<Object>, bool), ApiError> {
        let live = self.api.get(resource, namespace, name)?;
        let mut value = live.to_json_value();
        match patch_type {
            PatchType::Strategic => model::merge::strategic_merge_patch(&mut value, patch),
            PatchType::Merge => model::merge::merge_patch(&mut value, patch),
            PatchType::Json => {
                // Not a list of operations: the decoder's Go error. An operation that fails
                // (a `test` that does not match, a path that is not there, an unknown op):
                // a bare 422 whose details the server drops, which kubectl prints as "The
                // request is invalid: …".
                let go_type = match patch {
                    serde_json::Value::Array(_) => None,
                    serde_json::Value::Object(_) => Some("object"),
                    serde_json::Value::String(_) => Some("string"),
                    serde_json::Value::Number(_) => Some("number"),
                    serde_json::Value::Bool(_) => Some("bool"),
                    serde_json::Value::Null => None,
                };
                if let Some(go_type) = go_type {
                    return Err(ApiError::bad_request(format!(
                        "json: cannot unmarshal {go_type} into Go value of type jsonpatch.Patch"
                    )));
                }
                // `null` decodes to an empty patch: nothing to do.
                if !patch.is_null() && model::merge::json_patch(&mut value, patch).is_err() {
                    return Err(ApiError {
                        reason: "Invalid",
                        code: 422,
                        message: "The request is invalid: the server rejected our request due to an error in our request".to_string(),
                    });
                }
            }
        }
        if value.get("kind") != Some(&serde_json::Value::from(live.kind()))
            || value.get("apiVersion") != Some(&serde_json::Value::from(live.api_version()))
        {
            return Err(ApiError::bad_request(
                "the patch may not change apiVersion or kind".to_string(),
            ));
        }
        if let Some(meta) = value.get_mut("metadata").and_then(|m| m.as_object_mut()) {
            // A resourceVersion the patch sets is a precondition (a Conflict when stale, as
            // `kubectl label --resource-version` relies on); otherwise the stored one.
            let from_patch = meta
                .get("resourceVersion")
                .and_then(serde_json::Value::as_str)
                .filter(|v| !v.is_empty())
                .is_some();
            if !from_patch {
                meta.insert(
                    "resourceVersion".into(),
                    live.metadata().resource_version.clone().into(),
                );
            }
            meta.insert("name".into(), name.into());
        }
        let object =
            Object::from_json_value(value).map_err(|e| ApiError::bad_request(e.message))?;
        let stored = self.update(object)?;
        let changed = stored.metadata().resource_version != live.metadata().resource_version;
        Ok((stored, changed))
    }

    /// Gets one object.
    pub fn get(
        &self,
        resource: &ResourceType,
        namespace: &str,
        name: &str,
    ) -> Result<Rc<Object>, ApiError> {
        self.api
            .get(resource, namespace, name)
            .map(|o| self.with_lease_renewed(o))
    }

    /// Lists objects of a resource, in one namespace or (`None`) in all, ordered by namespace
    /// then name as the API server lists them.
    pub fn list(&self, resource: &ResourceType, namespace: Option<&str>) -> Vec<Rc<Object>> {
        let objects = self.api.store().list(resource, namespace);
        if resource.kind != "Lease" {
            return objects;
        }
        objects
            .into_iter()
            .map(|o| self.with_lease_renewed(o))
            .collect()
    }

    /// A node's Lease as its kubelet keeps it: renewed every 10 s while the kubelet runs (the
    /// renewal time is worked out when read, so that heartbeats do not wake an idle cluster).
    fn with_lease_renewed(&self, object: Rc<Object>) -> Rc<Object> {
        let Object::Lease(lease) = &*object else {
            return object;
        };
        if object.namespace() != "kube-node-lease" {
            return object;
        }
        let node = object.name();
        let last_beat = match self.faults.stopped_kubelets.get(node) {
            Some(stopped) => *stopped,
            None => self.now(),
        };
        let renewed = SimTime(last_beat.0 / nodes::LEASE_RENEW_MILLIS * nodes::LEASE_RENEW_MILLIS);
        let mut value = object.to_json_value();
        let stored = lease.spec.as_ref().and_then(|s| s.renew_time.as_ref());
        if stored.is_some_and(|t| {
            SimTime::from_k8s_time(
                &model::k8s_openapi::apimachinery::pkg::apis::meta::v1::Time(t.0),
            ) >= renewed
        }) {
            return object;
        }
        value["spec"]["renewTime"] = serde_json::json!(nodes::micro_time(renewed));
        Object::from_json_value(value)
            .map(Rc::new)
            .unwrap_or(object)
    }

    /// Creates the Lease of a node that has just registered.
    pub(crate) fn create_node_lease(&mut self, node: &str) {
        let nodes_resource = model::registry::resolve("nodes").expect("registered");
        let Ok(node) = self.api.get(nodes_resource, "", node) else {
            return;
        };
        if let Some(lease) = nodes::lease_object(&node, self.now()) {
            let _ = self.create(lease);
        }
    }

    /// Deletes an object with background propagation (kubectl's default).
    pub fn delete(
        &mut self,
        resource: &ResourceType,
        namespace: &str,
        name: &str,
    ) -> Result<Rc<Object>, ApiError> {
        self.delete_with(resource, namespace, name, Propagation::Background)
    }

    /// Deletes an object with the given propagation (`--cascade`).
    pub fn delete_with(
        &mut self,
        resource: &ResourceType,
        namespace: &str,
        name: &str,
        propagation: Propagation,
    ) -> Result<Rc<Object>, ApiError> {
        self.delete_with_grace(resource, namespace, name, propagation, None)
    }

    /// Deletes an object; a pod running on a node is deleted gracefully (`--grace-period`,
    /// `None` = the pod's own terminationGracePeriodSeconds, 0 = at once): it turns
    /// Terminating and the kubelet removes it once its containers have stopped.
    pub fn delete_with_grace(
        &mut self,
        resource: &ResourceType,
        namespace: &str,
        name: &str,
        propagation: Propagation,
        grace_period_seconds: Option<i64>,
    ) -> Result<Rc<Object>, ApiError> {
        if resource.kind == "Pod" {
            if let Some(result) = self.graceful_pod_deletion(namespace, name, grace_period_seconds)
            {
                return result;
            }
        }
        self.api
            .delete(resource, namespace, name, propagation, self.clock.now())
    }

    /// Watch events after `resource_version` (what `kubectl get -w` and the page follow).
    pub fn watch_since(&self, resource_version: u64) -> impl Iterator<Item = &WatchEvent> {
        self.api.watch_since(resource_version)
    }

    /// The current global resourceVersion.
    pub fn resource_version(&self) -> u64 {
        self.api.resource_version()
    }

    /// A 64-bit FNV-1a hash of every watch event so far: the determinism fingerprint.
    pub fn event_log_hash(&self) -> u64 {
        self.api.event_log_hash()
    }

    /// Whether `user` may make `request` (the RBAC authorizer; `kubectl auth can-i`, `--as`).
    pub fn authorize(&self, user: &rbac::UserInfo, request: &rbac::Request<'_>) -> bool {
        rbac::authorize(self.api.store(), user, request)
    }

    /// Every RBAC rule that applies to `user` in `namespace` (`kubectl auth can-i --list`).
    pub fn rules_for(
        &self,
        user: &rbac::UserInfo,
        namespace: Option<&str>,
    ) -> Vec<serde_json::Value> {
        rbac::rules_for(self.api.store(), user, namespace)
    }

    /// O(1) read-only view for the UI.
    pub fn snapshot(&self) -> ClusterSnapshot {
        ClusterSnapshot {
            now: self.clock.now(),
            store: self.api.store().clone(),
        }
    }
}
