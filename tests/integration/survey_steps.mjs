// A resident's way through a survey, step by step, through whatever has get and post (a
// stack of stack.mjs, or one app node of a cluster): the start page, each page's answers
// filled the simplest valid way, up to the check page.
import assert from 'node:assert/strict';
import { formFieldPairs, tags, htmlUnescape } from './stack.mjs';

export const pageId = (html) => formFieldPairs(html).find(([k]) => k === '_p')?.[1];

/** The page's hidden fields and its own inputs answered the simplest valid way (radios and
 * selects: the first), plus `answers` (an array value: one field per element). */
export function fill(html, answers = {}) {
  const own = {};
  for (const a of tags(html, 'input')) {
    if (a.type === 'radio' && !(a.name in own)) own[a.name] = a.value;
  }
  for (const m of html.matchAll(/<select id="([^"]+)" name="([^".]+)"[^>]*>([\s\S]*?)<\/select>/g)) {
    const first = m[3].match(/<option value="([^"]+)"/);
    if (first) own[htmlUnescape(m[2])] = htmlUnescape(first[1]);
  }
  const ranks = [...html.matchAll(/<select id="[^"]+" name="([^"]+\.[^"]+)"/g)].map((m) => htmlUnescape(m[1]));
  ranks.slice(0, 3).forEach((name, i) => { own[name] = String(i + 1); });
  return [...formFieldPairs(html), ...Object.entries({ ...own, ...answers }).flatMap(([k, v]) =>
    (Array.isArray(v) ? v.map((x) => [k, x]) : [[k, v]]))];
}

/** Starts a response on node: the start page, Start now, page 1. */
export async function begin(node, survey, jar) {
  const start = await node.get(survey, { cookies: jar });
  assert.equal(start.status, 200);
  const r = await node.post(survey, [...formFieldPairs(start.text), ['_nav', 'start']], { cookies: jar, follow: false });
  assert.equal(r.status, 303);
  return node.get(r.location, { cookies: jar });
}

/** Answers the pages from r on, on node, until the check page, which it returns. */
export async function answerAll(node, survey, jar, r) {
  for (let i = 0; i < 40 && pageId(r.text) !== 'check'; i++) {
    r = await node.post(survey, [...fill(r.text), ['_nav', 'next']], { cookies: jar });
    assert.equal(r.status, 200, `${pageId(r.text)}`);
  }
  assert.equal(pageId(r.text), 'check');
  return r;
}

/**
 * A survey file's text: one page asking for one required number, marker (1 to 1000000),
 * so that a stored response shows which submission it is. comment heads the file;
 * onePerDevice asks for one response per device.
 */
export function markerSurvey({ id, title, comment, onePerDevice = false }) {
  return `# ${comment}
id: ${id}
${onePerDevice ? 'one_per_device: true\n' : ''}title: ${title}
pages:
  - id: one
    questions:
      - {id: marker, type: number, required: true, min: 1, max: 1000000, text: Marker}
`;
}
