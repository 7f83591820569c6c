// Several app nodes on one database (make cluster): whatever a request needs is in the
// shared database or comes from the shared configuration, so any node serves any request.
// Each check sends one step to node A and the next to node B, through real nginx in front
// of each node: a staff sign-in made on A works on B and a sign-out on B ends it on A; a
// form made on A is accepted by B (the server secret is shared); a poll vote sent to A is
// on the projector served by B and the other way round; a draft saved on A resumes on B,
// by cookie and by code, and is sent from B; a one-per-device survey answered on one node
// is refused on another (two more nodes of the test's own, serving such a survey); a survey
// closed on one is closed on the other within seconds, and reopened from there; and nginx
// in front of both takes turns between them.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CookieJar, formWith, formFieldPairs, ROOT } from '../integration/stack.mjs';
import { openCluster, CLUSTER } from './cluster.mjs';
import { fill, begin, answerAll, markerSurvey } from '../integration/survey_steps.mjs';
import { signIn as staffSignIn } from '../integration/staff_steps.mjs';

const PW = 'a long cluster test pass phrase';
const SURVEY = '/s/residents-2026';
const ONCE = '/s/cluster-once';
const ONCE_YAML = markerSurvey({ id: 'cluster-once', title: 'Once per device', onePerDevice: true,
  comment: 'One response per device, on several nodes (tests/cluster/nodes.test.mjs).' });
let cl;
let A;
let B;
let C;
let D;
const who = `t${process.pid}${Date.now() % 100000}`;

before(async () => {
  cl = await openCluster();
  [A, B] = cl.nodes;
  cl.voices(['user', 'add', `${who}a`, '--role', 'admin', '--password-stdin'], `${PW}\n`);
  cl.voices(['user', 'add', `${who}f`, '--role', 'facilitator', '--password-stdin'], `${PW}\n`);
});
after(async () => { await cl?.close(); });

async function signIn(node, jar, name) {
  const res = await staffSignIn(node, jar, name, PW);
  assert.equal(res.status, 303, res.text);
  return res;
}

test('a staff sign-in on node A is valid on node B; signing out on B ends it on A', async () => {
  const jar = new CookieJar();
  await signIn(A, jar, `${who}a`);
  const onB = await B.get('/staff', { cookies: jar });
  assert.equal(onB.status, 200, `node B: ${onB.status} ${onB.location ?? ''}`);
  assert.match(onB.text, new RegExp(`${who}a`));
  const users = await B.get('/staff/users', { cookies: jar });
  assert.equal(users.status, 200, 'an administrator\'s page on B');
  // Sign out on B with the form B rendered.
  const home = await B.get('/staff', { cookies: jar });
  const out = await B.post('/staff/logout', formWith(home.text, '/staff/logout'), { cookies: jar });
  assert.equal(out.status, 303);
  const onA = await A.get('/staff', { cookies: jar });
  assert.equal(onA.status, 303, 'signed out on A too');
  assert.match(onA.location, /\/staff\/login/);
});

test('a sign-in form made on node A is accepted by node B (one server secret)', async () => {
  const jar = new CookieJar();
  const page = await A.get('/staff/login', { cookies: jar });
  const res = await B.post('/staff/login', [...formWith(page.text, '/staff/login'),
    ['name', `${who}a`], ['password', PW]], { cookies: jar });
  assert.equal(res.status, 303, res.text.slice(0, 500));
  assert.equal((await A.get('/staff', { cookies: jar })).status, 200);
});

async function act(node, jar, id, what) {
  const page = await node.get(`/staff/polls/${id}`, { cookies: jar });
  assert.equal(page.status, 200, page.text);
  const res = await node.post(`/staff/polls/${id}`, [...formWith(page.text, `/staff/polls/${id}`),
    ['_nav', what]], { cookies: jar });
  assert.equal(res.status, 303, res.text);
  assert.equal(res.location, `/staff/polls/${id}`, `${what} failed`);
}

async function vote(node, code, fields) {
  const jar = new CookieJar();
  const join_ = await node.get(`/j?code=${code}`, { cookies: jar });
  assert.equal(join_.status, 303);
  const page = await node.get(join_.location, { cookies: jar });
  assert.equal(page.status, 200, page.text);
  const res = await node.post(`/j/${code}`, [...formWith(page.text, `/j/${code}`, '_q'), ...fields],
    { cookies: jar });
  assert.equal(res.status, 303, res.text);
  return jar;
}

async function live(node, jar, id) {
  const r = await node.get(`/staff/polls/${id}/live`, { cookies: jar });
  assert.equal(r.status, 200, r.text);
  return JSON.parse(r.text);
}

