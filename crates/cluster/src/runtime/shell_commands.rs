//! The commands the mini shell knows (busybox's applets as tutorials use them) and `$((…))`.
//!
//! Each command is a pure function of its arguments, its stdin and the shell state: it returns
//! what it printed, its exit status and whether the shell should then sleep, block for good or
//! exit. A command the shell does not know fails as busybox ash fails (`sh: foo: not found`,
//! exit 127). The network tools are in [`super::network`].

use super::clock_text;
use super::shell_vm::ShellState;

/// What happens after a command.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum After {
    #[default]
    Continue,
    /// Sleep this many milliseconds of simulated time.
    Sleep(u64),
    /// Block for good (`sleep infinity`).
    Forever,
    /// Block for good, printing what is appended to this file (`tail -f FILE`), if any.
    Follow(Option<String>),
    /// Exit the shell with this code.
    Exit(i32),
}

/// A command's result.
#[derive(Debug, Clone, Default)]
pub struct CommandOutcome {
    pub output: String,
    pub errors: String,
    pub status: i32,
    pub after: After,
}

fn ok(output: impl Into<String>) -> CommandOutcome {
    CommandOutcome {
        output: output.into(),
        ..Default::default()
    }
}

fn fail(errors: impl Into<String>, status: i32) -> CommandOutcome {
    CommandOutcome {
        errors: errors.into(),
        status,
        ..Default::default()
    }
}

/// Parses `sleep`'s argument: `5`, `0.5`, `2s`, `1m`, `1h`, `1d`, `infinity`.
pub fn sleep_millis(text: &str) -> Option<Option<u64>> {
    if text == "infinity" || text == "inf" {
        return Some(None);
    }
    let (number, unit) = match text.char_indices().find(|(_, c)| c.is_ascii_alphabetic()) {
        Some((i, _)) => (&text[..i], &text[i..]),
        None => (text, "s"),
    };
    let factor: f64 = match unit {
        "s" => 1000.0,
        "m" => 60_000.0,
        "h" => 3_600_000.0,
        "d" => 86_400_000.0,
        _ => return None,
    };
    let value: f64 = number.parse().ok()?;
    if !value.is_finite() || value < 0.0 {
        return None;
    }
    Some(Some((value * factor).min(1e15) as u64))
}

