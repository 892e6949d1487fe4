/*-------------------------------------------------------------------------
 *
 * connections.c
 *	  SQL API: create, update and delete connections (the authorization of
 *	  HTTP tasks, as AWS EventBridge connections), and the superuser's way
 *	  to queue an HTTP request directly.
 *
 * parameters is EventBridge's AuthParameters object for the type:
 *	  API_KEY					{"ApiKeyAuthParameters": {"ApiKeyName", "ApiKeyValue"}}
 *	  BASIC						{"BasicAuthParameters": {"Username", "Password"}}
 *	  OAUTH_CLIENT_CREDENTIALS	{"OAuthParameters": {"AuthorizationEndpoint",
 *								 "HttpMethod", "ClientParameters": {"ClientID", "ClientSecret"}}}
 * The secret values (ApiKeyValue, Password, ClientSecret) are stored apart
 * and never shown: not by describe or list, not in messages.
 *
 * A connection belongs to the role that created it; HTTP tasks of a state
 * machine whose role has that role's privileges may use it; the owner (and
 * roles with its privileges) and sfn_admin may update and delete it.
 * Describe and list are SQL functions (src/sql/85_http.sql).
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <ctype.h>

#include "fmgr.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/jsonb.h"

#include "api/access.h"
#include "api/api_util.h"
#include "eval/json.h"
#include "store/connections.h"
#include "store/spi_util.h"
#include "support/errors.h"
#include "support/guc.h"
#include "support/names.h"
#include "tasks/http_queue.h"
#include "tasks/http_request.h"

PG_FUNCTION_INFO_V1(sfn_create_connection);
PG_FUNCTION_INFO_V1(sfn_update_connection);
PG_FUNCTION_INFO_V1(sfn_delete_connection);
PG_FUNCTION_INFO_V1(sfn_http_enqueue_sql);

static void
invalid(const char *fmt, const char *arg)
{
	ereport(ERROR,
			(errcode(ERRCODE_SFN_VALIDATION),
			 errmsg_internal("ValidationException: %s", psprintf(fmt, arg))));
}

/* EventBridge's rule for connection names. */
static void
check_connection_name(const char *name)
{
	size_t		len = strlen(name);

	if (len < 1 || len > 64 || strspn(name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-") != len)
		ereport(ERROR,
				(errcode(ERRCODE_SFN_INVALID_NAME),
				 errmsg("InvalidName: invalid connection name \"%s\"", sfn_msg(name)),
				 errhint("A connection name has 1 to 64 characters: letters, digits, '.', '-' and '_'.")));
}

/* A name, or a connection ARN (whose uuid part is not compared). */
static char *
connection_name_arg(FunctionCallInfo fcinfo, int n)
{
	char	   *arg = sfn_text_arg(fcinfo, n);
	char	   *name = arg;

	if (strncmp(arg, "arn:", 4) == 0 && (name = sfn_http_connection_name(arg)) == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_SFN_INVALID_ARN),
				 errmsg("InvalidArn: \"%s\" is not a connection ARN", sfn_msg(arg))));
	return name;
}

static void
not_found(const char *name)
{
	ereport(ERROR,
			(errcode(ERRCODE_SFN_RESOURCE_NOT_FOUND),
			 errmsg("ResourceNotFoundException: connection \"%s\" does not exist", sfn_msg(name))));
}

/* A string member that may go into a header: no line breaks, no NUL. */
static char *
text_member(JsonbValue *obj, const char *key, const char *where, bool header_token)
{
	JsonbValue *v = sfn_jv_object_cget(obj, key);
	char	   *s;

	if (v == NULL || !sfn_jv_is_string(v) || v->val.string.len == 0)
		invalid("%s needs a non-empty string", psprintf("%s.%s", where, key));
	s = sfn_jv_cstr(v);
	if ((int) strlen(s) != v->val.string.len || strpbrk(s, "\r\n") != NULL)
		invalid("%s must not contain line breaks", psprintf("%s.%s", where, key));
	if (header_token)
		for (const char *c = s; *c; c++)
			if (!(isalnum((unsigned char) *c) || strchr("!#$%&'*+-.^_`|~", *c)))
				invalid("%s must be a header name", psprintf("%s.%s", where, key));
	return s;
}

static void
only_keys(JsonbValue *obj, const char *where, const char *const *keys, int nkeys)
{
	for (int i = 0; i < obj->val.object.nPairs; i++)
	{
		JsonbPair  *p = &obj->val.object.pairs[i];
		bool		known = false;

		for (int k = 0; k < nkeys; k++)
			if (p->key.val.string.len == (int) strlen(keys[k]) &&
				memcmp(p->key.val.string.val, keys[k], p->key.val.string.len) == 0)
				known = true;
		if (!known)
			invalid("%s has a field pg_sfn does not support", where);
	}
}

static JsonbValue *
object_member(JsonbValue *obj, const char *key)
{
	JsonbValue *v = sfn_jv_object_cget(obj, key);

	if (v == NULL || !sfn_jv_is_object(v))
		invalid("the parameters need the object %s", key);
	return v;
}

