import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runProcess } from '../support/run-process.js';

const root = resolve(import.meta.dirname, '..', '..');

describe('API reference', () => {
  it('builds with TypeDoc from every package entry point, warnings as errors (typedoc.json)', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'selfkd-api-')), 'api');
    // A child process: TypeDoc reads 22 TypeScript programs, about a minute of CPU.
    const { status, stdout, stderr } = await runProcess(join(root, 'node_modules', '.bin', 'typedoc'), ['--out', out], { cwd: root });
    expect(status, `${stdout}\n${stderr}`).toBe(0);
    expect(`${stdout}${stderr}`).not.toMatch(/\[warning\]|\[error\]/);
    const index = readFileSync(join(out, 'index.html'), 'utf8');
    for (const dir of readdirSync(join(root, 'packages'))) {
      const { name } = JSON.parse(readFileSync(join(root, 'packages', dir, 'package.json'), 'utf8')) as { name: string };
      expect(index, `${name} in the reference`).toContain(name);
    }
    // A documented export of core, with its TSDoc text.
    const kl = readdirSync(join(out, 'functions')).find((f) => f.includes('klDivBatchmean'));
    expect(kl).toBeDefined();
    expect(readFileSync(join(out, 'functions', kl!), 'utf8')).toContain('summed over classes, averaged over the batch');
  });
});
