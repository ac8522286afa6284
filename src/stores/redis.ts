/**
 * redisStore: a server-side store on Redis or Valkey, through the application's own client
 * (node-redis 4 to 6, ioredis, iovalkey), so this package adds no dependency. The cookie carries
 * only a signed random id; each write is one Lua script, atomic on the server, so no interleaving
 * of requests or servers can bring a destroyed session back.
 *
 * Layout, under `prefix` (default `'sess:'`):
 * - `<prefix><id>`: a hash, `d` the session as JSON pairs, `o` its owner (the `indexBy` entry);
 *   expires with the session's ttl, and every save (rolling refresh included) sets it again.
 * - `<prefix>idx:<owner>`: a sorted set of the owner's ids scored by their expiry (server ms); each
 *   save for that owner drops expired ids, and the set itself expires with its last session.
 *
 * Scripts compute the index key from the owner, so the store serves one Redis node (or a primary
 * with replicas), not Redis Cluster.
 *
 * @module
 */
import { generateKey, sign, verify } from '#core';
import { describe } from '../text/describe.js';
import { keyringState, type Keyring } from '../keys/keyring.js';
import { checkRecord } from '../session/options.js';
import { loadedEntry, signId, verifiedId, type IdSigner } from '../session/signed-id.js';
import type { SessionStore, StoreContext } from '../session/store.js';

/**
 * The client: a connected node-redis client (`createClient()`, v4 to v6) or an ioredis / iovalkey
 * instance. Detected from its methods: ioredis has `call`, node-redis has `sendCommand`.
 */
export type RedisClient = object;

/** Options of {@link redisStore}. */
export interface RedisStoreOptions {
  /** The application's connected client; see {@link RedisClient}. */
  readonly client: RedisClient;
  /** The keyring that signs the id cookies: its first key signs, every key verifies. */
  readonly keys: Keyring;
  /** Prefix of every key this store writes. Default `'sess:'`. */
  readonly prefix?: string | undefined;
  /**
   * A session key whose value names the session's owner (such as `'userId'`): `destroyAll(value)`
   * then ends every session whose entry under that key is `value`, on every server. Default: none.
   */
  readonly indexBy?: string | undefined;
}

/** A redisStore: a SessionStore with "log out everywhere". */
export interface RedisStore extends SessionStore {
  destroy(id: string, context: StoreContext): Promise<void>;
  /**
   * Ends every session whose `indexBy` entry is `value`, atomically; resolves to how many there
   * were. Throws a TypeError when the store has no `indexBy`.
   */
  destroyAll(value: string): Promise<number>;
}

/** Sends one command, arguments as strings; resolves to the reply. */
type SendCommand = (args: string[]) => Promise<unknown>;

/** The client's way to send a raw command, or a TypeError naming what was expected. */
function commandSender(client: unknown, where: string): SendCommand {
  const methods = client as { call?: unknown; sendCommand?: unknown } | null;
  // ioredis and iovalkey: call(name, ...args). Checked first: they also have a sendCommand, of another shape.
  if (typeof methods?.call === 'function') {
    const call = methods.call as (...args: string[]) => Promise<unknown>;
    return (args) => call.apply(client, args);
  }
  // node-redis 4 to 6: sendCommand([name, ...args]).
  if (typeof methods?.sendCommand === 'function') {
    const send = methods.sendCommand as (args: string[]) => Promise<unknown>;
    return (args) => send.call(client, args);
  }
  throw new TypeError(
    `${where}: expected a node-redis client (createClient()) or an ioredis / iovalkey instance, got ${describe(client)}`,
  );
}

/**
 * A Lua script run by EVALSHA, loaded on first use and again after a server restart or SCRIPT
 * FLUSH (NOSCRIPT), so a Redis that comes back empty needs no application restart.
 */
function script(send: SendCommand, source: string): (keys: string[], args: string[]) => Promise<unknown> {
  let sha: Promise<unknown> | undefined;
  const load = () =>
    (sha = send(['SCRIPT', 'LOAD', source]).catch((error: unknown) => {
      sha = undefined;
      throw error;
    }));
  return async (keys, args) => {
    const run = async () => send(['EVALSHA', String(await (sha ?? load())), String(keys.length), ...keys, ...args]);
    try {
      return await run();
    } catch (error) {
      if (!String((error as Error | null)?.message).includes('NOSCRIPT')) throw error;
      load();
      return run();
    }
  };
}

/** The server's clock in ms, for the index scores (PEXPIRE counts on the server's clock too). */
const SERVER_NOW = `local t = redis.call('TIME') local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)`;

/**
 * KEYS[1] the session. ARGV: json, ttl ms (0: none), '1' if owned, owner, index prefix, id,
 * '1' to update (the entry must exist), replaced session key ('' for none), replaced id, '1' if the
 * store indexes (without indexBy no entry has an owner, and the script skips the index entirely).
 * Answers 0, writing nothing, when the entry to update or replace is gone: destroyed stays destroyed.
 */
