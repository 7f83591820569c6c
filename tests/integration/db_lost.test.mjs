// The database connection lost under load (PostgreSQL: docs/storage.md, "When the connection
// to the database is lost"): while respondents send forms through nginx, a loop terminates
// every backend of the app's database again and again (what a failover or a restart does to
// the app's connections, the writer's in the middle of its commits included). Every form a
// respondent saw confirmed is stored exactly once, none twice; the others were told to try
// again, and sent again they are confirmed, still once each. The survey is
// tests/fixtures/faults/marker.yaml (each form carries a unique number, readable in SQL).
// On SQLite there is no connection to lose: skipped.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { startStack, CookieJar, formFields } from './stack.mjs';

const SURVEY = '/s/marker';
const NO_RATE_LIMIT = { NGINX_POST_RATE: '100000r/s', NGINX_POST_BURST: '100000' };
const TRY_AGAIN = /id="ta-h"/; // the check page's "your answers have not been sent yet" box
const PG = Boolean(process.env.VOICES_TEST_PG);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

let stack;
before(async () => {
  if (PG) stack = await startStack({ surveysDir: 'tests/fixtures/faults', workers: 4, nginxEnv: NO_RATE_LIMIT });
});
after(async () => { await stack?.stop(); });

/** A browser that has opened the survey: its cookie and the form's constant fields. */
async function respondent() {
  const jar = new CookieJar();
  const start = await stack.get(SURVEY, { cookies: jar });
  assert.equal(start.status, 200);
  const f = formFields(start.text);
  return { cookie: jar.header(), csrf: f._csrf, lang: f._l, channel: f._c };
}

/** The final submit of a filled-in form, with its own nonce. */
function form(r, marker) {
  return [['_csrf', r.csrf], ['_n', randomBytes(16).toString('hex')], ['_c', r.channel], ['_l', r.lang],
    ['_p', 'check'], ['marker', String(marker)], ['_nav', 'submit']];
}

/** POSTs fields through nginx: { status, text }, status 0 when the connection failed. */
async function post(r, fields) {
  try {
    return await stack.post(SURVEY, fields, { headers: { cookie: r.cookie } });
  } catch {
    return { status: 0, text: '' };
  }
}

/** marker → how many responses carry it. */
function storedMarkers() {
  const out = new Map();
  const rows = stack.sql("SELECT value, count(*) FROM answer WHERE question = 'marker' GROUP BY value");
  for (const line of rows.split('\n').filter(Boolean)) {
    const [v, n] = line.split('|');
    out.set(Number(v), Number(n));
  }
  return out;
}

/** Terminates every backend of the app's database (the app's connections); how many. */
function terminateAll() {
  const n = execFileSync('psql', ['-XAtq', stack.database, '-c',
    'SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity'
    + ' WHERE datname = current_database() AND pid <> pg_backend_pid()'], { encoding: 'utf8' });
  return Number(n.trim());
}

test('backends terminated again and again under load: confirmed once each, none twice', { timeout: 240000 }, async (t) => {
  if (!PG) {
    t.skip('runs on PostgreSQL only (VOICES_TEST_PG)');
    return;
  }
  const r = await respondent();
  const total = 400;
  let loading = true;
  let rounds = 0;
  let ended = 0;
  const killer = (async () => {
    while (loading) {
      await sleep(150 + Math.random() * 250);
      if (!loading) break;
      ended += terminateAll();
      rounds++;
    }
  })();
  // At least `total` forms, and more until the killer has had 8 rounds (a fast
  // machine sends 400 before it has had many).
  const markers = [];
  const results = [];
  let next = 0;
  await Promise.all(Array.from({ length: 16 }, async () => {
    while (next < total || (rounds < 8 && next < 8 * total)) {
      const i = next++;
      markers[i] = 1000 + i;
      results[i] = await post(r, form(r, markers[i]));
    }
  }));
  loading = false;
  await killer;

  const stored = storedMarkers();
  const statuses = {};
  const lost = [];
  const twice = [];
  const other = [];
  results.forEach(({ status, text }, i) => {
    const n = stored.get(markers[i]) ?? 0;
    statuses[status] = (statuses[status] ?? 0) + 1;
    if (status === 303 && n !== 1) lost.push(markers[i]);
    if (n > 1) twice.push(markers[i]);
    if (status !== 303 && !(status === 200 && TRY_AGAIN.test(text))) other.push(status);
  });
  const told = results.filter((x) => x.status !== 303).length;
  const writerLost = (stack.logs().match(/voices writer: database connection lost/g) ?? []).length;
  console.log(`# ${next} sent, ${rounds} rounds ended ${ended} backends, the writer's batches met`
    + ` ${writerLost} of them; statuses ${JSON.stringify(statuses)}`);
  assert.ok(rounds >= 5 && ended >= rounds, `the backends were ended again and again (${rounds} rounds, ${ended})`);
  assert.ok(writerLost > 0, 'the writer lost its connection');
  assert.deepEqual(lost, [], 'every confirmed form is stored exactly once');
  assert.deepEqual(twice, [], 'no form is stored twice');
  assert.deepEqual(other, [], 'a form not confirmed got the try-again page, not an error');
  assert.ok(results.filter((x) => x.status === 303).length > total / 2, 'most forms were confirmed');

  // Sent again (the same nonce), as a respondent told to try again would: confirmed, once.
  const again = await Promise.all(results.map((x, i) => (x.status === 303 ? null : post(r, forms[i]))));
  assert.deepEqual(again.filter((x) => x && x.status !== 303).map((x) => x.status), [],
    `each of the ${told} forms sent again is confirmed`);
  const after = storedMarkers();
  for (const m of markers) assert.equal(after.get(m), 1, `marker ${m} stored once`);
});
