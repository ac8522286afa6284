/**
 * seal / unseal / sign / verify of the WebCrypto build (src/web.ts) beside a WebCrypto
 * floor timed in the same run, in alternating batches:
 *   seal floor   = JSON.stringify + getRandomValues(12) + one subtle.encrypt (AES-256-GCM, key imported once)
 *   unseal floor = one subtle.decrypt + JSON.parse
 *   sign floor   = JSON.stringify + one subtle.sign (HMAC-SHA256, key imported once)
 *   verify floor = one subtle.verify + JSON.parse
 * The floors skip what a token needs beyond that (header, base64url, key ids, expiry), so
 * they are the least any WebCrypto-based sealer can do. Each operation is awaited before
 * the next: latency per request, not throughput. Outputs are cross-checked before timing,
 * including against the Node build, and the number of WebCrypto calls per operation is
 * counted and printed (on Node each call is a round trip through the thread pool).
 * Target (issue 3): seal of the 5-entry session <= 2.5x its floor.
 *
 * Per token the build makes one subtle call because XAES subkeys are cached by nonce
 * prefix (src/crypto/xaes.ts). A reader that meets a prefix for the first time (a token
 * sealed by another process, or one evicted from the cache) derives its subkey first:
 * "unseal, prefix not cached" opens a stream of such tokens, 4 subtle calls each.
 * Run: npx tsx bench/web.ts
 */
import * as nodeBuild from 'sealed-session';
import { createKeyring, generateKey, seal, sign, unseal, verify } from 'sealed-session/web';
import { check, report, timeAlternatingAsync } from './harness.js';
import { SAMPLE_SESSION, SESSION_3KB } from './fixtures.js';

const secret = generateKey();
const keys = createKeyring(secret);
const context = 'sid';
const encoder = new TextEncoder();
const decoder = new TextDecoder();
const rawKey = crypto.getRandomValues(new Uint8Array(32));
const gcmKey = await crypto.subtle.importKey('raw', rawKey, 'AES-GCM', false, ['encrypt', 'decrypt']);
const hmacKey = await crypto.subtle.importKey('raw', rawKey, { name: 'HMAC', hash: 'SHA-256' }, false, [
  'sign',
  'verify',
]);

interface FloorSealed {
  readonly iv: Uint8Array<ArrayBuffer>;
  readonly ciphertext: ArrayBuffer;
}
interface FloorSigned {
  readonly json: Uint8Array<ArrayBuffer>;
  readonly mac: ArrayBuffer;
}

async function floorSeal(data: ReadonlyMap<string, string>): Promise<FloorSealed> {
  const json = encoder.encode(JSON.stringify(Object.fromEntries(data)));
  const iv = crypto.getRandomValues(new Uint8Array(12));
  return { iv, ciphertext: await crypto.subtle.encrypt({ name: 'AES-GCM', iv }, gcmKey, json) };
}

/**
 * Tokens the bench's keyring has never seen a prefix of: each sealed under its own keyring
 * of the same secret (every keyring draws its own prefix), more of them than the subkey
 * cache holds, so opening them in turn misses the cache every time.
 */
const STRANGERS = 2048;
async function strangerTokens(data: ReadonlyMap<string, string>): Promise<() => string> {
  const tokens: string[] = [];
  for (let i = 0; i < STRANGERS; i++) tokens.push(await seal(data, { keys: createKeyring(secret), context }));
  let next = 0;
  return () => tokens[next++ % STRANGERS]!;
}

async function floorUnseal({ iv, ciphertext }: FloorSealed): Promise<Map<string, string>> {
  const json = await crypto.subtle.decrypt({ name: 'AES-GCM', iv }, gcmKey, ciphertext);
  return new Map(Object.entries(JSON.parse(decoder.decode(json)) as Record<string, string>));
}

async function floorSign(data: ReadonlyMap<string, string>): Promise<FloorSigned> {
  const json = encoder.encode(JSON.stringify(Object.fromEntries(data)));
  return { json, mac: await crypto.subtle.sign('HMAC', hmacKey, json) };
}

async function floorVerify({ json, mac }: FloorSigned): Promise<Map<string, string> | null> {
  if (!(await crypto.subtle.verify('HMAC', hmacKey, mac, json))) return null;
  return new Map(Object.entries(JSON.parse(decoder.decode(json)) as Record<string, string>));
}

function same(a: ReadonlyMap<string, string>, b: ReadonlyMap<string, string> | null | false): boolean {
  return b !== null && b !== false && a.size === b.size && [...a].every(([k, v]) => b.get(k) === v);
}

const SUBTLE_METHODS = [
  'encrypt',
  'decrypt',
  'sign',
  'verify',
  'importKey',
  'deriveKey',
  'deriveBits',
  'digest',
  'wrapKey',
  'unwrapKey',
] as const;

