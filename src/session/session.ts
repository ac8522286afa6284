/**
 * The session the application sees: a `Map<string, string>` that remembers whether it changed, so an
 * unchanged session commits nothing (no cookie re-sent on every request).
 *
 * @module
 */
import { describe } from '../text/describe.js';
import { isWellFormed } from '../text/utf8.js';

/**
 * What the application did to a session, as bits (one number field: sessions are made on every
 * request, so they carry no extra objects).
 */
export const Change = Object.freeze({
  /** A mutation call changed an entry (commit still compares with what was loaded). */
  Dirty: 1,
  /** `clear()` was called: a session emptied this way deletes any cookie the request carried. */
  Cleared: 2,
  /** `regenerate()` was called. */
  Regenerated: 4,
  /** `destroy()` was called. */
  Destroyed: 8,
  /** `touch()` was called: re-issue the unchanged session with a fresh expiry. */
  Touched: 16,
} as const);

/**
 * The keys your sessions hold and the type of each value, declared by your app through
 * declaration merging; empty by default, which allows any string key. Declared, it makes
 * `session.get('usrId')` a type error wherever a Session appears (every adapter hands out this
 * class), at no run-time cost: the session stays a `Map<string, string>`. Values must be strings
 * or string literal types. Flash keys (`flash:…`) stay allowed.
 * @example
 * ```ts
 * declare module 'sealed-session' {
 *   interface SessionData {
 *     userId: string;
 *     theme: 'light' | 'dark';
 *   }
 * }
 * ```
 */
// eslint-disable-next-line @typescript-eslint/no-empty-interface -- filled by the app's declaration merging
export interface SessionData {}

/** The keys `get`, `set`, `has` and `delete` accept: any string, or the keys of {@link SessionData} once declared. */
export type SessionKey = [keyof SessionData] extends [never]
  ? string
  : Extract<keyof SessionData, string> | `flash:${string}`;

/** The value type of `key`: its type in {@link SessionData}, or `string`. */
export type SessionValue<K extends string> = [K] extends [never]
  ? string
  : K extends keyof SessionData
    ? SessionData[K]
    : string;

const mapSet = Map.prototype.set;
const mapGet = Map.prototype.get;

// Module-internal access to the private fields, assigned in the class's static block: the session
// layer reads them without exposing them on the object (STYLE: internals out of the public types).
let changesOf: (session: Session) => number;
let differsFromLoaded: (session: Session) => boolean;
let setMetadata: (session: Session, keyId: string | null, issuedAt: number | null, expiresAt: number | null) => void;
let setCommitted: (session: Session) => void;
let setSource: (session: Session, source: object) => void;
let getSource: (session: Session) => object | undefined;

/**
 * A session: a `Map<string, string>` (`get`, `set`, `has`, `delete`, `clear`, `size`, iteration)
 * that tracks its changes, with the metadata of the cookie it came from.
 *
 * Values are strings; serialize anything else yourself (`JSON.stringify`). `set` throws a TypeError
 * for a key or value that is not a string or holds a lone surrogate (it would not survive UTF-8).
 * Change it through its own methods: `Map.prototype.set.call(session, …)` bypasses both the checks
 * and the change tracking, so such a change may not be sent.
 *
 * @example
 * ```ts
 * const { session } = await readSession(request.headers.get('cookie'), config);
 * session.get('userId');            // undefined for a new session
 * session.set('userId', '12345');   // commitSession will send the cookie
 * session.set('cart', JSON.stringify([{ sku: 'A1', qty: 2 }]));
 * ```
 */
// Typed reads: the declarations merge into the class below (its `get` and `has` are Map's own).
export interface Session {
  /** The value of `key`, or undefined. */
  get<K extends SessionKey>(key: K): SessionValue<K> | undefined;
  /** Whether the session has `key`. */
  has(key: SessionKey): boolean;
}

