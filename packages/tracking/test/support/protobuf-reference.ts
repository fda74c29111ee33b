import { resolve } from 'node:path';
import { runProcess } from '../../../../test/support/run-process.js';

/** Debian's python3-protobuf is installed for the system interpreter. */
const PYTHON = '/usr/bin/python3';

/**
 * Runs one of the Python readers in test/protobuf-reference on a file and parses the JSON it
 * prints. They decode with Google's protobuf library: an independent check of the wire format, since
 * no TensorBoard, TensorFlow or wandb client can be installed here. Like the PyTorch cross-checks, a
 * machine without the library fails with instructions instead of skipping.
 */
export async function decodeWithReference<T>(script: string, file: string): Promise<T> {
  const decoder = resolve(import.meta.dirname, '..', 'protobuf-reference', script);
  const run = await runProcess(PYTHON, [decoder, file]);
  if (run.status !== 0) {
    throw new Error(
      `${decoder} failed (status ${run.status}):\n${run.stderr.trim()}\n` +
        'If google.protobuf is missing: apt-get install python3-protobuf (the test command does this when it runs as root).',
    );
  }
  return JSON.parse(run.stdout) as T;
}
