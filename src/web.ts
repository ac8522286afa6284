/**
 * sealed-session on WebCrypto: Workers, Deno, Bun, edge runtimes, browsers.
 * Uses only `globalThis.crypto`; tokens are byte-identical to the Node build's.
 */
import { bindCore, type SealedSessionCore } from './core/api.js';
import { webRuntime } from './crypto/web.js';

export { createKeyring } from './format/keyring.js';
export type { Keyring, KeyInput } from './format/keyring.js';
export type { SealOptions, UnsealOptions } from './core/options.js';
export type { UnsealResult, UnsealSuccess, UnsealFailure, UnsealFailureReason } from './core/result.js';
export type { SealedSessionCore } from './core/api.js';

const core = bindCore(webRuntime);

/** {@inheritDoc SealedSessionCore.generateKey} */
export const generateKey: SealedSessionCore['generateKey'] = core.generateKey;
/** {@inheritDoc SealedSessionCore.seal} */
export const seal: SealedSessionCore['seal'] = core.seal;
/** {@inheritDoc SealedSessionCore.unseal} */
export const unseal: SealedSessionCore['unseal'] = core.unseal;
/** {@inheritDoc SealedSessionCore.sign} */
export const sign: SealedSessionCore['sign'] = core.sign;
/** {@inheritDoc SealedSessionCore.verify} */
export const verify: SealedSessionCore['verify'] = core.verify;
