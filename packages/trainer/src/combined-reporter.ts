import type { TrainingReporter } from './reporter.js';

/** One reporter that forwards every hook to each of `reporters`, in order (e.g. the console first, then trackers). */
export function combineReporters(...reporters: readonly TrainingReporter[]): TrainingReporter {
  return {
    runStart: (info) => reporters.forEach((r) => r.runStart?.(info)),
    epochStart: (epoch, totalEpochs, steps) => reporters.forEach((r) => r.epochStart?.(epoch, totalEpochs, steps)),
    step: (info) => reporters.forEach((r) => r.step?.(info)),
    epochEnd: (record) => reporters.forEach((r) => r.epochEnd?.(record)),
    evaluationEnd: (report) => reporters.forEach((r) => r.evaluationEnd?.(report)),
    message: (text) => reporters.forEach((r) => r.message?.(text)),
    close: () => reporters.forEach((r) => r.close?.()),
  };
}
