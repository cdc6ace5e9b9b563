//! What the page asks of the engine, with no DOM in sight.

use scenario::script::NoFiles;
use scenario::Session;

/// One row of the object list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ObjectRow {
    pub kind: String,
    pub namespace: String,
    pub name: String,
}

impl ObjectRow {
    /// `Deployment/default/web` (cluster-scoped objects have an empty namespace part).
    pub fn key(&self) -> String {
        format!("{}/{}/{}", self.kind, self.namespace, self.name)
    }
}

/// An error shown next to the editor, with its position when there is one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EditorError {
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub message: String,
}

impl EditorError {
    /// `error: line 10, column 2: did not find expected key`.
    pub fn display(&self) -> String {
        match (self.line, self.column) {
            (Some(line), Some(column)) => {
                format!("error: line {line}, column {column}: {}", self.message)
            }
            (Some(line), None) => format!("error: line {line}: {}", self.message),
            _ => self.message.clone(),
        }
    }
}

/// What applying the editor's text did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApplyResult {
    /// kubectl's lines (`deployment.apps/web created`).
    pub output: String,
    pub errors: Vec<EditorError>,
}

/// Checks the text as the decoder sees it: the errors to underline in the editor.
pub fn diagnose(text: &str) -> Vec<EditorError> {
    match model::decode_documents(text) {
        Ok(_) => Vec::new(),
        Err(e) => vec![EditorError {
            line: e.line,
            column: e.column,
            message: e.message.clone(),
        }],
    }
}

/// Applies the editor's text as `kubectl apply -f -` would. A text that does not decode applies
/// nothing and reports where it is broken.
pub fn apply_text(session: &mut Session, text: &str) -> ApplyResult {
    let errors = diagnose(text);
    if !errors.is_empty() {
        return ApplyResult {
            output: String::new(),
            errors,
        };
    }
    let command = scenario::script::Command::Kubectl {
        args: vec!["apply".into(), "-f".into(), "-".into()],
        stdin: Some(text.to_string()),
    };
    let output = session.execute(&command, &NoFiles);
    let errors = output
        .stderr
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| EditorError {
            line: None,
            column: None,
            message: l.to_string(),
        })
        .collect();
    ApplyResult {
        output: output.stdout,
        errors,
    }
}

/// Every object in the cluster, ordered by kind, namespace and name.
pub fn object_rows(session: &Session) -> Vec<ObjectRow> {
    let snapshot = session.cluster.snapshot();
    let mut rows: Vec<ObjectRow> = snapshot
        .store
        .values()
        .map(|o| ObjectRow {
            kind: o.kind().to_string(),
            namespace: o.namespace().to_string(),
            name: o.name().to_string(),
        })
        .collect();
    rows.sort_by(|a, b| (&a.kind, &a.namespace, &a.name).cmp(&(&b.kind, &b.namespace, &b.name)));
    rows
}

/// Runs one terminal line; returns the text to append (`$ line` then the output).
pub fn run_terminal_line(session: &mut Session, line: &str) -> String {
    let output = session.run_line(line, &NoFiles);
    let mut text = format!("$ {line}\n");
    text.push_str(&output.stdout);
    text.push_str(&output.stderr);
    if !text.ends_with('\n') {
        text.push('\n');
    }
    text
}

/// The simulated clock as the page shows it (`00:03:02`).
pub fn clock_text(session: &Session) -> String {
    // The clock starts when the user gets the cluster, after its boot.
    let seconds = (session.cluster.now().0 / 1000).saturating_sub(cluster::system::BOOT_SECONDS);
    format!(
        "{:02}:{:02}:{:02}",
        seconds / 3600,
        (seconds / 60) % 60,
        seconds % 60
    )
}

