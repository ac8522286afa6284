/**
 * sealed-session for Node's own server (`node:http`): the request's `Cookie` header in, `Set-Cookie`
 * out before the headers go. Anything built on `IncomingMessage`/`ServerResponse` can use
 * {@link attachSession}; the Express adapter does.
 *
 * @module
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  checkTransport,
  commitSession,
  defineSession,
  readSession,
  type Session,
  type SessionConfig,
  type SessionOptions,
  type SessionState,
} from '#core';
import { commitNow } from '../session/commit.js';
import { readNow } from '../session/read.js';
import { isThenable } from '../async/maybe-promise.js';

/** A request handler that gets the request's session; it may be async. */
export type SessionHandler = (req: IncomingMessage, res: ServerResponse, session: Session) => unknown;

/**
 * Told of a request whose store or handler failed. When `res.headersSent` is false it answers the
 * request; when true (the handler failed after it started the response, e.g. a session change after
 * `res.end()`) it can only report the error, and the response is destroyed once it returns.
 */
export type SessionErrorHandler = (error: unknown, req: IncomingMessage, res: ServerResponse) => void;

/**
 * Wraps a handler into a `node:http` request listener that reads the session first and sends its
 * cookie before the response's headers. Options are validated here, once: a mistake throws at start-up.
 *
 * A store failure, or an error the handler throws or rejects with, goes to `onError`; the default
 * logs it with `console.error` and answers `500 Internal Server Error`. Once the headers are out,
 * `onError` is still called (to report it: the default logs it) and the response is then destroyed.
 *
 * A handler that throws or rejects saves none of its session changes, whatever `onError` answers
 * (as on Fastify, Koa, Hono and fetch): a route that granted `role=admin` and then failed must not
 * send that grant. The exception is a handler that had already written the response head, whose
 * cookie went with it. A change made after the head was written throws a TypeError (it could not
 * be sent), which arrives here like any other error.
 * @example
 * ```ts
 * import { createServer } from 'node:http';
 * import { createKeyring } from 'sealed-session';
 * import { withSession } from 'sealed-session/http';
 *
 * const listener = withSession((req, res, session) => {
 *   const visits = Number(session.get('visits') ?? 0) + 1;
 *   session.set('visits', String(visits));
 *   res.end(`visit ${visits}`);
 * }, { name: '__Host-sid', keys: createKeyring(process.env.SESSION_KEY!) });
 * createServer(listener).listen(3000);
 * ```
 */
export function withSession(
  handler: SessionHandler,
  options: SessionOptions | SessionConfig,
  handlers: { readonly onError?: SessionErrorHandler } = {},
): (req: IncomingMessage, res: ServerResponse) => void {
  const config = defineSession(options);
  // An own property only: a polluted Object.prototype must not become the error handler (SECURITY.md).
  const given = Object.hasOwn(handlers, 'onError') ? handlers.onError : undefined;
  if (given !== undefined && typeof given !== 'function')
    throw new TypeError(`onError: expected a function (error, req, res) => void, got ${typeof given}`);
  const onError = given ?? internalServerError;
  return (req, res) => {
    const fail = (error: unknown): void => {
      discardSessionChanges(res);
      // Reported even when the response has started: an error after the head (a session change that
      // could not be sent, above all) must not vanish with a destroyed socket.
      const started = res.headersSent;
      onError(error, req, res);
      if (started) res.destroy(toError(error));
    };
    // No promise on the common path: with a store that answers synchronously (the cookie store on
    // node:crypto) the handler runs at once, as it would without a session.
    let session: Session | PromiseLike<Session>;
    let answer: unknown;
    try {
      session = attach(req, res, config, fail);
      if (isThenable(session)) {
        Promise.resolve(session)
          .then((opened) => handler(req, res, opened))
          .then(undefined, fail);
        return;
      }
      answer = handler(req, res, session);
    } catch (error) {
      return fail(error);
    }
    if (isThenable(answer)) Promise.resolve(answer).then(undefined, fail);
  };
}

