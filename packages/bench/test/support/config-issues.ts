import { expect } from 'vitest';
import { ConfigError } from '@selfkd/core';
import { parseBenchConfig } from '../../src/index.js';

/** The message of the ConfigError a raw bench config is refused with (fails the test when it is accepted). */
export function issuesOf(raw: unknown): string {
  try {
    parseBenchConfig(raw);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as Error).message;
  }
  throw new Error('expected a ConfigError');
}
