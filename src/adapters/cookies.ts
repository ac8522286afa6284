/**
 * sealed-session for frameworks that hand out a cookie jar rather than headers: Next.js
 * `cookies()` (Server Components, Server Actions, Route Handlers) and `request.cookies` /
 * `response.cookies` in its proxy (middleware), SvelteKit's `event.cookies`, Astro's
 * `Astro.cookies` and `context.cookies`.
 *
 * Only cookies move here, through the jar's own `get` and `set`: the session's cookies (`name`, or
 * `name.0 … name.4` for a chunked session) are read by name, and what `commitSession` decides is
 * written back one cookie at a time, with its attributes as an object. Deletions of stale chunks
 * are writes too: an empty value with `maxAge: 0`, which every jar turns into `Max-Age=0`.
 *
 * Why objects and not Set-Cookie lines: the frameworks' jars take `(name, value, options)`, and
 * parsing a line back into that shape loses deletions (Next.js's own parser drops `Max-Age=0`).
 * The lines here are this library's own, in one fixed attribute order (session/cookie.ts
 * serializeSetCookie), so reading them back is exact.
 *
 * Typed structurally: no framework is imported, not even its types.
 *
 * @module
 */
import {
  commitSession,
  defineSession,
  readSession,
  type Session,
  type SessionConfig,
  type SessionOptions,
} from '#core';

/** The attributes of one session cookie, as every supported jar's `set` takes them. */
export interface JarCookieOptions {
  /** Seconds; absent for a browser-session cookie, 0 to delete. */
  maxAge?: number;
  path: string;
  domain?: string;
  secure: boolean;
  httpOnly: boolean;
  sameSite?: 'strict' | 'lax' | 'none';
  partitioned?: boolean;
}

/**
 * What this adapter reads a session from: a jar whose `get(name)` gives the cookie's value, as a
 * string (SvelteKit) or an object with `value` (Next.js, Astro), or undefined.
 */
export interface CookieReader {
  get(name: string): { readonly value: string } | string | undefined;
}

/** What this adapter commits a session into: a jar with `set(name, value, options)`. */
export interface CookieWriter {
  set(name: string, value: string, options: JarCookieOptions): unknown;
}

/** A cookie jar that is read and written: Next.js `cookies()`, SvelteKit `event.cookies`, `Astro.cookies`. */
export interface CookieJar extends CookieReader, CookieWriter {}

/** A request's session and the one call that writes it back; made by {@link getSession}. */
export interface JarSession {
  /** The request's session: a `Map<string, string>`, empty for a new visitor. */
  readonly session: Session;
  /**
   * Commits the session (once per request) into the jar it was read from, or into `into` (a
   * Next.js proxy reads `request.cookies` and writes `response.cookies`). Writes nothing when
   * nothing changed and nothing is due. Rejects when the store fails, and with a TypeError saying
   * where to write instead when the jar refuses a write (a Next.js Server Component's cookies are
   * read-only). A plain function: destructure it.
   */
  commit(into?: CookieWriter): Promise<void>;
}

/**
 * Reads the session from a framework's cookie jar. Pass options made once with `defineSession`
 * (or one options object kept at module level). Rejects when the store fails.
 *
 * Where the framework forbids writing (a Next.js Server Component), read the session and do not
 * call `commit`: a change made there cannot reach the browser, and commit says so. Astro does not
 * refuse a late write (it logs a warning and drops the cookie): commit in a page's frontmatter.
 * @example A Next.js Server Action:
 * ```ts
 * 'use server';
 * import { cookies } from 'next/headers';
 * import { getSession } from 'sealed-session/cookies';
 *
 * export async function signIn(form: FormData) {
 *   const { session, commit } = await getSession(await cookies(), config);
 *   session.set('user', String(form.get('user')));
 *   session.regenerate();
 *   await commit();
 * }
 * ```
 * @example A SvelteKit form action (`event.cookies`); Astro's `Astro.cookies` is used the same way:
 * ```ts
 * export const actions = {
 *   default: async ({ cookies }) => {
 *     const { session, commit } = await getSession(cookies, config);
 *     session.set('user', 'alice');
 *     await commit();
 *   },
 * };
 * ```
 */
