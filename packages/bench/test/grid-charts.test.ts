import { describe, expect, it } from 'vitest';
import { gridCharts } from '../src/report/grid-charts.js';
import { htmlReport } from '../src/report/html-report.js';
import { fakeResults, type FakeCombination } from './support/fake-results.js';

/** A 2 × 2 grid over weight and temperature with a one-value lr path; two seeds per point. */
function point(weight: number, temperature: number, top1: [number, number], nll: [number, number]): FakeCombination {
  return {
    name: `sd[weight=${weight},temperature=${temperature},train.optimizer.lr=0.01]`,
    regularizers: [{ type: 'sd-dropout' }],
    group: 'sd',
    gridValues: { 'sd-dropout.weight': weight, 'sd-dropout.temperature': temperature, 'train.optimizer.lr': 0.01 },
    values: { top1, nll },
  };
}

const results = fakeResults([
  { name: 'baseline', regularizers: [], values: { top1: [0.8, 0.8], nll: [0.6, 0.6] } },
  point(0.1, 1, [0.8, 0.84], [0.5, 0.7]),
  point(0.1, 3, [0.81, 0.83], [0.55, 0.65]),
  point(1, 1, [0.7, 0.9], [0.4, 0.4]),
  point(1, 3, [0.85, 0.87], [0.3, 0.5]),
]);

/** The data marks of an SVG: series, x position, mean and the seeds' range. */
function marks(svg: string): Record<string, string>[] {
  return [...svg.matchAll(/<(?:circle|rect|path) class="mark"([^>]*)>/g)].map((m) => Object.fromEntries([...m[1]!.matchAll(/ ([\w-]+)="([^"]*)"/g)].map((a) => [a[1]!, a[2]!])));
}

describe('grid charts: metrics against each gridded option', () => {
  const charts = gridCharts(results, ['top1', 'bestVal.top1', 'nll', 'ece']);

  it('makes one chart per option the grid varies (not the one-value lr), one line per setting of the other options', () => {
    expect(charts.map((c) => c.id)).toEqual(['grid-sd-sd-dropout.weight', 'grid-sd-sd-dropout.temperature']);
    expect(charts[0]!.legend.map((l) => l.name)).toEqual(['sd-dropout.temperature=1, train.optimizer.lr=0.01', 'sd-dropout.temperature=3, train.optimizer.lr=0.01']);
    expect(charts[1]!.legend.map((l) => l.name)).toEqual(['sd-dropout.weight=0.1, train.optimizer.lr=0.01', 'sd-dropout.weight=1, train.optimizer.lr=0.01']);
    // Panels for the metrics the points have (top1, nll): 2 lines × 2 values each.
    expect(charts[0]!.marks).toBe(8);
    expect(charts[0]!.svg.match(/<svg /g)).toHaveLength(2);
  });

  it('plots the mean over seeds at each value with the lowest and highest seed as the band', () => {
    const top1 = marks(/<svg[^>]*id="chart-grid-sd-sd-dropout.weight-top1"[\s\S]*?<\/svg>/.exec(charts[0]!.svg)![0]);
    const t1 = top1.filter((m) => m['data-series']!.startsWith('sd-dropout.temperature=1'));
    expect(t1.map((m) => m['data-x'])).toEqual(['0', '1']);
    // weight 0.1: seeds 0.8, 0.84 → mean 0.82; weight 1: 0.7, 0.9 → mean 0.8.
    expect(t1.map((m) => Number(m['data-value']))).toEqual([expect.closeTo(0.82, 12), expect.closeTo(0.8, 12)]);
    expect(t1.map((m) => [Number(m['data-low']), Number(m['data-high'])])).toEqual([
      [0.8, 0.84],
      [0.7, 0.9],
    ]);
    const nll = marks(/<svg[^>]*id="chart-grid-sd-sd-dropout.temperature-nll"[\s\S]*?<\/svg>/.exec(charts[1]!.svg)![0]);
    // weight 1 against temperature 1, 3: nll means 0.4 and 0.4.
    expect(nll.filter((m) => m['data-series']!.startsWith('sd-dropout.weight=1,')).map((m) => Number(m['data-value']))).toEqual([expect.closeTo(0.4, 12), expect.closeTo(0.4, 12)]);
  });

  it('labels the x axis with the option values and appears in report.html after the summary', () => {
    expect(charts[0]!.svg).toMatch(/>0\.1<\/text>[\s\S]*>1<\/text>[\s\S]*>sd-dropout\.weight<\/text>/);
    const html = htmlReport(results);
    expect(html).toContain('<figure data-chart="grid-sd-sd-dropout.weight" data-marks="8" data-seeds="0"><h2>Grid sd: metrics against sd-dropout.weight</h2>');
  });

  it('makes nothing without grid values', () => {
    expect(gridCharts(fakeResults([{ name: 'baseline', regularizers: [], values: { top1: [0.8] } }]), ['top1'])).toEqual([]);
  });
});
