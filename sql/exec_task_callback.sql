--
-- exec_task_callback: .waitForTaskToken on a SQL task, answered with
-- sfn_send_task_success / _failure / _heartbeat (AWS's SendTaskSuccess,
-- SendTaskFailure, SendTaskHeartbeat).  AWS documents: the task waits
-- until the token is answered or TimeoutSeconds / HeartbeatSeconds pass
-- (States.Timeout / States.HeartbeatTimeout, TaskTimedOut event); an
-- answered token cannot be answered again (TaskDoesNotExist), a token of a
-- task that timed out answers TaskTimedOut, a malformed one InvalidToken.
-- The response of the call that hands the token out is recorded as
-- TaskSubmitted (AWS: "the response from a resource when a task has
-- started").  pg_sfn adds: an answer takes effect when the caller's
-- transaction commits.
--
\set SHOW_CONTEXT never
\i sql/include/exec_helpers.sql

CREATE SCHEMA pay;
CREATE TABLE pay.pending (order_id text PRIMARY KEY, token text NOT NULL);
-- The task's function parks the token in a business table and returns; its
-- own result is not the task's (the callback's is).
CREATE FUNCTION pay.park(p jsonb) RETURNS jsonb LANGUAGE sql AS $$
	INSERT INTO pay.pending VALUES (p->>'order', p->>'token') RETURNING '{"parked": true}'::jsonb $$;
