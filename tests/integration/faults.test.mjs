// Fault injection: what a respondent was told was received is in the database exactly once,
// whatever happens to the processes, the lock or the disk; what was refused was refused with
// the "try again" page and left nothing behind; nobody is told "not sent" (or shown a 5xx) for
// answers that were stored, except the respondent whose own worker process was killed under
// their request. The survey is tests/fixtures/faults/marker.yaml: each submission carries a
// unique number (a `number` question, readable in plain SQL).
//
// Each round prints: confirmed, lost (confirmed, not stored), duplicated, stored but shown a
// 5xx or "not sent", and the time the app took to recover. FAULTS_SCALE=N (make faults-long)
// multiplies the submissions and the faults of every round.
//
// (a) kill -9 of the writer, again and again, under load
// (b) kill -9 of workers under load
// (c) kill -9 of every process of the app at once, then a restart
// (d) SIGTERM under load: in-flight requests complete, the app exits 0
// (e) SIGHUP under load: nobody notices
// (f) a second `voices serve` on the same database refuses to start and touches nothing
// (g) the same form sent 20 times at once
// (h) another connection holds the write lock past the busy timeout
// (i) the disk fills (a small tmpfs; needs root to mount, skipped otherwise), then has room again
// (j) `voices backup` under write load, and a restore from it
// With VOICES_TEST_PG the app runs on PostgreSQL: (a)-(g) run as they are, (h) holds a lock on
// the response table (busy_timeout_ms is PostgreSQL's lock_timeout), and (i) and (j) are
// SQLite's own (the disk reserve file next to the database file, its online backup) and are
// skipped there.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statfsSync, statSync, writeFileSync,
} from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { ROOT, startStack, CookieJar, formFields, formFieldPairs } from './stack.mjs';

const SURVEY = '/s/marker';
const FIXTURES = 'tests/fixtures/faults';
const NO_RATE_LIMIT = { NGINX_POST_RATE: '100000r/s', NGINX_POST_BURST: '100000' };
const BIN = resolve(ROOT, process.env.VOICES_BIN ?? 'build/asan/voices');
const TRY_AGAIN = /id="ta-h"/; // the check page's "your answers have not been sent yet" box
const SCALE = Math.max(1, Number(process.env.FAULTS_SCALE ?? 1));
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const run = promisify(execFile);

const PG = Boolean(process.env.VOICES_TEST_PG);
const SQLITE_ONLY = PG ? 'SQLite\'s own; the app runs on PostgreSQL' : false;

/** Runs SQL on db: a SQLite path, or a connection string with VOICES_TEST_PG. */
function sql(db, query) {
  return execFileSync(PG ? 'psql' : 'sqlite3', PG ? ['-XAtq', db, '-c', query] : ['-cmd', '.timeout 5000', db, query],
    { encoding: 'utf8' }).trim();
}

/** marker → number of responses carrying it. */
function storedMarkers(db) {
  const out = new Map();
  const rows = sql(db, "SELECT value, count(*) FROM answer WHERE question = 'marker' GROUP BY value");
  for (const line of rows.split('\n').filter(Boolean)) {
    const [v, n] = line.split('|');
    out.set(Number(v), Number(n));
  }
  return out;
}

function assertSound(db) {
  if (PG) return; // the SQLite file's checks; PostgreSQL enforces its foreign keys at each write
  assert.equal(sql(db, 'PRAGMA integrity_check'), 'ok');
  assert.equal(sql(db, 'PRAGMA foreign_key_check'), '', 'no dangling answer or response');
}

/** A browser that has opened the survey: its cookie and the form's constant fields. */
async function respondent(stack) {
  const jar = new CookieJar();
  const start = await stack.get(SURVEY, { cookies: jar });
  assert.equal(start.status, 200);
  const f = formFields(start.text);
  return { cookie: jar.header(), csrf: f._csrf, lang: f._l, channel: f._c };
}

/** The final submit of a filled-in form: a fresh nonce unless one is given. */
function form(r, marker, nonce = randomBytes(16).toString('hex')) {
  return [['_csrf', r.csrf], ['_n', nonce], ['_c', r.channel], ['_l', r.lang], ['_p', 'check'],
    ['marker', String(marker)], ['_nav', 'submit']];
}

