/**
 * XAES-256-GCM (C2SP, https://c2sp.org/XAES-256-GCM): AES-256-GCM under a key
 * derived from the input key and the first half of a 192-bit nonce with the
 * NIST SP 800-108r1 counter KDF over CMAC-AES256. The spec's fully random
 * 192-bit nonces would allow 2^80 tokens per key at a collision risk of 2^-32;
 * this sealer's batched nonces (below) allow 2^45 per key at that same risk,
 * where plain AES-GCM with random 96-bit nonces must stop at 2^32 per key.
 *
 * Subkey reuse. The derived key Kx depends only on the input key and N[:12], so
 * the sealer keeps one random N[:12] (a "prefix") for a batch of at most
 * PREFIX_USES tokens and draws N[12:] fresh for each token. Within a batch this
 * is AES-256-GCM under Kx with random 96-bit IVs, which NIST SP 800-38D §8.3
 * allows up to 2^32 times; capping a batch at 2^20 keeps the IV collision risk
 * within it below q²/2^97 = 2^-57, and over T tokens sealed under one key below
 * T·2^20/2^97 = T·2^-77 (2^-32 only after 2^45 tokens). The token format and the
 * way a reader opens it are unchanged: this is only how the sealer picks nonces.
 * What it buys: the subkeys of recent prefixes are cached, so a token costs one
 * AES-GCM call instead of a key derivation and an AES-GCM call (on WebCrypto, one
 * subtle call instead of four).
 *
 * Composed only of the runtime's AES-256 block function and AES-256-GCM.
 */
import { cacheMaybePromise, continueWith, whenSettled, type MaybePromise } from '../async/maybe-promise.js';
import type { AesBlockKey, AesGcmKey, CryptoRuntime } from './runtime.js';

/**
 * XAES-256-GCM's nonce: 192 bits (C2SP XAES-256-GCM). Defined here, by the cipher; the token format
 * (format/token.ts) lays out a nonce of the same length, and a test holds the two equal.
 */
export const NONCE_BYTES = 24;
const PREFIX_BYTES = 12;
/** How many tokens one sealer shares a nonce prefix between before drawing a new one (see above). */
export const PREFIX_USES = 2 ** 20;
/**
 * How many subkeys of other prefixes one key keeps besides its sealer's current
 * one: those of authentic tokens it opened, oldest out first. Only a token whose
 * tag verified adds an entry, so forged tokens cannot flush the cache (replayed
 * old tokens can, but a miss costs only what no cache would).
 */
export const SUBKEY_CACHE_SIZE = 512;

/**
 * Bumped when the process starts from a V8 startup snapshot (crypto/node.ts): every key then draws
 * a new prefix on its next seal, so processes cloned from one heap never share a batch, which would
 * add their tokens up under one subkey beyond the per-batch bound above. (Today Node refuses to build
 * a snapshot that holds node:crypto key objects, so a used key cannot be in one; this keeps the
 * guarantee if that changes.)
 */
let batchEpoch = 0;

/** Makes every key start a new nonce batch on its next seal. */
export function forgetNonceBatches(): void {
  batchEpoch++;
}

/** What XAES precomputes per input key: the block-function key, the CMAC subkey K1 and the subkey cache. */
export interface XaesKey {
  readonly block: AesBlockKey;
  readonly k1: Uint8Array;
  readonly subkeys: Subkeys;
}

/** The sealer's current nonce batch: its prefix, how many tokens it may still seal, and its subkey. */
interface NonceBatch {
  readonly prefix: Uint8Array;
  usesLeft: number;
  readonly epoch: number;
  readonly id: string;
  /** Derived by the first seal under the batch. */
  subkey: MaybePromise<AesGcmKey> | undefined;
}

/**
 * The sealer's current prefix with its subkey, kept apart so no number of other
 * prefixes can evict it, and the cache of other prefixes' subkeys. The sealing side
 * (xaesNonce, rememberOwn) is written as functions, not methods, so a bundle that only
 * opens tokens leaves it out (docs/package.md, bundle size).
 */
class Subkeys {
  readonly #cache = new Map<string, MaybePromise<AesGcmKey>>();
  /** Undefined until this key first seals. */
  batch: NonceBatch | undefined = undefined;

  constructor(readonly prefixUses: number) {}

  get(prefix: string): MaybePromise<AesGcmKey> | undefined {
    const batch = this.batch;
    return batch !== undefined && prefix === batch.id && batch.subkey !== undefined
      ? batch.subkey
      : this.#cache.get(prefix);
  }

