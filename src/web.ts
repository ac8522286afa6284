/**
 * sealed-session on WebCrypto: Workers, Deno, edge runtimes, browsers. Uses only
 * `globalThis.crypto`; tokens are byte-identical to the Node build's.
 */
import {
  bindCore,
  bindMaybeSyncCore,
  bindGenerateKey,
  bindSeal,
  bindSign,
  bindUnseal,
  bindVerify,
  type SealedSessionCore,
} from './core/api.js';
import { webRuntime } from './crypto/web.js';
import {
  bindCommitSession,
  bindCookieStore,
  bindDefaultStore,
  bindDefineSession,
  bindMemoryStore,
  bindReadSession,
  type SessionApi,
} from './session/bind.js';

export * from './shared.js';

// Every export is its own call marked pure, and nothing else runs at import: a bundler drops what a
// program does not use (`unseal` alone does not bring the session layer). Keep it that way: no
// top-level statement here may do work a bundler cannot prove unused.
const maybeSyncCore = /* @__PURE__ */ bindMaybeSyncCore(webRuntime);
const core = /* @__PURE__ */ bindCore(webRuntime);
const defaultStore = /* @__PURE__ */ bindDefaultStore(core, maybeSyncCore);

/** A new random secret for `createKeyring`: 32 bytes from the CSPRNG as base64url. Details: {@link SealedSessionCore.generateKey}. */
export const generateKey: SealedSessionCore['generateKey'] = /* @__PURE__ */ bindGenerateKey(webRuntime);
/** Encrypts and authenticates a map into a token (XAES-256-GCM). Details: {@link SealedSessionCore.seal}. */
export const seal: SealedSessionCore['seal'] = /* @__PURE__ */ bindSeal(webRuntime);
/** Opens a sealed token: a result, never a rejection, for any token. Details: {@link SealedSessionCore.unseal}. */
export const unseal: SealedSessionCore['unseal'] = /* @__PURE__ */ bindUnseal(webRuntime);
/** Authenticates a map without encrypting it (HMAC-SHA256). Details: {@link SealedSessionCore.sign}. */
export const sign: SealedSessionCore['sign'] = /* @__PURE__ */ bindSign(webRuntime);
/** Checks a signed token: a result, never a rejection, for any token. Details: {@link SealedSessionCore.verify}. */
export const verify: SealedSessionCore['verify'] = /* @__PURE__ */ bindVerify(webRuntime);
/** Validates session options once, at start-up; returns the config for `readSession` and `commitSession`. Details: {@link SessionApi.defineSession}. */
export const defineSession: SessionApi['defineSession'] = /* @__PURE__ */ bindDefineSession(defaultStore);
/** Reads a request's session from its `Cookie` header; never rejects for anything a client sends. Details: {@link SessionApi.readSession}. */
export const readSession: SessionApi['readSession'] = /* @__PURE__ */ bindReadSession(defaultStore);
/** The `Set-Cookie` values that answer a request's session (none when nothing changed). Details: {@link SessionApi.commitSession}. */
export const commitSession: SessionApi['commitSession'] = /* @__PURE__ */ bindCommitSession(defaultStore);
/** The stateless store: the session sealed (default) or signed in the cookie itself. Details: {@link SessionApi.cookieStore}. */
export const cookieStore: SessionApi['cookieStore'] = /* @__PURE__ */ bindCookieStore(core, maybeSyncCore);
/** A server-side store in this process's memory; the cookie carries a signed random id. Details: {@link SessionApi.memoryStore}. */
export const memoryStore: SessionApi['memoryStore'] = /* @__PURE__ */ bindMemoryStore(maybeSyncCore);
