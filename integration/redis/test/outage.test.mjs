/**
 * Redis SIGKILLed under load and restarted: requests during the outage get the app's error answer
 * (503 from the adapter's onError) within the store timeout, none hangs, no user ever sees another
 * user's data, and once Redis is back new sessions work without restarting the app.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKey } from 'sealed-session';
import { Client, startApp, startRedis } from './helpers.mjs';

const STORE_TIMEOUT = 500;
/** A request still unanswered after this long has hung: 30 times the store timeout. */
const HUNG = 30 * STORE_TIMEOUT;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

let redis;
const apps = {};
before(async () => {
  redis = await startRedis();
  const key = generateKey();
  for (const family of ['node-redis', 'ioredis']) apps[family] = await startApp({ redisPort: redis.port, family, storeTimeout: STORE_TIMEOUT, key });
});
after(async () => {
  for (const app of Object.values(apps)) await app.stop();
  await redis.stop();
});

for (const family of ['node-redis', 'ioredis']) {
  test(`${family}: an outage gives errors within the timeout, never another user's data, and the app recovers`, async () => {
    const app = apps[family];
    const users = Array.from({ length: 6 }, (_, i) => ({ name: `${family}-user-${i}`, client: new Client(app.port) }));
    for (const user of users) assert.equal((await user.client.send('POST', `/login?user=${user.name}`)).status, 200);
    const errors = new Set();
    /** One request of `user`: its answer must be its own data, nobody's, or the error handler's 503. */
    const step = async (user, method, path) => {
      const { status, body } = await user.client.send(method, path, { limitMs: HUNG });
      if (status === 200) assert.ok(body.user === user.name || body.user === null, `${user.name} saw ${JSON.stringify(body)}`);
      else {
        assert.equal(status, 503, JSON.stringify(body));
        errors.add(body.error);
      }
      return status;
    };
    // Load before the kill: every user busy with reads and writes.
    await Promise.all(users.map(async (user) => {
      for (let i = 0; i < 10; i++) assert.equal(await step(user, i % 2 ? 'GET' : 'POST', i % 2 ? '/me' : '/incr'), 200);
    }));
    // Kill Redis while the users keep going (after a dozen more requests); each goes on until it has
    // seen the outage three times, at most 200 requests after the kill.
    let sent = 0;
    let killed = false;
    let kill;
    const load = Promise.all(users.map(async (user) => {
      let failed = 0;
      for (let i = 0, afterKill = 0; failed < 3 && afterKill < 200; i++) {
        if (killed) afterKill++;
        if (++sent === 12) kill = redis.kill().then(() => (killed = true));
        if ((await step(user, i % 2 ? 'GET' : 'POST', i % 2 ? '/me' : '/incr')) === 503) failed++;
      }
      assert.equal(failed, 3, `${user.name} never saw the outage`);
    }));
    await load;
    await kill;
    assert.ok(errors.size > 0 && [...errors].every((name) => typeof name === 'string'), [...errors].join());
    // Redis comes back empty (no persistence) on the same port; the app's client reconnects by itself.
    redis = await startRedisOn(redis);
    for (const user of users) {
      let status = 0;
      for (let i = 0; i < 100 && status !== 200; i++) {
        status = await step(user, 'POST', `/login?user=${user.name}`);
        if (status !== 200) await sleep(100);
      }
      assert.equal(status, 200, `${user.name} could not log in again`);
      const me = await user.client.send('GET', '/me');
      assert.deepEqual([me.status, me.body.user], [200, user.name]);
    }
    console.log(`${family}: errors seen during the outage: ${[...errors].join(', ')}`);
  });
}

/** A new redis-server on the old one's port (its directory is removed with it). */
async function startRedisOn(old) {
  await old.stop();
  return startRedis(old.port);
}
