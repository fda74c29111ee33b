#!/usr/bin/env bash
# Runs the vitest suite beside two CPU hogs (busy loops, one per core of a 2-core CI machine) and
# records the outcome in benchmarks/results/test-under-load.md: the suite must pass when CI
# machines are shared. Build first (`pnpm build`); takes about twice as long as the plain suite.
set -uo pipefail
cd "$(dirname "$0")/.."
out=benchmarks/results/test-under-load.md
hogs=()
for _ in 1 2; do
  node -e 'for (;;) {}' &
  hogs+=($!)
done
trap 'kill "${hogs[@]}" 2>/dev/null' EXIT
start=$(date +%s)
log=$(mktemp)
npx vitest run >"$log" 2>&1
status=$?
seconds=$(( $(date +%s) - start ))
load=$(cut -d' ' -f1-3 /proc/loadavg)
summary=$(grep -E '^\s+(Test Files|Tests|Errors?)\s' "$log" | sed 's/\x1b\[[0-9;]*m//g; s/^ *//')
rpc=$(grep -c 'Timeout calling' "$log" || true)
failed=$(grep -E '^ +(×|FAIL) ' "$log" | sed 's/\x1b\[[0-9;]*m//g; s/^ *//' | sort -u)
{
  echo "# The test suite on a loaded machine"
  echo
  echo "\`scripts/test-under-load.sh\`: \`vitest run\` beside two busy-loop processes, on $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'))."
  echo
  echo "- date: $(date -u +%Y-%m-%dT%H:%MZ), commit $(git rev-parse --short HEAD)"
  echo "- exit status of vitest: $status"
  echo "- wall time: ${seconds} s; load average at the end: $load"
  echo "- vitest RPC time-outs (\"Timeout calling\"): $rpc"
  echo
  echo '```'
  echo "$summary"
  echo '```'
  if [ -n "$failed" ]; then
    echo
    echo "Failed:"
    echo
    echo "$failed" | sed 's/^/- /'
  fi
} >"$out"
cat "$out"
rm -f "$log"
exit "$status"
