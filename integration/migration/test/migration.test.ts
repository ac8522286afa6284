/**
 * The migration guides' code (docs/migration/*.md), run against the real old libraries: each old
 * library issues a session cookie the way it does in production, and the guide's import code,
 * mounted next to sealed-session's adapter, must carry the user over and expire the old cookie.
 * Then the TS2717 clash each guide describes, and its fix, through the real type packages.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import express from 'express';
import expressSession from 'express-session';
import cookieSession from 'cookie-session';
import Fastify from 'fastify';
import fastifySecureSession from '@fastify/secure-session';
import sodium from 'sodium-native';
import { sealData, unsealData } from 'iron-session';
import { createKeyring, defineSession, generateKey } from 'sealed-session';
import { session as sealedExpress } from 'sealed-session/express';
import { session as sealedFastify } from 'sealed-session/fastify';

const suite = new URL('../', import.meta.url);
const blocks = new URL(`.blocks-${process.pid}/`, suite);
const keys = createKeyring(generateKey());
const options = { name: 'sid', keys, cookie: { secure: false } };

/** The guide's one ts block, written out as a module and imported. */
async function guide(page: string): Promise<Record<string, any>> {
  const text = readFileSync(new URL(`../../docs/migration/${page}.md`, suite), 'utf8');
  const found = [...text.matchAll(/^```ts\n([\s\S]*?)^```$/gm)];
  assert.equal(found.length, 1, `${page}: one ts block`);
  const file = new URL(`${page}.ts`, blocks);
  writeFileSync(file, found[0]![1]!);
  return import(file.href);
}

async function listen(server: Server): Promise<{ url: string; close: () => Promise<void> }> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }) };
}

/** `name=value` pairs of a response's Set-Cookie lines, for the next request's Cookie header. */
const pairs = (response: Response) => response.headers.getSetCookie().map((line) => line.slice(0, line.indexOf(';')));
const expired = (response: Response, name: string) => response.headers.getSetCookie().some((line) => line.startsWith(`${name}=;`) && /Max-Age=0/i.test(line));

before(() => mkdirSync(blocks, { recursive: true }));
after(() => rmSync(blocks, { recursive: true, force: true }));

