--
-- exec_task_sql: Task states whose resource is a SQL function
-- (arn:aws:states:::sql:invoke, shaped like lambda:invoke), with the
-- history AWS records for a Task (TaskStateEntered, TaskScheduled,
-- TaskStarted, TaskSucceeded / TaskFailed, TaskStateExited), Retry and
-- Catch as AWS documents them ("Error handling in Step Functions"), and the
-- guarantee AWS cannot give: the function's writes commit with the
-- transition, and roll back alone when it fails.
--
\set SHOW_CONTEXT never
\i sql/include/exec_helpers.sql

CREATE SCHEMA shop;
CREATE TABLE shop.reservations (order_id text PRIMARY KEY, qty int NOT NULL);
-- Calls are counted with a sequence: nextval is not rolled back.
CREATE SEQUENCE shop.calls;
-- Reserve stock: one row per order; the payload comes from Parameters.
CREATE FUNCTION shop.reserve(p jsonb) RETURNS jsonb LANGUAGE plpgsql AS $$
BEGIN
	INSERT INTO shop.reservations VALUES (p->>'order', (p->>'qty')::int);
	RETURN jsonb_build_object('reserved', p->'qty', 'order', p->'order');
END $$;
-- Fails with a named error (SQLSTATE SF900: message = error, detail = cause)
-- while the retry count it is given is below `fail`, after writing a row
-- that must roll back with the failure.
CREATE FUNCTION shop.flaky(p jsonb) RETURNS jsonb LANGUAGE plpgsql AS $$
BEGIN
	PERFORM nextval('shop.calls');
	INSERT INTO shop.reservations VALUES (p->>'k' || '-' || (p->>'retry'), 1);
	IF (p->>'retry')::int < (p->>'fail')::int THEN
		RAISE EXCEPTION 'Transient' USING ERRCODE = 'SF900', DETAIL = 'attempt ' || (p->>'retry') || ' failed';
	END IF;
	RETURN jsonb_build_object('retry', p->'retry');
END $$;
CREATE FUNCTION shop.count_call(p jsonb) RETURNS jsonb LANGUAGE sql AS $$
	SELECT jsonb_build_object('half', (p->>'n')::int / (p->>'d')::int) $$;

--
-- A successful SQL task: the output is {ExecutedVersion, Payload,
-- StatusCode} as lambda:invoke's; ResultSelector and ResultPath apply.
--
SELECT sfn_create_state_machine('task-sql-ok', $j$
{"StartAt": "Reserve", "States": {
  "Reserve": {"Type": "Task", "Resource": "arn:aws:states:::sql:invoke",
    "Parameters": {"FunctionName": "shop.reserve", "Payload": {"order.$": "$.order", "qty": 2}},
    "ResultSelector": {"r.$": "$.Payload.reserved", "status.$": "$.StatusCode"},
    "ResultPath": "$.reservation", "Next": "Done"},
  "Done": {"Type": "Succeed"}}}
$j$);
CALL pg_temp.run('task-sql-ok', '{"order": "o-1"}', 'e1');
SELECT * FROM pg_temp.outcome('task-sql-ok', 'e1');
SELECT * FROM pg_temp.events('task-sql-ok', 'e1');
-- TaskScheduled names the resource as AWS splits it, with the parameters as
-- JSON text; TaskSucceeded carries the raw result.
SELECT type, details - 'outputDetails' AS details
FROM sfn_get_execution_history(pg_temp.arn('task-sql-ok', 'e1'))
WHERE type IN ('TaskScheduled', 'TaskStarted', 'TaskSucceeded') ORDER BY id;
SELECT * FROM shop.reservations ORDER BY 1;
-- The same order again: the function's INSERT violates the primary key,
-- the task fails with Sql.<SQLSTATE> and the execution with it.
CALL pg_temp.run('task-sql-ok', '{"order": "o-1"}', 'e2');
SELECT * FROM pg_temp.outcome('task-sql-ok', 'e2');
SELECT * FROM pg_temp.events('task-sql-ok', 'e2');

