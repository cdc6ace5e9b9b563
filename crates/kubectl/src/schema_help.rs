//! Help for a manifest editor from the schemas `kubectl explain` reads: completion candidates
//! (`apiVersion`s, kinds, field names, enum values) and hover text (what `kubectl explain
//! KIND.FIELD` prints) at a cursor.
//!
//! The text is usually mid-edit and not valid YAML, so nothing here parses it: the YAML path
//! at the cursor is worked out from indentation alone (a `- ` marker is an array element,
//! `key:` with nothing after it opens a mapping, block scalars are skipped), within the
//! `---`-separated document holding the cursor, whose top-level `apiVersion` and `kind` pick
//! the schema. Offsets are byte offsets into the text; any offset is accepted (clamped to the
//! text and to a character boundary), and nothing panics on any input.

use model::registry::{self, RESOURCE_TYPES};
use model::sort::SortSlice;

use crate::verbs::explain::{explain_text, fields_at, FieldDoc, Step};

/// What a candidate completes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CandidateKind {
    /// A value of `apiVersion`.
    ApiVersion,
    /// A value of `kind`.
    Kind,
    /// A field name.
    Field,
    /// One of a field's enumerated values (or `true`/`false`).
    Value,
}

/// One completion candidate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    /// What the list shows (and what typing filters on).
    pub label: String,
    /// The text that replaces `from..to` (a field name comes with its `: `).
    pub insert: String,
    /// Explain's `<type>` of a field (`-required-` after it when the schema requires it), the
    /// preferred apiVersion of a kind, …
    pub detail: String,
    pub kind: CandidateKind,
}

/// Completion candidates for the text between `from` and `to` (byte offsets; `to` is the
/// cursor, or the end of the key the cursor is in).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Completions {
    pub from: usize,
    pub to: usize,
    pub candidates: Vec<Candidate>,
}

/// Documentation for what the cursor is on, and the span (byte offsets) it covers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hover {
    pub from: usize,
    pub to: usize,
    /// What `kubectl explain` prints for it.
    pub text: String,
}

/// One line of the document, reduced to its YAML shape.
#[derive(Debug, Default)]
struct Shape<'t> {
    /// Columns of the `- ` markers, left to right.
    dashes: Vec<usize>,
    /// Column where the key or scalar after the markers starts.
    content: usize,
    /// `key` and the column of its colon, when the line has one.
    key: Option<(&'t str, usize)>,
    /// What follows the colon, trimmed, without a comment.
    value: &'t str,
    /// Nothing but blanks and a comment.
    empty: bool,
}

fn shape(line: &str) -> Shape<'_> {
    let bytes = line.as_bytes();
    let mut i = 0;
    let mut dashes = Vec::new();
    loop {
        while i < bytes.len() && bytes[i] == b' ' {
            i += 1;
        }
        if i < bytes.len() && bytes[i] == b'-' && (i + 1 == bytes.len() || bytes[i + 1] == b' ') {
            dashes.push(i);
            i += 1;
        } else {
            break;
        }
    }
    let rest = &line[i..];
    let mut out = Shape {
        dashes,
        content: i,
        empty: rest.trim().is_empty() || rest.starts_with('#'),
        ..Shape::default()
    };
    if out.empty || rest.starts_with(['{', '[', '|', '>', '&', '*', '!', '%', '@', '`']) {
        return out;
    }
    if let Some(colon) = key_colon(rest) {
        let key = rest[..colon].trim_end();
        let key = key
            .strip_prefix('"')
            .and_then(|k| k.strip_suffix('"'))
            .or_else(|| key.strip_prefix('\'').and_then(|k| k.strip_suffix('\'')))
            .unwrap_or(key);
        let value = &rest[colon + 1..];
        let value = match value.find(" #") {
            Some(hash) => &value[..hash],
            None => value,
        };
        out.key = Some((key, i + colon));
        out.value = value.trim();
    }
    out
}

/// The colon ending a mapping key (followed by a blank or the line's end), outside quotes.
fn key_colon(rest: &str) -> Option<usize> {
    let bytes = rest.as_bytes();
    let mut i = 0;
    if let Some(quote @ (b'"' | b'\'')) = bytes.first().copied() {
        i = 1 + rest[1..].find(quote as char)? + 1;
    }
    while i < bytes.len() {
        match bytes[i] {
            b'#' if i > 0 && bytes[i - 1] == b' ' => return None,
            b':' if i + 1 == bytes.len() || bytes[i + 1] == b' ' || bytes[i + 1] == b'\t' => {
                return Some(i)
            }
            _ => {}
        }
        i += 1;
    }
    None
}

