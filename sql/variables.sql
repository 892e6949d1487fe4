--
-- variables: workflow variables (Assign) in JSONPath and JSONata states,
-- as AWS's guide "Passing data between states with variables" describes
-- them: assigned when a state is left, read as $name (JSONPath paths,
-- payload templates, Choice rules; JSONata expressions), every Assign of a
-- state evaluated with the values the state was entered with, recorded in
-- the *StateExited event (assignedVariables), and kept with the thread.
--
\set SHOW_CONTEXT never
\i sql/include/exec_helpers.sql
-- The variables each *StateExited event records.
CREATE FUNCTION pg_temp.assigned(sm text, name text,
	OUT id bigint, OUT type text, OUT assigned jsonb, OUT details jsonb)
RETURNS SETOF record LANGUAGE sql AS $$
	SELECT id, type, details->'assignedVariables', details->'assignedVariablesDetails'
	FROM sfn_get_execution_history(pg_temp.arn(sm, name))
	WHERE type LIKE '%StateExited' ORDER BY id $$;

--
-- The guide's conversion example: the same Parameters in JSONPath and
-- Arguments in JSONata, given the input {"title": "Doctor"} and the
-- variable customerName assigned "María", produce the same payload.
--
SELECT sfn_create_state_machine('vars-jsonpath', $j$
{"StartAt": "Init", "States": {
  "Init": {"Type": "Pass", "Assign": {"customerName": "María"}, "Next": "Use"},
  "Use": {"Type": "Pass",
    "Parameters": {"static": "Hello", "title.$": "$.title",
                   "name.$": "$customerName", "not-evaluated": "$customerName"},
    "End": true}}}
$j$);
CALL pg_temp.run('vars-jsonpath', '{"title": "Doctor"}', 'e1');
SELECT * FROM pg_temp.outcome('vars-jsonpath', 'e1');
SELECT * FROM pg_temp.assigned('vars-jsonpath', 'e1');
SELECT sfn_create_state_machine('vars-jsonata', $j$
{"QueryLanguage": "JSONata", "StartAt": "Init", "States": {
  "Init": {"Type": "Pass", "Assign": {"customerName": "María"}, "Next": "Use"},
  "Use": {"Type": "Pass",
    "Output": {"static": "Hello", "title": "{% $states.input.title %}",
               "name": "{% $customerName %}", "not-evaluated": "$customerName"},
    "End": true}}}
$j$);
CALL pg_temp.run('vars-jsonata', '{"title": "Doctor"}', 'e1');
SELECT * FROM pg_temp.outcome('vars-jsonata', 'e1');

--
-- Every Assign and the Output of a state see the values of the state's
-- entry: swapping two variables needs no temporary.
--
SELECT sfn_create_state_machine('vars-swap', $j$
{"QueryLanguage": "JSONata", "StartAt": "Init", "States": {
  "Init": {"Type": "Pass", "Assign": {"x": 1, "y": 2}, "Next": "Swap"},
  "Swap": {"Type": "Pass", "Assign": {"x": "{% $y %}", "y": "{% $x %}", "sum": "{% $x + $y %}"},
           "Output": {"xDuringSwap": "{% $x %}"}, "Next": "Show"},
  "Show": {"Type": "Pass",
           "Output": {"x": "{% $x %}", "y": "{% $y %}", "sum": "{% $sum %}",
                      "input": "{% $states.input %}"}, "End": true}}}
$j$);
CALL pg_temp.run('vars-swap', '{}', 'e1');
SELECT * FROM pg_temp.outcome('vars-swap', 'e1');
SELECT * FROM pg_temp.assigned('vars-swap', 'e1');
-- The same in JSONPath: "name.$" takes a path, $ being the state's result.
SELECT sfn_create_state_machine('vars-swap-path', $j$
{"StartAt": "Init", "States": {
  "Init": {"Type": "Pass", "Result": {"a": 1, "b": 2}, "Assign": {"x.$": "$.a", "y.$": "$.b"},
           "ResultPath": null, "Next": "Swap"},
  "Swap": {"Type": "Pass", "Assign": {"x.$": "$y", "y.$": "$x", "fromInput.$": "$.k",
                                      "literal": {"n": 1}, "ctx.$": "$$.State.Name",
                                      "fn.$": "States.Format('{}-{}', $x, $y)"},
           "Next": "Show"},
  "Show": {"Type": "Pass",
           "Parameters": {"x.$": "$x", "y.$": "$y", "fromInput.$": "$fromInput",
                          "n.$": "$literal.n", "ctx.$": "$ctx", "fn.$": "$fn"},
           "End": true}}}
$j$);
CALL pg_temp.run('vars-swap-path', '{"k": "v"}', 'e1');
SELECT * FROM pg_temp.outcome('vars-swap-path', 'e1');
SELECT * FROM pg_temp.assigned('vars-swap-path', 'e1');

