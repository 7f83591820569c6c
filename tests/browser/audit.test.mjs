// The audit trail page in Debian's chromium, on a phone without JavaScript and on a desktop:
// axe-core finds no WCAG 2.2 AA violation, nothing scrolls sideways, the chain is said to be
// verified, and the filter form works without a script (a GET that keeps the choice).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { startStack, ROOT } from '../integration/stack.mjs';
import { launch, phoneContext, checkA11y, formatViolations, overflowsHorizontally, elementsPastRightEdge } from './browser.mjs';

const BIN = resolve(ROOT, process.env.VOICES_BIN ?? 'build/asan/voices');
const PW = 'a long admin pass phrase';
let stack;
let browser;

before(async () => {
  stack = await startStack();
  execFileSync(BIN, ['-c', stack.configPath, 'user', 'add', 'ada', '--role', 'admin', '--password-stdin'],
    { cwd: ROOT, input: `${PW}\n` });
  execFileSync(BIN, ['-c', stack.configPath, 'user', 'add', 'a.very.long.staff.name.for.the.narrow.screen',
    '--role', 'analyst', '--password-stdin'], { cwd: ROOT, input: `${PW}\n` });
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await stack?.stop();
});

async function check(page, label) {
  const v = await checkA11y(page);
  assert.equal(v.length, 0, `${label}: ${formatViolations(v)}`);
  assert.equal(await overflowsHorizontally(page), false,
    `${label}: scrolls sideways: ${JSON.stringify(await elementsPastRightEdge(page))}`);
}

async function audit(page, label) {
  await page.goto(`${stack.base}/staff/login`);
  await page.getByLabel('Name').fill('ada');
  await page.getByLabel('Password').fill(PW);
  await Promise.all([page.waitForEvent('load'), page.getByRole('button', { name: /sign in/i }).click()]);
  await Promise.all([page.waitForEvent('load'), page.getByRole('link', { name: 'Audit trail' }).click()]);
  assert.match(page.url(), /\/staff\/audit$/);
  assert.match(await page.locator('#chain').textContent(), /Chain verified: \d+ entries/);
  await check(page, `${label} audit`);
  await page.getByLabel('Action').selectOption('user_created');
  await Promise.all([page.waitForEvent('load'), page.getByRole('button', { name: 'Show entries' }).click()]);
  assert.match(page.url(), /action=user_created/);
  assert.equal(await page.locator('table.audit tbody tr').count(), 2);
  await check(page, `${label} audit filtered`);
}

test('phone without JavaScript: accessible, no sideways scroll, filters by GET', async () => {
  const ctx = await phoneContext(browser, { javaScriptEnabled: false });
  try {
    await audit(await ctx.newPage(), 'phone');
  } finally {
    await ctx.close();
  }
});

test('desktop: accessible', async () => {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  try {
    await audit(await ctx.newPage(), 'desktop');
  } finally {
    await ctx.close();
  }
});
