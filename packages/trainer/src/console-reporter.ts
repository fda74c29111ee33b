import { SingleBar, Presets } from 'cli-progress';
import type { EpochRecord, RunStartInfo, StepInfo, TrainingReporter } from './reporter.js';

/**
 * On a TTY: a progress bar per epoch with batches, samples/s, ETA and the running loss of each
 * term. Otherwise (CI, logs, pipes): one plain line per epoch.
 */
export function createConsoleReporter(stream: NodeJS.WriteStream = process.stderr): TrainingReporter {
  return stream.isTTY ? new BarReporter(stream) : new LineReporter(stream);
}

function formatLosses(losses: Record<string, number>): string {
  return Object.entries(losses)
    .map(([k, v]) => `${k} ${v.toFixed(4)}`)
    .join(' ');
}

function describeStart(info: RunStartInfo): string {
  const regs = info.regularizers.length ? info.regularizers.join(', ') : 'none';
  const from = info.startEpoch > 0 ? `, resuming at epoch ${info.startEpoch + 1}` : '';
  return `training ${info.trainSamples} samples, ${info.stepsPerEpoch} steps/epoch, ${info.totalEpochs} epochs, seed ${info.seed}, regularizers: ${regs}${from}`;
}

export function formatEpochLine(record: EpochRecord, totalEpochs: number): string {
  const { validation } = record;
  return (
    `epoch ${record.epoch}/${totalEpochs}  lr ${record.lr.toPrecision(3)}  train ${formatLosses(record.train)}  ` +
    (validation ? `val top1 ${(validation.top1 * 100).toFixed(2)}% nll ${validation.nll.toFixed(4)}  ` : '') +
    `test top1 ${(record.test.top1 * 100).toFixed(2)}% nll ${record.test.nll.toFixed(4)}  ${record.seconds.toFixed(1)}s`
  );
}

class LineReporter implements TrainingReporter {
  private totalEpochs = 0;
  constructor(private readonly stream: NodeJS.WriteStream) {}
  runStart(info: RunStartInfo): void {
    this.totalEpochs = info.totalEpochs;
    this.stream.write(describeStart(info) + '\n');
  }
  epochEnd(record: EpochRecord): void {
    this.stream.write(formatEpochLine(record, this.totalEpochs) + '\n');
  }
  message(text: string): void {
    this.stream.write(text + '\n');
  }
}

class BarReporter implements TrainingReporter {
  private bar?: SingleBar;
  private totalEpochs = 0;
  constructor(private readonly stream: NodeJS.WriteStream) {}
  runStart(info: RunStartInfo): void {
    this.totalEpochs = info.totalEpochs;
    this.stream.write(describeStart(info) + '\n');
  }
  epochStart(epoch: number, totalEpochs: number, steps: number): void {
    this.bar = new SingleBar(
      {
        stream: this.stream,
        format: `epoch ${epoch + 1}/${totalEpochs} [{bar}] {value}/{total} batches | {rate} img/s | ETA {eta_formatted} | {losses}`,
        hideCursor: true,
        clearOnComplete: true,
      },
      Presets.shades_classic,
    );
    this.bar.start(steps, 0, { rate: '-', losses: '' });
  }
  step(info: StepInfo): void {
    this.bar?.update(info.stepInEpoch, { rate: info.samplesPerSecond.toFixed(0), losses: formatLosses(info.losses) });
  }
  epochEnd(record: EpochRecord): void {
    this.bar?.stop();
    this.bar = undefined;
    this.stream.write(formatEpochLine(record, this.totalEpochs) + '\n');
  }
  message(text: string): void {
    this.stream.write(text + '\n');
  }
  close(): void {
    this.bar?.stop();
  }
}
