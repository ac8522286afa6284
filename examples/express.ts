import express from 'express';
import type { SessionOptions } from 'sealed-session';
import { session } from 'sealed-session/express';

// Usage: createApp({ name: '__Host-sid', keys: createKeyring(process.env.SESSION_KEY!) }).listen(3000);
export function createApp(options: SessionOptions, app = express()) {
  app.use(session(options));
  const entries = (req: express.Request) => Object.fromEntries(req.session);

  app.get('/session', (req, res) => {
    res.json(entries(req));
  });
  app.post('/login', (req, res) => {
    req.session.set('user', String(req.query.name));
    req.session.regenerate(); // a fresh token at sign-in: session fixation
    res.json(entries(req));
  });
  app.post('/set', (req, res) => {
    req.session.set(String(req.query.key), String(req.query.value));
    res.json(entries(req));
  });
  app.post('/logout', (req, res) => {
    req.session.clear(); // the cookie is deleted
    res.json(entries(req));
  });
  app.post('/big', (req, res) => {
    req.session.set('big', 'x'.repeat(Number(req.query.size)));
    res.json(entries(req));
  });
  app.get('/other', (req, res) => {
    res.cookie('other', '1', { path: '/' }); // kept: the session's cookie is appended
    req.session.set('touched', 'yes');
    res.json(entries(req));
  });
  return app;
}
