\set SHOW_CONTEXT never
-- Helpers (session-local).  sfn.wait_execution is not used: see the report.
-- run(): start an execution, commit so that the workers see it, and wait
-- (at most 10 s) until it is no longer RUNNING.
CREATE PROCEDURE pg_temp.run(sm text, input jsonb, name text)
LANGUAGE plpgsql AS $$
DECLARE
	arn text;
	deadline timestamptz := clock_timestamp() + interval '10 s';
BEGIN
	arn := sfn_start_execution(sm, input, name);
	COMMIT;
	WHILE sfn_describe_execution(arn)->>'status' = 'RUNNING'
		AND clock_timestamp() < deadline LOOP
		PERFORM pg_sleep(0.01);
	END LOOP;
END $$;
CREATE FUNCTION pg_temp.arn(sm text, name text) RETURNS text LANGUAGE sql
	AS $$ SELECT 'arn:aws:states:us-east-1:123456789012:execution:' || sm || ':' || name $$;
-- The outcome as DescribeExecution reports it (output parsed, so that key
-- order does not matter).
CREATE FUNCTION pg_temp.outcome(sm text, name text,
	OUT status text, OUT output jsonb, OUT error text, OUT cause text)
LANGUAGE sql AS $$
	SELECT d->>'status', (d->>'output')::jsonb, d->>'error', d->>'cause'
	FROM sfn_describe_execution(pg_temp.arn(sm, name)) d $$;
-- The history: id, previousEventId, type, and the state name or error.
CREATE FUNCTION pg_temp.events(sm text, name text,
	OUT id bigint, OUT prev bigint, OUT type text, OUT what text)
RETURNS SETOF record LANGUAGE sql AS $$
	SELECT id, previous_event_id, type, coalesce(details->>'name', details->>'error')
	FROM sfn_get_execution_history(pg_temp.arn(sm, name)) $$;
SELECT sfn_create_state_machine('x-choice-paths2', $j$
{"StartAt": "C", "States": {
  "C": {"Type": "Choice", "InputPath": "$.order", "OutputPath": "$.items",
    "Choices": [{"Variable": "$.total", "NumericGreaterThan": 100, "Next": "Big"}],
    "Default": "Small"},
  "Big": {"Type": "Pass", "Parameters": {"size": "big", "items.$": "$"}, "End": true},
  "Small": {"Type": "Pass", "Parameters": {"size": "small", "items.$": "$"}, "End": true}}}
$j$);
CALL pg_temp.run('x-choice-paths2', '{"order": {"total": 150, "items": []}}', 'big');
CALL pg_temp.run('x-choice-paths2', '{"order": {"total": 5, "items": []}}', 'small');
SELECT * FROM pg_temp.outcome('x-choice-paths2', 'small');
SELECT * FROM pg_temp.events('x-choice-paths2', 'small');
SELECT sfn_create_state_machine('x-gt', $j$
{"StartAt": "C", "States": {
  "C": {"Type": "Choice",
    "Choices": [{"Variable": "$.total", "NumericGreaterThan": 100, "Next": "Big"}],
    "Default": "Small"},
  "Big": {"Type": "Pass", "Result": "big", "End": true},
  "Small": {"Type": "Pass", "Result": "small", "End": true}}}
$j$);
CALL pg_temp.run('x-gt', '{"total": 150}', 'big');
CALL pg_temp.run('x-gt', '{"total": 5}', 'small');
SELECT * FROM pg_temp.outcome('x-gt', 'small');
CALL pg_temp.run('x-gt', '{"total": 5}', 'small2');
SELECT * FROM pg_temp.outcome('x-gt', 'small2');
CALL pg_temp.run('x-gt', '{"total": 500}', 'big2');
SELECT * FROM pg_temp.outcome('x-gt', 'big2');
CALL pg_temp.run('x-gt', '{"total": 5}', 'small3');
SELECT * FROM pg_temp.outcome('x-gt', 'small3');
