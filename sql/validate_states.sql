-- Validation of each state type's fields: which fields a type allows, the
-- required ones, and the values of Task, Wait, Fail, Pass and Succeed fields.
\set SHOW_CONTEXT never
\set v 'SELECT severity, code, location, message FROM sfn_validate_state_machine_definition'

-- fields a type does not have, and fields no state has
:v($${"StartAt": "F", "States": {"F": {"Type": "Fail", "ResultPath": "$.x",
      "InputPath": "$", "OutputPath": "$", "Parameters": {}, "Next": "F"}}}$$);
:v($${"StartAt": "S", "States": {"S": {"Type": "Succeed", "ResultPath": "$.x",
      "Parameters": {}, "ResultSelector": {}, "InputPath": "$", "OutputPath": "$"}}}$$);
:v($${"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 1, "End": true,
      "ResultPath": "$.x", "Parameters": {}, "Retry": [], "Catch": []}}}$$);
:v($${"StartAt": "C", "States": {"C": {"Type": "Choice", "ResultPath": "$.x",
      "Parameters": {}, "Choices": [{"Variable": "$.x", "IsNull": true, "Next": "E"}]},
      "E": {"Type": "Succeed"}}}$$);
:v($${"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true,
      "ResultSelector": {}, "Resource": "arn:x", "Retry": [], "Catch": [], "Seconds": 1}}}$$);
:v($${"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:x", "End": true,
      "Result": 1, "Branches": [], "ItemsPath": "$"}}}$$);
:v($${"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true, "Unknown": 1,
      "resultPath": "$.x", "Assign": {"x": 1}}}}$$);

-- Pass
:v($${"StartAt": "P", "States": {"P": {"Type": "Pass", "Result": {"a": [1, 2]},
      "ResultPath": "$.r", "Parameters": {"x.$": "$.y"}, "InputPath": "$.in",
      "OutputPath": "$.out", "Comment": "c", "End": true}}}$$);
:v($${"StartAt": "P", "States": {"P": {"Type": "Pass", "Comment": ["c"], "End": true}}}$$);
-- a Result is static: ".$" fields in it are a warning (PASS_RESULT_IS_STATIC)
:v($${"StartAt": "P", "States": {"P": {"Type": "Pass", "Result": {"a": {"b.$": "$.x"}},
      "End": true}}}$$);

-- Task
:v($${"StartAt": "T", "States": {"T": {"Type": "Task", "End": true}}}$$);
:v($${"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": 42, "End": true}}}$$);
:v($${"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "", "End": true}}}$$);
:v($${"StartAt": "T", "States": {"T": {"Type": "Task", "End": true,
      "Resource": "arn:aws:states:::lambda:invoke", "TimeoutSeconds": 300,
      "HeartbeatSeconds": 60, "Credentials": {"RoleArn": "arn:aws:iam::1:role/r"},
      "ResultSelector": {"p.$": "$.Payload"}, "ResultPath": "$.out"}}}$$);
:v($${"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:x", "End": true,
      "TimeoutSeconds": 0, "HeartbeatSeconds": -1}}}$$);
:v($${"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:x", "End": true,
      "TimeoutSeconds": 10.5, "HeartbeatSeconds": "5"}}}$$);
:v($${"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:x", "End": true,
      "TimeoutSeconds": 60, "HeartbeatSeconds": 60}}}$$);
:v($${"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:x", "End": true,
      "TimeoutSeconds": 60, "HeartbeatSeconds": 61}}}$$);
-- without TimeoutSeconds the default (99999999) bounds HeartbeatSeconds
:v($${"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:x", "End": true,
      "HeartbeatSeconds": 99999999}}}$$);
:v($${"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:x", "End": true,
      "TimeoutSeconds": 60, "TimeoutSecondsPath": "$.t",
      "HeartbeatSeconds": 6, "HeartbeatSecondsPath": "$.h"}}}$$);
:v($${"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:x", "End": true,
      "TimeoutSecondsPath": "$.t[*]", "HeartbeatSecondsPath": 5}}}$$);
:v($${"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:x", "End": true,
      "Credentials": "arn:aws:iam::1:role/r"}}}$$);
-- Express workflows cannot wait for jobs or callbacks
:v($${"StartAt": "A", "States": {
  "A": {"Type": "Task", "Resource": "arn:aws:states:::ecs:runTask.sync", "Next": "B"},
  "B": {"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken", "Next": "C"},
  "C": {"Type": "Task", "Resource": "arn:aws:states:::states:startExecution.sync:2", "End": true}}}$$,
  'EXPRESS');
:v($${"StartAt": "A", "States": {
  "A": {"Type": "Task", "Resource": "arn:aws:states:::ecs:runTask.sync", "End": true}}}$$,
  'STANDARD');
