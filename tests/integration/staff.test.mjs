// Staff accounts over HTTP through real nginx and the real app: an admin made with the
// command line signs in, adds a facilitator in the browser form, signs out (the old
// session cookie stops working), a facilitator is refused the accounts page, five wrong
// passwords lock a name (and a locked attempt hashes no password) but not the browser its
// owner signed in with, 300 failures with other names lock nobody else out, and the audit
// log holds every event but no password. nginx's per-address sign-in limit is lifted here
// (all these sign-ins come from one address); tests/integration/front.test.mjs tests it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { startStack, CookieJar, formFieldPairs, htmlUnescape, ROOT } from './stack.mjs';

const BIN = resolve(ROOT, process.env.VOICES_BIN ?? 'build/asan/voices');
const ADMIN_PW = 'a long admin pass phrase';
let stack;

before(async () => {
  // The app's own sign-in throttle is under test here: nginx's per-address limits are opened.
  stack = await startStack({ nginxEnv: { NGINX_LOGIN_RATE: '1000r/s', NGINX_LOGIN_BURST: '1000',
    NGINX_POST_RATE: '1000r/s', NGINX_POST_BURST: '1000' } });
});
after(async () => { await stack?.stop(); });

function sql(query) {
  return stack.sql(query);
}

function cli(args, input) {
  return execFileSync(BIN, ['-c', stack.configPath, 'user', ...args],
    { cwd: ROOT, input, encoding: 'utf8' });
}

/** The hidden fields of the form whose action is `action` and that holds `marker`. */
function formWith(html, action, marker = '') {
  for (const m of html.matchAll(/<form\b[^>]*action="([^"]*)"[^>]*>([\s\S]*?)<\/form>/g)) {
    if (htmlUnescape(m[1]) === action && m[2].includes(marker)) return formFieldPairs(m[2]);
  }
  throw new Error(`no form for ${action} with ${marker}`);
}

async function signIn(jar, name, password) {
  const page = await stack.get('/staff/login', { cookies: jar });
  assert.equal(page.status, 200);
  return stack.post('/staff/login', [...formWith(page.text, '/staff/login'), ['name', name],
    ['password', password]], { cookies: jar });
}

