/*-------------------------------------------------------------------------
 *
 * http_worker.c
 *	  The HTTP dispatcher: a background worker that sends HTTP task
 *	  requests with libcurl's multi interface and answers them through
 *	  sfn.inbox.
 *
 * One loop, one process, many transfers: the worker waits on a
 * WaitEventSet holding its latch, postmaster death and one epoll set into
 * which libcurl's socket callback puts every socket of every transfer
 * (PostgreSQL 15's WaitEventSet cannot remove a socket, and rebuilding it
 * for each change would cost O(transfers); an epoll descriptor is itself
 * readable while any of its sockets is ready).  Requests are claimed in
 * short transactions (leased, SKIP LOCKED) and sent outside any
 * transaction; finished transfers are answered in short transactions, as
 * many as have finished, while the others go on: there is no batch
 * barrier.  SIGTERM ends the worker at once; unanswered requests keep
 * their rows and are sent again when it starts (with the same
 * Idempotency-Key).
 *
 * The allowlist (pg_sfn.http_allowed_hosts) is checked on the URL's host
 * before each hop (redirects are followed here, not by libcurl, so that
 * each one is checked) and on every address libcurl is about to connect
 * to, after DNS (CURLOPT_OPENSOCKETFUNCTION).  Credentials of a connection
 * go only to the origin of the first URL.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <arpa/inet.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <unistd.h>

#include <curl/curl.h>

#include "access/xact.h"
#include "common/base64.h"
#include "executor/spi.h"
#include "lib/ilist.h"
#include "miscadmin.h"
#include "pgstat.h"
#include "postmaster/bgworker.h"
#include "postmaster/interrupt.h"
#include "storage/ipc.h"
#include "storage/latch.h"
#include "tcop/tcopprot.h"
#include "utils/acl.h"
#include "utils/builtins.h"
#include "utils/guc.h"
#include "utils/hsearch.h"
#include "utils/memutils.h"
#include "utils/snapmgr.h"
#include "utils/timestamp.h"

#include "eval/json.h"
#include "store/schema_version.h"
#include "store/spi_util.h"
#include "support/format.h"
#include "support/guc.h"
#include "tasks/http_allow.h"
#include "tasks/http_queue.h"
#include "tasks/http_request.h"
#include "worker/http_worker.h"
#include "worker/worker.h"

#define IDLE_CHECK_MS		30000	/* look for requests nobody woke us for */
#define LEASE_SWEEP_MS		60000
#define MAX_REDIRECTS		10
#define MAX_HEADER_BYTES	65536
#define TOKEN_TIMEOUT_S		10
#define EPOLL_BATCH			512

typedef enum XferKind
{
	XFER_TASK,					/* a request of sfn.http_requests */
	XFER_TOKEN					/* an OAuth token request of a connection */
} XferKind;

typedef struct OAuthState OAuthState;

typedef struct Xfer
{
	dlist_node	node;			/* finished list, or a token's waiters */
	XferKind	kind;
	int64		request_id;
	MemoryContext cxt;			/* everything below but the malloc'd buffers */
	CURL	   *easy;
	struct curl_slist *slist;
	List	   *headers;		/* "Name: value" */
	List	   *auth_headers;	/* sent to the first URL's origin only */
	char	   *origin;
	char	   *url;
	char	   *host;
	char	   *method;
	char	   *body;
	size_t		body_len;
	char	   *idempotency_key;
	int			timeout_s;
	TimestampTz deadline;
	int			hops;
	bool		host_matched;
	bool		refused;		/* an address was refused by the allowlist */
	char		refused_addr[INET6_ADDRSTRLEN];
	bool		too_large;
	size_t		cap;
	CURLcode	result;
	long		status;
	char		status_text[64];
	char		errbuf[CURL_ERROR_SIZE];
	/* response, malloc'd: filled inside libcurl's callbacks, no palloc */
	char	   *resp;
	size_t		resp_len;
	size_t		resp_cap;
	char	   *hdr;
	size_t		hdr_len;
	size_t		hdr_cap;
	/* an answer known without sending (bad parameters, refused host) */
	const char *fail_error;
	char	   *fail_cause;
	OAuthState *oauth;			/* the connection whose token this fetches */
} Xfer;

/* A connection's OAuth token, cached by connection name. */
struct OAuthState
{
	char		name[128];
	char		version[64];	/* the connection's last change */
	char	   *token;			/* in TopMemoryContext */
	TimestampTz expires;
	bool		fetching;
	dlist_head	waiters;
};

static CURLM *multi = NULL;
static int	epfd = -1;
static TimestampTz curl_due = 0;	/* 0: no libcurl timer */
static dlist_head finished = DLIST_STATIC_INIT(finished);
static dlist_head to_start = DLIST_STATIC_INIT(to_start);	/* after the claim commits */
static int	in_flight = 0;		/* task transfers claimed and not answered */
static SfnHttpAllowlist allow;
static MemoryContext allow_cxt = NULL;
static MemoryContext xfers_cxt = NULL;
static HTAB *oauth_states = NULL;

PGDLLEXPORT void sfn_http_worker_main(Datum arg);

static void start_xfer(Xfer *x);

void
sfn_http_worker_init(void)
{
	BackgroundWorker worker;

	sfn_http_shmem_init();
	memset(&worker, 0, sizeof(worker));
	worker.bgw_flags = BGWORKER_SHMEM_ACCESS | BGWORKER_BACKEND_DATABASE_CONNECTION;
	worker.bgw_start_time = BgWorkerStart_RecoveryFinished;
	worker.bgw_restart_time = 1;
	strlcpy(worker.bgw_library_name, "pg_sfn", BGW_MAXLEN);
	strlcpy(worker.bgw_function_name, "sfn_http_worker_main", BGW_MAXLEN);
	strlcpy(worker.bgw_type, "pg_sfn http dispatcher", BGW_MAXLEN);
	strlcpy(worker.bgw_name, "pg_sfn http dispatcher", BGW_MAXLEN);
	RegisterBackgroundWorker(&worker);
}

