import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { BenchDatabase, DATABASE_FILE, runBench, TRAIN_LOG_FILE, type BenchConfigInput, type RunRecord } from '../src/index.js';
import { fakeBenchConfig, fakeTrainCommand, readResults, tempDir, withoutTimings } from './support/fake-bench.js';
import { startRedisServer, type RedisServer } from '../../../test/support/redis-server.js';

const workerDriver = resolve(import.meta.dirname, 'support/queue-worker-driver.mjs');
const benchDriver = resolve(import.meta.dirname, 'support/queue-bench-driver.mjs');
const builtIndex = resolve(import.meta.dirname, '../dist/index.js');

const PASSWORD = 'q-secret-5f1c9a';
/** A worker silent this long counts as dead: short, so the fault tests do not wait long for BullMQ's stall check. */
const LOCK_SECONDS = '2';
/** Long enough to stop a training between two checkpoints. */
const EPOCH_MS = '300';
const WAIT_MS = 60_000;

const raw: BenchConfigInput = {
  base: { data: { name: 'fake' }, model: { name: 'fake' }, train: { epochs: 4 }, fake: { epochMs: 5 } },
  combinations: [
    { name: 'baseline', regularizers: [] },
    { name: 'ls', regularizers: [{ type: 'label-smoothing' }] },
  ],
  seeds: [0, 1],
};

interface Started {
  child: ChildProcess;
  exited: Promise<number | null>;
  output: () => string;
}

const started: Started[] = [];

function start(script: string, args: string[]): Started {
  const child = spawn(process.execPath, [script, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, FAKE_EPOCH_MS: EPOCH_MS } });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  const entry = { child, exited, output: () => output };
  started.push(entry);
  return entry;
}

function startWorker(redis: RedisServer, runsDir: string, name: string): Started {
  return start(workerDriver, [redis.url, runsDir, name, LOCK_SECONDS]);
}

function startCoordinator(redis: RedisServer, out: string, config: BenchConfigInput = raw, attempts = 3): Started {
  const configFile = `${out}-bench.json`;
  writeFileSync(configFile, JSON.stringify(config));
  return start(benchDriver, [configFile, out, redis.url, String(attempts)]);
}

async function until(condition: () => boolean, what: string, timeoutMs = WAIT_MS): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

async function exitCode(proc: Started, timeoutMs = WAIT_MS): Promise<number | null> {
  const timeout = sleep(timeoutMs).then(() => {
    throw new Error(`a process did not exit within ${timeoutMs / 1000} s; its output:\n${proc.output()}`);
  });
  return Promise.race([proc.exited, timeout]);
}

/** Every file under a folder. */
function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((name) => join(dir, name))
    .filter((path) => statSync(path).isFile());
}

/** The run folders a worker wrote under its runs folder. */
function workerRunDirs(runsDir: string): string[] {
  return filesUnder(runsDir).filter((path) => path.endsWith(`/${TRAIN_LOG_FILE}`)).map((path) => path.slice(0, -TRAIN_LOG_FILE.length - 1));
}

/** How many trainings were started in these runs folders (each writes a header line into train.log). */
function trainingsStarted(...runsDirs: string[]): number {
  return runsDirs.flatMap(workerRunDirs).reduce((n, dir) => n + (readFileSync(join(dir, TRAIN_LOG_FILE), 'utf8').match(/^=== /gm)?.length ?? 0), 0);
}

/** A training has checkpointed in one of these run folders and not finished. */
function midTraining(runsDir: string): boolean {
  return workerRunDirs(runsDir).some((dir) => existsSync(join(dir, 'checkpoints', 'latest.json')) && !existsSync(join(dir, 'result.json')));
}

/** Fake trainings still alive whose command line names this folder. */
function trainingsAlive(dir: string): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((pid) => {
      try {
        const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
        return cmdline.includes('fake-train.mjs') && cmdline.includes(dir) && !readFileSync(`/proc/${pid}/stat`, 'utf8').includes(') Z ');
      } catch {
        return false;
      }
    })
    .map(Number);
}

function runRecords(out: string): RunRecord[] {
  const db = BenchDatabase.open(join(out, DATABASE_FILE));
  try {
    return db.runs();
  } finally {
    db.close();
  }
}

