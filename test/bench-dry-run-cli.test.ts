import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './support/cli.js';

describe('selfkd bench --dry-run', () => {
  it('prints the expanded runs with counts and a time estimate from a measured step time, skips conflicts, trains nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'selfkd-dry-run-'));
    const bench = join(dir, 'bench.yaml');
    writeFileSync(
      bench,
      `
base:
  backend: wasm
  data: { name: mnist-digits, trainSize: 300 }
  model: { name: mlp, hidden: [16] }
  train: { epochs: 2, batchSize: 50, optimizer: { name: adam, lr: 0.003 } }
generate:
  regularizers: [{ type: label-smoothing }, { type: cs-kd }, { type: dlb }]
  maxSize: 2
grids:
  - combination: label-smoothing
    values: { label-smoothing.epsilon: [0.05, 0.2], train.epochs: [1] }
seeds: [0, 1]
`,
    );
    const out = join(dir, 'out');
    const result = await runCli(['bench', '--config', bench, '--out', out, '--dry-run', '--workers', '2']);
    expect(result.status, result.stderr).toBe(0);
    expect(result.stderr).toContain('skipped generated combination cs-kd+dlb: cs-kd and dlb each supply the batch sampler');
    // baseline, 2 grid points, cs-kd, dlb, label-smoothing+cs-kd, label-smoothing+dlb: 7 × 2 seeds.
    expect(result.stdout).toContain('7 combination(s) (1 grid(s)) × 2 seed(s) = 14 run(s): 0 finished, 14 to train');
    expect(result.stdout).toMatch(/step time of baseline\/seed-0: \d+\.\d ms \(300 training images\)/);
    expect(result.stdout).toMatch(/ {2}label-smoothing\[epsilon=0\.2,train\.epochs=1\]\/seed-1 {2}\[group label-smoothing\] {2}to train, ~\d+(\.\d)? s \(step time\)/);
    expect(result.stdout).toMatch(/estimated time: ~\d+(\.\d)? s with 2 worker\(s\)/);
    expect(existsSync(out)).toBe(false);
  });
});
