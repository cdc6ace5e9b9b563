//! The script language. One command a line; `<<EOF` heredocs feed a command's standard input;
//! `#` starts a comment line. Words are split as a POSIX shell splits them (quotes, backslashes).

/// One script command.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    /// `kubectl …` (args without `kubectl`), with a heredoc as standard input.
    Kubectl {
        args: Vec<String>,
        stdin: Option<String>,
    },
    /// `sleep 30s`: advance simulated time.
    Sleep { millis: u64 },
    /// `cluster add-node …` and other things kubectl cannot do.
    Cluster { args: Vec<String> },
    /// `curl [-n N] URL` from outside the cluster.
    Curl { args: Vec<String> },
}

/// Where scripts read files from (`kubectl apply -f web.yaml` next to the script).
pub trait Files {
    fn read_file(&self, path: &str) -> Result<String, String>;
    fn list_dir(&self, path: &str) -> Option<Vec<String>>;
    /// Directories directly in `path`, sorted (for `kubectl … -f DIR -R`).
    fn list_subdirs(&self, path: &str) -> Vec<String>;
}

/// No files at all (the page, one-shot commands).
pub struct NoFiles;

impl Files for NoFiles {
    fn read_file(&self, path: &str) -> Result<String, String> {
        Err(format!("the path \"{path}\" does not exist"))
    }
    fn list_dir(&self, _path: &str) -> Option<Vec<String>> {
        None
    }
    fn list_subdirs(&self, _path: &str) -> Vec<String> {
        Vec::new()
    }
}

/// A script entry: what the transcript reproduces.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Entry {
    /// A `#` comment or blank line, kept verbatim.
    Text(String),
    /// A command: its source line (without `$ `), its heredoc lines (including the terminator),
    /// the parsed command, and the 1-based line number.
    Command {
        line: String,
        heredoc: Vec<String>,
        command: Command,
        line_number: usize,
    },
}

/// A script error: the line number and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScriptError {
    pub line_number: usize,
    pub message: String,
}

impl std::fmt::Display for ScriptError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "line {}: {}", self.line_number, self.message)
    }
}

/// Finds a trailing `<<EOF`, `<< 'EOF'`, `<<"EOF"` or `<<-EOF`; returns the line without it and
/// the terminator word.
fn split_heredoc(line: &str) -> (String, Option<String>) {
    let Some(at) = line.rfind("<<") else {
        return (line.to_string(), None);
    };
    let before = &line[..at];
    // `<<` inside quotes is not a heredoc.
    if before.matches('\'').count() % 2 == 1 || before.matches('"').count() % 2 == 1 {
        return (line.to_string(), None);
    }
    let word = line[at + 2..]
        .trim()
        .trim_start_matches('-')
        .trim()
        .trim_matches(|c| c == '\'' || c == '"');
    if word.is_empty() || !word.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
        return (line.to_string(), None);
    }
    (before.trim_end().to_string(), Some(word.to_string()))
}

/// Marks a placeholder for a `$( … )` span while the line is split into words.
const SUBSTITUTION_MARK: char = '\u{1}';

/// Replaces each `$( … )` of a line by a placeholder (so that splitting keeps it one word, as
/// the shell does), and refuses what scripts cannot do: an unquoted `|`, `>`, `;` or `&&`.
fn protect_substitutions(line: &str) -> Result<(String, Vec<String>), String> {
    let mut out = String::new();
    let mut substitutions = Vec::new();
    let mut chars = line.char_indices().peekable();
    let (mut single, mut double) = (false, false);
    while let Some((index, c)) = chars.next() {
        match c {
            SUBSTITUTION_MARK => return Err("control characters are not allowed".into()),
            '\\' if !single => {
                out.push(c);
                if let Some((_, next)) = chars.next() {
                    out.push(next);
                }
            }
            '\'' if !double => {
                single = !single;
                out.push(c);
            }
            '"' if !single => {
                double = !double;
                out.push(c);
            }
            '$' if !single && line[index..].starts_with("$(") => {
                let Some(length) = line[index + 2..].find(')') else {
                    return Err("unterminated $( … ) substitution".into());
                };
                substitutions.push(line[index..index + 2 + length + 1].to_string());
                out.push(SUBSTITUTION_MARK);
                out.push_str(&(substitutions.len() - 1).to_string());
                out.push(SUBSTITUTION_MARK);
                // Skip the span.
                while let Some((i, _)) = chars.peek() {
                    if *i > index + 2 + length {
                        break;
                    }
                    chars.next();
                }
            }
            '|' | ';' | '>' | '&' if !single && !double => {
                return Err(format!(
                    "`{c}` is not supported in script lines: one kubectl command per line (pipes, redirections and command lists belong to a real shell)"
                ));
            }
            _ => out.push(c),
        }
    }
    Ok((out, substitutions))
}

