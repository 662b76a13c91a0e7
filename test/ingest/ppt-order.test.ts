// PowerPoint (.ppt) text in slide order, on the Tika and POI test files. The
// oracle is the same deck saved as .pptx (where slide order is explicit in
// presentation.xml), read here with a plain unzip, not with tamis; and a
// .ppt whose slide list is reordered in place, which moves the text
// although no text record moves in the stream.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import CFB from 'cfb';
import { unzipSync } from 'fflate';
import { pptText } from '../../src/ingest/ole-ppt.ts';
import { ole2Ingestor } from '../../src/ingest/ole2.ts';

const corpora = fileURLToPath(new URL('../../../shared/corpora/', import.meta.url));
const words = (s: string): string[] => s.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];

function streams(path: string): { doc: Uint8Array; user: Uint8Array | undefined } {
  const cfb = CFB.read(readFileSync(path), { type: 'buffer' });
  const get = (n: string) => { const e = CFB.find(cfb, n); return e?.content ? Uint8Array.from(e.content as ArrayLike<number>) : undefined; };
  return { doc: get('PowerPoint Document')!, user: get('Current User') };
}

/** Words of a .pptx's slides in presentation order (sldIdLst -> relationship -> slide XML). */
function pptxWords(path: string): string[] {
  const z = unzipSync(readFileSync(path));
  const xml = (n: string) => new TextDecoder().decode(z[n]);
  const rels = xml('ppt/_rels/presentation.xml.rels');
  const target = (id: string) => [...rels.matchAll(/<Relationship\b[^>]*>/g)].map((m) => m[0]).find((r) => r.includes(`Id="${id}"`))!.match(/Target="([^"]+)"/)![1];
  const ids = [...xml('ppt/presentation.xml').matchAll(/<p:sldId [^>]*r:id="([^"]+)"/g)].map((m) => m[1]!);
  return ids.flatMap((id) => [...xml(`ppt/${target(id)}`).matchAll(/<a:t>([^<]*)<\/a:t>/g)].flatMap((m) => words(m[1]!)));
}

/** How many words of `want`, in order, `got` holds, and where in `got` the last of them is. */
function inOrder(want: string[], got: string[]): { matched: number; end: number } {
  let i = 0;
  let end = -1;
  got.forEach((w, k) => { if (i < want.length && w === want[i]) { i++; end = k; } });
  return { matched: i, end };
}

describe('slide order', () => {
  it.each(['testPPT_groups', 'testPPT_various', 'testPPT_oleWorkbook', 'testComment', 'testMSChart-govdocs-428996', 'testPPT_2imgs', 'testPPT_comment', 'testPPT_embeded', 'testOptionalHyphen'])(
    '%s.ppt: the slides\' words in the order of the .pptx, before any master text', async (name) => {
      const { doc, user } = streams(`${corpora}office/${name}.ppt`);
      const got = words(pptText(doc, user).text ?? '');
      const want = pptxWords(`${corpora}office/${name}.pptx`);
      expect(want.length).toBeGreaterThan(0);
      const { matched, end } = inOrder(want, got);
      expect(matched).toBe(want.length);
      expect(got.indexOf(want[0]!)).toBe(0); // the first slide opens the text
      expect(got.indexOf('master')).toBeGreaterThan(end); // masters ("Click to edit Master title style") come after
    });

  it('gives each slide its own text boxes right after its title (Test_Humor-Generation.ppt)', async () => {
    const r = await ole2Ingestor.extract({ bytes: readFileSync(`${corpora}hpsf/Test_Humor-Generation.ppt`), name: 'x.ppt', ext: 'ppt', mime: 'application/vnd.ms-powerpoint' });
    const t = r.text ?? '';
    const at = (s: string) => { const i = t.indexOf(s); expect(i, s).toBeGreaterThanOrEqual(0); return i; };
    // The slides number their steps; each step's own diagram text sits before the next step.
    const steps = ['Funny Factory', 'Our Missions:', 'Our Approach:', 'Step 1:', 'Step 2:', 'Step 3a:', 'Step 3b:', 'Step 3c:', 'Step 4:', 'Step 5:', 'Step 6:', 'Step 7:'];
    expect(steps.map(at)).toEqual(steps.map(at).sort((a, b) => a - b));
    expect(at('Keith')).toBeLessThan(at('Our Missions:')); // the authors, on the title slide
    expect(at('For each word :')).toBeGreaterThan(at('Step 3a:'));
    expect(at('For each word :')).toBeLessThan(at('Step 3b:'));
    expect(at('For each sentence :')).toBeLessThan(at('Step 4:'));
    expect(at('5/11/2006 @ 4:13 am')).toBeLessThan(at('Step 7:'));
    expect(at('Click to edit the title text format')).toBeGreaterThan(at('Reevaluate using'));
  });

  it('follows the slide list, not the stream: two slides swapped in the list swap in the text', () => {
    const { doc, user } = streams(`${corpora}hpsf/Test_Humor-Generation.ppt`);
    const b = Buffer.from(doc);
    // Swap the first two slides' entries (SlidePersistAtom and its text) in the DocumentContainer's slide list.
    const kids = (start: number, end: number) => {
      const out: { type: number; inst: number; at: number; end: number }[] = [];
      for (let p = start; p + 8 <= end; p += 8 + b.readUInt32LE(p + 4)) out.push({ type: b.readUInt16LE(p + 2), inst: b.readUInt16LE(p) >> 4, at: p, end: p + 8 + b.readUInt32LE(p + 4) });
      return out;
    };
    let swapped = 0;
    for (const d of kids(0, b.length).filter((r) => r.type === 0x03e8)) {
      for (const list of kids(d.at + 8, d.end).filter((r) => r.type === 0x0ff0 && r.inst === 0)) {
        const starts = kids(list.at + 8, list.end).filter((r) => r.type === 0x03f3).map((r) => r.at);
        const [a, c, e] = [starts[0]!, starts[1]!, starts[2]!];
        Buffer.concat([b.subarray(c, e), b.subarray(a, c)]).copy(b, a);
        swapped++;
      }
    }
    expect(swapped).toBe(1);
    const before = pptText(doc, user).text!;
    const after = pptText(new Uint8Array(b), user).text!;
    expect(before.indexOf('Funny Factory')).toBeLessThan(before.indexOf('Our Missions:'));
    expect(after.indexOf('Our Missions:')).toBeLessThan(after.indexOf('Funny Factory'));
    expect(after.indexOf('“On Screen!”')).toBeLessThan(after.indexOf('Keith')); // the drawings move with their slides
    expect(after.indexOf('Our Approach:')).toBeLessThan(after.indexOf('Funny Factory')); // a text box of the missions slide
    expect(after.indexOf('Funny Factory')).toBeLessThan(after.indexOf('Step 1:'));
  });
});
