// Workshop polls through real nginx and the real app: a facilitator made with the command
// line signs in, starts a session from a poll set, 50 participants join by the code and
// vote on a single-choice question over HTTP at once (one of them twice, as a retried POST
// would), and the presenter's live JSON counts exactly 50 with the right split; a locked
// question refuses late votes; ending the session asks first, and once confirmed stores one
// workshop response each.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startStack, CookieJar, formWith } from './stack.mjs';
import { addStaff, signIn as staffSignIn } from './staff_steps.mjs';

const PW = 'a long facilitator pass phrase';
const N = 50;
let stack;

before(async () => {
  // A whole room behind one address: the POST limit is per address.
  stack = await startStack({ workers: 4, nginxEnv: { NGINX_POST_RATE: '1000r/s', NGINX_POST_BURST: '2000' } });
  addStaff(stack, 'fran', 'facilitator', PW);
});
after(async () => { await stack?.stop(); });

function sql(query) {
  return stack.sql(query);
}

async function signIn(jar) {
  const res = await staffSignIn(stack, jar, 'fran', PW);
  assert.equal(res.status, 303, res.text);
}

async function act(jar, id, what) {
  const page = await stack.get(`/staff/polls/${id}`, { cookies: jar });
  assert.equal(page.status, 200, page.text);
  const res = await stack.post(`/staff/polls/${id}`, [...formWith(page.text, `/staff/polls/${id}`),
    ['_nav', what]], { cookies: jar });
  assert.equal(res.status, 303, res.text);
  assert.equal(res.location, `/staff/polls/${id}`, `${what} failed`);
}

async function live(jar, id) {
  const r = await stack.get(`/staff/polls/${id}/live`, { cookies: jar });
  assert.equal(r.status, 200, r.text);
  return JSON.parse(r.text);
}

/** One phone: joins with the code as typed, answers `value` to the current question. */
async function participant(code, fields) {
  const jar = new CookieJar();
  const join = await stack.get(`/j?code=${code.toLowerCase().slice(0, 3)} ${code.slice(3)}`, { cookies: jar });
  assert.equal(join.status, 303);
  const page = await stack.get(join.location, { cookies: jar });
  assert.equal(page.status, 200, page.text);
  assert.match(jar.get('vp'), /^[0-9a-f]{32}$/);
  const form = formWith(page.text, `/j/${code}`, '_q');
  const res = await stack.post(`/j/${code}`, [...form, ...fields], { cookies: jar });
  assert.equal(res.status, 303, res.text);
  return { jar, form, res };
}

let id;
let code;
const fac = new CookieJar();

