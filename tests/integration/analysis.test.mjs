// End to end from a resident's phone to the policy team's spreadsheet: 32 residents with
// known answers complete the strategy consultation over HTTP through nginx (some on paper,
// keyed in with ?c=paper, the rest online); then `voices-analyse report` reads the database
// with the analysis secret key, and every count it exports (CSV, JSON, XLSX, HTML) must equal
// what the test knows was sent, with counts from 1 to 9 hidden, no hidden count recoverable
// from a published total, and the planted free-text themes found. A last test generates a
// database for a survey with number questions and a 0-10 scale and checks their tables. With
// VOICES_TEST_PG the app's database, and the generated one, are PostgreSQL databases.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { inflateRawSync } from 'node:zlib';
import { startStack, CookieJar, formFieldPairs, htmlUnescape, tags, ROOT } from './stack.mjs';

const run = promisify(execFile);
const SURVEY = '/s/residents-2026';
const K = 10; // the survey's suppress_below
const HIDDEN = '[c]';

// ---- The residents ----------------------------------------------------------------------
// Resident i (0..31). The groups are sized so that some cells are visible (10 or more),
// some are small and must be hidden, and one table needs a second cell hidden.

const N = 32;
const KNIFE = 'Knife crime is out of control and young people keep getting stabbed';
const POLICE = 'The police never come when we report drug dealing in the stairwells';
const ABUSE = 'Domestic abuse is hidden behind closed doors on our street';
const LIGHT = 'Better street lighting on the way home';

function resident(i) {
  const a = {};
  a.channel = i % 8 < 3 ? 'paper' : 'online';                                 // 12 / 20
  a.ward = i < 15 ? 'tottenham-hale' : i < 26 ? 'crouch-end' : 'woodside';    // 15 / 11 / 6
  if (i < 29) a.safe_day = i < 12 ? '4' : i < 22 ? '2' : i < 26 ? '5' : '3';  // 12/10/4/3, 3 skip
  a.safe_dark = i < 12 ? '2' : '4';                                           // 12 / 20
  if (i < 12) {                                  // only they see "where do you feel unsafe"
    a.unsafe_places = [];
    if (i < 11) a.unsafe_places.push('streets');                               // 11
    if (i % 3 === 0) a.unsafe_places.push('transport');                        // 4
    if (i === 11) a.unsafe_places.push('parks');                               // 1
  }
  a.worry_crime = '3';                                                        // 32
  if (i < 30) a.worry_asb = i < 10 ? '4' : i < 27 ? '2' : 'dk';               // 10/17/3, 2 skip
  a.violence_focus = [];
  if (i < 20) a.violence_focus.push('knives');                                 // 20
  if (i >= 22) a.violence_focus.push('gangs');                                 // 10
  if (i % 5 === 0) a.violence_focus.push('robbery');                           // 7
  if (a.violence_focus.length === 0) delete a.violence_focus;
  a.rank = i < 16 ? { violence: 1, trust: 2, victims: 3 }                      // 16
    : i < 28 ? { trust: 1, violence: 2 }                                       // 12
      : { vawg: 1, exploitation: 2, trust: 3 };                                // 4
  if (i < 15) a.change = i === 0 ? `${KNIFE}. Email me at jo.bloggs@example.com` : KNIFE;
  else if (i < 26) a.change = POLICE;
  else if (i < 29) a.change = ABUSE;
  else a.anything_else = LIGHT;
  if (i < 29) a.age = i < 14 ? '25-34' : i < 24 ? '35-44' : i < 27 ? '45-54' : 'pnts'; // 14/10/3/2
  return a;
}

const residents = Array.from({ length: N }, (_, i) => resident(i));
const count = (pred) => residents.filter(pred).length;
const has = (q, code) => (r) => (Array.isArray(r[q]) ? r[q].includes(code) : r[q] === code);

// ---- Completing the survey over HTTP ------------------------------------------------------

let stack;
let out;

function pageId(html) {
  return formFieldPairs(html).find(([k]) => k === '_p')?.[1];
}

