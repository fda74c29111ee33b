import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runProcess } from './support/run-process.js';

const script = resolve(import.meta.dirname, 'chaos/chaos.mjs');

describe('chaos: SIGKILL at random moments', () => {
  // The script has its own time budget (trials stop starting after it) and prints its seed, so a
  // failure found here can be replayed with `node test/chaos/chaos.mjs --seed N`.
  it('train, bench and bench trainings killed and restarted end bit-identical to uninterrupted runs', async () => {
    const run = await runProcess(process.execPath, [script, '--seconds', '150']);
    expect(run.status, `${run.stdout}\n${run.stderr}`).toBe(0);
    expect(run.stdout).toMatch(/passed: \d+ trials, [1-9]\d* kills, every finished run identical to its reference/);
  });
});
