//! The page's state between renders ([`PageState`]) and how a page load starts it
//! ([`initial_state`]: autosaved text, or a share link's text and seed, keeping the autosave).
//! DOM-free apart from storage and the address bar; the component lives in [`crate::app`].

use std::rc::Rc;

use scenario::Session;

use crate::editor::EditorHandle;
use crate::engine::{self, EditorError, InspectorTab, Selection};
use crate::graph::{self, GraphModel};
use crate::i18n::{Language, Notice};
use crate::share;

/// Everything the page keeps between renders. Behind `Rc<RefCell<…>>`: the engine is mutated by
/// event handlers, and a forced update triggers the re-render.
pub(crate) struct PageState {
    pub(crate) session: Session,
    pub(crate) editor_text: String,
    pub(crate) editor: Option<EditorHandle>,
    pub(crate) errors: Vec<EditorError>,
    pub(crate) apply_output: String,
    /// A one-line notice about what the page just did (share link made or opened, Edit).
    pub(crate) notice: Option<Notice>,
    /// The link the Share button made, shown for copying.
    pub(crate) share_link: Option<String>,
    pub(crate) terminal: String,
    pub(crate) history: Vec<String>,
    pub(crate) history_position: usize,
    /// Whether simulated time runs by itself, and how fast.
    pub(crate) playing: bool,
    pub(crate) speed: f64,
    /// The graph's model and the object list, and the resourceVersion they were read at
    /// (re-read only when the cluster changed).
    pub(crate) graph: Rc<GraphModel>,
    pub(crate) graph_reader: graph::GraphReader,
    pub(crate) rows: Rc<Vec<engine::ObjectRow>>,
    pub(crate) graph_version: u64,
    pub(crate) selection: Option<Selection>,
    pub(crate) tab: InspectorTab,
    pub(crate) language: Language,
    /// Whether a replaced editor text can be restored.
    pub(crate) previous_text_available: bool,
    /// The events pane and inspector texts, re-run only when the cluster or the simulated second
    /// changed (ages print in seconds), not on every tick.
    pub(crate) events_cache: Option<(ViewInstant, String)>,
    pub(crate) inspector_cache: Option<(ViewInstant, Selection, InspectorTab, String)>,
}

/// What a kubectl read depends on: the store's resourceVersion and the simulated second.
pub(crate) type ViewInstant = (u64, u64);

impl PageState {
    pub(crate) fn current_text(&self) -> String {
        self.editor
            .and_then(EditorHandle::text)
            .unwrap_or_else(|| self.editor_text.clone())
    }

    /// Called on every edit: autosave, and underline what the decoder would refuse.
    pub(crate) fn edited(&mut self, text: String) {
        crate::storage::save_editor_text(&text);
        let errors = engine::diagnose(&text);
        if let Some(editor) = self.editor {
            editor.set_diagnostics(&errors);
        }
        self.editor_text = text;
    }

    /// Replaces the editor's text without losing the old one: it is kept in storage (the
    /// "restore" button) and, in CodeMirror, one Ctrl+Z away.
    pub(crate) fn replace_editor_text(&mut self, text: String) {
        let old = self.current_text();
        if old != text {
            crate::storage::save_previous_text(&old);
            self.previous_text_available = true;
        }
        if let Some(editor) = self.editor {
            editor.set_text(&text);
        }
        self.edited(text);
    }

    pub(crate) fn show_result(&mut self, result: engine::ApplyResult) {
        if let Some(editor) = self.editor {
            editor.set_diagnostics(&result.errors);
        }
        self.errors = result.errors;
        self.apply_output = result.output;
    }

    pub(crate) fn apply(&mut self) {
        let text = self.current_text();
        let result = engine::apply_text(&mut self.session, &text);
        self.show_result(result);
    }

    pub(crate) fn delete_editor_objects(&mut self) {
        let text = self.current_text();
        let result = engine::delete_text(&mut self.session, &text);
        self.show_result(result);
    }

