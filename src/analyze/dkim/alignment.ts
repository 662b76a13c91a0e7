// DMARC relaxed alignment as tamis applies it: a signing domain speaks for
// the From domain when it is that domain or a parent of it.

/** Whether `d` may speak for one of the From domains. */
export const alignedWith = (d: string, fromDomains: readonly string[]): boolean =>
  fromDomains.some((f) => f === d || f.endsWith(`.${d}`));
