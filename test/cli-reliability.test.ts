import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, startCli } from './support/cli.js';

/** One test per defect of the reliability issue, each through the `selfkd` command as a user meets it. */

const tmp = () => mkdtempSync(join(tmpdir(), 'selfkd-reliability-'));

const tiny = `
seed: 3
backend: wasm
data: { name: mnist-digits, trainSize: 300 }
model: { name: mlp, hidden: [16] }
train:
  epochs: 3
  batchSize: 50
  optimizer: { name: sgd, lr: 0.05, momentum: 0.9 }
regularizers:
  - type: label-smoothing
`;

function writeFile(dir: string, name: string, body: string): string {
  const path = join(dir, name);
  writeFileSync(path, body);
  return path;
}

/** The deterministic part of a run's results: everything but wall-clock times. */
function results(runDir: string): { metrics: unknown; epochs: unknown[] } {
  const lines = readFileSync(join(runDir, 'metrics.jsonl'), 'utf8').trim().split('\n');
  return {
    metrics: JSON.parse(readFileSync(join(runDir, 'result.json'), 'utf8')).metrics,
    epochs: lines.map((line) => {
      const { seconds: _seconds, ...rest } = JSON.parse(line) as { seconds: number };
      return rest;
    }),
  };
}

async function trainedRun(dir: string, name = 'run'): Promise<string> {
  const config = writeFile(dir, 'config.yaml', tiny);
  const out = join(dir, name);
  const r = await runCli(['train', '--config', config, '--out', out]);
  expect(r.status, r.stderr).toBe(0);
  return out;
}

/** A one-seed bench on the embedded digits with the given size and combinations (YAML flow maps). */
function benchYaml(size: { trainSize: number; hidden: number; epochs: number }, combinations: string[]): string {
  return `
base:
  backend: wasm
  data: { name: mnist-digits, trainSize: ${size.trainSize} }
  model: { name: mlp, hidden: [${size.hidden}] }
  train: { epochs: ${size.epochs}, batchSize: 50, optimizer: { name: adam, lr: 0.003 } }
combinations:
${combinations.map((c) => `  - ${c}`).join('\n')}
seeds: [0]
`;
}

function flipByte(path: string, at = 100): void {
  const bytes = readFileSync(path);
  bytes[at] = bytes[at]! ^ 0x01;
  writeFileSync(path, bytes);
}

