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
	SELECT sfn_describe_map_run(r.map_run_arn) - 'startDate' - 'stopDate'
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
