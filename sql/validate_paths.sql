-- Validation of paths (InputPath, OutputPath, ResultPath, ItemsPath...),
-- payload templates (Parameters, ResultSelector, ItemSelector) and
-- intrinsic function calls in them.
\set SHOW_CONTEXT never
\set v 'SELECT severity, code, location, message FROM sfn_validate_state_machine_definition'

-- valid: any path for InputPath/OutputPath, null, context paths, templates
:v($j${"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true,
  "InputPath": "$.items[*].id", "OutputPath": null, "ResultPath": "$.a['b c'][0]",
  "Parameters": {"literal": "x", "n": [1, {"k": true}],
                 "path.$": "$.a.b", "all.$": "$", "ctx.$": "$$.Execution.Id",
                 "some.$": "$.items[?(@.price < 10)]",
                 "fmt.$": "States.Format('Hello, {}!', $.name)",
                 "nested": {"arr": [{"deep.$": "States.Array($.a, 1, 'x')"}]}}}}}$j$);
:v($${"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true,
  "InputPath": null, "ResultPath": null, "OutputPath": "$"}}}$$);

-- bad paths
:v($${"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true,
  "InputPath": "items", "OutputPath": "$.a[", "ResultPath": "$.a[*]"}}}$$);
:v($j${"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true,
  "InputPath": 1, "OutputPath": {}, "ResultPath": "$$.Execution.Id"}}}$j$);

-- Parameters and ResultSelector may be any JSON value (no rows), but a
-- ".$" key inside an array element is still checked
:v($${"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:x", "End": true,
  "Parameters": "x", "ResultSelector": [1, {"k.$": "nopath"}]}}}$$);

-- ".$" fields must hold a path or an intrinsic call, at any depth
:v($${"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:x", "End": true,
  "Parameters": {"a.$": "a.b", "b.$": 12, "c": {"d.$": "$.x[", "e": [0, {"f.$": null}]}},
  "ResultSelector": {"r.$": "$.Payload..x.$y["}}}}$$);

-- intrinsic functions: unknown names, wrong argument counts, syntax
:v($${"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:x", "End": true,
  "Parameters": {"a.$": "States.Frobnicate($.x)",
                 "b.$": "States.UUID(1)",
                 "c.$": "States.ArrayLength()",
                 "d.$": "States.Format('{}', $.x",
                 "e.$": "States.MathAdd(1, 2, 3)"}}}}$$);

-- NO_DOLLAR: a plain field whose value looks like a path or a call
:v($${"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true,
  "Parameters": {"a": "$.x", "b": "States.Format('{}', $.x)", "c": "$5 fee",
                 "d": {"e": "$"}}}}}$$);

-- ItemsPath and ItemSelector on Map
:v($j${"StartAt": "M", "States": {"M": {"Type": "Map", "End": true,
  "ItemsPath": "$.list", "ItemSelector": {"item.$": "$$.Map.Item.Value", "i.$": "$$.Map.Item.Index"},
  "ItemProcessor": {"StartAt": "I", "States": {"I": {"Type": "Succeed"}}}}}}$j$);
:v($j${"StartAt": "M", "States": {"M": {"Type": "Map", "End": true,
  "ItemsPath": "list", "ItemSelector": {"item.$": "$$.Map.Item.Value[", "x.$": 1},
  "ItemProcessor": {"StartAt": "I", "States": {"I": {"Type": "Succeed"}}}}}}$j$);
:v($${"StartAt": "M", "States": {"M": {"Type": "Map", "End": true, "ItemSelector": 5,
  "ItemProcessor": {"StartAt": "I", "States": {"I": {"Type": "Succeed"}}}}}}$$);
