// A workshop poll as the poll tests run it: a stack whose POST limits let a whole room
// behind one address answer, a facilitator signed in, and the steps of the facilitator's
// console and of a participant's phone.
//
//   import { pollRoom } from './poll_steps.mjs';
//   const room = pollRoom(PW);               // room.stack and room.fac once before has run
//   const { id, code } = await room.start([['_nav', 'start'], ['set', 'poll-knife-crime-youth']]);
//   await room.answer(phoneJar, code, [['age_band', '11-13']]);
//   await room.act(id, [['_nav', 'next']]);
import { before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startStack, CookieJar, formWith } from './stack.mjs';
import { addStaff, signIn } from './staff_steps.mjs';

/**
 * Before the file's tests: starts a stack (stackOpts added to the room's POST limits) and
 * signs in fran, a facilitator with password, into room.fac; after them, stops the stack.
 */
export function pollRoom(password, stackOpts = {}) {
  const room = { stack: undefined, fac: new CookieJar() };
  before(async () => {
    room.stack = await startStack({ nginxEnv: { NGINX_POST_RATE: '1000r/s', NGINX_POST_BURST: '2000' },
      ...stackOpts });
    addStaff(room.stack, 'fran', 'facilitator', password);
    await signIn(room.stack, room.fac, 'fran', password);
  });
  after(async () => { await room.stack?.stop(); });

  /** Starts a poll from the console's form with fields; returns its { id, code }. */
  room.start = async (fields) => {
    const list = await room.stack.get('/staff/polls', { cookies: room.fac });
    const res = await room.stack.post('/staff/polls', [...formWith(list.text, '/staff/polls'), ...fields],
      { cookies: room.fac });
    assert.equal(res.status, 303, res.text);
    const id = res.location.split('/').pop();
    const page = await room.stack.get(`/staff/polls/${id}`, { cookies: room.fac });
    return { id, code: page.text.match(/<strong class="code">([^<]+)<\/strong>/)[1] };
  };

  /** Sends fields with the console's token; asserts that it goes back to the console. */
  room.act = async (id, fields) => {
    const page = await room.stack.get(`/staff/polls/${id}`, { cookies: room.fac });
    const res = await room.stack.post(`/staff/polls/${id}`, [...formWith(page.text, '/staff/logout'), ...fields],
      { cookies: room.fac });
    assert.equal(res.location, `/staff/polls/${id}`, JSON.stringify(fields));
  };

  /** The console's live view of poll id. */
  room.live = async (id) => JSON.parse((await room.stack.get(`/staff/polls/${id}/live`, { cookies: room.fac })).text);

  /**
   * A participant (phone, a CookieJar) sends fields with the page's form that holds form
   * ('_q': the question's); asserts that it leads to expect. Returns the page answered.
   */
  room.answer = async (phone, code, fields, { form = '_q', expect = `/j/${code}` } = {}) => {
    const page = await room.stack.get(`/j/${code}`, { cookies: phone });
    const res = await room.stack.post(`/j/${code}`, [...formWith(page.text, `/j/${code}`, form), ...fields],
      { cookies: phone });
    assert.equal(res.location, expect, res.text.slice(0, 500));
    return page;
  };
  return room;
}
