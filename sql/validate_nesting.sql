-- Validation of Parallel branches and Map processors: recursive rules,
-- transitions that stay inside their branch, names unique in the whole
-- definition, nesting depth.
\set SHOW_CONTEXT never
\set v 'SELECT severity, code, location, message FROM sfn_validate_state_machine_definition'

-- Parallel: Branches required, a non-empty array of {StartAt, States}
:v($${"StartAt": "P", "States": {"P": {"Type": "Parallel", "End": true}}}$$);
:v($${"StartAt": "P", "States": {"P": {"Type": "Parallel", "End": true, "Branches": []}}}$$);
:v($${"StartAt": "P", "States": {"P": {"Type": "Parallel", "End": true, "Branches": {}}}}$$);
:v($${"StartAt": "P", "States": {"P": {"Type": "Parallel", "End": true, "Branches": [
  "B", {}, {"StartAt": "B"}, {"StartAt": "C", "States": {"C": {"Type": "Succeed"}}, "Comment": "ok", "TimeoutSeconds": 5}]}}}$$);

-- branches are checked with the same rules, and report full locations
:v($${"StartAt": "P", "States": {"P": {"Type": "Parallel", "End": true, "Branches": [
  {"StartAt": "B1", "States": {"B1": {"Type": "Task", "Next": "B2"},
                               "B2": {"Type": "Wait", "Seconds": -5, "End": true},
                               "B3": {"Type": "Pass", "End": true}}}]}}}$$);

-- transitions never leave their branch: a Next naming an outer state is missing
:v($${"StartAt": "P", "States": {
  "P": {"Type": "Parallel", "Next": "After", "Branches": [
    {"StartAt": "B", "States": {"B": {"Type": "Pass", "Next": "After"}}}]},
  "After": {"Type": "Succeed"}}}$$);
-- and a top-level Next cannot go into a branch
:v($${"StartAt": "P", "States": {
  "P": {"Type": "Parallel", "Next": "B", "Branches": [
    {"StartAt": "B", "States": {"B": {"Type": "Succeed"}}}]}}}$$);
-- nor can a branch's StartAt, Catch or Choice
:v($${"StartAt": "P", "States": {
  "P": {"Type": "Parallel", "End": true, "Branches": [
    {"StartAt": "Top", "States": {
      "B": {"Type": "Task", "Resource": "arn:x", "End": true,
            "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "P"}]},
      "C": {"Type": "Choice", "Choices": [{"Variable": "$.x", "IsNull": true, "Next": "P"}],
            "Default": "B"}}}]},
  "Top": {"Type": "Succeed"}}}$$);

-- duplicate state names anywhere in the definition
:v($${"StartAt": "P", "States": {
  "P": {"Type": "Parallel", "Next": "Done", "Branches": [
    {"StartAt": "Work", "States": {"Work": {"Type": "Pass", "End": true}}},
    {"StartAt": "Work", "States": {"Work": {"Type": "Pass", "End": true}}},
    {"StartAt": "Done", "States": {"Done": {"Type": "Succeed"}}}]},
  "Done": {"Type": "Succeed"}}}$$);
:v($${"StartAt": "M", "States": {
  "M": {"Type": "Map", "End": true, "ItemProcessor": {"StartAt": "M", "States": {
    "M": {"Type": "Map", "End": true, "Iterator": {"StartAt": "M", "States": {
      "M": {"Type": "Succeed"}}}}}}}}}$$);

-- Map: exactly one of ItemProcessor and Iterator
:v($${"StartAt": "M", "States": {"M": {"Type": "Map", "End": true}}}$$);
:v($${"StartAt": "M", "States": {"M": {"Type": "Map", "End": true,
  "ItemProcessor": {"StartAt": "I", "States": {"I": {"Type": "Succeed"}}},
  "Iterator": {"StartAt": "J", "States": {"J": {"Type": "Succeed"}}}}}}$$);
-- the legacy Iterator is accepted
:v($j${"StartAt": "M", "States": {"M": {"Type": "Map", "End": true, "ItemsPath": "$.items",
  "Parameters": {"x.$": "$$.Map.Item.Value"}, "MaxConcurrency": 0,
  "Iterator": {"StartAt": "I", "States": {"I": {"Type": "Succeed"}}}}}}$j$);
-- ItemProcessor: ProcessorConfig, and the same rules inside
:v($${"StartAt": "M", "States": {"M": {"Type": "Map", "End": true,
  "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "EXPRESS"},
                    "StartAt": "I", "States": {"I": {"Type": "Succeed"}}},
  "ItemReader": {"Resource": "arn:aws:states:::s3:getObject",
                 "ReaderConfig": {"InputType": "CSV", "CSVHeaderLocation": "FIRST_ROW"},
                 "Parameters": {"Bucket": "b", "Key": "k"}},
  "ItemBatcher": {"MaxItemsPerBatch": 10},
  "ResultWriter": {"Resource": "arn:aws:states:::s3:putObject", "Parameters": {"Bucket": "b", "Prefix": "p"}},
  "ToleratedFailurePercentage": 5, "ToleratedFailureCount": 10, "Label": "files"}}}$$);
