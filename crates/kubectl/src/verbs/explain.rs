//! `kubectl explain TYPE[.FIELD…] [--recursive] [--api-version=GROUP/VERSION]`: the API's field
//! documentation, laid out as kubectl 1.37's `plaintext` template lays it out (KIND/VERSION,
//! FIELD, DESCRIPTION re-wrapped at 76 columns, FIELDS with `<type>` and `-required-`, nested
//! with `--recursive`). The schemas are k8s-openapi's, tabled at build time (build.rs) as plain
//! JSON — the page is served brotli-compressed, which packs plain JSON tighter than a deflated
//! blob — and parsed on the first explain.

use model::sort::SortSlice;
use std::cell::OnceCell;

use serde_json::{Map, Value};

use crate::flags::{self, boolean, value};
use crate::Output;

const EXPLAIN_FLAGS: &[flags::FlagSpec] = &[
    boolean("recursive", Some('R')),
    value("max-depth", None),
    value("api-version", None),
    value("output", Some('o')),
];

static TABLE: &str = include_str!(concat!(env!("OUT_DIR"), "/explain.json"));

thread_local! {
    static SCHEMAS: OnceCell<Value> = const { OnceCell::new() };
}

fn with_schemas<T>(f: impl FnOnce(&Value) -> T) -> T {
    SCHEMAS.with(|cell| {
        let table = cell.get_or_init(|| serde_json::from_str(TABLE).unwrap_or(Value::Null));
        f(table)
    })
}

pub(crate) fn explain(args: &[String]) -> Output {
    let parsed = match flags::parse(args, EXPLAIN_FLAGS, "explain") {
        Ok(p) => p,
        Err(e) => return Output::error(e),
    };
    match parsed.value("output") {
        None | Some("plaintext") => {}
        Some("plaintext-openapiv2") => {
            return Output::error(
                "error: --output plaintext-openapiv2 is not available in this playground; use the default plaintext",
            )
        }
        Some(other) => {
            return Output::error(format!(
                "error: unsupported output format: {other}; the available formats are plaintext, plaintext-openapiv2"
            ))
        }
    }
    let Some(request) = parsed.positionals.first() else {
        return Output::error("error: You must specify the type of resource to explain. Use \"kubectl api-resources\" for a complete list of supported resources.");
    };
    if parsed.positionals.len() > 1 {
        return Output::error("error: We accept only this format: explain RESOURCE");
    }
    let max_depth = match parsed.value("max-depth").map(str::parse::<usize>) {
        None => 0,
        Some(Ok(n)) => n,
        Some(Err(_)) => {
            return Output::error(format!(
                "error: invalid argument \"{}\" for \"--max-depth\" flag: strconv.ParseInt: parsing \"{}\": invalid syntax\nSee 'kubectl explain --help' for usage.",
                parsed.value("max-depth").unwrap_or(""),
                parsed.value("max-depth").unwrap_or("")
            ))
        }
    };
    if max_depth > 0 && !parsed.flag("recursive") {
        return Output::error("error: --max-depth requires --recursive");
    }
    let mut parts = request.split('.');
    let resource_name = parts.next().unwrap_or("");
    let field_path: Vec<&str> = parts.collect();
    // explain words this one without kubectl's usual "error: ".
    let Some(resource) = model::registry::resolve(resource_name) else {
        return Output::error(format!(
            "the server doesn't have a resource type \"{resource_name}\""
        ));
    };
    let (group, version) = match parsed.value("api-version") {
        Some(api_version) => {
            let (g, v) = model::registry::split_api_version(api_version);
            if g != resource.group {
                return Output::error(format!(
                    "error: couldn't find resource for \"{}\"",
                    if g.is_empty() {
                        format!("/{v}, Resource={}", resource.plural)
                    } else {
                        format!("{g}/{v}, Resource={}", resource.plural)
                    }
                ));
            }
            (g.to_string(), v.to_string())
        }
        None => (resource.group.to_string(), resource.versions[0].to_string()),
    };
    match explain_text(
        &group,
        &version,
        resource.kind,
        &field_path,
        parsed.flag("recursive"),
        max_depth,
    ) {
        Ok(text) => Output::ok(text),
        Err(ExplainError::NoSchema) => Output::error(format!(
            "error: couldn't find resource for \"{}\"",
            if group.is_empty() {
                format!("/{version}, Resource={}", resource.plural)
            } else {
                format!("{group}/{version}, Resource={}", resource.plural)
            }
        )),
        Err(ExplainError::NoField(header)) => {
            // The header is already out when the template finds the field missing.
            let mut failed = Output::error(format!(
                "error: field \"{}\" does not exist",
                field_path.last().copied().unwrap_or("")
            ));
            failed.stdout = header;
            failed
        }
    }
}

