// End-to-end tests of the page's extras: the dark/light theme (remembered), embed mode, "Export
// for a real cluster", the loading bar and the Content-Security-Policy (no inline script, no
// violation while the page works).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { OUTPUT, TEST_TIMEOUT, baseUrl, browser, openApp, assertNoPageErrors, replaceEditorText, waitForText } from './support.mjs';

const DIST = path.resolve(process.env.KUBEPLAY_DIST || fileURLToPath(new URL('../../dist/', import.meta.url)));

test('the theme toggles dark and light and is remembered', { timeout: TEST_TIMEOUT }, async (t) => {
  const { page, pageErrors, close } = await openApp(t);
  try {
    const theme = () => page.evaluate(() => document.documentElement.dataset.theme);
    assert.equal(await theme(), 'light');
    await page.locator('[data-testid=theme]').click();
    assert.equal(await theme(), 'dark');
    const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    assert.equal(background, 'rgb(13, 17, 23)');
    await page.locator('[data-testid=graph] [data-node="node-1"]').waitFor();
    await page.screenshot({ path: path.join(OUTPUT, 'theme-dark.png') });
    await page.reload();
    await page.locator('[data-testid=editor] .cm-content').waitFor();
    assert.equal(await theme(), 'dark', 'remembered across a reload');
    await page.locator('[data-testid=theme]').click();
    assert.equal(await theme(), 'light');
    assertNoPageErrors(pageErrors);
  } finally {
    await close();
  }
});

test('embed mode shows the editor and the graph only', { timeout: TEST_TIMEOUT }, async (t) => {
  const { page, pageErrors, close } = await openApp(t, `${baseUrl}?embed=1`);
  try {
    await page.locator('[data-testid=graph] [data-node="node-1"]').waitFor();
    for (const hidden of ['terminal-input', 'inspector', 'events', 'clock', 'export']) {
      assert.equal(await page.locator(`[data-testid=${hidden}]`).count(), 0, `${hidden} is hidden`);
    }
    await page.locator('[data-testid=apply]').click();
    await page.locator('[data-testid=graph] [data-service="default/web"]').waitFor();
    await page.locator('[data-testid=graph] [data-pod^="default/web-"][data-phase=Running]').first().waitFor();
    await page.screenshot({ path: path.join(OUTPUT, 'embed.png') });
    assertNoPageErrors(pageErrors);
  } finally {
    await close();
  }
});

test('Export downloads the manifests and a script of the kubectl commands', { timeout: TEST_TIMEOUT }, async (t) => {
  const { page, pageErrors, close } = await openApp(t);
  try {
    const input = page.locator('[data-testid=terminal-input]');
    await input.fill('kubectl get ns');
    await input.press('Enter');
    await replaceEditorText(page, 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n');
    await page.locator('[data-testid=apply]').click();
    await waitForText(page, '[data-testid=apply-output]', [/namespace\/shop created/]);
    for (const line of ['cluster fail-node node-1', 'k create deployment web --image=nginx', 'kubectl get pods -w']) {
      await input.fill(line);
      await input.press('Enter');
    }
    await waitForText(page, '[data-testid=terminal-output]', [/deployment.apps\/web created/]);
    const downloads = [];
    page.on('download', (d) => downloads.push(d));
    await page.locator('[data-testid=export]').click();
    await page.waitForFunction(() => true);
    for (let i = 0; i < 50 && downloads.length < 2; i++) await page.waitForTimeout(100);
    const files = {};
    for (const d of downloads) {
      const file = path.join(OUTPUT, `export-${d.suggestedFilename()}`);
      await d.saveAs(file);
      files[d.suggestedFilename()] = fs.readFileSync(file, 'utf8');
    }
    assert.deepEqual(Object.keys(files).sort(), ['kubeplay.sh', 'manifests.yaml']);
    assert.equal(files['manifests.yaml'], 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n');
    // The script does what was done, in order; a stream would never end in a script.
    assert.match(files['kubeplay.sh'], /\nkubectl get ns\n\nkubectl apply -f manifests.yaml\n# playground only: cluster fail-node node-1\nkubectl create deployment web --image=nginx\n# streams until Ctrl\+C: kubectl get pods -w\n$/);
    assertNoPageErrors(pageErrors);
  } finally {
    await close();
  }
});

test('a CSP forbids inline scripts and nothing on the page violates it; a loading bar shows first', { timeout: TEST_TIMEOUT }, async (t) => {
  const html = fs.readFileSync(path.join(DIST, 'index.html'), 'utf8');
  assert.match(html, /http-equiv="Content-Security-Policy"/);
  assert.match(html, /script-src 'self' 'wasm-unsafe-eval';/);
  const inline = [...html.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)].filter(([, attributes, body]) => !/\bsrc=/.test(attributes) || body.trim());
  assert.deepEqual(inline.map(([whole]) => whole), [], 'no inline script in dist/index.html');
  assert.match(html, /id="kubeplay-loading"/);

  const context = await browser.newContext({ viewport: { width: 1280, height: 860 } });
  const page = await context.newPage();
  const pageErrors = [];
  page.on('pageerror', (err) => pageErrors.push(String(err)));
  const close = () => context.close();
  try {
    await context.addInitScript(() => {
      window.__violations = [];
      document.addEventListener('securitypolicyviolation', (e) => window.__violations.push(`${e.violatedDirective} ${e.blockedURI}`));
    });
    // Slow the wasm down to see the bar move.
    await page.route('**/*.wasm', async (route) => {
      await new Promise((resolve) => setTimeout(resolve, 400));
      await route.continue();
    });
    await page.goto(baseUrl, { waitUntil: 'domcontentloaded' });
    await page.locator('#kubeplay-loading').waitFor();
    await page.screenshot({ path: path.join(OUTPUT, 'loading.png') });
    await page.locator('[data-testid=editor] .cm-content').waitFor();
    await page.locator('#kubeplay-loading').waitFor({ state: 'detached' });
    await page.locator('[data-testid=apply]').click();
    await page.locator('[data-testid=graph] [data-pod^="default/web-"][data-phase=Running]').first().waitFor();
    const input = page.locator('[data-testid=terminal-input]');
    await input.fill('kubectl get pods');
    await input.press('Enter');
    await waitForText(page, '[data-testid=terminal-output]', [/web-/]);
    assert.deepEqual(await page.evaluate(() => window.__violations), []);
    assertNoPageErrors(pageErrors);
  } finally {
    await close();
  }
});