/// Runs one command.
pub fn run(argv: &[String], stdin: Option<String>, state: &mut ShellState) -> CommandOutcome {
    let Some(name) = argv.first() else {
        return CommandOutcome::default();
    };
    let args = &argv[1..];
    let program = name.rsplit('/').next().unwrap_or(name);
    match program {
        "redis-cli" if state.variables.contains_key(super::programs::REDIS_CONFIG_VARIABLE) => {
            redis_cli(args, state)
        }
        "echo" => echo(args),
        "printf" => printf(args),
        ":" | "true" => CommandOutcome::default(),
        "false" => fail("", 1),
        "exit" => {
            let code = args
                .first()
                .map(|a| a.parse::<i64>().map(|c| (c & 0xff) as i32).unwrap_or(2))
                .unwrap_or(state.status);
            CommandOutcome {
                status: code,
                after: After::Exit(code),
                ..Default::default()
            }
        }
        "sleep" => {
            let mut total = 0u64;
            if args.is_empty() {
                return fail("sleep: missing operand\n", 1);
            }
            for arg in args {
                match sleep_millis(arg) {
                    Some(Some(ms)) => total = total.saturating_add(ms),
                    Some(None) => {
                        return CommandOutcome {
                            after: After::Forever,
                            ..Default::default()
                        }
                    }
                    None => return fail(format!("sleep: invalid number '{arg}'\n"), 1),
                }
            }
            CommandOutcome {
                after: After::Sleep(total),
                ..Default::default()
            }
        }
        "env" | "printenv" => {
            let mut variables = state.variables.clone();
            if program == "printenv" && !args.is_empty() {
                let found: Vec<String> = args
                    .iter()
                    .filter_map(|a| variables.get(a).cloned())
                    .collect();
                let status = i32::from(found.len() != args.len());
                let mut out = CommandOutcome {
                    status,
                    ..Default::default()
                };
                for value in found {
                    out.output.push_str(&value);
                    out.output.push('\n');
                }
                return out;
            }
            variables.retain(|k, _| state.exported_names().contains(k));
            ok(variables
                .iter()
                .map(|(k, v)| format!("{k}={v}\n"))
                .collect::<String>())
        }
        "export" => {
            for arg in args {
                let name = match arg.split_once('=') {
                    Some((n, v)) => {
                        state.variables.insert(n.to_string(), v.to_string());
                        n.to_string()
                    }
                    None => arg.clone(),
                };
                state.export(&name);
            }
            CommandOutcome::default()
        }
        "unset" => {
            for arg in args {
                state.variables.remove(arg);
            }
            CommandOutcome::default()
        }
        "hostname" => {
            let name = state.variables.get("HOSTNAME").cloned().unwrap_or_default();
            // -i and -f read the pod's /etc/hosts (its own line: IP, FQDN or name, name).
            let own_line = state.files.get("/etc/hosts").and_then(|hosts| {
                hosts
                    .lines()
                    .filter(|l| !l.starts_with('#'))
                    .map(|l| l.split_whitespace().collect::<Vec<_>>())
                    .find(|fields| fields.iter().skip(1).any(|f| *f == name))
                    .map(|fields| (fields[0].to_string(), fields[1].to_string()))
            });
            match (args.first().map(String::as_str), own_line) {
                (Some("-i"), Some((ip, _))) => ok(format!("{ip}\n")),
                (Some("-f" | "--fqdn"), Some((_, fqdn))) => ok(format!("{fqdn}\n")),
                _ => ok(format!("{name}\n")),
            }
        }
        "date" => date(args, state),
        "cat" => cat(args, stdin, state),
        "touch" => {
            let mut out = CommandOutcome::default();
            for path in args.iter().filter(|a| !a.starts_with('-')) {
                if state.is_read_only(path) {
                    out.errors
                        .push_str(&format!("touch: {path}: Read-only file system\n"));
                    out.status = 1;
                } else if !state.files.contains_key(path) {
                    state.write_file(path, "", true);
                }
            }
            out
        }
        "rm" => {
            let force = args.iter().any(|a| a.starts_with('-') && a.contains('f'));
            let mut out = CommandOutcome::default();
            for path in args.iter().filter(|a| !a.starts_with('-')) {
                if state.is_read_only(path) {
                    out.errors
                        .push_str(&format!("rm: can't remove '{path}': Read-only file system\n"));
                    out.status = 1;
                    continue;
                }
                if !state.remove_file(path) && !force {
                    out.errors
                        .push_str(&format!("rm: can't remove '{path}': No such file or directory\n"));
                    out.status = 1;
                }
            }
            out
        }
        "mkdir" => {
            let mut out = CommandOutcome::default();
            for path in args.iter().filter(|a| !a.starts_with('-')) {
                if state.is_read_only(path) {
                    out.errors.push_str(&format!(
                        "mkdir: can't create directory '{path}': Read-only file system\n"
                    ));
                    out.status = 1;
                }
            }
            out
        }
        "cd" | "chmod" | "chown" | "sync" | "trap" | "set" | "ulimit" | "umask" => {
            CommandOutcome::default()
        }
        "pwd" => ok("/\n"),
        "whoami" => ok("root\n"),
        "id" => ok("uid=0(root) gid=0(root) groups=0(root),10(wheel)\n"),
        "uname" => ok(if args.iter().any(|a| a == "-a") {
            format!(
                "Linux {} 6.8.0-kubeplay #1 SMP x86_64 GNU/Linux\n",
                state.variables.get("HOSTNAME").cloned().unwrap_or_default()
            )
        } else {
            "Linux\n".to_string()
        }),
        "ls" => {
            let mut names: Vec<String> = state.files.keys().cloned().collect();
            if let Some(dir) = args.iter().find(|a| !a.starts_with('-')) {
                let prefix = format!("{}/", dir.trim_end_matches('/'));
                // The entries directly in the directory (a subdirectory once), sorted; names
                // starting with a dot only with -a/-A.
                let all = args
                    .iter()
                    .any(|a| a.starts_with('-') && (a.contains('a') || a.contains('A')));
                let entries: std::collections::BTreeSet<String> = names
                    .into_iter()
                    .filter_map(|n| {
                        let inside = n.strip_prefix(&prefix)?;
                        Some(inside.split('/').next().unwrap_or(inside).to_string())
                    })
                    .filter(|n| all || !n.starts_with('.'))
                    .collect();
                names = entries.into_iter().collect();
                let long = args.iter().any(|a| a.starts_with('-') && a.contains('l'));
                if long && names.is_empty() {
                    return ok("total 0\n");
                }
            }
            ok(names.iter().map(|n| format!("{n}\n")).collect::<String>())
        }
        "seq" => {
            let numbers: Vec<i64> = args.iter().filter_map(|a| a.parse().ok()).collect();
            let (first, last) = match numbers.as_slice() {
                [last] => (1, *last),
                [first, last, ..] => (*first, *last),
                _ => return fail("seq: missing operand\n", 1),
            };
            let last = last.min(first.saturating_add(100_000));
            ok((first..=last).map(|n| format!("{n}\n")).collect::<String>())
        }
        "expr" => match arithmetic(&args.join(" "), state) {
            Ok(value) => CommandOutcome {
                output: format!("{value}\n"),
                status: i32::from(value == 0),
                ..Default::default()
            },
            Err(_) => fail("expr: syntax error\n", 2),
        },
        "test" | "[" => {
            let mut args: Vec<&str> = args.iter().map(String::as_str).collect();
            if program == "[" {
                if args.last() != Some(&"]") {
                    return fail(format!("{}: missing ]\n", state.shell_name), 2);
                }
                args.pop();
            }
            match test(&args, state) {
                Some(true) => CommandOutcome::default(),
                Some(false) => fail("", 1),
                None => fail(format!("{}: syntax error\n", state.shell_name), 2),
            }
        }
        "wc" => {
            let text = input_text(args, stdin, state);
            if args.iter().any(|a| a == "-l") {
                ok(format!("{}\n", text.lines().count()))
            } else if args.iter().any(|a| a == "-c") {
                ok(format!("{}\n", text.len()))
            } else {
                ok(format!(
                    "{} {} {}\n",
                    text.lines().count(),
                    text.split_whitespace().count(),
                    text.len()
                ))
            }
        }
        "head" | "tail" => {
            if program == "tail" && args.iter().any(|a| a == "-f" || a == "-F") {
                // The last lines of the file, then whatever is appended to it (a file that is
                // not there yet is followed once it appears).
                let file = args
                    .iter()
                    .rfind(|a| !a.starts_with('-') && a.parse::<usize>().is_err())
                    .cloned();
                let text = file
                    .as_ref()
                    .and_then(|f| state.files.get(f))
                    .cloned()
                    .unwrap_or_default();
                let lines: Vec<&str> = text.lines().collect();
                return CommandOutcome {
                    output: tail_lines(&lines, args)
                        .iter()
                        .map(|l| format!("{l}\n"))
                        .collect(),
                    after: After::Follow(file),
                    ..Default::default()
                };
            }
            let count = count_flag(args).unwrap_or(10);
            let text = input_text(args, stdin, state);
            let lines: Vec<&str> = text.lines().collect();
            let chosen: Vec<&str> = if program == "head" {
                lines.iter().take(count).copied().collect()
            } else {
                tail_lines(&lines, args).to_vec()
            };
            ok(chosen.iter().map(|l| format!("{l}\n")).collect::<String>())
        }
        "grep" => {
            let Some(pattern) = args.iter().find(|a| !a.starts_with('-')) else {
                return fail("BusyBox v1.37.0 (2024-09-26 21:31:42 UTC) multi-call binary.\n\nUsage: grep [-HhnlLoqvsrRiwFE] [-m N] [-A|B|C N] { PATTERN | -e PATTERN... | -f FILE... } [FILE]...\n", 2);
            };
            let invert = args.iter().any(|a| a == "-v");
            let text = stdin.unwrap_or_default();
            let lines: Vec<&str> = text
                .lines()
                .filter(|l| l.contains(pattern.as_str()) != invert)
                .collect();
            let status = i32::from(lines.is_empty());
            CommandOutcome {
                output: if args.iter().any(|a| a == "-q") {
                    String::new()
                } else {
                    lines.iter().map(|l| format!("{l}\n")).collect()
                },
                status,
                ..Default::default()
            }
        }
        "rev" => {
            let text = input_text(args, stdin, state);
            ok(text
                .lines()
                .map(|l| format!("{}\n", l.chars().rev().collect::<String>()))
                .collect::<String>())
        }
        "wait" => CommandOutcome::default(),
        "wget" => super::network::wget(args, state),
        "curl" => super::network::curl(args, state),
        "nslookup" => super::network::nslookup(args, state),
        "nc" => super::network::nc(args, state),
        "ping" | "dig" | "telnet" => fail(
            format!("{program}: not simulated in this playground (wget, curl, nslookup and nc -z are)\n"),
            1,
        ),
        _ => fail(
            if state.shell_name == "bash" {
                format!("bash: line 1: {name}: command not found\n")
            } else {
                format!("{}: {name}: not found\n", state.shell_name)
            },
            127,
        ),
    }
}

