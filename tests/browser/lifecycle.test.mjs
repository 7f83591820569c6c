// The survey lifecycle in Debian's chromium: an admin signs in, reads the survey list on
// the staff home page, opens a survey's page, closes it with a reason and reopens it, on
// a 1280×800 laptop with JavaScript and on a 360×740 phone without; axe-core finds nothing
// on any of those pages nor on the respondent's not-yet-open and closed pages and a draft's
// preview, and no page scrolls sideways.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../integration/stack.mjs';
import { addStaff } from '../integration/staff_steps.mjs';
import { phoneContext } from './browser.mjs';
import { stackAndBrowser, accessible, follow, press, staffSignIn } from './session.mjs';

const PW = 'a long enough pass phrase';
const work = mkdtempSync('/tmp/voices-lifecycle-browser-');
const env = stackAndBrowser(() => {
  const dir = join(work, 'surveys');
  mkdirSync(dir);
  copyFileSync(join(ROOT, 'surveys/ui.yaml'), join(dir, 'ui.yaml'));
  for (const f of readdirSync(join(ROOT, 'tests/fixtures/lifecycle'))) {
    copyFileSync(join(ROOT, 'tests/fixtures/lifecycle', f), join(dir, f));
  }
  return { surveysDir: dir };
}, {
  setup: (stack) => addStaff(stack, 'ada', 'admin', PW),
  cleanup: () => rmSync(work, { recursive: true, force: true }),
});

const SIZES = [
  ['laptop', (b) => b.newContext({ viewport: { width: 1280, height: 800 } })],
  ['phone without JavaScript', (b) => phoneContext(b, { javaScriptEnabled: false })],
];

for (const [name, context] of SIZES) {
  test(`an admin closes and reopens a survey from the console (${name})`, async () => {
    const ctx = await context(env.browser);
    const page = await ctx.newPage();
    await staffSignIn(page, env.stack.base, 'ada', PW);
    assert.match(page.url(), /\/staff$/);
    const row = page.locator('tr[data-survey="lc-open"]');
    assert.equal(await row.locator('td[data-state]').getAttribute('data-state'), 'open');
    assert.equal(await page.locator('tr[data-survey="lc-past"] td[data-state]').getAttribute('data-state'),
      'closed');
    await accessible(page, `${name}: staff home with the survey list`);

    await follow(page, 'Open consultation');
    assert.match(page.url(), /\/staff\/surveys\/lc-open$/);
    await accessible(page, `${name}: survey page`);
    await press(page, 'Close the survey');	// no reason: the error
    assert.match(await page.locator('.error-summary').innerText(), /Enter a reason/);
    await accessible(page, `${name}: survey page with an error`);
    await page.getByLabel('Reason').fill(`Closed early in the ${name} test`);
    await press(page, 'Close the survey');
    assert.match(await page.locator('main').innerText(), /The survey is closed/);
    assert.equal(await page.locator('dd[data-state]').getAttribute('data-state'), 'closing');
    await accessible(page, `${name}: survey page, closed`);

    await page.getByLabel('Reason').fill('Reopened by the board');
    await press(page, 'Reopen the survey');
    assert.match(await page.locator('main').innerText(), /The survey is open again/);
    assert.equal(await page.locator('dd[data-state]').getAttribute('data-state'), 'open');
    await accessible(page, `${name}: survey page, reopened`);

    await page.goto(`${env.stack.base}/s/lc-draft`);
    assert.match(await page.locator('main').innerText(), /Preview: this survey is a draft/);
    await accessible(page, `${name}: a draft's preview`);
    await ctx.close();
  });
}

test('the respondent pages of a survey not yet open and of a closed one', async () => {
  for (const javaScriptEnabled of [true, false]) {
    const ctx = await phoneContext(env.browser, { javaScriptEnabled });
    const page = await ctx.newPage();
    await page.goto(`${env.stack.base}/s/lc-later`);
    assert.match(await page.locator('h1').innerText(), /not open yet/);
    await accessible(page, 'not yet open');
    await page.goto(`${env.stack.base}/s/lc-past`);
    assert.match(await page.locator('main').innerText(), /closed on 1 February 2020/);
    await accessible(page, 'closed');
    const r = await page.goto(`${env.stack.base}/s/lc-draft`);
    assert.equal(r.status(), 404);
    await ctx.close();
  }
});
