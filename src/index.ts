/**
 * sealed-session on Node: the core on node:crypto. Runtimes without node:crypto
 * get `sealed-session/web` through the package `exports` conditions.
 */
import { bindCore, type SealedSessionCore } from './core/api.js';
import { nodeRuntime } from './crypto/node.js';

export { createKeyring } from './format/keyring.js';
export type { Keyring, KeyInput } from './format/keyring.js';
export type { SealOptions, UnsealOptions } from './core/options.js';
export type { UnsealResult, UnsealSuccess, UnsealFailure, UnsealFailureReason } from './core/result.js';
export type { SealedSessionCore } from './core/api.js';

const core = bindCore(nodeRuntime);

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
