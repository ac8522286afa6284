/** isWellFormed: the built-in and the portable regular expression give the same answers. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { isWellFormed, isWellFormedPortable } from '../../src/text/utf8.js';

/** A reference written from the definition: every high surrogate followed by a low one, no other surrogate. */
function reference(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code >= 0xd800 && code <= 0xdbff) {
      const next = text.charCodeAt(i + 1);
      if (!(next >= 0xdc00 && next <= 0xdfff)) return false;
      i++;
    } else if (code >= 0xdc00 && code <= 0xdfff) {
      return false;
    }
  }
  return true;
}

test('Node has String.prototype.isWellFormed, so the built-in is the one used', () => {
  assert.notEqual(isWellFormed, isWellFormedPortable);
});

test('(fast-check) both agree with the definition on strings rich in surrogates', () => {
  const unit = fc.oneof(
    fc.constantFrom('\uD800', '\uDBFF', '\uDC00', '\uDFFF', '\u{1F600}', 'a', ''),
    fc.string({ unit: 'binary', maxLength: 3 }),
  );
  fc.assert(
    fc.property(
      fc.array(unit, { maxLength: 12 }).map((parts) => parts.join('')),
      (text) => {
        assert.equal(isWellFormed(text), reference(text), JSON.stringify(text));
        assert.equal(isWellFormedPortable(text), reference(text), JSON.stringify(text));
      },
    ),
    { numRuns: 3000 },
  );
});
