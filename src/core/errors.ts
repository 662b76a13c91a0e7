// Every error a user can meet has a stable code and a plain message. Codes
// are part of the report contract (failures[].code): add, never rename.
export const ERROR_CODES = {
  E_IO: 'The file could not be read',
  E_NOT_FOUND: 'The path does not exist',
  E_ZIP_CORRUPT: 'The zip archive is corrupt or truncated',
  E_ZIP_ENCRYPTED: 'The zip member is encrypted; its content cannot be read',
  E_ZIP_UNSUPPORTED: 'The zip member uses a compression method tamis cannot read',
  E_TAR_CORRUPT: 'The tar archive is corrupt or truncated',
  E_TAR_LINK: 'The tar entry is a link; links are recorded, never followed',
  E_GZIP_CORRUPT: 'The gzip stream is corrupt or truncated',
  E_ARCHIVE_CORRUPT: 'The 7z or RAR archive is corrupt or truncated',
  E_ARCHIVE_ENCRYPTED: 'The archive member is encrypted with a password; its content cannot be read',
  E_MBOX_CORRUPT: 'The mailbox could not be split into messages',
  E_EMAIL_INVALID: 'The file does not parse as an email message',
  E_PDF_INVALID: 'The PDF is corrupt, truncated or not a PDF',
  E_PDF_ENCRYPTED: 'The PDF is encrypted with a password; its text cannot be read',
  E_OOXML_INVALID: 'The Office (OOXML) document is corrupt',
  E_OOXML_ENCRYPTED: 'The Office (OOXML) document is encrypted with a password; its content cannot be read',
  E_OLE_INVALID: 'The legacy Office (OLE2) file is corrupt',
  E_OLE_ENCRYPTED: 'The legacy Office (OLE2) file is encrypted with a password; its content cannot be read, its properties may be',
  E_ODF_INVALID: 'The OpenDocument file is corrupt',
  E_ODF_ENCRYPTED: 'The OpenDocument file is encrypted with a password; its content cannot be read',
  E_IMAGE_METADATA: 'The image metadata could not be read; the image is kept',
  E_MSG_INVALID: 'The Outlook .msg file is corrupt',
  E_PST_INVALID: 'The Outlook .pst/.ost mail store, or part of it, is corrupt, truncated or in a form tamis cannot read',
  E_RTF_INVALID: 'The RTF document is corrupt',
  E_TEXT_DECODE: 'The text could not be decoded',
  E_TOO_DEEP: 'Containers are nested deeper than the limit',
  E_BOMB: 'The archive expands beyond the limits (zip bomb): the rest was not unpacked',
  E_TOO_MANY_ENTRIES: 'The archive has more members than the limit: the rest were not read',
  E_RECURSIVE: 'The container holds a copy of itself (or of a container around it)',
  E_UNREADABLE_ENTRY: 'The walk met something that is not a regular file or folder (socket, device, broken link)',
  E_TOO_LARGE: 'The item is larger than the limit',
  E_TIMEOUT: 'Parsing took longer than the limit; the worker was stopped',
  E_WORKER_CRASH: 'The parser process crashed on this item',
  E_OUT_OF_MEMORY: 'Parsing this item needed more memory than a parser may use; the parser was replaced and the run went on (raise the cap with tamis ingest --max-worker-memory)',
  E_EXTRACT: 'Extraction failed for an unexpected reason',
  E_OCR_UNAVAILABLE: 'OCR is not available on this machine',
  E_OCR_FAILED: 'OCR failed on this item; it is kept without recognised text',
  E_QUERY: 'The search query is not valid',
  E_KEYS_FILE: 'The DKIM key archive file could not be read',
  E_DB_OPEN: 'The store could not be opened',
  E_USAGE: 'The command line is not valid',
  E_QUEUE: 'The work queue (PostgreSQL) could not be reached or used',
  E_BLOB_STORE: 'The blob store (S3-compatible object storage) could not be reached or used, or a blob in it is missing',
  E_TEAM_DB: 'The team database (PostgreSQL: accounts, investigations, audit log) could not be reached or used',
  E_API_INVALID: 'The request is not valid',
  E_API_NOT_FOUND: 'No such item, thread or page',
  E_API_HOST: 'The request names a host this server does not answer for (DNS rebinding protection)',
  E_API_UNAUTHENTICATED: 'Log in first: no session, an expired one, or a wrong user name or password',
  E_API_FORBIDDEN: 'Your account has no access to this investigation, or its role there does not allow this',
  E_API_CSRF: 'A state-changing request must carry the session\'s CSRF token in an x-csrf-token header (and come from this site)',
  E_API_RATE_LIMITED: 'Too many failed logins for this account or from this address; wait a minute',
  E_API_INTERNAL: 'The server met an unexpected error (please report it)',
  E_UI_NOT_BUILT: 'The web UI is not built',
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

/** The one processing error type: ingestors throw it, the pipeline records it. */
export class TamisError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, detail?: string, options?: { cause?: unknown }) {
    super(detail ? `${ERROR_CODES[code]}: ${detail}` : ERROR_CODES[code], options);
    this.code = code;
    this.name = 'TamisError';
  }
}

/** Turn anything thrown into a code + message, without losing the original text. */
export function toFailure(err: unknown, fallback: ErrorCode = 'E_EXTRACT'): { code: ErrorCode; message: string } {
  if (err instanceof TamisError) return { code: err.code, message: err.message };
  const text = err instanceof Error ? err.message : String(err);
  return { code: fallback, message: `${ERROR_CODES[fallback]}: ${text.slice(0, 500)}` };
}
