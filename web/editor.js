// CodeMirror 6 entry for kubeplay.
//
// Bundled by esbuild (`npm run bundle`) into build/editor.js as an IIFE that
// defines `window.kubeplayEditor`. The Rust side binds these functions with
// `#[wasm_bindgen(js_namespace = kubeplayEditor)]`, so the names are an API:
//
//   mount(parent, initialText, onChange, onSubmit) -> handle (integer)
//   getText(handle) -> string
//   setText(handle, text)
//   setDiagnostics(handle, [{ line, column, message }])   // 1-based
//
// Unknown handles are ignored (getText returns ""), nothing here throws on
// bad input coming from the Rust side.

import { basicSetup, EditorView } from "codemirror";
import { EditorState, Prec } from "@codemirror/state";
import { keymap } from "@codemirror/view";
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
});

function viewOf(handle) {
  const v = Number.isInteger(handle) ? views[handle] : undefined;
  return v || null;
}

function toInt(value, fallback) {
  const n = Math.trunc(Number(value));
  return Number.isFinite(n) ? n : fallback;
}

function mount(parent, initialText, onChange, onSubmit) {
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
