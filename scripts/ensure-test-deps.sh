#!/usr/bin/env bash
# Installs the Debian packages the test suite uses when they are missing, so that the README's test
# command passes on a fresh Debian machine with only Node and npm:
#   python3-torch          the PyTorch cross-checks of every loss, gradient and model
#   python3-protobuf       Google's protobuf parsing the TensorBoard event files selfkd writes
#   dataset-fashion-mnist  the Fashion-MNIST loader test
#   chromium               the test that renders the bench report
#   redis-server           the queued bench tests (each starts its own server on a loopback port)
# Needs root (or password-less sudo) only when something is missing; otherwise it does nothing.
# It also fetches the software Vulkan driver the webgpu tests run on into a cache folder
# (scripts/ensure-webgpu-driver.sh, no root needed); when that fails the webgpu tests say so and skip.
set -euo pipefail

bash "$(dirname "$0")/ensure-webgpu-driver.sh" >/dev/null || echo "the webgpu tests will be skipped: no software Vulkan driver (see above)" >&2

need=()
/usr/bin/python3 -c 'import torch' 2>/dev/null || need+=(python3-torch)
/usr/bin/python3 -c 'import google.protobuf' 2>/dev/null || need+=(python3-protobuf)
[ -f /usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz ] || need+=(dataset-fashion-mnist)
[ -x /usr/bin/chromium ] || need+=(chromium)
[ -x /usr/bin/redis-server ] || need+=(redis-server)
[ ${#need[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -eq 0 ]; then
  as_root=()
elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
  as_root=(sudo -n)
else
  echo "the tests need these Debian packages: ${need[*]}" >&2
  echo "install them as root (apt-get install ${need[*]}) and run the tests again" >&2
  exit 1
fi
if ! command -v apt-get >/dev/null; then
  echo "the tests need these Debian packages, and this machine has no apt-get: ${need[*]}" >&2
  exit 1
fi
echo "installing Debian packages the tests use: ${need[*]}"
"${as_root[@]}" apt-get update -q
DEBIAN_FRONTEND=noninteractive "${as_root[@]}" apt-get install -y -q --no-install-recommends "${need[@]}"
