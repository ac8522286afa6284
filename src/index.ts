/**
 * sealed-session on Node: the core and the session layer on node:crypto.
 * Runtimes without node:crypto get `sealed-session/web` through the package
 * `exports` conditions; both builds make byte-identical tokens.
 */
import http from 'node:http';
import {
  bindCore,
  bindDirectCore,
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
const direct = /* @__PURE__ */ bindDirectCore(nodeRuntime);
const core = /* @__PURE__ */ bindCore(nodeRuntime);
const defaultStore = /* @__PURE__ */ bindDefaultStore(core, direct);
// Node refuses a request head over http.maxHeaderSize (431) before the app sees it: the session's
// cookies must leave room under it, so defineSession reads it (it follows --max-http-header-size).
const headLimit = (): number => http.maxHeaderSize;

/** {@inheritDoc SealedSessionCore.generateKey} */
export const generateKey: SealedSessionCore['generateKey'] = /* @__PURE__ */ bindGenerateKey(nodeRuntime);
/** {@inheritDoc SealedSessionCore.seal} */
export const seal: SealedSessionCore['seal'] = /* @__PURE__ */ bindSeal(nodeRuntime);
/** {@inheritDoc SealedSessionCore.unseal} */
export const unseal: SealedSessionCore['unseal'] = /* @__PURE__ */ bindUnseal(nodeRuntime);
/** {@inheritDoc SealedSessionCore.sign} */
export const sign: SealedSessionCore['sign'] = /* @__PURE__ */ bindSign(nodeRuntime);
/** {@inheritDoc SealedSessionCore.verify} */
export const verify: SealedSessionCore['verify'] = /* @__PURE__ */ bindVerify(nodeRuntime);
/** {@inheritDoc SessionApi.defineSession} */
export const defineSession: SessionApi['defineSession'] = /* @__PURE__ */ bindDefineSession(defaultStore, headLimit);
/** {@inheritDoc SessionApi.readSession} */
export const readSession: SessionApi['readSession'] = /* @__PURE__ */ bindReadSession(defaultStore, headLimit);
/** {@inheritDoc SessionApi.commitSession} */
export const commitSession: SessionApi['commitSession'] = /* @__PURE__ */ bindCommitSession(defaultStore, headLimit);
/** {@inheritDoc SessionApi.cookieStore} */
export const cookieStore: SessionApi['cookieStore'] = /* @__PURE__ */ bindCookieStore(core, direct);
/** {@inheritDoc SessionApi.memoryStore} */
export const memoryStore: SessionApi['memoryStore'] = /* @__PURE__ */ bindMemoryStore(direct);
