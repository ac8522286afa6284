/**
 * The session API bound to one build's core, the way core/api.ts binds the core to a runtime: both
 * builds (index.ts on node:crypto, web.ts on WebCrypto) are made by this one function, so their
 * documentation, types and behaviour cannot drift apart.
 *
 * Only the stores need cryptography. readSession, commitSession and defineSession are
 * runtime-neutral (read.ts, commit.ts, options.ts); the bound versions differ only in resolving the
 * `keys` shortcut to this build's `cookieStore`.
 *
 * @module
 */
import type { DirectCore, SealedSessionCore } from '../core/api.js';
import type { Keyring } from '../format/keyring.js';
import { commitWith } from './commit.js';
import { makeCookieStore, type CookieStoreOptions } from './cookie-store.js';
import { makeMemoryStore, type MemoryStore, type MemoryStoreOptions } from './memory-store.js';
import { configure, resolve, type SessionConfig, type SessionOptions } from './options.js';
import { readWith, type SessionState } from './read.js';
import type { SessionStore } from './store.js';

/** The session API, identical in every build. */
export interface SessionApi {
  /**
   * Validates session options once, at start-up, and returns a frozen config to pass to
   * `readSession` and `commitSession` (raw options work too, validated on first use and cached).
   * Calls the store's `validate`.
   * @throws TypeError or RangeError "options.<field>: expected X, got Y" saying what to fix.
   * @example
   * ```ts
   * import { createKeyring, defineSession } from 'sealed-session';
   * export const sessionConfig = defineSession({
   *   name: '__Host-session',
   *   keys: createKeyring(process.env.SESSION_KEY!),
   *   ttl: 60 * 60 * 24,                 // the data expires after a day
   *   cookie: { sameSite: 'strict' },
   * });
   * ```
   */
  defineSession(options: SessionOptions | SessionConfig): SessionConfig;
  /**
   * Reads the session of a request from its `Cookie` header. Never rejects for anything a client
   * sends: no cookie gives a new, empty session; a missing, tampered, expired, revoked, unknown-key,
   * oversized or torn (chunked) cookie gives one too, after `onInvalid(reason)`. Rejects only when
   * the store fails (pass that to your framework's error handling) or for bad options.
   * @example
   * ```ts
   * const state = await readSession(request.headers.get('cookie'), sessionConfig);
   * state.session.get('userId');
   * ```
   */
  readSession(cookieHeader: string | null | undefined, options: SessionOptions | SessionConfig): Promise<SessionState>;
  /**
   * The `Set-Cookie` header values that answer a request's session: an empty array when nothing
   * needs sending (an unchanged session). Append each as its own header. One commit per state.
   * @throws RangeError when the session is too large for `maxSize` bytes of `Set-Cookie` headers or
   *   `maxChunks` cookies (naming both sizes; no line is produced, so the browser keeps the previous
   *   session); whatever the store throws.
   * @example
   * ```ts
   * for (const line of await commitSession(state, sessionConfig)) response.headers.append('set-cookie', line);
   * ```
   */
  commitSession(state: SessionState, options: SessionOptions | SessionConfig): Promise<string[]>;
  /**
   * The stateless store: the session sealed (default) or signed in the cookie itself. With
   * `defineSession({ name, keys })` you get a sealed one without calling this.
   * @example
   * ```ts
   * const prefs = defineSession({ name: 'prefs', store: cookieStore({ keys, signed: true }), cookie: { httpOnly: false } });
   * ```
   */
  cookieStore(options: CookieStoreOptions): SessionStore;
  /**
   * A server-side store in this process's memory: the cookie carries a signed random id (256 bits).
   * Entries expire with the session's ttl; at most `maxEntries` (default 10000) are kept, the one
   * saved longest ago evicted first. One process only.
   * @example
   * ```ts
   * const config = defineSession({ name: '__Host-sid', store: memoryStore({ keys, maxEntries: 50_000 }) });
   * ```
   */
  memoryStore(options: MemoryStoreOptions): MemoryStore;
}

/**
 * The session API on a build's core: the public one for stores' own methods, the direct one inside.
 * `headLimit` reads the runtime's request-head limit when a config is made (Node: http.maxHeaderSize).
 */
export function bindSession(core: SealedSessionCore, direct: DirectCore, headLimit?: () => number): SessionApi {
  const defaultStore = (keys: Keyring): SessionStore => makeCookieStore(core, direct, { keys });
  return Object.freeze({
    defineSession: (options: SessionOptions | SessionConfig) => configure(options, defaultStore, headLimit),
    // Not async functions themselves: one promise per call, not two (this is every request's path).
    readSession: (cookieHeader: string | null | undefined, options: SessionOptions | SessionConfig) => {
      const config = resolve(options, defaultStore, headLimit);
      return config instanceof Promise ? config : readWith(cookieHeader, config);
    },
    commitSession: (state: SessionState, options: SessionOptions | SessionConfig) => {
      const config = resolve(options, defaultStore, headLimit);
      return config instanceof Promise ? config : commitWith(state, config);
    },
    cookieStore: (options: CookieStoreOptions) => makeCookieStore(core, direct, options),
    memoryStore: (options: MemoryStoreOptions) => makeMemoryStore(direct, options),
  });
}
