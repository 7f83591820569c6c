// The survey dashboard and the analysts' downloads, through real nginx, on a database filled
// by `voices-analyse generate` (600 residents over 56 days, so many days and rare answers fall
// under 10). Every number the dashboard shows for the profile and the closed questions must be
// the one `voices-analyse report` writes for the same database with the secret key; small
// counts are [c], and a reader subtracting the visible counts of a line from its base cannot
// get a hidden one back. Facilitators get 403. The downloads are the report's own files
// without free text, the data dictionary is the analysis tool's, and each download leaves one
// audit row (who, survey, format) and nothing else; a HEAD gets the same headers and leaves none.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { startStack, CookieJar, formWith, htmlUnescape, ROOT } from './stack.mjs';
import { BIN, addStaff, signIn } from './staff_steps.mjs';
import { generate, writeReport } from './analyse_steps.mjs';

const SURVEY = 'residents-2026';
const DASH = `/staff/surveys/${SURVEY}/dashboard`;
const HIDDEN = '[c]';
const K = 10;
const PW = 'a long enough pass phrase';
let stack;
let out;
let tmp;
const jars = { ana: new CookieJar(), adm: new CookieJar(), fac: new CookieJar() };

async function addAndSignIn(name, role, jar) {
  addStaff(stack, name, role, PW);
  assert.equal((await signIn(stack, jar, name, PW)).location, '/staff');
}

/** RFC 4180 rows as objects keyed by the header. */
function csv(text) {
  const rows = [];
  let row = [], cell = '', q = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (q) {
      if (ch === '"' && text[i + 1] === '"') { cell += '"'; i++; } else if (ch === '"') q = false; else cell += ch;
    } else if (ch === '"') q = true;
    else if (ch === ',') { row.push(cell); cell = ''; } else if (ch === '\n') { row.push(cell.replace(/\r$/, '')); rows.push(row); row = []; cell = ''; } else cell += ch;
  }
  if (cell || row.length) { row.push(cell); rows.push(row); }
  const [head, ...body] = rows;
  return body.map((r) => Object.fromEntries(head.map((h, i) => [h, r[i]])));
}

/** The dashboard's tables: id → { rows: [{code, n, pct}], base, asked }. */
function dashTables(html) {
  const t = {};
  for (const m of html.matchAll(/<table class="dash" id="t-([^"]+)">([\s\S]*?)<\/table>\s*<p class="base muted">([\s\S]*?)<\/p>/g)) {
    const rows = [...m[2].matchAll(/<tr data-code="([^"]*)"><th scope="row">[^<]*<\/th><td class="num n">([^<]*)<\/td><td class="num p">([^<]*)<\/td>/g)]
      .map((r) => ({ code: htmlUnescape(r[1]), n: r[2], pct: r[3] }));
    const base = m[3].match(/<span class="b">([^<]*)<\/span>/)[1];
    const asked = m[3].match(/<span class="a">([^<]*)<\/span>/)?.[1];
    t[m[1]] = { rows, base, asked };
  }
  return t;
}

before(async () => {
  out = mkdtempSync('/tmp/voices-dash-');
  tmp = join(out, 'app-tmp');
  mkdirSync(tmp);
  stack = await startStack({ env: { TMPDIR: tmp } });
  await generate(stack, { n: 600, seed: 7 });
  await writeReport(stack, { survey: SURVEY, out, formats: 'csv,json' });
  await addAndSignIn('ana', 'analyst', jars.ana);
  await addAndSignIn('adm', 'admin', jars.adm);
  await addAndSignIn('fac', 'facilitator', jars.fac);
});
after(async () => {
  await stack?.stop();
  if (out && !process.env.KEEP_TMP) rmSync(out, { recursive: true, force: true });
});

