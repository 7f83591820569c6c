// A grid question through real nginx and the real app: each row is a fieldset of labelled
// radios named grid.row; a row left out of a required grid, an unknown code or a row given
// twice is a form error that names the row and links to its first radio; a row the grid
// does not have is a 400; nothing of a refused form is stored; the draft keeps a grid's
// answers; the check page lists each row's answer; the stored response reads back through
// voices-analyse with the row ids as question ids.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { startStack, CookieJar, formFieldPairs, tags, htmlUnescape, ROOT } from './stack.mjs';

const run = promisify(execFile);
const SURVEY = '/s/grid-test';

let stack;
let dir;

before(async () => {
  dir = mkdtempSync('/tmp/voices-grid-test-');
  mkdirSync(join(dir, 'surveys'));
  copyFileSync(join(ROOT, 'surveys', 'ui.yaml'), join(dir, 'surveys', 'ui.yaml'));
  copyFileSync(join(ROOT, 'tests/fixtures/grid/integration.yaml'), join(dir, 'surveys', 'grid-test.yaml'));
  stack = await startStack({ surveysDir: join(dir, 'surveys'),
    nginxEnv: { NGINX_POST_RATE: '1000r/s', NGINX_POST_BURST: '5000' } });
});
after(async () => {
  await stack?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const sql = (q) => stack.sql(q);
const pageId = (html) => formFieldPairs(html).find(([k]) => k === '_p')?.[1];
const step = (jar, html, nav, answers) => stack.post(SURVEY, [...formFieldPairs(html), ...answers, ['_nav', nav]], { cookies: jar });

async function begin(jar) {
  const start = await stack.get(SURVEY, { cookies: jar });
  const r = await stack.post(SURVEY, [...formFieldPairs(start.text), ['_nav', 'start']], { cookies: jar });
  assert.equal(pageId(r.text), 'worries');
  return r;
}

test('each row is a fieldset with its legend and labelled radios named grid.row', async () => {
  const r = await begin(new CookieJar());
  const rows = [...r.text.matchAll(/<fieldset class="grid-row" id="q-([a-z_]+)"[^>]*>\s*<legend class="grid-legend">([^<]+)<\/legend>/g)];
  assert.deepEqual(rows.map((m) => [m[1], htmlUnescape(m[2])]), [['knife', 'Knife crime'], ['asb', 'Anti-social behaviour']]);
  const radios = tags(r.text, 'input').filter((a) => a.type === 'radio');
  assert.equal(radios.length, 8);
  for (const a of radios) {
    assert.match(a.name, /^worry\.(knife|asb)$/);
    assert.match(r.text, new RegExp(`<label for="${a.id}">`), `radio ${a.id} has a label`);
  }
  assert.match(r.text, /<fieldset class="grid-row" id="q-asb" aria-describedby="h-asb">/);
  assert.match(r.text, /<p class="hint" id="h-asb">Noise or vandalism<\/p>/);
  assert.doesNotMatch(r.text, /<table/);
});

test('a row left out of a required grid: the message names the row and links to its first radio', async () => {
  const jar = new CookieJar();
  let r = await begin(jar);
  r = await step(jar, r.text, 'next', [['worry.knife', '2']]);
  assert.equal(r.status, 422);
  assert.match(r.text, /<a href="#q-asb-0">Answer ‘Anti-social behaviour’ – choose one of the answers for it<\/a>/);
  assert.match(r.text, /<input type="radio" id="q-asb-0" name="worry.asb" value="1">/);
  assert.match(r.text, /<p class="error" id="e-asb">Answer ‘Anti-social behaviour’/);
  assert.match(r.text, /aria-describedby="h-asb e-asb"/);
  assert.match(r.text, /name="worry.knife" value="2" checked/, 'the answered row is kept');
  assert.doesNotMatch(r.text, /href="#q-knife-0"/);
});

test('hostile grid fields: unknown row 400, unknown code and repeated row are form errors, nothing stored', async () => {
  const jar = new CookieJar();
  const page = await begin(jar);
  const unknownRow = await step(jar, page.text, 'next', [['worry.knife', '1'], ['worry.asb', '1'], ['worry.burglary', '1']]);
  assert.equal(unknownRow.status, 400);
  const otherQuestion = await step(jar, page.text, 'next', [['worry.knife', '1'], ['worry.agree_safe', '1']]);
  assert.equal(otherQuestion.status, 400);
  let r = await step(jar, page.text, 'next', [['worry.knife', '9'], ['worry.asb', '1']]);
  assert.equal(r.status, 422);
  assert.match(r.text, /<a href="#q-knife-0">‘Knife crime’ – Choose one of the answers shown<\/a>/);
  r = await step(jar, page.text, 'next', [['worry.knife', '1'], ['worry.knife', '2'], ['worry.asb', '1']]);
  assert.equal(r.status, 422);
  assert.match(r.text, /href="#q-knife-0">‘Knife crime’ – Choose no more than 1</);
  const many = Array.from({ length: 700 }, () => ['worry.knife', '1']);
  r = await step(jar, page.text, 'next', many);
  assert.ok(r.status >= 400 && r.status < 500, `700 fields: ${r.status}`);
  assert.equal(sql('SELECT count(*) FROM response'), '0');
});

test('min_rows: fewer rows answered is a form error; the draft keeps the grid; check page lists each row', async () => {
  const jar = new CookieJar();
  let r = await begin(jar);
  r = await step(jar, r.text, 'next', [['worry.knife', '3'], ['worry.asb', 'dk']]);
  assert.equal(pageId(r.text), 'agree');
  r = await step(jar, r.text, 'next', []);
  assert.equal(r.status, 422);
  assert.match(r.text, /<a href="#q-agree_safe-0">Answer at least 1 of these<\/a>/);
  assert.match(r.text, /<p class="error" id="e-agree">Answer at least 1 of these<\/p>/);
  // Back to the first page: its answers come from the draft on the server.
  r = await step(jar, r.text, 'back', []);
  assert.equal(pageId(r.text), 'worries');
  assert.match(r.text, /name="worry.knife" value="3" checked/);
  assert.match(r.text, /name="worry.asb" value="dk" checked/);
  r = await step(jar, r.text, 'next', [['worry.knife', '3'], ['worry.asb', 'dk']]);
  r = await step(jar, r.text, 'next', [['agree.agree_police', '5']]);
  assert.equal(pageId(r.text), 'check');
  assert.match(r.text, /<dt>How worried are you about each of these\?<\/dt><dd class="answer"><p>Knife crime: Very worried<\/p><p>Anti-social behaviour: Don&#39;t know<\/p>/);
  assert.match(r.text, /<p>My area is safe: Not answered<\/p><p>The police listen: 5 – Agree<\/p>/);
  const sent = await step(jar, r.text, 'submit', []);
  assert.equal(sent.status, 303);
  assert.equal(sql('SELECT count(*) FROM response'), '1');

  // Eleven more, so that the counts clear the disclosure control (10); then the analysis
  // tool reads each row as a scale question with the row's id.
  for (let i = 0; i < 11; i++) {
    const j2 = new CookieJar();
    let p = await begin(j2);
    p = await step(j2, p.text, 'next', [['worry.knife', '3'], ['worry.asb', '1']]);
    p = await step(j2, p.text, 'next', [['agree.agree_police', '5'], ['agree.agree_safe', '4']]);
    assert.equal((await step(j2, p.text, 'submit', [])).status, 303);
  }
  const bin = join(dirname(resolve(ROOT, process.env.VOICES_BIN ?? 'build/asan/voices')), 'voices-analyse');
  const out = join(dir, 'out');
  const a = await run(bin, ['report', '--db', stack.database, '--key', stack.secretKeyPath, '--out', out,
    '--surveys', join(dir, 'surveys'), '--survey', 'grid-test', '--quiet'], { cwd: ROOT, timeout: 60000 });
  assert.doesNotMatch(a.stderr, /AddressSanitizer|LeakSanitizer|runtime error:/, a.stderr);
  const j = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'));
  const table = (id) => j.tables.find((t) => t.id === id) ?? assert.fail(`no table ${id}`);
  assert.equal(table('knife').kind, 'scale');
  const row = (id, code) => table(id).rows.find((x) => x.code === code);
  assert.equal(row('knife', '3').count, 12);
  // One "Don't know" is hidden, and so is the 11 beside it, which with the base would give it away.
  assert.equal(row('asb', 'dk').suppressed, true);
  assert.equal(row('asb', '1').suppressed, true);
  assert.equal(row('agree_police', '5').count, 12);
  assert.equal(row('agree_safe', '4').count, 11);
  assert.equal(table('knife').title, 'How worried are you about each of these? \u2013 Knife crime');
  assert.equal(table('trend-worry_knife').title, table('knife').title);
  assert.equal(j.tables.some((t) => t.id === 'worry' || t.id === 'agree'), false, 'a grid is its rows');
});
