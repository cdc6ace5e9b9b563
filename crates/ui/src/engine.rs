//! What the page asks of the engine, with no DOM in sight.

use model::sort::SortSlice;
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
    run_editor_text(session, "apply", text)
}

/// Runs `kubectl VERB -f -` on the editor's text, unless the text does not decode: then nothing
/// runs and the errors say where the text is broken.
fn run_editor_text(session: &mut Session, verb: &str, text: &str) -> ApplyResult {
    let errors = diagnose(text);
    if !errors.is_empty() {
        return ApplyResult {
            output: String::new(),
            errors,
        };
    }
    let command = scenario::script::Command::Kubectl {
        args: vec![verb.into(), "-f".into(), "-".into()],
        stdin: Some(text.to_string()),
    };
    let output = session.execute(&command, &NoFiles);
    ApplyResult {
        output: output.stdout,
        errors: stderr_errors(&output.stderr),
    }
}

/// Every object in the cluster but Events (the events pane shows those), ordered by kind,
/// namespace and name.
pub fn object_rows(session: &Session) -> Vec<ObjectRow> {
    let snapshot = session.cluster.snapshot();
    let mut rows: Vec<ObjectRow> = snapshot
        .store
        .values()
        .filter(|o| o.kind() != "Event")
        .map(|o| ObjectRow {
            kind: o.kind().to_string(),
            namespace: o.namespace().to_string(),
            name: o.name().to_string(),
        })
        .collect();
    rows.sort_stable_by(|a, b| {
        (&a.kind, &a.namespace, &a.name).cmp(&(&b.kind, &b.namespace, &b.name))
    });
    rows
}

/// The most rows the object list draws (the rest are one `kubectl get` away).
pub const OBJECT_LIST_ROWS: usize = 500;

/// Runs one terminal line; returns the text to append (`$ line` then the output).
pub fn run_terminal_line(session: &mut Session, line: &str) -> String {
    run_terminal_line_full(session, line).0
}

/// [`run_terminal_line`], with the command's exit code.
pub fn run_terminal_line_with_status(session: &mut Session, line: &str) -> (String, i32) {
    let (text, code, _) = run_terminal_line_full(session, line);
    (text, code)
}

/// Runs one terminal line; returns the text to append and, for `kubectl edit`, the buffer to
/// open in the editor (kubectl's `# Please edit the object below…` header, then the YAML; the
/// user changes it and presses Apply). The terminal then shows no error: the editor is the
/// page's editor, and kubectl's hint about heredocs is meant for scripts.
pub fn run_terminal_line_with_editor(
    session: &mut Session,
    line: &str,
) -> (String, Option<String>) {
    let (text, _, buffer) = run_terminal_line_full(session, line);
    (text, buffer)
}

/// One terminal line: the text to append, the exit code, and `kubectl edit`'s buffer.
pub fn run_terminal_line_full(session: &mut Session, line: &str) -> (String, i32, Option<String>) {
    // A new command ends an open stream (in a shell it would have needed Ctrl+C first); the
    // page's own requests (events pane, inspector) leave it running.
    session.stop_watch();
    let output = session.run_line(line, &NoFiles);
    let mut text = format!("$ {line}\n");
    text.push_str(&output.stdout);
    if output.open_in_editor.is_none() {
        text.push_str(&output.stderr);
    }
    if !text.ends_with('\n') {
        text.push('\n');
    }
    (text, output.exit_code, output.open_in_editor)
}

/// What an open `kubectl get -w` or `logs -f` stream has printed since it was last asked
/// (empty when nothing changed or no stream is open): the terminal appends it as time passes.
pub fn stream_output(session: &mut Session) -> String {
    session.watch_rows().unwrap_or_default()
}

/// Ctrl+C in the terminal: ends an open stream, as kubectl ends on SIGINT.
pub fn interrupt(session: &mut Session) -> String {
    if session.watch_rows().is_some() {
        session.stop_watch();
        "^C\n".to_string()
    } else {
        String::new()
    }
}

/// What the inspector looks at: one object, named as the object list names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Selection {
    pub kind: String,
    /// Empty for cluster-scoped objects.
    pub namespace: String,
    pub name: String,
}

