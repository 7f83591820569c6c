// Hostile and malformed requests, as a table, through real nginx: each gets the answer it
// should (never a 500 or a 502), the app never crashes (no worker is replaced, its log stays
// clean) and nothing is stored. tests/integration/survey.test.mjs already covers missing and
// wrong CSRF tokens, a bad channel, an unknown option, 10,000 fields and one invalid UTF-8
// sequence; this file adds the rest. The app's own body limit is set below nginx's, so both
// limits are exercised.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { request as httpRequest } from 'node:http';
import { startStack, CookieJar, formFields } from './stack.mjs';

const SURVEY = '/s/residents-2026';
const APP_MAX_BODY = 16384; // nginx's client_max_body_size is 128k
let stack;
let jar;
let fields; // the start page's hidden fields
let workersAtStart;

function sql(query) {
  return stack.sql(query);
}

function children() {
  return execFileSync('pgrep', ['-P', String(stack.app.pid)], { encoding: 'utf8' }).split('\n').filter(Boolean).sort();
}

before(async () => {
  // nginx logs upstream errors here (its default logs no request), for the last test to read.
  stack = await startStack({ config: { max_body: APP_MAX_BODY }, nginxEnv: { NGINX_ERROR_LEVEL: 'warn' } });
  jar = new CookieJar();
  const start = await stack.get(SURVEY, { cookies: jar });
  fields = formFields(start.text);
  workersAtStart = children();
});
after(async () => { await stack?.stop(); });

