// Prints var/cluster.json (scripts/cluster-test.sh) as a table, and exits 1 when a round lost
// a confirmed submission, stored one twice, or never took writes again after its fault.
//   node tests/cluster/report.mjs var/cluster.json
import { readFileSync } from 'node:fs';

const { rounds } = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const cols = ['name', 'submissions', 'confirmed', 'lost', 'duplicated', 'writes_resume_s', 'no_writes_s',
  'try_again_pages', 'error_pages', 'unconfirmed'];
const width = cols.map((c) => Math.max(c.length, ...rounds.map((r) => String(r[c]).length)));
const line = (vals) => vals.map((v, i) => String(v).padStart(width[i])).join('  ');
console.log(`\n${line(cols)}`);
for (const r of rounds) console.log(line(cols.map((c) => r[c])));
let bad = 0;
for (const r of rounds) {
  const why = [];
  if (r.lost) why.push(`${r.lost} confirmed submissions lost`);
  if (r.duplicated) why.push(`${r.duplicated} stored more than once`);
  if (r.writes_resume_s === null) why.push('no submission sent after the fault was confirmed');
  if (r.recovered === false) why.push('the cluster did not recover within 120 s');
  if (why.length) {
    bad++;
    console.log(`FAIL ${r.name}: ${why.join('; ')}`);
  } else if (r.writes_resume_s > 15) {
    console.log(`${r.name}: writes came back after ${r.writes_resume_s} s (target 15 s)`);
  }
}
console.log(`${rounds.length - bad} passed, ${bad} failed`);
process.exit(bad ? 1 : 0);
