/**
 * The HTTP benchmark (issue 13): the server's CPU time per request under a server-bound load, for
 * sealed-session and the session library each framework's users would otherwise pick, side by side
 * with a bare handler (the floor), on node:http, Express, Fastify, Koa and Hono (@hono/node-server).
 *
 *   peers   @fastify/secure-session (libsodium secretbox, in the cookie), express-session with its
 *           MemoryStore (a signed id in the cookie, no encryption), koa-session (signed base64 JSON in
 *           the cookie), iron-session (AES-256-CBC + HMAC-SHA256 on WebCrypto, in the cookie)
 *   kinds   read: the handler reads `userId`, nothing is sent back;
 *           write: it also sets `lastSeen` (a new value each time), so one fresh cookie goes out; the client keeps sending
 *           the first cookie (so a cache of verified tokens hits on the read part);
 *           write, new cookie: the same requests, each carrying the cookie of the last response
 *           that set one, as a browser does (bench/follow-cookie.lua): reads of fresh tokens
 *   session the 5-entry sample (fixtures.ts), written by each library through its own API (GET /init),
 *           sent among 10 unrelated cookies
 *
 * The load is `wrk` (a C load generator; Debian's package), one thread, CONNECTIONS keep-alive
 * connections on 127.0.0.1, for ROUND_S seconds per case. On a small machine wrk and the server share
 * the cores, so requests/s mostly measures the machine; the figure is the server process's own CPU
 * time (process.cpuUsage, every thread, asked over IPC before and after each wrk run) divided by the
 * requests wrk completed, with its kernel part (system time: on loopback a `writev` also runs the
 * receiving side's TCP work and wakes wrk, so that part moves with how the two processes interleave
 * more than with the server's own code) and the main thread's garbage-collection pauses (perf_hooks
 * 'gc' entries). Requests/s and wrk's p99 latency are printed alongside.
 *
 * One framework at a time: its variants each run in a server child process of their own (so one
 * library's garbage or JIT state never lands on another's bill), all started before the first round.
 * Rounds interleave every case of the framework, alternating the order; a ratio is computed within
 * each round (ours ÷ peer, ours ÷ bare) and the printed ratio is the median of those per-round
 * ratios, with their range, so a noisy round shows up as a wide range instead of a wrong median.
 *
 * Bounded: BENCH_HTTP_ROUNDS (5) rounds of BENCH_HTTP_SECONDS (1) s per case after a 1 s warm-up,
 * about 4 minutes for all five frameworks. BENCH_HTTP_ONLY=fastify,koa runs some frameworks only.
 * BENCH_HTTP_PROFILE=<dir> starts the servers with `node --cpu-prof`, one folder per server under <dir>
 * (written when they exit; the largest file is the main thread's, others are tsx's loader thread); `node bench/profile-summary.ts <file.cpuprofile>` lists the hottest functions.
 * BENCH_HTTP_BASELINE=<dir> adds the variant "ours, baseline" to every framework: the same server on
 * the build in <dir> (a checkout of another revision, after `npm ci && npm run build` there), with
 * the ratio ours ÷ baseline per kind, so a change is measured beside the code before it in one run
 * (BENCH_HTTP_VARIANTS, below, can leave the peers out of such a run).
 * Run: npm run bench:http (it builds dist/ first: the servers import the built package).
 */
