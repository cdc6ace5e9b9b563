// End-to-end tests of the inspector's actions: Logs per container with --previous, the exec box,
// Scale and rollout restart.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';

import { OUTPUT, TEST_TIMEOUT, openApp, assertNoPageErrors, replaceEditorText, waitForText } from './support.mjs';

const APP = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 2
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
      - name: nginx
        image: nginx:1.27
---
apiVersion: v1
kind: Pod
metadata:
  name: box
spec:
  containers:
  - name: main
    image: busybox:1.36
    command: ["sh", "-c", "echo hello from main; sleep 3600"]
  - name: side
    image: busybox:1.36
    command: ["sh", "-c", "echo hello from side; sleep 3600"]
`;

test('the inspector shows logs per container, runs exec, scales and restarts rollouts', { timeout: TEST_TIMEOUT * 2 }, async (t) => {
  const { page, pageErrors, close } = await openApp(t);
  try {
    const graph = page.locator('[data-testid=graph]');
    const output = '[data-testid=inspector-output]';
    await replaceEditorText(page, APP);
    await page.locator('[data-testid=apply]').click();
    await graph.locator('[data-pod="default/box"][data-phase=Running]').waitFor();

    // Logs: the first container by default, the other one on request, --previous.
    await graph.locator('[data-pod="default/box"]').click();
    await page.locator('[data-tab=logs]').click();
    await waitForText(page, output, [/\$ kubectl logs box -n default -c main\n/, /hello from main/]);
    await page.locator('[data-testid=inspector-logs-container]').selectOption('side');
    await waitForText(page, output, [/-c side\n/, /hello from side/]);
    await page.locator('[data-testid=inspector-logs-previous]').check();
    await waitForText(page, output, [/-c side --previous/, /previous terminated container "side" in pod "box" not found/]);

    // Exec in the chosen container: the output shows, and the terminal has the line.
    await page.locator('[data-testid=inspector-exec-input]').fill('echo "$HOSTNAME says hi"; echo second line');
    await page.locator('[data-testid=inspector-exec-run]').click();
    await waitForText(page, '[data-testid=inspector-exec-output]', [/kubectl exec box -n default -c side -- sh -c/, /box says hi\nsecond line/]);
    await waitForText(page, '[data-testid=terminal-output]', [/box says hi/]);
    await page.screenshot({ path: path.join(OUTPUT, 'inspector-logs-exec.png') });

    // Logs are a pod's: a Deployment has no Logs tab, but Scale and rollout restart.
    await page.locator('[data-object="Deployment/default/web"]').click();
    await waitForText(page, '[data-testid=inspector-title]', [/Deployment default\/web/]);
    assert.equal(await page.locator('[data-tab=logs]').count(), 0);
    const replicas = page.locator('[data-testid=inspector-replicas]');
    assert.equal(await replicas.inputValue(), '2');
    await replicas.fill('4');
    await page.locator('[data-testid=inspector-scale]').click();
    await waitForText(page, '[data-testid=terminal-output]', [/\$ kubectl scale deployment web -n default --replicas=4\ndeployment.apps\/web scaled/]);
    await page.waitForFunction(() => document.querySelectorAll('[data-pod^="default/web-"][data-phase=Running]').length === 4);
    await page.locator('[data-testid=inspector-rollout-restart]').click();
    await waitForText(page, '[data-testid=terminal-output]', [/\$ kubectl rollout restart deployment\/web -n default\ndeployment.apps\/web restarted/]);
    await page.screenshot({ path: path.join(OUTPUT, 'inspector-scale.png') });
    assertNoPageErrors(pageErrors);
  } finally {
    await close();
  }
});
