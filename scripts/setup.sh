#!/usr/bin/env bash
# Installs what building and testing kubeplay needs, and only what is missing (idempotent).
# Sourced by scripts/serve.sh and scripts/test.sh. Versions are pinned; nothing is downloaded from
# anywhere but the package registries (crates.io, npm, Debian).
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo_root"

TRUNK_VERSION="0.21.14"
export PATH="$HOME/.cargo/bin:$repo_root/web/node_modules/.bin:$PATH"
export TRUNK_OFFLINE=true
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1

say() { printf '==> %s\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

command -v cargo >/dev/null || die "cargo is missing: install Rust with rustup (https://rustup.rs), then run this again"
command -v node >/dev/null && command -v npm >/dev/null || die "node and npm are missing: install Node.js 20+ (e.g. apt-get install nodejs npm)"

if ! rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown >&2
fi

if [ "$(trunk --version 2>/dev/null || true)" != "trunk $TRUNK_VERSION" ]; then
  say "installing trunk $TRUNK_VERSION (takes ~7 minutes on 2 cores)"
  cargo install --locked trunk --version "$TRUNK_VERSION" >&2
fi

# wasm-bindgen-cli must be exactly the wasm-bindgen that Cargo.lock pins.
wasm_bindgen_version="$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)"
[ -n "$wasm_bindgen_version" ] || die "cannot find wasm-bindgen in Cargo.lock"
if [ "$(wasm-bindgen --version 2>/dev/null || true)" != "wasm-bindgen $wasm_bindgen_version" ] \
  || ! command -v wasm-bindgen-test-runner >/dev/null; then
  say "installing wasm-bindgen-cli $wasm_bindgen_version (takes ~2 minutes)"
  cargo install wasm-bindgen-cli --version "$wasm_bindgen_version" --force >&2
fi

rustup toolchain list | grep -q '^nightly' \
  || die "the nightly Rust toolchain is missing (cargo fuzz needs it): rustup toolchain install nightly"
if [ "$(cargo fuzz --version 2>/dev/null || true)" != "cargo-fuzz 0.13.2" ]; then
  say "installing cargo-fuzz 0.13.2 (takes ~2 minutes)"
  cargo install cargo-fuzz --version 0.13.2 --locked >&2
fi

if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    say "installing Debian's chromium and chromium-driver"
    apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >&2
  else
    die "chromium and chromedriver are missing: install them (Debian: sudo apt-get install chromium chromium-driver)"
  fi
fi

# A Korean font so the page's 한국어 labels render in headless screenshots (cosmetic: tests do
# not need it, so a machine without root just goes on without it).
if [ ! -d /usr/share/fonts/truetype/nanum ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  say "installing Debian's fonts-nanum (Korean glyphs for screenshots)"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-nanum >&2 || say "fonts-nanum not installed; Korean labels may show as boxes in screenshots"
fi

# npm packages (CodeMirror, esbuild, binaryen's wasm-opt, playwright-core), exactly as locked.
if [ ! -f web/node_modules/.package-lock.json ] || ! cmp -s web/package-lock.json web/node_modules/.kubeplay-installed-lock; then
  say "installing npm packages (npm ci)"
  (cd web && npm ci --no-audit --no-fund >&2 && cp package-lock.json node_modules/.kubeplay-installed-lock)
fi
command -v wasm-opt >/dev/null || die "wasm-opt is missing from web/node_modules/.bin: run 'npm ci' in web/"
