export type { AugmentOptions, Dataset, FetchBytes, ImageSplit, LoadOptions, Normalization } from './types.js';
export { datasetCatalog, loadDataset } from './catalog.js';
export { makeBatch, normalize, pixelBatch, type SplitName } from './batch.js';
export { DatasetError } from './errors.js';
export { module } from './module.js';
