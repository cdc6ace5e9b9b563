use super::*;

/// The text without its `‸` and the cursor's byte offset there.
fn at(marked: &str) -> (String, usize) {
    let offset = marked.find('‸').expect("a ‸ marks the cursor");
    (marked.replacen('‸', "", 1), offset)
}

fn completions(marked: &str) -> Completions {
    let (text, offset) = at(marked);
    complete(&text, offset)
}

fn labels(marked: &str) -> Vec<String> {
    completions(marked)
        .candidates
        .into_iter()
        .map(|c| c.label)
        .collect()
}

#[track_caller]
fn offers(marked: &str, expected: &[&str]) {
    let got = labels(marked);
    for e in expected {
        assert!(
            got.iter().any(|g| g == e),
            "{e} not among {got:?} for\n{marked}"
        );
    }
}

#[track_caller]
fn lacks(marked: &str, unexpected: &[&str]) {
    let got = labels(marked);
    for e in unexpected {
        assert!(
            !got.iter().any(|g| g == e),
            "{e} among {got:?} for\n{marked}"
        );
    }
}

fn hover_text(marked: &str) -> Option<String> {
    let (text, offset) = at(marked);
    hover(&text, offset).map(|h| h.text)
}

const DEPLOYMENT: &str = "apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 2
  template:
    spec:
      containers:
      - name: web
        image: nginx
        ports:
        - containerPort: 80
";

#[test]
fn top_level_fields_of_the_kind() {
    offers(
        "apiVersion: v1\nkind: Pod\n‸",
        &["apiVersion", "kind", "metadata", "spec"],
    );
    let c = completions("apiVersion: v1\nkind: Pod\nsp‸");
    assert_eq!((c.from, c.to), (25, 27));
    let spec = c.candidates.iter().find(|c| c.label == "spec").unwrap();
    assert_eq!(spec.detail, "<PodSpec>");
    assert_eq!(spec.insert, "spec:");
    assert_eq!(spec.kind, CandidateKind::Field);
    // The kind may come after the cursor.
    offers(
        "apiVersion: apps/v1\n‸\nkind: Deployment\n",
        &["spec", "metadata"],
    );
}

#[test]
fn metadata_fields() {
    let c = completions("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  na‸\n");
    let name = c.candidates.iter().find(|c| c.label == "name").unwrap();
    assert_eq!(name.detail, "<string>");
    assert_eq!(name.insert, "name: ");
    offers(
        "kind: ConfigMap\nmetadata:\n  ‸",
        &["labels", "namespace", "annotations"],
    );
    // Map keys are the user's own: nothing to offer under labels.
    assert_eq!(
        labels("kind: Pod\nmetadata:\n  labels:\n    ‸"),
        Vec::<String>::new()
    );
}

#[test]
fn deployment_spec_and_nested_lists() {
    let spec = DEPLOYMENT.replace("  replicas: 2\n", "  re‸\n");
    offers(&spec, &["replicas", "revisionHistoryLimit"]);
    let replicas = completions(&spec)
        .candidates
        .into_iter()
        .find(|c| c.label == "replicas")
        .unwrap();
    assert_eq!(replicas.detail, "<integer>");
    let selector = DEPLOYMENT.replace("  replicas: 2\n", "  ‸\n");
    let selector = completions(&selector)
        .candidates
        .into_iter()
        .find(|c| c.label == "selector")
        .unwrap();
    assert_eq!(selector.detail, "<LabelSelector> -required-");
    // A container (a `- ` element at the key's own column, and the element's next lines).
    offers(
        &DEPLOYMENT.replace("        image: nginx\n", "        ‸\n"),
        &["image", "imagePullPolicy", "ports"],
    );
    offers(
        &DEPLOYMENT.replace("      - name: web\n", "      - ‸\n"),
        &["name", "image"],
    );
    // A port under spec.template.spec.containers[].ports[].
    offers(
        &format!("{DEPLOYMENT}          ‸"),
        &["protocol", "hostPort", "name"],
    );
    lacks(&format!("{DEPLOYMENT}          ‸"), &["image"]);
    offers(&format!("{DEPLOYMENT}        - ‸"), &["containerPort"]);
    // Back out to the container, to the pod spec.
    offers(&format!("{DEPLOYMENT}        ‸"), &["image", "resources"]);
    offers(
        &format!("{DEPLOYMENT}      ‸"),
        &["containers", "restartPolicy", "volumes"],
    );
    offers(&format!("{DEPLOYMENT}  ‸"), &["strategy", "template"]);
    offers(&format!("{DEPLOYMENT}‸"), &["status", "spec"]);
    // Lists indented under their key, several markers on one line.
    offers(
        "kind: Pod\nspec:\n  containers:\n    - name: a\n      ‸",
        &["image", "command"],
    );
    offers(
        "kind: Pod\nspec:\n  containers:\n    - name: a\n      env:\n        - name: X\n          ‸",
        &["value", "valueFrom"],
    );
}

