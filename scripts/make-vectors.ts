/**
 * Writes test/vectors/tokens.json, the known-answer vectors of format v1, in the
 * style of Fernet's spec: `generate` (fixed key, nonce and clock give an exact
 * token), `verify` and `invalid` (each case with the reason it must give).
 *
 * Run once when the format is defined: `npx tsx scripts/make-vectors.ts`. The
 * vectors are the contract that keeps v1 tokens readable forever; regenerating
 * them must never change an existing token (test/core/vectors.test.ts checks
 * every one, and test/core/independent.test.ts re-derives the sealed ones with
 * node:crypto alone, following SECURITY.md).
 */
import { writeFileSync } from 'node:fs';
import { createKeyring } from '../src/keys/keyring.js';
import { nodeRuntime } from '../src/crypto/node.js';
import { sealWith, unsealWith } from '../src/core/seal.js';
import { signWith, verifyWith } from '../src/core/sign.js';
import type { UnsealResult } from '../src/core/result.js';

type KeySpec = { id: string; secret: string };
const KEY_1: KeySpec = { id: '1', secret: '000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f' };
const KEY_2024: KeySpec = { id: '2024-01', secret: 'a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebf' };
const KEY_2025: KeySpec = { id: '2025_06', secret: '5f5e5d5c5b5a595857565554535251504f4e4d4c4b4a49484746454443424140' };
const NONCE = '404142434445464748494a4b4c4d4e4f5051525354555657';
const NOW = 1_750_000_000_000; // 2025-06-15T15:06:40Z

const ring = (specs: KeySpec[]) =>
  createKeyring(specs.map(({ id, secret }) => ({ id, secret: Buffer.from(secret, 'hex') })));
const SAMPLE: Array<[string, string]> = [
  ['userId', '12345'],
  ['name', 'alice'],
  ['role', 'admin'],
  ['csrf', '0123456789abcdef0123456789abcdef'],
  ['locale', 'en-US'],
];

interface GenerateCase {
  name: string;
  kind: 'sealed' | 'signed';
  keys: KeySpec[];
  nonce?: string;
  now: number;
  ttl: number | null;
  context: string;
  data: Array<[string, string]>;
  token: string;
}
const generateSpecs: Array<Omit<GenerateCase, 'token'>> = [
  {
    name: 'sealed: the 5-entry sample session',
    kind: 'sealed',
    keys: [KEY_1],
    nonce: NONCE,
    now: NOW,
    ttl: 604800,
    context: 'sid',
    data: SAMPLE,
  },
  {
    name: 'sealed: empty map, no context, never expires',
    kind: 'sealed',
    keys: [KEY_1],
    nonce: NONCE,
    now: NOW,
    ttl: null,
    context: '',
    data: [],
  },
  {
    name: 'sealed: empty key and value, NUL, astral characters, a 200-byte value',
    kind: 'sealed',
    keys: [KEY_2025, KEY_2024],
    nonce: 'ffeeddccbbaa99887766554433221100ffeeddccbbaa9988',
    now: NOW + 999,
    ttl: 3600,
    context: '__Host-sid',
    data: [
      ['', ''],
      ['nul', 'a\u0000b'],
      ['emoji', '😀𝄞'],
      ['é', 'x'.repeat(200)],
    ],
  },
  {
    name: 'signed: the 5-entry sample session',
    kind: 'signed',
    keys: [KEY_1],
    now: NOW,
    ttl: 604800,
    context: 'sid',
    data: SAMPLE,
  },
  {
    name: 'signed: empty map, never expires, long key id',
    kind: 'signed',
    keys: [{ id: 'abcdefghijklmnop', secret: KEY_1.secret }],
    now: NOW,
    ttl: null,
    context: 'prefs',
    data: [],
  },
];

const generate: GenerateCase[] = generateSpecs.map((spec) => {
  const options = { keys: ring(spec.keys), now: spec.now, ttl: spec.ttl ?? Infinity, context: spec.context };
  const data = new Map(spec.data);
  const token =
    spec.kind === 'sealed'
      ? (sealWith(nodeRuntime, data, options, Buffer.from(spec.nonce!, 'hex')) as string)
      : (signWith(nodeRuntime, data, options) as string);
  return { ...spec, token };
});

const sample = generate[0]!;
const sampleSigned = generate[3]!;
const sealedNoExpiry = generate[1]!;

function open(
  kind: 'sealed' | 'signed',
  token: string,
  keys: KeySpec[],
  now: number,
  context: string,
  extra: { clockSkew?: number; issuedAfter?: number } = {},
): UnsealResult {
  const options = { keys: ring(keys), now, context, ...extra };
  return (
    kind === 'sealed' ? unsealWith(nodeRuntime, token, options) : verifyWith(nodeRuntime, token, options)
  ) as UnsealResult;
}