describe('resuming', () => {
  it('a refused resume (other config file, --set) changes nothing, and a plain resume afterwards still works', async () => {
    const dir = tmp();
    const reference = await trainedRun(dir, 'reference');
    const out = join(dir, 'run');
    const config = writeFile(dir, 'config.yaml', tiny);
    const child = startCli(['train', '--config', config, '--out', out]);
    const latest = join(out, 'checkpoints', 'latest.json');
    while (!existsSync(latest) && child.exitCode === null) await new Promise((r) => setTimeout(r, 20));
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    const configBefore = readFileSync(join(out, 'config.resolved.json'), 'utf8');

    const other = writeFile(dir, 'other.yaml', tiny.replace('lr: 0.05', 'lr: 0.1'));
    const withOther = await runCli(['train', '--resume', out, '--config', other]);
    expect(withOther.status).toBe(2);
    expect(withOther.stderr).toMatch(/train\.optimizer\.lr: the run was started with 0\.05 here; a resumed run keeps the config it started with \(got 0\.1\)/);
    expect(withOther.stderr).toContain(`--init-from ${out}`);
    const withSet = await runCli(['train', '--resume', out, '--set', 'model.hidden=[64]', '--set', 'train.epochs=2', '--set', 'regularizers=[]']);
    expect(withSet.status).toBe(2);
    for (const field of ['model.hidden[0]', 'train.epochs', 'regularizers']) expect(withSet.stderr).toContain(`  - ${field}: the run was started with`);
    expect(readFileSync(join(out, 'config.resolved.json'), 'utf8')).toBe(configBefore);

    const resumed = await runCli(['train', '--resume', out]);
    expect(resumed.status, resumed.stderr).toBe(0);
    expect(results(out)).toEqual(results(reference));
  });

  it('a damaged latest checkpoint is named by file: eval refuses it, resume continues from the intact one and ends identical', async () => {
    const dir = tmp();
    const reference = await trainedRun(dir, 'reference');
    const out = await trainedRun(dir, 'run');
    flipByte(join(out, 'checkpoints', 'epoch-0003', 'weights.bin'));

    const evaluated = await runCli(['eval', '--checkpoint', out, '--suite', 'basic']);
    expect(evaluated.status).toBe(2);
    expect(evaluated.stderr).toContain(`${join(out, 'checkpoints', 'epoch-0003', 'weights.bin')} does not match its SHA-256 checksum`);
    expect(evaluated.stderr).toContain(`an intact older checkpoint is ${join(out, 'checkpoints', 'epoch-0002')}`);
    expect(existsSync(join(out, 'eval.json'))).toBe(false);

    const resumed = await runCli(['train', '--resume', out]);
    expect(resumed.status, resumed.stderr).toBe(0);
    expect(resumed.stderr).toMatch(/the latest checkpoint is damaged \(.*weights\.bin does not match .*\); resuming from .*epoch-0002 instead/);
    expect(results(out)).toEqual(results(reference));
  });

  it('a checkpoint pointer that names a missing folder, or an unreadable state file, is reported by path', async () => {
    const dir = tmp();
    const out = await trainedRun(dir);
    rmSync(join(out, 'checkpoints', 'epoch-0002'), { recursive: true });
    writeFileSync(join(out, 'checkpoints', 'epoch-0003', 'state.json'), '{"epoch": 3, "st');
    const evaluated = await runCli(['eval', '--checkpoint', out]);
    expect(evaluated.status).toBe(2);
    expect(evaluated.stderr).toContain(`${join(out, 'checkpoints', 'epoch-0003', 'state.json')} does not match its SHA-256 checksum`);
    expect(evaluated.stderr).toContain('no intact older checkpoint is left');

    const out2 = await trainedRun(dir, 'run2');
    writeFileSync(join(out2, 'checkpoints', 'latest.json'), JSON.stringify({ epoch: 9, dir: 'epoch-0009', files: {} }));
    const eval2 = await runCli(['eval', '--checkpoint', out2]);
    expect(eval2.status).toBe(2);
    expect(eval2.stderr).toContain(`names ${join(out2, 'checkpoints', 'epoch-0009')}, which does not exist`);
  });

  it('a folder with nothing to resume says what to do instead', async () => {
    const dir = tmp();
    const missing = await runCli(['train', '--resume', join(dir, 'nope')]);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain(`cannot resume: ${join(dir, 'nope')} does not exist`);
    mkdirSync(join(dir, 'empty'));
    const empty = await runCli(['train', '--resume', join(dir, 'empty')]);
    expect(empty.status).toBe(2);
    expect(empty.stderr).toContain('the run was stopped before training started. Start it again with --config FILE --out');
  });
});

describe('divergence', () => {
  it('a runaway loss stops the run with exit status 1, naming the bound, and writes no result', async () => {
    const dir = tmp();
    const config = writeFile(dir, 'config.yaml', tiny);
    const out = join(dir, 'run');
    const r = await runCli(['train', '--config', config, '--out', out, '--set', 'train.optimizer={name: adam, lr: 1000000}']);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/the total loss \S+ at epoch 1, step \d+ exceeds train\.maxLoss \(230\.3\): the run diverged/);
    expect(r.stderr).toContain('No checkpoint was written before it');
    expect(existsSync(join(out, 'result.json'))).toBe(false);
  });
});

