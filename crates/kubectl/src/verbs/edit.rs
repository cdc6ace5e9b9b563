//! `kubectl edit TYPE NAME`: the object goes into an editor as YAML under kubectl's comment
//! header; what is saved is sent back. A script has no terminal editor, so the edited buffer
//! comes from standard input (a heredoc after the command: the whole YAML as if saved from the
//! editor). Without one, the output carries the buffer in [`Output::open_in_editor`] so that the
//! page can open it in its editor, plus an error telling a script how to supply it.
//!
//! As kubectl: comment lines are ignored; an unchanged buffer cancels (`Edit cancelled, no
//! changes made.`), an empty one too (`… saved file was empty.`); apiVersion, kind and name may
//! not change; an object the API server rejects would reopen the editor with the reasons in
//! the header. There is no second round in a script: kubectl's reopened header is printed and
//! the edit ends as it does when that buffer is saved unchanged (`error: Edit cancelled, no
//! valid changes were saved.`). `--output-patch` prints the two-way strategic merge patch,
//! `--save-config` (or an existing last-applied-configuration annotation) records the edited
//! object in the annotation, `-o` prints the result like the other writers.

use cluster::Cluster;
use model::Object;
use serde_json::{Map, Value};

use crate::flags::{self, boolean, value};
use crate::{Kubectl, Output, Workspace};

const EDIT_FLAGS: &[flags::FlagSpec] = &[
    value("filename", Some('f')),
    boolean("recursive", Some('R')),
    value("output", Some('o')),
    boolean("output-patch", None),
    boolean("save-config", None),
    value("validate", None),
    boolean("windows-line-endings", None),
    value("subresource", None),
    value("field-manager", None),
    boolean("show-managed-fields", None),
    value("selector", Some('l')),
    boolean("all", None),
];

/// The comment kubectl's editor buffer starts with.
pub const EDIT_HEADER: &str = "# Please edit the object below. Lines beginning with a '#' will be ignored,\n# and an empty file will abort the edit. If an error occurs while saving this file will be\n# reopened with the relevant failures.\n#\n";

