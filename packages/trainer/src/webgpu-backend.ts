import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { importOptional } from './optional-import.js';

/** The WebGPU adapter a run uses, as Dawn describes it (recorded in result.json `env.adapter`). */
export interface WebGpuAdapter {
  vendor: string;
  architecture: string;
  device: string;
  description: string;
  /** A CPU implementation (Mesa's lavapipe/llvmpipe, SwiftShader): correct but slower than wasm. */
  software: boolean;
}

export type WebGpuStart = { ok: true; adapter: WebGpuAdapter } | { ok: false; reason: string };

// The few members of Dawn's Node binding (npm `webgpu`) used here, typed locally so that selfkd
// compiles and loads where the optional package is absent.
interface DawnBinding {
  create(flags: string[]): DawnGpu;
  globals: object;
}
interface DawnGpu {
  requestAdapter(options?: { powerPreference?: 'high-performance' | 'low-power' }): Promise<DawnAdapter | null>;
}
interface DawnAdapter {
  info: { vendor: string; architecture: string; device: string; description: string; isFallbackAdapter?: boolean };
}
interface WebGpuBackendInternals {
  device?: { destroy(): void };
}

const DAWN_PACKAGE = 'webgpu';
const TFJS_WEBGPU_PACKAGE = '@tensorflow/tfjs-backend-webgpu';
const SOFTWARE_DEVICE = /llvmpipe|lavapipe|swiftshader|softpipe/i;

/** Whether a software adapter may be chosen by `backend: auto` (an explicit `backend: webgpu` always may). */
export function softwareAdapterAllowed(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.SELFKD_WEBGPU_ALLOW_SOFTWARE === '1';
}

/**
 * Makes Dawn's WebGPU visible to tfjs (Node has no `navigator.gpu`) and finds its adapter, without
 * importing tfjs's webgpu backend yet: that one registers itself only when `navigator.gpu` exists
 * at import time.
 */
export async function findWebGpuAdapter(): Promise<WebGpuStart> {
  // Dawn would print its own warnings on every run of a machine without Vulkan; say it once, plainly.
  if (process.platform === 'linux' && !vulkanLoaderInstalled()) {
    return { ok: false, reason: 'the Vulkan loader libvulkan.so.1 is not installed (Debian: apt install libvulkan1), and a Vulkan driver is needed too' };
  }
  const dawn = await importOptional<DawnBinding>(DAWN_PACKAGE);
  if (!dawn.ok) return { ok: false, reason: `${DAWN_PACKAGE} (Dawn's Node binding): ${dawn.reason}` };
  const gpu = installNavigatorGpu(dawn.module);
  const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  if (!adapter) {
    return {
      ok: false,
      reason:
        'Dawn found no Vulkan adapter: it needs the Vulkan loader (libvulkan.so.1, Debian package libvulkan1) and a Vulkan driver ' +
        '(a GPU vendor\'s ICD, or Mesa lavapipe from bookworm-backports via scripts/ensure-webgpu-driver.sh)',
    };
  }
  const { vendor, architecture, device, description, isFallbackAdapter } = adapter.info;
  const software = isFallbackAdapter === true || architecture === 'software' || SOFTWARE_DEVICE.test(`${device} ${description}`);
  return { ok: true, adapter: { vendor, architecture, device, description, software } };
}

/** Selects tfjs's webgpu backend on the adapter `findWebGpuAdapter` found. */
export async function startWebGpuBackend(): Promise<{ ok: true } | { ok: false; reason: string }> {
  const backend = await importOptional(TFJS_WEBGPU_PACKAGE);
  if (!backend.ok) return { ok: false, reason: `${TFJS_WEBGPU_PACKAGE}: ${backend.reason}` };
  try {
    if (await tf.setBackend('webgpu')) return { ok: true };
    return { ok: false, reason: `${TFJS_WEBGPU_PACKAGE} failed to initialise on this adapter` };
  } catch (err) {
    return { ok: false, reason: `${TFJS_WEBGPU_PACKAGE} failed to initialise: ${(err as Error).message.split('\n')[0]}` };
  }
}

/**
 * Frees the GPU device so that the process can exit: Dawn keeps Node's event loop alive while a
 * device exists. Afterwards tensors on webgpu are gone; call it when a command has finished.
 */
export function releaseWebGpu(): void {
  const backend = tf.findBackend('webgpu') as WebGpuBackendInternals | null;
  if (!backend) return;
  const device = backend.device;
  tf.removeBackend('webgpu');
  device?.destroy();
}

/** A one-line description of the adapter for logs, e.g. `nvidia hopper "NVIDIA H100" (software)`. */
export function describeAdapter(adapter: WebGpuAdapter): string {
  const name = adapter.device || adapter.description || 'unnamed device';
  return `${adapter.vendor || 'unknown vendor'} ${adapter.architecture || 'unknown architecture'} "${name}"${adapter.software ? ' (software)' : ''}`;
}

/** Whether the dynamic linker can find libvulkan.so.1 (which dawn.node loads at run time). */
function vulkanLoaderInstalled(): boolean {
  const dirs = [
    ...(process.env.LD_LIBRARY_PATH ?? '').split(':').filter(Boolean),
    ...['/lib', '/usr/lib', '/lib64', '/usr/lib64', '/usr/local/lib'].flatMap((d) => [d, join(d, `${process.arch === 'arm64' ? 'aarch64' : 'x86_64'}-linux-gnu`)]),
  ];
  if (dirs.some((d) => existsSync(join(d, 'libvulkan.so.1')))) return true;
  try {
    return readFileSync('/etc/ld.so.cache').includes('libvulkan.so.1');
  } catch {
    return false;
  }
}

function installNavigatorGpu(dawn: DawnBinding): DawnGpu {
  const existing = (globalThis as { navigator?: { gpu?: DawnGpu } }).navigator;
  if (existing?.gpu) return existing.gpu;
  // GPUBufferUsage, GPUMapMode, … are globals in a browser and tfjs's webgpu backend reads them so.
  Object.assign(globalThis, dawn.globals);
  const gpu = dawn.create([]);
  Object.defineProperty(globalThis, 'navigator', { value: { ...existing, gpu }, configurable: true, writable: true });
  return gpu;
}
