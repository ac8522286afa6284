/**
 * The maybe-promise vocabulary: a value stays a value (Node's synchronous path allocates no
 * promise), a promise is waited for, and a promise-returning entry point rejects rather than
 * throws. Promises of another realm: test/crypto/cross-realm.test.ts.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { callAsPromise, continueWith, isThenable, whenSettled } from '../../src/async/maybe-promise.js';

test('continueWith runs next at once on a value and returns its value, not a promise', () => {
  const seen: number[] = [];
  const result = continueWith(2, (value) => {
    seen.push(value);
    return value * 3;
  });
  assert.equal(result, 6);
  assert.deepEqual(seen, [2]);
});

test('continueWith waits for a promise, and a throw in next becomes its rejection', async () => {
  const seen: number[] = [];
  const result = continueWith(Promise.resolve(2), (value) => {
    seen.push(value);
    return value * 3;
  });
  assert.equal(isThenable(result), true);
  assert.deepEqual(seen, [], 'next must not run before the promise settles');
  assert.equal(await result, 6);
  await assert.rejects(
    continueWith(Promise.resolve(1), () => {
      throw new RangeError('step');
    }),
    { name: 'RangeError', message: 'step' },
  );
});

test('whenSettled does nothing for a value, and reports a promise once it settles', async () => {
  const outcomes: string[] = [];
  whenSettled(
    'key',
    () => outcomes.push('resolved'),
    () => outcomes.push('failed'),
  );
  assert.equal(outcomes.length, 0, 'nothing to report for a value');
  whenSettled(
    Promise.resolve('key'),
    (value) => outcomes.push(`resolved ${value}`),
    () => outcomes.push('failed'),
  );
  whenSettled(
    Promise.reject(new Error('no')),
    () => outcomes.push('resolved'),
    () => outcomes.push('failed'),
  );
  await new Promise((resolve) => setImmediate(resolve));
  assert.deepEqual(outcomes.sort(), ['failed', 'resolved key']);
});

test('callAsPromise passes its arguments, and turns a value into a promise and a throw into a rejection', async () => {
  const add = (a: number, b: number, c: number, d = 0) => a + b + c + d;
  const sum = callAsPromise(add, 1, 2, 3, 4);
  assert.ok(sum instanceof Promise);
  assert.equal(await sum, 10);
  assert.equal(await callAsPromise(add, 1, 2, 3), 6);
  const failing = (message: string) => {
    throw new TypeError(message);
  };
  let rejected: Promise<never> | undefined;
  assert.doesNotThrow(() => {
    rejected = callAsPromise(failing, 'options: expected X, got Y', undefined, undefined, undefined);
  });
  await assert.rejects(rejected!, { name: 'TypeError', message: 'options: expected X, got Y' });
});

test('callAsPromise hands back the promise run returned, not a second one wrapping it (no extra turn)', async () => {
  const pending = Promise.resolve('token');
  assert.equal(
    callAsPromise(() => pending, undefined, undefined, undefined, undefined),
    pending,
  );
  assert.equal(await pending, 'token');
});