test('facilitators get 403, strangers the sign-in page, an unknown survey 404', async () => {
  for (const p of [DASH, `/staff/surveys/${SURVEY}/downloads`, `/staff/surveys/${SURVEY}/findings.csv`,
    `/staff/surveys/${SURVEY}/findings.xlsx`, `/staff/surveys/${SURVEY}/dictionary.csv`,
    `/staff/surveys/${SURVEY}/findings.html`]) {
    assert.equal((await stack.get(p, { cookies: jars.fac })).status, 403, p);
    const anon = await stack.get(p);
    assert.equal(anon.status, 303, p);
    assert.equal(anon.location, '/staff/login');
  }
  assert.equal((await stack.get('/staff/surveys/no-such-survey/dashboard', { cookies: jars.ana })).status, 404);
  assert.equal((await stack.get('/staff/surveys/poll-knife-crime-youth/dashboard', { cookies: jars.ana })).status, 404);
  assert.equal((await stack.get(DASH, { cookies: jars.adm })).status, 200);
  // A survey nobody has answered yet: a page of zeros, no bars.
  const empty = await stack.get('/staff/surveys/young-people-2026/dashboard', { cookies: jars.ana });
  assert.equal(empty.status, 200);
  assert.match(empty.text, /<strong id="responses">0<\/strong>/);
  assert.doesNotMatch(empty.text, /<rect x=/);
});

test('every dashboard number is the report\'s, small ones hidden, none recoverable', async () => {
  const res = await stack.get(DASH, { cookies: jars.ana });
  assert.equal(res.status, 200);
  const dash = dashTables(res.text);
  const report = csv(readFileSync(join(out, 'tables.csv'), 'utf8'));
  const ids = [...new Set(report.filter((r) => r.section === 'profile' || r.section === 'questions').map((r) => r.table))];
  assert.ok(ids.length > 20, `tables in the report: ${ids.length}`);
  for (const want of ['day', 'channel', 'language', 'ward', 'age', 'safe_dark', 'unsafe_places', 'priority_rank'])
    assert.ok(ids.includes(want) && dash[want], `dashboard table ${want}`);
  let hidden = 0;
  for (const id of ids) {
    const rows = report.filter((r) => r.table === id);
    assert.ok(dash[id], `the dashboard has table ${id}`);
    assert.deepEqual(dash[id].rows.map((r) => [r.code, r.n, r.pct]), rows.map((r) => [r.code, r.count, r.percent]), id);
    assert.equal(dash[id].base, rows[0].base, `${id} base`);
    if (rows[0].asked) assert.equal(dash[id].asked, rows[0].asked, `${id} asked`);
    hidden += rows.filter((r) => r.count === HIDDEN).length;
  }
  assert.ok(hidden > 10, `some counts are hidden: ${hidden}`);
  const j = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'));
  assert.equal(res.text.match(/<strong id="responses">([^<]*)<\/strong>/)[1], String(j.responses ?? 600));

  // The attacker: on every line whose counts add up to a published base (one answer each),
  // no hidden count stands alone, no visible count is from 1 to 9, and no zero stands beside
  // only hidden counts.
  for (const id of ['day', 'channel', 'language', 'ward', 'age', 'safe_dark']) {
    const vals = dash[id].rows.map((r) => (r.n === HIDDEN ? null : Number(r.n)));
    const base = dash[id].base === HIDDEN ? null : Number(dash[id].base);
    const nHidden = vals.filter((v) => v === null).length;
    if (base !== null) assert.notEqual(nHidden, 1, `${id}: one hidden count beside the base ${base}`);
    for (const v of vals) assert.ok(v === null || v === 0 || v >= K, `${id}: small count ${v}`);
    if (nHidden > 0 && vals.filter((v) => v !== 0).every((v) => v === null))
      assert.ok(vals.every((v) => v === null), `${id}: zeros beside the only hidden counts`);
    if (base !== null && nHidden > 0) {
      const rest = base - vals.reduce((s, v) => s + (v ?? 0), 0);
      assert.ok(rest >= K, `${id}: the hidden counts add up to ${rest}, fewer than ${K}`);
    }
    for (const r of dash[id].rows) if (r.n === HIDDEN) assert.equal(r.pct, HIDDEN, `${id}/${r.code} percent`);
  }
  assert.ok(dash.day.rows.some((r) => r.n === HIDDEN), 'some days are hidden');

  // The chart: one bar per visible day, none for a hidden one, and the numbers in the table.
  const svg = res.text.match(/<svg class="daychart"[\s\S]*?<\/svg>/)[0];
  const bars = [...svg.matchAll(/<title>([^:]+): (\d+)<\/title>/g)].map((m) => [m[1], m[2]]);
  const shown = dash.day.rows.filter((r) => r.code !== 'other' && r.n !== HIDDEN && r.n !== '0').map((r) => [r.code, r.n]);
  assert.deepEqual(bars, shown);
  assert.match(svg, /role="img" aria-labelledby="chart-cap"/);
  assert.doesNotMatch(res.text, /<script/i);
});

