//! The page.

use std::cell::RefCell;
use std::rc::Rc;

use scenario::Session;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::editor::{self, EditorHandle};
use crate::engine::{self, EditorError};

/// Everything the page keeps between renders. Behind `Rc<RefCell<…>>`: the engine is mutated by
/// event handlers, and a counter state triggers the re-render.
struct PageState {
    session: Session,
    editor_text: String,
    editor: Option<EditorHandle>,
    errors: Vec<EditorError>,
    apply_output: String,
    terminal: String,
    history: Vec<String>,
    history_position: usize,
    /// Whether simulated time runs by itself.
    playing: bool,
}

impl PageState {
    fn current_text(&self) -> String {
        self.editor
            .and_then(EditorHandle::text)
            .unwrap_or_else(|| self.editor_text.clone())
    }

    /// Called on every edit: autosave, and underline what the decoder would refuse.
    fn edited(&mut self, text: String) {
        crate::storage::save_editor_text(&text);
        let errors = engine::diagnose(&text);
        if let Some(editor) = self.editor {
            editor.set_diagnostics(&errors);
        }
        self.editor_text = text;
    }

    fn apply(&mut self) {
        let text = self.current_text();
        let result = engine::apply_text(&mut self.session, &text);
        if let Some(editor) = self.editor {
            editor.set_diagnostics(&result.errors);
        }
        self.errors = result.errors;
        self.apply_output = result.output;
    }
}

