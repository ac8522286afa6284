// The defaults behind a default-configured nginx and directly on Node: sessions grown from 100 B to
// past the budget, written and read back through real Chromium and curl. Every accepted write must
// leave the site reachable (no 502, 400 or 431) with the data intact; every refused write must leave
// the previous session loadable.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { curl, curlJar, SECRET_1, startApp, startChromium, startNginx, visit } from '../harness.mjs';

const SIZES = [100, 250, 500, 1000, 1200, 1300, 1400, 1500, 2000, 3000, 4000];
const REFUSED = /expected at most 2048 bytes of Set-Cookie headers \(options\.maxSize\)/;

describe('default options behind a default nginx and on bare Node', { timeout: 240_000 }, () => {
  let app, nginx, browser;
  before(async () => {
    app = await startApp({ name: 'sid', keys: [{ id: 'k1', secret: SECRET_1 }] });
    nginx = await startNginx(app.port);
    browser = await startChromium();
  });
  after(async () => {
    await browser?.close();
    await nginx?.stop();
    await app?.stop();
  });

  /** Grows one client's session through SIZES with `request(path)`; checks every step. */
  async function grow(request) {
    let previous = 0;
    const outcome = { accepted: [], refused: [] };
    for (const bytes of SIZES) {
      const write = await request(`/write?bytes=${bytes}`);
      assert.ok(write.status === 200 || write.status === 500, `write ${bytes}: status ${write.status}`);
      const read = await request('/read');
      assert.equal(read.status, 200, `read after write ${bytes}: status ${read.status}`);
      if (write.status === 200) {
        outcome.accepted.push(bytes);
        previous = bytes;
      } else {
        outcome.refused.push(bytes);
        assert.match(JSON.stringify(write.body), REFUSED);
      }
      assert.deepEqual({ bytes: read.body.bytes, intact: read.body.intact }, { bytes: previous, intact: true }, `after write ${bytes}`);
    }
    // The site stays usable: sign-out works.
    assert.equal((await request('/logout')).status, 200);
    assert.equal((await request('/read')).body.bytes, 0);
    return outcome;
  }

  const curlRequest = async (base) => {
    const jar = await curlJar();
    return async (path) => {
      const { status, body } = await curl(base() + path, jar);
      let parsed;
      try { parsed = JSON.parse(body); } catch { parsed = { text: body }; }
      return { status, body: parsed };
    };
  };
  const chromiumRequest = async (base) => {
    const context = await browser.newContext();
    const page = await context.newPage();
    return (path) => visit(page, base() + path);
  };

  for (const [front, base] of [['nginx', () => nginx.url], ['Node', () => app.url]]) {
    for (const [client, make] of [['curl', curlRequest], ['Chromium', chromiumRequest]]) {
      test(`${client} through ${front}: 100 B to past the budget, every accepted write readable, every refused one keeps the previous session`, async () => {
        const outcome = await grow(await make(base));
        // The budget, not the infrastructure, decides: the same sizes everywhere.
        assert.deepEqual(outcome.accepted, [100, 250, 500, 1000, 1200, 1300, 1400]);
        assert.deepEqual(outcome.refused, [1500, 2000, 3000, 4000]);
      });
    }
  }

  test('the largest default session passes a default nginx both ways, with room for the app\'s other headers and cookies', async (t) => {
    // The largest session the default budget accepts (bisection on bare Node, 12 steps).
    let low = 100;
    let high = 4000;
    while (high - low > 1) {
      const middle = (low + high) >> 1;
      const jar = await curlJar();
      const { status } = await curl(`${app.url}/write?bytes=${middle}`, jar);
      if (status === 200) low = middle;
      else high = middle;
    }
    const largest = low;
    t.diagnostic(`largest default session: ${largest} characters of session data`);
    console.log(`# measured: largest default session = ${largest} characters`);
    // The room it leaves in nginx's 4 KiB response-head buffer: the most bytes of another header
    // nginx still passes next to it (bisection, 12 steps).
    let padLow = 0;
    let padHigh = 4096;
    while (padHigh - padLow > 1) {
      const middle = (padLow + padHigh) >> 1;
      const jar = await curlJar();
      const { status } = await curl(`${nginx.url}/write?bytes=${largest}&pad=${middle}`, jar);
      assert.ok(status === 200 || status === 502, `status ${status}`);
      if (status === 200) padLow = middle;
      else padHigh = middle;
    }
    t.diagnostic(`room left in a default nginx response head: ${padLow} bytes of other headers`);
    console.log(`# measured: room next to it in nginx's response buffer = ${padLow} bytes`);
    assert.ok(padLow >= 1500, `room for other response headers: ${padLow} bytes`);
    // Request direction: with 4 KiB of the site's other cookies in the browser, through nginx.
    const context = await browser.newContext();
    await context.addCookies(Array.from({ length: 4 }, (_, i) => ({ name: `other${i}`, value: 'o'.repeat(1000), url: nginx.url })));
    const page = await context.newPage();
    assert.equal((await visit(page, `${nginx.url}/write?bytes=${largest}&pad=1500`)).status, 200);
    const read = await visit(page, `${nginx.url}/read`);
    assert.deepEqual({ status: read.status, bytes: read.body.bytes, intact: read.body.intact }, { status: 200, bytes: largest, intact: true });
    await context.close();
  });
});
