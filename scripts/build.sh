#!/bin/sh
# Configures and builds into ./build (Release, -O2). Re-running rebuilds
# only what changed. Arguments name targets (default: everything).
set -eu
cd "$(dirname "$0")/.."
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null
if [ $# -gt 0 ]; then
    for target in "$@"; do cmake --build build -j"$(nproc)" --target "$target"; done
else
    cmake --build build -j"$(nproc)"
fi
