// Retention: `voices purge` and the writer's own daily run delete what is past its time
// (responses by their day under the survey file's keep_days or keep_until, else the
// configuration's default, also for a survey whose file is gone; poll sessions with their
// votes and statements; device rows once no response of their survey is left; expired
// drafts), record counts in the audit log, and leave no byte of what they deleted in the
// database file or its -wal. A dry run changes nothing. The daily run deletes while
// submissions keep arriving and loses none of them. On PostgreSQL (VOICES_TEST_PG) the same,
// but what is looked for is what pg_dump shows (the server's files are its own) and the
// SQLite file's integrity_check is left out.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startStack, CookieJar, formFields, ROOT } from './stack.mjs';
import { BIN, addStaff, signIn } from './staff_steps.mjs';

const PW = 'a long enough pass phrase';
const question = `pages:
  - id: one
    questions:
      - {id: marker, type: number, required: true, min: 1, max: 1000000, text: Marker}
`;
const files = {
  'keep30.yaml': `id: keep30\ntitle: Kept thirty days\nkeep_days: 30\n${question}`,
  'until.yaml': `id: until\ntitle: Kept until mid 2021\nkeep_until: 2021-06-30\none_per_device: true\n${question}`,
  'plain.yaml': `id: plain\ntitle: Says nothing\n${question}`,
};

const dirs = [];
after(() => { for (const d of dirs) rmSync(d, { recursive: true, force: true }); });

