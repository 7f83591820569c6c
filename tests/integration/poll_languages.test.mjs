// A workshop poll set in English and Arabic (right to left), through real nginx: the code
// entry page and the phone offer both languages; a phone that picks Arabic reads the
// question, options, help box and buttons in Arabic, right to left, votes, and follows the
// room to the next question still in Arabic with no parameter in the address; a phone that
// picks nothing (or an unknown language) reads English. Votes count by option code, so the
// presenter's JSON adds them up whatever the language; the projector can be switched to
// Arabic while the console stays English; each response records the language it was given in
// when at least 10 in the room chose it (else the default), and the votes then forget it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startStack, CookieJar, formWith } from './stack.mjs';
import { addStaff, signIn } from './staff_steps.mjs';

const PW = 'a long facilitator pass phrase';
const RTL = /<html lang="ar" dir="rtl">/;
const LTR = /<html lang="en" dir="ltr">/;
let stack;
let id;
let code;
const fac = new CookieJar();
const arabic = new CookieJar();
const english = new CookieJar();

before(async () => {
  stack = await startStack({ surveysDir: 'tests/fixtures/polls' });
  addStaff(stack, 'fran', 'facilitator', PW);
  await signIn(stack, fac, 'fran', PW);
  const list = await stack.get('/staff/polls', { cookies: fac });
  const res = await stack.post('/staff/polls', [...formWith(list.text, '/staff/polls'),
    ['_nav', 'start'], ['set', 'poll-languages']], { cookies: fac });
  assert.equal(res.status, 303, res.text);
  id = res.location.split('/').pop();
  const page = await stack.get(`/staff/polls/${id}`, { cookies: fac });
  code = page.text.match(/<strong class="code">([^<]+)<\/strong>/)[1];
});
after(async () => { await stack?.stop(); });

async function act(what) {
  const page = await stack.get(`/staff/polls/${id}`, { cookies: fac });
  const res = await stack.post(`/staff/polls/${id}`, [...formWith(page.text, '/staff/logout'),
    ['_nav', what], ...(what === 'end' ? [['_sure', '1']] : [])], { cookies: fac });
  assert.equal(res.location, `/staff/polls/${id}`, what);
}

async function vote(phone, fields) {
  const page = await stack.get(`/j/${code}`, { cookies: phone });
  return stack.post(`/j/${code}`, [...formWith(page.text, `/j/${code}`, '_q'), ...fields], { cookies: phone });
}

function sql(query) {
  return stack.sql(query);
}

test('the code entry page offers the poll sets\' languages and carries the choice', async () => {
  const jar = new CookieJar();
  const entry = await stack.get('/j', { cookies: jar });
  assert.match(entry.text, LTR);
  assert.match(entry.text, /<a class="lang" href="\/j\?l=ar" lang="ar" hreflang="ar">العربية<\/a>/);
  const ar = await stack.get('/j?l=ar', { cookies: jar });
  assert.match(ar.text, RTL);
  assert.match(ar.text, /أدخل الرمز الظاهر على الشاشة/);
  assert.equal(jar.get('vl'), 'ar');
  const join = await stack.get(`/j?code=${code}`, { cookies: jar });
  assert.equal(join.location, `/j/${code}`);
  assert.match((await stack.get(join.location, { cookies: jar })).text, RTL);
});

test('a phone reads the default language until it picks another; unknown codes fall back', async () => {
  const lobby = await stack.get(`/j/${code}`, { cookies: english });
  assert.match(lobby.text, LTR);
  assert.match(lobby.text, /You have joined/);
  assert.match(lobby.text, /<span class="lang current" lang="en">English<\/span>/);
  assert.ok(lobby.text.includes(`<a class="lang" href="/j/${code}?l=ar" lang="ar" hreflang="ar">`));
  assert.equal(english.get('vl'), undefined);

  const unknown = await stack.get(`/j/${code}?l=xx`, { cookies: new CookieJar() });
  assert.equal(unknown.status, 200);
  assert.match(unknown.text, LTR);

  const ar = await stack.get(`/j/${code}?l=ar`, { cookies: arabic });
  assert.match(ar.text, RTL);
  assert.match(ar.text, /لقد انضممت/);
  assert.match(ar.text, /<span class="lang current" lang="ar">العربية<\/span>/);
  assert.equal(arabic.get('vl'), 'ar');
});

