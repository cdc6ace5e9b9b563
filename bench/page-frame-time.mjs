// The page's frame-time bench (not a test): opens `dist/` at `?bench=PODS` — the cluster graph
// alone on a synthetic cluster (crates/ui/src/frame_bench.rs) — in headless Chromium and
// measures the time between animation frames at 1,000, 10,000 and 150,000 pods:
//   - zoom: the model stands still, every frame a wheel event zooms the graph in or out;
//   - churn: one pod in a hundred changes status every frame and the graph gets a new model.
// Prints median, p95 and worst frame and frames per second for each.
// Usage: node bench/page-frame-time.mjs [PODS…]   (build first: trunk build index.html --release)
// Headless Chromium without a GPU on a 2-core machine: numbers are upper bounds.

import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import fs from 'node:fs';
import path from 'node:path';
import { CHROMIUM_ARGS, chromiumPath, serve } from '../tests/e2e/server.mjs';

const require = createRequire(new URL('../web/package.json', import.meta.url));
const { chromium } = require('playwright-core');

const REPO = fileURLToPath(new URL('../', import.meta.url));
const DIST = path.resolve(process.env.KUBEPLAY_DIST || path.join(REPO, 'dist'));
const SIZES = process.argv.slice(2).map(Number).filter((n) => n > 0);
const PODS = SIZES.length ? SIZES : [1_000, 10_000, 150_000];
const SECONDS = Number(process.env.BENCH_SECONDS || 4);

if (!fs.existsSync(path.join(DIST, 'index.html'))) {
  console.error(`${DIST}/index.html not found: build first (trunk build index.html --release)`);
  process.exit(2);
}

/** Frame intervals (ms) over `seconds`, calling `perFrame` in each frame first. */
async function frameTimes(page, seconds, zoom) {
  return page.evaluate(async ({ seconds, zoom }) => {
    const surface = document.querySelector('[data-testid=graph] svg, [data-testid=graph] canvas');
    const times = [];
    let last = performance.now();
    const end = last + seconds * 1000;
    let n = 0;
    await new Promise((resolve) => {
      const frame = (now) => {
        times.push(now - last);
        last = now;
        if (zoom && surface) {
          const r = surface.getBoundingClientRect();
          surface.dispatchEvent(new WheelEvent('wheel', {
            deltaY: (Math.floor(n++ / 20) % 2 ? 1 : -1) * 40,
            clientX: r.left + r.width / 2,
            clientY: r.top + Math.min(r.height, 600) / 2,
            bubbles: true,
            cancelable: true,
          }));
        }
        if (now < end) requestAnimationFrame(frame);
        else resolve();
      };
      requestAnimationFrame(frame);
    });
    return times.slice(1);
  }, { seconds, zoom });
}

function summary(times) {
  const sorted = [...times].sort((a, b) => a - b);
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  const total = times.reduce((a, b) => a + b, 0);
  return {
    frames: times.length,
    median: at(0.5),
    p95: at(0.95),
    worst: sorted.at(-1),
    fps: (times.length * 1000) / total,
  };
}

const { server, url } = await serve(DIST);
const browser = await chromium.launch({ executablePath: chromiumPath(), headless: true, args: CHROMIUM_ARGS });
const rows = [];
try {
  for (const pods of PODS) {
    for (const mode of ['zoom', 'churn']) {
      const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
      const errors = [];
      page.on('pageerror', (e) => errors.push(String(e)));
      const started = Date.now();
      await page.goto(`${url}?bench=${pods}${mode === 'churn' ? '&churn=1' : ''}`);
      await page.locator(`[data-testid=frame-bench][data-pods="${pods}"]`).waitFor({ timeout: 300_000 });
      await page.locator('[data-testid=graph]').waitFor({ timeout: 300_000 });
      const firstPaint = Date.now() - started;
      const detail = await page.locator('[data-testid=graph]').getAttribute('data-detail');
      const times = await frameTimes(page, SECONDS, mode === 'zoom');
      const s = summary(times);
      rows.push({ pods, mode, detail, firstPaint, ...s, errors: errors.length });
      await page.close();
      const f = (x) => x.toFixed(1).padStart(7);
      console.log(`${String(pods).padStart(7)} pods  ${mode.padEnd(5)} ${detail.padEnd(6)} first paint ${String(firstPaint).padStart(6)} ms  frames ${String(s.frames).padStart(4)}  median ${f(s.median)} ms  p95 ${f(s.p95)} ms  worst ${f(s.worst)} ms  ${s.fps.toFixed(1)} fps${errors.length ? `  PAGE ERRORS: ${errors.join(' | ')}` : ''}`);
    }
  }
} finally {
  await browser.close();
  server.close();
}
