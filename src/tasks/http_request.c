/*-------------------------------------------------------------------------
 *
 * http_request.c
 *	  HTTP task parameters to a request; a response to the task output.
 *
 * Follows AWS's arn:aws:states:::http:invoke: Method and ApiEndpoint are
 * required; QueryParameters are appended to the URL; RequestBody is sent as
 * JSON (a string as it is), or form-encoded with Transform.RequestBodyEncoding
 * URL_ENCODED, arrays as Transform.RequestEncodingOptions.ArrayFormat says
 * (INDICES by default: a[0]=x&a[1]=y; BRACKETS: a[]=x; REPEAT: a=x&a=y;
 * COMMAS: a=x,y).  README ("HTTP tasks") lists what differs from AWS.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <ctype.h>

#include "lib/stringinfo.h"
#include "miscadmin.h"
#include "mb/pg_wchar.h"

#include "tasks/http_request.h"

static const char *const methods[] = {"GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"};

/* Headers the dispatcher sets itself, or that would break the framing. */
static const char *const reserved_headers[] = {
	"host", "content-length", "transfer-encoding", "connection", "expect",
	"idempotency-key", "te", "upgrade", "trailer", "keep-alive", "proxy-connection",
};

static const char *const status_texts[][2] = {
	{"200", "OK"}, {"201", "Created"}, {"202", "Accepted"}, {"204", "No Content"},
	{"301", "Moved Permanently"}, {"302", "Found"}, {"303", "See Other"},
	{"304", "Not Modified"}, {"307", "Temporary Redirect"}, {"308", "Permanent Redirect"},
	{"400", "Bad Request"}, {"401", "Unauthorized"}, {"403", "Forbidden"},
	{"404", "Not Found"}, {"405", "Method Not Allowed"}, {"409", "Conflict"},
	{"429", "Too Many Requests"}, {"500", "Internal Server Error"}, {"502", "Bad Gateway"},
	{"503", "Service Unavailable"}, {"504", "Gateway Timeout"},
};

void
sfn_http_append_encoded(StringInfo buf, const char *s, size_t len)
{
	static const char hex[] = "0123456789ABCDEF";

	for (size_t i = 0; i < len; i++)
	{
		unsigned char c = (unsigned char) s[i];

		if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
			c == '-' || c == '.' || c == '_' || c == '~')
			appendStringInfoChar(buf, (char) c);
		else
		{
			appendStringInfoChar(buf, '%');
			appendStringInfoChar(buf, hex[c >> 4]);
			appendStringInfoChar(buf, hex[c & 15]);
		}
	}
}

/* A scalar as text: strings as they are, others as JSON; null empty. */
static char *
value_text(const JsonbValue *v)
{
	if (sfn_jv_is_string(v))
		return sfn_jv_cstr(v);
	if (sfn_jv_is_null(v))
		return pstrdup("");
	return sfn_jv_to_text(v);
}

static void
append_pair(StringInfo buf, const char *key, const JsonbValue *v)
{
	char	   *text = value_text(v);

	if (buf->len > 0)
		appendStringInfoChar(buf, '&');
	appendStringInfoString(buf, key);
	appendStringInfoChar(buf, '=');
	sfn_http_append_encoded(buf, text, strlen(text));
}

/* key is already encoded. */
static void
encode_form(StringInfo buf, const char *key, const JsonbValue *v, const char *format)
{
	check_stack_depth();
	CHECK_FOR_INTERRUPTS();
	if (sfn_jv_is_object(v))
	{
		for (int i = 0; i < v->val.object.nPairs; i++)
		{
			const JsonbPair *p = &v->val.object.pairs[i];
			StringInfoData k;

			initStringInfo(&k);
			if (key)
				appendStringInfo(&k, "%s[", key);
			sfn_http_append_encoded(&k, p->key.val.string.val, p->key.val.string.len);
			if (key)
				appendStringInfoChar(&k, ']');
			encode_form(buf, k.data, &p->value, format);
		}
	}
	else if (sfn_jv_is_array(v) && key)
	{
		if (strcmp(format, "COMMAS") == 0)
		{
			if (buf->len > 0)
				appendStringInfoChar(buf, '&');
			appendStringInfo(buf, "%s=", key);
			for (int i = 0; i < v->val.array.nElems; i++)
			{
				char	   *text = value_text(&v->val.array.elems[i]);

				if (i > 0)
					appendStringInfoChar(buf, ',');
				sfn_http_append_encoded(buf, text, strlen(text));
			}
			return;
		}
		for (int i = 0; i < v->val.array.nElems; i++)
		{
			char	   *k;

			if (strcmp(format, "REPEAT") == 0)
				k = pstrdup(key);
			else if (strcmp(format, "BRACKETS") == 0)
				k = psprintf("%s[]", key);
			else
				k = psprintf("%s[%d]", key, i);
			encode_form(buf, k, &v->val.array.elems[i], format);
		}
	}
	else if (key)
		append_pair(buf, key, v);
}

