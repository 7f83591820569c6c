// A workshop poll in Debian's chromium: a facilitator on a laptop and two participants on
// phones, each in its own browser context. The participants join by typing the code, their
// pages follow the facilitator to the next question by themselves (poll.js), one phone
// without JavaScript gets there by its meta refresh; every participant page passes
// axe-core's WCAG 2.2 AA rules; a screenshot of the presenter view is saved to
// var/poll-presenter.png. Then: a vote sent with the connection down counts once when it
// returns (with JavaScript and without); a phone without JavaScript gets on from the
// statements step; the presenter view of every type of question fits a projector screen.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { CookieJar, formWith, ROOT } from '../integration/stack.mjs';
import { addStaff, signIn } from '../integration/staff_steps.mjs';
import { phoneContext } from './browser.mjs';
import { stackAndBrowser, accessible as pageAccessible, follow, press, staffSignIn } from './session.mjs';

const PW = 'a long facilitator pass phrase';
const env = stackAndBrowser({}, { setup: (stack) => addStaff(stack, 'fran', 'facilitator', PW) });

// Without JavaScript a waiting page refreshes itself every 5 s (<noscript><meta refresh>),
// which axe reports as a timed refresh; with JavaScript there is none (poll.js reloads only
// when the room moves on). So that one rule is off for the phone without script, and only
// on pages that wait.
function accessible(page, label, { waiting = false, script = true } = {}) {
  const rules = waiting && !script ? { 'meta-refresh': { enabled: false } } : undefined;
  return pageAccessible(page, label, { rules });
}

