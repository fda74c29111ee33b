import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '@selfkd/core';
import { train } from '@selfkd/trainer';
import { conformanceConfig, conformanceModules, entryOf, registeredRegularizers, validated } from './registered-regularizers.js';

const pairs = registeredRegularizers.flatMap((a, i) => registeredRegularizers.slice(i + 1).map((b) => ({ a, b, name: `${a.type} + ${b.type}` })));


describe('every pair of registered regularizers', () => {
  it('is every unordered pair of distinct types', () => {
    const n = registeredRegularizers.length;
    expect(pairs).toHaveLength((n * (n - 1)) / 2);
  });

  // A pair trains on the first entry's example model; every pair has a common tiny problem only
  // when the plugins that name one (taps of a convnet, a teacher checkpoint) name the same one.
  it('has one example model among the plugins that name one', () => {
    const named = new Set(registeredRegularizers.flatMap((p) => (p.exampleModel ? [JSON.stringify(p.exampleModel)] : [])));
    expect(named.size).toBeLessThanOrEqual(1);
  });

  describe.each(pairs)('$name', ({ a, b }) => {
    it('composes (one epoch, every loss term finite) or is rejected at config time naming both', async () => {
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
