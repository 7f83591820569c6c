// Stall entry on a shared tablet in Debian's chromium: a facilitator signs in, opens the
// long form at tablet width and keys in one response with the keyboard alone (Tab, Space,
// typing, Enter); the page passes axe-core, comes back empty with the batch count, and
// Back does not bring the answers back. The links page passes axe-core, and the poster of
// the young people's survey (with its help box) prints as one A4 page.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { addStaff } from '../integration/staff_steps.mjs';
import { checkA11y, formatViolations } from './browser.mjs';
import { stackAndBrowser, accessible as pageAccessible, staffSignIn } from './session.mjs';

const PW = 'fran pass phrase 123';
let context;
let page;
const env = stackAndBrowser({}, {
  setup: (stack) => addStaff(stack, 'fran', 'facilitator', PW),
  open: async ({ stack, browser }) => {
    context = await browser.newContext({ viewport: { width: 768, height: 1024 }, hasTouch: true, locale: 'en-GB' });
    page = await context.newPage();
    await staffSignIn(page, stack.base, 'fran', PW);
  },
});

function sql(query) {
  return env.stack.sql(query);
}

const accessible = (label) => pageAccessible(page, label);

/** Presses Tab until test(document.activeElement) holds; fails after 400 presses. */
async function tabTo(what, test) {
  for (let i = 0; i < 400; i++) {
    await page.keyboard.press('Tab');
    if (await page.evaluate(test)) return;
  }
  assert.fail(`Tab never reached ${what}`);
}

const state = () => page.evaluate(() => ({
  checked: document.querySelectorAll('input:checked').length,
  ward: document.getElementById('i-ward').value,
  text: [...document.querySelectorAll('textarea, input.text')].map((e) => e.value).join(''),
}));

test('one stall response keyed in with the keyboard alone; the form comes back empty', async () => {
  await page.goto(`${env.stack.base}/staff/surveys/residents-2026/enter`);
  await accessible('choose a channel');
  await Promise.all([page.waitForEvent('load'), page.getByRole('link', { name: 'Stall' }).click()]);
  assert.match(await page.locator('#batch-count').innerText(), /Entered in this batch: 0/);
  await accessible('entry form');

  await tabTo('the ward', () => document.activeElement?.id === 'i-ward');
  await page.keyboard.type('Bruce');
  await tabTo('after dark', () => document.activeElement?.name === 'safe_dark');
  await page.keyboard.press('Space');
  await tabTo('where unsafe', () => document.activeElement?.name === 'unsafe_places');
  await page.keyboard.press('Space');
  await tabTo('what would help', () => document.activeElement?.id === 'i-unsafe_help');
  await page.keyboard.type('Brighter lights by the station');
  const filled = await state();
  assert.deepEqual(filled, { checked: 2, ward: 'bruce-castle', text: 'Brighter lights by the station' });
  await tabTo('the save button', () => document.activeElement?.textContent === 'Save and enter the next one');
  await Promise.all([page.waitForEvent('load'), page.keyboard.press('Enter')]);

  assert.match(await page.locator('#batch-count').innerText(), /Entered in this batch: 1/);
  assert.match(await page.locator('[role=status]').innerText(), /Saved/);
  assert.deepEqual(await state(), { checked: 0, ward: '', text: '' });
  await accessible('entry form after a save');
  assert.equal(sql("SELECT count(*) FROM response WHERE channel = 'stall'"), '1');
  assert.equal(sql("SELECT group_concat(x, ' ') FROM (SELECT a.question || '=' || a.value AS x FROM answer a JOIN response r ON r.id = a.response WHERE r.channel = 'stall' AND a.value IS NOT NULL ORDER BY a.question)"),
    'safe_dark=1 unsafe_places=streets ward=bruce-castle');

  // Back leads to the form as it was first served, empty: nothing of the answers is kept.
  await page.goBack();
  await page.waitForLoadState('load');
  assert.deepEqual(await state(), { checked: 0, ward: '', text: '' });
  assert.match(await page.locator('#batch-count').innerText(), /Entered in this batch: 0/);

  // A form with an error: the message sits by its question, and the page still passes axe.
  await page.goForward();
  await page.waitForLoadState('load');
  await Promise.all([page.waitForEvent('load'), page.getByRole('button', { name: 'Save and enter the next one' }).click()]);
  assert.match(await page.locator('#q-ward .error').innerText(), /./);
  await accessible('entry form with an error');
});

test('the links page passes axe; the poster prints as one A4 page', async () => {
  // The QR code file is an SVG document the browser parses as one (no parser error).
  await page.goto(`${env.stack.base}/staff/surveys/young-people-2026/qr.svg?c=school`);
  assert.deepEqual(await page.evaluate(() => ({
    root: `${document.documentElement.namespaceURI} ${document.documentElement.localName}`,
    errors: document.getElementsByTagName('parsererror').length,
    width: document.documentElement.getBoundingClientRect().width,
  })).then((r) => ({ ...r, width: r.width > 0 })), { root: 'http://www.w3.org/2000/svg svg', errors: 0, width: true });

  await page.goto(`${env.stack.base}/staff/surveys/young-people-2026/links`);
  await accessible('links');
  await Promise.all([page.waitForEvent('load'), page.getByRole('link', { name: 'A4 poster (School)' }).click()]);
  assert.match(page.url(), /\/poster\?c=school$/);
  const v = await checkA11y(page);
  assert.equal(v.length, 0, `poster: ${formatViolations(v)}`);
  assert.ok(await page.locator('.poster-qr svg').isVisible());
  await page.emulateMedia({ media: 'print' });
  assert.equal(await page.locator('.poster-tools').isVisible(), false, 'the printing note is not printed');
  assert.ok(await page.locator('.poster-help').isVisible(), 'the help box is printed');
  const pdf = (await page.pdf({ preferCSSPageSize: true, printBackground: true })).toString('latin1');
  const pages = pdf.match(/\/Type\s*\/Page(?!s)/g) ?? [];
  assert.equal(pages.length, 1, 'one page');
  const box = pdf.match(/\/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]/);
  assert.ok(box, 'a MediaBox');
  // A4 is 210 × 297 mm: 595.3 × 841.9 points.
  assert.ok(Math.abs(Number(box[1]) - 595.3) < 2 && Math.abs(Number(box[2]) - 841.9) < 2, `${box[1]} × ${box[2]}`);
});
