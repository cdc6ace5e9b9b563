//! The cluster graph's data and layout maths, with no DOM: what the page draws for nodes, pods
//! and the scheduling queue, where it draws them, and when it switches from the detailed SVG
//! view to the pixel view (../shared/DESIGN.md: SVG holds 60 fps up to ~2,000 pods).
//!
//! [`graph_model`] reads one snapshot of the store: nodes with their allocatable CPU / memory /
//! pods and what the pods bound to them request (as `kubectl describe node` sums it), and every
//! pod with the STATUS `kubectl get pods` prints ([`kubectl::printers::pod_status`]) and, for a
//! pod the scheduler could not place, its FailedScheduling message. [`layout`] places node boxes
//! in a grid and pod marks in cells inside their node; pods without a node sit in the queue.

use model::sort::SortSlice;
use std::rc::Rc;

use cluster::{Store, StoreExt};
use model::quantity::Quantity;
use model::Object;
use serde_json::Value;

/// Above this many visible pods the graph draws pixels on a canvas instead of SVG marks.
pub const SVG_POD_LIMIT: usize = 2_000;
/// The graph's drawing width (SVG viewBox units = canvas pixels).
pub const GRAPH_WIDTH: f64 = 720.0;
/// Cell size of one pod mark in the detailed view and in the pixel view.
pub const SVG_CELL: f64 = 16.0;
pub const PIXEL_CELL: f64 = 4.0;

const MARGIN: f64 = 10.0;
const GAP: f64 = 10.0;
const NODE_PADDING: f64 = 8.0;
/// Name line plus three capacity bars.
const NODE_HEADER: f64 = 74.0;
/// The pixel view's node header: a small name and the three bars side by side, thin.
pub const PIXEL_NODE_HEADER: f64 = 22.0;
/// The pixel view puts up to this many node boxes in a grid row (hundreds of nodes would
/// otherwise make a drawing taller than a canvas may be).
const PIXEL_MAX_COLUMNS: usize = 16;
const QUEUE_HEADER: f64 = 24.0;
const MAX_COLUMNS: usize = 4;

/// One node as the graph shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct GraphNode {
    pub name: String,
    pub control_plane: bool,
    pub ready: bool,
    pub unschedulable: bool,
    pub cpu: Usage,
    pub memory: Usage,
    pub pods: Usage,
}

/// Requested vs allocatable, in the resource's base unit (millicores, bytes, pods).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Usage {
    pub requested: i128,
    pub allocatable: i128,
}

impl Usage {
    /// The bar's fill, 0.0 to 1.0 (over-commitment shows as a full bar).
    pub fn fraction(self) -> f64 {
        if self.allocatable <= 0 {
            return if self.requested > 0 { 1.0 } else { 0.0 };
        }
        (self.requested as f64 / self.allocatable as f64).clamp(0.0, 1.0)
    }

    /// Whole percent, as `kubectl describe node` prints it (rounded down).
    pub fn percent(self) -> i128 {
        if self.allocatable <= 0 {
            return 0;
        }
        self.requested * 100 / self.allocatable
    }
}

/// One pod as the graph shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GraphPod {
    pub namespace: String,
    pub name: String,
    /// `spec.nodeName`; `None` while the pod waits in the scheduling queue.
    pub node: Option<String>,
    /// Exactly what `kubectl get pods` prints in STATUS.
    pub status: String,
    /// The scheduler's message when it could not place the pod (`0/4 nodes are available: …`).
    pub scheduling_message: Option<String>,
    /// For a pod the scheduler could not place: each node and why it was turned down.
    pub scheduling_nodes: Vec<(String, String)>,
    /// Restarts of all its containers (the RESTARTS column); the page pulses a pod whose count
    /// went up.
    pub restarts: i64,
    /// Its containers' names (the fault menu's "crash", the inspector's logs).
    pub containers: Vec<String>,
}

impl GraphPod {
    /// `namespace/name`, the `data-pod` attribute and the list key.
    pub fn key(&self) -> String {
        format!("{}/{}", self.namespace, self.name)
    }
}

/// Everything the graph draws, read from one snapshot.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct GraphModel {
    pub nodes: Vec<GraphNode>,
    /// Shared, so a new model copies 150,000 pointers, not 150,000 pods' strings.
    pub pods: Vec<Rc<GraphPod>>,
    /// Namespaces that have pods, sorted (the namespace filter's choices).
    pub namespaces: Vec<String>,
    /// Every Service with its ready endpoints, by namespace and name.
    pub services: Vec<GraphService>,
}

/// One Service as the graph draws it: a hub with an edge to each ready endpoint pod.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GraphService {
    pub namespace: String,
    pub name: String,
    /// `ClusterIP`, `NodePort`, `LoadBalancer`, `ExternalName`.
    pub service_type: String,
    /// The pods (`namespace/name`) its EndpointSlices list as ready, sorted.
    pub endpoints: Vec<String>,
    /// Ready endpoints that are not pods (the `kubernetes` Service's API server address).
    pub other_endpoints: usize,
    /// Its ClusterIP and load-balancer addresses (to tell which Service a URL names).
    pub addresses: Vec<String>,
    pub node_ports: Vec<u16>,
}

