import * as tfl from '@tensorflow/tfjs-layers';
import { ConfigError, toConfigIssues, type ModelContribution, type NamedComponentConfig } from '@selfkd/core';
import type { Architecture } from './architectures/architecture.js';
import { cnn } from './architectures/cnn.js';
import { mlp } from './architectures/mlp.js';
import { resnet18 } from './architectures/resnet18.js';
import { HEAD_LAYER, LayersClassifier, METADATA_KEY, type ClassifierModel, type ModelMetadata } from './classifier.js';
import { seededInitializers } from './init.js';
import { checkModelSpec, type ModelSpec } from './spec.js';

const architectures: readonly Architecture[] = [mlp, cnn, resnet18];

/**
 * Every model a config may name, with its strict options schema (defaults filled in on parse), its
 * taps, and how to build it from parsed options: what this package contributes as a plugin.
 */
export const modelCatalog: ModelContribution<ClassifierModel, ModelSpec>[] = architectures.map((a) => ({
  name: a.name,
  description: a.description,
  options: a.options,
  taps: (parsed) => Object.keys(a.taps(parsed)),
  create: (options, spec) => buildModel(a, options, spec),
}));

/**
 * Builds a freshly initialised model from a `model:` config section (`{name, ...options}`; options
 * may be raw or already validated) for the given data. Same seed, same config → identical weights.
 * Throws a ConfigError naming the option for a bad config, an Error naming the field for a bad spec.
 */
export function createModel(config: NamedComponentConfig, spec: ModelSpec): ClassifierModel {
  const { name, ...rawOptions } = config;
  const architecture = architectures.find((a) => a.name === name);
  if (!architecture) {
    throw new ConfigError(
      [{ path: 'model.name', value: name, message: `unknown model; known: ${architectures.map((a) => a.name).join(', ')}` }],
      'model config',
    );
  }
  const parsed = architecture.options.safeParse(rawOptions);
  if (!parsed.success) throw new ConfigError(toConfigIssues(parsed.error, architecture.options, rawOptions, ['model']), 'model config');
  return buildModel(architecture, parsed.data as Record<string, unknown>, spec);
}

function buildModel(architecture: Architecture, options: Record<string, unknown>, spec: ModelSpec): ClassifierModel {
  checkModelSpec(spec);
  const input = tfl.input({ shape: spec.inputShape, name: 'input' });
  const features = architecture.buildFeatures(input, options, spec);
  const head = tfl.layers.dense({
    name: HEAD_LAYER,
    units: spec.numClasses,
    ...seededInitializers(spec.seed, HEAD_LAYER, features.shape[1]!),
  });
  const logits = head.apply(features) as tfl.SymbolicTensor;
  const layersModel = tfl.model({ inputs: input, outputs: logits, name: architecture.name });
  const metadata: ModelMetadata = { kind: architecture.name, options, taps: architecture.taps(options) };
  layersModel.setUserDefinedMetadata({ [METADATA_KEY]: metadata });
  return new LayersClassifier(layersModel);
}
