/*-------------------------------------------------------------------------
 *
 * http_request.h
 *	  From an HTTP task's Parameters to a request, and from a response to
 *	  the task's output, as AWS's arn:aws:states:::http:invoke does.
 *
 * Pure functions over palloc'd memory: no tables, no network.
 *
 *-------------------------------------------------------------------------
 */
#ifndef SFN_HTTP_REQUEST_H
#define SFN_HTTP_REQUEST_H

#include "postgres.h"

#include "lib/stringinfo.h"
#include "nodes/pg_list.h"
#include "utils/jsonb.h"

#include "eval/json.h"

typedef struct SfnHttpPrepared
{
	char	   *url;			/* ApiEndpoint with QueryParameters */
	char	   *method;			/* GET, POST, ... */
	List	   *headers;		/* "Name: value" strings */
	char	   *body;			/* NULL: no body */
	size_t		body_len;
	char	   *connection;		/* connection name from ConnectionArn, or NULL */
} SfnHttpPrepared;

/*
 * Build the request from parameters (ApiEndpoint, Method, Headers,
 * QueryParameters, RequestBody, Transform, Authentication.ConnectionArn).
 * false with *err (States.Runtime) when they cannot make a request.
 */
extern bool sfn_http_prepare(Jsonb *parameters, SfnHttpPrepared *req, SfnError *err);

/*
 * The name in a connection ARN arn:aws:events:REGION:ACCOUNT:connection/NAME/UUID,
 * or NULL when arn is not one.
 */
extern char *sfn_http_connection_name(const char *arn);

/* A finished response. */
typedef struct SfnHttpResponse
{
	long		status;
	const char *status_text;	/* from the status line; may be empty */
	const char *header_block;	/* the final response's header lines */
	size_t		header_len;
	const char *body;
	size_t		body_len;
} SfnHttpResponse;

/*
 * The task output {"StatusCode", "StatusText", "Headers", "ResponseBody"}:
 * header names in lower case, each with the array of its values;
 * ResponseBody parsed when the response is JSON, else the text.  false
 * with *err when the body is not text.
 */
extern bool sfn_http_output(const SfnHttpResponse *resp, JsonbValue **output, SfnError *err);

/* "application/x-www-form-urlencoded" encoding of one string, appended. */
extern void sfn_http_append_encoded(StringInfo buf, const char *s, size_t len);

#endif							/* SFN_HTTP_REQUEST_H */
