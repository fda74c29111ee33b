import { mkdir, open, readdir, readFile, rename, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { SerializedState } from '@selfkd/core';
import { decodeState, encodeState } from './binary-state.js';

export const CHECKPOINTS_DIR = 'checkpoints';
const LATEST = 'latest.json';

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
}

export interface CheckpointWriter {
  /** Writes the model files into the given folder. */
  saveModel(dir: string): Promise<void>;
}

/**
 * Writes `checkpoints/epoch-NNNN/` completely (fsynced), then atomically replaces
 * `checkpoints/latest.json` to point at it, then removes older folders. A crash at any moment
 * leaves `latest.json` naming a complete checkpoint, so a half-written one never replaces a good one.
 */
export async function saveCheckpoint(outDir: string, state: TrainingState, writer: CheckpointWriter): Promise<string> {
  const root = join(outDir, CHECKPOINTS_DIR);
  const name = `epoch-${String(state.epoch).padStart(4, '0')}`;
  const dir = join(root, name);
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  await writer.saveModel(dir);
  const { json, blob } = encodeState(state);
  await writeDurably(join(dir, 'state.bin'), blob);
  await writeDurably(join(dir, 'state.json'), JSON.stringify(json));
  await fsyncPath(dir);
  const tmp = join(root, `${LATEST}.tmp-${process.pid}`);
  await writeDurably(tmp, JSON.stringify({ epoch: state.epoch, dir: name }));
  await rename(tmp, join(root, LATEST));
  await fsyncPath(root);
  for (const entry of await readdir(root)) {
    if (entry.startsWith('epoch-') && entry !== name) await rm(join(root, entry), { recursive: true, force: true });
  }
  return dir;
}

export function hasCheckpoint(outDir: string): boolean {
  return existsSync(join(outDir, CHECKPOINTS_DIR, LATEST));
}

/** Reads the latest complete checkpoint: its folder (for the model files) and the training state. */
export async function loadCheckpoint(outDir: string): Promise<{ dir: string; state: TrainingState }> {
  const root = join(outDir, CHECKPOINTS_DIR);
  let pointer: { dir: string };
  try {
    pointer = JSON.parse(await readFile(join(root, LATEST), 'utf8')) as { dir: string };
  } catch (err) {
    throw new Error(`cannot resume from ${outDir}: no readable ${CHECKPOINTS_DIR}/${LATEST} (${(err as Error).message})`);
  }
  const dir = join(root, pointer.dir);
  const json = JSON.parse(await readFile(join(dir, 'state.json'), 'utf8')) as unknown;
  const blob = await readFile(join(dir, 'state.bin'));
  return { dir, state: decodeState(json, blob) as TrainingState };
}

async function writeDurably(path: string, data: string | Buffer): Promise<void> {
  const handle = await open(path, 'w');
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

async function fsyncPath(path: string): Promise<void> {
  const handle = await open(path, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