impl GraphService {
    /// `namespace/name`, the `data-service` attribute.
    pub fn key(&self) -> String {
        format!("{}/{}", self.namespace, self.name)
    }
}

fn quantity_of(value: &Value) -> Option<Quantity> {
    value.as_str().and_then(|s| Quantity::parse(s).ok())
}

fn text<'a>(value: &'a Value, pointer: &str) -> &'a str {
    value.pointer(pointer).and_then(Value::as_str).unwrap_or("")
}

/// Whether a pod still holds its node's resources (terminal pods do not).
fn holds_resources(pod: &Value) -> bool {
    !matches!(text(pod, "/status/phase"), "Succeeded" | "Failed")
}

fn scheduling_message(pod: &Value) -> Option<String> {
    pod.pointer("/status/conditions")?
        .as_array()?
        .iter()
        .find(|c| {
            c["type"] == "PodScheduled" && c["status"] == "False" && c["reason"] == "Unschedulable"
        })
        .and_then(|c| c["message"].as_str())
        .map(str::to_string)
}

/// What the graph takes from one pod: its mark, and what it holds on its node (requests).
#[derive(Debug, Clone)]
struct PodReading {
    pod: Rc<GraphPod>,
    /// (node, cpu millicores, memory bytes) while the pod holds resources on a node.
    holds: Option<(String, i128, i128)>,
}

fn read_pod(object: &Object) -> PodReading {
    let pod = object.to_json_value();
    let node = Some(text(&pod, "/spec/nodeName"))
        .filter(|n| !n.is_empty())
        .map(str::to_string);
    let holds = match &node {
        Some(node) if holds_resources(&pod) => {
            let (cpu, memory) = cluster::scheduler::pod_requests(&pod);
            Some((node.clone(), cpu, memory))
        }
        _ => None,
    };
    PodReading {
        pod: Rc::new(GraphPod {
            namespace: object.namespace().to_string(),
            name: object.name().to_string(),
            scheduling_message: if node.is_none() {
                scheduling_message(&pod)
            } else {
                None
            },
            node,
            status: kubectl::printers::pod_status(&pod),
            scheduling_nodes: Vec::new(),
            restarts: pod
                .pointer("/status/containerStatuses")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(|c| c["restartCount"].as_i64())
                .sum(),
            containers: pod
                .pointer("/spec/containers")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(|c| c["name"].as_str().map(str::to_string))
                .collect(),
        }),
        holds,
    }
}

/// Reads the graph's model again and again, re-reading only the pods whose stored object
/// changed since the last read (stored objects are immutable `Rc`s: an unchanged pod is the
/// same pointer), so a refresh at thousands of pods costs little more than a walk.
#[derive(Default)]
pub struct GraphReader {
    pods: std::collections::BTreeMap<(String, String), (Rc<Object>, PodReading)>,
    /// How many pod objects were converted and read so far (the work the cache saves).
    pods_read: usize,
}

impl GraphReader {
    pub fn pods_read(&self) -> usize {
        self.pods_read
    }

    pub fn read(&mut self, store: &Store) -> GraphModel {
        let mut model = GraphModel::default();
        let (Some(pods_type), Some(nodes_type)) = (
            model::registry::resolve("pods"),
            model::registry::resolve("nodes"),
        ) else {
            return model;
        };
        let mut requested: std::collections::BTreeMap<String, (i128, i128, i128)> =
            Default::default();
        let mut readings = std::collections::BTreeMap::new();
        for object in store.list(pods_type, None) {
            let key = (object.namespace().to_string(), object.name().to_string());
            let reading = match self.pods.remove(&key) {
                Some((previous, reading)) if Rc::ptr_eq(&previous, &object) => reading,
                _ => {
                    self.pods_read += 1;
                    read_pod(&object)
                }
            };
            if let Some((node, cpu, memory)) = &reading.holds {
                let entry = requested.entry(node.clone()).or_default();
                entry.0 += cpu;
                entry.1 += memory;
                entry.2 += 1;
            }
            model.pods.push(reading.pod.clone());
            readings.insert(key, (object, reading));
        }
        // Pods gone from the store are dropped with the old map.
        self.pods = readings;
        read_nodes(store, nodes_type, &requested, &mut model);
        model.services = read_services(store);
        let mut namespaces: Vec<String> = model.pods.iter().map(|p| p.namespace.clone()).collect();
        namespaces.dedup();
        namespaces.sort_stable();
        namespaces.dedup();
        model.namespaces = namespaces;
        model
    }
}

