#!/usr/bin/env bash
# Runs every test: formatting and lints, native tests (unit, corpus, golden transcripts), the
# wasm tests in headless Chromium, then the release build of the page and the Playwright
# end-to-end tests against it. Installs what is missing first (scripts/setup.sh).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"

say "cargo fmt --check"
cargo fmt --all -- --check

say "cargo clippy (native, all targets, warnings are errors)"
cargo clippy --workspace --all-targets --locked -- -D warnings

say "cargo clippy (wasm32, the page)"
cargo clippy -p ui --target wasm32-unknown-unknown --all-targets --locked -- -D warnings

say "native tests"
cargo test --workspace --locked

say "fuzzing the manifest decoder (cargo fuzz, fixed seed, 20000 runs)"
scripts/fuzz.sh 20000

say "wasm tests in headless Chromium (wasm-bindgen-test)"
WASM_BINDGEN_TEST_TIMEOUT=180 CHROMEDRIVER="$(command -v chromedriver)" \
CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
  cargo test -p ui --target wasm32-unknown-unknown --tests --locked

say "release build of the page (trunk)"
trunk build index.html --release
say "bundle budget (wasm + js + css <= 1 MB brotli, issue 8)"
# The page is over the 1 MB budget (README "Bundle size": ~1.5 MB today): the budget is
# reported, and a 1,600 KB ceiling (lowered as the page shrinks) fails the run so it cannot grow.
# Drop both variables once it fits: then the budget itself fails the run.
BUNDLE_BUDGET_ENFORCE=0 BUNDLE_CEILING_KB=1600 scripts/bundle-size.sh --check

say "end-to-end tests (Playwright + headless Chromium against dist/)"
node --test tests/e2e/
