--
-- task_retry_rules: AWS's Retry and Catch rules ("Error handling in Step
-- Functions"), checked through TestState with a mocked error, which
-- applies the same engine/retry.c as executions:
--  - retriers and catchers are tried in order, the first match is used;
--  - States.ALL matches any error, States.TaskFailed any but States.Timeout;
--  - States.Runtime is never retried or caught; States.DataLimitExceeded is
--    not matched by the wildcards, only by its name;
--  - the wait before retry n (from 0) is IntervalSeconds (default 1) times
--    BackoffRate (default 2.0) to the n, at most MaxDelaySeconds;
--  - MaxAttempts (default 3) counts retries; 0 never retries.
--
\set SHOW_CONTEXT never
CREATE FUNCTION pg_temp.try(retry jsonb, catch jsonb, error text, retries int DEFAULT NULL)
RETURNS text LANGUAGE sql AS $$
	SELECT r->>'status' || coalesce(' next=' || (r->>'nextState'), '')
		|| coalesce(' wait=' || (r->'inspectionData'->'errorDetails'->>'retryBackoffIntervalSeconds'), '')
	FROM sfn_test_state(
		jsonb_build_object('Type', 'Task', 'Resource', 'arn:aws:states:::lambda:invoke',
			'Parameters', jsonb_build_object('FunctionName', 'f'), 'End', true)
		|| CASE WHEN retry IS NULL THEN '{}' ELSE jsonb_build_object('Retry', retry) END
		|| CASE WHEN catch IS NULL THEN '{}' ELSE jsonb_build_object('Catch', catch) END,
		'{}', inspection_level => 'DEBUG',
		mock => jsonb_build_object('errorOutput', jsonb_build_object('error', error, 'cause', 'c')),
		state_configuration => CASE WHEN retries IS NULL THEN NULL
			ELSE jsonb_build_object('retrierRetryCount', retries) END) r $$;

-- Wildcards.
SELECT pg_temp.try('[{"ErrorEquals": ["States.ALL"]}]', NULL, 'Anything') AS all_matches_any;
SELECT pg_temp.try('[{"ErrorEquals": ["States.TaskFailed"]}]', NULL, 'States.Timeout') AS taskfailed_not_timeout;
SELECT pg_temp.try('[{"ErrorEquals": ["States.TaskFailed"]}]', NULL, 'States.HeartbeatTimeout') AS taskfailed_heartbeat;
SELECT pg_temp.try(NULL, '[{"ErrorEquals": ["States.ALL"], "Next": "X"}]', 'States.Runtime') AS runtime_never_caught;
SELECT pg_temp.try('[{"ErrorEquals": ["States.Runtime"]}]', NULL, 'States.Runtime') AS runtime_never_retried;
SELECT pg_temp.try(NULL, '[{"ErrorEquals": ["States.ALL"], "Next": "X"}]', 'States.DataLimitExceeded') AS datalimit_not_by_all;
SELECT pg_temp.try(NULL, '[{"ErrorEquals": ["States.DataLimitExceeded"], "Next": "X"}]', 'States.DataLimitExceeded') AS datalimit_by_name;
-- Order: the first matching catcher wins.
SELECT pg_temp.try(NULL, '[{"ErrorEquals": ["Other"], "Next": "A"}, {"ErrorEquals": ["Boom"], "Next": "B"}, {"ErrorEquals": ["States.ALL"], "Next": "C"}]', 'Boom') AS first_match;
-- Retry before Catch; a retrier used up hands over to the catchers.
SELECT pg_temp.try('[{"ErrorEquals": ["Boom"], "MaxAttempts": 2}]', '[{"ErrorEquals": ["Boom"], "Next": "C"}]', 'Boom', 1) AS retry_first;
SELECT pg_temp.try('[{"ErrorEquals": ["Boom"], "MaxAttempts": 2}]', '[{"ErrorEquals": ["Boom"], "Next": "C"}]', 'Boom', 2) AS used_up_then_catch;
SELECT pg_temp.try('[{"ErrorEquals": ["Boom"], "MaxAttempts": 0}]', NULL, 'Boom') AS max_attempts_zero;
-- Defaults: IntervalSeconds 1, BackoffRate 2, MaxAttempts 3.
SELECT n, pg_temp.try('[{"ErrorEquals": ["Boom"]}]', NULL, 'Boom', n) AS defaults
FROM generate_series(0, 3) n;
-- Backoff and MaxDelaySeconds: 3, 6, 12 -> capped at 10.
SELECT n, pg_temp.try('[{"ErrorEquals": ["Boom"], "IntervalSeconds": 3, "BackoffRate": 2, "MaxAttempts": 5, "MaxDelaySeconds": 10}]', NULL, 'Boom', n) AS backoff_capped
FROM generate_series(0, 2) n;
