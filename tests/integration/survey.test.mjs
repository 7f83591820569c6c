// A resident completes the strategy consultation over HTTP through real nginx and the
// real app, with a validation error, a back step and a conditional page on the way; then
// the database holds exactly one response with the right answers and nothing personal.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { startStack, CookieJar, formFieldPairs, tags, htmlUnescape } from './stack.mjs';

const SURVEY = '/s/residents-2026';
let stack;

before(async () => { stack = await startStack(); });
after(async () => { await stack?.stop(); });

function sql(query) {
  return stack.sql(query);
}

/** The page's heading text, for orientation in failures. */
function h1(html) {
  const m = html.match(/<h1[^>]*>([\s\S]*?)<\/h1>/);
  return m ? htmlUnescape(m[1].replace(/<[^>]+>/g, '')).trim() : '';
}

function pageId(html) {
  return formFieldPairs(html).find(([k]) => k === '_p')?.[1];
}

/** Answers every input on the page the simplest valid way, unless `answers` says otherwise. */
function fill(html, answers = {}) {
  const pairs = formFieldPairs(html);
  const own = {};
  for (const a of tags(html, 'input')) {
    if (a.type === 'radio' && (!(a.name in own) || 'checked' in a)) own[a.name] = a.value;
  }
  for (const m of html.matchAll(/<select id="([^"]+)" name="([^"]+)"[^>]*>([\s\S]*?)<\/select>/g)) {
    const name = htmlUnescape(m[2]);
    if (name.includes('.')) continue; // ranking positions: below
    const chosen = m[3].match(/<option value="([^"]+)" selected>/) ?? m[3].match(/<option value="([^"]+)"/);
    if (chosen) own[name] = htmlUnescape(chosen[1]);
  }
  const ranks = [...html.matchAll(/<select id="[^"]+" name="([^"]+\.[^"]+)"/g)].map((m) => htmlUnescape(m[1]));
  const positions = (html.match(/<select id="[^"]+" name="[^"]+\.[^"]+"[^>]*>[\s\S]*?<\/select>/) ?? [''])[0]
    .match(/<option value="\d+"/g)?.length ?? 0;
  ranks.slice(0, positions).forEach((name, i) => { own[name] = String(i + 1); });
  return [...pairs, ...Object.entries({ ...own, ...answers }).flatMap(([k, v]) =>
    (Array.isArray(v) ? v.map((x) => [k, x]) : [[k, v]]))];
}

async function step(jar, html, nav, answers) {
  const res = await stack.post(SURVEY, [...fill(html, answers), ['_nav', nav]], { cookies: jar });
  return res;
}

test('a resident completes the consultation and exactly one anonymous response is stored', async () => {
  const jar = new CookieJar();
  const start = await stack.get(`${SURVEY}?c=stall`, { cookies: jar });
  assert.equal(start.status, 200);
  assert.match(start.headers.get('content-security-policy'), /default-src 'none'/);
  assert.equal(start.headers.get('x-content-type-options'), 'nosniff');
  assert.equal(start.headers.get('referrer-policy'), 'no-referrer');
  assert.match(start.headers.get('set-cookie') ?? '', /HttpOnly/);
  assert.ok(Buffer.byteLength(start.text) < 30 * 1024, 'start page under 30 KB');

  let r = await stack.post(SURVEY, [...formFieldPairs(start.text), ['_nav', 'start']], { cookies: jar });
  assert.equal(r.status, 200, r.text);
  assert.equal(pageId(r.text), 'where-you-live');

  // A required question left empty: an error summary and a message next to the question.
  r = await stack.post(SURVEY, [...formFieldPairs(r.text), ['_nav', 'next']], { cookies: jar });
  assert.equal(r.status, 422);
  assert.equal(pageId(r.text), 'where-you-live');
  assert.match(r.text, /class="error-summary"/);
  assert.match(r.text, /<p class="error" id="e-ward">/);
  assert.match(r.text, /<a href="#i-ward">Which ward do you live in\? – Answer this question to continue<\/a>/);

  r = await step(jar, r.text, 'next', { ward: 'bruce-castle' });
  assert.equal(pageId(r.text), 'feeling-safe', h1(r.text));

  // Back keeps the answer.
  r = await step(jar, r.text, 'back', {});
  assert.equal(pageId(r.text), 'where-you-live');
  assert.match(r.text, /<option value="bruce-castle" selected>/);
  r = await step(jar, r.text, 'next', {});
  assert.equal(pageId(r.text), 'feeling-safe');

  // On a page of several questions the summary names the question each message is for.
  const bad = await step(jar, r.text, 'next', { safe_day: '9', safe_dark: '2' });
  assert.equal(bad.status, 422);
  assert.match(bad.text, /<a href="#q-safe_day-0">How safe or unsafe do you feel in your area during the day\? – Choose one of the answers shown<\/a>/);
  assert.doesNotMatch(bad.text, /href="#q-safe_dark-0"/);

  // Feeling unsafe after dark opens the conditional page.
  r = await step(jar, r.text, 'next', { safe_day: '4', safe_dark: '2' });
  assert.equal(pageId(r.text), 'unsafe-after-dark', h1(r.text));
  const secret = 'The underpass by the leisure centre smells of zebra lanterns';
  r = await step(jar, r.text, 'next', {
    unsafe_help: `${secret}. Email me at jo.bloggs@example.com or 07700 900123, I live at N17 6AB.`,
  });

  for (let i = 0; i < 40 && pageId(r.text) !== 'check'; i++) {
    assert.equal(r.status, 200, `${pageId(r.text)}: ${r.text.match(/class="error"[^<]*>([^<]*)/)?.[1]}`);
    assert.ok(Buffer.byteLength(r.text) < 30 * 1024, `${pageId(r.text)}: ${Buffer.byteLength(r.text)} bytes`);
    r = await step(jar, r.text, 'next', {});
  }
  assert.equal(pageId(r.text), 'check');
  assert.ok(Buffer.byteLength(r.text) < 30 * 1024, `check page: ${Buffer.byteLength(r.text)} bytes`);
  assert.match(r.text, /Bruce Castle/);
  assert.match(r.text, /zebra lanterns/);

  const submitForm = [...formFieldPairs(r.text), ['_nav', 'submit']];
  const sent = await stack.post(SURVEY, submitForm, { cookies: jar });
  assert.equal(sent.status, 303, sent.text);
  assert.match(sent.location, /^\/s\/residents-2026\/done/);
  const done = await stack.get(sent.location, { cookies: jar });
  assert.equal(done.status, 200);

  // A double tap or refresh sends the same form again: still one response.
  const again = await stack.post(SURVEY, submitForm, { cookies: jar });
  assert.equal(again.status, 303);

  assert.equal(sql("SELECT count(*) FROM response WHERE survey='residents-2026'"), '1');
  assert.equal(sql("SELECT channel FROM response"), 'stall');
  assert.match(sql('SELECT day FROM response'), /^\d{4}-\d{2}-\d{2}$/);
  assert.equal(sql("SELECT value FROM answer WHERE question='ward'"), 'bruce-castle');
  assert.equal(sql("SELECT value FROM answer WHERE question='safe_dark'"), '2');
  assert.equal(sql("SELECT count(*) FROM answer WHERE question='unsafe_help' AND value IS NULL AND sealed IS NOT NULL"), '1');
  assert.equal(sql("SELECT count(*) FROM answer WHERE question='priority_rank'") !== '0', true);

  // Nothing personal and no plain free text anywhere in the database files.
  const files = ['', '-wal'].map((s) => { try { return readFileSync(stack.dbPath + s); } catch { return Buffer.alloc(0); } });
  for (const f of files) {
    assert.equal(f.includes('zebra lanterns'), false, 'free text is sealed');
    assert.equal(f.includes('127.0.0.1'), false, 'no address');
    assert.equal(f.includes('Mozilla'), false, 'no user agent');
    assert.equal(f.includes(jar.get('vc')), false, 'no cookie value');
  }
});

test('feeling safe after dark skips the conditional page', async () => {
  const jar = new CookieJar();
  const start = await stack.get(SURVEY, { cookies: jar });
  let r = await stack.post(SURVEY, [...formFieldPairs(start.text), ['_nav', 'start']], { cookies: jar });
  r = await step(jar, r.text, 'next', { ward: 'woodside' });
  r = await step(jar, r.text, 'next', { safe_day: '5', safe_dark: '5' });
  assert.equal(pageId(r.text), 'worry');
});

test('hostile and broken requests get a 4xx and store nothing', async () => {
  const jar = new CookieJar();
  const before = sql('SELECT count(*) FROM response');
  const start = await stack.get(SURVEY, { cookies: jar });
  const fields = formFieldPairs(start.text);

  assert.equal((await stack.get(`${SURVEY}?c=facebook`)).status, 400);
  assert.equal((await stack.get('/s/no-such-survey')).status, 404);
  const noToken = fields.filter(([k]) => k !== '_csrf');
  assert.equal((await stack.post(SURVEY, [...noToken, ['_nav', 'start']], { cookies: jar })).status, 403);
  const wrongToken = fields.map(([k, v]) => [k, k === '_csrf' ? '0'.repeat(32) : v]);
  assert.equal((await stack.post(SURVEY, [...wrongToken, ['_nav', 'start']], { cookies: jar })).status, 403);
  const badChannel = fields.map(([k, v]) => [k, k === '_c' ? 'nope' : v]);
  assert.equal((await stack.post(SURVEY, [...badChannel, ['_nav', 'start']], { cookies: jar })).status, 400);

  // Submitting straight from a forged check page with an unknown option code.
  const forged = fields.map(([k, v]) => [k, k === '_p' ? 'check' : v]);
  const r = await stack.post(SURVEY, [...forged, ['ward', 'atlantis'], ['_nav', 'submit']], { cookies: jar });
  assert.equal(r.status, 422);
  assert.match(r.text, /id="e-ward"/);

  const many = [...fields, ['_nav', 'start']];
  for (let i = 0; i < 10000; i++) many.push([`f${i}`, 'x']);
  const big = await stack.post(SURVEY, many, { cookies: jar });
  assert.ok(big.status === 413 || big.status === 400, `10,000 fields: ${big.status}`);

  const badUtf8 = await fetch(stack.base + SURVEY, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: jar.header() },
    body: `${new URLSearchParams(fields)}&_nav=start&ward=%C3%28`,
  });
  assert.equal(badUtf8.status, 400);
  assert.equal(sql('SELECT count(*) FROM response'), before);
  assert.doesNotMatch(stack.logs(), /\b500\b/);
});

