/**
 * `sealed-session/redis`: server-side sessions on Redis or Valkey through the application's own
 * client (node-redis, ioredis, iovalkey), and per-user revocation cut-offs for `revocableStore`.
 * No dependency: the client is passed in.
 */
export { redisStore, redisRevocation } from './stores/redis.js';
export type {
  RedisClient,
  RedisStore,
  RedisStoreOptions,
  RedisRevocation,
  RedisRevocationOptions,
} from './stores/redis.js';
