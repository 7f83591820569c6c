// Who may open a workshop poll session, and what is left of its free text once it ended,
// through real nginx and the real app. Only the facilitator who started a session and admins
// open it: another facilitator gets 403 on every one of its routes, an analyst gets 403 on its
// live state and may fetch only an ended session's (disclosure-controlled) exports. Free text
// typed on a phone (an open-text answer, a statement never approved) is in the database while
// the session runs, for the moderator; once the session ended and the -wal was checkpointed,
// its bytes are in neither the database file nor the -wal, and voices-analyse still reads the
// answer from the sealed workshop response. On PostgreSQL (VOICES_TEST_PG) what is looked
// for is what pg_dump shows: the server's files and its write-ahead log are its own.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { startStack, CookieJar, formWith, ROOT } from './stack.mjs';

const run = promisify(execFile);
const BIN = resolve(ROOT, process.env.VOICES_BIN ?? 'build/asan/voices');
const ANALYSE = process.env.VOICES_ANALYSE ? resolve(ROOT, process.env.VOICES_ANALYSE)
  : join(dirname(BIN), 'voices-analyse');
const PW = 'a long staff pass phrase';
const CANARY = 'Quentin Marlowe-Fitch';
const ANSWER = `${CANARY} next door shouts at the kids`;
const STATEMENT = 'Zanzibar Pettigrew should be banned from the park';
let stack;
const staff = { fran: new CookieJar(), bea: new CookieJar(), ann: new CookieJar(), ada: new CookieJar() };

before(async () => {
  stack = await startStack({ nginxEnv: { NGINX_POST_RATE: '1000r/s', NGINX_POST_BURST: '2000' } });
  const roles = { fran: 'facilitator', bea: 'facilitator', ann: 'analyst', ada: 'admin' };
  for (const [name, role] of Object.entries(roles)) {
    execFileSync(BIN, ['-c', stack.configPath, 'user', 'add', name, '--role', role, '--password-stdin'],
      { cwd: ROOT, input: `${PW}\n` });
    const page = await stack.get('/staff/login', { cookies: staff[name] });
    const res = await stack.post('/staff/login', [...formWith(page.text, '/staff/login'), ['name', name],
      ['password', PW]], { cookies: staff[name] });
    assert.equal(res.status, 303, res.text);
  }
});
after(async () => { await stack?.stop(); });

function sql(query, ...flags) {
  if (stack.pg) return stack.sql(query, { write: true });
  return execFileSync('sqlite3', [...flags, stack.dbPath, query], { encoding: 'utf8' }).trim();
}

async function start(jar, set) {
  const list = await stack.get('/staff/polls', { cookies: jar });
  const res = await stack.post('/staff/polls', [...formWith(list.text, '/staff/polls'), ['_nav', 'start'],
    ['set', set]], { cookies: jar });
  assert.equal(res.status, 303, res.text);
  const id = res.location.split('/').pop();
  const page = await stack.get(`/staff/polls/${id}`, { cookies: jar });
  return { id, code: page.text.match(/<strong class="code">([^<]+)<\/strong>/)[1] };
}

async function act(jar, id, fields) {
  const page = await stack.get(`/staff/polls/${id}`, { cookies: jar });
  const res = await stack.post(`/staff/polls/${id}`, [...formWith(page.text, '/staff/logout'), ...fields],
    { cookies: jar });
  assert.equal(res.location, `/staff/polls/${id}`, JSON.stringify(fields));
}

async function answer(phone, code, fields) {
  const page = await stack.get(`/j/${code}`, { cookies: phone });
  const res = await stack.post(`/j/${code}`, [...formWith(page.text, `/j/${code}`, '_q'), ...fields],
    { cookies: phone });
  assert.equal(res.status, 303, res.text.slice(0, 500));
}

