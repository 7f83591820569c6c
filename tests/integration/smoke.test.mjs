// The stack starts, answers through nginx, serves static files itself and stops cleanly.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, formFields, startStack } from './stack.mjs';

let stack;
before(async () => { stack = await startStack(); });
after(async () => { await stack?.stop(); });

test('GET /healthz answers ok', async () => {
  const r = await stack.get('/healthz');
  assert.equal(r.status, 200);
  assert.equal(r.text.trim(), 'ok');
});

test('GET /static/voices.css is served by nginx, cached, compressed', async (t) => {
  if (!existsSync(join(ROOT, 'templates/static/voices.css'))) {
    t.skip('templates/static/voices.css does not exist yet');
    return;
  }
  const r = await stack.get('/static/voices.css', { headers: { 'accept-encoding': 'gzip' } });
  assert.equal(r.status, 200);
  assert.match(r.headers.get('content-type') ?? '', /^text\/css/);
  assert.match(r.headers.get('cache-control') ?? '', /max-age=604800/);
  assert.ok(r.text.length > 0);
  // fetch decodes gzip itself; a compressed answer still says so in its headers.
  if (r.text.length >= 256) assert.equal(r.headers.get('content-encoding'), 'gzip');
});

test('GET / has the security headers', async () => {
  const r = await stack.get('/');
  assert.equal(r.status, 200);
  const csp = r.headers.get('content-security-policy') ?? '';
  assert.match(csp, /default-src '(none|self)'/, `Content-Security-Policy: ${csp}`);
  assert.equal(r.headers.get('x-content-type-options'), 'nosniff');
  assert.equal(r.headers.get('referrer-policy'), 'no-referrer');
  assert.match(r.headers.get('content-type') ?? '', /^text\/html/);
  assert.equal(r.headers.get('server'), 'nginx', 'server_tokens off: no version');
});

test('unknown paths and oversized bodies are refused', async () => {
  const missing = await stack.get('/static/no-such-file.css');
  assert.equal(missing.status, 404);
  const big = await stack.post('/s/none', { text: 'x'.repeat(200 * 1024) });
  assert.equal(big.status, 413);
});

test('formFields reads hidden inputs whatever the quoting', () => {
  const html = '<form><input type="hidden" name="csrf" value="a&amp;b&#39;c">'
    + "<input value='2' name='page' type='HIDDEN'><input type=hidden name=x value=&lt;y&gt;>"
    + '<input type="text" name="visible" value="no"></form>';
  assert.deepEqual(formFields(html), { csrf: "a&b'c", page: '2', x: '<y>' });
});
