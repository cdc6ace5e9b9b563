//! The mini shell's back half: the syntax tree compiled to a flat list of instructions and run
//! by a resumable machine on the simulated clock.
//!
//! Because the whole state is a program counter, the variables, the `for` frames and a little
//! filesystem, the machine can stop at any `sleep` and carry on later: the kubelet runs a
//! container's script ahead of the clock in slices and reads off when it prints and when it
//! exits. Nothing here sleeps for real. Every slice is bounded by an instruction budget; a script
//! that spends a whole budget without sleeping is "spinning" (a busy loop) and is then treated as
//! running forever without further output.

use std::collections::BTreeMap;
use std::rc::Rc;

use super::shell_commands::{self, CommandOutcome};
use super::shell_parse::{self, Node, Part, Redirect, Word};
use crate::SimTime;

/// Instructions one slice may execute before the script counts as a busy loop.
pub const INSTRUCTION_BUDGET: usize = 20_000;
/// The most log lines one container instance keeps (older ones are dropped, as log rotation
/// drops them).
pub const MAX_LOG_LINES: usize = 5_000;
/// How deep `$(…)` may nest.
const MAX_SUBSTITUTION_DEPTH: usize = 8;

#[derive(Debug, Clone)]
enum Instruction {
    /// A command; `true` when it uses the network.
    Run(Rc<Node>, bool),
    Jump(usize),
    JumpIfFailure(usize),
    JumpIfSuccess(usize),
    SetStatus(i32),
    /// Evaluates the items and pushes a frame; `None` items mean `"$@"`.
    ForStart {
        variable: String,
        items: Option<Vec<Word>>,
    },
    /// Sets the variable to the next item, or pops the frame and jumps to `end`.
    ForNext {
        end: usize,
    },
    /// `break` out of a `for`: pops its frame.
    PopFor,
}

#[derive(Debug, Clone, Copy)]
struct LoopLabels {
    head: usize,
    is_for: bool,
    /// Index in `code` of the placeholder jumps to patch to the loop's end.
    breaks_start: usize,
}

struct Compiler {
    code: Vec<Instruction>,
    loops: Vec<LoopLabels>,
    pending_breaks: Vec<(usize, usize)>,
}

/// Compiles a syntax tree to instructions.
fn compile(node: &Node) -> Vec<Instruction> {
    let mut compiler = Compiler {
        code: Vec::new(),
        loops: Vec::new(),
        pending_breaks: Vec::new(),
    };
    compiler.node(node);
    compiler.code
}

impl Compiler {
    fn here(&self) -> usize {
        self.code.len()
    }

    fn patch(&mut self, at: usize, target: usize) {
        match &mut self.code[at] {
            Instruction::Jump(t)
            | Instruction::JumpIfFailure(t)
            | Instruction::JumpIfSuccess(t) => *t = target,
            Instruction::ForNext { end } => *end = target,
            _ => debug_assert!(false, "patching a non-jump"),
        }
    }

    fn node(&mut self, node: &Node) {
        match node {
            Node::Simple { words, .. } if self.loop_control(words) => {}
            Node::Simple { .. } | Node::Pipeline { .. } | Node::Background(_) => {
                let uses_network = {
                    let text = format!("{node:?}");
                    super::network::NETWORK_TOOLS
                        .iter()
                        .any(|tool| text.contains(&format!("\"{tool}\"")))
                };
                self.code
                    .push(Instruction::Run(Rc::new(node.clone()), uses_network))
            }
            Node::Sequence(items) => items.iter().for_each(|n| self.node(n)),
            Node::AndOr(first, rest) => {
                self.node(first);
                for (and, next) in rest {
                    let jump = self.here();
                    self.code.push(if *and {
                        Instruction::JumpIfFailure(0)
                    } else {
                        Instruction::JumpIfSuccess(0)
                    });
                    self.node(next);
                    let end = self.here();
                    self.patch(jump, end);
                }
            }
            Node::Loop {
                until,
                condition,
                body,
            } => {
                let head = self.here();
                self.node(condition);
                let exit = self.here();
                self.code.push(if *until {
                    Instruction::JumpIfSuccess(0)
                } else {
                    Instruction::JumpIfFailure(0)
                });
                self.body_of_loop(head, false, body);
                self.code.push(Instruction::Jump(head));
                let end = self.here();
                self.patch(exit, end);
                self.code.push(Instruction::SetStatus(0));
                self.finish_loop(end);
            }
            Node::For {
                variable,
                items,
                body,
            } => {
                self.code.push(Instruction::ForStart {
                    variable: variable.clone(),
                    items: items.clone(),
                });
                let head = self.here();
                self.code.push(Instruction::ForNext { end: 0 });
                self.body_of_loop(head, true, body);
                self.code.push(Instruction::Jump(head));
                let end = self.here();
                self.patch(head, end);
                self.finish_loop(end);
            }
            Node::If {
                branches,
                otherwise,
            } => {
                let mut to_end = Vec::new();
                for (condition, body) in branches {
                    self.node(condition);
                    let skip = self.here();
                    self.code.push(Instruction::JumpIfFailure(0));
                    self.node(body);
                    to_end.push(self.here());
                    self.code.push(Instruction::Jump(0));
                    let next = self.here();
                    self.patch(skip, next);
                }
                match otherwise {
                    Some(body) => self.node(body),
                    None => self.code.push(Instruction::SetStatus(0)),
                }
                let end = self.here();
                for at in to_end {
                    self.patch(at, end);
                }
            }
        }
    }