/// Why [`explain_text`] has nothing to print.
pub(crate) enum ExplainError {
    /// The table has no schema for this group/version/kind.
    NoSchema,
    /// The path names a field that does not exist; what explain printed before noticing.
    NoField(String),
}

/// What `kubectl explain KIND.FIELD…` prints for the schema of `group/version/kind` (`group`
/// empty for the core group): GROUP/KIND/VERSION, then FIELD, DESCRIPTION and FIELDS.
pub(crate) fn explain_text(
    group: &str,
    version: &str,
    kind: &str,
    field_path: &[&str],
    recursive: bool,
    max_depth: usize,
) -> Result<String, ExplainError> {
    let key = format!("{group}/{version}/{kind}");
    with_schemas(|table| {
        let root = table["roots"]
            .get(&key)
            .and_then(Value::as_str)
            .ok_or(ExplainError::NoSchema)?;
        let explainer = Explainer {
            defs: table["defs"].as_object(),
            recursive,
            max_depth,
        };
        let root_schema = serde_json::json!({ "$ref": root });
        let mut out = String::new();
        if !group.is_empty() {
            out.push_str(&format!("GROUP:      {group}\n"));
        }
        out.push_str(&format!("KIND:       {kind}\nVERSION:    {version}\n\n"));
        let mut body = String::new();
        if !explainer.output(&root_schema, field_path, &mut Vec::new(), &mut body, 0) {
            return Err(ExplainError::NoField(out));
        }
        out.push_str(&body);
        out.push('\n');
        Ok(out)
    })
}

/// One step of a path into a manifest: a field of an object, or an element of an array.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Step<'a> {
    Field(&'a str),
    Item,
}

/// A field of an object schema: its name, explain's `<type>` and its own description.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct FieldDoc {
    pub name: String,
    pub type_name: String,
    pub description: String,
    pub required: bool,
}

/// The fields of the object reached by following `path` from the schema of
/// `group/version/kind` (sorted by name); `None` when the path leaves the schema or does not
/// end at an object with named fields.
pub(crate) fn fields_at(
    group: &str,
    version: &str,
    kind: &str,
    path: &[Step],
) -> Option<Vec<FieldDoc>> {
    let key = format!("{group}/{version}/{kind}");
    with_schemas(|table| {
        let root = table["roots"].get(&key)?.as_str()?;
        let explainer = Explainer {
            defs: table["defs"].as_object(),
            recursive: false,
            max_depth: 0,
        };
        let root_schema = serde_json::json!({ "$ref": root });
        let mut schema = &root_schema;
        for step in path {
            schema = explainer.step(schema, *step, 0)?;
        }
        let mut fields = Vec::new();
        explainer.collect_fields(schema, &mut fields, 0);
        fields.sort_stable_by(|a, b| a.name.cmp(&b.name));
        fields.dedup_by(|a, b| a.name == b.name);
        (!fields.is_empty()).then_some(fields)
    })
}

struct Explainer<'a> {
    defs: Option<&'a Map<String, Value>>,
    recursive: bool,
    /// `--max-depth`: how many levels --recursive prints (0: all).
    max_depth: usize,
}

/// Deepest nesting explain follows (the kinds served have no cycles; a guard all the same).
const MAX_DEPTH: usize = 64;

