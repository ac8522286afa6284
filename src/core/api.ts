/**
 * The public core bound to one runtime. Both builds (index.ts on node:crypto,
 * web.ts on WebCrypto) are made by these binders, so their documentation,
 * types and behaviour cannot drift apart; only the runtime differs.
 */
import { encodeBase64url } from '../format/base64url.js';
import { callAsPromise, type MaybePromise } from '../async/maybe-promise.js';
import type { CryptoRuntime } from '../crypto/runtime.js';
import type { SealOptions, UnsealOptions } from './options.js';
import type { UnsealResult } from './result.js';
import { sealWith, unsealWith } from './seal.js';
import { signWith, verifyWith } from './sign.js';

/** The asynchronous core API, identical in every build. */
export interface SealedSessionCore {
  /**
   * A new random secret: 32 bytes from the CSPRNG as base64url (43 characters),
   * usable directly as a secret for `createKeyring`.
   * @example
   * ```ts
   * const keys = createKeyring(generateKey());
   * ```
   */
  generateKey(): string;
  /**
   * Encrypts and authenticates a map (XAES-256-GCM: AES-256-GCM with 192-bit nonces).
   * @throws TypeError for data that is not a Map of well-formed strings or for bad options;
   *   RangeError when the token would exceed 16384 characters.
   * @example
   * ```ts
   * const token = await seal(new Map([['userId', '12345']]), { keys, context: 'sid' });
   * ```
   */
  seal(data: ReadonlyMap<string, string>, options: SealOptions): Promise<string>;
  /**
   * Opens a sealed token. Never rejects for any token; only bad options reject.
   * @example
   * ```ts
   * const result = await unseal(token, { keys, context: 'sid' });
   * if (result.ok) console.log(result.data.get('userId'));
   * else console.log(result.reason); // 'malformed' | 'invalid' | 'expired' | ...
   * ```
   */
  unseal(token: string, options: UnsealOptions): Promise<UnsealResult>;
  /**
   * Authenticates a map without encrypting it (HMAC-SHA256): anyone can read
   * the data, nobody without the key can change it.
   * @example
   * ```ts
   * const token = await sign(new Map([['theme', 'dark']]), { keys, context: 'prefs' });
   * ```
   */
  sign(data: ReadonlyMap<string, string>, options: SealOptions): Promise<string>;
  /**
   * Checks a signed token. Never rejects for any token; only bad options reject.
   * @example
   * ```ts
   * const result = await verify(token, { keys, context: 'prefs' });
   * ```
   */
  verify(token: string, options: UnsealOptions): Promise<UnsealResult>;
}

/**
 * The core as the session layer's stores call it: the same functions without the promise wrapper,
 * so synchronous on node:crypto (one promise less on every request) and promises on WebCrypto.
 * Programmer errors throw instead of rejecting; the stores' callers await them either way.
 */
export interface MaybeSyncCore {
  generateKey(): string;
  seal(data: ReadonlyMap<string, string>, options: SealOptions): MaybePromise<string>;
  /** `into`: an empty map the data is decoded into (the session layer passes the request's session). */
  unseal(token: string, options: UnsealOptions, into?: Map<string, string>): MaybePromise<UnsealResult>;
  sign(data: ReadonlyMap<string, string>, options: SealOptions): MaybePromise<string>;
  verify(token: string, options: UnsealOptions, into?: Map<string, string>): MaybePromise<UnsealResult>;
}

/** {@link MaybeSyncCore} on one runtime. */
export function bindMaybeSyncCore(runtime: CryptoRuntime): MaybeSyncCore {
  return Object.freeze({
    generateKey: bindGenerateKey(runtime),
    seal: (data: ReadonlyMap<string, string>, options: SealOptions) => sealWith(runtime, data, options),
    unseal: (token: string, options: UnsealOptions, into?: Map<string, string>) =>
      unsealWith(runtime, token, options, into),
    sign: (data: ReadonlyMap<string, string>, options: SealOptions) => signWith(runtime, data, options),
    verify: (token: string, options: UnsealOptions, into?: Map<string, string>) =>
      verifyWith(runtime, token, options, into),
  });
}

/** The public core as one object, for the session layer's stores (their own seal/unseal methods return promises). */
export function bindCore(runtime: CryptoRuntime): SealedSessionCore {
  return Object.freeze({
    generateKey: bindGenerateKey(runtime),
    seal: bindSeal(runtime),
    unseal: bindUnseal(runtime),
    sign: bindSign(runtime),
    verify: bindVerify(runtime),
  });
}

// One binder per public function, so a build entry can export each as its own pure call
// (`/* @__PURE__ */ bindUnseal(webRuntime)`): a bundler then keeps only the functions a program
// imports, where one object holding all five would keep all five (and their code) for any of them.

/** {@link SealedSessionCore.generateKey} on one runtime. */
export function bindGenerateKey(runtime: CryptoRuntime): SealedSessionCore['generateKey'] {
  return () => encodeBase64url(runtime.randomBytes(32));
}

/** {@link SealedSessionCore.seal} on one runtime: every result a promise, every programmer error a rejection. */
export function bindSeal(runtime: CryptoRuntime): SealedSessionCore['seal'] {
  return (data, options) => callAsPromise(sealWith, runtime, data, options);
}

/** {@link SealedSessionCore.unseal} on one runtime. */
export function bindUnseal(runtime: CryptoRuntime): SealedSessionCore['unseal'] {
  return (token, options) => callAsPromise(unsealWith, runtime, token, options);
}

/** {@link SealedSessionCore.sign} on one runtime. */
export function bindSign(runtime: CryptoRuntime): SealedSessionCore['sign'] {
  return (data, options) => callAsPromise(signWith, runtime, data, options);
}

/** {@link SealedSessionCore.verify} on one runtime. */
export function bindVerify(runtime: CryptoRuntime): SealedSessionCore['verify'] {
  return (token, options) => callAsPromise(verifyWith, runtime, token, options);
}
