// SPDX-License-Identifier: Apache-2.0
// The official TypeScript SDK doing the transfers of files_bench.cpp and logs_bench.cpp on the
// same emulator endpoint, for scale. Prints one line of `key value` pairs.
//   node ts_transfer_bench.mjs <api_url> <api_key> <sandbox_id> files <local_path> <remote_path> <download_path>
//   node ts_transfer_bench.mjs <api_url> <api_key> <sandbox_id> logs <command> <expected_stdout_bytes>
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(path.join(here, '..', 'tests', 'conformance', 'package.json'));
const { Daytona } = require('@daytonaio/sdk');

const [apiUrl, apiKey, sandboxId, mode, ...rest] = process.argv.slice(2);
process.env.DAYTONA_USE_DEPRECATED_POLLING = 'true';
const daytona = new Daytona({ apiUrl, apiKey });
const sandbox = await daytona.get(sandboxId);
const seconds = (t0) => (performance.now() - t0) / 1000;

if (mode === 'files') {
  const [localPath, remotePath, downloadPath] = rest;
  const t0 = performance.now();
  await sandbox.fs.uploadFile(localPath, remotePath);
  const up = seconds(t0);
  const t1 = performance.now();
  await sandbox.fs.downloadFile(remotePath, downloadPath);
  const down = seconds(t1);
  console.log(`upload_s ${up} download_s ${down}`);
} else if (mode === 'logs') {
  const [command, expectedText] = rest;
  const sessionId = 'ts-logs-bench';
  await sandbox.process.createSession(sessionId);
  let stdoutBytes = 0;
  const t0 = performance.now();
  const started = await sandbox.process.executeSessionCommand(sessionId, { command, runAsync: true });
  await sandbox.process.getSessionCommandLogs(sessionId, started.cmdId,
    (chunk) => { stdoutBytes += Buffer.byteLength(chunk); }, () => {});
  const wall = seconds(t0);
  await sandbox.process.deleteSession(sessionId);
  console.log(`stdout_bytes ${stdoutBytes} seconds ${wall} complete ${stdoutBytes === Number(expectedText)}`);
} else {
  console.error(`unknown mode ${mode}`);
  process.exit(2);
}
process.exit(0);