    fn body_of_loop(&mut self, head: usize, is_for: bool, body: &Node) {
        self.loops.push(LoopLabels {
            head,
            is_for,
            breaks_start: self.pending_breaks.len(),
        });
        self.node(body);
    }

    fn finish_loop(&mut self, end: usize) {
        if let Some(labels) = self.loops.pop() {
            let breaks: Vec<(usize, usize)> =
                self.pending_breaks.drain(labels.breaks_start..).collect();
            for (at, _) in breaks {
                self.patch(at, end);
            }
        }
    }

    /// `break` / `continue` inside a loop become jumps; outside a loop they do nothing.
    fn loop_control(&mut self, words: &[Word]) -> bool {
        let Some(keyword) = words.first().and_then(Word::plain_text) else {
            return false;
        };
        if keyword != "break" && keyword != "continue" {
            return false;
        }
        let Some(labels) = self.loops.last().copied() else {
            self.code.push(Instruction::SetStatus(0));
            return true;
        };
        if keyword == "continue" {
            self.code.push(Instruction::Jump(labels.head));
        } else {
            if labels.is_for {
                self.code.push(Instruction::PopFor);
            }
            let at = self.here();
            self.code.push(Instruction::Jump(0));
            self.pending_breaks.push((at, 0));
        }
        true
    }
}

#[derive(Debug, Clone)]
struct ForFrame {
    variable: String,
    items: Vec<String>,
    next: usize,
}

/// What the machine is doing after a slice.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Progress {
    /// Sleeping until this instant (later than the slice's end).
    SleepingUntil(SimTime),
    /// Blocked for good (`sleep infinity`, `tail -f`, a busy loop): no more output, no exit.
    Forever,
    /// The script ended with this exit code at this instant.
    Exited(SimTime, i32),
    /// The next command runs at this instant, later than the shell's view of the network (a
    /// network command) or of its files (any command, while the kubelet may still change
    /// mounted ConfigMap/Secret files): resume it, with a fresh view, when the clock gets there.
    NeedsClusterAt(SimTime),
}

/// The state a shell shares with the commands it runs.
#[derive(Debug, Clone)]
pub struct ShellState {
    /// `sh`, `bash`: how error messages name the shell.
    pub shell_name: String,
    pub variables: BTreeMap<String, String>,
    /// Positional parameters `$0 $1 …`.
    pub positional: Vec<String>,
    /// A tiny filesystem: path → contents.
    pub files: BTreeMap<String, String>,
    pub status: i32,
    pub now: SimTime,
    /// A deterministic seed for `$RANDOM`.
    pub random_state: u64,
    /// Variables `env` lists (the container's environment and `export`ed names).
    pub exported: std::collections::BTreeSet<String>,
    /// Every change to `files` with its instant (`None` = removed), so that what a probe sees
    /// at some instant can be replayed although the script runs ahead of the clock.
    pub file_log: Vec<(SimTime, String, Option<String>)>,
    /// What `wget`, `curl` and `nslookup` reach.
    pub network: super::network::NetworkHandle,
    /// Mount paths that are read-only (ConfigMap, Secret, downward-API and projected
    /// volumes, and mounts with `readOnly: true`).
    pub read_only: Vec<String>,
}