/// `redis-cli` in a redis container, not on a terminal (raw replies): `PING` and `CONFIG GET`
/// of what the server loaded at start; other commands say plainly they are not simulated.
fn redis_cli(args: &[String], state: &ShellState) -> CommandOutcome {
    let mut words: Vec<&String> = Vec::new();
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        if matches!(
            arg.as_str(),
            "-h" | "-p" | "-n" | "-a" | "--user" | "--pass"
        ) {
            iter.next();
        } else if !arg.starts_with('-') {
            words.push(arg);
        }
    }
    let config: Vec<(String, String)> = state
        .variables
        .get(super::programs::REDIS_CONFIG_VARIABLE)
        .map(|text| {
            text.lines()
                .filter_map(|l| l.split_once('='))
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect()
        })
        .unwrap_or_default();
    let upper: Vec<String> = words.iter().map(|w| w.to_ascii_uppercase()).collect();
    match upper.iter().map(String::as_str).collect::<Vec<_>>().as_slice() {
        ["PING"] => ok("PONG\n"),
        ["CONFIG", "GET", _] => {
            let pattern = words[2].to_ascii_lowercase();
            let matches = |key: &str| {
                pattern == key
                    || pattern == "*"
                    || pattern
                        .strip_suffix('*')
                        .is_some_and(|prefix| key.starts_with(prefix))
            };
            ok(config
                .iter()
                .filter(|(key, _)| matches(key))
                .map(|(key, value)| format!("{key}\n{value}\n"))
                .collect::<String>())
        }
        [] => fail(
            "redis-cli: an interactive session is not simulated in this playground; give the command as arguments, e.g. redis-cli CONFIG GET maxmemory\n",
            1,
        ),
        _ => fail(
            format!(
                "redis-cli: only PING and CONFIG GET are simulated in this playground, not {}\n",
                words[0]
            ),
            1,
        ),
    }
}

