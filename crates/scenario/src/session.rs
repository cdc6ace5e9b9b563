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
        Session {
            cluster: Cluster::new(seed),
            kubectl: Kubectl::default(),
            react_instantly: true,
        }
    }

    /// Runs one parsed command and returns what it printed.
    pub fn execute(&mut self, command: &Command, files: &dyn Files) -> Output {
        match command {
            Command::Kubectl { args, stdin } => {
                let workspace = WorkspaceWithStdin { files, stdin: stdin.as_deref() };
                let output = self.kubectl.run(&mut self.cluster, args, &workspace);
                // The control loops react to a request within milliseconds on a real cluster:
                // a Deployment's pods exist (Pending) by the time the next command runs.
                if self.react_instantly {
                    self.cluster.advance(SimDuration(0));
                }
                output
            }
            Command::Sleep { millis } => {
                self.cluster.advance(SimDuration(*millis));
                Output::default()
            }
            Command::Cluster { args } => Output::error(format!(
                "error: \"cluster {}\" is not available yet: nodes, the kubelet and fault injection arrive with the scheduler/kubelet issue",
                args.first().map(String::as_str).unwrap_or("")
            )),
            Command::Curl { args } => crate::outside::curl(&mut self.cluster, args),
        }
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
    fn stdin(&self) -> Option<&str> {
        self.stdin
    }
}
