/**
 * Flash values: a message set on one request ("Saved.", "Wrong password") and shown on the next,
 * typically across a redirect (post/redirect/get), then gone. Kept in the session itself, under
 * keys with the reserved prefix {@link FLASH_PREFIX}, so they work with every store and adapter and
 * cost nothing when unused.
 *
 * Reading takes: `takeFlash` returns the value and deletes it, so a reload does not show the
 * message twice; the commit of that request removes it from the cookie.
 *
 * @module
 */
import { describe } from '../text/describe.js';
import type { Session } from './session.js';

/** The prefix of the session keys flash values are kept under: `flash:<key>`. Keep your own keys off it. */
export const FLASH_PREFIX = 'flash:' as const;

/**
 * Sets a flash value: it stays in the session until read with {@link takeFlash}. Setting the same
 * key again replaces it.
 * @example
 * ```ts
 * setFlash(session, 'notice', 'Your changes were saved.');
 * return Response.redirect(new URL('/settings', request.url), 303);
 * ```
 */
export function setFlash(session: Session, key: string, value: string): void {
  if (typeof key !== 'string') throw new TypeError(`setFlash: expected a string key, got ${describe(key)}`);
  session.set(`${FLASH_PREFIX}${key}` as const, value);
}

/**
 * Reads a flash value once: returns it and deletes it from the session (undefined when none).
 * @example
 * ```ts
 * const notice = takeFlash(session, 'notice'); // shown once, gone on reload
 * ```
 */
export function takeFlash(session: Session, key: string): string | undefined {
  if (typeof key !== 'string') throw new TypeError(`takeFlash: expected a string key, got ${describe(key)}`);
  const flashKey = `${FLASH_PREFIX}${key}` as const;
  const value = session.get(flashKey);
  if (value !== undefined) session.delete(flashKey);
  return value;
}
