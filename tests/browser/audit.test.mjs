// The audit trail page in Debian's chromium, on a phone without JavaScript and on a desktop:
// axe-core finds no WCAG 2.2 AA violation, nothing scrolls sideways, the chain is said to be
// verified, and the filter form works without a script (a GET that keeps the choice).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { addStaff } from '../integration/staff_steps.mjs';
import { phoneContext } from './browser.mjs';
import { stackAndBrowser, accessible as check, follow, press, staffSignIn } from './session.mjs';

const PW = 'a long admin pass phrase';
const env = stackAndBrowser({}, {
  setup: (stack) => {
    addStaff(stack, 'ada', 'admin', PW);
    addStaff(stack, 'a.very.long.staff.name.for.the.narrow.screen', 'analyst', PW);
  },
});

async function audit(page, label) {
  await staffSignIn(page, env.stack.base, 'ada', PW);
  await follow(page, 'Audit trail');
  assert.match(page.url(), /\/staff\/audit$/);
  assert.match(await page.locator('#chain').textContent(), /Chain verified: \d+ entries/);
  await check(page, `${label} audit`);
  await page.getByLabel('Action').selectOption('user_created');
  await press(page, 'Show entries');
  assert.match(page.url(), /action=user_created/);
  assert.equal(await page.locator('table.audit tbody tr').count(), 2);
  await check(page, `${label} audit filtered`);
}

test('phone without JavaScript: accessible, no sideways scroll, filters by GET', async () => {
  const ctx = await phoneContext(env.browser, { javaScriptEnabled: false });
  try {
    await audit(await ctx.newPage(), 'phone');
  } finally {
    await ctx.close();
  }
});

test('desktop: accessible', async () => {
  const ctx = await env.browser.newContext({ viewport: { width: 1280, height: 800 } });
  try {
    await audit(await ctx.newPage(), 'desktop');
  } finally {
    await ctx.close();
  }
});
