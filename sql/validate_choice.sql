-- Validation of Choice states and their rules, at any depth.
\set SHOW_CONTEXT never
\set v 'SELECT severity, code, location, message FROM sfn_validate_state_machine_definition'

-- every operator, And/Or/Not, nested: valid
:v($j${"StartAt": "C", "States": {"C": {"Type": "Choice", "Default": "D", "Choices": [
  {"Variable": "$.s", "StringEquals": "a", "Next": "D"},
  {"Variable": "$.s", "StringEqualsPath": "$.t", "Next": "D"},
  {"Variable": "$.s", "StringLessThan": "a", "Next": "D"},
  {"Variable": "$.s", "StringLessThanPath": "$.t", "Next": "D"},
  {"Variable": "$.s", "StringGreaterThan": "a", "Next": "D"},
  {"Variable": "$.s", "StringGreaterThanPath": "$.t", "Next": "D"},
  {"Variable": "$.s", "StringLessThanEquals": "a", "Next": "D"},
  {"Variable": "$.s", "StringLessThanEqualsPath": "$.t", "Next": "D"},
  {"Variable": "$.s", "StringGreaterThanEquals": "a", "Next": "D"},
  {"Variable": "$.s", "StringGreaterThanEqualsPath": "$.t", "Next": "D"},
  {"Variable": "$.s", "StringMatches": "log-*.t\\*t", "Next": "D"},
  {"Variable": "$.n", "NumericEquals": 1, "Next": "D"},
  {"Variable": "$.n", "NumericEqualsPath": "$.m", "Next": "D"},
  {"Variable": "$.n", "NumericLessThan": 1.5, "Next": "D"},
  {"Variable": "$.n", "NumericLessThanPath": "$.m", "Next": "D"},
  {"Variable": "$.n", "NumericGreaterThan": -1, "Next": "D"},
  {"Variable": "$.n", "NumericGreaterThanPath": "$.m", "Next": "D"},
  {"Variable": "$.n", "NumericLessThanEquals": 1e3, "Next": "D"},
  {"Variable": "$.n", "NumericLessThanEqualsPath": "$.m", "Next": "D"},
  {"Variable": "$.n", "NumericGreaterThanEquals": 0, "Next": "D"},
  {"Variable": "$.n", "NumericGreaterThanEqualsPath": "$.m", "Next": "D"},
  {"Variable": "$.b", "BooleanEquals": true, "Next": "D"},
  {"Variable": "$.b", "BooleanEqualsPath": "$.c", "Next": "D"},
  {"Variable": "$.t", "TimestampEquals": "2016-03-14T01:59:00Z", "Next": "D"},
  {"Variable": "$.t", "TimestampEqualsPath": "$.u", "Next": "D"},
  {"Variable": "$.t", "TimestampLessThan": "2016-03-14T01:59:00.5Z", "Next": "D"},
  {"Variable": "$.t", "TimestampLessThanPath": "$.u", "Next": "D"},
  {"Variable": "$.t", "TimestampGreaterThan": "2016-03-14T01:59:00-08:00", "Next": "D"},
  {"Variable": "$.t", "TimestampGreaterThanPath": "$.u", "Next": "D"},
  {"Variable": "$.t", "TimestampLessThanEquals": "2016-03-14T01:59:00+01:00", "Next": "D"},
  {"Variable": "$.t", "TimestampLessThanEqualsPath": "$.u", "Next": "D"},
  {"Variable": "$.t", "TimestampGreaterThanEquals": "2016-03-14T01:59:00Z", "Next": "D"},
  {"Variable": "$.t", "TimestampGreaterThanEqualsPath": "$.u", "Next": "D"},
  {"Variable": "$.x", "IsNull": true, "Next": "D"},
  {"Variable": "$.x", "IsPresent": false, "Next": "D"},
  {"Variable": "$.x", "IsNumeric": true, "Next": "D"},
  {"Variable": "$.x", "IsString": true, "Next": "D"},
  {"Variable": "$.x", "IsBoolean": false, "Next": "D"},
  {"Variable": "$.x", "IsTimestamp": true, "Next": "D"},
  {"Variable": "$$.Execution.Input.x", "IsPresent": true, "Next": "D"},
  {"Variable": "$['a b'][0].c", "IsPresent": true, "Next": "D"},
  {"And": [{"Variable": "$.n", "NumericGreaterThan": 0},
           {"Or": [{"Variable": "$.s", "StringEquals": "x"},
                   {"Not": {"Variable": "$.b", "BooleanEquals": true}}]}],
   "Next": "D", "Comment": "nested"}]},
  "D": {"Type": "Succeed"}}}$j$);

-- Choices missing, empty, not an array
:v($${"StartAt": "C", "States": {"C": {"Type": "Choice", "Default": "D"}, "D": {"Type": "Succeed"}}}$$);
:v($${"StartAt": "C", "States": {"C": {"Type": "Choice", "Choices": [], "Default": "D"}, "D": {"Type": "Succeed"}}}$$);
:v($${"StartAt": "C", "States": {"C": {"Type": "Choice", "Choices": {"Variable": "$.x"}, "Default": "D"}, "D": {"Type": "Succeed"}}}$$);

-- Next: required at the top level (and resolved), not allowed below
:v($${"StartAt": "C", "States": {"C": {"Type": "Choice", "Default": "D", "Choices": [
  {"Variable": "$.x", "IsNull": true},
  {"Variable": "$.x", "IsNull": true, "Next": 3},
  {"Variable": "$.x", "IsNull": true, "Next": "Elsewhere"},
  {"Not": {"Variable": "$.x", "IsNull": true, "Next": "D"}, "Next": "D"}]},
  "D": {"Type": "Succeed"}}}$$);