#[test]
fn key_before_a_colon_is_replaced_without_a_second_colon() {
    let (text, offset) = at("kind: Pod\nspec:\n  rest‸artPolicy: Always\n");
    let c = complete(&text, offset);
    assert_eq!(&text[c.from..c.to], "restartPolicy");
    let r = c
        .candidates
        .iter()
        .find(|c| c.label == "restartPolicy")
        .unwrap();
    assert_eq!(r.insert, "restartPolicy");
}

#[test]
fn enum_values_from_descriptions() {
    let pull = format!("{DEPLOYMENT}        imagePullPolicy: ‸");
    assert_eq!(labels(&pull), ["Always", "Never", "IfNotPresent"]);
    let c = completions(&format!("{DEPLOYMENT}        imagePullPolicy: If‸"));
    let (text, _) = at(&format!("{DEPLOYMENT}        imagePullPolicy: If‸"));
    assert_eq!(&text[c.from..c.to], "If");
    assert_eq!(c.candidates[0].kind, CandidateKind::Value);
    offers(
        "kind: Pod\nspec:\n  restartPolicy: ‸",
        &["Always", "OnFailure", "Never"],
    );
    offers(
        "apiVersion: v1\nkind: Service\nspec:\n  type: ‸",
        &["ClusterIP", "NodePort", "LoadBalancer", "ExternalName"],
    );
    offers(
        "kind: Service\nspec:\n  ports:\n  - protocol: ‸",
        &["TCP", "UDP", "SCTP"],
    );
    offers(
        "kind: Service\nspec:\n  sessionAffinity: \"‸\"",
        &["ClientIP", "None"],
    );
    offers(
        "kind: Deployment\nspec:\n  strategy:\n    type: ‸",
        &["Recreate", "RollingUpdate"],
    );
    offers(
        "kind: Pod\nspec:\n  dnsPolicy: ‸",
        &["ClusterFirst", "ClusterFirstWithHostNet", "Default", "None"],
    );
    offers(
        "apiVersion: batch/v1\nkind: CronJob\nspec:\n  concurrencyPolicy: ‸",
        &["Allow", "Forbid", "Replace"],
    );
    offers("kind: Pod\nspec:\n  hostNetwork: ‸", &["true", "false"]);
    // A field without enumerated values, a value inside a quoted string.
    assert!(labels("kind: Pod\nspec:\n  nodeName: ‸").is_empty());
    let (text, offset) = at("kind: Service\nspec:\n  type: \"No‸\"");
    let c = complete(&text, offset);
    assert_eq!(&text[c.from..c.to], "No");
}

#[test]
fn described_values_read_kubernetes_phrasings() {
    assert_eq!(
        described_values("Foo.\n\nPossible enum values:\n - `\"Always\"` means always.\n - `\"Never\"` means never."),
        ["Always", "Never"]
    );
    assert_eq!(
        described_values("Must be UDP, TCP, or SCTP. Defaults to \"TCP\"."),
        ["UDP", "TCP", "SCTP"]
    );
    assert_eq!(
        described_values("Valid options are Retain (default for manual ones), Delete (default for dynamic ones), and Recycle (deprecated)."),
        ["Retain", "Delete", "Recycle"]
    );
    assert!(described_values("name must be a DNS_LABEL and unique.").is_empty());
    assert!(described_values("Must be specified. One of the containers.").is_empty());
}

