--
-- jsonata_states: states in the JSONata query language (issue 9):
-- QueryLanguage per state, Arguments, Output, Assign, Condition, Wait,
-- Fail and Task fields given as "{% %}" expressions, $states, and the
-- errors AWS reports, at validation and at run time.
--
-- Examples follow AWS's guide ("Transforming data with JSONata in Step
-- Functions", "Processing input and output in Step Functions"); messages
-- that AWS's ValidateStateMachineDefinition returns are AWS's own.
--
\set SHOW_CONTEXT never
\set v 'SELECT severity, code, location, message FROM sfn_validate_state_machine_definition'
\i sql/include/exec_helpers.sql

--
-- Validation
--
-- JSONata at the top level or per state is accepted.
:v($${"StartAt": "A", "QueryLanguage": "JSONata", "States": {"A": {"Type": "Succeed"}}}$$);
:v($${"StartAt": "A", "States": {"A": {"Type": "Pass", "QueryLanguage": "JSONata",
      "Output": "{% $states.input %}", "End": true}}}$$);
-- A JSONata machine cannot have a JSONPath state (the other way is fine).
:v($${"StartAt": "A", "QueryLanguage": "JSONata", "States": {"A": {"Type": "Pass",
      "QueryLanguage": "JSONPath", "InputPath": "$.a", "End": true}}}$$);
-- Fields of the other language, each reported at the state.
:v($${"StartAt": "A", "QueryLanguage": "JSONata", "States": {"A": {"Type": "Task",
      "Resource": "arn:aws:states:::lambda:invoke", "InputPath": "$.a",
      "Parameters": {"x.$": "$.b"}, "ResultSelector": {"y.$": "$.c"},
      "ResultPath": "$.d", "OutputPath": "$.e", "TimeoutSecondsPath": "$.t",
      "End": true}}}$$);
:v($${"StartAt": "A", "States": {"A": {"Type": "Pass", "Output": {"a": 1},
      "Next": "B"}, "B": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
      "Arguments": {"a": 1}, "End": true}}}$$);
-- Pass has no Arguments in either language; Fail has no Output.
:v($${"StartAt": "A", "QueryLanguage": "JSONata", "States": {"A": {"Type": "Pass",
      "Arguments": {}, "Next": "F"}, "F": {"Type": "Fail", "Output": {}}}}$$);
-- Syntax errors in expressions, anywhere in a value, each with its field.
:v($${"StartAt": "A", "QueryLanguage": "JSONata", "States": {"A": {"Type": "Pass",
      "Output": {"a": ["x", "{% $states.input.( %}"], "b": "{% 1 + %}"},
      "Assign": {"v": "{% ] %}"}, "End": true}}}$$);
-- Choice rules: Condition (boolean or expression) and Next; no Variable.
:v($${"StartAt": "C", "QueryLanguage": "JSONata", "States": {"C": {"Type": "Choice",
      "Choices": [{"Condition": "yes", "Next": "S"},
                  {"Variable": "$.a", "BooleanEquals": true, "Next": "S"},
                  {"Condition": true}], "Default": "S"},
      "S": {"Type": "Succeed"}}}$$);
-- Variable names: letters, digits and underscores; "states" is reserved.
:v($${"StartAt": "A", "States": {"A": {"Type": "Pass",
      "Assign": {"ok_1": 1, "1bad": 2, "states": 3, "a-b.$": "$.x", "fine.$": "$.y"},
      "End": true}}}$$);
:v($${"StartAt": "A", "States": {"A": {"Type": "Pass", "Assign": [1], "End": true}}}$$);
-- Wait, Task and Fail fields as expressions; a literal is still checked.
:v($${"StartAt": "W", "QueryLanguage": "JSONata", "States": {
      "W": {"Type": "Wait", "Seconds": "{% $states.input.n %}", "Next": "T"},
      "T": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
            "TimeoutSeconds": "{% 10 %}", "HeartbeatSeconds": "{% 5 %}", "Next": "W2"},
      "W2": {"Type": "Wait", "Seconds": -1, "Next": "F"},
      "F": {"Type": "Fail", "Error": "{% 'E' & $states.input.n %}", "Cause": "plain"}}}$$);

