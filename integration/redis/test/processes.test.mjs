/** Two Node processes on one Redis: what one writes or destroys, the other sees. */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKey } from 'sealed-session';
import { Client, startApp, startRedis } from './helpers.mjs';

let redis;
const apps = [];
before(async () => {
  redis = await startRedis();
  const key = generateKey();
  apps.push(await startApp({ redisPort: redis.port, family: 'node-redis', key }));
  apps.push(await startApp({ redisPort: redis.port, family: 'ioredis', key }));
});
after(async () => {
  for (const app of apps) await app.stop();
  await redis.stop();
});

test('a write and a destroy in one process are seen by the other', async () => {
  const [a, b] = apps;
  const alice = new Client(a.port);
  await alice.send('POST', '/login?user=alice');
  const seen = await alice.send('GET', '/me', { port: b.port });
  assert.equal(seen.body.user, 'alice');
  assert.notEqual(seen.body.pid, (await alice.send('GET', '/me')).body.pid);
  await alice.send('POST', '/incr', { port: b.port });
  await alice.send('POST', '/incr', { port: b.port });
  assert.equal((await alice.send('GET', '/me', { port: a.port })).body.n, 2);
  const stolen = alice.cookie;
  await alice.send('POST', '/logout', { port: a.port });
  const thief = new Client(b.port);
  thief.cookie = stolen;
  assert.deepEqual((await thief.send('GET', '/me')).body.user, null);
});

test('destroyAll in one process logs the user out of sessions made by the other', async () => {
  const [a, b] = apps;
  const laptops = [new Client(a.port), new Client(b.port), new Client(b.port)];
  for (const laptop of laptops) await laptop.send('POST', '/login?user=dora');
  const bystander = new Client(a.port);
  await bystander.send('POST', '/login?user=erin');
  assert.equal((await laptops[0].send('POST', '/logout-all')).body.destroyed, 3);
  for (const laptop of laptops) assert.equal((await laptop.send('GET', '/me', { port: a.port })).body.user, null);
  assert.equal((await bystander.send('GET', '/me', { port: b.port })).body.user, 'erin');
});

test('the logout race over HTTP: a request that read the session before the logout cannot revive it', async () => {
  const [a, b] = apps;
  const victim = new Client(a.port);
  await victim.send('POST', '/login?user=fay');
  const thief = new Client(b.port);
  thief.cookie = victim.cookie;
  // Both read the same cookie; the victim's logout lands between the thief's read and its commit.
  // The app commits at the first write of the response, so the thief's /incr commits after it read:
  // the store decides. Repeated, interleaved by the event loops of two processes.
  for (let i = 0; i < 20; i++) {
    await victim.send('POST', '/login?user=fay');
    thief.cookie = victim.cookie;
    await Promise.all([victim.send('POST', '/logout'), thief.send('POST', '/incr')]);
    assert.equal((await thief.send('GET', '/me')).body.user, null, `round ${i}: the thief is still signed in`);
  }
});
