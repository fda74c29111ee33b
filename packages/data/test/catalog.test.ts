import { describe, expect, it } from 'vitest';
import { ConfigError, validateConfig, z } from '@selfkd/core';
import { datasetCatalog, loadDataset } from '@selfkd/data';

const parse = (name: string, options: unknown) => datasetCatalog.find((e) => e.name === name)!.options.parse(options);

describe('datasetCatalog', () => {
  it('lists the datasets', () => {
    expect(datasetCatalog.map((e) => e.name)).toEqual(['mnist-digits', 'fashion-mnist', 'mnist', 'cifar10', 'cifar100']);
    for (const entry of datasetCatalog) expect(entry.description.length).toBeGreaterThan(10);
  });

  it('fills in per-dataset defaults: augmentation off for the grey sets, crop 4 + flip for CIFAR', () => {
    expect(parse('mnist-digits', {})).toEqual({ subsetSeed: 0, augment: { cropPadding: 0, flip: false }, normalize: true });
    expect(parse('fashion-mnist', {})).toEqual({ subsetSeed: 0, augment: { cropPadding: 0, flip: false }, normalize: true });
    expect(parse('cifar10', {})).toEqual({ subsetSeed: 0, augment: { cropPadding: 4, flip: true }, normalize: true });
    // A partial augment section keeps the other field's dataset default.
    expect(parse('cifar100', { augment: { flip: false }, dataDir: '/d' })).toEqual({
      subsetSeed: 0,
      augment: { cropPadding: 4, flip: false },
      normalize: true,
      dataDir: '/d',
    });
  });

  it('plugs into core config validation, which names the bad option and what is allowed', () => {
    const catalog = { plugins: [], models: [{ name: 'm', description: 'any model', options: z.strictObject({}) }], datasets: datasetCatalog };
    const config = (data: Record<string, unknown>) => ({ data, model: { name: 'm' }, train: { epochs: 1, optimizer: { name: 'adam', lr: 1e-3 } } });
    expect(validateConfig(config({ name: 'cifar10', trainSize: 500 }), catalog).data).toEqual({
      name: 'cifar10',
      trainSize: 500,
      subsetSeed: 0,
      augment: { cropPadding: 4, flip: true },
      normalize: true,
    });
    expect(() => validateConfig(config({ name: 'mnist-digits', dataDir: '/x', augment: { flp: true }, trainSize: 0 }), catalog)).toThrow(
      /data\.trainSize: .*>=1.*\(got 0\)[\s\S]*data\.augment\.flp: unknown key "flp"; allowed keys: cropPadding, flip[\s\S]*data\.dataDir: unknown key "dataDir"; allowed keys: trainSize, subsetSeed, augment, normalize/,
    );
  });
});

describe('loadDataset options', () => {
  it('throws a ConfigError naming the option, the value and what is allowed', async () => {
    const error = (await loadDataset({ name: 'mnist-digits', trainSize: -3, augment: { crop: 1 } }).catch((e: unknown) => e)) as ConfigError;
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.issues).toEqual([
      { path: 'data.trainSize', value: -3, message: expect.stringMatching(/>=1/) },
      { path: 'data.augment.crop', value: 1, message: 'unknown key "crop"; allowed keys: cropPadding, flip' },
    ]);
    await expect(loadDataset({ name: 'cifar10', augment: { cropPadding: 33 } })).rejects.toThrow(/data\.augment\.cropPadding: .*<=32.*\(got 33\)/);
    await expect(loadDataset({ name: 'imagenet' })).rejects.toThrow(
      'data.name: unknown dataset; known: mnist-digits, fashion-mnist, mnist, cifar10, cifar100 (got "imagenet")',
    );
  });
});
