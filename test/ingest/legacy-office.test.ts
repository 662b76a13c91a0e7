// Legacy documents end to end on the real third-party corpora (Apache Tika and
// POI test files): every .doc/.xls/.ppt/.odt/.ods/.rtf/.msg goes through the
// ingestor the registry picks after sniffing, and either extracts or fails
// with a TamisError, quickly; known phrases come out of the text; encrypted
// files keep their properties with a coded warning; .msg attachments come out
// byte for byte, checked against the OLE streams read independently.
import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import CFB from 'cfb';
import { TamisError } from '../../src/core/errors.ts';
import type { Extraction } from '../../src/ingest/ingestor.ts';
import { pickIngestor } from '../../src/ingest/registry.ts';
import { sniff } from '../../src/ingest/sniff.ts';
import { kindOf } from '../../src/ingest/kind.ts';
import { parsePropertySet } from '../../src/ingest/ole-property-set.ts';
import { cleanWordText } from '../../src/ingest/ole-word.ts';

const corpora = fileURLToPath(new URL('../../../shared/corpora/', import.meta.url));
const OFFICE = `${corpora}office/`;
const HPSF = `${corpora}hpsf/`;
const LEGACY = /\.(doc|xls|ppt|mpp|vsd|shw|odt|ods|odp|rtf|msg)$/i;
const files = [OFFICE, HPSF].flatMap((d) => readdirSync(d).filter((f) => LEGACY.test(f)).sort().map((f) => d + f));

async function ingest(path: string, bytes: Uint8Array = readFileSync(path)): Promise<Extraction & { ingestor: string }> {
  const name = path.slice(path.lastIndexOf('/') + 1);
  const { mime, ext } = sniff(bytes, name);
  const ing = pickIngestor(mime, ext);
  if (!ing) throw new Error(`${name}: no ingestor for ${mime}`);
  return { ...(await ing.extract({ bytes, name, ext, mime })), ingestor: ing.name };
}
const text = async (name: string, dir = OFFICE) => (await ingest(dir + name)).text ?? '';

describe('every legacy corpus file', () => {
  it('extracts or fails with a TamisError, intact or cut, in bounded time', async () => {
    expect(files.length).toBeGreaterThan(150);
    const outcome = { ok: 0, coded: 0 };
    for (const f of files) {
      const bytes = readFileSync(f);
      for (const b of [bytes, bytes.subarray(0, bytes.length >> 1), bytes.subarray(0, 1000)]) {
        const t0 = performance.now();
        try {
          await ingest(f, b);
          if (b === bytes) outcome.ok++;
        } catch (err) {
          if (!(err instanceof TamisError)) throw new Error(`${f} (${b.length} bytes): ${String(err)}`);
          if (b === bytes) outcome.coded++;
        }
        expect(performance.now() - t0, f).toBeLessThan(10_000);
      }
    }
    console.log(`legacy corpus: ${outcome.ok} extracted, ${outcome.coded} refused with a code, of ${files.length}`);
    expect(outcome.ok).toBeGreaterThan(files.length * 0.95);
  });

  it('survives bytes flipped inside the property sets and streams', async () => {
    for (const f of files.filter((x) => /\.(doc|xls|ppt|msg)$/.test(x)).slice(0, 60)) {
      const b = Uint8Array.from(readFileSync(f));
      for (let i = 512; i < b.length; i += 97) b[i] = b[i]! ^ 0xff;
      try { await ingest(f, b); } catch (err) { expect(err, f).toBeInstanceOf(TamisError); }
    }
  });
});

describe('text', () => {
  it('reads Word 97+ text through the piece table, field codes dropped', async () => {
    expect(await text('TestEditTime.doc', HPSF)).toContain('Blee, Fink, Nogmal');
    expect(await text('testWORD.doc')).toContain('Sample Word Document');
    const link = await text('testWORD_boldHyperlink.doc');
    expect(link).toContain('This is a bold hyper');
    expect(link).not.toContain('HYPERLINK');
    expect(await text('testEXCEL_phonetic.xls')).toContain('豊田');
    expect(cleanWordText('a \u0013 HYPERLINK "x" \u0014shown\u0015 b\rc\u0007d\u0007')).toBe('a shown b\nc\td');
  });

  it('reads Word 6/95 text, simple and fast-saved, in the code page it was written in', async () => {
    expect(await text('TestMickey.doc', HPSF)).toContain('This is a short Micro$oft Word sample document');
    expect(await text('TestInvertedClassID.doc', HPSF)).toContain('FICHE de LECTURE de Francine CAIRE'); // complex (piece table)
    expect(await text('TestBug52117.doc', HPSF)).toContain('Установка Microsoft Word 6.0'); // cp1251 text, English Word
  });

  it('reads Excel strings by sheet (BIFF8 SST with CONTINUE, BIFF5 labels, text boxes)', async () => {
    const xls = await text('testEXCEL.xls');
    expect(xls).toContain('[Feuil1]');
    expect(xls).toContain('Sample Excel Worksheet - Numbers and their Squares');
    expect(await text('testEXCEL_5.xls')).toContain('Sample Excel Worksheet - Numbers and their Squares');
    expect(await text('TestUnicode.xls', HPSF)).toContain('Der große');
    expect(await text('testEXCEL_textbox.xls')).toContain('this is some autoshape text');
    expect(await text('testComment.xls')).toContain('Here is a comment');
  });

  it('reads PowerPoint text atoms', async () => {
    expect(await text('Test_Humor-Generation.ppt', HPSF)).toContain('Funny Factory');
    expect(await text('testPPT.ppt')).toContain('Sample Powerpoint Slide');
  });

  it('finds known phrases in .odt, .rtf and .msg', async () => {
    expect(await text('testOpenOffice2.odt')).toContain('This is a sample Open Office document, written in NeoOffice 2.2.1 for the Mac.');
    expect(await text('testRTF.rtf')).toContain('Test d’indexation Word');
    expect(await text('testRTFWindowsCodepage1250.rtf')).toContain('zażółć gęślą jaźń');
    expect(await text('testFontAfterBufferedText.rtf')).toContain('Уважаемый клиент!'); // \fcharset204 font
    expect(await text('testRTFIgnoredControlWord.rtf')).toContain('The quick brown fox jumps over the lazy dog');
    const msg = await ingest(`${OFFICE}testMSG.msg`);
    expect(msg.text).toContain("As discussed, I've been working on making the type detection");
    expect(msg.text).toMatch(/^From: Jukka Zitting <jukka\.zitting@gmail\.com>\nTo: .*\nSubject: MIME registry use cases/);
    expect((await ingest(`${OFFICE}testMSG_chinese.msg`)).title).toBe('Alfresco MSG format testing ( MSG 格式測試 )'); // cp950 strings
  });
});

