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
// With VOICES_TEST_PG the app runs on PostgreSQL: (a)-(g) run as they are, and (h) holds a lock
// on the response table (busy_timeout_ms is PostgreSQL's lock_timeout). The SQLite file's own
// faults, a full disk and a backup, are in faults_file.test.mjs; the helpers in faults_lib.mjs.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, startStack } from './stack.mjs';
import {
  BIN, FIXTURES, NO_RATE_LIMIT, PG, SCALE, TRY_AGAIN, assertAllOnce, assertSound, children, exitOf, form,
  loadUntil, pool, post, respondent, retryUnconfirmed, run, say, sendForm, sleep, stopServed, storedMarkers,
  tally, timeToConfirm, until, writerPid,
} from './faults_lib.mjs';

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
    const t = tally((stack.ownerDatabase ?? stack.database), markers, results);
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
    assertAllOnce((stack.ownerDatabase ?? stack.database), markers);
    assertSound((stack.ownerDatabase ?? stack.database));
  });

  test('kill -9 of workers under load: the request a worker dies under is answered by another', { timeout: 180000 * SCALE }, async () => {
    await until('every process there', () => children(stack.app.pid).length === workers + 1);
    const first = children(stack.app.pid);
    assert.equal(first.length, workers + 1);
    let loading = true;
    let kills = 0;
    const killer = (async () => {
      // 150-300 ms apart: closer, on a busy machine (or PostgreSQL, whose commit takes longer)
      // the worker nginx sent a killed worker's request on to is sometimes killed under it
      // too, a second fault beyond nginx's two tries (a 502).
      while (loading && kills < 12 * SCALE) {
        await sleep(150 + Math.random() * 150);
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
    const t = tally((stack.ownerDatabase ?? stack.database), markers, results);
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
    assertAllOnce((stack.ownerDatabase ?? stack.database), markers);
    assertSound((stack.ownerDatabase ?? stack.database));
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
    const t = tally((stack.ownerDatabase ?? stack.database), markers, results);
    say('SIGHUP', t, `${reloads} SIGHUPs`);
    assert.deepEqual(t.statuses, { 303: markers.length }, 'every submission confirmed');
    assertAllOnce((stack.ownerDatabase ?? stack.database), markers);
    await until('reloads logged', () => (stack.logs().match(/reloaded/g) ?? []).length > logged);
    assertSound((stack.ownerDatabase ?? stack.database));
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
    assert.equal(storedMarkers((stack.ownerDatabase ?? stack.database)).get(700000), 1);
  });

  test('the same form sent 20 times at once: confirmed 20 times, stored once', { timeout: 60000 * SCALE }, async () => {
    const f = form(r, 710000);
    const results = await Promise.all(Array.from({ length: 20 }, () => post(stack, r, f)));
    assert.deepEqual(results.map((x) => x.status), Array(20).fill(303));
    assert.equal(storedMarkers((stack.ownerDatabase ?? stack.database)).get(710000), 1);
  });
});

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
    const t = tally((stack.ownerDatabase ?? stack.database), markers, results);
    say('group kill -9 and restart', t, `restarted at once; first new confirmation ${upMs} ms after the kill`);
    assert.deepEqual(t.lost, []);
    assert.deepEqual(t.duplicated, []);
    assert.ok(t.misled.length <= 32, 'only requests in flight at the kill');
    await retryUnconfirmed(stack, r, forms, results);
    assertAllOnce((stack.ownerDatabase ?? stack.database), markers);
    assertSound((stack.ownerDatabase ?? stack.database));
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
    const t = tally((stack.ownerDatabase ?? stack.database), markers, results);
    say('SIGTERM', t, `exit 0 ${exitMs} ms after SIGTERM, ${after} confirmed after it`);
    assert.ok(after > 0, 'requests in flight at SIGTERM were answered with their confirmation');
    assert.deepEqual(t.lost, []);
    assert.deepEqual(t.duplicated, []);
    assert.deepEqual(t.misled, [], 'nobody told "not sent" for answers stored');
    served = spawn(BIN, ['-c', stack.configPath, 'serve'], { cwd: ROOT, stdio: 'ignore' });
    await timeToConfirm(stack, r, 900002);
    await retryUnconfirmed(stack, r, forms, results);
    assertAllOnce((stack.ownerDatabase ?? stack.database), markers);
    assertSound((stack.ownerDatabase ?? stack.database));
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
    holder = spawn(PG ? 'psql' : 'sqlite3', PG ? ['-XAtq', (stack.ownerDatabase ?? stack.database)] : [stack.dbPath], { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    holder.stdout.on('data', (d) => { out += d; });
    holder.stdin.write(PG ? "BEGIN;\nLOCK TABLE response IN EXCLUSIVE MODE;\nSELECT 'locked';\n"
      : "BEGIN IMMEDIATE;\nSELECT 'locked';\n");
    await until('the other connection holds the lock', () => out.includes('locked'));

    const refused = await post(stack, r, form(r, 4242));
    assert.equal(refused.status, 503);
    assert.match(refused.text, TRY_AGAIN);
    assert.equal(storedMarkers((stack.ownerDatabase ?? stack.database)).get(4242), undefined, 'nothing half-written');

    holder.stdin.end(PG ? 'ROLLBACK;\n\\q\n' : 'ROLLBACK;\n.quit\n');
    assert.equal(await exitOf(holder), 0);
    // The page's own button: the same hidden fields, the same nonce.
    const retried = await post(stack, r, [...sendForm(refused.text), ['_nav', 'submit']]);
    assert.equal(retried.status, 303, retried.text);
    assert.equal(storedMarkers((stack.ownerDatabase ?? stack.database)).get(4242), 1);
    assertSound((stack.ownerDatabase ?? stack.database));
  } finally {
    if (holder && holder.exitCode === null) holder.kill('SIGKILL');
    await stack.stop();
  }
});