test('downloads: the report\'s files without free text, the dictionary, one audit row each', async () => {
  const page = await stack.get(`/staff/surveys/${SURVEY}/downloads`, { cookies: jars.ana });
  assert.equal(page.status, 200);
  assert.match(page.text, new RegExp(`voices-analyse report --db voices-copy.db --key analysis.secret --survey ${SURVEY} --out findings/`));
  for (const f of ['findings.xlsx', 'findings.csv', 'dictionary.csv', 'findings.html'])
    assert.match(page.text, new RegExp(`href="/staff/surveys/${SURVEY}/${f.replace('.', '\\.')}"`));

  const downloads = () => Number(stack.sql("SELECT count(*) FROM audit WHERE action = 'download'").trim());
  const head = await fetch(`${stack.base}/staff/surveys/${SURVEY}/findings.csv`,
    { method: 'HEAD', headers: { cookie: jars.ana.header() }, redirect: 'manual' });
  assert.equal(head.status, 200);
  assert.equal((await head.arrayBuffer()).byteLength, 0);
  assert.equal(downloads(), 0, 'a HEAD takes nothing out: no audit row');
  const csvRes = await stack.get(`/staff/surveys/${SURVEY}/findings.csv`, { cookies: jars.ana });
  assert.equal(csvRes.status, 200);
  assert.equal(downloads(), 1, 'the GET: one audit row');
  for (const h of ['content-type', 'content-disposition', 'content-length', 'cache-control'])
    assert.equal(head.headers.get(h), csvRes.headers.get(h), `HEAD and GET: the same ${h}`);
  assert.match(csvRes.headers.get('content-type'), /^text\/csv/);
  assert.match(csvRes.headers.get('content-disposition'), new RegExp(`attachment; filename="${SURVEY}-findings.csv"`));
  const cli = readFileSync(join(out, 'tables.csv'), 'utf8').split('\r\n')
    .filter((l) => !/^"(themes|themes-other)"/.test(l) && !/^"[^"]*","themes/.test(l));
  const server = csvRes.text.split('\r\n');
  assert.deepEqual(server, cli.filter((l) => !l.startsWith('"themes"')), 'findings.csv is tables.csv less the themes');
  assert.doesNotMatch(csvRes.text, /"themes"/);

  const dict = await stack.get(`/staff/surveys/${SURVEY}/dictionary.csv`, { cookies: jars.ana });
  assert.equal(dict.text, readFileSync(join(out, 'dictionary.csv'), 'utf8'), 'the same dictionary as the analysis tool');
  const d = csv(dict.text);
  const dark = d.filter((r) => r.field === 'safe_dark');
  assert.deepEqual(dark.map((r) => r.code), ['1', '2', '3', '4', '5', 'dk']);
  assert.equal(dark[0].type, 'scale');
  assert.equal(dark[0].asked_of, 'everyone');
  assert.match(d.find((r) => r.field === 'unsafe_places').asked_of, /^safe_dark is any of 1, 2$/);
  assert.ok(d.some((r) => r.field === 'channel' && r.code === 'paper'));

  const x = await fetch(`${stack.base}/staff/surveys/${SURVEY}/findings.xlsx`,
    { headers: { cookie: jars.adm.header() }, redirect: 'manual' });
  assert.equal(x.status, 200);
  const xb = Buffer.from(await x.arrayBuffer());
  assert.equal(xb.subarray(0, 2).toString('latin1'), 'PK', 'an XLSX is a zip');
  assert.ok(xb.includes('xl/workbook.xml') && xb.includes('xl/worksheets/sheet2.xml'));

  const h = await stack.get(`/staff/surveys/${SURVEY}/findings.html`, { cookies: jars.ana });
  assert.equal(h.status, 200);
  assert.doesNotMatch(h.text, /<script/i);
  const quotes = csv(readFileSync(join(out, 'quotes.csv'), 'utf8')).map((q) => q.quote).filter(Boolean);
  assert.ok(quotes.length > 0, 'the analysts\' own report has quotes');
  for (const q of quotes) {
    assert.ok(!h.text.includes(q.slice(0, 30)), `free text in the HTML: ${q}`);
    assert.ok(!csvRes.text.includes(q.slice(0, 30)), `free text in the CSV: ${q}`);
  }

  const audit = stack.sql("SELECT staff || ' ' || action || ' ' || coalesce(detail, '') FROM audit WHERE action = 'download' ORDER BY id").trim().split('\n');
  assert.deepEqual(audit, [
    `ana download survey=${SURVEY} format=csv`,
    `ana download survey=${SURVEY} format=dictionary`,
    `adm download survey=${SURVEY} format=xlsx`,
    `ana download survey=${SURVEY} format=html`,
  ]);
  assert.deepEqual(readdirSync(tmp), [], 'nothing is left in the app\'s TMPDIR');
});

