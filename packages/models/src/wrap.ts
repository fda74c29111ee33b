import type * as tfl from '@tensorflow/tfjs-layers';
import { LayersClassifier, METADATA_KEY, type ClassifierModel, type ModelMetadata } from './classifier.js';

export interface WrapOptions {
  /** A name for the model family, recorded in its metadata (e.g. `my-convnet`). */
  kind: string;
  /** Tap name → the layer whose output it is. */
  taps?: Record<string, string>;
}

/**
 * A ClassifierModel over a functional LayersModel of your own, to train with selfkd: its layer
 * named FEATURES_LAYER (`'features'`) gives the penultimate features `[B, C]` and the dense layer
 * named HEAD_LAYER (`'head'`) maps them to the logits. The kind and taps are written into the
 * model's metadata, so what the trainer saves loads again with `loadModel`.
 */
export function classifierFromLayersModel(layersModel: tfl.LayersModel, options: WrapOptions): ClassifierModel {
  const metadata: ModelMetadata = { kind: options.kind, options: {}, taps: options.taps ?? {} };
  layersModel.setUserDefinedMetadata({ ...(layersModel.getUserDefinedMetadata() ?? {}), [METADATA_KEY]: metadata });
  return new LayersClassifier(layersModel);
}
