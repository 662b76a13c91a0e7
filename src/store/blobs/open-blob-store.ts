// Opens the blob store a location names: `s3://bucket/prefix` for S3-compatible
// object storage (s3-location.ts says where the endpoint and credentials come
// from), anything else a local folder. The main thread, worker threads and
// worker processes all open theirs this way from the same string.
import type { BlobStore } from './blob-store.ts';
import { LocalBlobStore } from './local-blob-store.ts';
import { isS3Location } from './s3-location.ts';

export async function openBlobStore(location: string): Promise<BlobStore> {
  if (!isS3Location(location)) return new LocalBlobStore(location);
  // Loaded only when asked for: the AWS SDK adds about 0.2 s to a command's start.
  const { S3BlobStore } = await import('./s3-blob-store.ts');
  return new S3BlobStore(location);
}
