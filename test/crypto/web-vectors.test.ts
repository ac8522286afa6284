/**
 * The WebCrypto runtime against the same published vectors as the Node runtime
 * (test/crypto/vectors.test.ts): Project Wycheproof AES-256-GCM, HMAC-SHA256 and
 * HKDF-SHA256 (test/vectors/wycheproof, Apache-2.0), and XAES-256-GCM from its
 * C2SP spec on BOTH runtimes (test/vectors/xaes-256-gcm.json, CC BY 4.0): the two
 * known-answer vectors with their intermediate values, and the accumulated
 * randomized test over 10,000 iterations.
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { nodeRuntime } from '../../src/crypto/node.js';
import { webRuntime } from '../../src/crypto/web.js';
import { hkdf } from './helpers.js';
import { xaesDeriveKey, xaesKey, xaesOpen, xaesSeal } from '../../src/crypto/xaes.js';
import type { CryptoRuntime } from '../../src/crypto/runtime.js';
import { hex, toHex } from '../helpers.js';

const readJson = (path: string): unknown =>
  JSON.parse(readFileSync(new URL(`../vectors/${path}`, import.meta.url), 'utf8'));

const runtimes: ReadonlyArray<readonly [string, CryptoRuntime]> = [
  ['node:crypto', nodeRuntime],
  ['WebCrypto', webRuntime],
];

// ---------------------------------------------------------------------------------------------
// Project Wycheproof on WebCrypto
// ---------------------------------------------------------------------------------------------

type Result = 'valid' | 'invalid' | 'acceptable';
interface Group<T> {
  keySize: number;
  ivSize?: number;
  tagSize?: number;
  tests: T[];
}
const wycheproof = <T>(name: string): Group<T>[] =>
  (readJson(`wycheproof/${name}`) as { testGroups: Group<T>[] }).testGroups;

interface AeadCase {
  tcId: number;
  key: string;
  iv: string;
  aad: string;
  msg: string;
  ct: string;
  tag: string;
  result: Result;
  flags: string[];
}
interface MacCase {
  tcId: number;
  key: string;
  msg: string;
  tag: string;
  result: Result;
}
interface HkdfCase {
  tcId: number;
  ikm: string;
  salt: string;
  info: string;
  size: number;
  okm: string;
  result: Result;
}

describe('Project Wycheproof on the WebCrypto runtime', () => {
  test('AES-256-GCM, 96-bit IV, 128-bit tag: valid cases encrypt and decrypt exactly, invalid ones never decrypt', async () => {
    const counts = { valid: 0, invalid: 0, acceptable: 0 };
    for (const group of wycheproof<AeadCase>('aes_gcm_test.json')) {
      if (group.keySize !== 256 || group.ivSize !== 96 || group.tagSize !== 128) continue;
      for (const c of group.tests) {
        const [key, iv, aad] = [await webRuntime.importAesGcmKey(hex(c.key)), hex(c.iv), hex(c.aad)];
        const opened = await webRuntime.aesGcmDecrypt(key, iv, hex(c.ct + c.tag), aad);
        const label = `tcId ${c.tcId} (${c.result}; ${c.flags.join(', ')})`;
        if (c.result === 'invalid') {
          assert.equal(opened, null, label);
        } else if (c.result === 'valid') {
          assert.equal(opened && toHex(opened), c.msg, label);
          assert.equal(toHex(await webRuntime.aesGcmEncrypt(key, iv, hex(c.msg), aad)), c.ct + c.tag, label);
        } else {
          // Acceptable: either outcome, but a decryption that succeeds must be the right one.
          if (opened !== null) assert.equal(toHex(opened), c.msg, label);
        }
        counts[c.result]++;
      }
    }
    // The 256/96/128 group of this Wycheproof release: 66 cases, both outcomes represented.
    assert.equal(counts.valid + counts.invalid + counts.acceptable, 66);
    assert.ok(counts.valid > 0 && counts.invalid > 0, JSON.stringify(counts));
  });

  test('HMAC-SHA256: full 256-bit tags through hmac and hmacVerify, truncated tags by their prefix', async () => {
    let full = 0;
    let truncated = 0;
    for (const group of wycheproof<MacCase>('hmac_sha256_test.json')) {
      const tagBytes = group.tagSize! / 8;
      for (const c of group.tests) {
        const key = await webRuntime.importHmacKey(hex(c.key));
        const mac = await webRuntime.hmac(key, hex(c.msg));
        const label = `tcId ${c.tcId} (${c.result}, ${group.tagSize}-bit tag, ${group.keySize}-bit key)`;
        assert.equal(mac.length, 32, label);
        const prefixMatches = toHex(mac.subarray(0, tagBytes)) === c.tag;
        if (c.result !== 'acceptable') assert.equal(prefixMatches, c.result === 'valid', label);
        if (tagBytes === 32) {
          if (c.result !== 'acceptable')
            assert.equal(await webRuntime.hmacVerify(key, hex(c.msg), hex(c.tag)), c.result === 'valid', label);
          full++;
        } else {
          // hmacVerify takes full tags only: a truncated tag, even a correct one, never verifies.
          assert.equal(await webRuntime.hmacVerify(key, hex(c.msg), hex(c.tag)), false, label);
          truncated++;
        }
      }
    }
    assert.ok(full > 50 && truncated > 50, `full ${full}, truncated ${truncated}`);
  });

  test('HKDF-SHA256 composed from WebCrypto HMAC: valid sizes give the okm, invalid sizes reject with RangeError', async () => {
    const counts = { valid: 0, invalid: 0 };
    for (const group of wycheproof<HkdfCase>('hkdf_sha256_test.json')) {
      for (const c of group.tests) {
        const run = () => hkdf(webRuntime, hex(c.ikm), hex(c.salt), hex(c.info), c.size);
        if (c.result === 'invalid') {
          await assert.rejects(async () => run(), RangeError, `tcId ${c.tcId}`);
          counts.invalid++;
        } else {
          assert.equal(toHex(await run()), c.okm, `tcId ${c.tcId}`);
          counts.valid++;
        }
      }
    }
    assert.deepEqual(counts, { valid: 83, invalid: 3 });
  });

  test('AES-GCM decryption on WebCrypto refuses truncated tags and short inputs', async () => {
    const key = await webRuntime.importAesGcmKey(new Uint8Array(32).fill(9));
    const iv = new Uint8Array(12);
    const sealed = await webRuntime.aesGcmEncrypt(key, iv, new Uint8Array([1, 2, 3]), new Uint8Array());
    const opened = await webRuntime.aesGcmDecrypt(key, iv, sealed, new Uint8Array());
    assert.equal(opened && toHex(opened), '010203');
    for (let cut = 1; cut <= sealed.length; cut++) {
      assert.equal(
        await webRuntime.aesGcmDecrypt(key, iv, sealed.subarray(0, sealed.length - cut), new Uint8Array()),
        null,
        `cut ${cut}`,
      );
    }
  });
});

// ---------------------------------------------------------------------------------------------
// The AES-256 block function both runtimes build XAES on
// ---------------------------------------------------------------------------------------------

describe('the AES-256 block function (ECB on Node, AES-CBC with IV = block on WebCrypto)', () => {
  test('FIPS 197 Appendix C.3 known answer on both runtimes', async () => {
    const key = hex('000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f');
    for (const [name, runtime] of runtimes) {
      const block = await runtime.importAesBlockKey(key);
      const out = await runtime.aesEncryptBlocks(block, hex('00112233445566778899aabbccddeeff'));
      assert.equal(toHex(out), '8ea2b7ca516745bfeafc49904b496089', name);
    }
  });

  test('the runtimes agree block by block for arbitrary keys and 1-4 blocks, and on a reused key', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        fc.integer({ min: 1, max: 4 }).chain((n) => fc.uint8Array({ minLength: 16 * n, maxLength: 16 * n })),
        async (key, blocks) => {
          const nodeKey = nodeRuntime.importAesBlockKey(key);
          const webKey = await webRuntime.importAesBlockKey(key);
          const expected = toHex(nodeRuntime.aesEncryptBlocks(nodeKey, blocks));
          assert.equal(expected.length, 2 * blocks.length);
          assert.equal(toHex(await webRuntime.aesEncryptBlocks(webKey, blocks)), expected);
          // ECB: each block on its own, so the first block alone gives the first output block.
          assert.equal(toHex(nodeRuntime.aesEncryptBlocks(nodeKey, blocks.subarray(0, 16))), expected.slice(0, 32));
          assert.equal(toHex(await webRuntime.aesEncryptBlocks(webKey, blocks.subarray(0, 16))), expected.slice(0, 32));
        },
      ),
      { numRuns: 100 },
    );
  });
});

// ---------------------------------------------------------------------------------------------
// XAES-256-GCM (C2SP) on both runtimes
// ---------------------------------------------------------------------------------------------

interface XaesVector {
  name: string;
  key: string;
  nonceText: string;
  plaintextText: string;
  aadText: string;
  L: string;
  K1: string;
  Kx: string;
  ciphertext: string;
}
interface XaesFile {
  source: string;
  vectors: XaesVector[];
  accumulated: { iterations: number; sha3: string; expected: string };
}
const xaes = readJson('xaes-256-gcm.json') as XaesFile;
const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);

describe('XAES-256-GCM (C2SP) known answers', () => {
  test('the vector file names its source', () => {
    assert.match(xaes.source, /c2sp\.org\/XAES-256-GCM/);
    assert.match(xaes.source, /CC BY 4\.0/);
    assert.equal(xaes.vectors.length, 2);
  });

  for (const [name, runtime] of runtimes) {
    for (const v of xaes.vectors) {
      test(`${v.name} (${name}): L, K1, Kx, ciphertext, and opening`, async () => {
        const key = hex(v.key);
        const nonce = utf8(v.nonceText);
        const plaintext = utf8(v.plaintextText);
        const aad = utf8(v.aadText);
        assert.equal(nonce.length, 24);
        const block = await runtime.importAesBlockKey(key);
        assert.equal(toHex(await runtime.aesEncryptBlocks(block, new Uint8Array(16))), v.L, 'L');
        const prepared = await xaesKey(runtime, key);
        assert.equal(toHex(prepared.k1), v.K1, 'K1');
        assert.equal(toHex(await xaesDeriveKey(runtime, prepared, nonce)), v.Kx, 'Kx');
        const sealed = await xaesSeal(runtime, prepared, nonce, plaintext, aad);
        assert.equal(toHex(sealed), v.ciphertext, 'ciphertext || tag');
        // XAES is AES-256-GCM under Kx with the second half of the nonce.
        assert.equal(
          toHex(
            await runtime.aesGcmEncrypt(await runtime.importAesGcmKey(hex(v.Kx)), nonce.subarray(12), plaintext, aad),
          ),
          v.ciphertext,
          'GCM under Kx',
        );
        const opened = await xaesOpen(runtime, prepared, nonce, sealed, aad);
        assert.equal(opened && toHex(opened), toHex(plaintext));
        // Any change to the ciphertext, the AAD or the nonce (either half) fails to open.
        const flipped = sealed.slice();
        flipped[0]! ^= 1;
        assert.equal(await xaesOpen(runtime, prepared, nonce, flipped, aad), null, 'flipped ciphertext');
        assert.equal(await xaesOpen(runtime, prepared, nonce, sealed, utf8(`${v.aadText}!`)), null, 'other AAD');
        for (const at of [0, 23]) {
          const otherNonce = nonce.slice();
          otherNonce[at]! ^= 1;
          assert.equal(await xaesOpen(runtime, prepared, otherNonce, sealed, aad), null, `nonce byte ${at}`);
        }
      });
    }
  }
});

/**
 * The spec's accumulated randomized test. The deterministic input is one SHAKE-128
 * stream with empty input, made once here from node:crypto (tests may use it; the
 * runtime under test never sees it), long enough for the largest possible draw.
 */