import { execFileSync, fork, type ChildProcess } from 'node:child_process';
import { createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { cpus } from 'node:os';
import { PerformanceObserver } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { generateKey } from 'sealed-session';
import type { SessionEnv } from 'sealed-session/hono';
import { cookieHeader, SAMPLE_SESSION } from './fixtures.js';
import { check } from './harness.js';

const NAME = 'sid';
const CONNECTIONS = Number(process.env.BENCH_HTTP_CONNECTIONS ?? 32);
const ROUNDS = Number(process.env.BENCH_HTTP_ROUNDS ?? 5);
const ROUND_S = Number(process.env.BENCH_HTTP_SECONDS ?? 1);
/**
 * Server processes per variant, one after another (BENCH_HTTP_PROCESSES, default 1), each timed for
 * ROUNDS rounds. A process keeps its JIT decisions and heap layout for the whole run, and two
 * processes of the same code measured up to ±15% apart here, more than rounds within one process
 * vary: more processes turn that bias into spread that the medians see.
 */
const PROCESSES = Number(process.env.BENCH_HTTP_PROCESSES ?? 1);
const PROFILE_DIR = process.env.BENCH_HTTP_PROFILE;
/** A built checkout of another revision, run beside ours as "ours, baseline" (see the top). */
const BASELINE = process.env.BENCH_HTTP_BASELINE;
/**
 * BENCH_HTTP_PIN=1 (Linux, util-linux's taskset): every server on the last core, wrk and this process
 * on the others. Without it, a variant whose responses make wrk work more (a new Set-Cookie that the
 * "new cookie" script parses on every response) also takes more of the server's core, which raises
 * the server's CPU per request through fewer requests per wake-up.
 */
const PIN = process.env.BENCH_HTTP_PIN === '1';
const SERVER_CORE = String(cpus().length - 1);
const CLIENT_CORES = cpus().length > 1 ? `0-${cpus().length - 2}` : '0';
// The peers' secrets: fixed, as only this run's own servers ever see their cookies.
const SECRET_32 = 'bench-only-secret-bench-only-secret!!'.slice(0, 32);
const PASSWORD = 'bench-only-password-of-at-least-32-characters';

const FRAMEWORKS = {
  http: ['bare', 'ours', 'iron-session'],
  // 'ours, memoryStore': our server-side store, the like-for-like variant beside express-session.
  express: ['bare', 'ours', 'ours, memoryStore', 'express-session', 'iron-session'],
  fastify: ['bare', 'ours', '@fastify/secure-session'],
  koa: ['bare', 'ours', 'koa-session'],
  hono: ['bare', 'ours', 'iron-session'],
} as const satisfies Record<string, readonly string[]>;
type Framework = keyof typeof FRAMEWORKS;
/**
 * BENCH_HTTP_VARIANTS='bare|ours|ours, baseline' (names as printed, `|` between them) runs only those
 * variants: a before/after comparison then spends the run's time on the two builds. The bare
 * handler always runs, as every "over bare" figure needs it.
 */
const ONLY_VARIANTS = process.env.BENCH_HTTP_VARIANTS?.split('|');
/** A framework's variants, with "ours, baseline" after ours when BENCH_HTTP_BASELINE is set. */
function variantsOf(framework: Framework): readonly string[] {
  const variants: readonly string[] = FRAMEWORKS[framework];
  const all = BASELINE === undefined ? variants : variants.flatMap((v) => (v === 'ours' ? [v, 'ours, baseline'] : [v]));
  return ONLY_VARIANTS === undefined ? all : all.filter((v) => v === 'bare' || ONLY_VARIANTS.includes(v));
}
const KINDS = ['read', 'write', 'write, new cookie'] as const;
type Kind = (typeof KINDS)[number];
/** The route each kind requests. */
const ROUTES: Readonly<Record<Kind, string>> = { read: '/read', write: '/write', 'write, new cookie': '/write' };
/** The wrk script of "write, new cookie" (the client sends back the cookie it was last sent). */
const FOLLOW_SCRIPT = fileURLToPath(new URL('follow-cookie.lua', import.meta.url));
/**
 * Variants that cannot run "write, new cookie": koa-session sends two cookies per write (the value
 * and its signature), and wrk keeps only the last Set-Cookie of a response.
 */
const NO_FOLLOW: ReadonlySet<string> = new Set(['koa-session']);

/**
 * What a server child sends over IPC: its port once, then per question its CPU time (µs, user and
 * kernel) and the time its main thread spent in garbage collection pauses (µs).
 */
type ServerMessage = { port: number } | CpuTime;

/** The three routes every server answers: /init writes the sample, /read and /write are timed. */
interface SessionLike {
  get(key: string): string | undefined;
  set(key: string, value: string): void;
}
/** A new value on every write, so a session that already holds the last one still changes. */
let lastSeen = 1735689600;
function fill(session: SessionLike): string {
  for (const [key, value] of SAMPLE_SESSION) session.set(key, value);
  return 'ok';
}
function answer(kind: string, session: SessionLike): string {
  if (kind === 'init') return fill(session);
  if (kind === 'write') session.set('lastSeen', String(lastSeen++));
  return session.get('userId') ?? 'none';
}
/** A plain object session (express-session, koa-session, iron-session) seen through get/set. */
function objectSession(target: Record<string, unknown>): SessionLike {
  return { get: (key) => target[key] as string | undefined, set: (key, value) => void (target[key] = value) };
}

if (process.argv[2] === '--server') await serve(process.argv[3] as Framework, process.argv[4]!);
else await main();

/**
 * The child: one framework, one variant, listening on a free loopback port. Peers are imported by a
 * computed name: their type declarations augment the same framework types as ours (`request.session`),
 * and only one of the two can be in a program.
 */
async function serve(framework: Framework, variant: string): Promise<void> {
  const load = (name: string): Promise<any> => import(name); // eslint-disable-line @typescript-eslint/no-explicit-any
  const baseline = variant === 'ours, baseline';
  /** One of our entries (index, adapters/express…): this build's, or the baseline's for its variant. */
  const ours = <T>(entry: string, here: () => Promise<T>): Promise<T> =>
    baseline ? load(pathToFileURL(`${BASELINE}/dist/${entry}.js`).href) : here();
  // Each server writes the cookies it is sent (/init); a baseline's keyring comes from its own build.
  const keys = (await ours('index', () => import('sealed-session'))).createKeyring(generateKey());
  const kindOf = (url: string | undefined) => (url ?? '/').slice(1);
  let listen: () => Promise<number>;

  if (framework === 'http') {
    let handle: (req: IncomingMessage, res: ServerResponse) => unknown;
    if (variant === 'bare') handle = (_req, res) => res.end('12345');
    else if (variant.startsWith('ours')) {
      const { withSession } = await ours('adapters/http', () => import('sealed-session/http'));
      handle = withSession((req, res, session) => res.end(answer(kindOf(req.url), session)), { name: NAME, keys });
    } else {
      const { getIronSession, nodeCookies } = await load('iron-session');
      handle = async (req, res) => {
        const session = await getIronSession(nodeCookies(req, res), { cookieName: NAME, password: PASSWORD });
        const body = answer(kindOf(req.url), objectSession(session));
        if (kindOf(req.url) !== 'read') await session.save();
        res.end(body);
      };
    }
    const server = createServer((req, res) => void handle(req, res));
    listen = () => listenOn(server);
  } else if (framework === 'express') {
    const express = (await import('express')).default;
    const app = express();
    app.set('etag', false); // the same response work for every variant, and none a peer would not do
    app.set('x-powered-by', false);
    if (variant === 'bare') app.get('/:kind', (_req, res) => void res.send('12345'));
    else if (variant.startsWith('ours')) {
      const { session } = await ours('adapters/express', () => import('sealed-session/express'));
      const { memoryStore } = await import('sealed-session');
      app.use(
        session(variant === 'ours, memoryStore' ? { name: NAME, store: memoryStore({ keys }) } : { name: NAME, keys }),
      );
      app.get('/:kind', (req, res) => void res.send(answer(req.params.kind!, req.session)));
    } else if (variant === 'express-session') {
      const expressSession = (await load('express-session')).default;
      // resave/saveUninitialized false: the settings its documentation recommends; a read stores nothing.
      app.use(
        expressSession({
          name: NAME,
          secret: PASSWORD,
          resave: false,
          saveUninitialized: false,
          store: new expressSession.MemoryStore(),
        }),
      );
      app.get(
        '/:kind',
        (req, res) =>
          void res.send(
            answer(req.params.kind!, objectSession((req as unknown as { session: Record<string, unknown> }).session)),
          ),
      );
    } else {
      const { getIronSession, nodeCookies } = await load('iron-session');
      app.get('/:kind', async (req, res) => {
        const session = await getIronSession(nodeCookies(req, res), { cookieName: NAME, password: PASSWORD });
        const body = answer(req.params.kind!, objectSession(session));
        if (req.params.kind !== 'read') await session.save();
        res.send(body);
      });
    }
    listen = () => listenOn(createServer(app));
  } else if (framework === 'fastify') {
    const Fastify = (await import('fastify')).default;
    const app = Fastify();
    if (variant.startsWith('ours')) {
      const { session } = await ours('adapters/fastify', () => import('sealed-session/fastify'));
      await app.register(session, { name: NAME, keys });
      app.get<{ Params: { kind: string } }>('/:kind', async (request) => answer(request.params.kind, request.session));
    } else if (variant === 'bare') {
      app.get('/:kind', async () => '12345');
    } else {
      await app.register((await load('@fastify/secure-session')).default, {
        key: Buffer.from(SECRET_32),
        cookieName: NAME,
        cookie: { path: '/' },
      });
      app.get<{ Params: { kind: string } }>('/:kind', async (request) =>
        answer(request.params.kind, (request as unknown as { session: SessionLike }).session),
      );
    }
    await app.ready();
    listen = () => listenOn(app.server);
  } else if (framework === 'koa') {
    const Koa = (await import('koa')).default;
    const app = new Koa();
    app.keys = [PASSWORD];
    if (variant.startsWith('ours')) {
      const { session } = await ours('adapters/koa', () => import('sealed-session/koa'));
      app.use(session({ name: NAME, keys }));
      app.use((ctx) => void (ctx.body = answer(kindOf(ctx.path), ctx.session)));
    } else if (variant === 'bare') {
      app.use((ctx) => void (ctx.body = '12345'));
    } else {
      const koaSession = (await load('koa-session')).default;
      app.use(koaSession({ key: NAME }, app));
      app.use(
        (ctx) =>
          void (ctx.body = answer(
            kindOf(ctx.path),
            objectSession((ctx as unknown as { session: Record<string, unknown> }).session),
          )),
      );
    }
    listen = () => listenOn(createServer(app.callback()));
  } else {
    const { Hono } = await import('hono');
    const { getRequestListener } = await import('@hono/node-server');
    if (variant.startsWith('ours')) {
      const { session } = await ours('adapters/hono', () => import('sealed-session/hono'));
      const app = new Hono<SessionEnv>();
      app.use(session({ name: NAME, keys }));
      app.get('/:kind', (c) => c.text(answer(c.req.param('kind'), c.get('session'))));
      listen = () => listenOn(createServer(getRequestListener(app.fetch)));
    } else if (variant === 'bare') {
      const app = new Hono();
      app.get('/:kind', (c) => c.text('12345'));
      listen = () => listenOn(createServer(getRequestListener(app.fetch)));
    } else {
      const { getIronSession, webCookies } = await load('iron-session');
      const app = new Hono();
      app.get('/:kind', async (c) => {
        const headers = new Headers();
        const session = await getIronSession(webCookies(c.req.raw, headers), { cookieName: NAME, password: PASSWORD });
        const kind = c.req.param('kind');
        const body = answer(kind, objectSession(session));
        if (kind !== 'read') await session.save();
        for (const line of headers.getSetCookie()) c.header('set-cookie', line, { append: true });
        return c.text(body);
      });
      listen = () => listenOn(createServer(getRequestListener(app.fetch)));
    }
  }

  // V8's collection pauses on the main thread, as Node reports them (perf_hooks 'gc' entries, which
  // arrive after each collection): a library that keeps objects alive across requests pays here.
  let gcMs = 0;
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) gcMs += entry.duration;
  }).observe({ entryTypes: ['gc'] });
  const port = await listen();
  process.on('message', () => {
    const { user, system } = process.cpuUsage();
    process.send!({ user, system, gc: gcMs * 1000 } satisfies ServerMessage);
  });
  // Exit on the parent's word rather than on disconnect alone, so --cpu-prof writes its profile.
  process.on('disconnect', () => process.exit(0));
  process.send!({ port } satisfies ServerMessage);
}

