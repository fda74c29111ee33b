/** What happened to one run, reported with the progress it caused. */
export interface RunEvent {
  kind: 'started' | 'resumed' | 'done' | 'failed' | 'recovered' | 'stopped';
  /** `<combination>/seed-<seed>`. */
  run: string;
  /** For `done`: the test top-1; for `failed`: the error's first line. */
  detail?: string;
}

/** The state of a sweep after each change. */
export interface BenchProgress {
  total: number;
  done: number;
  running: number;
  failed: number;
  /** Queued, in a queued bench. */
  pending: number;
  /** In a queued bench: how many runs each worker is training. */
  runningOn?: Record<string, number>;
  /** Seconds until every run has ended, from this bench's finished runs; null until one finishes. */
  etaSeconds: number | null;
  event: RunEvent;
}

/**
 * Estimates the time left: the mean duration of the runs this bench has seen finish, applied to
 * what remains of each running run and to every pending run, spread over the workers.
 */
export class EtaEstimator {
  readonly #durations: number[] = [];

  constructor(private readonly workers: number) {}

  recordDuration(seconds: number): void {
    this.#durations.push(seconds);
  }

  /** `runningElapsed`: seconds each running run has been going; `workers`: trainings at once (a queue's workers come and go). */
  etaSeconds(pending: number, runningElapsed: readonly number[], workers = this.workers): number | null {
    if (this.#durations.length === 0) return null;
    const mean = this.#durations.reduce((s, d) => s + d, 0) / this.#durations.length;
    const work = pending * mean + runningElapsed.reduce((s, elapsed) => s + Math.max(mean - elapsed, 0), 0);
    return work / Math.max(1, Math.min(workers, pending + runningElapsed.length));
  }
}

/**
 * `3/24 done, 2 running, 1 failed, 18 pending, ETA 12m05s (done: cs-kd/seed-0, top1 0.9412)`; a
 * queued bench says where runs train and that the others are queued:
 * `3/24 done, 2 running (1 on gpu-a#812, 1 on gpu-b#90), 1 failed, 18 queued, …`.
 */
export function formatProgress(progress: BenchProgress): string {
  const { total, done, running, failed, pending, runningOn, etaSeconds, event } = progress;
  const eta = etaSeconds === null ? 'ETA unknown' : `ETA ${formatDuration(etaSeconds)}`;
  const detail = event.detail ? `, ${event.detail}` : '';
  const where = runningOn && running > 0 ? ` (${Object.entries(runningOn).map(([worker, runs]) => `${runs} on ${worker}`).join(', ')})` : '';
  return `${done}/${total} done, ${running} running${where}, ${failed} failed, ${pending} ${runningOn ? 'queued' : 'pending'}, ${eta} (${event.kind}: ${event.run}${detail})`;
}

export function formatDuration(seconds: number): string {
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  const minutes = Math.floor(s / 60);
  if (minutes < 60) return `${minutes}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(minutes / 60)}h${String(minutes % 60).padStart(2, '0')}m`;
}

/**
 * A progress callback that prints to `stream`: on a terminal one status line rewritten in place
 * (events worth keeping, such as failures, stay above it); otherwise one plain line per change.
 */
export function createProgressPrinter(stream: NodeJS.WritableStream & { isTTY?: boolean } = process.stderr): (progress: BenchProgress) => void {
  if (!stream.isTTY) return (progress) => stream.write(`bench: ${formatProgress(progress)}\n`);
  return (progress) => {
    const kept = progress.event.kind === 'failed' ? `failed: ${progress.event.run}: ${progress.event.detail ?? ''}\n` : '';
    stream.write(`\r\x1b[2K${kept}bench: ${formatProgress(progress)}`);
    if (progress.running === 0 && progress.pending === 0) stream.write('\n');
  };
}
