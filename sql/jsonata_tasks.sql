--
-- jsonata_tasks: Task states in JSONata: Arguments, $states.result in
-- Output and Assign, TimeoutSeconds as an expression, and Catch with
-- $states.errorOutput (a catcher's own Output and Assign).  The tasks are
-- SQL functions (arn:aws:states:::sql:invoke), which answer like
-- lambda:invoke: {ExecutedVersion, Payload, StatusCode}.
--
\set SHOW_CONTEXT never
\i sql/include/exec_helpers.sql

CREATE SCHEMA jt;
CREATE FUNCTION jt.double(p jsonb) RETURNS jsonb LANGUAGE sql
	AS $$ SELECT jsonb_build_object('doubled', (p->>'n')::int * 2, 'got', p) $$;
CREATE FUNCTION jt.fail(p jsonb) RETURNS jsonb LANGUAGE plpgsql AS $$
BEGIN
	RAISE EXCEPTION 'Declined' USING ERRCODE = 'SF900', DETAIL = 'card ' || (p->>'card');
END $$;

--
-- Arguments build the payload; Output reads $states.result; without Output
-- the state's output is the result.
--
SELECT sfn_create_state_machine('jt-args', $j$
{"QueryLanguage": "JSONata", "StartAt": "Double", "States": {
  "Double": {"Type": "Task", "Resource": "arn:aws:states:::sql:invoke",
    "Arguments": {"FunctionName": "jt.double",
                  "Payload": {"n": "{% $states.input.value + 1 %}", "static": "Hello"}},
    "TimeoutSeconds": "{% $states.input.timeout %}",
    "Output": {"doubled": "{% $states.result.Payload.doubled %}",
               "input": "{% $states.input %}"},
    "Next": "Raw"},
  "Raw": {"Type": "Task", "Resource": "arn:aws:states:::sql:invoke",
    "Arguments": {"FunctionName": "jt.double", "Payload": {"n": "{% $states.input.doubled %}"}},
    "End": true}}}
$j$);
CALL pg_temp.run('jt-args', '{"value": 4, "timeout": 30}', 'e1');
SELECT * FROM pg_temp.outcome('jt-args', 'e1');
-- TaskScheduled carries the evaluated Arguments and the evaluated timeout.
SELECT details->'parameters' AS parameters, details->'timeoutInSeconds' AS timeout
FROM sfn_get_execution_history(pg_temp.arn('jt-args', 'e1'))
WHERE type = 'TaskScheduled' ORDER BY id;
-- A timeout expression that is not a positive integer fails the state.
CALL pg_temp.run('jt-args', '{"value": 4, "timeout": "soon"}', 'badtimeout');
SELECT * FROM pg_temp.outcome('jt-args', 'badtimeout');

--
-- Catch: the catcher's Output and Assign read $states.errorOutput; without
-- Output the state's output is the error output.
--
SELECT sfn_create_state_machine('jt-catch', $j$
{"QueryLanguage": "JSONata", "StartAt": "Charge", "States": {
  "Charge": {"Type": "Task", "Resource": "arn:aws:states:::sql:invoke",
    "Arguments": {"FunctionName": "jt.fail", "Payload": {"card": "{% $states.input.card %}"}},
    "Catch": [{"ErrorEquals": ["Declined"],
               "Output": {"error": "{% $states.errorOutput.Error %}",
                          "cause": "{% $states.errorOutput.Cause %}",
                          "card": "{% $states.input.card %}"},
               "Assign": {"failedCard": "{% $states.input.card %}"},
               "Next": "Report"}],
    "End": true},
  "Report": {"Type": "Pass",
    "Output": {"report": "{% $states.input %}", "variable": "{% $failedCard %}"},
    "End": true}}}
$j$);
CALL pg_temp.run('jt-catch', '{"card": "4111"}', 'e1');
SELECT * FROM pg_temp.outcome('jt-catch', 'e1');
SELECT type, details->'assignedVariables' AS assigned
FROM sfn_get_execution_history(pg_temp.arn('jt-catch', 'e1'))
WHERE type LIKE '%Exited' ORDER BY id;
SELECT sfn_create_state_machine('jt-catch-default', $j$
{"QueryLanguage": "JSONata", "StartAt": "Charge", "States": {
  "Charge": {"Type": "Task", "Resource": "arn:aws:states:::sql:invoke",
    "Arguments": {"FunctionName": "jt.fail", "Payload": {"card": "1"}},
    "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Done"}],
    "End": true},
  "Done": {"Type": "Succeed"}}}
