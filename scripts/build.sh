#!/bin/sh
# Configures and builds into ./build (Release, -O2). Re-running rebuilds
# only what changed.
set -eu
cd "$(dirname "$0")/.."
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build -j"$(nproc)"
