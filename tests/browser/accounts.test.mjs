// The staff account pages in Debian's chromium on a phone without JavaScript, driven as a
// person would: the admin opens an account from the list, resets its password (the code
// is shown once), its owner sets a new password with the code, signs in, changes it again
// and signs out everywhere. axe-core finds no WCAG 2.2 AA violation on any of the pages,
// with and without their error messages, and nothing scrolls sideways.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { addStaff } from '../integration/staff_steps.mjs';
import { phoneContext } from './browser.mjs';
import { stackAndBrowser, accessible as check, clickAndLoad as click, staffSignIn } from './session.mjs';

const ADMIN_PW = 'a long admin pass phrase';
const env = stackAndBrowser({}, {
  setup: (stack) => {
    for (const [name, role] of [['ada', 'admin'], ['fay', 'facilitator']]) addStaff(stack, name, role, ADMIN_PW);
  },
});

async function signIn(page, name, pw) {
  await staffSignIn(page, env.stack.base, name, pw);
  assert.equal(new URL(page.url()).pathname, '/staff');
}

test('reset, set a new password with the code, change it, sign out everywhere', async () => {
  const ctx = await phoneContext(env.browser, { javaScriptEnabled: false });
  try {
    const page = await ctx.newPage();
    await signIn(page, 'ada', ADMIN_PW);
    await click(page, 'link', 'Staff accounts');
    await check(page, 'accounts list');
    await click(page, 'link', 'fay');
    await check(page, 'one account');
    await click(page, 'button', 'Reset password');
    await check(page, 'reset code shown');
    const code = (await page.locator('code.secret').textContent()).trim();
    assert.match(code, /^[A-Z2-9]{4}(-[A-Z2-9]{4}){3}$/);
    await page.getByLabel('Role').selectOption('analyst');
    await click(page, 'button', 'Change role');
    await check(page, 'role changed');
    assert.equal(await page.locator('code.secret').count(), 0, 'the code is not shown again');

    const owner = await (await phoneContext(env.browser, { javaScriptEnabled: false })).newPage();
    await owner.goto(`${env.stack.base}/staff/login`);
    await click(owner, 'link', /reset code/);
    await check(owner, 'reset form');
    await owner.getByLabel('Reset code').fill(code);
    await owner.getByLabel('New password', { exact: true }).fill('fay new pass phrase');
    await owner.getByLabel('New password again').fill('fay other pass phrase');
    await click(owner, 'button', 'Set password');
    await check(owner, 'reset form with an error');
    await owner.getByLabel('Reset code').fill(code);
    await owner.getByLabel('New password', { exact: true }).fill('fay new pass phrase');
    await owner.getByLabel('New password again').fill('fay new pass phrase');
    await click(owner, 'button', 'Set password');
    assert.match(await owner.locator('main').textContent(), /Your new password is set/);
    await check(owner, 'sign-in after a reset');
    await signIn(owner, 'fay', 'fay new pass phrase');
    await click(owner, 'link', 'Your account');
    await check(owner, 'your account');
    assert.equal(await owner.getByText('This browser', { exact: true }).count(), 2);
    await owner.getByLabel('Current password').fill('not the password');
    await owner.getByLabel('New password', { exact: true }).fill('fay third pass phrase');
    await owner.getByLabel('New password again').fill('fay third pass phrase');
    await click(owner, 'button', 'Change password');
    await check(owner, 'your account with an error');
    await owner.getByLabel('Current password').fill('fay new pass phrase');
    await owner.getByLabel('New password', { exact: true }).fill('fay third pass phrase');
    await owner.getByLabel('New password again').fill('fay third pass phrase');
    await click(owner, 'button', 'Change password');
    assert.match(await owner.locator('main').textContent(), /Your password has been changed/);
    await check(owner, 'password changed');
    await click(owner, 'button', 'Sign out everywhere');
    assert.equal(new URL(owner.url()).pathname, '/staff/login');
    await owner.goto(`${env.stack.base}/staff`);
    assert.equal(new URL(owner.url()).pathname, '/staff/login', 'signed out');
    await owner.context().close();
  } finally {
    await ctx.close();
  }
});
