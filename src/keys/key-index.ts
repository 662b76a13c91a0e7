// The DKIM keys an analysis may use, indexed by DNS name
// (`selector._domainkey.domain`). Several keys for one name are normal in an
// archive (rotations, re-imports): the verifier tries each.
import { createHash } from 'node:crypto';

export interface DkimKey {
  /** selector._domainkey.domain, lower case, no trailing dot. */
  name: string;
  /** The TXT record value, strings joined. */
  value: string;
  /** Where it came from: `file:keys.zone`, `dns`. */
  source: string;
  /** When it entered the archive (ISO); for DNS, when it was retrieved. */
  importedAt: string;
}

export const keyId = (value: string): string => createHash('sha256').update(value.replace(/\s+/g, '')).digest('hex').slice(0, 16);

export class KeyIndex {
  private readonly byName = new Map<string, DkimKey[]>();
  constructor(keys: Iterable<DkimKey> = []) {
    for (const k of keys) this.add(k);
  }

  add(key: DkimKey): void {
    const name = key.name.toLowerCase().replace(/\.$/, '');
    const list = this.byName.get(name) ?? [];
    if (!list.some((k) => keyId(k.value) === keyId(key.value))) list.push({ ...key, name });
    this.byName.set(name, list);
  }

  get(name: string): DkimKey[] {
    return this.byName.get(name.toLowerCase().replace(/\.$/, '')) ?? [];
  }

  get size(): number {
    let n = 0;
    for (const l of this.byName.values()) n += l.length;
    return n;
  }

  all(): DkimKey[] { return [...this.byName.values()].flat(); }
}
