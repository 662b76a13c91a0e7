// The near-duplicate step of the corpus pass: documents and attachments
// clustered by text (MinHash/LSH, Jaccard >= 0.8), emails grouped by
// Message-ID; then each cluster is held against its verified members.
import type { Finding, Metadata } from '../../core/types.ts';
import type { AnalysisSubject, Store } from '../../store/store.ts';
import { alteredCopyFindings, type Member } from './altered-copy.ts';
import { clustersOf, NearDupIndex } from './index.ts';
import { jaccard, shingles } from './minhash.ts';

export interface DupCluster { reason: 'near-text' | 'same-message-id'; members: string[] }

const CONTAINERS = new Set(['zip', 'tar', 'mbox', '7z', 'pst']);

export async function nearDupFindings(
  store: Pick<Store, 'loadDupIndex' | 'saveDupIndex'>, subjects: AnalysisSubject[], verified: (sha: string) => boolean,
  textOf: (s: AnalysisSubject) => Promise<string>,
): Promise<{ findings: Map<string, Finding[]>; clusters: DupCluster[] }> {
  const bySha = new Map(subjects.map((s) => [s.sha256, s]));
  const shingleCache = new Map<string, Uint32Array>();
  const shinglesOf = async (sha: string) => {
    let sh = shingleCache.get(sha);
    if (!sh) { sh = shingles(await textOf(bySha.get(sha)!)); if (shingleCache.size < 50_000) shingleCache.set(sha, sh); }
    return sh;
  };
  // Incremental: items indexed by earlier analyses only lend their band keys;
  // only new items are shingled and compared (with everything).
  const saved = await store.loadDupIndex();
  const index = new NearDupIndex({ shinglesOf });
  for (const [sha, keys] of saved.keys) if (bySha.has(sha)) index.addKnown(sha, keys);
  const newKeys = new Map<string, number[]>();
  for (const s of subjects) {
    if (s.status !== 'done' || s.ingestor === null || CONTAINERS.has(s.ingestor) || s.ingestor === 'email' || s.ingestor === 'msg') continue;
    if (saved.keys.has(s.sha256)) continue;
    newKeys.set(s.sha256, (await index.add(s.sha256, await textOf(s))).keys);
  }
  await store.saveDupIndex(newKeys, index.edges);
  const edges = [...saved.edges.filter((e) => bySha.has(e.a) && bySha.has(e.b)), ...index.edges];
  const clusters: DupCluster[] = clustersOf(edges).map((members) => ({ reason: 'near-text', members }));
  // The same message (Message-ID) met with different bytes in several mailboxes.
  const byMessageId = new Map<string, string[]>();
  for (const s of subjects) {
    if (s.ingestor !== 'email' || s.status !== 'done') continue;
    const id = typeof (s.meta as Metadata).messageId === 'string' ? String((s.meta as Metadata).messageId).trim().toLowerCase() : '';
    if (id) byMessageId.set(id, [...(byMessageId.get(id) ?? []), s.sha256]);
  }
  for (const members of byMessageId.values()) if (members.length > 1) clusters.push({ reason: 'same-message-id', members: members.sort() });

  const findings = new Map<string, Finding[]>();
  for (const c of clusters) {
    const members: Member[] = [];
    for (const sha of c.members) members.push({ sha256: sha, verified: verified(sha), text: await textOf(bySha.get(sha)!) });
    const sims = new Map<string, number>();
    for (const a of c.members) for (const b of c.members) {
      if (a < b && members.find((m) => m.sha256 === a)!.verified !== members.find((m) => m.sha256 === b)!.verified) {
        sims.set(`${a}|${b}`, Math.round(jaccard(await shinglesOf(a), await shinglesOf(b)) * 1000) / 1000);
      }
    }
    const similarity = (a: string, b: string) => sims.get(a < b ? `${a}|${b}` : `${b}|${a}`) ?? 0;
    for (const [sha, fs] of alteredCopyFindings(members, similarity, c.reason === 'near-text' ? 'near-identical text' : 'same Message-ID')) {
      findings.set(sha, [...(findings.get(sha) ?? []), ...fs]);
    }
  }
  return { findings, clusters };
}
