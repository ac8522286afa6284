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
import { isThenable } from '../async/maybe-promise.js';
import { attach, discardSessionChanges } from './http.js';

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
 *
 * Failed requests: a response with a 5xx status saves none of the session's changes, so a route
 * that granted `role=admin` and then threw (Express answers 500) does not send the grant. Express
 * gives earlier middleware no sight of a route's error, so an error answered with a status below
 * 500 keeps the changes unless {@link discardSessionOnError} sits before that error handler.
 * A change made after the response head was written throws a TypeError: it could not be sent.
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
    // routes ran, and the router continues from there to the error handlers. No promise on the
    // common path: with a store that answers synchronously (the cookie store on node:crypto) the
    // routes run at once, as after any synchronous middleware.
    let session: Session | PromiseLike<Session>;
    try {
      session = attach(req, res, config, next);
    } catch (error) {
      return next(error);
    }
    if (isThenable(session)) {
      Promise.resolve(session).then((opened) => {
        (req as IncomingMessage & { session: Session }).session = opened;
        next();
      }, next);
      return;
    }
    (req as IncomingMessage & { session: Session }).session = session;
    next();
  };
}

/** A Connect/Express error middleware: `(error, req, res, next)`. */
export type SessionErrorMiddleware = (
  error: unknown,
  req: IncomingMessage,
  res: ServerResponse,
  next: (error?: unknown) => void,
) => void;

/**
 * An error middleware that drops the session changes of any request that failed, then passes the
 * error on. Put it after your routes and before your error handlers. Without it only 5xx answers
 * drop them (see {@link session}); with it, so do errors your handlers answer with a 4xx.
 * @example
 * ```ts
 * import express from 'express';
 * import { createKeyring } from 'sealed-session';
 * import { session, discardSessionOnError } from 'sealed-session/express';
 *
 * const app = express();
 * app.use(session({ name: '__Host-sid', keys: createKeyring(process.env.SESSION_KEY!) }));
 * app.post('/promote', (req) => {
 *   req.session.set('role', 'admin');
 *   throw new Error('the audit log is down'); // the grant is not saved
 * });
 * app.use(discardSessionOnError());
 * app.use((error: unknown, req: express.Request, res: express.Response, next: express.NextFunction) => {
 *   res.status(400).send('could not promote');
 * });
 * ```
 */
export function discardSessionOnError(): SessionErrorMiddleware {
  return (error, _req, res, next) => {
    discardSessionChanges(res);
    next(error);
  };
}
