//! `kubectl get`: tables (with `-o wide`, `--show-labels`, `-L`, `-A`, `--no-headers`), and
//! `-o yaml|json|name`.

use model::sort::SortSlice;
use std::rc::Rc;

use cluster::Cluster;
use model::{Object, ResourceType, Selector};

use crate::flags::{self, boolean, value};
use crate::jsonpath::Template;
use crate::{printers, table, Kubectl, Output, Workspace};

const GET_FLAGS: &[flags::FlagSpec] = &[
    value("output", Some('o')),
    boolean("all-namespaces", Some('A')),
    value("selector", Some('l')),
    value("filename", Some('f')),
    boolean("show-labels", None),
    boolean("no-headers", None),
    value("label-columns", Some('L')),
    boolean("watch", Some('w')),
    boolean("watch-only", None),
    boolean("output-watch-events", None),
    boolean("recursive", Some('R')),
    value("sort-by", None),
    value("field-selector", None),
    boolean("ignore-not-found", None),
    value("chunk-size", None),
    boolean("show-kind", None),
];

/// The resources `kubectl get all` lists, in its order (the `all` category).
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

/// How `get` prints, from `-o`.
enum Printer {
    /// Tables (default and `wide`).
    Table,
    /// `yaml`, `json` and `name`, printed by format name below.
    Structured,
    JsonPath(Template),
    JsonPathAsJson(Template),
    GoTemplate(crate::gotemplate::GoTemplate),
    CustomColumns(Vec<(String, Template)>),
}

impl Printer {
    fn from_flag(format: &str, argument: Option<&str>) -> Result<Printer, String> {
        let parse_template = |text: &str| {
            let text = text.trim_matches('\'');
            Template::parse(text).map_err(|e| format!("error: error parsing jsonpath {text}, {e}"))
        };
        match (format, argument) {
            ("" | "wide", None) => Ok(Printer::Table),
            ("yaml" | "json" | "name", None) => Ok(Printer::Structured),
            ("jsonpath", Some(t)) => parse_template(t).map(Printer::JsonPath),
            ("jsonpath-as-json", Some(t)) => parse_template(t).map(Printer::JsonPathAsJson),
            ("jsonpath" | "jsonpath-as-json", None) => Err("error: template format specified but no template given".to_string()),
            ("go-template" | super::output::GO_TEMPLATE_STRICT, Some(t)) => crate::gotemplate::GoTemplate::parse(t)
                .map(|template| Printer::GoTemplate(template.missing_keys_are_errors(format == super::output::GO_TEMPLATE_STRICT)))
                .map_err(|e| format!("error: error parsing template {t}, {e}")),
            ("custom-columns", Some(spec)) => {
                let mut columns = Vec::new();
                for column in spec.split(',') {
                    let Some((name, path)) = column.split_once(':') else {
                        return Err(format!("error: unexpected custom-columns spec: {column}, expected <header>:<json-path-expr>"));
                    };
                    let template = Template::parse_path(path).map_err(|e| format!("error: {e}"))?;
                    columns.push((name.to_string(), template));
                }
                Ok(Printer::CustomColumns(columns))
            }
            ("custom-columns", None) => Err("error: custom-columns format specified but no custom columns given".to_string()),
            _ => Err(format!(
                "error: unable to match a printer suitable for the output format \"{}\", allowed formats are: custom-columns,custom-columns-file,go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,kyaml,name,template,templatefile,wide,yaml",
                argument.map_or(format.to_string(), |a| format!("{format}={a}"))
            )),
        }
    }
}

/// Sorts by a JSONPath value: numbers numerically, everything else as text (kubectl's
/// `--sort-by`); objects without the field come first.
fn sort_objects(objects: &mut [Rc<Object>], template: &Template) {
    let key = |object: &Rc<Object>| {
        let value = object.to_json_value();
        template.values(&value).first().map(|v| (*v).clone())
    };
    let mut keyed: Vec<(Option<serde_json::Value>, Rc<Object>)> =
        objects.iter().map(|o| (key(o), o.clone())).collect();
    keyed.sort_stable_by(|(a, _), (b, _)| match (a, b) {
        (Some(serde_json::Value::Number(x)), Some(serde_json::Value::Number(y))) => x
            .as_f64()
            .partial_cmp(&y.as_f64())
            .unwrap_or(std::cmp::Ordering::Equal),
        (Some(x), Some(y)) => crate::jsonpath::value_text(x).cmp(&crate::jsonpath::value_text(y)),
        (None, Some(_)) => std::cmp::Ordering::Less,
        (Some(_), None) => std::cmp::Ordering::Greater,
        (None, None) => std::cmp::Ordering::Equal,
    });
    for (slot, (_, object)) in objects.iter_mut().zip(keyed) {
        *slot = object;
    }
}

