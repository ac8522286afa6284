import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { createKeyring, generateKey, seal, sign, unseal, verify } from '../../src/index.js';
import { sealSync, signSync, unsealSync, verifySync } from '../../src/sync.js';
import { SAMPLE_SESSION, SECRET_A, SECRET_B, sessionMap } from '../helpers.js';
import { sealWith } from '../../src/core/seal.js';
import { nodeRuntime } from '../../src/crypto/node.js';
import type { SyncCryptoRuntime } from '../../src/crypto/runtime.js';

const keys = createKeyring(SECRET_A);
const NOW = 1_750_000_000_000;

/** The two token kinds share every property: run each suite for both. */
const kinds = [
  { kind: 'sealed', make: seal, open: unseal, makeSync: sealSync, openSync: unsealSync },
  { kind: 'signed', make: sign, open: verify, makeSync: signSync, openSync: verifySync },
] as const;

for (const { kind, make, open, makeSync, openSync } of kinds) {
  describe(`${kind} tokens`, () => {
    test('round-trip arbitrary maps, contexts and clocks', async () => {
      await fc.assert(
        fc.asyncProperty(
          sessionMap(),
          fc.string({ maxLength: 20 }),
          fc.integer({ min: 0, max: 4_000_000_000_000 }),
          async (data, context, now) => {
            const token = await make(data, { keys, context, now });
            const result = await open(token, { keys, context, now });
            assert.ok(result.ok);
            assert.deepEqual([...result.data], [...data]);
            assert.equal(result.keyId, '1');
            assert.equal(result.issuedAt, Math.floor(now / 1000) * 1000);
            assert.equal(result.expiresAt, result.issuedAt + 7 * 24 * 3600 * 1000);
            assert.equal(result.rotated, false);
          },
        ),
        { numRuns: 150 },
      );
    });

    test("Kocha's round trip of random key/value pairs", async () => {
      for (let i = 0; i < 20; i++) {
        const data = new Map(
          Array.from({ length: 10 }, () => [generateKey().slice(0, 8), generateKey()] as [string, string]),
        );
        const result = await open(await make(data, { keys }), { keys });
        assert.deepEqual(result.ok && [...result.data], [...data]);
      }
    });

    test('every single-bit flip, truncation or appended byte gives invalid or malformed', async () => {
      const token = await make(SAMPLE_SESSION, { keys, context: 'sid', now: NOW });
      const body = Buffer.from(token.slice(4), 'base64url');
      const reencode = (bytes: Uint8Array) => 'ss1.' + Buffer.from(bytes).toString('base64url');
      const check = async (label: string, candidate: string) => {
        const result = await open(candidate, { keys, context: 'sid', now: NOW });
        assert.ok(
          !result.ok &&
            (result.reason === 'invalid' || result.reason === 'malformed' || result.reason === 'unknown-key'),
          `${label}: ${JSON.stringify(result)}`,
        );
        // Flipping the key id can only name another id, never open the token.
        if (!result.ok && result.reason === 'unknown-key') assert.ok(label.startsWith('flip byte 3 '), label);
      };
      for (let byte = 0; byte < body.length; byte++) {
        for (let bit = 0; bit < 8; bit++) {
          const flipped = Uint8Array.from(body);
          flipped[byte]! ^= 1 << bit;
          await check(`flip byte ${byte} bit ${bit}`, reencode(flipped));
        }
      }
      for (let length = 0; length < body.length; length++)
        await check(`truncate to ${length}`, reencode(body.subarray(0, length)));
      await fc.assert(
        fc.asyncProperty(fc.uint8Array({ minLength: 1, maxLength: 8 }), async (extra) =>
          check('append', reencode(Buffer.concat([body, extra]))),
        ),
        { numRuns: 50 },
      );
    });

    test('a wrong context or a wrong key gives invalid', async () => {
      await fc.assert(
        fc.asyncProperty(
          sessionMap(3),
          fc.string({ maxLength: 10 }),
          fc.string({ maxLength: 10 }),
          async (data, a, b) => {
            fc.pre(a !== b);
            const token = await make(data, { keys, context: a });
            assert.deepEqual(await open(token, { keys, context: b }), { ok: false, reason: 'invalid' });
            assert.deepEqual(await open(token, { keys: createKeyring(SECRET_B), context: a }), {
              ok: false,
              reason: 'invalid',
            });
          },
        ),
        { numRuns: 50 },
      );
    });

    test('key rotation: an old key opens with rotated: true; a removed key is unknown-key', async () => {
      const old = createKeyring([{ id: 'old', secret: SECRET_A }]);
      const rotated = createKeyring([
        { id: 'new', secret: SECRET_B },
        { id: 'old', secret: SECRET_A },
      ]);
      const removed = createKeyring([{ id: 'new', secret: SECRET_B }]);
      const token = await make(SAMPLE_SESSION, { keys: old });
      const result = await open(token, { keys: rotated });
      assert.ok(result.ok && result.rotated && result.keyId === 'old');
      assert.deepEqual(await open(token, { keys: removed }), { ok: false, reason: 'unknown-key' });
      const fresh = await open(await make(SAMPLE_SESSION, { keys: rotated }), { keys: rotated });
      assert.ok(fresh.ok && !fresh.rotated && fresh.keyId === 'new');
    });

    test("expiry: Kocha's boundary (equal to now is valid, one second later expired) and clockSkew", async () => {
      const token = await make(SAMPLE_SESSION, { keys, ttl: 60, now: NOW });
      const at = async (now: number, clockSkew: number) =>
        (await open(token, { keys, now, clockSkew })).ok ||
        ((await open(token, { keys, now, clockSkew })) as { reason: string }).reason;
      assert.equal(await at(NOW + 60_000, 0), true);
      assert.equal(await at(NOW + 61_000, 0), 'expired');
      assert.equal(await at(NOW + 60_001, 0), 'expired');
      assert.equal(await at(NOW + 65_000, 5), true);
      assert.equal(await at(NOW + 66_000, 5), 'expired');
      assert.equal(await at(NOW + 61_000, undefined as unknown as number), true, 'default clockSkew is 5 s');
      const forever = await make(SAMPLE_SESSION, { keys, ttl: Infinity, now: NOW });
      const result = await open(forever, { keys, now: NOW * 2 });
      assert.ok(result.ok && result.expiresAt === null);
    });

    test('expiry holds for arbitrary ttl and clocks', async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.integer({ min: 1, max: 10 ** 8 }),
          fc.integer({ min: 0, max: 3_000_000_000_000 }),
          fc.integer({ min: -5000, max: 5000 }),
          async (ttl, now, offsetMs) => {
            fc.pre(offsetMs >= -ttl * 1000); // never before the issue time: that is 'invalid', tested elsewhere
            const token = await make(new Map(), { keys, ttl, now });
            const expiresAt = Math.floor(now / 1000) * 1000 + ttl * 1000;
            const result = await open(token, { keys, now: expiresAt + offsetMs, clockSkew: 0 });
            assert.equal(result.ok ? 'ok' : result.reason, offsetMs <= 0 ? 'ok' : 'expired');
          },
        ),
        { numRuns: 100 },
      );
    });

    test('issuedAfter revokes tokens issued before it (one-second granularity)', async () => {
      const token = await make(SAMPLE_SESSION, { keys, now: NOW + 500 });
      assert.deepEqual(await open(token, { keys, now: NOW + 5000, issuedAfter: NOW + 1000 }), {
        ok: false,
        reason: 'revoked',
      });
      assert.ok((await open(token, { keys, now: NOW + 5000, issuedAfter: NOW + 999 })).ok, 'same second is kept');
      assert.ok((await open(token, { keys, now: NOW + 5000, issuedAfter: NOW - 10_000 })).ok);
    });

    test('a token issued in the future beyond clockSkew is invalid', async () => {
      const token = await make(SAMPLE_SESSION, { keys, now: NOW });
      assert.ok((await open(token, { keys, now: NOW - 5000 })).ok);
      assert.deepEqual(await open(token, { keys, now: NOW - 6000 }), { ok: false, reason: 'invalid' });
      assert.deepEqual(await open(token, { keys, now: NOW - 1000, clockSkew: 0 }), { ok: false, reason: 'invalid' });
    });

    test('sync and async give identical tokens and results', async () => {
      await fc.assert(
        fc.asyncProperty(sessionMap(4), fc.string({ maxLength: 8 }), async (data, context) => {
          const syncToken = makeSync(data, { keys, context, now: NOW });
          assert.deepEqual(
            openSync(syncToken, { keys, context, now: NOW }),
            await open(syncToken, { keys, context, now: NOW }),
          );
          const asyncToken = await make(data, { keys, context, now: NOW });
          assert.deepEqual(
            openSync(asyncToken, { keys, context, now: NOW }),
            await open(asyncToken, { keys, context, now: NOW }),
          );
          if (kind === 'signed') assert.equal(syncToken, asyncToken, 'signing is deterministic');
          const garbage = syncToken.slice(0, -3);
          assert.deepEqual(
            openSync(garbage, { keys, context, now: NOW }),
            await open(garbage, { keys, context, now: NOW }),
          );
        }),
        { numRuns: 50 },
      );
    });

    test('any string at all gives a result, never an exception', async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.oneof(
            fc.string(),
            fc.string({ unit: 'binary' }),
            fc.string({ unit: fc.constantFrom('s', '1', '.', 'A', '_', '-', '=') }),
          ),
          async (text) => {
            const result = await open(text, { keys });
            assert.equal(result.ok, false);
            assert.ok(
              ['malformed', 'unsupported-version', 'unknown-key', 'invalid'].includes(
                (result as { reason: string }).reason,
              ),
            );
            assert.deepEqual(openSync(text, { keys }), result);
          },
        ),
        { numRuns: 300 },
      );
      assert.deepEqual(
        await open('invalid', { keys }),
        { ok: false, reason: 'malformed' },
        'Kocha\'s literal "invalid"',
      );
      assert.deepEqual(await open('ss7.AAAA', { keys }), { ok: false, reason: 'unsupported-version' });
    });

    test('data too large for a token throws RangeError naming the size and the limit', async () => {
      const big = new Map([['k', 'x'.repeat(13_000)]]);
      await assert.rejects(make(big, { keys }), {
        name: 'RangeError',
        message: /at most 16384 characters, got one that .* to 17\d\d\d/,
      });
      assert.throws(() => makeSync(big, { keys }), RangeError);
      const fits = new Map([['k', 'x'.repeat(12_000)]]);
      const result = await open(await make(fits, { keys }), { keys });
      assert.ok(result.ok && result.data.get('k')!.length === 12_000);
    });
  });
}

