/**
 * Keyrings: validated, immutable sets of secrets with ids.
 *
 * Secrets live in a module-private WeakMap, never on the keyring object, so no
 * serializer, inspector or error message can reach them (a keyring logged by
 * mistake shows only its ids). Validation happens here, once, at start-up:
 * a misconfigured secret fails loudly before the first request.
 */
import { describe } from '../text/describe.js';
import { isWellFormed, utf8Encoder } from '../text/utf8.js';

/** AES-256 needs 256 bits; a shorter secret cannot carry them. */
export const MIN_SECRET_BYTES = 32;
/** Key ids travel in every token, so they are short and cookie-safe. */
export const KEY_ID = /^[A-Za-z0-9_-]{1,16}$/;
/** The id a single string secret gets: `createKeyring(s)` is `createKeyring([{ id: '1', secret: s }])`. */
export const DEFAULT_KEY_ID = '1';

/** One key of a keyring, as the crypto layer sees it. Also the cache key for derived material. */
export interface KeyEntry {
  readonly id: string;
  readonly secret: Uint8Array;
}

/**
 * The state of a key in a keyring: `'active'` (the default) seals and opens; `'accept-only'` opens
 * but never seals. A rolling deploy adds a new key as `'accept-only'` everywhere first, then makes
 * it active: at no moment does a server meet a token sealed with a key it does not know yet.
 */
export type KeyState = 'active' | 'accept-only';

/** A secret with its id, as given to `createKeyring`. */
export interface KeyInput {
  readonly id: string;
  readonly secret: string | Uint8Array;
  /** `'accept-only'` for a key that opens tokens but does not seal yet; default `'active'`. */
  readonly state?: KeyState | undefined;
}

/**
 * A validated set of keys. The first active key seals and signs; every key unseals
 * and verifies. It shows only its ids: secrets are not reachable from it.
 */
export interface Keyring {
  /** The id of the key that seals and signs. */
  readonly currentKeyId: string;
  /** Every id, the current one first. */
  readonly keyIds: readonly string[];
  /** The ids of the keys in state `'accept-only'`: they open tokens, never seal. */
  readonly acceptOnlyKeyIds: readonly string[];
}

interface KeyringState {
  readonly current: KeyEntry;
  readonly byId: ReadonlyMap<string, KeyEntry>;
}

const states = new WeakMap<Keyring, KeyringState>();

/**
 * Node's util.inspect hook. Set on each keyring in the constructor rather than declared as a
 * `[Symbol.for(…)]()` method: a computed class key makes bundlers keep the class in every bundle
 * that touches this module (`unseal` alone needs only `states`), see docs/package.md.
 */
const INSPECT = /* @__PURE__ */ Symbol.for('nodejs.util.inspect.custom');

class SealedSessionKeyring implements Keyring {
  readonly currentKeyId: string;
  readonly keyIds: readonly string[];
  readonly acceptOnlyKeyIds: readonly string[];
  constructor(current: string, ids: readonly string[], acceptOnly: readonly string[]) {
    this.currentKeyId = current;
    this.keyIds = Object.freeze([current, ...ids.filter((id) => id !== current)]);
    this.acceptOnlyKeyIds = Object.freeze([...acceptOnly]);
    Object.defineProperty(this, INSPECT, { value: inspectKeyring });
    Object.freeze(this);
  }
  toJSON(): { keyIds: readonly string[]; acceptOnlyKeyIds?: readonly string[] } {
    return this.acceptOnlyKeyIds.length === 0
      ? { keyIds: this.keyIds }
      : { keyIds: this.keyIds, acceptOnlyKeyIds: this.acceptOnlyKeyIds };
  }
}

function inspectKeyring(this: Keyring): string {
  const list = (ids: readonly string[]) => ids.map((id) => `'${id}'`).join(', ');
  const acceptOnly = this.acceptOnlyKeyIds.length === 0 ? '' : `, acceptOnlyKeyIds: [${list(this.acceptOnlyKeyIds)}]`;
  return `Keyring { keyIds: [${list(this.keyIds)}]${acceptOnly} }`;
}

/**
 * Builds a keyring from one secret or from a list of `{ id, secret }`.
 *
 * @param keys One secret string (used as its UTF-8 bytes, key id `'1'`), or an
 *   array whose first active entry seals and signs while every entry unseals and
 *   verifies; an entry with `state: 'accept-only'` never seals (the first step of
 *   a rotation, see docs/key-rotation.md). Secrets need at least 32 bytes; ids
 *   match `[A-Za-z0-9_-]{1,16}`.
 * @throws TypeError or RangeError saying which field is wrong, what was expected
 *   and what was given (never the secret itself).
 * @example
 * ```ts
 * const keys = createKeyring([
 *   { id: '2025-06', secret: process.env.SESSION_KEY! },     // seals new tokens
 *   { id: '2025-01', secret: process.env.SESSION_KEY_OLD! }, // still opens old ones
 * ]);
 * // Step 1 of the next rotation: every server learns the new key before any seals with it.
 * const next = createKeyring([
 *   { id: '2025-12', secret: process.env.SESSION_KEY_NEXT!, state: 'accept-only' },
 *   { id: '2025-06', secret: process.env.SESSION_KEY! },
 * ]);
 * ```
 */