impl ShellState {
    /// Whether `path` lies on a read-only mount.
    pub fn is_read_only(&self, path: &str) -> bool {
        self.read_only
            .iter()
            .any(|mount| path == mount || path.starts_with(&format!("{mount}/")))
    }

    /// Writes (or with `append`, extends) a file.
    pub fn write_file(&mut self, path: &str, text: &str, append: bool) {
        let file = self.files.entry(path.to_string()).or_default();
        if !append {
            file.clear();
        }
        file.push_str(text);
        let content = file.clone();
        self.file_log
            .push((self.now, path.to_string(), Some(content)));
    }

    /// Removes a file; whether it existed.
    pub fn remove_file(&mut self, path: &str) -> bool {
        let existed = self.files.remove(path).is_some();
        if existed {
            self.file_log.push((self.now, path.to_string(), None));
        }
        existed
    }

    /// Names `env` prints.
    pub fn exported_names(&self) -> &std::collections::BTreeSet<String> {
        &self.exported
    }

    /// Marks a variable for `env`.
    pub fn export(&mut self, name: &str) {
        self.exported.insert(name.to_string());
    }
}

/// A running script.
#[derive(Debug, Clone)]
pub struct ShellMachine {
    code: Rc<Vec<Instruction>>,
    pc: usize,
    frames: Vec<ForFrame>,
    pub state: ShellState,
    sleeping_until: Option<SimTime>,
    finished: Option<Progress>,
    /// Lines printed so far (stdout and stderr, as the container log interleaves them).
    pub output: Vec<(SimTime, String)>,
    partial_line: String,
    /// Until when the files the kubelet projects (ConfigMap, Secret, downward API volumes)
    /// are known not to change; `None` when none of them can.
    files_valid_until: Option<SimTime>,
    /// The file a `tail -f` the script ended in follows.
    pub following: Option<String>,
}

impl ShellMachine {
    /// Whether the script has commands that use the network.
    pub fn uses_network(&self) -> bool {
        self.code
            .iter()
            .any(|i| matches!(i, Instruction::Run(_, true)))
    }

    /// Lets the machine run commands up to `until` only (files under its projected volumes may
    /// change after that instant).
    pub fn hold_files_until(&mut self, until: SimTime) {
        self.files_valid_until = Some(until);
    }

    /// A machine for `script`, or the syntax error the shell would print (exit code 2).
    pub fn new(script: &str, state: ShellState) -> ShellMachine {
        let (code, error) = match shell_parse::parse(script) {
            Ok(node) => (compile(&node), None),
            Err(e) => (Vec::new(), Some(e.0)),
        };
        let mut machine = ShellMachine {
            code: Rc::new(code),
            pc: 0,
            frames: Vec::new(),
            state,
            sleeping_until: None,
            finished: None,
            output: Vec::new(),
            partial_line: String::new(),
            files_valid_until: None,
            following: None,
        };
        if let Some(error) = error {
            let line = format!("{}: {error}", machine.state.shell_name);
            machine.print(&format!("{line}\n"));
            machine.finished = Some(Progress::Exited(machine.state.now, 2));
        }
        machine
    }

    fn print(&mut self, text: &str) {
        let now = self.state.now;
        for c in text.chars() {
            if c == '\n' {
                let line = std::mem::take(&mut self.partial_line);
                self.output.push((now, line));
            } else {
                self.partial_line.push(c);
            }
        }
        if self.output.len() > MAX_LOG_LINES {
            let excess = self.output.len() - MAX_LOG_LINES;
            self.output.drain(..excess);
        }
    }

    fn finish(&mut self, progress: Progress) -> Progress {
        if !self.partial_line.is_empty() {
            self.print("\n");
        }
        self.finished = Some(progress);
        progress
    }