--
-- Retry: two failures, then success.  One counter per retrier; the
-- Transient retrier matches, MaxAttempts 2 allows both retries; the rows
-- the failed attempts wrote are rolled back, the successful one's kept.
-- $$.State.RetryCount is 2 on the attempt that succeeds.
--
SELECT sfn_create_state_machine('task-sql-retry', $j$
{"StartAt": "T", "States": {
  "T": {"Type": "Task", "Resource": "arn:aws:states:::sql:invoke",
    "Parameters": {"FunctionName": "shop.flaky", "Payload": {"k": "r1", "fail": 2, "retry.$": "$$.State.RetryCount"}},
    "Retry": [{"ErrorEquals": ["Other"], "MaxAttempts": 5},
              {"ErrorEquals": ["Transient"], "IntervalSeconds": 1, "BackoffRate": 1.0, "MaxAttempts": 2}],
    "OutputPath": "$.Payload", "End": true}}}
$j$);
CALL pg_temp.run('task-sql-retry', '{}', 'e1');
SELECT * FROM pg_temp.outcome('task-sql-retry', 'e1');
SELECT * FROM pg_temp.events('task-sql-retry', 'e1');
SELECT (details->>'parameters')::jsonb->'Payload'->'retry' AS retry_count
FROM sfn_get_execution_history(pg_temp.arn('task-sql-retry', 'e1')) WHERE type = 'TaskScheduled' ORDER BY id;
SELECT * FROM shop.reservations WHERE order_id LIKE 'r1-%' ORDER BY 1;
SELECT last_value AS calls FROM shop.calls;
-- The waits between attempts: IntervalSeconds * BackoffRate^n, here 1 s each.
SELECT count(*) AS waits_of_about_1s FROM (
	SELECT "timestamp" - lag("timestamp") OVER (ORDER BY id) AS gap, type
	FROM sfn_get_execution_history(pg_temp.arn('task-sql-retry', 'e1'))) g
WHERE type = 'TaskScheduled' AND gap >= interval '1 s' AND gap < interval '3 s';

--
-- Retries used up, then Catch: the error output {Error, Cause} goes to the
-- catcher's ResultPath in the state's raw input; TaskStateExited follows.
--
SELECT sfn_create_state_machine('task-sql-catch', $j$
{"StartAt": "T", "States": {
  "T": {"Type": "Task", "Resource": "arn:aws:states:::sql:invoke",
    "Parameters": {"FunctionName": "shop.flaky", "Payload": {"k": "c1", "fail": 9, "retry.$": "$$.State.RetryCount"}},
    "Retry": [{"ErrorEquals": ["Transient"], "IntervalSeconds": 1, "MaxAttempts": 1}],
    "Catch": [{"ErrorEquals": ["Nope"], "Next": "Wrong"},
              {"ErrorEquals": ["States.TaskFailed"], "ResultPath": "$.failure", "Next": "Compensate"}],
    "End": true},
  "Wrong": {"Type": "Fail", "Error": "WrongCatcher"},
  "Compensate": {"Type": "Pass", "End": true}}}
$j$);
CALL pg_temp.run('task-sql-catch', '{"order": 7}', 'e1');
SELECT * FROM pg_temp.outcome('task-sql-catch', 'e1');
SELECT * FROM pg_temp.events('task-sql-catch', 'e1');
SELECT count(*) AS rows_of_failed_attempts FROM shop.reservations WHERE order_id LIKE 'c1-%';

-- MaxAttempts 0: never retried.  Sql.22012 (division by zero) is not
-- caught by a catcher for another name; States.ALL catches it, with
-- ResultPath null keeping the input.
SELECT sfn_create_state_machine('task-sql-all', $j$
{"StartAt": "T", "States": {
  "T": {"Type": "Task", "Resource": "arn:aws:states:::sql:invoke",
    "Parameters": {"FunctionName": "shop.count_call", "Payload": {"n": 1, "d": 0}},
    "Retry": [{"ErrorEquals": ["States.ALL"], "MaxAttempts": 0}],
    "Catch": [{"ErrorEquals": ["Transient"], "Next": "Wrong"},
              {"ErrorEquals": ["States.ALL"], "ResultPath": null, "Next": "After"}],
    "End": true},
  "Wrong": {"Type": "Fail"},
  "After": {"Type": "Pass", "End": true}}}
$j$);
CALL pg_temp.run('task-sql-all', '{"keep": true}', 'e1');
SELECT * FROM pg_temp.outcome('task-sql-all', 'e1');
SELECT * FROM pg_temp.events('task-sql-all', 'e1');

