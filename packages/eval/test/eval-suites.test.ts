import { describe, expect, it } from 'vitest';
import { PluginRegistry, pluginContainer, pluginModule, z } from '@selfkd/core';
import { builtinEvalSuites, defineEvalSuite, evalConfigSchemaOf, evalMetrics, metricDirection, module } from '@selfkd/eval';

const constantSuite = (name: string, key: string) =>
  defineEvalSuite({
    name,
    description: 'reports a constant',
    options: z.strictObject({ [key]: z.strictObject({ value: z.number().default(1) }).prefault({}) }),
    run: async (_ctx, options) => options,
    metrics: () => [{ name: `${name}.value`, value: 1 }],
    direction: (metric) => (metric === `${name}.value` ? 'higher' : undefined),
  });

describe('the evaluation suites as plugin contributions', () => {
  it('are what @selfkd/eval’s module contributes, in the order `all` runs them', () => {
    expect(new PluginRegistry(pluginContainer([module])).evalSuites().map((s) => s.name)).toEqual(['classification', 'calibration', 'adversarial', 'ood', 'shift']);
    expect(new PluginRegistry(pluginContainer([module])).evalSuite('ood')).toBe(builtinEvalSuites[3]);
  });

  it('refuses two suites of one name, and an unknown name naming the loaded ones', () => {
    const twice = new PluginRegistry(pluginContainer([module, pluginModule({ evalSuites: [constantSuite('shift', 'other')] })]));
    expect(() => twice.evalSuites()).toThrow('two plugins contribute the evaluation suite "shift"');
    expect(() => new PluginRegistry(pluginContainer([module])).evalSuite('fairness')).toThrow(
      'no loaded plugin contributes the evaluation suite "fairness"; loaded: classification, calibration, adversarial, ood, shift',
    );
  });

  it('compose the eval: schema from their keys, refusing a key two suites claim', () => {
    const schema = evalConfigSchemaOf([...builtinEvalSuites, constantSuite('constant', 'constant')]);
    expect(schema.parse({ suite: 'constant' })).toMatchObject({ suite: 'constant', batchSize: 250, constant: { value: 1 }, fgsm: { maxImages: 1000 } });
    expect(schema.safeParse({ constant: { value: 'x' } }).success).toBe(false);
    expect(() => evalConfigSchemaOf([...builtinEvalSuites, constantSuite('pgd-again', 'pgd')])).toThrow(
      'the evaluation suite "pgd-again" adds the eval key "pgd", which the suite "adversarial" already uses',
    );
    expect(() => evalConfigSchemaOf([constantSuite('sizes', 'batchSize')])).toThrow('which the evaluation runner already uses');
    // `basic` names the classification suite, so it exists only where that suite is loaded.
    expect(evalConfigSchemaOf([constantSuite('constant', 'constant')]).safeParse({ suite: 'basic' }).success).toBe(false);
  });
});

describe('the classification suite', () => {
  // Three samples; with K classes each row's logits are 0 except the label's (k − 1 for sample k).
  const run = (numClasses: number) => {
    const labels = Int32Array.from([0, 1, 2]);
    const logits = new Float32Array(3 * numClasses);
    labels.forEach((y, i) => (logits[i * numClasses + y] = i - 1));
    const ctx = { model: { numClasses }, testLogits: async () => ({ logits, labels }) };
    return builtinEvalSuites[0]!.run(ctx as never, {}, undefined) as Promise<Record<string, number>>;
  };

  it('reports top-5 only with more than 5 classes, where it can differ from 1', async () => {
    const six = await run(6);
    // Sample 0's label has logit −1 below five zeros: it is 6th, outside the top 5; the others are in it.
    expect(six.top5).toBeCloseTo(2 / 3, 12);
    expect(six.top1).toBeCloseTo(1 / 3, 12);
    expect('top5' in (await run(5))).toBe(false);
  });
});

describe('flattened metrics', () => {
  it('are each suite’s own, and a suite missing from the list gives nothing', () => {
    const report = { constant: { value: 2 }, calibration: { ece: 0.1, ecePsKd: 0.2, mce: Number.NaN } };
    expect(evalMetrics(report, [constantSuite('constant', 'constant'), ...builtinEvalSuites])).toEqual([
      { name: 'constant.value', value: 1 },
      { name: 'ece', value: 0.1 },
      { name: 'ecePsKd', value: 0.2 },
    ]);
    expect(evalMetrics(report)).toEqual([
      { name: 'ece', value: 0.1 },
      { name: 'ecePsKd', value: 0.2 },
    ]);
  });

  it('have the direction their suite gives; a name no suite claims counts as higher-is-better', () => {
    for (const name of ['nll', 'brier', 'ece', 'ecePsKd', 'mce', 'aurc', 'eaurc', 'ood.gaussian-noise.energy.fprAt95Tpr', 'ood.mnist@/data/k.mnist.msp.fprAt95Tpr']) {
      expect(metricDirection(name), name).toBe('lower');
    }
    for (const name of ['top1', 'top5', 'fgsm.clean', 'fgsm.eps=0.01', 'pgd', 'ood.x.msp.auroc', 'ood.x.odin.auprOut', 'shift.clean', 'shift.rotate.s3']) {
      expect(metricDirection(name), name).toBe('higher');
    }
    expect(builtinEvalSuites.map((s) => s.direction('fairness.gap'))).toEqual([undefined, undefined, undefined, undefined, undefined]);
    expect(metricDirection('constant.value', [constantSuite('constant', 'constant')])).toBe('higher');
  });
});
