// Managing staff accounts from the browser, through real nginx and the real app: changing
// your own password (your other sessions end), an admin's one-time reset code (works once,
// expires, the old sessions and password die at once), disabling and re-enabling (the old
// cookie is refused on the next request), role changes (on the next request), signing out
// everywhere (yourself, or an admin for someone else), the last active admin kept, every
// admin action refused to others (403) and without the CSRF token (403), every action in the
// audit log, and no password or code anywhere in the database.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { startStack, CookieJar, formFieldPairs, htmlUnescape, ROOT } from './stack.mjs';

const BIN = resolve(ROOT, process.env.VOICES_BIN ?? 'build/asan/voices');
const PW = { root: 'root pass phrase one', bob: 'bob pass phrase one', cat: 'cat pass phrase one' };
const secrets = Object.values(PW);
let stack;

before(async () => {
  stack = await startStack({ nginxEnv: { NGINX_LOGIN_RATE: '1000r/s', NGINX_LOGIN_BURST: '1000',
    NGINX_POST_RATE: '1000r/s', NGINX_POST_BURST: '1000' } });
  for (const [name, role] of [['root', 'admin'], ['bob', 'analyst'], ['cat', 'facilitator']]) {
    execFileSync(BIN, ['-c', stack.configPath, 'user', 'add', name, '--role', role, '--password-stdin'],
      { cwd: ROOT, input: `${PW[name]}\n`, encoding: 'utf8' });
  }
});
after(async () => { await stack?.stop(); });

function sql(query, { write = false } = {}) {
  return stack.sql(query, { write });
}

function formWith(html, action, marker = '') {
  for (const m of html.matchAll(/<form\b[^>]*action="([^"]*)"[^>]*>([\s\S]*?)<\/form>/g)) {
    if (htmlUnescape(m[1]) === action && m[2].includes(marker)) return formFieldPairs(m[2]);
  }
  throw new Error(`no form for ${action} with ${marker}`);
}

async function signIn(name, password = PW[name], jar = new CookieJar()) {
  const page = await stack.get('/staff/login', { cookies: jar });
  const res = await stack.post('/staff/login', [...formWith(page.text, '/staff/login'), ['name', name],
    ['password', password]], { cookies: jar });
  return { res, jar };
}

async function signedIn(name) {
  const { res, jar } = await signIn(name);
  assert.equal(res.status, 303, `${name} signs in: ${res.text}`);
  return jar;
}

/** The signed-in page's CSRF field, for hand-made POSTs. */
async function csrf(jar) {
  const home = await stack.get('/staff', { cookies: jar });
  return formWith(home.text, '/staff/logout');
}

async function alive(jar) {
  const r = await stack.get('/staff', { cookies: jar });
  return r.status === 200;
}

/** An admin's action on one account, through the form on its page. */
async function act(jar, name, action, extra = []) {
  const page = await stack.get(`/staff/user?name=${name}`, { cookies: jar });
  assert.equal(page.status, 200, page.text);
  return stack.post('/staff/user', [...formWith(page.text, '/staff/user', `value="${action}"`), ...extra],
    { cookies: jar });
}

test('changing your own password ends your other sessions, not this one', async () => {
  const here = await signedIn('bob');
  const there = await signedIn('bob');
  const page = await stack.get('/staff/account', { cookies: here });
  assert.equal(page.status, 200);
  assert.equal((page.text.match(/<td>\d{4}-\d\d-\d\d<\/td><td>\d{4}-\d\d-\d\d \d\d:00<\/td>/g) ?? []).length, 2);
  assert.equal((page.text.match(/This browser/g) ?? []).length, 2, 'the column header and one row');
  const form = formWith(page.text, '/staff/account', 'value="password"');
  const send = (current, password, again) => stack.post('/staff/account',
    [...form, ['current', current], ['password', password], ['again', again]], { cookies: here });

  const wrong = await send('not my password at all', 'bob pass phrase two', 'bob pass phrase two');
  assert.equal(wrong.status, 422);
  assert.match(wrong.text, /current password is wrong/);
  const differ = await send(PW.bob, 'bob pass phrase two', 'bob pass phrase 2');
  assert.equal(differ.status, 422);
  assert.match(differ.text, /two new passwords are different/);
  const short = await send(PW.bob, 'short', 'short');
  assert.equal(short.status, 422);
  assert.match(short.text, /at least 12 characters/);
  assert.ok(await alive(there), 'nothing changed yet');

  const ok = await send(PW.bob, 'bob pass phrase two', 'bob pass phrase two');
  assert.equal(ok.status, 200, ok.text);
  assert.match(ok.text, /You are still signed in here; 1 other sessions have been signed out/);
  assert.ok(await alive(here));
  assert.ok(!(await alive(there)), 'the other browser is signed out');
  assert.equal((await signIn('bob')).res.status, 422, 'the old password no longer works');
  PW.bob = 'bob pass phrase two';
  secrets.push(PW.bob);
  assert.equal((await signIn('bob')).res.status, 303);
});

