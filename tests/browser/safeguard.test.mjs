// Safeguarding on a 360×740 phone, with and without JavaScript: "Leave this page
// quickly" leaves (and, with JavaScript, Back does not return to the page left); an
// answer that sounds like a disclosure gets the safeguarding confirmation and an
// ordinary one does not; only a flag is stored; every link, button and input is at
// least 44 px; the error summary takes focus and its links land in the field; "Start
// now" shows without scrolling; axe finds nothing on any page on the way.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startStack, ROOT } from '../integration/stack.mjs';
import { phoneContext, checkA11y, formatViolations } from './browser.mjs';
import { stackAndBrowser, tapAndLoad as submitBy, tapChoices } from './session.mjs';

const YOUNG = '/s/young-people-2026';
const RESIDENTS = '/s/residents-2026';
const EXIT = 'https://www.bbc.co.uk/weather';
const DISCLOSURE = 'my cuz makes me hold his ting and says he will hurt my mum if i dont';
const ORDINARY = 'More youth clubs open late, and police who listen. Knife crime scares me.';
const env = stackAndBrowser();

function sql(q) {
  return env.stack.sql(q);
}

/** A phone whose requests to the neutral site get a stub page (no network in tests). */
async function phone(javaScriptEnabled) {
  const context = await phoneContext(env.browser, { javaScriptEnabled });
  await context.route('https://www.bbc.co.uk/**', (route) => route.fulfill({
    contentType: 'text/html', body: '<!doctype html><title>Weather</title><h1>Weather</h1>',
  }));
  return context;
}

/** Every visible link, button and form field smaller than 44×44 CSS pixels. */
function smallTargets(page) {
  return page.evaluate(() => {
    const out = [];
    for (const el of document.querySelectorAll('a, button, input:not([type=hidden]), select, textarea')) {
      if (el.closest('.skip, .vh')) continue;	// shown (full size) only when focused
      const r = el.getBoundingClientRect();
      if (r.width === 0 && r.height === 0) continue;
      if (r.width < 44 || r.height < 44) out.push(`${el.outerHTML.slice(0, 80)} ${Math.round(r.width)}×${Math.round(r.height)}`);
    }
    return out;
  });
}

async function checkPage(page, label) {
  const violations = await checkA11y(page);
  assert.equal(violations.length, 0, `${label}: ${formatViolations(violations)}`);
  assert.deepEqual(await smallTargets(page), [], `${label}: tap targets under 44 px`);
}

async function answerPage(page, text) {
  await tapChoices(page);
  for (const sel of await page.locator('main select:not(.ranking select)').all()) {
    if (!(await sel.inputValue())) await sel.selectOption({ index: 1 });
  }
  for (const box of await page.locator('textarea, input.text').all()) await box.fill(text);
  for (const box of await page.locator('input.number').all()) await box.fill('16');
}

/** Answers a survey through to its confirmation; returns the page ids that showed the quick exit. */
async function complete(page, survey, channel, text) {
  const withExit = new Set();
  await page.goto(`${env.stack.base}${survey}?c=${channel}`);
  await checkPage(page, `${survey} start`);
  await submitBy(page, /start now/i);
  for (let i = 0; i < 40; i++) {
    const p = await page.locator('form input[name=_p]').first().getAttribute('value');
    if (p === 'check') break;
    if (await page.locator('#quick-exit').count()) withExit.add(p);
    if (i < 3) await checkPage(page, `${survey} page ${p}`);
    assert.equal(await page.locator('.back-link').count(), 1, `${p}: a back link at the top`);
    await answerPage(page, text);
    await submitBy(page, /continue/i);
    if (await page.locator('.error-summary').count()) {
      await checkPage(page, `${survey} error on ${p}`);
      assert.fail(`${p}: ${await page.locator('.error-summary').innerText()}`);
    }
  }
  await checkPage(page, `${survey} check`);
  assert.equal(await page.locator('.back-link').count(), 1, 'check page: a back link');
  await submitBy(page, /send my answers/i);
  assert.match(page.url(), /\/done/);
  await checkPage(page, `${survey} confirmation`);
  return withExit;
}