async function accumulate(runtime: CryptoRuntime, iterations: number): Promise<string> {
  const maxBytesPerIteration = 32 + 24 + 1 + 255 + 1 + 255;
  const stream = new Uint8Array(createHash('shake128', { outputLength: iterations * maxBytesPerIteration }).digest());
  let at = 0;
  const read = (length: number) => stream.subarray(at, (at += length));
  const inputs = Array.from({ length: iterations }, () => {
    const key = read(32);
    const nonce = read(24);
    const plaintext = read(read(1)[0]!);
    const aad = read(read(1)[0]!);
    return { key, nonce, plaintext, aad };
  });
  const digest = createHash('shake128', { outputLength: 32 });
  // Independent iterations run in batches (WebCrypto work overlaps); the digest takes them in order.
  const BATCH = 16;
  for (let start = 0; start < iterations; start += BATCH) {
    const batch = inputs.slice(start, start + BATCH);
    const sealed = await Promise.all(
      batch.map(async ({ key, nonce, plaintext, aad }, i) => {
        const prepared = await xaesKey(runtime, key);
        const ciphertext = await xaesSeal(runtime, prepared, nonce, plaintext, aad);
        const opened = await xaesOpen(runtime, prepared, nonce, ciphertext, aad);
        assert.equal(
          opened && toHex(opened),
          toHex(plaintext),
          `iteration ${start + i}: the ciphertext must open to its plaintext`,
        );
        return ciphertext;
      }),
    );
    for (const ciphertext of sealed) digest.update(ciphertext);
  }
  return digest.digest('hex');
}

describe('XAES-256-GCM accumulated randomized test (C2SP)', () => {
  for (const [name, runtime] of runtimes) {
    test(`${xaes.accumulated.iterations.toLocaleString('en')} iterations on ${name}`, async () => {
      assert.equal(xaes.accumulated.iterations, 10_000);
      assert.equal(await accumulate(runtime, xaes.accumulated.iterations), xaes.accumulated.expected);
    });
  }
});
