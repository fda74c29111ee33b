import type { EpochRecord, TrainingReporter } from '@selfkd/trainer';

/** The losses of every step of a short run, chosen so that no two are alike. */
export function stepLosses(epoch: number, step: number): Record<string, number> {
  const task = 2 / (1 + epoch * 3 + step);
  return { total: task + 0.1 * (step % 2), task, 'label-smoothing': 0.05 * step };
}

export const EPOCHS = 2;
export const STEPS = 3;

export const evaluationReport = {
  classification: { images: 10, top1: 0.7 },
  calibration: {
    ece: 0.05,
    reliability: [
      { lower: 0, upper: 0.5, count: 4, confidence: 0.4, accuracy: 0.25 },
      { lower: 0.5, upper: 1, count: 6, confidence: 0.8, accuracy: 1 },
    ],
  },
};

/**
 * Drives a reporter through the hooks the trainer calls, in its order, with running means of the
 * step losses as the trainer computes them; returns the epoch records it reported.
 */
export function simulateRun(reporter: TrainingReporter, epochs = EPOCHS): EpochRecord[] {
  const records: EpochRecord[] = [];
  reporter.runStart?.({ backend: 'cpu', provider: 'test', seed: 1, totalEpochs: EPOCHS, startEpoch: 0, stepsPerEpoch: STEPS, trainSamples: 30, regularizers: ['label-smoothing'] });
  for (let epoch = 0; epoch < epochs; epoch++) {
    reporter.epochStart?.(epoch, EPOCHS, STEPS);
    const sums: Record<string, number> = {};
    for (let step = 1; step <= STEPS; step++) {
      for (const [k, v] of Object.entries(stepLosses(epoch, step))) sums[k] = (sums[k] ?? 0) + v;
      const means = Object.fromEntries(Object.entries(sums).map(([k, v]) => [k, v / step]));
      reporter.step?.({ epoch, stepInEpoch: step, stepsPerEpoch: STEPS, samplesPerSecond: 100 + step, losses: means });
    }
    const record: EpochRecord = {
      epoch: epoch + 1,
      lr: 0.1 / (epoch + 1),
      train: Object.fromEntries(Object.entries(sums).map(([k, v]) => [k, v / STEPS])),
      test: { top1: 0.5 + epoch / 10, nll: 1 - epoch / 10 },
      seconds: 1.25 + epoch,
    };
    records.push(record);
    reporter.epochEnd?.(record);
  }
  if (epochs === EPOCHS) reporter.evaluationEnd?.(evaluationReport);
  reporter.close?.();
  return records;
}