/* ---------------------------------------------------------------------
 *		libcurl callbacks: no palloc, no ereport (no longjmp through libcurl)
 * ---------------------------------------------------------------------
 */

static int
socket_cb(CURL *easy, curl_socket_t s, int what, void *userp, void *socketp)
{
	struct epoll_event ev;

	if (what == CURL_POLL_REMOVE)
	{
		(void) epoll_ctl(epfd, EPOLL_CTL_DEL, s, NULL);
		return 0;
	}
	memset(&ev, 0, sizeof(ev));
	ev.events = ((what & CURL_POLL_IN) ? EPOLLIN : 0) | ((what & CURL_POLL_OUT) ? EPOLLOUT : 0);
	ev.data.fd = s;
	if (epoll_ctl(epfd, EPOLL_CTL_MOD, s, &ev) != 0 && errno == ENOENT)
		(void) epoll_ctl(epfd, EPOLL_CTL_ADD, s, &ev);
	return 0;
}

static int
timer_cb(CURLM *m, long timeout_ms, void *userp)
{
	curl_due = timeout_ms < 0 ? 0 :
		TimestampTzPlusMilliseconds(GetCurrentTimestamp(), timeout_ms);
	return 0;
}

/* After DNS: may this address be connected to? */
static curl_socket_t
open_socket_cb(void *clientp, curlsocktype purpose, struct curl_sockaddr *address)
{
	Xfer	   *x = (Xfer *) clientp;

	if (!sfn_http_addr_allowed(&allow, &address->addr, x->host_matched))
	{
		const void *a = address->family == AF_INET6 ?
			(const void *) &((struct sockaddr_in6 *) &address->addr)->sin6_addr :
			(const void *) &((struct sockaddr_in *) &address->addr)->sin_addr;

		x->refused = true;
		if (inet_ntop(address->family, a, x->refused_addr, sizeof(x->refused_addr)) == NULL)
			strlcpy(x->refused_addr, "?", sizeof(x->refused_addr));
		return CURL_SOCKET_BAD;
	}
	return socket(address->family, address->socktype, address->protocol);
}

static bool
grow(char **buf, size_t *cap, size_t need)
{
	size_t		newcap = *cap ? *cap : 1024;
	char	   *p;

	while (newcap < need)
		newcap *= 2;
	if (newcap == *cap)
		return true;
	p = realloc(*buf, newcap);
	if (p == NULL)
		return false;
	*buf = p;
	*cap = newcap;
	return true;
}

static size_t
write_cb(char *ptr, size_t size, size_t nmemb, void *userdata)
{
	Xfer	   *x = (Xfer *) userdata;
	size_t		n = size * nmemb;

	if (x->resp_len + n > x->cap)
	{
		x->too_large = true;
		return 0;				/* aborts the transfer */
	}
	if (!grow(&x->resp, &x->resp_cap, x->resp_len + n + 1))
		return 0;
	memcpy(x->resp + x->resp_len, ptr, n);
	x->resp_len += n;
	return n;
}

/* Keep the header lines of the last response (after 1xx and redirects). */
static size_t
header_cb(char *ptr, size_t size, size_t nmemb, void *userdata)
{
	Xfer	   *x = (Xfer *) userdata;
	size_t		n = size * nmemb;

	if (n >= 5 && memcmp(ptr, "HTTP/", 5) == 0)
	{
		const char *sp = memchr(ptr, ' ', n);
		const char *sp2 = sp ? memchr(sp + 1, ' ', n - (sp + 1 - ptr)) : NULL;
		size_t		len = 0;

		x->hdr_len = 0;
		x->status_text[0] = '\0';
		if (sp2)
		{
			const char *end = ptr + n;

			sp2++;
			while (end > sp2 && (end[-1] == '\r' || end[-1] == '\n'))
				end--;
			len = Min((size_t) (end - sp2), sizeof(x->status_text) - 1);
			memcpy(x->status_text, sp2, len);
			x->status_text[len] = '\0';
		}
		return n;
	}
	if (x->hdr_len + n > MAX_HEADER_BYTES)
	{
		x->too_large = true;
		return 0;
	}
	if (!grow(&x->hdr, &x->hdr_cap, x->hdr_len + n + 1))
		return 0;
	memcpy(x->hdr + x->hdr_len, ptr, n);
	x->hdr_len += n;
	return n;
}

/* ---------------------------------------------------------------------
 *		transfers
 * ---------------------------------------------------------------------
 */

static Xfer *
new_xfer(XferKind kind)
{
	MemoryContext cxt = AllocSetContextCreate(xfers_cxt, "pg_sfn http transfer",
											  ALLOCSET_SMALL_SIZES);
	Xfer	   *x = MemoryContextAllocZero(cxt, sizeof(Xfer));

	x->kind = kind;
	x->cxt = cxt;
	x->cap = (size_t) sfn_max_payload_size;
	if (kind == XFER_TASK)
		in_flight++;
	return x;
}

static void
free_xfer(Xfer *x)
{
	if (x->easy)
		curl_easy_cleanup(x->easy);
	if (x->slist)
		curl_slist_free_all(x->slist);
	free(x->resp);
	free(x->hdr);
	if (x->kind == XFER_TASK)
		in_flight--;
	MemoryContextDelete(x->cxt);
}

static void
fail_xfer(Xfer *x, const char *error, const char *fmt,...) pg_attribute_printf(3, 4);

