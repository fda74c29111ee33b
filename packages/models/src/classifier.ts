import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import type { ForwardOutput } from '@selfkd/core';
import { fileSaveHandler } from './file-io.js';
import { fuseTrainingBatchNorm } from './fused-batch-norm.js';

/** Layer names that mark the features/head split inside the LayersModel, so a loaded model can rebuild it. */
export const FEATURES_LAYER = 'features';
export const HEAD_LAYER = 'head';
/** Key of the model's entry in the LayersModel's user-defined metadata (written into model.json). */
export const METADATA_KEY = 'selfkd';

export interface ModelMetadata {
  kind: string;
  options: Record<string, unknown>;
  /** Tap name → the layer whose output it is (absent in models saved before taps existed). */
  taps?: Record<string, string>;
}

/** An image classifier split into a backbone (`features`) and its last dense layer (`head`). */
export interface ClassifierModel {
  /** 'mlp' | 'cnn' | 'resnet18' */
  readonly kind: string;
  /** Per sample, `[H, W, C]`. */
  readonly inputShape: readonly number[];
  readonly numClasses: number;
  /** Width C of the penultimate features. */
  readonly featureDim: number;
  /** Per-sample shape of each named intermediate output ("tap") that `forward` returns. */
  readonly tapShapes: Readonly<Record<string, readonly number[]>>;
  /** Penultimate features `[B, C]`, after global pooling / the last hidden layer. `training` selects BatchNorm's batch statistics. */
  features(x: tf.Tensor, training: boolean): tf.Tensor2D;
  /** The last dense layer: `head(features(x)) = logits`. SD-Dropout reuses it on dropped-out features. */
  head(f: tf.Tensor2D): tf.Tensor2D;
  /** Features, logits and every tap from one backbone pass. */
  forward(x: tf.Tensor, training: boolean): ForwardOutput;
  /** In a stable order, for tf.variableGrads and optimizers. */
  readonly trainableVariables: tf.Variable[];
  /** The whole model, input → logits, sharing its layers (and weights) with this object. */
  readonly layersModel: tfl.LayersModel;
  /** Writes dir/model.json and dir/weights.bin, BatchNorm running statistics included. */
  save(dir: string): Promise<void>;
  dispose(): void;
}

/**
 * The ClassifierModel over a functional LayersModel whose layers named FEATURES_LAYER and
 * HEAD_LAYER give the split. Built models and loaded models both go through here.
 */
export class LayersClassifier implements ClassifierModel {
  readonly kind: string;
  readonly inputShape: readonly number[];
  readonly numClasses: number;
  readonly featureDim: number;
  readonly tapShapes: Readonly<Record<string, readonly number[]>>;
  readonly trainableVariables: tf.Variable[];
  /**
   * Input → [features, …each tap layer's output]; shares the layers of `layersModel`, so a pass
   * through it is a pass through the backbone. Taps are intermediate results of that same pass.
   */
  private readonly backbone: tfl.LayersModel;
  /** For each tap, its index among the backbone's outputs. */
  private readonly tapOutputs: ReadonlyMap<string, number>;
  private readonly headLayer: tfl.layers.Layer;

