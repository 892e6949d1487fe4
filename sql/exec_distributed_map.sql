--
-- exec_distributed_map: Map states with ProcessorConfig.Mode DISTRIBUTED.
-- Each item (or batch) runs as a child execution of the ItemProcessor with
-- its own history; the parent records MapStateEntered, MapStateStarted,
-- MapRunStarted, MapRunSucceeded / MapRunFailed, MapStateSucceeded /
-- MapStateFailed and MapStateExited ("Distributed Map state" and
-- "HistoryEvent" in AWS's documentation), and its output is the array of
-- the children's outputs in item order.
--
\set SHOW_CONTEXT never
\i sql/include/exec_helpers.sql

-- The map run of an execution, as DescribeMapRun shows it.
CREATE FUNCTION pg_temp.map_run(sm text, name text) RETURNS jsonb LANGUAGE sql AS $$
	SELECT sfn_describe_map_run(r.map_run_arn) - 'startDate' - 'stopDate' - 'mapRunArn'
	FROM sfn_list_map_runs(pg_temp.arn(sm, name)) r LIMIT 1 $$;

--
-- Items from the state input, one child per item, MaxConcurrency 2:
-- ItemSelector sees $$.Map.Item.Index and Value and the state input as $.
--
SELECT sfn_create_state_machine('dmap-input', $j$
{"StartAt": "Each", "States": {
  "Each": {"Type": "Map", "ItemsPath": "$.orders", "MaxConcurrency": 2,
    "ItemSelector": {"order.$": "$$.Map.Item.Value", "index.$": "$$.Map.Item.Index", "shop.$": "$.shop"},
    "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
      "StartAt": "Price", "States": {
        "Price": {"Type": "Pass", "Parameters": {"id.$": "$.order.id", "at.$": "$.index", "shop.$": "$.shop"}, "End": true}}},
    "ResultPath": "$.priced", "End": true}}}
$j$);
CALL pg_temp.run('dmap-input', '{"shop": "s1", "orders": [{"id": "a"}, {"id": "b"}, {"id": "c"}, {"id": "d"}, {"id": "e"}]}', 'e1');
SELECT * FROM pg_temp.outcome('dmap-input', 'e1');
SELECT * FROM pg_temp.events('dmap-input', 'e1');
SELECT pg_temp.map_run('dmap-input', 'e1');
-- The children: ordinary executions with their own history.
SELECT split_part(name, ':', 2) AS item, status FROM sfn_list_map_run_executions(
	(SELECT map_run_arn FROM sfn_list_map_runs(pg_temp.arn('dmap-input', 'e1')))) ;
SELECT type, details->>'input' AS input FROM sfn_get_execution_history(
	(SELECT execution_arn FROM sfn_list_map_run_executions(
		(SELECT map_run_arn FROM sfn_list_map_runs(pg_temp.arn('dmap-input', 'e1')))) LIMIT 1))
ORDER BY id;
-- MapRunStarted names the map run.
SELECT details->>'mapRunArn' LIKE 'arn:aws:states:us-east-1:123456789012:mapRun:dmap-input/Each:%' AS arn_form
FROM sfn_get_execution_history(pg_temp.arn('dmap-input', 'e1')) WHERE type = 'MapRunStarted';
-- No items: the run succeeds at once with [].
CALL pg_temp.run('dmap-input', '{"shop": "s1", "orders": []}', 'e2');
SELECT * FROM pg_temp.outcome('dmap-input', 'e2');
-- Items that are not an array: States.Runtime, nothing started.
CALL pg_temp.run('dmap-input', '{"shop": "s1", "orders": {"id": "a"}}', 'e3');
SELECT * FROM pg_temp.outcome('dmap-input', 'e3');
SELECT count(*) AS map_runs FROM sfn_list_map_runs(pg_temp.arn('dmap-input', 'e3'));

