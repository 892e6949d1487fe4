/*-------------------------------------------------------------------------
 *
 * resource.c
 *	  Classify a Task state's Resource ARN.
 *
 * Service integrations are arn:PARTITION:states:::SERVICE:ACTION with an
 * optional integration pattern suffix (.sync, .sync:2, .waitForTaskToken);
 * AWS records SERVICE as the history's resourceType and ACTION plus suffix
 * as its resource.  Activities and bare Lambda function ARNs have their
 * own event types (Activity*, LambdaFunction*).
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "asl/plan.h"

static bool
has_suffix(const char *s, const char *suffix)
{
	size_t		n = strlen(s),
				m = strlen(suffix);

	return n >= m && strcmp(s + n - m, suffix) == 0;
}

void
sfn_resource_parse(const char *arn, SfnResource *out)
{
	char	  **parts;
	int			n = 0;
	char	   *copy = pstrdup(arn);
	char	   *p = copy;

	memset(out, 0, sizeof(SfnResource));
	out->kind = SFN_RESOURCE_OTHER;
	out->type = "";
	out->name = pstrdup(arn);

	/* arn:partition:service:region:account:rest... (rest may hold ':') */
	parts = palloc0(sizeof(char *) * 7);
	while (n < 6)
	{
		char	   *colon = strchr(p, ':');

		parts[n++] = p;
		if (colon == NULL)
			break;
		*colon = '\0';
		p = colon + 1;
		if (n == 5)
		{
			parts[n++] = p;
			break;
		}
	}
	if (n < 6 || strcmp(parts[0], "arn") != 0)
		return;

	if (strcmp(parts[2], "states") == 0 && parts[3][0] == '\0' && parts[4][0] == '\0')
	{
		/* arn:aws:states:::SERVICE:ACTION[.suffix] */
		char	   *rest = parts[5];
		char	   *colon = strchr(rest, ':');

		if (colon == NULL)
			return;
		*colon = '\0';
		out->type = pstrdup(rest);
		out->name = pstrdup(colon + 1);
		out->wait_for_token = has_suffix(out->name, ".waitForTaskToken");
		out->sync = has_suffix(out->name, ".sync") || has_suffix(out->name, ".sync:2");
		if (strncmp(out->name, "invoke", 6) == 0 &&
			(out->name[6] == '\0' || out->wait_for_token))
		{
			if (strcmp(out->type, "sql") == 0)
				out->kind = SFN_RESOURCE_SQL;
			else if (strcmp(out->type, "http") == 0)
				out->kind = SFN_RESOURCE_HTTP;
			else if (strcmp(out->type, "lambda") == 0)
				out->kind = SFN_RESOURCE_LAMBDA;
		}
		/* a nested execution, with any of the four patterns */
		if (strcmp(out->type, "states") == 0 &&
			strncmp(out->name, "startExecution", 14) == 0 &&
			(out->name[14] == '\0' || out->name[14] == '.'))
			out->kind = SFN_RESOURCE_START_EXECUTION;
		return;
	}
	if (strcmp(parts[2], "states") == 0 && strncmp(parts[5], "activity:", 9) == 0)
	{
		out->kind = SFN_RESOURCE_ACTIVITY;
		out->type = "activity";
		out->name = pstrdup(arn);
		return;
	}
	if (strcmp(parts[2], "lambda") == 0 && strncmp(parts[5], "function:", 9) == 0)
	{
		out->kind = SFN_RESOURCE_LAMBDA_FUNCTION;
		out->type = "lambda";
		out->name = pstrdup(arn);
	}
}
