//! The page: editor (Apply, Delete, Share, templates, error panel), the cluster graph, the
//! inspector and object list, the kubectl terminal, the events pane and the time controls.

use std::cell::RefCell;
use std::rc::Rc;

use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::address::{page_address, replace_address_fragment};
use crate::editor;
use crate::engine::{self, EditorError, InspectorTab, Selection};
use crate::graph_view::GraphView;
use crate::i18n::{Label, Notice};
use crate::page_state::{initial_state, PageState};
use crate::share;

#[component(App)]
pub fn app() -> Html {
    let state = use_mut_ref(initial_state);
    let force_update = use_force_update();
    let editor_host = use_node_ref();
    let terminal_input = use_node_ref();
    let terminal_output = use_node_ref();

    let rerender = {
        let force_update = force_update.clone();
        Callback::from(move |()| force_update.force_update())
    };

    {
        // While playing, every tick advances simulated time by tick × speed. While paused
        // nothing advances (kubectl and Apply still work).
        let state = state.clone();
        let rerender = rerender.clone();
        use_effect_with((), move |_| {
            yew::platform::spawn_local(async move {
                loop {
                    yew::platform::time::sleep(std::time::Duration::from_millis(
                        engine::TICK_MILLIS,
                    ))
                    .await;
                    let advanced = match state.try_borrow_mut() {
                        Ok(mut s) if s.playing => {
                            let millis = engine::simulated_millis_per_tick(s.speed);
                            s.advance(millis);
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

    // Every button handler: borrow the state, act, re-render.
    let with_state = |action: fn(&mut PageState)| {
        let state = state.clone();
        let rerender = rerender.clone();
        Callback::from(move |_: MouseEvent| {
            action(&mut state.borrow_mut());
            rerender.emit(());
        })
    };

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

    // While paused, requests wait for Step: the control loops do not react at once.
    let on_play = with_state(|s| {
        s.playing = true;
        s.session.react_instantly = true;
    });
    let on_pause = with_state(|s| {
        s.playing = false;
        s.session.react_instantly = false;
    });
    let on_step = with_state(|s| {
        engine::step_to_next_change(&mut s.session);
        s.follow_streams();
    });
    let on_apply_click = {
        let apply = apply.clone();
        Callback::from(move |_: MouseEvent| apply.emit(()))
    };
    let on_delete_click = with_state(PageState::delete_editor_objects);
    let on_share = with_state(|s| {
        let text = s.current_text();
        match share::encode_fragment(&text, s.session.cluster.seed()) {
            Ok(fragment) => {
                replace_address_fragment(Some(&fragment));
                s.share_link = Some(format!("{}#{fragment}", page_address()));
                s.notice = Some(Notice::ShareLinkMade {
                    characters: fragment.len(),
                    seed: s.session.cluster.seed(),
                });
            }
            Err(error) => {
                s.share_link = None;
                s.errors = vec![EditorError {
                    line: None,
                    column: None,
                    message: error.message(),
                }];
            }
        }
    });
    let on_restore_previous = with_state(|s| {
        if let Some(previous) = crate::storage::load_previous_text() {
            s.replace_editor_text(previous);
            s.notice = Some(Notice::PreviousTextRestored);
        }
    });
    let on_language = with_state(|s| {
        s.language = s.language.other();
        crate::storage::save_language(s.language.code());
    });
    let on_edit = with_state(|s| {
        let Some(selection) = s.selection.clone() else {
            return;
        };
        match engine::object_yaml(&mut s.session, &selection) {
            Some(yaml) => {
                s.replace_editor_text(yaml);
                s.notice = Some(Notice::EditLoaded {
                    title: selection.title(),
                });
            }
            None => {
                s.notice = Some(Notice::Gone {
                    title: selection.title(),
                })
            }
        }
    });
    let on_delete_selection = with_state(|s| {
        let Some(selection) = s.selection.clone() else {
            return;
        };
        let result = engine::delete_selection(&mut s.session, &selection);
        s.show_result(result);
    });
    let on_select = {
        let state = state.clone();
        let rerender = rerender.clone();
        Callback::from(move |selection: Selection| {
            state.borrow_mut().selection = Some(selection);
            rerender.emit(());
        })
    };
    let on_speed = {
        let state = state.clone();
        let rerender = rerender.clone();
        Callback::from(move |event: Event| {
            if let Some(select) = event.target_dyn_into::<web_sys::HtmlSelectElement>() {
                if let Ok(speed) = select.value().parse::<f64>() {
                    if engine::SPEEDS.contains(&speed) {
                        state.borrow_mut().speed = speed;
                    }
                }
            }
            rerender.emit(());
        })
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
                        let (text, buffer) =
                            engine::run_terminal_line_with_editor(&mut s.session, &trimmed);
                        s.terminal.push_str(&text);
                        // `kubectl edit`: the object opens in the editor; Apply sends it back.
                        if let Some(buffer) = buffer {
                            s.replace_editor_text(buffer);
                            let title = trimmed
                                .trim_start_matches("kubectl")
                                .trim_start()
                                .trim_start_matches("edit")
                                .trim()
                                .to_string();
                            s.notice = Some(Notice::EditLoaded { title });
                        }
                    }
                    if !trimmed.is_empty() {
                        s.history.push(trimmed);
                    }
                    s.history_position = s.history.len();
                    crate::storage::save_history(&s.history);
                    drop(s);
                    rerender.emit(());
                }
                "c" | "C" if event.ctrl_key() => {
                    let text = engine::interrupt(&mut s.session);
                    if !text.is_empty() {
                        event.prevent_default();
                        s.terminal.push_str(&text);
                        drop(s);
                        rerender.emit(());
                    }
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

    // Read what the panes show (kubectl runs need the session mutably), then render.
    let (events_text, inspector) = {
        let mut s = state.borrow_mut();
        s.refresh_graph();
        (s.events_pane_text(), s.inspector_view())
    };

    let s = state.borrow();
    let language = s.language;
    let text = |label: Label| language.text(label);
    let rows = s.rows.clone();
    let editor_missing = s.editor.is_none() && !editor::available();
    let playing = s.playing;
    let selected_key = s.selection.as_ref().map(|sel| {
        engine::ObjectRow {
            kind: sel.kind.clone(),
            namespace: sel.namespace.clone(),
            name: sel.name.clone(),
        }
        .key()
    });
    let tab_button = |tab: InspectorTab| {
        let state = state.clone();
        let rerender = rerender.clone();
        let onclick = Callback::from(move |_: MouseEvent| {
            state.borrow_mut().tab = tab;
            rerender.emit(());
        });
        let label = match tab {
            InspectorTab::Describe => text(Label::Describe),
            InspectorTab::Yaml => text(Label::Yaml),
            InspectorTab::Events => text(Label::Events),
        };
        html! {
            <button class={classes!("tab", (s.tab == tab).then_some("active"))} role="tab"
                aria-selected={(s.tab == tab).to_string()} data-tab={tab.name()} onclick={onclick}>{ label }</button>
        }
    };
    let object_row = |row: &engine::ObjectRow| {
        let onclick = {
            let on_select = on_select.clone();
            let selection = Selection {
                kind: row.kind.clone(),
                namespace: row.namespace.clone(),
                name: row.name.clone(),
            };
            Callback::from(move |_: MouseEvent| on_select.emit(selection.clone()))
        };
        let key = row.key();
        let selected = selected_key.as_deref() == Some(key.as_str());
        html! {
            <li class={classes!("object", selected.then_some("selected"))} key={key.clone()} data-object={key} onclick={onclick}>
                <span class="kind">{ row.kind.clone() }</span>
                <span class="name">{
                    if row.namespace.is_empty() { row.name.clone() } else { format!("{}/{}", row.namespace, row.name) }
                }</span>
            </li>
        }
    };

    html! {
        <div class="app" lang={language.code()}>
            <header class="topbar">
                <strong>{ "kubeplay" }</strong>
                <span class="tagline">{ text(Label::Tagline) }</span>
                <span class="clock" data-testid="clock" title="simulated time">{ engine::clock_text(&s.session) }</span>
                <span class="time-controls">
                    if playing {
                        <button data-testid="pause" onclick={on_pause} title="Pause simulated time">{ text(Label::Pause) }</button>
                    } else {
                        <button data-testid="play" onclick={on_play} title="Run simulated time">{ text(Label::Play) }</button>
                    }
                    <button data-testid="step" onclick={on_step} title="Advance to the next change in the cluster (at most 10 simulated seconds)">{ text(Label::Step) }</button>
                    <label class="speed">
                        { text(Label::Speed) }{ " " }
                        <select data-testid="speed" onchange={on_speed} aria-label={text(Label::Speed)}>
                            { for engine::SPEEDS.iter().map(|speed| html! {
                                <option value={speed.to_string()} selected={*speed == s.speed}>{ engine::speed_label(*speed) }</option>
                            }) }
                        </select>
                    </label>
                </span>
                <span class="spacer"></span>
                <button class="language" data-testid="language" onclick={on_language}
                    aria-label="language / 언어">{ text(Label::LanguageToggle) }</button>
            </header>
            <main class="main">
                <section class="left">
                    <div class="toolbar">
                        <button data-testid="apply" onclick={on_apply_click} title="Apply (Ctrl+Enter)">{ text(Label::Apply) }</button>
                        <button class="secondary" data-testid="delete" onclick={on_delete_click}
                            title="Delete the objects in the editor (kubectl delete -f)">{ text(Label::Delete) }</button>
                        <button class="secondary" data-testid="share" onclick={on_share}
                            title="Make a link that opens this text">{ text(Label::Share) }</button>
                        <select class="templates" data-testid="templates" onchange={on_template} title="Insert a template">
                            <option value="" selected=true>{ text(Label::Templates) }</option>
                            { for engine::TEMPLATES.iter().map(|(name, _)| html! { <option value={*name}>{ *name }</option> }) }
                        </select>
                    </div>
                    <span class="apply-output" data-testid="apply-output">{ s.apply_output.trim_end().to_string() }</span>
                    if s.notice.is_some() || s.previous_text_available {
                        <div class="notice" data-testid="notice" role="status">
                            { s.notice.as_ref().map(|notice| language.notice(notice)).unwrap_or_default() }
                            if s.previous_text_available {
                                { " " }
                                <button class="link" data-testid="restore-previous" onclick={on_restore_previous}>{ text(Label::RestorePrevious) }</button>
                            }
                        </div>
                    }
                    if let Some(link) = &s.share_link {
                        <input class="share-link" data-testid="share-link" readonly=true value={link.clone()}
                            onfocus={Callback::from(|event: FocusEvent| {
                                if let Some(input) = event.target_dyn_into::<HtmlInputElement>() { input.select(); }
                            })} />
                    }
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
                    <h2>{ text(Label::Terminal) }</h2>
                    <div class="terminal">
                        <pre class="terminal-output" data-testid="terminal-output" ref={terminal_output}>{ s.terminal.clone() }</pre>
                        <input class="terminal-input" data-testid="terminal-input" ref={terminal_input}
                            placeholder="kubectl get pods" spellcheck="false" autocomplete="off"
                            onkeydown={on_terminal_key} />
                    </div>
                </section>
                <section class="right">
                    <GraphView model={s.graph.clone()} version={s.graph_version} language={language} selected={s.selection.clone()} on_select={on_select.clone()} />
                    <div class="lower">
                        <div class="objects-panel">
                            <h2>{ text(Label::Objects) }</h2>
                            <ul class="objects" data-testid="object-list">
                                { for rows.iter().take(engine::OBJECT_LIST_ROWS).map(object_row) }
                                if rows.len() > engine::OBJECT_LIST_ROWS {
                                    <li class="object more" key="more">
                                        { format!("… {} more: kubectl get lists them all", rows.len() - engine::OBJECT_LIST_ROWS) }
                                    </li>
                                }
                            </ul>
                        </div>
                        <div class="inspector" data-testid="inspector">
                            <h2>{ text(Label::Inspector) }</h2>
                            if let Some((selection, command, output)) = inspector {
                                <div class="inspector-head">
                                    <strong class="inspector-title" data-testid="inspector-title">{ selection.title() }</strong>
                                    <span class="tabs" role="tablist">
                                        { for InspectorTab::ALL.into_iter().map(tab_button) }
                                    </span>
                                    <span class="actions">
                                        <button class="secondary" data-testid="inspector-edit" onclick={on_edit}>{ text(Label::Edit) }</button>
                                        <button class="danger" data-testid="inspector-delete" onclick={on_delete_selection}>{ text(Label::DeleteObject) }</button>
                                    </span>
                                </div>
                                <pre class="inspector-output" data-testid="inspector-output">{ format!("$ {command}\n{output}") }</pre>
                            } else {
                                <p class="hint">{ text(Label::InspectorHint) }</p>
                            }
                        </div>
                    </div>
                    <h2>{ text(Label::Events) }</h2>
                    <pre class="events" data-testid="events">{ events_text }</pre>
                </section>
            </main>
        </div>
    }
}
