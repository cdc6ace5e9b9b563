//! Manifest decoding: YAML (block and KYAML flow style, multi-document) and JSON, `List`s
//! included, into [`Object`]s — strictly, like `kubectl apply --validate=strict`, and with the
//! line and column of every error.
//!
//! How it works: the text is split into documents at `---` lines (a document marker at column 0
//! ends any YAML scalar, so the split is exact); each document is parsed once into a generic
//! value (syntax errors, duplicate keys, alias bombs and nesting depth are caught here with their
//! position), its `apiVersion`/`kind` pick the k8s-openapi type, and the value — turned into the
//! JSON the API server would receive — is decoded into that type by [`crate::strict`], which
//! names unknown fields and the path of a wrongly typed one. Those paths are then found in the
//! text for their line and column (the value's keys are searched in order, as written).

use crate::sort::SortSlice;
use std::fmt;

use crate::object::Object;
use crate::registry;

/// The API server refuses request bodies over 3 MiB (`Request entity too large: limit is
/// 3145728`); so does the decoder, per document and for the whole text.
pub const MAX_MANIFEST_BYTES: usize = 3 * 1024 * 1024;

/// Deeper than this is refused: no real manifest nests anywhere near it.
pub const MAX_NESTING_DEPTH: usize = 100;

/// Unknown fields up to this many are each located in the text to list them in written order.
const MAX_LOCATED_UNKNOWN_FIELDS: usize = 64;

/// What went wrong while decoding, which decides how kubectl words it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DecodeErrorKind {
    /// Not YAML: `error converting YAML to JSON: yaml: line 3: …`.
    Syntax,
    /// A document that is not a mapping, or lacks `apiVersion` or `kind`.
    MissingTypeInfo,
    /// `no matches for kind "CronJob" in version "batch/v1beta1"`.
    NoMatchForKind,
    /// Strict decoding: unknown fields, wrong types.
    StrictDecoding,
    /// Over [`MAX_MANIFEST_BYTES`] or [`MAX_NESTING_DEPTH`].
    TooLarge,
}

/// A decode failure with the position in the original text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodeError {
    pub kind: DecodeErrorKind,
    /// Index of the YAML document (0-based) in the text.
    pub document: usize,
    /// 1-based line in the whole text, where known.
    pub line: Option<usize>,
    /// 1-based column, where known.
    pub column: Option<usize>,
    /// The message without position, worded as the API server or kubectl words it.
    pub message: String,
    /// `kind` of the document, where it was read.
    pub object_kind: Option<String>,
    /// `apiVersion` of the document, where it was read.
    pub api_version: Option<String>,
    /// `metadata.name` of the document, where it was read.
    pub object_name: Option<String>,
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.line, self.column) {
            (Some(line), Some(column)) => {
                write!(f, "line {line}, column {column}: {}", self.message)
            }
            (Some(line), None) => write!(f, "line {line}: {}", self.message),
            _ => write!(f, "{}", self.message),
        }
    }
}

impl std::error::Error for DecodeError {}

/// 1-based line and column in the whole text, where known.
type Position = Option<(usize, usize)>;

struct Document<'a> {
    /// 0-based line where the document's text starts in the whole input.
    first_line: usize,
    text: std::borrow::Cow<'a, str>,
}

/// kubectl reads YAML as YAML 1.1 (go-yaml v2), serde_yaml as YAML 1.2. Where the two read a
/// plain (unquoted) value differently, the value is rewritten the way kubectl reads it, line by
/// line, leaving block scalars (`|`, `>`) and quoted values alone:
/// - `0400` is octal, 256 (`defaultMode: 0400` in the Secret docs; YAML 1.2 reads a string);
/// - `yes`/`no`/`on`/`off`/`y`/`n` (any of their case forms) are booleans, so `value: yes` in an
///   env var is refused as kubectl's API server refuses it.
///
/// Only `key: value` and `- value` lines are looked at, and the rewritten value stays at the end
/// of its line, so the line and column of anything else stay true.
/// A line without its line ending.
fn line_body(line: &str) -> &str {
    line.trim_end_matches(['\n', '\r'])
}

