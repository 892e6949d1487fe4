/*-------------------------------------------------------------------------
 *
 * service_actions.c
 *	  Which service integrations a Task's Resource may name: the services,
 *	  their actions and the integration patterns each action supports.
 *
 * A service integration is arn:PARTITION:states:::SERVICE:ACTION with an
 * optional pattern suffix: none (Request Response), .sync or .sync:2 (Run a
 * Job), .waitForTaskToken (Wait for Callback).  AWS rejects at
 * CreateStateMachine, at the Resource's location, an action the service
 * does not have or a pattern it does not support for that action, with
 * SCHEMA_VALIDATION_FAILED "The resource provided ... is not recognized.
 * The value is not a valid resource ARN, or the resource is not available
 * in this region."  Other ARNs (Lambda functions, activities, anything not
 * under arn:PARTITION:states:::) are not checked here.
 *
 * The table is AWS's "Optimized integrations for Step Functions" page and
 * its per-service pages (supported APIs and patterns, as documented in
 * 2025); where the summary table and a service's page disagree, the
 * service's page is followed.  pg_sfn's own integrations are listed at the
 * end.  To add an integration, add a row.
 *
 * SDK integrations (arn:PARTITION:states:::aws-sdk:SERVICE:ACTION) cover
 * over two hundred services; pg_sfn has no model of their APIs, so only
 * the form is checked: a service name, an action in camelCase as AWS
 * writes them (getObject), and no Run a Job pattern, which SDK
 * integrations never support.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "asl/compile_int.h"

/* Integration patterns, as bits */
#define RR		0x01			/* Request Response: no suffix */
#define SYNC	0x02			/* .sync */
#define SYNC2	0x04			/* .sync:2 */
#define CB		0x08			/* .waitForTaskToken */

typedef struct SfnServiceAction
{
	const char *service;		/* as in the ARN: "dynamodb", "elasticmapreduce" */
	const char *action;			/* as in the ARN: "getItem" */
	int			patterns;
} SfnServiceAction;

static const SfnServiceAction sfn_service_actions[] = {
	/* Amazon API Gateway */
	{"apigateway", "invoke", RR | CB},
	/* Amazon Athena */
	{"athena", "startQueryExecution", RR | SYNC},
	{"athena", "stopQueryExecution", RR},
	{"athena", "getQueryExecution", RR},
	{"athena", "getQueryResults", RR},
	/* AWS Batch */
	{"batch", "submitJob", RR | SYNC},
	/* Amazon Bedrock */
	{"bedrock", "invokeModel", RR},
	{"bedrock", "createModelCustomizationJob", RR | SYNC},
	/* AWS CodeBuild */
	{"codebuild", "startBuild", RR | SYNC},
	{"codebuild", "stopBuild", RR},
	{"codebuild", "batchDeleteBuilds", RR},
	{"codebuild", "batchGetReports", RR},
	{"codebuild", "startBuildBatch", RR | SYNC},
	{"codebuild", "stopBuildBatch", RR},
	{"codebuild", "retryBuildBatch", RR | SYNC},
	{"codebuild", "deleteBuildBatch", RR},
	/* AWS Glue DataBrew */
	{"databrew", "startJobRun", RR | SYNC},
	/* Amazon DynamoDB */
	{"dynamodb", "getItem", RR},
	{"dynamodb", "putItem", RR},
	{"dynamodb", "updateItem", RR},
	{"dynamodb", "deleteItem", RR},
	/* Amazon ECS / Fargate */
	{"ecs", "runTask", RR | SYNC | CB},
	/* Amazon EKS */
	{"eks", "createCluster", RR | SYNC},
	{"eks", "deleteCluster", RR | SYNC},
	{"eks", "createFargateProfile", RR | SYNC},
	{"eks", "deleteFargateProfile", RR | SYNC},
	{"eks", "createNodegroup", RR | SYNC},
	{"eks", "deleteNodegroup", RR | SYNC},
	{"eks", "runJob", RR | SYNC},
	{"eks", "call", RR},
	/* Amazon EMR */
	{"elasticmapreduce", "createCluster", RR | SYNC},
	{"elasticmapreduce", "terminateCluster", RR | SYNC},
	{"elasticmapreduce", "addStep", RR | SYNC},
	{"elasticmapreduce", "cancelStep", RR},
	{"elasticmapreduce", "setClusterTerminationProtection", RR},
	{"elasticmapreduce", "modifyInstanceFleetByName", RR},
	{"elasticmapreduce", "modifyInstanceGroupByName", RR},
	/* Amazon EMR on EKS */
	{"emr-containers", "createVirtualCluster", RR},
	{"emr-containers", "deleteVirtualCluster", RR | SYNC},
	{"emr-containers", "startJobRun", RR | SYNC},
	/* Amazon EMR Serverless */
	{"emr-serverless", "createApplication", RR | SYNC},
	{"emr-serverless", "startApplication", RR | SYNC},
	{"emr-serverless", "stopApplication", RR | SYNC},
	{"emr-serverless", "deleteApplication", RR | SYNC},
	{"emr-serverless", "startJobRun", RR | SYNC},
	{"emr-serverless", "cancelJobRun", RR | SYNC},
	/* Amazon EventBridge */
	{"events", "putEvents", RR | CB},
	/* AWS Glue */
	{"glue", "startJobRun", RR | SYNC},
	/* HTTP Task */
	{"http", "invoke", RR},
	/* AWS Lambda */
	{"lambda", "invoke", RR | CB},
	/* AWS Elemental MediaConvert */
	{"mediaconvert", "createJob", RR | SYNC},
	/* Amazon SageMaker */
	{"sagemaker", "createEndpoint", RR},
	{"sagemaker", "createEndpointConfig", RR},
	{"sagemaker", "createHyperParameterTuningJob", RR | SYNC},
	{"sagemaker", "createLabelingJob", RR | SYNC},
	{"sagemaker", "createModel", RR},
	{"sagemaker", "createProcessingJob", RR | SYNC},
	{"sagemaker", "createTrainingJob", RR | SYNC},
	{"sagemaker", "createTransformJob", RR | SYNC},
	{"sagemaker", "updateEndpoint", RR},
	/* Amazon SNS */
	{"sns", "publish", RR | CB},
	/* Amazon SQS */
	{"sqs", "sendMessage", RR | CB},
	/* AWS Step Functions */
	{"states", "startExecution", RR | SYNC | SYNC2 | CB},

	/* pg_sfn's own integrations */
	{"sql", "invoke", RR | CB},
};

