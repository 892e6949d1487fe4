-- Helpers shared by the exec_* regression tests (session-local, pg_temp):
-- run() starts an execution, commits and waits for it; arn(), outcome()
-- and events() read it back.  Included with \i, not a test of its own.
CREATE PROCEDURE pg_temp.run(sm text, input jsonb, name text)
LANGUAGE plpgsql AS $$
DECLARE
	arn text;
BEGIN
	arn := sfn_start_execution(sm, input, name);
	COMMIT;
	PERFORM sfn.wait_execution(arn);
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