interface VerifyCase {
  name: string;
  kind: 'sealed' | 'signed';
  token: string;
  keys: KeySpec[];
  now: number;
  context: string;
  clockSkew?: number;
  issuedAfter?: number;
  expect: {
    data: Array<[string, string]>;
    keyId: string;
    issuedAt: number;
    expiresAt: number | null;
    rotated: boolean;
  };
}
const verifySpecs: Array<Omit<VerifyCase, 'expect'>> = [
  ...generate.map((g) => ({
    name: `opens: ${g.name}`,
    kind: g.kind,
    token: g.token,
    keys: g.keys,
    now: g.now,
    context: g.context,
  })),
  {
    name: 'an old key still opens, with rotated: true',
    kind: 'sealed',
    token: sample.token,
    keys: [KEY_2025, KEY_1],
    now: NOW,
    context: 'sid',
  },
  {
    name: 'expiry equal to now is still valid (clockSkew 0)',
    kind: 'sealed',
    token: sample.token,
    keys: [KEY_1],
    now: 1_750_000_000_000 + 604800_000,
    context: 'sid',
    clockSkew: 0,
  },
  {
    name: 'a token issued in the same second as issuedAfter is kept',
    kind: 'sealed',
    token: sample.token,
    keys: [KEY_1],
    now: NOW,
    context: 'sid',
    issuedAfter: NOW + 999,
  },
  {
    name: 'never-expiring token, far in the future',
    kind: 'sealed',
    token: sealedNoExpiry.token,
    keys: [KEY_1],
    now: 4_000_000_000_000,
    context: '',
  },
];
const verify: VerifyCase[] = verifySpecs.map((spec) => {
  const extra = {
    ...(spec.clockSkew !== undefined ? { clockSkew: spec.clockSkew } : {}),
    ...(spec.issuedAfter !== undefined ? { issuedAfter: spec.issuedAfter } : {}),
  };
  const result = open(spec.kind, spec.token, spec.keys, spec.now, spec.context, extra);
  if (!result.ok) throw new Error(`verify case "${spec.name}" failed: ${result.reason}`);
  return {
    ...spec,
    expect: {
      data: [...result.data],
      keyId: result.keyId,
      issuedAt: result.issuedAt,
      expiresAt: result.expiresAt,
      rotated: result.rotated,
    },
  };
});

function flip(token: string, byteIndex: number): string {
  const body = Buffer.from(token.slice(4), 'base64url');
  body[byteIndex]! ^= 0x01;
  return 'ss1.' + body.toString('base64url');
}

