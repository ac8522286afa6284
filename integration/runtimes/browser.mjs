/**
 * The Chromium entry, bundled by esbuild for the browser (platform browser: `sealed-session`
 * resolves through its `default` condition, as a front-end bundler resolves it). The page calls
 * `window.sealedSessionChecks(mode, input)`. `verify` of a signed cookie in client code is a
 * documented use of signed sessions.
 */
import * as lib from 'sealed-session';
import * as web from 'sealed-session/web';
import { webRuntime } from './node_modules/sealed-session/dist/crypto/web.js';
import { openParityTokens, runChecks } from './checks.mjs';
import { vectors } from './vectors.mjs';

globalThis.sealedSessionChecks = async (mode, input) => {
  try {
    const runtime = { runtime: 'Chromium', userAgent: navigator.userAgent };
    if (mode === 'checks') return { ok: true, ...runtime, ...(await runChecks({ lib, web, primitives: webRuntime, vectors })) };
    return { ok: true, ...runtime, opened: await openParityTokens(lib, input) };
  } catch (error) {
    return { ok: false, error: String(error?.stack ?? error) };
  }
};