/// An open collection on the way to the cursor, at its column.
#[derive(Debug, Clone, Copy)]
enum Open<'t> {
    Key(usize, &'t str),
    Item(usize),
}

impl Open<'_> {
    fn column(&self) -> usize {
        match self {
            Open::Key(c, _) | Open::Item(c) => *c,
        }
    }
}

/// The collections open at some point of a document, from the indentation of its lines.
#[derive(Debug, Default)]
struct Context<'t> {
    stack: Vec<Open<'t>>,
    /// Inside a block scalar whose key (or marker) is at this column.
    block: Option<usize>,
}

impl<'t> Context<'t> {
    /// A `- ` marker at `column`: closes what is as deep or deeper (but not the key the list
    /// belongs to, which may sit at the same column), opens an element.
    fn item(&mut self, column: usize) {
        while let Some(top) = self.stack.last() {
            if top.column() > column || matches!(top, Open::Item(c) if *c == column) {
                self.stack.pop();
            } else {
                break;
            }
        }
        self.stack.push(Open::Item(column));
    }

    /// Something at `column` that is not a marker: closes what is as deep or deeper.
    fn at(&mut self, column: usize) {
        while self.stack.last().is_some_and(|top| top.column() >= column) {
            self.stack.pop();
        }
    }

    /// Markers of a line, then its content column.
    fn enter(&mut self, shape: &Shape) {
        match shape.dashes.first() {
            Some(&first) => {
                self.item(first);
                for &d in &shape.dashes[1..] {
                    self.stack.push(Open::Item(d));
                }
            }
            None => self.at(shape.content),
        }
    }

    fn line(&mut self, line: &'t str) {
        let indent = line.len() - line.trim_start_matches(' ').len();
        if let Some(block) = self.block {
            if line.trim().is_empty() || indent > block {
                return;
            }
            self.block = None;
        }
        let shape = shape(line);
        if shape.empty {
            return;
        }
        self.enter(&shape);
        match shape.key {
            Some((key, _)) => {
                let value = strip_properties(shape.value);
                if value.is_empty() {
                    self.stack.push(Open::Key(shape.content, key));
                } else if value.starts_with(['|', '>']) {
                    self.block = Some(shape.content);
                }
            }
            None => {
                let scalar = strip_properties(&line[shape.content..]);
                if scalar.starts_with(['|', '>']) {
                    self.block = Some(shape.dashes.last().copied().unwrap_or(shape.content));
                }
            }
        }
    }

    fn path(&self) -> Vec<Step<'t>> {
        self.stack
            .iter()
            .map(|open| match open {
                Open::Key(_, k) => Step::Field(k),
                Open::Item(_) => Step::Item,
            })
            .collect()
    }
}

/// A value without its anchor (`&a`) and tag (`!!map`).
fn strip_properties(value: &str) -> &str {
    let mut value = value.trim();
    while value.starts_with(['&', '!']) {
        value = value
            .split_once(' ')
            .map(|(_, rest)| rest.trim_start())
            .unwrap_or("");
    }
    value
}

/// The cursor's document: its byte range, the cursor line's start, and the schema's
/// `(group, version, kind)` from its `apiVersion` and `kind`.
struct Document<'t> {
    text: &'t str,
    start: usize,
    line_start: usize,
    api_version: Option<&'t str>,
    kind: Option<&'t str>,
}

fn is_separator(line: &str) -> bool {
    (line.starts_with("---") || line.starts_with("..."))
        && line[3..].chars().next().is_none_or(char::is_whitespace)
}

