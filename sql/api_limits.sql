-- Small API limits: sfn.wait_execution's timeout, StopExecution's error
-- and cause lengths, control characters of user-given names and ARNs in
-- error messages.
\set SHOW_CONTEXT never
\set VERBOSITY default

SELECT sfn_create_state_machine('limits-wait', '{"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":3600,"End":true}}}') IS NOT NULL;
SELECT sfn_start_execution('limits-wait', '{}', 'running') AS running \gset

-- A NULL timeout is an error (it used to wait forever).
SELECT sfn.wait_execution(:'running', NULL);
-- A short one returns the status still RUNNING.
SELECT sfn.wait_execution(:'running', 0.05);

-- StopExecution: error up to 256 characters, cause up to 32,768 (AWS's
-- limits, counted in characters, not bytes).
SELECT sfn_stop_execution(:'running', repeat('e', 257));
SELECT sfn_stop_execution(:'running', 'E', repeat('c', 32769));
SELECT sfn_stop_execution(:'running', repeat('é', 257));
SELECT sfn.wait_execution(:'running', 0);
SELECT sfn_stop_execution(:'running', repeat('é', 256), repeat('ç', 32768)) IS NOT NULL AS stopped;
SELECT status, length(error) AS error_chars, length(cause) AS cause_chars
FROM sfn.executions WHERE name = 'running';

-- Control characters in user-given names and ARNs are escaped in messages.
SELECT sfn_start_execution('limits-wait', '{}', E'two\nlines');
SELECT sfn_start_execution('limits-wait', '{}', 'c1' || chr(133) || 'next-line');
SELECT sfn_start_execution(E'no\tsuch', '{}');
SELECT sfn_describe_state_machine(E'no\rsuch\x01');
SELECT sfn_create_state_machine(E'bell\x07', '{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}');
SELECT sfn_describe_execution(E'arn:aws:states:us-east-1:123456789012:execution:limits-wait:no\nsuch');
SELECT sfn_describe_execution(E'arn:aws:states:us-east-1:123456789012:stateMachine:x\x1b[31m');
SELECT sfn_describe_execution(E'arn:bad\x7f');
SELECT sfn_describe_state_machine(E'arn:aws:states:us-east-1:123456789012:stateMachine:v:1\x02');
SELECT sfn_create_state_machine('limits-esc', '{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}', E'EXPRESS\n');
SELECT sfn_create_state_machine('limits-esc', '{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}', 'STANDARD', E'role\x03');
-- Names without control characters are printed as they are.
SELECT sfn_describe_state_machine('plain-name-é');
