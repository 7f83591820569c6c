// The audit trail through real nginx: a poll session's start, end, save and exports each leave
// a row naming the facilitator and the session (never an answer), a HEAD on an export none;
// the admin page lists the rows newest first with validated filters and says the chain is
// verified, and refuses other roles; `voices backup` prints the chain head; `voices audit
// verify` passes the live database and a backup, and fails (exit 1, naming the entry) on
// copies an attacker changed with sqlite3 after dropping the triggers: one field rewritten, a
// middle row deleted, the last row deleted (found against the head the backup printed); the
// admin page says where a tampered live database breaks. On PostgreSQL (VOICES_TEST_PG), where
// `voices backup` refuses (the server's own tools back it up), the copies are made with
// pg_dump and the head is the one `voices audit verify` printed for the live database.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startStack, CookieJar, formWith, ROOT } from './stack.mjs';
import { BIN, addStaff, signIn } from './staff_steps.mjs';

const PW = 'a long enough pass phrase';
let stack;
const jars = { ada: new CookieJar(), fran: new CookieJar(), ann: new CookieJar() };
let session;

/** Runs SQL on db (a SQLite path, or a connection string with VOICES_TEST_PG). */
const sql = (db, query, o = {}) => execFileSync(stack.pg ? 'psql' : 'sqlite3',
  stack.pg ? ['-XAtq', '-v', 'ON_ERROR_STOP=1', db, '-c', query] : [db, query], { encoding: 'utf8', ...o }).trim();

/** A PostgreSQL copy of the database db, named after name; its connection string. Not
 * synchronous: nginx closes an idle keep-alive connection after 15 s, and fetch notices only
 * while the event loop runs. */
async function pgCopy(db, name) {
  const run = promisify(execFile);
  const copy = `${name.replace(/\W/g, '_')}_${process.pid}`;
  const file = join(stack.dir, `${copy}.sql`);
  await run('psql', ['-Xq', process.env.VOICES_TEST_PG, '-c', `CREATE DATABASE ${copy}`]);
  const conn = `${process.env.VOICES_TEST_PG} dbname=${copy}`;
  await run('pg_dump', ['-d', db, '--no-owner', '--no-privileges', '-f', file]);
  await run('psql', ['-Xq', '-v', 'ON_ERROR_STOP=1', '-f', file, conn]);
  return conn;
}
const voices = (...args) => spawnSync(BIN, ['-c', stack.configPath, ...args], { cwd: ROOT, encoding: 'utf8' });

before(async () => {
  stack = await startStack({ nginxEnv: { NGINX_POST_RATE: '1000r/s', NGINX_POST_BURST: '2000' } });
  for (const [name, role] of [['ada', 'admin'], ['fran', 'facilitator'], ['ann', 'analyst']]) {
    addStaff(stack, name, role, PW);
    await signIn(stack, jars[name], name, PW);
  }
});
after(async () => { await stack?.stop(); });

