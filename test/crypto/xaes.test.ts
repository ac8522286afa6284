/**
 * How the sealer picks XAES-256-GCM nonces and caches subkeys (src/crypto/xaes.ts),
 * on both runtimes: tokens share a random N[:12] for a bounded batch, the cache never
 * changes a result, only authentic tokens enter it, and it stays bounded. The
 * construction itself is checked against the C2SP vectors in web-vectors.test.ts.
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import * as node from '../../src/index.js';
import * as web from '../../src/web.js';
import { nodeRuntime } from '../../src/crypto/node.js';
import { webRuntime } from '../../src/crypto/web.js';
import type { CryptoRuntime } from '../../src/crypto/runtime.js';
import {
  forgetNonceBatches,
  NONCE_BYTES as XAES_NONCE_BYTES,
  SUBKEY_CACHE_SIZE,
  xaesKey,
  xaesNonce,
  xaesOpen,
  xaesSeal,
  type XaesKey,
} from '../../src/crypto/xaes.js';
import { NONCE_BYTES, parseToken } from '../../src/format/token.js';
import { SAMPLE_SESSION, SECRET_A, toHex } from '../helpers.js';

const runtimes: ReadonlyArray<readonly [string, CryptoRuntime]> = [
  ['node:crypto', nodeRuntime],
  ['WebCrypto', webRuntime],
];
const KEY = new Uint8Array(32).fill(7);
const AAD = new Uint8Array([1, 2, 3]);
const hexOf = (bytes: Uint8Array | null): string | null => bytes && toHex(bytes);
const prefixOf = (nonce: Uint8Array): string => toHex(nonce.subarray(0, 12));

test("the token format lays out exactly the cipher's nonce: 24 bytes (C2SP XAES-256-GCM)", () => {
  assert.equal(XAES_NONCE_BYTES, 24);
  assert.equal(NONCE_BYTES, XAES_NONCE_BYTES);
});

for (const [name, runtime] of runtimes) {
  describe(`XAES nonces and subkeys on ${name}`, () => {
    test('nonces share a random prefix for prefixUses tokens, then a new one is drawn; the last 12 bytes are always fresh', async () => {
      const key = await xaesKey(runtime, KEY, 3);
      const nonces = Array.from({ length: 9 }, () => xaesNonce(runtime, key));
      assert.ok(nonces.every((nonce) => nonce.length === NONCE_BYTES));
      const prefixes = nonces.map(prefixOf);
      for (const batch of [0, 3, 6]) {
        assert.equal(new Set(prefixes.slice(batch, batch + 3)).size, 1, `batch at ${batch}`);
      }
      assert.equal(new Set(prefixes).size, 3, 'each batch has its own prefix');
      assert.equal(
        new Set(nonces.map((nonce) => toHex(nonce.subarray(12)))).size,
        9,
        'per-token halves are all different',
      );
    });

    test('two keys never share a batch: each draws its own prefix', async () => {
      const [a, b] = [await xaesKey(runtime, KEY), await xaesKey(runtime, KEY)];
      assert.notEqual(prefixOf(xaesNonce(runtime, a)), prefixOf(xaesNonce(runtime, b)));
    });

    test('forgetNonceBatches (run when a process starts from a V8 snapshot) makes every key start a new batch; the old batch still opens', async () => {
      const key = await xaesKey(runtime, KEY);
      const before = xaesNonce(runtime, key);
      const sealed = await xaesSeal(runtime, key, before, new Uint8Array([1]), AAD);
      assert.equal(prefixOf(xaesNonce(runtime, key)), prefixOf(before), 'same batch until forgotten');
      forgetNonceBatches();
      const after = xaesNonce(runtime, key);
      assert.notEqual(prefixOf(after), prefixOf(before));
      assert.equal(prefixOf(xaesNonce(runtime, key)), prefixOf(after), 'the new batch continues');
      await xaesSeal(runtime, key, after, new Uint8Array([2]), AAD);
      assert.equal(hexOf(await xaesOpen(runtime, key, before, sealed, AAD)), '01');
    });

    test('a cached subkey gives the same bytes as a fresh derivation, for any nonce, plaintext and AAD', async () => {
      const cached = await xaesKey(runtime, KEY);
      await fc.assert(
        fc.asyncProperty(
          fc.uint8Array({ minLength: 24, maxLength: 24 }),
          fc.uint8Array({ maxLength: 64 }),
          fc.uint8Array({ maxLength: 16 }),
          async (nonce, plaintext, aad) => {
            const fresh = await xaesKey(runtime, KEY);
            const first = toHex(await xaesSeal(runtime, cached, nonce, plaintext, aad));
            assert.equal(
              toHex(await xaesSeal(runtime, cached, nonce, plaintext, aad)),
              first,
              'second seal, from the cache',
            );
            assert.equal(
              toHex(await xaesSeal(runtime, fresh, nonce, plaintext, aad)),
              first,
              'a key with an empty cache',
            );
            const opened = await xaesOpen(
              runtime,
              fresh,
              nonce,
              await xaesSeal(runtime, cached, nonce, plaintext, aad),
              aad,
            );
            assert.equal(opened && toHex(opened), toHex(plaintext));
          },
        ),
        { numRuns: 50 },
      );
    });

    test('only a token whose tag verifies puts its prefix in the opener’s cache', async () => {
      const sealer = await xaesKey(runtime, KEY);
      const opener = await xaesKey(runtime, KEY);
      const nonce = xaesNonce(runtime, sealer);
      const sealed = await xaesSeal(runtime, sealer, nonce, new Uint8Array([42]), AAD);
      const forged = sealed.slice();
      forged[0]! ^= 1;
      assert.equal(await xaesOpen(runtime, opener, nonce, forged, AAD), null);
      assert.equal(await xaesOpen(runtime, opener, nonce, sealed, new Uint8Array()), null, 'other AAD');
      assert.equal(opener.subkeys.size, 0, 'failed opens cache nothing');
      assert.equal(hexOf(await xaesOpen(runtime, opener, nonce, sealed, AAD)), toHex(new Uint8Array([42])));
      assert.equal(opener.subkeys.size, 1);
      // Now cached: the same prefix still refuses a forgery and opens the real token.
      assert.equal(await xaesOpen(runtime, opener, nonce, forged, AAD), null);
      assert.equal(hexOf(await xaesOpen(runtime, opener, nonce, sealed, AAD)), toHex(new Uint8Array([42])));
      assert.equal(opener.subkeys.size, 1);
    });

    test('the cache is bounded, oldest out first, and an evicted prefix still opens', async () => {
      const sealer = await xaesKey(runtime, KEY, 1); // a new prefix for every token
      const opener = await xaesKey(runtime, KEY);
      const tokens: Array<[Uint8Array, Uint8Array]> = [];
      for (let i = 0; i < SUBKEY_CACHE_SIZE + 20; i++) {
        const nonce = xaesNonce(runtime, sealer);
        tokens.push([nonce, await xaesSeal(runtime, sealer, nonce, new Uint8Array([i & 0xff]), AAD)]);
      }
      // Each finished batch's subkey moved to the cache, which stays bounded.
      assert.equal(sealer.subkeys.size, SUBKEY_CACHE_SIZE);
      for (const [nonce, sealed] of tokens) assert.ok(await xaesOpen(runtime, opener, nonce, sealed, AAD));
      assert.equal(opener.subkeys.size, SUBKEY_CACHE_SIZE);
      const [firstNonce, firstSealed] = tokens[0]!;
      assert.equal(hexOf(await xaesOpen(runtime, opener, firstNonce, firstSealed, AAD)), toHex(new Uint8Array([0])));
    });

    test('the sealer’s current prefix is never evicted, however many other prefixes it opens', async () => {
      const { counting, derivations } = countDerivations(runtime);
      const sealer = await xaesKey(counting, KEY);
      const own = xaesNonce(counting, sealer);
      await xaesSeal(counting, sealer, own, new Uint8Array([1]), AAD);
      assert.equal(derivations(), 1);
      const others = await xaesKey(runtime, KEY, 1);
      for (let i = 0; i < SUBKEY_CACHE_SIZE + 20; i++) {
        const nonce = xaesNonce(runtime, others);
        assert.ok(
          await xaesOpen(
            counting,
            sealer,
            nonce,
            await xaesSeal(runtime, others, nonce, new Uint8Array([2]), AAD),
            AAD,
          ),
        );
      }
      const before = derivations();
      const next = xaesNonce(counting, sealer);
      assert.equal(prefixOf(next), prefixOf(own));
      await xaesSeal(counting, sealer, next, new Uint8Array([3]), AAD);
      assert.equal(derivations(), before, 'no derivation for the current prefix');
    });
  });
}

/** A runtime that counts subkey imports: one per XAES key derivation. */
function countDerivations(runtime: CryptoRuntime): { counting: CryptoRuntime; derivations: () => number } {
  let count = 0;
  const counting: CryptoRuntime = {
    ...runtime,
    importAesGcmKey(raw) {
      count++;
      return runtime.importAesGcmKey(raw);
    },
  };
  return { counting, derivations: () => count };
}