/* Answer without (further) sending. */
static void
fail_xfer(Xfer *x, const char *error, const char *fmt,...)
{
	MemoryContext old = MemoryContextSwitchTo(x->cxt);
	va_list		args;

	va_start(args, fmt);
	x->fail_cause = sfn_vformat(fmt, args);
	va_end(args);
	x->fail_error = error;
	MemoryContextSwitchTo(old);
	dlist_push_tail(&finished, &x->node);
}

/*
 * Host and origin (scheme://host:port) of a URL, through libcurl's own
 * parser so that both agree on what the host is; false if it has none.
 */
static bool
url_parts(const char *url, char **host, char **origin)
{
	CURLU	   *u = curl_url();
	char	   *h = NULL,
			   *scheme = NULL,
			   *port = NULL;
	bool		ok;

	ok = u != NULL &&
		curl_url_set(u, CURLUPART_URL, url, 0) == CURLUE_OK &&
		curl_url_get(u, CURLUPART_HOST, &h, 0) == CURLUE_OK &&
		curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) == CURLUE_OK &&
		curl_url_get(u, CURLUPART_PORT, &port, CURLU_DEFAULT_PORT) == CURLUE_OK;
	if (ok)
	{
		*host = pstrdup(h);
		*origin = psprintf("%s://%s:%s", scheme, h, port);
	}
	curl_free(h);
	curl_free(scheme);
	curl_free(port);
	if (u)
		curl_url_cleanup(u);
	return ok;
}

