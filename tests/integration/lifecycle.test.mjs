// Survey lifecycle through real nginx and the real app: a draft is a 404 to the public
// (the same page as a missing survey) but a preview with a banner to signed-in staff,
// and its submit stores nothing; a survey not yet open says when it opens (London time,
// BST in summer); a closed one says when it closed; a form started before the close is
// taken within the survey's grace and refused after it with a page saying it was not
// stored; an admin closes a survey early with a reason (audited, kept across a restart of
// the app) and reopens it; analysts and facilitators see the list but get 403 on the
// close. The clock moves through the test clock of the sanitizer build (VOICES_TEST_CLOCK
// names a file holding seconds added to the real time; core/lifecycle.h).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startStack, CookieJar, formFieldPairs, formWith, htmlUnescape, ROOT } from './stack.mjs';
import { addStaff, signIn as staffSignIn } from './staff_steps.mjs';

const PW = 'a long enough pass phrase';
const work = mkdtempSync('/tmp/voices-lifecycle-');
const surveysDir = join(work, 'surveys');
const clockFile = join(work, 'clock');
const dbPath = join(work, 'lc.db');
let stack;

/** Sets the app's clock to Unix time t (seconds); null: the real time. */
function setClock(t) {
  writeFileSync(clockFile, t === null ? '0\n' : `${Math.round(t - Date.now() / 1000)}\n`);
}

function start(keys = {}) {
  // The same database across a restart: the SQLite file, or the first stack's PostgreSQL one.
  const database = process.env.VOICES_TEST_PG ? stack?.database : dbPath;
  return startStack({
    surveysDir, config: { ...(database ? { database } : {}), ...keys }, env: { VOICES_TEST_CLOCK: clockFile },
    nginxEnv: { NGINX_POST_RATE: '1000r/s', NGINX_POST_BURST: '1000', NGINX_LOGIN_RATE: '1000r/s',
      NGINX_LOGIN_BURST: '1000' },
  });
}

before(async () => {
  execFileSync('mkdir', ['-p', surveysDir]);
  copyFileSync(join(ROOT, 'surveys/ui.yaml'), join(surveysDir, 'ui.yaml'));
  for (const f of readdirSync(join(ROOT, 'tests/fixtures/lifecycle'))) {
    copyFileSync(join(ROOT, 'tests/fixtures/lifecycle', f), join(surveysDir, f));
  }
  setClock(null);
  stack = await start();
  for (const [name, role] of [['ada', 'admin'], ['ann', 'analyst'], ['fay', 'facilitator']]) {
    addStaff(stack, name, role, PW);
  }
});
after(async () => {
  await stack?.stop();
  rmSync(work, { recursive: true, force: true });
});

function sql(query) {
  if (stack.pg) return stack.sql(query);
  return execFileSync('sqlite3', ['-readonly', dbPath, query], { encoding: 'utf8' }).trim();
}

const text = (html) => htmlUnescape(html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' '));

async function signIn(name) {
  const jar = new CookieJar();
  const r = await staffSignIn(stack, jar, name, PW);
  assert.equal(r.status, 303, r.text);
  return jar;
}

/** Starts a form on survey id and answers its one page: the check page. */
async function upToCheck(id, jar) {
  const start = await stack.get(`/s/${id}`, { cookies: jar });
  assert.equal(start.status, 200, start.text);
  let r = await stack.post(`/s/${id}`, [...formFieldPairs(start.text), ['_nav', 'start']], { cookies: jar });
  assert.equal(r.status, 200, r.text);
  r = await stack.post(`/s/${id}`, [...formFieldPairs(r.text), ['q', 'a'], ['_nav', 'next']], { cookies: jar });
  assert.equal(r.status, 200, r.text);
  assert.match(r.redirectedFrom, /\/check$/);
  return r;
}

const submit = (id, check, jar) =>
  stack.post(`/s/${id}`, [...formFieldPairs(check.text), ['_nav', 'submit']], { cookies: jar });

/** GETs path until its page matches re (workers may keep a survey's state for up to a
 * second: cgi/life.c), for at most 3 s; returns the last page. */
async function eventually(path, re) {
  const until = Date.now() + 3000;
  for (;;) {
    const r = await stack.get(path);
    if (re.test(r.text) || Date.now() > until) return r;
    await new Promise((ok) => setTimeout(ok, 100));
  }
}

const count = (id) => Number(sql(`SELECT count(*) FROM response WHERE survey = '${id}'`));

