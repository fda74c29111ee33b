import { isPlainObject } from '../config/deep-merge.js';

/**
 * The training process's CPU time (user + system, every thread) as the trainer records it in
 * result.json's `cost.cpuSeconds`; null for runs of a trainer that did not record it.
 */
export function cpuSecondsOf(result: Record<string, unknown>): number | null {
  const cost = isPlainObject(result.cost) ? result.cost : {};
  return typeof cost.cpuSeconds === 'number' && Number.isFinite(cost.cpuSeconds) ? cost.cpuSeconds : null;
}
