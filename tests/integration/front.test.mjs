// nginx in front of the app, with the limits and log settings of scripts/nginx-conf.sh as
// they ship: every answer nginx gives itself (400, 403, 404, 405, 413, 414, 429, 502, 505)
// carries the same security headers as the app's pages and Cache-Control: no-store, and every
// static file the same security headers and a week's caching; many sign-ins from one
// address are slowed down without locking a colleague out; a burst of wrong join codes gets
// 429 while a room of 60 phones joins; and after all of that, sent with a canary Referer and
// a canary in the query, no log file holds the canaries, the client's address or a
// "client:" line.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { join } from 'node:path';
import { startStack, CookieJar, formWith, ROOT } from './stack.mjs';
import { addStaff } from './staff_steps.mjs';

const PW = 'a long facilitator pass phrase';
const REFERER = 'https://referer-canary-7q2x.example/page';
const QUERY = 'canary=q8w7e6r5';
const HEADERS = ['content-security-policy', 'x-content-type-options', 'x-frame-options',
  'referrer-policy', 'cross-origin-opener-policy', 'cross-origin-resource-policy',
  'permissions-policy'];
let stack;
let appHeaders; // the security headers of one of the app's own pages

before(async () => {
  // The join-code rate is lowered from 100 to 20 a second because the sanitizer build answers
  // only about 100 a second here: a guesser must outpace the rate for it to show. The burst
  // (500) is the one that ships.
  stack = await startStack({ nginxEnv: { NGINX_JOIN_RATE: '20r/s' } });
  addStaff(stack, 'fran', 'facilitator', PW);
  const home = await stack.get('/');
  assert.equal(home.status, 200);
  appHeaders = Object.fromEntries(HEADERS.map((h) => [h, home.headers.get(h)]));
});
after(async () => { await stack?.stop(); });

/**
 * Sends `text` as is on a new connection; resolves with { status, headers (lower-case names,
 * an array of values each), body } once the server closes it or the response is complete.
 */
function raw(text) {
  return new Promise((resolvePromise, reject) => {
    const sock = connect(stack.port, '127.0.0.1');
    const chunks = [];
    sock.setTimeout(15000, () => sock.destroy(new Error('timeout')));
    sock.on('data', (d) => chunks.push(d));
    sock.on('error', reject);
    sock.on('close', () => {
      const s = Buffer.concat(chunks).toString('latin1');
      const [head, ...rest] = s.split('\r\n\r\n');
      const lines = head.split('\r\n');
      const headers = {};
      for (const l of lines.slice(1)) {
        const i = l.indexOf(':');
        const k = l.slice(0, i).trim().toLowerCase();
        (headers[k] ??= []).push(l.slice(i + 1).trim());
      }
      resolvePromise({ status: Number(lines[0].split(' ')[1]), headers, body: rest.join('\r\n\r\n') });
    });
    sock.write(text); // not end(): nginx takes a half-closed connection for a client gone
  });
}

/**
 * A request from the loopback address `from` (127.0.0.2 is another client to nginx); its
 * status. fields (an array of pairs) make it an urlencoded POST; jar sends cookies.
 */
function requestFrom(from, path, { fields, jar } = {}) {
  const body = fields ? new URLSearchParams(fields).toString() : undefined;
  const headers = {};
  if (jar?.header()) headers.cookie = jar.header();
  if (body !== undefined) {
    headers['content-type'] = 'application/x-www-form-urlencoded';
    headers['content-length'] = Buffer.byteLength(body);
  }
  return new Promise((resolvePromise, reject) => {
    const req = httpRequest(`${stack.base}${path}`, {
      method: body === undefined ? 'GET' : 'POST', headers, localAddress: from, agent: false, timeout: 15000,
    }, (res) => {
      res.resume();
      res.on('end', () => resolvePromise(res.statusCode));
    });
    req.on('error', reject);
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.end(body);
  });
}

const getFrom = (from, path) => requestFrom(from, path);

/** A request line and the canary headers, closed, with extra header lines and a body. */
function request(method, path, { extra = [], body = '' } = {}) {
  return raw([`${method} ${path} HTTP/1.1`, 'Host: localhost', `Referer: ${REFERER}`,
    'User-Agent: ua-canary-3k9', 'Connection: close', ...extra, '', body].join('\r\n'));
}

/**
 * Fails unless res carries exactly one of each security header, equal to the app's, and one
 * Cache-Control: no-store (a static file: the week `expires` gives it, and no no-store).
 */
function assertHeaders(res, what) {
  for (const h of HEADERS) {
    assert.deepEqual(res.headers[h], [appHeaders[h]], `${what}: ${h}`);
  }
  assert.deepEqual(res.headers['cache-control'], [res.status === 200 ? 'max-age=604800' : 'no-store'],
    `${what}: cache-control`);
}