/* Configure the easy handle for the current hop and hand it to libcurl. */
static void
start_xfer(Xfer *x)
{
	MemoryContext old = MemoryContextSwitchTo(x->cxt);
	char	   *origin;
	long		remaining_ms;
	ListCell   *lc;

	if (!url_parts(x->url, &x->host, &origin))
	{
		MemoryContextSwitchTo(old);
		fail_xfer(x, "States.Runtime", "The URL of the HTTP task is not valid.");
		return;
	}
	if (x->origin == NULL)
		x->origin = origin;
	x->host_matched = sfn_http_host_allowed(&allow, x->host);
	if (!x->host_matched)
	{
		MemoryContextSwitchTo(old);
		fail_xfer(x, "States.Permissions",
				  "pg_sfn.http_allowed_hosts does not allow the host \"%s\"%s.", x->host,
				  x->hops > 0 ? " (redirected to)" : "");
		return;
	}
	remaining_ms = (long) ((x->deadline - GetCurrentTimestamp()) / 1000);
	if (remaining_ms < 1)
		remaining_ms = 1;

	if (x->easy == NULL)
		x->easy = curl_easy_init();
	else
		curl_easy_reset(x->easy);
	if (x->easy == NULL)
	{
		MemoryContextSwitchTo(old);
		fail_xfer(x, "States.Http.Socket", "The request could not be started (out of memory).");
		return;
	}
	if (x->slist)
		curl_slist_free_all(x->slist);
	x->slist = NULL;
	x->resp_len = 0;
	x->hdr_len = 0;
	x->status_text[0] = '\0';
	x->refused = false;
	x->errbuf[0] = '\0';

	foreach(lc, x->headers)
		x->slist = curl_slist_append(x->slist, (char *) lfirst(lc));
	if (strcmp(origin, x->origin) == 0)
		foreach(lc, x->auth_headers)
			x->slist = curl_slist_append(x->slist, (char *) lfirst(lc));
	if (x->idempotency_key)
	{
		char	   *h = psprintf("Idempotency-Key: %s", x->idempotency_key);

		x->slist = curl_slist_append(x->slist, h);
	}
	/* No "Expect: 100-continue" round trip before larger bodies. */
	x->slist = curl_slist_append(x->slist, "Expect:");

	curl_easy_setopt(x->easy, CURLOPT_URL, x->url);
	curl_easy_setopt(x->easy, CURLOPT_PRIVATE, x);
	curl_easy_setopt(x->easy, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(x->easy, CURLOPT_PROXY, "");	/* no proxy from the environment */
	curl_easy_setopt(x->easy, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(x->easy, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(x->easy, CURLOPT_ERRORBUFFER, x->errbuf);
	curl_easy_setopt(x->easy, CURLOPT_TIMEOUT_MS, remaining_ms);
	curl_easy_setopt(x->easy, CURLOPT_CONNECTTIMEOUT_MS, remaining_ms);
	curl_easy_setopt(x->easy, CURLOPT_OPENSOCKETFUNCTION, open_socket_cb);
	curl_easy_setopt(x->easy, CURLOPT_OPENSOCKETDATA, x);
	curl_easy_setopt(x->easy, CURLOPT_WRITEFUNCTION, write_cb);
	curl_easy_setopt(x->easy, CURLOPT_WRITEDATA, x);
	curl_easy_setopt(x->easy, CURLOPT_HEADERFUNCTION, header_cb);
	curl_easy_setopt(x->easy, CURLOPT_HEADERDATA, x);
	curl_easy_setopt(x->easy, CURLOPT_USERAGENT, "pg_sfn/" SFN_VERSION);
	curl_easy_setopt(x->easy, CURLOPT_HTTPHEADER, x->slist);
	if (strcmp(x->method, "GET") == 0)
		curl_easy_setopt(x->easy, CURLOPT_HTTPGET, 1L);
	else if (strcmp(x->method, "HEAD") == 0)
		curl_easy_setopt(x->easy, CURLOPT_NOBODY, 1L);
	else
	{
		if (x->body || strcmp(x->method, "POST") == 0)
		{
			curl_easy_setopt(x->easy, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t) x->body_len);
			curl_easy_setopt(x->easy, CURLOPT_POSTFIELDS, x->body ? x->body : "");
		}
		curl_easy_setopt(x->easy, CURLOPT_CUSTOMREQUEST, x->method);
	}
	MemoryContextSwitchTo(old);
	if (curl_multi_add_handle(multi, x->easy) != CURLM_OK)
		fail_xfer(x, "States.Http.Socket", "The request could not be started.");
}

/* A 3xx with a Location: the next hop, checked like the first. */
static bool
follow_redirect(Xfer *x, const char *location)
{
	if (++x->hops > MAX_REDIRECTS)
		return false;
	x->url = MemoryContextStrdup(x->cxt, location);
	/* As browsers and libcurl do: 303, and 301/302 after POST, become GET. */
	if ((x->status == 303 && strcmp(x->method, "HEAD") != 0) ||
		((x->status == 301 || x->status == 302) && strcmp(x->method, "POST") == 0))
	{
		x->method = "GET";
		x->body = NULL;
		x->body_len = 0;
	}
	start_xfer(x);
	return true;
}

/* ---------------------------------------------------------------------
 *		connections and OAuth tokens
 * ---------------------------------------------------------------------
 */

static OAuthState *
oauth_state(const char *name)
{
	char		key[128];
	bool		found;
	OAuthState *s;

	memset(key, 0, sizeof(key));
	strlcpy(key, name, sizeof(key));
	s = hash_search(oauth_states, key, HASH_ENTER, &found);
	if (!found)
	{
		strlcpy(s->name, name, sizeof(s->name));
		s->version[0] = '\0';
		s->token = NULL;
		s->expires = 0;
		s->fetching = false;
		dlist_init(&s->waiters);
	}
	return s;
}

static char *
jtext(JsonbValue *obj, const char *k1, const char *k2)
{
	JsonbValue *v = obj ? sfn_jv_object_cget(obj, k1) : NULL;

	if (v && k2)
		v = sfn_jv_is_object(v) ? sfn_jv_object_cget(v, k2) : NULL;
	return (v && sfn_jv_is_string(v)) ? sfn_jv_cstr(v) : NULL;
}

static char *
basic_header(const char *user, const char *password)
{
	char	   *plain = psprintf("%s:%s", user, password);
	int			len = strlen(plain);
	int			enclen = pg_b64_enc_len(len);
	char	   *enc = palloc(enclen + 1);
	int			n = pg_b64_encode(plain, len, enc, enclen);

	if (n < 0)
		elog(ERROR, "could not encode credentials");
	enc[n] = '\0';
	return psprintf("Authorization: Basic %s", enc);
}

/* Start fetching a connection's token (client credentials grant). */
static void
fetch_token(OAuthState *s, JsonbValue *auth, JsonbValue *secret)
{
	Xfer	   *t = new_xfer(XFER_TOKEN);
	MemoryContext old = MemoryContextSwitchTo(t->cxt);
	char	   *endpoint = jtext(auth, "OAuthParameters", "AuthorizationEndpoint");
	char	   *method = jtext(auth, "OAuthParameters", "HttpMethod");
	JsonbValue *op = sfn_jv_object_cget(auth, "OAuthParameters");
	char	   *client_id = op ? jtext(op, "ClientParameters", "ClientID") : NULL;
	char	   *client_secret = jtext(secret, "ClientSecret", NULL);

	t->oauth = s;
	t->url = endpoint ? endpoint : "";
	t->method = method ? method : "POST";
	t->timeout_s = TOKEN_TIMEOUT_S;
	t->deadline = TimestampTzPlusMilliseconds(GetCurrentTimestamp(), TOKEN_TIMEOUT_S * 1000);
	t->auth_headers = list_make1(basic_header(client_id ? client_id : "",
											  client_secret ? client_secret : ""));
	t->headers = list_make1("Accept: application/json");
	if (strcmp(t->method, "GET") != 0)
	{
		t->body = "grant_type=client_credentials";
		t->body_len = strlen(t->body);
		t->headers = lappend(t->headers, "Content-Type: application/x-www-form-urlencoded");
	}
	else
		t->url = psprintf("%s%sgrant_type=client_credentials", t->url,
						  strchr(t->url, '?') ? "&" : "?");
	MemoryContextSwitchTo(old);
	s->fetching = true;
	dlist_push_tail(&to_start, &t->node);
}

/* A token request ended: send or fail the requests that waited for it. */
static void
token_done(Xfer *t)
{
	OAuthState *s = t->oauth;
	char	   *token = NULL;
	int64		expires_in = 3600;
	char	   *problem = NULL;
	dlist_mutable_iter it;

	s->fetching = false;
	if (t->fail_error)
		problem = pstrdup(t->fail_cause);
	else if (t->result != CURLE_OK)
		problem = psprintf("%s", t->refused ? "the allowlist refused its address" :
						   curl_easy_strerror(t->result));
	else if (t->status < 200 || t->status > 299)
		problem = psprintf("the authorization endpoint answered %ld", t->status);
	else
	{
		JsonbValue *j = t->resp ? sfn_jv_parse(t->resp, (int) t->resp_len) : NULL;
		JsonbValue *tok = j && sfn_jv_is_object(j) ? sfn_jv_object_cget(j, "access_token") : NULL;
		JsonbValue *exp = j && sfn_jv_is_object(j) ? sfn_jv_object_cget(j, "expires_in") : NULL;

		if (tok && sfn_jv_is_string(tok) && tok->val.string.len > 0 &&
			strpbrk(sfn_jv_cstr(tok), "\r\n") == NULL)
			token = sfn_jv_cstr(tok);
		else
			problem = pstrdup("its answer has no access_token");
		if (exp && sfn_jv_is_number(exp))
			(void) sfn_jv_get_int64(exp, &expires_in);
	}
	if (token)
	{
		if (s->token)
			pfree(s->token);
		s->token = MemoryContextStrdup(TopMemoryContext, token);
		/* Renew a little early; never cache for less than a second. */
		expires_in = Max(1, Min(expires_in, (int64) 86400 * 365) - 30);
		s->expires = TimestampTzPlusMilliseconds(GetCurrentTimestamp(), expires_in * 1000);
	}
	dlist_foreach_modify(it, &s->waiters)
	{
		Xfer	   *x = dlist_container(Xfer, node, it.cur);

		dlist_delete(&x->node);
		if (token)
		{
			MemoryContext old = MemoryContextSwitchTo(x->cxt);

			x->auth_headers = lappend(x->auth_headers, psprintf("Authorization: Bearer %s", token));
			MemoryContextSwitchTo(old);
			start_xfer(x);
		}
		else
			fail_xfer(x, "Events.ConnectionResource.InvalidConnectionState",
					  "The OAuth token of connection \"%s\" could not be obtained: %s.",
					  s->name, problem);
	}
	free_xfer(t);
}

/*
 * Give x the connection's credentials, or park it until the token comes;
 * false when it was answered (failed) instead.  rows: the claim's
 * connections (SPI_tuptable of sfn_http_load_connections).
 */
static bool
authorize(Xfer *x, const char *conn, const char *role, SPITupleTable *rows, uint64 nrows)
{
	for (uint64 i = 0; i < nrows; i++)
	{
		bool		isnull;
		char	   *name = SPI_getvalue(rows->vals[i], rows->tupdesc, 1);
		char	   *type;
		char	   *owner;
		char	   *version;
		JsonbValue *auth;
		JsonbValue *secret;
		Oid			role_oid;
		Oid			owner_oid;
		MemoryContext old;

		if (strcmp(name, conn) != 0)
			continue;
		type = SPI_getvalue(rows->vals[i], rows->tupdesc, 2);
		owner = SPI_getvalue(rows->vals[i], rows->tupdesc, 5);
		version = SPI_getvalue(rows->vals[i], rows->tupdesc, 6);
		role_oid = role ? get_role_oid(role, true) : InvalidOid;
		owner_oid = get_role_oid(owner, true);
		if (!OidIsValid(role_oid) || !OidIsValid(owner_oid) ||
			!has_privs_of_role(role_oid, owner_oid))
			break;
		old = MemoryContextSwitchTo(x->cxt);
		auth = sfn_jv_from_jsonb(DatumGetJsonbP(SPI_getbinval(rows->vals[i], rows->tupdesc, 3, &isnull)));
		secret = sfn_jv_from_jsonb(DatumGetJsonbP(SPI_getbinval(rows->vals[i], rows->tupdesc, 4, &isnull)));
		if (strcmp(type, "API_KEY") == 0)
		{
			char	   *kname = jtext(auth, "ApiKeyAuthParameters", "ApiKeyName");
			char	   *kvalue = jtext(secret, "ApiKeyValue", NULL);

			if (kname && kvalue)
				x->auth_headers = lappend(x->auth_headers, psprintf("%s: %s", kname, kvalue));
		}
		else if (strcmp(type, "BASIC") == 0)
		{
			char	   *user = jtext(auth, "BasicAuthParameters", "Username");
			char	   *password = jtext(secret, "Password", NULL);

			x->auth_headers = lappend(x->auth_headers,
									  basic_header(user ? user : "", password ? password : ""));
		}
		MemoryContextSwitchTo(old);
		if (strcmp(type, "OAUTH_CLIENT_CREDENTIALS") == 0)
		{
			OAuthState *s = oauth_state(conn);

			if (strcmp(s->version, version) != 0)
			{
				/* a changed connection: its token is not reused */
				strlcpy(s->version, version, sizeof(s->version));
				s->expires = 0;
			}
			if (s->token && s->expires > GetCurrentTimestamp())
			{
				old = MemoryContextSwitchTo(x->cxt);
				x->auth_headers = lappend(x->auth_headers,
										  psprintf("Authorization: Bearer %s", s->token));
				MemoryContextSwitchTo(old);
				return true;
			}
			dlist_push_tail(&s->waiters, &x->node);
			if (!s->fetching)
				fetch_token(s, auth, secret);
			return false;
		}
		return true;
	}
	fail_xfer(x, "States.Permissions",
			  "The connection \"%s\" does not exist, or the state machine's role may not use it.", conn);
	return false;
}

/* ---------------------------------------------------------------------
 *		claiming and answering (short transactions)
 * ---------------------------------------------------------------------
 */

static void
load_allowlist(void)
{
	MemoryContext old;
	char	   *bad;

	if (allow_cxt == NULL)
		allow_cxt = AllocSetContextCreate(TopMemoryContext, "pg_sfn http allowlist",
										  ALLOCSET_SMALL_SIZES);
	MemoryContextReset(allow_cxt);
	old = MemoryContextSwitchTo(allow_cxt);
	sfn_http_allow_parse(sfn_http_allowed_hosts, &allow, &bad);
	MemoryContextSwitchTo(old);
	if (bad)
		ereport(WARNING,
				(errmsg("pg_sfn.http_allowed_hosts: entries not understood and ignored: %s", bad)));
}

/*
 * Pure code that may raise an ERROR (deeply nested JSON, out of memory)
 * fails its one request instead of the dispatcher, which would otherwise
 * meet the same request again after each restart.
 */
static bool
prepare_safely(Xfer *x, Jsonb *params, SfnHttpPrepared *req)
{
	MemoryContext old = MemoryContextSwitchTo(x->cxt);
	volatile bool ok = false;
	SfnError	err;

	PG_TRY();
	{
		ok = sfn_http_prepare(params, req, &err);
		if (!ok)
		{
			x->fail_error = err.error;
			x->fail_cause = err.cause;
		}
	}
	PG_CATCH();
	{
		ErrorData  *edata;

		MemoryContextSwitchTo(x->cxt);
		edata = CopyErrorData();
		FlushErrorState();
		x->fail_error = "States.Runtime";
		x->fail_cause = psprintf("The HTTP task's parameters could not be used: %s", edata->message);
		ok = false;
	}
	PG_END_TRY();
	MemoryContextSwitchTo(old);
	return ok;
}

/*
 * Claim pending requests and start them.  Returns false when the extension
 * is not (yet) usable here.  Lists live in cxt, which outlives the
 * transaction.
 */
static bool
claim(bool first, bool sweep, bool *more, MemoryContext cxt)
{
	int			room = sfn_http_max_in_flight - in_flight;
	uint64		n = 0;
	ListCell   *lc;
	MemoryContext old;
	dlist_mutable_iter it;

	*more = false;
	SetCurrentStatementStartTimestamp();
	StartTransactionCommand();
	SPI_connect();
	PushActiveSnapshot(GetTransactionSnapshot());
	if (sfn_schema_state(NULL) != SFN_SCHEMA_CURRENT)
	{
		SPI_finish();
		PopActiveSnapshot();
		CommitTransactionCommand();
		return false;
	}
	pgstat_report_activity(STATE_RUNNING, "pg_sfn: claiming HTTP requests");
	if (first)
		(void) sfn_http_release_leases(true);
	else if (sweep)
		(void) sfn_http_release_leases(false);
	if (room > 0)
		n = sfn_http_claim(room);
	if (n > 0)
	{
		SPITupleTable *claimed = SPI_tuptable;
		TupleDesc	desc = claimed->tupdesc;
		List	   *names = NIL;
		List	   *xfers = NIL;
		List	   *conn_of = NIL;
		List	   *role_of = NIL;
		SPITupleTable *conns = NULL;
		uint64		nconns = 0;
		ListCell   *lc2,
				   *lc3;

		for (uint64 i = 0; i < n; i++)
		{
			HeapTuple	tup = claimed->vals[i];
			bool		isnull;
			Xfer	   *x = new_xfer(XFER_TASK);
			Jsonb	   *params;
			SfnHttpPrepared req;

			old = MemoryContextSwitchTo(x->cxt);
			x->request_id = DatumGetInt64(SPI_getbinval(tup, desc, 1, &isnull));
			params = DatumGetJsonbPCopy(SPI_getbinval(tup, desc, 2, &isnull));
			x->timeout_s = Min(DatumGetInt32(SPI_getbinval(tup, desc, 3, &isnull)), 86400);
			x->idempotency_key = SPI_getvalue(tup, desc, 4);
			x->deadline = TimestampTzPlusMilliseconds(GetCurrentTimestamp(), (int64) x->timeout_s * 1000);
			MemoryContextSwitchTo(old);
			if (!prepare_safely(x, params, &req))
			{
				dlist_push_tail(&finished, &x->node);
				continue;
			}
			x->url = req.url;
			x->method = req.method;
			x->headers = req.headers;
			x->body = req.body;
			x->body_len = req.body_len;
			old = MemoryContextSwitchTo(cxt);
			if (req.connection)
				names = lappend(names, req.connection);
			xfers = lappend(xfers, x);
			conn_of = lappend(conn_of, req.connection);
			role_of = lappend(role_of, SPI_getvalue(tup, desc, 5));
			MemoryContextSwitchTo(old);
		}
		if (names != NIL)
		{
			nconns = sfn_http_load_connections(names);
			conns = SPI_tuptable;
		}
		forthree(lc, xfers, lc2, conn_of, lc3, role_of)
		{
			Xfer	   *x = (Xfer *) lfirst(lc);
			char	   *conn = (char *) lfirst(lc2);

			if (conn == NULL || authorize(x, conn, (char *) lfirst(lc3), conns, nconns))
				dlist_push_tail(&to_start, &x->node);
		}
		*more = (n == (uint64) room);
	}
	SPI_finish();
	PopActiveSnapshot();
	CommitTransactionCommand();
	pgstat_report_activity(STATE_IDLE, NULL);

	/* Sent only now: never from inside a transaction. */
	dlist_foreach_modify(it, &to_start)
	{
		Xfer	   *x = dlist_container(Xfer, node, it.cur);

		dlist_delete(&x->node);
		start_xfer(x);
	}
	return true;
}

/* The answer to a finished task transfer. */
static void
answer_of(Xfer *x, SfnHttpAnswer *a)
{
	JsonbValue *out;
	SfnError	err;
	char	   *text;

	a->request_id = x->request_id;
	a->succeeded = false;
	if (x->fail_error)
	{
		a->error = x->fail_error;
		a->cause = x->fail_cause;
		return;
	}
	if (x->result != CURLE_OK)
	{
		if (x->too_large)
		{
			a->error = "States.DataLimitExceeded";
			a->cause = psprintf("The response from \"%s\" is larger than pg_sfn.max_payload_size (%d bytes).",
								x->host, sfn_max_payload_size);
		}
		else if (x->refused)
		{
			a->error = "States.Permissions";
			a->cause = psprintf("pg_sfn.http_allowed_hosts does not allow connecting to %s (host \"%s\").",
								x->refused_addr, x->host);
		}
		else if (x->result == CURLE_OPERATION_TIMEDOUT)
		{
			a->error = "States.Http.Socket";
			a->cause = psprintf("The request to \"%s\" timed out after %d seconds.", x->host, x->timeout_s);
		}
		else
		{
			a->error = "States.Http.Socket";
			a->cause = psprintf("The request to \"%s\" failed: %s%s%s", x->host,
								curl_easy_strerror(x->result), x->errbuf[0] ? ": " : "", x->errbuf);
		}
		return;
	}
	{
		SfnHttpResponse resp;

		resp.status = x->status;
		resp.status_text = x->status_text;
		resp.header_block = x->hdr ? x->hdr : "";
		resp.header_len = x->hdr_len;
		resp.body = x->resp ? x->resp : "";
		resp.body_len = x->resp_len;
		if (!sfn_http_output(&resp, &out, &err))
		{
			a->error = err.error;
			a->cause = err.cause;
			return;
		}
	}
	text = sfn_jv_to_text_limited(out, sfn_max_payload_size);
	if (text == NULL)
	{
		a->error = "States.DataLimitExceeded";
		a->cause = psprintf("The output of the HTTP task is larger than pg_sfn.max_payload_size (%d bytes).",
							sfn_max_payload_size);
		return;
	}
	if (x->status >= 200 && x->status <= 299)
	{
		a->succeeded = true;
		a->output = sfn_jv_to_jsonb(out);
		return;
	}
	a->error = psprintf("States.Http.StatusCode.%ld", x->status);
	a->cause = text;
}

/* answer_of, turning an ERROR into a States.Runtime answer. */
static void
answer_safely(Xfer *x, SfnHttpAnswer *a, MemoryContext scratch)
{
	PG_TRY();
	{
		answer_of(x, a);
	}
	PG_CATCH();
	{
		ErrorData  *edata;

		MemoryContextSwitchTo(scratch);
		edata = CopyErrorData();
		FlushErrorState();
		a->request_id = x->request_id;
		a->succeeded = false;
		a->error = "States.Runtime";
		a->cause = psprintf("The HTTP response could not be used: %s", edata->message);
	}
	PG_END_TRY();
}

/*
 * Answer every finished transfer in one short transaction.  On an ERROR
 * (of the statement: the answers themselves cannot raise one) they stay
 * finished and are tried again a second later.
 */
static bool
answer_finished(MemoryContext scratch)
{
	volatile int n = 0;
	int			i = 0;
	SfnHttpAnswer *volatile answers;
	dlist_iter	it;
	volatile bool ok = true;

	dlist_foreach(it, &finished)
		n++;
	if (n == 0)
		return true;

	SetCurrentStatementStartTimestamp();
	StartTransactionCommand();
	MemoryContextSwitchTo(scratch);
	answers = palloc0(sizeof(SfnHttpAnswer) * n);
	dlist_foreach(it, &finished)
	{
		MemoryContextSwitchTo(scratch);
		answer_safely(dlist_container(Xfer, node, it.cur), &answers[i++], scratch);
	}
	PG_TRY();
	{
		SPI_connect();
		PushActiveSnapshot(GetTransactionSnapshot());
		pgstat_report_activity(STATE_RUNNING, "pg_sfn: answering HTTP requests");
		/* Dropped or being updated: the requests are gone with their table. */
		if (sfn_schema_state(NULL) == SFN_SCHEMA_CURRENT)
			(void) sfn_http_complete(answers, n);
		sfn_wake_workers_at_commit();
		SPI_finish();
		PopActiveSnapshot();
		CommitTransactionCommand();
	}
	PG_CATCH();
	{
		MemoryContextSwitchTo(scratch);
		EmitErrorReport();
		FlushErrorState();
		AbortCurrentTransaction();
		ok = false;
	}
	PG_END_TRY();
	pgstat_report_activity(STATE_IDLE, NULL);
	MemoryContextSwitchTo(scratch);
	MemoryContextReset(scratch);
	if (ok)
	{
		dlist_mutable_iter mit;

		dlist_foreach_modify(mit, &finished)
		{
			Xfer	   *x = dlist_container(Xfer, node, mit.cur);

			dlist_delete(&x->node);
			free_xfer(x);
		}
	}
	return ok;
}

/* Collect transfers libcurl finished; follow redirects. */
static void
collect_done(void)
{
	CURLMsg    *m;
	int			left;

	while ((m = curl_multi_info_read(multi, &left)) != NULL)
	{
		Xfer	   *x;
		char	   *priv = NULL;

		if (m->msg != CURLMSG_DONE)
			continue;
		curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, &priv);
		x = (Xfer *) priv;
		x->result = m->data.result;
		curl_multi_remove_handle(multi, x->easy);
		if (x->result == CURLE_OK)
		{
			char	   *location = NULL;

			curl_easy_getinfo(x->easy, CURLINFO_RESPONSE_CODE, &x->status);
			if ((x->status == 301 || x->status == 302 || x->status == 303 ||
				 x->status == 307 || x->status == 308) &&
				curl_easy_getinfo(x->easy, CURLINFO_REDIRECT_URL, &location) == CURLE_OK &&
				location != NULL)
			{
				if (follow_redirect(x, location))
					continue;
				x->fail_error = "States.Http.Socket";
				x->fail_cause = MemoryContextStrdup(x->cxt, "The request was redirected too many times.");
			}
		}
		if (x->kind == XFER_TOKEN)
			token_done(x);
		else
			dlist_push_tail(&finished, &x->node);
	}
}

static void
socket_events(void)
{
	struct epoll_event evs[EPOLL_BATCH];
	int			k;
	int			running;

	do
	{
		k = epoll_wait(epfd, evs, EPOLL_BATCH, 0);
		for (int i = 0; i < k; i++)
		{
			int			flags = 0;

			if (evs[i].events & EPOLLIN)
				flags |= CURL_CSELECT_IN;
			if (evs[i].events & EPOLLOUT)
				flags |= CURL_CSELECT_OUT;
			if (evs[i].events & (EPOLLERR | EPOLLHUP))
				flags |= CURL_CSELECT_ERR;
			curl_multi_socket_action(multi, evs[i].data.fd, flags, &running);
		}
	} while (k == EPOLL_BATCH);
}

/* Committers must not set the latch of whatever process gets our PGPROC. */
static void
detach_latch(int code, Datum arg)
{
	sfn_http_set_dispatcher_latch(NULL);
}

void
sfn_http_worker_main(Datum arg)
{
	WaitEventSet *wes;
	WaitEvent	events[3];
	MemoryContext loop_cxt;
	MemoryContext scratch;
	bool		first = true;
	bool		need_claim = true;
	TimestampTz next_check = 0;
	TimestampTz next_sweep = 0;
	TimestampTz next_answer = 0;
	struct rlimit rl;
	HASHCTL		hctl;

	pqsignal(SIGHUP, SignalHandlerForConfigReload);
	pqsignal(SIGTERM, die);
	BackgroundWorkerUnblockSignals();
	BackgroundWorkerInitializeConnection(sfn_database, NULL, 0);
	pgstat_report_appname("pg_sfn http dispatcher");
	/* As the workers: nothing found through a search_path users can write. */
	SetConfigOption("search_path", "pg_catalog, pg_temp", PGC_SUSET, PGC_S_OVERRIDE);
	SetConfigOption("default_transaction_isolation", "read committed", PGC_SUSET, PGC_S_OVERRIDE);

	/* One descriptor per transfer: take all the process may have. */
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max)
	{
		rl.rlim_cur = rl.rlim_max;
		(void) setrlimit(RLIMIT_NOFILE, &rl);
	}

	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
		elog(FATAL, "could not initialize libcurl");
	multi = curl_multi_init();
	epfd = epoll_create1(EPOLL_CLOEXEC);
	if (multi == NULL || epfd < 0)
		elog(FATAL, "could not create the HTTP dispatcher's event set: %m");
	curl_multi_setopt(multi, CURLMOPT_SOCKETFUNCTION, socket_cb);
	curl_multi_setopt(multi, CURLMOPT_TIMERFUNCTION, timer_cb);

	xfers_cxt = AllocSetContextCreate(TopMemoryContext, "pg_sfn http transfers",
									  ALLOCSET_DEFAULT_SIZES);
	loop_cxt = AllocSetContextCreate(TopMemoryContext, "pg_sfn http loop",
									 ALLOCSET_DEFAULT_SIZES);
	scratch = AllocSetContextCreate(TopMemoryContext, "pg_sfn http answers",
									ALLOCSET_DEFAULT_SIZES);
	memset(&hctl, 0, sizeof(hctl));
	hctl.keysize = 128;
	hctl.entrysize = sizeof(OAuthState);
	oauth_states = hash_create("pg_sfn oauth tokens", 16, &hctl, HASH_ELEM | HASH_STRINGS);
	load_allowlist();

	wes = CreateWaitEventSet(TopMemoryContext, 3);
	AddWaitEventToSet(wes, WL_LATCH_SET, PGINVALID_SOCKET, MyLatch, NULL);
	AddWaitEventToSet(wes, WL_EXIT_ON_PM_DEATH, PGINVALID_SOCKET, NULL, NULL);
	AddWaitEventToSet(wes, WL_SOCKET_READABLE, epfd, NULL, NULL);
	sfn_http_set_dispatcher_latch(MyLatch);
	on_shmem_exit(detach_latch, (Datum) 0);
	elog(LOG, "pg_sfn http dispatcher started in database \"%s\"", sfn_database);

	for (;;)
	{
		TimestampTz now;
		long		wait_ms;
		int			nev;

		CHECK_FOR_INTERRUPTS();
		if (ConfigReloadPending)
		{
			ConfigReloadPending = false;
			ProcessConfigFile(PGC_SIGHUP);
			load_allowlist();
		}
		MemoryContextSwitchTo(loop_cxt);
		now = GetCurrentTimestamp();

		if ((need_claim || now >= next_check) && in_flight < sfn_http_max_in_flight)
		{
			bool		more = false;
			bool		sweep = now >= next_sweep;

			if (claim(first, sweep, &more, loop_cxt))
			{
				first = false;
				if (sweep)
					next_sweep = TimestampTzPlusMilliseconds(now, LEASE_SWEEP_MS);
				next_check = TimestampTzPlusMilliseconds(now, IDLE_CHECK_MS);
			}
			else
				next_check = TimestampTzPlusMilliseconds(now, 1000);
			need_claim = more;
			MemoryContextSwitchTo(loop_cxt);
			now = GetCurrentTimestamp();
		}

		/* Answers known at claim time (bad parameters) go out at once. */
		if (!dlist_is_empty(&finished) && now >= next_answer)
		{
			if (!answer_finished(scratch))
				next_answer = TimestampTzPlusMilliseconds(now, 1000);
			MemoryContextSwitchTo(loop_cxt);
		}

		wait_ms = (long) ((next_check - now) / 1000);
		if (curl_due != 0)
			wait_ms = Min(wait_ms, (long) ((curl_due - now) / 1000));
		if (need_claim && in_flight < sfn_http_max_in_flight)
			wait_ms = 0;
		if (!dlist_is_empty(&finished))
			wait_ms = Min(wait_ms, (long) ((next_answer - now) / 1000));
		wait_ms = Max(wait_ms, 0);

		nev = WaitEventSetWait(wes, wait_ms, events, lengthof(events), PG_WAIT_EXTENSION);
		for (int i = 0; i < nev; i++)
		{
			if (events[i].events & WL_LATCH_SET)
			{
				ResetLatch(MyLatch);
				need_claim = true;
			}
			if (events[i].events & WL_SOCKET_READABLE)
				socket_events();
		}
		if (curl_due != 0 && GetCurrentTimestamp() >= curl_due)
		{
			int			running;

			curl_due = 0;
			curl_multi_socket_action(multi, CURL_SOCKET_TIMEOUT, 0, &running);
		}
		collect_done();
		MemoryContextReset(loop_cxt);
	}
}
