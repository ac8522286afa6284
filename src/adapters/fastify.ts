/**
 * sealed-session for Fastify 5: a plugin that gives every request a `request.session`.
 *
 * Only headers move here: the `Cookie` header goes to `readSession` in `onRequest`, and the lines of
 * `commitSession` are appended to the reply in `onSend`, Fastify's last hook before the headers are
 * written (it runs for `reply.send`, returned values, `reply.redirect` and streams alike).
 *
 * @module
 */
import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import {
  checkTransport,
  defineSession,
  type Session,
  type SessionConfig,
  type SessionOptions,
  type SessionState,
} from '#core';
import { readNow } from '../session/read.js';
import { commitNow } from '../session/commit.js';
import { isThenable } from '../async/maybe-promise.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The request's session (sealed-session): a `Map<string, string>`, empty for a new visitor. */
    session: Session;
  }
}

/** The state `onSend` commits; `null` once committed or when the request failed. Not in the public types. */
const kState = Symbol('sealed-session.state');
type Pending = FastifyRequest & { [kState]: SessionState | null };

async function plugin(app: FastifyInstance, options: SessionOptions | SessionConfig): Promise<void> {
  // Validated here, at registration: a misconfiguration fails `app.register`/`app.ready()`, not the first request.
  const config = defineSession(options);
  // Declared up front so every request object keeps one shape (Fastify's advice for decorators).
  app.decorateRequest('session');
  app.decorateRequest(kState);

  // onRequest, not preHandler: the session is there for every later hook (auth in preValidation…).
  // A store failure goes to `done` and Fastify's error handling answers it. Callback-style hooks, not
  // async ones, here and in onSend, and no promise at all when the store answers synchronously (the
  // cookie store on node:crypto): an async hook costs its own promise and one more turn of the
  // microtask queue before Fastify moves on, and the later response then costs Node's HTTP stack
  // more stream work per request (both seen in profiles under load; bench/http.ts).
  app.addHook('onRequest', (request, _reply, done) => {
    let reading: SessionState | PromiseLike<SessionState>;
    try {
      reading = readNow(request.headers.cookie, config);
      if (!isThenable(reading)) attach(request, reading);
    } catch (error) {
      return done(error as Error);
    }
    if (!isThenable(reading)) return done();
    Promise.resolve(reading).then((state) => {
      try {
        attach(request, state);
      } catch (error) {
        return done(error as Error);
      }
      done();
    }, done);
  });

  // A request that failed commits nothing: half-done changes are dropped, as in a transaction. The
  // session stays readable in the error handler.
  app.addHook('onError', async (request) => {
    (request as Pending)[kState] = null;
  });

  app.addHook('onSend', (request, reply, payload, done) => {
    const state = (request as Pending)[kState];
    if (state === null || state === undefined) return done(null, payload);
    // Cleared first: if the commit fails, Fastify's error response runs onSend again, which must not commit twice.
    (request as Pending)[kState] = null;
    let committing: readonly string[] | PromiseLike<readonly string[]>;
    try {
      committing = commitNow(state, config);
      // What the async hook's rejection did: a throw here (bad header) goes to Fastify's error handling.
      if (!isThenable(committing)) appendLines(reply, committing);
    } catch (error) {
      return done(error as Error);
    }
    if (!isThenable(committing)) return done(null, payload);
    Promise.resolve(committing).then((lines) => {
      try {
        appendLines(reply, lines);
      } catch (error) {
        return done(error as Error);
      }
      done(null, payload);
    }, done);
  });
}

/** Gives the request its session, warning once if its cookie cannot survive plain HTTP. */
function attach(request: FastifyRequest, state: SessionState): void {
  checkTransport(state, `${request.protocol}://${request.host}`, request.headers['x-forwarded-proto']);
  (request as Pending)[kState] = state;
  request.session = state.session;
}

/** Adds the session's `Set-Cookie` lines to the reply, after any the application set. */
function appendLines(reply: FastifyReply, lines: readonly string[]): void {
  if (lines.length === 0) return;
  // Fastify sends its headers with `writeHead(status, headers)`, which replaces a same-named header
  // set on `reply.raw` (by Connect middleware under @fastify/middie, say): move those over first.
  const raw = reply.raw.getHeader('set-cookie');
  if (raw !== undefined) {
    reply.raw.removeHeader('set-cookie');
    for (const line of [raw].flat()) reply.header('set-cookie', String(line));
  }
  // One line at a time: Fastify appends each `set-cookie` to those already set (RFC 9110 §5.3).
  for (const line of lines) reply.header('set-cookie', line);
}

// Non-encapsulated, as fastify-plugin would make it (without depending on it): `request.session`
// and the hooks then reach every route of the app, not just routes registered inside the plugin.
Object.defineProperties(plugin, {
  [Symbol.for('skip-override')]: { value: true },
  [Symbol.for('fastify.display-name')]: { value: 'sealed-session' },
  [Symbol.for('plugin-meta')]: { value: Object.freeze({ name: 'sealed-session', fastify: '5.x' }) },
});

/**
 * The session plugin: register it once, on the root instance, before the routes that use it.
 * Options are those of `defineSession` (or its result). `request.session` is typed by module
 * augmentation. Replies taken over with `reply.hijack()` are not answered with a cookie.
 * @example
 * ```ts
 * import Fastify from 'fastify';
 * import { createKeyring } from 'sealed-session';
 * import { session } from 'sealed-session/fastify';
 *
 * const app = Fastify();
 * await app.register(session, { name: 'sid', keys: createKeyring(process.env.SESSION_KEY!) });
 * app.get('/', async (request) => ({ visits: request.session.get('visits') ?? '0' }));
 * ```
 */
export const session: FastifyPluginAsync<SessionOptions | SessionConfig> = plugin;