#[component(App)]
pub fn app() -> Html {
    let state = use_mut_ref(|| {
        let history = crate::storage::load_history();
        PageState {
            session: Session::new(scenario::session::DEFAULT_SEED),
            editor_text: crate::storage::load_editor_text()
                .unwrap_or_else(|| engine::STARTER_MANIFEST.to_string()),
            editor: None,
            errors: Vec::new(),
            apply_output: String::new(),
            terminal: String::new(),
            history_position: history.len(),
            history,
            playing: true,
        }
    });
    let force_update = use_force_update();
    let editor_host = use_node_ref();
    let terminal_input = use_node_ref();
    let terminal_output = use_node_ref();

    let rerender = {
        let force_update = force_update.clone();
        Callback::from(move |()| force_update.force_update())
    };

    {
        // The simulated clock runs at wall-clock speed while playing: one simulated second per
        // second (the engine stays deterministic for the inputs it is given at each instant).
        let state = state.clone();
        let rerender = rerender.clone();
        use_effect_with((), move |_| {
            yew::platform::spawn_local(async move {
                loop {
                    yew::platform::time::sleep(std::time::Duration::from_millis(1000)).await;
                    let advanced = match state.try_borrow_mut() {
                        Ok(mut s) if s.playing => {
                            s.session
                                .cluster
                                .advance(cluster::SimDuration::from_secs(1));
                            true
                        }
                        _ => false,
                    };
                    if advanced {
                        rerender.emit(());
                    }
                }
            });
        });
    }

    let apply = {
        let state = state.clone();
        let rerender = rerender.clone();
        Callback::from(move |()| {
            state.borrow_mut().apply();
            rerender.emit(());
        })
    };

    {
        // Mount CodeMirror once, after the host element exists.
        let state = state.clone();
        let editor_host = editor_host.clone();
        let apply = apply.clone();
        use_effect_with((), move |_| {
            if let Some(host) = editor_host.cast::<web_sys::Element>() {
                let text = state.borrow().editor_text.clone();
                let on_change_state: Rc<RefCell<PageState>> = state.clone();
                let handle = editor::mount(
                    &host,
                    &text,
                    move |text| {
                        if let Ok(mut s) = on_change_state.try_borrow_mut() {
                            s.edited(text);
                        }
                    },
                    move || apply.emit(()),
                );
                state.borrow_mut().editor = handle;
            }
        });
    }

    {
        // Keep the newest terminal output in view.
        let terminal_output = terminal_output.clone();
        use_effect(move || {
            if let Some(element) = terminal_output.cast::<web_sys::Element>() {
                element.set_scroll_top(element.scroll_height());
            }
        });
    }

    let time_control = |action: &'static str| {
        let state = state.clone();
        let rerender = rerender.clone();
        Callback::from(move |_: MouseEvent| {
            let mut s = state.borrow_mut();
            match action {
                "play" => s.playing = true,
                "pause" => s.playing = false,
                _ => s
                    .session
                    .cluster
                    .advance(cluster::SimDuration::from_secs(10)),
            }
            drop(s);
            rerender.emit(());
        })
    };
    let playing = state.borrow().playing;

    let on_apply_click = {
        let apply = apply.clone();
        Callback::from(move |_: MouseEvent| apply.emit(()))
    };

    let on_template = {
        let state = state.clone();
        let rerender = rerender.clone();
        Callback::from(move |event: Event| {
            let Some(select) = event.target_dyn_into::<web_sys::HtmlSelectElement>() else {
                return;
            };
            let chosen = select.value();
            select.set_value("");
            let Some((_, template)) = engine::TEMPLATES.iter().find(|(name, _)| *name == chosen)
            else {
                return;
            };
            let mut s = state.borrow_mut();
            let text = engine::insert_template(&s.current_text(), template);
            if let Some(editor) = s.editor {
                editor.set_text(&text);
            }
            s.edited(text);
            drop(s);
            rerender.emit(());
        })
    };

    let on_fallback_input = {
        let state = state.clone();
        Callback::from(move |event: InputEvent| {
            if let Some(area) = event.target_dyn_into::<web_sys::HtmlTextAreaElement>() {
                state.borrow_mut().edited(area.value());
            }
        })
    };

    let on_terminal_key = {
        let state = state.clone();
        let rerender = rerender.clone();
        let terminal_input = terminal_input.clone();
        Callback::from(move |event: KeyboardEvent| {
            let Some(input) = terminal_input.cast::<HtmlInputElement>() else {
                return;
            };
            let mut s = state.borrow_mut();
            match event.key().as_str() {
                "Enter" => {
                    let line = input.value();
                    input.set_value("");
                    let trimmed = line.trim().to_string();
                    if trimmed == "clear" {
                        s.terminal.clear();
                    } else if !trimmed.is_empty() {
                        let text = engine::run_terminal_line(&mut s.session, &trimmed);
                        s.terminal.push_str(&text);
                    }
                    if !trimmed.is_empty() {
                        s.history.push(trimmed);
                    }
                    s.history_position = s.history.len();
                    crate::storage::save_history(&s.history);
                    drop(s);
                    rerender.emit(());
                }
                "ArrowUp" if s.history_position > 0 => {
                    event.prevent_default();
                    s.history_position -= 1;
                    input.set_value(&s.history[s.history_position]);
                }
                "ArrowDown" if s.history_position < s.history.len() => {
                    event.prevent_default();
                    s.history_position += 1;
                    input.set_value(
                        s.history
                            .get(s.history_position)
                            .map(String::as_str)
                            .unwrap_or(""),
                    );
                }
                _ => {}
            }
        })
    };

    let s = state.borrow();
    let rows = engine::object_rows(&s.session);
    let editor_missing = s.editor.is_none() && !editor::available();
    html! {
        <div class="app">
            <header class="topbar">
                <strong>{ "kubeplay" }</strong>
                <span class="tagline">{ "a Kubernetes cluster in your browser" }</span>
                <span class="clock" data-testid="clock" title="simulated time">{ engine::clock_text(&s.session) }</span>
                <span class="time-controls">
                    if playing {
                        <button data-testid="pause" onclick={time_control("pause")} title="Pause simulated time">{ "⏸ Pause" }</button>
                    } else {
                        <button data-testid="play" onclick={time_control("play")} title="Run simulated time">{ "▶ Play" }</button>
                    }
                    <button data-testid="step" onclick={time_control("step")} title="Advance 10 simulated seconds">{ "+10s" }</button>
                </span>
            </header>
            <main class="main">
                <section class="left">
                    <div class="toolbar">
                        <button data-testid="apply" onclick={on_apply_click} title="Apply (Ctrl+Enter)">{ "Apply" }</button>
                        <select class="templates" data-testid="templates" onchange={on_template} title="Insert a template">
                            <option value="" selected=true>{ "Templates…" }</option>
                            { for engine::TEMPLATES.iter().map(|(name, _)| html! { <option value={*name}>{ *name }</option> }) }
                        </select>
                        <span class="apply-output" data-testid="apply-output">{ s.apply_output.trim_end().to_string() }</span>
                    </div>
                    if editor_missing {
                        <textarea class="editor fallback" data-testid="editor" spellcheck="false"
                            value={s.editor_text.clone()} oninput={on_fallback_input} />
                    } else {
                        <div class="editor" data-testid="editor" ref={editor_host}></div>
                    }
                    if !s.errors.is_empty() {
                        <pre class="error-panel" data-testid="error-panel" role="alert">
                            { s.errors.iter().map(EditorError::display).collect::<Vec<_>>().join("\n") }
                        </pre>
                    }
                </section>
                <section class="right">
                    <h2>{ "Objects" }</h2>
                    <ul class="objects" data-testid="object-list">
                        { for rows.iter().map(|row| html! {
                            <li class="object" key={row.key()} data-object={row.key()}>
                                <span class="kind">{ row.kind.clone() }</span>
                                <span class="name">{
                                    if row.namespace.is_empty() { row.name.clone() } else { format!("{}/{}", row.namespace, row.name) }
                                }</span>
                            </li>
                        }) }
                    </ul>
                    <h2>{ "Terminal" }</h2>
                    <div class="terminal">
                        <pre class="terminal-output" data-testid="terminal-output" ref={terminal_output}>{ s.terminal.clone() }</pre>
                        <input class="terminal-input" data-testid="terminal-input" ref={terminal_input}
                            placeholder="kubectl get pods" spellcheck="false" autocomplete="off"
                            onkeydown={on_terminal_key} />
                    </div>
                </section>
            </main>
        </div>
    }
}
