/**
 * Node build vs WebCrypto build (issue 3): for arbitrary maps, keyrings, contexts and
 * clocks, a token made by either build opens on the other with the same result; tokens
 * are byte-identical for the same nonce (sealed) or always (signed); every failure
 * has the same reason on both builds; the sync API matches the async Node API; and the
 * two base64url codecs (Buffer-backed on Node, portable on WebCrypto) agree.
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import * as node from '../../src/index.js';
import * as web from '../../src/web.js';
import * as sync from '../../src/sync.js';
import type { Keyring, SealOptions, UnsealOptions, UnsealResult } from '../../src/index.js';
import { sealWith } from '../../src/core/seal.js';
import { nodeRuntime } from '../../src/crypto/node.js';
import { webRuntime } from '../../src/crypto/web.js';
import { derivedKeys } from '../../src/crypto/keys.js';
import { xaesSeal } from '../../src/crypto/xaes.js';
import type { CryptoRuntime } from '../../src/crypto/runtime.js';
import { decodeMap } from '../../src/format/codec.js';
import { keyringState } from '../../src/keys/keyring.js';
import { boundData, Kind, NONCE_BYTES, PREFIX, writeHeader } from '../../src/format/token.js';
import { BAD_INPUTS } from '../helpers.js';

// ---------------------------------------------------------------------------------------------
// Arbitraries
// ---------------------------------------------------------------------------------------------

const RUNS = 100;

/** Well-formed strings: whole graphemes, or any code point (astral, NUL, controls) without lone surrogates. */
const text = (maxLength: number) =>
  fc.oneof(
    fc.string({ unit: 'grapheme', maxLength }),
    fc.string({ unit: 'binary', maxLength }),
    fc.constantFrom('', '\u0000', 'a\u0000b', '\u{1F600}', '\u{10FFFF}', 'e\u0301', '__proto__'),
  );

const sessionMap = fc.array(fc.tuple(text(12), text(24)), { maxLength: 8 }).map((entries) => new Map(entries));

const keyId = fc.stringMatching(/^[A-Za-z0-9_-]{1,16}$/);
const secret = fc.oneof(
  fc.uint8Array({ minLength: 32, maxLength: 64 }),
  // 32 graphemes are at least 32 UTF-8 bytes.
  fc.string({ unit: 'grapheme', minLength: 32, maxLength: 40 }),
);
const keySpecs = fc.uniqueArray(fc.record({ id: keyId, secret }), {
  minLength: 1,
  maxLength: 3,
  selector: (key) => key.id,
});

interface Scenario {
  readonly data: Map<string, string>;
  readonly specs: ReadonlyArray<{ id: string; secret: string | Uint8Array }>;
  /** The unsealing keyring is the sealing one rotated by this many places. */
  readonly rotation: number;
  /** Whether the unsealing keyring lacks the sealing key. */
  readonly dropSealingKey: boolean;
  readonly context: string | undefined;
  readonly sealNow: number;
  readonly ttl: number | undefined;
  readonly unsealNow: number;
  readonly clockSkew: number | undefined;
  readonly issuedAfter: number | undefined;
}

const YEAR_2100_MS = 4_102_444_800_000;
const DAY = 86_400;

const scenario: fc.Arbitrary<Scenario> = fc
  .record({
    data: sessionMap,
    specs: keySpecs,
    rotation: fc.nat(2),
    dropSealingKey: fc.nat(3).map((n) => n === 0),
    context: fc.option(text(20), { nil: undefined }),
    sealNow: fc.integer({ min: 0, max: YEAR_2100_MS }),
    ttl: fc.option(fc.oneof(fc.integer({ min: 1, max: 400 * DAY }), fc.constant(Infinity)), { nil: undefined }),
    // Near issue time (future-issued tokens) or near expiry, both within and beyond any clock skew.
    nearExpiry: fc.boolean(),
    delta: fc.integer({ min: -70_000, max: 70_000 }),
    clockSkew: fc.option(fc.integer({ min: 0, max: 60 }), { nil: undefined }),
    issuedAfterDelta: fc.option(fc.integer({ min: -5_000, max: 5_000 }), { nil: undefined }),
  })
  .map(({ nearExpiry, delta, issuedAfterDelta, ...rest }) => {
    const lifetime = rest.ttl ?? 7 * DAY;
    const base = nearExpiry && lifetime !== Infinity ? rest.sealNow + lifetime * 1000 : rest.sealNow;
    return {
      ...rest,
      // Never drop the only key: a keyring needs one.
      dropSealingKey: rest.dropSealingKey && rest.specs.length > 1,
      unsealNow: Math.max(0, base + delta),
      issuedAfter: issuedAfterDelta === undefined ? undefined : rest.sealNow + issuedAfterDelta,
    };
  });

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

