import { ConfigError, Rng, toConfigIssues, type DatasetContribution, type NamedComponentConfig } from '@selfkd/core';
import { cifar10, cifar100 } from './datasets/cifar.js';
import { fashionMnist } from './datasets/fashion-mnist.js';
import { mnist } from './datasets/mnist.js';
import { mnistDigits } from './datasets/mnist-digits.js';
import { DatasetError } from './errors.js';
import { datasetOptionsSchema, type DatasetOptions } from './options.js';
import { selectRows, stratifiedSample } from './stratify.js';
import { carveValidation } from './validation-split.js';
import type { DatasetDefinition } from './definition.js';
import type { Dataset, ImageSplit, LoadOptions } from './types.js';

const definitions: readonly DatasetDefinition[] = [mnistDigits, fashionMnist, mnist, cifar10, cifar100];
const schemas = new Map(definitions.map((d) => [d.name, datasetOptionsSchema(d)]));

/**
 * Every dataset a config may name, with its strict options schema (defaults filled in on parse)
 * and how to load it: what this package contributes as a plugin.
 */
export const datasetCatalog: DatasetContribution<Dataset, LoadOptions>[] = definitions.map((d) => ({
  name: d.name,
  description: d.description,
  options: schemas.get(d.name)!,
  load: (options, loadOptions) => loadDataset({ name: d.name, ...options }, loadOptions),
}));

/**
 * Reads the dataset a `data:` config section names (`{name, ...options}`; raw or already
 * validated), takes the stratified `trainSize` subset if asked, holds the `validation` images out
 * of what is left to train on, and resolves augmentation and normalisation. Throws a ConfigError for bad options, a DatasetError for data it cannot read.
 */
export async function loadDataset(config: NamedComponentConfig, options: LoadOptions = {}): Promise<Dataset> {
  const { name, ...rawOptions } = config;
  const definition = definitions.find((d) => d.name === name);
  if (!definition) {
    throw new ConfigError(
      [{ path: 'data.name', value: name, message: `unknown dataset; known: ${definitions.map((d) => d.name).join(', ')}` }],
      'data config',
    );
  }
  const schema = schemas.get(definition.name)!;
  const parsed = schema.safeParse(rawOptions);
  if (!parsed.success) throw new ConfigError(toConfigIssues(parsed.error, schema, rawOptions, ['data']), 'data config');
  const opts: DatasetOptions = parsed.data;

  const progress = options.onProgress ?? (() => {});
  const raw = await definition.read({ dataDir: opts.dataDir, load: options, progress });
  const [height, width, channels] = definition.imageShape;
  const pool = opts.trainSize === undefined ? raw.train : trainSubset(definition, raw.train, opts.trainSize, opts.subsetSeed);
  const { train, validation } =
    opts.validation === undefined
      ? { train: pool, validation: undefined }
      : carveValidation(pool, {
          validation: opts.validation,
          seed: options.seed ?? 0,
          classNames: definition.classNames,
          pixelsPerImage: height * width * channels,
        });
  return {
    name: definition.name,
    imageShape: [height, width, channels],
    numClasses: definition.classNames.length,
    classNames: [...definition.classNames],
    train,
    ...(validation ? { validation } : {}),
    test: raw.test,
    normalization: opts.normalize
      ? { mean: [...definition.normalization.mean], std: [...definition.normalization.std] }
      : { mean: Array<number>(channels).fill(0), std: Array<number>(channels).fill(1) },
    augment: { ...opts.augment },
    source: raw.source,
  };
}

/** The stratified subset; it depends on `subsetSeed` only, so runs with different seeds share it. */
function trainSubset(definition: DatasetDefinition, train: ImageSplit, size: number, subsetSeed: number): ImageSplit {
  if (size > train.size) {
    throw new DatasetError(`data.trainSize: ${size} exceeds the ${train.size} training images of ${definition.name}; allowed: 1..${train.size}`);
  }
  const rows = stratifiedSample(train.labels, definition.classNames.length, size, Rng.derive(subsetSeed, 'train-subset'));
  const [height, width, channels] = definition.imageShape;
  return selectRows(train, rows, height * width * channels);
}