test('a facilitator starts a session and gets a code, a short address and a QR code', async () => {
  await signIn(fac);
  const list = await stack.get('/staff/polls', { cookies: fac });
  assert.equal(list.status, 200, list.text);
  assert.match(list.text, /Community Safety Strategy launch workshop/);
  const res = await stack.post('/staff/polls', [...formWith(list.text, '/staff/polls', 'name="set"'),
    ['set', 'poll-strategy-launch'], ['_nav', 'start']], { cookies: fac });
  assert.equal(res.status, 303, res.text);
  id = res.location.split('/').pop();
  const console_ = await stack.get(`/staff/polls/${id}`, { cookies: fac });
  code = console_.text.match(/<strong class="code">([^<]+)<\/strong>/)[1];
  assert.match(code, /^[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{6}$/);
  assert.ok(console_.text.includes(`${stack.base}/j/${code}`));
  assert.match(console_.text, /<svg xmlns="http:\/\/www.w3.org\/2000\/svg" class="qr"/);
  const lobby = await stack.get(`/j/${code}`);
  assert.match(lobby.text, /You have joined/);
  assert.doesNotMatch(lobby.text, /class="langs"/, 'a poll set in one language offers no chooser');
  assert.match(lobby.text, /http-equiv="refresh" content="5"/);
});

test('50 participants vote at once; the live JSON counts each exactly once', async () => {
  await act(fac, id, 'next'); // question 1: area (single)
  const choices = ['east', 'west', 'elsewhere', 'pnts'];
  const phones = await Promise.all(Array.from({ length: N }, (_, i) =>
    participant(code, [['area', choices[i % 4]]])));
  // A retried POST (the first answer's response lost) counts once.
  const again = await stack.post(`/j/${code}`, [...phones[0].form, ['area', 'east']], { cookies: phones[0].jar });
  assert.equal(again.status, 303);
  const j = await live(fac, id);
  assert.equal(j.question.answers, N);
  const counts = Object.fromEntries(j.question.bars.map((b) => [b.code, b.count]));
  assert.deepEqual(counts, { east: 13, west: 13, elsewhere: 12, pnts: 12 });
  assert.ok(j.connected >= N, `connected ${j.connected}`);
  const page = await stack.get(`/j/${code}`, { cookies: phones[1].jar });
  assert.match(page.text, /Your answer has been received/);
  const state = JSON.parse((await stack.get(`/j/${code}/state`, { cookies: phones[1].jar })).text);
  assert.deepEqual(state, { open: true, q: 0, locked: false });
  globalThis.phones = phones;
});

test('a locked question refuses votes; the next question takes a ranking', async () => {
  const { phones } = globalThis;
  await act(fac, id, 'lock');
  const late = await stack.post(`/j/${code}`, [...phones[2].form, ['area', 'west']], { cookies: phones[2].jar });
  assert.equal(late.location, `/j/${code}?late=1`);
  assert.equal((await live(fac, id)).question.bars.find((b) => b.code === 'west').count, 13);
  await act(fac, id, 'next'); // priorities (ranking, top 3)
  for (const p of phones.slice(0, 12)) {
    const page = await stack.get(`/j/${code}`, { cookies: p.jar });
    const res = await stack.post(`/j/${code}`, [...formWith(page.text, `/j/${code}`, '_q'),
      ['priorities.violence', '1'], ['priorities.trust', '2'], ['priorities.victims', '3']], { cookies: p.jar });
    assert.equal(res.location, `/j/${code}`);
  }
  const j = await live(fac, id);
  assert.equal(j.question.answers, 12);
  assert.deepEqual(j.question.points.slice(0, 3).map((b) => [b.code, b.count]),
    [['violence', 36], ['trust', 24], ['victims', 12]]);
  const bad = await stack.post(`/j/${code}`, [...phones[20].form.map(([k, v]) => [k, k === '_q' ? '1' : v]),
    ['priorities.violence', '1'], ['priorities.trust', '1']], { cookies: phones[20].jar });
  assert.equal(bad.status, 422);
  assert.match(bad.text, /class="error-summary"/);
});

test('ending the session asks first; until confirmed the session runs on', async () => {
  const page = await stack.get(`/staff/polls/${id}`, { cookies: fac });
  const form = formWith(page.text, `/staff/polls/${id}`);
  const ask = await stack.post(`/staff/polls/${id}`, [...form, ['_nav', 'end']], { cookies: fac });
  assert.equal(ask.status, 200, ask.text);
  assert.match(ask.text, /<h1>End the session\?<\/h1>/);
  assert.match(ask.text, /cannot be opened again/);
  assert.match(ask.text, /name="_sure" value="1"/);
  assert.match(ask.text, new RegExp(`<a class="button secondary" href="/staff/polls/${id}">No, go back`));
  assert.equal(sql('SELECT open FROM poll_session'), '1');
  assert.equal((await live(fac, id)).open, true);
  assert.equal(sql("SELECT count(*) FROM response WHERE channel = 'workshop'"), '0');
  // A participant's page is unchanged by the question.
  assert.doesNotMatch((await stack.get(`/j/${code}`)).text, /This session has ended/);
});

test('a button the console does not have is refused, and changes nothing', async () => {
  const page = await stack.get(`/staff/polls/${id}`, { cookies: fac });
  const form = formWith(page.text, `/staff/polls/${id}`);
  const before = await live(fac, id);
  for (const what of ['frobnicate', 'END', '']) {
    const res = await stack.post(`/staff/polls/${id}`, [...form, ['_nav', what]], { cookies: fac });
    assert.equal(res.status, 400, `${what}: ${res.text}`);
    assert.match(res.text, /This page has no such button/);
  }
  const start = await stack.post('/staff/polls', [...form, ['_nav', 'begin'], ['set', 'poll-strategy-launch']],
    { cookies: fac });
  assert.equal(start.status, 400, start.text);
  const after = await live(fac, id);
  assert.equal(after.rev, before.rev, 'the session did not change');
  assert.equal(sql('SELECT count(*) FROM poll_session'), '1');
});

test('ending the session stores one anonymous workshop response per participant', async () => {
  const running = await stack.get(`/staff/polls/${id}`, { cookies: fac });
  const ask = await stack.post(`/staff/polls/${id}`, [...formWith(running.text, `/staff/polls/${id}`),
    ['_nav', 'end']], { cookies: fac });
  const yes = await stack.post(`/staff/polls/${id}`, [...formWith(ask.text, `/staff/polls/${id}`, '_sure'),
    ['_nav', 'end']], { cookies: fac });
  assert.equal(yes.location, `/staff/polls/${id}`, yes.text);
  assert.equal(sql("SELECT count(*) FROM response WHERE survey = 'poll-strategy-launch' AND channel = 'workshop'"), String(N));
  assert.equal(sql("SELECT count(*) FROM answer a JOIN response r ON r.id = a.response WHERE r.survey = 'poll-strategy-launch' AND a.question = 'priorities'"), '36');
  assert.equal(sql('SELECT saved, open FROM poll_session'), '1|0');
  assert.equal(sql('SELECT count(*) FROM poll_presence'), '0');
  const ended = await stack.get(`/j/${code}`);
  assert.match(ended.text, /This session has ended/);
  const csv = await stack.get(`/staff/polls/${id}/export.csv`, { cookies: fac });
  assert.equal(csv.status, 200);
  assert.match(csv.text, /"area","single","50","east","East of the borough[^"]*","13"/);
  const json = JSON.parse((await stack.get(`/staff/polls/${id}/export.json`, { cookies: fac })).text);
  assert.equal(json.questions[1].answers, 12);
  assert.equal(json.questions[1].points.find((b) => b.code === 'victims').count, 12);
  assert.equal(json.questions[1].points.find((b) => b.code === 'vawg').count, 0);
  // Ending or saving again changes nothing (the console shows no such buttons any more).
  const page = await stack.get(`/staff/polls/${id}`, { cookies: fac });
  assert.match(page.text, /The answers have been saved for analysis/);
  for (const what of ['end', 'save', 'next']) {
    const r = await stack.post(`/staff/polls/${id}`, [...formWith(page.text, '/staff/logout'),
      ['_nav', what]], { cookies: fac });
    assert.equal(r.location, `/staff/polls/${id}`);
  }
  assert.equal(sql("SELECT count(*) FROM response WHERE channel = 'workshop'"), String(N));
});
