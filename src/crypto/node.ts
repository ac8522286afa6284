/**
 * The Node runtime: node:crypto, synchronous. Tokens are byte-identical to the
 * WebCrypto runtime's (test/crypto/parity.test.ts).
 */
import {
  type Cipher,
  createCipheriv,
  createDecipheriv,
  createHmac,
  createSecretKey,
  randomFillSync,
  timingSafeEqual,
  type KeyObject,
} from 'node:crypto';
import { startupSnapshot } from 'node:v8';
import { hasCanonicalLength } from '../format/base64url.js';
import type { SyncCryptoRuntime } from './runtime.js';
import { forgetNonceBatches } from './xaes.js';

/**
 * randomBytes() costs a call into the OS per token; a pool refilled by
 * randomFillSync amortizes it (Node's randomUUID does the same). Draws are copied
 * out, so a refill never changes bytes already handed out.
 */
const POOL_BYTES = 4096;
const pool = new Uint8Array(POOL_BYTES);
let poolOffset = POOL_BYTES;

/**
 * A V8 startup snapshot (`node --build-snapshot`) saves the heap, this pool and its offset with it:
 * every process started from the blob would otherwise hand out the same "random" bytes, so the same
 * nonces under the same key (GCM nonce reuse: the XOR of two plaintexts and the GHASH key leak) and
 * the same generateKey() output and memoryStore ids. Each process therefore empties the pool, and
 * starts new XAES nonce batches, as it is deserialized. Only registered while a snapshot is being
 * built, so an ordinary start pays nothing. (Node's own randomUUID pool has the same flaw.)
 */
if (startupSnapshot?.isBuildingSnapshot()) {
  startupSnapshot.addDeserializeCallback(() => {
    pool.fill(0);
    poolOffset = POOL_BYTES;
    forgetNonceBatches();
  });
}

/**
 * `length` bytes from Node's Buffer pool (Buffer.allocUnsafe: a slice of a shared 8 KiB block below
 * 4 KiB), as a plain Uint8Array, whose slice() copies (a Buffer's would share). Not zeroed.
 */
function pooledView(length: number): Uint8Array {
  const pooled = Buffer.allocUnsafe(length);
  return new Uint8Array(pooled.buffer, pooled.byteOffset, length);
}

/** HMAC with an empty key is HMAC with a block of zeros (RFC 2104 §2); KeyObjects need at least one byte. */
const EMPTY_KEY_EQUIVALENT = new Uint8Array(64);
const GCM_OPTIONS = Object.freeze({ authTagLength: 16 }); // Node 20 otherwise accepts a truncated 4-byte tag on decrypt

/** The base64url alphabet, checked before Buffer decodes: Buffer silently skips anything else. */
const BASE64URL_TEXT = /^[A-Za-z0-9_-]*$/;

export const nodeRuntime: SyncCryptoRuntime = Object.freeze({
  encodeBase64url(bytes: Uint8Array): string {
    return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('base64url');
  },

  /**
   * Strict decoding (same contract as format/base64url.ts, cross-checked by the tests):
   * Buffer.from(text, 'base64url') alone accepts '=', foreign characters, lengths of
   * 1 mod 4 and non-zero trailing bits, so those are rejected first.
   */
  decodeBase64url(text: string): Uint8Array | null {
    if (!BASE64URL_TEXT.test(text) || !hasCanonicalLength(text)) return null;
    const bytes = Buffer.from(text, 'base64url');
    return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length); // a plain view, like the portable codec's
  },

  allocate(length: number): Uint8Array {
    // Zeroed: the pool hands its memory out as its last user left it.
    return pooledView(length).fill(0);
  },

  randomBytes(length: number): Uint8Array {
    if (length > POOL_BYTES / 8) return randomFillSync(new Uint8Array(length));
    if (poolOffset + length > POOL_BYTES) {
      randomFillSync(pool);
      poolOffset = 0;
    }
    const bytes = pool.slice(poolOffset, poolOffset + length);
    poolOffset += length;
    return bytes;
  },

  importHmacKey(raw: Uint8Array): KeyObject {
    return createSecretKey(raw.length === 0 ? EMPTY_KEY_EQUIVALENT : raw);
  },

  hmac(key: object, data: Uint8Array): Uint8Array {
    return createHmac('sha256', key as KeyObject)
      .update(data)
      .digest();
  },

  hmacVerify(key: object, data: Uint8Array, tag: Uint8Array): boolean {
    const expected = createHmac('sha256', key as KeyObject)
      .update(data)
      .digest();
    // The length is public; timingSafeEqual requires equal lengths and then compares in constant time.
    return tag.length === expected.length && timingSafeEqual(expected, tag);
  },

  importAesBlockKey(raw: Uint8Array): Cipher {
    // One long-lived ECB cipher per key: block-aligned update() calls carry no state between them.
    const cipher = createCipheriv('aes-256-ecb', raw, null);
    cipher.setAutoPadding(false);
    return cipher;
  },

  aesEncryptBlocks(key: object, blocks: Uint8Array): Uint8Array {
    return (key as Cipher).update(blocks);
  },

  importAesGcmKey(raw: Uint8Array): Uint8Array {
    // createCipheriv expands the key on every call whatever it is given; a KeyObject measured no faster.
    if (raw.length !== 32) throw new RangeError(`AES-256-GCM key: expected 32 bytes, got ${raw.length}`);
    return raw;
  },

  aesGcmEncrypt(key: object, iv: Uint8Array, plaintext: Uint8Array, aad: Uint8Array): Uint8Array {
    const cipher = createCipheriv('aes-256-gcm', key as Uint8Array, iv, GCM_OPTIONS);
    cipher.setAAD(aad);
    const head = cipher.update(plaintext);
    const tail = cipher.final();
    const tag = cipher.getAuthTag();
    const out = pooledView(head.length + tail.length + tag.length); // every byte written below
    out.set(head, 0);
    out.set(tail, head.length);
    out.set(tag, head.length + tail.length);
    return out;
  },

  aesGcmDecrypt(key: object, iv: Uint8Array, sealed: Uint8Array, aad: Uint8Array): Uint8Array | null {
    if (sealed.length < 16) return null;
    try {
      const decipher = createDecipheriv('aes-256-gcm', key as Uint8Array, iv, GCM_OPTIONS);
      decipher.setAuthTag(sealed.subarray(sealed.length - 16));
      decipher.setAAD(aad);
      const head = decipher.update(sealed.subarray(0, sealed.length - 16));
      // final() throws when the tag does not match; nothing decrypted is returned before it.
      const tail = decipher.final();
      return tail.length === 0 ? head : new Uint8Array([...head, ...tail]);
    } catch {
      return null;
    }
  },
});