async function signInPage(jar) {
  const page = await stack.get('/staff/login', { cookies: jar });
  assert.equal(page.status, 200);
  return formWith(page.text, '/staff/login');
}

/** [status, what, send]: requests nginx answers itself, sent with the canaries. */
const NGINX_ANSWERS = [
  [400, 'duplicate Host', () => raw(`GET /?${QUERY} HTTP/1.1\r\nHost: a\r\nHost: b\r\nReferer: ${REFERER}\r\n\r\n`)],
  [400, 'a header line without a colon', () => request('GET', `/?${QUERY}`, { extra: ['No colon here'] })],
  [505, 'HTTP/9', () => raw(`GET /?${QUERY} HTTP/9.1\r\nReferer: ${REFERER}\r\n\r\n`)],
  [403, 'POST to a static file', () => request('POST', `/static/voices.css?${QUERY}`, { extra: ['Content-Length: 0'] })],
  [404, 'a static file that is not there', () => request('GET', `/static/nothing-here.css?${QUERY}`)],
  [405, 'TRACE', () => request('TRACE', `/?${QUERY}`)],
  [413, 'a body over 128k', () => request('POST', `/s/residents-2026?${QUERY}`, {
    extra: ['Content-Type: application/x-www-form-urlencoded', `Content-Length: ${200 * 1024}`],
    body: 'a'.repeat(200 * 1024),
  })],
  [414, 'a 12k address', () => request('GET', `/s/residents-2026?${QUERY}&x=${'a'.repeat(12 * 1024)}`)],
  [200, 'a static file', () => request('GET', `/static/voices.css?${QUERY}`)],
];