test('a poll session: start, end, save and both exports are audited, with no answer', async () => {
  const fac = jars.fran;
  const list = await stack.get('/staff/polls', { cookies: fac });
  const started = await stack.post('/staff/polls', [...formWith(list.text, '/staff/polls'),
    ['_nav', 'start'], ['set', 'poll-knife-crime-youth']], { cookies: fac });
  session = started.location.split('/').pop();
  assert.match(session, /^\d+$/);
  const code = (await stack.get(`/staff/polls/${session}`, { cookies: fac })).text
    .match(/<strong class="code">([^<]+)<\/strong>/)[1];
  const page = await stack.get(`/staff/polls/${session}`, { cookies: fac });
  const form = formWith(page.text, '/staff/logout');
  await stack.post(`/staff/polls/${session}`, [...form, ['_nav', 'next']], { cookies: fac });
  const phone = new CookieJar();
  const join = await stack.get(`/j/${code}`, { cookies: phone });
  await stack.post(`/j/${code}`, [...formWith(join.text, `/j/${code}`, '_q'), ['age_band', '11-13']], { cookies: phone });
  const end = await stack.post(`/staff/polls/${session}`, [...form, ['_nav', 'end'], ['_sure', '1']], { cookies: fac });
  assert.equal(end.location, `/staff/polls/${session}`);
  const exports = () => Number(sql((stack.ownerDatabase ?? stack.database),
    "SELECT count(*) FROM audit WHERE action = 'poll_export'"));
  for (const f of ['export.json', 'export.csv']) {
    const head = await fetch(`${stack.base}/staff/polls/${session}/${f}`,
      { method: 'HEAD', headers: { cookie: fac.header() }, redirect: 'manual' });
    assert.equal(head.status, 200, f);
    assert.match(head.headers.get('content-disposition'), /^attachment; /, f);
  }
  assert.equal(exports(), 0, 'a HEAD takes nothing out: no audit row');
  assert.equal((await stack.get(`/staff/polls/${session}/export.json`, { cookies: fac })).status, 200);
  assert.equal(exports(), 1, 'the GET: one audit row');
  assert.equal((await stack.get(`/staff/polls/${session}/export.csv`, { cookies: fac })).status, 200);

  const rows = sql((stack.ownerDatabase ?? stack.database), "SELECT staff || '|' || action || '|' || coalesce(detail, '') FROM audit"
    + " WHERE action LIKE 'poll%' ORDER BY id").split('\n');
  assert.deepEqual(rows, [
    `fran|poll_start|session=${session} set=poll-knife-crime-youth`,
    `fran|poll_end|session=${session}`,
    `fran|poll_saved|session=${session}`,
    `fran|poll_export|session=${session} format=json`,
    `fran|poll_export|session=${session} format=csv`,
  ]);
  const concat = stack.pg ? 'string_agg' : 'group_concat';
  assert.doesNotMatch(sql((stack.ownerDatabase ?? stack.database), `SELECT ${concat}(coalesce(detail, ''), ' ') FROM audit`), /11-13/);
  const v = voices('audit', 'verify');
  assert.equal(v.status, 0, v.stderr);
  assert.match(v.stdout, /^Audit chain verified: \d+ entries, head \d+:[0-9a-f]{64}$/m);
});

test('the admin page: newest first, filters, the chain verified; 403 for other roles', async () => {
  const total = Number(sql((stack.ownerDatabase ?? stack.database), 'SELECT count(*) FROM audit'));
  const all = await stack.get('/staff/audit', { cookies: jars.ada });
  assert.equal(all.status, 200);
  assert.match(all.text, new RegExp(`Chain verified: ${total} entries`));
  const ids = [...all.text.matchAll(/<th scope="row">(\d+)<\/th>/g)].map((m) => Number(m[1]));
  assert.equal(ids.length, total);
  assert.deepEqual(ids, [...ids].sort((a, b) => b - a));

  const starts = await stack.get('/staff/audit?action=poll_start', { cookies: jars.ada });
  assert.equal(starts.status, 200);
  assert.match(starts.text, /1 entries match/);
  assert.match(starts.text, new RegExp(`session=${session} set=poll-knife-crime-youth`));
  assert.doesNotMatch(starts.text, /<td>poll_end<\/td>/);
  assert.match(starts.text, /<option value="poll_start" selected>/);

  const fran = await stack.get('/staff/audit?staff=fran&action=', { cookies: jars.ada });
  const franRows = [...fran.text.matchAll(/<tr><th scope="row">\d+<\/th><td>[^<]*<\/td><td>([^<]*)<\/td>/g)].map((m) => m[1]);
  assert.ok(franRows.length >= 6);
  assert.ok(franRows.every((s) => s === 'fran'), franRows.join());

  const today = new Date().toISOString().slice(0, 10);
  assert.match((await stack.get(`/staff/audit?from=${today}&to=${today}`, { cookies: jars.ada })).text,
    new RegExp(`${total} entries match`));
  assert.match((await stack.get('/staff/audit?from=2099-01-01', { cookies: jars.ada })).text, /0 entries match/);
  assert.match((await stack.get('/staff/audit?to=2000-01-01', { cookies: jars.ada })).text, /0 entries match/);

  for (const bad of ['from=2026-02-30', 'to=yesterday', 'action=%3Cscript%3E', "staff=x'--", 'page=0', 'page=1e3'])
    assert.equal((await stack.get(`/staff/audit?${bad}`, { cookies: jars.ada })).status, 400, bad);
  assert.equal((await stack.get('/staff/audit', { cookies: jars.fran })).status, 403);
  assert.equal((await stack.get('/staff/audit', { cookies: jars.ann })).status, 403);
  assert.equal((await stack.get('/staff/audit')).location, '/staff/login');
  assert.match((await stack.get('/staff', { cookies: jars.ada })).text, /href="\/staff\/audit"/);
  assert.doesNotMatch((await stack.get('/staff', { cookies: jars.fran })).text, /href="\/staff\/audit"/);
});