static bool
header_token(const char *s, int len)
{
	if (len == 0)
		return false;
	for (int i = 0; i < len; i++)
	{
		unsigned char c = (unsigned char) s[i];

		if (!(isalnum(c) || strchr("!#$%&'*+-.^_`|~", c)))
			return false;
	}
	return true;
}

char *
sfn_http_connection_name(const char *arn)
{
	const char *p = arn;
	const char *slash;
	const char *name;
	int			colons = 0;

	if (strncmp(arn, "arn:aws:events:", 15) != 0)
		return NULL;
	for (p = arn; *p && colons < 5; p++)
		if (*p == ':')
			colons++;
	if (colons < 5 || strncmp(p, "connection/", 11) != 0)
		return NULL;
	name = p + 11;
	slash = strchr(name, '/');
	if (slash == NULL || slash == name || strchr(slash + 1, '/') != NULL || slash[1] == '\0')
		return NULL;
	return pnstrdup(name, slash - name);
}

bool
sfn_http_prepare(Jsonb *parameters, SfnHttpPrepared *req, SfnError *err)
{
	JsonbValue *p = sfn_jv_from_jsonb(parameters);
	JsonbValue *v;
	JsonbValue *body;
	StringInfoData url;
	bool		has_content_type = false;
	bool		url_encoded = false;
	const char *format = "INDICES";

	memset(req, 0, sizeof(*req));
	if (!sfn_jv_is_object(p))
		return sfn_fail(err, "States.Runtime", "The HTTP task's Parameters must be an object.");

	v = sfn_jv_object_cget(p, "ApiEndpoint");
	if (v == NULL || !sfn_jv_is_string(v) || v->val.string.len == 0)
		return sfn_fail(err, "States.Runtime", "The HTTP task's Parameters need an ApiEndpoint (a URL string).");
	initStringInfo(&url);
	appendBinaryStringInfo(&url, v->val.string.val, v->val.string.len);
	if (memchr(url.data, '\0', url.len) || strpbrk(url.data, " \r\n\t"))
		return sfn_fail(err, "States.Runtime", "The ApiEndpoint is not a valid URL.");
	if (pg_strncasecmp(url.data, "https://", 8) != 0 && pg_strncasecmp(url.data, "http://", 7) != 0)
		return sfn_fail(err, "States.Runtime", "The ApiEndpoint must be an http:// or https:// URL.");

	v = sfn_jv_object_cget(p, "Method");
	if (v == NULL || !sfn_jv_is_string(v))
		return sfn_fail(err, "States.Runtime", "The HTTP task's Parameters need a Method.");
	for (size_t i = 0; i < lengthof(methods); i++)
		if (strcmp(sfn_jv_cstr(v), methods[i]) == 0)
			req->method = pstrdup(methods[i]);
	if (req->method == NULL)
		return sfn_fail(err, "States.Runtime", "The Method must be one of GET, POST, PUT, DELETE, PATCH, HEAD or OPTIONS.");

	v = sfn_jv_object_cget(p, "QueryParameters");
	if (v != NULL && !sfn_jv_is_null(v))
	{
		StringInfoData q;

		if (!sfn_jv_is_object(v))
			return sfn_fail(err, "States.Runtime", "QueryParameters must be an object.");
		initStringInfo(&q);
		for (int i = 0; i < v->val.object.nPairs; i++)
		{
			JsonbPair  *pair = &v->val.object.pairs[i];
			StringInfoData k;

			initStringInfo(&k);
			sfn_http_append_encoded(&k, pair->key.val.string.val, pair->key.val.string.len);
			append_pair(&q, k.data, &pair->value);
		}
		if (q.len > 0)
		{
			char	   *hash = strchr(url.data, '#');

			if (hash)
			{
				*hash = '\0';
				url.len = hash - url.data;
			}
			appendStringInfoChar(&url, strchr(url.data, '?') ? '&' : '?');
			appendStringInfoString(&url, q.data);
		}
	}
	req->url = url.data;

	v = sfn_jv_object_cget(p, "Headers");
	if (v != NULL && !sfn_jv_is_null(v))
	{
		if (!sfn_jv_is_object(v))
			return sfn_fail(err, "States.Runtime", "Headers must be an object.");
		for (int i = 0; i < v->val.object.nPairs; i++)
		{
			JsonbPair  *pair = &v->val.object.pairs[i];
			char	   *name = pnstrdup(pair->key.val.string.val, pair->key.val.string.len);
			char	   *value = value_text(&pair->value);

			if (!header_token(name, strlen(name)))
				return sfn_fail(err, "States.Runtime", "The header name \"%s\" is not valid.", name);
			if (strpbrk(value, "\r\n") != NULL)
				return sfn_fail(err, "States.Runtime", "The value of header \"%s\" has a line break.", name);
			for (size_t j = 0; j < lengthof(reserved_headers); j++)
				if (pg_strcasecmp(name, reserved_headers[j]) == 0)
					return sfn_fail(err, "States.Runtime", "The header \"%s\" may not be set.", name);
			if (pg_strcasecmp(name, "content-type") == 0)
				has_content_type = true;
			req->headers = lappend(req->headers, psprintf("%s: %s", name, value));
		}
	}

	v = sfn_jv_object_cget(p, "Transform");
	if (v != NULL && sfn_jv_is_object(v))
	{
		JsonbValue *enc = sfn_jv_object_cget(v, "RequestBodyEncoding");
		JsonbValue *opts = sfn_jv_object_cget(v, "RequestEncodingOptions");

		if (enc && sfn_jv_is_string(enc) && strcmp(sfn_jv_cstr(enc), "URL_ENCODED") == 0)
			url_encoded = true;
		else if (enc && !(sfn_jv_is_string(enc) && strcmp(sfn_jv_cstr(enc), "NONE") == 0))
			return sfn_fail(err, "States.Runtime", "Transform.RequestBodyEncoding must be NONE or URL_ENCODED.");
		if (opts && sfn_jv_is_object(opts))
		{
			JsonbValue *af = sfn_jv_object_cget(opts, "ArrayFormat");

			if (af && sfn_jv_is_string(af))
				format = sfn_jv_cstr(af);
			if (strcmp(format, "INDICES") != 0 && strcmp(format, "REPEAT") != 0 &&
				strcmp(format, "COMMAS") != 0 && strcmp(format, "BRACKETS") != 0)
				return sfn_fail(err, "States.Runtime", "RequestEncodingOptions.ArrayFormat must be INDICES, REPEAT, COMMAS or BRACKETS.");
		}
	}

	body = sfn_jv_object_cget(p, "RequestBody");
	if (body != NULL && strcmp(req->method, "GET") != 0 && strcmp(req->method, "HEAD") != 0)
	{
		if (url_encoded)
		{
			StringInfoData b;

			if (!sfn_jv_is_object(body))
				return sfn_fail(err, "States.Runtime", "A URL_ENCODED RequestBody must be an object.");
			initStringInfo(&b);
			encode_form(&b, NULL, body, format);
			req->body = b.data;
			req->body_len = b.len;
			if (!has_content_type)
				req->headers = lappend(req->headers, pstrdup("Content-Type: application/x-www-form-urlencoded"));
		}
		else if (sfn_jv_is_string(body))
		{
			req->body = pnstrdup(body->val.string.val, body->val.string.len);
			req->body_len = body->val.string.len;
			if (!has_content_type)
				req->headers = lappend(req->headers, pstrdup("Content-Type: text/plain; charset=utf-8"));
		}
		else
		{
			req->body = sfn_jv_to_text(body);
			req->body_len = strlen(req->body);
			if (!has_content_type)
				req->headers = lappend(req->headers, pstrdup("Content-Type: application/json"));
		}
	}

	v = sfn_jv_object_cget(p, "Authentication");
	if (v != NULL && sfn_jv_is_object(v))
	{
		JsonbValue *arn = sfn_jv_object_cget(v, "ConnectionArn");

		if (arn == NULL || !sfn_jv_is_string(arn) ||
			(req->connection = sfn_http_connection_name(sfn_jv_cstr(arn))) == NULL)
			return sfn_fail(err, "States.Runtime",
							"Authentication.ConnectionArn must be a connection ARN (arn:aws:events:REGION:ACCOUNT:connection/NAME/UUID).");
	}
	return true;
}

