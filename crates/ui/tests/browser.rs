//! In headless Chromium (wasm-bindgen-test): the engine decodes and stores in the browser exactly
//! as it does natively, and the page mounts with its parts.
#![cfg(target_arch = "wasm32")]

use ui::engine;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
fn decodes_and_stores_in_the_browser() {
    let mut session = scenario::Session::new(1);
    let result = engine::apply_text(&mut session, engine::STARTER_MANIFEST);
    assert_eq!(
        result.output,
        "deployment.apps/web created\nservice/web created\n"
    );
    let keys: Vec<String> = engine::object_rows(&session)
        .iter()
        .map(engine::ObjectRow::key)
        .collect();
    assert!(
        keys.contains(&"Deployment/default/web".to_string()),
        "{keys:?}"
    );
    let stored = session
        .cluster
        .get(
            model::registry::resolve("deploy").unwrap(),
            "default",
            "web",
        )
        .unwrap();
    // The deployment controller ran in the browser too: it stamped revision 1, and no write is
    // newer than the cluster's resourceVersion.
    let version: u64 = stored
        .metadata()
        .resource_version
        .as_deref()
        .and_then(|v| v.parse().ok())
        .unwrap_or(u64::MAX);
    assert!(version <= session.cluster.resource_version());
    assert_eq!(
        stored
            .metadata()
            .annotations
            .as_ref()
            .and_then(|a| a.get("deployment.kubernetes.io/revision"))
            .map(String::as_str),
        Some("1")
    );
    let created = stored.metadata().creation_timestamp.as_ref().unwrap();
    assert_eq!(created.0.to_string(), "2026-01-01T00:00:00Z");
}

#[wasm_bindgen_test]
fn broken_yaml_reports_line_and_column_in_the_browser() {
    let errors = engine::diagnose("apiVersion: v1\nkind: Pod\nmetadata:\n\tname: x\n");
    assert_eq!(errors[0].line, Some(4));
    assert!(errors[0].column.is_some());
}

#[wasm_bindgen_test]
fn wasm_runs_are_byte_identical_to_native_runs() {
    assert_eq!(
        engine::determinism_fingerprint(1),
        engine::EXPECTED_FINGERPRINT
    );
}

#[wasm_bindgen_test]
async fn the_page_mounts_with_its_parts_and_lists_bootstrap_objects() {
    let document = web_sys::window().unwrap().document().unwrap();
    let root = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&root).unwrap();
    ui::start_in(root);
    // yew renders asynchronously; give it a few turns of the event loop.
    yew::platform::time::sleep(std::time::Duration::from_millis(100)).await;
    for id in [
        "apply",
        "editor",
        "object-list",
        "terminal-input",
        "terminal-output",
        "clock",
        "delete",
        "share",
        "graph",
        "inspector",
        "events",
        "pause",
        "step",
        "speed",
        "language",
    ] {
        let selector = format!("[data-testid={id}]");
        assert!(
            document.query_selector(&selector).unwrap().is_some(),
            "missing {selector}"
        );
    }
    // No CodeMirror bundle in the test page: the plain textarea stands in, holding the starter.
    let editor = document
        .query_selector("[data-testid=editor]")
        .unwrap()
        .unwrap();
    assert_eq!(editor.tag_name(), "TEXTAREA");
    assert!(document
        .query_selector("[data-object=\"Namespace//default\"]")
        .unwrap()
        .is_some());
    assert!(document
        .query_selector("[data-object=\"Service/default/kubernetes\"]")
        .unwrap()
        .is_some());
    // The graph drew the default cluster's four nodes.
    for node in ["control-plane", "node-1", "node-2", "node-3"] {
        let selector = format!("[data-testid=graph] [data-node=\"{node}\"]");
        assert!(
            document.query_selector(&selector).unwrap().is_some(),
            "missing {selector}"
        );
    }
}

#[wasm_bindgen_test]
fn share_links_round_trip_and_refuse_hostile_input_in_the_browser() {
    // The author's page: an Apply and a terminal line, journaled, then time passes.
    let mut author = scenario::Session::new(42);
    let mut journal = ui::journal::Journal::new(42);
    let mut terminal = String::new();
    for input in [
        ui::journal::Input::Apply(engine::STARTER_MANIFEST.to_string()),
        ui::journal::Input::Line("kubectl create deployment web --image=nginx:1.27".into()),
    ] {
        journal.record(&author, input.clone());
        ui::journal::perform(&mut author, &input, &mut terminal);
        author.cluster.advance(cluster::SimDuration(7_300));
    }
    journal.until_millis = author.cluster.now().0;
    let fragment = ui::share::encode_fragment(engine::STARTER_MANIFEST, &journal).unwrap();
    let opened = ui::share::decode_fragment(&format!("#{fragment}")).unwrap();
    assert_eq!(
        opened,
        Some(ui::share::SharedScenario {
            seed: 42,
            text: engine::STARTER_MANIFEST.to_string(),
            journal: Some(journal.clone()),
        })
    );
    // Opening it rebuilds the author's cluster, in wasm as natively.
    let mut replayed = ui::journal::replay(&journal).session;
    assert_eq!(replayed.cluster.now(), author.cluster.now());
    assert_eq!(
        replayed.cluster.event_log_hash(),
        author.cluster.event_log_hash()
    );
    assert_eq!(
        engine::run_terminal_line(&mut replayed, "kubectl get pods -A -o wide"),
        engine::run_terminal_line(&mut author, "kubectl get pods -A -o wide")
    );
    for hostile in ["#s=%%%", "#s=AAAA", "#s=", "#s=eJwDAAAAAAE"] {
        let result = ui::share::decode_fragment(hostile);
        let error = result.expect_err(hostile);
        assert!(error.message().starts_with("share link: "), "{hostile}");
    }
    // A bomb: 4 MiB of one byte inflates past the cap and stops there.
    let mut payload = vec![1u8, 0, 0, 0, 0, 0, 0, 0, 0];
    payload.extend(std::iter::repeat_n(b'a', 4 * 1024 * 1024));
    let compressed = miniz_oxide::deflate::compress_to_vec(&payload, 6);
    use base64::Engine as _;
    let bomb = format!(
        "#s={}",
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(compressed)
    );
    assert_eq!(
        ui::share::decode_fragment(&bomb),
        Err(ui::share::ShareLinkError::InflatesTooFar)
    );
}

#[wasm_bindgen_test]
fn graph_model_and_layout_in_the_browser() {
    let mut session = scenario::Session::new(1);
    let result = engine::apply_text(&mut session, engine::TEMPLATES[0].1);
    assert_eq!(result.errors, vec![]);
    session.cluster.advance(cluster::SimDuration::from_secs(30));
    let model = ui::graph::graph_model(&session.cluster.snapshot().store);
    let pods = ui::graph::visible_pods(&model, Some("default"));
    assert_eq!(pods.len(), 1);
    assert_eq!(pods[0].status, "Running");
    let layout = ui::graph::layout(&model.nodes, &pods, ui::graph::SVG_CELL);
    let home = model
        .nodes
        .iter()
        .position(|n| Some(&n.name) == pods[0].node.as_ref())
        .unwrap();
    let cell = layout.pods[0];
    assert!(layout.nodes[home].contains(cell.x + cell.width / 2.0, cell.y + cell.height / 2.0));
    assert_eq!(
        ui::graph::level_of_detail(pods.len()),
        ui::graph::Detail::Svg
    );
}