/** The form fields for the questions on this page that the resident answers. */
function answersFor(html, r) {
  const pairs = [];
  // Earlier answers ride along as hidden inputs: only the page's own controls count.
  const own = new Set([
    ...tags(html, 'input').filter((a) => (a.type ?? '').toLowerCase() !== 'hidden').map((a) => a.name),
    ...tags(html, 'select').map((a) => a.name),
    ...tags(html, 'textarea').map((a) => a.name),
  ]);
  // A grid's rows are named "grid.row"; the row's id is the question id the analysis reads.
  const field = (q) => (own.has(q) ? q : [...own].find((n) => n.endsWith(`.${q}`) && !n.startsWith('priority_rank.')));
  const on = (name) => own.has(name);
  for (const [q, v] of Object.entries(r)) {
    if (q === 'channel' || q === 'rank' || !field(q)) continue;
    for (const x of Array.isArray(v) ? v : [v]) pairs.push([field(q), x]);
  }
  for (const [code, pos] of Object.entries(r.rank)) {
    if (on(`priority_rank.${code}`)) pairs.push([`priority_rank.${code}`, String(pos)]);
  }
  return pairs;
}

async function complete(r) {
  const jar = new CookieJar();
  const start = await stack.get(r.channel === 'online' ? SURVEY : `${SURVEY}?c=${r.channel}`, { cookies: jar });
  assert.equal(start.status, 200);
  let page = await stack.post(SURVEY, [...formFieldPairs(start.text), ['_nav', 'start']], { cookies: jar });
  for (let n = 0; n < 40 && pageId(page.text) !== 'check'; n++) {
    const id = pageId(page.text);
    assert.equal(page.status, 200, `${id}: ${htmlUnescape(page.text.match(/class="error"[^>]*>([^<]*)/)?.[1] ?? '')}`);
    page = await stack.post(SURVEY, [...formFieldPairs(page.text), ...answersFor(page.text, r), ['_nav', 'next']], { cookies: jar });
    assert.notEqual(pageId(page.text), id, `stuck on ${id}`);
  }
  assert.equal(pageId(page.text), 'check');
  const sent = await stack.post(SURVEY, [...formFieldPairs(page.text), ['_nav', 'submit']], { cookies: jar });
  assert.equal(sent.status, 303, sent.text.slice(0, 500));
}

function analyseBin() {
  if (process.env.VOICES_ANALYSE) return resolve(ROOT, process.env.VOICES_ANALYSE);
  const app = resolve(ROOT, process.env.VOICES_BIN ?? 'build/asan/voices');
  return join(dirname(app), 'voices-analyse');
}

before(async () => {
  const bin = analyseBin();
  assert.ok(existsSync(bin), `${bin} does not exist: build it first (make, or make check)`);
  // Every resident posts from 127.0.0.1: lift the per-address POST limit for this test.
  stack = await startStack({ nginxEnv: { NGINX_POST_RATE: '1000r/s', NGINX_POST_BURST: '5000' } });
  // Four at a time: quick, and still several sessions interleaved in the app.
  for (let i = 0; i < N; i += 4) await Promise.all(residents.slice(i, i + 4).map(complete));
  out = mkdtempSync('/tmp/voices-analyse-test-');
  const args = ['report', '--db', stack.database, '--key', stack.secretKeyPath, '--out', out,
    '--surveys', join(ROOT, 'surveys'), '--date', '1 April 2026', '--quiet'];
  let r;
  try {
    r = await run(bin, args, { cwd: ROOT, timeout: 60000 });
  } catch (e) {
    throw new Error(`voices-analyse report failed (${e.code ?? e.signal}):\n${e.stdout}${e.stderr}`);
  }
  assert.doesNotMatch(r.stderr, /AddressSanitizer|LeakSanitizer|runtime error:/, r.stderr);
});

after(async () => {
  await stack?.stop();
  if (out && !process.env.KEEP_TMP) rmSync(out, { recursive: true, force: true });
});

// ---- Reading the exports ------------------------------------------------------------------

/** RFC 4180 CSV into objects keyed by the header (name is under `out`, or absolute). */
function csv(name) {
  const text = readFileSync(resolve(out, name), 'utf8').replace(/^\uFEFF/, '');
  const rows = [];
  let row = [], cell = '', quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { cell += '"'; i++; } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { row.push(cell); cell = ''; } else if (c === '\r') { /* CRLF */ } else if (c === '\n') {
      row.push(cell); rows.push(row); row = []; cell = '';
    } else cell += c;
  }
  const [head, ...body] = rows;
  return body.map((r) => Object.fromEntries(head.map((h, i) => [h, r[i]])));
}

