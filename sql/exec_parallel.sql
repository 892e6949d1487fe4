--
-- exec_parallel: Parallel states in executions.  Each branch is a thread
-- of its own (engine/threads.c); the output is the array of the branches'
-- outputs in branch order; a failing branch fails the state with its
-- error and cause (AWS "Parallel workflow state").
--
\set SHOW_CONTEXT never
\i sql/include/exec_helpers.sql

--
-- Two branches of Pass states; the output is in branch order, whatever
-- order the branches end in.
--
SELECT sfn_create_state_machine('par-basic', $j$
{"StartAt": "P", "States": {
  "P": {"Type": "Parallel", "End": true, "Branches": [
    {"StartAt": "A1", "States": {
      "A1": {"Type": "Pass", "Result": "a1", "ResultPath": "$.a", "Next": "A2"},
      "A2": {"Type": "Pass", "OutputPath": "$.a", "End": true}}},
    {"StartAt": "B1", "States": {
      "B1": {"Type": "Pass", "Parameters": {"b.$": "$.x"}, "End": true}}}]}}}
$j$);
CALL pg_temp.run('par-basic', '{"x": 7}', 'e1');
-- ["a1", {"b": 7}]
SELECT * FROM pg_temp.outcome('par-basic', 'e1');
-- ParallelStateEntered, ParallelStateStarted, the branches' events (the
-- first state of each branch follows ParallelStateStarted),
-- ParallelStateSucceeded, ParallelStateExited: event ids contiguous.
SELECT * FROM pg_temp.events('par-basic', 'e1');
-- no thread is left behind
SELECT count(*) AS threads_left FROM sfn.threads t
  JOIN sfn.executions e ON e.id = t.execution_id WHERE e.name = 'e1'
  AND e.state_machine_id = (SELECT id FROM sfn.state_machines WHERE name = 'par-basic');

--
-- The state's own data flow: InputPath and Parameters make the branches'
-- input; ResultSelector, ResultPath and OutputPath shape the array.
--
SELECT sfn_create_state_machine('par-dataflow', $j$
{"StartAt": "P", "States": {
  "P": {"Type": "Parallel", "InputPath": "$.in",
    "Parameters": {"v.$": "$.v", "name.$": "$$.State.Name"},
    "ResultSelector": {"first.$": "$[0]", "count.$": "States.ArrayLength($)"},
    "ResultPath": "$.out", "OutputPath": "$.out", "Next": "Done",
    "Branches": [
      {"StartAt": "X", "States": {"X": {"Type": "Pass", "End": true}}},
      {"StartAt": "Y", "States": {"Y": {"Type": "Pass", "Result": 2, "End": true}}},
      {"StartAt": "Z", "States": {"Z": {"Type": "Succeed"}}}]},
  "Done": {"Type": "Pass", "End": true}}}
$j$);
CALL pg_temp.run('par-dataflow', '{"in": {"v": 1}}', 'e1');
-- {"first": {"v": 1, "name": "P"}, "count": 3}
SELECT * FROM pg_temp.outcome('par-dataflow', 'e1');

--
-- A branch that fails fails the state, then the execution, with the
-- branch's error and cause.  The other branch stops: the state it was in
-- is aborted (WaitStateAborted).
--
SELECT sfn_create_state_machine('par-fail', $j$
{"StartAt": "P", "States": {
  "P": {"Type": "Parallel", "End": true, "Branches": [
    {"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 3600, "End": true}}},
    {"StartAt": "F", "States": {"F": {"Type": "Fail", "Error": "Boom", "Cause": "branch 1"}}}]}}}
$j$);
CALL pg_temp.run('par-fail', '{}', 'e1');
SELECT * FROM pg_temp.outcome('par-fail', 'e1');
SELECT * FROM pg_temp.events('par-fail', 'e1');

--
-- Catch on the Parallel state: the error output goes to ResultPath and
-- the execution goes on.
--
SELECT sfn_create_state_machine('par-catch', $j$
{"StartAt": "P", "States": {
  "P": {"Type": "Parallel", "Next": "Ok",
    "Catch": [{"ErrorEquals": ["Boom"], "ResultPath": "$.err", "Next": "Caught"}],
    "Branches": [
      {"StartAt": "A", "States": {"A": {"Type": "Pass", "End": true}}},
      {"StartAt": "F", "States": {"F": {"Type": "Fail", "Error": "Boom", "Cause": "why"}}}]},
  "Ok": {"Type": "Succeed"},
  "Caught": {"Type": "Pass", "End": true}}}
$j$);
CALL pg_temp.run('par-catch', '{"k": 1}', 'e1');
-- {"k": 1, "err": {"Error": "Boom", "Cause": "why"}}
SELECT * FROM pg_temp.outcome('par-catch', 'e1');
SELECT * FROM pg_temp.events('par-catch', 'e1');

--
-- Retry on the Parallel state runs every branch again.  The branch
-- counts its runs in a table through a SQL task: it fails the first
-- time, succeeds the second.
--
CREATE SEQUENCE par_runs;
CREATE FUNCTION par_flaky(input jsonb) RETURNS jsonb LANGUAGE plpgsql AS $$
DECLARE
	c int := nextval('public.par_runs');
BEGIN
	IF c = 1 THEN
		RAISE EXCEPTION 'FirstRunFails' USING ERRCODE = 'SF900';
	END IF;
	RETURN jsonb_build_object('run', c);
END $$;
GRANT USAGE ON SEQUENCE par_runs TO PUBLIC;
SELECT sfn_create_state_machine('par-retry', $j$
{"StartAt": "P", "States": {
  "P": {"Type": "Parallel", "End": true,
    "Retry": [{"ErrorEquals": ["States.ALL"], "IntervalSeconds": 1, "MaxAttempts": 1}],
    "Branches": [
      {"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:aws:states:::sql:invoke",
        "Parameters": {"FunctionName": "public.par_flaky", "Payload": {}},
        "ResultSelector": {"run.$": "$.Payload.run"}, "End": true}}},
      {"StartAt": "B", "States": {"B": {"Type": "Pass", "Result": "b", "End": true}}}]}}}
