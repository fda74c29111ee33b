import type { BenchResults } from '../aggregate/bench-results.js';
import { describeRegularizers, describeRunCounts } from './benchmark-description.js';
import { effectsTables } from './effects-tables.js';
import { escapeHtml, formatInterval, formatMeanStd, formatPValue } from './format.js';
import { legendHtml } from './legend.js';
import { clipInterval, metricRange } from './metric-range.js';
import { PAGE_CHECK_SCRIPT } from './page-check-script.js';
import { provenanceRows } from './provenance-rows.js';
import { reportCharts, type ReportChart } from './report-charts.js';
import { bestTable, comparisonTable, headlineMetrics, runsTable, summaryTable, type TableModel } from './report-tables.js';

// Wide tables scroll inside their box with the first column pinned, charts shrink to the page:
// nothing makes the page itself wider than the window.
const STYLE = `
body { font: 14px/1.45 system-ui, sans-serif; margin: 24px auto; max-width: 1400px; color: #222; padding: 0 16px; }
.table-scroll { overflow-x: auto; max-width: 100%; margin: 8px 0 20px; }
table { border-collapse: separate; border-spacing: 0; font-variant-numeric: tabular-nums; }
table { border-top: 1px solid #ddd; border-left: 1px solid #ddd; }
th, td { border: solid #ddd; border-width: 0 1px 1px 0; padding: 3px 8px; text-align: right; vertical-align: top; white-space: nowrap; background: #fff; }
th:first-child, td:first-child, table.text td { text-align: left; }
tr > :first-child { position: sticky; left: 0; z-index: 1; }
th { background: #f4f4f4; }
table#provenance th { text-align: left; }
table#provenance td { white-space: normal; text-align: left; }
svg.chart { max-width: 100%; height: auto; vertical-align: top; }
ul.legend { list-style: none; padding: 0; margin: 4px 0; display: flex; flex-wrap: wrap; gap: 4px 16px; max-width: 100%; }
ul.legend li { display: flex; align-items: center; gap: 4px; overflow-wrap: anywhere; }
td small { color: #666; }
td.best { font-weight: bold; background: #eef6ee; }
td.better { font-weight: bold; background: #e3f2e3; }
td.worse { font-weight: bold; background: #f8e4e4; }
figure { margin: 16px 0 28px; }
figcaption { color: #555; max-width: 720px; }
.note { color: #555; }
details { margin: 16px 0; }
`;

/**
 * report.html: one self-contained page (inline CSS, inline SVG, one inline check script; nothing
 * is fetched when it is viewed) with the benchmark, the headline tables, the plots, the runs and,
 * folded, every metric.
 */