-- The token of an order, once the task has run (waits at most 10 s).
CREATE FUNCTION pg_temp.token_of(o text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
	t text;
BEGIN
	FOR i IN 1..200 LOOP
		SELECT token INTO t FROM pay.pending WHERE order_id = o;
		IF t IS NOT NULL THEN RETURN t; END IF;
		PERFORM pg_sleep(0.05);
	END LOOP;
	RETURN NULL;
END $$;
CREATE FUNCTION pg_temp.status(sm text, name text) RETURNS text LANGUAGE sql AS $$
	SELECT sfn_describe_execution(pg_temp.arn(sm, name))->>'status' $$;

SELECT sfn_create_state_machine('cb', $j$
{"StartAt": "Charge", "States": {
  "Charge": {"Type": "Task", "Resource": "arn:aws:states:::sql:invoke.waitForTaskToken",
    "Parameters": {"FunctionName": "pay.park", "Payload": {"order.$": "$.order", "token.$": "$$.Task.Token"}},
    "TimeoutSeconds": 30, "ResultPath": "$.charge",
    "Catch": [{"ErrorEquals": ["CardDeclined"], "ResultPath": "$.declined", "Next": "Declined"}],
    "Next": "Done"},
  "Declined": {"Type": "Pass", "End": true},
  "Done": {"Type": "Succeed"}}}
$j$);

-- Success: the execution waits (RUNNING) until the answer commits.
SELECT sfn_start_execution('cb', '{"order": "a"}', 'a') IS NOT NULL AS started;
SELECT length(pg_temp.token_of('a')) AS token_hex_length;
SELECT pg_sleep(0.3);
SELECT pg_temp.status('cb', 'a') AS still_waiting;
-- An answer in a transaction that rolls back never happened.
BEGIN;
SELECT sfn_send_task_success(pg_temp.token_of('a'), '{"paid": 1}');
ROLLBACK;
SELECT pg_sleep(0.3);
SELECT pg_temp.status('cb', 'a') AS still_waiting_after_rollback;
SELECT sfn_send_task_success(pg_temp.token_of('a'), '{"paid": 2}');
SELECT sfn.wait_execution(pg_temp.arn('cb', 'a'));
SELECT * FROM pg_temp.outcome('cb', 'a');
SELECT * FROM pg_temp.events('cb', 'a');
SELECT type, details->>'resource' AS resource, details->>'output' AS output,
       details->>'timeoutInSeconds' AS timeout
FROM sfn_get_execution_history(pg_temp.arn('cb', 'a'))
WHERE type IN ('TaskScheduled', 'TaskSubmitted', 'TaskSucceeded') ORDER BY id;
-- The token appears in the task's parameters, never in a table.
SELECT count(*) AS tokens_stored_in_clear FROM sfn.task_tokens
WHERE token_hash = convert_to(pg_temp.token_of('a'), 'UTF8');
-- Answered once: a second answer finds no task.
SELECT sfn_send_task_success(pg_temp.token_of('a'), '{"paid": 3}');
SELECT sfn_send_task_heartbeat(pg_temp.token_of('a'));
-- Not a token pg_sfn issued.
SELECT sfn_send_task_success('not-a-token', '{}');
SELECT sfn_send_task_failure(repeat('0', 32));

-- Failure: the error and cause go to the Catch.
SELECT sfn_start_execution('cb', '{"order": "b"}', 'b') IS NOT NULL AS started;
SELECT sfn_send_task_failure(pg_temp.token_of('b'), 'CardDeclined', 'no funds');
SELECT sfn.wait_execution(pg_temp.arn('cb', 'b'));
SELECT * FROM pg_temp.outcome('cb', 'b');
SELECT * FROM pg_temp.events('cb', 'b');
-- An uncaught failure fails the execution with the callback's error.
SELECT sfn_start_execution('cb', '{"order": "c"}', 'c') IS NOT NULL AS started;
SELECT sfn_send_task_failure(pg_temp.token_of('c'), 'Gateway.Down');
SELECT sfn.wait_execution(pg_temp.arn('cb', 'c'));
SELECT * FROM pg_temp.outcome('cb', 'c');

-- TimeoutSeconds passes without an answer: TaskTimedOut with
-- States.Timeout; a catcher for it goes on, and the late answer is refused
-- with TaskTimedOut.
SELECT sfn_create_state_machine('cb-timeout', $j$
{"StartAt": "Charge", "States": {
  "Charge": {"Type": "Task", "Resource": "arn:aws:states:::sql:invoke.waitForTaskToken",
    "Parameters": {"FunctionName": "pay.park", "Payload": {"order.$": "$.order", "token.$": "$$.Task.Token"}},
    "TimeoutSeconds": 1,
    "Catch": [{"ErrorEquals": ["States.Timeout"], "Next": "Late"}], "End": true},
  "Late": {"Type": "Wait", "Seconds": 5, "End": true}}}
$j$);
SELECT sfn_start_execution('cb-timeout', '{"order": "t"}', 't') IS NOT NULL AS started;
SELECT pg_temp.token_of('t') IS NOT NULL AS parked;
SELECT pg_sleep(1.6);
SELECT sfn_send_task_success(pg_temp.token_of('t'), '{}');
SELECT * FROM pg_temp.events('cb-timeout', 't');
SELECT sfn_stop_execution(pg_temp.arn('cb-timeout', 't')) IS NOT NULL AS stopped;
-- HeartbeatSeconds passes without a heartbeat: States.HeartbeatTimeout.
SELECT sfn_create_state_machine('cb-heartbeat', $j$
{"StartAt": "Charge", "States": {
  "Charge": {"Type": "Task", "Resource": "arn:aws:states:::sql:invoke.waitForTaskToken",
    "Parameters": {"FunctionName": "pay.park", "Payload": {"order.$": "$.order", "token.$": "$$.Task.Token"}},
    "TimeoutSeconds": 60, "HeartbeatSeconds": 1, "End": true}}}
$j$);
SELECT sfn_start_execution('cb-heartbeat', '{"order": "h"}', 'h') IS NOT NULL AS started;
SELECT sfn_send_task_heartbeat(pg_temp.token_of('h'));
SELECT sfn.wait_execution(pg_temp.arn('cb-heartbeat', 'h'));
SELECT * FROM pg_temp.outcome('cb-heartbeat', 'h');
SELECT * FROM pg_temp.events('cb-heartbeat', 'h');
SELECT type, details - 'parameters' AS details,
       (details->>'parameters')::jsonb->'Payload'->>'token' = pg_temp.token_of('h') AS token_in_parameters
FROM sfn_get_execution_history(pg_temp.arn('cb-heartbeat', 'h'))
WHERE type = 'TaskScheduled';
-- Heartbeats keep it alive: HeartbeatSeconds 3, a heartbeat every second
-- for 4 s, then success.
SELECT sfn_create_state_machine('cb-alive', $j$
{"StartAt": "Charge", "States": {
  "Charge": {"Type": "Task", "Resource": "arn:aws:states:::sql:invoke.waitForTaskToken",
    "Parameters": {"FunctionName": "pay.park", "Payload": {"order.$": "$.order", "token.$": "$$.Task.Token"}},
    "HeartbeatSeconds": 3, "End": true}}}
$j$);
SELECT sfn_start_execution('cb-alive', '{"order": "alive"}', 'alive') IS NOT NULL AS started;
SELECT pg_temp.token_of('alive') IS NOT NULL AS parked;
SELECT pg_sleep(1);
SELECT sfn_send_task_heartbeat(pg_temp.token_of('alive'));
SELECT pg_sleep(1);
SELECT sfn_send_task_heartbeat(pg_temp.token_of('alive'));
SELECT pg_sleep(1);
SELECT sfn_send_task_heartbeat(pg_temp.token_of('alive'));
SELECT pg_sleep(1);
SELECT sfn_send_task_heartbeat(pg_temp.token_of('alive'));
SELECT sfn_send_task_success(pg_temp.token_of('alive'), '"made it"');
SELECT sfn.wait_execution(pg_temp.arn('cb-alive', 'alive'));
SELECT * FROM pg_temp.outcome('cb-alive', 'alive');
-- Stopping a waiting execution removes its token.
SELECT sfn_start_execution('cb', '{"order": "s"}', 's') IS NOT NULL AS started;
SELECT pg_temp.token_of('s') IS NOT NULL AS parked;
SELECT sfn_stop_execution(pg_temp.arn('cb', 's')) IS NOT NULL AS stopped;
SELECT sfn_send_task_success(pg_temp.token_of('s'), '{}');
