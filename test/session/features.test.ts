/**
 * The session layer's answers to what migrating users look for first: per-session cookie lifetime
 * (options.persistent), session.touch(), flash values and typed session keys. The same features
 * through every adapter over HTTP: test/adapters/features.test.ts.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import {
  commitSession,
  defineSession,
  memoryStore,
  readSession,
  Session,
  setFlash,
  takeFlash,
  FLASH_PREFIX,
} from '../../src/index.js';
import { assertError, BAD_INPUTS, clock, deletedNames, Jar, keys, setNames, untyped } from './helpers.js';

/** One request against `jar`: read, act, commit, apply. */
async function request(jar: Jar, config: ReturnType<typeof defineSession>, act: (session: Session) => void = () => {}) {
  const state = await readSession(jar.header(), config);
  act(state.session);
  const lines = await commitSession(state, config);
  jar.apply(lines);
  return { lines, session: state.session };
}

describe('options.persistent: the cookie lifetime of each session', () => {
  const remember = (session: Session) => session.get('remember') === '1';

  test('false gives a browser-session cookie (no Max-Age), true the configured Max-Age; the choice holds on re-issue', async () => {
    const config = defineSession({
      name: 'sid',
      keys,
      cookie: { maxAge: 7200 },
      rolling: 'always',
      persistent: remember,
    });
    const no = new Jar();
    const [signIn] = (await request(no, config, (s) => s.set('remember', '0'))).lines;
    assert.match(signIn!, /^sid=ss1\.[\w-]+; Path=\/; Secure; HttpOnly; SameSite=Lax$/);
    const [rolled] = (await request(no, config)).lines;
    assert.match(rolled!, /^sid=ss1\.[\w-]+; Path=\/; Secure; HttpOnly; SameSite=Lax$/);
    const yes = new Jar();
    const [persistent] = (await request(yes, config, (s) => s.set('remember', '1'))).lines;
    assert.match(persistent!, /^sid=ss1\.[\w-]+; Max-Age=7200; Path=\/; Secure; HttpOnly; SameSite=Lax$/);
  });

  test('every chunk of a large browser-session cookie lacks Max-Age; deletions keep Max-Age=0', async () => {
    const config = defineSession({ name: 'sid', keys, persistent: () => false, maxSize: 12288 });
    const jar = new Jar();
    const big = await request(jar, config, (s) => s.set('big', 'x'.repeat(6000)));
    const chunks = setNames(big.lines);
    assert.ok(chunks.length >= 2 && chunks.every((name, i) => name === `sid.${i}`), chunks.join(','));
    for (const line of big.lines) assert.doesNotMatch(line, /Max-Age/);
    const small = await request(jar, config, (s) => s.set('big', 'x'));
    assert.deepEqual(setNames(small.lines), ['sid']);
    assert.deepEqual(deletedNames(small.lines), chunks);
    for (const line of small.lines.filter((l) => l.startsWith('sid.'))) assert.match(line, /; Max-Age=0;/);
  });

  test('it cannot lengthen the configured lifetime: with maxAge "session" every cookie is a browser-session one', async () => {
    const config = defineSession({ name: 'sid', keys, cookie: { maxAge: 'session' }, persistent: () => true });
    const [line] = (await request(new Jar(), config, (s) => s.set('a', 'b'))).lines;
    assert.doesNotMatch(line!, /Max-Age/);
  });

  test('a non-function is refused at setup, a non-boolean answer at commit, each with a TypeError', async () => {
    for (const [label, bad] of BAD_INPUTS) {
      if (typeof bad === 'function' || bad === undefined) continue;
      await assertError(
        () => defineSession({ name: 'sid', keys, persistent: untyped(bad) }),
        TypeError,
        'options.persistent: expected a function (session) => boolean',
      );
      assert.ok(label);
    }
    const config = defineSession({ name: 'sid', keys, persistent: untyped(() => 'yes') });
    const state = await readSession(undefined, config);
    state.session.set('a', 'b');
    await assertError(
      () => commitSession(state, config),
      TypeError,
      'options.persistent: expected a function returning a boolean, got one returning',
    );
  });
});