function listenOn(server: ReturnType<typeof createServer>): Promise<number> {
  server.keepAliveTimeout = 60_000;
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));
}

/**
 * A server's CPU time so far, µs: in its own code (user) and in the kernel on its behalf (system);
 * and its main thread's garbage-collection pauses so far, µs (part of `user`).
 */
interface CpuTime {
  user: number;
  system: number;
  gc: number;
}

/** A server child and its IPC. */
interface Server {
  readonly variant: string;
  readonly port: number;
  cpu(): Promise<CpuTime>;
  stop(): Promise<void>;
}

async function startServer(framework: Framework, variant: string): Promise<Server> {
  const execArgv = [
    ...process.execArgv,
    ...(PROFILE_DIR === undefined
      ? []
      : ['--cpu-prof', `--cpu-prof-dir=${PROFILE_DIR}/${framework}-${variant.replace(/\W/g, '')}`]),
  ];
  const child: ChildProcess = fork(fileURLToPath(import.meta.url), ['--server', framework, variant], {
    execArgv,
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  let reply: { resolve: (message: ServerMessage) => void; reject: (error: Error) => void } | undefined;
  child.on('message', (message: ServerMessage) => reply?.resolve(message));
  child.on('exit', () => reply?.reject(new Error(`the ${framework} ${variant} server exited`)));
  const next = () => new Promise<ServerMessage>((resolve, reject) => (reply = { resolve, reject }));
  const { port } = (await next()) as { port: number };
  // -a: every thread of the server (libuv's pool included), -p: the running process.
  if (PIN) execFileSync('taskset', ['-a', '-p', '-c', SERVER_CORE, String(child.pid)], { stdio: 'ignore' });
  return {
    variant,
    port,
    async cpu() {
      const message = next();
      child.send('cpu');
      return (await message) as CpuTime;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.disconnect();
      }),
  };
}

interface Response {
  status: number;
  body: string;
  setCookies: string[];
}
function get(port: number, path: string, cookie: string): Promise<Response> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers: cookie === '' ? {} : { cookie } }, (res) => {
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

/** The Cookie header of the timed requests: the library's own cookies from /init, among 10 others. */
async function cookieFor(server: Server): Promise<string> {
  if (server.variant === 'bare') return cookieHeader();
  const init = await get(server.port, '/init', '');
  const own = init.setCookies.map((line) => line.split(';')[0]!);
  check(init.status === 200 && own.length > 0, `${server.variant}: /init sets a cookie`);
  return cookieHeader(...own);
}

/** Cross-checks a variant before anything is timed: the session opens, writes send one cookie. */
async function crossCheck(server: Server, cookie: string): Promise<void> {
  const read = await get(server.port, '/read', cookie);
  check(read.status === 200 && read.body === '12345', `${server.variant}: /read answers the session's userId`);
  if (server.variant === 'bare') return;
  check(read.setCookies.length === 0, `${server.variant}: /read sends no cookie`);
  const write = await get(server.port, '/write', cookie);
  // express-session keeps the data in its store: a write saves there, and the id cookie stays as it is.
  const sends = server.variant === 'express-session' ? 0 : 1;
  check(
    write.status === 200 && write.body === '12345' && write.setCookies.length >= sends,
    `${server.variant}: /write sends a cookie`,
  );
}

interface Sample {
  /** Server CPU µs per request. */
  cpu: number;
  /** The part of it in the kernel (system calls: on loopback, `writev` also delivers to wrk). */
  kernel: number;
  /** Main-thread garbage-collection pauses, µs per request (part of `cpu`). */
  gc: number;
  rate: number;
  p99ms: number;
  requests: number;
}

/** One wrk run of one kind, with the server's CPU time around it. */
async function run(server: Server, kind: Kind, cookie: string, seconds: number): Promise<Sample> {
  const path = ROUTES[kind];
  const follow = kind === 'write, new cookie';
  const args = [
    '-t1',
    `-c${CONNECTIONS}`,
    `-d${seconds}s`,
    '--latency',
    ...(follow ? ['-s', FOLLOW_SCRIPT] : ['-H', `Cookie: ${cookie}`]),
    `http://127.0.0.1:${server.port}${path}`,
  ];
  const before = await server.cpu();
  const out = execFileSync(PIN ? 'taskset' : 'wrk', PIN ? ['-c', CLIENT_CORES, 'wrk', ...args] : args, {
    encoding: 'utf8',
    env: { ...process.env, BENCH_COOKIE: cookie, BENCH_COOKIE_NAME: NAME },
  });
  const after = await server.cpu();
  const requests = Number(/(\d+) requests in/.exec(out)?.[1]);
  const rate = Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1]);
  check(
    !/Non-2xx|Socket errors/.test(out) && requests > 0,
    `wrk ${server.variant} ${kind}: every response 2xx, no socket errors\n${out}`,
  );
  const user = after.user - before.user;
  const kernel = after.system - before.system;
  const gc = (after.gc - before.gc) / requests;
  return {
    cpu: (user + kernel) / requests,
    kernel: kernel / requests,
    gc,
    rate,
    p99ms: latencyMs(/99%\s+([\d.]+)(us|ms|s)\b/.exec(out)),
    requests,
  };
}

