import { normalize as normalizePath } from 'node:path';
import { z } from '@selfkd/core';
import { datasetCatalog, loadDataset } from '@selfkd/data';
import { evaluationRows } from '../runner/evaluation-rows.js';
import { byteImageSource, type ImageSource } from '../runner/image-source.js';
import { noiseImageSource } from './noise-images.js';

const NOISE_SETS = { 'gaussian-noise': 'gaussian', 'uniform-noise': 'uniform' } as const;

/** What an OOD set name may be, for error messages. */
export function knownOodSets(): string {
  const datasets = datasetCatalog.map((d) => d.name).join(', ');
  return `${Object.keys(NOISE_SETS).join(', ')}, a dataset (${datasets}), or DATASET@FOLDER (that dataset's files read from FOLDER)`;
}

/** Why `name` is not a valid OOD set name, or undefined when it is. */
export function oodSetNameProblem(name: string): string | undefined {
  if (name in NOISE_SETS) return undefined;
  const { dataset, folder } = splitName(name);
  if (!datasetCatalog.some((d) => d.name === dataset)) return `unknown OOD set ${JSON.stringify(name)}; known: ${knownOodSets()}`;
  if (folder === '') return `OOD set ${JSON.stringify(name)} names no folder after "@"`;
  if (folder !== undefined && !fileBasedDatasets().includes(dataset)) {
    return `OOD set ${JSON.stringify(name)}: ${dataset} is not read from files, so it takes no @FOLDER; file-based datasets: ${fileBasedDatasets().join(', ')}`;
  }
  return undefined;
}

export interface OodSetRequest {
  /** The model's `[H, W, C]`: dataset images are converted to it (see toInputShape). */
  inputShape: readonly number[];
  /** How many noise images to make. */
  noiseImages: number;
  /** Cap on a dataset's test images (seeded subset), null = all. */
  maxImages: number | null;
  seed: number;
  /** The loader's data folder (the CLI's --data-dir) for dataset sets without `@FOLDER`. */
  dataDir?: string;
}

/**
 * Opens an OOD set by name: synthetic noise (see noiseImageSource), or the test split of a
 * selfkd dataset read by `loadDataset` — from `FOLDER` for `DATASET@FOLDER`, where a copy found
 * anywhere else (system folder, download cache) is an error rather than a silent substitute.
 */
export async function openOodSet(name: string, request: OodSetRequest): Promise<ImageSource> {
  const problem = oodSetNameProblem(name);
  if (problem) throw new Error(problem);
  if (name in NOISE_SETS) {
    return noiseImageSource(name, NOISE_SETS[name as keyof typeof NOISE_SETS], request.noiseImages, request.inputShape, request.seed);
  }
  const { dataset: datasetName, folder } = splitName(name);
  const dataset = await loadDataset(folder === undefined ? { name: datasetName } : { name: datasetName, dataDir: folder }, {
    dataDir: request.dataDir,
  });
  if (folder !== undefined && !dataset.source.startsWith(normalizePath(folder))) {
    throw new Error(`OOD set ${name}: no ${datasetName} files in ${folder} (a copy was found at ${dataset.source} instead)`);
  }
  const rows = evaluationRows(dataset.test.size, request.maxImages, request.seed, `ood/${name}`);
  return byteImageSource(name, dataset.test.images, dataset.imageShape, rows, request.inputShape);
}

/** Datasets whose options accept a `dataDir`, i.e. that are read from files. */
function fileBasedDatasets(): string[] {
  return datasetCatalog.filter((d) => d.options instanceof z.ZodObject && 'dataDir' in d.options.shape).map((d) => d.name);
}

function splitName(name: string): { dataset: string; folder?: string } {
  const at = name.indexOf('@');
  return at < 0 ? { dataset: name } : { dataset: name.slice(0, at), folder: name.slice(at + 1) };
}
