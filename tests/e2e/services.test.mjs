// End-to-end tests of Services in the graph: hubs with edges to their ready endpoints, and the
// requests the terminal sends (curl from outside, kubectl exec … wget) travelling along them;
// failures flash red at the hub.
//
//   node --test tests/e2e/        (after `trunk build index.html --release`; see support.mjs)

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

const WEB = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 3
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
  type: NodePort
  selector:
    app: web
  ports:
  - port: 80
    targetPort: 80
    nodePort: 30080
---
apiVersion: v1
kind: Service
metadata:
  name: empty
spec:
  selector:
    app: nothing
  ports:
  - port: 80
`;

export async function run(page, line) {
  const input = page.locator('[data-testid=terminal-input]');
  await input.fill(line);
  await input.press('Enter');
}

test('Services are hubs with edges to their ready endpoints; requests travel along them', { timeout: TEST_TIMEOUT * 2 }, async (t) => {
  const { page, pageErrors, close } = await openApp(t);
  try {
    const graph = page.locator('[data-testid=graph]');
    await replaceEditorText(page, WEB);
    await page.locator('[data-testid=apply]').click();
    await waitForText(page, '[data-testid=apply-output]', [/service\/web created/, /service\/empty created/]);
    const web = graph.locator('[data-service="default/web"]');
    await web.waitFor();
    // Three ready endpoints once the pods run; kube-system's Services are not drawn by default.
    await page.waitForSelector('[data-service="default/web"][data-endpoints="3"]');
    assert.equal(await graph.locator('[data-edge^="default/web>"]').count(), 3);
    assert.equal(await graph.locator('[data-service="default/empty"]').getAttribute('data-endpoints'), '0');
    assert.equal(await graph.locator('[data-service^="kube-system/"]').count(), 0, 'kube-system hidden by default');
    await graph.locator('[data-testid=namespace-filter]').selectOption('kube-system');
    await graph.locator('[data-service="kube-system/kube-dns"]').waitFor();
    await graph.locator('[data-testid=namespace-filter]').selectOption('');

    // Clicking a hub inspects the Service.
    await web.click();
    await waitForText(page, '[data-testid=inspector-title]', [/Service default\/web/]);

    // 30 requests from outside through the NodePort: dots from the hub to the pods that answered.
    await page.locator('[data-testid=pause]').click();
    await run(page, 'curl -n 30 http://node-1:30080/');
    await waitForText(page, '[data-testid=terminal-output]', [/30 requests to http:\/\/node-1:30080\/: 30 answered/]);
    const dots = graph.locator('[data-request=ok][data-request-service="default/web"]');
    await dots.first().waitFor({ state: 'attached' });
    const answered = await dots.evaluateAll((els) => [...new Set(els.map((e) => e.getAttribute('data-request-pod')))]);
    assert.ok(answered.length >= 2, `requests spread over the endpoints: ${answered}`);
    await page.waitForTimeout(350);
    await graph.screenshot({ path: path.join(OUTPUT, 'services-requests.png') });

    // From a pod: kubectl exec … wget, through the Service; a Service without endpoints refuses.
    await page.locator('[data-testid=play]').click();
    await run(page, 'kubectl run client --image=busybox:1.36 -- sleep 3600');
    await graph.locator('[data-pod="default/client"][data-phase=Running]').waitFor();
    await run(page, 'kubectl exec client -- wget -qO- -T 2 http://web');
    await waitForText(page, '[data-testid=terminal-output]', [/Welcome to nginx/]);
    await graph.locator('[data-request=ok][data-request-service="default/web"]').first().waitFor({ state: 'attached' });
    await run(page, 'kubectl exec client -- wget -qO- -T 2 http://empty');
    await graph.locator('[data-request-failed="default/empty"]').waitFor({ state: 'attached' });
    await graph.locator('[data-request=failed][data-request-service="default/empty"]').first().waitFor({ state: 'attached' });
    await page.waitForTimeout(500);
    await graph.screenshot({ path: path.join(OUTPUT, 'services-failure.png') });
    // Flashes go away once their animation is over.
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=requests] > *').length === 0, null, { timeout: 10_000 });
    assertNoPageErrors(pageErrors);
  } finally {
    await close();
  }
});