fn yaml_1_1_plain_scalars(text: &str) -> std::borrow::Cow<'_, str> {
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let indent_of = |body: &str| body.len() - body.trim_start_matches(' ').len();
    let mut changed = false;
    let mut out = String::with_capacity(text.len());
    // The indentation of the line that opened a block scalar, while inside it.
    let mut block_indent: Option<usize> = None;
    for (number, line) in lines.iter().enumerate() {
        let body = line_body(line);
        let indent = indent_of(body);
        if let Some(opened_at) = block_indent {
            if body.trim().is_empty() || indent > opened_at {
                out.push_str(line);
                continue;
            }
            block_indent = None;
        }
        // A block scalar's header ends its line (`key: |`, `"key": >-`, `- &a |2`, with or
        // without a comment): what is indented below it is text, left alone.
        let content = match body.find(" #") {
            Some(comment) => &body[..comment],
            None => body,
        }
        .trim_end();
        let last_word = content.rsplit([' ', '\t']).next().unwrap_or("");
        if last_word.starts_with(['|', '>'])
            && last_word[1..]
                .chars()
                .all(|c| matches!(c, '-' | '+' | '1'..='9'))
            && (content.len() > last_word.len() || content.starts_with(['|', '>']))
        {
            block_indent = Some(indent);
            out.push_str(line);
            continue;
        }
        // A plain value continued on more indented lines is one multi-word string (looked at
        // only for a value that would be rewritten).
        let continued = || {
            lines[number + 1..]
                .iter()
                .map(|l| line_body(l))
                .find(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#'))
                .is_some_and(|next| indent_of(next) > indent)
        };
        let (value_start, value) = plain_value_of(body);
        let value_trimmed = value.trim_end();
        match yaml_1_1_reading(value_trimmed) {
            Some(replacement) if value_start > 0 && !continued() => {
                changed = true;
                out.push_str(&body[..value_start]);
                out.push_str(&replacement);
                out.push_str(&line[value_start + value_trimmed.len()..]);
            }
            _ => out.push_str(line),
        }
    }
    if changed {
        std::borrow::Cow::Owned(out)
    } else {
        std::borrow::Cow::Borrowed(text)
    }
}

/// Where a line's plain value starts and the value (up to a comment): after `key: ` or the
/// `- ` of a list item; `(0, "")` when the line has none.
fn plain_value_of(body: &str) -> (usize, &str) {
    let mut start = body.len() - body.trim_start_matches(' ').len();
    while body[start..].starts_with("- ") {
        start += 2;
        start += body[start..].len() - body[start..].trim_start_matches(' ').len();
    }
    let rest = &body[start..];
    if rest.starts_with(['"', '\'', '{', '[', '#', '&', '*', '!']) {
        return (0, "");
    }
    let value_at = match rest.find(": ") {
        Some(colon) if !rest[..colon].contains(['"', '\'', '#']) => {
            let after = start + colon + 2;
            after + (body[after..].len() - body[after..].trim_start_matches(' ').len())
        }
        Some(_) => return (0, ""),
        None if start > 0 && body[..start].trim_end().ends_with('-') => start,
        None => return (0, ""),
    };
    let value = &body[value_at..];
    let value = match value.find(" #") {
        Some(comment) => &value[..comment],
        None => value,
    };
    (value_at, value)
}

/// The YAML 1.1 reading of a plain scalar, where it differs from YAML 1.2's.
fn yaml_1_1_reading(value: &str) -> Option<String> {
    match value {
        "y" | "Y" | "yes" | "Yes" | "YES" | "on" | "On" | "ON" => return Some("true".into()),
        "n" | "N" | "no" | "No" | "NO" | "off" | "Off" | "OFF" => return Some("false".into()),
        _ => {}
    }
    let (negative, digits) = match value.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, value.strip_prefix('+').unwrap_or(value)),
    };
    let octal = digits.strip_prefix('0')?;
    let octal: String = octal.chars().filter(|c| *c != '_').collect();
    if octal.is_empty() || !octal.chars().all(|c| c.is_digit(8)) {
        return None;
    }
    let number = i64::from_str_radix(&octal, 8).ok()?;
    Some(if negative {
        format!("-{number}")
    } else {
        number.to_string()
    })
}