-- ... nor for activity workers: AWS (recorded) rejects an activity ARN in
-- an EXPRESS state machine at CreateStateMachine, at the Resource.
:v($${"StartAt": "A", "States": {
  "A": {"Type": "Task", "Resource": "arn:aws:states:us-east-1:123456789012:activity:approve", "End": true}}}$$,
  'EXPRESS');
:v($${"StartAt": "A", "States": {
  "A": {"Type": "Task", "Resource": "arn:aws:states:us-east-1:123456789012:activity:approve", "End": true}}}$$,
  'STANDARD');

-- Wait: exactly one of Seconds, Timestamp, SecondsPath, TimestampPath
:v($${"StartAt": "W", "States": {"W": {"Type": "Wait", "End": true}}}$$);
:v($${"StartAt": "W", "States": {"W": {"Type": "Wait", "End": true, "Seconds": 5,
      "SecondsPath": "$.s"}}}$$);
:v($${"StartAt": "W", "States": {"W": {"Type": "Wait", "End": true, "Seconds": 5,
      "Timestamp": "2016-03-14T01:59:00Z", "SecondsPath": "$.s", "TimestampPath": "$.t"}}}$$);
:v($j${"StartAt": "W", "States": {"W": {"Type": "Wait", "Next": "X", "Seconds": 0},
      "X": {"Type": "Wait", "Next": "Y", "Timestamp": "2016-03-14T01:59:00.123+05:30"},
      "Y": {"Type": "Wait", "Next": "Z", "SecondsPath": "$$.Execution.Input.s"},
      "Z": {"Type": "Wait", "End": true, "TimestampPath": "$.until"}}}$j$);
:v($${"StartAt": "W", "States": {"W": {"Type": "Wait", "End": true, "Seconds": -1}}}$$);
:v($${"StartAt": "W", "States": {"W": {"Type": "Wait", "End": true, "Seconds": 1.5}}}$$);
:v($${"StartAt": "W", "States": {"W": {"Type": "Wait", "End": true, "Seconds": "10"}}}$$);
:v($${"StartAt": "W", "States": {"W": {"Type": "Wait", "End": true, "Seconds": 100000000}}}$$);
:v($${"StartAt": "W", "States": {"W": {"Type": "Wait", "End": true, "Timestamp": "2016-03-14"}}}$$);
:v($${"StartAt": "W", "States": {"W": {"Type": "Wait", "End": true, "Timestamp": "2016-03-14t01:59:00z"}}}$$);
:v($${"StartAt": "W", "States": {"W": {"Type": "Wait", "End": true, "Timestamp": "2016-02-30T01:59:00Z"}}}$$);
:v($${"StartAt": "W", "States": {"W": {"Type": "Wait", "End": true, "Timestamp": "2016-03-14T01:59:00"}}}$$);
:v($${"StartAt": "W", "States": {"W": {"Type": "Wait", "End": true, "Timestamp": 1457920740}}}$$);
:v($${"StartAt": "W", "States": {"W": {"Type": "Wait", "End": true, "SecondsPath": "seconds"}}}$$);
:v($${"StartAt": "W", "States": {"W": {"Type": "Wait", "End": true, "TimestampPath": "$.t[0:2]"}}}$$);

-- Fail
:v($${"StartAt": "F", "States": {"F": {"Type": "Fail", "Error": "E", "Cause": "C"}}}$$);
:v($${"StartAt": "F", "States": {"F": {"Type": "Fail"}}}$$);
:v($${"StartAt": "F", "States": {"F": {"Type": "Fail", "ErrorPath": "$.error",
      "CausePath": "States.Format('failed: {}', $.why)"}}}$$);
:v($${"StartAt": "F", "States": {"F": {"Type": "Fail", "Error": "E", "ErrorPath": "$.e",
      "Cause": "C", "CausePath": "$.c"}}}$$);
:v($${"StartAt": "F", "States": {"F": {"Type": "Fail", "Error": 1, "Cause": {}}}}$$);
:v($${"StartAt": "F", "States": {"F": {"Type": "Fail", "ErrorPath": "$.e[*]",
      "CausePath": "States.Frobnicate($.x)"}}}$$);
:v($${"StartAt": "F", "States": {"F": {"Type": "Fail", "ErrorPath": 3,
      "CausePath": "States.Format("}}}$$);
-- a literal Error that looks like a path is a warning (NO_PATH)
:v($${"StartAt": "F", "States": {"F": {"Type": "Fail", "Error": "$.error", "Cause": "$.cause"}}}$$);

-- Succeed
:v($${"StartAt": "S", "States": {"S": {"Type": "Succeed", "InputPath": "$.a",
      "OutputPath": null, "Comment": "done"}}}$$);
