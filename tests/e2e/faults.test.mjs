// End-to-end tests of the fault menus: right-click (or the ⋯ button, or the keyboard) on a node
// or a pod, and the Cluster… menu; each item runs the `cluster …` / kubectl line it shows, and
// the terminal prints it as if typed.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';

import { OUTPUT, TEST_TIMEOUT, openApp, assertNoPageErrors, replaceEditorText, waitForText } from './support.mjs';

const POD = `apiVersion: v1
kind: Pod
metadata:
  name: nginx
spec:
  containers:
  - name: nginx
    image: nginx:1.27
`;

test('fault menus fail, cordon and drain nodes, crash and delete pods, add nodes and stop the control plane', { timeout: TEST_TIMEOUT * 2 }, async (t) => {
  const { page, pageErrors, close } = await openApp(t);
  try {
    const graph = page.locator('[data-testid=graph]');
    const menu = page.locator('[data-testid=fault-menu]');
    const terminal = '[data-testid=terminal-output]';
    await replaceEditorText(page, POD);
    await page.locator('[data-testid=apply]').click();
    await graph.locator('[data-pod="default/nginx"][data-phase=Running]').waitFor();
    // The worker nginx is not on: the one the test fails.
    const podBox = await graph.locator('[data-pod="default/nginx"]').boundingBox();
    let spare;
    for (const name of ['node-3', 'node-2', 'node-1']) {
      const b = await graph.locator(`[data-node="${name}"] .node-frame`).boundingBox();
      const inside = podBox.x >= b.x && podBox.x <= b.x + b.width && podBox.y >= b.y && podBox.y <= b.y + b.height;
      if (!inside && name !== 'node-1') {
        spare = name;
        break;
      }
    }
    assert.ok(spare, 'a worker without nginx');

    // Right-click a node: its menu, each item showing the line it runs.
    await graph.locator('[data-node="node-1"] .node-frame').click({ button: 'right' });
    await menu.waitFor();
    assert.equal(await menu.getAttribute('data-target'), 'node/node-1');
    assert.deepEqual(
      await menu.locator('[data-action]').evaluateAll((els) => els.map((e) => e.getAttribute('data-action'))),
      ['fail-node', 'recover-node', 'cordon', 'drain', 'remove-node'],
    );
    await page.screenshot({ path: path.join(OUTPUT, 'fault-menu-node.png') });
    await menu.locator('[data-action=cordon]').click();
    await waitForText(page, terminal, [/\$ kubectl cordon node-1\nnode\/node-1 cordoned/]);
    await graph.locator('[data-node="node-1"].cordoned').waitFor();
    assert.equal(await menu.count(), 0, 'the menu closed');

    // A pod's menu: crash its container (it restarts), then delete it.
    await graph.locator('[data-pod="default/nginx"]').click({ button: 'right' });
    await menu.waitFor();
    assert.equal(await menu.getAttribute('data-target'), 'pod/default/nginx');
    await menu.locator('[data-action=crash-container]').click();
    await waitForText(page, terminal, [/\$ cluster crash nginx -c nginx -n default/]);
    await graph.locator('[data-pod="default/nginx"][data-restarts="1"]').waitFor();

    // The keyboard: the ⋯ button opens the menu with the first item focused; arrows move,
    // Escape closes.
    await graph.locator(`[data-node-actions="${spare}"]`).focus();
    await page.keyboard.press('Enter');
    await menu.waitFor();
    assert.equal(await menu.getAttribute('data-target'), `node/${spare}`);
    assert.equal(await page.evaluate(() => document.activeElement.getAttribute('data-action')), 'fail-node');
    await page.keyboard.press('ArrowDown');
    assert.equal(await page.evaluate(() => document.activeElement.getAttribute('data-action')), 'recover-node');
    await page.keyboard.press('Escape');
    await menu.waitFor({ state: 'detached' });
    // Shift+F10 on a focused node opens it too; Enter runs the focused item.
    await graph.locator(`[data-node="${spare}"]`).focus();
    await page.keyboard.press('Shift+F10');
    await menu.waitFor();
    await page.keyboard.press('Enter');
    await waitForText(page, terminal, [new RegExp(`\\$ cluster fail-node ${spare}`)]);

    // Near the right edge the menu stays inside the graph panel.
    await graph.locator('[data-node="node-3"] .node-frame').click({ button: 'right', position: { x: 150, y: 20 } });
    await menu.waitFor();
    const menuBox = await menu.boundingBox();
    const panelBox = await graph.boundingBox();
    assert.ok(menuBox.x + menuBox.width <= panelBox.x + panelBox.width + 1, `menu ${JSON.stringify(menuBox)} inside ${JSON.stringify(panelBox)}`);
    await page.keyboard.press('Escape');
    await menu.waitFor({ state: 'detached' });

    // The cluster menu: add a node, stop and start the control plane.
    await page.locator('[data-testid=cluster-menu]').click();
    await menu.waitFor();
    assert.equal(await menu.getAttribute('data-target'), 'cluster');
    await menu.locator('[data-action=add-node]').click();
    await graph.locator('[data-node="node-4"]').waitFor();
    await page.locator('[data-testid=cluster-menu]').click();
    await menu.locator('[data-action=stop-control-plane]').click();
    await waitForText(page, terminal, [/\$ cluster stop-control-plane/]);
    await page.locator('[data-testid=cluster-menu]').click();
    await menu.locator('[data-action=start-control-plane]').click();
    await waitForText(page, terminal, [/\$ cluster start-control-plane/]);

    // The failed node turns NotReady (50 s of simulated time at 64×).
    await page.locator('[data-testid=speed]').selectOption('64');
    await graph.locator(`[data-node="${spare}"].not-ready`).waitFor();
    await graph.locator('[data-pod="default/nginx"]').click({ button: 'right' });
    await menu.locator('[data-action=delete-pod]').click();
    await waitForText(page, terminal, [/pod "nginx" deleted/]);
    await page.screenshot({ path: path.join(OUTPUT, 'fault-menu-after.png') });
    assertNoPageErrors(pageErrors);
  } finally {
    await close();
  }
});

