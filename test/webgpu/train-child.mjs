// One small training run through @selfkd/trainer's `train`, on the backend the config names, in its
// own process (Dawn's device must not live in a test worker). Prints, as JSON: the loss of every
// step, the test metrics, the trained weights (base64 of their float32 values, in model order), and
// after each epoch the number of live tensors and the bytes held on the GPU.
// TEST_IMAGES caps the test split (the first N images), which every epoch evaluates: the
// comparisons are about training steps, and the cpu backend takes minutes on 2 000 ResNet images.
//   node train-child.mjs RAW_CONFIG_JSON OUT_DIR [TEST_IMAGES]
import { Buffer } from 'node:buffer';
import { createRequire } from 'node:module';
import process from 'node:process';
import * as tf from '@tensorflow/tfjs-core';
import { PluginRegistry, pluginContainer, validateConfig } from '@selfkd/core';
import { builtinPluginPackages } from '@selfkd/cli';
import { loadDataset } from '@selfkd/data';
import { TRAINER_TOKENS, builtinComponentModules, releaseBackend, train } from '@selfkd/trainer';

// inversify is the trainer's dependency, not the workspace root's: resolve it from there.
const { ContainerModule } = await import(createRequire(import.meta.resolve('@selfkd/trainer')).resolve('inversify'));

const [raw, outDir, testImages] = process.argv.slice(2);
const plugins = Object.values(builtinPluginPackages).map((p) => p.module);
const catalog = new PluginRegistry(pluginContainer([...builtinComponentModules, ...plugins])).catalog();
const config = validateConfig(JSON.parse(raw), catalog);
const modules = [...plugins];
if (testImages !== undefined) {
  const full = await loadDataset(config.data, { seed: config.seed });
  const size = Number(testImages);
  const pixels = full.test.images.length / full.test.size;
  const test = { images: full.test.images.subarray(0, size * pixels), labels: full.test.labels.subarray(0, size), size };
  modules.push(new ContainerModule(({ rebind }) => void rebind(TRAINER_TOKENS.Dataset).toConstantValue({ ...full, test })));
}

// The reporter gets the running mean of each term over the epoch; step k's own value is k·m_k − (k−1)·m_(k−1).
const stepLosses = [];
let previousMean = 0;
const memory = [];
const reporter = {
  step: ({ stepInEpoch, losses }) => {
    const mean = losses.total;
    stepLosses.push(stepInEpoch === 1 ? mean : stepInEpoch * mean - (stepInEpoch - 1) * previousMean);
    previousMean = mean;
  },
  epochEnd: () => {
    const { numTensors, numBytesInGPU } = tf.memory();
    memory.push({ numTensors, gpuBytes: numBytesInGPU ?? null });
  },
};
let weights = '';
const result = await train(config, {
  outDir,
  modules,
  reporter,
  afterTraining: async ({ model }) => {
    const values = await Promise.all(model.layersModel.getWeights().map((w) => w.data()));
    const all = new Float32Array(values.reduce((n, v) => n + v.length, 0));
    let offset = 0;
    for (const v of values) {
      all.set(v, offset);
      offset += v.length;
    }
    weights = Buffer.from(all.buffer).toString('base64');
    return undefined;
  },
});
releaseBackend();
process.stdout.write(JSON.stringify({ backend: result.env.backend, adapter: result.env.adapter ?? null, stepLosses, metrics: result.metrics, weights, memory }) + '\n');
