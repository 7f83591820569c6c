// Drafts through real nginx and the real app: every step of a survey is a 303 to a GET of
// its own address; a form from an old page changes that page only; "Save and come back
// later" gives a code that brings the answers back in another browser the next day and ends
// in exactly one stored response; wrong codes are capped; without cookies the form carries
// the answers and the code still works; an expired draft's bytes are gone from the file.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, existsSync } from 'node:fs';
import { startStack, CookieJar, formFieldPairs, htmlUnescape } from './stack.mjs';
import { fill, pageId } from './survey_steps.mjs';

const SURVEY = '/s/residents-2026';
let stack;

before(async () => { stack = await startStack({ config: { resume_failures: 4 } }); });
after(async () => { await stack?.stop(); });

function sql(query, readonly = true) {
  return stack.sql(query, { write: !readonly });
}

/** Presses a button of the page without following the 303. */
function press(jar, html, nav, answers = {}, { follow = false } = {}) {
  return stack.post(SURVEY, [...fill(html, answers), ['_nav', nav]], { cookies: jar, follow });
}

/** Starts a response with cookies: the start page, Start now, and the 303 to page 1. */
async function begin(jar, path = SURVEY) {
  const start = await stack.get(path, { cookies: jar });
  const r = await stack.post(SURVEY, [...formFieldPairs(start.text), ['_nav', 'start']], { cookies: jar, follow: false });
  assert.equal(r.status, 303);
  assert.equal(r.location, `${SURVEY}/p?n=1`);
  return stack.get(r.location, { cookies: jar });
}

/** Copies the -wal into the file and empties it, waiting out a worker's open read (a
 * checkpoint that finds one reports busy and leaves the old frames). */
async function checkpoint() {
  for (let t = 0; t < 50; t++) {
    if (sql('PRAGMA wal_checkpoint(TRUNCATE)', false).startsWith('0|')) return;
    await new Promise((ok) => setTimeout(ok, 100));
  }
  assert.fail('the checkpoint stayed busy for 5 s');
}

const DARK_Q = /name="safe_dark" value="(\d)" checked/;

test('each step answers with 303 to its own address; Back, Forward and Reload are GETs that keep the answers', async () => {
  const jar = new CookieJar();
  let r = await begin(jar);
  assert.equal(pageId(r.text), 'where-you-live');
  assert.match(r.headers.get('set-cookie') ?? '', /^$/, 'a GET sets no draft cookie');
  const draftCookie = jar.get('vr');
  assert.match(draftCookie, /^[0-9a-f]{96}$/);

  const sent = await press(jar, r.text, 'next', { ward: 'woodside' });
  assert.equal(sent.status, 303);
  assert.equal(sent.location, `${SURVEY}/p?n=2`);
  assert.match(sent.headers.getSetCookie().join('\n'), /^vr=[0-9a-f]{96}; Path=\/s\/residents-2026; Max-Age=604800; HttpOnly; SameSite=Lax$/m);
  r = await stack.get(sent.location, { cookies: jar });
  assert.equal(pageId(r.text), 'feeling-safe');
  assert.doesNotMatch(r.text, /name="ward"/, 'no hidden answers: they are in the draft');
  const p2 = await press(jar, r.text, 'next', { safe_day: '4', safe_dark: '2' });
  assert.equal(p2.location, `${SURVEY}/p?n=3`);

  // Back (and Forward, and Reload): the same GETs, the answers filled in.
  const back = await stack.get(`${SURVEY}/p?n=2`, { cookies: jar });
  assert.equal(back.status, 200);
  assert.equal(back.text.match(DARK_Q)?.[1], '2');
  const first = await stack.get(`${SURVEY}/p?n=1`, { cookies: jar });
  assert.match(first.text, /<option value="woodside" selected>/);

  // A required answer left out: 303 to the page with its errors (422), then fixed.
  const wrong = [...formFieldPairs(back.text).filter(([k]) => k !== 'safe_day'), ['safe_day', '9']];
  const bad = await stack.post(SURVEY, [...wrong, ['_nav', 'next']], { cookies: jar, follow: false });
  assert.equal(bad.status, 303);
  assert.equal(bad.location, `${SURVEY}/p?n=2&e=1`);
  const errors = await stack.get(bad.location, { cookies: jar });
  assert.equal(errors.status, 422);
  assert.match(errors.text, /class="error-summary"/);
  const fixed = await press(jar, errors.text, 'next', { safe_day: '4', safe_dark: '3' });
  assert.equal(fixed.status, 303);
  // Back to the error page's address after fixing it: the page, answers kept, no errors.
  const again = await stack.get(bad.location, { cookies: jar });
  assert.equal(again.status, 200);
  assert.doesNotMatch(again.text, /error-summary/);
  assert.equal(again.text.match(DARK_Q)?.[1], '3');
});