/** The text of the page's first textarea, as a browser would send it back. */
function textarea(html, id) {
  const m = html.match(new RegExp(`<textarea id="i-${id}"[^>]*>([\\s\\S]*?)</textarea>`));
  return m ? htmlUnescape(m[1]) : undefined;
}

/** The check page's rows: question text → answer text (what the respondent reads). */
function checkRows(html) {
  const rows = {};
  for (const m of html.matchAll(/<dt>([\s\S]*?)<\/dt><dd class="answer">([\s\S]*?)<\/dd>/g)) {
    rows[htmlUnescape(m[1])] = htmlUnescape(m[2].replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim());
  }
  return rows;
}

/** From the start page to the check page, answering `byPage` (page id → answers). */
async function toCheck(jar, startPath, byPage = {}) {
  const start = await stack.get(startPath, { cookies: jar });
  let r = await stack.post(SURVEY, [...formFieldPairs(start.text), ['_nav', 'start']], { cookies: jar });
  for (let i = 0; i < 40 && pageId(r.text) !== 'check'; i++) {
    assert.equal(r.status, 200, `${pageId(r.text)}: ${h1(r.text)}`);
    const own = pageId(r.text) === 'where-you-live' ? { ward: 'woodside' } : {};
    r = await step(jar, r.text, 'next', { ...own, ...(byPage[pageId(r.text)] ?? {}) });
  }
  assert.equal(pageId(r.text), 'check');
  return r;
}