function sealingRing(s: Scenario): Keyring {
  return node.createKeyring(s.specs);
}

/** A separate keyring (separate key objects and caches) holding the same secrets, rotated. */
function unsealingRing(s: Scenario): Keyring {
  const rotated = s.specs.map((_, i) => s.specs[(i + s.rotation) % s.specs.length]!);
  return web.createKeyring(s.dropSealingKey ? rotated.filter((key) => key.id !== s.specs[0]!.id) : rotated);
}

function sealOptions(s: Scenario): SealOptions {
  return { keys: sealingRing(s), context: s.context, now: s.sealNow, ttl: s.ttl };
}

function unsealOptions(s: Scenario, keys = unsealingRing(s)): UnsealOptions {
  return { keys, context: s.context, now: s.unsealNow, clockSkew: s.clockSkew, issuedAfter: s.issuedAfter };
}

/** An independent statement of the rules in core/result.ts, the oracle for clock outcomes. */
function expectedOutcome(s: Scenario): UnsealResult['ok'] | UnsealFailureReason {
  if (s.dropSealingKey) return 'unknown-key';
  const issuedAt = Math.floor(s.sealNow / 1000);
  const ttl = s.ttl ?? 7 * DAY;
  const skewMs = (s.clockSkew ?? 5) * 1000;
  if (issuedAt * 1000 > s.unsealNow + skewMs) return 'invalid'; // issued in the future
  if (s.issuedAfter !== undefined && issuedAt < Math.floor(s.issuedAfter / 1000)) return 'revoked';
  if (ttl !== Infinity && (issuedAt + ttl) * 1000 + skewMs < s.unsealNow) return 'expired';
  return true;
}
type UnsealFailureReason = Extract<UnsealResult, { ok: false }>['reason'];

type Opener = (token: string, options: UnsealOptions) => Promise<UnsealResult>;

/** Opens `token` with the Node build, the WebCrypto build and the sync API; asserts all three agree. */
async function openEverywhere(
  kind: 'sealed' | 'signed',
  token: unknown,
  options: UnsealOptions,
): Promise<UnsealResult> {
  const [fromNode, fromWeb, fromSync]: [Opener, Opener, (t: string, o: UnsealOptions) => UnsealResult] =
    kind === 'sealed' ? [node.unseal, web.unseal, sync.unsealSync] : [node.verify, web.verify, sync.verifySync];
  const nodeResult = await fromNode(token as string, options);
  const webResult = await fromWeb(token as string, options);
  const syncResult = fromSync(token as string, options);
  assert.deepEqual(webResult, nodeResult, 'WebCrypto build and Node build disagree');
  assert.deepEqual(syncResult, nodeResult, 'sync API and async Node API disagree');
  return nodeResult;
}

function assertOutcome(result: UnsealResult, s: Scenario): void {
  const expected = expectedOutcome(s);
  if (expected !== true) {
    assert.deepEqual(result, { ok: false, reason: expected });
    return;
  }
  assert.ok(result.ok, `expected success, got ${JSON.stringify(result)}`);
  const issuedAt = Math.floor(s.sealNow / 1000) * 1000;
  const ttl = s.ttl ?? 7 * DAY;
  assert.deepEqual(result.data, s.data);
  assert.equal(result.keyId, s.specs[0]!.id);
  assert.equal(result.issuedAt, issuedAt);
  assert.equal(result.expiresAt, ttl === Infinity ? null : issuedAt + ttl * 1000);
  assert.equal(result.rotated, s.rotation % s.specs.length !== 0);
}

