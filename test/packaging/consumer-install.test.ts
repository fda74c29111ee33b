import { mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runChecked, runProcess } from '../support/run-process.js';

const root = resolve(import.meta.dirname, '..', '..');

/** The tfjs range the packages' peerDependencies declare: its oldest and newest releases are installed. */
const TFJS_RANGE = '^4.20.0';
const TFJS_VERSIONS = ['4.20.0', '4.22.0'];
/**
 * What core + a regularizer + tfjs-core + the CPU backend may take on disk (file sizes, in MB).
 * tfjs-core and the CPU backend alone are 47.9 MB (4.22.0: five bundles and their source maps
 * each), so the budget is theirs plus what selfkd brings: its packages and their dependencies
 * (zod, inversify, yaml, reflect-metadata), 9.5 MB when this was written. It was 311 MB while core
 * depended on the whole @tensorflow/tfjs.
 */
const SIZE_BUDGET_MB = 60;
/** The part outside node_modules/@tensorflow: selfkd, its dependencies and tfjs-core's small ones. */
const OUTSIDE_TFJS_BUDGET_MB = 12;

/** Every installed package's folder under node_modules, nested copies included. */
function installedPackages(nodeModules: string): { dir: string; name: string; version: string }[] {
  const found: { dir: string; name: string; version: string }[] = [];
  const visit = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (!entry.isDirectory() || entry.name === '.bin' || entry.name === '.cache') continue;
      const path = join(dir, entry.name);
      if (entry.name.startsWith('@')) {
        visit(path);
        continue;
      }
      const manifest = JSON.parse(readFileSync(join(path, 'package.json'), 'utf8')) as { name: string; version: string };
      found.push({ dir: path, name: manifest.name, version: manifest.version });
      const nested = join(path, 'node_modules');
      if (statSync(nested, { throwIfNoEntry: false })?.isDirectory()) visit(nested);
    }
  };
  visit(nodeModules);
  return found;
}

function bytesUnder(dir: string): number {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) total += statSync(join(entry.parentPath, entry.name)).size;
  }
  return total;
}

// The README's "use it without the trainer" example, in plain JavaScript: a loss and its gradients.
const SCRIPT = `
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@selfkd/core';
import { sdDropoutLoss } from '@selfkd/sd-dropout';

await tf.setBackend('cpu');
const features = tf.randomNormal([8, 16], 0, 1, 'float32', 1);
const kernel = tf.variable(tf.randomNormal([16, 10], 0, 0.1, 'float32', 2));
const bias = tf.variable(tf.zeros([10]));
const head = (f) => tf.add(tf.matMul(f, kernel), bias);
const options = { rate: 0.5, temperature: 3, direction: 'both', detach: false, samples: 2 };
const { value, grads } = tf.variableGrads(() => sdDropoutLoss(features, head, options, 42), [kernel, bias]);
console.log(JSON.stringify({ tfjs: tf.version_core, loss: value.dataSync()[0], kernelGradNorm: tf.norm(grads[kernel.name]).dataSync()[0] }));
`;

describe(`@selfkd/core + @selfkd/sd-dropout installed with npm beside tfjs-core and the CPU backend (${TFJS_RANGE})`, () => {
  const tarballs: Record<string, string> = {};

  beforeAll(async () => {
    const packs = mkdtempSync(join(tmpdir(), 'selfkd-consumer-packs-'));
    await runChecked('npx', ['-y', 'pnpm@12.4.2', '--filter', '@selfkd/core', '--filter', '@selfkd/sd-dropout', 'pack', '--pack-destination', packs], { cwd: root });
    for (const name of ['core', 'sd-dropout']) {
      const file = readdirSync(packs).find((f) => f.startsWith(`selfkd-${name}-`));
      expect(file, `tarball of @selfkd/${name}`).toBeDefined();
      tarballs[`@selfkd/${name}`] = `file:${join(packs, file!)}`;
    }
    for (const pkg of ['core', 'sd-dropout']) {
      const manifest = JSON.parse(readFileSync(join(root, 'packages', pkg, 'package.json'), 'utf8')) as { peerDependencies: Record<string, string> };
      expect(manifest.peerDependencies['@tensorflow/tfjs-core'], `@selfkd/${pkg}'s tfjs-core peer range`).toBe(TFJS_RANGE);
    }
  });

  it.each(TFJS_VERSIONS)('with tfjs %s: one tfjs-core, within the size budget, trains without warnings', async (tfjs) => {
    const project = join(mkdtempSync(join(tmpdir(), 'selfkd-consumer-')), 'app');
    mkdirSync(project);
    const dependencies = { ...tarballs, '@tensorflow/tfjs-core': tfjs, '@tensorflow/tfjs-backend-cpu': tfjs };
    // overrides: npm takes @selfkd/core from its tarball for sd-dropout too, not from the registry.
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'app', private: true, type: 'module', dependencies, overrides: tarballs }, null, 2));
    const install = await runProcess('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: project });
    if (install.status !== 0 && /ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ETIMEDOUT|ECONNRESET|network/i.test(install.stderr)) {
      throw new Error(`this test installs tfjs from the npm registry, which is unreachable from here:\n${install.stderr}`);
    }
    expect(install.status, install.stderr).toBe(0);

    const packages = installedPackages(join(project, 'node_modules'));
    const tfjsCores = packages.filter((p) => p.name === '@tensorflow/tfjs-core');
    expect(tfjsCores.map((p) => p.version)).toEqual([tfjs]);
    expect(packages.map((p) => p.name)).not.toContain('@tensorflow/tfjs');
    expect(packages.map((p) => p.name)).not.toContain('@tensorflow/tfjs-layers');
    const megabytes = bytesUnder(join(project, 'node_modules')) / 1e6;
    const outsideTfjs = megabytes - bytesUnder(join(project, 'node_modules', '@tensorflow')) / 1e6;
    console.log(`tfjs ${tfjs}: ${packages.length} packages, ${megabytes.toFixed(1)} MB in node_modules, ${outsideTfjs.toFixed(1)} MB outside @tensorflow`);
    expect(megabytes).toBeLessThan(SIZE_BUDGET_MB);
    expect(outsideTfjs).toBeLessThan(OUTSIDE_TFJS_BUDGET_MB);

    writeFileSync(join(project, 'train-step.mjs'), SCRIPT);
    const run = await runProcess('node', ['train-step.mjs'], { cwd: project });
    expect(run.status, run.stderr).toBe(0);
    const result = JSON.parse(run.stdout.trim().split('\n').at(-1)!) as { tfjs: string; loss: number; kernelGradNorm: number };
    expect(result.tfjs).toBe(tfjs);
    expect(result.loss).toBeGreaterThan(0);
    expect(result.kernelGradNorm).toBeGreaterThan(0);
    expect(run.stderr).not.toMatch(/already registered|Overriding|Platform .* has already been set/);
  });
});
