/**
 * The app under test, one Node process: node:http with sealed-session/http on a redisStore.
 * Environment: PORT, REDIS_PORT, FAMILY (node-redis | node-redis-4 | node-redis-5 | ioredis),
 * STORE_TIMEOUT (ms), SESSION_KEY (shared by every process, as in production).
 *
 *   POST /login?user=U   sets userId and regenerates     GET /me    { user, n }
 *   POST /incr           n + 1                           POST /logout   destroy()
 *   POST /logout-all     destroyAll(userId)
 * A store failure answers 503 with the error's name, from the adapter's onError.
 */
import { createServer } from 'node:http';
import { createKeyring } from 'sealed-session';
import { withSession } from 'sealed-session/http';
import { redisStore } from 'sealed-session/redis';

const { PORT, REDIS_PORT, FAMILY, STORE_TIMEOUT, SESSION_KEY } = process.env;
const url = `redis://127.0.0.1:${REDIS_PORT}`;

async function connect() {
  if (FAMILY === 'ioredis') {
    const { Redis } = await import('ioredis');
    const client = new Redis(Number(REDIS_PORT), '127.0.0.1');
    client.on('error', () => {}); // reconnects on its own; requests meanwhile fail through storeTimeout
    return client;
  }
  const { createClient } = await import({ 'node-redis': 'redis', 'node-redis-4': 'redis4', 'node-redis-5': 'redis5' }[FAMILY]);
  const client = createClient({ url });
  client.on('error', () => {}); // without a listener, a lost connection would crash the process
  return client.connect();
}

const client = await connect();
const store = redisStore({ client, keys: createKeyring(SESSION_KEY), prefix: 'app:', indexBy: 'userId' });

const listener = withSession(
  async (req, res, session) => {
    const { pathname, searchParams } = new URL(req.url, 'http://localhost');
    const json = (value) => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify(value));
    };
    if (req.method === 'POST' && pathname === '/login') {
      session.set('userId', searchParams.get('user'));
      session.regenerate();
      return json({ user: session.get('userId') });
    }
    if (req.method === 'GET' && pathname === '/me') return json({ user: session.get('userId') ?? null, n: Number(session.get('n') ?? 0), pid: process.pid });
    if (req.method === 'POST' && pathname === '/incr') {
      const n = Number(session.get('n') ?? 0) + 1;
      session.set('n', String(n));
      return json({ user: session.get('userId') ?? null, n });
    }
    if (req.method === 'POST' && pathname === '/logout') {
      session.destroy();
      return json({ user: null });
    }
    if (req.method === 'POST' && pathname === '/logout-all') return json({ destroyed: await store.destroyAll(session.get('userId')) });
    res.statusCode = 404;
    res.end();
  },
  { name: 'sid', store, ttl: 3600, storeTimeout: Number(STORE_TIMEOUT), cookie: { secure: false } },
  {
    onError: (error, req, res) => {
      res.statusCode = 503;
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ error: error?.name ?? String(error) }));
    },
  },
);

const server = createServer(listener);
server.listen(Number(PORT), '127.0.0.1', () => process.stdout.write('listening\n'));
process.on('SIGTERM', () => {
  server.closeAllConnections();
  server.close();
  if (typeof client.destroy === 'function') client.destroy();
  else client.disconnect();
});