/// Splits at `---` lines; the marker itself is blanked so that columns stay true.
fn split_documents(text: &str) -> Vec<Document<'_>> {
    let mut documents = Vec::new();
    let mut start_line = 0;
    let mut current = String::new();
    let is_marker = |line: &str, marker: &str| {
        line.starts_with(marker) && line[3..].chars().next().is_none_or(|c| c.is_whitespace())
    };
    for (index, line) in text.split('\n').enumerate() {
        if is_marker(line, "---") || is_marker(line, "...") {
            if index > 0 || !current.is_empty() {
                documents.push(Document {
                    first_line: start_line,
                    text: std::mem::take(&mut current).into(),
                });
            }
            start_line = index;
            current.push_str("   ");
            current.push_str(&line[3..]);
            current.push('\n');
        } else {
            current.push_str(line);
            current.push('\n');
        }
    }
    documents.push(Document {
        first_line: start_line,
        text: current.into(),
    });
    documents
}

/// Decodes every document of a manifest text into objects, in order. Empty documents are skipped
/// as kubectl skips them. The first error stops decoding: kubectl refuses the whole file too.
pub fn decode_documents(text: &str) -> Result<Vec<Object>, DecodeError> {
    if text.len() > MAX_MANIFEST_BYTES {
        return Err(DecodeError {
            kind: DecodeErrorKind::TooLarge,
            document: 0,
            line: None,
            column: None,
            message: format!("Request entity too large: limit is {MAX_MANIFEST_BYTES}"),
            object_kind: None,
            api_version: None,
            object_name: None,
        });
    }
    let mut objects = Vec::new();
    for (index, document) in split_documents(text).iter().enumerate() {
        let document = Document {
            first_line: document.first_line,
            text: yaml_1_1_plain_scalars(&document.text),
        };
        decode_document(&document, index, &mut objects)?;
    }
    Ok(objects)
}

/// One YAML (or JSON) document as plain JSON data, for configuration files that are not
/// Kubernetes objects (a cluster shape). Errors carry `line L, column C` when known; the size
/// and nesting limits of manifests apply.
pub fn yaml_value(text: &str) -> Result<serde_json::Value, String> {
    if text.len() > MAX_MANIFEST_BYTES {
        return Err(format!("too large: limit is {MAX_MANIFEST_BYTES} bytes"));
    }
    let value: serde_yaml::Value = serde_yaml::from_str(text).map_err(|e| {
        let message = strip_serde_yaml_position(&e.to_string());
        match e.location() {
            Some(l) => format!("line {}, column {}: {message}", l.line(), l.column()),
            None => message,
        }
    })?;
    if nesting_depth(&value) > MAX_NESTING_DEPTH {
        return Err(format!("nesting is deeper than {MAX_NESTING_DEPTH} levels"));
    }
    yaml_to_json(value)
}

fn error_at(
    kind: DecodeErrorKind,
    document: usize,
    position: Option<(usize, usize)>,
    message: String,
) -> DecodeError {
    DecodeError {
        kind,
        document,
        line: position.map(|p| p.0),
        column: position.map(|p| p.1),
        message,
        object_kind: None,
        api_version: None,
        object_name: None,
    }
}

/// serde_yaml appends ` at line L column C` to its messages; the position is reported apart.
fn strip_serde_yaml_position(message: &str) -> String {
    let mut message = message.to_string();
    if let Some(at) = message.find(" at line ") {
        // Keep context such as ", while parsing a block mapping" out: it names positions that are
        // relative to the document, not to the text the user sees.
        message.truncate(at);
    }
    message
}

