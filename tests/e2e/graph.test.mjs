// End-to-end tests of the cluster graph, inspector, events pane, time controls, Delete, share
// links and the language toggle, against the built page in headless Chromium.
//
//   node --test tests/e2e/        (after `trunk build index.html`; see support.mjs)

import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';

import {
  OUTPUT,
  TEST_TIMEOUT,
  baseUrl,
  openApp,
  assertNoPageErrors,
  replaceEditorText,
  waitForText,
  clockSeconds,
} from './support.mjs';

// Two pods that fit and one that cannot fit anywhere (100Gi of memory on 8Gi nodes).
const PODS = `apiVersion: v1
kind: Pod
metadata:
  name: small-1
spec:
  containers:
  - name: nginx
    image: nginx:1.27
    resources:
      requests:
        cpu: 500m
        memory: 256Mi
---
apiVersion: v1
kind: Pod
metadata:
  name: small-2
spec:
  containers:
  - name: nginx
    image: nginx:1.27
---
apiVersion: v1
kind: Pod
metadata:
  name: huge
spec:
  containers:
  - name: nginx
    image: nginx:1.27
    resources:
      requests:
        memory: 100Gi
`;

const pod = (page, key) => page.locator(`[data-testid=graph] [data-pod="${key}"]`);

async function applyPods(page) {
  await replaceEditorText(page, PODS);
  await page.locator('[data-testid=apply]').click();
  await waitForText(page, '[data-testid=apply-output]', [/pod\/small-1 created/, /pod\/huge created/]);
}

/** The (x, y, width, height) of an element in page pixels. */
async function box(locator) {
  const b = await locator.boundingBox();
  assert.ok(b, 'element has a box');
  return b;
}

function inside(inner, outer) {
  return (
    inner.x >= outer.x - 0.5 &&
    inner.y >= outer.y - 0.5 &&
    inner.x + inner.width <= outer.x + outer.width + 0.5 &&
    inner.y + inner.height <= outer.y + outer.height + 0.5
  );
}

test('the graph shows nodes, pods in their node with kubectl STATUS, and the scheduling queue', { timeout: TEST_TIMEOUT }, async (t) => {
  const { page, pageErrors, close } = await openApp(t);
  try {
    const graph = page.locator('[data-testid=graph]');
    for (const name of ['control-plane', 'node-1', 'node-2', 'node-3']) {
      await graph.locator(`[data-node="${name}"]`).waitFor();
    }
    await applyPods(page);
    // The clock runs: the pods get scheduled and started.
    await pod(page, 'default/small-1').and(page.locator('[data-phase=Running]')).waitFor();
    await pod(page, 'default/small-2').and(page.locator('[data-phase=Running]')).waitFor();
    await pod(page, 'default/huge').and(page.locator('[data-phase=Pending]')).waitFor();

    // The graph's STATUS is exactly what kubectl prints.
    const input = page.locator('[data-testid=terminal-input]');
    await input.fill('kubectl get pods');
    await input.press('Enter');
    await waitForText(page, '[data-testid=terminal-output]', [/^small-1\s+1\/1\s+Running/m, /^huge\s+0\/1\s+Pending/m]);

    // A bound pod sits inside its node's box; the unschedulable one inside the queue.
    const smallBox = await box(pod(page, 'default/small-1'));
    const nodeBoxes = await Promise.all(
      ['node-1', 'node-2', 'node-3'].map(async (n) => [n, await box(graph.locator(`[data-node="${n}"] .node-frame`))]),
    );
    assert.equal(nodeBoxes.filter(([, b]) => inside(smallBox, b)).length, 1, 'small-1 is inside exactly one worker');
    const queueBox = await box(graph.locator('.queue-frame'));
    assert.ok(inside(await box(pod(page, 'default/huge')), queueBox), 'huge waits in the queue');
    // Ours (3) and the cluster's own (11 in kube-system, 1 in ingress-nginx, 1 in
    // local-path-storage).
    await waitForText(page, '[data-testid=graph-caption]', [/\b16 pods/, /1 waiting/]);

    // The node's capacity bars count small-1's requests.
    const title = await graph.locator('[data-bar=CPU] title').evaluateAll((els) => els.map((e) => e.textContent));
    // (Each worker also runs a system pod or two: CoreDNS, the ingress controller.)
    assert.ok(
      title.some((t) => {
        const m = /CPU: (\d+)m \/ 4/.exec(t);
        return m && Number(m[1]) >= 500;
      }),
      `cpu bars: ${title.join(' | ')}`,
    );

    // Hovering the queued pod shows the scheduler's message.
    await pod(page, 'default/huge').hover();
    await waitForText(page, '[data-testid=scheduling-message]', [
      /default\/huge: 0\/4 nodes are available: .*Insufficient memory/,
    ]);
    // ...and its verdict for each node.
    await waitForText(page, '[data-testid=scheduling-nodes]', [
      /control-plane: node\(s\) had untolerated taint/,
      /node-1: Insufficient memory/,
    ]);
    await page.screenshot({ path: path.join(OUTPUT, 'graph.png'), fullPage: true });

    // Namespace filter: a pod in kube-public shows under "all namespaces" and under its own
    // namespace only.
    await input.fill('kubectl run other --image=nginx -n kube-public');
    await input.press('Enter');
    await waitForText(page, '[data-testid=graph-caption]', [/\b17 pods/]);
    const filter = graph.locator('[data-testid=namespace-filter]');
    await filter.selectOption('default');
    await waitForText(page, '[data-testid=graph-caption]', [/\b3 pods/]);
    assert.equal(await pod(page, 'kube-public/other').count(), 0);
    await filter.selectOption('kube-public');
    await waitForText(page, '[data-testid=graph-caption]', [/^Detailed view: 1 pod, 0 waiting to be scheduled$/]);
    assert.equal(await pod(page, 'default/small-1').count(), 0);
    await pod(page, 'kube-public/other').waitFor();
    assertNoPageErrors(pageErrors);
  } finally {
    await close();
  }
});

