--
-- exec_distributed_map_privileges: who may see and change a map run, and
-- what a Distributed Map's ItemReader query and ResultWriter may do.
-- Map runs and their pending items are visible with the parent execution
-- (its state machine's owner, grantees, sfn_admin); UpdateMapRun needs
-- START.  The reader's query and the writer's INSERT run as the state
-- machine's role: the query read-only, both as security-restricted
-- operations (they may not leave temporary tables or settings in the
-- worker, whose session every role's tasks share).
--
\set SHOW_CONTEXT never
\i sql/include/exec_helpers.sql
-- A statement's error, the map run's UUID masked.
CREATE FUNCTION pg_temp.try(q text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
	EXECUTE q;
	RETURN 'ok';
EXCEPTION WHEN others THEN
	RETURN SQLSTATE || ' ' || pg_catalog.regexp_replace(SQLERRM, '[0-9a-f-]{36}', 'UUID');
END $$;

CREATE ROLE dmp_alice IN ROLE sfn_user;
CREATE ROLE dmp_bob IN ROLE sfn_user;
CREATE ROLE dmp_carol;			-- not a pg_sfn user
CREATE SCHEMA dmp;
GRANT USAGE ON SCHEMA dmp TO dmp_alice, dmp_bob;
CREATE TABLE dmp.results (map_run_arn text, execution_arn text, child_index integer, status text,
	input jsonb, output jsonb, error text, cause text, start_date timestamptz, stop_date timestamptz);
ALTER TABLE dmp.results OWNER TO dmp_alice;
-- Not alice's: she may read it, not write it.
CREATE TABLE dmp.audit (LIKE dmp.results);
GRANT SELECT ON dmp.audit TO dmp_alice;
CREATE SEQUENCE dmp.seq;
GRANT USAGE, SELECT ON SEQUENCE dmp.seq TO dmp_alice;
-- A SECURITY DEFINER function owned by the superuser that writes.
CREATE FUNCTION dmp.definer_write() RETURNS jsonb LANGUAGE sql SECURITY DEFINER
	SET search_path = pg_catalog AS $$
	INSERT INTO dmp.audit (status) VALUES ('written') RETURNING pg_catalog.to_jsonb(status) $$;
CREATE FUNCTION dmp.definer_read_write() RETURNS jsonb LANGUAGE sql SECURITY DEFINER
	SET search_path = pg_catalog SET transaction_read_only = off AS $$
	INSERT INTO dmp.audit (status) VALUES ('written') RETURNING pg_catalog.to_jsonb(status) $$;
GRANT EXECUTE ON FUNCTION dmp.definer_write(), dmp.definer_read_write() TO dmp_alice;

-- Alice's Distributed Map: items from the input, the ResultWriter's table
-- from the input too (Table.$).
SET ROLE dmp_alice;
SELECT sfn_create_state_machine('dmp-map', $j$
{"StartAt": "Each", "States": {
  "Each": {"Type": "Map", "ItemsPath": "$.items", "MaxConcurrency": 1,
    "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED"}, "StartAt": "Sleep",
      "States": {"Sleep": {"Type": "Wait", "SecondsPath": "$.wait", "End": true}}},
    "ResultWriter": {"Resource": "arn:aws:states:::sql:insert", "Parameters": {"Table.$": "$.table"}},
    "End": true}}}
$j$) IS NOT NULL AS created;
CALL pg_temp.run('dmp-map', '{"items": [{"wait": 0}, {"wait": 0}], "table": "dmp.results"}', 'done');
SELECT status, output->'ResultWriterDetails' AS details FROM pg_temp.outcome('dmp-map', 'done');
-- A run that stays RUNNING: its first child waits an hour, the second is pending.
SELECT sfn_start_execution('dmp-map', '{"items": [{"wait": 3600}, {"wait": 0}], "table": "dmp.results"}', 'long')
	IS NOT NULL AS started;
RESET ROLE;
DO $$
BEGIN
	FOR i IN 1..200 LOOP
		EXIT WHEN EXISTS (SELECT FROM sfn.map_runs mr JOIN sfn.executions e ON e.id = mr.parent_execution_id
			WHERE e.name = 'long');
		PERFORM pg_sleep(0.05);
	END LOOP;
END $$;
SELECT map_run_arn AS long_run FROM sfn_list_map_runs(pg_temp.arn('dmp-map', 'long')) \gset

-- Alice, the owner, sees her runs and the pending item, and may update.
SET ROLE dmp_alice;
SELECT count(*) AS runs FROM sfn.map_runs;
SELECT count(*) AS items FROM sfn.map_run_items;
SELECT sfn_describe_map_run(:'long_run')->>'status' AS status;
SELECT count(*) AS children FROM sfn_list_map_run_executions(:'long_run');
SELECT sfn_update_map_run(:'long_run', max_concurrency => 1);
RESET ROLE;

-- Bob has no grant: he sees no map run, no pending item, and every API
-- call answers as if the run did not exist.
SET ROLE dmp_bob;
SELECT count(*) AS runs FROM sfn.map_runs;
SELECT count(*) AS items FROM sfn.map_run_items;
SELECT pg_temp.try(format('SELECT sfn_describe_map_run(%L)', :'long_run'));
SELECT * FROM sfn_list_map_runs(pg_temp.arn('dmp-map', 'long'));
SELECT pg_temp.try(format('SELECT sfn_list_map_run_executions(%L)', :'long_run'));
SELECT pg_temp.try(format('SELECT sfn_update_map_run(%L, max_concurrency => 5)', :'long_run'));
RESET ROLE;

-- Carol is no pg_sfn user: no access at all.
SET ROLE dmp_carol;
SELECT count(*) FROM sfn.map_runs;
SELECT pg_temp.try(format('SELECT sfn_describe_map_run(%L)', :'long_run'));
SELECT pg_temp.try(format('SELECT sfn_update_map_run(%L, max_concurrency => 5)', :'long_run'));
RESET ROLE;

-- READ: bob sees the run and its pending item, but may not update it.
SET ROLE dmp_alice;
SELECT sfn_grant_state_machine('dmp-map', 'dmp_bob', 'READ');
RESET ROLE;
SET ROLE dmp_bob;
SELECT count(*) AS runs FROM sfn.map_runs;
SELECT count(*) AS items FROM sfn.map_run_items;
SELECT sfn_describe_map_run(:'long_run')->>'status' AS status;
SELECT pg_temp.try(format('SELECT sfn_update_map_run(%L, max_concurrency => 5)', :'long_run'));
RESET ROLE;

-- START: bob may update it, and start the state machine himself.  The
-- ResultWriter writes as the state machine's role (alice), not as bob:
-- a table alice may not write fails the run, whoever started it; one she
-- may write is written, as the definition lets the input choose it.
SET ROLE dmp_alice;
SELECT sfn_grant_state_machine('dmp-map', 'dmp_bob', 'START');
RESET ROLE;
SET ROLE dmp_bob;
SELECT sfn_update_map_run(:'long_run', tolerated_failure_count => 1);
CALL pg_temp.run('dmp-map', '{"items": [{"wait": 0}], "table": "dmp.audit"}', 'bob-audit');
SELECT status, error, cause FROM pg_temp.outcome('dmp-map', 'bob-audit');
CALL pg_temp.run('dmp-map', '{"items": [{"wait": 0}], "table": "dmp.results"}', 'bob-results');
SELECT status FROM pg_temp.outcome('dmp-map', 'bob-results');
RESET ROLE;
SELECT count(*) AS audit_rows FROM dmp.audit;
SELECT sfn_stop_execution(pg_temp.arn('dmp-map', 'long')) IS NOT NULL AS stopped;

-- The ResultWriter's INSERT is security-restricted: a trigger of alice's
-- table may not create a temporary table in the worker's session.
CREATE FUNCTION dmp.plant() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	CREATE TEMP TABLE IF NOT EXISTS planted (LIKE dmp.results);
	RETURN NEW;
END $$;
ALTER FUNCTION dmp.plant() OWNER TO dmp_alice;
CREATE TRIGGER plant BEFORE INSERT ON dmp.results FOR EACH STATEMENT EXECUTE FUNCTION dmp.plant();
SET ROLE dmp_alice;
CALL pg_temp.run('dmp-map', '{"items": [{"wait": 0}], "table": "dmp.results"}', 'plant');
SELECT status, error, cause FROM pg_temp.outcome('dmp-map', 'plant');
RESET ROLE;
DROP TRIGGER plant ON dmp.results;

-- The ItemReader's query: read-only as alice, whatever it calls.
SET ROLE dmp_alice;
CREATE FUNCTION pg_temp.reader(name text, query text) RETURNS void LANGUAGE sql AS $$
	SELECT sfn_create_state_machine(name, jsonb_build_object('StartAt', 'Each', 'States', jsonb_build_object(
		'Each', jsonb_build_object('Type', 'Map',
			'ItemReader', jsonb_build_object('Resource', 'arn:aws:states:::sql:query',
				'Parameters', jsonb_build_object('Query', query)),
			'ItemProcessor', '{"ProcessorConfig": {"Mode": "DISTRIBUTED"}, "StartAt": "P",
				"States": {"P": {"Type": "Pass", "End": true}}}'::jsonb,
			'End', true)))) $$;
