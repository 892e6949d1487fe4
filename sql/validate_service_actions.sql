-- Service integrations in a Task's Resource (issue 10, Validation).
--
-- AWS rejects at CreateStateMachine a service integration whose action the
-- service does not have, or whose integration pattern (.sync, .sync:2,
-- .waitForTaskToken) that action does not support, with
-- SCHEMA_VALIDATION_FAILED at the Resource: "The resource provided <ARN>
-- is not recognized. The value is not a valid resource ARN, or the
-- resource is not available in this region." (AWS's message, as AWS
-- returns it for e.g. arn:aws:states:::glue:startJobRun.sync:2 and
-- arn:aws:states:::dynamodb:putItem.waitForTaskToken).  The actions and
-- patterns are those of AWS's "Optimized integrations for Step Functions"
-- page and its per-service pages (src/asl/service_actions.c).
\set SHOW_CONTEXT never
\set VERBOSITY default

CREATE FUNCTION pg_temp.task(resource text, type text DEFAULT 'STANDARD')
RETURNS TABLE (code text, location text, message text) LANGUAGE sql AS $$
	SELECT code, location, message FROM sfn_validate_state_machine_definition(
		jsonb_build_object('StartAt', 'T', 'States', jsonb_build_object('T',
			jsonb_build_object('Type', 'Task', 'Resource', resource, 'End', true))), type)
$$;

-- Every action of the table with each pattern it supports is accepted.
SELECT r AS rejected FROM unnest(ARRAY[
	'arn:aws:states:::apigateway:invoke', 'arn:aws:states:::apigateway:invoke.waitForTaskToken',
	'arn:aws:states:::athena:startQueryExecution.sync', 'arn:aws:states:::athena:getQueryResults',
	'arn:aws:states:::batch:submitJob.sync', 'arn:aws:states:::bedrock:invokeModel',
	'arn:aws:states:::bedrock:createModelCustomizationJob.sync', 'arn:aws:states:::codebuild:startBuild.sync',
	'arn:aws:states:::codebuild:startBuildBatch.sync', 'arn:aws:states:::databrew:startJobRun.sync',
	'arn:aws:states:::dynamodb:getItem', 'arn:aws:states:::dynamodb:putItem',
	'arn:aws:states:::dynamodb:updateItem', 'arn:aws:states:::dynamodb:deleteItem',
	'arn:aws:states:::ecs:runTask', 'arn:aws:states:::ecs:runTask.sync', 'arn:aws:states:::ecs:runTask.waitForTaskToken',
	'arn:aws:states:::eks:createCluster.sync', 'arn:aws:states:::eks:runJob.sync', 'arn:aws:states:::eks:call',
	'arn:aws:states:::elasticmapreduce:createCluster.sync', 'arn:aws:states:::elasticmapreduce:addStep.sync',
	'arn:aws:states:::emr-containers:startJobRun.sync', 'arn:aws:states:::emr-serverless:startJobRun.sync',
	'arn:aws:states:::events:putEvents', 'arn:aws:states:::events:putEvents.waitForTaskToken',
	'arn:aws:states:::glue:startJobRun', 'arn:aws:states:::glue:startJobRun.sync',
	'arn:aws:states:::http:invoke', 'arn:aws:states:::lambda:invoke', 'arn:aws:states:::lambda:invoke.waitForTaskToken',
	'arn:aws:states:::mediaconvert:createJob.sync', 'arn:aws:states:::sagemaker:createTrainingJob.sync',
	'arn:aws:states:::sagemaker:createModel', 'arn:aws:states:::sns:publish', 'arn:aws:states:::sns:publish.waitForTaskToken',
	'arn:aws:states:::sqs:sendMessage', 'arn:aws:states:::sqs:sendMessage.waitForTaskToken',
	'arn:aws:states:::states:startExecution', 'arn:aws:states:::states:startExecution.sync',
	'arn:aws:states:::states:startExecution.sync:2', 'arn:aws:states:::states:startExecution.waitForTaskToken',
	-- other partitions
	'arn:aws-cn:states:::lambda:invoke', 'arn:aws-us-gov:states:::sqs:sendMessage',
	-- pg_sfn's own
	'arn:aws:states:::sql:invoke', 'arn:aws:states:::sql:invoke.waitForTaskToken',
	-- SDK integrations: Request Response and Wait for Callback
	'arn:aws:states:::aws-sdk:s3:getObject', 'arn:aws:states:::aws-sdk:dynamodb:query',
	'arn:aws:states:::aws-sdk:sfn:startExecution.waitForTaskToken', 'arn:aws:states:::aws-sdk:ec2:describeInstances'
	]) AS r
WHERE EXISTS (SELECT FROM pg_temp.task(r));

-- An action the service does not have, a pattern the action does not
-- support, an unknown suffix, a service that is not integrated.
SELECT t.code, t.location, t.message FROM unnest(ARRAY[
	'arn:aws:states:::dynamodb:getItemX',
	'arn:aws:states:::dynamodb:query',
	'arn:aws:states:::dynamodb:putItem.waitForTaskToken',
	'arn:aws:states:::dynamodb:putItem.sync',
	'arn:aws:states:::glue:startJobRun.sync:2',
	'arn:aws:states:::glue:startJobRun.waitForTaskToken',
	'arn:aws:states:::lambda:invoke.sync',
	'arn:aws:states:::lambda:Invoke',
	'arn:aws:states:::http:invoke.waitForTaskToken',
	'arn:aws:states:::sqs:sendMessage.sync:2',
	'arn:aws:states:::ecs:runTask.waitForCallback',
	'arn:aws:states:::states:startExecution.sync:3',
	'arn:aws:states:::athena:startQueryExecution.waitForTaskToken',
	'arn:aws:states:::nosuchservice:doIt',
	'arn:aws:states:::s3:getObject',
	'arn:aws:states:::lambda',
	'arn:aws:states:::sql:query'
	]) AS r, pg_temp.task(r) AS t;

-- SDK integrations: any service can be named (pg_sfn has no model of their
-- APIs), but not the Run a Job pattern, and the action is camelCase.
SELECT t.code, t.location, t.message FROM unnest(ARRAY[
	'arn:aws:states:::aws-sdk:s3:getObject.sync',
	'arn:aws:states:::aws-sdk:s3:GetObject',
	'arn:aws:states:::aws-sdk:s3',
	'arn:aws:states:::aws-sdk::getObject',
	'arn:aws:states:::aws-sdk:S3:getObject'
	]) AS r, pg_temp.task(r) AS t;

-- Not service integrations: not checked here (Lambda function and activity
-- ARNs, and resources outside arn:PARTITION:states:::).
SELECT r AS rejected FROM unnest(ARRAY[
	'arn:aws:lambda:us-east-1:123456789012:function:f',
	'arn:aws:states:us-east-1:123456789012:activity:a',
	'arn:aws:states:us-east-1::lambda:invoke',
	'urn:example:anything'
	]) AS r
WHERE EXISTS (SELECT FROM pg_temp.task(r));

-- With EXPRESS the pattern rule still applies, and EXPRESS's own rule too.
SELECT * FROM pg_temp.task('arn:aws:states:::glue:startJobRun.sync', 'EXPRESS');
SELECT * FROM pg_temp.task('arn:aws:states:::glue:startJobRun.sync:2', 'EXPRESS');

-- CreateStateMachine rejects it.
SELECT sfn_create_state_machine('svc-actions',
  '{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::dynamodb:getItemX","End":true}}}');
