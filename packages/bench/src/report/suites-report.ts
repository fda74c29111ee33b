import { writeFileAtomicSync } from '@selfkd/core';
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { escapeHtml } from './format.js';
import type { ReportFiles } from './write-reports.js';

/** A finished suite of a bench with several: its name and the reports written in its folder. */
export interface SuiteReports {
  name: string;
  reports: ReportFiles;
}

/**
 * The reports of a bench with several suites, in its output folder: report.md holds every suite's
 * report.md as one section (its headings one level down), each compared with its own baseline;
 * index.html links each suite's report.html.
 */
export function writeSuitesReport(outDir: string, suites: readonly SuiteReports[]): { markdown: string; html: string } {
  const markdown = join(outDir, 'report.md');
  const html = join(outDir, 'index.html');
  const sections = suites.map(({ name, reports }) => {
    const body = readFileSync(reports.markdown, 'utf8')
      .replace(/^# Benchmark report$/m, `# Suite ${name}`)
      .replace(/^(#+) /gm, '#$1 ');
    return `${body.trimEnd()}\n\nPlots: [${relative(outDir, reports.html)}](${relative(outDir, reports.html)}); every metric: ${relative(outDir, reports.csv)}.\n`;
  });
  writeFileAtomicSync(
    markdown,
    [`# Benchmark report: ${suites.length} suites`, '', `Each suite is compared with its own baseline: ${suites.map((s) => s.name).join(', ')}.`, '', ...sections].join('\n'),
  );
  const links = suites.map(({ name, reports }) => `<li><a href="${escapeHtml(relative(outDir, reports.html))}">${escapeHtml(name)}</a></li>`).join('');
  writeFileAtomicSync(html, `<!doctype html><html><head><meta charset="utf-8"><title>Benchmark suites</title></head><body><h1>Benchmark suites</h1><ul>${links}</ul></body></html>\n`);
  return { markdown, html };
}
