//! `kubectl describe`: the human-readable report of one or more objects, laid out as kubectl lays
//! it out: `Key:<TAB>value` lines at two-space indentation levels, run through Go's tabwriter
//! (padding 2, no minimum width), so every block of consecutive lines that share a column aligns
//! its values. Each kind has its own report (pods, workloads, services, config, storage, RBAC,
//! nodes, …); kinds without one get kubectl's generic report of every field. Related objects
//! (events, a Deployment's ReplicaSets, a Service's EndpointSlices, a namespace's quotas) are
//! looked up through the cluster's public API, as kubectl looks them up through the API server.
//!
//! The selection follows kubectl's builder: `TYPE NAME…`, `TYPE/NAME…`, `TYPE` (everything in the
//! namespace, `-A` in all), `-l`, `-f`; when `TYPE NAME` names nothing, every object whose name
//! starts with `NAME` is described. Events are shown for a single object unless
//! `--show-events=false`, and hidden for several unless `--show-events=true`.

use model::sort::SortSlice;
use std::rc::Rc;

use cluster::Cluster;
use model::quantity::Quantity;
use model::{Object, ResourceType, Selector};
use serde_json::Value;

use crate::flags::{self, boolean, value};
use crate::{Kubectl, Output, Workspace};

const DESCRIBE_FLAGS: &[flags::FlagSpec] = &[
    value("filename", Some('f')),
    value("selector", Some('l')),
    boolean("all-namespaces", Some('A')),
    boolean("show-events", None),
    value("chunk-size", None),
    boolean("recursive", Some('R')),
    value("kustomize", Some('k')),
];

/// The resources `kubectl describe all` covers (the `all` category), in kubectl's order.
const ALL_CATEGORY: &[&str] = &[
    "pods",
    "replicationcontrollers",
    "services",
    "daemonsets",
    "deployments",
    "replicasets",
    "statefulsets",
    "horizontalpodautoscalers",
    "cronjobs",
    "jobs",
];

/// The builder's answer when nothing names a resource.
const MISSING_RESOURCE: &str = super::NO_RESOURCES_GIVEN;

/// The annotation kubectl never shows in `Annotations:`.
const LAST_APPLIED: &str = "kubectl.kubernetes.io/last-applied-configuration";
/// Longest annotation (key, `: ` and value) printed on one line.
const MAX_ANNOTATION_LEN: usize = 140;

pub(crate) fn describe(
    kubectl: &mut Kubectl,
    cluster: &mut Cluster,
    args: &[String],
    workspace: &dyn Workspace,
) -> Output {
    let parsed = match flags::parse(args, DESCRIBE_FLAGS, "describe") {
        Ok(p) => p,
        Err(e) => return Output::error(e),
    };
    let namespace = super::namespace_of(kubectl, &parsed);
    let all_namespaces = parsed.flag("all-namespaces");
    if parsed.is_set("kustomize") {
        return Output::error("error: -k (kustomize) is not available in this playground; use -f");
    }
    let filenames = parsed.values("filename");
    let positionals = &parsed.positionals;
    if positionals.is_empty() && filenames.is_empty() {
        return Output::error(
            "error: You must specify the type of resource to describe. Use \"kubectl api-resources\" for a complete list of supported resources.",
        );
    }
    let selector = match parsed.value("selector").map(Selector::parse).transpose() {
        Ok(s) => s,
        Err(e) => return Output::error(format!("error: {e}")),
    };
    let events_explicit = parsed.is_set("show-events");
    let mut show_events = !events_explicit || parsed.flag("show-events");

    let mut found: Vec<Rc<Object>> = Vec::new();
    let mut errors: Vec<String> = Vec::new();

    if !filenames.is_empty() {
        if !positionals.is_empty() {
            return Output::error("error: when paths, URLs, or stdin is provided as input, you may not specify a resource by arguments as well");
        }
        let sources = match super::read_sources(filenames, parsed.flag("recursive"), workspace) {
            Ok(s) => s,
            Err(e) => return Output::error(e),
        };
        for (source, text) in sources {
            let objects = match model::decode_documents(&text) {
                Ok(objects) => objects,
                Err(e) => {
                    return Output::error(super::decode_error_message(&source, &e, "creating"))
                }
            };
            for object in objects {
                let resource = object.resource_type();
                let ns = if object.namespace().is_empty() {
                    namespace.as_str()
                } else {
                    object.namespace()
                };
                if let Err(denied) = super::check_access(
                    cluster,
                    &parsed,
                    "get",
                    resource,
                    Some(ns),
                    Some(object.name()),
                ) {
                    errors.push(denied.stderr.trim_end().to_string());
                    continue;
                }
                match cluster.get(resource, ns, object.name()) {
                    Ok(o) => found.push(o),
                    Err(e) => errors.push(e.to_string()),
                }
            }
        }
    } else if positionals.iter().any(|p| p.contains('/')) {
        for p in positionals {
            let Some((kind, name)) = p.split_once('/') else {
                return Output::error("error: there is no need to specify a resource type as a separate argument when passing arguments in resource/name form (e.g. 'kubectl get resource/<resource_name>' instead of 'kubectl get resource resource/<resource_name>'");
            };
            if name.contains('/') {
                return Output::error(
                    "error: arguments in resource/name form may not have more than one slash",
                );
            }
            if kind.is_empty() || name.is_empty() || kind.contains(',') {
                return Output::error(
                    "error: arguments in resource/name form must have a single resource and name",
                );
            }
            let resource = match super::resolve_resource(kind) {
                Ok(r) => r,
                Err(o) => return o,
            };
            if all_namespaces && resource.namespaced {
                return Output::error(
                    "error: a resource cannot be retrieved by name across all namespaces",
                );
            }
            if let Err(denied) = super::check_access(
                cluster,
                &parsed,
                "get",
                resource,
                Some(&namespace),
                Some(name),
            ) {
                errors.push(denied.stderr.trim_end().to_string());
                continue;
            }
            match cluster.get(resource, &namespace, name) {
                Ok(o) => found.push(o),
                Err(e) => errors.push(e.to_string()),
            }
        }
    } else {
        let mut resources: Vec<&'static ResourceType> = Vec::new();
        for kind in positionals[0].split(',').filter(|k| !k.is_empty()) {
            if kind == "all" {
                resources.extend(
                    ALL_CATEGORY
                        .iter()
                        .filter_map(|r| model::registry::resolve(r)),
                );
            } else {
                match super::resolve_resource(kind) {
                    Ok(r) => resources.push(r),
                    Err(o) => return o,
                }
            }
        }
        if resources.is_empty() {
            return Output::error(MISSING_RESOURCE);
        }
        let names = &positionals[1..];
        if names.is_empty() {
            for resource in resources {
                let scope = (!all_namespaces).then_some(namespace.as_str());
                if let Err(denied) =
                    super::check_access(cluster, &parsed, "list", resource, scope, None)
                {
                    return denied;
                }
                found.extend(cluster.list(resource, scope).into_iter().filter(|o| {
                    selector
                        .as_ref()
                        .is_none_or(|s| s.matches(o.metadata().labels.as_ref()))
                }));
            }
        } else {
            if selector.is_some() {
                return Output::error(
                    "error: name cannot be provided when a selector is specified",
                );
            }
            if resources.len() > 1 {
                return Output::error("error: you must specify only one resource");
            }
            let Some(&resource) = resources.first() else {
                return Output::error(
                    "error: you must provide a resource and a resource name together",
                );
            };
            if all_namespaces && resource.namespaced {
                return Output::error(
                    "error: a resource cannot be retrieved by name across all namespaces",
                );
            }
            for name in names {
                if name.is_empty() {
                    errors.push("error: resource name may not be empty".to_string());
                    continue;
                }
                if let Err(denied) = super::check_access(
                    cluster,
                    &parsed,
                    "get",
                    resource,
                    Some(&namespace),
                    Some(name),
                ) {
                    errors.push(denied.stderr.trim_end().to_string());
                    continue;
                }
                match cluster.get(resource, &namespace, name) {
                    Ok(o) => found.push(o),
                    Err(e) => errors.push(e.to_string()),
                }
            }
            // `describe TYPE NAME` that names nothing describes every object whose name starts
            // with NAME, each followed by a blank line, without events unless asked for.
            let not_found = errors.iter().all(|e| e.contains("(NotFound)"));
            if found.is_empty() && names.len() == 1 && !errors.is_empty() && not_found {
                if !events_explicit {
                    show_events = false;
                }
                let prefix = names[0].as_str();
                let mut output = Output::default();
                for object in cluster
                    .list(resource, Some(&namespace))
                    .iter()
                    .filter(|o| o.name().starts_with(prefix))
                {
                    output
                        .stdout
                        .push_str(&describe_object(cluster, object, show_events));
                    output.stdout.push('\n');
                }
                if output.stdout.is_empty() {
                    return Output::error(errors.join("\n"));
                }
                return output;
            }
        }
    }

    if (!errors.is_empty() || found.len() > 1) && !events_explicit {
        show_events = false;
    }
    let mut output = Output::default();
    let reports: Vec<String> = found
        .iter()
        .map(|object| describe_object(cluster, object, show_events))
        .collect();
    output.stdout = reports.join("\n\n");
    if found.is_empty() && errors.is_empty() {
        output.stderr = if all_namespaces {
            "No resources found\n".to_string()
        } else {
            format!("No resources found in {namespace} namespace.\n")
        };
    }
    if !errors.is_empty() {
        output.append(Output::error(errors.join("\n")));
    }
    output
}

/// The report of one object, as kubectl prints it.
pub(crate) fn describe_object(cluster: &Cluster, object: &Object, show_events: bool) -> String {
    let v = object.to_json_value();
    let now = cluster.now();
    let events = show_events.then(|| find_events(cluster, object, &v));
    let events = events.as_deref();
    let mut w = Writer::default();
    let ctx = Context { cluster, now };
    match object {
        Object::Pod(pod) => {
            let qos = match text(&v, "status.qosClass") {
                q if !q.is_empty() => q,
                _ => pod
                    .spec
                    .as_ref()
                    .map(model::pod::qos_class)
                    .unwrap_or("BestEffort")
                    .to_string(),
            };
            describe_pod(&mut w, &v, &qos, events, &ctx)
        }
        Object::Deployment(_) => describe_deployment(&mut w, &v, events, &ctx),
        Object::ReplicaSet(_) => describe_replica_set(&mut w, &v, events, &ctx),
        Object::ReplicationController(_) => {
            describe_replication_controller(&mut w, &v, events, &ctx)
        }
        Object::DaemonSet(_) => describe_daemon_set(&mut w, &v, events, &ctx),
        Object::StatefulSet(_) => describe_stateful_set(&mut w, &v, events, &ctx),
        Object::Job(_) => describe_job(&mut w, &v, events, &ctx),
        Object::CronJob(_) => describe_cron_job(&mut w, &v, events, &ctx),
        Object::Service(_) => describe_service(&mut w, &v, events, &ctx),
        Object::Endpoints(_) => describe_endpoints(&mut w, &v, events, &ctx),
        Object::EndpointSlice(_) => describe_endpoint_slice(&mut w, &v, events, &ctx),
        Object::Ingress(_) => describe_ingress(&mut w, &v, events, &ctx),
        Object::IngressClass(_) => describe_ingress_class(&mut w, &v, events, &ctx),
        Object::NetworkPolicy(_) => describe_network_policy(&mut w, &v),
        Object::ConfigMap(_) => describe_config_map(&mut w, &v, events, &ctx),
        Object::Secret(_) => describe_secret(&mut w, &v),
        Object::ServiceAccount(_) => describe_service_account(&mut w, &v, events, &ctx),
        Object::Namespace(_) => describe_namespace(&mut w, &v, &ctx),
        Object::Node(_) => describe_node(&mut w, &v, events, &ctx),
        Object::PersistentVolume(_) => describe_persistent_volume(&mut w, &v, events, &ctx),
        Object::PersistentVolumeClaim(_) => {
            describe_persistent_volume_claim(&mut w, &v, events, &ctx)
        }
        Object::StorageClass(_) => describe_storage_class(&mut w, &v, events, &ctx),
        Object::LimitRange(_) => describe_limit_range(&mut w, &v),
        Object::ResourceQuota(_) => describe_resource_quota(&mut w, &v),
        Object::HorizontalPodAutoscaler(_) | Object::HorizontalPodAutoscalerV1(_) => {
            describe_hpa(&mut w, &v, events, &ctx)
        }
        Object::PodDisruptionBudget(_) => describe_pdb(&mut w, &v, events, &ctx),
        Object::PriorityClass(_) => describe_priority_class(&mut w, &v, events, &ctx),
        Object::Role(_) | Object::ClusterRole(_) => describe_role(&mut w, &v),
        Object::RoleBinding(_) | Object::ClusterRoleBinding(_) => describe_role_binding(&mut w, &v),
        Object::Event(_)
        | Object::EventsEvent(_)
        | Object::ControllerRevision(_)
        | Object::Lease(_) => {
            describe_generic(&mut w, &generic_content(object, v.clone()), events, &ctx)
        }
    }
    tabwrite(&w.out)
}

struct Context<'a> {
    cluster: &'a Cluster,
    now: cluster::SimTime,
}

// ---------------------------------------------------------------------------------------------
// Output plumbing: the prefix writer and Go's tabwriter.

/// kubectl's prefix writer: each write starts with two spaces per level; terminal control
/// characters are escaped.
#[derive(Default)]
struct Writer {
    out: String,
    /// Extra levels added to every write (kubectl's nested prefix writer).
    indent: usize,
}

impl Writer {
    fn write(&mut self, level: usize, text: &str) {
        for _ in 0..level + self.indent {
            self.out.push_str("  ");
        }
        self.out
            .push_str(&text.replace('\u{1b}', "^[").replace('\r', "\\r"));
    }

    /// A whole line, indented only by the nesting.
    fn line(&mut self, text: &str) {
        self.write(0, &format!("{text}\n"));
    }
}

macro_rules! wr {
    ($w:expr, $level:expr, $($arg:tt)*) => {
        $w.write($level, &format!($($arg)*))
    };
}

struct Cell {
    text: String,
    width: usize,
}

/// Lays text out as Go's `text/tabwriter` does with kubectl's settings (min width 0, padding 2,
/// space padding, no flags): a cell is text terminated by a tab; the cells of one column in a
/// block of consecutive lines that all have that column are padded to the widest plus 2; the last
/// cell of a line is never padded.
fn tabwrite(text: &str) -> String {
    let mut lines: Vec<Vec<Cell>> = Vec::new();
    let mut line: Vec<Cell> = Vec::new();
    let mut cell = String::new();
    let finish = |cell: &mut String| {
        let text = std::mem::take(cell);
        Cell {
            width: text.chars().count(),
            text,
        }
    };
    for c in text.chars() {
        match c {
            '\t' | '\u{b}' => line.push(finish(&mut cell)),
            '\n' | '\u{c}' => {
                line.push(finish(&mut cell));
                lines.push(std::mem::take(&mut line));
            }
            c => cell.push(c),
        }
    }
    let partial = !cell.is_empty() || !line.is_empty();
    if partial {
        line.push(finish(&mut cell));
        lines.push(line);
    }
    let mut widths_per_line: Vec<Vec<usize>> = vec![Vec::new(); lines.len()];
    layout(
        &lines,
        &mut Vec::new(),
        0,
        lines.len(),
        &mut widths_per_line,
    );
    let mut out = String::new();
    for (i, (cells, widths)) in lines.iter().zip(&widths_per_line).enumerate() {
        for (j, cell) in cells.iter().enumerate() {
            out.push_str(&cell.text);
            if let Some(width) = widths.get(j) {
                out.extend(std::iter::repeat_n(' ', width.saturating_sub(cell.width)));
            }
        }
        if i + 1 < lines.len() || !partial {
            out.push('\n');
        }
    }
    out
}

/// tabwriter's `format`: finds the blocks of lines that have a cell in the next column, sizes
/// that column per block and recurses; records each line's column widths.
fn layout(
    lines: &[Vec<Cell>],
    widths: &mut Vec<usize>,
    mut line0: usize,
    line1: usize,
    out: &mut [Vec<usize>],
) {
    let column = widths.len();
    let has_column = |line: &Vec<Cell>| column + 1 < line.len();
    let mut this = line0;
    while this < line1 {
        if !has_column(&lines[this]) {
            this += 1;
            continue;
        }
        for slot in &mut out[line0..this] {
            slot.clone_from(widths);
        }
        line0 = this;
        let mut width = 0;
        while this < line1 && has_column(&lines[this]) {
            width = width.max(lines[this][column].width + 2);
            this += 1;
        }
        widths.push(width);
        layout(lines, widths, line0, this, out);
        widths.pop();
        line0 = this;
        // The line that ended the block has no cell in this column.
        this += 1;
    }
    for slot in &mut out[line0..line1] {
        slot.clone_from(widths);
    }
}

// ---------------------------------------------------------------------------------------------
// JSON access.

fn at<'a>(value: &'a Value, path: &str) -> &'a Value {
    if path.is_empty() {
        return value;
    }
    path.split('.').fold(value, |v, key| &v[key])
}

/// A scalar as Go's `%v` prints it; empty for missing values.
fn text(value: &Value, path: &str) -> String {
    scalar(at(value, path))
}

fn scalar(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Number(n) => go_number(n),
        Value::Bool(b) => b.to_string(),
        _ => String::new(),
    }
}

fn int(value: &Value, path: &str) -> i64 {
    at(value, path).as_i64().unwrap_or(0)
}

fn boolean_at(value: &Value, path: &str) -> bool {
    at(value, path).as_bool().unwrap_or(false)
}

fn items<'a>(value: &'a Value, path: &str) -> &'a [Value] {
    at(value, path).as_array().map(Vec::as_slice).unwrap_or(&[])
}

fn strings(value: &Value, path: &str) -> Vec<String> {
    items(value, path).iter().map(scalar).collect()
}

fn present(value: &Value, path: &str) -> bool {
    !at(value, path).is_null()
}

/// A string map (labels, annotations, selectors) sorted by key.
fn string_map(value: &Value) -> Vec<(String, String)> {
    let mut entries: Vec<(String, String)> = value
        .as_object()
        .map(|m| m.iter().map(|(k, v)| (k.clone(), scalar(v))).collect())
        .unwrap_or_default();
    entries.sort_stable();
    entries
}

/// `labels.FormatLabels`: `k=v,k2=v2`, or `<none>`.
fn format_labels(value: &Value) -> String {
    let text = string_map(value)
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join(",");
    or_none(text)
}

fn or_none(s: String) -> String {
    if s.is_empty() {
        "<none>".to_string()
    } else {
        s
    }
}

/// Go's `%v` of a `[]string`: `[a b]`.
fn go_list(values: &[String]) -> String {
    format!("[{}]", values.join(" "))
}

/// A JSON number as Go prints it: integers in decimal, other numbers as `%v` of a float64.
fn go_number(n: &serde_json::Number) -> String {
    if let Some(i) = n.as_i64() {
        return i.to_string();
    }
    if let Some(u) = n.as_u64() {
        return u.to_string();
    }
    go_float(n.as_f64().unwrap_or(0.0))
}

/// Go's `%v` of a float64 (`strconv.FormatFloat(f, 'g', -1, 64)`): the shortest digits, in
/// exponent form (`1e+06`) when the decimal exponent is below -4 or at least 6.
fn go_float(f: f64) -> String {
    if f == 0.0 {
        return "0".to_string();
    }
    if !f.is_finite() {
        return if f.is_nan() {
            "NaN".to_string()
        } else if f > 0.0 {
            "+Inf".to_string()
        } else {
            "-Inf".to_string()
        };
    }
    let scientific = format!("{f:e}");
    let (mantissa, exponent) = scientific.split_once('e').unwrap_or((&scientific, "0"));
    let exponent: i32 = exponent.parse().unwrap_or(0);
    if !(-4..6).contains(&exponent) {
        let sign = if exponent < 0 { '-' } else { '+' };
        return format!("{mantissa}e{sign}{:02}", exponent.abs());
    }
    format!("{f}")
}

