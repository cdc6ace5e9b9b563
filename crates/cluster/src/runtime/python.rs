//! A very small Python for `python3 -c SCRIPT` in the docs' Job examples: `import`,
//! assignments, `print(…)`, `if`/`elif`/`else` blocks, `sys.exit(N)`; expressions over integers
//! and strings with `os.environ.get("X")`, `os.environ["X"]`, `int()`, `str()`, `+ - * // %`,
//! comparisons, `and`/`or`/`not`. A script using anything else does not run: the program prints
//! which construct this simulated python lacks and exits 1 (never a silent success).

use std::collections::BTreeMap;

#[derive(Debug, Clone, PartialEq)]
enum Value {
    Int(i64),
    Str(String),
    Bool(bool),
    None,
}

impl Value {
    fn truthy(&self) -> bool {
        match self {
            Value::Int(n) => *n != 0,
            Value::Str(s) => !s.is_empty(),
            Value::Bool(b) => *b,
            Value::None => false,
        }
    }
    fn text(&self) -> String {
        match self {
            Value::Int(n) => n.to_string(),
            Value::Str(s) => s.clone(),
            Value::Bool(true) => "True".into(),
            Value::Bool(false) => "False".into(),
            Value::None => "None".into(),
        }
    }
}

/// What running the script did: printed lines and the exit code.
pub struct Outcome {
    pub lines: Vec<String>,
    pub code: i32,
}

struct Interpreter<'a> {
    env: &'a [(String, String)],
    variables: BTreeMap<String, Value>,
    lines: Vec<String>,
}

enum Flow {
    Next,
    Exit(i32),
}

