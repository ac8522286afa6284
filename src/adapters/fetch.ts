/**
 * sealed-session for Web-standard `Request`/`Response`/`Headers`: Next.js route handlers and
 * middleware, Remix and React Router, SvelteKit, Astro, Deno, Bun, Cloudflare Workers.
 *
 * Two shapes, for the two ways these frameworks hand out responses:
 * - `withSession(handler, options)` wraps a handler that returns a `Response` (route handlers,
 *   `Deno.serve`, `Bun.serve`, Workers): the session comes in as an argument, the cookie goes out
 *   on the returned response, and nothing can be forgotten.
 * - `getSession(request, options)` gives `{ session, commit }` for code that does not own the final
 *   response (hooks and middleware that call `resolve(event)` or `next()`, loaders that build one
 *   with `redirect()` or `data()`): call `commit` on what you return.
 *
 * Only headers move here. Runs wherever `Request` does: `#core` resolves to the WebCrypto build
 * off Node.
 *
 * @module
 */
import {
  checkTransport,
  commitSession,
  defineSession,
  readSession,
  type Session,
  type SessionConfig,
  type SessionOptions,
} from '#core';

/** A request's session and the one call that answers it; made by {@link getSession}. */
export interface RequestSession {
  /** The request's session: a `Map<string, string>`, empty for a new visitor. */
  readonly session: Session;
  /**
   * Commits the session (once per request) and appends its `Set-Cookie` lines, if any, to what you
   * answer with: `response` itself, or a copy of it when its headers are immutable (as after
   * `Response.redirect()` or `fetch()`): return the result. Given `headers`, appends to them;
   * given nothing, returns new `Headers` holding only the lines, for a `{ headers }` init.
   * Rejects when the store fails. A plain function: destructure it.
   */
  commit(response: Response): Promise<Response>;
  commit(headers?: Headers): Promise<Headers>;
}

/** Appends `lines` to the target of `commit`. */
function answer(target: Response | Headers | undefined, lines: readonly string[]): Response | Headers {
  // Duck-typed, not instanceof: frameworks and polyfills bring their own Response classes.
  if (target === undefined || !('headers' in target)) return appendAll(target ?? new Headers(), lines);
  if (lines.length === 0) return target;
  try {
    appendAll(target.headers, lines);
    return target;
  } catch (error) {
    if (!(error instanceof TypeError)) throw error;
    // Immutable headers (the Fetch standard's "immutable" guard): answer with a copy, same body
    // stream, status and headers. Nothing was appended yet: the first append threw.
    const copy = new Response(target.body, target);
    appendAll(copy.headers, lines);
    return copy;
  }
}

/** Each line as its own header: appended, so the application's cookies stay (RFC 9110 §5.3). */
function appendAll(headers: Headers, lines: readonly string[]): Headers {
  for (const line of lines) headers.append('set-cookie', line);
  return headers;
}

/**
 * Reads the session of `request` (or anything with its `headers`). Pass options made once with
 * `defineSession` (or one options object kept at module level): they are validated on first use.
 * Rejects when the store fails, for your framework's error handling.
 * @example SvelteKit's `hooks.server.ts` (Astro's `onRequest(context, next)` reads the same):
 * ```ts
 * import { defineSession, createKeyring } from 'sealed-session';
 * import { getSession } from 'sealed-session/fetch';
 *
 * const config = defineSession({ name: 'sid', keys: createKeyring(SESSION_KEY) });
 *
 * export const handle: Handle = async ({ event, resolve }) => {
 *   const { session, commit } = await getSession(event.request, config);
 *   event.locals.session = session;
 *   return commit(await resolve(event));
 * };
 * ```
 * @example A React Router (or Remix) action:
 * ```ts
 * export async function action({ request }: Route.ActionArgs) {
 *   const { session, commit } = await getSession(request, config);
 *   session.set('user', 'alice');
 *   session.regenerate();
 *   return commit(redirect('/dashboard'));
 * }
 * ```
 */
export async function getSession(
  request: { readonly headers: Headers },
  options: SessionOptions | SessionConfig,
): Promise<RequestSession> {
  const config = defineSession(options);
  const state = await readSession(request.headers.get('cookie'), config);
  checkTransport(state, (request as { readonly url?: string }).url, request.headers.get('x-forwarded-proto'));
  async function commit(response: Response): Promise<Response>;
  async function commit(headers?: Headers): Promise<Headers>;
  async function commit(target?: Response | Headers): Promise<Response | Headers> {
    return answer(target, await commitSession(state, config));
  }
  return { session: state.session, commit };
}

/**
 * Wraps a Fetch handler: it gets the session after the request (and any further arguments, such as
 * a Worker's `env` and `ctx` or a Next.js route's `{ params }`), and the cookie is appended to the
 * `Response` it returns. Options are validated here, once. A handler that throws commits nothing.
 * @example A Next.js route handler (`app/api/visits/route.ts`):
 * ```ts
 * import { createKeyring } from 'sealed-session';
 * import { withSession } from 'sealed-session/fetch';
 *
 * export const POST = withSession(async (request, session) => {
 *   session.set('visits', String(Number(session.get('visits') ?? 0) + 1));
 *   return Response.json({ visits: session.get('visits') });
 * }, { name: 'sid', keys: createKeyring(process.env.SESSION_KEY!) });
 * ```
 */
export function withSession<R extends Request, A extends unknown[]>(
  handler: (request: R, session: Session, ...rest: A) => Response | Promise<Response>,
  options: SessionOptions | SessionConfig,
): (request: R, ...rest: A) => Promise<Response> {
  const config = defineSession(options);
  return async (request, ...rest) => {
    const { session, commit } = await getSession(request, config);
    return commit(await handler(request, session, ...rest));
  };
}