/** Status of every route of session id for jar; the POST carries jar's own CSRF token. */
async function statuses(jar, id) {
  const own = await stack.get('/staff', { cookies: jar });
  const out = {};
  for (const p of ['', '?frag=1', '/present', '/present?frag=1', '/live', '/export.json', '/export.csv']) {
    out[`GET ${p}`] = (await stack.get(`/staff/polls/${id}${p}`, { cookies: jar })).status;
  }
  out.POST = (await stack.post(`/staff/polls/${id}`, [...formWith(own.text, '/staff/logout'),
    ['_nav', 'end'], ['_sure', '1']], { cookies: jar })).status;
  return out;
}

const every = (o, status) => Object.fromEntries(Object.keys(o).map((k) => [k, status]));

test('only its facilitator and admins open a running session; analysts and other facilitators get 403', async () => {
  const { id } = await start(staff.fran, 'poll-strategy-launch');
  const mine = await start(staff.bea, 'poll-week-of-action');
  const bea = await statuses(staff.bea, id);
  assert.deepEqual(bea, every(bea, 403), 'another facilitator');
  const list = await stack.get('/staff/polls', { cookies: staff.bea });
  assert.ok(!list.text.includes(`/staff/polls/${id}"`), 'not in her list either');
  assert.ok(list.text.includes(`/staff/polls/${mine.id}"`));
  const ann = await statuses(staff.ann, id);
  assert.deepEqual(ann, every(ann, 403), 'an analyst, while it runs');
  assert.equal((await stack.get('/staff/polls/99999/live', { cookies: staff.fran })).status, 404);
  for (const p of ['', '/present', '/live', '/export.json']) {
    assert.equal((await stack.get(`/staff/polls/${id}${p}`, { cookies: staff.fran })).status, 200, `fran ${p}`);
    assert.equal((await stack.get(`/staff/polls/${id}${p}`, { cookies: staff.ada })).status, 200, `admin ${p}`);
  }
  assert.equal(sql(`SELECT open FROM poll_session WHERE id = ${id}`), '1', 'nobody else ended it');

  await act(staff.fran, id, [['_nav', 'end'], ['_sure', '1']]);
  const after = await statuses(staff.ann, id);
  assert.deepEqual(after, { ...every(after, 403), 'GET /export.json': 200, 'GET /export.csv': 200 },
    'an analyst: the exports of an ended session only');
  const bea2 = await statuses(staff.bea, id);
  assert.deepEqual(bea2, every(bea2, 403), 'another facilitator, once ended');
  const annList = (await stack.get('/staff/polls', { cookies: staff.ann })).text;
  assert.ok(annList.includes(`/staff/polls/${id}"`), 'the analyst lists the ended session');
  assert.ok(!annList.includes(`/staff/polls/${mine.id}"`), 'not the running one');
});

/** The database and -wal bytes after a checkpoint that truncates the -wal; on PostgreSQL,
 * pg_dump's output. */