/// Runs `script` with the container's environment.
pub fn run(script: &str, env: &[(String, String)]) -> Outcome {
    let mut interpreter = Interpreter {
        env,
        variables: BTreeMap::new(),
        lines: Vec::new(),
    };
    let lines: Vec<(usize, String)> = script
        .lines()
        .map(|l| l.trim_end())
        .filter(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#'))
        .map(|l| (l.len() - l.trim_start().len(), l.trim().to_string()))
        .collect();
    let base = lines.first().map_or(0, |(i, _)| *i);
    match interpreter.block(&lines, base) {
        Ok(Flow::Exit(code)) => Outcome {
            lines: interpreter.lines,
            code,
        },
        Ok(Flow::Next) => Outcome {
            lines: interpreter.lines,
            code: 0,
        },
        Err(problem) => {
            let mut lines = interpreter.lines;
            lines.push(format!(
                "kubeplay: the simulated python3 cannot run this script ({problem})"
            ));
            Outcome { lines, code: 1 }
        }
    }
}

impl Interpreter<'_> {
    /// Runs the statements at indentation `indent` (deeper lines belong to blocks).
    fn block(&mut self, lines: &[(usize, String)], indent: usize) -> Result<Flow, String> {
        let mut i = 0;
        while i < lines.len() {
            let (level, line) = &lines[i];
            if *level != indent {
                return Err(format!("unexpected indentation at `{line}`"));
            }
            if line.starts_with("if ") {
                // Gather the if/elif/else chain and their bodies.
                let mut taken = false;
                let mut j = i;
                loop {
                    let (_, head) = &lines[j];
                    let body_end = (j + 1..lines.len())
                        .find(|k| lines[*k].0 <= indent)
                        .unwrap_or(lines.len());
                    let body = &lines[j + 1..body_end];
                    let body_indent = body.first().map(|(l, _)| *l).ok_or("empty block")?;
                    let condition = if let Some(rest) = head.strip_prefix("if ") {
                        Some(rest)
                    } else if let Some(rest) = head.strip_prefix("elif ") {
                        Some(rest)
                    } else if head == "else:" {
                        None
                    } else {
                        return Err(format!("unsupported statement `{head}`"));
                    };
                    let run = match condition {
                        Some(text) => {
                            let text = text.strip_suffix(':').ok_or("missing `:`")?;
                            !taken && self.expression(text)?.truthy()
                        }
                        None => !taken,
                    };
                    if run {
                        taken = true;
                        if let Flow::Exit(code) = self.block(body, body_indent)? {
                            return Ok(Flow::Exit(code));
                        }
                    }
                    j = body_end;
                    let continues = lines.get(j).is_some_and(|(l, h)| {
                        *l == indent && (h.starts_with("elif ") || h == "else:")
                    });
                    if !continues {
                        break;
                    }
                }
                i = j;
                continue;
            }
            if let Flow::Exit(code) = self.statement(line)? {
                return Ok(Flow::Exit(code));
            }
            i += 1;
        }
        Ok(Flow::Next)
    }

    fn statement(&mut self, line: &str) -> Result<Flow, String> {
        if line.starts_with("import ") || line.starts_with("from ") || line == "pass" {
            return Ok(Flow::Next);
        }
        if let Some(inner) = line
            .strip_prefix("sys.exit(")
            .or_else(|| line.strip_prefix("exit("))
            .and_then(|r| r.strip_suffix(')'))
        {
            let code = if inner.trim().is_empty() {
                Value::Int(0)
            } else {
                self.expression(inner)?
            };
            return Ok(Flow::Exit(match code {
                Value::Int(n) => (n & 0xff) as i32,
                Value::None => 0,
                other => {
                    self.lines.push(other.text());
                    1
                }
            }));
        }
        if let Some(inner) = line
            .strip_prefix("print(")
            .and_then(|r| r.strip_suffix(')'))
        {
            let mut parts = Vec::new();
            for argument in split_arguments(inner) {
                parts.push(self.expression(&argument)?.text());
            }
            self.lines.push(parts.join(" "));
            return Ok(Flow::Next);
        }
        if let Some((name, value)) = line.split_once('=') {
            let name = name.trim();
            if !value.starts_with('=')
                && !name.is_empty()
                && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
            {
                let value = self.expression(value)?;
                self.variables.insert(name.to_string(), value);
                return Ok(Flow::Next);
            }
        }
        Err(format!("unsupported statement `{line}`"))
    }

    fn expression(&mut self, text: &str) -> Result<Value, String> {
        let text = text.trim();
        // Lowest precedence first: or, and, not, comparisons, + -, * // %.
        if let Some((a, b)) = split_operator(text, &[" or "]) {
            let left = self.expression(&a.0)?;
            return if left.truthy() {
                Ok(left)
            } else {
                self.expression(&b)
            };
        }
        if let Some((a, b)) = split_operator(text, &[" and "]) {
            let left = self.expression(&a.0)?;
            return if left.truthy() {
                self.expression(&b)
            } else {
                Ok(left)
            };
        }
        if let Some(rest) = text.strip_prefix("not ") {
            return Ok(Value::Bool(!self.expression(rest)?.truthy()));
        }
        if let Some(((a, op), b)) = split_operator(text, &["==", "!=", "<=", ">=", "<", ">"]) {
            let (left, right) = (self.expression(&a)?, self.expression(&b)?);
            let result = match (op.as_str(), &left, &right) {
                ("==", l, r) => l == r,
                ("!=", l, r) => l != r,
                (op, Value::Int(l), Value::Int(r)) => match op {
                    "<" => l < r,
                    ">" => l > r,
                    "<=" => l <= r,
                    _ => l >= r,
                },
                _ => return Err(format!("cannot compare `{text}`")),
            };
            return Ok(Value::Bool(result));
        }
        if let Some(((a, op), b)) = split_operator(text, &["+", "-"]) {
            let (left, right) = (self.expression(&a)?, self.expression(&b)?);
            return match (op.as_str(), left, right) {
                ("+", Value::Int(l), Value::Int(r)) => Ok(Value::Int(l.wrapping_add(r))),
                ("+", Value::Str(l), Value::Str(r)) => Ok(Value::Str(l + &r)),
                ("-", Value::Int(l), Value::Int(r)) => Ok(Value::Int(l.wrapping_sub(r))),
                _ => Err(format!("TypeError in `{text}`")),
            };
        }
        if let Some(((a, op), b)) = split_operator(text, &["//", "*", "%"]) {
            let (left, right) = (self.expression(&a)?, self.expression(&b)?);
            let (Value::Int(l), Value::Int(r)) = (left, right) else {
                return Err(format!("TypeError in `{text}`"));
            };
            return match op.as_str() {
                "*" => Ok(Value::Int(l.wrapping_mul(r))),
                _ if r == 0 => Err("ZeroDivisionError".into()),
                "//" => Ok(Value::Int(l.div_euclid(r))),
                _ => Ok(Value::Int(l.rem_euclid(r))),
            };
        }
        if let Some(inner) = text.strip_prefix('(').and_then(|t| t.strip_suffix(')')) {
            return self.expression(inner);
        }
        if let Ok(n) = text.parse::<i64>() {
            return Ok(Value::Int(n));
        }
        if text.len() >= 2
            && ((text.starts_with('"') && text.ends_with('"'))
                || (text.starts_with('\'') && text.ends_with('\'')))
        {
            return Ok(Value::Str(text[1..text.len() - 1].to_string()));
        }
        match text {
            "True" => return Ok(Value::Bool(true)),
            "False" => return Ok(Value::Bool(false)),
            "None" => return Ok(Value::None),
            _ => {}
        }
        if let Some(inner) = text
            .strip_prefix("os.environ.get(")
            .or_else(|| text.strip_prefix("os.getenv("))
            .and_then(|t| t.strip_suffix(')'))
        {
            let arguments = split_arguments(inner);
            let name = self.expression(arguments.first().ok_or("getenv without a name")?)?;
            let found = self
                .env
                .iter()
                .rev()
                .find(|(n, _)| *n == name.text())
                .map(|(_, v)| Value::Str(v.clone()));
            return match (found, arguments.get(1)) {
                (Some(v), _) => Ok(v),
                (None, Some(default)) => self.expression(default),
                (None, None) => Ok(Value::None),
            };
        }
        if let Some(inner) = text
            .strip_prefix("os.environ[")
            .and_then(|t| t.strip_suffix(']'))
        {
            let name = self.expression(inner)?.text();
            return self
                .env
                .iter()
                .rev()
                .find(|(n, _)| *n == name)
                .map(|(_, v)| Value::Str(v.clone()))
                .ok_or_else(|| format!("KeyError: '{name}'"));
        }
        if let Some(inner) = text.strip_prefix("int(").and_then(|t| t.strip_suffix(')')) {
            return match self.expression(inner)? {
                Value::Int(n) => Ok(Value::Int(n)),
                Value::Str(s) => s
                    .trim()
                    .parse()
                    .map(Value::Int)
                    .map_err(|_| format!("ValueError: invalid literal for int(): '{s}'")),
                other => Err(format!("TypeError: int() of {}", other.text())),
            };
        }
        if let Some(inner) = text.strip_prefix("str(").and_then(|t| t.strip_suffix(')')) {
            return Ok(Value::Str(self.expression(inner)?.text()));
        }
        if text.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') && !text.is_empty() {
            return self
                .variables
                .get(text)
                .cloned()
                .ok_or_else(|| format!("NameError: name '{text}' is not defined"));
        }
        Err(format!("unsupported expression `{text}`"))
    }
}

