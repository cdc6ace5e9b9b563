//! What `kubectl create`'s generators are given, read the way real kubectl reads it: pflag's typed
//! flag values (Go's `strconv` rules), CSV-split list flags, ConfigMap/Secret key names, env
//! files, label selectors, PEM files, port names, the docker config JSON and `--append-hash`.
//! Every error is worded as kubectl words it.

use base64::Engine;
use model::sort::SortSlice;
use serde_json::{json, Map, Value};

/// Standard base64 with padding, as Go's `encoding/base64.StdEncoding` (Secret `data`).
pub(crate) fn base64_encode(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

/// Go's `%q` for the strings kubectl quotes in its messages.
pub(crate) fn go_quote(text: &str) -> String {
    model::validation::quote(text)
}

// ---------------------------------------------------------------------------------------------
// pflag values

/// Go's `strconv.ParseInt(text, 0, bits)`: an optional sign, then decimal, `0x` hex, `0o` or
/// leading-zero octal, or `0b` binary, with `_` allowed between digits. The error is the
/// `strconv` reason (`invalid syntax` or `value out of range`).
pub(crate) fn parse_go_int(text: &str, bits: u32) -> Result<i64, &'static str> {
    const SYNTAX: &str = "invalid syntax";
    let (negative, unsigned) = match text.as_bytes().first() {
        Some(b'+') => (false, &text[1..]),
        Some(b'-') => (true, &text[1..]),
        _ => (false, text),
    };
    let lower = unsigned.to_ascii_lowercase();
    let (radix, digits, prefixed) = if let Some(rest) = lower.strip_prefix("0x") {
        (16, rest, true)
    } else if let Some(rest) = lower.strip_prefix("0o") {
        (8, rest, true)
    } else if let Some(rest) = lower.strip_prefix("0b") {
        (2, rest, true)
    } else if lower.len() > 1 && lower.starts_with('0') {
        (8, &lower[1..], true)
    } else {
        (10, lower.as_str(), false)
    };
    if digits.is_empty() {
        return Err(SYNTAX);
    }
    // Underscores only separate digits (the base prefix counts as a digit).
    let mut previous_was_digit = prefixed;
    let mut previous_was_underscore = false;
    let mut value: u128 = 0;
    let mut overflow = false;
    for c in digits.chars() {
        if c == '_' {
            if !previous_was_digit {
                return Err(SYNTAX);
            }
            previous_was_digit = false;
            previous_was_underscore = true;
            continue;
        }
        let Some(d) = c.to_digit(radix) else {
            return Err(SYNTAX);
        };
        previous_was_digit = true;
        previous_was_underscore = false;
        value = match value
            .checked_mul(u128::from(radix))
            .and_then(|v| v.checked_add(u128::from(d)))
        {
            Some(v) => v,
            None => {
                overflow = true;
                u128::MAX / 2
            }
        };
    }
    if previous_was_underscore {
        return Err(SYNTAX);
    }
    let limit: u128 = 1u128 << (bits - 1);
    if overflow || (!negative && value >= limit) || (negative && value > limit) {
        return Err("value out of range");
    }
    let magnitude = i128::try_from(value).map_err(|_| "value out of range")?;
    let signed = if negative { -magnitude } else { magnitude };
    i64::try_from(signed).map_err(|_| "value out of range")
}

/// Go's `strconv.ParseBool`.
pub(crate) fn parse_go_bool(text: &str) -> Option<bool> {
    match text {
        "1" | "t" | "T" | "TRUE" | "true" | "True" => Some(true),
        "0" | "f" | "F" | "FALSE" | "false" | "False" => Some(false),
        _ => None,
    }
}

