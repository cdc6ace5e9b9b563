// End-to-end test of the built kubeplay page in headless Chromium.
//
//   node --test tests/e2e/
//
// Serves KUBEPLAY_DIST (default <repo>/dist, i.e. the output of a release
// trunk build) on 127.0.0.1 and drives it with playwright-core from
// web/node_modules (install with `PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci`
// in web/). The browser is the system Chromium: $CHROMIUM or
// `command -v chromium`; nothing is downloaded.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';

import {
  OUTPUT,
  TEST_TIMEOUT,
  openApp,
  assertNoPageErrors,
  replaceEditorText,
  waitForText,
} from './support.mjs';

const MANIFESTS = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels:
    app: web
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
          ports:
            - containerPort: 80
---
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector:
    app: web
  ports:
    - port: 80
      targetPort: 80
`;

const BROKEN = `apiVersion: v1
kind: Pod
metadata:
  name: x
 bad: [
`;

async function applyManifests(page) {
  await replaceEditorText(page, MANIFESTS);
  await page.locator('[data-testid=apply]').click();
  const list = page.locator('[data-testid=object-list]');
  await list.locator('[data-object="Deployment/default/web"]').waitFor({ state: 'visible' });
  await list.locator('[data-object="Service/default/web"]').waitFor({ state: 'visible' });
}

test('apply a Deployment and a Service, then report a YAML error without losing text', { timeout: TEST_TIMEOUT }, async (t) => {
  const { page, pageErrors, close } = await openApp(t);
  try {
    await applyManifests(page);
    await page.screenshot({ path: path.join(OUTPUT, 'applied.png'), fullPage: true });
    assertNoPageErrors(pageErrors);

    await replaceEditorText(page, BROKEN);
    await page.locator('[data-testid=apply]').click();
    const panel = page.locator('[data-testid=error-panel]');
    await panel.waitFor({ state: 'visible' });
    await waitForText(page, '[data-testid=error-panel]', [/line \d+/, /column \d+/]);
    await page.screenshot({ path: path.join(OUTPUT, 'error.png'), fullPage: true });

    const after = await page.evaluate(() => window.kubeplayEditor.getText(0));
    assert.equal(after, BROKEN, 'the editor must keep exactly what the user typed');
    assertNoPageErrors(pageErrors);
  } finally {
    await close();
  }
});

test('kubectl get deployments in the terminal', { timeout: TEST_TIMEOUT }, async (t) => {
  const { page, pageErrors, close } = await openApp(t);
  try {
    await applyManifests(page);

    const input = page.locator('[data-testid=terminal-input]');
    await input.fill('kubectl get deployments');
    await input.press('Enter');
    await waitForText(page, '[data-testid=terminal-output]', [
      /NAME\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+AGE/,
      /^web\s/m,
    ]);
    await page.screenshot({ path: path.join(OUTPUT, 'terminal.png'), fullPage: true });
    assertNoPageErrors(pageErrors);
  } finally {
    await close();
  }
});

test('kubectl get -w streams in the terminal until Ctrl+C', { timeout: TEST_TIMEOUT }, async (t) => {
  const { page, pageErrors, close } = await openApp(t);
  try {
    // Paused: the Deployment's pod does not exist yet when the watch starts.
    await page.locator('[data-testid=pause]').click();
    const input = page.locator('[data-testid=terminal-input]');
    await input.fill('kubectl create deployment streamed --image=nginx:1.27');
    await input.press('Enter');
    await input.fill('kubectl get pods -w');
    await input.press('Enter');
    await waitForText(page, '[data-testid=terminal-output]', [/\$ kubectl get pods -w\nNo resources found in default namespace\./]);
    // Play: the pod's rows arrive as simulated time passes, the header with the first one.
    await page.locator('[data-testid=play]').click();
    await waitForText(page, '[data-testid=terminal-output]', [
      /No resources found in default namespace\.\nNAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\nstreamed-/,
      /^streamed-\S+\s+1\/1\s+Running/m,
    ]);
    await input.press('Control+c');
    await waitForText(page, '[data-testid=terminal-output]', [/\^C$/m]);
    await page.screenshot({ path: path.join(OUTPUT, 'terminal-watch.png'), fullPage: true });
    assertNoPageErrors(pageErrors);
  } finally {
    await close();
  }
});