--
-- Bad resources: a function that does not exist, an unqualified name, a
-- wrong signature; and a role without EXECUTE (States.Permissions).  The
-- function runs as the state machine's role, never as the worker.
--
SELECT sfn_create_state_machine('task-sql-missing', $j$
{"StartAt": "T", "States": {
  "T": {"Type": "Task", "Resource": "arn:aws:states:::sql:invoke",
    "Parameters": {"FunctionName.$": "$.fn", "Payload": {}}, "End": true}}}
$j$);
CALL pg_temp.run('task-sql-missing', '{"fn": "shop.nope"}', 'e1');
SELECT * FROM pg_temp.outcome('task-sql-missing', 'e1');
CALL pg_temp.run('task-sql-missing', '{"fn": "reserve"}', 'e2');
SELECT * FROM pg_temp.outcome('task-sql-missing', 'e2');
CREATE FUNCTION shop.wrong(p jsonb) RETURNS text LANGUAGE sql AS $$ SELECT 'x' $$;
CALL pg_temp.run('task-sql-missing', '{"fn": "shop.wrong"}', 'e3');
SELECT * FROM pg_temp.outcome('task-sql-missing', 'e3');
CREATE ROLE task_clerk;
GRANT sfn_user TO task_clerk;
GRANT USAGE ON SCHEMA shop TO task_clerk;
CREATE FUNCTION shop.whoami(p jsonb) RETURNS jsonb LANGUAGE sql AS $$
	SELECT jsonb_build_object('user', current_user::text) $$;
REVOKE EXECUTE ON FUNCTION shop.reserve(jsonb) FROM PUBLIC;
SELECT sfn_create_state_machine('task-sql-role', $j$
{"StartAt": "T", "States": {
  "T": {"Type": "Task", "Resource": "arn:aws:states:::sql:invoke",
    "Parameters": {"FunctionName.$": "$.fn", "Payload": {"order": "role-1", "qty": 1}},
    "OutputPath": "$.Payload", "End": true}}}
$j$, 'STANDARD', 'task_clerk');
CALL pg_temp.run('task-sql-role', '{"fn": "shop.whoami"}', 'e1');
SELECT * FROM pg_temp.outcome('task-sql-role', 'e1');
CALL pg_temp.run('task-sql-role', '{"fn": "shop.reserve"}', 'e2');
SELECT * FROM pg_temp.outcome('task-sql-role', 'e2');
SELECT count(*) AS reserved_by_clerk FROM shop.reservations WHERE order_id = 'role-1';

--
-- A Task whose resource pg_sfn cannot call fails with a clear cause.
--
SELECT sfn_create_state_machine('task-unmapped', $j$
{"StartAt": "T", "States": {
  "T": {"Type": "Task", "Resource": "arn:aws:states:::dynamodb:getItem",
    "Parameters": {"TableName": "x"}, "End": true}}}
$j$);
CALL pg_temp.run('task-unmapped', '{}', 'e1');
SELECT * FROM pg_temp.outcome('task-unmapped', 'e1');