test('a sealed token never verifies and a signed token never unseals', async () => {
  const sealed = await seal(SAMPLE_SESSION, { keys });
  const signed = await sign(SAMPLE_SESSION, { keys });
  assert.deepEqual(await verify(sealed, { keys }), { ok: false, reason: 'invalid' });
  assert.deepEqual(await unseal(signed, { keys }), { ok: false, reason: 'invalid' });
});

test('sealed tokens hide the data; signed tokens carry it readable', async () => {
  const secretValue = 'very-secret-value-9f8e7d';
  const sealed = await seal(new Map([['v', secretValue]]), { keys });
  const signed = await sign(new Map([['v', secretValue]]), { keys });
  assert.ok(!Buffer.from(sealed.slice(4), 'base64url').toString('latin1').includes(secretValue));
  assert.ok(Buffer.from(signed.slice(4), 'base64url').toString('latin1').includes(secretValue));
  assert.notEqual(
    await seal(SAMPLE_SESSION, { keys, now: NOW }),
    await seal(SAMPLE_SESSION, { keys, now: NOW }),
    'a fresh nonce per token',
  );
});

test('the 5-entry sample session seals to at most 220 characters, all RFC 6265 cookie-octets', async () => {
  const token = await seal(SAMPLE_SESSION, { keys, context: 'sid' });
  assert.ok(token.length <= 220, `${token.length}`);
  assert.match(token, /^[\x21\x23-\x2B\x2D-\x3A\x3C-\x5B\x5D-\x7E]+$/);
  const withLongId = createKeyring([{ id: 'abcdefghijklmnop', secret: SECRET_A }]);
  assert.ok((await seal(SAMPLE_SESSION, { keys: withLongId })).length <= 220);
});

