import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { runCli, startCli } from './support/cli.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'selfkd-cli-'));

function writeConfig(dir: string, body: string): string {
  const path = join(dir, 'config.yaml');
  writeFileSync(path, body);
  return path;
}

const small = `
seed: 1
backend: wasm
data: { name: mnist-digits, trainSize: 600 }
model: { name: mlp, hidden: [32] }
train:
  epochs: 4
  batchSize: 50
  optimizer: { name: sgd, lr: 0.05, momentum: 0.9 }
regularizers:
  - type: label-smoothing
`;

describe('selfkd CLI', () => {
  it('documents every command with --help', async () => {
    const top = await runCli(['--help']);
    expect(top.status).toBe(0);
    for (const command of ['train', 'eval', 'list']) expect(top.stdout).toContain(`selfkd ${command}`);
    const train = await runCli(['train', '--help']);
    expect(train.stdout).toMatch(/--config[\s\S]*--set[\s\S]*--backend[\s\S]*--out[\s\S]*--resume/);
  });

  it('rejects a bad config before training, naming path, value and what is allowed, without a stack trace', async () => {
    const dir = tmp();
    const config = writeConfig(
      dir,
      small.replace('  - type: label-smoothing', '  - type: label-smoothing\n    epsilon: 1.5\n  - type: no-such-method').replace('seed: 1', 'seed: 1\ncolour: red'),
    );
    const r = await runCli(['train', '--config', config, '--out', join(dir, 'run')]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('regularizers[0].epsilon');
    expect(r.stderr).toContain('(got 1.5)');
    expect(r.stderr).toMatch(/regularizers\[1\]\.type: unknown regularizer type; known: label-smoothing, sd-dropout, cs-kd, ps-kd, mixup, cutmix, tf-kd-reg, bake, dlb, ddgsd, tf-kd-self, frskd, byot, dks/);
    expect(r.stderr).toMatch(/colour: unknown key "colour"; allowed keys: seed, backend/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(existsSync(join(dir, 'run'))).toBe(false);
    const verbose = await runCli(['train', '--config', config, '--set', 'regularizers=[]', '--set', 'train.epochs=0', '--verbose']);
    expect(verbose.status).toBe(2);
    expect(verbose.stderr).toContain('train.epochs');
  });

  it('lists regularizers, models, datasets, reporters, evaluation suites and backends with reasons', async () => {
    const r = await runCli(['list']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/reporters:\n\s+tensorboard .*\n\s+options: dir, runName\n\s+mlflow .*\n\s+options: dir, experiment, runName\n\s+wandb .*\n\s+options: dir, project, entity, runName/);
    for (const name of ['label-smoothing', 'sd-dropout', 'cs-kd', 'ps-kd', 'mixup', 'cutmix', 'tf-kd-reg', 'bake', 'dlb', 'ddgsd', 'tf-kd-self', 'frskd', 'byot', 'dks', 'mlp', 'cnn', 'resnet18', 'mnist-digits', 'fashion-mnist', 'cifar100']) {
      expect(r.stdout).toContain(name);
    }
    expect(r.stdout).toMatch(/tensorflow\s+not available: .*@tensorflow\/tfjs-node-gpu: not installed/);
    expect(r.stdout).toMatch(/wasm\s+available/);
    expect(r.stdout).toMatch(/evaluation suites \(eval\.suite\):\n\s+classification .*\n.*\n\s+calibration /);
  });

  it('resumes a run killed with SIGKILL and ends with the metrics of an uninterrupted run', async () => {
    const dir = tmp();
    const config = writeConfig(dir, small);
    // Six epochs leave a margin of four after the kill point, so the kill lands mid-run even on a slow machine.
    const longer = ['--set', 'train.epochs=6'];
    const full = await runCli(['train', '--config', config, '--out', join(dir, 'full'), ...longer]);
    expect(full.status, full.stderr).toBe(0);
    expect(full.stderr).toMatch(/backend: wasm/);

    const out = join(dir, 'killed');
    const child = startCli(['train', '--config', config, '--out', out, ...longer]);
    const latest = join(out, 'checkpoints', 'latest.json');
    for (let i = 0; i < 600 && !(existsSync(latest) && JSON.parse(readFileSync(latest, 'utf8')).epoch >= 2); i++) await sleep(50);
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    expect(existsSync(join(out, 'result.json'))).toBe(false);

    const resumed = await runCli(['train', '--resume', out]);
    expect(resumed.status, resumed.stderr).toBe(0);
    expect(resumed.stderr).toMatch(/resuming from .* after epoch \d/);
    const a = JSON.parse(readFileSync(join(dir, 'full', 'result.json'), 'utf8'));
    const b = JSON.parse(readFileSync(join(out, 'result.json'), 'utf8'));
    expect(b.metrics).toEqual(a.metrics);
    const epochs = readFileSync(join(out, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l).epoch);
    expect(epochs).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it("trains on the cpu backend without tfjs's advice to install its node backend", async () => {
    const dir = tmp();
    const config = writeConfig(dir, small.replace('backend: wasm', 'backend: cpu').replace('epochs: 4', 'epochs: 1'));
    const r = await runCli(['train', '--config', config, '--out', join(dir, 'run')]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/backend: cpu/);
    expect(r.stdout + r.stderr).not.toMatch(/install our node backend|tfjs-node/);
  });

  it('evaluates a trained run: eval.json with the suites asked for, and clear errors for bad input', async () => {
    const dir = tmp();
    const config = writeConfig(dir, small.replace('epochs: 4', 'epochs: 1'));
    const out = join(dir, 'run');
    expect((await runCli(['train', '--config', config, '--out', out])).status).toBe(0);

    const r = await runCli(['eval', '--checkpoint', out, '--suite', 'calibration', '--out', join(dir, 'eval')]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/ECE/);
    const report = JSON.parse(readFileSync(join(dir, 'eval', 'eval.json'), 'utf8'));
    expect(Object.keys(report)).toContain('calibration');
    expect(report.classification).toBeUndefined();
    expect(report.calibration.ece).toBeGreaterThanOrEqual(0);

    const badEps = await runCli(['eval', '--checkpoint', out, '--suite', 'adversarial', '--set', 'eval.fgsm.eps=[-0.1]']);
    expect(badEps.status).toBe(2);
    expect(badEps.stderr).toContain('eval.fgsm.eps[0]');
    const badSet = await runCli(['eval', '--checkpoint', out, '--suite', 'ood', '--set', 'eval.ood.sets=[svhn]']);
    expect(badSet.status).toBe(2);
    expect(badSet.stderr).toMatch(/unknown OOD set "svhn"; known: /);
    const notARun = await runCli(['eval', '--checkpoint', dir]);
    expect(notARun.status).toBe(2);
    expect(notARun.stderr).toMatch(/is neither a selfkd run folder/);
  });

  it('runs a small combination benchmark end to end and reruns it without retraining', async () => {
    const dir = tmp();
    const bench = join(dir, 'bench.yaml');
    writeFileSync(
      bench,
      `
base:
  backend: wasm
  data: { name: mnist-digits, trainSize: 300 }
  model: { name: mlp, hidden: [16] }
  train: { epochs: 1, batchSize: 50, optimizer: { name: adam, lr: 0.003 } }
combinations:
  - { name: baseline, regularizers: [] }
  - { name: label-smoothing, regularizers: [{ type: label-smoothing }] }
seeds: [0]
eval: { suite: calibration }
`,
    );
    const out = join(dir, 'out');
    const first = await runCli(['bench', '--config', bench, '--out', out, '--workers', '2']);
    expect(first.status, first.stderr).toBe(0);
    expect(first.stdout).toContain('2/2 runs done, 0 failed');
    const results = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8'));
    expect(JSON.stringify(results)).toContain('label-smoothing');
    for (const file of ['report.md', 'report.html', 'results.csv']) expect(existsSync(join(out, file))).toBe(true);
    const before = readFileSync(join(out, 'results.json'), 'utf8');
    const trained = statSync(join(out, 'runs', 'baseline', 'seed-0', 'result.json')).mtimeMs;
    const again = await runCli(['bench', '--config', bench, '--out', out]);
    expect(again.status, again.stderr).toBe(0);
    expect(statSync(join(out, 'runs', 'baseline', 'seed-0', 'result.json')).mtimeMs).toBe(trained);
    expect(readFileSync(join(out, 'results.json'), 'utf8')).toBe(before);

    writeFileSync(bench, readFileSync(bench, 'utf8').replace('{ type: label-smoothing }', '{ type: label-smoothing, epsilon: 2 }'));
    const bad = await runCli(['bench', '--config', bench, '--out', join(dir, 'bad')]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('epsilon');
    expect(existsSync(join(dir, 'bad', 'runs'))).toBe(false);
  });
});
