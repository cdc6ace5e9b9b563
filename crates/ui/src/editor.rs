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
    let handle = js_mount(parent, text, on_change.as_ref(), on_submit.as_ref()).ok()?;
    on_change.forget();
    on_submit.forget();
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
