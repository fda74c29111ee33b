import type { BenchPlan } from './plan-bench.js';

/** The plan as `selfkd bench --dry-run` prints it: the counts, one line per run, the estimate. */
export function formatPlan(plan: BenchPlan): string {
  const lines = [
    `${plan.combinations} combination(s)${plan.groups ? ` (${plan.groups} grid(s))` : ''} × ${plan.seeds} seed(s) = ${plan.runs.length} run(s): ` +
      `${plan.finished} finished, ${plan.toRun} to train`,
    ...plan.runs.map((run) => {
      const state = run.finished ? 'finished' : run.estimateSeconds === null ? 'to train' : `to train, ~${formatDuration(run.estimateSeconds)} (${run.estimateFrom})`;
      return `  ${run.key}${run.group === null ? '' : `  [group ${run.group}]`}  ${state}`;
    }),
  ];
  if (plan.toRun === 0) lines.push('nothing to train');
  else if (plan.wallSeconds === null) lines.push('estimated time: unknown (no measured step time or finished runs to go by)');
  else {
    lines.push(
      `estimated time: ~${formatDuration(plan.wallSeconds)} with ${plan.workers} worker(s) (${formatDuration(plan.trainingSeconds!)} of training in all; ` +
        'evaluation and regularizers that add forward passes make runs longer than the step time says)',
    );
  }
  return `${lines.join('\n')}\n`;
}

function formatDuration(seconds: number): string {
  if (seconds < 10) return `${seconds.toFixed(1)} s`;
  if (seconds < 90) return `${Math.round(seconds)} s`;
  if (seconds < 5400) return `${Math.round(seconds / 60)} min`;
  return `${(seconds / 3600).toFixed(1)} h`;
}
