import { Hono } from 'hono';
import { setCookie } from 'hono/cookie';
import type { SessionOptions } from 'sealed-session';
import { session, type SessionEnv } from 'sealed-session/hono';

export function createApp(options: SessionOptions) {
  const app = new Hono<SessionEnv>();
  app.use(session(options));

  app.get('/session', (c) => c.json(Object.fromEntries(c.get('session'))));

  app.post('/login', (c) => {
    c.get('session').set('user', c.req.query('name') ?? '');
    c.get('session').regenerate(); // a new session after a privilege change: no fixation
    return c.json(Object.fromEntries(c.get('session')));
  });

  app.post('/set', (c) => {
    c.get('session').set(c.req.query('key') ?? '', c.req.query('value') ?? '');
    return c.json(Object.fromEntries(c.get('session')));
  });

  app.post('/logout', (c) => {
    c.get('session').clear(); // an emptied session expires the cookie
    return c.json(Object.fromEntries(c.get('session')));
  });

  app.post('/big', (c) => {
    c.get('session').set('big', 'x'.repeat(Number(c.req.query('size'))));
    return c.json(Object.fromEntries(c.get('session')));
  });

  app.get('/other', (c) => {
    setCookie(c, 'other', '1', { path: '/' }); // kept: the session's cookie is appended
    c.get('session').set('touched', 'yes');
    return c.json(Object.fromEntries(c.get('session')));
  });

  return app;
}
