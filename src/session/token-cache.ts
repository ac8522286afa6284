/**
 * A bounded cache of tokens the core has opened and judged valid, so the cookie store can answer a
 * repeat read without decrypting again. A browser sends the same cookie on every request until the
 * server sends a new one; under load, opening it (OpenSSL context set-up per token on node:crypto,
 * thread-pool round trips on WebCrypto) was the largest cost of a read (docs/performance.md).
 *
 * It also keeps the tokens the cookie store has just issued (`admitIssued`): the browser sends the
 * new cookie back on its next request, and a session written on every request would otherwise be
 * decrypted on every request, one token after another (the "write, new cookie" case of bench/http.ts).
 * A session read from a token that was already answered with a newer one is saved without keeping
 * the next (see `admitIssued`): its client does not send back the cookies it is sent.
 *
 * What makes it safe (SECURITY.md, "The verified-token cache", argues each point):
 * - only a token that authenticated and passed every check is admitted (`admit` takes a success),
 *   or one this process has just made with the keyring's current key (`admitIssued`), whose result
 *   the core's own arithmetic gives;
 * - an entry answers only the exact token (looked up by its tag characters, then compared in full),
 *   the same context (cookie name) and the same keyring object;
 * - issue time, `issuedAfter` and expiry are judged again on every hit, with the request's clock,
 *   skew and `issuedAfter`, exactly as the core judges them (core/result.ts judge); an entry that
 *   fails is dropped and the token goes through the core, which gives the reason;
 * - memory is bounded in entries and in characters; the oldest entries go first (a generation at a
 *   time: see TokenCache).
 *
 * @module
 */
import type { Keyring } from '../keys/keyring.js';
import type { SaveContext, StoreContext, StoreLoadSuccess } from './store.js';

/** Entries kept at most. */
export const TOKEN_CACHE_ENTRIES = 1024;
/** Token characters kept at most over all entries (each entry's data is about as large again). */
export const TOKEN_CACHE_CHARS = 1 << 20;
/**
 * The lookup key: the token's last characters, which encode its authentication tag (the GCM tag of
 * a sealed token, the HMAC of a signed one: format/token.ts), 128 bits or more of a value that
 * exists only in that cookie. Only a request that presents these exact characters reaches the
 * comparison of the whole token (SECURITY.md, "The verified-token cache", point 5).
 */
const KEY_CHARS = 22;

/**
 * Slots of the "seen once" filter. A token is admitted the second time it is verified, not the
 * first: a token seen once (a new visitor, or every request of a session that is written on each
 * request, whose next cookie is always new) would cost a copy and an entry that is never hit, and
 * the garbage collector more as entries age out. The filter holds a 30-bit fingerprint per slot, in
 * a typed array: no allocation. A collision only admits a verified token one sighting early.
 */
const SEEN_SLOTS = 4096;

const mapSet = Map.prototype.set;

/**
 * One cached token and what the core answers for it. A class, so that an entry the session layer
 * hands back (the one a session was read from: `admitIssued`) is recognised as one.
 */
class Entry {
  /** Set once a session read from this entry has been saved as a newer token (see `admitIssued`). */
  superseded = false;

  constructor(
    /** The lookup key: the token's last KEY_CHARS characters. */
    readonly key: string,
    readonly token: string,
    readonly context: string,
    readonly keys: Keyring,
    /** The data, flat: key, value, key, value… */
    readonly entries: readonly string[],
    readonly keyId: string | null,
    /** Ms since the epoch, whole seconds (the token's). */
    readonly issuedAt: number,
    readonly expiresAt: number | null,
    readonly rotated: boolean,
  ) {}
}

/**
 * The cache of one cookie store; see the module's description. Entries live in two generations: new
 * ones go into the young one, and when it holds half the bounds, it becomes the old one and the old
 * one is dropped whole. That bounds memory as "oldest out first" does, without a search for the
 * oldest entry on every insertion (a Map's iterator skips the slots of deleted entries one by one,
 * which under a stream of new cookies cost more than the rest of the cache together, seen in
 * profiles under load). A hit in the old generation moves the entry to the young one.
 */
