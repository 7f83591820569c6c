// The real stack for integration tests: the app (`voices serve`) on a unix socket in a
// temporary directory, and nginx in front of it on a free loopback port, configured by
// scripts/nginx-conf.sh exactly as `make run` does.
//
//   import { startStack, CookieJar, formFields } from './stack.mjs';
//   const stack = await startStack();            // VOICES_BIN or build/asan/voices
//   const jar = new CookieJar();
//   const page = await stack.get('/s/residents-2026', { cookies: jar });
//   const next = await stack.post('/s/residents-2026', { ...formFields(page.text), q: '1' }, { cookies: jar });
//   await stack.stop();                          // throws on a sanitizer report
import { spawn, execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

const SANITIZER_PATTERNS = [/AddressSanitizer/, /LeakSanitizer/, /runtime error:/];

const live = new Set(); // children to kill if the test process ends without stop()
process.on('exit', () => {
  for (const child of live) {
    try { child.kill('SIGKILL'); } catch { /* already gone */ }
  }
});

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** A free TCP port on 127.0.0.1 (the kernel picks one; it is released before returning). */
export function freePort() {
  return new Promise((resolvePort, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolvePort(port));
    });
  });
}

function nginxPath() {
  for (const p of ['/usr/sbin/nginx', '/usr/bin/nginx']) if (existsSync(p)) return p;
  return 'nginx';
}

function collect(child, sink) {
  child.stdout?.on('data', (d) => sink.push(d.toString()));
  child.stderr?.on('data', (d) => sink.push(d.toString()));
}

function exited(child) {
  if (child.exitCode !== null || child.signalCode !== null) {
    return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  }
  return new Promise((r) => child.once('exit', (code, signal) => r({ code, signal })));
}

async function waitFor(what, test, { timeoutMs = 15000, child, logs } = {}) {
  const until = Date.now() + timeoutMs;
  for (;;) {
    if (await test()) return;
    if (child && (child.exitCode !== null || child.signalCode !== null)) {
      throw new Error(`${what}: the process exited (${child.exitCode ?? child.signalCode}) first\n${logs?.() ?? ''}`);
    }
    if (Date.now() > until) throw new Error(`${what}: not ready in ${timeoutMs} ms\n${logs?.() ?? ''}`);
    await sleep(50);
  }
}

/**
 * Starts the app and nginx. Options:
 *   bin          the app binary (default $VOICES_BIN, else build/asan/voices)
 *   surveysDir   survey definitions (default the tree's surveys/)
 *   templatesDir templates (default the tree's templates/)
 *   workers      worker processes (default 2)
 *   config       extra config lines, as an object of key: value
 *   nginxEnv     environment for scripts/nginx-conf.sh (NGINX_POST_RATE, NGINX_LOGIN_RATE,
 *                NGINX_JOIN_RATE, their _BURSTs, NGINX_ERROR_LEVEL: see that script)
 *   env          extra environment for the app
 * Returns { base, port, dir, dbPath, database, configPath, socketPath, publicKeyPath,
 *   secretKeyPath, serverSecretPath, app, nginx, get, post, sql, logs, nginxLogs, reload, stop,
 *   pg, ownerDatabase, analystDatabase }; pg is true when the app runs on PostgreSQL, and then
 *   database is the app role's connection string, ownerDatabase the schema owner's and
 *   analystDatabase the analysts' read-only role's.
 * sql(query, { write }) runs SQL on the app's database with the engine's own shell (sqlite3,
 * or psql as the owner with VOICES_TEST_PG) and returns its output, rows on lines, columns
 * split by '|'.
 */
