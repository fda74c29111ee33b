// Writes benchmarks/results/gpu.md from what benchmarks/gpu/check.sh recorded: the run on this
// machine's GPU driver (gpu-hardware.json) and the run on Mesa's software driver (gpu-software.json),
// each with the driver, the Vulkan ICDs, the correctness suite's outcome and the timing of
// benchmarks/gpu/train-steps.mjs. A run not made yet is said to be not measured.
//   node benchmarks/gpu/write-results.mjs
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import console from 'node:console';

const DIR = 'benchmarks/results';
const OUT = `${DIR}/gpu.md`;
const fmt = (v, digits = 1) => (v === null || v === undefined ? 'n/a' : Number(v).toFixed(digits));

function section(title, file) {
  if (!existsSync(file)) return `## ${title}\n\nNot measured yet: run \`benchmarks/gpu/check.sh\` on such a machine (see below).\n`;
  const run = JSON.parse(readFileSync(file, 'utf8'));
  const t = run.timing;
  const a = t.adapter ?? {};
  // The convolutions' rate as a share of the FP32 peak check.sh was given (`--peak-tflops`).
  const peakShare = run.peakTflops && t.convolutionGflopPerSecond ? `${fmt((100 * t.convolutionGflopPerSecond) / (run.peakTflops * 1000), 1)} % of ${run.peakTflops} TFLOP/s` : 'n/a (no `--peak-tflops` given)';
  const top = Object.entries(t.kernels)
    .slice(0, 8)
    .map(([name, k]) => `| ${name} | ${k.calls} | ${fmt(k.ms, 1)} | ${t.allKernelMs > 0 ? fmt((100 * k.ms) / t.allKernelMs, 1) : 'n/a'} % |`)
    .join('\n');
  return `## ${title}

- Date: ${run.date}; machine: ${run.machine}
- Driver: ${run.driver}
- Vulkan ICDs: ${run.icds}
- Adapter: ${a.vendor} / ${a.architecture} / ${a.device} (${a.description})${a.software ? ', software' : ''}
- Correctness suite (\`test/webgpu\`, webgpu against cpu): ${run.correctness}
- Command: \`${run.command}\`

| model | batch | steps timed | s / step | images / s | warm-up (${t.warmup} steps, shader compilation) |
| --- | --- | --- | --- | --- | --- |
| ${t.model} | ${t.batch} | ${t.steps} | ${fmt(t.secondsPerStep, 3)} | ${fmt(t.imagesPerSecond, 1)} | ${fmt(t.warmupSeconds, 1)} s |

Convolutions in one profiled step: ${fmt(t.convolutionGflop, 2)} GFLOP in ${fmt(t.convolutionKernelMs, 1)} ms of kernel time
(${fmt(t.convolutionGflopPerSecond, 1)} GFLOP/s; FP32 peak share: ${peakShare}); all kernels ${fmt(t.allKernelMs, 1)} ms.

| kernel | calls | ms in the profiled step | share of kernel time |
| --- | --- | --- | --- |
${top}
`;
}

const body = `# GPU training through WebGPU (Dawn)

selfkd's \`webgpu\` backend: \`@tensorflow/tfjs-backend-webgpu\` on Dawn's Node binding (npm \`webgpu\`),
which drives the GPU through Vulkan. Training steps are timed by \`benchmarks/gpu/train-steps.mjs\`
(CIFAR ResNet-18, SGD with momentum, CIFAR-shaped random data, the loss read back once per step)
after warm-up steps that compile the shaders; one more step is profiled kernel by kernel with
WebGPU timestamp queries.

${section('NVIDIA GPU (full-width ResNet-18, batch 128, 20 steps)', `${DIR}/gpu-hardware.json`)}
${section('Software driver: Mesa lavapipe (correctness only; a reduced model, the CPU is slow)', `${DIR}/gpu-software.json`)}
## Reproducing

On a machine with an NVIDIA GPU, its driver with Vulkan (\`libGLX_nvidia.so.0\` and an ICD JSON
under /usr/share/vulkan/icd.d or /etc/vulkan/icd.d; in a container the \`graphics\` driver
capability) and the Vulkan loader (\`libvulkan1\`), after \`pnpm install && pnpm build\`:

\`\`\`sh
benchmarks/gpu/check.sh --peak-tflops 67     # the GPU's FP32 peak, for the share reached in the convolutions
benchmarks/gpu/check.sh --software           # the same on Mesa's lavapipe, with a reduced model
\`\`\`
`;
writeFileSync(OUT, body);
console.log(`wrote ${OUT}`);
