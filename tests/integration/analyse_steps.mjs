// The analysis tool as the tests run it on a stack's database (stack.mjs): made-up
// responses sealed with the stack's public key, and a report read with its secret key.
//
//   import { generate, writeReport } from './analyse_steps.mjs';
//   await generate(stack, { n: 600, seed: 7 });
//   await writeReport(stack, { survey: 'residents-2026', out, formats: 'json' });
import { execFile } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { ROOT } from './stack.mjs';
import { BIN } from './staff_steps.mjs';

const run = promisify(execFile);

/** voices-analyse: $VOICES_ANALYSE, else the one beside the app binary. */
export const ANALYSE = process.env.VOICES_ANALYSE ? resolve(ROOT, process.env.VOICES_ANALYSE)
  : join(dirname(BIN), 'voices-analyse');

/** `voices-analyse generate`: n made-up responses from seed into stack's database. */
export function generate(stack, { n, seed }) {
  return run(ANALYSE, ['generate', '--db', stack.database, '--n', String(n), '--seed', String(seed),
    '--pub', stack.publicKeyPath], { cwd: ROOT, timeout: 120000 });
}

/** `voices-analyse report` of survey on stack's database into the folder out, quietly. */
export function writeReport(stack, { survey, out, formats }) {
  return run(ANALYSE, ['report', '--db', stack.database, '--key', stack.secretKeyPath, '--survey', survey,
    '--out', out, '--formats', formats, '--quiet'], { cwd: ROOT, timeout: 120000 });
}
