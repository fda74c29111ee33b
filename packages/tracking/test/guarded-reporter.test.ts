import type { EpochRecord, TrainingReporter } from '@selfkd/trainer';
import { describe, expect, it } from 'vitest';
import { guardReporter } from '../src/guarded-reporter.js';

const record = (epoch: number): EpochRecord => ({ epoch, lr: 0.1, train: { total: 1 }, test: { top1: 0.5, nll: 1 }, seconds: 1 });

describe('guardReporter', () => {
  it('reports the first error once, closes the reporter, and ignores every later call', () => {
    const calls: string[] = [];
    const failing: TrainingReporter = {
      epochEnd(r) {
        calls.push(`epochEnd ${r.epoch}`);
        if (r.epoch === 2) throw new Error('ENOSPC: no space left on device, write');
      },
      close() {
        calls.push('close');
      },
    };
    const warnings: string[] = [];
    const guarded = guardReporter('tensorboard', failing, (m) => warnings.push(m));
    for (let epoch = 1; epoch <= 4; epoch++) expect(() => guarded.epochEnd!(record(epoch))).not.toThrow();
    guarded.close!();
    expect(calls).toEqual(['epochEnd 1', 'epochEnd 2', 'close']);
    expect(warnings).toEqual(['tensorboard: ENOSPC: no space left on device, write; tensorboard logging is off for the rest of this run (training goes on)']);
  });

  it('offers only the hooks the reporter has, so combined reporters skip the rest', () => {
    const guarded = guardReporter('x', { step() {} }, () => {});
    expect(Object.keys(guarded)).toEqual(['step']);
  });
});
