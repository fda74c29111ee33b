import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runChecked, runProcess, type ProcessResult } from '../support/run-process.js';

/**
 * What a user with only an npm install of @selfkd/cli gets: the CLI and the workspace packages it
 * depends on are packed, installed with npm into a blank folder (tfjs and better-sqlite3 from the
 * registry), and the installed `selfkd` bin runs --version, init, train, eval and bench (two runs,
 * each a `selfkd train` child started from the installed package) from that folder. Needs the
 * packages built (`pnpm test` builds first) and the npm registry. Every step is a child process;
 * a failure names its step and shows the command's output.
 */
const root = resolve(import.meta.dirname, '../..');
const PNPM = ['-y', 'pnpm@12.4.2'];
const readJson = (path: string) => JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown> & { version: string };
const cliVersion = readJson(join(root, 'packages/cli/package.json')).version;
const workspaceDevDeps = readJson(join(root, 'package.json')).devDependencies as Record<string, string>;
/** The tfjs packages a user installs next to the CLI (the CLI may name them as peers): the versions the workspace tests. */
const tfjs = ['@tensorflow/tfjs-core', '@tensorflow/tfjs-backend-cpu', '@tensorflow/tfjs-backend-wasm'];
/** tfjs-backend-cpu's advice to install tfjs-node, printed on its first tensor unless silenced. */
const NODE_BACKEND_BANNER = /install our node backend|github\.com\/tensorflow\/tfjs-node/;

/**
 * The environment of the installed commands: without NODE_PATH, which pnpm's bin shims (vitest's
 * among them) point at the workspace's packages, and through which a `require` in the installed
 * packages would find what their install lacks.
 */
const userEnv = { ...Object.fromEntries(Object.entries(process.env).filter(([key]) => key !== 'NODE_PATH')), FORCE_COLOR: '0' };

/** `@selfkd/<name>` → `file:` the tarball `selfkd-<name>-<version>.tgz` in `dir`. */
function tarballSpecs(dir: string): Record<string, string> {
  const specs: Record<string, string> = {};
  for (const file of readdirSync(dir)) {
    const name = /^selfkd-(.+)-\d+\.\d+\.\d+.*\.tgz$/.exec(file)?.[1];
    if (name) specs[`@selfkd/${name}`] = `file:${join(dir, file)}`;
  }
  return specs;
}

describe('@selfkd/cli installed from its tarball', () => {
  it('runs --version, init, train, eval and bench from a blank folder, without the tfjs-node banner', async () => {
    const outputs: string[] = [];
    /** Runs the installed bin in the project folder; fails naming the step, with what the command printed. */
    const selfkd = async (step: string, args: string[], expected = 0): Promise<ProcessResult> => {
      const result = await runProcess(join(project, 'node_modules', '.bin', 'selfkd'), args, { cwd: project, env: userEnv, timeoutMs: 600_000 });
      outputs.push(result.stdout, result.stderr);
      expect(result.status, `step "${step}" (selfkd ${args.join(' ')}) ended with ${result.signal ?? `status ${result.status}`}:\n${result.stdout}\n${result.stderr}`).toBe(expected);
      return result;
    };
    const step = async <T>(name: string, work: () => Promise<T>): Promise<T> => {
      try {
        return await work();
      } catch (err) {
        throw new Error(`step "${name}" failed: ${(err as Error).message}`);
      }
    };

    const packs = mkdtempSync(join(tmpdir(), 'selfkd-cli-packs-'));
    await step('pnpm pack of @selfkd/cli and the workspace packages it depends on', () =>
      runChecked('npx', [...PNPM, '-r', '--filter', '@selfkd/cli...', 'pack', '--pack-destination', packs], { cwd: root }),
    );
    const tarballs = tarballSpecs(packs);
    expect(Object.keys(tarballs), 'tarballs packed').toContain('@selfkd/cli');

    const project = mkdtempSync(join(tmpdir(), 'selfkd-cli-user-'));
    // A version of its own, so a --version read from the current folder's package.json would show.
    const manifest = {
      name: 'cli-user',
      version: '9.9.9',
      private: true,
      dependencies: { '@selfkd/cli': tarballs['@selfkd/cli'], ...Object.fromEntries(tfjs.map((name) => [name, workspaceDevDeps[name]])) },
      // The CLI's @selfkd dependencies come from the tarballs, not the registry.
      overrides: tarballs,
    };
    writeFileSync(join(project, 'package.json'), JSON.stringify(manifest, null, 2));
    await step('npm install of the tarballs into a blank folder', () =>
      runChecked('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: project, env: userEnv, timeoutMs: 900_000 }),
    );

    const version = await selfkd('--version', ['--version']);
    expect(version.stdout.trim(), 'selfkd --version').toBe(cliVersion);

    await selfkd('init', ['init', 'configs']);
    expect(readdirSync(join(project, 'configs')).sort(), 'files written by selfkd init').toEqual(['bench.yaml', 'train.yaml']);

    const train = await selfkd('train', ['train', '--config', 'configs/train.yaml', '--out', 'runs/train']);
    expect(train.stdout).toMatch(/done: test top1 \d+\.\d+%/);
    expect(existsSync(join(project, 'runs/train/result.json')), 'runs/train/result.json').toBe(true);
    await selfkd('train on the cpu backend', ['train', '--config', 'configs/train.yaml', '--backend', 'cpu', '--set', 'train.epochs=1', '--set', 'eval.suite=basic', '--out', 'runs/cpu']);

    await selfkd('eval', ['eval', '--checkpoint', 'runs/train', '--suite', 'calibration']);
    expect(Object.keys(readJson(join(project, 'runs/train/eval.json'))), 'runs/train/eval.json').toContain('checkpoint');

    const bench = await selfkd('bench', ['bench', '--config', 'configs/bench.yaml', '--out', 'runs/bench']);
    expect(bench.stdout, 'bench summary').toMatch(/^2\/2 runs done, 0 failed$/m);
    for (const report of ['report.html', 'report.md', 'results.csv', 'results.json']) {
      expect(existsSync(join(project, 'runs/bench', report)), `runs/bench/${report}`).toBe(true);
    }

    expect(outputs.join('\n'), 'what the commands printed').not.toMatch(NODE_BACKEND_BANNER);

    // A failed native build leaves no better-sqlite3 (it is optional): train and eval work, bench says what to install.
    const sqliteDir = dirname(createRequire(join(project, 'node_modules/@selfkd/bench/package.json')).resolve('better-sqlite3/package.json'));
    const aside = join(project, 'aside');
    mkdirSync(aside);
    renameSync(sqliteDir, join(aside, 'better-sqlite3'));
    const withoutSqlite = await selfkd('bench without better-sqlite3', ['bench', '--config', 'configs/bench.yaml', '--out', 'runs/bench-2'], 2);
    expect(withoutSqlite.stderr).toMatch(/better-sqlite3, which is not installed here: install it .*npm i -g better-sqlite3/);
    expect(withoutSqlite.stderr).not.toMatch(/\n\s+at /);
  });
});
