// Surveys in several languages, including one written right to left, work without any
// code change: the start page offers each language, a question page switches language
// without losing what was typed, and an Arabic page is laid out right to left.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startStack, CookieJar, formFieldPairs } from './stack.mjs';

const SURVEY = '/s/community-safety';
let stack;

before(async () => { stack = await startStack({ surveysDir: 'tests/fixtures/surveys' }); });
after(async () => { await stack?.stop(); });

test('the start page offers every language and Arabic is right to left', async () => {
  const en = await stack.get(SURVEY);
  assert.equal(en.status, 200);
  assert.match(en.text, /<html lang="en" dir="ltr">/);
  assert.match(en.text, /Community Safety consultation/);
  for (const code of ['tr', 'ar']) assert.match(en.text, new RegExp(`value="lang:${code}"`));

  const ar = await stack.get(`${SURVEY}?l=ar`);
  assert.match(ar.text, /<html lang="ar" dir="rtl">/);
  assert.match(ar.text, /استشارة سلامة المجتمع/);

  const unknown = await stack.get(`${SURVEY}?l=xx`);
  assert.match(unknown.text, /<html lang="en" dir="ltr">/, 'an unknown language falls back to the default');
});

test('switching language on a question page keeps the answers', async () => {
  const jar = new CookieJar();
  const start = await stack.get(SURVEY, { cookies: jar });
  let r = await stack.post(SURVEY, [...formFieldPairs(start.text), ['_nav', 'start']], { cookies: jar });
  assert.equal(r.status, 200);
  r = await stack.post(SURVEY, [...formFieldPairs(r.text), ['area', 'alexandra-park'], ['_nav', 'lang:tr']],
    { cookies: jar });
  assert.equal(r.status, 200);
  assert.match(r.text, /<html lang="tr" dir="ltr">/);
  assert.match(r.text, /<option value="alexandra-park" selected>/);

  r = await stack.post(SURVEY, [...formFieldPairs(r.text), ['area', 'alexandra-park'], ['_nav', 'lang:ar']],
    { cookies: jar });
  assert.match(r.text, /<html lang="ar" dir="rtl">/);
  assert.match(r.text, /ألكسندرا بارك/);
});
