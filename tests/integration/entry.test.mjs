// Paper and stall entry, and the links, QR codes and posters, over HTTP through real nginx
// and the real app. A member keys in a batch of three paper forms on the one long page:
// they are stored with the channel, each through the writer like an online response; the
// audit log has the batch and its count and no answer; a form with an error is shown again
// with the error next to its question and nothing stored; an answer to a question whose
// condition is false is dropped; a form without the CSRF token, a forged batch and a
// channel that is not for entry are refused. Links and posters are for facilitators and
// admins (an analyst gets 403), entry for every staff role.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startStack, CookieJar, formWith, htmlUnescape, tags } from './stack.mjs';
import { addStaff, signIn } from './staff_steps.mjs';
import { decodeQrSvg } from './qr_decode.mjs';

const SID = 'residents-2026';
const ENTER = `/staff/surveys/${SID}/enter`;
let stack;
const jars = {};

before(async () => {
  stack = await startStack();
  for (const [name, role] of [['ada', 'admin'], ['fern', 'facilitator'], ['gus', 'analyst']]) {
    addStaff(stack, name, role, `${name} pass phrase 123`);
    const jar = new CookieJar();
    const res = await signIn(stack, jar, name, `${name} pass phrase 123`);
    assert.equal(res.status, 303, res.text);
    jars[name] = jar;
  }
});
after(async () => { await stack?.stop(); });

function sql(query) {
  return stack.sql(query);
}

const count = (html) => htmlUnescape(html.match(/id="batch-count"><strong>([^<]*)</)[1]);

/** The entry form's hidden fields plus answers (an array value: one field per element). */
function entry(html, answers) {
  return [...formWith(html, ENTER), ...Object.entries(answers).flatMap(([k, v]) =>
    (Array.isArray(v) ? v.map((x) => [k, x]) : [[k, v]])), ['_nav', 'save']];
}

