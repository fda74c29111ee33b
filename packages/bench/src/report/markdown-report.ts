import type { BenchResults } from '../aggregate/bench-results.js';
import { describeRegularizers, describeRunCounts } from './benchmark-description.js';
import { effectsTables } from './effects-tables.js';
import { provenanceRows } from './provenance-rows.js';
import { bestTable, comparisonTable, headlineMetrics, runsTable, summaryTable, type TableModel } from './report-tables.js';

/** report.md: the benchmark, the headline tables, the runs; every metric is in results.csv. */
export function markdownReport(results: BenchResults): string {
  const metrics = headlineMetrics(results);
  const summary = summaryTable(results, metrics);
  const comparison = comparisonTable(results, metrics);
  const lines = [
    '# Benchmark report',
    '',
    '| | |',
    '|---|---|',
    ...provenanceRows(results.provenance).map(([label, text]) => `| ${label} | ${escapeCell(text)} |`),
    '',
    `Seeds ${results.seeds.join(', ')}; runs: ${describeRunCounts(results)}. Baseline: ${results.baseline ?? 'none (no combination without regularizers)'}.`,
    '',
    '| combination | group | regularizers | mean training CPU seconds | mean training wall seconds |',
    '|---|---|---|---|---|',
    ...results.combinations.map(
      (c) =>
        `| ${escapeCell(c.name)} | ${escapeCell(c.group ?? '–')} | ${escapeCell(describeRegularizers(c.regularizers))} | ${c.cpuSeconds ? c.cpuSeconds.mean.toFixed(1) : '–'} | ${c.seconds ? c.seconds.mean.toFixed(1) : '–'} |`,
    ),
    '',
    `Statistics over seeds: ${results.method.interval}. Against the baseline: ${results.method.test}.`,
    'Tables show the headline metrics; results.csv and results.json have every metric, report.html the plots.',
    '',
    ...section(summary, 'text'),
    ...section({ ...summary, title: '95 % confidence interval of the mean', note: results.method.interval }, 'detail'),
  ];
  if (comparison) {
    lines.push(...section(comparison, 'text'));
    lines.push(...section({ ...comparison, title: `95 % confidence interval of the difference from ${results.baseline}`, note: 'Paired by seed.' }, 'detail'));
  }
  lines.push(...effectsTables(results).flatMap((table) => section(table, 'text')));
  lines.push(...section(bestTable(results, metrics), 'text'), ...section(runsTable(results), 'text'));
  return lines.join('\n');
}

function section(table: TableModel, field: 'text' | 'detail'): string[] {
  return [
    `## ${table.title}`,
    '',
    table.note,
    '',
    `| ${table.header.map(escapeCell).join(' | ')} |`,
    `|${table.header.map(() => '---').join('|')}|`,
    ...table.rows.map(
      (row) =>
        `| ${row
          .map((cell, i) => {
            const text = escapeCell(i === 0 ? cell.text : (field === 'detail' ? cell.detail : cell.text) ?? cell.text);
            return cell.strong && field === 'text' ? `**${text}**` : text;
          })
          .join(' | ')} |`,
    ),
    '',
  ];
}

function escapeCell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}