/// RFC 1123 with a numeric zone, as kubectl prints timestamps (in UTC); Go's zero time when the
/// timestamp is missing or unreadable.
fn rfc1123z(timestamp: &str) -> String {
    match timestamp.parse::<model::k8s_openapi::jiff::Timestamp>() {
        Ok(t) => t.strftime("%a, %d %b %Y %H:%M:%S +0000").to_string(),
        Err(_) => "Mon, 01 Jan 0001 00:00:00 +0000".to_string(),
    }
}

/// Go's `time.Time.String()` in UTC: `2026-01-01 00:00:00 +0000 UTC`.
fn go_time_string(timestamp: &str) -> String {
    match timestamp.parse::<model::k8s_openapi::jiff::Timestamp>() {
        Ok(t) => t.strftime("%Y-%m-%d %H:%M:%S +0000 UTC").to_string(),
        Err(_) => "0001-01-01 00:00:00 +0000 UTC".to_string(),
    }
}

/// `translateTimestampSince`: the age of a timestamp, `<unknown>` when there is none.
fn age(timestamp: &str, now: cluster::SimTime) -> String {
    if timestamp.is_empty() {
        return "<unknown>".to_string();
    }
    crate::printers::timestamp_age(timestamp, now)
}

/// A quantity as the API server prints it.
fn quantity(value: &Value) -> String {
    let text = scalar(value);
    model::quantity::canonicalize(&text).unwrap_or(text)
}

/// An int-or-string (`25%`, `1`), or Go's `<nil>` for a missing pointer.
fn int_or_string(value: &Value) -> String {
    match value {
        Value::Null => "<nil>".to_string(),
        other => scalar(other),
    }
}

fn go_bool_title(value: bool) -> &'static str {
    if value {
        "True"
    } else {
        "False"
    }
}

/// `printBoolPtr`: `True`, `False` or `<unset>`.
fn bool_ptr(value: &Value) -> String {
    match value.as_bool() {
        Some(b) => go_bool_title(b).to_string(),
        None => "<unset>".to_string(),
    }
}