-- Default naming no state
:v($${"StartAt": "C", "States": {"C": {"Type": "Choice", "Default": "Nope", "Choices": [
  {"Variable": "$.x", "IsNull": true, "Next": "D"}]}, "D": {"Type": "Succeed"}}}$$);
:v($${"StartAt": "C", "States": {"C": {"Type": "Choice", "Default": ["D"], "Choices": [
  {"Variable": "$.x", "IsNull": true, "Next": "D"}]}, "D": {"Type": "Succeed"}}}$$);

-- rules: not an object, no operator, two operators, unknown fields
:v($${"StartAt": "C", "States": {"C": {"Type": "Choice", "Choices": [
  "$.x == 1",
  {"Variable": "$.x", "Next": "D"},
  {"Variable": "$.x", "StringEquals": "a", "NumericEquals": 1, "Next": "D"},
  {"And": [{"Variable": "$.x", "IsNull": true}], "Or": [{"Variable": "$.x", "IsNull": true}], "Next": "D"},
  {"Variable": "$.x", "StringEqual": "a", "Next": "D"},
  {"Variable": "$.x", "IsNull": true, "Next": "D", "Comment": 1}]},
  "D": {"Type": "Succeed"}}}$$);

-- Variable: required for comparisons, not allowed with And/Or/Not, a reference path
:v($${"StartAt": "C", "States": {"C": {"Type": "Choice", "Choices": [
  {"StringEquals": "a", "Next": "D"},
  {"Variable": "$.x", "And": [{"Variable": "$.x", "IsNull": true}], "Next": "D"},
  {"Variable": "x", "IsNull": true, "Next": "D"},
  {"Variable": "$.x[*]", "IsNull": true, "Next": "D"},
  {"Variable": "$..x", "IsNull": true, "Next": "D"},
  {"Variable": 5, "IsNull": true, "Next": "D"}]},
  "D": {"Type": "Succeed"}}}$$);

-- operand types
:v($${"StartAt": "C", "States": {"C": {"Type": "Choice", "Choices": [
  {"Variable": "$.x", "StringEquals": 1, "Next": "D"},
  {"Variable": "$.x", "StringMatches": null, "Next": "D"},
  {"Variable": "$.x", "NumericEquals": "1", "Next": "D"},
  {"Variable": "$.x", "NumericLessThan": true, "Next": "D"},
  {"Variable": "$.x", "BooleanEquals": "true", "Next": "D"},
  {"Variable": "$.x", "TimestampEquals": "yesterday", "Next": "D"},
  {"Variable": "$.x", "TimestampLessThan": "2016-03-14 01:59:00Z", "Next": "D"},
  {"Variable": "$.x", "TimestampGreaterThan": 1457920740, "Next": "D"},
  {"Variable": "$.x", "IsNull": "yes", "Next": "D"},
  {"Variable": "$.x", "IsPresent": 1, "Next": "D"}]},
  "D": {"Type": "Succeed"}}}$$);
-- *Path operands must be reference paths
:v($${"StartAt": "C", "States": {"C": {"Type": "Choice", "Choices": [
  {"Variable": "$.x", "StringEqualsPath": "abc", "Next": "D"},
  {"Variable": "$.x", "NumericLessThanPath": "$.a[1:2]", "Next": "D"},
  {"Variable": "$.x", "BooleanEqualsPath": true, "Next": "D"},
  {"Variable": "$.x", "TimestampEqualsPath": "$.t[?(@.a)]", "Next": "D"}]},
  "D": {"Type": "Succeed"}}}$$);

-- And/Or: non-empty arrays of rules; Not: one rule
:v($${"StartAt": "C", "States": {"C": {"Type": "Choice", "Choices": [
  {"And": [], "Next": "D"},
  {"Or": {"Variable": "$.x", "IsNull": true}, "Next": "D"},
  {"Not": [{"Variable": "$.x", "IsNull": true}], "Next": "D"},
  {"Not": {}, "Next": "D"}]},
  "D": {"Type": "Succeed"}}}$$);

-- problems deep inside are reported with their full location
:v($${"StartAt": "C", "States": {"C": {"Type": "Choice", "Choices": [
  {"Or": [{"Variable": "$.a", "IsNull": true},
          {"And": [{"Variable": "$.b", "IsNull": true},
                   {"Not": {"Variable": "$.c", "NumericEquals": "zero", "Next": "D"}}]}],
   "Next": "D"}]},
  "D": {"Type": "Succeed"}}}$$);

-- nesting deeper than 32 levels is reported, not recursed into
SELECT severity, code, location, message
FROM sfn_validate_state_machine_definition(
  jsonb_build_object('StartAt', 'C', 'States', jsonb_build_object(
    'C', jsonb_build_object('Type', 'Choice', 'Choices', jsonb_build_array(
      (repeat('{"Not": ', 40) || '{"Variable": "$.x", "IsNull": true}' || repeat('}', 40))::jsonb
        || '{"Next": "D"}')),
    'D', '{"Type": "Succeed"}'::jsonb)))
\gset deep_
SELECT :'deep_code' AS code, length(:'deep_location') AS location_length, :'deep_message' AS message;
-- 31 levels is fine
SELECT count(*)
FROM sfn_validate_state_machine_definition(
  jsonb_build_object('StartAt', 'C', 'States', jsonb_build_object(
    'C', jsonb_build_object('Type', 'Choice', 'Choices', jsonb_build_array(
      (repeat('{"Not": ', 31) || '{"Variable": "$.x", "IsNull": true}' || repeat('}', 31))::jsonb
        || '{"Next": "D"}')),
    'D', '{"Type": "Succeed"}'::jsonb)));
