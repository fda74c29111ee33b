import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { open, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';

/**
 * Replaces `path` so that a crash or a kill at any moment leaves either the old file or the new
 * one, never a truncated mix, and the new one survives a power loss once this returns: the data
 * goes to a temporary file beside it, is fsynced, renamed over `path`, and the folder is fsynced
 * so the rename itself is on disk. Every file of a run folder and a bench folder is written so.
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  const tmp = temporaryName(path);
  try {
    const handle = await open(tmp, 'w');
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(tmp, path);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
  await fsyncDirectory(dirname(path));
}

/** The synchronous form of writeFileAtomic, for code that runs outside an event loop turn. */
export function writeFileAtomicSync(path: string, data: string | Uint8Array): void {
  const tmp = temporaryName(path);
  try {
    const fd = openSync(tmp, 'w');
    try {
      writeFileSync(fd, data);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, path);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
  fsyncDirectorySync(dirname(path));
}

/** Makes the entries of a folder (new, renamed or removed files) durable. */
export async function fsyncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

function fsyncDirectorySync(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

// Unique per process and call, so two writers of the same file never share a temporary file.
let counter = 0;
function temporaryName(path: string): string {
  return `${path}.tmp-${process.pid}-${counter++}`;
}
