//! kubectl's JSONPath templates (`-o jsonpath=…`, `custom-columns`, `--sort-by`): literal text
//! with `{…}` expressions — `.a.b`, `['a.b']`, `[0]`, `[-1]`, `[1:3]`, `[*]`, `..name`,
//! `[?(@.status.phase=="Running")]`, `{range .items[*]}…{end}`, `{"\n"}` — evaluated the way
//! kubectl does with missing keys allowed: a missing key prints nothing. Several results of one
//! expression are joined by a space; maps and lists print as compact JSON.

use serde_json::Value;

#[derive(Debug, Clone, PartialEq)]
enum Segment {
    Child(String),
    Descendant(String),
    Index(i64),
    Slice(Option<i64>, Option<i64>, i64),
    Wildcard,
    Union(Vec<String>),
    Filter(Filter),
}

#[derive(Debug, Clone, PartialEq)]
struct Filter {
    path: Vec<Segment>,
    comparison: Option<(String, Value)>,
}

#[derive(Debug, Clone, PartialEq)]
enum Node {
    Text(String),
    Expression(Vec<Segment>),
    Range(Vec<Segment>, Vec<Node>),
}

/// A parsed template.
#[derive(Debug, Clone, PartialEq)]
pub struct Template {
    nodes: Vec<Node>,
}

impl Template {
    /// Parses a template; errors read like kubectl's (`unclosed action`, …).
    pub fn parse(text: &str) -> Result<Template, String> {
        let mut tokens = Vec::new();
        let mut rest = text;
        while !rest.is_empty() {
            match rest.find('{') {
                Some(0) => {
                    let end = find_action_end(rest).ok_or_else(|| "unclosed action".to_string())?;
                    tokens.push(Token::Action(rest[1..end].trim().to_string()));
                    rest = &rest[end + 1..];
                }
                Some(at) => {
                    tokens.push(Token::Text(rest[..at].to_string()));
                    rest = &rest[at..];
                }
                None => {
                    tokens.push(Token::Text(rest.to_string()));
                    rest = "";
                }
            }
        }
        let mut position = 0;
        let nodes = parse_nodes(&tokens, &mut position, false)?;
        Ok(Template { nodes })
    }

    /// Parses a bare path (`.metadata.name`, as custom-columns and --sort-by take it), with or
    /// without braces.
    pub fn parse_path(text: &str) -> Result<Template, String> {
        let trimmed = text.trim();
        if trimmed.starts_with('{') {
            Template::parse(trimmed)
        } else {
            Template::parse(&format!("{{{trimmed}}}"))
        }
    }

    /// Renders the template against a value.
    pub fn render(&self, value: &Value) -> String {
        let mut out = String::new();
        render_nodes(&self.nodes, value, value, &mut out);
        out
    }

    /// The values of a single-expression template (custom-columns, --sort-by).
    pub fn values<'a>(&self, value: &'a Value) -> Vec<&'a Value> {
        match self.nodes.first() {
            Some(Node::Expression(path)) => evaluate(path, value, value),
            _ => Vec::new(),
        }
    }
}

enum Token {
    Text(String),
    Action(String),
}

/// The `}` closing the action that starts at 0, skipping quoted strings.
fn find_action_end(text: &str) -> Option<usize> {
    let mut quote: Option<char> = None;
    let mut escaped = false;
    for (i, c) in text.char_indices().skip(1) {
        if escaped {
            escaped = false;
            continue;
        }
        match (quote, c) {
            (_, '\\') => escaped = true,
            (Some(q), c) if c == q => quote = None,
            (None, '"') | (None, '\'') => quote = Some(c),
            (None, '}') => return Some(i),
            _ => {}
        }
    }
    None
}

fn parse_nodes(
    tokens: &[Token],
    position: &mut usize,
    in_range: bool,
) -> Result<Vec<Node>, String> {
    let mut nodes = Vec::new();
    while *position < tokens.len() {
        let token = &tokens[*position];
        *position += 1;
        match token {
            Token::Text(text) => nodes.push(Node::Text(text.clone())),
            Token::Action(action) if action == "end" => {
                if in_range {
                    return Ok(nodes);
                }
                return Err("not in range, nothing to end".to_string());
            }
            Token::Action(action) => {
                if let Some(path) = action.strip_prefix("range ") {
                    let path = parse_path(path.trim())?;
                    let body = parse_nodes(tokens, position, true)?;
                    nodes.push(Node::Range(path, body));
                } else if let Some(literal) = string_literal(action) {
                    nodes.push(Node::Text(literal));
                } else {
                    nodes.push(Node::Expression(parse_path(action)?));
                }
            }
        }
    }
    if in_range {
        return Err("range is not closed with {end}".to_string());
    }
    Ok(nodes)
}

