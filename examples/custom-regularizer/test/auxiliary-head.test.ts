import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PluginRegistry, Rng, pluginContainer, validateConfig } from '@selfkd/core';
import { datasetCatalog } from '@selfkd/data';
import { modelCatalog } from '@selfkd/models';
import { loadCheckpoint, train } from '@selfkd/trainer';
import { dense, klBatchmean, oneHotRows, randomMatrix, softTargetCrossEntropy, unflatten, type Matrix } from '../../../test/support/float64-reference.js';
import { centralDifferences, expectAllClose, flat } from '../../../test/support/numeric-checks.js';
import { configIssues } from '../../../test/support/plugin-catalog.js';
import { auxiliaryHeadLoss, auxiliaryLogits, module } from '../src/index.js';

const B = 3;
const H = 2;
const W = 2;
const C = 4;
const K = 5;
const rng = new Rng('auxiliary-head');
const tapValues = randomMatrix(B, H * W * C, () => rng.next(), 2);
const kernel = randomMatrix(C, K, () => rng.next());
const bias = randomMatrix(1, K, () => rng.next())[0]!;
const finalLogits = randomMatrix(B, K, () => rng.next(), 3);
const labels = [0, 3, 4];
const alpha = 0.3;
const T = 2;

/** Average over the H·W positions of each channel (rows stored as [H, W, C] flattened). */
const pooled = (rows: Matrix): Matrix => rows.map((row) => Array.from({ length: C }, (_, c) => row.filter((_, i) => i % C === c).reduce((s, v) => s + v, 0) / (H * W)));
const referenceLoss = (w: Matrix, b: readonly number[]) => {
  const a = dense(pooled(tapValues), w, b);
  return (1 - alpha) * softTargetCrossEntropy(a, oneHotRows(labels, K)) + alpha * T * T * klBatchmean(a, finalLogits, T);
};

describe('the auxiliary head loss', () => {
  const run = () => {
    const head = { kernel: tf.variable(tf.tensor2d(kernel)), bias: tf.variable(tf.tensor1d(bias)) };
    const z = tf.variable(tf.tensor2d(finalLogits));
    const { value, grads } = tf.variableGrads(() => {
      const tap = tf.tensor4d(flat(tapValues), [B, H, W, C]);
      return auxiliaryHeadLoss(auxiliaryLogits(tap, head), z, tf.tensor2d(oneHotRows(labels, K)), alpha, T);
    }, [head.kernel, head.bias, z]);
    const result = { loss: value.dataSync()[0]!, kernel: grads[head.kernel.name]!.dataSync(), bias: grads[head.bias.name]!.dataSync(), z: grads[z.name]?.dataSync() };
    tf.dispose([value, grads, head.kernel, head.bias, z]);
    return result;
  };

  it('is (1 − α)·CE + α·T²·KL of the pooled tap through the head, as a float64 reference computes it', () => {
    expect(run().loss).toBeCloseTo(referenceLoss(kernel, bias), 5);
  });

  it('has the head gradients that central finite differences give, and none for the detached final logits', () => {
    const { kernel: gk, bias: gb, z } = run();
    const f = (x: ArrayLike<number>) => {
      const [w, b] = unflatten(x, [[C, K], [1, K]]);
      return referenceLoss(w!, b![0]!);
    };
    const numeric = centralDifferences(f, [...flat(kernel), ...bias]);
    expectAllClose([...gk, ...gb], numeric, 'head gradient');
    expect(z === undefined || z.every((v) => v === 0)).toBe(true);
  });
});

describe('the auxiliary-head plugin in the trainer', () => {
  const plugins = new PluginRegistry(pluginContainer([module])).regularizers();
  const catalog = { plugins, models: modelCatalog, datasets: datasetCatalog };
  const raw = (tap: string) => ({
    seed: 5,
    backend: 'cpu',
    data: { name: 'mnist-digits', trainSize: 200 },
    model: { name: 'mlp', hidden: [24, 16] },
    train: { epochs: 2, batchSize: 50, optimizer: { name: 'adam', lr: 0.003 } },
    regularizers: [{ type: 'auxiliary-head', tap }],
  });

  it('rejects a tap the model does not have at config time, naming the regularizer, the tap and the model', () => {
    expect(configIssues(raw('stage2'), catalog)).toEqual([
      'regularizers[0] | "stage2" | auxiliary-head asks for the tap "stage2", which model "mlp" does not expose; its taps: hidden1, hidden2',
    ]);
  });

  it('trains its own head on the tap, checkpoints it with its optimizer state, and leaves it out of the exported model', async () => {
    const out = await mkdtemp(join(tmpdir(), 'selfkd-aux-head-'));
    const result = await train(validateConfig(raw('hidden1'), catalog), { outDir: out, modules: [module] });
    const [first, second] = result.history.map((r) => r.train['auxiliary-head']!);
    expect(second).toBeLessThan(first!); // the head learns
    const { dir, state } = await loadCheckpoint(out);
    const saved = state.regularizerVariables['auxiliary-head']!;
    expect(saved.shapes).toEqual([[24, 10], [10]]);
    // Adam keeps m and v for each of the model's 6 variables and the head's 2.
    expect((state.optimizer.slots as unknown[]).length).toBe(2 * (6 + 2));
    const manifest = JSON.parse(await readFile(join(dir, 'model.json'), 'utf8')).weightsManifest[0].weights.map((w: { name: string }) => w.name);
    expect(manifest).toHaveLength(6);
    expect(manifest.every((name: string) => /^(hidden1|features|head)\//.test(name))).toBe(true);
  });
});
