import type { SelfKdConfig } from '@selfkd/core';
import type { Dataset } from '@selfkd/data';
import { formatEvalReport, runEvaluation, type EvalConfig, type EvalSuite } from '@selfkd/eval';
import type { ClassifierModel } from '@selfkd/models';

/** The training config's `eval:` suites, run on the trained model; prints the tables on stderr. */
export async function evaluateAfterTraining(
  trained: { model: ClassifierModel; dataset: Dataset },
  config: SelfKdConfig,
  suites: readonly EvalSuite[],
): Promise<unknown> {
  const report = await runEvaluation(trained.model, trained.dataset, config.eval as EvalConfig, {
    seed: config.seed,
    onProgress: progressLine(),
    suites,
  });
  process.stderr.write(formatEvalReport(report, suites) + '\n');
  return report;
}

/** A progress callback printing at most one line per evaluation stage (plus its completion). */
export function progressLine(stream: NodeJS.WriteStream = process.stderr): (done: number, total: number, label: string) => void {
  let lastLabel = '';
  return (done, total, label) => {
    if (label !== lastLabel) {
      lastLabel = label;
      stream.write(`eval: ${label}\n`);
    }
    if (stream.isTTY) stream.write(`\r  ${done}/${total}${done >= total ? '\n' : ''}`);
  };
}