:v($${"StartAt": "M", "States": {"M": {"Type": "Map", "End": true,
  "ItemProcessor": {"ProcessorConfig": {"Mode": "PARALLEL", "ExecutionType": "BATCH", "Other": 1},
                    "Comment": 1, "StartAt": "I", "States": {"I": {"Type": "Pass"}}}}}}$$);
:v($${"StartAt": "M", "States": {"M": {"Type": "Map", "End": true,
  "ItemProcessor": {"ProcessorConfig": "INLINE", "StartAt": "I", "States": {"I": {"Type": "Succeed"}}},
  "Iterator": 1}}}$$);
-- AWS (recorded) accepts a ProcessorConfig in the older Iterator, and
-- checks it as in ItemProcessor.
:v($${"StartAt": "M", "States": {"M": {"Type": "Map", "End": true,
  "Iterator": {"ProcessorConfig": {}, "StartAt": "I", "States": {"I": {"Type": "Succeed"}}}}}}$$);
:v($${"StartAt": "M", "States": {"M": {"Type": "Map", "End": true,
  "Iterator": {"ProcessorConfig": {"Mode": "INLINE"}, "StartAt": "I", "States": {"I": {"Type": "Succeed"}}}}}}$$);
:v($${"StartAt": "M", "States": {"M": {"Type": "Map", "End": true,
  "Iterator": {"ProcessorConfig": {"Mode": "SIDEWAYS"}, "StartAt": "I", "States": {"I": {"Type": "Succeed"}}}}}}$$);
-- Map limits and options
:v($${"StartAt": "M", "States": {"M": {"Type": "Map", "End": true,
  "ItemProcessor": {"StartAt": "I", "States": {"I": {"Type": "Succeed"}}},
  "MaxConcurrency": 5, "MaxConcurrencyPath": "$.n",
  "ToleratedFailurePercentage": 5, "ToleratedFailurePercentagePath": "$.p",
  "ToleratedFailureCount": 5, "ToleratedFailureCountPath": "$.c",
  "ItemSelector": {}, "Parameters": {}}}}$$);
:v($${"StartAt": "M", "States": {"M": {"Type": "Map", "End": true,
  "ItemProcessor": {"StartAt": "I", "States": {"I": {"Type": "Succeed"}}},
  "MaxConcurrency": -1, "ToleratedFailurePercentage": 101, "ToleratedFailureCount": 1.5,
  "ItemReader": "s3", "ResultWriter": [], "ItemBatcher": 10, "Label": 7}}}$$);
:v($${"StartAt": "M", "States": {"M": {"Type": "Map", "End": true,
  "ItemProcessor": {"StartAt": "I", "States": {"I": {"Type": "Succeed"}}},
  "MaxConcurrencyPath": "$.n[*]", "ToleratedFailurePercentagePath": "p",
  "ToleratedFailureCountPath": "$..c"}}}$$);

-- nesting deeper than 32 Parallel levels is TOO_DEEPLY_NESTED, reported once
WITH RECURSIVE nest(depth, def) AS (
  SELECT 0, '{"StartAt": "S0", "States": {"S0": {"Type": "Succeed"}}}'::jsonb
  UNION ALL
  SELECT depth + 1, jsonb_build_object('StartAt', 'P' || depth, 'States',
           jsonb_build_object('P' || depth, jsonb_build_object('Type', 'Parallel',
             'End', true, 'Branches', jsonb_build_array(def))))
  FROM nest WHERE depth < 40)
SELECT depth, v.code, length(v.location) AS location_length, v.message
FROM nest, sfn_validate_state_machine_definition(def) v
WHERE depth IN (32, 33, 40);
