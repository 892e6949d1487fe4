/*-------------------------------------------------------------------------
 *
 * sql_invoke.c
 *	  The SQL task: call FUNCTION(jsonb) RETURNS jsonb inside the batch's
 *	  transaction, in a subtransaction, as the state machine's role.
 *
 * Shaped like lambda:invoke: Parameters {"FunctionName": "schema.name",
 * "Payload": ...}; the result is {"ExecutedVersion": "$LATEST",
 * "Payload": <the function's result>, "StatusCode": 200}.  The function's
 * writes commit with the transition that records its result; when it
 * raises, only its subtransaction rolls back and the error becomes the
 * task's failure:
 *	 SQLSTATE SF900        error = the message, cause = the detail
 *	 42501 (privileges)    States.Permissions
 *	 any other            Sql.<SQLSTATE>, cause = the message
 * Cancels, shutdowns and errors above ERROR are not the task's: they
 * propagate and abort the batch.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/xact.h"
#include "catalog/namespace.h"
#include "catalog/pg_proc.h"
#include "catalog/pg_type.h"
#include "fmgr.h"
#include "miscadmin.h"
#include "parser/parse_func.h"
#include "storage/latch.h"
#include "utils/acl.h"
#include "utils/builtins.h"
#include "utils/guc.h"
#include "utils/jsonb.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/regproc.h"
#include "utils/resowner.h"
#include "utils/syscache.h"
#include "utils/timeout.h"

#include "support/errors.h"
#include "support/format.h"
#include "support/guc.h"
#include "tasks/tasks.h"

static bool
task_error(char **error, char **cause, const char *e, const char *fmt,...) pg_attribute_printf(4, 5);

static bool
task_error(char **error, char **cause, const char *e, const char *fmt,...)
{
	va_list		ap;

	va_start(ap, fmt);
	*cause = sfn_vformat(fmt, ap);
	va_end(ap);
	*error = pstrdup(e);
	return false;
}

/* FunctionName -> the oid of NAME(jsonb) RETURNS jsonb, or InvalidOid. */
static Oid
find_function(const char *name, char **error, char **cause)
{
	List	   *names;
	Oid			fn;
	Oid			argtypes[1] = {JSONBOID};

	PG_TRY();
	{
		names = stringToQualifiedNameList(name);
	}
	PG_CATCH();
	{
		FlushErrorState();
		names = NIL;
	}
	PG_END_TRY();
	if (names == NIL || list_length(names) < 2)
	{
		task_error(error, cause, "Sql.FunctionNotFound",
				   "FunctionName must name a function as schema.name, but was '%s'", name);
		return InvalidOid;
	}
	fn = LookupFuncName(names, 1, argtypes, true);
	if (!OidIsValid(fn))
	{
		task_error(error, cause, "Sql.FunctionNotFound",
				   "function %s(jsonb) does not exist", name);
		return InvalidOid;
	}
	if (get_func_rettype(fn) != JSONBOID || get_func_retset(fn) ||
		get_func_prokind(fn) != PROKIND_FUNCTION)
	{
		task_error(error, cause, "Sql.FunctionNotFound",
				   "function %s(jsonb) must return a single jsonb value", name);
		return InvalidOid;
	}
	return fn;
}

static bool
is_interrupt(int sqlerrcode)
{
	return sqlerrcode == ERRCODE_QUERY_CANCELED ||
		sqlerrcode == ERRCODE_ADMIN_SHUTDOWN ||
		sqlerrcode == ERRCODE_CRASH_SHUTDOWN ||
		sqlerrcode == ERRCODE_DATABASE_DROPPED ||
		sqlerrcode == ERRCODE_OUT_OF_MEMORY;
}

/*
 * Is the function's result over the payload limit?  Its JSON text is
 * measured only when the binary form is large enough to be near it.
 */
static bool
too_large(Jsonb *result)
{
	if (VARSIZE(result) < (Size) sfn_max_payload_size / 4)
		return false;
	return strlen(JsonbToCString(NULL, &result->root, VARSIZE(result))) > (Size) sfn_max_payload_size;
}

/*
 * TimeoutSeconds of a SQL task: a timer that cancels the call.  The cancel
 * it raises is the task's (States.Timeout), unlike any other cancel.
 */
static volatile sig_atomic_t task_timed_out = false;
static TimeoutId task_timeout_id = MAX_TIMEOUTS;

static void
task_timeout_handler(void)
{
	task_timed_out = true;
	InterruptPending = true;
	QueryCancelPending = true;
	SetLatch(MyLatch);
}

