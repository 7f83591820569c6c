// A grid question on a 360×740 phone in Debian's chromium, with and without JavaScript:
// each row is a fieldset that fits the screen, answered by tapping its labels; a row left
// out gives a message naming it, whose summary link lands on that row's first radio; the
// check page lists each row's answer; axe-core finds nothing on the grid page, its error
// page or the check page. The residents' survey's own grid page passes axe too, and in
// Turkish shows its question, rows and points in Turkish.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../integration/stack.mjs';
import { phoneContext, checkA11y } from './browser.mjs';
import { stackAndBrowser } from './session.mjs';

const SURVEY = '/s/grid-test';

let dir;
const env = stackAndBrowser(() => {
  dir = mkdtempSync('/tmp/voices-grid-browser-');
  mkdirSync(join(dir, 'surveys'));
  copyFileSync(join(ROOT, 'surveys', 'ui.yaml'), join(dir, 'surveys', 'ui.yaml'));
  copyFileSync(join(ROOT, 'surveys', 'residents-2026.yaml'), join(dir, 'surveys', 'residents-2026.yaml'));
  copyFileSync(join(ROOT, 'tests/fixtures/grid/browser.yaml'), join(dir, 'surveys', 'grid-test.yaml'));
  mkdirSync(join(dir, 'surveys', 'lang', 'tr'), { recursive: true });
  for (const f of ['ui.yaml', 'residents-2026.yaml']) {
    copyFileSync(join(ROOT, 'surveys', 'lang', 'tr', f), join(dir, 'surveys', 'lang', 'tr', f));
  }
  return { surveysDir: join(dir, 'surveys'), config: { draft_languages: true } };
}, { cleanup: () => { if (dir) rmSync(dir, { recursive: true, force: true }); } });

async function press(page, value) {
  await Promise.all([page.waitForEvent('load'), page.locator(`button[name=_nav][value="${value}"]`).click()]);
}

const pageId = (page) => page.locator('input[name=_p]').getAttribute('value');

async function fitsPhone(page, label) {
  const wide = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(wide <= 360, `${label}: ${wide}px wide on a 360px screen`);
}

for (const javaScriptEnabled of [true, false]) {
  const js = `JavaScript ${javaScriptEnabled ? 'on' : 'off'}`;

  test(`answering a grid on a phone, ${js}`, async () => {
    const context = await phoneContext(env.browser, { javaScriptEnabled });
    const page = await context.newPage();
    try {
      await page.goto(`${env.stack.base}${SURVEY}`);
      await press(page, 'start');
      assert.equal(await pageId(page), 'worries');
      const rows = page.locator('fieldset.grid-row');
      assert.equal(await rows.count(), 3);
      assert.deepEqual(await rows.locator('legend').allTextContents(), ['Knife crime', 'Anti-social behaviour', 'Burglary']);
      // Each row is a group named by its legend, with a radio per point named by its label.
      const knife = page.getByRole('group', { name: 'Knife crime' });
      assert.equal(await knife.getByRole('radio').count(), 5);
      await fitsPhone(page, 'grid page');
      assert.deepEqual(await checkA11y(page), [], 'grid page');

      // Two rows answered by tapping their labels; the third left out.
      await knife.getByLabel('Fairly worried', { exact: true }).click();
      await page.getByRole('group', { name: 'Anti-social behaviour' }).getByLabel("Don't know", { exact: true }).click();
      await press(page, 'next');
      assert.equal(await pageId(page), 'worries');
      const link = page.locator('.error-summary a');
      assert.deepEqual(await link.allTextContents(), ['Answer ‘Burglary’ – choose one of the answers for it']);
      assert.equal(await page.locator('#e-burglary').textContent(), 'Answer ‘Burglary’ – choose one of the answers for it');
      assert.equal(await page.locator('input[name="worry.knife"]:checked').getAttribute('value'), '3');
      await fitsPhone(page, 'error page');
      assert.deepEqual(await checkA11y(page), [], 'grid error page');
      await link.click();
      const target = page.locator('#q-burglary-0');
      assert.equal(await target.getAttribute('type'), 'radio');
      assert.equal(await target.getAttribute('name'), 'worry.burglary');
      // Without script the link moves to the radio's anchor; with script (flow.js) it puts focus there.
      assert.ok(page.url().endsWith('#q-burglary-0') ||
        await target.evaluate((e) => document.activeElement === e), page.url());
      await target.waitFor({ state: 'visible' });
      assert.ok(await target.evaluate((e) => { const r = e.getBoundingClientRect(); return r.top >= 0 && r.bottom <= innerHeight; }),
        'the link brings the row\'s first radio into view');

      await page.getByRole('group', { name: 'Burglary' }).getByLabel('Very worried', { exact: true }).click();
      await press(page, 'next');
      assert.equal(await pageId(page), 'check');
      const answer = page.locator('dl.summary .row', { hasText: 'How worried are you about each of these?' }).locator('dd.answer p');
      assert.deepEqual(await answer.allTextContents(),
        ['Knife crime: Fairly worried', "Anti-social behaviour: Don't know", 'Burglary: Very worried']);
      assert.deepEqual(await checkA11y(page), [], 'check page');
      await press(page, 'submit');
      assert.match(page.url(), /\/s\/grid-test\/done/);
    } finally {
      await context.close();
    }
  });
}