describe('subkeys on WebCrypto, which derives asynchronously', () => {
  test('concurrent seals at the start of a batch share one derivation and all open', async () => {
    const { counting, derivations } = countDerivations(webRuntime);
    const key = await xaesKey(counting, KEY);
    const nonces = Array.from({ length: 8 }, () => xaesNonce(counting, key));
    const sealed = await Promise.all(
      nonces.map((nonce, i) => xaesSeal(counting, key, nonce, new Uint8Array([i]), AAD)),
    );
    assert.equal(derivations(), 1);
    for (const [i, nonce] of nonces.entries())
      assert.equal(hexOf(await xaesOpen(webRuntime, key, nonce, sealed[i]!, AAD)), toHex(new Uint8Array([i])));
  });

  test('a derivation that fails is dropped from the cache, so the next token derives again', async () => {
    let failNext = true;
    const flaky: CryptoRuntime = {
      ...webRuntime,
      importAesGcmKey(raw) {
        if (!failNext) return webRuntime.importAesGcmKey(raw);
        failNext = false;
        return Promise.reject(new Error('simulated WebCrypto failure'));
      },
    };
    const key: XaesKey = await xaesKey(flaky, KEY);
    const nonce = xaesNonce(flaky, key);
    await assert.rejects(() => Promise.resolve(xaesSeal(flaky, key, nonce, new Uint8Array([1]), AAD)), /simulated/);
    assert.ok(await xaesSeal(flaky, key, nonce, new Uint8Array([1]), AAD), 'derived again after the failure');
    // A failure of another prefix's derivation, met while opening, caches nothing either.
    failNext = true;
    const other = await xaesKey(webRuntime, KEY, 1);
    const otherNonce = xaesNonce(webRuntime, other);
    const otherSealed = await xaesSeal(webRuntime, other, otherNonce, new Uint8Array([2]), AAD);
    await assert.rejects(() => Promise.resolve(xaesOpen(flaky, key, otherNonce, otherSealed, AAD)), /simulated/);
    assert.equal(key.subkeys.size, 0);
    assert.ok(await xaesOpen(flaky, key, otherNonce, otherSealed, AAD));
    assert.equal(key.subkeys.size, 1);
  });
});

describe('through the public API', () => {
  for (const [name, build] of [
    ['Node build', node],
    ['WebCrypto build', web],
  ] as const) {
    test(`${name}: tokens sealed under one key share N[:12]; tokens under another key do not`, async () => {
      const keys = build.createKeyring(SECRET_A);
      const other = build.createKeyring(build.generateKey());
      const nonceOf = (token: string): Uint8Array => {
        const parsed = parseToken(nodeRuntime, token);
        assert.ok(typeof parsed !== 'string');
        return parsed.rest.subarray(0, NONCE_BYTES);
      };
      const first = nonceOf(await build.seal(SAMPLE_SESSION, { keys }));
      const second = nonceOf(await build.seal(SAMPLE_SESSION, { keys }));
      const elsewhere = nonceOf(await build.seal(SAMPLE_SESSION, { keys: other }));
      assert.equal(prefixOf(first), prefixOf(second));
      assert.notEqual(toHex(first.subarray(12)), toHex(second.subarray(12)));
      assert.notEqual(prefixOf(first), prefixOf(elsewhere));
    });
  }
});