// The survey's gen (the sum of its shards') and whether its counts are kept (stored, at that gen).
const stored = () => stack.sql(`SELECT g.n || ' ' || CASE WHEN c.tally IS NOT NULL AND c.gen = g.n THEN 1 ELSE 0 END`
  + ` FROM (SELECT sum(gen) AS n FROM tally_gen WHERE survey = '${SURVEY}') g, tally_count c WHERE c.survey = '${SURVEY}'`).trim();
const sql = (q) => stack.sql(q, { write: true });
const hex = (col) => (stack.pg ? `encode(${col}, 'hex')` : `hex(${col})`);
let step = 0;
/** The dashboard, twice (counted afresh or from the kept counts, then from the kept ones), is
 * the report `voices-analyse report` writes for the database as it now is. */
async function sameAsReport(what) {
  const dir = join(out, `after-${++step}`);
  mkdirSync(dir);
  await writeReport(stack, { survey: SURVEY, out: dir, formats: 'csv' });
  const report = csv(readFileSync(join(dir, 'tables.csv'), 'utf8'))
    .filter((r) => r.section === 'profile' || r.section === 'questions');
  const n = Number(sql(`SELECT count(*) FROM response WHERE survey = '${SURVEY}'`));
  for (let i = 0; i < 2; i++) {	// counted afresh, then from what was kept
    const res = await stack.get(DASH, { cookies: jars.ana });
    assert.equal(res.status, 200, what);
    assert.equal(res.text.match(/<strong id="responses">([^<]*)<\/strong>/)[1], String(n), `${what}: responses`);
    const dash = dashTables(res.text);
    for (const id of new Set(report.map((r) => r.table))) {
      const rows = report.filter((r) => r.table === id);
      assert.deepEqual(dash[id].rows.map((r) => [r.code, r.n, r.pct]),
        rows.map((r) => [r.code, r.count, r.percent]), `${what}: ${id}`);
      assert.equal(dash[id].base, rows[0].base, `${what}: ${id} base`);
      if (rows[0].asked) assert.equal(dash[id].asked, rows[0].asked, `${what}: ${id} asked`);
    }
    assert.match(stored(), / 1$/, `${what}: the counts are kept`);
  }
}

// New responses do not make the next view count afresh: the writer adds them to the kept counts
// in the transaction that stores them (the same tally code a count uses), so right after paper
// forms are entered through nginx the row has counts again, at the new gen, before anyone looks;
// the page made from them is the report, and the view leaves them as they were (no count).
test('new responses are added to the kept counts as they are stored', async () => {
  await stack.get(DASH, { cookies: jars.ana });
  const [gen0, kept0] = stored().split(' ').map(Number);
  assert.equal(kept0, 1);
  const enter = `/staff/surveys/${SURVEY}/enter`;
  let page = await stack.get(`${enter}?c=paper`, { cookies: jars.adm });
  assert.equal(page.status, 200);
  const forms = [
    { ward: 'bruce-castle', safe_dark: '1', unsafe_places: ['parks', 'streets'], unsafe_help: 'More lighting on the path' },
    { ward: 'harringay', safe_dark: '5' },
    { ward: 'noel-park', safe_day: '3' },
    { ward: 'harringay', safe_dark: '2', unsafe_places: 'parks' },
    { ward: 'bruce-castle' },
  ];
  for (const answers of forms) {
    const fields = [...formWith(page.text, enter), ...Object.entries(answers).flatMap(([k, v]) =>
      (Array.isArray(v) ? v.map((x) => [k, x]) : [[k, v]])), ['_nav', 'save']];
    const res = await stack.post(enter, fields, { cookies: jars.adm });
    assert.equal(res.status, 303, res.text);
    page = await stack.get(res.location, { cookies: jars.adm });
  }
  assert.equal(stored(), `${gen0 + forms.length} 1`, 'kept, at the gen of the new responses');
  const before = sql(`SELECT ${hex('tally')} FROM tally_count WHERE survey = '${SURVEY}'`);
  await sameAsReport('responses entered');
  assert.equal(stored(), `${gen0 + forms.length} 1`);
  assert.equal(sql(`SELECT ${hex('tally')} FROM tally_count WHERE survey = '${SURVEY}'`), before,
    'the views used the kept counts as the writer left them');
  // Counted afresh, the same page again.
  sql(`UPDATE tally_count SET tally = NULL WHERE survey = '${SURVEY}'`);
  await sameAsReport('counted afresh after responses entered');
});

