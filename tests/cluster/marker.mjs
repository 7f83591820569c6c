// A submission's marker: a number written into the answers of twelve scale questions of
// residents-2026 (six with codes 1-4, six with 1-3), so that the database shows which
// submission a response is without reading its sealed free text.  Both sides agree on the
// marker's text: the answers of those questions in the order of their names.
//   markerOf(k) -> { key, fields: [[form field, value], ...] }     0 <= k < MARKERS
//   MARKER_SQL   a PostgreSQL expression giving the key of a row of response

/** [question, form field, number of codes], in the order of the question's name. */
const DIGITS = [
  ['council_trust', 'council_trust', 4],
  ['exploitation_matters', 'exploitation_matters', 3],
  ['police_confidence', 'police_confidence', 4],
  ['pride_area', 'pride_area', 4],
  ['reoffending_matters', 'reoffending_matters', 3],
  ['safe_day', 'safe_day', 4],
  ['trust_matters', 'trust_matters', 3],
  ['vawg_matters', 'vawg_matters', 3],
  ['victims_matters', 'victims_matters', 3],
  ['violence_matters', 'violence_matters', 3],
  ['worry_asb', 'worry_about.worry_asb', 4],
  ['worry_crime', 'worry_about.worry_crime', 4],
];

export const MARKERS = DIGITS.reduce((n, [, , b]) => n * b, 1);

export function markerOf(k) {
  let rest = k;
  let key = '';
  const fields = [];
  for (const [, field, base] of DIGITS) {
    const v = String((rest % base) + 1);
    rest = Math.floor(rest / base);
    key += v;
    fields.push([field, v]);
  }
  return { key, fields };
}

const names = DIGITS.map(([q]) => `'${q}'`).join(', ');
export const MARKER_SQL = `(SELECT string_agg(e ->> 2, '' ORDER BY e ->> 0)
  FROM json_array_elements(answers::json) e WHERE e ->> 0 IN (${names}))`;
