// Every start page in a phone-sized Chromium, with and without JavaScript: it loads, fits the
// screen, asks nothing of any other host, raises no console error (a CSP violation is one),
// and meets WCAG 2.2 AA as far as axe-core can tell.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../integration/stack.mjs';
import { checkA11y, elementsPastRightEdge, overflowsHorizontally, phoneContext } from './browser.mjs';
import { stackAndBrowser } from './session.mjs';

function surveyPages() {
  const pages = ['/', '/j'];
  const dir = join(ROOT, 'surveys');
  for (const f of readdirSync(dir).sort()) {
    if (!f.endsWith('.yaml') || f === 'ui.yaml') continue;
    const text = readFileSync(join(dir, f), 'utf8');
    const id = text.match(/^id:\s*["']?([A-Za-z0-9_-]+)/m)?.[1];
    if (!id || /^kind:\s*poll/m.test(text)) continue; // poll sets are joined at /j, not /s
    pages.push(/^audience:\s*young/m.test(text) ? `/s/${id}?c=school` : `/s/${id}`);
  }
  return pages;
}

const env = stackAndBrowser();

for (const javaScriptEnabled of [false, true]) {
  describe(`phone, JavaScript ${javaScriptEnabled ? 'on' : 'off'}`, () => {
    for (const path of surveyPages()) {
      test(`GET ${path}`, async () => {
        const context = await phoneContext(env.browser, { javaScriptEnabled });
        const page = await context.newPage();
        const errors = [];
        const foreign = [];
        const failed = [];
        page.on('console', (m) => {
          // Failed loads are reported with their address below; Chromium asks for
          // /favicon.ico by itself, which the app need not have.
          if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) errors.push(m.text());
        });
        page.on('response', (r) => {
          if (r.status() >= 400 && new URL(r.url()).pathname !== '/favicon.ico') failed.push(`${r.status()} ${r.url()}`);
        });
        page.on('pageerror', (e) => errors.push(String(e)));
        page.on('request', (r) => {
          const u = new URL(r.url());
          if (u.protocol !== 'data:' && u.host !== new URL(env.stack.base).host) foreign.push(r.url());
        });
        try {
          const res = await page.goto(env.stack.base + path, { waitUntil: 'load' });
          assert.equal(res.status(), 200, `${path} answered ${res.status()}`);
          assert.deepEqual(foreign, [], 'requests to other hosts');
          assert.deepEqual(failed, [], 'failed requests');
          if (await overflowsHorizontally(page)) {
            assert.fail(`the page scrolls sideways at 360 px:\n${(await elementsPastRightEdge(page)).join('\n')}`);
          }
          assert.deepEqual(await checkA11y(page), [], `accessibility of ${path}`);
          assert.deepEqual(errors, [], 'console errors');
        } finally {
          await context.close();
        }
      });
    }
  });
}