test('a batch of three paper forms is stored with its channel, audited by count only', async () => {
  const jar = jars.fern;
  const choose = await stack.get(ENTER, { cookies: jar });
  assert.equal(choose.status, 200);
  for (const ch of ['paper', 'stall', 'focus-group']) assert.match(choose.text, new RegExp(`enter\\?c=${ch}"`));
  assert.doesNotMatch(choose.text, /enter\?c=online"/);

  let page = await stack.get(`${ENTER}?c=paper`, { cookies: jar });
  assert.equal(page.status, 200);
  assert.equal(page.headers.get('cache-control'), 'no-store');
  assert.match(page.text, /<form method="post" action="\/staff\/surveys\/residents-2026\/enter" autocomplete="off"/);
  assert.equal(count(page.text), 'Entered in this batch: 0');
  // Every question of every page, in order, on the one page.
  const ids = [...page.text.matchAll(/<div class="question[^"]*" id="q-([^"]+)"/g)].map((m) => m[1]);
  for (const q of ['ward', 'safe_dark', 'unsafe_places', 'unsafe_help', 'violence_comment']) assert.ok(ids.includes(q), q);
  assert.ok(ids.indexOf('ward') < ids.indexOf('safe_dark') && ids.indexOf('safe_dark') < ids.indexOf('unsafe_places'));
  // A page's condition is noted once, above its first question.
  const notes = page.text.match(/Only if the answer to “How safe or unsafe do you feel in your area after dark\?” is: Very unsafe or Fairly unsafe/g);
  assert.equal(notes?.length, 1);

  const before = Number(sql("SELECT count(*) FROM response WHERE channel = 'paper'"));
  const forms = [
    { ward: 'bruce-castle', safe_dark: '1', unsafe_places: ['parks', 'streets'], unsafe_help: 'Better lighting, call 07700 900123' },
    { ward: 'harringay', safe_dark: '5', unsafe_places: 'parks' }, // safe after dark: not asked
    { ward: 'noel-park', safe_day: '3' },
  ];
  const nonces = new Set();
  for (const [i, answers] of forms.entries()) {
    nonces.add(formWith(page.text, ENTER).find(([k]) => k === '_n')[1]);
    const res = await stack.post(ENTER, entry(page.text, answers), { cookies: jar });
    assert.equal(res.status, 303, res.text);
    assert.match(res.location, /^\/staff\/surveys\/residents-2026\/enter\?c=paper&l=en&b=[0-9a-f]{16}\.\d+\.[0-9a-f]{32}&saved=1$/);
    page = await stack.get(res.location, { cookies: jar });
    assert.equal(page.status, 200);
    assert.equal(count(page.text), `Entered in this batch: ${i + 1}`);
    assert.match(page.text, /Saved\. The form is empty for the next one\./);
    // A fresh form: nothing of the person before is on the page.
    assert.equal(tags(page.text, 'input').filter((a) => 'checked' in a).length, 0);
    assert.doesNotMatch(page.text, /selected>/);
    assert.doesNotMatch(page.text, /Better lighting/);
  }
  assert.equal(nonces.size, 3, 'every form has its own nonce');
  assert.equal(Number(sql("SELECT count(*) FROM response WHERE channel = 'paper'")), before + 3);
  const wards = sql("SELECT a.value FROM answer a JOIN response r ON r.id = a.response WHERE r.channel = 'paper' AND a.question = 'ward' ORDER BY a.value").split('\n').join(',');
  assert.equal(wards, 'bruce-castle,harringay,noel-park');
  // The condition is applied when the form is checked: the answer to a question not asked is dropped.
  assert.equal(sql("SELECT count(*) FROM answer a JOIN response r ON r.id = a.response WHERE r.channel = 'paper' AND a.question = 'unsafe_places'"), '2');
  assert.equal(sql("SELECT count(*) FROM answer a JOIN response r ON r.id = a.response, answer w WHERE w.response = r.id AND w.question = 'ward' AND w.value = 'harringay' AND a.question = 'unsafe_places'"), '0');
  // Free text is scrubbed and sealed like an online answer.
  assert.equal(sql("SELECT count(*) FROM answer a JOIN response r ON r.id = a.response WHERE r.channel = 'paper' AND a.question = 'unsafe_help' AND a.value IS NULL AND a.sealed IS NOT NULL"), '1');
  const texts = sql(stack.pg ? "SELECT encode(texts, 'hex') FROM response" : 'SELECT hex(texts) FROM response');
  assert.ok(!texts.toLowerCase().includes(Buffer.from('Better lighting').toString('hex')));

  const audit = sql("SELECT staff || '|' || action || '|' || detail FROM audit WHERE action = 'entry_batch' ORDER BY id").split('\n');
  assert.equal(audit.length, 3);
  const batch = audit[0].match(/batch=([0-9a-f]{16})/)[1];
  audit.forEach((row, i) => assert.equal(row, `fern|entry_batch|survey=residents-2026 channel=paper batch=${batch} count=${i + 1}`));
  const all = sql("SELECT coalesce(detail, '') FROM audit ORDER BY id").split('\n').join(' ');
  for (const answer of ['bruce-castle', 'harringay', 'parks', 'lighting', '07700']) assert.ok(!all.includes(answer), answer);
});

test('the same form sent twice is stored once', async () => {
  const jar = jars.ada;
  const page = await stack.get(`${ENTER}?c=stall`, { cookies: jar });
  const fields = entry(page.text, { ward: 'noel-park' });
  const first = await stack.post(ENTER, fields, { cookies: jar });
  const second = await stack.post(ENTER, fields, { cookies: jar });
  assert.equal(first.status, 303);
  assert.equal(second.status, 303);
  assert.equal(first.location, second.location);
  assert.equal(sql("SELECT count(*) FROM response WHERE channel = 'stall'"), '1');
  assert.equal(sql("SELECT count(*) FROM audit WHERE staff = 'ada' AND action = 'entry_batch'"), '1');
});

test('a form with errors is shown again with each error by its question, and nothing is stored', async () => {
  const jar = jars.gus; // analysts may enter responses too
  const page = await stack.get(`${ENTER}?c=focus-group`, { cookies: jar });
  assert.equal(page.status, 200);
  const before = sql('SELECT count(*) FROM response');
  const res = await stack.post(ENTER, entry(page.text, { safe_day: '9', unsafe_help: 'kept for the fix' }), { cookies: jar });
  assert.equal(res.status, 422);
  assert.match(res.text, /Nothing has been saved/);
  assert.match(res.text, /<div class="question has-error" id="q-ward">[\s\S]*?<p class="error" id="e-ward">/);
  assert.match(res.text, /<div class="question has-error" id="q-safe_day">/);
  assert.match(res.text, /<a href="#i-ward">/);
  assert.match(res.text, /kept for the fix/, 'the same person corrects the form: their answers stay');
  assert.equal(sql('SELECT count(*) FROM response'), before);
  assert.equal(sql("SELECT count(*) FROM audit WHERE staff = 'gus' AND action = 'entry_batch'"), '0');
});

test('no CSRF token, a forged batch, a channel not for entry, no sign-in: refused', async () => {
  const jar = jars.fern;
  const page = await stack.get(`${ENTER}?c=paper`, { cookies: jar });
  const before = sql('SELECT count(*) FROM response');
  const noCsrf = entry(page.text, { ward: 'bruce-castle' }).filter(([k]) => k !== '_csrf');
  assert.equal((await stack.post(ENTER, noCsrf, { cookies: jar })).status, 403);
  // A survey's cookieless form token does not stand in for the CSRF token here.
  const other = new CookieJar();
  const start = await stack.get(`/s/${SID}`, { cookies: other });
  const fc = formWith(start.text, `/s/${SID}`).filter(([k]) => k === '_n' || k === '_fc');
  assert.equal((await stack.post(ENTER, [...noCsrf.filter(([k]) => k !== '_n'), ...fc], { cookies: jar })).status, 403);

  const forged = [...entry(page.text, { ward: 'bruce-castle' }).filter(([k]) => k !== '_b'), ['_b', `${'a'.repeat(16)}.41.${'0'.repeat(32)}`]];
  assert.equal((await stack.post(ENTER, forged, { cookies: jar })).status, 400);
  const online = entry(page.text, { ward: 'bruce-castle' }).map(([k, v]) => [k, k === '_c' ? 'online' : v]);
  const refused = await stack.post(ENTER, online, { cookies: jar });
  assert.equal(refused.status, 400);
  assert.match(refused.text, /paper forms, stalls and focus groups only/);
  assert.equal((await stack.get(`${ENTER}?c=school`, { cookies: jar })).status, 400);
  // Another member cannot carry on fern's batch.
  const saved = await stack.post(ENTER, entry(page.text, { ward: 'bruce-castle' }), { cookies: jar });
  const b = new URL(saved.location, 'http://x').searchParams.get('b');
  assert.equal((await stack.get(`${ENTER}?c=paper&b=${b}`, { cookies: jars.ada })).status, 400);
  assert.equal((await stack.get(`${ENTER}?c=stall&b=${b}`, { cookies: jar })).status, 400);

  assert.equal(sql('SELECT count(*) FROM response'), String(Number(before) + 1));
  const anon = await stack.get(`${ENTER}?c=paper`);
  assert.equal(anon.status, 303);
  assert.equal(anon.location, '/staff/login');
  assert.equal((await stack.get('/staff/surveys/no-such-survey/enter', { cookies: jar })).status, 404);
});

test('links and posters: facilitators and admins, not analysts', async () => {
  for (const path of ['links', 'poster?c=stall', 'qr.svg?c=stall']) {
    assert.equal((await stack.get(`/staff/surveys/${SID}/${path}`, { cookies: jars.gus })).status, 403, path);
    assert.equal((await stack.get(`/staff/surveys/${SID}/${path}`, { cookies: jars.fern })).status, 200, path);
    assert.equal((await stack.get(`/staff/surveys/${SID}/${path}`, { cookies: jars.ada })).status, 200, path);
    assert.equal((await stack.get(`/staff/surveys/${SID}/${path}`)).status, 303, path);
  }
  assert.equal((await stack.get(`/staff/surveys/${SID}/enter`, { cookies: jars.gus })).status, 200);
});

test('the links page has a link for each channel, each a channel the survey takes', async () => {
  const page = await stack.get(`/staff/surveys/${SID}/links`, { cookies: jars.fern });
  assert.doesNotMatch(page.text, /id="help"/, 'a staff page: not the survey\'s help box');
  // The test's base_url is 127.0.0.1: links no phone can open, and the page says so.
  assert.match(page.text, /These links only work on this computer/);
  const links = [...page.text.matchAll(/<code class="link-text">([^<]+)<\/code>/g)].map((m) => htmlUnescape(m[1]));
  assert.deepEqual(links.map((l) => new URL(l).search), ['', '?c=workshop', '?c=paper', '?c=stall',
    '?c=school', '?c=youth-service', '?c=focus-group']);
  for (const l of links) {
    assert.ok(l.startsWith(`${stack.base}/s/${SID}`), l);
    const survey = await stack.get(new URL(l).pathname + new URL(l).search);
    assert.equal(survey.status, 200, l);
  }
  assert.equal((await stack.get(`/staff/surveys/${SID}/poster?c=nowhere`, { cookies: jars.fern })).status, 400);
  assert.equal((await stack.get(`/staff/surveys/${SID}/qr.svg?c=nowhere`, { cookies: jars.fern })).status, 400);
});

test('the QR code is an SVG that decodes to the link, the same as on the poster', async () => {
  const res = await stack.get(`/staff/surveys/${SID}/qr.svg?c=stall`, { cookies: jars.fern });
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('content-type'), 'image/svg+xml');
  assert.match(res.text, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" [^>]*viewBox="0 0 (\d+) \1" role="img" aria-label="QR code to open the survey"/);
  const w = Number(res.text.match(/viewBox="0 0 (\d+)/)[1]);
  assert.ok((w - 8 - 17) % 4 === 0 && w - 8 >= 25, `a QR code's width is 17 + 4 × version: ${w - 8}`);
  const modules = [...res.text.matchAll(/M(\d+) (\d+)h1v1h-1z/g)].map((m) => [Number(m[1]) - 4, Number(m[2]) - 4]);
  const dark = new Set(modules.map(([x, y]) => `${x},${y}`));
  // The three finder patterns: a 7×7 ring with a 3×3 centre, in three corners.
  for (const [ox, oy] of [[0, 0], [w - 8 - 7, 0], [0, w - 8 - 7]]) {
    for (let i = 0; i < 7; i++) {
      for (const [x, y] of [[i, 0], [i, 6], [0, i], [6, i]]) assert.ok(dark.has(`${ox + x},${oy + y}`));
    }
    assert.ok(dark.has(`${ox + 3},${oy + 3}`) && !dark.has(`${ox + 1},${oy + 1}`));
  }
  assert.equal(decodeQrSvg(res.text), `${stack.base}/s/${SID}?c=stall`);
  for (const [sid, ch, query] of [[SID, 'online', ''], ['young-people-2026', 'youth-service', '?c=youth-service']]) {
    const qr = await stack.get(`/staff/surveys/${sid}/qr.svg?c=${ch}`, { cookies: jars.ada });
    assert.equal(decodeQrSvg(qr.text), `${stack.base}/s/${sid}${query}`);
  }
  const poster = await stack.get(`/staff/surveys/${SID}/poster?c=stall`, { cookies: jars.fern });
  assert.ok(poster.text.includes(res.text), 'the poster shows the same code');
  // (tests/unit/cgi_test_qr.c also checks the modules against libqrencode's for the same text.)
});

test('the poster: title, invitation, QR code, short link; the help box only for young people', async () => {
  const res = await stack.get(`/staff/surveys/${SID}/poster?c=stall`, { cookies: jars.fern });
  assert.equal(res.status, 200);
  assert.match(res.text, /<h1>Community safety in Haringey|<h1>[^<]+<\/h1>/);
  assert.match(res.text, /<p class="invite">Have your say/);
  assert.match(res.text, /<div class="poster-qr"><svg /);
  const short = `${stack.base.replace(/^https?:\/\//, '')}/s/${SID}?c=stall`;
  assert.ok(res.text.includes(`<p class="poster-url">${short}</p>`), short);
  assert.match(res.text, /<link rel="stylesheet" href="\/static\/poster\.css">/);
  assert.doesNotMatch(res.text, /class="poster-help"/);
  const young = await stack.get('/staff/surveys/young-people-2026/poster?c=school', { cookies: jars.fern });
  assert.match(young.text, /<aside class="poster-help"[\s\S]*Childline[\s\S]*0800 1111/);
  assert.match(young.text, /young-people-2026\?c=school<\/p>/);
  const css = await stack.get('/static/poster.css');
  assert.equal(css.status, 200);
  assert.match(css.text, /@page\{size:A4/);
  assert.match(css.text, /@media print\{[\s\S]*\.poster-tools\{display:none\}/);
});

test('with the real address in base_url: https links, a short link without https://, no warning', async () => {
  const real = await startStack({ config: { base_url: 'https://surveys.example.org/' } });
  try {
    addStaff(real, 'fern', 'facilitator', 'fern pass phrase 123');
    const jar = new CookieJar();
    await signIn(real, jar, 'fern', 'fern pass phrase 123');
    const links = await real.get(`/staff/surveys/${SID}/links`, { cookies: jar });
    assert.equal(links.status, 200);
    assert.match(links.text, /<code class="link-text">https:\/\/surveys\.example\.org\/s\/residents-2026\?c=stall<\/code>/);
    assert.doesNotMatch(links.text, /only work on this computer/);
    const poster = await real.get(`/staff/surveys/${SID}/poster?c=stall`, { cookies: jar });
    assert.match(poster.text, /<p class="poster-url">surveys\.example\.org\/s\/residents-2026\?c=stall<\/p>/);
    assert.doesNotMatch(poster.text, /only work on this computer/);
    const qr = await real.get(`/staff/surveys/${SID}/qr.svg?c=stall`, { cookies: jar });
    assert.equal(decodeQrSvg(qr.text), 'https://surveys.example.org/s/residents-2026?c=stall');
  } finally {
    await real.stop();
  }
});
