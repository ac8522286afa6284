import Fastify from 'fastify';
import type { SessionOptions } from 'sealed-session';
import { session } from 'sealed-session/fastify';

export async function createApp(options: SessionOptions) {
  const app = Fastify();
  await app.register(session, options);

  app.get('/session', async (request) => Object.fromEntries(request.session));

  app.post<{ Querystring: { name: string } }>('/login', async (request) => {
    request.session.set('user', request.query.name);
    request.session.regenerate(); // a new session after a privilege change: no fixation
    return Object.fromEntries(request.session);
  });

  app.post<{ Querystring: { key: string; value: string } }>('/set', async (request) => {
    request.session.set(request.query.key, request.query.value);
    return Object.fromEntries(request.session);
  });

  app.post('/logout', async (request) => {
    request.session.clear(); // an emptied session expires the cookie
    return Object.fromEntries(request.session);
  });

  app.post<{ Querystring: { size: string } }>('/big', async (request) => {
    request.session.set('big', 'x'.repeat(Number(request.query.size)));
    return Object.fromEntries(request.session);
  });

  app.get('/other', async (request, reply) => {
    reply.header('set-cookie', 'other=1; Path=/'); // kept: the session's cookie is appended
    request.session.set('touched', 'yes');
    return Object.fromEntries(request.session);
  });

  return app;
}
