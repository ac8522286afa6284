/**
 * seal / unseal / sign / verify on node:crypto against the bare-primitive floor
 * timed in the same run:
 *   seal floor   = JSON.stringify + randomBytes(12) + AES-256-GCM (createCipheriv) + base64url
 *   unseal floor = base64url decode + AES-256-GCM decrypt + JSON.parse
 *   sign floor   = JSON.stringify + HMAC-SHA256 + base64url
 *   verify floor = base64url decode + HMAC-SHA256 + timingSafeEqual + JSON.parse
 * "unsealSync, prefix not cached" opens tokens whose nonce prefix the keyring has not
 * seen (as a token sealed by another process is), so it derives the XAES subkey first
 * (src/crypto/xaes.ts): more such tokens than the subkey cache holds, opened in turn.
 * Run: npm run bench
 */
import { createCipheriv, createDecipheriv, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { createKeyring, generateKey } from 'sealed-session';
import { sealSync, signSync, unsealSync, verifySync } from 'sealed-session/sync';
import { check, report, timePairSync } from './harness.js';
import { EMPTY_SESSION, SAMPLE_SESSION, SESSION_3KB } from './fixtures.js';

const keySecret = generateKey();
const keys = createKeyring(keySecret);
const secret = randomBytes(32);
const context = 'sid';

function floorSeal(data: ReadonlyMap<string, string>): string {
  const json = JSON.stringify(Object.fromEntries(data));
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', secret, iv, { authTagLength: 16 });
  const ct = Buffer.concat([iv, cipher.update(json, 'utf8'), cipher.final(), cipher.getAuthTag()]);
  return ct.toString('base64url');
}

function floorUnseal(token: string): Map<string, string> {
  const bytes = Buffer.from(token, 'base64url');
  const decipher = createDecipheriv('aes-256-gcm', secret, bytes.subarray(0, 12), { authTagLength: 16 });
  decipher.setAuthTag(bytes.subarray(bytes.length - 16));
  const json = Buffer.concat([decipher.update(bytes.subarray(12, bytes.length - 16)), decipher.final()]).toString(
    'utf8',
  );
  return new Map(Object.entries(JSON.parse(json) as Record<string, string>));
}

function floorSign(data: ReadonlyMap<string, string>): string {
  const json = Buffer.from(JSON.stringify(Object.fromEntries(data)));
  return Buffer.concat([json, createHmac('sha256', secret).update(json).digest()]).toString('base64url');
}

function floorVerify(token: string): Map<string, string> | null {
  const bytes = Buffer.from(token, 'base64url');
  const json = bytes.subarray(0, bytes.length - 32);
  const mac = createHmac('sha256', secret).update(json).digest();
  if (!timingSafeEqual(mac, bytes.subarray(bytes.length - 32))) return null;
  return new Map(Object.entries(JSON.parse(json.toString('utf8')) as Record<string, string>));
}

/** Tokens sealed each under its own keyring of the same secret: every keyring draws its own nonce prefix. */
const STRANGERS = 2048;
function strangerTokens(data: ReadonlyMap<string, string>): () => string {
  const tokens = Array.from({ length: STRANGERS }, () => sealSync(data, { keys: createKeyring(keySecret), context }));
  let next = 0;
  return () => tokens[next++ % STRANGERS]!;
}

function same(a: ReadonlyMap<string, string>, b: ReadonlyMap<string, string> | null): boolean {
  return b !== null && a.size === b.size && [...a].every(([k, v]) => b.get(k) === v);
}

const cases = [
  ['5-entry sample', SAMPLE_SESSION],
  ['~3 KB session', SESSION_3KB],
  ['empty session', EMPTY_SESSION],
] as const;

for (const [label, data] of cases) {
  const sealed = sealSync(data, { keys, context });
  const signed = signSync(data, { keys, context });
  const floorSealed = floorSeal(data);
  const floorSigned = floorSign(data);
  // Cross-check every output before timing anything.
  const opened = unsealSync(sealed, { keys, context });
  const checkedSigned = verifySync(signed, { keys, context });
  check(opened.ok && same(data, opened.data), `${label}: unseal round trip`);
  check(checkedSigned.ok && same(data, checkedSigned.data), `${label}: verify round trip`);
  check(same(data, floorUnseal(floorSealed)) && same(data, floorVerify(floorSigned)), `${label}: floor round trips`);

  const [sealFloor, sealTime] = timePairSync(
    'floor: JSON + randomBytes(12) + GCM + base64url',
    () => floorSeal(data),
    `sealSync (${sealed.length} chars; floor ${floorSealed.length})`,
    () => sealSync(data, { keys, context }),
  );
  const [unsealFloor, unsealTime] = timePairSync(
    'floor: base64url + GCM decrypt + JSON.parse',
    () => floorUnseal(floorSealed),
    'unsealSync',
    () => unsealSync(sealed, { keys, context }),
  );
  const [signFloor, signTime] = timePairSync(
    'floor: JSON + HMAC + base64url',
    () => floorSign(data),
    `signSync (${signed.length} chars)`,
    () => signSync(data, { keys, context }),
  );
  const [verifyFloor, verifyTime] = timePairSync(
    'floor: base64url + HMAC + compare + JSON.parse',
    () => floorVerify(floorSigned),
    'verifySync',
    () => verifySync(signed, { keys, context }),
  );
  const isSample = data === SAMPLE_SESSION;
  report(`node:crypto, ${label}`, [
    { timing: sealFloor },
    { timing: sealTime, floor: sealFloor, ...(isSample ? { target: 1.0 } : {}) },
    { timing: unsealFloor },
    { timing: unsealTime, floor: unsealFloor, ...(isSample ? { target: 1.3 } : {}) },
    { timing: signFloor },
    { timing: signTime, floor: signFloor },
    { timing: verifyFloor },
    { timing: verifyTime, floor: verifyFloor },
  ]);
}

// Last, so that the thousands of keyrings made here cannot disturb the figures above.
for (const [label, data] of cases) {
  const floorSealed = floorSeal(data);
  const stranger = strangerTokens(data);
  const strangerOpened = unsealSync(stranger(), { keys, context });
  check(strangerOpened.ok && same(data, strangerOpened.data), `${label}: a token with an unseen prefix opens`);
  const [unsealFloor, strangerTime] = timePairSync(
    'floor: base64url + GCM decrypt + JSON.parse',
    () => floorUnseal(floorSealed),
    'unsealSync, nonce prefix not cached',
    () => unsealSync(stranger(), { keys, context }),
  );
  report(`node:crypto, ${label}, tokens from other processes`, [
    { timing: unsealFloor },
    { timing: strangerTime, floor: unsealFloor },
  ]);
}
