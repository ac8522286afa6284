/**
 * Reads the known-answer tokens with a second, independent implementation of
 * SECURITY.md's format written here with node:crypto alone (hkdfSync, an ECB
 * cipher for XAES-256-GCM's KDF, createDecipheriv, createHmac): if the spec and
 * the code ever disagree, this fails.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createCipheriv, createDecipheriv, createHmac, hkdfSync } from 'node:crypto';

interface Generate {
  name: string;
  kind: 'sealed' | 'signed';
  keys: Array<{ id: string; secret: string }>;
  now: number;
  ttl: number | null;
  context: string;
  data: Array<[string, string]>;
  token: string;
  nonce?: string;
}
const { generate }: { generate: Generate[] } = JSON.parse(
  readFileSync(new URL('../vectors/tokens.json', import.meta.url), 'utf8'),
);

function subkey(secret: Buffer, label: string): Buffer {
  return Buffer.from(hkdfSync('sha256', secret, 'sealed-session/v1', `sealed-session/v1/${label}`, 32));
}

function xaesKey(key: Buffer, nonce: Buffer): Buffer {
  const ecb = createCipheriv('aes-256-ecb', key, null).setAutoPadding(false);
  const l = ecb.update(Buffer.alloc(16));
  const k1 = Buffer.alloc(16);
  for (let i = 0; i < 16; i++) k1[i] = ((l[i]! << 1) | (i < 15 ? l[i + 1]! >> 7 : 0)) & 0xff;
  if (l[0]! & 0x80) k1[15]! ^= 0x87;
  const m = Buffer.concat([
    Buffer.from([0, 1, 0x58, 0]),
    nonce.subarray(0, 12),
    Buffer.from([0, 2, 0x58, 0]),
    nonce.subarray(0, 12),
  ]);
  for (let i = 0; i < 32; i++) m[i]! ^= k1[i % 16]!;
  return ecb.update(m);
}

function decodePayload(bytes: Buffer): Array<[string, string]> {
  const strings: string[] = [];
  let at = 0;
  while (at < bytes.length) {
    let length = 0;
    let shift = 0;
    for (;;) {
      const byte = bytes[at++]!;
      length += (byte & 0x7f) * 2 ** shift;
      shift += 7;
      if (byte < 0x80) break;
    }
    strings.push(bytes.subarray(at, at + length).toString('utf8'));
    at += length;
  }
  const pairs: Array<[string, string]> = [];
  for (let i = 0; i < strings.length; i += 2) pairs.push([strings[i]!, strings[i + 1]!]);
  return pairs;
}

for (const c of generate) {
  test(`independent reading: ${c.name}`, () => {
    assert.ok(c.token.startsWith('ss1.'));
    const body = Buffer.from(c.token.slice(4), 'base64url');
    assert.equal(body[0], 1, 'version');
    assert.equal(body[1], c.kind === 'sealed' ? 1 : 2, 'kind');
    const idLength = body[2]!;
    const keyId = body.subarray(3, 3 + idLength).toString('ascii');
    assert.equal(keyId, c.keys[0]!.id);
    const issuedAt = body.readUIntBE(3 + idLength, 5);
    const expiresAt = body.readUIntBE(8 + idLength, 5);
    assert.equal(issuedAt, Math.floor(c.now / 1000));
    assert.equal(expiresAt, c.ttl === null ? 0 : issuedAt + c.ttl);
    const header = body.subarray(0, 13 + idLength);
    const context = Buffer.from(c.context, 'utf8');
    assert.ok(context.length < 128);
    const bound = Buffer.concat([header, Buffer.from([context.length]), context]);
    const secret = Buffer.from(c.keys[0]!.secret, 'hex');
    let payload: Buffer;
    if (c.kind === 'sealed') {
      const nonce = body.subarray(header.length, header.length + 24);
      assert.equal(nonce.toString('hex'), c.nonce);
      const sealed = body.subarray(header.length + 24);
      const decipher = createDecipheriv('aes-256-gcm', xaesKey(subkey(secret, 'seal'), nonce), nonce.subarray(12), {
        authTagLength: 16,
      });
      decipher.setAAD(bound);
      decipher.setAuthTag(sealed.subarray(sealed.length - 16));
      payload = Buffer.concat([decipher.update(sealed.subarray(0, sealed.length - 16)), decipher.final()]);
    } else {
      payload = body.subarray(header.length, body.length - 32);
      const tag = createHmac('sha256', subkey(secret, 'sign'))
        .update(Buffer.concat([bound, payload]))
        .digest();
      assert.equal(tag.toString('hex'), body.subarray(body.length - 32).toString('hex'));
    }
    assert.deepEqual(decodePayload(payload), c.data);
  });
}
