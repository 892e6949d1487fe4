--
-- exec_nested: a Task state starts an execution of another state machine
-- (arn:aws:states:::states:startExecution), with each integration pattern.
-- AWS documents (connect-stepfunctions, concepts-nested-workflows):
--   - no suffix: the Task's result is StartExecution's response
--     {ExecutionArn, StartDate} and the parent goes on at once;
--   - .sync: the Task waits for the child and its result is
--     DescribeExecution's response, Input and Output as JSON text;
--     .sync:2: the same with Input and Output as JSON;
--   - .waitForTaskToken: whoever holds $$.Task.Token (passed in the
--     child's Input) answers;
--   - a child that does not succeed fails the Task with States.TaskFailed,
--     the cause being the DescribeExecution response (with Error and Cause);
--   - the child is linked to its parent when the Input carries
--     AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID from $$.Execution.Id;
--   - StartExecution's errors inside a Task: StepFunctions.<Code>Exception.
-- Dates are epoch milliseconds (as AWS's SDK writes them); the tests show
-- their type, not their value.  AWS's plain result also carries
-- SdkHttpMetadata and SdkResponseMetadata (the HTTP exchange behind the
-- call); pg_sfn makes no HTTP call and leaves them out, as for Lambda.
-- The cause of a child aborted with its parent is pg_sfn's own text.
--
\set SHOW_CONTEXT never
\i sql/include/exec_helpers.sql

CREATE FUNCTION pg_temp.sm_arn(sm text) RETURNS text LANGUAGE sql
	AS $$ SELECT 'arn:aws:states:us-east-1:123456789012:stateMachine:' || sm $$;
-- A Task output or cause without its dates, and the dates' JSON types.
CREATE FUNCTION pg_temp.undated(v jsonb) RETURNS jsonb LANGUAGE sql
	AS $$ SELECT v - 'StartDate' - 'StopDate' $$;
CREATE FUNCTION pg_temp.date_types(v jsonb) RETURNS text LANGUAGE sql
	AS $$ SELECT concat_ws(' ', jsonb_typeof(v->'StartDate'), jsonb_typeof(v->'StopDate')) $$;
CREATE FUNCTION pg_temp.parent_def(resource text, params jsonb, extra jsonb DEFAULT '{}')
RETURNS jsonb LANGUAGE sql AS $$
	SELECT jsonb_build_object('StartAt', 'Start', 'States', jsonb_build_object(
		'Start', jsonb_build_object('Type', 'Task',
			'Resource', 'arn:aws:states:::states:' || resource,
			'Parameters', params, 'End', true) || extra)
		|| CASE WHEN extra ? 'Catch' THEN '{"Caught": {"Type": "Pass", "End": true}}'::jsonb
		        ELSE '{}' END) $$;
-- Task* events of an execution: type, resource, output or error.
CREATE FUNCTION pg_temp.task_events(sm text, name text,
	OUT type text, OUT resource text, OUT resource_type text, OUT what text)
RETURNS SETOF record LANGUAGE sql AS $$
	SELECT type, details->>'resource', details->>'resourceType',
	       coalesce(details->>'error', (details->>'output')::jsonb->>'Status',
	                CASE WHEN details ? 'output' THEN 'output' END)
	FROM sfn_get_execution_history(pg_temp.arn(sm, name))
	WHERE type LIKE 'Task%' AND type NOT LIKE 'TaskState%' ORDER BY id $$;

SELECT sfn_create_state_machine('child', $j$
{"StartAt": "Echo", "States": {"Echo": {"Type": "Pass", "Parameters": {"got.$": "$"}, "End": true}}}
$j$) IS NOT NULL AS created;
SELECT sfn_create_state_machine('child_fail', $j$
{"StartAt": "F", "States": {"F": {"Type": "Fail", "Error": "ChildError", "Cause": "it broke"}}}
$j$) IS NOT NULL AS created;
SELECT sfn_create_state_machine('child_wait', $j$
{"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 600, "End": true}}}
$j$) IS NOT NULL AS created;

-- 1. Fire and continue: the result is {ExecutionArn, StartDate}; the
-- child's input has the parent's id where the definition put it.
SELECT sfn_create_state_machine('p_rr', pg_temp.parent_def('startExecution', jsonb_build_object(
	'StateMachineArn', pg_temp.sm_arn('child'), 'Name', 'rr-child',
	'Input', '{"x": 1, "AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID.$": "$$.Execution.Id"}'::jsonb)))
	IS NOT NULL AS created;
CALL pg_temp.run('p_rr', '{}', 'rr');
SELECT status, output - 'StartDate' AS output, jsonb_typeof(output->'StartDate') AS start_date,
       (SELECT array_agg(k ORDER BY k) FROM jsonb_object_keys(output) k) AS keys
FROM pg_temp.outcome('p_rr', 'rr');
SELECT * FROM pg_temp.task_events('p_rr', 'rr');
SELECT sfn.wait_execution(pg_temp.arn('child', 'rr-child'));
SELECT status, output FROM pg_temp.outcome('child', 'rr-child');
-- The link: parent and thread, no attempt waiting.
SELECT c.parent_execution_id = p.id AS linked, c.parent_thread_id, c.parent_task_event_id
FROM sfn.executions c, sfn.executions p
WHERE c.id = sfn.execution_id(pg_temp.arn('child', 'rr-child'))
  AND p.id = sfn.execution_id(pg_temp.arn('p_rr', 'rr'));
-- The output's StartDate is the child's start, in milliseconds.
SELECT (o.output->>'StartDate')::bigint
       = floor(extract(epoch FROM (sfn_describe_execution(pg_temp.arn('child', 'rr-child'))->>'startDate')::timestamptz) * 1000)
       AS start_date_is_childs
FROM pg_temp.outcome('p_rr', 'rr') o;
-- The same name again: the child ended, so ExecutionAlreadyExists.
CALL pg_temp.run('p_rr', '{}', 'rr-again');
SELECT status, error, cause FROM pg_temp.outcome('p_rr', 'rr-again');

-- 2. .sync: Output as JSON text; TaskSubmitted holds the start's response.
SELECT sfn_create_state_machine('p_sync', pg_temp.parent_def('startExecution.sync', jsonb_build_object(
	'StateMachineArn', pg_temp.sm_arn('child'), 'Name.$', '$.name', 'Input.$', '$.input')))
	IS NOT NULL AS created;
CALL pg_temp.run('p_sync', '{"name": "sync-child", "input": {"a": [1, 2]}}', 's1');
SELECT status, pg_temp.undated(output) AS output, pg_temp.date_types(output) AS dates
FROM pg_temp.outcome('p_sync', 's1');
SELECT * FROM pg_temp.task_events('p_sync', 's1');
-- Input given as JSON text is the child's input.
CALL pg_temp.run('p_sync', '{"name": "sync-text", "input": "{\"b\": true}"}', 's2');
SELECT status, output->>'Input' AS child_input, output->>'Output' AS child_output
FROM pg_temp.outcome('p_sync', 's2');
-- Not JSON: StartExecution refuses it.
CALL pg_temp.run('p_sync', '{"name": "sync-bad", "input": "{nope"}', 's3');
SELECT status, error, cause FROM pg_temp.outcome('p_sync', 's3');

-- 3. .sync:2: Input and Output as JSON.
SELECT sfn_create_state_machine('p_sync2', pg_temp.parent_def('startExecution.sync:2', jsonb_build_object(
	'StateMachineArn', pg_temp.sm_arn('child'), 'Input', '{"n": 7}'::jsonb)))
	IS NOT NULL AS created;
CALL pg_temp.run('p_sync2', '{}', 's2');
SELECT status, pg_temp.undated(output) - 'ExecutionArn' - 'Name' AS output,
       output->'Name' IS NOT NULL AS generated_name, pg_temp.date_types(output) AS dates
FROM pg_temp.outcome('p_sync2', 's2');
SELECT * FROM pg_temp.task_events('p_sync2', 's2');

-- 4. A child that fails: the Task fails with States.TaskFailed, the cause
-- is the child's description; Catch handles it like any task error.
SELECT sfn_create_state_machine('p_fail', pg_temp.parent_def('startExecution.sync', jsonb_build_object(
	'StateMachineArn', pg_temp.sm_arn('child_fail'), 'Name.$', '$$.Execution.Name')))
	IS NOT NULL AS created;
CALL pg_temp.run('p_fail', '{}', 'f1');
SELECT status, error, pg_temp.undated(cause::jsonb) AS cause, pg_temp.date_types(cause::jsonb) AS dates
FROM pg_temp.outcome('p_fail', 'f1');
SELECT * FROM pg_temp.task_events('p_fail', 'f1');
SELECT sfn_create_state_machine('p_catch', pg_temp.parent_def('startExecution.sync:2', jsonb_build_object(
	'StateMachineArn', pg_temp.sm_arn('child_fail'), 'Name.$', '$$.Execution.Name'),
	'{"Catch": [{"ErrorEquals": ["States.TaskFailed"], "ResultPath": "$.err", "Next": "Caught"}]}'))
	IS NOT NULL AS created;
CALL pg_temp.run('p_catch', '{"keep": 1}', 'f2');
SELECT status, output->'keep' AS keep, output->'err'->>'Error' AS error,
       pg_temp.undated((output->'err'->>'Cause')::jsonb) AS cause
FROM pg_temp.outcome('p_catch', 'f2');
-- A child that times out: TIMED_OUT in the cause.
SELECT sfn_create_state_machine('child_slow', $j$
{"TimeoutSeconds": 1, "StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 30, "End": true}}}
$j$) IS NOT NULL AS created;
SELECT sfn_create_state_machine('p_slow', pg_temp.parent_def('startExecution.sync', jsonb_build_object(
	'StateMachineArn', pg_temp.sm_arn('child_slow'))))
	IS NOT NULL AS created;
CALL pg_temp.run('p_slow', '{}', 't1');
SELECT status, error, (cause::jsonb)->>'Status' AS child_status, (cause::jsonb)->>'Error' AS child_error
FROM pg_temp.outcome('p_slow', 't1');

-- 5. .waitForTaskToken: the child gets the token in its input and answers
-- (here a SQL task of the child calls sfn_send_task_success).
CREATE SCHEMA nest;
CREATE FUNCTION nest.answer(p jsonb) RETURNS jsonb LANGUAGE plpgsql AS $$
BEGIN
	-- SQL tasks run with search_path pg_catalog, pg_temp: qualify.
	PERFORM public.sfn_send_task_success(p->>'token', jsonb_build_object('answered', p->'value'));
	RETURN '{}';
END $$;
SELECT sfn_create_state_machine('child_answer', $j$
{"StartAt": "Answer", "States": {"Answer": {"Type": "Task", "Resource": "arn:aws:states:::sql:invoke",
  "Parameters": {"FunctionName": "nest.answer", "Payload.$": "$"}, "End": true}}}
$j$) IS NOT NULL AS created;
SELECT sfn_create_state_machine('p_token', pg_temp.parent_def('startExecution.waitForTaskToken',
	jsonb_build_object('StateMachineArn', pg_temp.sm_arn('child_answer'),
		'Input', '{"token.$": "$$.Task.Token", "value.$": "$.v"}'::jsonb)))
	IS NOT NULL AS created;
CALL pg_temp.run('p_token', '{"v": 42}', 'w1');
SELECT status, output FROM pg_temp.outcome('p_token', 'w1');
SELECT e.status AS child_status FROM sfn.executions e JOIN sfn.state_machines s ON s.id = e.state_machine_id
WHERE s.name = 'child_answer';
SELECT * FROM pg_temp.task_events('p_token', 'w1');
-- A child that never answers: the parent waits; the test answers for it.
SELECT sfn_create_state_machine('p_token2', pg_temp.parent_def('startExecution.waitForTaskToken',
	jsonb_build_object('StateMachineArn', pg_temp.sm_arn('child_wait'), 'Name', 'token-wait',
		'Input', '{"token.$": "$$.Task.Token"}'::jsonb)))
	IS NOT NULL AS created;
SELECT sfn_start_execution('p_token2', '{}', 'w2') IS NOT NULL AS started;
SELECT sfn.wait_execution(pg_temp.arn('p_token2', 'w2'), 0.5) AS parent_waits;
SELECT sfn_send_task_failure((sfn_describe_execution(pg_temp.arn('child_wait', 'token-wait'))->>'input')::jsonb->>'token',
	'ChildGaveUp', 'no answer');
SELECT sfn.wait_execution(pg_temp.arn('p_token2', 'w2'));
SELECT status, error, cause FROM pg_temp.outcome('p_token2', 'w2');
-- Not waited for (.waitForTaskToken): the child goes on after the parent ended.
SELECT status FROM pg_temp.outcome('child_wait', 'token-wait');
SELECT sfn_stop_execution(pg_temp.arn('child_wait', 'token-wait')) IS NOT NULL AS stopped;

-- 6. Stopping a parent stops the children it waits for (.sync), down the
-- chain; a child stopped on its own fails its parent's Task.
SELECT sfn_create_state_machine('p_mid', pg_temp.parent_def('startExecution.sync', jsonb_build_object(
	'StateMachineArn', pg_temp.sm_arn('child_wait'), 'Name.$', '$.name')))
	IS NOT NULL AS created;
SELECT sfn_create_state_machine('p_top', pg_temp.parent_def('startExecution.sync:2', jsonb_build_object(
	'StateMachineArn', pg_temp.sm_arn('p_mid'), 'Name', 'mid', 'Input', '{"name": "leaf"}'::jsonb)))
	IS NOT NULL AS created;
SELECT sfn_start_execution('p_top', '{}', 'top') IS NOT NULL AS started;
CREATE FUNCTION pg_temp.wait_running(sm text, name text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
	FOR i IN 1..200 LOOP
		IF EXISTS (SELECT 1 FROM sfn.executions e JOIN sfn.state_machines s ON s.id = e.state_machine_id
		           WHERE s.name = sm AND e.name = wait_running.name AND e.status = 'RUNNING') THEN
			RETURN 'RUNNING';
		END IF;
		PERFORM pg_sleep(0.05);
	END LOOP;
	RETURN 'not started';
END $$;
SELECT pg_temp.wait_running('child_wait', 'leaf') AS leaf;
SELECT sfn_stop_execution(pg_temp.arn('p_top', 'top'), 'Stop', 'by the test') IS NOT NULL AS stopped;
SELECT s.name, e.name, e.status, e.error, e.cause
FROM sfn.executions e JOIN sfn.state_machines s ON s.id = e.state_machine_id
WHERE (s.name, e.name) IN (('p_top', 'top'), ('p_mid', 'mid'), ('child_wait', 'leaf'))
ORDER BY e.id;
SELECT * FROM pg_temp.events('child_wait', 'leaf');
-- The child stopped on its own: the parent's Task fails (ABORTED).
SELECT sfn_start_execution('p_mid', '{"name": "leaf2"}', 'mid2') IS NOT NULL AS started;
SELECT pg_temp.wait_running('child_wait', 'leaf2') AS leaf2;
SELECT sfn_stop_execution(pg_temp.arn('child_wait', 'leaf2'), 'Halt', 'stopped alone') IS NOT NULL AS stopped;
SELECT sfn.wait_execution(pg_temp.arn('p_mid', 'mid2'));
SELECT status, error, (cause::jsonb)->>'Status' AS child_status,
       (cause::jsonb)->>'Error' AS child_error, (cause::jsonb)->>'Cause' AS child_cause
FROM pg_temp.outcome('p_mid', 'mid2');

-- 7. Who may start what: the parent state machine's role needs START on
-- the child (as for sfn_start_execution); the child runs as its own role.
CREATE ROLE nest_alice IN ROLE sfn_user;
CREATE ROLE nest_bob IN ROLE sfn_user;
GRANT USAGE ON SCHEMA nest TO nest_alice;
SET ROLE nest_bob;
SELECT sfn_create_state_machine('bob_child', '{"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}')
	IS NOT NULL AS created;
RESET ROLE;
SET ROLE nest_alice;
SELECT sfn_create_state_machine('alice_parent', pg_temp.parent_def('startExecution.sync', jsonb_build_object(
	'StateMachineArn', pg_temp.sm_arn('bob_child'), 'Name.$', '$$.Execution.Name')))
	IS NOT NULL AS created;
CALL pg_temp.run('alice_parent', '{}', 'denied');
SELECT status, error, cause FROM pg_temp.outcome('alice_parent', 'denied');
RESET ROLE;
SET ROLE nest_bob;
SELECT sfn_grant_state_machine('bob_child', 'nest_alice', 'START');
RESET ROLE;
SET ROLE nest_alice;
CALL pg_temp.run('alice_parent', '{}', 'allowed');
SELECT status, (output->>'Status') AS child_status FROM pg_temp.outcome('alice_parent', 'allowed');
RESET ROLE;
SELECT s.role AS child_runs_as FROM sfn.executions e JOIN sfn.state_machines s ON s.id = e.state_machine_id
WHERE s.name = 'bob_child' AND e.name = 'allowed';

-- 8. StartExecution's own errors.
SELECT sfn_create_state_machine('p_bad', pg_temp.parent_def('startExecution', jsonb_build_object(
	'StateMachineArn.$', '$.arn')))
	IS NOT NULL AS created;
CALL pg_temp.run('p_bad', jsonb_build_object('arn', pg_temp.sm_arn('nope')), 'b1');
SELECT status, error, cause FROM pg_temp.outcome('p_bad', 'b1');
CALL pg_temp.run('p_bad', '{"arn": "arn:aws:states:us-east-1:123456789012:activity:x"}', 'b2');
SELECT status, error, cause FROM pg_temp.outcome('p_bad', 'b2');
CALL pg_temp.run('p_bad', '{"arn": 5}', 'b3');
SELECT status, error, cause FROM pg_temp.outcome('p_bad', 'b3');
-- Retry on them as AWS documents (StepFunctions.ExecutionLimitExceeded in
-- its example): the name matches.
SELECT sfn_create_state_machine('p_retry', pg_temp.parent_def('startExecution', jsonb_build_object(
	'StateMachineArn', pg_temp.sm_arn('nope')),
	'{"Retry": [{"ErrorEquals": ["StepFunctions.StateMachineDoesNotExistException"], "MaxAttempts": 1, "IntervalSeconds": 1}]}'))
	IS NOT NULL AS created;
CALL pg_temp.run('p_retry', '{}', 'r1');
SELECT type FROM pg_temp.task_events('p_retry', 'r1');

-- 9. The same name and input while that child runs: StartExecution returns
-- it, and the .sync Task waits for it.
SELECT sfn_start_execution('child_wait', '{}', 'shared') IS NOT NULL AS started;
SELECT sfn_create_state_machine('p_shared', pg_temp.parent_def('startExecution.sync', jsonb_build_object(
	'StateMachineArn', pg_temp.sm_arn('child_wait'), 'Name', 'shared', 'Input', '{}'::jsonb)))
	IS NOT NULL AS created;
SELECT sfn_start_execution('p_shared', '{}', 'sh') IS NOT NULL AS started;
SELECT sfn.wait_execution(pg_temp.arn('p_shared', 'sh'), 0.5) AS parent_waits;
-- The plain pattern gets the running one's ARN and start date.
SELECT sfn_create_state_machine('p_shared_rr', pg_temp.parent_def('startExecution', jsonb_build_object(
	'StateMachineArn', pg_temp.sm_arn('child_wait'), 'Name', 'shared', 'Input', '{}'::jsonb)))
	IS NOT NULL AS created;
CALL pg_temp.run('p_shared_rr', '{}', 'shr');
SELECT o.status, o.output->>'ExecutionArn' AS arn,
       (o.output->>'StartDate')::bigint
       = floor(extract(epoch FROM (sfn_describe_execution(pg_temp.arn('child_wait', 'shared'))->>'startDate')::timestamptz) * 1000)
       AS its_start_date
FROM pg_temp.outcome('p_shared_rr', 'shr') o;
SELECT sfn_stop_execution(pg_temp.arn('child_wait', 'shared')) IS NOT NULL AS stopped;
SELECT sfn.wait_execution(pg_temp.arn('p_shared', 'sh'));
SELECT status, error, (cause::jsonb)->>'Name' AS child, (cause::jsonb)->>'Status' AS child_status
FROM pg_temp.outcome('p_shared', 'sh');

-- 10. The waiting Task times out (States.Timeout); its child is stopped
-- when the parent ends.
SELECT sfn_create_state_machine('p_timeout', pg_temp.parent_def('startExecution.sync', jsonb_build_object(
	'StateMachineArn', pg_temp.sm_arn('child_wait'), 'Name', 'to-child'), '{"TimeoutSeconds": 1}'))
	IS NOT NULL AS created;
CALL pg_temp.run('p_timeout', '{}', 'to');
SELECT status, error FROM pg_temp.outcome('p_timeout', 'to');
SELECT type FROM pg_temp.task_events('p_timeout', 'to');
SELECT status FROM pg_temp.outcome('child_wait', 'to-child');

-- 11. TestState: a mock stands for the child, as for other resources that
-- do not answer at once; without one it is refused.
SELECT sfn_test_state($j$
{"Type": "Task", "Resource": "arn:aws:states:::states:startExecution.sync:2",
 "Parameters": {"StateMachineArn": "arn:aws:states:us-east-1:123456789012:stateMachine:child"}, "End": true}
$j$, '{}');
SELECT sfn_test_state($j$
{"Type": "Task", "Resource": "arn:aws:states:::states:startExecution.sync:2",
 "Parameters": {"StateMachineArn": "arn:aws:states:us-east-1:123456789012:stateMachine:child"},
 "ResultSelector": {"out.$": "$.Output"}, "End": true}
$j$, '{}', mock => '{"result": "{\"Output\": {\"ok\": true}, \"Status\": \"SUCCEEDED\"}"}')->'output';
