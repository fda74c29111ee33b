import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Vitest global setup: the whole run, its worker processes and every `selfkd` process a test starts
 * get one fresh TMPDIR, removed when the run ends, so the suite's training runs, checkpoints,
 * tarballs and browser profiles (several GB over many runs) do not pile up in the system's temp
 * folder. SELFKD_KEEP_TEST_TMP=1 keeps it, to inspect what a failing test wrote.
 */
export default function setup(): () => void {
  const dir = mkdtempSync(join(tmpdir(), 'selfkd-tests-'));
  process.env.TMPDIR = dir;
  return () => {
    if (process.env.SELFKD_KEEP_TEST_TMP === '1') console.log(`test files kept in ${dir}`);
    else rmSync(dir, { recursive: true, force: true });
  };
}
