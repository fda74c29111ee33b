import type { EpochRecord, RunStartInfo, StepInfo, TrainingReporter } from '@selfkd/trainer';
import { evaluationMetrics, flatParams, numericLeaves } from '../flatten.js';
import { globalStep, StepLosses } from '../step-losses.js';
import type { TrackingContext } from '../tracking-context.js';
import { MlflowRunWriter, RunStatus } from './mlflow-file-store.js';

export interface MlflowOptions {
  /** The file store root (an `mlruns` folder); created if missing, shared by many runs. */
  dir: string;
  /** Experiment name; created on first use. */
  experiment: string;
}

/**
 * Records a run in an MLflow file store, offline: the resolved config as params (`train.optimizer.lr`,
 * `regularizers.0.type`, ...), the set-up (backend, seed, ...) as tags, and the same metrics the
 * TensorBoard reporter writes, with the same steps. The run ends FINISHED when every epoch ran,
 * FAILED otherwise (a run killed outright stays RUNNING, as in MLflow).
 */
export function createMlflowReporter(options: MlflowOptions, context: TrackingContext): TrainingReporter {
  let run: MlflowRunWriter | undefined;
  const stepLosses = new StepLosses();
  let totalEpochs = Infinity;
  let lastEpoch = 0;
  let lastStepAt = 0;
  const open = (): MlflowRunWriter => (run ??= new MlflowRunWriter(options.dir, options.experiment, context.runName));

  return {
    runStart(info: RunStartInfo) {
      const r = open();
      totalEpochs = info.totalEpochs;
      lastEpoch = info.startEpoch;
      for (const [key, value] of flatParams(context.config ?? {})) r.logParam(key, value);
      for (const key of ['backend', 'provider', 'stepsPerEpoch', 'trainSamples', 'startEpoch'] as const) r.setTag(`selfkd.${key}`, String(info[key]));
    },
    epochStart() {
      stepLosses.startEpoch();
      lastStepAt = performance.now();
    },
    step(info: StepInfo) {
      const now = performance.now();
      const r = open();
      const step = globalStep(info);
      for (const [term, loss] of Object.entries(stepLosses.of(info))) r.logMetric(`step/loss/${term}`, loss, step);
      r.logMetric('step/seconds', (now - lastStepAt) / 1000, step);
      r.logMetric('step/samples_per_second', info.samplesPerSecond, step);
      lastStepAt = now;
    },
    epochEnd(record: EpochRecord) {
      const r = open();
      const { epoch, ...values } = record;
      lastEpoch = epoch;
      for (const [key, value] of numericLeaves(values)) r.logMetric(key, value, epoch);
      r.flush();
    },
    evaluationEnd(report: unknown) {
      const r = open();
      for (const [key, value] of evaluationMetrics(report)) r.logMetric(`eval/${key}`, value, lastEpoch);
      r.flush();
    },
    close() {
      run?.end(lastEpoch >= totalEpochs ? RunStatus.finished : RunStatus.failed);
    },
  };
}
