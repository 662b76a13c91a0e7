// The MacronLeaks forgeries were saved within minutes of each other although
// they claimed to be years apart. Rule: at least 5 documents of one folder
// last modified within 10 minutes, while their creation dates span more than
// a year.
import type { Finding } from '../../core/types.ts';
import type { DocFacts } from './doc-facts.ts';

const MIN_FILES = 5;
const WINDOW_MS = 10 * 60_000;
const MIN_CREATED_SPAN_MS = 365 * 24 * 3600_000;

export interface FolderDoc { sha256: string; folder: string; path: string; facts: DocFacts }

export function editBurstFindings(docs: FolderDoc[]): Map<string, Finding[]> {
  const out = new Map<string, Finding[]>();
  const byFolder = new Map<string, FolderDoc[]>();
  for (const d of docs) if (d.facts.modified) byFolder.set(d.folder, [...(byFolder.get(d.folder) ?? []), d]);
  for (const [folder, list] of byFolder) {
    list.sort((a, b) => a.facts.modified!.value.getTime() - b.facts.modified!.value.getTime());
    let lo = 0;
    const flagged = new Set<number>();
    for (let hi = 0; hi < list.length; hi++) {
      while (list[hi]!.facts.modified!.value.getTime() - list[lo]!.facts.modified!.value.getTime() > WINDOW_MS) lo++;
      const group = list.slice(lo, hi + 1);
      if (group.length < MIN_FILES) continue;
      const created = group.map((g) => g.facts.created?.value.getTime()).filter((t): t is number => t !== undefined);
      if (created.length < MIN_FILES || Math.max(...created) - Math.min(...created) <= MIN_CREATED_SPAN_MS) continue;
      for (let k = lo; k <= hi; k++) flagged.add(k);
    }
    const members = [...flagged].map((k) => list[k]!);
    for (const m of members) {
      const first = members[0]!.facts.modified!.value;
      const last = members[members.length - 1]!.facts.modified!.value;
      out.set(m.sha256, [{
        rule: 'doc.edit-burst', severity: 'warn',
        related: members.filter((x) => x.sha256 !== m.sha256).map((x) => x.sha256),
        message: `${members.length} documents of "${folder || '(top folder)'}" were last saved between ${first.toISOString()} and ${last.toISOString()}, although they claim to have been created more than a year apart: they were likely produced together.`,
        evidence: { folder, documents: members.map((x) => ({ path: x.path, created: x.facts.created?.value.toISOString() ?? null, modified: x.facts.modified!.value.toISOString() })) },
      }]);
    }
  }
  return out;
}