pub(crate) fn edit(
    kubectl: &mut Kubectl,
    cluster: &mut Cluster,
    args: &[String],
    workspace: &dyn Workspace,
) -> Output {
    let parsed = match flags::parse(args, EDIT_FLAGS, "edit") {
        Ok(p) => p,
        Err(e) => return Output::error(e),
    };
    if let Some(validate) = parsed.value("validate") {
        if !["strict", "true", "warn", "ignore", "false"]
            .contains(&validate.to_lowercase().as_str())
        {
            return Output::error(format!(
                "error: invalid - validate option \"{validate}\"; must be one of: strict (or true), warn, ignore (or false)"
            ));
        }
    }
    match parsed.value("subresource") {
        None => {}
        Some("status") => {
            return Output::error(
                "error: --subresource status is not available in this playground yet: the simulated API server takes status only from its controllers",
            )
        }
        Some(other) => {
            return Output::error(format!(
                "error: invalid subresource value: \"{other}\". Must be one of [status]"
            ))
        }
    }
    if let Some(format) = parsed.value("output") {
        if !matches!(format, "yaml" | "json" | "name")
            && !super::output::is_template_format(Some(format))
        {
            return Output::error(format!(
                "error: unable to match a printer suitable for the output format \"{format}\", allowed formats are: go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,kyaml,name,template,templatefile,yaml"
            ));
        }
    }
    let namespace = super::namespace_of(kubectl, &parsed);

    // The objects to edit, as the server has them.
    let mut originals: Vec<std::rc::Rc<Object>> = Vec::new();
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
            let objects = match model::decode_documents(&text) {
                Ok(o) => o,
                Err(e) => {
                    return Output::error(super::decode_error_message(&source, &e, "editing"))
                }
            };
            for object in objects {
                let ns = if object.namespace().is_empty() {
                    namespace.as_str()
                } else {
                    object.namespace()
                };
                match cluster.get(object.resource_type(), ns, object.name()) {
                    Ok(o) => originals.push(o),
                    Err(e) => return Output::error(e.to_string()),
                }
            }
        }
    } else {
        let positionals = &parsed.positionals;
        if positionals.is_empty() {
            return Output::error(super::NO_RESOURCES_GIVEN);
        }
        let mut targets: Vec<(&'static model::ResourceType, String)> = Vec::new();
        if positionals.iter().any(|p| p.contains('/')) {
            for p in positionals {
                let Some((kind, name)) = p.split_once('/') else {
                    return Output::error("error: there is no need to specify a resource type as a separate argument when passing arguments in resource/name form (e.g. 'kubectl get resource/<resource_name>' instead of 'kubectl get resource resource/<resource_name>'");
                };
                match super::resolve_resource(kind) {
                    Ok(r) => targets.push((r, name.to_string())),
                    Err(e) => return e,
                }
            }
        } else {
            let resource = match super::resolve_resource(&positionals[0]) {
                Ok(r) => r,
                Err(e) => return e,
            };
            if positionals.len() == 1 {
                // `kubectl edit deployments`: every object of the type (or -l's).
                let selector = match parsed.value("selector").map(model::Selector::parse) {
                    Some(Ok(s)) => Some(s),
                    Some(Err(e)) => return Output::error(format!("error: {e}")),
                    None => None,
                };
                let ns = resource.namespaced.then_some(namespace.as_str());
                for o in cluster.list(resource, ns) {
                    if selector
                        .as_ref()
                        .is_none_or(|s| s.matches(o.metadata().labels.as_ref()))
                    {
                        targets.push((resource, o.name().to_string()));
                    }
                }
                if targets.is_empty() {
                    return Output::error("error: no objects passed to edit");
                }
            }
            for name in &positionals[1..] {
                targets.push((resource, name.clone()));
            }
        }
        for (resource, name) in targets {
            if let Err(denied) = super::check_access(
                cluster,
                &parsed,
                "get",
                resource,
                Some(&namespace),
                Some(&name),
            ) {
                return denied;
            }
            match cluster.get(resource, &namespace, &name) {
                Ok(o) => originals.push(o),
                Err(e) => return Output::error(e.to_string()),
            }
        }
    }
    if originals.is_empty() {
        return Output::error("error: no objects passed to edit");
    }

    let show_managed = parsed.flag("show-managed-fields");
    let documents: Vec<Value> = originals
        .iter()
        .map(|o| {
            let mut v = o.to_json_value();
            if !show_managed {
                if let Some(meta) = v.get_mut("metadata").and_then(Value::as_object_mut) {
                    meta.remove("managedFields");
                }
            }
            v
        })
        .collect();
    let shown = if documents.len() == 1 {
        documents[0].clone()
    } else {
        serde_json::json!({"apiVersion": "v1", "items": documents, "kind": "List", "metadata": {"resourceVersion": ""}})
    };
    let original_yaml = model::decode::json_to_yaml(&shown);
    let buffer = format!("{EDIT_HEADER}{original_yaml}");

    let Some(edited) = workspace.stdin() else {
        let references: Vec<String> = originals
            .iter()
            .map(|o| super::object_ref(o.resource_type(), o.name()))
            .collect();
        return Output {
            stdout: String::new(),
            stderr: format!(
                "error: kubectl edit needs an editor: in a script, give the edited object as standard input, e.g.\n  kubectl edit {} <<EOF\n  …the whole YAML as you would save it…\n  EOF\n",
                references.first().cloned().unwrap_or_default()
            ),
            exit_code: 1,
            open_in_editor: Some(buffer),
        };
    };

    let stripped_edit = strip_comments(edited);
    if stripped_edit == strip_comments(&buffer) {
        return Output {
            stderr: "Edit cancelled, no changes made.\n".to_string(),
            ..Output::default()
        };
    }
    if stripped_edit.trim().is_empty() {
        return Output {
            stderr: "Edit cancelled, saved file was empty.\n".to_string(),
            ..Output::default()
        };
    }
    kubectl.temp_names += 1;
    let copy_path = format!(
        "/tmp/kubectl-edit-{}.yaml",
        super::temp_number(cluster, kubectl.temp_names, "edit")
    );
    let reopened = |reasons: &[String]| -> Output {
        let mut header = String::from(EDIT_HEADER);
        for reason in reasons {
            header.push_str(reason);
        }
        let mut stderr = header.clone();
        stderr.push_str(&format!(
            "A copy of your changes has been stored to \"{copy_path}\"\nerror: Edit cancelled, no valid changes were saved.\n"
        ));
        Output {
            stdout: String::new(),
            stderr,
            exit_code: 1,
            open_in_editor: Some(format!("{header}{}", strip_comments(edited))),
        }
    };

    // Parse what was saved.
    let edited_values: Vec<Value> = match parse_buffer(edited) {
        Ok(values) => values,
        Err(message) => {
            return reopened(&[format!(
                "# The edited file had a syntax error: {message}\n#\n"
            )])
        }
    };

    let mut output = Output::default();
    let mut reasons: Vec<String> = Vec::new();
    let mut invalid_lines = String::new();
    for mut edited_value in edited_values {
        let uid = edited_value
            .pointer("/metadata/uid")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string();
        // kubectl matches by uid; a buffer typed into a script may leave the uid out, and then
        // kind and name say which object it is.
        let single = originals.len() == 1;
        let same_object = |o: &std::rc::Rc<Object>| {
            if uid.is_empty() && single {
                true
            } else if uid.is_empty() {
                edited_value.get("kind").and_then(Value::as_str) == Some(o.kind())
                    && edited_value
                        .pointer("/metadata/name")
                        .and_then(Value::as_str)
                        == Some(o.name())
            } else {
                o.metadata().uid.as_deref() == Some(uid.as_str())
            }
        };
        let Some((original, original_value)) = originals
            .iter()
            .zip(&documents)
            .find(|(o, _)| same_object(o))
        else {
            output.stderr.push_str(&format!(
                "A copy of your changes has been stored to \"{copy_path}\"\n"
            ));
            output.append(Output::error(format!(
                "error: no original object found for the edited object with uid \"{uid}\""
            )));
            return output;
        };
        let resource = original.resource_type();
        let reference = super::object_ref(resource, original.name());
        // An object saved without a namespace is in the one it was read from.
        if resource.namespaced && edited_value.pointer("/metadata/namespace").is_none() {
            if let Some(meta) = edited_value
                .get_mut("metadata")
                .and_then(Value::as_object_mut)
            {
                meta.insert(
                    "namespace".into(),
                    Value::String(original.namespace().to_string()),
                );
            }
        }
        if edited_value == *original_value {
            output.append(super::apply::print_result(
                original,
                &format!("{reference} skipped"),
                parsed.value("output"),
            ));
            continue;
        }
        let unchanged =
            |a: &Value, b: &Value, pointer: &str| a.pointer(pointer) == b.pointer(pointer);
        if !unchanged(&edited_value, original_value, "/apiVersion")
            || !unchanged(&edited_value, original_value, "/kind")
            || !unchanged(&edited_value, original_value, "/metadata/name")
            || !unchanged(&edited_value, original_value, "/metadata/managedFields")
        {
            output.stderr.push_str(&format!(
                "A copy of your changes has been stored to \"{copy_path}\"\n"
            ));
            output.append(Output::error(
                "error: At least one of apiVersion, kind and name was changed",
            ));
            return output;
        }
        if edited_value.pointer("/metadata/namespace")
            != original_value.pointer("/metadata/namespace")
        {
            output.stderr.push_str(&format!(
                "A copy of your changes has been stored to \"{copy_path}\"\n"
            ));
            output.append(Output::error(format!(
                "error: the namespace from the provided object \"{}\" does not match the namespace \"{}\". You must pass '--namespace={}' to perform this operation.",
                edited_value.pointer("/metadata/namespace").and_then(Value::as_str).unwrap_or(""),
                original.namespace(),
                edited_value.pointer("/metadata/namespace").and_then(Value::as_str).unwrap_or(""),
            )));
            return output;
        }
        // --save-config, or an object that already has the annotation: record the edit there.
        let has_annotation = original
            .metadata()
            .annotations
            .as_ref()
            .is_some_and(|a| a.contains_key(super::apply::LAST_APPLIED));
        if parsed.flag("save-config") || has_annotation {
            let text = super::apply::last_applied_text(&edited_value);
            if let Some(meta) = edited_value
                .get_mut("metadata")
                .and_then(Value::as_object_mut)
            {
                let annotations = meta
                    .entry("annotations")
                    .or_insert_with(|| Value::Object(Map::new()));
                if let Some(a) = annotations.as_object_mut() {
                    a.insert(super::apply::LAST_APPLIED.to_string(), Value::String(text));
                }
            }
        }
        if parsed.flag("output-patch") {
            let patch = two_way_patch(original_value, &edited_value, "");
            output.stdout.push_str(&format!(
                "Patch: {}\n",
                serde_json::to_string(&patch.unwrap_or(Value::Object(Map::new())))
                    .unwrap_or_default()
            ));
        }
        let object = match Object::from_json_value(edited_value) {
            Ok(o) => o,
            Err(e) => {
                // What the API server would answer for a field it cannot decode.
                reasons.push(format!(
                    "# {} \"{}\" was not valid:\n# * {}\n#\n",
                    resource.qualified_plural(),
                    original.name(),
                    e.message
                ));
                invalid_lines.push_str(&format!(
                    "error: {} \"{}\" is invalid\n",
                    resource.qualified_plural(),
                    original.name()
                ));
                continue;
            }
        };
        if let Err(denied) = super::check_access(
            cluster,
            &parsed,
            "patch",
            resource,
            Some(original.namespace()),
            Some(original.name()),
        ) {
            output.append(denied);
            continue;
        }
        match cluster.update(object) {
            Ok(stored) => {
                output.append(super::apply::print_result(
                    &stored,
                    &format!("{reference} edited"),
                    parsed.value("output"),
                ));
            }
            Err(e) if e.reason == "Invalid" => {
                let mut reason = format!(
                    "# {} \"{}\" was not valid:\n",
                    resource.qualified_plural(),
                    original.name()
                );
                for cause in invalid_causes(&e.message) {
                    reason.push_str(&format!("# * {cause}\n"));
                }
                reason.push_str("#\n");
                reasons.push(reason);
                invalid_lines.push_str(&format!(
                    "error: {} \"{}\" is invalid\n",
                    resource.qualified_plural(),
                    original.name()
                ));
            }
            Err(e) if e.reason == "NotFound" => {
                output.append(Output::error(format!(
                    "error: {} \"{}\" could not be found on the server\nThe edits you made on deleted resources have been saved to \"{copy_path}\"",
                    resource.qualified_plural(),
                    original.name()
                )));
            }
            Err(e) => {
                output.append(Output::error(format!(
                    "error: {} \"{}\" could not be patched: {}\nYou can run `kubectl replace -f {copy_path}` to try this update again.",
                    resource.qualified_plural(),
                    original.name(),
                    e.message
                )));
            }
        }
    }
    if !reasons.is_empty() {
        let mut failed = reopened(&reasons);
        failed.stderr.insert_str(0, &invalid_lines);
        output.stdout.push_str(&failed.stdout);
        output.stderr.push_str(&failed.stderr);
        output.exit_code = 1;
        output.open_in_editor = failed.open_in_editor;
    }
    output
}

