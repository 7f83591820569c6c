// Fault injection, the SQLite file's own (see faults.test.mjs for the rest, and what every round
// counts): what a respondent was told was received is in the database exactly once, and what
// was refused was refused with the "try again" page and left nothing behind, when
// (i) the disk fills (a small tmpfs; needs root to mount, skipped otherwise), then has room again
// (ii) `voices backup` runs under write load, and the database is restored from it.
// Both are SQLite's: the disk reserve file next to the database file, SQLite's online backup
// (PostgreSQL refuses writes on a full disk itself, and its own tools back it up), so this file
// does not run on PostgreSQL, and skips its tests if VOICES_TEST_PG is set.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, rmSync, statfsSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, startStack } from './stack.mjs';
import {
  BIN, FIXTURES, NO_RATE_LIMIT, PG, SCALE, TRY_AGAIN, assertAllOnce, assertSound, exitOf, form, post,
  respondent, run, say, sendForm, sleep, stopServed, storedMarkers, tally, timeToConfirm, until,
} from './faults_lib.mjs';

const SQLITE_ONLY = PG ? 'the SQLite file\'s own; the app runs on PostgreSQL' : false;

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
