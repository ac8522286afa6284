/**
 * memoryStore: a server-side store in this process's memory. The cookie carries only a random id,
 * signed with the core's `sign()` and bound to the cookie name, so a forged or guessed id is
 * rejected by its MAC before any lookup.
 *
 * One process only: entries are not shared between workers, cluster members or restarts. For those,
 * use `sealed-session/redis` (or implement SessionStore on another shared database).
 *
 * @module
 */
import type { MaybeSyncCore } from '../core/api.js';
import { describe } from '../text/describe.js';
import { keyringState, type Keyring } from '../keys/keyring.js';
import { checkRecord } from './options.js';
import { loadedEntry, signId, verifiedId } from './signed-id.js';
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
  /**
   * The most bytes all sessions may hold together, counted as 2 per UTF-16 code unit of their keys
   * and values (what V8 stores at most). Default 67108864 (64 MiB). Saving past it evicts the
   * sessions saved longest ago, like `maxEntries`.
   */
  readonly maxBytes?: number | undefined;
  /**
   * The most bytes one session may hold, counted like `maxBytes`. Default 262144 (256 KiB). A
   * larger session is not saved: `commitSession` rejects with a RangeError.
   */
  readonly maxEntryBytes?: number | undefined;
  /**
   * A session key whose value names the session's owner (such as `'userId'`): `destroyAll(value)`
   * then ends every session whose entry under that key is `value`. Default: none.
   */
  readonly indexBy?: string | undefined;
}

/** A memoryStore: a SessionStore that can also say how many entries it holds. */
export interface MemoryStore extends SessionStore {
  destroy(id: string, context: StoreContext): Promise<void>;
  /**
   * Ends every session whose `indexBy` entry is `value` ("log out everywhere"); resolves to how
   * many there were. Throws a TypeError when the store has no `indexBy`.
   * @example
   * ```ts
   * await store.destroyAll('12345'); // after a password change
   * ```
   */
  destroyAll(value: string): Promise<number>;
  /** Entries held now, expired ones not yet swept included. */
  readonly size: number;
  /** Bytes held now, counted as for `maxBytes`. */
  readonly bytes: number;
}

interface Entry {
  readonly data: ReadonlyMap<string, string>;
  /** Ms since the epoch, Infinity for never. */
  readonly expiresAt: number;
  readonly bytes: number;
  /** The value under `indexBy`, if any. */
  readonly owner: string | undefined;
}

const DEFAULT_MAX_ENTRIES = 10_000;
const DEFAULT_MAX_BYTES = 64 * 1024 * 1024;
const DEFAULT_MAX_ENTRY_BYTES = 256 * 1024;