const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 6
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

/** The pods drawn inside a node's box, with their STATUS. */
async function podsInNode(page, node) {
  const frame = await page.locator(`[data-testid=graph] [data-node="${node}"] .node-frame`).boundingBox();
  const pods = await page.locator('[data-testid=graph] [data-pod]').evaluateAll((els) =>
    els.map((e) => {
      const r = e.getBoundingClientRect();
      return { pod: e.getAttribute('data-pod'), phase: e.getAttribute('data-phase'), x: r.x + r.width / 2, y: r.y + r.height / 2 };
    }));
  return pods.filter((p) => p.x >= frame.x && p.x <= frame.x + frame.width && p.y >= frame.y && p.y <= frame.y + frame.height);
}

test('a failed node\'s pods are evicted and move to the other nodes', { timeout: TEST_TIMEOUT * 2 }, async (t) => {
  const { page, pageErrors, close } = await openApp(t);
  try {
    const graph = page.locator('[data-testid=graph]');
    await replaceEditorText(page, DEPLOYMENT);
    await page.locator('[data-testid=apply]').click();
    await page.waitForFunction(() =>
      document.querySelectorAll('[data-testid=graph] [data-pod^="default/web-"][data-phase=Running]').length === 6);
    const before = (await podsInNode(page, 'node-3')).filter((p) => p.pod.startsWith('default/web-'));
    assert.ok(before.length > 0, 'node-3 runs some of the pods');

    await graph.locator('[data-node="node-3"] .node-frame').click({ button: 'right' });
    await page.locator('[data-testid=fault-menu] [data-action=fail-node]').click();
    await waitForText(page, '[data-testid=terminal-output]', [/\$ cluster fail-node node-3/]);
    await page.locator('[data-testid=pause]').click();
    // Fast-forward: NotReady after the grace period, eviction after the 300 s tolerations,
    // replacements Running on the other nodes.
    await page.locator('[data-testid=fast-forward]').click();
    await waitForText(page, '[data-testid=notice]', [/the cluster has settled/]);
    await graph.locator('[data-node="node-3"].not-ready').waitFor();
    const running = await page.locator('[data-testid=graph] [data-pod^="default/web-"][data-phase=Running]').evaluateAll(
      (els) => els.map((e) => e.getAttribute('data-pod')));
    assert.equal(running.length, 6, running.join(', '));
    // (kube-proxy, a DaemonSet pod, tolerates the unreachable node and stays, READY 0/1 but
    // STATUS Running, as on a real cluster.)
    const stillOnNode3 = (await podsInNode(page, 'node-3'))
      .filter((p) => p.pod.startsWith('default/web-') && p.phase === 'Running');
    assert.deepEqual(stillOnNode3, [], 'none of web runs on the failed node');
    for (const gone of before) {
      assert.ok(!running.includes(gone.pod), `${gone.pod} was replaced`);
    }
    await page.screenshot({ path: path.join(OUTPUT, 'node-failed-pods-moved.png') });
    assertNoPageErrors(pageErrors);
  } finally {
    await close();
  }
});