--
-- Credentials.RoleArn: the SQL task runs as that role, if the state
-- machine's role is a member of it (it could SET ROLE to it); otherwise
-- States.Permissions.  TaskScheduled records taskCredentials.
--
CREATE ROLE task_auditor;
GRANT task_auditor TO task_clerk;
CREATE ROLE task_outsider;
SELECT sfn_create_state_machine('task-sql-cred', $j$
{"StartAt": "T", "States": {
  "T": {"Type": "Task", "Resource": "arn:aws:states:::sql:invoke",
    "Credentials": {"RoleArn": "arn:aws:iam::123456789012:role/task_auditor"},
    "Parameters": {"FunctionName": "shop.whoami"}, "OutputPath": "$.Payload", "End": true}}}
$j$, 'STANDARD', 'task_clerk');
CALL pg_temp.run('task-sql-cred', '{}', 'e1');
SELECT * FROM pg_temp.outcome('task-sql-cred', 'e1');
SELECT details->'taskCredentials' AS credentials
FROM sfn_get_execution_history(pg_temp.arn('task-sql-cred', 'e1')) WHERE type = 'TaskScheduled';
SELECT sfn_create_state_machine('task-sql-cred-denied', $j$
{"StartAt": "T", "States": {
  "T": {"Type": "Task", "Resource": "arn:aws:states:::sql:invoke",
    "Credentials": {"RoleArn": "arn:aws:iam::123456789012:role/task_outsider"},
    "Parameters": {"FunctionName": "shop.whoami"}, "End": true}}}
$j$, 'STANDARD', 'task_clerk');
CALL pg_temp.run('task-sql-cred-denied', '{}', 'e1');
SELECT * FROM pg_temp.outcome('task-sql-cred-denied', 'e1');

--
-- A result over pg_sfn.max_payload_size (256 KiB as on AWS):
-- States.DataLimitExceeded, which States.ALL does not catch (AWS: a
-- terminal error).  The function's writes roll back as if it had raised.
--
CREATE FUNCTION shop.big(p jsonb) RETURNS jsonb LANGUAGE sql AS $$
	INSERT INTO shop.reservations VALUES ('big', 1);
	SELECT jsonb_build_object('blob', repeat('x', 300000)) $$;
SELECT sfn_create_state_machine('task-sql-big', $j$
{"StartAt": "T", "States": {
  "T": {"Type": "Task", "Resource": "arn:aws:states:::sql:invoke",
    "Parameters": {"FunctionName": "shop.big"},
    "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Caught"}], "End": true},
  "Caught": {"Type": "Pass", "End": true}}}
$j$);
CALL pg_temp.run('task-sql-big', '{}', 'e1');
SELECT status, error, left(cause, 80) AS cause FROM pg_temp.outcome('task-sql-big', 'e1');
SELECT * FROM pg_temp.events('task-sql-big', 'e1');
SELECT count(*) AS rows_of_the_big_task FROM shop.reservations WHERE order_id = 'big';

--
-- A loop of 150 SQL tasks in one execution: a batch runs at most 60 SQL
-- tasks (subtransactions) before it commits, so the loop spans batches;
-- every call happens exactly once.
--
CREATE TABLE shop.ticks (n int PRIMARY KEY);
CREATE FUNCTION shop.tick(p jsonb) RETURNS jsonb LANGUAGE sql AS $$
	INSERT INTO shop.ticks VALUES ((p->>'n')::int + 1) RETURNING jsonb_build_object('n', n) $$;
SELECT sfn_create_state_machine('task-sql-loop', $j$
{"StartAt": "Tick", "States": {
  "Tick": {"Type": "Task", "Resource": "arn:aws:states:::sql:invoke",
    "Parameters": {"FunctionName": "shop.tick", "Payload.$": "$"},
    "OutputPath": "$.Payload", "Next": "More"},
  "More": {"Type": "Choice", "Choices": [{"Variable": "$.n", "NumericLessThan": 150, "Next": "Tick"}],
    "Default": "Done"},
  "Done": {"Type": "Succeed"}}}
$j$);
CALL pg_temp.run('task-sql-loop', '{"n": 0}', 'e1');
SELECT * FROM pg_temp.outcome('task-sql-loop', 'e1');
SELECT count(*) AS ticks, min(n), max(n) FROM shop.ticks;
SELECT count(*) AS task_succeeded_events FROM sfn_get_execution_history(pg_temp.arn('task-sql-loop', 'e1'))
WHERE type = 'TaskSucceeded';
-- Events of one batch share its clock: at least 3 batches (150 / 60).
SELECT count(DISTINCT "timestamp") >= 3 AS spans_three_batches_or_more
FROM sfn_get_execution_history(pg_temp.arn('task-sql-loop', 'e1')) WHERE type = 'TaskSucceeded';

