// SPDX-License-Identifier: Apache-2.0
// The official TypeScript SDK running the same exec loop as exec_bench.cpp, for comparison.
//   node ts_exec_bench.mjs <api_url> <api_key> <sandbox_id> <concurrency> <seconds>
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(path.join(here, '..', 'tests', 'conformance', 'package.json'));
const { Daytona } = require('@daytonaio/sdk');

const [apiUrl, apiKey, sandboxId, concurrencyText, secondsText] = process.argv.slice(2);
const concurrency = Number(concurrencyText);
const seconds = Number(secondsText);

process.env.DAYTONA_USE_DEPRECATED_POLLING = 'true';
const daytona = new Daytona({ apiUrl, apiKey });
const sandbox = await daytona.get(sandboxId);

async function worker(until, counts) {
  while (Date.now() < until) {
    try {
      const r = await sandbox.process.executeCommand('true');
      if (r.exitCode === 0) counts.ok++; else counts.failed++;
    } catch (e) {
      counts.failed++;
    }
  }
}

// Warm up connections and the JIT.
await Promise.all(Array.from({ length: concurrency }, () => worker(Date.now() + 500, { ok: 0, failed: 0 })));
const counts = { ok: 0, failed: 0 };
const cpu0 = process.cpuUsage();
const t0 = performance.now();
const until = Date.now() + seconds * 1000;
await Promise.all(Array.from({ length: concurrency }, () => worker(until, counts)));
const wall = (performance.now() - t0) / 1000;
const cpu = process.cpuUsage(cpu0);
const cpuUs = cpu.user + cpu.system;
console.log(`rps ${counts.ok / wall} cpu_us_per_call ${counts.ok ? cpuUs / counts.ok : 0} failed ${counts.failed}`);
process.exit(0);
