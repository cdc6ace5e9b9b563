//! The playground page: a yew app, the only crate that knows the browser.
//!
//! - [`app`]: the page — editor panel (Apply, Delete, Share, templates, error panel), the
//!   kubectl terminal, the cluster graph, the object list and inspector, the events pane and the
//!   time controls (play/pause, step, speed), in English or Korean.
//! - [`graph`] / [`graph_view`]: the graph's model and layout maths (DOM-free) and its SVG /
//!   canvas rendering.
//! - [`journal`]: every input the cluster saw, with its simulated instant: autosaved and in
//!   share links, replayed on a fresh cluster to rebuild the same state (DOM-free).
//! - [`share`]: share links (compressed editor text + journal in the URL fragment, size-capped).
//! - [`i18n`]: the page's own labels in English and Korean.
//! - `page_state`: what the page keeps between renders and how a load starts it;
//!   [`address`]: the address bar's fragment.
//! - [`editor`]: the CodeMirror 6 editor behind `window.kubeplayEditor` (web/editor.js, bundled
//!   by esbuild in Trunk's pre-build hook), with a plain textarea if the bundle is missing.
//! - [`storage`]: autosave of the editor text, terminal history and journal (localStorage).
//! - [`engine`]: the page's bridge to the engine — applying editor text, listing objects, running
//!   terminal lines — plain Rust with no DOM, so it is tested natively and in the browser alike.
//!
//! - [`traffic`]: which requests the graph animates along its Service edges (the cluster's
//!   record of answered requests, the Service a terminal line's URL names), DOM-free.
//! - [`export`]: "Export for a real cluster" — manifests.yaml and a script of the journal.
//! - [`faults`]: the fault menus' items, each the `cluster …` / kubectl line it runs.
//! - [`completion`]: the terminal's Tab completion (verbs, kinds, object names).
//! - [`frame_bench`]: `?bench=PODS` — the graph alone on a synthetic cluster, for the frame-time
//!   bench (`bench/page-frame-time.mjs`).

pub mod address;
pub mod app;
pub mod completion;
pub mod editor;
pub mod engine;
pub mod export;
pub mod faults;
pub mod frame_bench;
pub mod graph;
pub mod graph_view;
pub mod i18n;
pub mod journal;
pub mod lessons;
pub mod page_state;
pub mod share;
pub mod storage;
pub mod traffic;

/// Mounts the app on `<body>` (or, for `?bench=PODS`, the graph's frame-time bench).
pub fn start() {
    let search = web_sys::window()
        .and_then(|w| w.location().search().ok())
        .unwrap_or_default();
    if let Some((pods, churn)) = frame_bench::bench_request(&search) {
        yew::Renderer::<frame_bench::FrameBench>::with_props(frame_bench::FrameBenchProps {
            pods,
            churn,
        })
        .render();
        return;
    }
    yew::Renderer::<app::App>::new().render();
}

/// Mounts the app inside `root` (tests mount it beside the test runner's own output).
pub fn start_in(root: web_sys::Element) {
    yew::Renderer::<app::App>::with_root(root).render();
}
