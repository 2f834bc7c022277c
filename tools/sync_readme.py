#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Splices code from the examples into README.md, so README code always compiles.

In an example:   //[name ... //]
In README.md:    <!-- snippet: examples/01_quickstart.cpp#name -->
                 ```cpp
                 (replaced)
                 ```
                 <!-- /snippet -->

  tools/sync_readme.py           rewrite README.md
  tools/sync_readme.py --check   exit 1 if README.md is out of date
"""
import pathlib
import re
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
BLOCK = re.compile(r"(<!-- snippet: (?P<file>[^#\s]+)#(?P<name>[\w-]+) -->\n)```cpp\n.*?```\n(<!-- /snippet -->)",
                   re.S)


def snippet(file: str, name: str) -> str:
    text = (ROOT / file).read_text()
    m = re.search(r"^//\[" + re.escape(name) + r"\n(.*?)^//\]", text, re.S | re.M)
    if not m:
        sys.exit(f"sync_readme.py: no //[{name} ... //] in {file}")
    return m.group(1)


def render(readme: str) -> str:
    return BLOCK.sub(lambda m: m.group(1) + "```cpp\n" + snippet(m["file"], m["name"]) + "```\n" + m.group(4),
                     readme)


def main() -> int:
    current = README.read_text()
    fresh = render(current)
    if "--check" in sys.argv[1:]:
        if fresh != current:
            print("README.md snippets are stale: run tools/sync_readme.py")
            return 1
        print("README.md snippets match the examples")
        return 0
    README.write_text(fresh)
    return 0


if __name__ == "__main__":
    sys.exit(main())
