/**
 * The core reads its options as own properties only (src/core/options.ts): a polluted
 * Object.prototype must not supply `now`, `ttl`, `context`, `clockSkew` or `issuedAfter`.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createKeyring, seal, sign, unseal, verify } from '../../src/index.js';
import { parseToken } from '../../src/format/token.js';
import { nodeRuntime } from '../../src/crypto/node.js';
import { SECRET_A, withPollutedPrototype } from '../helpers.js';

const keys = createKeyring(SECRET_A);
const data = new Map([['role', 'user']]);
const DAY = 86_400;

for (const [name, make, open] of [
  ['seal/unseal', seal, unseal],
  ['sign/verify', sign, verify],
] as const) {
  test(`${name}: a polluted now does not let an expired token through`, async () => {
    const issued = Date.now() - 10 * DAY * 1000;
    const token = await make(data, { keys, ttl: 60, now: issued });
    const result = await withPollutedPrototype({ now: issued }, () => open(token, { keys }));
    assert.deepEqual(result, { ok: false, reason: 'expired' });
  });

  test(`${name}: a polluted ttl does not make tokens that outlive the default 7 days`, async () => {
    const token = await withPollutedPrototype({ ttl: 2 ** 37 }, () => make(data, { keys }));
    const parsed = parseToken(nodeRuntime, token);
    assert.ok(typeof parsed === 'object');
    assert.equal(parsed.expiresAt - parsed.issuedAt, 7 * DAY);
  });

  test(`${name}: a polluted context, clockSkew or issuedAfter is ignored`, async () => {
    const token = await make(data, { keys });
    const result = await withPollutedPrototype(
      { context: 'other', clockSkew: 'x', issuedAfter: Date.now() + 60_000 },
      () => open(token, { keys }),
    );
    assert.equal(result.ok, true);
  });
}
