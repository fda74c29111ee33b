import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './support/cli.js';

describe('selfkd bench: --dry-run and several suites', () => {
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

  it('runs a bench with several suites, each in its folder against its own baseline, reported as sections', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'selfkd-suites-'));
    const bench = join(dir, 'bench.yaml');
    const base = (model: string) => `{ backend: wasm, data: { name: mnist-digits, trainSize: 200 }, model: ${model}, train: { epochs: 1, batchSize: 50, optimizer: { name: adam, lr: 0.003 } } }`;
    writeFileSync(
      bench,
      `
suites:
  - { name: mlp16, base: ${base('{ name: mlp, hidden: [16] }')} }
  - { name: mlp8, base: ${base('{ name: mlp, hidden: [8] }')} }
combinations:
  - { name: baseline, regularizers: [] }
  - { name: ls, regularizers: [{ type: label-smoothing }] }
seeds: [0]
eval: { suite: basic }
`,
    );
    const out = join(dir, 'out');
    const dry = await runCli(['bench', '--config', bench, '--out', out, '--dry-run']);
    expect(dry.status, dry.stderr).toBe(0);
    expect(dry.stdout.match(/^suite mlp(16|8) \(.+\):$/gm)).toHaveLength(2);
    const result = await runCli(['bench', '--config', bench, '--out', out, '--workers', '2']);
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout.match(/2\/2 runs done, 0 failed/g)).toHaveLength(2);
    for (const suite of ['mlp16', 'mlp8']) {
      const results = JSON.parse(readFileSync(join(out, suite, 'results.json'), 'utf8')) as { baseline: string; runs: { metrics: Record<string, number> }[] };
      expect(results.baseline).toBe('baseline');
      // Cost per run: 784 → h → 10 on the 28×28 digits, so the two suites differ in parameters.
      const h = suite === 'mlp16' ? 16 : 8;
      expect(results.runs[0]!.metrics['cost.parameters']).toBe(784 * h + h + h * 10 + 10);
      expect(results.runs[0]!.metrics['cost.cpuSeconds']).toBeGreaterThan(0);
    }
    const report = readFileSync(join(out, 'report.md'), 'utf8');
    expect(report.match(/^## Suite .+$/gm)).toEqual(['## Suite mlp16', '## Suite mlp8']);
  });
});
