// Fault injection: what a respondent was told was received is in the database exactly once,
// whatever happens to the processes, the lock or the disk; what was refused was refused with
// the "try again" page and left nothing behind. The survey is tests/fixtures/faults/marker.yaml:
// each submission carries a unique number (a `number` question, readable in plain SQL).
//
// (a) kill -9 of workers and once of the writer, at random, under ~1,000 concurrent submissions
// (b) SIGTERM under load: in-flight requests complete, the app exits 0
// (c) another connection holds the write lock past the busy timeout
// (d) the disk fills (a small tmpfs; needs root to mount, skipped otherwise)
// (e) `voices backup` under write load, and a restore from it
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  copyFileSync, existsSync, mkdtempSync, readdirSync, readlinkSync, rmSync, statfsSync, writeFileSync,
} from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { ROOT, startStack, CookieJar, formFields, formFieldPairs } from './stack.mjs';

const SURVEY = '/s/marker';
const FIXTURES = 'tests/fixtures/faults';
const NO_RATE_LIMIT = { NGINX_POST_RATE: '100000r/s', NGINX_POST_BURST: '100000' };
const BIN = resolve(ROOT, process.env.VOICES_BIN ?? 'build/asan/voices');
const TRY_AGAIN = /id="ta-h"/; // the check page's "your answers have not been sent yet" box
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const run = promisify(execFile);

