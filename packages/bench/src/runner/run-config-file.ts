import { existsSync, readFileSync } from 'node:fs';
import { writeFileAtomicSync } from '@selfkd/core';
import { join } from 'node:path';
import { configHash } from '../config/config-hash.js';
import type { PlainObject } from '../config/deep-merge.js';

/** The training config the bench writes into each run folder and passes to the training command. */
export const RUN_CONFIG_FILE = 'config.json';

/** Writes the run's config file (atomically, so a kill never leaves half a config behind). */
export function writeRunConfig(runDir: string, config: PlainObject): string {
  const path = join(runDir, RUN_CONFIG_FILE);
  writeFileAtomicSync(path, JSON.stringify(config, null, 2) + '\n');
  return path;
}

/** The config hash of the config file already in a run folder, or null when there is none. */
export function existingRunConfigHash(runDir: string): string | null {
  const path = join(runDir, RUN_CONFIG_FILE);
  if (!existsSync(path)) return null;
  try {
    return configHash(JSON.parse(readFileSync(path, 'utf8')));
  } catch {
    return 'unreadable';
  }
}
