import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runChecked } from './support/run-process.js';

const root = resolve(import.meta.dirname, '..');
const PNPM = ['-y', 'pnpm@12.4.2'];

/** The first ```js block of a README: the example users copy. */
function readmeExample(pkg: string): string {
  const text = readFileSync(join(root, 'packages', pkg, 'README.md'), 'utf8');
  const match = /```js\n([\s\S]*?)```/.exec(text);
  if (!match) throw new Error(`packages/${pkg}/README.md has no js example`);
  return match[1]!;
}

describe('published packages', () => {
  it('install from their tarballs into an empty project and run the trainer README example', async () => {
    const packs = mkdtempSync(join(tmpdir(), 'selfkd-packs-'));
    await runChecked('npx', [...PNPM, '-r', '--filter', './packages/*', 'pack', '--pack-destination', packs], { cwd: root });
    const tarballs = readdirSync(packs).filter((f) => f.endsWith('.tgz'));
    const wanted = ['core', 'label-smoothing', 'trainer', 'data', 'models', 'wasm-kernels'];
    const deps: Record<string, string> = {};
    for (const name of wanted) {
      const file = tarballs.find((t) => t.startsWith(`selfkd-${name}-`));
      expect(file, `tarball of @selfkd/${name}`).toBeDefined();
      deps[`@selfkd/${name}`] = `file:${join(packs, file!)}`;
    }
    // Each tarball's manifest must name its dependencies by version, not workspace protocol.
    const manifest = await runChecked('tar', ['-xOzf', join(packs, tarballs.find((t) => t.startsWith('selfkd-trainer-'))!), 'package/package.json']);
    expect(manifest).not.toContain('workspace:');
    expect(JSON.parse(manifest).exports['.'].types).toBe('./dist/index.d.ts');

    const project = mkdtempSync(join(tmpdir(), 'selfkd-consumer-'));
    // overrides make npm take the sibling @selfkd packages from the tarballs, not the registry.
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module', dependencies: deps, overrides: deps }, null, 2));
    await runChecked('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: project });
    writeFileSync(join(project, 'example.mjs'), readmeExample('trainer'));
    const output = await runChecked('node', ['example.mjs'], { cwd: project });
    const top1 = Number(/test top-1 ([\d.]+)% on wasm/.exec(output)?.[1]);
    expect(top1).toBeGreaterThan(70);
    expect(readdirSync(join(project, 'runs', 'readme-example')).sort()).toEqual(['checkpoints', 'config.resolved.json', 'metrics.jsonl', 'result.json']);
  });
});