--
-- Items from a SQL query (pg_sfn's ItemReader, arn:aws:states:::sql:query),
-- read once as the state machine's role, with Arguments as $1...; an
-- ItemBatcher groups them: {"BatchInput": ..., "Items": [...]} per child.
--
CREATE SCHEMA dm;
CREATE TABLE dm.orders (id int PRIMARY KEY, region text NOT NULL, total numeric NOT NULL);
INSERT INTO dm.orders SELECT i, CASE WHEN i % 2 = 0 THEN 'eu' ELSE 'us' END, i * 10 FROM generate_series(1, 9) i;
CREATE ROLE dm_reader;
GRANT USAGE ON SCHEMA dm TO dm_reader;
GRANT SELECT ON dm.orders TO dm_reader;
SELECT sfn_create_state_machine('dmap-sql', $j$
{"StartAt": "Each", "States": {
  "Each": {"Type": "Map",
    "ItemReader": {"Resource": "arn:aws:states:::sql:query",
      "Parameters": {"Query": "SELECT to_jsonb(o) FROM dm.orders o WHERE region = $1->>0 ORDER BY id",
                     "Arguments.$": "States.Array($.region)"}},
    "ItemBatcher": {"MaxItemsPerBatch": 2, "BatchInput": {"region.$": "$.region"}},
    "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED"},
      "StartAt": "Sum", "States": {
        "Sum": {"Type": "Pass", "Parameters": {"region.$": "$.BatchInput.region", "ids.$": "$.Items[*].id"}, "End": true}}},
    "Label": "ByRegion", "End": true}}}
$j$, role => 'dm_reader');
CALL pg_temp.run('dmap-sql', '{"region": "us"}', 'e1');
SELECT * FROM pg_temp.outcome('dmap-sql', 'e1');
-- Five items in three batches: itemCounts and executionCounts differ.
SELECT m->'itemCounts'->'total' AS items, m->'executionCounts'->'total' AS children,
	m->>'mapRunArn' LIKE '%:mapRun:dmap-sql/ByRegion:%' AS labelled
FROM pg_temp.map_run('dmap-sql', 'e1') m;
SELECT split_part(name, ':', 2) AS child, status FROM sfn_list_map_run_executions(
	(SELECT map_run_arn FROM sfn_list_map_runs(pg_temp.arn('dmap-sql', 'e1'))));
-- MaxInputBytesPerBatch closes a batch before an item that would take the
-- child's input (its JSON text) past it; a batch holds one item at least.
-- The ItemSelector shapes each item before batching.  Here each item is
-- 15 bytes: {"Items":[a,b]} is 43 bytes, with a third 59.
SELECT sfn_create_state_machine('dmap-bytes', $j$
{"StartAt": "Each", "States": {
  "Each": {"Type": "Map",
    "ItemReader": {"Resource": "arn:aws:states:::sql:query",
      "Parameters": {"Query": "SELECT to_jsonb(o) FROM dm.orders o ORDER BY id"}},
    "ItemSelector": {"id.$": "$$.Map.Item.Value.id", "at.$": "$$.Map.Item.Index"},
    "ItemBatcher": {"MaxInputBytesPerBatch": 50},
    "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED"},
      "StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}},
    "End": true}}}
$j$);
CALL pg_temp.run('dmap-bytes', '{}', 'e1');
SELECT jsonb_array_elements(output) AS child_input FROM pg_temp.outcome('dmap-bytes', 'e1');
-- The reader is read-only: a query that writes fails the map run with
-- States.ItemReaderFailed (MapRunFailed), and the write is not kept.
SELECT sfn_create_state_machine('dmap-sql-write', $j$
{"StartAt": "Each", "States": {
  "Each": {"Type": "Map",
    "ItemReader": {"Resource": "arn:aws:states:::sql:query",
      "Parameters": {"Query": "WITH d AS (DELETE FROM dm.orders RETURNING id) SELECT to_jsonb(id) FROM d"}},
    "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED"},
      "StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}},
    "End": true}}}
$j$);
CALL pg_temp.run('dmap-sql-write', '{}', 'e1');
SELECT * FROM pg_temp.outcome('dmap-sql-write', 'e1');
SELECT * FROM pg_temp.events('dmap-sql-write', 'e1');
SELECT count(*) AS orders_left FROM dm.orders;
-- The role's privileges apply: dm_reader may not read pg_authid.
SELECT sfn_create_state_machine('dmap-sql-priv', $j$
{"StartAt": "Each", "States": {
  "Each": {"Type": "Map",
    "ItemReader": {"Resource": "arn:aws:states:::sql:query",
      "Parameters": {"Query": "SELECT to_jsonb(rolname) FROM pg_authid"}},
    "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED"},
      "StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}},
    "End": true}}}