/// The lines `tail` prints: the last N (`-n N`, 10 by default), or from line K on (`-n +K`).
fn tail_lines<'a>(lines: &'a [&'a str], args: &[String]) -> &'a [&'a str] {
    let from_start = args
        .iter()
        .zip(args.iter().skip(1).map(Some).chain([None]))
        .any(|(arg, next)| {
            arg.starts_with("-n+") || (arg == "-n" && next.is_some_and(|n| n.starts_with('+')))
        });
    let count = count_flag(args).unwrap_or(10);
    if from_start {
        &lines[count.saturating_sub(1).min(lines.len())..]
    } else {
        &lines[lines.len().saturating_sub(count)..]
    }
}

fn count_flag(args: &[String]) -> Option<usize> {
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        if arg == "-n" {
            return iter
                .next()
                .and_then(|n| n.trim_start_matches('+').parse().ok());
        }
        if let Some(n) = arg.strip_prefix("-n") {
            return n.parse().ok();
        }
        if let Some(n) = arg.strip_prefix('-') {
            if let Ok(n) = n.parse() {
                return Some(n);
            }
        }
    }
    None
}

fn input_text(args: &[String], stdin: Option<String>, state: &ShellState) -> String {
    let files: Vec<&String> = args
        .iter()
        .filter(|a| !a.starts_with('-') && a.parse::<usize>().is_err())
        .collect();
    if files.is_empty() {
        return stdin.unwrap_or_default();
    }
    files
        .iter()
        .filter_map(|f| state.files.get(*f).cloned())
        .collect()
}