    /// Runs the script up to `until` (or to its end), bounded by [`INSTRUCTION_BUDGET`].
    pub fn run_until(&mut self, until: SimTime) -> Progress {
        let mut budget = INSTRUCTION_BUDGET;
        loop {
            if let Some(done) = self.finished {
                return done;
            }
            if let Some(wake) = self.sleeping_until {
                if wake > until {
                    return Progress::SleepingUntil(wake);
                }
                self.state.now = wake;
                self.sleeping_until = None;
                // A script that sleeps is not spinning: it earns a fresh budget.
                budget = INSTRUCTION_BUDGET;
            }
            if budget == 0 {
                return self.finish(Progress::Forever);
            }
            budget -= 1;
            let Some(instruction) = self.code.get(self.pc).cloned() else {
                let status = self.state.status;
                return self.finish(Progress::Exited(self.state.now, status));
            };
            self.pc += 1;
            match instruction {
                Instruction::Jump(t) => self.pc = t,
                Instruction::JumpIfFailure(t) => {
                    if self.state.status != 0 {
                        self.pc = t
                    }
                }
                Instruction::JumpIfSuccess(t) => {
                    if self.state.status == 0 {
                        self.pc = t
                    }
                }
                Instruction::SetStatus(s) => self.state.status = s,
                Instruction::ForStart { variable, items } => {
                    let items = match items {
                        Some(words) => {
                            let mut fields = Vec::new();
                            for word in &words {
                                fields.extend(expand_word(word, &mut self.state, 0));
                            }
                            fields
                        }
                        None => self.state.positional.iter().skip(1).cloned().collect(),
                    };
                    self.frames.push(ForFrame {
                        variable,
                        items,
                        next: 0,
                    });
                }
                Instruction::ForNext { end } => match self.frames.last_mut() {
                    Some(frame) if frame.next < frame.items.len() => {
                        let value = frame.items[frame.next].clone();
                        frame.next += 1;
                        let name = frame.variable.clone();
                        self.state.variables.insert(name, value);
                    }
                    _ => {
                        self.frames.pop();
                        self.state.status = 0;
                        self.pc = end;
                    }
                },
                Instruction::PopFor => {
                    self.frames.pop();
                }
                Instruction::Run(node, uses_network) => {
                    let past_network =
                        uses_network && self.state.now > self.state.network.valid_until;
                    let past_files = self.files_valid_until.is_some_and(|t| self.state.now > t);
                    if past_network || past_files {
                        self.pc -= 1;
                        return Progress::NeedsClusterAt(self.state.now);
                    }
                    if uses_network {
                        if let Some(network) = &self.state.network.network {
                            network.clock_at(self.state.now);
                        }
                    }
                    let outcome = run_node(&node, &mut self.state, 0);
                    self.print(&outcome.output);
                    self.state.status = outcome.status;
                    match outcome.after {
                        shell_commands::After::Continue => {}
                        shell_commands::After::Sleep(millis) => {
                            self.sleeping_until =
                                Some(SimTime(self.state.now.0.saturating_add(millis)))
                        }
                        shell_commands::After::Forever => return self.finish(Progress::Forever),
                        shell_commands::After::Follow(file) => {
                            self.following = file;
                            return self.finish(Progress::Forever);
                        }
                        shell_commands::After::Exit(code) => {
                            let now = self.state.now;
                            return self.finish(Progress::Exited(now, code));
                        }
                    }
                }
            }
        }
    }
}

/// Runs a simple command, a pipeline or a background job at once (no time passes inside).
fn run_node(node: &Node, state: &mut ShellState, depth: usize) -> CommandOutcome {
    match node {
        Node::Simple {
            assignments,
            words,
            redirects,
        } => run_simple(assignments, words, redirects, None, state, depth),
        Node::Pipeline { commands, negate } => {
            let mut input: Option<String> = None;
            let mut last = CommandOutcome::default();
            let mut stderr_text = String::new();
            for (index, command) in commands.iter().enumerate() {
                let is_last = index + 1 == commands.len();
                let outcome = match command {
                    Node::Simple {
                        assignments,
                        words,
                        redirects,
                    } => run_simple(assignments, words, redirects, input.take(), state, depth),
                    other => {
                        let mut sub = ShellMachine::new_from_node(other, state.clone());
                        let _ = sub.run_until(state.now);
                        CommandOutcome {
                            output: sub.output.iter().map(|(_, l)| format!("{l}\n")).collect(),
                            status: sub.state.status,
                            ..Default::default()
                        }
                    }
                };
                stderr_text.push_str(&outcome.errors);
                if is_last {
                    last = outcome;
                } else {
                    input = Some(outcome.output);
                }
            }
            if *negate {
                last.status = i32::from(last.status == 0);
            }
            last.output = format!("{stderr_text}{}", last.output);
            last.errors.clear();
            // A pipeline ending in a sleep still sleeps; one that would exit only leaves it.
            if let shell_commands::After::Exit(_) = last.after {
                last.after = shell_commands::After::Continue;
            }
            last
        }
        Node::Background(_) => CommandOutcome {
            output: format!(
                "{}: background jobs (&) are not simulated in this playground\n",
                state.shell_name
            ),
            status: 2,
            ..Default::default()
        },
        other => {
            let mut sub = ShellMachine::new_from_node(other, state.clone());
            let progress = sub.run_until(state.now);
            CommandOutcome {
                output: sub.output.iter().map(|(_, l)| format!("{l}\n")).collect(),
                status: match progress {
                    Progress::Exited(_, code) => code,
                    _ => sub.state.status,
                },
                ..Default::default()
            }
        }
    }
}

