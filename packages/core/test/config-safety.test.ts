import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  applyOverrides,
  ConfigError,
  diffConfigs,
  formatIssue,
  formatValue,
  validateConfig,
  writeFileAtomic,
  writeFileAtomicSync,
  z,
  type ConfigCatalog,
} from '@selfkd/core';

const catalog: ConfigCatalog = {
  plugins: [],
  models: [{ name: 'mlp', description: 'mlp', options: z.strictObject({ hidden: z.array(z.number()).default([8]) }) }],
  datasets: [{ name: 'mnist-digits', description: 'digits', options: z.strictObject({}) }],
};
const good = { data: { name: 'mnist-digits' }, model: { name: 'mlp' }, train: { epochs: 1, optimizer: { name: 'adam', lr: 0.001 } } };

function configError(run: () => unknown): ConfigError {
  try {
    run();
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('prototype pollution', () => {
  it.each(['__proto__.polluted=1', 'train.__proto__.polluted=1', 'constructor.prototype.polluted=1', 'model.prototype=1'])(
    'an override path with a prototype key is refused, naming the override (%s)',
    (override) => {
      const error = configError(() => applyOverrides(good, [override]));
      expect(error.message).toContain(`--set ${override}`);
      expect(error.message).toMatch(/"__proto__", "prototype" and "constructor" are not allowed as config keys/);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    },
  );

  it('an override value holding a prototype key is refused with its full path', () => {
    const error = configError(() => applyOverrides(good, ['train={__proto__: {polluted: 1}}']));
    expect(error.issues.map((i) => i.path)).toEqual(['train.__proto__']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('a parsed config holding a prototype key anywhere is refused by validation', () => {
    const raw = JSON.parse('{"data": {"name": "mnist-digits"}, "model": {"name": "mlp", "__proto__": {"hidden": [4]}}, "train": {"epochs": 1, "optimizer": {"name": "adam", "lr": 0.001}}}');
    const error = configError(() => validateConfig(raw, catalog));
    expect(error.issues).toEqual([{ path: 'model.__proto__', value: '__proto__', message: expect.stringContaining('not allowed') }]);
    expect(validateConfig(good, catalog).model).toEqual({ name: 'mlp', hidden: [8] });
  });
});

describe('override messages', () => {
  it('name the override whose value is not valid YAML', () => {
    const error = configError(() => applyOverrides(good, ['train.epochs=3', 'model.hidden=[1, 2']));
    expect(error.message).toContain('--set model.hidden=[1, 2');
    expect(error.issues[0]).toMatchObject({ path: 'model.hidden', value: '[1, 2', message: expect.stringMatching(/^the value is not valid YAML: /) });
  });

  it('refuse an empty path segment', () => {
    expect(configError(() => applyOverrides(good, ['train..epochs=3'])).issues[0]!.message).toMatch(/segment is empty/);
  });
});

describe('formatValue', () => {
  it('shows NaN and infinities instead of null, anywhere in a value', () => {
    expect(formatValue(Number.NaN)).toBe('NaN');
    expect(formatValue({ lr: Number.POSITIVE_INFINITY, hidden: [1, Number.NEGATIVE_INFINITY] })).toBe('{"lr":Infinity,"hidden":[1,-Infinity]}');
    expect(formatValue('x')).toBe('"x"');
    expect(formatIssue({ path: 'seed', value: Number.NaN, message: 'expected a number' })).toBe('seed: expected a number (got NaN)');
  });
});

describe('diffConfigs', () => {
  it('lists every differing leaf with both values, and nothing for equal configs', () => {
    const before = { train: { epochs: 3, optimizer: { lr: 0.1 } }, regularizers: [{ type: 'a' }], seed: 0 };
    const after = { train: { epochs: 5, optimizer: { lr: 0.1 } }, regularizers: [{ type: 'a' }, { type: 'b' }], seed: 0, plugins: ['x'] };
    expect(diffConfigs(before, structuredClone(before))).toEqual([]);
    expect(diffConfigs(before, after)).toEqual([
      { path: 'train.epochs', before: 3, after: 5 },
      { path: 'regularizers', before: [{ type: 'a' }], after: [{ type: 'a' }, { type: 'b' }] },
      { path: 'plugins', before: undefined, after: ['x'] },
    ]);
    expect(diffConfigs({ r: [{ w: 1 }] }, { r: [{ w: 2 }] })).toEqual([{ path: 'r[0].w', before: 1, after: 2 }]);
  });
});

describe('writeFileAtomic', () => {
  it('replaces a file whole and leaves no temporary file behind', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'selfkd-atomic-'));
    const path = join(dir, 'f.json');
    await writeFileAtomic(path, 'one');
    writeFileAtomicSync(path, 'two');
    await writeFileAtomic(path, new Uint8Array([116, 104, 114, 101, 101]));
    expect(readFileSync(path, 'utf8')).toBe('three');
    expect(readdirSync(dir)).toEqual(['f.json']);
  });

  it('leaves the old file and no temporary file when the write fails', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'selfkd-atomic-'));
    const path = join(dir, 'f.json');
    await writeFileAtomic(path, 'old');
    // A path below a file cannot be opened, so the write fails before anything is renamed.
    await expect(writeFileAtomic(join(path, 'inside'), 'new')).rejects.toThrow();
    expect(readFileSync(path, 'utf8')).toBe('old');
    expect(readdirSync(dir)).toEqual(['f.json']);
    expect(existsSync(join(dir, 'f.json', 'inside'))).toBe(false);
  });
});
