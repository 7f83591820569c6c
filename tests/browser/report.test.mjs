// The analysis report's HTML in Chromium: axe-clean, tags balanced, the summary first and on
// one printed A4 page, and charts that read in black and white (outlined bars, interval
// lines, every bar's number written beside it, a caption naming the base).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { ROOT } from '../integration/stack.mjs';
import { checkA11y, launch } from './browser.mjs';

const run = promisify(execFile);
const FIX = join(ROOT, 'tests/fixtures/analysis');
// A4 less the report's @page margins (12 mm top and bottom, 15 mm each side), in CSS pixels.
const MM = 96 / 25.4;
const PAGE_W = Math.floor((210 - 30) * MM);
const PAGE_H = Math.floor((297 - 24) * MM);

function analyseBin() {
  if (process.env.VOICES_ANALYSE) return resolve(ROOT, process.env.VOICES_ANALYSE);
  const app = resolve(ROOT, process.env.VOICES_BIN ?? 'build/asan/voices');
  return join(dirname(app), 'voices-analyse');
}

let dir;
let html;
let browser;
before(async () => {
  const bin = analyseBin();
  assert.ok(existsSync(bin), `${bin} does not exist: build it first`);
  dir = mkdtempSync('/tmp/voices-report-test-');
  const db = join(dir, 'f.db');
  const surveys = ['--surveys', join(FIX, 'surveys')];
  await run(bin, ['generate', '--db', db, '--n', '300', '--seed', '42', '--waves', '2',
    '--pub', join(FIX, 'analysis.pub'), ...surveys], { cwd: ROOT, timeout: 60000 });
  await run(bin, ['report', '--db', db, '--key', join(FIX, 'analysis.secret'), '--out', join(dir, 'out'),
    ...surveys, '--formats', 'html', '--quiet'], { cwd: ROOT, timeout: 60000 });
  html = readFileSync(join(dir, 'out', 'report.html'), 'utf8');
  browser = await launch();
});
after(async () => {
  await browser?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function printPage() {
  const page = await browser.newPage({ viewport: { width: PAGE_W, height: PAGE_H } });
  await page.goto(`file://${join(dir, 'out', 'report.html')}`);
  await page.emulateMedia({ media: 'print' });
  return page;
}

test('every element that is opened is closed, in order', () => {
  const VOID = new Set(['meta', 'br', 'hr', 'img', 'input', 'link']);
  const body = html.replace(/<style>[\s\S]*?<\/style>/, '').replace(/<!doctype html>/i, '');
  const stack = [];
  for (const m of body.matchAll(/<(\/?)([a-zA-Z][a-zA-Z0-9]*)\b[^>]*?(\/?)>/g)) {
    const [, close, name, self] = m;
    const tag = name.toLowerCase();
    if (VOID.has(tag) || self) continue;
    if (!close) stack.push(tag);
    else assert.equal(stack.pop(), tag, `</${tag}> closes <${stack.at(-1)}> at ${m.index}`);
  }
  assert.deepEqual(stack, []);
  assert.equal(new Set([...html.matchAll(/ id="([^"]+)"/g)].map((m) => m[1])).size,
    [...html.matchAll(/ id="([^"]+)"/g)].length, 'ids are unique');
});

test('axe finds nothing on screen or in print', async () => {
  const page = await browser.newPage();
  await page.goto(`file://${join(dir, 'out', 'report.html')}`);
  assert.deepEqual(await checkA11y(page), []);
  await page.close();
  const print = await printPage();
  assert.deepEqual(await checkA11y(print), []);
  await print.close();
});

test('printed, the summary comes first and fits the first A4 page', async () => {
  const page = await printPage();
  const first = await page.evaluate(() => document.querySelector('h2').closest('section')?.id);
  assert.equal(first, 'summary');
  const bottom = await page.evaluate(() => document.getElementById('summary').getBoundingClientRect().bottom);
  assert.ok(bottom <= PAGE_H, `the summary ends at ${bottom}px, the page at ${PAGE_H}px`);
  const wide = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(wide <= PAGE_W, `the page is ${wide}px wide, A4 holds ${PAGE_W}px`);
  const breaks = await page.evaluate(() => getComputedStyle(document.getElementById('summary')).breakAfter);
  assert.equal(breaks, 'page');
  await page.close();
});

test('charts read without colour: outlined bars, interval lines, numbers and a base', async () => {
  const page = await printPage();
  const charts = await page.evaluate(() => [...document.querySelectorAll('figure')].map((f) => ({
    bars: [...f.querySelectorAll('rect.bar')].map((b) => getComputedStyle(b).stroke),
    lines: f.querySelectorAll('path.ci').length,
    values: [...f.querySelectorAll('svg text')].map((t) => t.textContent).filter((t) => /%|\[c\]/.test(t)),
    caption: f.querySelector('figcaption')?.textContent ?? '',
  })));
  assert.ok(charts.length > 20);
  for (const c of charts) {
    assert.ok(c.bars.every((s) => s === 'rgb(27, 27, 27)'), `bars outlined: ${c.bars}`);
    assert.ok(c.values.length >= c.bars.length, 'every bar has its number beside it');
    assert.match(c.caption, /Percentage|percentage/);
    assert.match(c.caption, /of ([0-9,]+|\[c\]) |each wave/i);
  }
  assert.ok(charts.some((c) => c.lines > 0), 'intervals are drawn');
  await page.close();
});
