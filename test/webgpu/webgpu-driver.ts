import { resolve } from 'node:path';
import { repoRoot } from '../support/cli.js';
import { runProcess } from '../support/run-process.js';

export type WebGpuDriver = { env: NodeJS.ProcessEnv } | { skip: string };

/**
 * The environment under which a child process finds a WebGPU adapter: this machine's own Vulkan
 * driver when SELFKD_WEBGPU_USE_SYSTEM_DRIVER=1 (a GPU machine, see benchmarks/gpu/check.sh),
 * otherwise Mesa's lavapipe fetched by scripts/ensure-webgpu-driver.sh (cached after the first
 * time). When neither can be had, the reason the webgpu tests are skipped.
 */
export async function webGpuDriver(): Promise<WebGpuDriver> {
  if (process.env.SELFKD_WEBGPU_USE_SYSTEM_DRIVER === '1') return { env: { ...process.env } };
  const script = resolve(repoRoot, 'scripts/ensure-webgpu-driver.sh');
  const fetched = await runProcess('bash', [script], { timeoutMs: 300_000 });
  if (fetched.status !== 0) {
    return { skip: `no software Vulkan driver for Dawn: ${script} failed (${fetched.stderr.trim().split('\n').pop() ?? `exit ${fetched.status}`})` };
  }
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const line of fetched.stdout.split('\n')) {
    const match = /^export ([A-Z_]+)='(.*)'$/.exec(line);
    if (match) env[match[1]!] = match[2]!;
  }
  return { env };
}