/// Every Service and the pods its EndpointSlices list as ready (an endpoint's `ready`
/// condition unset counts as ready, as kube-proxy reads it).
fn read_services(store: &Store) -> Vec<GraphService> {
    let (Some(services_type), Some(slices_type)) = (
        model::registry::resolve("services"),
        model::registry::resolve("endpointslices"),
    ) else {
        return Vec::new();
    };
    let mut endpoints: std::collections::BTreeMap<(String, String), (Vec<String>, usize)> =
        Default::default();
    for slice in store.list(slices_type, None) {
        let slice_json = slice.to_json_value();
        let service = text(&slice_json, "/metadata/labels/kubernetes.io~1service-name");
        if service.is_empty() {
            continue;
        }
        let (pods, others) = endpoints
            .entry((slice.namespace().to_string(), service.to_string()))
            .or_default();
        for endpoint in slice_json["endpoints"].as_array().into_iter().flatten() {
            let ready = endpoint["conditions"]["ready"].as_bool().unwrap_or(true);
            let target = &endpoint["targetRef"];
            if !ready {
                continue;
            }
            match (target["kind"].as_str(), target["name"].as_str()) {
                (Some("Pod"), Some(name)) => {
                    let namespace = target["namespace"].as_str().unwrap_or(slice.namespace());
                    pods.push(format!("{namespace}/{name}"));
                }
                _ => *others += 1,
            }
        }
    }
    store
        .list(services_type, None)
        .iter()
        .map(|service| {
            let json = service.to_json_value();
            let key = (service.namespace().to_string(), service.name().to_string());
            let (mut pods, others) = endpoints.remove(&key).unwrap_or_default();
            pods.sort_stable();
            pods.dedup();
            GraphService {
                namespace: key.0,
                name: key.1,
                service_type: match text(&json, "/spec/type") {
                    "" => "ClusterIP".to_string(),
                    other => other.to_string(),
                },
                endpoints: pods,
                other_endpoints: others,
                addresses: std::iter::once(text(&json, "/spec/clusterIP"))
                    .chain(
                        json.pointer("/status/loadBalancer/ingress")
                            .and_then(Value::as_array)
                            .into_iter()
                            .flatten()
                            .filter_map(|i| i["ip"].as_str()),
                    )
                    .filter(|a| !a.is_empty() && *a != "None")
                    .map(str::to_string)
                    .collect(),
                node_ports: json["spec"]["ports"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(|p| p["nodePort"].as_u64())
                    .filter_map(|p| u16::try_from(p).ok())
                    .collect(),
            }
        })
        .collect()
}

/// The Services the graph draws for a namespace filter: that namespace's, or with no filter
/// every namespace's but kube-system's (the cluster's own DNS and metrics Services would
/// crowd out the user's).
pub fn visible_services<'a>(
    model: &'a GraphModel,
    namespace: Option<&str>,
) -> Vec<&'a GraphService> {
    model
        .services
        .iter()
        .filter(|s| match namespace {
            Some(ns) => s.namespace == ns,
            None => s.namespace != "kube-system",
        })
        .collect()
}

/// Reads nodes and pods from a snapshot of the store.
pub fn graph_model(store: &Store) -> GraphModel {
    GraphReader::default().read(store)
}

/// Adds the scheduler's per-node verdicts to the pods waiting in the queue.
pub fn add_scheduling_diagnoses(model: &mut GraphModel, cluster: &cluster::Cluster) {
    for pod in model.pods.iter_mut().filter(|p| p.node.is_none()) {
        let pod = Rc::make_mut(pod);
        pod.scheduling_nodes = cluster
            .scheduling_diagnosis(&pod.namespace, &pod.name)
            .map(|nodes| {
                nodes
                    .iter()
                    .map(|(node, reasons)| (node.clone(), reasons.join(", ")))
                    .collect()
            })
            .unwrap_or_default();
    }
}

/// Every node with its allocatable resources and what its pods request; control plane first.
fn read_nodes(
    store: &Store,
    nodes_type: &model::ResourceType,
    requested: &std::collections::BTreeMap<String, (i128, i128, i128)>,
    model: &mut GraphModel,
) {
    for object in store.list(nodes_type, None) {
        let node = object.to_json_value();
        let allocatable = &node["status"]["allocatable"];
        let (cpu, memory, pods) = requested.get(object.name()).copied().unwrap_or_default();
        let labels = &node["metadata"]["labels"];
        model.nodes.push(GraphNode {
            name: object.name().to_string(),
            control_plane: labels
                .get("node-role.kubernetes.io/control-plane")
                .is_some(),
            ready: node["status"]["conditions"]
                .as_array()
                .into_iter()
                .flatten()
                .any(|c| c["type"] == "Ready" && c["status"] == "True"),
            unschedulable: node["spec"]["unschedulable"].as_bool() == Some(true),
            cpu: Usage {
                requested: cpu,
                allocatable: quantity_of(&allocatable["cpu"]).map_or(0, |q| q.milli_value()),
            },
            memory: Usage {
                requested: memory,
                allocatable: quantity_of(&allocatable["memory"]).map_or(0, |q| q.value()),
            },
            pods: Usage {
                requested: pods,
                allocatable: quantity_of(&allocatable["pods"]).map_or(0, |q| q.value()),
            },
        });
    }
    // Control plane first, then workers by name (the store already orders by name).
    model.nodes.sort_stable_by_key(|n| !n.control_plane);
}

