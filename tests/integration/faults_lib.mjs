// What the fault-injection tests share (faults.test.mjs: the processes, the lock; and
// faults_file.test.mjs: the SQLite file's own faults): the survey (tests/fixtures/faults/
// marker.yaml: each submission carries a unique number, a `number` question readable in plain
// SQL), sending its form, the app's processes, and what became of each form. FAULTS_SCALE=N
// (make faults-long) multiplies the submissions and the faults of every round.
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { ROOT, CookieJar, formFields, formFieldPairs } from './stack.mjs';

export const SURVEY = '/s/marker';
export const FIXTURES = 'tests/fixtures/faults';
export const NO_RATE_LIMIT = { NGINX_POST_RATE: '100000r/s', NGINX_POST_BURST: '100000' };
export const BIN = resolve(ROOT, process.env.VOICES_BIN ?? 'build/asan/voices');
export const TRY_AGAIN = /id="ta-h"/; // the check page's "your answers have not been sent yet" box
export const SCALE = Math.max(1, Number(process.env.FAULTS_SCALE ?? 1));
export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
export const run = promisify(execFile);

export const PG = Boolean(process.env.VOICES_TEST_PG);

/** Runs SQL on db: a SQLite path, or a connection string with VOICES_TEST_PG. */
export function sql(db, query) {
  return execFileSync(PG ? 'psql' : 'sqlite3', PG ? ['-XAtq', db, '-c', query] : ['-cmd', '.timeout 5000', db, query],
    { encoding: 'utf8' }).trim();
}

/** marker → number of responses carrying it. */
export function storedMarkers(db) {
  const out = new Map();
  const rows = sql(db, "SELECT value, count(*) FROM answer WHERE question = 'marker' GROUP BY value");
  for (const line of rows.split('\n').filter(Boolean)) {
    const [v, n] = line.split('|');
    out.set(Number(v), Number(n));
  }
  return out;
}

export function assertSound(db) {
  if (PG) return; // the SQLite file's checks; PostgreSQL enforces its foreign keys at each write
  assert.equal(sql(db, 'PRAGMA integrity_check'), 'ok');
  assert.equal(sql(db, 'PRAGMA foreign_key_check'), '', 'no dangling answer or response');
}

/** A browser that has opened the survey: its cookie and the form's constant fields. */
export async function respondent(stack) {
  const jar = new CookieJar();
  const start = await stack.get(SURVEY, { cookies: jar });
  assert.equal(start.status, 200);
  const f = formFields(start.text);
  return { cookie: jar.header(), csrf: f._csrf, lang: f._l, channel: f._c };
}

/** The final submit of a filled-in form: a fresh nonce unless one is given. */
export function form(r, marker, nonce = randomBytes(16).toString('hex')) {
  return [['_csrf', r.csrf], ['_n', nonce], ['_c', r.channel], ['_l', r.lang], ['_p', 'check'],
    ['marker', String(marker)], ['_nav', 'submit']];
}

/** The fields of the form whose button sends the answers (a page has other forms, Back's). */
export function sendForm(html) {
  const form = html.split('</form>').find((f) => /name="_nav" value="submit"/.test(f)) ?? '';
  return formFieldPairs(form.slice(form.lastIndexOf('<form')));
}

/** Keeps the cookies a response sets in r.cookie, as a browser does (the draft's, say). */
function keepCookies(r, setCookies) {
  const jar = new Map(r.cookie.split('; ').filter(Boolean).map((c) => [c.split('=')[0], c]));
  for (const sc of setCookies) {
    const pair = sc.split(';')[0];
    const name = pair.split('=')[0];
    if (/Max-Age=0/i.test(sc)) jar.delete(name); else jar.set(name, pair);
  }
  r.cookie = [...jar.values()].join('; ');
}

/** POSTs fields; { status, text, location }, status 0 when the connection failed. */
export async function post(stack, r, fields) {
  try {
    const res = await fetch(stack.base + SURVEY, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: r.cookie },
      body: new URLSearchParams(fields).toString(),
      signal: AbortSignal.timeout(20000),
    });
    keepCookies(r, res.headers.getSetCookie());
    return { status: res.status, text: await res.text(), location: res.headers.get('location') };
  } catch {
    return { status: 0, text: '' };
  }
}