bool
sfn_sql_invoke(JsonbValue *parameters, Oid role, const char *state_name,
			   int64 timeout_seconds, JsonbValue **output, char **error, char **cause)
{
	JsonbValue *fname = NULL;
	JsonbValue *payload = NULL;
	Oid			fn;
	char	   *name;
	MemoryContext oldcontext = CurrentMemoryContext;
	ResourceOwner oldowner = CurrentResourceOwner;
	Oid			save_userid;
	int			save_sec;
	volatile int save_nestlevel;
	volatile Datum result = (Datum) 0;
	volatile bool isnull = true;
	volatile bool ok = true;

	if (parameters && sfn_jv_is_object(parameters))
	{
		fname = sfn_jv_object_cget(parameters, "FunctionName");
		payload = sfn_jv_object_cget(parameters, "Payload");
	}
	if (fname == NULL || !sfn_jv_is_string(fname))
		return task_error(error, cause, "Sql.FunctionNotFound",
						  "The parameters of a SQL task must have a string FunctionName");
	name = sfn_jv_cstr(fname);
	if (!OidIsValid(fn = find_function(name, error, cause)))
		return false;
	if (pg_proc_aclcheck(fn, role, ACL_EXECUTE) != ACLCHECK_OK)
		return task_error(error, cause, "States.Permissions",
						  "role \"%s\" may not execute function %s(jsonb)",
						  GetUserNameFromId(role, false), name);

	GetUserIdAndSecContext(&save_userid, &save_sec);
	save_nestlevel = 0;
	if (timeout_seconds > 0)
	{
		if (task_timeout_id == MAX_TIMEOUTS)
			task_timeout_id = RegisterTimeout(USER_TIMEOUT, task_timeout_handler);
		task_timed_out = false;
		enable_timeout_after(task_timeout_id,
							 (int) Min(timeout_seconds * 1000, (int64) PG_INT32_MAX));
	}
	BeginInternalSubTransaction(NULL);
	MemoryContextSwitchTo(oldcontext);
	PG_TRY();
	{
		LOCAL_FCINFO(fcinfo, 1);
		FmgrInfo	flinfo;

		/*
		 * The worker's session runs every user's tasks: a task may not leave
		 * anything behind in it for the next one to find (a temporary table
		 * that shadows another user's unqualified name, a setting).  As
		 * PostgreSQL does for index expressions and materialized views: a
		 * security-restricted operation, and its settings undone after.
		 */
		SetUserIdAndSecContext(role, save_sec | SECURITY_LOCAL_USERID_CHANGE |
							   SECURITY_RESTRICTED_OPERATION);
		save_nestlevel = NewGUCNestLevel();
		fmgr_info(fn, &flinfo);
		InitFunctionCallInfoData(*fcinfo, &flinfo, 1, InvalidOid, NULL, NULL);
		fcinfo->args[0].value = JsonbPGetDatum(sfn_jv_to_jsonb(payload ? payload : sfn_jv_null()));
		fcinfo->args[0].isnull = false;
		result = FunctionCallInvoke(fcinfo);
		isnull = fcinfo->isnull;
		if (timeout_seconds > 0)
		{
			disable_timeout(task_timeout_id, false);
			/* The timer fired just after the call returned: not a cancel. */
			if (task_timed_out)
			{
				task_timed_out = false;
				QueryCancelPending = false;
			}
		}
		AtEOXact_GUC(false, save_nestlevel);
		SetUserIdAndSecContext(save_userid, save_sec);
		/* The result lives in oldcontext: copy it out before the release. */
		if (!isnull)
			result = PointerGetDatum(DatumGetJsonbPCopy(result));

		/*
		 * A result the execution cannot take fails the task: its writes
		 * roll back as if it had raised, so a retry does not repeat them.
		 */
		if (!isnull && too_large(DatumGetJsonbP(result)))
		{
			RollbackAndReleaseCurrentSubTransaction();
			ok = false;
			*error = pstrdup("States.DataLimitExceeded");
			*cause = psprintf("The state/task '%s' returned a result with a size exceeding the maximum number of bytes service limit.",
							  state_name);
		}
		else
			ReleaseCurrentSubTransaction();
		MemoryContextSwitchTo(oldcontext);
		CurrentResourceOwner = oldowner;
	}
	PG_CATCH();
	{
		ErrorData  *edata;

		bool		timed_out = task_timed_out;

		if (timeout_seconds > 0)
			disable_timeout(task_timeout_id, false);
		task_timed_out = false;
		SetUserIdAndSecContext(save_userid, save_sec);
		MemoryContextSwitchTo(oldcontext);
		edata = CopyErrorData();
		FlushErrorState();
		RollbackAndReleaseCurrentSubTransaction();
		MemoryContextSwitchTo(oldcontext);
		CurrentResourceOwner = oldowner;
		ok = false;
		if (timed_out && edata->sqlerrcode == ERRCODE_QUERY_CANCELED && edata->elevel == ERROR)
		{
			*error = pstrdup("States.Timeout");
			*cause = psprintf("The SQL task ran longer than its TimeoutSeconds (" INT64_FORMAT ")",
							  timeout_seconds);
		}
		else if (edata->elevel > ERROR || is_interrupt(edata->sqlerrcode))
			ReThrowError(edata);
		else if (edata->sqlerrcode == ERRCODE_SFN_TASK_ERROR)
		{
			*error = pstrdup(edata->message ? edata->message : "");
			*cause = edata->detail ? pstrdup(edata->detail) : NULL;
		}
		else if (edata->sqlerrcode == ERRCODE_INSUFFICIENT_PRIVILEGE)
		{
			*error = pstrdup("States.Permissions");
			*cause = pstrdup(edata->message ? edata->message : "");
		}
		else
		{
			*error = psprintf("Sql.%s", unpack_sql_state(edata->sqlerrcode));
			*cause = pstrdup(edata->message ? edata->message : "");
		}
		FreeErrorData(edata);
	}
	PG_END_TRY();
	if (!ok)
		return false;

	*output = sfn_jv_object();
	sfn_jv_object_put(*output, "ExecutedVersion", 15, sfn_jv_cstring("$LATEST"));
	sfn_jv_object_put(*output, "Payload", 7,
					  isnull ? sfn_jv_null() : sfn_jv_from_jsonb(DatumGetJsonbP(result)));
	sfn_jv_object_put(*output, "StatusCode", 10, sfn_jv_int(200));
	return true;
}