test('five wrong current passwords lock the change form', async () => {
  const jar = await signedIn('bob');
  const page = await stack.get('/staff/account', { cookies: jar });
  const form = formWith(page.text, '/staff/account', 'value="password"');
  const statuses = [];
  for (let i = 0; i < 6; i++) {
    const r = await stack.post('/staff/account', [...form, ['current', `wrong guess ${i} here`],
      ['password', 'bob pass phrase three'], ['again', 'bob pass phrase three']], { cookies: jar });
    statuses.push(r.status);
  }
  assert.deepEqual(statuses, [422, 422, 422, 422, 429, 429]);
  const right = await stack.post('/staff/account', [...form, ['current', PW.bob],
    ['password', 'bob pass phrase three'], ['again', 'bob pass phrase three']], { cookies: jar });
  assert.equal(right.status, 429, 'locked even with the right password');
  assert.equal((await signIn('bob')).res.status, 303, 'signing in is not locked by it');
});

test('non-admins get 403 for every admin action, and every POST needs its CSRF token', async () => {
  const bob = await signedIn('bob');
  const cat = await signedIn('cat');
  const fields = await csrf(bob);
  assert.equal((await stack.get('/staff/user?name=cat', { cookies: bob })).status, 403);
  for (const action of ['reset', 'disable', 'enable', 'role', 'signout']) {
    const r = await stack.post('/staff/user', [...fields, ['_nav', action], ['name', 'cat'],
      ['role', 'admin']], { cookies: bob });
    assert.equal(r.status, 403, action);
  }
  assert.ok(await alive(cat));
  assert.equal(sql("SELECT role || disabled FROM staff WHERE name = 'cat'"), 'facilitator0');

  const root = await signedIn('root');
  for (const action of ['reset', 'disable', 'role', 'signout']) {
    const r = await stack.post('/staff/user', [['_nav', action], ['name', 'cat'], ['role', 'admin']],
      { cookies: root });
    assert.equal(r.status, 403, `${action} without CSRF`);
  }
  for (const action of ['password', 'signout']) {
    const r = await stack.post('/staff/account', [['_nav', action], ['current', PW.bob]], { cookies: bob });
    assert.equal(r.status, 403, `own ${action} without CSRF`);
  }
  assert.equal((await stack.post('/staff/reset', [['code', 'x']])).status, 403);
  const odd = await stack.post('/staff/user', [...await csrf(root), ['_nav', 'delete'], ['name', 'cat']],
    { cookies: root });
  assert.equal(odd.status, 400, 'an unknown action is refused');
  assert.equal((await stack.get('/staff/account')).location, '/staff/login');
  assert.ok(await alive(cat));
});