  /** Oldest entry out first; a pending derivation is replaced by its result, or dropped if it fails. */
  remember(prefix: string, subkey: MaybePromise<AesGcmKey>): void {
    if (this.#cache.size >= SUBKEY_CACHE_SIZE) this.#cache.delete(this.#cache.keys().next().value!);
    cacheMaybePromise(this.#cache, prefix, subkey);
  }

  /** How many subkeys of other prefixes are cached (the current one is not counted). */
  get size(): number {
    return this.#cache.size;
  }
}

/** Steps 1-2 of the spec, once per key: L = AES(K, 0^128); K1 = L << 1, XOR 0x87 when MSB(L) = 1 (SP 800-38B §6.1). */
export function xaesKey(runtime: CryptoRuntime, key: Uint8Array, prefixUses = PREFIX_USES): MaybePromise<XaesKey> {
  return continueWith(runtime.importAesBlockKey(key), (block) =>
    continueWith(runtime.aesEncryptBlocks(block, new Uint8Array(16)), (l) => {
      const k1 = new Uint8Array(16);
      for (let i = 0; i < 15; i++) k1[i] = ((l[i]! << 1) | (l[i + 1]! >> 7)) & 0xff;
      k1[15] = ((l[15]! << 1) & 0xff) ^ (l[0]! & 0x80 ? 0x87 : 0);
      return Object.freeze({ block, k1, subkeys: new Subkeys(prefixUses) });
    }),
  );
}

/**
 * A nonce for the next token sealed under `key`: the current batch prefix, drawn anew every
 * `prefixUses` tokens, then 12 fresh random bytes.
 */
export function xaesNonce(runtime: CryptoRuntime, key: XaesKey): Uint8Array {
  const subkeys = key.subkeys;
  const nonce = runtime.randomBytes(NONCE_BYTES);
  let batch = subkeys.batch;
  if (batch === undefined || batch.usesLeft === 0 || batch.epoch !== batchEpoch) {
    // The finished batch's tokens are still out there: its subkey joins the others.
    if (batch?.subkey !== undefined) subkeys.remember(batch.id, batch.subkey);
    subkeys.batch = batch = {
      prefix: nonce.slice(0, PREFIX_BYTES),
      usesLeft: subkeys.prefixUses,
      epoch: batchEpoch,
      id: prefixId(nonce),
      subkey: undefined,
    };
  } else {
    nonce.set(batch.prefix);
  }
  batch.usesLeft--;
  return nonce;
}

/** The subkey of the sealer's own prefix `prefix`: kept apart when it is the current one, cached otherwise. */
function rememberOwn(subkeys: Subkeys, prefix: string, subkey: MaybePromise<AesGcmKey>): void {
  const batch = subkeys.batch;
  if (batch === undefined || prefix !== batch.id) return subkeys.remember(prefix, subkey);
  batch.subkey = subkey;
  whenSettled(
    subkey,
    (resolved) => void (batch.subkey === subkey && (batch.subkey = resolved)),
    () => void (batch.subkey === subkey && (batch.subkey = undefined)),
  );
}

/** The two PRF inputs: at byte 0 the counter i = 1, at byte 16 the counter i = 2. */
const KDF_BLOCKS = [
  [0, 1],
  [16, 2],
] as const;

/**
 * Steps 3-5, per prefix: Kx = AES(K, M1 XOR K1) || AES(K, M2 XOR K1) with
 * Mi = 0x00 || i || "X" || 0x00 || N[:12].
 */
export function xaesDeriveKey(runtime: CryptoRuntime, key: XaesKey, nonce: Uint8Array): MaybePromise<Uint8Array> {
  const blocks = new Uint8Array(32);
  for (const [offset, counter] of KDF_BLOCKS) {
    blocks[offset + 1] = counter;
    blocks[offset + 2] = 0x58; // "X", the KDF label
    blocks.set(nonce.subarray(0, PREFIX_BYTES), offset + 4);
    for (let i = 0; i < 16; i++) blocks[offset + i]! ^= key.k1[i]!;
  }
  return runtime.aesEncryptBlocks(key.block, blocks);
}

/** The cache key of N[:12]: six UTF-16 code units, two bytes each. */
function prefixId(nonce: Uint8Array): string {
  let id = '';
  for (let i = 0; i < PREFIX_BYTES; i += 2) id += String.fromCharCode((nonce[i]! << 8) | nonce[i + 1]!);
  return id;
}

function deriveSubkey(runtime: CryptoRuntime, key: XaesKey, nonce: Uint8Array): MaybePromise<AesGcmKey> {
  return continueWith(xaesDeriveKey(runtime, key, nonce), (derived) => runtime.importAesGcmKey(derived));
}

/** XAES-256-GCM encryption: ciphertext followed by the 16-byte tag. The sealer's own prefixes are cached. */
export function xaesSeal(
  runtime: CryptoRuntime,
  key: XaesKey,
  nonce: Uint8Array,
  plaintext: Uint8Array,
  aad: Uint8Array,
): MaybePromise<Uint8Array> {
  const id = prefixId(nonce);
  let subkey = key.subkeys.get(id);
  if (subkey === undefined) rememberOwn(key.subkeys, id, (subkey = deriveSubkey(runtime, key, nonce)));
  return continueWith(subkey, (gcmKey) =>
    runtime.aesGcmEncrypt(gcmKey, nonce.subarray(PREFIX_BYTES, NONCE_BYTES), plaintext, aad),
  );
}

/** XAES-256-GCM decryption, or null when authentication fails. A prefix is cached only once a tag under it verified. */
export function xaesOpen(
  runtime: CryptoRuntime,
  key: XaesKey,
  nonce: Uint8Array,
  sealed: Uint8Array,
  aad: Uint8Array,
): MaybePromise<Uint8Array | null> {
  const id = prefixId(nonce);
  const iv = nonce.subarray(PREFIX_BYTES, NONCE_BYTES);
  const cached = key.subkeys.get(id);
  if (cached !== undefined) return continueWith(cached, (gcmKey) => runtime.aesGcmDecrypt(gcmKey, iv, sealed, aad));
  return continueWith(deriveSubkey(runtime, key, nonce), (gcmKey) =>
    continueWith(runtime.aesGcmDecrypt(gcmKey, iv, sealed, aad), (plaintext) => {
      if (plaintext !== null && key.subkeys.get(id) === undefined) key.subkeys.remember(id, gcmKey);
      return plaintext;
    }),
  );
}