/** A raw request (method, path, headers, body as a string or Buffer); { status, headers, text }. */
function raw(method, path, { headers = {}, body } = {}) {
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${stack.base}${path}`, { method, headers, timeout: 15000 }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, text: Buffer.concat(chunks).toString('latin1') }));
    });
    req.on('error', reject);
    req.on('timeout', () => req.destroy(new Error('timeout')));
    if (body !== undefined) req.write(body);
    req.end();
  });
}

const FORM = 'application/x-www-form-urlencoded';

/** An urlencoded body: the start page's fields, then extra raw "name=value" text. */
function body(extra, over = {}) {
  const base = new URLSearchParams({ ...fields, ...over }).toString();
  return extra ? `${base}&${extra}` : base;
}

/** POSTs the form; a 303 to the draft's next step is followed, with the draft's cookie, as a browser would. */
async function postForm(extra, { over, type = FORM, path = SURVEY } = {}) {
  const b = body(extra, over);
  const res = await raw('POST', path, { headers: { 'content-type': type, cookie: jar.header(), 'content-length': Buffer.byteLength(b) }, body: b });
  const to = res.headers?.location ?? '';
  if (res.status !== 303 || !/^\/s\/[^/?]+\/(p\?|check$)/.test(to)) return res;
  const draft = (res.headers['set-cookie'] ?? []).map((c) => c.split(';')[0]).filter((c) => c.startsWith('vr='));
  return raw('GET', to, { headers: { cookie: [jar.header(), ...draft].join('; ') } });
}

const PAYLOAD = `'); DROP TABLE response; -- <script>alert(1)</script> "&' <b onmouseover=x>`;

const cases = [
  ['body over nginx limit (200 KiB)', () => postForm(`change=${'a'.repeat(200 * 1024)}&_nav=start`), [413]],
  ['body over the app limit, under nginx', () => postForm(`change=${'a'.repeat(APP_MAX_BODY + 1000)}&_nav=start`), [413]],
  ['NUL byte in a value', () => postForm('_nav=start&ward=bruce%00castle'), [400]],
  ['NUL byte in a name', () => postForm('_nav=start&wa%00rd=woodside'), [400]],
  ['NUL byte in free text', () => postForm('_nav=start&change=ab%00cd'), [400]],
  ['raw NUL byte in the body', () => postForm('_nav=start&change=ab\u0000cd'), [400]],
  ['overlong UTF-8 encoding of "/"', () => postForm('_nav=start&change=%C0%AF'), [400]],
  ['UTF-16 surrogate encoded as UTF-8', () => postForm('_nav=start&change=%ED%A0%80'), [400]],
  ['truncated UTF-8 at the end', () => postForm('_nav=start&change=abc%E2%82'), [400]],
  ['invalid UTF-8 in a field name', () => postForm('_nav=start&%FF%FE=1'), [400]],
  ['overlong option code', () => postForm(`_nav=submit&ward=${'x'.repeat(5000)}`, { over: { _p: 'check' } }), [400, 413, 422]],
  ['option code with markup', () => postForm('_nav=submit&ward=%3Cscript%3E', { over: { _p: 'check' } }), [422]],
  ['10,000 empty fields', () => postForm(Array.from({ length: 10000 }, () => '=').join('&')), [400, 413]],
  ['field name of 5,000 bytes', () => postForm(`${'n'.repeat(5000)}=1&_nav=start`), [400, 413]],
  ['bad percent escape', () => postForm('_nav=start&change=%G1%'), [400]],
  ['unknown survey (POST)', () => postForm('_nav=start', { path: '/s/no-such-survey' }), [403, 404]],
  ['survey id with a dot segment', () => raw('GET', '/s/../etc/passwd'), [400, 404]],
  ['NUL in the path', () => raw('GET', '/s/residents-2026%00'), [400, 404]],
  ['invalid UTF-8 in the path', () => raw('GET', '/s/%FF'), [400, 404]],
  ['unknown channel, upper case', () => raw('GET', `${SURVEY}?c=ONLINE`), [400]],
  ['unknown channel with NUL', () => raw('GET', `${SURVEY}?c=online%00`), [400]],
  ['unknown channel in the form', () => postForm('_nav=start', { over: { _c: 'x'.repeat(300) } }), [400]],
  ['unknown language', () => raw('GET', `${SURVEY}?l=%FF%FE`), [200, 400]],
  ['query of 300 fields', () => raw('GET', `${SURVEY}?${Array.from({ length: 300 }, (_, i) => `a${i}=1`).join('&')}`), [400]],
  ['very long URL (12 KiB)', () => raw('GET', `${SURVEY}?c=${'a'.repeat(12 * 1024)}`), [400, 414]],
  ['garbage cookie', () => raw('GET', SURVEY, { headers: { cookie: 'vc=%FF%00; =; ;;; a' } }), [200, 400]],
  ['content type text/plain', () => postForm('_nav=start', { type: 'text/plain' }), [415]],
  ['content type JSON', () => postForm('_nav=start', { type: 'application/json' }), [415]],
  ['content type multipart', () => postForm('_nav=start', { type: 'multipart/form-data; boundary=x' }), [415]],
  ['content type with a suffix on the form type', () => postForm('_nav=start', { type: `${FORM}-json` }), [415]],
  ['content type with a suffix, then parameters', () => postForm('_nav=start', { type: `${FORM}x; charset=utf-8` }), [415]],
  ['no content type', () => raw('POST', SURVEY, { headers: { cookie: jar.header(), 'content-length': 1 }, body: 'a' }), [415]],
  ['HEAD of the survey', () => raw('HEAD', SURVEY), [200]],
  ['PUT', () => raw('PUT', SURVEY, { headers: { 'content-type': FORM, 'content-length': 3 }, body: 'a=b' }), [405]],
  ['DELETE', () => raw('DELETE', SURVEY), [405]],
  ['OPTIONS', () => raw('OPTIONS', SURVEY), [405]],
  ['PATCH', () => raw('PATCH', SURVEY, { headers: { 'content-length': 0 } }), [405]],
  ['POST to the done page', () => postForm('_nav=start', { path: `${SURVEY}/done` }), [405]],
];

for (const [name, send, want] of cases) {
  test(`hostile: ${name} → ${want.join(' or ')}`, async () => {
    const res = await send();
    assert.ok(want.includes(res.status), `got ${res.status}: ${res.text.slice(0, 300)}`);
    assert.ok(!res.text.includes('<script>'), 'nothing sent comes back as markup');
  });
}

test('hostile: a 405 names the methods the path takes', async () => {
  for (const [method, path, allow] of [
    ['PUT', SURVEY, 'GET, HEAD, POST'],
    ['DELETE', `${SURVEY}/done`, 'GET, HEAD'],
    ['POST', `${SURVEY}/privacy`, 'GET, HEAD'],
    ['POST', '/healthz', 'GET, HEAD'],
    ['GET', '/staff/logout', 'POST'],
    ['HEAD', '/staff/logout', 'POST'],
    ['OPTIONS', '/staff/login', 'GET, HEAD, POST'],
  ]) {
    const res = await raw(method, path, { headers: { 'content-type': FORM, 'content-length': 0 } });
    assert.equal(res.status, 405, `${method} ${path}`);
    assert.equal(res.headers.allow, allow, `${method} ${path}`);
  }
});

test('hostile: SQL and HTML metacharacters in free text come back escaped on the check page', async () => {
  const res = await postForm(`_nav=lang:en&change=${encodeURIComponent(PAYLOAD)}`, { over: { _p: 'check' } });
  assert.equal(res.status, 200, res.text.slice(0, 300));
  const text = Buffer.from(res.text, 'latin1').toString('utf8');
  assert.ok(!text.includes('<script>alert(1)</script>'), 'no live script');
  assert.ok(!text.includes('<b onmouseover'), 'no live markup');
  assert.match(text, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
  assert.match(text, /DROP TABLE response/);
});

test('hostile: nothing stored, no worker replaced, no error in the app log', async () => {
  assert.equal(sql('SELECT count(*) FROM response'), '0');
  if (!stack.pg) assert.equal(sql('PRAGMA integrity_check'), 'ok');
  assert.deepEqual(children(), workersAtStart, 'no worker crashed and was replaced');
  assert.doesNotMatch(stack.logs(), /runtime error|AddressSanitizer|Segmentation|abort/i);
  assert.doesNotMatch(stack.nginxLogs(), /upstream prematurely closed|recv\(\) failed/);
  const health = await stack.get('/healthz');
  assert.equal(health.status, 200);
});
