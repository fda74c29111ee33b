import type { AugmentOptions, ImageSplit, LoadOptions, Normalization } from './types.js';

/** What a dataset reader gets: the folder the config names (if any) and the loader's options. */
export interface ReadRequest {
  dataDir?: string;
  load: LoadOptions;
  progress: (message: string) => void;
}

/** A dataset as read from its source, before subsetting. */
export interface RawDataset {
  train: ImageSplit;
  test: ImageSplit;
  source: string;
}

/** One dataset of the catalog: its fixed facts, its defaults and how to read it. */
export interface DatasetDefinition {
  name: string;
  description: string;
  imageShape: [number, number, number];
  classNames: string[];
  /** Training-set statistics, applied unless the config sets `normalize: false`. */
  normalization: Normalization;
  augment: AugmentOptions;
  /** Whether the data comes from files, so a config may say where (`dataDir`). */
  fileBased: boolean;
  read(request: ReadRequest): Promise<RawDataset>;
}