test('a form from an old page changes that page only and goes on from it', async () => {
  const jar = new CookieJar();
  let r = await begin(jar);
  const page1 = r.text;
  r = await stack.post(SURVEY, [...fill(r.text, { ward: 'woodside' }), ['_nav', 'next']], { cookies: jar });
  r = await stack.post(SURVEY, [...fill(r.text, { safe_day: '4', safe_dark: '4' }), ['_nav', 'next']], { cookies: jar });
  assert.equal(pageId(r.text), 'worry');
  // The tab still showing page 1 sends its form with another ward.
  const stale = await press(jar, page1, 'next', { ward: 'bruce-castle' });
  assert.equal(stale.location, `${SURVEY}/p?n=2`);
  const p2 = await stack.get(stale.location, { cookies: jar });
  assert.equal(p2.text.match(DARK_Q)?.[1], '4', 'the later answers are kept');
  const p1 = await stack.get(`${SURVEY}/p?n=1`, { cookies: jar });
  assert.match(p1.text, /<option value="bruce-castle" selected>/);
});

/** Answers pages until the one with id `stopAt` (or the check page). */
async function answerUntil(jar, r, stopAt) {
  for (let i = 0; i < 40 && pageId(r.text) !== stopAt && pageId(r.text) !== 'check'; i++) {
    const own = { 'where-you-live': { ward: 'woodside' }, 'feeling-safe': { safe_day: '3', safe_dark: '4' } };
    r = await stack.post(SURVEY, [...fill(r.text, own[pageId(r.text)] ?? {}), ['_nav', 'next']], { cookies: jar });
    assert.equal(r.status, 200, `${pageId(r.text)}`);
  }
  return r;
}