fn echo(args: &[String]) -> CommandOutcome {
    let mut newline = true;
    let mut escapes = false;
    let mut rest = args;
    while let Some(first) = rest.first() {
        match first.as_str() {
            "-n" => newline = false,
            "-e" => escapes = true,
            "-E" => escapes = false,
            "-ne" | "-en" => {
                newline = false;
                escapes = true
            }
            _ => break,
        }
        rest = &rest[1..];
    }
    let mut text = rest.join(" ");
    if escapes {
        text = unescape(&text);
    }
    if newline {
        text.push('\n');
    }
    ok(text)
}

fn unescape(text: &str) -> String {
    text.replace("\\n", "\n")
        .replace("\\t", "\t")
        .replace("\\\\", "\\")
}

fn printf(args: &[String]) -> CommandOutcome {
    let Some(format) = args.first() else {
        return fail("printf: usage: printf format [arguments]\n", 2);
    };
    let format = unescape(format);
    let mut values = args[1..].iter();
    let mut out = String::new();
    // The format is reused while arguments remain, as printf does (bounded by the arguments).
    loop {
        let mut chars = format.chars().peekable();
        let mut used_any = false;
        while let Some(c) = chars.next() {
            if c != '%' {
                out.push(c);
                continue;
            }
            match chars.next() {
                Some('%') => out.push('%'),
                Some('s') => {
                    used_any = true;
                    out.push_str(values.next().map(String::as_str).unwrap_or(""))
                }
                Some('d') | Some('i') => {
                    used_any = true;
                    let v = values
                        .next()
                        .and_then(|v| v.parse::<i64>().ok())
                        .unwrap_or(0);
                    out.push_str(&v.to_string())
                }
                Some(other) => {
                    out.push('%');
                    out.push(other)
                }
                None => out.push('%'),
            }
        }
        if !used_any || values.len() == 0 {
            break;
        }
    }
    ok(out)
}

fn date(args: &[String], state: &ShellState) -> CommandOutcome {
    match args.iter().find(|a| a.starts_with('+')) {
        Some(format) => ok(format!(
            "{}\n",
            clock_text::strftime(&format[1..], state.now)
        )),
        None => ok(format!("{}\n", clock_text::date_default(state.now))),
    }
}

