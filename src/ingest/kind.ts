// The report's `kind` of an occurrence, from how its parent holds it and what
// it is. The same bytes can be an attachment in one place and a loose
// document in another; the report shows the kind of the canonical path.
import type { Kind } from '../core/types.ts';
import type { Role } from '../store/store.ts';

const ARCHIVE_MIMES = new Set([
  'application/zip', 'application/x-tar', 'application/gzip', 'application/mbox', 'application/x-7z-compressed',
  'application/vnd.rar', 'application/x-rar-compressed', 'application/x-bzip2', 'application/x-xz', 'application/vnd.ms-outlook-pst',
]);

function isDocumentMime(mime: string): boolean {
  return mime === 'application/pdf' || mime.startsWith('text/') || mime === 'application/rtf' ||
    mime.startsWith('application/vnd.openxmlformats-officedocument.') || mime.startsWith('application/vnd.oasis.opendocument.') ||
    mime.startsWith('application/vnd.ms-') || mime === 'application/msword' || mime === 'application/xml' ||
    mime === 'application/x-ole-storage' || mime === 'application/epub+zip';
}

export function kindOf(role: Role, mime: string, ingestor: string | null): Kind {
  if (role === 'message' || mime === 'message/rfc822' || mime === 'application/vnd.ms-outlook' || ingestor === 'email' || ingestor === 'msg') return 'email';
  if (role === 'attachment') return 'attachment';
  if (ARCHIVE_MIMES.has(mime) || ingestor === 'zip' || ingestor === 'tar' || ingestor === 'mbox' || ingestor === 'pst') return 'archive';
  if (mime.startsWith('image/')) return 'image';
  if (isDocumentMime(mime)) return 'document';
  return 'other';
}
