\set SHOW_CONTEXT never
CREATE PROCEDURE pg_temp.run(sm text, input jsonb, name text)
LANGUAGE plpgsql AS $$
DECLARE arn text;
BEGIN
	arn := sfn_start_execution(sm, input, name);
	COMMIT;
	PERFORM sfn.wait_execution(arn);
END $$;
CREATE FUNCTION pg_temp.arn(sm text, name text) RETURNS text LANGUAGE sql
	AS $$ SELECT 'arn:aws:states:us-east-1:123456789012:execution:' || sm || ':' || name $$;
SELECT sfn_create_state_machine('pass-result', $j$ {"StartAt":"P","States":{"P":{"Type":"Pass","Result":{"x":1},"ResultPath":"$.r","End":true}}} $j$);
CALL pg_temp.run('pass-result', '{"a":1}', 'e1');
SELECT sfn_describe_execution(pg_temp.arn('pass-result','e1'));
SELECT id, previous_event_id, type, details FROM sfn_get_execution_history(pg_temp.arn('pass-result','e1'));
