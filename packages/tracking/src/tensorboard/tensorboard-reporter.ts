import type { EpochRecord, RunStartInfo, StepInfo, TrainingReporter } from '@selfkd/trainer';
import { evaluationMetrics, numericLeaves } from '../flatten.js';
import { lineChart, reliabilityChart, type ReliabilityBar } from '../images/charts.js';
import { encodePng } from '../images/png.js';
import type { Raster } from '../images/raster.js';
import { globalStep, StepLosses } from '../step-losses.js';
import type { TrackingContext } from '../tracking-context.js';
import type { Histogram, SummaryValue } from './event-schema.js';
import { EventFileWriter } from './event-file-writer.js';

export interface TensorBoardOptions {
  /** The TensorBoard run folder; point `tensorboard --logdir` at it or at a folder above it. */
  dir: string;
}

/** The part of an evaluation report the reporter draws: `@selfkd/eval`'s calibration section. */
interface CalibrationSection {
  calibration?: { reliability?: (ReliabilityBar & { count: number })[] };
}

/**
 * Writes a run as TensorBoard events:
 * - per step (x = step across epochs): `step/loss/<term>` (that step's loss), `step/seconds`,
 *   `step/samples_per_second`;
 * - per epoch (x = epoch): every number of the epoch record (`lr`, `train/<term>`, `test/top1`,
 *   `test/nll`, `seconds`, and any split the trainer adds);
 * - text: the resolved config and the run's set-up; after evaluation, every metric as `eval/...`,
 *   the reliability diagram as an image and the confidence distribution as a histogram;
 * - at the end, learning-curve images (`curves/loss`: train total blue, test NLL orange;
 *   `curves/top1`: test top-1).
 */
export function createTensorBoardReporter(options: TensorBoardOptions, context: TrackingContext): TrainingReporter {
  let writer: EventFileWriter | undefined;
  const stepLosses = new StepLosses();
  const history: EpochRecord[] = [];
  let lastStepAt = 0;
  let lastEpoch = 0;
  const open = (): EventFileWriter => (writer ??= new EventFileWriter({ dir: options.dir }));
  const image = (tag: string, raster: Raster, step: number) =>
    open().image(tag, { width: raster.width, height: raster.height, png: encodePng(raster.width, raster.height, raster.pixels) }, step);

  return {
    runStart(info: RunStartInfo) {
      const step = info.startEpoch;
      lastEpoch = info.startEpoch;
      if (context.config) open().text('config', codeBlock(JSON.stringify(context.config, null, 2)), step);
      open().text('run', codeBlock(JSON.stringify({ run: context.runName, ...info }, null, 2)), step);
      open().flush();
    },
    epochStart() {
      stepLosses.startEpoch();
      lastStepAt = performance.now();
    },
    step(info: StepInfo) {
      const now = performance.now();
      const step = globalStep(info);
      // One event per step holding all of its values, as TensorFlow's merged summaries do.
      open().add(step, [
        ...Object.entries(stepLosses.of(info)).map(([term, loss]) => scalar(`step/loss/${term}`, loss)),
        scalar('step/seconds', (now - lastStepAt) / 1000),
        scalar('step/samples_per_second', info.samplesPerSecond),
      ]);
      lastStepAt = now;
    },
    epochEnd(record: EpochRecord) {
      history.push(record);
      lastEpoch = record.epoch;
      const { epoch, ...values } = record;
      const w = open();
      w.add(epoch, numericLeaves(values).map(([tag, value]) => scalar(tag, value)));
      w.flush();
    },
    evaluationEnd(report: unknown) {
      const w = open();
      w.add(lastEpoch, evaluationMetrics(report).map(([tag, value]) => scalar(`eval/${tag}`, value)));
      const bins = (report as CalibrationSection | null)?.calibration?.reliability;
      if (bins?.length) {
        image('eval/reliability_diagram', reliabilityChart(bins), lastEpoch);
        w.histogram('eval/confidence', confidenceHistogram(bins), lastEpoch);
      }
      w.flush();
    },
    close() {
      if (!writer) return;
      if (history.length > 0) {
        image('curves/loss', lineChart([history.map((r) => r.train.total ?? Number.NaN), history.map((r) => r.test.nll)]), lastEpoch);
        image('curves/top1', lineChart([history.map((r) => r.test.top1)]), lastEpoch);
      }
      writer.close();
    },
  };
}

function scalar(tag: string, value: number): SummaryValue {
  return { tag, kind: 'scalar', value };
}

/** TensorBoard renders text summaries as Markdown; indenting keeps JSON verbatim. */
function codeBlock(text: string): string {
  return text
    .split('\n')
    .map((line) => `    ${line}`)
    .join('\n');
}

/**
 * The reliability bins as a histogram of top-1 confidence: bucket i holds the images whose
 * confidence lies in (lower, upper]. The bins keep no single confidences, so min and max are the
 * edges of the outer non-empty bins and the sum of squares uses each bin's mean confidence (the
 * sum is exact).
 */
function confidenceHistogram(bins: readonly (ReliabilityBar & { count: number })[]): Histogram {
  const filled = bins.filter((b) => b.count > 0 && b.confidence !== null);
  return {
    min: filled[0]?.lower ?? 0,
    max: filled[filled.length - 1]?.upper ?? 0,
    num: bins.reduce((n, b) => n + b.count, 0),
    sum: filled.reduce((s, b) => s + b.count * b.confidence!, 0),
    sumSquares: filled.reduce((s, b) => s + b.count * b.confidence! ** 2, 0),
    bucketLimits: bins.map((b) => b.upper),
    bucketCounts: bins.map((b) => b.count),
  };
}