  constructor(readonly layersModel: tfl.LayersModel) {
    const metadata = readMetadata(layersModel);
    this.kind = metadata.kind;
    const featuresLayer = findLayer(layersModel, FEATURES_LAYER);
    this.headLayer = findLayer(layersModel, HEAD_LAYER);
    const featuresOutput = featuresLayer.output as tfl.SymbolicTensor;
    // A tap on the features layer itself (an MLP's last hidden layer) reuses output 0.
    const tapLayers = [...new Set(Object.values(metadata.taps ?? {}).filter((name) => name !== FEATURES_LAYER))];
    const outputs = [featuresOutput, ...tapLayers.map((name) => findLayer(layersModel, name).output as tfl.SymbolicTensor)];
    this.tapOutputs = new Map(
      Object.entries(metadata.taps ?? {}).map(([tap, layer]) => [tap, layer === FEATURES_LAYER ? 0 : 1 + tapLayers.indexOf(layer)]),
    );
    this.tapShapes = Object.fromEntries([...this.tapOutputs].map(([tap, i]) => [tap, outputs[i]!.shape.slice(1) as number[]]));
    for (const layer of layersModel.layers) if (layer.getClassName() === 'BatchNormalization') fuseTrainingBatchNorm(layer);
    this.backbone = tfl.model({ inputs: layersModel.inputs, outputs, name: `${layersModel.name}_backbone` });
    this.inputShape = layersModel.inputs[0]!.shape.slice(1) as number[];
    this.featureDim = featuresOutput.shape[1]!;
    this.numClasses = (this.headLayer.output as tfl.SymbolicTensor).shape[1]!;
    this.trainableVariables = layersModel.trainableWeights.map((weight) => {
      // LayerVariable.read() hands out the underlying tf.Variable itself (tfjs-layers' own fit relies on this).
      const variable = weight.read();
      if (!(variable instanceof tf.Variable)) {
        throw new Error(`weight ${weight.name} is not backed by a tf.Variable; tfjs-core and tfjs-layers must be one instance`);
      }
      return variable;
    });
  }

  features(x: tf.Tensor, training: boolean): tf.Tensor2D {
    const [features, ...taps] = this.backbonePass(x, training);
    tf.dispose(taps);
    return features as tf.Tensor2D;
  }

  head(f: tf.Tensor2D): tf.Tensor2D {
    if (f.rank !== 2 || f.shape[1] !== this.featureDim) {
      throw new Error(`head expects features of shape [B, ${this.featureDim}], got [${f.shape.join(', ')}]`);
    }
    return this.headLayer.apply(f) as tf.Tensor2D;
  }

  forward(x: tf.Tensor, training: boolean): ForwardOutput {
    const outputs = this.backbonePass(x, training);
    const features = outputs[0] as tf.Tensor2D;
    const taps = Object.fromEntries([...this.tapOutputs].map(([tap, i]) => [tap, outputs[i]!]));
    return { features, logits: this.head(features), taps };
  }

  async save(dir: string): Promise<void> {
    await this.layersModel.save(fileSaveHandler(dir));
  }

  dispose(): void {
    // Disposing the backbone too would dispose the shared layers twice: tfjs-layers does not
    // count the sub-model as a second owner. The whole model owns every weight.
    this.layersModel.dispose();
  }

  private backbonePass(x: tf.Tensor, training: boolean): tf.Tensor[] {
    this.checkInput(x);
    const result = this.backbone.apply(x, { training }) as tf.Tensor | tf.Tensor[];
    return Array.isArray(result) ? result : [result];
  }

  private checkInput(x: tf.Tensor): void {
    const expected = this.inputShape;
    if (x.rank !== expected.length + 1 || expected.some((d, i) => x.shape[i + 1] !== d)) {
      throw new Error(
        `${this.kind} expects inputs of shape [B, ${expected.join(', ')}] (images, channels last), got [${x.shape.join(', ')}]`,
      );
    }
  }
}

function findLayer(model: tfl.LayersModel, name: string): tfl.layers.Layer {
  const layer = model.layers.find((l) => l.name === name);
  if (!layer) throw new Error(`model "${model.name}" has no layer named "${name}"; selfkd models mark their split with "${FEATURES_LAYER}" and "${HEAD_LAYER}"`);
  return layer;
}

function readMetadata(model: tfl.LayersModel): ModelMetadata {
  const entry = (model.getUserDefinedMetadata() as Record<string, unknown> | undefined)?.[METADATA_KEY] as
    | Partial<ModelMetadata>
    | undefined;
  if (typeof entry?.kind !== 'string') {
    throw new Error(`model "${model.name}" has no userDefinedMetadata.${METADATA_KEY}.kind; it was not saved by @selfkd/models`);
  }
  return { kind: entry.kind, options: entry.options ?? {}, taps: entry.taps };
}
