// Results pages ("You said, we did"), through real nginx, on a database filled by
// `voices-analyse generate`: an admin pastes the report.json `voices-analyse report` wrote
// with the secret key, and the server keeps the themes per outcome area only after checking
// every count again; a report whose numbers were edited is refused with the table named.
// The public page /r/ID is a 404 until published; published, it shows the dashboard's
// closed-question tables, the themes and quotes and the "We did" entries, no small count,
// no hidden count a reader can work out. Only admins reach the admin page; every POST needs
// the CSRF token; every change leaves one audit row.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { startStack, CookieJar, formWith, htmlUnescape } from './stack.mjs';
import { addStaff, signIn } from './staff_steps.mjs';
import { generate, writeReport } from './analyse_steps.mjs';

const SURVEY = 'residents-2026';
const ADMIN = `/staff/surveys/${SURVEY}/results`;
const PUBLIC = `/r/${SURVEY}`;
const HIDDEN = '[c]';
const K = 10;
const PW = 'a long enough pass phrase';
let stack;
let out;
let reportText;
const jars = { adm: new CookieJar(), ana: new CookieJar(), fac: new CookieJar() };

async function addAndSignIn(name, role, jar) {
  addStaff(stack, name, role, PW);
  assert.equal((await signIn(stack, jar, name, PW)).location, '/staff');
}

/** POSTs the admin form whose _nav is `action` (hidden or a button), with fields. */
async function act(action, fields = {}, jar = jars.adm) {
  const page = await stack.get(ADMIN, { cookies: jar });
  const csrf = formWith(page.text, ADMIN).find(([k]) => k === '_csrf')[1];
  return stack.post(ADMIN, { _csrf: csrf, _nav: action, ...fields }, { cookies: jar });
}

function audit() {
  return stack.sql("SELECT staff || ' ' || action || ' ' || coalesce(detail, '') FROM audit WHERE action LIKE 'results%' ORDER BY id").trim().split('\n').filter(Boolean);
}