const SAVE = `local key, json, ttl, owned, owner, ixp, id = KEYS[1], ARGV[1], tonumber(ARGV[2]), ARGV[3] == '1', ARGV[4], ARGV[5], ARGV[6]
local update, indexed = ARGV[7] == '1', ARGV[10] == '1'
if update then
  if redis.call('EXISTS', key) == 0 then return 0 end
elseif ARGV[8] ~= '' and redis.call('EXISTS', ARGV[8]) == 0 then
  return 0
end
if indexed then
  local old = redis.call('HGET', update and key or ARGV[8], 'o')
  if old then redis.call('ZREM', ixp .. old, update and id or ARGV[9]) end
end
if ARGV[8] ~= '' then redis.call('DEL', ARGV[8]) end
if owned then
  redis.call('HSET', key, 'd', json, 'o', owner)
else
  redis.call('HSET', key, 'd', json)
  if indexed and update then redis.call('HDEL', key, 'o') end
end
if ttl > 0 then redis.call('PEXPIRE', key, ARGV[2]) elseif update then redis.call('PERSIST', key) end
if owned then
  ${SERVER_NOW}
  local ix = ixp .. owner
  redis.call('ZADD', ix, ttl > 0 and string.format('%.0f', now + ttl) or '+inf', id)
  redis.call('ZREMRANGEBYSCORE', ix, '-inf', '(' .. string.format('%.0f', now))
  local last = redis.call('ZRANGE', ix, -1, -1, 'WITHSCORES')
  if last[2] == 'inf' then redis.call('PERSIST', ix) else redis.call('PEXPIREAT', ix, last[2]) end
end
return 1`;

/** KEYS[1] the session. ARGV: index prefix, id. */
const DESTROY = `local o = redis.call('HGET', KEYS[1], 'o')
if o then redis.call('ZREM', ARGV[1] .. o, ARGV[2]) end
return redis.call('DEL', KEYS[1])`;

/** KEYS[1] the owner's index. ARGV: session key prefix, owner. Deletes only sessions still owned by them. */
const DESTROY_ALL = `local n = 0
for _, id in ipairs(redis.call('ZRANGE', KEYS[1], 0, -1)) do
  local k = ARGV[1] .. id
  if redis.call('HGET', k, 'o') == ARGV[2] then n = n + redis.call('DEL', k) end
end
redis.call('DEL', KEYS[1])
return n`;

/** The public `sign` and `verify` of the build `#core` resolves to: the store's id tokens. */
const signer: IdSigner = { sign, verify };

/**
 * A server-side session store on Redis or Valkey, through your own client. Every write is one
 * atomic script; keys expire with the session's ttl (a rolling refresh extends them); with
 * `indexBy`, `destroyAll(value)` ends all of one user's sessions on every server.
 * @example
 * ```ts
 * import { createClient } from 'redis';
 * import { createKeyring, defineSession, generateKey } from 'sealed-session';
 * import { redisStore } from 'sealed-session/redis';
 * const client = await createClient({ url: process.env.REDIS_URL }).connect();
 * const keys = createKeyring(generateKey());
 * const store = redisStore({ client, keys, prefix: 'sess:', indexBy: 'userId' });
 * const config = defineSession({ name: '__Host-sid', store });
 * await store.destroyAll('12345'); // every session whose userId is 12345, on every server
 * ```
 */
export function redisStore(options: RedisStoreOptions): RedisStore {
  checkRecord(
    options,
    'redisStore options',
    ['client', 'keys', 'prefix', 'indexBy'],
    '{ client, keys, prefix?, indexBy? }',
  );
  const { client, keys, prefix = 'sess:', indexBy } = options;
  const send = commandSender(client, 'redisStore options.client');
  keyringState(keys);
  if (typeof prefix !== 'string')
    throw new TypeError(`redisStore options.prefix: expected a string, got ${describe(prefix)}`);
  if (indexBy !== undefined && typeof indexBy !== 'string') {
    throw new TypeError(
      `redisStore options.indexBy: expected a session key (a string) or undefined, got ${describe(indexBy)}`,
    );
  }
  const indexPrefix = `${prefix}idx:`;
  const saveScript = script(send, SAVE);
  const destroyScript = script(send, DESTROY);
  const destroyAllScript = script(send, DESTROY_ALL);

  const store: RedisStore = {
    async save(data, context) {
      const json = JSON.stringify([...data]);
      const owner = indexBy === undefined ? undefined : data.get(indexBy);
      const update = context.id !== undefined;
      // A new id: 32 CSPRNG bytes (256 bits, base64url), never guessable, never taken from the client.
      const id = context.id ?? generateKey();
      const ttl = context.ttl === Infinity ? '0' : String(context.ttl * 1000);
      const replaced = context.replaces === undefined ? '' : prefix + context.replaces;
      const saved = await saveScript(
        [prefix + id],
        [
          json,
          ttl,
          owner === undefined ? '0' : '1',
          owner ?? '',
          indexPrefix,
          id,
          update ? '1' : '0',
          replaced,
          context.replaces ?? '',
          indexBy === undefined ? '0' : '1',
        ],
      );
      if (Number(saved) !== 1) return null;
      return signId(signer, keys, id, context);
    },
    async load(value, context) {
      // Forged and expired ids stop here, without a round trip.
      const opened = await verifiedId(signer, keys, value, context);
      if (!opened.ok) return opened;
      const id = opened.id;
      const json = await send(['HGET', prefix + id, 'd']);
      if (json === null || json === undefined) return { ok: false, reason: 'not-found' };
      return loadedEntry(opened, new Map(JSON.parse(String(json)) as [string, string][]));
    },
    async destroy(id) {
      await destroyScript([prefix + id], [indexPrefix, id]);
    },
    async destroyAll(value) {
      if (indexBy === undefined)
        throw new TypeError('redisStore.destroyAll: expected a store made with the indexBy option, got one without');
      if (typeof value !== 'string')
        throw new TypeError(
          `redisStore.destroyAll: expected the ${JSON.stringify(indexBy)} value (a string), got ${describe(value)}`,
        );
      return Number(await destroyAllScript([indexPrefix + value], [prefix, value]));
    },
  };
  return Object.freeze(store);
}

