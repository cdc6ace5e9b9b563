#!/usr/bin/env bash
# Builds the playground (release, wasm-opt'ed) and serves it on http://127.0.0.1:8080.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
say "building and serving on http://127.0.0.1:8080 (Ctrl+C stops)"
exec trunk serve index.html --release --address 127.0.0.1 --port 8080
