// Load test for workshop polls: PARTICIPANTS simulated phones (default 1000) join a session
// on the local stack (127.0.0.1 only), then all vote on one question as fast as the stack
// lets them, while every phone also polls its state endpoint once a second, as poll.js does,
// and a presenter polls the live JSON every 100 ms. Prints votes per second and how long
// after the first vote the presenter JSON showed every vote.
//
//   VOICES_BIN=build/release/voices node tests/bench/poll_load.mjs
//   PARTICIPANTS=300 WORKERS=4 CONCURRENCY=100 node tests/bench/poll_load.mjs
//
// Bounded: at most PARTICIPANTS (<= 5000) phones, CONCURRENCY requests in flight, and the
// whole run stops after LIMIT_S seconds (default 120).
import { execFileSync } from 'node:child_process';
import { cpus } from 'node:os';
import { resolve } from 'node:path';
import { startStack, CookieJar, formFieldPairs, htmlUnescape, ROOT } from '../integration/stack.mjs';

const N = Math.min(Number(process.env.PARTICIPANTS ?? 1000), 5000);
const CONCURRENCY = Math.min(Number(process.env.CONCURRENCY ?? 100), 500);
const WORKERS = Number(process.env.WORKERS ?? cpus().length);
const LIMIT_S = Number(process.env.LIMIT_S ?? 120);
const BIN = resolve(ROOT, process.env.VOICES_BIN ?? 'build/release/voices');
const PW = 'a long facilitator pass phrase';

const deadline = Date.now() + LIMIT_S * 1000;
const timer = setTimeout(() => { console.error(`poll_load: stopped after ${LIMIT_S} s`); process.exit(2); }, LIMIT_S * 1000);

function formWith(html, action, marker = '') {
  for (const m of html.matchAll(/<form\b[^>]*action="([^"]*)"[^>]*>([\s\S]*?)<\/form>/g)) {
    if (htmlUnescape(m[1]) === action && m[2].includes(marker)) return formFieldPairs(m[2]);
  }
  throw new Error(`no form for ${action}`);
}

/** Runs fn(i) for i in 0..n-1 with at most `limit` at once. */
async function pool(n, limit, fn) {
  let next = 0;
  const run = async () => { while (next < n && Date.now() < deadline) await fn(next++); };
  await Promise.all(Array.from({ length: Math.min(limit, n) }, run));
}

const stack = await startStack({
  bin: BIN, workers: WORKERS,
  nginxEnv: {
    NGINX_POST_RATE: '100000r/s', NGINX_POST_BURST: '100000',
    NGINX_JOIN_RATE: '100000r/s', NGINX_JOIN_BURST: '100000',
    NGINX_LOGIN_RATE: '1000r/s', NGINX_LOGIN_BURST: '1000',
  },
});
let status = 0;
try {
  execFileSync(BIN, ['-c', stack.configPath, 'user', 'add', 'bench', '--role', 'facilitator',
    '--password-stdin'], { cwd: ROOT, input: `${PW}\n` });
  const fac = new CookieJar();
  const login = await stack.get('/staff/login', { cookies: fac });
  await stack.post('/staff/login', [...formWith(login.text, '/staff/login'), ['name', 'bench'],
    ['password', PW]], { cookies: fac });
  const list = await stack.get('/staff/polls', { cookies: fac });
  const started = await stack.post('/staff/polls', [...formWith(list.text, '/staff/polls', 'name="set"'),
    ['set', 'poll-strategy-launch'], ['_nav', 'start']], { cookies: fac });
  const id = started.location.split('/').pop();
  const console_ = await stack.get(`/staff/polls/${id}`, { cookies: fac });
  const code = console_.text.match(/<strong class="code">([^<]+)<\/strong>/)[1];
  await stack.post(`/staff/polls/${id}`, [...formWith(console_.text, `/staff/polls/${id}`, 'next'),
    ['_nav', 'next']], { cookies: fac });

  const phones = new Array(N);
  let t0 = performance.now();
  await pool(N, CONCURRENCY, async (i) => {
    const jar = new CookieJar();
    const page = await stack.get(`/j/${code}`, { cookies: jar });
    phones[i] = { jar, form: formWith(page.text, `/j/${code}`, '_q') };
  });
  const joinS = (performance.now() - t0) / 1000;
  console.log(`join: ${N} phones loaded the question in ${joinS.toFixed(2)} s (${(N / joinS).toFixed(0)} pages/s)`);

  let voting = true;
  let stateReqs = 0;
  const pollers = (async () => { // every phone asks for the state once a second
    while (voting && Date.now() < deadline) {
      const t = performance.now();
      await pool(N, CONCURRENCY, async (i) => {
        if (!voting) return;
        await stack.get(`/j/${code}/state`, { cookies: phones[i].jar });
        stateReqs++;
      });
      await new Promise((r) => setTimeout(r, Math.max(0, 1000 - (performance.now() - t))));
    }
  })();
  let seenAllAt = null;
  const presenter = (async () => {
    while (seenAllAt === null && Date.now() < deadline) {
      const r = await stack.get(`/staff/polls/${id}/live`, { cookies: fac });
      if (JSON.parse(r.text).question?.answers === N) seenAllAt = performance.now();
      else await new Promise((res) => setTimeout(res, 100));
    }
  })();

  const choices = ['east', 'west', 'elsewhere', 'pnts'];
  const latencies = [];
  let failed = 0;
  t0 = performance.now();
  await pool(N, CONCURRENCY, async (i) => {
    const t = performance.now();
    const r = await stack.post(`/j/${code}`, [...phones[i].form, ['area', choices[i % 4]]], { cookies: phones[i].jar });
    latencies.push(performance.now() - t);
    if (r.status !== 303 || r.location !== `/j/${code}`) failed++;
  });
  const lastAck = performance.now();
  await presenter;
  voting = false;
  await pollers;
  const voteS = (lastAck - t0) / 1000;
  latencies.sort((a, b) => a - b);
  const pct = (p) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))].toFixed(1);
  console.log(`votes: ${N - failed} of ${N} acknowledged in ${voteS.toFixed(2)} s = ${((N - failed) / voteS).toFixed(0)} votes/s `
    + `(latency p50 ${pct(0.5)} ms, p99 ${pct(0.99)} ms; ${CONCURRENCY} in flight; ${WORKERS} workers; `
    + `${stateReqs} state requests alongside)`);
  if (seenAllAt === null) {
    console.log('presenter: never showed all votes');
    status = 1;
  } else {
    console.log(`presenter: live JSON showed all ${N} votes ${((seenAllAt - t0) / 1000).toFixed(2)} s after the first vote, `
      + `${Math.max(0, seenAllAt - lastAck).toFixed(0)} ms after the last was acknowledged`);
  }
  if (failed) status = 1;
} finally {
  await stack.stop();
  clearTimeout(timer);
}
process.exit(status);
