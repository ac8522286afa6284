/**
 * sealed-session on WebCrypto: Workers, Deno, edge runtimes, browsers. Uses only
 * `globalThis.crypto`; tokens are byte-identical to the Node build's.
 */
import { bindCore, bindDirectCore, type SealedSessionCore } from './core/api.js';
import { webRuntime } from './crypto/web.js';
import { bindSession, type SessionApi } from './session/bind.js';

export * from './shared.js';

const direct = bindDirectCore(webRuntime);
const core = bindCore(direct);
const sessionApi = bindSession(core, direct);

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