for (const js of [true, false]) {
  const how = js ? 'with JavaScript' : 'without JavaScript';

  test(`a disclosure gets the safeguarding confirmation, an ordinary answer does not (${how})`, async () => {
    const context = await phone(js);
    const page = await context.newPage();
    const [dch, och] = js ? ['school', 'youth-service'] : ['stall', 'workshop'];
    await complete(page, YOUNG, dch, DISCLOSURE);
    const notice = await page.locator('.safe-notice').innerText();
    assert.match(notice, /nobody can reply/i);
    assert.match(notice, /0800 1111/);
    assert.match(notice, /999/);
    assert.match(notice, /Fearless/);
    assert.match(notice, /020 8489 4470/, 'the council line from the survey file');
    assert.equal(await page.locator('#quick-exit').count(), 1);
    await complete(page, YOUNG, och, ORDINARY);
    assert.equal(await page.locator('.safe-notice').count(), 0);
    assert.equal(sql(`SELECT group_concat(flagged) FROM response WHERE survey='young-people-2026' AND channel='${dch}'`), '1');
    assert.equal(sql(`SELECT group_concat(flagged) FROM response WHERE survey='young-people-2026' AND channel='${och}'`), '0');
    await context.close();
  });

  test(`Leave this page quickly goes to the neutral site (${how})`, async () => {
    const context = await phone(js);
    const page = await context.newPage();
    await page.goto(`${env.stack.base}${YOUNG}`);
    await submitBy(page, /start now/i);
    const left = page.url();
    assert.equal(await page.locator('#quick-exit').getAttribute('href'), EXIT);
    await Promise.all([page.waitForURL(/bbc\.co\.uk/), page.locator('#quick-exit').tap()]);
    if (js) {	// the page left is gone from the history
      await page.goBack();
      assert.notEqual(page.url(), left);
      const fresh = await context.newPage();	// opened from a link: nothing of the survey to go back to
      await fresh.goto(`${env.stack.base}${YOUNG}`);
      await Promise.all([fresh.waitForURL(/bbc\.co\.uk/), fresh.locator('#quick-exit').tap()]);
      await fresh.goBack().catch(() => {});
      assert.doesNotMatch(fresh.url(), /young-people-2026/);
    }
    await context.close();
  });

  test(`the error summary takes focus and its links land in the field (${how})`, async () => {
    const context = await phone(js);
    const page = await context.newPage();
    await page.goto(`${env.stack.base}${RESIDENTS}`);
    await submitBy(page, /start now/i);
    await submitBy(page, /continue/i);	// the ward is required
    await checkPage(page, 'error page');
    const first = await page.evaluate(() => document.querySelector('main').firstElementChild.className);
    assert.equal(first, 'error-summary', 'first in the main content');
    assert.equal(await page.locator('.error-summary').getAttribute('tabindex'), '-1');
    assert.equal(await page.evaluate(() => document.activeElement.className), 'error-summary');
    const href = await page.locator('.error-summary a').first().getAttribute('href');
    const target = await page.evaluate((id) => document.getElementById(id)?.tagName, href.slice(1));
    assert.match(target ?? '', /^(INPUT|SELECT|TEXTAREA)$/, `${href} names the field itself`);
    if (js) {
      await page.locator('.error-summary a').first().tap();
      assert.equal(await page.evaluate(() => document.activeElement.id), href.slice(1));
    }
    await context.close();
  });
}

test('Start now shows without scrolling on a 360×740 phone', async () => {
  const context = await phone(true);
  const page = await context.newPage();
  for (const s of [YOUNG, RESIDENTS]) {
    await page.goto(`${env.stack.base}${s}`);
    const box = await page.getByRole('button', { name: /start now/i }).boundingBox();
    assert.ok(box.y + box.height <= 740, `${s}: the button ends at ${box.y + box.height}px`);
    const title = await page.title();
    const name = await page.locator('h1').innerText();
    assert.equal(title, name, `${s}: the survey's name once in the title`);
  }
  await context.close();
});

test('residents: the quick exit and the check only on the pages the survey marks', async () => {
  const context = await phone(false);
  const page = await context.newPage();
  const shown = await complete(page, RESIDENTS, 'paper', DISCLOSURE);
  assert.deepEqual([...shown].sort(), ['area-exploitation', 'area-vawg', 'area-victims']);
  const notice = await page.locator('.safe-notice').innerText();
  assert.match(notice, /nobody can reply/i);
  assert.doesNotMatch(notice, /Childline/, 'Childline is for the young people\'s survey');
  assert.equal(sql("SELECT group_concat(flagged) FROM response WHERE survey='residents-2026' AND channel='paper'"), '1');
  await context.close();
});

