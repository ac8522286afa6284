/**
 * Requests per second of a minimal node:http handler, without and with the session
 * (sealed-session/http), over real HTTP on loopback (127.0.0.1 only). Three cases, all sending the
 * same Cookie header (the 5-entry sample, sealed, among 10 unrelated cookies):
 *   no session:   the handler answers without touching the cookie
 *   read-only:    withSession, session.get('userId'): nothing to send back
 *   read + write: withSession, session.set('lastSeen', …): one Set-Cookie, a fresh seal
 *   read + write, no crypto: the same on a store returning a fixed result: the adapter's own cost
 * Targets (issue 5): read-only costs at most 10% more than no session, read + write at most 25%,
 * cost being the time per request (1 / req/s).
 *
 * The server runs in a child process, so client and server each have an event loop (and a core, on
 * a 2-core machine). The client keeps 32 requests in flight on a keep-alive agent. Cases alternate
 * in rounds, so all see the same machine state; each case's req/s is the median of its rounds (one
 * noisy round does not decide). The server also reports its CPU time per request: the session's own
 * cost, whatever limits throughput (often the client, on a small machine).
 * Bounded: BENCH_HTTP_ROUNDS (5) rounds of BENCH_HTTP_MS (600) ms per case, after a warm-up.
 * Run: npm run bench (it builds dist/ first: the benchmarks measure the built package, as users run it).
 */
