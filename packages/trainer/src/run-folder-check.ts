import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { baseConfigSchema, ConfigError, diffConfigs, formatValue, hasCheckpoint, InputError, RESOLVED_CONFIG_FILE, toConfigFile, type SelfKdConfig } from '@selfkd/core';
import { loadCheckpoint, type LoadedCheckpoint } from './checkpoint.js';

/**
 * Decides, before anything is read, built or written, whether a run may start in `outDir`, and
 * from where: a fresh run must not overwrite checkpoints; a resumed run must ask for exactly the
 * config it started with (its `config.resolved.json`), and resumes from the newest intact
 * checkpoint, or from scratch when it was stopped during its first epoch.
 */
export async function checkRunFolder(config: SelfKdConfig, outDir: string, resume: boolean): Promise<LoadedCheckpoint | undefined> {
  if (!resume) {
    if (hasCheckpoint(outDir)) {
      throw new InputError(`${outDir} already holds a run with checkpoints; pass --resume ${outDir} to continue it, or choose another --out`);
    }
    return undefined;
  }
  const stored = resumableConfigFile(outDir);
  const differences = diffConfigs(normalized(await readStoredConfig(stored), stored), normalized(toConfigFile(config), 'the requested config'));
  if (differences.length) throw new ResumeConfigMismatchError(outDir, differences);
  return hasCheckpoint(outDir) ? loadCheckpoint(outDir, { fallBack: true }) : undefined;
}

/** The config file of a run folder that can be resumed; an InputError saying what to do otherwise. */
export function resumableConfigFile(outDir: string): string {
  if (!existsSync(outDir)) throw new InputError(`cannot resume: ${outDir} does not exist`);
  const stored = join(outDir, RESOLVED_CONFIG_FILE);
  if (!existsSync(stored)) {
    throw new InputError(
      `nothing to resume in ${outDir}: it has no ${RESOLVED_CONFIG_FILE}, so the run was stopped before training started. ` +
        `Start it again with --config FILE --out ${outDir}`,
    );
  }
  return stored;
}

/** Resuming with another config than the run started with: every differing field, and what to do instead. */
export class ResumeConfigMismatchError extends ConfigError {
  constructor(outDir: string, differences: ReturnType<typeof diffConfigs>) {
    super(
      differences.map((d) => ({
        path: d.path,
        value: d.after,
        message: `the run was started with ${d.before === undefined ? 'no value' : formatValue(d.before)} here; a resumed run keeps the config it started with`,
      })),
      `resume of ${outDir}`,
    );
    this.message +=
      `\nTo keep training with the new config from this run's weights, start a new run: ` +
      `selfkd train --config NEW.yaml --init-from ${outDir} --out NEW_FOLDER`;
  }
}

async function readStoredConfig(path: string): Promise<unknown> {
  try {
    return JSON.parse(await readFile(path, 'utf8'));
  } catch (err) {
    throw new InputError(`${path} is damaged (${(err as Error).message}); the run cannot be resumed exactly`);
  }
}

/**
 * Base-schema defaults filled in, so a field added with a default in a later version is not a
 * difference; `logging` left out, since where a run is recorded does not change what it computes.
 */
function normalized(raw: unknown, source: string): unknown {
  const parsed = baseConfigSchema.safeParse(raw);
  if (!parsed.success) throw new InputError(`${source} is not a valid selfkd config: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
  const { logging: _logging, ...computed } = parsed.data;
  return computed;
}