function latencyMs(match: RegExpExecArray | null): number {
  if (match === null) return NaN;
  const value = Number(match[1]);
  return match[2] === 'us' ? value / 1000 : match[2] === 's' ? value * 1000 : value;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
function range(values: readonly number[]): string {
  return `${Math.min(...values).toFixed(2)}–${Math.max(...values).toFixed(2)}`;
}

async function main(): Promise<void> {
  const only = process.env.BENCH_HTTP_ONLY?.split(',');
  const frameworks = (Object.keys(FRAMEWORKS) as Framework[]).filter(
    (name) => only === undefined || only.includes(name),
  );
  console.log(
    `wrk -t1 -c${CONNECTIONS} on 127.0.0.1, ${ROUNDS} interleaved rounds of ${ROUND_S} s per case` +
      (PROCESSES > 1 ? ` in each of ${PROCESSES} sets of server processes` : '') +
      `; node ${process.version}; ` +
      `${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}` +
      (PIN ? `; servers pinned to core ${SERVER_CORE}, wrk to ${CLIENT_CORES}` : ''),
  );
  // This process and the wrk it starts stay off the servers' core.
  if (PIN) execFileSync('taskset', ['-a', '-p', '-c', CLIENT_CORES, String(process.pid)], { stdio: 'ignore' });
  console.log(
    'server CPU µs/request (kernel: the part spent in system calls; GC: main-thread collection pauses): median of rounds; ratios: median of per-round ratios [range]; req/s and p99: medians\n',
  );
  for (const framework of frameworks) {
    const samples = new Map<string, Sample[]>();
    for (let set = 0; set < PROCESSES; set++) await runSet(framework, samples);
    report(framework, samples);
  }
}

/**
 * One set of server processes for a framework: started, cross-checked, warmed up, timed for ROUNDS
 * interleaved rounds (their samples appended to `samples`), stopped.
 */
async function runSet(framework: Framework, samples: Map<string, Sample[]>): Promise<void> {
  const servers: Server[] = [];
  try {
    for (const variant of variantsOf(framework)) servers.push(await startServer(framework, variant));
    const cookies = new Map<Server, string>();
    for (const server of servers) {
      const cookie = await cookieFor(server);
      await crossCheck(server, cookie);
      cookies.set(server, cookie);
    }
    const cases = servers.flatMap((server) =>
      server.variant === 'bare'
        ? [{ server, kind: 'read' as Kind }]
        : KINDS.filter((kind) => kind !== 'write, new cookie' || !NO_FOLLOW.has(server.variant)).map((kind) => ({
            server,
            kind,
          })),
    );
    for (const { server, kind } of cases) await run(server, kind, cookies.get(server)!, 1); // warm-up: JIT, sockets
    for (let round = 0; round < ROUNDS; round++) {
      for (const { server, kind } of round % 2 === 0 ? cases : [...cases].reverse()) {
        const key = `${server.variant}/${kind}`;
        samples.set(key, [...(samples.get(key) ?? []), await run(server, kind, cookies.get(server)!, ROUND_S)]);
      }
    }
  } finally {
    for (const server of servers) await server.stop();
  }
}

function report(framework: Framework, samples: Map<string, Sample[]>): void {
  const bare = samples.get('bare/read')!;
  const peers = variantsOf(framework).filter((variant) => variant !== 'bare' && !variant.startsWith('ours'));
  const ourVariants = variantsOf(framework).filter((variant) => variant.startsWith('ours'));
  console.log(`${framework}`);
  console.log(
    `  ${'variant'.padEnd(42)} ${'CPU µs/req'.padStart(10)} ${'kernel'.padStart(7)} ${'GC'.padStart(5)} ${'req/s'.padStart(8)} ${'p99 ms'.padStart(7)}   over bare [range]`,
  );
  const line = (label: string, list: Sample[], extra: string) =>
    console.log(
      `  ${label.padEnd(42)} ${median(list.map((s) => s.cpu))
        .toFixed(1)
        .padStart(10)} ${median(list.map((s) => s.kernel))
        .toFixed(1)
        .padStart(7)} ${median(list.map((s) => s.gc))
        .toFixed(1)
        .padStart(5)} ${median(list.map((s) => s.rate))
        .toFixed(0)
        .padStart(8)} ` +
        `${median(list.map((s) => s.p99ms))
          .toFixed(2)
          .padStart(7)}   ${extra}`,
    );
  line('bare handler', bare, '');
  for (const kind of KINDS) {
    const kindPeers = peers.filter((peer) => samples.has(`${peer}/${kind}`));
    for (const variant of [...ourVariants, ...kindPeers]) {
      const list = samples.get(`${variant}/${kind}`)!;
      const overBare = list.map((s, round) => s.cpu / bare[round]!.cpu);
      line(
        `${variant} ${kind}`,
        list,
        `${median(overBare).toFixed(2)}x [${range(overBare)}] (+${median(list.map((s, round) => s.cpu - bare[round]!.cpu)).toFixed(1)} µs)`,
      );
    }
    const compared = (variant: string) => [...kindPeers, ...(variant === 'ours' && BASELINE ? ['ours, baseline'] : [])];
    for (const variant of ourVariants) {
      for (const peer of compared(variant)) {
        const ours = samples.get(`${variant}/${kind}`)!;
        const theirs = samples.get(`${peer}/${kind}`)!;
        const ratios = ours.map((s, round) => s.cpu / theirs[round]!.cpu);
        const rates = ours.map((s, round) => theirs[round]!.rate / s.rate);
        console.log(
          `  => ${kind}: ${variant} / ${peer}: CPU ${median(ratios).toFixed(2)}x [${range(ratios)}], time per request by req/s ${median(rates).toFixed(2)}x [${range(rates)}]`,
        );
      }
    }
  }
  console.log('');
}
