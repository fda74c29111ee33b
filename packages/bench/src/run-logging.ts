import { join } from 'node:path';
import { isPlainObject } from './config/deep-merge.js';

/**
 * A bench run's `logging:` section: the base config's, with a TensorBoard folder of its own,
 * `<tensorboard>/<combination>/seed-<s>` (TensorBoard lists each as a run of the same log folder),
 * and its MLflow and W&B run named `<combination>/seed-<s>` in the shared stores. A malformed section is
 * passed on unchanged for the config validation to report.
 */
export function runLogging(logging: unknown, combination: string, seed: number): unknown {
  if (!isPlainObject(logging)) return logging;
  const section = logging;
  const run = `${combination}/seed-${seed}`;
  return {
    ...section,
    ...(typeof section.tensorboard === 'string' ? { tensorboard: join(section.tensorboard, combination, `seed-${seed}`) } : {}),
    runName: typeof section.runName === 'string' ? `${section.runName}/${run}` : run,
  };
}