test('a reset code signs the owner out, works once, and expires', async () => {
  const root = await signedIn('root');
  const cat = await signedIn('cat');
  const reset = await act(root, 'cat', 'reset');
  assert.equal(reset.status, 200, reset.text);
  const code = htmlUnescape(reset.text.match(/<code class="secret">([^<]+)<\/code>/)[1]);
  assert.match(code, /^[A-HJ-NP-Z2-9]{4}(-[A-HJ-NP-Z2-9]{4}){3}$/);
  secrets.push(code, code.replaceAll('-', ''));
  assert.ok(!(await stack.get('/staff/user?name=cat', { cookies: root })).text.includes(code), 'shown once');
  assert.ok(!(await alive(cat)), 'signed out at the reset');
  assert.equal((await signIn('cat')).res.status, 422, 'the old password stops working');

  const jar = new CookieJar();
  const page = await stack.get('/staff/reset', { cookies: jar });
  assert.equal(page.status, 200);
  const form = formWith(page.text, '/staff/reset');
  const use = (c, pw, again = pw) => stack.post('/staff/reset',
    [...form, ['code', c], ['password', pw], ['again', again]], { cookies: jar });
  const bad = await use('ABCD-EFGH-JKLM-NPQR', 'cat pass phrase two');
  assert.equal(bad.status, 422);
  assert.match(bad.text, /wrong, already used/);
  assert.equal((await use(code, 'cat pass phrase two', 'cat pass phrase 2')).status, 422);
  const good = await use(` ${code.toLowerCase()} `, 'cat pass phrase two');
  assert.equal(good.status, 303, good.text);
  assert.equal(good.location, '/staff/login?reset=1');
  assert.match((await stack.get('/staff/login?reset=1')).text, /Your new password is set/);
  secrets.push('cat pass phrase two');
  assert.equal((await use(code, 'cat pass phrase six')).status, 422, 'used up');
  PW.cat = 'cat pass phrase two';
  assert.equal((await signIn('cat')).res.status, 303);

  const again = await act(root, 'cat', 'reset');
  const code2 = htmlUnescape(again.text.match(/<code class="secret">([^<]+)<\/code>/)[1]);
  secrets.push(code2);
  assert.equal(sql('SELECT count(*) FROM staff_reset'), '1');
  sql(`UPDATE staff_reset SET expires = ${Math.floor(Date.now() / 1000) - 1}`, { write: true });
  assert.equal((await use(code2, 'cat pass phrase three')).status, 422, 'expired');
  const code3 = htmlUnescape((await act(root, 'cat', 'reset')).text.match(/<code class="secret">([^<]+)<\/code>/)[1]);
  secrets.push(code3);
  assert.equal((await use(code3, 'cat pass phrase four')).status, 303);
  PW.cat = 'cat pass phrase four';
  secrets.push(PW.cat);
});

test('disabling ends the sessions at once; enabling lets them sign in again', async () => {
  const root = await signedIn('root');
  const cat = await signedIn('cat');
  const off = await act(root, 'cat', 'disable');
  assert.equal(off.status, 200, off.text);
  assert.match(off.text, /Account disabled/);
  assert.ok(!(await alive(cat)), 'the old cookie is refused on the next request');
  assert.equal((await signIn('cat')).res.status, 422);
  assert.match(off.text, /value="enable"/);
  const on = await act(root, 'cat', 'enable');
  assert.equal(on.status, 200);
  assert.match(on.text, /Account enabled/);
  assert.equal((await signIn('cat')).res.status, 303);
});

test('a role change applies on the next request', async () => {
  const root = await signedIn('root');
  const cat = await signedIn('cat');
  assert.equal((await stack.get('/staff/users', { cookies: cat })).status, 403);
  const up = await act(root, 'cat', 'role', [['role', 'admin']]);
  assert.equal(up.status, 200, up.text);
  assert.match(up.text, /Role changed/);
  assert.equal((await stack.get('/staff/users', { cookies: cat })).status, 200, 'the same cookie, now an admin');
  assert.equal((await act(root, 'cat', 'role', [['role', 'facilitator']])).status, 200);
  assert.equal((await stack.get('/staff/users', { cookies: cat })).status, 403);
  assert.equal((await act(root, 'cat', 'role', [['role', 'owner']])).status, 422);
});

