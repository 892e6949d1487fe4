--
-- exec_task_activity: activities (AWS's CreateActivity, GetActivityTask,
-- and a Task whose Resource is an activity ARN).  AWS records
-- ActivityScheduled (resource, input, timeoutInSeconds,
-- heartbeatInSeconds), ActivityStarted (workerName) when a worker takes the
-- task, then ActivitySucceeded / ActivityFailed / ActivityTimedOut; the
-- worker answers with SendTaskSuccess / SendTaskFailure.
--
\set SHOW_CONTEXT never
\i sql/include/exec_helpers.sql

SELECT sfn_create_activity('charge-card');
-- Creating it again returns the same ARN, as on AWS.
SELECT sfn_create_activity('charge-card');
SELECT sfn_describe_activity('arn:aws:states:us-east-1:123456789012:activity:charge-card') - 'creationDate' AS described;
SELECT name, activity_arn FROM sfn_list_activities();
SELECT sfn_create_activity('bad:name');
SELECT sfn_describe_activity('arn:aws:states:us-east-1:123456789012:activity:nope');

SELECT sfn_create_state_machine('act', $j$
{"StartAt": "Charge", "States": {
  "Charge": {"Type": "Task", "Resource": "arn:aws:states:us-east-1:123456789012:activity:charge-card",
    "Parameters": {"amount.$": "$.amount"}, "TimeoutSeconds": 30, "HeartbeatSeconds": 20,
    "ResultPath": "$.charge",
    "Catch": [{"ErrorEquals": ["Declined"], "ResultPath": "$.error", "Next": "Refused"}],
    "End": true},
  "Refused": {"Type": "Pass", "End": true}}}
$j$);

-- No task yet: an empty answer after the wait.
SELECT * FROM sfn_get_activity_task('arn:aws:states:us-east-1:123456789012:activity:charge-card', 'w1', 0);

-- A worker takes the task and answers it.
SELECT sfn_start_execution('act', '{"amount": 42}', 'a1') IS NOT NULL AS started;
CREATE TEMP TABLE taken AS
	SELECT * FROM sfn_get_activity_task('arn:aws:states:us-east-1:123456789012:activity:charge-card', 'worker-1', 10);
SELECT length(task_token) AS token_length, input FROM taken;
-- Taken once: another worker gets nothing.
SELECT * FROM sfn_get_activity_task('charge-card', 'worker-2', 0);
SELECT sfn_send_task_success((SELECT task_token FROM taken), '{"receipt": "r-1"}');
SELECT sfn.wait_execution(pg_temp.arn('act', 'a1'));
SELECT * FROM pg_temp.outcome('act', 'a1');
SELECT * FROM pg_temp.events('act', 'a1');
SELECT type, details FROM sfn_get_execution_history(pg_temp.arn('act', 'a1'))
WHERE type LIKE 'Activity%' ORDER BY id;

-- The worker fails the task: ActivityFailed, then the Catch.
SELECT sfn_start_execution('act', '{"amount": 7}', 'a2') IS NOT NULL AS started;
TRUNCATE taken;
INSERT INTO taken SELECT * FROM sfn_get_activity_task('charge-card', 'worker-1', 10);
SELECT sfn_send_task_failure((SELECT task_token FROM taken), 'Declined', 'card expired');
SELECT sfn.wait_execution(pg_temp.arn('act', 'a2'));
SELECT * FROM pg_temp.outcome('act', 'a2');
SELECT * FROM pg_temp.events('act', 'a2');

-- Nobody takes it: ActivityTimedOut with States.Timeout.
SELECT sfn_create_state_machine('act-timeout', $j$
{"StartAt": "Charge", "States": {
  "Charge": {"Type": "Task", "Resource": "arn:aws:states:us-east-1:123456789012:activity:charge-card",
    "TimeoutSeconds": 1, "End": true}}}
$j$);
CALL pg_temp.run('act-timeout', '{}', 't1');
SELECT * FROM pg_temp.outcome('act-timeout', 't1');
SELECT * FROM pg_temp.events('act-timeout', 't1');
-- Its task is gone with the execution.
SELECT * FROM sfn_get_activity_task('charge-card', 'late', 0);

-- An activity that does not exist when the task is scheduled.
SELECT sfn_create_state_machine('act-missing', $j$
{"StartAt": "T", "States": {
  "T": {"Type": "Task", "Resource": "arn:aws:states:us-east-1:123456789012:activity:nobody", "End": true}}}
$j$);
CALL pg_temp.run('act-missing', '{}', 'm1');
SELECT * FROM pg_temp.outcome('act-missing', 'm1');

-- Another role can neither see nor poll it.
CREATE ROLE act_stranger;
GRANT sfn_user TO act_stranger;
SET ROLE act_stranger;
SELECT count(*) AS visible FROM sfn_list_activities();
SELECT * FROM sfn_get_activity_task('charge-card', 'x', 0);
SELECT sfn_delete_activity('charge-card');
RESET ROLE;
SELECT sfn_delete_activity('arn:aws:states:us-east-1:123456789012:activity:charge-card');
SELECT count(*) AS left_after_delete FROM sfn_list_activities();