/// Splits at the last top-level occurrence of one of `operators` (outside quotes and brackets):
/// ((left, operator), right), so that `a - b - c` groups to the left.
fn split_operator(text: &str, operators: &[&str]) -> Option<((String, String), String)> {
    let bytes = text.as_bytes();
    let mut depth = 0i32;
    let mut quote: Option<u8> = None;
    let mut found: Option<(usize, &str)> = None;
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None => match c {
                b'"' | b'\'' => quote = Some(c),
                b'(' | b'[' => depth += 1,
                b')' | b']' => depth -= 1,
                _ if depth == 0 && i > 0 => {
                    for op in operators {
                        if text[i..].starts_with(op) {
                            // `//` is not two `/`, and `**`, `<=` are not `*`, `<`.
                            let next = &text[i + op.len()..];
                            let prev = text[..i].trim_end();
                            let unary = prev.is_empty()
                                || prev
                                    .ends_with(['(', ',', '=', '<', '>', '+', '-', '*', '%', '/']);
                            if (op.len() == 1 && (next.starts_with('=') || next.starts_with(*op)))
                                || (*op == "-" || *op == "+") && unary
                            {
                                continue;
                            }
                            found = Some((i, op));
                            break;
                        }
                    }
                }
                _ => {}
            },
        }
        if let Some((at, op)) = found.filter(|(at, _)| *at == i) {
            i = at + op.len();
            continue;
        }
        i += 1;
    }
    let (at, op) = found?;
    Some((
        (text[..at].to_string(), op.to_string()),
        text[at + op.len()..].to_string(),
    ))
}

/// Splits call arguments at top-level commas.
fn split_arguments(text: &str) -> Vec<String> {
    let mut parts = Vec::new();
    let mut depth = 0i32;
    let mut quote: Option<char> = None;
    let mut current = String::new();
    for c in text.chars() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None => match c {
                '"' | '\'' => quote = Some(c),
                '(' | '[' => depth += 1,
                ')' | ']' => depth -= 1,
                ',' if depth == 0 => {
                    parts.push(std::mem::take(&mut current));
                    continue;
                }
                _ => {}
            },
        }
        current.push(c);
    }
    if !current.trim().is_empty() {
        parts.push(current);
    }
    parts.into_iter().map(|p| p.trim().to_string()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(index: &str) -> Vec<(String, String)> {
        vec![("JOB_COMPLETION_INDEX".into(), index.into())]
    }

    #[test]
    fn the_docs_job_scripts_run() {
        let even_fails = "import os, sys\nprint(\"Hello world\")\nif int(os.environ.get(\"JOB_COMPLETION_INDEX\")) % 2 == 0:\n  sys.exit(1)\n";
        let outcome = run(even_fails, &env("2"));
        assert_eq!(
            (outcome.lines, outcome.code),
            (vec!["Hello world".to_string()], 1)
        );
        assert_eq!(run(even_fails, &env("3")).code, 0);
        let chain = "import os, sys\nindex = int(os.environ.get(\"JOB_COMPLETION_INDEX\"))\nif index == 0:\n  sys.exit(1)\nelif index == 1:\n  sys.exit(42)\nelse:\n  sys.exit(0)\n";
        assert_eq!(run(chain, &env("0")).code, 1);
        assert_eq!(run(chain, &env("1")).code, 42);
        assert_eq!(run(chain, &env("3")).code, 0);
        assert_eq!(
            run("print(7 - 2 - 1, 10 // 3, 'a' + \"b\")", &[]).lines,
            ["4 3 ab"]
        );
    }

    #[test]
    fn what_it_cannot_run_it_says() {
        let outcome = run("for i in range(3):\n  print(i)\n", &[]);
        assert_eq!(outcome.code, 1);
        assert!(
            outcome.lines[0].contains("cannot run this script"),
            "{:?}",
            outcome.lines
        );
    }
}
