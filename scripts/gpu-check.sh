#!/usr/bin/env bash
# The CUDA backend's check, for a machine with an NVIDIA GPU: configures with the CUDA backend
# forced on, builds, runs every test (CPU and CUDA), then runs the CUDA tests under
# compute-sanitizer's memcheck (with the caching allocator off, so an access past the end of a
# tensor is caught) and racecheck, and prints a summary. Exit status 0 only when all of it passed.
#   scripts/gpu-check.sh [build directory, default build-gpu]
# When the build's system libraries are not installed (a GPU machine without a package registry),
# the .deb files that scripts/gpu-deps.sh left in build-deps/ are unpacked and used instead.
set -uo pipefail
cd "$(dirname "$0")/.."
BUILD=${1:-build-gpu}
JOBS=$(nproc)
declare -A result

cmake_flags=(-DDFORGE_CUDA=ON -DCMAKE_BUILD_TYPE=Release)
# True when one of the system libraries the build looks for is not installed.
system_libraries_missing() {
  local wanted
  for wanted in Catch2Config.cmake nlohmann_jsonConfig.cmake cblas.h stb_image.h; do
    [ -n "$(find /usr/include /usr/lib /usr/share /usr/local -name "$wanted" -print -quit 2>/dev/null)" ] || return 0
  done
  return 1
}

if system_libraries_missing && compgen -G "build-deps/*.deb" > /dev/null; then
  root=$PWD/build-deps/root
  echo "gpu-check: unpacking build-deps/*.deb into $root"
  mkdir -p "$root"
  for deb in build-deps/*.deb; do dpkg-deb -x "$deb" "$root"; done
  blas=$(find "$root" -name 'libopenblas.so*' -path '*openblas-pthread*' | sort | head -1)
  cblas=$(dirname "$(find "$root" -name cblas.h | head -1)")
  cmake_flags+=(-DCMAKE_PREFIX_PATH="$root/usr" -DOPENBLAS_LIBRARY="$blas" -DCBLAS_INCLUDE_DIR="$cblas")
  export LD_LIBRARY_PATH="$(dirname "$blas"):$root/usr/lib/x86_64-linux-gnu${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
fi

export PATH="$PATH:/usr/local/cuda/bin"
# The parity tests and the benches need a Python with PyTorch: Debian's, else the PATH's (a venv).
for python in /usr/bin/python3 "$(command -v python3)"; do
  if [ -x "$python" ] && "$python" -c 'import torch, numpy' 2>/dev/null; then
    cmake_flags+=(-DDFORGE_PYTHON="$python")
    break
  fi
done
# cuDNN: the toolkit's, else the one PyTorch's wheels bring (nvidia-cudnn), found through python3.
if [ -z "${CUDNN_ROOT:-}" ] && [ ! -e /usr/local/cuda/include/cudnn.h ]; then
  CUDNN_ROOT=$(python3 -c 'import nvidia.cudnn; print(list(nvidia.cudnn.__path__)[0])' 2>/dev/null) &&
    export CUDNN_ROOT && export LD_LIBRARY_PATH="$CUDNN_ROOT/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
fi
nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader || true
nvcc --version | tail -1

mkdir -p "$BUILD"
# For scripts/gpu-bench.sh and by-hand runs of the binaries: the same library path.
echo "export LD_LIBRARY_PATH='${LD_LIBRARY_PATH:-}'" > "$BUILD/gpu-env.sh"
start=$(date +%s)
if cmake -S . -B "$BUILD" "${cmake_flags[@]}" | tee "$BUILD/configure.log" && cmake --build "$BUILD" -j "$JOBS"; then
  result[build]="passed in $(( $(date +%s) - start )) s"
else
  result[build]=FAILED
fi

if [ "${result[build]}" != FAILED ]; then
  (cd "$BUILD" && OMP_NUM_THREADS=4 ctest --output-on-failure -j "$JOBS" > ctest.log 2>&1)
  status=$?
  tail -20 "$BUILD/ctest.log"
  if grep -q "cuda (Skipped)" "$BUILD/ctest.log"; then
    result[ctest]="FAILED: the CUDA tests were skipped (no GPU visible)"
  elif [ $status -eq 0 ]; then
    result[ctest]=passed
  else
    result[ctest]="FAILED (see $BUILD/ctest.log)"
  fi

  sanitizer=$(command -v compute-sanitizer || echo /usr/local/cuda/bin/compute-sanitizer)
  for tool in memcheck racecheck; do
    if [ ! -x "$sanitizer" ]; then
      result[$tool]="FAILED: compute-sanitizer not found"
      continue
    fi
    log=$BUILD/sanitizer-$tool.log
    no_caching=0
    [ "$tool" = memcheck ] && no_caching=1
    # DFORGE_SANITIZER_TESTS: an optional Catch2 test spec, to sanitise part of the suite.
    DFORGE_CUDA_NO_CACHING=$no_caching OMP_NUM_THREADS=4 "$sanitizer" --tool "$tool" --error-exitcode 99 \
      "$BUILD/dforge_cuda_tests" ${DFORGE_SANITIZER_TESTS:+"$DFORGE_SANITIZER_TESTS"} > "$log" 2>&1
    status=$?
    tail -5 "$log"
    summary=$(grep -E "ERROR SUMMARY|RACECHECK SUMMARY" "$log" | tail -1)
    if [ $status -eq 0 ]; then
      result[$tool]="passed ($summary)"
    else
      result[$tool]="FAILED, exit $status ($summary; see $log)"
    fi
  done
fi

echo
echo "==== gpu-check summary ===="
grep -o "defectforge: CUDA backend.*" "$BUILD/configure.log" 2>/dev/null || true
failed=0
for step in build ctest memcheck racecheck; do
  printf '%-10s %s\n' "$step" "${result[$step]:-not run}"
  case "${result[$step]:-not run}" in passed*) ;; *) failed=1 ;; esac
done
exit $failed
