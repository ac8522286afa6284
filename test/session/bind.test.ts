import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as node from '../../src/index.js';
import * as web from '../../src/web.js';
import { assertError, BAD_INPUTS, clock, Jar, keys, untyped } from './helpers.js';

const SESSION_API = ['defineSession', 'readSession', 'commitSession', 'cookieStore', 'memoryStore', 'Session'] as const;

describe('both builds export the same session API', () => {
  test('the same names; the runtime-neutral parts are the very same objects', () => {
    for (const name of SESSION_API) {
      assert.equal(typeof node[name], 'function', `node ${name}`);
      assert.equal(typeof web[name], 'function', `web ${name}`);
    }
    assert.equal(node.Session, web.Session);
    // Test code stays out of application bundles: the conformance suite is sealed-session/testing.
    assert.ok(!('storeConformance' in node) && !('storeConformance' in web));
  });

  test('a config from one build works with the other build', async () => {
    const time = clock();
    const config = node.defineSession({ name: 'sid', keys, now: time.now });
    const state = await web.readSession(undefined, config);
    state.session.set('a', 'b');
    const jar = new Jar().apply(await node.commitSession(state, config));
    const reread = await node.readSession(jar.header(), config);
    assert.equal(reread.session.get('a'), 'b');
    assert.deepEqual(await web.commitSession(reread, config), []);
  });

  test("options with one build's store work with the other build's functions", async () => {
    const options = { name: 'sid', store: web.cookieStore({ keys }) };
    const state = await node.readSession(undefined, options);
    state.session.set('a', 'b');
    const jar = new Jar().apply(await node.commitSession(state, options));
    assert.equal((await web.readSession(jar.header(), options)).session.get('a'), 'b');
  });
});

describe('every public session function against the bad-input catalogue (STYLE.md §8)', () => {
  for (const [build, api] of [
    ['node', node],
    ['web', web],
  ] as const) {
    test(`${build}: defineSession, readSession and commitSession refuse bad options with a TypeError`, async () => {
      for (const [label, bad] of BAD_INPUTS) {
        const expected = /^options(\.name)?: expected/;
        await assertError(() => api.defineSession(untyped(bad)), TypeError, expected).catch((error: Error) =>
          assert.fail(`${label}: ${error.message}`),
        );
        await assertError(() => api.readSession('sid=x', untyped(bad)), TypeError, expected);
        const state = await api.readSession(undefined, api.defineSession({ name: 'sid', keys }));
        await assertError(() => api.commitSession(state, untyped(bad)), TypeError, expected);
      }
    });

    test(`${build}: readSession takes any header value without throwing`, async () => {
      const config = api.defineSession({ name: 'sid', keys });
      for (const [, bad] of BAD_INPUTS) {
        const { session } = await api.readSession(untyped(bad), config);
        assert.equal(session.size, 0);
      }
    });

    test(`${build}: names in the catalogue are refused as cookie names`, async () => {
      for (const [label, bad] of BAD_INPUTS) {
        const type = label === 'a 1 MB string' ? RangeError : TypeError;
        await assertError(() => api.defineSession(untyped({ name: bad, keys })), type, /^options\.name: expected/);
      }
    });
  }
});
