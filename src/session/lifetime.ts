/**
 * Per-session cookie lifetime ("remember me", SessionOptions.persistent): which attribute suffix a
 * session's cookies get when they are written. A browser-session cookie is the configured one
 * without `Max-Age` (RFC 6265 §5.3 step 3: no Max-Age or Expires, so the user agent drops it when
 * the session ends); it never outlives what `cookie.maxAge` allows.
 *
 * @module
 */
import { describe } from '../text/describe.js';
import type { Precomputed, SessionConfig } from './options.js';
import type { Session } from './session.js';

/** The browser-session variant of each config's precomputed data, made on first use. */
const browserSession = new WeakMap<Precomputed, Precomputed>();

/**
 * The precomputed data to lay `session`'s cookies out with: `precomputed` itself, or its variant
 * without `Max-Age` when `options.persistent` says this session's cookie is a browser-session one.
 * The variant keeps the capacities computed with `Max-Age`: its lines are only shorter.
 */
export function precomputedForSession(config: SessionConfig, precomputed: Precomputed, session: Session): Precomputed {
  const persistent = config.persistent;
  if (persistent === undefined) return precomputed;
  const persists: unknown = persistent(session);
  if (typeof persists !== 'boolean') {
    throw new TypeError(
      `options.persistent: expected a function returning a boolean, got one returning ${describe(persists)}`,
    );
  }
  if (persists) return precomputed;
  let variant = browserSession.get(precomputed);
  if (variant === undefined) {
    // The suffix starts with "; Max-Age=N" when there is one (serializeSetCookie's fixed order).
    variant = Object.freeze({ ...precomputed, suffix: precomputed.suffix.replace(/^; Max-Age=\d+/, '') });
    browserSession.set(precomputed, variant);
  }
  return variant;
}
