-- test/jsonata/fuzz.sql: evaluate mutated expressions (mutate.py) over a
-- sample document; any error is an acceptable answer, a crash or an error
-- outside JSONata's and the budget's SQLSTATEs is a finding (reported as a
-- NOTICE; a crash ends the run: the server log's last "FUZZ n" line names
-- the input).  psql variable f: the absolute path of the expressions file.
SET client_min_messages = notice;
SET pg_sfn.eval_step_limit = 200000;
SET pg_sfn.eval_memory_limit = '32MB';
DROP TABLE IF EXISTS jsonata_fuzz;
CREATE TABLE jsonata_fuzz AS
SELECT i, (l::json) #>> '{}' AS e
FROM pg_catalog.string_to_table(pg_catalog.pg_read_file(:'f'), E'\n') WITH ORDINALITY AS t(l, i)
WHERE l <> '';
DO $$
DECLARE
	r record;
	d jsonb := '{"Account":{"Account Name":"Firefly","Order":[{"OrderID":"order103","Product":[{"Product Name":"Bowler Hat","ProductID":858383,"Price":34.45,"Quantity":2,"Description":{"Colour":"Purple","Weight":0.75}},{"Product Name":"Trilby hat","ProductID":858236,"Price":21.67,"Quantity":1}]}]}}';
	ok int := 0;
	failed int := 0;
BEGIN
	FOR r IN SELECT i, e FROM jsonata_fuzz ORDER BY i LOOP
		RAISE LOG 'FUZZ % %', r.i, r.e;
		BEGIN
			PERFORM sfn.jsonata_eval(r.e, d);
			ok := ok + 1;
		EXCEPTION WHEN OTHERS THEN
			IF SQLSTATE NOT IN ('22023', 'SF020', '54000') THEN
				RAISE NOTICE 'finding: % % for %', SQLSTATE, SQLERRM, r.e;
			END IF;
			failed := failed + 1;
		END;
	END LOOP;
	RAISE NOTICE 'evaluated % expressions: % results, % errors', ok + failed, ok, failed;
END $$;