/// `"\t"` or `'x'`: a literal with Go-style escapes.
fn string_literal(action: &str) -> Option<String> {
    let quote = action.chars().next()?;
    if (quote != '"' && quote != '\'') || action.len() < 2 || !action.ends_with(quote) {
        return None;
    }
    let inner = &action[1..action.len() - 1];
    let mut out = String::new();
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some('n') => out.push('\n'),
                Some('t') => out.push('\t'),
                Some('r') => out.push('\r'),
                Some(other) => out.push(other),
                None => out.push('\\'),
            }
        } else {
            out.push(c);
        }
    }
    Some(out)
}

fn parse_path(text: &str) -> Result<Vec<Segment>, String> {
    let chars: Vec<char> = text.chars().collect();
    let mut segments = Vec::new();
    let mut i = 0;
    if matches!(chars.first(), Some('$') | Some('@')) {
        i = 1;
    }
    while i < chars.len() {
        match chars[i] {
            '.' if chars.get(i + 1) == Some(&'.') => {
                i += 2;
                let (name, next) = read_name(&chars, i);
                segments.push(Segment::Descendant(name));
                i = next;
            }
            '.' => {
                i += 1;
                if i >= chars.len() {
                    break; // `{.}` is the current object
                }
                if chars[i] == '[' {
                    continue;
                }
                if chars[i] == '*' {
                    segments.push(Segment::Wildcard);
                    i += 1;
                    continue;
                }
                let (name, next) = read_name(&chars, i);
                if name.is_empty() {
                    return Err(format!("unrecognized character in action: {text}"));
                }
                segments.push(Segment::Child(name));
                i = next;
            }
            '[' => {
                let close = matching_bracket(&chars, i)
                    .ok_or_else(|| format!("unterminated array in {text}"))?;
                let inner: String = chars[i + 1..close].iter().collect();
                segments.push(parse_bracket(inner.trim())?);
                i = close + 1;
            }
            c if c.is_whitespace() => i += 1,
            _ => {
                let (name, next) = read_name(&chars, i);
                if name.is_empty() {
                    return Err(format!("unrecognized character in action: {text}"));
                }
                segments.push(Segment::Child(name));
                i = next;
            }
        }
    }
    Ok(segments)
}

/// A field name up to the next unescaped `.` or `[`; `\.` is a literal dot.
fn read_name(chars: &[char], mut i: usize) -> (String, usize) {
    let mut name = String::new();
    while i < chars.len() {
        match chars[i] {
            '\\' if i + 1 < chars.len() => {
                name.push(chars[i + 1]);
                i += 2;
            }
            '.' | '[' | ' ' | ')' | '=' | '!' | '<' | '>' => break,
            c => {
                name.push(c);
                i += 1;
            }
        }
    }
    (name, i)
}

fn matching_bracket(chars: &[char], open: usize) -> Option<usize> {
    let mut depth = 0;
    let mut quote: Option<char> = None;
    for (i, &c) in chars.iter().enumerate().skip(open) {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"') | (None, '\'') => quote = Some(c),
            (None, '[') => depth += 1,
            (None, ']') => {
                depth -= 1;
                if depth == 0 {
                    return Some(i);
                }
            }
            _ => {}
        }
    }
    None
}

