// Least privilege on PostgreSQL (docs/storage.md, Roles), with the roles of the test server
// (scripts/pg-test.sh): `voices init` or `voices migrate` migrates as the schema's owner
// (database_owner) and grants; `voices serve` starts as the app's role and refuses the owner,
// a superuser and a schema behind, saying what to do; the analysts' read-only role runs the analysis tool's
// report and can read no staff account; a password file others may read is refused.
// PostgreSQL only: on SQLite the file's permissions are the whole story.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, execFileSync, spawn } from 'node:child_process';
import { chmodSync, copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { ROOT } from './stack.mjs';

const run = promisify(execFile);
const PG = process.env.VOICES_TEST_PG;
const skip = !PG && 'PostgreSQL only (VOICES_TEST_PG)';
const BIN = resolve(ROOT, process.env.VOICES_BIN ?? 'build/asan/voices');
const ANALYSE = process.env.VOICES_ANALYSE ? resolve(ROOT, process.env.VOICES_ANALYSE)
  : join(dirname(BIN), 'voices-analyse');
const SURVEY = 'residents-2026';
let dir;
let name;
const as = (role) => `${PG} user=${role} dbname=${name}`;

/** Writes a config whose database is role's connection string (and keys) and returns its path. */
function config(file, role, keys = {}) {
  const c = {
    database: as(role), surveys: join(ROOT, 'surveys'), templates: join(ROOT, 'templates'),
    public_key: join(dir, 'a.pub'), secret_file: join(dir, 'server.secret'),
    listen: join(dir, `${file}.sock`), writer_socket: join(dir, `${file}-writer.sock`), workers: 1,
    ...keys,
  };
  const path = join(dir, `${file}.yaml`);
  writeFileSync(path, Object.entries(c).map(([k, v]) => `${k}: ${v}\n`).join(''));
  return path;
}

/** Runs voices with args; resolves to { code, out } (stdout and stderr together). */
async function voices(args) {
  try {
    const r = await run(BIN, args, { cwd: ROOT, timeout: 60000 });
    return { code: 0, out: r.stdout + r.stderr };
  } catch (e) {
    return { code: e.code, out: `${e.stdout ?? ''}${e.stderr ?? ''}` };
  }
}

/** `voices serve` with cfg: resolves to { started, out } once it serves (then stopped) or exits. */
function serve(cfg) {
  return new Promise((done) => {
    const app = spawn(BIN, ['-c', cfg, 'serve'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let started = false;
    const timer = setTimeout(() => app.kill('SIGKILL'), 30000);
    const seen = (d) => {
      out += d;
      if (!started && out.includes('serving on')) {
        started = true;
        app.kill('SIGTERM');
      }
    };
    app.stdout.on('data', seen);
    app.stderr.on('data', seen);
    app.on('exit', (code) => { clearTimeout(timer); done({ started, code, out }); });
  });
}

const psql = (role, sql) => execFileSync('psql', ['-XAtq', '-v', 'ON_ERROR_STOP=1', as(role), '-c', sql],
  { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();

before(() => {
  if (!PG) return;
  dir = mkdtempSync('/tmp/voices-pgroles-');
  name = `roles_${process.pid}`;
  execFileSync('psql', [`${PG} user=voices_owner`, '-qc', `CREATE DATABASE ${name}`]);
  execFileSync(BIN, ['keygen', join(dir, 'a.pub'), join(dir, 'a.secret')], { cwd: ROOT });
});
after(() => { if (dir) rmSync(dir, { recursive: true, force: true }); });

test('init as the owner grants; serve starts as the app role and refuses the owner and a superuser',
  { skip }, async () => {
    const roles = { database_owner: as('voices_owner'), database_analyst_role: 'voices_analyst' };
    const init = await voices(['-c', config('app', 'voices_app', roles), 'init']);
    assert.equal(init.code, 0, init.out);
    assert.match(init.out, /ready \(schema \d+\)/);
    assert.equal(psql('voices_owner', "SELECT tableowner FROM pg_tables WHERE tablename = 'response'"),
      'voices_owner');
    assert.throws(() => psql('voices_app', 'CREATE TABLE x (a int)'), /permission denied for schema/);

    const ok = await serve(config('app', 'voices_app'));
    assert.ok(ok.started, ok.out);
    for (const role of ['voices_owner', 'voices_admin']) {
      const r = await serve(config(role, role));
      assert.equal(r.started, false, r.out);
      assert.equal(r.code, 1);
      assert.match(r.out, /may do more than the app does/);
      assert.match(r.out, /docs\/storage\.md, Roles/);
    }
    // One role for everything (no database_owner): init migrates, then refuses to go on.
    const one = await voices(['-c', config('one', 'voices_owner'), 'init']);
    assert.equal(one.code, 1, one.out);
    assert.match(one.out, /may do more than the app does/);
  });

test('a schema behind: serve and init refuse and say to migrate as the owner, which brings it up to date',
  { skip }, async () => {
    const top = Number(psql('voices_owner', 'SELECT max(version) FROM schema_version'));
    psql('voices_owner', `DELETE FROM schema_version WHERE version = ${top}`);
    const app = config('app', 'voices_app');
    const r = await serve(app);
    assert.equal(r.started, false, r.out);
    assert.match(r.out, /`voices migrate` as the schema's owner, database_owner/);
    const init = await voices(['-c', app, 'init']);
    assert.equal(init.code, 1, init.out);
    assert.match(init.out, /`voices migrate` as the schema's owner/);
    const mine = await voices(['-c', app, 'migrate']);
    assert.equal(mine.code, 1, mine.out);
    assert.match(mine.out, /the schema's owner migrates it, not the app's role: set database_owner/);
    assert.equal(psql('voices_owner', 'SELECT max(version) FROM schema_version'), String(top - 1));
    // The owner's own configuration (its password file need not be the service user's).
    const owner = config('owner', 'voices_app',
      { database_owner: as('voices_owner'), database_analyst_role: 'voices_analyst' });
    const m = await voices(['-c', owner, 'migrate']);
    assert.equal(m.code, 0, m.out);
    assert.match(m.out, new RegExp(`Schema at version ${top}`));
    assert.equal(psql('voices_owner', 'SELECT max(version) FROM schema_version'), String(top));
    const again = await serve(app);
    assert.ok(again.started, again.out);
  });

test('the analysts\' role runs the report, and reads no staff account or session', { skip }, async () => {
  const out = join(dir, 'report');
  await run(ANALYSE, ['generate', '--db', as('voices_app'), '--n', '60', '--seed', '3',
    '--pub', join(dir, 'a.pub')], { cwd: ROOT, timeout: 120000 });
  await run(ANALYSE, ['report', '--db', as('voices_analyst'), '--key', join(dir, 'a.secret'),
    '--survey', SURVEY, '--out', out, '--formats', 'json', '--quiet'], { cwd: ROOT, timeout: 120000 });
  const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'));
  assert.equal(report.survey.id, SURVEY);
  assert.equal(report.responses, 60);
  for (const t of ['staff', 'staff_session', 'staff_reset', 'audit', 'draft']) {
    assert.throws(() => psql('voices_analyst', `SELECT count(*) FROM ${t}`), /permission denied/);
  }
  assert.throws(() => psql('voices_analyst', 'DELETE FROM response'), /permission denied/);
  assert.equal(psql('voices_analyst', 'SELECT count(*) FROM response'), '60');
});

test('a password file others may read is refused, with what to do', { skip }, async () => {
  const m = PG.match(/passfile=(\S+)/);
  assert.ok(m, 'the test server names its passfile');
  const open = join(dir, 'pgpass-open');
  copyFileSync(m[1], open);
  chmodSync(open, 0o644);
  const cfg = config('open', 'voices_app', { database: `${as('voices_app')} passfile=${open}` });
  for (const cmd of ['init', 'serve']) {
    const r = await voices(['-c', cfg, cmd]);
    assert.equal(r.code, 1, r.out);
    assert.match(r.out, /password file may be read by other users.*chmod 0600/);
  }
  chmodSync(open, 0o600);
  const r = await serve(cfg);
  assert.ok(r.started, r.out);
});
