import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

const RECORDED = [
  '@selfkd/core',
  '@selfkd/trainer',
  '@selfkd/data',
  '@selfkd/models',
  '@selfkd/wasm-kernels',
  '@tensorflow/tfjs-core',
  '@tensorflow/tfjs-layers',
  '@tensorflow/tfjs-backend-wasm',
  '@tensorflow/tfjs-backend-cpu',
  '@tensorflow/tfjs-backend-webgpu',
  'webgpu',
];

/** Versions of the packages that determine a result, as installed; extra names may be passed (plugins). */
export function packageVersions(extra: readonly string[] = []): Record<string, string> {
  const versions: Record<string, string> = {};
  for (const name of [...RECORDED, ...extra]) {
    try {
      versions[name] = (require(`${name}/package.json`) as { version: string }).version;
    } catch {
      // not resolvable from here (an optional package): not part of this run
    }
  }
  return versions;
}
