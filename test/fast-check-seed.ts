/**
 * Preloaded by `npm run test:unit` (--import) into every test process. fast-check prints the seed
 * and path of a failing property in its error ("{ seed: 1255386902, path: "1:0", ... }"); to replay
 * it, run the failing file again with that seed:
 *
 *   FC_SEED=1255386902 node --import tsx \
 *     --import ./test/fast-check-seed.ts --test test/format/codec.test.ts
 *
 * Every property in the run then starts from that seed, the failing one included.
 */
import fc from 'fast-check';

const seed = process.env['FC_SEED'];
if (seed !== undefined && seed !== '') {
  const value = Number(seed);
  if (!Number.isSafeInteger(value)) throw new RangeError(`FC_SEED: expected an integer, got ${JSON.stringify(seed)}`);
  fc.configureGlobal({ ...fc.readConfigureGlobal(), seed: value });
  process.stderr.write(`fast-check: every property runs with seed ${value} (FC_SEED)\n`);
}
