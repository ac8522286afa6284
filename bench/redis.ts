/**
 * Server CPU per request of sessions on Redis: sealed-session's redisStore (sealed-session/http)
 * next to express-session + connect-redis, on the same redis-server in the same run, under a wrk
 * load on loopback. Cases, each a signed-in user's request carrying its session cookie:
 *   floor:               node:http answering after one Redis GET of a fixed key (one round trip)
 *   redisStore read:     withSession, session.get('userId'): one HGET, nothing sent back
 *   redisStore write:    withSession, session.set('lastSeen', …): one HGET, one EVALSHA, a Set-Cookie
 *   express-session read / write: the same on express 5 + express-session + connect-redis with their
 *     defaults (resave false, saveUninitialized false, touch on): a read is GET + EXPIRE, a write GET + SET
 * Both stores use one node-redis client each, in one server process (a child), which reports its
 * own CPU time (process.cpuUsage) around each wrk run; redis-server's CPU comes from /proc/<pid>/stat.
 * Cases alternate in rounds; each figure is the median of its rounds.
 * The redis-server is started here on a free loopback port with persistence off, and stopped after.
 * Bounded: BENCH_REDIS_ROUNDS (3) rounds of BENCH_REDIS_SECONDS (2) s per case on 16 connections.
 * Run: npm run bench:redis (or npm run bench, which runs every benchmark).
 */
import { execFile, fork } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { RedisStore } from 'connect-redis';
import express from 'express';
import session from 'express-session';
import { createClient } from 'redis';
import { createKeyring, generateKey } from 'sealed-session';
import { withSession } from 'sealed-session/http';
import { redisStore } from 'sealed-session/redis';
import { startRedis } from '../test/stores/redis-server.js';
import { check } from './harness.js';

const ROUNDS = Number(process.env.BENCH_REDIS_ROUNDS ?? 3);
const SECONDS = Number(process.env.BENCH_REDIS_SECONDS ?? 2);
const CASES = [
  ['floor', '/floor', 'node:http + one Redis GET (floor)'],
  ['ss-read', '/ss/read', 'redisStore, read-only'],
  ['ss-write', '/ss/write', 'redisStore, read + write'],
  ['es-read', '/es/read', 'express-session + connect-redis, read-only'],
  ['es-write', '/es/write', 'express-session + connect-redis, read + write'],
] as const;
type Case = (typeof CASES)[number][0];
type ServerMessage = { ports: { plain: number; express: number } } | { cpu: number };

if (process.argv[2] === '--server') await serve(Number(process.env.BENCH_REDIS_PORT), process.env.BENCH_KEY!);
else await main();

/** The child: node:http with redisStore (and the floor) on one port, express + express-session on another. */
async function serve(redisPort: number, secret: string): Promise<void> {
  const url = `redis://127.0.0.1:${redisPort}`;
  const ours = await createClient({ url }).connect();
  const theirs = await createClient({ url }).connect();
  await ours.set('bench:floor', 'alice');
  const store = redisStore({ client: ours, keys: createKeyring(secret), prefix: 'bench-ss:' });
  const options = { name: 'sid', store, ttl: 86_400, cookie: { secure: false } };
  const read = withSession((_req, res, s) => void res.end(s.get('userId') ?? 'anonymous'), options);
  const write = withSession((_req, res, s) => {
    s.set('lastSeen', String(Date.now()));
    res.end(s.get('userId') ?? 'anonymous');
  }, options);
  const login = withSession((_req, res, s) => {
    s.set('userId', 'alice');
    res.end('alice');
  }, options);
  const plain = createServer((req: IncomingMessage, res: ServerResponse) => {
    if (req.url === '/floor') void ours.get('bench:floor').then((user) => res.end(user));
    else if (req.url === '/ss/read') read(req, res);
    else if (req.url === '/ss/write') write(req, res);
    else if (req.url === '/ss/login') login(req, res);
    else res.writeHead(404).end();
  });

  const app = express();
  app.use(
    session({
      store: new RedisStore({ client: theirs, prefix: 'bench-es:' }),
      secret,
      resave: false,
      saveUninitialized: false,
      cookie: { secure: false, maxAge: 86_400_000 },
    }),
  );
  app.get('/es/login', (req, res) => {
    (req.session as unknown as Record<string, unknown>).userId = 'alice';
    res.end('alice');
  });
  app.get(
    '/es/read',
    (req, res) => void res.end(String((req.session as unknown as Record<string, unknown>).userId ?? 'anonymous')),
  );
  app.get('/es/write', (req, res) => {
    const data = req.session as unknown as Record<string, unknown>;
    data.lastSeen = Date.now();
    res.end(String(data.userId ?? 'anonymous'));
  });
  const other = createServer(app);
  plain.listen(0, '127.0.0.1');
  other.listen(0, '127.0.0.1');
  await Promise.all([once(plain, 'listening'), once(other, 'listening')]);
  process.on('message', () => {
    const { user, system } = process.cpuUsage();
    process.send!({ cpu: user + system } satisfies ServerMessage);
  });
  process.send!({
    ports: { plain: (plain.address() as AddressInfo).port, express: (other.address() as AddressInfo).port },
  } satisfies ServerMessage);
  process.on('disconnect', () => {
    plain.close();
    other.close();
    ours.destroy();
    theirs.destroy();
  });
}

