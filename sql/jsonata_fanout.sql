--
-- jsonata_fanout: Parallel and inline Map states in JSONata, and workflow
-- variables across branches and iterations: a branch or iteration sees the
-- variables of the state that started it, its own assignments stay inside
-- (AWS's scoping: neither its siblings nor the states after see them), and
-- the Parallel's or Map's Assign and Output read the collected results as
-- $states.result.
--
\set SHOW_CONTEXT never
\i sql/include/exec_helpers.sql

SELECT sfn_create_state_machine('jf-parallel', $j$
{"QueryLanguage": "JSONata", "StartAt": "Init", "States": {
  "Init": {"Type": "Pass", "Assign": {"x": 42, "outer": "outer value"}, "Next": "Both"},
  "Both": {"Type": "Parallel",
    "Arguments": {"n": "{% $states.input.n %}"},
    "Branches": [
      {"StartAt": "A", "States": {
        "A": {"Type": "Pass", "Assign": {"local": "set in branch A"},
              "Output": {"branch": "A", "x": "{% $x %}", "n": "{% $states.input.n %}"}, "Next": "A2"},
        "A2": {"Type": "Pass", "Output": {"branch": "A", "local": "{% $local %}", "x": "{% $x %}"}, "End": true}}},
      {"StartAt": "B", "States": {
        "B": {"Type": "Pass", "Output": {"branch": "B", "outer": "{% $outer %}",
                                         "seesA": "{% $exists($local) %}"}, "End": true}}}],
    "Assign": {"branches": "{% $count($states.result) %}"},
    "Output": {"results": "{% $states.result %}"},
    "Next": "After"},
  "After": {"Type": "Pass",
    "Output": {"localAfter": "{% $exists($local) %}", "branches": "{% $branches %}",
               "results": "{% $states.input.results %}"},
    "End": true}}}
$j$);
CALL pg_temp.run('jf-parallel', '{"n": 7}', 'e1');
SELECT * FROM pg_temp.outcome('jf-parallel', 'e1');

SELECT sfn_create_state_machine('jf-map', $j$
{"QueryLanguage": "JSONata", "StartAt": "Init", "States": {
  "Init": {"Type": "Pass", "Assign": {"rate": 3}, "Next": "Each"},
  "Each": {"Type": "Map",
    "Items": "{% $states.input.lines[qty > 0] %}",
    "MaxConcurrency": "{% 2 %}",
    "ItemSelector": {"sku": "{% $states.context.Map.Item.Value.sku %}",
                     "qty": "{% $states.context.Map.Item.Value.qty %}",
                     "index": "{% $states.context.Map.Item.Index %}"},
    "ItemProcessor": {"ProcessorConfig": {"Mode": "INLINE"}, "StartAt": "Price", "States": {
      "Price": {"Type": "Pass", "Assign": {"lastSku": "{% $states.input.sku %}"},
                "Output": {"sku": "{% $states.input.sku %}", "at": "{% $states.input.index %}",
                           "cost": "{% $states.input.qty * $rate %}"}, "End": true}}},
    "Assign": {"total": "{% $sum($states.result.cost) %}"},
    "Output": "{% $states.result %}",
    "Next": "After"},
  "After": {"Type": "Pass", "Output": {"total": "{% $total %}", "rate": "{% $rate %}",
                                       "lastSkuAfter": "{% $exists($lastSku) %}",
                                       "lines": "{% $states.input %}"}, "End": true}}}
$j$);
CALL pg_temp.run('jf-map', '{"lines": [{"sku": "a", "qty": 1}, {"sku": "b", "qty": 0}, {"sku": "c", "qty": 2}, {"sku": "d", "qty": 5}]}', 'e1');
SELECT * FROM pg_temp.outcome('jf-map', 'e1');
-- Each iteration's assignment is recorded in its own state's history.
SELECT count(*) AS iteration_assignments FROM sfn_get_execution_history(pg_temp.arn('jf-map', 'e1'))
WHERE type = 'PassStateExited' AND details->'assignedVariables' ? 'lastSku';

-- A JSONPath Map reads an outer variable in ItemSelector and in its
-- iterations; the Map's own Assign sees its result.
SELECT sfn_create_state_machine('jf-map-path', $j$
{"StartAt": "Init", "States": {
  "Init": {"Type": "Pass", "Assign": {"prefix": "item-"}, "Next": "Each"},
  "Each": {"Type": "Map", "ItemsPath": "$.ids",
    "ItemSelector": {"id.$": "$$.Map.Item.Value", "label.$": "States.Format('{}{}', $prefix, $$.Map.Item.Value)"},
    "ItemProcessor": {"StartAt": "P", "States": {
      "P": {"Type": "Pass", "Parameters": {"label.$": "$.label", "p.$": "$prefix"}, "End": true}}},
    "Assign": {"n.$": "States.ArrayLength($)"},
    "ResultPath": "$.labels", "Next": "After"},
  "After": {"Type": "Pass", "Parameters": {"labels.$": "$.labels", "n.$": "$n"}, "End": true}}}
$j$);
CALL pg_temp.run('jf-map-path', '{"ids": [1, 2]}', 'e1');
SELECT * FROM pg_temp.outcome('jf-map-path', 'e1');