fn floor_boundary(text: &str, offset: usize) -> usize {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// Lines of `text` starting at `start` with their byte offsets (without `\n` or `\r`).
fn lines_from(text: &str, start: usize) -> impl Iterator<Item = (usize, &str)> {
    let mut at = start;
    std::iter::from_fn(move || {
        if at > text.len() {
            return None;
        }
        let rest = &text[at..];
        let (line, next) = match rest.find('\n') {
            Some(n) => (&rest[..n], at + n + 1),
            None => (rest, text.len() + 1),
        };
        let found = (at, line.strip_suffix('\r').unwrap_or(line));
        at = next;
        Some(found)
    })
}

fn document(text: &str, cursor: usize) -> Option<Document<'_>> {
    let line_start = text[..cursor].rfind('\n').map_or(0, |n| n + 1);
    let mut start = 0;
    for (at, line) in lines_from(text, 0) {
        if at >= line_start {
            if is_separator(line) {
                return None;
            }
            break;
        }
        if is_separator(line) {
            start = at + line.len() + 1;
        }
    }
    let start = start.min(line_start);
    let mut end = text.len();
    let mut api_version = None;
    let mut kind = None;
    for (at, line) in lines_from(text, start) {
        if at > line_start && is_separator(line) {
            end = at;
            break;
        }
        if line.starts_with([' ', '-', '#']) {
            continue;
        }
        let shape = shape(line);
        let value = unquote(shape.value);
        match shape.key {
            Some(("apiVersion", _)) if !value.is_empty() => api_version = Some(value),
            Some(("kind", _)) if !value.is_empty() => kind = Some(value),
            _ => {}
        }
    }
    Some(Document {
        text: &text[..end],
        start,
        line_start,
        api_version,
        kind,
    })
}

fn unquote(value: &str) -> &str {
    value.trim_matches(['"', '\''])
}

impl<'t> Document<'t> {
    /// `(group, version, kind)` of the schema: the apiVersion's when it serves the kind, else
    /// the kind's preferred version.
    fn schema(&self) -> Option<(&'static str, &'t str, &'static str)> {
        let kind = self.kind?;
        if let Some(api_version) = self.api_version {
            if let Some(r) = registry::for_api_version_kind(api_version, kind) {
                return Some((r.group, registry::split_api_version(api_version).1, r.kind));
            }
        }
        let r = RESOURCE_TYPES.iter().find(|r| r.kind == kind)?;
        Some((r.group, r.versions[0], r.kind))
    }

    /// The open collections at the start of the cursor's line.
    fn context(&self) -> Context<'t> {
        let mut context = Context::default();
        for (at, line) in lines_from(self.text, self.start) {
            if at >= self.line_start {
                break;
            }
            context.line(line);
        }
        context
    }

    fn fields(&self, path: &[Step]) -> Vec<FieldDoc> {
        match self.schema() {
            Some((group, version, kind)) => fields_at(group, version, kind, path),
            None => None,
        }
        .unwrap_or_default()
    }
}

/// Completion candidates at byte `offset` of `text`.
pub fn complete(text: &str, offset: usize) -> Completions {
    let cursor = floor_boundary(text, offset);
    let none = Completions {
        from: cursor,
        to: cursor,
        candidates: Vec::new(),
    };
    let Some(doc) = document(text, cursor) else {
        return none;
    };
    let mut context = doc.context();
    let line = lines_from(text, doc.line_start)
        .next()
        .map_or("", |(_, l)| l);
    let before = &line[..(cursor - doc.line_start).min(line.len())];
    let cursor = doc.line_start + before.len();
    let none = Completions {
        from: cursor,
        to: cursor,
        candidates: Vec::new(),
    };
    let before_shape = shape(before);
    if before_shape.content < before.len() && before[before_shape.content..].starts_with('#') {
        return none;
    }
    if context.block.is_some_and(|b| before_shape.content > b) {
        return none;
    }
    context.enter(&before_shape);
    let path = context.path();
    if let Some((key, colon)) = before_shape.key {
        // A value: after `key:` (and an opening quote).
        let value_start =
            colon + 1 + before[colon + 1..].len() - before[colon + 1..].trim_start().len();
        let value_start = value_start + usize::from(before[value_start..].starts_with(['"', '\'']));
        let mut value_end = cursor - doc.line_start;
        value_end += line[value_end..]
            .find([' ', '"', '\'', '#'])
            .unwrap_or(line.len() - value_end);
        let candidates = if path.is_empty() && key == "apiVersion" {
            api_versions(doc.kind)
        } else if path.is_empty() && key == "kind" {
            kinds(doc.api_version)
        } else {
            let field = doc.fields(&path).into_iter().find(|f| f.name == key);
            field.map(|f| enum_values(&f)).unwrap_or_default()
        };
        return Completions {
            from: doc.line_start + value_start.min(before.len()),
            to: doc.line_start + value_end.min(line.len()),
            candidates,
        };
    }
    // A key: the word from the content column to the cursor.
    let word = &before[before_shape.content..];
    if word.contains(['"', '\'', '{', '[', ' ']) {
        return none;
    }
    let after = &line[before.len()..];
    let key_rest = after
        .find(|c: char| !(c.is_alphanumeric() || "-_.".contains(c)))
        .unwrap_or(after.len());
    let has_colon = after[key_rest..].trim_start().starts_with(':');
    let fields = if path.is_empty() && doc.schema().is_none() {
        vec![
            FieldDoc {
                name: "apiVersion".into(),
                type_name: "string".into(),
                description: String::new(),
                required: false,
            },
            FieldDoc {
                name: "kind".into(),
                type_name: "string".into(),
                description: String::new(),
                required: false,
            },
        ]
    } else {
        doc.fields(&path)
    };
    let candidates = fields
        .into_iter()
        .map(|f| {
            let insert = if has_colon {
                f.name.clone()
            } else if f.type_name.starts_with("[]")
                || f.type_name.starts_with("map[")
                || f.type_name.starts_with(|c: char| c.is_ascii_uppercase())
            {
                format!("{}:", f.name)
            } else {
                format!("{}: ", f.name)
            };
            Candidate {
                detail: if f.required {
                    format!("<{}> -required-", f.type_name)
                } else {
                    format!("<{}>", f.type_name)
                },
                label: f.name,
                insert,
                kind: CandidateKind::Field,
            }
        })
        .collect();
    Completions {
        from: doc.line_start + before_shape.content,
        to: cursor + if has_colon { key_rest } else { 0 },
        candidates,
    }
}

