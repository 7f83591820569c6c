// A survey in Arabic, right to left, on a 360×740 phone in Debian's chromium, with and
// without JavaScript: every page is exactly as wide as the screen (nothing pushed off to
// one side, which would leave the screen blank), the first question of each page can be
// tapped, the skip link shows on screen when focused, and axe-core's WCAG 2.2 AA rules pass.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { phoneContext, checkA11y, elementsPastRightEdge } from './browser.mjs';
import { stackAndBrowser } from './session.mjs';

const SURVEY = '/s/community-safety';
const env = stackAndBrowser({ surveysDir: 'tests/fixtures/surveys' });

/** What every page must be: right to left, the screen's width, accessible. */
async function checkPage(page, label) {
  assert.equal(await page.getAttribute('html', 'dir'), 'rtl', label);
  assert.equal(await page.getAttribute('html', 'lang'), 'ar', label);
  const width = await page.evaluate(() => ({
    scroll: document.documentElement.scrollWidth,
    client: document.documentElement.clientWidth,
    left: Math.min(...[...document.body.querySelectorAll('*')].map((e) => e.getBoundingClientRect())
      .filter((r) => r.width > 0).map((r) => Math.round(r.left))),
  }));
  assert.deepEqual(width, { scroll: 360, client: 360, left: 0 },
    `${label}: document width\n${(await elementsPastRightEdge(page)).join('\n')}`);
  assert.deepEqual(await checkA11y(page), [], `${label}: accessibility`);
}

/** Taps the first input of the page's first question; it must be on screen to be tapped. */
async function tapFirstQuestion(page, label) {
  const first = page.locator('main .question :is(input, select, textarea)').first();
  const box = await first.boundingBox();
  assert.ok(box && box.x >= 0 && box.x + box.width <= 360, `${label}: first question at ${JSON.stringify(box)}`);
  await first.tap();
  return first;
}

async function press(page, value) {
  await Promise.all([page.waitForEvent('load'), page.locator(`button[name=_nav][value="${value}"]`).tap()]);
}

for (const javaScriptEnabled of [true, false]) {
  test(`a survey in Arabic fits a phone and can be answered, JavaScript ${javaScriptEnabled ? 'on' : 'off'}`, async () => {
    const context = await phoneContext(env.browser, { javaScriptEnabled, locale: 'ar' });
    const page = await context.newPage();
    try {
      await page.goto(`${env.stack.base}${SURVEY}?l=ar`);
      await checkPage(page, 'start');
      await page.keyboard.press('Tab');
      const skip = await page.locator('a.skip').boundingBox();
      assert.ok(skip && skip.x >= 0 && skip.x + skip.width <= 360 && skip.width > 100,
        `the focused skip link is on screen: ${JSON.stringify(skip)}`);
      await page.locator('a.skip').blur(); // (hiding it again moves the page up)
      await press(page, 'start');

      await press(page, 'next'); // the required question left empty
      assert.equal(await page.locator('.error-summary').count(), 1);
      await checkPage(page, 'error page');

      const area = await tapFirstQuestion(page, 'about');
      await area.selectOption('alexandra-park');
      await press(page, 'next');

      await checkPage(page, 'safety');
      const radio = await tapFirstQuestion(page, 'safety');
      assert.equal(await radio.isChecked(), true, 'the tapped answer is chosen');
      await page.locator('input[name=likely][value="5"]').tap();
      await press(page, 'next');

      await checkPage(page, 'worries');
      await tapFirstQuestion(page, 'worries');
      await page.locator('textarea').fill('إضاءة أفضل في الحديقة');
      await press(page, 'next');

      await checkPage(page, 'priorities');
      await page.locator('select[name="priority.police"]').selectOption('1');
      await page.locator('select[name="priority.lights"]').selectOption('2');
      await page.locator('input[name=age]').fill('34');
      await press(page, 'next');

      assert.equal(await page.locator('input[name=_p]').getAttribute('value'), 'check');
      await checkPage(page, 'check');
      await press(page, 'submit');
      assert.match(page.url(), /\/done\?/);
      await checkPage(page, 'confirmation');
    } finally {
      await context.close();
    }
  });
}