fn yaml_error(error: &serde_yaml::Error, document: &Document<'_>, index: usize) -> DecodeError {
    let position = error
        .location()
        .map(|l| (document.first_line + l.line(), l.column()));
    let message = strip_serde_yaml_position(&error.to_string());
    let position = match (position, duplicate_key_in(&message)) {
        (Some((line, _)), Some(key)) => duplicate_key_position(document, line, &key).or(position),
        _ => position,
    };
    let (kind, message) = if message.contains("recursion limit exceeded") {
        (
            DecodeErrorKind::TooLarge,
            format!("nesting is deeper than {MAX_NESTING_DEPTH} levels"),
        )
    } else if message.contains("repetition limit exceeded") {
        (
            DecodeErrorKind::TooLarge,
            "too many aliases: the document expands beyond the size limit (alias bomb?)"
                .to_string(),
        )
    } else {
        (DecodeErrorKind::Syntax, message)
    };
    error_at(kind, index, position, message)
}

/// The key named by serde_yaml's `duplicate entry with key "name"`.
fn duplicate_key_in(message: &str) -> Option<String> {
    let rest = message.split("duplicate entry with key \"").nth(1)?;
    Some(rest.split('"').next()?.to_string())
}

/// serde_yaml points at the mapping that holds a duplicate key; the user wants the second key.
fn duplicate_key_position(
    document: &Document<'_>,
    mapping_line: usize,
    key: &str,
) -> Option<(usize, usize)> {
    let local_line = mapping_line.checked_sub(document.first_line + 1)?;
    let start: usize = document
        .text
        .split_inclusive('\n')
        .take(local_line)
        .map(str::len)
        .sum();
    let first = find_key(&document.text, key, start)?;
    let second = find_key(&document.text, key, first + key.len())?;
    let before = &document.text[..second];
    let line = before.matches('\n').count();
    let column = second - before.rfind('\n').map_or(0, |n| n + 1) + 1;
    Some((document.first_line + line + 1, column))
}

fn nesting_depth(value: &serde_yaml::Value) -> usize {
    // Iterative: the value may be exactly as deep as the parser allowed.
    let mut deepest = 0;
    let mut stack = vec![(value, 1usize)];
    while let Some((value, depth)) = stack.pop() {
        deepest = deepest.max(depth);
        match value {
            serde_yaml::Value::Sequence(items) => {
                stack.extend(items.iter().map(|v| (v, depth + 1)))
            }
            serde_yaml::Value::Mapping(map) => stack.extend(map.values().map(|v| (v, depth + 1))),
            serde_yaml::Value::Tagged(tagged) => stack.push((&tagged.value, depth)),
            _ => {}
        }
    }
    deepest
}

