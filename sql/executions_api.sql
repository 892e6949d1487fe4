-- Execution API: start (idempotency, names, input limits, transactions,
-- triggers), describe, list, history, stop, and bad input.
\set SHOW_CONTEXT never
\set VERBOSITY default

SELECT sfn_create_state_machine('api-wait', '{"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":30,"End":true}}}') IS NOT NULL;
SELECT sfn_create_state_machine('api-pass', '{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}') IS NOT NULL;

-- Idempotent start: same name and input while running returns the same ARN.
SELECT sfn_start_execution('api-wait', '{"n":1}', 'idem');
SELECT sfn_start_execution('api-wait', '{"n":1}', 'idem');
-- Same name, different input: ExecutionAlreadyExists.
SELECT sfn_start_execution('api-wait', '{"n":2}', 'idem');
SELECT count(*) AS executions_named_idem FROM sfn.executions WHERE name = 'idem';

-- The same name after the execution closed: ExecutionAlreadyExists.
SELECT sfn_start_execution('api-pass', '{"n":1}', 'closed') AS closed_arn \gset
SELECT sfn.wait_execution(:'closed_arn');
SELECT sfn_start_execution('api-pass', '{"n":1}', 'closed');

-- The same execution name under another state machine is another execution.
SELECT sfn_start_execution('api-pass', '{"n":1}', 'idem');

-- Any JSON value is an input, as on AWS.
SELECT sfn_start_execution('api-pass', '[1,2,3]', 'array-input') AS a \gset
SELECT sfn_start_execution('api-pass', '"text"', 'string-input') AS s \gset
SELECT sfn_start_execution('api-pass', 'null', 'null-input') AS n \gset
SELECT sfn.wait_execution(:'a'), sfn.wait_execution(:'s'), sfn.wait_execution(:'n');
SELECT d->>'input' AS input, d->>'output' AS output
FROM unnest(ARRAY[:'a', :'s', :'n']) arn, sfn_describe_execution(arn) d;

-- A generated name is a UUID.
SELECT sfn_create_state_machine('api-uuid', '{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}') IS NOT NULL;
SELECT split_part(sfn_start_execution('api-uuid'), ':', 8) ~ '^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$' AS uuid_name;

-- Input over the payload limit (pg_sfn.max_payload_size, 256 KiB by default).
SELECT sfn_start_execution('api-pass', jsonb_build_object('s', repeat('x', 262144)), 'too-big');
SET pg_sfn.max_payload_size = 1024;
SELECT sfn_start_execution('api-pass', jsonb_build_object('s', repeat('x', 1100)), 'too-big');
SELECT sfn_start_execution('api-pass', jsonb_build_object('s', repeat('x', 1000)), 'fits') IS NOT NULL AS fits;
RESET pg_sfn.max_payload_size;
SELECT count(*) AS too_big_written FROM sfn.executions WHERE name = 'too-big';

-- Invalid names and NULL arguments.
SELECT sfn_start_execution('api-pass', '{}', 'bad name');
SELECT sfn_start_execution('api-pass', '{}', repeat('x', 81));
SELECT sfn_start_execution('api-pass', '{}', '');
SELECT sfn_start_execution('api-pass', NULL, 'null-in');
SELECT sfn_start_execution(NULL, '{}', 'null-sm');
SELECT sfn_start_execution('no-such-machine', '{}', 'x');

-- Starting in a transaction that rolls back leaves no execution.
BEGIN;
SELECT sfn_start_execution('api-pass', '{}', 'rolled-back') IS NOT NULL;
ROLLBACK;
SELECT count(*) AS rolled_back FROM sfn.executions WHERE name = 'rolled-back';
SELECT count(*) AS rolled_back_history FROM sfn.history h
  WHERE NOT EXISTS (SELECT 1 FROM sfn.executions e WHERE e.id = h.execution_id);

-- An execution started by a trigger exists exactly when the triggering
-- transaction commits.
CREATE TABLE orders (id int PRIMARY KEY, amount numeric);
CREATE FUNCTION orders_start() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	PERFORM sfn_start_execution('api-pass', jsonb_build_object('id', NEW.id, 'amount', NEW.amount),
								'order-' || NEW.id);
	RETURN NEW;
END $$;
CREATE TRIGGER orders_start AFTER INSERT ON orders FOR EACH ROW EXECUTE FUNCTION orders_start();
BEGIN;
INSERT INTO orders VALUES (1, 10);
ROLLBACK;
SELECT count(*) AS after_rollback FROM sfn.executions WHERE name = 'order-1';
INSERT INTO orders VALUES (2, 20);
SELECT sfn.wait_execution(sfn.execution_arn('api-pass', 'order-2'));
SELECT sfn_describe_execution(sfn.execution_arn('api-pass', 'order-2'))->>'output' AS trigger_output;

