/**
 * `npm start`: sealed-session on a bare `node:http` server through `sealed-session/http`, no
 * framework. The page counts visits, signs in and out, and shows the cookie's size, expiry and key.
 *
 * Runs with no configuration: without `SESSION_KEY`, a development key is generated into `.demo-key`
 * (gitignored) on first start and reused after. Port: `--port N`, else `PORT`, else 3000.
 *
 * @module
 */
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { createKeyring, generateKey, type Keyring } from 'sealed-session';
import { withSession } from 'sealed-session/http';
import { renderPage } from './demo-page.js';

const COOKIE = 'sid';
const CHUNK = /^sid\.\d$/;
const MAX_FORM_BYTES = 4096;
export const DEFAULT_KEY_FILE = fileURLToPath(new URL('../.demo-key', import.meta.url));

export interface DemoOptions {
  /** 0 for any free port. Default 3000. */
  readonly port?: number;
  /** Where the development key is kept. Default `.demo-key` at the repository root. */
  readonly keyFile?: string;
  /** A production key; takes precedence over the key file. Default `process.env.SESSION_KEY`. */
  readonly sessionKey?: string | undefined;
  /** Where the address and the warnings go. Default console.log and console.warn. */
  readonly log?: (line: string) => void;
  readonly warn?: (line: string) => void;
}

export interface RunningDemo {
  /** `http://localhost:PORT` */
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

/**
 * Starts the demo on 127.0.0.1 and resolves once it listens.
 * @example
 * ```ts
 * const demo = await startDemo({ port: 0, keyFile: '/tmp/demo-key' });
 * await fetch(demo.url);
 * await demo.close();
 * ```
 */
export async function startDemo(options: DemoOptions = {}): Promise<RunningDemo> {
  const {
    port = 3000,
    keyFile = DEFAULT_KEY_FILE,
    sessionKey = process.env.SESSION_KEY,
    log = console.log,
    warn = console.warn,
  } = options;
  const devKey = !sessionKey;
  const keys = devKey ? developmentKeys(keyFile, warn) : createKeyring(sessionKey);

  const listener = withSession(
    async (req, res, session) => {
      const route = `${req.method} ${new URL(req.url!, 'http://localhost').pathname}`;
      if (route === 'GET /') {
        const visits = Number(session.get('visits') ?? 0) + 1;
        session.set('visits', String(visits));
        const { isNew, keyId, issuedAt, expiresAt } = session;
        const cookie = sessionCookieSize(req.headers.cookie);
        const page = renderPage({
          visits,
          user: session.get('user'),
          entries: [...session],
          cookie,
          isNew,
          keyId,
          issuedAt,
          expiresAt,
          currentKeyId: keys.currentKeyId,
          devKey,
        });
        send(res, 200, 'text/html', page);
      } else if (route === 'POST /login') {
        const name = (await readForm(req))?.get('name')?.trim().slice(0, 64);
        if (name === undefined) return send(res, 413, 'text/plain', 'Form too large');
        if (name !== '') {
          session.set('user', name);
          session.regenerate(); // a fresh token at sign-in (session fixation)
        }
        seeOther(res);
      } else if (route === 'POST /logout') {
        session.destroy(); // expires the cookie
        seeOther(res);
      } else {
        send(res, 404, 'text/plain', 'Not found');
      }
    },
    {
      name: COOKIE,
      keys,
      ttl: 60 * 60, // an hour: the page shows the expiry, and rolling (the default, at half) renews it
      // Plain HTTP on localhost: not every browser sends a `Secure` cookie there. Keep the default
      // (`secure: true`) behind HTTPS; SameSite=Lax (the default) keeps other sites' forms from posting here.
      cookie: { secure: false },
    },
  );

  const server = createServer(listener).listen(port, '127.0.0.1');
  await Promise.race([once(server, 'listening'), once(server, 'error').then(([error]) => Promise.reject(error))]);
  const actual = (server.address() as AddressInfo).port;
  const url = `http://localhost:${actual}`;
  log(`sealed-session demo: ${url}`);
  return {
    url,
    port: actual,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/**
 * The key from `keyFile`, generated there on first start (mode 0600: only you can read it). An
 * existing file that other users can read is refused, as ssh refuses such a private key: anyone who
 * read it can forge every session of the demo, so it has to be replaced, not reused.
 */
function developmentKeys(keyFile: string, warn: (line: string) => void): Keyring {
  const created = !existsSync(keyFile);
  if (created) writeFileSync(keyFile, `${generateKey()}\n`, { mode: 0o600, flag: 'wx' });
  // POSIX permission bits; Windows does not report them (and sets none of these).
  else if (process.platform !== 'win32' && (statSync(keyFile).mode & 0o077) !== 0) {
    throw new Error(
      `${keyFile} is readable or writable by other users (mode ${(statSync(keyFile).mode & 0o777).toString(8)}): ` +
        'anyone who read it can forge sessions. Delete it (a new key is generated on the next start) or run `chmod 600` on it.',
    );
  }
  const keys = createKeyring([{ id: 'dev', secret: readFileSync(keyFile, 'utf8').trim() }]);
  warn(
    `WARNING: ${created ? 'generated a development key in' : 'using the development key in'} ${keyFile}.\n` +
      '  It is for this demo on your machine only. Production needs its own key, kept secret:\n' +
      '  `npx sealed-session keygen` prints one as SESSION_KEY=... for your environment (it takes precedence over the file).',
  );
  return keys;
}

/** The size of the session cookie(s) the browser sent, for display only: the adapter reads them itself. */
function sessionCookieSize(header: string | undefined): { bytes: number; count: number } | undefined {
  const pairs = (header ?? '')
    .split(';')
    .map((pair) => pair.trim())
    .filter((pair) => {
      const name = pair.slice(0, pair.indexOf('='));
      return name === COOKIE || CHUNK.test(name);
    });
  return pairs.length === 0
    ? undefined
    : { bytes: pairs.reduce((sum, pair) => sum + pair.length, 0), count: pairs.length };
}

/** An `application/x-www-form-urlencoded` body; undefined when it is over MAX_FORM_BYTES. */
async function readForm(req: IncomingMessage): Promise<URLSearchParams | undefined> {
  let body = '';
  for await (const chunk of req.setEncoding('utf8')) {
    body += chunk;
    if (body.length > MAX_FORM_BYTES) return undefined;
  }
  return new URLSearchParams(body);
}

function send(res: ServerResponse, status: number, type: string, body: string): void {
  res.writeHead(status, {
    'content-type': `${type}; charset=utf-8`,
    // No script and no third party: the page needs neither (defence in depth against injection).
    'content-security-policy':
      "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'",
    'x-content-type-options': 'nosniff',
  });
  res.end(body);
}

/** Post/Redirect/Get: a reload does not post the form again. */
function seeOther(res: ServerResponse): void {
  res.writeHead(303, { location: '/' }).end();
}

function portFromCommandLine(): number {
  const { values } = parseArgs({ options: { port: { type: 'string' } } });
  const text = values.port ?? process.env.PORT ?? '3000';
  const port = Number(text);
  if (!/^\d+$/.test(text) || port > 65535)
    throw new RangeError(`--port or PORT: expected a port number from 0 to 65535, got ${JSON.stringify(text)}`);
  return port;
}

// Started as a script (`npm start`), not when a test imports startDemo.
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  try {
    await startDemo({ port: portFromCommandLine() });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    console.error(
      code === 'EADDRINUSE'
        ? 'That port is in use: try PORT=3001 npm start'
        : String(error instanceof Error ? error.message : error),
    );
    process.exitCode = 1;
  }
}
