//! Simulated container images and their processes.
//!
//! - [`catalog`]: the simulated registry (which references parse, which exist, pull errors).
//! - [`programs`]: image + `command`/`args` → the program a container runs, servers' start-up
//!   logs.
//! - [`shell_parse`], [`shell_vm`], [`shell_commands`]: the mini POSIX-ish shell.
//! - [`python`]: the little Python of the docs' `python3 -c` Job scripts.
//! - [`pi`]: π for the Job example. [`clock_text`]: simulated time as programs print it.
//!
//! A [`Process`] is a program started at some simulated instant. The kubelet runs it ahead of
//! the clock in bounded slices ([`Process::run_until`]); it then knows every line printed so far
//! (with its time) and, if the program ends, when and with which exit code. Nothing here reads
//! the wall clock or sleeps.

pub mod catalog;
pub mod clock_text;
pub mod network;
pub mod pi;
pub mod probe;
pub mod programs;
pub mod python;
pub mod shell_commands;
pub mod shell_parse;
pub mod shell_vm;

use std::collections::BTreeMap;

use crate::SimTime;
use programs::Program;
use shell_vm::{Progress, ShellMachine, ShellState};

/// How a process stands after a slice.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProcessState {
    /// Still running; simulated up to this instant (run it further later).
    RunningUntil(SimTime),
    /// Runs until stopped, with no further output (a server, `sleep infinity`, a busy loop).
    Forever,
    /// Ended with this exit code at this instant.
    Exited(SimTime, i32),
}

/// How a command (`argv` as an exec probe or `kubectl exec` gives it) runs in the container's
/// shell: `sh -c SCRIPT ARGS…` runs SCRIPT with those positional parameters; anything else runs
/// as one quoted command line. Returns (shell name, script, positional parameters).
pub fn shell_invocation(argv: &[String]) -> (String, String, Vec<String>) {
    let first = argv.first().map(String::as_str).unwrap_or("");
    let program = first.rsplit('/').next().unwrap_or(first);
    if ["sh", "bash", "ash"].contains(&program) && argv.get(1).map(String::as_str) == Some("-c") {
        (
            program.to_string(),
            argv.get(2).cloned().unwrap_or_default(),
            argv.iter().skip(3).cloned().collect(),
        )
    } else {
        let quoted: Vec<String> = argv
            .iter()
            .map(|a| format!("'{}'", a.replace('\'', "'\\''")))
            .collect();
        ("sh".to_string(), quoted.join(" "), Vec::new())
    }
}

/// A running (or finished) container program.
#[derive(Debug, Clone)]
pub struct Process {
    machine: Option<Box<ShellMachine>>,
    /// Lines printed, oldest first, with the instant each was printed (possibly ahead of the
    /// cluster's clock: readers filter by time).
    pub output: Vec<(SimTime, String)>,
    pub state: ProcessState,
    /// Changes to the container's files with their instants (see [`ShellState::file_log`]).
    file_log: Vec<(SimTime, String, Option<String>)>,
    /// The program's own writes not yet taken (see [`Process::take_own_writes`]), when they
    /// are shared with other containers.
    own_writes: Option<Vec<(SimTime, String, Option<String>)>>,
    /// What a `tail -f` the program ended in follows.
    following: Option<Following>,
}

/// A file followed by `tail -f`: its path, its contents as last printed, since when.
#[derive(Debug, Clone)]
struct Following {
    path: String,
    contents: String,
    since: SimTime,
}

/// The most file changes a process remembers (older ones are folded away).
const MAX_FILE_LOG: usize = 10_000;

/// What a container's environment holds besides its `env`.
#[derive(Debug, Clone)]
pub struct ProcessEnvironment {
    pub variables: Vec<(String, String)>,
    pub hostname: String,
    pub namespace: String,
    /// Seeds `$RANDOM`.
    pub seed: u64,
    /// Files the container starts with (projected ConfigMap/Secret volumes): path → text.
    pub files: BTreeMap<String, String>,
    /// Mount paths writes are refused under (`Read-only file system`).
    pub read_only: Vec<String>,
}

