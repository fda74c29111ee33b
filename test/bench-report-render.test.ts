import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { attributes, bodyAttributes, CHROMIUM_ABSENT, chromiumPresent, elements, renderPage, type RenderedPage } from './support/chromium.js';
import { runChecked } from './support/run-process.js';
import { parseBenchConfig, runBench, type BenchResults } from '@selfkd/bench';

const fakeTrain = resolve(import.meta.dirname, '../packages/bench/test/support/fake-train.mjs');
const pngStats = resolve(import.meta.dirname, 'support/png-stats.mjs');

/** Nine combinations, some with the long names a grid gives its points. */
const REGULARIZERS = ['label-smoothing', 'cs-kd', 'sd-dropout', 'ps-kd', 'tf-kd-reg', 'dlb', 'bake', 'ddgsd'];
const CHARTS = ['summary', 'accuracy-per-epoch', 'train-loss', 'learning-rate', 'reliability', 'fgsm', 'ood-auroc', 'corruptions'];

interface PngStats {
  width: number;
  height: number;
  nonWhiteShare: number;
  colors: Record<string, number>;
}

describe('report.html of a nine-combination bench in headless Chromium', () => {
  let results: BenchResults;
  let wide: RenderedPage;
  let narrow: RenderedPage;
  let screenshot: PngStats;
  let pageHeight: number;

  beforeAll(async () => {
    if (!chromiumPresent) return;
    const out = mkdtempSync(join(tmpdir(), 'selfkd-bench-render-'));
    const combinations = [
      { name: 'baseline', regularizers: [] },
      ...REGULARIZERS.map((type, i) =>
        i % 2 ? { name: `${type}+sd-dropout.weight-0.3.temperature-3`, regularizers: [{ type }, { type: 'sd-dropout', weight: 0.3, temperature: 3 }] } : { name: type, regularizers: [{ type }] },
      ),
    ];
    const config = parseBenchConfig({ base: { data: { name: 'fake' }, model: { name: 'fake' }, train: { epochs: 3 }, fake: { epochMs: 1 } }, combinations, seeds: [0, 1, 2] });
    await runBench(config, { out, workers: 2, trainCommand: (c, o, r) => ({ command: process.execPath, args: [fakeTrain, c, o, r ? '1' : '0'] }) });
    results = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as BenchResults;
    const report = join(out, 'report.html');
    wide = await renderPage(report, { width: 1280 });
    narrow = await renderPage(report, { width: 800 });
    pageHeight = Number(bodyAttributes(wide.dom)['data-height']);
    const png = join(mkdtempSync(join(tmpdir(), 'selfkd-report-shot-')), 'report.png');
    await renderPage(report, { width: 1280, height: pageHeight, screenshot: png });
    const colors = elements(wide.dom, 'li').flatMap((li) => (li.attrs['data-color'] ? [li.attrs['data-color']] : []));
    screenshot = JSON.parse(await runChecked(process.execPath, [pngStats, png, ...new Set(colors)], { timeoutMs: 60_000 })) as PngStats;
  });

  it('draws every chart with all its marks and seed points and logs nothing to the console', (context) => {
    context.skip(!chromiumPresent, CHROMIUM_ABSENT);
    expect(results.combinations).toHaveLength(9);
    for (const page of [wide, narrow]) {
      expect(bodyAttributes(page.dom)['data-report-check']).toBe('ok');
      expect(page.console).toEqual([]);
      const figures = [...page.dom.matchAll(/<figure[^>]*>/g)].map((m) => attributes(m[0]));
      expect(figures.map((f) => f['data-chart'])).toEqual(CHARTS);
      for (const f of figures) expect(f['data-drawn'], f['data-chart']).toBe(f['data-marks']);
    }
  });

  it('never makes the page wider than the window: wide tables scroll inside their box', (context) => {
    context.skip(!chromiumPresent, CHROMIUM_ABSENT);
    expect(bodyAttributes(wide.dom)['data-overflow']).toBe('0');
    expect(bodyAttributes(narrow.dom)['data-overflow']).toBe('0');
    // At 800 px the nine-column summary cannot fit: it scrolls in its box, every column still there.
    const summaryBox = /<div class="table-scroll"[^>]*>\s*<table id="table-summary"/.exec(narrow.dom)![0];
    expect(attributes(summaryBox)['data-scrolls']).toBe('true');
    const header = elements(/<table id="table-summary"[\s\S]*?<\/table>/.exec(narrow.dom)![0], 'th').slice(0, 10);
    expect(header.map((th) => th.inner)).toEqual(['metric', ...results.combinations.map((c) => `${c.name} (n=3)`)]);
  });

  it('gives each combination its own colour in every legend', (context) => {
    context.skip(!chromiumPresent, CHROMIUM_ABSENT);
    const legend = /<figure[^>]*data-chart="accuracy-per-epoch"[\s\S]*?<ul class="legend">([\s\S]*?)<\/ul>/.exec(wide.dom)![1]!;
    const items = elements(legend, 'li');
    expect(items.map((li) => li.attrs['data-series'])).toEqual(results.combinations.map((c) => c.name));
    expect(new Set(items.map((li) => li.attrs['data-color'])).size).toBe(9);
  });

  it('renders to a screenshot that shows the whole page with every combination colour', (context) => {
    context.skip(!chromiumPresent, CHROMIUM_ABSENT);
    expect(screenshot.width).toBe(1280);
    expect(screenshot.height).toBe(pageHeight);
    // Tables, text and charts: far from a blank page.
    expect(screenshot.nonWhiteShare).toBeGreaterThan(0.02);
    const counts = Object.values(screenshot.colors);
    expect(counts).toHaveLength(9);
    // Each colour is drawn unblended in markers and legend lines: many pixels of each.
    for (const [color, pixels] of Object.entries(screenshot.colors)) expect(pixels, color).toBeGreaterThan(50);
  });
});