$j$, role => 'dm_reader');
CALL pg_temp.run('dmap-sql-priv', '{}', 'e1');
SELECT * FROM pg_temp.outcome('dmap-sql-priv', 'e1');
-- Rows that are not JSON, and a query that fails.
SELECT sfn_create_state_machine('dmap-sql-bad', $j$
{"StartAt": "Each", "States": {
  "Each": {"Type": "Map",
    "ItemReader": {"Resource": "arn:aws:states:::sql:query", "Parameters": {"Query.$": "$.q"}},
    "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED"},
      "StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}},
    "End": true}}}
$j$);
CALL pg_temp.run('dmap-sql-bad', '{"q": "SELECT id FROM dm.orders"}', 'int');
CALL pg_temp.run('dmap-sql-bad', $${"q": "SELECT 'not json'::text"}$$, 'text');
CALL pg_temp.run('dmap-sql-bad', '{"q": "SELECT x FROM dm.missing"}', 'missing');
CALL pg_temp.run('dmap-sql-bad', '{"q": "SELECT to_jsonb(i) FROM generate_series(1, 1000001) i"}', 'huge');
CALL pg_temp.run('dmap-sql-bad', $${"q": "SELECT to_jsonb(repeat('x', 300000))"}$$, 'big-item');
-- Each child's output is within the limit, all of them together are not.
CALL pg_temp.run('dmap-sql-bad', $${"q": "SELECT to_jsonb(repeat('x', 100000)) FROM generate_series(1, 3)"}$$, 'big-output');
SELECT name, (pg_temp.outcome('dmap-sql-bad', name)).* FROM unnest(ARRAY['int', 'text', 'missing', 'huge', 'big-item', 'big-output']) name;
SELECT * FROM pg_temp.events('dmap-sql-bad', 'big-output');

--
-- CSV, JSON and JSON Lines contents, from a query's one text value or from
-- the input (Text), with ReaderConfig.
--
CREATE FUNCTION pg_temp.text_map(name text, reader jsonb) RETURNS text LANGUAGE sql AS $$
	SELECT sfn_create_state_machine(name, jsonb_build_object('StartAt', 'Each', 'States', jsonb_build_object(
		'Each', jsonb_build_object('Type', 'Map', 'ItemReader', reader,
			'ItemProcessor', '{"ProcessorConfig": {"Mode": "DISTRIBUTED"}, "StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}'::jsonb,
			'End', true)))) $$;
-- CSV with a header row: each row an object of strings; quotes as RFC 4180.
SELECT pg_temp.text_map('csv-first', '{"Resource": "arn:aws:states:::sql:query",
	"Parameters": {"Text.$": "$.csv"}, "ReaderConfig": {"InputType": "CSV", "CSVHeaderLocation": "FIRST_ROW"}}');
CALL pg_temp.run('csv-first', jsonb_build_object('csv', E'sku,name\n1,"Tea, green"\n2,"Say ""hi"""\n'), 'e1');
SELECT * FROM pg_temp.outcome('csv-first', 'e1');
CALL pg_temp.run('csv-first', jsonb_build_object('csv', E'sku,name\n1\n'), 'e2');
SELECT * FROM pg_temp.outcome('csv-first', 'e2');
-- Headers given, a pipe delimiter, MaxItems.
SELECT pg_temp.text_map('csv-given', '{"Resource": "arn:aws:states:::sql:query",
	"Parameters": {"Text.$": "$.csv"},
	"ReaderConfig": {"InputType": "CSV", "CSVHeaderLocation": "GIVEN", "CSVHeaders": ["a", "b"],
		"CSVDelimiter": "PIPE", "MaxItems": 2}}');
CALL pg_temp.run('csv-given', jsonb_build_object('csv', E'1|x\n2|y\n3|z\n'), 'e1');
SELECT * FROM pg_temp.outcome('csv-given', 'e1');
-- JSON Lines from a query returning one text value.
CREATE TABLE dm.files (name text PRIMARY KEY, body text NOT NULL);
INSERT INTO dm.files VALUES ('lines', E'{"n": 1}\n\n{"n": 2}\n[3]\n'), ('array', '[{"n": 1}, "two"]'),
	('broken', E'{"n": 1}\n{"n":\n');
