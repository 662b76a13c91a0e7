// What an RSA signature says it signed. Raising b= to the public exponent
// gives back the signer's padded block (RFC 8017 EMSA-PKCS1-v1_5): 00 01
// FF..FF 00, then the DigestInfo of the hash the signer computed. A random
// or pasted-in b= gives no such block (the chance is below 2^-80 for a
// 1024-bit key). So the check tells apart three cases that a plain
// verify() lumps into "fail": the signature is valid; the key's owner signed
// other header bytes (a signed header changed); or this key never made this
// signature (another key, or garbage).
import { constants, publicDecrypt, type KeyObject } from 'node:crypto';

export type RsaRecovery =
  | { made: true; hash: 'sha1' | 'sha256' | 'unknown'; digest: Buffer }
  | { made: false };

// DER DigestInfo prefixes (RFC 8017 §9.2 note 1), with the NULL parameters and without.
const PREFIXES: ['sha1' | 'sha256', Buffer][] = [
  ['sha256', Buffer.from('3031300d060960864801650304020105000420', 'hex')],
  ['sha1', Buffer.from('3021300906052b0e03021a05000414', 'hex')],
  ['sha256', Buffer.from('302f300b06096086480165030402010420', 'hex')],
  ['sha1', Buffer.from('301f300706052b0e03021a0414', 'hex')],
];

export function recoverRsa(key: KeyObject, bits: number, signature: Buffer): RsaRecovery {
  const k = Math.ceil(bits / 8);
  // RFC 8017 §8.2.2 step 1: a signature of another length is invalid.
  if (signature.length !== k) return { made: false };
  let em: Buffer;
  try {
    em = publicDecrypt({ key, padding: constants.RSA_NO_PADDING }, signature);
  } catch {
    return { made: false }; // the value is not below the modulus
  }
  if (em[0] !== 0x00 || em[1] !== 0x01) return { made: false };
  let i = 2;
  while (i < em.length && em[i] === 0xff) i++;
  if (i - 2 < 8 || em[i] !== 0x00) return { made: false };
  const t = em.subarray(i + 1);
  for (const [hash, prefix] of PREFIXES) {
    if (t.length === prefix.length + (hash === 'sha1' ? 20 : 32) && t.subarray(0, prefix.length).equals(prefix)) {
      return { made: true, hash, digest: Buffer.from(t.subarray(prefix.length)) };
    }
  }
  // A well-formed block around an unknown DigestInfo: still made with the key.
  return t.length >= 20 ? { made: true, hash: 'unknown', digest: Buffer.from(t) } : { made: false };
}