const json = () => JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'));
const jtable = (id) => json().tables.find((t) => t.id === id) ?? assert.fail(`no table ${id} in report.json`);
const crow = (table, code) => csv('tables.csv').find((r) => r.table === table && r.code === code)
  ?? assert.fail(`no row ${table}/${code} in tables.csv`);

/** The entries of a zip file (stored or deflated), by name. */
function unzip(path) {
  const z = readFileSync(path);
  let eocd = z.length - 22;
  while (eocd >= 0 && z.readUInt32LE(eocd) !== 0x06054b50) eocd--;
  const files = new Map();
  let p = z.readUInt32LE(eocd + 16);
  for (let n = z.readUInt16LE(eocd + 10); n > 0; n--) {
    const method = z.readUInt16LE(p + 10), size = z.readUInt32LE(p + 20);
    const nameLen = z.readUInt16LE(p + 28), extra = z.readUInt16LE(p + 30), comment = z.readUInt16LE(p + 32);
    const local = z.readUInt32LE(p + 42);
    const name = z.toString('utf8', p + 46, p + 46 + nameLen);
    const start = local + 30 + z.readUInt16LE(local + 26) + z.readUInt16LE(local + 28);
    const data = z.subarray(start, start + size);
    files.set(name, (method === 8 ? inflateRawSync(data) : data).toString('utf8'));
    p += 46 + nameLen + extra + comment;
  }
  return files;
}

/** An XLSX sheet as rows of cell text, by sheet name. */
function sheet(name) {
  const files = unzip(join(out, 'report.xlsx'));
  const strings = [...files.get('xl/sharedStrings.xml').matchAll(/<si>([\s\S]*?)<\/si>/g)]
    .map((m) => htmlUnescape(m[1].replace(/<[^>]+>/g, '')));
  const names = [...files.get('xl/workbook.xml').matchAll(/<sheet [^>]*name="([^"]*)"/g)].map((m) => htmlUnescape(m[1]));
  const at = names.indexOf(name);
  assert.ok(at >= 0, `no sheet ${name} in ${names.join(', ')}`);
  const xml = files.get(`xl/worksheets/sheet${at + 1}.xml`);
  return [...xml.matchAll(/<row [^>]*>([\s\S]*?)<\/row>/g)].map((row) =>
    [...row[1].matchAll(/<c ([^>]*?)(?:\/>|>([\s\S]*?)<\/c>)/g)].map(([, attrs, body = '']) => {
      const v = body.match(/<v>([^<]*)<\/v>/)?.[1];
      if (v === undefined) return '';
      return /t="s"/.test(attrs) ? strings[Number(v)] : v;
    }));
}

/** Asserts a published count: the truth when visible, hidden whenever the truth is 1..K-1. */
function checkCount(where, shown, truth) {
  if (truth >= 1 && truth < K) assert.ok(shown === HIDDEN || shown === null, `${where}: ${truth} must be hidden, shows ${shown}`);
  else if (shown !== HIDDEN && shown !== null) assert.equal(Number(shown), truth, where);
}

/** In a table whose rows add up to its base, 0 or at least 2 of rows + base are hidden. */
function checkNotRecoverable(t) {
  const hidden = t.rows.filter((r) => r.suppressed).length + (t.base === null ? 1 : 0);
  assert.ok(hidden !== 1, `${t.id}: exactly one hidden number, recoverable from the total`);
}

// ---- The checks ---------------------------------------------------------------------------

test('responses and channels equal what was sent', () => {
  const j = json();
  assert.equal(j.responses, N);
  assert.equal(j.suppression_threshold, K);
  const t = jtable('channel');
  assert.equal(t.rows.find((r) => r.code === 'online').count, count((r) => r.channel === 'online'));
  assert.equal(t.rows.find((r) => r.code === 'paper').count, count((r) => r.channel === 'paper'));
  for (const r of t.rows.filter((x) => !['online', 'paper'].includes(x.code))) assert.equal(r.count, 0, r.code);
  assert.equal(crow('channel', 'paper').count, '12');
  assert.equal(crow('channel', 'online').percent, (100 * 20 / 32).toFixed(1));
  checkNotRecoverable(t);
});