/**
 * The building block under {@link withSession}, for routers of your own: reads the request's session
 * and arranges for it to be committed when the response is first written. Rejects when the store
 * fails to load; a failure to commit goes to `onCommitError` (the queued writes are dropped, so it
 * can still answer with an error status).
 *
 * The session's changes are not saved when the response's status is 5xx (the request failed: its
 * changes are rolled back, like a transaction's) or after {@link discardSessionChanges}.
 * @example
 * ```ts
 * const session = await attachSession(req, res, config, (error) => sendError(res, error));
 * session.set('userId', user.id);
 * res.end('signed in'); // the cookie goes out with these headers
 * ```
 */
export async function attachSession(
  req: IncomingMessage,
  res: ServerResponse,
  options: SessionOptions | SessionConfig,
  onCommitError: (error: unknown) => void,
): Promise<Session> {
  const state = await readSession(req.headers.cookie, options);
  return opened(req, res, state, () => commitSession(state, options), onCommitError);
}

/**
 * attachSession on a config from defineSession, for this module's and Express's middleware: the
 * session itself when the store answers synchronously, a promise otherwise. Throws what
 * attachSession rejects with.
 */
export function attach(
  req: IncomingMessage,
  res: ServerResponse,
  config: SessionConfig,
  onCommitError: (error: unknown) => void,
): Session | PromiseLike<Session> {
  const reading = readNow(req.headers.cookie, config);
  if (isThenable(reading))
    return Promise.resolve(reading).then((state) =>
      opened(req, res, state, () => commitNow(state, config), onCommitError),
    );
  return opened(req, res, reading, () => commitNow(reading, config), onCommitError);
}

/** The session of a read request, its commit arranged for when the response is first written. */
function opened(
  req: IncomingMessage,
  res: ServerResponse,
  state: SessionState,
  commit: () => Lines,
  onCommitError: (error: unknown) => void,
): Session {
  checkTransport(
    state,
    `${(req.socket as { encrypted?: boolean }).encrypted ? 'https' : 'http'}://${req.headers.host}`,
    req.headers['x-forwarded-proto'],
  );
  // A dropped commit never calls commitSession: a server-side store would otherwise save the changes
  // under the id the cookie already carries, and they would stick without any Set-Cookie.
  commitBeforeHeaders(res, (status) => (status >= 500 || discarded.has(res) ? NO_LINES : commit()), onCommitError);
  return state.session;
}

/** What a commit answers: the `Set-Cookie` lines, or a promise of them when the store is asynchronous. */
type Lines = readonly string[] | PromiseLike<readonly string[]>;
const NO_LINES: readonly string[] = Object.freeze([]);
/** Responses whose session changes are dropped (see discardSessionChanges). */
const discarded = new WeakSet<ServerResponse>();

/**
 * Drops the session changes of this response: no `Set-Cookie` for them and nothing saved in the
 * store, as if the request had not touched the session. For error paths that answer with a status
 * below 500 (5xx responses drop them already). Has no effect once the response head was written:
 * the cookie went out with it.
 * @example
 * ```ts
 * import type { ServerResponse } from 'node:http';
 * import { discardSessionChanges } from 'sealed-session/http';
 *
 * function answerBadRequest(res: ServerResponse): void {
 *   discardSessionChanges(res);
 *   res.writeHead(400).end('Bad Request');
 * }
 * ```
 */
export function discardSessionChanges(res: ServerResponse): void {
  discarded.add(res);
}

/** The calls that send the response head (each, or `end` itself, goes through `_implicitHeader`). */
const HEAD_WRITERS = ['writeHead', 'flushHeaders', 'write', 'end'] as const;

/**
 * Node has no hook that runs before the head is sent and can await an async store, so the first
 * call that would send it starts the commit. When the commit answers at once (a synchronous store),
 * its lines are set and the call goes on as it was made. Otherwise that call and any later ones are
 * queued, then replayed in order once the cookie lines are in. Each method keeps its own return
 * value: `this`, or `false` from `write` (backpressure) followed by `'drain'`, which pipes and
 * `once(res, 'drain')` wait for.
 *
 * On Express each wrapper added here costs V8 a new hidden class for the response (Express changed
 * its prototype: bench/prototype-stores.ts). Defining the four once on the prototype Express's
 * responses share, with each response's state in a WeakMap, was tried and measured no cheaper per
 * request under HTTP load (docs/performance.md, "Tried and left out"), so it was not kept.
 */
