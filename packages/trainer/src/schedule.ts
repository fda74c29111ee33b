import type { ScheduleConfig } from '@selfkd/core';

/**
 * Learning rate for a 0-based epoch, stepped once per epoch as PyTorch's epoch schedulers are.
 * Warmup ramps linearly to the base rate over `warmupEpochs` (epoch e gets base·(e+1)/warmup);
 * the schedule proper then runs over the remaining epochs.
 */
export function learningRateAt(schedule: ScheduleConfig, baseLr: number, epoch: number, totalEpochs: number): number {
  const warmup = schedule.warmupEpochs;
  if (epoch < warmup) return (baseLr * (epoch + 1)) / warmup;
  switch (schedule.name) {
    case 'constant':
      return baseLr;
    case 'multistep':
      return baseLr * schedule.gamma ** schedule.milestones.filter((m) => m <= epoch).length;
    case 'cosine': {
      const span = Math.max(1, totalEpochs - warmup);
      const progress = (epoch - warmup) / span;
      return schedule.minLr + ((baseLr - schedule.minLr) * (1 + Math.cos(Math.PI * progress))) / 2;
    }
  }
}
