import * as tf from '@tensorflow/tfjs-core';
import type { Rng } from '@selfkd/core';
import { createPointwiseBlock, createSeparableBlock, downsample2x, pointwiseBlock, separableBlock, upsample2x } from './conv-blocks.js';
import { Parameters } from './parameters.js';

/** Per-sample shape `[H, W, C]` of each stage feature the self-teacher reads, finest first. */
export type LevelShapes = readonly (readonly number[])[];

export interface SelfTeacherOptions {
  /** Channel multiplier of the self-teacher's levels over the model's (the reference's `width`). */
  width: number;
  /** Stages of each 3×3 block (the reference's `depth`). */
  depth: number;
}

export interface SelfTeacherOutput {
  /** Refined features, one per level, after ReLU (the reference's `preact=False`). */
  features: tf.Tensor4D[];
  logits: tf.Tensor2D;
}

/** Fusion weights are normalised as relu(w) / (Σ relu(w) + ε), ε of the reference. */
const FUSION_EPSILON = 1e-6;

/**
 * The self-teacher network of FRSKD (Ji et al. 2021): one bidirectional feature-pyramid layer
 * (`BiFPN_layer` of the authors' `models/bifpnc.py`, repeat 1) over the model's stage features, then
 * global average pooling of the coarsest level and a linear classifier. Every level must halve the
 * previous one's height and width, as the reference's ×2 up- and down-sampling assume.
 */
export class SelfTeacher {
  private readonly params: Parameters;
  private readonly levels: number;

  constructor(shapes: LevelShapes, numClasses: number, private readonly options: SelfTeacherOptions, rng: Rng) {
    checkLevels(shapes);
    this.levels = shapes.length;
    const channels = shapes.map((s) => s[2]!);
    const wide = channels.map((c) => c * options.width);
    const params = new Parameters(rng);
    // Names are the reference module's state_dict keys; the order is fixed by this constructor.
    channels.forEach((c, i) => {
      createPointwiseBlock(params, `lat_conv.${i}`, c, wide[i]!);
    });
    for (let i = 1; i < this.levels; i++) createPointwiseBlock(params, `lat_conv2.${i - 1}`, channels[i]!, wide[i]!);
    for (let i = 0; i < this.levels - 1; i++) {
      createSeparableBlock(params, `up_conv.${i}`, wide[i]!, wide[i]!, options.depth);
      params.filled(`up_weight.${i}`, [2], 1);
    }
    for (let i = 1; i < this.levels; i++) {
      createSeparableBlock(params, `down_conv.${i - 1}`, wide[i]!, wide[i]!, options.depth);
      params.filled(`down_weight.${i - 1}`, [i < this.levels - 1 ? 3 : 2], 1);
    }
    for (let i = 1; i < this.levels; i++) createPointwiseBlock(params, `down_sample.${i - 1}.1`, wide[i - 1]!, wide[i]!);
    for (let i = 0; i < this.levels - 1; i++) createPointwiseBlock(params, `up_sample.${i}.1`, wide[i + 1]!, wide[i]!);
    const last = wide[this.levels - 1]!;
    params.uniform('fc.weight', [last, numClasses], last);
    params.uniform('fc.bias', [numClasses], last);
    this.params = params;
  }

  /** In a stable order: what the optimizer updates and the checkpoint saves. */
  get variables(): readonly tf.Variable[] {
    return this.params.variables;
  }

  /** The reference `state_dict` key of each variable, in the order of `variables`. */
  get names(): readonly string[] {
    return this.params.names;
  }

  apply(stageFeatures: readonly tf.Tensor4D[]): SelfTeacherOutput {
    if (stageFeatures.length !== this.levels) throw new Error(`the self-teacher reads ${this.levels} levels, got ${stageFeatures.length}`);
    const p = this.params;
    const n = this.levels;
    const relu = (x: tf.Tensor4D) => tf.relu(x);
    const fusion = (name: string) => {
      const w = tf.relu(p.get(name));
      return tf.unstack(tf.div(w, tf.add(tf.sum(w), FUSION_EPSILON)));
    };
    const lateral = stageFeatures.slice(1).map((f, k) => pointwiseBlock(relu(f), p, `lat_conv2.${k}`));
    const inputs = stageFeatures.map((f, i) => pointwiseBlock(relu(f), p, `lat_conv.${i}`));
    // Top-down: from the coarsest level to the finest.
    const topDown: tf.Tensor4D[] = new Array<tf.Tensor4D>(n);
    topDown[n - 1] = inputs[n - 1]!;
    for (let j = n - 2; j >= 0; j--) {
      const [w0, w1] = fusion(`up_weight.${j}`);
      const fromAbove = pointwiseBlock(upsample2x(relu(topDown[j + 1]!)), p, `up_sample.${j}.1`);
      topDown[j] = separableBlock(tf.add(tf.mul(w0!, relu(inputs[j]!)), tf.mul(w1!, fromAbove)), p, `up_conv.${j}`, this.options.depth);
    }
    // Bottom-up: from the finest level to the coarsest.
    const outputs: tf.Tensor4D[] = [topDown[0]!];
    for (let i = 1; i < n; i++) {
      const w = fusion(`down_weight.${i - 1}`);
      const fromBelow = pointwiseBlock(downsample2x(relu(outputs[i - 1]!)), p, `down_sample.${i - 1}.1`);
      let fused = tf.mul(w[0]!, relu(lateral[i - 1]!));
      if (i < n - 1) fused = tf.add(fused, tf.mul(w[1]!, relu(topDown[i]!)));
      fused = tf.add(fused, tf.mul(w[w.length - 1]!, fromBelow));
      outputs.push(separableBlock(fused as tf.Tensor4D, p, `down_conv.${i - 1}`, this.options.depth));
    }
    const features = outputs.map(relu);
    const pooled = tf.mean(features[n - 1]!, [1, 2]) as tf.Tensor2D;
    const logits = tf.add(tf.matMul(pooled, p.get('fc.weight') as tf.Tensor2D), p.get('fc.bias')) as tf.Tensor2D;
    return { features, logits };
  }

  dispose(): void {
    this.params.dispose();
  }
}

/** Throws when the levels are not images, not at least two, or do not halve from one to the next. */
export function checkLevels(shapes: LevelShapes): void {
  const shown = shapes.map((s) => `[${s.join(', ')}]`).join(', ');
  if (shapes.length < 2) throw new RangeError(`the self-teacher needs at least two stage features, got ${shapes.length} (${shown})`);
  shapes.forEach((s, i) => {
    if (s.length !== 3) throw new RangeError(`the self-teacher reads image features [H, W, C]; level ${i + 1} has shape [${s.join(', ')}]`);
    if (i > 0) {
      const [h, w] = shapes[i - 1]!;
      if (s[0]! * 2 !== h || s[1]! * 2 !== w) {
        throw new RangeError(`each level must halve the previous one's height and width (the reference's ×2 up- and down-sampling); got ${shown}`);
      }
    }
  });
}
