// Every kind of poll question through real nginx: a word cloud, statements written by the
// room, approved by the facilitator and voted on (with the age-band groups compared), open
// text shown only once approved, and a quick question typed in the browser.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CookieJar, formWith } from './stack.mjs';
import { pollRoom } from './poll_steps.mjs';

const PW = 'a long facilitator pass phrase';
const room = pollRoom(PW);
const { start, act, live, answer } = room;

test('word cloud, statements with group differences, moderated open text', async () => {
  const { id, code } = await start([['_nav', 'start'], ['set', 'poll-knife-crime-youth']]);
  const phones = Array.from({ length: 12 }, () => new CookieJar());
  for (const p of phones) await room.stack.get(`/j/${code}`, { cookies: p });
  await act(id, [['_nav', 'next']]);
  for (const [i, p] of phones.entries()) await answer(p, code, [['age_band', i < 6 ? '11-13' : '18-21']]);
  for (let k = 0; k < 4; k++) await act(id, [['_nav', 'next']]); // to need_words
  const words = ['Youth clubs', 'youth clubs', 'Jobs', 'someone to talk to'];
  for (const [i, p] of phones.entries()) await answer(p, code, [['need_words', words[i % 4]]]);
  let j = await live(id);
  assert.deepEqual(j.question.words[0], { text: 'youth clubs', count: 6, size: 6 });

  await act(id, [['_nav', 'next']]); // statements
  const page = await room.stack.get(`/j/${code}`, { cookies: phones[0] });
  assert.match(page.text, /You have voted on every statement so far/);
  // Without JavaScript the statements step has a way forward: no refresh (it would wipe a
  // statement being typed), a button that checks.
  assert.match(page.text, new RegExp(`<a class="button secondary" href="/j/${code}">Check for the next question</a>`));
  assert.doesNotMatch(page.text, /http-equiv="refresh"/);
  const sent = await room.stack.post(`/j/${code}`, [...formWith(page.text, `/j/${code}`, '_new'),
    ['_new', 'Youth clubs should open until 10pm']], { cookies: phones[0] });
  assert.equal(sent.location, `/j/${code}?sent=1`);
  j = await live(id);
  const st = j.question.statements[0];
  assert.equal(st.state, 'waiting');
  const console_ = await room.stack.get(`/staff/polls/${id}?frag=1`, { cookies: room.fac });
  assert.match(console_.text, /Youth clubs should open until 10pm/);
  await act(id, [['_nav', 'st_ok'], ['_id', String(st.id)]]);
  // Its author is not asked to vote on it; everyone else is.
  const own = await room.stack.get(`/j/${code}`, { cookies: phones[0] });
  assert.doesNotMatch(own.text, /Youth clubs should open until 10pm/);
  assert.match(own.text, /You have voted on every statement so far/);
  for (const [i, p] of phones.entries()) {
    if (i === 0) continue;
    const sp = await room.stack.get(`/j/${code}`, { cookies: p });
    assert.match(sp.text, /Youth clubs should open until 10pm/);
    const res = await room.stack.post(`/j/${code}`, [...formWith(sp.text, `/j/${code}`, '_s'),
      ['v', i < 6 ? 'agree' : i < 9 ? 'disagree' : 'pass']], { cookies: p });
    assert.equal(res.location, `/j/${code}`);
  }
  j = await live(id);
  assert.equal(j.question.most_agreed[0].agree, 5);
  assert.equal(j.question.most_divisive[0].disagree, 3); // 5 to 3: divided
  assert.deepEqual(j.question.groups.rows[0].groups.map((g) => [g.label, g.agree_pct]),
    [['11 to 13', 100], ['18 to 21', 0]]);

  await act(id, [['_nav', 'next']]); // open text
  const idea = await answer(phones[1], code, [['idea', 'Free football every evening, call me on 07700 900123']]);
  assert.match(idea.text, /shown on the screen in the room/);
  j = await live(id);
  assert.equal(j.question.texts.length, 0);
  assert.match(j.question.pending[0].text, /Free football every evening/);
  assert.doesNotMatch(j.question.pending[0].text, /07700/);
  const stage = await room.stack.get(`/staff/polls/${id}/present?frag=1`, { cookies: room.fac });
  assert.doesNotMatch(stage.text, /Free football/);
  await act(id, [['_nav', 'approve'], ['_q', String(j.current)], ['_v', j.question.pending[0].voter]]);
  await act(id, [['_nav', 'show']]);
  j = await live(id);
  assert.equal(j.question.texts.length, 1);
  assert.match((await room.stack.get(`/staff/polls/${id}/present?frag=1`, { cookies: room.fac })).text, /Free football/);
  const exp = JSON.parse((await room.stack.get(`/staff/polls/${id}/export.json`, { cookies: room.fac })).text);
  assert.equal(exp.questions[0].answers, 12);
  assert.equal(exp.questions[0].bars.find((b) => b.code === '11-13').count, null); // 6 < 10
  assert.equal(exp.questions[6].texts, undefined); // free text never leaves the room
  assert.equal(exp.questions[4].words.length, 0); // no word said by 10 or more
});

