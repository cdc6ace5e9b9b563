//! Every golden transcript in tests/transcripts/ re-runs through the `kubeplay` binary with
//! `run --check` and must match byte for byte. `UPDATE_EXPECT=1 cargo test -p cli` rewrites them.

use std::path::{Path, PathBuf};
use std::process::Command;

fn scratch_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("kubeplay-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn golden_transcripts_match_a_fresh_run() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/transcripts");
    let mut transcripts: Vec<_> = std::fs::read_dir(&dir)
        .expect("tests/transcripts exists")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    #[allow(clippy::disallowed_methods)] // native only: not in the page
    transcripts.sort();
    assert!(
        transcripts.len() >= 4,
        "expected the golden transcripts, found {transcripts:?}"
    );
    let mut failures = Vec::new();
    for path in &transcripts {
        // A transcript made on another cluster shape says so on its first line:
        // `# kubeplay run --cluster shapes/NAME.yaml` (relative to tests/transcripts).
        let text = std::fs::read_to_string(path).expect("transcript reads");
        let mut command = Command::new(env!("CARGO_BIN_EXE_kubeplay"));
        command.arg("run").arg("--check");
        if let Some(shape) = text
            .lines()
            .next()
            .and_then(|l| l.strip_prefix("# kubeplay run --cluster "))
        {
            command.arg("--cluster").arg(dir.join(shape.trim()));
        }
        let output = command.arg(path).output().expect("kubeplay runs");
        if !output.status.success() {
            failures.push(format!(
                "{}:\n{}",
                path.display(),
                String::from_utf8_lossy(&output.stderr)
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} transcript(s) differ (UPDATE_EXPECT=1 to accept):\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn a_mismatch_fails_with_a_diff_and_exit_code_1() {
    let dir = scratch_dir("mismatch");
    let path = dir.join("wrong.txt");
    std::fs::write(
        &path,
        "$ kubectl get ns default\nNAME      STATUS   AGE\ndefault   Gone     0s\n",
    )
    .unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_kubeplay"))
        .arg("run")
        .arg("--check")
        .arg(&path)
        .env_remove("UPDATE_EXPECT")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("-default   Gone     0s") && stderr.contains("+default   Active   5m"),
        "{stderr}"
    );
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn bad_script_lines_name_their_line_and_exit_2() {
    let dir = scratch_dir("bad-line");
    let path = dir.join("bad.txt");
    std::fs::write(&path, "kubectl get ns\nfrobnicate everything\n").unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_kubeplay"))
        .arg("run")
        .arg(&path)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&output.stderr).contains("line 2: unknown command \"frobnicate\"")
    );
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn scripts_read_files_next_to_them() {
    let dir = scratch_dir("files");
    std::fs::write(
        dir.join("cm.yaml"),
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  a: \"1\"\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("script.txt"),
        "kubectl apply -f cm.yaml\nkubectl get cm settings\n",
    )
    .unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_kubeplay"))
        .arg("run")
        .arg(dir.join("script.txt"))
        .output()
        .unwrap();
    assert!(output.status.success());
    assert_eq!(
        String::from_utf8_lossy(&output.stdout),
        "$ kubectl apply -f cm.yaml\nconfigmap/settings created\n$ kubectl get cm settings\nNAME       DATA   AGE\nsettings   1      0s\n"
    );
    std::fs::remove_dir_all(&dir).ok();
}
