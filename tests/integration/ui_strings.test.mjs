// Every UI string the app asks for is in surveys/ui.yaml: a key that is missing shows as an
// empty heading, button or message (an unknown channel once got a blank error page). The
// keys are read from the sources: page_error(), view_text() and text_page() calls with a
// literal key, core/answer.c's answer_err_keys, and {{t.KEY}} in the templates.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './stack.mjs';

/** The keys of ui.yaml's first (default) language block. */
function defaultKeys(file) {
  const keys = new Set();
  let blocks = 0;
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (/^[a-z]/.test(line)) blocks++;
    else if (blocks === 1) {
      const m = line.match(/^ {2}([a-z0-9_]+):/);
      if (m) keys.add(m[1]);
    }
  }
  return keys;
}

function sources(dir, ext) {
  return readdirSync(join(ROOT, dir)).filter((f) => f.endsWith(ext))
    .map((f) => [`${dir}/${f}`, readFileSync(join(ROOT, dir, f), 'utf8')]);
}

/** [where, key] for every UI key the code and the templates use. */
function usedKeys() {
  const used = [];
  for (const [file, text] of sources('cgi', '.c')) {
    for (const m of text.matchAll(/\b(page_error|view_text|text_page)\s*\([^;"()]*"([a-z0-9_]+)"/g)) {
      used.push([`${file}: ${m[1]}`, m[2]]);
    }
  }
  const errs = readFileSync(join(ROOT, 'core/answer.c'), 'utf8').match(/answer_err_keys\[[^\]]*\]\s*=\s*\{([\s\S]*?)\};/);
  assert.ok(errs, 'answer_err_keys in core/answer.c');
  for (const m of errs[1].matchAll(/"([a-z0-9_]+)"/g)) used.push(['core/answer.c: answer_err_keys', m[1]]);
  for (const [file, text] of sources('templates', '.html')) {
    for (const m of text.matchAll(/\{\{[#^/]?t\.([a-z0-9_]+)/g)) used.push([file, m[1]]);
  }
  return used;
}

test('every UI string the app uses has English text in surveys/ui.yaml', () => {
  const have = defaultKeys(join(ROOT, 'surveys/ui.yaml'));
  const used = usedKeys();
  assert.ok(have.size > 50 && used.length > 50, `${have.size} keys, ${used.length} uses`);
  assert.ok(used.some(([, k]) => k === 'bad_channel'), 'the scan finds page_error keys');
  const missing = used.filter(([, k]) => !have.has(k)).map(([w, k]) => `${k} (${w})`);
  assert.deepEqual([...new Set(missing)], []);
});