test('pages of 50, newest first, with links that keep the filters', async () => {
  for (let i = 0; i < 51; i++)
    assert.equal((await stack.get(`/staff/polls/${session}/export.json`, { cookies: jars.fran })).status, 200);
  const first = await stack.get('/staff/audit?action=poll_export', { cookies: jars.ada });
  assert.match(first.text, /53 entries match/);
  const older = first.text.match(/href="([^"]+)" rel="next"/)[1].replaceAll('&amp;', '&');
  assert.equal(older, '/staff/audit?action=poll_export&page=2');
  const second = await stack.get(older, { cookies: jars.ada });
  const ids1 = [...first.text.matchAll(/<th scope="row">(\d+)<\/th>/g)].map((m) => Number(m[1]));
  const ids2 = [...second.text.matchAll(/<th scope="row">(\d+)<\/th>/g)].map((m) => Number(m[1]));
  assert.equal(ids1.length, 50);
  assert.equal(ids2.length, 3);
  assert.ok(Math.max(...ids2) < Math.min(...ids1));
  assert.match(second.text, /rel="prev"/);
});

test('backup prints the head; verify finds a changed field, a deleted row, a cut end', async () => {
  let dest = join(stack.dir, 'backup.db');
  const b = voices('backup', dest);
  let head;
  if (stack.pg) {
    assert.equal(b.status, 1, 'voices backup refuses a PostgreSQL database');
    const live = voices('audit', 'verify');
    head = live.stdout.match(/verified: (\d+) entries, head (\d+:[0-9a-f]{64})/);
    assert.ok(head, live.stdout + live.stderr);
    dest = await pgCopy((stack.ownerDatabase ?? stack.database), 'backup');
  } else {
    assert.equal(b.status, 0, b.stderr);
    head = b.stdout.match(/Audit chain: (\d+) entries, head (\d+:[0-9a-f]{64})/);
    assert.ok(head, b.stdout);
  }
  const n = Number(head[1]);
  const ok = voices('audit', 'verify', '--head', head[2], dest);
  assert.equal(ok.status, 0, ok.stderr);
  assert.match(ok.stdout, new RegExp(`verified: ${n} entries, head ${head[2]}`));

  const copy = async (name) => {
    if (stack.pg) return pgCopy(dest, name);
    const p = join(stack.dir, name);
    copyFileSync(dest, p);
    return p;
  };
  const drop = stack.pg ? 'DROP TRIGGER audit_append_only ON audit;'
    : 'DROP TRIGGER audit_append_only_update; DROP TRIGGER audit_append_only_delete;';

  const guarded = await copy('guarded.db');
  assert.throws(() => sql(guarded, "UPDATE audit SET staff = 'x' WHERE id = 3", { stdio: 'pipe' }), /append-only/);
  assert.throws(() => sql(guarded, 'DELETE FROM audit WHERE id = 3', { stdio: 'pipe' }), /append-only/);

  const changed = await copy('changed.db');
  sql(changed, `${drop} UPDATE audit SET detail = 'session=999' WHERE action = 'poll_start';`);
  const bad = Number(sql(changed, "SELECT id FROM audit WHERE action = 'poll_start'"));
  let r = voices('audit', 'verify', changed);
  assert.equal(r.status, 1);
  assert.match(r.stderr, new RegExp(`broken at entry ${bad}: hash does not match`));

  const holed = await copy('holed.db');
  sql(holed, `${drop} DELETE FROM audit WHERE id = 4;`);
  r = voices('audit', 'verify', holed);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /broken at entry 5: gap in ids/);

  const cut = await copy('cut.db');
  sql(cut, `${drop} DELETE FROM audit WHERE id = ${n};`);
  r = voices('audit', 'verify', cut);
  assert.equal(r.status, 0, 'without the head, a cut end looks whole');
  r = voices('audit', 'verify', '--head', head[2], cut);
  assert.equal(r.status, 1);
  assert.match(r.stderr, new RegExp(`broken at entry ${n}: the recorded head's entry is missing`));

  assert.equal(voices('audit', 'verify', '--head', 'nothex').status, 2);
  assert.equal(voices('audit').status, 2);

  // the same attack on the live database: the admin page says where the chain breaks
  sql((stack.ownerDatabase ?? stack.database), `${drop} UPDATE audit SET staff = 'nobody' WHERE id = 2;`);
  const page = await stack.get('/staff/audit', { cookies: jars.ada });
  assert.equal(page.status, 200);
  assert.match(page.text, /Chain broken at entry 2/);
  assert.doesNotMatch(page.text, /Chain verified/);
  assert.equal(voices('audit', 'verify').status, 1);
});
