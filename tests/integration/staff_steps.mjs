// Staff accounts for the tests that act as staff: one added with the app's own command, and
// a sign-in through the login form of a stack (stack.mjs) or a cluster node, anything with
// get and post.
//
//   import { addStaff, signIn } from './staff_steps.mjs';
//   addStaff(stack, 'fran', 'facilitator', PW);
//   const res = await signIn(stack, jar, 'fran', PW);   // the login POST's response
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { ROOT, formWith } from './stack.mjs';

/** The app binary the stacks run: $VOICES_BIN, else build/asan/voices. */
export const BIN = resolve(ROOT, process.env.VOICES_BIN ?? 'build/asan/voices');

/** Adds the account name with role and password to stack's database (`voices user add`). */
export function addStaff(stack, name, role, password) {
  execFileSync(BIN, ['-c', stack.configPath, 'user', 'add', name, '--role', role, '--password-stdin'],
    { cwd: ROOT, input: `${password}\n` });
}

/**
 * Signs name in through node's login form, the session going into jar (a CookieJar).
 * Returns the response to the login POST; the caller checks it.
 */
export async function signIn(node, jar, name, password) {
  const page = await node.get('/staff/login', { cookies: jar });
  return node.post('/staff/login', [...formWith(page.text, '/staff/login'), ['name', name],
    ['password', password]], { cookies: jar });
}