/* Split AuthParameters into what may be shown and the secret values. */
static void
split_parameters(const char *type, Jsonb *parameters, Jsonb **shown, Jsonb **secret)
{
	JsonbValue *p = sfn_jv_from_jsonb(parameters);
	JsonbValue *out = sfn_jv_object();
	JsonbValue *sec = sfn_jv_object();
	JsonbValue *inner = sfn_jv_object();

	if (!sfn_jv_is_object(p))
		invalid("%s", "parameters must be an object");
	if (strcmp(type, "API_KEY") == 0)
	{
		static const char *const top[] = {"ApiKeyAuthParameters"};
		static const char *const keys[] = {"ApiKeyName", "ApiKeyValue"};
		JsonbValue *a;

		only_keys(p, "parameters", top, 1);
		a = object_member(p, "ApiKeyAuthParameters");
		only_keys(a, "ApiKeyAuthParameters", keys, 2);
		sfn_jv_object_put(inner, "ApiKeyName", 10,
						  sfn_jv_cstring(text_member(a, "ApiKeyName", "ApiKeyAuthParameters", true)));
		sfn_jv_object_put(sec, "ApiKeyValue", 11,
						  sfn_jv_cstring(text_member(a, "ApiKeyValue", "ApiKeyAuthParameters", false)));
		sfn_jv_object_put(out, "ApiKeyAuthParameters", 20, inner);
	}
	else if (strcmp(type, "BASIC") == 0)
	{
		static const char *const top[] = {"BasicAuthParameters"};
		static const char *const keys[] = {"Username", "Password"};
		JsonbValue *a;
		char	   *user;

		only_keys(p, "parameters", top, 1);
		a = object_member(p, "BasicAuthParameters");
		only_keys(a, "BasicAuthParameters", keys, 2);
		user = text_member(a, "Username", "BasicAuthParameters", false);
		if (strchr(user, ':'))
			invalid("%s must not contain ':'", "BasicAuthParameters.Username");
		sfn_jv_object_put(inner, "Username", 8, sfn_jv_cstring(user));
		sfn_jv_object_put(sec, "Password", 8,
						  sfn_jv_cstring(text_member(a, "Password", "BasicAuthParameters", false)));
		sfn_jv_object_put(out, "BasicAuthParameters", 19, inner);
	}
	else if (strcmp(type, "OAUTH_CLIENT_CREDENTIALS") == 0)
	{
		static const char *const top[] = {"OAuthParameters"};
		static const char *const keys[] = {"AuthorizationEndpoint", "HttpMethod", "ClientParameters"};
		static const char *const ckeys[] = {"ClientID", "ClientSecret"};
		JsonbValue *a;
		JsonbValue *c;
		JsonbValue *client = sfn_jv_object();
		char	   *endpoint;
		char	   *method;

		only_keys(p, "parameters", top, 1);
		a = object_member(p, "OAuthParameters");
		only_keys(a, "OAuthParameters", keys, 3);
		endpoint = text_member(a, "AuthorizationEndpoint", "OAuthParameters", false);
		if (pg_strncasecmp(endpoint, "https://", 8) != 0 && pg_strncasecmp(endpoint, "http://", 7) != 0)
			invalid("%s must be an http:// or https:// URL", "OAuthParameters.AuthorizationEndpoint");
		method = text_member(a, "HttpMethod", "OAuthParameters", false);
		if (strcmp(method, "GET") != 0 && strcmp(method, "POST") != 0 && strcmp(method, "PUT") != 0)
			invalid("%s must be GET, POST or PUT", "OAuthParameters.HttpMethod");
		c = object_member(a, "ClientParameters");
		only_keys(c, "OAuthParameters.ClientParameters", ckeys, 2);
		sfn_jv_object_put(client, "ClientID", 8,
						  sfn_jv_cstring(text_member(c, "ClientID", "OAuthParameters.ClientParameters", false)));
		sfn_jv_object_put(sec, "ClientSecret", 12,
						  sfn_jv_cstring(text_member(c, "ClientSecret", "OAuthParameters.ClientParameters", false)));
		sfn_jv_object_put(inner, "AuthorizationEndpoint", 21, sfn_jv_cstring(endpoint));
		sfn_jv_object_put(inner, "HttpMethod", 10, sfn_jv_cstring(method));
		sfn_jv_object_put(inner, "ClientParameters", 16, client);
		sfn_jv_object_put(out, "OAuthParameters", 15, inner);
	}
	else
		ereport(ERROR,
				(errcode(ERRCODE_SFN_VALIDATION),
				 errmsg("ValidationException: invalid authorization type \"%s\"", sfn_msg(type)),
				 errhint("The type must be API_KEY, BASIC or OAUTH_CLIENT_CREDENTIALS.")));
	*shown = sfn_jv_to_jsonb(out);
	*secret = sfn_jv_to_jsonb(sec);
}

