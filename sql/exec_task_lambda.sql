--
-- exec_task_lambda: definitions written for AWS Lambda run unchanged once
-- their functions are mapped to SQL functions (sfn_map_lambda).  AWS's
-- lambda:invoke integration returns {ExecutedVersion, Payload, StatusCode,
-- ...} and fails a missing function with Lambda.ResourceNotFoundException;
-- a bare function ARN as the Resource (the older integration) passes the
-- state's input and returns the function's value, with LambdaFunction*
-- history events.
--
\set SHOW_CONTEXT never
\i sql/include/exec_helpers.sql

CREATE SCHEMA fx;
CREATE FUNCTION fx.greet(p jsonb) RETURNS jsonb LANGUAGE sql
	AS $$ SELECT jsonb_build_object('greeting', 'hello ' || (p->>'who')) $$;
CREATE FUNCTION fx.fallback(p jsonb) RETURNS jsonb LANGUAGE sql
	AS $$ SELECT jsonb_build_object('fallback', p) $$;

SELECT sfn_create_state_machine('lam', $j$
{"StartAt": "Greet", "States": {
  "Greet": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
    "Parameters": {"FunctionName": "arn:aws:lambda:us-east-1:123456789012:function:greeter:$LATEST",
                   "Payload": {"who.$": "$.name"}},
    "OutputPath": "$.Payload", "End": true}}}
$j$);
-- Not mapped yet: AWS's error for a function that does not exist.
CALL pg_temp.run('lam', '{"name": "ada"}', 'e1');
SELECT * FROM pg_temp.outcome('lam', 'e1');
-- Mapped by its name (the ARN's version is ignored).
SELECT sfn_map_lambda('greeter', 'fx.greet');
CALL pg_temp.run('lam', '{"name": "ada"}', 'e2');
SELECT * FROM pg_temp.outcome('lam', 'e2');
SELECT * FROM pg_temp.events('lam', 'e2');
-- A pattern: the longest prefix wins; an exact name beats any pattern.
SELECT sfn_map_lambda('arn:aws:lambda:us-east-1:123456789012:function:*', 'fx.fallback');
CALL pg_temp.run('lam', '{"name": "bob"}', 'e3');
SELECT * FROM pg_temp.outcome('lam', 'e3');
SELECT sfn_unmap_lambda('greeter');
CALL pg_temp.run('lam', '{"name": "cy"}', 'e4');
SELECT * FROM pg_temp.outcome('lam', 'e4');
SELECT sfn_unmap_lambda('greeter') AS was_mapped;

-- A bare function ARN: the input goes in whole, the value comes back.
SELECT sfn_map_lambda('arn:aws:lambda:us-east-1:123456789012:function:greeter', 'fx.greet');
SELECT sfn_create_state_machine('lam-bare', $j$
{"StartAt": "Greet", "States": {
  "Greet": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:greeter",
    "ResultPath": "$.result", "End": true}}}
$j$);
CALL pg_temp.run('lam-bare', '{"who": "dee"}', 'e1');
SELECT * FROM pg_temp.outcome('lam-bare', 'e1');
SELECT * FROM pg_temp.events('lam-bare', 'e1');
SELECT type, details FROM sfn_get_execution_history(pg_temp.arn('lam-bare', 'e1'))
WHERE type LIKE 'LambdaFunction%' ORDER BY id;

-- Mappings reach every state machine: only sfn_admin makes them.
CREATE ROLE lam_user;
GRANT sfn_user TO lam_user;
SET ROLE lam_user;
SELECT sfn_map_lambda('greeter', 'fx.greet');
SELECT count(*) > 0 AS sees_mappings FROM sfn.lambda_functions;
RESET ROLE;
SELECT sfn_map_lambda('x', 'unqualified');
-- Exactly one target; an HTTP target must be an http(s) URL.
SELECT sfn_map_lambda('x', 'fx.greet', 'http://127.0.0.1:1/');
SELECT sfn_map_lambda('x');
SELECT sfn_map_lambda('x', http_endpoint => 'ftp://example.com/');
SELECT sfn_map_lambda('remote', http_endpoint => 'https://example.com/fn');
SELECT pattern, sql_function, http_endpoint FROM sfn.lambda_functions ORDER BY pattern;
