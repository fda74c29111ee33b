import * as tf from '@tensorflow/tfjs-core';
import { InputError, type Backend } from '@selfkd/core';
import { importOptional } from './optional-import.js';
import { describeAdapter, findWebGpuAdapter, releaseWebGpu, softwareAdapterAllowed, startWebGpuBackend, type WebGpuAdapter } from './webgpu-backend.js';

export interface BackendProbe {
  name: Exclude<Backend, 'auto'>;
  available: boolean;
  /** Why it is not available (or which package provides it). */
  detail: string;
}

export interface SelectedBackend {
  /** The tfjs backend name actually in use (`tensorflow`, `webgpu`, `wasm`, `cpu`). */
  name: string;
  /** The package that provided it, e.g. `@tensorflow/tfjs-node-gpu`. */
  provider: string;
  /** On webgpu: the adapter in use. */
  adapter?: WebGpuAdapter;
}

type Attempt = { ok: true; selected: SelectedBackend } | { ok: false; reason: string };

interface Candidate {
  /** How the attempt is named when it fails. */
  label: string;
  attempt: () => Promise<Attempt>;
}

const NODE_GPU = '@tensorflow/tfjs-node-gpu';
const NODE_CPU = '@tensorflow/tfjs-node';

/**
 * `auto` tries, in order: the native TensorFlow binding for CUDA (optional, rarely installable),
 * WebGPU on a hardware adapter, the native TensorFlow binding for the CPU, wasm (with the selfkd
 * training kernels), then the pure-JS cpu backend. A software WebGPU adapter is slower than wasm,
 * so `auto` takes it only with SELFKD_WEBGPU_ALLOW_SOFTWARE=1; `webgpu` asked for by name takes it.
 */
export async function selectBackend(requested: Backend): Promise<SelectedBackend> {
  const failures: string[] = [];
  for (const candidate of candidates(requested)) {
    const result = await candidate.attempt();
    if (result.ok) return result.selected;
    failures.push(`${candidate.label}: ${result.reason}`);
  }
  // What the config or --backend asks for cannot be had here: bad input, found before any work.
  throw new InputError(`backend "${requested}" is not available here:\n  ${failures.join('\n  ')}\nrun \`selfkd list\` to see what is available and why`);
}

/**
 * Lets the process exit once a command has finished with the backend: a WebGPU device keeps Node's
 * event loop alive. Nothing to do on the other backends.
 */
export function releaseBackend(): void {
  releaseWebGpu();
}

/** Which backends could be used here and why not; loads nothing into the engine permanently except the probed packages. */
export async function probeBackends(): Promise<BackendProbe[]> {
  const node = await importNodeBinding([NODE_GPU, NODE_CPU]);
  const webgpu = await findWebGpuAdapter();
  const wasm = await importOptional('@tensorflow/tfjs-backend-wasm');
  return [
    { name: 'tensorflow', available: node.ok, detail: node.ok ? `via ${node.provider}` : node.reason },
    {
      name: 'webgpu',
      available: webgpu.ok,
      detail: webgpu.ok
        ? `Dawn on ${describeAdapter(webgpu.adapter)}${webgpu.adapter.software ? '; `auto` skips a software adapter unless SELFKD_WEBGPU_ALLOW_SOFTWARE=1' : ''}`
        : webgpu.reason,
    },
    { name: 'wasm', available: wasm.ok, detail: wasm.ok ? 'XNNPACK with SIMD, plus @selfkd/wasm-kernels training kernels' : wasm.reason },
    { name: 'cpu', available: true, detail: 'pure JavaScript; slow for convolutions' },
  ];
}

function candidates(requested: Backend): Candidate[] {
  const nodeGpu = { label: `tensorflow (${NODE_GPU})`, attempt: () => tryNodeBinding([NODE_GPU]) };
  const nodeCpu = { label: `tensorflow (${NODE_CPU})`, attempt: () => tryNodeBinding([NODE_CPU]) };
  const webgpu = (allowSoftware: boolean): Candidate => ({ label: 'webgpu', attempt: () => tryWebGpu(allowSoftware) });
  const wasm = { label: 'wasm', attempt: tryWasm };
  const cpu = { label: 'cpu', attempt: tryCpu };
  switch (requested) {
    case 'auto':
      return [nodeGpu, webgpu(softwareAdapterAllowed()), nodeCpu, wasm, cpu];
    case 'tensorflow':
      return [{ label: 'tensorflow', attempt: () => tryNodeBinding([NODE_GPU, NODE_CPU]) }];
    case 'webgpu':
      return [webgpu(true)];
    case 'wasm':
      return [wasm];
    case 'cpu':
      return [cpu];
  }
}

async function tryNodeBinding(packages: readonly string[]): Promise<Attempt> {
  const node = await importNodeBinding(packages);
  if (!node.ok) return { ok: false, reason: node.reason };
  return (await tf.setBackend('tensorflow'))
    ? { ok: true, selected: { name: 'tensorflow', provider: node.provider } }
    : { ok: false, reason: `${node.provider} loaded but its backend failed to initialise` };
}

async function tryWebGpu(allowSoftware: boolean): Promise<Attempt> {
  const found = await findWebGpuAdapter();
  if (!found.ok) return found;
  if (found.adapter.software && !allowSoftware) {
    return { ok: false, reason: `only a software adapter, ${describeAdapter(found.adapter)} (use it with backend: webgpu or SELFKD_WEBGPU_ALLOW_SOFTWARE=1)` };
  }
  const started = await startWebGpuBackend();
  if (!started.ok) return started;
  return { ok: true, selected: { name: 'webgpu', provider: '@tensorflow/tfjs-backend-webgpu on Dawn (npm webgpu)', adapter: found.adapter } };
}

async function tryWasm(): Promise<Attempt> {
  const wasm = await importOptional('@tensorflow/tfjs-backend-wasm');
  if (!wasm.ok) return { ok: false, reason: wasm.reason };
  if (!(await tf.setBackend('wasm'))) return { ok: false, reason: 'the wasm backend failed to initialise' };
  const { registerWasmTrainingKernels } = await import('@selfkd/wasm-kernels');
  registerWasmTrainingKernels();
  return { ok: true, selected: { name: 'wasm', provider: '@tensorflow/tfjs-backend-wasm + @selfkd/wasm-kernels' } };
}

async function tryCpu(): Promise<Attempt> {
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

async function importNodeBinding(packages: readonly string[]): Promise<{ ok: true; provider: string } | { ok: false; reason: string }> {
  const reasons: string[] = [];
  for (const pkg of packages) {
    const result = await importOptional(pkg);
    if (result.ok) return { ok: true, provider: pkg };
    reasons.push(`${pkg}: ${result.reason}`);
  }
  return { ok: false, reason: reasons.join('; ') };
}
