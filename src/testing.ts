/**
 * `sealed-session/testing`: the conformance suite a session store must pass, apart from the main
 * entry so that no application bundle carries test code. Runtime-neutral (it calls only the store
 * it is given) and free of any test framework.
 *
 * @example
 * ```ts
 * import { test } from 'node:test';
 * import { storeConformance } from 'sealed-session/testing';
 * import { memoryStore, createKeyring, generateKey } from 'sealed-session';
 * const keys = createKeyring(generateKey());
 * for (const check of storeConformance(() => memoryStore({ keys }))) test(check.name, () => check.run());
 * ```
 *
 * @module
 */
export { storeConformance } from './session/conformance.js';
export type { StoreCheck, StoreConformanceOptions } from './session/conformance.js';
