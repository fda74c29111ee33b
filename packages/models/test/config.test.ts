import { ConfigError, validateConfig, z } from '@selfkd/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { createModel, modelCatalog } from '../src/index.js';
import { useCpuBackend } from './helpers.js';

beforeAll(useCpuBackend);

const spec = { inputShape: [8, 8, 1], numClasses: 10, seed: 0 };

function errorOf(run: () => unknown): Error {
  try {
    run();
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected an error');
}

describe('modelCatalog', () => {
  it('lists the three models with strict option schemas that fill in the defaults', () => {
    expect(modelCatalog.map((e) => e.name)).toEqual(['mlp', 'cnn', 'resnet18']);
    const defaults = Object.fromEntries(modelCatalog.map((e) => [e.name, e.options.parse({})]));
    expect(defaults).toEqual({
      mlp: { hidden: [512, 512] },
      cnn: { channels: [32, 64], dense: 128, batchNorm: false },
      resnet18: { width: 1 },
    });
    for (const entry of modelCatalog) expect(entry.description.length).toBeGreaterThan(20);
  });

  it("plugs into core's validateConfig, which reports the model option by path", () => {
    const catalog = { plugins: [], models: modelCatalog, datasets: [{ name: 'd', description: 'd', options: z.strictObject({}) }] };
    const raw = { data: { name: 'd' }, model: { name: 'resnet18', width: -0.5 }, train: { epochs: 1, optimizer: { name: 'adam', lr: 1e-3 } } };
    const err = errorOf(() => validateConfig(raw, catalog)) as ConfigError;
    expect(err).toBeInstanceOf(ConfigError);
    expect(err.issues).toEqual([{ path: 'model.width', value: -0.5, message: 'width must be at least 1/64 so that the first stage has a channel' }]);
    expect(validateConfig({ ...raw, model: { name: 'cnn', dense: 64 } }, catalog).model).toEqual({
      name: 'cnn',
      channels: [32, 64],
      dense: 64,
      batchNorm: false,
    });
  });
});

describe('createModel rejects a bad config with a ConfigError naming the option', () => {
  it.each([
    [{ name: 'mlp', hiddn: [8] }, 'model.hiddn: unknown key "hiddn"; allowed keys: hidden (got [8])'],
    [{ name: 'resnet18', width: -1 }, 'model.width: width must be at least 1/64 so that the first stage has a channel (got -1)'],
    [{ name: 'resnet18', width: 0.01 }, 'model.width: width must be at least 1/64'],
    [{ name: 'cnn', channels: [32, 0] }, 'model.channels[1]: Too small: expected number to be >0 (got 0)'],
    [{ name: 'cnn', batchNorm: 'yes' }, 'model.batchNorm: Invalid input: expected boolean, received string (got "yes")'],
    [{ name: 'mlp', hidden: [] }, 'model.hidden: Too small: expected array to have >=1 items (got [])'],
    [{ name: 'vgg' }, 'model.name: unknown model; known: mlp, cnn, resnet18 (got "vgg")'],
  ])('%j', (config, message) => {
    const err = errorOf(() => createModel(config, spec));
    expect(err).toBeInstanceOf(ConfigError);
    expect(err.message).toContain('invalid model config');
    expect(err.message).toContain(message);
  });
});

describe('createModel rejects a spec the model cannot use', () => {
  it.each([
    [{ ...spec, inputShape: [784] }, 'ModelSpec.inputShape must be [H, W, C] with three positive integers (images, channels last), got [784]'],
    [{ ...spec, inputShape: [8, 0, 1] }, 'got [8,0,1]'],
    [{ ...spec, numClasses: 1 }, 'ModelSpec.numClasses must be an integer ≥ 2, got 1'],
    [{ ...spec, seed: -3 }, 'ModelSpec.seed must be a non-negative integer, got -3'],
  ])('%j', (badSpec, message) => {
    expect(() => createModel({ name: 'mlp' }, badSpec)).toThrow(message);
  });

  it('a cnn with more 2×2 poolings than the image allows', () => {
    expect(() => createModel({ name: 'cnn', channels: [4, 4, 4, 4] }, spec)).toThrow(
      'cnn.channels has 4 stages, each halving the image with a 2×2 max-pool, but the input is only 8×8; use at most 3 stages',
    );
  });
});