describe('session.touch()', () => {
  test('re-issues an unchanged cookie session with a fresh expiry when rolling is off', async () => {
    const time = clock();
    const config = defineSession({ name: 'sid', keys, rolling: false, ttl: 3600, now: time.now });
    const jar = new Jar();
    await request(jar, config, (s) => s.set('user', 'ann'));
    time.advance(1800_000);
    assert.deepEqual((await request(jar, config)).lines, []);
    const touched = await request(jar, config, (s) => s.touch());
    assert.deepEqual(setNames(touched.lines), ['sid']);
    time.advance(3000_000); // 80 minutes after sign-in, 50 after the touch
    assert.equal((await request(jar, config)).session.get('user'), 'ann');
  });

  test('a new, empty session touched sends nothing', async () => {
    const config = defineSession({ name: 'sid', keys });
    const state = await readSession(undefined, config);
    state.session.touch();
    assert.deepEqual(await commitSession(state, config), []);
  });

  test('a server-side session is saved again under the same id', async () => {
    const store = memoryStore({ keys });
    const config = defineSession({ name: 'sid', store, rolling: false });
    const jar = new Jar();
    await request(jar, config, (s) => s.set('user', 'ben'));
    const id = jar.cookies.get('sid');
    const touched = await request(jar, config, (s) => s.touch());
    assert.deepEqual(setNames(touched.lines), ['sid']);
    assert.equal((await request(jar, config)).session.get('user'), 'ben');
    assert.ok(id !== undefined);
  });
});

describe('flash values', () => {
  test('set now, taken once on the next request, then gone from the cookie', async () => {
    const config = defineSession({ name: 'sid', keys });
    const jar = new Jar();
    await request(jar, config, (s) => {
      s.set('user', 'cat');
      setFlash(s, 'notice', 'Saved.');
    });
    let taken: string | undefined;
    const next = await request(jar, config, (s) => (taken = takeFlash(s, 'notice')));
    assert.equal(taken, 'Saved.');
    assert.deepEqual(setNames(next.lines), ['sid'], 'the commit removes it from the cookie');
    const after = await request(jar, config, (s) => (taken = takeFlash(s, 'notice')));
    assert.equal(taken, undefined);
    assert.deepEqual([...after.session], [['user', 'cat']]);
  });

  test('kept under the reserved prefix; a new value replaces the old; bad keys and values are TypeErrors', async () => {
    const session = new Session();
    setFlash(session, 'notice', 'one');
    setFlash(session, 'notice', 'two');
    assert.deepEqual([...session], [[`${FLASH_PREFIX}notice`, 'two']]);
    assert.equal(takeFlash(session, 'missing'), undefined);
    for (const [, bad] of BAD_INPUTS) {
      if (typeof bad === 'string') continue;
      await assertError(() => setFlash(session, untyped(bad), 'v'), TypeError, 'setFlash: expected a string key');
      await assertError(() => takeFlash(session, untyped(bad)), TypeError, 'takeFlash: expected a string key');
      await assertError(() => setFlash(session, 'k', untyped(bad)), TypeError, 'session.set: expected a string value');
    }
  });
});

describe('typed session keys (declaration merging)', () => {
  const fixture = new URL('fixtures/typed-keys/', import.meta.url);
  const tsc = new URL('../../node_modules/typescript/bin/tsc', import.meta.url).pathname;
  const run = (project: URL) => spawnSync(process.execPath, [tsc, '-p', project.pathname], { encoding: 'utf8' });

  test('an app that declares SessionData gets a type error for every undeclared key or wrong value, through every adapter', () => {
    const result = run(new URL('tsconfig.json', fixture));
    // Every `@ts-expect-error` in app.ts meets its error, or tsc reports TS2578.
    assert.equal(result.status, 0, result.stdout + result.stderr);
    const source = readFileSync(new URL('app.ts', fixture), 'utf8');
    assert.equal(source.match(/\/\/ @ts-expect-error/g)?.length, 12);
  });

  test('without the @ts-expect-error lines, those 12 lines are the errors (TS2345), and nothing else', () => {
    const stripped = readFileSync(new URL('app.ts', fixture), 'utf8').replace(/^\s*\/\/ @ts-expect-error.*\n/gm, '');
    const file = new URL('stripped.ts', fixture);
    const project = new URL('tsconfig.stripped.json', fixture);
    try {
      writeFileSync(file, stripped);
      writeFileSync(project, JSON.stringify({ extends: './tsconfig.json', include: ['stripped.ts'] }));
      const result = run(project);
      const errors = result.stdout.split('\n').filter((line) => line.includes('error TS'));
      assert.equal(errors.length, 12, result.stdout);
      for (const error of errors) assert.match(error, /error TS2345: Argument of type '"(usrId|blue)"'/);
    } finally {
      rmSync(file, { force: true });
      rmSync(project, { force: true });
    }
  });
});