const decodeBody = (token: string): Uint8Array => nodeRuntime.decodeBase64url(token.slice(PREFIX.length))!;
const encodeBody = (body: Uint8Array): string => PREFIX + nodeRuntime.encodeBase64url(body);

// ---------------------------------------------------------------------------------------------
// Tokens cross over
// ---------------------------------------------------------------------------------------------

describe('a token made by either build opens on the other', () => {
  for (const [maker, build] of [
    ['Node', node],
    ['WebCrypto', web],
  ] as const) {
    test(`sealed by the ${maker} build: same result on Node, WebCrypto and sync, as the rules say`, async () => {
      await fc.assert(
        fc.asyncProperty(scenario, async (s) => {
          const token = await build.seal(s.data, sealOptions(s));
          assert.ok(token.startsWith(PREFIX));
          assertOutcome(await openEverywhere('sealed', token, unsealOptions(s)), s);
        }),
        { numRuns: RUNS },
      );
    });

    test(`signed by the ${maker} build: same result on Node, WebCrypto and sync, as the rules say`, async () => {
      await fc.assert(
        fc.asyncProperty(scenario, async (s) => {
          const token = await build.sign(s.data, sealOptions(s));
          assertOutcome(await openEverywhere('signed', token, unsealOptions(s)), s);
        }),
        { numRuns: RUNS },
      );
    });
  }

  test('sealSync tokens open everywhere too', async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async (s) => {
        assertOutcome(await openEverywhere('sealed', sync.sealSync(s.data, sealOptions(s)), unsealOptions(s)), s);
      }),
      { numRuns: RUNS / 2 },
    );
  });
});

describe('tokens are byte-identical across builds', () => {
  test('sealed with the same nonce: Node (synchronously) and WebCrypto give the same token', async () => {
    await fc.assert(
      fc.asyncProperty(
        scenario,
        fc.uint8Array({ minLength: NONCE_BYTES, maxLength: NONCE_BYTES }),
        async (s, nonce) => {
          const options = sealOptions(s);
          const fromNode = sealWith(nodeRuntime, s.data, options, nonce);
          assert.equal(typeof fromNode, 'string', 'the Node runtime seals synchronously');
          const fromWeb = await sealWith(webRuntime, s.data, options, nonce);
          assert.equal(fromWeb, fromNode);
          // The nonce sits right after the header, unchanged.
          const body = decodeBody(fromWeb);
          const headerEnd = 13 + s.specs[0]!.id.length;
          assert.deepEqual(body.subarray(headerEnd, headerEnd + NONCE_BYTES), nonce);
        },
      ),
      { numRuns: RUNS },
    );
  });

  test('signed: Node, WebCrypto and signSync give the same token, always', async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async (s) => {
        const options = sealOptions(s);
        const fromNode = await node.sign(s.data, options);
        assert.equal(await web.sign(s.data, options), fromNode);
        assert.equal(sync.signSync(s.data, options), fromNode);
      }),
      { numRuns: RUNS },
    );
  });

  test('random nonces: two seals of the same map differ, on both builds', async () => {
    const keys = node.createKeyring(node.generateKey());
    const data = new Map([['a', 'b']]);
    for (const build of [node, web]) {
      const tokens = new Set(await Promise.all(Array.from({ length: 20 }, () => build.seal(data, { keys, now: 0 }))));
      assert.equal(tokens.size, 20);
    }
  });
});

// ---------------------------------------------------------------------------------------------
// Failures: the same reason on both builds
// ---------------------------------------------------------------------------------------------