test('a draft is a 404 to the public, a preview to staff, and stores nothing', async () => {
  const missing = await stack.get('/s/lc-nothing-here');
  const pub = await stack.get('/s/lc-draft');
  assert.equal(pub.status, 404);
  assert.equal(pub.text, missing.text, 'the same page as a survey that does not exist');
  for (const path of ['/s/lc-draft/privacy', '/s/lc-draft/check', '/s/lc-draft/resume']) {
    assert.equal((await stack.get(path)).status, 404, path);
  }
  const home = await stack.get('/');
  assert.doesNotMatch(home.text, /lc-draft|Draft consultation/);

  const jar = await signIn('fay');
  const check = await upToCheck('lc-draft', jar);
  assert.match(text(check.text), /Preview: this survey is a draft/);
  const sent = await submit('lc-draft', check, jar);
  assert.equal(sent.status, 200, sent.text);
  assert.match(text(sent.text), /Preview: not stored/);
  assert.equal(count('lc-draft'), 0);
  // A public POST to a draft (say, a form kept from a preview) is the same 404.
  const post = await stack.post('/s/lc-draft', [...formFieldPairs(check.text), ['_nav', 'submit']]);
  assert.equal(post.status, 404);
  assert.equal(count('lc-draft'), 0);
});

test('before it opens a respondent sees when it opens, in London time', async () => {
  const r = await stack.get('/s/lc-later');
  assert.equal(r.status, 200);
  assert.match(text(r.text), /This consultation is not open yet/);
  assert.match(text(r.text), /It opens on 1 June 2099, 10:00/);
  assert.doesNotMatch(r.text, /name="_nav"/, 'no form to start');
  assert.doesNotMatch((await stack.get('/')).text, /lc-later/);
});

test('after it closes a respondent sees when it closed', async () => {
  const r = await stack.get('/s/lc-past');
  assert.equal(r.status, 200);
  assert.match(text(r.text), /This consultation closed on 1 February 2020\./);
  assert.doesNotMatch(r.text, /name="_nav"/);
  assert.equal((await stack.get('/s/lc-past/privacy')).status, 200, 'privacy stays readable');
});

test('a form started before the close is taken within the grace, refused after it', async (t) => {
  t.after(() => setClock(null));
  const close = Date.UTC(2030, 0, 10, 12, 0) / 1000;	// 12:00 GMT is 12:00 UTC
  setClock(close - 3600);
  const early = new CookieJar();
  const late = new CookieJar();
  const a = await upToCheck('lc-dated', early);
  const b = await upToCheck('lc-dated', late);
  const before = count('lc-dated');

  setClock(close + 59 * 60);	// within the 60 minutes
  const newcomer = await stack.get('/s/lc-dated');
  assert.match(text(newcomer.text), /This consultation closed on 10 January 2030, 12:00/);
  assert.doesNotMatch(newcomer.text, /name="_nav"/, 'nobody new starts in the grace');
  const kept = await stack.get('/s/lc-dated', { cookies: early });
  assert.match(kept.text, /name="_nav"/, 'someone half-way through goes on');
  const ok = await submit('lc-dated', a, early);
  assert.equal(ok.status, 303, ok.text);
  assert.match(ok.location, /\/s\/lc-dated\/done/);
  assert.equal(count('lc-dated'), before + 1);

  setClock(close + 61 * 60);	// the grace is over
  const refused = await submit('lc-dated', b, late);
  assert.equal(refused.status, 410, refused.text);
  assert.match(text(refused.text), /Your answers were not stored/);
  assert.match(text(refused.text), /closed on 10 January 2030, 12:00, so the answers you sent were not stored/);
  assert.equal(count('lc-dated'), before + 1);
  // The same form sent again after the grace still gets its confirmation.
  const again = await submit('lc-dated', a, early);
  assert.equal(again.status, 303, again.text);
  assert.match(again.location, /\/s\/lc-dated\/done/);
  assert.equal(count('lc-dated'), before + 1);
});

