#!/usr/bin/env bash
# Fetches a software Vulkan driver that Dawn (npm `webgpu`) accepts, for the webgpu test suite on
# machines without a GPU: Mesa's lavapipe from bookworm-backports (bookworm's own Mesa 22 lacks the
# array dynamic indexing features Dawn requires), with the Vulkan loader and the libraries the
# lavapipe ICD links against. Nothing on the system changes: apt runs with a private sources list,
# package lists and cache, and the packages are unpacked with `dpkg -x` into a cache folder.
#
# Prints the environment to use, as `export NAME=value` lines (eval them), and exits 0.
# When the driver cannot be had it prints why on stderr and exits 3; callers decide whether that
# matters (the test suite then skips the webgpu tests, saying why).
#
#   eval "$(scripts/ensure-webgpu-driver.sh)"
#
# Cache: $SELFKD_WEBGPU_DRIVER_DIR, default ~/.cache/selfkd/mesa-backports.
set -euo pipefail

dir="${SELFKD_WEBGPU_DRIVER_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/selfkd/mesa-backports}"
root="$dir/root"
icd="$dir/lvp_icd.json"
libdir="$root/usr/lib/x86_64-linux-gnu"

print_env() {
  echo "export VK_ICD_FILENAMES='$icd'"
  echo "export VK_DRIVER_FILES='$icd'"
  echo "export LD_LIBRARY_PATH='$libdir${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}'"
  echo "export XDG_RUNTIME_DIR='${XDG_RUNTIME_DIR:-$dir/runtime}'"
  echo "export SELFKD_WEBGPU_DRIVER_DIR='$dir'"
}

fail() {
  echo "ensure-webgpu-driver: $*" >&2
  exit 3
}

if [ -f "$dir/complete" ] && [ -f "$libdir/libvulkan_lvp.so" ]; then
  print_env
  exit 0
fi

[ "$(uname -m)" = x86_64 ] || fail "only x86_64 is supported (this machine is $(uname -m))"
command -v apt-get >/dev/null || fail "no apt-get on this machine: cannot fetch Mesa's lavapipe from bookworm-backports"
command -v dpkg >/dev/null || fail "no dpkg on this machine"
. /etc/os-release 2>/dev/null || true
[ "${VERSION_CODENAME:-}" = bookworm ] || echo "ensure-webgpu-driver: this is ${PRETTY_NAME:-an unknown system}, not Debian bookworm; trying bookworm-backports' packages anyway" >&2

mkdir -p "$dir/apt/lists/partial" "$dir/apt/cache/archives/partial" "$dir/debs" "$dir/runtime"
chmod 700 "$dir/runtime"
sources="$dir/apt/sources.list"
mirror="${SELFKD_DEBIAN_MIRROR:-http://deb.debian.org/debian}"
printf 'deb %s bookworm main\ndeb %s bookworm-updates main\ndeb %s bookworm-backports main\n' "$mirror" "$mirror" "$mirror" >"$sources"
apt_opts=(
  -o "Dir::Etc::sourcelist=$sources" -o "Dir::Etc::sourceparts=-"
  -o "Dir::State::Lists=$dir/apt/lists" -o "Dir::Cache=$dir/apt/cache"
  -o "Dir::State::status=$dir/apt/status" -o "APT::Get::List-Cleanup=0"
  -o "Debug::NoLocking=1" -o "APT::Sandbox::User=root"
)
: >"$dir/apt/status"
echo "ensure-webgpu-driver: fetching bookworm-backports package lists into $dir" >&2
apt-get "${apt_opts[@]}" -q update >"$dir/apt-update.log" 2>&1 || fail "apt-get update of bookworm-backports failed (see $dir/apt-update.log)"

# The lavapipe ICD from backports, the libraries it needs that bookworm has too old or not at all,
# and the Vulkan loader itself (dawn.node dlopens libvulkan.so.1).
packages=(
  mesa-vulkan-drivers/bookworm-backports libdrm2/bookworm-backports libdrm-common/bookworm-backports
  libdrm-amdgpu1/bookworm-backports libvulkan1 libllvm15 libz3-4 libxcb-randr0
  libwayland-client0 libxcb-dri3-0 libxcb-present0 libxcb-sync1 libxcb-xfixes0 libxshmfence1
  libxcb-shm0 libx11-xcb1 libxcb1 libxau6 libxdmcp6 libbsd0 libmd0 libedit2 libxml2 libicu72
  libsensors5 libelf1 libzstd1 libexpat1 libffi8 libtinfo6 libstdc++6
)
rm -f "$dir/debs"/*.deb
(cd "$dir/debs" && apt-get "${apt_opts[@]}" -q download "${packages[@]}" >"$dir/apt-download.log" 2>&1) \
  || fail "apt-get download failed (see $dir/apt-download.log)"
rm -rf "$root"
for deb in "$dir/debs"/*.deb; do dpkg -x "$deb" "$root"; done
[ -f "$libdir/libvulkan_lvp.so" ] || fail "mesa-vulkan-drivers unpacked without libvulkan_lvp.so"

missing=$(LD_LIBRARY_PATH="$libdir" ldd "$libdir/libvulkan_lvp.so" | awk '/not found/ {print $1}')
[ -z "$missing" ] || fail "libvulkan_lvp.so still misses: $missing"
cat >"$icd" <<JSON
{ "file_format_version": "1.0.1", "ICD": { "library_path": "$libdir/libvulkan_lvp.so", "api_version": "1.3.0" } }
JSON
touch "$dir/complete"
echo "ensure-webgpu-driver: lavapipe $(ls "$dir/debs" | sed -n 's/^mesa-vulkan-drivers_\([^_]*\)_.*/\1/p') ready in $dir" >&2
print_env