/** memoryStore on a given core. Validates the options at once. */
export function makeMemoryStore(core: MaybeSyncCore, options: MemoryStoreOptions): MemoryStore {
  const {
    keys,
    maxEntries = DEFAULT_MAX_ENTRIES,
    maxBytes = DEFAULT_MAX_BYTES,
    maxEntryBytes = DEFAULT_MAX_ENTRY_BYTES,
    indexBy,
  } = checkRecord(
    options,
    'memoryStore options',
    ['keys', 'maxEntries', 'maxBytes', 'maxEntryBytes', 'indexBy'],
    '{ keys, maxEntries?, maxBytes?, maxEntryBytes?, indexBy? }',
  ) as unknown as MemoryStoreOptions;
  keyringState(keys);
  for (const [option, value] of [
    ['maxEntries', maxEntries],
    ['maxBytes', maxBytes],
    ['maxEntryBytes', maxEntryBytes],
  ] as const) {
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) {
      throw new RangeError(`memoryStore options.${option}: expected a whole number from 1, got ${describe(value)}`);
    }
  }
  if (maxEntryBytes > maxBytes) {
    throw new RangeError(
      `memoryStore options.maxEntryBytes: expected at most maxBytes (${maxBytes}), got ${maxEntryBytes}`,
    );
  }
  if (indexBy !== undefined && typeof indexBy !== 'string') {
    throw new TypeError(
      `memoryStore options.indexBy: expected a session key (a string) or undefined, got ${describe(indexBy)}`,
    );
  }
  // Insertion order is save order: the first entry is always the one saved longest ago.
  const entries = new Map<string, Entry>();
  /** indexBy value -> the ids of its sessions. */
  const owners = new Map<string, Set<string>>();
  let bytes = 0;

  function remove(id: string): void {
    const entry = entries.get(id);
    if (entry === undefined) return;
    entries.delete(id);
    bytes -= entry.bytes;
    if (entry.owner === undefined) return;
    const ids = owners.get(entry.owner)!;
    ids.delete(id);
    if (ids.size === 0) owners.delete(entry.owner);
  }

  /** Drops expired entries from the old end; stops at the first live one, so O(1) amortized. */
  function sweep(now: number, skewMs: number): void {
    for (const [id, entry] of entries) {
      if (entry.expiresAt + skewMs >= now) return;
      remove(id);
    }
  }

  const store: MemoryStore = {
    async save(data, context) {
      // Destroyed stays destroyed: a request that loaded the session before another one destroyed,
      // regenerated or evicted it must not bring it back to life, under its id or a new one.
      if (context.id !== undefined && !entries.has(context.id)) return null;
      if (context.replaces !== undefined && !entries.has(context.replaces)) return null;
      let size = 0;
      for (const [key, value] of data) size += 2 * (key.length + value.length);
      if (size > maxEntryBytes) {
        throw new RangeError(
          `memoryStore: expected a session of at most maxEntryBytes (${maxEntryBytes} bytes), got ${size} bytes`,
        );
      }
      // A new id: 32 CSPRNG bytes (256 bits, base64url), never guessable, never taken from the client.
      const id = context.id ?? core.generateKey();
      if (context.replaces !== undefined) remove(context.replaces);
      // Delete first so a re-saved session moves to the young end of the eviction order.
      remove(id);
      const owner = indexBy === undefined ? undefined : data.get(indexBy);
      entries.set(id, {
        data: new Map(data),
        expiresAt: context.ttl === Infinity ? Infinity : context.now + context.ttl * 1000,
        bytes: size,
        owner,
      });
      bytes += size;
      if (owner !== undefined) {
        const ids = owners.get(owner);
        if (ids === undefined) owners.set(owner, new Set([id]));
        else ids.add(id);
      }
      sweep(context.now, context.clockSkew * 1000);
      while (entries.size > maxEntries || bytes > maxBytes) remove(entries.keys().next().value!);
      return signId(core, keys, id, context);
    },
    async load(value, context) {
      const opened = await verifiedId(core, keys, value, context);
      if (!opened.ok) return opened;
      const id = opened.id;
      const entry = entries.get(id);
      if (entry === undefined) return { ok: false, reason: 'not-found' };
      if (entry.expiresAt + context.clockSkew * 1000 < context.now) {
        remove(id);
        return { ok: false, reason: 'expired' };
      }
      // A copy: the application's changes reach the store only through save.
      return loadedEntry(opened, new Map(entry.data));
    },
    async destroy(id) {
      remove(id);
    },
    async destroyAll(value) {
      if (indexBy === undefined)
        throw new TypeError('memoryStore.destroyAll: expected a store made with the indexBy option, got one without');
      if (typeof value !== 'string')
        throw new TypeError(
          `memoryStore.destroyAll: expected the ${JSON.stringify(indexBy)} value (a string), got ${describe(value)}`,
        );
      const ids = [...(owners.get(value) ?? [])];
      for (const id of ids) remove(id);
      return ids.length;
    },
    get size() {
      return entries.size;
    },
    get bytes() {
      return bytes;
    },
  };
  return Object.freeze(store);
}
