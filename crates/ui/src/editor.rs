//! The YAML editor: CodeMirror 6 through `window.kubeplayEditor` (web/editor.js).

use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = kubeplayEditor, js_name = mount, catch)]
    fn js_mount(
        parent: &web_sys::Element,
        text: &str,
        on_change: &JsValue,
        on_submit: &JsValue,
        help: &JsValue,
    ) -> Result<u32, JsValue>;
    #[wasm_bindgen(js_namespace = kubeplayEditor, js_name = getText, catch)]
    fn js_get_text(handle: u32) -> Result<String, JsValue>;
    #[wasm_bindgen(js_namespace = kubeplayEditor, js_name = setText, catch)]
    fn js_set_text(handle: u32, text: &str) -> Result<(), JsValue>;
    #[wasm_bindgen(js_namespace = kubeplayEditor, js_name = setDiagnostics, catch)]
    fn js_set_diagnostics(handle: u32, diagnostics: &JsValue) -> Result<(), JsValue>;
}

/// Whether the CodeMirror bundle loaded.
pub fn available() -> bool {
    web_sys::window()
        .and_then(|w| js_sys::Reflect::has(&w, &JsValue::from_str("kubeplayEditor")).ok())
        .unwrap_or(false)
}

/// A mounted CodeMirror editor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EditorHandle(u32);

/// Mounts CodeMirror in `parent`. The callbacks live as long as the page.
pub fn mount(
    parent: &web_sys::Element,
    text: &str,
    on_change: impl FnMut(String) + 'static,
    on_submit: impl FnMut() + 'static,
) -> Option<EditorHandle> {
    if !available() {
        return None;
    }
    let on_change = Closure::<dyn FnMut(String)>::new(on_change);
    let on_submit = Closure::<dyn FnMut()>::new(on_submit);
    let complete = Closure::<dyn Fn(String, u32) -> String>::new(|text: String, pos: u32| {
        completion_json(&text, pos as usize)
    });
    let hover = Closure::<dyn Fn(String, u32) -> String>::new(|text: String, pos: u32| {
        hover_json(&text, pos as usize)
    });
    let help = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&help, &"complete".into(), complete.as_ref());
    let _ = js_sys::Reflect::set(&help, &"hover".into(), hover.as_ref());
    let handle = js_mount(parent, text, on_change.as_ref(), on_submit.as_ref(), &help).ok()?;
    on_change.forget();
    on_submit.forget();
    complete.forget();
    hover.forget();
    Some(EditorHandle(handle))
}

impl EditorHandle {
    pub fn text(self) -> Option<String> {
        js_get_text(self.0).ok()
    }

    pub fn set_text(self, text: &str) {
        let _ = js_set_text(self.0, text);
    }

    /// Underlines errors at their line and column (1-based); an empty list clears them.
    pub fn set_diagnostics(self, errors: &[crate::engine::EditorError]) {
        let list = js_sys::Array::new();
        for error in errors {
            let (Some(line), column) = (error.line, error.column) else {
                continue;
            };
            let item = js_sys::Object::new();
            let _ = js_sys::Reflect::set(&item, &"line".into(), &JsValue::from_f64(line as f64));
            let _ = js_sys::Reflect::set(
                &item,
                &"column".into(),
                &JsValue::from_f64(column.unwrap_or(1) as f64),
            );
            let _ =
                js_sys::Reflect::set(&item, &"message".into(), &JsValue::from_str(&error.message));
            list.push(&item);
        }
        let _ = js_set_diagnostics(self.0, &list);
    }
}

/// The byte offset of UTF-16 position `pos` (CodeMirror's positions) in `text`.
fn byte_offset(text: &str, pos: usize) -> usize {
    let mut units = 0;
    for (at, c) in text.char_indices() {
        if units >= pos {
            return at;
        }
        units += c.len_utf16();
    }
    text.len()
}

/// The UTF-16 position of byte offset `at` in `text`.
fn utf16_pos(text: &str, at: usize) -> usize {
    text.get(..at).map_or(0, |t| t.encode_utf16().count())
}

/// Completion at CodeMirror position `pos` (kubectl's [`kubectl::schema_help::complete`]) as the
/// JSON editor.js hands to CodeMirror: `{"from","to","options":[{"label","detail","type",
/// "apply"}]}`, positions in UTF-16 units.
pub fn completion_json(text: &str, pos: usize) -> String {
    use kubectl::schema_help::CandidateKind;
    let found = kubectl::schema_help::complete(text, byte_offset(text, pos));
    let options: Vec<serde_json::Value> = found
        .candidates
        .iter()
        .map(|c| {
            let kind = match c.kind {
                CandidateKind::ApiVersion => "namespace",
                CandidateKind::Kind => "class",
                CandidateKind::Field => "property",
                CandidateKind::Value => "enum",
            };
            serde_json::json!({ "label": c.label, "detail": c.detail, "type": kind, "apply": c.insert })
        })
        .collect();
    serde_json::json!({
        "from": utf16_pos(text, found.from),
        "to": utf16_pos(text, found.to),
        "options": options,
    })
    .to_string()
}

/// `kubectl explain`'s text for what CodeMirror position `pos` is on, as JSON
/// `{"from","to","text"}` (UTF-16 positions), or an empty string when there is none.
pub fn hover_json(text: &str, pos: usize) -> String {
    match kubectl::schema_help::hover(text, byte_offset(text, pos)) {
        Some(h) => serde_json::json!({
            "from": utf16_pos(text, h.from),
            "to": utf16_pos(text, h.to),
            "text": h.text,
        })
        .to_string(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_are_utf16_units() {
        // "é" is 2 bytes and 1 unit, "🦀" 4 bytes and 2 units.
        let text = "é🦀x";
        assert_eq!(byte_offset(text, 0), 0);
        assert_eq!(byte_offset(text, 1), 2);
        assert_eq!(byte_offset(text, 3), 6);
        assert_eq!(byte_offset(text, 99), 7);
        assert_eq!(utf16_pos(text, 6), 3);
        assert_eq!(utf16_pos(text, 7), 4);
    }

    #[test]
    fn completion_and_hover_json() {
        // A multibyte comment before the cursor shifts bytes, not positions.
        let text = "# 한국어\nkind: Pod\nspec:\n  restartPolicy: N";
        let pos = text.encode_utf16().count();
        let json: serde_json::Value = serde_json::from_str(&completion_json(text, pos)).unwrap();
        assert_eq!(json["from"], pos - 1);
        assert_eq!(json["to"], pos);
        assert!(json["options"]
            .as_array()
            .unwrap()
            .iter()
            .any(|o| o["label"] == "Never" && o["type"] == "enum"));
        let on_key = "# 한국어\nkind: Pod\nspec:\n  restartP"
            .encode_utf16()
            .count();
        let hover: serde_json::Value = serde_json::from_str(&hover_json(text, on_key)).unwrap();
        assert!(hover["text"]
            .as_str()
            .unwrap()
            .contains("FIELD: restartPolicy <string>"));
        assert_eq!(hover_json(text, 0), "");
    }
}
