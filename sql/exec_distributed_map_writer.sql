--
-- exec_distributed_map_writer: a Distributed Map's ResultWriter into a
-- table (arn:aws:states:::sql:insert), pg_sfn's analogue of AWS's result
-- files: one row per child, succeeded, failed or never started (PENDING),
-- written as the state machine's role; the Map state's result names the
-- map run and the table ({"MapRunArn", "ResultWriterDetails"}) instead of
-- carrying every output.
--
\set SHOW_CONTEXT never
\i sql/include/exec_helpers.sql

CREATE SCHEMA rw;
CREATE TABLE rw.results (
	map_run_arn text, execution_arn text, child_index integer, status text,
	input jsonb, output jsonb, error text, cause text,
	start_date timestamptz, stop_date timestamptz,
	written_at timestamptz DEFAULT now());
CREATE ROLE rw_writer;
GRANT USAGE ON SCHEMA rw TO rw_writer;
GRANT INSERT ON rw.results TO rw_writer;
CREATE ROLE rw_nobody;

CREATE FUNCTION pg_temp.writer_map(name text, role name, extra jsonb DEFAULT '{}') RETURNS text LANGUAGE sql AS $$
	SELECT sfn_create_state_machine(name, jsonb_build_object('StartAt', 'Each', 'States', jsonb_build_object(
		'Each', jsonb_build_object('Type', 'Map', 'ItemsPath', '$.items', 'MaxConcurrency', 1,
			'ResultWriter', '{"Resource": "arn:aws:states:::sql:insert", "Parameters": {"Table.$": "$.table"}}'::jsonb,
			'ItemProcessor', '{"ProcessorConfig": {"Mode": "DISTRIBUTED"}, "StartAt": "Check",
				"States": {"Check": {"Type": "Choice", "Choices": [{"And": [{"Variable": "$.ok", "IsPresent": true}, {"Variable": "$.ok", "BooleanEquals": false}], "Next": "Bad"}], "Default": "Good"},
					"Bad": {"Type": "Fail", "Error": "Item.Bad", "Cause": "not ok"},
					"Good": {"Type": "Pass", "Parameters": {"done.$": "$.n"}, "End": true}}}'::jsonb,
			'End', true) || extra)), role => role) $$;

-- Every child succeeds: three rows, and the state's result points at them.
SELECT pg_temp.writer_map('rw-ok', 'rw_writer');
CALL pg_temp.run('rw-ok', '{"table": "rw.results", "items": [{"n": 1}, {"n": 2}, {"n": 3}]}', 'e1');
SELECT status, output->'ResultWriterDetails' AS details,
	output->>'MapRunArn' = (SELECT map_run_arn FROM sfn_list_map_runs(pg_temp.arn('rw-ok', 'e1'))) AS names_the_run
FROM pg_temp.outcome('rw-ok', 'e1');
SELECT child_index, status, input, output, error, split_part(execution_arn, ':', 9) AS child
FROM rw.results ORDER BY child_index;
SELECT d->'itemCounts'->'resultsWritten' AS results_written
FROM sfn_describe_map_run((SELECT map_run_arn FROM sfn_list_map_runs(pg_temp.arn('rw-ok', 'e1')))) d;
TRUNCATE rw.results;

-- A failure past the tolerance: the results are written all the same,
-- with the children never started as PENDING; the state fails.
SELECT pg_temp.writer_map('rw-fail', 'rw_writer');
CALL pg_temp.run('rw-fail', '{"table": "rw.results", "items": [{"n": 1}, {"ok": false}, {"n": 3}, {"n": 4}]}', 'e1');
SELECT status, error FROM pg_temp.outcome('rw-fail', 'e1');
SELECT child_index, status, input, output, error, cause FROM rw.results ORDER BY child_index;
TRUNCATE rw.results;

-- A table the role may not write, or that does not exist:
-- States.ResultWriterFailed, and nothing written.
SELECT pg_temp.writer_map('rw-denied', 'rw_nobody');
CALL pg_temp.run('rw-denied', '{"table": "rw.results", "items": [{"n": 1}]}', 'e1');
SELECT * FROM pg_temp.outcome('rw-denied', 'e1');
SELECT * FROM pg_temp.events('rw-denied', 'e1');
CALL pg_temp.run('rw-ok', '{"table": "rw.missing", "items": [{"n": 1}]}', 'e2');
SELECT * FROM pg_temp.outcome('rw-ok', 'e2');
CALL pg_temp.run('rw-ok', '{"table": "not a table name", "items": [{"n": 1}]}', 'e3');
SELECT * FROM pg_temp.outcome('rw-ok', 'e3');
SELECT count(*) AS rows_written FROM rw.results;
