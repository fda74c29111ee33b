import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';

/**
 * A training-mode BatchNorm over the last axis as one kernel, which a backend may provide under
 * this name, with its gradient (`@selfkd/wasm-kernels` registers it for the wasm backend):
 * inputs `{x, scale, offset}`, attrs `{varianceEpsilon}`, outputs `[y, mean, variance]` with the
 * biased batch variance, as tf.moments. Without it, tfjs-layers' own path (tf.moments and
 * tf.batchNorm, differentiated op by op: some twenty elementwise passes per layer) runs.
 */
export const TRAINING_BATCH_NORM_KERNEL = 'SelfkdTrainingBatchNorm';

type LayerVariable = tfl.LayerVariable;

/** Layers already fused (a LayersModel wrapped twice keeps one fused call). */
const fused = new WeakSet<tfl.layers.Layer>();
type Call = (inputs: tf.Tensor | tf.Tensor[], kwargs: Record<string, unknown>) => tf.Tensor | tf.Tensor[];

interface BatchNormConfig {
  axis: number;
  momentum: number;
  epsilon: number;
  center: boolean;
  scale: boolean;
}

/**
 * Makes a tfjs-layers BatchNormalization layer run its training-mode calls through
 * TRAINING_BATCH_NORM_KERNEL where the current backend has that kernel, for channels-last float32
 * inputs with both gamma and beta; anything else takes the layer's own path. The running mean and
 * variance are updated as tfjs-layers does. The layer stays a BatchNormalization (same class, config
 * and weights), so models save and load as before; its `call` is replaced on the instance because
 * tfjs-layers does not export the class to subclass.
 */
export function fuseTrainingBatchNorm(layer: tfl.layers.Layer): void {
  if (layer.getClassName() !== 'BatchNormalization') throw new Error(`fuseTrainingBatchNorm expects a BatchNormalization layer, got ${layer.getClassName()} "${layer.name}"`);
  if (fused.has(layer)) return;
  fused.add(layer);
  const config = layer.getConfig() as unknown as BatchNormConfig;
  const target = layer as unknown as { call: Call };
  const layersCall: Call = target.call.bind(layer);
  const weight = (suffix: string): LayerVariable | undefined => layer.weights.find((w) => w.originalName === suffix || w.originalName.endsWith(`/${suffix}`));
  target.call = (inputs, kwargs) => {
    const x = Array.isArray(inputs) ? inputs[0]! : inputs;
    const fusable =
      Boolean(kwargs['training']) && config.center && config.scale && x.dtype === 'float32' && x.rank >= 2 &&
      (config.axis === -1 || config.axis === x.rank - 1) && tf.getKernel(TRAINING_BATCH_NORM_KERNEL, tf.getBackend()) !== undefined;
    if (!fusable) return layersCall(inputs, kwargs);
    const [gamma, beta, movingMean, movingVariance] = ['gamma', 'beta', 'moving_mean', 'moving_variance'].map(weight);
    if (!gamma || !beta || !movingMean || !movingVariance) return layersCall(inputs, kwargs);
    return tf.tidy(() => {
      const [y, mean, variance] = tf.engine().runKernel(
        TRAINING_BATCH_NORM_KERNEL,
        { x, scale: gamma.read(), offset: beta.read() },
        { varianceEpsilon: config.epsilon },
      ) as tf.Tensor[];
      movingAverage(movingMean, mean!, config.momentum);
      movingAverage(movingVariance, variance!, config.momentum);
      return y!;
    });
  };
}

/** running ← running − (running − batch)·(1 − momentum), as tfjs-layers writes it. */
function movingAverage(variable: LayerVariable, batch: tf.Tensor, momentum: number): void {
  tf.tidy(() => {
    const running = variable.read();
    variable.write(tf.sub(running, tf.mul(tf.sub(running, batch), 1 - momentum)));
  });
}