fn parse_bracket(inner: &str) -> Result<Segment, String> {
    if inner == "*" {
        return Ok(Segment::Wildcard);
    }
    if let Some(filter) = inner.strip_prefix("?(").and_then(|f| f.strip_suffix(')')) {
        return parse_filter(filter.trim()).map(Segment::Filter);
    }
    if inner.starts_with('\'') || inner.starts_with('"') {
        let names = inner
            .split(',')
            .filter_map(|part| string_literal(part.trim()))
            .collect();
        return Ok(Segment::Union(names));
    }
    if inner.contains(':') {
        let parts: Vec<&str> = inner.split(':').collect();
        let number = |s: &str| -> Result<Option<i64>, String> {
            if s.trim().is_empty() {
                Ok(None)
            } else {
                s.trim()
                    .parse()
                    .map(Some)
                    .map_err(|_| format!("invalid array index {s}"))
            }
        };
        let start = number(parts[0])?;
        let end = number(parts.get(1).copied().unwrap_or(""))?;
        let step = number(parts.get(2).copied().unwrap_or(""))?.unwrap_or(1);
        return Ok(Segment::Slice(start, end, step));
    }
    inner
        .parse::<i64>()
        .map(Segment::Index)
        .map_err(|_| format!("invalid array index {inner}"))
}

fn parse_filter(text: &str) -> Result<Filter, String> {
    for op in ["==", "!=", "<=", ">=", "<", ">"] {
        if let Some(at) = text.find(op) {
            let path = parse_path(text[..at].trim())?;
            let literal = text[at + op.len()..].trim();
            let value = if let Some(s) = string_literal(literal) {
                Value::String(s)
            } else if let Ok(n) = literal.parse::<f64>() {
                serde_json::json!(n)
            } else if literal == "true" || literal == "false" {
                Value::Bool(literal == "true")
            } else {
                return Err(format!("unrecognized filter literal {literal}"));
            };
            return Ok(Filter {
                path,
                comparison: Some((op.to_string(), value)),
            });
        }
    }
    Ok(Filter {
        path: parse_path(text)?,
        comparison: None,
    })
}

fn evaluate<'a>(path: &[Segment], root: &'a Value, current: &'a Value) -> Vec<&'a Value> {
    let mut values = vec![current];
    for segment in path {
        let mut next = Vec::new();
        for value in values {
            apply_segment(segment, root, value, &mut next);
        }
        values = next;
    }
    values
}

fn collect_descendants<'a>(name: &str, value: &'a Value, out: &mut Vec<&'a Value>) {
    match value {
        Value::Object(map) => {
            if let Some(v) = map.get(name) {
                out.push(v);
            }
            for v in map.values() {
                collect_descendants(name, v, out);
            }
        }
        Value::Array(items) => items.iter().for_each(|v| collect_descendants(name, v, out)),
        _ => {}
    }
}

fn apply_segment<'a>(
    segment: &Segment,
    root: &'a Value,
    value: &'a Value,
    out: &mut Vec<&'a Value>,
) {
    match segment {
        Segment::Child(name) => {
            if let Some(v) = value.get(name) {
                out.push(v);
            }
        }
        Segment::Descendant(name) => collect_descendants(name, value, out),
        Segment::Wildcard => match value {
            Value::Array(items) => out.extend(items.iter()),
            Value::Object(map) => out.extend(map.values()),
            _ => {}
        },
        Segment::Index(index) => {
            if let Value::Array(items) = value {
                let i = if *index < 0 {
                    items.len() as i64 + index
                } else {
                    *index
                };
                if let Some(v) = usize::try_from(i).ok().and_then(|i| items.get(i)) {
                    out.push(v);
                }
            }
        }
        Segment::Slice(start, end, step) => {
            if let Value::Array(items) = value {
                let len = items.len() as i64;
                let clamp = |i: i64| if i < 0 { (len + i).max(0) } else { i.min(len) };
                let start = clamp(start.unwrap_or(0));
                let end = clamp(end.unwrap_or(len));
                let step = (*step).max(1) as usize;
                let (s, e) = (start as usize, end as usize);
                if s < e {
                    out.extend(items[s..e].iter().step_by(step));
                }
            }
        }
        Segment::Union(names) => {
            for name in names {
                if let Some(v) = value.get(name) {
                    out.push(v);
                }
            }
        }
        Segment::Filter(filter) => {
            let candidates: Vec<&Value> = match value {
                Value::Array(items) => items.iter().collect(),
                other => vec![other],
            };
            for candidate in candidates {
                let found = evaluate(&filter.path, root, candidate);
                let keep = match &filter.comparison {
                    None => !found.is_empty(),
                    Some((op, literal)) => found.first().is_some_and(|v| compare(v, op, literal)),
                };
                if keep {
                    out.push(candidate);
                }
            }
        }
    }
}