/// The pods the namespace filter lets through (`None`: all namespaces).
pub fn visible_pods<'a>(model: &'a GraphModel, namespace: Option<&str>) -> Vec<&'a GraphPod> {
    model
        .pods
        .iter()
        .filter(|p| namespace.is_none_or(|ns| p.namespace == ns))
        .map(|p| &**p)
        .collect()
}

/// How the graph is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Detail {
    /// SVG with one mark per pod (labels, hover, `data-*` attributes).
    Svg,
    /// One canvas, pods as pixels.
    Pixels,
}

/// The level of detail for this many visible pods.
pub fn level_of_detail(visible_pods: usize) -> Detail {
    if visible_pods > SVG_POD_LIMIT {
        Detail::Pixels
    } else {
        Detail::Svg
    }
}

/// An axis-aligned rectangle in graph units.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Rect {
    pub x: f64,
    pub y: f64,
    pub width: f64,
    pub height: f64,
}

impl Rect {
    pub fn contains(&self, x: f64, y: f64) -> bool {
        x >= self.x && x < self.x + self.width && y >= self.y && y < self.y + self.height
    }
}

/// Where everything goes. `pods[i]` is the cell of the i-th visible pod.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Layout {
    pub width: f64,
    pub height: f64,
    pub cell: f64,
    pub queue: Rect,
    pub nodes: Vec<Rect>,
    pub pods: Vec<Rect>,
    /// The band of Service hubs between the queue and the nodes (zero height without any).
    pub services_band: Rect,
    /// The centre of each visible Service's hub.
    pub services: Vec<(f64, f64)>,
}

/// Height of the services band's title line, and of one row of hubs (circle + name).
const SERVICES_HEADER: f64 = 18.0;
const SERVICE_ROW: f64 = 42.0;
/// Horizontal room one hub takes (its name is cut to fit).
pub const SERVICE_SLOT: f64 = 118.0;

/// How many cells fit across `width` after the padding (at least one).
fn cells_across(width: f64, cell: f64, padding: f64) -> usize {
    (((width - 2.0 * padding) / cell).floor() as usize).max(1)
}

fn rows_for(count: usize, across: usize) -> usize {
    count.div_ceil(across.max(1))
}

/// Lays out the queue (top, full width), node boxes (a grid of up to four columns, each grid row
/// as tall as its fullest node) and one cell per visible pod, in `pods` order.
pub fn layout(nodes: &[GraphNode], pods: &[&GraphPod], cell: f64) -> Layout {
    layout_with_services(nodes, pods, 0, cell)
}

/// [`layout`] with a band of `services` hubs between the queue and the nodes.
pub fn layout_with_services(
    nodes: &[GraphNode],
    pods: &[&GraphPod],
    services: usize,
    cell: f64,
) -> Layout {
    // The pixel view is compact: a thin header, and more columns as nodes grow (about as many
    // grid rows as columns).
    let compact = cell <= PIXEL_CELL;
    let node_header = if compact {
        PIXEL_NODE_HEADER
    } else {
        NODE_HEADER
    };
    let padding = if compact { 2.0 } else { NODE_PADDING };
    let columns = if compact {
        let square = (nodes.len() as f64).sqrt().ceil() as usize;
        nodes
            .len()
            .clamp(1, square.clamp(MAX_COLUMNS, PIXEL_MAX_COLUMNS))
    } else {
        nodes.len().clamp(1, MAX_COLUMNS)
    };
    // Whole units keep every box and cell on the pixel grid.
    let node_width =
        ((GRAPH_WIDTH - 2.0 * MARGIN - GAP * (columns as f64 - 1.0)) / columns as f64).floor();
    let node_across = cells_across(node_width, cell, padding);
    let queue_width = GRAPH_WIDTH - 2.0 * MARGIN;
    let queue_across = cells_across(queue_width, cell, NODE_PADDING);

    // Which pods go where: the node's index, or None for the queue (no node, or a node that
    // is not in the list any more).
    // (A map, not a scan per pod: 150,000 pods on 1,400 nodes would be 200 million compares.)
    let index_by_name: std::collections::BTreeMap<&str, usize> = nodes
        .iter()
        .enumerate()
        .map(|(i, n)| (n.name.as_str(), i))
        .collect();
    let node_index = |name: &str| index_by_name.get(name).copied();
    let homes: Vec<Option<usize>> = pods
        .iter()
        .map(|p| p.node.as_deref().and_then(node_index))
        .collect();
    let mut per_node = vec![0usize; nodes.len()];
    let mut in_queue = 0usize;
    for home in &homes {
        match home {
            Some(i) => per_node[*i] += 1,
            None => in_queue += 1,
        }
    }

    let queue_rows = rows_for(in_queue, queue_across).max(1);
    let queue = Rect {
        x: MARGIN,
        y: MARGIN,
        width: queue_width,
        height: QUEUE_HEADER + queue_rows as f64 * cell + NODE_PADDING,
    };

    let per_row = ((queue_width / SERVICE_SLOT).floor() as usize).max(1);
    let slot = queue_width / per_row as f64;
    let service_rows = rows_for(services, per_row);
    let services_band = Rect {
        x: MARGIN,
        y: queue.y + queue.height + GAP,
        width: queue_width,
        height: if services == 0 {
            0.0
        } else {
            SERVICES_HEADER + service_rows as f64 * SERVICE_ROW
        },
    };
    let service_centres = (0..services)
        .map(|i| {
            (
                services_band.x + ((i % per_row) as f64 + 0.5) * slot,
                services_band.y + SERVICES_HEADER + (i / per_row) as f64 * SERVICE_ROW + 12.0,
            )
        })
        .collect();
    let mut node_rects = Vec::with_capacity(nodes.len());
    let mut y = if services == 0 {
        queue.y + queue.height + GAP
    } else {
        services_band.y + services_band.height + GAP
    };
    for (row, chunk) in per_node.chunks(columns).enumerate() {
        let rows = chunk
            .iter()
            .map(|count| rows_for(*count, node_across))
            .max()
            .unwrap_or(0)
            .max(1);
        let height = node_header + rows as f64 * cell + padding;
        for column in 0..chunk.len() {
            debug_assert!(row * columns + column < nodes.len());
            node_rects.push(Rect {
                x: MARGIN + column as f64 * (node_width + GAP),
                y,
                width: node_width,
                height,
            });
        }
        y += height + GAP;
    }
    let mut next_in_node = vec![0usize; nodes.len()];
    let mut next_in_queue = 0usize;
    let place = |area: Rect, header: f64, across: usize, index: usize, padding: f64| Rect {
        x: area.x + padding + (index % across) as f64 * cell,
        y: area.y + header + (index / across) as f64 * cell,
        width: cell,
        height: cell,
    };
    let pod_rects = homes
        .iter()
        .map(|home| match home {
            Some(i) => {
                let index = next_in_node[*i];
                next_in_node[*i] += 1;
                place(node_rects[*i], node_header, node_across, index, padding)
            }
            None => {
                let index = next_in_queue;
                next_in_queue += 1;
                place(queue, QUEUE_HEADER, queue_across, index, NODE_PADDING)
            }
        })
        .collect();

    Layout {
        width: GRAPH_WIDTH,
        height: y - GAP + MARGIN,
        cell,
        queue,
        nodes: node_rects,
        pods: pod_rects,
        services_band,
        services: service_centres,
    }
}