impl Selection {
    /// The resource argument kubectl takes for this object: the kind in lower case (`pod`,
    /// `deployment`), which kubectl resolves as it resolves `kubectl get pod`.
    fn resource_argument(&self) -> String {
        self.kind.to_ascii_lowercase()
    }

    /// ` -n NAMESPACE`, or nothing for a cluster-scoped object.
    fn namespace_flag(&self) -> String {
        if self.namespace.is_empty() {
            String::new()
        } else {
            format!(" -n {}", self.namespace)
        }
    }

    /// `Pod default/web-1` for the inspector's title.
    pub fn title(&self) -> String {
        if self.namespace.is_empty() {
            format!("{} {}", self.kind, self.name)
        } else {
            format!("{} {}/{}", self.kind, self.namespace, self.name)
        }
    }
}

/// The inspector's tabs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InspectorTab {
    Describe,
    Yaml,
    Events,
    /// Pods only: `kubectl logs` of one container, `--previous` on request.
    Logs,
}

impl InspectorTab {
    pub const ALL: [InspectorTab; 4] = [
        InspectorTab::Describe,
        InspectorTab::Yaml,
        InspectorTab::Events,
        InspectorTab::Logs,
    ];

    /// Whether the tab applies to an object of `kind` (logs are a pod's).
    pub fn applies_to(self, kind: &str) -> bool {
        self != InspectorTab::Logs || kind == "Pod"
    }

    /// The `data-tab` attribute and the label.
    pub fn name(self) -> &'static str {
        match self {
            InspectorTab::Describe => "describe",
            InspectorTab::Yaml => "yaml",
            InspectorTab::Events => "events",
            InspectorTab::Logs => "logs",
        }
    }
}

/// The kubectl command line a tab runs (shown above its output, as a terminal would).
pub fn inspector_command(selection: &Selection, tab: InspectorTab) -> String {
    let resource = selection.resource_argument();
    let namespace = selection.namespace_flag();
    let name = &selection.name;
    match tab {
        InspectorTab::Describe => format!("kubectl describe {resource} {name}{namespace}"),
        InspectorTab::Yaml => format!("kubectl get {resource} {name}{namespace} -o yaml"),
        InspectorTab::Events => format!("kubectl events --for {resource}/{name}{namespace}"),
        InspectorTab::Logs => logs_command(selection, None, false),
    }
}

/// `kubectl logs POD -n NS [-c CONTAINER] [--previous]` (the inspector's Logs tab).
pub fn logs_command(selection: &Selection, container: Option<&str>, previous: bool) -> String {
    let mut line = format!(
        "kubectl logs {}{}",
        selection.name,
        selection.namespace_flag()
    );
    if let Some(container) = container {
        line.push_str(&format!(" -c {container}"));
    }
    if previous {
        line.push_str(" --previous");
    }
    line
}

/// Quotes a word for the terminal line as a POSIX shell (and the CLI's splitter) reads it.
pub fn shell_quote(word: &str) -> String {
    if !word.is_empty()
        && word
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./=:,@%+".contains(c))
    {
        return word.to_string();
    }
    format!("'{}'", word.replace('\'', "'\\''"))
}

/// `kubectl exec POD -n NS [-c CONTAINER] -- sh -c 'COMMAND'` (the inspector's exec box).
pub fn exec_line(selection: &Selection, container: Option<&str>, command: &str) -> String {
    let mut line = format!(
        "kubectl exec {}{}",
        selection.name,
        selection.namespace_flag()
    );
    if let Some(container) = container {
        line.push_str(&format!(" -c {container}"));
    }
    line.push_str(&format!(" -- sh -c {}", shell_quote(command)));
    line
}

/// Kinds `kubectl scale` scales (the inspector's Scale action).
pub fn scalable(kind: &str) -> bool {
    matches!(
        kind,
        "Deployment" | "ReplicaSet" | "StatefulSet" | "ReplicationController"
    )
}

/// Kinds `kubectl rollout restart` restarts.
pub fn restartable(kind: &str) -> bool {
    matches!(kind, "Deployment" | "StatefulSet" | "DaemonSet")
}

