//! The page's address: reading the fragment a share link carries and replacing the address
//! bar's fragment without reloading.

use wasm_bindgen::JsValue;

/// The fragment of the page's address (with its `#`), or empty.
pub fn location_hash() -> String {
    web_sys::window()
        .and_then(|w| w.location().hash().ok())
        .unwrap_or_default()
}

/// The page's address without its fragment.
pub fn page_address() -> String {
    let Some(window) = web_sys::window() else {
        return String::new();
    };
    let location = window.location();
    format!(
        "{}{}{}",
        location.origin().unwrap_or_default(),
        location.pathname().unwrap_or_default(),
        location.search().unwrap_or_default()
    )
}

/// Sets the address bar without reloading or scrolling (`None`: drop the fragment).
pub fn replace_address_fragment(fragment: Option<&str>) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let url = match fragment {
        Some(fragment) => format!("{}#{fragment}", page_address()),
        None => page_address(),
    };
    if let Ok(history) = window.history() {
        let _ = history.replace_state_with_url(&JsValue::NULL, "", Some(&url));
    }
}
