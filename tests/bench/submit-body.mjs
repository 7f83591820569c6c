// Walks a survey through a running app to its check page and prints what the submission
// benchmark posts: line 1 the Cookie header, line 2 the urlencoded final submit with the
// form's nonce replaced by @NONCE@ (tests/bench/submit.lua puts a unique one in each request).
//   node tests/bench/submit-body.mjs BASE_URL SURVEY_PATH
// Every question gets its simplest valid answer, and free-text questions a sentence, so the
// benchmark pays for scrubbing and sealing as a real respondent's submission does.
import { CookieJar, formFieldPairs, get, post, tags, htmlUnescape } from '../integration/stack.mjs';

const [base, path] = process.argv.slice(2);
if (!base || !path) {
  console.error('usage: node tests/bench/submit-body.mjs BASE_URL SURVEY_PATH');
  process.exit(2);
}
const TEXT = 'The street lights on the path to the station are often out and it feels unsafe.';

function pageId(html) {
  return formFieldPairs(html).find(([k]) => k === '_p')?.[1];
}

function fill(html) {
  const own = {};
  for (const a of tags(html, 'input')) {
    if (a.type === 'radio' && !(a.name in own)) own[a.name] = a.value;
    if (a.type === 'checkbox' && !(a.name in own)) own[a.name] = a.value;
    if ((a.type === 'text' || a.type === undefined) && a.name && !a.name.startsWith('_')) own[a.name] = TEXT;
    if (a.type === 'number' && a.name) own[a.name] = a.min ?? '30';
  }
  for (const m of html.matchAll(/<textarea[^>]* name="([^"]+)"/g)) own[htmlUnescape(m[1])] = TEXT;
  const ranks = [];
  let positions = 0;
  for (const m of html.matchAll(/<select id="[^"]+" name="([^"]+)"[^>]*>([\s\S]*?)<\/select>/g)) {
    const name = htmlUnescape(m[1]);
    if (name.includes('.')) {
      ranks.push(name);
      positions = m[2].match(/<option value="\d+"/g)?.length ?? 0;
      continue;
    }
    const opt = m[2].match(/<option value="([^"]+)"/);
    if (opt) own[name] = htmlUnescape(opt[1]);
  }
  ranks.slice(0, positions).forEach((name, i) => { own[name] = String(i + 1); });
  return [...formFieldPairs(html), ...Object.entries(own)];
}

const jar = new CookieJar();
const start = await get(base + path, { cookies: jar });
let r = await post(base + path, [...formFieldPairs(start.text), ['_nav', 'start']], { cookies: jar });
for (let i = 0; i < 60 && pageId(r.text) !== 'check'; i++) {
  if (r.status !== 200) throw new Error(`page ${pageId(r.text)}: status ${r.status}`);
  r = await post(base + path, [...fill(r.text), ['_nav', 'next']], { cookies: jar });
}
if (pageId(r.text) !== 'check') throw new Error('never reached the check page');
const body = new URLSearchParams([...formFieldPairs(r.text), ['_nav', 'submit']]);
body.set('_n', '@NONCE@');
process.stdout.write(`${jar.header()}\n${body.toString().replace('%40NONCE%40', '@NONCE@')}\n`);
