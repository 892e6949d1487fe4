-- Validation of a definition's overall structure: the top level, StartAt,
-- States, Type, transitions, reachability, terminal states.
\set SHOW_CONTEXT never
\set v 'SELECT severity, code, location, message FROM sfn_validate_state_machine_definition'

-- a minimal valid definition: no rows
:v($${"StartAt": "A", "States": {"A": {"Type": "Pass", "End": true}}}$$);
-- EXPRESS accepts the same grammar
:v($${"StartAt": "A", "States": {"A": {"Type": "Succeed"}}}$$, 'EXPRESS');

-- arguments
SELECT * FROM sfn_validate_state_machine_definition(NULL);
SELECT * FROM sfn_validate_state_machine_definition('{}', NULL);
SELECT * FROM sfn_validate_state_machine_definition('{}', 'BATCH');

-- not an object
:v('[]');
:v('"StartAt"');
:v('null');

-- missing StartAt and States
:v('{}');
:v($${"StartAt": "A"}$$);
:v($${"States": {"A": {"Type": "Succeed"}}}$$);
-- wrong types
:v($${"StartAt": 1, "States": {"A": {"Type": "Succeed"}}}$$);
:v($${"StartAt": "A", "States": [{"Type": "Succeed"}]}$$);
:v($${"StartAt": "A", "States": {}}$$);

-- StartAt naming no state
:v($${"StartAt": "Nope", "States": {"A": {"Type": "Succeed"}}}$$);

-- top-level fields
:v($${"StartAt": "A", "Comment": "ok", "Version": "1.0", "TimeoutSeconds": 60,
      "QueryLanguage": "JSONPath", "States": {"A": {"Type": "Succeed"}}}$$);
:v($${"StartAt": "A", "Commentary": "x", "Comment": 1, "Version": 1.0,
      "States": {"A": {"Type": "Succeed"}}}$$);
:v($${"StartAt": "A", "TimeoutSeconds": 0, "States": {"A": {"Type": "Succeed"}}}$$);
:v($${"StartAt": "A", "TimeoutSeconds": 1.5, "States": {"A": {"Type": "Succeed"}}}$$);
:v($${"StartAt": "A", "TimeoutSeconds": "60", "States": {"A": {"Type": "Succeed"}}}$$);
:v($${"StartAt": "A", "TimeoutSeconds": 100000000, "States": {"A": {"Type": "Succeed"}}}$$);
:v($${"StartAt": "A", "QueryLanguage": "JSONata", "States": {"A": {"Type": "Succeed"}}}$$);
:v($${"StartAt": "A", "QueryLanguage": "XPath", "States": {"A": {"Type": "Succeed"}}}$$);
:v($${"StartAt": "A", "States": {"A": {"Type": "Succeed", "QueryLanguage": "JSONata"}}}$$);

-- states: not objects, no Type, unknown Type
:v($${"StartAt": "A", "States": {"A": "Succeed"}}$$);
:v($${"StartAt": "A", "States": {"A": {"End": true}}}$$);
:v($${"StartAt": "A", "States": {"A": {"Type": "Sleep", "End": true}}}$$);
:v($${"StartAt": "A", "States": {"A": {"Type": 7, "End": true}}}$$);
:v($${"StartAt": "A", "States": {"A": {"Type": "pass", "End": true}}}$$);

-- Next and End
:v($${"StartAt": "A", "States": {"A": {"Type": "Pass"}, "B": {"Type": "Succeed"}}}$$);
:v($${"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "B", "End": true},
                                  "B": {"Type": "Succeed"}}}$$);
:v($${"StartAt": "A", "States": {"A": {"Type": "Pass", "End": "yes"}}}$$);
:v($${"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": 2}}}$$);
:v($${"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "Nowhere"}}}$$);
-- "End": false is the same as no End
:v($${"StartAt": "A", "States": {"A": {"Type": "Pass", "End": false, "Next": "B"},
                                  "B": {"Type": "Pass", "End": true}}}$$);
:v($${"StartAt": "A", "States": {"A": {"Type": "Pass", "End": false}}}$$);
-- Succeed, Fail and Choice have neither
:v($${"StartAt": "A", "States": {"A": {"Type": "Succeed", "Next": "B"},
                                  "B": {"Type": "Fail", "End": true}}}$$);
:v($${"StartAt": "A", "States": {"A": {"Type": "Choice", "End": true, "Next": "B",
          "Choices": [{"Variable": "$.x", "IsPresent": true, "Next": "B"}]},
       "B": {"Type": "Succeed"}}}$$);

-- unreachable states (AWS reports them as MISSING_TRANSITION_TARGET)
:v($${"StartAt": "A", "States": {"A": {"Type": "Pass", "End": true},
                                  "B": {"Type": "Pass", "Next": "C"},
                                  "C": {"Type": "Succeed"}}}$$);
-- reachable through Choice rules, Default and Catch
:v($${"StartAt": "A", "States": {
  "A": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Next": "C",
        "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Caught"}]},
  "Caught": {"Type": "Fail", "Error": "E"},
  "C": {"Type": "Choice", "Choices": [{"Variable": "$.x", "IsNull": true, "Next": "D"}],
        "Default": "E"},
  "D": {"Type": "Succeed"},
  "E": {"Type": "Succeed"}}}$$);

-- no terminal state
:v($${"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "B"},
                                  "B": {"Type": "Pass", "Next": "A"}}}$$);

-- every problem is reported, not just the first
:v($${"StartAt": "X", "Extra": 1, "States": {
  "A": {"Type": "Pass", "Next": "Z", "Bogus": true},
  "B": {"Type": "Wait"},
  "C": {"Type": "Task"},
  "D": {"Type": "Choice", "Choices": []}}}$$);

-- the InvalidDefinition error of create and update lists every problem
SELECT sfn_create_state_machine('bad_definition',
  $${"StartAt": "X", "States": {"A": {"Type": "Pass"}, "B": {"Type": "Nope"}}}$$);
