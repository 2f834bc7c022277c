#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Emulator throughput on one core: the emulator pinned to CPU 0, wrk (1 thread, 16 keep-alive
# connections, 5 s) on CPU 1, for three routes; prints req/s and the emulator's CPU time per
# request (utime + stime from /proc).
#   benchmarks/emulator_throughput.sh [path to daytona-emulator]
set -euo pipefail
bin=${1:-build/emulator/daytona-emulator}
out=$(mktemp)
taskset -c 0 "$bin" --port 0 --api-key k >"$out" 2>/dev/null &
pid=$!
trap 'kill $pid 2>/dev/null; rm -f "$out"' EXIT
for _ in $(seq 50); do grep -q http "$out" && break; sleep 0.1; done
url=$(grep -o 'http://[0-9.:]*' "$out" | head -1)
id=$(curl -s -H "Authorization: Bearer k" -H "Content-Type: application/json" -d '{}' "$url/api/sandbox" |
     python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
hz=$(getconf CLK_TCK)
cpu() { awk '{print $14+$15}' "/proc/$pid/stat"; }
for route in "/api/sandbox/$id" "/api/health" "/toolbox/$id/files/info?path=/home/daytona"; do
    c0=$(cpu)
    result=$(taskset -c 1 wrk -t1 -c16 -d5s -H 'Authorization: Bearer k' "$url$route")
    c1=$(cpu)
    n=$(echo "$result" | grep -oE '[0-9]+ requests in' | grep -oE '^[0-9]+')
    rps=$(echo "$result" | grep Requests/sec | grep -oE '[0-9.]+')
    name=$(echo "${route%%\?*}" | sed "s|$id|{id}|")
    printf '%-28s %10s req/s %8s us CPU/request\n' "$name" "$rps" \
        "$(python3 -c "print(round(($c1 - $c0) / $hz * 1e6 / $n, 1))")"
done
