/**
 * sealed-session for Express 4 and 5, and Connect: `app.use(session(options))`, then `req.session`.
 *
 * Express's request and response are Node's `IncomingMessage` and `ServerResponse`, and Express has
 * no hook that runs before the headers are sent and can await an async store; so this adapter is the
 * `node:http` one ({@link attachSession}) with Express's error handling: a store failure goes to
 * `next(error)`. It needs no type from Express itself, so Connect and Express 4 users need no
 * `@types/express`.
 *
 * @module
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { defineSession, type Session, type SessionConfig, type SessionOptions } from '#core';
import { attachSession } from './http.js';

declare global {
  // Express's own declarations merge into this namespace (@types/express-serve-static-core): this is
  // how `req.session` gets its type in every handler, with no generic to repeat.
  namespace Express {
    interface Request {
      /** The request's session, from `app.use(session(options))` (sealed-session/express). */
      session: Session;
    }
  }
}

/** A Connect/Express middleware: `(req, res, next)`. */
export type SessionMiddleware = (req: IncomingMessage, res: ServerResponse, next: (error?: unknown) => void) => void;

/**
 * The session middleware. Put it before the routes that use `req.session`. Options are validated
 * here, once: a mistake throws at start-up, not on the first request.
 *
 * The cookie is committed when the response is first written (`res.end`, `res.write`,
 * `res.writeHead` or `res.flushHeaders`, so also `res.json`, `res.redirect`, `res.sendFile`…),
 * and its `Set-Cookie` lines are appended to any the app set (`res.cookie`). A store that fails
 * to load or save goes to `next(error)`: your error handler, or Express's 500.
 * @throws TypeError or RangeError for bad options, naming the option.
 * @example
 * ```ts
 * import express from 'express';
 * import { createKeyring } from 'sealed-session';
 * import { session } from 'sealed-session/express';
 *
 * const app = express();
 * app.use(session({ name: '__Host-sid', keys: createKeyring(process.env.SESSION_KEY!) }));
 * app.get('/', (req, res) => {
 *   const visits = Number(req.session.get('visits') ?? 0) + 1;
 *   req.session.set('visits', String(visits));
 *   res.send(`visit ${visits}`);
 * });
 * ```
 */
export function session(options: SessionOptions | SessionConfig): SessionMiddleware {
  const config = defineSession(options);
  return (req, res, next) => {
    // `next` twice is how Connect and Express take a late error: a commit failure arrives after the
    // routes ran, and the router continues from there to the error handlers.
    attachSession(req, res, config, next).then((session) => {
      (req as IncomingMessage & { session: Session }).session = session;
      next();
    }, next);
  };
}