/** CPU time (µs) redis-server has used: utime + stime of /proc/<pid>/stat, in clock ticks (100 Hz). */
function redisCpu(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10_000;
}

async function main(): Promise<void> {
  // The tests' throwaway server: a free loopback port, persistence off, a temporary directory.
  const redis = await startRedis();
  const { port } = redis;
  const child = fork(fileURLToPath(import.meta.url), ['--server'], {
    execArgv: process.execArgv,
    env: { ...process.env, BENCH_REDIS_PORT: String(port), BENCH_KEY: generateKey() },
  });
  const messages: ServerMessage[] = [];
  let waiting: ((message: ServerMessage) => void) | undefined;
  child.on('message', (message: ServerMessage) => (waiting !== undefined ? waiting(message) : messages.push(message)));
  const nextMessage = () =>
    messages.length > 0
      ? Promise.resolve(messages.shift()!)
      : new Promise<ServerMessage>((resolve) => (waiting = (m) => ((waiting = undefined), resolve(m))));
  try {
    const { ports } = (await nextMessage()) as { ports: { plain: number; express: number } };
    const base = {
      ss: `http://127.0.0.1:${ports.plain}`,
      es: `http://127.0.0.1:${ports.express}`,
      floor: `http://127.0.0.1:${ports.plain}`,
    };
    // Sign in once per store; every request of the load then carries that user's session cookie.
    const cookieOf = async (url: string) => {
      const response = await fetch(url);
      check((await response.text()) === 'alice', `login at ${url}`);
      return response.headers.getSetCookie()[0]!.split(';', 1)[0]!;
    };
    const cookies = {
      ss: await cookieOf(`${base.ss}/ss/login`),
      es: await cookieOf(`${base.es}/es/login`),
      floor: 'x=1',
    };
    const target = (name: Case) => {
      const family = name === 'floor' ? 'floor' : (name.slice(0, 2) as 'ss' | 'es');
      return { url: base[family] + CASES.find(([c]) => c === name)![1], cookie: cookies[family] };
    };
    // Cross-check before timing: every case answers the signed-in user.
    for (const [name] of CASES) {
      const { url, cookie } = target(name);
      const answer = await (await fetch(url, { headers: { cookie } })).text();
      check(answer === 'alice', `${name} answered ${JSON.stringify(answer)}, not the signed-in user`);
    }
    const cpu = async () => {
      child.send('cpu');
      return ((await nextMessage()) as { cpu: number }).cpu;
    };
    const results = new Map<Case, { app: number[]; redis: number[]; rate: number[] }>(
      CASES.map(([name]) => [name, { app: [], redis: [], rate: [] }]),
    );
    for (let round = 0; round < ROUNDS; round++) {
      for (const [name] of CASES) {
        const { url, cookie } = target(name);
        const appBefore = await cpu();
        const redisBefore = redisCpu(redis.process.pid!);
        const { stdout } = await promisify(execFile)(
          'wrk',
          ['-t1', '-c16', `-d${SECONDS}s`, '-H', `Cookie: ${cookie}`, url],
          { timeout: 60_000 },
        );
        const appUsed = (await cpu()) - appBefore;
        const redisUsed = redisCpu(redis.process.pid!) - redisBefore;
        const requests = Number(/(\d+) requests in/.exec(stdout)?.[1]);
        check(
          requests > 0 && !/Non-2xx or 3xx responses|Socket errors/.test(stdout),
          `${name}: wrk reported errors:\n${stdout}`,
        );
        const entry = results.get(name)!;
        entry.app.push(appUsed / requests);
        entry.redis.push(redisUsed / requests);
        entry.rate.push(requests / SECONDS);
      }
    }
    const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1]!;
    const figure = (name: Case) => ({
      app: median(results.get(name)!.app),
      redis: median(results.get(name)!.redis),
      rate: median(results.get(name)!.rate),
    });
    console.log(
      `\nSessions on Redis: server CPU per request under wrk (16 connections, ${ROUNDS} x ${SECONDS} s per case, medians)`,
    );
    const floor = figure('floor');
    for (const [name, , label] of CASES) {
      const { app, redis: redisUs, rate } = figure(name);
      console.log(
        `  ${label.padEnd(46)} app ${app.toFixed(1).padStart(6)} µs/req (${(app / floor.app).toFixed(2)}x floor)   redis-server ${redisUs.toFixed(1).padStart(5)} µs/req   ${rate.toFixed(0).padStart(6)} req/s`,
      );
    }
    for (const kind of ['read', 'write'] as const) {
      const ours = figure(`ss-${kind}`);
      const theirs = figure(`es-${kind}`);
      console.log(
        `  ${kind.padEnd(5)}: redisStore uses ${(ours.app / theirs.app).toFixed(2)}x the app CPU of express-session + connect-redis, ${(ours.redis / theirs.redis).toFixed(2)}x the redis-server CPU`,
      );
    }
  } finally {
    child.disconnect();
    child.kill();
    await redis.stop();
  }
}
