//! YAML output as kubectl prints it (sigs.k8s.io/yaml over go-yaml v2): keys sorted, sequences
//! not indented under their key, strings that would read back as another type double-quoted
//! (`resourceVersion: "7"`, `creationTimestamp: "2026-01-01T00:00:00Z"`), strings that plain style
//! cannot carry single-quoted (`- '*'`), multi-line strings as literal blocks.

use serde_json::Value;

/// Renders a JSON value as a YAML document.
pub fn to_yaml(value: &Value) -> String {
    let mut out = String::new();
    match value {
        Value::Object(map) if !map.is_empty() => write_map(&mut out, map, 0),
        Value::Array(items) if !items.is_empty() => write_seq(&mut out, items, 0),
        scalar => {
            write_scalar(&mut out, scalar, 0);
            out.push('\n');
        }
    }
    out
}

fn indent(out: &mut String, n: usize) {
    out.extend(std::iter::repeat_n(' ', n));
}

fn write_map(out: &mut String, map: &serde_json::Map<String, Value>, level: usize) {
    for (i, (key, value)) in map.iter().enumerate() {
        if i > 0 {
            indent(out, level);
        }
        write_string(out, key, level);
        out.push(':');
        write_value_after_key(out, value, level);
    }
}

fn write_value_after_key(out: &mut String, value: &Value, level: usize) {
    match value {
        Value::Object(m) if !m.is_empty() => {
            out.push('\n');
            indent(out, level + 2);
            write_map(out, m, level + 2);
        }
        Value::Array(items) if !items.is_empty() => {
            out.push('\n');
            indent(out, level);
            write_seq(out, items, level);
        }
        scalar => {
            out.push(' ');
            write_scalar(out, scalar, level);
            out.push('\n');
        }
    }
}

fn write_seq(out: &mut String, items: &[Value], level: usize) {
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            indent(out, level);
        }
        out.push_str("- ");
        match item {
            Value::Object(m) if !m.is_empty() => write_map(out, m, level + 2),
            Value::Array(inner) if !inner.is_empty() => write_seq(out, inner, level + 2),
            scalar => {
                write_scalar(out, scalar, level + 2);
                out.push('\n');
            }
        }
    }
}

fn write_scalar(out: &mut String, value: &Value, level: usize) {
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => out.push_str(&n.to_string()),
        Value::String(s) => write_string(out, s, level),
        Value::Object(_) => out.push_str("{}"),
        Value::Array(_) => out.push_str("[]"),
    }
}

/// Whether go-yaml would read this plain string back as something other than a string.
fn resolves_to_non_string(s: &str) -> bool {
    const SPECIAL: &[&str] = &[
        "y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No", "NO", "true", "True", "TRUE", "false",
        "False", "FALSE", "on", "On", "ON", "off", "Off", "OFF", "null", "Null", "NULL", "~",
        ".inf", ".Inf", ".INF", "+.inf", "-.inf", "+.Inf", "-.Inf", ".nan", ".NaN", ".NAN",
    ];
    if SPECIAL.contains(&s) {
        return true;
    }
    let plain = s.replace('_', "");
    let unsigned = plain.trim_start_matches(['+', '-']);
    if !unsigned.is_empty() && unsigned.chars().all(|c| c.is_ascii_digit()) {
        return true;
    }
    if let Some(hex) = unsigned.strip_prefix("0x") {
        if !hex.is_empty() && hex.chars().all(|c| c.is_ascii_hexdigit()) {
            return true;
        }
    }
    if let Some(bin) = unsigned.strip_prefix("0b") {
        if !bin.is_empty() && bin.chars().all(|c| c == '0' || c == '1') {
            return true;
        }
    }
    if unsigned.parse::<f64>().is_ok()
        && unsigned
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_digit() || c == '.')
    {
        return true;
    }
    // Timestamps: 2006-01-02, optionally followed by a time.
    let bytes = s.as_bytes();
    if bytes.len() >= 10
        && bytes[..4].iter().all(u8::is_ascii_digit)
        && bytes[4] == b'-'
        && bytes[5..7].iter().all(u8::is_ascii_digit)
        && bytes[7] == b'-'
        && bytes[8..10].iter().all(u8::is_ascii_digit)
        && (bytes.len() == 10 || matches!(bytes[10], b'T' | b't' | b' ' | b'\t'))
    {
        return true;
    }
    // Base-60 floats (YAML 1.1): 1:20.
    let base60 = s.split(':').collect::<Vec<_>>();
    base60.len() > 1
        && base60
            .iter()
            .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit() || c == '.'))
}

/// Whether the emitter can write the string in plain style.
fn plain_allowed(s: &str) -> bool {
    let Some(first) = s.chars().next() else {
        return false;
    };
    if "-?:,[]{}#&*!|>'\"%@`".contains(first) {
        // `-`, `?` and `:` are fine when followed by a non-space character.
        let second = s.chars().nth(1);
        if !("-?:".contains(first) && second.is_some_and(|c| c != ' ')) {
            return false;
        }
    }
    if s.starts_with(' ') || s.ends_with(' ') || s.starts_with("---") || s.starts_with("...") {
        return false;
    }
    if s.contains(": ") || s.contains(" #") || s.ends_with(':') {
        return false;
    }
    s.chars().all(|c| !c.is_control() && c != '\u{feff}')
}

fn write_string(out: &mut String, s: &str, level: usize) {
    if s.contains('\n') && s.chars().all(|c| c == '\n' || !c.is_control()) && !s.starts_with(' ') {
        write_literal_block(out, s, level);
    } else if s.is_empty() || resolves_to_non_string(s) || s.chars().any(|c| c.is_control()) {
        write_double_quoted(out, s);
    } else if plain_allowed(s) {
        out.push_str(s);
    } else {
        out.push('\'');
        out.push_str(&s.replace('\'', "''"));
        out.push('\'');
    }
}

fn write_double_quoted(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() => out.push_str(&format!("\\x{:02X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
}

fn write_literal_block(out: &mut String, s: &str, level: usize) {
    let trailing = s.len() - s.trim_end_matches('\n').len();
    out.push_str(match trailing {
        0 => "|-",
        1 => "|",
        _ => "|+",
    });
    out.push('\n');
    let body = s.strip_suffix('\n').unwrap_or(s);
    for line in body.split('\n') {
        if !line.is_empty() {
            indent(out, level + 2);
            out.push_str(line);
        }
        out.push('\n');
    }
    // The caller adds the newline after a scalar; a block already ended its last line.
    out.pop();
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reads_like_kubectl_output() {
        let value = json!({
            "metadata": {"resourceVersion": "7", "creationTimestamp": "2026-01-01T00:00:00Z", "name": "web", "labels": {}},
            "rules": [{"verbs": ["*"], "apiGroups": [""]}],
            "data": {"yes": "no", "script": "echo hi\nsleep 1\n", "n": 3, "t": true, "msg": "a: b", "quote": "it's"},
            "list": [[1, 2], "x"],
        });
        let expected = r#"data:
  msg: 'a: b'
  "n": 3
  quote: it's
  script: |
    echo hi
    sleep 1
  t: true
  "yes": "no"
list:
- - 1
  - 2
- x
metadata:
  creationTimestamp: "2026-01-01T00:00:00Z"
  labels: {}
  name: web
  resourceVersion: "7"
rules:
- apiGroups:
  - ""
  verbs:
  - '*'
"#;
        assert_eq!(to_yaml(&value), expected);
    }
}
