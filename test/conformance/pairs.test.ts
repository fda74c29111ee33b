import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, type RegularizerPlugin } from '@selfkd/core';
import { train } from '@selfkd/trainer';
import { conformanceConfig, conformanceModules, entryOf, registeredRegularizers, validated } from './registered-regularizers.js';

const pairs = registeredRegularizers.flatMap((a, i) => registeredRegularizers.slice(i + 1).map((b) => ({ a, b, name: `${a.type} + ${b.type}` })));

/**
 * Two plugins that each name their example model, and name different ones, have example entries
 * for different models (a tap of one, a teacher checkpoint of the other): no tiny problem fits both.
 */
function exampleModelsDiffer(a: RegularizerPlugin<object>, b: RegularizerPlugin<object>): boolean {
  return a.exampleModel !== undefined && b.exampleModel !== undefined && JSON.stringify(a.exampleModel) !== JSON.stringify(b.exampleModel);
}

describe('every pair of registered regularizers', () => {
  it('is every unordered pair of distinct types', () => {
    const n = registeredRegularizers.length;
    expect(pairs).toHaveLength((n * (n - 1)) / 2);
  });

  describe.each(pairs)('$name', ({ a, b }) => {
    it.skipIf(exampleModelsDiffer(a, b))('composes (one epoch, every loss term finite) or is rejected at config time naming both', async () => {
      const raw = conformanceConfig([entryOf(a), entryOf(b)], 1);
      let config;
      try {
        config = validated(raw);
      } catch (err) {
        expect(err).toBeInstanceOf(ConfigError);
        expect((err as Error).message).toContain(a.type);
        expect((err as Error).message).toContain(b.type);
        return;
      }
      const result = await train(config, { outDir: await mkdtemp(join(tmpdir(), 'selfkd-pair-')), modules: conformanceModules });
      const terms = result.history[0]!.train;
      expect(Object.keys(terms)).toEqual(expect.arrayContaining(['total', 'task']));
      for (const [term, value] of Object.entries(terms)) expect(Number.isFinite(value), term).toBe(true);
    });
  });
});