impl Process {
    /// Starts `program` at `started`.
    pub fn start(program: &Program, environment: &ProcessEnvironment, started: SimTime) -> Process {
        // The files the container starts with, as the first entries of its file log.
        let initial_files: Vec<(SimTime, String, Option<String>)> = environment
            .files
            .iter()
            .map(|(path, text)| (started, path.clone(), Some(text.clone())))
            .collect();
        match program {
            Program::Shell {
                shell_name,
                script,
                positional,
            } => {
                let mut variables: BTreeMap<String, String> = BTreeMap::new();
                variables.insert(
                    "PATH".into(),
                    "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin".into(),
                );
                variables.insert("HOSTNAME".into(), environment.hostname.clone());
                variables.insert("HOME".into(), "/root".into());
                for (name, value) in &environment.variables {
                    variables.insert(name.clone(), value.clone());
                }
                let exported = variables.keys().cloned().collect();
                variables.insert(
                    "KUBEPLAY_POD_NAMESPACE".into(),
                    environment.namespace.clone(),
                );
                let state = ShellState {
                    shell_name: shell_name.clone(),
                    variables,
                    positional: positional.clone(),
                    files: environment.files.clone(),
                    status: 0,
                    now: started,
                    random_state: environment.seed,
                    exported,
                    network: network::NetworkHandle::default(),
                    file_log: Vec::new(),
                    read_only: environment.read_only.clone(),
                };
                Process {
                    machine: Some(Box::new(ShellMachine::new(script, state))),
                    output: Vec::new(),
                    state: ProcessState::RunningUntil(started),
                    file_log: initial_files,
                    own_writes: None,
                    following: None,
                }
            }
            Program::Server { lines } => Process {
                machine: None,
                output: lines
                    .iter()
                    .map(|(offset, line)| (SimTime(started.0 + offset), line.clone()))
                    .collect(),
                state: ProcessState::Forever,
                file_log: initial_files,
                own_writes: None,
                following: None,
            },
            Program::Finite {
                lines,
                exit_after,
                code,
            } => Process {
                machine: None,
                output: lines
                    .iter()
                    .map(|(offset, line)| (SimTime(started.0 + offset), line.clone()))
                    .collect(),
                state: ProcessState::Exited(SimTime(started.0 + exit_after), *code),
                file_log: initial_files,
                own_writes: None,
                following: None,
            },
            Program::StartError(_) => Process {
                machine: None,
                output: Vec::new(),
                state: ProcessState::Exited(started, 128),
                file_log: Vec::new(),
                own_writes: None,
                following: None,
            },
        }
    }

    /// Simulates the process up to `until` (bounded work); returns its state.
    pub fn run_until(&mut self, until: SimTime) -> ProcessState {
        let Some(machine) = self.machine.as_mut() else {
            return self.state;
        };
        if let ProcessState::RunningUntil(done) = self.state {
            if done >= until {
                return self.state;
            }
        } else {
            return self.state;
        }
        let progress = machine.run_until(until);
        self.output.append(&mut machine.output);
        if let Some(own) = self.own_writes.as_mut() {
            own.extend(machine.state.file_log.iter().cloned());
        }
        self.file_log.append(&mut machine.state.file_log);
        if self.file_log.len() > MAX_FILE_LOG {
            let excess = self.file_log.len() - MAX_FILE_LOG;
            self.file_log.drain(..excess);
        }
        if self.output.len() > shell_vm::MAX_LOG_LINES {
            let excess = self.output.len() - shell_vm::MAX_LOG_LINES;
            self.output.drain(..excess);
        }
        self.state = match progress {
            Progress::SleepingUntil(_) => ProcessState::RunningUntil(until),
            Progress::Forever => ProcessState::Forever,
            Progress::Exited(at, code) => ProcessState::Exited(at, code),
            Progress::NeedsClusterAt(at) => ProcessState::RunningUntil(at),
        };
        if !matches!(self.state, ProcessState::RunningUntil(_)) {
            if let Some(machine) = self.machine.take() {
                if let Some(path) = machine.following {
                    self.following = Some(Following {
                        contents: machine.state.files.get(&path).cloned().unwrap_or_default(),
                        path,
                        since: machine.state.now,
                    });
                }
            }
        }
        self.state
    }

    /// The changes to the container's files after `at`, with their instants (what a program that
    /// runs ahead has already written).
    pub fn file_changes_after(&self, at: SimTime) -> Vec<(SimTime, String, Option<String>)> {
        self.file_log
            .iter()
            .filter(|(t, _, _)| *t > at)
            .cloned()
            .collect()
    }

