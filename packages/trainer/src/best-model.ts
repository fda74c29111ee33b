import { existsSync } from 'node:fs';
import { mkdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { fsyncDirectory, InputError, writeFileAtomic } from '@selfkd/core';
import type { ClassifierModel } from '@selfkd/models';
import type { BestValidation } from './best-epoch.js';
import { checksumFiles, verifyChecksums } from './checksums.js';
import { DamagedCheckpointError } from './damaged-checkpoint-error.js';

/** The run folder's copy of the best-validation epoch's model (model.json, weights.bin, best.json). */
export const BEST_DIR = 'best';
/** Which epoch the folder holds, its metrics, and the SHA-256 of the model files; written last. */
export const BEST_INFO_FILE = 'best.json';

interface BestInfo extends BestValidation {
  files: Record<string, string>;
}

/**
 * Replaces `best/` with the model's current weights. `best.json` goes first and comes back last
 * (each file written atomically with writeFileAtomic), so a folder without it, or whose files do
 * not match its checksums, is one a kill interrupted; a resumed run writes it again from its checkpoint.
 */
export async function writeBestModel(outDir: string, model: ClassifierModel, best: BestValidation): Promise<void> {
  const dir = join(outDir, BEST_DIR);
  await mkdir(dir, { recursive: true });
  await rm(join(dir, BEST_INFO_FILE), { force: true });
  await fsyncDirectory(dir);
  await model.save(dir);
  const info: BestInfo = { ...best, files: await checksumFiles(dir) };
  await writeFileAtomic(join(dir, BEST_INFO_FILE), JSON.stringify(info, null, 2) + '\n');
}

/** Removes `best/` (a resumed run whose checkpoint has not selected an epoch yet). */
export async function removeBestModel(outDir: string): Promise<void> {
  await rm(join(outDir, BEST_DIR), { recursive: true, force: true });
}

/** The verified `best/` folder of a run folder and which epoch it holds. */
export async function openBestModel(runDir: string): Promise<{ dir: string; best: BestValidation }> {
  const dir = join(runDir, BEST_DIR);
  if (!existsSync(dir)) {
    throw new InputError(
      `${runDir} has no ${BEST_DIR}/ folder: it is not a run folder, the run holds out no validation split (data.validation), or no epoch has ended yet`,
    );
  }
  const infoPath = join(dir, BEST_INFO_FILE);
  let text: string;
  try {
    text = await readFile(infoPath, 'utf8');
  } catch {
    throw new DamagedCheckpointError(`${infoPath} is missing: the run was stopped while writing ${dir}; resume it (selfkd train --resume ${runDir}) to write it again`);
  }
  let info: BestInfo;
  try {
    info = JSON.parse(text) as BestInfo;
  } catch (err) {
    throw new DamagedCheckpointError(`${infoPath} is not valid JSON (${(err as Error).message})`);
  }
  await verifyChecksums(dir, info.files ?? {});
  const { files: _files, ...best } = info;
  return { dir, best };
}
