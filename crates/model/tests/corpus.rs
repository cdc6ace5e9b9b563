//! Every manifest of ../shared/corpus decodes, except the three the corpus breaks on purpose,
//! which fail with the error a real kubectl/API server gives.

use std::path::{Path, PathBuf};

fn corpus_dir() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus");
    dir.join("INDEX.tsv").exists().then_some(dir)
}

#[test]
fn corpus_manifests_decode_as_a_real_api_server_would() {
    let Some(dir) = corpus_dir() else {
        eprintln!(
            "SKIPPED: ../shared/corpus is not beside this checkout; corpus decoding not tested"
        );
        return;
    };
    let index = std::fs::read_to_string(dir.join("INDEX.tsv")).unwrap();
    let mut decoded = 0;
    for line in index.lines().filter(|l| !l.trim().is_empty()) {
        let mut fields = line.split('\t');
        let path = fields.next().unwrap();
        let kinds: Vec<&str> = fields.next().unwrap_or("").split(',').collect();
        let text = std::fs::read_to_string(dir.join(path)).unwrap();
        let result = model::decode_documents(&text);
        match path {
            "controllers/job-pod-failure-policy-ignore.yaml" => {
                let error = result.unwrap_err();
                assert_eq!(
                    error.kind,
                    model::DecodeErrorKind::Syntax,
                    "{path}: {error}"
                );
                assert!(error.line.is_some());
            }
            "pods/pod-with-node-affinity.yaml" => {
                let error = result.unwrap_err();
                assert_eq!(
                    error.kind,
                    model::DecodeErrorKind::StrictDecoding,
                    "{path}: {error}"
                );
                assert!(error.message.contains("nodeAffinity"), "{path}: {error}");
            }
            "application/job/cronjob.yaml" => {
                let error = result.unwrap_err();
                assert_eq!(
                    error.message,
                    "no matches for kind \"CronJob\" in version \"batch/v1beta1\""
                );
            }
            _ => {
                let objects = result.unwrap_or_else(|e| panic!("{path}: {e}"));
                let got: Vec<&str> = objects.iter().map(|o| o.kind()).collect();
                assert_eq!(got, kinds, "{path}: kinds in document order");
                decoded += 1;
            }
        }
    }
    assert_eq!(decoded, 124);
}