test('the residents survey\'s worry grid passes axe on a phone', async () => {
  const context = await phoneContext(env.browser, { javaScriptEnabled: false });
  const page = await context.newPage();
  try {
    await page.goto(`${env.stack.base}/s/residents-2026`);
    await press(page, 'start');
    for (let i = 0; i < 12 && await pageId(page) !== 'worry'; i++) {
      for (const radio of await page.locator('main input[type=radio]').all()) {
        const name = await radio.getAttribute('name');
        if (await page.locator(`main input[name="${name}"]:checked`).count() === 0) await radio.check();
      }
      for (const select of await page.locator('main select').all()) {
        const values = await select.locator('option').evaluateAll((os) => os.map((o) => o.value).filter(Boolean));
        if (!(await select.inputValue())) await select.selectOption(values[0]);
      }
      await press(page, 'next');
    }
    assert.equal(await pageId(page), 'worry');
    assert.deepEqual(await page.locator('fieldset.grid-row legend').allTextContents(), ['Crime', 'Anti-social behaviour']);
    assert.equal(await page.locator('input[name="worry_about.worry_crime"]').count(), 5);
    await fitsPhone(page, 'residents worry page');
    assert.deepEqual(await checkA11y(page), [], 'residents worry page');
  } finally {
    await context.close();
  }
});

test('the residents\' grid in Turkish on a phone: question, rows and points translated', async () => {
  const context = await phoneContext(env.browser);
  const page = await context.newPage();
  try {
    await page.goto(`${env.stack.base}/s/residents-2026?l=tr`);
    await page.locator('button[name=_nav][value=start]').evaluate((b) => { b.value = 'goto:worry'; });
    await press(page, 'goto:worry');
    assert.equal(await pageId(page), 'worry');
    const grid = page.locator('fieldset.grid');
    assert.match(await grid.locator('xpath=./legend').textContent(), /^Bölgenizde bunların her biri/);
    assert.deepEqual(await grid.locator('fieldset.grid-row legend').allTextContents(),
      ['Suç', 'Toplum düzenini bozan davranışlar']);
    assert.deepEqual(await grid.locator('#q-worry_crime label').allTextContents(),
      ['Hiç endişeli değilim', 'Pek endişeli değilim', 'Oldukça endişeliyim', 'Çok endişeliyim', 'Bilmiyorum']);
    assert.equal(await grid.locator('[lang=en]').count(), 0, 'no English left in the grid');
    await fitsPhone(page, 'Turkish worry page');
    assert.deepEqual(await checkA11y(page), [], 'Turkish worry page');
  } finally {
    await context.close();
  }
});