    /// From now on, keeps the program's own writes for [`Process::take_own_writes`] (its
    /// container shares a volume with another).
    pub fn share_own_writes(&mut self) {
        self.own_writes.get_or_insert_with(Vec::new);
    }

    /// The changes the program itself made to its files since the last call, with their
    /// instants (possibly ahead of the clock).
    pub fn take_own_writes(&mut self) -> Vec<(SimTime, String, Option<String>)> {
        self.own_writes
            .as_mut()
            .map(std::mem::take)
            .unwrap_or_default()
    }

    /// A change another container made at `at` to a file of a volume this one shares: the
    /// file changes here too, and a `tail -f` of it prints what was appended.
    pub fn receive_file_change(&mut self, at: SimTime, path: &str, content: Option<String>) {
        if let (Some(following), Some(text)) = (self.following.as_mut(), content.as_ref()) {
            if following.path == path && at >= following.since {
                let appended = text
                    .strip_prefix(following.contents.as_str())
                    .unwrap_or(text.as_str());
                let position = self.output.partition_point(|(t, _)| *t <= at);
                let lines: Vec<(SimTime, String)> =
                    appended.lines().map(|l| (at, l.to_string())).collect();
                self.output.splice(position..position, lines);
                following.contents = text.clone();
            }
        }
        self.record_file_change(at, path, content);
    }

    /// The lines printed at or before `now`.
    pub fn lines_until(&self, now: SimTime) -> impl Iterator<Item = &(SimTime, String)> {
        self.output.iter().take_while(move |(t, _)| *t <= now)
    }

    /// Stops the process at `at` (killed): later output never happened.
    pub fn stop(&mut self, at: SimTime) {
        self.output.retain(|(t, _)| *t <= at);
        self.file_log.retain(|(t, _, _)| *t <= at);
        self.machine = None;
    }