test('the chosen language follows the phone through the questions; votes count by code', async () => {
  await act('next'); // safe: single choice
  const page = await stack.get(`/j/${code}`, { cookies: arabic });
  assert.match(page.text, RTL);
  assert.match(page.text, /ما مدى شعورك بالأمان في شارعك بعد حلول الظلام؟/);
  assert.match(page.text, /غير آمن/);
  assert.match(page.text, /إذا كنت تحتاج إلى مساعدة الآن/, 'the help box');
  assert.match(page.text, /أرسل إجابتي/, 'the button');
  assert.doesNotMatch(page.text, /How safe/);

  let res = await vote(arabic, [['safe', 'unsafe']]);
  assert.equal(res.location, `/j/${code}`);
  assert.match((await stack.get(res.location, { cookies: arabic })).text, /تم استلام إجابتك/);
  res = await vote(english, [['safe', 'safe']]);
  assert.equal(res.location, `/j/${code}`);
  assert.match((await stack.get(res.location, { cookies: english })).text, /Your answer has been received/);

  const live = JSON.parse((await stack.get(`/staff/polls/${id}/live`, { cookies: fac })).text);
  assert.equal(live.question.answers, 2);
  assert.deepEqual(live.question.bars.map((b) => [b.code, b.label, b.count]),
    [['safe', 'Safe', 1], ['unsafe', 'Unsafe', 1], ['dk', "Don't know", 0]]);

  await act('next'); // change: multi choice
  const state = JSON.parse((await stack.get(`/j/${code}/state`, { cookies: arabic })).text);
  assert.equal(state.q, 1);
  const next = await stack.get(`/j/${code}`, { cookies: arabic });
  assert.match(next.text, RTL);
  assert.match(next.text, /ما الذي يجعله أكثر أمانا؟/);
  assert.match(next.text, /اختر ما تشاء/);
  const empty = await vote(arabic, []);
  assert.equal(empty.status, 422);
  assert.match(empty.text, RTL);
  assert.match(empty.text, /أجب عن هذا السؤال للمتابعة/);
  res = await vote(arabic, [['change', 'patrols'], ['change', 'youth']]);
  assert.equal(res.location, `/j/${code}`);
  const j = JSON.parse((await stack.get(`/staff/polls/${id}/live`, { cookies: fac })).text);
  assert.equal(j.question.bars.find((b) => b.code === 'patrols').count, 1);
});

test('the projector can show another language; the console stays in the default', async () => {
  const en = await stack.get(`/staff/polls/${id}/present`, { cookies: fac });
  assert.match(en.text, LTR);
  assert.match(en.text, /What would make it safer\?/);
  assert.ok(en.text.includes(`<a class="lang" href="/staff/polls/${id}/present?l=ar"`));
  const ar = await stack.get(`/staff/polls/${id}/present?l=ar`, { cookies: fac });
  assert.match(ar.text, RTL);
  assert.match(ar.text, /ما الذي يجعله أكثر أمانا؟/);
  assert.ok(ar.text.includes(`data-frag="/staff/polls/${id}/present?frag=1&amp;l=ar"`));
  await act('show');
  const frag = await stack.get(`/staff/polls/${id}/present?frag=1&l=ar`, { cookies: fac });
  assert.match(frag.text, /دوريات شرطة أكثر/, 'the answers on the projector');
  assert.equal(fac.get('vl'), undefined, 'the projector\'s choice is not remembered');
  const console_ = await stack.get(`/staff/polls/${id}?l=ar`, { cookies: fac });
  assert.match(console_.text, LTR);
  assert.match(console_.text, /What would make it safer\?/);
  assert.doesNotMatch(console_.text, /class="langs"/);
});

const LANGS = "SELECT lang, count(*) FROM response WHERE survey = 'poll-languages'"
  + " AND channel = 'workshop' GROUP BY lang ORDER BY lang";

test('a language fewer than 10 in the room chose is recorded as the default one', async () => {
  const back = await stack.get(`/j/${code}?l=en`, { cookies: arabic });
  assert.match(back.text, LTR);
  assert.equal(arabic.get('vl'), 'en');
  await stack.get(`/j/${code}?l=ar`, { cookies: arabic });
  assert.equal(sql(`SELECT count(*) FROM poll_vote WHERE session = ${id} AND lang = 'ar'`), '2');
  await act('end');
  // One phone in Arabic among two: the facilitator could tell whose response it was.
  assert.equal(sql(LANGS), 'en|2');
  assert.equal(sql(`SELECT count(*) FROM poll_vote WHERE session = ${id} AND lang IS NOT NULL`), '0',
    'once saved, which language each vote was read in is forgotten');
});

test('each response records its language when at least 10 in the room chose it', async () => {
  const list = await stack.get('/staff/polls', { cookies: fac });
  const res = await stack.post('/staff/polls', [...formWith(list.text, '/staff/polls'),
    ['_nav', 'start'], ['set', 'poll-languages']], { cookies: fac });
  id = res.location.split('/').pop();
  code = (await stack.get(`/staff/polls/${id}`, { cookies: fac })).text
    .match(/<strong class="code">([^<]+)<\/strong>/)[1];
  await act('next');
  for (let i = 0; i < 10; i++) {
    const phone = new CookieJar();
    await stack.get(`/j/${code}?l=ar`, { cookies: phone });
    assert.equal((await vote(phone, [['safe', 'dk']])).location, `/j/${code}`);
  }
  assert.equal((await vote(new CookieJar(), [['safe', 'safe']])).location, `/j/${code}`);
  await act('end');
  assert.equal(sql(LANGS), 'ar|10\nen|3');
});
