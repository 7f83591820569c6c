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
import { startStack, CookieJar, formWith, ROOT } from '../integration/stack.mjs';
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

async function follow(page, name) {
  await Promise.all([page.waitForEvent('load'), page.getByRole('link', { name }).first().click()]);
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

// The facilitator's side over plain HTTP, for the tests below that watch the phones.
const facJar = new CookieJar();
let facSignedIn = false;
async function facSignIn() {
  if (facSignedIn) return;
  const page = await stack.get('/staff/login', { cookies: facJar });
  const res = await stack.post('/staff/login', [...formWith(page.text, '/staff/login'), ['name', 'fran'],
    ['password', PW]], { cookies: facJar });
  assert.equal(res.status, 303, res.text);
  facSignedIn = true;
}
async function facStart(fields) {
  await facSignIn();
  const list = await stack.get('/staff/polls', { cookies: facJar });
  const res = await stack.post('/staff/polls', [...formWith(list.text, '/staff/polls'), ...fields], { cookies: facJar });
  assert.equal(res.status, 303, res.text);
  const id = res.location.split('/').pop();
  const page = await stack.get(`/staff/polls/${id}`, { cookies: facJar });
  return { id, code: page.text.match(/<strong class="code">([^<]+)<\/strong>/)[1] };
}
async function facAct(id, fields) {
  const page = await stack.get(`/staff/polls/${id}`, { cookies: facJar });
  const res = await stack.post(`/staff/polls/${id}`, [...formWith(page.text, '/staff/logout'), ...fields],
    { cookies: facJar });
  assert.equal(res.location, `/staff/polls/${id}`, JSON.stringify(fields));
}
async function facLive(id) {
  return JSON.parse((await stack.get(`/staff/polls/${id}/live`, { cookies: facJar })).text);
}

test('a vote sent with the connection down is kept and counted once when it returns', async () => {
  const { id, code } = await facStart([['_do', 'quick'], ['text', 'Which session after lunch?'],
    ['type', 'single'], ['options', 'Youth violence\nStreet lighting\nHate crime']]);
  await facAct(id, [['_do', 'next']]);

  // With JavaScript: the phone keeps the answer, says so, and sends it when back online.
  const withJs = await phoneContext(browser);
  const phone = await withJs.newPage();
  await phone.goto(`${stack.base}/j/${code}`);
  await phone.getByLabel('Street lighting').check();
  await withJs.setOffline(true);
  await phone.getByRole('button', { name: /send my answer/i }).click();
  const unsent = phone.getByRole('status').filter({ hasText: /Not sent yet/ });
  await unsent.waitFor({ timeout: 4000 });
  assert.equal(await unsent.innerText(), "Not sent yet — will send when you're back online");
  // Pressing again while offline keeps one answer, not two.
  await phone.getByRole('button', { name: /send my answer/i }).click();
  assert.ok(await phone.getByLabel('Street lighting').isChecked(), 'the form stays as it was');
  assert.equal((await facLive(id)).question.answers, 0);
  await accessible(phone, 'answer not sent yet');
  await withJs.setOffline(false);
  await phone.waitForFunction(() => /received/.test(document.querySelector('h1')?.textContent ?? ''),
    null, { timeout: 8000 });
  let j = await facLive(id);
  assert.equal(j.question.answers, 1);
  assert.deepEqual(j.question.bars.map((b) => b.count), [0, 1, 0]);

  // Without JavaScript: the browser's own error page, whose Reload sends the same form again.
  const noJs = await phoneContext(browser, { javaScriptEnabled: false });
  const bare = await noJs.newPage();
  await bare.goto(`${stack.base}/j/${code}`);
  await bare.getByLabel('Hate crime').check();
  await noJs.setOffline(true);
  await bare.getByRole('button', { name: /send my answer/i }).click();
  await bare.waitForURL(/^chrome-error:/, { timeout: 4000 });
  assert.equal((await facLive(id)).question.answers, 1);
  await noJs.setOffline(false);
  await bare.reload();
  assert.match(await bare.locator('h1').innerText(), /received/);
  await bare.reload(); // once more, as an anxious participant might
  j = await facLive(id);
  assert.equal(j.question.answers, 2);
  assert.deepEqual(j.question.bars.map((b) => b.count), [0, 1, 1]);
  await withJs.close();
  await noJs.close();
});

test('without JavaScript the statements step has a way on to the next question', async () => {
  const { id, code } = await facStart([['_do', 'start'], ['set', 'poll-strategy-launch']]);
  const noJs = await phoneContext(browser, { javaScriptEnabled: false });
  const phone = await noJs.newPage();
  const steps = (await facLive(id)).nq;
  let statementsAt = -1;
  for (let k = 0; k < steps && statementsAt < 0; k++) {
    await facAct(id, [['_do', 'next']]);
    if ((await facLive(id)).question.type === 'statements') statementsAt = k;
  }
  assert.ok(statementsAt >= 0, 'the poll set has a statements step');
  await phone.goto(`${stack.base}/j/${code}`);
  // No refresh here: it would wipe a statement being typed.
  assert.equal(await phone.locator('meta[http-equiv="refresh"]').count(), 0);
  assert.match(await phone.locator('body').innerText(), /You have voted on every statement so far/);
  await accessible(phone, 'statements step without script');
  await facAct(id, [['_do', 'next']]);
  await follow(phone, /check for the next question/i);
  assert.equal((await facLive(id)).current, statementsAt + 1);
  assert.ok(await phone.locator('form input[name="_q"]').count() > 0, 'the next question is on the phone');
  assert.doesNotMatch(await phone.locator('body').innerText(), /every statement so far/);
  await noJs.close();
});