#[test]
fn api_versions_and_kinds() {
    offers(
        "apiVersion: ‸",
        &[
            "v1",
            "apps/v1",
            "batch/v1",
            "networking.k8s.io/v1",
            "autoscaling/v2",
        ],
    );
    // Only those serving the document's kind.
    assert_eq!(labels("apiVersion: ‸\nkind: Deployment\n"), ["apps/v1"]);
    assert_eq!(
        labels("apiVersion: ‸\nkind: HorizontalPodAutoscaler\n"),
        ["autoscaling/v2", "autoscaling/v1"]
    );
    offers(
        "apiVersion: apps/v1\nkind: ‸",
        &["Deployment", "StatefulSet", "DaemonSet", "ReplicaSet"],
    );
    lacks("apiVersion: apps/v1\nkind: ‸", &["Pod"]);
    offers("kind: ‸", &["Pod", "Deployment", "Service"]);
    let kinds = completions("apiVersion: apps/v1\nkind: Dep‸");
    let d = kinds
        .candidates
        .iter()
        .find(|c| c.label == "Deployment")
        .unwrap();
    assert_eq!(
        (d.detail.as_str(), d.kind),
        ("apps/v1", CandidateKind::Kind)
    );
    assert_eq!(kinds.from, "apiVersion: apps/v1\nkind: ".len());
    // Nested `kind:` keys are fields, not the document's kind.
    lacks("kind: RoleBinding\nroleRef:\n  kind: ‸", &["Pod"]);
}

#[test]
fn unknown_kind_and_empty_documents() {
    assert_eq!(labels("‸"), ["apiVersion", "kind"]);
    assert_eq!(
        labels("apiVersion: v1\nkind: Gizmo\n‸"),
        ["apiVersion", "kind"]
    );
    assert!(labels("apiVersion: v1\nkind: Gizmo\nspec:\n  ‸").is_empty());
    assert!(hover_text("apiVersion: v1\nkind: Gizmo\nsp‸ec:\n").is_none());
    assert!(hover_text("‸").is_none());
}

#[test]
fn second_document_of_a_stream() {
    let text = "apiVersion: v1\nkind: Service\nspec:\n  type: ClusterIP\n---\napiVersion: apps/v1\nkind: Deployment\nspec:\n  ‸\n";
    offers(text, &["replicas", "strategy"]);
    lacks(text, &["type", "clusterIP"]);
    // And the first one, with the second after it.
    let first =
        "apiVersion: v1\nkind: Service\nspec:\n  ‸\n---\napiVersion: apps/v1\nkind: Deployment\n";
    offers(first, &["type", "clusterIP"]);
    lacks(first, &["replicas"]);
    // On the separator itself: nothing.
    assert!(labels("kind: Pod\n--‸-\nkind: Service\n").is_empty());
    offers("kind: Pod\n---\n‸", &["apiVersion", "kind"]);
    lacks("kind: Pod\n---\n‸", &["spec"]);
}

#[test]
fn broken_yaml_and_block_scalars() {
    // Unparseable lines above the cursor (an unclosed quote, a tab, a stray bracket).
    offers(
        "kind: Pod\nmetadata:\n  name: \"oops\n  labels: [\n\tjunk\nspec:\n  ‸",
        &["containers"],
    );
    // Inside a block scalar nothing is offered; after it the fields are back.
    assert!(labels("kind: ConfigMap\ndata:\n  script: |\n    echo hi\n    ‸").is_empty());
    offers(
        "kind: Pod\nspec:\n  containers:\n  - name: a\n    args:\n    - |\n      while true\n    ‸",
        &["image"],
    );
    // Comments are skipped; the cursor in a comment gets nothing.
    offers(
        "kind: Pod\n# spec:\nspec:\n  # a comment\n  ‸",
        &["containers"],
    );
    assert!(labels("kind: Pod\n# sp‸").is_empty());
    // Windows line ends.
    offers("kind: Pod\r\nspec:\r\n  ‸\r\n", &["containers"]);
}

