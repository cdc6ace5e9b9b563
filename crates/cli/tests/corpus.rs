//! Corpus conformance: every manifest of ../shared/corpus is applied with `kubectl apply -f` to a
//! fresh cluster (after creating the namespace its tutorial creates first) and must be accepted
//! — except the three the corpus breaks on purpose, which must fail with kubectl's own error.
//!
//! What INDEX.tsv says happens *after* admission (pods Running, quota and LimitRange rejections,
//! PVCs binding) needs the scheduler, kubelet, controllers and admission plugins of later issues;
//! this test checks the API-server half that exists today.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use scenario::script::{Command, Files};
use scenario::Session;

struct CorpusFiles {
    base: PathBuf,
}

impl Files for CorpusFiles {
    fn read_file(&self, path: &str) -> Result<String, String> {
        std::fs::read_to_string(self.base.join(path)).map_err(|e| e.to_string())
    }
    fn list_dir(&self, _path: &str) -> Option<Vec<String>> {
        None
    }
}

fn kubectl(session: &mut Session, files: &CorpusFiles, args: &[&str]) -> kubectl::Output {
    let command = Command::Kubectl {
        args: args.iter().map(|s| s.to_string()).collect(),
        stdin: None,
    };
    session.execute(&command, files)
}

#[test]
fn corpus_manifests_are_admitted_as_by_a_real_api_server() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus");
    let Ok(index) = std::fs::read_to_string(dir.join("INDEX.tsv")) else {
        eprintln!(
            "SKIPPED: ../shared/corpus is not beside this checkout; corpus conformance not tested"
        );
        return;
    };
    let files = CorpusFiles { base: dir.clone() };
    let mut checked = 0;
    for line in index.lines().filter(|l| !l.trim().is_empty()) {
        let path = line.split('\t').next().unwrap();
        let mut session = Session::new(1);
        let text = std::fs::read_to_string(dir.join(path)).unwrap();
        // Tutorials create their namespace first (`kubectl create namespace qos-example`).
        if let Ok(objects) = model::decode_documents(&text) {
            let namespaces: BTreeSet<String> = objects
                .iter()
                .map(|o| o.namespace().to_string())
                .filter(|n| !n.is_empty())
                .collect();
            for namespace in namespaces {
                kubectl(&mut session, &files, &["create", "namespace", &namespace]);
            }
        }
        let output = kubectl(&mut session, &files, &["apply", "-f", path]);
        match path {
            "application/job/cronjob.yaml" => {
                assert_eq!(output.stderr, format!("error: resource mapping not found for name: \"hello\" namespace: \"\" from \"{path}\": no matches for kind \"CronJob\" in version \"batch/v1beta1\"\nensure CRDs are installed first\n"));
            }
            "controllers/job-pod-failure-policy-ignore.yaml" => {
                let expected = format!(
                    "error: error parsing {path}: error converting YAML to JSON: yaml: line 24"
                );
                assert!(output.stderr.starts_with(&expected), "{}", output.stderr);
            }
            "policy/high-priority-pod.yaml" => {
                // Priority admission: the tutorial creates PriorityClass `high` first.
                assert_eq!(output.stderr, format!("Error from server (Forbidden): error when creating \"{path}\": pods \"high-priority\" is forbidden: no PriorityClass with name high was found\n"));
            }
            "pods/pod-with-node-affinity.yaml" => {
                let expected = format!("Error from server (BadRequest): error when creating \"{path}\": Pod in version \"v1\" cannot be handled as a Pod: strict decoding error: spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution: invalid type: sequence");
                assert!(output.stderr.starts_with(&expected), "{}", output.stderr);
            }
            _ => {
                assert_eq!(output.exit_code, 0, "{path}: {}", output.stderr);
                let documents = model::decode_documents(&text).unwrap().len();
                assert_eq!(
                    output
                        .stdout
                        .lines()
                        .filter(|l| l.ends_with(" created"))
                        .count(),
                    documents,
                    "{path}: {}",
                    output.stdout
                );
                // A second apply of the same bytes changes nothing.
                let again = kubectl(&mut session, &files, &["apply", "-f", path]);
                assert_eq!(
                    again
                        .stdout
                        .lines()
                        .filter(|l| l.ends_with(" unchanged"))
                        .count(),
                    documents,
                    "{path}: {}",
                    again.stdout
                );
            }
        }
        checked += 1;
    }
    assert_eq!(checked, 127);
}