/** The WebCrypto calls one run of `fn` makes, by method (e.g. "encrypt 3, importKey 1"). */
async function subtleCalls(fn: () => Promise<unknown>): Promise<string> {
  const subtle = crypto.subtle as unknown as Record<string, (...args: unknown[]) => unknown>;
  const counts = new Map<string, number>();
  for (const method of SUBTLE_METHODS) {
    const original = subtle[method]!;
    subtle[method] = function (this: unknown, ...args: unknown[]) {
      counts.set(method, (counts.get(method) ?? 0) + 1);
      return original.apply(this, args);
    };
  }
  try {
    await fn();
  } finally {
    for (const method of SUBTLE_METHODS) delete subtle[method];
  }
  check(
    SUBTLE_METHODS.every((method) => !Object.hasOwn(subtle, method)),
    'subtle methods restored',
  );
  const total = [...counts.values()].reduce((a, b) => a + b, 0);
  return `${total} (${[...counts].map(([method, n]) => `${method} ${n}`).join(', ')})`;
}

const cases = [
  ['5-entry sample', SAMPLE_SESSION],
  ['~3 KB session', SESSION_3KB],
] as const;

const calls: Array<[string, string]> = [];

for (const [label, data] of cases) {
  const sealed = await seal(data, { keys, context });
  const signed = await sign(data, { keys, context });
  const floorSealed = await floorSeal(data);
  const floorSigned = await floorSign(data);
  // Cross-check every output before timing anything: round trips, and the Node build agrees.
  const opened = await unseal(sealed, { keys, context });
  const checkedSigned = await verify(signed, { keys, context });
  check(opened.ok && same(data, opened.data), `${label}: unseal round trip`);
  check(checkedSigned.ok && same(data, checkedSigned.data), `${label}: verify round trip`);
  const byNode = await nodeBuild.unseal(sealed, { keys, context });
  check(byNode.ok && same(data, byNode.data), `${label}: the Node build opens the WebCrypto token`);
  check(
    (await nodeBuild.sign(data, { keys, context, now: opened.issuedAt })) ===
      (await sign(data, { keys, context, now: opened.issuedAt })),
    `${label}: both builds sign identically`,
  );
  check(
    same(data, await floorUnseal(floorSealed)) && same(data, await floorVerify(floorSigned)),
    `${label}: floor round trips`,
  );

  // Keys are derived and cached by now, so these are the calls of one token.
  calls.push(
    [`${label}: seal`, await subtleCalls(() => seal(data, { keys, context }))],
    [`${label}: unseal`, await subtleCalls(() => unseal(sealed, { keys, context }))],
    [`${label}: sign`, await subtleCalls(() => sign(data, { keys, context }))],
    [`${label}: verify`, await subtleCalls(() => verify(signed, { keys, context }))],
    [`${label}: seal floor`, await subtleCalls(() => floorSeal(data))],
  );
  const [sealFloor, sealTime] = await timeAlternatingAsync([
    ['floor: JSON + getRandomValues + subtle.encrypt', () => floorSeal(data)],
    [`seal (${sealed.length} chars)`, () => seal(data, { keys, context })],
  ]);
  const [unsealFloor, unsealTime] = await timeAlternatingAsync([
    ['floor: subtle.decrypt + JSON.parse', () => floorUnseal(floorSealed)],
    ['unseal', () => unseal(sealed, { keys, context })],
  ]);
  const [signFloor, signTime] = await timeAlternatingAsync([
    ['floor: JSON + subtle.sign (HMAC)', () => floorSign(data)],
    [`sign (${signed.length} chars)`, () => sign(data, { keys, context })],
  ]);
  const [verifyFloor, verifyTime] = await timeAlternatingAsync([
    ['floor: subtle.verify (HMAC) + JSON.parse', () => floorVerify(floorSigned)],
    ['verify', () => verify(signed, { keys, context })],
  ]);
  const isSample = data === SAMPLE_SESSION;
  report(`WebCrypto build, ${label}`, [
    { timing: sealFloor },
    { timing: sealTime, floor: sealFloor, ...(isSample ? { target: 2.5 } : {}) },
    { timing: unsealFloor },
    { timing: unsealTime, floor: unsealFloor },
    { timing: signFloor },
    { timing: signTime, floor: signFloor },
    { timing: verifyFloor },
    { timing: verifyTime, floor: verifyFloor },
  ]);
}

// Last, so that the thousands of keyrings made here cannot disturb the figures above.
for (const [label, data] of cases) {
  const floorSealed = await floorSeal(data);
  const stranger = await strangerTokens(data);
  const firstStranger = await unseal(stranger(), { keys, context });
  check(firstStranger.ok && same(data, firstStranger.data), `${label}: a token with an unseen prefix opens`);
  calls.push([`${label}: unseal, prefix not cached`, await subtleCalls(() => unseal(stranger(), { keys, context }))]);
  const [unsealFloor, strangerTime] = await timeAlternatingAsync([
    ['floor: subtle.decrypt + JSON.parse', () => floorUnseal(floorSealed)],
    ['unseal, nonce prefix not cached', () => unseal(stranger(), { keys, context })],
  ]);
  report(`WebCrypto build, ${label}, tokens from other processes`, [
    { timing: unsealFloor! },
    { timing: strangerTime!, floor: unsealFloor! },
  ]);
}

console.log('\nWebCrypto calls per operation (keys already derived and cached):');
for (const [what, count] of calls) console.log(`  ${what.padEnd(32)} ${count}`);
