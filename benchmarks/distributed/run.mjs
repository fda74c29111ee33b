// Throughput of a queued bench with 1 and 2 workers on this machine, and the queue's own cost per
// run (see README.md). Run from the repository root after building:
//   npx tsc -b && node benchmarks/distributed/run.mjs
import { spawn } from 'node:child_process';
import console from 'node:console';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import process from 'node:process';
import { setTimeout as sleep } from 'node:timers/promises';
import { BenchDatabase, loadBenchConfig, parseBenchConfig, runBench, runQueuedBench, runWorker } from '@selfkd/bench';

const args = Object.fromEntries(process.argv.slice(2).map((a) => a.replace(/^--/, '').split('=')));
const EPOCHS = Number(args.epochs ?? 4); // the quick benchmark trains 12
const SEEDS = (args.seeds ?? '0').split(',').map(Number); // the quick benchmark has 0, 1, 2
const OVERHEAD_RUNS = Number(args['overhead-runs'] ?? 50);
const OVERHEAD_ROUNDS = Number(args['overhead-rounds'] ?? 5);
const OUT = args.out ?? 'benchmarks/results/distributed.md';

const root = resolve(import.meta.dirname, '../..');
const selfkd = join(root, 'packages/cli/dist/bin.js');
// A training that does no work: a shell writes the smallest result.json a bench records (a shell
// starts in about a millisecond, so the comparison is not drowned in process start-up times).
const INSTANT_RESULT = JSON.stringify({ metrics: { top1: 0.5, nll: 1 }, env: { backend: 'none' }, seconds: 0 });
const instantTrain = (_configFile, outDir) => ({ command: '/bin/sh', args: ['-c', 'mkdir -p "$1" && printf %s "$2" > "$1/result.json"', 'instant', outDir, INSTANT_RESULT] });
const scratch = mkdtempSync(join(tmpdir(), 'selfkd-distributed-'));
const uptime = () => `load average ${loadavg().map((l) => l.toFixed(2)).join(', ')}`;

async function freePort() {
  const probe = createServer();
  await new Promise((done) => probe.listen(0, '127.0.0.1', done));
  const { port } = probe.address();
  await new Promise((done) => probe.close(done));
  return port;
}

/** A private redis-server: loopback, no persistence. */
async function startRedis() {
  const port = await freePort();
  const child = spawn('/usr/bin/redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', scratch], { stdio: ['ignore', 'pipe', 'inherit'] });
  let output = '';
  for await (const chunk of child.stdout) {
    output += chunk;
    if (output.includes('Ready to accept connections')) break;
  }
  child.stdout.resume();
  return { url: `redis://127.0.0.1:${port}`, pid: child.pid, stop: () => child.kill('SIGTERM') };
}

