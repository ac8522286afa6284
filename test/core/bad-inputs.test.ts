/** The BAD_INPUTS catalogue (STYLE.md §8) against every public function of the core. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as node from '../../src/index.js';
import * as web from '../../src/web.js';
import * as sync from '../../src/sync.js';
import { BAD_INPUTS, SAMPLE_SESSION, SECRET_A } from '../helpers.js';

const keys = node.createKeyring(SECRET_A);
const isProgrammerError = (error: unknown) => error instanceof TypeError || error instanceof RangeError;

for (const [build, api] of [
  ['node', node],
  ['web', web],
] as const) {
  test(`${build}: seal and sign reject anything but a Map of well-formed strings with TypeError`, async () => {
    for (const [label, value] of BAD_INPUTS) {
      await assert.rejects(
        api.seal(value as Map<string, string>, { keys }),
        { name: 'TypeError', message: /^data: expected a Map<string, string>, got / },
        label,
      );
      await assert.rejects(
        api.sign(value as Map<string, string>, { keys }),
        { name: 'TypeError', message: /^data: expected a Map<string, string>, got / },
        label,
      );
      if (label !== 'an empty string')
        await assert.rejects(
          api.seal(new Map([['k', value as string]]), { keys }),
          isProgrammerError,
          `value: ${label}`,
        );
    }
  });

  test(`${build}: unseal and verify give a result for any token, never an exception`, async () => {
    for (const [label, value] of BAD_INPUTS) {
      assert.deepEqual(await api.unseal(value as string, { keys }), { ok: false, reason: 'malformed' }, label);
      assert.deepEqual(await api.verify(value as string, { keys }), { ok: false, reason: 'malformed' }, label);
    }
  });

  test(`${build}: bad options throw TypeError or RangeError that name the option`, async () => {
    const token = await api.seal(SAMPLE_SESSION, { keys });
    for (const [label, value] of BAD_INPUTS) {
      await assert.rejects(
        api.seal(SAMPLE_SESSION, value as { keys: typeof keys }),
        isProgrammerError,
        `options: ${label}`,
      );
      await assert.rejects(
        api.unseal(token, { keys: value } as { keys: typeof keys }),
        { name: 'TypeError', message: /^options\.keys: expected a keyring/ },
        `keys: ${label}`,
      );
      // 42 is a fine clock, skew and ttl, and '' a fine context: the catalogue checks everything else.
      if (value === undefined) continue;
      if (value !== 42)
        await assert.rejects(
          api.seal(SAMPLE_SESSION, { keys, now: value as number }),
          { message: /^options\.now: expected ms since the epoch/ },
          `now: ${label}`,
        );
      if (value !== '')
        await assert.rejects(
          api.seal(SAMPLE_SESSION, { keys, context: value as string }),
          { message: /^options\.context: expected/ },
          `context: ${label}`,
        );
      if (value !== 42)
        await assert.rejects(
          api.unseal(token, { keys, clockSkew: value as number }),
          { message: /^options\.clockSkew: expected seconds from 0 to 60/ },
          `clockSkew: ${label}`,
        );
      if (value !== 42 && value !== Infinity)
        await assert.rejects(
          api.seal(SAMPLE_SESSION, { keys, ttl: value as number }),
          { name: 'RangeError', message: /^options\.ttl: expected a positive whole number of seconds or Infinity/ },
          `ttl: ${label}`,
        );
    }
    await assert.rejects(api.seal(SAMPLE_SESSION, { keys, ttl: 0 }), { name: 'RangeError', message: /options\.ttl/ });
    await assert.rejects(api.seal(SAMPLE_SESSION, { keys, ttl: 1.5 }), { name: 'RangeError', message: /options\.ttl/ });
    await assert.rejects(api.seal(SAMPLE_SESSION, { keys, ttl: 2 ** 41 }), {
      name: 'RangeError',
      message: /below 2\^40 seconds/,
    });
    await assert.rejects(api.unseal(token, { keys, clockSkew: 61 }), { name: 'RangeError', message: /got number 61/ });
    await assert.rejects(api.unseal(token, { keys, issuedAfter: 'yesterday' as unknown as number }), {
      name: 'TypeError',
      message: /options\.issuedAfter/,
    });
    await assert.rejects(api.seal(SAMPLE_SESSION, { keys, context: 'x'.repeat(1025) }), {
      name: 'RangeError',
      message: /at most 1024 UTF-8 bytes, got 1025/,
    });
    await assert.rejects(api.seal(SAMPLE_SESSION, { keys, now: -1 }), { name: 'RangeError', message: /got number -1/ });
  });
}

test('sync: the same contract, synchronously', () => {
  for (const [label, value] of BAD_INPUTS) {
    assert.throws(() => sync.sealSync(value as Map<string, string>, { keys }), TypeError, label);
    assert.throws(() => sync.signSync(value as Map<string, string>, { keys }), TypeError, label);
    assert.deepEqual(sync.unsealSync(value as string, { keys }), { ok: false, reason: 'malformed' }, label);
    assert.deepEqual(sync.verifySync(value as string, { keys }), { ok: false, reason: 'malformed' }, label);
  }
  assert.throws(() => sync.unsealSync('x', undefined as unknown as { keys: typeof keys }), {
    name: 'TypeError',
    message: /^options: expected an object with at least \{ keys \}, got undefined/,
  });
});
