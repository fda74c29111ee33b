import { describe, expect, it } from 'vitest';
import { defineRegularizerPlugin, toConfigFile, validateConfig, z, type ConfigCatalog, type RegularizerPlugin } from '@selfkd/core';
import { configIssues } from '../../../test/support/plugin-catalog.js';

const tapReader = defineRegularizerPlugin<{ tap: string }>({
  type: 'tap-reader',
  description: 'reads one tap',
  options: z.strictObject({ tap: z.string().default('hidden1') }),
  defaultWeight: () => 1,
  taps: ({ tap }) => [tap],
  create: () => {
    throw new Error('not needed here');
  },
});

const catalog: ConfigCatalog = {
  plugins: [tapReader] as RegularizerPlugin<object>[],
  models: [
    {
      name: 'mlp',
      description: 'taps hidden1…hiddenN',
      options: z.strictObject({ hidden: z.array(z.number().int().positive()).default([8, 8]) }),
      taps: (o) => (o.hidden as number[]).map((_, i) => `hidden${i + 1}`),
    },
    { name: 'opaque', description: 'says nothing about taps', options: z.strictObject({}) },
  ],
  datasets: [{ name: 'digits', description: 'digits', options: z.strictObject({}) }],
};

const good = { data: { name: 'digits' }, model: { name: 'mlp' }, train: { epochs: 1, optimizer: { name: 'sgd', lr: 0.1 } } };

describe('the task loss in a config', () => {
  it('has weight 1 unless `task.weight` says otherwise, and keeps it through the file form', () => {
    expect(validateConfig(good, catalog).task).toEqual({ weight: 1 });
    const weighted = validateConfig({ ...good, task: { weight: 0.25 } }, catalog);
    expect(weighted.task).toEqual({ weight: 0.25 });
    expect(validateConfig(JSON.parse(JSON.stringify(toConfigFile(weighted))), catalog)).toEqual(weighted);
  });

  it('rejects a negative weight and unknown keys under `task`', () => {
    const issues = configIssues({ ...good, task: { weight: -1, scale: 2 } }, catalog).join('\n');
    expect(issues).toMatch(/task\.weight \| -1 \|/);
    expect(issues).toContain('task.scale | 2 | unknown key "scale"; allowed keys: weight');
  });

  it('reserves `task` and `total` as regularizer names, whether they come from `name` or from `type`', () => {
    const named = configIssues({ ...good, regularizers: [{ type: 'tap-reader', name: 'total' }] }, catalog);
    expect(named).toEqual([expect.stringMatching(/^regularizers\[0\]\.name \| "total" \| "total" names a loss value the trainer logs itself \(reserved: task, total\)/)]);
    const taskPlugin = { ...tapReader, type: 'task' } as RegularizerPlugin<object>;
    const typed = configIssues({ ...good, regularizers: [{ type: 'task' }] }, { ...catalog, plugins: [taskPlugin] });
    expect(typed).toEqual([expect.stringMatching(/^regularizers\[0\]\.type \| "task" \| "task" names a loss value the trainer logs itself/)]);
  });
});

describe('taps asked for by a regularizer', () => {
  it('are accepted when the model exposes them with its options', () => {
    expect(validateConfig({ ...good, regularizers: [{ type: 'tap-reader', tap: 'hidden2' }] }, catalog).regularizers[0]!.options.tap).toBe('hidden2');
  });

  it('are rejected naming the regularizer, the tap, the model and the taps it has', () => {
    const issues = configIssues({ ...good, model: { name: 'mlp', hidden: [8] }, regularizers: [{ type: 'tap-reader', tap: 'hidden2' }] }, catalog);
    expect(issues).toEqual(['regularizers[0] | "hidden2" | tap-reader asks for the tap "hidden2", which model "mlp" does not expose; its taps: hidden1']);
  });

  it('are left to the trainer when the model entry does not say which taps it has', () => {
    expect(() => validateConfig({ ...good, model: { name: 'opaque' }, regularizers: [{ type: 'tap-reader', tap: 'x' }] }, catalog)).not.toThrow();
  });
});