fn cat(args: &[String], stdin: Option<String>, state: &ShellState) -> CommandOutcome {
    let files: Vec<&String> = args.iter().filter(|a| !a.starts_with('-')).collect();
    if files.is_empty() {
        return ok(stdin.unwrap_or_default());
    }
    let mut out = CommandOutcome::default();
    for file in files {
        match state.files.get(file.as_str()) {
            Some(text) => out.output.push_str(text),
            None => match file.as_str() {
                "/etc/hostname" => out.output.push_str(&format!(
                    "{}\n",
                    state.variables.get("HOSTNAME").cloned().unwrap_or_default()
                )),
                "/var/run/secrets/kubernetes.io/serviceaccount/namespace" => out.output.push_str(
                    &state
                        .variables
                        .get("KUBEPLAY_POD_NAMESPACE")
                        .cloned()
                        .unwrap_or_else(|| "default".to_string()),
                ),
                _ => {
                    out.errors.push_str(&format!(
                        "cat: can't open '{file}': No such file or directory\n"
                    ));
                    out.status = 1;
                }
            },
        }
    }
    out
}

fn test(args: &[&str], state: &ShellState) -> Option<bool> {
    match args {
        [] => Some(false),
        ["!", rest @ ..] => test(rest, state).map(|b| !b),
        [single] => Some(!single.is_empty()),
        ["-n", s] => Some(!s.is_empty()),
        ["-z", s] => Some(s.is_empty()),
        ["-f", path] | ["-e", path] | ["-s", path] => Some(
            state
                .files
                .get(*path)
                .is_some_and(|c| args[0] != "-s" || !c.is_empty()),
        ),
        ["-d", path] => Some(
            matches!(*path, "/" | "/tmp" | "/etc" | "/var" | "/root")
                || state
                    .files
                    .keys()
                    .any(|k| k.starts_with(&format!("{path}/"))),
        ),
        [a, "=", b] | [a, "==", b] => Some(a == b),
        [a, "!=", b] => Some(a != b),
        [a, op, b] => {
            let a: i64 = a.trim().parse().ok()?;
            let b: i64 = b.trim().parse().ok()?;
            match *op {
                "-eq" => Some(a == b),
                "-ne" => Some(a != b),
                "-lt" => Some(a < b),
                "-le" => Some(a <= b),
                "-gt" => Some(a > b),
                "-ge" => Some(a >= b),
                _ => None,
            }
        }
        _ => None,
    }
}

/// `$((…))` and `expr`: integers with `+ - * / %`, comparisons, parentheses and variables.
pub fn arithmetic(expression: &str, state: &ShellState) -> Result<i64, String> {
    let tokens = arithmetic_tokens(expression, state)?;
    let mut position = 0;
    let value = arithmetic_comparison(&tokens, &mut position, 0)?;
    if position != tokens.len() {
        return Err("syntax error".into());
    }
    Ok(value)
}

#[derive(Debug, Clone, PartialEq)]
enum ArithmeticToken {
    Number(i64),
    Operator(String),
}

fn arithmetic_tokens(text: &str, state: &ShellState) -> Result<Vec<ArithmeticToken>, String> {
    let chars: Vec<char> = text.chars().collect();
    let mut tokens = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            i += 1;
        } else if c.is_ascii_digit() {
            let start = i;
            while i < chars.len() && chars[i].is_ascii_digit() {
                i += 1;
            }
            let text: String = chars[start..i].iter().collect();
            tokens.push(ArithmeticToken::Number(
                text.parse().map_err(|_| "number too big".to_string())?,
            ));
        } else if c.is_ascii_alphabetic() || c == '_' || c == '$' {
            let start = if c == '$' { i + 1 } else { i };
            i = start;
            while i < chars.len() && (chars[i].is_ascii_alphanumeric() || chars[i] == '_') {
                i += 1;
            }
            let name: String = chars[start..i].iter().collect();
            let value = state.variables.get(&name).map(|v| v.trim().to_string());
            let number = match value.as_deref() {
                None | Some("") => 0,
                Some(v) => v.parse().map_err(|_| format!("{v}: bad number"))?,
            };
            tokens.push(ArithmeticToken::Number(number));
        } else {
            let two: String = chars[i..(i + 2).min(chars.len())].iter().collect();
            if ["==", "!=", "<=", ">="].contains(&two.as_str()) {
                tokens.push(ArithmeticToken::Operator(two));
                i += 2;
            } else if "+-*/%()<>".contains(c) {
                tokens.push(ArithmeticToken::Operator(c.to_string()));
                i += 1;
            } else {
                return Err(format!("syntax error: invalid character '{c}'"));
            }
        }
    }
    Ok(tokens)
}