impl ShellMachine {
    fn new_from_node(node: &Node, state: ShellState) -> ShellMachine {
        ShellMachine {
            code: Rc::new(compile(node)),
            pc: 0,
            frames: Vec::new(),
            state,
            sleeping_until: None,
            finished: None,
            output: Vec::new(),
            partial_line: String::new(),
            files_valid_until: None,
            following: None,
        }
    }
}

fn run_simple(
    assignments: &[(String, Word)],
    words: &[Word],
    redirects: &[Redirect],
    stdin: Option<String>,
    state: &mut ShellState,
    depth: usize,
) -> CommandOutcome {
    let mut values = Vec::new();
    for (name, word) in assignments {
        let value = expand_word(word, state, depth).join(" ");
        values.push((name.clone(), value));
    }
    let mut argv = Vec::new();
    for word in words {
        argv.extend(expand_word(word, state, depth));
    }
    if argv.is_empty() {
        for (name, value) in values {
            state.variables.insert(name, value);
        }
        return CommandOutcome::default();
    }
    let mut stdin = stdin;
    for redirect in redirects {
        if let Redirect::FromFile(target) = redirect {
            let path = expand_word(target, state, depth).join(" ");
            match state.files.get(&path) {
                Some(text) => stdin = Some(text.clone()),
                None => {
                    return CommandOutcome {
                        output: format!("{}: can't open {path}: no such file\n", state.shell_name),
                        status: 1,
                        ..Default::default()
                    }
                }
            }
        }
    }
    // Assignments before a command are its environment only.
    let saved: Vec<(String, Option<String>)> = values
        .iter()
        .map(|(n, _)| (n.clone(), state.variables.get(n).cloned()))
        .collect();
    for (name, value) in values {
        state.variables.insert(name, value);
    }
    let mut outcome = shell_commands::run(&argv, stdin, state);
    for (name, old) in saved {
        match old {
            Some(v) => state.variables.insert(name, v),
            None => state.variables.remove(&name),
        };
    }
    apply_redirects(&mut outcome, redirects, state, depth);
    outcome.output = format!("{}{}", outcome.output, std::mem::take(&mut outcome.errors));
    outcome
}

/// Sends stdout/stderr where `>`, `>>`, `2>&1` say; what stays goes to the log.
fn apply_redirects(
    outcome: &mut CommandOutcome,
    redirects: &[Redirect],
    state: &mut ShellState,
    depth: usize,
) {
    for redirect in redirects {
        match redirect {
            Redirect::ToFile { fd, target, append } => {
                let path = expand_word(target, state, depth).join(" ");
                let text = if *fd == 2 {
                    std::mem::take(&mut outcome.errors)
                } else {
                    std::mem::take(&mut outcome.output)
                };
                if path == "/dev/null" {
                    continue;
                }
                if path == "/dev/stdout" || path == "/proc/1/fd/1" {
                    outcome.output.push_str(&text);
                    continue;
                }
                if path == "/dev/stderr" || path == "/proc/1/fd/2" {
                    outcome.errors.push_str(&text);
                    continue;
                }
                if state.is_read_only(&path) {
                    outcome.output.clear();
                    outcome.errors.push_str(&format!(
                        "{}: can't create {path}: Read-only file system\n",
                        state.shell_name
                    ));
                    outcome.status = 1;
                    continue;
                }
                state.write_file(&path, &text, *append);
            }
            Redirect::Duplicate { from: 2, to: 1 } => {
                let errors = std::mem::take(&mut outcome.errors);
                outcome.output.push_str(&errors);
            }
            Redirect::Duplicate { from: 1, to: 2 } => {
                let output = std::mem::take(&mut outcome.output);
                outcome.errors.push_str(&output);
            }
            Redirect::Duplicate { .. } | Redirect::FromFile(_) => {}
        }
    }
}

