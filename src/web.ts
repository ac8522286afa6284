/**
 * sealed-session on WebCrypto: Workers, Deno, edge runtimes, browsers. Uses only
 * `globalThis.crypto`; tokens are byte-identical to the Node build's.
 */
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
const direct = /* @__PURE__ */ bindDirectCore(webRuntime);
const core = /* @__PURE__ */ bindCore(webRuntime);
const defaultStore = /* @__PURE__ */ bindDefaultStore(core, direct);

/** {@inheritDoc SealedSessionCore.generateKey} */
export const generateKey: SealedSessionCore['generateKey'] = /* @__PURE__ */ bindGenerateKey(webRuntime);
/** {@inheritDoc SealedSessionCore.seal} */
export const seal: SealedSessionCore['seal'] = /* @__PURE__ */ bindSeal(webRuntime);
/** {@inheritDoc SealedSessionCore.unseal} */
export const unseal: SealedSessionCore['unseal'] = /* @__PURE__ */ bindUnseal(webRuntime);
/** {@inheritDoc SealedSessionCore.sign} */
export const sign: SealedSessionCore['sign'] = /* @__PURE__ */ bindSign(webRuntime);
/** {@inheritDoc SealedSessionCore.verify} */
export const verify: SealedSessionCore['verify'] = /* @__PURE__ */ bindVerify(webRuntime);
/** {@inheritDoc SessionApi.defineSession} */
export const defineSession: SessionApi['defineSession'] = /* @__PURE__ */ bindDefineSession(defaultStore);
/** {@inheritDoc SessionApi.readSession} */
export const readSession: SessionApi['readSession'] = /* @__PURE__ */ bindReadSession(defaultStore);
/** {@inheritDoc SessionApi.commitSession} */
export const commitSession: SessionApi['commitSession'] = /* @__PURE__ */ bindCommitSession(defaultStore);
/** {@inheritDoc SessionApi.cookieStore} */
export const cookieStore: SessionApi['cookieStore'] = /* @__PURE__ */ bindCookieStore(core, direct);
/** {@inheritDoc SessionApi.memoryStore} */
export const memoryStore: SessionApi['memoryStore'] = /* @__PURE__ */ bindMemoryStore(direct);
