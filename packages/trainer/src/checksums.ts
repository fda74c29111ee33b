import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DamagedCheckpointError } from './damaged-checkpoint-error.js';

/** Each checkpoint folder lists the SHA-256 of its other files here. */
export const CHECKSUMS_FILE = 'checksums.json';

/** SHA-256 (hex) of every file in a checkpoint folder except the checksum list itself. */
export async function checksumFiles(dir: string): Promise<Record<string, string>> {
  const names = (await readdir(dir)).filter((name) => name !== CHECKSUMS_FILE && !name.includes('.tmp-')).sort();
  const entries = await Promise.all(names.map(async (name) => [name, sha256(await readFile(join(dir, name)))] as const));
  return Object.fromEntries(entries);
}

/** Throws a DamagedCheckpointError naming the first file that is missing or differs from its recorded SHA-256. */
export async function verifyChecksums(dir: string, expected: Record<string, string>): Promise<void> {
  if (!Object.keys(expected).length) throw new DamagedCheckpointError(`the checksum list of ${dir} is empty`);
  for (const [name, digest] of Object.entries(expected)) {
    const path = join(dir, name);
    let data: Buffer;
    try {
      data = await readFile(path);
    } catch {
      throw new DamagedCheckpointError(`${path} is missing`);
    }
    if (sha256(data) !== digest) throw new DamagedCheckpointError(`${path} does not match its SHA-256 checksum (the file is damaged)`);
  }
}

function sha256(data: Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}