/// kubectl's StripComments: drops lines whose first non-blank character is `#` (not `#!`).
fn strip_comments(text: &str) -> String {
    let lines: Vec<&str> = text.split('\n').collect();
    let mut out = String::new();
    for (i, line) in lines.iter().enumerate() {
        let trimmed = line.trim();
        if trimmed.starts_with('#') && !trimmed.starts_with("#!") {
            continue;
        }
        out.push_str(line);
        if i + 1 < lines.len() {
            out.push('\n');
        }
    }
    out
}

/// The saved buffer as JSON objects: one object, or the items of a `List`.
fn parse_buffer(text: &str) -> Result<Vec<Value>, String> {
    let objects = model::decode_documents(text).map_err(|e| match (e.line, e.column) {
        (Some(line), _) if matches!(e.kind, model::DecodeErrorKind::Syntax) => {
            format!(
                "error parsing edited-file: error converting YAML to JSON: yaml: line {line}: {}",
                e.message
            )
        }
        _ => e.message.clone(),
    });
    match objects {
        Ok(objects) => Ok(objects.iter().map(Object::to_json_value).collect()),
        Err(message) if !text.contains("List") => Err(message),
        Err(message) => {
            // A List is not one of the kinds; decode its items one by one.
            let value: Value = serde_yaml::from_str(text).map_err(|_| message.clone())?;
            if value.get("kind").and_then(Value::as_str) != Some("List") {
                return Err(message);
            }
            let items = value
                .get("items")
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default();
            items
                .into_iter()
                .map(|item| {
                    Object::from_json_value(item)
                        .map(|o| o.to_json_value())
                        .map_err(|e| e.message)
                })
                .collect()
        }
    }
}

