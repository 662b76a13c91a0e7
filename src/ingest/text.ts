// Plain-text family (txt, csv, tsv, markdown, logs...): decode and count lines.
// The generic fallback for any text/* that no specialised ingestor claims.
import type { Ingestor, IngestInput, Extraction } from './ingestor.ts';
import { decodeText } from './charset.ts';

const OWN_MIMES = new Set([
  'text/plain',
  'text/csv',
  'text/tab-separated-values',
  'text/markdown',
  'text/x-markdown',
  'text/x-log',
]);
const OWN_EXTS = new Set(['txt', 'text', 'csv', 'tsv', 'tab', 'md', 'markdown', 'log']);

function countLines(text: string): number {
  if (text.length === 0) return 0;
  let n = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) n++;
  // A last line without a terminator still counts.
  return text.endsWith('\n') ? n : n + 1;
}

export const textIngestor: Ingestor = {
  name: 'text',
  score({ mime, ext }) {
    if (OWN_MIMES.has(mime)) return 100;
    if (mime.startsWith('text/')) return 50;
    if (OWN_EXTS.has(ext)) return 10;
    return 0;
  },
  async extract(input: IngestInput): Promise<Extraction> {
    const { text, charset, source } = decodeText(input.bytes);
    return {
      text,
      meta: { charset, charsetSource: source, lines: countLines(text) },
      children: [],
    };
  },
};