$j$);
CALL pg_temp.run('par-retry', '{}', 'e1');
-- [{"run": 2}, "b"]
SELECT * FROM pg_temp.outcome('par-retry', 'e1');
SELECT * FROM pg_temp.events('par-retry', 'e1');

--
-- Nested: a Parallel inside a branch of a Parallel, and a Choice and a
-- Wait in branches.
--
SELECT sfn_create_state_machine('par-nested', $j$
{"StartAt": "Outer", "States": {
  "Outer": {"Type": "Parallel", "End": true, "Branches": [
    {"StartAt": "Inner", "States": {
      "Inner": {"Type": "Parallel", "End": true, "Branches": [
        {"StartAt": "I1", "States": {"I1": {"Type": "Pass", "Result": 1, "End": true}}},
        {"StartAt": "I2", "States": {"I2": {"Type": "Pass", "Result": 2, "End": true}}}]}}},
    {"StartAt": "C", "States": {
      "C": {"Type": "Choice", "Choices": [{"Variable": "$.go", "BooleanEquals": true, "Next": "W"}], "Default": "No"},
      "W": {"Type": "Wait", "Seconds": 1, "Next": "Yes"},
      "Yes": {"Type": "Pass", "Result": "waited", "End": true},
      "No": {"Type": "Fail", "Error": "NoGo"}}}]}}}
$j$);
CALL pg_temp.run('par-nested', '{"go": true}', 'e1');
-- [[1, 2], "waited"]
SELECT * FROM pg_temp.outcome('par-nested', 'e1');
SELECT * FROM pg_temp.events('par-nested', 'e1');
CALL pg_temp.run('par-nested', '{"go": false}', 'e2');
SELECT * FROM pg_temp.outcome('par-nested', 'e2');

--
-- An error in the state's own Parameters is a States.Runtime error of the
-- state, before any branch starts.
--
SELECT sfn_create_state_machine('par-bad-params', $j$
{"StartAt": "P", "States": {
  "P": {"Type": "Parallel", "End": true, "Parameters": {"x.$": "$.missing"},
    "Branches": [{"StartAt": "A", "States": {"A": {"Type": "Pass", "End": true}}}]}}}
$j$);
CALL pg_temp.run('par-bad-params', '{}', 'e1');
SELECT * FROM pg_temp.outcome('par-bad-params', 'e1');

--
-- Stopping an execution ends every thread.
--
SELECT sfn_create_state_machine('par-stop', $j$
{"StartAt": "P", "States": {
  "P": {"Type": "Parallel", "End": true, "Branches": [
    {"StartAt": "W1", "States": {"W1": {"Type": "Wait", "Seconds": 3600, "End": true}}},
    {"StartAt": "W2", "States": {"W2": {"Type": "Wait", "Seconds": 3600, "End": true}}}]}}}
$j$);
SELECT sfn_start_execution('par-stop', '{}', 'e1') IS NOT NULL AS started;
-- wait (at most 10 s) until both branches are in their Wait states
DO $$
BEGIN
	FOR i IN 1..200 LOOP
		EXIT WHEN (SELECT count(*) FROM sfn_get_execution_history(
			'arn:aws:states:us-east-1:123456789012:execution:par-stop:e1')
			WHERE type = 'WaitStateEntered') = 2;
		PERFORM pg_sleep(0.05);
	END LOOP;
