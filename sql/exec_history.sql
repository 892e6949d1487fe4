--
-- exec_history: GetExecutionHistory (full event details, reverse order,
-- includeExecutionData false, contiguous ids and previousEventIds),
-- DescribeExecution, ListExecutions and DescribeStateMachineForExecution for
-- finished executions.
--
\set SHOW_CONTEXT never
-- Helpers (session-local).
-- run(): start an execution, commit so that the workers see it, and wait
-- (at most 10 s) until it is no longer RUNNING.
\i sql/include/exec_helpers.sql

SELECT sfn_create_state_machine('history-flow', $j$
{"Comment": "Pass, Choice, Wait, Succeed", "StartAt": "Shape", "States": {
  "Shape": {"Type": "Pass", "Parameters": {"n.$": "$.n", "tag": "t"}, "Next": "Check"},
  "Check": {"Type": "Choice", "Choices": [{"Variable": "$.n", "NumericGreaterThan": 0, "Next": "Pause"}], "Default": "Reject"},
  "Pause": {"Type": "Wait", "Seconds": 0, "Next": "Done"},
  "Done": {"Type": "Succeed"},
  "Reject": {"Type": "Fail", "Error": "Rejected", "Cause": "n must be positive"}}}
$j$);
CALL pg_temp.run('history-flow', '{"n": 3, "extra": "dropped"}', 'good');
CALL pg_temp.run('history-flow', '{"n": -1}', 'bad');

--
-- Every event with its details (roleArn checked separately).  Entered events
-- carry name, input and inputDetails; Exited events name, output and
-- outputDetails; inputs and outputs are compact JSON text.
--
SELECT id, previous_event_id, type, details - 'roleArn' AS details
FROM sfn_get_execution_history(pg_temp.arn('history-flow', 'good'));
SELECT id, previous_event_id, type, details - 'roleArn' AS details
FROM sfn_get_execution_history(pg_temp.arn('history-flow', 'bad'));
SELECT details->>'roleArn' LIKE 'arn:aws:iam::123456789012:role/%' AS role_arn
FROM sfn_get_execution_history(pg_temp.arn('history-flow', 'good')) WHERE type = 'ExecutionStarted';
-- Only ExecutionStarted has a roleArn.
SELECT type FROM sfn_get_execution_history(pg_temp.arn('history-flow', 'good')) WHERE details ? 'roleArn';

-- reverse_order: the same events, newest first.
SELECT id, previous_event_id, type
FROM sfn_get_execution_history(pg_temp.arn('history-flow', 'good'), reverse_order => true);

-- include_execution_data false: no input/output (nor their details).
SELECT id, type, details - 'roleArn' AS details
FROM sfn_get_execution_history(pg_temp.arn('history-flow', 'good'), include_execution_data => false);

-- Ids run 1..n without gaps; each previousEventId is the id before, except
-- ExecutionStarted and the first state's Entered (both 0).
SELECT e.name, count(*) AS events,
       bool_and(h.id = h.n) AS contiguous,
       bool_and(h.previous_event_id = CASE WHEN h.id <= 2 THEN 0 ELSE h.id - 1 END) AS previous_ids
FROM (VALUES ('good'), ('bad')) e(name),
     LATERAL (SELECT id, previous_event_id, row_number() OVER (ORDER BY id) AS n
              FROM sfn_get_execution_history(pg_temp.arn('history-flow', e.name))) h
GROUP BY e.name ORDER BY e.name;
-- Timestamps never go backwards.
SELECT bool_and("timestamp" >= lag) AS ordered
FROM (SELECT "timestamp", lag("timestamp", 1, '-infinity') OVER (ORDER BY id) AS lag
      FROM sfn_get_execution_history(pg_temp.arn('history-flow', 'good'))) t;

--
-- A longer run: a Pass loop of 20 iterations, 2 + 20 * 4 + 2 events.
--
SELECT sfn_create_state_machine('history-loop', $j$
{"StartAt": "Init", "States": {
  "Init": {"Type": "Pass", "Result": 0, "ResultPath": "$.i", "Next": "Check"},
  "Check": {"Type": "Choice", "Choices": [{"Variable": "$.i", "NumericGreaterThanEquals": 20, "Next": "Done"}], "Default": "Inc"},
  "Inc": {"Type": "Pass", "Parameters": {"i.$": "States.MathAdd($.i, 1)"}, "Next": "Check"},
  "Done": {"Type": "Succeed"}}}
$j$);
CALL pg_temp.run('history-loop', '{}', 'e1');
SELECT * FROM pg_temp.outcome('history-loop', 'e1');
SELECT count(*) AS events, max(id) AS last_id,
       bool_and(previous_event_id = CASE WHEN id <= 2 THEN 0 ELSE id - 1 END) AS previous_ids
FROM sfn_get_execution_history(pg_temp.arn('history-loop', 'e1'));
SELECT type, count(*) FROM sfn_get_execution_history(pg_temp.arn('history-loop', 'e1')) GROUP BY type ORDER BY type;

--
-- DescribeExecution: the fields AWS returns for a SUCCEEDED and a FAILED
-- execution (dates only checked for presence and order).
--
SELECT k FROM jsonb_object_keys(sfn_describe_execution(pg_temp.arn('history-flow', 'good'))) k ORDER BY k;
SELECT d - '{startDate,stopDate}'::text[] AS described
FROM sfn_describe_execution(pg_temp.arn('history-flow', 'good')) d;
SELECT k FROM jsonb_object_keys(sfn_describe_execution(pg_temp.arn('history-flow', 'bad'))) k ORDER BY k;
SELECT d - '{startDate,stopDate}'::text[] AS described
FROM sfn_describe_execution(pg_temp.arn('history-flow', 'bad')) d;
SELECT n, (d->>'startDate')::timestamptz <= (d->>'stopDate')::timestamptz AS start_before_stop,
       (d->>'startDate')::timestamptz = (SELECT "timestamp" FROM sfn_get_execution_history(pg_temp.arn('history-flow', n)) WHERE id = 1) AS start_is_first_event,
       (d->>'stopDate')::timestamptz = (SELECT max("timestamp") FROM sfn_get_execution_history(pg_temp.arn('history-flow', n))) AS stop_is_last_event
FROM unnest('{good,bad}'::text[]) n, sfn_describe_execution(pg_temp.arn('history-flow', n)) d;

--
-- ListExecutions (newest first) and DescribeStateMachineForExecution.
--
SELECT name, status, execution_arn, state_machine_arn, stop_date IS NOT NULL AS stopped, redrive_count
FROM sfn_list_executions('history-flow');
SELECT name FROM sfn_list_executions('history-flow', 'FAILED');
SELECT d->>'name' AS name, d->>'stateMachineArn' AS arn,
       (d->>'definition')::jsonb->>'Comment' AS comment,
       d->'loggingConfiguration' AS logging
FROM sfn_describe_state_machine_for_execution(pg_temp.arn('history-flow', 'good')) d;

--
-- sfn.wait_execution on a finished execution returns at once.
--
SELECT sfn.wait_execution(pg_temp.arn('history-flow', 'good'));