test('every closed question: visible counts are true, small ones hidden, none recoverable', () => {
  const checks = [
    ['ward', ['tottenham-hale', 'crouch-end', 'woodside', 'highgate']],
    ['safe_day', ['1', '2', '3', '4', '5', 'dk']],
    ['safe_dark', ['1', '2', '4']],
    ['unsafe_places', ['streets', 'transport', 'parks', 'home']],
    ['worry_crime', ['1', '3']],
    ['worry_asb', ['1', '2', '4', 'dk']],
    ['violence_focus', ['knives', 'gangs', 'robbery', 'guns']],
    ['age', ['25-34', '35-44', '45-54', 'pnts', '16-17']],
  ];
  const rows = csv('tables.csv');
  for (const [q, codes] of checks) {
    const t = jtable(q);
    for (const code of codes) {
      const truth = count(has(q, code));
      const jr = t.rows.find((r) => r.code === code);
      const cr = rows.find((r) => r.table === q && r.code === code);
      checkCount(`report.json ${q}/${code}`, jr.count, truth);
      checkCount(`tables.csv ${q}/${code}`, cr.count, truth);
      assert.equal(jr.suppressed, cr.count === HIDDEN, `${q}/${code}: JSON and CSV agree`);
      if (jr.suppressed) {
        assert.equal(jr.percent, null, `${q}/${code}: no percentage of a hidden count`);
        assert.equal(cr.percent, HIDDEN);
        assert.equal(cr.ci95_low, '');
      }
    }
    if (t.kind !== 'multi') checkNotRecoverable(t);
  }
  const answered = (q) => count((r) => r[q] !== undefined);
  assert.equal(jtable('safe_day').base, answered('safe_day'));
  assert.equal(jtable('safe_day').asked, null, '3 of 32 skipped it: the number asked would say so');
  assert.equal(crow('safe_day', '4').asked, HIDDEN);
  assert.equal(jtable('unsafe_places').asked, count((r) => r.safe_dark === '2'));
  assert.equal(jtable('violence_focus').base, answered('violence_focus'));
  assert.equal(jtable('age').base, answered('age'));

  // The designed cases, spelt out.
  const jc = (q, code) => jtable(q).rows.find((r) => r.code === code);
  assert.equal(jc('ward', 'tottenham-hale').count, 15);
  assert.equal(jc('ward', 'woodside').suppressed, true);
  assert.equal(jc('ward', 'crouch-end').suppressed, true, '11 hidden too: otherwise woodside = 32 - 15 - 11');
  assert.equal(jc('age', '25-34').count, 14);
  assert.equal(jc('age', '45-54').suppressed, true);
  assert.equal(jc('age', '35-44').suppressed, true,
    '10 hidden too: otherwise 29 - 14 - 10 = 5 people would be aged 45-54 or not saying');
  assert.equal(jc('safe_day', '2').suppressed, true, 'otherwise 29 - 12 - 10 = 7 gave 5 or 3');
  assert.equal(jc('safe_day', '4').count, 12);
  assert.equal(jc('safe_day', '4').percent, Number((100 * 12 / 29).toFixed(1)));
  assert.equal(jc('violence_focus', 'knives').count, 20);
  assert.equal(jc('violence_focus', 'robbery').suppressed, true);
  assert.equal(jc('unsafe_places', 'streets').suppressed, true, '11 of 12: the one who did not tick it');
  assert.equal(jtable('unsafe_places').indicative, true);
});

test('top two of a scale is hidden when one of its points is, and true otherwise', () => {
  const day = jtable('safe_day');
  assert.equal(day.top_two_count, null, "'Very safe' is 4: the sum of the top two would give it away");
  const dark = jtable('safe_dark');
  assert.equal(dark.top_two_count, count((r) => ['4', '5'].includes(r.safe_dark)));
  const scales = csv('scales.csv');
  assert.equal(scales.find((r) => r.table === 'safe_day').top_two_count, HIDDEN);
  assert.equal(scales.find((r) => r.table === 'safe_dark').top_two_count, '20');
  assert.equal(scales.find((r) => r.table === 'safe_dark').top_two_percent, (100 * 20 / 32).toFixed(1));
});

