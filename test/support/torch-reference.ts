import { resolve } from 'node:path';
import { runProcess } from './run-process.js';

/** Debian's python3-torch is installed for the system interpreter, not for whatever `python3` is first on PATH. */
const PYTHON = '/usr/bin/python3';
const SCRIPTS_DIR = resolve(import.meta.dirname, '..', 'torch-reference');

/** The reference scripts in test/torch-reference/, each the PyTorch form of one method's formulas. */
export type TorchReferenceScript = 'sd_dropout' | 'cs_kd' | 'ps_kd' | 'composition' | 'mixing' | 'tf_kd_reg' | 'bake' | 'dlb' | 'ddgsd' | 'tf_kd_self' | 'frskd' | 'byot' | 'dks';

let torchChecked = false;

/**
 * Runs `test/torch-reference/<script>.py` on the given cases (JSON on stdin) and returns its
 * results, one per case, in order. The PyTorch cross-checks are part of the proof of correctness,
 * so a machine without PyTorch fails them with instructions instead of skipping them.
 */
export async function runTorchReference<Result>(script: TorchReferenceScript, cases: readonly unknown[]): Promise<Result[]> {
  const { results } = await runTorchScript<{ results: Result[] }>(resolve(SCRIPTS_DIR, `${script}.py`), { cases });
  if (results.length !== cases.length) throw new Error(`${script}.py returned ${results.length} results for ${cases.length} cases`);
  return results;
}

/** Runs a PyTorch script with `request` as JSON on stdin and parses the JSON it prints. */
export async function runTorchScript<Response>(script: string, request: unknown): Promise<Response> {
  await assertTorchAvailable();
  const run = await runProcess(PYTHON, [script], { input: JSON.stringify(request) });
  if (run.status !== 0) throw new Error(`${script} exited with status ${run.status}:\n${run.stderr}`);
  return JSON.parse(run.stdout) as Response;
}

async function assertTorchAvailable(): Promise<void> {
  if (torchChecked) return;
  const probe = await runProcess(PYTHON, ['-c', 'import torch']).catch((err: Error) => ({ status: null, stderr: err.message }));
  if (probe.status !== 0) {
    throw new Error(
      `the PyTorch cross-checks need PyTorch for ${PYTHON}, which failed to import it:\n${probe.stderr.trim()}\n` +
        "Install Debian's package: apt-get install python3-torch (the test command does this when it runs as root).",
    );
  }
  torchChecked = true;
}