/// One line of CSV as pflag's string-slice flags read it (`--verb=get,list`, `--tcp=80,443`):
/// comma-separated fields, `"…"` quoting with `""` for a quote. Errors are `encoding/csv`'s.
pub(crate) fn split_csv(text: &str) -> Result<Vec<String>, String> {
    if text.is_empty() {
        return Ok(Vec::new());
    }
    let line = text.split('\n').next().unwrap_or("");
    let line = line.strip_suffix('\r').unwrap_or(line);
    let chars: Vec<char> = line.chars().collect();
    let mut fields = Vec::new();
    let mut i = 0;
    loop {
        let mut field = String::new();
        if chars.get(i) == Some(&'"') {
            i += 1;
            loop {
                match chars.get(i) {
                    None => {
                        return Err(format!(
                            "parse error on line 1, column {}: extraneous or missing \" in quoted-field",
                            chars.len() + 1
                        ))
                    }
                    Some('"') if chars.get(i + 1) == Some(&'"') => {
                        field.push('"');
                        i += 2;
                    }
                    Some('"') => {
                        i += 1;
                        break;
                    }
                    Some(c) => {
                        field.push(*c);
                        i += 1;
                    }
                }
            }
            match chars.get(i) {
                None => {
                    fields.push(field);
                    return Ok(fields);
                }
                Some(',') => {
                    fields.push(field);
                    i += 1;
                }
                Some(_) => {
                    return Err(format!(
                    "parse error on line 1, column {}: extraneous or missing \" in quoted-field",
                    i + 1
                ))
                }
            }
        } else {
            while let Some(c) = chars.get(i) {
                match c {
                    ',' => break,
                    '"' => {
                        return Err(format!(
                            "parse error on line 1, column {}: bare \" in non-quoted-field",
                            i + 1
                        ))
                    }
                    c => field.push(*c),
                }
                i += 1;
            }
            fields.push(field);
            if i >= chars.len() {
                return Ok(fields);
            }
            i += 1;
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Names and keys (apimachinery's validation messages)

fn regex_error(message: &str, regex: &str, examples: &[&str]) -> String {
    let examples: Vec<String> = examples.iter().map(|e| format!("'{e}'")).collect();
    format!(
        "{message} (e.g. {}, regex used for validation is '{regex}')",
        examples.join(",  or ")
    )
}

fn is_alnum(c: char) -> bool {
    c.is_ascii_alphanumeric()
}

/// `.` and `..` are not file names a volume can hold.
fn chdir_prefix_errors(key: &str) -> Vec<String> {
    match key {
        "." => vec!["must not be '.'".to_string()],
        ".." => vec!["must not be '..'".to_string()],
        k if k.starts_with("..") => vec!["must not start with '..'".to_string()],
        _ => Vec::new(),
    }
}

/// IsConfigMapKey: the keys of ConfigMap and Secret data.
pub(crate) fn config_key_errors(key: &str) -> Vec<String> {
    let mut errors = Vec::new();
    if key.len() > 253 {
        errors.push("must be no more than 253 characters".to_string());
    }
    if key.is_empty()
        || !key
            .chars()
            .all(|c| is_alnum(c) || c == '-' || c == '_' || c == '.')
    {
        errors.push(regex_error(
            "a valid config key must consist of alphanumeric characters, '-', '_' or '.'",
            "[-._a-zA-Z0-9]+",
            &["key.name", "KEY_NAME", "key-name"],
        ));
    }
    errors.extend(chdir_prefix_errors(key));
    errors
}

/// IsEnvVarName: the keys of `--from-env-file` lines.
pub(crate) fn env_var_name_errors(key: &str) -> Vec<String> {
    let mut errors = Vec::new();
    let valid = key
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '-' || c == '.' || c == '_')
        && key
            .chars()
            .all(|c| is_alnum(c) || c == '-' || c == '.' || c == '_');
    if !valid {
        errors.push(regex_error(
            "a valid environment variable name must consist of alphabetic characters, digits, '_', '-', or '.', and must not start with a digit",
            "[-._a-zA-Z][-._a-zA-Z0-9]*",
            &["my.env-name", "MY_ENV.NAME", "MyEnvName1"],
        ));
    }
    errors.extend(chdir_prefix_errors(key));
    errors
}

fn matches_qualified_name_part(s: &str) -> bool {
    let first = s.chars().next();
    let last = s.chars().last();
    first.is_some_and(is_alnum)
        && last.is_some_and(is_alnum)
        && s.chars()
            .all(|c| is_alnum(c) || c == '-' || c == '_' || c == '.')
}

fn dns1123_subdomain_errors(value: &str) -> Vec<String> {
    let mut errors = Vec::new();
    if value.len() > 253 {
        errors.push("must be no more than 253 characters".to_string());
    }
    let label_ok = |l: &str| {
        !l.is_empty()
            && l.starts_with(|c: char| c.is_ascii_lowercase() || c.is_ascii_digit())
            && l.ends_with(|c: char| c.is_ascii_lowercase() || c.is_ascii_digit())
            && l.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
    };
    if !value.split('.').all(label_ok) {
        errors.push(regex_error(
            "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character",
            "[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*",
            &["example.com"],
        ));
    }
    errors
}

/// IsQualifiedName: label keys (`app`, `example.com/tier`).
pub(crate) fn qualified_name_errors(value: &str) -> Vec<String> {
    let mut errors = Vec::new();
    let parts: Vec<&str> = value.split('/').collect();
    let name = match parts.as_slice() {
        [name] => *name,
        [prefix, name] => {
            if prefix.is_empty() {
                errors.push("prefix part must be non-empty".to_string());
            } else {
                errors.extend(
                    dns1123_subdomain_errors(prefix)
                        .into_iter()
                        .map(|e| format!("prefix part {e}")),
                );
            }
            name
        }
        _ => {
            return vec![format!(
                "{} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')",
                regex_error(
                    "a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character",
                    "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]",
                    &["MyName", "my.name", "123-abc"],
                )
            )]
        }
    };
    if name.is_empty() {
        errors.push("name part must be non-empty".to_string());
    } else if name.len() > 63 {
        errors.push("name part must be no more than 63 characters".to_string());
    }
    if !name.is_empty() && !matches_qualified_name_part(name) {
        errors.push(format!(
            "name part {}",
            regex_error(
                "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character",
                "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]",
                &["MyName", "my.name", "123-abc"],
            )
        ));
    }
    errors
}

/// IsValidLabelValue.
pub(crate) fn label_value_errors(value: &str) -> Vec<String> {
    let mut errors = Vec::new();
    if value.len() > 63 {
        errors.push("must be no more than 63 characters".to_string());
    }
    if !value.is_empty() && !matches_qualified_name_part(value) {
        errors.push(regex_error(
            "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character",
            "(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?",
            &["MyValue", "my_value", "12345"],
        ));
    }
    errors
}

/// IsValidPortName (a Service's named `targetPort`), errors joined as kubectl joins them.
pub(crate) fn port_name_errors(name: &str) -> Vec<String> {
    let mut errors = Vec::new();
    if name.len() > 15 {
        errors.push("must be no more than 15 characters".to_string());
    }
    if name.is_empty()
        || !name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
    {
        errors.push(
            "must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)".to_string(),
        );
    }
    if !name.chars().any(|c| c.is_ascii_lowercase()) {
        errors.push("must contain at least one letter (a-z)".to_string());
    }
    if name.contains("--") {
        errors.push("must not contain consecutive hyphens".to_string());
    }
    if name.starts_with('-') || name.ends_with('-') {
        errors.push("must not begin or end with a hyphen".to_string());
    }
    errors
}

/// IsDNS1123Subdomain as a bool (an ExternalName Service's `--external-name`).
pub(crate) fn is_dns1123_subdomain(value: &str) -> bool {
    dns1123_subdomain_errors(value).is_empty()
}

// ---------------------------------------------------------------------------------------------
// Env files

/// The `KEY=value` pairs of an env file (`--from-env-file`): a leading BOM is dropped, lines are
/// trimmed on the left, blank lines and `#` comments are skipped, the value is everything after
/// the first `=` (kept as it is). A bare `KEY` would take the value from kubectl's environment;
/// the playground has none, so it is empty.
pub(crate) fn env_file_pairs(text: &str) -> Result<Vec<(String, String)>, String> {
    let mut pairs = Vec::new();
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut lines: Vec<&str> = text.split('\n').collect();
    if lines.last() == Some(&"") {
        lines.pop();
    }
    for line in lines {
        let line = line.strip_suffix('\r').unwrap_or(line).trim_start();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let (key, value) = line.split_once('=').unwrap_or((line, ""));
        let errors = env_var_name_errors(key);
        if !errors.is_empty() {
            return Err(format!(
                "error: {} is not a valid key name: {}",
                go_quote(key),
                errors.join(";")
            ));
        }
        pairs.push((key.to_string(), value.to_string()));
    }
    Ok(pairs)
}

// ---------------------------------------------------------------------------------------------
// Label selectors (`--selector` of `create poddisruptionbudget`)

#[derive(Debug, Clone, PartialEq, Eq)]
enum Token {
    End,
    Identifier(String),
    Bang,
    NotEquals,
    Equals,
    DoubleEquals,
    GreaterThan,
    LessThan,
    In,
    NotIn,
    OpenParen,
    CloseParen,
    Comma,
    Error(String),
}

impl Token {
    fn literal(&self) -> String {
        match self {
            Token::End => String::new(),
            Token::Identifier(s) | Token::Error(s) => s.clone(),
            Token::Bang => "!".into(),
            Token::NotEquals => "!=".into(),
            Token::Equals => "=".into(),
            Token::DoubleEquals => "==".into(),
            Token::GreaterThan => ">".into(),
            Token::LessThan => "<".into(),
            Token::In => "in".into(),
            Token::NotIn => "notin".into(),
            Token::OpenParen => "(".into(),
            Token::CloseParen => ")".into(),
            Token::Comma => ",".into(),
        }
    }
}

fn is_special(c: char) -> bool {
    matches!(c, '=' | '!' | '(' | ')' | ',' | '>' | '<')
}

fn symbol(text: &str) -> Option<Token> {
    Some(match text {
        ")" => Token::CloseParen,
        "," => Token::Comma,
        "!" => Token::Bang,
        "==" => Token::DoubleEquals,
        "=" => Token::Equals,
        ">" => Token::GreaterThan,
        "<" => Token::LessThan,
        "!=" => Token::NotEquals,
        "(" => Token::OpenParen,
        _ => return None,
    })
}

fn lex(text: &str) -> Vec<Token> {
    let chars: Vec<char> = text.chars().collect();
    let mut tokens = Vec::new();
    let mut i = 0;
    loop {
        while i < chars.len() && matches!(chars[i], ' ' | '\t' | '\r' | '\n') {
            i += 1;
        }
        if i >= chars.len() {
            tokens.push(Token::End);
            return tokens;
        }
        if is_special(chars[i]) {
            // The longest run of symbols that is still a known operator.
            let mut buffer = String::new();
            let mut best: Option<(Token, usize)> = None;
            let mut j = i;
            while j < chars.len() && is_special(chars[j]) {
                buffer.push(chars[j]);
                j += 1;
                if let Some(token) = symbol(&buffer) {
                    best = Some((token, j));
                } else if best.is_some() {
                    break;
                }
            }
            match best {
                Some((token, end)) => {
                    tokens.push(token);
                    i = end;
                }
                None => {
                    tokens.push(Token::Error(format!(
                        "error expected: keyword found '{buffer}'"
                    )));
                    i = j;
                }
            }
            continue;
        }
        let start = i;
        while i < chars.len()
            && !is_special(chars[i])
            && !matches!(chars[i], ' ' | '\t' | '\r' | '\n')
        {
            i += 1;
        }
        let word: String = chars[start..i].iter().collect();
        tokens.push(match word.as_str() {
            "in" => Token::In,
            "notin" => Token::NotIn,
            _ => Token::Identifier(word),
        });
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Operator {
    Exists,
    DoesNotExist,
    Equals,
    DoubleEquals,
    NotEquals,
    In,
    NotIn,
    GreaterThan,
    LessThan,
}

impl Operator {
    fn name(self) -> &'static str {
        match self {
            Operator::Exists => "exists",
            Operator::DoesNotExist => "!",
            Operator::Equals => "=",
            Operator::DoubleEquals => "==",
            Operator::NotEquals => "!=",
            Operator::In => "in",
            Operator::NotIn => "notin",
            Operator::GreaterThan => "gt",
            Operator::LessThan => "lt",
        }
    }
}

struct SelectorParser {
    tokens: Vec<Token>,
    position: usize,
}

impl SelectorParser {
    /// In a value position, `in` and `notin` are plain words.
    fn as_value(token: Token) -> Token {
        match token {
            Token::In | Token::NotIn => Token::Identifier(token.literal()),
            other => other,
        }
    }
    fn lookahead(&self) -> Token {
        Self::as_value(
            self.tokens
                .get(self.position)
                .cloned()
                .unwrap_or(Token::End),
        )
    }
    fn consume_value(&mut self) -> Token {
        let token = self.lookahead();
        self.position += 1;
        token
    }
    fn consume_operator(&mut self) -> Token {
        let token = self
            .tokens
            .get(self.position)
            .cloned()
            .unwrap_or(Token::End);
        self.position += 1;
        token
    }

    fn parse(&mut self) -> Result<Vec<(String, Operator, Vec<String>)>, String> {
        let mut requirements = Vec::new();
        loop {
            match self.lookahead() {
                Token::Identifier(_) | Token::Bang => {
                    let requirement = self
                        .requirement()
                        .map_err(|e| format!("unable to parse requirement: {e}"))?;
                    requirements.push(requirement);
                    match self.consume_value() {
                        Token::End => return Ok(requirements),
                        Token::Comma => {
                            let next = self.lookahead();
                            if !matches!(next, Token::Identifier(_) | Token::Bang) {
                                return Err(format!(
                                    "found '{}', expected: identifier after ','",
                                    next.literal()
                                ));
                            }
                        }
                        other => {
                            return Err(format!(
                                "found '{}', expected: ',' or 'end of string'",
                                other.literal()
                            ))
                        }
                    }
                }
                Token::End => return Ok(requirements),
                other => {
                    return Err(format!(
                        "found '{}', expected: !, identifier, or 'end of string'",
                        other.literal()
                    ))
                }
            }
        }
    }

    fn requirement(&mut self) -> Result<(String, Operator, Vec<String>), String> {
        let mut token = self.consume_value();
        let mut operator = None;
        if token == Token::Bang {
            operator = Some(Operator::DoesNotExist);
            token = self.consume_value();
        }
        let Token::Identifier(key) = token else {
            return Err(format!("found '{}', expected: identifier", token.literal()));
        };
        let key_errors = qualified_name_errors(&key);
        if !key_errors.is_empty() {
            return Err(format!(
                "<nil>: Invalid value: {}: {}",
                go_quote(&key),
                key_errors.join("; ")
            ));
        }
        if matches!(self.lookahead(), Token::End | Token::Comma) && operator.is_none() {
            operator = Some(Operator::Exists);
        }
        if let Some(operator) = operator {
            return Ok((key, operator, Vec::new()));
        }
        let operator = match self.consume_operator() {
            Token::In => Operator::In,
            Token::NotIn => Operator::NotIn,
            Token::Equals => Operator::Equals,
            Token::DoubleEquals => Operator::DoubleEquals,
            Token::NotEquals => Operator::NotEquals,
            Token::GreaterThan => Operator::GreaterThan,
            Token::LessThan => Operator::LessThan,
            other => {
                return Err(format!(
                    "found '{}', expected: in, notin, =, ==, !=, gt, lt",
                    other.literal()
                ))
            }
        };
        let values = match operator {
            Operator::In | Operator::NotIn => self.value_set()?,
            _ => self.exact_value()?,
        };
        let mut errors = Vec::new();
        for (i, value) in values.iter().enumerate() {
            let value_errors = label_value_errors(value);
            if !value_errors.is_empty() {
                errors.push(format!(
                    "values[{i}][{key}]: Invalid value: {}: {}",
                    go_quote(value),
                    value_errors.join("; ")
                ));
            }
        }
        if matches!(operator, Operator::GreaterThan | Operator::LessThan) {
            for (i, value) in values.iter().enumerate() {
                if value.parse::<i64>().is_err() {
                    errors.insert(
                        0,
                        format!(
                            "values[{i}]: Invalid value: {}: for 'Gt', 'Lt' operators, the value must be an integer",
                            go_quote(value)
                        ),
                    );
                }
            }
        }
        match errors.len() {
            0 => Ok((key, operator, values)),
            1 => Err(errors.remove(0)),
            _ => Err(format!("[{}]", errors.join(", "))),
        }
    }

    /// `(a,b)`: a sorted set; `()` and empty items stand for the empty string.
    fn value_set(&mut self) -> Result<Vec<String>, String> {
        let token = self.consume_value();
        if token != Token::OpenParen {
            return Err(format!("found '{}' expected: '('", token.literal()));
        }
        let mut values = std::collections::BTreeSet::new();
        match self.lookahead() {
            Token::CloseParen => {
                self.consume_value();
                values.insert(String::new());
                return Ok(values.into_iter().collect());
            }
            Token::Identifier(_) | Token::Comma => {}
            other => {
                return Err(format!(
                    "found '{}', expected: ',', ')' or identifier",
                    other.literal()
                ))
            }
        }
        loop {
            match self.consume_value() {
                Token::Identifier(word) => {
                    values.insert(word);
                    match self.lookahead() {
                        Token::Comma => continue,
                        Token::CloseParen => break,
                        other => {
                            return Err(format!(
                                "found '{}', expected: ',' or ')'",
                                other.literal()
                            ))
                        }
                    }
                }
                Token::Comma => {
                    if values.is_empty() {
                        values.insert(String::new());
                    }
                    match self.lookahead() {
                        Token::CloseParen => {
                            values.insert(String::new());
                            break;
                        }
                        Token::Comma => {
                            self.consume_value();
                            values.insert(String::new());
                        }
                        _ => {}
                    }
                }
                other => {
                    return Err(format!(
                        "found '{}', expected: ',', or identifier",
                        other.literal()
                    ))
                }
            }
        }
        let close = self.consume_value();
        if close != Token::CloseParen {
            return Err(format!("found '{}', expected: ')'", close.literal()));
        }
        Ok(values.into_iter().collect())
    }

    fn exact_value(&mut self) -> Result<Vec<String>, String> {
        if matches!(self.lookahead(), Token::End | Token::Comma) {
            return Ok(vec![String::new()]);
        }
        match self.consume_value() {
            Token::Identifier(word) => Ok(vec![word]),
            other => Err(format!("found '{}', expected: identifier", other.literal())),
        }
    }
}

/// Parses a label selector string into a `LabelSelector` (`matchLabels` for `=`/`==`,
/// `matchExpressions` sorted by key for the rest), as metav1.ParseToLabelSelector does.
pub(crate) fn parse_label_selector(text: &str) -> Result<Value, String> {
    let mut parser = SelectorParser {
        tokens: lex(text),
        position: 0,
    };
    let mut requirements = parser
        .parse()
        .map_err(|e| format!("couldn't parse the selector string \"{text}\": {e}"))?;
    requirements.sort_stable_by(|a, b| a.0.cmp(&b.0));
    let mut match_labels = Map::new();
    let mut expressions = Vec::new();
    for (key, operator, values) in requirements {
        let operator_name = match operator {
            Operator::Equals | Operator::DoubleEquals => {
                match_labels.insert(key, Value::String(values.concat()));
                continue;
            }
            Operator::In => "In",
            Operator::NotIn => "NotIn",
            Operator::Exists => "Exists",
            Operator::DoesNotExist => "DoesNotExist",
            Operator::GreaterThan | Operator::LessThan => {
                return Err(format!(
                    "\"{}\" isn't supported in label selectors",
                    operator.name()
                ))
            }
            Operator::NotEquals => {
                return Err(format!(
                    "\"{}\" is not a valid label selector operator",
                    operator.name()
                ))
            }
        };
        let mut expression = json!({ "key": key, "operator": operator_name });
        if !values.is_empty() {
            expression["values"] = json!(values);
        }
        expressions.push(expression);
    }
    let mut selector = Map::new();
    if !match_labels.is_empty() {
        selector.insert("matchLabels".into(), Value::Object(match_labels));
    }
    if !expressions.is_empty() {
        selector.insert("matchExpressions".into(), Value::Array(expressions));
    }
    Ok(Value::Object(selector))
}

// ---------------------------------------------------------------------------------------------
// PEM (`create secret tls`)

/// The types of the well-formed PEM blocks in `text`, in order (`CERTIFICATE`, `PRIVATE KEY`).
fn pem_block_types(text: &str) -> Vec<String> {
    let lines: Vec<&str> = text.lines().map(str::trim_end).collect();
    let mut types = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let Some(kind) = lines[i]
            .strip_prefix("-----BEGIN ")
            .and_then(|rest| rest.strip_suffix("-----"))
        else {
            i += 1;
            continue;
        };
        let end = format!("-----END {kind}-----");
        let Some(offset) = lines[i + 1..].iter().position(|l| *l == end) else {
            i += 1;
            continue;
        };
        let body: String = lines[i + 1..i + 1 + offset]
            .iter()
            .filter(|l| !l.contains(':'))
            .flat_map(|l| l.chars())
            .filter(|c| !c.is_whitespace())
            .collect();
        if base64::engine::general_purpose::STANDARD
            .decode(body.as_bytes())
            .is_ok()
        {
            types.push(kind.to_string());
            i += offset + 2;
        } else {
            i += 1;
        }
    }
    types
}

fn go_list(items: &[String]) -> String {
    format!("[{}]", items.join(" "))
}

/// The PEM checks of Go's `tls.X509KeyPair`: a CERTIFICATE block in the certificate and a
/// `… PRIVATE KEY` block in the key. (Parsing the certificate and matching the key to it needs
/// real cryptography, which the playground does not simulate.)
pub(crate) fn check_tls_pair(cert: &str, key: &str) -> Result<(), String> {
    let cert_blocks = pem_block_types(cert);
    if !cert_blocks.iter().any(|t| t == "CERTIFICATE") {
        return Err(if cert_blocks.is_empty() {
            "tls: failed to find any PEM data in certificate input".to_string()
        } else if cert_blocks.len() == 1 && cert_blocks[0].ends_with("PRIVATE KEY") {
            "tls: failed to find certificate PEM data in certificate input, but did find a private key; PEM inputs may have been switched".to_string()
        } else {
            format!(
                "tls: failed to find \"CERTIFICATE\" PEM block in certificate input after skipping PEM blocks of the following types: {}",
                go_list(&cert_blocks)
            )
        });
    }
    let key_blocks = pem_block_types(key);
    let is_key = |t: &String| t == "PRIVATE KEY" || t.ends_with(" PRIVATE KEY");
    if let Some(position) = key_blocks.iter().position(is_key) {
        let _ = position;
        return Ok(());
    }
    Err(if key_blocks.is_empty() {
        "tls: failed to find any PEM data in key input".to_string()
    } else if key_blocks.len() == 1 && key_blocks[0] == "CERTIFICATE" {
        "tls: found a certificate rather than a key in the PEM for the private key".to_string()
    } else {
        format!(
            "tls: failed to find PEM block with type ending in \"PRIVATE KEY\" in key input after skipping PEM blocks of the following types: {}",
            go_list(&key_blocks)
        )
    })
}

// ---------------------------------------------------------------------------------------------
// JSON as Go's encoding/json writes it

/// A JSON string literal with Go's escaping (`<`, `>`, `&`, U+2028 and U+2029 as `\u` escapes).
pub(crate) fn go_json_string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '<' | '>' | '&' | '\u{2028}' | '\u{2029}' => {
                out.push_str(&format!("\\u{:04x}", c as u32));
            }
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// `json.Marshal` of a `map[string]string` (keys sorted).
fn go_json_string_map(map: &Map<String, Value>) -> String {
    let items: Vec<String> = map
        .iter()
        .map(|(k, v)| {
            format!(
                "{}:{}",
                go_json_string(k),
                go_json_string(v.as_str().unwrap_or(""))
            )
        })
        .collect();
    format!("{{{}}}", items.join(","))
}

/// The `.dockerconfigjson` document `create secret docker-registry` writes.
pub(crate) fn docker_config_json(
    server: &str,
    username: &str,
    password: &str,
    email: &str,
) -> String {
    let auth = base64_encode(format!("{username}:{password}").as_bytes());
    let mut entry = format!(
        "\"username\":{},\"password\":{}",
        go_json_string(username),
        go_json_string(password)
    );
    if !email.is_empty() {
        entry.push_str(&format!(",\"email\":{}", go_json_string(email)));
    }
    entry.push_str(&format!(",\"auth\":{}", go_json_string(&auth)));
    format!("{{\"auths\":{{{}:{{{entry}}}}}}}", go_json_string(server))
}

// ---------------------------------------------------------------------------------------------
// --append-hash

/// SHA-256 (FIPS 180-4), for the content hash `--append-hash` appends to a name.
pub(crate) fn sha256(data: &[u8]) -> [u8; 32] {
    const K: [u32; 64] = [
        0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4,
        0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe,
        0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f,
        0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7,
        0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc,
        0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
        0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116,
        0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
        0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
        0xc67178f2,
    ];
    let mut h: [u32; 8] = [
        0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab,
        0x5be0cd19,
    ];
    let mut message = data.to_vec();
    let bit_length = (data.len() as u64).wrapping_mul(8);
    message.push(0x80);
    while message.len() % 64 != 56 {
        message.push(0);
    }
    message.extend_from_slice(&bit_length.to_be_bytes());
    for chunk in message.chunks(64) {
        let mut w = [0u32; 64];
        for (i, word) in chunk.chunks(4).enumerate() {
            w[i] = u32::from_be_bytes([word[0], word[1], word[2], word[3]]);
        }
        for i in 16..64 {
            let s0 = w[i - 15].rotate_right(7) ^ w[i - 15].rotate_right(18) ^ (w[i - 15] >> 3);
            let s1 = w[i - 2].rotate_right(17) ^ w[i - 2].rotate_right(19) ^ (w[i - 2] >> 10);
            w[i] = w[i - 16]
                .wrapping_add(s0)
                .wrapping_add(w[i - 7])
                .wrapping_add(s1);
        }
        let [mut a, mut b, mut c, mut d, mut e, mut f, mut g, mut hh] = h;
        for i in 0..64 {
            let s1 = e.rotate_right(6) ^ e.rotate_right(11) ^ e.rotate_right(25);
            let ch = (e & f) ^ (!e & g);
            let t1 = hh
                .wrapping_add(s1)
                .wrapping_add(ch)
                .wrapping_add(K[i])
                .wrapping_add(w[i]);
            let s0 = a.rotate_right(2) ^ a.rotate_right(13) ^ a.rotate_right(22);
            let maj = (a & b) ^ (a & c) ^ (b & c);
            let t2 = s0.wrapping_add(maj);
            hh = g;
            g = f;
            f = e;
            e = d.wrapping_add(t1);
            d = c;
            c = b;
            b = a;
            a = t1.wrapping_add(t2);
        }
        for (state, value) in h.iter_mut().zip([a, b, c, d, e, f, g, hh]) {
            *state = state.wrapping_add(value);
        }
    }
    let mut out = [0u8; 32];
    for (i, word) in h.iter().enumerate() {
        out[i * 4..i * 4 + 4].copy_from_slice(&word.to_be_bytes());
    }
    out
}

/// The ten-character suffix: the first ten hex digits of the SHA-256, with the characters that
/// could spell words (`0 1 3 a e`) swapped for consonants.
fn encode_hash(digest: &[u8; 32]) -> String {
    digest
        .iter()
        .flat_map(|b| [b >> 4, b & 15])
        .take(10)
        .map(|nibble| match nibble {
            0 => 'g',
            1 => 'h',
            3 => 'k',
            10 => 'm',
            14 => 't',
            n => char::from_digit(u32::from(n), 16).unwrap_or('x'),
        })
        .collect()
}

/// The `--append-hash` suffix of a ConfigMap or Secret: a hash of its kind, name, data (and
/// Secret type), so that changed contents get a new name.
pub(crate) fn content_hash(manifest: &Value) -> String {
    let kind = manifest["kind"].as_str().unwrap_or("");
    let name = manifest["metadata"]["name"].as_str().unwrap_or("");
    let empty = Map::new();
    let data = manifest["data"].as_object().unwrap_or(&empty);
    let mut encoded = format!("{{\"data\":{}", go_json_string_map(data));
    if kind == "ConfigMap" {
        if let Some(binary) = manifest["binaryData"].as_object().filter(|m| !m.is_empty()) {
            encoded = format!(
                "{{\"binaryData\":{},{}",
                go_json_string_map(binary),
                &encoded[1..]
            );
        }
        encoded.push_str(&format!(
            ",\"kind\":\"ConfigMap\",\"name\":{}}}",
            go_json_string(name)
        ));
    } else {
        encoded.push_str(&format!(
            ",\"kind\":\"Secret\",\"name\":{},\"type\":{}}}",
            go_json_string(name),
            go_json_string(manifest["type"].as_str().unwrap_or(""))
        ));
    }
    encode_hash(&sha256(encoded.as_bytes()))
}

// ---------------------------------------------------------------------------------------------
// Container names

/// The container name `create deployment` derives from an image: the last path segment without
/// tag or digest (`registry.k8s.io/echoserver:1.4` → `echoserver`). A name with `_` or `.` gets
/// them turned into `-` plus a random five-character suffix, as kubectl does; here the suffix
/// is drawn from `seed` so that a run is reproducible.
/// Five characters of kubectl's random-name alphabet, drawn from `seed` and `salt` (kubectl
/// draws them at random; here a run is reproducible).
pub(crate) fn random_suffix(seed: u64, salt: &str) -> String {
    const ALPHABET: &[u8] = b"bcdfghjklmnpqrstvwxz2456789";
    // FNV-1a over the seed and the salt, then a small xorshift walk for the five letters.
    let mut state: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in seed.to_le_bytes().iter().chain(salt.as_bytes()) {
        state ^= u64::from(*byte);
        state = state.wrapping_mul(0x0100_0000_01b3);
    }
    (0..5)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            ALPHABET[(state % ALPHABET.len() as u64) as usize] as char
        })
        .collect()
}

pub(crate) fn container_name_for(image: &str, seed: u64) -> String {
    let last = image.rsplit('/').next().unwrap_or(image);
    let without_tag = last.split(':').next().unwrap_or(last);
    let name = without_tag.split('@').next().unwrap_or(without_tag);
    if !name.contains(['_', '.']) {
        return name.to_string();
    }
    let suffix = random_suffix(seed, image);
    format!("{}-{suffix}", name.replace(['_', '.'], "-"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn go_ints_follow_strconv() {
        assert_eq!(parse_go_int("42", 32), Ok(42));
        assert_eq!(parse_go_int("-5", 32), Ok(-5));
        assert_eq!(parse_go_int("0x10", 64), Ok(16));
        assert_eq!(parse_go_int("010", 64), Ok(8));
        assert_eq!(parse_go_int("0", 64), Ok(0));
        assert_eq!(parse_go_int("1_000", 64), Ok(1000));
        assert_eq!(parse_go_int("abc", 32), Err("invalid syntax"));
        assert_eq!(parse_go_int("", 32), Err("invalid syntax"));
        assert_eq!(parse_go_int("1_", 32), Err("invalid syntax"));
        assert_eq!(parse_go_int("_1", 32), Err("invalid syntax"));
        assert_eq!(parse_go_int("0x", 32), Err("invalid syntax"));
        assert_eq!(parse_go_int("99999999999", 32), Err("value out of range"));
        assert_eq!(parse_go_int("2147483647", 32), Ok(2147483647));
        assert_eq!(parse_go_int("-2147483648", 32), Ok(-2147483648));
        assert_eq!(parse_go_int("2147483648", 32), Err("value out of range"));
        assert_eq!(
            parse_go_int("99999999999999999999999999999999999999999", 64),
            Err("value out of range")
        );
    }

    #[test]
    fn csv_lists_split_like_pflag() {
        assert_eq!(split_csv("get,list").unwrap(), ["get", "list"]);
        assert_eq!(split_csv("").unwrap(), Vec::<String>::new());
        assert_eq!(split_csv("a,").unwrap(), ["a", ""]);
        assert_eq!(split_csv("\"a,b\",c").unwrap(), ["a,b", "c"]);
        assert!(split_csv("a\"b").is_err());
        assert!(split_csv("\"ab").is_err());
    }

    #[test]
    fn base64_matches_go() {
        assert_eq!(base64_encode(b"admin"), "YWRtaW4=");
        assert_eq!(base64_encode(b"s3cr=t"), "czNjcj10");
        assert_eq!(base64_encode(b""), "");
        assert_eq!(
            base64_encode(b"color=blue\nsize=10\n"),
            "Y29sb3I9Ymx1ZQpzaXplPTEwCg=="
        );
    }

    #[test]
    fn container_names_come_from_the_image() {
        assert_eq!(container_name_for("nginx", 1), "nginx");
        assert_eq!(container_name_for("nginx:1.27", 1), "nginx");
        assert_eq!(
            container_name_for("registry.k8s.io/echoserver:1.4", 1),
            "echoserver"
        );
        assert_eq!(
            container_name_for("localhost:5000/app@sha256:abc", 1),
            "app"
        );
        assert_eq!(container_name_for("nginx:latest@sha256:abc", 1), "nginx");
        // `_` and `.` become `-` and a five-letter suffix makes the name unique, as in kubectl.
        let name = container_name_for("gcr.io/google-samples/hello_app:1.0", 1);
        assert!(
            name.starts_with("hello-app-") && name.len() == "hello-app-".len() + 5,
            "{name}"
        );
        assert_eq!(
            name,
            container_name_for("gcr.io/google-samples/hello_app:1.0", 1)
        );
    }

    #[test]
    fn env_files_read_like_kubectl() {
        let pairs = env_file_pairs("\u{feff}# c\nA=1\n\n   B=2  \nC=\nD=a=b\nE\r\n").unwrap();
        let expected: Vec<(String, String)> =
            [("A", "1"), ("B", "2  "), ("C", ""), ("D", "a=b"), ("E", "")]
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect();
        assert_eq!(pairs, expected);
        assert_eq!(
            env_file_pairs("export X=1").unwrap_err(),
            "error: \"export X\" is not a valid key name: a valid environment variable name must consist of alphabetic characters, digits, '_', '-', or '.', and must not start with a digit (e.g. 'my.env-name',  or 'MY_ENV.NAME',  or 'MyEnvName1', regex used for validation is '[-._a-zA-Z][-._a-zA-Z0-9]*')"
        );
        assert_eq!(
            env_file_pairs("..a=1").unwrap_err(),
            "error: \"..a\" is not a valid key name: must not start with '..'"
        );
    }

    #[test]
    fn selectors_become_label_selectors() {
        assert_eq!(
            parse_label_selector("app=web,env in (b,a),x,!y,tier notin (c)").unwrap(),
            json!({
                "matchLabels": {"app": "web"},
                "matchExpressions": [
                    {"key": "env", "operator": "In", "values": ["a", "b"]},
                    {"key": "tier", "operator": "NotIn", "values": ["c"]},
                    {"key": "x", "operator": "Exists"},
                    {"key": "y", "operator": "DoesNotExist"}
                ]
            })
        );
        assert_eq!(
            parse_label_selector("a!=b").unwrap_err(),
            "\"!=\" is not a valid label selector operator"
        );
        assert_eq!(
            parse_label_selector("a>1").unwrap_err(),
            "\"gt\" isn't supported in label selectors"
        );
        assert_eq!(
            parse_label_selector("a b").unwrap_err(),
            "couldn't parse the selector string \"a b\": unable to parse requirement: found 'b', expected: in, notin, =, ==, !=, gt, lt"
        );
        assert_eq!(
            parse_label_selector("a=b,").unwrap_err(),
            "couldn't parse the selector string \"a=b,\": found '', expected: identifier after ','"
        );
        assert_eq!(
            parse_label_selector("a in (b").unwrap_err(),
            "couldn't parse the selector string \"a in (b\": unable to parse requirement: found '', expected: ',' or ')'"
        );
        assert_eq!(
            parse_label_selector("=b").unwrap_err(),
            "couldn't parse the selector string \"=b\": found '=', expected: !, identifier, or 'end of string'"
        );
        assert!(parse_label_selector("a=-b")
            .unwrap_err()
            .contains("values[0][a]: Invalid value: \"-b\": a valid label must be"));
        assert!(parse_label_selector("-a=b")
            .unwrap_err()
            .contains("<nil>: Invalid value: \"-a\": name part must consist"));
        assert_eq!(
            parse_label_selector("a in ()").unwrap(),
            json!({"matchExpressions": [{"key": "a", "operator": "In", "values": [""]}]})
        );
        assert_eq!(
            parse_label_selector("a=").unwrap(),
            json!({"matchLabels": {"a": ""}})
        );
    }

    #[test]
    fn pem_checks_follow_x509_key_pair() {
        let cert = "-----BEGIN CERTIFICATE-----\nQUJD\n-----END CERTIFICATE-----\n";
        let key = "-----BEGIN EC PRIVATE KEY-----\nQUJD\n-----END EC PRIVATE KEY-----\n";
        let public = "-----BEGIN PUBLIC KEY-----\nQUJD\n-----END PUBLIC KEY-----\n";
        assert_eq!(check_tls_pair(cert, key), Ok(()));
        assert_eq!(
            check_tls_pair("nothing", key).unwrap_err(),
            "tls: failed to find any PEM data in certificate input"
        );
        assert!(check_tls_pair(key, key)
            .unwrap_err()
            .contains("PEM inputs may have been switched"));
        assert_eq!(
            check_tls_pair(cert, cert).unwrap_err(),
            "tls: found a certificate rather than a key in the PEM for the private key"
        );
        assert!(check_tls_pair(cert, public)
            .unwrap_err()
            .ends_with("[PUBLIC KEY]"));
        assert!(check_tls_pair(public, key)
            .unwrap_err()
            .ends_with("[PUBLIC KEY]"));
        let broken = "-----BEGIN CERTIFICATE-----\n!!!!\n-----END CERTIFICATE-----\n";
        assert_eq!(
            check_tls_pair(broken, key).unwrap_err(),
            "tls: failed to find any PEM data in certificate input"
        );
    }

    #[test]
    fn docker_config_is_go_json() {
        assert_eq!(
            docker_config_json("https://index.docker.io/v1/", "bob", "pw", "bob@example.com"),
            "{\"auths\":{\"https://index.docker.io/v1/\":{\"username\":\"bob\",\"password\":\"pw\",\"email\":\"bob@example.com\",\"auth\":\"Ym9iOnB3\"}}}"
        );
        assert_eq!(
            go_json_string("a<b>&\"\\"),
            "\"a\\u003cb\\u003e\\u0026\\\"\\\\\""
        );
    }

    #[test]
    fn hashes_match_kubectl() {
        assert_eq!(
            sha256(b"abc")
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect::<String>(),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        // Names kubectl 1.37.1 printed with --append-hash.
        let cm = json!({"kind": "ConfigMap", "metadata": {"name": "c"}, "data": {"a": "b"}});
        assert_eq!(content_hash(&cm), "m4h6ctkgb2");
        let empty = json!({"kind": "ConfigMap", "metadata": {"name": "c"}});
        assert_eq!(content_hash(&empty), "94b26g54cg");
        let secret = json!({"kind": "Secret", "metadata": {"name": "s"}, "data": {"a": "Yg=="}});
        assert_eq!(content_hash(&secret), "7fd2tm89d8");
        let typed = json!({"kind": "Secret", "metadata": {"name": "s"}, "data": {"a": "Yg=="}, "type": "Opaque"});
        assert_eq!(content_hash(&typed), "hft88d9fbb");
    }

    #[test]
    fn keys_are_checked_like_the_api_server() {
        assert!(config_key_errors("app.properties").is_empty());
        assert_eq!(config_key_errors("..").last().unwrap(), "must not be '..'");
        assert!(!config_key_errors("a b").is_empty());
        assert!(port_name_errors("http").is_empty());
        assert_eq!(
            port_name_errors("").join(","),
            "must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-),must contain at least one letter (a-z)"
        );
    }
}
