//! `kubeplay`: the simulated cluster, headless. Runs scripts into transcripts, checks golden
//! transcripts, and runs one-shot kubectl commands — for tests, instructors' CI and benchmarks.
//!
//! Exit codes: 0 success; 1 a transcript did not match (`--check`) or the one-shot kubectl
//! command failed (kubectl's own exit code); 2 usage errors, unreadable files and bad script lines.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use scenario::script::Files;

const USAGE: &str = "kubeplay — a simulated Kubernetes cluster, headless

Usage:
  kubeplay run [--seed N] [--cluster SHAPE.yaml] [SCRIPT|-]
                                             run a script on a fresh cluster, print its transcript
  kubeplay run --check [--seed N] [--cluster SHAPE.yaml] TRANSCRIPT
                                             re-run a golden transcript, diff, exit 1 on mismatch
                                              (UPDATE_EXPECT=1 rewrites the file instead)
  kubeplay kubectl ARGS...                    one kubectl command on a fresh cluster

Script lines: kubectl …   sleep 30s   cluster …   curl …   # comment   (heredocs: <<EOF … EOF)
Exit codes: 0 ok, 1 transcript mismatch or kubectl failure, 2 usage or script error.
";

/// Files relative to the script's folder.
struct DiskFiles {
    base: PathBuf,
}

impl DiskFiles {
    fn resolve(&self, path: &str) -> PathBuf {
        let p = Path::new(path);
        if p.is_absolute() {
            p.to_path_buf()
        } else {
            self.base.join(p)
        }
    }
}

impl Files for DiskFiles {
    fn read_file(&self, path: &str) -> Result<String, String> {
        std::fs::read_to_string(self.resolve(path))
            .map_err(|_| format!("the path \"{path}\" does not exist"))
    }
    fn list_dir(&self, path: &str) -> Option<Vec<String>> {
        let entries = std::fs::read_dir(self.resolve(path)).ok()?;
        let mut names: Vec<String> = entries
            .filter_map(|e| e.ok())
            .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
            .filter_map(|e| e.file_name().into_string().ok())
            .collect();
        #[allow(clippy::disallowed_methods)] // native only: not in the page
        names.sort();
        Some(names)
    }
    fn list_subdirs(&self, path: &str) -> Vec<String> {
        // file_type() does not follow symbolic links, so a link cycle is never walked.
        let Ok(entries) = std::fs::read_dir(self.resolve(path)) else {
            return Vec::new();
        };
        let mut names: Vec<String> = entries
            .filter_map(|e| e.ok())
            .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
            .filter_map(|e| e.file_name().into_string().ok())
            .collect();
        #[allow(clippy::disallowed_methods)] // native only: not in the page
        names.sort();
        names
    }
}

fn usage_error(message: &str) -> ExitCode {
    eprintln!("kubeplay: {message}\n\n{USAGE}");
    ExitCode::from(2)
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("run") => run(&args[1..]),
        Some("kubectl") => {
            let mut session = scenario::Session::new(scenario::session::DEFAULT_SEED);
            let files = DiskFiles {
                base: PathBuf::from("."),
            };
            let mut stdin = String::new();
            let wants_stdin = args.iter().any(|a| a == "-");
            if wants_stdin && std::io::stdin().read_to_string(&mut stdin).is_err() {
                return usage_error("cannot read standard input");
            }
            let command = scenario::script::Command::Kubectl {
                args: args[1..].to_vec(),
                stdin: wants_stdin.then_some(stdin),
            };
            let output = session.execute(&command, &files);
            print!("{}", output.stdout);
            eprint!("{}", output.stderr);
            ExitCode::from(output.exit_code.clamp(0, 255) as u8)
        }
        Some("--help") | Some("-h") | Some("help") | None => {
            print!("{USAGE}");
            ExitCode::SUCCESS
        }
        Some("--version") | Some("version") => {
            println!("kubeplay {}", env!("CARGO_PKG_VERSION"));
            ExitCode::SUCCESS
        }
        Some(other) => usage_error(&format!("unknown command \"{other}\"")),
    }
}

/// Reads a cluster shape file (`--cluster`).
fn load_shape(path: &str) -> Result<cluster::nodes::ClusterShape, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read {path}: {e}"))?;
    cluster::nodes::ClusterShape::from_yaml(&text).map_err(|e| format!("{path}: {e}"))
}

fn run(args: &[String]) -> ExitCode {
    let mut seed = scenario::session::DEFAULT_SEED;
    let mut shape = cluster::nodes::ClusterShape::default();
    let mut check = false;
    let mut path: Option<String> = None;
    let mut i = 0;
    while i < args.len() {
        match args[i].as_str() {
            "--seed" => {
                i += 1;
                match args.get(i).and_then(|s| s.parse().ok()) {
                    Some(s) => seed = s,
                    None => return usage_error("--seed takes a whole number"),
                }
            }
            s if s.starts_with("--seed=") => match s["--seed=".len()..].parse() {
                Ok(s) => seed = s,
                Err(_) => return usage_error("--seed takes a whole number"),
            },
            "--check" => check = true,
            "--cluster" => {
                i += 1;
                match args.get(i) {
                    Some(file) => match load_shape(file) {
                        Ok(s) => shape = s,
                        Err(e) => return usage_error(&e),
                    },
                    None => return usage_error("--cluster takes a file (a cluster shape in YAML)"),
                }
            }
            s if s.starts_with("--cluster=") => match load_shape(&s["--cluster=".len()..]) {
                Ok(s) => shape = s,
                Err(e) => return usage_error(&e),
            },
            s if s.starts_with("--") => return usage_error(&format!("unknown flag {s}")),
            s => {
                if path.is_some() {
                    return usage_error("run takes one script");
                }
                path = Some(s.to_string());
            }
        }
        i += 1;
    }
    let path = path.unwrap_or_else(|| "-".to_string());
    let (text, base) = if path == "-" {
        let mut text = String::new();
        if std::io::stdin().read_to_string(&mut text).is_err() {
            return usage_error("cannot read standard input");
        }
        (text, PathBuf::from("."))
    } else {
        match std::fs::read_to_string(&path) {
            Ok(t) => (
                t,
                Path::new(&path)
                    .parent()
                    .map(Path::to_path_buf)
                    .unwrap_or_default(),
            ),
            Err(e) => return usage_error(&format!("cannot read {path}: {e}")),
        }
    };
    let files = DiskFiles { base };
    if check {
        match scenario::transcript::check_on(&text, seed, &shape, &files) {
            Ok(result) if result.matches => ExitCode::SUCCESS,
            Ok(result) => {
                if std::env::var("UPDATE_EXPECT").is_ok_and(|v| v == "1") && path != "-" {
                    if let Err(e) = std::fs::write(&path, &result.actual) {
                        return usage_error(&format!("cannot write {path}: {e}"));
                    }
                    eprintln!("kubeplay: updated {path}");
                    return ExitCode::SUCCESS;
                }
                eprintln!("kubeplay: {path} does not match a fresh run (seed {seed}):");
                let diff = similar::TextDiff::from_lines(&text, &result.actual);
                eprint!("{}", diff.unified_diff().header("expected", "actual"));
                ExitCode::from(1)
            }
            Err(e) => {
                eprintln!("kubeplay: {path}: {e}");
                ExitCode::from(2)
            }
        }
    } else {
        match scenario::transcript::run_script_on(&text, seed, &shape, &files) {
            Ok(transcript) => {
                print!("{transcript}");
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("kubeplay: {path}: {e}");
                ExitCode::from(2)
            }
        }
    }
}