test('saved at step 12, resumed from its code in another browser the next day: one response', async () => {
  const before = Number(sql('SELECT count(*) FROM response'));
  const jar = new CookieJar();
  let r = await answerUntil(jar, await begin(jar, `${SURVEY}?c=stall`), 'area-victims');
  assert.match(r.text, /Step 10 of up to 20/);
  const CANARY = 'canary-7f3a9 the lamp by the bus stop';
  r = await stack.post(SURVEY, [...fill(r.text), ['_nav', 'next']], { cookies: jar });
  r = await stack.post(SURVEY, [...fill(r.text), ['_nav', 'next']], { cookies: jar });
  assert.equal(pageId(r.text), 'priorities');
  r = await stack.post(SURVEY, [...fill(r.text), ['_nav', 'next']], { cookies: jar });
  assert.equal(pageId(r.text), 'what-should-change');

  const saved = await press(jar, r.text, 'save', { change: CANARY });
  assert.equal(saved.status, 303);
  assert.equal(saved.location, `${SURVEY}/saved`);
  const page = await stack.get(saved.location, { cookies: jar });
  assert.equal(page.status, 200);
  const code = page.text.match(/<p class="code"[^>]*>([0-9A-Z-]+)<\/p>/)?.[1];
  assert.match(code, /^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/);
  assert.match(page.text, new RegExp(`/s/residents-2026/resume\\?code=${code}`));
  assert.match(page.text, /Anyone who has this code/);
  assert.match(page.text, /kept for 7 days|for 7 days/);
  // Reload of the saved page: the same code.
  assert.equal((await stack.get(saved.location, { cookies: jar })).text.match(/<p class="code"[^>]*>([^<]+)</)[1], code);
  // "Remove my answers from this device": the cookie goes, the draft stays for the code.
  const forget = await stack.post(SURVEY, [...formFieldPairs(page.text), ['_nav', 'forget']], { cookies: jar, follow: false });
  assert.equal(forget.status, 303);
  assert.match(forget.location, /^\/s\/residents-2026\?l=en&c=stall&forgot=1$/);
  assert.equal(jar.get('vr'), undefined);
  const told = await stack.get(forget.location, { cookies: jar });
  assert.match(htmlUnescape(told.text), /no longer kept on this device/);
  assert.doesNotMatch(told.text, /Continue where you left off/);

  // Nothing readable on the server: no answer, no code, no cookie value in the file.
  if (!stack.pg) { // the SQLite file itself (PostgreSQL's files are the server's)
    await checkpoint();
    const file = readFileSync(stack.dbPath);
    for (const needle of [CANARY, 'canary-7f3a9', code.replaceAll('-', ''), 'woodside']) {
      assert.equal(file.includes(Buffer.from(needle)), false, `${needle} is not in the database`);
    }
  }
  assert.match(sql(stack.pg ? 'SELECT pg_typeof(expires) FROM draft LIMIT 1' : 'SELECT typeof(expires) FROM draft LIMIT 1'), /^(integer|bigint)$/);

  // The next day, on another phone: the code typed in lower case with spaces.
  sql('UPDATE draft SET expires = expires - 1; UPDATE draft_code SET expires = expires - 1;', false);
  const other = new CookieJar();
  const form = await stack.get(`${SURVEY}/resume`, { cookies: other });
  assert.equal(form.status, 200);
  const typed = code.toLowerCase().replaceAll('-', ' ');
  const back = await stack.post(`${SURVEY}/resume`, [...formFieldPairs(form.text), ['code', typed]], { cookies: other, follow: false });
  assert.equal(back.status, 303, back.text.replace(/[\s\S]*<main/, '').slice(0, 1500));
  assert.equal(back.location, `${SURVEY}/p?n=14`);
  r = await stack.get(back.location, { cookies: other });
  assert.equal(pageId(r.text), 'what-should-change');
  assert.match(r.text, /canary-7f3a9 the lamp by the bus stop/);
  r = await answerUntil(other, r, 'check');
  assert.equal(pageId(r.text), 'check');
  const sent = await stack.post(SURVEY, [...formFieldPairs(r.text), ['_nav', 'submit']], { cookies: other });
  assert.equal(sent.status, 303);
  assert.match(sent.location, /^\/s\/residents-2026\/done\?l=en&c=stall&t=/);
  assert.equal(Number(sql('SELECT count(*) FROM response')), before + 1);
  assert.equal(sql("SELECT count(*) FROM answer WHERE question = 'ward' AND value = 'woodside'") !== '0', true);
  // The draft and its code are erased with the confirmation; the code leads nowhere now.
  assert.equal(other.get('vr'), undefined, 'the cookie is cleared');
  const gone = await stack.post(`${SURVEY}/resume`, [...formFieldPairs(form.text), ['code', code]], { cookies: other });
  assert.equal(gone.status, 422);
  assert.match(gone.text, /No saved answers have that code/);
  // The first phone's draft is the same one: gone too, and its pages say so.
  const stale = await stack.get(`${SURVEY}/p?n=3`, { cookies: jar });
  assert.equal(stale.status, 303);
  assert.match(stale.location, /gone=1/);
  // The same Send pressed again (a double tap): the confirmation, still one response.
  const twice = await stack.post(SURVEY, [...formFieldPairs(r.text), ['_nav', 'submit']], { cookies: other });
  assert.equal(twice.status, 303);
  assert.match(twice.location, /\/done\?/);
  assert.equal(Number(sql('SELECT count(*) FROM response')), before + 1);
});

