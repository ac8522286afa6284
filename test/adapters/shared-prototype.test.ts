/**
 * src/adapters/shared-prototype.ts: which prototype a hook can live on (the one an Express copy's
 * apps share), and when it cannot (the adapter then adds its wrappers to the object itself).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { canDefineMethods, sharedPrototypeAbove } from '../../src/adapters/shared-prototype.js';

test('sharedPrototypeAbove finds the object right above the base, however deep, and nothing otherwise', () => {
  const base = {};
  const shared = Object.create(base) as object; // Express's `response`
  const app = Object.create(shared) as object; // an app's `app.response`
  assert.equal(sharedPrototypeAbove(Object.create(app) as object, base), shared);
  assert.equal(sharedPrototypeAbove(Object.create(shared) as object, base), shared);
  assert.equal(sharedPrototypeAbove(Object.create(base) as object, base), undefined); // plain Node
  assert.equal(sharedPrototypeAbove(Object.create(app) as object, {}), undefined); // base not in the chain
  assert.equal(sharedPrototypeAbove(Object.create(null) as object, base), undefined);
});

test('canDefineMethods: an extensible object whose own properties of those names are configurable functions', () => {
  const names = ['end', 'write'];
  assert.equal(canDefineMethods({}, names), true);
  assert.equal(canDefineMethods({ end() {} }, names), true);
  assert.equal(canDefineMethods(Object.preventExtensions({}), names), false);
  assert.equal(canDefineMethods(Object.freeze({ end() {} }), names), false);
  assert.equal(canDefineMethods(Object.defineProperty({}, 'end', { value() {}, configurable: false }), names), false);
  assert.equal(
    canDefineMethods(Object.defineProperty({}, 'write', { get: () => () => {}, configurable: true }), names),
    false,
  );
  assert.equal(canDefineMethods({ end: 'not a function' }, names), false);
});
