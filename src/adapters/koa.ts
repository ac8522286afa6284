/**
 * sealed-session for Koa: a middleware that gives every request a `ctx.session`.
 *
 * Only headers move here: the `Cookie` header goes to `readSession` before the downstream
 * middleware runs, and the lines of `commitSession` are appended after it. Koa writes the headers
 * only once the whole middleware stack has returned, so "after `await next()`" is before the
 * headers go out, for streamed bodies too.
 *
 * @module
 */
import type { Middleware } from 'koa';
import { checkTransport, defineSession, type Session, type SessionConfig, type SessionOptions } from '#core';
import { commitNow } from '../session/commit.js';
import { readNow } from '../session/read.js';
import { isThenable } from '../async/maybe-promise.js';

declare module 'koa' {
  // DefaultContext is the interface @types/koa documents for augmentation: it types `ctx` in
  // `app.use((ctx) => …)`, `Koa.Context` and routers built on the default context.
  interface DefaultContext {
    /** The request's session (sealed-session): a `Map<string, string>`, empty for a new visitor. */
    session: Session;
  }
}

/**
 * The session middleware. Options are those of `defineSession` (or its result), validated here,
 * when the middleware is made. Put it before the middleware that uses `ctx.session`.
 *
 * A store failure rejects into Koa's error handling (500 by default). A request whose downstream
 * middleware throws commits nothing: Koa drops the headers of a failed response anyway, and its
 * half-done changes to the session are dropped with them. With `ctx.respond = false` the
 * application writes the response itself, and the cookie cannot be sent.
 * @example
 * ```ts
 * import Koa from 'koa';
 * import { createKeyring } from 'sealed-session';
 * import { session } from 'sealed-session/koa';
 *
 * const app = new Koa();
 * app.use(session({ name: 'sid', keys: createKeyring(process.env.SESSION_KEY!) }));
 * app.use((ctx) => {
 *   ctx.session.set('visits', String(Number(ctx.session.get('visits') ?? 0) + 1));
 *   ctx.body = { visits: ctx.session.get('visits') };
 * });
 * ```
 */
export function session(options: SessionOptions | SessionConfig): Middleware {
  const config = defineSession(options);
  return async function sealedSession(ctx, next) {
    // ctx.get gives '' for a missing header: readSession reads that as "no cookie".
    // No await for a store that answers synchronously (the cookie store on node:crypto): each await
    // of a value still costs a turn of the microtask queue.
    const reading = readNow(ctx.get('cookie'), config);
    const state = isThenable(reading) ? await reading : reading;
    checkTransport(state, `${ctx.protocol}://${ctx.host}`, ctx.get('x-forwarded-proto'));
    ctx.session = state.session;
    await next();
    const committing = commitNow(state, config);
    const lines = isThenable(committing) ? await committing : committing;
    // append, not set: Set-Cookie lines from ctx.cookies.set or other middleware stay (RFC 9110 §5.3).
    if (lines.length > 0) ctx.append('set-cookie', lines);
  };
}