export async function startStack(opts = {}) {
  const bin = resolve(ROOT, opts.bin ?? process.env.VOICES_BIN ?? 'build/asan/voices');
  if (!existsSync(bin)) throw new Error(`${bin} does not exist: build it first (make, or make check)`);

  const dir = mkdtempSync('/tmp/voices-test-');
  const keys = join(dir, 'keys');
  const nginxDir = join(dir, 'nginx');
  mkdirSync(keys);
  mkdirSync(nginxDir);
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const socketPath = join(dir, 'voices.sock');
  const dbPath = join(dir, 'voices.db');
  const publicKeyPath = join(keys, 'analysis.pub');
  const secretKeyPath = join(keys, 'analysis.secret');
  const serverSecretPath = join(keys, 'server.secret');
  const configPath = join(dir, 'voices.yaml');
  // With VOICES_TEST_PG (a connection string, scripts/pg-test.sh), the app's database is a
  // fresh PostgreSQL database instead of the SQLite file (or the one opts.config.database
  // names), with the roles of docs/storage.md: voices_owner owns it and runs `voices init`,
  // the app connects as voices_app, the analysts as voices_analyst.
  const pgDatabase = (d) => {
    const pg = process.env.VOICES_TEST_PG;
    if (!pg) return { database: dbPath };
    let database = opts.config?.database;
    if (!database) {
      const name = `it_${process.pid}_${Math.random().toString(16).slice(2, 10)}`;
      execFileSync('psql', [`${pg} user=voices_owner`, '-qc', `CREATE DATABASE ${name}`]);
      database = `${pg} user=voices_app dbname=${name}`;
    }
    return {
      database, database_owner: `${database} user=voices_owner`,
      database_analyst_role: 'voices_analyst', writer_socket: join(d, 'writer.sock'),
    };
  };
  const config = {
    listen: socketPath,
    ...pgDatabase(dir),
    surveys: resolve(ROOT, opts.surveysDir ?? 'surveys'),
    templates: resolve(ROOT, opts.templatesDir ?? 'templates'),
    workers: opts.workers ?? 2,
    public_key: publicKeyPath,
    secret_file: serverSecretPath,
    https: false,
    base_url: base,
    ...(opts.config ?? {}),
  };
  writeFileSync(configPath, Object.entries(config).map(([k, v]) => `${k}: ${v}\n`).join(''));

  const env = { ...process.env, ...(opts.env ?? {}) };
  const appLog = [];
  const nginxLog = [];
  const logs = () => appLog.join('');
  const nginxLogs = () => {
    let s = nginxLog.join('');
    const err = join(nginxDir, 'error.log');
    if (existsSync(err)) s += readFileSync(err, 'utf8');
    return s;
  };

  const once = async (args, what) => {
    try {
      const r = await run(bin, args, { cwd: ROOT, env, timeout: 60000 });
      appLog.push(r.stdout, r.stderr);
    } catch (e) {
      throw new Error(`${what} failed (${e.code ?? e.signal}):\n${e.stdout ?? ''}${e.stderr ?? ''}`);
    }
  };
  await once(['keygen', publicKeyPath, secretKeyPath], 'voices keygen');
  await once(['-c', configPath, 'init'], 'voices init');

  const app = spawn(bin, ['-c', configPath, 'serve'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  live.add(app);
  collect(app, appLog);
  let nginx;
  const stopAll = () => {
    for (const c of [nginx, app]) if (c && c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  };
  try {
    await waitFor('the app socket', () => existsSync(socketPath), { child: app, logs });

    const { stdout: conf } = await run(join(ROOT, 'scripts/nginx-conf.sh'), [String(port), dir, ROOT, socketPath], {
      env: { ...process.env, ...(opts.nginxEnv ?? {}) },
    });
    const confPath = join(nginxDir, 'nginx.conf');
    writeFileSync(confPath, conf);
    nginx = spawn(nginxPath(), ['-c', confPath, '-p', `${nginxDir}/`, '-g', 'daemon off;'], {
      cwd: dir, stdio: ['ignore', 'pipe', 'pipe'],
    });
    live.add(nginx);
    collect(nginx, nginxLog);

    await waitFor('GET /healthz', async () => {
      try {
        const r = await fetch(`${base}/healthz`, { redirect: 'manual', signal: AbortSignal.timeout(2000) });
        await r.arrayBuffer();
        return r.status === 200;
      } catch {
        return false;
      }
    }, { child: nginx, logs: () => `app:\n${logs()}\nnginx:\n${nginxLogs()}` });
    if (app.exitCode !== null || app.signalCode !== null) throw new Error(`the app exited:\n${logs()}`);
  } catch (e) {
    stopAll();
    throw e;
  }

  let stopped = false;
  const stop = async ({ keep = !!process.env.KEEP_TMP } = {}) => {
    if (stopped) return;
    stopped = true;
    const problems = [];
    const wait = async (child, name) => {
      const timer = setTimeout(() => {
        problems.push(`${name} did not exit within 20 s of SIGTERM; killed`);
        child.kill('SIGKILL');
      }, 20000);
      const r = await exited(child);
      clearTimeout(timer);
      live.delete(child);
      return r;
    };
    nginx.kill('SIGTERM');
    app.kill('SIGTERM');
    const [, appExit] = await Promise.all([wait(nginx, 'nginx'), wait(app, 'voices serve')]);
    if (appExit.code !== 0) problems.push(`voices serve exited with ${appExit.code ?? appExit.signal} after SIGTERM, not 0`);
    const text = logs();
    for (const p of SANITIZER_PATTERNS) {
      if (p.test(text)) problems.push(`the app's output contains "${p.source}"`);
    }
    if (problems.length) {
      throw new Error(`${problems.join('\n')}\n--- app output (${dir}) ---\n${text}`);
    }
    if (!keep) rmSync(dir, { recursive: true, force: true });
  };

  return {
    base, port, dir, dbPath, database: config.database, configPath, socketPath, publicKeyPath,
    secretKeyPath, serverSecretPath, app, nginx, logs, nginxLogs, stop,
    pg: Boolean(process.env.VOICES_TEST_PG),
    ownerDatabase: config.database_owner,
    analystDatabase: config.database_owner && `${config.database} user=voices_analyst`,
    sql: (query, { write = false } = {}) => (process.env.VOICES_TEST_PG
      ? execFileSync('psql', ['-XAtq', config.database_owner, '-c', query], { encoding: 'utf8' })
      : execFileSync('sqlite3', [...(write ? [] : ['-readonly']), dbPath, query],
        { encoding: 'utf8' })).trim(),
    get: (path, o) => get(base + path, o),
    post: (path, fields, o) => post(base + path, fields, o),
    /** Sends SIGHUP (re-read surveys and templates). */
    reload: () => app.kill('SIGHUP'),
  };
}

/** A tiny cookie jar: name → value, updated from Set-Cookie, sent as one Cookie header. */
export class CookieJar {
  constructor() { this.cookies = new Map(); }

  /** The Cookie header value, or '' when empty. */
  header() {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  get(name) { return this.cookies.get(name); }

  set(name, value) { this.cookies.set(name, value); }

  /** Takes in the Set-Cookie headers of a fetch Response. */
  update(res) {
    const lines = typeof res.headers.getSetCookie === 'function'
      ? res.headers.getSetCookie()
      : (res.headers.get('set-cookie') ? [res.headers.get('set-cookie')] : []);
    for (const line of lines) {
      const [pair, ...attrs] = line.split(';');
      const eq = pair.indexOf('=');
      if (eq < 1) continue;
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const expired = attrs.some((a) => {
        const [k, v = ''] = a.split('=').map((s) => s.trim());
        if (/^max-age$/i.test(k)) return Number(v) <= 0;
        if (/^expires$/i.test(k)) return Date.parse(v) < Date.now();
        return false;
      });
      if (expired || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }
}

async function request(url, init, { cookies, headers = {} } = {}) {
  const h = { ...headers };
  if (cookies && cookies.header()) h.cookie = cookies.header();
  const go = () => fetch(url, { ...init, headers: { ...h, ...(init.headers ?? {}) }, redirect: 'manual' });
  let res;
  try {
    res = await go();
  } catch (e) {
    // A keep-alive connection nginx closed (idle 15 s) while a test's synchronous call held
    // the event loop is found closed only when reused: a GET, which nginx never read, is
    // sent again on a new connection, as browsers do.
    if (init.method !== 'GET' || e.cause?.code !== 'UND_ERR_SOCKET') throw e;
    res = await go();
  }
  if (cookies) cookies.update(res);
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, location: res.headers.get('location'), res };
}

/** GET without following redirects. opts: { cookies: CookieJar, headers }. */
export function get(url, opts = {}) {
  return request(url, { method: 'GET' }, opts);
}

/** A survey step's own address: where a survey form's 303 leads while the form is unfinished. */
const SURVEY_STEP = /^\/s\/[^/?]+\/(p\?|check$|saved$)/;

/**
 * POST an urlencoded form. fields: an object (an array value sends the name once per
 * element, as checkboxes do), an array of [name, value] pairs, or URLSearchParams.
 * opts: { cookies: CookieJar, headers, follow }. A 303 to another redirect is returned as
 * it is, except (with cookies, unless follow is false) a survey form's 303 to the next step
 * of the same draft (/s/ID/p?n=N, /check, /saved), which is followed with a GET as a browser
 * would: the result is that page, with `redirectedFrom` holding the 303's Location.
 */
export async function post(url, fields, opts = {}) {
  const res = await postOnce(url, fields, opts);
  if (res.status !== 303 || !opts.cookies || opts.follow === false || !SURVEY_STEP.test(res.location ?? '')) {
    return res;
  }
  const page = await get(new URL(res.location, url).href, opts);
  return { ...page, redirectedFrom: res.location };
}

function postOnce(url, fields, opts = {}) {
  let body;
  if (fields instanceof URLSearchParams) body = fields;
  else {
    body = new URLSearchParams();
    const pairs = Array.isArray(fields) ? fields : Object.entries(fields ?? {});
    for (const [k, v] of pairs) {
      if (Array.isArray(v)) for (const x of v) body.append(k, String(x));
      else if (v !== undefined && v !== null) body.append(k, String(v));
    }
  }
  return request(url, {
    method: 'POST',
    body: body.toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  }, opts);
}

const ENTITIES = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };

/** Decodes HTML character references. */
export function htmlUnescape(s) {
  return s.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (m, e) => {
    if (e[0] === '#') {
      const n = e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
      return Number.isFinite(n) ? String.fromCodePoint(n) : m;
    }
    return ENTITIES[e.toLowerCase()] ?? m;
  });
}

/** The attributes of each start tag named `tag` in html, as objects (values unescaped). */
export function tags(html, tag) {
  const out = [];
  const re = new RegExp(`<${tag}\\b((?:[^>"']|"[^"]*"|'[^']*')*)>`, 'gi');
  for (const m of html.matchAll(re)) {
    const attrs = {};
    const attrRe = /([^\s=/>"']+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>"']+)))?/g;
    for (const a of m[1].matchAll(attrRe)) {
      attrs[a[1].toLowerCase()] = htmlUnescape(a[2] ?? a[3] ?? a[4] ?? '');
    }
    out.push(attrs);
  }
  return out;
}

/** The hidden inputs of a page as [name, value] pairs, in document order. */
export function formFieldPairs(html) {
  return tags(html, 'input')
    .filter((a) => (a.type ?? '').toLowerCase() === 'hidden' && a.name !== undefined)
    .map((a) => [a.name, a.value ?? '']);
}

/** The hidden fields of the first form posting to `action` that contains `marker`. */
export function formWith(html, action, marker = '') {
  for (const m of html.matchAll(/<form\b[^>]*action="([^"]*)"[^>]*>([\s\S]*?)<\/form>/g)) {
    if (htmlUnescape(m[1]) === action && m[2].includes(marker)) return formFieldPairs(m[2]);
  }
  throw new Error(`no form for ${action} with ${marker}`);
}

/** The hidden inputs of a page as an object name → value (a later one wins). */
export function formFields(html) {
  return Object.fromEntries(formFieldPairs(html));
}

/** The first form's action (resolved against pagePath) and method. */
export function formAction(html, pagePath = '/') {
  const f = tags(html, 'form')[0];
  if (!f) return null;
  const action = new URL(f.action ?? pagePath, `http://x${pagePath}`);
  return { action: action.pathname + action.search, method: (f.method ?? 'get').toUpperCase() };
}
