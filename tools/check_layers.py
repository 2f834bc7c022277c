#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Checks the include graph of include/ against the layering rules (LAYERS below: L0 foundation
up to L6 helpers).

A header may include only headers of its own layer or lower ones, and each layer may use only
its own third-party dependencies. The sans-io HTTP headers must not touch asio at all.
"""
import pathlib
import re
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent / "include"
# "daytona/..." or <daytona/...>: both spellings are followed.
LOCAL = re.compile(r'^\s*#\s*include\s+["<](daytona/[^">]+)[">]', re.M)
SYSTEM = re.compile(r'^\s*#\s*include\s+<([^>]+)>', re.M)

# Layer of each header, by path: whole directories, or top-level headers by name. Order matters:
# the first match wins. No single file is exempted from its directory's layer.
LAYERS = [
    ("daytona/claude/", 6), ("daytona/claude.hpp", 6), ("daytona/sandbox_pool.hpp", 6),
    ("daytona/client.hpp", 5), ("daytona/client_state.hpp", 5), ("daytona/sandbox.hpp", 5),
    ("daytona/process.hpp", 5), ("daytona/run_sync.hpp", 5), ("daytona/polling.hpp", 5),
    ("daytona/build_logs.hpp", 5), ("daytona/build_context.hpp", 5), ("daytona/snapshots.hpp", 5),
    ("daytona/volumes.hpp", 5), ("daytona/session.hpp", 5), ("daytona/events.hpp", 5),
    ("daytona/pty.hpp", 5), ("daytona/interpreter.hpp", 5), ("daytona/lsp.hpp", 5),
    ("daytona/filesystem.hpp", 5), ("daytona/git.hpp", 5),
    ("daytona/testing/", 5),
    ("daytona/models/", 4), ("daytona/codec/", 4), ("daytona/api/", 4),
    ("daytona/json/", 3),
    ("daytona/http/", 2),
    ("daytona/net/", 1),
    # The image builder is pure text (L0 only), so the models that carry an image may use it.
    ("daytona/", 0),
]
NAMES = {0: "L0 foundation", 1: "L1 net", 2: "L2 http", 3: "L3 json", 4: "L4 api",
         5: "L5 objects", 6: "L6 helpers"}
# Third-party families and the layers allowed to include them directly.
EXTERNAL = {
    "asio": lambda rel, layer: layer in (1, 4, 5, 6) or (layer == 2 and rel in ASIO_HTTP),
    "openssl": lambda rel, layer: layer == 1,
    "llhttp": lambda rel, layer: layer == 2,
    "simdjson": lambda rel, layer: layer == 3,
}
# The HTTP headers that do I/O; the rest of http/ is sans-io.
ASIO_HTTP = {"daytona/http/io.hpp", "daytona/http/transport.hpp", "daytona/http/pooled_transport.hpp",
             "daytona/http/retrying_transport.hpp", "daytona/http/auth_transport.hpp",
             "daytona/http/observing_transport.hpp", "daytona/http/websocket_client.hpp"}
# L3 json is a sibling of L2 http, not above it.
FORBIDDEN_PAIRS = {(3, 2), (3, 1)}


def layer_of(rel: str) -> int:
    for prefix, layer in LAYERS:
        if rel == prefix or (prefix.endswith("/") and rel.startswith(prefix)):
            return layer
    raise SystemExit(f"check_layers.py: no layer for {rel}")


def family(sys_include: str):
    if sys_include.startswith("asio"):
        return "asio"
    if sys_include.startswith("openssl/"):
        return "openssl"
    if sys_include == "llhttp.h":
        return "llhttp"
    if sys_include == "simdjson.h":
        return "simdjson"
    return None


def main() -> int:
    problems = []
    for path in sorted(ROOT.rglob("*")):
        if path.suffix not in (".hpp", ".ipp") or path.name == "daytona.hpp" and path.parent == ROOT:
            continue
        rel = path.relative_to(ROOT).as_posix()
        layer = layer_of(rel)
        text = path.read_text()
        for inc in LOCAL.findall(text):
            target = layer_of(inc)
            if target > layer:
                problems.append(f"{rel} ({NAMES[layer]}) includes {inc} ({NAMES[target]})")
            if layer == 2 and target == 1 and rel not in ASIO_HTTP:
                problems.append(f"{rel} is sans-io and must not include {inc}")
            if (layer, target) in FORBIDDEN_PAIRS:
                problems.append(f"{rel} ({NAMES[layer]}) must not include {inc} ({NAMES[target]})")
        for inc in SYSTEM.findall(text):
            fam = family(inc)
            if fam and not EXTERNAL[fam](rel, layer):
                problems.append(f"{rel} ({NAMES[layer]}) must not include <{inc}>")
    for p in problems:
        print(p)
    if problems:
        print(f"{len(problems)} layering violation(s)")
        return 1
    print("include graph respects the layers")
    return 0


if __name__ == "__main__":
    sys.exit(main())
