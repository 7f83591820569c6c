// What a poll export lets a reader work out, through real nginx: 11 young people answer the
// knife-crime workshop so that one of them stands out on every question (10 in one age band
// and 1 in another, 4 who all rank the same option first, 10 who disagree with a statement
// and 1 who agrees). The exports must not give that one person away: no hidden count can be
// had by subtracting the visible ones from the answers, no zero stands beside a lone hidden
// count, no percentage or points stand for fewer than 10 people, and no statement text
// leaves. The projector's live view stays exact. A poll set's own threshold only raises the
// configured one.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startStack, CookieJar, formWith } from './stack.mjs';
import { addStaff, signIn } from './staff_steps.mjs';
import { pollRoom } from './poll_steps.mjs';

const PW = 'a long facilitator pass phrase';
const STATEMENT = 'Youth clubs should open until 10pm';
const room = pollRoom(PW);
const { act, answer } = room;

/** The reader's subtraction on one line: visible members, hidden ones, and the total. */
function assertLineSafe(what, values, total) {
  const hidden = values.filter((v) => v === null).length;
  if (total !== null && total !== undefined)
    assert.notEqual(hidden, 1, `${what}: one hidden count beside the total ${total}: ${JSON.stringify(values)}`);
  const nonzero = values.filter((v) => v !== 0);
  if (hidden > 0 && nonzero.every((v) => v === null))
    assert.ok(values.every((v) => v === null), `${what}: zeros beside the only hidden counts: ${JSON.stringify(values)}`);
  for (const v of values) assert.ok(v === null || v === 0 || v >= 10, `${what}: small count ${v}`);
}

test('an export gives nobody away; the projector stays exact', async () => {
  const list = await room.stack.get('/staff/polls', { cookies: room.fac });
  const started = await room.stack.post('/staff/polls', [...formWith(list.text, '/staff/polls'),
    ['_nav', 'start'], ['set', 'poll-knife-crime-youth']], { cookies: room.fac });
  const id = started.location.split('/').pop();
  const code = (await room.stack.get(`/staff/polls/${id}`, { cookies: room.fac })).text
    .match(/<strong class="code">([^<]+)<\/strong>/)[1];
  const phones = Array.from({ length: 11 }, () => new CookieJar());
  for (const p of phones) await room.stack.get(`/j/${code}`, { cookies: p });

  await act(id, [['_nav', 'next']]); // age band: 10 aged 11 to 13, 1 aged 18 to 21
  for (const [i, p] of phones.entries()) await answer(p, code, [['age_band', i < 10 ? '11-13' : '18-21']]);
  await act(id, [['_nav', 'next']]); // unsafe_where: skipped
  await act(id, [['_nav', 'next']]); // actions: 4 rank the same three in the same order
  for (const p of phones.slice(0, 4))
    await answer(p, code, [['actions.educate', '1'], ['actions.prevent', '2'], ['actions.early', '3']]);
  for (let k = 0; k < 3; k++) await act(id, [['_nav', 'next']]); // to the statements
  const author = new CookieJar(); // a phone is never asked to vote on its own statement
  await room.stack.get(`/j/${code}`, { cookies: author });
  await answer(author, code, [['_new', STATEMENT]], { form: '_new', expect: `/j/${code}?sent=1` });
  let j = JSON.parse((await room.stack.get(`/staff/polls/${id}/live`, { cookies: room.fac })).text);
  await act(id, [['_nav', 'st_ok'], ['_id', String(j.question.statements[0].id)]]);
  for (const [i, p] of phones.entries()) await answer(p, code, [['v', i === 0 ? 'agree' : 'disagree']], { form: '_s' });

  j = JSON.parse((await room.stack.get(`/staff/polls/${id}/live`, { cookies: room.fac })).text);
  assert.equal(j.question.statements[0].agree, 1, 'the room sees the exact count');
  assert.equal(j.question.statements[0].disagree, 10);

  const exp = JSON.parse((await room.stack.get(`/staff/polls/${id}/export.json`, { cookies: room.fac })).text);
  const [age, , actions, , , statements] = exp.questions;
  assert.equal(exp.suppress_below, 10);
  // 11 answers, "10, [c], 0...": the 1 would be 11 - 10. Both go, and the zeros beside them.
  assertLineSafe('age band', age.bars.map((b) => b.count), age.answers);
  assert.equal(age.bars.find((b) => b.code === '18-21').count, null);
  assert.equal(age.bars.find((b) => b.code === '11-13').count, null);
  for (const b of age.bars) if (b.count === null) assert.equal(b.pct, null);
  // 4 people, each first: "12 points" would say so. Points follow the people behind them.
  for (const p of actions.points) assert.equal(p.count, null, `${p.code}: ${p.count} points`);
  assert.deepEqual(actions.points.map((p) => p.code),
    ['educate', 'prevent', 'early', 'targeted', 'deter', 'disrupt', 'detect'], 'hidden rows in option order');
  // 11 answers, 10 disagree: the one who agreed must not be 11 - 10 - 0.
  const st = statements.statements[0];
  assert.equal(st.text, undefined, 'no statement text in an export');
  assertLineSafe('statement', [st.agree, st.disagree, st.pass], statements.answers);
  assert.equal(st.agree, null);
  assert.deepEqual(statements.most_agreed, [], 'no order from hidden counts');
  for (const row of statements.groups.rows)
    for (const g of row.groups) assert.ok(g.n >= 10, `group ${g.label} of ${g.n}`);
  const csv = (await room.stack.get(`/staff/polls/${id}/export.csv`, { cookies: room.fac })).text;
  assert.doesNotMatch(csv, /Youth clubs/);
  assert.match(csv, new RegExp(`"statements","statements","11","${st.id}","",`));

  const console_ = await room.stack.get(`/staff/polls/${id}`, { cookies: room.fac });
  assert.match(console_.text, /exact counts/);
  assert.match(console_.text, /safe to share/);
});

test("a poll set's suppress_below raises the configured threshold, never lowers it", async () => {
  const own = await startStack({ config: { suppress_below: 12 } });
  try {
    addStaff(own, 'fran', 'facilitator', PW);
    const jar = new CookieJar();
    await signIn(own, jar, 'fran', PW);
    const list = await own.get('/staff/polls', { cookies: jar });
    const started = await own.post('/staff/polls', [...formWith(list.text, '/staff/polls'),
      ['_nav', 'start'], ['set', 'poll-knife-crime-youth']], { cookies: jar }); // its own: 10
    const id = started.location.split('/').pop();
    const exp = JSON.parse((await own.get(`/staff/polls/${id}/export.json`, { cookies: jar })).text);
    assert.equal(exp.suppress_below, 12);
  } finally {
    await own.stop();
  }
});
