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

// ---------------------------------------------------------------------------------------------
// Sessions (src/session): the runtime-neutral session layer; its stores bound to this build's core.
// ---------------------------------------------------------------------------------------------
import { bindSession, type SessionApi } from './session/bind.js';

export { Session } from './session/session.js';
export { storeConformance } from './session/conformance.js';
export type { SessionState } from './session/read.js';
export type { SessionOptions, SessionConfig, SessionCookieOptions } from './session/options.js';
export type {
  SessionStore,
  StoreContext,
  SaveContext,
  StoreSetup,
  StoreLoadResult,
  StoreLoadSuccess,
  StoreLoadFailure,
  SessionInvalidReason,
} from './session/store.js';
export type { CookieStoreOptions } from './session/cookie-store.js';
export type { MemoryStore, MemoryStoreOptions } from './session/memory-store.js';
export type { SessionApi } from './session/bind.js';
export type { StoreCheck, StoreConformanceOptions } from './session/conformance.js';

const sessionApi = bindSession(core);

/** {@inheritDoc SessionApi.defineSession} */
export const defineSession: SessionApi['defineSession'] = sessionApi.defineSession;
/** {@inheritDoc SessionApi.readSession} */
export const readSession: SessionApi['readSession'] = sessionApi.readSession;
/** {@inheritDoc SessionApi.commitSession} */
export const commitSession: SessionApi['commitSession'] = sessionApi.commitSession;
/** {@inheritDoc SessionApi.cookieStore} */
export const cookieStore: SessionApi['cookieStore'] = sessionApi.cookieStore;
/** {@inheritDoc SessionApi.memoryStore} */
export const memoryStore: SessionApi['memoryStore'] = sessionApi.memoryStore;