/// Every served `group/version`, or those serving `kind` when it is served at all.
fn api_versions(kind: Option<&str>) -> Vec<Candidate> {
    let serving_kind = kind.filter(|k| registry::kind_exists(k));
    let mut out: Vec<Candidate> = Vec::new();
    for r in RESOURCE_TYPES {
        if serving_kind.is_some_and(|k| k != r.kind) {
            continue;
        }
        for version in r.versions {
            let api_version = registry::group_version(r.group, version);
            if !out.iter().any(|c| c.label == api_version) {
                out.push(Candidate {
                    insert: api_version.clone(),
                    label: api_version,
                    detail: String::new(),
                    kind: CandidateKind::ApiVersion,
                });
            }
        }
    }
    out
}

/// The kinds served at `api_version`, or every kind when it serves none.
fn kinds(api_version: Option<&str>) -> Vec<Candidate> {
    let served = |r: &&registry::ResourceType| api_version.is_some_and(|v| r.serves(v));
    let filter = RESOURCE_TYPES.iter().any(|r| served(&r));
    let mut out: Vec<Candidate> = Vec::new();
    for r in RESOURCE_TYPES.iter().filter(|r| !filter || served(r)) {
        if !out.iter().any(|c| c.label == r.kind) {
            out.push(Candidate {
                label: r.kind.to_string(),
                insert: r.kind.to_string(),
                detail: r.api_version(),
                kind: CandidateKind::Kind,
            });
        }
    }
    out.sort_stable_by(|a, b| a.label.cmp(&b.label));
    out
}

/// The values a field's description enumerates (`true`/`false` for a boolean).
fn enum_values(field: &FieldDoc) -> Vec<Candidate> {
    let values = match field.type_name.as_str() {
        "boolean" => vec!["true".to_string(), "false".to_string()],
        "string" | "[]string" => described_values(&field.description),
        _ => Vec::new(),
    };
    values
        .into_iter()
        .map(|v| Candidate {
            label: v.clone(),
            insert: v,
            detail: field.type_name.clone(),
            kind: CandidateKind::Value,
        })
        .collect()
}

