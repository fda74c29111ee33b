import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { attributes, bodyAttributes, CHROMIUM_ABSENT, chromiumPresent, renderPage, type RenderedPage } from './support/chromium.js';
import { parseBenchConfig, runBench, type BenchResults } from '@selfkd/bench';

const fakeTrain = resolve(import.meta.dirname, '../packages/bench/test/support/fake-train.mjs');

/** A bench of generated combinations (two methods, their pair) and a 2 × 2 grid of a third copy. */
describe('report of generated combinations and a grid', () => {
  let out: string;
  let results: BenchResults;
  let page: RenderedPage;

  beforeAll(async () => {
    out = mkdtempSync(join(tmpdir(), 'selfkd-bench-grid-report-'));
    const config = parseBenchConfig({
      base: { data: { name: 'fake' }, model: { name: 'fake' }, train: { epochs: 2 }, fake: { epochMs: 1 } },
      combinations: [{ name: 'sd-grid', regularizers: [{ type: 'sd-dropout' }] }],
      generate: { regularizers: [{ type: 'label-smoothing' }, { type: 'cs-kd' }] },
      grids: [{ combination: 'sd-grid', values: { 'sd-dropout.weight': [0.1, 1], 'sd-dropout.temperature': [1, 3] } }],
      seeds: [0, 1],
    });
    await runBench(config, { out, workers: 2, trainCommand: (c, o, r) => ({ command: process.execPath, args: [fakeTrain, c, o, r ? '1' : '0'] }) });
    results = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as BenchResults;
    if (chromiumPresent) page = await renderPage(join(out, 'report.html'), { width: 1000 });
  });

  it("records each grid point's values in results.json", () => {
    expect(results.combinations.filter((c) => c.group === 'sd-grid').map((c) => c.gridValues)).toEqual([
      { 'sd-dropout.weight': 0.1, 'sd-dropout.temperature': 1 },
      { 'sd-dropout.weight': 0.1, 'sd-dropout.temperature': 3 },
      { 'sd-dropout.weight': 1, 'sd-dropout.temperature': 1 },
      { 'sd-dropout.weight': 1, 'sd-dropout.temperature': 3 },
    ]);
    expect(results.combinations.find((c) => c.name === 'baseline')!.gridValues).toBeNull();
  });

  it('writes the effect tables in report.md with the differences of the runs paired by seed', () => {
    const markdown = readFileSync(join(out, 'report.md'), 'utf8');
    const top1 = (combination: string, seed: number): number => results.runs.find((r) => r.combination === combination && r.seed === seed)!.metrics.top1!;
    const mean = (values: number[]): number => values.reduce((s, v) => s + v, 0) / values.length;
    const alone = mean([0, 1].map((s) => top1('label-smoothing', s) - top1('baseline', s)));
    const added = mean([0, 1].map((s) => top1('label-smoothing+cs-kd', s) - top1('cs-kd', s)));
    const interaction = added - alone;
    const signed = (v: number): string => `${v >= 0 ? '+' : ''}${v.toFixed(4)}`;
    expect(markdown).toMatch(new RegExp(`\\| label-smoothing alone \\| \\**${signed(alone).replace('+', '\\+')} `));
    expect(markdown).toMatch(new RegExp(`\\| label-smoothing added to cs-kd \\| \\**${signed(added).replace('+', '\\+')} `));
    expect(markdown).toMatch(new RegExp(`\\| label-smoothing\\+cs-kd \\| \\**${signed(interaction).replace('+', '\\+')} `));
    expect(markdown).not.toMatch(/sd-grid\[.*alone/);
  });

  it('draws every grid chart with all its marks, and the page fits the window', (context) => {
    context.skip(!chromiumPresent, CHROMIUM_ABSENT);
    expect(page.console).toEqual([]);
    expect(bodyAttributes(page.dom)['data-report-check']).toBe('ok');
    const figures = [...page.dom.matchAll(/<figure[^>]*>/g)].map((m) => attributes(m[0]));
    const grid = figures.filter((f) => f['data-chart']!.startsWith('grid-'));
    expect(grid.map((f) => f['data-chart'])).toEqual(['grid-sd-grid-sd-dropout.weight', 'grid-sd-grid-sd-dropout.temperature']);
    for (const f of grid) expect(f['data-drawn']).toBe(f['data-marks']);
    expect(page.dom).toContain('id="table-effects"');
    expect(page.dom).toContain('id="table-interactions"');
  });
});
