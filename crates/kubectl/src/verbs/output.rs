//! Template output shared by every verb that prints objects (`get`, `create`, `apply`, `expose`,
//! `run`, `patch`, `label`, `annotate`, `scale`, `set`, `replace`, `autoscale`, `edit`): kubectl's
//! `--template`, `-o go-template[-file]`, `-o template[file]`, `-o jsonpath-file` and
//! `--allow-missing-template-keys` are folded into `-o go-template=TEXT` / `-o jsonpath=TEXT`
//! before a verb parses its flags, so the verbs only ever see the inline forms.

use serde_json::Value;

use crate::gotemplate::GoTemplate;
use crate::jsonpath::Template;
use crate::{Output, Workspace};

/// The internal output format for a go-template run with `--allow-missing-template-keys=false`
/// (a name nobody types).
pub(crate) const GO_TEMPLATE_STRICT: &str = "go-template\u{1}strict";

/// Verbs whose printer takes templates (cobra registers `--template` and
/// `--allow-missing-template-keys` on them).
pub(crate) const TEMPLATE_VERBS: &[&str] = &[
    "get",
    "create",
    "apply",
    "expose",
    "run",
    "patch",
    "label",
    "annotate",
    "scale",
    "set",
    "replace",
    "autoscale",
    "edit",
    "config",
];

/// Rewrites the template flags into `-o FORMAT=TEXT`, reading template files through the
/// workspace; kubectl's errors for a missing template, an unreadable file or a template that
/// does not parse.
pub(crate) fn normalize_template_args(
    args: &[String],
    workspace: &dyn Workspace,
) -> Result<Vec<String>, Output> {
    let mut rest = Vec::new();
    let mut output: Option<String> = None;
    let mut template: Option<String> = None;
    let mut allow_missing = true;
    let mut i = 0;
    while i < args.len() {
        let arg = &args[i];
        i += 1;
        if arg == "--" {
            rest.extend_from_slice(&args[i - 1..]);
            break;
        }
        let take_value = |inline: Option<&str>, i: &mut usize| -> Option<String> {
            match inline {
                Some(v) => Some(v.to_string()),
                None if *i < args.len() => {
                    *i += 1;
                    Some(args[*i - 1].clone())
                }
                None => None,
            }
        };
        if arg == "-o" || arg == "--output" {
            match take_value(None, &mut i) {
                Some(v) => output = Some(v),
                None => rest.push(arg.clone()),
            }
        } else if let Some(v) = arg.strip_prefix("--output=") {
            output = Some(v.to_string());
        } else if let Some(v) = arg.strip_prefix("-o").filter(|_| !arg.starts_with("--")) {
            output = Some(v.strip_prefix('=').unwrap_or(v).to_string());
        } else if arg == "--template" {
            match take_value(None, &mut i) {
                Some(v) => template = Some(v),
                None => {
                    return Err(Output::error(
                        "error: flag needs an argument: --template".to_string(),
                    ))
                }
            }
        } else if let Some(v) = arg.strip_prefix("--template=") {
            template = Some(v.to_string());
        } else if arg == "--allow-missing-template-keys" {
            allow_missing = true;
        } else if let Some(v) = arg.strip_prefix("--allow-missing-template-keys=") {
            allow_missing = match v {
                "true" | "1" | "t" | "T" | "TRUE" | "True" => true,
                "false" | "0" | "f" | "F" | "FALSE" | "False" => false,
                other => {
                    return Err(Output::error(format!(
                        "error: invalid argument \"{other}\" for \"--allow-missing-template-keys\" flag: strconv.ParseBool: parsing \"{other}\": invalid syntax"
                    )))
                }
            };
        } else {
            rest.push(arg.clone());
        }
    }
    let template = template.filter(|t| !t.is_empty());
    let format = match (&output, &template) {
        (Some(o), _) if !o.is_empty() => o.clone(),
        (_, Some(_)) => "go-template".to_string(),
        _ => {
            if let Some(o) = output {
                rest.insert(0, format!("--output={o}"));
            }
            return Ok(rest);
        }
    };
    let (name, inline) = match format.split_once('=') {
        Some((n, v)) => (n.to_string(), Some(v.to_string())),
        None => (format.clone(), None),
    };
    let kind = match name.as_str() {
        "go-template" | "template" => Some(("go-template", false)),
        "go-template-file" | "templatefile" => Some(("go-template", true)),
        "jsonpath" => Some(("jsonpath", false)),
        "jsonpath-file" => Some(("jsonpath", true)),
        "jsonpath-as-json" => Some(("jsonpath-as-json", false)),
        _ => None,
    };
    let Some((kind, from_file)) = kind else {
        rest.insert(0, format!("--output={format}"));
        return Ok(rest);
    };
    // `--template` wins over the text after `=`.
    let value = template.or(inline).unwrap_or_default();
    if value.is_empty() {
        return Err(Output::error(
            "error: template format specified but no template given",
        ));
    }
    let text = if from_file {
        workspace.read_file(&value).map_err(|_| {
            Output::error(format!(
                "error: error reading --template {value}, open {value}: no such file or directory"
            ))
        })?
    } else {
        value
    };
    let kind = if kind == "go-template" {
        if let Err(e) = GoTemplate::parse(&text) {
            return Err(Output::error(format!(
                "error: error parsing template {text}, {e}"
            )));
        }
        if allow_missing {
            kind
        } else {
            GO_TEMPLATE_STRICT
        }
    } else {
        kind
    };
    // Before any `--`, where the verb's flag parser still reads flags.
    rest.insert(0, format!("--output={kind}={text}"));
    Ok(rest)
}

/// Prints `value` with a template output format (`jsonpath=…`, `jsonpath-as-json=…`,
/// `go-template=…`), or `None` when `format` is not one.
pub(crate) fn print_with_template(format: &str, value: &Value) -> Option<Output> {
    let (name, text) = format.split_once('=')?;
    match name {
        "go-template" | GO_TEMPLATE_STRICT => {
            let template = match GoTemplate::parse(text) {
                Ok(t) => t.missing_keys_are_errors(name == GO_TEMPLATE_STRICT),
                Err(e) => {
                    return Some(Output::error(format!(
                        "error: error parsing template {text}, {e}"
                    )))
                }
            };
            Some(
                match crate::gotemplate::render_for_kubectl(&template, value) {
                    Ok(out) => Output::ok(out),
                    Err((stdout, stderr)) => Output {
                        stdout,
                        stderr,
                        exit_code: 1,
                        open_in_editor: None,
                    },
                },
            )
        }
        "jsonpath" | "jsonpath-as-json" => {
            let trimmed = text.trim_matches('\'');
            let template = match Template::parse(trimmed) {
                Ok(t) => t,
                Err(e) => {
                    return Some(Output::error(format!(
                        "error: error parsing jsonpath {trimmed}, {e}"
                    )))
                }
            };
            Some(if name == "jsonpath" {
                Output::ok(template.render(value))
            } else {
                let values: Vec<Value> = template.values(value).into_iter().cloned().collect();
                Output::ok(super::get::to_json_pretty(&Value::Array(values)) + "\n")
            })
        }
        _ => None,
    }
}

/// Whether an `-o` value is one of the template formats [`print_with_template`] prints.
pub(crate) fn is_template_format(format: Option<&str>) -> bool {
    format
        .and_then(|f| f.split_once('='))
        .is_some_and(|(name, _)| {
            matches!(name, "go-template" | "jsonpath" | "jsonpath-as-json")
                || name == GO_TEMPLATE_STRICT
        })
}
