import * as tf from '@tensorflow/tfjs-core';
import type { OptimizerConfig } from '@selfkd/core';

/**
 * One Adam step for one variable as one kernel, which a backend may register under this name
 * (`@selfkd/wasm-kernels` does for wasm; imported lazily elsewhere, so only the name is shared):
 * inputs `{variable, gradient, m, v}`, attrs `{beta1, beta2, epsilon, weightDecay, stepSize,
 * varianceCorrection}`, outputs `[variable', m', v']`, equal to Adam.apply's tensor formula.
 */
export const ADAM_UPDATE_KERNEL = 'SelfkdAdamUpdate';

/** One saved slot tensor of an optimizer, e.g. Adam's first moment of variable 3. */
export interface OptimizerSlot {
  name: string;
  shape: number[];
  data: Float32Array;
}

export interface OptimizerState {
  step: number;
  slots: OptimizerSlot[];
}

/**
 * Optimizers with PyTorch's update rules, written here (not tf.train.*) because their whole state
 * must round-trip through checkpoints exactly and weight decay must be the PyTorch L2 form.
 */
export interface Optimizer {
  /** Applies one update with the given learning rate; `grads[i]` belongs to `variables[i]`. */
  apply(grads: readonly tf.Tensor[], lr: number): void;
  state(): Promise<OptimizerState>;
  loadState(state: OptimizerState): void;
  dispose(): void;
}

export function createOptimizer(config: OptimizerConfig, variables: readonly tf.Variable[]): Optimizer {
  return config.name === 'sgd' ? new Sgd(config, variables) : new Adam(config, variables);
}

abstract class SlottedOptimizer implements Optimizer {
  protected step = 0;
  protected readonly slots: tf.Variable[][];

  constructor(
    protected readonly variables: readonly tf.Variable[],
    private readonly slotNames: readonly string[],
  ) {
    this.slots = slotNames.map(() => variables.map((v) => tf.tidy(() => tf.variable(tf.zerosLike(v), false))));
  }

  abstract apply(grads: readonly tf.Tensor[], lr: number): void;

  /** `g + wd·w`, PyTorch's weight_decay for SGD and (non-decoupled) Adam. */
  protected decayed(grad: tf.Tensor, variable: tf.Variable, weightDecay: number): tf.Tensor {
    return weightDecay > 0 ? tf.add(grad, tf.mul(variable, weightDecay)) : grad;
  }

  async state(): Promise<OptimizerState> {
    const named = this.slots.flatMap((slot, s) => slot.map((v, i) => ({ name: `${this.slotNames[s]}/${i}`, variable: v })));
    const values = await Promise.all(named.map(({ variable }) => variable.data()));
    return { step: this.step, slots: named.map(({ name, variable }, i) => ({ name, shape: variable.shape.slice(), data: values[i] as Float32Array })) };
  }

  loadState(state: OptimizerState): void {
    const byName = new Map(state.slots.map((s) => [s.name, s]));
    this.slots.forEach((slot, s) =>
      slot.forEach((v, i) => {
        const saved = byName.get(`${this.slotNames[s]}/${i}`);
        if (!saved || saved.data.length !== v.size) {
          throw new Error(`optimizer state does not match the model: slot ${this.slotNames[s]}/${i} is missing or has the wrong size`);
        }
        tf.tidy(() => v.assign(tf.tensor(saved.data, v.shape)));
      }),
    );
    this.step = state.step;
  }

  dispose(): void {
    for (const slot of this.slots) for (const v of slot) v.dispose();
  }
}

class Sgd extends SlottedOptimizer {
  constructor(
    private readonly config: Extract<OptimizerConfig, { name: 'sgd' }>,
    variables: readonly tf.Variable[],
  ) {
    super(variables, config.momentum > 0 ? ['momentum'] : []);
  }

  apply(grads: readonly tf.Tensor[], lr: number): void {
    const { momentum, nesterov, weightDecay } = this.config;
    const first = this.step === 0;
    tf.tidy(() => {
      this.variables.forEach((variable, i) => {
        let g = this.decayed(grads[i]!, variable, weightDecay);
        if (momentum > 0) {
          const buf = this.slots[0]![i]!;
          // PyTorch starts the buffer at the first gradient, not at momentum·0 + g (same value, dampening 0).
          const next = first ? g : tf.add(tf.mul(buf, momentum), g);
          buf.assign(next);
          g = nesterov ? tf.add(g, tf.mul(next, momentum)) : next;
        }
        variable.assign(tf.sub(variable, tf.mul(g, lr)));
      });
    });
    this.step++;
  }
}

class Adam extends SlottedOptimizer {
  constructor(
    private readonly config: Extract<OptimizerConfig, { name: 'adam' }>,
    variables: readonly tf.Variable[],
  ) {
    super(variables, ['m', 'v']);
  }

  apply(grads: readonly tf.Tensor[], lr: number): void {
    const { beta1, beta2, epsilon, weightDecay } = this.config;
    this.step++;
    const bias1 = 1 - beta1 ** this.step;
    const bias2 = 1 - beta2 ** this.step;
    // One pass per variable where the backend has the fused kernel (wasm with @selfkd/wasm-kernels),
    // equal to the formula below to the bit.
    const fused = tf.getKernel(ADAM_UPDATE_KERNEL, tf.getBackend()) !== undefined;
    const attrs = { beta1, beta2, epsilon, weightDecay, stepSize: lr / bias1, varianceCorrection: Math.sqrt(bias2) };
    tf.tidy(() => {
      this.variables.forEach((variable, i) => {
        const m = this.slots[0]![i]!;
        const v = this.slots[1]![i]!;
        if (fused && variable.dtype === 'float32' && grads[i]!.dtype === 'float32') {
          const [next, mNext, vNext] = tf.engine().runKernel(ADAM_UPDATE_KERNEL, { variable, gradient: grads[i]!, m, v }, attrs) as tf.Tensor[];
          m.assign(mNext!);
          v.assign(vNext!);
          variable.assign(next!);
          return;
        }
        const g = this.decayed(grads[i]!, variable, weightDecay);
        m.assign(tf.add(tf.mul(m, beta1), tf.mul(g, 1 - beta1)));
        v.assign(tf.add(tf.mul(v, beta2), tf.mul(tf.square(g), 1 - beta2)));
        // PyTorch: w -= (lr / bias1) · m / (sqrt(v) / sqrt(bias2) + eps)
        const denom = tf.add(tf.div(tf.sqrt(v), Math.sqrt(bias2)), epsilon);
        variable.assign(tf.sub(variable, tf.mul(tf.div(m, denom), lr / bias1)));
      });
    });
  }
}
