import { mkdir, readdir, readFile, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { CHECKPOINTS_DIR, fsyncDirectory, InputError, LATEST_FILE, writeFileAtomic, type SerializedState } from '@selfkd/core';
import { decodeState, encodeState } from './binary-state.js';
import { checksumFiles, CHECKSUMS_FILE, verifyChecksums } from './checksums.js';
import { DamagedCheckpointError } from './damaged-checkpoint-error.js';

const FOLDER_PREFIX = 'epoch-';
/** Checkpoints kept on disk: the latest, and the one before it as a fallback should the latest be damaged. */
const KEPT = 2;

/** Everything a run needs to continue exactly, besides the model weights. */
export interface TrainingState extends SerializedState {
  /** Epochs completed. */
  epoch: number;
  /** Optimizer steps taken. */
  step: number;
  seed: number;
  /** State of the generator that orders the next epoch's data (a consistency check on resume). */
  nextOrderRng: number[];
  optimizer: SerializedState;
  regularizers: { [name: string]: SerializedState };
  /** Values of the variables each regularizer owns (auxiliary heads …), by regularizer name. */
  regularizerVariables: { [name: string]: SerializedState };
  /**
   * The best-validation epoch so far, its metrics and weights; null without a validation split or
   * before the first epoch (checkpoints written before validation existed lack the field).
   */
  best: SerializedState | null;
}

export interface CheckpointWriter {
  /** Writes the model files into the given folder. */
  saveModel(dir: string): Promise<void>;
}

/** What `checkpoints/latest.json` holds: the newest complete checkpoint and its files' SHA-256. */
interface LatestPointer {
  epoch: number;
  dir: string;
  files: Record<string, string>;
}

/**
 * Writes `checkpoints/epoch-NNNN/` completely (every file fsynced, SHA-256 of each file in its
 * `checksums.json`), then atomically replaces `checkpoints/latest.json` to point at it, then
 * removes all but the newest two folders. A crash at any moment leaves `latest.json` naming a
 * complete checkpoint, and a checkpoint damaged later on disk is detected and the one before it used.
 */
export async function saveCheckpoint(outDir: string, state: TrainingState, writer: CheckpointWriter): Promise<string> {
  const root = join(outDir, CHECKPOINTS_DIR);
  const name = folderName(state.epoch);
  const dir = join(root, name);
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  await writer.saveModel(dir);
  const { json, blob } = encodeState(state);
  await writeFileAtomic(join(dir, 'state.bin'), blob);
  await writeFileAtomic(join(dir, 'state.json'), JSON.stringify(json));
  const files = await checksumFiles(dir);
  await writeFileAtomic(join(dir, CHECKSUMS_FILE), JSON.stringify(files, null, 2) + '\n');
  const pointer: LatestPointer = { epoch: state.epoch, dir: name, files };
  await writeFileAtomic(join(root, LATEST_FILE), JSON.stringify(pointer, null, 2) + '\n');
  const older = (await checkpointFolders(root)).filter((f) => f.name !== name).slice(KEPT - 1);
  for (const folder of older) await rm(join(root, folder.name), { recursive: true, force: true });
  await fsyncDirectory(root);
  return dir;
}

export interface LoadedCheckpoint {
  /** The checkpoint folder (model.json, weights.bin, state files). */
  dir: string;
  state: TrainingState;
  /** Set when the latest checkpoint was damaged and this older one was loaded instead: why. */
  replacedDamaged?: string;
}

export interface LoadCheckpointOptions {
  /** Load the newest intact older checkpoint when the latest one is damaged (resume does; eval asks the user). */
  fallBack?: boolean;
}

/**
 * Reads and verifies the latest checkpoint of a run folder. A damaged one (a file whose SHA-256
 * differs, a missing file, unreadable JSON, a pointer to a missing folder) is reported by file;
 * with `fallBack` the newest intact older checkpoint is loaded instead, otherwise it is named in the error.
 */
export async function loadCheckpoint(outDir: string, options: LoadCheckpointOptions = {}): Promise<LoadedCheckpoint> {
  const root = join(outDir, CHECKPOINTS_DIR);
  const pointerPath = join(root, LATEST_FILE);
  let problem: string;
  let pointedName: string | undefined;
  try {
    const pointer = parsePointer(await readFile(pointerPath, 'utf8'), pointerPath);
    pointedName = pointer.dir;
    const dir = join(root, pointer.dir);
    if (!existsSync(dir)) throw new DamagedCheckpointError(`${pointerPath} names ${dir}, which does not exist`);
    return await readVerified(dir, pointer.files);
  } catch (err) {
    if (!(err instanceof DamagedCheckpointError)) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
        throw new InputError(`${outDir} has no checkpoint yet (no ${CHECKPOINTS_DIR}/${LATEST_FILE}): the run was stopped before its first epoch ended`);
      }
      throw err;
    }
    problem = err.message;
  }
  const fallback = await newestIntact(root, pointedName);
  if (!fallback) throw new DamagedCheckpointError(`the latest checkpoint of ${outDir} is damaged: ${problem}; no intact older checkpoint is left`);
  if (!options.fallBack) {
    throw new DamagedCheckpointError(`the latest checkpoint of ${outDir} is damaged: ${problem}; an intact older checkpoint is ${fallback.dir}`, fallback.dir);
  }
  return { ...fallback, replacedDamaged: problem };
}