    /// Re-reads the graph's model and the object list when the cluster changed since the last
    /// read.
    pub(crate) fn refresh_graph(&mut self) {
        let version = self.session.cluster.resource_version();
        if version != self.graph_version {
            let store = self.session.cluster.snapshot().store;
            let mut model = self.graph_reader.read(&store);
            graph::add_scheduling_diagnoses(&mut model, &self.session.cluster);
            self.graph = Rc::new(model);
            self.rows = Rc::new(engine::object_rows(&self.session));
            self.graph_version = version;
        }
    }

    pub(crate) fn view_instant(&self) -> ViewInstant {
        (
            self.session.cluster.resource_version(),
            self.session.cluster.now().0 / 1000,
        )
    }

    pub(crate) fn events_pane_text(&mut self) -> String {
        let instant = self.view_instant();
        if let Some((cached_at, text)) = &self.events_cache {
            if *cached_at == instant {
                return text.clone();
            }
        }
        let text = engine::newest_rows(
            &engine::events_text(&mut self.session),
            engine::EVENTS_PANE_ROWS,
        );
        self.events_cache = Some((instant, text.clone()));
        text
    }

    /// The selected object, the command its tab runs and what that printed.
    pub(crate) fn inspector_view(&mut self) -> Option<(Selection, String, String)> {
        let selection = self.selection.clone()?;
        let tab = self.tab;
        let command = engine::inspector_command(&selection, tab);
        let instant = self.view_instant();
        if let Some((cached_at, cached_selection, cached_tab, text)) = &self.inspector_cache {
            if *cached_at == instant && *cached_selection == selection && *cached_tab == tab {
                return Some((selection, command, text.clone()));
            }
        }
        let text = engine::inspector_text(&mut self.session, &selection, tab);
        self.inspector_cache = Some((instant, selection.clone(), tab, text.clone()));
        Some((selection, command, text))
    }

    pub(crate) fn advance(&mut self, millis: u64) {
        self.session.cluster.advance(cluster::SimDuration(millis));
        self.follow_streams();
    }

    /// Appends what an open `get -w` / `logs -f` stream printed meanwhile to the terminal.
    pub(crate) fn follow_streams(&mut self) {
        let text = crate::engine::stream_output(&mut self.session);
        self.terminal.push_str(&text);
    }
}

fn initial_language() -> Language {
    let saved = crate::storage::load_language();
    let browser = web_sys::window().and_then(|w| w.navigator().language());
    Language::from_code(saved.or(browser).as_deref().unwrap_or(""))
}

/// The first state: the autosaved text, or — when the page was opened from a share link — the
/// link's text and seed (the autosaved text is kept as the "previous text", never dropped).
pub(crate) fn initial_state() -> PageState {
    let history = crate::storage::load_history();
    let autosaved = crate::storage::load_editor_text();
    let mut seed = scenario::session::DEFAULT_SEED;
    let mut editor_text = autosaved
        .clone()
        .unwrap_or_else(|| engine::STARTER_MANIFEST.to_string());
    let mut errors = Vec::new();
    let mut notice = None;
    let mut previous_text_available = false;
    match share::decode_fragment(&crate::address::location_hash()) {
        Ok(None) => {}
        Ok(Some(shared)) => {
            if let Some(autosaved) = autosaved.filter(|t| *t != shared.text) {
                crate::storage::save_previous_text(&autosaved);
                previous_text_available = true;
            }
            crate::storage::save_editor_text(&shared.text);
            notice = Some(Notice::SharedLinkOpened { seed: shared.seed });
            seed = shared.seed;
            editor_text = shared.text;
            // A reload now restores the autosave rather than re-opening the link.
            crate::address::replace_address_fragment(None);
        }
        Err(error) => errors.push(EditorError {
            line: None,
            column: None,
            message: error.message(),
        }),
    }
    PageState {
        session: Session::new(seed),
        editor_text,
        editor: None,
        errors,
        apply_output: String::new(),
        notice,
        share_link: None,
        terminal: String::new(),
        history_position: history.len(),
        history,
        playing: true,
        speed: 1.0,
        graph: Rc::new(GraphModel::default()),
        graph_reader: graph::GraphReader::default(),
        rows: Rc::new(Vec::new()),
        graph_version: u64::MAX,
        selection: None,
        tab: InspectorTab::Describe,
        language: initial_language(),
        previous_text_available,
        events_cache: None,
        inspector_cache: None,
    }
}
