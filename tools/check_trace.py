#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Checks a request trace (DAYTONA_TRACE) written by a whole test run.

Usage: check_trace.py TRACE_FILE [SECRET ...]

Every line must be one JSON object with method, url, status and ms; none may contain any of the
given secrets, and no url may show a credential that sits in the path (the signed-preview token
of `.../signed-preview-url/{token}/expire`, and the other credential path parameters of Daytona's
API), whatever its value. Prints how many requests each operation made, so a run's traffic can be
read at a glance. Exits non-zero on an empty trace, a malformed line or a leaked secret.
"""
import collections
import json
import sys
import urllib.parse

REDACTED = "[REDACTED]"

# Path segments that are credentials, as the library's api::redact_target knows them: each
# pattern matches consecutive segments ("*" any one), the credential at the given index.
CREDENTIAL_PATHS = [
    (("signed-preview-url", "*"), 1),  # .../signed-preview-url/{token}/expire
    (("by-sandbox-auth-token", "*"), 1),  # otel-config/by-sandbox-auth-token/{authToken}
    (("preview", "*", "validate", "*"), 3),  # preview/{sandboxId}/validate/{authToken}
    (("preview", "*", "*", "sandbox-id"), 1),  # preview/{signedPreviewToken}/{port}/sandbox-id
]


def path_credentials(url: str) -> list:
    """The credential path segments of `url` that were not redacted."""
    segments = urllib.parse.urlsplit(url).path.split("/")
    leaked = []
    for i in range(len(segments)):
        for pattern, secret in CREDENTIAL_PATHS:
            window = segments[i:i + len(pattern)]
            if len(window) == len(pattern) and all(
                    seg and (p == "*" or p == seg) for p, seg in zip(pattern, window)):
                if window[secret] != REDACTED:
                    leaked.append(window[secret])
    return leaked


def main() -> int:
    if len(sys.argv) < 2:
        print(__doc__)
        return 2
    path, secrets = sys.argv[1], sys.argv[2:]
    try:
        lines = open(path, encoding="utf-8").read().splitlines()
    except OSError as e:
        print(f"check_trace: cannot read {path}: {e}")
        return 1
    problems = []
    ops = collections.Counter()
    statuses = collections.Counter()
    for n, line in enumerate(lines, 1):
        for secret in secrets:
            if secret in line:
                problems.append(f"line {n}: contains the secret {secret!r}")
        try:
            rec = json.loads(line)
        except json.JSONDecodeError as e:
            problems.append(f"line {n}: not JSON ({e})")
            continue
        for key in ("method", "url", "status", "ms"):
            if key not in rec:
                problems.append(f"line {n}: no {key!r}")
        for token in path_credentials(str(rec.get("url", ""))):
            problems.append(f"line {n}: the url shows a credential path segment "
                            f"({len(token)} characters, not {REDACTED})")
        ops[rec.get("operation", "(unnamed)")] += 1
        statuses[rec.get("status")] += 1
    if not lines:
        problems.append("the trace is empty: DAYTONA_TRACE was not honoured")
    for p in problems[:20]:
        print(p)
    print(f"{len(lines)} requests traced, {len(ops)} operations; statuses: "
          + ", ".join(f"{s}x{c}" for s, c in sorted(statuses.items(), key=lambda x: str(x[0]))))
    for op, count in ops.most_common():
        print(f"  {count:6d}  {op}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