test('wrong codes are refused, and past the day\'s limit every code is refused until tomorrow', async () => {
  const jar = new CookieJar();
  const form = await stack.get(`${SURVEY}/resume`, { cookies: jar });
  const bad = await stack.post(`${SURVEY}/resume`, [...formFieldPairs(form.text), ['code', 'not a code']], { cookies: jar });
  assert.equal(bad.status, 422);
  assert.match(bad.text, /Enter the 12 letters and numbers/);
  let last;
  for (let i = 0; i < 5; i++) {
    last = await stack.post(`${SURVEY}/resume`, [...formFieldPairs(form.text), ['code', `ABCD-EFGH-JK${10 + i}`]], { cookies: jar });
  }
  assert.equal(last.status, 429);
  assert.match(last.text, /Too many wrong codes/);
  assert.equal(sql("SELECT n FROM draft_fail WHERE survey = 'residents-2026'"), '4');
  sql('UPDATE draft_fail SET day = day - 1', false); // tomorrow
  const next = await stack.post(`${SURVEY}/resume`, [...formFieldPairs(form.text), ['code', 'ABCD-EFGH-JKMN']], { cookies: jar });
  assert.equal(next.status, 422);
});

test('without cookies the form carries the answers, and the code is the way back', async () => {
  const start = await stack.get(SURVEY);
  let r = await stack.post(SURVEY, [...formFieldPairs(start.text), ['_nav', 'start']]);
  assert.equal(r.status, 200, r.text.slice(0, 300));
  assert.equal(pageId(r.text), 'where-you-live');
  r = await stack.post(SURVEY, [...fill(r.text, { ward: 'woodside' }), ['_nav', 'next']]);
  assert.equal(r.status, 200);
  r = await stack.post(SURVEY, [...fill(r.text, { safe_day: '2', safe_dark: '4' }), ['_nav', 'save']]);
  assert.equal(r.status, 200);
  assert.match(r.text, /this code is the only way back/);
  const code = r.text.match(/<p class="code"[^>]*>([^<]+)<\/p>/)[1];
  // Continue from the saved page, save again: the same code.
  r = await stack.post(SURVEY, [...formFieldPairs(r.text), ['_nav', 'stay']]);
  assert.equal(pageId(r.text), 'feeling-safe');
  r = await stack.post(SURVEY, [...fill(r.text, { safe_day: '2', safe_dark: '4' }), ['_nav', 'save']]);
  assert.equal(r.text.match(/<p class="code"[^>]*>([^<]+)<\/p>/)[1], code);

  const form = await stack.get(`${SURVEY}/resume?code=${code}`);
  assert.match(form.text, new RegExp(`value="${code}"`));
  assert.match(form.text, /does not keep cookies/);
  r = await stack.post(`${SURVEY}/resume`, [...formFieldPairs(form.text).filter(([k]) => k !== 'code'), ['code', code]]);
  assert.equal(r.status, 200, r.text.replace(/[\s\S]*<main/, '').slice(0, 1500));
  assert.equal(pageId(r.text), 'feeling-safe');
  assert.equal(r.text.match(DARK_Q)?.[1], '4');
  assert.ok(formFieldPairs(r.text).some(([k, v]) => k === 'ward' && v === 'woodside'), 'earlier answers in the form');
  // A form without cookies and without its token is refused.
  const noToken = formFieldPairs(start.text).filter(([k]) => k !== '_fc');
  assert.equal((await stack.post(SURVEY, [...noToken, ['_nav', 'start']])).status, 403);
});