/// Go's `%q` of a string.
fn go_quote(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if (c as u32) < 0x20 || c as u32 == 0x7f => {
                out.push_str(&format!("\\x{:02x}", c as u32));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The length of base64 data once decoded.
fn base64_len(data: &str) -> usize {
    base64_decode(data).len()
}

fn base64_decode(data: &str) -> Vec<u8> {
    let mut out = Vec::new();
    let mut buffer: u32 = 0;
    let mut bits = 0;
    for c in data.bytes() {
        let sextet = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' | b'-' => 62,
            b'/' | b'_' => 63,
            _ => continue,
        };
        buffer = (buffer << 6) | u32::from(sextet);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((buffer >> bits) as u8);
            buffer &= (1 << bits) - 1;
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Label selectors.

/// `metav1.LabelSelectorAsSelector(...).String()`: requirements sorted by key, `k=v`,
/// `k in (a,b)`, `k notin (a,b)`, `k`, `!k`; empty for a missing or empty selector.
fn selector_string(selector: &Value) -> Result<String, String> {
    let mut requirements: Vec<(String, String)> = Vec::new();
    for (k, v) in string_map(&selector["matchLabels"]) {
        requirements.push((k.clone(), format!("{k}={v}")));
    }
    for expression in items(selector, "matchExpressions") {
        let key = text(expression, "key");
        let mut values = strings(expression, "values");
        values.sort_stable();
        values.dedup();
        let operator = text(expression, "operator");
        let requirement = match operator.as_str() {
            "In" => format!("{key} in ({})", values.join(",")),
            "NotIn" => format!("{key} notin ({})", values.join(",")),
            "Exists" => key.clone(),
            "DoesNotExist" => format!("!{key}"),
            other => {
                return Err(format!(
                    "\"{other}\" is not a valid label selector operator"
                ))
            }
        };
        requirements.push((key, requirement));
    }
    requirements.sort_stable_by(|a, b| a.0.cmp(&b.0));
    Ok(requirements
        .into_iter()
        .map(|(_, r)| r)
        .collect::<Vec<_>>()
        .join(","))
}

/// `metav1.FormatLabelSelector`: the selector, `<none>` when empty, `<error>` when invalid.
fn format_label_selector(selector: &Value) -> String {
    match selector_string(selector) {
        Ok(s) => or_none(s),
        Err(_) => "<error>".to_string(),
    }
}

/// The pods a controller with this selector and uid owns, counted by phase.
fn pod_phase_counts(ctx: &Context, object: &Value, selector: &Selector) -> (u32, u32, u32, u32) {
    let (mut running, mut waiting, mut succeeded, mut failed) = (0, 0, 0, 0);
    let Some(pods) = model::registry::resolve("pods") else {
        return (0, 0, 0, 0);
    };
    let namespace = text(object, "metadata.namespace");
    let uid = text(object, "metadata.uid");
    for pod in ctx.cluster.list(pods, Some(&namespace)) {
        if !selector.matches(pod.metadata().labels.as_ref()) {
            continue;
        }
        let pod = pod.to_json_value();
        if controller_of(&pod).is_none_or(|owner| text(owner, "uid") != uid) {
            continue;
        }
        match text(&pod, "status.phase").as_str() {
            "Running" => running += 1,
            "Pending" => waiting += 1,
            "Succeeded" => succeeded += 1,
            "Failed" => failed += 1,
            _ => {}
        }
    }
    (running, waiting, succeeded, failed)
}

fn label_selector_of(object: &Value, path: &str) -> Selector {
    let selector = at(object, path);
    if selector.is_null() {
        return Selector::from_label_selector(None);
    }
    serde_json::from_value(selector.clone())
        .map(|s| Selector::from_label_selector(Some(&s)))
        .unwrap_or_else(|_| Selector::from_label_selector(None))
}

fn controller_of(object: &Value) -> Option<&Value> {
    items(object, "metadata.ownerReferences")
        .iter()
        .find(|o| boolean_at(o, "controller"))
}

/// `Controlled By:` — `Kind/name` of the controlling owner.
fn controlled_by(w: &mut Writer, object: &Value) {
    if let Some(owner) = controller_of(object) {
        wr!(
            w,
            0,
            "Controlled By:\t{}/{}\n",
            text(owner, "kind"),
            text(owner, "name")
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Shared sections.

fn name_namespace(w: &mut Writer, v: &Value) {
    wr!(w, 0, "Name:\t{}\n", text(v, "metadata.name"));
    wr!(w, 0, "Namespace:\t{}\n", text(v, "metadata.namespace"));
}

/// `Labels:` with one `key=value` per line, continuation lines aligned to the value column.
fn labels_multiline(w: &mut Writer, initial_indent: &str, title: &str, labels: &Value) {
    let inner_indent = "\t";
    wr!(w, 0, "{initial_indent}{title}:{inner_indent}");
    let entries = string_map(labels);
    if entries.is_empty() {
        w.line("<none>");
        return;
    }
    for (i, (k, v)) in entries.iter().enumerate() {
        if i != 0 {
            wr!(w, 0, "{initial_indent}");
            wr!(w, 0, "{inner_indent}");
        }
        wr!(w, 0, "{k}={v}\n");
    }
}

/// `Annotations:` one per line (long or multi-line values on their own indented lines), the
/// last-applied-configuration annotation left out.
fn annotations_multiline(w: &mut Writer, title: &str, annotations: &Value) {
    wr!(w, 0, "{title}:\t");
    let entries: Vec<(String, String)> = string_map(annotations)
        .into_iter()
        .filter(|(k, _)| k != LAST_APPLIED)
        .collect();
    if entries.is_empty() {
        w.line("<none>");
        return;
    }
    for (i, (key, value)) in entries.iter().enumerate() {
        if i != 0 {
            w.write(0, "\t");
        }
        let value = value.strip_suffix('\n').unwrap_or(value);
        if value.len() + key.len() + 2 > MAX_ANNOTATION_LEN || value.contains('\n') {
            wr!(w, 0, "{key}:\n");
            for line in value.split('\n') {
                wr!(w, 0, "\t  {}\n", shorten(line, MAX_ANNOTATION_LEN - 2));
            }
        } else {
            wr!(w, 0, "{key}: {value}\n");
        }
    }
}

fn shorten(s: &str, max: usize) -> String {
    if s.len() <= max {
        return s.to_string();
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}...", &s[..end])
}

fn metadata_block(w: &mut Writer, v: &Value) {
    labels_multiline(w, "", "Labels", at(v, "metadata.labels"));
    annotations_multiline(w, "Annotations", at(v, "metadata.annotations"));
}

/// Events about an object: core/v1 Events whose involvedObject names it (name, namespace, kind
/// — not for pods —, uid), as `kubectl describe` searches them.
fn find_events(cluster: &Cluster, object: &Object, v: &Value) -> Vec<Value> {
    let Some(events) = model::registry::resolve("events") else {
        return Vec::new();
    };
    let name = object.name();
    let namespace = object.namespace();
    let kind = object.kind();
    let mut uids: Vec<String> = vec![text(v, "metadata.uid")];
    if kind == "Pod" {
        let mirror = at(v, "metadata.annotations")
            .get("kubernetes.io/config.mirror")
            .map(scalar)
            .unwrap_or_default();
        if !mirror.is_empty() {
            uids = vec![mirror];
        }
    }
    if kind == "Node" {
        uids.push(name.to_string());
    }
    let scope = (!namespace.is_empty()).then_some(namespace);
    let all: Vec<Value> = cluster
        .list(events, scope)
        .iter()
        .map(|e| e.to_json_value())
        .collect();
    let mut found = Vec::new();
    for uid in &uids {
        for event in &all {
            let involved = &event["involvedObject"];
            if text(involved, "name") == name
                && text(involved, "namespace") == namespace
                && (kind == "Pod" || text(involved, "kind") == kind)
                && (uid.is_empty() || text(involved, "uid") == *uid)
            {
                found.push(event.clone());
            }
        }
    }
    found
}

/// The `Events:` table: oldest last-seen first; `<none>` when there are none.
fn describe_events(w: &mut Writer, events: &[Value], now: cluster::SimTime) {
    if events.is_empty() {
        w.write(0, "Events:\t<none>\n");
        return;
    }
    let mut sorted: Vec<&Value> = events.iter().collect();
    sorted.sort_stable_by_key(|e| {
        text(e, "lastTimestamp")
            .parse::<model::k8s_openapi::jiff::Timestamp>()
            .map(|t| t.as_millisecond())
            .unwrap_or(i64::MIN)
    });
    w.write(0, "Events:\n  Type\tReason\tAge\tFrom\tMessage\n");
    w.write(1, "----\t------\t----\t----\t-------\n");
    for e in sorted {
        let event_time = text(e, "eventTime");
        let first_seen = if event_time.is_empty() {
            age(&text(e, "firstTimestamp"), now)
        } else {
            age(&event_time, now)
        };
        let count = int(e, "count");
        let interval = if present(e, "series") {
            format!(
                "{} (x{} over {first_seen})",
                age(&text(e, "series.lastObservedTime"), now),
                int(e, "series.count")
            )
        } else if count > 1 {
            format!(
                "{} (x{count} over {first_seen})",
                age(&text(e, "lastTimestamp"), now)
            )
        } else {
            first_seen
        };
        let mut source = text(e, "source.component");
        if source.is_empty() {
            source = text(e, "reportingComponent");
        }
        let mut message = text(e, "message").trim().to_string();
        let field_path = text(e, "involvedObject.fieldPath");
        if !field_path.is_empty() {
            message = format!("{field_path}: {message}");
        }
        wr!(
            w,
            1,
            "{}\t{}\t{interval}\t{source}\t{message}\n",
            text(e, "type"),
            text(e, "reason")
        );
    }
}

fn events_section(w: &mut Writer, events: Option<&[Value]>, ctx: &Context) {
    if let Some(events) = events {
        describe_events(w, events, ctx.now);
    }
}

// ---------------------------------------------------------------------------------------------
// Pods and pod templates.

fn describe_pod(w: &mut Writer, pod: &Value, qos: &str, events: Option<&[Value]>, ctx: &Context) {
    let spec = &pod["spec"];
    let status = &pod["status"];
    name_namespace(w, pod);
    if present(spec, "priority") {
        wr!(w, 0, "Priority:\t{}\n", text(spec, "priority"));
    }
    let priority_class = text(spec, "priorityClassName");
    if !priority_class.is_empty() {
        wr!(w, 0, "Priority Class Name:\t{priority_class}\n");
    }
    let runtime_class = text(spec, "runtimeClassName");
    if !runtime_class.is_empty() {
        wr!(w, 0, "Runtime Class Name:\t{runtime_class}\n");
    }
    let service_account = text(spec, "serviceAccountName");
    if !service_account.is_empty() {
        wr!(w, 0, "Service Account:\t{service_account}\n");
    }
    let node = text(spec, "nodeName");
    if node.is_empty() {
        w.write(0, "Node:\t<none>\n");
    } else {
        wr!(w, 0, "Node:\t{node}/{}\n", text(status, "hostIP"));
    }
    if present(status, "startTime") {
        wr!(
            w,
            0,
            "Start Time:\t{}\n",
            rfc1123z(&text(status, "startTime"))
        );
    }
    metadata_block(w, pod);
    let phase = text(status, "phase");
    if present(pod, "metadata.deletionTimestamp") && phase != "Failed" && phase != "Succeeded" {
        wr!(
            w,
            0,
            "Status:\tTerminating (lasts {})\n",
            age(&text(pod, "metadata.deletionTimestamp"), ctx.now)
        );
        wr!(
            w,
            0,
            "Termination Grace Period:\t{}s\n",
            int(pod, "metadata.deletionGracePeriodSeconds")
        );
    } else {
        wr!(w, 0, "Status:\t{phase}\n");
    }
    let reason = text(status, "reason");
    if !reason.is_empty() {
        wr!(w, 0, "Reason:\t{reason}\n");
    }
    let message = text(status, "message");
    if !message.is_empty() {
        wr!(w, 0, "Message:\t{message}\n");
    }
    let seccomp = at(spec, "securityContext.seccompProfile");
    if !seccomp.is_null() {
        let kind = text(seccomp, "type");
        wr!(w, 0, "SeccompProfile:\t{kind}\n");
        if kind == "Localhost" {
            wr!(
                w,
                0,
                "LocalhostProfile:\t{}\n",
                text(seccomp, "localhostProfile")
            );
        }
    }
    wr!(w, 0, "IP:\t{}\n", text(status, "podIP"));
    let ips = items(status, "podIPs");
    if ips.is_empty() {
        w.write(0, "IPs:\t<none>\n");
    } else {
        w.write(0, "IPs:\n");
        for ip in ips {
            wr!(w, 1, "IP:\t{}\n", text(ip, "ip"));
        }
    }
    controlled_by(w, pod);
    let nominated = text(status, "nominatedNodeName");
    if !nominated.is_empty() {
        wr!(w, 0, "NominatedNodeName:\t{nominated}\n");
    }
    if present(spec, "resources") {
        w.write(0, "Resources:\n");
        describe_resources(w, &spec["resources"], 1);
    }
    let resolver = Resolver::Pod(pod);
    if !items(spec, "initContainers").is_empty() {
        describe_containers(
            w,
            "Init Containers",
            items(spec, "initContainers"),
            Some(items(status, "initContainerStatuses")),
            &resolver,
            "",
        );
    }
    describe_containers(
        w,
        "Containers",
        items(spec, "containers"),
        Some(items(status, "containerStatuses")),
        &resolver,
        "",
    );
    if !items(spec, "ephemeralContainers").is_empty() {
        describe_containers(
            w,
            "Ephemeral Containers",
            items(spec, "ephemeralContainers"),
            Some(items(status, "ephemeralContainerStatuses")),
            &resolver,
            "",
        );
    }
    let gates = items(spec, "readinessGates");
    if !gates.is_empty() {
        w.write(0, "Readiness Gates:\n  Type\tStatus\n");
        for gate in gates {
            let condition_type = text(gate, "conditionType");
            let status = items(status, "conditions")
                .iter()
                .find(|c| text(c, "type") == condition_type)
                .map(|c| text(c, "status"))
                .unwrap_or_else(|| "<none>".to_string());
            wr!(w, 1, "{condition_type} \t{status} \n");
        }
    }
    let conditions = items(status, "conditions");
    if !conditions.is_empty() {
        w.write(0, "Conditions:\n  Type\tStatus\n");
        for c in conditions {
            wr!(w, 1, "{} \t{} \n", text(c, "type"), text(c, "status"));
        }
    }
    describe_volumes(w, items(spec, "volumes"), "");
    wr!(w, 0, "QoS Class:\t{qos}\n");
    labels_multiline(w, "", "Node-Selectors", &spec["nodeSelector"]);
    tolerations_multiline(w, "", "Tolerations", items(spec, "tolerations"));
    describe_topology_spread(w, items(spec, "topologySpreadConstraints"), "");
    events_section(w, events, ctx);
}

/// How `fieldRef` environment values are resolved: from the pod, or not at all in templates.
enum Resolver<'a> {
    Pod(&'a Value),
    None,
}

impl Resolver<'_> {
    fn field_ref(&self, field_path: &str) -> String {
        let Resolver::Pod(pod) = self else {
            return String::new();
        };
        let metadata = &pod["metadata"];
        if let Some(inner) = field_path.strip_suffix("']") {
            if let Some((path, key)) = inner.split_once("['") {
                return match path {
                    "metadata.labels" | "metadata.annotations" => {
                        let field = path.trim_start_matches("metadata.");
                        metadata[field].get(key).map(scalar).unwrap_or_default()
                    }
                    _ => String::new(),
                };
            }
        }
        let format_map = |m: &Value| {
            string_map(m)
                .iter()
                .map(|(k, v)| format!("{k}={}", go_quote(v)))
                .collect::<Vec<_>>()
                .join("\n")
        };
        match field_path {
            "metadata.name" => text(metadata, "name"),
            "metadata.namespace" => text(metadata, "namespace"),
            "metadata.uid" => text(metadata, "uid"),
            "metadata.labels" => format_map(&metadata["labels"]),
            "metadata.annotations" => format_map(&metadata["annotations"]),
            _ => String::new(),
        }
    }
}

fn describe_containers(
    w: &mut Writer,
    label: &str,
    containers: &[Value],
    statuses: Option<&[Value]>,
    resolver: &Resolver,
    space: &str,
) {
    let none = if containers.is_empty() { " <none>" } else { "" };
    wr!(w, 0, "{space}{label}:{none}\n");
    for container in containers {
        let name = text(container, "name");
        let status = statuses
            .unwrap_or(&[])
            .iter()
            .find(|s| text(s, "name") == name);
        let name_indent = if space.is_empty() { "" } else { " " };
        wr!(w, 1, "{name_indent}{name}:\n");
        if let Some(status) = status {
            wr!(w, 2, "Container ID:\t{}\n", text(status, "containerID"));
        }
        wr!(w, 2, "Image:\t{}\n", text(container, "image"));
        if let Some(status) = status {
            wr!(w, 2, "Image ID:\t{}\n", text(status, "imageID"));
        }
        let ports = items(container, "ports");
        let port_list = |field: &str| {
            ports
                .iter()
                .map(|p| {
                    let mut s = format!("{}/{}", int(p, field), text(p, "protocol"));
                    let name = text(p, "name");
                    if !name.is_empty() {
                        s = format!("{s} ({name})");
                    }
                    s
                })
                .collect::<Vec<_>>()
                .join(", ")
        };
        let container_ports = port_list("containerPort");
        if container_ports.contains(',') {
            wr!(w, 2, "Ports:\t{container_ports}\n");
        } else {
            wr!(w, 2, "Port:\t{}\n", or_none(container_ports));
        }
        let host_ports = port_list("hostPort");
        if host_ports.contains(',') {
            wr!(w, 2, "Host Ports:\t{host_ports}\n");
        } else {
            wr!(w, 2, "Host Port:\t{}\n", or_none(host_ports));
        }
        let seccomp = at(container, "securityContext.seccompProfile");
        if !seccomp.is_null() {
            let kind = text(seccomp, "type");
            wr!(w, 2, "SeccompProfile:\t{kind}\n");
            if kind == "Localhost" {
                wr!(
                    w,
                    3,
                    "LocalhostProfile:\t{}\n",
                    text(seccomp, "localhostProfile")
                );
            }
        }
        for (field, title) in [("command", "Command"), ("args", "Args")] {
            let words = strings(container, field);
            if !words.is_empty() {
                wr!(w, 2, "{title}:\n");
                for word in &words {
                    for line in word.split('\n') {
                        wr!(w, 3, "{line}\n");
                    }
                }
            }
        }
        if let Some(status) = status {
            describe_container_state(w, "State", &status["state"]);
            if present(status, "lastState.terminated") {
                describe_container_state(w, "Last State", &status["lastState"]);
            }
            wr!(
                w,
                2,
                "Ready:\t{}\n",
                go_bool_title(boolean_at(status, "ready"))
            );
            wr!(w, 2, "Restart Count:\t{}\n", int(status, "restartCount"));
        }
        describe_resources(w, &container["resources"], 2);
        for (field, title) in [
            ("livenessProbe", "Liveness"),
            ("readinessProbe", "Readiness"),
            ("startupProbe", "Startup"),
        ] {
            if present(container, field) {
                wr!(w, 2, "{title}:\t{}\n", describe_probe(&container[field]));
            }
        }
        let env_from = items(container, "envFrom");
        if !env_from.is_empty() {
            w.write(2, "Environment Variables from:\n");
            for source in env_from {
                let (from, reference) = if present(source, "configMapRef") {
                    ("ConfigMap", &source["configMapRef"])
                } else if present(source, "secretRef") {
                    ("Secret", &source["secretRef"])
                } else {
                    ("", &Value::Null)
                };
                let optional = boolean_at(reference, "optional");
                let name = text(reference, "name");
                let prefix = text(source, "prefix");
                if prefix.is_empty() {
                    wr!(w, 3, "{name}\t{from}\tOptional: {optional}\n");
                } else {
                    wr!(
                        w,
                        3,
                        "{name}\t{from} with prefix '{prefix}'\tOptional: {optional}\n"
                    );
                }
            }
        }
        describe_env(w, container, resolver);
        describe_mounts(w, container);
    }
}

fn describe_container_state(w: &mut Writer, title: &str, state: &Value) {
    if present(state, "running") {
        wr!(w, 2, "{title}:\tRunning\n");
        wr!(
            w,
            3,
            "Started:\t{}\n",
            rfc1123z(&text(state, "running.startedAt"))
        );
    } else if present(state, "waiting") {
        wr!(w, 2, "{title}:\tWaiting\n");
        let reason = text(state, "waiting.reason");
        if !reason.is_empty() {
            wr!(w, 3, "Reason:\t{reason}\n");
        }
    } else if present(state, "terminated") {
        let t = &state["terminated"];
        wr!(w, 2, "{title}:\tTerminated\n");
        let reason = text(t, "reason");
        if !reason.is_empty() {
            wr!(w, 3, "Reason:\t{reason}\n");
        }
        let message = text(t, "message");
        if !message.is_empty() {
            wr!(w, 3, "Message:\t{message}\n");
        }
        wr!(w, 3, "Exit Code:\t{}\n", int(t, "exitCode"));
        if int(t, "signal") > 0 {
            wr!(w, 3, "Signal:\t{}\n", int(t, "signal"));
        }
        wr!(w, 3, "Started:\t{}\n", rfc1123z(&text(t, "startedAt")));
        wr!(w, 3, "Finished:\t{}\n", rfc1123z(&text(t, "finishedAt")));
    } else {
        wr!(w, 2, "{title}:\tWaiting\n");
    }
}

/// `Limits:` and `Requests:`, one resource per line, sorted by name.
fn describe_resources(w: &mut Writer, resources: &Value, level: usize) {
    for (field, title) in [("limits", "Limits"), ("requests", "Requests")] {
        let mut entries: Vec<(&String, &Value)> = resources[field]
            .as_object()
            .map(|m| m.iter().collect())
            .unwrap_or_default();
        if entries.is_empty() {
            continue;
        }
        entries.sort_stable_by(|a, b| a.0.cmp(b.0));
        wr!(w, level, "{title}:\n");
        for (name, q) in entries {
            wr!(w, level + 1, "{name}:\t{}\n", quantity(q));
        }
    }
}

/// `DescribeProbe`: `http-get http://:8080/healthz delay=0s timeout=1s period=10s …`.
fn describe_probe(probe: &Value) -> String {
    let attrs = format!(
        "delay={}s timeout={}s period={}s successThreshold={} failureThreshold={}",
        int(probe, "initialDelaySeconds"),
        int(probe, "timeoutSeconds"),
        int(probe, "periodSeconds"),
        int(probe, "successThreshold"),
        int(probe, "failureThreshold")
    );
    if present(probe, "exec") {
        format!("exec {} {attrs}", go_list(&strings(probe, "exec.command")))
    } else if present(probe, "httpGet") {
        let get = &probe["httpGet"];
        let scheme = text(get, "scheme").to_lowercase();
        let host = text(get, "host");
        let port = text(get, "port");
        let host_port = if port.is_empty() {
            host
        } else if host.contains(':') {
            format!("[{host}]:{port}")
        } else {
            format!("{host}:{port}")
        };
        let path = text(get, "path");
        let url = if scheme.is_empty() {
            format!("//{host_port}{path}")
        } else {
            format!("{scheme}://{host_port}{path}")
        };
        format!("http-get {url} {attrs}")
    } else if present(probe, "tcpSocket") {
        format!(
            "tcp-socket {}:{} {attrs}",
            text(probe, "tcpSocket.host"),
            text(probe, "tcpSocket.port")
        )
    } else if present(probe, "grpc") {
        format!(
            "grpc <pod>:{} {} {attrs}",
            int(probe, "grpc.port"),
            text(probe, "grpc.service")
        )
    } else {
        format!("unknown {attrs}")
    }
}

fn describe_env(w: &mut Writer, container: &Value, resolver: &Resolver) {
    let env = items(container, "env");
    if env.is_empty() {
        w.write(2, "Environment:\t<none>\n");
        return;
    }
    w.write(2, "Environment:\n");
    for e in env {
        let name = text(e, "name");
        let from = &e["valueFrom"];
        if from.is_null() {
            for (i, line) in text(e, "value").split('\n').enumerate() {
                if i == 0 {
                    wr!(w, 3, "{name}:\t{line}\n");
                } else {
                    wr!(w, 3, "\t{line}\n");
                }
            }
        } else if present(from, "fieldRef") {
            let path = text(from, "fieldRef.fieldPath");
            wr!(
                w,
                3,
                "{name}:\t{} ({}:{path})\n",
                resolver.field_ref(&path),
                text(from, "fieldRef.apiVersion")
            );
        } else if present(from, "resourceFieldRef") {
            let resource = text(from, "resourceFieldRef.resource");
            let mut value = container_resource_value(container, &from["resourceFieldRef"]);
            if value == "0" && (resource == "limits.cpu" || resource == "limits.memory") {
                value = "node allocatable".to_string();
            }
            wr!(w, 3, "{name}:\t{value} ({resource})\n");
        } else if present(from, "secretKeyRef") {
            let r = &from["secretKeyRef"];
            wr!(
                w,
                3,
                "{name}:\t<set to the key '{}' in secret '{}'>\tOptional: {}\n",
                text(r, "key"),
                text(r, "name"),
                boolean_at(r, "optional")
            );
        } else if present(from, "configMapKeyRef") {
            let r = &from["configMapKeyRef"];
            wr!(
                w,
                3,
                "{name}:\t<set to the key '{}' of config map '{}'>\tOptional: {}\n",
                text(r, "key"),
                text(r, "name"),
                boolean_at(r, "optional")
            );
        }
    }
}

/// The value a `resourceFieldRef` exposes: the container's request or limit divided by the
/// divisor, rounded up.
fn container_resource_value(container: &Value, field: &Value) -> String {
    let resource = text(field, "resource");
    let divisor = Quantity::parse(&text(field, "divisor"))
        .ok()
        .filter(|d| !d.is_zero())
        .unwrap_or_else(|| Quantity::from_units(1, model::quantity::Format::DecimalSI));
    let Some((kind, name)) = resource.split_once('.') else {
        return String::new();
    };
    let Some(section) = (match kind {
        "limits" => Some("limits"),
        "requests" => Some("requests"),
        _ => None,
    }) else {
        return String::new();
    };
    let amount = Quantity::parse(&text(&container["resources"][section], name))
        .unwrap_or_else(|_| Quantity::zero());
    let ceil_div = |a: i128, b: i128| {
        if b == 0 {
            0
        } else {
            (a + b - 1).div_euclid(b)
        }
    };
    match name {
        "cpu" => ceil_div(amount.milli_value(), divisor.milli_value()).to_string(),
        "memory" | "ephemeral-storage" => ceil_div(amount.value(), divisor.value()).to_string(),
        n if n.starts_with("hugepages-") => ceil_div(amount.value(), divisor.value()).to_string(),
        _ => String::new(),
    }
}

fn describe_mounts(w: &mut Writer, container: &Value) {
    let mut mounts: Vec<&Value> = items(container, "volumeMounts").iter().collect();
    // kubectl reuses the mounts' `<none>` for the devices heading.
    let none = if mounts.is_empty() { "\t<none>" } else { "" };
    wr!(w, 2, "Mounts:{none}\n");
    mounts.sort_stable_by_key(|m| text(m, "mountPath"));
    for mount in mounts {
        let mut flags = vec![if boolean_at(mount, "readOnly") {
            "ro".to_string()
        } else {
            "rw".to_string()
        }];
        let sub_path = text(mount, "subPath");
        if !sub_path.is_empty() {
            flags.push(format!("path={}", go_quote(&sub_path)));
        }
        wr!(
            w,
            3,
            "{} from {} ({})\n",
            text(mount, "mountPath"),
            text(mount, "name"),
            flags.join(",")
        );
    }
    let mut devices: Vec<&Value> = items(container, "volumeDevices").iter().collect();
    if !devices.is_empty() {
        wr!(w, 2, "Devices:{none}\n");
        devices.sort_stable_by_key(|d| text(d, "devicePath"));
        for device in devices {
            wr!(
                w,
                3,
                "{} from {}\n",
                text(device, "devicePath"),
                text(device, "name")
            );
        }
    }
}

fn tolerations_multiline(w: &mut Writer, initial_indent: &str, title: &str, tolerations: &[Value]) {
    wr!(w, 0, "{initial_indent}{title}:\t");
    if tolerations.is_empty() {
        w.line("<none>");
        return;
    }
    let mut sorted: Vec<&Value> = tolerations.iter().collect();
    sorted.sort_stable_by_key(|t| text(t, "key"));
    for (i, t) in sorted.into_iter().enumerate() {
        if i != 0 {
            wr!(w, 0, "{initial_indent}");
            w.write(0, "\t");
        }
        let key = text(t, "key");
        let value = text(t, "value");
        let effect = text(t, "effect");
        let mut s = key.clone();
        if !value.is_empty() {
            s.push('=');
            s.push_str(&value);
        }
        if !effect.is_empty() {
            s.push(':');
            s.push_str(&effect);
        }
        if text(t, "operator") == "Exists" && value.is_empty() {
            if !key.is_empty() || !effect.is_empty() {
                s.push_str(" op=Exists");
            } else {
                s.push_str("op=Exists");
            }
        }
        if present(t, "tolerationSeconds") {
            s.push_str(&format!(" for {}s", int(t, "tolerationSeconds")));
        }
        wr!(w, 0, "{s}\n");
    }
}

fn describe_topology_spread(w: &mut Writer, constraints: &[Value], space: &str) {
    if constraints.is_empty() {
        return;
    }
    let mut sorted: Vec<&Value> = constraints.iter().collect();
    sorted.sort_stable_by_key(|c| text(c, "topologyKey"));
    wr!(w, 0, "{space}Topology Spread Constraints:\t");
    for (i, c) in sorted.into_iter().enumerate() {
        if i != 0 {
            wr!(w, 0, "{space}");
            w.write(0, "\t");
        }
        let mut s = format!(
            "{}:{} when max skew {} is exceeded",
            text(c, "topologyKey"),
            text(c, "whenUnsatisfiable"),
            int(c, "maxSkew")
        );
        if present(c, "labelSelector") {
            s.push_str(&format!(
                " for selector {}",
                format_label_selector(&c["labelSelector"])
            ));
        }
        wr!(w, 0, "{s}\n");
    }
}

fn describe_volumes(w: &mut Writer, volumes: &[Value], space: &str) {
    if volumes.is_empty() {
        wr!(w, 0, "{space}Volumes:\t<none>\n");
        return;
    }
    wr!(w, 0, "{space}Volumes:\n");
    let name_indent = if space.is_empty() { "" } else { " " };
    for volume in volumes {
        wr!(w, 1, "{name_indent}{}:\n", text(volume, "name"));
        describe_volume_source(w, volume);
    }
}

fn describe_volume_source(w: &mut Writer, source: &Value) {
    if present(source, "hostPath") {
        describe_host_path(w, &source["hostPath"]);
    } else if present(source, "emptyDir") {
        let e = &source["emptyDir"];
        let size = Quantity::parse(&text(e, "sizeLimit"))
            .ok()
            .filter(|q| q.signum() > 0)
            .map(|q| q.to_string())
            .unwrap_or_else(|| "<unset>".to_string());
        wr!(
            w,
            2,
            "Type:\tEmptyDir (a temporary directory that shares a pod's lifetime)\n    Medium:\t{}\n    SizeLimit:\t{size}\n",
            text(e, "medium")
        );
    } else if present(source, "secret") {
        let s = &source["secret"];
        wr!(
            w,
            2,
            "Type:\tSecret (a volume populated by a Secret)\n    SecretName:\t{}\n    Optional:\t{}\n",
            text(s, "secretName"),
            boolean_at(s, "optional")
        );
    } else if present(source, "configMap") {
        let c = &source["configMap"];
        wr!(
            w,
            2,
            "Type:\tConfigMap (a volume populated by a ConfigMap)\n    Name:\t{}\n    Optional:\t{}\n",
            text(c, "name"),
            boolean_at(c, "optional")
        );
    } else if present(source, "nfs") {
        describe_nfs(w, &source["nfs"]);
    } else if present(source, "persistentVolumeClaim") {
        let c = &source["persistentVolumeClaim"];
        wr!(
            w,
            2,
            "Type:\tPersistentVolumeClaim (a reference to a PersistentVolumeClaim in the same namespace)\n    ClaimName:\t{}\n    ReadOnly:\t{}\n",
            text(c, "claimName"),
            boolean_at(c, "readOnly")
        );
    } else if present(source, "ephemeral") {
        w.write(
            2,
            "Type:\tEphemeralVolume (an inline specification for a volume that gets created and deleted with the pod)\n",
        );
        let template = &source["ephemeral"]["volumeClaimTemplate"];
        if !template.is_null() {
            w.indent += 2;
            let claim = serde_json::json!({
                "metadata": template.get("metadata").cloned().unwrap_or(Value::Null),
                "spec": template.get("spec").cloned().unwrap_or(Value::Null),
            });
            print_persistent_volume_claim(w, &claim, false, None);
            w.indent -= 2;
        }
    } else if present(source, "downwardAPI") {
        w.write(
            2,
            "Type:\tDownwardAPI (a volume populated by information about the pod)\n    Items:\n",
        );
        for item in items(source, "downwardAPI.items") {
            let path = text(item, "path");
            if present(item, "fieldRef") {
                wr!(w, 3, "{} -> {path}\n", text(item, "fieldRef.fieldPath"));
            }
            if present(item, "resourceFieldRef") {
                wr!(
                    w,
                    3,
                    "{} -> {path}\n",
                    text(item, "resourceFieldRef.resource")
                );
            }
        }
    } else if present(source, "projected") {
        w.write(
            2,
            "Type:\tProjected (a volume that contains injected data from multiple sources)\n",
        );
        for s in items(source, "projected.sources") {
            if present(s, "secret") {
                wr!(
                    w,
                    2,
                    "SecretName:\t{}\n    Optional:\t{}\n",
                    text(s, "secret.name"),
                    boolean_at(s, "secret.optional")
                );
            } else if present(s, "downwardAPI") {
                w.write(2, "DownwardAPI:\ttrue\n");
            } else if present(s, "configMap") {
                wr!(
                    w,
                    2,
                    "ConfigMapName:\t{}\n    Optional:\t{}\n",
                    text(s, "configMap.name"),
                    boolean_at(s, "configMap.optional")
                );
            } else if present(s, "serviceAccountToken") {
                wr!(
                    w,
                    2,
                    "TokenExpirationSeconds:\t{}\n",
                    int(s, "serviceAccountToken.expirationSeconds")
                );
            }
        }
    } else if present(source, "csi") {
        let c = &source["csi"];
        wr!(
            w,
            2,
            "Type:\tCSI (a Container Storage Interface (CSI) volume source)\n    Driver:\t{}\n    FSType:\t{}\n    ReadOnly:\t{}\n",
            text(c, "driver"),
            text(c, "fsType"),
            boolean_at(c, "readOnly")
        );
        csi_attributes(w, &c["volumeAttributes"]);
    } else if present(source, "image") {
        wr!(
            w,
            2,
            "Type:\tImage (a container image or OCI artifact)\n    Reference:\t{}\n    PullPolicy:\t{}\n",
            text(source, "image.reference"),
            text(source, "image.pullPolicy")
        );
    } else {
        w.write(1, "<unknown>\n");
    }
}

fn describe_host_path(w: &mut Writer, host_path: &Value) {
    let kind = match at(host_path, "type") {
        Value::Null => "<none>".to_string(),
        v => scalar(v),
    };
    wr!(
        w,
        2,
        "Type:\tHostPath (bare host directory volume)\n    Path:\t{}\n    HostPathType:\t{kind}\n",
        text(host_path, "path")
    );
}

fn describe_nfs(w: &mut Writer, nfs: &Value) {
    wr!(
        w,
        2,
        "Type:\tNFS (an NFS mount that lasts the lifetime of a pod)\n    Server:\t{}\n    Path:\t{}\n    ReadOnly:\t{}\n",
        text(nfs, "server"),
        text(nfs, "path"),
        boolean_at(nfs, "readOnly")
    );
}

fn csi_attributes(w: &mut Writer, attributes: &Value) {
    w.write(2, "VolumeAttributes:\t");
    let entries = string_map(attributes);
    if entries.is_empty() {
        w.line("<none>");
        return;
    }
    for (i, (k, v)) in entries.iter().enumerate() {
        if i != 0 {
            w.write(2, "");
            w.write(2, "\t");
        }
        let line = format!("{k}={v}");
        if line.len() > MAX_ANNOTATION_LEN {
            wr!(w, 2, "{}\n", shorten(&line, MAX_ANNOTATION_LEN));
        } else {
            wr!(w, 2, "{line}\n");
        }
    }
}

fn describe_pod_template(w: &mut Writer, template: &Value) {
    w.write(0, "Pod Template:\n");
    let spec = &template["spec"];
    labels_multiline(w, "", "  Labels", at(template, "metadata.labels"));
    if !string_map(at(template, "metadata.annotations")).is_empty() {
        annotations_multiline(w, "  Annotations", at(template, "metadata.annotations"));
    }
    let service_account = text(spec, "serviceAccountName");
    if !service_account.is_empty() {
        wr!(w, 1, "Service Account:\t{service_account}\n");
    }
    if !items(spec, "initContainers").is_empty() {
        describe_containers(
            w,
            "Init Containers",
            items(spec, "initContainers"),
            None,
            &Resolver::None,
            "  ",
        );
    }
    describe_containers(
        w,
        "Containers",
        items(spec, "containers"),
        None,
        &Resolver::None,
        "  ",
    );
    describe_volumes(w, items(spec, "volumes"), "  ");
    describe_topology_spread(w, items(spec, "topologySpreadConstraints"), "  ");
    let priority_class = text(spec, "priorityClassName");
    if !priority_class.is_empty() {
        wr!(w, 1, "Priority Class Name:\t{priority_class}\n");
    }
    labels_multiline(w, "", "  Node-Selectors", &spec["nodeSelector"]);
    tolerations_multiline(w, "", "  Tolerations", items(spec, "tolerations"));
}

// ---------------------------------------------------------------------------------------------
// Workloads.

fn conditions_table(w: &mut Writer, conditions: &[Value]) {
    if conditions.is_empty() {
        return;
    }
    w.write(0, "Conditions:\n  Type\tStatus\tReason\n");
    w.write(1, "----\t------\t------\n");
    for c in conditions {
        wr!(
            w,
            1,
            "{} \t{}\t{}\n",
            text(c, "type"),
            text(c, "status"),
            text(c, "reason")
        );
    }
}

fn describe_deployment(w: &mut Writer, d: &Value, events: Option<&[Value]>, ctx: &Context) {
    let selector = selector_string(at(d, "spec.selector")).unwrap_or_default();
    name_namespace(w, d);
    wr!(
        w,
        0,
        "CreationTimestamp:\t{}\n",
        rfc1123z(&text(d, "metadata.creationTimestamp"))
    );
    metadata_block(w, d);
    wr!(w, 0, "Selector:\t{selector}\n");
    wr!(
        w,
        0,
        "Replicas:\t{} desired | {} updated | {} total | {} available | {} unavailable\n",
        int(d, "spec.replicas"),
        int(d, "status.updatedReplicas"),
        int(d, "status.replicas"),
        int(d, "status.availableReplicas"),
        int(d, "status.unavailableReplicas")
    );
    wr!(w, 0, "StrategyType:\t{}\n", text(d, "spec.strategy.type"));
    wr!(
        w,
        0,
        "MinReadySeconds:\t{}\n",
        int(d, "spec.minReadySeconds")
    );
    if present(d, "spec.strategy.rollingUpdate") {
        let ru = at(d, "spec.strategy.rollingUpdate");
        wr!(
            w,
            0,
            "RollingUpdateStrategy:\t{} max unavailable, {} max surge\n",
            int_or_string(&ru["maxUnavailable"]),
            int_or_string(&ru["maxSurge"])
        );
    }
    describe_pod_template(w, at(d, "spec.template"));
    conditions_table(w, items(d, "status.conditions"));
    let (old, new) = deployment_replica_sets(ctx, d);
    if !old.is_empty() || new.is_some() {
        let describe = |sets: &[&Value]| {
            or_none(
                sets.iter()
                    .map(|rs| {
                        format!(
                            "{} ({}/{} replicas created)",
                            text(rs, "metadata.name"),
                            int(rs, "status.replicas"),
                            int(rs, "spec.replicas")
                        )
                    })
                    .collect::<Vec<_>>()
                    .join(", "),
            )
        };
        let old: Vec<&Value> = old.iter().collect();
        let new: Vec<&Value> = new.iter().collect();
        wr!(w, 0, "OldReplicaSets:\t{}\n", describe(&old));
        wr!(w, 0, "NewReplicaSet:\t{}\n", describe(&new));
    }
    events_section(w, events, ctx);
}

/// The Deployment's ReplicaSets (selected by its selector and controlled by it): the old ones and
/// the one whose template matches the Deployment's (ignoring `pod-template-hash`).
fn deployment_replica_sets(ctx: &Context, d: &Value) -> (Vec<Value>, Option<Value>) {
    let Some(resource) = model::registry::resolve("replicasets") else {
        return (Vec::new(), None);
    };
    let namespace = text(d, "metadata.namespace");
    let uid = text(d, "metadata.uid");
    let selector = label_selector_of(d, "spec.selector");
    let mut sets: Vec<Value> = ctx
        .cluster
        .list(resource, Some(&namespace))
        .iter()
        .filter(|rs| selector.matches(rs.metadata().labels.as_ref()))
        .map(|rs| rs.to_json_value())
        .filter(|rs| controller_of(rs).is_some_and(|owner| text(owner, "uid") == uid))
        .collect();
    sets.sort_stable_by_key(|rs| {
        (
            text(rs, "metadata.creationTimestamp")
                .parse::<model::k8s_openapi::jiff::Timestamp>()
                .map(|t| t.as_millisecond())
                .unwrap_or(i64::MIN),
            text(rs, "metadata.name"),
        )
    });
    let without_hash = |template: &Value| {
        let mut template = template.clone();
        if let Some(labels) = template
            .get_mut("metadata")
            .and_then(|m| m.get_mut("labels"))
            .and_then(Value::as_object_mut)
        {
            labels.remove("pod-template-hash");
            if labels.is_empty() {
                if let Some(metadata) = template.get_mut("metadata").and_then(Value::as_object_mut)
                {
                    metadata.remove("labels");
                }
            }
        }
        template
    };
    let wanted = without_hash(at(d, "spec.template"));
    let new_index = sets
        .iter()
        .position(|rs| without_hash(at(rs, "spec.template")) == wanted);
    let new = new_index.map(|i| sets.remove(i));
    (sets, new)
}

fn describe_replica_set(w: &mut Writer, rs: &Value, events: Option<&[Value]>, ctx: &Context) {
    name_namespace(w, rs);
    wr!(
        w,
        0,
        "Selector:\t{}\n",
        format_label_selector(at(rs, "spec.selector"))
    );
    metadata_block(w, rs);
    controlled_by(w, rs);
    wr!(
        w,
        0,
        "Replicas:\t{} current / {} desired\n",
        int(rs, "status.replicas"),
        int(rs, "spec.replicas")
    );
    let (running, waiting, succeeded, failed) =
        pod_phase_counts(ctx, rs, &label_selector_of(rs, "spec.selector"));
    w.write(0, "Pods Status:\t");
    wr!(
        w,
        0,
        "{running} Running / {waiting} Waiting / {succeeded} Succeeded / {failed} Failed\n"
    );
    describe_pod_template(w, at(rs, "spec.template"));
    conditions_table(w, items(rs, "status.conditions"));
    events_section(w, events, ctx);
}

fn describe_replication_controller(
    w: &mut Writer,
    rc: &Value,
    events: Option<&[Value]>,
    ctx: &Context,
) {
    name_namespace(w, rc);
    wr!(
        w,
        0,
        "Selector:\t{}\n",
        format_labels(at(rc, "spec.selector"))
    );
    metadata_block(w, rc);
    wr!(
        w,
        0,
        "Replicas:\t{} current / {} desired\n",
        int(rc, "status.replicas"),
        int(rc, "spec.replicas")
    );
    let selector = Selector::from_map(&string_map(at(rc, "spec.selector")).into_iter().collect());
    let (running, waiting, succeeded, failed) = pod_phase_counts(ctx, rc, &selector);
    wr!(
        w,
        0,
        "Pods Status:\t{running} Running / {waiting} Waiting / {succeeded} Succeeded / {failed} Failed\n"
    );
    describe_pod_template(w, at(rc, "spec.template"));
    conditions_table(w, items(rc, "status.conditions"));
    events_section(w, events, ctx);
}

fn describe_daemon_set(w: &mut Writer, ds: &Value, events: Option<&[Value]>, ctx: &Context) {
    name_namespace(w, ds);
    wr!(
        w,
        0,
        "Selector:\t{}\n",
        selector_string(at(ds, "spec.selector")).unwrap_or_default()
    );
    wr!(
        w,
        0,
        "Node-Selector:\t{}\n",
        format_labels(at(ds, "spec.template.spec.nodeSelector"))
    );
    metadata_block(w, ds);
    let status = &ds["status"];
    wr!(
        w,
        0,
        "Desired Number of Nodes Scheduled: {}\n",
        int(status, "desiredNumberScheduled")
    );
    wr!(
        w,
        0,
        "Current Number of Nodes Scheduled: {}\n",
        int(status, "currentNumberScheduled")
    );
    wr!(
        w,
        0,
        "Number of Nodes Scheduled with Up-to-date Pods: {}\n",
        int(status, "updatedNumberScheduled")
    );
    wr!(
        w,
        0,
        "Number of Nodes Scheduled with Available Pods: {}\n",
        int(status, "numberAvailable")
    );
    wr!(
        w,
        0,
        "Number of Nodes Misscheduled: {}\n",
        int(status, "numberMisscheduled")
    );
    let (running, waiting, succeeded, failed) =
        pod_phase_counts(ctx, ds, &label_selector_of(ds, "spec.selector"));
    wr!(
        w,
        0,
        "Pods Status:\t{running} Running / {waiting} Waiting / {succeeded} Succeeded / {failed} Failed\n"
    );
    describe_pod_template(w, at(ds, "spec.template"));
    events_section(w, events, ctx);
}

fn describe_stateful_set(w: &mut Writer, ss: &Value, events: Option<&[Value]>, ctx: &Context) {
    name_namespace(w, ss);
    wr!(
        w,
        0,
        "CreationTimestamp:\t{}\n",
        rfc1123z(&text(ss, "metadata.creationTimestamp"))
    );
    wr!(
        w,
        0,
        "Selector:\t{}\n",
        selector_string(at(ss, "spec.selector")).unwrap_or_default()
    );
    metadata_block(w, ss);
    let service_name = text(ss, "spec.serviceName");
    if !service_name.is_empty() {
        wr!(w, 0, "Service Name:\t{service_name}\n");
    }
    let policy = text(ss, "spec.podManagementPolicy");
    if !policy.is_empty() {
        wr!(w, 0, "Pod Management Policy:\t{policy}\n");
    }
    wr!(
        w,
        0,
        "Replicas:\t{} desired | {} total\n",
        int(ss, "spec.replicas"),
        int(ss, "status.replicas")
    );
    wr!(
        w,
        0,
        "Update Strategy:\t{}\n",
        text(ss, "spec.updateStrategy.type")
    );
    let rolling = at(ss, "spec.updateStrategy.rollingUpdate");
    if !rolling.is_null() && present(rolling, "partition") {
        wr!(w, 1, "Partition:\t{}\n", int(rolling, "partition"));
        if present(rolling, "maxUnavailable") {
            wr!(
                w,
                1,
                "MaxUnavailable:\t{}\n",
                int_or_string(&rolling["maxUnavailable"])
            );
        }
    }
    let retention = at(ss, "spec.persistentVolumeClaimRetentionPolicy");
    if !retention.is_null() {
        w.write(0, "Persistent Volume Claim Retention Policy:\n");
        wr!(w, 1, "WhenDeleted:\t{}\n", text(retention, "whenDeleted"));
        wr!(w, 1, "WhenScaled:\t{}\n", text(retention, "whenScaled"));
    }
    let (running, waiting, succeeded, failed) =
        pod_phase_counts(ctx, ss, &label_selector_of(ss, "spec.selector"));
    wr!(
        w,
        0,
        "Pods Status:\t{running} Running / {waiting} Waiting / {succeeded} Succeeded / {failed} Failed\n"
    );
    describe_pod_template(w, at(ss, "spec.template"));
    let templates = items(ss, "spec.volumeClaimTemplates");
    if templates.is_empty() {
        w.write(0, "Volume Claims:\t<none>\n");
    } else {
        w.write(0, "Volume Claims:\n");
        for pvc in templates {
            wr!(w, 1, "Name:\t{}\n", text(pvc, "metadata.name"));
            wr!(w, 1, "StorageClass:\t{}\n", claim_class(pvc));
            labels_multiline(w, "  ", "Labels", at(pvc, "metadata.labels"));
            labels_multiline(w, "  ", "Annotations", at(pvc, "metadata.annotations"));
            let capacity = at(pvc, "spec.resources.requests.storage");
            if capacity.is_null() {
                w.write(1, "Capacity:\t<default>\n");
            } else {
                wr!(w, 1, "Capacity:\t{}\n", quantity(capacity));
            }
            wr!(
                w,
                1,
                "Access Modes:\t{}\n",
                go_list(&strings(pvc, "spec.accessModes"))
            );
        }
    }
    events_section(w, events, ctx);
}

fn describe_job(w: &mut Writer, job: &Value, events: Option<&[Value]>, ctx: &Context) {
    let spec = &job["spec"];
    let status = &job["status"];
    name_namespace(w, job);
    match selector_string(&spec["selector"]) {
        Ok(s) => wr!(w, 0, "Selector:\t{s}\n"),
        Err(e) => wr!(w, 0, "Selector:\tFailed to get selector: {e}\n"),
    }
    metadata_block(w, job);
    controlled_by(w, job);
    if present(spec, "parallelism") {
        wr!(w, 0, "Parallelism:\t{}\n", int(spec, "parallelism"));
    }
    if present(spec, "completions") {
        wr!(w, 0, "Completions:\t{}\n", int(spec, "completions"));
    } else {
        w.write(0, "Completions:\t<unset>\n");
    }
    if present(spec, "completionMode") {
        wr!(w, 0, "Completion Mode:\t{}\n", text(spec, "completionMode"));
    }
    if present(spec, "suspend") {
        wr!(w, 0, "Suspend:\t{}\n", boolean_at(spec, "suspend"));
    }
    if present(spec, "backoffLimit") {
        wr!(w, 0, "Backoff Limit:\t{}\n", int(spec, "backoffLimit"));
    }
    if present(spec, "ttlSecondsAfterFinished") {
        wr!(
            w,
            0,
            "TTL Seconds After Finished:\t{}\n",
            int(spec, "ttlSecondsAfterFinished")
        );
    }
    let start = text(status, "startTime");
    let completion = text(status, "completionTime");
    if !start.is_empty() {
        wr!(w, 0, "Start Time:\t{}\n", rfc1123z(&start));
    }
    if !completion.is_empty() {
        wr!(w, 0, "Completed At:\t{}\n", rfc1123z(&completion));
    }
    if !start.is_empty() && !completion.is_empty() {
        let parse = |t: &str| {
            t.parse::<model::k8s_openapi::jiff::Timestamp>()
                .map(|t| t.as_millisecond())
                .unwrap_or(0)
        };
        let millis = (parse(&completion) - parse(&start)).max(0) as u64;
        wr!(
            w,
            0,
            "Duration:\t{}\n",
            crate::table::human_duration(millis)
        );
    }
    if present(spec, "activeDeadlineSeconds") {
        wr!(
            w,
            0,
            "Active Deadline Seconds:\t{}s\n",
            int(spec, "activeDeadlineSeconds")
        );
    }
    if present(status, "ready") {
        wr!(
            w,
            0,
            "Pods Statuses:\t{} Active ({} Ready) / {} Succeeded / {} Failed\n",
            int(status, "active"),
            int(status, "ready"),
            int(status, "succeeded"),
            int(status, "failed")
        );
    } else {
        wr!(
            w,
            0,
            "Pods Statuses:\t{} Active / {} Succeeded / {} Failed\n",
            int(status, "active"),
            int(status, "succeeded"),
            int(status, "failed")
        );
    }
    if text(spec, "completionMode") == "Indexed" {
        wr!(
            w,
            0,
            "Completed Indexes:\t{}\n",
            cap_indexes(&text(status, "completedIndexes"), 50)
        );
    }
    describe_pod_template(w, &spec["template"]);
    events_section(w, events, ctx);
}

fn cap_indexes(indexes: &str, soft_limit: usize) -> String {
    if indexes.is_empty() {
        return "<none>".to_string();
    }
    let bytes = indexes.as_bytes();
    let mut ix = soft_limit;
    while ix < bytes.len() && bytes[ix] != b',' {
        ix += 1;
    }
    if ix >= bytes.len() {
        return indexes.to_string();
    }
    format!("{}...", &indexes[..=ix])
}

fn describe_cron_job(w: &mut Writer, cj: &Value, events: Option<&[Value]>, ctx: &Context) {
    let spec = &cj["spec"];
    name_namespace(w, cj);
    metadata_block(w, cj);
    wr!(w, 0, "Schedule:\t{}\n", text(spec, "schedule"));
    wr!(
        w,
        0,
        "Concurrency Policy:\t{}\n",
        text(spec, "concurrencyPolicy")
    );
    wr!(w, 0, "Suspend:\t{}\n", bool_ptr(&spec["suspend"]));
    let unset_or = |path: &str, suffix: &str| {
        if present(spec, path) {
            format!("{}{suffix}", text(spec, path))
        } else {
            "<unset>".to_string()
        }
    };
    wr!(w, 0, "Time Zone:\t{}\n", unset_or("timeZone", ""));
    wr!(
        w,
        0,
        "Successful Job History Limit:\t{}\n",
        unset_or("successfulJobsHistoryLimit", "")
    );
    wr!(
        w,
        0,
        "Failed Job History Limit:\t{}\n",
        unset_or("failedJobsHistoryLimit", "")
    );
    wr!(
        w,
        0,
        "Starting Deadline Seconds:\t{}\n",
        unset_or("startingDeadlineSeconds", "s")
    );
    let job = &spec["jobTemplate"]["spec"];
    if present(job, "selector") {
        match selector_string(&job["selector"]) {
            Ok(s) => wr!(w, 0, "Selector:\t{s}\n"),
            Err(e) => wr!(w, 0, "Selector:\tFailed to get selector: {e}\n"),
        }
    } else {
        w.write(0, "Selector:\t<unset>\n");
    }
    for (field, title) in [
        ("parallelism", "Parallelism"),
        ("completions", "Completions"),
    ] {
        if present(job, field) {
            wr!(w, 0, "{title}:\t{}\n", int(job, field));
        } else {
            wr!(w, 0, "{title}:\t<unset>\n");
        }
    }
    if present(job, "activeDeadlineSeconds") {
        wr!(
            w,
            0,
            "Active Deadline Seconds:\t{}s\n",
            int(job, "activeDeadlineSeconds")
        );
    }
    describe_pod_template(w, &job["template"]);
    let last = text(cj, "status.lastScheduleTime");
    if last.is_empty() {
        w.write(0, "Last Schedule Time:\t<unset>\n");
    } else {
        wr!(w, 0, "Last Schedule Time:\t{}\n", rfc1123z(&last));
    }
    w.write(0, "Active Jobs:\t");
    let active = items(cj, "status.active");
    if active.is_empty() {
        w.line("<none>");
    } else {
        let names: Vec<String> = active.iter().map(|j| text(j, "name")).collect();
        w.write(0, &names.join(", "));
        w.line("");
    }
    events_section(w, events, ctx);
}

// ---------------------------------------------------------------------------------------------
// Networking.

fn endpoint_slices_for(ctx: &Context, namespace: &str, service: &str) -> Vec<Value> {
    let Some(resource) = model::registry::resolve("endpointslices") else {
        return Vec::new();
    };
    ctx.cluster
        .list(resource, Some(namespace))
        .iter()
        .filter(|s| {
            s.metadata()
                .labels
                .as_ref()
                .and_then(|l| l.get("kubernetes.io/service-name"))
                .is_some_and(|n| n == service)
        })
        .map(|s| s.to_json_value())
        .collect()
}

/// `ip:port` of the ready endpoints serving a port name, at most 3, then `+ N more...`;
/// `<none>` when there are no slices at all.
fn format_endpoint_slices(slices: &[Value], port_name: Option<&str>) -> String {
    if slices.is_empty() {
        return "<none>".to_string();
    }
    const MAX: usize = 3;
    let mut list: Vec<String> = Vec::new();
    let mut more = false;
    let mut count = 0;
    let ready = |e: &Value| e["conditions"]["ready"].as_bool().unwrap_or(true);
    let join_host_port = |host: &str, port: i64| {
        if host.contains(':') {
            format!("[{host}]:{port}")
        } else {
            format!("{host}:{port}")
        }
    };
    for slice in slices {
        let ports = items(slice, "ports");
        let endpoints = items(slice, "endpoints");
        if ports.is_empty() {
            for e in endpoints {
                if list.len() == MAX {
                    more = true;
                }
                if !ready(e) {
                    continue;
                }
                if !more {
                    list.push(strings(e, "addresses").first().cloned().unwrap_or_default());
                }
                count += 1;
            }
        } else {
            for port in ports {
                if port_name.is_some_and(|n| text(port, "name") != n) {
                    continue;
                }
                for e in endpoints {
                    if list.len() == MAX {
                        more = true;
                    }
                    if !ready(e) {
                        continue;
                    }
                    if !more {
                        let address = strings(e, "addresses").first().cloned().unwrap_or_default();
                        list.push(join_host_port(&address, int(port, "port")));
                    }
                    count += 1;
                }
            }
        }
    }
    let joined = list.join(",");
    if more {
        format!("{joined} + {} more...", count - MAX)
    } else {
        joined
    }
}

fn describe_service(w: &mut Writer, svc: &Value, events: Option<&[Value]>, ctx: &Context) {
    let spec = &svc["spec"];
    name_namespace(w, svc);
    metadata_block(w, svc);
    wr!(w, 0, "Selector:\t{}\n", format_labels(&spec["selector"]));
    wr!(w, 0, "Type:\t{}\n", text(spec, "type"));
    if present(spec, "ipFamilyPolicy") {
        wr!(
            w,
            0,
            "IP Family Policy:\t{}\n",
            text(spec, "ipFamilyPolicy")
        );
    }
    wr!(
        w,
        0,
        "IP Families:\t{}\n",
        or_none(strings(spec, "ipFamilies").join(","))
    );
    wr!(w, 0, "IP:\t{}\n", text(spec, "clusterIP"));
    wr!(
        w,
        0,
        "IPs:\t{}\n",
        or_none(strings(spec, "clusterIPs").join(","))
    );
    let external_ips = strings(spec, "externalIPs");
    if !external_ips.is_empty() {
        wr!(w, 0, "External IPs:\t{}\n", external_ips.join(","));
    }
    let lb_ip = text(spec, "loadBalancerIP");
    if !lb_ip.is_empty() {
        wr!(w, 0, "Desired LoadBalancer IP:\t{lb_ip}\n");
    }
    let external_name = text(spec, "externalName");
    if !external_name.is_empty() {
        wr!(w, 0, "External Name:\t{external_name}\n");
    }
    let ingress = items(svc, "status.loadBalancer.ingress");
    if !ingress.is_empty() {
        let list: Vec<String> = ingress
            .iter()
            .map(|i| {
                let ip = text(i, "ip");
                if ip.is_empty() {
                    text(i, "hostname")
                } else if present(i, "ipMode") {
                    format!("{ip} ({})", text(i, "ipMode"))
                } else {
                    ip
                }
            })
            .collect();
        wr!(w, 0, "LoadBalancer Ingress:\t{}\n", list.join(", "));
    }
    let slices = endpoint_slices_for(
        ctx,
        &text(svc, "metadata.namespace"),
        &text(svc, "metadata.name"),
    );
    for port in items(spec, "ports") {
        let port_name = text(port, "name");
        let name = if port_name.is_empty() {
            "<unset>".to_string()
        } else {
            port_name.clone()
        };
        let protocol = text(port, "protocol");
        wr!(w, 0, "Port:\t{name}\t{}/{protocol}\n", int(port, "port"));
        let target = match &port["targetPort"] {
            Value::Null => "0".to_string(),
            v => scalar(v),
        };
        wr!(w, 0, "TargetPort:\t{target}/{protocol}\n");
        if present(port, "appProtocol") {
            wr!(w, 0, "AppProtocol:\t{}\n", text(port, "appProtocol"));
        }
        if int(port, "nodePort") != 0 {
            wr!(
                w,
                0,
                "NodePort:\t{name}\t{}/{protocol}\n",
                int(port, "nodePort")
            );
        }
        wr!(
            w,
            0,
            "Endpoints:\t{}\n",
            format_endpoint_slices(&slices, Some(&port_name))
        );
    }
    wr!(
        w,
        0,
        "Session Affinity:\t{}\n",
        text(spec, "sessionAffinity")
    );
    let external_policy = text(spec, "externalTrafficPolicy");
    if !external_policy.is_empty() {
        wr!(w, 0, "External Traffic Policy:\t{external_policy}\n");
    }
    if present(spec, "internalTrafficPolicy") {
        wr!(
            w,
            0,
            "Internal Traffic Policy:\t{}\n",
            text(spec, "internalTrafficPolicy")
        );
    }
    if int(spec, "healthCheckNodePort") != 0 {
        wr!(
            w,
            0,
            "HealthCheck NodePort:\t{}\n",
            int(spec, "healthCheckNodePort")
        );
    }
    let ranges = strings(spec, "loadBalancerSourceRanges");
    if !ranges.is_empty() {
        wr!(w, 0, "LoadBalancer Source Ranges:\t{}\n", ranges.join(","));
    }
    if present(spec, "trafficDistribution") {
        wr!(
            w,
            0,
            "Traffic Distribution:\t{}\n",
            text(spec, "trafficDistribution")
        );
    }
    events_section(w, events, ctx);
}

fn describe_endpoints(w: &mut Writer, ep: &Value, events: Option<&[Value]>, ctx: &Context) {
    name_namespace(w, ep);
    metadata_block(w, ep);
    w.write(0, "Subsets:\n");
    for subset in items(ep, "subsets") {
        let ips = |field: &str| {
            or_none(
                items(subset, field)
                    .iter()
                    .map(|a| text(a, "ip"))
                    .collect::<Vec<_>>()
                    .join(","),
            )
        };
        wr!(w, 1, "Addresses:\t{}\n", ips("addresses"));
        wr!(w, 1, "NotReadyAddresses:\t{}\n", ips("notReadyAddresses"));
        let ports = items(subset, "ports");
        if !ports.is_empty() {
            w.write(1, "Ports:\n");
            w.write(2, "Name\tPort\tProtocol\n");
            w.write(2, "----\t----\t--------\n");
            for port in ports {
                let name = text(port, "name");
                let name = if name.is_empty() {
                    "<unset>".to_string()
                } else {
                    name
                };
                wr!(
                    w,
                    2,
                    "{name}\t{}\t{}\n",
                    int(port, "port"),
                    text(port, "protocol")
                );
            }
        }
        w.write(0, "\n");
    }
    events_section(w, events, ctx);
}

fn describe_endpoint_slice(w: &mut Writer, eps: &Value, events: Option<&[Value]>, ctx: &Context) {
    name_namespace(w, eps);
    metadata_block(w, eps);
    wr!(w, 0, "AddressType:\t{}\n", text(eps, "addressType"));
    let ports = items(eps, "ports");
    if ports.is_empty() {
        w.write(0, "Ports: <unset>\n");
    } else {
        w.write(0, "Ports:\n");
        w.write(1, "Name\tPort\tProtocol\n");
        w.write(1, "----\t----\t--------\n");
        for port in ports {
            let name = text(port, "name");
            let name = if name.is_empty() {
                "<unset>".to_string()
            } else {
                name
            };
            let number = if present(port, "port") {
                int(port, "port").to_string()
            } else {
                "<unset>".to_string()
            };
            wr!(w, 1, "{name}\t{number}\t{}\n", text(port, "protocol"));
        }
    }
    let endpoints = items(eps, "endpoints");
    if endpoints.is_empty() {
        w.write(0, "Endpoints: <none>\n");
    } else {
        w.write(0, "Endpoints:\n");
        let unset_or = |v: &Value| match v {
            Value::Null => "<unset>".to_string(),
            v => scalar(v),
        };
        for e in endpoints {
            wr!(
                w,
                1,
                "- Addresses:\t{}\n",
                or_none(strings(e, "addresses").join(", "))
            );
            w.write(2, "Conditions:\n");
            wr!(w, 3, "Ready:\t{}\n", unset_or(at(e, "conditions.ready")));
            wr!(w, 2, "Hostname:\t{}\n", unset_or(&e["hostname"]));
            if present(e, "targetRef") {
                wr!(
                    w,
                    2,
                    "TargetRef:\t{}/{}\n",
                    text(e, "targetRef.kind"),
                    text(e, "targetRef.name")
                );
            }
            wr!(w, 2, "NodeName:\t{}\n", unset_or(&e["nodeName"]));
            wr!(w, 2, "Zone:\t{}\n", unset_or(&e["zone"]));
        }
    }
    events_section(w, events, ctx);
}

fn describe_ingress(w: &mut Writer, ing: &Value, events: Option<&[Value]>, ctx: &Context) {
    let namespace = text(ing, "metadata.namespace");
    wr!(w, 0, "Name:\t{}\n", text(ing, "metadata.name"));
    labels_multiline(w, "", "Labels", at(ing, "metadata.labels"));
    wr!(w, 0, "Namespace:\t{namespace}\n");
    let mut addresses: Vec<String> = items(ing, "status.loadBalancer.ingress")
        .iter()
        .map(|i| {
            let ip = text(i, "ip");
            if ip.is_empty() {
                text(i, "hostname")
            } else {
                ip
            }
        })
        .filter(|a| !a.is_empty())
        .collect();
    addresses.sort_stable();
    addresses.dedup();
    wr!(w, 0, "Address:\t{}\n", addresses.join(","));
    let class = match at(ing, "spec.ingressClassName") {
        Value::Null => "<none>".to_string(),
        v => scalar(v),
    };
    wr!(w, 0, "Ingress Class:\t{class}\n");
    let default_backend = match at(ing, "spec.defaultBackend") {
        Value::Null => "<default>".to_string(),
        backend => ingress_backend(ctx, &namespace, backend),
    };
    wr!(w, 0, "Default backend:\t{default_backend}\n");
    let tls = items(ing, "spec.tls");
    if !tls.is_empty() {
        w.write(0, "TLS:\n");
        for t in tls {
            let hosts = strings(t, "hosts").join(",");
            let secret = text(t, "secretName");
            if secret.is_empty() {
                wr!(w, 1, "SNI routes {hosts}\n");
            } else {
                wr!(w, 1, "{secret} terminates {hosts}\n");
            }
        }
    }
    w.write(0, "Rules:\n  Host\tPath\tBackends\n");
    w.write(1, "----\t----\t--------\n");
    let mut count = 0;
    for rule in items(ing, "spec.rules") {
        if !present(rule, "http") {
            continue;
        }
        count += 1;
        let host = text(rule, "host");
        let host = if host.is_empty() {
            "*".to_string()
        } else {
            host
        };
        wr!(w, 1, "{host}\t\n");
        for path in items(rule, "http.paths") {
            wr!(
                w,
                2,
                "\t{} \t{}\n",
                text(path, "path"),
                ingress_backend(ctx, &namespace, &path["backend"])
            );
        }
    }
    if count == 0 {
        wr!(w, 1, "*\t*\t{default_backend}\n");
    }
    annotations_multiline(w, "Annotations", at(ing, "metadata.annotations"));
    events_section(w, events, ctx);
}

/// `svc:80 (10.0.0.1:8080)`, `svc:80 (<error: services "svc" not found>)`, or the resource
/// backend.
fn ingress_backend(ctx: &Context, namespace: &str, backend: &Value) -> String {
    if present(backend, "service") {
        let service = &backend["service"];
        let name = text(service, "name");
        let number = int(service, "port.number");
        let port = if number != 0 {
            number.to_string()
        } else {
            text(service, "port.name")
        };
        let described = format!("{name}:{port}");
        let Some(resource) = model::registry::resolve("services") else {
            return described;
        };
        let svc = match ctx.cluster.get(resource, namespace, &name) {
            Ok(s) => s.to_json_value(),
            Err(e) => return format!("{described} (<error: {}>)", e.message),
        };
        let port_name = text(service, "port.name");
        let mut matched = String::new();
        for sp in items(&svc, "spec.ports") {
            if (number != 0 && number == int(sp, "port"))
                || (!port_name.is_empty() && port_name == text(sp, "name"))
            {
                matched = text(sp, "name");
            }
        }
        let slices = endpoint_slices_for(ctx, namespace, &name);
        return format!(
            "{described} ({})",
            format_endpoint_slices(&slices, Some(&matched))
        );
    }
    if present(backend, "resource") {
        let r = &backend["resource"];
        let group = match &r["apiGroup"] {
            Value::Null => "<none>".to_string(),
            v => scalar(v),
        };
        return format!(
            "APIGroup: {group}, Kind: {}, Name: {}",
            text(r, "kind"),
            text(r, "name")
        );
    }
    String::new()
}

fn describe_ingress_class(w: &mut Writer, ic: &Value, events: Option<&[Value]>, ctx: &Context) {
    wr!(w, 0, "Name:\t{}\n", text(ic, "metadata.name"));
    metadata_block(w, ic);
    wr!(w, 0, "Controller:\t{}\n", text(ic, "spec.controller"));
    let parameters = at(ic, "spec.parameters");
    if !parameters.is_null() {
        w.write(0, "Parameters:\n");
        if present(parameters, "apiGroup") {
            wr!(w, 1, "APIGroup:\t{}\n", text(parameters, "apiGroup"));
        }
        wr!(w, 1, "Kind:\t{}\n", text(parameters, "kind"));
        wr!(w, 1, "Name:\t{}\n", text(parameters, "name"));
    }
    events_section(w, events, ctx);
}

fn describe_network_policy(w: &mut Writer, np: &Value) {
    name_namespace(w, np);
    wr!(
        w,
        0,
        "Created on:\t{}\n",
        go_time_string(&text(np, "metadata.creationTimestamp"))
    );
    metadata_block(w, np);
    let spec = &np["spec"];
    w.write(0, "Spec:\n");
    w.write(1, "PodSelector: ");
    let pod_selector = &spec["podSelector"];
    if string_map(&pod_selector["matchLabels"]).is_empty()
        && items(pod_selector, "matchExpressions").is_empty()
    {
        w.write(
            2,
            "<none> (Allowing the specific traffic to all pods in this namespace)\n",
        );
    } else {
        wr!(w, 2, "{}\n", format_label_selector(pod_selector));
    }
    let types = strings(spec, "policyTypes");
    let indent = "    ";
    for (kind, rules_field, peers_field, peer_title, isolation, unrestricted) in [
        (
            "Ingress",
            "ingress",
            "from",
            "From",
            "<none> (Selected pods are isolated for ingress connectivity)",
            "From: <any> (traffic not restricted by source)",
        ),
        (
            "Egress",
            "egress",
            "to",
            "To",
            "<none> (Selected pods are isolated for egress connectivity)",
            "To: <any> (traffic not restricted by destination)",
        ),
    ] {
        let direction = kind.to_lowercase();
        if !types.iter().any(|t| t == kind) {
            wr!(w, 1, "Not affecting {direction} traffic\n");
            continue;
        }
        wr!(w, 1, "Allowing {direction} traffic:\n");
        let rules = items(spec, rules_field);
        if rules.is_empty() {
            wr!(w, 0, "{indent}{isolation}\n");
            continue;
        }
        for (i, rule) in rules.iter().enumerate() {
            let ports = items(rule, "ports");
            if ports.is_empty() {
                wr!(
                    w,
                    0,
                    "{indent}To Port: <any> (traffic allowed to all ports)\n"
                );
            }
            for port in ports {
                let protocol = match text(port, "protocol") {
                    p if p.is_empty() => "TCP".to_string(),
                    p => p,
                };
                let number = int_or_string(&port["port"]);
                if present(port, "endPort") {
                    wr!(
                        w,
                        0,
                        "{indent}To Port Range: {number}-{}/{protocol}\n",
                        int(port, "endPort")
                    );
                } else {
                    wr!(w, 0, "{indent}To Port: {number}/{protocol}\n");
                }
            }
            let peers = items(rule, peers_field);
            if peers.is_empty() {
                wr!(w, 0, "{indent}{unrestricted}\n");
            }
            for peer in peers {
                wr!(w, 0, "{indent}{peer_title}:\n");
                let pods = &peer["podSelector"];
                let namespaces = &peer["namespaceSelector"];
                if !pods.is_null() && !namespaces.is_null() {
                    wr!(
                        w,
                        1,
                        "{indent}NamespaceSelector: {}\n",
                        format_label_selector(namespaces)
                    );
                    wr!(
                        w,
                        1,
                        "{indent}PodSelector: {}\n",
                        format_label_selector(pods)
                    );
                } else if !pods.is_null() {
                    wr!(
                        w,
                        1,
                        "{indent}PodSelector: {}\n",
                        format_label_selector(pods)
                    );
                } else if !namespaces.is_null() {
                    wr!(
                        w,
                        1,
                        "{indent}NamespaceSelector: {}\n",
                        format_label_selector(namespaces)
                    );
                } else if present(peer, "ipBlock") {
                    wr!(w, 1, "{indent}IPBlock:\n");
                    wr!(w, 2, "{indent}CIDR: {}\n", text(peer, "ipBlock.cidr"));
                    wr!(
                        w,
                        2,
                        "{indent}Except: {}\n",
                        strings(peer, "ipBlock.except").join(", ")
                    );
                }
            }
            if i + 1 != rules.len() {
                wr!(w, 0, "{indent}----------\n");
            }
        }
    }
    wr!(w, 1, "Policy Types: {}\n", or_none(types.join(", ")));
}

// ---------------------------------------------------------------------------------------------
// Configuration.

fn describe_config_map(w: &mut Writer, cm: &Value, events: Option<&[Value]>, ctx: &Context) {
    name_namespace(w, cm);
    metadata_block(w, cm);
    w.write(0, "\nData\n====\n");
    for (key, value) in string_map(&cm["data"]) {
        wr!(w, 0, "{key}:\n----\n");
        wr!(w, 0, "{value}\n");
        w.write(0, "\n");
    }
    w.write(0, "\nBinaryData\n====\n");
    for (key, value) in string_map(&cm["binaryData"]) {
        wr!(w, 0, "{key}: {} bytes\n", base64_len(&value));
    }
    w.write(0, "\n");
    events_section(w, events, ctx);
}

fn describe_secret(w: &mut Writer, secret: &Value) {
    name_namespace(w, secret);
    metadata_block(w, secret);
    let kind = text(secret, "type");
    wr!(w, 0, "\nType:\t{kind}\n");
    w.write(0, "\nData\n====\n");
    for (key, value) in string_map(&secret["data"]) {
        if key == "token" && kind == "kubernetes.io/service-account-token" {
            wr!(
                w,
                0,
                "{key}:\t{}\n",
                String::from_utf8_lossy(&base64_decode(&value))
            );
        } else {
            wr!(w, 0, "{key}:\t{} bytes\n", base64_len(&value));
        }
    }
}

fn describe_service_account(w: &mut Writer, sa: &Value, events: Option<&[Value]>, ctx: &Context) {
    name_namespace(w, sa);
    metadata_block(w, sa);
    let header = "Image pull secrets:";
    let empty_header = " ".repeat(header.len());
    let names: Vec<String> = items(sa, "imagePullSecrets")
        .iter()
        .map(|s| text(s, "name"))
        .collect();
    if names.is_empty() {
        wr!(w, 0, "{header}\t<none>\n");
    } else {
        for (i, name) in names.iter().enumerate() {
            let prefix = if i == 0 { header } else { &empty_header };
            wr!(w, 0, "{prefix}\t{name}\n");
        }
    }
    events_section(w, events, ctx);
}

// ---------------------------------------------------------------------------------------------
// Cluster-scoped and policy objects.

fn describe_namespace(w: &mut Writer, ns: &Value, ctx: &Context) {
    let name = text(ns, "metadata.name");
    wr!(w, 0, "Name:\t{name}\n");
    metadata_block(w, ns);
    wr!(w, 0, "Status:\t{}\n", text(ns, "status.phase"));
    let conditions = items(ns, "status.conditions");
    if !conditions.is_empty() {
        w.write(0, "Conditions:\n");
        w.write(1, "Type\tStatus\tLastTransitionTime\tReason\tMessage\n");
        w.write(1, "----\t------\t------------------\t------\t-------\n");
        for c in conditions {
            wr!(
                w,
                1,
                "{}\t{}\t{}\t{}\t{}\n",
                text(c, "type"),
                text(c, "status"),
                rfc1123z(&text(c, "lastTransitionTime")),
                text(c, "reason"),
                text(c, "message")
            );
        }
    }
    let list = |plural: &str| -> Vec<Value> {
        model::registry::resolve(plural)
            .map(|r| {
                ctx.cluster
                    .list(r, Some(&name))
                    .iter()
                    .map(|o| o.to_json_value())
                    .collect()
            })
            .unwrap_or_default()
    };
    w.write(0, "\n");
    let mut quotas = list("resourcequotas");
    if quotas.is_empty() {
        w.write(0, "No resource quota.\n");
    } else {
        quotas.sort_stable_by_key(|q| text(q, "metadata.name"));
        w.write(0, "Resource Quotas\n");
        for q in &quotas {
            wr!(w, 1, "Name:\t{}\n", text(q, "metadata.name"));
            let mut scopes = strings(q, "spec.scopes");
            if !scopes.is_empty() {
                scopes.sort_stable();
                wr!(w, 1, "Scopes:\t{}\n", scopes.join(", "));
                for scope in &scopes {
                    if let Some(help) = quota_scope_help(scope) {
                        wr!(w, 1, "* {help}\n");
                    }
                }
            }
            w.write(1, "Resource\tUsed\tHard\n");
            w.write(1, "--------\t---\t---\n");
            for (resource, hard) in sorted_entries(at(q, "status.hard")) {
                let used = at(q, "status.used").get(&resource).map(quantity);
                wr!(
                    w,
                    1,
                    "{resource}\t{}\t{}\n",
                    used.unwrap_or_else(|| "0".to_string()),
                    quantity(hard)
                );
            }
        }
    }
    w.write(0, "\n");
    let limit_ranges = list("limitranges");
    if limit_ranges.is_empty() {
        w.write(0, "No LimitRange resource.\n");
    } else {
        w.write(
            0,
            "Resource Limits\n Type\tResource\tMin\tMax\tDefault Request\tDefault Limit\tMax Limit/Request Ratio\n",
        );
        w.write(
            0,
            " ----\t--------\t---\t---\t---------------\t-------------\t-----------------------\n",
        );
        for lr in &limit_ranges {
            limit_range_rows(w, lr, " ");
        }
    }
}

fn sorted_entries(map: &Value) -> Vec<(String, &Value)> {
    let mut entries: Vec<(String, &Value)> = map
        .as_object()
        .map(|m| m.iter().map(|(k, v)| (k.clone(), v)).collect())
        .unwrap_or_default();
    entries.sort_stable_by(|a, b| a.0.cmp(&b.0));
    entries
}

fn quota_scope_help(scope: &str) -> Option<&'static str> {
    Some(match scope {
        "Terminating" => "Matches all pods that have an active deadline. These pods have a limited lifespan on a node before being actively terminated by the system.",
        "NotTerminating" => "Matches all pods that do not have an active deadline. These pods usually include long running pods whose container command is not expected to terminate.",
        "BestEffort" => "Matches all pods that do not have resource requirements set. These pods have a best effort quality of service.",
        "NotBestEffort" => "Matches all pods that have at least one resource requirement set. These pods have a burstable or guaranteed quality of service.",
        _ => return None,
    })
}

/// One row per (limit, resource): min, max, default request, default limit, ratio, `-` if unset.
/// kubectl walks the resources in Go map order; here they are sorted.
fn limit_range_rows(w: &mut Writer, lr: &Value, prefix: &str) {
    for limit in items(lr, "spec.limits") {
        let fields = [
            "min",
            "max",
            "defaultRequest",
            "default",
            "maxLimitRequestRatio",
        ];
        let mut names: Vec<String> = fields
            .iter()
            .flat_map(|f| sorted_entries(&limit[*f]).into_iter().map(|(k, _)| k))
            .collect();
        names.sort_stable();
        names.dedup();
        for name in names {
            let cell = |field: &str| {
                limit[field]
                    .get(&name)
                    .map(quantity)
                    .unwrap_or_else(|| "-".to_string())
            };
            wr!(
                w,
                0,
                "{prefix}{}\t{name}\t{}\t{}\t{}\t{}\t{}\n",
                text(limit, "type"),
                cell("min"),
                cell("max"),
                cell("defaultRequest"),
                cell("default"),
                cell("maxLimitRequestRatio")
            );
        }
    }
}

fn describe_limit_range(w: &mut Writer, lr: &Value) {
    name_namespace(w, lr);
    w.write(
        0,
        "Type\tResource\tMin\tMax\tDefault Request\tDefault Limit\tMax Limit/Request Ratio\n",
    );
    w.write(
        0,
        "----\t--------\t---\t---\t---------------\t-------------\t-----------------------\n",
    );
    limit_range_rows(w, lr, "");
}

fn describe_resource_quota(w: &mut Writer, q: &Value) {
    name_namespace(w, q);
    let mut scopes = strings(q, "spec.scopes");
    if !scopes.is_empty() {
        scopes.sort_stable();
        wr!(w, 0, "Scopes:\t{}\n", scopes.join(", "));
        for scope in &scopes {
            if let Some(help) = quota_scope_help(scope) {
                wr!(w, 0, " * {help}\n");
            }
        }
    }
    w.write(0, "Resource\tUsed\tHard\n");
    w.write(0, "--------\t----\t----\n");
    for (resource, hard) in sorted_entries(at(q, "status.hard")) {
        let hard_q = Quantity::parse(scalar(hard).trim()).unwrap_or_else(|_| Quantity::zero());
        let used_q = at(q, "status.used")
            .get(&resource)
            .and_then(|u| Quantity::parse(scalar(u).trim()).ok())
            .unwrap_or_else(Quantity::zero);
        let used = if used_q.format() != hard_q.format() {
            let units = i64::try_from(used_q.value()).unwrap_or(i64::MAX);
            Quantity::from_units(units, hard_q.format()).to_string()
        } else {
            used_q.to_string()
        };
        wr!(w, 0, "{resource}\t{used}\t{hard_q}\n");
    }
}

fn claim_class(pvc: &Value) -> String {
    let annotations = at(pvc, "metadata.annotations");
    if let Some(class) = annotations.get("volume.beta.kubernetes.io/storage-class") {
        return scalar(class);
    }
    text(pvc, "spec.storageClassName")
}

/// `RWO,ROX,RWX,RWOP` (only those present).
fn access_modes(modes: &[String]) -> String {
    [
        ("ReadWriteOnce", "RWO"),
        ("ReadOnlyMany", "ROX"),
        ("ReadWriteMany", "RWX"),
        ("ReadWriteOncePod", "RWOP"),
    ]
    .iter()
    .filter(|(mode, _)| modes.iter().any(|m| m == mode))
    .map(|(_, short)| *short)
    .collect::<Vec<_>>()
    .join(",")
}

fn print_persistent_volume_claim(
    w: &mut Writer,
    pvc: &Value,
    full: bool,
    now: Option<cluster::SimTime>,
) {
    if full {
        name_namespace(w, pvc);
    }
    wr!(w, 0, "StorageClass:\t{}\n", claim_class(pvc));
    if full {
        if present(pvc, "metadata.deletionTimestamp") {
            wr!(
                w,
                0,
                "Status:\tTerminating (lasts {})\n",
                now.map(|now| age(&text(pvc, "metadata.deletionTimestamp"), now))
                    .unwrap_or_default()
            );
        } else {
            wr!(w, 0, "Status:\t{}\n", text(pvc, "status.phase"));
        }
    }
    let volume = text(pvc, "spec.volumeName");
    wr!(w, 0, "Volume:\t{volume}\n");
    metadata_block(w, pvc);
    if full {
        wr!(
            w,
            0,
            "Finalizers:\t{}\n",
            go_list(&strings(pvc, "metadata.finalizers"))
        );
    }
    let (capacity, modes) = if volume.is_empty() {
        (String::new(), String::new())
    } else {
        let storage = at(pvc, "status.capacity.storage");
        (
            if storage.is_null() {
                "0".to_string()
            } else {
                quantity(storage)
            },
            access_modes(&strings(pvc, "status.accessModes")),
        )
    };
    wr!(w, 0, "Capacity:\t{capacity}\n");
    wr!(w, 0, "Access Modes:\t{modes}\n");
    if present(pvc, "spec.volumeMode") {
        wr!(w, 0, "VolumeMode:\t{}\n", text(pvc, "spec.volumeMode"));
    }
    let source = at(pvc, "spec.dataSource");
    if !source.is_null() {
        w.write(0, "DataSource:\n");
        if present(source, "apiGroup") {
            wr!(w, 1, "APIGroup:\t{}\n", text(source, "apiGroup"));
        }
        wr!(w, 1, "Kind:\t{}\n", text(source, "kind"));
        wr!(w, 1, "Name:\t{}\n", text(source, "name"));
    }
}

fn describe_persistent_volume_claim(
    w: &mut Writer,
    pvc: &Value,
    events: Option<&[Value]>,
    ctx: &Context,
) {
    print_persistent_volume_claim(w, pvc, true, Some(ctx.now));
    let name = text(pvc, "metadata.name");
    let namespace = text(pvc, "metadata.namespace");
    let pods: Vec<Value> = model::registry::resolve("pods")
        .map(|r| {
            ctx.cluster
                .list(r, Some(&namespace))
                .iter()
                .map(|p| p.to_json_value())
                .collect()
        })
        .unwrap_or_default();
    let mut users: Vec<String> = Vec::new();
    for pod in &pods {
        for volume in items(pod, "spec.volumes") {
            if text(volume, "persistentVolumeClaim.claimName") == name {
                users.push(text(pod, "metadata.name"));
            }
        }
    }
    for owner in items(pvc, "metadata.ownerReferences") {
        if text(owner, "kind") != "Pod" {
            continue;
        }
        if let Some(pod) = pods
            .iter()
            .find(|p| text(p, "metadata.uid") == text(owner, "uid"))
        {
            let pod_name = text(pod, "metadata.name");
            if !users.contains(&pod_name) {
                users.push(pod_name);
            }
        }
    }
    users.sort_stable();
    w.write(0, "Used By:\t");
    if users.is_empty() {
        w.line("<none>");
    } else {
        for (i, user) in users.iter().enumerate() {
            if i != 0 {
                w.write(0, "\t");
            }
            wr!(w, 0, "{user}\n");
        }
    }
    let conditions = items(pvc, "status.conditions");
    if !conditions.is_empty() {
        w.write(0, "Conditions:\n");
        w.write(
            1,
            "Type\tStatus\tLastProbeTime\tLastTransitionTime\tReason\tMessage\n",
        );
        w.write(
            1,
            "----\t------\t-----------------\t------------------\t------\t-------\n",
        );
        for c in conditions {
            wr!(
                w,
                1,
                "{} \t{} \t{} \t{} \t{} \t{}\n",
                text(c, "type"),
                text(c, "status"),
                rfc1123z(&text(c, "lastProbeTime")),
                rfc1123z(&text(c, "lastTransitionTime")),
                text(c, "reason"),
                text(c, "message")
            );
        }
    }
    events_section(w, events, ctx);
}

fn describe_persistent_volume(w: &mut Writer, pv: &Value, events: Option<&[Value]>, ctx: &Context) {
    let spec = &pv["spec"];
    wr!(w, 0, "Name:\t{}\n", text(pv, "metadata.name"));
    metadata_block(w, pv);
    wr!(
        w,
        0,
        "Finalizers:\t{}\n",
        go_list(&strings(pv, "metadata.finalizers"))
    );
    let class = match at(pv, "metadata.annotations").get("volume.beta.kubernetes.io/storage-class")
    {
        Some(c) => scalar(c),
        None => text(spec, "storageClassName"),
    };
    wr!(w, 0, "StorageClass:\t{class}\n");
    if present(pv, "metadata.deletionTimestamp") {
        wr!(
            w,
            0,
            "Status:\tTerminating (lasts {})\n",
            age(&text(pv, "metadata.deletionTimestamp"), ctx.now)
        );
    } else {
        wr!(w, 0, "Status:\t{}\n", text(pv, "status.phase"));
    }
    if present(spec, "claimRef") {
        wr!(
            w,
            0,
            "Claim:\t{}/{}\n",
            text(spec, "claimRef.namespace"),
            text(spec, "claimRef.name")
        );
    } else {
        w.write(0, "Claim:\t\n");
    }
    wr!(
        w,
        0,
        "Reclaim Policy:\t{}\n",
        text(spec, "persistentVolumeReclaimPolicy")
    );
    wr!(
        w,
        0,
        "Access Modes:\t{}\n",
        access_modes(&strings(spec, "accessModes"))
    );
    if present(spec, "volumeMode") {
        wr!(w, 0, "VolumeMode:\t{}\n", text(spec, "volumeMode"));
    }
    let storage = at(spec, "capacity.storage");
    wr!(
        w,
        0,
        "Capacity:\t{}\n",
        if storage.is_null() {
            "0".to_string()
        } else {
            quantity(storage)
        }
    );
    w.write(0, "Node Affinity:\t");
    let required = at(spec, "nodeAffinity.required");
    if required.is_null() {
        w.line("<none>");
    } else {
        w.line("");
        w.write(1, "Required Terms:\t");
        let terms = items(required, "nodeSelectorTerms");
        if terms.is_empty() {
            w.line("<none>");
        } else {
            w.line("");
            for (i, term) in terms.iter().enumerate() {
                wr!(w, 2, "Term {i}:\t");
                let expressions = items(term, "matchExpressions");
                if expressions.is_empty() {
                    w.line("<none>");
                    continue;
                }
                for (j, e) in expressions.iter().enumerate() {
                    if j != 0 {
                        w.write(2, "\t");
                    }
                    let mut s =
                        format!("{} {}", text(e, "key"), text(e, "operator").to_lowercase());
                    let values = strings(e, "values");
                    if !values.is_empty() {
                        s = format!("{s} [{}]", values.join(", "));
                    }
                    wr!(w, 0, "{s}\n");
                }
            }
        }
    }
    wr!(w, 0, "Message:\t{}\n", text(pv, "status.message"));
    w.write(0, "Source:\n");
    if present(spec, "hostPath") {
        describe_host_path(w, &spec["hostPath"]);
    } else if present(spec, "nfs") {
        describe_nfs(w, &spec["nfs"]);
    } else if present(spec, "local") {
        wr!(
            w,
            2,
            "Type:\tLocalVolume (a persistent volume backed by local storage on a node)\n    Path:\t{}\n",
            text(spec, "local.path")
        );
    } else if present(spec, "csi") {
        let c = &spec["csi"];
        wr!(
            w,
            2,
            "Type:\tCSI (a Container Storage Interface (CSI) volume source)\n    Driver:\t{}\n    FSType:\t{}\n    VolumeHandle:\t{}\n    ReadOnly:\t{}\n",
            text(c, "driver"),
            text(c, "fsType"),
            text(c, "volumeHandle"),
            boolean_at(c, "readOnly")
        );
        csi_attributes(w, &c["volumeAttributes"]);
    } else {
        w.write(1, "<unknown>\n");
    }
    events_section(w, events, ctx);
}

fn describe_storage_class(w: &mut Writer, sc: &Value, events: Option<&[Value]>, ctx: &Context) {
    wr!(w, 0, "Name:\t{}\n", text(sc, "metadata.name"));
    let annotations = at(sc, "metadata.annotations");
    let is_default = [
        "storageclass.kubernetes.io/is-default-class",
        "storageclass.beta.kubernetes.io/is-default-class",
    ]
    .iter()
    .any(|a| annotations.get(*a).and_then(Value::as_str) == Some("true"));
    wr!(
        w,
        0,
        "IsDefaultClass:\t{}\n",
        if is_default { "Yes" } else { "No" }
    );
    wr!(w, 0, "Annotations:\t{}\n", format_labels(annotations));
    wr!(w, 0, "Provisioner:\t{}\n", text(sc, "provisioner"));
    wr!(w, 0, "Parameters:\t{}\n", format_labels(&sc["parameters"]));
    wr!(
        w,
        0,
        "AllowVolumeExpansion:\t{}\n",
        bool_ptr(&sc["allowVolumeExpansion"])
    );
    let options = strings(sc, "mountOptions");
    if options.is_empty() {
        w.write(0, "MountOptions:\t<none>\n");
    } else {
        w.write(0, "MountOptions:\n");
        for option in &options {
            wr!(w, 1, "{option}\n");
        }
    }
    if present(sc, "reclaimPolicy") {
        wr!(w, 0, "ReclaimPolicy:\t{}\n", text(sc, "reclaimPolicy"));
    }
    if present(sc, "volumeBindingMode") {
        wr!(
            w,
            0,
            "VolumeBindingMode:\t{}\n",
            text(sc, "volumeBindingMode")
        );
    }
    if present(sc, "allowedTopologies") {
        w.write(0, "AllowedTopologies:\t");
        let terms = items(sc, "allowedTopologies");
        if terms.is_empty() {
            w.line("<none>");
        } else {
            w.line("");
            for (i, term) in terms.iter().enumerate() {
                wr!(w, 1, "Term {i}:\t");
                let expressions = items(term, "matchLabelExpressions");
                if expressions.is_empty() {
                    w.line("<none>");
                    continue;
                }
                for (j, e) in expressions.iter().enumerate() {
                    if j != 0 {
                        w.write(1, "\t");
                    }
                    wr!(
                        w,
                        0,
                        "{} in [{}]\n",
                        text(e, "key"),
                        strings(e, "values").join(", ")
                    );
                }
            }
        }
    }
    events_section(w, events, ctx);
}

fn describe_hpa(w: &mut Writer, hpa: &Value, events: Option<&[Value]>, ctx: &Context) {
    let spec = &hpa["spec"];
    let status = &hpa["status"];
    name_namespace(w, hpa);
    metadata_block(w, hpa);
    wr!(
        w,
        0,
        "CreationTimestamp:\t{}\n",
        rfc1123z(&text(hpa, "metadata.creationTimestamp"))
    );
    let target_kind = text(spec, "scaleTargetRef.kind");
    wr!(
        w,
        0,
        "Reference:\t{target_kind}/{}\n",
        text(spec, "scaleTargetRef.name")
    );
    w.write(0, "Metrics:\t( current / target )\n");
    let current_metrics = items(status, "currentMetrics");
    for (i, metric) in items(spec, "metrics").iter().enumerate() {
        let current = current_metrics.get(i).unwrap_or(&Value::Null);
        let known = |path: &str| {
            let v = at(current, path);
            if v.is_null() {
                "<unknown>".to_string()
            } else {
                quantity(v)
            }
        };
        match text(metric, "type").as_str() {
            "External" => {
                let name = go_quote(&text(metric, "external.metric.name"));
                if present(metric, "external.target.averageValue") {
                    wr!(
                        w,
                        1,
                        "{name} (target average value):\t{} / {}\n",
                        known("external.current.averageValue"),
                        quantity(at(metric, "external.target.averageValue"))
                    );
                } else {
                    wr!(
                        w,
                        1,
                        "{name} (target value):\t{} / {}\n",
                        known("external.current.value"),
                        quantity(at(metric, "external.target.value"))
                    );
                }
            }
            "Pods" => {
                wr!(
                    w,
                    1,
                    "{} on pods:\t{} / {}\n",
                    go_quote(&text(metric, "pods.metric.name")),
                    known("pods.current.averageValue"),
                    quantity(at(metric, "pods.target.averageValue"))
                );
            }
            "Object" => {
                wr!(
                    w,
                    1,
                    "\"{}\" on {}/{} ",
                    text(metric, "object.metric.name"),
                    text(metric, "object.describedObject.kind"),
                    text(metric, "object.describedObject.name")
                );
                if text(metric, "object.target.type") == "AverageValue" {
                    wr!(
                        w,
                        0,
                        "(target average value):\t{} / {}\n",
                        known("object.current.averageValue"),
                        quantity(at(metric, "object.target.averageValue"))
                    );
                } else {
                    wr!(
                        w,
                        0,
                        "(target value):\t{} / {}\n",
                        known("object.current.value"),
                        quantity(at(metric, "object.target.value"))
                    );
                }
            }
            kind @ ("Resource" | "ContainerResource") => {
                let field = if kind == "Resource" {
                    "resource"
                } else {
                    "containerResource"
                };
                let source = &metric[field];
                if kind == "Resource" {
                    wr!(w, 1, "resource {} on pods", text(source, "name"));
                } else {
                    wr!(
                        w,
                        1,
                        "resource {} of container \"{}\" on pods",
                        text(source, "name"),
                        text(source, "container")
                    );
                }
                if present(source, "target.averageValue") {
                    wr!(
                        w,
                        0,
                        ":\t{} / {}\n",
                        known(&format!("{field}.current.averageValue")),
                        quantity(at(source, "target.averageValue"))
                    );
                } else {
                    let current_source = &current[field];
                    let current_text = if present(current_source, "current.averageUtilization") {
                        format!(
                            "{}% ({})",
                            int(current_source, "current.averageUtilization"),
                            quantity(at(current_source, "current.averageValue"))
                        )
                    } else {
                        "<unknown>".to_string()
                    };
                    let target = if present(source, "target.averageUtilization") {
                        format!("{}%", int(source, "target.averageUtilization"))
                    } else {
                        "<auto>".to_string()
                    };
                    wr!(
                        w,
                        1,
                        "(as a percentage of request):\t{current_text} / {target}\n"
                    );
                }
            }
            other => wr!(w, 1, "<unknown metric type {}>\n", go_quote(other)),
        }
    }
    let min = if present(spec, "minReplicas") {
        int(spec, "minReplicas").to_string()
    } else {
        "<unset>".to_string()
    };
    wr!(w, 0, "Min replicas:\t{min}\n");
    wr!(w, 0, "Max replicas:\t{}\n", int(spec, "maxReplicas"));
    if present(spec, "behavior") {
        w.write(0, "Behavior:\n");
        for (field, title) in [("scaleUp", "Scale Up"), ("scaleDown", "Scale Down")] {
            let rules = at(spec, &format!("behavior.{field}"));
            if rules.is_null() {
                continue;
            }
            wr!(w, 1, "{title}:\n");
            if present(rules, "stabilizationWindowSeconds") {
                wr!(
                    w,
                    2,
                    "Stabilization Window: {} seconds\n",
                    int(rules, "stabilizationWindowSeconds")
                );
            }
            let policies = items(rules, "policies");
            if !policies.is_empty() {
                let select = match text(rules, "selectPolicy") {
                    s if s.is_empty() => "Max".to_string(),
                    s => s,
                };
                wr!(w, 2, "Select Policy: {select}\n");
                w.write(2, "Policies:\n");
                for p in policies {
                    wr!(
                        w,
                        3,
                        "- Type: {}\tValue: {}\tPeriod: {} seconds\n",
                        text(p, "type"),
                        int(p, "value"),
                        int(p, "periodSeconds")
                    );
                }
            }
        }
    }
    wr!(w, 0, "{target_kind} pods:\t");
    wr!(
        w,
        0,
        "{} current / {} desired\n",
        int(status, "currentReplicas"),
        int(status, "desiredReplicas")
    );
    let conditions = items(status, "conditions");
    if !conditions.is_empty() {
        w.write(0, "Conditions:\n");
        w.write(1, "Type\tStatus\tReason\tMessage\n");
        w.write(1, "----\t------\t------\t-------\n");
        for c in conditions {
            wr!(
                w,
                1,
                "{}\t{}\t{}\t{}\n",
                text(c, "type"),
                text(c, "status"),
                text(c, "reason"),
                text(c, "message")
            );
        }
    }
    events_section(w, events, ctx);
}

fn describe_pdb(w: &mut Writer, pdb: &Value, events: Option<&[Value]>, ctx: &Context) {
    let spec = &pdb["spec"];
    name_namespace(w, pdb);
    if present(spec, "minAvailable") {
        wr!(
            w,
            0,
            "Min available:\t{}\n",
            int_or_string(&spec["minAvailable"])
        );
    } else if present(spec, "maxUnavailable") {
        wr!(
            w,
            0,
            "Max unavailable:\t{}\n",
            int_or_string(&spec["maxUnavailable"])
        );
    }
    if present(spec, "selector") {
        wr!(
            w,
            0,
            "Selector:\t{}\n",
            format_label_selector(&spec["selector"])
        );
    } else {
        w.write(0, "Selector:\t<unset>\n");
    }
    let status = &pdb["status"];
    w.write(0, "Status:\n");
    wr!(
        w,
        2,
        "Allowed disruptions:\t{}\n",
        int(status, "disruptionsAllowed")
    );
    wr!(w, 2, "Current:\t{}\n", int(status, "currentHealthy"));
    wr!(w, 2, "Desired:\t{}\n", int(status, "desiredHealthy"));
    wr!(w, 2, "Total:\t{}\n", int(status, "expectedPods"));
    events_section(w, events, ctx);
}

fn describe_priority_class(w: &mut Writer, pc: &Value, events: Option<&[Value]>, ctx: &Context) {
    wr!(w, 0, "Name:\t{}\n", text(pc, "metadata.name"));
    wr!(w, 0, "Value:\t{}\n", int(pc, "value"));
    wr!(
        w,
        0,
        "GlobalDefault:\t{}\n",
        boolean_at(pc, "globalDefault")
    );
    wr!(
        w,
        0,
        "PreemptionPolicy:\t{}\n",
        text(pc, "preemptionPolicy")
    );
    wr!(w, 0, "Description:\t{}\n", text(pc, "description"));
    wr!(
        w,
        0,
        "Annotations:\t{}\n",
        format_labels(at(pc, "metadata.annotations"))
    );
    events_section(w, events, ctx);
}

/// One row of a role's rules as kubectl prints them (`describe role`, `auth can-i --list`):
/// after the breakdown, at most one group, resource and name.
#[derive(Clone, PartialEq)]
pub(crate) struct PolicyRuleRow {
    pub verbs: Vec<String>,
    pub groups: Vec<String>,
    pub resources: Vec<String>,
    pub names: Vec<String>,
    pub urls: Vec<String>,
}

impl PolicyRuleRow {
    /// `CombineResourceGroup`: `deployments.apps/scale`, `pods`, or empty for a URL rule.
    pub(crate) fn combined_resource(&self) -> String {
        let Some(resource) = self.resources.first() else {
            return String::new();
        };
        let (base, sub) = match resource.split_once('/') {
            Some((b, s)) => (b, Some(s)),
            None => (resource.as_str(), None),
        };
        let mut combined = base.to_string();
        if let Some(group) = self.groups.first().filter(|g| !g.is_empty()) {
            combined = format!("{combined}.{group}");
        }
        if let Some(sub) = sub {
            combined = format!("{combined}/{sub}");
        }
        combined
    }

    /// The rule's protobuf text form, which kubectl sorts the rows by.
    fn sort_key(&self) -> String {
        format!(
            "&PolicyRule{{Verbs:{},APIGroups:{},Resources:{},ResourceNames:{},NonResourceURLs:{},}}",
            go_list(&self.verbs),
            go_list(&self.groups),
            go_list(&self.resources),
            go_list(&self.names),
            go_list(&self.urls)
        )
    }
}

/// kubectl's rule display: every rule broken down to one verb on one (group, resource, name) or
/// one URL, the "simple" ones (one group, one resource, at most one name) merged back across
/// verbs (in the order met, each once), then sorted by the rule's text form. URL rules are not
/// merged: one granted twice shows twice.
pub(crate) fn compact_policy_rules<'a>(
    rules: impl IntoIterator<Item = &'a Value>,
) -> Vec<PolicyRuleRow> {
    let mut broken: Vec<PolicyRuleRow> = Vec::new();
    for rule in rules {
        let verbs = strings(rule, "verbs");
        let names = strings(rule, "resourceNames");
        for group in strings(rule, "apiGroups") {
            for resource in strings(rule, "resources") {
                for verb in &verbs {
                    let base = PolicyRuleRow {
                        verbs: vec![verb.clone()],
                        groups: vec![group.clone()],
                        resources: vec![resource.clone()],
                        names: Vec::new(),
                        urls: Vec::new(),
                    };
                    if names.is_empty() {
                        broken.push(base);
                    } else {
                        for name in &names {
                            broken.push(PolicyRuleRow {
                                names: vec![name.clone()],
                                ..base.clone()
                            });
                        }
                    }
                }
            }
        }
        for url in strings(rule, "nonResourceURLs") {
            for verb in &verbs {
                broken.push(PolicyRuleRow {
                    verbs: vec![verb.clone()],
                    groups: Vec::new(),
                    resources: Vec::new(),
                    names: Vec::new(),
                    urls: vec![url.clone()],
                });
            }
        }
    }
    let mut compacted: Vec<PolicyRuleRow> = Vec::new();
    let mut simple: Vec<PolicyRuleRow> = Vec::new();
    for rule in broken {
        let is_simple = rule.urls.is_empty()
            && rule.names.len() <= 1
            && rule.groups.len() == 1
            && rule.resources.len() == 1;
        if !is_simple {
            compacted.push(rule);
            continue;
        }
        match simple.iter_mut().find(|r| {
            r.groups == rule.groups && r.resources == rule.resources && r.names == rule.names
        }) {
            Some(existing) => {
                for verb in rule.verbs {
                    if !existing.verbs.contains(&verb) {
                        existing.verbs.push(verb);
                    }
                }
            }
            None => simple.push(rule),
        }
    }
    compacted.extend(simple);
    compacted.sort_stable_by_key(PolicyRuleRow::sort_key);
    compacted
}

/// Roles list their rules broken down to one (group, resource, name) each, verbs merged, sorted
/// as kubectl sorts them (by the rule's protobuf text form).
fn describe_role(w: &mut Writer, role: &Value) {
    let rows = compact_policy_rules(items(role, "rules"));
    wr!(w, 0, "Name:\t{}\n", text(role, "metadata.name"));
    metadata_block(w, role);
    w.write(0, "PolicyRule:\n");
    w.write(1, "Resources\tNon-Resource URLs\tResource Names\tVerbs\n");
    w.write(1, "---------\t-----------------\t--------------\t-----\n");
    for r in &rows {
        wr!(
            w,
            1,
            "{}\t{}\t{}\t{}\n",
            r.combined_resource(),
            go_list(&r.urls),
            go_list(&r.names),
            go_list(&r.verbs)
        );
    }
}

fn describe_role_binding(w: &mut Writer, binding: &Value) {
    wr!(w, 0, "Name:\t{}\n", text(binding, "metadata.name"));
    metadata_block(w, binding);
    w.write(0, "Role:\n");
    wr!(w, 1, "Kind:\t{}\n", text(binding, "roleRef.kind"));
    wr!(w, 1, "Name:\t{}\n", text(binding, "roleRef.name"));
    w.write(0, "Subjects:\n");
    w.write(1, "Kind\tName\tNamespace\n");
    w.write(1, "----\t----\t---------\n");
    for s in items(binding, "subjects") {
        wr!(
            w,
            1,
            "{}\t{}\t{}\n",
            text(s, "kind"),
            text(s, "name"),
            text(s, "namespace")
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Nodes.

fn describe_node(w: &mut Writer, node: &Value, events: Option<&[Value]>, ctx: &Context) {
    let name = text(node, "metadata.name");
    let spec = &node["spec"];
    let status = &node["status"];
    wr!(w, 0, "Name:\t{name}\n");
    let mut roles: Vec<String> = Vec::new();
    for (k, v) in string_map(at(node, "metadata.labels")) {
        if let Some(role) = k.strip_prefix("node-role.kubernetes.io/") {
            if !role.is_empty() {
                roles.push(role.to_string());
            }
        } else if k == "kubernetes.io/role" && !v.is_empty() {
            roles.push(v);
        }
    }
    roles.sort_stable();
    roles.dedup();
    wr!(w, 0, "Roles:\t{}\n", or_none(roles.join(",")));
    metadata_block(w, node);
    wr!(
        w,
        0,
        "CreationTimestamp:\t{}\n",
        rfc1123z(&text(node, "metadata.creationTimestamp"))
    );
    w.write(0, "Taints:\t");
    let mut taints: Vec<&Value> = items(spec, "taints").iter().collect();
    if taints.is_empty() {
        w.line("<none>");
    } else {
        taints.sort_stable_by_key(|t| format!("{},{}", text(t, "effect"), text(t, "key")));
        for (i, t) in taints.iter().enumerate() {
            if i != 0 {
                w.write(0, "\t");
            }
            let (key, value, effect) = (text(t, "key"), text(t, "value"), text(t, "effect"));
            let s = match (value.is_empty(), effect.is_empty()) {
                (true, true) => key,
                (false, true) => format!("{key}={value}:"),
                (true, false) => format!("{key}:{effect}"),
                (false, false) => format!("{key}={value}:{effect}"),
            };
            wr!(w, 0, "{s}\n");
        }
    }
    wr!(
        w,
        0,
        "Unschedulable:\t{}\n",
        boolean_at(spec, "unschedulable")
    );
    let lease = model::registry::resolve("leases")
        .and_then(|r| ctx.cluster.get(r, "kube-node-lease", &name).ok())
        .map(|l| l.to_json_value());
    match lease {
        Some(lease) => {
            w.write(0, "Lease:\n");
            let holder = text(&lease, "spec.holderIdentity");
            wr!(
                w,
                1,
                "HolderIdentity:\t{}\n",
                if holder.is_empty() {
                    "<unset>".to_string()
                } else {
                    holder
                }
            );
            let time = |path: &str| {
                let t = text(&lease, path);
                if t.is_empty() {
                    "<unset>".to_string()
                } else {
                    rfc1123z(&t)
                }
            };
            wr!(w, 1, "AcquireTime:\t{}\n", time("spec.acquireTime"));
            wr!(w, 1, "RenewTime:\t{}\n", time("spec.renewTime"));
        }
        None => wr!(
            w,
            0,
            "Lease:\tFailed to get lease: leases.coordination.k8s.io \"{name}\" not found\n"
        ),
    }
    let conditions = items(status, "conditions");
    if !conditions.is_empty() {
        w.write(
            0,
            "Conditions:\n  Type\tStatus\tLastHeartbeatTime\tLastTransitionTime\tReason\tMessage\n",
        );
        w.write(
            1,
            "----\t------\t-----------------\t------------------\t------\t-------\n",
        );
        for c in conditions {
            wr!(
                w,
                1,
                "{} \t{} \t{} \t{} \t{} \t{}\n",
                text(c, "type"),
                text(c, "status"),
                rfc1123z(&text(c, "lastHeartbeatTime")),
                rfc1123z(&text(c, "lastTransitionTime")),
                text(c, "reason"),
                text(c, "message")
            );
        }
    }
    w.write(0, "Addresses:\n");
    for address in items(status, "addresses") {
        wr!(
            w,
            1,
            "{}:\t{}\n",
            text(address, "type"),
            text(address, "address")
        );
    }
    for (field, title) in [("capacity", "Capacity"), ("allocatable", "Allocatable")] {
        let entries = sorted_entries(&status[field]);
        if !entries.is_empty() {
            wr!(w, 0, "{title}:\n");
            for (resource, q) in entries {
                wr!(w, 0, "  {resource}:\t{}\n", quantity(q));
            }
        }
    }
    let info = &status["nodeInfo"];
    w.write(0, "System Info:\n");
    for (field, title) in [
        ("machineID", "Machine ID"),
        ("systemUUID", "System UUID"),
        ("bootID", "Boot ID"),
        ("kernelVersion", "Kernel Version"),
        ("osImage", "OS Image"),
        ("operatingSystem", "Operating System"),
        ("architecture", "Architecture"),
        ("containerRuntimeVersion", "Container Runtime Version"),
        ("kubeletVersion", "Kubelet Version"),
    ] {
        wr!(w, 0, "  {title}:\t{}\n", text(info, field));
    }
    let pod_cidr = text(spec, "podCIDR");
    if !pod_cidr.is_empty() {
        wr!(w, 0, "PodCIDR:\t{pod_cidr}\n");
    }
    let pod_cidrs = strings(spec, "podCIDRs");
    if !pod_cidrs.is_empty() {
        wr!(w, 0, "PodCIDRs:\t{}\n", pod_cidrs.join(","));
    }
    let provider = text(spec, "providerID");
    if !provider.is_empty() {
        wr!(w, 0, "ProviderID:\t{provider}\n");
    }
    describe_node_resources(w, node, ctx);
    events_section(w, events, ctx);
}

/// A pod's requests or limits: the containers' sum, raised to any larger init container, plus
/// the overhead.
/// A pod's requests or limits as the node's "Allocated resources" count them (upstream's
/// `PodRequests` / `PodLimits`): app containers and sidecars (init containers with
/// `restartPolicy: Always`) summed, at least what any init container needs beside the
/// sidecars started before it; pod-level `spec.resources` (cpu, memory, hugepages) in place of
/// the containers' total; the overhead added (to limits only where a limit is set).
fn pod_resources(pod: &Value, field: &str) -> Vec<(String, Quantity)> {
    fn add_into(total: &mut Vec<(String, Quantity)>, name: &str, q: &Quantity) {
        match total.iter_mut().find(|(n, _)| n == name) {
            Some((_, sum)) => *sum = sum.add(q),
            None => total.push((name.to_string(), q.clone())),
        }
    }
    fn max_into(total: &mut Vec<(String, Quantity)>, name: &str, q: &Quantity) {
        match total.iter_mut().find(|(n, _)| n == name) {
            Some((_, kept)) if q.nanos() > kept.nanos() => *kept = q.clone(),
            Some(_) => {}
            None => total.push((name.to_string(), q.clone())),
        }
    }
    let parsed = |list: &Value| -> Vec<(String, Quantity)> {
        sorted_entries(list)
            .into_iter()
            .filter_map(|(n, v)| Quantity::parse(scalar(v).trim()).ok().map(|q| (n, q)))
            .collect()
    };
    let mut total: Vec<(String, Quantity)> = Vec::new();
    for container in items(pod, "spec.containers") {
        for (name, q) in parsed(&container["resources"][field]) {
            add_into(&mut total, &name, &q);
        }
    }
    let mut sidecars: Vec<(String, Quantity)> = Vec::new();
    let mut init_peak: Vec<(String, Quantity)> = Vec::new();
    for container in items(pod, "spec.initContainers") {
        let own = parsed(&container["resources"][field]);
        let running = if container["restartPolicy"] == "Always" {
            for (name, q) in &own {
                add_into(&mut total, name, q);
                add_into(&mut sidecars, name, q);
            }
            sidecars.clone()
        } else {
            let mut beside = sidecars.clone();
            for (name, q) in &own {
                add_into(&mut beside, name, q);
            }
            beside
        };
        for (name, q) in &running {
            max_into(&mut init_peak, name, q);
        }
    }
    for (name, q) in &init_peak {
        max_into(&mut total, name, q);
    }
    for (name, q) in parsed(&pod["spec"]["resources"][field]) {
        if name == "cpu" || name == "memory" || name.starts_with("hugepages-") {
            match total.iter_mut().find(|(n, _)| *n == name) {
                Some((_, kept)) => *kept = q,
                None => total.push((name, q)),
            }
        }
    }
    for (name, q) in parsed(at(pod, "spec.overhead")) {
        let limited = total.iter().any(|(n, v)| *n == name && !v.is_zero());
        if field == "requests" || limited {
            add_into(&mut total, &name, &q);
        }
    }
    total
}

fn describe_node_resources(w: &mut Writer, node: &Value, ctx: &Context) {
    let name = text(node, "metadata.name");
    let pods: Vec<Value> = model::registry::resolve("pods")
        .map(|r| {
            ctx.cluster
                .list(r, None)
                .iter()
                .map(|p| p.to_json_value())
                .filter(|p| {
                    text(p, "spec.nodeName") == name
                        && !matches!(text(p, "status.phase").as_str(), "Succeeded" | "Failed")
                })
                .collect()
        })
        .unwrap_or_default();
    let status = &node["status"];
    let allocatable = if sorted_entries(&status["allocatable"]).is_empty() {
        &status["capacity"]
    } else {
        &status["allocatable"]
    };
    let allocatable_of = |resource: &str| {
        allocatable
            .get(resource)
            .and_then(|v| Quantity::parse(scalar(v).trim()).ok())
            .unwrap_or_else(Quantity::zero)
    };
    let cpu_total = allocatable_of("cpu").milli_value();
    let memory_total = allocatable_of("memory").value();
    let percent = |part: i128, total: i128| {
        if total == 0 {
            0
        } else {
            (part as f64 / total as f64 * 100.0) as i64
        }
    };
    let get = |list: &[(String, Quantity)], resource: &str| {
        list.iter()
            .find(|(n, _)| n == resource)
            .map(|(_, q)| q.clone())
            .unwrap_or_else(Quantity::zero)
    };
    wr!(w, 0, "Non-terminated Pods:\t({} in total)\n", pods.len());
    w.write(
        1,
        "Namespace\tName\t\tCPU Requests\tCPU Limits\tMemory Requests\tMemory Limits\tAge\n",
    );
    w.write(
        1,
        "---------\t----\t\t------------\t----------\t---------------\t-------------\t---\n",
    );
    let mut total_requests: Vec<(String, Quantity)> = Vec::new();
    let mut total_limits: Vec<(String, Quantity)> = Vec::new();
    for pod in &pods {
        let requests = pod_resources(pod, "requests");
        let limits = pod_resources(pod, "limits");
        let (cpu_req, cpu_lim) = (get(&requests, "cpu"), get(&limits, "cpu"));
        let (mem_req, mem_lim) = (get(&requests, "memory"), get(&limits, "memory"));
        wr!(
            w,
            1,
            "{}\t{}\t\t{} ({}%)\t{} ({}%)\t{} ({}%)\t{} ({}%)\t{}\n",
            text(pod, "metadata.namespace"),
            text(pod, "metadata.name"),
            cpu_req,
            percent(cpu_req.milli_value(), cpu_total),
            cpu_lim,
            percent(cpu_lim.milli_value(), cpu_total),
            mem_req,
            percent(mem_req.value(), memory_total),
            mem_lim,
            percent(mem_lim.value(), memory_total),
            age(&text(pod, "metadata.creationTimestamp"), ctx.now)
        );
        for (target, list) in [(&mut total_requests, requests), (&mut total_limits, limits)] {
            for (name, q) in list {
                match target.iter_mut().find(|(n, _)| *n == name) {
                    Some((_, sum)) => *sum = sum.add(&q),
                    None => target.push((name, q)),
                }
            }
        }
    }
    w.write(
        0,
        "Allocated resources:\n  (Total limits may be over 100 percent, i.e., overcommitted.)\n",
    );
    w.write(1, "Resource\tRequests\tLimits\n");
    w.write(1, "--------\t--------\t------\n");
    for (resource, scale) in [
        ("cpu", true),
        ("memory", false),
        ("ephemeral-storage", false),
    ] {
        let (requests, limits) = (get(&total_requests, resource), get(&total_limits, resource));
        let available = allocatable_of(resource);
        let (req_pct, lim_pct) = if scale {
            (
                percent(requests.milli_value(), available.milli_value()),
                percent(limits.milli_value(), available.milli_value()),
            )
        } else {
            (
                percent(requests.value(), available.value()),
                percent(limits.value(), available.value()),
            )
        };
        wr!(
            w,
            1,
            "{resource}\t{requests} ({req_pct}%)\t{limits} ({lim_pct}%)\n"
        );
    }
    let mut huge_pages: Vec<String> = Vec::new();
    let mut extended: Vec<String> = Vec::new();
    for (resource, _) in sorted_entries(allocatable) {
        if resource.starts_with("hugepages-") {
            huge_pages.push(resource);
        } else if !is_standard_container_resource(&resource) && resource != "pods" {
            extended.push(resource);
        }
    }
    for resource in &huge_pages {
        let (requests, limits) = (get(&total_requests, resource), get(&total_limits, resource));
        let available = allocatable_of(resource).value();
        wr!(
            w,
            1,
            "{resource}\t{requests} ({}%)\t{limits} ({}%)\n",
            percent(requests.value(), available),
            percent(limits.value(), available)
        );
    }
    for resource in &extended {
        wr!(
            w,
            1,
            "{resource}\t{}\t{}\n",
            get(&total_requests, resource),
            get(&total_limits, resource)
        );
    }
}

fn is_standard_container_resource(name: &str) -> bool {
    matches!(name, "cpu" | "memory" | "ephemeral-storage") || name.starts_with("hugepages-")
}

// ---------------------------------------------------------------------------------------------
// The generic report.

/// The object as the API server returns it to a generic client: Events carry their always-sent
/// zero fields.
fn generic_content(object: &Object, mut value: Value) -> Value {
    if let (Object::Event(_), Some(map)) = (object, value.as_object_mut()) {
        map.entry("eventTime").or_insert(Value::Null);
        map.entry("reportingComponent")
            .or_insert_with(|| Value::String(String::new()));
        map.entry("reportingInstance")
            .or_insert_with(|| Value::String(String::new()));
    }
    value
}

/// kubectl's generic describer: name, namespace, labels, annotations, then every other field
/// sorted by name with a readable label (`apiVersion` → `API Version`), maps and lists nested.
fn describe_generic(w: &mut Writer, v: &Value, events: Option<&[Value]>, ctx: &Context) {
    name_namespace(w, v);
    metadata_block(w, v);
    let skip = [
        ".metadata.managedFields",
        ".metadata.name",
        ".metadata.namespace",
        ".metadata.labels",
        ".metadata.annotations",
    ];
    if let Some(map) = v.as_object() {
        unstructured(w, 0, map, "", &skip);
    }
    events_section(w, events, ctx);
}

fn unstructured(
    w: &mut Writer,
    level: usize,
    content: &serde_json::Map<String, Value>,
    prefix: &str,
    skip: &[&str],
) {
    let mut fields: Vec<&String> = content.keys().collect();
    fields.sort_stable();
    for field in fields {
        let path = format!("{prefix}.{field}");
        if skip.contains(&path.as_str()) {
            continue;
        }
        match &content[field] {
            Value::Object(map) => {
                wr!(w, level, "{}:\n", smart_label(field));
                unstructured(w, level + 1, map, &path, skip);
            }
            Value::Array(list) => {
                wr!(w, level, "{}:\n", smart_label(field));
                for child in list {
                    match child {
                        Value::Object(map) => unstructured(w, level + 1, map, &path, skip),
                        other => wr!(w, level + 1, "{}\n", go_value(other)),
                    }
                }
            }
            other => wr!(w, level, "{}:\t{}\n", smart_label(field), go_value(other)),
        }
    }
}

/// Go's `%v` of a decoded JSON value.
fn go_value(v: &Value) -> String {
    match v {
        Value::Null => "<nil>".to_string(),
        Value::String(s) => s.clone(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => go_number(n),
        Value::Array(items) => format!(
            "[{}]",
            items.iter().map(go_value).collect::<Vec<_>>().join(" ")
        ),
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort_stable();
            format!(
                "map[{}]",
                keys.iter()
                    .map(|k| format!("{k}:{}", go_value(&map[*k])))
                    .collect::<Vec<_>>()
                    .join(" ")
            )
        }
    }
}

/// `smartLabelFor`: `apiVersion` → `API Version`, `creationTimestamp` → `Creation Timestamp`;
/// names with characters other than letters and `-` are left as they are.
fn smart_label(field: &str) -> String {
    if field.chars().any(|c| !c.is_alphabetic() && c != '-') {
        return field.to_string();
    }
    let parts = camel_case_split(field);
    let mut merged: Vec<String> = Vec::new();
    let mut i = 0;
    while i < parts.len() {
        let part = &parts[i];
        if let Some(next) = parts.get(i + 1) {
            let all_upper = part.chars().all(|c| !c.is_alphabetic() || c.is_uppercase());
            if part.chars().count() >= 2
                && all_upper
                && next.chars().next().is_some_and(char::is_uppercase)
            {
                merged.push(format!("{part}{next}"));
                i += 2;
                continue;
            }
        }
        merged.push(part.clone());
        i += 1;
    }
    merged
        .into_iter()
        .filter(|p| p != "_")
        .map(|part| {
            let upper = part.to_uppercase();
            if ["API", "URL", "UID", "GUID"].contains(&upper.as_str()) {
                upper
            } else if part.to_lowercase() == part {
                let mut chars = part.chars();
                match chars.next() {
                    Some(first) => first.to_uppercase().chain(chars).collect(),
                    None => part,
                }
            } else {
                part
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// `camelcase.Split`: runs of lower case, upper case, digits and other characters; an upper-case
/// letter that starts a lower-case run moves to it (`HTTPServer` → `HTTP`, `Server`).
fn camel_case_split(s: &str) -> Vec<String> {
    let class = |c: char| {
        if c.is_lowercase() {
            1
        } else if c.is_uppercase() {
            2
        } else if c.is_numeric() {
            3
        } else {
            4
        }
    };
    let mut runs: Vec<Vec<char>> = Vec::new();
    let mut last = 0;
    for c in s.chars() {
        let k = class(c);
        match runs.last_mut() {
            Some(run) if k == last => run.push(c),
            _ => runs.push(vec![c]),
        }
        last = k;
    }
    for i in 0..runs.len().saturating_sub(1) {
        let upper_then_lower = runs[i].first().is_some_and(|c| c.is_uppercase())
            && runs[i + 1].first().is_some_and(|c| c.is_lowercase());
        if upper_then_lower {
            if let Some(moved) = runs[i].pop() {
                runs[i + 1].insert(0, moved);
            }
        }
    }
    runs.into_iter()
        .filter(|r| !r.is_empty())
        .map(|r| r.into_iter().collect())
        .collect()
}

/// The "Pod Template:" block of `describe deployment`, alone: what `kubectl rollout history
/// --revision=N` and `rollout undo --dry-run` print. kubectl writes it through describe's
/// prefix writer into a plain buffer, with no tabwriter, so its tabs stay tabs (a terminal
/// shows them at 8-column stops).
pub(crate) fn pod_template_text(template: &Value) -> String {
    let mut w = Writer::default();
    describe_pod_template(&mut w, template);
    w.out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_node_counts_sidecars_init_peaks_pod_level_resources_and_overhead() {
        let totals = |pod: serde_json::Value, field: &str| -> Vec<(String, String)> {
            pod_resources(&pod, field)
                .into_iter()
                .map(|(n, q)| (n, q.to_string()))
                .collect()
        };
        let pair = |n: &str, q: &str| (n.to_string(), q.to_string());
        // App 100m + sidecar 50m; the init container (300m) runs beside the sidecar started
        // before it: 350m, the peak.
        let pod = serde_json::json!({"spec": {
            "initContainers": [
                {"name": "log", "restartPolicy": "Always", "resources": {"requests": {"cpu": "50m"}}},
                {"name": "setup", "resources": {"requests": {"cpu": "300m"}}}
            ],
            "containers": [{"name": "app", "resources": {"requests": {"cpu": "100m", "memory": "64Mi"}}}]
        }});
        assert_eq!(
            totals(pod.clone(), "requests"),
            vec![pair("cpu", "350m"), pair("memory", "64Mi")]
        );
        // Pod-level resources stand for the containers' cpu and memory.
        let mut pod_level = pod.clone();
        pod_level["spec"]["resources"] = serde_json::json!({"requests": {"cpu": "1"}});
        assert_eq!(
            totals(pod_level, "requests"),
            vec![pair("cpu", "1"), pair("memory", "64Mi")]
        );
        // Overhead goes onto every request, but only onto limits that are set.
        let overhead = serde_json::json!({"spec": {
            "overhead": {"cpu": "10m", "memory": "1Mi"},
            "containers": [{"name": "app", "resources": {"limits": {"cpu": "200m"}, "requests": {"cpu": "100m"}}}]
        }});
        assert_eq!(
            totals(overhead.clone(), "requests"),
            vec![pair("cpu", "110m"), pair("memory", "1Mi")]
        );
        assert_eq!(totals(overhead, "limits"), vec![pair("cpu", "210m")]);
    }

    #[test]
    fn tabwriter_aligns_blocks_of_lines_sharing_a_column() {
        let text = "Name:\tweb\nNamespace:\tdefault\nContainers:\n  nginx:\n    Image:\tnginx\n    Restart Count:\t0\n";
        assert_eq!(
            tabwrite(text),
            "Name:       web\nNamespace:  default\nContainers:\n  nginx:\n    Image:          nginx\n    Restart Count:  0\n"
        );
        // An empty last cell leaves the padding of the cell before it.
        assert_eq!(tabwrite("IP:\t\nIPs:\t<none>\n"), "IP:   \nIPs:  <none>\n");
        // A line with fewer cells ends the block of the columns it lacks.
        assert_eq!(
            tabwrite("Port:\t<unset>\t80/TCP\nTargetPort:\t80/TCP\n"),
            "Port:        <unset>  80/TCP\nTargetPort:  80/TCP\n"
        );
    }

    #[test]
    fn labels_continue_on_lines_aligned_with_the_value_column() {
        let mut w = Writer::default();
        w.write(0, "Name:\tweb\n");
        labels_multiline(
            &mut w,
            "",
            "Labels",
            &serde_json::json!({"tier": "frontend", "app": "web"}),
        );
        annotations_multiline(&mut w, "Annotations", &serde_json::json!({}));
        assert_eq!(
            tabwrite(&w.out),
            "Name:         web\nLabels:       app=web\n              tier=frontend\nAnnotations:  <none>\n"
        );
        let mut w = Writer::default();
        labels_multiline(&mut w, "", "  Labels", &Value::Null);
        assert_eq!(tabwrite(&w.out), "  Labels:  <none>\n");
    }

    #[test]
    fn long_and_multiline_annotations_go_on_their_own_lines() {
        let mut w = Writer::default();
        let long = "x".repeat(150);
        annotations_multiline(
            &mut w,
            "Annotations",
            &serde_json::json!({
                "a": "1",
                "b": long,
                "c": "one\ntwo\n",
                LAST_APPLIED: "{}",
            }),
        );
        let out = tabwrite(&w.out);
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines[0], "Annotations:  a: 1");
        assert_eq!(lines[1], "              b:");
        assert_eq!(lines[2], format!("                {}...", "x".repeat(138)));
        assert_eq!(lines[3], "              c:");
        assert_eq!(lines[4], "                one");
        assert_eq!(lines[5], "                two");
        assert_eq!(lines.len(), 6);
    }

    #[test]
    fn events_table_shows_ages_and_repeats() {
        let now = cluster::SimTime(600_000); // five minutes after 2026-01-01T00:00:00Z (the cluster boots for five)
        let events = vec![
            serde_json::json!({
                "type": "Warning", "reason": "BackOff", "count": 4,
                "firstTimestamp": "2026-01-01T00:00:00Z", "lastTimestamp": "2026-01-01T00:01:58Z",
                "source": {"component": "kubelet"},
                "involvedObject": {"fieldPath": "spec.containers{web}"},
                "message": "Back-off restarting failed container ",
            }),
            serde_json::json!({
                "type": "Normal", "reason": "Scheduled", "count": 1,
                "firstTimestamp": "2026-01-01T00:00:00Z", "lastTimestamp": "2026-01-01T00:00:00Z",
                "source": {"component": "default-scheduler"},
                "message": "Successfully assigned default/web to node-1",
            }),
        ];
        let mut w = Writer::default();
        describe_events(&mut w, &events, now);
        assert_eq!(
            tabwrite(&w.out),
            "Events:\n  Type     Reason     Age                From               Message\n  ----     ------     ----               ----               -------\n  Normal   Scheduled  5m                 default-scheduler  Successfully assigned default/web to node-1\n  Warning  BackOff    3m2s (x4 over 5m)  kubelet            spec.containers{web}: Back-off restarting failed container\n"
        );
        let mut w = Writer::default();
        w.write(0, "Tolerations:\t<none>\n");
        describe_events(&mut w, &[], now);
        assert_eq!(
            tabwrite(&w.out),
            "Tolerations:  <none>\nEvents:       <none>\n"
        );
    }

    #[test]
    fn smart_labels_read_like_kubectl() {
        assert_eq!(smart_label("apiVersion"), "API Version");
        assert_eq!(smart_label("creationTimestamp"), "Creation Timestamp");
        assert_eq!(smart_label("uid"), "UID");
        assert_eq!(smart_label("involvedObject"), "Involved Object");
        assert_eq!(smart_label("podIPs"), "Pod I Ps");
        assert_eq!(smart_label("HTTPServer"), "HTTPServer");
        assert_eq!(smart_label("v1"), "v1");
    }

    #[test]
    fn selectors_and_numbers_print_like_go() {
        let selector = serde_json::json!({
            "matchLabels": {"app": "web"},
            "matchExpressions": [{"key": "env", "operator": "In", "values": ["b", "a"]}],
        });
        assert_eq!(selector_string(&selector).unwrap(), "app=web,env in (a,b)");
        assert_eq!(format_label_selector(&Value::Null), "<none>");
        assert_eq!(go_float(1.5), "1.5");
        assert_eq!(go_float(1e21), "1e+21");
        assert_eq!(go_float(1e6), "1e+06");
        assert_eq!(go_float(123456.0), "123456");
        assert_eq!(base64_len("aGVsbG8="), 5);
        assert_eq!(
            rfc1123z("2026-01-01T00:00:00Z"),
            "Thu, 01 Jan 2026 00:00:00 +0000"
        );
    }
}