$j$);
CALL pg_temp.run('jt-catch-default', '{}', 'e1');
SELECT * FROM pg_temp.outcome('jt-catch-default', 'e1');

--
-- A States.QueryEvaluationError in Arguments fails the state; a catcher
-- for it takes it like any error.
--
SELECT sfn_create_state_machine('jt-eval-error', $j$
{"QueryLanguage": "JSONata", "StartAt": "T", "States": {
  "T": {"Type": "Task", "Resource": "arn:aws:states:::sql:invoke",
    "Arguments": {"FunctionName": "jt.double", "Payload": {"n": "{% $states.input.missing %}"}},
    "End": true}}}
$j$);
CALL pg_temp.run('jt-eval-error', '{}', 'e1');
SELECT * FROM pg_temp.outcome('jt-eval-error', 'e1');
SELECT sfn_create_state_machine('jt-catch-eval', $j$
{"QueryLanguage": "JSONata", "StartAt": "T", "States": {
  "T": {"Type": "Task", "Resource": "arn:aws:states:::sql:invoke",
    "Arguments": {"FunctionName": "jt.double", "Payload": {"n": "{% $states.input.missing %}"}},
    "Catch": [{"ErrorEquals": ["States.QueryEvaluationError"],
               "Output": "{% $states.errorOutput.Error %}", "Next": "Done"}],
    "End": true},
  "Done": {"Type": "Succeed"}}}
$j$);
CALL pg_temp.run('jt-catch-eval', '{}', 'e1');
SELECT * FROM pg_temp.outcome('jt-catch-eval', 'e1');
SELECT * FROM pg_temp.events('jt-catch-eval', 'e1');

--
-- An Output that fails after the task succeeded: EvaluationFailed, then the
-- state's failure (or its catcher).
--
SELECT sfn_create_state_machine('jt-output-error', $j$
{"QueryLanguage": "JSONata", "StartAt": "T", "States": {
  "T": {"Type": "Task", "Resource": "arn:aws:states:::sql:invoke",
    "Arguments": {"FunctionName": "jt.double", "Payload": {"n": 1}},
    "Output": "{% $states.result.Payload.absent %}",
    "End": true}}}
$j$);
CALL pg_temp.run('jt-output-error', '{}', 'e1');
SELECT * FROM pg_temp.outcome('jt-output-error', 'e1');
SELECT * FROM pg_temp.events('jt-output-error', 'e1');
SELECT details->>'location' AS location FROM sfn_get_execution_history(pg_temp.arn('jt-output-error', 'e1'))
WHERE type = 'EvaluationFailed';

--
-- A nested execution from a JSONata Task (states:startExecution.sync:2):
-- Arguments name the child and its input; Output and Assign read the
-- child's output in $states.result.Output.  The child is JSONata too.
--
SELECT sfn_create_state_machine('jt-child', $j$
{"QueryLanguage": "JSONata", "StartAt": "Echo", "States": {
  "Echo": {"Type": "Pass", "Output": {"doubled": "{% $states.input.n * 2 %}"}, "End": true}}}
$j$) IS NOT NULL AS created;
SELECT sfn_create_state_machine('jt-parent', $j$
{"QueryLanguage": "JSONata", "StartAt": "Start", "States": {
  "Start": {"Type": "Task", "Resource": "arn:aws:states:::states:startExecution.sync:2",
    "Arguments": {"StateMachineArn": "arn:aws:states:us-east-1:123456789012:stateMachine:jt-child",
                  "Input": {"n": "{% $states.input.n %}"}},
    "Assign": {"childStatus": "{% $states.result.Status %}"},
    "Output": {"fromChild": "{% $states.result.Output.doubled %}"},
    "Next": "Show"},
  "Show": {"Type": "Pass", "Output": {"fromChild": "{% $states.input.fromChild %}",
                                     "status": "{% $childStatus %}"}, "End": true}}}
$j$) IS NOT NULL AS created;
CALL pg_temp.run('jt-parent', '{"n": 21}', 'e1');
SELECT * FROM pg_temp.outcome('jt-parent', 'e1');
