/**
 * A bounded wrk load on loopback (zero errors), then sequential clients writing concurrently with
 * each other: none of their writes is lost.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { generateKey } from 'sealed-session';
import { Client, startApp, startRedis } from './helpers.mjs';

const run = promisify(execFile);
let redis;
let app;
before(async () => {
  redis = await startRedis();
  app = await startApp({ redisPort: redis.port, family: 'node-redis', storeTimeout: 5000, key: generateKey() });
});
after(async () => {
  await app.stop();
  await redis.stop();
});

test('wrk: 3 s of signed-in reads on 16 connections, every answer a 200', async () => {
  const alice = new Client(app.port);
  await alice.send('POST', '/login?user=alice');
  const { stdout } = await run('wrk', ['-t2', '-c16', '-d3s', '-H', `Cookie: ${alice.cookie}`, `http://127.0.0.1:${app.port}/me`], { timeout: 60_000 });
  const requests = Number(/(\d+) requests in/.exec(stdout)?.[1]);
  assert.ok(requests > 0, stdout);
  assert.doesNotMatch(stdout, /Non-2xx or 3xx responses|Socket errors/, stdout);
  console.log(`wrk: ${requests} requests, ${/Requests\/sec:\s+([\d.]+)/.exec(stdout)?.[1]} per second`);
  assert.equal((await alice.send('GET', '/me')).body.user, 'alice');
});

test('20 sequential clients, 25 writes each, all at once: no write lost', async () => {
  const clients = Array.from({ length: 20 }, () => new Client(app.port));
  await Promise.all(clients.map(async (client, i) => {
    await client.send('POST', `/login?user=u${i}`);
    for (let n = 1; n <= 25; n++) assert.equal((await client.send('POST', '/incr')).body.n, n);
  }));
  for (const [i, client] of clients.entries()) assert.deepEqual((await client.send('GET', '/me')).body.user, `u${i}`);
  for (const client of clients) assert.equal((await client.send('GET', '/me')).body.n, 25);
});