fn restore_substitutions(word: &str, substitutions: &[String]) -> String {
    if !word.contains(SUBSTITUTION_MARK) {
        return word.to_string();
    }
    let mut out = String::new();
    let mut parts = word.split(SUBSTITUTION_MARK);
    if let Some(first) = parts.next() {
        out.push_str(first);
    }
    let mut inside = true;
    for part in parts {
        if inside {
            match part
                .parse::<usize>()
                .ok()
                .and_then(|i| substitutions.get(i))
            {
                Some(text) => out.push_str(text),
                None => out.push_str(part),
            }
        } else {
            out.push_str(part);
        }
        inside = !inside;
    }
    out
}

/// Parses one command line. `Ok(None)` for blank lines and comments.
pub fn parse_command(line: &str, stdin: Option<String>) -> Result<Option<Command>, String> {
    let trimmed = line.trim();
    if trimmed.is_empty() || trimmed.starts_with('#') {
        return Ok(None);
    }
    let (protected, substitutions) = protect_substitutions(trimmed)?;
    let words: Vec<String> = shlex::split(&protected)
        .ok_or_else(|| "unterminated quote or trailing backslash".to_string())?
        .into_iter()
        .map(|word| restore_substitutions(&word, &substitutions))
        .collect();
    let Some((program, args)) = words.split_first() else {
        return Ok(None);
    };
    let args = args.to_vec();
    match program.as_str() {
        "kubectl" | "k" => Ok(Some(Command::Kubectl { args, stdin })),
        "sleep" => {
            let [duration] = args.as_slice() else {
                return Err("sleep takes one duration, e.g. `sleep 30s`".to_string());
            };
            Ok(Some(Command::Sleep { millis: model::duration::parse_duration_millis(duration)? }))
        }
        "cluster" => Ok(Some(Command::Cluster { args })),
        "curl" => Ok(Some(Command::Curl { args })),
        other => Err(format!("unknown command \"{other}\": a script line is kubectl …, sleep DURATION, cluster …, curl … or a # comment")),
    }
}

