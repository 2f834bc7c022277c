#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# One command from a fresh Debian machine: installs the missing packages, configures, builds,
# and runs something.
#
#   tools/run.sh quickstart   build and run examples/01_quickstart (embedded emulator unless
#                             DAYTONA_API_KEY is set)
#   tools/run.sh test         build everything and run the whole test suite (ctest)
#   tools/run.sh bench        build and run the benchmarks
set -euo pipefail
cd "$(dirname "$0")/.."

what=${1:-test}
build_dir=${DAYTONA_BUILD_DIR:-build}

mapfile -t packages < <(grep -v '^#' tools/packages.txt | grep -v '^$')
missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
    sudo=""
    [ "$(id -u)" -ne 0 ] && sudo=sudo
    echo "installing: ${missing[*]}"
    $sudo apt-get update -qq
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# The conformance tests run the official TypeScript SDK, pinned by its lockfile. Node.js comes
# from Debian only when the machine has none (a newer one may be installed already).
if [ "$what" = test ]; then
    if ! command -v npm >/dev/null; then
        sudo=""
        [ "$(id -u)" -ne 0 ] && sudo=sudo
        $sudo apt-get update -qq
        $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nodejs npm
    fi
    if [ ! -d tests/conformance/node_modules/@daytonaio/sdk ] ||
       [ tests/conformance/package-lock.json -nt tests/conformance/node_modules/.package-lock.json ]; then
        (cd tests/conformance && npm ci --no-audit --no-fund --loglevel=error)
    fi
    # The Claude Code CLI that the Claude tests and examples run in emulator sandboxes (against
    # the Messages API stand-in), pinned by its lockfile.
    if [ ! -x tests/claude/node_modules/.bin/claude ] ||
       [ tests/claude/package-lock.json -nt tests/claude/node_modules/.package-lock.json ]; then
        (cd tests/claude && npm ci --no-audit --no-fund --loglevel=error)
    fi
fi

# The library's bodies are compiled once (DAYTONA_SEPARATE_COMPILATION) instead of in each of
# the tests, examples and benchmarks; CI builds and tests the header-only default as well.
# Optimized without debug information, which costs a quarter of the build time (configure a
# build directory of your own with -DCMAKE_BUILD_TYPE=RelWithDebInfo for a debugger).
if [ ! -f "$build_dir/build.ninja" ]; then
    cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=Release \
        -DCMAKE_CXX_FLAGS_RELEASE="-O2 -DNDEBUG" -DDAYTONA_SEPARATE_COMPILATION=ON
fi

case "$what" in
    quickstart)
        cmake --build "$build_dir" --target 01_quickstart
        "$build_dir/examples/01_quickstart"
        ;;
    test)
        cmake --build "$build_dir"
        ctest --test-dir "$build_dir" --output-on-failure -j "$(nproc)" -LE live
        ;;
    bench)
        cmake --build "$build_dir" --target daytona_micro_bench daytona_exec_bench \
            daytona_files_bench daytona_logs_bench daytona-emulator
        "$build_dir/benchmarks/daytona_micro_bench"
        "$build_dir/benchmarks/daytona_exec_bench" "${DAYTONA_BENCH_SECONDS:-5}"
        "$build_dir/benchmarks/daytona_files_bench" 1024
        "$build_dir/benchmarks/daytona_logs_bench" 100
        benchmarks/emulator_throughput.sh "$build_dir/emulator/daytona-emulator"
        python3 benchmarks/compile_time.py
        ;;
    *)
        echo "usage: tools/run.sh quickstart|test|bench" >&2
        exit 2
        ;;
esac
