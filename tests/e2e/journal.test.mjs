// The cluster's input journal: a reload rebuilds the same cluster, a share link rebuilds it in
// a fresh browser, "Fast-forward until settled" and "New cluster".

import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import {
  OUTPUT, TEST_TIMEOUT, assertNoPageErrors, clockSeconds, openApp, replaceEditorText, waitForText,
} from './support.mjs';

const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 2
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: web
        image: nginx:1.27
`;

/** The pods the graph shows, with their STATUS, sorted. */
async function podsShown(page) {
  return page.evaluate(() =>
    [...document.querySelectorAll('[data-testid=graph] [data-pod]')]
      .map((e) => `${e.getAttribute('data-pod')} ${e.getAttribute('data-phase')}`)
      .sort());
}

async function type(page, line) {
  const input = page.locator('[data-testid=terminal-input]');
  await input.fill(line);
  await input.press('Enter');
}

/** Apply, scale, run a pod, fail a node, interleaved with time passing; then pause. */
async function buildScenario(page) {
  await replaceEditorText(page, DEPLOYMENT);
  await page.locator('[data-testid=apply]').click();
  await page.locator('[data-object="Deployment/default/web"]').waitFor();
  await type(page, 'kubectl scale deployment web --replicas=4');
  await waitForText(page, '[data-testid=terminal-output]', [/deployment.apps\/web scaled/]);
  await page.locator('[data-testid=speed]').selectOption('16');
  await page.waitForTimeout(600);
  await type(page, 'kubectl run probe --image=busybox:1.36 -- sleep 3600');
  await type(page, 'cluster fail-node node-3');
  await page.waitForTimeout(800);
  await type(page, 'kubectl get pods');
  await waitForText(page, '[data-testid=terminal-output]', [/^probe\s/m]);
  await page.locator('[data-testid=pause]').click();
}

test('a reload rebuilds the same cluster from the autosaved inputs', { timeout: TEST_TIMEOUT * 2 }, async (t) => {
  const { page, pageErrors, close } = await openApp(t);
  try {
    await buildScenario(page);
    const pods = await podsShown(page);
    assert.ok(pods.length >= 5, `pods before the reload: ${pods.join(', ')}`);
    const terminal = await page.locator('[data-testid=terminal-output]').innerText();
    const clock = await clockSeconds(page);

    await page.reload();
    await page.locator('[data-testid=editor] .cm-content').waitFor();
    await waitForText(page, '[data-testid=notice]', [/Your cluster is back as you left it \(\d+ inputs replayed\)/]);
    // The page plays after a reload: pause at once, then compare.
    await page.locator('[data-testid=pause]').click();
    const after = await clockSeconds(page);
    assert.ok(after >= clock && after <= clock + 10, `clock ${clock} s before, ${after} s after`);
    const restored = await page.locator('[data-testid=terminal-output]').innerText();
    assert.ok(restored.startsWith(terminal.trimEnd()), `terminal after the reload:\n${restored}`);
    // The same pods (names come from the seeded cluster), where the clock has them.
    const podsAfter = await podsShown(page);
    assert.deepEqual(podsAfter.map((p) => p.split(' ')[0]), pods.map((p) => p.split(' ')[0]));
    assert.equal(await page.evaluate(() => window.kubeplayEditor.getText(0)), DEPLOYMENT);
    await page.screenshot({ path: path.join(OUTPUT, 'reload-restored.png'), fullPage: true });

    // New cluster: the objects go, the editor text stays, and a reload keeps it new.
    await page.locator('[data-testid=new-cluster]').click();
    await waitForText(page, '[data-testid=notice]', [/A new cluster \(seed 1\)/]);
    assert.equal(await page.locator('[data-object="Deployment/default/web"]').count(), 0);
    assert.equal(await page.locator('[data-testid=terminal-output]').innerText(), '');
    await page.reload();
    await page.locator('[data-testid=editor] .cm-content').waitFor();
    await page.locator('[data-object^="Namespace/"]').first().waitFor({ state: 'attached' });
    assert.equal(await page.locator('[data-object="Deployment/default/web"]').count(), 0, 'still new after a reload');
    assert.equal(await page.evaluate(() => window.kubeplayEditor.getText(0)), DEPLOYMENT);
    assertNoPageErrors(pageErrors);
  } finally {
    await close();
  }
});

test('a share link rebuilds the same cluster in a fresh browser', { timeout: TEST_TIMEOUT * 2 }, async (t) => {
  const { page, pageErrors, close } = await openApp(t);
  try {
    await buildScenario(page);
    await page.locator('[data-testid=share]').click();
    const link = await page.locator('[data-testid=share-link]').inputValue();
    const pods = await podsShown(page);
    const clock = await clockSeconds(page);

    const fresh = await openApp(t, link);
    try {
      await waitForText(fresh.page, '[data-testid=notice]', [/shared link \(seed 1\).*\(\d+ inputs replayed\)/]);
      await fresh.page.locator('[data-testid=pause]').click();
      const freshClock = await clockSeconds(fresh.page);
      assert.ok(freshClock >= clock && freshClock <= clock + 10, `clock ${clock} s shared, ${freshClock} s opened`);
      assert.deepEqual(
        (await podsShown(fresh.page)).map((p) => p.split(' ')[0]),
        pods.map((p) => p.split(' ')[0]),
      );
      // The author's terminal is rebuilt too, and the cluster answers as the author's did.
      const replayed = await fresh.page.locator('[data-testid=terminal-output]').textContent();
      assert.match(replayed, /deployment\.apps\/web scaled\n/);
      assert.match(replayed, /node\/node-3: its kubelet stopped/);
      await type(fresh.page, 'kubectl get pods -o name');
      await waitForText(fresh.page, '[data-testid=terminal-output]', [/^pod\/probe$/m]);
      await fresh.page.screenshot({ path: path.join(OUTPUT, 'share-rebuilt.png'), fullPage: true });
      assertNoPageErrors(fresh.pageErrors);
    } finally {
      await fresh.close();
    }
    assertNoPageErrors(pageErrors);
  } finally {
    await close();
  }
});

test('fast-forward runs the clock until the cluster settles', { timeout: TEST_TIMEOUT }, async (t) => {
  const { page, pageErrors, close } = await openApp(t);
  try {
    await page.locator('[data-testid=pause]').click();
    await replaceEditorText(page, DEPLOYMENT);
    await page.locator('[data-testid=apply]').click();
    await page.locator('[data-object="Deployment/default/web"]').waitFor();
    const before = await clockSeconds(page);
    await page.locator('[data-testid=fast-forward]').click();
    await waitForText(page, '[data-testid=notice]', [/Fast-forwarded \d+ s: the cluster has settled/]);
    const advanced = (await clockSeconds(page)) - before;
    assert.ok(advanced >= 60 && advanced < 90, `advanced ${advanced} s`);
    const phases = (await podsShown(page)).filter((p) => p.startsWith('default/web-'));
    assert.equal(phases.length, 2, phases.join(', '));
    assert.ok(phases.every((p) => p.endsWith(' Running')), phases.join(', '));
    // Still paused: the clock stays.
    await page.waitForTimeout(600);
    assert.equal(await clockSeconds(page), before + advanced);
    await page.screenshot({ path: path.join(OUTPUT, 'fast-forward.png'), fullPage: true });
    assertNoPageErrors(pageErrors);
  } finally {
    await close();
  }
});
