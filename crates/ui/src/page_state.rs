//! The page's state between renders ([`PageState`]) and how a page load starts it
//! ([`initial_state`]: autosaved text, or a share link's text and seed, keeping the autosave).
//! DOM-free apart from storage and the address bar; the component lives in [`crate::app`].

use std::rc::Rc;

use scenario::Session;

use crate::editor::EditorHandle;
use crate::engine::{self, EditorError, InspectorTab, Selection};
use crate::graph::{self, GraphModel};
use crate::i18n::{Language, Notice};
use crate::journal::{self, Input, Journal, Performed};
use crate::lessons::{self, Action, LessonPosition};
use crate::share;
use crate::traffic;

/// Everything the page keeps between renders. Behind `Rc<RefCell<…>>`: the engine is mutated by
/// event handlers, and a forced update triggers the re-render.
pub(crate) struct PageState {
    pub(crate) session: Session,
    /// Every input the cluster saw since it started (autosaved; share links carry it).
    pub(crate) journal: Journal,
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
    /// Whether the restore button brings back a cluster too: a share link replaced the page's
    /// (its journal is in storage); anything else that replaces the text (Edit) clears it.
    pub(crate) previous_cluster_available: bool,
    /// The events pane and inspector texts, re-run only when the cluster or the simulated second
    /// changed (ages print in seconds), not on every tick.
    pub(crate) events_cache: Option<(ViewInstant, String)>,
    pub(crate) inspector_cache: Option<(ViewInstant, String, String)>,
    /// The Logs tab's container (`None`: the pod's first) and `--previous`.
    pub(crate) logs_container: Option<String>,
    pub(crate) logs_previous: bool,
    /// The replica count typed into the inspector's Scale box and not applied yet (a
    /// re-render while the clock runs must not put the live count back under the cursor).
    pub(crate) replicas_draft: Option<String>,
    /// The inspector's last exec: the line and what it printed.
    pub(crate) exec_result: Option<String>,
    /// Which answered requests the graph has already animated, and the requests on their way.
    pub(crate) served_cursor: traffic::ServedCursor,
    pub(crate) flashes: Rc<Vec<traffic::Flash>>,
    pub(crate) next_flash: u64,
    /// The line a first Tab left unchanged (a second Tab on it lists the candidates).
    pub(crate) tab_pending: Option<String>,
    /// `dark` or `light` (remembered), and whether the page is embedded (`?embed=1`: editor
    /// and graph only).
    pub(crate) theme: String,
    pub(crate) embed: bool,
    /// The open lesson and step, and what its check said at a view instant (with the history
    /// length and the step it was for).
    pub(crate) lesson: Option<LessonPosition>,
    pub(crate) lesson_cache: Option<(ViewInstant, usize, LessonPosition, LessonView)>,
}

/// What the lesson panel shows for the open step.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct LessonView {
    pub(crate) position: LessonPosition,
    /// The step's line as it runs now (its placeholder filled in), for a command step.
    pub(crate) command: Option<String>,
    /// Whether the action can run now (not while the line waits for an address).
    pub(crate) runnable: bool,
    pub(crate) done: bool,
}

