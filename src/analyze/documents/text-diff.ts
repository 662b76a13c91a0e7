// Word-level differences between two texts, capped so a rewritten document
// cannot produce a megabyte of evidence.
import { diffWords } from 'diff';

export interface Change { removed: string; added: string; before: string }
export interface TextDiff { changes: Change[]; truncated: boolean }

const MAX_INPUT = 200_000;
const MAX_CHANGES = 50;
const MAX_CHANGE_CHARS = 300;

const norm = (s: string) => s.replace(/\s+/g, ' ').trim();
const cut = (s: string) => (s.length > MAX_CHANGE_CHARS ? `${s.slice(0, MAX_CHANGE_CHARS)}…` : s);

export function wordDiff(before: string, after: string): TextDiff {
  const a = norm(before);
  const b = norm(after);
  let truncated = a.length > MAX_INPUT || b.length > MAX_INPUT;
  const parts = diffWords(a.slice(0, MAX_INPUT), b.slice(0, MAX_INPUT));
  const changes: Change[] = [];
  let context = '';
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i]!;
    if (!p.added && !p.removed) { context = p.value.slice(-60); continue; }
    let removed = '';
    let added = '';
    while (i < parts.length && (parts[i]!.added || parts[i]!.removed)) {
      if (parts[i]!.removed) removed += parts[i]!.value; else added += parts[i]!.value;
      i++;
    }
    i--;
    if (changes.length >= MAX_CHANGES) { truncated = true; break; }
    changes.push({ removed: cut(removed.trim()), added: cut(added.trim()), before: context.trim() });
  }
  return { changes, truncated };
}
