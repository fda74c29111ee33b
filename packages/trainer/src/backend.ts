import * as tf from '@tensorflow/tfjs-core';
import { InputError, type Backend } from '@selfkd/core';

export interface BackendProbe {
  name: Exclude<Backend, 'auto'>;
  available: boolean;
  /** Why it is not available (or which package provides it). */
  detail: string;
}

export interface SelectedBackend {
  /** The tfjs backend name actually in use (`tensorflow`, `wasm`, `cpu`). */
  name: string;
  /** The package that provided it, e.g. `@tensorflow/tfjs-node-gpu`. */
  provider: string;
}

const NODE_PACKAGES = ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node'] as const;

/**
 * Tries the native TensorFlow bindings first (GPU, then CPU): they are optional and cannot install
 * where libtensorflow cannot be downloaded, so their absence is normal. Then wasm (with the selfkd
 * training kernels), then the pure-JS cpu backend.
 */
export async function selectBackend(requested: Backend): Promise<SelectedBackend> {
  const order: Exclude<Backend, 'auto'>[] = requested === 'auto' ? ['tensorflow', 'wasm', 'cpu'] : [requested];
  const failures: string[] = [];
  for (const name of order) {
    const result = await tryBackend(name);
    if (result.ok) return result.selected;
    failures.push(`${name}: ${result.reason}`);
  }
  // What the config or --backend asks for cannot be had here: bad input, found before any work.
  throw new InputError(`backend "${requested}" is not available here:\n  ${failures.join('\n  ')}\nrun \`selfkd list\` to see what is available and why`);
}

/** Which backends could be used here and why not; loads nothing into the engine permanently except the probed packages. */
export async function probeBackends(): Promise<BackendProbe[]> {
  const node = await importNodeBinding();
  const wasm = await importOptional('@tensorflow/tfjs-backend-wasm');
  return [
    { name: 'tensorflow', available: node.ok, detail: node.ok ? `via ${node.provider}` : node.reason },
    { name: 'wasm', available: wasm.ok, detail: wasm.ok ? 'XNNPACK with SIMD, plus @selfkd/wasm-kernels training kernels' : wasm.reason },
    { name: 'cpu', available: true, detail: 'pure JavaScript; slow for convolutions' },
  ];
}

async function tryBackend(name: Exclude<Backend, 'auto'>): Promise<{ ok: true; selected: SelectedBackend } | { ok: false; reason: string }> {
  if (name === 'tensorflow') {
    const node = await importNodeBinding();
    if (!node.ok) return { ok: false, reason: node.reason };
    return (await tf.setBackend('tensorflow'))
      ? { ok: true, selected: { name: 'tensorflow', provider: node.provider } }
      : { ok: false, reason: `${node.provider} loaded but its backend failed to initialise` };
  }
  if (name === 'wasm') {
    const wasm = await importOptional('@tensorflow/tfjs-backend-wasm');
    if (!wasm.ok) return { ok: false, reason: wasm.reason };
    if (!(await tf.setBackend('wasm'))) return { ok: false, reason: 'the wasm backend failed to initialise' };
    const { registerWasmTrainingKernels } = await import('@selfkd/wasm-kernels');
    registerWasmTrainingKernels();
    return { ok: true, selected: { name: 'wasm', provider: '@tensorflow/tfjs-backend-wasm + @selfkd/wasm-kernels' } };
  }
  await import('@tensorflow/tfjs-backend-cpu');
  await tf.setBackend('cpu');
  skipNodeBackendAdvice();
  return { ok: true, selected: { name: 'cpu', provider: '@tensorflow/tfjs-backend-cpu' } };
}

/**
 * In Node the cpu backend's first tensor prints a banner advising to install tfjs-node. Here that
 * advice is noise (the native bindings were just tried, and `selfkd list` says why they are not
 * there). tfjs prints it through its logger, which is silent in PROD mode: so the backend's first
 * tensor is made with PROD on, and the flag goes back to what it was, keeping every other warning.
 */
function skipNodeBackendAdvice(): void {
  const env = tf.env();
  const prod = env.getBool('PROD');
  env.set('PROD', true);
  try {
    tf.zeros([1]).dispose();
  } finally {
    env.set('PROD', prod);
  }
}

async function importNodeBinding(): Promise<{ ok: true; provider: string } | { ok: false; reason: string }> {
  const reasons: string[] = [];
  for (const pkg of NODE_PACKAGES) {
    const result = await importOptional(pkg);
    if (result.ok) return { ok: true, provider: pkg };
    reasons.push(`${pkg}: ${result.reason}`);
  }
  return { ok: false, reason: reasons.join('; ') };
}

async function importOptional(pkg: string): Promise<{ ok: true } | { ok: false; reason: string }> {
  try {
    await import(pkg);
    return { ok: true };
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    if (e.code === 'ERR_MODULE_NOT_FOUND' && e.message.includes(pkg)) return { ok: false, reason: 'not installed (optional)' };
    return { ok: false, reason: `installed but failed to load: ${e.message.split('\n')[0]}` };
  }
}