import { fork } from 'node:child_process';
import { Agent, createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { createKeyring, generateKey, readSession, seal, unseal, type SessionStore, type StoreLoadResult } from 'sealed-session';
import { withSession } from 'sealed-session/http';
import { SAMPLE_SESSION } from './fixtures.js';
import { check } from './harness.js';

const NAME = 'sid';
const CONCURRENCY = 32;
const ROUNDS = Number(process.env.BENCH_HTTP_ROUNDS ?? 5);
const ROUND_MS = Number(process.env.BENCH_HTTP_MS ?? 600);
const TARGETS: Readonly<Record<string, number>> = Object.freeze({ '/read': 1.1, '/write': 1.25 });
const CASES = [
  ['/none', 'no session'],
  ['/read', 'read-only, 5 entries'],
  ['/write', 'read + write, 5 entries'],
  ['/adapter', 'read + write, no crypto'],
] as const;

type Path = (typeof CASES)[number][0];
/** What the child sends back over IPC. */
type ServerMessage = { port: number } | { cpu: number };

if (process.argv[2] === '--server') await serve(process.env.BENCH_KEY!);
else await main();

/** The child: one server, one route per case, the session options of a typical app. */
async function serve(secret: string): Promise<void> {
  const plain = (_req: IncomingMessage, res: ServerResponse) => {
    res.end('ok');
  };
  const keys = createKeyring(secret);
  const readHandler = (_req: IncomingMessage, res: ServerResponse, session: Map<string, string>) => {
    res.end(session.get('userId'));
  };
  const writeHandler = (_req: IncomingMessage, res: ServerResponse, session: Map<string, string>) => {
    session.set('lastSeen', '1735689600');
    res.end(session.get('userId'));
  };
  // The store without cryptography: whatever the cookie, the sample session, opened once here.
  const token = await seal(SAMPLE_SESSION, { keys, context: NAME });
  const opened = (await unseal(token, { keys, context: NAME })) as StoreLoadResult;
  const fixed: SessionStore = { load: async () => opened, save: async () => token };
  const routes: Readonly<Record<string, (req: IncomingMessage, res: ServerResponse) => void>> = {
    '/none': plain,
    '/read': withSession(readHandler, { name: NAME, keys }),
    '/write': withSession(writeHandler, { name: NAME, keys }),
    '/adapter': withSession(writeHandler, { name: NAME, store: fixed }),
  };
  const server = createServer((req, res) => routes[req.url!]!(req, res));
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  process.on('message', () => {
    const { user, system } = process.cpuUsage();
    process.send!({ cpu: user + system } satisfies ServerMessage);
  });
  process.on('disconnect', () => process.exit(0));
  process.send!({ port: (server.address() as AddressInfo).port } satisfies ServerMessage);
}

async function main(): Promise<void> {
  const secret = generateKey();
  const token = await seal(SAMPLE_SESSION, { keys: createKeyring(secret), context: NAME });
  const unrelated = Array.from({ length: 10 }, (_, i) => `pref_${i}=${'v'.repeat(8 + i)}${i}`);
  const cookie = [...unrelated.slice(0, 5), `${NAME}=${token}`, ...unrelated.slice(5)].join('; ');

  const child = fork(fileURLToPath(import.meta.url), ['--server'], { execArgv: process.execArgv, env: { ...process.env, BENCH_KEY: secret } });
  // The child answers one message at a time: one pending reply at most.
  let reply: { resolve: (message: ServerMessage) => void; reject: (error: Error) => void } | undefined;
  child.on('message', (message: ServerMessage) => reply?.resolve(message));
  child.on('exit', () => reply?.reject(new Error('the benchmark server exited')));
  const nextMessage = () => new Promise<ServerMessage>((resolve, reject) => (reply = { resolve, reject }));
  try {
    const { port } = (await nextMessage()) as { port: number };
    const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
    const get = (path: Path) => fetchOnce(agent, port, path, cookie);

    // Cross-check every case before timing anything.
    const none = await get('/none');
    check(none.status === 200 && none.body === 'ok' && none.setCookies.length === 0, 'no session: 200 ok, no cookie');
    const read = await get('/read');
    check(read.status === 200 && read.body === '12345' && read.setCookies.length === 0, 'read-only: the session opens, nothing is sent');
    const write = await get('/write');
    check(write.status === 200 && write.body === '12345' && write.setCookies.length === 1, 'read + write: one Set-Cookie');
    const adapter = await get('/adapter');
    check(adapter.status === 200 && adapter.body === '12345' && adapter.setCookies.length === 1 && adapter.setCookies[0]!.startsWith(`${NAME}=ss1.`), 'no crypto: one Set-Cookie');
    const reread = await readSession(write.setCookies[0]!.split(';')[0], { name: NAME, keys: createKeyring(secret) });
    check(reread.session.get('lastSeen') === '1735689600' && reread.session.size === SAMPLE_SESSION.size + 1, 'read + write: the new cookie reads back');

    const cpu = async () => {
      child.send('cpu');
      return ((await nextMessage()) as { cpu: number }).cpu;
    };
    const totals = new Map<Path, { rates: number[]; requests: number; cpu: number }>(CASES.map(([path]) => [path, { rates: [], requests: 0, cpu: 0 }]));
    for (const [path] of CASES) await load(get, path, ROUND_MS / 2); // warm-up: JIT, sockets
    for (let round = 0; round < ROUNDS; round++) {
      for (const [path] of round % 2 === 0 ? CASES : [...CASES].reverse()) {
        const cpuBefore = await cpu();
        const { requests, ms } = await load(get, path, ROUND_MS);
        const total = totals.get(path)!;
        total.rates.push((requests * 1000) / ms);
        total.requests += requests;
        total.cpu += (await cpu()) - cpuBefore;
      }
    }
    agent.destroy();

    console.log(`\nnode:http on 127.0.0.1, server in a child process, ${CONCURRENCY} keep-alive requests in flight, ` +
      `${ROUNDS} rounds of ${ROUND_MS} ms per case; Cookie header ${cookie.length} chars (token ${token.length})`);
    const rate = (path: Path) => median(totals.get(path)!.rates);
    const cpuPerRequest = (path: Path) => totals.get(path)!.cpu / totals.get(path)!.requests;
    for (const [path, label] of CASES) {
      const cost = rate('/none') / rate(path); // time per request relative to no session
      const target = TARGETS[path];
      const verdict = target === undefined ? '' : ` (target <= ${target.toFixed(2)}x: ${cost <= target ? 'met' : 'NOT met'})`;
      console.log(`  ${label.padEnd(26)} ${rate(path).toFixed(0).padStart(7)} req/s   cost ${cost.toFixed(2)}x${verdict.padEnd(26)}` +
        `   server CPU ${cpuPerRequest(path).toFixed(1).padStart(6)} µs/req (+${(cpuPerRequest(path) - cpuPerRequest('/none')).toFixed(1)})`);
    }
  } finally {
    child.disconnect();
  }
}

/** Keeps CONCURRENCY requests in flight for `ms`; returns how many completed and the time taken. */
async function load(get: (path: Path) => Promise<unknown>, path: Path, ms: number): Promise<{ requests: number; ms: number }> {
  const start = performance.now();
  const deadline = start + ms;
  let requests = 0;
  await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
    while (performance.now() < deadline) {
      await get(path);
      requests++;
    }
  }));
  return { requests, ms: performance.now() - start };
}

function fetchOnce(agent: Agent, port: number, path: string, cookie: string): Promise<{ status: number; body: string; setCookies: string[] }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, agent, headers: { cookie } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode!, body, setCookies: res.headers['set-cookie'] ?? [] }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[sorted.length >> 1]!;
}
