import { InputError } from '@selfkd/core';

/** A checkpoint that failed its checks: which file, and what is wrong with it. */
export class DamagedCheckpointError extends InputError {
  constructor(
    message: string,
    /** An intact older checkpoint folder, when there is one. */
    readonly fallback?: string,
  ) {
    super(message);
    this.name = 'DamagedCheckpointError';
  }
}