test('a quick question typed in the browser', async () => {
  const bad = await room.stack.post('/staff/polls', [...formWith((await room.stack.get('/staff/polls', { cookies: room.fac })).text,
    '/staff/polls'), ['_nav', 'quick'], ['text', 'Lunch?'], ['type', 'single'], ['options', 'Only one']], { cookies: room.fac });
  assert.equal(bad.location, '/staff/polls?bad=1');
  const { id, code } = await start([['_nav', 'quick'], ['text', 'Which session after lunch?'],
    ['type', 'single'], ['options', 'Youth violence\r\n\r\nStreet lighting\r\nHate crime']]);
  await act(id, [['_nav', 'next']]);
  const phone = new CookieJar();
  const page = await answer(phone, code, [['quick', 'o2']]);
  assert.match(page.text, /Which session after lunch\?/);
  const j = await live(id);
  assert.deepEqual(j.question.bars.map((b) => [b.label, b.count]),
    [['Youth violence', 0], ['Street lighting', 1], ['Hate crime', 0]]);
  await act(id, [['_nav', 'end'], ['_sure', '1']]);
  assert.match((await room.stack.get(`/j/${code}`, { cookies: phone })).text, /This session has ended/);
});

test('statements: authors never vote on their own; most divided means close to an even split', async () => {
  const { id, code } = await start([['_nav', 'quick'], ['text', 'What would make the high street safer?'],
    ['type', 'statements']]);
  await act(id, [['_nav', 'next']]);
  const phones = Array.from({ length: 12 }, () => new CookieJar());
  const texts = ['More lighting by the station', 'Close the late-night shops at 11pm', 'More benches'];
  for (const [i, text] of texts.entries()) {
    const page = await room.stack.get(`/j/${code}`, { cookies: phones[i] });
    const sent = await room.stack.post(`/j/${code}`, [...formWith(page.text, `/j/${code}`, '_new'),
      ['_new', text]], { cookies: phones[i] });
    assert.equal(sent.location, `/j/${code}?sent=1`);
  }
  assert.match(phones[0].get('vw'), new RegExp(`^${id}-\\d+$`));
  // A facilitator may write one too from the browser they are signed in with, and stays signed in.
  const mine = await room.stack.get(`/j/${code}`, { cookies: room.fac });
  await room.stack.post(`/j/${code}`, [...formWith(mine.text, `/j/${code}`, '_new'), ['_new', 'Ask the bus company']], { cookies: room.fac });
  for (const st of (await live(id)).question.statements) {
    await act(id, [['_nav', st.text === 'Ask the bus company' ? 'st_no' : 'st_ok'], ['_id', String(st.id)]]);
  }
  // Each phone votes on what it is shown, until nothing is left: lighting 10 agree to 1
  // disagree, late-night shops 5 to 5 with 1 pass, benches 2 to 1 with the rest passing.
  const plan = {
    [texts[0]]: (i) => (i === 11 ? 'disagree' : 'agree'),
    [texts[1]]: (i) => (i === 0 ? 'pass' : i <= 6 ? 'agree' : 'disagree'),
    [texts[2]]: (i) => (i === 0 || i === 1 ? 'agree' : i === 3 ? 'disagree' : 'pass'),
  };
  const shown = phones.map(() => []);
  for (const [i, p] of phones.entries()) {
    for (;;) {
      const page = await room.stack.get(`/j/${code}`, { cookies: p });
      const m = page.text.match(/<blockquote class="statement"><p>([^<]+)<\/p>/);
      if (!m) break;
      shown[i].push(m[1]);
      await answer(p, code, [['v', plan[m[1]](i)]]);
    }
  }
  for (const [i, seen] of shown.entries()) {
    assert.deepEqual(seen.sort(), texts.filter((_, k) => k !== i).sort(), `phone ${i} was shown ${seen}`);
  }
  const j = (await live(id)).question;
  const by = Object.fromEntries(j.statements.filter((s) => s.state === 'approved')
    .map((s) => [s.text, [s.agree, s.disagree, s.pass]]));
  assert.deepEqual(by, { [texts[0]]: [10, 1, 0], [texts[1]]: [5, 5, 1], [texts[2]]: [2, 1, 8] });
  // 10 to 1 is agreement, 2 to 1 is too few votes to call: only the even split is divided.
  assert.deepEqual(j.most_divisive.map((s) => s.text), [texts[1]]);
  assert.equal(j.most_agreed[0].text, texts[0]);
  const stage = await room.stack.get(`/staff/polls/${id}/present?frag=1`, { cookies: room.fac });
  assert.equal(stage.status, 200);
});

