import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { attributes, bodyAttributes, CHROMIUM_ABSENT as SKIP, chromiumPresent as present, decodeEntities, elements, figure, marks, renderPage, svgOf } from './support/chromium.js';
import { parseBenchConfig, runBench, type BenchResults } from '@selfkd/bench';

const fakeTrain = resolve(import.meta.dirname, '../packages/bench/test/support/fake-train.mjs');

const fixed = (value: number | null, signed = false): string => (value === null ? '–' : `${signed && value >= 0 ? '+' : ''}${value.toFixed(4)}`);

describe('report.html in headless Chromium', () => {
  let out: string;
  let results: BenchResults;
  let html: string;
  let dom: string;

  beforeAll(async () => {
    if (!present) return;
    out = mkdtempSync(join(tmpdir(), 'selfkd-bench-report-'));
    const config = parseBenchConfig({
      base: { data: { name: 'fake' }, model: { name: 'fake' }, train: { epochs: 4 }, fake: { epochMs: 5 } },
      combinations: [
        { name: 'baseline', regularizers: [] },
        { name: 'label-smoothing', regularizers: [{ type: 'label-smoothing' }] },
        { name: 'cs-kd+sd-dropout', regularizers: [{ type: 'cs-kd' }, { type: 'sd-dropout' }] },
      ],
      seeds: [0, 1, 2],
    });
    await runBench(config, { out, workers: 2, trainCommand: (c, o, r) => ({ command: process.execPath, args: [fakeTrain, c, o, r ? '1' : '0'] }) });
    results = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as BenchResults;
    html = readFileSync(join(out, 'report.html'), 'utf8');
    const page = await renderPage(join(out, 'report.html'));
    dom = page.dom;
    expect(page.console).toEqual([]);
  });

  it('is one self-contained file: nothing is fetched when it is viewed', (context) => {
    context.skip(!present, SKIP);
    expect(html).not.toMatch(/<link|<img|<iframe|\ssrc=|url\(|@import|https?:\/\//i);
  });

  it('draws every plot with all its marks inside the plot area', (context) => {
    context.skip(!present, SKIP);
    expect(bodyAttributes(dom)['data-report-check']).toBe('ok');
    const combinations = results.combinations.length;
    const fgsmPoints = results.metrics.filter((m) => m.name.startsWith('fgsm.')).length;
    const expected: Record<string, number> = {
      summary: combinations * 3,
      'accuracy-per-epoch': results.combinations.reduce((n, c) => n + c.curves.testTop1.length, 0),
      'train-loss': results.combinations.reduce((n, c) => n + Object.values(c.curves.train).reduce((k, bands) => k + bands.length, 0), 0),
      'learning-rate': results.combinations.reduce((n, c) => n + c.curves.lr.length, 0),
      reliability: results.combinations.reduce((n, c) => n + c.reliability!.filter((b) => b.count > 0).length, 0),
      fgsm: combinations * fgsmPoints,
      'ood-auroc': combinations * results.metrics.filter((m) => /^ood\..*\.auroc$/.test(m.name)).length,
      corruptions: combinations * results.metrics.filter((m) => /^shift\.[^.]+$/.test(m.name) && !['shift.clean', 'shift.mean'].includes(m.name)).length,
    };
    // 3 combinations × (top1, nll, ece; 4 epochs; 4 epochs of total and task loss, and of each
    // regularizer's term: 0, 1, 2; 4 epochs; 5 non-empty bins; clean + 3 ε; 2 sets × 3 scores; 2 corruptions).
    expect(expected).toEqual({ summary: 9, 'accuracy-per-epoch': 12, 'train-loss': 36, 'learning-rate': 12, reliability: 15, fgsm: 12, 'ood-auroc': 18, corruptions: 6 });
    // One small dot per seed beside each mean of the summary and grouped plots.
    const seeds: Record<string, number> = { summary: 27, 'ood-auroc': 54, corruptions: 18 };
    for (const [chart, count] of Object.entries(expected)) {
      const html = figure(dom, chart);
      const seedCount = String(seeds[chart] ?? 0);
      expect(attributes(/<figure[^>]*>/.exec(html)![0]), chart).toMatchObject({ 'data-marks': String(count), 'data-drawn': String(count), 'data-seeds': seedCount, 'data-seeds-drawn': seedCount });
      expect(marks(html)).toHaveLength(count);
      expect(marks(html, 'seed')).toHaveLength(seeds[chart] ?? 0);
    }
    expect(bodyAttributes(dom)['data-overflow']).toBe('0');
  });

  it('plots the values of results.json', (context) => {
    context.skip(!present, SKIP);
    for (const c of results.combinations) {
      const curve = marks(figure(dom, 'accuracy-per-epoch')).filter((m) => m['data-series'] === c.name);
      expect(curve.map((m) => [Number(m['data-x']), Number(m['data-value']), Number(m['data-low']), Number(m['data-high'])])).toEqual(
        c.curves.testTop1.map((p) => [p.epoch, p.mean, p.min, p.max]),
      );
      const seedTop1 = results.runs.filter((r) => r.combination === c.name).map((r) => r.metrics.top1);
      // Seeds differ in the fake, so the band has width.
      expect(Math.max(...seedTop1.map(Number))).toBeGreaterThan(Math.min(...seedTop1.map(Number)));
      const summaryTop1 = marks(figure(dom, 'summary'), 'seed').filter((m) => m['data-series'] === c.name && m['data-group'] === 'top1');
      expect(summaryTop1.map((m) => Number(m['data-value']))).toEqual(seedTop1);
      const seedAuroc = marks(figure(dom, 'ood-auroc'), 'seed').filter((m) => m['data-series'] === c.name && m['data-group'] === 'gaussian-noise · msp');
      expect(seedAuroc.map((m) => [Number(m['data-seed']), Number(m['data-value'])])).toEqual(
        results.runs.filter((r) => r.combination === c.name).map((r) => [r.seed, r.metrics['ood.gaussian-noise.msp.auroc']]),
      );
      const lr = marks(figure(dom, 'learning-rate')).filter((m) => m['data-series'] === c.name);
      expect(lr.map((m) => Number(m['data-value']))).toEqual(c.curves.lr.map((p) => p.mean));
      for (const [term, bands] of Object.entries(c.curves.train)) {
        const loss = marks(svgOf(dom, `chart-train-loss-${term}`)).filter((m) => m['data-series'] === c.name);
        expect(loss.map((m) => Number(m['data-value'])), term).toEqual(bands.map((b) => b.mean));
      }
      const fgsm = marks(figure(dom, 'fgsm')).filter((m) => m['data-series'] === c.name);
      expect(fgsm.map((m) => Number(m['data-value']))).toEqual(results.metrics.filter((m) => m.name.startsWith('fgsm.')).map((m) => c.metrics[m.name]!.mean));
      const auroc = marks(figure(dom, 'ood-auroc')).filter((m) => m['data-series'] === c.name);
      expect(auroc.map((m) => [m['data-group'], Number(m['data-value'])])).toEqual(
        Object.entries(c.metrics)
          .filter(([name]) => /^ood\..*\.auroc$/.test(name))
          .map(([name, s]) => [name.replace(/^ood\.(.+)\.([^.]+)\.auroc$/, '$1 · $2'), s.mean]),
      );
      const bars = marks(figure(dom, 'reliability')).filter((m) => m['data-series'] === c.name);
      expect(bars.map((m) => Number(m['data-value']))).toEqual(c.reliability!.filter((b) => b.count > 0).map((b) => b.accuracy));
      const panel = svgOf(dom, `chart-reliability-${c.name}`);
      const total = c.reliability!.reduce((n, b) => n + b.count, 0);
      expect(decodeEntities(elements(panel, 'text').find((t) => t.attrs.class === 'ece')!.inner)).toBe(`ECE ${fixed(c.metrics.ece!.mean)} ± ${fixed(c.metrics.ece!.std)} · ${total} images`);
      const countLabels = elements(panel, 'text').filter((t) => t.attrs.class === 'count-label');
      expect(countLabels.map((t) => Number(t.inner))).toEqual(c.reliability!.filter((b) => b.count > 0).map((b) => b.count));
    }
  });

  it('heads the page with where the numbers come from, and shows CPU next to wall seconds', (context) => {
    context.skip(!present, SKIP);
    const rows = Object.fromEntries(
      elements(/<table id="provenance"[\s\S]*?<\/table>/.exec(dom)![0], 'tr').map((tr) => [elements(tr.inner, 'th')[0]!.inner, decodeEntities(elements(tr.inner, 'td')[0]!.inner)]),
    );
    expect(rows).toMatchObject({
      dataset: 'fake (train 1000, test 500)',
      model: 'fake',
      epochs: '4',
      backend: 'fake (test)',
      selfkd: '0.0.0-fake (trainer)',
      'Node.js': process.version,
      machine: 'Fake CPU × 4 cores (fake-x64)',
    });
    expect(rows['wall time']).toContain(`(${results.provenance.startedAt} → ${results.provenance.finishedAt}`);
    const header = elements(/<table id="table-runs"[\s\S]*?<\/table>/.exec(dom)![0], 'th').map((th) => th.inner);
    expect(header.slice(0, 9)).toEqual(['combination', 'seed', 'status', 'attempts', 'backend', 'CPU seconds', 'wall seconds', 'top1', 'error']);
    const firstRun = elements(/<table id="table-runs"[\s\S]*?<\/table>/.exec(dom)![0], 'td').slice(0, 6).map((td) => td.inner);
    expect(firstRun[4]).toBe(results.runs[0]!.cpuSeconds!.toFixed(1));
    expect(firstRun[5]).toBe(results.runs[0]!.seconds!.toFixed(1));
  });

  it('shows the numbers of results.json in its tables', (context) => {
    context.skip(!present, SKIP);
    const cells = elements(/<table id="table-summary"[\s\S]*?<\/table>/.exec(dom)![0], 'td');
    // 3 combinations × the headline metrics (top1, top5, nll, brier, ece, mce, 3 ε, pgd, 2 sets × 3 OOD, shift.mean).
    expect(cells).toHaveLength(3 * 17);
    for (const { attrs, inner } of cells) {
      const s = results.combinations.find((c) => c.name === attrs['data-combination'])!.metrics[attrs['data-metric']!]!;
      expect(inner).toBe(`${fixed(s.mean)} ± ${fixed(s.std)}<br><small>[${fixed(s.ciLow)}, ${fixed(s.ciHigh)}]</small>`);
    }
    const comparisons = elements(/<table id="table-comparison"[\s\S]*?<\/table>/.exec(dom)![0], 'td').filter((td) => td.attrs['data-metric']);
    expect(comparisons).toHaveLength(2 * cells.length / 3);
    for (const { attrs, inner } of comparisons) {
      const c = results.comparisons.find((x) => x.combination === attrs['data-combination'] && x.metric === attrs['data-metric'])!;
      const [main, detail] = inner.split('<br>');
      const [shown, p] = /^(.+), p (.+)$/.exec(decodeEntities(main!))!.slice(1);
      const interval = decodeEntities(detail!.replace(/<\/?small>/g, ''));
      expect(shown).toBe(`${fixed(c.difference.mean, true)} ± ${fixed(c.difference.std)}`);
      expect(interval).toBe(`[${fixed(c.difference.ciLow, true)}, ${fixed(c.difference.ciHigh, true)}]`);
      expect(p).toBe(c.p! < 0.001 ? '<0.001' : c.p!.toFixed(3));
      const direction = results.metrics.find((m) => m.name === c.metric)!.direction;
      const better = c.difference.mean > 0 === (direction === 'higher');
      expect(attrs.class).toBe(c.p! < 0.05 ? (better ? 'better' : 'worse') : undefined);
    }
    // The fake trainer's regularizers improve accuracy and hurt PGD accuracy.
    expect(comparisons.find((td) => td.attrs['data-metric'] === 'top1')!.attrs.class).toBe('better');
    expect(comparisons.find((td) => td.attrs['data-metric'] === 'pgd')!.attrs.class).toBe('worse');
  });
});