--
-- TimeoutSeconds bounds a SQL task's run: the call is cancelled, its
-- writes roll back, and the task times out (TaskTimedOut, States.Timeout)
-- as any task does; the worker goes on.
--
CREATE FUNCTION shop.slow(p jsonb) RETURNS jsonb LANGUAGE plpgsql AS $$
BEGIN
	INSERT INTO shop.reservations VALUES ('slow', 1);
	PERFORM pg_sleep(5);
	RETURN '{}';
END $$;
SELECT sfn_create_state_machine('task-sql-timeout', $j$
{"StartAt": "T", "States": {
  "T": {"Type": "Task", "Resource": "arn:aws:states:::sql:invoke",
    "Parameters": {"FunctionName": "shop.slow"}, "TimeoutSeconds": 1,
    "Catch": [{"ErrorEquals": ["States.Timeout"], "ResultPath": "$.timeout", "Next": "Late"}], "End": true},
  "Late": {"Type": "Pass", "End": true}}}
$j$);
CALL pg_temp.run('task-sql-timeout', '{}', 'e1');
SELECT * FROM pg_temp.outcome('task-sql-timeout', 'e1');
SELECT * FROM pg_temp.events('task-sql-timeout', 'e1');
SELECT count(*) AS rows_of_the_slow_task FROM shop.reservations WHERE order_id = 'slow';
-- The workers are still there.
CALL pg_temp.run('task-sql-ok', '{"order": "after-timeout"}', 'e3');
SELECT status FROM pg_temp.outcome('task-sql-ok', 'e3');

--
-- A worker's session runs every user's SQL tasks, so a task leaves nothing
-- behind in it: it runs as a security-restricted operation (no temporary
-- table that could shadow another user's unqualified name: 42501, which
-- is States.Permissions), and the settings it changes are undone when it
-- returns (the next task, in the same batch, sees none of them).
--
CREATE FUNCTION shop.plant_temp(p jsonb) RETURNS jsonb LANGUAGE plpgsql AS $$
BEGIN
	CREATE TEMP TABLE reservations (order_id text, qty int);
	RETURN '{}';
END $$;
CREATE FUNCTION shop.set_setting(p jsonb) RETURNS jsonb LANGUAGE sql AS $$
	SELECT jsonb_build_object('set', set_config('pg_sfn_test.planted', 'yes', false)) $$;
CREATE FUNCTION shop.read_setting(p jsonb) RETURNS jsonb LANGUAGE sql AS $$
	SELECT jsonb_build_object('seen', current_setting('pg_sfn_test.planted', true)) $$;
SELECT sfn_create_state_machine('task-sql-session', $j$
{"StartAt": "Plant", "States": {
  "Plant": {"Type": "Task", "Resource": "arn:aws:states:::sql:invoke",
    "Parameters": {"FunctionName": "shop.plant_temp"},
    "Catch": [{"ErrorEquals": ["States.ALL"], "ResultPath": "$.planted", "Next": "Set"}], "Next": "Set"},
  "Set": {"Type": "Task", "Resource": "arn:aws:states:::sql:invoke",
    "Parameters": {"FunctionName": "shop.set_setting"}, "ResultPath": "$.set", "Next": "Read"},
  "Read": {"Type": "Task", "Resource": "arn:aws:states:::sql:invoke",
    "Parameters": {"FunctionName": "shop.read_setting"},
    "ResultSelector": {"seen.$": "$.Payload.seen"}, "ResultPath": "$.read", "End": true}}}
$j$);
CALL pg_temp.run('task-sql-session', '{}', 'e1');
SELECT status, output->'planted'->>'Error' AS plant_error,
       output->'planted'->>'Cause' AS plant_cause,
       output->'set'->'Payload' AS set, output->'read' AS read
FROM pg_temp.outcome('task-sql-session', 'e1');
-- All three tasks ran in one batch (one timestamp), so in one session.
SELECT count(DISTINCT "timestamp") AS batches
FROM sfn_get_execution_history(pg_temp.arn('task-sql-session', 'e1')) WHERE type LIKE 'Task%';
