#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Fails when a mutex lock is held across a co_await in the library or the emulator.

A coroutine may resume on another thread (the emulator serves with several, and users run
io_contexts with several): a std::lock_guard / unique_lock / scoped_lock alive at a co_await
is then unlocked by a thread that does not own it, and blocks every other thread meanwhile.
Decide under the lock, release it, then await. The check is textual: from a lock's line to the
end of its enclosing block, no line may contain co_await.
"""
import pathlib
import re
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
LOCK = re.compile(r"std::(lock_guard|unique_lock|scoped_lock)\b")


def held_across_await(path):
    lines = path.read_text(encoding="utf-8").split("\n")
    for i, line in enumerate(lines):
        if not LOCK.search(line) or line.lstrip().startswith("//"):
            continue
        depth = 0
        for j in range(i, len(lines)):
            if j > i and "co_await" in lines[j]:
                yield i + 1, j + 1
                break
            depth += lines[j].count("{") - lines[j].count("}")
            if depth < 0:
                break


def main():
    files = [p for d in ("include", "emulator") for p in (ROOT / d).rglob("*")
             if p.suffix in (".hpp", ".ipp", ".cpp")]
    bad = 0
    for path in sorted(files):
        for lock_line, await_line in held_across_await(path):
            rel = path.relative_to(ROOT)
            print(f"{rel}:{lock_line}: lock still held at the co_await on line {await_line}")
            bad += 1
    if bad:
        print(f"{bad} lock(s) held across a co_await: decide under the lock, release it, then await")
        return 1
    print(f"no lock is held across a co_await ({len(files)} files)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
