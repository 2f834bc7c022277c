// SPDX-License-Identifier: Apache-2.0
// The official TypeScript SDK creating N sandboxes at once (each create waits until started),
// for wait_bench.cpp. DAYTONA_USE_DEPRECATED_POLLING=true makes its waits poll.
//   node ts_wait_bench.mjs <api_url> <api_key> <n>
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(path.join(here, '..', 'tests', 'conformance', 'package.json'));
const { Daytona } = require('@daytonaio/sdk');

const [apiUrl, apiKey, nText] = process.argv.slice(2);
const n = Number(nText);
const daytona = new Daytona({ apiUrl, apiKey });
let failed = 0;
const t0 = performance.now();
const made = await Promise.all(
  Array.from({ length: n }, () => daytona.create({}, { timeout: 120 }).catch(() => { failed++; return null; })),
);
const seconds = (performance.now() - t0) / 1000;
await Promise.all(made.filter(Boolean).map((s) => s.delete().catch(() => {})));
console.log(`seconds ${seconds} failed ${failed}`);
process.exit(0);