/// `--field-selector status.phase=Running,spec.nodeName!=node-1`: the fields the API server
/// supports for each kind (metadata.name and metadata.namespace everywhere).
pub(crate) struct FieldSelector {
    requirements: Vec<(String, bool, String)>,
    text: String,
}

impl FieldSelector {
    pub(crate) fn parse(text: &str) -> Result<FieldSelector, String> {
        let mut requirements = Vec::new();
        for part in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let (field, equal, value) = if let Some((f, v)) = part.split_once("!=") {
                (f, false, v)
            } else if let Some((f, v)) = part.split_once("==").or_else(|| part.split_once('=')) {
                (f, true, v)
            } else {
                return Err(format!("error: invalid field selector: '{part}'"));
            };
            requirements.push((field.trim().to_string(), equal, value.trim().to_string()));
        }
        Ok(FieldSelector {
            requirements,
            text: text.to_string(),
        })
    }

    fn supported(kind: &str, field: &str) -> bool {
        if field == "metadata.name" || field == "metadata.namespace" {
            return true;
        }
        let fields: &[&str] = match kind {
            "Pod" => &[
                "spec.nodeName",
                "spec.restartPolicy",
                "spec.schedulerName",
                "spec.serviceAccountName",
                "spec.hostNetwork",
                "status.phase",
                "status.podIP",
                "status.nominatedNodeName",
            ],
            "Event" => &[
                "involvedObject.kind",
                "involvedObject.namespace",
                "involvedObject.name",
                "involvedObject.uid",
                "involvedObject.apiVersion",
                "involvedObject.resourceVersion",
                "involvedObject.fieldPath",
                "reason",
                "reportingComponent",
                "source",
                "type",
            ],
            "Secret" => &["type"],
            "Namespace" => &["status.phase"],
            "Node" => &["spec.unschedulable"],
            "ReplicaSet" | "ReplicationController" => &["status.replicas"],
            "Job" => &["status.successful"],
            _ => &[],
        };
        fields.contains(&field)
    }

    pub(crate) fn filter(
        &self,
        resource: &ResourceType,
        objects: Vec<Rc<Object>>,
    ) -> Result<Vec<Rc<Object>>, String> {
        for (field, _, _) in &self.requirements {
            if !Self::supported(resource.kind, field) {
                return Err(format!(
                    "Error from server (BadRequest): Unable to find \"{}/{}, Resource={}\" that match label selector \"\", field selector \"{}\": field label not supported: {field}",
                    resource.group,
                    resource.versions[0],
                    resource.plural,
                    self.text
                ));
            }
        }
        Ok(objects
            .into_iter()
            .filter(|object| {
                let value = object.to_json_value();
                self.requirements.iter().all(|(field, equal, expected)| {
                    let actual = field.split('.').fold(&value, |v, k| &v[k]);
                    let actual = match actual {
                        serde_json::Value::String(s) => s.clone(),
                        serde_json::Value::Null => String::new(),
                        other => other.to_string(),
                    };
                    (actual == *expected) == *equal
                })
            })
            .collect())
    }
}

/// JSON indented by four spaces, as kubectl prints it.
pub(crate) fn to_json_pretty(value: &serde_json::Value) -> String {
    use serde::Serialize;
    let mut out = Vec::new();
    let formatter = serde_json::ser::PrettyFormatter::with_indent(b"    ");
    let mut serializer = serde_json::Serializer::with_formatter(&mut out, formatter);
    let _ = value.serialize(&mut serializer);
    String::from_utf8(out).unwrap_or_default()
}

