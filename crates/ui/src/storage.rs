//! Autosave: the editor's text (and the text a share link or Edit replaced), the language
//! choice, the terminal history and the cluster's input journal with its clock live in the
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

pub fn load_editor_text() -> Option<String> {
    storage()?.get_item(EDITOR_KEY).ok().flatten()
}

pub fn save_editor_text(text: &str) {
    if let Some(storage) = storage() {
        let _ = storage.set_item(EDITOR_KEY, text);
    }
}

pub fn load_history() -> Vec<String> {
    storage()
        .and_then(|s| s.get_item(HISTORY_KEY).ok().flatten())
        .map(|text| text.lines().map(str::to_string).collect())
        .unwrap_or_default()
}

pub fn save_history(history: &[String]) {
    if let Some(storage) = storage() {
        let start = history.len().saturating_sub(HISTORY_LIMIT);
        let _ = storage.set_item(HISTORY_KEY, &history[start..].join("\n"));
    }
}

const PREVIOUS_TEXT_KEY: &str = "kubeplay.editor.previous";
const LANGUAGE_KEY: &str = "kubeplay.language";

/// Keeps the editor's text before something replaced it (a share link, the inspector's Edit),
/// so the page can offer it back.
pub fn save_previous_text(text: &str) {
    if let Some(storage) = storage() {
        let _ = storage.set_item(PREVIOUS_TEXT_KEY, text);
    }
}

pub fn load_previous_text() -> Option<String> {
    storage()?.get_item(PREVIOUS_TEXT_KEY).ok().flatten()
}

pub fn load_language() -> Option<String> {
    storage()?.get_item(LANGUAGE_KEY).ok().flatten()
}

pub fn save_language(code: &str) {
    if let Some(storage) = storage() {
        let _ = storage.set_item(LANGUAGE_KEY, code);
    }
}

const THEME_KEY: &str = "kubeplay.theme";

/// The theme the user chose (`dark` or `light`), if any.
pub fn load_theme() -> Option<String> {
    storage()?
        .get_item(THEME_KEY)
        .ok()
        .flatten()
        .filter(|t| t == "dark" || t == "light")
}

pub fn save_theme(theme: &str) {
    if let Some(storage) = storage() {
        let _ = storage.set_item(THEME_KEY, theme);
    }
}

const JOURNAL_KEY: &str = "kubeplay.journal";
const CLOCK_KEY: &str = "kubeplay.clock";
const UNREADABLE_JOURNAL_KEY: &str = "kubeplay.journal.unreadable";
const PREVIOUS_JOURNAL_KEY: &str = "kubeplay.journal.previous";

/// The cluster's input journal (crate::journal), written at every input.
pub fn save_journal(encoded: &str) {
    if let Some(storage) = storage() {
        let _ = storage.set_item(JOURNAL_KEY, encoded);
    }
}

pub fn load_journal() -> Option<String> {
    storage()?.get_item(JOURNAL_KEY).ok().flatten()
}

/// How far the simulated clock has run (written as it runs; the journal has the inputs).
pub fn save_clock(millis: u64) {
    if let Some(storage) = storage() {
        let _ = storage.set_item(CLOCK_KEY, &millis.to_string());
    }
}

pub fn load_clock() -> Option<u64> {
    storage()?.get_item(CLOCK_KEY).ok().flatten()?.parse().ok()
}

/// Keeps a journal that could not be replayed (so nothing is lost), out of the way.
pub fn save_unreadable_journal(encoded: &str) {
    if let Some(storage) = storage() {
        let _ = storage.set_item(UNREADABLE_JOURNAL_KEY, encoded);
    }
}

/// Keeps the journal a share link replaced.
pub fn save_previous_journal(encoded: &str) {
    if let Some(storage) = storage() {
        let _ = storage.set_item(PREVIOUS_JOURNAL_KEY, encoded);
    }
}

/// The journal a share link replaced, if any.
pub fn load_previous_journal() -> Option<String> {
    storage()?.get_item(PREVIOUS_JOURNAL_KEY).ok().flatten()
}
