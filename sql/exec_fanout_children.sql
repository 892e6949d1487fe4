--
-- exec_fanout_children: fan-out states and child executions together.
-- Each piece has its own tests (exec_parallel, exec_map,
-- exec_distributed_map, exec_nested); these check that they compose:
-- an answer from a child execution or a map run reaches the thread that
-- waits for it inside a Parallel branch or a Map iteration, and a child
-- execution of a map run can itself fan out.  Outputs follow AWS's
-- documented shapes: a Parallel's output is the array of its branches'
-- outputs in branch order, a Map's the array of its iterations' in item
-- order, a .sync:2 Task's result carries the child's Output as JSON.
--
\set SHOW_CONTEXT never
\i sql/include/exec_helpers.sql

SELECT sfn_create_state_machine('fc_child', $j$
{"StartAt": "Echo", "States": {"Echo": {"Type": "Pass", "Parameters": {"echo.$": "$.v"}, "End": true}}}
$j$) IS NOT NULL AS created;
SELECT sfn_create_state_machine('fc_child_fail', $j$
{"StartAt": "F", "States": {"F": {"Type": "Fail", "Error": "ChildError", "Cause": "no"}}}
$j$) IS NOT NULL AS created;

-- A Parallel whose first branch runs a Distributed Map and whose second
-- waits for a nested execution (.sync:2).
SELECT sfn_create_state_machine('fc_parallel', $j$
{"StartAt": "Both", "States": {
  "Both": {"Type": "Parallel", "End": true, "Branches": [
    {"StartAt": "Fan", "States": {
      "Fan": {"Type": "Map", "ItemsPath": "$.items",
        "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
          "StartAt": "Double", "States": {
            "Double": {"Type": "Pass", "Parameters": {"twice.$": "States.MathAdd($, $)"}, "End": true}}},
        "End": true}}},
    {"StartAt": "Call", "States": {
      "Call": {"Type": "Task", "Resource": "arn:aws:states:::states:startExecution.sync:2",
        "Parameters": {"StateMachineArn": "arn:aws:states:us-east-1:123456789012:stateMachine:fc_child",
                       "Input": {"v.$": "$.v"}, "Name.$": "States.Format('{}-child', $$.Execution.Name)"},
        "ResultSelector": {"out.$": "$.Output", "status.$": "$.Status"},
        "End": true}}}]}}}
$j$) IS NOT NULL AS created;
CALL pg_temp.run('fc_parallel', '{"items": [1, 2, 3], "v": "hello"}', 'p1');
SELECT * FROM pg_temp.outcome('fc_parallel', 'p1');
-- The parent's events: the map run and the child's Task in their branches.
SELECT type, what FROM pg_temp.events('fc_parallel', 'p1') ORDER BY id;

-- An inline Map whose iterations each wait for a child execution.
SELECT sfn_create_state_machine('fc_map_sync', $j$
{"StartAt": "Each", "States": {
  "Each": {"Type": "Map", "ItemsPath": "$.vs", "MaxConcurrency": 2,
    "ItemSelector": {"v.$": "$$.Map.Item.Value", "i.$": "$$.Map.Item.Index", "run.$": "$$.Execution.Name"},
    "ItemProcessor": {"StartAt": "Call", "States": {
      "Call": {"Type": "Task", "Resource": "arn:aws:states:::states:startExecution.sync:2",
        "Parameters": {"StateMachineArn": "arn:aws:states:us-east-1:123456789012:stateMachine:fc_child",
                       "Input": {"v.$": "$.v"}, "Name.$": "States.Format('{}-{}', $.run, $.i)"},
        "OutputPath": "$.Output", "End": true}}},
    "End": true}}}
$j$) IS NOT NULL AS created;
CALL pg_temp.run('fc_map_sync', '{"vs": ["a", "b", "c", "d"]}', 'm1');
SELECT * FROM pg_temp.outcome('fc_map_sync', 'm1');
-- Four children, each started by one iteration, all succeeded.
SELECT count(*) AS children, count(*) FILTER (WHERE d->>'status' = 'SUCCEEDED') AS succeeded
FROM sfn_list_executions('fc_child') l, sfn_describe_execution(l.execution_arn) d
WHERE l.name LIKE 'm1-%';

-- A child that fails inside a branch fails the Parallel with the Task's
-- error (States.TaskFailed), which the Parallel's Catch handles.
SELECT sfn_create_state_machine('fc_parallel_fail', $j$
{"StartAt": "Both", "States": {
  "Both": {"Type": "Parallel", "Next": "Done",
    "Catch": [{"ErrorEquals": ["States.TaskFailed"], "ResultPath": "$.caught", "Next": "Caught"}],
    "Branches": [
    {"StartAt": "Slow", "States": {"Slow": {"Type": "Wait", "Seconds": 600, "End": true}}},
    {"StartAt": "Call", "States": {
      "Call": {"Type": "Task", "Resource": "arn:aws:states:::states:startExecution.sync",
        "Parameters": {"StateMachineArn": "arn:aws:states:us-east-1:123456789012:stateMachine:fc_child_fail"},
        "End": true}}}]},
  "Done": {"Type": "Succeed"},
  "Caught": {"Type": "Pass", "Parameters": {"error.$": "$.caught.Error",
      "cause.$": "States.StringToJson($.caught.Cause)"}, "Next": "Pick"},
  "Pick": {"Type": "Pass", "Parameters": {"error.$": "$.error",
      "childStatus.$": "$.cause.Status", "childError.$": "$.cause.Error"}, "End": true}}}
$j$) IS NOT NULL AS created;
CALL pg_temp.run('fc_parallel_fail', '{}', 'f1');
SELECT * FROM pg_temp.outcome('fc_parallel_fail', 'f1');
-- The waiting branch's state was aborted; no thread is left.
SELECT type, what FROM pg_temp.events('fc_parallel_fail', 'f1') ORDER BY id;
SELECT count(*) AS threads_left FROM sfn.threads t JOIN sfn.executions e ON e.id = t.execution_id
WHERE e.name = 'f1';

-- Children of a Distributed Map that fan out themselves: each child runs a
-- Parallel of two branches.
SELECT sfn_create_state_machine('fc_dmap_parallel', $j$
{"StartAt": "Fan", "States": {
  "Fan": {"Type": "Map", "ItemsPath": "$", "End": true,
    "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
      "StartAt": "Two", "States": {
        "Two": {"Type": "Parallel", "End": true, "Branches": [
          {"StartAt": "A", "States": {"A": {"Type": "Pass", "Parameters": {"a.$": "$"}, "End": true}}},
          {"StartAt": "B", "States": {"B": {"Type": "Pass", "Parameters": {"b.$": "$"}, "End": true}}}]}}}}}}
$j$) IS NOT NULL AS created;
CALL pg_temp.run('fc_dmap_parallel', '["x", "y"]', 'd1');
SELECT * FROM pg_temp.outcome('fc_dmap_parallel', 'd1');
