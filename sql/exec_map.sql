--
-- exec_map: inline Map states in executions.  Each iteration is a thread
-- of its own (engine/threads.c); the output is the array of the
-- iterations' outputs in item order (AWS "Map state in inline mode").
--
\set SHOW_CONTEXT never
\i sql/include/exec_helpers.sql

--
-- ItemsPath, ItemSelector with $$.Map.Item.Index and $$.Map.Item.Value,
-- and an ItemProcessor of two states.
--
SELECT sfn_create_state_machine('map-basic', $j$
{"StartAt": "M", "States": {
  "M": {"Type": "Map", "ItemsPath": "$.items",
    "ItemSelector": {"i.$": "$$.Map.Item.Index", "v.$": "$$.Map.Item.Value", "k.$": "$.k"},
    "ItemProcessor": {"StartAt": "A", "States": {
      "A": {"Type": "Pass", "Parameters": {"sum.$": "States.MathAdd($.i, $.v)", "k.$": "$.k"}, "Next": "B"},
      "B": {"Type": "Pass", "End": true}}},
    "End": true}}}
$j$);
CALL pg_temp.run('map-basic', '{"k": "x", "items": [10, 20, 30]}', 'e1');
-- [{"sum": 10, "k": "x"}, {"sum": 21, "k": "x"}, {"sum": 32, "k": "x"}]
SELECT * FROM pg_temp.outcome('map-basic', 'e1');
-- MapStateEntered, MapStateStarted (length 3), per iteration
-- MapIterationStarted, its states, MapIterationSucceeded (name, index),
-- then MapStateSucceeded, MapStateExited.
SELECT * FROM pg_temp.events('map-basic', 'e1');
SELECT type, details FROM sfn_get_execution_history(pg_temp.arn('map-basic', 'e1'))
 WHERE type IN ('MapStateStarted', 'MapIterationStarted', 'MapIterationSucceeded') ORDER BY id;

--
-- The older fields: Iterator and Parameters (as ItemSelector); with no
-- ItemsPath the input itself is the array; an empty array gives [].
--
SELECT sfn_create_state_machine('map-old', $j$
{"StartAt": "M", "States": {
  "M": {"Type": "Map", "Parameters": {"n.$": "$$.Map.Item.Value"},
    "Iterator": {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}},
    "End": true}}}
$j$);
CALL pg_temp.run('map-old', '[1, 2]', 'e1');
SELECT * FROM pg_temp.outcome('map-old', 'e1');
CALL pg_temp.run('map-old', '[]', 'empty');
SELECT * FROM pg_temp.outcome('map-old', 'empty');
SELECT * FROM pg_temp.events('map-old', 'empty');
-- An Iterator with ProcessorConfig INLINE, as AWS accepts
SELECT sfn_create_state_machine('map-iter-config', $j$
{"StartAt": "M", "States": {
  "M": {"Type": "Map",
    "Iterator": {"ProcessorConfig": {"Mode": "INLINE"},
      "StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}},
    "End": true}}}
$j$);
CALL pg_temp.run('map-iter-config', '["a", "b"]', 'e1');
SELECT * FROM pg_temp.outcome('map-iter-config', 'e1');

--
-- MaxConcurrency 1: strictly one iteration after the other, in order.
--
SELECT sfn_create_state_machine('map-serial', $j$
{"StartAt": "M", "States": {
  "M": {"Type": "Map", "MaxConcurrency": 1, "ItemsPath": "$.items",
    "ItemProcessor": {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}},
    "ResultSelector": {"n.$": "States.ArrayLength($)", "all.$": "$"},
    "ResultPath": "$.r", "OutputPath": "$.r", "End": true}}}
$j$);
CALL pg_temp.run('map-serial', '{"items": [1, 2, 3]}', 'e1');
-- {"n": 3, "all": [1, 2, 3]}
SELECT * FROM pg_temp.outcome('map-serial', 'e1');
SELECT * FROM pg_temp.events('map-serial', 'e1');