fn decode_document(
    document: &Document<'_>,
    index: usize,
    objects: &mut Vec<Object>,
) -> Result<(), DecodeError> {
    let value: serde_yaml::Value = match serde_yaml::from_str(&document.text) {
        Ok(value) => value,
        Err(error) => return Err(yaml_error(&error, document, index)),
    };
    if value.is_null() {
        return Ok(());
    }
    if nesting_depth(&value) > MAX_NESTING_DEPTH {
        return Err(error_at(
            DecodeErrorKind::TooLarge,
            index,
            Some((document.first_line + 1, 1)),
            format!("nesting is deeper than {MAX_NESTING_DEPTH} levels"),
        ));
    }
    let Some(map) = value.as_mapping() else {
        return Err(error_at(
            DecodeErrorKind::MissingTypeInfo,
            index,
            first_content_position(document),
            "error validating data: the document is not an object (expected a mapping with apiVersion and kind)".to_string(),
        ));
    };
    let api_version = map
        .get("apiVersion")
        .and_then(|v| v.as_str())
        .unwrap_or("")
        .to_string();
    let kind = map
        .get("kind")
        .and_then(|v| v.as_str())
        .unwrap_or("")
        .to_string();
    let name = map
        .get("metadata")
        .and_then(|m| m.get("name"))
        .and_then(|n| n.as_str())
        .map(str::to_string);

    if kind == "List" && (api_version == "v1" || api_version.is_empty()) {
        let items = map
            .get("items")
            .and_then(|i| i.as_sequence())
            .cloned()
            .unwrap_or_default();
        for item in items {
            let text = serde_yaml::to_string(&item).unwrap_or_default();
            // Items of a List lose their own positions; errors point at the List's document.
            let item_document = Document {
                first_line: document.first_line,
                text: text.into(),
            };
            let mut decoded = Vec::new();
            decode_document(&item_document, index, &mut decoded).map_err(|mut e| {
                e.line = Some(document.first_line + 1);
                e.column = Some(1);
                e
            })?;
            objects.extend(decoded);
        }
        return Ok(());
    }

    let with_identity = |mut e: DecodeError| {
        e.object_kind = Some(kind.clone()).filter(|k| !k.is_empty());
        e.api_version = Some(api_version.clone()).filter(|v| !v.is_empty());
        e.object_name = name.clone();
        e
    };
    if api_version.is_empty() || kind.is_empty() {
        let missing = if api_version.is_empty() {
            "apiVersion"
        } else {
            "kind"
        };
        return Err(with_identity(error_at(
            DecodeErrorKind::MissingTypeInfo,
            index,
            first_content_position(document),
            format!("error validating data: {missing} not set"),
        )));
    }
    if registry::for_api_version_kind(&api_version, &kind).is_none() {
        return Err(with_identity(error_at(
            DecodeErrorKind::NoMatchForKind,
            index,
            locate_path(document, &["apiVersion".to_string()]),
            format!("no matches for kind \"{kind}\" in version \"{api_version}\""),
        )));
    }

    let json = match yaml_to_json(value) {
        Ok(json) => json,
        Err(message) => {
            return Err(with_identity(error_at(
                DecodeErrorKind::StrictDecoding,
                index,
                first_content_position(document),
                format!("strict decoding error: {message}"),
            )))
        }
    };
    let unknown = crate::strict::UnknownFields::default();
    let object = match Object::deserialize_typed(&api_version, &kind, json, &unknown) {
        Some(Ok(object)) => object.into_storage_version(),
        Some(Err(error)) => {
            let path = display_path(&error.path);
            let message = match error
                .go_message
                .or_else(|| go_base64_message(&error.message, document, &error.path))
            {
                // A value of the wrong JSON type or bad base64: the API server's Go decoder
                // words it.
                Some(go_message) => go_message,
                None if path.is_empty() || error.message.starts_with(&path) => {
                    format!("strict decoding error: {}", error.message)
                }
                None => format!("strict decoding error: {path}: {}", error.message),
            };
            return Err(with_identity(error_at(
                DecodeErrorKind::StrictDecoding,
                index,
                locate_value(document, &error.path),
                message,
            )));
        }
        // The registry knew the kind but no typed decoder takes this spelling of its
        // apiVersion (`/v1`): the API server would not recognise it either.
        None => {
            return Err(with_identity(error_at(
                DecodeErrorKind::NoMatchForKind,
                index,
                locate_path(document, &["apiVersion".to_string()]),
                format!("no matches for kind \"{kind}\" in version \"{api_version}\""),
            )))
        }
    };
    // Reported in the order they are written (the JSON value's maps are sorted by key). Each is
    // found by scanning the text, so past MAX_LOCATED_UNKNOWN_FIELDS (hostile input) they keep
    // the decoder's order and only the first is located.
    let paths = unknown.into_paths();
    let unknown_fields: Vec<(Position, Vec<String>)> = if paths.len() <= MAX_LOCATED_UNKNOWN_FIELDS
    {
        let mut located: Vec<(Position, Vec<String>)> = paths
            .into_iter()
            .map(|segments| (locate_path(document, &segments), segments))
            .collect();
        located.sort_stable_by_key(|(position, _)| *position);
        located
    } else {
        paths
            .into_iter()
            .enumerate()
            .map(|(i, segments)| {
                (
                    (i == 0).then(|| locate_path(document, &segments)).flatten(),
                    segments,
                )
            })
            .collect()
    };
    if let Some((position, _)) = unknown_fields.first() {
        let listed: Vec<String> = unknown_fields
            .iter()
            .map(|(_, segments)| format!("unknown field \"{}\"", display_path(segments)))
            .collect();
        return Err(with_identity(error_at(
            DecodeErrorKind::StrictDecoding,
            index,
            *position,
            format!("strict decoding error: {}", listed.join(", ")),
        )));
    }
    objects.push(object);
    Ok(())
}