type Mutation =
  | { readonly type: 'flip'; readonly index: number; readonly bit: number }
  | { readonly type: 'truncate'; readonly keep: number }
  | { readonly type: 'append'; readonly bytes: Uint8Array }
  | { readonly type: 'cut-text'; readonly keep: number }
  | { readonly type: 'replace-char'; readonly index: number; readonly by: string };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ type: fc.constant('flip' as const), index: fc.nat(), bit: fc.nat(7) }),
  fc.record({ type: fc.constant('truncate' as const), keep: fc.nat() }),
  fc.record({ type: fc.constant('append' as const), bytes: fc.uint8Array({ minLength: 1, maxLength: 40 }) }),
  fc.record({ type: fc.constant('cut-text' as const), keep: fc.nat() }),
  fc.record({
    type: fc.constant('replace-char' as const),
    index: fc.nat(),
    by: fc.constantFrom('=', '+', '/', ' ', '.', '\u00e9', '\u{1F600}', '\uD800', 'A', '_'),
  }),
);

/** Applies a mutation that always changes the token. */
function mutate(token: string, m: Mutation): string {
  const body = decodeBody(token);
  switch (m.type) {
    case 'flip': {
      const copy = body.slice();
      copy[m.index % copy.length]! ^= 1 << m.bit;
      return encodeBody(copy);
    }
    case 'truncate':
      return encodeBody(body.subarray(0, m.keep % body.length));
    case 'append': {
      const longer = new Uint8Array(body.length + m.bytes.length);
      longer.set(body, 0);
      longer.set(m.bytes, body.length);
      return encodeBody(longer);
    }
    case 'cut-text':
      return token.slice(0, m.keep % token.length);
    case 'replace-char': {
      const index = m.index % token.length;
      const replaced = token.slice(0, index) + m.by + token.slice(index + 1);
      // Replacing a character by itself is no mutation: double it instead.
      return replaced === token ? token + m.by : replaced;
    }
  }
}