test('signing out everywhere: an admin for someone else, and anyone for themselves', async () => {
  const root = await signedIn('root');
  assert.equal((await act(root, 'cat', 'signout')).status, 200); // the earlier tests' sessions
  const a = await signedIn('cat');
  const b = await signedIn('cat');
  const page = await stack.get('/staff/user?name=cat', { cookies: root });
  assert.match(page.text, /<dt>Browsers signed in<\/dt><dd>2<\/dd>/);
  const out = await act(root, 'cat', 'signout');
  assert.equal(out.status, 200);
  assert.match(out.text, /<dt>Browsers signed in<\/dt><dd>0<\/dd>/);
  assert.ok(!(await alive(a)) && !(await alive(b)));

  const mine = await signedIn('bob');
  const other = await signedIn('bob');
  const acc = await stack.get('/staff/account', { cookies: mine });
  const bye = await stack.post('/staff/account', formWith(acc.text, '/staff/account', 'value="signout"'),
    { cookies: mine });
  assert.equal(bye.status, 303);
  assert.equal(bye.location, '/staff/login?out=1');
  assert.equal(mine.get('vs'), undefined);
  assert.ok(!(await alive(other)));
});

test('the last active admin cannot be disabled or demoted', async () => {
  const root = await signedIn('root');
  const demote = await act(root, 'root', 'role', [['role', 'analyst']]);
  assert.equal(demote.status, 422);
  assert.match(demote.text, /last active administrator/);
  const off = await act(root, 'root', 'disable');
  assert.equal(off.status, 422);
  assert.match(off.text, /last active administrator/);
  assert.equal(sql("SELECT role || disabled FROM staff WHERE name = 'root'"), 'admin0');
  assert.ok(await alive(root));
  // With a second admin, stepping down is allowed.
  assert.equal((await act(root, 'cat', 'role', [['role', 'admin']])).status, 200);
  assert.equal((await act(root, 'root', 'role', [['role', 'analyst']])).status, 200);
  assert.equal((await stack.get('/staff/users', { cookies: root })).status, 403);
  const cat = await signedIn('cat');
  assert.equal((await act(cat, 'cat', 'disable')).status, 422, 'now cat is the last one');
});

test('the audit log has every account action, and the database no password or code', () => {
  const rows = sql("SELECT staff || '|' || action || '|' || coalesce(detail, '') FROM audit ORDER BY id");
  for (const ev of ['bob|password_changed|name=bob', 'bob|password_change_failed|name=bob', 'root|password_reset|name=cat',
    'cat|password_reset_used|name=cat', '-|password_reset_failed|', 'root|user_disabled|name=cat',
    'root|user_enabled|name=cat', 'root|user_role|name=cat role=admin', 'root|user_role|name=root role=analyst',
    'root|signed_out_everywhere|name=cat', 'bob|signed_out_everywhere|name=bob']) {
    assert.ok(rows.split('\n').includes(ev), `audit has ${ev}:\n${rows}`);
  }
  const dump = stack.pg
    ? execFileSync('pg_dump', ['-d', stack.ownerDatabase], { encoding: 'utf8' })
    : execFileSync('sqlite3', [stack.dbPath, '.dump'], { encoding: 'utf8' });
  for (const s of secrets) assert.ok(!dump.includes(s), `the database holds "${s}"`);
  assert.equal(sql("SELECT count(*) FROM staff WHERE pwhash NOT LIKE '$argon2id$%'"), '0');
});

test('nginx limits reset-code attempts per address like sign-ins', async () => {
  const limited = await startStack({ nginxEnv: { NGINX_LOGIN_RATE: '1r/m', NGINX_LOGIN_BURST: '3' } });
  try {
    const jar = new CookieJar();
    const page = await limited.get('/staff/reset', { cookies: jar });
    const form = formWith(page.text, '/staff/reset');
    const statuses = [];
    for (let i = 0; i < 6; i++) {
      const r = await limited.post('/staff/reset', [...form, ['code', 'ABCD-EFGH-JKLM-NPQR'],
        ['password', 'a new pass phrase'], ['again', 'a new pass phrase']], { cookies: jar });
      statuses.push(r.status);
    }
    assert.equal(statuses[0], 422);
    assert.equal(statuses.at(-1), 429, statuses.join(' '));
  } finally {
    await limited.stop();
  }
});
