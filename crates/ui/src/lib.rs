//! The playground page: a yew app, the only crate that knows the browser.
//!
//! - [`app`]: the page — editor panel (Apply, error panel), the list of objects in the cluster,
//!   the kubectl terminal and the simulated clock.
//! - [`editor`]: the CodeMirror 6 editor behind `window.kubeplayEditor` (web/editor.js, bundled
//!   by esbuild in Trunk's pre-build hook), with a plain textarea if the bundle is missing.
//! - [`storage`]: autosave of the editor text and terminal history (localStorage).
//! - [`engine`]: the page's bridge to the engine — applying editor text, listing objects, running
//!   terminal lines — plain Rust with no DOM, so it is tested natively and in the browser alike.
//!
//! The animated graph, inspector, time controls, tutorials and share links come with the
//! playground-page issue.

pub mod app;
pub mod editor;
pub mod engine;
pub mod graph;
pub mod share;
pub mod storage;

/// Mounts the app on `<body>`.
pub fn start() {
    yew::Renderer::<app::App>::new().render();
}

/// Mounts the app inside `root` (tests mount it beside the test runner's own output).
pub fn start_in(root: web_sys::Element) {
    yew::Renderer::<app::App>::with_root(root).render();
}