--
-- Mixed languages share the variables.
--
SELECT sfn_create_state_machine('vars-mixed', $j$
{"StartAt": "Ata", "States": {
  "Ata": {"Type": "Pass", "QueryLanguage": "JSONata",
          "Assign": {"items": "{% $states.input.items[price > 10] %}"}, "Next": "Path"},
  "Path": {"Type": "Pass", "Parameters": {"expensive.$": "$items[*].name",
                                          "count.$": "States.ArrayLength($items)"},
           "End": true}}}
$j$);
CALL pg_temp.run('vars-mixed', '{"items": [{"name": "a", "price": 5}, {"name": "b", "price": 15}, {"name": "c", "price": 25}]}', 'e1');
SELECT * FROM pg_temp.outcome('vars-mixed', 'e1');

--
-- Choice: a JSONPath rule may compare a variable, and a matched rule's
-- Assign applies (JSONPath and JSONata).
--
SELECT sfn_create_state_machine('vars-choice-path', $j$
{"StartAt": "Init", "States": {
  "Init": {"Type": "Pass", "Assign": {"limit": 10}, "Next": "C"},
  "C": {"Type": "Choice", "Choices": [
          {"Variable": "$.n", "NumericGreaterThanPath": "$limit",
           "Assign": {"verdict": "big", "seen.$": "$.n"}, "Next": "Done"}],
        "Default": "Done", "Assign": {"verdict": "small"}},
  "Done": {"Type": "Pass", "Parameters": {"verdict.$": "$verdict"}, "End": true}}}
$j$);
CALL pg_temp.run('vars-choice-path', '{"n": 11}', 'big');
CALL pg_temp.run('vars-choice-path', '{"n": 3}', 'small');
SELECT name, o.output FROM (VALUES ('big'), ('small')) v(name),
	pg_temp.outcome('vars-choice-path', name) o;
SELECT * FROM pg_temp.assigned('vars-choice-path', 'big');
SELECT sfn_create_state_machine('vars-choice-jsonata', $j$
{"QueryLanguage": "JSONata", "StartAt": "C", "States": {
  "C": {"Type": "Choice", "Choices": [
          {"Condition": "{% $states.input.n > 10 %}", "Assign": {"verdict": "big"},
           "Output": {"n": "{% $states.input.n %}"}, "Next": "Done"}],
        "Default": "Done", "Assign": {"verdict": "small"}},
  "Done": {"Type": "Pass", "Output": {"verdict": "{% $verdict %}", "input": "{% $states.input %}"},
           "End": true}}}
$j$);
CALL pg_temp.run('vars-choice-jsonata', '{"n": 11, "other": 1}', 'big');
CALL pg_temp.run('vars-choice-jsonata', '{"n": 3, "other": 1}', 'small');
SELECT name, o.output FROM (VALUES ('big'), ('small')) v(name),
	pg_temp.outcome('vars-choice-jsonata', name) o;

--
-- Variables live with the thread: they survive a Wait (a later
-- transaction, perhaps another worker).
--
SELECT sfn_create_state_machine('vars-wait', $j$
{"QueryLanguage": "JSONata", "StartAt": "Init", "States": {
  "Init": {"Type": "Pass", "Assign": {"kept": "{% $states.input %}"}, "Next": "W"},
  "W": {"Type": "Wait", "Seconds": 1, "Next": "Show"},
  "Show": {"Type": "Pass", "Output": "{% $kept %}", "End": true}}}
$j$);
CALL pg_temp.run('vars-wait', '{"deep": {"a": [1, 2]}}', 'e1');
SELECT * FROM pg_temp.outcome('vars-wait', 'e1');

--
-- A variable never assigned: JSONPath finds nothing (the path fails as a
-- missing input path does); JSONata's is undefined.
--
SELECT sfn_create_state_machine('vars-unassigned', $j$
{"StartAt": "P", "States": {
  "P": {"Type": "Pass", "Parameters": {"v.$": "$nope"}, "End": true}}}
$j$);
CALL pg_temp.run('vars-unassigned', '{}', 'e1');
SELECT * FROM pg_temp.outcome('vars-unassigned', 'e1');
SELECT sfn_create_state_machine('vars-unassigned-jsonata', $j$
{"QueryLanguage": "JSONata", "StartAt": "P", "States": {
  "P": {"Type": "Pass", "Output": {"v": "{% $nope %}"}, "End": true}}}
$j$);
CALL pg_temp.run('vars-unassigned-jsonata', '{}', 'e1');
SELECT * FROM pg_temp.outcome('vars-unassigned-jsonata', 'e1');

