// One response per device: a survey with `one_per_device: true` gives each browser a random
// cookie and, through real nginx and the writer, refuses a second response from the same
// browser (told so plainly, in the survey's language, with the help box), while the same
// form sent twice still gets the confirmation, another browser can answer, and the device
// table holds nothing but the survey and a keyed hash. A survey without it sets no cookie.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startStack, CookieJar, formFieldPairs, formFields, ROOT } from './stack.mjs';
import { markerSurvey } from './survey_steps.mjs';

const ONCE = '/s/once';
const MANY = '/s/many';
const RECEIVED = /Answers from this device have already been received/;

const once = `# One response per device (tests/integration/device.test.mjs).
id: once
languages:
  - {code: en, name: English}
  - {code: tr, name: Türkçe}
one_per_device: true
title: {en: Once per device, tr: Cihaz başına bir kez}
help_title: {en: If you need help now, tr: Hemen yardım almak için}
help:
  - {name: {en: Emergency, tr: Acil}, detail: {en: If you are in danger now, tr: Şu anda tehlikedeyseniz}, tel: "999"}
pages:
  - id: one
    questions:
      - {id: marker, type: number, required: true, min: 1, max: 1000000, text: {en: Marker, tr: İşaret}}
`;
const many = markerSurvey({ id: 'many', title: 'Any number per device', comment: 'The same without one_per_device.' });

let stack;
let dir;

