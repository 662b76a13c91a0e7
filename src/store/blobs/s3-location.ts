// `s3://bucket/prefix`: a blob store in S3-compatible object storage, named
// by one string that worker threads and processes can open again. What is not
// in the string comes from the environment every process shares: the standard
// AWS variables (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN,
// AWS_REGION, AWS_PROFILE, …) and TAMIS_S3_ENDPOINT for a server other than
// AWS (MinIO, Ceph, Garage…), which is then addressed path-style
// (http://host/bucket/key: such servers seldom have a DNS name per bucket).
import type { S3ClientConfig } from '@aws-sdk/client-s3';
import { TamisError } from '../../core/errors.ts';

export interface S3Location {
  bucket: string;
  /** '' or 'a/b/': every key starts with it. */
  prefix: string;
  /** The canonical form, s3://bucket or s3://bucket/a/b. */
  location: string;
}

export const isS3Location = (location: string): boolean => /^s3:\/\//i.test(location);

// S3's bucket rules, with underscores that some S3-compatible servers allow.
const BUCKET = /^[a-z0-9][a-z0-9._-]{1,61}[a-z0-9]$/;
// Prefix segments: printable, no `.`/`..` (a server that normalises paths would leave the prefix).
const SEGMENT = /^[^\u0000-\u001f\u007f\\]+$/;

export function parseS3Location(location: string): S3Location {
  const m = /^s3:\/\/([^/]*)(?:\/(.*))?$/i.exec(location);
  const bucket = m?.[1] ?? '';
  if (!m || !BUCKET.test(bucket)) {
    throw new TamisError('E_USAGE', `${location}: an S3 blob store is named s3://BUCKET or s3://BUCKET/PREFIX (bucket: 3 to 63 lowercase letters, digits, dots, hyphens)`);
  }
  const segments = (m[2] ?? '').split('/').filter((s) => s !== '');
  for (const s of segments) {
    if (s === '.' || s === '..' || !SEGMENT.test(s)) throw new TamisError('E_USAGE', `${location}: the prefix may not hold "${s}"`);
  }
  const prefix = segments.length ? segments.join('/') + '/' : '';
  return { bucket, prefix, location: `s3://${bucket}${prefix ? '/' + prefix.slice(0, -1) : ''}` };
}

/** The client settings from the environment (credentials are left to the SDK's standard chain). */
export function s3ClientConfig(env: NodeJS.ProcessEnv = process.env): S3ClientConfig {
  const endpoint = env.TAMIS_S3_ENDPOINT || undefined;
  return {
    endpoint,
    forcePathStyle: endpoint !== undefined,
    // A self-hosted server has no region of its own; AWS needs the bucket's (or the profile's, when unset here).
    region: env.AWS_REGION || env.AWS_DEFAULT_REGION || (endpoint ? 'us-east-1' : undefined),
    // The SDK's default extra checksums (CRC32, with aws-chunked trailers on streams) are refused by many
    // S3-compatible servers; tamis sends the SHA-256 it files each blob under instead (x-amz-checksum-sha256
    // on single uploads), re-hashes what it uploads, and `tamis verify-store` re-hashes what is stored.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  };
}
