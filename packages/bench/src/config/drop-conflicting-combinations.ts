import type { RegularizerPlugin } from '@selfkd/core';
import type { BenchConfig, ExpandedCombination } from './bench-config.js';

/** A generated combination left out, and why. */
export interface SkippedCombination {
  name: string;
  reason: string;
}

/**
 * Removes the generated combinations (and grid points of them) whose regularizers cannot run
 * together, by the rules training-config validation applies: each plugin's `checkCombination`, and
 * at most one regularizer owning the batch sampler. A listed combination is kept whatever it holds,
 * so that run validation refuses it with its message. Types no plugin knows are kept for the same reason.
 */
export function dropConflictingCombinations(config: BenchConfig, plugins: readonly RegularizerPlugin<object>[]): { config: BenchConfig; skipped: SkippedCombination[] } {
  const skipped: SkippedCombination[] = [];
  const combinations = config.combinations.filter((combination) => {
    const reason = combination.generated ? conflict(combination, plugins) : undefined;
    if (reason !== undefined) skipped.push({ name: combination.name, reason });
    return reason === undefined;
  });
  return { config: { ...config, combinations }, skipped };
}

function conflict(combination: ExpandedCombination, plugins: readonly RegularizerPlugin<object>[]): string | undefined {
  const env = { types: combination.regularizers.map((entry) => entry.type) };
  const used = combination.regularizers.flatMap((entry) => plugins.filter((p) => p.type === entry.type));
  const owners = used.filter((plugin) => plugin.ownsSampler).map((plugin) => plugin.type);
  if (owners.length > 1) return `${owners.join(' and ')} each supply the batch sampler; at most one regularizer may own it`;
  for (const plugin of used) {
    const message = plugin.checkCombination?.(env);
    if (message !== undefined) return `${plugin.type}: ${message}`;
  }
  return undefined;
}
