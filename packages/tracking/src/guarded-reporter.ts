import type { TrainingReporter } from '@selfkd/trainer';

const HOOKS = ['runStart', 'epochStart', 'step', 'epochEnd', 'evaluationEnd', 'message', 'close'] as const;

/**
 * A reporter that can never break training: the first error any of its hooks throws (a full
 * disk, a folder that cannot be created) is reported once through `warn`, and the reporter is
 * silent from then on. The run itself goes on.
 */
export function guardReporter(name: string, reporter: TrainingReporter, warn: (message: string) => void): TrainingReporter {
  let failed = false;
  const guarded: TrainingReporter = {};
  for (const hook of HOOKS) {
    const method = reporter[hook] as ((...args: unknown[]) => void) | undefined;
    if (!method) continue;
    (guarded as Record<string, unknown>)[hook] = (...args: unknown[]) => {
      if (failed) return;
      try {
        method.apply(reporter, args);
      } catch (error) {
        failed = true;
        warn(`${name}: ${(error as Error).message}; ${name} logging is off for the rest of this run (training goes on)`);
        try {
          reporter.close?.();
        } catch {
          // Already failing: the first error is the one worth reporting.
        }
      }
    };
  }
  return guarded;
}
