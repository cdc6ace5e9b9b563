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
use crate::lessons;
use crate::page_state::{initial_state, PageState};
use crate::share;

/// Hands `content` to the browser as a download named `name`.
fn download(name: &str, content: &str) {
    use wasm_bindgen::JsCast;
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let options = web_sys::BlobPropertyBag::new();
    options.set_type("text/plain;charset=utf-8");
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(content));
    let Ok(blob) = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options) else {
        return;
    };
    let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else {
        return;
    };
    if let Some(anchor) = document
        .create_element("a")
        .ok()
        .and_then(|a| a.dyn_into::<web_sys::HtmlAnchorElement>().ok())
    {
        anchor.set_href(&url);
        anchor.set_download(name);
        anchor.click();
    }
    // The URL is not revoked at once: some browsers start the download after this returns.
}

#[component(App)]
pub fn app() -> Html {
    let state = use_mut_ref(initial_state);
    let force_update = use_force_update();
    let editor_host = use_node_ref();
    let terminal_input = use_node_ref();
    let terminal_output = use_node_ref();
    let events_pane = use_node_ref();
    // The events pane's height when it was last kept at its end (to tell whether the user has
    // scrolled up to read since).
    let events_pane_height = use_mut_ref(|| 0i32);
    let exec_input = use_node_ref();
    let replicas_input = use_node_ref();

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

    {
        // The events pane streams like `kubectl get events -w`: the newest rows stay in view,
        // unless the user has scrolled up to read older ones.
        let events_pane = events_pane.clone();
        let events_pane_height = events_pane_height.clone();
        use_effect(move || {
            if let Some(element) = events_pane.cast::<web_sys::Element>() {
                let last_height = *events_pane_height.borrow();
                let at_end = element.scroll_top() + element.client_height() >= last_height - 24;
                if at_end {
                    element.set_scroll_top(element.scroll_height());
                    *events_pane_height.borrow_mut() = element.scroll_height();
                }
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
        let _ = s.perform(crate::journal::Input::Step);
        s.clock_moved();
    });
    let on_fast_forward = with_state(PageState::fast_forward);
    let on_new_cluster = with_state(PageState::new_cluster);
    let on_apply_click = {
        let apply = apply.clone();
        Callback::from(move |_: MouseEvent| apply.emit(()))
    };
    let on_delete_click = with_state(PageState::delete_editor_objects);
    let on_share = with_state(|s| {
        let text = s.current_text();
        let journal = s.journal_now();
        match share::share_fragment(&text, &journal) {
            Ok((fragment, inputs)) => {
                replace_address_fragment(Some(&fragment));
                s.share_link = Some(format!("{}#{fragment}", page_address()));
                s.notice = Some(Notice::ShareLinkMade {
                    characters: fragment.len(),
                    seed: journal.seed,
                    inputs,
                    left_out: journal.entries.len() - inputs,
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
    let on_restore_previous = with_state(PageState::restore_previous);
    let on_theme = with_state(|s| {
        s.theme = if s.theme == "dark" { "light" } else { "dark" }.to_string();
        crate::storage::save_theme(&s.theme);
    });
    let on_export = with_state(|s| {
        let text = s.current_text();
        for (name, content) in crate::export::export_files(&text, &s.journal) {
            download(name, &content);
        }
    });
    {
        // The theme is the document's (the page background, scrollbars); the loading bar in
        // index.html goes once the app is on screen.
        let theme = state.borrow().theme.clone();
        use_effect_with(theme, |theme| {
            if let Some(document) = web_sys::window().and_then(|w| w.document()) {
                if let Some(root) = document.document_element() {
                    let _ = root.set_attribute("data-theme", theme);
                }
                if let Some(loading) = document.get_element_by_id("kubeplay-loading") {
                    loading.remove();
                }
            }
        });
    }
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
        s.delete_selection(&selection);
    });
    let on_select = {
        let state = state.clone();
        let rerender = rerender.clone();
        Callback::from(move |selection: Selection| {
            let mut s = state.borrow_mut();
            if s.selection.as_ref() != Some(&selection) {
                s.exec_result = None;
                s.logs_container = None;
                s.logs_previous = false;
                s.replicas_draft = None;
            }
            s.selection = Some(selection);
            drop(s);
            rerender.emit(());
        })
    };
    // A fault menu item or an inspector action: runs its line as if typed in the terminal.
    let on_command = {
        let state = state.clone();
        let rerender = rerender.clone();
        Callback::from(move |line: String| {
            state.borrow_mut().run_line(&line);
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

    let on_lesson_select = {
        let state = state.clone();
        let rerender = rerender.clone();
        Callback::from(move |event: Event| {
            let Some(select) = event.target_dyn_into::<web_sys::HtmlSelectElement>() else {
                return;
            };
            let chosen = select.value().parse::<usize>().ok();
            select.set_value("");
            if chosen.is_some() {
                state.borrow_mut().open_lesson(chosen);
                rerender.emit(());
            }
        })
    };
    let lesson_button = |what: fn(&mut PageState)| {
        let state = state.clone();
        let rerender = rerender.clone();
        Callback::from(move |_: MouseEvent| {
            what(&mut state.borrow_mut());
            rerender.emit(());
        })
    };
    let on_lesson_action = lesson_button(PageState::lesson_action);
    let on_lesson_back = lesson_button(|s| s.move_lesson_step(false));
    let on_lesson_next = lesson_button(|s| s.move_lesson_step(true));
    let on_lesson_close = lesson_button(|s| s.open_lesson(None));

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
                        s.clear_terminal();
                    } else if !trimmed.is_empty() {
                        s.run_line(&trimmed);
                    } else {
                        s.history_position = s.history.len();
                    }
                    drop(s);
                    rerender.emit(());
                }
                // An empty line lets Tab move the focus on (no keyboard trap).
                "Tab"
                    if !event.shift_key()
                        && !event.ctrl_key()
                        && !event.alt_key()
                        && !input.value().is_empty() =>
                {
                    // Complete the word under the cursor; a second Tab lists the candidates.
                    event.prevent_default();
                    let line = input.value();
                    let store = s.session.cluster.snapshot().store;
                    let completion = crate::completion::complete(&store, &line);
                    if completion.line != line {
                        input.set_value(&completion.line);
                        s.tab_pending = None;
                    } else if completion.candidates.len() > 1 {
                        if s.tab_pending.as_deref() == Some(line.as_str()) {
                            let listed =
                                format!("$ {line}\n{}\n", completion.candidates.join("  "));
                            let _ = s.perform(crate::journal::Input::Note(listed));
                            s.tab_pending = None;
                            drop(s);
                            rerender.emit(());
                        } else {
                            s.tab_pending = Some(line);
                        }
                    }
                }
                // Ctrl+C ends an open stream (and is journaled); with none open, it copies.
                "c" | "C" if event.ctrl_key() && s.interrupt() => {
                    event.prevent_default();
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

    let on_logs_container = {
        let state = state.clone();
        let rerender = rerender.clone();
        Callback::from(move |event: Event| {
            if let Some(select) = event.target_dyn_into::<web_sys::HtmlSelectElement>() {
                state.borrow_mut().logs_container = Some(select.value());
                rerender.emit(());
            }
        })
    };
    let on_logs_previous = {
        let state = state.clone();
        let rerender = rerender.clone();
        Callback::from(move |event: Event| {
            if let Some(input) = event.target_dyn_into::<HtmlInputElement>() {
                state.borrow_mut().logs_previous = input.checked();
                rerender.emit(());
            }
        })
    };
    // The exec box: runs `kubectl exec POD -- sh -c "…"` as the terminal would, and shows it.
    let run_exec = {
        let state = state.clone();
        let rerender = rerender.clone();
        let exec_input = exec_input.clone();
        Callback::from(move |()| {
            let Some(input) = exec_input.cast::<HtmlInputElement>() else {
                return;
            };
            let command = input.value();
            if command.trim().is_empty() {
                return;
            }
            let mut s = state.borrow_mut();
            let Some(selection) = s.selection.clone() else {
                return;
            };
            let container = s.chosen_container();
            let line = engine::exec_line(&selection, container.as_deref(), command.trim());
            let text = s.run_line(&line);
            s.exec_result = Some(text);
            drop(s);
            rerender.emit(());
        })
    };
    let on_exec_click = {
        let run_exec = run_exec.clone();
        Callback::from(move |_: MouseEvent| run_exec.emit(()))
    };
    let on_exec_key = {
        let run_exec = run_exec.clone();
        Callback::from(move |event: KeyboardEvent| {
            if event.key() == "Enter" {
                event.prevent_default();
                run_exec.emit(());
            }
        })
    };
    let on_scale = {
        let state = state.clone();
        let on_command = on_command.clone();
        let replicas_input = replicas_input.clone();
        Callback::from(move |_: MouseEvent| {
            let Some(input) = replicas_input.cast::<HtmlInputElement>() else {
                return;
            };
            let Ok(replicas) = input.value().trim().parse::<u32>() else {
                return;
            };
            let Some(selection) = state.borrow().selection.clone() else {
                return;
            };
            state.borrow_mut().replicas_draft = None;
            on_command.emit(engine::scale_line(&selection, replicas));
        })
    };
    let on_replicas_input = {
        let state = state.clone();
        Callback::from(move |event: InputEvent| {
            if let Some(input) = event.target_dyn_into::<HtmlInputElement>() {
                state.borrow_mut().replicas_draft = Some(input.value());
            }
        })
    };
    let on_rollout_restart = {
        let state = state.clone();
        let on_command = on_command.clone();
        Callback::from(move |_: MouseEvent| {
            let Some(selection) = state.borrow().selection.clone() else {
                return;
            };
            on_command.emit(engine::rollout_restart_line(&selection));
        })
    };

    // Read what the panes show (kubectl runs need the session mutably), then render.
    let (events_text, inspector, lesson) = {
        let mut s = state.borrow_mut();
        s.refresh_graph();
        (s.events_pane_text(), s.inspector_view(), s.lesson_view())
    };

    let containers = state.borrow().selected_containers();
    let chosen_container = state.borrow().chosen_container();
    let replicas = {
        let s = state.borrow();
        s.selection
            .as_ref()
            .filter(|sel| engine::scalable(&sel.kind))
            .and_then(|sel| engine::replicas_of(&s.session, sel))
    };
    let s = state.borrow();
    let language = s.language;
    let embed = s.embed;
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
            InspectorTab::Logs => text(Label::Logs),
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
        <div class={classes!("app", embed.then_some("embed"))} lang={language.code()}>
            if !embed {
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
                    <button class="secondary" data-testid="fast-forward" onclick={on_fast_forward}
                        title="Advance until nothing in the cluster changes for a simulated minute (at most 30 minutes)">{ text(Label::FastForward) }</button>
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
                <button class="secondary" data-testid="new-cluster" onclick={on_new_cluster}
                    title="Start a fresh cluster (same seed); the editor text is kept">{ text(Label::NewCluster) }</button>
                <button class="language" data-testid="language" onclick={on_language}
                    aria-label="language / 언어">{ text(Label::LanguageToggle) }</button>
                <button class="theme" data-testid="theme" onclick={on_theme} aria-pressed={(s.theme == "dark").to_string()}
                    title={text(Label::Theme)} aria-label={text(Label::Theme)}>{ if s.theme == "dark" { "☀" } else { "☾" } }</button>
            </header>
            }
            <main class="main">
                <section class="left">
                    <div class="toolbar">
                        <button data-testid="apply" onclick={on_apply_click} title="Apply (Ctrl+Enter)">{ text(Label::Apply) }</button>
                        <button class="secondary" data-testid="delete" onclick={on_delete_click}
                            title="Delete the objects in the editor (kubectl delete -f)">{ text(Label::Delete) }</button>
                        <button class="secondary" data-testid="share" onclick={on_share}
                            title="Make a link that opens this text">{ text(Label::Share) }</button>
                        if !embed {
                            <button class="secondary" data-testid="export" onclick={on_export}
                                title="Download manifests.yaml and kubeplay.sh (the terminal's kubectl commands)">{ text(Label::Export) }</button>
                        }
                        <select class="templates" data-testid="templates" onchange={on_template} title="Insert a template">
                            <option value="" selected=true>{ text(Label::Templates) }</option>
                            { for engine::TEMPLATES.iter().map(|(name, _)| html! { <option value={*name}>{ *name }</option> }) }
                        </select>
                        if !embed {
                            <select class="templates" data-testid="lessons" onchange={on_lesson_select}
                                aria-label={text(Label::Lessons)}>
                                <option value="" selected=true>{ text(Label::Lessons) }</option>
                                { for lessons::LESSONS.iter().enumerate().map(|(index, lesson)| html! {
                                    <option value={index.to_string()}>{ lesson.title(language) }</option>
                                }) }
                            </select>
                        }
                    </div>
                    if let (Some(view), false) = (&lesson, embed) {
                        <div class="lesson" data-testid="lesson" role="region" aria-label={view.position.lesson().title(language)}>
                            <div class="lesson-head">
                                <strong>{ view.position.lesson().title(language) }</strong>
                                <span class="lesson-step" data-testid="lesson-step">{
                                    language.step_of(view.position.step + 1, view.position.lesson().steps.len())
                                }</span>
                                <span class="spacer"></span>
                                <button class="link" data-testid="lesson-close" onclick={on_lesson_close}
                                    aria-label={text(Label::LessonClose)} title={text(Label::LessonClose)}>{ "×" }</button>
                            </div>
                            <p class="lesson-text" data-testid="lesson-text" aria-live="polite">
                                { for lessons::text_pieces(view.position.step().text(language)).into_iter().map(|(piece, code)| {
                                    if code { html! { <code>{ piece }</code> } } else { html! { { piece } } }
                                }) }
                            </p>
                            if let Some(command) = &view.command {
                                <pre class="lesson-command" data-testid="lesson-command">{ format!("$ {command}") }</pre>
                            }
                            <div class="lesson-row">
                                <button class="small" data-testid="lesson-action" onclick={on_lesson_action}
                                    disabled={!view.runnable}>{
                                    if view.command.is_some() { text(Label::RunInTerminal) } else { text(Label::PutInEditor) }
                                }</button>
                                <span class={classes!("lesson-status", view.done.then_some("done"))} data-testid="lesson-status"
                                    data-done={view.done.to_string()} role="status">{
                                    if view.done { text(Label::StepDone) } else { text(Label::StepWaiting) }
                                }</span>
                                <span class="spacer"></span>
                                <button class="secondary small" data-testid="lesson-back" onclick={on_lesson_back}
                                    disabled={view.position.step == 0}>{ text(Label::LessonBack) }</button>
                                <button class={classes!("small", (!view.done).then_some("secondary"))} data-testid="lesson-next" onclick={on_lesson_next}
                                    disabled={view.position.step + 1 >= view.position.lesson().steps.len()}>{ text(Label::LessonNext) }</button>
                            </div>
                        </div>
                    }
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
                    if !embed {
                    <h2>{ text(Label::Terminal) }</h2>
                    <div class="terminal">
                        <pre class="terminal-output" data-testid="terminal-output" ref={terminal_output}>{ s.terminal.clone() }</pre>
                        <input class="terminal-input" data-testid="terminal-input" ref={terminal_input}
                            placeholder="kubectl get pods" spellcheck="false" autocomplete="off"
                            onkeydown={on_terminal_key} />
                    </div>
                    }
                </section>
                <section class="right">
                    <GraphView model={s.graph.clone()} version={s.graph_version} language={language} selected={s.selection.clone()} on_select={on_select.clone()} flashes={s.flashes.clone()} on_command={on_command.clone()} />
                    if !embed {
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
                                        { for InspectorTab::ALL.into_iter().filter(|t| t.applies_to(&selection.kind)).map(tab_button) }
                                    </span>
                                    <span class="actions">
                                        <button class="secondary" data-testid="inspector-edit" onclick={on_edit}>{ text(Label::Edit) }</button>
                                        <button class="danger" data-testid="inspector-delete" onclick={on_delete_selection}>{ text(Label::DeleteObject) }</button>
                                    </span>
                                </div>
                                if selection.kind == "Pod" && s.tab == InspectorTab::Logs {
                                    <div class="inspector-row">
                                        <label>{ text(Label::Container) }{ " " }
                                            <select data-testid="inspector-logs-container" onchange={on_logs_container}>
                                                { for containers.iter().map(|c| html! {
                                                    <option value={c.clone()} selected={chosen_container.as_deref() == Some(c.as_str())}>{ c.clone() }</option>
                                                }) }
                                            </select>
                                        </label>
                                        <label>
                                            <input type="checkbox" data-testid="inspector-logs-previous" checked={s.logs_previous} onchange={on_logs_previous} />
                                            { " --previous (" }{ text(Label::Previous) }{ ")" }
                                        </label>
                                    </div>
                                }
                                if engine::scalable(&selection.kind) || engine::restartable(&selection.kind) {
                                    <div class="inspector-row">
                                        if engine::scalable(&selection.kind) {
                                            <label>{ text(Label::Scale) }{ " " }
                                                <input type="number" min="0" max="1000" class="replicas" data-testid="inspector-replicas" ref={replicas_input}
                                                    aria-label="replicas" oninput={on_replicas_input}
                                                    value={s.replicas_draft.clone().or_else(|| replicas.map(|r| r.to_string())).unwrap_or_default()} />
                                            </label>
                                            <button class="secondary small" data-testid="inspector-scale" onclick={on_scale}>{ text(Label::Scale) }</button>
                                        }
                                        if engine::restartable(&selection.kind) {
                                            <button class="secondary small" data-testid="inspector-rollout-restart" onclick={on_rollout_restart}>{ text(Label::RolloutRestart) }</button>
                                        }
                                    </div>
                                }
                                <pre class="inspector-output" data-testid="inspector-output">{ format!("$ {command}\n{output}") }</pre>
                                if selection.kind == "Pod" {
                                    <div class="inspector-row exec">
                                        <span class="prompt">{ format!("exec{} $", chosen_container.as_deref().map(|c| format!(" ({c})")).unwrap_or_default()) }</span>
                                        <input class="exec-input" data-testid="inspector-exec-input" ref={exec_input} spellcheck="false"
                                            autocomplete="off" placeholder={text(Label::ExecPlaceholder)} aria-label="command to exec in the pod" onkeydown={on_exec_key} />
                                        <button class="small" data-testid="inspector-exec-run" onclick={on_exec_click}>{ text(Label::Run) }</button>
                                    </div>
                                    if let Some(result) = &s.exec_result {
                                        <pre class="inspector-output exec-output" data-testid="inspector-exec-output">{ result.clone() }</pre>
                                    }
                                }
                            } else {
                                <p class="hint">{ text(Label::InspectorHint) }</p>
                            }
                        </div>
                    </div>
                    <h2>{ text(Label::Events) }</h2>
                    <pre class="events" data-testid="events" ref={events_pane}>{ events_text }</pre>
                    }
                </section>
            </main>
        </div>
    }
}