function selfkdProcess(argv) {
  const child = spawn(process.execPath, [selfkd, ...argv], { cwd: root, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const exited = new Promise((done) => child.once('exit', (code) => done(code)));
  return { child, exited, stderr: () => stderr };
}

/** The reduced quick benchmark through the real commands: one coordinator, `workers` worker processes. */
async function queuedQuick(redis, workers) {
  const quick = loadBenchConfig(join(root, 'benchmarks/quick.yaml'));
  const config = { ...quick, base: { ...quick.base, train: { ...quick.base.train, epochs: EPOCHS } }, seeds: SEEDS, baseline: undefined };
  const dir = mkdtempSync(join(scratch, `quick-${workers}w-`));
  const configFile = join(dir, 'bench.json');
  writeFileSync(configFile, JSON.stringify(config));
  const started = performance.now();
  const coordinator = selfkdProcess(['bench', '--config', configFile, '--out', join(dir, 'out'), '--queue', redis.url]);
  const workerProcesses = Array.from({ length: workers }, (_, i) => selfkdProcess(['worker', '--queue', redis.url, '--runs-dir', join(dir, `runs-${i}`), '--name', `w${i}`]));
  const code = await coordinator.exited;
  const seconds = (performance.now() - started) / 1000;
  for (const worker of workerProcesses) worker.child.kill('SIGTERM');
  await Promise.all(workerProcesses.map((w) => w.exited));
  if (code !== 0 || !/ 0 failed/.test(coordinator.stderr())) throw new Error(`the queued quick bench failed:\n${coordinator.stderr()}`);
  const runs = config.combinations.length * config.seeds.length;
  return { workers, runs, seconds, runsPerHour: (runs / seconds) * 3600 };
}

/**
 * CPU seconds (user + system) of a process from /proc; with `children`, also those of the children
 * it has waited for (the trainings).
 */
function cpuSeconds(pid, children = false) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ').map(Number);
  // utime, stime, cutime, cstime are fields 14–17 of the line, 12–15 after the command name.
  const ticks = fields[11] + fields[12] + (children ? fields[13] + fields[14] : 0);
  return ticks / 100;
}

/**
 * The queue's cost per run: the same sweep of runs that do no work, once on a local bench with one
 * training at a time and once through the queue with one worker (in this process, already
 * connected); the difference per run is what the queue adds.
 */
async function overheadRound(redis) {
  const cpu = () => cpuSeconds(process.pid, true) + cpuSeconds(redis.pid);
  const config = parseBenchConfig({ base: { data: { name: 'none' } }, combinations: [{ name: 'instant', regularizers: [] }], seeds: Array.from({ length: OVERHEAD_RUNS }, (_, i) => i) });
  let cpuStarted = cpu();
  let started = performance.now();
  await runBench(config, { out: mkdtempSync(join(scratch, 'local-')), workers: 1, trainCommand: instantTrain });
  const local = (performance.now() - started) / 1000;
  const localCpu = cpu() - cpuStarted;

  const abort = new globalThis.AbortController();
  let ready;
  const readyNow = new Promise((done) => (ready = done));
  const worker = runWorker({ queue: redis.url, runsDir: mkdtempSync(join(scratch, 'worker-')), trainCommand: instantTrain, signal: abort.signal, log: (line) => line.includes('takes runs') && ready() });
  await readyNow;
  cpuStarted = cpu();
  started = performance.now();
  const out = mkdtempSync(join(scratch, 'queued-'));
  const outcome = await runQueuedBench(config, { out, queue: redis.url, log: () => {} });
  const queued = (performance.now() - started) / 1000;
  const queuedCpu = cpu() - cpuStarted;
  abort.abort();
  await worker;
  if (outcome.done !== OVERHEAD_RUNS) {
    const db = BenchDatabase.open(outcome.database);
    const errors = db.runs().flatMap((r) => (r.error ? [`${r.combination}/seed-${r.seed}: ${r.error}`] : []));
    db.close();
    throw new Error(`only ${outcome.done} of ${OVERHEAD_RUNS} queued runs finished:\n${errors.join('\n')}`);
  }
  return { local, queued, perRunMs: ((queued - local) / OVERHEAD_RUNS) * 1000, localCpu, queuedCpu, cpuPerRunMs: ((queuedCpu - localCpu) / OVERHEAD_RUNS) * 1000 };
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

const loadBefore = uptime();
console.log(`${cpus().length} cores (${cpus()[0].model}), ${loadBefore}`);
const redis = await startRedis();
try {
  const rounds = [];
  for (let i = 0; i < OVERHEAD_ROUNDS; i++) {
    rounds.push(await overheadRound(redis));
    const r = rounds.at(-1);
    console.log(`overhead round ${i + 1}, ${OVERHEAD_RUNS} runs: local ${r.local.toFixed(2)} s (CPU ${r.localCpu.toFixed(2)} s), queued ${r.queued.toFixed(2)} s (CPU ${r.queuedCpu.toFixed(2)} s)`);
  }
  const throughput = [];
  for (const workers of [1, 2]) {
    throughput.push(await queuedQuick(redis, workers));
    const t = throughput.at(-1);
    console.log(`${workers} worker(s): ${t.runs} runs in ${t.seconds.toFixed(0)} s = ${t.runsPerHour.toFixed(0)} runs/hour (${uptime()})`);
    await sleep(1000);
  }
  const loadAfter = uptime();
  const speedup = throughput[1].runsPerHour / throughput[0].runsPerHour;
  const overheadMs = median(rounds.map((r) => r.perRunMs));
  const overheadCpuMs = median(rounds.map((r) => r.cpuPerRunMs));
  const markdown = `# A queued bench: throughput with 1 and 2 workers, and the queue's cost per run

Measured by \`node benchmarks/distributed/run.mjs${process.argv.slice(2).map((a) => ` ${a}`).join('')}\` (see
[\`distributed/README.md\`](../distributed/README.md)) on ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC:
${cpus().length} cores (${cpus()[0].model}), Node ${process.version}, a private redis-server on the loopback
interface. Load average before: ${loadBefore.replace('load average ', '')}; after: ${loadAfter.replace('load average ', '')}.

## Throughput (targets: 2 workers ≥ 1.8× the runs per hour of 1)

The quick benchmark (\`benchmarks/quick.yaml\`: 8 combinations, MLP on the embedded MNIST digits,
every evaluation suite) reduced to ${EPOCHS} epochs and seed${SEEDS.length > 1 ? 's' : ''} ${SEEDS.join(', ')}: ${throughput[0].runs} runs,
through \`selfkd bench --queue\` and \`selfkd worker\` processes (concurrency 1) on this machine.

| workers | runs | wall time | runs per hour |
|---|---|---|---|
${throughput.map((t) => `| ${t.workers} | ${t.runs} | ${t.seconds.toFixed(0)} s | ${t.runsPerHour.toFixed(0)} |`).join('\n')}

2 workers / 1 worker: **${speedup.toFixed(2)}×** (target ≥ 1.8×).

## The queue's own cost per run (target: < 100 ms)

${OVERHEAD_RUNS} runs whose training does nothing (\`/bin/sh\` writes a result.json and exits), one
at a time: a local bench against a queued bench with one worker already connected, both in the
script's process. The difference per run is what the queue adds (enqueueing, a worker taking the
job and writing its run folder, sending back the result, the coordinator noticing, writing and
recording it). Wall time depends on the machine's load; CPU time (the script's process and the
trainings it waited for, plus redis-server) much less so.

| round | local bench, wall | queued, wall | wall per run | local bench, CPU | queued, CPU (with Redis) | CPU per run |
|---|---|---|---|---|---|---|
${rounds.map((r, i) => `| ${i + 1} | ${r.local.toFixed(2)} s | ${r.queued.toFixed(2)} s | ${r.perRunMs.toFixed(0)} ms | ${r.localCpu.toFixed(2)} s | ${r.queuedCpu.toFixed(2)} s | ${r.cpuPerRunMs.toFixed(0)} ms |`).join('\n')}

Median: **${overheadMs.toFixed(0)} ms of wall time and ${overheadCpuMs.toFixed(0)} ms of CPU time per run** (target < 100 ms).
`;
  writeFileSync(OUT, markdown);
  console.log(`\n${markdown}\nwritten to ${OUT}`);
} finally {
  redis.stop();
}
