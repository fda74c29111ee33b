/** One split of a dataset, kept as bytes: tensors are made per batch. */
export interface ImageSplit {
  /** N·H·W·C pixel values 0..255, NHWC (channels last). */
  images: Uint8Array;
  labels: Int32Array;
  size: number;
}

/** Per-channel mean and standard deviation in pixel space [0, 1]. */
export interface Normalization {
  mean: number[];
  std: number[];
}

export interface AugmentOptions {
  /** Zero padding on every side before a random crop back to the original size; 0 = no crop. */
  cropPadding: number;
  /** Random horizontal flip with probability 1/2. */
  flip: boolean;
}

export interface Dataset {
  name: string;
  /** [height, width, channels]. */
  imageShape: [number, number, number];
  numClasses: number;
  classNames: string[];
  train: ImageSplit;
  /**
   * Images held out of the training split (`data.validation`) to select an epoch on; absent when
   * the config asks for none. Never trained on, never augmented.
   */
  validation?: ImageSplit;
  test: ImageSplit;
  /** What makeBatch applies; the identity (mean 0, std 1) when the config turns normalisation off. */
  normalization: Normalization;
  augment: AugmentOptions;
  /** Where the data was read from (recorded with results). */
  source: string;
}

/** Fetches a URL's body; injectable so tests can exercise download, checksum and cache logic offline. */
export type FetchBytes = (url: string) => Promise<Uint8Array>;

export interface LoadOptions {
  /** A folder holding the dataset's files (or a sub-folder named after the dataset); the CLI's --data-dir. */
  dataDir?: string;
  onProgress?: (message: string) => void;
  /** Replaces the network fetch used to download missing files (default: Node's global fetch). */
  fetch?: FetchBytes;
  /** The run's seed, which draws the `validation` split (default 0, the config's default seed). */
  seed?: number;
}