test('participants follow the facilitator; pages are accessible; presenter screenshot', async () => {
  const laptop = await env.browser.newContext({ viewport: { width: 1280, height: 800 } });
  const fac = await laptop.newPage();
  await staffSignIn(fac, env.stack.base, 'fran', PW);
  await fac.goto(`${env.stack.base}/staff/polls`);
  await fac.getByLabel(/Knife crime plan workshop/).check();
  await press(fac, /start session/i);
  const code = await fac.locator('strong.code').first().innerText();
  assert.match(code, /^[2-9A-HJKMNP-Z]{6}$/);

  const phones = [];
  for (const javaScriptEnabled of [true, false]) {
    const context = await phoneContext(env.browser, { javaScriptEnabled });
    const page = await context.newPage();
    await page.goto(`${env.stack.base}/j`);
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
  await present.goto(`${env.stack.base}/staff/polls/${fac.url().split('/').pop()}/present`);
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
  const res = await signIn(env.stack, facJar, 'fran', PW);
  assert.equal(res.status, 303, res.text);
  facSignedIn = true;
}
async function facStart(fields) {
  await facSignIn();
  const list = await env.stack.get('/staff/polls', { cookies: facJar });
  const res = await env.stack.post('/staff/polls', [...formWith(list.text, '/staff/polls'), ...fields], { cookies: facJar });
  assert.equal(res.status, 303, res.text);
  const id = res.location.split('/').pop();
  const page = await env.stack.get(`/staff/polls/${id}`, { cookies: facJar });
  return { id, code: page.text.match(/<strong class="code">([^<]+)<\/strong>/)[1] };
}
async function facAct(id, fields) {
  const page = await env.stack.get(`/staff/polls/${id}`, { cookies: facJar });
  const res = await env.stack.post(`/staff/polls/${id}`, [...formWith(page.text, '/staff/logout'), ...fields],
    { cookies: facJar });
  assert.equal(res.location, `/staff/polls/${id}`, JSON.stringify(fields));
}
async function facLive(id) {
  return JSON.parse((await env.stack.get(`/staff/polls/${id}/live`, { cookies: facJar })).text);
}

test('a vote sent with the connection down is kept and counted once when it returns', async () => {
  const { id, code } = await facStart([['_nav', 'quick'], ['text', 'Which session after lunch?'],
    ['type', 'single'], ['options', 'Youth violence\nStreet lighting\nHate crime']]);
  await facAct(id, [['_nav', 'next']]);

  // With JavaScript: the phone keeps the answer, says so, and sends it when back online.
  const withJs = await phoneContext(env.browser);
  const phone = await withJs.newPage();
  await phone.goto(`${env.stack.base}/j/${code}`);
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
  const noJs = await phoneContext(env.browser, { javaScriptEnabled: false });
  const bare = await noJs.newPage();
  await bare.goto(`${env.stack.base}/j/${code}`);
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
  const { id, code } = await facStart([['_nav', 'start'], ['set', 'poll-strategy-launch']]);
  const noJs = await phoneContext(env.browser, { javaScriptEnabled: false });
  const phone = await noJs.newPage();
  const steps = (await facLive(id)).nq;
  let statementsAt = -1;
  for (let k = 0; k < steps && statementsAt < 0; k++) {
    await facAct(id, [['_nav', 'next']]);
    if ((await facLive(id)).question.type === 'statements') statementsAt = k;
  }
  assert.ok(statementsAt >= 0, 'the poll set has a statements step');
  await phone.goto(`${env.stack.base}/j/${code}`);
  // No refresh here: it would wipe a statement being typed.
  assert.equal(await phone.locator('meta[http-equiv="refresh"]').count(), 0);
  assert.match(await phone.locator('body').innerText(), /You have voted on every statement so far/);
  await accessible(phone, 'statements step without script');
  await facAct(id, [['_nav', 'next']]);
  await follow(phone, /check for the next question/i);
  assert.equal((await facLive(id)).current, statementsAt + 1);
  assert.ok(await phone.locator('form input[name="_q"]').count() > 0, 'the next question is on the phone');
  assert.doesNotMatch(await phone.locator('body').innerText(), /every statement so far/);
  await noJs.close();
});

// What stops the presenter view fitting the screen it is on: the page scrolls, something
// lies outside the screen, a statements column runs into the next, or a bar's label, track
// or count spills out of its row.
function misfits(page) {
  return page.evaluate(() => {
    const W = window.innerWidth;
    const H = window.innerHeight;
    const d = document.documentElement;
    const out = [];
    const name = (e) => `${e.tagName.toLowerCase()}.${[...e.classList].join('.')} "${(e.textContent ?? '').trim().slice(0, 30)}"`;
    const box = (e) => e.getBoundingClientRect();
    const shown = (r) => r.width > 0 && r.height > 0;
    const inside = (r, o) => r.left >= o.left - 1 && r.right <= o.right + 1 && r.top >= o.top - 1 && r.bottom <= o.bottom + 1;
    const meets = (r, o) => r.left < o.right - 1 && o.left < r.right - 1 && r.top < o.bottom - 1 && o.top < r.bottom - 1;
    if (d.scrollHeight > H) out.push(`scrollHeight ${d.scrollHeight} > innerHeight ${H}`);
    if (d.scrollWidth > W) out.push(`scrollWidth ${d.scrollWidth} > innerWidth ${W}`);
    const screen = { left: 0, top: 0, right: W, bottom: H };
    for (const e of document.querySelectorAll('#stage *')) {
      const r = box(e);
      if (shown(r) && !inside(r, screen)) out.push(`${name(e)} off the screen (${Math.round(r.right)}, ${Math.round(r.bottom)})`);
    }
    for (const cols of document.querySelectorAll('.stmts')) {
      const secs = [...cols.children];
      for (const [i, s] of secs.entries()) {
        for (const e of [s, ...s.querySelectorAll('*')]) {
          for (const [k, o] of secs.entries()) {
            if (k !== i && shown(box(e)) && meets(box(e), box(o))) out.push(`${name(e)} runs into column ${k + 1}`);
          }
        }
      }
    }
    for (const bar of document.querySelectorAll('#stage .bar')) {
      for (const e of bar.children) if (!inside(box(e), box(bar))) out.push(`${name(e)} spills out of its row`);
    }
    return out.slice(0, 8);
  });
}

const SCREENS = [{ width: 1280, height: 720 }, { width: 1366, height: 768 }, { width: 1920, height: 1080 }];

test('the presenter view fits a projector screen, for every type of question', async () => {
  const { id, code } = await facStart([['_nav', 'start'], ['set', 'poll-knife-crime-youth']]);
  const room = Array.from({ length: 12 }, () => new CookieJar());
  const vote = async (jar, fields) => {
    const page = await env.stack.get(`/j/${code}`, { cookies: jar });
    const res = await env.stack.post(`/j/${code}`, [...formWith(page.text, `/j/${code}`, '_q'), ...fields], { cookies: jar });
    assert.equal(res.status, 303, res.text.slice(0, 300));
  };
  const laptop = await env.browser.newContext({ viewport: SCREENS[0] });
  const present = await laptop.newPage();
  await laptop.addCookies([...facJar.cookies].map(([n, value]) => ({ name: n, value, url: env.stack.base })));
  await present.goto(`${env.stack.base}/staff/polls/${id}/present`);
  const check = async (label, ready, arg = null, { mayShrink = false } = {}) => {
    for (const screen of SCREENS) {
      await present.setViewportSize(screen);
      await present.waitForFunction(ready, arg, { timeout: 5000 });
      await present.waitForTimeout(100); // present.js fits on resize
      const bad = await misfits(present);
      assert.deepEqual(bad, [], `${label} at ${screen.width}×${screen.height}`);
      // The layout fits the poll sets by itself (so does a projector without JavaScript):
      // present.js has no need to shrink the type, except perhaps for an outsized question.
      const fit = Number(await present.evaluate(() => document.getElementById('stage').style.getPropertyValue('--fit')));
      if (!mayShrink) assert.equal(fit, 1, `${label} at ${screen.width}×${screen.height}: type shrunk`);
    }
  };
  await check('lobby', () => !!document.querySelector('.lobby'));

  const words = ['youth clubs', 'jobs', 'someone to talk to', 'safe spaces', 'football', 'money',
    'respect', 'mentors', 'music studios', 'trust', 'lighting', 'police who listen', 'hope',
    'free transport', 'internships', 'parks', 'mental health support', 'sports', 'art', 'cooking'];
  const longText = 'Open the youth centre every evening and at weekends, with free food, football, music and '
    + 'someone to talk to, run by people who grew up here and know what it is like for us right now.';
  const steps = [
    ['single', (i) => [['age_band', ['11-13', '18-21', '16-17'][i % 3]]]], // groups of 4 to compare
    ['multi', (i) => [0, 1].map((k) => ['unsafe_where', ['street', 'transport', 'parks', 'school', 'online', 'home'][(i + k) % 6]])],
    ['ranking', (i) => [1, 2, 3].map((k) => [`actions.${['educate', 'prevent', 'early', 'targeted', 'deter', 'disrupt', 'detect'][(i + k) % 7]}`, String(k)])],
    ['scale', (i) => [['adults_listen', String(1 + (i % 4))]]],
    ['wordcloud', (i) => [['need_words', words[i % words.length]]]],
  ];
  for (const [type, fields] of steps) {
    await facAct(id, [['_nav', 'next']]);
    for (const [i, jar] of room.entries()) await vote(jar, fields(i));
    const more = type === 'wordcloud' ? [...words.slice(room.length), ...words.slice(0, 6), ...words.slice(0, 3),
      ...words.slice(0, 1)] : [];
    for (const w of more) await vote(new CookieJar(), [['need_words', w]]);
    await check(`${type}, results hidden`, (n) => document.querySelector('.huge')?.textContent === n,
      String(room.length + more.length));
    await facAct(id, [['_nav', 'show']]);
    await check(type, () => !!document.querySelector('.bar, .cloud .w'));
  }

  await facAct(id, [['_nav', 'next']]); // statements, with the age groups compared
  for (const [i, jar] of room.slice(0, 4).entries()) {
    const page = await env.stack.get(`/j/${code}`, { cookies: jar });
    await env.stack.post(`/j/${code}`, [...formWith(page.text, `/j/${code}`, '_new'),
      ['_new', `${['Youth clubs', 'Buses', 'Parks', 'Schools'][i]}: ${longText}`.slice(0, 280)]], { cookies: jar });
  }
  for (const st of (await facLive(id)).question.statements) await facAct(id, [['_nav', 'st_ok'], ['_id', String(st.id)]]);
  for (const [i, jar] of room.entries()) {
    for (;;) {
      const page = await env.stack.get(`/j/${code}`, { cookies: jar });
      if (!/name="_s"/.test(page.text)) break;
      await vote(jar, [['v', ['agree', 'disagree', 'agree', 'pass'][i % 4]]]);
    }
  }
  await facAct(id, [['_nav', 'show']]);
  await check('statements', () => document.querySelectorAll('.stmts section').length === 3
    && document.querySelectorAll('.stmts .groups li').length > 0);

  await facAct(id, [['_nav', 'next']]); // open text, every answer approved
  for (const jar of room) await vote(jar, [['idea', longText]]);
  for (const p of (await facLive(id)).question.pending) {
    await facAct(id, [['_nav', 'approve'], ['_q', '6'], ['_v', p.voter]]);
  }
  await facAct(id, [['_nav', 'show']]);
  await check('open text', () => document.querySelectorAll('.said').length === 12);

  // The longest quick question there can be, with ten long answers, fits too.
  const long = await facStart([['_nav', 'quick'], ['type', 'multi'],
    ['text', `${'Thinking about the last twelve months and the streets, parks and stations near where you live, '.repeat(3)}which?`.slice(0, 280)],
    ['options', Array.from({ length: 10 }, (_, k) => `Answer ${k + 1}: more of the things people asked for at the last meeting`).join('\n')]]);
  await facAct(long.id, [['_nav', 'next']]);
  await facAct(long.id, [['_nav', 'show']]);
  await present.goto(`${env.stack.base}/staff/polls/${long.id}/present`);
  await check('an outsized question', () => document.querySelectorAll('.bar').length === 10, null, { mayShrink: true });
  await laptop.close();
});