/// The graph's zoom and pan: drawing units are scaled by `scale` and then moved by (`x`, `y`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Viewport {
    pub scale: f64,
    pub x: f64,
    pub y: f64,
}

impl Default for Viewport {
    fn default() -> Viewport {
        Viewport {
            scale: 1.0,
            x: 0.0,
            y: 0.0,
        }
    }
}

impl Viewport {
    pub const MIN_SCALE: f64 = 0.5;
    pub const MAX_SCALE: f64 = 8.0;
    /// One press of + or −.
    pub const STEP: f64 = 1.25;

    /// Zooms by `factor` keeping the point (`px`, `py`) (in view units) where it is.
    pub fn zoom_at(self, factor: f64, px: f64, py: f64) -> Viewport {
        if !factor.is_finite() || factor <= 0.0 {
            return self;
        }
        let scale = (self.scale * factor).clamp(Self::MIN_SCALE, Self::MAX_SCALE);
        let applied = scale / self.scale;
        Viewport {
            scale,
            x: px - (px - self.x) * applied,
            y: py - (py - self.y) * applied,
        }
    }

    /// Moves the drawing by (`dx`, `dy`) view units.
    pub fn pan(self, dx: f64, dy: f64) -> Viewport {
        if !dx.is_finite() || !dy.is_finite() {
            return self;
        }
        Viewport {
            x: self.x + dx,
            y: self.y + dy,
            ..self
        }
    }

    /// The SVG `transform` of the drawing.
    pub fn transform(self) -> String {
        format!("translate({} {}) scale({})", self.x, self.y, self.scale)
    }

    /// The drawing point under a point (`vx`, `vy`) of the view (the inverse of `to_view`).
    pub fn to_drawing(self, vx: f64, vy: f64) -> (f64, f64) {
        ((vx - self.x) / self.scale, (vy - self.y) / self.scale)
    }

    /// Where a drawing point (`gx`, `gy`) shows in view units.
    pub fn to_view(self, gx: f64, gy: f64) -> (f64, f64) {
        (gx * self.scale + self.x, gy * self.scale + self.y)
    }
}

/// The colour family of a STATUS (a CSS class suffix and the pixel view's colour).
pub fn status_class(status: &str) -> &'static str {
    match status {
        "Running" => "running",
        "Completed" | "Succeeded" => "completed",
        "Terminating" => "terminating",
        "Pending" | "ContainerCreating" | "PodInitializing" => "pending",
        s if s.starts_with("Init:") && !s.contains("Err") && !s.contains("BackOff") => "pending",
        _ => "failed",
    }
}

