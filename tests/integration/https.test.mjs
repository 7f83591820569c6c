// `https: true` in the config, with TLS ended before nginx (a load balancer, a proxy), so the
// app is not told the request came over https: every cookie it sets still gets Secure and
// every response carries HSTS, as docs/administrator.md promises: the CSRF cookie, a draft's
// key, a workshop phone's token and the staff session alike.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startStack, CookieJar, formFieldPairs, formWith } from './stack.mjs';
import { addStaff, signIn } from './staff_steps.mjs';

const PW = 'a long enough pass phrase';
let stack;

before(async () => { stack = await startStack({ config: { https: true } }); });
after(async () => { await stack?.stop(); });

/** The Set-Cookie lines of a response, by cookie name. */
function setCookies(res) {
  return Object.fromEntries(res.headers.getSetCookie().map((l) => [l.split('=')[0], l]));
}

function assertSecure(res, names) {
  const got = setCookies(res);
  for (const name of names) {
    assert.ok(got[name], `${name} is set: ${Object.keys(got)}`);
    assert.match(got[name], /; Secure(;|$)/, got[name]);
  }
  assert.match(res.headers.get('strict-transport-security') ?? '', /max-age=\d+/);
}

test('https: true: a respondent\'s cookies get Secure, and responses HSTS', async () => {
  const jar = new CookieJar();
  const start = await stack.get('/s/residents-2026', { cookies: jar });
  assert.equal(start.status, 200);
  assertSecure(start, ['vc']);
  const draft = await stack.post('/s/residents-2026', [...formFieldPairs(start.text), ['_nav', 'start']],
    { cookies: jar, follow: false });
  assert.equal(draft.status, 303);
  assertSecure(draft, ['vr']);
  const missing = await stack.get('/no-such-page');
  assert.equal(missing.status, 404);
  assert.match(missing.headers.get('strict-transport-security') ?? '', /max-age=\d+/);
});

test('https: true: a workshop phone\'s cookies and the staff session get Secure', async () => {
  addStaff(stack, 'fran', 'facilitator', PW);
  const fac = new CookieJar();
  const login = await signIn(stack, fac, 'fran', PW);
  assert.equal(login.location, '/staff');
  assertSecure(login, ['vs']);
  const list = await stack.get('/staff/polls', { cookies: fac });
  const started = await stack.post('/staff/polls', [...formWith(list.text, '/staff/polls'), ['_nav', 'start'],
    ['set', 'poll-knife-crime-youth']], { cookies: fac });
  assert.equal(started.status, 303, started.text);
  const console_ = await stack.get(started.location, { cookies: fac });
  const code = console_.text.match(/<strong class="code">([^<]+)<\/strong>/)[1];
  const phone = await stack.get(`/j/${code}`, { cookies: new CookieJar() });
  assert.equal(phone.status, 200);
  assertSecure(phone, ['vc', 'vp']);
});