describe('every failure gives the same reason on both builds', () => {
  for (const kind of ['sealed', 'signed'] as const) {
    test(`${kind} tokens with flipped bits, truncations, appended bytes or changed characters fail alike`, async () => {
      await fc.assert(
        fc.asyncProperty(scenario, fc.boolean(), mutation, async (s, fromWeb, m) => {
          const build = fromWeb ? web : node;
          const token = await (kind === 'sealed'
            ? build.seal(s.data, sealOptions(s))
            : build.sign(s.data, sealOptions(s)));
          const mutated = mutate(token, m);
          assert.notEqual(mutated, token);
          const result = await openEverywhere(kind, mutated, unsealOptions(s));
          assert.equal(result.ok, false, `a ${m.type} mutation was accepted`);
        }),
        { numRuns: RUNS * 2 },
      );
    });
  }

  test('wrong context: invalid on both builds', async () => {
    await fc.assert(
      fc.asyncProperty(scenario, text(20), fc.boolean(), async (s, other, signed) => {
        fc.pre(other !== (s.context ?? ''));
        const make = signed ? node.sign : web.seal;
        const token = await make(s.data, sealOptions(s));
        const options = { ...unsealOptions({ ...s, dropSealingKey: false }), context: other, now: s.sealNow };
        assert.deepEqual(await openEverywhere(signed ? 'signed' : 'sealed', token, options), {
          ok: false,
          reason: 'invalid',
        });
      }),
      { numRuns: RUNS },
    );
  });

  test('wrong key under the same id: invalid; a keyring without the id: unknown-key', async () => {
    await fc.assert(
      fc.asyncProperty(scenario, secret, keyId, fc.boolean(), async (s, otherSecret, otherId, signed) => {
        const { id, secret: right } = s.specs[0]!;
        fc.pre(otherId !== id && String(otherSecret) !== String(right));
        const token = await (signed ? web.sign : node.seal)(s.data, sealOptions(s));
        const kind = signed ? 'signed' : 'sealed';
        const base = { context: s.context, now: s.sealNow };
        const wrongKey = await openEverywhere(kind, token, {
          ...base,
          keys: web.createKeyring([{ id, secret: otherSecret }]),
        });
        assert.deepEqual(wrongKey, { ok: false, reason: 'invalid' });
        const unknown = await openEverywhere(kind, token, {
          ...base,
          keys: web.createKeyring([{ id: otherId, secret: right }]),
        });
        assert.deepEqual(unknown, { ok: false, reason: 'unknown-key' });
      }),
      { numRuns: RUNS },
    );
  });

  test('a sealed token never verifies and a signed token never unseals', async () => {
    await fc.assert(
      fc.asyncProperty(scenario, fc.boolean(), async (s, fromWeb) => {
        const build = fromWeb ? web : node;
        const options = { ...unsealOptions({ ...s, dropSealingKey: false }), now: s.sealNow, issuedAfter: undefined };
        const sealed = await build.seal(s.data, sealOptions(s));
        const signed = await build.sign(s.data, sealOptions(s));
        assert.deepEqual(await openEverywhere('signed', sealed, options), { ok: false, reason: 'invalid' });
        assert.deepEqual(await openEverywhere('sealed', signed, options), { ok: false, reason: 'invalid' });
      }),
      { numRuns: RUNS / 2 },
    );
  });

  test('expired, revoked and future-issued tokens: the same reason on both builds', async () => {
    const keys = node.createKeyring([{ id: 'k', secret: 'x'.repeat(32) }]);
    const data = new Map([['userId', '12345']]);
    const issuedMs = 1_700_000_000_000;
    const cases: Array<[string, Partial<UnsealOptions>, UnsealResult['ok'] | UnsealFailureReason]> = [
      ['at expiry + skew', { now: issuedMs + 60_000 + 5_000 }, true],
      ['just past expiry + skew', { now: issuedMs + 60_000 + 5_001 }, 'expired'],
      ['past expiry, no skew', { now: issuedMs + 60_001, clockSkew: 0 }, 'expired'],
      ['issued after the revocation second', { now: issuedMs, issuedAfter: issuedMs + 999 }, true],
      ['issued before the revocation second', { now: issuedMs, issuedAfter: issuedMs + 1_000 }, 'revoked'],
      ['issued in the future, within skew', { now: issuedMs - 5_000 }, true],
      ['issued in the future, beyond skew', { now: issuedMs - 5_001 }, 'invalid'],
    ];
    for (const [maker, build] of [
      ['Node', node],
      ['WebCrypto', web],
    ] as const) {
      const sealed = await build.seal(data, { keys, now: issuedMs, ttl: 60 });
      const signed = await build.sign(data, { keys, now: issuedMs, ttl: 60 });
      for (const [label, options, expected] of cases) {
        for (const [kind, token] of [
          ['sealed', sealed],
          ['signed', signed],
        ] as const) {
          const result = await openEverywhere(kind, token, { keys, ...options });
          if (expected === true) assert.ok(result.ok, `${maker} ${kind}, ${label}: ${JSON.stringify(result)}`);
          else assert.deepEqual(result, { ok: false, reason: expected }, `${maker} ${kind}, ${label}`);
        }
      }
    }
  });

  test('arbitrary strings and non-strings: the same result on both builds, never ok', async () => {
    const keys = node.createKeyring([{ id: 'A', secret: 'y'.repeat(32) }]);
    const anyString = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 200 }),
      // Any UTF-16 code unit, lone surrogates included.
      fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)), maxLength: 100 }),
      fc
        .string({
          unit: fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'),
          maxLength: 300,
        })
        .map((b) => PREFIX + b),
      fc.uint8Array({ minLength: 14, maxLength: 120 }).map((b) => {
        // A header-shaped body: version 1, kind 1 or 2, key id "A".
        b[0] = 1;
        b[1] = (b[1]! & 1) + 1;
        b[2] = 1;
        b[3] = 0x41;
        return encodeBody(b);
      }),
      fc.nat(99).map((n) => `ss${n + 2}.AAAA`),
    );
    await fc.assert(
      fc.asyncProperty(anyString, fc.boolean(), async (token, signed) => {
        const result = await openEverywhere(signed ? 'signed' : 'sealed', token, { keys });
        assert.equal(result.ok, false);
      }),
      { numRuns: RUNS * 3 },
    );
    const fixed: Array<[unknown, UnsealFailureReason]> = [
      ['', 'malformed'],
      ['ss1.', 'malformed'],
      ['ss2.AAAA', 'unsupported-version'],
      ['ss1.' + 'A'.repeat(16_381), 'malformed'], // one character over the limit
      [null, 'malformed'],
      [42, 'malformed'],
      [{ toString: () => 'ss1.AAAA' }, 'malformed'],
    ];
    for (const [token, reason] of fixed) {
      assert.deepEqual(await openEverywhere('sealed', token, { keys }), { ok: false, reason });
      assert.deepEqual(await openEverywhere('signed', token, { keys }), { ok: false, reason });
    }
  });

  test('authentic tokens whose payload does not decode: malformed on both builds', async () => {
    const keys = node.createKeyring([{ id: 'kid', secret: 'z'.repeat(40) }]);
    const entry = keyringState(keys).current;
    const context = new TextEncoder().encode('sid');
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ maxLength: 40 }),
        fc.boolean(),
        fc.boolean(),
        async (payload, signed, craftOnWeb) => {
          // What another implementation could write: a valid envelope around an arbitrary payload.
          const runtime: CryptoRuntime = craftOnWeb ? webRuntime : nodeRuntime;
          const keyMaterial = await derivedKeys(runtime, entry);
          const header = new Uint8Array(16);
          writeHeader(header, {
            kind: signed ? Kind.Signed : Kind.Sealed,
            keyId: 'kid',
            issuedAt: 1_700_000_000,
            expiresAt: 0,
          });
          let rest: Uint8Array;
          if (signed) {
            const message = new Uint8Array([...boundData(header, context), ...payload]);
            const tag = await runtime.hmac(keyMaterial.sign, message);
            rest = new Uint8Array([...payload, ...tag]);
          } else {
            const nonce = runtime.randomBytes(NONCE_BYTES);
            rest = new Uint8Array([
              ...nonce,
              ...(await xaesSeal(runtime, keyMaterial.seal, nonce, payload, boundData(header, context))),
            ]);
          }
          const token = encodeBody(new Uint8Array([...header, ...rest]));
          const result = await openEverywhere(signed ? 'signed' : 'sealed', token, {
            keys,
            context: 'sid',
            now: 1_700_000_000_000,
          });
          const decoded = decodeMap(payload);
          if (decoded === null) assert.deepEqual(result, { ok: false, reason: 'malformed' });
          else assert.deepEqual(result.ok && result.data, decoded);
        },
      ),
      { numRuns: RUNS },
    );
  });
});