--
-- Pass: Output over $states.input; without Output the input passes.
--
SELECT sfn_create_state_machine('jsonata-pass', $j$
{"QueryLanguage": "JSONata", "StartAt": "Shape", "States": {
  "Shape": {"Type": "Pass",
    "Output": {"static": "Hello", "title": "{% $states.input.title %}",
               "upper": "{% $uppercase($states.input.title) %}",
               "list": ["{% $count($states.input.tags) %}", "not-evaluated: $x", 7],
               "notExpr": "$states.input"},
    "Next": "Same"},
  "Same": {"Type": "Pass", "End": true}}}
$j$);
CALL pg_temp.run('jsonata-pass', '{"title": "Doctor", "tags": ["a", "b"]}', 'e1');
SELECT * FROM pg_temp.outcome('jsonata-pass', 'e1');
-- Output may be one expression of any type.
SELECT sfn_create_state_machine('jsonata-pass-scalar', $j$
{"QueryLanguage": "JSONata", "StartAt": "P", "States": {
  "P": {"Type": "Pass", "Output": "{% $sum($states.input.n) %}", "End": true}}}
$j$);
CALL pg_temp.run('jsonata-pass-scalar', '{"n": [1, 2, 3.5]}', 'e1');
SELECT * FROM pg_temp.outcome('jsonata-pass-scalar', 'e1');

-- $states.context: the context object, as $$ in JSONPath.
SELECT sfn_create_state_machine('jsonata-context', $j$
{"QueryLanguage": "JSONata", "StartAt": "P", "States": {
  "P": {"Type": "Pass", "Output": {
     "name": "{% $states.context.Execution.Name %}",
     "state": "{% $states.context.State.Name %}",
     "input": "{% $states.context.Execution.Input %}"}, "End": true}}}
$j$);
CALL pg_temp.run('jsonata-context', '{"k": 1}', 'ctx1');
SELECT * FROM pg_temp.outcome('jsonata-context', 'ctx1');

--
-- Mixed: a JSONata state in a JSONPath machine, both ways of reading.
--
SELECT sfn_create_state_machine('jsonata-mixed', $j$
{"StartAt": "Path", "States": {
  "Path": {"Type": "Pass", "Parameters": {"v.$": "$.a"}, "ResultPath": "$.p", "Next": "Ata"},
  "Ata": {"Type": "Pass", "QueryLanguage": "JSONata",
          "Output": {"sum": "{% $states.input.a + $states.input.p.v %}"}, "Next": "Back"},
  "Back": {"Type": "Pass", "InputPath": "$.sum", "End": true}}}
$j$);
CALL pg_temp.run('jsonata-mixed', '{"a": 20}', 'e1');
SELECT * FROM pg_temp.outcome('jsonata-mixed', 'e1');

--
-- Choice: the first rule whose Condition is true; Default otherwise.
--
SELECT sfn_create_state_machine('jsonata-choice', $j$
{"QueryLanguage": "JSONata", "StartAt": "C", "States": {
  "C": {"Type": "Choice",
    "Choices": [
      {"Condition": "{% $states.input.type = 'Private' %}", "Next": "Private"},
      {"Condition": "{% $states.input.value > 20 and $states.input.value < 30 %}", "Next": "Range"},
      {"Condition": false, "Next": "Never"}],
    "Default": "Other"},
  "Private": {"Type": "Pass", "Output": "private", "End": true},
  "Range": {"Type": "Pass", "Output": "range", "End": true},
  "Never": {"Type": "Pass", "Output": "never", "End": true},
  "Other": {"Type": "Pass", "Output": "{% 'other ' & $string($states.input.value) %}", "End": true}}}
$j$);
CALL pg_temp.run('jsonata-choice', '{"type": "Private", "value": 1}', 'private');
CALL pg_temp.run('jsonata-choice', '{"type": "Public", "value": 25}', 'range');
CALL pg_temp.run('jsonata-choice', '{"type": "Public", "value": 30}', 'other');
SELECT name, o.output FROM (VALUES ('private'), ('range'), ('other')) v(name),
	pg_temp.outcome('jsonata-choice', name) o;
-- A Condition that is not a boolean is a States.QueryEvaluationError.
CALL pg_temp.run('jsonata-choice', '{"type": 1, "value": "x"}', 'bad');
SELECT * FROM pg_temp.outcome('jsonata-choice', 'bad');

