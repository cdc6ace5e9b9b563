//! `kubectl apply -f`: client-side apply. The last-applied-configuration annotation records what
//! was applied; a re-apply is a three-way merge of (last applied, new manifest, live object):
//! fields the manifest sets win, fields dropped from the manifest since the last apply are
//! removed, fields only the cluster set (status, defaults, other writers) are kept.

use cluster::Cluster;
use model::Object;
use serde_json::Value;

use crate::flags::{self, boolean, value};
use crate::{Kubectl, Output, Workspace};

pub(crate) const LAST_APPLIED: &str = "kubectl.kubernetes.io/last-applied-configuration";

const APPLY_FLAGS: &[flags::FlagSpec] = &[
    value("filename", Some('f')),
    boolean("recursive", Some('R')),
    value("output", Some('o')),
    value("dry-run", None),
    boolean("server-side", None),
    value("validate", None),
    boolean("force", None),
    value("field-manager", None),
    value("selector", Some('l')),
    boolean("prune", None),
    boolean("overwrite", None),
    boolean("force-conflicts", None),
];

/// Fills the namespace kubectl sends, or returns kubectl's mismatch error.
pub(crate) fn with_request_namespace(
    mut object: Object,
    namespace: &str,
    explicit: bool,
) -> Result<Object, String> {
    if !object.resource_type().namespaced {
        return Ok(object);
    }
    let own = object.namespace().to_string();
    if own.is_empty() {
        object.metadata_mut().namespace = Some(namespace.to_string());
    } else if explicit && own != namespace {
        return Err(format!(
            "error: the namespace from the provided object \"{own}\" does not match the namespace \"{namespace}\". You must pass '--namespace={own}' to perform this operation."
        ));
    }
    Ok(object)
}

pub(crate) fn apply(
    kubectl: &mut Kubectl,
    cluster: &mut Cluster,
    args: &[String],
    workspace: &dyn Workspace,
) -> Output {
    let parsed = match flags::parse(args, APPLY_FLAGS, "apply") {
        Ok(p) => p,
        Err(e) => return Output::error(e),
    };
    if parsed.values("filename").is_empty() {
        return Output::error("error: must specify one of -f and -k");
    }
    let dry_run = parsed.value("dry-run").filter(|d| *d != "none");
    let server_side = parsed.flag("server-side");
    if server_side && dry_run == Some("client") {
        return Output::error(
            "error: --dry-run=client doesn't work with --server-side (did you mean --dry-run=server instead?)",
        );
    }
    let namespace = super::namespace_of(kubectl, &parsed);
    let sources = match super::read_sources(
        parsed.values("filename"),
        parsed.flag("recursive"),
        workspace,
    ) {
        Ok(s) => s,
        Err(e) => return Output::error(e),
    };
    let mut output = Output::default();
    let mut applied_any = false;
    for (source, text) in sources {
        let objects = match model::decode_documents(&text) {
            Ok(objects) => objects,
            Err(e) => {
                output.append(Output::error(super::decode_error_message(
                    &source, &e, "creating",
                )));
                continue;
            }
        };
        for object in objects {
            applied_any = true;
            let object =
                match with_request_namespace(object, &namespace, parsed.is_set("namespace")) {
                    Ok(o) => o,
                    Err(e) => {
                        output.append(Output::error(e));
                        continue;
                    }
                };
            // Apply reads the live object by name first: without a name (a generateName is
            // no use to apply) that read fails in kubectl itself.
            if object.name().is_empty() {
                let group = object.group();
                let version = object.api_version().rsplit('/').next().unwrap_or("v1");
                output.append(Output::error(format!(
                    "error: error when retrieving current configuration of:\nResource: \"{group}/{version}, Resource={}\", GroupVersionKind: \"{group}/{version}, Kind={}\"\nName: \"\", Namespace: \"{}\"\nfrom server for: \"{source}\": resource name may not be empty",
                    object.resource_type().plural,
                    object.kind(),
                    object.namespace(),
                )));
                continue;
            }
            let access_verb = if cluster
                .get(object.resource_type(), object.namespace(), object.name())
                .is_ok()
            {
                "patch"
            } else {
                "create"
            };
            if let Err(denied) = super::check_access(
                cluster,
                &parsed,
                access_verb,
                object.resource_type(),
                Some(object.namespace()),
                Some(object.name()).filter(|_| access_verb == "patch"),
            ) {
                output.append(denied);
                continue;
            }
            output.append(apply_one(
                cluster,
                object,
                &source,
                dry_run,
                server_side,
                parsed.value("output"),
            ));
        }
    }
    if !applied_any && output.exit_code == 0 {
        return Output::error("error: no objects passed to apply");
    }
    output
}

