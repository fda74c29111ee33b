import * as tf from '@tensorflow/tfjs-core';
import type { Rng } from '@selfkd/core';

/**
 * The self-teacher's trainable variables in creation order, each under the key PyTorch's
 * `state_dict` of the reference module would give it (so tests can hand them to a PyTorch
 * reference). Convolution kernels are channels-last, `[kh, kw, in, out]` (depthwise: `[kh, kw, C, 1]`).
 */
export class Parameters {
  readonly names: string[] = [];
  readonly variables: tf.Variable[] = [];
  private readonly byName = new Map<string, tf.Variable>();

  constructor(private readonly rng: Rng) {}

  /** PyTorch's default initialisation of conv and linear weights: U(−1/√fan_in, 1/√fan_in). */
  uniform(name: string, shape: number[], fanIn: number): tf.Variable {
    const bound = 1 / Math.sqrt(fanIn);
    const size = shape.reduce((a, b) => a * b, 1);
    const values = Float32Array.from({ length: size }, () => (2 * this.rng.next() - 1) * bound);
    return this.add(name, tf.tensor(values, shape));
  }

  filled(name: string, shape: number[], value: number): tf.Variable {
    return this.add(name, tf.fill(shape, value));
  }

  get(name: string): tf.Variable {
    const variable = this.byName.get(name);
    if (!variable) throw new Error(`the self-teacher has no parameter ${name}`);
    return variable;
  }

  dispose(): void {
    tf.dispose(this.variables);
    this.byName.clear();
  }

  private add(name: string, initial: tf.Tensor): tf.Variable {
    if (this.byName.has(name)) throw new Error(`the self-teacher parameter ${name} was created twice`);
    const variable = tf.variable(initial, true);
    initial.dispose();
    this.names.push(name);
    this.variables.push(variable);
    this.byName.set(name, variable);
    return variable;
  }
}
