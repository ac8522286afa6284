// Key rotation during a rolling deploy: two Node server processes serve alternate requests of one
// client (a load balancer's round robin) while their keyrings change one server at a time.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { curl, curlJar, SECRET_1, SECRET_2, startApp } from '../harness.mjs';

const K1 = { id: 'k1', secret: SECRET_1 };
const K2 = { id: 'k2', secret: SECRET_2 };
const RINGS = {
  before: [K1],
  acceptK2: [{ ...K2, state: 'accept-only' }, K1],
  promoted: [K2, K1],
};

describe('key rotation across two server processes', { timeout: 240_000 }, () => {
  const running = [];
  after(async () => {
    for (const server of running) await server.stop();
  });
  const server = async (keys) => {
    const started = await startApp({ name: 'sid', keys });
    running.push(started);
    return started;
  };

  /** 50 alternating /count requests of one client over `pair`; the writes that found the session gone. */
  async function resets(pair, jar, state) {
    let lost = 0;
    for (let i = 0; i < 50; i++) {
      const { status, body } = await curl(`${pair[i % 2].url}/count`, jar);
      assert.equal(status, 200);
      const { n } = JSON.parse(body);
      if (n !== state.n + 1) lost++;
      state.n = n;
    }
    return lost;
  }

  test('two steps (add the key accept-only everywhere, then promote it): 0 of 200 writes reset', async () => {
    const jar = await curlJar();
    const state = { n: 0 };
    let a = await server(RINGS.before);
    let b = await server(RINGS.before);
    let lost = await resets([a, b], jar, state);
    // Step 1, one server at a time: the new key is known everywhere before anyone seals with it.
    await b.stop();
    b = await server(RINGS.acceptK2);
    lost += await resets([a, b], jar, state);
    await a.stop();
    a = await server(RINGS.acceptK2);
    // Step 2, one server at a time: promote the new key.
    await b.stop();
    b = await server(RINGS.promoted);
    lost += await resets([a, b], jar, state);
    await a.stop();
    a = await server(RINGS.promoted);
    lost += await resets([a, b], jar, state);
    assert.equal(lost, 0);
    assert.equal(state.n, 200);
  });

  test('one step (the old runbook: new servers with [k2, k1] next to old ones with [k1]) resets about every other write', async (t) => {
    const jar = await curlJar();
    const state = { n: 0 };
    const a = await server(RINGS.before);
    const b = await server(RINGS.promoted);
    const lost = await resets([a, b], jar, state);
    t.diagnostic(`one-step rollout: ${lost} of 50 alternating writes reset the session`);
    assert.equal(lost, 24);
  });
});