/**
 * A run folder (its latest checkpoint) or one checkpoint folder inside it (`checkpoints/epoch-NNNN`),
 * verified; `runDir` is the run folder either way, when it can be found.
 */
export async function openCheckpoint(path: string, options: LoadCheckpointOptions = {}): Promise<LoadedCheckpoint & { runDir: string }> {
  if (existsSync(join(path, CHECKPOINTS_DIR))) return { ...(await loadCheckpoint(path, options)), runDir: path };
  if (existsSync(join(path, CHECKSUMS_FILE)) || existsSync(join(path, 'model.json'))) {
    return { ...(await readVerified(path)), runDir: dirname(dirname(path)) };
  }
  throw new InputError(
    existsSync(path)
      ? `${path} is neither a selfkd run folder (with ${CHECKPOINTS_DIR}/) nor a checkpoint folder inside one (with model.json)`
      : `${path} does not exist`,
  );
}

async function newestIntact(root: string, skip: string | undefined): Promise<LoadedCheckpoint | undefined> {
  for (const folder of await checkpointFolders(root)) {
    if (folder.name === skip) continue;
    try {
      return await readVerified(join(root, folder.name));
    } catch (err) {
      if (!(err instanceof DamagedCheckpointError)) throw err;
    }
  }
  return undefined;
}

/** Verifies every file against `expected` (default: the folder's own checksums.json), then decodes the state. */
async function readVerified(dir: string, expected?: Record<string, string>): Promise<LoadedCheckpoint> {
  const checksums = expected ?? (await readChecksums(dir));
  await verifyChecksums(dir, checksums);
  const statePath = join(dir, 'state.json');
  let json: unknown;
  try {
    json = JSON.parse(await readFile(statePath, 'utf8'));
  } catch (err) {
    throw new DamagedCheckpointError(`${statePath} is not valid JSON (${(err as Error).message})`);
  }
  const blob = await readFile(join(dir, 'state.bin'));
  return { dir, state: decodeState(json, blob) as TrainingState };
}

async function readChecksums(dir: string): Promise<Record<string, string>> {
  const path = join(dir, CHECKSUMS_FILE);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    throw new DamagedCheckpointError(`${path} is missing, so the checkpoint in ${dir} cannot be verified`);
  }
  try {
    const parsed = JSON.parse(text) as unknown;
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not an object');
    return parsed as Record<string, string>;
  } catch (err) {
    throw new DamagedCheckpointError(`${path} is not valid JSON (${(err as Error).message})`);
  }
}

function parsePointer(text: string, path: string): LatestPointer {
  let pointer: Partial<LatestPointer>;
  try {
    pointer = JSON.parse(text) as Partial<LatestPointer>;
  } catch (err) {
    throw new DamagedCheckpointError(`${path} is not valid JSON (${(err as Error).message})`);
  }
  if (typeof pointer?.dir !== 'string' || !pointer.dir.startsWith(FOLDER_PREFIX) || pointer.dir.includes('/') || typeof pointer.files !== 'object' || pointer.files === null) {
    throw new DamagedCheckpointError(`${path} does not name a checkpoint folder with its checksums`);
  }
  return pointer as LatestPointer;
}

/** `epoch-NNNN` folders, newest first. */
async function checkpointFolders(root: string): Promise<{ name: string; epoch: number }[]> {
  const entries = existsSync(root) ? await readdir(root) : [];
  return entries
    .filter((e) => /^epoch-\d+$/.test(e))
    .map((name) => ({ name, epoch: Number(name.slice(FOLDER_PREFIX.length)) }))
    .sort((a, b) => b.epoch - a.epoch);
}

function folderName(epoch: number): string {
  return `${FOLDER_PREFIX}${String(epoch).padStart(4, '0')}`;
}