/** The fields of the form whose button sends the answers (a page has other forms, Back's). */
function sendForm(html) {
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
async function post(stack, r, fields) {
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
async function pool(n, items, fn) {
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
function children(pid) {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').split(' ').filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

async function until(what, cond, ms = 15000) {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`${what}: not within ${ms} ms`);
    await sleep(50);
  }
}

function exitOf(child) {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode ?? child.signalCode);
  return new Promise((r) => child.once('exit', (code, sig) => r(code ?? sig)));
}


/** The writer of the app whose parent is pid (default: the stack's). */
function writerPid(stack, pid = stack.app.pid) {
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
function tally(db, markers, results) {
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

function say(round, t, extra = '') {
  console.log(`# ${round}: ${t.sent} sent, ${t.confirmed} confirmed, ${t.lost.length} lost, `
    + `${t.duplicated.length} duplicated, ${t.misled.length} stored but shown 5xx/"not sent"; `
    + `statuses ${JSON.stringify(t.statuses)}${extra ? `; ${extra}` : ''}`);
}

/**
 * Submits fresh forms, n at a time, until at least `min` were sent and enough() holds:
 * { markers, forms, results }, in order.
 */
async function loadUntil(stack, r, first, min, enough, n = 32) {
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
async function retryUnconfirmed(stack, r, forms, results) {
  const retry = results.map((x, i) => (x.status === 303 ? null : forms[i])).filter(Boolean);
  const again = await pool(16, retry, (f) => post(stack, r, f));
  const bad = again.filter((x) => x.status !== 303).map((x) => x.status);
  assert.deepEqual(bad, [], 'every form sent again is confirmed');
  return retry.length;
}

function assertAllOnce(db, markers) {
  const stored = storedMarkers(db);
  for (const m of markers) assert.equal(stored.get(m), 1, `marker ${m} stored once`);
}

/** ms from now until a fresh submission is confirmed. */
async function timeToConfirm(stack, r, marker, ms = 30000) {
  const t0 = Date.now();
  await until('a new submission confirmed', async () => (await post(stack, r, form(r, marker))).status === 303, ms);
  return Date.now() - t0;
}

describe('one app, one fault after another', () => {
  const workers = 4;
  let stack;
  let r;
  before(async () => {
    stack = await startStack({ surveysDir: FIXTURES, workers, nginxEnv: NO_RATE_LIMIT });
    r = await respondent(stack);
  });
  after(async () => { await stack.stop(); });

  test('kill -9 of the writer again and again under load: no one waits, no one is misled', { timeout: 180000 * SCALE }, async () => {
    let loading = true;
    let kills = 0;
    let samples = 0;
    let present = 0;
    const restarts = []; // ms from a kill to the new writer process
    // At most 12 kills (×SCALE): on a slow machine the load takes longer, and kills every
    // 50–150 ms for all of it would test the machine's speed, not the app.
    const killer = (async () => {
      while (loading && kills < 12 * SCALE) {
        await sleep(50 + Math.random() * 100);
        const w = writerPid(stack);
        if (!loading || !w) continue;
        const before = new Set(children(stack.app.pid));
        try { process.kill(w, 'SIGKILL'); kills++; } catch { continue; }
        const t0 = Date.now();
        while (children(stack.app.pid).every((c) => before.has(c)) && Date.now() - t0 < 5000) await sleep(5);
        restarts.push(Date.now() - t0);
      }
    })();
    let gap = 0;
    let lastSeen = Date.now();
    const watcher = (async () => {
      while (loading) {
        samples++;
        if (writerPid(stack)) {
          present++;
          lastSeen = Date.now();
        } else gap = Math.max(gap, Date.now() - lastSeen);
        await sleep(25);
      }
    })();
    const t0 = Date.now();
    const { markers, forms, results } = await loadUntil(stack, r, 300000, 200 * SCALE, () => kills >= 8 * SCALE);
    const took = Date.now() - t0;
    loading = false;
    await Promise.all([killer, watcher]);
    const t = tally(stack.database, markers, results);
    restarts.sort((x, y) => x - y);
    const median = restarts[Math.floor(restarts.length / 2)];
    say('writer kill -9', t, `${kills} writer kills in ${took} ms, restarted after ${median} ms (median; `
      + `longest ${restarts.at(-1)} ms), a writer there in ${Math.round(100 * present / samples)}% of samples, `
      + `the longest time without one ${gap} ms`);
    assert.deepEqual(t.lost, [], 'no confirmed submission lost');
    assert.deepEqual(t.duplicated, [], 'none stored twice');
    assert.deepEqual(t.misled, [], 'nobody shown an error for answers that were stored');
    assert.deepEqual(t.statuses, { 303: markers.length }, 'every submission confirmed: none turned away');
    assert.ok(median < 400, `the writer restarted after ${median} ms (median)`);
    await retryUnconfirmed(stack, r, forms, results);
    assertAllOnce(stack.database, markers);
    assertSound(stack.database);
  });

  test('kill -9 of workers under load: the request a worker dies under is answered by another', { timeout: 180000 * SCALE }, async () => {
    await until('every process there', () => children(stack.app.pid).length === workers + 1);
    const first = children(stack.app.pid);
    assert.equal(first.length, workers + 1);
    let loading = true;
    let kills = 0;
    const killer = (async () => {
      while (loading && kills < 12 * SCALE) {
        await sleep(40 + Math.random() * 80);
        const w = writerPid(stack);
        const ws = children(stack.app.pid).filter((p) => p !== w);
        const victim = ws[Math.floor(Math.random() * ws.length)];
        if (!loading || !victim) continue;
        try { process.kill(victim, 'SIGKILL'); kills++; } catch { /* gone already */ }
      }
    })();
    const { markers, forms, results } = await loadUntil(stack, r, 400000, 200 * SCALE, () => kills >= 8 * SCALE);
    loading = false;
    await killer;
    const t = tally(stack.database, markers, results);
    say('worker kill -9', t, `${kills} worker kills`);
    assert.deepEqual(t.lost, []);
    assert.deepEqual(t.duplicated, []);
    // A worker killed under a request cannot answer it; nginx sends the request again to
    // another worker, and the nonce keeps it stored once: nobody sees a 502.
    assert.deepEqual(t.misled, [], 'nobody shown an error for answers that were stored');
    for (const s of Object.keys(t.statuses)) assert.ok(['303', '503'].includes(s), `status ${s}`);
    await until('workers replaced', () => {
      const now = children(stack.app.pid);
      return now.length === workers + 1 && now.some((p) => !first.includes(p));
    });
    await retryUnconfirmed(stack, r, forms, results);
    assertAllOnce(stack.database, markers);
    assertSound(stack.database);
  });

  test('SIGHUP under load: a reload is invisible to respondents', { timeout: 120000 * SCALE }, async () => {
    const logged = (stack.logs().match(/reloaded/g) ?? []).length;
    let loading = true;
    let reloads = 0;
    // At most 12 (×SCALE), as with the kills: each reload starts new workers, and on a slow
    // machine (or PostgreSQL, where each opens a connection) one every 100–200 ms for all of
    // the load would test the machine's speed, not the app.
    const hupper = (async () => {
      while (loading && reloads < 12 * SCALE) {
        await sleep(100 + Math.random() * 100);
        if (loading) { stack.reload(); reloads++; }
      }
    })();
    const { markers, results } = await loadUntil(stack, r, 600000, 300 * SCALE, () => reloads >= 8 * SCALE);
    loading = false;
    await hupper;
    const t = tally(stack.database, markers, results);
    say('SIGHUP', t, `${reloads} SIGHUPs`);
    assert.deepEqual(t.statuses, { 303: markers.length }, 'every submission confirmed');
    assertAllOnce(stack.database, markers);
    await until('reloads logged', () => (stack.logs().match(/reloaded/g) ?? []).length > logged);
    assertSound(stack.database);
  });

  test('a second voices serve on the same database refuses to start and touches nothing', { timeout: 60000 * SCALE }, async () => {
    const sockets = [stack.socketPath, PG ? join(stack.dir, 'writer.sock') : `${stack.dbPath}-writer.sock`];
    const inodes = sockets.map((s) => statSync(s).ino);
    const second = await run(BIN, ['-c', stack.configPath, 'serve'], { cwd: ROOT }).then(
      () => ({ code: 0, stderr: '' }), (e) => ({ code: e.code, stderr: e.stderr }));
    assert.equal(second.code, 1);
    assert.match(second.stderr, /another `voices serve` is running on this database/);
    assert.deepEqual(sockets.map((s) => statSync(s).ino), inodes, 'the first one\'s sockets untouched');
    assert.equal((await post(stack, r, form(r, 700000))).status, 303, 'the first one still serves');
    assert.equal(storedMarkers(stack.database).get(700000), 1);
  });

  test('the same form sent 20 times at once: confirmed 20 times, stored once', { timeout: 60000 * SCALE }, async () => {
    const f = form(r, 710000);
    const results = await Promise.all(Array.from({ length: 20 }, () => post(stack, r, f)));
    assert.deepEqual(results.map((x) => x.status), Array(20).fill(303));
    assert.equal(storedMarkers(stack.database).get(710000), 1);
  });
});

/** Ends a stack whose app was replaced by `served` (the test's own `voices serve`). */
async function stopServed(stack, served) {
  if (served && served.exitCode === null && served.signalCode === null) {
    served.kill('SIGTERM');
    assert.equal(await exitOf(served), 0, 'the restarted app exits 0 on SIGTERM');
  }
  stack.nginx.kill('SIGTERM');
  await exitOf(stack.nginx);
  if (!process.env.KEEP_TMP) rmSync(stack.dir, { recursive: true, force: true });
}

test('kill -9 of every process at once under load, then a restart: nothing confirmed lost', { timeout: 180000 * SCALE }, async () => {
  const stack = await startStack({ surveysDir: FIXTURES, workers: 4, nginxEnv: NO_RATE_LIMIT });
  let served;
  try {
    const r = await respondent(stack);
    const markers = Array.from({ length: 200 * SCALE }, (_, i) => 500000 + i);
    const forms = markers.map((m) => form(r, m));
    let confirmed = 0;
    const load = pool(32, forms, async (f) => {
      const res = await post(stack, r, f);
      if (res.status === 303) confirmed++;
      return res;
    });
    await until('load running', () => confirmed >= 50, 30000);
    const all = [stack.app.pid, ...children(stack.app.pid)];
    for (const pid of all) try { process.kill(pid, 'SIGKILL'); } catch { /* gone */ }
    await exitOf(stack.app);
    const downAt = Date.now();
    served = spawn(BIN, ['-c', stack.configPath, 'serve'], { cwd: ROOT, stdio: 'ignore' });
    await timeToConfirm(stack, r, 900001);
    const upMs = Date.now() - downAt;
    const results = await load;
    const t = tally(stack.database, markers, results);
    say('group kill -9 and restart', t, `restarted at once; first new confirmation ${upMs} ms after the kill`);
    assert.deepEqual(t.lost, []);
    assert.deepEqual(t.duplicated, []);
    assert.ok(t.misled.length <= 32, 'only requests in flight at the kill');
    await retryUnconfirmed(stack, r, forms, results);
    assertAllOnce(stack.database, markers);
    assertSound(stack.database);
  } finally {
    await stopServed(stack, served);
  }
});

test('SIGTERM to every process under load: requests in flight complete, nobody misled, exit 0', { timeout: 120000 * SCALE }, async () => {
  const stack = await startStack({ surveysDir: FIXTURES, workers: 4, nginxEnv: NO_RATE_LIMIT });
  let served;
  try {
    const r = await respondent(stack);
    const done = [];
    const markers = Array.from({ length: 300 * SCALE }, (_, i) => 5000 + i);
    const forms = markers.map((m) => form(r, m));
    const load = pool(48, forms, async (f, i) => {
      const res = await post(stack, r, f);
      done.push({ i, status: res.status, at: Date.now() });
      return res;
    });
    await until('some submissions confirmed', () => done.length >= 60, 30000);
    const termAt = Date.now();
    // As systemd stops a service: the signal to every process at once.
    for (const pid of [stack.app.pid, ...children(stack.app.pid)]) {
      try { process.kill(pid, 'SIGTERM'); } catch { /* gone already */ }
    }
    const code = await Promise.race([exitOf(stack.app), sleep(20000).then(() => 'timeout')]);
    const exitMs = Date.now() - termAt;
    const results = await load;
    assert.equal(code, 0, 'voices serve exits 0 after SIGTERM');
    const after = done.filter((d) => d.at > termAt && d.status === 303).length;
    const t = tally(stack.database, markers, results);
    say('SIGTERM', t, `exit 0 ${exitMs} ms after SIGTERM, ${after} confirmed after it`);
    assert.ok(after > 0, 'requests in flight at SIGTERM were answered with their confirmation');
    assert.deepEqual(t.lost, []);
    assert.deepEqual(t.duplicated, []);
    assert.deepEqual(t.misled, [], 'nobody told "not sent" for answers stored');
    served = spawn(BIN, ['-c', stack.configPath, 'serve'], { cwd: ROOT, stdio: 'ignore' });
    await timeToConfirm(stack, r, 900002);
    await retryUnconfirmed(stack, r, forms, results);
    assertAllOnce(stack.database, markers);
    assertSound(stack.database);
  } finally {
    await stopServed(stack, served);
  }
});

test('write lock held past the busy timeout: the try-again page, nothing stored, the retry works', { timeout: 60000 * SCALE }, async () => {
  const stack = await startStack({ surveysDir: FIXTURES, workers: 2, config: { busy_timeout_ms: 200 } });
  let holder;
  try {
    const r = await respondent(stack);
    // On PostgreSQL a lock on the response table; busy_timeout_ms is its lock_timeout.
    holder = spawn(PG ? 'psql' : 'sqlite3', PG ? ['-XAtq', stack.database] : [stack.dbPath], { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    holder.stdout.on('data', (d) => { out += d; });
    holder.stdin.write(PG ? "BEGIN;\nLOCK TABLE response IN EXCLUSIVE MODE;\nSELECT 'locked';\n"
      : "BEGIN IMMEDIATE;\nSELECT 'locked';\n");
    await until('the other connection holds the lock', () => out.includes('locked'));

    const refused = await post(stack, r, form(r, 4242));
    assert.equal(refused.status, 503);
    assert.match(refused.text, TRY_AGAIN);
    assert.equal(storedMarkers(stack.database).get(4242), undefined, 'nothing half-written');

    holder.stdin.end(PG ? 'ROLLBACK;\n\\q\n' : 'ROLLBACK;\n.quit\n');
    assert.equal(await exitOf(holder), 0);
    // The page's own button: the same hidden fields, the same nonce.
    const retried = await post(stack, r, [...sendForm(refused.text), ['_nav', 'submit']]);
    assert.equal(retried.status, 303, retried.text);
    assert.equal(storedMarkers(stack.database).get(4242), 1);
    assertSound(stack.database);
  } finally {
    if (holder && holder.exitCode === null) holder.kill('SIGKILL');
    await stack.stop();
  }
});

function mountTmpfs(size) {
  if (process.getuid?.() !== 0) return null;
  const mnt = mkdtempSync('/tmp/voices-full-');
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', mnt], { stdio: 'ignore' });
    return mnt;
  } catch {
    rmSync(mnt, { recursive: true, force: true });
    return null;
  }
}

async function health(stack) {
  const res = await fetch(`${stack.base}/healthz`, { signal: AbortSignal.timeout(5000) });
  return { status: res.status, text: await res.text() };
}

/** Fills the filesystem at mnt to leave about `leave` bytes, in a file named name. */
function fill(mnt, name, leave) {
  const { bavail, bsize } = statfsSync(mnt);
  writeFileSync(join(mnt, name), Buffer.alloc(Math.max(0, bavail * bsize - leave)));
}

test('disk full: confirmed and stored, or try-again and absent; warned before; recovers by itself when there is room', { timeout: 180000 * SCALE, skip: SQLITE_ONLY }, async (t) => {
  const mnt = mountTmpfs('8m');
  if (!mnt) {
    t.skip('cannot mount a tmpfs here (needs root)');
    return;
  }
  const db = join(mnt, 'voices.db');
  let stack;
  let served;
  let log = '';
  try {
    stack = await startStack({ surveysDir: FIXTURES, workers: 2, config: { database: db } });
    const r = await respondent(stack);
    assert.ok(existsSync(`${db}.reserve`), 'the reserve is made at start');
    assert.deepEqual(await health(stack), { status: 200, text: 'ok\n' });
    for (let i = 0; i < 5; i++) assert.equal((await post(stack, r, form(r, 90000 + i))).status, 303);

    // Nearly full: warned (log and /healthz) while submissions still work.
    fill(mnt, 'filler', 700 * 1024);
    const warned = await health(stack);
    assert.equal(warned.status, 200);
    assert.match(warned.text, /disk nearly full: 0\.\d MiB free/);
    await until('the writer logs it', () => /voices writer: disk nearly full/.test(stack.logs()));
    assert.equal((await post(stack, r, form(r, 90010))).status, 303, 'still taking responses');

    writeFileSync(join(mnt, 'filler-small'), Buffer.alloc(256 * 1024));
    fill(mnt, 'filler-more', 16 * 1024);
    const outcomes = [];
    for (let i = 0; i < 400 * SCALE && outcomes.filter((o) => o.status !== 303).length < 10; i++) {
      const f = form(r, 100000 + i);
      const res = await post(stack, r, f);
      assert.ok(res.status === 303 || res.status === 503, `status ${res.status}`);
      if (res.status === 503) assert.match(res.text, TRY_AGAIN);
      outcomes.push({ marker: 100000 + i, status: res.status, text: res.text, f });
    }
    const refused = outcomes.filter((o) => o.status === 503);
    assert.ok(refused.length > 0, 'the disk filled up');
    const full = await health(stack);
    assert.equal(full.status, 503);
    assert.match(full.text, /^disk full/);
    assert.ok(!existsSync(`${db}.reserve`), 'the reserve was given to the checkpoint');
    assert.ok((statSync(`${db}-wal`, { throwIfNoEntry: false })?.size ?? 0) < 64 * 1024, 'the WAL was drained');
    const t = tally(db, outcomes.map((o) => o.marker), outcomes);
    assert.deepEqual(t.lost, []);
    assert.deepEqual(t.misled, []);
    assertSound(db);

    // A stored form sent again while the disk is full is confirmed, not refused.
    const stored = outcomes.filter((o) => o.status === 303).slice(-3);
    for (const o of stored) assert.equal((await post(stack, r, o.f)).status, 303, `marker ${o.marker} again`);

    // A little room (less than the reserve): still refused, nothing wedged, nothing half-written.
    rmSync(join(mnt, 'filler-small'));
    const little = await post(stack, r, form(r, 190000));
    assert.equal(little.status, 503);
    assert.equal(storedMarkers(db).get(190000), undefined);

    // Stopped and started again while the disk is full: it starts, and refuses.
    stack.app.kill('SIGTERM');
    assert.equal(await exitOf(stack.app), 0, 'a stop on a full disk exits 0');
    served = spawn(BIN, ['-c', stack.configPath, 'serve'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
    served.stderr.on('data', (d) => { log += d; });
    await until('the restarted app answers', async () => (await health(stack).catch(() => ({}))).status === 503);
    assert.equal((await post(stack, r, form(r, 190002))).status, 503);

    // Room again: the app takes responses by itself, with no restart.
    rmSync(join(mnt, 'filler'));
    rmSync(join(mnt, 'filler-more'));
    const recovered = await timeToConfirm(stack, r, 190001);
    assert.deepEqual(await health(stack), { status: 200, text: 'ok\n' });
    await until('the writer logs it', () => /voices writer: disk space available again/.test(log));
    assert.match(log, /voices writer: disk full/, 'the restarted writer said the disk was full');
    assert.doesNotMatch(log, /AddressSanitizer|runtime error/);
    for (const o of [...refused, { text: little.text, marker: 190000 }]) {
      const res = await post(stack, r, [...sendForm(o.text), ['_nav', 'submit']]);
      assert.equal(res.status, 303, `retry of ${o.marker}`);
    }
    assertAllOnce(db, [...outcomes.map((o) => o.marker), 190000, 190001]);
    assertSound(db);

    // Full again, and room again: never wedged (once more; five times in the long run).
    const cycles = [];
    for (let c = 0; c < (SCALE > 1 ? 5 : 1); c++) {
      fill(mnt, 'filler-more', 16 * 1024);
      const sent = [];
      for (let i = 0; i < 1000 && !sent.some((x) => x.status === 503); i++) {
        const f = form(r, 195000 + c * 1000 + i);
        const res = await post(stack, r, f);
        assert.ok(res.status === 303 || res.status === 503, `status ${res.status}`);
        sent.push({ marker: 195000 + c * 1000 + i, status: res.status, text: res.text });
      }
      assert.deepEqual(tally(db, sent.map((x) => x.marker), sent).misled, []);
      rmSync(join(mnt, 'filler-more'));
      cycles.push(await timeToConfirm(stack, r, 199900 + c));
      for (const x of sent.filter((y) => y.status === 503)) {
        assert.equal((await post(stack, r, [...sendForm(x.text), ['_nav', 'submit']])).status, 303);
      }
      assertAllOnce(db, [...sent.map((x) => x.marker), 199900 + c]);
    }
    assertSound(db);
    say('disk full', t, `${refused.length} refused with the try-again page then confirmed on retry; `
      + `taking responses again ${recovered} ms after the room returned; `
      + `filled and freed again ${cycles.length} times: taking responses again after ${cycles.join(', ')} ms`);
  } finally {
    if (served) await stopServed(stack, served);
    else await stack?.stop();
    try { execFileSync('umount', [mnt]); } catch { /* busy: leave it */ }
    rmSync(mnt, { recursive: true, force: true });
  }
});

test('backup under write load holds every response confirmed before it started, and restores', { timeout: 90000 * SCALE, skip: SQLITE_ONLY }, async () => {
  const stack = await startStack({ surveysDir: FIXTURES, workers: 4, nginxEnv: NO_RATE_LIMIT });
  const dest = join(stack.dir, 'backup.db');
  let served;
  try {
    const r = await respondent(stack);
    const confirmed = []; // [marker, time of the 303]
    let loading = true;
    let next = 200000;
    const load = Promise.all(Array.from({ length: 16 }, async () => {
      while (loading) {
        const m = next++;
        if ((await post(stack, r, form(r, m))).status === 303) confirmed.push([m, Date.now()]);
      }
    }));
    await until('load running', () => confirmed.length >= 100, 30000);
    const startedAt = Date.now();
    const before = confirmed.filter(([, at]) => at <= startedAt).map(([m]) => m);
    const { stdout } = await run(BIN, ['-c', stack.configPath, 'backup', dest], { cwd: ROOT });
    await sleep(300);
    loading = false;
    await load;
    assert.match(stdout, /integrity ok/);
    const inBackup = storedMarkers(dest);
    for (const m of before) assert.equal(inBackup.get(m), 1, `marker ${m} confirmed before the backup`);
    assertSound(dest);
    const total = confirmed.length;
    await assert.rejects(run(BIN, ['-c', stack.configPath, 'backup', dest], { cwd: ROOT }), 'refuses to overwrite');

    // Restore as docs/administrator.md ("Backups") says: stop, copy back (no stale -wal/-shm), start.
    await stack.stop({ keep: true });
    for (const s of ['-wal', '-shm']) rmSync(stack.dbPath + s, { force: true });
    copyFileSync(dest, stack.dbPath);
    served = spawn(BIN, ['-c', stack.configPath, 'serve'], { cwd: ROOT, stdio: 'ignore' });
    await until('the restored app listens', () => existsSync(stack.socketPath));
    const restored = storedMarkers(stack.database);
    for (const m of before) assert.equal(restored.get(m), 1, `marker ${m} after the restore`);
    assertSound(stack.database);
    served.kill('SIGTERM');
    assert.equal(await exitOf(served), 0);
    console.log(`# backup: ${before.length} confirmed before it, ${inBackup.size} in it, ${total} in all`);
  } finally {
    if (served && served.exitCode === null) served.kill('SIGKILL');
    await stack.stop();
    rmSync(stack.dir, { recursive: true, force: true });
  }
});
