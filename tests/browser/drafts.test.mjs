// The residents' survey on a 360×740 phone in Debian's chromium, with and without
// JavaScript: Back, Forward and Reload on every step never show a browser error page and
// keep the answers; Back after the confirmation too. A response saved half-way and
// resumed from its code the next day, in another browser, ends in one stored response. A
// browser that keeps no cookies answers, saves and comes back with its code. axe-core finds
// nothing on the new pages (saved, with and without cookies; resume, its error and its
// no-cookies note; the start page with a draft; the start page saying the answers are gone).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { phoneContext, checkA11y } from './browser.mjs';
import { stackAndBrowser } from './session.mjs';

const SURVEY = '/s/residents-2026';
const env = stackAndBrowser();

function sql(query, readonly = true) {
  return env.stack.sql(query, { write: !readonly });
}

async function press(page, value) {
  await Promise.all([page.waitForEvent('load'), page.locator(`button[name=_nav][value="${value}"]`).click()]);
}

/** Answers what is unanswered on the page: the first choice, the first list item, ranks 1..n. */
async function answer(page) {
  const done = new Set();
  for (const radio of await page.locator('main input[type=radio]').all()) {
    const name = await radio.getAttribute('name');
    if (done.has(name)) continue;
    done.add(name);
    if (await page.locator(`main input[name="${name}"]:checked`).count() === 0) await radio.check();
  }
  let rank = 1;
  for (const select of await page.locator('main select').all()) {
    const name = await select.getAttribute('name');
    const values = await select.locator('option').evaluateAll((os) => os.map((o) => o.value));
    if (name.includes('.')) {
      if (values.includes(String(rank))) await select.selectOption(String(rank++));
    } else if (!(await select.inputValue())) await select.selectOption(values.find((v) => v));
  }
}

/** What the page's form holds, for comparing a page before and after Back. */
function formState(page) {
  return page.locator('main form').first().evaluate((f) => [...f.elements]
    .filter((e) => e.name && !e.name.startsWith('_') && e.type !== 'submit'
      && (!['radio', 'checkbox'].includes(e.type) || e.checked))
    .map((e) => `${e.name}=${e.value}`).join('&'));
}

async function assertPage(page, label) {
  assert.match(page.url(), /^http:/, `${label}: ${page.url()} is not a browser error page`);
  assert.equal(await page.locator('main').count(), 1, `${label}: the page has its content`);
}

