// Image metadata through exifr, checked against exiftool on a JPEG whose
// EXIF the test writes itself.
import { expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { imageIngestor } from '../../src/ingest/image.ts';
import { exifJpeg } from '../fixtures/exif-jpeg.ts';
import { samplePng } from '../fixtures/png-writer.ts';
import { tempDir } from '../helpers/tmp.ts';

const fields = { make: 'Canon', model: 'Canon EOS 5D Mark III', software: 'Adobe Photoshop CC 2017 (Windows)', modifyDate: '2017:05:04 22:41:10', dateTimeOriginal: '2015:03:12 09:30:00' };

it('reads camera, software and dates, in agreement with exiftool', async () => {
  const jpeg = exifJpeg(fields);
  const r = await imageIngestor.extract({ bytes: jpeg, name: 'releve.jpg', ext: 'jpg', mime: 'image/jpeg' });
  expect(r.meta).toMatchObject({ make: 'Canon', model: 'Canon EOS 5D Mark III', software: 'Adobe Photoshop CC 2017 (Windows)' });
  expect(String(r.meta.dateTimeOriginal)).toMatch(/^2015-03-12T09:30:00/);
  const tmp = tempDir();
  try {
    writeFileSync(join(tmp.dir, 'x.jpg'), jpeg);
    const ex = spawnSync('exiftool', ['-j', join(tmp.dir, 'x.jpg')], { encoding: 'utf8' });
    if (ex.status === 0) {
      const o = (JSON.parse(ex.stdout) as Record<string, unknown>[])[0]!;
      expect({ make: o.Make, model: o.Model, software: o.Software, modifyDate: o.ModifyDate, dateTimeOriginal: o.DateTimeOriginal }).toEqual(fields);
    }
  } finally {
    tmp.cleanup();
  }
});

it('keeps an image without metadata, and garbage with a coded warning', async () => {
  const png = await imageIngestor.extract({ bytes: samplePng(8, 8, [200, 10, 10]), name: 'x.png', ext: 'png', mime: 'image/png' });
  expect(png.children).toEqual([]);
  const junk = await imageIngestor.extract({ bytes: new Uint8Array([0xff, 0xd8, 0xff, 0xe1, 0x00]), name: 'x.jpg', ext: 'jpg', mime: 'image/jpeg' });
  for (const w of junk.warnings ?? []) expect(w.code).toBe('E_IMAGE_METADATA');
});

it.runIf(spawnSync('exiftool', ['-ver']).status === 0)('reads XMP CreatorTool and History, GPS and size written by exiftool, dates never shifted by the TZ', async () => {
  const tmp = tempDir();
  try {
    const file = join(tmp.dir, 'edited.png');
    writeFileSync(file, samplePng(16, 8, [10, 200, 10]));
    const w = spawnSync('exiftool', ['-overwrite_original', '-XMP-xmp:CreatorTool=Adobe Photoshop CC 2017', '-XMP-xmpMM:HistoryAction=saved',
      '-XMP-xmpMM:HistorySoftwareAgent=Adobe Photoshop CC 2017', '-XMP-xmpMM:HistoryWhen=2017:05:04 22:41:10+03:00', '-EXIF:GPSLatitude=48.8566',
      '-EXIF:GPSLatitudeRef=N', '-EXIF:GPSLongitude=2.3522', '-EXIF:GPSLongitudeRef=E', '-EXIF:Make=Canon', '-EXIF:DateTimeOriginal=2015:03:12 09:30:00', file]);
    expect(w.status).toBe(0);
    const o = (JSON.parse(spawnSync('exiftool', ['-j', '-n', file], { encoding: 'utf8' }).stdout) as Record<string, unknown>[])[0]!;
    const r = await imageIngestor.extract({ bytes: readFileSync(file), name: 'edited.png', ext: 'png', mime: 'image/png' });
    expect(r.meta).toMatchObject({
      make: o.Make, creatorTool: o.CreatorTool, width: o.ImageWidth, height: o.ImageHeight,
      history: { action: o.HistoryAction, softwareAgent: o.HistorySoftwareAgent },
      dateTimeOriginal: String(o.DateTimeOriginal).replace(/^(\d{4}):(\d\d):(\d\d) /, '$1-$2-$3T'),
    });
    const loc = r.meta.location as { latitude: number; longitude: number };
    expect(loc.latitude).toBeCloseTo(o.GPSLatitude as number, 4);
    expect(loc.longitude).toBeCloseTo(o.GPSLongitude as number, 4);
  } finally {
    tmp.cleanup();
  }
});