/* The pattern bit of a suffix after the action ("" for none), or 0. */
static int
pattern_of(const char *suffix)
{
	if (*suffix == '\0')
		return RR;
	if (strcmp(suffix, ".sync") == 0)
		return SYNC;
	if (strcmp(suffix, ".sync:2") == 0)
		return SYNC2;
	if (strcmp(suffix, ".waitForTaskToken") == 0)
		return CB;
	return 0;
}

/* An SDK integration's SERVICE:ACTION[suffix] in the form AWS accepts. */
static bool
sdk_resource_ok(const char *rest)
{
	const char *colon = strchr(rest, ':');
	const char *action;
	const char *p;
	int			pattern;

	if (colon == NULL || colon == rest)
		return false;
	for (p = rest; p < colon; p++)
		if (!(islower((unsigned char) *p) || isdigit((unsigned char) *p) || *p == '-'))
			return false;
	action = colon + 1;
	if (!islower((unsigned char) *action))
		return false;
	for (p = action; isalnum((unsigned char) *p); p++)
		;
	pattern = pattern_of(p);
	return pattern == RR || pattern == CB;
}

/* A service integration SERVICE:ACTION[suffix] found in the table. */
static bool
optimized_resource_ok(const char *rest)
{
	const char *colon = strchr(rest, ':');
	const char *dot;
	int			service_len,
				action_len,
				pattern;

	if (colon == NULL)
		return false;
	service_len = colon - rest;
	dot = strchr(colon + 1, '.');
	action_len = dot ? dot - (colon + 1) : (int) strlen(colon + 1);
	pattern = pattern_of(dot ? dot : "");
	if (pattern == 0)
		return false;
	for (int i = 0; i < (int) lengthof(sfn_service_actions); i++)
	{
		const SfnServiceAction *a = &sfn_service_actions[i];

		if ((int) strlen(a->service) == service_len &&
			strncmp(a->service, rest, service_len) == 0 &&
			(int) strlen(a->action) == action_len &&
			strncmp(a->action, colon + 1, action_len) == 0)
			return (a->patterns & pattern) != 0;
	}
	return false;
}

/*
 * Check a Task's Resource: a service integration must name a known action
 * with a pattern it supports.  location is the Resource's.
 */
void
sfn_check_service_resource(SfnCompiler *c, const char *resource, const char *location)
{
	const char *p = resource;
	const char *rest;
	bool		ok;

	/* arn:PARTITION:states::: (no region, no account) */
	if (strncmp(p, "arn:", 4) != 0)
		return;
	p = strchr(p + 4, ':');
	if (p == NULL || strncmp(p, ":states:::", 10) != 0)
		return;
	rest = p + 10;

	if (strncmp(rest, "aws-sdk:", 8) == 0)
		ok = sdk_resource_ok(rest + 8);
	else
		ok = optimized_resource_ok(rest);
	if (!ok)
		sfn_diag_add(c->diags, SFN_DIAG_SCHEMA, location,
					 "The resource provided %s is not recognized. The value is not a valid resource ARN, or the resource is not available in this region.",
					 resource);
}