/// A parsed YAML document as the JSON the API server receives (kubectl converts YAML to JSON
/// before sending): merge keys (`<<: *defaults`) applied, scalar map keys as strings (`80: x`
/// is the key `"80"`), tags dropped, non-finite floats as their YAML text.
pub(crate) fn yaml_to_json(mut value: serde_yaml::Value) -> Result<serde_json::Value, String> {
    value
        .apply_merge()
        .map_err(|e| strip_serde_yaml_position(&e.to_string()))?;
    convert_yaml(value)
}

fn convert_yaml(value: serde_yaml::Value) -> Result<serde_json::Value, String> {
    use serde_json::Value as Json;
    use serde_yaml::Value as Yaml;
    Ok(match value {
        Yaml::Null => Json::Null,
        Yaml::Bool(b) => Json::Bool(b),
        Yaml::Number(n) => {
            if let Some(u) = n.as_u64() {
                Json::from(u)
            } else if let Some(i) = n.as_i64() {
                Json::from(i)
            } else {
                let f = n.as_f64().unwrap_or(f64::NAN);
                match serde_json::Number::from_f64(f) {
                    Some(number) => Json::Number(number),
                    None => Json::String(n.to_string()),
                }
            }
        }
        Yaml::String(s) => Json::String(s),
        Yaml::Sequence(items) => Json::Array(
            items
                .into_iter()
                .map(convert_yaml)
                .collect::<Result<_, _>>()?,
        ),
        Yaml::Mapping(map) => {
            let mut object = serde_json::Map::new();
            for (key, value) in map {
                let key = match key {
                    Yaml::String(s) => s,
                    Yaml::Bool(b) => b.to_string(),
                    Yaml::Number(n) => n.to_string(),
                    Yaml::Null => "null".to_string(),
                    Yaml::Tagged(tagged) => match tagged.value {
                        Yaml::String(s) => s,
                        _ => return Err("mapping keys must be strings".to_string()),
                    },
                    Yaml::Sequence(_) | Yaml::Mapping(_) => {
                        return Err("mapping keys must be strings".to_string())
                    }
                };
                object.insert(key, convert_yaml(value)?);
            }
            Json::Object(object)
        }
        Yaml::Tagged(tagged) => convert_yaml(tagged.value)?,
    })
}

/// How Go's `encoding/base64` words a `[]byte` field (a Secret's `data`) the base64 crate
/// refused: `illegal base64 data at input byte N`, N where Go's decoder stops (read from the
/// document's value at `path`, as the two decoders do not stop at the same byte).
fn go_base64_message(message: &str, document: &Document<'_>, path: &[String]) -> Option<String> {
    let base64_error = [
        "Invalid symbol ",
        "Invalid last symbol ",
        "Invalid input length",
        "Invalid padding",
    ]
    .iter()
    .any(|start| message.starts_with(start));
    if !base64_error {
        return None;
    }
    let mut value: serde_yaml::Value = serde_yaml::from_str(&document.text).ok()?;
    for segment in path {
        value = match segment.strip_prefix('[').and_then(|s| s.strip_suffix(']')) {
            Some(index) => value.get(index.parse::<usize>().ok()?)?.clone(),
            None => value.get(segment.as_str())?.clone(),
        };
    }
    let offset = go_base64_error_offset(value.as_str()?)?;
    Some(format!("illegal base64 data at input byte {offset}"))
}

/// Where Go's `base64.StdEncoding` decoder reports `text` corrupt, if it does: the first byte
/// outside the alphabet, a misplaced or missing `=`, or the start of an incomplete last group
/// of four (line breaks are skipped).
pub fn go_base64_error_offset(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    let is_symbol = |b: u8| b.is_ascii_alphanumeric() || b == b'+' || b == b'/';
    let is_newline = |b: u8| b == b'\n' || b == b'\r';
    let skip_newlines = |mut at: usize| {
        while at < bytes.len() && is_newline(bytes[at]) {
            at += 1;
        }
        at
    };
    let mut at = 0;
    loop {
        let mut filled = 0;
        while filled < 4 {
            if at == bytes.len() {
                return if filled == 0 { None } else { Some(at - filled) };
            }
            let byte = bytes[at];
            at += 1;
            if is_newline(byte) {
                continue;
            }
            if is_symbol(byte) {
                filled += 1;
                continue;
            }
            if byte != b'=' {
                return Some(at - 1);
            }
            // Padding: only after two or three symbols, `==` after two, then nothing more.
            match filled {
                0 | 1 => return Some(at - 1),
                2 => {
                    at = skip_newlines(at);
                    if at == bytes.len() {
                        return Some(at);
                    }
                    if bytes[at] != b'=' {
                        return Some(at - 1);
                    }
                    at += 1;
                }
                _ => {}
            }
            at = skip_newlines(at);
            return (at < bytes.len()).then_some(at);
        }
    }
}

