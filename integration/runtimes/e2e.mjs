/**
 * The end-to-end request: one small app, served by each runtime through the adapter its users use,
 * and a client that drives it over HTTP on loopback like a browser (a cookie jar, Set-Cookie lines
 * read one by one with getSetCookie).
 */
import { Jar, bigSession } from './checks.mjs';

/** The app, framework-free: what a path does to the session, and the answer. */
export function route(pathname, session) {
  switch (pathname) {
    case '/login':
      session.set('user', 'alice');
      return 'signed in';
    case '/big':
      for (const [key, value] of bigSession()) session.set(key, value);
      return 'big';
    case '/logout':
      session.clear();
      return 'signed out';
    default:
      return JSON.stringify({ user: session.get('user') ?? null, size: session.size });
  }
}

/** The same app as a fetch handler, for `withSession` of sealed-session/fetch. */
export const fetchHandler = (request, session) => new Response(route(new URL(request.url).pathname, session));

function expect(condition, message) {
  if (!condition) throw new Error(`end to end: ${message}`);
}

/** Signs in, grows the session past one cookie, signs out; `base` is the app's origin and prefix, without a trailing slash. Returns how many cookies the big session took. */
export async function drive(base) {
  const jar = new Jar();
  const get = async (path) => {
    const response = await fetch(`${base}${path}`, { headers: { cookie: jar.header() } });
    expect(response.status === 200, `GET ${path} answered ${response.status}`);
    jar.apply(response.headers.getSetCookie());
    return response.text();
  };
  expect((await get('/me')) === '{"user":null,"size":0}', 'a new visitor has a session');
  expect(jar.cookies.size === 0, 'reading an empty session set a cookie');
  await get('/login');
  expect((await get('/me')) === '{"user":"alice","size":1}', 'the signed-in session did not come back');
  await get('/big');
  const chunks = jar.cookies.size;
  expect(chunks >= 2, `the big session took ${chunks} cookie(s), expected chunks`);
  expect((await get('/me')) === `{"user":"alice","size":${bigSession().length + 1}}`, 'the chunked session did not come back');
  await get('/logout');
  expect(jar.cookies.size === 0, `signing out left cookies: ${[...jar.cookies.keys()]}`);
  expect((await get('/me')) === '{"user":null,"size":0}', 'the session outlived sign-out');
  return chunks;
}
