-- test/jsonata/suite.sql: run the converted JSONata test suite through
-- sfn.jsonata_eval_text.  psql variables: casefile, datafile (absolute
-- paths of cases.jsonl and datasets.jsonl).  Leaves one row per case in
-- jsonata_suite_results (id, ok, detail).
\set ON_ERROR_STOP 1
SET client_min_messages = warning;
-- The suite checks the language, not pg_sfn's budget (sql/eval_jsonata.sql
-- does): its largest cases build sequences of 10,000,000 numbers.
SET pg_sfn.eval_step_limit = 100000000;
SET pg_sfn.eval_memory_limit = '1GB';
DROP TABLE IF EXISTS jsonata_suite_raw, jsonata_suite_datasets_raw, jsonata_suite_results;
CREATE TABLE jsonata_suite_raw (n serial, line text);
CREATE TABLE jsonata_suite_datasets_raw (line text);
-- one JSON text per line (the server reads the files: run as a superuser)
INSERT INTO jsonata_suite_raw (line)
SELECT l FROM pg_catalog.string_to_table(pg_catalog.pg_read_file(:'casefile'), E'\n') WITH ORDINALITY AS t(l, i)
 WHERE l <> '' ORDER BY i;
INSERT INTO jsonata_suite_datasets_raw
SELECT l FROM pg_catalog.string_to_table(pg_catalog.pg_read_file(:'datafile'), E'\n') AS t(l)
 WHERE l <> '';
CREATE TABLE jsonata_suite_results (n int, id text, ok bool, detail text);

DO $$
DECLARE
	c record;
	js json;
	input text;
	res text;
	got_code text;
	msg text;
	ok bool;
	detail text;
BEGIN
	FOR c IN SELECT n, line FROM jsonata_suite_raw ORDER BY n LOOP
		BEGIN
			PERFORM c.line::jsonb;
		EXCEPTION WHEN others THEN
			-- e.g. a lone UTF-16 surrogate, which PostgreSQL text cannot hold
			INSERT INTO jsonata_suite_results VALUES (c.n, substring(c.line from '"id":"([^"]*)"'), false,
				'case not representable: ' || SQLERRM);
			CONTINUE;
		END;
		js := c.line::json;
		input := NULL;
		IF (c.line::jsonb) ? 'data' THEN
			input := (js->'data')::text;
		ELSIF js->>'dataset' IS NOT NULL THEN
			SELECT (d.line::json)->'data' INTO input FROM jsonata_suite_datasets_raw d
			 WHERE (d.line::json)->>'name' = js->>'dataset';
		END IF;
		res := NULL;
		got_code := NULL;
		msg := NULL;
		BEGIN
			res := sfn.jsonata_eval_text(js->>'expr', input, (js->'bindings')::text,
										 (js->>'depth')::int);
		EXCEPTION WHEN others THEN
			msg := SQLERRM;
			got_code := substring(msg from '([STDU][0-9]{4})');
		END;
		IF (c.line::jsonb) ? 'code' THEN
			ok := got_code IS NOT DISTINCT FROM js->>'code';
			detail := coalesce(msg, 'result ' || coalesce(res, 'undefined'));
		ELSIF (c.line::jsonb) ? 'undefined' THEN
			ok := msg IS NULL AND res IS NULL;
			detail := coalesce(msg, 'result ' || coalesce(res, 'undefined'));
		ELSE
			BEGIN
				ok := msg IS NULL AND res IS NOT NULL AND res::jsonb = (js->'result')::jsonb;
			EXCEPTION WHEN others THEN
				ok := false;
			END;
			detail := coalesce(msg, 'result ' || coalesce(res, 'undefined'));
		END IF;
		INSERT INTO jsonata_suite_results VALUES (c.n, js->>'id', ok, left(detail, 300));
	END LOOP;
END $$;
