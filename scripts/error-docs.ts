// Writes docs/errors.md from src/core/errors.ts, so the documented codes are
// the codes: `node scripts/error-docs.ts > docs/errors.md`. A test checks the
// file is current.
import { ERROR_CODES } from '../src/core/errors.ts';

export function errorDocs(): string {
  const rows = Object.entries(ERROR_CODES).map(([code, message]) => `| \`${code}\` | ${message} |`);
  return `# Error codes

Every error tamis reports has a stable code. Failures recorded during ingest
appear in \`tamis report\` under \`failures\` with the code and a message that
adds the detail (member name, parser message). Command-line errors print
\`tamis: CODE: message\` and exit with status 1 (status 2 for \`E_USAGE\`).

This file is generated from \`src/core/errors.ts\` by
\`node scripts/error-docs.ts > docs/errors.md\`; a test fails when it is stale.

| code | meaning |
|---|---|
${rows.join('\n')}
`;
}

if (import.meta.url === `file://${process.argv[1]}`) process.stdout.write(errorDocs());
