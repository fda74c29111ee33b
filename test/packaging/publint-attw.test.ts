import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runProcess } from '../support/run-process.js';

const root = resolve(import.meta.dirname, '..', '..');

describe('published tarballs', () => {
  it('pass publint --strict and Are the Types Wrong, ship no build cache, and ship the sources their maps name', async () => {
    // In a child process: packing 22 packages and type-resolving each is seconds of CPU.
    const { status, stdout, stderr } = await runProcess('node', [join(root, 'scripts', 'check-packages.mjs')], { cwd: root });
    expect(status, `${stdout}\n${stderr}`).toBe(0);
    const checked = [...stdout.matchAll(/^ok {3}(\S+)-\d+\.\d+\.\d+\.tgz/gm)].map((m) => m[1]);
    const published = readdirSync(join(root, 'packages'))
      .map((dir) => JSON.parse(readFileSync(join(root, 'packages', dir, 'package.json'), 'utf8')) as { name: string; private?: boolean })
      .filter((pkg) => !pkg.private)
      .map((pkg) => pkg.name.replace('@', '').replace('/', '-'));
    expect(checked.sort()).toEqual(published.sort());
  });
});