function sql(db, query) {
  return execFileSync('sqlite3', [db, query], { encoding: 'utf8' }).trim();
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

/** POSTs fields; { status, text }, status 0 when the connection failed. */
async function post(stack, r, fields) {
  try {
    const res = await fetch(stack.base + SURVEY, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: r.cookie },
      body: new URLSearchParams(fields).toString(),
      signal: AbortSignal.timeout(20000),
    });
    return { status: res.status, text: await res.text() };
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

function children(pid) {
  try {
    return execFileSync('pgrep', ['-P', String(pid)], { encoding: 'utf8' }).split('\n').filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

/** The writer: the one child holding the database file open. */
function writerOf(stack) {
  for (const pid of children(stack.app.pid)) {
    try {
      for (const fd of readdirSync(`/proc/${pid}/fd`)) {
        if (readlinkSync(`/proc/${pid}/fd/${fd}`) === stack.dbPath) return pid;
      }
    } catch { /* exited meanwhile */ }
  }
  return null;
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

test('kill -9 of workers and the writer under load: every confirmed submission stored exactly once', { timeout: 120000 }, async () => {
  const workers = 4;
  const stack = await startStack({ surveysDir: FIXTURES, workers, nginxEnv: NO_RATE_LIMIT });
  try {
    const r = await respondent(stack);
    const first = children(stack.app.pid);
    assert.equal(first.length, workers + 1);
    let loading = true;
    let kills = 0;
    let writerKills = 0;
    const killer = (async () => {
      while (loading) {
        await sleep(40 + Math.random() * 80);
        const writer = writerOf(stack);
        const wantWriter = writerKills === 0 && kills >= 2 && writer;
        const pool_ = children(stack.app.pid).filter((p) => p !== writer);
        const victim = wantWriter ? writer : pool_[Math.floor(Math.random() * pool_.length)];
        if (!loading || !victim) continue;
        try {
          process.kill(victim, 'SIGKILL');
          kills++;
          if (victim === writer) writerKills++;
        } catch { /* gone already */ }
      }
    })();
    const forms = Array.from({ length: 1000 }, (_, i) => form(r, i + 1));
    const results = await pool(64, forms, (f) => post(stack, r, f));
    loading = false;
    await killer;

    const statuses = new Map();
    for (const { status } of results) statuses.set(status, (statuses.get(status) ?? 0) + 1);
    const summary = JSON.stringify(Object.fromEntries(statuses));
    assert.ok(kills >= 5, `only ${kills} kills landed during the load`);
    assert.equal(writerKills, 1, 'the writer was killed once');
    for (const s of statuses.keys()) assert.ok([303, 502, 503, 504].includes(s), `status ${s}: ${summary}`);
    assert.ok((statuses.get(303) ?? 0) > 0, summary);

    // The parent replaced every process it lost.
    await until('workers and writer replaced', () => {
      const now = children(stack.app.pid);
      return now.length === workers + 1 && now.some((p) => !first.includes(p));
    });

    let stored = storedMarkers(stack.dbPath);
    results.forEach(({ status }, i) => {
      if (status === 303) assert.equal(stored.get(i + 1), 1, `confirmed marker ${i + 1} stored once`);
    });
    for (const [m, n] of stored) assert.equal(n, 1, `marker ${m} stored ${n} times`);

    // Those not confirmed are sent again, as a respondent would: the same form, the same nonce.
    const retry = results.map((x, i) => (x.status === 303 ? null : forms[i])).filter(Boolean);
    const again = await pool(16, retry, (f) => post(stack, r, f));
    assert.deepEqual([...new Set(again.map((x) => x.status))].filter((s) => s !== 303), [], 'retries confirmed');
    stored = storedMarkers(stack.dbPath);
    assert.equal(stored.size, 1000);
    for (const [m, n] of stored) assert.equal(n, 1, `marker ${m} stored ${n} times after the retries`);
    assertSound(stack.dbPath);
    console.log(`# kill -9: ${kills} kills (writer ${writerKills}), statuses ${summary}, ${retry.length} retried`);
  } finally {
    await stack.stop();
  }
});

test('SIGTERM under load: requests in flight complete, nothing confirmed is lost, exit 0', { timeout: 60000 }, async () => {
  const stack = await startStack({ surveysDir: FIXTURES, workers: 4, nginxEnv: NO_RATE_LIMIT });
  try {
    const r = await respondent(stack);
    const done = [];
    const forms = Array.from({ length: 600 }, (_, i) => form(r, 5000 + i));
    const load = pool(48, forms, async (f, i) => {
      const res = await post(stack, r, f);
      done.push({ i, status: res.status, at: Date.now() });
      return res;
    });
    await until('some submissions confirmed', () => done.length >= 60, 30000);
    const termAt = Date.now();
    stack.app.kill('SIGTERM');
    const code = await Promise.race([exitOf(stack.app), sleep(20000).then(() => 'timeout')]);
    const results = await load;
    assert.equal(code, 0, 'voices serve exits 0 after SIGTERM');
    const after = done.filter((d) => d.at > termAt && d.status === 303).length;
    assert.ok(after > 0, 'requests in flight at SIGTERM were answered with their confirmation');
    for (const { status } of results) assert.ok([303, 502, 503, 504].includes(status), `status ${status}`);
    const stored = storedMarkers(stack.dbPath);
    results.forEach(({ status }, i) => {
      if (status === 303) assert.equal(stored.get(5000 + i), 1, `confirmed marker ${5000 + i} stored once`);
    });
    assertSound(stack.dbPath);
    console.log(`# SIGTERM: ${results.filter((x) => x.status === 303).length} confirmed, ${after} of them after SIGTERM`);
  } finally {
    await stack.stop();
  }
});

test('write lock held past the busy timeout: the try-again page, nothing stored, the retry works', { timeout: 60000 }, async () => {
  const stack = await startStack({ surveysDir: FIXTURES, workers: 2, config: { busy_timeout_ms: 200 } });
  let holder;
  try {
    const r = await respondent(stack);
    holder = spawn('sqlite3', [stack.dbPath], { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    holder.stdout.on('data', (d) => { out += d; });
    holder.stdin.write("BEGIN IMMEDIATE;\nSELECT 'locked';\n");
    await until('the other connection holds the lock', () => out.includes('locked'));

    const refused = await post(stack, r, form(r, 4242));
    assert.equal(refused.status, 503);
    assert.match(refused.text, TRY_AGAIN);
    assert.equal(storedMarkers(stack.dbPath).get(4242), undefined, 'nothing half-written');

    holder.stdin.end('ROLLBACK;\n.quit\n');
    assert.equal(await exitOf(holder), 0);
    // The page's own button: the same hidden fields, the same nonce.
    const retried = await post(stack, r, [...formFieldPairs(refused.text), ['_nav', 'submit']]);
    assert.equal(retried.status, 303, retried.text);
    assert.equal(storedMarkers(stack.dbPath).get(4242), 1);
    assertSound(stack.dbPath);
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

test('disk full: each submission confirmed and stored, or refused with the try-again page and absent', { timeout: 90000 }, async (t) => {
  const mnt = mountTmpfs('4m');
  if (!mnt) {
    t.skip('cannot mount a tmpfs here (needs root)');
    return;
  }
  const db = join(mnt, 'voices.db');
  let stack;
  try {
    stack = await startStack({ surveysDir: FIXTURES, workers: 2, config: { database: db } });
    const r = await respondent(stack);
    for (let i = 0; i < 5; i++) assert.equal((await post(stack, r, form(r, 90000 + i))).status, 303);
    const { bavail, bsize } = statfsSync(mnt);
    writeFileSync(join(mnt, 'filler'), Buffer.alloc(Math.max(0, bavail * bsize - 48 * 1024)));

    const outcomes = [];
    for (let i = 0; i < 400 && outcomes.filter((o) => o.status !== 303).length < 20; i++) {
      const f = form(r, 100000 + i);
      const res = await post(stack, r, f);
      assert.ok(res.status === 303 || res.status === 503, `status ${res.status}`);
      if (res.status === 503) assert.match(res.text, TRY_AGAIN);
      outcomes.push({ marker: 100000 + i, status: res.status, text: res.text });
    }
    const refused = outcomes.filter((o) => o.status === 503);
    assert.ok(refused.length > 0, 'the disk filled up');
    let stored = storedMarkers(db);
    for (const o of outcomes) {
      assert.equal(stored.get(o.marker), o.status === 303 ? 1 : undefined, `marker ${o.marker} (${o.status})`);
    }

    rmSync(join(mnt, 'filler'));
    assertSound(db);
    for (const o of refused) {
      const res = await post(stack, r, [...formFieldPairs(o.text), ['_nav', 'submit']]);
      assert.equal(res.status, 303, `retry of ${o.marker}`);
    }
    assert.equal((await post(stack, r, form(r, 99999))).status, 303);
    stored = storedMarkers(db);
    for (const o of outcomes) assert.equal(stored.get(o.marker), 1, `marker ${o.marker} after space returned`);
    assertSound(db);
    console.log(`# disk full: ${outcomes.length - refused.length} confirmed, ${refused.length} refused then retried`);
  } finally {
    await stack?.stop();
    try { execFileSync('umount', [mnt]); } catch { /* busy: leave it */ }
    rmSync(mnt, { recursive: true, force: true });
  }
});

test('backup under write load holds every response confirmed before it started, and restores', { timeout: 90000 }, async () => {
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

    // Restore as the README ("Backups") says: stop, copy back (no stale -wal/-shm), start.
    await stack.stop({ keep: true });
    for (const s of ['-wal', '-shm']) rmSync(stack.dbPath + s, { force: true });
    copyFileSync(dest, stack.dbPath);
    served = spawn(BIN, ['-c', stack.configPath, 'serve'], { cwd: ROOT, stdio: 'ignore' });
    await until('the restored app listens', () => existsSync(stack.socketPath));
    const restored = storedMarkers(stack.dbPath);
    for (const m of before) assert.equal(restored.get(m), 1, `marker ${m} after the restore`);
    assertSound(stack.dbPath);
    served.kill('SIGTERM');
    assert.equal(await exitOf(served), 0);
    console.log(`# backup: ${before.length} confirmed before it, ${inBackup.size} in it, ${total} in all`);
  } finally {
    if (served && served.exitCode === null) served.kill('SIGKILL');
    await stack.stop();
    rmSync(stack.dir, { recursive: true, force: true });
  }
});
