// The results pages in Debian's chromium on a phone (360 px) without JavaScript: an admin
// pastes the analysts' report.json into the results page's form, adds a "We did" entry and
// publishes; the admin page, the preview and the public page /r/ID have no axe-core WCAG 2.2
// AA violation and nothing scrolls sideways, on screen and in print.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { addStaff } from '../integration/staff_steps.mjs';
import { generate, writeReport } from '../integration/analyse_steps.mjs';
import { phoneContext, overflowsHorizontally } from './browser.mjs';
import { stackAndBrowser, accessible as check, staffSignIn } from './session.mjs';

const PW = 'a long admin pass phrase';
const SURVEY = 'residents-2026';
const ADMIN = `/staff/surveys/${SURVEY}/results`;
let out;
const env = stackAndBrowser({}, {
  setup: async (stack) => {
    out = mkdtempSync('/tmp/voices-results-b-');
    await generate(stack, { n: 400, seed: 11 });
    await writeReport(stack, { survey: SURVEY, out, formats: 'json' });
    addStaff(stack, 'adm', 'admin', PW);
  },
  cleanup: () => { if (out) rmSync(out, { recursive: true, force: true }); },
});

async function submit(page, button) {
  await Promise.all([page.waitForEvent('load'), button.click()]);
}

test('phone without JavaScript: upload, an entry, publish; every page accessible', async () => {
  const ctx = await phoneContext(env.browser, { javaScriptEnabled: false });
  try {
    const page = await ctx.newPage();
    await staffSignIn(page, env.stack.base, 'adm', PW);
    // Results are for a closed survey: close it first, as an admin does on its page.
    await page.goto(`${env.stack.base}/staff/surveys/${SURVEY}`);
    await page.getByLabel('Reason').fill('the consultation has ended');
    await submit(page, page.getByRole('button', { name: /close the survey/i }));
    assert.equal((await page.goto(`${env.stack.base}${ADMIN}`)).status(), 200);
    await check(page, 'admin page');

    await page.getByLabel('report.json').fill('{"tables": []}');
    await submit(page, page.getByRole('button', { name: 'Check and save the themes' }));
    assert.ok(await page.getByRole('alert').count() > 0, 'a refusal is an error summary');
    await check(page, 'admin page with an error');

    // Compact, as a paste of it would be after any editor's reformat: the same tables.
    const report = JSON.stringify(JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')));
    await page.getByLabel('report.json').fill(report, { timeout: 120000 });
    await submit(page, page.getByRole('button', { name: 'Check and save the themes' }));
    assert.ok(await page.getByText('The themes were checked and saved.').count() > 0);
    await page.locator('#n-title').fill('More youth workers in Northumberland Park');
    await page.locator('#n-body').fill('Two new youth workers started in September.\n\nThey run sessions on Friday evenings.');
    await page.locator('#n-status').selectOption('2');
    await page.locator('#n-day').fill('2026-09-15');
    await submit(page, page.getByRole('button', { name: 'Add an entry' }));
    assert.ok(await page.getByText('The entry was saved.').count() > 0);
    await check(page, 'admin page with an entry');

    assert.equal((await page.goto(`${env.stack.base}${ADMIN}/preview`)).status(), 200);
    await check(page, 'preview');
    await page.goto(`${env.stack.base}${ADMIN}`);
    await submit(page, page.getByRole('button', { name: 'Publish the page' }));

    const pub = await ctx.newPage();
    assert.equal((await pub.goto(`${env.stack.base}/r/${SURVEY}`)).status(), 200);
    await check(pub, 'public page');
    assert.ok(await pub.getByRole('heading', { name: 'More youth workers in Northumberland Park' }).count() === 1);
    assert.ok(await pub.locator('blockquote').count() > 5, 'quotes');
    assert.ok(await pub.locator('#t-themes-areas').count() === 1, 'themes per area');
    await pub.emulateMedia({ media: 'print' });
    assert.equal(await overflowsHorizontally(pub), false, 'prints without cutting the side off');
  } finally {
    await ctx.close();
  }
});