export class Session extends Map<string, string> {
  #changes = 0;
  #keyId: string | null = null;
  #issuedAt: number | null = null;
  #expiresAt: number | null = null;
  #isNew = true;
  /**
   * An undo log: each key changed since the session was read, with its value from before its
   * first change (undefined when it had none). Commit checks it to tell a real change from
   * set-and-restore. Only touched keys are logged, so a read-only request copies nothing and a
   * typical write one entry.
   */
  #before: Map<string, string | undefined> | undefined = undefined;
  /** The size when loaded: a second check, for entries changed without going through this class. */
  #sizeAtRead = 0;
  /** Set by commitSession: a change after it could not be sent, so it throws instead of being lost. */
  #committed = false;
  /** What the store that loaded the data noted for its own save (cookie-store.ts: the cache entry). */
  #source: object | undefined = undefined;

  static {
    changesOf = (session) => session.#changes;
    differsFromLoaded = (session) => {
      if (session.#before === undefined) return false;
      if (session.size !== session.#sizeAtRead) return true;
      for (const [key, value] of session.#before) if (mapGet.call(session, key) !== value) return true;
      return false;
    };
    setMetadata = (session, keyId, issuedAt, expiresAt) => {
      session.#keyId = keyId;
      session.#issuedAt = issuedAt;
      session.#expiresAt = expiresAt;
      session.#isNew = false;
      session.#sizeAtRead = session.size;
    };
    setCommitted = (session) => {
      session.#committed = true;
    };
    setSource = (session, source) => {
      session.#source = source;
    };
    getSource = (session) => session.#source;
  }

  /**
   * A new session, optionally with entries (validated like `set`). Sessions of a request come from
   * `readSession`; constructing one yourself is for tests.
   * @example
   * ```ts
   * const session = new Session([['userId', '12345']]);
   * ```
   */
  constructor(entries?: Iterable<readonly [string, string]> | null) {
    // Not super(entries): Map's constructor would call this.set before the private fields exist.
    super();
    if (entries !== undefined && entries !== null)
      for (const [key, value] of entries) (this as Map<string, string>).set(key, value);
  }

  /** Sets an entry. Throws a TypeError for a key or value that is not a well-formed string. */
  override set<K extends SessionKey>(key: K, value: SessionValue<K>): this {
    checkString(key, 'key', key);
    checkString(value, 'value', key);
    if (this.#committed) throw committedError('set');
    if (super.get(key) !== value) this.#changing(key);
    return super.set(key, value);
  }

  /** Deletes an entry; true when there was one. */
  override delete(key: SessionKey): boolean {
    if (this.#committed) throw committedError('delete');
    if (!super.has(key)) return false;
    this.#changing(key);
    return super.delete(key);
  }

  /** Removes every entry. Committing an emptied session deletes its cookie (and the store's entry). */
  override clear(): void {
    if (this.#committed) throw committedError('clear');
    for (const key of super.keys()) this.#changing(key);
    this.#changes |= Change.Cleared;
    super.clear();
  }

  /** Records that `key` is about to change, logging its value from before its first change. */
  #changing(key: string): void {
    const before = (this.#before ??= new Map());
    if (!before.has(key)) before.set(key, super.get(key));
    this.#changes |= Change.Dirty;
  }

  /**
   * Issues the session anew on commit, under a new id for server-side stores (the old entry is
   * deleted) and as a fresh token for the cookie store, keeping the data. Call it when the user's
   * privilege changes, above all after login: an id an attacker planted or saw before login is then
   * worthless (session fixation, OWASP Session Management Cheat Sheet).
   * @example
   * ```ts
   * session.set('userId', user.id);
   * session.regenerate();
   * ```
   */
  regenerate(): void {
    if (this.#committed) throw committedError('regenerate');
    this.#changes |= Change.Regenerated;
  }

  /**
   * Ends the session: clears it, deletes the store's entry on commit and expires the cookie (every
   * chunk of it). Data set afterwards starts a new session with a new id.
   * @example
   * ```ts
   * app.post('/logout', (req) => { req.session.destroy(); });
   * ```
   */
  destroy(): void {
    if (this.#committed) throw committedError('destroy');
    super.clear();
    this.#changes |= Change.Dirty | Change.Destroyed;
  }

  /**
   * Re-issues the session on commit with a fresh expiry, though nothing changed: an explicit
   * refresh, for apps that set `rolling: false` and renew on their own terms (a "keep me signed in"
   * ping, a sensitive action). A session with no entries sends nothing.
   * @example
   * ```ts
   * if (request.url.endsWith('/keep-alive')) session.touch();
   * ```
   */
  touch(): void {
    this.#changes |= Change.Touched;
  }

  /** The id of the key that authenticated the loaded cookie; `null` for a new session. */
  get keyId(): string | null {
    return this.#keyId;
  }

  /** When the loaded cookie was issued, ms since the epoch (whole seconds); `null` for a new session. */
  get issuedAt(): number | null {
    return this.#issuedAt;
  }

  /** When the loaded cookie's data expires, ms since the epoch; `null` for a new session or one that never expires. */
  get expiresAt(): number | null {
    return this.#expiresAt;
  }

  /** True when the request carried no valid session cookie. */
  get isNew(): boolean {
    return this.#isNew;
  }
}

/** The {@link Change} bits of a session (module-internal). Throws a TypeError for anything but a Session. */
export function sessionChanges(session: Session): number {
  return changesOf(session);
}

/** Whether the entries differ from those read (module-internal): false after set-and-restore. */
export function changedSinceRead(session: Session): boolean {
  return differsFromLoaded(session);
}

/**
 * Marks a session as committed (module-internal, called by commitSession when it reads the changes):
 * from then on every change method throws. A change made after the cookie was computed (on
 * `node:http` and Express: after `res.writeHead`, `res.write` or `res.end`) could never be sent, and
 * losing it without a word is how a logout that did not log out goes unnoticed.
 */
export function markCommitted(session: Session): void {
  setCommitted(session);
}

/**
 * Notes where the store found the session's data (module-internal: the cookie store notes the cache
 * entry a read came from, and takes it back when it saves the session; token-cache.ts admitIssued).
 */
export function noteSource(session: Session, source: object): void {
  setSource(session, source);
}

/** What {@link noteSource} noted for the session, if anything (module-internal). */
export function sourceOf(session: Session): object | undefined {
  return getSource(session);
}

function committedError(method: string): TypeError {
  return new TypeError(
    `session.${method}: expected a change before the session was committed, got one after ` +
      '(its cookie was already computed: on node:http and Express, change the session before res.writeHead, res.write or res.end)',
  );
}

/** Marks a session the core decoded its data into as loaded, with the metadata of the cookie. */
export function markLoaded(
  session: Session,
  keyId: string | null,
  issuedAt: number | null,
  expiresAt: number | null,
): Session {
  setMetadata(session, keyId, issuedAt, expiresAt);
  return session;
}

/**
 * A session loaded from a store: the entries copied in without marking it changed, and the
 * metadata of the cookie. Throws a TypeError for data that is not strings (a broken store).
 */
export function loadedSession(
  data: ReadonlyMap<string, string>,
  keyId: string | null,
  issuedAt: number | null,
  expiresAt: number | null,
): Session {
  const session = new Session();
  for (const [key, value] of data) {
    if (typeof key !== 'string' || typeof value !== 'string') {
      throw new TypeError(
        `store.load: expected data of string keys and values, got ${describe(typeof key !== 'string' ? key : value)}`,
      );
    }
    mapSet.call(session, key, value);
  }
  return markLoaded(session, keyId, issuedAt, expiresAt);
}

function checkString(text: unknown, what: 'key' | 'value', key: unknown): void {
  if (typeof text !== 'string') {
    // The key's length, not its text (SECURITY.md, error messages).
    const where = what === 'value' && typeof key === 'string' ? ` for a key of length ${key.length}` : '';
    throw new TypeError(
      `session.set: expected a string ${what}${where}, got ${describe(text)} (serialize other values, e.g. JSON.stringify)`,
    );
  }
  if (!isWellFormed(text)) {
    throw new TypeError(`session.set: expected a well-formed string ${what}, got one with a lone surrogate`);
  }
}