--
-- 100 items, MaxConcurrency 7, iterations that need no waiting: the output
-- keeps the item order; each iteration started and succeeded once; one
-- iteration runs after the other (the next starts when one ends or
-- waits), as AWS's histories of such Maps show.
--
SELECT sfn_create_state_machine('map-many', $j$
{"StartAt": "M", "States": {
  "M": {"Type": "Map", "MaxConcurrency": 7,
    "ItemProcessor": {"StartAt": "W", "States": {
      "W": {"Type": "Wait", "Seconds": 0, "Next": "P"},
      "P": {"Type": "Pass", "Parameters": {"x.$": "States.MathAdd($, 1000)"}, "End": true}}},
    "End": true}}}
$j$);
SELECT jsonb_agg(i) AS items FROM generate_series(0, 99) i \gset
CALL pg_temp.run('map-many', :'items', 'e1');
SELECT status, output = (SELECT jsonb_agg(jsonb_build_object('x', i + 1000) ORDER BY i)
                         FROM generate_series(0, 99) i) AS in_order
  FROM pg_temp.outcome('map-many', 'e1');
SELECT type, count(*), count(DISTINCT details->>'index') AS indexes
  FROM sfn_get_execution_history(pg_temp.arn('map-many', 'e1'))
 WHERE type LIKE 'MapIteration%' GROUP BY type ORDER BY type;
-- event ids are contiguous
SELECT count(*) = max(id) AS contiguous FROM sfn_get_execution_history(pg_temp.arn('map-many', 'e1'));
-- iterations in index order, one at a time
SELECT bool_and(details->>'index' = (n - 1)::text) AS in_index_order FROM (
  SELECT details, row_number() OVER (ORDER BY id) AS n
  FROM sfn_get_execution_history(pg_temp.arn('map-many', 'e1'))
  WHERE type = 'MapIterationStarted') s;

