// Picks the ingestor for an item: every ingestor scores the sniffed MIME type
// and extension, the highest positive score wins. No match is not an error:
// the item is kept with its bytes and hash, only without extracted text.
import type { Ingestor } from './ingestor.ts';
import { zipIngestor } from './zip.ts';
import { tarIngestor } from './tar.ts';
import { mboxIngestor } from './mbox.ts';
import { emailIngestor } from './email.ts';
import { pdfIngestor } from './pdf.ts';
import { ooxmlIngestor } from './ooxml.ts';
import { htmlIngestor } from './html.ts';
import { textIngestor } from './text.ts';
import { ole2Ingestor } from './ole2.ts';
import { odfIngestor } from './odf.ts';
import { imageIngestor } from './image.ts';
import { msgIngestor } from './msg.ts';
import { rtfIngestor } from './rtf.ts';
import { sevenZipIngestor } from './sevenzip.ts';
import { pstIngestor } from './pst.ts';

export const INGESTORS: readonly Ingestor[] = [
  emailIngestor, msgIngestor, mboxIngestor, pstIngestor, zipIngestor, tarIngestor, sevenZipIngestor,
  pdfIngestor, ooxmlIngestor, ole2Ingestor, odfIngestor, rtfIngestor, htmlIngestor, textIngestor, imageIngestor,
];

export function pickIngestor(mime: string, ext: string, ingestors: readonly Ingestor[] = INGESTORS): Ingestor | undefined {
  let best: Ingestor | undefined;
  let bestScore = 0;
  for (const ing of ingestors) {
    const s = ing.score({ mime, ext });
    if (s > bestScore) { best = ing; bestScore = s; }
  }
  return best;
}
