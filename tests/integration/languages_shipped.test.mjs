// The community languages that ship in surveys/lang/: every one loads with all the strings a
// respondent sees, `voices check` names each draft translation (none shows a text in English),
// drafts reach respondents only when the configuration says draft_languages: true, Arabic is
// laid out right to left, the check and privacy pages offer the language choice, and a number
// typed in Arabic-Indic digits, or with spaces round it, is taken as that number.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { startStack, CookieJar, formFieldPairs, htmlUnescape, ROOT } from './stack.mjs';

const run = promisify(execFile);
const SHIPPED = ['ar', 'bg', 'bn', 'el', 'es', 'ku', 'pl', 'pt', 'ro', 'so', 'sq', 'tr'];
const YOUNG = '/s/young-people-2026';
let drafts;	// shipped surveys, draft_languages: true (as `make run` writes it)
let plain;	// shipped surveys, the default configuration
let fixtures;	// the test surveys, whose languages are given in full in their own files
let partial;	// a survey whose Polish translation leaves texts out

/** A surveys folder: the shipped ui.yaml and Polish strings, and a half-translated survey. */
function partialDir() {
  const dir = mkdtempSync('/tmp/voices-langs-');
  mkdirSync(join(dir, 'lang/pl'), { recursive: true });
  copyFileSync(join(ROOT, 'surveys/ui.yaml'), join(dir, 'ui.yaml'));
  copyFileSync(join(ROOT, 'surveys/lang/pl/ui.yaml'), join(dir, 'lang/pl/ui.yaml'));
  writeFileSync(join(dir, 'half.yaml'), 'id: half\ntitle: Half\npages:\n  - id: p\n    questions:\n' +
    '      - {id: q, type: single, text: Which one?, hint: Choose one.,\n' +
    '         options: [{code: a, text: Apples}, {code: b, text: Pears}]}\n');
  writeFileSync(join(dir, 'lang/pl/half.yaml'), 'review: draft\ntitle: Połowa\n' +
    'questions:\n  q:\n    text: Który?\n    options: {a: Jabłka}\n');
  return dir;
}

before(async () => {
  [drafts, plain, fixtures, partial] = await Promise.all([
    startStack({ config: { draft_languages: true } }),
    startStack(),
    startStack({ surveysDir: 'tests/fixtures/surveys' }),
    startStack({ surveysDir: partialDir(), config: { draft_languages: true } }),
  ]);
});
after(async () => {
  await Promise.all([drafts?.stop(), plain?.stop(), fixtures?.stop(), partial?.stop()]);
});

