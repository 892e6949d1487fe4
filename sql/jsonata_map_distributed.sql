--
-- jsonata_map_distributed: a Distributed Map in a JSONata state: Items,
-- ItemSelector over $states.context.Map.Item and the workflow variables,
-- MaxConcurrency as an expression, Output and Assign over the children's
-- outputs ($states.result).  The children run their ItemProcessor, here
-- in JSONata too.
--
\set SHOW_CONTEXT never
\i sql/include/exec_helpers.sql

SELECT sfn_create_state_machine('jdm', $j$
{"QueryLanguage": "JSONata", "StartAt": "Init", "States": {
  "Init": {"Type": "Pass", "Assign": {"shop": "{% $states.input.shop %}", "factor": 10}, "Next": "Each"},
  "Each": {"Type": "Map",
    "Items": "{% $states.input.orders[qty > 0] %}",
    "MaxConcurrency": "{% $count($states.input.orders) %}",
    "ItemSelector": {"id": "{% $states.context.Map.Item.Value.id %}",
                     "at": "{% $states.context.Map.Item.Index %}",
                     "qty": "{% $states.context.Map.Item.Value.qty %}",
                     "factor": "{% $factor %}", "shop": "{% $shop %}"},
    "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
      "StartAt": "Price", "States": {
        "Price": {"Type": "Pass", "QueryLanguage": "JSONata",
                  "Output": {"id": "{% $states.input.id %}", "at": "{% $states.input.at %}",
                             "amount": "{% $states.input.qty * $states.input.factor %}",
                             "shop": "{% $states.input.shop %}"},
                  "End": true}}},
    "Assign": {"total": "{% $sum($states.result.amount) %}"},
    "Output": {"priced": "{% $states.result %}"},
    "Next": "Done"},
  "Done": {"Type": "Pass", "Output": {"total": "{% $total %}", "count": "{% $count($states.input.priced) %}"},
           "End": true}}}
$j$);
CALL pg_temp.run('jdm', '{"shop": "s1", "orders": [{"id": "a", "qty": 1}, {"id": "b", "qty": 0}, {"id": "c", "qty": 3}]}', 'e1');
SELECT * FROM pg_temp.outcome('jdm', 'e1');
SELECT type, details->'assignedVariables' AS assigned FROM sfn_get_execution_history(pg_temp.arn('jdm', 'e1'))
WHERE type = 'MapStateExited';
-- The children's inputs are the evaluated ItemSelector.
SELECT (sfn_describe_execution(execution_arn)->>'input')::jsonb AS child_input
FROM sfn_list_map_run_executions((SELECT map_run_arn FROM sfn_list_map_runs(pg_temp.arn('jdm', 'e1'))))
ORDER BY 1;

-- Items that are not an array: the state fails before any child starts.
CALL pg_temp.run('jdm', '{"shop": "s1", "orders": {"id": "a", "qty": 1}}', 'e2');
SELECT * FROM pg_temp.outcome('jdm', 'e2');
