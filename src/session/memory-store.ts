/**
 * memoryStore: a server-side store in this process's memory. The cookie carries only a random id,
 * signed with the core's `sign()` and bound to the cookie name, so a forged or guessed id is
 * rejected by its MAC before any lookup.
 *
 * One process only: entries are not shared between workers, cluster members or restarts. For those,
 * implement SessionStore on a shared database (the README shows one on Redis).
 *
 * @module
 */
import type { DirectCore } from '../core/api.js';
import { describe } from '../format/describe.js';
import { keyringState, type Keyring } from '../format/keyring.js';
import { checkRecord } from './options.js';
import type { SessionStore, StoreContext } from './store.js';

/** Options of `memoryStore`. */
export interface MemoryStoreOptions {
  /** The keyring that signs the id cookies: its first key signs, every key verifies. */
  readonly keys: Keyring;
  /**
   * The most sessions kept, a whole number from 1. Default 10000. Saving one more evicts the
   * session saved longest ago (a Map's insertion order, so eviction is O(1)); its user then gets
   * `onInvalid('not-found')` and a new session.
   */
  readonly maxEntries?: number | undefined;
}

/** A memoryStore: a SessionStore that can also say how many entries it holds. */
export interface MemoryStore extends SessionStore {
  destroy(id: string, context: StoreContext): Promise<void>;
  /** Entries held now, expired ones not yet swept included. */
  readonly size: number;
}

interface Entry {
  readonly data: ReadonlyMap<string, string>;
  /** Ms since the epoch, Infinity for never. */
  readonly expiresAt: number;
}

/** The map key under which the id travels in the signed token. */
const ID = 'id';
const DEFAULT_MAX_ENTRIES = 10_000;

/** memoryStore on a given core. Validates the options at once. */
export function makeMemoryStore(core: DirectCore, options: MemoryStoreOptions): MemoryStore {
  const { keys, maxEntries = DEFAULT_MAX_ENTRIES } = checkRecord(options, 'memoryStore options', ['keys', 'maxEntries'], '{ keys, maxEntries? }') as unknown as MemoryStoreOptions;
  keyringState(keys);
  if (typeof maxEntries !== 'number' || !Number.isSafeInteger(maxEntries) || maxEntries < 1) {
    throw new RangeError(`memoryStore options.maxEntries: expected a whole number from 1, got ${describe(maxEntries)}`);
  }
  // Insertion order is save order: the first entry is always the one saved longest ago.
  const entries = new Map<string, Entry>();

  /** Drops expired entries from the old end; stops at the first live one, so O(1) amortized. */
  function sweep(now: number, skewMs: number): void {
    for (const [id, entry] of entries) {
      if (entry.expiresAt + skewMs >= now) return;
      entries.delete(id);
    }
  }

  const store: MemoryStore = {
    async save(data, context) {
      // Update an entry only while it still exists: a request that loaded the session before another
      // one destroyed, regenerated or evicted it must not bring it back to life. Otherwise a new id:
      // 32 CSPRNG bytes (256 bits, base64url), never guessable, never taken from the client.
      const id = context.id !== undefined && entries.has(context.id) ? context.id : core.generateKey();
      // Delete first so a re-saved session moves to the young end of the eviction order.
      entries.delete(id);
      entries.set(id, {
        data: new Map(data),
        expiresAt: context.ttl === Infinity ? Infinity : context.now + context.ttl * 1000,
      });
      sweep(context.now, context.clockSkew * 1000);
      while (entries.size > maxEntries) entries.delete(entries.keys().next().value!);
      return core.sign(new Map([[ID, id]]), { keys, ttl: context.ttl, context: context.name, now: context.now });
    },
    async load(value, context) {
      const token = await core.verify(value, {
        keys,
        context: context.name,
        now: context.now,
        clockSkew: context.clockSkew,
        issuedAfter: context.issuedAfter,
      });
      if (!token.ok) return token;
      const id = token.data.get(ID);
      // Authentic but not an id token: only other code holding the key could have made it.
      if (id === undefined || token.data.size !== 1) return { ok: false, reason: 'malformed' };
      const entry = entries.get(id);
      if (entry === undefined) return { ok: false, reason: 'not-found' };
      if (entry.expiresAt + context.clockSkew * 1000 < context.now) {
        entries.delete(id);
        return { ok: false, reason: 'expired' };
      }
      // A copy: the application's changes reach the store only through save.
      return { ok: true, data: new Map(entry.data), id, keyId: token.keyId, issuedAt: token.issuedAt, expiresAt: token.expiresAt, rotated: token.rotated };
    },
    async destroy(id) {
      entries.delete(id);
    },
    get size() {
      return entries.size;
    },
  };
  return Object.freeze(store);
}