/** Tables of a page: id → { rows: [{code, n}], base }. */
function pageTables(html) {
  const t = {};
  for (const m of html.matchAll(/<table class="dash[^"]*" id="t-([^"]+)">([\s\S]*?)<\/table>\s*<p class="base muted">([\s\S]*?)<\/p>/g)) {
    const rows = [...m[2].matchAll(/<tr data-code="([^"]*)"><th scope="row">[^<]*<\/th><td class="num n">([^<]*)<\/td>/g)]
      .map((r) => ({ code: htmlUnescape(r[1]), n: r[2] }));
    t[m[1]] = { rows, base: m[3].match(/<span class="b">([^<]*)<\/span>/)[1] };
  }
  return t;
}

/** Closes survey id early as the admin of jar on stack st: results are for closed surveys. */
async function closeSurvey(st, jar, id) {
  const path = `/staff/surveys/${id}`;
  const page = await st.get(path, { cookies: jar });
  const res = await st.post(path, [...formWith(page.text, path, 'close'), ['reason', 'the consultation has ended']],
    { cookies: jar });
  assert.equal(res.status, 303, res.text.slice(0, 300));
}

before(async () => {
  out = mkdtempSync('/tmp/voices-results-');
  stack = await startStack();
  await generate(stack, { n: 600, seed: 7 });
  await writeReport(stack, { survey: SURVEY, out, formats: 'json' });
  reportText = readFileSync(join(out, 'report.json'), 'utf8');
  await addAndSignIn('adm', 'admin', jars.adm);
  await addAndSignIn('ana', 'analyst', jars.ana);
  await addAndSignIn('fac', 'facilitator', jars.fac);
  await closeSurvey(stack, jars.adm, SURVEY);
});
after(async () => {
  await stack?.stop();
  if (out && !process.env.KEEP_TMP) rmSync(out, { recursive: true, force: true });
});

test('only admins reach the admin pages; the public page is a 404 until published', async () => {
  for (const p of [ADMIN, `${ADMIN}/preview`]) {
    assert.equal((await stack.get(p, { cookies: jars.ana })).status, 403, p);
    assert.equal((await stack.get(p, { cookies: jars.fac })).status, 403, p);
    const anon = await stack.get(p);
    assert.equal(anon.status, 303, p);
    assert.equal(anon.location, '/staff/login');
  }
  const page = await stack.get(ADMIN, { cookies: jars.ana });
  assert.equal(page.status, 403);
  const adm = await stack.get(ADMIN, { cookies: jars.adm });
  assert.equal(adm.status, 200);
  assert.match(adm.text, /<textarea[^>]*name="report"/);
  assert.match((await stack.get(`/staff/surveys/${SURVEY}/dashboard`, { cookies: jars.adm })).text,
    /href="\/staff\/surveys\/residents-2026\/results"/, 'the dashboard links admins to it');
  assert.doesNotMatch((await stack.get(`/staff/surveys/${SURVEY}/dashboard`, { cookies: jars.ana })).text,
    /\/results"/, 'not analysts');
  assert.equal((await stack.get(PUBLIC)).status, 404);
  assert.equal((await stack.get('/r/no-such-survey')).status, 404);
  assert.equal((await stack.get('/r/poll-knife-crime-youth')).status, 404);
  // An analyst's session with a valid token still may not post here.
  const anaHome = await stack.get('/staff', { cookies: jars.ana });
  const csrf = formWith(anaHome.text, '/staff/logout').find(([k]) => k === '_csrf')[1];
  const res = await stack.post(ADMIN, { _csrf: csrf, _nav: 'publish' }, { cookies: jars.ana });
  assert.equal(res.status, 403);
  assert.equal((await stack.get(PUBLIC)).status, 404);
});

test('every POST needs the CSRF token', async () => {
  const res = await stack.post(ADMIN, { _nav: 'publish' }, { cookies: jars.adm });
  assert.equal(res.status, 403);
  const bad = await stack.post(ADMIN, { _csrf: 'x'.repeat(43), _nav: 'publish' }, { cookies: jars.adm });
  assert.equal(bad.status, 403);
  assert.equal((await stack.get(PUBLIC)).status, 404);
  assert.deepEqual(audit(), []);
  // Only the results page's own address takes a body the size of a report.json.
  const big = await stack.post('/staff/users', { _csrf: 'x', report: 'x'.repeat(200 * 1024) }, { cookies: jars.adm });
  assert.equal(big.status, 413);
  const ok = await stack.post(ADMIN, { report: 'x'.repeat(200 * 1024) }, { cookies: jars.adm });
  assert.equal(ok.status, 403, 'read whole, then refused for want of the CSRF token');
});

test('a report.json with an edited count is refused, naming the table', async () => {
  const j = JSON.parse(reportText);
  const t = j.tables.find((x) => x.id === 'themes-vawg');
  t.rows[0].count = 3;
  let res = await act('upload', { report: JSON.stringify(j) });
  assert.equal(res.status, 422);
  assert.match(res.text, /a count that must be hidden/);
  assert.match(res.text, /<strong class="table-name">themes-vawg<\/strong>/);
  // A hidden count made visible by subtraction: the base minus one row is 1 to 9.
  const j2 = JSON.parse(reportText);
  const a = j2.tables.find((x) => x.id === 'themes-areas');
  a.rows[0].count = a.base - 4;
  res = await act('upload', { report: JSON.stringify(j2) });
  assert.equal(res.status, 422);
  assert.match(res.text, /<strong class="table-name">themes-areas<\/strong>/);
  // A quote under a hidden theme.
  const j3 = JSON.parse(reportText);
  const o = j3.tables.find((x) => x.id === 'themes-trust');
  o.rows[0].count = null;
  o.rows[0].suppressed = true;
  res = await act('upload', { report: JSON.stringify(j3) });
  assert.equal(res.status, 422);
  assert.match(res.text, /themes-trust/);
  res = await act('upload', { report: '{"not": "a report"}' });
  assert.equal(res.status, 422);
  res = await act('upload', { report: reportText.replace(`"id": "${SURVEY}"`, '"id": "young-people-2026"') });
  assert.equal(res.status, 422);
  assert.match(res.text, /different survey/);
  assert.deepEqual(audit(), [], 'nothing refused is audited as saved');
  const row = stack.sql('SELECT count(*) FROM results').trim();
  assert.equal(row, '0', 'nothing refused is stored');
});

test('the real report.json is accepted; published, the page shows findings, themes, quotes, entries', async () => {
  let res = await act('upload', { report: reportText });
  assert.equal(res.status, 200, res.text.match(/<p id="upload-error">[\s\S]*?<\/p>/)?.[0]);
  assert.match(res.text, /The themes were checked and saved/);
  res = await act('did_save', { title: 'Brighter lighting on <the> Tottenham High Road', body: 'We asked for 40 new street lights.\n\nThey go in this spring.', status: '1', day: '2026-11-02' });
  assert.equal(res.status, 200);
  res = await act('did_save', { title: 'Youth club hours', body: 'Open until 9pm on Fridays.', status: '2', day: '2026-10-01' });
  assert.equal(res.status, 200);
  res = await act('did_save', { title: '', body: 'x', status: '0', day: '2026-10-01' });
  assert.equal(res.status, 422, 'an entry without a title is refused');
  res = await act('did_save', { title: 'x', body: 'x', status: '7', day: '2026-10-01' });
  assert.equal(res.status, 422, 'an unknown status is refused');

  const preview = await stack.get(`${ADMIN}/preview`, { cookies: jars.adm });
  assert.equal(preview.status, 200);
  assert.match(preview.text, /not published/);
  assert.equal((await stack.get(PUBLIC)).status, 404, 'still not published');

  res = await act('publish');
  assert.equal(res.status, 200);
  assert.match(res.text, /href="\/r\/residents-2026"/);
  const pub = await stack.get(PUBLIC);
  assert.equal(pub.status, 200);
  assert.doesNotMatch(pub.text, /<script/i);
  assert.match(pub.headers.get('content-security-policy') ?? '', /default-src 'none'/);
  assert.equal(pub.headers.get('x-frame-options'), 'DENY');
  assert.match(pub.text, /Brighter lighting on &lt;the&gt; Tottenham High Road/);
  assert.match(pub.text, /<p>They go in this spring\.<\/p>/);
  assert.match(pub.text, /In progress/);
  assert.match(pub.text, /Youth club hours[\s\S]*Done/);
  assert.doesNotMatch(pub.text, /staff-nav|_csrf/, 'no staff parts on the public page');
  assert.match((await stack.get(`/s/${SURVEY}`)).text, /<a href="\/r\/residents-2026\?l=en">Read what people told us/,
    'the closed survey\'s own page links to its results');

  const j = JSON.parse(reportText);
  const tables = pageTables(pub.text);
  // The closed questions: the dashboard's (so the report's) numbers.
  for (const id of ['safe_dark', 'unsafe_places', 'priority_rank']) {
    const want = j.tables.find((x) => x.id === id);
    assert.ok(tables[id], `closed question ${id}`);
    assert.deepEqual(tables[id].rows.map((r) => r.n), want.rows.map((r) => (r.count === null ? HIDDEN : String(r.count))), id);
  }
  // The themes per outcome area, with the report's counts and quotes; not the other topics.
  const areas = j.tables.find((x) => x.id === 'themes-areas');
  assert.deepEqual(tables['themes-areas'].rows.map((r) => r.n), areas.rows.map((r) => (r.count === null ? HIDDEN : String(r.count))));
  let quotes = 0;
  for (const row of areas.rows.filter((r) => r.code !== 'other')) {
    const want = j.tables.find((x) => x.id === `themes-${row.code}`);
    assert.ok(tables[`themes-${row.code}`], `themes of ${row.code}`);
    assert.deepEqual(tables[`themes-${row.code}`].rows.map((r) => r.n), want.rows.map((r) => (r.count === null ? HIDDEN : String(r.count))));
    for (const r of want.rows) for (const q of r.quotes ?? []) {
      assert.ok(htmlUnescape(pub.text).includes(q), `quote shown: ${q}`);
      quotes++;
    }
  }
  assert.ok(quotes > 5, `quotes shown: ${quotes}`);
  assert.ok(!tables['themes-other'] && !tables['themes-uncoded'], 'only the outcome areas');

  // The attacker, on every table the public page shows.
  assert.ok(Object.keys(tables).length > 20, `tables on the page: ${Object.keys(tables).length}`);
  for (const [id, t] of Object.entries(tables)) {
    const vals = t.rows.map((r) => (r.n === HIDDEN ? null : Number(r.n)));
    const base = t.base === HIDDEN ? null : Number(t.base);
    for (const v of vals) assert.ok(v === null || v === 0 || v >= K, `${id}: small count ${v}`);
    if (base !== null) for (const v of vals) if (v !== null) assert.ok(base - v === 0 || base - v >= K || !id.startsWith('themes'), `${id}: ${base} - ${v} is small`);
    // (A table whose rows overlap, as themes do, may show a zero beside hidden counts.)
    if (!id.startsWith('themes') && vals.some((v) => v === null) && vals.filter((v) => v !== 0).every((v) => v === null))
      assert.ok(vals.every((v) => v === null), `${id}: zeros beside only hidden counts`);
  }

  res = await act('unpublish');
  assert.equal(res.status, 200);
  assert.equal((await stack.get(PUBLIC)).status, 404);
  assert.doesNotMatch((await stack.get(`/s/${SURVEY}`)).text, /href="\/r\//);

  const adminPage = (await stack.get(ADMIN, { cookies: jars.adm })).text;
  const ids = [...adminPage.matchAll(/name="id" value="(\d+)"/g)].map((m) => m[1]);
  assert.equal(ids.length, 2);
  // An entry's own form, as the browser sends it: its status preselected, then changed.
  const own = formWith(adminPage, ADMIN, `name="id" value="${ids[1]}"`);
  assert.match(adminPage, /<option value="2" selected>Done<\/option>/);
  res = await stack.post(ADMIN, [...own, ['title', 'Youth club hours'], ['body', 'Open until 10pm.'],
    ['status', '1'], ['day', '2026-10-02'], ['_nav', 'did_save']], { cookies: jars.adm });
  assert.equal(res.status, 200);
  assert.match(res.text, /Open until 10pm\./);
  res = await act('did_delete', { id: ids[0] });
  assert.equal(res.status, 200);
  res = await act('did_delete', { id: ids[0] });
  assert.equal(res.status, 422, 'a deleted entry is gone');
  assert.deepEqual(audit(), [
    `adm results_upload survey=${SURVEY}`,
    `adm results_entry_added survey=${SURVEY} entry=1`,
    `adm results_entry_added survey=${SURVEY} entry=2`,
    `adm results_publish survey=${SURVEY}`,
    `adm results_unpublish survey=${SURVEY}`,
    `adm results_entry_changed survey=${SURVEY} entry=${ids[1]}`,
    `adm results_entry_deleted survey=${SURVEY} entry=${ids[0]}`,
  ]);
  const stored = stack.sql('SELECT themes FROM results');
  assert.doesNotMatch(stored, /themes-other|themes-uncoded|ci95|"summary"/, 'only the areas\' themes are kept');
});

test('the page speaks the survey\'s languages: its questions and answers in Turkish', async () => {
  const st = await startStack({ surveysDir: 'tests/fixtures/surveys' });
  try {
    const jar = new CookieJar();
    addStaff(st, 'adm', 'admin', PW);
    await signIn(st, jar, 'adm', PW);
    await closeSurvey(st, jar, 'community-safety');
    const admin = '/staff/surveys/community-safety/results';
    const page = await st.get(admin, { cookies: jar });
    assert.equal(page.status, 200);
    const res = await st.post(admin, [...formWith(page.text, admin), ['_nav', 'publish']], { cookies: jar });
    assert.equal(res.status, 200);
    const tr = await st.get('/r/community-safety?l=tr');
    assert.equal(tr.status, 200);
    assert.match(tr.text, /<html lang="tr"/);
    assert.match(tr.text, /<caption>Gündüz kendinizi ne kadar güvende hissediyorsunuz\?<\/caption>/);
    assert.match(tr.text, /<th scope="row">Oldukça güvende<\/th>/);
    assert.match(tr.text, /href="\/r\/community-safety\?l=ar"/, 'the language chooser');
    const en = await st.get('/r/community-safety');
    assert.match(en.text, /<caption>How safe do you feel during the day\?<\/caption>/);
  } finally {
    await st.stop();
  }
});
