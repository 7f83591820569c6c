// A workshop poll in Debian's chromium: a facilitator on a laptop and two participants on
// phones, each in its own browser context. The participants join by typing the code, their
// pages follow the facilitator to the next question by themselves (poll.js), one phone
// without JavaScript gets there by its meta refresh; every participant page passes
// axe-core's WCAG 2.2 AA rules; a screenshot of the presenter view is saved to
// var/poll-presenter.png.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { startStack, ROOT } from '../integration/stack.mjs';
import { launch, phoneContext, checkA11y, formatViolations, overflowsHorizontally } from './browser.mjs';

const BIN = resolve(ROOT, process.env.VOICES_BIN ?? 'build/asan/voices');
const PW = 'a long facilitator pass phrase';
let stack;
let browser;

before(async () => {
  stack = await startStack();
  execFileSync(BIN, ['-c', stack.configPath, 'user', 'add', 'fran', '--role', 'facilitator',
    '--password-stdin'], { cwd: ROOT, input: `${PW}\n` });
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await stack?.stop();
});

// Without JavaScript a waiting page refreshes itself every 5 s (<noscript><meta refresh>),
// which axe reports as a timed refresh; with JavaScript there is none (poll.js reloads only
// when the room moves on). So that one rule is off for the phone without script, and only
// on pages that wait.
async function accessible(page, label, { waiting = false, script = true } = {}) {
  const rules = waiting && !script ? { 'meta-refresh': { enabled: false } } : undefined;
  const v = await checkA11y(page, { rules });
  assert.equal(v.length, 0, `${label}: ${formatViolations(v)}`);
  assert.equal(await overflowsHorizontally(page), false, `${label}: scrolls sideways`);
}

async function press(page, name) {
  await Promise.all([page.waitForEvent('load'), page.getByRole('button', { name }).first().click()]);
}

test('participants follow the facilitator; pages are accessible; presenter screenshot', async () => {
  const laptop = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const fac = await laptop.newPage();
  await fac.goto(`${stack.base}/staff/login`);
  await fac.getByLabel('Name').fill('fran');
  await fac.getByLabel('Password').fill(PW);
  await press(fac, /sign in/i);
  await fac.goto(`${stack.base}/staff/polls`);
  await fac.getByLabel(/Knife crime plan workshop/).check();
  await press(fac, /start session/i);
  const code = await fac.locator('strong.code').first().innerText();
  assert.match(code, /^[2-9A-HJKMNP-Z]{6}$/);

  const phones = [];
  for (const javaScriptEnabled of [true, false]) {
    const context = await phoneContext(browser, { javaScriptEnabled });
    const page = await context.newPage();
    await page.goto(`${stack.base}/j`);
    await accessible(page, 'join page');
    await page.getByLabel(/code/i).fill(code.toLowerCase());
    await press(page, /join/i);
    assert.match(await page.locator('h1').innerText(), /You have joined/);
    await accessible(page, 'lobby', { waiting: true, script: javaScriptEnabled });
    phones.push({ context, page, javaScriptEnabled });
  }

  await press(fac, /open the first question/i);
  for (const { page, javaScriptEnabled } of phones) {
    // poll.js notices within a second; without script the page refreshes every 5 s.
    await page.waitForSelector('input[name=age_band]', { timeout: javaScriptEnabled ? 4000 : 8000 });
    await accessible(page, 'question');
    await page.getByLabel('16 or 17').check();
    await press(page, /send my answer/i);
    assert.match(await page.locator('h1').innerText(), /received/);
    await accessible(page, 'answer received', { waiting: true, script: javaScriptEnabled });
    assert.match(await page.locator('#help').innerText(), /0800 1111/);
  }

  await press(fac, /next question/i);
  for (const { page, javaScriptEnabled } of phones) {
    await page.waitForSelector('input[name=unsafe_where]', { timeout: javaScriptEnabled ? 4000 : 8000 });
    await accessible(page, 'second question');
    await page.getByLabel('In parks').check();
    await page.getByLabel('Online').check();
    await press(page, /send my answer/i);
  }
  await press(fac, /show results/i);

  const present = await laptop.newPage();
  await present.goto(`${stack.base}/staff/polls/${fac.url().split('/').pop()}/present`);
  await present.waitForFunction(() => document.querySelector('.n-answers')?.textContent === '2');
  assert.match(await present.locator('h1').innerText(), /feel unsafe/);
  mkdirSync(join(ROOT, 'var'), { recursive: true });
  await present.screenshot({ path: join(ROOT, 'var/poll-presenter.png'), fullPage: true });

  // The presenter follows too, within a second, without a reload.
  await press(fac, /next question/i);
  await present.waitForFunction(() => /top three/.test(document.querySelector('h1')?.textContent ?? ''),
    null, { timeout: 2000 });
  for (const { page, javaScriptEnabled } of phones) {
    await page.waitForSelector('select[name="actions.educate"]', { timeout: javaScriptEnabled ? 4000 : 8000 });
    await accessible(page, 'ranking question');
  }
  for (const { context } of phones) await context.close();
  await laptop.close();
});
