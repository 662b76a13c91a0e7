// Docs that cannot drift: generated reference files must match the code.
import { expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { errorDocs } from '../../scripts/error-docs.ts';

it('docs/errors.md lists exactly the codes in src/core/errors.ts (regenerate: node scripts/error-docs.ts > docs/errors.md)', () => {
  expect(readFileSync(new URL('../../docs/errors.md', import.meta.url), 'utf8')).toBe(errorDocs());
});
