// The small dump the store contract (store-contract.ts) records into every
// store engine: a zip holding an email with an attachment, a broken PDF and
// a member that timed out; a reply; the zip, the PDF and the attachment met
// again at other paths; and the same email recorded twice (two workers racing).
import { createHash } from 'node:crypto';
import type { Finding } from '../../src/core/types.ts';
import type { ChildRecord, FailureRecord, ItemRecord, Occurrence, Store } from '../../src/store/store.ts';

const h = (s: string) => createHash('sha256').update(s).digest('hex');
export const Z = h('zip');
export const A = h('email-a');
export const B = h('email-b');
export const D = h('document-d');
export const P = h('broken-p');
export const S = h('slow-s');

const item = (over: Partial<ItemRecord> & Pick<ItemRecord, 'sha256' | 'mime' | 'size'>): ItemRecord => ({
  ingestor: null, title: null, date: null, meta: {}, text: '', status: 'done', errorCode: null, errorMessage: null, ...over,
});

export const ITEMS = {
  Z: item({ sha256: Z, size: 1000, mime: 'application/zip', ingestor: 'zip' }),
  A: item({
    sha256: A, size: 300, mime: 'message/rfc822', ingestor: 'email', title: 'Point trésorerie 2017', date: '2017-05-01T09:00:00.000Z',
    // Keys out of alphabetical order: the store gives metadata back as it was given.
    meta: {
      subject: 'Point trésorerie 2017', from: { name: 'Jean Dupont', address: 'Jean.Dupont@Example.fr' },
      to: [{ name: 'Marie Curie', address: 'marie@example.fr' }], cc: [{ name: '', address: 'Paul@Other.org' }],
      messageId: '<a@example.fr>', html: '<p>Bonjour <b>Marie</b></p>',
      headers: [['Received', 'from mx.example.fr by mail.example.fr; Mon, 1 May 2017 11:00:01 +0200'], ['Subject', 'Point trésorerie 2017'], ['X-Mailer', 'Outlook 16.0']],
    },
    text: 'Bonjour Marie, voici le budget de la Trésorerie pour 2017. Cordialement, Jean.',
  }),
  D: item({ sha256: D, size: 200, mime: 'application/pdf', ingestor: 'pdf', title: 'Rapport final', date: '2017-04-30', meta: { zeta: 1, author: 'Jean Dupont' }, text: 'Le rapport annuel de la société.' }),
  P: item({ sha256: P, size: 50, mime: 'application/pdf', ingestor: 'pdf', status: 'failed', errorCode: 'E_PDF_INVALID', errorMessage: 'not a PDF' }),
  B: item({
    sha256: B, size: 250, mime: 'message/rfc822', ingestor: 'email', title: 'Re: Point trésorerie 2017', date: '2017-05-02T10:00:00.000Z',
    meta: { from: { name: 'Marie Curie', address: 'marie@example.fr' }, to: [{ name: 'Jean', address: 'jean.dupont@example.fr' }], messageId: '<b@example.fr>' },
    text: "Merci Jean, l'Élysée attend le rapport.",
  }),
};

export const Z_CHILDREN: ChildRecord[] = [
  { name: 'mail1.eml', role: 'member', sha256: A, size: 300, meta: { b: 2, a: 1 } },
  { name: 'broken.pdf', role: 'member', sha256: P, size: 50, meta: {} },
  { name: 'slow.docx', role: 'member', sha256: S, size: 70, meta: {} },
];
export const A_CHILDREN: ChildRecord[] = [{ name: 'rapport-final.pdf', role: 'attachment', sha256: D, size: 200, meta: { contentType: 'application/pdf' } }];

const occ = (path: string, sha256: string, parent: [string, string] | null, role: Occurrence['role'], kind: Occurrence['kind']): Occurrence => ({
  path, sha256, parentSha256: parent?.[0] ?? null, parentPath: parent?.[1] ?? null, role, kind, name: path.split(/!\/|\//).pop()!,
});

export const INPUT_ZIP = { path: 'dump.zip', absPath: '/evidence/dump.zip', size: 1000, mtimeMs: 1493600000123.5 };
export const INPUT_REPLY = { path: 'mails/reply.eml', absPath: '/evidence/mails/reply.eml', size: 250, mtimeMs: 1493700000000 };

/** Everything an ingest of the dump would record, in the order it would. */
export async function recordScenario(store: Store): Promise<void> {
  const bomb: FailureRecord = { path: 'dump.zip!/evil.zip', sha256: null, code: 'E_BOMB', message: 'expands past the limit', itemSha256: Z, member: '!/evil.zip' };
  await store.recordExtraction(ITEMS.Z, Z_CHILDREN, occ('dump.zip', Z, null, 'file', 'archive'), [bomb]);
  await store.recordExtraction(ITEMS.A, A_CHILDREN, occ('dump.zip!/mail1.eml', A, [Z, 'dump.zip'], 'member', 'email'), []);
  await store.recordExtraction(ITEMS.D, [], occ('dump.zip!/mail1.eml!/rapport-final.pdf', D, [A, 'dump.zip!/mail1.eml'], 'attachment', 'attachment'), []);
  await store.recordExtraction(ITEMS.P, [], occ('dump.zip!/broken.pdf', P, [Z, 'dump.zip'], 'member', 'document'),
    [{ path: 'dump.zip!/broken.pdf', sha256: P, code: 'E_PDF_INVALID', message: 'not a PDF', itemSha256: P, member: '' }]);
  await store.recordFailure({ path: 'dump.zip!/slow.docx', sha256: S, code: 'E_TIMEOUT', message: 'parsing took too long' });
  await store.markInputDone(INPUT_ZIP, Z);
  await store.recordExtraction(ITEMS.B, [], occ('mails/reply.eml', B, null, 'file', 'email'), []);
  // The same bytes met again: one item, more paths, the item's failures repeated there.
  await store.recordOccurrence(occ('copy/dump.zip', Z, null, 'file', 'archive'), []);
  await store.recordOccurrence(occ('copy/broken.pdf', P, null, 'file', 'document'), []);
  await store.recordOccurrence(occ('a-docs/annexe-comptable.pdf', D, null, 'file', 'document'), []);
  // A second extraction of known bytes (two workers racing): only the occurrence is new.
  await store.recordExtraction({ ...ITEMS.A, title: 'ignored' }, [], occ('mails/dup.eml', A, null, 'file', 'email'), []);
  await store.markInputDone(INPUT_REPLY, B);
  await store.flush();
}

const finding = (rule: string, severity: Finding['severity'], message: string, evidence: Record<string, unknown> = {}, related: string[] = []): Finding =>
  ({ rule, severity, message, evidence, related });

export const DKIM_A = [finding('dkim.pass', 'info', 'signature verified', { selector: 'sel', domain: 'example.fr', key: { source: 'file:keys.zone' } })];
export const CORPUS = new Map<string, Finding[]>([
  [A, [
    finding('header.received-order', 'warn', 'b second', { z: 1 }),
    finding('header.received-order', 'warn', 'a first', { b: 2 }),
    finding('header.received-order', 'warn', 'a first', { a: 1 }),
    finding('provenance.attachment', 'info', 'carries an attachment', {}, [D]),
  ]],
  [D, [finding('copy.altered-figures', 'critical', 'figures changed', { original: A }, [A]), finding('doc.note', 'info', 'noted')]],
  [B, [finding('profile.unusual-mailer', 'warn', 'unusual mailer')]],
]);
