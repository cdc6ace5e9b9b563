//! `kubectl get`: tables (with `-o wide`, `--show-labels`, `-L`, `-A`, `--no-headers`), and
//! `-o yaml|json|name`.

use std::rc::Rc;

use cluster::Cluster;
use model::{Object, ResourceType, Selector};

use crate::flags::{self, boolean, value};
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
    let output_format = parsed.value("output").unwrap_or("");
    if !["", "wide", "yaml", "json", "name"].contains(&output_format) {
        return Output::error(format!(
            "error: unable to match a printer suitable for the output format \"{output_format}\", allowed formats are: json,name,wide,yaml (this playground does not support the others yet)"
        ));
    }

    let mut output = Output::default();
    // (resource, objects found) in request order.
    let mut found: Vec<(&'static ResourceType, Vec<Rc<Object>>)> = Vec::new();
    let mut show_kind = parsed.flag("show-kind");

    if !parsed.values("filename").is_empty() {
        let sources = match super::read_sources(parsed.values("filename"), workspace) {
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
        match request {
            Request::Named(named) => {
                show_kind = show_kind || named.iter().any(|(r, _)| r != &named[0].0);
                for (resource, name) in named {
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
                        found.push((resource, objects));
                    } else {
                        for name in &names {
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

    let total: usize = found.iter().map(|(_, objects)| objects.len()).sum();
    let single_named =
        parsed.positionals.len() >= 2 || parsed.positionals.iter().any(|p| p.contains('/'));
    match output_format {
        "yaml" | "json" => {
            let objects: Vec<serde_json::Value> = found
                .iter()
                .flat_map(|(_, os)| os.iter().map(|o| o.to_json_value()))
                .collect();
            let document = if objects.len() == 1 && single_named && total == 1 {
                objects.into_iter().next().unwrap_or_default()
            } else {
                serde_json::json!({ "apiVersion": "v1", "items": objects, "kind": "List", "metadata": { "resourceVersion": "" } })
            };
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
        && output.stderr.is_empty()
        && (output_format.is_empty() || output_format == "wide")
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
