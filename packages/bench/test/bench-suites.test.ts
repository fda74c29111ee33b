import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '@selfkd/core';
import { expandRuns, loadBenchSuites, parseBenchConfig, parseBenchSuites, runBench, writeSuitesReport, type SuiteReports } from '../src/index.js';
import { fakeTrainCommand, readResults, tempDir } from './support/fake-bench.js';

const fake = { data: { name: 'fake' }, train: { epochs: 2 }, fake: { epochMs: 5 } };
const raw = {
  suites: [
    { name: 'digits-mlp', base: { ...fake, model: { name: 'mlp' } } },
    { name: 'fashion-cnn', baseFile: 'fashion.yaml' },
  ],
  generate: { regularizers: [{ type: 'label-smoothing' }] },
  grids: [{ combination: 'label-smoothing', values: { 'model.width': [1, 2] } }],
  seeds: [0, 1],
};

describe('a bench with several suites', () => {
  it('applies the combinations, grids and seeds to each suite’s own base; each has its own baseline', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'fashion.yaml'), JSON.stringify({ ...fake, model: { name: 'cnn' } }));
    writeFileSync(join(dir, 'bench.yaml'), JSON.stringify(raw));
    const suites = loadBenchSuites(join(dir, 'bench.yaml'));
    expect(suites.map((s) => s.name)).toEqual(['digits-mlp', 'fashion-cnn']);
    for (const { config } of suites) {
      expect(config.baseline).toBe('baseline');
      expect(config.combinations.map((c) => c.name)).toEqual(['baseline', 'label-smoothing[model.width=1]', 'label-smoothing[model.width=2]']);
    }
    expect(expandRuns(suites[1]!.config)[1]!.config.model).toEqual({ name: 'cnn', width: 1 });
    expect(() => parseBenchConfig(raw)).toThrow('this bench has several suites');
  });

  it('refuses suites without a base, repeated names, and a base beside them', () => {
    let message = '';
    try {
      parseBenchSuites({ base: fake, suites: [{ name: 'a', base: fake }, { name: 'a' }], combinations: [{ name: 'b', regularizers: [] }] });
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      message = (err as Error).message;
    }
    expect(message).toContain('suites: give exactly one of "base" (a training config), "baseFile" (a path to one) and "suites" (several)');
    expect(message).toContain('suites[1]: give exactly one of "base" (a training config) and "baseFile" (a path to one)');
    expect(message).toContain('suites[1].name: suite names must be unique (got "a")');
  });

  it('runs each suite as its own bench in its folder and reports them as sections of one report', async () => {
    const out = tempDir();
    mkdirSync(out, { recursive: true });
    const finished: SuiteReports[] = [];
    for (const { name, config } of parseBenchSuites({ ...raw, suites: [raw.suites[0], { name: 'fashion-cnn', base: { ...fake, model: { name: 'cnn' } } }] })) {
      const outcome = await runBench(config, { out: join(out, name!), workers: 2, trainCommand: fakeTrainCommand });
      expect(outcome).toMatchObject({ total: 6, done: 6, failed: 0 });
      finished.push({ name: name!, reports: outcome.reports });
    }
    expect(readResults(join(out, 'fashion-cnn')).baseline).toBe('baseline');
    const { markdown, html } = writeSuitesReport(out, finished);
    const report = readFileSync(markdown, 'utf8');
    expect(report).toMatch(/^# Benchmark report: 2 suites\n/);
    expect(report.match(/^## Suite (.+)$/gm)).toEqual(['## Suite digits-mlp', '## Suite fashion-cnn']);
    expect(report).toContain('### Mean ± standard deviation over seeds');
    expect(report).toContain('Plots: [fashion-cnn/report.html](fashion-cnn/report.html)');
    expect(readFileSync(html, 'utf8')).toContain('<a href="digits-mlp/report.html">digits-mlp</a>');
  });
});