fn apply_one(
    cluster: &mut Cluster,
    object: Object,
    source: &str,
    dry_run: Option<&str>,
    server_side: bool,
    output_format: Option<&str>,
) -> Output {
    let reference = super::object_ref(object.resource_type(), object.name());
    let suffix = match dry_run {
        Some("server") => " (server dry run)",
        Some(_) => " (dry run)",
        None => "",
    };
    match apply_object(cluster, object, dry_run.is_some()) {
        Ok(applied) => {
            // Server-side apply reports every object alike, and has no annotation to miss (the
            // merge itself still follows client-side apply's rules: see the README).
            let (verb, warning) = if server_side {
                ("serverside-applied", "")
            } else {
                (applied.verb, applied.warning.as_str())
            };
            let mut out = print_result(
                &applied.object,
                &format!("{reference} {verb}{suffix}"),
                output_format,
            );
            out.stderr.insert_str(0, warning);
            out
        }
        Err(ApplyError::Message(message)) => Output::error(message),
        Err(ApplyError::Api(e)) => Output::error(super::server_error(&e, Some(source), "creating")),
    }
}

/// What one apply did (or, for a dry run, would do).
pub(crate) struct Applied {
    /// The object as stored (or, for a dry run without a stored result, as it would be sent).
    pub object: Object,
    /// `created`, `configured` or `unchanged`.
    pub verb: &'static str,
    /// A warning kubectl prints before the result line.
    pub warning: String,
}

pub(crate) enum ApplyError {
    /// A client-side error, already worded.
    Message(String),
    /// The API server refused the write.
    Api(cluster::ApiError),
}

/// The last-applied-configuration kubectl records for a manifest: the manifest as sent,
/// without the annotation itself, its annotations an empty map when it has none
/// (`"annotations":{}`, as GetModifiedConfiguration sets them before encoding), then a newline.
pub(crate) fn last_applied_text(manifest: &Value) -> String {
    let mut manifest = manifest.clone();
    if let Some(meta) = manifest
        .pointer_mut("/metadata")
        .and_then(Value::as_object_mut)
    {
        let annotations = meta
            .entry("annotations")
            .or_insert_with(|| Value::Object(Default::default()));
        if let Some(annotations) = annotations.as_object_mut() {
            annotations.remove(LAST_APPLIED);
        }
    }
    format!("{}\n", serde_json::to_string(&manifest).unwrap_or_default())
}