fn arithmetic_comparison(
    tokens: &[ArithmeticToken],
    position: &mut usize,
    depth: usize,
) -> Result<i64, String> {
    let left = arithmetic_sum(tokens, position, depth)?;
    if let Some(ArithmeticToken::Operator(op)) = tokens.get(*position) {
        let op = op.clone();
        if ["==", "!=", "<", ">", "<=", ">="].contains(&op.as_str()) {
            *position += 1;
            let right = arithmetic_sum(tokens, position, depth)?;
            return Ok(i64::from(match op.as_str() {
                "==" => left == right,
                "!=" => left != right,
                "<" => left < right,
                ">" => left > right,
                "<=" => left <= right,
                _ => left >= right,
            }));
        }
    }
    Ok(left)
}

fn arithmetic_sum(
    tokens: &[ArithmeticToken],
    position: &mut usize,
    depth: usize,
) -> Result<i64, String> {
    let mut value = arithmetic_product(tokens, position, depth)?;
    while let Some(ArithmeticToken::Operator(op)) = tokens.get(*position) {
        let plus = match op.as_str() {
            "+" => true,
            "-" => false,
            _ => break,
        };
        *position += 1;
        let right = arithmetic_product(tokens, position, depth)?;
        value = if plus {
            value.wrapping_add(right)
        } else {
            value.wrapping_sub(right)
        };
    }
    Ok(value)
}

fn arithmetic_product(
    tokens: &[ArithmeticToken],
    position: &mut usize,
    depth: usize,
) -> Result<i64, String> {
    let mut value = arithmetic_unary(tokens, position, depth)?;
    while let Some(ArithmeticToken::Operator(op)) = tokens.get(*position) {
        let op = op.clone();
        if !["*", "/", "%"].contains(&op.as_str()) {
            break;
        }
        *position += 1;
        let right = arithmetic_unary(tokens, position, depth)?;
        value = match op.as_str() {
            "*" => value.wrapping_mul(right),
            _ if right == 0 => return Err("divide by zero".into()),
            "/" => value.wrapping_div(right),
            _ => value.wrapping_rem(right),
        };
    }
    Ok(value)
}

fn arithmetic_unary(
    tokens: &[ArithmeticToken],
    position: &mut usize,
    depth: usize,
) -> Result<i64, String> {
    if depth > 64 {
        return Err("expression too deep".into());
    }
    match tokens.get(*position) {
        Some(ArithmeticToken::Number(n)) => {
            *position += 1;
            Ok(*n)
        }
        Some(ArithmeticToken::Operator(op)) if op == "-" => {
            *position += 1;
            Ok(arithmetic_unary(tokens, position, depth + 1)?.wrapping_neg())
        }
        Some(ArithmeticToken::Operator(op)) if op == "(" => {
            *position += 1;
            let value = arithmetic_comparison(tokens, position, depth + 1)?;
            match tokens.get(*position) {
                Some(ArithmeticToken::Operator(close)) if close == ")" => {
                    *position += 1;
                    Ok(value)
                }
                _ => Err("missing ')'".into()),
            }
        }
        _ => Err("syntax error".into()),
    }
}
