--
-- test_state_tasks: TestState on Task states without a mock.  AWS's
-- TestState calls the state's real resource; pg_sfn calls SQL tasks and
-- Lambda functions mapped to SQL functions (as the calling role, in the
-- calling transaction) and reports AWS's statuses: SUCCEEDED with
-- nextState, RETRIABLE when a retrier takes the error, CAUGHT_ERROR when a
-- catcher does, FAILED otherwise.  Other resources need a mock.
--
\set SHOW_CONTEXT never
CREATE SCHEMA ts;
CREATE TABLE ts.calls (n int);
CREATE FUNCTION ts.double(p jsonb) RETURNS jsonb LANGUAGE plpgsql AS $$
BEGIN
	INSERT INTO ts.calls VALUES ((p->>'n')::int);
	IF (p->>'n')::int < 0 THEN
		RAISE EXCEPTION 'Negative' USING ERRCODE = 'SF900', DETAIL = 'n must not be negative';
	END IF;
	RETURN jsonb_build_object('doubled', 2 * (p->>'n')::int);
END $$;

-- SUCCEEDED: the function ran (its row is there) and its result went
-- through ResultSelector and ResultPath.
SELECT sfn_test_state($j$
{"Type": "Task", "Resource": "arn:aws:states:::sql:invoke",
 "Parameters": {"FunctionName": "ts.double", "Payload": {"n.$": "$.n"}},
 "ResultSelector": {"d.$": "$.Payload.doubled"}, "ResultPath": "$.r", "Next": "After"}
$j$, '{"n": 21}');
SELECT * FROM ts.calls;
-- RETRIABLE: a retrier takes the error.
SELECT sfn_test_state($j$
{"Type": "Task", "Resource": "arn:aws:states:::sql:invoke",
 "Parameters": {"FunctionName": "ts.double", "Payload": {"n.$": "$.n"}},
 "Retry": [{"ErrorEquals": ["Negative"], "IntervalSeconds": 2}], "End": true}
$j$, '{"n": -1}');
-- CAUGHT_ERROR: a catcher takes it; the output carries the error.
SELECT sfn_test_state($j$
{"Type": "Task", "Resource": "arn:aws:states:::sql:invoke",
 "Parameters": {"FunctionName": "ts.double", "Payload": {"n.$": "$.n"}},
 "Catch": [{"ErrorEquals": ["States.TaskFailed"], "ResultPath": "$.err", "Next": "Handle"}], "End": true}
$j$, '{"n": -1}');
-- FAILED: nothing takes it.  The failed call's row rolled back.
SELECT sfn_test_state($j$
{"Type": "Task", "Resource": "arn:aws:states:::sql:invoke",
 "Parameters": {"FunctionName": "ts.double", "Payload": {"n.$": "$.n"}}, "End": true}
$j$, '{"n": -1}');
SELECT count(*) AS negative_rows FROM ts.calls WHERE n < 0;
-- A Lambda function mapped to a SQL function.
SELECT sfn_map_lambda('doubler', 'ts.double');
SELECT sfn_test_state($j$
{"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
 "Parameters": {"FunctionName": "doubler", "Payload": {"n": 4}}, "OutputPath": "$.Payload", "End": true}
$j$, '{}');
-- An HTTP task, or a callback, needs a mock.
SELECT sfn_test_state($j$
{"Type": "Task", "Resource": "arn:aws:states:::http:invoke",
 "Parameters": {"ApiEndpoint": "https://example.com", "Method": "GET"}, "End": true}
$j$, '{}');
SELECT sfn_test_state($j$
{"Type": "Task", "Resource": "arn:aws:states:::http:invoke",
 "Parameters": {"ApiEndpoint": "https://example.com", "Method": "GET"}, "End": true}
$j$, '{}', mock => '{"result": "{\"StatusCode\": 200}"}');
