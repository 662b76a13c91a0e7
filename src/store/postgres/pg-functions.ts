// The ingest writes as server-side functions: one round trip and one
// transaction per item, however many children, failures and names it has.
// Each statement inside sees what other workers committed before it ran
// (READ COMMITTED), so two workers meeting the same bytes at once still
// merge their file names and repeat the item's failures.
// Payloads come as json (sanitised by pg-db.ts); the body as plain text.
export const WRITE_FUNCTIONS = `
  CREATE FUNCTION tamis_add_failures(fs json, now text) RETURNS void LANGUAGE plpgsql AS $f$
  BEGIN
    INSERT INTO failures (path, sha256, code, message, recorded_at, item_sha256, member)
      SELECT f->>'path', f->>'sha256', f->>'code', f->>'message', now, f->>'itemSha256', coalesce(f->>'member', '')
      FROM json_array_elements(fs) WITH ORDINALITY AS x(f, ord) ORDER BY x.ord
    ON CONFLICT (path, code) DO NOTHING;
  END $f$;

  CREATE FUNCTION tamis_add_occurrence(o json) RETURNS void LANGUAGE plpgsql AS $f$
  BEGIN
    INSERT INTO occurrences (path, sha256, parent_sha256, parent_path, role, kind, name)
      VALUES (o->>'path', o->>'sha256', o->>'parentSha256', o->>'parentPath', o->>'role', o->>'kind', o->>'name')
    ON CONFLICT (path, sha256) DO NOTHING;
    IF FOUND THEN
      -- Keep every file name of an item searchable, whichever path met it first.
      UPDATE item_texts t SET names = t.names || E'\\n' || (o->>'name')
      FROM items i WHERE i.sha256 = o->>'sha256' AND t.item_id = i.id
        AND NOT ((o->>'name') = ANY (string_to_array(t.names, E'\\n')));
    END IF;
  END $f$;

  CREATE FUNCTION tamis_record_extraction(it json, body text, children json, occ json, fs json, now text) RETURNS void
  LANGUAGE plpgsql AS $f$
  DECLARE
    new_id bigint;
  BEGIN
    INSERT INTO items (sha256, size, mime, ingestor, title, date, meta, status, error_code, error_message, text_length, ingested_at, sender)
      VALUES (it->>'sha256', (it->>'size')::bigint, it->>'mime', it->>'ingestor', it->>'title', it->>'date', it->'meta',
        it->>'status', it->>'errorCode', it->>'errorMessage', (it->>'textLength')::integer, now, it->>'sender')
    ON CONFLICT (sha256) DO NOTHING
    RETURNING id INTO new_id;
    -- Children are intrinsic to the bytes: written once, by whoever recorded the item first.
    IF new_id IS NOT NULL THEN
      INSERT INTO item_texts (item_id, title, names, body) VALUES (new_id, coalesce(it->>'title', ''), occ->>'name', body);
      INSERT INTO children (parent_sha256, ord, name, role, sha256, size, meta)
        SELECT it->>'sha256', x.ord - 1, c->>'name', c->>'role', c->>'sha256', (c->>'size')::bigint, coalesce(c->'meta', '{}')
        FROM json_array_elements(children) WITH ORDINALITY AS x(c, ord)
      ON CONFLICT DO NOTHING;
    END IF;
    PERFORM tamis_add_occurrence(occ);
    PERFORM tamis_add_failures(fs, now);
  END $f$;

  CREATE FUNCTION tamis_record_occurrence(occ json, fs json, now text) RETURNS void LANGUAGE plpgsql AS $f$
  BEGIN
    PERFORM tamis_add_occurrence(occ);
    -- The item's own failures, repeated at this path. Copies carry no
    -- item_sha256: only the originals are read, so n copies cost O(n), not O(n²).
    INSERT INTO failures (path, sha256, code, message, recorded_at, item_sha256, member)
      SELECT (occ->>'path') || f.member, f.sha256, f.code, f.message, now, NULL, f.member
      FROM failures f WHERE f.item_sha256 = occ->>'sha256' ORDER BY f.id
    ON CONFLICT (path, code) DO NOTHING;
    PERFORM tamis_add_failures(fs, now);
  END $f$;
`;
