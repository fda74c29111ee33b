import { writeFileAtomicSync } from '@selfkd/core';
import { join } from 'node:path';
import type { BenchResults } from '../aggregate/bench-results.js';
import { csvReport } from './csv-report.js';
import { htmlReport } from './html-report.js';
import { markdownReport } from './markdown-report.js';

export interface ReportFiles {
  markdown: string;
  csv: string;
  json: string;
  html: string;
}

/** Writes report.md, results.csv, results.json and report.html into `outDir` (each atomically). */
export function writeReports(outDir: string, results: BenchResults): ReportFiles {
  const files: ReportFiles = {
    markdown: join(outDir, 'report.md'),
    csv: join(outDir, 'results.csv'),
    json: join(outDir, 'results.json'),
    html: join(outDir, 'report.html'),
  };
  writeFileAtomicSync(files.markdown, markdownReport(results));
  writeFileAtomicSync(files.csv, csvReport(results));
  writeFileAtomicSync(files.json, JSON.stringify(results, null, 2) + '\n');
  writeFileAtomicSync(files.html, htmlReport(results));
  return files;
}