/// Parses a script or a transcript. In a transcript (`transcript = true`) only `$ ` lines are
/// commands and everything else is output, which this parser skips; in a script every non-blank,
/// non-comment line is a command (a leading `$ ` is allowed).
pub fn parse(text: &str, transcript: bool) -> Result<Vec<Entry>, ScriptError> {
    let lines: Vec<&str> = text.lines().collect();
    let mut entries = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let raw = lines[i];
        let line_number = i + 1;
        i += 1;
        let command_text = match raw.strip_prefix("$ ") {
            Some(c) => c,
            None if transcript => continue,
            None if raw.trim().is_empty() || raw.trim_start().starts_with('#') => {
                entries.push(Entry::Text(raw.to_string()));
                continue;
            }
            None => raw,
        };
        let (line, terminator) = split_heredoc(command_text);
        let mut heredoc = Vec::new();
        let mut stdin = None;
        if let Some(terminator) = terminator {
            let mut body = String::new();
            let mut closed = false;
            while i < lines.len() {
                let l = lines[i];
                i += 1;
                heredoc.push(l.to_string());
                if l.trim() == terminator {
                    closed = true;
                    break;
                }
                body.push_str(l);
                body.push('\n');
            }
            if !closed {
                return Err(ScriptError {
                    line_number,
                    message: format!("heredoc is not closed: no line \"{terminator}\" follows"),
                });
            }
            stdin = Some(body);
        }
        match parse_command(&line, stdin) {
            Ok(Some(command)) => entries.push(Entry::Command {
                line: command_text.to_string(),
                heredoc,
                command,
                line_number,
            }),
            Ok(None) => {}
            Err(message) => {
                return Err(ScriptError {
                    line_number,
                    message,
                })
            }
        }
    }
    Ok(entries)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_like_a_shell() {
        let c = parse_command(r#"kubectl exec p -- sh -c "echo hi > /data/f""#, None)
            .unwrap()
            .unwrap();
        assert_eq!(
            c,
            Command::Kubectl {
                args: ["exec", "p", "--", "sh", "-c", "echo hi > /data/f"]
                    .map(String::from)
                    .to_vec(),
                stdin: None
            }
        );
        let c = parse_command(
            "kubectl get pods -o jsonpath='{.items[*].metadata.name}'",
            None,
        )
        .unwrap()
        .unwrap();
        let Command::Kubectl { args, .. } = c else {
            panic!()
        };
        assert_eq!(args[3], "jsonpath={.items[*].metadata.name}");
    }

    #[test]
    fn heredocs_feed_stdin() {
        let entries = parse("kubectl apply -f - <<EOF\napiVersion: v1\nkind: Namespace\nmetadata: {name: x}\nEOF\nsleep 5s\n", false).unwrap();
        assert_eq!(entries.len(), 2);
        let Entry::Command {
            command: Command::Kubectl { stdin, args },
            heredoc,
            ..
        } = &entries[0]
        else {
            panic!()
        };
        assert_eq!(args, &["apply", "-f", "-"]);
        assert_eq!(
            stdin.as_deref(),
            Some("apiVersion: v1\nkind: Namespace\nmetadata: {name: x}\n")
        );
        assert_eq!(heredoc.last().map(String::as_str), Some("EOF"));
        assert!(matches!(
            entries[1],
            Entry::Command {
                command: Command::Sleep { millis: 5000 },
                ..
            }
        ));
    }

    #[test]
    fn bad_lines_name_their_line_number() {
        assert_eq!(
            parse("kubectl get pods\nfoo bar\n", false)
                .unwrap_err()
                .line_number,
            2
        );
        assert_eq!(
            parse("kubectl get 'pods\n", false).unwrap_err().message,
            "unterminated quote or trailing backslash"
        );
        assert_eq!(
            parse("kubectl apply -f - <<EOF\nx: 1\n", false)
                .unwrap_err()
                .line_number,
            1
        );
        assert!(parse("sleep forever\n", false).is_err());
    }

    #[test]
    fn substitutions_stay_one_word_and_shell_operators_are_refused() {
        let command = parse_command(
            "kubectl exec c -- wget -qO- http://$(kubectl get svc web -o jsonpath={.spec.clusterIP}):80/",
            None,
        )
        .unwrap()
        .unwrap();
        let Command::Kubectl { args, .. } = command else {
            panic!("a kubectl line");
        };
        assert_eq!(
            args.last().unwrap(),
            "http://$(kubectl get svc web -o jsonpath={.spec.clusterIP}):80/"
        );
        for line in [
            "kubectl get pods | grep web",
            "kubectl get pods > out.txt",
            "kubectl get pods; kubectl get svc",
            "kubectl get pods && echo ok",
        ] {
            let error = parse_command(line, None).unwrap_err();
            assert!(
                error.contains("is not supported in script lines"),
                "{line}: {error}"
            );
        }
        // Quoted, they are arguments like any other.
        assert!(parse_command("kubectl exec p -- sh -c 'a | b; c > d && e'", None).is_ok());
        assert!(parse_command("kubectl get pods $(unterminated", None).is_err());
    }
}