/// `spec.template.spec.containers[0].imagePullPolicyy`, as the API server names fields.
fn display_path(segments: &[String]) -> String {
    let mut out = String::new();
    for segment in segments {
        if !segment.starts_with('[') && !out.is_empty() {
            out.push('.');
        }
        out.push_str(segment);
    }
    out
}

fn first_content_position(document: &Document<'_>) -> Option<(usize, usize)> {
    document.text.lines().enumerate().find_map(|(i, line)| {
        let trimmed = line.trim_start();
        (!trimmed.is_empty() && !trimmed.starts_with('#'))
            .then(|| (document.first_line + i + 1, line.len() - trimmed.len() + 1))
    })
}

/// Finds where a field path is written, by scanning for each key in turn (block or flow style).
/// For `[n]` it skips to the n-th occurrence of the following key. Falls back to the nearest
/// found ancestor, then to the document's first line.
fn locate_path(document: &Document<'_>, segments: &[String]) -> Option<(usize, usize)> {
    let text: &str = &document.text;
    let mut cursor = 0usize;
    let mut found: Option<usize> = None;
    for segment in segments {
        if let Some(index) = segment.strip_prefix('[').and_then(|s| s.strip_suffix(']')) {
            if let Some(item) = nth_block_sequence_item(text, cursor, index.parse().unwrap_or(0)) {
                cursor = item;
            }
            continue;
        }
        match find_key(text, segment, cursor) {
            Some(p) => {
                found = Some(p);
                cursor = p + segment.len();
            }
            None => break,
        }
    }
    match found {
        Some(offset) => {
            let before = &text[..offset];
            let line = before.matches('\n').count();
            let column = offset - before.rfind('\n').map_or(0, |n| n + 1) + 1;
            Some((document.first_line + line + 1, column))
        }
        None => first_content_position(document),
    }
}

/// Where the value at a field path starts: after `key:` on the same line, or the first line of
/// content below it (a block mapping or sequence), where the YAML parser reports a value.
fn locate_value(document: &Document<'_>, segments: &[String]) -> Option<(usize, usize)> {
    let Some(last) = segments.last() else {
        return first_content_position(document);
    };
    let (line, column) = locate_path(document, segments)?;
    if last.starts_with('[') {
        return Some((line, column));
    }
    let local_line = line.checked_sub(document.first_line + 1)?;
    let mut lines = document.text.split('\n').skip(local_line);
    let text_line = lines.next()?;
    let key_start = column.checked_sub(1)?;
    let rest = text_line.get(key_start..)?;
    let after_key = rest.find(':').map(|i| key_start + i + 1)?;
    let value_text = text_line.get(after_key..)?;
    let trimmed = value_text.trim_start_matches([' ', '\t']);
    if !trimmed.is_empty() && !trimmed.starts_with('#') {
        return Some((line, text_line.len() - trimmed.len() + 1));
    }
    for (offset, below) in lines.enumerate() {
        let content = below.trim_start_matches(' ');
        if content.trim().is_empty() || content.starts_with('#') {
            continue;
        }
        return Some((line + offset + 1, below.len() - content.len() + 1));
    }
    Some((line, column))
}