SELECT pg_temp.reader('dmp-read-ok', 'SELECT pg_catalog.to_jsonb(s.status) FROM dmp.audit s');
SELECT pg_temp.reader('dmp-read-seq', 'SELECT pg_catalog.to_jsonb(pg_catalog.nextval(''dmp.seq''))');
SELECT pg_temp.reader('dmp-read-definer', 'SELECT dmp.definer_write()');
SELECT pg_temp.reader('dmp-read-definer-rw', 'SELECT dmp.definer_read_write()');
SELECT pg_temp.reader('dmp-read-role', 'SELECT pg_catalog.to_jsonb(pg_catalog.set_config(''role'', ''postgres'', true))');
CALL pg_temp.run('dmp-read-ok', '{}', 'r');
SELECT status, error FROM pg_temp.outcome('dmp-read-ok', 'r');
CALL pg_temp.run('dmp-read-seq', '{}', 'r');
SELECT status, error, cause FROM pg_temp.outcome('dmp-read-seq', 'r');
CALL pg_temp.run('dmp-read-definer', '{}', 'r');
SELECT status, error, cause FROM pg_temp.outcome('dmp-read-definer', 'r');
CALL pg_temp.run('dmp-read-definer-rw', '{}', 'r');
SELECT status, error, cause FROM pg_temp.outcome('dmp-read-definer-rw', 'r');
CALL pg_temp.run('dmp-read-role', '{}', 'r');
SELECT status, error, cause FROM pg_temp.outcome('dmp-read-role', 'r');
RESET ROLE;
SELECT pg_catalog.nextval('dmp.seq') AS seq_untouched;
SELECT count(*) AS audit_rows FROM dmp.audit;
-- Bob's machine (his role) reading alice's table: permission denied.
SET ROLE dmp_bob;
SELECT pg_temp.reader('dmp-read-bob', 'SELECT pg_catalog.to_jsonb(r.status) FROM dmp.results r');
CALL pg_temp.run('dmp-read-bob', '{}', 'r');
SELECT status, error, cause FROM pg_temp.outcome('dmp-read-bob', 'r');
RESET ROLE;