/** Options of {@link redisRevocation}. */
export interface RedisRevocationOptions {
  /** The application's connected client; see {@link RedisClient}. */
  readonly client: RedisClient;
  /** The session key that names the owner. Default `'userId'`. */
  readonly by?: string | undefined;
  /** Prefix of the cut-off keys. Default `'revoked:'`. */
  readonly prefix?: string | undefined;
  /**
   * Seconds a cut-off is kept: at least the sessions' ttl (by then every session issued before
   * it has expired anyway), or `Infinity`. Required.
   */
  readonly ttl: number;
}

/** Per-user cut-offs in Redis, for `revocableStore`. */
export interface RedisRevocation {
  /** The owner's cut-off (one GET), for `revocableStore`. */
  cutoff(data: ReadonlyMap<string, string>): Promise<number | undefined>;
  /**
   * Revokes every session of `owner` issued up to now (`at`, ms since the epoch): "log out
   * everywhere". A cut-off only ever moves later.
   */
  revoke(owner: string, at?: number): Promise<void>;
}

/** KEYS[1] the cut-off. ARGV: ms, ttl ms (0: none). Keeps the later cut-off. */
const REVOKE = `local old = tonumber(redis.call('GET', KEYS[1]) or '0')
if tonumber(ARGV[1]) > old then redis.call('SET', KEYS[1], ARGV[1]) end
if ARGV[2] ~= '0' then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 1`;

/**
 * Per-user revocation for the cookie store (or any store), backed by Redis: one GET per request
 * that carries a session, one script per revocation.
 * @example
 * ```ts
 * import { createClient } from 'redis';
 * import { cookieStore, createKeyring, defineSession, generateKey, revocableStore } from 'sealed-session';
 * import { redisRevocation } from 'sealed-session/redis';
 * const client = await createClient({ url: process.env.REDIS_URL }).connect();
 * const keys = createKeyring(generateKey());
 * const revocation = redisRevocation({ client, by: 'userId', ttl: 604800 });
 * const config = defineSession({ name: '__Host-session', ttl: 604800, store: revocableStore(cookieStore({ keys }), revocation) });
 * await revocation.revoke('12345'); // after a password change: every session of user 12345 ends
 * ```
 */
export function redisRevocation(options: RedisRevocationOptions): RedisRevocation {
  checkRecord(options, 'redisRevocation options', ['client', 'by', 'prefix', 'ttl'], '{ client, ttl, by?, prefix? }');
  const { client, by = 'userId', prefix = 'revoked:', ttl } = options;
  const send = commandSender(client, 'redisRevocation options.client');
  if (typeof by !== 'string')
    throw new TypeError(`redisRevocation options.by: expected a session key (a string), got ${describe(by)}`);
  if (typeof prefix !== 'string')
    throw new TypeError(`redisRevocation options.prefix: expected a string, got ${describe(prefix)}`);
  if (ttl !== Infinity && (typeof ttl !== 'number' || !Number.isSafeInteger(ttl) || ttl < 1)) {
    throw new RangeError(
      `redisRevocation options.ttl: expected the sessions' ttl or more (whole seconds from 1) or Infinity, got ${describe(ttl)}`,
    );
  }
  const revokeScript = script(send, REVOKE);
  // The cut-off outlives every session issued before it by the clock skew a verifier may allow.
  const keepMs = ttl === Infinity ? '0' : String((ttl + 60) * 1000);
  return Object.freeze({
    async cutoff(data: ReadonlyMap<string, string>) {
      const owner = data.get(by);
      if (owner === undefined) return undefined;
      const value = await send(['GET', prefix + owner]);
      return value === null || value === undefined ? undefined : Number(value);
    },
    async revoke(owner: string, at: number = Date.now()) {
      if (typeof owner !== 'string')
        throw new TypeError(
          `redisRevocation.revoke: expected the ${JSON.stringify(by)} value (a string), got ${describe(owner)}`,
        );
      if (typeof at !== 'number' || !Number.isFinite(at) || at < 0)
        throw new TypeError(`redisRevocation.revoke: expected ms since the epoch, got ${describe(at)}`);
      await revokeScript([prefix + owner], [String(Math.ceil(at)), keepMs]);
    },
  });
}