// The counts the dashboard keeps between requests (a survey's tally_count row) are those of
// the responses as they are now: after new responses written by another program than the
// writer (`generate`, which only drops the counts, as anything written by hand does), a
// retention purge, a flag and an answer changed in place, and a response moved to another
// survey, every number is still the one `voices-analyse report` writes for the database as it
// then is.
test('after new responses, a purge and changes, the dashboard is still the report', async () => {
  await stack.get(DASH, { cookies: jars.ana });
  const [gen0] = stored().split(' ').map(Number);
  await generate(stack, { n: 40, seed: 8 });
  const [gen1, kept1] = stored().split(' ').map(Number);
  assert.ok(gen1 > gen0 && kept1 === 0, 'new responses raise gen and drop the counts');
  await sameAsReport('new responses');

  // The retention purge, as an administrator runs it: keep the days from the 30th day of the
  // generated ones on (the configuration's keep_days, in a copy of the configuration).
  const first = sql(`SELECT min(day) FROM response WHERE survey = '${SURVEY}'`);
  const from = new Date(`${first}T12:00:00Z`);
  from.setUTCDate(from.getUTCDate() + 30);
  const today = new Date(`${new Date().toISOString().slice(0, 10)}T12:00:00Z`);
  const keep = Math.round((today - from) / 86400000) + 1;
  const conf = join(out, 'purge.yaml');
  execFileSync('sh', ['-c', `grep -v '^keep_days:' "$1" >"$2"; echo "keep_days: $3" >>"$2"`,
    'sh', stack.configPath, conf, String(keep)]);
  const before = Number(sql(`SELECT count(*) FROM response WHERE survey = '${SURVEY}'`));
  execFileSync(BIN, ['-c', conf, 'purge'], { cwd: ROOT });
  const left = Number(sql(`SELECT count(*) FROM response WHERE survey = '${SURVEY}'`));
  assert.ok(left > 0 && left < before, `the purge deleted some responses (${before} to ${left})`);
  assert.match(stored(), / 0$/, 'the purge dropped the counts');
  await sameAsReport('a purge');

  sql(`UPDATE response SET flagged = 1 WHERE id IN (SELECT id FROM response WHERE survey = '${SURVEY}' LIMIT 5)`);
  sql(`UPDATE response SET channel = 'paper', lang = 'pl' WHERE id IN (SELECT id FROM response`
    + ` WHERE survey = '${SURVEY}' AND channel <> 'paper' ORDER BY id DESC LIMIT 30)`);
  await sameAsReport('responses changed in place');
  // to the other survey's registered version (PostgreSQL checks the foreign key; sqlite3 does not)
  const other = "FROM survey WHERE id = 'young-people-2026' ORDER BY version DESC LIMIT 1";
  sql(`UPDATE response SET survey = 'young-people-2026', version = (SELECT version ${other}),`
    + ` def_hash = (SELECT def_hash ${other}) WHERE id IN (SELECT id FROM response`
    + ` WHERE survey = '${SURVEY}' LIMIT 25)`);
  await sameAsReport('responses moved away');
  sql(`DELETE FROM response WHERE id IN (SELECT id FROM response WHERE survey = '${SURVEY}' LIMIT 10)`);
  await sameAsReport('responses deleted');
});