test('statements: one too long or empty is refused with a message by the box, the text kept', async () => {
  const { id, code } = await start([['_nav', 'quick'], ['text', 'What should the youth club offer?'],
    ['type', 'statements']]);
  await act(id, [['_nav', 'next']]);
  const phone = new CookieJar();
  const page = await room.stack.get(`/j/${code}`, { cookies: phone });
  const long = `Open later ${'and longer '.repeat(30)}`.trim(); // over 280 characters
  for (const [text, message] of [[long, /Use 280 characters or fewer/], ['   ', /Write your statement before you send it/]]) {
    const res = await room.stack.post(`/j/${code}`, [...formWith(page.text, `/j/${code}`, '_new'), ['_new', text]],
      { cookies: phone });
    assert.equal(res.status, 422, text);
    const box = res.text.match(/<div class="question[^"]*"[^>]*>[\s\S]*?<\/textarea>/)?.[0] ?? '';
    assert.match(box, /has-error/, 'the box is marked');
    assert.match(box, message, 'the message sits by the box');
    assert.match(box, /aria-describedby="h-new e-new"/);
    assert.match(res.text, /class="error-summary"/);
    if (text.trim()) assert.ok(box.includes(`${text}</textarea>`), 'what was typed is kept to shorten');
  }
  assert.deepEqual((await live(id)).question.statements, [], 'nothing stored');
});

test('a quick question with more answers than a phone is shown is refused, not cut short', async () => {
  const lines = (n) => Array.from({ length: n }, (_, i) => `Answer ${i + 1}`).join('\n');
  const twelve = await start([['_nav', 'quick'], ['text', 'Twelve?'], ['type', 'single'], ['options', lines(12)]]);
  await act(twelve.id, [['_nav', 'next']]);
  assert.equal((await live(twelve.id)).question.bars.length, 12, 'twelve answers are taken, all of them');
  const list = await room.stack.get('/staff/polls', { cookies: room.fac });
  const sessions = (list.text.match(/href="\/staff\/polls\/\d+"/g) ?? []).length;
  const res = await room.stack.post('/staff/polls', [...formWith(list.text, '/staff/polls'), ['_nav', 'quick'],
    ['text', 'Thirteen?'], ['type', 'multi'], ['options', lines(13)]], { cookies: room.fac });
  assert.equal(res.location, '/staff/polls?bad=1');
  const page = await room.stack.get(res.location, { cookies: room.fac });
  assert.equal(page.status, 422);
  assert.match(page.text, /up to 12 answers/);
  const after = await room.stack.get('/staff/polls', { cookies: room.fac });
  assert.equal((after.text.match(/href="\/staff\/polls\/\d+"/g) ?? []).length, sessions, 'no session started');
});
