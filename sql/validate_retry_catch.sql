-- Validation of Retry and Catch: where they are allowed, ErrorEquals and
-- States.ALL, retrier fields, catcher targets.
\set SHOW_CONTEXT never
\set v 'SELECT severity, code, location, message FROM sfn_validate_state_machine_definition'

-- valid: every retrier field, catchers on Task, Parallel and Map
:v($${"StartAt": "T", "States": {
  "T": {"Type": "Task", "Resource": "arn:x", "Next": "P",
        "Retry": [{"ErrorEquals": ["States.Timeout", "Custom"], "IntervalSeconds": 3,
                   "MaxAttempts": 0, "BackoffRate": 1, "MaxDelaySeconds": 10,
                   "JitterStrategy": "FULL", "Comment": "c"},
                  {"ErrorEquals": ["States.ALL"], "BackoffRate": 1.5, "JitterStrategy": "NONE"}],
        "Catch": [{"ErrorEquals": ["Custom"], "Next": "F", "ResultPath": "$.error", "Comment": "c"},
                  {"ErrorEquals": ["States.ALL"], "Next": "F", "ResultPath": null}]},
  "P": {"Type": "Parallel", "Next": "M",
        "Branches": [{"StartAt": "B", "States": {"B": {"Type": "Succeed"}}}],
        "Retry": [{"ErrorEquals": ["States.ALL"]}],
        "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "F"}]},
  "M": {"Type": "Map", "End": true,
        "ItemProcessor": {"StartAt": "I", "States": {"I": {"Type": "Succeed"}}},
        "Retry": [{"ErrorEquals": ["States.ALL"]}],
        "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "F"}]},
  "F": {"Type": "Fail"}}}$$);

-- only Task, Parallel and Map have Retry and Catch
:v($${"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true,
  "Retry": [{"ErrorEquals": ["States.ALL"]}], "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "P"}]}}}$$);
:v($${"StartAt": "C", "States": {"C": {"Type": "Choice", "Default": "S",
  "Choices": [{"Variable": "$.x", "IsNull": true, "Next": "S"}],
  "Retry": [{"ErrorEquals": ["States.ALL"]}]}, "S": {"Type": "Succeed"}}}$$);

-- Retry and Catch must be arrays of objects
:v($${"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:x", "End": true,
  "Retry": {"ErrorEquals": ["States.ALL"]}, "Catch": "all"}}}$$);
:v($${"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:x", "End": true,
  "Retry": ["States.ALL"], "Catch": [null]}}}$$);

-- ErrorEquals: required, a non-empty array of strings
:v($${"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:x", "End": true,
  "Retry": [{"MaxAttempts": 1}, {"ErrorEquals": []}, {"ErrorEquals": "States.ALL"},
            {"ErrorEquals": ["A", 1, null]}]}}}$$);
:v($${"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:x", "Next": "F",
  "Catch": [{"Next": "F"}, {"ErrorEquals": [], "Next": "F"}, {"ErrorEquals": [true], "Next": "F"}]},
  "F": {"Type": "Fail"}}}$$);

-- States.ALL must be alone, and in the last retrier / catcher
:v($${"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:x", "Next": "F",
  "Retry": [{"ErrorEquals": ["States.ALL", "Custom"]},
            {"ErrorEquals": ["States.ALL"]},
            {"ErrorEquals": ["Other"]}],
  "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "F"},
            {"ErrorEquals": ["Custom", "States.ALL"], "Next": "F"}]},
  "F": {"Type": "Fail"}}}$$);

-- retrier fields
:v($${"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:x", "End": true,
  "Retry": [{"ErrorEquals": ["A"], "IntervalSeconds": 0, "MaxAttempts": -1,
             "BackoffRate": 0.5, "MaxDelaySeconds": 0, "JitterStrategy": "HALF"},
            {"ErrorEquals": ["B"], "IntervalSeconds": 1.5, "MaxAttempts": "3",
             "BackoffRate": "2", "MaxDelaySeconds": 31622401, "JitterStrategy": true},
            {"ErrorEquals": ["C"], "IntervalSeconds": 100000000, "MaxAttempts": 100000000,
             "Next": "T", "Backoff": 2}]}}}$$);

-- catcher fields: Next required and resolved, ResultPath a reference path
:v($${"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:x", "Next": "F",
  "Catch": [{"ErrorEquals": ["A"]},
            {"ErrorEquals": ["B"], "Next": "Nowhere"},
            {"ErrorEquals": ["C"], "Next": "F", "ResultPath": "$.errors[*]"},
            {"ErrorEquals": ["D"], "Next": "F", "ResultPath": 3, "MaxAttempts": 1}]},
  "F": {"Type": "Fail"}}}$$);
