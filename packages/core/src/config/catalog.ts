import type { z } from 'zod';
import type { RegularizerPlugin } from '../plugins/regularizer-plugin.js';

/** A named, configurable component (a model, a dataset, a reporter) and the schema of its options. */
export interface ComponentEntry {
  name: string;
  description: string;
  /** A strict zod object of the options besides `name`, with defaults. */
  options: z.ZodType;
  /** For a model: the names of the taps (intermediate outputs) it exposes with these parsed options. */
  taps?(options: Record<string, unknown>): readonly string[];
}

/** Everything a config may name; validation checks names and options against it. */
export interface ConfigCatalog {
  plugins: readonly RegularizerPlugin<object>[];
  models: readonly ComponentEntry[];
  datasets: readonly ComponentEntry[];
  /** Reporters a config may name under `reporters:` (none when left out). */
  reporters?: readonly ComponentEntry[];
  /** Schema of the `eval:` section, when an evaluation package provides one. */
  eval?: z.ZodType;
}
