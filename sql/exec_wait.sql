--
-- exec_wait: running Wait states: Seconds, Timestamp, SecondsPath,
-- TimestampPath, their errors, StopExecution of a waiting execution, and the
-- execution's TimeoutSeconds.
--
\set SHOW_CONTEXT never
-- Helpers (session-local).
-- run(): start an execution, commit so that the workers see it, and wait
-- (at most 10 s) until it is no longer RUNNING.
\i sql/include/exec_helpers.sql
-- start()/wait(): for executions that should run side by side.
CREATE FUNCTION pg_temp.start(sm text, input jsonb, name text) RETURNS text
	LANGUAGE sql AS $$ SELECT sfn_start_execution(sm, input, name) $$;
CREATE FUNCTION pg_temp.wait(sm text, name text, timeout float DEFAULT 10) RETURNS text
	LANGUAGE sql AS $$ SELECT sfn.wait_execution(pg_temp.arn(sm, name), timeout) $$;
-- Seconds between a state's Entered and Exited events.
CREATE FUNCTION pg_temp.waited(sm text, name text) RETURNS interval LANGUAGE sql AS $$
	SELECT max("timestamp") FILTER (WHERE type = 'WaitStateExited')
	     - max("timestamp") FILTER (WHERE type = 'WaitStateEntered')
	FROM sfn_get_execution_history(pg_temp.arn(sm, name)) $$;