--
-- AWS's limit on one variable: 256 KiB.
--
SELECT sfn_create_state_machine('vars-too-big', $j$
{"QueryLanguage": "JSONata", "StartAt": "P", "States": {
  "P": {"Type": "Pass", "Assign": {"big": "{% $pad('', 270000, 'x') %}"}, "End": true}}}
$j$);
CALL pg_temp.run('vars-too-big', '{}', 'e1');
SELECT * FROM pg_temp.outcome('vars-too-big', 'e1');

--
-- A Task's Assign sees its result ($ in JSONPath: after ResultSelector).
--
CREATE FUNCTION public.vars_echo(p jsonb) RETURNS jsonb LANGUAGE sql AS $$ SELECT p $$;
SELECT sfn_create_state_machine('vars-task', $j$
{"StartAt": "T", "States": {
  "T": {"Type": "Task", "Resource": "arn:aws:states:::sql:invoke",
        "Parameters": {"FunctionName": "public.vars_echo", "Payload": {"id.$": "$.id"}},
        "ResultSelector": {"echoed.$": "$.Payload.id"},
        "Assign": {"fromResult.$": "$.echoed"},
        "ResultPath": "$.r", "Next": "Show"},
  "Show": {"Type": "Pass", "Parameters": {"v.$": "$fromResult", "r.$": "$.r"}, "End": true}}}
$j$);
CALL pg_temp.run('vars-task', '{"id": 42}', 'e1');
SELECT * FROM pg_temp.outcome('vars-task', 'e1');
SELECT sfn_create_state_machine('vars-task-jsonata', $j$
{"QueryLanguage": "JSONata", "StartAt": "T", "States": {
  "T": {"Type": "Task", "Resource": "arn:aws:states:::sql:invoke",
        "Arguments": {"FunctionName": "public.vars_echo", "Payload": {"id": "{% $states.input.id %}"}},
        "Assign": {"fromResult": "{% $states.result.Payload.id %}"},
        "Output": "{% $states.input %}", "Next": "Show"},
  "Show": {"Type": "Pass", "Output": {"v": "{% $fromResult %}", "in": "{% $states.input %}"}, "End": true}}}
$j$);
CALL pg_temp.run('vars-task-jsonata', '{"id": 43}', 'e1');
SELECT * FROM pg_temp.outcome('vars-task-jsonata', 'e1');

--
-- Validation: ResultPath cannot name a variable (Assign sets them); a
-- variable path is accepted wherever a path reads.
--
SELECT severity, code, location, message FROM sfn_validate_state_machine_definition($j$
{"StartAt": "P", "States": {"P": {"Type": "Pass", "ResultPath": "$x.y",
  "InputPath": "$x", "OutputPath": "$y.z", "Parameters": {"a.$": "$x[0]"}, "End": true}}}$j$);

--
-- A Choice state's own Assign and Output go with Default: a matched rule
-- without them assigns nothing and passes its input.
--
SELECT sfn_create_state_machine('vars-choice-default', $j$
{"QueryLanguage": "JSONata", "StartAt": "C", "States": {
  "C": {"Type": "Choice", "Choices": [
          {"Condition": "{% $states.input.n > 10 %}", "Next": "Done"}],
        "Default": "Done", "Assign": {"verdict": "default"}, "Output": {"wasDefault": true}},
  "Done": {"Type": "Pass", "Output": {"verdict": "{% $exists($verdict) ? $verdict : 'none' %}",
                                     "input": "{% $states.input %}"}, "End": true}}}
$j$);
CALL pg_temp.run('vars-choice-default', '{"n": 11}', 'rule');
CALL pg_temp.run('vars-choice-default', '{"n": 3}', 'default');
SELECT name, o.output FROM (VALUES ('rule'), ('default')) v(name),
	pg_temp.outcome('vars-choice-default', name) o;

--
-- A variable never assigned, read by a later state: the state fails with
-- States.QueryEvaluationError; the history has EvaluationFailed (whose
-- previousEventId is the Entered event's own, as AWS records it) and then
-- ExecutionFailed, both with the whole cause.
--
SELECT sfn_create_state_machine('vars-undefined-later', $j$
{"QueryLanguage": "JSONata", "StartAt": "One", "States": {
  "One": {"Type": "Pass", "Assign": {"defined": 1}, "Next": "Two"},
  "Two": {"Type": "Pass", "Next": "Three"},
  "Three": {"Type": "Pass", "Output": {"value": "{% $neverAssigned %}"}, "End": true}}}
$j$);
CALL pg_temp.run('vars-undefined-later', '{}', 'e1');
SELECT id, previous_event_id AS prev, type, details
FROM sfn_get_execution_history(pg_temp.arn('vars-undefined-later', 'e1'))
WHERE id >= 6 ORDER BY id;
