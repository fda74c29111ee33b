import { describe, expect, it } from 'vitest';
import { validateConfig, z, type ConfigCatalog } from '@selfkd/core';
import { configIssues } from '../../../test/support/plugin-catalog.js';

const catalog: ConfigCatalog = {
  plugins: [],
  models: [{ name: 'mlp', description: 'any model', options: z.strictObject({}) }],
  datasets: [{ name: 'digits', description: 'any dataset', options: z.strictObject({ validation: z.number().optional() }) }],
};
const raw = (data: object, train: object = {}) => ({
  data: { name: 'digits', ...data },
  model: { name: 'mlp' },
  train: { epochs: 1, optimizer: { name: 'sgd', lr: 0.1 }, ...train },
});

describe('train.selectBy', () => {
  it('has no default, so configs without it resolve as before', () => {
    expect('selectBy' in validateConfig(raw({}), catalog).train).toBe(false);
    expect(validateConfig(raw({ validation: 0.1 }, { selectBy: 'val-nll' }), catalog).train.selectBy).toBe('val-nll');
  });

  it('names what is allowed, and needs data.validation to select on', () => {
    expect(configIssues(raw({ validation: 0.1 }, { selectBy: 'test-top1' }), catalog)).toEqual([
      'train.selectBy | "test-top1" | Invalid option: expected one of "val-top1"|"val-nll"',
    ]);
    expect(configIssues(raw({}, { selectBy: 'val-top1' }), catalog)).toEqual([
      'train.selectBy | "val-top1" | selects the best epoch on the validation split, but data.validation is not set; set data.validation (e.g. 0.1) or remove train.selectBy',
    ]);
  });
});
