// The documentation holds together: the README is a short front door with the two commands
// on its first screen and a link to every page in docs/; every relative link and #anchor in
// the README and docs/ resolves; and the complete example in docs/survey-author.md is a
// survey file `voices check` accepts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync, mkdirSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { ROOT } from './stack.mjs';

const BIN = resolve(ROOT, process.env.VOICES_BIN ?? 'build/asan/voices');
const pages = ['README.md', ...readdirSync(join(ROOT, 'docs')).filter((f) => f.endsWith('.md'))
  .sort().map((f) => `docs/${f}`)];
const read = (p) => readFileSync(join(ROOT, p), 'utf8');
const withoutCode = (text) => text.replace(/^```[\s\S]*?^```/gm, '');

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens. */
function slug(heading) {
  return heading.trim().toLowerCase().replace(/[^\p{L}\p{N}_\- ]/gu, '').replace(/ /g, '-');
}

function anchors(path) {
  const out = new Set();
  for (const m of withoutCode(read(path)).matchAll(/^#{1,6} (.*)$/gm)) out.add(slug(m[1]));
  return out;
}

test('the README is short, with make run and make check on its first screen', () => {
  const lines = read('README.md').split('\n');
  assert.ok(lines.length < 250, `README.md has ${lines.length} lines`);
  const first = lines.slice(0, 40).join('\n');
  assert.match(first, /make run/);
  assert.match(first, /make check/);
});

test('every page in docs/ is linked from the README', () => {
  const readme = read('README.md');
  for (const p of pages.slice(1)) assert.ok(readme.includes(`](${p}`), `${p} is not linked`);
});

test('every relative link and anchor resolves', () => {
  const bad = [];
  for (const p of pages) {
    for (const m of withoutCode(read(p)).matchAll(/\]\(([^)\s]+)\)/g)) {
      const target = m[1];
      if (/^[a-z]+:/.test(target)) continue;
      const [path, frag] = target.split('#');
      const file = path ? join(dirname(p), path) : p;
      if (!existsSync(join(ROOT, file))) bad.push(`${p}: ${target} (no such file)`);
      else if (frag && file.endsWith('.md') && !anchors(file).has(frag)) bad.push(`${p}: ${target} (no such heading)`);
    }
  }
  assert.deepEqual(bad, []);
});

test('the complete example in docs/survey-author.md passes voices check', () => {
  const doc = read('docs/survey-author.md');
  const m = doc.slice(doc.indexOf('## A complete example')).match(/```yaml\n([\s\S]*?)```/);
  assert.ok(m, 'no yaml block under "A complete example"');
  const dir = mkdtempSync(join(tmpdir(), 'voices-docs-'));
  try {
    mkdirSync(join(dir, 'surveys'));
    writeFileSync(join(dir, 'surveys', 'example.yaml'), m[1]);
    for (const f of ['ui.yaml', 'disclosure.yaml']) copyFileSync(join(ROOT, 'surveys', f), join(dir, 'surveys', f));
    writeFileSync(join(dir, 'voices.yaml'), `database: ${dir}/v.db\nsurveys: ${dir}/surveys\n`
      + `templates: ${join(ROOT, 'templates')}\n`);
    const r = spawnSync(BIN, ['-c', join(dir, 'voices.yaml'), 'check'], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr + r.stdout);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
