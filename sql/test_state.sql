-- sfn_test_state: one state through the engine, no execution created.
\set SHOW_CONTEXT never
\set VERBOSITY default

SELECT count(*) AS executions_before FROM sfn.executions \gset

-- A lone Pass state with its Next.
SELECT sfn_test_state('{"Type":"Pass","Parameters":{"total.$":"States.MathAdd($.a, $.b)"},"ResultPath":"$.sum","Next":"After"}',
                      '{"a":2,"b":3}');
-- Parameters may be an array or a scalar.
SELECT sfn_test_state('{"Type":"Pass","Parameters":[1,{"a.$":"$.x"},"s"],"End":true}', '{"x":7}');
SELECT sfn_test_state('{"Type":"Pass","Parameters":5,"End":true}', '{"x":7}');
-- End: no nextState.
SELECT sfn_test_state('{"Type":"Pass","Result":{"x":1},"End":true}', '{}');
-- Choice reports the branch taken.
SELECT sfn_test_state('{"Type":"Choice","Choices":[{"Variable":"$.n","NumericGreaterThan":10,"Next":"Big"}],"Default":"Small"}', '{"n":11}');
SELECT sfn_test_state('{"Type":"Choice","Choices":[{"Variable":"$.n","NumericGreaterThan":10,"Next":"Big"}],"Default":"Small"}', '{"n":1}');
-- Wait does not wait.
SELECT sfn_test_state('{"Type":"Wait","Seconds":3600,"Next":"Later"}', '{"k":"v"}');
-- Errors come back as status FAILED with error and cause.
SELECT sfn_test_state('{"Type":"Pass","InputPath":"$.missing","End":true}', '{"a":1}');
SELECT sfn_test_state('{"Type":"Fail","Error":"Oops","Cause":"because"}', '{}');
SELECT sfn_test_state('{"Type":"Succeed","OutputPath":"$.a"}', '{"a":[1,2]}');
-- One state of a whole definition.
SELECT sfn_test_state($j${"StartAt":"A","States":{"A":{"Type":"Pass","Next":"B"},"B":{"Type":"Pass","Result":"b","End":true}}}$j$,
                      '{"q":1}', 'B');
SELECT sfn_test_state('{"StartAt":"A","States":{"A":{"Type":"Pass","End":true}}}', '{}', 'Nope');
-- Invalid state definitions and NULLs.
SELECT sfn_test_state('{"Type":"Pass","End":true,"Bogus":1}', '{}');
SELECT sfn_test_state(NULL, '{}');
SELECT sfn_test_state('{"Type":"Pass","End":true}', NULL);

SELECT count(*) - :executions_before AS executions_created FROM sfn.executions;
-- A state output over pg_sfn.max_payload_size: States.DataLimitExceeded,
-- with AWS's cause (no "An error occurred" prefix).
SET pg_sfn.max_payload_size = 1024;
SELECT sfn_test_state('{"Type":"Pass","Parameters":{"a.$":"$.s","b.$":"$.s"},"End":true}',
                      jsonb_build_object('s', repeat('x', 600)));
SELECT sfn_test_state('{"Type":"Pass","Parameters":{"a.$":"$.s"},"End":true}',
                      jsonb_build_object('s', repeat('x', 600))) ->> 'status' AS under_limit;
RESET pg_sfn.max_payload_size;
