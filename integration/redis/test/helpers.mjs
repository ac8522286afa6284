/**
 * The suite's machinery: a throwaway redis-server (free loopback port, persistence off, temporary
 * directory), the app server as a child process, and an HTTP client that keeps one cookie.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';

/** A free loopback port, from the kernel. */
export async function freePort() {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Resolves once something answers PING with +PONG on `port`; bounded by `attempts`. */
async function answersPing(port, attempts = 400) {
  for (let i = 0; i < attempts; i++) {
    const ok = await new Promise((resolve) => {
      const socket = createConnection({ port, host: '127.0.0.1' }, () => socket.write('PING\r\n'));
      socket.once('data', (chunk) => {
        socket.destroy();
        resolve(chunk.toString().startsWith('+PONG'));
      });
      socket.once('error', () => resolve(false));
    });
    if (ok) return;
    await sleep(25);
  }
  throw new Error(`redis-server on port ${port} did not answer PING`);
}

/** Starts redis-server on `port` (a free one by default); stop() kills it and removes its directory. */
export async function startRedis(port) {
  port ??= await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'sealed-session-redis-'));
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir], { stdio: 'ignore' });
  const exited = once(child, 'exit');
  await answersPing(port);
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    process: child,
    /** SIGKILL: no shutdown, no save; the data is gone. */
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
    async stop() {
      await this.kill();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

const appPath = new URL('./app.mjs', import.meta.url).pathname;

/**
 * Starts test/app.mjs in its own Node process: { port, stop() }. `family` picks the client
 * (node-redis, node-redis-4, node-redis-5, ioredis); `storeTimeout` in ms.
 */
export async function startApp({ redisPort, family = 'node-redis', storeTimeout = 500, key }) {
  const port = await freePort();
  const child = spawn(process.execPath, [appPath], {
    env: { ...process.env, PORT: String(port), REDIS_PORT: String(redisPort), FAMILY: family, STORE_TIMEOUT: String(storeTimeout), SESSION_KEY: key },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = once(child, 'exit');
  let out = '';
  child.stdout.setEncoding('utf8');
  for await (const chunk of child.stdout) {
    out += chunk;
    if (out.includes('listening')) break;
  }
  return {
    port,
    pid: child.pid,
    async stop() {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** A client with one cookie jar for the `sid` cookie (what a browser would keep). */
export class Client {
  constructor(port) {
    this.base = `http://127.0.0.1:${port}`;
    this.cookie = undefined;
  }

  /** Sends a request; keeps Set-Cookie; resolves to { status, body }. `limitMs` bounds a hang. */
  async send(method, path, { port, limitMs = 30_000 } = {}) {
    const base = port === undefined ? this.base : `http://127.0.0.1:${port}`;
    const response = await fetch(base + path, {
      method,
      headers: this.cookie === undefined ? {} : { cookie: this.cookie },
      signal: AbortSignal.timeout(limitMs),
    });
    for (const line of response.headers.getSetCookie()) {
      const pair = line.split(';', 1)[0];
      if (/; Max-Age=0(;|$)/.test(line)) this.cookie = undefined;
      else if (pair.startsWith('sid=')) this.cookie = pair;
    }
    const text = await response.text();
    return { status: response.status, body: response.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text };
  }
}
