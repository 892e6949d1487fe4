--
-- exec_succeed_fail: running Succeed and Fail states: their events and
-- previousEventIds, Error/Cause, ErrorPath/CausePath (paths and intrinsics),
-- and what DescribeExecution shows.
--
\set SHOW_CONTEXT never
-- Helpers (session-local).
-- run(): start an execution, commit so that the workers see it, and wait
-- (at most 10 s) until it is no longer RUNNING.
\i sql/include/exec_helpers.sql

--
-- Succeed: SucceedStateEntered and SucceedStateExited, then
-- ExecutionSucceeded; the output is the input.
--
SELECT sfn_create_state_machine('sf-succeed', $j$
{"StartAt": "SuccessState", "States": {"SuccessState": {"Type": "Succeed"}}}
$j$);
CALL pg_temp.run('sf-succeed', '{"a": [1, 2], "b": null}', 'e1');
SELECT * FROM pg_temp.outcome('sf-succeed', 'e1');
SELECT * FROM pg_temp.events('sf-succeed', 'e1');
-- InputPath and OutputPath on a Succeed.
SELECT sfn_create_state_machine('sf-succeed-paths', $j$
{"StartAt": "S", "States": {"S": {"Type": "Succeed", "InputPath": "$.a", "OutputPath": "$.b"}}}
$j$);
CALL pg_temp.run('sf-succeed-paths', '{"a": {"b": {"c": 1}, "x": 2}, "y": 3}', 'e1');
SELECT * FROM pg_temp.outcome('sf-succeed-paths', 'e1');
SELECT type, details->>'input' AS input, details->>'output' AS output
FROM sfn_get_execution_history(pg_temp.arn('sf-succeed-paths', 'e1')) WHERE type LIKE 'Succeed%' ORDER BY id;
CALL pg_temp.run('sf-succeed-paths', '{"a": {"x": 2}}', 'no-b');
SELECT * FROM pg_temp.outcome('sf-succeed-paths', 'no-b');
SELECT * FROM pg_temp.events('sf-succeed-paths', 'no-b');
-- A Succeed reached from a Choice, after a Pass.
SELECT sfn_create_state_machine('sf-succeed-after-choice', $j$
{"StartAt": "P", "States": {
  "P": {"Type": "Pass", "Result": {"ok": true}, "Next": "C"},
  "C": {"Type": "Choice", "Choices": [{"Variable": "$.ok", "BooleanEquals": true, "Next": "Done"}], "Default": "Bad"},
  "Done": {"Type": "Succeed"},
  "Bad": {"Type": "Fail"}}}
$j$);
CALL pg_temp.run('sf-succeed-after-choice', '{}', 'e1');
SELECT * FROM pg_temp.outcome('sf-succeed-after-choice', 'e1');
SELECT * FROM pg_temp.events('sf-succeed-after-choice', 'e1');

--
-- "Fail workflow state": the documented example.  FailStateEntered has no
-- Exited counterpart; ExecutionFailed points at it and carries error and
-- cause; DescribeExecution has error and cause but no output.
--
SELECT sfn_create_state_machine('sf-fail', $j$
{"StartAt": "FailState", "States": {"FailState": {"Type": "Fail", "Cause": "Invalid response.", "Error": "ErrorA"}}}
$j$);
CALL pg_temp.run('sf-fail', '{"a": 1}', 'e1');
SELECT * FROM pg_temp.outcome('sf-fail', 'e1');
SELECT id, previous_event_id, type, details - 'roleArn' AS details
FROM sfn_get_execution_history(pg_temp.arn('sf-fail', 'e1'));
SELECT d ? 'output' AS has_output, d ? 'outputDetails' AS has_output_details,
       d->>'redriveStatus' AS redrive_status, d ? 'redriveStatusReason' AS has_reason
FROM sfn_describe_execution(pg_temp.arn('sf-fail', 'e1')) d;
-- Fail after other states: ExecutionFailed points at the FailStateEntered.
SELECT sfn_create_state_machine('sf-fail-late', $j$
{"StartAt": "One", "States": {
  "One": {"Type": "Pass", "Next": "Two"},
  "Two": {"Type": "Wait", "Seconds": 0, "Next": "Three"},
  "Three": {"Type": "Fail", "Error": "SomeFailure", "Cause": "This state machines raises a 'SomeFailure' failure."}}}
$j$);
CALL pg_temp.run('sf-fail-late', '{}', 'e1');
SELECT * FROM pg_temp.outcome('sf-fail-late', 'e1');
SELECT * FROM pg_temp.events('sf-fail-late', 'e1');

