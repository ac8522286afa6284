/**
 * What Express's per-request `Object.setPrototypeOf(res, app.response)` does to the cost of the
 * properties a middleware then adds to the response (docs/performance.md, "What is left, from
 * profiles"): the `node:http` adapter adds four method wrappers to each response (writeHead,
 * flushHeaders, write, end), as express-session and on-headers add theirs. Times, in alternating
 * batches of CPU time, making a ServerResponse and adding the four wrappers (new closures each time,
 * as the adapter does), with and without a prototype change first, and making one without adding
 * anything (the floor). Run: npx tsx bench/prototype-stores.ts
 */
import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';

const appResponse = Object.create(ServerResponse.prototype) as object; // what express() makes per app
const BATCH = 20_000;
const ROUNDS = 11;

function response(swapPrototype: boolean): ServerResponse {
  const res = new ServerResponse(new IncomingMessage(new Socket()));
  if (swapPrototype) Object.setPrototypeOf(res, appResponse);
  return res;
}

function withWrappers(res: ServerResponse): ServerResponse {
  const held = res as unknown as Record<string, unknown>;
  held.writeHead = () => res;
  held.flushHeaders = () => undefined;
  held.write = () => true;
  held.end = () => res;
  return res;
}

const subjects = {
  'plain ServerResponse, nothing added (floor)': () => response(false),
  'plain ServerResponse + 4 wrappers': () => withWrappers(response(false)),
  'prototype changed, nothing added': () => response(true),
  'prototype changed + 4 wrappers (Express)': () => withWrappers(response(true)),
};
const samples = new Map<string, number[]>(Object.keys(subjects).map((name) => [name, []]));
for (let round = 0; round < ROUNDS + 1; round++) {
  for (const [name, make] of Object.entries(subjects)) {
    const start = process.cpuUsage();
    for (let i = 0; i < BATCH; i++) make();
    const spent = process.cpuUsage(start);
    if (round > 0) samples.get(name)!.push((spent.user + spent.system) / BATCH); // round 0 warms up
  }
}
const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1]!;
console.log(`CPU µs per response, median of ${ROUNDS} alternating batches of ${BATCH}; node ${process.version}`);
for (const [name, values] of samples) console.log(`  ${name.padEnd(46)} ${median(values).toFixed(2)}`);