test('an expired draft is deleted by the next sweep and its bytes are gone from the file', async () => {
  const jar = new CookieJar();
  let r = await begin(jar);
  r = await press(jar, r.text, 'save', { ward: 'woodside' });
  assert.equal(r.status, 303);
  const boxes = sql(stack.pg ? "SELECT encode(box, 'hex') FROM draft" : 'SELECT hex(box) FROM draft').split('\n').filter(Boolean);
  assert.ok(boxes.length >= 1);
  sql('UPDATE draft SET expires = expires - 8; UPDATE draft_code SET expires = expires - 8;', false);
  // Another respondent's step writes a draft: the sweep deletes every expired one.
  const other = new CookieJar();
  await begin(other);
  assert.equal(sql('SELECT count(*) FROM draft'), '1', 'only the new draft is left');
  const today = Math.floor(Date.now() / 86400000);
  assert.equal(sql(`SELECT count(*) FROM draft_code WHERE expires < ${today}`), '0');
  // The expired draft's page says the answers were not found.
  const gone = await stack.get(`${SURVEY}/p?n=1`, { cookies: jar });
  assert.equal(gone.status, 303);
  if (!stack.pg) { // the SQLite file itself (PostgreSQL's files are the server's)
    await checkpoint();
    const file = readFileSync(stack.dbPath);
    const wal = existsSync(`${stack.dbPath}-wal`) ? readFileSync(`${stack.dbPath}-wal`) : Buffer.alloc(0);
    for (const hex of boxes) {
      const bytes = Buffer.from(hex, 'hex').subarray(24, 56); // 32 bytes of ciphertext
      assert.equal(file.includes(bytes), false, 'the expired box is not in the database file');
      assert.equal(wal.includes(bytes), false, 'nor in the write-ahead log');
    }
  }
  const start = await stack.get(gone.location, { cookies: jar });
  assert.match(htmlUnescape(start.text), /could not find answers in progress/);
});

test('the writer sweeps expired drafts when it starts (then hourly), with no draft written', async () => {
  const jar = new CookieJar();
  const r = await begin(jar);
  assert.equal((await press(jar, r.text, 'save', { ward: 'woodside' })).status, 303);
  sql('UPDATE draft SET expires = expires - 8; UPDATE draft_code SET expires = expires - 8;', false);
  assert.notEqual(sql('SELECT count(*) FROM draft'), '0');
  // The writer is the app's child with a second thread (its checkpointer); killed, it is
  // started again, and its first tick sweeps.
  const kids = execFileSync('pgrep', ['-P', String(stack.app.pid)], { encoding: 'utf8' }).trim().split('\n');
  const writer = kids.find((p) => /^Threads:\s+[2-9]/m.test(readFileSync(`/proc/${p}/status`, 'utf8')));
  assert.ok(writer, 'the writer process');
  process.kill(Number(writer), 'SIGKILL');
  for (let i = 0; i < 100 && sql('SELECT count(*) FROM draft') !== '0'; i++) {
    await new Promise((ok) => setTimeout(ok, 100));
  }
  assert.equal(sql('SELECT count(*) FROM draft'), '0');
  assert.equal(sql('SELECT count(*) FROM draft_code'), '0');
});

test("a draft's cookie never takes the place of a staff sign-in's (Path=/) cookie", async () => {
  const jar = new CookieJar();
  const staffToken = 'ab'.repeat(32);
  jar.set('vs', staffToken); // as a signed-in officer's browser holds it, sent to every path
  const r = await begin(jar);
  const sent = await press(jar, r.text, 'next', { ward: 'woodside' });
  assert.equal(sent.location, `${SURVEY}/p?n=2`);
  assert.match(jar.get('vr'), /^[0-9a-f]{96}$/);
  assert.equal(jar.get('vs'), staffToken, 'the sign-in cookie is untouched');
  const back = await stack.get(`${SURVEY}/p?n=1`, { cookies: jar });
  assert.match(back.text, /value="woodside"[^>]*selected|selected[^>]*value="woodside"/, 'the draft still reads back');
});
