import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { repoRoot, runCli } from './support/cli.js';
import { runProcess } from './support/run-process.js';

/**
 * The status of every command for input it cannot work with (2, as the CLI README's table says:
 * found before any work, reported without a stack trace), and `main()` returning its status to a
 * program that calls it instead of ending that program.
 */
const dir = mkdtempSync(join(tmpdir(), 'selfkd-exit-'));
const file = (name: string, body: string): string => {
  const path = join(dir, name);
  writeFileSync(path, body);
  return path;
};
const train = file(
  'train.yaml',
  `seed: 0
backend: wasm
data: { name: mnist-digits, trainSize: 200 }
model: { name: mlp, hidden: [8] }
train: { epochs: 1, batchSize: 100, optimizer: { name: adam, lr: 0.001 } }
`,
);
const bench = file('bench.yaml', `baseFile: train.yaml\ncombinations: [{ name: baseline, regularizers: [] }]\nseeds: [0]\n`);
const badYaml = file('bad.yaml', 'train: [1\n');
const notARunDir = join(dir, 'empty');
mkdirSync(notARunDir);
// A bench output folder whose lock names a live process (this test's): another bench is using it.
const lockedOut = join(dir, 'locked');
mkdirSync(lockedOut);
writeFileSync(join(lockedOut, 'bench.lock'), String(process.pid));
// A bench output folder holding a run of another config: its results are never overwritten.
const otherConfigOut = join(dir, 'other-config');
mkdirSync(join(otherConfigOut, 'runs', 'baseline', 'seed-0'), { recursive: true });
writeFileSync(join(otherConfigOut, 'runs', 'baseline', 'seed-0', 'config.json'), JSON.stringify({ seed: 1 }));
const cliVersion = (JSON.parse(readFileSync(join(repoRoot, 'packages/cli/package.json'), 'utf8')) as { version: string }).version;

describe('exit status 2 for input a command cannot work with', () => {
  it.each([
    ['an unknown command', ['frob'], /Unknown argument: frob/],
    ['an unknown option', ['train', '--config', train, '--epochs', '3'], /Unknown arguments?: epochs/],
    ['no command', [], /name a command: init, train, eval, bench, worker or list/],
    ['train without --config', ['train'], /give --config FILE, or --resume DIR/],
    ['train with a config file that is not there', ['train', '--config', join(dir, 'none.yaml')], /cannot read config file: ENOENT/],
    ['train with bad YAML', ['train', '--config', badYaml], /not valid YAML\/JSON at line 2/],
    ['train with a value yargs refuses', ['train', '--config', train, '--backend', 'gpu'], /Invalid values:\s+Argument: backend, Given: "gpu"/],
    ['train on a backend not installed here', ['train', '--config', train, '--backend', 'tensorflow', '--out', join(dir, 'tf')], /backend "tensorflow" is not available here/],
    ['train --resume of a folder that is not there', ['train', '--resume', join(dir, 'none')], /cannot resume: .* does not exist/],
    ['train --init-from a folder that is not there', ['train', '--config', train, '--init-from', join(dir, 'none'), '--out', join(dir, 'init')], /does not exist/],
    ['eval without --checkpoint', ['eval'], /Missing required argument: checkpoint/],
    ['eval of a checkpoint that is not there', ['eval', '--checkpoint', join(dir, 'none')], /does not exist/],
    ['eval of a folder that is not a run', ['eval', '--checkpoint', notARunDir], /is neither a selfkd run folder/],
    ['bench without --config', ['bench'], /Missing required argument: config/],
    ['bench with bad YAML', ['bench', '--config', badYaml], /not valid YAML\/JSON/],
    ['bench with a training config as its config', ['bench', '--config', train], /combinations: /],
    ['bench --workers 0', ['bench', '--config', bench, '--workers', '0'], /--workers must be a whole number ≥ 1, got 0/],
    ['bench on an output folder another bench is using', ['bench', '--config', bench, '--out', lockedOut], new RegExp(`another bench \\(process ${process.pid}\\) is running on`)],
    ['bench on an output folder holding runs of another config', ['bench', '--config', bench, '--out', otherConfigOut], /differ from this bench config: baseline\/seed-0/],
    ['bench --queue with a URL that is not redis', ['bench', '--config', bench, '--queue', 'http://queue:6379'], /the scheme must be redis: or rediss:/],
    ['worker without a queue', ['worker'], /--queue needs a URL/],
    ['list with a plugin that is not installed', ['list', '--plugins', 'selfkd-no-such-plugin'], /plugins\[0\]: cannot find this package/],
    ['init over existing configs', ['init', dir], /bench\.yaml, .*train\.yaml already exist; nothing was written \(--force overwrites\)/],
  ])('%s', async (_what, args, message) => {
    const r = await runCli(args, dir);
    expect(r.status, r.stderr).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('main()', () => {
  it('returns the status of --help, --version and bad arguments to the program that calls it, which goes on', async () => {
    const cli = pathToFileURL(join(repoRoot, 'packages/cli/dist/index.js')).href;
    const script = `
      const { main } = await import(${JSON.stringify(cli)});
      for (const argv of [['--help'], ['train', '--help'], ['--version'], ['--no-such-option'], ['eval']]) {
        const status = await main(argv);
        process.stdout.write('returned ' + JSON.stringify(argv) + ' ' + status + '\\n');
      }`;
    const r = await runProcess(process.execPath, ['--input-type=module', '-e', script], { cwd: dir });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout.match(/^returned .*$/gm)).toEqual([
      'returned ["--help"] 0',
      'returned ["train","--help"] 0',
      'returned ["--version"] 0',
      'returned ["--no-such-option"] 2',
      'returned ["eval"] 2',
    ]);
    expect(r.stdout).toMatch(/selfkd train\s+train a model from a config/);
    expect(r.stdout).toMatch(/--resume\s+continue the run/);
  });

  it("--version prints @selfkd/cli's version, whatever package.json the current folder has", async () => {
    const project = mkdtempSync(join(tmpdir(), 'selfkd-project-'));
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'someone-else', version: '9.9.9' }));
    const r = await runCli(['--version'], project);
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toBe(cliVersion);
  });
});
