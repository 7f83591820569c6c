// The shipped young people's survey, in its Arabic and Turkish draft translations, answered
// from start to confirmation on a 360×740 phone in Debian's chromium: each page is in the
// chosen language and direction, exactly as wide as the screen, has the language choice (the
// check page too), and passes axe-core's WCAG 2.2 AA rules.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { phoneContext, checkA11y, elementsPastRightEdge } from './browser.mjs';
import { stackAndBrowser } from './session.mjs';

const SURVEY = '/s/young-people-2026';
const env = stackAndBrowser({ config: { draft_languages: true } });

async function checkPage(page, lang, label) {
  assert.equal(await page.getAttribute('html', 'lang'), lang, label);
  assert.equal(await page.getAttribute('html', 'dir'), lang === 'ar' ? 'rtl' : 'ltr', label);
  const width = await page.evaluate(() => ({
    scroll: document.documentElement.scrollWidth,
    client: document.documentElement.clientWidth,
  }));
  assert.deepEqual(width, { scroll: 360, client: 360 },
    `${label}: document width\n${(await elementsPastRightEdge(page)).join('\n')}`);
  assert.deepEqual(await checkA11y(page), [], `${label}: accessibility`);
}

async function press(page, value) {
  await Promise.all([page.waitForEvent('load'), page.locator(`button[name=_nav][value="${value}"]`).tap()]);
}

/** Answers every question on the page with its first choice, or a few words. */
async function answer(page, words) {
  for (const q of await page.locator('main .question').all()) {
    const choice = q.locator('input[type=radio], input[type=checkbox]').first();
    const ranks = q.locator('select');
    const text = q.locator('textarea, input.text');
    if (await choice.count()) await choice.tap();
    else if (await ranks.count()) await ranks.first().selectOption('1');
    else if (await text.count()) await text.first().fill(words);
  }
}

for (const [lang, words, check] of [
  ['ar', 'أماكن آمنة للشباب', 'راجع إجاباتك قبل الإرسال'],
  ['tr', 'Gençler için güvenli yerler', 'Göndermeden önce yanıtlarınızı kontrol edin'],
]) {
  test(`the young people's survey in ${lang}, start to end, on a phone`, async () => {
    const context = await phoneContext(env.browser, { locale: lang });
    const page = await context.newPage();
    try {
      await page.goto(`${env.stack.base}${SURVEY}?l=${lang}`);
      await checkPage(page, lang, 'start');
      assert.equal(await page.locator('nav.langs .current').getAttribute('lang'), lang);
      await press(page, 'start');
      let n = 0;
      for (; n < 30 && await page.locator('input[name=_p]').getAttribute('value') !== 'check'; n++) {
        await checkPage(page, lang, `page ${n + 1}`);
        await answer(page, words);
        await press(page, 'next');
        assert.equal(await page.locator('.error-summary').count(), 0, `page ${n + 1} accepted`);
      }
      assert.ok(n > 5, `went through the survey's pages (${n})`);
      assert.equal(await page.locator('h1').textContent(), check);
      assert.equal(await page.locator('nav.langs').count(), 1, 'the check page offers the languages');
      await checkPage(page, lang, 'check');
      await press(page, 'submit');
      assert.match(page.url(), /\/done\?/);
      await checkPage(page, lang, 'confirmation');
    } finally {
      await context.close();
    }
  });
}
