import { createServer } from 'node:http';
import type { SessionOptions } from 'sealed-session';
import { withSession } from 'sealed-session/http';

// Usage: createApp({ name: '__Host-sid', keys: createKeyring(process.env.SESSION_KEY!) }).listen(3000);
export function createApp(options: SessionOptions) {
  const listener = withSession((req, res, session) => {
    const { pathname, searchParams: query } = new URL(req.url!, 'http://localhost');
    const route = `${req.method} ${pathname}`;
    if (route === 'POST /login') {
      session.set('user', query.get('name') ?? '');
      session.regenerate(); // a fresh token at sign-in: session fixation
    } else if (route === 'POST /set') {
      session.set(query.get('key') ?? '', query.get('value') ?? '');
    } else if (route === 'POST /logout') {
      session.clear(); // the cookie is deleted
    } else if (route === 'POST /big') {
      session.set('big', 'x'.repeat(Number(query.get('size'))));
    } else if (route === 'GET /other') {
      res.setHeader('set-cookie', 'other=1; Path=/'); // kept: the session's cookie is appended
      session.set('touched', 'yes');
    } else if (route !== 'GET /session') {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(Object.fromEntries(session)));
  }, options);
  return createServer(listener);
}
