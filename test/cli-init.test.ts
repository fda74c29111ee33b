import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateConfig } from '@selfkd/core';
import { expandRuns, loadBenchConfig } from '@selfkd/bench';
import { buildCatalog, resolveConfig } from '@selfkd/cli';
import { repoRoot, runCli } from './support/cli.js';

/** The example configs the CLI package ships (package.json `files`) and `selfkd init` writes. */
const examplesDir = join(repoRoot, 'packages/cli/examples');
const tmp = () => mkdtempSync(join(tmpdir(), 'selfkd-init-'));

describe('selfkd init', () => {
  it('writes the shipped example configs into a new folder and says what to run next', async () => {
    const cwd = tmp();
    const r = await runCli(['init', 'configs'], cwd);
    expect(r.status, r.stderr).toBe(0);
    expect(readdirSync(join(cwd, 'configs')).sort()).toEqual(['bench.yaml', 'train.yaml']);
    for (const name of ['bench.yaml', 'train.yaml']) {
      expect(readFileSync(join(cwd, 'configs', name), 'utf8')).toBe(readFileSync(join(examplesDir, name), 'utf8'));
    }
    expect(r.stdout).toContain('selfkd train --config configs/train.yaml --out runs/train');
    expect(r.stdout).toContain('selfkd eval --checkpoint runs/train');
    expect(r.stdout).toContain('selfkd bench --config configs/bench.yaml --out runs/bench');
  });

  it('writes nothing over a config already there, unless --force', async () => {
    const cwd = tmp();
    writeFileSync(join(cwd, 'train.yaml'), 'mine\n');
    const refused = await runCli(['init'], cwd);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toContain('train.yaml already exists; nothing was written (--force overwrites)');
    expect(readFileSync(join(cwd, 'train.yaml'), 'utf8')).toBe('mine\n');
    expect(existsSync(join(cwd, 'bench.yaml'))).toBe(false);

    const forced = await runCli(['init', '--force'], cwd);
    expect(forced.status, forced.stderr).toBe(0);
    expect(readFileSync(join(cwd, 'train.yaml'), 'utf8')).toBe(readFileSync(join(examplesDir, 'train.yaml'), 'utf8'));
  });

  it('ships configs that pass the same validation as train and bench, on the embedded dataset', async () => {
    const { config } = await resolveConfig(join(examplesDir, 'train.yaml'));
    expect(config.data.name).toBe('mnist-digits');
    const bench = loadBenchConfig(join(examplesDir, 'bench.yaml'));
    const { catalog } = await buildCatalog();
    const runs = expandRuns(bench);
    expect(runs.map((run) => run.key)).toEqual(['baseline/seed-0', 'label-smoothing/seed-0']);
    for (const run of runs) expect(() => validateConfig(run.config, catalog, run.key)).not.toThrow();
  });
});