SELECT pg_temp.text_map('jsonl', '{"Resource": "arn:aws:states:::sql:query",
	"Parameters": {"Query": "SELECT body FROM dm.files WHERE name = $1->>0", "Arguments.$": "States.Array($.file)"},
	"ReaderConfig": {"InputType": "JSONL"}}');
CALL pg_temp.run('jsonl', '{"file": "lines"}', 'e1');
SELECT * FROM pg_temp.outcome('jsonl', 'e1');
CALL pg_temp.run('jsonl', '{"file": "broken"}', 'e2');
SELECT * FROM pg_temp.outcome('jsonl', 'e2');
CALL pg_temp.run('jsonl', '{"file": "none"}', 'e3');
SELECT * FROM pg_temp.outcome('jsonl', 'e3');
SELECT pg_temp.text_map('json', '{"Resource": "arn:aws:states:::sql:query",
	"Parameters": {"Query": "SELECT body FROM dm.files WHERE name = ''array''"},
	"ReaderConfig": {"InputType": "JSON"}}');
CALL pg_temp.run('json', '{}', 'e1');
SELECT * FROM pg_temp.outcome('json', 'e1');
-- A resource pg_sfn cannot read from.
SELECT pg_temp.text_map('s3', '{"Resource": "arn:aws:states:::s3:getObject",
	"Parameters": {"Bucket": "b", "Key": "k"}}');
CALL pg_temp.run('s3', '{}', 'e1');
SELECT * FROM pg_temp.outcome('s3', 'e1');

--
-- Failed children: without a tolerance the first failure fails the map run
-- (States.ExceedToleratedFailureThreshold) and aborts the rest; with
-- ToleratedFailureCount / ToleratedFailurePercentage(Path) the run goes on
-- and the failed children's {Error, Cause} take their place in the output.
--
CREATE FUNCTION pg_temp.fail_map(name text, extra jsonb, more_states jsonb DEFAULT '{}') RETURNS text LANGUAGE sql AS $$
	SELECT sfn_create_state_machine(name, jsonb_build_object('StartAt', 'Each', 'States', jsonb_build_object(
		'Each', jsonb_build_object('Type', 'Map', 'ItemsPath', '$.items', 'MaxConcurrency', 1,
			'ItemProcessor', '{"ProcessorConfig": {"Mode": "DISTRIBUTED"}, "StartAt": "Check",
				"States": {"Check": {"Type": "Choice", "Choices": [{"Variable": "$.ok", "BooleanEquals": false, "Next": "Bad"}], "Default": "Good"},
					"Bad": {"Type": "Fail", "Error": "Item.Bad", "Cause": "not ok"},
					"Good": {"Type": "Pass", "Result": "fine", "End": true}}}'::jsonb) || extra) || more_states)) $$;
SELECT pg_temp.fail_map('fail-none', '{"End": true}');
CALL pg_temp.run('fail-none', '{"items": [{"ok": true}, {"ok": false}, {"ok": true}, {"ok": true}]}', 'e1');
SELECT * FROM pg_temp.outcome('fail-none', 'e1');
SELECT * FROM pg_temp.events('fail-none', 'e1');
-- MaxConcurrency 1: the failure of item 1 stopped the run before items 2, 3.
-- Once the run has ended they are not pending (they will never start) and
-- the total is the two children that ran: the counts add up to it.
SELECT m->'executionCounts' AS children FROM pg_temp.map_run('fail-none', 'e1') m;
SELECT m->'itemCounts' AS items FROM pg_temp.map_run('fail-none', 'e1') m;
-- Batches: item counts after the end are the items of the children that
-- ran (one batch of 2 of 5 items), none pending.
SELECT sfn_create_state_machine('fail-batch', '{"StartAt": "Each", "States": {"Each": {"Type": "Map",
	"MaxConcurrency": 1, "ItemBatcher": {"MaxItemsPerBatch": 2},
	"ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED"}, "StartAt": "Bad",
		"States": {"Bad": {"Type": "Fail", "Error": "Batch.Bad"}}}, "End": true}}}') IS NOT NULL AS created;