describe('bench exit status', () => {
  it('is 1 when a run failed, and 2 for a prototype key in overrides', async () => {
    const dir = tmp();
    const bench = writeFile(
      dir,
      'bench.yaml',
      benchYaml({ trainSize: 200, hidden: 8, epochs: 1 }, [
        '{ name: baseline, regularizers: [] }',
        '{ name: diverging, regularizers: [], overrides: { train: { optimizer: { name: adam, lr: 1000000 } } } }',
      ]),
    );
    const r = await runCli(['bench', '--config', bench, '--out', join(dir, 'out'), '--workers', '2']);
    expect(r.status, r.stderr).toBe(1);
    expect(r.stdout).toContain('1/2 runs done, 1 failed');

    const polluted = writeFile(dir, 'polluted.yaml', readFileSync(bench, 'utf8').replace('overrides: { train:', 'overrides: { __proto__: { seed: 5 }, train:'));
    const refused = await runCli(['bench', '--config', polluted, '--out', join(dir, 'out2')]);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toContain('combinations[1].overrides.__proto__');
    expect(existsSync(join(dir, 'out2'))).toBe(false);
  });

  it('is 1 after Ctrl-C, with the interrupted runs left to resume', async () => {
    const dir = tmp();
    const bench = writeFile(dir, 'bench.yaml', benchYaml({ trainSize: 2000, hidden: 32, epochs: 20 }, ['{ name: baseline, regularizers: [] }']));
    const out = join(dir, 'out');
    const child = startCli(['bench', '--config', bench, '--out', out]);
    let stdout = '';
    child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    const latest = join(out, 'runs', 'baseline', 'seed-0', 'checkpoints', 'latest.json');
    while (!existsSync(latest) && child.exitCode === null) await new Promise((r) => setTimeout(r, 20));
    child.kill('SIGINT');
    const code = await new Promise<number | null>((r) => child.once('exit', r));
    expect(code).toBe(1);
    expect(stdout).toContain('0/1 runs done, 0 failed (interrupted: rerun to resume)');
  });
});

describe('bad input is reported by name with exit status 2', () => {
  it.each([
    ['a prototype key in --set', ['--set', '__proto__.polluted=1'], /invalid --set __proto__\.polluted=1:\n {2}- __proto__: "__proto__", "prototype" and "constructor" are not allowed/],
    ['bad YAML in a --set value', ['--set', 'train.epochs=[1,'], /invalid --set train\.epochs=\[1,:\n {2}- train\.epochs: the value is not valid YAML/],
    ['an impossible layer width', ['--set', 'model.hidden=[1e9]'], /model\.hidden\[0\]: a layer has at most 65536 units or channels \(got 1000000000\)/],
    ['NaN', ['--set', 'seed=.nan'], /seed: .*\(got NaN\)/],
    ['a missing --data-dir', ['--data-dir', '/nonexistent/selfkd-data'], /--data-dir \/nonexistent\/selfkd-data does not exist/],
  ])('%s', async (_what, args, message) => {
    const dir = tmp();
    const config = writeFile(dir, 'config.yaml', tiny);
    const r = await runCli(['train', '--config', config, '--out', join(dir, 'run'), ...args]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(existsSync(join(dir, 'run'))).toBe(false);
  });

  it('train with neither --config nor --resume is a usage error', async () => {
    const r = await runCli(['train']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('give --config FILE, or --resume DIR to continue a run');
  });

  it.each([
    ['throws when imported', 'throws.mjs', "throw new Error('plugin exploded');", /plugins\[0\]: importing it failed: Error: plugin exploded/],
    ['has a syntax error', 'broken.mjs', 'export const plugin = {;', /plugins\[0\]: importing it failed: SyntaxError/],
    ['is missing', 'absent.mjs', undefined, /plugins\[0\]: no such file or package/],
  ])('a plugin that %s is named', async (_what, file, body, message) => {
    const dir = tmp();
    if (body !== undefined) writeFile(dir, file, body);
    const config = writeFile(dir, 'config.yaml', `${tiny}plugins: [./${file}]\n`);
    const r = await runCli(['train', '--config', config, '--out', join(dir, 'run')], dir);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).toContain(`(got "./${file}")`);
  });
});