export function createKeyring(keys: string | readonly KeyInput[]): Keyring {
  const inputs: readonly KeyInput[] =
    typeof keys === 'string' ? [{ id: DEFAULT_KEY_ID, secret: keys }] : checkKeyList(keys);
  const byId = new Map<string, KeyEntry>();
  const acceptOnly: string[] = [];
  let current: KeyEntry | undefined;
  inputs.forEach((input, index) => {
    const where = typeof keys === 'string' ? 'keys' : `keys[${index}]`;
    if (typeof input !== 'object' || input === null) {
      throw new TypeError(`${where}: expected an object { id, secret }, got ${describe(input)}`);
    }
    // Own properties only: a polluted Object.prototype must not supply a secret for an entry without one.
    const id: unknown = Object.hasOwn(input, 'id') ? (input as KeyInput).id : undefined;
    const secret: unknown = Object.hasOwn(input, 'secret') ? (input as KeyInput).secret : undefined;
    if (typeof id !== 'string' || !KEY_ID.test(id)) {
      throw new TypeError(`${where}.id: expected 1 to 16 characters from [A-Za-z0-9_-], got ${describe(id)}`);
    }
    if (byId.has(id))
      throw new TypeError(
        `${where}.id: expected a unique id, got the id of keys[${[...byId.keys()].indexOf(id)}] again`,
      );
    const entry: KeyEntry = Object.freeze({
      id,
      secret: secretBytes(secret, typeof keys === 'string' ? where : `${where}.secret`),
    });
    byId.set(id, entry);
    const state: unknown = Object.hasOwn(input, 'state') ? (input as KeyInput).state : undefined;
    if (state === 'accept-only') acceptOnly.push(id);
    else if (state === undefined || state === 'active') current ??= entry;
    else throw new TypeError(`${where}.state: expected 'active' or 'accept-only', got ${describe(state)}`);
  });
  // A keyring that cannot seal would fail every login; say so at start-up.
  if (current === undefined) {
    throw new TypeError(
      `keys: expected at least one active key (without state: 'accept-only') to seal with, got ${inputs.length} accept-only`,
    );
  }
  const ring = new SealedSessionKeyring(current.id, [...byId.keys()], acceptOnly);
  states.set(ring, { current, byId });
  return ring;
}

function checkKeyList(keys: unknown): readonly KeyInput[] {
  if (!Array.isArray(keys)) {
    throw new TypeError(`keys: expected a secret string or an array of { id, secret }, got ${describe(keys)}`);
  }
  if (keys.length === 0) throw new RangeError('keys: expected at least one { id, secret }, got an empty array');
  return keys;
}

/** The getter of %TypedArray%.prototype[Symbol.toStringTag]: a view's [[TypedArrayName]], undefined for anything else. */
const TYPED_ARRAY_NAME = /* @__PURE__ */ (() =>
  Object.getOwnPropertyDescriptor(Object.getPrototypeOf(Uint8Array.prototype), Symbol.toStringTag)!.get!)();

/**
 * A brand check, not `instanceof Uint8Array`: a secret may come from another realm (a `vm` context
 * such as Next.js's edge sandbox, whose TextEncoder or Buffer belong to the host), and instanceof is
 * false for those. Buffers pass too: their [[TypedArrayName]] is Uint8Array.
 */
function isUint8Array(value: unknown): value is Uint8Array {
  return TYPED_ARRAY_NAME.call(value) === 'Uint8Array';
}

function secretBytes(secret: unknown, where: string): Uint8Array {
  let bytes: Uint8Array;
  if (typeof secret === 'string') {
    if (!isWellFormed(secret))
      throw new TypeError(`${where}: expected a well-formed Unicode string, got one with a lone surrogate`);
    bytes = utf8Encoder.encode(secret);
  } else if (isUint8Array(secret)) {
    bytes = new Uint8Array(secret); // a copy: later changes to the caller's array must not change the key
  } else {
    // Never echo a secret: describe only its type.
    throw new TypeError(`${where}: expected a string or a Uint8Array, got ${secret === null ? 'null' : typeof secret}`);
  }
  if (bytes.length < MIN_SECRET_BYTES) {
    throw new RangeError(
      `${where}: expected at least ${MIN_SECRET_BYTES} bytes (use generateKey()), got ${bytes.length} byte${bytes.length === 1 ? '' : 's'}`,
    );
  }
  return bytes;
}

/** The state behind a keyring, or a TypeError when `keys` is not one made by createKeyring. */
export function keyringState(keys: unknown): KeyringState {
  const state = typeof keys === 'object' && keys !== null ? states.get(keys as Keyring) : undefined;
  if (state === undefined) {
    // A string here is most likely the secret itself: name its type, never its text.
    const given = typeof keys === 'string' ? 'a string (pass secrets through createKeyring() first)' : describe(keys);
    throw new TypeError(`options.keys: expected a keyring from createKeyring(), got ${given}`);
  }
  return state;
}