/// Starting points the editor's Templates menu offers: (menu label, manifest).
pub const TEMPLATES: &[(&str, &str)] = &[
    ("Pod", "apiVersion: v1\nkind: Pod\nmetadata:\n  name: nginx\n  labels:\n    app: nginx\nspec:\n  containers:\n  - name: nginx\n    image: nginx:1.27\n    ports:\n    - containerPort: 80\n"),
    ("Deployment", "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 3\n  selector:\n    matchLabels:\n      app: web\n  template:\n    metadata:\n      labels:\n        app: web\n    spec:\n      containers:\n      - name: nginx\n        image: nginx:1.27\n"),
    ("Service", "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  type: ClusterIP\n  selector:\n    app: web\n  ports:\n  - port: 80\n    targetPort: 80\n"),
    ("ConfigMap", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  GREETING: hello\n  config.properties: |\n    color=blue\n"),
    ("Secret", "apiVersion: v1\nkind: Secret\nmetadata:\n  name: credentials\ntype: Opaque\nstringData:\n  username: admin\n  password: s3cr3t\n"),
    ("Job", "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: pi\nspec:\n  backoffLimit: 4\n  template:\n    spec:\n      restartPolicy: Never\n      containers:\n      - name: pi\n        image: perl:5.34.0\n        command: [\"perl\", \"-Mbignum=bpi\", \"-wle\", \"print bpi(2000)\"]\n"),
    ("CronJob", "apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: hello\nspec:\n  schedule: \"* * * * *\"\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          restartPolicy: OnFailure\n          containers:\n          - name: hello\n            image: busybox:1.28\n            command: [\"sh\", \"-c\", \"date; echo Hello from the Kubernetes cluster\"]\n"),
    ("Namespace", "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: dev\n"),
    ("ResourceQuota", "apiVersion: v1\nkind: ResourceQuota\nmetadata:\n  name: pod-demo\nspec:\n  hard:\n    pods: \"2\"\n"),
];

/// What choosing a template does to the editor's text: an empty editor (or the untouched
/// starter) takes the template; otherwise the template is appended as a new document, so nothing
/// the user typed is lost.
pub fn insert_template(current: &str, template: &str) -> String {
    if current.trim().is_empty() || current == STARTER_MANIFEST {
        return template.to_string();
    }
    let mut text = current.trim_end_matches('\n').to_string();
    text.push_str("\n---\n");
    text.push_str(template);
    text
}

/// The manifest the editor starts with.
pub const STARTER_MANIFEST: &str = "# Edit, then press Apply (or Ctrl+Enter).
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels:
    app: web
spec:
  replicas: 2
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
      - name: nginx
        image: nginx:1.27
        ports:
        - containerPort: 80
---
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector:
    app: web
  ports:
  - port: 80
    targetPort: 80
";

/// A fixed run (the starter manifest, a few commands, simulated time) reduced to one number: the
/// cluster's event-log hash mixed with a hash of everything kubectl printed. Native and wasm
/// builds must agree on it byte for byte (the determinism rule); both test suites assert
/// [`EXPECTED_FINGERPRINT`].
pub fn determinism_fingerprint(seed: u64) -> u64 {
    let mut session = Session::new(seed);
    let mut printed = apply_text(&mut session, STARTER_MANIFEST).output;
    for line in [
        "kubectl run probe --image=busybox -- sleep 3600",
        "sleep 90s",
        "kubectl get all -A -o wide",
        "kubectl get deploy web -o yaml",
        "kubectl delete pod probe",
    ] {
        printed.push_str(&run_terminal_line(&mut session, line));
    }
    let mut hash = session.cluster.event_log_hash();
    for byte in printed.bytes() {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    hash
}

/// What [`determinism_fingerprint`] returns for seed 1. It changes whenever behaviour changes on
/// purpose (new defaults, new output); then update it here, natively, and the wasm test follows.
pub const EXPECTED_FINGERPRINT: u64 = 0x984b_1833_daee_c740;

#[cfg(test)]
mod tests {
    #[test]
    fn the_same_seed_gives_the_same_run_and_the_known_fingerprint() {
        assert_eq!(determinism_fingerprint(1), determinism_fingerprint(1));
        assert_ne!(
            determinism_fingerprint(1),
            determinism_fingerprint(2),
            "uids come from the seed"
        );
        assert_eq!(
            determinism_fingerprint(1),
            EXPECTED_FINGERPRINT,
            "got {:#x}",
            determinism_fingerprint(1)
        );
    }

    use super::*;

    #[test]
    fn applying_the_starter_manifest_lists_both_objects() {
        let mut session = Session::new(1);
        let result = apply_text(&mut session, STARTER_MANIFEST);
        assert_eq!(result.errors, vec![]);
        assert_eq!(
            result.output,
            "deployment.apps/web created\nservice/web created\n"
        );
        let keys: Vec<String> = object_rows(&session).iter().map(ObjectRow::key).collect();
        assert!(keys.contains(&"Deployment/default/web".to_string()));
        assert!(keys.contains(&"Service/default/web".to_string()));
    }

    #[test]
    fn broken_yaml_applies_nothing_and_says_where() {
        let mut session = Session::new(1);
        let result = apply_text(
            &mut session,
            "apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\n bad: [\n",
        );
        assert_eq!(result.output, "");
        assert_eq!(result.errors[0].line, Some(5));
        assert!(result.errors[0]
            .display()
            .starts_with("error: line 5, column "));
        assert!(!object_rows(&session).iter().any(|r| r.name == "x"));
    }

    #[test]
    fn every_template_applies_and_templates_never_replace_user_text() {
        for (name, template) in TEMPLATES {
            let mut session = Session::new(1);
            let result = apply_text(&mut session, template);
            assert_eq!(result.errors, vec![], "{name}");
        }
        assert_eq!(insert_template("", "kind: X\n"), "kind: X\n");
        assert_eq!(
            insert_template("mine: 1\n\n", "kind: X\n"),
            "mine: 1\n---\nkind: X\n"
        );
    }

    #[test]
    fn the_terminal_runs_kubectl() {
        let mut session = Session::new(1);
        let text = run_terminal_line(&mut session, "kubectl get ns default");
        assert_eq!(
            text,
            "$ kubectl get ns default\nNAME      STATUS   AGE\ndefault   Active   5m\n"
        );
    }
}