/// Values a Kubernetes field description lists: an OpenAPI `Possible enum values:` list
/// (`` - `"Always"` means … ``), or a sentence such as `One of Always, Never, IfNotPresent.`,
/// `Valid values are "A" and "B".`, `Supports "TCP", "UDP", and "SCTP".`, `Can be "Recreate" or
/// "RollingUpdate".` — taken only when every item is one word.
pub fn described_values(description: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut push = |v: &str| {
        if !v.is_empty() && !out.iter().any(|o| o == v) {
            out.push(v.to_string());
        }
    };
    if let Some(at) = description.find("Possible enum values:") {
        for line in description[at..].lines().skip(1) {
            let Some(rest) = line.trim_start().strip_prefix("- `") else {
                continue;
            };
            if let Some(end) = rest.find('`') {
                push(rest[..end].trim_matches('"'));
            }
        }
        return out;
    }
    const LEADS: &[&str] = &[
        "one of",
        "valid values are",
        "valid options are",
        "valid operators are",
        "allowed values are",
        "supports",
        "must be",
        "can be",
    ];
    let lower = description.to_ascii_lowercase();
    for lead in LEADS {
        let mut search = 0;
        while let Some(found) = lower[search..].find(lead) {
            let lead_at = search + found;
            let start = lead_at + lead.len();
            search = start;
            let bounded = !lower[..lead_at].ends_with(|c: char| c.is_ascii_alphanumeric())
                && lower[start..].starts_with([' ', ':']);
            if !bounded {
                continue;
            }
            let rest = &description[start..];
            let end = rest
                .char_indices()
                .find(|&(i, c)| {
                    c == '.' && rest[i + 1..].chars().next().is_none_or(char::is_whitespace)
                        || c == ':'
                        || c == ';'
                })
                .map_or(rest.len(), |(i, _)| i);
            if rest[end..].starts_with(':') && rest[..end].trim().is_empty() {
                // `Valid values are:` then `- "Allow" (default): …; - "Forbid": …`.
                for piece in rest.split("- \"").skip(1) {
                    let word = piece.split('"').next().unwrap_or("");
                    if word.starts_with(|c: char| c.is_ascii_uppercase())
                        && word.chars().all(|c| c.is_ascii_alphanumeric())
                    {
                        push(word);
                    }
                }
                continue;
            }
            let clause = without_parentheses(&rest[..end]);
            let mut items = Vec::new();
            for part in clause.split(',').flat_map(|p| p.split(" or ")) {
                for part in part.split(" and ") {
                    let item = part.trim();
                    let item = item
                        .strip_prefix("either ")
                        .or_else(|| item.strip_prefix("or "))
                        .or_else(|| item.strip_prefix("and "))
                        .unwrap_or(item)
                        .trim_matches(['"', '\'', '`']);
                    if !item.is_empty() {
                        items.push(item.to_string());
                    }
                }
            }
            let words = items.len() >= 2
                && items.iter().all(|i| {
                    i.starts_with(|c: char| c.is_ascii_uppercase())
                        && i.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
                });
            if words {
                items.iter().for_each(|i| push(i));
            }
        }
    }
    out
}

fn without_parentheses(text: &str) -> String {
    let mut depth = 0usize;
    text.chars()
        .filter(|&c| {
            match c {
                '(' => depth += 1,
                ')' => {
                    depth = depth.saturating_sub(1);
                    return false;
                }
                _ => {}
            }
            depth == 0
        })
        .collect()
}

/// What `kubectl explain` says about the field whose key the cursor is on (or, on the value
/// of a top-level `kind`, about the kind).
pub fn hover(text: &str, offset: usize) -> Option<Hover> {
    let cursor = floor_boundary(text, offset);
    let doc = document(text, cursor)?;
    let mut context = doc.context();
    let (_, line) = lines_from(text, doc.line_start).next()?;
    let line_shape = shape(line);
    if context.block.is_some_and(|b| line_shape.content > b) {
        return None;
    }
    let (key, colon) = line_shape.key?;
    let column = cursor - doc.line_start;
    context.enter(&line_shape);
    let (group, version, kind) = doc.schema()?;
    let path = context.path();
    if column >= line_shape.content && column <= colon {
        let names: Vec<&str> = path
            .iter()
            .chain([&Step::Field(key)])
            .filter_map(|s| match s {
                Step::Field(f) => Some(*f),
                Step::Item => None,
            })
            .collect();
        let text = explain_text(group, version, kind, &names, false, 0).ok()?;
        return Some(Hover {
            from: doc.line_start + line_shape.content,
            to: doc.line_start + colon,
            text,
        });
    }
    if path.is_empty() && key == "kind" && column > colon {
        let text = explain_text(group, version, kind, &[], false, 0).ok()?;
        let value_from = colon + 1 + line[colon + 1..].len() - line[colon + 1..].trim_start().len();
        return Some(Hover {
            from: doc.line_start + value_from,
            to: doc.line_start + line.len(),
            text,
        });
    }
    None
}

#[cfg(test)]
mod tests;
