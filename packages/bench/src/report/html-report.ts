import type { BenchResults } from '../aggregate/bench-results.js';
import { describeRegularizers, describeRunCounts } from './benchmark-description.js';
import { escapeHtml, formatInterval, formatMeanStd, formatPValue } from './format.js';
import { PAGE_CHECK_SCRIPT } from './page-check-script.js';
import { reportCharts, type ReportChart } from './report-charts.js';
import { bestTable, comparisonTable, headlineMetrics, runsTable, summaryTable, type TableModel } from './report-tables.js';

const STYLE = `
body { font: 14px/1.45 system-ui, sans-serif; margin: 24px auto; max-width: 1400px; color: #222; padding: 0 16px; }
.table-scroll { overflow-x: auto; margin: 8px 0 20px; }
table { border-collapse: collapse; font-variant-numeric: tabular-nums; }
th, td { border: 1px solid #ddd; padding: 3px 8px; text-align: right; vertical-align: top; white-space: nowrap; }
th:first-child, td:first-child, table.text td { text-align: left; }
th { background: #f4f4f4; }
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
    `<p>Seeds ${results.seeds.join(', ')}; runs: ${escapeHtml(describeRunCounts(results))}. Baseline: <b>${escapeHtml(results.baseline ?? 'none')}</b>.</p>`,
    `<p class="note">Statistics over seeds: ${escapeHtml(results.method.interval)}. Against the baseline: ${escapeHtml(results.method.test)}.</p>`,
    combinationsTable(results),
    tableHtml(summaryTable(results, metrics)),
    comparison ? tableHtml(comparison) : '',
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

function combinationsTable(results: BenchResults): string {
  const rows = results.combinations
    .map((c) => `<tr><td>${escapeHtml(c.name)}</td><td>${escapeHtml(c.group ?? '–')}</td><td>${escapeHtml(describeRegularizers(c.regularizers))}</td><td>${c.seeds.length}</td><td>${c.failed}</td><td>${c.seconds ? c.seconds.mean.toFixed(1) : '–'}</td></tr>`)
    .join('');
  return `<table id="combinations" class="text"><tr><th>combination</th><th>group</th><th>regularizers</th><th>finished runs</th><th>failed runs</th><th>mean training seconds</th></tr>${rows}</table>`;
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
  return `<figure data-chart="${chart.id}" data-marks="${chart.marks}"><h2>${escapeHtml(chart.title)}</h2>${chart.svg}<figcaption>${escapeHtml(chart.caption)}</figcaption></figure>`;
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
        return `<tr><td>${escapeHtml(name)}</td><td>${escapeHtml(c.name)}</td><td>${summary.n}</td><td>${formatMeanStd(summary)}</td><td>${formatInterval(summary)}</td><td>${comparison ? formatMeanStd(comparison.difference, true) : ''}</td><td>${comparison ? formatPValue(comparison.p) : ''}</td></tr>`;
      }),
    )
    .join('');
  return `<details><summary>Every metric (${results.metrics.length})</summary><table id="table-all-metrics"><tr><th>metric</th><th>combination</th><th>n</th><th>mean ± std</th><th>95 % interval</th><th>Δ vs baseline</th><th>p</th></tr>${rows}</table></details>`;
}
