import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { writeFileAtomicSync } from '@selfkd/core';
import { join } from 'node:path';
import type { FetchBytes } from '../types.js';

/** Files published at one or more base URLs (official address first, then mirrors), with their SHA-256. */
export interface RemoteSource {
  baseUrls: string[];
  files: { name: string; sha256: string }[];
}

/** Node's global fetch, failing on any non-2xx status. */
export const fetchBytes: FetchBytes = async (url) => {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`HTTP ${response.status} ${response.statusText}`);
  return new Uint8Array(await response.arrayBuffer());
};

export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/**
 * Makes `dir` hold every file of `source` with the right SHA-256: files already there are checked,
 * missing or mismatching ones are downloaded (each base URL in turn until one matches) and written
 * under a temporary name first, so an interrupted download never leaves a partial file behind.
 * Returns the files' paths; throws listing every URL tried and why it failed.
 */
export async function ensureDownloaded(
  source: RemoteSource,
  dir: string,
  fetchUrl: FetchBytes,
  onProgress: (message: string) => void,
): Promise<string[]> {
  const paths: string[] = [];
  for (const file of source.files) {
    const path = join(dir, file.name);
    paths.push(path);
    if (existsSync(path)) {
      if (sha256(readFileSync(path)) === file.sha256) continue;
      onProgress(`${path}: SHA-256 does not match the published one; downloading it again`);
    }
    const bytes = await downloadVerified(source.baseUrls, file, fetchUrl, onProgress);
    mkdirSync(dir, { recursive: true });
    writeFileAtomicSync(path, bytes);
  }
  return paths;
}

async function downloadVerified(
  baseUrls: readonly string[],
  file: { name: string; sha256: string },
  fetchUrl: FetchBytes,
  onProgress: (message: string) => void,
): Promise<Uint8Array> {
  const failures: string[] = [];
  for (const base of baseUrls) {
    const url = `${base}${file.name}`;
    onProgress(`downloading ${url}`);
    try {
      const bytes = await fetchUrl(url);
      const actual = sha256(bytes);
      if (actual === file.sha256) return bytes;
      failures.push(`${url}: SHA-256 ${actual} does not match the published ${file.sha256}`);
    } catch (err) {
      failures.push(`${url}: ${(err as Error).message}`);
    }
  }
  throw new Error(`could not download ${file.name}:\n${failures.map((f) => `    ${f}`).join('\n')}`);
}