/// `kubectl scale deployment web -n NS --replicas=N`.
pub fn scale_line(selection: &Selection, replicas: u32) -> String {
    format!(
        "kubectl scale {} {}{} --replicas={replicas}",
        selection.resource_argument(),
        selection.name,
        selection.namespace_flag()
    )
}

/// `kubectl rollout restart deployment/web -n NS`.
pub fn rollout_restart_line(selection: &Selection) -> String {
    format!(
        "kubectl rollout restart {}/{}{}",
        selection.resource_argument(),
        selection.name,
        selection.namespace_flag()
    )
}

/// The object's `spec.replicas` (what the Scale box starts from), if it has one.
pub fn replicas_of(session: &Session, selection: &Selection) -> Option<i64> {
    let resource = model::registry::resolve(&selection.resource_argument())?;
    let namespace = resource.namespaced.then_some(selection.namespace.as_str());
    let object = session
        .cluster
        .list(resource, namespace)
        .into_iter()
        .find(|o| o.name() == selection.name)?;
    object.to_json_value()["spec"]["replicas"].as_i64()
}

/// Runs a read-only kubectl line and returns what it printed (stdout, then stderr).
fn run_read_only(session: &mut Session, line: &str) -> String {
    let output = session.read_line(line, &NoFiles);
    let mut text = output.stdout;
    text.push_str(&output.stderr);
    text
}

/// What the inspector shows in a tab: our kubectl's own output for the object.
pub fn inspector_text(session: &mut Session, selection: &Selection, tab: InspectorTab) -> String {
    run_read_only(session, &inspector_command(selection, tab))
}

/// The object's YAML as `kubectl get -o yaml` prints it (the inspector's Edit button), or
/// `None` when it is gone.
pub fn object_yaml(session: &mut Session, selection: &Selection) -> Option<String> {
    let output = session.read_line(&inspector_command(selection, InspectorTab::Yaml), &NoFiles);
    (output.stderr.is_empty() && !output.stdout.is_empty()).then_some(output.stdout)
}

/// The inspector's Delete for `selection`: `kubectl delete KIND NAME -n NS`, run by
/// [`run_page_request`] (and journaled as the page's own request).
pub fn delete_selection_line(selection: &Selection) -> String {
    format!(
        "kubectl delete {} {}{}",
        selection.resource_argument(),
        selection.name,
        selection.namespace_flag()
    )
}

/// A request the page makes on its own (not typed): an open terminal stream stays open.
pub fn run_page_request(session: &mut Session, line: &str) -> ApplyResult {
    let output = session.run_line(line, &NoFiles);
    ApplyResult {
        output: output.stdout,
        errors: stderr_errors(&output.stderr),
    }
}

fn stderr_errors(stderr: &str) -> Vec<EditorError> {
    stderr
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| EditorError {
            line: None,
            column: None,
            message: l.to_string(),
        })
        .collect()
}

/// Deletes the objects the editor's text names, as `kubectl delete -f -` would.
pub fn delete_text(session: &mut Session, text: &str) -> ApplyResult {
    run_editor_text(session, "delete", text)
}

/// The events pane: every namespace's events, oldest first, as `kubectl events -A` prints them.
pub fn events_text(session: &mut Session) -> String {
    run_read_only(session, "kubectl events -A")
}

/// The most event rows the events pane shows (the newest; the header stays).
pub const EVENTS_PANE_ROWS: usize = 300;

/// Keeps a table's header line and its newest `rows` rows, saying how many were left out.
pub fn newest_rows(table: &str, rows: usize) -> String {
    let mut lines = table.lines();
    let Some(header) = lines.next() else {
        return String::new();
    };
    let body: Vec<&str> = lines.collect();
    if body.len() <= rows {
        return table.to_string();
    }
    let skipped = body.len() - rows;
    let mut text = format!("{header}\n… {skipped} older events not shown\n");
    for line in &body[skipped..] {
        text.push_str(line);
        text.push('\n');
    }
    text
}

/// The speeds the speed control offers (simulated seconds per wall-clock second).
pub const SPEEDS: [f64; 9] = [0.25, 0.5, 1.0, 2.0, 4.0, 8.0, 16.0, 32.0, 64.0];