/** The page's form with the first choice of every radio group ticked. */
function firstChoices(html) {
  const fields = formFieldPairs(html);
  const seen = new Set();
  for (const m of html.matchAll(/<input type="radio" id="[^"]*" name="([^"]+)" value="([^"]+)"/g))
    if (!seen.has(m[1])) {
      seen.add(m[1]);
      fields.push([m[1], m[2]]);
    }
  return fields;
}

/** The text for key in a language folder's ui.yaml (one "  key: text" line). */
function uiText(code, key) {
  const file = readFileSync(join(ROOT, 'surveys/lang', code, 'ui.yaml'), 'utf8');
  const m = file.match(new RegExp(`^ {2}${key}: "?(.*?)"?$`, 'm'));
  assert.ok(m, `${code}: ${key}`);
  return m[1];
}

test('the twelve community languages ship, each marked as a draft', () => {
  assert.deepEqual(readdirSync(join(ROOT, 'surveys/lang')).sort(), SHIPPED);
  for (const code of SHIPPED)
    assert.match(readFileSync(join(ROOT, 'surveys/lang', code, 'ui.yaml'), 'utf8'),
      /^review: draft$/m, code);
});

test('voices check loads every language and lists the draft translations, each complete', async () => {
  const bin = resolve(ROOT, process.env.VOICES_BIN ?? 'build/asan/voices');
  const r = await run(bin, ['-c', drafts.configPath, 'check'], { cwd: ROOT });
  assert.match(r.stdout, /surveys and the templates are valid/);
  assert.match(r.stdout, /Draft translations, not yet reviewed by a fluent speaker/);
  for (const code of SHIPPED)
    assert.match(r.stdout, new RegExp(`^ {2}${code} +.+: buttons and messages draft`, 'm'), code);
  for (const code of SHIPPED) {
    const block = r.stdout.split(/\n(?= {2}\S)/).find((b) => b.startsWith(`  ${code} `));
    for (const id of ['poll-knife-crime-youth', 'poll-strategy-launch', 'poll-week-of-action',
      'residents-2026', 'young-people-2026'])
      // draft and complete: a text left out would add ", N texts shown in English"
      assert.match(block, new RegExp(`^ +${id}: draft$`, 'm'), `${code}: ${id}`);
  }
});

test('every shipped language shows its own words to respondents', async () => {
  for (const code of SHIPPED) {
    const r = await drafts.get(`/?l=${code}`);
    assert.equal(r.status, 200, code);
    assert.match(r.text, new RegExp(`<html lang="${code}" dir="${code === 'ar' ? 'rtl' : 'ltr'}">`),
      code);
    assert.ok(htmlUnescape(r.text).includes(uiText(code, 'home_intro')), code);
  }
});

test('?l=ar gives the survey in Arabic, right to left; staff pages stay in English', async () => {
  const r = await drafts.get(`${YOUNG}?l=ar`);
  assert.match(r.text, /<html lang="ar" dir="rtl">/);
  assert.match(r.text, /أفكارك من أجل هارينغي أكثر أمانًا/);
  assert.match(r.text, /ابدأ الآن/);
  // a telephone number's digit groups would run right to left inside Arabic text
  assert.match(r.text, /<a class="tel" href="tel:08081689111" dir="ltr">08 08 16 89 111<\/a>/);
  for (const code of ['en', 'tr']) assert.match(r.text, new RegExp(`value="lang:${code}"`));
  assert.match(r.text, /<span class="lang current" lang="ar">العربية<\/span>/);
  const staff = await drafts.get('/staff/login?l=ar');
  assert.match(staff.text, /Staff sign-in/);
});

test('without draft_languages, drafts are not offered and ?l=ar gives English', async () => {
  const r = await plain.get(`${YOUNG}?l=ar`);
  assert.equal(r.status, 200);
  assert.match(r.text, /<html lang="en" dir="ltr">/);
  assert.doesNotMatch(r.text, /lang:ar/);
  assert.doesNotMatch(r.text, /class="langs"/, 'one language offered: no chooser');
});

test('the privacy and check pages offer the language choice', async () => {
  const privacy = await fixtures.get('/s/community-safety/privacy?l=tr');
  assert.match(privacy.text, /<html lang="tr" dir="ltr">/);
  assert.match(privacy.text, /href="\/s\/community-safety\/privacy\?l=ar" lang="ar"/);
  const ar = await fixtures.get('/s/community-safety/privacy?l=ar');
  assert.match(ar.text, /<html lang="ar" dir="rtl">/);

  const jar = new CookieJar();
  const start = await fixtures.get('/s/community-safety', { cookies: jar });
  let r = await fixtures.post('/s/community-safety', [...formFieldPairs(start.text),
    ['_nav', 'start']], { cookies: jar });
  for (let n = 0; n < 10 && !/name="_p" value="check"/.test(r.text); n++) {
    const fields = firstChoices(r.text);
    if (/name="area"/.test(r.text)) fields.push(['area', 'alexandra-park']);
    r = await fixtures.post('/s/community-safety', [...fields, ['_nav', 'next']], { cookies: jar });
  }
  assert.match(r.text, /name="_p" value="check"/, 'reached the check page');
  assert.match(r.text, /<nav class="langs"/);
  r = await fixtures.post('/s/community-safety', [...formFieldPairs(r.text), ['_nav', 'lang:ar']],
    { cookies: jar });
  assert.match(r.text, /<html lang="ar" dir="rtl">/);
  assert.match(r.text, /name="_p" value="check"/, 'still the check page');
});

test('a number in Arabic-Indic digits is that number', async () => {
  const jar = new CookieJar();
  const start = await fixtures.get('/s/community-safety?l=ar', { cookies: jar });
  let r = await fixtures.post('/s/community-safety', [...formFieldPairs(start.text),
    ['_nav', 'goto:priorities']], { cookies: jar });
  assert.match(r.text, /name="age"/);
  r = await fixtures.post('/s/community-safety', [...formFieldPairs(r.text), ['age', '\u0663\u0664'],
    ['_nav', 'next']], { cookies: jar });
  assert.equal(r.status, 200, 'not refused as "not a whole number"');
  assert.doesNotMatch(r.text, /اكتب عددًا صحيحًا|error-summary/);
  assert.match(r.text, /<dd class="answer"><p>34<\/p>/, 'the check page shows 34');
});

test('a number typed with spaces round it is stored without them', async () => {
  // A phone's keyboard often adds a space after a word it suggested; " 34 " passed the check
  // but was stored as typed, and the analysis then left the answer out of every table.
  const jar = new CookieJar();
  const start = await fixtures.get('/s/community-safety?l=tr', { cookies: jar });
  let r = await fixtures.post('/s/community-safety', [...formFieldPairs(start.text),
    ['_nav', 'goto:priorities']], { cookies: jar });
  r = await fixtures.post('/s/community-safety', [...formFieldPairs(r.text), ['age', ' \u0663\u0664 '],
    ['_nav', 'next']], { cookies: jar });
  assert.doesNotMatch(r.text, /error-summary/);
  assert.match(r.text, /<dd class="answer"><p>34<\/p>/, 'the check page shows 34, not " 34 "');
});

test('a text a translation leaves out is shown in English, marked lang="en"', async () => {
  const jar = new CookieJar();
  const start = await partial.get('/s/half?l=pl', { cookies: jar });
  assert.match(start.text, /<html lang="pl" dir="ltr">/);
  const r = await partial.post('/s/half', [...formFieldPairs(start.text), ['_nav', 'start']],
    { cookies: jar });
  assert.match(r.text, /<h1>Który\?/, "translated: no lang of its own");
  assert.match(r.text, /<label for="q-q-0">Jabłka<\/label>/);
  assert.match(r.text, /<label for="q-q-1" lang="en">Pears<\/label>/);
  assert.match(r.text, /<p class="hint" id="h-q" lang="en">Choose one.<\/p>/);
  const bin = resolve(ROOT, process.env.VOICES_BIN ?? 'build/asan/voices');
  const check = await run(bin, ['-c', partial.configPath, 'check'], { cwd: ROOT });
  assert.match(check.stdout, /half: draft, 2 texts shown in en\n/);
});