#[test]
fn cursor_at_end_of_file_and_mid_word() {
    offers(
        "kind: Pod\nspec:\n  containers:\n  - name: a\n    im‸",
        &["image", "imagePullPolicy"],
    );
    let (text, offset) = at("kind: Pod\nspec:\n  containers:\n  - name: a\n    im‸");
    assert_eq!(offset, text.len());
    let c = complete(&text, offset);
    assert_eq!(&text[c.from..c.to], "im");
}

#[test]
fn hover_is_explains_text() {
    let text = DEPLOYMENT.replace("  replicas: 2", "  repl‸icas: 2");
    let (plain, offset) = at(&text);
    let h = hover(&plain, offset).unwrap();
    assert_eq!(&plain[h.from..h.to], "replicas");
    let explained = explain_text("apps", "v1", "Deployment", &["spec", "replicas"], false, 0)
        .ok()
        .unwrap();
    assert_eq!(h.text, explained);
    assert!(h.text.starts_with("GROUP:      apps\nKIND:       Deployment\nVERSION:    v1\n\nFIELD: replicas <integer>\n"), "{}", h.text);
    assert!(h.text.contains("Number of desired pods."), "{}", h.text);
    // Through list elements (explain follows arrays itself).
    let port =
        hover_text(&DEPLOYMENT.replace("- containerPort: 80", "- container‸Port: 80")).unwrap();
    assert!(port.contains("FIELD: containerPort <integer>"), "{port}");
    let name = hover_text(&DEPLOYMENT.replace("- name: web", "- na‸me: web")).unwrap();
    assert!(name.contains("FIELD: name <string>"), "{name}");
    // The kind's own doc on its value; nothing on other values or on the dash.
    let kind = hover_text("apiVersion: v1\nkind: Po‸d\n").unwrap();
    assert!(
        kind.starts_with("KIND:       Pod\nVERSION:    v1\n\nDESCRIPTION:"),
        "{kind}"
    );
    assert!(hover_text(&DEPLOYMENT.replace("image: nginx", "image: ngi‸nx")).is_none());
    assert!(hover_text(&DEPLOYMENT.replace("      - name: web", "      ‸- name: web")).is_none());
    // Map keys have no doc.
    assert!(hover_text("kind: Pod\nmetadata:\n  labels:\n    a‸pp: web\n").is_none());
}

#[test]
fn nothing_panics_on_any_text_or_offset() {
    let pieces = [
        "apiVersion: ",
        "kind: ",
        "Deployment",
        "Pod",
        "\n",
        "\r\n",
        "  ",
        "- ",
        "-",
        ":",
        ": ",
        "spec:",
        "containers:",
        "---",
        "...",
        "\"",
        "'",
        "|",
        ">",
        "#",
        "{",
        "[",
        "é",
        "한국어",
        "🦀",
        "\t",
        "&a ",
        "!!map ",
        "ports:",
        "imagePullPolicy: ",
        "x",
        "\u{a0}",
        "\0",
    ];
    let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
    let mut next = || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    for _ in 0..3_000 {
        let len = (next() % 24) as usize;
        let text: String = (0..len)
            .map(|_| pieces[(next() % pieces.len() as u64) as usize])
            .collect();
        for _ in 0..4 {
            let offset = (next() % (text.len() as u64 + 3)) as usize;
            let c = complete(&text, offset);
            assert!(
                c.from <= c.to && c.to <= text.len(),
                "{text:?} at {offset}: {c:?}"
            );
            assert!(text.is_char_boundary(c.from) && text.is_char_boundary(c.to));
            if let Some(h) = hover(&text, offset) {
                assert!(h.from <= h.to && h.to <= text.len());
            }
        }
        for offset in [0, text.len(), usize::MAX] {
            let _ = complete(&text, offset);
            let _ = hover(&text, offset);
        }
    }
}