/// Client-side apply of one object: records the last-applied-configuration annotation, creates
/// the object or three-way merges it into the live one and updates it. With `dry_run` nothing
/// is written and the merged object is returned as it would be sent.
pub(crate) fn apply_object(
    cluster: &mut Cluster,
    mut object: Object,
    dry_run: bool,
) -> Result<Applied, ApplyError> {
    let resource = object.resource_type();
    let name = object.name().to_string();
    let last_applied_text = last_applied_text(&object.to_json_value());
    object
        .metadata_mut()
        .annotations
        .get_or_insert_with(Default::default)
        .insert(LAST_APPLIED.to_string(), last_applied_text.clone());

    let mut warning = String::new();
    let existing = cluster.get(resource, object.namespace(), &name).ok();
    let result = match existing {
        None => {
            if dry_run {
                return Ok(Applied {
                    object,
                    verb: "created",
                    warning,
                });
            }
            cluster.create(object).map(|o| (o, "created"))
        }
        Some(live) => {
            let live_json = live.to_json_value();
            let last: Option<Value> = live
                .metadata()
                .annotations
                .as_ref()
                .and_then(|a| a.get(LAST_APPLIED))
                .and_then(|text| serde_json::from_str(text).ok());
            if last.is_none() {
                warning = format!(
                    "Warning: resource {} is missing the {LAST_APPLIED} annotation which is required by kubectl apply. kubectl apply should only be used on resources created declaratively by either kubectl create --save-config or kubectl apply. The missing annotation will be patched automatically.\n",
                    resource.plural_with_name(&name)
                );
            }
            let mut merged = live_json.clone();
            let mut new_json = object.to_json_value();
            // The server owns these; the manifest never carries them into the merge.
            if let Some(meta) = new_json.get_mut("metadata").and_then(Value::as_object_mut) {
                for field in ["uid", "resourceVersion", "creationTimestamp", "generation"] {
                    meta.remove(field);
                }
            }
            model::merge::three_way_merge(&mut merged, last.as_ref(), &new_json);
            let merged_object = match Object::from_json_value(merged) {
                Ok(o) => o,
                Err(e) => return Err(ApplyError::Message(format!("error: {}", e.message))),
            };
            if dry_run {
                let verb = if merged_object == *live {
                    "unchanged"
                } else {
                    "configured"
                };
                return Ok(Applied {
                    object: merged_object,
                    verb,
                    warning,
                });
            }
            let before = live.metadata().resource_version.clone();
            cluster.update(merged_object).map(|o| {
                let verb = if o.metadata().resource_version == before {
                    "unchanged"
                } else {
                    "configured"
                };
                (o, verb)
            })
        }
    };
    match result {
        Ok((stored, verb)) => Ok(Applied {
            object: (*stored).clone(),
            verb,
            warning,
        }),
        Err(e) => Err(ApplyError::Api(e)),
    }
}

/// Prints a write's result: the one-line message, or the object with `-o`.
pub(crate) fn print_result(object: &Object, line: &str, output_format: Option<&str>) -> Output {
    if let Some(printed) =
        output_format.and_then(|f| super::output::print_with_template(f, &object.to_json_value()))
    {
        return printed;
    }
    match output_format {
        Some("yaml") => Output::ok(object.to_yaml()),
        Some("json") => Output::ok(super::get::to_json_pretty(&object.to_json_value()) + "\n"),
        Some("name") => Output::ok(format!(
            "{}\n",
            super::object_ref(object.resource_type(), object.name())
        )),
        _ => Output::ok(format!("{line}\n")),
    }
}

trait PluralWithName {
    fn plural_with_name(&self, name: &str) -> String;
}

impl PluralWithName for model::ResourceType {
    /// `deployments.apps/web`, as apply's warnings name objects.
    fn plural_with_name(&self, name: &str) -> String {
        format!("{}/{name}", self.qualified_plural())
    }
}

const LAST_APPLIED_FLAGS: &[flags::FlagSpec] = &[
    value("filename", Some('f')),
    boolean("recursive", Some('R')),
    value("output", Some('o')),
    value("selector", Some('l')),
    boolean("all", None),
    boolean("create-annotation", None),
    value("dry-run", None),
];