enum Request {
    /// `get pods`, `get deploy,svc`, `get all`: every object of the types (names optional).
    Types {
        resources: Vec<&'static ResourceType>,
        names: Vec<String>,
        all: bool,
    },
    /// `get deploy/web svc/web`.
    Named(Vec<(&'static ResourceType, String)>),
}

fn parse_request(positionals: &[String]) -> Result<Request, Output> {
    if positionals.iter().any(|p| p.contains('/')) {
        let mut named = Vec::new();
        for p in positionals {
            let Some((kind, name)) = p.split_once('/') else {
                return Err(Output::error("error: there is no need to specify a resource type as a separate argument when passing arguments in resource/name form (e.g. 'kubectl get resource/<resource_name>' instead of 'kubectl get resource resource/<resource_name>'"));
            };
            named.push((super::resolve_resource(kind)?, name.to_string()));
        }
        return Ok(Request::Named(named));
    }
    let mut resources = Vec::new();
    let mut all = false;
    for kind in positionals[0].split(',') {
        if kind == "all" {
            all = true;
            resources.extend(
                ALL_CATEGORY
                    .iter()
                    .filter_map(|r| model::registry::resolve(r)),
            );
        } else {
            resources.push(super::resolve_resource(kind)?);
        }
    }
    Ok(Request::Types {
        resources,
        names: positionals[1..].to_vec(),
        all,
    })
}

pub(crate) fn get(
    kubectl: &mut Kubectl,
    cluster: &mut Cluster,
    args: &[String],
    workspace: &dyn Workspace,
) -> Output {
    let parsed = match flags::parse(args, GET_FLAGS, "get") {
        Ok(p) => p,
        Err(e) => return Output::error(e),
    };
    let namespace = super::namespace_of(kubectl, &parsed);
    let all_namespaces = parsed.flag("all-namespaces");
    let selector = match parsed.value("selector").map(Selector::parse).transpose() {
        Ok(s) => s,
        Err(e) => return Output::error(format!("error: {e}")),
    };
    let output_value = parsed.value("output").unwrap_or("");
    let (output_format, output_argument) = match output_value.split_once('=') {
        Some((format, argument)) => (format, Some(argument)),
        None => (output_value, None),
    };
    // `-o custom-columns-file=PATH`: headers on the first line, JSONPath specs on the second.
    let columns_from_file;
    let (output_format, output_argument) = match (output_format, output_argument) {
        ("custom-columns-file", Some(path)) => {
            let text = match workspace.read_file(path) {
                Ok(t) => t,
                Err(_) => {
                    return Output::error(format!(
                        "error: error reading template {path}, open {path}: no such file or directory\n"
                    ))
                }
            };
            let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
            if lines.len() != 2 {
                return Output::error(format!(
                    "error: invalid template, expected two lines in template but got {}: {text}",
                    lines.len()
                ));
            }
            let headers: Vec<&str> = lines[0].split_whitespace().collect();
            let specs: Vec<&str> = lines[1].split_whitespace().collect();
            if headers.len() != specs.len() {
                return Output::error(format!(
                    "error: number of headers ({}) and field specifications ({}) don't match",
                    headers.len(),
                    specs.len()
                ));
            }
            columns_from_file = headers
                .iter()
                .zip(&specs)
                .map(|(header, spec)| format!("{header}:{spec}"))
                .collect::<Vec<_>>()
                .join(",");
            ("custom-columns", Some(columns_from_file.as_str()))
        }
        other => other,
    };
    let printer = match Printer::from_flag(output_format, output_argument) {
        Ok(p) => p,
        Err(message) => return Output::error(message),
    };
    let field_selector = match parsed
        .value("field-selector")
        .map(FieldSelector::parse)
        .transpose()
    {
        Ok(s) => s,
        Err(message) => return Output::error(message),
    };
    let sort_by = match parsed
        .value("sort-by")
        .map(Template::parse_path)
        .transpose()
    {
        Ok(t) => t,
        Err(e) => {
            return Output::error(format!("error: couldn't parse the --sort-by jsonpath: {e}"))
        }
    };

    // The resource builder: names and --all-namespaces do not go together.
    let names_given =
        parsed.positionals.len() > 1 || parsed.positionals.first().is_some_and(|p| p.contains('/'));
    if all_namespaces && names_given && parsed.values("filename").is_empty() {
        return Output::error(
            "error: a resource cannot be retrieved by name across all namespaces",
        );
    }
    let mut output = Output::default();
    // (resource, objects found) in request order.
    let mut found: Vec<(&'static ResourceType, Vec<Rc<Object>>)> = Vec::new();
    let mut show_kind = parsed.flag("show-kind");

    if !parsed.values("filename").is_empty() {
        let sources = match super::read_sources(
            parsed.values("filename"),
            parsed.flag("recursive"),
            workspace,
        ) {
            Ok(s) => s,
            Err(e) => return Output::error(e),
        };
        for (source, text) in sources {
            match model::decode_documents(&text) {
                Ok(objects) => {
                    for object in objects {
                        let resource = object.resource_type();
                        let ns = if object.namespace().is_empty() {
                            namespace.as_str()
                        } else {
                            object.namespace()
                        };
                        match cluster.get(resource, ns, object.name()) {
                            Ok(o) => push_found(&mut found, resource, o),
                            Err(e) => output.append(Output::error(e.to_string())),
                        }
                    }
                }
                Err(e) => {
                    return Output::error(super::decode_error_message(&source, &e, "creating"))
                }
            }
        }
        show_kind = show_kind || found.len() > 1;
    } else {
        if parsed.positionals.is_empty() {
            return Output::error("You must specify the type of resource to get. Use \"kubectl api-resources\" for a complete list of supported resources.\n\nerror: Required resource not specified.\nUse \"kubectl explain <resource>\" for a detailed description of that resource (e.g. kubectl explain pods).\nSee 'kubectl get -h' for help and examples");
        }
        let request = match parse_request(&parsed.positionals) {
            Ok(r) => r,
            Err(o) => return o,
        };
        let asks_for_endpoints = match &request {
            Request::Named(named) => named.iter().any(|(r, _)| super::is_core_endpoints(r)),
            Request::Types { resources, .. } => {
                resources.iter().any(|r| super::is_core_endpoints(r))
            }
        };
        if asks_for_endpoints {
            output.stderr.push_str(super::ENDPOINTS_DEPRECATION_WARNING);
        }
        match request {
            Request::Named(named) => {
                show_kind = show_kind || named.iter().any(|(r, _)| r != &named[0].0);
                for (resource, name) in named {
                    if let Err(denied) = super::check_access(
                        cluster,
                        &parsed,
                        "get",
                        resource,
                        Some(&namespace),
                        Some(&name),
                    ) {
                        output.append(denied);
                        continue;
                    }
                    match cluster.get(resource, &namespace, &name) {
                        Ok(o) => push_found(&mut found, resource, o),
                        Err(e) => output.append(Output::error(e.to_string())),
                    }
                }
            }
            Request::Types {
                resources,
                names,
                all,
            } => {
                show_kind = show_kind || resources.len() > 1 || all;
                for resource in resources {
                    let access_namespace = if all_namespaces {
                        None
                    } else {
                        Some(namespace.as_str())
                    };
                    // Each request is authorized on its own (a list, or a get per name), and
                    // kubectl goes on after a refusal (ContinueOnError).
                    if names.is_empty() {
                        if let Err(denied) = super::check_access(
                            cluster,
                            &parsed,
                            "list",
                            resource,
                            access_namespace,
                            None,
                        ) {
                            output.append(denied);
                            continue;
                        }
                    }
                    if names.is_empty() {
                        let ns = if all_namespaces {
                            None
                        } else {
                            Some(namespace.as_str())
                        };
                        let objects: Vec<Rc<Object>> = cluster
                            .list(resource, ns)
                            .into_iter()
                            .filter(|o| {
                                selector
                                    .as_ref()
                                    .is_none_or(|s| s.matches(o.metadata().labels.as_ref()))
                            })
                            .collect();
                        let objects = match &field_selector {
                            Some(fields) => match fields.filter(resource, objects) {
                                Ok(objects) => objects,
                                Err(message) => return Output::error(message),
                            },
                            None => objects,
                        };
                        found.push((resource, objects));
                    } else {
                        for name in &names {
                            if let Err(denied) = super::check_access(
                                cluster,
                                &parsed,
                                "get",
                                resource,
                                access_namespace,
                                Some(name),
                            ) {
                                output.append(denied);
                                continue;
                            }
                            match cluster.get(resource, &namespace, name) {
                                Ok(o) => push_found(&mut found, resource, o),
                                Err(e) if parsed.flag("ignore-not-found") => drop(e),
                                Err(e) => output.append(Output::error(e.to_string())),
                            }
                        }
                    }
                }
            }
        }
    }

    let named_items = if parsed.positionals.iter().any(|p| p.contains('/')) {
        parsed.positionals.len()
    } else {
        parsed.positionals.len().saturating_sub(1)
    };
    let single_item_implied = named_items == 1;
    if let Some(template) = &sort_by {
        // kubectl's sorter wants the field on at least one of the objects it sorts.
        let objects: Vec<&Rc<Object>> = found.iter().flat_map(|(_, os)| os.iter()).collect();
        if !objects.is_empty()
            && !single_item_implied
            && objects
                .iter()
                .all(|o| template.values(&o.to_json_value()).is_empty())
        {
            let field = parsed.value("sort-by").unwrap_or_default();
            let field = if field.starts_with('{') {
                field.to_string()
            } else if field.starts_with('.') {
                format!("{{{field}}}")
            } else {
                format!("{{.{field}}}")
            };
            output.append(Output::error(format!(
                "error: couldn't find any field with path {} in the list of objects",
                model::validation::quote(&field)
            )));
            return output;
        }
        for (_, objects) in found.iter_mut() {
            sort_objects(objects, template);
        }
        // The generic printers (name, json, yaml, templates, custom columns) print one List, so
        // kubectl sorts across the types; tables stay one per type.
        if !matches!(printer, Printer::Table) && found.len() > 1 {
            let mut all: Vec<Rc<Object>> =
                found.drain(..).flat_map(|(_, objects)| objects).collect();
            sort_objects(&mut all, template);
            found = all
                .into_iter()
                .map(|object| (object.resource_type(), vec![object]))
                .collect();
        }
    }
    let total: usize = found.iter().map(|(_, objects)| objects.len()).sum();
    let list_document = |found: &[(&'static ResourceType, Vec<Rc<Object>>)]| {
        let objects: Vec<serde_json::Value> = found
            .iter()
            .flat_map(|(_, os)| os.iter().map(|o| o.to_json_value()))
            .collect();
        if objects.len() == 1 && single_item_implied && total == 1 {
            objects.into_iter().next().unwrap_or_default()
        } else {
            serde_json::json!({ "apiVersion": "v1", "items": objects, "kind": "List", "metadata": { "resourceVersion": "" } })
        }
    };
    let watching =
        parsed.flag("watch") || parsed.flag("watch-only") || parsed.flag("output-watch-events");
    let streams_objects = matches!(
        printer,
        Printer::JsonPath(_) | Printer::JsonPathAsJson(_) | Printer::GoTemplate(_)
    ) || matches!(output_format, "yaml" | "json" | "name");
    if watching && streams_objects {
        // kubectl's watch prints each object through the printer, then each change.
        let [(resource, objects)] = found.as_slice() else {
            return Output::error("error: you may only specify a single resource type");
        };
        let mut watch = super::watch::Watch {
            with_events: parsed.flag("output-watch-events"),
            resource,
            namespace: (!all_namespaces).then(|| namespace.clone()),
            selector: selector.clone(),
            names: match &parsed.positionals[..] {
                [_, rest @ ..] => rest.to_vec(),
                [] => Vec::new(),
            },
            wide: false,
            with_namespace: false,
            label_columns: Vec::new(),
            show_labels: false,
            age_column: None,
            widths: Vec::new(),
            pending_header: None,
            since: cluster.resource_version(),
            last_rows: Default::default(),
            format: Some(output_value.to_string()),
            printed: 0,
        };
        if !parsed.flag("watch-only") {
            for object in objects {
                output
                    .stdout
                    .push_str(&watch.print_object(object, cluster::api::WatchEventType::Added));
            }
        }
        // What each object shows now, so that a write that changes none of it prints nothing.
        for object in objects {
            watch.remember(object);
        }
        kubectl.watch = Some(watch);
        return output;
    }
    match &printer {
        Printer::JsonPath(template) => {
            output
                .stdout
                .push_str(&template.render(&list_document(&found)));
        }
        Printer::GoTemplate(template) => {
            match crate::gotemplate::render_for_kubectl(template, &list_document(&found)) {
                Ok(text) => output.stdout.push_str(&text),
                Err((stdout, stderr)) => output.append(Output {
                    stdout,
                    stderr,
                    exit_code: 1,
                    open_in_editor: None,
                }),
            }
        }
        Printer::JsonPathAsJson(template) => {
            let document = list_document(&found);
            let values: Vec<serde_json::Value> =
                template.values(&document).into_iter().cloned().collect();
            output
                .stdout
                .push_str(&(to_json_pretty(&serde_json::Value::Array(values)) + "\n"));
        }
        Printer::CustomColumns(columns) => {
            let header: Vec<String> = columns.iter().map(|(name, _)| name.clone()).collect();
            let rows: Vec<Vec<String>> = found
                .iter()
                .flat_map(|(_, os)| os.iter())
                .map(|object| {
                    let value = object.to_json_value();
                    columns
                        .iter()
                        .map(|(_, template)| {
                            let cells: Vec<String> = template
                                .values(&value)
                                .iter()
                                .map(|v| go_value_text(v))
                                .collect();
                            if cells.is_empty() {
                                "<none>".to_string()
                            } else {
                                cells.join(",")
                            }
                        })
                        .collect()
                })
                .collect();
            if !rows.is_empty() {
                output
                    .stdout
                    .push_str(&table::render(&header, &rows, parsed.flag("no-headers")));
            }
        }
        Printer::Table | Printer::Structured => {}
    }
    match output_format {
        "jsonpath" | "jsonpath-as-json" | "custom-columns" | "go-template" => {}
        super::output::GO_TEMPLATE_STRICT => {}
        // One named object that is not there: only the error (kubectl's singleItemImplied), not
        // an empty List.
        "yaml" | "json" if single_item_implied && total == 0 => {}
        "yaml" | "json" => {
            let document = list_document(&found);
            output.stdout.push_str(&if output_format == "json" {
                to_json_pretty(&document) + "\n"
            } else {
                model::decode::json_to_yaml(&document)
            });
        }
        "name" => {
            for (resource, objects) in &found {
                for object in objects {
                    output
                        .stdout
                        .push_str(&super::object_ref(resource, object.name()));
                    output.stdout.push('\n');
                }
            }
        }
        _ if parsed.flag("watch")
            || parsed.flag("watch-only")
            || parsed.flag("output-watch-events") =>
        {
            let wide = output_format == "wide";
            let [(resource, objects)] = found.as_slice() else {
                return Output::error("error: you may only specify a single resource type");
            };
            let with_namespace = all_namespaces && resource.namespaced;
            let table = render_table(
                resource,
                objects,
                cluster.now(),
                wide,
                with_namespace,
                false,
                &parsed,
            );
            let header: Vec<String> = table
                .lines()
                .next()
                .map(|l| l.split_whitespace().map(str::to_string).collect())
                .unwrap_or_default();
            let mut widths: Vec<usize> = Vec::new();
            for line in table.lines() {
                // Column widths of the printed table (cells are separated by 3+ spaces).
                let mut column = 0;
                let mut start = 0;
                let chars: Vec<char> = line.chars().collect();
                let mut i = 0;
                while i < chars.len() {
                    if chars[i] == ' ' && chars.get(i + 1) == Some(&' ') {
                        let end = i;
                        while i < chars.len() && chars[i] == ' ' {
                            i += 1;
                        }
                        if widths.len() <= column {
                            widths.push(0);
                        }
                        widths[column] = widths[column].max(end - start);
                        column += 1;
                        start = i;
                    } else {
                        i += 1;
                    }
                }
            }
            let names = match &parsed.positionals[..] {
                [_, rest @ ..] => rest.to_vec(),
                [] => Vec::new(),
            };
            let watch_only = parsed.flag("watch-only");
            let with_events = parsed.flag("output-watch-events");
            kubectl.watch = Some(super::watch::Watch {
                with_events,
                resource,
                namespace: (!all_namespaces).then(|| namespace.clone()),
                selector: selector.clone(),
                names,
                wide,
                with_namespace,
                label_columns: parsed
                    .values("label-columns")
                    .iter()
                    .flat_map(|v| v.split(','))
                    .map(str::to_string)
                    .collect(),
                show_labels: parsed.flag("show-labels"),
                age_column: header.iter().position(|h| h == "AGE"),
                widths,
                // kubectl prints the header with the first row when there was nothing to list.
                pending_header: ((watch_only || objects.is_empty()) && !parsed.flag("no-headers"))
                    .then(|| header.clone()),
                since: cluster.resource_version(),
                format: None,
                printed: 0,
                last_rows: objects
                    .iter()
                    .map(|o| {
                        let mut row = printers::row(o, cluster.now(), wide);
                        if with_namespace {
                            row.insert(0, o.namespace().to_string());
                        }
                        (o.metadata().uid.clone().unwrap_or_default(), row)
                    })
                    .collect(),
            });
            if with_events {
                if let Some(watch) = kubectl.watch.as_mut() {
                    if watch_only {
                        let mut with_event = header.clone();
                        with_event.insert(0, "EVENT".into());
                        watch.pending_header = Some(with_event);
                        watch.widths.insert(0, "EVENT".len().max("MODIFIED".len()));
                    } else {
                        output.stdout.push_str(&watch.initial_events(
                            &header,
                            objects,
                            cluster.now(),
                        ));
                    }
                }
            } else if !watch_only && !objects.is_empty() {
                output.stdout.push_str(&table);
            }
        }
        _ => {
            let wide = output_format == "wide";
            let mut tables = Vec::new();
            for (resource, objects) in &found {
                if objects.is_empty() {
                    continue;
                }
                tables.push(render_table(
                    resource,
                    objects,
                    cluster.now(),
                    wide,
                    all_namespaces && resource.namespaced,
                    show_kind,
                    &parsed,
                ));
            }
            let separator = if parsed.flag("no-headers") { "" } else { "\n" };
            output.stdout.push_str(&tables.join(separator));
        }
    }
    if total == 0
        && !parsed.flag("watch-only")
        && output.stderr.is_empty()
        && matches!(printer, Printer::Table)
        && !parsed.flag("ignore-not-found")
    {
        let message = if all_namespaces || found.iter().all(|(r, _)| !r.namespaced) {
            "No resources found\n".to_string()
        } else {
            format!("No resources found in {namespace} namespace.\n")
        };
        output.stderr.push_str(&message);
    }
    output
}

fn push_found(
    found: &mut Vec<(&'static ResourceType, Vec<Rc<Object>>)>,
    resource: &'static ResourceType,
    object: Rc<Object>,
) {
    match found.last_mut() {
        Some((r, objects)) if *r == resource => objects.push(object),
        _ => found.push((resource, vec![object])),
    }
}

fn render_table(
    resource: &ResourceType,
    objects: &[Rc<Object>],
    now: cluster::SimTime,
    wide: bool,
    with_namespace: bool,
    show_kind: bool,
    parsed: &flags::ParsedArgs,
) -> String {
    let mut header: Vec<String> = printers::headers(resource.kind, wide)
        .iter()
        .map(|h| h.to_string())
        .collect();
    let label_columns: Vec<String> = parsed
        .values("label-columns")
        .iter()
        .flat_map(|v| v.split(','))
        .map(str::to_string)
        .collect();
    for key in &label_columns {
        header.push(key.rsplit('/').next().unwrap_or(key).to_uppercase());
    }
    if parsed.flag("show-labels") {
        header.push("LABELS".into());
    }
    if with_namespace {
        header.insert(0, "NAMESPACE".into());
    }
    let name_column = usize::from(with_namespace);
    let rows: Vec<Vec<String>> = objects
        .iter()
        .map(|object| {
            let mut row = printers::row(object, now, wide);
            let labels = object.metadata().labels.as_ref();
            for key in &label_columns {
                row.push(labels.and_then(|l| l.get(key)).cloned().unwrap_or_default());
            }
            if parsed.flag("show-labels") {
                let text = model::selector::format_labels(labels);
                row.push(if text.is_empty() {
                    "<none>".into()
                } else {
                    text
                });
            }
            if with_namespace {
                row.insert(0, object.namespace().to_string());
            }
            if show_kind && resource.kind != "Event" {
                row[name_column] = super::object_ref(resource, &row[name_column]);
            }
            row
        })
        .collect();
    table::render(&header, &rows, parsed.flag("no-headers"))
}

/// A value as custom-columns prints it: Go's `%v` of the unstructured object's value, so maps
/// are `map[key:value …]` (keys in order) and lists `[a b]`, as real kubectl prints them.
fn go_value_text(value: &serde_json::Value) -> String {
    use serde_json::Value;
    match value {
        Value::Null => "<nil>".to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => s.clone(),
        Value::Array(items) => {
            let items: Vec<String> = items.iter().map(go_value_text).collect();
            format!("[{}]", items.join(" "))
        }
        Value::Object(fields) => {
            let fields: Vec<String> = fields
                .iter()
                .map(|(k, v)| format!("{k}:{}", go_value_text(v)))
                .collect();
            format!("map[{}]", fields.join(" "))
        }
    }
}