describe('encrypted legacy files', () => {
  it('keep their property sets and carry E_OLE_ENCRYPTED, with no ciphertext as text', async () => {
    for (const f of ['password.xls', 'testEXCEL_protected_passtika.xls', 'testWORD_protected_passtika.doc', 'testPPT_protected_passtika.ppt']) {
      const r = await ingest(OFFICE + f);
      expect(r.meta.encrypted, f).toBe(true);
      expect(r.warnings?.map((w) => w.code), f).toContain('E_OLE_ENCRYPTED');
      expect(r.text, f).toBe('');
    }
    // password.xls: a Russian Excel's properties, readable although the workbook is not.
    expect((await ingest(`${OFFICE}password.xls`)).meta).toMatchObject({ author: 'pavel', codePage: 1251, company: 'Jet Infosystem', titlesOfParts: ['Лист1', 'Лист2', 'Лист3'], headingPairs: ['Листы', '3'] });
  });
});

describe('Outlook .msg', () => {
  /** The attachment's bytes straight from the OLE streams, without msgreader. */
  function oleAttachments(path: string): Map<string, string> {
    const cfb = CFB.read(readFileSync(path), { type: 'buffer' });
    const out = new Map<string, string>();
    cfb.FullPaths.forEach((p, i) => {
      const m = /^Root Entry\/(__attach_version1\.0_#[0-9A-F]{8})\/__substg1\.0_37010102$/.exec(p);
      const content = cfb.FileIndex[i]!.content;
      if (m && content) out.set(m[1]!, createHash('sha256').update(Uint8Array.from(content as ArrayLike<number>)).digest('hex'));
    });
    return out;
  }

  it('gives attachments as children whose bytes match the OLE streams', async () => {
    const path = `${OFFICE}testMSG_att_doc.msg`;
    const r = await ingest(path);
    expect(r.ingestor).toBe('msg');
    expect(kindOf('file', 'application/vnd.ms-outlook', r.ingestor)).toBe('email');
    const hashes = r.children.map((c) => createHash('sha256').update(c.bytes).digest('hex'));
    expect([...oleAttachments(path).values()].sort()).toEqual([...hashes].sort());
    expect(r.children.every((c) => c.role === 'attachment')).toBe(true);
    expect(Buffer.from(r.children.find((c) => c.name === 'pj1.txt')!.bytes).toString('latin1')).toMatch(/\S/);
    // The attached .doc is itself readable.
    const doc = r.children.find((c) => c.name === 'test-unicode.doc')!;
    const inner = await pickIngestor('application/msword', 'doc')!.extract({ bytes: doc.bytes, name: doc.name, ext: 'doc', mime: 'application/msword' });
    expect(inner.text).toContain('euro : € (20AC)');
    expect(inner.meta.lastModifiedBy).toBe('Nicolas1');
  });

  it('keeps transport headers raw and parsed, and the SMTP sender of an Exchange user', async () => {
    const r = await ingest(`${OFFICE}testMSG_att_msg.msg`);
    expect(typeof r.meta.transportHeaders).toBe('string');
    expect((r.meta.headers as [string, string][]).some(([n]) => n.toLowerCase() === 'received')).toBe(true);
    expect(r.meta.senderSmtpAddress).toBe('nick.booth@pof.com.au');
    expect(String(r.meta.senderEmail)).toMatch(/^\/O=PHILLIPS ORMONDE/i);
    expect(r.children.map((c) => c.name)).toContain('Test Attachment.msg');
  });
});

describe('property sets under hostile input', () => {
  it('never throws on truncated or garbage streams, and reports what it skipped', () => {
    const cfb = CFB.read(readFileSync(`${HPSF}TestEditTime.doc`), { type: 'buffer' });
    const si = Uint8Array.from(cfb.FileIndex.find((e) => e.name === '\u0005SummaryInformation')!.content as ArrayLike<number>);
    for (let n = 0; n <= si.length; n += 7) parsePropertySet(si.subarray(0, n));
    let seed = 7;
    for (let k = 0; k < 200; k++) {
      const b = Uint8Array.from(si);
      for (let j = 0; j < 16; j++) { seed = (seed * 1103515245 + 12345) >>> 0; b[28 + (seed % (b.length - 28))] = seed >>> 24; }
      const r = parsePropertySet(b);
      expect(r.problems.length).toBeLessThanOrEqual(6);
    }
    expect(parsePropertySet(new Uint8Array(3)).problems).toEqual(['not a property set stream']);
  });
});
