// End-to-end test of the editor's schema help (kubectl explain's table): completion of field
// names while typing and of enum values on Ctrl+Space, hover docs with explain's text, the same
// docs from the keyboard (Mod-k, Escape), in the light and the dark theme.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';

import { OUTPUT, TEST_TIMEOUT, openApp, assertNoPageErrors, replaceEditorText, waitForText } from './support.mjs';

const MANIFEST = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
      - name: web
        image: nginx
        imagePullPolicy: `;

const editorText = (page) => page.evaluate(() => window.kubeplayEditor.getText(0));

/** Puts the cursor at the end of line `n` (1-based). */
async function cursorToLineEnd(page, n) {
  await page.keyboard.press('ControlOrMeta+Home');
  for (let i = 1; i < n; i++) await page.keyboard.press('ArrowDown');
  await page.keyboard.press('End');
}

test('completion offers fields and enum values; hover and Mod-k show explain', { timeout: TEST_TIMEOUT }, async (t) => {
  const { page, pageErrors, close } = await openApp(t);
  try {
    await replaceEditorText(page, MANIFEST);
    const popup = page.locator('.cm-tooltip-autocomplete');

    // Typing under the Deployment's spec offers its fields.
    await cursorToLineEnd(page, 6);
    await page.keyboard.type('rep');
    await waitForText(page, '.cm-tooltip-autocomplete', [/replicas/, /integer/]);
    await page.screenshot({ path: path.join(OUTPUT, 'editor-complete-field.png') });
    await page.keyboard.press('Enter');
    await page.keyboard.type('3');
    assert.match(await editorText(page), /\nspec:\n {2}replicas: 3\n {2}selector:/);

    // Ctrl+Space after `imagePullPolicy: ` lists the values its description names.
    await page.keyboard.press('ControlOrMeta+End');
    await page.keyboard.press('Control+Space');
    await waitForText(page, '.cm-tooltip-autocomplete', [/Always/, /Never/, /IfNotPresent/]);
    await page.screenshot({ path: path.join(OUTPUT, 'editor-complete-enum.png') });
    await page.keyboard.type('IfN');
    await page.keyboard.press('Enter');
    assert.match(await editorText(page), /imagePullPolicy: IfNotPresent$/);
    assert.equal(await popup.count(), 0, 'the list closed after accepting');

    // Hovering a key shows what `kubectl explain deployment.spec.replicas` prints.
    const line = page.locator('[data-testid=editor] .cm-line', { hasText: 'replicas: 3' });
    await line.hover({ position: { x: 40, y: 6 } });
    const doc = page.locator('[data-testid=editor-doc]');
    await waitForText(page, '[data-testid=editor-doc]', [
      /^GROUP:\s+apps\nKIND:\s+Deployment\nVERSION:\s+v1\n\nFIELD: replicas <integer>/,
      /Number of desired pods/,
    ]);
    await page.screenshot({ path: path.join(OUTPUT, 'editor-hover-light.png') });

    // The dark theme: the docs stay readable (the page's panel and text colours).
    await page.locator('[data-testid=theme]').click();
    await page.mouse.move(900, 700);
    await doc.waitFor({ state: 'detached' });
    await line.hover({ position: { x: 40, y: 6 } });
    await waitForText(page, '[data-testid=editor-doc]', [/FIELD: replicas <integer>/]);
    const colours = await doc.evaluate((el) => {
      const s = getComputedStyle(el.closest('.cm-tooltip'));
      return { bg: s.backgroundColor, fg: s.color };
    });
    assert.notEqual(colours.bg, colours.fg);
    assert.equal(colours.bg, 'rgb(22, 27, 34)', 'the dark panel colour');
    await page.screenshot({ path: path.join(OUTPUT, 'editor-hover-dark.png') });
    await page.mouse.move(900, 700);
    await doc.waitFor({ state: 'detached' });

    // The keyboard: Mod-k shows the docs of the key at the cursor, Escape closes them.
    await page.locator('[data-testid=editor] .cm-content').click();
    await cursorToLineEnd(page, 17);
    await page.keyboard.press('Home');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ControlOrMeta+k');
    await waitForText(page, '[data-testid=editor-doc]', [/FIELD: image <string>/, /Container image name/]);
    await page.keyboard.press('Escape');
    await doc.waitFor({ state: 'detached' });
    assert.equal(await editorText(page), MANIFEST.replace('spec:\n  \n', 'spec:\n  replicas: 3\n') + 'IfNotPresent');
    assertNoPageErrors(pageErrors);
  } finally {
    await close();
  }
});
