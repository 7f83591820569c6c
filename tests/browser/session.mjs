// What most browser tests share: the stack and Chromium started before a file's tests and
// stopped after them, the checks every page must pass, and the taps that load a page.
//
//   import { stackAndBrowser, accessible, press } from './session.mjs';
//   const env = stackAndBrowser();                 // env.stack and env.browser, once started
//   test('...', async () => {
//     const page = await (await phoneContext(env.browser)).newPage();
//     await page.goto(`${env.stack.base}/s/residents-2026`);
//     await accessible(page, 'start page');
//     await press(page, 'Start now');
//   });
import { before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startStack } from '../integration/stack.mjs';
import { launch, checkA11y, formatViolations, overflowsHorizontally, elementsPastRightEdge } from './browser.mjs';

/**
 * Before the file's tests: starts the stack with stackOpts (see startStack; or a function
 * that prepares what they name and returns them), runs setup(stack) (accounts, data),
 * launches Chromium and runs open(env) (pages the tests share). After them: closes
 * Chromium, stops the stack and runs cleanup(). Returns env, { stack, browser }, both set
 * once before has run.
 */
export function stackAndBrowser(stackOpts = {}, { setup, open, cleanup } = {}) {
  const env = { stack: undefined, browser: undefined };
  before(async () => {
    env.stack = await startStack(typeof stackOpts === 'function' ? await stackOpts() : stackOpts);
    await setup?.(env.stack);
    env.browser = await launch();
    await open?.(env);
  });
  after(async () => {
    await env.browser?.close();
    await env.stack?.stop();
    await cleanup?.();
  });
  return env;
}

/**
 * Asserts that axe finds no violation on the page (rules: as checkA11y's) and that it does
 * not scroll sideways; label names the page in the failure.
 */
export async function accessible(page, label, { rules } = {}) {
  const v = await checkA11y(page, { rules });
  assert.equal(v.length, 0, `${label}: ${formatViolations(v)}`);
  assert.equal(await overflowsHorizontally(page), false,
    `${label}: scrolls sideways: ${JSON.stringify(await elementsPastRightEdge(page))}`);
}

/** Clicks the first element of role (button, link) named name and waits for the page it loads. */
export async function clickAndLoad(page, role, name) {
  await Promise.all([page.waitForEvent('load'), page.getByRole(role, { name }).first().click()]);
}

/** Clicks the first button named name and waits for the page it loads. */
export const press = (page, name) => clickAndLoad(page, 'button', name);

/** Follows the first link named name and waits for the page it loads. */
export const follow = (page, name) => clickAndLoad(page, 'link', name);

/** Signs name in on the staff login page of the stack at base. */
export async function staffSignIn(page, base, name, password) {
  await page.goto(`${base}/staff/login`);
  await page.getByLabel('Name').fill(name);
  await page.getByLabel('Password').fill(password);
  await press(page, /sign in/i);
}

/** Taps the first button named name and waits for the page it loads. */
export async function tapAndLoad(page, name) {
  await Promise.all([page.waitForEvent('load'), page.getByRole('button', { name }).first().tap()]);
}

/**
 * Answers each fieldset of the page by tapping: its second radio, its first checkbox, and
 * ranks 1, 2, ... in a ranking, as many as it has positions.
 */
export async function tapChoices(page) {
  for (const group of await page.locator('fieldset').all()) {
    const radios = group.locator('input[type=radio]');
    if (await radios.count()) await radios.nth(1).tap();
    const boxes = group.locator('input[type=checkbox]');
    if (await boxes.count()) await boxes.first().tap();
    const ranks = group.locator('ul.ranking select');
    const n = await ranks.count();
    for (let i = 0; i < n; i++) {
      const positions = await ranks.nth(i).locator('option').count() - 1;
      if (i < positions) await ranks.nth(i).selectOption(String(i + 1));
    }
  }
}
