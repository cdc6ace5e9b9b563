// End-to-end test of the terminal's Tab completion: verbs, kinds and object names; a second
// Tab lists the candidates.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';

import { OUTPUT, TEST_TIMEOUT, openApp, assertNoPageErrors, waitForText } from './support.mjs';

test('Tab completes verbs, kinds and names; a second Tab lists the candidates', { timeout: TEST_TIMEOUT }, async (t) => {
  const { page, pageErrors, close } = await openApp(t);
  try {
    const input = page.locator('[data-testid=terminal-input]');
    await input.fill('kubectl create deployment web --image=nginx:1.27');
    await input.press('Enter');
    await waitForText(page, '[data-testid=terminal-output]', [/deployment.apps\/web created/]);

    // Tab on an empty line moves the focus on (no keyboard trap).
    await input.fill('');
    await input.press('Tab');
    assert.ok(!(await input.evaluate((el) => document.activeElement === el)), 'Tab left the empty terminal');
    await input.fill('kub');
    await input.press('Tab');
    assert.equal(await input.inputValue(), 'kubectl ');
    await input.pressSequentially('ro');
    await input.press('Tab');
    assert.equal(await input.inputValue(), 'kubectl rollout ');
    await input.pressSequentially('sta');
    await input.press('Tab');
    assert.equal(await input.inputValue(), 'kubectl rollout status ');
    await input.press('Tab');
    assert.equal(await input.inputValue(), 'kubectl rollout status deployment/web ');
    assert.ok(await input.evaluate((el) => document.activeElement === el), 'focus stays in the terminal');

    await input.fill('kubectl de');
    await input.press('Tab');
    assert.equal(await input.inputValue(), 'kubectl de');
    await input.press('Tab');
    await waitForText(page, '[data-testid=terminal-output]', [/\$ kubectl de\ndelete  describe\n/]);
    await input.fill('kubectl get deployments w');
    await input.press('Tab');
    assert.equal(await input.inputValue(), 'kubectl get deployments web ');
    await input.press('Enter');
    await waitForText(page, '[data-testid=terminal-output]', [/^web\s+\d\/1/m]);
    await page.locator('.terminal').screenshot({ path: path.join(OUTPUT, 'terminal-completion.png') });
    assertNoPageErrors(pageErrors);
  } finally {
    await close();
  }
});