test('ranking: ranked first and mean rank', () => {
  const t = jtable('priority_rank');
  const row = (code) => t.rows.find((r) => r.code === code);
  const first = (code) => count((r) => r.rank[code] === 1);
  const mean = (code) => {
    const ranks = residents.map((r) => r.rank[code]).filter((x) => x !== undefined);
    return ranks.reduce((s, x) => s + x, 0) / ranks.length;
  };
  assert.equal(t.base, N);
  assert.equal(row('violence').ranked_first, first('violence'));
  assert.equal(row('violence').ranked_first_percent, Number((100 * 16 / 32).toFixed(1)));
  assert.equal(row('vawg').ranked_first, null, '4 ranked it first');
  assert.equal(row('trust').ranked_first, null, '12, hidden so that vawg cannot be worked out');
  for (const code of ['violence', 'trust']) {
    assert.equal(row(code).count, count((r) => r.rank[code] !== undefined), code);
  }
  assert.equal(row('victims').count, null, 'the 4 + 4 of vawg and exploitation would be 96 - 28 - 32 - 16');
  assert.equal(row('violence').mean_rank, Number(mean('violence').toFixed(2)));
  assert.equal(row('victims').mean_rank, null, 'beside a hidden count');
  // A mean rank bounds how many ranked an option first: hidden beside a hidden first count.
  assert.equal(row('trust').mean_rank, null);
  assert.equal(row('vawg').suppressed, true);
  assert.equal(row('exploitation').suppressed, true);
  assert.equal(row('vawg').mean_rank, null);
  const csvRank = csv('rankings.csv');
  const cr = (code) => csvRank.find((r) => r.code === code);
  assert.equal(cr('violence').mean_rank, (40 / 28).toFixed(2));
  assert.equal(cr('trust').mean_rank, HIDDEN);
  assert.equal(cr('victims').mean_rank, HIDDEN);
  assert.equal(cr('vawg').ranked_first, HIDDEN);
  assert.equal(cr('trust').ranked_first, HIDDEN);
  assert.equal(cr('violence').ranked_first, '16');
});

test('free text: the planted outcome areas are found, small ones hidden, quotes only from common themes', () => {
  const j = json();
  assert.equal(j.responses_with_free_text, count((r) => r.change || r.anything_else));
  const areas = jtable('themes-areas');
  const area = (code) => areas.rows.find((r) => r.code === code);
  assert.equal(area('violence').count, count((r) => r.change?.startsWith(KNIFE)));
  assert.equal(area('trust').count, count((r) => r.change === POLICE));
  assert.equal(area('victims').count, count((r) => r.change === POLICE));
  assert.equal(area('vawg').suppressed, true, '3 wrote about domestic abuse');
  assert.equal(area('other').suppressed, true, '3 wrote only about lighting');
  assert.equal(area('exploitation').count, 0);
  assert.equal(area('reoffending').count, 0);
  const theme = (table, code) => jtable(table).rows.find((r) => r.code === code);
  assert.equal(theme('themes-violence', 'knife-crime').count, 15);
  assert.equal(theme('themes-vawg', 'domestic-abuse').suppressed, true);

  const quotes = csv('quotes.csv');
  assert.ok(quotes.some((q) => q.theme === 'knife-crime' && q.quote.startsWith(KNIFE)), 'a knife-crime quote');
  assert.ok(quotes.some((q) => q.quote === POLICE), 'a quote about the police');
  assert.ok(!quotes.some((q) => q.quote === ABUSE), 'no quote from a theme fewer than 10 raised');
  assert.ok(!quotes.some((q) => q.quote === LIGHT), 'no quote from a theme fewer than 10 raised');
  assert.equal(new Set(quotes.map((q) => q.quote)).size, quotes.length, 'each quote under one theme only');
  assert.equal(theme('themes-other', 'lighting').suppressed, true, 'the other topics are reported, 3 hidden');
  const html = readFileSync(join(out, 'report.html'), 'utf8');
  assert.ok(html.includes(`<blockquote>${KNIFE}`), 'the report quotes what people said');
  assert.ok(!html.includes(ABUSE));
});