fn compare(value: &Value, op: &str, literal: &Value) -> bool {
    let ordering = match (value, literal) {
        (Value::Number(a), Value::Number(b)) => a.as_f64().partial_cmp(&b.as_f64()),
        (Value::String(a), Value::String(b)) => Some(a.cmp(b)),
        (Value::Bool(a), Value::Bool(b)) => Some(a.cmp(b)),
        (Value::String(a), Value::Number(b)) => a
            .parse::<f64>()
            .ok()
            .and_then(|a| a.partial_cmp(&b.as_f64().unwrap_or(f64::NAN))),
        _ => None,
    };
    match (op, ordering) {
        ("==", Some(o)) => o.is_eq(),
        ("!=", Some(o)) => o.is_ne(),
        ("!=", None) => true,
        ("<", Some(o)) => o.is_lt(),
        (">", Some(o)) => o.is_gt(),
        ("<=", Some(o)) => o.is_le(),
        (">=", Some(o)) => o.is_ge(),
        _ => false,
    }
}

/// How a result prints: strings raw, everything else as compact JSON.
pub fn value_text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

fn render_nodes(nodes: &[Node], root: &Value, current: &Value, out: &mut String) {
    for node in nodes {
        match node {
            Node::Text(text) => out.push_str(text),
            Node::Expression(path) => {
                let values = evaluate(path, root, current);
                let texts: Vec<String> = values.iter().map(|v| value_text(v)).collect();
                out.push_str(&texts.join(" "));
            }
            Node::Range(path, body) => {
                for value in evaluate(path, root, current) {
                    render_nodes(body, root, value, out);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn list() -> Value {
        json!({"kind": "List", "items": [
            {"metadata": {"name": "a", "labels": {"app": "web"}, "annotations": {"kubectl.kubernetes.io/x": "1"}}, "status": {"phase": "Running", "podIP": "10.0.0.1"}, "spec": {"containers": [{"image": "nginx"}, {"image": "busybox"}]}},
            {"metadata": {"name": "b"}, "status": {"phase": "Pending"}, "spec": {"containers": [{"image": "redis"}]}}
        ]})
    }

    fn render(template: &str) -> String {
        Template::parse(template).unwrap().render(&list())
    }

    #[test]
    fn renders_like_kubectl() {
        assert_eq!(render("{.items[*].metadata.name}"), "a b");
        assert_eq!(
            render("{.items[0].spec.containers[*].image}"),
            "nginx busybox"
        );
        assert_eq!(render("{.items[-1].metadata.name}"), "b");
        assert_eq!(
            render("{range .items[*]}{.metadata.name}{\"\\t\"}{.status.phase}{\"\\n\"}{end}"),
            "a\tRunning\nb\tPending\n"
        );
        assert_eq!(
            render("{.items[?(@.status.phase==\"Running\")].metadata.name}"),
            "a"
        );
        assert_eq!(render("{.items[?(@.metadata.labels)].metadata.name}"), "a");
        assert_eq!(render("{..image}"), "nginx busybox redis");
        assert_eq!(
            render("{.items[0].metadata.annotations.kubectl\\.kubernetes\\.io/x}"),
            "1"
        );
        assert_eq!(render("{.items[0].metadata['name']}"), "a");
        assert_eq!(render("{.items[0:1].metadata.name}"), "a");
        assert_eq!(render("{.items[0].metadata.labels}"), "{\"app\":\"web\"}");
        assert_eq!(render("{.items[*].missing}"), "");
        assert_eq!(render("names: {.items[*].metadata.name}!"), "names: a b!");
    }

    #[test]
    fn bad_templates_are_errors_not_panics() {
        assert!(Template::parse("{.items[").is_err());
        assert!(Template::parse("{range .items[*]}{.x}").is_err());
        assert!(Template::parse("{end}").is_err());
        for t in [
            "{",
            "}",
            "{[}",
            "{..}",
            "{.a[?(@.x==)]}",
            "{.a[1:x]}",
            "{$}",
            "{@}",
        ] {
            let _ = Template::parse(t).map(|t| t.render(&list()));
        }
    }
}