test('the inspector describes, prints YAML and events, edits and deletes', { timeout: TEST_TIMEOUT }, async (t) => {
  const { page, pageErrors, close } = await openApp(t);
  try {
    await applyPods(page);
    await pod(page, 'default/small-1').and(page.locator('[data-phase=Running]')).waitFor();
    await pod(page, 'default/small-1').click();
    const inspector = '[data-testid=inspector-output]';
    await waitForText(page, inspector, [
      /^\$ kubectl describe pod small-1 -n default$/m,
      /^Name:\s+small-1$/m,
      /^Status:\s+Running$/m,
    ]);
    await page.locator('[data-testid=inspector] [data-tab=yaml]').click();
    await waitForText(page, inspector, [/^apiVersion: v1$/m, /^kind: Pod$/m, /^  name: small-1$/m]);
    await page.locator('[data-testid=inspector] [data-tab=events]').click();
    await waitForText(page, inspector, [/Scheduled/, /Started/]);
    await page.screenshot({ path: path.join(OUTPUT, 'inspector.png'), fullPage: true });

    // The keyboard reaches the marks too: focus a pod, press Enter.
    await pod(page, 'default/huge').focus();
    await page.keyboard.press('Enter');
    await waitForText(page, '[data-testid=inspector-title]', [/^Pod default\/huge$/]);

    // A node from the graph.
    await page.locator('[data-testid=graph] [data-node="node-2"]').click({ position: { x: 12, y: 12 } });
    await page.locator('[data-testid=inspector] [data-tab=describe]').click();
    await waitForText(page, inspector, [/^\$ kubectl describe node node-2$/m, /^Name:\s+node-2$/m]);

    // An object from the list; Edit loads its YAML and keeps the old text restorable.
    await page.locator('[data-object="Pod/default/small-2"]').click();
    await page.locator('[data-testid=inspector-edit]').click();
    await page.waitForFunction(() => window.kubeplayEditor.getText(0).includes('name: small-2'));
    const edited = await page.evaluate(() => window.kubeplayEditor.getText(0));
    assert.match(edited, /^apiVersion: v1\nkind: Pod\n/);
    await page.locator('[data-testid=restore-previous]').click();
    await page.waitForFunction((text) => window.kubeplayEditor.getText(0) === text, PODS);

    // Delete from the inspector.
    await page.locator('[data-testid=inspector-delete]').click();
    await waitForText(page, '[data-testid=apply-output]', [/pod "small-2" deleted/]);
    await page.locator('[data-object="Pod/default/small-2"]').waitFor({ state: 'detached' });
    assertNoPageErrors(pageErrors);
  } finally {
    await close();
  }
});

