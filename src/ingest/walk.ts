// Lists the input files in a stable order. Symbolic links are never
// followed: a dump is attacker-made, and a link could point anywhere on the
// investigator's machine. Anything that is not a regular file is reported.
import { lstat, readdir } from 'node:fs/promises';
import { basename, join, relative, resolve, sep } from 'node:path';
import { TamisError } from '../core/errors.ts';

export interface WalkedFile { absPath: string; path: string; size: number; mtimeMs: number }
export interface WalkProblem { path: string; code: 'E_UNREADABLE_ENTRY' | 'E_IO'; message: string }

const toPosix = (p: string) => p.split(sep).join('/');

export async function walkInputs(inputs: string[]): Promise<{ files: WalkedFile[]; problems: WalkProblem[] }> {
  const files: WalkedFile[] = [];
  const problems: WalkProblem[] = [];
  for (const input of inputs) {
    const abs = resolve(input);
    const st = await lstat(abs).catch(() => null);
    if (!st) throw new TamisError('E_NOT_FOUND', input);
    if (st.isFile()) files.push({ absPath: abs, path: basename(abs), size: st.size, mtimeMs: st.mtimeMs });
    else if (st.isDirectory()) await walkDir(abs, abs, files, problems);
    else problems.push({ path: basename(abs), code: 'E_UNREADABLE_ENTRY', message: 'not a regular file or folder' });
  }
  return { files, problems };
}

async function walkDir(root: string, dir: string, files: WalkedFile[], problems: WalkProblem[]): Promise<void> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (err) {
    problems.push({ path: toPosix(relative(root, dir)) || '.', code: 'E_IO', message: (err as Error).message });
    return;
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) {
    const abs = join(dir, e.name);
    const rel = toPosix(relative(root, abs));
    if (e.isDirectory()) await walkDir(root, abs, files, problems);
    else if (e.isFile()) {
      const st = await lstat(abs).catch(() => null);
      if (st) files.push({ absPath: abs, path: rel, size: st.size, mtimeMs: st.mtimeMs });
      else problems.push({ path: rel, code: 'E_IO', message: 'the file vanished during the walk' });
    } else {
      const what = e.isSymbolicLink() ? 'a symbolic link (not followed)' : 'not a regular file';
      problems.push({ path: rel, code: 'E_UNREADABLE_ENTRY', message: `${what}` });
    }
  }
}
