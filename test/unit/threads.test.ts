// JWZ threading on hand-made message sets: the tree shape is the oracle.
import { describe, expect, it } from 'vitest';
import { buildThreads, type ThreadMessage } from '../../src/analyze/corpus/threads.ts';

let clock = 0;
const msg = (sha: string, messageId: string | null, refs: string[] = [], subject = 'Budget', inReplyTo: string | null = refs.at(-1) ?? null): ThreadMessage =>
  ({ sha256: sha, messageId, references: refs, inReplyTo, subject, time: ++clock });

/** Each thread as "sha(parentSha)" strings, "-" for a dummy. */
const shape = (threads: ReturnType<typeof buildThreads>) =>
  threads.map((t) => t.map((n) => `${n.sha256 ?? '-'}(${n.parent === null ? '' : t[n.parent]!.sha256 ?? '-'})`));

describe('buildThreads', () => {
  it('hangs replies under what they answer, in time order', () => {
    const t = buildThreads([msg('a', 'a@x'), msg('b', 'b@x', ['a@x']), msg('c', 'c@x', ['a@x', 'b@x']), msg('d', 'd@x', ['a@x'])]);
    expect(shape(t)).toEqual([['a()', 'b(a)', 'c(b)', 'd(a)']]);
  });

  it('keeps replies to a message missing from the dump together under a gap', () => {
    const t = buildThreads([msg('b', 'b@x', ['lost@x']), msg('c', 'c@x', ['lost@x'])]);
    expect(shape(t)).toEqual([['-()', 'b(-)', 'c(-)']]);
    expect(t[0]![0]!.messageId).toBe('lost@x');
  });

  it('uses In-Reply-To when References is absent, and the References chain when a middle message is missing', () => {
    const t = buildThreads([msg('a', 'a@x'), msg('c', 'c@x', [], 'Re: Budget', 'a@x'), msg('d', 'd@x', ['a@x', 'gone@x'])]);
    expect(shape(t)).toEqual([['a()', 'c(a)', 'd(a)']]);
  });

  it('never loops on references that point at each other', () => {
    const t = buildThreads([msg('a', 'a@x', ['b@x']), msg('b', 'b@x', ['a@x'])]);
    expect(t).toHaveLength(1);
    expect(t[0]!.filter((n) => n.parent === null)).toHaveLength(1);
    expect(t[0]!.map((n) => n.sha256).sort()).toEqual(['a', 'b']);
  });

  it('keeps two messages with one Message-ID apart (a copy, or a forgery reusing it)', () => {
    const t = buildThreads([msg('a', 'a@x'), msg('a2', 'a@x'), msg('b', 'b@x', ['a@x'])]);
    expect(t.flat().map((n) => n.sha256).filter(Boolean).sort()).toEqual(['a', 'b']);
  });

  it('joins a "Re:" with no reference at all by subject, and nothing else by subject', () => {
    const t = buildThreads([
      msg('a', 'a@x', [], 'Point sécurité'), msg('b', 'b@x', [], 'RE: Point sécurité', null), msg('c', 'c@x', [], 'TR: Point sécurité', null),
      msg('d', 'd@x', [], 'Point sécurité'),
    ]);
    expect(shape(t)).toEqual([['a()', 'b(a)', 'c(a)']]);
  });

  it('leaves single messages out', () => {
    expect(buildThreads([msg('a', 'a@x'), msg('b', 'b@x')])).toEqual([]);
  });
});