interface InvalidCase {
  name: string;
  kind: 'sealed' | 'signed';
  token: string;
  keys: KeySpec[];
  now: number;
  context: string;
  clockSkew?: number;
  issuedAfter?: number;
  reason: string;
}
const invalidSpecs: Array<Omit<InvalidCase, 'reason'> & { expected: string }> = [
  {
    name: 'one flipped bit in the ciphertext',
    kind: 'sealed',
    token: flip(sample.token, 60),
    keys: [KEY_1],
    now: NOW,
    context: 'sid',
    expected: 'invalid',
  },
  {
    name: 'one flipped bit in the GCM tag',
    kind: 'sealed',
    token: flip(sample.token, Buffer.from(sample.token.slice(4), 'base64url').length - 1),
    keys: [KEY_1],
    now: NOW,
    context: 'sid',
    expected: 'invalid',
  },
  {
    name: 'one flipped bit in the nonce',
    kind: 'sealed',
    token: flip(sample.token, 20),
    keys: [KEY_1],
    now: NOW,
    context: 'sid',
    expected: 'invalid',
  },
  {
    name: 'one flipped bit in the expiry (header is authenticated)',
    kind: 'sealed',
    token: flip(sample.token, 12),
    keys: [KEY_1],
    now: NOW,
    context: 'sid',
    expected: 'invalid',
  },
  {
    name: 'another cookie name (context)',
    kind: 'sealed',
    token: sample.token,
    keys: [KEY_1],
    now: NOW,
    context: 'sid2',
    expected: 'invalid',
  },
  {
    name: 'the right key id with another secret',
    kind: 'sealed',
    token: sample.token,
    keys: [{ id: '1', secret: KEY_2025.secret }],
    now: NOW,
    context: 'sid',
    expected: 'invalid',
  },
  {
    name: 'a key id the keyring no longer has',
    kind: 'sealed',
    token: sample.token,
    keys: [KEY_2025],
    now: NOW,
    context: 'sid',
    expected: 'unknown-key',
  },
  {
    name: 'one second past expiry (clockSkew 0)',
    kind: 'sealed',
    token: sample.token,
    keys: [KEY_1],
    now: NOW + 604801_000,
    context: 'sid',
    clockSkew: 0,
    expected: 'expired',
  },
  {
    name: 'issued before issuedAfter',
    kind: 'sealed',
    token: sample.token,
    keys: [KEY_1],
    now: NOW,
    context: 'sid',
    issuedAfter: NOW + 1000,
    expected: 'revoked',
  },
  {
    name: 'issued in the future beyond clockSkew',
    kind: 'sealed',
    token: sample.token,
    keys: [KEY_1],
    now: NOW - 6000,
    context: 'sid',
    expected: 'invalid',
  },
  {
    name: 'a signed token given to unseal',
    kind: 'sealed',
    token: sampleSigned.token,
    keys: [KEY_1],
    now: NOW,
    context: 'sid',
    expected: 'invalid',
  },
  {
    name: 'a sealed token given to verify',
    kind: 'signed',
    token: sample.token,
    keys: [KEY_1],
    now: NOW,
    context: 'sid',
    expected: 'invalid',
  },
  {
    name: 'signed: one flipped bit in the payload',
    kind: 'signed',
    token: flip(sampleSigned.token, 30),
    keys: [KEY_1],
    now: NOW,
    context: 'sid',
    expected: 'invalid',
  },
  {
    name: 'signed: another context',
    kind: 'signed',
    token: sampleSigned.token,
    keys: [KEY_1],
    now: NOW,
    context: 'sidx',
    expected: 'invalid',
  },
  {
    name: 'a future version of the format',
    kind: 'sealed',
    token: 'ss2.' + sample.token.slice(4),
    keys: [KEY_1],
    now: NOW,
    context: 'sid',
    expected: 'unsupported-version',
  },
  {
    name: 'no version prefix',
    kind: 'sealed',
    token: sample.token.slice(4),
    keys: [KEY_1],
    now: NOW,
    context: 'sid',
    expected: 'malformed',
  },
  {
    name: 'base64 padding appended',
    kind: 'sealed',
    token: sample.token + '=',
    keys: [KEY_1],
    now: NOW,
    context: 'sid',
    expected: 'malformed',
  },
  {
    name: 'a character outside base64url',
    kind: 'sealed',
    token: sample.token.slice(0, 20) + '+' + sample.token.slice(21),
    keys: [KEY_1],
    now: NOW,
    context: 'sid',
    expected: 'malformed',
  },
  {
    name: 'truncated to the header',
    kind: 'sealed',
    token: sample.token.slice(0, 24),
    keys: [KEY_1],
    now: NOW,
    context: 'sid',
    expected: 'malformed',
  },
  {
    name: 'the literal "invalid" (Kocha)',
    kind: 'sealed',
    token: 'invalid',
    keys: [KEY_1],
    now: NOW,
    context: 'sid',
    expected: 'malformed',
  },
  {
    name: 'the empty string',
    kind: 'signed',
    token: '',
    keys: [KEY_1],
    now: NOW,
    context: 'sid',
    expected: 'malformed',
  },
  {
    name: 'longer than 16384 characters',
    kind: 'sealed',
    token: 'ss1.' + 'A'.repeat(16381),
    keys: [KEY_1],
    now: NOW,
    context: 'sid',
    expected: 'malformed',
  },
];
const invalid: InvalidCase[] = invalidSpecs.map(({ expected, ...spec }) => {
  const extra = {
    ...(spec.clockSkew !== undefined ? { clockSkew: spec.clockSkew } : {}),
    ...(spec.issuedAfter !== undefined ? { issuedAfter: spec.issuedAfter } : {}),
  };
  const result = open(spec.kind, spec.token, spec.keys, spec.now, spec.context, extra);
  const reason = result.ok ? 'ok' : result.reason;
  if (reason !== expected) throw new Error(`invalid case "${spec.name}": expected ${expected}, got ${reason}`);
  return { ...spec, reason };
});

const vectors = {
  description:
    'Known-answer vectors for sealed-session token format v1 (SECURITY.md). Secrets and nonces are hex; times are ms since the epoch; ttl null means Infinity (never expires); data is an ordered list of [key, value].',
  source: 'Generated by scripts/make-vectors.ts from this project; MIT like the project.',
  generate,
  verify,
  invalid,
};
writeFileSync(new URL('../test/vectors/tokens.json', import.meta.url), JSON.stringify(vectors, null, 2) + '\n');
console.log(`wrote ${generate.length} generate, ${verify.length} verify, ${invalid.length} invalid vectors`);