function surveysDir() {
  const dir = mkdtempSync('/tmp/voices-purge-');
  dirs.push(dir);
  copyFileSync(join(ROOT, 'surveys/ui.yaml'), join(dir, 'ui.yaml'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

const sqlOf = (stack) => (query) => (stack.pg ? stack.sql(query, { write: true })
  : execFileSync('sqlite3', ['-cmd', '.timeout 10000', stack.dbPath, query], { encoding: 'utf8' }).trim());

/** n random bytes, in SQL of the stack's engine. */
const blob = (stack, n) => (stack.pg
  ? `substr(decode(md5(random()::text) || md5(random()::text), 'hex'), 1, ${n})` : `randomblob(${n})`);

/** The local date `days` from today, as the app writes a response's day. */
function dayFrom(days) {
  const d = new Date();
  d.setDate(d.getDate() + days);
  const p = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}

/** Every marker that occurs in the database file or its -wal (on PostgreSQL: in pg_dump's
 * output, as text or as the hex of a BYTEA). */
function inFiles(stack, markers) {
  if (stack.pg) {
    const dump = execFileSync('pg_dump', ['-d', (stack.ownerDatabase ?? stack.database)], { encoding: 'utf8', maxBuffer: 1 << 28 });
    return markers.filter((m) => dump.includes(m) || dump.includes(Buffer.from(m).toString('hex')));
  }
  const bufs = [stack.dbPath, `${stack.dbPath}-wal`].filter(existsSync).map((p) => readFileSync(p));
  return markers.filter((m) => bufs.some((b) => b.includes(Buffer.from(m))));
}

/** A response written straight into the database, with a chosen day and a marker in its answers. */
function oldResponse(stack, survey, day, marker) {
  const id = stack.pg ? 'floor(random() * 4e18)::bigint + 1' : 'abs(random() % 4000000000000000000) + 1';
  sqlOf(stack)(`INSERT INTO response (id, survey, version, def_hash, channel, lang, day, answers)
    SELECT ${id}, id, version, def_hash, 'web', 'en', '${day}',
    '[["marker",0,"${marker}"]]' FROM survey WHERE id = '${survey}' LIMIT 1`);
}

/** An ended poll session of poll set `set` on `day`, with a vote and a statement holding marker. */
function oldPoll(stack, set, day, marker, code) {
  sqlOf(stack)(`INSERT INTO poll_session (code, poll_set, version, def_hash, staff, open, nq, day)
      VALUES ('${code}', '${set}', 1, '${'0'.repeat(32)}', 1, 0, 1, '${day}');
    INSERT INTO poll_question (session, q) SELECT id, 0 FROM poll_session WHERE code = '${code}';
    INSERT INTO poll_vote (session, q, voter, value, text)
      SELECT id, 0, ${blob(stack, 32)}, '${marker}-vote', 1 FROM poll_session WHERE code = '${code}';
    INSERT INTO poll_statement (session, q, text, state)
      SELECT id, 0, '${marker}-statement', 1 FROM poll_session WHERE code = '${code}';
    INSERT INTO poll_presence (session, who, seen)
      SELECT id, ${blob(stack, 32)}, 1 FROM poll_session WHERE code = '${code}';`);
}

/** Sends one response to survey through nginx; true when it was confirmed (303 to done). */
async function submit(stack, survey, marker) {
  const jar = new CookieJar();
  const start = await stack.get(`/s/${survey}`, { cookies: jar });
  assert.equal(start.status, 200);
  const f = formFields(start.text);
  const r = await stack.post(`/s/${survey}`, [['_csrf', f._csrf], ['_n', randomBytes(16).toString('hex')],
    ['_c', f._c], ['_l', 'en'], ['_p', 'check'], ['marker', String(marker)], ['_nav', 'submit']], { cookies: jar });
  return r.status === 303 && /\/done/.test(r.location);
}

/** What the summary says once the deletes are done, per engine. */
const done = (stack) => (stack.pg ? /database vacuumed \(PostgreSQL's WAL and pages are the server's/
  : /WAL truncated and database vacuumed/);

/** The purge's advisory lock (core/store_purge.c) taken by a psql session of the schema's
 * owner, as another node's purge holds it; release() ends that session. */
async function holdPurgeLock(stack) {
  const psql = spawn('psql', ['-XAtq', stack.ownerDatabase], { stdio: ['pipe', 'pipe', 'inherit'] });
  let out = '';
  psql.stdout.on('data', (d) => { out += d; });
  psql.stdin.write("SELECT 'held' FROM pg_advisory_lock(8534155694515105136);\n");
  for (const until = Date.now() + 10000; !out.includes('held') && Date.now() < until;) {
    await new Promise((r) => setTimeout(r, 50));
  }
  assert.match(out, /held/, 'the lock was taken');
  return {
    release: () => new Promise((r) => { psql.once('exit', r); psql.stdin.end(); }),
  };
}

function purge(stack, ...args) {
  return execFileSync(BIN, ['-c', stack.configPath, 'purge', ...args], { cwd: ROOT, encoding: 'utf8' });
}

test('voices purge: dry run, then deletes what is past its time and nothing else', async () => {
  const stack = await startStack({ surveysDir: surveysDir(), config: { purge_hour: -1 } });
  try {
    const sql = sqlOf(stack);
    // Fresh responses through the real stack: kept.
    assert.ok(await submit(stack, 'keep30', 1));
    assert.ok(await submit(stack, 'plain', 2));
    // Old ones written with their day; keep_days 30 keeps a response through day + 30.
    oldResponse(stack, 'keep30', '2020-01-01', 'ZQXOLD-keep30');
    oldResponse(stack, 'keep30', dayFrom(-31), 'ZQXOLD-day31');
    oldResponse(stack, 'keep30', dayFrom(-30), 'ZQXKEPT-day30');
    oldResponse(stack, 'until', '2021-06-30', 'ZQXOLD-until');
    sql(`INSERT INTO device (survey, hash) VALUES ('until', ${blob(stack, 32)}), ('keep30', ${blob(stack, 32)})`);
    oldResponse(stack, 'plain', dayFrom(-731), 'ZQXOLD-plain731');
    oldResponse(stack, 'plain', dayFrom(-730), 'ZQXKEPT-plain730');
    // A survey whose file is gone keeps the default, and is not deleted for lack of a file.
    sql(`INSERT INTO survey (id, version, def_hash, title, first_seen_day)
      VALUES ('gone', 1, '${'0'.repeat(32)}', 'Gone', '2020-01-01')`);
    oldResponse(stack, 'gone', '2020-01-01', 'ZQXOLD-gone');
    oldResponse(stack, 'gone', dayFrom(-100), 'ZQXKEPT-gone');
    oldPoll(stack, 'keep30', '2020-01-01', 'ZQXOLD-poll', 'ABC234');
    oldPoll(stack, '', '2020-01-01', 'ZQXOLD-quick', 'ABC345');
    oldPoll(stack, 'keep30', dayFrom(0), 'ZQXKEPT-poll', 'ABC456');
    const draft = stack.pg ? "convert_to('ZQXOLD-draft', 'UTF8')" : "CAST('ZQXOLD-draft' AS BLOB)";
    sql(`INSERT INTO draft (id, expires, box) VALUES (${blob(stack, 16)}, 1, ${draft} || ${blob(stack, 40)})`);

    const old = ['ZQXOLD-keep30', 'ZQXOLD-day31', 'ZQXOLD-until', 'ZQXOLD-plain731', 'ZQXOLD-gone',
      'ZQXOLD-poll-vote', 'ZQXOLD-poll-statement', 'ZQXOLD-quick-vote', 'ZQXOLD-draft'];
    const kept = ['ZQXKEPT-day30', 'ZQXKEPT-plain730', 'ZQXKEPT-gone', 'ZQXKEPT-poll-vote'];
    assert.deepEqual(inFiles(stack, old), old, 'before: every marker is in the files');
    const counts = () => sql(`SELECT (SELECT count(*) FROM response), (SELECT count(*) FROM device),
      (SELECT count(*) FROM poll_session), (SELECT count(*) FROM poll_vote), (SELECT count(*) FROM draft),
      (SELECT count(*) FROM audit WHERE action = 'purge')`);
    const before = counts();
    assert.equal(before, '10|2|3|3|1|0');

    const dry = purge(stack, '--dry-run');
    assert.match(dry, /^Dry run/);
    assert.match(dry, /keep30 \(keep_days 30\): 2 responses, 0 device rows, 1 poll sessions \(1 votes, 1 statements\) would be deleted/);
    assert.match(dry, /until \(keep_until 2021-06-30\): 1 responses, 1 device rows/);
    assert.match(dry, /gone \(keep_days 730 \(the default; no survey file\)\): 1 responses/);
    assert.match(dry, /\(quick questions\) \(keep_days 730 \(the default; no survey file\)\): 0 responses, 0 device rows, 1 poll sessions/);
    assert.match(dry, /expired drafts: 1 would be deleted/);
    assert.equal(counts(), before, 'a dry run changes nothing');
    assert.deepEqual(inFiles(stack, old), old);

    // On PostgreSQL one purge at a time: with the lock held by another session (another
    // node's writer), the command does nothing and says so.
    if (stack.pg) {
      const held = await holdPurgeLock(stack);
      try {
        const skipped = purge(stack);
        assert.match(skipped, /^another node is purging this database now: nothing done here$/m);
        assert.doesNotMatch(skipped, /deleted/);
        assert.equal(counts(), before, 'nothing purged while another purge runs');
      } finally {
        await held.release();
      }
    }
    const out = purge(stack);
    assert.match(out, /keep30 \(keep_days 30\): 2 responses, 0 device rows, 1 poll sessions \(1 votes, 1 statements\) deleted/);
    assert.match(out, done(stack));
    if (stack.pg) assert.doesNotMatch(out, /WAL truncated/, 'the WAL is the server\'s own');
    for (const m of [...old, ...kept]) assert.equal(out.includes(m), false, 'counts only');
    assert.equal(counts(), '5|1|1|1|0|6', 'responses, device rows, poll data and drafts left; audit rows');
    assert.equal(sql(stack.pg ? "SELECT string_agg(survey || ':' || day, ' ' ORDER BY survey, day) FROM response"
      : "SELECT group_concat(survey || ':' || day, ' ') FROM (SELECT survey, day FROM response ORDER BY survey, day)"),
      `gone:${dayFrom(-100)} keep30:${dayFrom(-30)} keep30:${dayFrom(0)} plain:${dayFrom(-730)} plain:${dayFrom(0)}`);
    assert.equal(sql('SELECT survey FROM device'), 'keep30', 'a device row stays while its survey has responses');
    assert.deepEqual(inFiles(stack, old), [], 'no deleted marker in the database file or the -wal');
    assert.deepEqual(inFiles(stack, kept), kept);
    const audit = sql("SELECT staff || ' ' || detail FROM audit WHERE action = 'purge' ORDER BY id");
    assert.match(audit, /^cli survey keep30: 2 responses, 0 device rows, 1 poll sessions \(1 votes, 1 statements\)$/m);
    assert.match(audit, /^cli survey until: 1 responses, 1 device rows/m);
    assert.match(audit, /^cli all surveys: 5 responses, 1 device rows, 2 poll sessions \(2 votes, 2 statements\), 1 expired drafts; /m);
    assert.match(audit, done(stack));
    if (!stack.pg) assert.equal(sql('PRAGMA integrity_check'), 'ok'); // the SQLite file's own check

    // The dashboard shows each survey's retention date.
    addStaff(stack, 'ana', 'analyst', PW);
    const jar = new CookieJar();
    assert.equal((await signIn(stack, jar, 'ana', PW)).location, '/staff');
    const shown = async (id) => {
      const page = await stack.get(`/staff/surveys/${id}/dashboard`, { cookies: jar });
      assert.equal(page.status, 200);
      return page.text.match(/<p id="retention">([^<]*)<strong>([^<]*)<\/strong><\/p>/);
    };
    let m = await shown('keep30');
    assert.match(m[1], /deleted 30 days after/);
    assert.equal(m[2], dayFrom(30));
    m = await shown('until');
    assert.match(m[1], /keep_until/);
    assert.equal(m[2], '2021-06-30');
    m = await shown('plain');
    assert.match(m[1], /deleted 730 days after/);
    assert.equal(m[2], dayFrom(730));
  } finally {
    await stack.stop();
  }
});

test('the daily run inside the writer purges while submissions keep arriving, losing none', async () => {
  const stack = await startStack({ surveysDir: surveysDir(), config: { purge_interval: 1 } });
  let stopped = false;
  try {
    const sql = sqlOf(stack);
    let confirmed = 0;
    let n = 0;
    const sender = async () => {
      while (!stopped) if (await submit(stack, 'keep30', ++n)) confirmed++;
    };
    const senders = [sender(), sender(), sender()];
    for (let i = 0; i < 6; i++) {
      oldResponse(stack, 'keep30', '2020-01-01', `ZQXDAILY-${i}`);
      oldPoll(stack, 'keep30', '2020-01-01', `ZQXDAILY-poll${i}`, `D${i}X234`);
      await new Promise((r) => setTimeout(r, 700));
    }
    stopped = true;
    await Promise.all(senders);
    const until = Date.now() + 15000;
    while (sql("SELECT count(*) FROM response WHERE day = '2020-01-01'") !== '0' && Date.now() < until) {
      await new Promise((r) => setTimeout(r, 200));
    }
    assert.equal(sql("SELECT count(*) FROM response WHERE day = '2020-01-01'"), '0', 'the daily run deleted the old responses');
    assert.equal(sql('SELECT count(*) FROM poll_session'), '0');
    assert.ok(confirmed > 5, `submissions kept arriving (${confirmed})`);
    assert.equal(sql("SELECT count(*) FROM response WHERE survey = 'keep30'"), String(confirmed),
      'every confirmed response is stored');
    await new Promise((r) => setTimeout(r, 2500));	// the run that deleted the last ones has vacuumed
  } finally {
    stopped = true;
    await stack.stop({ keep: true });
    dirs.push(stack.dir);
  }
  const sql = sqlOf(stack);
  assert.deepEqual(inFiles(stack, ['ZQXDAILY-']), [], 'no deleted marker in the files');
  assert.match(stack.logs(), /voices writer: purge: keep30 \(keep_days 30\): [1-9]\d* responses/);
  assert.doesNotMatch(stack.logs(), /ZQXDAILY/);
  assert.ok(Number(sql("SELECT count(*) FROM audit WHERE action = 'purge' AND staff = 'system'")) >= 2);
  assert.match(sql("SELECT detail FROM audit WHERE staff = 'system' AND detail LIKE 'survey keep30:%' LIMIT 1"),
    /^survey keep30: [1-9]\d* responses/);
  assert.notEqual(sql("SELECT count(*) FROM response WHERE survey = 'keep30'"), '0', 'the fresh responses stay');
});
