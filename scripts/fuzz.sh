#!/usr/bin/env bash
# Fuzzes the manifest decoder with cargo-fuzz (nightly + libFuzzer), seeded with the real
# manifests of ../shared/corpus when they are there. Usage: scripts/fuzz.sh [RUNS] (default 20000,
# with a fixed seed so the run is the same every time: scripts/test.sh runs that; a longer run is
# e.g. `scripts/fuzz.sh 5000000`). A crash leaves its input in fuzz/artifacts/decode/.
set -euo pipefail
repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo_root"
runs="${1:-20000}"
export PATH="$HOME/.cargo/bin:$PATH"
rustup toolchain list | grep -q '^nightly' || { echo "error: the nightly toolchain is missing: rustup toolchain install nightly" >&2; exit 1; }
if [ "$(cargo fuzz --version 2>/dev/null || true)" != "cargo-fuzz 0.13.2" ]; then
  echo "==> installing cargo-fuzz 0.13.2" >&2
  cargo install cargo-fuzz --version 0.13.2 --locked >&2
fi
mkdir -p fuzz/corpus/decode
seeds=()
if [ -d ../shared/corpus ]; then
  seeds+=(../shared/corpus)
else
  echo "fuzz: ../shared/corpus not found; fuzzing from an empty corpus" >&2
fi
cd fuzz
cargo +nightly fuzz run decode corpus/decode "${seeds[@]/#/../}" -- -seed=1 -runs="$runs" -rss_limit_mb=4096 -max_len=65536 -timeout=10