--
-- Iterations that wait overlap, never more than MaxConcurrency: 15 items
-- waiting 1 s each, MaxConcurrency 7.
--
SELECT sfn_create_state_machine('map-conc', $j$
{"StartAt": "M", "States": {
  "M": {"Type": "Map", "MaxConcurrency": 7,
    "ItemProcessor": {"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 1, "End": true}}},
    "End": true}}}
$j$);
SELECT jsonb_agg(i) AS items FROM generate_series(0, 14) i \gset
CALL pg_temp.run('map-conc', :'items', 'e1');
SELECT status, output = :'items'::jsonb AS same_items FROM pg_temp.outcome('map-conc', 'e1');
SELECT max(running) AS max_running FROM (
  SELECT sum(CASE type WHEN 'MapIterationStarted' THEN 1 ELSE -1 END) OVER (ORDER BY id) AS running
  FROM sfn_get_execution_history(pg_temp.arn('map-conc', 'e1'))
  WHERE type LIKE 'MapIteration%') s;

--
-- MaxConcurrencyPath
--
SELECT sfn_create_state_machine('map-mcpath', $j$
{"StartAt": "M", "States": {
  "M": {"Type": "Map", "ItemsPath": "$.items", "MaxConcurrencyPath": "$.mc",
    "ItemProcessor": {"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 1, "End": true}}},
    "End": true}}}
$j$);
CALL pg_temp.run('map-mcpath', '{"items": [1, 2, 3], "mc": 2}', 'e1');
SELECT * FROM pg_temp.outcome('map-mcpath', 'e1');
SELECT max(running) AS max_running FROM (
  SELECT sum(CASE type WHEN 'MapIterationStarted' THEN 1 ELSE -1 END) OVER (ORDER BY id) AS running
  FROM sfn_get_execution_history(pg_temp.arn('map-mcpath', 'e1'))
  WHERE type LIKE 'MapIteration%') s;
-- not a non-negative integer: States.Runtime
CALL pg_temp.run('map-mcpath', '{"items": [1], "mc": -1}', 'neg');
SELECT * FROM pg_temp.outcome('map-mcpath', 'neg');
CALL pg_temp.run('map-mcpath', '{"items": [1], "mc": "two"}', 'text');
SELECT * FROM pg_temp.outcome('map-mcpath', 'text');

--
-- Items that are not an array: States.Runtime.
--
SELECT sfn_create_state_machine('map-not-array', $j$
{"StartAt": "M", "States": {
  "M": {"Type": "Map", "ItemsPath": "$.items",
    "ItemProcessor": {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}},
    "End": true}}}
$j$);
CALL pg_temp.run('map-not-array', '{"items": {"a": 1}}', 'e1');
SELECT * FROM pg_temp.outcome('map-not-array', 'e1');
SELECT * FROM pg_temp.events('map-not-array', 'e1');

--
-- An iteration that fails stops the others and fails the state with its
-- error and cause; Catch sees that error.
--
SELECT sfn_create_state_machine('map-fail', $j$
{"StartAt": "M", "States": {
  "M": {"Type": "Map", "MaxConcurrency": 2,
    "ItemProcessor": {"StartAt": "C", "States": {
      "C": {"Type": "Choice", "Choices": [{"Variable": "$", "NumericEquals": 1, "Next": "F"}], "Default": "W"},
      "W": {"Type": "Wait", "Seconds": 3600, "End": true},
      "F": {"Type": "Fail", "Error": "Bad", "Cause": "item 1"}}},
    "End": true}}}
$j$);
CALL pg_temp.run('map-fail', '[0, 1, 2]', 'e1');
SELECT * FROM pg_temp.outcome('map-fail', 'e1');
SELECT * FROM pg_temp.events('map-fail', 'e1');
SELECT sfn_create_state_machine('map-catch', $j$
{"StartAt": "M", "States": {
  "M": {"Type": "Map", "ItemsPath": "$.items",
    "ItemProcessor": {"StartAt": "F", "States": {"F": {"Type": "Fail", "Error": "Bad", "Cause": "no"}}},
    "Catch": [{"ErrorEquals": ["States.ALL"], "ResultPath": "$.error", "Next": "Handled"}],
    "End": true},
  "Handled": {"Type": "Pass", "End": true}}}
$j$);
CALL pg_temp.run('map-catch', '{"items": 1}', 'e1');
CALL pg_temp.run('map-catch', '{"items": [5]}', 'e2');
-- States.Runtime (not an array) is not caught: it fails the execution
SELECT * FROM pg_temp.outcome('map-catch', 'e1');
-- {"items": [5], "error": {"Error": "Bad", "Cause": "no"}}
SELECT * FROM pg_temp.outcome('map-catch', 'e2');
SELECT * FROM pg_temp.events('map-catch', 'e2');

--
-- Retry re-runs every iteration: a SQL task that fails on its first call.
--
-- (A failed call's insert rolls back with it; the sequence counts calls.)
CREATE TABLE map_runs (item int);
CREATE SEQUENCE map_calls;
CREATE FUNCTION map_flaky(input jsonb) RETURNS jsonb LANGUAGE plpgsql AS $$
BEGIN
	IF nextval('public.map_calls') = 2 THEN
		RAISE EXCEPTION 'SecondCallFails' USING ERRCODE = 'SF900';
	END IF;
	INSERT INTO public.map_runs VALUES ((input->>'item')::int);
	RETURN input;
END $$;
GRANT INSERT, SELECT ON map_runs TO PUBLIC;
GRANT USAGE ON SEQUENCE map_calls TO PUBLIC;
SELECT sfn_create_state_machine('map-retry', $j$
{"StartAt": "M", "States": {
  "M": {"Type": "Map", "MaxConcurrency": 1,
    "Retry": [{"ErrorEquals": ["States.ALL"], "IntervalSeconds": 1, "MaxAttempts": 1}],
    "ItemSelector": {"item.$": "$$.Map.Item.Value"},
    "ItemProcessor": {"StartAt": "T", "States": {
      "T": {"Type": "Task", "Resource": "arn:aws:states:::sql:invoke",
        "Parameters": {"FunctionName": "public.map_flaky", "Payload.$": "$"},
        "OutputPath": "$.Payload.item", "End": true}}},
    "End": true}}}
$j$);
CALL pg_temp.run('map-retry', '[1, 2, 3]', 'e1');
-- [1, 2, 3]
SELECT * FROM pg_temp.outcome('map-retry', 'e1');
-- item 1, then (item 2 failed) 1, 2 and 3 again
SELECT array_agg(item) AS calls FROM map_runs;
SELECT * FROM pg_temp.events('map-retry', 'e1');

--
-- Nested: a Map in a Map, and a Parallel in a Map.
--
SELECT sfn_create_state_machine('map-nested', $j$
{"StartAt": "Outer", "States": {
  "Outer": {"Type": "Map", "End": true,
    "ItemProcessor": {"StartAt": "Inner", "States": {
      "Inner": {"Type": "Map", "Next": "Both",
        "ItemProcessor": {"StartAt": "Double", "States": {
          "Double": {"Type": "Pass", "Parameters": {"v.$": "States.MathAdd($, $)"}, "OutputPath": "$.v", "End": true}}}},
      "Both": {"Type": "Parallel", "End": true, "Branches": [
        {"StartAt": "Keep", "States": {"Keep": {"Type": "Pass", "End": true}}},
        {"StartAt": "Len", "States": {"Len": {"Type": "Pass", "Parameters": {"n.$": "States.ArrayLength($)"}, "End": true}}}]}}}}}}
$j$);
CALL pg_temp.run('map-nested', '[[1, 2], [], [3]]', 'e1');
-- [[[2, 4], {"n": 2}], [[], {"n": 0}], [[6], {"n": 1}]]
SELECT * FROM pg_temp.outcome('map-nested', 'e1');
SELECT count(*) = max(id) AS contiguous FROM sfn_get_execution_history(pg_temp.arn('map-nested', 'e1'));


--
-- An ItemSelector that fails for an item fails the state (States.Runtime
-- naming the Map state); the iterations started before it stop.
--
SELECT sfn_create_state_machine('map-bad-selector', $j$
{"StartAt": "M", "States": {
  "M": {"Type": "Map", "ItemsPath": "$.items",
    "ItemSelector": {"x.$": "$$.Map.Item.Value.x"},
    "ItemProcessor": {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}},
    "End": true}}}
$j$);
CALL pg_temp.run('map-bad-selector', '{"items": [{"x": 1}, {"y": 2}]}', 'e1');
SELECT * FROM pg_temp.outcome('map-bad-selector', 'e1');
SELECT * FROM pg_temp.events('map-bad-selector', 'e1');

--
-- A Map inside a Parallel branch: an iteration's error caught by the Map
-- lets the branch go on; uncaught, it fails the Map, then the Parallel,
-- then the execution, with the iteration's error and cause.
--
SELECT sfn_create_state_machine('map-in-par', $j$
{"StartAt": "P", "States": {
  "P": {"Type": "Parallel", "End": true, "Branches": [
    {"StartAt": "M", "States": {
      "M": {"Type": "Map", "ItemsPath": "$.items", "ResultPath": "$.r",
        "ItemProcessor": {"StartAt": "C", "States": {
          "C": {"Type": "Choice", "Choices": [{"Variable": "$", "StringEquals": "bad", "Next": "F"}], "Default": "Ok"},
          "Ok": {"Type": "Pass", "End": true},
          "F": {"Type": "Fail", "Error": "BadItem", "Cause": "an item was bad"}}},
        "Catch": [{"ErrorEquals": ["BadItem"], "Next": "Recovered", "ResultPath": "$.caught"}],
        "Next": "Fine"},
      "Recovered": {"Type": "Pass", "Parameters": {"recovered.$": "$.caught.Error"}, "End": true},
      "Fine": {"Type": "Pass", "OutputPath": "$.r", "End": true}}},
    {"StartAt": "Other", "States": {"Other": {"Type": "Pass", "Result": "other", "End": true}}}]}}}
$j$);
CALL pg_temp.run('map-in-par', '{"items": ["a", "b"]}', 'ok');
-- [["a", "b"], "other"]
SELECT * FROM pg_temp.outcome('map-in-par', 'ok');
CALL pg_temp.run('map-in-par', '{"items": ["a", "bad"]}', 'caught');
-- [{"recovered": "BadItem"}, "other"]
SELECT * FROM pg_temp.outcome('map-in-par', 'caught');
SELECT sfn_create_state_machine('map-in-par-uncaught', $j$
{"StartAt": "P", "States": {
  "P": {"Type": "Parallel", "End": true, "Branches": [
    {"StartAt": "M", "States": {
      "M": {"Type": "Map", "End": true,
        "ItemProcessor": {"StartAt": "F", "States": {
          "F": {"Type": "Fail", "Error": "BadItem", "Cause": "an item was bad"}}}}}}]}}}
$j$);
CALL pg_temp.run('map-in-par-uncaught', '[1]', 'e1');
SELECT * FROM pg_temp.outcome('map-in-par-uncaught', 'e1');
SELECT * FROM pg_temp.events('map-in-par-uncaught', 'e1');
