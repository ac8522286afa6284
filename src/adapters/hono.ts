/**
 * sealed-session for Hono: a middleware that puts the request's session in `c.get('session')`.
 *
 * Only headers move here: the `Cookie` header goes to `readSession` before the handlers run, and
 * the lines of `commitSession` are appended to `c.res` after them, before Hono hands the response
 * to the runtime. Runs wherever Hono runs: `#core` resolves to the WebCrypto build off Node.
 *
 * @module
 */
import type { Context, MiddlewareHandler } from 'hono';
import { checkTransport, defineSession, type Session, type SessionConfig, type SessionOptions } from '#core';
import { commitNow } from '../session/commit.js';
import { readNow } from '../session/read.js';
import { isThenable } from '../async/maybe-promise.js';

// Hono's own way to type a middleware's variable everywhere (`ContextVariableMap`): with it,
// `c.get('session')` is a Session in every handler, with no `Hono<SessionEnv>` to write.
declare module 'hono' {
  interface ContextVariableMap {
    /** The request's session, from `app.use(session(options))` (sealed-session/hono). */
    session: Session;
  }
}

/** The context variables the middleware sets; merge them into your app's `Variables`. */
export interface SessionVariables {
  /** The request's session: a `Map<string, string>`, empty for a new visitor. */
  session: Session;
}

/** A Hono `Env` with the session: `new Hono<SessionEnv>()` types `c.get('session')`. */
export interface SessionEnv {
  Variables: SessionVariables;
}

/**
 * The session middleware. Options are those of `defineSession` (or its result), validated here,
 * when the middleware is made.
 *
 * Type `c.get('session')` through your app's `Env`: `new Hono<SessionEnv>()`, or with bindings
 * `new Hono<{ Bindings: Bindings; Variables: SessionVariables }>()`. The type parameter `E` takes
 * the app's `Env` from where the middleware is used, so it also fits a route's handler list.
 *
 * A store failure goes to `app.onError` (500 by default). A request whose handler fails commits
 * nothing: its half-done changes to the session are dropped.
 * @example
 * ```ts
 * import { Hono } from 'hono';
 * import { createKeyring } from 'sealed-session';
 * import { session, type SessionEnv } from 'sealed-session/hono';
 *
 * const app = new Hono<SessionEnv>();
 * app.use(session({ name: 'sid', keys: createKeyring(process.env.SESSION_KEY!) }));
 * app.get('/', (c) => c.json({ user: c.get('session').get('user') ?? null }));
 * ```
 */
export function session<E extends SessionEnv = SessionEnv>(
  options: SessionOptions | SessionConfig,
): MiddlewareHandler<E> {
  const config = defineSession(options);
  return async function sealedSession(c: Context<E>, next: () => Promise<void>) {
    // No await for a store that answers synchronously (the cookie store on node:crypto): each await
    // of a value still costs a turn of the microtask queue.
    const reading = readNow(c.req.header('cookie'), config);
    const state = isThenable(reading) ? await reading : reading;
    checkTransport(state, c.req.url, c.req.header('x-forwarded-proto'));
    c.set('session', state.session);
    await next();
    // Hono turns a handler's exception into `c.res` (app.onError) and sets `c.error`: a failed
    // request commits nothing.
    if (c.error !== undefined) return;
    const committing = commitNow(state, config);
    const lines = isThenable(committing) ? await committing : committing;
    if (lines.length === 0) return;
    // Appended straight to the finished response's headers, and only when they are immutable (a
    // `Response.redirect(…)`, a `fetch()` response passed on) answered with a copy, assigned to
    // `c.res` as Hono replaces a response. Not `c.header(…, { append: true })`: on a finished
    // response it copies the Response on every write, which measured 60 to 80 µs more CPU per
    // write on @hono/node-server (npm run bench:http). Appended, so the application's own cookies
    // stay (RFC 9110 §5.3).
    try {
      appendAll(c.res.headers, lines);
    } catch (error) {
      if (!(error instanceof TypeError)) throw error;
      c.res = new Response(c.res.body, c.res); // nothing was appended yet: the first append threw
      appendAll(c.res.headers, lines);
    }
  };
}

/** Each line as its own `Set-Cookie` header. */
function appendAll(headers: Headers, lines: readonly string[]): void {
  for (const line of lines) headers.append('set-cookie', line);
}