    /// The container's files as they were at `at` (what `kubectl exec` or an exec probe sees).
    /// The changes to files made after `from` and at or before `until`, oldest first (a path
    /// with `None` was removed).
    pub fn file_changes_between(
        &self,
        from: SimTime,
        until: SimTime,
    ) -> impl Iterator<Item = (String, Option<String>)> + '_ {
        self.file_log
            .iter()
            .filter(move |(t, _, _)| *t > from && *t <= until)
            .map(|(_, path, content)| (path.clone(), content.clone()))
    }

    /// Records a change made to the container's files from outside the program (`kubectl
    /// exec`), at `at`; a running shell sees it too.
    pub fn record_file_change(&mut self, at: SimTime, path: &str, content: Option<String>) {
        let position = self.file_log.partition_point(|(t, _, _)| *t <= at);
        self.file_log
            .insert(position, (at, path.to_string(), content.clone()));
        if let Some(machine) = self.machine.as_mut() {
            match content {
                Some(text) => machine.state.files.insert(path.to_string(), text),
                None => machine.state.files.remove(path),
            };
        }
    }

    /// Lets a running shell run commands up to `until` only: the files the kubelet projects
    /// into the container may change after it.
    pub fn hold_files_until(&mut self, until: SimTime) {
        if let Some(machine) = self.machine.as_mut() {
            machine.hold_files_until(until);
        }
    }

    /// Whether the program ever uses the network (only such programs are given a view of it).
    pub fn uses_network(&self) -> bool {
        self.machine.as_ref().is_some_and(|m| m.uses_network())
    }

    /// The pods that answered this program's requests since the last call.
    pub fn take_served_requests(&mut self) -> Vec<String> {
        self.machine
            .as_ref()
            .and_then(|m| m.state.network.network.as_ref())
            .map(|n| n.take_served())
            .unwrap_or_default()
    }

    /// Gives the program a fresh view of the network (before running it further).
    pub fn set_network(&mut self, network: network::NetworkHandle) {
        if let Some(machine) = self.machine.as_mut() {
            machine.state.network = network;
        }
    }

    pub fn files_at(&self, at: SimTime) -> BTreeMap<String, String> {
        let mut files = BTreeMap::new();
        for (time, path, content) in self.file_log.iter().take_while(|(t, _, _)| *t <= at) {
            let _ = time;
            match content {
                Some(text) => files.insert(path.clone(), text.clone()),
                None => files.remove(path),
            };
        }
        files
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run_script(script: &str, horizon_secs: u64) -> (Vec<(u64, String)>, ProcessState) {
        let program = Program::Shell {
            shell_name: "sh".into(),
            script: script.into(),
            positional: vec!["sh".into()],
        };
        let environment = ProcessEnvironment {
            variables: vec![("GREETING".into(), "hello".into())],
            hostname: "pod-a".into(),
            namespace: "default".into(),
            seed: 7,
            files: BTreeMap::new(),
            read_only: Vec::new(),
        };
        let mut process = Process::start(&program, &environment, SimTime(1000));
        let state = process.run_until(SimTime(1000 + horizon_secs * 1000));
        let lines = process
            .output
            .iter()
            .map(|(t, l)| ((t.0 - 1000) / 1000, l.clone()))
            .collect();
        (lines, state)
    }

    fn lines(items: &[(u64, &str)]) -> Vec<(u64, String)> {
        items.iter().map(|(t, l)| (*t, l.to_string())).collect()
    }

    /// The shell as a table: script → (second, line) printed and the final state.
    type ShellCase = (&'static str, u64, Vec<(u64, String)>, ProcessState);

    #[test]
    fn the_shell_runs_what_tutorials_write() {
        let table: Vec<ShellCase> = vec![
            (
                "echo hello; exit 0",
                10,
                lines(&[(0, "hello")]),
                ProcessState::Exited(SimTime(1000), 0),
            ),
            (
                "echo $GREETING $(hostname); false",
                10,
                lines(&[(0, "hello pod-a")]),
                ProcessState::Exited(SimTime(1000), 1),
            ),
            (
                "echo one; sleep 5; echo two; exit 3",
                10,
                lines(&[(0, "one"), (5, "two")]),
                ProcessState::Exited(SimTime(6000), 3),
            ),
            (
                "for i in 1 2 3; do echo \"n=$i\"; done",
                10,
                lines(&[(0, "n=1"), (0, "n=2"), (0, "n=3")]),
                ProcessState::Exited(SimTime(1000), 0),
            ),
            (
                "i=0; while true; do i=$((i+1)); echo $i; sleep 2; done",
                5,
                lines(&[(0, "1"), (2, "2"), (4, "3")]),
                ProcessState::RunningUntil(SimTime(6000)),
            ),
            (
                "i=0; until [ $i -ge 2 ]; do i=$((i+1)); done; echo done $i",
                5,
                lines(&[(0, "done 2")]),
                ProcessState::Exited(SimTime(1000), 0),
            ),
            (
                "if [ \"$GREETING\" = hello ]; then echo yes; else echo no; fi",
                5,
                lines(&[(0, "yes")]),
                ProcessState::Exited(SimTime(1000), 0),
            ),
            (
                "true && echo a || echo b; false && echo c || echo d",
                5,
                lines(&[(0, "a"), (0, "d")]),
                ProcessState::Exited(SimTime(1000), 0),
            ),
            (
                "items=(foo bar baz)\nI=2\necho ${items[$I]} ${items[0]} $items; echo ${items[@]}",
                5,
                lines(&[(0, "baz foo foo"), (0, "foo bar baz")]),
                ProcessState::Exited(SimTime(1000), 0),
            ),
            (
                "date; sleep 60; date",
                100,
                lines(&[
                    (0, "Wed Dec 31 23:55:01 UTC 2025"),
                    (60, "Wed Dec 31 23:56:01 UTC 2025"),
                ]),
                ProcessState::Exited(SimTime(61_000), 0),
            ),
            (
                "echo hi > /tmp/f; cat /tmp/f; cat /nope",
                5,
                lines(&[
                    (0, "hi"),
                    (0, "cat: can't open '/nope': No such file or directory"),
                ]),
                ProcessState::Exited(SimTime(1000), 1),
            ),
            (
                "frobnicate",
                5,
                lines(&[(0, "sh: frobnicate: not found")]),
                ProcessState::Exited(SimTime(1000), 127),
            ),
            ("sleep infinity", 5, lines(&[]), ProcessState::Forever),
            (
                "while true; do :; done",
                5,
                lines(&[]),
                ProcessState::Forever,
            ),
            (
                "for x in a b c; do if [ $x = b ]; then break; fi; echo $x; done; echo end",
                5,
                lines(&[(0, "a"), (0, "end")]),
                ProcessState::Exited(SimTime(1000), 0),
            ),
            (
                "echo \"${MISSING:-fallback}\" 'single $GREETING'",
                5,
                lines(&[(0, "fallback single $GREETING")]),
                ProcessState::Exited(SimTime(1000), 0),
            ),
            (
                "env | grep GREETING",
                5,
                lines(&[(0, "GREETING=hello")]),
                ProcessState::Exited(SimTime(1000), 0),
            ),
            (
                "echo 'unterminated",
                5,
                lines(&[(0, "sh: syntax error: unterminated quoted string")]),
                ProcessState::Exited(SimTime(1000), 2),
            ),
            (
                "sleep 1.5; echo x; exit 300",
                5,
                lines(&[(1, "x")]),
                ProcessState::Exited(SimTime(2500), 44),
            ),
            (
                "echo $(( (2 + 3) * 4 % 7 ))",
                5,
                lines(&[(0, "6")]),
                ProcessState::Exited(SimTime(1000), 0),
            ),
            (
                "echo a | rev; printf '%s-%d\\n' x 5",
                5,
                lines(&[(0, "a"), (0, "x-5")]),
                ProcessState::Exited(SimTime(1000), 0),
            ),
        ];
        for (script, horizon, expected_lines, expected_state) in table {
            let (got_lines, got_state) = run_script(script, horizon);
            assert_eq!(got_lines, expected_lines, "{script}");
            assert_eq!(got_state, expected_state, "{script}");
        }
    }

    /// Garbage never panics and never runs unbounded: random scripts from shell-ish pieces.
    #[test]
    fn random_scripts_neither_panic_nor_run_away() {
        let pieces = [
            "echo", " ", "$", "(", ")", "{", "}", "'", "\"", "\\", ";", "&&", "||", "|", "&", ">",
            ">>", "<", "2>&1", "while", "do", "done", "for", "in", "if", "then", "fi", "else",
            "sleep", "1", "0.5", "x", "=", "$((", "))", "`", "#", "\n", "exit", "cat", "$?", "${",
            "-", ":-", "true", "false", "until", "break", "continue", "rm", "touch", "/tmp/a",
        ];
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        for _ in 0..2_000 {
            let mut script = String::new();
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            let length = (seed % 40) as usize;
            for _ in 0..length {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                script.push_str(pieces[(seed % pieces.len() as u64) as usize]);
            }
            let program = Program::Shell {
                shell_name: "sh".into(),
                script: script.clone(),
                positional: vec!["sh".into()],
            };
            let environment = ProcessEnvironment {
                variables: Vec::new(),
                hostname: "p".into(),
                namespace: "default".into(),
                seed,
                files: BTreeMap::new(),
                read_only: Vec::new(),
            };
            let mut process = Process::start(&program, &environment, SimTime(0));
            for step in 1..=3u64 {
                process.run_until(SimTime(step * 600_000));
            }
            assert!(process.output.len() <= shell_vm::MAX_LOG_LINES, "{script}");
            let _ = process.files_at(SimTime(60_000));
        }
        for garbage in [
            "",
            "@@@",
            "a:b:c",
            "x@sha256:",
            "UPPER/case:tag",
            "////",
            "a:",
        ] {
            let _ = catalog::parse_reference(garbage);
        }
    }

    #[test]
    fn a_long_running_loop_resumes_slice_by_slice_and_keeps_a_bounded_log() {
        let program = Program::Shell {
            shell_name: "sh".into(),
            script: "while true; do echo tick; sleep 1; done".into(),
            positional: vec!["sh".into()],
        };
        let environment = ProcessEnvironment {
            variables: Vec::new(),
            hostname: "p".into(),
            namespace: "default".into(),
            seed: 1,
            files: BTreeMap::new(),
            read_only: Vec::new(),
        };
        let mut process = Process::start(&program, &environment, SimTime(0));
        for minute in 1..=200u64 {
            process.run_until(SimTime(minute * 60_000));
        }
        assert_eq!(
            process.state,
            ProcessState::RunningUntil(SimTime(12_000_000))
        );
        assert_eq!(process.output.len(), shell_vm::MAX_LOG_LINES);
        assert_eq!(process.output.last().map(|(t, _)| t.0), Some(12_000_000));
    }
}