test('free text: the answers no rule matched are counted; the coding sheet and its corrections', async () => {
  const all = jtable('themes-uncoded').rows.find((r) => r.code === 'all');
  assert.equal(all.count, 0, 'every planted answer matches a rule');
  assert.equal(all.base, count((r) => r.change) + count((r) => r.anything_else));

  const common = ['--db', stack.database, '--key', stack.secretKeyPath, '--surveys', join(ROOT, 'surveys'), '--quiet'];
  await run(analyseBin(), ['sheet', ...common, '--out', join(out, 'sheet')], { cwd: ROOT });
  const rows = csv('sheet/coding-sheet.csv');
  assert.equal(rows.length, all.base, 'one row per free-text answer');
  assert.ok(rows.every((r) => /\((codebook|codebook\/[a-z-]+\.yaml) line \d+\)/.test(r.rule)), 'each row says which rule fired');
  assert.ok(rows.every((r) => !r.text.includes('jo.bloggs')), 'the e-mail address was removed');

  // One lighting answer is corrected by hand to knife crime; the report then counts it there.
  const light = rows.find((r) => r.text === LIGHT);
  const head = Object.keys(light);
  const cell = (v) => `"${String(v).replaceAll('"', '""')}"`;
  const fixed = { ...light, 'corrected themes': 'knife-crime', note: 'checked' };
  writeFileSync(join(out, 'checked.csv'), [head, head.map((h) => fixed[h])].map((r) => r.map(cell).join(',')).join('\r\n'));
  const store = join(out, 'corrections.csv');
  await run(analyseBin(), ['corrections', 'import', join(out, 'checked.csv'), '--store', store], { cwd: ROOT });
  await run(analyseBin(), ['report', ...common, '--out', join(out, 'corrected'), '--corrections', store], { cwd: ROOT });
  const j = JSON.parse(readFileSync(join(out, 'corrected', 'report.json'), 'utf8'));
  assert.equal(j.answers_corrected_by_hand, 1);
  const knife = j.tables.find((t) => t.id === 'themes-violence').rows.find((r) => r.code === 'knife-crime');
  assert.equal(knife.count, 16, '15 by the rules and 1 by hand');
  assert.match(readFileSync(join(out, 'corrected', 'report.html'), 'utf8'), /1 free-text answers were corrected by hand/);
});