test('a poll vote sent to node A is on the projector served by node B, and the other way', async () => {
  const fac = new CookieJar();
  await signIn(A, fac, `${who}f`);
  const list = await A.get('/staff/polls', { cookies: fac });
  const started = await A.post('/staff/polls', [...formWith(list.text, '/staff/polls', 'name="set"'),
    ['set', 'poll-strategy-launch'], ['_nav', 'start']], { cookies: fac });
  assert.equal(started.status, 303, started.text);
  const id = started.location.split('/').pop();
  const console_ = await B.get(`/staff/polls/${id}`, { cookies: fac });
  const code = console_.text.match(/<strong class="code">([^<]+)<\/strong>/)[1];
  // The facilitator moves to question 1 on B; phones join and vote on A and on B.
  await act(B, fac, id, 'next');
  const phoneA = await vote(A, code, [['area', 'east']]);
  await vote(B, code, [['area', 'west']]);
  await vote(A, code, [['area', 'west']]);
  for (const node of [A, B]) {
    const j = await live(node, fac, id);
    assert.equal(j.question.answers, 3, 'every vote counted on each node');
    const bars = Object.fromEntries(j.question.bars.map((b) => [b.code, b.count]));
    assert.equal(bars.east, 1);
    assert.equal(bars.west, 2);
  }
  const stage = await B.get(`/staff/polls/${id}/present?frag=1`, { cookies: fac });
  assert.equal(stage.status, 200);
  assert.match(stage.text, /<p class="huge">3<\/p>/, 'the projector on B shows the three answers');
  // A phone that voted on A is told on B that its answer is in; a lock made on A stops B.
  const seen = await B.get(`/j/${code}`, { cookies: phoneA });
  assert.match(seen.text, /Your answer has been received/);
  await act(A, fac, id, 'lock');
  const state = JSON.parse((await B.get(`/j/${code}/state`, { cookies: phoneA })).text);
  assert.equal(state.locked, true);
});

test('a draft saved on node A resumes on node B, by its cookie and by its code, and is sent from B', async () => {
  const before_ = Number(cl.sql('SELECT count(*) FROM response'));
  const jar = new CookieJar();
  let r = await begin(A, SURVEY, jar);
  r = await A.post(SURVEY, [...fill(r.text, { ward: 'woodside' }), ['_nav', 'next']], { cookies: jar });
  assert.equal(r.status, 200);
  // The cookie on B: the next page, with page 1's answer kept.
  const p1 = await B.get(`${SURVEY}/p?n=1`, { cookies: jar });
  assert.equal(p1.status, 200);
  assert.match(p1.text, /<option value="woodside" selected>/);
  // Save on B, resume by code on A in another browser, send from B.
  const p2 = await B.get(`${SURVEY}/p?n=2`, { cookies: jar });
  const saved = await B.post(SURVEY, [...fill(p2.text, { safe_day: '2', safe_dark: '4' }), ['_nav', 'save']],
    { cookies: jar, follow: false });
  assert.equal(saved.status, 303);
  const savedPage = await A.get(saved.location, { cookies: jar });
  const code = savedPage.text.match(/<p class="code"[^>]*>([0-9A-Z-]+)<\/p>/)?.[1];
  assert.ok(code, 'the saved page on A shows the code made on B');
  const other = new CookieJar();
  const form = await A.get(`${SURVEY}/resume`, { cookies: other });
  const back = await A.post(`${SURVEY}/resume`, [...formFieldPairs(form.text), ['code', code]],
    { cookies: other, follow: false });
  assert.equal(back.status, 303, back.text.slice(0, 500));
  r = await B.get(back.location, { cookies: other });
  assert.match(r.text, /name="safe_dark" value="4" checked/);
  r = await answerAll(B, SURVEY, other, r);
  const sent = await B.post(SURVEY, [...formFieldPairs(r.text), ['_nav', 'submit']], { cookies: other });
  assert.equal(sent.status, 303);
  assert.match(sent.location, /\/done\?/);
  // The confirmation's token, made on B, is honoured by A.
  const done = await A.get(sent.location, { cookies: other });
  assert.equal(done.status, 200);
  assert.match(done.text, /Answers received|received/i);
  assert.equal(Number(cl.sql('SELECT count(*) FROM response')), before_ + 1);
  // The draft is gone for the first browser too, on either node.
  const gone = await A.get(`${SURVEY}/p?n=1`, { cookies: jar });
  assert.equal(gone.status, 303);
  assert.match(gone.location, /gone=1/);
});

