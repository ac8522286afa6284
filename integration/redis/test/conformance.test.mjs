/**
 * storeConformance (the logout race included) for redisStore on every client family, and for
 * memoryStore; destroyAll and key TTLs on the real server; redisRevocation over the cookie store.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { cookieStore, createKeyring, defineSession, commitSession, generateKey, memoryStore, readSession, revocableStore, verify } from 'sealed-session';
import { storeConformance } from 'sealed-session/testing';
import { redisRevocation, redisStore } from 'sealed-session/redis';
import { startRedis } from './helpers.mjs';

const keys = createKeyring(generateKey());
let server;
const clients = {};

async function connect(family, url, port) {
  if (family === 'ioredis' || family === 'iovalkey') {
    const { Redis } = await import(family);
    return new Redis(port, '127.0.0.1');
  }
  const { createClient } = await import({ 'node-redis': 'redis', 'node-redis-4': 'redis4', 'node-redis-5': 'redis5' }[family]);
  return createClient({ url }).connect();
}

const FAMILIES = ['node-redis', 'node-redis-5', 'node-redis-4', 'ioredis', 'iovalkey'];

before(async () => {
  server = await startRedis();
  for (const family of FAMILIES) clients[family] = await connect(family, server.url, server.port);
});

after(async () => {
  for (const client of Object.values(clients)) typeof client.destroy === 'function' ? client.destroy() : client.disconnect();
  await server.stop();
});

let stores = 0;
const prefix = () => `c${++stores}:`;
const raw = (...args) => clients.ioredis.call(...args);

/** Logs `userId` in through the session layer; the cookie value, as a browser keeps it. */
async function login(config, userId) {
  const state = await readSession(undefined, config);
  state.session.set('userId', userId);
  const [line] = await commitSession(state, config);
  return line.split(';', 1)[0];
}

describe('memoryStore', () => {
  for (const check of storeConformance(() => memoryStore({ keys, indexBy: 'userId' }))) test(check.name, () => check.run());
});

for (const family of FAMILIES) {
  describe(`redisStore on ${family}`, () => {
    for (const check of storeConformance(() => redisStore({ client: clients[family], keys, prefix: prefix(), indexBy: 'userId' }))) {
      test(check.name, () => check.run());
    }
    for (const check of storeConformance(() => redisStore({ client: clients[family], keys, prefix: prefix() }))) {
      test(`without indexBy: ${check.name}`, () => check.run());
    }

    test('destroyAll removes exactly one user\'s sessions', async () => {
      const p = prefix();
      const store = redisStore({ client: clients[family], keys, prefix: p, indexBy: 'userId' });
      const config = defineSession({ name: 'sid', store });
      const users = ['alice', 'bob', 'carol'];
      const cookies = {};
      for (const user of users) cookies[user] = await Promise.all(Array.from({ length: 4 }, () => login(config, user)));
      assert.equal(await store.destroyAll('bob'), 4);
      for (const user of users) {
        for (const cookie of cookies[user]) {
          assert.equal((await readSession(cookie, config)).session.get('userId'), user === 'bob' ? undefined : user);
        }
      }
      assert.equal((await raw('KEYS', `${p}*`)).length, 8 + 2); // 8 sessions, 2 indexes
    });

    test('key TTLs follow ttl', async () => {
      const p = prefix();
      const store = redisStore({ client: clients[family], keys, prefix: p, indexBy: 'userId' });
      for (const ttl of [60, 3600, 86_400]) {
        const config = defineSession({ name: 'sid', store, ttl });
        const cookie = await login(config, `user-${ttl}`);
        const token = await verify(cookie.slice(4), { keys, context: 'sid' });
        const pttl = Number(await raw('PTTL', p + token.data.get('id')));
        assert.ok(pttl > (ttl - 60) * 1000 && pttl <= ttl * 1000, `${ttl}: ${pttl}`);
        assert.equal(token.expiresAt - token.issuedAt, ttl * 1000);
      }
    });
  });
}

describe('redisRevocation over the cookie store', () => {
  test('revoke() logs one user out everywhere; other users stay', async () => {
    const revocation = redisRevocation({ client: clients['node-redis'], prefix: prefix(), ttl: 3600 });
    const config = defineSession({ name: 'sid', ttl: 3600, store: revocableStore(cookieStore({ keys }), revocation) });
    const alice = await login(config, 'alice');
    const bob = await login(config, 'bob');
    await revocation.revoke('alice');
    assert.equal((await readSession(alice, config)).session.get('userId'), undefined);
    assert.equal((await readSession(bob, config)).session.get('userId'), 'bob');
    assert.equal((await readSession(await login(config, 'alice'), config)).session.get('userId'), 'alice');
  });
});