test('no export holds a personal detail or a hidden number', () => {
  const names = ['tables.csv', 'scales.csv', 'rankings.csv', 'quotes.csv', 'report.json', 'report.html'];
  const files = unzip(join(out, 'report.xlsx'));
  const texts = [...names.map((n) => readFileSync(join(out, n), 'utf8')), ...files.values()];
  for (const t of texts) assert.ok(!t.includes('jo.bloggs') && !t.includes('example.com'), 'the e-mail address was removed');

  // Every row of every CSV table whose count is hidden has no percentage or interval either,
  // and every count shown is 0 or at least K.
  for (const r of csv('tables.csv')) {
    if (r.count === HIDDEN) {
      assert.deepEqual([r.percent, r.ci95_low, r.ci95_high], [HIDDEN, '', ''], `${r.table}/${r.code}`);
    } else {
      const n = Number(r.count);
      assert.ok(n === 0 || n >= K, `${r.table}/${r.code}: ${n} published`);
    }
    if (r.base !== HIDDEN) assert.ok(Number(r.base) === 0 || Number(r.base) >= K, `${r.table}: base ${r.base}`);
  }
  for (const t of json().tables) {
    for (const r of t.rows) {
      for (const k of ['count', 'ranked_first', 'base']) {
        const v = r[k];
        if (typeof v === 'number') assert.ok(v === 0 || v >= K, `${t.id}/${r.code}.${k} = ${v}`);
      }
    }
    if (['single', 'scale', 'profile'].includes(t.kind)) checkNotRecoverable(t);
    if (typeof t.asked === 'number' && typeof t.base === 'number') {
      const skipped = t.asked - t.base;
      assert.ok(skipped === 0 || skipped >= K, `${t.id}: ${skipped} skipped, published by base and asked`);
    }
  }

  // The spreadsheet shows the same: ward in the profile sheet, the scale on its own sheet.
  const profile = sheet('Profile');
  const ward = (label) => profile.find((r) => r[0] === 'Which ward do you live in?' && r[1] === label);
  assert.equal(ward('Tottenham Hale')[3], '15');
  assert.equal(ward('Woodside')[3], HIDDEN);
  assert.equal(ward('Crouch End')[3], HIDDEN);
  assert.equal(ward('Woodside')[4], HIDDEN);
  const dayName = unzip(join(out, 'report.xlsx')).get('xl/workbook.xml').match(/name="(Q\d+ safe_day)"/)[1];
  const day = sheet(dayName);
  assert.equal(day.find((r) => r[2] === '4')[3], '12');
  assert.equal(day.find((r) => r[2] === '5')[3], HIDDEN);

  // A hidden answer is marked in the chart's own columns and has no value there (its label
  // cell follows at once), so it is left out of the chart rather than drawn as a bar of zero;
  // a shown one has its value and the label written beside its bar. Every chart has alt text.
  const verySafe = day.find((r) => r[2] === '5');
  assert.deepEqual(verySafe.slice(-2), ['Very safe [c]', HIDDEN]);
  const fairly = day.find((r) => r[2] === '4');
  assert.equal(fairly.at(-3), 'Fairly safe');
  assert.match(fairly.at(-1), /^\d+\.\d% \(\d+\.\d to \d+\.\d\)$/);
  const drawings = [...files.keys()].filter((n) => /^xl\/drawings\/drawing\d+\.xml$/.test(n));
  assert.ok(drawings.length > 0);
  for (const d of drawings) assert.match(files.get(d), /descr="Bar chart of the percentage[^"]+"/, d);

  // The ranking sheet has ranked first, its percentage and the mean rank.
  const rankName = files.get('xl/workbook.xml').match(/name="(Q\d+ priority_rank)"/)[1];
  const rank = sheet(rankName);
  assert.deepEqual(rank[3].slice(9, 12), ['Ranked first', '% ranked first', 'Mean rank']);
  const violence = rank.find((r) => r[2] === 'violence');
  assert.equal(violence[9], '16');
  assert.equal(Number(violence[10]).toFixed(3), (16 / 32).toFixed(3));
  assert.equal(Number(violence[11]).toFixed(2), (40 / 28).toFixed(2));
  assert.equal(rank.find((r) => r[2] === 'trust')[11], HIDDEN);

  // The HTML table cells: a hidden count is [c], a visible one the truth.
  const html = readFileSync(join(out, 'report.html'), 'utf8');
  assert.match(html, /<th scope="row">Tottenham Hale<\/th><td class="n">15<\/td>/);
  assert.match(html, /<th scope="row">Woodside<\/th><td class="n">\[c\]<\/td><td class="n">\[c\]<\/td>/);
  assert.doesNotMatch(html, /<script/i);
  for (const svg of html.match(/<svg[\s\S]*?<\/svg>/g) ?? []) {
    assert.match(svg, /role="img"/);
    assert.match(svg, /<title id="[^"]+">[^<]+<\/title>/, 'every chart has a text alternative');
  }
});

// ---- Number questions, from `generate` to the exports --------------------------------------

const NUMBERS_SURVEY = `id: numbers-test
version: 1
kind: survey
audience: resident
languages:
  - {code: en, name: English}
title: Numbers
intro: Test.
privacy: Test.
done: Thanks.
pages:
  - id: trust
    questions:
      - {id: trust_police, type: scale, from: 0, to: 10, required: true, low: Not at all, high: Completely, text: How much do you trust the police?}
  - id: counts
    questions:
      - {id: times, type: number, min: 0, max: 1000, bands: [0, 1, 2, 500], required: true, text: How many times did it happen?}
      - {id: years, type: number, min: 16, max: 99, text: How old are you?}
`;