test('a one-per-device survey answered on one node is refused from the same device on another', async () => {
  // Two more nodes of the test's own, serving the tree's surveys and one asking for one
  // response per device.
  const dir = mkdtempSync('/tmp/voices-cluster-surveys-');
  cpSync(join(ROOT, 'surveys'), dir, { recursive: true });
  writeFileSync(join(dir, 'cluster-once.yaml'), ONCE_YAML);
  [C, D] = await cl.addNodes(dir);
  const jar = new CookieJar();
  const start = await C.get(ONCE, { cookies: jar });
  assert.equal(start.status, 200);
  assert.ok(jar.get('vd'), 'the device cookie');
  // The same device answers twice at once, once on C and once on D (two drafts, one
  // device cookie), then sends C's answers first.
  const toCheck = async (node, j, marker) => {
    const s = await node.get(ONCE, { cookies: j });
    let r = await node.post(ONCE, [...formFieldPairs(s.text), ['_nav', 'start']], { cookies: j });
    assert.equal(r.status, 200, r.text.slice(0, 300));
    return node.post(ONCE, [...formFieldPairs(r.text), ['marker', marker], ['_nav', 'next']], { cookies: j });
  };
  const jarD = new CookieJar();
  jarD.set('vd', jar.get('vd'));
  const onC = await toCheck(C, jar, '7');
  const onD = await toCheck(D, jarD, '8');
  const sent = await C.post(ONCE, [...formFieldPairs(onC.text), ['_nav', 'submit']], { cookies: jar });
  assert.equal(sent.status, 303, sent.text.slice(0, 300));
  assert.match(sent.location, /\/done\?/);
  const late = await D.post(ONCE, [...formFieldPairs(onD.text), ['_nav', 'submit']], { cookies: jarD });
  assert.equal(late.status, 409, 'the second tab\'s form, sent on D, is refused');
  assert.match(late.text, /Answers from this device have already been received/);
  const again = await D.get(ONCE, { cookies: jar });
  assert.match(again.text, /Answers from this device have already been received/);
  assert.equal(cl.sql("SELECT count(*) FROM response WHERE survey = 'cluster-once'") >= '1', true);
  const other = new CookieJar();
  const s2 = await D.get(ONCE, { cookies: other });
  assert.doesNotMatch(s2.text, /already been received/, 'another browser may answer');
  rmSync(dir, { recursive: true, force: true });
});

test('a survey closed by an administrator on one node is closed on another within seconds; reopened there', async (t) => {
  const text = (html) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
  const eventually = async (node, re) => {
    for (const until = Date.now() + 3000; ;) {
      const r = await node.get(ONCE);
      if (re.test(text(r.text)) || Date.now() > until) return text(r.text);
      await new Promise((ok) => setTimeout(ok, 100));
    }
  };
  const jar = new CookieJar();
  await signIn(C, jar, `${who}a`);
  const reopen = async (node) => {
    const p = await node.get('/staff/surveys/cluster-once', { cookies: jar });
    return node.post('/staff/surveys/cluster-once', [...formWith(p.text, '/staff/surveys/cluster-once',
      'reopen'), ['reason', 'reopened on another node']], { cookies: jar });
  };
  // Open again whatever happens: the survey is in the cluster's database for later runs.
  t.after(async () => {
    if ((await C.get('/staff/surveys/cluster-once', { cookies: jar })).text.includes('value="reopen"')) {
      await reopen(C);
    }
  });
  const page = await C.get('/staff/surveys/cluster-once', { cookies: jar });
  const closed = await C.post('/staff/surveys/cluster-once', [...formWith(page.text,
    '/staff/surveys/cluster-once', 'close'), ['reason', 'closed on one node']], { cookies: jar });
  assert.equal(closed.status, 303, closed.text.slice(0, 300));
  assert.match(await eventually(D, /closed on/), /This consultation closed on/);
  const reopened = await reopen(D);
  assert.equal(reopened.status, 303, reopened.text.slice(0, 300));
  assert.doesNotMatch(await eventually(C, /^(?![\s\S]*closed on)/), /closed on/);
});

/** System calls that read, summed over app node i's processes (supervisor, writer, workers). */
function reads(i) {
  const top = readFileSync(join(CLUSTER, 'run', `app${i}.pid`), 'utf8').trim();
  const kids = readFileSync(`/proc/${top}/task/${top}/children`, 'utf8').trim().split(/\s+/).filter(Boolean);
  return [top, ...kids].reduce((sum, pid) => {
    try {
      return sum + Number(readFileSync(`/proc/${pid}/io`, 'utf8').match(/^syscr: (\d+)$/m)[1]);
    } catch { return sum; } // a worker replaced meanwhile
  }, 0);
}

test('nginx in front of both nodes takes turns: each node answers some of 40 requests', async () => {
  const conf = readFileSync(join(CLUSTER, 'nginx', 'nginx.conf'), 'utf8');
  assert.match(conf, /server unix:[^;]*app1\/voices\.sock/);
  assert.match(conf, /server unix:[^;]*app2\/voices\.sock/);
  const r0 = [reads(1), reads(2)];
  for (let k = 0; k < 40; k++) assert.equal((await cl.front.get('/healthz')).status, 200);
  const grew = [reads(1) - r0[0], reads(2) - r0[1]];
  assert.ok(grew[0] >= 10 && grew[1] >= 10, `reads by node 1 and 2: ${grew}`);
});
