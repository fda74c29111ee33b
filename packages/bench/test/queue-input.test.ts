import { utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '@selfkd/core';
import { configHash, formatProgress, parseQueueUrl, runJobId, WORKER_LOCK_FILE } from '../src/index.js';
import { acquireRunFolderLock } from '../src/queue/run-folder-lock.js';
import { parseRunJobData } from '../src/queue/run-job.js';
import { tempDir } from './support/fake-bench.js';

describe('the queue URL', () => {
  it('gives host, port, database, credentials and TLS, and a form without the password', () => {
    expect(parseQueueUrl('redis://user:p%40ss@queue.lab:6380/2')).toEqual({
      host: 'queue.lab',
      port: 6380,
      db: 2,
      username: 'user',
      password: 'p@ss',
      tls: false,
      display: 'redis://user:***@queue.lab:6380/2',
    });
    expect(parseQueueUrl('rediss://:secret@[::1]')).toMatchObject({ host: '::1', port: 6379, db: 0, password: 'secret', tls: true, display: 'rediss://:***@[::1]' });
    expect(parseQueueUrl('redis://127.0.0.1:6379')).toEqual({ host: '127.0.0.1', port: 6379, db: 0, tls: false, display: 'redis://127.0.0.1:6379' });
  });

  it('rejects what it cannot use with a message that names the field and never the password', () => {
    for (const [url, message] of [
      ['http://u:hunter2@host:80', 'the scheme must be redis: or rediss:'],
      ['redis://u:hunter2@host:1/x', 'the path must be a database number'],
      ['redis://u:hunter2@host:1/0?tls=1', 'query strings'],
      ['u:hunter2@host', 'the scheme must be redis: or rediss:'],
      ['redis://u:hunter2@host:99999', 'not a URL'],
    ] as const) {
      const parse = () => parseQueueUrl(url);
      expect(parse).toThrow(ConfigError);
      expect(parse).toThrow(`--queue: ${message}`);
      expect(parse).not.toThrow(/hunter2/);
    }
  });
});

describe('a job payload', () => {
  const config = { seed: 1, data: { name: 'mnist-digits' }, model: { name: 'mlp' }, regularizers: [] };
  const valid = { combination: 'baseline', seed: 1, hash: configHash(config), config };

  it('is accepted when its hash is its config’s, with an id that depends on the hash only', () => {
    expect(parseRunJobData(valid)).toEqual(valid);
    expect(runJobId(valid.hash)).toBe(`run-${valid.hash}`);
  });

  it('is refused when it could escape the runs folder or does not match its hash', () => {
    expect(() => parseRunJobData({ ...valid, combination: '../../etc' })).toThrow(/combination name is not a plain folder name/);
    expect(() => parseRunJobData({ ...valid, config: { ...config, train: { epochs: 1 } } })).toThrow(/config hash .* does not match its config/);
    expect(() => parseRunJobData({ ...valid, seed: 2 })).toThrow(/seed 2 is not its config's seed \(1\)/);
    expect(() => parseRunJobData({ ...valid, seed: -1 })).toThrow(/seed must be a whole number/);
    expect(() => parseRunJobData('rm -rf /')).toThrow(/data is not an object/);
  });
});

describe('the progress of a queued bench', () => {
  it('says where runs train and how many are queued', () => {
    const line = formatProgress({
      total: 24,
      done: 3,
      running: 3,
      failed: 1,
      pending: 17,
      runningOn: { 'gpu-a#812': 2, 'gpu-b#90': 1 },
      etaSeconds: 725,
      event: { kind: 'started', run: 'cs-kd/seed-1', detail: 'on gpu-b#90' },
    });
    expect(line).toBe('3/24 done, 3 running (2 on gpu-a#812, 1 on gpu-b#90), 1 failed, 17 queued, ETA 12m05s (started: cs-kd/seed-1, on gpu-b#90)');
  });
});

describe('the run folder lock', () => {
  it('keeps a second worker waiting while the first holds the folder, and lets it in when the first lets go', async () => {
    const dir = tempDir();
    const first = await acquireRunFolderLock(dir, 'a', 5000);
    let secondIn = false;
    const second = acquireRunFolderLock(dir, 'b', 5000).then((lock) => ((secondIn = true), lock));
    await new Promise((r) => setTimeout(r, 600));
    expect(secondIn).toBe(false);
    first.release();
    (await second).release();
    expect(secondIn).toBe(true);
  });

  it('takes over the lock of a worker that stopped refreshing it', async () => {
    const dir = tempDir();
    const path = join(dir, WORKER_LOCK_FILE);
    writeFileSync(path, JSON.stringify({ worker: 'gone', host: 'another-host', pid: 1 }));
    const old = new Date(Date.now() - 10_000);
    utimesSync(path, old, old);
    const lock = await acquireRunFolderLock(dir, 'b', 5000);
    lock.release();
  });

  it('stops waiting when told to', async () => {
    const dir = tempDir();
    const held = await acquireRunFolderLock(dir, 'a', 5000);
    const abort = new AbortController();
    const waiting = acquireRunFolderLock(dir, 'b', 5000, abort.signal);
    abort.abort();
    await expect(waiting).rejects.toThrow(/abort/i);
    held.release();
  });
});
