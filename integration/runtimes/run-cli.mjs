/**
 * The entry for the runtimes that run a script: Node (20, 22, 24), Bun and Deno.
 * `<runtime> run-cli.mjs checks` runs every check and an end-to-end request through the server
 * this runtime's users use (node:http with sealed-session/http; Bun.serve and Deno.serve with
 * withSession of sealed-session/fetch); `<runtime> run-cli.mjs open <file>` opens the parity
 * tokens the other runtimes made. The result is one JSON line on stdout, after RESULT_MARK.
 */
import * as lib from 'sealed-session';
import * as web from 'sealed-session/web';
import { withSession as withFetchSession } from 'sealed-session/fetch';
import { readFileSync } from 'node:fs';
import { buildOf, openParityTokens, runChecks } from './checks.mjs';
import { drive, fetchHandler, route } from './e2e.mjs';
import { vectors } from './vectors.mjs';

const RESULT_MARK = '@@result ';
const args = globalThis.Deno ? globalThis.Deno.args : process.argv.slice(2);

function runtime() {
  if (globalThis.Deno) return { runtime: 'Deno', version: globalThis.Deno.version.deno };
  if (globalThis.Bun) return { runtime: 'Bun', version: globalThis.Bun.version };
  return { runtime: 'Node.js', version: process.versions.node };
}

/** The primitives of the build `sealed-session` resolved to, for the known-answer checks. */
async function primitives() {
  if (buildOf(lib, web) === 'WebCrypto') return (await import('./node_modules/sealed-session/dist/crypto/web.js')).webRuntime;
  return (await import('./node_modules/sealed-session/dist/crypto/node.js')).nodeRuntime;
}

const config = () => lib.defineSession({ name: 'sid', keys: lib.createKeyring([{ id: 'e1', secret: lib.generateKey() }]) });

/** Starts this runtime's server on a free loopback port, drives it, stops it. */
async function endToEnd() {
  if (globalThis.Deno) {
    const server = globalThis.Deno.serve({ hostname: '127.0.0.1', port: 0, onListen() {} }, withFetchSession(fetchHandler, config()));
    try {
      return { adapter: 'Deno.serve + sealed-session/fetch withSession', chunks: await drive(`http://127.0.0.1:${server.addr.port}`) };
    } finally {
      await server.shutdown();
    }
  }
  if (globalThis.Bun) {
    const server = globalThis.Bun.serve({ hostname: '127.0.0.1', port: 0, fetch: withFetchSession(fetchHandler, config()) });
    try {
      return { adapter: 'Bun.serve + sealed-session/fetch withSession', chunks: await drive(`http://127.0.0.1:${server.port}`) };
    } finally {
      server.stop(true);
    }
  }
  const { createServer } = await import('node:http');
  const { withSession } = await import('sealed-session/http');
  const server = createServer(withSession((req, res, session) => res.end(route(new URL(req.url, 'http://x').pathname, session)), config()));
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    return { adapter: 'node:http + sealed-session/http withSession', chunks: await drive(`http://127.0.0.1:${server.address().port}`) };
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
}

async function main() {
  const [mode, file] = args;
  if (mode === 'checks') {
    const result = await runChecks({ lib, web, primitives: await primitives(), vectors });
    return { ...runtime(), ...result, e2e: await endToEnd() };
  }
  if (mode === 'open') return { ...runtime(), opened: await openParityTokens(lib, JSON.parse(readFileSync(file, 'utf8'))) };
  throw new Error(`usage: run-cli.mjs checks | open <tokens.json>, got ${JSON.stringify(args)}`);
}

try {
  console.log(RESULT_MARK + JSON.stringify({ ok: true, ...(await main()) }));
} catch (error) {
  console.log(RESULT_MARK + JSON.stringify({ ok: false, error: String(error?.stack ?? error) }));
}