for (const javaScriptEnabled of [true, false]) {
  const js = `JavaScript ${javaScriptEnabled ? 'on' : 'off'}`;

  test(`Back, Forward and Reload keep every step's answers, ${js}`, async () => {
    const context = await phoneContext(env.browser, { javaScriptEnabled });
    const page = await context.newPage();
    try {
      await page.goto(`${env.stack.base}${SURVEY}`);
      await press(page, 'start');
      const seen = []; // [url, form state] of each step as it was left
      for (let i = 0; i < 6; i++) {
        await answer(page);
        seen.push([page.url(), await formState(page)]);
        await press(page, 'next');
        await assertPage(page, `step ${i + 2}`);
        assert.match(page.url(), /\/p\?n=\d+$/);
      }
      for (let i = seen.length - 1; i >= 0; i--) {
        await page.goBack();
        await assertPage(page, `Back to step ${i + 1}`);
        assert.equal(page.url(), seen[i][0]);
        assert.equal(await formState(page), seen[i][1], `Back to ${seen[i][0]}`);
      }
      await page.reload();
      await assertPage(page, 'Reload');
      assert.equal(await formState(page), seen[0][1]);
      for (let i = 1; i < seen.length; i++) {
        await page.goForward();
        await assertPage(page, `Forward to step ${i + 1}`);
        assert.equal(await formState(page), seen[i][1], `Forward to ${seen[i][0]}`);
      }
      await page.goForward();
      const before = page.url();
      // On to the end, send, and Back from the confirmation.
      for (let i = 0; i < 30 && !page.url().endsWith('/check'); i++) {
        await answer(page);
        await press(page, 'next');
        await assertPage(page, `on from ${before}`);
      }
      await press(page, 'submit');
      assert.match(page.url(), /\/done\?/);
      await page.goBack();
      await assertPage(page, 'Back from the confirmation');
      assert.match(await page.locator('main').innerText(), /could not find answers in progress|Answers received/);
      assert.deepEqual(await checkA11y(page), [], 'the start page saying the answers are gone');
    } finally {
      await context.close();
    }
  });

  test(`saved half-way, resumed from the code the next day in another browser, ${js}`, async () => {
    const before = Number(sql('SELECT count(*) FROM response'));
    const context = await phoneContext(env.browser, { javaScriptEnabled });
    const page = await context.newPage();
    let code;
    try {
      await page.goto(`${env.stack.base}${SURVEY}`);
      await press(page, 'start');
      for (let i = 0; i < 11; i++) {
        await answer(page);
        await press(page, 'next');
      }
      assert.match(await page.locator('.step').innerText(), /^Step 1[12] of up to 20$/);
      await answer(page);
      const kept = await formState(page);
      await press(page, 'save');
      assert.match(page.url(), /\/saved$/);
      assert.deepEqual(await checkA11y(page), [], 'saved page');
      code = (await page.locator('p.code').innerText()).trim();
      assert.match(code, /^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
      assert.match(await page.locator('main').innerText(), /Anyone who has this code/);
      await page.reload();
      assert.equal((await page.locator('p.code').innerText()).trim(), code, 'Reload keeps the code');

      await page.goto(`${env.stack.base}${SURVEY}`);
      assert.deepEqual(await checkA11y(page), [], 'start page with answers in progress');
      await Promise.all([page.waitForEvent('load'), page.locator('a.button').click()]);
      assert.equal(await formState(page), kept, '"Continue where you left off" keeps the answers');
    } finally {
      await context.close();
    }

    sql('UPDATE draft SET expires = expires - 1; UPDATE draft_code SET expires = expires - 1;', false); // a day later
    const other = await phoneContext(env.browser, { javaScriptEnabled });
    const page2 = await other.newPage();
    try {
      await page2.goto(`${env.stack.base}${SURVEY}/resume`);
      assert.deepEqual(await checkA11y(page2), [], 'resume page');
      await page2.locator('#code').fill('WRONG-CODE-12');
      await Promise.all([page2.waitForEvent('load'), page2.locator('button[name=_nav]').click()]);
      assert.equal(await page2.locator('.error-summary').count(), 1);
      assert.deepEqual(await checkA11y(page2), [], 'resume page with an error');
      await page2.locator('#code').fill(code.toLowerCase());
      await Promise.all([page2.waitForEvent('load'), page2.locator('button[name=_nav]').click()]);
      await assertPage(page2, 'resumed');
      assert.match(page2.url(), /\/p\?n=1[23]$/);
      for (let i = 0; i < 30 && !page2.url().endsWith('/check'); i++) {
        await answer(page2);
        await press(page2, 'next');
      }
      await press(page2, 'submit');
      assert.match(page2.url(), /\/done\?/);
    } finally {
      await other.close();
    }
    assert.equal(Number(sql('SELECT count(*) FROM response')), before + 1);
  });
}

for (const javaScriptEnabled of [true, false]) {
  test(`a browser that keeps no cookies answers, saves and comes back with the code, JavaScript ${javaScriptEnabled ? 'on' : 'off'}`, async () => {
    const context = await phoneContext(env.browser, { javaScriptEnabled });
    // Every cookie is thrown away before the next request, as by a browser that refuses them.
    const page = await context.newPage();
    const nocookies = async (value) => {
      await context.clearCookies();
      await press(page, value);
    };
    try {
      await page.goto(`${env.stack.base}${SURVEY}`);
      await nocookies('start');
      for (let i = 0; i < 3; i++) {
        await answer(page);
        await nocookies('next');
      }
      await answer(page);
      const kept = await formState(page);
      await nocookies('save');
      assert.match(await page.locator('main').innerText(), /this code is the only way back/);
      assert.deepEqual(await checkA11y(page), [], 'saved page without cookies');
      const code = (await page.locator('p.code').innerText()).trim();
      await nocookies('stay');
      assert.equal(await formState(page), kept, 'Continue answering from the saved page');

      await context.clearCookies();
      await page.goto(`${env.stack.base}${SURVEY}/resume`);
      assert.match(await page.locator('main').innerText(), /does not keep cookies/);
      assert.deepEqual(await checkA11y(page), [], 'resume page without cookies');
      await page.locator('#code').fill(code);
      await context.clearCookies();
      await Promise.all([page.waitForEvent('load'), page.locator('button[name=_nav]').click()]);
      assert.equal(await formState(page), kept, 'the answers came back with the code');
    } finally {
      await context.close();
    }
  });
}
