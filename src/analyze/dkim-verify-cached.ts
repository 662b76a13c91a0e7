// mailauth's dkimVerify, with one change: a key record is parsed once per
// process, not once per message. mailauth builds the key object from the
// TXT record, exports it to PEM, and crypto.verify parses that PEM again,
// for every message; on a dump signed with a few keys that was about 40% of
// the verification time (bench/README.md). The parsed result depends only on
// the record's text and the lookup options, so it is memoised on exactly
// those; the resolver is still asked for every lookup (it decides which
// archived key each attempt tries).
import { createPublicKey, type KeyObject } from 'node:crypto';
import { createRequire } from 'node:module';
import type { MessageInput, DKIMVerifyOptions, DKIMVerifyResult } from 'mailauth';

const require = createRequire(import.meta.url);
// mailauth's internals (CommonJS, no type declarations): the verifier class and its key parser.
const { DkimVerifier } = require('mailauth/lib/dkim/dkim-verifier.js') as { DkimVerifier: new (o: unknown) => VerifierLike };
const { getPublicKey, writeToStream } = require('mailauth/lib/tools.js') as {
  getPublicKey: (type: string, name: string, minBitLength: number | undefined, resolver: Resolver, options: object) => Promise<ParsedKey>;
  writeToStream: (stream: unknown, input: MessageInput) => Promise<void>;
};

type Resolver = (name: string, type: string) => Promise<string[][]>;
interface ParsedKey { publicKey: string | KeyObject; rr: string; [k: string]: unknown }
interface VerifierLike {
  keyCache: unknown; arc: object; results: unknown[]; headerFrom: unknown; fromFields: unknown; envelopeFrom: unknown; headers?: unknown;
}

const MAX_KEYS = 1000;
const parsed = new Map<string, Promise<ParsedKey>>();

function sharedKeyCache(resolver: Resolver) {
  return {
    resolver,
    async get(type: string, name: string, minBitLength: number | undefined, options: { strict?: boolean; hashAlgo?: string } = {}): Promise<ParsedKey> {
      const answer = await resolver(name, 'TXT');
      const rr = ([] as string[]).concat(answer?.[0] ?? []).join('');
      const key = [type, !!options.strict, minBitLength ?? '', options.hashAlgo ?? '', rr].join('\n');
      let p = parsed.get(key);
      if (!p) {
        // The record is the one just resolved: the parser gets it back from a resolver of its own.
        p = getPublicKey(type, name, minBitLength, async () => answer, options).then((r) => ({
          ...r, publicKey: typeof r.publicKey === 'string' ? createPublicKey(r.publicKey) : r.publicKey,
        }));
        p.catch(() => false);
        if (parsed.size >= MAX_KEYS) parsed.clear();
        parsed.set(key, p);
      }
      return p;
    },
  };
}

export async function dkimVerifyCached(input: MessageInput, options: DKIMVerifyOptions & { resolver: Resolver }): Promise<DKIMVerifyResult> {
  const verifier = new DkimVerifier(options);
  verifier.keyCache = sharedKeyCache(options.resolver);
  Object.defineProperty(verifier.arc, 'keyCache', { value: verifier.keyCache, enumerable: false, configurable: true, writable: true });
  await writeToStream(verifier, input);
  const result = { headerFrom: verifier.headerFrom, fromFields: verifier.fromFields, envelopeFrom: verifier.envelopeFrom, results: verifier.results };
  Object.defineProperty(result, 'arc', { value: verifier.arc, enumerable: false });
  if (verifier.headers) Object.defineProperty(result, 'headers', { value: verifier.headers, enumerable: false });
  return result as unknown as DKIMVerifyResult;
}