const HELP_Q = 'What would make these places feel safer?';

test('answers on a page a changed answer hides are kept, come back with it, and are stored only while shown', async () => {
  const jar = new CookieJar();
  const lamps = 'Brighter lamps on the towpath by the marshes';
  let r = await toCheck(jar, SURVEY, {
    'feeling-safe': { safe_day: '4', safe_dark: '1' },
    'unsafe-after-dark': { unsafe_places: 'parks', unsafe_help: lamps },
  });
  assert.equal(checkRows(r.text)[HELP_Q], lamps);

  // Feeling safe after dark closes the page: it leaves the check page, its answers stay in the
  // draft (on the server, with cookies; in the form's hidden fields without).
  r = await stack.post(SURVEY, [...formFieldPairs(r.text), ['_nav', 'goto:feeling-safe']], { cookies: jar });
  assert.equal(pageId(r.text), 'feeling-safe');
  r = await step(jar, r.text, 'next', { safe_dark: '4' });
  assert.equal(pageId(r.text), 'check', h1(r.text));
  assert.equal(checkRows(r.text)[HELP_Q], undefined, 'the closed page is not on the check page');
  assert.deepEqual(formFieldPairs(r.text).filter(([k]) => k.startsWith('unsafe_')), [],
    'the page carries no answers: they are in the draft');

  // Changing it back re-opens the page, shown again with what was written on it, then the check page.
  r = await stack.post(SURVEY, [...formFieldPairs(r.text), ['_nav', 'goto:feeling-safe']], { cookies: jar });
  r = await step(jar, r.text, 'next', { safe_dark: '1' });
  assert.equal(pageId(r.text), 'unsafe-after-dark', h1(r.text));
  assert.equal(textarea(r.text, 'unsafe_help'), lamps);
  assert.match(r.text, /<input type="checkbox" id="[^"]+" name="unsafe_places" value="parks" checked>/);
  r = await step(jar, r.text, 'next', { unsafe_places: 'parks', unsafe_help: textarea(r.text, 'unsafe_help') });
  assert.equal(pageId(r.text), 'check', h1(r.text));
  assert.equal(checkRows(r.text)[HELP_Q], lamps);

  const helpBefore = Number(sql("SELECT count(*) FROM answer WHERE question='unsafe_help'"));
  const sent = await stack.post(SURVEY, [...formFieldPairs(r.text), ['_nav', 'submit']], { cookies: jar });
  assert.equal(sent.status, 303, sent.text);
  assert.equal(Number(sql("SELECT count(*) FROM answer WHERE question='unsafe_help'")), helpBefore + 1);

  // Closed again and sent: the kept answers travel in the form but are not stored.
  const jar2 = new CookieJar();
  r = await toCheck(jar2, SURVEY, {
    'feeling-safe': { safe_day: '4', safe_dark: '2' },
    'unsafe-after-dark': { unsafe_places: 'alleys', unsafe_help: 'zebra crossing lights' },
  });
  r = await stack.post(SURVEY, [...formFieldPairs(r.text), ['_nav', 'goto:feeling-safe']], { cookies: jar2 });
  r = await step(jar2, r.text, 'next', { safe_dark: '5' });
  assert.equal(pageId(r.text), 'check');
  const responses = Number(sql('SELECT count(*) FROM response'));
  const closed = await stack.post(SURVEY, [...formFieldPairs(r.text), ['_nav', 'submit']], { cookies: jar2 });
  assert.equal(closed.status, 303, closed.text);
  assert.equal(Number(sql('SELECT count(*) FROM response')), responses + 1);
  assert.equal(Number(sql("SELECT count(*) FROM answer WHERE question='unsafe_help'")), helpBefore + 1);
  assert.equal(sql("SELECT count(*) FROM answer WHERE question='unsafe_places' AND value='alleys'"), '0');
});