impl<'a> Explainer<'a> {
    fn resolve(&self, schema: &'a Value) -> Option<&'a Value> {
        let reference = schema.get("$ref")?.as_str()?;
        self.defs?.get(reference)
    }

    fn resolved(&self, schema: &'a Value) -> &'a Value {
        self.resolve(schema).unwrap_or(schema)
    }

    /// The schema one step below `schema` (through `$ref`s and `allOf`s; a map's keys lead to
    /// its values).
    fn step(&self, schema: &'a Value, step: Step, depth: usize) -> Option<&'a Value> {
        if depth > MAX_DEPTH {
            return None;
        }
        let resolved = self.resolved(schema);
        let direct = match step {
            Step::Field(name) => resolved
                .get("properties")
                .and_then(|p| p.get(name))
                .or_else(|| {
                    resolved
                        .get("additionalProperties")
                        .filter(|a| a.is_object())
                }),
            Step::Item => resolved.get("items"),
        };
        direct.or_else(|| {
            resolved
                .get("allOf")?
                .as_array()?
                .iter()
                .find_map(|sub| self.step(sub, step, depth + 1))
        })
    }

    /// The named fields of an object schema (through `$ref`s and `allOf`s).
    fn collect_fields(&self, schema: &'a Value, out: &mut Vec<FieldDoc>, depth: usize) {
        if depth > MAX_DEPTH {
            return;
        }
        let resolved = self.resolved(schema);
        if let Some(properties) = resolved.get("properties").and_then(Value::as_object) {
            let required = resolved.get("required").and_then(Value::as_array);
            for (name, field) in properties {
                out.push(FieldDoc {
                    name: name.clone(),
                    type_name: self.type_guess(field, 0),
                    description: field
                        .get("description")
                        .and_then(Value::as_str)
                        .unwrap_or("")
                        .to_string(),
                    required: required.is_some_and(|r| r.iter().any(|n| n.as_str() == Some(name))),
                });
            }
        }
        for sub in resolved
            .get("allOf")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            self.collect_fields(sub, out, depth + 1);
        }
    }

    /// The template's "output": follows the field path, then prints DESCRIPTION and FIELDS.
    /// Returns false when the path names a field that does not exist.
    fn output(
        &self,
        schema: &'a Value,
        path: &[&str],
        history: &mut Vec<String>,
        out: &mut String,
        depth: usize,
    ) -> bool {
        if depth > MAX_DEPTH {
            return false;
        }
        let reference = schema.get("$ref").and_then(Value::as_str).unwrap_or("");
        let resolved = self.resolved(schema);
        let Some((first, rest)) = path.split_first() else {
            out.push_str("DESCRIPTION:\n");
            let mut description = String::new();
            self.description(schema, &mut description, 0);
            if description.is_empty() {
                description = "<empty>".to_string();
            }
            out.push_str(&indent(4, &wrap(76, &description)));
            out.push('\n');
            let mut fields = String::new();
            self.field_list(schema, 1, history, &mut fields, 0);
            if !fields.is_empty() {
                out.push_str("FIELDS:\n");
                out.push_str(&fields);
            }
            return true;
        };
        if !reference.is_empty() && history.iter().any(|h| h == reference) {
            return false;
        }
        if !reference.is_empty() {
            history.push(reference.to_string());
        }
        if let Some(subschema) = resolved.get("properties").and_then(|p| p.get(*first)) {
            if rest.is_empty() {
                out.push_str(&format!(
                    "FIELD: {first} <{}>\n\n\n",
                    self.type_guess(subschema, 0)
                ));
            }
            return self.output(subschema, rest, &mut Vec::new(), out, depth + 1);
        }
        if let Some(items) = resolved.get("items") {
            return self.output(items, path, history, out, depth + 1);
        }
        if let Some(additional) = resolved
            .get("additionalProperties")
            .filter(|a| a.is_object())
        {
            return self.output(additional, path, history, out, depth + 1);
        }
        if let Some(all_of) = resolved.get("allOf").and_then(Value::as_array) {
            for sub in all_of {
                let mut attempt = String::new();
                if self.output(sub, path, &mut history.clone(), &mut attempt, depth + 1) {
                    out.push_str(&attempt);
                    return true;
                }
            }
        }
        false
    }

    /// The template's "description": this schema's, then those of what it is made of.
    fn description(&self, schema: &'a Value, out: &mut String, depth: usize) {
        if depth > MAX_DEPTH {
            return;
        }
        let schema = self.resolved(schema);
        if let Some(d) = schema.get("description").and_then(Value::as_str) {
            if !d.is_empty() {
                out.push_str(d);
                out.push('\n');
            }
        }
        if let Some(all_of) = schema.get("allOf").and_then(Value::as_array) {
            for sub in all_of {
                self.description(sub, out, depth + 1);
            }
        }
        if let Some(items) = schema.get("items") {
            self.description(items, out, depth + 1);
        }
        if let Some(additional) = schema.get("additionalProperties").filter(|a| a.is_object()) {
            self.description(additional, out, depth + 1);
        }
    }

    /// The template's "fieldList": each property (sorted), nested ones with --recursive.
    fn field_list(
        &self,
        schema: &'a Value,
        level: usize,
        history: &[String],
        out: &mut String,
        depth: usize,
    ) {
        if depth > MAX_DEPTH {
            return;
        }
        let reference = schema.get("$ref").and_then(Value::as_str).unwrap_or("");
        if !reference.is_empty() && history.iter().any(|h| h == reference) {
            return;
        }
        let mut next_history = history.to_vec();
        next_history.push(reference.to_string());
        let resolved = self.resolved(schema);
        if let Some(properties) = resolved.get("properties").and_then(Value::as_object) {
            for (name, field) in properties {
                self.field_detail(name, resolved, field, level, out);
                if self.recursive && (self.max_depth == 0 || level < self.max_depth) {
                    self.field_list(field, level + 1, &next_history, out, depth + 1);
                }
            }
        }
        if let Some(all_of) = resolved.get("allOf").and_then(Value::as_array) {
            for sub in all_of {
                self.field_list(sub, level, &next_history, out, depth + 1);
            }
        }
        if let Some(items) = resolved.get("items") {
            self.field_list(items, level, &next_history, out, depth + 1);
        }
        if let Some(additional) = resolved
            .get("additionalProperties")
            .filter(|a| a.is_object())
        {
            self.field_list(additional, level, &next_history, out, depth + 1);
        }
    }

    /// The template's "fieldDetail": `name<TAB><type> -required-`, then the description.
    fn field_detail(
        &self,
        name: &str,
        parent: &Value,
        field: &'a Value,
        level: usize,
        out: &mut String,
    ) {
        let indent_amount = level * 2;
        out.push_str(&" ".repeat(indent_amount));
        out.push_str(name);
        out.push_str(&format!("\t<{}>", self.type_guess(field, 0)));
        let required = parent
            .get("required")
            .and_then(Value::as_array)
            .is_some_and(|r| r.iter().any(|n| n.as_str() == Some(name)));
        if required {
            out.push_str(" -required-");
        }
        out.push('\n');
        if !self.recursive {
            let description = field
                .get("description")
                .and_then(Value::as_str)
                .filter(|d| !d.is_empty())
                .unwrap_or("<no description>");
            out.push_str(&indent(
                indent_amount + 2,
                &wrap(78usize.saturating_sub(indent_amount), description),
            ));
            out.push_str("\n\n");
        }
    }

    /// The template's "typeGuess": `string`, `[]Container`, `map[string]string`, `PodSpec`, …
    fn type_guess(&self, schema: &'a Value, depth: usize) -> String {
        if depth > MAX_DEPTH {
            return "Object".to_string();
        }
        if let Some(items) = schema.get("items") {
            return format!("[]{}", self.type_guess(items, depth + 1));
        }
        if let Some(additional) = schema.get("additionalProperties").filter(|a| a.is_object()) {
            return format!("map[string]{}", self.type_guess(additional, depth + 1));
        }
        if let Some([only]) = schema
            .get("allOf")
            .and_then(Value::as_array)
            .map(Vec::as_slice)
        {
            if schema.get("properties").is_none() {
                return self.type_guess(only, depth + 1);
            }
        }
        if let Some(reference) = schema.get("$ref").and_then(Value::as_str) {
            let target = self.resolve(schema);
            let target_type = target.and_then(|t| t.get("type")).and_then(Value::as_str);
            return match target_type {
                None | Some("object") => {
                    let name = reference.rsplit('.').next().unwrap_or("");
                    if name.is_empty() { "Object" } else { name }.to_string()
                }
                Some(t) => t.to_string(),
            };
        }
        match schema.get("type").and_then(Value::as_str) {
            Some("object") | None => "Object".to_string(),
            Some(t) => t.to_string(),
        }
    }
}

/// kubectl explain's `indent`: every line, the first included, gets `amount` spaces.
fn indent(amount: usize, text: &str) -> String {
    let pad = " ".repeat(amount);
    format!("{pad}{}", text.replace('\n', &format!("\n{pad}")))
}

/// kubectl explain's `wrap`: go-wordwrap's WrapString — lines broken at whitespace to stay within
/// `limit` columns, existing line breaks kept, a word longer than the limit on a line of its own.
fn wrap(limit: usize, text: &str) -> String {
    let mut out = String::new();
    let mut current = 0usize;
    let mut word = String::new();
    let mut word_len = 0usize;
    let mut spaces = String::new();
    let mut spaces_len = 0usize;
    for c in text.chars() {
        if c == '\n' {
            if word.is_empty() {
                if current + spaces_len <= limit {
                    out.push_str(&spaces);
                }
            } else {
                out.push_str(&spaces);
                out.push_str(&word);
                word.clear();
                word_len = 0;
            }
            spaces.clear();
            spaces_len = 0;
            out.push('\n');
            current = 0;
        } else if c.is_whitespace() && c != '\u{a0}' {
            if spaces.is_empty() || !word.is_empty() {
                current += spaces_len + word_len;
                out.push_str(&spaces);
                out.push_str(&word);
                spaces.clear();
                word.clear();
                spaces_len = 0;
                word_len = 0;
            }
            spaces.push(c);
            spaces_len += 1;
        } else {
            word.push(c);
            word_len += 1;
            if current + spaces_len + word_len > limit && word_len < limit {
                out.push('\n');
                current = 0;
                spaces.clear();
                spaces_len = 0;
            }
        }
    }
    if word.is_empty() {
        if current + spaces_len <= limit {
            out.push_str(&spaces);
        }
    } else {
        out.push_str(&spaces);
        out.push_str(&word);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(line: &str) -> Output {
        let args: Vec<String> = line.split_whitespace().map(String::from).collect();
        explain(&args)
    }

    #[test]
    fn pods_have_kubectls_layout() {
        let out = run("pods");
        assert_eq!(out.exit_code, 0, "{}", out.stderr);
        assert!(out.stdout.starts_with("KIND:       Pod\nVERSION:    v1\n\nDESCRIPTION:\n    Pod is a collection of containers that can run on a host. This resource is\n    created by clients and scheduled onto hosts.\n    \nFIELDS:\n  apiVersion\t<string>\n"), "{}", out.stdout);
        assert!(out.stdout.contains("\n  spec\t<PodSpec>\n"));
        let containers = run("pods.spec.containers");
        assert!(
            containers
                .stdout
                .contains("FIELD: containers <[]Container>\n"),
            "{}",
            containers.stdout
        );
        assert!(
            containers
                .stdout
                .contains("\n  name\t<string> -required-\n"),
            "{}",
            containers.stdout
        );
        let deployment = run("deploy");
        assert!(deployment
            .stdout
            .starts_with("GROUP:      apps\nKIND:       Deployment\nVERSION:    v1\n"));
    }

    #[test]
    fn errors_are_kubectls() {
        assert_eq!(
            run("pods.spec.nope").stderr,
            "error: field \"nope\" does not exist\n"
        );
        assert_eq!(
            run("foo").stderr,
            "the server doesn't have a resource type \"foo\"\n"
        );
    }

    #[test]
    fn odd_paths_never_panic() {
        for line in [
            ".",
            "pods.",
            "pods..spec",
            "pods.spec.containers.résumé",
            "deploy -R --max-depth=99999",
            "svc.spec.ports.port.x",
            "pods --api-version=",
            "pods --api-version=/v1",
        ] {
            let _ = run(line);
        }
    }

    #[test]
    fn wrap_is_go_wordwrap() {
        assert_eq!(wrap(10, "aaa bbb ccc ddd"), "aaa bbb\nccc ddd");
        assert_eq!(wrap(5, "abcdefgh ij"), "abcdefgh\nij");
        assert_eq!(
            wrap(10, "one\n\ntwo three four\n"),
            "one\n\ntwo three\nfour\n"
        );
    }
}