/// Byte offset of the `n`-th item (0-based) of the block sequence that starts after `from`: the
/// lines starting with `- ` at the indentation of the first such line. `None` in flow style.
fn nth_block_sequence_item(text: &str, from: usize, n: usize) -> Option<usize> {
    let line_start = text.get(..from)?.rfind('\n').map_or(0, |i| i + 1);
    let mut offset = line_start;
    let mut item_indent = None;
    let mut seen = 0;
    for line in text[line_start..].split_inclusive('\n') {
        let trimmed = line.trim_start_matches(' ');
        let indent = line.len() - trimmed.len();
        let is_item = trimmed.starts_with("- ") || trimmed.trim_end() == "-";
        if offset > line_start || !is_item {
            match item_indent {
                None if is_item && offset > line_start => item_indent = Some(indent),
                Some(expected)
                    if !trimmed.trim().is_empty()
                        && !trimmed.starts_with('#')
                        && indent < expected =>
                {
                    return None
                }
                _ => {}
            }
        }
        if is_item && Some(indent) == item_indent {
            if seen == n {
                return Some((offset + indent + 2).min(text.len()));
            }
            seen += 1;
        }
        offset += line.len();
    }
    None
}

/// Byte offset of `key` used as a mapping key (`key:` or `"key":`) at or after `from`.
fn find_key(text: &str, key: &str, from: usize) -> Option<usize> {
    // An empty key (`"": x`) would match everywhere without moving on.
    if key.is_empty() {
        return None;
    }
    let mut start = from;
    while let Some(relative) = text.get(start..)?.find(key) {
        let at = start + relative;
        let before = text[..at].chars().next_back();
        let (key_start, after_index) = match before {
            Some('"') | Some('\'') => (at - 1, at + key.len() + 1),
            _ => (at, at + key.len()),
        };
        let boundary_before = text[..key_start]
            .chars()
            .next_back()
            .is_none_or(|c| c.is_whitespace() || c == '{' || c == ',' || c == '-');
        let rest = text.get(after_index..).unwrap_or("");
        if boundary_before && rest.trim_start_matches([' ', '\t']).starts_with(':') {
            return Some(key_start);
        }
        start = at + key.len();
    }
    None
}

/// Renders JSON as YAML the way kubectl prints it (keys sorted, block style, lists unindented).
pub fn json_to_yaml(value: &serde_json::Value) -> String {
    crate::yaml::to_yaml(value)
}

#[cfg(test)]
mod yaml_1_1_tests {
    use super::yaml_1_1_plain_scalars;

    #[test]
    fn plain_octal_and_yes_no_values_read_as_kubectl_reads_them() {
        let text = "spec:\n  volumes:\n  - secret:\n      defaultMode: 0400 # owner only\n  - items: [0644]\n  list:\n  - 0755\n  - \"0755\"\n  env: {a: yes}\n  value: yes\n  quoted: 'no'\n  port: 080\n  zero: 0\n  n: 0x1F\n";
        let expected = "spec:\n  volumes:\n  - secret:\n      defaultMode: 256 # owner only\n  - items: [0644]\n  list:\n  - 493\n  - \"0755\"\n  env: {a: yes}\n  value: true\n  quoted: 'no'\n  port: 080\n  zero: 0\n  n: 0x1F\n";
        assert_eq!(yaml_1_1_plain_scalars(text), expected);
    }

    #[test]
    fn block_scalars_and_keys_are_left_alone() {
        let text = "data:\n  config: |\n    mode: 0400\n    enabled: yes\n\n    - on\n  after: off\n  script: >-\n    no\nyes: 1\n";
        let expected = "data:\n  config: |\n    mode: 0400\n    enabled: yes\n\n    - on\n  after: false\n  script: >-\n    no\nyes: 1\n";
        assert_eq!(yaml_1_1_plain_scalars(text), expected);
        let quoted_key = "data:\n  \"app.conf\": |\n    enabled: yes\n    mode: 0644\n  other: &x |-\n    debug: on\n  note: no\n    problem here\n  last: no\n";
        assert_eq!(
            yaml_1_1_plain_scalars(quoted_key),
            "data:\n  \"app.conf\": |\n    enabled: yes\n    mode: 0644\n  other: &x |-\n    debug: on\n  note: no\n    problem here\n  last: false\n"
        );
        let untouched = "kind: Pod\nmetadata:\n  name: a\n";
        assert!(matches!(
            yaml_1_1_plain_scalars(untouched),
            std::borrow::Cow::Borrowed(_)
        ));
    }
}
