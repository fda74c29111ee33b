import { describe, expect, it } from 'vitest';
import type { TrainingReporter } from '@selfkd/trainer';
import { combineReporters } from '../src/combined-reporter.js';

describe('combineReporters', () => {
  it('forwards every hook to each reporter in order, skipping hooks a reporter lacks', () => {
    const calls: string[] = [];
    const full = (name: string): TrainingReporter => ({
      runStart: () => calls.push(`${name} runStart`),
      epochStart: (e) => calls.push(`${name} epochStart ${e}`),
      step: (s) => calls.push(`${name} step ${s.stepInEpoch}`),
      epochEnd: (r) => calls.push(`${name} epochEnd ${r.epoch}`),
      evaluationEnd: (report) => calls.push(`${name} evaluationEnd ${JSON.stringify(report)}`),
      message: (t) => calls.push(`${name} message ${t}`),
      close: () => calls.push(`${name} close`),
    });
    const combined = combineReporters(full('a'), { close: () => calls.push('b close') }, full('c'));
    combined.runStart!({ backend: 'cpu', provider: 'p', seed: 0, totalEpochs: 1, startEpoch: 0, stepsPerEpoch: 1, trainSamples: 1, regularizers: [] });
    combined.epochStart!(0, 1, 1);
    combined.step!({ epoch: 0, stepInEpoch: 1, stepsPerEpoch: 1, samplesPerSecond: 1, losses: {} });
    combined.epochEnd!({ epoch: 1, lr: 0.1, train: {}, test: { top1: 1, nll: 0 }, seconds: 1 });
    combined.evaluationEnd!({ ece: 0.1 });
    combined.message!('hi');
    combined.close!();
    expect(calls).toEqual([
      'a runStart', 'c runStart',
      'a epochStart 0', 'c epochStart 0',
      'a step 1', 'c step 1',
      'a epochEnd 1', 'c epochEnd 1',
      'a evaluationEnd {"ece":0.1}', 'c evaluationEnd {"ece":0.1}',
      'a message hi', 'c message hi',
      'a close', 'b close', 'c close',
    ]);
  });
});
