import { describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { toFtsQuery } from '../../src/search/fts-query.ts';
import { TamisError } from '../../src/core/errors.ts';

describe('toFtsQuery', () => {
  it('ANDs words, keeps phrases, prefixes, OR and exclusions', () => {
    expect(toFtsQuery('tresorerie comite')).toBe('"tresorerie" AND "comite"');
    expect(toFtsQuery('"plan de financement" budget*')).toBe('"plan de financement" AND "budget"*');
    expect(toFtsQuery('macron OR fillon -hamon')).toBe('("macron" OR "fillon") NOT ("hamon")');
  });

  it('rejects empty and exclusion-only queries with E_QUERY', () => {
    for (const q of ['', '   ', '-x']) {
      expect(() => toFtsQuery(q)).toThrowError(TamisError);
    }
  });

  it('never produces an expression FTS5 rejects, whatever the input', () => {
    const db = new Database(':memory:');
    db.exec("CREATE VIRTUAL TABLE t USING fts5(a, tokenize='unicode61 remove_diacritics 2')");
    db.prepare('INSERT INTO t VALUES (?)').run('Trésorerie générale: « prévisions » 2017');
    const nasty = ['"', '""', 'a"b', 'NEAR(a b)', 'a:b', '(a', 'a)', '^x', 'x*y', '* *', 'OR', 'AND a', 'NOT', '-', '--a', "l'état", '{a}', 'a OR', 'OR OR b'];
    for (const q of nasty) {
      let expr: string;
      try { expr = toFtsQuery(q); } catch (err) { expect((err as TamisError).code).toBe('E_QUERY'); continue; }
      expect(() => db.prepare('SELECT * FROM t WHERE t MATCH ?').all(expr)).not.toThrow();
    }
    expect(db.prepare('SELECT count(*) n FROM t WHERE t MATCH ?').get(toFtsQuery('TRESORERIE previsions')))
      .toEqual({ n: 1 });
  });
});
