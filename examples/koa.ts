import Koa from 'koa';
import type { SessionOptions } from 'sealed-session';
import { session } from 'sealed-session/koa';

export function createApp(options: SessionOptions) {
  const app = new Koa();
  app.use(session(options));

  app.use((ctx) => {
    const query = ctx.query as Record<string, string>;
    switch (`${ctx.method} ${ctx.path}`) {
      case 'GET /session':
        break;
      case 'POST /login':
        ctx.session.set('user', query.name ?? '');
        ctx.session.regenerate(); // a new session after a privilege change: no fixation
        break;
      case 'POST /set':
        ctx.session.set(query.key ?? '', query.value ?? '');
        break;
      case 'POST /logout':
        ctx.session.clear(); // an emptied session expires the cookie
        break;
      case 'POST /big':
        ctx.session.set('big', 'x'.repeat(Number(query.size)));
        break;
      case 'GET /other':
        ctx.cookies.set('other', '1'); // kept: the session's cookie is appended
        ctx.session.set('touched', 'yes');
        break;
      default:
        return; // 404
    }
    ctx.body = Object.fromEntries(ctx.session);
  });

  return app;
}