test('admin signs in, adds a facilitator, signs out; the old cookie is dead', async () => {
  const out = cli(['add', 'ada', '--role', 'admin', '--password-stdin'], `${ADMIN_PW}\n`);
  assert.match(out, /Added ada \(admin\)/);
  assert.doesNotMatch(out, /One-time password/);

  const anon = await stack.get('/staff');
  assert.equal(anon.status, 303);
  assert.equal(anon.location, '/staff/login');

  const jar = new CookieJar();
  const res = await signIn(jar, 'Ada ', ADMIN_PW); // names are case-blind and trimmed
  assert.equal(res.status, 303, res.text);
  assert.equal(res.location, '/staff');
  const setCookie = res.headers.getSetCookie().find((c) => c.startsWith('vs='));
  assert.match(setCookie, /HttpOnly/);
  assert.match(setCookie, /SameSite=Strict/);
  assert.match(setCookie, /Path=\//);
  assert.match(jar.get('vs'), /^[0-9a-f]{64}$/);

  const home = await stack.get('/staff', { cookies: jar });
  assert.equal(home.status, 200);
  assert.match(home.text, /<strong>ada<\/strong>/);
  assert.match(home.text, /href="\/staff\/users"/);

  const users = await stack.get('/staff/users', { cookies: jar });
  assert.equal(users.status, 200);
  const created = await stack.post('/staff/users', [...formWith(users.text, '/staff/users', 'create'),
    ['name', 'fern'], ['role', 'facilitator']], { cookies: jar });
  assert.equal(created.status, 200, created.text);
  const pw = htmlUnescape(created.text.match(/<code class="secret">([^<]+)<\/code>/)[1]);
  assert.match(pw, /^[a-km-zA-HJ-NP-Z2-9]{16,}$/);
  assert.match(created.text, /<th scope="row"><a href="\/staff\/user\?name=fern">fern<\/a><\/th><td>Workshop facilitator/);
  const again = await stack.get('/staff/users', { cookies: jar });
  assert.ok(!again.text.includes(pw), 'the one-time password is shown only once');

  const dup = await stack.post('/staff/users', [...formWith(users.text, '/staff/users', 'create'),
    ['name', 'fern'], ['role', 'analyst']], { cookies: jar });
  assert.equal(dup.status, 422);
  assert.match(dup.text, /already an account/);

  const noCsrf = await stack.post('/staff/users', [['_nav', 'create'], ['name', 'eve'],
    ['role', 'admin']], { cookies: jar });
  assert.equal(noCsrf.status, 403);

  const oldSession = jar.get('vs');
  const bye = await stack.post('/staff/logout', formWith(home.text, '/staff/logout'), { cookies: jar });
  assert.equal(bye.status, 303);
  assert.equal(jar.get('vs'), undefined);
  const stale = new CookieJar();
  stale.set('vc', jar.get('vc'));
  stale.set('vs', oldSession);
  const staleRes = await stack.get('/staff', { cookies: stale });
  assert.equal(staleRes.status, 303);
  assert.equal(staleRes.location, '/staff/login');

  // The new facilitator signs in with the one-time password and may not manage accounts.
  const fjar = new CookieJar();
  assert.equal((await signIn(fjar, 'fern', pw)).status, 303);
  const fhome = await stack.get('/staff', { cookies: fjar });
  assert.equal(fhome.status, 200);
  assert.doesNotMatch(fhome.text, /href="\/staff\/users"/);
  assert.equal((await stack.get('/staff/users', { cookies: fjar })).status, 403);
  const fpost = await stack.post('/staff/users', [...formWith(fhome.text, '/staff/logout'),
    ['_nav', 'disable'], ['name', 'ada']], { cookies: fjar });
  assert.equal(fpost.status, 403);
  assert.match(sql("SELECT disabled FROM staff WHERE name = 'ada'"), /^0$/);

  // Disabling an account ends its sessions at once.
  cli(['disable', 'fern']);
  assert.equal((await stack.get('/staff', { cookies: fjar })).status, 303);
  assert.match(cli(['list']), /fern\s+facilitator\s+\S+\s+disabled/);
});

test('five wrong passwords lock the name, without telling names apart', async () => {
  cli(['add', 'gus', '--role', 'analyst', '--password-stdin'], 'gus pass phrase 123\n');
  const jar = new CookieJar();
  const unknown = await signIn(jar, 'nobody-here', 'some wrong password');
  const wrong = await signIn(jar, 'gus', 'some wrong password');
  assert.equal(unknown.status, 422);
  assert.equal(wrong.status, 422);
  const msg = (t) => t.match(/<div class="error-summary"[\s\S]*?<\/div>/)[0];
  assert.equal(msg(unknown.text), msg(wrong.text));
  let last;
  for (let i = 0; i < 4; i++) last = await signIn(jar, 'gus', `wrong password ${i}`);
  assert.equal(last.status, 429);
  assert.match(last.text, /Too many failed sign-ins/);
  const right = await signIn(jar, 'gus', 'gus pass phrase 123');
  assert.equal(right.status, 429, 'locked even with the right password');
  assert.equal(jar.get('vs'), undefined);
});

test('300 failures with made-up names lock nobody else out', async () => {
  cli(['add', 'hal', '--role', 'analyst', '--password-stdin'], 'hal pass phrase 123\n');
  const jar = new CookieJar();
  const page = await stack.get('/staff/login', { cookies: jar });
  const form = formWith(page.text, '/staff/login');
  const long = 'x'.repeat(200); // no account has it: refused without hashing, counted all the same
  const statuses = {};
  for (let round = 0; round < 30; round++) {
    const rs = await Promise.all(Array.from({ length: 10 }, (_, i) => stack.post('/staff/login',
      [...form, ['name', `made-up-${round}-${i}`], ['password', long]], { cookies: jar })));
    for (const r of rs) statuses[r.status] = (statuses[r.status] ?? 0) + 1;
  }
  assert.deepEqual(statuses, { 422: 300 });
  const res = await signIn(new CookieJar(), 'hal', 'hal pass phrase 123');
  assert.equal(res.status, 303, res.text);
});

test('a guesser locks a name without hashing, but not the browser its owner signed in with', async () => {
  cli(['add', 'ivy', '--role', 'facilitator', '--password-stdin'], 'ivy pass phrase 123\n');
  const own = new CookieJar();
  assert.equal((await signIn(own, 'ivy', 'ivy pass phrase 123')).status, 303);
  assert.match(own.get('vk'), /^[0-9a-f]{64}$/);

  const guesser = new CookieJar();
  const page = await stack.get('/staff/login', { cookies: guesser });
  const form = formWith(page.text, '/staff/login');
  const timed = async (password) => {
    const t0 = process.hrtime.bigint();
    const r = await stack.post('/staff/login', [...form, ['name', 'ivy'], ['password', password]], { cookies: guesser });
    return { status: r.status, ms: Number(process.hrtime.bigint() - t0) / 1e6 };
  };
  const hashed = [];
  for (let i = 0; i < 4; i++) hashed.push(await timed(`wrong guess number ${i}`));
  assert.deepEqual(hashed.map((r) => r.status), [422, 422, 422, 422]);
  assert.equal((await timed('wrong guess number 4')).status, 429);
  const locked = [];
  for (let i = 0; i < 4; i++) locked.push(await timed(i === 0 ? 'ivy pass phrase 123' : `more guessing ${i}`));
  assert.deepEqual(locked.map((r) => r.status), [429, 429, 429, 429], 'locked, even the right password');
  // A password hash takes tens of milliseconds; a locked attempt only reads one row.
  const fastest = Math.min(...hashed.map((r) => r.ms));
  const median = locked.map((r) => r.ms).sort((a, b) => a - b)[2];
  assert.ok(median < fastest / 2, `locked attempts took ${median} ms, hashed ones at least ${fastest} ms`);
  assert.equal(guesser.get('vs'), undefined);

  const again = new CookieJar(); // the same browser, its session over: only vk is kept
  again.set('vk', own.get('vk'));
  const mine = await signIn(again, 'ivy', 'ivy pass phrase 123');
  assert.equal(mine.status, 303, 'the browser ivy signed in with before still gets in');
  const forged = new CookieJar();
  forged.set('vk', 'ab'.repeat(32));
  assert.equal((await signIn(forged, 'ivy', 'ivy pass phrase 123')).status, 429);
});

test('the audit log has the events and no passwords', () => {
  const rows = sql("SELECT at || '|' || staff || '|' || action || '|' || coalesce(detail, '') FROM audit ORDER BY id");
  for (const ev of ['|cli|user_created|name=ada role=admin', '|ada|login|', '|ada|user_created|name=fern role=facilitator',
    '|ada|logout|', '|fern|login|', '|cli|user_disabled|name=fern', '|-|login_failed|',
    '|gus|login_failed|', '|gus|login_failed|name locked', '|ivy|login_failed|name locked', '|hal|login|']) {
    assert.ok(rows.includes(ev), `audit has ${ev}:\n${rows}`);
  }
  assert.match(rows, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\|/m);
  const everything = stack.pg
    ? execFileSync('pg_dump', ['-d', stack.ownerDatabase], { encoding: 'utf8' })
    : execFileSync('sqlite3', [stack.dbPath, '.dump'], { encoding: 'utf8' });
  assert.match(everything, /user_created/, 'the dump holds the audit log');
  for (const secret of [ADMIN_PW, 'gus pass phrase 123', 'some wrong password', 'wrong password 3']) {
    assert.ok(!everything.includes(secret), `the database holds "${secret}"`);
  }
  assert.equal(sql("SELECT count(*) FROM staff WHERE pwhash NOT LIKE '$argon2id$%'"), '0');
});
