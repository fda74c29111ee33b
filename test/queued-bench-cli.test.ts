import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BenchDatabase, DATABASE_FILE, type BenchResults } from '@selfkd/bench';
import { withoutTimings } from '../packages/bench/test/support/fake-bench.js';
import { repoRoot, selfkdBin } from './support/cli.js';
import { startRedisServer, type RedisServer } from './support/redis-server.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'selfkd-queue-cli-'));
const PASSWORD = 'cli-secret-82d1e0';

// Tiny trainings (a few seconds each on the cpu backend), two combinations × one seed.
const benchYaml = (extra = '') => `
base:
  backend: cpu
  data: { name: mnist-digits, trainSize: 300 }
  model: { name: mlp, hidden: [16] }
  train: { epochs: 2, batchSize: 64, optimizer: { name: adam, lr: 0.01 } }
${extra}
combinations:
  - { name: baseline, regularizers: [] }
  - { name: ls, regularizers: [{ type: label-smoothing, epsilon: 0.1 }] }
seeds: [3]
`;

interface Run {
  exited: Promise<number | null>;
  kill: (signal: NodeJS.Signals) => void;
  output: () => string;
}

const started: Run[] = [];

function selfkd(args: string[], env: Record<string, string> = {}): Run {
  const child = spawn(process.execPath, [selfkdBin, ...args], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, FORCE_COLOR: '0', ...env } });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const run = { exited: new Promise<number | null>((done) => child.once('exit', (code) => done(code))), kill: (s: NodeJS.Signals) => void child.kill(s), output: () => output };
  started.push(run);
  return run;
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((name) => join(dir, name))
    .filter((path) => statSync(path).isFile());
}

const results = (out: string) => JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as BenchResults;

describe('selfkd bench --queue with two selfkd worker processes', () => {
  let redis: RedisServer;
  let workers: Run[];
  const runsDirs = [tmp(), tmp()];

  beforeAll(async () => {
    redis = await startRedisServer(PASSWORD);
    // One worker takes the URL as an argument, the other from the environment.
    workers = [
      selfkd(['worker', '--queue', redis.url, '--runs-dir', runsDirs[0]!, '--name', 'w1']),
      selfkd(['worker', '--runs-dir', runsDirs[1]!, '--name', 'w2'], { SELFKD_QUEUE: redis.url }),
    ];
  });

  afterAll(async () => {
    for (const run of started) run.kill('SIGKILL');
    await redis?.stop();
  });

  it('documents the worker command and the queue option', async () => {
    const help = selfkd(['worker', '--help']);
    expect(await help.exited).toBe(0);
    expect(help.output()).toMatch(/--queue[\s\S]*--concurrency[\s\S]*--runs-dir/);
    const bench = selfkd(['bench', '--help']);
    expect(await bench.exited).toBe(0);
    expect(bench.output()).toMatch(/--queue[\s\S]*--attempts/);
  });

  it('gives the same results as a local bench of the same config (same seeds, same backend)', async () => {
    const dir = tmp();
    const config = join(dir, 'bench.yaml');
    writeFileSync(config, benchYaml());
    const local = selfkd(['bench', '--config', config, '--out', join(dir, 'local'), '--workers', '2']);
    expect(await local.exited, local.output()).toBe(0);
    const coordinator = selfkd(['bench', '--config', config, '--out', join(dir, 'queued'), '--queue'], { SELFKD_QUEUE: redis.url });
    expect(await coordinator.exited, coordinator.output()).toBe(0);
    expect(withoutTimings(results(join(dir, 'queued')))).toEqual(withoutTimings(results(join(dir, 'local'))));
    expect(coordinator.output()).toMatch(/2\/2 done, 0 running, 0 failed, 0 queued/);
    const db = BenchDatabase.open(join(dir, 'queued', DATABASE_FILE));
    try {
      expect(db.runs().map((r) => [r.combination, r.status, r.backend])).toEqual([
        ['baseline', 'done', 'cpu'],
        ['ls', 'done', 'cpu'],
      ]);
    } finally {
      db.close();
    }
    expect(coordinator.output()).not.toContain(PASSWORD);
    for (const file of filesUnder(dir)) expect(readFileSync(file).includes(PASSWORD), file).toBe(false);
  });

  it('fails a job whose config names a plugin by path: a worker runs only installed packages', async () => {
    const dir = tmp();
    const config = join(dir, 'bench.yaml');
    const plugin = join(repoRoot, 'examples/custom-regularizer/dist/index.js');
    writeFileSync(config, benchYaml(`  plugins: [${JSON.stringify(plugin)}]`).replace(/seeds: \[3\]/, 'seeds: [4]'));
    const coordinator = selfkd(['bench', '--config', config, '--out', join(dir, 'queued'), '--queue', redis.url]);
    expect(await coordinator.exited).toBe(1);
    expect(coordinator.output()).toContain('0/2 runs done, 2 failed');
    const db = BenchDatabase.open(join(dir, 'queued', DATABASE_FILE));
    try {
      for (const run of db.runs()) {
        expect(run.status).toBe('failed');
        expect(run.error).toMatch(/^failed after 1 attempt\(s\), the last on w[12]: worker w[12] refuses this run: invalid queued run config:\n {2}- plugins\[0\]: a queued run may only name installed plugin packages, not paths/);
      }
    } finally {
      db.close();
    }
  });

  it('stops workers on SIGTERM, and no worker output shows the password', async () => {
    for (const worker of workers) worker.kill('SIGTERM');
    expect(await Promise.all(workers.map((w) => w.exited))).toEqual([0, 0]);
    for (const worker of workers) {
      expect(worker.output()).toContain(`redis://:***@127.0.0.1:${redis.port}`);
      expect(worker.output()).not.toContain(PASSWORD);
    }
    for (const file of runsDirs.flatMap(filesUnder)) expect(readFileSync(file).includes(PASSWORD), file).toBe(false);
  });
});
