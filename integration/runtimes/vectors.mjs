/** The repository's vectors, read in place (one source of truth): JSON modules, which every runtime here and esbuild load. */
import tokens from '../../test/vectors/tokens.json' with { type: 'json' };
import xaes from '../../test/vectors/xaes-256-gcm.json' with { type: 'json' };
import aesGcm from '../../test/vectors/wycheproof/aes_gcm_test.json' with { type: 'json' };
import hmac from '../../test/vectors/wycheproof/hmac_sha256_test.json' with { type: 'json' };
import hkdf from '../../test/vectors/wycheproof/hkdf_sha256_test.json' with { type: 'json' };

export const vectors = Object.freeze({ tokens, xaes, aesGcm, hmac, hkdf });
