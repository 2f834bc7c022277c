#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Compile time of a TU that includes <daytona.hpp>, next to one that includes only what it
stands on (asio, asio/ssl, simdjson). Best of three runs each, same compiler and flags. Each
daytona case is measured header-only (the default) and with DAYTONA_SEPARATE_COMPILATION (the
headers declare, <daytona/src.hpp> compiles the bodies once for the whole program).

  benchmarks/compile_time.py [--cxx g++] [--flags "-O2"]
"""
import argparse
import pathlib
import subprocess
import sys
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parent.parent

USED = """
#include <daytona.hpp>
namespace dt = daytona;
asio::awaitable<int> run() {
    auto ex = co_await asio::this_coro::executor;
    dt::client c{ex, dt::client_options::from_env()};
    auto sb = co_await c.create();
    if (!sb) co_return 1;
    auto r = co_await sb->process().exec("true");
    auto d = co_await sb->destroy();
    co_return r && d ? 0 : 1;
}
int main() { asio::io_context io; return dt::run_sync(io, run()); }
"""
SEPARATE = "#define DAYTONA_SEPARATE_COMPILATION\n"
# name -> TU source
CASES = {
    "asio + asio/ssl + simdjson (baseline)": """
#include <asio.hpp>
#include <asio/ssl.hpp>
#include <simdjson.h>
int main() { return 0; }
""",
    "<daytona.hpp>, included only": "#include <daytona.hpp>\nint main() { return 0; }\n",
    "<daytona.hpp>, create + exec + destroy used": USED,
    "separate: <daytona.hpp>, included only": SEPARATE + "#include <daytona.hpp>\nint main() { return 0; }\n",
    "separate: create + exec + destroy used": SEPARATE + USED,
    "separate: <daytona/src.hpp> (once per program)": SEPARATE + "#include <daytona/src.hpp>\n",
}


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--cxx", default="g++")
    ap.add_argument("--flags", default="-O2")
    args = ap.parse_args()
    base = [args.cxx, "-std=c++20", "-DASIO_STANDALONE", "-DASIO_NO_DEPRECATED",
            f"-I{ROOT / 'include'}", "-I/usr/share/include/llhttp", "-c", "-o", "/dev/null"]
    base += args.flags.split()
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        for name, source in CASES.items():
            src = pathlib.Path(tmp) / "tu.cpp"
            src.write_text(source)
            best = None
            for _ in range(3):
                t0 = time.perf_counter()
                proc = subprocess.run(base + [str(src)], capture_output=True, text=True)
                elapsed = time.perf_counter() - t0
                if proc.returncode != 0:
                    print(proc.stderr[:2000], file=sys.stderr)
                    return 1
                best = elapsed if best is None else min(best, elapsed)
            results.append((name, best))
    baseline = results[0][1]
    print(f"compile time ({args.cxx} -std=c++20 {args.flags}, best of 3):")
    for name, seconds in results:
        print(f"  {name:45s} {seconds:6.2f} s  ({seconds / baseline:4.2f}x baseline)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
