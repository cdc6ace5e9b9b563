// End-to-end tests of the lessons: a lesson's steps put manifests in the editor and run lines in
// the terminal, each step's check turns done from the live cluster, the position survives a
// reload, the text follows the page's language, and a command's placeholder is filled in from
// the cluster (the LoadBalancer's address).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';

import { OUTPUT, TEST_TIMEOUT, openApp, assertNoPageErrors, waitForText } from './support.mjs';

const status = (page) => page.locator('[data-testid=lesson-status]');

async function waitDone(page) {
  await page.locator('[data-testid=lesson-status][data-done=true]').waitFor();
}

test('a lesson walks through a Pod: editor, Apply, terminal, checks, reload, Korean', { timeout: TEST_TIMEOUT * 2 }, async (t) => {
  const { page, pageErrors, close } = await openApp(t);
  try {
    await page.locator('[data-testid=editor] .cm-content').waitFor();
    assert.equal(await page.locator('[data-testid=lesson]').count(), 0, 'no lesson open at first');
    await page.locator('[data-testid=lessons]').selectOption('0');
    await page.locator('[data-testid=lesson]').waitFor();
    assert.equal(await page.locator('[data-testid=lesson-step]').textContent(), 'Step 1 of 5');
    assert.equal(await status(page).getAttribute('data-done'), 'false');

    // Step 1: the manifest goes into the editor; nothing is applied until Apply.
    await page.locator('[data-testid=lesson-action]').click();
    await waitForText(page, '[data-testid=editor] .cm-content', [/name: nginx/]);
    await page.waitForTimeout(300);
    assert.equal(await status(page).getAttribute('data-done'), 'false', 'not done before Apply');
    await page.locator('[data-testid=apply]').click();
    await waitForText(page, '[data-testid=apply-output]', [/pod\/nginx created/]);
    await waitDone(page);

    // Step 2: a line run in the terminal; done once it ran and the pod is Running.
    await page.locator('[data-testid=lesson-next]').click();
    assert.equal(await page.locator('[data-testid=lesson-step]').textContent(), 'Step 2 of 5');
    assert.equal(await page.locator('[data-testid=lesson-command]').textContent(), '$ kubectl get pods -o wide');
    assert.equal(await status(page).getAttribute('data-done'), 'false', 'not done before the line ran');
    await page.locator('[data-testid=fast-forward]').click();
    await page.locator('[data-testid=lesson-action]').click();
    await waitForText(page, '[data-testid=terminal-output]', [/\$ kubectl get pods -o wide\nNAME +READY +STATUS/, /nginx +1\/1 +Running/]);
    await waitDone(page);
    await page.screenshot({ path: path.join(OUTPUT, 'lesson-pod.png') });

    // The position survives a reload.
    await page.locator('[data-testid=lesson-next]').click();
    await page.reload();
    await page.locator('[data-testid=lesson]').waitFor();
    assert.equal(await page.locator('[data-testid=lesson-step]').textContent(), 'Step 3 of 5');

    // Korean: the lesson's text and the panel's labels follow the language.
    await page.locator('[data-testid=language]').click();
    await waitForText(page, '[data-testid=lesson-text]', [/컨테이너가 표준 출력과 표준 에러에 쓴 내용/]);
    assert.equal(await page.locator('[data-testid=lesson-step]').textContent(), '5단계 중 3단계');
    assert.equal(await page.locator('[data-testid=lesson-action]').textContent(), '터미널에서 실행');
    await page.locator('[data-testid=lesson-action]').click();
    await waitForText(page, '[data-testid=terminal-output]', [/\$ kubectl logs nginx\n/]);
    await waitDone(page);
    assert.equal(await status(page).textContent(), '✓ 완료');
    await page.screenshot({ path: path.join(OUTPUT, 'lesson-korean.png') });
    await page.locator('[data-testid=language]').click();

    await page.locator('[data-testid=lesson-back]').click();
    assert.equal(await page.locator('[data-testid=lesson-step]').textContent(), 'Step 2 of 5');
    await page.locator('[data-testid=lesson-close]').click();
    assert.equal(await page.locator('[data-testid=lesson]').count(), 0, 'closed');
    await page.reload();
    await page.locator('[data-testid=editor] .cm-content').waitFor();
    assert.equal(await page.locator('[data-testid=lesson]').count(), 0, 'stays closed after a reload');
    assertNoPageErrors(pageErrors);
  } finally {
    await close();
  }
});

test('a lesson command names the LoadBalancer address the cluster gave', { timeout: TEST_TIMEOUT * 2 }, async (t) => {
  const { page, pageErrors, close } = await openApp(t);
  try {
    await page.locator('[data-testid=editor] .cm-content').waitFor();
    await page.locator('[data-testid=lessons]').selectOption('2');
    await page.locator('[data-testid=lesson-action]').click();
    await page.locator('[data-testid=apply]').click();
    await waitForText(page, '[data-testid=apply-output]', [/service\/hello created/]);
    await page.locator('[data-testid=fast-forward]').click();
    await waitDone(page);
    for (let i = 0; i < 3; i++) await page.locator('[data-testid=lesson-next]').click();
    assert.equal(await page.locator('[data-testid=lesson-step]').textContent(), 'Step 4 of 4');
    const command = await page.locator('[data-testid=lesson-command]').textContent();
    assert.match(command, /^\$ curl -n 30 http:\/\/172\.18\.255\.\d+$/);
    await page.locator('[data-testid=lesson-action]').click();
    await waitForText(page, '[data-testid=terminal-output]', [/30 requests to http:\/\/172\.18\.255\.\d+: 30 answered \(30 × 200\), 0 failed/]);
    await waitDone(page);
    assert.equal(await page.locator('[data-testid=lesson-next]').isDisabled(), true, 'the last step');
    await page.screenshot({ path: path.join(OUTPUT, 'lesson-service.png') });
    assertNoPageErrors(pageErrors);
  } finally {
    await close();
  }
});