test('the step counter keeps its total while answers open a page, on error pages too', async () => {
  const jar = new CookieJar();
  const start = await stack.get(SURVEY, { cookies: jar });
  let r = await stack.post(SURVEY, [...formFieldPairs(start.text), ['_nav', 'start']], { cookies: jar });
  const steps = [];
  const stepOf = (html) => htmlUnescape(html.match(/<p class="step">([^<]*)<\/p>/)?.[1] ?? '');
  for (let i = 0; i < 40 && pageId(r.text) !== 'check'; i++) {
    steps.push([pageId(r.text), r.status, stepOf(r.text)]);
    if (pageId(r.text) === 'feeling-safe' && r.status === 200) {
      const bad = await step(jar, r.text, 'next', { safe_day: '9', safe_dark: '1' }); // opens the branch
      assert.equal(bad.status, 422);
      steps.push([pageId(bad.text), bad.status, stepOf(bad.text)]);
    }
    const own = { 'where-you-live': { ward: 'woodside' }, 'feeling-safe': { safe_day: '3', safe_dark: '1' } };
    r = await step(jar, r.text, 'next', own[pageId(r.text)] ?? {});
  }
  assert.ok(steps.some(([p]) => p === 'unsafe-after-dark'), 'the branch was opened');
  const totals = new Set(steps.map(([, , s]) => s.match(/^Step \d+ of up to (\d+)$/)?.[1]));
  assert.equal(totals.size, 1, steps.map((s) => s.join(' ')).join('\n'));
  assert.ok(!totals.has(undefined));
  const shown = steps.filter(([, status]) => status === 200).map(([, , s]) => Number(s.match(/\d+/)[0]));
  assert.deepEqual(shown, shown.map((_, i) => i + 1), 'steps count 1, 2, 3 ...');
});

