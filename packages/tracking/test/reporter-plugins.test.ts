import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PluginRegistry, pluginContainer, type SelfKdConfig } from '@selfkd/core';
import type { ReporterRun, TrainingReporter } from '@selfkd/trainer';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { module } from '../src/reporter-plugins.js';
import { offlineRunsIn, readOfflineRun } from '../src/wandb/offline-run-reader.js';
import { simulateRun } from './support/simulated-run.js';

const registry = new PluginRegistry(pluginContainer([module]));
const tmp = () => mkdtempSync(join(tmpdir(), 'selfkd-reporter-plugins-'));

/** The validated config a run carries, as far as the trackers read it (toConfigFile). */
const config = { seed: 3, train: { epochs: 2 }, regularizers: [], reporters: [], plugins: [] } as unknown as SelfKdConfig;

afterEach(() => void vi.restoreAllMocks());

describe('the tracking plugin module', () => {
  it('contributes the tensorboard, mlflow and wandb reporters, with strict options and their defaults', () => {
    expect(registry.reporters().map((r) => r.name)).toEqual(['tensorboard', 'mlflow', 'wandb']);
    const wandb = registry.reporter('wandb').options;
    expect(wandb.parse({ dir: 'w' })).toEqual({ dir: 'w', project: 'selfkd' });
    expect(wandb.safeParse({ dir: 'w', projet: 'x' }).success).toBe(false);
    expect(registry.reporter('mlflow').options.parse({ dir: 'm' })).toEqual({ dir: 'm', experiment: 'selfkd' });
    expect(registry.reporter('tensorboard').options.safeParse({}).success).toBe(false);
  });

  it('names the run after its folder unless runName is given, and records the run config', () => {
    const dir = tmp();
    const create = (options: Record<string, unknown>) =>
      registry.reporter<TrainingReporter, ReporterRun>('wandb').create(options, { outDir: join(dir, 'runs', 'quick'), config });
    simulateRun(create({ dir: join(dir, 'a') }));
    simulateRun(create({ dir: join(dir, 'b'), project: 'kd', runName: 'named' }));
    const runOf = (sub: string) => readOfflineRun(offlineRunsIn(join(dir, sub))[0]!).records.find((r) => r.kind === 'run');
    expect(runOf('a')).toMatchObject({ run: { displayName: 'quick', project: 'selfkd' } });
    expect(runOf('b')).toMatchObject({ run: { displayName: 'named', project: 'kd' } });
    const items = (runOf('a') as { run: { config: readonly { key: string; valueJson: string }[] } }).run.config;
    expect(items.find((i) => i.key === 'seed')).toEqual({ key: 'seed', valueJson: '3' });
  });

  it('is guarded: a tracker that cannot write says so once on standard error and the hooks return normally', () => {
    const dir = tmp();
    writeFileSync(join(dir, 'taken'), 'a file where the W&B folder should be');
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const reporter = registry.reporter<TrainingReporter, ReporterRun>('wandb').create({ dir: join(dir, 'taken', 'wandb') }, { outDir: join(dir, 'run'), config });
    expect(() => simulateRun(reporter)).not.toThrow();
    const lines = stderr.mock.calls.map(([text]) => String(text));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^wandb: .*; wandb logging is off for the rest of this run \(training goes on\)\n$/);
  });
});