CALL pg_temp.run('fail-batch', '[1, 2, 3, 4, 5]', 'e1');
SELECT m->>'status' AS status, m->'itemCounts' AS items, m->'executionCounts'->'total' AS children
FROM pg_temp.map_run('fail-batch', 'e1') m;
SELECT pg_temp.fail_map('fail-count', '{"End": true, "ToleratedFailureCount": 1}');
CALL pg_temp.run('fail-count', '{"items": [{"ok": true}, {"ok": false}, {"ok": true}]}', 'e1');
SELECT * FROM pg_temp.outcome('fail-count', 'e1');
CALL pg_temp.run('fail-count', '{"items": [{"ok": false}, {"ok": false}, {"ok": true}]}', 'e2');
SELECT * FROM pg_temp.outcome('fail-count', 'e2');
SELECT pg_temp.fail_map('fail-pct', '{"End": true, "ToleratedFailurePercentagePath": "$.pct"}');
CALL pg_temp.run('fail-pct', '{"pct": 50, "items": [{"ok": false}, {"ok": true}, {"ok": false}, {"ok": true}]}', 'e1');
SELECT (pg_temp.outcome('fail-pct', 'e1')).status;
CALL pg_temp.run('fail-pct', '{"pct": 40, "items": [{"ok": false}, {"ok": true}, {"ok": false}, {"ok": true}]}', 'e2');
SELECT (pg_temp.outcome('fail-pct', 'e2')).status, (pg_temp.outcome('fail-pct', 'e2')).error;
CALL pg_temp.run('fail-pct', '{"pct": 101, "items": []}', 'e3');
SELECT * FROM pg_temp.outcome('fail-pct', 'e3');
-- Retry re-runs the whole map (a new map run); Catch takes the failure.
SELECT pg_temp.fail_map('fail-retry', '{"Next": "Handled",
	"Retry": [{"ErrorEquals": ["States.ExceedToleratedFailureThreshold"], "MaxAttempts": 1, "IntervalSeconds": 1}],
	"Catch": [{"ErrorEquals": ["States.ALL"], "ResultPath": "$.error", "Next": "Handled"}]}',
	'{"Handled": {"Type": "Pass", "End": true}}');
CALL pg_temp.run('fail-retry', '{"items": [{"ok": false}]}', 'e1');
SELECT * FROM pg_temp.outcome('fail-retry', 'e1');
SELECT * FROM pg_temp.events('fail-retry', 'e1');
SELECT count(*) AS map_runs FROM sfn_list_map_runs(pg_temp.arn('fail-retry', 'e1'));

--
-- MaxConcurrencyPath must give a non-negative integer.
--
SELECT sfn_create_state_machine('dmap-conc', $j$
{"StartAt": "Each", "States": {
  "Each": {"Type": "Map", "MaxConcurrencyPath": "$.c",
    "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED"},
      "StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}},
    "ItemsPath": "$.items", "End": true}}}
$j$);
CALL pg_temp.run('dmap-conc', '{"c": -1, "items": [1]}', 'e1');
SELECT * FROM pg_temp.outcome('dmap-conc', 'e1');
CALL pg_temp.run('dmap-conc', '{"c": 1.5, "items": [1]}', 'e2');
SELECT * FROM pg_temp.outcome('dmap-conc', 'e2');
CALL pg_temp.run('dmap-conc', '{"c": 1, "items": [1, 2, 3]}', 'e3');
SELECT * FROM pg_temp.outcome('dmap-conc', 'e3');

--
-- Stopping the parent stops its map run's children (ABORTED) and drops
-- the pending ones.
--
SELECT sfn_create_state_machine('dmap-stop', $j$
{"StartAt": "Each", "States": {
  "Each": {"Type": "Map", "MaxConcurrency": 2,
    "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED"},
      "StartAt": "Sleep", "States": {"Sleep": {"Type": "Wait", "Seconds": 3600, "End": true}}},
    "End": true}}}
$j$);
SELECT sfn_start_execution('dmap-stop', '[1, 2, 3, 4, 5]', 'e1') IS NOT NULL AS started;
-- Wait until the first two children have started.
DO $$ BEGIN
	FOR i IN 1..100 LOOP
		EXIT WHEN (SELECT count(*) FROM sfn.executions WHERE map_run_id IS NOT NULL
			AND status = 'RUNNING' AND last_event_id >= 2) = 2;
		PERFORM pg_sleep(0.1);
	END LOOP;