/// The field errors of an Invalid message (`The Deployment "web" is invalid: a: …, b: …`; a
/// list of several is bracketed).
fn invalid_causes(message: &str) -> Vec<String> {
    let Some((_, rest)) = message.split_once(" is invalid: ") else {
        return vec![message.to_string()];
    };
    let rest = rest.trim();
    if let Some(inner) = rest.strip_prefix('[').and_then(|r| r.strip_suffix(']')) {
        inner.split(", ").map(str::to_string).collect()
    } else {
        vec![rest.to_string()]
    }
}

/// A two-way strategic merge patch from `original` to `modified` (what `--output-patch` prints):
/// changed keys, `null` for removed ones, lists with a merge key patched item by item with
/// `$setElementOrder`, other lists replaced. `None` when nothing changed.
fn two_way_patch(original: &Value, modified: &Value, field: &str) -> Option<Value> {
    match (original, modified) {
        (Value::Object(a), Value::Object(b)) => {
            let mut patch = Map::new();
            for (key, old) in a {
                match b.get(key) {
                    None => {
                        patch.insert(key.clone(), Value::Null);
                    }
                    Some(new) => {
                        if let Some(p) = two_way_patch(old, new, key) {
                            if let (Value::Array(_), Some(Value::Array(order))) =
                                (new, p.get("$order"))
                            {
                                patch.insert(
                                    format!("$setElementOrder/{key}"),
                                    Value::Array(order.clone()),
                                );
                                if let Some(items) = p.get("$items") {
                                    patch.insert(key.clone(), items.clone());
                                }
                            } else {
                                patch.insert(key.clone(), p);
                            }
                        }
                    }
                }
            }
            for (key, new) in b {
                if !a.contains_key(key) {
                    patch.insert(key.clone(), new.clone());
                }
            }
            (!patch.is_empty()).then_some(Value::Object(patch))
        }
        (Value::Array(a), Value::Array(b)) if a != b => {
            let key = b
                .first()
                .or(a.first())
                .and_then(|sample| model::merge::merge_key(field, sample));
            let Some(key) = key.filter(|k| a.iter().chain(b).all(|item| item.get(*k).is_some()))
            else {
                return Some(modified.clone());
            };
            let mut items = Vec::new();
            for new in b {
                match a.iter().find(|old| old.get(key) == new.get(key)) {
                    Some(old) => {
                        if let Some(Value::Object(mut p)) = two_way_patch(old, new, "") {
                            p.insert(key.to_string(), new[key].clone());
                            items.push(Value::Object(p));
                        }
                    }
                    None => items.push(new.clone()),
                }
            }
            for old in a {
                if !b.iter().any(|new| new.get(key) == old.get(key)) {
                    items.push(serde_json::json!({"$patch": "delete", key: old[key].clone()}));
                }
            }
            let order: Vec<Value> = b
                .iter()
                .map(|item| serde_json::json!({ key: item[key].clone() }))
                .collect();
            let mut wrapper = Map::new();
            wrapper.insert("$order".into(), Value::Array(order));
            if !items.is_empty() {
                wrapper.insert("$items".into(), Value::Array(items));
            }
            Some(Value::Object(wrapper))
        }
        _ if original == modified => None,
        _ => Some(modified.clone()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn patch_of_a_container_image() {
        let a = json!({"spec": {"replicas": 1, "template": {"spec": {"containers": [{"name": "nginx", "image": "nginx:1.27"}]}}}});
        let b = json!({"spec": {"template": {"spec": {"containers": [{"name": "nginx", "image": "nginx:1.28"}]}}}});
        assert_eq!(
            serde_json::to_string(&two_way_patch(&a, &b, "").unwrap()).unwrap(),
            r#"{"spec":{"replicas":null,"template":{"spec":{"$setElementOrder/containers":[{"name":"nginx"}],"containers":[{"image":"nginx:1.28","name":"nginx"}]}}}}"#
        );
    }

    #[test]
    fn odd_buffers_never_panic() {
        let buffers = [
            "",
            "#",
            "\n\n",
            "kind: List",
            "kind: List\nitems: 3",
            "apiVersion: v1\nkind: List\nitems:\n- {}\n- kind: Pod",
            "a: &a [*a, *a]",
            "- - - -",
            "{",
            "kind: ConfigMap\nmetadata: {name: c, uid: x}",
            "\u{0}\u{feff}",
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  namespace: other\n",
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata: [1, 2]\n",
        ];
        for buffer in buffers {
            for line in [
                "edit cm c",
                "edit cm",
                "edit cm c --output-patch -o yaml",
                "diff -f -",
                "edit -f -",
            ] {
                let mut kubectl = crate::Kubectl::default();
                let mut cluster = cluster::Cluster::new(1);
                let create: Vec<String> = "create configmap c --from-literal=a=1"
                    .split(' ')
                    .map(String::from)
                    .collect();
                kubectl.run(&mut cluster, &create, &crate::NoFiles { stdin: None });
                let args: Vec<String> = line.split(' ').map(String::from).collect();
                let _ = kubectl.run(
                    &mut cluster,
                    &args,
                    &crate::NoFiles {
                        stdin: Some(buffer),
                    },
                );
            }
        }
    }

    #[test]
    fn comments_are_stripped_like_kubectl() {
        assert_eq!(strip_comments("# a\nb: 1\n  # c\n#!x\n"), "b: 1\n#!x\n");
    }
}
