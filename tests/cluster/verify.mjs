// Checks a failure round of `make cluster-test` against the database: every confirmed
// submission stored exactly once, none stored twice.
//
//   node tests/cluster/verify.mjs snapshot CONN FILE
//       writes the number of stored responses of each marker (tests/cluster/marker.mjs) to FILE
//   node tests/cluster/verify.mjs check CONN BEFORE RECORDS NAME FAULT_MS
//       compares the database now with the snapshot BEFORE, for the submissions in RECORDS
//       (tests/cluster/load.mjs's output) and prints the round as one JSON line:
//       {"name", "confirmed", "lost", "duplicated", "writes_resume_s", "no_writes_s",
//        "try_again_pages", "error_pages", "stored_unconfirmed", "unconfirmed", "strangers", "submissions"}
//
// CONN is a libpq connection string that reaches the primary (psql runs the query). lost:
// confirmed submissions whose marker gained no row; duplicated: submissions whose marker gained
// more than one; strangers: rows gained under markers no submission of the round had.
// writes_resume_s: from FAULT_MS (ms since the epoch) to the first confirmation of an attempt
// sent after it (so it includes the wait behind the submissions queued during the outage);
// no_writes_s: the longest time from FAULT_MS on without any confirmation, of any submission
// (how long the database took no writes, as the people saw it); try_again_pages: submissions whose person saw the app's "try again" page at
// least once; error_pages: those that saw a gateway error or no answer at least once.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { MARKER_SQL } from './marker.mjs';

const SURVEY = process.env.SURVEY ?? 'residents-2026';

/** Stored responses per marker: Map key -> count. */
function counts(conn) {
  const sql = `SELECT m, count(*) FROM (SELECT ${MARKER_SQL} AS m FROM response
    WHERE survey = '${SURVEY}') x WHERE m IS NOT NULL GROUP BY m`;
  const text = execFileSync('psql', ['-XAtq', '-F', '|', '-v', 'ON_ERROR_STOP=1', conn, '-c', sql], {
    encoding: 'utf8', maxBuffer: 1 << 28, timeout: 60000,
  });
  const map = new Map();
  for (const line of text.split('\n')) {
    const [m, n] = line.split('|');
    if (m) map.set(m, Number(n));
  }
  return map;
}

function check(conn, beforeFile, recordsFile, name, faultMs) {
  const before = new Map(Object.entries(JSON.parse(readFileSync(beforeFile, 'utf8'))));
  const after = counts(conn);
  const gained = (m) => (after.get(m) ?? 0) - (before.get(m) ?? 0);
  const recs = readFileSync(recordsFile, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
  const mine = new Set(recs.map((r) => r.m));
  if (mine.size !== recs.length) throw new Error(`${recordsFile}: a marker was used twice in one round`);
  const round = {
    name, confirmed: 0, lost: 0, duplicated: 0, writes_resume_s: null, no_writes_s: null, try_again_pages: 0,
    error_pages: 0, stored_unconfirmed: 0, unconfirmed: 0, strangers: 0, submissions: recs.length,
  };
  let resume = Infinity;
  for (const r of recs) {
    const g = gained(r.m);
    if (r.ok) {
      round.confirmed++;
      if (g < 1) round.lost++;
      if (r.sent >= faultMs) resume = Math.min(resume, r.at - faultMs);
    } else {
      round.unconfirmed++;
      if (g === 1) round.stored_unconfirmed++;
    }
    if (g > 1) round.duplicated++;
    if (r.again) round.try_again_pages++;
    if (r.err) round.error_pages++;
  }
  for (const [m] of after) if (!mine.has(m) && gained(m) > 0) round.strangers += gained(m);
  if (Number.isFinite(resume)) round.writes_resume_s = Number((resume / 1000).toFixed(2));
  const oks = recs.filter((r) => r.ok && r.at >= faultMs).map((r) => r.at).sort((a, b) => a - b);
  if (oks.length) {
    round.no_writes_s = Number((Math.max(...oks.map((t, k) => t - (k ? oks[k - 1] : faultMs))) / 1000)
      .toFixed(2));
  }
  return round;
}

const [cmd, conn, ...rest] = process.argv.slice(2);
if (cmd === 'snapshot' && conn && rest.length === 1) {
  writeFileSync(rest[0], JSON.stringify(Object.fromEntries(counts(conn))));
} else if (cmd === 'check' && conn && rest.length === 4) {
  const [beforeFile, recordsFile, name, faultMs] = rest;
  console.log(JSON.stringify(check(conn, beforeFile, recordsFile, name, Number(faultMs))));
} else {
  console.error('usage: verify.mjs snapshot CONN FILE | check CONN BEFORE RECORDS NAME FAULT_MS');
  process.exit(2);
}
