// The running `make cluster` (scripts/cluster.sh) as the cluster tests see it: its ports
// and app nodes from var/cluster/, the shared nginx in front of both nodes, and, per app
// node, an nginx of the test's own in front of that node alone (scripts/nginx-conf.sh with
// the node's socket), so that a test can send one request to node A and the next to node B.
//
//   import { openCluster } from './cluster.mjs';
//   const cl = await openCluster();          // throws when no cluster runs
//   await cl.nodes[0].get('/staff/login', { cookies: jar });
//   await cl.front.post(...);                // through make cluster's own nginx
//   cl.sql('SELECT count(*) FROM response'); // on the primary, with the app's role
//   await cl.close();                        // stops the per-node nginx; the cluster runs on
import { spawn, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, freePort, get, post } from '../integration/stack.mjs';

export const CLUSTER = join(ROOT, 'var/cluster');
export const BIN = join(ROOT, process.env.VOICES_BIN ?? 'build/release/voices');
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function nginxPath() {
  for (const p of ['/usr/sbin/nginx', '/usr/bin/nginx']) if (existsSync(p)) return p;
  return 'nginx';
}

/** var/cluster/ports as { port, base }. */
export function clusterPorts() {
  const file = join(CLUSTER, 'ports');
  if (!existsSync(file)) throw new Error('no cluster runs here: start one with make cluster');
  const kv = Object.fromEntries(readFileSync(file, 'utf8').trim().split('\n').map((l) => l.split('=')));
  return { port: Number(kv.port), base: Number(kv.base) };
}

/** The `database:` line of app node i's configuration (1-based). */
export function appDatabase(i = 1) {
  const conf = readFileSync(join(CLUSTER, `app${i}`, 'voices.yaml'), 'utf8');
  return conf.match(/^database: (.*)$/m)[1];
}

function client(base) {
  return {
    base,
    get: (path, o) => get(base + path, o),
    post: (path, fields, o) => post(base + path, fields, o),
  };
}

async function nodeFront(dir, i, env, socket = join(CLUSTER, `app${i}`, 'voices.sock')) {
  const port = await freePort();
  const vardir = join(dir, `node${i}`);
  mkdirSync(join(vardir, 'nginx'), { recursive: true });
  const conf = execFileSync(join(ROOT, 'scripts/nginx-conf.sh'),
    [String(port), vardir, ROOT, socket],
    { encoding: 'utf8', env: { ...process.env, ...env } });
  const confPath = join(vardir, 'nginx', 'nginx.conf');
  writeFileSync(confPath, conf);
  const child = spawn(nginxPath(), ['-c', confPath, '-p', `${vardir}/nginx/`, '-g', 'daemon off;'],
    { stdio: 'ignore' });
  const base = `http://127.0.0.1:${port}`;
  for (let t = 0; t < 200; t++) {
    try {
      if ((await fetch(`${base}/healthz`)).ok) return { ...client(base), child };
    } catch { /* not yet */ }
    await sleep(50);
  }
  child.kill('SIGKILL');
  throw new Error(`nginx in front of app node ${i} did not answer`);
}

async function waitSocket(path, child) {
  for (let t = 0; t < 300; t++) {
    if (existsSync(path)) return;
    if (child.exitCode !== null) throw new Error(`the app node exited (${child.exitCode})`);
    await sleep(50);
  }
  throw new Error(`no socket at ${path}`);
}

/**
 * One more app node of the test's own (number i, 3 and up), on the cluster's database with
 * its server secret and keys, serving the surveys in surveysDir: `voices init` registers
 * them, then `voices serve` with its own sockets, and an nginx in front of it.
 */
async function extraNode(dir, i, surveysDir, env) {
  const d = join(dir, `app${i}`);
  mkdirSync(d, { recursive: true });
  const conf = readFileSync(join(CLUSTER, 'app1', 'voices.yaml'), 'utf8')
    .replace(/^listen: .*$/m, `listen: ${d}/voices.sock`)
    .replace(/^writer_socket: .*$/m, `writer_socket: ${d}/writer.sock`)
    .replace(/^surveys: .*$/m, `surveys: ${surveysDir}`)
    .replace(/^workers: .*$/m, 'workers: 2');
  writeFileSync(join(d, 'voices.yaml'), conf);
  execFileSync(BIN, ['-c', join(d, 'voices.yaml'), 'init'], { cwd: ROOT, stdio: 'ignore' });
  const app = spawn(BIN, ['-c', join(d, 'voices.yaml'), 'serve'], { cwd: ROOT, stdio: 'ignore' });
  await waitSocket(join(d, 'voices.sock'), app);
  const front = await nodeFront(dir, i, env, join(d, 'voices.sock'));
  return { ...front, app };
}

/**
 * The running cluster. opts.nginxEnv: environment for the per-node nginx (the limits of
 * scripts/nginx-conf.sh). Returns { port, base, front, nodes, sql, voices, addNodes, close }.
 * addNodes(surveysDir) starts two more app nodes of the test's own (see extraNode), stopped
 * by close(), and returns them.
 */
export async function openCluster(opts = {}) {
  const { port, base } = clusterPorts();
  const dir = mkdtempSync('/tmp/voices-cluster-test-');
  const env = { NGINX_POST_RATE: '1000r/s', NGINX_POST_BURST: '2000', NGINX_LOGIN_RATE: '600r/m',
    NGINX_LOGIN_BURST: '100', ...(opts.nginxEnv ?? {}) };
  const nodes = [];
  try {
    for (const i of [1, 2]) nodes.push(await nodeFront(dir, i, env));
  } catch (e) {
    for (const n of nodes) n.child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
  const database = appDatabase(1);
  const extra = [];
  return {
    port, base, nodes, database,
    front: client(`http://127.0.0.1:${port}`),
    /** SQL on the primary, as the app's role; rows on lines, columns split by '|'. */
    sql: (query) => execFileSync('psql', ['-XAtq', database, '-c', query], { encoding: 'utf8' }).trim(),
    /** The voices command line with app node 1's configuration. */
    voices: (args, input) => execFileSync(BIN, ['-c', join(CLUSTER, 'app1', 'voices.yaml'), ...args],
      { cwd: ROOT, input, encoding: 'utf8' }),
    addNodes: async (surveysDir) => {
      for (const i of [3, 4]) extra.push(await extraNode(dir, i, surveysDir, env));
      return extra;
    },
    close: async () => {
      for (const n of extra) {
        n.app.kill('SIGTERM');
        await new Promise((r) => (n.app.exitCode !== null ? r() : n.app.once('exit', r)));
      }
      for (const n of [...nodes, ...extra]) {
        n.child.kill('SIGQUIT');
        await new Promise((r) => (n.child.exitCode !== null ? r() : n.child.once('exit', r)));
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
