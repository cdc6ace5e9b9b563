//! A session: one cluster, one kubectl. Runs one script command at a time.

use cluster::{Cluster, SimDuration};
use kubectl::{Kubectl, Output};

use crate::script::{Command, Files};

pub struct Session {
    pub cluster: Cluster,
    pub kubectl: Kubectl,
    /// Whether the control loops react to a kubectl request at once (as on a real cluster).
    /// The page turns this off while paused, so that a learner sees each stage on Step.
    pub react_instantly: bool,
}

/// The default seed: what `kubeplay run` and the page use unless told otherwise.
pub const DEFAULT_SEED: u64 = 1;

impl Session {
    pub fn new(seed: u64) -> Session {
        Session::with_shape(seed, &cluster::nodes::ClusterShape::default())
    }

    /// A session on a cluster of the given shape.
    pub fn with_shape(seed: u64, shape: &cluster::nodes::ClusterShape) -> Session {
        Session {
            cluster: Cluster::with_shape(seed, shape),
            kubectl: Kubectl::default(),
            react_instantly: true,
        }
    }

    /// Runs one parsed command and returns what it printed.
    pub fn execute(&mut self, command: &Command, files: &dyn Files) -> Output {
        match command {
            Command::Kubectl { args, stdin } => {
                // `$(kubectl …)` in an argument or a heredoc is replaced by what it prints, as
                // the shell would (so a script can use a generated name or uid).
                let mut expanded_args = Vec::with_capacity(args.len());
                for arg in args {
                    match self.substitute(arg, files) {
                        Ok(a) => expanded_args.push(a),
                        Err(e) => return Output::error(e),
                    }
                }
                let stdin = match stdin.as_deref().map(|s| self.substitute(s, files)) {
                    Some(Ok(s)) => Some(s),
                    Some(Err(e)) => return Output::error(e),
                    None => None,
                };
                let args = &expanded_args;
                let workspace = WorkspaceWithStdin {
                    files,
                    stdin: stdin.as_deref(),
                };
                let output = self.kubectl.run(&mut self.cluster, args, &workspace);
                // The control loops react to a request within milliseconds on a real cluster:
                // a Deployment's pods exist (Pending) by the time the next command runs.
                if self.react_instantly {
                    self.cluster.advance(SimDuration(0));
                }
                output
            }
            Command::Cluster { args } | Command::Curl { args } => {
                let mut expanded = Vec::with_capacity(args.len());
                for arg in args {
                    match self.substitute(arg, files) {
                        Ok(a) => expanded.push(a),
                        Err(e) => return Output::error(e),
                    }
                }
                match command {
                    Command::Cluster { .. } => {
                        crate::cluster_commands::run(&mut self.cluster, &expanded)
                    }
                    _ => crate::outside::curl(&mut self.cluster, &expanded),
                }
            }
            Command::Sleep { millis } => {
                if self.kubectl.watch.is_none() && self.kubectl.follow.is_none() {
                    self.cluster.advance(SimDuration(*millis));
                    return Output::default();
                }
                // A `get -w` or `logs -f` stream: what it shows is printed as simulated time
                // reaches it, and the stream ends with this sleep.
                let end = self.cluster.now().0.saturating_add(*millis);
                let mut text = self.watch_rows().unwrap_or_default();
                for _ in 0..100_000 {
                    let now = self.cluster.now().0;
                    if now >= end {
                        break;
                    }
                    let next = self
                        .cluster
                        .next_wakeup()
                        .map_or(end, |t| t.0.min(end))
                        .max(now + 1);
                    self.cluster.advance(SimDuration(next - now));
                    text.push_str(&self.watch_rows().unwrap_or_default());
                }
                self.stop_watch();
                Output::ok(text)
            }
        }
    }

