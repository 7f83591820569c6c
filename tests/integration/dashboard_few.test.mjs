// The dashboard, the downloads and the admins' results preview of a survey that has only just
// opened, through real nginx: one response, every scale answered at its lowest point, so each
// indicator's trend has one wave whose top-two count is 0 and whose base is 1. The pages
// still open (no 500 "a table failed the disclosure check"), and the lone response's counts
// stay hidden: the base and the wave's top-two count are [c], never 1 or 0.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startStack, CookieJar, formFieldPairs } from './stack.mjs';
import { addStaff, signIn } from './staff_steps.mjs';
import { begin, answerAll } from './survey_steps.mjs';

const SURVEY = 'residents-2026';
const PW = 'a long enough pass phrase';
const HIDDEN = '[c]';
let stack;
const jars = { ana: new CookieJar(), adm: new CookieJar() };

before(async () => {
  stack = await startStack();
  const jar = new CookieJar();
  const check = await answerAll(stack, `/s/${SURVEY}`, jar, await begin(stack, `/s/${SURVEY}`, jar));
  const sent = await stack.post(`/s/${SURVEY}`, [...formFieldPairs(check.text), ['_nav', 'submit']], { cookies: jar, follow: false });
  assert.equal(sent.status, 303, sent.text);
  assert.equal(stack.sql('SELECT count(*) FROM response'), '1');
  // fill() answers a scale with its first point: nobody is in a top two.
  assert.equal(stack.sql("SELECT value FROM answer WHERE question='safe_day'"), '1');
  for (const [name, role] of [['ana', 'analyst'], ['adm', 'admin']]) {
    addStaff(stack, name, role, PW);
    assert.equal((await signIn(stack, jars[name], name, PW)).location, '/staff');
  }
});
after(async () => { await stack?.stop(); });

test('one response with no top-two answer: the dashboard opens, the scale all hidden', async () => {
  const res = await stack.get(`/staff/surveys/${SURVEY}/dashboard`, { cookies: jars.ana });
  assert.equal(res.status, 200, res.text.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').slice(0, 300));
  const scale = res.text.match(/id="t-safe_day">([\s\S]*?)<\/table>\s*<p class="base muted">([\s\S]*?)<\/p>/);
  assert.ok(scale, 'the scale is on the page');
  const counts = [...scale[1].matchAll(/<td class="num n">([^<]*)<\/td>/g)].map((m) => m[1]);
  assert.ok(counts.length >= 4, scale[1]);
  assert.deepEqual([...new Set(counts)], [HIDDEN], 'every point hidden');
  assert.match(scale[2], new RegExp(`<span class="b">\\${HIDDEN}</span>`), 'the base hidden');
  // The top two is the total of the trend's lone wave, which is hidden: so is it.
  assert.match(scale[2], new RegExp(`<span class="top2">\\${HIDDEN}</span>`), 'the top two hidden');
});

test('one response with no top-two answer: downloads and the results preview open too', async () => {
  for (const [jar, path] of [[jars.ana, 'findings.csv'], [jars.ana, 'findings.html'], [jars.adm, 'results/preview']]) {
    const res = await stack.get(`/staff/surveys/${SURVEY}/${path}`, { cookies: jar });
    assert.equal(res.status, 200, `${path}: ${res.text.slice(0, 200)}`);
  }
});
