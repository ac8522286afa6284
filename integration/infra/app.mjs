// The app under test: node:http with sealed-session/http. Options come from APP_CONFIG (JSON):
// { name, keys: [{ id, secret, state? }], maxSize?, maxChunks?, secure? }.
//   GET /write?bytes=N[&pad=P]  puts N characters in the session (a commit refused as too large is a
//                               500); P bytes of another response header stand for the app's own
//   GET /read                   { bytes, intact }: what the session holds, checked against the payload
//   GET /count                  { n }: increments a counter in the session (key rotation)
//   GET /logout                 clears the session
import { createServer } from 'node:http';
import { createKeyring } from 'sealed-session';
import { withSession } from 'sealed-session/http';
import { payload } from './harness.mjs';

const config = JSON.parse(process.env.APP_CONFIG);
const { keys, secure = false, ...rest } = config;
const options = { ...rest, keys: createKeyring(keys), cookie: { secure } };

const listener = withSession(
  (req, res, session) => {
    const url = new URL(req.url, 'http://localhost');
    res.setHeader('content-type', 'application/json');
    const pad = Number(url.searchParams.get('pad') ?? 0);
    if (pad > 0) res.setHeader('x-pad', 'p'.repeat(pad));
    if (url.pathname === '/write') {
      session.set('data', payload(Number(url.searchParams.get('bytes'))));
      res.end(JSON.stringify({ wrote: Number(url.searchParams.get('bytes')) }));
    } else if (url.pathname === '/read') {
      const data = session.get('data') ?? '';
      res.end(JSON.stringify({ bytes: data.length, intact: data === payload(data.length), pid: process.pid }));
    } else if (url.pathname === '/count') {
      const n = Number(session.get('n') ?? 0) + 1;
      session.set('n', String(n));
      res.end(JSON.stringify({ n, pid: process.pid }));
    } else if (url.pathname === '/logout') {
      session.clear();
      res.end('{}');
    } else {
      res.end('{}');
    }
  },
  options,
  {
    onError: (error, _req, res) => {
      res.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify({ error: String(error?.message ?? error) }));
    },
  },
);
const server = createServer(listener);
server.listen(0, '127.0.0.1', () => console.log(`listening ${server.address().port}`));