/** How a call ended: its value (any token as 'a token': nonces are random), or the class and message of what it threw. */
async function settle(run: () => unknown): Promise<{ value: unknown } | { error: string; message: string }> {
  try {
    const value = await run();
    return { value: typeof value === 'string' && value.startsWith(PREFIX) ? 'a token' : value };
  } catch (error) {
    return { error: (error as Error).constructor.name, message: (error as Error).message };
  }
}

describe('programmer errors: the same class and message on both builds and the sync API', () => {
  const keys = node.createKeyring([{ id: 'k', secret: 'w'.repeat(32) }]);
  const data = new Map([['a', 'b']]);
  const cases: Array<[string, (api: 'node' | 'web' | 'sync', bad: unknown) => unknown]> = [
    [
      'seal(data)',
      (api, bad) => (api === 'sync' ? sync.sealSync : { node, web }[api].seal)(bad as Map<string, string>, { keys }),
    ],
    [
      'sign(data)',
      (api, bad) => (api === 'sync' ? sync.signSync : { node, web }[api].sign)(bad as Map<string, string>, { keys }),
    ],
    [
      'seal(options)',
      (api, bad) => (api === 'sync' ? sync.sealSync : { node, web }[api].seal)(data, bad as SealOptions),
    ],
    [
      'seal(options.context)',
      (api, bad) => (api === 'sync' ? sync.sealSync : { node, web }[api].seal)(data, { keys, context: bad as string }),
    ],
    [
      'unseal(options)',
      (api, bad) => (api === 'sync' ? sync.unsealSync : { node, web }[api].unseal)('ss1.AAAA', bad as UnsealOptions),
    ],
    [
      'verify(options.now)',
      (api, bad) =>
        (api === 'sync' ? sync.verifySync : { node, web }[api].verify)('ss1.AAAA', { keys, now: bad as number }),
    ],
    [
      'unseal(token)',
      (api, bad) => (api === 'sync' ? sync.unsealSync : { node, web }[api].unseal)(bad as string, { keys }),
    ],
    [
      'verify(token)',
      (api, bad) => (api === 'sync' ? sync.verifySync : { node, web }[api].verify)(bad as string, { keys }),
    ],
  ];
  for (const [name, call] of cases) {
    test(`${name} with every entry of BAD_INPUTS`, async () => {
      let thrown = 0;
      for (const [label, bad] of BAD_INPUTS) {
        const fromNode = await settle(() => call('node', bad));
        assert.deepEqual(
          await settle(() => call('web', bad)),
          fromNode,
          `${name}, ${label}: WebCrypto and Node builds differ`,
        );
        assert.deepEqual(
          await settle(() => call('sync', bad)),
          fromNode,
          `${name}, ${label}: sync and async APIs differ`,
        );
        if ('error' in fromNode) {
          thrown++;
          assert.ok(['TypeError', 'RangeError'].includes(fromNode.error), `${name}, ${label}: ${fromNode.error}`);
          assert.match(fromNode.message, /expected .*, got /);
        } else if (name.endsWith('(token)')) {
          // Client input never throws: a bad token is a failure result.
          assert.equal((fromNode.value as UnsealResult).ok, false, `${name}, ${label}`);
        }
      }
      // Tokens are client input and never throw; every other argument rejects most of the catalogue.
      if (name.endsWith('(token)')) assert.equal(thrown, 0);
      else assert.ok(thrown >= 5, `${name}: only ${thrown} bad inputs rejected`);
    });
  }
});