/* Is the Content-Type JSON (application/json, or any type ending in +json)? */
static bool
json_media_type(const char *ct)
{
	const char *end;
	size_t		len;

	while (*ct == ' ')
		ct++;
	end = strchr(ct, ';');
	len = end ? (size_t) (end - ct) : strlen(ct);
	while (len > 0 && ct[len - 1] == ' ')
		len--;
	if (len == 16 && pg_strncasecmp(ct, "application/json", 16) == 0)
		return true;
	return len > 5 && pg_strncasecmp(ct + len - 5, "+json", 5) == 0;
}

bool
sfn_http_output(const SfnHttpResponse *resp, JsonbValue **output, SfnError *err)
{
	JsonbValue *out = sfn_jv_object();
	JsonbValue *headers = sfn_jv_object();
	JsonbValue *body = NULL;
	const char *status_text = resp->status_text;
	bool		is_json = false;
	const char *line = resp->header_block;
	const char *end = resp->header_block + resp->header_len;

	while (line < end)
	{
		const char *eol = memchr(line, '\n', end - line);
		const char *next = eol ? eol + 1 : end;
		const char *colon;
		char	   *name;
		char	   *value;
		const char *vstart;
		const char *vend;
		JsonbValue *values;

		if (!eol)
			eol = end;
		colon = memchr(line, ':', eol - line);
		if (colon == NULL || colon == line)
		{
			line = next;
			continue;
		}
		name = pnstrdup(line, colon - line);
		for (char *c = name; *c; c++)
			*c = pg_ascii_tolower((unsigned char) *c);
		vstart = colon + 1;
		vend = eol;
		while (vstart < vend && (*vstart == ' ' || *vstart == '\t'))
			vstart++;
		while (vend > vstart && (vend[-1] == '\r' || vend[-1] == ' ' || vend[-1] == '\t'))
			vend--;
		if (pg_encoding_verifymbstr(GetDatabaseEncoding(), line, vend - line) != vend - line ||
			memchr(line, '\0', vend - line))
		{
			line = next;
			continue;			/* a header that is not text is left out */
		}
		value = pnstrdup(vstart, vend - vstart);
		if (strcmp(name, "content-type") == 0 && json_media_type(value))
			is_json = true;
		values = sfn_jv_object_get(headers, name, strlen(name));
		if (values == NULL)
		{
			sfn_jv_object_put(headers, name, strlen(name), sfn_jv_array());
			values = sfn_jv_object_get(headers, name, strlen(name));
		}
		sfn_jv_array_append(values, sfn_jv_cstring(value));
		line = next;
	}

	if (is_json && resp->body_len > 0)
		body = sfn_jv_parse(resp->body, (int) resp->body_len);
	if (body == NULL)
	{
		if (memchr(resp->body, '\0', resp->body_len) != NULL ||
			pg_encoding_verifymbstr(GetDatabaseEncoding(), resp->body, resp->body_len) != (int) resp->body_len)
			return sfn_fail(err, "States.Runtime",
							"The response body (status %ld) is not text in the database's encoding.", resp->status);
		body = sfn_jv_string(resp->body, (int) resp->body_len);
	}

	if (status_text == NULL || status_text[0] == '\0')
	{
		char		code[8];

		snprintf(code, sizeof(code), "%ld", resp->status);
		status_text = "";
		for (size_t i = 0; i < lengthof(status_texts); i++)
			if (strcmp(code, status_texts[i][0]) == 0)
				status_text = status_texts[i][1];
	}
	sfn_jv_object_put(out, "Headers", 7, headers);
	sfn_jv_object_put(out, "ResponseBody", 12, body);
	sfn_jv_object_put(out, "StatusCode", 10, sfn_jv_int(resp->status));
	sfn_jv_object_put(out, "StatusText", 10, sfn_jv_cstring(status_text));
	*output = out;
	return true;
}