export async function getSession(cookies: CookieReader, options: SessionOptions | SessionConfig): Promise<JarSession> {
  const config = defineSession(options);
  if (typeof cookies !== 'object' || cookies === null || typeof cookies.get !== 'function') {
    throw new TypeError(
      `cookies: expected a cookie jar with get(name) (Next.js cookies(), SvelteKit event.cookies, Astro.cookies), got ${cookies === null ? 'null' : typeof cookies}`,
    );
  }
  const state = await readSession(cookieHeaderOf(cookies, config.name), config);
  async function commit(into?: CookieWriter): Promise<void> {
    const jar = (into ?? cookies) as Partial<CookieWriter>;
    if (typeof jar.set !== 'function') {
      throw new TypeError(
        'commit: expected a cookie jar with set(name, value, options), got one without (pass the jar to write to: commit(response.cookies))',
      );
    }
    for (const line of await commitSession(state, config)) writeLine(jar as CookieWriter, line);
  }
  return { session: state.session, commit };
}

/**
 * The RFC 6265 `cookie-octet`s: what a session cookie's value may hold. A jar hands out values
 * already decoded (`decodeURIComponent`), so a value may hold `;` or `=`; put into the header as
 * is, it could forge a second pair.
 */
const COOKIE_VALUE = /^[\x21\x23-\x2b\x2d-\x3a\x3c-\x5b\x5d-\x7e]*$/;

/**
 * A `Cookie` header holding only the session's cookies, read from the jar by name, for the session
 * layer's one parser. A value that is not cookie-octets stands in as `-`, which no store accepts:
 * the request still counts as carrying that cookie, so a commit expires it.
 */
function cookieHeaderOf(cookies: CookieReader, name: string): string {
  const pairs: string[] = [];
  for (const cookieName of [name, `${name}.0`, `${name}.1`, `${name}.2`, `${name}.3`, `${name}.4`]) {
    const found = cookies.get(cookieName);
    const value = typeof found === 'string' ? found : found?.value;
    if (typeof value !== 'string') continue;
    pairs.push(`${cookieName}=${COOKIE_VALUE.test(value) ? value : '-'}`);
  }
  return pairs.join('; ');
}

const SAME_SITE = { Strict: 'strict', Lax: 'lax', None: 'none' } as const;

/**
 * Writes one line of `commitSession` through `jar.set`. The line is this library's own:
 * `name=value; Max-Age=N; Domain=D; Path=P; Secure; HttpOnly; SameSite=S; Partitioned`, each
 * attribute present or not, never anything else.
 */
function writeLine(jar: CookieWriter, line: string): void {
  const parts = line.split('; ');
  const pair = parts[0]!;
  const equals = pair.indexOf('=');
  const name = pair.slice(0, equals);
  const value = pair.slice(equals + 1);
  const options: JarCookieOptions = { path: '/', secure: false, httpOnly: false };
  for (let i = 1; i < parts.length; i++) {
    const part = parts[i]!;
    const at = part.indexOf('=');
    const key = at === -1 ? part : part.slice(0, at);
    const text = part.slice(at + 1);
    if (key === 'Max-Age') options.maxAge = Number(text);
    else if (key === 'Domain') options.domain = text;
    else if (key === 'Path') options.path = text;
    else if (key === 'Secure') options.secure = true;
    else if (key === 'HttpOnly') options.httpOnly = true;
    else if (key === 'SameSite') options.sameSite = SAME_SITE[text as keyof typeof SAME_SITE];
    else if (key === 'Partitioned') options.partitioned = true;
  }
  try {
    jar.set(name, value, options);
  } catch (error) {
    throw new TypeError(
      `commit: expected a cookie jar that can be written, got one whose set() threw. A Next.js Server Component can ` +
        `only read cookies: read the session there, and change it in a Server Action, a Route Handler or the proxy ` +
        `(middleware). SvelteKit refuses writes once the response is generated: commit before returning it.`,
      { cause: error },
    );
  }
}
