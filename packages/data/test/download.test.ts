import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DatasetError, loadDataset, type FetchBytes } from '@selfkd/data';
import { ensureDownloaded, fetchBytes, sha256, type RemoteSource } from '../src/files/download.js';
import { cacheDir } from '../src/files/locate.js';
import { useTempDirs } from './helpers.js';

const A = new TextEncoder().encode('first file');
const B = new TextEncoder().encode('second file');

const source = (baseUrls = ['https://official/', 'https://mirror/']): RemoteSource => ({
  baseUrls,
  files: [
    { name: 'a.gz', sha256: sha256(A) },
    { name: 'b.gz', sha256: sha256(B) },
  ],
});

/** A fake network: serves `files` at every base URL except the ones listed as down; records every request. */
function fakeFetch(files: Record<string, Uint8Array>, down: string[] = []): FetchBytes & { calls: string[] } {
  const calls: string[] = [];
  const fetch = async (url: string) => {
    calls.push(url);
    if (down.some((base) => url.startsWith(base))) throw new Error('connection refused');
    const bytes = files[url.slice(url.lastIndexOf('/') + 1)];
    if (!bytes) throw new Error('HTTP 404 Not Found');
    return bytes;
  };
  return Object.assign(fetch, { calls });
}

describe('download with SHA-256 check into the cache', () => {
  const temp = useTempDirs();
  const progress: string[] = [];
  const log = (m: string) => progress.push(m);

  it('hashes with SHA-256 (values from `printf ... | sha256sum`)', () => {
    expect(sha256(new TextEncoder().encode('abc'))).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(sha256(A)).toBe('bf41cf94047f1a3443ca654a235bc8f830f7997da9b6f3b2b041a866bc6e3b6f');
  });

  it('downloads every file once, then serves the verified copies without fetching', async () => {
    const dir = join(temp.root(), 'cache-dir');
    const fetch = fakeFetch({ 'a.gz': A, 'b.gz': B });
    const paths = await ensureDownloaded(source(), dir, fetch, log);
    expect(paths).toEqual([join(dir, 'a.gz'), join(dir, 'b.gz')]);
    expect(readFileSync(paths[0]!)).toEqual(Buffer.from(A));
    expect(fetch.calls).toEqual(['https://official/a.gz', 'https://official/b.gz']);

    await ensureDownloaded(source(), dir, fetch, log);
    expect(fetch.calls).toHaveLength(2);
    expect(readdirSync(dir).sort()).toEqual(['a.gz', 'b.gz']);
  });

  it('downloads again a cached file whose checksum no longer matches', async () => {
    const dir = join(temp.root(), 'cache-dir');
    const fetch = fakeFetch({ 'a.gz': A, 'b.gz': B });
    await ensureDownloaded(source(), dir, fetch, log);
    writeFileSync(join(dir, 'b.gz'), 'truncat');
    await ensureDownloaded(source(), dir, fetch, log);
    expect(fetch.calls.slice(2)).toEqual(['https://official/b.gz']);
    expect(readFileSync(join(dir, 'b.gz'))).toEqual(Buffer.from(B));
    expect(progress).toContain(`${join(dir, 'b.gz')}: SHA-256 does not match the published one; downloading it again`);
  });

  it('falls back to the next address when one is down or serves other bytes', async () => {
    const dir = join(temp.root(), 'cache-dir');
    const down = fakeFetch({ 'a.gz': A, 'b.gz': B }, ['https://official/']);
    await ensureDownloaded(source(), dir, down, log);
    expect(down.calls).toEqual(['https://official/a.gz', 'https://mirror/a.gz', 'https://official/b.gz', 'https://mirror/b.gz']);

    const dir2 = join(temp.root(), 'cache-dir-2');
    const wrong = fakeFetch({ 'a.gz': B, 'b.gz': B });
    await expect(ensureDownloaded(source(['https://official/']), dir2, wrong, log)).rejects.toThrow(
      `could not download a.gz:\n    https://official/a.gz: SHA-256 ${sha256(B)} does not match the published ${sha256(A)}`,
    );
    // Nothing unverified, and no partial file, is left behind.
    expect(existsSync(dir2) ? readdirSync(dir2) : []).toEqual([]);
  });

  it('lists every address tried and why it failed', async () => {
    const fetch = fakeFetch({}, ['https://official/']);
    await expect(ensureDownloaded(source(), join(temp.root(), 'c'), fetch, log)).rejects.toThrow(
      'could not download a.gz:\n    https://official/a.gz: connection refused\n    https://mirror/a.gz: HTTP 404 Not Found',
    );
  });

  it('puts the cache under $XDG_CACHE_HOME/selfkd, or ~/.cache/selfkd when that is unset or relative', () => {
    process.env.XDG_CACHE_HOME = '/somewhere/cache';
    expect(cacheDir('mnist')).toBe('/somewhere/cache/selfkd/mnist');
    process.env.XDG_CACHE_HOME = 'relative/cache';
    expect(cacheDir('mnist')).toBe(join(homedir(), '.cache', 'selfkd', 'mnist'));
    delete process.env.XDG_CACHE_HOME;
    expect(cacheDir('mnist')).toBe(join(homedir(), '.cache', 'selfkd', 'mnist'));
  });
});

describe('the default fetch, against a local HTTP server', () => {
  let server: Server;
  let base = '';
  beforeAll(async () => {
    server = createServer((request, response) => {
      if (request.url === '/a.gz') response.end(Buffer.from(A));
      else response.writeHead(404, 'Not Found').end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('returns the body bytes and fails on an HTTP error status', async () => {
    expect(await fetchBytes(`${base}a.gz`)).toEqual(new Uint8Array(A));
    await expect(fetchBytes(`${base}missing.gz`)).rejects.toThrow('HTTP 404 Not Found');
  });
});

describe('loadDataset downloads', () => {
  const temp = useTempDirs();

  it('checks downloaded MNIST files against the published SHA-256 and keeps nothing that fails', async () => {
    const fetch = fakeFetch({ 'train-images-idx3-ubyte.gz': A });
    const error = (await loadDataset({ name: 'mnist' }, { fetch }).catch((e: unknown) => e)) as Error;
    expect(error).toBeInstanceOf(DatasetError);
    expect(error.message).toContain(
      `https://yann.lecun.com/exdb/mnist/train-images-idx3-ubyte.gz: SHA-256 ${sha256(A)} does not match the published ` +
        '440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609',
    );
    expect(existsSync(join(temp.root(), 'cache', 'selfkd', 'mnist', 'train-images-idx3-ubyte.gz'))).toBe(false);
  });
});
