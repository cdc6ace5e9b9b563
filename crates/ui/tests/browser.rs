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
    // The Deployment was the second-to-last write (the Service came after it).
    let expected = (session.cluster.resource_version() - 1).to_string();
    assert_eq!(
        stored.metadata().resource_version.as_deref(),
        Some(expected.as_str())
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
}
