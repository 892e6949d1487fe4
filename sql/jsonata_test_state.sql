--
-- jsonata_test_state: TestState (sfn_test_state) with JSONata states and
-- the variables argument: the state sees the given variables, and DEBUG's
-- inspectionData shows afterArguments and the variables after the state.
--
\set SHOW_CONTEXT never

-- A Pass state reading a variable and assigning two.
SELECT sfn_test_state($j${"Type": "Pass", "QueryLanguage": "JSONata",
    "Assign": {"count": "{% $count + 1 %}", "seen": "{% $states.input.id %}"},
    "Output": {"id": "{% $states.input.id %}", "countBefore": "{% $count %}"},
    "End": true}$j$, '{"id": "a-1"}', variables => '{"count": 41, "other": true}',
    inspection_level => 'DEBUG');

-- A mocked Task: Arguments, then Output and Assign over $states.result.
SELECT sfn_test_state($j${"Type": "Task", "QueryLanguage": "JSONata",
    "Resource": "arn:aws:states:::lambda:invoke",
    "Arguments": {"FunctionName": "f", "Payload": {"who": "{% $user %}", "n": "{% $states.input.n %}"}},
    "Output": {"answer": "{% $states.result.Payload %}"},
    "Assign": {"lastAnswer": "{% $states.result.Payload %}"},
    "End": true}$j$, '{"n": 3}', variables => '{"user": "ana"}',
    mock => '{"result": "{\"Payload\": 42}"}', inspection_level => 'DEBUG');

-- A mocked error caught: the catcher's Output reads $states.errorOutput.
SELECT sfn_test_state($j${"Type": "Task", "QueryLanguage": "JSONata",
    "Resource": "arn:aws:states:::lambda:invoke",
    "Arguments": {"FunctionName": "f"},
    "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Recover",
               "Output": {"why": "{% $states.errorOutput.Cause %}"},
               "Assign": {"failed": true}}],
    "End": true}$j$, '{}', mock => '{"errorOutput": {"error": "Boom", "cause": "it broke"}}',
    inspection_level => 'DEBUG');

-- Choice with a JSONata Condition on a variable.
SELECT sfn_test_state($j${"StartAt": "C", "QueryLanguage": "JSONata", "States": {
    "C": {"Type": "Choice", "Choices": [
            {"Condition": "{% $limit < $states.input.n %}", "Next": "Big"}],
          "Default": "Small"},
    "Big": {"Type": "Succeed"}, "Small": {"Type": "Succeed"}}}$j$,
    '{"n": 5}', state_name => 'C', variables => '{"limit": 3}');

-- A mocked Map: Items as an expression.
SELECT sfn_test_state($j${"Type": "Map", "QueryLanguage": "JSONata",
    "Items": "{% $states.input.list[$ > 1] %}",
    "ItemProcessor": {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}},
    "Output": {"n": "{% $count($states.result) %}"},
    "End": true}$j$, '{"list": [1, 2, 3]}', mock => '{"result": "[2, 3]"}',
    inspection_level => 'DEBUG');
