#!/usr/bin/env bash
# GPU check for selfkd's webgpu backend, for a person with an NVIDIA machine; needs no network once
# `pnpm install && pnpm build` has run. Prints the driver, the Vulkan ICDs and the WebGPU adapter,
# runs the correctness suite (test/webgpu: webgpu against cpu), times 20 training steps of
# full-width CIFAR ResNet-18 at batch 128, and writes benchmarks/results/gpu.md (with
# benchmarks/results/gpu-hardware.json). Under 10 minutes on a data-centre GPU.
#
#   benchmarks/gpu/check.sh [--peak-tflops N]   N: the GPU's FP32 peak, to report the share reached
#   benchmarks/gpu/check.sh --software          the same on Mesa's lavapipe (scripts/ensure-webgpu-driver.sh),
#                                               with a reduced model (width 1/8, batch 16, 3 steps): correctness only
set -euo pipefail
cd "$(dirname "$0")/../.."

software=0
peak=null
while [ $# -gt 0 ]; do
  case "$1" in
    --software) software=1 ;;
    --peak-tflops) peak="$2"; shift ;;
    *) echo "usage: $0 [--software] [--peak-tflops N]" >&2; exit 2 ;;
  esac
  shift
done
[ -f packages/cli/dist/bin.js ] || { echo "build first: npx -y pnpm@12.4.2 install --frozen-lockfile && npx -y pnpm@12.4.2 build" >&2; exit 2; }

if [ "$software" = 1 ]; then
  eval "$(bash scripts/ensure-webgpu-driver.sh)"
  export SELFKD_WEBGPU_USE_SYSTEM_DRIVER=1   # for the test suite: use the driver selected here
  timing_args=(--width=0.125 --batch=16 --warmup=1 --steps=3)
  record=benchmarks/results/gpu-software.json
else
  export SELFKD_WEBGPU_USE_SYSTEM_DRIVER=1
  timing_args=(--width=1 --batch=128 --warmup=3 --steps=20)
  record=benchmarks/results/gpu-hardware.json
fi

echo "== driver"
if command -v nvidia-smi >/dev/null; then
  driver=$(nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader | head -1)
elif [ "$software" = 1 ]; then
  driver="Mesa lavapipe from ${SELFKD_WEBGPU_DRIVER_DIR}"
else
  driver="no nvidia-smi on this machine"
fi
echo "$driver"

echo "== Vulkan ICDs"
icds=$( { echo "${VK_ICD_FILENAMES:-}" | tr ':' '\n'; ls /usr/share/vulkan/icd.d/*.json /etc/vulkan/icd.d/*.json 2>/dev/null || true; } | grep -v '^$' | sort -u | tr '\n' ' ' || true)
echo "${icds:-none found}"

echo "== adapter (selfkd list)"
node packages/cli/dist/bin.js list 2>/dev/null | grep -E '^\s+webgpu' || true

echo "== correctness: test/webgpu (webgpu against cpu)"
started=$(date +%s)
if npx vitest run test/webgpu/webgpu-backend.test.ts; then
  correctness="passed in $(( $(date +%s) - started )) s"
else
  correctness="FAILED (see the output of check.sh)"
fi
echo "$correctness"

echo "== timing: node benchmarks/gpu/train-steps.mjs ${timing_args[*]}"
timing=$(node benchmarks/gpu/train-steps.mjs "${timing_args[@]}" | tail -1)
echo "$timing" | node -e 'const t = JSON.parse(require("fs").readFileSync(0, "utf8")); console.log(`${t.model}, batch ${t.batch}: ${t.secondsPerStep.toFixed(3)} s/step, ${t.imagesPerSecond.toFixed(1)} images/s`)'

command_line="benchmarks/gpu/check.sh"
[ "$software" = 1 ] && command_line+=" --software"
[ "$peak" != null ] && command_line+=" --peak-tflops $peak"
machine="$(uname -srm), $(nproc) CPU cores"
TIMING="$timing" DRIVER="$driver" ICDS="$icds" CORRECTNESS="$correctness" COMMAND="$command_line" MACHINE="$machine" PEAK="$peak" node -e '
  const e = process.env;
  const record = { date: new Date().toISOString().slice(0, 10), machine: e.MACHINE, driver: e.DRIVER, icds: e.ICDS || "none found",
    correctness: e.CORRECTNESS, command: e.COMMAND, peakTflops: e.PEAK === "null" ? null : Number(e.PEAK), timing: JSON.parse(e.TIMING) };
  require("fs").writeFileSync(process.argv[1], JSON.stringify(record, null, 2) + "\n");
' "$record"
node benchmarks/gpu/write-results.mjs