/** Runs fn over items, n at a time; the results in item order. */
export async function pool(n, items, fn) {
  const out = new Array(items.length);
  let next = 0;
  await Promise.all(Array.from({ length: n }, async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i], i);
    }
  }));
  return out;
}

/** The child processes of pid (read from /proc: no process spawned, so it is quick). */
export function children(pid) {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').split(' ').filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

export async function until(what, cond, ms = 15000) {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`${what}: not within ${ms} ms`);
    await sleep(50);
  }
}

export function exitOf(child) {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode ?? child.signalCode);
  return new Promise((r) => child.once('exit', (code, sig) => r(code ?? sig)));
}


/** The writer of the app whose parent is pid (default: the stack's). */
export function writerPid(stack, pid = stack.app.pid) {
  for (const c of children(pid)) {
    try {
      if (readFileSync(`/proc/${c}/comm`, 'utf8').trim() === 'voices-writer') return c;
    } catch { /* exited meanwhile */ }
  }
  return null;
}

/**
 * What became of each form: confirmed (303), lost (confirmed, not stored), duplicated (stored
 * more than once), misled (stored, but shown something other than the confirmation).
 */
export function tally(db, markers, results) {
  const stored = storedMarkers(db);
  const t = { sent: markers.length, confirmed: 0, lost: [], duplicated: [], misled: [], statuses: {} };
  results.forEach(({ status }, i) => {
    const m = markers[i];
    const n = stored.get(m) ?? 0;
    t.statuses[status] = (t.statuses[status] ?? 0) + 1;
    if (status === 303) t.confirmed++;
    if (status === 303 && n === 0) t.lost.push(m);
    if (n > 1) t.duplicated.push(m);
    if (status !== 303 && n > 0) t.misled.push(m);
  });
  return t;
}

export function say(round, t, extra = '') {
  console.log(`# ${round}: ${t.sent} sent, ${t.confirmed} confirmed, ${t.lost.length} lost, `
    + `${t.duplicated.length} duplicated, ${t.misled.length} stored but shown 5xx/"not sent"; `
    + `statuses ${JSON.stringify(t.statuses)}${extra ? `; ${extra}` : ''}`);
}

/**
 * Submits fresh forms, n at a time, until at least `min` were sent and enough() holds:
 * { markers, forms, results }, in order.
 */
export async function loadUntil(stack, r, first, min, enough, n = 32) {
  const markers = [];
  const forms = [];
  const results = [];
  await Promise.all(Array.from({ length: n }, async () => {
    while (markers.length < min || !enough()) {
      const i = markers.length;
      markers.push(first + i);
      forms.push(form(r, first + i));
      results[i] = await post(stack, r, forms[i]);
    }
  }));
  return { markers, forms, results };
}

/** Sends the unconfirmed forms again (same nonce), as a respondent would; all must be confirmed. */
export async function retryUnconfirmed(stack, r, forms, results) {
  const retry = results.map((x, i) => (x.status === 303 ? null : forms[i])).filter(Boolean);
  const again = await pool(16, retry, (f) => post(stack, r, f));
  const bad = again.filter((x) => x.status !== 303).map((x) => x.status);
  assert.deepEqual(bad, [], 'every form sent again is confirmed');
  return retry.length;
}

export function assertAllOnce(db, markers) {
  const stored = storedMarkers(db);
  for (const m of markers) assert.equal(stored.get(m), 1, `marker ${m} stored once`);
}

/** ms from now until a fresh submission is confirmed. */
export async function timeToConfirm(stack, r, marker, ms = 30000) {
  const t0 = Date.now();
  await until('a new submission confirmed', async () => (await post(stack, r, form(r, marker))).status === 303, ms);
  return Date.now() - t0;
}

/** Ends a stack whose app was replaced by `served` (the test's own `voices serve`). */
export async function stopServed(stack, served) {
  if (served && served.exitCode === null && served.signalCode === null) {
    served.kill('SIGTERM');
    assert.equal(await exitOf(served), 0, 'the restarted app exits 0 on SIGTERM');
  }
  stack.nginx.kill('SIGTERM');
  await exitOf(stack.nginx);
  if (!process.env.KEEP_TMP) rmSync(stack.dir, { recursive: true, force: true });
}