/// `kubectl apply view-last-applied` (the annotation as YAML or JSON) and `set-last-applied`
/// (the annotation set from a file, the object itself untouched). `edit-last-applied` needs an
/// editor on the annotation, which the playground's edit (the heredoc as the editor's buffer)
/// does not offer for it: it says so.
pub(crate) fn last_applied(
    kubectl: &mut Kubectl,
    cluster: &mut Cluster,
    subcommand: &str,
    args: &[String],
    workspace: &dyn Workspace,
) -> Output {
    if subcommand == "edit-last-applied" {
        return Output::error(
            "error: kubectl apply edit-last-applied is not simulated in kubeplay: use view-last-applied, then set-last-applied -f with the edited file",
        );
    }
    let parsed = match flags::parse(args, LAST_APPLIED_FLAGS, &format!("apply {subcommand}")) {
        Ok(p) => p,
        Err(e) => return Output::error(e),
    };
    let namespace = super::namespace_of(kubectl, &parsed);
    // The objects named: from files (set-last-applied always, view with -f) or by TYPE NAME.
    let mut from_files: Vec<Object> = Vec::new();
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
                        match with_request_namespace(object, &namespace, parsed.is_set("namespace"))
                        {
                            Ok(o) => from_files.push(o),
                            Err(e) => return Output::error(e),
                        }
                    }
                }
                Err(e) => return Output::error(super::decode_error_message(&source, &e, "")),
            }
        }
    }
    let mut output = Output::default();
    if subcommand == "set-last-applied" {
        if from_files.is_empty() {
            return Output::error(
                "error: must specify one of -f and -k\nSee 'kubectl apply set-last-applied -h' for help and examples",
            );
        }
        for object in from_files {
            let resource = object.resource_type();
            let name = object.name().to_string();
            if let Err(denied) = super::check_access(
                cluster,
                &parsed,
                "patch",
                resource,
                Some(object.namespace()),
                Some(&name),
            ) {
                output.append(denied);
                return output;
            }
            let live = match cluster.get(resource, object.namespace(), &name) {
                Ok(live) => live,
                Err(e) => {
                    output.append(Output::error(e.to_string()));
                    return output;
                }
            };
            let current = live
                .metadata()
                .annotations
                .as_ref()
                .and_then(|a| a.get(LAST_APPLIED))
                .cloned();
            if current.is_none() && !parsed.flag("create-annotation") {
                output.append(Output::error(format!("error: no last-applied-configuration annotation found on resource: {name}, to create the annotation, run the command with --create-annotation")));
                return output;
            }
            let wanted = last_applied_text(&object.to_json_value());
            if current.as_deref() == Some(wanted.as_str()) {
                output
                    .stdout
                    .push_str(&format!("set-last-applied {name}: no changes required.\n"));
                continue;
            }
            let reference = super::object_ref(resource, &name);
            if let Some(suffix) = super::dry_run_suffix(&parsed) {
                if suffix == " (dry run)" {
                    output
                        .stdout
                        .push_str(&format!("{reference} configured{suffix}\n"));
                    continue;
                }
            }
            let patch =
                serde_json::json!({ "metadata": { "annotations": { LAST_APPLIED: wanted } } });
            match cluster.patch(
                resource,
                live.namespace(),
                &name,
                cluster::PatchType::Merge,
                &patch,
            ) {
                Ok(_) => output.stdout.push_str(&format!(
                    "{reference} configured{}\n",
                    super::dry_run_suffix(&parsed).unwrap_or("")
                )),
                Err(e) => output.append(Output::error(e.to_string())),
            }
        }
        return output;
    }
    // view-last-applied
    let format = parsed.value("output").unwrap_or("yaml");
    if !matches!(format, "yaml" | "json") {
        return Output::error(format!("error: Unexpected -o output mode: {format}, the flag 'output' must be one of yaml|json\nSee 'kubectl apply view-last-applied -h' for help and examples"));
    }
    let mut named: Vec<(&'static model::ResourceType, String, String)> = from_files
        .iter()
        .map(|o| {
            (
                o.resource_type(),
                o.namespace().to_string(),
                o.name().to_string(),
            )
        })
        .collect();
    if named.is_empty() {
        match super::modify::targets(cluster, &parsed, &namespace, &parsed.positionals) {
            Ok(targets) => named.extend(
                targets
                    .into_iter()
                    .map(|(resource, name)| (resource, namespace.clone(), name)),
            ),
            Err(o) => return o,
        }
    }
    for (resource, object_namespace, name) in named {
        if let Err(denied) = super::check_access(
            cluster,
            &parsed,
            "get",
            resource,
            Some(&object_namespace),
            Some(&name),
        ) {
            output.append(denied);
            return output;
        }
        let live = match cluster.get(resource, &object_namespace, &name) {
            Ok(live) => live,
            Err(e) => return Output::error(e.to_string()),
        };
        let Some(text) = live
            .metadata()
            .annotations
            .as_ref()
            .and_then(|a| a.get(LAST_APPLIED))
            .cloned()
        else {
            output.append(Output::error(format!(
                "error: no last-applied-configuration annotation found on resource: {name}"
            )));
            return output;
        };
        let Ok(value) = serde_json::from_str::<Value>(&text) else {
            output.stdout.push_str(&text);
            continue;
        };
        if format == "json" {
            output
                .stdout
                .push_str(&serde_json::to_string_pretty(&value).unwrap_or_default());
            if text.ends_with('\n') {
                output.stdout.push('\n');
            }
        } else {
            output.stdout.push_str(&model::decode::json_to_yaml(&value));
        }
    }
    output
}
