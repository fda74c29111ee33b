import { existsSync } from 'node:fs';
import { InputError } from '@selfkd/core';

/** A --data-dir that is not there is a mistake, even for a dataset that would not read it. */
export function assertDataDir(dir: string | undefined): void {
  if (dir !== undefined && !existsSync(dir)) throw new InputError(`--data-dir ${dir} does not exist`);
}
