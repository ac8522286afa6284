/**
 * Synchronous versions of the core, Node only (node:crypto is synchronous;
 * WebCrypto is not). Same options, same results, same tokens as the async API.
 */
import { nodeRuntime } from './crypto/node.js';
import type { SealOptions, UnsealOptions } from './core/options.js';
import type { UnsealResult } from './core/result.js';
import { sealWith, unsealWith } from './core/seal.js';
import { signWith, verifyWith } from './core/sign.js';

export type { SealOptions, UnsealOptions } from './core/options.js';
export type { UnsealResult } from './core/result.js';

/**
 * Seals a map synchronously.
 * @example
 * ```ts
 * import { sealSync } from 'sealed-session/sync';
 * const token = sealSync(new Map([['userId', '12345']]), { keys });
 * ```
 */
export function sealSync(data: ReadonlyMap<string, string>, options: SealOptions): string {
  return sealWith(nodeRuntime, data, options);
}

/**
 * Opens a sealed token synchronously. Never throws for any token.
 * @example
 * ```ts
 * const result = unsealSync(token, { keys });
 * ```
 */
export function unsealSync(token: string, options: UnsealOptions): UnsealResult {
  return unsealWith(nodeRuntime, token, options);
}

/**
 * Signs a map synchronously (authenticated, not encrypted).
 * @example
 * ```ts
 * const token = signSync(new Map([['theme', 'dark']]), { keys });
 * ```
 */
export function signSync(data: ReadonlyMap<string, string>, options: SealOptions): string {
  return signWith(nodeRuntime, data, options);
}

/**
 * Verifies a signed token synchronously. Never throws for any token.
 * @example
 * ```ts
 * const result = verifySync(token, { keys });
 * ```
 */
export function verifySync(token: string, options: UnsealOptions): UnsealResult {
  return verifyWith(nodeRuntime, token, options);
}
