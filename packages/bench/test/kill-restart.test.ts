import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { runBench, type BenchConfigInput } from '../src/index.js';
import { fakeBenchConfig, fakeTrainCommand, readResults, tempDir, withoutTimings } from './support/fake-bench.js';

const driver = resolve(import.meta.dirname, 'support/bench-driver.mjs');
const builtIndex = resolve(import.meta.dirname, '../dist/index.js');

const raw: BenchConfigInput = {
  base: { data: { name: 'fake' }, model: { name: 'fake' }, train: { epochs: 4 }, fake: { epochMs: 5 } },
  combinations: [
    { name: 'baseline', regularizers: [] },
    { name: 'ls', regularizers: [{ type: 'label-smoothing' }] },
    { name: 'ls+sd', regularizers: [{ type: 'label-smoothing' }, { type: 'sd-dropout' }] },
  ],
  seeds: [0, 1],
};

/**
 * Epochs long enough that a training a killed bench leaves behind is still running when the next
 * bench is up (about 1.5 s later), which must then stop it before training that folder again.
 */
const SLOW_EPOCH_MS = '700';

function startBench(configFile: string, out: string): { child: ChildProcess; exited: Promise<number | null> } {
  const child = spawn(process.execPath, [driver, configFile, out, '2'], { stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, FAKE_EPOCH_MS: SLOW_EPOCH_MS } });
  return { child, exited: new Promise((done) => child.once('exit', (code) => done(code))) };
}

function runDirs(out: string): string[] {
  const runs = join(out, 'runs');
  if (!existsSync(runs)) return [];
  return readdirSync(runs).flatMap((c) => readdirSync(join(runs, c)).map((s) => join(runs, c, s)));
}

/** Polls until `condition` holds (or the bench ended by itself). */
async function until(condition: () => boolean, exited: Promise<number | null>): Promise<void> {
  let ended = false;
  void exited.then(() => (ended = true));
  while (!condition() && !ended) await sleep(5);
}

/** Training processes still alive whose command line names the output folder. */
function trainingsOf(out: string): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(out) && !readFileSync(`/proc/${pid}/stat`, 'utf8').includes(') Z ');
      } catch {
        return false;
      }
    })
    .map(Number);
}

describe('a bench killed at any moment and started again', () => {
  it('ends with the same tables as an uninterrupted sweep', async () => {
    expect(existsSync(builtIndex), `${builtIndex} is missing: run \`npx tsc -b\` first (the test script builds before vitest)`).toBe(true);
    const reference = tempDir();
    await runBench(fakeBenchConfig(raw), { out: reference, workers: 2, trainCommand: fakeTrainCommand });

    const out = tempDir();
    const configFile = join(out, '..', `${out.split('/').pop()}-bench.json`);
    writeFileSync(configFile, JSON.stringify(raw));
    const writtenSince = (path: string, started: number): boolean => existsSync(path) && statSync(path).mtimeMs > started;
    // A training of this bench has checkpointed and not finished.
    const midTraining = (started: number): boolean =>
      runDirs(out).some((dir) => writtenSince(join(dir, 'checkpoints', 'latest.json'), started) && !existsSync(join(dir, 'result.json')));
    const killPoints: { when: (started: number) => boolean; trainingsToo: boolean }[] = [
      // Bench and trainings die together (out of memory, power cut): the run resumes from its checkpoint.
      { when: midTraining, trainingsToo: true },
      // Only the bench dies: its trainings go on, and the next bench must stop them (or record their results).
      { when: midTraining, trainingsToo: false },
      // Just as runs finish: their results must not be lost.
      { when: (started) => runDirs(out).some((dir) => writtenSince(join(dir, 'result.json'), started)), trainingsToo: false },
      // Right after start-up, while it settles what the last bench left behind.
      { when: (started) => Date.now() - started > 30, trainingsToo: false },
    ];
    for (const { when, trainingsToo } of killPoints) {
      const { child, exited } = startBench(configFile, out);
      const started = Date.now();
      await until(() => when(started), exited);
      child.kill('SIGKILL');
      await exited;
      if (trainingsToo) for (const pid of trainingsOf(out)) process.kill(pid, 'SIGKILL');
    }
    const last = startBench(configFile, out);
    expect(await last.exited).toBe(0);

    expect(withoutTimings(readResults(out))).toEqual(withoutTimings(readResults(reference)));
    expect(readResults(out).runs.every((r) => r.status === 'done')).toBe(true);
    // The trainings killed mid-run continued from their checkpoints.
    expect(runDirs(out).some((dir) => existsSync(join(dir, 'resumed.log')))).toBe(true);
    expect(trainingsOf(out)).toEqual([]);
  });
});