// ---------------------------------------------------------------------------------------------
// The runtime primitives outside the crypto: base64url and randomBytes
// ---------------------------------------------------------------------------------------------

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** Both codecs decode `input` to the same thing (both null, or equal bytes); returns that. */
function decodeBoth(input: string): Uint8Array | null {
  const fromNode = nodeRuntime.decodeBase64url(input);
  const fromWeb = webRuntime.decodeBase64url(input);
  if (fromNode === null || fromWeb === null) {
    assert.equal(fromNode, fromWeb, `codecs disagree on ${JSON.stringify(input)}`);
    return null;
  }
  assert.deepEqual(new Uint8Array(fromNode), new Uint8Array(fromWeb), `codecs disagree on ${JSON.stringify(input)}`);
  return new Uint8Array(fromNode);
}

describe('base64url: the Node codec and the portable codec agree', () => {
  test('encode identically and decode their own output back, for arbitrary bytes', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.uint8Array({ maxLength: 64 }), fc.uint8Array({ minLength: 3000, maxLength: 13000 })),
        (bytes) => {
          const encoded = nodeRuntime.encodeBase64url(bytes);
          assert.equal(webRuntime.encodeBase64url(bytes), encoded);
          assert.match(encoded, /^[A-Za-z0-9_-]*$/);
          assert.notEqual(encoded.length % 4, 1);
          assert.deepEqual(decodeBoth(encoded), bytes);
        },
      ),
      { numRuns: RUNS * 3 },
    );
    // A view into a larger buffer encodes only its own bytes.
    const view = new Uint8Array([0xff, 1, 2, 3, 0xff]).subarray(1, 4);
    assert.equal(webRuntime.encodeBase64url(view), 'AQID');
    assert.equal(nodeRuntime.encodeBase64url(view), 'AQID');
  });

  test('decode arbitrary strings alike (mostly alphabet, some near-miss characters)', () => {
    const nearMiss = fc.constantFrom(
      '=',
      '+',
      '/',
      ' ',
      '\t',
      '\n',
      '.',
      '%',
      '\u0000',
      '\u00e9',
      '\u0130',
      '\uFF21',
      '\u{1F600}',
      '\uD800',
      '\uDC00',
    );
    const unit = fc.oneof({ weight: 20, arbitrary: fc.constantFrom(...ALPHABET) }, { weight: 1, arbitrary: nearMiss });
    fc.assert(
      fc.property(fc.string({ unit, maxLength: 40 }), (input) => {
        decodeBoth(input);
      }),
      { numRuns: RUNS * 10 },
    );
  });

  test('near misses of valid text are rejected by both: one character changed to =, +, /, space or non-ASCII', () => {
    const replacement = fc.constantFrom('=', '+', '/', ' ', '\u00e9', '\u0100', '\u{1F600}', '\uD800');
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 48 }), fc.nat(), replacement, (bytes, at, by) => {
        const valid = nodeRuntime.encodeBase64url(bytes);
        const index = at % valid.length;
        assert.equal(decodeBoth(valid.slice(0, index) + by + valid.slice(index + 1)), null);
        // Padding, the classic leniency, is not accepted either.
        assert.equal(decodeBoth(`${valid}=`), null);
      }),
      { numRuns: RUNS * 3 },
    );
  });

  test('lengths of 1 mod 4 are rejected by both', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...ALPHABET), maxLength: 40 }), (input) => {
        const padded = input + 'A'.repeat((5 - (input.length % 4)) % 4);
        assert.equal(padded.length % 4, 1);
        assert.equal(decodeBoth(padded), null);
      }),
      { numRuns: RUNS * 3 },
    );
  });

  test('non-canonical trailing bits are rejected by both; the canonical spelling is accepted', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 1, maxLength: 40 }).filter((b) => b.length % 3 !== 0),
        fc.integer({ min: 1, max: 15 }),
        (bytes, noise) => {
          const valid = nodeRuntime.encodeBase64url(bytes);
          // 1 byte left over: the last character carries 4 unused bits; 2 bytes: 2 unused bits.
          const unusedMask = bytes.length % 3 === 1 ? 15 : 3;
          const last = ALPHABET.indexOf(valid[valid.length - 1]!);
          assert.equal(last & unusedMask, 0);
          const bits = noise & unusedMask;
          fc.pre(bits !== 0);
          const spelled = valid.slice(0, -1) + ALPHABET[last | bits]!;
          assert.equal(decodeBoth(spelled), null);
          assert.deepEqual(decodeBoth(valid), bytes);
        },
      ),
      { numRuns: RUNS * 3 },
    );
    // By hand: "AA" is one zero byte, "AB" sets an unused bit; "AAA" two bytes, "AAB" likewise.
    assert.deepEqual(decodeBoth('AA'), new Uint8Array([0]));
    assert.equal(decodeBoth('AB'), null);
    assert.deepEqual(decodeBoth('AAA'), new Uint8Array([0, 0]));
    assert.equal(decodeBoth('AAB'), null);
    assert.deepEqual(decodeBoth(''), new Uint8Array(0));
  });
});

test('randomBytes: both runtimes return exactly the length asked for, beyond getRandomValues’ 65,536-byte quota too', () => {
  for (const length of [0, 1, 24, 32, 4096, 65_536, 65_537, 200_000]) {
    for (const runtime of [nodeRuntime, webRuntime]) {
      const bytes = runtime.randomBytes(length);
      assert.ok(bytes instanceof Uint8Array);
      assert.equal(bytes.length, length);
      // 16+ random bytes are never all zero (probability 2^-128).
      if (length >= 16) assert.ok(bytes.some((b) => b !== 0));
      // Past the first quota, checked where there are 16+ bytes to look at (one byte is zero 1 time in 256).
      if (length >= 65_536 + 16)
        assert.ok(
          bytes.subarray(65_536).some((b) => b !== 0),
          'the bytes past the first quota are random too',
        );
    }
  }
});