test('generateKey: 32 random bytes as 43 base64url characters, usable as a secret', () => {
  const key = generateKey();
  assert.match(key, /^[A-Za-z0-9_-]{43}$/);
  assert.equal(Buffer.from(key, 'base64url').length, 32);
  assert.notEqual(generateKey(), key);
  assert.equal(createKeyring(key).currentKeyId, '1');
});

test('a seal that fails after the plaintext was copied into the token body wipes the body', () => {
  // On Node the body is pooled memory (CryptoRuntime.allocate) that Buffer.allocUnsafe hands out again.
  const bodies: Uint8Array[] = [];
  const failing: SyncCryptoRuntime = {
    ...nodeRuntime,
    allocate: (length) => {
      const body = nodeRuntime.allocate(length);
      bodies.push(body);
      return body;
    },
    aesGcmEncrypt: () => {
      // The plaintext is in the body at this point: the failure below must not leave it there.
      assert.ok(bodies.some((body) => Buffer.from(body).includes('secret-value')));
      throw new Error('the cipher failed');
    },
  };
  const keys = createKeyring(generateKey());
  assert.throws(() => sealWith(failing, new Map([['data', 'secret-value']]), { keys }), /the cipher failed/);
  assert.equal(bodies.length, 1);
  assert.ok(bodies[0]!.every((byte) => byte === 0));
});
