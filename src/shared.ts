/**
 * What both builds export unchanged: the runtime-neutral functions and every
 * public type. index.ts (node:crypto) and web.ts (WebCrypto) re-export this
 * module, so the two builds share one set of type declarations; only the
 * functions bound to a runtime differ between them.
 */
export { createKeyring } from './keys/keyring.js';
export { Session } from './session/session.js';
export { checkTransport } from './session/transport.js';
export { revocableStore } from './session/revocation.js';
export { StoreTimeoutError } from './session/store.js';
export { setFlash, takeFlash, FLASH_PREFIX } from './session/flash.js';

export type { Keyring, KeyInput } from './keys/keyring.js';
export type { SealOptions, UnsealOptions } from './core/options.js';
export type { UnsealResult, UnsealSuccess, UnsealFailure, UnsealFailureReason } from './core/result.js';
export type { SealedSessionCore } from './core/api.js';
export type { SessionApi } from './session/bind.js';
export type { SessionState } from './session/read.js';
export type { SessionData, SessionKey, SessionValue } from './session/session.js';
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
export type { Revocation } from './session/revocation.js';
