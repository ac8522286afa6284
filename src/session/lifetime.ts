/**
 * Per-session cookie lifetime ("remember me", SessionOptions.persistent): which attribute suffix a
 * session's cookies get when they are written. A browser-session cookie is the configured one
 * without `Max-Age` (RFC 6265 §5.3 step 3: no Max-Age or Expires, so the user agent drops it when
 * the session ends); it never outlives what `cookie.maxAge` allows.
 *
 * @module
 */
import { describe } from '../text/describe.js';
import type { Compiled, SessionConfig } from './options.js';
import type { Session } from './session.js';

/** The browser-session variant of each compiled config, made on first use. */
const browserSession = new WeakMap<Compiled, Compiled>();

/**
 * The compiled config to lay `session`'s cookies out with: `compiledConfig` itself, or its variant
 * without `Max-Age` when `options.persistent` says this session's cookie is a browser-session one.
 * The variant keeps the capacities computed with `Max-Age`: its lines are only shorter.
 */
export function compiledForSession(config: SessionConfig, compiledConfig: Compiled, session: Session): Compiled {
  const persistent = config.persistent;
  if (persistent === undefined) return compiledConfig;
  const answer: unknown = persistent(session);
  if (typeof answer !== 'boolean') {
    throw new TypeError(
      `options.persistent: expected a function returning a boolean, got one returning ${describe(answer)}`,
    );
  }
  if (answer) return compiledConfig;
  let variant = browserSession.get(compiledConfig);
  if (variant === undefined) {
    // The suffix starts with "; Max-Age=N" when there is one (serializeSetCookie's fixed order).
    variant = Object.freeze({ ...compiledConfig, suffix: compiledConfig.suffix.replace(/^; Max-Age=\d+/, '') });
    browserSession.set(compiledConfig, variant);
  }
  return variant;
}
