import { describe, expect, it } from 'vitest';
import { htmlReport } from '../src/report/html-report.js';
import { markdownReport } from '../src/report/markdown-report.js';
import { methodEffects } from '../src/report/method-effects.js';
import { fakeResults } from './support/fake-results.js';

// Two methods, their pair and a grid point of one of them (not a method: it is in a group).
// Seed 3 finished everywhere but in the pair, so the pair's differences use seeds 0–2 only.
const results = fakeResults([
  { name: 'baseline', regularizers: [], values: { top1: [0.8, 0.82, 0.81, 0.8] } },
  { name: 'ls', regularizers: [{ type: 'label-smoothing' }], values: { top1: [0.83, 0.84, 0.85, 0.83] } },
  { name: 'sd', regularizers: [{ type: 'sd-dropout' }], values: { top1: [0.81, 0.85, 0.83, 0.8] } },
  { name: 'ls-and-sd', regularizers: [{ type: 'sd-dropout' }, { type: 'label-smoothing' }], values: { top1: [0.86, 0.88, 0.87, null] } },
  { name: 'ls[epsilon=0.2]', regularizers: [{ type: 'label-smoothing' }], group: 'ls', gridValues: { 'label-smoothing.epsilon': 0.2 }, values: { top1: [0.9, 0.9, 0.9, 0.9] } },
]);

// Closed forms of the two-sided Student t p-value for 2 and 3 degrees of freedom.
const pDf2 = (t: number): number => 1 - Math.abs(t) / Math.sqrt(t * t + 2);
const pDf3 = (t: number): number => {
  const u = Math.abs(t) / Math.sqrt(3);
  return 1 - (2 / Math.PI) * (Math.atan(u) + u / (1 + u * u));
};

describe('main effects and pairwise interactions of methods', () => {
  const model = methodEffects(results, ['top1'])!;
  const effect = (method: string, addedTo: string | null) => model.effects.find((e) => e.method === method && e.addedTo === addedTo)!.effect;

  it('finds the methods and their pair by regularizers, whatever the pair is called, and leaves grid points out', () => {
    expect(model.baseline).toBe('baseline');
    expect(model.methods).toEqual(['ls', 'sd']);
    expect(model.interactions.map((i) => [i.combination, i.methods])).toEqual([['ls-and-sd', ['ls', 'sd']]]);
  });

  it('computes each method alone against the baseline, paired over all four seeds', () => {
    // ls − baseline per seed: 0.03, 0.02, 0.04, 0.03; mean 0.03, s = √(0.0002/3).
    const ls = effect('ls', null);
    expect(ls.difference.n).toBe(4);
    expect(ls.difference.mean).toBeCloseTo(0.03, 12);
    expect(ls.difference.std).toBeCloseTo(Math.sqrt(0.0002 / 3), 12);
    const t = 0.03 / (Math.sqrt(0.0002 / 3) / 2);
    expect(ls.t).toBeCloseTo(t, 8);
    expect(ls.p).toBeCloseTo(pDf3(t), 8);
    // sd − baseline: 0.01, 0.03, 0.02, 0.00; mean 0.015, s = √(0.0005/3).
    expect(effect('sd', null).difference.mean).toBeCloseTo(0.015, 12);
    expect(effect('sd', null).difference.std).toBeCloseTo(Math.sqrt(0.0005 / 3), 12);
  });

  it('computes a method added to the other as pair − other, over the seeds the pair finished', () => {
    // pair − sd: 0.05, 0.03, 0.04 → mean 0.04, s 0.01, t = 0.04/(0.01/√3) = √48.
    const lsOnSd = effect('ls', 'sd');
    expect(lsOnSd.difference.n).toBe(3);
    expect(lsOnSd.difference.mean).toBeCloseTo(0.04, 12);
    expect(lsOnSd.difference.std).toBeCloseTo(0.01, 12);
    expect(lsOnSd.t).toBeCloseTo(Math.sqrt(48), 8);
    expect(lsOnSd.p).toBeCloseTo(pDf2(Math.sqrt(48)), 8);
    // pair − ls: 0.03, 0.04, 0.02 → mean 0.03, t = √27.
    expect(effect('sd', 'ls').difference.mean).toBeCloseTo(0.03, 12);
    expect(effect('sd', 'ls').p).toBeCloseTo(pDf2(Math.sqrt(27)), 8);
  });

  it('computes the interaction (A+B − B) − (A − baseline) paired by seed', () => {
    // (pair − sd) − (ls − baseline): 0.02, 0.01, 0.00 → mean 0.01, s 0.01, t = √3.
    const { interaction } = model.interactions[0]!;
    expect(interaction.difference.n).toBe(3);
    expect(interaction.difference.mean).toBeCloseTo(0.01, 12);
    expect(interaction.difference.std).toBeCloseTo(0.01, 12);
    expect(interaction.t).toBeCloseTo(Math.sqrt(3), 8);
    expect(interaction.p).toBeCloseTo(pDf2(Math.sqrt(3)), 8);
  });

  it('is absent without a baseline or without a pair of methods', () => {
    expect(methodEffects({ ...results, baseline: null }, ['top1'])).toBeNull();
    expect(methodEffects({ ...results, combinations: results.combinations.filter((c) => c.name !== 'ls-and-sd') }, ['top1'])).toBeNull();
  });

  it('shows both tables in report.md and report.html', () => {
    const markdown = markdownReport(results);
    expect(markdown).toContain('## Effect of each method, alone and added to another (paired by seed)');
    expect(markdown).toContain(`| ls alone | **+0.0300 ± 0.0082, p ${pDf3(0.03 / (Math.sqrt(0.0002 / 3) / 2)).toFixed(3)}** |`);
    expect(markdown).toContain('| ls added to sd | **+0.0400 ± 0.0100, p 0.020** |');
    expect(markdown).toContain('| sd added to ls | **+0.0300 ± 0.0100, p 0.035** |');
    expect(markdown).toContain('## Interaction of each pair of methods (paired by seed)');
    expect(markdown).toContain('| ls-and-sd | +0.0100 ± 0.0100, p 0.225 |');
    expect(markdown).not.toContain('epsilon=0.2] alone');
    const html = htmlReport(results);
    expect(html).toMatch(/<td class="better" data-metric="top1" data-combination="ls" data-added-to="sd">\+0\.0400 ± 0\.0100, p 0\.020<br><small>\[/);
    expect(html).toMatch(/<table id="table-interactions">[\s\S]*?<td data-metric="top1" data-combination="ls-and-sd" data-methods="ls sd">\+0\.0100 ± 0\.0100, p 0\.225/);
  });
});
