import { existsSync } from 'node:fs';
import { copyFile, mkdir, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Argv } from 'yargs';
import { InputError } from '@selfkd/core';

export interface InitArgs {
  dir: string;
  force: boolean;
}

/** The example configs shipped in the package (its `files` include examples/), next to dist/. */
const examplesDir = fileURLToPath(new URL('../../examples/', import.meta.url));

export function initCommand(yargs: Argv): Argv<InitArgs> {
  return yargs
    .positional('dir', { type: 'string', default: '.', describe: 'folder to write the configs into (created if missing)' })
    .option('force', { type: 'boolean', default: false, describe: 'overwrite configs of the same name already in the folder' }) as unknown as Argv<InitArgs>;
}

/**
 * Copies the example configs, so that an installed CLI has something to train, evaluate and bench
 * without the repository. Nothing is written when one of them would overwrite a file.
 */
export async function runInit(args: InitArgs): Promise<void> {
  const names = (await readdir(examplesDir)).filter((name) => name.endsWith('.yaml')).sort();
  const existing = names.filter((name) => existsSync(join(args.dir, name)));
  if (existing.length > 0 && !args.force) {
    throw new InputError(`${existing.map((name) => join(args.dir, name)).join(', ')} already exist${existing.length === 1 ? 's' : ''}; nothing was written (--force overwrites)`);
  }
  await mkdir(args.dir, { recursive: true });
  for (const name of names) await copyFile(join(examplesDir, name), join(args.dir, name));
  const shown = (name: string) => join(args.dir, name);
  process.stdout.write(
    `wrote ${names.map(shown).join(', ')}\nnext:\n` +
      `  selfkd train --config ${shown('train.yaml')} --out runs/train\n` +
      `  selfkd eval --checkpoint runs/train --suite calibration\n` +
      `  selfkd bench --config ${shown('bench.yaml')} --out runs/bench\n`,
  );
}
