#!/usr/bin/env bash
# Run on a machine with apt (Debian/Ubuntu) before scripts/gpu-check.sh is sent to a GPU machine
# that cannot reach a package registry: downloads the .deb files of the build's system libraries
# (Catch2, OpenBLAS, nlohmann-json, stb) into build-deps/ (ignored by git, like every build*/).
# Carry build-deps/ with the working tree; gpu-check.sh unpacks it when the libraries are missing.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(catch2 libopenblas-pthread-dev libopenblas0-pthread libgfortran5 nlohmann-json3-dev libstb-dev)
mkdir -p build-deps
cd build-deps
apt-get download "${packages[@]}"
du -sh .
