// SPDX-License-Identifier: Apache-2.0
// The reference for daytona::image: applies chains of image operations with `Image` from the
// official TypeScript SDK (@daytonaio/sdk, pinned in tests/conformance/package-lock.json) and
// prints the Dockerfile texts, context entries and context hashes it produces.
//
//   node ts_image_oracle.mjs <input.json>          (after `npm ci` in tests/conformance)
//
// Input: {"chains": [[op, ...], ...], "hashes": [{"source": s, "archive": a}, ...]} where an op
// is [name, ...args] with the C++ method name (see apply() below).
// Output, one record per line, every string hex-encoded (UTF-8):
//   CHAIN <i> OK <dockerfile> <number of context entries>
//   CTX <sourcePath> <archivePath>                 (that many lines)
//   CHAIN <i> ERR <message>                        (the SDK threw)
//   HASH <i> OK <md5>  |  HASH <i> ERR <message>
//   END <chains> <hashes>
// Exit status 3 with a message on stderr when Node or the SDK is not usable.
//
// Where daytona::image deliberately differs from the SDK (documented at the top of
// include/daytona/image.hpp), this script writes the documented correct text itself, computed
// here independently of the C++ code:
//   - run exec form, ENTRYPOINT and CMD: `RUN [` + JSON.stringify of each element joined by
//     ", " + `]` (ENTRYPOINT and CMD go through the SDK whenever its text is valid JSON);
//   - ENV values and WORKDIR paths that shell-quote double-quotes and that hold a backquote use
//     the single-quoted form with '"'"' glue; unquoted ones holding U+0085 are single-quoted;
//   - an instruction appended after a Dockerfile that does not end with a newline starts on a
//     new line;
//   - apt_get and user, which the SDK does not have.
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const conformanceDir = path.resolve(here, '..', 'conformance');
const PINNED = '0.218.0';

function die(message) {
  process.stderr.write(`ts_image_oracle: ${message}\n`);
  process.exit(3);
}

let Image, quote, ObjectStorage;
try {
  const require = createRequire(path.join(conformanceDir, 'package.json'));
  const sdkEntry = require.resolve('@daytonaio/sdk');
  const sdkRoot = path.resolve(path.dirname(sdkEntry), '..');
  const version = JSON.parse(fs.readFileSync(path.join(sdkRoot, 'package.json'), 'utf8')).version;
  if (version !== PINNED) die(`@daytonaio/sdk is ${version}, expected ${PINNED}; run \`npm ci\` in ${conformanceDir}`);
  ({ Image } = require('@daytonaio/sdk'));
  // shell-quote as the SDK itself resolves it.
  const sdkRequire = createRequire(sdkEntry);
  ({ quote } = sdkRequire('shell-quote'));
  // The hash function is not exported from the package; load the module file directly.
  ({ ObjectStorage } = sdkRequire(path.join(path.dirname(sdkEntry), 'ObjectStorage.js')));
} catch (e) {
  die(`cannot load @daytonaio/sdk from ${conformanceDir}/node_modules (${e.message}); run \`npm ci\` in ${conformanceDir}`);
}

const hex = (s) => Buffer.from(String(s), 'utf8').toString('hex');

