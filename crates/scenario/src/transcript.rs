//! Golden transcripts: `$ command` lines, each followed by its heredoc and by what it printed
//! (stdout, then stderr). Comments and blank lines between commands are kept as they are.

use cluster::nodes::ClusterShape;
use kubectl::Output;

use crate::script::{self, Entry, Files, ScriptError};
use crate::Session;

/// Runs a script on a fresh cluster and renders its transcript.
pub fn run_script(text: &str, seed: u64, files: &dyn Files) -> Result<String, ScriptError> {
    run_script_on(text, seed, &ClusterShape::default(), files)
}

/// Runs a script on a fresh cluster of the given shape and renders its transcript.
pub fn run_script_on(
    text: &str,
    seed: u64,
    shape: &ClusterShape,
    files: &dyn Files,
) -> Result<String, ScriptError> {
    let entries = script::parse(text, false)?;
    let mut session = Session::with_shape(seed, shape);
    let mut out = String::new();
    for entry in &entries {
        match entry {
            Entry::Text(text) => {
                out.push_str(text);
                out.push('\n');
            }
            Entry::Command {
                line,
                heredoc,
                command,
                ..
            } => {
                let output = session.execute_script_line(command, files);
                render_command(&mut out, line, heredoc, &output);
            }
        }
    }
    Ok(out)
}

fn render_command(out: &mut String, line: &str, heredoc: &[String], output: &Output) {
    out.push_str("$ ");
    out.push_str(line);
    out.push('\n');
    for l in heredoc {
        out.push_str(l);
        out.push('\n');
    }
    for stream in [&output.stdout, &output.stderr] {
        out.push_str(stream);
        if !stream.is_empty() && !stream.ends_with('\n') {
            out.push('\n');
        }
    }
}

/// The result of checking a transcript: the freshly rendered transcript, and whether it matched.
pub struct CheckResult {
    pub actual: String,
    pub matches: bool,
}

/// Lines after a command's output that belong to the script, not to the output: trailing blank
/// lines and `#` comments before the next command.
fn split_interstitial(block: &[&str]) -> usize {
    let mut end = block.len();
    while end > 0 && (block[end - 1].trim().is_empty() || block[end - 1].starts_with('#')) {
        end -= 1;
    }
    end
}

/// Re-runs a transcript's commands on a fresh cluster and compares every command's output with
/// the transcript's. Text before the first command and between commands (comments, blank lines)
/// is carried over as it is.
pub fn check(transcript: &str, seed: u64, files: &dyn Files) -> Result<CheckResult, ScriptError> {
    check_on(transcript, seed, &ClusterShape::default(), files)
}

/// [`check`] on a cluster of the given shape.
pub fn check_on(
    transcript: &str,
    seed: u64,
    shape: &ClusterShape,
    files: &dyn Files,
) -> Result<CheckResult, ScriptError> {
    let entries = script::parse(transcript, true)?;
    let lines: Vec<&str> = transcript.lines().collect();
    let mut session = Session::with_shape(seed, shape);
    let mut actual = String::new();
    let mut matches = true;
    // Preamble: everything before the first command.
    let first_command_line = entries.iter().find_map(|e| match e {
        Entry::Command { line_number, .. } => Some(*line_number),
        Entry::Text(_) => None,
    });
    let preamble_end = first_command_line.map_or(lines.len(), |n| n - 1);
    for line in &lines[..preamble_end] {
        actual.push_str(line);
        actual.push('\n');
    }
    let commands: Vec<&Entry> = entries
        .iter()
        .filter(|e| matches!(e, Entry::Command { .. }))
        .collect();
    for (index, entry) in commands.iter().enumerate() {
        let Entry::Command {
            line,
            heredoc,
            command,
            line_number,
        } = entry
        else {
            continue;
        };
        let output_start = line_number + heredoc.len();
        let output_end = commands
            .get(index + 1)
            .map(|next| match next {
                Entry::Command { line_number, .. } => line_number - 1,
                Entry::Text(_) => lines.len(),
            })
            .unwrap_or(lines.len());
        let block = &lines[output_start.min(output_end)..output_end];
        let expected_end = split_interstitial(block);
        let expected: String = block[..expected_end]
            .iter()
            .map(|l| format!("{l}\n"))
            .collect();
        let output = session.execute_script_line(command, files);
        let mut rendered = String::new();
        render_command(&mut rendered, line, heredoc, &output);
        let header_len = rendered.len() - output_text_len(&output);
        let got = rendered[header_len..].to_string();
        let got_lines: Vec<&str> = got.lines().collect();
        let got_trimmed: String = got_lines[..split_interstitial(&got_lines)]
            .iter()
            .map(|l| format!("{l}\n"))
            .collect();
        if got_trimmed != expected {
            matches = false;
        }
        actual.push_str(&rendered[..header_len]);
        actual.push_str(&got_trimmed);
        for l in &block[expected_end..] {
            actual.push_str(l);
            actual.push('\n');
        }
    }
    Ok(CheckResult { actual, matches })
}

fn output_text_len(output: &Output) -> usize {
    [&output.stdout, &output.stderr]
        .iter()
        .map(|s| s.len() + usize::from(!s.is_empty() && !s.ends_with('\n')))
        .sum()
}