/** Sign-ins without a CSRF token until nginx answers 429 (at most 40); that answer, or null. */
async function loginFlood() {
  for (let i = 0; i < 40; i++) {
    const res = await request('POST', `/staff/login?${QUERY}`, {
      extra: ['Content-Type: application/x-www-form-urlencoded', 'Content-Length: 3'], body: 'a=b',
    });
    if (res.status === 429) return res;
    assert.equal(res.status, 403, 'the app refuses a form without its CSRF token');
  }
  return null;
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

test('the app sets each security header once, so nginx adds none of its own there', () => {
  for (const h of HEADERS) assert.ok(appHeaders[h], `the app sends ${h}`);
  assert.equal(appHeaders['content-security-policy'].match(/default-src/g).length, 1);
});

test('nginx\'s own answers and static files carry the full set of security headers', async () => {
  for (const [status, what, send] of NGINX_ANSWERS) {
    const res = await send();
    assert.equal(res.status, status, `${what}: ${res.body.slice(0, 200)}`);
    assertHeaders(res, what);
  }
  // 429: the sign-in limit (30 at once from one address) is the quickest to reach.
  const limited = await loginFlood();
  assert.ok(limited, 'nginx answered 429 within 40 sign-ins');
  assert.match(limited.body, /429 Too Many Requests/);
  assertHeaders(limited, '429');
  // 502: the app's socket is moved aside for a moment, so nginx cannot reach the app.
  renameSync(stack.socketPath, `${stack.socketPath}.aside`);
  try {
    const down = await request('GET', `/?${QUERY}`);
    assert.equal(down.status, 502, down.body.slice(0, 200));
    assertHeaders(down, '502');
  } finally {
    renameSync(`${stack.socketPath}.aside`, stack.socketPath);
  }
  assert.equal((await stack.get('/')).status, 200, 'the app is reached again');
});

test('sign-ins from one address are slowed down: over the limit a colleague there waits seconds, elsewhere not at all', async () => {
  const jar = new CookieJar();
  const form = await signInPage(jar);
  // Made-up names until nginx refuses (the previous test used most of the burst up).
  let refused = 0;
  for (let i = 0; i < 40 && !refused; i++) {
    const r = await stack.post('/staff/login', [...form, ['name', `x${i}`], ['password', 'p'.repeat(200)]],
      { cookies: jar });
    refused = r.status === 429;
  }
  assert.ok(refused, 'refused within 40 sign-ins');
  // Anyone at another address signs in at once.
  const elsewhere = await requestFrom('127.0.0.2', '/staff/login',
    { fields: [...form, ['name', 'fran'], ['password', PW]], jar });
  assert.equal(elsewhere, 303);
  await sleep(2100); // one sign-in every 2 s at 30 a minute
  const res = await stack.post('/staff/login', [...form, ['name', 'fran'], ['password', PW]], { cookies: jar });
  assert.equal(res.status, 303, res.text);
  assert.equal(res.location, '/staff');
});

test('a burst of wrong join codes gets 429; a room of 60 phones behind one address joins', async () => {
  // A session to join (after the next sign-in slot).
  await sleep(2100);
  const fac = new CookieJar();
  const form = await signInPage(fac);
  const signedIn = await stack.post('/staff/login', [...form, ['name', 'fran'], ['password', PW]], { cookies: fac });
  assert.equal(signedIn.status, 303, signedIn.text);
  const list = await stack.get('/staff/polls', { cookies: fac });
  const started = await stack.post('/staff/polls', [...formWith(list.text, '/staff/polls', 'name="set"'),
    ['set', 'poll-strategy-launch'], ['_nav', 'start']], { cookies: fac });
  assert.equal(started.status, 303, started.text);
  const id = started.location.split('/').pop();
  const console_ = await stack.get(`/staff/polls/${id}`, { cookies: fac });
  const code = console_.text.match(/<strong class="code">([^<]+)<\/strong>/)[1];

  // A guesser at another address, 1,000 codes, 100 at a time: 500 at once and then 20 a
  // second get through. Meanwhile a room of 60 phones behind this address joins at once.
  const alphabet = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
  const guess = () => Array.from({ length: 6 }, () => alphabet[Math.floor(Math.random() * alphabet.length)]).join('');
  const guesser = (async () => {
    const counts = {};
    const t0 = Date.now();
    for (let round = 0; round < 10; round++) {
      const rs = await Promise.all(Array.from({ length: 100 }, () => getFrom('127.0.0.2', `/j/${guess()}/state`)));
      for (const r of rs) counts[r] = (counts[r] ?? 0) + 1;
    }
    return { counts, seconds: (Date.now() - t0) / 1000 };
  })();
  await sleep(500);
  const phones = await Promise.all(Array.from({ length: 60 }, async () => {
    const jar = new CookieJar();
    const page = await stack.get(`/j/${code}`, { cookies: jar });
    const state = await stack.get(`/j/${code}/state`, { cookies: jar });
    const again = await stack.get(`/j/${code}/state`, { cookies: jar });
    return [page.status, state.status, again.status];
  }));
  const { counts, seconds } = await guesser;
  const what = `in ${seconds} s: ${JSON.stringify(counts)}`;
  assert.equal((counts[404] ?? 0) + (counts[429] ?? 0), 1000, what);
  assert.ok((counts[404] ?? 0) <= 500 + 20 * seconds + 10, what);
  assert.ok((counts[429] ?? 0) >= 300, what);
  assert.deepEqual(phones.flat().filter((s) => s !== 200), [], 'every phone joined and polled');
});

test('no log holds the client\'s address, the Referer, the user agent or the query', async () => {
  for (const [, , send] of NGINX_ANSWERS) await send();
  await loginFlood(); // a 429
  const dir = stack.dir;
  await stack.stop({ keep: true }); // flushes the buffered access log
  try {
    const logs = readdirSync(join(dir, 'nginx')).filter((f) => f.endsWith('.log'));
    assert.ok(logs.includes('access.log'), `logs: ${logs}`);
    let total = 0;
    for (const f of logs) {
      const text = readFileSync(join(dir, 'nginx', f), 'utf8');
      total += text.length;
      for (const bad of ['127.0.0.1', '127.0.0.2', 'referer-canary', 'ua-canary', 'q8w7e6r5', 'client:', 'referrer:']) {
        assert.ok(!text.includes(bad), `${f} holds "${bad}":\n${text.slice(0, 2000)}`);
      }
    }
    const access = readFileSync(join(dir, 'nginx', 'access.log'), 'utf8');
    for (const status of [400, 403, 404, 405, 413, 414, 429, 505]) {
      assert.match(access, new RegExp(` ${status} `), `the access log counts the ${status}`);
    }
    assert.ok(total > 0);
  } finally {
    if (!process.env.KEEP_TMP && existsSync(dir)) rmSync(dir, { recursive: true, force: true });
  }
});

test('of the browser\'s headers only the cookie reaches the app, and nginx\'s own answers get Cache-Control, as run and in the example', () => {
  const asRun = execFileSync(join(ROOT, 'scripts/nginx-conf.sh'),
    ['8080', '/var/lib/voices', ROOT, '/run/voices/app.sock'], { encoding: 'utf8' });
  for (const conf of [asRun,
    readFileSync(join(ROOT, 'nginx.conf.example'), 'utf8')]) {
    const live = conf.split('\n').filter((l) => !/^\s*#/.test(l)).join('\n');
    assert.match(live, /^\s*fastcgi_pass_request_headers off;/m);
    assert.deepEqual([...live.matchAll(/fastcgi_param\s+(HTTP_\w+)/g)].map((m) => m[1]),
      ['HTTP_COOKIE']);
    assert.doesNotMatch(live, /fastcgi_param\s+REMOTE_/);
    assert.match(live, /^\s*add_header Cache-Control \$voices_cache always;/m);
  }
});
