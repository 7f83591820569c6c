// The survey dashboard and the downloads page in Debian's chromium, on a phone (360 px,
// without JavaScript: the pages have none) and on a desktop: axe-core finds no WCAG 2.2 AA
// violation, nothing scrolls sideways, the chart of responses by day is an image with a text
// alternative whose bars match the visible days of the table beside it. A screenshot of the
// desktop dashboard is saved to var/dashboard.png.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../integration/stack.mjs';
import { addStaff } from '../integration/staff_steps.mjs';
import { generate } from '../integration/analyse_steps.mjs';
import { phoneContext } from './browser.mjs';
import { stackAndBrowser, accessible as check, staffSignIn } from './session.mjs';

const PW = 'a long analyst pass phrase';
const DASH = '/staff/surveys/residents-2026/dashboard';
const env = stackAndBrowser({}, {
  setup: async (stack) => {
    await generate(stack, { n: 400, seed: 11 });
    addStaff(stack, 'ana', 'analyst', PW);
  },
});

const signIn = (page) => staffSignIn(page, env.stack.base, 'ana', PW);

async function dashboard(page, label) {
  await signIn(page);
  const res = await page.goto(`${env.stack.base}${DASH}`);
  assert.equal(res.status(), 200);
  await check(page, `${label} dashboard`);
  const chart = page.getByRole('img', { name: /Responses by day/ });
  assert.equal(await chart.count(), 1, 'the chart is an image with a name');
  const bars = await page.locator('svg.daychart rect title').allTextContents();
  const days = await page.locator('#t-day tbody tr').evaluateAll((trs) => trs
    .map((tr) => [tr.dataset.code, tr.querySelector('td.n').textContent])
    .filter(([code, n]) => code !== 'other' && n !== '[c]' && n !== '0')
    .map(([code, n]) => `${code}: ${n}`));
  assert.ok(bars.length > 5, `bars: ${bars.length}`);
  assert.deepEqual(bars, days, 'one bar per visible day of the table, with its number');
  assert.ok(await page.locator('#t-day td.n', { hasText: '[c]' }).count() > 0, 'some days hidden');
  await Promise.all([page.waitForEvent('load'), page.getByRole('link', { name: /Download the findings/ }).click()]);
  await check(page, `${label} downloads`);
  assert.ok(await page.getByText('voices-analyse report --db voices-copy.db').count() > 0);
}

test('phone without JavaScript: accessible, no sideways scroll, chart with its table', async () => {
  const ctx = await phoneContext(env.browser, { javaScriptEnabled: false });
  try {
    await dashboard(await ctx.newPage(), 'phone');
  } finally {
    await ctx.close();
  }
});

test('desktop: accessible, chart with its table; screenshot', async () => {
  const ctx = await env.browser.newContext({ viewport: { width: 1280, height: 800 } });
  try {
    const page = await ctx.newPage();
    await dashboard(page, 'desktop');
    await page.goto(`${env.stack.base}${DASH}`);
    mkdirSync(join(ROOT, 'var'), { recursive: true });
    await page.screenshot({ path: join(ROOT, 'var', 'dashboard.png'), fullPage: false });
  } finally {
    await ctx.close();
  }
});