test('only the flag is stored: the response row has no room for a phrase', async () => {
  const cols = sql("SELECT group_concat(name, ',') FROM pragma_table_info('response')");
  assert.equal(cols, 'id,survey,version,def_hash,channel,lang,day,answers,texts,texts_key,flagged');
  const plain = sql("SELECT count(*) FROM response WHERE answers LIKE '%ting%' OR answers LIKE '%hold%'");
  assert.equal(plain, '0', 'free text is sealed, never in plain beside the flag');
});

test('the analysis: flagged answers first in the coding sheet, one hidden count in the report', () => {
  const flagged = sql("SELECT group_concat(id) FROM response WHERE survey='young-people-2026' AND flagged=1").split(',');
  assert.ok(flagged.length >= 2, 'the tests above sent flagged responses');
  const out = mkdtempSync(join(tmpdir(), 'safeguard-'));
  const bin = resolve(ROOT, process.env.VOICES_ANALYSE_BIN ?? 'build/asan/voices-analyse');
  const common = ['--db', env.stack.dbPath, '--key', env.stack.secretKeyPath, '--surveys', join(ROOT, 'surveys'),
    '--survey', 'young-people-2026', '--quiet'];
  try {
    execFileSync(bin, ['sheet', ...common, '--out', join(out, 'sheet')], { cwd: ROOT });
    const lines = readFileSync(join(out, 'sheet', 'coding-sheet.csv'), 'utf8').trim().split('\r\n').slice(1);
    const ids = lines.map((l) => l.split(',')[0].replaceAll('"', ''));
    const firstOther = ids.findIndex((id) => !flagged.includes(id));
    assert.ok(firstOther > 0, `a flagged answer comes first: ${ids.join(' ')} / ${flagged.join(' ')}`);
    assert.ok(ids.slice(firstOther).every((id) => !flagged.includes(id)), 'every flagged answer before the others');
    // Enough made-up responses for the report to publish its tables (none flagged).
    execFileSync(bin, ['generate', '--db', env.stack.dbPath, '--surveys', join(ROOT, 'surveys'),
      '--survey', 'young-people-2026', '--n', '300', '--seed', '5', '--pub', env.stack.publicKeyPath], { cwd: ROOT });
    execFileSync(bin, ['report', ...common, '--out', join(out, 'report')], { cwd: ROOT });
    const html = readFileSync(join(out, 'report', 'report.html'), 'utf8');
    assert.match(html, /\[c\] responses had free text the safeguarding check flagged/, 'a small count is hidden');
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});

test('the check page offers the language choice, and its Back goes to the last page', async () => {
  const multi = await startStack({ surveysDir: 'tests/fixtures/surveys' });
  const context = await phoneContext(env.browser, { javaScriptEnabled: false });
  const page = await context.newPage();
  try {
    await page.goto(`${multi.base}/s/community-safety`);
    await submitBy(page, /start/i);
    for (let i = 0; i < 20; i++) {
      if ((await page.locator('form input[name=_p]').first().getAttribute('value')) === 'check') break;
      await answerPage(page, ORDINARY);
      await submitBy(page, /continue/i);
    }
    assert.equal(await page.locator('form input[name=_p]').first().getAttribute('value'), 'check');
    await checkPage(page, 'check page in three languages');
    assert.equal(await page.locator('nav.langs button[value="lang:tr"]').count(), 1);
    await Promise.all([page.waitForEvent('load'), page.locator('nav.langs button[value="lang:tr"]').tap()]);
    assert.equal(await page.locator('html').getAttribute('lang'), 'tr');
    assert.equal(await page.locator('form input[name=_p]').first().getAttribute('value'), 'check');
    await Promise.all([page.waitForEvent('load'), page.locator('.back-link').tap()]);
    assert.notEqual(await page.locator('form input[name=_p]').first().getAttribute('value'), 'check');
  } finally {
    await context.close();
    await multi.stop();
  }
});
