#!/usr/bin/env bash
# Prints the size of the built page in dist/: wasm, js and css, raw and brotli (-q 11).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
node -e '
const fs = require("fs"), zlib = require("zlib"), path = require("path");
let raw = 0, br = 0;
for (const f of fs.readdirSync("dist")) {
  if (!/\.(wasm|js|css)$/.test(f)) continue;
  const data = fs.readFileSync(path.join("dist", f));
  const b = zlib.brotliCompressSync(data, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
  raw += data.length; br += b;
  console.log(`${f.padEnd(40)} ${(data.length / 1024).toFixed(0).padStart(6)} KB raw ${(b / 1024).toFixed(0).padStart(6)} KB brotli`);
}
console.log(`${"total".padEnd(40)} ${(raw / 1024).toFixed(0).padStart(6)} KB raw ${(br / 1024).toFixed(0).padStart(6)} KB brotli`);
'