    /// Runs one line of a script: an open stream (`get -w`, `logs -f`) covers the `sleep` right
    /// after it, and any other line ends it first (as the shell would have waited for it).
    pub fn execute_script_line(&mut self, command: &Command, files: &dyn Files) -> Output {
        if !matches!(command, Command::Sleep { .. }) {
            self.stop_watch();
        }
        self.execute(command, files)
    }

    /// What an open stream (`get -w`, `logs -f`) has to show since it was last asked (the
    /// page's terminal calls this as its clock runs); `None` when no stream is open.
    pub fn watch_rows(&mut self) -> Option<String> {
        if self.kubectl.watch.is_none() && self.kubectl.follow.is_none() {
            return None;
        }
        let mut text = String::new();
        if let Some(mut watch) = self.kubectl.watch.take() {
            text.push_str(&watch.rows(&self.cluster));
            self.kubectl.watch = Some(watch);
        }
        if let Some(mut follow) = self.kubectl.follow.take() {
            text.push_str(&follow.lines(&self.cluster));
            self.kubectl.follow = Some(follow);
        }
        Some(text)
    }

    /// Ends an open stream (Ctrl+C in the terminal).
    pub fn stop_watch(&mut self) {
        self.kubectl.watch = None;
        self.kubectl.follow = None;
    }

    /// Replaces each `$(kubectl …)` in `text` by that command's output (trailing newlines
    /// removed); other `$( … )` are left as they are (for the container's shell). At most 16
    /// per text; no nesting.
    fn substitute(&mut self, text: &str, files: &dyn Files) -> Result<String, String> {
        if !text.contains("$(") {
            return Ok(text.to_string());
        }
        let mut result = String::new();
        let mut rest = text;
        for _ in 0..16 {
            let Some(start) = rest.find("$(") else {
                break;
            };
            let Some(length) = rest[start + 2..].find(')') else {
                return Err(format!("error: unterminated $( in {text:?}"));
            };
            let inner = &rest[start + 2..start + 2 + length];
            if inner.contains("$(") {
                return Err("error: nested $( … ) is not supported in scripts".to_string());
            }
            result.push_str(&rest[..start]);
            match crate::script::parse_command(inner, None) {
                Ok(Some(command @ Command::Kubectl { .. })) => {
                    let output = self.execute(&command, files);
                    result.push_str(output.stdout.trim_end_matches('\n'));
                }
                // Anything else is left for the container's shell to expand.
                _ => result.push_str(&rest[start..start + 2 + length + 1]),
            }
            rest = &rest[start + 2 + length + 1..];
        }
        result.push_str(rest);
        Ok(result)
    }

    /// Runs a line that only reads (the page's inspector, events pane and lesson checks): the
    /// control loops are not stepped after it, so a read is never a hidden input to the
    /// cluster (a replay of the journal, which has no reads, stays the same).
    pub fn read_line(&mut self, line: &str, files: &dyn Files) -> Output {
        let react_instantly = std::mem::replace(&mut self.react_instantly, false);
        let output = self.run_line(line, files);
        self.react_instantly = react_instantly;
        output
    }

    /// Runs one line typed into a terminal (no heredocs): the page's terminal entry point.
    pub fn run_line(&mut self, line: &str, files: &dyn Files) -> Output {
        match crate::script::parse_command(line, None) {
            Ok(Some(command)) => self.execute(&command, files),
            Ok(None) => Output::default(),
            Err(message) => Output::error(message),
        }
    }
}

struct WorkspaceWithStdin<'a> {
    files: &'a dyn Files,
    stdin: Option<&'a str>,
}

impl kubectl::Workspace for WorkspaceWithStdin<'_> {
    fn read_file(&self, path: &str) -> Result<String, String> {
        self.files.read_file(path)
    }
    fn list_dir(&self, path: &str) -> Option<Vec<String>> {
        self.files.list_dir(path)
    }
    fn list_subdirs(&self, path: &str) -> Vec<String> {
        self.files.list_subdirs(path)
    }
    fn stdin(&self) -> Option<&str> {
        self.stdin
    }
}
