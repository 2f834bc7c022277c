// SPDX-License-Identifier: Apache-2.0
// The official TypeScript SDK doing pool_bench.cpp's work with Promise-based concurrency: M
// sandboxes, N tasks (exec, a 1 KiB upload and its download, checked), then every sandbox
// deleted. Prints the wall time, tasks/s and this process's CPU per task.
//   node ts_pool_bench.mjs <api_url> <api_key> <tasks> <sandboxes>
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(path.join(here, '..', 'tests', 'conformance', 'package.json'));
const { Daytona } = require('@daytonaio/sdk');

const [apiUrl, apiKey, tasksText, sandboxesText] = process.argv.slice(2);
const tasks = Number(tasksText);
const sandboxes = Number(sandboxesText);
const payload = (i) => `task ${i} `.padEnd(1024, 'x');

const daytona = new Daytona({ apiUrl, apiKey });
const cpu0 = process.cpuUsage();
const t0 = performance.now();
const pool = await Promise.all(
  Array.from({ length: sandboxes }, () => daytona.create({ labels: { bench: 'ts-pool' } }, { timeout: 120 })),
);
let next = 0;
let ok = 0;
let failed = 0;
async function worker(sandbox) {
  for (let i = next++; i < tasks; i = next++) {
    try {
      const r = await sandbox.process.executeCommand(`echo ${i}`);
      const path = `bench/${i}.txt`;
      await sandbox.fs.uploadFile(Buffer.from(payload(i)), path);
      const back = await sandbox.fs.downloadFile(path);
      if (r.exitCode === 0 && r.result.trim() === String(i) && back.toString() === payload(i)) ok++;
      else failed++;
    } catch (e) {
      failed++;
    }
  }
}
await Promise.all(pool.map(worker));
await Promise.all(pool.map((s) => s.delete()));
const wall = (performance.now() - t0) / 1000;
const cpu = process.cpuUsage(cpu0);
console.log(`seconds ${wall} tasks_per_s ${ok / wall} cpu_us_per_task ${ok ? (cpu.user + cpu.system) / ok : 0} failed ${failed}`);
process.exit(0);
