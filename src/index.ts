/**
 * sealed-session on Node: the core and the session layer on node:crypto.
 * Runtimes without node:crypto get `sealed-session/web` through the package
 * `exports` conditions; both builds make byte-identical tokens.
 */
import http from 'node:http';
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
import { nodeRuntime } from './crypto/node.js';
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
const maybeSyncCore = /* @__PURE__ */ bindMaybeSyncCore(nodeRuntime);
const core = /* @__PURE__ */ bindCore(nodeRuntime);
const defaultStore = /* @__PURE__ */ bindDefaultStore(core, maybeSyncCore);
// Node refuses a request head over http.maxHeaderSize (431) before the app sees it: the session's
// cookies must leave room under it, so defineSession reads it (it follows --max-http-header-size).
const headLimit = (): number => http.maxHeaderSize;

/** A new random secret for `createKeyring`: 32 bytes from the CSPRNG as base64url. Details: {@link SealedSessionCore.generateKey}. */
export const generateKey: SealedSessionCore['generateKey'] = /* @__PURE__ */ bindGenerateKey(nodeRuntime);
/** Encrypts and authenticates a map into a token (XAES-256-GCM). Details: {@link SealedSessionCore.seal}. */
export const seal: SealedSessionCore['seal'] = /* @__PURE__ */ bindSeal(nodeRuntime);
/** Opens a sealed token: a result, never a rejection, for any token. Details: {@link SealedSessionCore.unseal}. */
export const unseal: SealedSessionCore['unseal'] = /* @__PURE__ */ bindUnseal(nodeRuntime);
/** Authenticates a map without encrypting it (HMAC-SHA256). Details: {@link SealedSessionCore.sign}. */
export const sign: SealedSessionCore['sign'] = /* @__PURE__ */ bindSign(nodeRuntime);
/** Checks a signed token: a result, never a rejection, for any token. Details: {@link SealedSessionCore.verify}. */
export const verify: SealedSessionCore['verify'] = /* @__PURE__ */ bindVerify(nodeRuntime);
/** Validates session options once, at start-up; returns the config for `readSession` and `commitSession`. Details: {@link SessionApi.defineSession}. */
export const defineSession: SessionApi['defineSession'] = /* @__PURE__ */ bindDefineSession(defaultStore, headLimit);
/** Reads a request's session from its `Cookie` header; never rejects for anything a client sends. Details: {@link SessionApi.readSession}. */
export const readSession: SessionApi['readSession'] = /* @__PURE__ */ bindReadSession(defaultStore, headLimit);
/** The `Set-Cookie` values that answer a request's session (none when nothing changed). Details: {@link SessionApi.commitSession}. */
export const commitSession: SessionApi['commitSession'] = /* @__PURE__ */ bindCommitSession(defaultStore, headLimit);
/** The stateless store: the session sealed (default) or signed in the cookie itself. Details: {@link SessionApi.cookieStore}. */
export const cookieStore: SessionApi['cookieStore'] = /* @__PURE__ */ bindCookieStore(core, maybeSyncCore);
/** A server-side store in this process's memory; the cookie carries a signed random id. Details: {@link SessionApi.memoryStore}. */
export const memoryStore: SessionApi['memoryStore'] = /* @__PURE__ */ bindMemoryStore(maybeSyncCore);