test('only an admin may close; the list is read-only for analysts and facilitators', async () => {
  for (const who of ['ann', 'fay']) {
    const jar = await signIn(who);
    const home = await stack.get('/staff', { cookies: jar });
    assert.equal(home.status, 200);
    assert.match(home.text, /<tr data-survey="lc-open">/);
    assert.match(home.text, /href="\/staff\/surveys\/lc-open"/);
    assert.doesNotMatch(home.text, /#change"/, `${who} sees no close or reopen link`);
    const page = await stack.get('/staff/surveys/lc-open', { cookies: jar });
    assert.equal(page.status, 200);
    assert.doesNotMatch(page.text, /name="_nav"/, `${who} sees no close form`);
    const r = await stack.post('/staff/surveys/lc-open', [['_csrf', formFieldPairs(page.text)
      .find(([k]) => k === '_csrf')[1]], ['_nav', 'close'], ['reason', 'not mine to close']],
    { cookies: jar });
    assert.equal(r.status, 403, who);
  }
  assert.equal(sql("SELECT count(*) FROM survey_state"), '0');
  const anon = await stack.post('/staff/surveys/lc-open', [['_nav', 'close'], ['reason', 'x']]);
  assert.equal(anon.status, 303);
  assert.equal(anon.location, '/staff/login');
});

test('an admin closes early with a reason; it holds across a restart; reopen', async (t) => {
  t.after(() => setClock(null));
  let jar = await signIn('ada');
  const home = await stack.get('/staff', { cookies: jar });
  assert.match(home.text, /<tr data-survey="lc-open">[\s\S]*?data-state="open"/);
  assert.match(home.text, /href="\/staff\/surveys\/lc-open#change">Close the survey/);
  assert.match(home.text, /href="\/staff\/surveys\/lc-past#change">Reopen the survey/);
  assert.match(home.text, /<tr data-survey="lc-past">[\s\S]*?data-state="closed"/);
  assert.match(home.text, /<tr data-survey="lc-draft">[\s\S]*?data-state="draft"/);
  assert.match(home.text, /<tr data-survey="lc-dated">[\s\S]*?<td>1<\/td><td>1<\/td><\/tr>/,
    'one response so far, from version 1');

  const started = new CookieJar();
  const half = await upToCheck('lc-open', started);
  let page = await stack.get('/staff/surveys/lc-open', { cookies: jar });
  const csrf = formWith(page.text, '/staff/surveys/lc-open', 'close');
  const empty = await stack.post('/staff/surveys/lc-open', [...csrf, ['reason', '  ']], { cookies: jar });
  assert.equal(empty.status, 422);
  assert.match(text(empty.text), /Enter a reason/);
  const noToken = await stack.post('/staff/surveys/lc-open', [['_nav', 'close'], ['reason', 'x']],
    { cookies: jar });
  assert.equal(noToken.status, 403, 'CSRF');
  const unknown = await stack.post('/staff/surveys/lc-open', [...csrf.filter(([k]) => k !== '_nav'),
    ['_nav', 'delete'], ['reason', 'x']], { cookies: jar });
  assert.equal(unknown.status, 400);

  const closed = await stack.post('/staff/surveys/lc-open', [...csrf, ['reason', 'Board decision <b>']],
    { cookies: jar });
  assert.equal(closed.status, 303, closed.text);
  assert.equal(closed.location, '/staff/surveys/lc-open?done=close');
  page = await stack.get(closed.location, { cookies: jar });
  assert.match(text(page.text), /The survey is closed/);
  assert.match(page.text, /Board decision &lt;b&gt;/);
  assert.match(page.text, /data-state="closing"/);
  assert.equal(sql("SELECT action || '|' || staff || '|' || reason FROM survey_state WHERE survey = 'lc-open'"),
    'close|ada|Board decision <b>');
  assert.equal(sql("SELECT count(*) FROM audit WHERE action = 'survey_closed' AND staff = 'ada'"
    + " AND detail LIKE 'survey lc-open:%'"), '1');
  assert.match(text((await eventually('/s/lc-open', /closed on/)).text), /This consultation closed on/);
  // A second close (an old page) would move the close, and its grace, later: refused.
  const at = sql("SELECT at FROM survey_state WHERE survey = 'lc-open'");
  const twice = await stack.post('/staff/surveys/lc-open', [...csrf, ['reason', 'again']], { cookies: jar });
  assert.equal(twice.status, 409);
  assert.match(text(twice.text), /state has changed/);
  assert.equal(sql("SELECT at FROM survey_state WHERE survey = 'lc-open'"), at);

  // Across a restart of the app, on the same database (and keys).
  const keys = { public_key: join(work, 'analysis.pub'), secret_file: join(work, 'server.secret') };
  copyFileSync(stack.publicKeyPath, keys.public_key);
  copyFileSync(stack.serverSecretPath, keys.secret_file);
  await stack.stop();
  stack = await start(keys);
  jar = await signIn('ada');
  page = await stack.get('/staff/surveys/lc-open', { cookies: jar });
  assert.match(page.text, /data-state="closing"/);
  assert.match(text((await stack.get('/s/lc-open')).text), /This consultation closed on/);
  // In the 30 minutes of grace the form started before the close is taken...
  const n = count('lc-open');
  assert.equal((await submit('lc-open', half, started)).status, 303);
  assert.equal(count('lc-open'), n + 1);
  // ...and after them nothing is: a form from a page rendered before the close is refused.
  const now = Date.now() / 1000;
  const late = new CookieJar();
  setClock(now - 3600);
  const lateCheck = await upToCheck('lc-open', late);
  setClock(now + 31 * 60);
  const refused = await submit('lc-open', lateCheck, late);
  assert.equal(refused.status, 410);
  assert.match(text(refused.text), /were not stored/);
  assert.equal(count('lc-open'), n + 1);
  setClock(null);

  const reopen = formWith(page.text, '/staff/surveys/lc-open', 'reopen');
  const r = await stack.post('/staff/surveys/lc-open', [...reopen, ['reason', 'Extended by the board']],
    { cookies: jar });
  assert.equal(r.status, 303);
  page = await stack.get(r.location, { cookies: jar });
  assert.match(page.text, /data-state="open"/);
  assert.equal(sql("SELECT count(*) FROM audit WHERE action = 'survey_reopened'"), '1');
  assert.match((await eventually('/s/lc-open', /name="_nav"/)).text, /name="_nav"/);
});