export class TokenCache {
  #young = new Map<string, Entry>();
  #old = new Map<string, Entry>();
  #youngChars = 0;
  #oldChars = 0;
  readonly #maxEntries: number;
  readonly #maxChars: number;
  readonly #seen = new Int32Array(SEEN_SLOTS);

  constructor(maxEntries: number = TOKEN_CACHE_ENTRIES, maxChars: number = TOKEN_CACHE_CHARS) {
    this.#maxEntries = maxEntries;
    this.#maxChars = maxChars;
  }

  /** Entries held now (for tests and diagnostics). */
  get size(): number {
    return this.#young.size + this.#old.size;
  }

  /** Token characters held now. */
  get chars(): number {
    return this.#youngChars + this.#oldChars;
  }

  /**
   * The cached result for `token` under `context` and `keys`, its data copied into `into`; or
   * undefined (then open the token with the core). Never answers for a token the core would reject
   * at this request's clock, skew and `issuedAfter`. On a hit, `onHit(into, source)` is called
   * first: `source` is the entry, which `admitIssued` takes back when that session is saved.
   */
  get<M extends Map<string, string>>(
    token: string,
    context: StoreContext,
    keys: Keyring,
    into: M,
    onHit?: (into: M, source: object) => void,
  ): StoreLoadSuccess | undefined {
    if (token.length < KEY_CHARS) return undefined;
    const key = token.slice(-KEY_CHARS);
    let entry = this.#young.get(key);
    const young = entry !== undefined;
    if (!young) entry = this.#old.get(key);
    // `===` may stop at the first difference; reaching it takes the tag characters themselves.
    if (entry === undefined || entry.token !== token || entry.keys !== keys || entry.context !== context.name)
      return undefined;
    if (!stillValid(entry, context)) {
      this.#forget(key);
      return undefined;
    }
    if (!young) this.#keep(entry);
    const { entries } = entry;
    // Map.prototype.set: the core fills the session the same way, so the session's own set (which
    // marks it changed) is not called; the session layer marks it loaded afterwards.
    for (let i = 0; i < entries.length; i += 2) mapSet.call(into, entries[i], entries[i + 1]);
    onHit?.(into, entry);
    return {
      ok: true,
      data: into,
      keyId: entry.keyId,
      issuedAt: entry.issuedAt,
      expiresAt: entry.expiresAt,
      rotated: entry.rotated,
    };
  }

