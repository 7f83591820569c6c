// Respondents for the failure rounds of `make cluster-test`: RESPONDENTS people at once, each
// sending a survey's final submit over and over, each submission with a nonce and a marker of
// its own, while the round's fault happens.  A person who does not see the confirmation (the
// app's "try again" page, a gateway error, no answer at all) presses the button again a little
// later: the same form, the same nonce, to the next address in the list (as a load balancer
// would send it elsewhere).  Each submission is written to OUT, one JSON object a line:
//   {"m": marker key, "n": nonce, "ok": confirmed?, "sent": ms of the attempt that was confirmed,
//    "at": ms of its confirmation, "tries": attempts, "again": saw the try-again page,
//    "err": saw a gateway error or no answer, "back": sent back to the form}
// (times in ms since the epoch) and a summary line is printed at the end.
//
//   node tests/cluster/load.mjs FORM OUT URL [URL...]
//
// FORM: line 1 the Cookie header, line 2 the urlencoded final submit with @NONCE@ in place of
// the nonce (tests/bench/submit-body.mjs writes it).  Environment: RESPONDENTS (1000),
// SECONDS of load (20), GRACE_S after it during which unconfirmed people keep trying (20),
// RETRY_MS between a person's attempts (1000), TIMEOUT_MS for one attempt (30000), MARKER_BASE
// (a random start: markers are taken in turn from there).  Bounded: at most 5000 people, 600 s.
import { readFileSync, createWriteStream } from 'node:fs';
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import { markerOf, MARKERS } from './marker.mjs';

const [formFile, outFile, ...urls] = process.argv.slice(2);
if (!formFile || !outFile || urls.length === 0) {
  console.error('usage: node tests/cluster/load.mjs FORM OUT URL [URL...]');
  process.exit(2);
}
const N = Math.min(Number(process.env.RESPONDENTS ?? 1000), 5000);
const SECONDS = Math.min(Number(process.env.SECONDS ?? 20), 300);
const GRACE_S = Math.min(Number(process.env.GRACE_S ?? 20), 120);
const RETRY_MS = Number(process.env.RETRY_MS ?? 1000);
const TIMEOUT_MS = Number(process.env.TIMEOUT_MS ?? 30000);
let nextMarker = Number(process.env.MARKER_BASE ?? Math.floor(Math.random() * MARKERS));

const [cookie, template] = readFileSync(formFile, 'utf8').split('\n');
if (!template?.includes('@NONCE@')) throw new Error(`${formFile}: line 2 has no @NONCE@`);
const form = new URLSearchParams(template);
const agent = new http.Agent({ keepAlive: true, maxSockets: N * 2, maxFreeSockets: N * 2 });
const out = createWriteStream(outFile);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const t0 = Date.now();
const stopAt = t0 + SECONDS * 1000;
const giveUpAt = stopAt + GRACE_S * 1000;
const hardStop = setTimeout(() => { console.error('load: stopped after 600 s'); process.exit(3); }, 600000);

/** One POST: { kind: 'ok' | 'again' | 'back' | 'err', status }. */
function submit(url, body) {
  return new Promise((resolve) => {
    const req = http.request(url, {
      method: 'POST', agent, timeout: TIMEOUT_MS,
      headers: {
        'content-type': 'application/x-www-form-urlencoded', 'content-length': Buffer.byteLength(body), cookie,
      },
    }, (res) => {
      res.resume();
      res.on('end', () => {
        const loc = res.headers.location ?? '';
        if (res.statusCode === 303 && loc.includes('/done')) resolve({ kind: 'ok', status: 303 });
        else if (res.statusCode === 303) resolve({ kind: 'back', status: 303 });
        else if (res.statusCode === 503) resolve({ kind: 'again', status: 503 }); // the app's only 503
        else resolve({ kind: 'err', status: res.statusCode });
      });
      res.on('error', () => resolve({ kind: 'err', status: 0 }));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', () => resolve({ kind: 'err', status: 0 }));
    req.end(body);
  });
}

const totals = { submissions: 0, confirmed: 0, attempts: 0, again: 0, err: 0, back: 0, unconfirmed: 0 };
const statuses = {};
const latencies = [];

/** One person: submissions one after another until SECONDS are over. */
async function person(i) {
  let turn = i;
  while (Date.now() < stopAt) {
    const marker = markerOf(nextMarker++ % MARKERS);
    const nonce = randomBytes(16).toString('hex');
    for (const [k, v] of [...marker.fields, ['_n', nonce]]) form.set(k, v);
    const body = form.toString();
    const rec = { m: marker.key, n: nonce, ok: false, sent: 0, at: 0, tries: 0, again: false, err: false, back: false };
    totals.submissions++;
    while (Date.now() < giveUpAt) {
      const sent = Date.now();
      const r = await submit(urls[turn++ % urls.length], body);
      rec.tries++;
      totals.attempts++;
      statuses[r.status] = (statuses[r.status] ?? 0) + 1;
      if (r.kind === 'ok') {
        Object.assign(rec, { ok: true, sent, at: Date.now() });
        latencies.push(rec.at - sent);
        break;
      }
      rec[r.kind] = true;
      if (r.kind === 'back') break; // the form was refused: pressing again changes nothing
      await sleep(RETRY_MS * (0.5 + Math.random()));
    }
    for (const k of ['again', 'err', 'back']) if (rec[k]) totals[k]++;
    if (rec.ok) totals.confirmed++;
    else totals.unconfirmed++;
    out.write(`${JSON.stringify(rec)}\n`);
  }
}

await Promise.all(Array.from({ length: N }, (_, i) => person(i)));
clearTimeout(hardStop);
await new Promise((r) => out.end(r));
agent.destroy();
latencies.sort((a, b) => a - b);
const pct = (p) => latencies[Math.min(latencies.length - 1, Math.floor((latencies.length * p) / 100))] ?? 0;
console.log(`LOAD ${JSON.stringify({
  respondents: N, seconds: (Date.now() - t0) / 1000, ...totals, statuses,
  confirmed_per_s: Number((totals.confirmed / SECONDS).toFixed(1)), p50_ms: pct(50), p99_ms: pct(99),
})}`);
