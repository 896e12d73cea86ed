#!/usr/bin/env bash
# Installs every system package the build, the tests and the demo need (Debian/Ubuntu, apt).
# Idempotent: packages already present are skipped, so `make` can call it every time.
set -euo pipefail

packages=(
  build-essential cmake pkg-config
  catch2                 # unit tests (header-only Catch2 v2)
  libstb-dev             # stb_image / stb_image_write
  libopenblas-dev        # CPU GEMM
  libomp-dev             # OpenMP runtime headers for clang users; gcc ships libgomp
  nlohmann-json3-dev     # configs and checkpoint metadata
  libcli11-dev           # the dforge command line
  python3 python3-numpy python3-torch   # tests/parity and bench/ baselines
  python3-sklearn python3-skimage       # reference values for the metrics tests
  chromium               # renders the demo's HTML report in a test (headless)
)

missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

echo "install-deps: installing ${missing[*]}"
sudo_cmd=""
if [ "$(id -u)" -ne 0 ]; then sudo_cmd="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$sudo_cmd apt-get update -qq
$sudo_cmd apt-get install -y -qq --no-install-recommends "${missing[@]}"
