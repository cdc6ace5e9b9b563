// Shared helpers for the Playwright end-to-end tests: a static server over dist/, the system
// Chromium, a fresh page with error collection, editor and text helpers. Not a test file itself
// (node --test picks up *.test.mjs only).

import { before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import fs from 'node:fs';
import path from 'node:path';
import { CHROMIUM_ARGS, chromiumPath, serve } from './server.mjs';

const require = createRequire(new URL('../../web/package.json', import.meta.url));
const { chromium } = require('playwright-core');

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const DIST = path.resolve(process.env.KUBEPLAY_DIST || path.join(REPO, 'dist'));
export const OUTPUT = fileURLToPath(new URL('./output/', import.meta.url));
export const TEST_TIMEOUT = 60_000;
export const STEP_TIMEOUT = 30_000;

let server;
export let baseUrl;
export let browser;

before(async () => {
  assert.ok(
    fs.existsSync(path.join(DIST, 'index.html')),
    `${DIST}/index.html not found: build the app first (trunk build index.html --release) or set KUBEPLAY_DIST`,
  );
  fs.mkdirSync(OUTPUT, { recursive: true });
  ({ server, url: baseUrl } = await serve(DIST));
  browser = await chromium.launch({
    executablePath: chromiumPath(),
    headless: true,
    args: CHROMIUM_ARGS,
  });
}, { timeout: TEST_TIMEOUT });

after(async () => {
  if (browser) await browser.close();
  if (server) await new Promise((resolve) => server.close(resolve));
});

/**
 * A fresh page on the app, with error collection. Returns
 * { page, pageErrors, consoleErrors, close }.
 */
export async function openApp(t, url) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 860 } });
  const page = await context.newPage();
  page.setDefaultTimeout(STEP_TIMEOUT);
  const pageErrors = [];
  const consoleErrors = [];
  page.on('pageerror', (err) => pageErrors.push(String(err && err.stack ? err.stack : err)));
  page.on('console', (msg) => {
    if (msg.type() === 'error') {
      const where = msg.location()?.url;
      consoleErrors.push(where ? `${msg.text()} (${where})` : msg.text());
    }
  });
  page.on('requestfailed', (req) =>
    consoleErrors.push(`request failed: ${req.url()} ${req.failure()?.errorText ?? ''}`),
  );
  page.on('response', (res) => {
    if (res.status() >= 400) consoleErrors.push(`HTTP ${res.status()} ${res.url()}`);
  });
  await page.goto(url ?? baseUrl, { waitUntil: 'load' });
  await page.locator('[data-testid=editor] .cm-content').waitFor({ state: 'visible' });
  const close = async () => {
    for (const e of consoleErrors) t.diagnostic(`console error: ${e}`);
    await context.close();
  };
  return { page, context, pageErrors, consoleErrors, close };
}

export function assertNoPageErrors(pageErrors) {
  assert.deepEqual(pageErrors, [], `uncaught page errors:\n${pageErrors.join('\n')}`);
}

/** Replace the whole editor document the way a user's paste does. */
export async function replaceEditorText(page, text) {
  const content = page.locator('[data-testid=editor] .cm-content');
  await content.click();
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.insertText(text);
  // The editor must now hold exactly what was pasted.
  await page.waitForFunction(
    (expected) => window.kubeplayEditor.getText(0) === expected,
    text,
    { timeout: 5_000 },
  ).catch(async () => {
    const actual = await page.evaluate(() => window.kubeplayEditor.getText(0));
    assert.equal(actual, text, 'editor text after paste');
  });
}

/** Wait until the element's rendered text (innerText) matches every regex. */
export async function waitForText(page, selector, regexes) {
  const sources = regexes.map((r) => [r.source, r.flags]);
  try {
    await page.waitForFunction(
      ({ selector, sources }) => {
        const el = document.querySelector(selector);
        if (!el) return false;
        const text = el.innerText ?? el.textContent ?? '';
        return sources.every(([s, f]) => new RegExp(s, f).test(text));
      },
      { selector, sources },
      { timeout: STEP_TIMEOUT },
    );
  } catch (err) {
    const text = await page
      .locator(selector)
      .first()
      .innerText({ timeout: 1_000 })
      .catch(() => '<element missing>');
    assert.fail(`${selector} never matched ${regexes.join(' and ')}; text was:\n${text}`);
  }
}

/** The simulated clock the page shows (`clock`, HH:MM:SS), in seconds. */
export async function clockSeconds(page) {
  const text = await page.locator('[data-testid=clock]').innerText();
  const [h, m, s] = text.split(':').map(Number);
  return h * 3600 + m * 60 + s;
}
