//! Autosave: the editor's text (and the text a share link or Edit replaced), the language
//! choice, the terminal history, the open lesson and the cluster's input journal with its clock
//! live in the
//! browser's localStorage, so a reload (or a crash) never loses what the user typed and
//! rebuilds the same cluster. Storage may be unavailable (private
//! windows, quotas): then nothing is saved and nothing fails.

const EDITOR_KEY: &str = "kubeplay.editor";
const HISTORY_KEY: &str = "kubeplay.history";
/// The newest terminal lines kept.
const HISTORY_LIMIT: usize = 200;

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// The value under `key`, if storage is there and has one.
fn load(key: &str) -> Option<String> {
    storage()?.get_item(key).ok().flatten()
}

/// Writes `value` under `key`; without storage (or over its quota) nothing happens.
fn save(key: &str, value: &str) {
    if let Some(storage) = storage() {
        let _ = storage.set_item(key, value);
    }
}

pub fn load_editor_text() -> Option<String> {
    load(EDITOR_KEY)
}

pub fn save_editor_text(text: &str) {
    save(EDITOR_KEY, text);
}

pub fn load_history() -> Vec<String> {
    load(HISTORY_KEY)
        .map(|text| text.lines().map(str::to_string).collect())
        .unwrap_or_default()
}

pub fn save_history(history: &[String]) {
    let start = history.len().saturating_sub(HISTORY_LIMIT);
    save(HISTORY_KEY, &history[start..].join("\n"));
}

const PREVIOUS_TEXT_KEY: &str = "kubeplay.editor.previous";
const LANGUAGE_KEY: &str = "kubeplay.language";

/// Keeps the editor's text before something replaced it (a share link, the inspector's Edit),
/// so the page can offer it back.
pub fn save_previous_text(text: &str) {
    save(PREVIOUS_TEXT_KEY, text);
}

pub fn load_previous_text() -> Option<String> {
    load(PREVIOUS_TEXT_KEY)
}

pub fn load_language() -> Option<String> {
    load(LANGUAGE_KEY)
}

pub fn save_language(code: &str) {
    save(LANGUAGE_KEY, code);
}

const THEME_KEY: &str = "kubeplay.theme";

/// The theme the user chose (`dark` or `light`), if any.
pub fn load_theme() -> Option<String> {
    load(THEME_KEY).filter(|t| t == "dark" || t == "light")
}

pub fn save_theme(theme: &str) {
    save(THEME_KEY, theme);
}

const JOURNAL_KEY: &str = "kubeplay.journal";
const CLOCK_KEY: &str = "kubeplay.clock";
const UNREADABLE_JOURNAL_KEY: &str = "kubeplay.journal.unreadable";
const PREVIOUS_JOURNAL_KEY: &str = "kubeplay.journal.previous";

/// The cluster's input journal (crate::journal), written at every input.
pub fn save_journal(encoded: &str) {
    save(JOURNAL_KEY, encoded);
}

pub fn load_journal() -> Option<String> {
    load(JOURNAL_KEY)
}

/// How far the simulated clock has run (written as it runs; the journal has the inputs).
pub fn save_clock(millis: u64) {
    save(CLOCK_KEY, &millis.to_string());
}

pub fn load_clock() -> Option<u64> {
    load(CLOCK_KEY)?.parse().ok()
}

/// Keeps a journal that could not be replayed (so nothing is lost), out of the way.
pub fn save_unreadable_journal(encoded: &str) {
    save(UNREADABLE_JOURNAL_KEY, encoded);
}

/// Keeps the journal a share link replaced.
pub fn save_previous_journal(encoded: &str) {
    save(PREVIOUS_JOURNAL_KEY, encoded);
}

/// The journal a share link replaced, if any.
pub fn load_previous_journal() -> Option<String> {
    load(PREVIOUS_JOURNAL_KEY)
}

const LESSON_KEY: &str = "kubeplay.lesson";

/// The open lesson and step (crate::lessons::LessonPosition), or nothing when none is open.
pub fn save_lesson(encoded: Option<&str>) {
    match (encoded, storage()) {
        (Some(encoded), _) => save(LESSON_KEY, encoded),
        (None, Some(storage)) => {
            let _ = storage.remove_item(LESSON_KEY);
        }
        (None, None) => {}
    }
}

pub fn load_lesson() -> Option<String> {
    load(LESSON_KEY)
}