export function htmlReport(results: BenchResults): string {
  const metrics = headlineMetrics(results);
  const comparison = comparisonTable(results, metrics);
  const body = [
    '<h1>Benchmark report</h1>',
    provenanceTable(results),
    `<p>Seeds ${results.seeds.join(', ')}; runs: ${escapeHtml(describeRunCounts(results))}. Baseline: <b>${escapeHtml(results.baseline ?? 'none')}</b>.</p>`,
    `<p class="note">Statistics over seeds: ${escapeHtml(results.method.interval)}. Against the baseline: ${escapeHtml(results.method.test)}.</p>`,
    combinationsTable(results),
    tableHtml(summaryTable(results, metrics)),
    comparison ? tableHtml(comparison) : '',
    ...effectsTables(results).map(tableHtml),
    ...reportCharts(results).map(figureHtml),
    tableHtml(bestTable(results, metrics)),
    tableHtml(runsTable(results)),
    allMetricsHtml(results),
  ];
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>selfkd benchmark report</title>
<style>${STYLE}</style>
</head>
<body>
${body.join('\n')}
<script>${PAGE_CHECK_SCRIPT}</script>
</body>
</html>
`;
}

function provenanceTable(results: BenchResults): string {
  const rows = provenanceRows(results.provenance)
    .map(([label, text]) => `<tr><th>${escapeHtml(label)}</th><td>${escapeHtml(text)}</td></tr>`)
    .join('');
  return `<table id="provenance">${rows}</table>`;
}

function combinationsTable(results: BenchResults): string {
  const seconds = (s: { mean: number } | null): string => (s ? s.mean.toFixed(1) : '–');
  const rows = results.combinations
    .map(
      (c) =>
        `<tr><td>${escapeHtml(c.name)}</td><td>${escapeHtml(c.group ?? '–')}</td><td>${escapeHtml(describeRegularizers(c.regularizers))}</td><td>${c.seeds.length}</td><td>${c.failed}</td><td>${seconds(c.cpuSeconds)}</td><td>${seconds(c.seconds)}</td></tr>`,
    )
    .join('');
  return `<div class="table-scroll"><table id="combinations" class="text"><tr><th>combination</th><th>group</th><th>regularizers</th><th>finished runs</th><th>failed runs</th><th>mean training CPU seconds</th><th>mean training wall seconds</th></tr>${rows}</table></div>`;
}

function tableHtml(table: TableModel): string {
  const head = `<tr>${table.header.map((h) => `<th>${escapeHtml(h)}</th>`).join('')}</tr>`;
  const rows = table.rows
    .map((row) => {
      const cells = row.map((cell, i) => {
        const data = Object.entries(cell.data ?? {})
          .map(([k, v]) => ` data-${k}="${escapeHtml(v)}"`)
          .join('');
        const detail = cell.detail ? `<br><small>${escapeHtml(cell.detail)}</small>` : '';
        const tag = i === 0 ? 'th' : 'td';
        const style = cell.tone ?? (cell.strong ? 'best' : undefined);
        return `<${tag}${style ? ` class="${style}"` : ''}${data}>${escapeHtml(cell.text)}${detail}</${tag}>`;
      });
      return `<tr>${cells.join('')}</tr>`;
    })
    .join('');
  const numeric = table.rows.every((row) => row.slice(1).every((cell) => /^[-+–0-9[]/.test(cell.text)));
  return `<h2>${escapeHtml(table.title)}</h2><p class="note">${escapeHtml(table.note)}</p><div class="table-scroll"><table id="table-${table.id}"${numeric ? '' : ' class="text"'}>${head}${rows}</table></div>`;
}

function figureHtml(chart: ReportChart): string {
  const legend = chart.legend.length ? legendHtml(chart.legend) : '';
  return `<figure data-chart="${chart.id}" data-marks="${chart.marks}" data-seeds="${chart.seeds}"><h2>${escapeHtml(chart.title)}</h2>${legend}${chart.svg}<figcaption>${escapeHtml(chart.caption)}</figcaption></figure>`;
}

/** Every metric of every combination, folded away: the long table results.csv also holds. */
function allMetricsHtml(results: BenchResults): string {
  const comparisons = new Map(results.comparisons.map((c) => [`${c.combination}\n${c.metric}`, c]));
  const rows = results.metrics
    .flatMap(({ name }) =>
      results.combinations.map((c) => {
        const summary = c.metrics[name];
        if (!summary) return '';
        const comparison = comparisons.get(`${c.name}\n${name}`);
        return `<tr><td>${escapeHtml(name)}</td><td>${escapeHtml(c.name)}</td><td>${summary.n}</td><td>${formatMeanStd(summary)}</td><td>${formatInterval(clipInterval(summary, metricRange(name)))}</td><td>${comparison ? formatMeanStd(comparison.difference, true) : ''}</td><td>${comparison ? formatPValue(comparison.p) : ''}</td></tr>`;
      }),
    )
    .join('');
  return `<details><summary>Every metric (${results.metrics.length})</summary><div class="table-scroll"><table id="table-all-metrics"><tr><th>metric</th><th>combination</th><th>n</th><th>mean ± std</th><th>95 % interval</th><th>Δ vs baseline</th><th>p</th></tr>${rows}</table></div></details>`;
}