  /**
   * Offers a token the core has just opened and judged valid (`result` is its success); it is kept
   * from its second offer on (see SEEN_SLOTS). Call it before the data is handed to anyone who could
   * change it: the entries are copied now.
   */
  admit(token: string, context: StoreContext, keys: Keyring, result: StoreLoadSuccess): void {
    const { issuedAt } = result;
    if (
      token.length < KEY_CHARS ||
      token.length > this.#maxChars / 2 ||
      typeof issuedAt !== 'number' ||
      !this.#seenBefore(token)
    )
      return;
    const own = detached(token);
    const key = own.slice(-KEY_CHARS);
    this.#keep(
      new Entry(
        key,
        own,
        context.name,
        keys,
        flatEntries(result.data),
        result.keyId ?? null,
        issuedAt,
        result.expiresAt ?? null,
        result.rotated === true,
      ),
    );
  }

  /**
   * Keeps a token the cookie store has just made from `entries` (flat: name, value, name, value…) with
   * the keyring's current key `keyId`, at `context.now` for `context.ttl` seconds: it holds what the
   * core answers when it opens that token, computed as the core computes it (issue time and expiry in
   * whole seconds: core/options.ts checkSealOptions; in ms, no expiry as null: core/result.ts judge;
   * a test holds the two equal). No seen-once filter: a token sent to a browser comes back with its
   * next request, unless a later write replaces it first. `source` is what `get` passed to its
   * `onHit` for the session being saved (undefined when it was not read from this cache): the
   * entry of the token this one succeeds.
   */
  admitIssued(
    token: string,
    context: SaveContext,
    keys: Keyring,
    keyId: string,
    entries: string[],
    source: object | undefined,
  ): void {
    if (token.length < KEY_CHARS || token.length > this.#maxChars / 2) return;
    if (source instanceof Entry) {
      // The session came from a token already answered with a newer one: its client sends tokens
      // again after it was sent a newer one (a client that keeps no cookies, a script, a crawler),
      // so this one is unlikely to come back either, and keeping it would only push out entries
      // that do. A browser that keeps its cookies supersedes each token once.
      if (source.superseded) return;
      source.superseded = true;
    }
    const issuedAt = Math.floor(context.now / 1000) * 1000;
    this.#keep(
      new Entry(
        token.slice(-KEY_CHARS),
        token,
        context.name,
        keys,
        entries,
        keyId,
        issuedAt,
        context.ttl === Infinity ? null : issuedAt + context.ttl * 1000,
        false,
      ),
    );
  }

  /**
   * Adds an entry to the young generation (replacing one with the same key in either), first turning
   * the young generation into the old one (and dropping the old one) if the entry would take it past
   * half of either bound. Each generation thus stays within half of each bound, and the two within it.
   */
  #keep(entry: Entry): void {
    const key = entry.key;
    this.#forget(key);
    const chars = entry.token.length;
    if (this.#young.size + 1 > this.#maxEntries / 2 || this.#youngChars + chars > this.#maxChars / 2) {
      this.#old = this.#young;
      this.#oldChars = this.#youngChars;
      this.#young = new Map();
      this.#youngChars = 0;
    }
    this.#young.set(key, entry);
    this.#youngChars += chars;
  }

  /** Removes the entry under `key` from whichever generation holds it. */
  #forget(key: string): void {
    const young = this.#young.get(key);
    if (young !== undefined) {
      this.#young.delete(key);
      this.#youngChars -= young.token.length;
      return;
    }
    const old = this.#old.get(key);
    if (old !== undefined) {
      this.#old.delete(key);
      this.#oldChars -= old.token.length;
    }
  }

  /** Whether the filter has seen this token's tag characters already; records them if not. */
  #seenBefore(token: string): boolean {
    const end = token.length;
    // Tag characters only (the last one may carry padding bits): base64url, 6 bits of MAC each.
    const slot = ((token.charCodeAt(end - 3) << 6) ^ token.charCodeAt(end - 4)) & (SEEN_SLOTS - 1);
    let fingerprint = 0;
    for (let i = 5; i <= 10; i++) fingerprint = (fingerprint << 5) ^ token.charCodeAt(end - i);
    if (this.#seen[slot] === fingerprint) return true;
    this.#seen[slot] = fingerprint;
    return false;
  }
}

/**
 * The checks of the core's `judge` that depend on the request rather than the token, with the same
 * boundaries: not issued in the future beyond the skew, not issued in a second before `issuedAfter`,
 * not expired beyond the skew. A value the core would refuse as an option (not a number) misses.
 */
function stillValid(entry: Entry, context: StoreContext): boolean {
  const { now, clockSkew, issuedAfter } = context;
  if (typeof now !== 'number' || typeof clockSkew !== 'number' || !(now >= 0) || !(clockSkew >= 0)) return false;
  if (issuedAfter !== undefined && (typeof issuedAfter !== 'number' || Number.isNaN(issuedAfter))) return false;
  const skewMs = clockSkew * 1000;
  if (entry.issuedAt > now + skewMs) return false;
  if (issuedAfter !== undefined && entry.issuedAt / 1000 < Math.floor(issuedAfter / 1000)) return false;
  return entry.expiresAt === null || entry.expiresAt + skewMs >= now;
}

/** A map's entries, flat (name, value, name, value…): what an entry keeps, copied now. */
export function flatEntries(data: ReadonlyMap<string, string>): string[] {
  const entries: string[] = [];
  data.forEach((value, name) => void entries.push(name, value));
  return entries;
}

/**
 * A copy of `text` that does not keep alive the string it was cut from. The token is a slice of the
 * request's whole Cookie header, and V8 may represent a slice as a view of its parent; kept as is,
 * each entry could hold up to 16 KiB of header instead of its own characters. Concatenation makes
 * V8 copy the characters into a new string (flattened on first use), of which the slice is a view.
 */
function detached(text: string): string {
  return (text + ' ').slice(0, -1);
}