test('events pane, pause, step and speed', { timeout: TEST_TIMEOUT }, async (t) => {
  const { page, pageErrors, close } = await openApp(t);
  try {
    await page.locator('[data-testid=pause]').click();
    await applyPods(page);
    // Paused: the clock and the pods stay where they are.
    const before = await clockSeconds(page);
    await page.waitForTimeout(1200);
    assert.equal(await clockSeconds(page), before, 'paused clock does not move');
    await pod(page, 'default/small-1').and(page.locator('[data-phase=Pending]')).waitFor();

    // Step: each click jumps to the next change in the cluster, so the pod's start is seen in
    // stages, well within the 10 s the old fixed step took.
    const phases = [];
    for (let i = 0; i < 40; i++) {
      const phase = await pod(page, 'default/small-1').getAttribute('data-phase');
      if (phases.at(-1) !== phase) phases.push(phase);
      if (phase === 'Running') break;
      const stepsBefore = await page.locator('[data-testid=events]').innerText();
      await page.locator('[data-testid=step]').click();
      // Wait for the re-render that follows the step (the events pane or the pod changes).
      await page.waitForFunction(
        ({ text, phase }) =>
          document.querySelector('[data-testid=events]').innerText !== text ||
          document.querySelector('[data-pod="default/small-1"]').getAttribute('data-phase') !== phase,
        { text: stepsBefore, phase },
        { timeout: 5_000 },
      ).catch(() => {});
    }
    assert.equal(phases.at(-1), 'Running', `phases seen: ${phases.join(' → ')}`);
    assert.ok(phases.includes('ContainerCreating'), `phases seen: ${phases.join(' → ')}`);
    const elapsed = (await clockSeconds(page)) - before;
    assert.ok(elapsed > 0 && elapsed < 10, `stepping to Running took ${elapsed} simulated s`);
    await waitForText(page, '[data-testid=events]', [
      /^NAMESPACE\s+LAST SEEN\s+TYPE\s+REASON\s+OBJECT\s+MESSAGE$/m,
      /Warning\s+FailedScheduling\s+Pod\/huge/,
      /Normal\s+Scheduled\s+Pod\/small-1/,
    ]);

    // 64x: at least 20 simulated seconds pass in one wall-clock second.
    await page.locator('[data-testid=speed]').selectOption('64');
    await page.locator('[data-testid=play]').click();
    const start = await clockSeconds(page);
    await page.waitForTimeout(1000);
    const moved = (await clockSeconds(page)) - start;
    assert.ok(moved >= 20, `64x moved the clock ${moved}s in 1s`);
    await page.screenshot({ path: path.join(OUTPUT, 'events.png'), fullPage: true });
    assertNoPageErrors(pageErrors);
  } finally {
    await close();
  }
});

test('Delete removes the objects the editor names', { timeout: TEST_TIMEOUT }, async (t) => {
  const { page, pageErrors, close } = await openApp(t);
  try {
    await applyPods(page);
    await page.locator('[data-object="Pod/default/huge"]').waitFor();
    await page.locator('[data-testid=delete]').click();
    await waitForText(page, '[data-testid=apply-output]', [/pod "small-1" deleted/, /pod "huge" deleted/]);
    await page.locator('[data-object="Pod/default/huge"]').waitFor({ state: 'detached' });
    assertNoPageErrors(pageErrors);
  } finally {
    await close();
  }
});

