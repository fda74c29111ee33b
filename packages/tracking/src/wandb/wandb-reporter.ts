import { hostname } from 'node:os';
import type { EpochRecord, RunStartInfo, StepInfo, TrainingReporter } from '@selfkd/trainer';
import { evaluationMetrics, numericLeaves } from '../flatten.js';
import { globalStep, StepLosses } from '../step-losses.js';
import type { TrackingContext } from '../tracking-context.js';
import { OfflineRunWriter } from './offline-run-writer.js';
import type { WandbItem } from './record-schema.js';

export interface WandbOptions {
  /** The W&B folder offline runs are written into (`wandb sync DIR/offline-run-*` uploads them). */
  dir: string;
  /** W&B project the run is uploaded to. */
  project: string;
  /** W&B entity (user or team); W&B's default entity when left out. */
  entity?: string;
}

export const PRODUCER = 'selfkd';

/**
 * Records a run as an offline W&B run. W&B has one x axis, `_step`, which counts `log` calls; a
 * row is written per training step (`step/loss/<term>`, `step/seconds`, `step/samples_per_second`),
 * per epoch (every number of the epoch record: `lr`, `train/<term>`, `test/top1`, ...) and after
 * an evaluation (`eval/...`), each with `epoch` and `global_step` so that W&B can plot against
 * either. The config is the run's config; the summary holds the last value of every key. The run
 * exits 0 (finished) when every epoch ran, 1 (failed) otherwise.
 */
export function createWandbReporter(options: WandbOptions, context: TrackingContext): TrainingReporter {
  let run: OfflineRunWriter | undefined;
  const stepLosses = new StepLosses();
  const summary = new Map<string, number>();
  let row = 0;
  let startedAt = 0;
  let totalEpochs = Infinity;
  let lastEpoch = 0;
  let lastGlobalStep = 0;
  let lastStepAt = 0;

  const log = (values: [string, number][]) => {
    const now = Date.now();
    // JSON has no NaN or Infinity (JSON.stringify would write null): a diverged loss is left out.
    const finite = values.filter(([, v]) => Number.isFinite(v));
    for (const [key, value] of finite) summary.set(key, value);
    const meta: [string, number][] = [['_step', row], ['_runtime', (now - startedAt) / 1000], ['_timestamp', now / 1000]];
    run!.append({ kind: 'history', step: row++, items: [...finite, ...meta].map(jsonItem) });
  };

  return {
    runStart(info: RunStartInfo) {
      startedAt = Date.now();
      totalEpochs = info.totalEpochs;
      lastEpoch = info.startEpoch;
      lastGlobalStep = info.startEpoch * info.stepsPerEpoch;
      const setUp = { backend: info.backend, provider: info.provider, stepsPerEpoch: info.stepsPerEpoch, trainSamples: info.trainSamples, startEpoch: info.startEpoch };
      const config = Object.entries({ ...(context.config ?? {}), selfkd: setUp })
        .filter(([, value]) => value !== undefined)
        .map(jsonItem);
      run = new OfflineRunWriter({
        dir: options.dir,
        producer: PRODUCER,
        run: { project: options.project, ...(options.entity ? { entity: options.entity } : {}), displayName: context.runName, host: hostname(), startTime: startedAt, config },
      });
    },
    epochStart() {
      stepLosses.startEpoch();
      lastStepAt = performance.now();
    },
    step(info: StepInfo) {
      if (!run) return;
      const now = performance.now();
      lastGlobalStep = globalStep(info);
      log([
        ...Object.entries(stepLosses.of(info)).map(([term, loss]): [string, number] => [`step/loss/${term}`, loss]),
        ['step/seconds', (now - lastStepAt) / 1000],
        ['step/samples_per_second', info.samplesPerSecond],
        ['epoch', info.epoch + info.stepInEpoch / info.stepsPerEpoch],
        ['global_step', lastGlobalStep],
      ]);
      lastStepAt = now;
    },
    epochEnd(record: EpochRecord) {
      if (!run) return;
      const { epoch, ...values } = record;
      lastEpoch = epoch;
      log([...numericLeaves(values), ['epoch', epoch], ['global_step', lastGlobalStep]]);
      run.flush();
    },
    evaluationEnd(report: unknown) {
      if (!run) return;
      log([...evaluationMetrics(report).map(([key, value]): [string, number] => [`eval/${key}`, value]), ['epoch', lastEpoch], ['global_step', lastGlobalStep]]);
      run.flush();
    },
    close() {
      if (!run) return;
      const runtime = (Date.now() - startedAt) / 1000;
      const items = [...summary, ['_step', Math.max(row - 1, 0)], ['_runtime', runtime]] as [string, number][];
      run.close(items.map(jsonItem), lastEpoch >= totalEpochs ? 0 : 1, runtime);
    },
  };
}

function jsonItem([key, value]: [string, unknown]): WandbItem {
  return { key, valueJson: JSON.stringify(value) };
}
