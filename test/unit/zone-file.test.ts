import { expect, it } from 'vitest';
import { parseZoneFile } from '../../src/keys/zone-file.ts';

it('reads DKIM TXT records in the forms BIND writes them', () => {
  const zone = [
    '$ORIGIN example.com.',
    '$TTL 3600',
    '; a comment with a "quote',
    'sel2017._domainkey  IN  TXT ( "v=DKIM1; k=rsa; "   ; first part',
    '     "p=MIGf\\"AB" )',
    'mail._domainkey.other.org. 300 IN TXT "v=DKIM1; p=XYZ"',
    '         IN 600 TXT "v=DKIM1; p=SECOND"',
    '@ IN MX 10 mx',
    'www IN TXT "not a key"',
    's._domainkey IN TXT "v=DKIM1; p=" ; revoked key',
    'esc._domainkey TXT "a\\059b\\\\c"',
  ].join('\n');
  const { keys, problems } = parseZoneFile(zone);
  expect(problems).toEqual([]);
  expect(keys.map(({ selector, domain, value }) => ({ selector, domain, value }))).toEqual([
    { selector: 'sel2017', domain: 'example.com', value: 'v=DKIM1; k=rsa; p=MIGf"AB' },
    { selector: 'mail', domain: 'other.org', value: 'v=DKIM1; p=XYZ' },
    { selector: 'mail', domain: 'other.org', value: 'v=DKIM1; p=SECOND' },
    { selector: 's', domain: 'example.com', value: 'v=DKIM1; p=' },
    { selector: 'esc', domain: 'example.com', value: 'a;b\\c' },
  ]);
});

it('reports malformed records instead of throwing', () => {
  const { keys, problems } = parseZoneFile('x._domainkey.a.org. IN TXT "v=DKIM1; p=unterminated\n');
  expect(keys).toEqual([]);
  expect(problems).toHaveLength(1);
  expect(parseZoneFile('  IN TXT "orphan"').problems[0]!.message).toMatch(/no owner/);
});