test('a share link opens the text in a fresh page and keeps the autosaved text', { timeout: TEST_TIMEOUT }, async (t) => {
  const { page, context, pageErrors, close } = await openApp(t);
  try {
    await replaceEditorText(page, PODS);
    await page.locator('[data-testid=share]').click();
    const link = await page.locator('[data-testid=share-link]').inputValue();
    assert.match(link, /#s=[A-Za-z0-9_-]+$/);

    // A fresh browser (no autosave) opens the link: the text is loaded, nothing applied.
    const fresh = await openApp(t, link);
    try {
      await fresh.page.waitForFunction((text) => window.kubeplayEditor.getText(0) === text, PODS);
      await waitForText(fresh.page, '[data-testid=notice]', [/shared link \(seed 1\)/]);
      assert.equal(await fresh.page.locator('[data-object="Pod/default/huge"]').count(), 0, 'nothing applied');
      await fresh.page.screenshot({ path: path.join(OUTPUT, 'share-opened.png'), fullPage: true });
      assertNoPageErrors(fresh.pageErrors);
    } finally {
      await fresh.close();
    }

    // In the first browser, the user's autosave differs from the link: it is kept.
    const mine = 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: mine\n';
    await replaceEditorText(page, mine);
    await page.locator('[data-testid=apply]').click();
    await page.locator('[data-object$="/mine"]').waitFor({ state: 'attached' });
    const second = await context.newPage();
    await second.goto(link, { waitUntil: 'load' });
    await second.locator('[data-testid=editor] .cm-content').waitFor();
    await second.waitForFunction((text) => window.kubeplayEditor.getText(0) === text, PODS);
    await second.locator('[data-testid=restore-previous]').click();
    await second.waitForFunction((text) => window.kubeplayEditor.getText(0) === text, mine);
    // The cluster the link replaced comes back with the text (its journal replayed)…
    await waitForText(second, '[data-testid=notice]', [/Your previous text and cluster are back/]);
    await second.locator('[data-object$="/mine"]').waitFor({ state: 'attached' });
    // …and a second click swaps the link's back.
    await second.locator('[data-testid=restore-previous]').click();
    await second.waitForFunction((text) => window.kubeplayEditor.getText(0) === text, PODS);
    await second.locator('[data-object$="/mine"]').waitFor({ state: 'detached' });
    assertNoPageErrors(pageErrors);
  } finally {
    await close();
  }
});

test('a garbled or hostile link shows a message and loses nothing', { timeout: TEST_TIMEOUT }, async (t) => {
  const { page, context, close } = await openApp(t);
  try {
    const mine = 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: mine\n';
    await replaceEditorText(page, mine);
    for (const [hash, message] of [
      ['#s=%%%not-base64', /share link: the link is damaged \(not base64url\)/],
      ['#s=AAAAAAAA', /share link: the link is damaged/],
    ]) {
      const other = await context.newPage();
      const errors = [];
      other.on('pageerror', (err) => errors.push(String(err)));
      await other.goto(baseUrl + hash, { waitUntil: 'load' });
      await other.locator('[data-testid=editor] .cm-content').waitFor();
      await waitForText(other, '[data-testid=error-panel]', [message]);
      assert.equal(await other.evaluate(() => window.kubeplayEditor.getText(0)), mine, 'the autosaved text stays');
      await other.screenshot({ path: path.join(OUTPUT, 'share-garbled.png'), fullPage: true });
      assert.deepEqual(errors, []);
      await other.close();
    }
  } finally {
    await close();
  }
});

test('the language toggle switches the page labels to Korean and back', { timeout: TEST_TIMEOUT }, async (t) => {
  const { page, pageErrors, close } = await openApp(t);
  try {
    const toggle = page.locator('[data-testid=language]');
    await toggle.click();
    await waitForText(page, '[data-testid=apply]', [/^적용$/]);
    await waitForText(page, '[data-testid=language]', [/^English$/]);
    await page.screenshot({ path: path.join(OUTPUT, 'korean.png'), fullPage: true });
    await toggle.click();
    await waitForText(page, '[data-testid=apply]', [/^Apply$/]);
    assertNoPageErrors(pageErrors);
  } finally {
    await close();
  }
});

/** `count` small pods in one List (the page's Apply takes it like `kubectl apply -f`). */
function manyPods(count) {
  const items = [];
  for (let i = 0; i < count; i++) {
    items.push(`- apiVersion: v1
  kind: Pod
  metadata:
    name: p-${i}
  spec:
    containers:
    - name: c
      image: busybox
      resources:
        requests:
          cpu: 1m
          memory: 1Mi`);
  }
  return `apiVersion: v1\nkind: List\nitems:\n${items.join('\n')}\n`;
}

test('above 2,000 visible pods the graph switches to the pixel view and says so', { timeout: 180_000 }, async (t) => {
  const { page, pageErrors, close } = await openApp(t);
  try {
    await page.locator('[data-testid=pause]').click();
    const manifest = manyPods(2_050);
    const started = Date.now();
    await page.evaluate((text) => window.kubeplayEditor.setText(0, text), manifest);
    await page.locator('[data-testid=apply]').click();
    await page.locator('[data-testid=graph][data-detail=pixels]').waitFor({ timeout: 120_000 });
    t.diagnostic(`apply of 2,050 pods until the pixel view: ${Date.now() - started} ms`);
    // 2,050 applied pods plus kube-system's own.
    await waitForText(page, '[data-testid=graph-caption]', [/^Pixel view: 20[5-9]\d pods — more than 2000 visible, drawn as blocks$/]);
    assert.equal(await page.locator('[data-testid=graph] canvas').count(), 1);
    assert.equal(await page.locator('[data-testid=graph] [data-pod]').count(), 0, 'no SVG marks in the pixel view');
    // The canvas has pods drawn on it (queue: amber pixels while paused).
    const painted = await page.locator('[data-testid=graph] canvas').evaluate((canvas) => {
      const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
      let amber = 0;
      for (let i = 0; i < data.length; i += 4) {
        if (data[i] === 219 && data[i + 1] === 154 && data[i + 2] === 4) amber++;
      }
      return amber;
    });
    assert.ok(painted > 2_050, `amber pixels: ${painted}`);
    await page.screenshot({ path: path.join(OUTPUT, 'pixels.png'), fullPage: true });
    // A click on a block selects that pod (the first queued pod sits at the queue's top left).
    const canvas = page.locator('[data-testid=graph] canvas');
    const canvasBox = await box(canvas);
    const scale = canvasBox.width / (await canvas.evaluate((c) => c.width));
    await canvas.click({ position: { x: (10 + 8 + 2) * scale, y: (10 + 24 + 2) * scale } });
    await waitForText(page, '[data-testid=inspector-title]', [/^Pod default\/p-0$/]);
    // Services are drawn in the pixel view too (the default namespace's `kubernetes` one).
    assert.ok(Number(await canvas.getAttribute('data-services')) >= 1, 'a Service hub in the pixel view');
    // Zoom works on the canvas as on the SVG: the blocks grow, and reset brings them back.
    const amberPixels = () => canvas.evaluate((c) => {
      const data = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
      let amber = 0;
      for (let i = 0; i < data.length; i += 4) {
        if (data[i] === 219 && data[i + 1] === 154 && data[i + 2] === 4) amber++;
      }
      return amber;
    });
    await page.locator('[data-testid=zoom-in]').click();
    await page.locator('[data-testid=zoom-in]').click();
    await page.locator('[data-testid=graph] canvas[data-zoom^="1.56"]').waitFor();
    const zoomed = await amberPixels();
    assert.notEqual(zoomed, painted, `zoomed in, the queue's blocks are drawn bigger (${painted} → ${zoomed})`);
    await page.screenshot({ path: path.join(OUTPUT, 'pixels-zoomed.png'), fullPage: true });
    await page.locator('[data-testid=zoom-reset]').click();
    await page.locator('[data-testid=graph] canvas[data-zoom="1.000"]').waitFor();
    assert.equal(await amberPixels(), painted, 'reset draws the same picture as before');
    // The clock stays paused: the engine's first advance with 2,050 new pods takes over a
    // minute natively (scheduler/kubelet scale work is pending), which no page can hide.
    assertNoPageErrors(pageErrors);
  } finally {
    await close();
  }
});

test('a newly scheduled pod travels from the queue to its node', { timeout: TEST_TIMEOUT }, async (t) => {
  const { page, pageErrors, close } = await openApp(t);
  try {
    await page.locator('[data-testid=pause]').click();
    await replaceEditorText(page, 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: traveller\nspec:\n  containers:\n  - name: c\n    image: nginx\n');
    await page.locator('[data-testid=apply]').click();
    const mark = pod(page, 'default/traveller');
    await mark.waitFor();
    const top = () => mark.evaluate((e) => e.getBoundingClientRect().y);
    const start = await top();
    await page.locator('[data-testid=step]').click();
    const samples = [];
    for (let i = 0; i < 15; i++) {
      samples.push(await top());
      await page.waitForTimeout(80);
    }
    const end = samples.at(-1);
    assert.ok(end > start + 20, `the mark moved down into a node: ${start} → ${end}`);
    assert.ok(
      samples.some((y) => y > start + 2 && y < end - 2),
      `seen on its way, not only at both ends: ${samples.map(Math.round).join(', ')}`,
    );
    assertNoPageErrors(pageErrors);
  } finally {
    await close();
  }
});
