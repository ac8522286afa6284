import type { SessionOptions } from 'sealed-session';
import { withSession } from 'sealed-session/fetch';

export function createHandler(options: SessionOptions) {
  return withSession(async (request, session) => {
    const { pathname, searchParams } = new URL(request.url);
    const query = (name: string) => searchParams.get(name) ?? '';
    switch (`${request.method} ${pathname}`) {
      case 'GET /session':
        break;
      case 'POST /login':
        session.set('user', query('name'));
        session.regenerate(); // a new session after a privilege change: no fixation
        break;
      case 'POST /set':
        session.set(query('key'), query('value'));
        break;
      case 'POST /logout':
        session.clear(); // an emptied session expires the cookie
        break;
      case 'POST /big':
        session.set('big', 'x'.repeat(Number(query('size'))));
        break;
      case 'GET /other': {
        session.set('touched', 'yes');
        const response = Response.json(Object.fromEntries(session));
        response.headers.append('set-cookie', 'other=1; Path=/'); // kept: the session's cookie is appended
        return response;
      }
      default:
        return new Response('Not Found', { status: 404 });
    }
    return Response.json(Object.fromEntries(session));
  }, options);
}
