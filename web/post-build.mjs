// Trunk post_build hook: moves the inline <script type="module"> Trunk writes into index.html
// (the wasm loader's bootstrap) into its own file, so the page's Content-Security-Policy can
// forbid inline scripts (script-src 'self' 'wasm-unsafe-eval').
import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';

const staging = process.env.TRUNK_STAGING_DIR;
if (!staging) {
  console.error('post-build: TRUNK_STAGING_DIR is not set');
  process.exit(1);
}
const indexPath = path.join(staging, 'index.html');
let html = fs.readFileSync(indexPath, 'utf8');
let moved = 0;
html = html.replace(/<script([^>]*)>([\s\S]*?)<\/script>/g, (whole, attributes, body) => {
  if (/\bsrc\s*=/.test(attributes) || body.trim() === '') return whole;
  const hash = crypto.createHash('sha256').update(body).digest('hex').slice(0, 16);
  const name = `boot-${hash}.js`;
  fs.writeFileSync(path.join(staging, name), body);
  moved += 1;
  const kept = attributes.replace(/\s*nonce="[^"]*"/, '');
  return `<script${kept} src="./${name}"></script>`;
});
fs.writeFileSync(indexPath, html);
console.error(`post-build: moved ${moved} inline script(s) out of index.html`);