/// How often the page advances the clock while playing.
pub const TICK_MILLIS: u64 = 200;

/// Simulated milliseconds one tick advances at `speed` (an unknown speed runs at 1×).
pub fn simulated_millis_per_tick(speed: f64) -> u64 {
    let speed = if SPEEDS.contains(&speed) { speed } else { 1.0 };
    (TICK_MILLIS as f64 * speed).round() as u64
}

/// The speed control's label: `0.25×`, `1×`, `64×`.
pub fn speed_label(speed: f64) -> String {
    format!("{speed}×")
}

/// The longest a step advances when nothing happens.
pub const STEP_MILLIS: u64 = 10_000;

/// The step button: advances simulated time to the next moment the cluster has something due
/// (the engine's [`cluster::Cluster::next_wakeup`]), at most [`STEP_MILLIS`]. Returns the
/// simulated milliseconds advanced.
pub fn step_to_next_change(session: &mut Session) -> u64 {
    // Work waiting at this instant (a request made while paused) is the first step.
    let version = session.cluster.resource_version();
    session.cluster.advance(cluster::SimDuration(0));
    if session.cluster.resource_version() != version {
        return 0;
    }
    let now = session.cluster.now();
    let limit = cluster::SimTime(now.0 + STEP_MILLIS);
    let target = session
        .cluster
        .next_wakeup()
        .filter(|t| *t <= limit)
        .unwrap_or(limit);
    let millis = target.0.saturating_sub(now.0);
    session.cluster.advance(cluster::SimDuration(millis));
    millis
}

/// "Fast-forward until settled": the cluster is settled once no object but Leases and Events
/// (the node heartbeats and the event stream) has changed for this long in simulated time.
pub const SETTLE_QUIET_MILLIS: u64 = 60_000;
/// The most a fast-forward advances (a pod in CrashLoopBackOff never settles for long).
pub const SETTLE_LIMIT_MILLIS: u64 = 30 * 60_000;

/// How many steps in a row fast-forward lets do work at one instant before it moves the clock.
const MAX_STEPS_IN_PLACE: u32 = 64;

/// Controllers whose timers come round for ever: they do not keep a cluster from settling.
const PERIODIC_CONTROLLERS: [&str; 2] = ["cronjob", "horizontalpodautoscaler"];

/// How a fast-forward ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FastForward {
    /// Simulated milliseconds advanced.
    pub advanced_millis: u64,
    /// Whether the cluster settled ([`SETTLE_QUIET_MILLIS`] without a change) before
    /// [`SETTLE_LIMIT_MILLIS`].
    pub settled: bool,
}