describe('live users move over, reading the old cookie once', () => {
  test('express-session: a signed connect.sid and its store entry', async () => {
    const { importOldSession } = await guide('express-session');
    const secret = 'old-express-session-secret';
    const store = new expressSession.MemoryStore();
    const old = express();
    old.use(expressSession({ secret, store, resave: false, saveUninitialized: false }));
    old.get('/login', (req, res) => {
      (req.session as unknown as Record<string, string>)['user'] = 'ann';
      res.end('ok');
    });
    const app = express();
    app.use(sealedExpress(options));
    app.use(importOldSession(store, secret));
    app.get('/whoami', (req, res) => res.json({ user: req.session.get('user') ?? null }));
    const [oldServer, newServer] = [await listen(createServer(old)), await listen(createServer(app))];
    try {
      const oldCookie = pairs(await fetch(`${oldServer.url}/login`)).join('; ');
      assert.match(oldCookie, /^connect\.sid=s%3A/);
      const moved = await fetch(`${newServer.url}/whoami`, { headers: { cookie: oldCookie } });
      assert.deepEqual(await moved.json(), { user: 'ann' });
      assert.ok(expired(moved, 'connect.sid'));
      const sid = pairs(moved).find((pair) => pair.startsWith('sid=ss1.'));
      assert.ok(sid);
      const again = await fetch(`${newServer.url}/whoami`, { headers: { cookie: sid } });
      assert.deepEqual(await again.json(), { user: 'ann' });
      const forged = await fetch(`${newServer.url}/whoami`, { headers: { cookie: oldCookie.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A')) } });
      assert.deepEqual(await forged.json(), { user: null });
    } finally {
      await oldServer.close();
      await newServer.close();
    }
  });

  test('cookie-session: session and session.sig (Keygrip)', async () => {
    const { importOldSession } = await guide('cookie-session');
    const old = express();
    old.use(cookieSession({ name: 'session', keys: ['old-key-2', 'old-key-1'] }));
    old.get('/login', (req, res) => {
      req.session!['user'] = 'ben';
      res.end('ok');
    });
    const app = express();
    app.use(sealedExpress(options));
    app.use(importOldSession(['old-key-1', 'old-key-2']));
    app.get('/whoami', (req, res) => res.json({ user: req.session.get('user') ?? null }));
    const [oldServer, newServer] = [await listen(createServer(old)), await listen(createServer(app))];
    try {
      const oldCookie = pairs(await fetch(`${oldServer.url}/login`)).join('; ');
      assert.match(oldCookie, /^session=[^;]+; session\.sig=/);
      const moved = await fetch(`${newServer.url}/whoami`, { headers: { cookie: oldCookie } });
      assert.deepEqual(await moved.json(), { user: 'ben' });
      assert.ok(expired(moved, 'session') && expired(moved, 'session.sig'));
      const unsigned = oldCookie.replace(/session\.sig=[^;]+/, 'session.sig=AAAA');
      assert.deepEqual(await (await fetch(`${newServer.url}/whoami`, { headers: { cookie: unsigned } })).json(), { user: null });
    } finally {
      await oldServer.close();
      await newServer.close();
    }
  });

  test('iron-session: a sealed cookie read through the cookie jar adapter', async () => {
    const { sessionWithImport } = await guide('iron-session');
    const password = 'old-iron-session-password-at-least-32-characters';
    const seal = await sealData({ user: 'cat' }, { password });
    const values = new Map([['iron-session', seal]]);
    const writes: Array<[string, string, Record<string, unknown>]> = [];
    const jar = {
      get: (name: string) => (values.has(name) ? { name, value: values.get(name)! } : undefined),
      set: (name: string, value: string, attributes: Record<string, unknown>) => void writes.push([name, value, attributes]),
      delete: (name: string) => void values.delete(name),
    };
    const config = defineSession(options);
    const { session, commit } = await sessionWithImport(jar, config, unsealData, password);
    assert.equal(session.get('user'), 'cat');
    assert.equal(values.has('iron-session'), false, 'the old cookie is deleted');
    await commit();
    assert.equal(writes.length, 1);
    assert.match(writes[0]![1], /^ss1\./);
    const wrong = new Map([['iron-session', seal]]);
    const other = await sessionWithImport({ ...jar, get: (name: string) => (wrong.has(name) ? { value: wrong.get(name)! } : undefined), delete: (name: string) => void wrong.delete(name) }, config, unsealData, 'another-password-of-at-least-32-characters!!');
    assert.equal(other.session.size, 0);
  });

  test('@fastify/secure-session: a secretbox cookie opened with sodium-native', async () => {
    const { importOldSessions } = await guide('fastify-secure-session');
    const key = randomBytes(32);
    const old = Fastify();
    await old.register(fastifySecureSession, { key, cookie: { path: '/' } });
    old.get('/login', async (request) => {
      request.session.set('user', 'dan');
      return 'ok';
    });
    const app = Fastify();
    await app.register(sealedFastify, options);
    importOldSessions(app, [randomBytes(32), key], sodium.crypto_secretbox_open_easy);
    app.get('/whoami', async (request) => ({ user: request.session.get('user') ?? null }));
    const oldUrl = await old.listen({ host: '127.0.0.1', port: 0 });
    const newUrl = await app.listen({ host: '127.0.0.1', port: 0 });
    try {
      const oldCookie = pairs(await fetch(`${oldUrl}/login`)).join('; ');
      assert.match(oldCookie, /^session=/);
      const moved = await fetch(`${newUrl}/whoami`, { headers: { cookie: oldCookie } });
      assert.deepEqual(await moved.json(), { user: 'dan' });
      assert.ok(expired(moved, 'session'));
      assert.ok(pairs(moved).some((pair) => pair.startsWith('sid=ss1.')));
      const other = await fetch(`${newUrl}/whoami`, { headers: { cookie: oldCookie.replace(/%3B|;(?=[^ ])/, (sep) => `${sep}x`) } });
      assert.deepEqual(await other.json(), { user: null });
    } finally {
      await old.close();
      await app.close();
    }
  });
});

describe('TS2717 while the old library\'s types are installed, and the fix', () => {
  const tsc = new URL('node_modules/typescript/bin/tsc', suite).pathname;
  const compile = (source: string, compilerOptions: Record<string, unknown> = {}) => {
    const dir = new URL(`types-${Math.random().toString(36).slice(2)}/`, blocks);
    mkdirSync(dir);
    writeFileSync(new URL('app.ts', dir), source);
    writeFileSync(
      new URL('tsconfig.json', dir),
      JSON.stringify({
        compilerOptions: {
          strict: true, noEmit: true, module: 'NodeNext', moduleResolution: 'NodeNext', target: 'ES2022', skipLibCheck: false,
          // This suite's @types only: TypeScript also loads those of every folder above (the repository's own).
          typeRoots: [new URL('node_modules/@types', suite).pathname],
          ...compilerOptions,
        },
        files: ['app.ts'],
      }),
    );
    const result = spawnSync(process.execPath, [tsc, '-p', new URL('tsconfig.json', dir).pathname], { encoding: 'utf8' });
    return result.stdout;
  };
  const usesSession = "import type { Request } from 'express';\nimport 'sealed-session/express';\nexport const user = (req: Request) => req.session.get('user');\n";

  test('express-session: TS2717 on Request.session; "types": ["node"] without importing it compiles', () => {
    // Which of the two is "subsequent" depends on the order TypeScript reads them in.
    assert.match(compile(usesSession), /error TS2717: Subsequent property declarations must have the same type\. {2}Property 'session' must be of type '(Session|Session & Partial<SessionData>)', but here has type '(Session & Partial<SessionData>|Session)'/);
    assert.equal(compile(usesSession, { types: ['node'] }), '');
  });

  test('cookie-session: no clash: @types/cookie-session adds session through `extends`, and ours wins', () => {
    const withOld = usesSession + "import 'cookie-session';\n";
    // (`types` keeps @types/express-session, also installed in this suite, out of it.)
    assert.equal(compile(withOld, { types: ['node'] }), '');
    assert.equal(compile(usesSession, { types: ['node', 'cookie-session'] }), '');
  });

  test('@fastify/secure-session: TS2717 on FastifyRequest.session once it is imported; not without it', () => {
    const fastifyApp = "import type { FastifyRequest } from 'fastify';\nimport 'sealed-session/fastify';\nexport const user = (request: FastifyRequest) => request.session.get('user');\n";
    assert.match(compile(fastifyApp + "import '@fastify/secure-session';\n", { types: ['node'] }), /error TS2717: .*Property 'session' must be of type '(Session<SessionData>|Session)', but here has type '(Session|Session<SessionData>)'/);
    assert.equal(compile(fastifyApp, { types: ['node'] }), '');
  });
});
