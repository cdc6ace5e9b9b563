// CodeMirror 6 entry for kubeplay.
//
// Bundled by esbuild (`npm run bundle`) into build/editor.js as an IIFE that
// defines `window.kubeplayEditor`. The Rust side binds these functions with
// `#[wasm_bindgen(js_namespace = kubeplayEditor)]`, so the names are an API:
//
//   mount(parent, initialText, onChange, onSubmit, help) -> handle (integer)
//     help (optional): { complete(text, pos) -> JSON, hover(text, pos) -> JSON or "" },
//     the schema help of kubectl explain's table (crates/ui/src/editor.rs): completion
//     (Ctrl+Space, or as you type) and docs on hover or Mod-k at the cursor (Escape closes).
//   getText(handle) -> string
//   setText(handle, text)
//   setDiagnostics(handle, [{ line, column, message }])   // 1-based
//
// Unknown handles are ignored (getText returns ""), nothing here throws on
// bad input coming from the Rust side.

import { basicSetup, EditorView } from "codemirror";
import { EditorState, Prec, StateEffect, StateField } from "@codemirror/state";
import { keymap, hoverTooltip, showTooltip, tooltips } from "@codemirror/view";
import { autocompletion } from "@codemirror/autocomplete";
import { yaml } from "@codemirror/lang-yaml";
import { lintGutter, setDiagnostics as cmSetDiagnostics } from "@codemirror/lint";

/** @type {(EditorView | null)[]} */
const views = [];

const theme = EditorView.theme({
  "&": {
    height: "100%",
    fontSize: "13px",
    backgroundColor: "#fff",
  },
  ".cm-scroller": {
    fontFamily:
      "ui-monospace, SFMono-Regular, Menlo, Consolas, 'Liberation Mono', monospace",
    overflow: "auto",
  },
  ".cm-content": { minHeight: "100%" },
  ".cm-gutters": {
    backgroundColor: "#f6f8fa",
    borderRight: "1px solid #d0d7de",
    color: "#6e7781",
  },
  "&.cm-focused": { outline: "none" },
  // Tooltips live in <body> (outside the dark theme's inverted editor): the page's colours.
  ".cm-tooltip": {
    backgroundColor: "var(--panel)",
    color: "var(--text)",
    border: "1px solid var(--border)",
  },
  ".cm-kubeplay-doc": {
    margin: 0,
    padding: "6px 8px",
    maxWidth: "min(84ch, 95vw)",
    maxHeight: "20em",
    overflow: "auto",
    font: "12px/1.35 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace",
  },
});

function parse(json) {
  try {
    return json ? JSON.parse(json) : null;
  } catch {
    return null;
  }
}

/** Completion and docs from the wasm side; nothing when `help` lacks them. */
function schemaHelp(help) {
  if (!help || typeof help.complete !== "function" || typeof help.hover !== "function") return [];
  const docAt = (state, pos) => {
    const r = parse(help.hover(state.doc.toString(), pos));
    if (!r || typeof r.text !== "string") return null;
    return {
      pos: r.from,
      end: r.to,
      above: true,
      create() {
        const dom = document.createElement("pre");
        dom.className = "cm-kubeplay-doc";
        dom.setAttribute("data-testid", "editor-doc");
        dom.setAttribute("role", "tooltip");
        dom.textContent = r.text;
        return { dom };
      },
    };
  };
  const showDoc = StateEffect.define();
  const docField = StateField.define({
    create: () => null,
    update(value, tr) {
      for (const e of tr.effects) if (e.is(showDoc)) return e.value;
      return tr.docChanged || tr.selection ? null : value;
    },
    provide: (f) => showTooltip.from(f),
  });
  const docKeys = keymap.of([
    {
      key: "Mod-k",
      preventDefault: true,
      run: (view) => {
        view.dispatch({ effects: showDoc.of(docAt(view.state, view.state.selection.main.head)) });
        return true;
      },
    },
    {
      key: "Escape",
      run: (view) => {
        if (!view.state.field(docField)) return false;
        view.dispatch({ effects: showDoc.of(null) });
        return true;
      },
    },
  ]);
  const complete = (ctx) => {
    const r = parse(help.complete(ctx.state.doc.toString(), ctx.pos));
    if (!r || !r.options || !r.options.length) return null;
    // Field names pop up once a letter is typed; values (after `key: `) at once.
    if (!ctx.explicit && r.from === ctx.pos && r.options[0].type === "property") return null;
    return { from: r.from, to: r.to, options: r.options, validFor: /^[\w.\/-]*$/ };
  };
  return [
    autocompletion({ override: [complete] }),
    hoverTooltip((view, pos) => docAt(view.state, pos)),
    docField,
    docKeys,
    tooltips({ parent: document.body }),
  ];
}

function viewOf(handle) {
  const v = Number.isInteger(handle) ? views[handle] : undefined;
  return v || null;
}

function toInt(value, fallback) {
  const n = Math.trunc(Number(value));
  return Number.isFinite(n) ? n : fallback;
}

function mount(parent, initialText, onChange, onSubmit, help) {
  const submitKeys = Prec.highest(
    keymap.of([
      {
        key: "Mod-Enter",
        preventDefault: true,
        run: () => {
          if (typeof onSubmit === "function") onSubmit();
          return true;
        },
      },
    ]),
  );

  const listener = EditorView.updateListener.of((update) => {
    if (update.docChanged && typeof onChange === "function") {
      onChange(update.state.doc.toString());
    }
  });

  const view = new EditorView({
    state: EditorState.create({
      doc: initialText == null ? "" : String(initialText),
      extensions: [
        submitKeys,
        basicSetup,
        yaml(),
        lintGutter(),
        EditorState.tabSize.of(2),
        theme,
        listener,
        schemaHelp(help),
      ],
    }),
    parent,
  });

  views.push(view);
  return views.length - 1;
}

function getText(handle) {
  const view = viewOf(handle);
  return view ? view.state.doc.toString() : "";
}

function setText(handle, text) {
  const view = viewOf(handle);
  if (!view) return;
  const insert = text == null ? "" : String(text);
  if (insert === view.state.doc.toString()) return;
  view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert } });
}

function setDiagnostics(handle, diagnostics) {
  const view = viewOf(handle);
  if (!view) return;
  const doc = view.state.doc;
  const out = [];
  const list = Array.isArray(diagnostics) ? diagnostics : [];
  for (const d of list) {
    if (!d) continue;
    const lineNo = Math.min(Math.max(toInt(d.line, 1), 1), doc.lines);
    const line = doc.line(lineNo);
    const col = Math.max(toInt(d.column, 1), 1);
    const from = Math.min(line.from + col - 1, line.to);
    let to = line.to;
    if (to <= from) {
      // Empty rest of line: mark at least one character when there is one
      // (the line break), otherwise a zero-width point diagnostic.
      to = Math.min(from + 1, doc.length);
    }
    out.push({
      from,
      to,
      severity: "error",
      message: d.message == null ? "error" : String(d.message),
      source: "kubeplay",
    });
  }
  view.dispatch(cmSetDiagnostics(view.state, out));
}

function destroy(handle) {
  const view = viewOf(handle);
  if (!view) return;
  view.destroy();
  views[handle] = null;
}

window.kubeplayEditor = { mount, getText, setText, setDiagnostics, destroy };
