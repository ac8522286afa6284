/**
 * sealed-session on Node: the core and the session layer on node:crypto.
 * Runtimes without node:crypto get `sealed-session/web` through the package
 * `exports` conditions; both builds make byte-identical tokens.
 */
import http from 'node:http';
import { bindCore, bindDirectCore, type SealedSessionCore } from './core/api.js';
import { nodeRuntime } from './crypto/node.js';
import { bindSession, type SessionApi } from './session/bind.js';

export * from './shared.js';

const direct = bindDirectCore(nodeRuntime);
const core = bindCore(direct);
// Node refuses a request head over http.maxHeaderSize (431) before the app sees it: the session's
// cookies must leave room under it, so defineSession reads it (it follows --max-http-header-size).
const sessionApi = bindSession(core, direct, () => http.maxHeaderSize);

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
