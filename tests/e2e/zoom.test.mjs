// End-to-end tests of the graph's zoom and pan (buttons, wheel, drag, keyboard), the restart
// pulse and the fading of terminating pods.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';

import { OUTPUT, TEST_TIMEOUT, openApp, assertNoPageErrors, replaceEditorText } from './support.mjs';

const POD = `apiVersion: v1
kind: Pod
metadata:
  name: nginx
spec:
  containers:
  - name: nginx
    image: nginx:1.27
`;

const transform = (page) => page.locator('[data-testid=graph] g.viewport').getAttribute('transform');

test('the graph zooms and pans by buttons, wheel, drag and keyboard', { timeout: TEST_TIMEOUT }, async (t) => {
  const { page, pageErrors, close } = await openApp(t);
  try {
    const graph = page.locator('[data-testid=graph]');
    const svg = graph.locator('svg.graph-svg');
    await graph.locator('[data-node="node-1"]').waitFor();
    assert.equal(await transform(page), 'translate(0 0) scale(1)');
    const before = await graph.locator('[data-node="node-1"] .node-frame').boundingBox();
    await page.locator('[data-testid=zoom-in]').click();
    await page.locator('[data-testid=zoom-in]').click();
    assert.equal(await svg.getAttribute('data-zoom'), '1.562');
    const after = await graph.locator('[data-node="node-1"] .node-frame').boundingBox();
    assert.ok(after.width > before.width * 1.5, `${after.width} vs ${before.width}`);
    await page.locator('[data-testid=zoom-reset]').click();
    assert.equal(await svg.getAttribute('data-zoom'), '1.000');

    // The wheel zooms around the pointer: the point under it stays put.
    const box = await svg.boundingBox();
    const px = box.x + box.width * 0.3;
    const py = box.y + 40;
    await page.mouse.move(px, py);
    await page.mouse.wheel(0, -400);
    await page.waitForFunction(() => Number(document.querySelector('svg.graph-svg').dataset.zoom) > 1.5);
    const zoomed = Number(await svg.getAttribute('data-zoom'));
    const [, tx] = (await transform(page)).match(/translate\(([-\d.e]+)/);
    const ratio = 720 / box.width;
    const pointer = (px - box.x) * ratio;
    assert.ok(Math.abs(Number(tx) - (pointer - pointer * zoomed)) < 1, `translate ${tx} keeps ${pointer} fixed at ${zoomed}×`);

    // Drag the background to pan.
    await page.locator('[data-testid=zoom-reset]').click();
    const empty = { x: box.x + box.width - 4, y: box.y + box.height - 4 };
    await page.mouse.move(empty.x, empty.y);
    await page.mouse.down();
    await page.mouse.move(empty.x - 100, empty.y - 50, { steps: 5 });
    await page.mouse.up();
    const [, dx, dy] = (await transform(page)).match(/translate\(([-\d.e]+) ([-\d.e]+)\)/);
    assert.ok(Math.abs(Number(dx) + 100 * ratio) < 2 && Math.abs(Number(dy) + 50 * ratio) < 2, `panned to ${dx},${dy} (ratio ${ratio})`);

    // The keyboard on the focused graph.
    await svg.focus();
    await page.keyboard.press('0');
    assert.equal(await transform(page), 'translate(0 0) scale(1)');
    await page.keyboard.press('+');
    await page.keyboard.press('ArrowLeft');
    assert.equal(await svg.getAttribute('data-zoom'), '1.250');
    assert.match(await transform(page), /^translate\(-50 /);
    await page.screenshot({ path: path.join(OUTPUT, 'graph-zoomed.png') });
    await page.keyboard.press('-');
    await page.keyboard.press('0');
    // Clicking a node still selects it.
    await graph.locator('[data-node="node-2"] .node-frame').click();
    await page.locator('[data-testid=inspector-title]', { hasText: 'Node node-2' }).waitFor();
    assertNoPageErrors(pageErrors);
  } finally {
    await close();
  }
});

test('a restarted pod pulses and a terminating pod fades', { timeout: TEST_TIMEOUT }, async (t) => {
  const { page, pageErrors, close } = await openApp(t);
  try {
    const graph = page.locator('[data-testid=graph]');
    await replaceEditorText(page, POD);
    await page.locator('[data-testid=apply]').click();
    const mark = graph.locator('[data-pod="default/nginx"]');
    await graph.locator('[data-pod="default/nginx"][data-phase=Running]').waitFor();
    const input = page.locator('[data-testid=terminal-input]');
    await input.fill('cluster crash nginx');
    await input.press('Enter');
    await graph.locator('[data-pod="default/nginx"][data-restarts="1"].restarted').waitFor();
    await page.waitForTimeout(250);
    await page.screenshot({ path: path.join(OUTPUT, 'pod-restart-pulse.png') });
    // The pulse ends.
    await graph.locator('[data-pod="default/nginx"][data-restarts="1"]:not(.restarted)').waitFor({ timeout: 10_000 });
    // Terminating: the mark fades (nginx takes a moment to stop on SIGTERM).
    await page.locator('[data-testid=pause]').click();
    await input.fill('kubectl delete pod nginx --wait=false');
    await input.press('Enter');
    await graph.locator('[data-pod="default/nginx"][data-phase=Terminating]').waitFor();
    await page.waitForTimeout(2200);
    const opacity = await mark.evaluate((el) => Number(getComputedStyle(el).opacity));
    assert.ok(opacity < 0.5, `terminating pod faded to ${opacity}`);
    assertNoPageErrors(pageErrors);
  } finally {
    await close();
  }
});
