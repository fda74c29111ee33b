import { PluginRegistry, pluginContainer, validateConfig, type RegularizerPlugin } from '@selfkd/core';
import { builtinPluginPackages } from '@selfkd/cli';
import * as tf from '@tensorflow/tfjs-core';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { builtinComponentModules, train, type TrainResult } from '@selfkd/trainer';
import { module as examples } from '../../examples/custom-regularizer/src/index.js';

/** Every regularizer plugin module the suite covers: the built-ins and the third-party example package. */
export const conformanceModules = [...Object.values(builtinPluginPackages).map((p) => p.module), examples];

export const registry = new PluginRegistry(pluginContainer([...builtinComponentModules, ...conformanceModules]));
export const catalog = registry.catalog();

/** Every registered regularizer, by type: what the suite is parametrized over. */
export const registeredRegularizers: RegularizerPlugin<object>[] = registry.regularizers();

/** A config entry of the plugin with its example options (its defaults when it needs none). */
export function entryOf(plugin: RegularizerPlugin<object>): Record<string, unknown> {
  return { type: plugin.type, ...(plugin.exampleOptions ?? {}) };
}

/**
 * The tiny problem every case trains on: 100 digits, a 64-32 mlp (or the first entry's plugin's
 * `exampleModel`), 3 epochs of 5 steps on the cpu backend, so that a case takes seconds and a
 * worker is never blocked for long.
 */
export function conformanceConfig(regularizers: readonly Record<string, unknown>[], epochs = 3) {
  const exampleModel = regularizers.map((entry) => registeredRegularizers.find((p) => p.type === entry.type)?.exampleModel).find(Boolean);
  return {
    seed: 9,
    backend: 'cpu',
    data: { name: 'mnist-digits', trainSize: 100 },
    model: exampleModel ?? { name: 'mlp', hidden: [64, 32] },
    train: { epochs, batchSize: 20, optimizer: { name: 'adam', lr: 0.005 } },
    regularizers,
  };
}

export const validated = (raw: unknown) => validateConfig(raw, catalog);

/** One in-process run per regularizer, shared by the checks that read it. */
const runs = new Map<string, Promise<{ result: TrainResult; outDir: string; tensorsPerStep: number[]; stepsPerEpoch: number }>>();
export function trainedWith(type: string) {
  if (!runs.has(type)) {
    runs.set(
      type,
      (async () => {
        const plugin = registeredRegularizers.find((p) => p.type === type)!;
        const outDir = await mkdtemp(join(tmpdir(), 'selfkd-conformance-'));
        const tensorsPerStep: number[] = [];
        let stepsPerEpoch = 0;
        const result = await train(validated(conformanceConfig([entryOf(plugin)])), {
          outDir,
          modules: conformanceModules,
          reporter: {
            runStart: (info) => void (stepsPerEpoch = info.stepsPerEpoch),
            step: () => void tensorsPerStep.push(tf.memory().numTensors),
          },
        });
        return { result, outDir, tensorsPerStep, stepsPerEpoch };
      })(),
    );
  }
  return runs.get(type)!;
}
