// Survey files are checked at start-up and re-read on SIGHUP: an edit goes live without a
// restart, and a file with a mistake is refused with its line while the running surveys
// stay up.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { startStack, ROOT } from './stack.mjs';

const run = promisify(execFile);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
let stack;
let dir;

before(async () => {
  dir = mkdtempSync('/tmp/voices-surveys-');
  cpSync(join(ROOT, 'surveys'), dir, { recursive: true });
  stack = await startStack({ surveysDir: dir });
});
after(async () => {
  await stack?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function until(what, fn) {
  for (let i = 0; i < 100; i++) {
    if (await fn()) return;
    await sleep(100);
  }
  assert.fail(`${what} did not happen within 10 s`);
}

test('an edited survey goes live on SIGHUP; a broken one is refused and the old stays', async () => {
  const file = join(dir, 'residents-2026.yaml');
  const original = readFileSync(file, 'utf8');
  writeFileSync(file, original.replace(/^title: .*$/m, 'title: Tell us about safety in Haringey'));
  stack.reload();
  await until('the new title', async () => /Tell us about safety in Haringey/.test((await stack.get('/s/residents-2026')).text));

  const broken = original.replace(/show_if: \{question: safe_dark,/, 'show_if: {question: safe_darkness,');
  assert.notEqual(broken, original, 'the fixture still has the condition this test breaks');
  writeFileSync(file, broken);
  stack.reload();
  await until('the refusal in the log', () => /reload refused/.test(stack.logs()));
  assert.match(stack.logs(), /residents-2026\.yaml:\d+: .*safe_darkness/);
  const page = await stack.get('/s/residents-2026');
  assert.equal(page.status, 200);
  assert.match(page.text, /Tell us about safety in Haringey/);

  const bin = resolve(ROOT, process.env.VOICES_BIN ?? 'build/asan/voices');
  const check = await run(bin, ['-c', stack.configPath, 'check'], { cwd: ROOT }).catch((e) => e);
  assert.equal(check.code, 1);
  assert.match(check.stderr, /residents-2026\.yaml:\d+: /);
  writeFileSync(file, original);
});