SELECT sfn_create_state_machine('wait-seconds', $j$
{"StartAt": "wait_ten_seconds", "States": {
  "wait_ten_seconds": {"Type": "Wait", "Seconds": 1, "Next": "NextState"},
  "NextState": {"Type": "Pass", "End": true}}}
$j$);
SELECT sfn_create_state_machine('wait-seconds-zero', $j$
{"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 0, "End": true}}}
$j$);
SELECT sfn_create_state_machine('wait-timestamp-past', $j$
{"StartAt": "wait_until", "States": {
  "wait_until": {"Type": "Wait", "Timestamp": "2016-03-14T01:59:00Z", "End": true}}}
$j$);
SELECT sfn_create_state_machine('wait-secondspath', $j$
{"StartAt": "W", "States": {"W": {"Type": "Wait", "SecondsPath": "$.input.waitSeconds", "End": true}}}
$j$);
SELECT sfn_create_state_machine('wait-timestamppath', $j$
{"StartAt": "wait_until", "States": {
  "wait_until": {"Type": "Wait", "TimestampPath": "$.expirydate", "End": true}}}
$j$);
SELECT sfn_create_state_machine('wait-long', $j$
{"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 60, "End": true}}}
$j$);
-- The documented timeout example (TimeoutSeconds 3 there; 1 here).
SELECT sfn_create_state_machine('wait-timeout', $j$
{"StartAt": "W", "TimeoutSeconds": 1, "States": {"W": {"Type": "Wait", "Seconds": 25, "End": true}}}
$j$);

-- All of these start together and run side by side.
SELECT pg_temp.start('wait-seconds', '{"a": 1}', 'one-second') IS NOT NULL AS started,
       pg_temp.start('wait-seconds-zero', '{"a": 1}', 'zero') IS NOT NULL,
       pg_temp.start('wait-timestamp-past', '{"a": 1}', 'past') IS NOT NULL,
       pg_temp.start('wait-secondspath', '{"input": {"waitSeconds": 1}}', 'one-second') IS NOT NULL,
       pg_temp.start('wait-secondspath', '{"input": {"waitSeconds": 0}}', 'zero') IS NOT NULL,
       pg_temp.start('wait-timestamppath', '{"expirydate": "2016-03-14T01:59:00Z"}', 'past') IS NOT NULL,
       pg_temp.start('wait-timestamppath', jsonb_build_object('expirydate',
           to_char(now() AT TIME ZONE 'UTC' + interval '1.5 s', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')), 'future') IS NOT NULL,
       pg_temp.start('wait-long', '{}', 'stopped') IS NOT NULL,
       pg_temp.start('wait-long', '{}', 'stopped-with-error') IS NOT NULL,
       pg_temp.start('wait-timeout', '{}', 'timed-out') IS NOT NULL;
SELECT pg_temp.wait('wait-seconds-zero', 'zero') AS zero,
       pg_temp.wait('wait-timestamp-past', 'past') AS past,
       pg_temp.wait('wait-secondspath', 'zero') AS secondspath_zero,
       pg_temp.wait('wait-timestamppath', 'past') AS timestamppath_past;
-- These four waited (close to) nothing.
SELECT pg_temp.waited('wait-seconds-zero', 'zero') < interval '1 s' AS zero,
       pg_temp.waited('wait-timestamp-past', 'past') < interval '1 s' AS past,
       pg_temp.waited('wait-secondspath', 'zero') < interval '1 s' AS secondspath_zero,
       pg_temp.waited('wait-timestamppath', 'past') < interval '1 s' AS timestamppath_past;
SELECT pg_temp.wait('wait-seconds', 'one-second') AS seconds,
       pg_temp.wait('wait-secondspath', 'one-second') AS secondspath,
       pg_temp.wait('wait-timestamppath', 'future') AS timestamppath_future,
       pg_temp.wait('wait-timeout', 'timed-out') AS timeout;
-- These waited at least a second (the TimestampPath one until its time).
SELECT pg_temp.waited('wait-seconds', 'one-second') >= interval '1 s' AS seconds,
       pg_temp.waited('wait-secondspath', 'one-second') >= interval '1 s' AS secondspath,
       (SELECT h."timestamp" >= ((h.details->>'output')::jsonb->>'expirydate')::timestamptz
        FROM sfn_get_execution_history(pg_temp.arn('wait-timestamppath', 'future')) h
        WHERE h.type = 'WaitStateExited') AS timestamppath_future_reached;
SELECT * FROM pg_temp.outcome('wait-seconds', 'one-second');
SELECT * FROM pg_temp.events('wait-seconds', 'one-second');
SELECT * FROM pg_temp.events('wait-seconds-zero', 'zero');
SELECT * FROM pg_temp.outcome('wait-timestamppath', 'past');

--
-- Execution TimeoutSeconds reached: TIMED_OUT; the last event is
-- ExecutionTimedOut with previousEventId 0 and details {"error":
-- "States.Timeout"} (no cause); no WaitStateExited; DescribeExecution has no
-- error or cause, and stopDate is startDate + TimeoutSeconds.
--
SELECT status, output, error, cause FROM pg_temp.outcome('wait-timeout', 'timed-out');
SELECT id, previous_event_id, type, details - 'roleArn' AS details
FROM sfn_get_execution_history(pg_temp.arn('wait-timeout', 'timed-out'));
SELECT d ? 'error' AS has_error, d ? 'cause' AS has_cause, d ? 'output' AS has_output,
       d->>'redriveStatus' AS redrive_status,
       (d->>'stopDate')::timestamptz - (d->>'startDate')::timestamptz >= interval '1 s' AS stopped_after_timeout
FROM sfn_describe_execution(pg_temp.arn('wait-timeout', 'timed-out')) d;

--
-- StopExecution while waiting: ABORTED; ExecutionAborted has previousEventId
-- 0; no WaitStateExited.  Without error/cause the details are {} and
-- DescribeExecution has no error/cause; with them, both show.
--
SELECT pg_temp.wait('wait-long', 'stopped', 0) AS before_stop;
SELECT sfn_stop_execution(pg_temp.arn('wait-long', 'stopped')) IS NOT NULL AS stopped;
SELECT sfn_stop_execution(pg_temp.arn('wait-long', 'stopped-with-error'), 'Manual', 'probe') IS NOT NULL AS stopped;
SELECT pg_temp.wait('wait-long', 'stopped') AS status;
SELECT * FROM pg_temp.outcome('wait-long', 'stopped');
SELECT id, previous_event_id, type, details - 'roleArn' AS details
FROM sfn_get_execution_history(pg_temp.arn('wait-long', 'stopped'));
SELECT d ? 'error' AS has_error, d ? 'cause' AS has_cause, d ? 'stopDate' AS has_stop_date
FROM sfn_describe_execution(pg_temp.arn('wait-long', 'stopped')) d;
SELECT pg_temp.wait('wait-long', 'stopped-with-error') AS status;
SELECT * FROM pg_temp.outcome('wait-long', 'stopped-with-error');
SELECT id, previous_event_id, type, details - 'roleArn' AS details
FROM sfn_get_execution_history(pg_temp.arn('wait-long', 'stopped-with-error'))
WHERE type = 'ExecutionAborted';

--
-- SecondsPath and TimestampPath errors: States.Runtime, with AWS's causes
-- after the "An error occurred while executing the state ..." prefix.
--
SELECT pg_temp.start('wait-secondspath', '{"input": {}}', 'missing') IS NOT NULL AS started,
       pg_temp.start('wait-secondspath', '{"input": {"waitSeconds": 1.5}}', 'fraction') IS NOT NULL,
       pg_temp.start('wait-secondspath', '{"input": {"waitSeconds": -1.5}}', 'negative-fraction') IS NOT NULL,
       pg_temp.start('wait-secondspath', '{"input": {"waitSeconds": -1}}', 'negative') IS NOT NULL,
       pg_temp.start('wait-secondspath', '{"input": {"waitSeconds": "1"}}', 'string') IS NOT NULL,
       pg_temp.start('wait-timestamppath', '{"expirydate": "2016-12-05 21:29:29Z"}', 'space') IS NOT NULL,
       pg_temp.start('wait-timestamppath', '{"expirydate": "2016-12-05T21:29:29"}', 'no-zone') IS NOT NULL,
       pg_temp.start('wait-timestamppath', '{"expirydate": "2016-13-05T21:29:29Z"}', 'month-13') IS NOT NULL,
       pg_temp.start('wait-timestamppath', '{"expirydate": "05-12-2016T21:29:29Z"}', 'dd-mm-yyyy') IS NOT NULL,
       pg_temp.start('wait-timestamppath', '{"expirydate": "2016-12-05T21:29:29.000000Z"}', 'micro-z') IS NOT NULL,
       pg_temp.start('wait-timestamppath', '{"expirydate": "2016-12-05T21:29:29.00Z"}', 'centi-z') IS NOT NULL,
       pg_temp.start('wait-timestamppath', '{"expirydate": "2016-12-05T21:29:29+01:00"}', 'offset') IS NOT NULL,
       pg_temp.start('wait-timestamppath', '{"expirydate": 1481000000}', 'number') IS NOT NULL,
       pg_temp.start('wait-timestamppath', '{"expirydate": "2200-01-01T00:00:00Z"}', 'too-far') IS NOT NULL;
SELECT n, pg_temp.wait(sm, n) AS status
FROM (VALUES ('wait-secondspath', 'missing'), ('wait-secondspath', 'fraction'),
             ('wait-secondspath', 'negative-fraction'), ('wait-secondspath', 'negative'),
             ('wait-secondspath', 'string'),
             ('wait-timestamppath', 'space'), ('wait-timestamppath', 'no-zone'),
             ('wait-timestamppath', 'month-13'), ('wait-timestamppath', 'dd-mm-yyyy'),
             ('wait-timestamppath', 'micro-z'), ('wait-timestamppath', 'centi-z'),
             ('wait-timestamppath', 'offset'), ('wait-timestamppath', 'number'),
             ('wait-timestamppath', 'too-far')) v(sm, n);
SELECT n, o.status, o.error, o.cause
FROM (VALUES ('wait-secondspath', 'missing'), ('wait-secondspath', 'fraction'),
             ('wait-secondspath', 'negative-fraction'), ('wait-secondspath', 'negative'),
             ('wait-timestamppath', 'space'), ('wait-timestamppath', 'no-zone'),
             ('wait-timestamppath', 'month-13'), ('wait-timestamppath', 'dd-mm-yyyy'),
             ('wait-timestamppath', 'too-far')) v(sm, n),
     pg_temp.outcome(sm, n) o;
-- AWS documents no cause for these: only the error is checked.
SELECT n, o.status, o.error
FROM (VALUES ('wait-secondspath', 'string'), ('wait-timestamppath', 'number')) v(sm, n),
     pg_temp.outcome(sm, n) o;
-- Accepted forms (in the past, so no waiting).
SELECT n, (pg_temp.outcome('wait-timestamppath', n)).status
FROM unnest('{micro-z,centi-z,offset}'::text[]) n;
SELECT * FROM pg_temp.events('wait-secondspath', 'negative');