test('generate and report: number questions in bands with a median, small bands hidden; every scale point given', async () => {
  const dir = join(out, 'numbers');
  mkdirSync(join(dir, 'surveys'), { recursive: true });
  copyFileSync(join(ROOT, 'surveys', 'ui.yaml'), join(dir, 'surveys', 'ui.yaml'));
  writeFileSync(join(dir, 'surveys', 'numbers-test.yaml'), NUMBERS_SURVEY);
  let db = join(dir, 'numbers.db');
  if (stack.pg) {
    const name = `numbers_${process.pid}`;
    execFileSync('psql', ['-Xq', process.env.VOICES_TEST_PG, '-c', `CREATE DATABASE ${name}`]);
    db = `${process.env.VOICES_TEST_PG} dbname=${name}`;
  }
  const common = ['--db', db, '--surveys', join(dir, 'surveys'), '--survey', 'numbers-test'];
  await run(analyseBin(), ['generate', ...common, '--n', '3000', '--seed', '3', '--pub', stack.publicKeyPath], { cwd: ROOT });
  const r = await run(analyseBin(), ['report', ...common, '--key', stack.secretKeyPath, '--out', join(dir, 'out'), '--quiet'],
    { cwd: ROOT, timeout: 60000 });
  assert.doesNotMatch(r.stderr, /AddressSanitizer|LeakSanitizer|runtime error:/, r.stderr);

  const rows = csv(join(dir, 'out', 'tables.csv'));
  const j = JSON.parse(readFileSync(join(dir, 'out', 'report.json'), 'utf8'));
  const html = readFileSync(join(dir, 'out', 'report.html'), 'utf8');

  // The top and bottom of a 0-10 scale come up in 3,000 answers, like every point between.
  for (let p = 0; p <= 10; p++) {
    const row = rows.find((x) => x.table === 'trust_police' && x.code === String(p));
    assert.ok(row && Number(row.count) >= K, `scale point ${p}: ${row?.count}`);
  }

  const times = j.tables.find((t) => t.id === 'times') ?? assert.fail('no number table in report.json');
  assert.equal(times.kind, 'number');
  assert.deepEqual(times.rows.map((x) => x.code), ['0', '1', '2-499', '500+']);
  assert.deepEqual(times.rows.map((x) => x.label), ['0', '1', '2\u2013499', '500 or more']);
  assert.equal(times.base, 3000);
  // 3,000 answers over 0..1000: a handful gave 0 and a handful 1; both are hidden.
  assert.equal(times.rows[0].suppressed, true);
  assert.equal(times.rows[1].suppressed, true);
  // Beside the 3,000 total, the two small bands would add up to a small number, so one more
  // band is hidden with them; at least one band stays shown, and what is hidden totals K or more.
  const shown = times.rows.filter((x) => !x.suppressed);
  assert.ok(shown.length >= 1 && shown.every((x) => x.count >= K), JSON.stringify(times.rows));
  assert.ok(3000 - shown.reduce((a, x) => a + x.count, 0) >= K);
  checkNotRecoverable(times);
  for (const x of times.rows) {
    const c = rows.find((y) => y.table === 'times' && y.code === x.code) ?? assert.fail(`no row times/${x.code} in tables.csv`);
    assert.equal(c.kind, 'number');
    assert.equal(c.count, x.suppressed ? HIDDEN : String(x.count));
    if (x.suppressed) assert.equal(c.percent, HIDDEN);
    assert.match(html, new RegExp(`<th scope="row">${x.label}</th><td class="n">${x.suppressed ? '\\[c\\]' : x.count.toLocaleString('en-GB')}</td>`));
  }
  // The median: a whole number in a visible band, over the answers counted.
  assert.equal(times.median_suppressed, false);
  assert.ok(Number.isInteger(times.median) && times.median >= 2 && times.median <= 1000);
  assert.equal(times.median_band, times.median < 500 ? '2\u2013499' : '500 or more');
  assert.equal(times.median_n, 3000);
  const med = csv(join(dir, 'out', 'numbers.csv')).find((x) => x.table === 'times');
  assert.deepEqual([med.median, med.median_band, med.n], [String(times.median), times.median_band, '3000']);
  assert.match(html, new RegExp(`Median: ${times.median} \\(of 3,000 answers\\)`));

  // The spreadsheet: the question's own sheet with its bands, and every median on one sheet.
  const files = unzip(join(dir, 'out', 'report.xlsx'));
  assert.match(files.get('xl/workbook.xml'), /name="Q\d+ times"/);
  assert.match(files.get('xl/workbook.xml'), /name="Numbers"/);
  assert.ok(files.get('xl/sharedStrings.xml').includes('500 or more'));

  // Default bands from min and max: 16-19, then tens, 90 and over.
  const years = j.tables.find((t) => t.id === 'years');
  assert.deepEqual(years.rows.map((x) => x.code), ['16-19', '20-29', '30-39', '40-49', '50-59', '60-69', '70-79', '80-89', '90+']);
  assert.ok(years.rows.every((x) => x.count >= K), 'about 300 answers in each band');
  assert.ok(years.median >= 16 && years.median <= 99);
});
