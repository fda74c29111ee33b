import { InputError } from '@selfkd/core';

/** A dataset that cannot be read: missing, truncated or corrupt files, or options the data cannot satisfy. */
export class DatasetError extends InputError {
  constructor(message: string) {
    super(message);
    this.name = 'DatasetError';
  }
}

/** Runs `parse` on one file, turning its failure into a DatasetError naming the dataset, the file and the fix. */
export function parseFileOrFail<T>(dataset: string, path: string, fix: string, parse: () => T): T {
  try {
    return parse();
  } catch (err) {
    throw new DatasetError(`${dataset}: ${path}: ${(err as Error).message}. ${fix}`);
  }
}