describe('a bench on a Redis job queue with fault-tolerant workers', () => {
  let redis: RedisServer;
  let reference: string;

  beforeAll(async () => {
    expect(existsSync(builtIndex), `${builtIndex} is missing: run \`npx tsc -b\` first (the test script builds before vitest)`).toBe(true);
    redis = await startRedisServer(PASSWORD);
    reference = tempDir();
    await runBench(fakeBenchConfig(raw), { out: reference, workers: 2, trainCommand: fakeTrainCommand });
  });

  afterEach(async () => {
    for (const proc of started.splice(0)) {
      if (proc.child.exitCode === null && proc.child.signalCode === null) proc.child.kill('SIGKILL');
      await proc.exited;
    }
  });

  afterAll(async () => {
    await redis?.stop();
  });

  function expectSameAsLocal(out: string): void {
    expect(withoutTimings(readResults(out))).toEqual(withoutTimings(readResults(reference)));
    const runs = runRecords(out);
    expect(runs).toHaveLength(4);
    expect(runs.every((r) => r.status === 'done' && r.error === null)).toBe(true);
  }

  it('gives the tables of a local bench with two workers, training each run once, and never shows the password', async () => {
    const out = tempDir();
    const [runsA, runsB] = [tempDir(), tempDir()];
    const coordinator = startCoordinator(redis, out);
    const workers = [startWorker(redis, runsA, 'worker-a'), startWorker(redis, runsB, 'worker-b')];
    expect(await exitCode(coordinator)).toBe(0);
    expectSameAsLocal(out);
    expect(trainingsStarted(runsA, runsB)).toBe(4);
    expect(coordinator.output()).toMatch(/4\/4 done, 0 running, 0 failed, 0 queued/);
    expect(coordinator.output()).toMatch(/running \(1 on worker-[ab]/);
    expect(coordinator.output()).toContain(`redis://:***@127.0.0.1:${redis.port}`);

    for (const worker of workers) worker.child.kill('SIGTERM');
    expect(await Promise.all(workers.map((w) => exitCode(w)))).toEqual([0, 0]);
    const outputs = [coordinator, ...workers].map((p) => p.output()).join('\n');
    expect(outputs).not.toContain(PASSWORD);
    for (const file of [...filesUnder(out), ...filesUnder(runsA), ...filesUnder(runsB)]) {
      expect(readFileSync(file).includes(PASSWORD), file).toBe(false);
    }
  });

  /** A coordinator and worker-a on a shared runs folder, once worker-a has checkpointed a run it has not finished. */
  async function workerAMidTraining(): Promise<{ out: string; shared: string; coordinator: Started; workerA: Started }> {
    const out = tempDir();
    const shared = tempDir();
    const coordinator = startCoordinator(redis, out);
    const workerA = startWorker(redis, shared, 'worker-a');
    await until(() => midTraining(shared), 'a checkpoint of worker-a');
    return { out, shared, coordinator, workerA };
  }

  /** worker-b finishes the sweep, resuming the run worker-a left from its checkpoint. */
  async function expectWorkerBResumes(out: string, shared: string, coordinator: Started): Promise<void> {
    startWorker(redis, shared, 'worker-b');
    expect(await exitCode(coordinator)).toBe(0);
    expectSameAsLocal(out);
    expect(workerRunDirs(shared).filter((dir) => existsSync(join(dir, 'resumed.log')))).toHaveLength(1);
  }

  it('re-runs the job of a worker killed with kill -9 on another worker, resuming from its checkpoint in the shared runs folder', async () => {
    const { out, shared, coordinator, workerA } = await workerAMidTraining();
    workerA.child.kill('SIGKILL');
    await workerA.exited;
    // Its training dies with it (it would otherwise go on writing the folder another worker resumes).
    await until(() => trainingsAlive(shared).length === 0, 'the killed worker’s training to end', 5000);
    await expectWorkerBResumes(out, shared, coordinator);
    expect(coordinator.output()).toMatch(/stopped: .*back in the queue \(worker-a stopped or died\)/);
  });

  it('hands the job back when a worker gets SIGTERM, and another worker resumes it', async () => {
    const { out, shared, coordinator, workerA } = await workerAMidTraining();
    workerA.child.kill('SIGTERM');
    expect(await exitCode(workerA, 10_000)).toBe(0);
    expect(trainingsAlive(shared)).toEqual([]);
    await until(() => coordinator.output().includes('back in the queue'), 'the run to be queued again', 10_000);
    await expectWorkerBResumes(out, shared, coordinator);
  });

  it('re-attaches a coordinator killed and started again to the existing jobs, without duplicates or lost results', async () => {
    const out = tempDir();
    const [runsA, runsB] = [tempDir(), tempDir()];
    const first = startCoordinator(redis, out);
    startWorker(redis, runsA, 'worker-a');
    startWorker(redis, runsB, 'worker-b');
    await until(() => first.output().includes('1/4 done'), 'a first result');
    first.child.kill('SIGKILL');
    await first.exited;
    // Results that arrive while no coordinator runs wait in the queue.
    await until(() => trainingsStarted(runsA, runsB) === 4, 'every run to start');
    const second = startCoordinator(redis, out);
    expect(await exitCode(second)).toBe(0);
    expectSameAsLocal(out);
    expect(trainingsStarted(runsA, runsB)).toBe(4);
  });

  it('says so when Redis restarts empty mid-sweep, and queues again what was not finished', async () => {
    const out = tempDir();
    const shared = tempDir();
    const coordinator = startCoordinator(redis, out);
    startWorker(redis, shared, 'worker-a');
    startWorker(redis, shared, 'worker-b');
    await until(() => coordinator.output().includes('1/4 done'), 'a first result');
    await redis.restartEmpty();
    expect(await exitCode(coordinator)).toBe(0);
    expect(coordinator.output()).toMatch(/lost its data \(restarted without persistence, or flushed\): the [1-3] unfinished run\(s\) are queued again/);
    expectSameAsLocal(out);
  });

  it('retries a run that fails every time a bounded number of times, then reports it failed with its log tail', async () => {
    const out = tempDir();
    const runsDir = tempDir();
    const config: BenchConfigInput = { ...raw, combinations: [...(raw.combinations ?? []), { name: 'broken', regularizers: [], overrides: { fake: { failAlways: 'boom' } } }], seeds: [0] };
    const coordinator = startCoordinator(redis, out, config, 2);
    startWorker(redis, runsDir, 'worker-a');
    expect(await exitCode(coordinator)).toBe(0);
    expect(coordinator.output()).toContain('{"done":2,"failed":1,"interrupted":false}');
    const broken = runRecords(out).find((r) => r.combination === 'broken')!;
    expect(broken).toMatchObject({ status: 'failed', attempts: 2 });
    expect(broken.error).toMatch(/^failed after 2 attempt\(s\), the last on worker-a: training exited with code 1; end of .*train\.log:\n[^]*fake training failed: boom$/);
    const brokenDir = workerRunDirs(runsDir).find((dir) => dir.includes('/broken/'))!;
    expect(readFileSync(join(brokenDir, TRAIN_LOG_FILE), 'utf8').match(/^=== /gm)).toHaveLength(2);
  });
});
