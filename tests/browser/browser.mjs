// Browser tests drive Debian's Chromium (/usr/bin/chromium) with playwright-core, and check
// accessibility with axe-core; both come from package.json (scripts/deps.sh installs them).
//
//   import { launch, phoneContext, checkA11y } from '../browser/browser.mjs';
//   const browser = await launch();
//   const context = await phoneContext(browser, { javaScriptEnabled: false });
//   const page = await context.newPage();
//   await page.goto(`${stack.base}/s/residents-2026`);
//   assert.deepEqual(await checkA11y(page), []);
//   await browser.close();
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';

const require = createRequire(import.meta.url);

export const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';

// No network beyond loopback, no background services, a fresh profile every launch
// (Playwright makes a new empty user data directory itself).
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Launches headless Chromium. opts go to chromium.launch (for example slowMo). */
export function launch(opts = {}) {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    timeout: 30000,
    ...opts,
  });
}

/**
 * A small phone: 360×740 CSS pixels, touch, device scale factor 2. javaScriptEnabled
 * defaults to true; every page must also work with it false. Other options go to
 * browser.newContext (locale, colorScheme, reducedMotion, ...).
 */
export async function phoneContext(browser, { javaScriptEnabled = true, ...opts } = {}) {
  const options = {
    viewport: { width: 360, height: 740 },
    screen: { width: 360, height: 740 },
    isMobile: true,
    hasTouch: true,
    deviceScaleFactor: 2,
    javaScriptEnabled,
    locale: 'en-GB',
    userAgent: 'Mozilla/5.0 (Linux; Android 14; Pixel 7) AppleWebKit/537.36 (KHTML, like Gecko) '
      + 'Chrome/130.0.0.0 Mobile Safari/537.36',
    ...opts,
  };
  const context = await browser.newContext(options);
  contextOptions.set(context, options);
  // The policy each page was served with, for checkA11y's script-free copy.
  context.on('response', (res) => {
    const req = res.request();
    const frame = req.frame?.();
    if (!req.isNavigationRequest() || !frame || frame.parentFrame()) return;
    const csp = res.headers()['content-security-policy'];
    if (csp) documentPolicy.set(frame.page(), csp);
    else documentPolicy.delete(frame.page());
  });
  return context;
}

const contextOptions = new WeakMap();
const documentPolicy = new WeakMap();

let axeSource;
function axe() {
  axeSource ??= readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
  return axeSource;
}

export const A11Y_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

/**
 * Readable text for axe violations: rule, impact, help, then each element and its fix; one
 * string per rule (strings, as checkA11y returns them, pass through unchanged).
 */
export function formatViolations(violations) {
  return violations.map((v) => {
    if (typeof v === 'string') return v;
    const nodes = v.nodes.slice(0, 10).map((n) => {
      const why = (n.failureSummary ?? '').replace(/\s*\n\s*/g, ' ').trim();
      return `  ${n.target.join(' ')}: ${why}\n    ${n.html.slice(0, 200)}`;
    });
    if (v.nodes.length > 10) nodes.push(`  ... and ${v.nodes.length - 10} more`);
    return `${v.id} (${v.impact}): ${v.help} [${v.helpUrl}]\n${nodes.join('\n')}`;
  });
}

/**
 * Runs axe-core on the page against WCAG 2.0/2.1/2.2 A and AA. Returns one readable string
 * per violated rule, so `assert.deepEqual(await checkA11y(page), [])` shows what is wrong.
 * opts: { context (an axe context: selector or {include, exclude}), rules (axe rules
 * option, to disable one: { 'rule-id': { enabled: false } }), raw: true for axe's objects }.
 *
 * The app's Content-Security-Policy forbids inline and injected scripts, so axe is not added
 * as a <script>: its source is evaluated through the DevTools protocol, which the page's
 * CSP does not govern. Works in contexts with JavaScript disabled too (see below).
 */
export async function checkA11y(page, { context, rules, raw = false } = {}) {
  const options = contextOptions.get(page.context());
  if (options?.javaScriptEnabled === false || page.context()._options?.javaScriptEnabled === false) {
    return checkA11yWithoutScript(page, options, { context, rules, raw });
  }
  const hasAxe = await page.evaluate(() => typeof window.axe === 'object').catch(() => false);
  if (!hasAxe) await page.evaluate(axe());
  const result = await page.evaluate(
    async ({ ctx, tags, rulesOpt }) => {
      const opts = { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] };
      if (rulesOpt) opts.rules = rulesOpt;
      const r = await window.axe.run(ctx ?? document, opts);
      return r.violations.map((v) => ({
        id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
        nodes: v.nodes.map((n) => ({ target: n.target, html: n.html, failureSummary: n.failureSummary })),
      }));
    },
    { ctx: context ?? null, tags: A11Y_TAGS, rulesOpt: rules ?? null },
  );
  return raw ? result : formatViolations(result);
}

// Where JavaScript is disabled, no timer or promise job runs in the page, and axe needs both.
// So the page as it stands (its DOM serialised, <noscript> content shown as it is without
// script) is loaded at the same address, under the Content-Security-Policy it was served
// with, into a page of a context that has the same options but script enabled, with every
// script request refused, and axe runs there. Stylesheets and images come from the server.
async function checkA11yWithoutScript(page, options, opts) {
  const browser = page.context().browser();
  const base = options ?? page.context()._options ?? {};
  const twin = await browser.newContext({ ...base, javaScriptEnabled: true });
  try {
    let html = (await page.content())
      .replace(/<noscript\b/gi, '<div data-noscript=""')
      .replace(/<\/noscript\s*>/gi, '</div>');
    // Where the caller turned the meta-refresh rule off, the copy must not refresh itself
    // either: on a busy machine axe can take longer than the refresh and lose its page.
    if (opts.rules?.['meta-refresh']?.enabled === false) {
      html = html.replace(/<meta\b[^>]*http-equiv=["']?refresh["']?[^>]*>/gi, '');
    }
    const url = page.url();
    const policy = documentPolicy.get(page);
    const copy = await twin.newPage();
    await copy.route('**/*', (route) => {
      const req = route.request();
      if (req.isNavigationRequest() && req.url() === url) {
        const headers = { 'content-type': 'text/html; charset=utf-8' };
        if (policy) headers['content-security-policy'] = policy;
        return route.fulfill({ status: 200, headers, body: html });
      }
      if (req.resourceType() === 'script') return route.abort();
      return route.continue();
    });
    await copy.goto(url, { waitUntil: 'load' });
    return await checkA11y(copy, opts);
  } finally {
    await twin.close();
  }
}

/** True when the page scrolls sideways (content wider than the viewport). */
export function overflowsHorizontally(page) {
  return page.evaluate(() => document.documentElement.scrollWidth > document.documentElement.clientWidth + 1);
}

/** The innermost elements that stick out past the right edge of the viewport, described. */
export function elementsPastRightEdge(page) {
  return page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const out = [];
    for (const el of document.body.querySelectorAll('*')) {
      const r = el.getBoundingClientRect();
      if (r.right <= width + 1 || r.width === 0) continue;
      if ([...el.children].some((c) => c.getBoundingClientRect().right > width + 1)) continue;
      const name = el.tagName.toLowerCase() + (el.id ? `#${el.id}` : '')
        + (el.className && typeof el.className === 'string' ? `.${el.className.trim().split(/\s+/).join('.')}` : '');
      out.push(`${name} (right edge ${Math.round(r.right)} px of ${width}): ${(el.textContent ?? '').trim().slice(0, 60)}`);
    }
    return out.slice(0, 10);
  });
}
