/**
 * The plain-HTTP warning. A browser stores a `Secure` cookie only from a secure origin (RFC 6265bis
 * §5.7, step 15), which includes `http://localhost` but not `http://myapp.test`: in development on
 * such a host, sign-in "works" and the next request has no session, with nothing in any log. The
 * adapters pass what they know of the request; the session layer warns once per config, through
 * `options.onWarning` (default `console.warn`), so the app can route it to its logger.
 *
 * @module
 */
import { stateInternals, type SessionState } from './read.js';
import type { SessionConfig } from './options.js';

const warned = new WeakSet<SessionConfig>();

/**
 * Hosts browsers treat as secure over plain HTTP (potentially trustworthy origins, W3C Secure
 * Contexts §3.1): `localhost`, its subdomains, 127.0.0.0/8 and `[::1]`.
 */
const LOCAL_HOST = /^(?:localhost|[^:]*\.localhost|127(?:\.\d{1,3}){3}|\[::1\])(?::\d+)?$/i;

/**
 * Warns once per session config when `secure` is on and the request came over plain HTTP from a
 * host other than localhost: the browser will drop the session cookie. `origin` is the request's
 * URL or `scheme://host` (undefined when unknown); `forwardedProto` the `X-Forwarded-Proto` header a TLS-terminating proxy
 * sets (then the browser's side was HTTPS, and nothing is wrong). Never throws for request input.
 * @example
 * ```ts
 * const state = await readSession(request.headers.get('cookie'), config);
 * checkTransport(state, request.url, request.headers.get('x-forwarded-proto'));
 * ```
 */
export function checkTransport(
  state: SessionState,
  origin: string | undefined,
  forwardedProto?: string | string[] | null,
): void {
  const { config } = stateInternals(state);
  // Cheap tests first: this runs on every request.
  if (!config.cookie.secure || warned.has(config) || typeof origin !== 'string' || !origin.startsWith('http://'))
    return;
  const proto = Array.isArray(forwardedProto) ? forwardedProto[0] : forwardedProto;
  if (typeof proto === 'string' && proto.split(',', 1)[0]!.trim().toLowerCase() === 'https') return;
  const end = origin.indexOf('/', 7);
  const host = origin.slice(7, end === -1 ? origin.length : end);
  if (LOCAL_HOST.test(host)) return;
  warned.add(config);
  config.onWarning(
    `sealed-session: cookie ${JSON.stringify(config.name)} has secure: true, but this request came over plain HTTP ` +
      `to ${JSON.stringify(host.slice(0, 255))}: the browser will drop the cookie and no session will persist. ` +
      `Serve over HTTPS, use http://localhost in development, or set cookie: { secure: false } for development only.`,
  );
}
