//! kubectl, inside the page: turns a command line into requests against the [`Cluster`]'s public
//! API and prints what real kubectl prints — tables, `-o yaml|json|name|wide`, messages, errors
//! and exit codes. It never reaches into engine internals. The page's terminal, the tutorials'
//! checks and the `kubeplay` CLI all go through [`Kubectl::run`].
//!
//! Modules: [`flags`] (the command-line parser with kubectl's error messages), [`table`]
//! (tabwriter layout and ages), [`printers`] (per-kind columns), [`jsonpath`] (kubectl's JSONPath
//! templates), [`gotemplate`] (Go's text/template for `-o go-template`), [`verbs`] (one file per verb or verb family: get, apply, create and its
//! generators, delete, describe, run, patch/label/annotate/scale/set, auth, events, help, info),
//! [`schema_help`] (editor completion and hover docs from explain's schemas), `line_diff` (the
//! `diff -u` hunks `kubectl diff` prints).

pub mod flags;
pub mod gotemplate;
pub mod jsonpath;
mod line_diff;
pub mod printers;
pub mod schema_help;
pub mod table;
pub mod verbs;

use cluster::Cluster;

/// What a command printed and how it exited, as a terminal would see it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Output {
    pub stdout: String,
    pub stderr: String,
    pub exit_code: i32,
    /// `kubectl edit` without a buffer on standard input: the text kubectl's editor would show
    /// (the `# Please edit the object below…` header, then the YAML; after a rejected edit, the
    /// header also lists the reasons). A front end with an editor (the page) loads it there and
    /// applies what the user saves, and need not print `stderr`, which tells a script how to
    /// pass the edited object as a heredoc instead.
    pub open_in_editor: Option<String>,
}

impl Output {
    pub fn ok(stdout: impl Into<String>) -> Output {
        Output {
            stdout: stdout.into(),
            stderr: String::new(),
            exit_code: 0,
            open_in_editor: None,
        }
    }
    pub fn error(stderr: impl Into<String>) -> Output {
        let mut stderr = stderr.into();
        if !stderr.ends_with('\n') {
            stderr.push('\n');
        }
        Output {
            stdout: String::new(),
            stderr,
            exit_code: 1,
            open_in_editor: None,
        }
    }
    /// Appends another output (stdout to stdout, stderr to stderr); the worst exit code wins.
    pub fn append(&mut self, other: Output) {
        self.stdout.push_str(&other.stdout);
        self.stderr.push_str(&other.stderr);
        self.exit_code = self.exit_code.max(other.exit_code);
        if other.open_in_editor.is_some() {
            self.open_in_editor = other.open_in_editor;
        }
    }
}

/// Where `-f` reads from: files, directories and standard input. The CLI gives the real file
/// system (relative to the script); the page gives the editor's text as `-`.
pub trait Workspace {
    fn read_file(&self, path: &str) -> Result<String, String>;
    /// Regular files directly in `path` (sorted), or `None` when `path` is not a directory.
    fn list_dir(&self, path: &str) -> Option<Vec<String>>;
    /// Directories directly in `path` (sorted names; empty when there are none or `path` is not
    /// a directory): what `-R` descends into.
    fn list_subdirs(&self, path: &str) -> Vec<String>;
    fn stdin(&self) -> Option<&str>;
}

/// A workspace with no files and, optionally, a standard input.
pub struct NoFiles<'a> {
    pub stdin: Option<&'a str>,
}

impl Workspace for NoFiles<'_> {
    fn read_file(&self, path: &str) -> Result<String, String> {
        Err(format!("the path \"{path}\" does not exist"))
    }
    fn list_dir(&self, _path: &str) -> Option<Vec<String>> {
        None
    }
    fn list_subdirs(&self, _path: &str) -> Vec<String> {
        Vec::new()
    }
    fn stdin(&self) -> Option<&str> {
        self.stdin
    }
}

/// kubectl's client-side state: the kubeconfig (its contexts, clusters and users).
#[derive(Debug, Clone, Default)]
pub struct Kubectl {
    /// Contexts, clusters and users (`kubectl config`); the current context's namespace is
    /// the default namespace of every command.
    pub kubeconfig: verbs::config::Kubeconfig,
    /// The stream a `get -w` left open (see [`verbs::watch`]).
    pub watch: Option<verbs::watch::Watch>,
    /// The stream a `logs -f` left open.
    pub follow: Option<verbs::logs::LogFollow>,
    /// Files `kubectl cp` copied out of containers onto "this machine", by path (relative
    /// paths without `./`), read before the workspace's own files.
    pub local_files: std::collections::BTreeMap<String, String>,
    /// How many temporary files and directories (`diff`'s LIVE-/MERGED-, `edit`'s saved copy)
    /// this kubectl has named: part of each name, so that no two are alike.
    pub temp_names: u64,
}

impl Kubectl {
    /// Runs one kubectl command line (`args` without the leading `kubectl`).
    pub fn run(
        &mut self,
        cluster: &mut Cluster,
        args: &[String],
        workspace: &dyn Workspace,
    ) -> Output {
        verbs::dispatch(self, cluster, args, workspace)
    }
}