/// The fast-forward button: steps from one due moment to the next (as Step does) until the
/// cluster has been quiet for [`SETTLE_QUIET_MILLIS`] with no one-off controller timer pending
/// (a failed node's pods are evicted and replaced first), or [`SETTLE_LIMIT_MILLIS`] have
/// passed.
pub fn fast_forward_until_settled(session: &mut Session) -> FastForward {
    let start = session.cluster.now().0;
    let mut last_change = start;
    let mut seen = session.cluster.resource_version();
    let mut steps_in_place = 0;
    loop {
        // A step that only did the work due at this instant moves no time; should the control
        // loops keep writing at one instant, the clock moves on by itself after a while.
        if step_to_next_change(session) == 0 {
            steps_in_place += 1;
            if steps_in_place >= MAX_STEPS_IN_PLACE {
                session.cluster.advance(cluster::SimDuration(1_000));
                steps_in_place = 0;
            }
        } else {
            steps_in_place = 0;
        }
        let now = session.cluster.now().0;
        let changed = session
            .cluster
            .watch_since(seen)
            .any(|event| !matches!(event.object.kind(), "Lease" | "Event"));
        seen = session.cluster.resource_version();
        if changed {
            last_change = now;
        }
        // A one-off controller timer (a failed node's grace period, its pods' eviction, a
        // retry) means something is still to happen; a CronJob's schedule or an autoscaler's
        // sync come round for ever and do not count.
        let timer_pending = session
            .cluster
            .controller_timers()
            .iter()
            .any(|(controller, at)| {
                !PERIODIC_CONTROLLERS.contains(controller) && at.0 <= start + SETTLE_LIMIT_MILLIS
            });
        if now - last_change >= SETTLE_QUIET_MILLIS && !timer_pending {
            return FastForward {
                advanced_millis: now - start,
                settled: true,
            };
        }
        if now - start >= SETTLE_LIMIT_MILLIS {
            return FastForward {
                advanced_millis: now - start,
                settled: false,
            };
        }
    }
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
pub const EXPECTED_FINGERPRINT: u64 = 0x79ef_8c3f_4b8b_e341;

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
        session.cluster.advance(cluster::SimDuration::from_secs(5));
        run_terminal_line(&mut session, "kubectl run probe --image=nginx");
        session.cluster.advance(cluster::SimDuration::from_secs(5));
        assert!(!object_rows(&session).iter().any(|r| r.kind == "Event"));
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
    fn kubectl_edit_opens_the_object_in_the_editor() {
        let mut session = Session::new(1);
        let (text, buffer) = run_terminal_line_with_editor(&mut session, "kubectl edit ns default");
        assert_eq!(text, "$ kubectl edit ns default\n");
        let buffer = buffer.expect("a buffer for the editor");
        assert!(buffer.starts_with(
            "# Please edit the object below. Lines beginning with a '#' will be ignored,\n"
        ));
        assert!(buffer.contains("\nkind: Namespace\n"), "{buffer}");
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

    #[test]
    fn the_inspector_runs_our_kubectl_for_the_selected_object() {
        let mut session = Session::new(1);
        apply_text(&mut session, TEMPLATES[0].1);
        session.cluster.advance(cluster::SimDuration::from_secs(20));
        let pod = Selection {
            kind: "Pod".into(),
            namespace: "default".into(),
            name: "nginx".into(),
        };
        assert_eq!(
            inspector_command(&pod, InspectorTab::Describe),
            "kubectl describe pod nginx -n default"
        );
        assert_eq!(
            inspector_command(&pod, InspectorTab::Events),
            "kubectl events --for pod/nginx -n default"
        );
        let describe = inspector_text(&mut session, &pod, InspectorTab::Describe);
        assert!(describe.starts_with("Name:"), "{describe}");
        assert!(describe.contains("Status:           Running"), "{describe}");
        let yaml = inspector_text(&mut session, &pod, InspectorTab::Yaml);
        assert!(yaml.starts_with("apiVersion: v1\nkind: Pod\n"), "{yaml}");
        assert_eq!(object_yaml(&mut session, &pod), Some(yaml));
        let events = inspector_text(&mut session, &pod, InspectorTab::Events);
        assert!(events.contains("Scheduled"), "{events}");
        let node = Selection {
            kind: "Node".into(),
            namespace: String::new(),
            name: "node-1".into(),
        };
        assert_eq!(
            inspector_command(&node, InspectorTab::Yaml),
            "kubectl get node node-1 -o yaml"
        );
        assert!(inspector_text(&mut session, &node, InspectorTab::Describe).starts_with("Name:"));
        let deleted = run_page_request(&mut session, &delete_selection_line(&pod));
        assert_eq!(
            deleted.output,
            "pod \"nginx\" deleted from default namespace\n"
        );
        assert_eq!(object_yaml(&mut session, &pod), None);
    }

    #[test]
    fn inspector_actions_are_the_kubectl_lines_a_user_would_type() {
        let mut session = Session::new(1);
        apply_text(&mut session, STARTER_MANIFEST);
        session.cluster.advance(cluster::SimDuration::from_secs(20));
        let web = Selection {
            kind: "Deployment".into(),
            namespace: "default".into(),
            name: "web".into(),
        };
        assert!(scalable(&web.kind) && restartable(&web.kind));
        assert_eq!(replicas_of(&session, &web), Some(2));
        assert_eq!(
            scale_line(&web, 3),
            "kubectl scale deployment web -n default --replicas=3"
        );
        let text = run_terminal_line(&mut session, &scale_line(&web, 3));
        assert!(text.ends_with("deployment.apps/web scaled\n"), "{text}");
        assert_eq!(replicas_of(&session, &web), Some(3));
        let text = run_terminal_line(&mut session, &rollout_restart_line(&web));
        assert!(text.ends_with("deployment.apps/web restarted\n"), "{text}");
        run_terminal_line(
            &mut session,
            "kubectl run box --image=busybox -- sleep 3600",
        );
        session.cluster.advance(cluster::SimDuration::from_secs(20));
        let pod = Selection {
            kind: "Pod".into(),
            namespace: "default".into(),
            name: "box".into(),
        };
        assert_eq!(replicas_of(&session, &pod), None);
        assert!(InspectorTab::Logs.applies_to("Pod") && !InspectorTab::Logs.applies_to("Node"));
        let line = exec_line(&pod, Some("box"), "echo \"it's $HOSTNAME\"");
        assert_eq!(
            line,
            "kubectl exec box -n default -c box -- sh -c 'echo \"it'\\''s $HOSTNAME\"'"
        );
        assert_eq!(
            run_terminal_line(&mut session, &line),
            format!("$ {line}\nit's box\n")
        );
        assert_eq!(
            logs_command(&pod, Some("box"), true),
            "kubectl logs box -n default -c box --previous"
        );
        let previous = run_terminal_line(&mut session, &logs_command(&pod, Some("box"), true));
        assert!(
            previous.contains("previous terminated container"),
            "{previous}"
        );
        assert_eq!(shell_quote("web-1"), "web-1");
        assert_eq!(shell_quote(""), "''");
    }

    #[test]
    fn the_delete_button_deletes_what_the_editor_names() {
        let mut session = Session::new(1);
        apply_text(&mut session, STARTER_MANIFEST);
        let result = delete_text(&mut session, STARTER_MANIFEST);
        assert_eq!(result.errors, vec![]);
        assert!(
            result.output.contains("deployment.apps \"web\" deleted"),
            "{}",
            result.output
        );
        let again = delete_text(&mut session, STARTER_MANIFEST);
        assert!(
            again.errors[0].message.contains("NotFound"),
            "{:?}",
            again.errors
        );
        let broken = delete_text(&mut session, "kind: [\n");
        assert!(broken.errors[0].line.is_some());
    }

    #[test]
    fn the_events_pane_lists_events_oldest_first() {
        let mut session = Session::new(1);
        apply_text(&mut session, TEMPLATES[0].1);
        session.cluster.advance(cluster::SimDuration::from_secs(20));
        let text = events_text(&mut session);
        assert!(text.starts_with("NAMESPACE"), "{text}");
        let scheduled = text.find("Scheduled").expect("scheduled");
        let started = text.find("Started").expect("started");
        assert!(scheduled < started, "{text}");
    }

    #[test]
    fn the_events_pane_keeps_the_header_and_the_newest_rows() {
        assert_eq!(newest_rows("", 2), "");
        assert_eq!(newest_rows("H\na\nb\n", 2), "H\na\nb\n");
        assert_eq!(
            newest_rows("H\na\nb\nc\n", 2),
            "H\n… 1 older events not shown\nb\nc\n"
        );
        assert_eq!(newest_rows("No events found.\n", 2), "No events found.\n");
    }

    #[test]
    fn while_paused_a_request_waits_for_the_first_step() {
        let mut session = Session::new(1);
        session.react_instantly = false;
        apply_text(&mut session, TEMPLATES[0].1);
        let unbound = |session: &Session| {
            crate::graph::graph_model(&session.cluster.snapshot().store)
                .pods
                .iter()
                .any(|p| p.node.is_none())
        };
        assert!(unbound(&session), "the new pod waits in the queue");
        assert_eq!(
            step_to_next_change(&mut session),
            0,
            "the first step lets the loops react"
        );
        assert!(!unbound(&session), "and the scheduler has bound it");
    }

    #[test]
    fn the_page_s_own_requests_leave_a_terminal_stream_running() {
        let mut session = Session::new(1);
        session.react_instantly = false;
        run_terminal_line(
            &mut session,
            "kubectl create deployment streamed --image=nginx:1.27",
        );
        let first = run_terminal_line(&mut session, "kubectl get pods -w");
        assert!(first.contains("No resources found"), "{first}");
        session.react_instantly = true;
        let mut text = String::new();
        for _ in 0..50 {
            session.cluster.advance(cluster::SimDuration(200));
            // The events pane asks for events on every change.
            let _ = session.run_line("kubectl events -A", &NoFiles);
            text.push_str(&stream_output(&mut session));
        }
        let lines: Vec<&str> = text.lines().collect();
        assert!(lines[0].starts_with("NAME "), "{text}");
        assert!(lines.iter().any(|l| l.contains("Running")), "{text}");
        // The header is laid out with the first row.
        assert_eq!(lines[0].find("READY"), lines[1].find("0/1"), "{text}");
    }

    #[test]
    fn a_watch_streams_into_the_terminal_as_time_passes_until_ctrl_c() {
        let mut session = Session::new(1);
        run_terminal_line(
            &mut session,
            "kubectl create deployment web --image=nginx --replicas=1",
        );
        let first = run_terminal_line(&mut session, "kubectl get pods -w");
        assert!(first.contains("ContainerCreating"), "{first}");
        session.cluster.advance(cluster::SimDuration::from_secs(10));
        let streamed = stream_output(&mut session);
        assert!(streamed.contains("Running"), "{streamed}");
        assert!(!streamed.contains("NAME"), "no second header: {streamed}");
        assert_eq!(interrupt(&mut session), "^C\n");
        run_terminal_line(&mut session, "kubectl scale deployment web --replicas=2");
        session.cluster.advance(cluster::SimDuration::from_secs(10));
        assert_eq!(stream_output(&mut session), "", "the stream ended");
        assert_eq!(interrupt(&mut session), "", "nothing to interrupt");
    }

    #[test]
    fn a_step_stops_at_the_next_change_or_after_ten_seconds() {
        let mut session = Session::new(1);
        // Nothing to do: a step is the full ten seconds.
        assert_eq!(step_to_next_change(&mut session), STEP_MILLIS);
        apply_text(&mut session, TEMPLATES[0].1);
        // The scheduler bound the new pod at once; the next step is the kubelet's sandbox.
        let first = step_to_next_change(&mut session);
        assert!(first > 0 && first < STEP_MILLIS, "{first}");
        let mut steps = 1;
        let mut statuses = vec![];
        for _ in 0..40 {
            let model = crate::graph::graph_model(&session.cluster.snapshot().store);
            let status = model.pods[0].status.clone();
            if statuses.last() != Some(&status) {
                statuses.push(status.clone());
            }
            if status == "Running" {
                break;
            }
            assert!(step_to_next_change(&mut session) <= STEP_MILLIS);
            steps += 1;
        }
        assert_eq!(
            statuses.last().map(String::as_str),
            Some("Running"),
            "{statuses:?}"
        );
        assert!(
            steps > 2,
            "the pod's start is spread over several steps ({steps})"
        );
        // Slicing does not change what happens: the same run in two advances ends identically.
        let mut whole = Session::new(1);
        whole.cluster.advance(cluster::SimDuration(STEP_MILLIS));
        apply_text(&mut whole, TEMPLATES[0].1);
        let elapsed = session.cluster.now().0 - STEP_MILLIS;
        whole.cluster.advance(cluster::SimDuration(elapsed));
        assert_eq!(
            run_terminal_line(&mut whole, "kubectl get pod nginx -o yaml"),
            run_terminal_line(&mut session, "kubectl get pod nginx -o yaml")
        );
    }

    /// Deployment `web` of nginx with `replicas` pods.
    fn web_deployment(replicas: u32) -> String {
        format!("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: {replicas}\n  selector:\n    matchLabels: {{app: web}}\n  template:\n    metadata:\n      labels: {{app: web}}\n    spec:\n      containers:\n      - name: web\n        image: nginx:1.27\n")
    }

    #[test]
    fn fast_forward_stops_once_the_rollout_is_done_and_the_cluster_quiet() {
        let mut session = Session::new(1);
        // Paused: the Deployment waits for time to pass.
        session.react_instantly = false;
        assert!(apply_text(&mut session, &web_deployment(3))
            .errors
            .is_empty());
        let result = fast_forward_until_settled(&mut session);
        assert!(result.settled, "{result:?}");
        // The pods start within seconds; then a quiet minute (node heartbeats do not count).
        assert!(
            result.advanced_millis >= SETTLE_QUIET_MILLIS
                && result.advanced_millis < SETTLE_QUIET_MILLIS + 20_000,
            "{result:?}"
        );
        let pods = run_terminal_line(&mut session, "kubectl get deployment web");
        assert!(pods.contains("3/3"), "{pods}");
        // Settled already: the next fast-forward is the quiet minute alone.
        let again = fast_forward_until_settled(&mut session);
        assert!(
            again.settled && again.advanced_millis <= SETTLE_QUIET_MILLIS + 10_000,
            "{again:?}"
        );
    }

    #[test]
    fn fast_forward_settles_between_crash_loop_restarts() {
        let mut session = Session::new(1);
        let crashing = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: crash\nspec:\n  restartPolicy: Always\n  containers:\n  - name: c\n    image: busybox:1.36\n    command: [sh, -c, 'sleep 1; exit 1']\n";
        assert!(apply_text(&mut session, crashing).errors.is_empty());
        // Restarts back off to five minutes apart: quiet minutes come between them.
        let result = fast_forward_until_settled(&mut session);
        assert!(result.settled, "{result:?}");
        assert!(result.advanced_millis <= SETTLE_LIMIT_MILLIS, "{result:?}");
        let pod = run_terminal_line(&mut session, "kubectl get pod crash");
        assert!(
            pod.contains("CrashLoopBackOff") || pod.contains("Error"),
            "{pod}"
        );
    }

    #[test]
    fn fast_forward_waits_for_a_failed_nodes_pods_to_be_evicted_and_replaced() {
        let mut session = Session::new(1);
        assert!(apply_text(&mut session, &web_deployment(6))
            .errors
            .is_empty());
        assert!(fast_forward_until_settled(&mut session).settled);
        let on_node_3 = |session: &mut Session| {
            run_terminal_line(session, "kubectl get pods -o wide")
                .lines()
                .filter(|l| l.contains(" node-3 ") && l.contains("Running"))
                .count()
        };
        assert!(on_node_3(&mut session) > 0);
        run_terminal_line(&mut session, "cluster fail-node node-3");
        let result = fast_forward_until_settled(&mut session);
        // NotReady after the 40 s grace period, eviction 300 s later (the default
        // tolerations), then the replacements start elsewhere and a quiet minute passes.
        assert!(result.settled, "{result:?}");
        assert!(result.advanced_millis > 340_000, "{result:?}");
        let pods = run_terminal_line(&mut session, "kubectl get deployment web");
        assert!(pods.contains("6/6"), "{pods}");
        assert_eq!(
            on_node_3(&mut session),
            0,
            "{}",
            run_terminal_line(&mut session, "kubectl get pods -o wide")
        );
    }

    #[test]
    fn fast_forward_gives_up_on_a_cluster_that_keeps_changing() {
        let mut session = Session::new(1);
        let cron = "apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: tick\nspec:\n  schedule: \"* * * * *\"\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          restartPolicy: Never\n          containers:\n          - name: c\n            image: busybox:1.36\n            command: [sh, -c, 'sleep 20']\n";
        assert!(apply_text(&mut session, cron).errors.is_empty());
        let result = fast_forward_until_settled(&mut session);
        assert!(!result.settled, "{result:?}");
        assert!(
            (SETTLE_LIMIT_MILLIS..SETTLE_LIMIT_MILLIS + 10_000).contains(&result.advanced_millis),
            "{result:?}"
        );
    }

    #[test]
    fn speeds_map_to_simulated_time_per_tick() {
        assert_eq!(simulated_millis_per_tick(1.0), TICK_MILLIS);
        assert_eq!(simulated_millis_per_tick(0.25), TICK_MILLIS / 4);
        assert_eq!(simulated_millis_per_tick(64.0), TICK_MILLIS * 64);
        assert_eq!(simulated_millis_per_tick(1000.0), TICK_MILLIS);
        assert_eq!(speed_label(0.25), "0.25×");
        assert_eq!(speed_label(64.0), "64×");
    }
}
