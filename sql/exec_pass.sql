--
-- exec_pass: running Pass states, and the JSONPath input/output processing
-- (InputPath, Parameters, ResultPath, OutputPath, the Context object and
-- intrinsic functions) as AWS documents it.
--
\set SHOW_CONTEXT never
-- Helpers (session-local).
-- run(): start an execution, commit so that the workers see it, and wait
-- (at most 10 s) until it is no longer RUNNING.
\i sql/include/exec_helpers.sql

--
-- "Pass workflow state": the No-op example.
--
SELECT sfn_create_state_machine('pass-doc-noop', $j$
{"StartAt": "No-op", "States": {
  "No-op": {"Type": "Pass",
    "Result": {"x-datum": 0.381018, "y-datum": 622.2269926397355},
    "ResultPath": "$.coords", "End": true}}}
$j$);
CALL pg_temp.run('pass-doc-noop', '{"georefOf": "Home"}', 'e1');
-- {"georefOf": "Home", "coords": {"x-datum": 0.381018, "y-datum": 622.2269926397355}}
SELECT * FROM pg_temp.outcome('pass-doc-noop', 'e1');
SELECT * FROM pg_temp.events('pass-doc-noop', 'e1');
-- The numbers keep their digits in the output text.
SELECT sfn_describe_execution(pg_temp.arn('pass-doc-noop', 'e1'))->>'output' LIKE '%622.2269926397355%' AS digits_kept;