async function files() {
  if (stack.pg) return execFileSync('pg_dump', ['-d', (stack.ownerDatabase ?? stack.database)], { encoding: 'utf8', maxBuffer: 1 << 28 });
  for (let t = 0; t < 50; t++) {
    if (sql('PRAGMA wal_checkpoint(TRUNCATE)').startsWith('0|')) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  const wal = `${stack.dbPath}-wal`;
  return Buffer.concat([readFileSync(stack.dbPath), existsSync(wal) ? readFileSync(wal) : Buffer.alloc(0)]);
}

test('free text typed in a session is gone from the database and its -wal once it ended; the analysis tool reads it', async () => {
  const fac = staff.fran;
  const { id, code } = await start(fac, 'poll-knife-crime-youth');
  const phones = [new CookieJar(), new CookieJar()];
  for (const p of phones) await stack.get(`/j/${code}`, { cookies: p });
  await act(fac, id, [['_nav', 'next']]);
  for (const p of phones) await answer(p, code, [['age_band', '11-13']]);
  for (let k = 0; k < 5; k++) await act(fac, id, [['_nav', 'next']]); // statements
  const page = await stack.get(`/j/${code}`, { cookies: phones[0] });
  const sent = await stack.post(`/j/${code}`, [...formWith(page.text, `/j/${code}`, '_new'), ['_new', STATEMENT]],
    { cookies: phones[0] });
  assert.equal(sent.status, 303);
  await act(fac, id, [['_nav', 'next']]); // open text
  await answer(phones[1], code, [['idea', ANSWER]]);
  const live = JSON.parse((await stack.get(`/staff/polls/${id}/live`, { cookies: fac })).text);
  assert.equal(live.question.pending[0].text, ANSWER, 'the moderator sees it while the session runs');
  let bytes = await files();
  assert.ok(bytes.includes(CANARY) && bytes.includes('Zanzibar Pettigrew'), 'in plain while it runs');

  await act(fac, id, [['_nav', 'end'], ['_sure', '1']]);
  assert.equal(sql(`SELECT saved FROM poll_session WHERE id = ${id}`), '1');
  const ended = JSON.parse((await stack.get(`/staff/polls/${id}/live`, { cookies: fac })).text);
  assert.equal(ended.question.pending, undefined, 'no unmoderated text of an ended session');
  assert.equal(ended.question.answers, 1, 'still counted');
  const console_ = await stack.get(`/staff/polls/${id}`, { cookies: fac });
  assert.ok(!console_.text.includes(CANARY) && !console_.text.includes('Zanzibar'));
  bytes = await files();
  assert.ok(!bytes.includes(CANARY), 'the open-text answer is in neither the database nor its -wal');
  assert.ok(!bytes.includes('Zanzibar Pettigrew'), 'nor the statement never approved');
  assert.equal(sql("SELECT count(*) FROM poll_vote WHERE text = 1 AND value <> ''", '-readonly'), '0');

  const out = mkdtempSync('/tmp/voices-poll-sheet-');
  try {
    await run(ANALYSE, ['sheet', '--db', stack.database, '--key', stack.secretKeyPath, '--survey',
      'poll-knife-crime-youth', '--surveys', join(ROOT, 'surveys'), '--out', out, '--quiet'], { cwd: ROOT });
    const sheet = readFileSync(join(out, 'coding-sheet.csv'), 'utf8');
    assert.ok(sheet.includes(ANSWER), 'voices-analyse opens the sealed workshop response');
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});

test('a session left running since before yesterday is ended and saved by the workers; its plain text goes', async () => {
  const fac = staff.fran;
  const { id, code } = await start(fac, 'poll-knife-crime-youth');
  const phone = new CookieJar();
  await stack.get(`/j/${code}`, { cookies: phone });
  for (let k = 0; k < 7; k++) await act(fac, id, [['_nav', 'next']]); // open text
  const forgotten = `${CANARY} left on the projector overnight`;
  await answer(phone, code, [['idea', forgotten]]);
  assert.ok((await files()).includes(forgotten), 'in plain while it runs');
  const threeDaysAgo = new Date(Date.now() - 3 * 86400e3).toISOString().slice(0, 10);
  sql(`UPDATE poll_session SET day = '${threeDaysAgo}' WHERE id = ${id}`);
  const running = await start(fac, 'poll-strategy-launch');

  process.kill(stack.app.pid, 'SIGHUP'); // new workers do their chores after their first request
  const t0 = Date.now();
  while (sql(`SELECT CAST(open AS TEXT) || CAST(saved AS TEXT) FROM poll_session WHERE id = ${id}`, '-readonly') !== '01') {
    assert.ok(Date.now() - t0 < 20000, 'the forgotten session was ended and saved');
    await stack.get('/healthz');
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.ok(!(await files()).includes(forgotten), 'its open-text answer is gone from the files');
  assert.equal(sql(`SELECT open FROM poll_session WHERE id = ${running.id}`, '-readonly'), '1',
    'a session started today is left alone');
});