END $$;
-- UpdateMapRun: a higher MaxConcurrency starts two more children at once.
SELECT sfn_update_map_run((SELECT map_run_arn FROM sfn_list_map_runs(pg_temp.arn('dmap-stop', 'e1'))),
	max_concurrency => 4, tolerated_failure_count => 3);
SELECT m->'maxConcurrency' AS max_concurrency, m->'toleratedFailureCount' AS tolerated,
	m->'executionCounts'->'running' AS running, m->'executionCounts'->'pending' AS pending
FROM pg_temp.map_run('dmap-stop', 'e1') m;
SELECT sfn_update_map_run((SELECT map_run_arn FROM sfn_list_map_runs(pg_temp.arn('dmap-stop', 'e1'))),
	tolerated_failure_percentage => 101);
SELECT sfn_update_map_run((SELECT map_run_arn FROM sfn_list_map_runs(pg_temp.arn('dmap-stop', 'e1'))));
SELECT sfn_stop_execution(pg_temp.arn('dmap-stop', 'e1'), 'Stop', 'by hand') IS NOT NULL AS stopped;
-- The item not started is not pending after the stop.
SELECT m->>'status' AS status, m->'executionCounts' AS children FROM pg_temp.map_run('dmap-stop', 'e1') m;
SELECT status, count(*) FROM sfn_list_map_run_executions(
	(SELECT map_run_arn FROM sfn_list_map_runs(pg_temp.arn('dmap-stop', 'e1')))) GROUP BY 1;
SELECT type FROM sfn_get_execution_history((SELECT execution_arn FROM sfn_list_map_run_executions(
	(SELECT map_run_arn FROM sfn_list_map_runs(pg_temp.arn('dmap-stop', 'e1')))) LIMIT 1)) ORDER BY id;
SELECT count(*) AS pending_items FROM sfn.map_run_items;
-- Over: no more updates.
SELECT sfn_update_map_run((SELECT map_run_arn FROM sfn_list_map_runs(pg_temp.arn('dmap-stop', 'e1'))),
	max_concurrency => 1);
-- A child waiting for a nested execution (.sync): aborting the child
-- stops that execution too, as stopping any parent does.
SELECT sfn_create_state_machine('dmap-leaf', $j$
{"StartAt": "Sleep", "States": {"Sleep": {"Type": "Wait", "Seconds": 3600, "End": true}}}
$j$) IS NOT NULL AS created;
SELECT sfn_create_state_machine('dmap-nest', $j$
{"StartAt": "Each", "States": {
  "Each": {"Type": "Map",
    "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED"},
      "StartAt": "Call", "States": {"Call": {"Type": "Task",
        "Resource": "arn:aws:states:::states:startExecution.sync:2",
        "Parameters": {"StateMachineArn": "arn:aws:states:us-east-1:123456789012:stateMachine:dmap-leaf",
          "Name.$": "States.Format('leaf-{}', $.n)"}, "End": true}}},
    "End": true}}}
$j$) IS NOT NULL AS created;
SELECT sfn_start_execution('dmap-nest', '[{"n": 1}]', 'e1') IS NOT NULL AS started;
DO $$ BEGIN
	FOR i IN 1..100 LOOP
		EXIT WHEN EXISTS (SELECT FROM sfn.executions WHERE name = 'leaf-1' AND last_event_id >= 2);
		PERFORM pg_sleep(0.1);
	END LOOP;
END $$;
SELECT sfn_stop_execution(pg_temp.arn('dmap-nest', 'e1')) IS NOT NULL AS stopped;
SELECT status FROM pg_temp.outcome('dmap-leaf', 'leaf-1');
-- Describe errors.
SELECT sfn_describe_map_run('arn:aws:states:us-east-1:123456789012:execution:x:y');
SELECT sfn_describe_map_run('arn:aws:states:us-east-1:123456789012:mapRun:x/y:00000000-0000-4000-8000-000000000000');
-- ListExecutions of the state machine leaves the children out.
SELECT name FROM sfn_list_executions('dmap-input') ORDER BY name;
