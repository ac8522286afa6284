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
import {
  checkTransport,
  commitSession,
  defineSession,
  readSession,
  type Session,
  type SessionConfig,
  type SessionOptions,
} from '#core';

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
    const state = await readSession(c.req.header('cookie'), config);
    checkTransport(state, c.req.url, c.req.header('x-forwarded-proto'));
    c.set('session', state.session);
    await next();
    // Hono turns a handler's exception into `c.res` (app.onError) and sets `c.error`: a failed
    // request commits nothing.
    if (c.error !== undefined) return;
    // c.header on a finished response is Hono's way to change it: Hono copies the response first
    // when its headers may be immutable (a `Response.redirect(…)`, a `fetch()` response passed on).
    // Appended, so the application's own cookies stay (RFC 9110 §5.3).
    for (const line of await commitSession(state, config)) c.header('set-cookie', line, { append: true });
  };
}