--
-- A Fail without Error and Cause: ExecutionFailed details are {}, and
-- DescribeExecution has neither error nor cause.  With only one of them,
-- only that one shows.
--
SELECT sfn_create_state_machine('sf-fail-empty', $j$
{"StartAt": "FailState", "States": {"FailState": {"Type": "Fail"}}}
$j$);
CALL pg_temp.run('sf-fail-empty', '{}', 'e1');
SELECT * FROM pg_temp.outcome('sf-fail-empty', 'e1');
SELECT id, previous_event_id, type, details - 'roleArn' AS details
FROM sfn_get_execution_history(pg_temp.arn('sf-fail-empty', 'e1'));
SELECT d ? 'error' AS has_error, d ? 'cause' AS has_cause, d->>'status' AS status
FROM sfn_describe_execution(pg_temp.arn('sf-fail-empty', 'e1')) d;
SELECT sfn_create_state_machine('sf-fail-error-only', $j$
{"StartAt": "F", "States": {"F": {"Type": "Fail", "Error": "OnlyError"}}}
$j$);
CALL pg_temp.run('sf-fail-error-only', '{}', 'e1');
SELECT d->>'error' AS error, d ? 'cause' AS has_cause
FROM sfn_describe_execution(pg_temp.arn('sf-fail-error-only', 'e1')) d;
SELECT details FROM sfn_get_execution_history(pg_temp.arn('sf-fail-error-only', 'e1')) WHERE type = 'ExecutionFailed';
SELECT sfn_create_state_machine('sf-fail-cause-only', $j$
{"StartAt": "F", "States": {"F": {"Type": "Fail", "Cause": "Only a cause"}}}
$j$);
CALL pg_temp.run('sf-fail-cause-only', '{}', 'e1');
SELECT d ? 'error' AS has_error, d->>'cause' AS cause
FROM sfn_describe_execution(pg_temp.arn('sf-fail-cause-only', 'e1')) d;
SELECT details FROM sfn_get_execution_history(pg_temp.arn('sf-fail-cause-only', 'e1')) WHERE type = 'ExecutionFailed';

--
-- ErrorPath and CausePath: reference paths, and intrinsic functions (the
-- Fail state page's States.Format example).
--
SELECT sfn_create_state_machine('sf-fail-paths', $j$
{"StartAt": "F", "States": {"F": {"Type": "Fail", "ErrorPath": "$.Error", "CausePath": "$.Cause"}}}
$j$);
CALL pg_temp.run('sf-fail-paths', '{"Error": "CustomError", "Cause": "Something went wrong"}', 'e1');
SELECT * FROM pg_temp.outcome('sf-fail-paths', 'e1');
SELECT sfn_create_state_machine('sf-fail-intrinsic', $j$
{"StartAt": "F", "States": {"F": {"Type": "Fail",
  "ErrorPath": "States.Format('{}.{}', $.Error, $$.State.Name)",
  "CausePath": "States.Format('this is the error: {}, and this is the cause: {}', $.Error, $.Cause)"}}}
$j$);
CALL pg_temp.run('sf-fail-intrinsic', '{"Error": "CustomError", "Cause": "Something went wrong"}', 'e1');
SELECT * FROM pg_temp.outcome('sf-fail-intrinsic', 'e1');
SELECT sfn_create_state_machine('sf-fail-context', $j$
{"StartAt": "F", "States": {"F": {"Type": "Fail", "ErrorPath": "$$.Execution.Name", "CausePath": "$$.State.Name"}}}
$j$);
CALL pg_temp.run('sf-fail-context', '{}', 'ctx-error');
SELECT * FROM pg_temp.outcome('sf-fail-context', 'ctx-error');
-- Paths that do not resolve: States.Runtime.  After a Pass, the Fail is
-- entered at event #4 and ExecutionFailed (event 5) points at it.
SELECT sfn_create_state_machine('sf-fail-errorpath-missing', $j$
{"StartAt": "P", "States": {
  "P": {"Type": "Pass", "Next": "F"},
  "F": {"Type": "Fail", "ErrorPath": "$.ErrorX", "Cause": "c"}}}
$j$);
CALL pg_temp.run('sf-fail-errorpath-missing', '{"Error": "E"}', 'e1');
SELECT * FROM pg_temp.outcome('sf-fail-errorpath-missing', 'e1');
SELECT * FROM pg_temp.events('sf-fail-errorpath-missing', 'e1');
SELECT sfn_create_state_machine('sf-fail-causepath-missing', $j$
{"StartAt": "F", "States": {"F": {"Type": "Fail", "Error": "E", "CausePath": "$.NoSuchCausePath"}}}
$j$);
CALL pg_temp.run('sf-fail-causepath-missing', '{"other": 1}', 'e1');
SELECT * FROM pg_temp.outcome('sf-fail-causepath-missing', 'e1');
SELECT * FROM pg_temp.events('sf-fail-causepath-missing', 'e1');
