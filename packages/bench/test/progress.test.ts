import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createProgressPrinter, formatProgress, type BenchProgress } from '../src/index.js';
import { EtaEstimator, formatDuration } from '../src/runner/progress.js';

const progress: BenchProgress = { total: 24, done: 3, running: 2, failed: 1, pending: 18, etaSeconds: 725, event: { kind: 'done', run: 'cs-kd/seed-0', detail: 'top1 0.9412' } };

describe('progress', () => {
  it('formats counts, ETA and the event in one line', () => {
    expect(formatProgress(progress)).toBe('3/24 done, 2 running, 1 failed, 18 pending, ETA 12m05s (done: cs-kd/seed-0, top1 0.9412)');
    expect(formatProgress({ ...progress, etaSeconds: null, event: { kind: 'started', run: 'baseline/seed-1' } })).toContain('ETA unknown (started: baseline/seed-1)');
    expect([formatDuration(59.4), formatDuration(3600 * 2 + 61)]).toEqual(['59s', '2h01m']);
  });

  it('estimates the time left from finished runs, spread over the workers', () => {
    const eta = new EtaEstimator(2);
    expect(eta.etaSeconds(4, [10])).toBeNull();
    eta.recordDuration(100);
    eta.recordDuration(200);
    // Mean 150 s: 3 pending runs (450 s) + the running ones' remainders (150 − 50, and 0 for one past the mean), over 2 workers.
    expect(eta.etaSeconds(3, [50, 400])).toBe((450 + 100) / 2);
    // One run left cannot use two workers.
    expect(eta.etaSeconds(0, [100])).toBe(50);
  });

  it('prints a plain line per change without a terminal, and rewrites one line on a terminal', () => {
    const plain = new PassThrough();
    createProgressPrinter(plain)(progress);
    expect(plain.read().toString()).toBe(`bench: ${formatProgress(progress)}\n`);

    const tty = Object.assign(new PassThrough(), { isTTY: true });
    const print = createProgressPrinter(tty);
    print({ ...progress, failed: 2, event: { kind: 'failed', run: 'ls/seed-2', detail: 'out of memory' } });
    print({ ...progress, running: 0, pending: 0, done: 22 });
    const text = tty.read().toString();
    expect(text).toContain('\r\x1b[2Kfailed: ls/seed-2: out of memory\nbench: ');
    expect(text.endsWith(`\r\x1b[2Kbench: ${formatProgress({ ...progress, running: 0, pending: 0, done: 22 })}\n`)).toBe(true);
  });
});