/// The page's clock for animations (milliseconds); never read by the engine.
pub fn page_millis() -> f64 {
    js_sys::Date::now()
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
        self.previous_cluster_available = false;
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

    /// Journals `input` (autosaved at once) and runs it, as a replay will.
    pub(crate) fn perform(&mut self, input: Input) -> Performed {
        self.journal_input(input.clone());
        journal::perform(&mut self.session, &input, &mut self.terminal)
    }

    /// Records `input` at this instant and autosaves the journal.
    fn journal_input(&mut self, input: Input) {
        self.journal.record(&self.session, input);
        crate::storage::save_journal(&self.journal.encode());
    }

    /// Notes how far the simulated clock has run (a reload replays up to here).
    pub(crate) fn clock_moved(&mut self) {
        let now = self.session.cluster.now().0;
        if now > self.journal.until_millis {
            self.journal.until_millis = now;
            crate::storage::save_clock(now);
        }
    }

    /// The journal as of now (what a share link carries).
    pub(crate) fn journal_now(&self) -> Journal {
        let mut journal = self.journal.clone();
        journal.until_millis = journal.until_millis.max(self.session.cluster.now().0);
        journal
    }

    fn show_performed(&mut self, performed: Performed) {
        if let Performed::Result(result) = performed {
            self.show_result(result);
        }
    }

    pub(crate) fn apply(&mut self) {
        let text = self.current_text();
        let performed = self.perform(Input::Apply(text));
        self.show_performed(performed);
    }

    pub(crate) fn delete_editor_objects(&mut self) {
        let text = self.current_text();
        let performed = self.perform(Input::Delete(text));
        self.show_performed(performed);
    }

    /// The inspector's Delete: the page's own request (an open terminal stream stays open).
    pub(crate) fn delete_selection(&mut self, selection: &engine::Selection) {
        let line = engine::delete_selection_line(selection);
        let performed = self.perform(Input::Request(line));
        self.show_performed(performed);
    }

    /// Ctrl+C in the terminal: ends an open stream (journaled only when one was open).
    pub(crate) fn interrupt(&mut self) -> bool {
        let mut text = String::new();
        let _ = journal::perform(&mut self.session, &Input::Interrupt, &mut text);
        if text.is_empty() {
            return false;
        }
        self.journal_input(Input::Interrupt);
        self.terminal.push_str(&text);
        true
    }

    /// `clear` in the terminal.
    pub(crate) fn clear_terminal(&mut self) {
        let _ = self.perform(Input::Clear);
        self.history.push("clear".to_string());
        self.history_position = self.history.len();
        crate::storage::save_history(&self.history);
        self.save_lesson_position();
    }

    /// The restore button: the text something replaced comes back (the current one takes its
    /// place, so a second click swaps back). After a share link, the cluster it replaced comes
    /// back too (its journal replayed) and the link's is kept the same way.
    pub(crate) fn restore_previous(&mut self) {
        let Some(previous_text) = crate::storage::load_previous_text() else {
            return;
        };
        let with_cluster = self.previous_cluster_available;
        self.replace_editor_text(previous_text);
        let previous_cluster = crate::storage::load_previous_journal()
            .and_then(|encoded| Journal::decode(&encoded).ok())
            .filter(|_| with_cluster);
        self.notice = Some(match previous_cluster {
            Some(previous) => {
                crate::storage::save_previous_journal(&self.journal_now().encode());
                let replayed = journal::replay(&previous);
                self.install(replayed.session, previous, replayed.terminal);
                self.previous_cluster_available = true;
                Notice::PreviousWorkRestored
            }
            None => Notice::PreviousTextRestored,
        });
    }

    /// Puts a (replayed or fresh) cluster in the page, autosaved, with nothing of the old one's
    /// views left over.
    fn install(&mut self, session: Session, journal: Journal, terminal: String) {
        self.session = session;
        crate::storage::save_journal(&journal.encode());
        crate::storage::save_clock(journal.until_millis);
        self.journal = journal;
        self.terminal = terminal;
        self.playing = true;
        self.graph_version = u64::MAX;
        self.graph_reader = graph::GraphReader::default();
        self.selection = None;
        self.events_cache = None;
        self.inspector_cache = None;
        self.lesson_cache = None;
        self.served_cursor = traffic::ServedCursor::default();
        self.flashes = Rc::new(Vec::new());
        self.exec_result = None;
    }

    /// "New cluster": a fresh cluster of the same seed and an empty journal; the editor's text
    /// and the terminal history stay.
    pub(crate) fn new_cluster(&mut self) {
        let seed = self.session.cluster.seed();
        self.install(Session::new(seed), Journal::new(seed), String::new());
        self.notice = Some(Notice::NewCluster { seed });
    }

    /// "Fast-forward until settled".
    pub(crate) fn fast_forward(&mut self) {
        let result = engine::fast_forward_until_settled(&mut self.session);
        self.follow_streams();
        self.clock_moved();
        self.notice = Some(Notice::FastForwarded {
            seconds: result.advanced_millis / 1000,
            settled: result.settled,
        });
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

    /// The selected pod's containers (from the graph's model).
    pub(crate) fn selected_containers(&self) -> Vec<String> {
        let Some(selection) = self.selection.as_ref().filter(|s| s.kind == "Pod") else {
            return Vec::new();
        };
        self.graph
            .pods
            .iter()
            .find(|p| p.namespace == selection.namespace && p.name == selection.name)
            .map(|p| p.containers.clone())
            .unwrap_or_default()
    }

    /// The container the Logs tab and the exec box use: the chosen one while the pod has it,
    /// else its first.
    pub(crate) fn chosen_container(&self) -> Option<String> {
        let containers = self.selected_containers();
        self.logs_container
            .clone()
            .filter(|c| containers.contains(c))
            .or_else(|| containers.first().cloned())
    }

    /// The selected object, the command its tab runs and what that printed.
    pub(crate) fn inspector_view(&mut self) -> Option<(Selection, String, String)> {
        let selection = self.selection.clone()?;
        let tab = if self.tab.applies_to(&selection.kind) {
            self.tab
        } else {
            InspectorTab::Describe
        };
        let command = match tab {
            InspectorTab::Logs => engine::logs_command(
                &selection,
                self.chosen_container().as_deref(),
                self.logs_previous,
            ),
            _ => engine::inspector_command(&selection, tab),
        };
        let instant = self.view_instant();
        if let Some((cached_at, cached_command, text)) = &self.inspector_cache {
            if *cached_at == instant && *cached_command == command {
                return Some((selection, command, text.clone()));
            }
        }
        let output = self.session.read_line(&command, &scenario::script::NoFiles);
        let mut text = output.stdout;
        text.push_str(&output.stderr);
        self.inspector_cache = Some((instant, command.clone(), text.clone()));
        Some((selection, command, text))
    }

    /// Opens lesson `index` at its first step (`None`: closes the panel).
    pub(crate) fn open_lesson(&mut self, index: Option<usize>) {
        let position = index
            .filter(|index| *index < lessons::LESSONS.len())
            .map(|lesson| LessonPosition {
                lesson,
                step: 0,
                history_mark: self.history.len(),
            });
        self.set_lesson(position);
    }

    /// The lesson's previous (-1) or next (+1) step, if there is one.
    pub(crate) fn move_lesson_step(&mut self, forward: bool) {
        let Some(position) = self.lesson else {
            return;
        };
        let steps = position.lesson().steps.len();
        let step = if forward {
            position.step + 1
        } else {
            position.step.wrapping_sub(1)
        };
        if step < steps {
            self.set_lesson(Some(LessonPosition {
                step,
                history_mark: self.history.len(),
                ..position
            }));
        }
    }

    fn set_lesson(&mut self, position: Option<LessonPosition>) {
        self.lesson = position;
        self.lesson_cache = None;
        self.save_lesson_position();
    }

    /// Keeps the open step in storage with the lines run since it opened (so a reload still
    /// counts a line already run for it).
    fn save_lesson_position(&self) {
        let position = self.lesson;
        let history_length = self.history.len();
        crate::storage::save_lesson(
            position
                .map(|position| position.encode(history_length))
                .as_deref(),
        );
    }

    /// The open step and whether its check holds (re-read only when the cluster, the
    /// simulated second or the terminal history changed).
    pub(crate) fn lesson_view(&mut self) -> Option<LessonView> {
        // Embedded pages show no lesson (and run no checks).
        let position = self.lesson.filter(|_| !self.embed)?;
        let instant = self.view_instant();
        let history_length = self.history.len();
        if let Some((at, length, cached_position, view)) = &self.lesson_cache {
            if *at == instant && *length == history_length && *cached_position == position {
                return Some(view.clone());
            }
        }
        let step = position.step();
        let (command, runnable) = match step.action {
            Action::Command(line) => match lessons::resolve_command(&mut self.session, line) {
                Ok(line) => (Some(line), true),
                Err(shown) => (Some(shown), false),
            },
            Action::Manifest(_) => (None, true),
        };
        let ran_since = &self.history[position.history_mark.min(history_length)..];
        let done = lessons::is_done(
            &mut self.session,
            &step.done,
            ran_since,
            command.as_deref().filter(|_| runnable),
        );
        let view = LessonView {
            position,
            command,
            runnable,
            done,
        };
        self.lesson_cache = Some((instant, history_length, position, view.clone()));
        Some(view)
    }

    /// The step's button: its manifest goes into the editor (the text there stays one
    /// restore away), or its line runs in the terminal.
    pub(crate) fn lesson_action(&mut self) {
        let Some(view) = self.lesson_view() else {
            return;
        };
        match (view.position.step().action, view.command) {
            (Action::Manifest(text), _) => self.replace_editor_text(text.to_string()),
            (Action::Command(_), Some(line)) if view.runnable => {
                self.run_line(&line);
            }
            (Action::Command(_), _) => {}
        }
    }

    pub(crate) fn advance(&mut self, millis: u64) {
        self.session.cluster.advance(cluster::SimDuration(millis));
        self.follow_streams();
        self.clock_moved();
        self.record_traffic(None, true, 0);
    }

    /// Runs a terminal line (or a line a menu stands for): its output goes to the terminal, the
    /// line to the history, and the requests it sent to the graph.
    pub(crate) fn run_line(&mut self, line: &str) -> String {
        self.refresh_graph();
        let target = traffic::line_target(&self.graph, line);
        let Performed::Line {
            text,
            exit_code: code,
            editor_buffer: buffer,
        } = self.perform(Input::Line(line.to_string()))
        else {
            return String::new();
        };
        let failures = traffic::burst_failures(text.split_once('\n').map_or("", |(_, o)| o));
        // `kubectl edit`: the object opens in the editor; Apply sends it back.
        if let Some(buffer) = buffer {
            self.replace_editor_text(buffer);
            let title = line
                .trim_start_matches("kubectl")
                .trim_start()
                .trim_start_matches("edit")
                .trim()
                .to_string();
            self.notice = Some(Notice::EditLoaded { title });
        }
        self.history.push(line.to_string());
        self.history_position = self.history.len();
        crate::storage::save_history(&self.history);
        self.save_lesson_position();
        self.record_traffic(target.as_ref(), code == 0, failures);
        text
    }

    /// Adds the requests answered since the last look (and what `target`'s line reported) to
    /// the graph's flashes, and drops the flashes whose animation is over.
    pub(crate) fn record_traffic(
        &mut self,
        target: Option<&traffic::LineTarget>,
        exit_ok: bool,
        failures: usize,
    ) {
        let served = self
            .session
            .cluster
            .served_requests_since(self.served_cursor.from());
        let new = self.served_cursor.take(&served);
        let now = page_millis();
        let stale = self
            .flashes
            .iter()
            .any(|f| now - f.born_millis > traffic::FLASH_MILLIS);
        if new.is_empty() && target.is_none() && !stale {
            return;
        }
        self.refresh_graph();
        let events = traffic::traffic_events(&self.graph, &new, target, exit_ok, failures);
        let mut flashes: Vec<traffic::Flash> = self
            .flashes
            .iter()
            .filter(|f| now - f.born_millis <= traffic::FLASH_MILLIS)
            .cloned()
            .collect();
        for (order, event) in events.into_iter().enumerate() {
            flashes.push(traffic::Flash {
                id: self.next_flash,
                event,
                born_millis: now,
                order,
            });
            self.next_flash += 1;
        }
        self.flashes = Rc::new(flashes);
    }

    /// Appends what an open `get -w` / `logs -f` stream printed meanwhile to the terminal.
    pub(crate) fn follow_streams(&mut self) {
        let text = crate::engine::stream_output(&mut self.session);
        self.terminal.push_str(&text);
    }
}

/// The remembered theme, else the browser's preference.
fn initial_theme() -> String {
    if let Some(theme) = crate::storage::load_theme() {
        return theme;
    }
    let dark = web_sys::window()
        .and_then(|w| w.match_media("(prefers-color-scheme: dark)").ok().flatten())
        .is_some_and(|m| m.matches());
    if dark { "dark" } else { "light" }.to_string()
}

/// Whether the address asks for embed mode (`?embed=1`).
fn embedded() -> bool {
    web_sys::window()
        .and_then(|w| w.location().search().ok())
        .and_then(|search| web_sys::UrlSearchParams::new_with_str(&search).ok())
        .and_then(|params| params.get("embed"))
        .is_some_and(|v| v == "1" || v == "true")
}

fn initial_language() -> Language {
    let saved = crate::storage::load_language();
    let browser = web_sys::window().and_then(|w| w.navigator().language());
    Language::from_code(saved.or(browser).as_deref().unwrap_or(""))
}

/// The first state: the autosaved text and cluster (the journal replayed), or — when the page
/// was opened from a share link — the link's text and cluster (the autosaved text is kept as
/// the "previous text", the autosaved journal under its own key: never dropped).
pub(crate) fn initial_state() -> PageState {
    let history = crate::storage::load_history();
    let autosaved = crate::storage::load_editor_text();
    let mut editor_text = autosaved
        .clone()
        .unwrap_or_else(|| engine::STARTER_MANIFEST.to_string());
    let mut errors = Vec::new();
    let mut notice = None;
    let mut previous_text_available = false;
    let saved_journal = crate::storage::load_journal();
    let mut shared_journal = None;
    match share::decode_fragment(&crate::address::location_hash()) {
        Ok(None) => {}
        Ok(Some(shared)) => {
            // Kept for the restore button when it differs, or when a cluster comes back with it.
            if let Some(autosaved) =
                autosaved.filter(|t| *t != shared.text || saved_journal.is_some())
            {
                crate::storage::save_previous_text(&autosaved);
                previous_text_available = true;
            }
            crate::storage::save_editor_text(&shared.text);
            let journal = shared.journal.unwrap_or_else(|| Journal::new(shared.seed));
            notice = Some(Notice::SharedLinkOpened {
                seed: journal.seed,
                inputs: journal.entries.len(),
            });
            editor_text = shared.text;
            shared_journal = Some(journal);
            // A reload now restores the autosave rather than re-opening the link.
            crate::address::replace_address_fragment(None);
        }
        Err(error) => errors.push(EditorError {
            line: None,
            column: None,
            message: error.message(),
        }),
    }
    let from_link = shared_journal.is_some();
    let previous_cluster_available = from_link && saved_journal.is_some();
    let journal = match (shared_journal, saved_journal.clone()) {
        (Some(journal), _) => Some(journal),
        (None, None) => None,
        (None, Some(saved)) => match Journal::decode(&saved) {
            Ok(mut journal) => {
                if let Some(clock) = crate::storage::load_clock() {
                    if clock <= journal::MAX_REPLAY_MILLIS {
                        journal.until_millis = journal.until_millis.max(clock);
                    }
                }
                if !journal.entries.is_empty() {
                    notice = Some(Notice::ClusterRestored {
                        inputs: journal.entries.len(),
                    });
                }
                Some(journal)
            }
            Err(error) => {
                crate::storage::save_unreadable_journal(&saved);
                errors.push(EditorError {
                    line: None,
                    column: None,
                    message: format!(
                        "autosave: the saved cluster could not be rebuilt ({}); a fresh cluster started and the saved inputs are kept in localStorage under kubeplay.journal.unreadable",
                        error.0
                    ),
                });
                None
            }
        },
    };
    let (session, journal, terminal) = match journal {
        Some(journal) => {
            let replayed = journal::replay(&journal);
            // A link's journal becomes the autosave only once it has replayed: a link whose
            // replay never ends (closing the tab is the way out) leaves the autosave as it was,
            // and the address no longer holds the link.
            if from_link {
                // The replaced cluster is kept as far as its clock had run, not only to its
                // last input.
                if let Some(mut saved) = saved_journal
                    .as_deref()
                    .and_then(|s| Journal::decode(s).ok())
                {
                    if let Some(clock) = crate::storage::load_clock() {
                        saved.until_millis = saved
                            .until_millis
                            .max(clock.min(journal::MAX_REPLAY_MILLIS));
                    }
                    crate::storage::save_previous_journal(&saved.encode());
                }
                crate::storage::save_journal(&journal.encode());
                crate::storage::save_clock(journal.until_millis);
            }
            (replayed.session, journal, replayed.terminal)
        }
        None => {
            let seed = scenario::session::DEFAULT_SEED;
            (Session::new(seed), Journal::new(seed), String::new())
        }
    };
    let lesson =
        crate::storage::load_lesson().and_then(|text| LessonPosition::decode(&text, history.len()));
    PageState {
        session,
        journal,
        editor_text,
        editor: None,
        errors,
        apply_output: String::new(),
        notice,
        share_link: None,
        terminal,
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
        previous_cluster_available,
        events_cache: None,
        inspector_cache: None,
        served_cursor: traffic::ServedCursor::default(),
        flashes: Rc::new(Vec::new()),
        next_flash: 0,
        tab_pending: None,
        theme: initial_theme(),
        embed: embedded(),
        logs_container: None,
        logs_previous: false,
        replicas_draft: None,
        exec_result: None,
        lesson,
        lesson_cache: None,
    }
}