--
-- A bare Pass copies its input; Result alone replaces it (ResultPath "$").
--
SELECT sfn_create_state_machine('pass-bare', $j$
{"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}
$j$);
CALL pg_temp.run('pass-bare', '{"a": 1, "b": [true, null, "x"]}', 'e1');
SELECT * FROM pg_temp.outcome('pass-bare', 'e1');
-- Scalar and array inputs are legal execution inputs and pass through.
CALL pg_temp.run('pass-bare', '42', 'scalar-number');
SELECT * FROM pg_temp.outcome('pass-bare', 'scalar-number');
CALL pg_temp.run('pass-bare', '"text"', 'scalar-string');
SELECT * FROM pg_temp.outcome('pass-bare', 'scalar-string');
CALL pg_temp.run('pass-bare', 'null', 'scalar-null');
SELECT * FROM pg_temp.outcome('pass-bare', 'scalar-null');
CALL pg_temp.run('pass-bare', '[1, 2, 3]', 'array');
SELECT * FROM pg_temp.outcome('pass-bare', 'array');

SELECT sfn_create_state_machine('pass-result-only', $j$
{"StartAt": "P", "States": {"P": {"Type": "Pass", "Result": {"r": [1, 2]}, "End": true}}}
$j$);
CALL pg_temp.run('pass-result-only', '{"a": 1}', 'e1');
SELECT * FROM pg_temp.outcome('pass-result-only', 'e1');
SELECT sfn_create_state_machine('pass-result-dollar', $j$
{"StartAt": "P", "States": {"P": {"Type": "Pass", "Result": "Hello, AWS Step Functions!", "ResultPath": "$", "End": true}}}
$j$);
CALL pg_temp.run('pass-result-dollar', '{"a": 1}', 'e1');
SELECT * FROM pg_temp.outcome('pass-result-dollar', 'e1');

--
-- "Specifying state output using ResultPath": the documented cases, with
-- the Lambda function's result "Hello, AWS Step Functions!" given as Result.
--
-- ResultPath null discards the result and keeps the input.
SELECT sfn_create_state_machine('pass-resultpath-null', $j$
{"StartAt": "P", "States": {"P": {"Type": "Pass", "Result": "Hello, AWS Step Functions!", "ResultPath": null, "End": true}}}
$j$);
CALL pg_temp.run('pass-resultpath-null', '{"comment": "This is a test of the input and output of a Task state.", "details": "Default example", "who": "AWS Step Functions"}', 'e1');
SELECT * FROM pg_temp.outcome('pass-resultpath-null', 'e1');
-- "$.taskresult" adds the result to the input.
SELECT sfn_create_state_machine('pass-resultpath-append', $j$
{"StartAt": "P", "States": {"P": {"Type": "Pass", "Result": "Hello, AWS Step Functions!", "ResultPath": "$.taskresult", "End": true}}}
$j$);
CALL pg_temp.run('pass-resultpath-append', '{"comment": "This is a test of the input and output of a Task state.", "details": "Default example", "who": "AWS Step Functions"}', 'e1');
SELECT * FROM pg_temp.outcome('pass-resultpath-append', 'e1');
-- "$.strings.lambdaresult" inserts it as a child of an existing node.
SELECT sfn_create_state_machine('pass-resultpath-child', $j$
{"StartAt": "P", "States": {"P": {"Type": "Pass", "Result": "Hello, AWS Step Functions!", "ResultPath": "$.strings.lambdaresult", "End": true}}}
$j$);
CALL pg_temp.run('pass-resultpath-child', '{"comment": "An input comment.", "strings": {"string1": "foo", "string2": "bar", "string3": "baz"}, "who": "AWS Step Functions"}', 'e1');
SELECT * FROM pg_temp.outcome('pass-resultpath-child', 'e1');
-- "$.comment" overwrites an existing node.
SELECT sfn_create_state_machine('pass-resultpath-amend', $j$
{"StartAt": "P", "States": {"P": {"Type": "Pass", "Result": "Hello, AWS Step Functions!", "ResultPath": "$.comment", "End": true}}}
$j$);
CALL pg_temp.run('pass-resultpath-amend', '{"comment": "This is a test of the input and output of a Task state.", "details": "Default example", "who": "AWS Step Functions"}', 'e1');
SELECT * FROM pg_temp.outcome('pass-resultpath-amend', 'e1');
-- Missing intermediate objects are created.
SELECT sfn_create_state_machine('pass-resultpath-create', $j$
{"StartAt": "P", "States": {"P": {"Type": "Pass", "Result": {"v": 1}, "ResultPath": "$.a.b.c", "End": true}}}
$j$);
CALL pg_temp.run('pass-resultpath-create', '{"x": 1}', 'e1');
SELECT * FROM pg_temp.outcome('pass-resultpath-create', 'e1');
CALL pg_temp.run('pass-resultpath-create', '{"x": 1, "a": {"keep": true}}', 'e2');
SELECT * FROM pg_temp.outcome('pass-resultpath-create', 'e2');
-- Without Result, the result of a Pass is its (effective) input.
SELECT sfn_create_state_machine('pass-resultpath-copy', $j$
{"StartAt": "P", "States": {"P": {"Type": "Pass", "ResultPath": "$.copy", "End": true}}}
$j$);
CALL pg_temp.run('pass-resultpath-copy', '{"a": 1}', 'e1');
SELECT * FROM pg_temp.outcome('pass-resultpath-copy', 'e1');

--
-- "Manipulate parameters": the InputPath example, the $.a[0:2] note, and
-- the Parameters example.
--
SELECT sfn_create_state_machine('pass-doc-inputpath', $j$
{"StartAt": "P", "States": {"P": {"Type": "Pass", "InputPath": "$.dataset2", "End": true}}}
$j$);
CALL pg_temp.run('pass-doc-inputpath', '{"comment": "Example for InputPath.", "dataset1": {"val1": 1, "val2": 2, "val3": 3}, "dataset2": {"val1": "a", "val2": "b", "val3": "c"}}', 'e1');
SELECT * FROM pg_temp.outcome('pass-doc-inputpath', 'e1');
SELECT sfn_create_state_machine('pass-doc-inputpath-slice', $j$
{"StartAt": "P", "States": {"P": {"Type": "Pass", "InputPath": "$.a[0:2]", "End": true}}}
$j$);
CALL pg_temp.run('pass-doc-inputpath-slice', '{"a": [1, 2, 3, 4]}', 'e1');
SELECT * FROM pg_temp.outcome('pass-doc-inputpath-slice', 'e1');
SELECT sfn_create_state_machine('pass-doc-parameters', $j$
{"StartAt": "P", "States": {"P": {"Type": "Pass",
  "Parameters": {
    "comment": "Selecting what I care about.",
    "MyDetails": {
      "size.$": "$.product.details.size",
      "exists.$": "$.product.availability",
      "StaticValue": "foo"}},
  "End": true}}}
$j$);
CALL pg_temp.run('pass-doc-parameters', '{"comment": "Example for Parameters.", "product": {"details": {"color": "blue", "size": "small", "material": "cotton"}, "availability": "in stock", "sku": "2317", "cost": "$23"}}', 'e1');
SELECT * FROM pg_temp.outcome('pass-doc-parameters', 'e1');

--
-- "InputPath, ResultPath and OutputPath Examples", with a Pass whose Result
-- stands for the Lambda result.  ResultPath works on the raw state input,
-- not on the InputPath selection.
--
SELECT sfn_create_state_machine('pass-doc-io-example', $j$
{"StartAt": "HelloWorld", "States": {"HelloWorld": {"Type": "Pass",
  "InputPath": "$.lambda", "Result": "Hello, AWS Step Functions!",
  "ResultPath": "$.data.lambdaresult", "OutputPath": "$.data", "End": true}}}
$j$);
CALL pg_temp.run('pass-doc-io-example', '{"comment": "An input comment.", "data": {"val1": 23, "val2": 17}, "extra": "foo", "lambda": {"who": "AWS Step Functions"}}', 'e1');
-- {"val1": 23, "val2": 17, "lambdaresult": "Hello, AWS Step Functions!"}
SELECT * FROM pg_temp.outcome('pass-doc-io-example', 'e1');
-- Without Result, the InputPath selection is the result.
SELECT sfn_create_state_machine('pass-inputpath-resultpath', $j$
{"StartAt": "P", "States": {"P": {"Type": "Pass",
  "InputPath": "$.lambda", "ResultPath": "$.data.copy", "OutputPath": "$.data", "End": true}}}
$j$);
CALL pg_temp.run('pass-inputpath-resultpath', '{"data": {"val1": 23}, "lambda": {"who": "AWS Step Functions"}}', 'e1');
SELECT * FROM pg_temp.outcome('pass-inputpath-resultpath', 'e1');
-- InputPath, then Parameters on the selection, then ResultPath on the raw input.
SELECT sfn_create_state_machine('pass-inputpath-parameters', $j$
{"StartAt": "P", "States": {"P": {"Type": "Pass",
  "InputPath": "$.product", "Parameters": {"sku.$": "$.sku", "fixed": 1},
  "ResultPath": "$.picked", "End": true}}}
$j$);
CALL pg_temp.run('pass-inputpath-parameters', '{"product": {"sku": "2317", "cost": "$23"}}', 'e1');
SELECT * FROM pg_temp.outcome('pass-inputpath-parameters', 'e1');

--
-- OutputPath and InputPath null: the ASL spec says the state then sees /
-- emits an empty object {}.
--
SELECT sfn_create_state_machine('pass-outputpath-null', $j$
{"StartAt": "P", "States": {"P": {"Type": "Pass", "OutputPath": null, "End": true}}}
$j$);
CALL pg_temp.run('pass-outputpath-null', '{"a": 1}', 'e1');
SELECT * FROM pg_temp.outcome('pass-outputpath-null', 'e1');
SELECT sfn_create_state_machine('pass-inputpath-null', $j$
{"StartAt": "P", "States": {"P": {"Type": "Pass", "InputPath": null, "ResultPath": "$.seen", "End": true}}}
$j$);
CALL pg_temp.run('pass-inputpath-null', '{"a": 1}', 'e1');
SELECT * FROM pg_temp.outcome('pass-inputpath-null', 'e1');
SELECT sfn_create_state_machine('pass-outputpath', $j$
{"StartAt": "P", "States": {"P": {"Type": "Pass", "Result": {"x": {"y": [10, 20]}}, "ResultPath": "$.r", "OutputPath": "$.r.x.y[1]", "End": true}}}
$j$);
CALL pg_temp.run('pass-outputpath', '{"a": 1}', 'e1');
SELECT * FROM pg_temp.outcome('pass-outputpath', 'e1');

--
-- Array and scalar inputs with paths.
--
SELECT sfn_create_state_machine('pass-array-input', $j$
{"StartAt": "P", "States": {"P": {"Type": "Pass",
  "Parameters": {"first.$": "$[0]", "all.$": "$", "names.$": "$[*].n"}, "End": true}}}
$j$);
CALL pg_temp.run('pass-array-input', '[{"n": "a"}, {"n": "b"}]', 'e1');
SELECT * FROM pg_temp.outcome('pass-array-input', 'e1');
SELECT sfn_create_state_machine('pass-scalar-parameters', $j$
{"StartAt": "P", "States": {"P": {"Type": "Pass",
  "Parameters": {"value.$": "$"}, "ResultPath": "$", "End": true}}}
$j$);
CALL pg_temp.run('pass-scalar-parameters', '7', 'e1');
SELECT * FROM pg_temp.outcome('pass-scalar-parameters', 'e1');

--
-- Parameters: nested objects, objects inside arrays, static values that look
-- like paths (no ".$": kept as they are), and a chain of states.
--
SELECT sfn_create_state_machine('pass-parameters-nested', $j$
{"StartAt": "First", "States": {
  "First": {"Type": "Pass",
    "Parameters": {
      "static": "$.not.a.path",
      "n": null, "t": true, "num": 1.5,
      "outer": {"inner": {"v.$": "$.a", "deep": {"w.$": "$.b.c"}}},
      "list": [1, {"x.$": "$.a"}, "s"],
      "whole.$": "$"},
    "Next": "Second"},
  "Second": {"Type": "Pass", "Parameters": {"got.$": "$.outer.inner.deep.w", "list.$": "$.list"}, "End": true}}}
$j$);
CALL pg_temp.run('pass-parameters-nested', '{"a": "A", "b": {"c": [1, 2]}}', 'e1');
SELECT * FROM pg_temp.outcome('pass-parameters-nested', 'e1');
SELECT sfn_create_state_machine('pass-parameters-first', $j$
{"StartAt": "First", "States": {
  "First": {"Type": "Pass",
    "Parameters": {
      "static": "$.not.a.path",
      "n": null, "t": true, "num": 1.5,
      "outer": {"inner": {"v.$": "$.a", "deep": {"w.$": "$.b.c"}}},
      "list": [1, {"x.$": "$.a"}, "s"],
      "whole.$": "$"},
    "End": true}}}
$j$);
CALL pg_temp.run('pass-parameters-first', '{"a": "A", "b": {"c": [1, 2]}}', 'e1');
SELECT * FROM pg_temp.outcome('pass-parameters-first', 'e1');
-- Parameters and Result together: Parameters is the effective input, but the
-- Result is the result.
SELECT sfn_create_state_machine('pass-parameters-result', $j$
{"StartAt": "P", "States": {"P": {"Type": "Pass",
  "Parameters": {"p.$": "$.a"}, "Result": {"r": 1}, "ResultPath": "$.out", "End": true}}}
$j$);
CALL pg_temp.run('pass-parameters-result', '{"a": 1}', 'e1');
SELECT * FROM pg_temp.outcome('pass-parameters-result', 'e1');

--
-- The Context object ("Accessing the Context object").
--
SELECT sfn_create_state_machine('pass-context', $j$
{"StartAt": "Get execution context data", "States": {
  "Get execution context data": {"Type": "Pass",
    "Parameters": {
      "startTime.$": "$$.Execution.StartTime",
      "execName.$": "$$.Execution.Name",
      "execId.$": "$$.Execution.Id",
      "input.$": "$$.Execution.Input",
      "smId.$": "$$.StateMachine.Id",
      "smName.$": "$$.StateMachine.Name",
      "stateName.$": "$$.State.Name",
      "enteredTime.$": "$$.State.EnteredTime",
      "redriveCount.$": "$$.Execution.RedriveCount"},
    "ResultPath": "$.executionContext",
    "Next": "Second"},
  "Second": {"Type": "Pass",
    "Parameters": {"ctx.$": "$$", "stateName.$": "$$.State.Name", "originalInput.$": "$$.Execution.Input",
      "msg.$": "States.Format('{} ran {}', $$.StateMachine.Name, $$.Execution.Name)"},
    "ResultPath": "$.second",
    "Next": "Third"},
  "Third": {"Type": "Pass", "InputPath": "$$.Execution.Input", "ResultPath": "$.again", "OutputPath": "$", "End": true}}}
$j$);
CALL pg_temp.run('pass-context', '{"key": "value"}', 'ctx1');
SELECT status FROM pg_temp.outcome('pass-context', 'ctx1');
SELECT (output->'executionContext') - '{startTime,enteredTime}'::text[] AS first_state,
       output->'executionContext'->>'startTime' ~ '^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$' AS start_time_iso,
       output->'executionContext'->>'enteredTime' ~ '^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$' AS entered_time_iso,
       output->'second'->>'stateName' AS second_state,
       output->'second'->'originalInput' AS original_input,
       output->'second'->>'msg' AS msg,
       output->'again' AS third_state
FROM pg_temp.outcome('pass-context', 'ctx1');
-- The keys of the whole Context object of a Pass state (no Task, no
-- State.RetryCount), and that StartTime matches the execution's startDate.
SELECT k, jsonb_typeof(output->'second'->'ctx'->k) AS t,
       (SELECT string_agg(kk, ',' ORDER BY kk) FROM jsonb_object_keys(output->'second'->'ctx'->k) kk) AS keys
FROM pg_temp.outcome('pass-context', 'ctx1'), jsonb_object_keys(output->'second'->'ctx') k ORDER BY k;
SELECT (o.output->'executionContext'->>'startTime')::timestamptz
       = date_trunc('milliseconds', (sfn_describe_execution(pg_temp.arn('pass-context', 'ctx1'))->>'startDate')::timestamptz) AS start_time_is_start_date,
       (o.output->'second'->'ctx'->'Execution'->>'RoleArn') LIKE 'arn:aws:iam::123456789012:role/%' AS role_arn
FROM pg_temp.outcome('pass-context', 'ctx1') o;

--
-- Intrinsic functions used from Parameters (the documented examples).
--
SELECT sfn_create_state_machine('pass-intrinsics', $j$
{"StartAt": "P", "States": {"P": {"Type": "Pass",
  "Parameters": {
    "format1.$": "States.Format('Hello, my name is {}.', $.name)",
    "format2.$": "States.Format($.template, $.name)",
    "foo.$": "States.Array('Foo', 2022, $.someJson, null)",
    "parsed.$": "States.StringToJson($.escapedJsonString)",
    "text.$": "States.JsonToString($.unescapedJson)",
    "partition.$": "States.ArrayPartition($.inputArray, 4)",
    "contains.$": "States.ArrayContains($.inputArray, $.lookingFor)",
    "range.$": "States.ArrayRange(1, 9, 2)",
    "item.$": "States.ArrayGetItem($.inputArray, $.index)",
    "length.$": "States.ArrayLength($.inputArray)",
    "unique.$": "States.ArrayUnique($.dupes)",
    "b64.$": "States.Base64Encode($.plain)",
    "decoded.$": "States.Base64Decode('RGF0YSB0byBlbmNvZGU=')",
    "hash.$": "States.Hash($.hashInput, 'SHA-1')",
    "merged.$": "States.JsonMerge($.json1, $.json2, false)",
    "sum.$": "States.MathAdd($.value1, $.step)",
    "split.$": "States.StringSplit($.inputString, $.splitter)",
    "nested.$": "States.ArrayGetItem(States.StringSplit($.arn, ':'), 3)"},
  "End": true}}}
$j$);
CALL pg_temp.run('pass-intrinsics', $i$ {
  "name": "Arnav", "template": "Hello, my name is {}.",
  "someJson": {"random": "abcdefg"}, "zebra": "stripe",
  "escapedJsonString": "{\"foo\": \"bar\"}",
  "unescapedJson": {"foo": "bar"},
  "inputArray": [1, 2, 3, 4, 5, 6, 7, 8, 9], "lookingFor": 5, "index": 5,
  "dupes": [1, 2, 3, 3, 3, 3, 3, 3, 4],
  "plain": "Data to encode",
  "hashInput": "input data",
  "json1": {"a": {"a1": 1, "a2": 2}, "common": {"c1": 1}},
  "json2": {"b": {"b1": 1, "b2": 2}, "common": {"c1": 1, "c2": 2}},
  "value1": 111, "step": -1,
  "inputString": "1,2,3,4,5", "splitter": ",",
  "arn": "arn:aws:states:us-east-1:123456789012"} $i$, 'e1');
SELECT status, error, cause FROM pg_temp.outcome('pass-intrinsics', 'e1');
SELECT k, output->k AS v FROM pg_temp.outcome('pass-intrinsics', 'e1'), jsonb_object_keys(output) k ORDER BY k;

--
-- Runtime errors: States.Runtime with the cause
-- "An error occurred while executing the state '<S>' (entered at the event id #<N>). <detail>",
-- no PassStateExited, and ExecutionFailed pointing at the Entered event.
--
SELECT sfn_create_state_machine('pass-err-inputpath', $j$
{"StartAt": "pass", "States": {"pass": {"Type": "Pass", "InputPath": "$.NoSuchInputPath", "End": true}}}
$j$);
CALL pg_temp.run('pass-err-inputpath', '{"a": 1}', 'e1');
SELECT * FROM pg_temp.outcome('pass-err-inputpath', 'e1');
SELECT * FROM pg_temp.events('pass-err-inputpath', 'e1');
SELECT sfn_create_state_machine('pass-err-outputpath', $j$
{"StartAt": "pass", "States": {"pass": {"Type": "Pass", "OutputPath": "$.NoSuchOutputPath", "End": true}}}
$j$);
CALL pg_temp.run('pass-err-outputpath', '{"a": 1}', 'e1');
SELECT * FROM pg_temp.outcome('pass-err-outputpath', 'e1');
SELECT * FROM pg_temp.events('pass-err-outputpath', 'e1');
SELECT sfn_create_state_machine('pass-err-outputpath-deep', $j$
{"StartAt": "pass", "States": {"pass": {"Type": "Pass", "OutputPath": "$.no.such.result.path", "End": true}}}
$j$);
CALL pg_temp.run('pass-err-outputpath-deep', '{"a": 1}', 'e1');
SELECT * FROM pg_temp.outcome('pass-err-outputpath-deep', 'e1');
-- A Parameters path that does not resolve (AWS: States.Runtime, not
-- States.ParameterPathFailure); the input is quoted as compact JSON.
SELECT sfn_create_state_machine('pass-err-parameters', $j$
{"StartAt": "pass", "States": {"pass": {"Type": "Pass", "Parameters": {"value.$": "$.no_such_jsonpath"}, "End": true}}}
$j$);
CALL pg_temp.run('pass-err-parameters', '{"a": 1}', 'e1');
SELECT * FROM pg_temp.outcome('pass-err-parameters', 'e1');
SELECT * FROM pg_temp.events('pass-err-parameters', 'e1');
-- In a nested object, in a second state (entered at event #4).
SELECT sfn_create_state_machine('pass-err-parameters-nested', $j$
{"StartAt": "One", "States": {
  "One": {"Type": "Pass", "Next": "Two"},
  "Two": {"Type": "Pass", "Parameters": {"outer": {"x.$": "$.missing"}}, "End": true}}}
$j$);
CALL pg_temp.run('pass-err-parameters-nested', '{"flagged": false}', 'e1');
SELECT * FROM pg_temp.outcome('pass-err-parameters-nested', 'e1');
SELECT * FROM pg_temp.events('pass-err-parameters-nested', 'e1');
-- ResultPath into a value that is not an object: States.ResultPathMatchFailure
-- (AWS's cause text is not documented, so only the error is checked).
SELECT sfn_create_state_machine('pass-err-resultpath', $j$
{"StartAt": "pass", "States": {"pass": {"Type": "Pass", "Result": 1, "ResultPath": "$.r", "End": true}}}
$j$);
CALL pg_temp.run('pass-err-resultpath', '42', 'scalar');
SELECT status, error FROM pg_temp.outcome('pass-err-resultpath', 'scalar');
SELECT * FROM pg_temp.events('pass-err-resultpath', 'scalar');
CALL pg_temp.run('pass-err-resultpath', '["a"]', 'array');
SELECT status, error FROM pg_temp.outcome('pass-err-resultpath', 'array');
SELECT sfn_create_state_machine('pass-err-resultpath-deep', $j$
{"StartAt": "pass", "States": {"pass": {"Type": "Pass", "Result": 1, "ResultPath": "$.a.b", "End": true}}}
$j$);
CALL pg_temp.run('pass-err-resultpath-deep', '{"a": "string"}', 'e1');
SELECT status, error FROM pg_temp.outcome('pass-err-resultpath-deep', 'e1');