test('the confirmation says "received" only after a response was sent, and carries the channel on', async () => {
  for (const path of [`${SURVEY}/done`, `${SURVEY}/done?l=en&c=paper`, `${SURVEY}/done?t=9999999999.${'0'.repeat(32)}`]) {
    const r = await stack.get(path);
    assert.equal(r.status, 303, path);
    assert.doesNotMatch(r.text, /Answers received/);
    assert.match(r.location, /^\/s\/residents-2026\?l=en/, path);
  }
  assert.equal((await stack.get(`${SURVEY}/done?c=paper`)).location, '/s/residents-2026?l=en&c=paper');

  const jar = new CookieJar();
  const check = await toCheck(jar, `${SURVEY}?c=paper`);
  const sent = await stack.post(SURVEY, [...formFieldPairs(check.text), ['_nav', 'submit']], { cookies: jar });
  assert.equal(sent.status, 303);
  const url = new URL(sent.location, stack.base);
  assert.equal(url.searchParams.get('c'), 'paper');
  const done = await stack.get(url.pathname + url.search);
  assert.equal(done.status, 200);
  assert.match(done.text, /<h1>Answers received<\/h1>/);
  const again = tags(done.text, 'a').find((a) => a.href.startsWith('/s/residents-2026?'));
  assert.equal(again.href, '/s/residents-2026?l=en&c=paper');

  // A token is bound to its survey and its expiry.
  const [expiry, mac] = url.searchParams.get('t').split('.');
  const later = `${SURVEY}/done?l=en&t=${Number(expiry) + 1}.${mac}`;
  assert.equal((await stack.get(later)).status, 303);
  assert.equal((await stack.get(`/s/young-people-2026/done?l=en&t=${expiry}.${mac}`)).status, 303);

  // The next form from "Start a new response" is stored under the same channel.
  const before = Number(sql("SELECT count(*) FROM response WHERE channel='paper'"));
  const next = await toCheck(jar, again.href);
  assert.equal(formFieldPairs(next.text).find(([k]) => k === '_c')[1], 'paper');
  const sent2 = await stack.post(SURVEY, [...formFieldPairs(next.text), ['_nav', 'submit']], { cookies: jar });
  assert.equal(sent2.status, 303);
  assert.equal(Number(sql("SELECT count(*) FROM response WHERE channel='paper'")), before + 1);
});

test('an unknown channel gets a page that says what is wrong', async () => {
  const r = await stack.get(`${SURVEY}?c=facebook`);
  assert.equal(r.status, 400);
  assert.match(h1(r.text), /We do not recognise this survey link/);
});