-- Describe: AWS's fields.
SELECT sfn.wait_execution(:'closed_arn');
SELECT jsonb_object_keys(sfn_describe_execution(:'closed_arn')) AS key ORDER BY 1;
SELECT d->>'executionArn' AS arn, d->>'stateMachineArn' AS sm, d->>'status' AS status,
       d->>'input' AS input, d->>'output' AS output, d->>'redriveStatus' AS redrive
FROM sfn_describe_execution(:'closed_arn') d;
SELECT sfn_describe_execution('arn:aws:states:us-east-1:123456789012:execution:api-pass:no-such');
SELECT sfn_describe_execution('arn:aws:states:us-east-1:123456789012:stateMachine:api-pass');
SELECT sfn_describe_execution('not-an-arn');
SELECT sfn_describe_execution(NULL);
SELECT d->>'name' AS name, d->>'definition' AS definition
FROM sfn_describe_state_machine_for_execution(:'closed_arn') d;

-- An execution keeps the revision it started with.
SELECT sfn_start_execution('api-wait', '{}', 'old-revision') AS old_rev \gset
SELECT sfn_update_state_machine('api-wait', '{"StartAt":"Q","States":{"Q":{"Type":"Succeed"}}}') IS NOT NULL;
SELECT sfn_describe_state_machine_for_execution(:'old_rev')->>'definition' AS old_definition;
SELECT sfn_start_execution('api-wait', '{}', 'new-revision') AS new_rev \gset
SELECT sfn.wait_execution(:'new_rev');
SELECT type FROM sfn_get_execution_history(:'new_rev');

-- Stop: ABORTED with ExecutionAborted; stopping again is an error.
SELECT sfn_stop_execution(:'old_rev', 'Manual', 'stopped by the test') IS NOT NULL AS stopped;
SELECT d->>'status' AS status, d->>'error' AS error, d->>'cause' AS cause, d ? 'stopDate' AS has_stop_date
FROM sfn_describe_execution(:'old_rev') d;
SELECT id, previous_event_id, type, details FROM sfn_get_execution_history(:'old_rev', include_execution_data => false);
SELECT sfn_stop_execution(:'old_rev');
SELECT sfn_stop_execution(:'closed_arn');
SELECT sfn_stop_execution('arn:aws:states:us-east-1:123456789012:execution:api-wait:no-such');
SELECT sfn_stop_execution(NULL);
-- Stop without error or cause: the event details are empty, describe has neither.
SELECT sfn_stop_execution(sfn.execution_arn('api-wait', 'idem')) IS NOT NULL AS stopped;
SELECT d ? 'error' AS has_error, d ? 'cause' AS has_cause FROM sfn_describe_execution(sfn.execution_arn('api-wait', 'idem')) d;
SELECT type, details FROM sfn_get_execution_history(sfn.execution_arn('api-wait', 'idem'), reverse_order => true) LIMIT 1;
SELECT count(*) AS work_rows_of_stopped FROM sfn.work w JOIN sfn.executions e ON e.id = w.execution_id WHERE e.status <> 'RUNNING';

-- List: newest first, status filter, paging.
SELECT name, status FROM sfn_list_executions('api-wait');
SELECT name FROM sfn_list_executions('api-pass', 'SUCCEEDED', 3);
SELECT page_token AS tok FROM sfn_list_executions('api-pass', 'SUCCEEDED', 3) OFFSET 2 \gset
SELECT name AS second_page FROM sfn_list_executions('api-pass', 'SUCCEEDED', 3, :'tok');
SELECT name FROM sfn_list_executions('api-pass', 'BOGUS');
SELECT name FROM sfn_list_executions('api-pass', NULL, 5000);
SELECT name FROM sfn_list_executions('no-such-machine');

-- The same limit inside an execution (the workers' own 256 KiB): the input
-- fits, the Pass state's output does not.
SELECT sfn_create_state_machine('api-big', '{"StartAt":"Double","States":{"Double":{"Type":"Pass","Parameters":{"a.$":"$.s","b.$":"$.s"},"End":true}}}') IS NOT NULL;
SELECT sfn_start_execution('api-big', jsonb_build_object('s', repeat('x', 150000)), 'too-much') AS big \gset
SELECT sfn.wait_execution(:'big');
SELECT d->>'status' AS status, d->>'error' AS error, d->>'cause' AS cause FROM sfn_describe_execution(:'big') d;
SELECT id, previous_event_id, type FROM sfn_get_execution_history(:'big');
