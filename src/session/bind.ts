/**
 * The session API bound to one build's core, the way core/api.ts binds the core to a runtime: both
 * builds (index.ts on node:crypto, web.ts on WebCrypto) are made by these binders, so their
 * documentation, types and behaviour cannot drift apart.
 *
 * Only the stores need cryptography. The work of readSession, commitSession and defineSession is
 * runtime-neutral (read.ts, commit.ts, options.ts); the bound versions add only the resolution of
 * the `keys` shortcut to this build's `cookieStore`.
 *
 * @module
 */
import type { MaybeSyncCore, SealedSessionCore } from '../core/api.js';
import type { Keyring } from '../keys/keyring.js';
import { callAsPromise, type MaybePromise } from '../async/maybe-promise.js';
import { commitNow } from './commit.js';
import { makeCookieStore, type CookieStoreOptions } from './cookie-store.js';
import { makeMemoryStore, type MemoryStore, type MemoryStoreOptions } from './memory-store.js';
import { configFor, type SessionConfig, type SessionOptions } from './options.js';
import { readNow, type SessionState } from './read.js';
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
 * Reads the runtime's request-head limit when a config is made (Node: http.maxHeaderSize, which follows
 * --max-http-header-size); without one, options.ts assumes Node's default.
 */
export type HeadLimit = () => number;

/** What the `keys` shortcut of a build's session functions turns into: that build's sealed cookie store. */
export type DefaultStore = (keys: Keyring) => SessionStore;

// One binder per public function, each exported by a build entry as its own pure call, so a bundler
// keeps only what a program imports (readSession alone does not bring memoryStore).

/** The build's store for the `keys` shortcut: the public core for the store's own methods, the maybe-sync one inside. */
export function bindDefaultStore(core: SealedSessionCore, maybeSyncCore: MaybeSyncCore): DefaultStore {
  return (keys) => makeCookieStore(core, maybeSyncCore, { keys });
}

/** {@link SessionApi.defineSession} of one build. */
export function bindDefineSession(defaultStore: DefaultStore, headLimit?: HeadLimit): SessionApi['defineSession'] {
  return (options) => configFor(options, defaultStore, headLimit);
}

// readSession and commitSession are not async functions themselves: one promise per call, not two
// (this is every request's path). A bad option rejects, as every failure of an async call does.

/** {@link SessionApi.readSession} of one build. */
export function bindReadSession(defaultStore: DefaultStore, headLimit?: HeadLimit): SessionApi['readSession'] {
  return (cookieHeader, options) => callAsPromise(readWithOptions, cookieHeader, options, defaultStore, headLimit);
}

/** {@link SessionApi.commitSession} of one build. */
export function bindCommitSession(defaultStore: DefaultStore, headLimit?: HeadLimit): SessionApi['commitSession'] {
  return (state, options) => callAsPromise(commitWithOptions, state, options, defaultStore, headLimit);
}

/** readNow on the config of `options`: throws for bad options, which callAsPromise makes a rejection. */
function readWithOptions(
  cookieHeader: string | null | undefined,
  options: SessionOptions | SessionConfig,
  defaultStore: DefaultStore,
  headLimit: HeadLimit | undefined,
): MaybePromise<SessionState> {
  return readNow(cookieHeader, configFor(options, defaultStore, headLimit));
}

/** commitNow on the config of `options`, as readWithOptions. */
function commitWithOptions(
  state: SessionState,
  options: SessionOptions | SessionConfig,
  defaultStore: DefaultStore,
  headLimit: HeadLimit | undefined,
): MaybePromise<string[]> {
  return commitNow(state, configFor(options, defaultStore, headLimit));
}

/** {@link SessionApi.cookieStore} of one build. */
export function bindCookieStore(core: SealedSessionCore, maybeSyncCore: MaybeSyncCore): SessionApi['cookieStore'] {
  return (options) => makeCookieStore(core, maybeSyncCore, options);
}

/** {@link SessionApi.memoryStore} of one build. */
export function bindMemoryStore(maybeSyncCore: MaybeSyncCore): SessionApi['memoryStore'] {
  return (options) => makeMemoryStore(maybeSyncCore, options);
}
