#!/usr/bin/env bash
# Prints the size of the built page in dist/: wasm, js and css, raw and brotli (-q 11).
#
#   scripts/bundle-size.sh            report only
#   scripts/bundle-size.sh --check    report, then fail (exit 1) when the brotli total is over
#                                     the budget (issue 8: wasm + js + css <= 1 MB brotli)
#
# BUNDLE_BUDGET_KB overrides the budget (KB of 1,024 bytes). BUNDLE_BUDGET_ENFORCE=0 makes
# `--check` report the verdict without failing (scripts/test.sh sets it while the page is still
# over the budget; see README "Bundle size"); BUNDLE_CEILING_KB then still fails a build above
# that ceiling, so the page cannot grow while it is over its budget.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

BUDGET_KB="${BUNDLE_BUDGET_KB:-1024}"
check=0
case "${1:-}" in
  --check) check=1 ;;
  "") ;;
  *) echo "usage: $0 [--check]" >&2; exit 2 ;;
esac
[ -d dist ] || { echo "error: no dist/: run 'trunk build index.html --release' first" >&2; exit 2; }

BUDGET_KB="$BUDGET_KB" CHECK="$check" ENFORCE="${BUNDLE_BUDGET_ENFORCE:-1}" CEILING_KB="${BUNDLE_CEILING_KB:-0}" node -e '
const fs = require("fs"), zlib = require("zlib"), path = require("path");
let raw = 0, br = 0, files = 0;
for (const f of fs.readdirSync("dist").sort()) {
  if (!/\.(wasm|js|css)$/.test(f)) continue;
  const data = fs.readFileSync(path.join("dist", f));
  const b = zlib.brotliCompressSync(data, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
  raw += data.length; br += b; files++;
  console.log(`${f.padEnd(40)} ${(data.length / 1024).toFixed(0).padStart(6)} KB raw ${(b / 1024).toFixed(0).padStart(6)} KB brotli`);
}
console.log(`${"total".padEnd(40)} ${(raw / 1024).toFixed(0).padStart(6)} KB raw ${(br / 1024).toFixed(0).padStart(6)} KB brotli`);
if (process.env.CHECK === "1") {
  const budget = Number(process.env.BUDGET_KB) * 1024;
  if (files === 0) { console.log("bundle budget: no wasm/js/css in dist/"); process.exit(1); }
  const verdict = br <= budget ? "within" : "OVER";
  console.log(`bundle budget: ${(br / 1024).toFixed(0)} KB brotli of ${(budget / 1024).toFixed(0)} KB: ${verdict}` +
    (br > budget ? ` by ${((br - budget) / 1024).toFixed(0)} KB` : ""));
  if (br > budget) {
    if (process.env.ENFORCE === "0") {
      const ceiling = Number(process.env.CEILING_KB) * 1024;
      console.log("bundle budget: not enforced (BUNDLE_BUDGET_ENFORCE=0)");
      if (ceiling > 0) {
        console.log(`bundle ceiling: ${(br / 1024).toFixed(0)} KB brotli of ${(ceiling / 1024).toFixed(0)} KB: ${br <= ceiling ? "within" : "OVER"}`);
        if (br > ceiling) process.exit(1);
      }
    } else process.exit(1);
  }
}
'
