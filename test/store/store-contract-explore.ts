// The explorer part of the store contract (store-contract.ts): run after the
// scenario's analysis state is in place (verdicts, findings, threads, clusters).
import { describe, expect, it } from 'vitest';
import type { SearchFilters } from '../../src/store/explore.ts';
import type { Store } from '../../src/store/store.ts';
import { A, B, D, ITEMS, P, Z } from './contract-scenario.ts';

const sorted = (xs: string[]) => [...xs].sort();

export function exploreContract(get: () => Store): void {
  describe('explorer', () => {
    const page = { limit: 20, offset: 0 };
    const hits = async (filters: SearchFilters, p: { limit: number; offset: number; sort?: 'relevance' | 'newest' | 'oldest' | 'verdict' } = page) =>
      (await get().explore.search(filters, p)).hits.map((h) => h.sha256);

    it('lists everything with facets over the whole selection', async () => {
      const r = await get().explore.search({}, page);
      expect(r.total).toBe(5);
      expect(r.hits.map((h) => h.sha256)).toEqual([B, A, D, ...sorted([P, Z])]); // newest first, undated last
      expect(r.facets).toEqual({
        verdict: [{ value: 'consistent', count: 2 }, { value: 'suspicious', count: 1 }, { value: 'tampered', count: 1 }, { value: 'verified', count: 1 }],
        kind: [{ value: 'document', count: 2 }, { value: 'email', count: 2 }, { value: 'archive', count: 1 }],
        sender: [{ value: 'jean.dupont@example.fr', count: 1 }, { value: 'marie@example.fr', count: 1 }],
        domain: [{ value: 'example.fr', count: 2 }],
        mime: [{ value: 'application/pdf', count: 2 }, { value: 'message/rfc822', count: 2 }, { value: 'application/zip', count: 1 }],
        rule: ['copy.altered-figures', 'dkim.pass', 'doc.note', 'header.received-order', 'profile.unusual-mailer', 'provenance.attachment']
          .map((value) => ({ value, count: 1 })),
      });
      const a = r.hits[1]!;
      expect(a).toEqual({
        sha256: A, path: 'dump.zip!/mail1.eml', kind: 'email', mime: 'message/rfc822', title: 'Point trésorerie 2017', date: ITEMS.A.date,
        verdict: 'verified', sender: 'jean.dupont@example.fr', size: 300, snippet: [{ text: ITEMS.A.text, hit: false }],
      });
      expect(r.hits.find((h) => h.sha256 === Z)!.snippet).toEqual([]);
    });

    it('sorts and pages', async () => {
      expect(await hits({}, { ...page, sort: 'oldest' })).toEqual([D, A, B, ...sorted([P, Z])]);
      expect(await hits({}, { ...page, sort: 'verdict' })).toEqual([D, B, A, ...sorted([P, Z])]);
      expect(await hits({}, { limit: 2, offset: 1 })).toEqual([A, D]);
    });

    it('filters like the facets count: values of one filter ORed, filters ANDed', async () => {
      expect(await hits({ sender: ['Jean.Dupont@example.fr'] })).toEqual([A]);
      expect(sorted(await hits({ domain: ['EXAMPLE.fr'] }))).toEqual(sorted([A, B]));
      expect(sorted(await hits({ kind: ['email'] }))).toEqual(sorted([A, B]));
      expect(await hits({ kind: ['other'] })).toEqual([]);
      expect(sorted(await hits({ mime: ['application/pdf'] }))).toEqual(sorted([D, P]));
      expect(sorted(await hits({ verdict: ['tampered', 'suspicious'] }))).toEqual(sorted([B, D]));
      expect(await hits({ rule: ['header.received-order'] })).toEqual([A]);
      expect(await hits({ verdict: ['verified'], kind: ['document'] })).toEqual([]);
      expect(await hits({ dateFrom: '2017-05-01', dateTo: '2017-05-01' })).toEqual([A]);
      expect(await hits({ dateFrom: '2017-05-01' })).toEqual([B, A]);
      expect(await hits({ q: 'tresorerie', sender: ['marie@example.fr'] })).toEqual([B]);
      const r = await get().explore.search({ q: 'tresorerie' }, page);
      expect({ total: r.total, shas: sorted(r.hits.map((h) => h.sha256)) }).toEqual({ total: 2, shas: sorted([A, B]) });
      expect(r.facets.rule.map((x) => x.value)).toEqual(['dkim.pass', 'header.received-order', 'profile.unusual-mailer', 'provenance.attachment']);
      const found = r.hits.find((h) => h.sha256 === A)!.snippet.filter((s) => s.hit).map((s) => s.text.toLowerCase());
      expect(found).toContain('trésorerie');
      await expect(get().explore.search({ dateFrom: 'yesterday' }, page)).rejects.toMatchObject({ code: 'E_API_INVALID' });
      await expect(get().explore.search({ q: '-budget' }, page)).rejects.toMatchObject({ code: 'E_QUERY' });
    });

    it('shows one item with everything known about it', async () => {
      const e = get().explore;
      const a = (await e.item(A))!;
      expect(a).toMatchObject({
        sha256: A, kind: 'email', verdict: 'verified', status: 'done', title: 'Point trésorerie 2017', hasHtml: true,
        text: ITEMS.A.text, textLength: ITEMS.A.text.length, textTruncated: false, thread: 1, cluster: null, failures: [],
      });
      expect(a.meta).not.toHaveProperty('html');
      expect(a.meta.from).toEqual(ITEMS.A.meta.from);
      expect(a.paths).toEqual([
        { path: 'dump.zip!/mail1.eml', role: 'member', kind: 'email', name: 'mail1.eml', parentSha256: Z, parentPath: 'dump.zip' },
        { path: 'mails/dup.eml', role: 'file', kind: 'email', name: 'dup.eml', parentSha256: null, parentPath: null },
      ]);
      const linkD = { sha256: D, path: 'a-docs/annexe-comptable.pdf', title: 'Rapport final', verdict: 'tampered', mime: 'application/pdf', kind: 'document' };
      expect(a.parents).toEqual([{ sha256: Z, path: 'copy/dump.zip', title: null, verdict: 'consistent', mime: 'application/zip', kind: 'archive' }]);
      expect(a.children).toEqual([{ ...linkD, name: 'rapport-final.pdf', role: 'attachment', size: 200 }]);
      expect(a.related).toEqual([linkD]);
      expect(a.findings.map((f) => [f.analyzer, f.rule, f.message, f.effect])).toEqual([
        ['corpus', 'header.received-order', 'b second', 'anomaly'], ['corpus', 'header.received-order', 'a first', 'anomaly'],
        ['corpus', 'header.received-order', 'a first', 'anomaly'], ['dkim', 'dkim.pass', 'signature verified', expect.any(String)],
        ['corpus', 'provenance.attachment', 'carries an attachment', expect.any(String)],
      ]);
      expect(a.findings[3]!.evidence).toEqual({ selector: 'sel', domain: 'example.fr', key: { source: 'file:keys.zone' } });
      const d = (await e.item(D, { maxTextChars: 10 }))!;
      expect(d).toMatchObject({ text: ITEMS.D.text.slice(0, 10), textTruncated: true, hasHtml: false, thread: null });
      expect(d.cluster).toEqual({ id: 1, reason: 'near-text', members: [D, P].sort().map((s) => expect.objectContaining({ sha256: s })) });
      expect((await e.item(P))!.failures).toEqual([
        { path: 'copy/broken.pdf', code: 'E_PDF_INVALID', message: 'not a PDF' }, { path: 'dump.zip!/broken.pdf', code: 'E_PDF_INVALID', message: 'not a PDF' },
      ]);
      expect((await e.item(Z))!.failures).toEqual([{ path: 'dump.zip!/evil.zip', code: 'E_BOMB', message: 'expands past the limit' }]);
      expect(await e.item('0'.repeat(64))).toBeUndefined();
      expect(await e.text(A)).toBe(ITEMS.A.text);
      expect(await e.html(A)).toBe(ITEMS.A.meta.html);
      expect(await e.html(B)).toBeUndefined();
      expect(await e.canonicalName(D)).toBe('annexe-comptable.pdf');
      expect(await e.canonicalName('0'.repeat(64))).toBeUndefined();
    });

    it('shows threads', async () => {
      const e = get().explore;
      expect(await e.threads({ limit: 10, offset: 0 })).toEqual({
        total: 1, threads: [{ id: 1, messages: 2, first: ITEMS.A.date, last: ITEMS.B.date, subject: 'Point trésorerie 2017' }],
      });
      const t = (await e.thread(1))!;
      expect(t.subject).toBe('Point trésorerie 2017');
      expect(t.nodes.map((n) => [n.index, n.parent, n.messageId, n.item?.sha256 ?? null, n.item?.sender ?? null])).toEqual([
        [0, null, '<a@example.fr>', A, 'jean.dupont@example.fr'], [1, 0, '<b@example.fr>', B, 'marie@example.fr'], [2, 0, '<missing@example.fr>', null, null],
      ]);
      expect(t.nodes[1]!.item).toMatchObject({ date: ITEMS.B.date, verdict: 'suspicious', kind: 'email', path: 'mails/reply.eml' });
      expect(await e.thread(2)).toBeUndefined();
    });

    it('draws the timeline and the correspondents of a selection', async () => {
      const e = get().explore;
      expect(await e.timeline({})).toEqual([
        { day: '2017-04-30', total: 1, byVerdict: { tampered: 1 } }, { day: '2017-05-01', total: 1, byVerdict: { verified: 1 } },
        { day: '2017-05-02', total: 1, byVerdict: { suspicious: 1 } },
      ]);
      expect(await e.timeline({ kind: ['email'], dateTo: '2017-05-01' })).toEqual([{ day: '2017-05-01', total: 1, byVerdict: { verified: 1 } }]);
      expect(await e.correspondents({}, 10)).toEqual({
        nodes: [
          { address: 'jean.dupont@example.fr', name: 'Jean Dupont', sent: 2, received: 1 },
          { address: 'marie@example.fr', name: 'Marie Curie', sent: 1, received: 1 },
          { address: 'paul@other.org', name: null, sent: 0, received: 1 },
        ],
        edges: [
          { from: 'jean.dupont@example.fr', to: 'marie@example.fr', messages: 1 }, { from: 'jean.dupont@example.fr', to: 'paul@other.org', messages: 1 },
          { from: 'marie@example.fr', to: 'jean.dupont@example.fr', messages: 1 },
        ],
      });
      expect((await e.correspondents({ q: 'elysee' }, 10)).edges).toEqual([{ from: 'marie@example.fr', to: 'jean.dupont@example.fr', messages: 1 }]);
      expect((await e.correspondents({}, 2)).nodes.map((n) => n.address)).toEqual(['jean.dupont@example.fr', 'marie@example.fr']);
    });

    it('sums up the verification on the dashboard, and pages the failures', async () => {
      const e = get().explore;
      const dash = await e.dashboard();
      expect(dash).toMatchObject({
        items: 5, bytes: 1800, failures: 5,
        byVerdict: { verified: 1, corroborated: 0, consistent: 2, suspicious: 1, tampered: 1 },
        byKind: { archive: 1, document: 2, email: 2 },
        failuresByCode: { E_BOMB: 2, E_PDF_INVALID: 2, E_TIMEOUT: 1 },
      });
      expect(dash.byRule.map((r) => [r.rule, r.severity, r.items])).toEqual([
        ['copy.altered-figures', 'critical', 1], ['dkim.pass', 'info', 1], ['doc.note', 'info', 1], ['header.received-order', 'warn', 1],
        ['profile.unusual-mailer', 'warn', 1], ['provenance.attachment', 'info', 1],
      ]);
      expect(dash.flagged.map((f) => [f.sha256, f.verdict, f.date, f.rules])).toEqual([
        [D, 'tampered', '2017-04-30', ['copy.altered-figures']], [B, 'suspicious', ITEMS.B.date, ['profile.unusual-mailer']],
      ]);
      expect(await e.failures({ limit: 2, offset: 1 })).toEqual({
        total: 5, failures: [
          { path: 'copy/dump.zip!/evil.zip', code: 'E_BOMB', message: 'expands past the limit' },
          { path: 'dump.zip!/broken.pdf', code: 'E_PDF_INVALID', message: 'not a PDF' },
        ],
      });
    });
  });
}
