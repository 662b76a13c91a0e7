// The store contract: one scenario (contract-scenario.ts) run against any
// Store implementation, with the same expectations, so SQLite and PostgreSQL
// behave alike for every caller: ingest writes, search, report, analysis
// state, retry, and the explorer behind the web UI (store-contract-explore.ts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../../src/store/store.ts';
import { A, A_CHILDREN, B, CORPUS, D, DKIM_A, INPUT_REPLY, INPUT_ZIP, ITEMS, P, recordScenario, S, Z, Z_CHILDREN } from './contract-scenario.ts';
import { exploreContract } from './store-contract-explore.ts';

export interface ContractTarget {
  /** A new, empty store. */
  open: () => Promise<Store>;
  /** Remove what open() created (the store is closed first). */
  cleanup?: () => Promise<void>;
}

const sorted = (xs: string[]) => [...xs].sort();
const key = (name: string, value: string) => ({ name, value, source: 'file:keys.zone', importedAt: '2024-01-02T03:04:05.000Z' });

export function storeContract(engine: string, target: ContractTarget): void {
  describe(`${engine} store contract`, () => {
    let store: Store;
    beforeAll(async () => {
      store = await target.open();
      await recordScenario(store);
    });
    afterAll(async () => {
      await store?.close();
      await target.cleanup?.();
    });

    it('knows recorded items with their children, in order, metadata as given', async () => {
      const z = await store.knownItem(Z);
      expect(z).toEqual({ sha256: Z, mime: 'application/zip', ingestor: 'zip', status: 'done', children: Z_CHILDREN });
      expect(JSON.stringify(z!.children[0]!.meta)).toBe('{"b":2,"a":1}');
      expect((await store.knownItem(A))!.children).toEqual(A_CHILDREN); // the racing second extraction added none
      expect((await store.knownItem(P))!.status).toBe('failed');
      expect(await store.knownItem(S)).toBeUndefined();
    });

    it('counts items, bytes and failures, by the kind at the canonical path', async () => {
      expect(await store.counts()).toEqual({
        items: 5, bytes: 1800, failed: 5, byKind: { archive: 1, document: 2, email: 2 },
        failuresByCode: { E_BOMB: 2, E_PDF_INVALID: 2, E_TIMEOUT: 1 },
      });
    });

    it('repeats an item\'s failures at every path where its bytes appear', async () => {
      expect(await store.failures()).toEqual([
        { path: 'copy/broken.pdf', sha256: P, code: 'E_PDF_INVALID', message: 'not a PDF' },
        { path: 'copy/dump.zip!/evil.zip', sha256: null, code: 'E_BOMB', message: 'expands past the limit' },
        { path: 'dump.zip!/broken.pdf', sha256: P, code: 'E_PDF_INVALID', message: 'not a PDF' },
        { path: 'dump.zip!/evil.zip', sha256: null, code: 'E_BOMB', message: 'expands past the limit' },
        { path: 'dump.zip!/slow.docx', sha256: S, code: 'E_TIMEOUT', message: 'parsing took too long' },
      ]);
    });

    it('keeps the ledger of finished inputs', async () => {
      expect(await store.inputDone(INPUT_ZIP)).toBe(true);
      expect(await store.inputDone({ ...INPUT_ZIP, mtimeMs: INPUT_ZIP.mtimeMs + 1 })).toBe(false);
      expect(await store.inputDone({ ...INPUT_ZIP, path: 'other.zip' })).toBe(false);
      await store.markInputDone(INPUT_ZIP, Z); // again: replaced, not doubled
      const inputs = await store.inputs();
      expect(inputs.map(({ recordedAt, ...rest }) => rest)).toEqual([
        { path: 'dump.zip', sha256: Z, size: 1000, mtimeMs: INPUT_ZIP.mtimeMs },
        { path: 'mails/reply.eml', sha256: B, size: 250, mtimeMs: INPUT_REPLY.mtimeMs },
      ]);
      for (const i of inputs) expect(i.recordedAt).toMatch(/^\d{4}-\d\d-\d\dT/);
      expect(await store.itemHashes()).toEqual([Z, A, D, P, B]);
    });

    describe('search', () => {
      const shas = async (q: string) => { const r = await store.search(q, { limit: 10 }); return { total: r.total, shas: sorted(r.hits.map((h) => h.sha256)) }; };
      it('ignores accents and case', async () => {
        expect(await shas('tresorerie')).toEqual({ total: 2, shas: sorted([A, B]) });
        expect(await shas('TRÉSORERIE')).toEqual({ total: 2, shas: sorted([A, B]) });
        expect(await shas('elysee')).toEqual({ total: 1, shas: [B] });
      });
      it('reads phrases, prefixes, OR and exclusions', async () => {
        expect(await shas('"budget de la trésorerie"')).toEqual({ total: 1, shas: [A] });
        expect(await shas('"trésorerie budget"')).toEqual({ total: 0, shas: [] });
        expect(await shas('rapp*')).toEqual({ total: 2, shas: sorted([B, D]) });
        expect(await shas('budget OR élysée')).toEqual({ total: 2, shas: sorted([A, B]) });
        expect(await shas('tresorerie -elysee')).toEqual({ total: 1, shas: [A] });
        expect(await shas('budget marie')).toEqual({ total: 1, shas: [A] });
        await expect(store.search('-budget', { limit: 10 })).rejects.toMatchObject({ code: 'E_QUERY' });
        await expect(store.search('  ', { limit: 10 })).rejects.toMatchObject({ code: 'E_QUERY' });
      });
      it('finds every file name an item was met under', async () => {
        expect(await shas('comptable')).toEqual({ total: 1, shas: [D] });
        expect(await shas('dup')).toEqual({ total: 1, shas: [A] });
      });
      it('ranks title matches first, pages, and marks the words found', async () => {
        const r = await store.search('rapport', { limit: 10 });
        expect(r.hits.map((h) => h.sha256)).toEqual([D, B]);
        expect(r.hits[0]).toMatchObject({ id: D, sha256: D, path: 'a-docs/annexe-comptable.pdf', kind: 'document', title: 'Rapport final' });
        expect(r.hits[0]!.score).toBeGreaterThan(r.hits[1]!.score);
        for (const hit of r.hits) expect(hit.snippet).toMatch(/\*\*rapport\*\*/i);
        const second = await store.search('rapport', { limit: 1, offset: 1 });
        expect({ total: second.total, hits: second.hits.map((h) => h.sha256) }).toEqual({ total: 2, hits: [B] });
      });
    });

    describe('analysis state', () => {
      it('archives DKIM keys once each', async () => {
        expect(await store.addKeys([key('Sel._domainkey.Example.FR.', 'v=DKIM1; p=AAA'), key('sel._domainkey.example.fr', 'v=DKIM1; p=AAA'), key('a._domainkey.x.org', 'v=DKIM1; p=BBB')])).toBe(2);
        expect(await store.listKeys()).toEqual([key('a._domainkey.x.org', 'v=DKIM1; p=BBB'), key('sel._domainkey.example.fr', 'v=DKIM1; p=AAA')]);
      });
      it('tracks per-item analyses by analyzer version', async () => {
        expect(await store.pendingAnalysis('dkim', 1, 'email')).toEqual([A, B]);
        await store.saveItemFindings(A, 'dkim', 1, DKIM_A);
        await store.saveItemFindings(A, 'dkim', 1, DKIM_A); // replaced, not doubled
        await store.saveItemFindings(B, 'dkim', 1, []);
        expect(await store.pendingAnalysis('dkim', 1, 'email')).toEqual([]);
        expect(await store.pendingAnalysis('dkim', 2, 'email')).toEqual([A, B]);
        expect(await store.pendingAnalysis('pdf-rules', 1, 'pdf')).toEqual([D]); // P failed: not analysed
      });
      it('replaces a corpus analyzer\'s findings whole', async () => {
        await store.replaceAnalyzerFindings('corpus', new Map([[B, [{ rule: 'old.rule', severity: 'warn', message: 'gone', evidence: {}, related: [] }]]]));
        await store.replaceAnalyzerFindings('corpus', CORPUS);
        const all = await store.allFindings();
        expect([...all.keys()]).toEqual(sorted([A, B, D]));
        expect(all.get(A)).toEqual([...DKIM_A.map((f) => ({ ...f, analyzer: 'dkim' })), ...CORPUS.get(A)!.map((f) => ({ ...f, analyzer: 'corpus' }))]);
        expect(all.get(B)).toEqual(CORPUS.get(B)!.map((f) => ({ ...f, analyzer: 'corpus' })));
      });
      it('checks again the emails whose keys were added', async () => {
        await store.addKeys([key('sel._domainkey.example.fr', 'v=DKIM1; p=NEW')]);
        expect(await store.pendingAnalysis('dkim', 1, 'email')).toEqual([A]);
      });
      it('gives the corpus analyzers every item with its canonical path, children and text', async () => {
        const subjects = await store.analysisSubjects();
        expect(subjects.map((s) => [s.sha256, s.path, s.status])).toEqual([
          [Z, 'copy/dump.zip', 'done'], [A, 'dump.zip!/mail1.eml', 'done'], [D, 'a-docs/annexe-comptable.pdf', 'done'],
          [P, 'copy/broken.pdf', 'failed'], [B, 'mails/reply.eml', 'done'],
        ]);
        const a = subjects[1]!;
        // An email's HTML body is left out: no analyzer reads it.
        const { html: _, ...metaA } = ITEMS.A.meta;
        expect(a).toMatchObject({ mime: 'message/rfc822', ingestor: 'email', date: ITEMS.A.date, size: 300 });
        expect(a.meta).toEqual(metaA);
        // Asked for some headers only, an email keeps those (in order); other items are untouched.
        const trimmed = await store.analysisSubjects({ emailHeaders: ['received', 'x-mailer'] });
        expect(trimmed[1]!.meta).toEqual({ ...metaA, headers: [(metaA.headers as unknown[])[0], (metaA.headers as unknown[])[2]] });
        expect(trimmed[2]!.meta).toEqual(subjects[2]!.meta);
        expect(a.children).toEqual(A_CHILDREN.map(({ sha256, role, name, meta }) => ({ sha256, role, name, meta })));
        expect(subjects[0]!.children.map((c) => c.name)).toEqual(['mail1.eml', 'broken.pdf', 'slow.docx']);
        expect(JSON.stringify(subjects[2]!.meta)).toBe('{"zeta":1,"author":"Jean Dupont"}');
        expect(await store.itemText(a.rowid)).toBe(ITEMS.A.text);
        expect(await store.itemText(subjects[0]!.rowid)).toBe('');
      });
      it('sets verdicts and reports every item in path order with its findings', async () => {
        await store.setVerdicts(new Map([[A, 'verified'], [B, 'suspicious'], [D, 'tampered'], [Z, 'consistent']]));
        const report = [];
        for await (const r of store.reportItems()) report.push(r);
        expect(report.map((r) => r.path)).toEqual(['a-docs/annexe-comptable.pdf', 'copy/broken.pdf', 'copy/dump.zip', 'dump.zip!/mail1.eml', 'mails/reply.eml']);
        expect(report[0]).toEqual({
          id: D, sha256: D, path: 'a-docs/annexe-comptable.pdf', paths: ['a-docs/annexe-comptable.pdf', 'dump.zip!/mail1.eml!/rapport-final.pdf'],
          parent: null, kind: 'document', mime: 'application/pdf', size: 200, title: 'Rapport final', date: '2017-04-30', verdict: 'tampered',
          findings: [CORPUS.get(D)![0], CORPUS.get(D)![1]],
        });
        const a = report[3]!;
        expect(a).toMatchObject({ sha256: A, paths: ['dump.zip!/mail1.eml', 'mails/dup.eml'], parent: Z, kind: 'email', title: 'Point trésorerie 2017', verdict: 'verified' });
        // Severity, then rule, message and evidence: the same order whichever analyzer ran first.
        const [warnB, warnA2, warnA1, prov] = CORPUS.get(A)!;
        expect(a.findings).toEqual([warnA1, warnA2, warnB, DKIM_A[0], prov]);
        expect(report[1]).toMatchObject({ sha256: P, paths: ['copy/broken.pdf', 'dump.zip!/broken.pdf'], parent: null, kind: 'document', verdict: 'consistent', findings: [] });
      });
      it('keeps threads, clusters and the near-duplicate index', async () => {
        await store.replaceThreads([[{ sha256: Z, messageId: '<old>', parent: null }]]);
        await store.replaceThreads([[
          { sha256: A, messageId: '<a@example.fr>', parent: null }, { sha256: B, messageId: '<b@example.fr>', parent: 0 },
          { sha256: null, messageId: '<missing@example.fr>', parent: 0 },
        ]]);
        await store.replaceClusters([{ reason: 'same-message-id', members: [A, B] }]);
        await store.replaceClusters([{ reason: 'near-text', members: [P, D] }]);
        expect(await store.clusters()).toEqual([{ cluster: 1, reason: 'near-text', members: [
          { sha256: D, path: 'a-docs/annexe-comptable.pdf', title: 'Rapport final', verdict: 'tampered' },
          { sha256: P, path: 'copy/broken.pdf', title: null, verdict: 'consistent' },
        ] }]);
        await store.saveDupIndex(new Map([[D, [1, 2, 4294967295]]]), [{ a: D, b: P, similarity: 0.9 }]);
        await store.saveDupIndex(new Map([[P, [3]]]), [{ a: D, b: P, similarity: 0.95 }, { a: A, b: B, similarity: 0.5 }]);
        const index = await store.loadDupIndex();
        expect([...index.keys]).toEqual([[D, [1, 2, 4294967295]], [P, [3]]]);
        expect(index.edges).toEqual([{ a: D, b: P, similarity: 0.95 }, { a: A, b: B, similarity: 0.5 }]);
      });
    });

    exploreContract(() => store);

    it('takes back what failed, for --retry-failed', async () => {
      expect(await store.takeFailedForRetry()).toEqual([
        { path: 'dump.zip!/broken.pdf', sha256: P, parentSha256: Z, parentPath: 'dump.zip', role: 'member', name: 'broken.pdf' },
        { path: 'copy/broken.pdf', sha256: P, parentSha256: null, parentPath: null, role: 'file', name: 'broken.pdf' },
        { path: 'dump.zip!/slow.docx', sha256: S, parentSha256: Z, parentPath: 'dump.zip', role: 'member', name: 'slow.docx' },
      ]);
      expect(await store.knownItem(P)).toBeUndefined();
      expect((await store.failures()).map((f) => f.path)).toEqual(['copy/dump.zip!/evil.zip', 'dump.zip!/evil.zip']);
      expect((await store.counts()).items).toBe(4);
      expect(await store.itemHashes()).toEqual([Z, A, D, B]);
      expect(await store.takeFailedForRetry()).toEqual([]);
    });
  });
}
