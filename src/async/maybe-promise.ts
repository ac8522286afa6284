/**
 * The one vocabulary for values that may or may not be promises. node:crypto answers
 * synchronously, WebCrypto with promises, and a session store either way; the code above them is
 * written once, as steps chained with these functions instead of `await`, so that:
 *
 * - a synchronous answer stays synchronous: Node's path (the sync API, the cookie store on
 *   node:crypto) allocates no promise and waits for no microtask turn;
 * - an asynchronous answer costs no turn beyond its own: no `async` function or `Promise.resolve`
 *   wraps a promise in a second one (each would delay every WebCrypto call's wake-up).
 *
 * No function here is named `then`: a module exporting `then` is itself a thenable, and
 * `await import()` of it would call it.
 *
 * @module
 */

/** A value, or a promise of it: what the runtimes, the core and the session layer's steps return. */
export type MaybePromise<T> = T | Promise<T>;

/**
 * Whether `value` is a promise rather than a value. A thenable check, not `instanceof Promise`: a
 * runtime may hand back promises of another realm (Next.js's edge sandbox runs our code in a `vm`
 * context while its `crypto.subtle` belongs to the outer one), and `instanceof` is false for those,
 * which sent a pending promise on as if it were bytes (issue 15: "e.subarray is not a function").
 * No value a runtime resolves to (bytes, keys, booleans, null) has a `then` method, and a store's
 * result with one could not be told from a promise by any check.
 */
export function isThenable<T>(value: T | PromiseLike<T>): value is PromiseLike<T> {
  return typeof (value as { then?: unknown } | null)?.then === 'function';
}

/**
 * `next(value)`: at once for a value, once it settles for a promise. A synchronous value never
 * becomes a promise, which is what lets one composition serve the synchronous Node API and the
 * asynchronous WebCrypto one. A promise's own `then` is called, so a promise of another realm costs
 * no extra turn; a store's promise is made one of this realm first (session/store.ts `bounded`).
 */
export function continueWith<T, U>(value: MaybePromise<T>, next: (value: T) => MaybePromise<U>): MaybePromise<U> {
  return isThenable(value) ? value.then(next) : next(value);
}

/**
 * For caches of maybe-promises (see {@link cacheMaybePromise}): once `pending` settles,
 * `resolved(value)` or `failed()`. Nothing happens for a value that is not a promise.
 */
export function whenSettled<T>(pending: MaybePromise<T>, resolved: (value: T) => void, failed: () => void): void {
  if (isThenable(pending)) pending.then(resolved, failed);
}

/** The part of a Map or WeakMap that {@link cacheMaybePromise} uses. */
export interface MaybePromiseCache<K, V> {
  get(key: K): MaybePromise<V> | undefined;
  set(key: K, value: MaybePromise<V>): unknown;
  delete(key: K): unknown;
}

/**
 * Puts `pending` in `cache` under `key`; once it settles, its value replaces it (later readers then
 * skip a microtask turn) or, if it failed, the entry goes (a failure must not stick). Either only
 * while the entry is still `pending`: a later one may have taken its place.
 */
export function cacheMaybePromise<K, V>(cache: MaybePromiseCache<K, V>, key: K, pending: MaybePromise<V>): void {
  cache.set(key, pending);
  // Not through whenSettled: a bundle that only opens tokens then leaves it out (docs/package.md).
  if (isThenable(pending))
    pending.then(
      (value) => void (cache.get(key) === pending && cache.set(key, value)),
      () => void (cache.get(key) === pending && cache.delete(key)),
    );
}

/**
 * `run(a, b, c, d)` as a promise: its value or promise resolved, its throw a rejection. This is how
 * every promise-returning entry point (seal, readSession, …) rejects rather than throws. Not an
 * async function: one would wrap `run`'s promise in a second one and cost two more turns of the
 * microtask queue; `Promise.resolve` hands a promise of this realm back as it is. The arguments are
 * passed through rather than closed over, so a call allocates no closure.
 */
export function callAsPromise<A, B, C, D, T>(
  run: (a: A, b: B, c: C, d?: D) => MaybePromise<T>,
  a: A,
  b: B,
  c: C,
  d?: D,
): Promise<T> {
  try {
    return Promise.resolve(run(a, b, c, d));
  } catch (error) {
    return Promise.reject(error);
  }
}
