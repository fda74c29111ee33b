import * as tf from '@tensorflow/tfjs-core';
import { normalize, type Dataset } from '@selfkd/data';
import type { ClassifierModel } from '@selfkd/models';
import type { LogitsFn } from '../attacks/loss-gradient-sign.js';
import { argmaxRows } from '../metrics/rows.js';
import type { ProgressFn } from './progress.js';
import { evaluationRows } from './evaluation-rows.js';
import { byteImageSource, type ImageSource } from './image-source.js';

/** What the evaluation needs of a model: its shapes and a forward pass (any ClassifierModel qualifies). */
export type EvaluableModel = Pick<ClassifierModel, 'kind' | 'inputShape' | 'numClasses' | 'forward'>;

/** The model's logits on every test image (row-major N·K) and the images' labels. */
export interface TestLogits {
  logits: Float32Array;
  labels: Int32Array;
}

/** Everything a suite reads: the model as a pixels → logits function, the data and the shared settings. */
export interface SuiteContext {
  model: EvaluableModel;
  dataset: Dataset;
  /** Normalises with the dataset's statistics, then runs the model in evaluation mode. */
  logitsOf: LogitsFn;
  /** Images per forward pass (`eval.batchSize`). */
  batchSize: number;
  /** Seeds subsets and anything random a suite draws. */
  seed: number;
  onProgress?: ProgressFn;
  /** Folder of dataset files (the CLI's --data-dir). */
  dataDir?: string;
  /** Logits of the whole test set, computed on the first call and shared by every suite that asks. */
  testLogits(): Promise<TestLogits>;
}

/** The model on pixels in [0, 1]: normalisation, then a forward pass without dropout or batch statistics. */
export function pixelLogits(model: EvaluableModel, dataset: Dataset): LogitsFn {
  return (pixels) => tf.tidy(() => model.forward(normalize(pixels, dataset.normalization), false).logits);
}

/** Test images (a seeded subset below `maxImages`, the same for every suite with that cap) and their labels. */
export function testImages(ctx: Pick<SuiteContext, 'dataset' | 'model' | 'seed'>, maxImages: number | null): { source: ImageSource; labels: Int32Array } {
  const { dataset } = ctx;
  const rows = evaluationRows(dataset.test.size, maxImages, ctx.seed, 'test');
  return {
    source: byteImageSource(dataset.name, dataset.test.images, dataset.imageShape, rows, ctx.model.inputShape),
    labels: Int32Array.from(rows, (row) => dataset.test.labels[row]!),
  };
}

/** Logits of a batch as a plain array (N·K), the tensor disposed; awaited, as GPU backends read only asynchronously. */
export async function logitsArray(logitsOf: LogitsFn, pixels: tf.Tensor4D): Promise<Float32Array> {
  const logits = logitsOf(pixels);
  try {
    return new Float32Array(await logits.data());
  } finally {
    logits.dispose();
  }
}

/** How many images of the batch the model classifies as labelled. */
export async function countCorrect(ctx: SuiteContext, pixels: tf.Tensor4D, labels: Int32Array): Promise<number> {
  const predicted = argmaxRows(await logitsArray(ctx.logitsOf, pixels), ctx.model.numClasses).index;
  return predicted.filter((p, i) => p === labels[i]).length;
}
