#!/bin/sh
# Installs what is missing, builds, and runs every test (unit and CLI
# suites) with CTest. The last lines are CTest's summary.
set -eu
cd "$(dirname "$0")/.."
scripts/deps.sh test
scripts/build.sh
ctest --test-dir build -j"$(nproc)" --output-on-failure
