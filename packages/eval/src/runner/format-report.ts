import { builtinEvalSuites } from '../suites/builtin-suites.js';
import type { EvalSuite } from './eval-suite.js';
import type { EvalReport } from './report.js';
import { textTable } from './text-table.js';

/**
 * The report as readable plain text: one titled section per suite that ran, each suite formatting
 * its own part (a suite without `format` gets a table of its metrics).
 */
export function formatEvalReport(report: EvalReport, suites: readonly EvalSuite[] = builtinEvalSuites): string {
  return suites
    .filter((suite) => report[suite.name] !== undefined)
    .map((suite) => {
      const part = report[suite.name];
      if (suite.format) return suite.format(part);
      return `${suite.name}\n${textTable([['metric', 'value'], ...suite.metrics(part).map((m) => [m.name, String(m.value)])])}`;
    })
    .join('\n\n');
}
