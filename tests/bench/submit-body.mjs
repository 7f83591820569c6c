// Walks a survey through a running app to its check page and prints what the submission
// benchmark posts: line 1 the Cookie header, line 2 the urlencoded final submit with the
// form's nonce replaced by @NONCE@ (tests/bench/submit.lua puts a unique one in each request).
//   node tests/bench/submit-body.mjs BASE_URL SURVEY_PATH [DRAFT_FORM_FILE]
// Every question gets its simplest valid answer, and free-text questions a sentence, so the
// benchmark pays for scrubbing and sealing as a real respondent's submission does.
import { readFileSync } from 'node:fs';
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

/** The answers `fill` gives each page, page by page, so that the final form carries them all. */
const answers = new Map();

/** Walks a new response to its check page: its jar and the check page. */
async function toCheck() {
  const jar = new CookieJar();
  const start = await get(base + path, { cookies: jar });
  let r = await post(base + path, [...formFieldPairs(start.text), ['_nav', 'start']], { cookies: jar });
  for (let i = 0; i < 60 && pageId(r.text) !== 'check'; i++) {
    if (r.status !== 200) throw new Error(`page ${pageId(r.text)}: status ${r.status}`);
    const form = fill(r.text);
    for (const [k, v] of form) if (!k.startsWith('_')) answers.set(k, v);
    r = await post(base + path, [...form, ['_nav', 'next']], { cookies: jar });
  }
  if (pageId(r.text) !== 'check') throw new Error('never reached the check page');
  return { jar, check: r };
}

// The final submit as a form that carries every answer (as a browser without a draft sends
// it), with the CSRF cookie and without the draft's: each request is a new response.
const { jar, check } = await toCheck();
const state = formFieldPairs(check.text).filter(([k]) => k.startsWith('_') && k !== '_d');
const body = new URLSearchParams([...state, ...answers, ['_nav', 'submit']]);
body.set('_n', '@NONCE@');
// The draft cookie's name as the app has it (cgi/cookies.h): with it, each request would load
// the draft and add its answers to the form's, twice over, and be sent back to the page.
const draftCookie = readFileSync(new URL('../../cgi/cookies.h', import.meta.url), 'utf8')
  .match(/#define DRAFT_COOKIE\s+"([^"]+)"/)[1];
const cookies = jar.header().split('; ').filter((c) => !c.startsWith(`${draftCookie}=`)).join('; ');
process.stdout.write(`${cookies}\n${body.toString().replace('%40NONCE%40', '@NONCE@')}\n`);

// With a third argument: a file for the draft run (tests/bench/draft.lua), line 1 the Cookie
// header of a browser with a draft, line 2 its first page's Continue: each request reads,
// opens, changes, seals and writes the draft, and answers 303 to the next page.
if (process.argv[4]) {
  const { writeFileSync } = await import('node:fs');
  const jar2 = new CookieJar();
  const start = await get(base + path, { cookies: jar2 });
  const first = await post(base + path, [...formFieldPairs(start.text), ['_nav', 'start']], { cookies: jar2 });
  const step = new URLSearchParams([...fill(first.text), ['_nav', 'next']]);
  writeFileSync(process.argv[4], `${jar2.header()}\n${step.toString()}\n`);
}