const jsonArray = (xs) => '[' + xs.map((x) => JSON.stringify(x)).join(', ') + ']';
const validJsonElements = (xs) => xs.every((x) => !/["\\\u0000-\u001f]/.test(x));

function dockerWord(s) {
  const q = quote([s]);
  if (q.startsWith('"') && s.includes('`')) return "'" + s.replace(/'/g, `'"'"'`) + "'";
  if (s.includes('\u0085') && !q.startsWith("'") && !q.startsWith('"')) return "'" + s + "'";
  return q;
}

function pipOptions(o) {
  if (!o) return undefined;
  return {
    findLinks: o.find_links,
    indexUrl: o.index_url,
    extraIndexUrls: o.extra_index_urls,
    pre: o.pre,
    extraOptions: o.extra_options,
  };
}

function start([name, ...args]) {
  switch (name) {
    case 'base':
      return Image.base(args[0]);
    case 'debian_slim':
      return Image.debianSlim(args[0] || undefined);
    case 'from_dockerfile':
      return Image.fromDockerfile(args[0]);
    default:
      throw new Error(`not a starting operation: ${name}`);
  }
}

function apply(img, [name, ...args]) {
  const append = (text) => {
    img._dockerfile += text;
  };
  switch (name) {
    case 'apt_get':
      if (args[0].length)
        append(`RUN apt-get update && apt-get install -y ${quote(args[0])} && rm -rf /var/lib/apt/lists/*\n`);
      return;
    case 'pip_install':
      img.pipInstall(args[0], pipOptions(args[1]));
      return;
    case 'pip_install_from_requirements':
      img.pipInstallFromRequirements(args[0], pipOptions(args[1]));
      return;
    case 'pip_install_from_pyproject':
      img.pipInstallFromPyproject(args[0], { optionalDependencies: args[1], ...pipOptions(args[2]) });
      return;
    case 'run':
      img.runCommands(args[0]);
      return;
    case 'run_commands':
      img.runCommands(...args[0]);
      return;
    case 'run_exec':
      append(`RUN ${jsonArray(args[0])}\n`);
      return;
    case 'workdir': {
      const q = dockerWord(args[0]);
      if (q === quote([args[0]])) img.workdir(args[0]);
      else append(`WORKDIR ${q}\n`);
      return;
    }
    case 'env':
      for (const [k, v] of args[0]) {
        const q = dockerWord(v);
        if (q === quote([v])) img.env({ [k]: v });
        else append(`ENV ${k}=${q}\n`);
      }
      return;
    case 'entrypoint':
      if (validJsonElements(args[0])) img.entrypoint(args[0]);
      else append(`ENTRYPOINT ${jsonArray(args[0])}\n`);
      return;
    case 'cmd':
      if (validJsonElements(args[0])) img.cmd(args[0]);
      else append(`CMD ${jsonArray(args[0])}\n`);
      return;
    case 'user':
      append(`USER ${args[0]}\n`);
      return;
    case 'add_local_file':
      img.addLocalFile(args[0], args[1]);
      return;
    case 'add_local_dir':
      img.addLocalDir(args[0], args[1]);
      return;
    case 'dockerfile_commands':
      img.dockerfileCommands(args[0], args[1] || undefined);
      return;
    default:
      throw new Error(`unknown operation: ${name}`);
  }
}

const input = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const out = [];
input.chains.forEach((chain, i) => {
  try {
    const img = start(chain[0]);
    for (const op of chain.slice(1)) {
      const before = img._dockerfile;
      apply(img, op);
      // Documented difference: an instruction never continues the last line of a Dockerfile
      // that lacks its final newline.
      if (img._dockerfile !== before && before.length && !before.endsWith('\n'))
        img._dockerfile = before + '\n' + img._dockerfile.slice(before.length);
    }
    out.push(`CHAIN ${i} OK ${hex(img.dockerfile)} ${img.contextList.length}`);
    for (const c of img.contextList) out.push(`CTX ${hex(c.sourcePath)} ${hex(c.archivePath)}`);
  } catch (e) {
    out.push(`CHAIN ${i} ERR ${hex(e && e.message ? e.message : String(e))}`);
  }
});

const storage = Object.create(ObjectStorage.prototype);
for (let i = 0; i < (input.hashes || []).length; ++i) {
  const { source, archive } = input.hashes[i];
  try {
    out.push(`HASH ${i} OK ${await storage.computeHashForPathMd5(source, archive)}`);
  } catch (e) {
    out.push(`HASH ${i} ERR ${hex(e && e.message ? e.message : String(e))}`);
  }
}
out.push(`END ${input.chains.length} ${(input.hashes || []).length}`);
process.stdout.write(out.join('\n') + '\n');
