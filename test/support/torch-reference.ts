import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';

/** Debian's python3-torch is installed for the system interpreter, not for whatever `python3` is first on PATH. */
const PYTHON = '/usr/bin/python3';
const SCRIPTS_DIR = resolve(import.meta.dirname, '..', 'torch-reference');

/** The reference scripts in test/torch-reference/, each the PyTorch form of one method's formulas. */
export type TorchReferenceScript = 'sd_dropout' | 'cs_kd' | 'ps_kd' | 'composition';

let torchChecked = false;

/**
 * Runs `test/torch-reference/<script>.py` on the given cases (JSON on stdin) and returns its
 * results, one per case, in order. The PyTorch cross-checks are part of the proof of correctness,
 * so a machine without PyTorch fails them with instructions instead of skipping them.
 */
export function runTorchReference<Result>(script: TorchReferenceScript, cases: readonly unknown[]): Result[] {
  assertTorchAvailable();
  const run = spawnSync(PYTHON, [resolve(SCRIPTS_DIR, `${script}.py`)], {
    input: JSON.stringify({ cases }),
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (run.error) throw new Error(`could not run ${PYTHON} ${script}.py: ${run.error.message}`);
  if (run.status !== 0) throw new Error(`${script}.py exited with status ${run.status}:\n${run.stderr}`);
  const { results } = JSON.parse(run.stdout) as { results: Result[] };
  if (results.length !== cases.length) throw new Error(`${script}.py returned ${results.length} results for ${cases.length} cases`);
  return results;
}

function assertTorchAvailable(): void {
  if (torchChecked) return;
  const probe = spawnSync(PYTHON, ['-c', 'import torch'], { encoding: 'utf8' });
  if (probe.status !== 0) {
    throw new Error(
      `the PyTorch cross-checks need PyTorch for ${PYTHON}, which failed to import it` +
        `${probe.error ? ` (${probe.error.message})` : `:\n${probe.stderr.trim()}`}\n` +
        'Install Debian\'s package: sudo apt-get install python3-torch (CI does this in .ci/run).',
    );
  }
  torchChecked = true;
}