static text *
connection_arn(const char *name, const char *uuid)
{
	return cstring_to_text(psprintf("arn:aws:events:%s:%s:connection/%s/%s",
									sfn_region, sfn_account_id, name, uuid));
}

/*
 * sfn_create_connection(name, authorization_type, parameters, description) -> ARN
 */
Datum
sfn_create_connection(PG_FUNCTION_ARGS)
{
	char	   *name;
	char	   *type;
	Jsonb	   *shown;
	Jsonb	   *secret;
	char	   *uuid;

	sfn_require_arg(fcinfo, 0, "name");
	sfn_require_arg(fcinfo, 1, "authorization_type");
	sfn_require_arg(fcinfo, 2, "parameters");
	name = sfn_text_arg(fcinfo, 0);
	type = sfn_text_arg(fcinfo, 1);
	check_connection_name(name);
	split_parameters(type, PG_GETARG_JSONB_P(2), &shown, &secret);
	if (!sfn_store_create_connection(name, type, shown, secret,
									 GetUserNameFromId(GetUserId(), false),
									 sfn_text_arg(fcinfo, 3), &uuid))
		ereport(ERROR,
				(errcode(ERRCODE_SFN_RESOURCE_ALREADY_EXISTS),
				 errmsg("ResourceAlreadyExistsException: connection \"%s\" already exists", sfn_msg(name))));
	PG_RETURN_TEXT_P(connection_arn(name, uuid));
}

/* The connection, which the current user must own (or act as its owner, or be an admin). */
static void
get_own_connection(const char *name, SfnConnectionRow *row)
{
	if (!sfn_store_get_connection(name, row) ||
		!(superuser() || sfn_acts_as("sfn_admin") || sfn_acts_as(row->owner)))
		not_found(name);
}

/*
 * sfn_update_connection(name, authorization_type, parameters, description) -> ARN
 *
 * NULL keeps what is there; new parameters replace the old ones whole
 * (secrets included), and a new type needs new parameters.
 */
Datum
sfn_update_connection(PG_FUNCTION_ARGS)
{
	char	   *name;
	char	   *type = sfn_text_arg(fcinfo, 1);
	Jsonb	   *shown = NULL;
	Jsonb	   *secret = NULL;
	SfnConnectionRow row;

	sfn_require_arg(fcinfo, 0, "name");
	name = connection_name_arg(fcinfo, 0);
	get_own_connection(name, &row);
	if (type && PG_ARGISNULL(2) && strcmp(type, row.authorization_type) != 0)
		invalid("%s", "a new authorization_type needs new parameters");
	if (!PG_ARGISNULL(2))
		split_parameters(type ? type : row.authorization_type, PG_GETARG_JSONB_P(2), &shown, &secret);
	sfn_store_update_connection(row.id, type, shown, secret, sfn_text_arg(fcinfo, 3));
	PG_RETURN_TEXT_P(connection_arn(row.name, row.uuid));
}

/*
 * sfn_delete_connection(name): HTTP tasks that name it fail from then on
 * with States.Permissions.
 */
Datum
sfn_delete_connection(PG_FUNCTION_ARGS)
{
	char	   *name;
	SfnConnectionRow row;

	sfn_require_arg(fcinfo, 0, "name");
	name = connection_name_arg(fcinfo, 0);
	get_own_connection(name, &row);
	sfn_store_delete_connection(row.id);
	PG_RETURN_VOID();
}

/*
 * sfn.http_enqueue(execution_id, thread_id, scheduled_event_id, parameters,
 *					timeout_seconds, idempotency_key, role): queue one HTTP
 * request as an HTTP task would, for superusers (tests, tools).  role: whose
 * connections it may use (NULL: the role of the execution's state machine).
 */
Datum
sfn_http_enqueue_sql(PG_FUNCTION_ARGS)
{
	SfnHttpRequest *r = palloc0(sizeof(SfnHttpRequest));
	SfnSpiScope scope;

	if (!superuser())
		ereport(ERROR,
				(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
				 errmsg("permission denied to queue HTTP requests directly"),
				 errdetail("Only superusers may call sfn.http_enqueue.")));
	for (int i = 0; i < 6; i++)
		if (PG_ARGISNULL(i))
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("only role may be null")));
	r->execution_id = PG_GETARG_INT64(0);
	r->thread_id = PG_GETARG_INT32(1);
	r->scheduled_event_id = PG_GETARG_INT32(2);
	r->parameters = sfn_jv_from_jsonb(PG_GETARG_JSONB_P(3));
	r->timeout_seconds = PG_GETARG_INT32(4);
	r->idempotency_key = sfn_text_arg(fcinfo, 5);
	sfn_spi_begin(&scope);
	sfn_http_enqueue_as(list_make1(r), PG_ARGISNULL(6) ? NULL : NameStr(*PG_GETARG_NAME(6)));
	sfn_spi_end(&scope);
	PG_RETURN_VOID();
}
