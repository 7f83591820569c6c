// A young person completes the knife-crime co-production survey by tapping, on a
// 360×740 phone in Debian's chromium, once with JavaScript and once without; every page
// passes axe-core's WCAG 2.2 AA rules, shows the help numbers and stays under 30 KB. The
// answer that goes alone ("I don't feel unsafe anywhere") unticks the others when ticked, and
// is unticked when another is; without JavaScript the server says they cannot go together.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { phoneContext, checkA11y, formatViolations, overflowsHorizontally } from './browser.mjs';
import { stackAndBrowser, tapAndLoad as submitBy, tapChoices } from './session.mjs';

const SURVEY = '/s/young-people-2026';
const env = stackAndBrowser();

function responses(channel) {
  return Number(env.stack.sql(`SELECT count(*) FROM response WHERE survey='young-people-2026' AND channel='${channel}'`));
}

/** Checks what every page must have, then answers what it shows by tapping. */
async function checkPage(page, label) {
  const violations = await checkA11y(page);
  assert.equal(violations.length, 0, `${label}: ${formatViolations(violations)}`);
  assert.equal(await overflowsHorizontally(page), false, `${label}: scrolls sideways`);
  const help = await page.locator('#help').innerText();
  assert.match(help, /999/, `${label}: emergency number`);
  assert.match(help, /0800 1111/, `${label}: Childline`);
  const size = await page.evaluate(() => document.documentElement.outerHTML.length);
  assert.ok(size < 30 * 1024, `${label}: ${size} bytes`);
}

async function answerPage(page) {
  await tapChoices(page);
  const text = page.locator('textarea, input.text');
  if (await text.count()) await text.first().fill('More youth clubs open late, and adults who listen.');
}

async function complete(javaScriptEnabled, channel) {
  const context = await phoneContext(env.browser, { javaScriptEnabled });
  const page = await context.newPage();
  const before = responses(channel);
  await page.goto(`${env.stack.base}${SURVEY}?c=${channel}`);
  await checkPage(page, 'start');
  await submitBy(page, /start/i);

  // Skipping a required question first shows the error next to it.
  await submitBy(page, /continue/i);
  const summary = page.locator('.error-summary');
  if (await summary.count()) {
    await checkPage(page, 'error page');
    assert.ok(await page.locator('.question.has-error .error').count() > 0);
  }

  for (let i = 0; i < 30; i++) {
    if (await page.locator('input[name=_p][value=check]').count()) break;
    await checkPage(page, `page ${i + 1}`);
    await answerPage(page);
    await submitBy(page, /continue/i);
  }
  assert.equal(await page.locator('input[name=_p]').getAttribute('value'), 'check');
  await checkPage(page, 'check answers');
  await submitBy(page, /send my answers/i);
  assert.match(page.url(), /\/done/);
  await checkPage(page, 'confirmation');
  assert.equal(responses(channel), before + 1);
  await context.close();
}

test('young people\'s survey on a phone with JavaScript', async () => {
  await complete(true, 'school');
});

test('young people\'s survey on a phone without JavaScript', async () => {
  await complete(false, 'youth-service');
});

test('the answer that goes alone: the page unticks the rest, the server refuses both without JavaScript', async () => {
  for (const javaScriptEnabled of [true, false]) {
    const context = await phoneContext(env.browser, { javaScriptEnabled });
    const page = await context.newPage();
    await page.goto(`${env.stack.base}${SURVEY}`);
    await submitBy(page, /start/i);
    await tapChoices(page);
    await submitBy(page, /continue/i);
    const box = (code) => page.locator(`input[name=unsafe_where][value=${code}]`);
    const ticked = () => page.locator('input[name=unsafe_where]:checked')
      .evaluateAll((l) => l.map((e) => e.value));
    for (const code of ['parks', 'online', 'nowhere']) await box(code).tap();
    if (javaScriptEnabled) {
      assert.deepEqual(await ticked(), ['nowhere'], 'ticking it unticks the others');
      await box('school').tap();
      assert.deepEqual(await ticked(), ['school'], 'ticking another unticks it');
    } else {
      assert.deepEqual(await ticked(), ['parks', 'online', 'nowhere']);
      await submitBy(page, /continue/i);
      assert.match(await page.locator('#e-unsafe_where').innerText(), /cannot go with the others/);
      assert.equal(await page.locator('.error-summary').count(), 1);
    }
    await context.close();
  }
});