--
-- Run-time errors: an expression that returns nothing, one that fails.
--
SELECT sfn_create_state_machine('jsonata-undefined', $j$
{"QueryLanguage": "JSONata", "StartAt": "P", "States": {
  "P": {"Type": "Pass", "Output": {"v": {"w": ["{% $states.input.absent %}"]}}, "End": true}}}
$j$);
CALL pg_temp.run('jsonata-undefined', '{}', 'e1');
SELECT * FROM pg_temp.outcome('jsonata-undefined', 'e1');
-- AWS records EvaluationFailed (the state, the field, the cause) before
-- the failure.
SELECT id, previous_event_id, type, details
FROM sfn_get_execution_history(pg_temp.arn('jsonata-undefined', 'e1'))
WHERE type IN ('EvaluationFailed', 'ExecutionFailed') ORDER BY id;
SELECT sfn_create_state_machine('jsonata-eval-error', $j$
{"QueryLanguage": "JSONata", "StartAt": "P", "States": {
  "P": {"Type": "Pass", "Output": "{% $states.input.s + 1 %}", "End": true}}}
$j$);
CALL pg_temp.run('jsonata-eval-error', '{"s": "text"}', 'e1');
SELECT * FROM pg_temp.outcome('jsonata-eval-error', 'e1');
-- null is a value, not nothing.
CALL pg_temp.run('jsonata-undefined', '{"absent": null}', 'null');
SELECT * FROM pg_temp.outcome('jsonata-undefined', 'null');

--
-- Wait: Seconds and Timestamp as expressions.
--
SELECT sfn_create_state_machine('jsonata-wait', $j$
{"QueryLanguage": "JSONata", "StartAt": "W", "States": {
  "W": {"Type": "Wait", "Seconds": "{% $states.input.n %}", "Next": "T"},
  "T": {"Type": "Wait", "Timestamp": "{% $states.input.ts %}",
        "Output": {"waited": true}, "End": true}}}
$j$);
CALL pg_temp.run('jsonata-wait', '{"n": 0, "ts": "2020-01-01T00:00:00Z"}', 'e1');
SELECT * FROM pg_temp.outcome('jsonata-wait', 'e1');
CALL pg_temp.run('jsonata-wait', '{"n": -3, "ts": "2020-01-01T00:00:00Z"}', 'negative');
SELECT * FROM pg_temp.outcome('jsonata-wait', 'negative');
CALL pg_temp.run('jsonata-wait', '{"n": 0, "ts": "yesterday"}', 'badts');
SELECT * FROM pg_temp.outcome('jsonata-wait', 'badts');

--
-- Succeed with Output; Fail with Error and Cause expressions.
--
SELECT sfn_create_state_machine('jsonata-succeed', $j$
{"QueryLanguage": "JSONata", "StartAt": "S", "States": {
  "S": {"Type": "Succeed", "Output": {"done": "{% $states.input.id %}"}}}}
$j$);
CALL pg_temp.run('jsonata-succeed', '{"id": 7}', 'e1');
SELECT * FROM pg_temp.outcome('jsonata-succeed', 'e1');
SELECT sfn_create_state_machine('jsonata-fail', $j$
{"QueryLanguage": "JSONata", "StartAt": "F", "States": {
  "F": {"Type": "Fail", "Error": "{% $states.input.code %}",
        "Cause": "{% 'order ' & $string($states.input.order) & ' failed' %}"}}}
$j$);
CALL pg_temp.run('jsonata-fail', '{"code": "Custom.Declined", "order": 12}', 'e1');
SELECT * FROM pg_temp.outcome('jsonata-fail', 'e1');
-- Error and Cause must be strings.
CALL pg_temp.run('jsonata-fail', '{"code": 5, "order": 12}', 'notstring');
SELECT * FROM pg_temp.outcome('jsonata-fail', 'notstring');

--
-- What an expression may read: a JSONata state has no context item (its
-- input is $states.input), no $$, and $states.result / errorOutput only
-- where they exist.  Names in later path steps, predicates and lambdas'
-- parameters are fine; a lambda body reads the top level.
--
:v($j${"StartAt": "E", "QueryLanguage": "JSONata", "States": {"E": {"Type": "Pass",
      "Output": {"v": "{% phone %}", "w": "{% $$.x %}",
                 "ok": "{% $states.input.items[value > 3].name %}",
                 "lambda": "{% $map($states.input.a, function($x){ b }) %}"},
      "Next": "T"},
  "T": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
        "Arguments": {"r": "{% $states.result %}"},
        "Output": {"r": "{% $states.result.Payload %}", "e": "{% $states.errorOutput %}"},
        "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "S",
                   "Output": "{% $states.errorOutput.Cause %}",
                   "Assign": {"r": "{% $states.result %}"}}],
        "End": true},
  "S": {"Type": "Succeed"}}}$j$);