function commitBeforeHeaders(
  res: ServerResponse,
  commit: (status: number) => Lines,
  onError: (error: unknown) => void,
): void {
  let queue: (() => unknown)[] | undefined;
  let passThrough = false;
  let headArgs: unknown[] | undefined;
  let owesDrain = false;
  const fail = (error: unknown): void => {
    passThrough = true; // the error handler writes directly; its writes must not queue behind the dropped ones
    if (res.headersSent) res.destroy(toError(error));
    else onError(error);
  };
  const setLines = (lines: readonly string[]): void => {
    if (lines.length > 0 && !(headArgs !== undefined && mergeSetCookie(headArgs, lines)))
      res.appendHeader('set-cookie', lines as string[]);
  };
  const flush = (lines: readonly string[]): void => {
    try {
      setLines(lines);
      for (const call of queue!) call();
      if (owesDrain && !res.writableNeedDrain) res.emit('drain');
    } catch (error) {
      fail(error); // what the original call would have thrown at its caller (e.g. bad arguments)
    }
  };
  for (const method of HEAD_WRITERS) {
    const original = res[method] as (this: ServerResponse, ...args: unknown[]) => unknown;
    res[method] = function (this: ServerResponse, ...args: unknown[]) {
      if (passThrough) return original.apply(this, args);
      if (queue === undefined) {
        if (method === 'writeHead') headArgs = args;
        // Node's own end() calls this.writeHead(): from here on, calls go straight through (a replay too).
        passThrough = true;
        let lines: Lines;
        try {
          lines = commit(method === 'writeHead' && typeof args[0] === 'number' ? args[0] : res.statusCode);
          if (!isThenable(lines)) setLines(lines);
        } catch (error) {
          fail(error);
          return method === 'write' ? false : method === 'flushHeaders' ? undefined : this; // the call is dropped
        }
        if (!isThenable(lines)) return original.apply(this, args);
        passThrough = false;
        queue = [];
        Promise.resolve(lines).then((ready) => {
          passThrough = true;
          flush(ready);
        }, fail);
      }
      queue.push(() => original.apply(this, args));
      if (method === 'writeHead') headArgs ??= args;
      if (method !== 'write') return method === 'flushHeaders' ? undefined : this;
      owesDrain = true;
      return false;
    } as never;
  }
}

/**
 * Headers given to `writeHead` replace same-named ones set before (Node's documentation), so when
 * the app passes its own `Set-Cookie` there, the session's lines join it in that argument.
 * Returns false when the argument names no `Set-Cookie` (then `appendHeader` is safe).
 */
function mergeSetCookie(args: unknown[], lines: readonly string[]): boolean {
  const at = args.findIndex((arg) => typeof arg === 'object' && arg !== null);
  const headers = args[at];
  if (Array.isArray(headers)) {
    // The flat form [name, value, name, value…]: Node removes every header it names, then appends.
    if (!headers.some((name, i) => i % 2 === 0 && String(name).toLowerCase() === 'set-cookie')) return false;
    args[at] = [...headers, ...lines.flatMap((line) => ['set-cookie', line])];
    return true;
  }
  const record = headers as Record<string, unknown> | undefined;
  const key =
    record === undefined ? undefined : Object.keys(record).find((name) => name.toLowerCase() === 'set-cookie');
  if (key === undefined) return false;
  args[at] = { ...record, [key]: [record![key]].flat().concat(lines) };
  return true;
}

function internalServerError(error: unknown, _req: IncomingMessage, res: ServerResponse): void {
  console.error(error); // a store outage, or a change made too late, must not pass unnoticed
  if (!res.headersSent)
    res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' }).end('Internal Server Error');
}

function toError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
