/** The known-answer vectors of format v1 (test/vectors/tokens.json): the contract that keeps v1 tokens readable. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createKeyring } from '../../src/keys/keyring.js';
import { nodeRuntime } from '../../src/crypto/node.js';
import { webRuntime } from '../../src/crypto/web.js';
import type { CryptoRuntime } from '../../src/crypto/runtime.js';
import { sealWith, unsealWith } from '../../src/core/seal.js';
import { signWith, verifyWith } from '../../src/core/sign.js';

type KeySpec = { id: string; secret: string };
interface Case {
  name: string;
  kind: 'sealed' | 'signed';
  keys: KeySpec[];
  now: number;
  context: string;
  token: string;
  clockSkew?: number;
  issuedAfter?: number;
}
interface Vectors {
  generate: Array<Case & { nonce?: string; ttl: number | null; data: Array<[string, string]> }>;
  verify: Array<
    Case & {
      expect: {
        data: Array<[string, string]>;
        keyId: string;
        issuedAt: number;
        expiresAt: number | null;
        rotated: boolean;
      };
    }
  >;
  invalid: Array<Case & { reason: string }>;
}
const vectors: Vectors = JSON.parse(readFileSync(new URL('../vectors/tokens.json', import.meta.url), 'utf8'));
const ring = (specs: KeySpec[]) =>
  createKeyring(specs.map(({ id, secret }) => ({ id, secret: Buffer.from(secret, 'hex') })));
const openOptions = (c: Case) => ({
  keys: ring(c.keys),
  now: c.now,
  context: c.context,
  ...(c.clockSkew !== undefined ? { clockSkew: c.clockSkew } : {}),
  ...(c.issuedAfter !== undefined ? { issuedAfter: c.issuedAfter } : {}),
});

const runtimes: Array<[string, CryptoRuntime]> = [
  ['node:crypto', nodeRuntime],
  ['WebCrypto', webRuntime],
];

for (const [runtimeName, runtime] of runtimes) {
  test(`generate vectors: exact tokens (${runtimeName})`, async () => {
    assert.ok(vectors.generate.length >= 5);
    for (const c of vectors.generate) {
      const options = { keys: ring(c.keys), now: c.now, ttl: c.ttl ?? Infinity, context: c.context };
      const data = new Map(c.data);
      const token =
        c.kind === 'sealed'
          ? await sealWith(runtime, data, options, Buffer.from(c.nonce!, 'hex'))
          : await signWith(runtime, data, options);
      assert.equal(token, c.token, c.name);
    }
  });

  test(`verify vectors: exact results (${runtimeName})`, async () => {
    assert.ok(vectors.verify.length >= 5);
    for (const c of vectors.verify) {
      const result =
        c.kind === 'sealed'
          ? await unsealWith(runtime, c.token, openOptions(c))
          : await verifyWith(runtime, c.token, openOptions(c));
      assert.deepEqual(
        result.ok && {
          data: [...result.data],
          keyId: result.keyId,
          issuedAt: result.issuedAt,
          expiresAt: result.expiresAt,
          rotated: result.rotated,
        },
        c.expect,
        c.name,
      );
    }
  });

  test(`invalid vectors: each gives its reason (${runtimeName})`, async () => {
    assert.ok(vectors.invalid.length >= 20);
    for (const c of vectors.invalid) {
      const result =
        c.kind === 'sealed'
          ? await unsealWith(runtime, c.token, openOptions(c))
          : await verifyWith(runtime, c.token, openOptions(c));
      assert.deepEqual(result, { ok: false, reason: c.reason }, c.name);
    }
  });
}

test('the sample session seals to at most 220 characters', () => {
  const sample = vectors.generate.find((c) => c.name === 'sealed: the 5-entry sample session')!;
  assert.ok(sample.token.length <= 220, `${sample.token.length} characters`);
  assert.equal(sample.token.length, 191);
});