/// Expands a word into fields: variables, substitutions, arithmetic, then field splitting of
/// unquoted expansion results.
pub fn expand_word(word: &Word, state: &mut ShellState, depth: usize) -> Vec<String> {
    let mut fields: Vec<String> = Vec::new();
    let mut current = String::new();
    let mut has_field = false;
    for part in &word.parts {
        match part {
            Part::Literal(text) | Part::Quoted(text) => {
                current.push_str(text);
                has_field = true;
            }
            Part::DoubleQuoted(parts) => {
                current.push_str(&expand_quoted(parts, state, depth));
                has_field = true;
            }
            other => {
                let text = expand_quoted(std::slice::from_ref(other), state, depth);
                let mut pieces = text.split_whitespace().peekable();
                if text.starts_with(char::is_whitespace) && has_field {
                    fields.push(std::mem::take(&mut current));
                    has_field = false;
                }
                while let Some(piece) = pieces.next() {
                    current.push_str(piece);
                    has_field = true;
                    if pieces.peek().is_some() {
                        fields.push(std::mem::take(&mut current));
                    }
                }
                if text.ends_with(char::is_whitespace) && has_field && !text.trim().is_empty() {
                    fields.push(std::mem::take(&mut current));
                    has_field = false;
                }
            }
        }
    }
    if has_field {
        fields.push(current);
    }
    fields
}

/// The most elements `${NAME[@]}` reads.
const MAX_ARRAY_ELEMENTS: usize = 10_000;

/// Expands parts without splitting (inside double quotes, assignments).
fn expand_quoted(parts: &[Part], state: &mut ShellState, depth: usize) -> String {
    let mut text = String::new();
    for part in parts {
        match part {
            Part::Literal(t) | Part::Quoted(t) => text.push_str(t),
            Part::DoubleQuoted(inner) => text.push_str(&expand_quoted(inner, state, depth)),
            Part::Variable(name) => text.push_str(&variable(name, state)),
            Part::ArrayElement(name, index) => {
                let index = expand_quoted(index, state, depth);
                let index = index.trim();
                if index == "@" || index == "*" {
                    let elements: Vec<String> = (0..MAX_ARRAY_ELEMENTS)
                        .map_while(|i| state.variables.get(&format!("{name}[{i}]")).cloned())
                        .collect();
                    text.push_str(&elements.join(" "));
                } else {
                    let position = index.parse::<i64>().unwrap_or(0).max(0);
                    text.push_str(&variable(&format!("{name}[{position}]"), state));
                }
            }
            Part::VariableDefault(name, default) => {
                let value = variable(name, state);
                if value.is_empty() {
                    text.push_str(&expand_quoted(default, state, depth));
                } else {
                    text.push_str(&value);
                }
            }
            Part::CommandSubstitution(script) => {
                if depth >= MAX_SUBSTITUTION_DEPTH {
                    continue;
                }
                let mut sub = ShellMachine::new(script, state.clone());
                sub.state.files = std::mem::take(&mut state.files);
                sub.state.file_log.clear();
                let _ = sub.run_until(state.now);
                state.files = std::mem::take(&mut sub.state.files);
                state.file_log.append(&mut sub.state.file_log);
                state.status = sub.state.status;
                let captured: Vec<String> = sub.output.iter().map(|(_, l)| l.clone()).collect();
                let mut joined = captured.join("\n");
                joined.push_str(&sub.partial_line);
                text.push_str(joined.trim_end_matches('\n'));
            }
            Part::Arithmetic(expression) => match shell_commands::arithmetic(expression, state) {
                Ok(value) => text.push_str(&value.to_string()),
                Err(_) => text.push('0'),
            },
        }
    }
    text
}

fn variable(name: &str, state: &mut ShellState) -> String {
    match name {
        "?" => state.status.to_string(),
        "$" => "1".to_string(),
        "!" => String::new(),
        "#" => state.positional.len().saturating_sub(1).to_string(),
        "@" | "*" => state
            .positional
            .iter()
            .skip(1)
            .cloned()
            .collect::<Vec<_>>()
            .join(" "),
        "RANDOM" => {
            state.random_state = state
                .random_state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            ((state.random_state >> 33) % 32_768).to_string()
        }
        digits if digits.chars().all(|c| c.is_ascii_digit()) => digits
            .parse::<usize>()
            .ok()
            .and_then(|i| state.positional.get(i).cloned())
            .unwrap_or_default(),
        _ => state.variables.get(name).cloned().unwrap_or_default(),
    }
}
