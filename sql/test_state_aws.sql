-- sfn_test_state with the arguments of AWS's TestState API (issue 10).
--
-- AWS behaviour: the TestState API reference (API_TestState,
-- API_MockInput, API_TestStateConfiguration, API_InspectionData,
-- API_InspectionErrorDetails) and responses recorded on AWS itself
-- (published as the recorded snapshots of LocalStack's TestState tests,
-- tests/aws/services/stepfunctions/v2/test_state/*.snapshot.json): the
-- messages quoted below are AWS's own.  Outputs and inspectionData values
-- are JSON text, as in AWS's response.
\set SHOW_CONTEXT never
\set VERBOSITY default

-- A state inside a Map's ItemProcessor, a legacy Iterator or a Parallel
-- branch can be named: AWS runs it (recorded: stateName "HandleItem" in a
-- Map's ItemProcessor succeeds); nextState is its Next in that branch.
\set nested '{"StartAt":"M","States":{"M":{"Type":"Map","ItemProcessor":{"StartAt":"HandleItem","States":{"HandleItem":{"Type":"Pass","Parameters":{"v.$":"$.Value"},"Next":"Tail"},"Tail":{"Type":"Succeed"}}},"Next":"P"},"P":{"Type":"Parallel","Branches":[{"StartAt":"B1","States":{"B1":{"Type":"Choice","Choices":[{"Variable":"$.n","NumericEquals":1,"Next":"B2"}],"Default":"B3"},"B2":{"Type":"Pass","End":true},"B3":{"Type":"Fail","Error":"E"}}}],"Next":"I"},"I":{"Type":"Map","Iterator":{"StartAt":"Inner","States":{"Inner":{"Type":"Pass","Result":"in","End":true}}},"End":true}}}'
SELECT sfn_test_state(:'nested', '{"Value":"HelloWorld"}', 'HandleItem');
SELECT sfn_test_state(:'nested', '{"n":1}', 'B1');
SELECT sfn_test_state(:'nested', '{"n":2}', 'B1');
SELECT sfn_test_state(:'nested', '{}', 'B3');
SELECT sfn_test_state(:'nested', '{}', 'Inner');
-- AWS: ValidationException "State not found in definition" (pg_sfn names it).
SELECT sfn_test_state(:'nested', '{}', 'Nowhere');

-- inspectionLevel: INFO (the default) shows no inspectionData; DEBUG and
-- TRACE show the data after each step.  Recorded for a Pass state: input,
-- afterInputPath, afterParameters, afterResultSelector (the result) and
-- afterResultPath; for a Fail state the input only.
SELECT sfn_test_state('{"Type":"Pass","InputPath":"$.a","Parameters":{"x.$":"$.b"},"ResultPath":"$.r","Next":"N"}',
                      '{"a":{"b":1},"c":2}', inspection_level => 'DEBUG');
SELECT sfn_test_state('{"Type":"Pass","Result":{"k":1},"End":true}', '{"q":1}', inspection_level => 'TRACE');
SELECT sfn_test_state('{"Type":"Fail","Error":"SomeFailure","Cause":"c"}', '{"Value":"HelloWorld"}',
                      inspection_level => 'DEBUG');
SELECT sfn_test_state('{"Type":"Choice","InputPath":"$.x","Choices":[{"Variable":"$.n","NumericEquals":1,"Next":"One"}],"Default":"Other"}',
                      '{"x":{"n":1}}', inspection_level => 'DEBUG');
SELECT sfn_test_state('{"Type":"Pass","End":true}', '{}', inspection_level => 'INFO');
-- A step that fails: the steps before it are shown.
SELECT sfn_test_state('{"Type":"Pass","InputPath":"$.a","Parameters":{"x.$":"$.missing"},"End":true}',
                      '{"a":{}}', inspection_level => 'DEBUG');
SELECT sfn_test_state('{"Type":"Pass","End":true}', '{}', inspection_level => 'VERBOSE');

-- mock: a Task state runs on the mocked result, through ResultSelector,
-- ResultPath and OutputPath (recorded: result, afterResultSelector,
-- afterResultPath).  result is JSON text as in AWS's API; pg_sfn also
-- takes the JSON value itself.
\set task '{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Parameters":{"FunctionName":"f","Payload.$":"$"},"ResultSelector":{"body.$":"$.Payload"},"ResultPath":"$.out","OutputPath":"$.out","Next":"After"}'
SELECT sfn_test_state(:'task', '{"id":7}', mock => '{"result":"{\"Payload\":{\"ok\":true},\"StatusCode\":200}"}',
                      inspection_level => 'DEBUG');
SELECT sfn_test_state(:'task', '{"id":7}', mock => '{"result":{"Payload":[1,2]}}');
-- A mocked error: status FAILED with the mocked error and cause as given.
SELECT sfn_test_state(:'task', '{"id":7}',
                      mock => '{"errorOutput":{"error":"MockException","cause":"Mock the cause of the error."}}',
                      inspection_level => 'DEBUG');
-- fieldValidationMode: STRICT (default), PRESENT or NONE.  AWS checks a
-- result against the service's API model; pg_sfn has none, so every mode
-- takes any JSON result (documented in README).
SELECT sfn_test_state(:'task', '{}', mock => '{"result":"{\"Payload\":1}","fieldValidationMode":"NONE"}') ->> 'status' AS none_mode;
SELECT sfn_test_state(:'task', '{}', mock => '{"result":"{\"Payload\":1}","fieldValidationMode":"LAX"}');
SELECT sfn_test_state(:'task', '{}', mock => '{"result":"not json"}');
-- AWS: "A test mock should have only one of the following fields: [result, errorOutput]."
SELECT sfn_test_state(:'task', '{}', mock => '{"result":"{}","errorOutput":{"error":"E"}}');
SELECT sfn_test_state(:'task', '{}', mock => '{"fieldValidationMode":"NONE"}');
SELECT sfn_test_state(:'task', '{}', mock => '{"result":"{}","extra":1}');
-- AWS: "TestState does not support RevealSecrets when a mock is specified."
SELECT sfn_test_state(:'task', '{}', mock => '{"result":"{}"}', reveal_secrets => true);
-- AWS: "State type 'Pass' is not supported when a mock is specified" (also
-- Fail, Succeed; pg_sfn says the same of Choice and Wait).
SELECT sfn_test_state('{"Type":"Pass","End":true}', '{}', mock => '{"result":"{}"}');
SELECT sfn_test_state('{"Type":"Succeed"}', '{}', mock => '{"errorOutput":{"error":"E"}}');
SELECT sfn_test_state('{"Type":"Wait","Seconds":1,"End":true}', '{}', mock => '{"result":"{}"}');
-- Without a mock TestState calls only resources that answer at once (SQL
-- tasks, mapped Lambda functions: sql/test_state_tasks.sql); an HTTP task
-- needs a mock.
SELECT sfn_test_state('{"Type":"Task","Resource":"arn:aws:states:::http:invoke","Parameters":{"ApiEndpoint":"https://example.com","Method":"GET"},"End":true}', '{}');

-- Map and Parallel without a mock: InvalidDefinition, AWS's message.
\set map '{"Type":"Map","ItemsPath":"$.Values","ToleratedFailureCount":1,"ItemProcessor":{"StartAt":"Work","States":{"Work":{"Type":"Pass","End":true}}},"ResultPath":"$.r","Next":"Done"}'
\set par '{"Type":"Parallel","Branches":[{"StartAt":"A","States":{"A":{"Type":"Pass","End":true}}},{"StartAt":"B","States":{"B":{"Type":"Pass","End":true}}}],"End":true}'
SELECT sfn_test_state(:'map', '{"Values":[1,2,3]}');
SELECT sfn_test_state(:'par', '{}');
SELECT sfn_test_state(:'nested', '{}', 'M');
-- With a mock they run: a Map's mocked result is the array of iteration
-- results, a Parallel's one result per branch (AWS: "Mocked result must be
-- an array.", "Mocked result must contain the same number of items as
-- number of Parallel branches.", and for a Map with a ResultWriter
-- "Mocked result must be a JSON object.").  Recorded for a Map at DEBUG:
-- afterItemsPath, maxConcurrency, toleratedFailureCount.
SELECT sfn_test_state(:'map', '{"Values":[1,2,3]}', mock => '{"result":"[10,20,30]"}', inspection_level => 'DEBUG');
SELECT sfn_test_state(:'map', '{"Values":[1,2,3]}', mock => '{"result":"{\"a\":1}"}');
SELECT sfn_test_state('{"Type":"Map","ItemProcessor":{"StartAt":"W","States":{"W":{"Type":"Pass","End":true}}},"ResultWriter":{},"End":true}',
                      '[1]', mock => '{"result":"[1]"}');
SELECT sfn_test_state(:'par', '{"x":1}', mock => '{"result":"[1,2]"}');
SELECT sfn_test_state(:'par', '{"x":1}', mock => '{"result":"[1]"}');
SELECT sfn_test_state(:'par', '{"x":1}', mock => '{"result":"{}"}');
-- A Map's ItemsPath must select an array (AWS's cause).
SELECT sfn_test_state(:'map', '{"Values":5}', mock => '{"result":"[]"}');

-- stateConfiguration.mapIterationFailureCount: over the Map's tolerance the
-- Map fails with AWS's States.ExceedToleratedFailureThreshold.
SELECT sfn_test_state(:'map', '{"Values":[1,2,3]}', mock => '{"result":"[1,1,1]"}',
                      state_configuration => '{"mapIterationFailureCount":1}') ->> 'status' AS within_tolerance;
SELECT sfn_test_state(:'map', '{"Values":[1,2,3]}', mock => '{"result":"[1,1,1]"}',
                      state_configuration => '{"mapIterationFailureCount":2}');
SELECT sfn_test_state('{"Type":"Map","ToleratedFailurePercentage":50,"ItemProcessor":{"StartAt":"W","States":{"W":{"Type":"Pass","End":true}}},"End":true}',
                      '[1,2,3,4]', mock => '{"result":"[1,1,1,1]"}',
                      state_configuration => '{"mapIterationFailureCount":3}') ->> 'error' AS over_percentage;
SELECT sfn_test_state(:'task', '{}', mock => '{"result":"{}"}',
                      state_configuration => '{"mapIterationFailureCount":1}');
-- errorCausedByState: a state inside the mocked Map or Parallel.
SELECT sfn_test_state(:'par', '{}', mock => '{"errorOutput":{"error":"MockException","cause":"c"}}',
                      state_configuration => '{"errorCausedByState":"B"}');
SELECT sfn_test_state(:'par', '{}', mock => '{"errorOutput":{"error":"MockException","cause":"c"}}',
                      state_configuration => '{"errorCausedByState":"Elsewhere"}');
SELECT sfn_test_state(:'par', '{}', mock => '{"result":"[1,2]"}',
                      state_configuration => '{"errorCausedByState":"B"}');
SELECT sfn_test_state(:'task', '{}', mock => '{"result":"{}"}', state_configuration => '{"retrierRetryCount":-1}');
SELECT sfn_test_state(:'task', '{}', mock => '{"result":"{}"}', state_configuration => '{"bogus":1}');
SELECT sfn_test_state(:'map', '{"Values":[]}', mock => '{"result":"[]"}',
                      state_configuration => '{"mapItemReaderData":"a,b"}');

-- context: the object $$ becomes, replacing the generated one (recorded:
-- $$.State.Name is the given "MyTaskState"; {} gives $$ = {}).
SELECT sfn_test_state('{"Type":"Pass","Parameters":{"c.$":"$$","n.$":"$$.Execution.Input.values[1]"},"End":true}', '{}',
                      context => '{"Execution":{"Id":"arn:aws:states:::execution:M:e","Input":{"values":["a","b"]},"Name":"e"},"State":{"Name":"MyTaskState","RetryCount":0},"StateMachine":{"Name":"M"}}');
SELECT sfn_test_state('{"Type":"Pass","Parameters":{"c.$":"$$"},"End":true}', '{}', context => '{}');
-- AWS's recorded ValidationException messages for a bad context object.
SELECT sfn_test_state(:'task', '{}', mock => '{"result":"{}"}', context => '{"Execution":{"Id":1}}');
SELECT sfn_test_state(:'task', '{}', mock => '{"result":"{}"}', context => '{"Map":{}}');
SELECT sfn_test_state(:'task', '{}', mock => '{"result":"{}"}', context => '{"Execution":{"pokemon":"squirtle"}}');
SELECT sfn_test_state(:'task', '{}', mock => '{"result":"{}"}', context => '{"Pokedex":{}}');
SELECT sfn_test_state(:'task', '{}', mock => '{"result":"{}"}', context => '{"Task":{"Token":"t"}}');
-- $$.Task is allowed for a callback task.
SELECT sfn_test_state('{"Type":"Task","Resource":"arn:aws:states:::sqs:sendMessage.waitForTaskToken","Parameters":{"QueueUrl":"q","MessageBody":{"TaskToken.$":"$$.Task.Token"}},"ResultPath":"$.SQS","End":true}',
                      '{}', mock => '{"result":"{\"ok\":1}"}', context => '{"Task":{"Token":"abcd123"}}',
                      inspection_level => 'DEBUG');

-- variables: the bindings the state sees (sql/jsonata_test_state.sql has
-- more); they must be an object.
SELECT sfn_test_state('{"Type":"Pass","Parameters":{"v.$":"$x"},"End":true}', '{}', variables => '{"x":1}');
SELECT sfn_test_state('{"Type":"Pass","End":true}', '{}', variables => '[1]');

-- Retry and Catch of a mocked error (engine/retry.c's rules).  AWS's
-- statuses: RETRIABLE when a retrier still has attempts left (errorDetails
-- retryIndex and retryBackoffIntervalSeconds, here IntervalSeconds *
-- BackoffRate^retrierRetryCount = 2 * 2^3), FAILED with retryIndex alone
-- when its attempts are used up and nothing catches (both recorded), and
-- CAUGHT_ERROR with the catcher's Next as nextState and the error placed
-- by the catcher's ResultPath (errorDetails catchIndex).
\set rtask '{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Parameters":{"FunctionName":"foo","Payload":"bar"},"Retry":[{"ErrorEquals":["MockException"],"IntervalSeconds":2,"BackoffRate":2,"MaxAttempts":4}],"Next":"Done"}'
\set err '{"errorOutput":{"error":"MockException","cause":"Mock the cause of the error."}}'
SELECT sfn_test_state(:'rtask', '{}', mock => :'err', state_configuration => '{"retrierRetryCount":3}',
                      inspection_level => 'DEBUG');
SELECT sfn_test_state(:'rtask', '{}', mock => :'err', state_configuration => '{"retrierRetryCount":4}',
                      inspection_level => 'DEBUG');
-- No retrierRetryCount: the first attempt failed (retries made: 0).
SELECT sfn_test_state(:'rtask', '{}', mock => :'err');
-- Another error: no retrier matches.
SELECT sfn_test_state(:'rtask', '{}', mock => '{"errorOutput":{"error":"Other"}}', inspection_level => 'DEBUG');
\set ctask '{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Retry":[{"ErrorEquals":["States.Timeout"]},{"ErrorEquals":["MockException"],"MaxAttempts":1}],"Catch":[{"ErrorEquals":["Nope"],"Next":"X"},{"ErrorEquals":["States.ALL"],"ResultPath":"$.errorOutput","Next":"HandleError"}],"Next":"Done"}'
SELECT sfn_test_state(:'ctask', '{"in":1}', mock => :'err', state_configuration => '{"retrierRetryCount":1}',
                      inspection_level => 'DEBUG');
SELECT sfn_test_state(:'ctask', '{"in":1}', mock => :'err') ->> 'status' AS first_attempt;
-- A Map over its failure tolerance: the threshold error goes through the
-- Map's Catch (recorded: CAUGHT_ERROR, catchIndex, nextState).
SELECT sfn_test_state('{"Type":"Map","ItemsPath":"$.Values","ToleratedFailureCount":1,"ItemProcessor":{"StartAt":"W","States":{"W":{"Type":"Pass","End":true}}},"Catch":[{"ErrorEquals":["States.ExceedToleratedFailureThreshold"],"Next":"HandleThreshold"}],"End":true}',
                      '{"Values":[1,2,3]}', mock => '{"result":"[1,1,1]"}',
                      state_configuration => '{"mapIterationFailureCount":2}', inspection_level => 'DEBUG');
-- States.Runtime from the data flow after the result is not caught.
SELECT sfn_test_state('{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","ResultSelector":{"x.$":"$.missing"},"Catch":[{"ErrorEquals":["States.ALL"],"Next":"H"}],"End":true}',
                      '{}', mock => '{"result":"{}"}');
-- README's example.
SELECT sfn_test_state(
  '{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","ResultSelector":{"body.$":"$.Payload"},
    "Retry":[{"ErrorEquals":["MyError"],"MaxAttempts":2}],"Next":"After"}',
  '{"id":7}',
  inspection_level => 'DEBUG',
  mock => '{"errorOutput":{"error":"MyError","cause":"boom"}}',
  state_configuration => '{"retrierRetryCount":1}');
-- pg_sfn's own integration, mocked; a callback task sees a task token in
-- $$.Task.Token when no context is given.
SELECT sfn_test_state('{"Type":"Task","Resource":"arn:aws:states:::sql:invoke.waitForTaskToken","Parameters":{"token.$":"$$.Task.Token"},"ResultPath":"$.r","End":true}',
                      '{"a":1}', mock => '{"result":"{\"ok\":true}"}', inspection_level => 'DEBUG');