/// The pixel view's RGB colour of a status class.
pub fn status_rgb(class: &str) -> (u8, u8, u8) {
    match class {
        "running" => (46, 160, 67),
        "completed" => (140, 149, 159),
        "terminating" => (200, 200, 200),
        "pending" => (219, 154, 4),
        _ => (207, 34, 46),
    }
}

/// A human-readable quantity for the bars' tooltips: `250m`, `1.5`, `512Mi`, `2Gi`.
pub fn format_cpu(millicores: i128) -> String {
    if millicores % 1000 == 0 {
        format!("{}", millicores / 1000)
    } else {
        format!("{millicores}m")
    }
}

pub fn format_memory(bytes: i128) -> String {
    const MI: i128 = 1024 * 1024;
    const GI: i128 = 1024 * MI;
    if bytes != 0 && bytes % GI == 0 {
        format!("{}Gi", bytes / GI)
    } else if bytes % MI == 0 {
        format!("{}Mi", bytes / MI)
    } else {
        format!("{bytes}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn node(name: &str) -> GraphNode {
        GraphNode {
            name: name.into(),
            control_plane: name == "control-plane",
            ready: true,
            unschedulable: false,
            cpu: Usage::default(),
            memory: Usage::default(),
            pods: Usage::default(),
        }
    }

    fn pod(name: &str, node: Option<&str>) -> GraphPod {
        GraphPod {
            namespace: "default".into(),
            name: name.into(),
            node: node.map(str::to_string),
            status: "Running".into(),
            scheduling_message: None,
            scheduling_nodes: Vec::new(),
            restarts: 0,
            containers: vec!["c".into()],
        }
    }

    #[test]
    fn pods_sit_inside_their_node_and_unscheduled_ones_in_the_queue() {
        let nodes = vec![node("control-plane"), node("node-1"), node("node-2")];
        let pods = [
            pod("a", Some("node-1")),
            pod("b", None),
            pod("c", Some("node-1")),
            pod("d", Some("gone")),
        ];
        let refs: Vec<&GraphPod> = pods.iter().collect();
        let layout = layout(&nodes, &refs, SVG_CELL);
        assert_eq!(layout.nodes.len(), 3);
        assert_eq!(layout.pods.len(), 4);
        let centre = |r: Rect| (r.x + r.width / 2.0, r.y + r.height / 2.0);
        for (i, home) in [Some(1), None, Some(1), None].into_iter().enumerate() {
            let (x, y) = centre(layout.pods[i]);
            let area = home.map_or(layout.queue, |n| layout.nodes[n]);
            assert!(area.contains(x, y), "pod {i} at {x},{y} outside {area:?}");
        }
        // a and c are neighbours in node-1's first row.
        assert_eq!(layout.pods[0].y, layout.pods[2].y);
        assert_eq!(layout.pods[2].x - layout.pods[0].x, SVG_CELL);
        // Nothing overlaps: node boxes are side by side below the queue.
        assert!(layout.nodes[0].y >= layout.queue.y + layout.queue.height);
        assert!(layout.nodes[1].x >= layout.nodes[0].x + layout.nodes[0].width);
        assert!(layout.height >= layout.nodes[2].y + layout.nodes[2].height);
        assert!(layout.nodes[2].x + layout.nodes[2].width <= GRAPH_WIDTH);
    }

    #[test]
    fn a_full_node_grows_its_grid_row_and_wraps_its_pods() {
        let nodes: Vec<GraphNode> = (1..=6).map(|i| node(&format!("node-{i}"))).collect();
        let pods: Vec<GraphPod> = (0..100)
            .map(|i| pod(&format!("p{i}"), Some("node-2")))
            .collect();
        let refs: Vec<&GraphPod> = pods.iter().collect();
        let layout = layout(&nodes, &refs, SVG_CELL);
        // Four columns: node-5 starts a second grid row below the tallest of the first.
        assert_eq!(layout.nodes[4].x, layout.nodes[0].x);
        assert_eq!(layout.nodes[0].height, layout.nodes[1].height);
        assert!(layout.nodes[4].y >= layout.nodes[1].y + layout.nodes[1].height);
        for r in &layout.pods {
            let (x, y) = (r.x + r.width / 2.0, r.y + r.height / 2.0);
            assert!(layout.nodes[1].contains(x, y));
        }
        let mut cells: Vec<(i64, i64)> = layout
            .pods
            .iter()
            .map(|r| (r.x as i64, r.y as i64))
            .collect();
        cells.sort_stable();
        cells.dedup();
        assert_eq!(cells.len(), 100, "no two pods share a cell");
    }

    #[test]
    fn service_hubs_sit_in_a_band_between_the_queue_and_the_nodes() {
        let nodes = vec![node("control-plane"), node("node-1")];
        let pods = [pod("a", Some("node-1"))];
        let refs: Vec<&GraphPod> = pods.iter().collect();
        let without = layout(&nodes, &refs, SVG_CELL);
        assert_eq!(without.services_band.height, 0.0);
        let with = layout_with_services(&nodes, &refs, 9, SVG_CELL);
        assert_eq!(with.services.len(), 9);
        let band = with.services_band;
        assert!(band.y >= with.queue.y + with.queue.height);
        assert!(with.nodes[0].y >= band.y + band.height);
        for (x, y) in &with.services {
            assert!(band.contains(*x, *y), "{x},{y} outside {band:?}");
        }
        // Five hubs a row across 700 units: the sixth starts a second row.
        assert_eq!(with.services[5].0, with.services[0].0);
        assert!(with.services[5].1 > with.services[0].1);
        assert_eq!(with.height - without.height, band.height + GAP);
    }

    #[test]
    fn services_list_their_ready_endpoints() {
        let mut session = scenario::Session::new(1);
        crate::engine::apply_text(&mut session, crate::engine::STARTER_MANIFEST);
        session.cluster.advance(cluster::SimDuration::from_secs(30));
        let model = graph_model(&session.cluster.snapshot().store);
        let web = model
            .services
            .iter()
            .find(|s| s.key() == "default/web")
            .expect("web");
        assert_eq!(web.service_type, "ClusterIP");
        assert_eq!(web.other_endpoints, 0);
        let kubernetes = model
            .services
            .iter()
            .find(|s| s.key() == "default/kubernetes")
            .expect("kubernetes");
        assert_eq!(
            (kubernetes.endpoints.len(), kubernetes.other_endpoints),
            (0, 1)
        );
        assert_eq!(web.endpoints.len(), 2, "{web:?}");
        for endpoint in &web.endpoints {
            let pod = model
                .pods
                .iter()
                .find(|p| &p.key() == endpoint)
                .expect("pod");
            assert_eq!(pod.status, "Running");
        }
        let shown: Vec<String> = visible_services(&model, None)
            .iter()
            .map(|s| s.key())
            .collect();
        assert!(shown.contains(&"default/web".to_string()), "{shown:?}");
        assert!(
            !shown.iter().any(|k| k.starts_with("kube-system/")),
            "{shown:?}"
        );
        let system: Vec<String> = visible_services(&model, Some("kube-system"))
            .iter()
            .map(|s| s.key())
            .collect();
        assert!(
            system.contains(&"kube-system/kube-dns".to_string()),
            "{system:?}"
        );
        // A pod that stops being ready leaves the Service's endpoints.
        crate::engine::run_terminal_line(&mut session, "kubectl scale deployment web --replicas=1");
        session.cluster.advance(cluster::SimDuration::from_secs(40));
        let model = graph_model(&session.cluster.snapshot().store);
        let web = model
            .services
            .iter()
            .find(|s| s.key() == "default/web")
            .expect("web");
        assert_eq!(web.endpoints.len(), 1, "{web:?}");
    }

    #[test]
    fn zooming_keeps_the_point_under_the_pointer_and_stays_in_bounds() {
        let view = Viewport::default();
        let zoomed = view.zoom_at(2.0, 100.0, 50.0);
        assert_eq!(zoomed.scale, 2.0);
        assert_eq!(zoomed.to_view(100.0, 50.0), (100.0, 50.0));
        let panned = zoomed.pan(10.0, -5.0);
        assert_eq!(panned.to_view(100.0, 50.0), (110.0, 45.0));
        assert_eq!(view.zoom_at(100.0, 0.0, 0.0).scale, Viewport::MAX_SCALE);
        assert_eq!(view.zoom_at(0.01, 0.0, 0.0).scale, Viewport::MIN_SCALE);
        assert_eq!(view.zoom_at(f64::NAN, 1.0, 1.0), view);
        assert_eq!(view.zoom_at(-1.0, 1.0, 1.0), view);
        assert_eq!(view.pan(f64::INFINITY, 0.0), view);
        assert_eq!(zoomed.transform(), "translate(-100 -50) scale(2)");
    }

    #[test]
    fn no_nodes_and_no_pods_still_lay_out() {
        let layout = layout(&[], &[], SVG_CELL);
        assert!(layout.height > 0.0 && layout.queue.height > 0.0);
    }

    #[test]
    fn the_view_switches_to_pixels_above_the_limit() {
        assert_eq!(level_of_detail(0), Detail::Svg);
        assert_eq!(level_of_detail(SVG_POD_LIMIT), Detail::Svg);
        assert_eq!(level_of_detail(SVG_POD_LIMIT + 1), Detail::Pixels);
    }

    #[test]
    fn usage_bars_and_labels() {
        let half = Usage {
            requested: 2000,
            allocatable: 4000,
        };
        assert_eq!(half.fraction(), 0.5);
        assert_eq!(half.percent(), 50);
        let over = Usage {
            requested: 5,
            allocatable: 4,
        };
        assert_eq!(over.fraction(), 1.0);
        assert_eq!(Usage::default().fraction(), 0.0);
        assert_eq!(format_cpu(250), "250m");
        assert_eq!(format_cpu(4000), "4");
        assert_eq!(format_memory(512 * 1024 * 1024), "512Mi");
        assert_eq!(format_memory(8 * 1024 * 1024 * 1024), "8Gi");
        assert_eq!(status_class("Running"), "running");
        assert_eq!(status_class("Init:0/1"), "pending");
        assert_eq!(status_class("Init:CrashLoopBackOff"), "failed");
        assert_eq!(status_class("ImagePullBackOff"), "failed");
        assert_eq!(status_class("Completed"), "completed");
    }

    #[test]
    fn the_incremental_reader_agrees_with_a_fresh_read_as_the_cluster_changes() {
        let mut session = scenario::Session::new(1);
        let mut reader = GraphReader::default();
        let steps: [fn(&mut scenario::Session); 6] = [
            |s| {
                crate::engine::apply_text(s, crate::engine::TEMPLATES[0].1);
            },
            |s| s.cluster.advance(cluster::SimDuration::from_secs(1)),
            |s| {
                crate::engine::run_terminal_line(s, "kubectl run b --image=nginx -n kube-public");
            },
            |s| s.cluster.advance(cluster::SimDuration::from_secs(20)),
            |s| {
                crate::engine::run_terminal_line(s, "kubectl delete pod nginx");
            },
            |s| s.cluster.advance(cluster::SimDuration::from_secs(5)),
        ];
        for (i, step) in steps.iter().enumerate() {
            step(&mut session);
            let store = session.cluster.snapshot().store;
            assert_eq!(reader.read(&store), graph_model(&store), "after step {i}");
        }
        let read_so_far = reader.pods_read();
        let model = reader.read(&session.cluster.snapshot().store);
        assert_eq!(
            reader.pods_read(),
            read_so_far,
            "an unchanged pod is not read again"
        );
        let user_pods: Vec<_> = model
            .pods
            .iter()
            .filter(|p| {
                !matches!(
                    p.namespace.as_str(),
                    "kube-system" | "ingress-nginx" | "local-path-storage"
                )
            })
            .collect();
        assert_eq!(user_pods.len(), 1);
        assert_eq!(user_pods[0].key(), "kube-public/b");
        assert_eq!(user_pods[0].status, "Running");
    }

    #[test]
    fn the_model_reads_pods_nodes_requests_and_scheduling_messages() {
        let mut session = scenario::Session::new(1);
        let manifest = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: small\nspec:\n  containers:\n  - name: c\n    image: nginx\n    resources:\n      requests:\n        cpu: 500m\n        memory: 256Mi\n---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: huge\nspec:\n  containers:\n  - name: c\n    image: nginx\n    resources:\n      requests:\n        memory: 100Gi\n";
        // kube-system's pods are there from the start: measure what the new pods add.
        let before = graph_model(&session.cluster.snapshot().store);
        let result = crate::engine::apply_text(&mut session, manifest);
        assert_eq!(result.errors, vec![]);
        session.cluster.advance(cluster::SimDuration::from_secs(30));
        let model = graph_model(&session.cluster.snapshot().store);
        assert_eq!(model.nodes[0].name, "control-plane");
        assert!(model.nodes[0].control_plane);
        assert_eq!(model.nodes.len(), 4);
        assert_eq!(
            model.namespaces,
            vec![
                "default".to_string(),
                "ingress-nginx".to_string(),
                "kube-system".to_string(),
                "local-path-storage".to_string()
            ]
        );
        let small = model
            .pods
            .iter()
            .find(|p| p.name == "small")
            .expect("small");
        assert_eq!(small.status, "Running");
        let host = model
            .nodes
            .iter()
            .find(|n| Some(&n.name) == small.node.as_ref())
            .expect("bound to a listed node");
        let host_before = before
            .nodes
            .iter()
            .find(|n| n.name == host.name)
            .expect("same nodes");
        assert_eq!(host.cpu.requested - host_before.cpu.requested, 500);
        assert_eq!(host.cpu.allocatable, 4000);
        assert_eq!(
            host.memory.requested - host_before.memory.requested,
            256 * 1024 * 1024
        );
        assert_eq!(host.pods.requested - host_before.pods.requested, 1);
        assert_eq!(host.pods.allocatable, 110);
        let huge = model.pods.iter().find(|p| p.name == "huge").expect("huge");
        assert_eq!(huge.node, None);
        assert_eq!(huge.status, "Pending");
        let message = huge.scheduling_message.as_deref().unwrap_or("");
        assert!(message.starts_with("0/4 nodes are available:"), "{message}");
        assert!(message.contains("Insufficient memory"), "{message}");
        // The scheduler's verdict per node, for "why is this pod Pending?".
        let mut model = model;
        add_scheduling_diagnoses(&mut model, &session.cluster);
        let huge = model.pods.iter().find(|p| p.name == "huge").expect("huge");
        assert_eq!(
            huge.scheduling_nodes,
            [
                (
                    "control-plane".to_string(),
                    "node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }"
                        .to_string()
                ),
                ("node-1".to_string(), "Insufficient memory".to_string()),
                ("node-2".to_string(), "Insufficient memory".to_string()),
                ("node-3".to_string(), "Insufficient memory".to_string()),
            ]
        );
    }
}