END $$;
SELECT count(*) AS threads_running FROM sfn.threads t
  JOIN sfn.executions e ON e.id = t.execution_id
  WHERE e.name = 'e1' AND e.state_machine_id = (SELECT id FROM sfn.state_machines WHERE name = 'par-stop');
SELECT sfn_stop_execution(pg_temp.arn('par-stop', 'e1'), 'Stopped', 'by the test') IS NOT NULL AS stopped;
SELECT * FROM pg_temp.outcome('par-stop', 'e1');
SELECT count(*) AS threads_left FROM sfn.threads t
  JOIN sfn.executions e ON e.id = t.execution_id
  WHERE e.name = 'e1' AND e.state_machine_id = (SELECT id FROM sfn.state_machines WHERE name = 'par-stop');

--
-- A .waitForTaskToken task inside a branch: the callback reaches the
-- branch's thread (its token names that thread), and the state goes on
-- once both branches have ended.
--
CREATE SCHEMA pcb;
CREATE TABLE pcb.pending (k text PRIMARY KEY, token text NOT NULL);
CREATE FUNCTION pcb.park(p jsonb) RETURNS jsonb LANGUAGE sql AS $$
	INSERT INTO pcb.pending VALUES (p->>'k', p->>'token') RETURNING '{}'::jsonb $$;
GRANT USAGE ON SCHEMA pcb TO PUBLIC;
GRANT INSERT ON pcb.pending TO PUBLIC;
SELECT sfn_create_state_machine('par-callback', $j$
{"StartAt": "P", "States": {
  "P": {"Type": "Parallel", "End": true, "Branches": [
    {"StartAt": "A", "States": {"A": {"Type": "Pass", "Result": "a", "End": true}}},
    {"StartAt": "Ask", "States": {
      "Ask": {"Type": "Task", "Resource": "arn:aws:states:::sql:invoke.waitForTaskToken",
        "Parameters": {"FunctionName": "pcb.park", "Payload": {"k.$": "$$.Execution.Name", "token.$": "$$.Task.Token"}},
        "Next": "After"},
      "After": {"Type": "Pass", "Parameters": {"answer.$": "$.v"}, "End": true}}}]}}}
$j$);
SELECT sfn_start_execution('par-callback', '{}', 'e1') IS NOT NULL AS started;
DO $$
BEGIN
	FOR i IN 1..200 LOOP
		EXIT WHEN EXISTS (SELECT 1 FROM pcb.pending WHERE k = 'e1');
		PERFORM pg_sleep(0.05);
	END LOOP;
END $$;
-- the token belongs to the branch's thread, not to thread 0
SELECT t.thread_id > 0 AS branch_thread, t.parent_thread_id, t.thread_index
  FROM sfn.task_tokens k JOIN sfn.threads t USING (execution_id, thread_id)
  JOIN sfn.executions e ON e.id = k.execution_id WHERE e.name = 'e1'
  AND e.state_machine_id = (SELECT id FROM sfn.state_machines WHERE name = 'par-callback');
SELECT sfn_send_task_success((SELECT token FROM pcb.pending WHERE k = 'e1'), '{"v": 42}') IS NOT NULL AS answered;
SELECT sfn.wait_execution(pg_temp.arn('par-callback', 'e1'));
-- ["a", {"answer": 42}]
SELECT * FROM pg_temp.outcome('par-callback', 'e1');

--
-- The execution's TimeoutSeconds ends it whatever its branches do.
--
SELECT sfn_create_state_machine('par-timeout', $j$
{"StartAt": "P", "TimeoutSeconds": 1, "States": {
  "P": {"Type": "Parallel", "End": true, "Branches": [
    {"StartAt": "W1", "States": {"W1": {"Type": "Wait", "Seconds": 3600, "End": true}}},
    {"StartAt": "W2", "States": {"W2": {"Type": "Wait", "Seconds": 3600, "End": true}}}]}}}
$j$);
CALL pg_temp.run('par-timeout', '{}', 'e1');
SELECT status FROM pg_temp.outcome('par-timeout', 'e1');
SELECT type FROM sfn_get_execution_history(pg_temp.arn('par-timeout', 'e1')) ORDER BY id DESC LIMIT 1;
SELECT count(*) AS threads_left FROM sfn.threads t
  JOIN sfn.executions e ON e.id = t.execution_id
  WHERE e.name = 'e1' AND e.state_machine_id = (SELECT id FROM sfn.state_machines WHERE name = 'par-timeout');
