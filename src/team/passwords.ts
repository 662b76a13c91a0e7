// Password hashes: Argon2id from Node's own crypto (Node ≥ 24.7), no native
// module to build. Stored as a PHC string ($argon2id$v=19$m=…,t=…,p=…$salt$hash)
// so the parameters travel with each hash and can be raised later without
// invalidating old ones.
import { argon2, randomBytes, timingSafeEqual } from 'node:crypto';

// OWASP's first recommended Argon2id setting: 19 MiB, 2 passes, 1 lane (~60 ms here).
const PARAMS = { memory: 19_456, passes: 2, parallelism: 1, tagLength: 32 };
const MIN_LENGTH = 10;
const MAX_LENGTH = 1024;

interface Parsed { memory: number; passes: number; parallelism: number; salt: Buffer; hash: Buffer }

function derive(password: string, salt: Buffer, p: { memory: number; passes: number; parallelism: number; tagLength: number }): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    argon2('argon2id', { message: password, nonce: salt, ...p }, (err, key) => (err ? reject(err) : resolve(key)));
  });
}

const b64 = (b: Buffer) => b.toString('base64').replace(/=+$/, '');

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const hash = await derive(password, salt, PARAMS);
  return `$argon2id$v=19$m=${PARAMS.memory},t=${PARAMS.passes},p=${PARAMS.parallelism}$${b64(salt)}$${b64(hash)}`;
}

function parse(phc: string): Parsed | undefined {
  const m = /^\$argon2id\$v=19\$m=(\d+),t=(\d+),p=(\d+)\$([A-Za-z0-9+/]+)\$([A-Za-z0-9+/]+)$/.exec(phc);
  if (!m) return undefined;
  return { memory: Number(m[1]), passes: Number(m[2]), parallelism: Number(m[3]), salt: Buffer.from(m[4]!, 'base64'), hash: Buffer.from(m[5]!, 'base64') };
}

export async function verifyPassword(password: string, phc: string): Promise<boolean> {
  const p = parse(phc);
  if (!p || password.length > MAX_LENGTH) return false;
  const hash = await derive(password, p.salt, { memory: p.memory, passes: p.passes, parallelism: p.parallelism, tagLength: p.hash.length });
  return timingSafeEqual(hash, p.hash);
}

// Checked against when the user name is unknown, so a wrong name costs the
// same time as a wrong password and does not reveal which accounts exist.
let dummy: Promise<string> | undefined;
export function dummyHash(): Promise<string> {
  dummy ??= hashPassword(randomBytes(16).toString('hex'));
  return dummy;
}

/** Why a new password is refused, or undefined when it is acceptable. */
export function passwordProblem(password: string): string | undefined {
  if (password.length < MIN_LENGTH) return `a password needs at least ${MIN_LENGTH} characters`;
  if (password.length > MAX_LENGTH) return `a password has at most ${MAX_LENGTH} characters`;
  return undefined;
}

/** A password to hand to a new user: 20 characters from an unambiguous alphabet (~115 bits). */
export function generatePassword(): string {
  const alphabet = 'abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';
  const bytes = randomBytes(40);
  let out = '';
  // Rejection sampling keeps every character equally likely.
  for (const b of bytes) if (b < 220 && out.length < 20) out += alphabet[b % 55];
  return out.length === 20 ? out : generatePassword();
}