before(async () => {
  dir = mkdtempSync('/tmp/voices-device-');
  copyFileSync(join(ROOT, 'tests/fixtures/ui.yaml'), join(dir, 'ui.yaml'));
  writeFileSync(join(dir, 'once.yaml'), once);
  writeFileSync(join(dir, 'many.yaml'), many);
  stack = await startStack({ surveysDir: dir });
});
after(async () => {
  await stack?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function sql(query) {
  return stack.sql(query);
}

const count = (survey) => sql(`SELECT count(*) FROM response WHERE survey = '${survey}'`);

/** The final submit of a filled-in form, built from a start page's fields, with a new nonce. */
function submitForm(startHtml, marker, lang = 'en') {
  const f = formFields(startHtml);
  return [['_csrf', f._csrf], ['_n', randomBytes(16).toString('hex')], ['_c', f._c], ['_l', lang],
    ['_p', 'check'], ['marker', String(marker)], ['_nav', 'submit']];
}

/** A browser that opened a survey's start page: its jar and the page. */
async function open(path) {
  const jar = new CookieJar();
  const start = await stack.get(path, { cookies: jar });
  assert.equal(start.status, 200);
  return { jar, start };
}

test('a browser answers once; the same form again is confirmed; a second response is refused', async () => {
  const { jar, start } = await open(ONCE);
  const cookie = start.headers.getSetCookie().find((c) => c.startsWith('vd='));
  assert.ok(cookie, 'the start page gives the browser its device cookie');
  assert.match(cookie, /^vd=[0-9a-f]{32}; Path=\/s\/once; Max-Age=31536000; HttpOnly; SameSite=Lax$/);
  assert.match(start.text, /random number in a cookie/, 'the start page says what the cookie is for');

  // The real journey: start, the question, the check page, send.
  let r = await stack.post(ONCE, [...formFieldPairs(start.text), ['_nav', 'start']], { cookies: jar });
  assert.equal(r.status, 200);
  r = await stack.post(ONCE, [...formFieldPairs(r.text), ['marker', '1'], ['_nav', 'next']], { cookies: jar });
  assert.equal(r.status, 200);
  const sendForm = [...formFieldPairs(r.text), ['_nav', 'submit']];
  const sent = await stack.post(ONCE, sendForm, { cookies: jar });
  assert.equal(sent.status, 303, sent.text);
  const done = await stack.get(sent.location, { cookies: jar });
  assert.equal(done.status, 200);
  assert.doesNotMatch(done.text, /href="\/s\/once\?/, 'no "start a new response" link');

  // A double tap or a refresh: the normal confirmation, still one response.
  const again = await stack.post(ONCE, sendForm, { cookies: jar });
  assert.equal(again.status, 303);
  assert.match(again.location, /^\/s\/once\/done/);
  assert.equal(count('once'), '1');
  assert.equal(sql("SELECT count(*) FROM device WHERE survey = 'once'"), '1');

  // Back on the start page: told plainly, no way to start, the help box still there.
  const back = await stack.get(ONCE, { cookies: jar });
  assert.equal(back.status, 200);
  assert.match(back.text, RECEIVED);
  assert.doesNotMatch(back.text, /value="start"/);
  assert.match(back.text, /id="help"/);
  assert.match(back.text, /tel:999/);
  assert.equal(back.headers.getSetCookie().some((c) => c.startsWith('vd=')), false, 'the cookie is kept');

  // The start button of a page opened before, and a new form sent to the end: both refused.
  r = await stack.post(ONCE, [...formFieldPairs(start.text), ['_nav', 'start']], { cookies: jar });
  assert.equal(r.status, 200);
  assert.match(r.text, RECEIVED);
  r = await stack.post(ONCE, submitForm(start.text, 2), { cookies: jar });
  assert.equal(r.status, 409);
  assert.match(r.text, RECEIVED);
  assert.match(r.text, /id="help"/);

  // In the language the form was filled in.
  r = await stack.post(ONCE, submitForm(start.text, 3, 'tr'), { cookies: jar });
  assert.equal(r.status, 409);
  assert.match(r.text, /<html lang="tr"/);
  assert.match(r.text, /Bu cihazdan yanıtlar zaten alındı/);
  assert.match(r.text, /Hemen yardım almak için/);

  assert.equal(count('once'), '1', 'nothing of a refused response is stored');
  assert.equal(sql("SELECT count(*) FROM answer WHERE question = 'marker' AND value <> '1'"), '0');
  assert.equal(sql('SELECT count(*) FROM device'), '1');

  // Another browser (or this one with its cookies cleared) can answer.
  const other = await open(ONCE);
  r = await stack.post(ONCE, submitForm(other.start.text, 4), { cookies: other.jar });
  assert.equal(r.status, 303);
  assert.equal(count('once'), '2');
  assert.equal(sql("SELECT count(*) FROM device WHERE survey = 'once'"), '2');

  // A browser that lost its cookie on the way is given one with the confirmation.
  const lost = await open(ONCE);
  lost.jar.cookies.delete('vd');
  r = await stack.post(ONCE, submitForm(lost.start.text, 5), { cookies: lost.jar });
  assert.equal(r.status, 303);
  assert.ok(lost.jar.get('vd'));
  r = await stack.post(ONCE, submitForm(lost.start.text, 6), { cookies: lost.jar });
  assert.equal(r.status, 409);
  assert.equal(count('once'), '3');

  // The cookie value itself is nowhere in the database files.
  for (const s of ['', '-wal']) {
    let bytes;
    try { bytes = readFileSync(stack.dbPath + s); } catch { continue; }
    assert.equal(bytes.includes(jar.get('vd')), false);
  }
});

test('the device table holds a survey id and a keyed hash, nothing else, in key order', () => {
  if (stack.pg) {
    assert.equal(sql("SELECT string_agg(column_name, ',' ORDER BY ordinal_position) FROM information_schema.columns WHERE table_name = 'device'"), 'survey,hash');
  } else {
    assert.equal(sql("SELECT group_concat(name, ',') FROM pragma_table_info('device')"), 'survey,hash');
    assert.match(sql("SELECT sql FROM sqlite_schema WHERE name = 'device'"), /WITHOUT ROWID/);
  }
  assert.equal(sql('SELECT count(*) FROM device WHERE length(hash) <> 32'), '0');
});

test('a survey without one_per_device sets no device cookie and takes any number of responses', async () => {
  const { jar, start } = await open(MANY);
  assert.equal(start.headers.getSetCookie().some((c) => c.startsWith('vd=')), false);
  assert.doesNotMatch(start.text, /random number in a cookie/);
  for (const marker of [1, 2]) {
    const r = await stack.post(MANY, submitForm(start.text, marker), { cookies: jar });
    assert.equal(r.status, 303);
  }
  assert.equal(count('many'), '2');
  assert.equal(sql("SELECT count(*) FROM device WHERE survey = 'many'"), '0');
  assert.equal(jar.get('vd'), undefined);
});
