/*-------------------------------------------------------------------------
 *
 * map_run.c
 *	  Start a Distributed Map's map run: read the items, write the run and
 *	  its children's inputs, start the first children.
 *
 * Items come from the state input (ItemsPath) or from an ItemReader:
 *
 *	 "ItemReader": {"Resource": "arn:aws:states:::sql:query",
 *					"Parameters": {"Query": "SELECT ...", "Arguments": [...]},
 *					"ReaderConfig": {"InputType": "CSV", "MaxItems": 100, ...}}
 *
 * The query runs once, read-only, as the state machine's role, in a
 * subtransaction (one snapshot: the batch's).  Without InputType each row
 * is an item: its one column is jsonb or json, or text holding JSON.  With
 * InputType (CSV, JSON, JSONL) the query returns one text value, a file's
 * contents, parsed as that type; "Text" in Parameters instead of "Query"
 * gives the contents directly (e.g. "Text.$": "$.csv").  Any failure is
 * States.ItemReaderFailed.
 *
 * Children are created set-based: every child input goes into
 * sfn.map_run_items with one INSERT, and each start of children is one
 * statement (the executions, their ExecutionStarted events, their work
 * rows), as many as MaxConcurrency allows.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/xact.h"
#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "miscadmin.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/jsonb.h"
#include "utils/memutils.h"
#include "utils/resowner.h"

#include "store/spi_util.h"
#include "support/guc.h"
#include "support/format.h"
#include "tasks/map_run.h"
#include "tasks/tasks.h"
#include "worker/worker.h"

#define READER_FAILED "States.ItemReaderFailed"

static bool
reader_error(char **error, char **cause, const char *fmt,...) pg_attribute_printf(3, 4);

static bool
reader_error(char **error, char **cause, const char *fmt,...)
{
	va_list		ap;

	va_start(ap, fmt);
	*cause = sfn_vformat(fmt, ap);
	va_end(ap);
	*error = pstrdup(READER_FAILED);
	return false;
}

/* A string field of obj, or NULL. */
static const char *
string_field(JsonbValue *obj, const char *key)
{
	JsonbValue *v = obj && sfn_jv_is_object(obj) ? sfn_jv_object_cget(obj, key) : NULL;

	return v && sfn_jv_is_string(v) ? sfn_jv_cstr(v) : NULL;
}

/* One value of a reader row as an item; NULL when it is not JSON. */
static JsonbValue *
row_item(Datum d, bool isnull, Oid type)
{
	if (isnull)
		return sfn_jv_null();
	if (type == JSONBOID)
		return sfn_jv_from_jsonb(DatumGetJsonbPCopy(d));
	if (type == JSONOID || type == TEXTOID || type == VARCHAROID)
	{
		char	   *str = TextDatumGetCString(d);

		return sfn_jv_parse(str, strlen(str));
	}
	return NULL;
}

/*
 * Run the reader's query as role, read-only, in a subtransaction.  Without
 * whole_text each row is an item: into *items, or with raw as jsonb datums
 * into *raw (no JsonbValue trees: a tenth of the memory); with it, the one
 * row's one value is returned as text (*contents).
 */
static bool
run_query(const char *query, JsonbValue *arguments, Oid role, bool whole_text,
		  JsonbValue **items, Datum **raw, int *nraw, char **contents,
		  char **error, char **cause)
{
	MemoryContext caller = CurrentMemoryContext;
	ResourceOwner owner = CurrentResourceOwner;
	Oid			save_userid;
	int			save_sec;
	volatile bool ok = true;
	volatile int nargs = 0;
	Oid		   *volatile types = NULL;
	Datum	   *volatile values = NULL;

	if (arguments != NULL)
	{
		if (arguments->type != jbvArray)
			return reader_error(error, cause, "The Arguments of the ItemReader must be a JSON array");
		nargs = arguments->val.array.nElems;
		types = palloc(sizeof(Oid) * Max(nargs, 1));
		values = palloc(sizeof(Datum) * Max(nargs, 1));
		for (int i = 0; i < nargs; i++)
		{
			types[i] = JSONBOID;
			values[i] = JsonbPGetDatum(sfn_jv_to_jsonb(&arguments->val.array.elems[i]));
		}
	}

	GetUserIdAndSecContext(&save_userid, &save_sec);
	BeginInternalSubTransaction(NULL);
	MemoryContextSwitchTo(caller);
	PG_TRY();
	{
		int			rc;
		uint64		n;
		TupleDesc	desc;

		/* Restricted: no session state (settings, temporary tables) is left. */
		SetUserIdAndSecContext(role, save_sec | SECURITY_LOCAL_USERID_CHANGE |
							   SECURITY_RESTRICTED_OPERATION);
		/* Read-only until the subtransaction ends (it restores the flag). */
		XactReadOnly = true;
		rc = SPI_execute_with_args(query, nargs, types, values, NULL, false,
								   whole_text ? 2 : SFN_MAP_RUN_MAX_ITEMS + 1);
		if (rc < 0)
			elog(ERROR, "the query failed: %s", SPI_result_code_string(rc));
		if (SPI_tuptable == NULL || SPI_tuptable->tupdesc->natts != 1)
		{
			ok = reader_error(error, cause, "The ItemReader query must return exactly one column");
			goto done;
		}
		n = SPI_processed;
		desc = SPI_tuptable->tupdesc;
		if (whole_text)
		{
			bool		isnull = true;
			Datum		d = (Datum) 0;
			Oid			type = SPI_gettypeid(desc, 1);

			if (n == 1)
				d = SPI_getbinval(SPI_tuptable->vals[0], desc, 1, &isnull);
			if (n != 1 || isnull)
				ok = reader_error(error, cause, "The ItemReader query must return one row with the contents to read, but returned %llu rows",
								  (unsigned long long) n);
			else if (type == JSONBOID)
			{
				MemoryContextSwitchTo(caller);
				*contents = JsonbToCString(NULL, &DatumGetJsonbP(d)->root, VARSIZE(DatumGetJsonbP(d)));
			}
			else if (type == TEXTOID || type == VARCHAROID || type == JSONOID)
			{
				MemoryContextSwitchTo(caller);
				*contents = TextDatumGetCString(d);
			}
			else
				ok = reader_error(error, cause, "The ItemReader query must return a value of type text, json or jsonb");
		}
		else if (n > SFN_MAP_RUN_MAX_ITEMS)
			ok = reader_error(error, cause, "The ItemReader query returned more than %d items, the most a map run takes",
							  SFN_MAP_RUN_MAX_ITEMS);
		else
		{
			Oid			type = SPI_gettypeid(desc, 1);
			SPITupleTable *tt = SPI_tuptable;

			MemoryContextSwitchTo(caller);
			if (raw)
			{
				*raw = palloc(sizeof(Datum) * Max(n, 1));
				*nraw = (int) n;
			}
			else
				*items = sfn_jv_array();
			for (uint64 r = 0; r < n && ok; r++)
			{
				bool		isnull;
				Datum		d = SPI_getbinval(tt->vals[r], desc, 1, &isnull);
				JsonbValue *item;

				CHECK_FOR_INTERRUPTS();
				if (raw && type == JSONBOID && !isnull)
				{
					(*raw)[r] = PointerGetDatum(DatumGetJsonbPCopy(d));
					continue;
				}
				item = row_item(d, isnull, type);
				if (item == NULL)
					ok = reader_error(error, cause, "The ItemReader query returned a row that is not JSON (row %llu, type %s)",
									  (unsigned long long) r + 1, format_type_be(type));
				else if (raw)
					(*raw)[r] = JsonbPGetDatum(sfn_jv_to_jsonb(item));
				else
					sfn_jv_array_append(*items, item);
			}
			SPI_freetuptable(tt);
		}
done:
		SetUserIdAndSecContext(save_userid, save_sec);
		MemoryContextSwitchTo(caller);
		/* Nothing the query did is kept. */
		RollbackAndReleaseCurrentSubTransaction();
		MemoryContextSwitchTo(caller);
		CurrentResourceOwner = owner;
	}
	PG_CATCH();
	{
		ErrorData  *edata;

		SetUserIdAndSecContext(save_userid, save_sec);
		MemoryContextSwitchTo(caller);
		edata = CopyErrorData();
		FlushErrorState();
		RollbackAndReleaseCurrentSubTransaction();
		MemoryContextSwitchTo(caller);
		CurrentResourceOwner = owner;
		if (edata->elevel > ERROR || edata->sqlerrcode == ERRCODE_QUERY_CANCELED ||
			edata->sqlerrcode == ERRCODE_ADMIN_SHUTDOWN)
			ReThrowError(edata);
		ok = reader_error(error, cause, "The ItemReader query failed: %s",
						  edata->message ? edata->message : "");
		FreeErrorData(edata);
	}
	PG_END_TRY();
	return ok;
}

/* CSVDelimiter: AWS's names. */
static bool
csv_delimiter(const char *name, char *out)
{
	static const struct
	{
		const char *name;
		char		c;
	}			names[] = {
		{"COMMA", ','}, {"PIPE", '|'}, {"SEMICOLON", ';'}, {"SPACE", ' '}, {"TAB", '\t'}
	};

	*out = ',';
	if (name == NULL)
		return true;
	for (int i = 0; i < (int) lengthof(names); i++)
		if (strcmp(name, names[i].name) == 0)
		{
			*out = names[i].c;
			return true;
		}
	return false;
}

/* One CSV record from *p (RFC 4180 quoting); NIL at the end of the text. */
static List *
csv_record(const char **p, char delim)
{
	List	   *fields = NIL;
	StringInfoData f;
	const char *s = *p;

	if (*s == '\0')
		return NIL;
	initStringInfo(&f);
	for (;;)
	{
		if (*s == '"')
		{
			s++;
			while (*s)
			{
				if (*s == '"' && s[1] == '"')
				{
					appendStringInfoChar(&f, '"');
					s += 2;
				}
				else if (*s == '"')
				{
					s++;
					break;
				}
				else
					appendStringInfoChar(&f, *s++);
			}
		}
		while (*s && *s != delim && *s != '\n' && *s != '\r')
			appendStringInfoChar(&f, *s++);
		fields = lappend(fields, pstrdup(f.data));
		resetStringInfo(&f);
		if (*s == delim)
		{
			s++;
			continue;
		}
		if (*s == '\r')
			s++;
		if (*s == '\n')
			s++;
		break;
	}
	*p = s;
	return fields;
}

static bool
parse_csv(const char *text, JsonbValue *config, int64 max_items, JsonbValue **items,
		  char **error, char **cause)
{
	const char *p = text;
	const char *location = string_field(config, "CSVHeaderLocation");
	List	   *headers = NIL;
	List	   *rec;
	char		delim;

	if (!csv_delimiter(string_field(config, "CSVDelimiter"), &delim))
		return reader_error(error, cause, "CSVDelimiter must be one of COMMA, PIPE, SEMICOLON, SPACE, TAB");
	if (location == NULL || strcmp(location, "FIRST_ROW") == 0)
		headers = csv_record(&p, delim);
	else if (strcmp(location, "GIVEN") == 0)
	{
		JsonbValue *h = sfn_jv_object_cget(config, "CSVHeaders");

		if (h == NULL || h->type != jbvArray)
			return reader_error(error, cause, "CSVHeaders must be given as an array of strings when CSVHeaderLocation is GIVEN");
		for (int i = 0; i < h->val.array.nElems; i++)
		{
			if (!sfn_jv_is_string(&h->val.array.elems[i]))
				return reader_error(error, cause, "CSVHeaders must be an array of strings");
			headers = lappend(headers, sfn_jv_cstr(&h->val.array.elems[i]));
		}
	}
	else
		return reader_error(error, cause, "CSVHeaderLocation must be FIRST_ROW or GIVEN");
	if (headers == NIL)
		return reader_error(error, cause, "The CSV contents have no header row");

	*items = sfn_jv_array();
	while ((max_items == 0 || (*items)->val.array.nElems < max_items) &&
		   (rec = csv_record(&p, delim)) != NIL)
	{
		JsonbValue *obj = sfn_jv_object();
		ListCell   *h;
		ListCell   *v;

		CHECK_FOR_INTERRUPTS();
		if (list_length(rec) == 1 && ((char *) linitial(rec))[0] == '\0')
			continue;			/* a blank line */
		if (list_length(rec) != list_length(headers))
			return reader_error(error, cause, "CSV row %d has %d fields but there are %d headers",
								(*items)->val.array.nElems + 1, list_length(rec), list_length(headers));
		forboth(h, headers, v, rec)
			sfn_jv_object_put(obj, lfirst(h), strlen(lfirst(h)), sfn_jv_cstring(lfirst(v)));
		if ((*items)->val.array.nElems >= SFN_MAP_RUN_MAX_ITEMS)
			return reader_error(error, cause, "The contents hold more than %d items, the most a map run takes",
								SFN_MAP_RUN_MAX_ITEMS);
		sfn_jv_array_append(*items, obj);
	}
	return true;
}

static bool
parse_jsonl(const char *text, int64 max_items, JsonbValue **items, char **error, char **cause)
{
	const char *p = text;
	int			line = 0;

	*items = sfn_jv_array();
	while (*p && (max_items == 0 || (*items)->val.array.nElems < max_items))
	{
		const char *nl = strchr(p, '\n');
		int			len = nl ? (int) (nl - p) : (int) strlen(p);
		JsonbValue *v;
		bool		blank = true;

		CHECK_FOR_INTERRUPTS();
		line++;
		for (int i = 0; i < len; i++)
			if (!isspace((unsigned char) p[i]))
				blank = false;
		if (!blank)
		{
			if ((v = sfn_jv_parse(p, len)) == NULL)
				return reader_error(error, cause, "Line %d of the JSONL contents is not JSON", line);
			if ((*items)->val.array.nElems >= SFN_MAP_RUN_MAX_ITEMS)
				return reader_error(error, cause, "The contents hold more than %d items, the most a map run takes",
									SFN_MAP_RUN_MAX_ITEMS);
			sfn_jv_array_append(*items, v);
		}
		p += len + (nl ? 1 : 0);
	}
	return true;
}

/*
 * The items of an ItemReader.  raw non-NULL: the caller takes rows of a
 * query as they are (*raw, *nraw) when the reader has no InputType; else
 * *raw stays NULL and the items are in *items.
 */
static bool
read_items(JsonbValue *reader, Oid role, JsonbValue **items, Datum **raw, int *nraw,
		   char **error, char **cause)
{
	const char *resource = string_field(reader, "Resource");
	JsonbValue *params = sfn_jv_object_cget(reader, "Parameters");
	JsonbValue *config = sfn_jv_object_cget(reader, "ReaderConfig");
	const char *input_type = string_field(config, "InputType");
	const char *query = string_field(params, "Query");
	const char *given_text = string_field(params, "Text");
	char	   *text = NULL;
	int64		max_items = 0;

	if (resource == NULL || strcmp(resource, "arn:aws:states:::sql:query") != 0)
		return reader_error(error, cause, "pg_sfn reads items only with the resource arn:aws:states:::sql:query, not '%s'",
							resource ? resource : "");
	if (config != NULL && sfn_jv_is_object(config) && sfn_jv_object_cget(config, "MaxItems"))
	{
		JsonbValue *m = sfn_jv_object_cget(config, "MaxItems");

		if (!sfn_jv_get_int64(m, &max_items) || max_items < 0)
			return reader_error(error, cause, "MaxItems must be a non-negative integer, but was: %s",
								sfn_jv_to_text(m));
	}
	if ((query == NULL) == (given_text == NULL))
		return reader_error(error, cause, "The ItemReader's Parameters must have exactly one of Query and Text");
	if (input_type == NULL)
	{
		if (query == NULL)
			return reader_error(error, cause, "ReaderConfig.InputType is required with Text");
		if (!run_query(query, params ? sfn_jv_object_cget(params, "Arguments") : NULL, role,
					   false, items, raw, nraw, NULL, error, cause))
			return false;
		/* MaxItems: the first ones. */
		if (raw && max_items > 0 && *nraw > max_items)
			*nraw = (int) max_items;
		else if (!raw && max_items > 0 && (*items)->val.array.nElems > max_items)
			(*items)->val.array.nElems = (int) max_items;
		return true;
	}
	if (query != NULL)
	{
		if (!run_query(query, params ? sfn_jv_object_cget(params, "Arguments") : NULL, role,
					   true, NULL, NULL, NULL, &text, error, cause))
			return false;
	}
	else
		text = pstrdup(given_text);

	if (strcmp(input_type, "CSV") == 0)
		return parse_csv(text, config, max_items, items, error, cause);
	if (strcmp(input_type, "JSONL") == 0)
		return parse_jsonl(text, max_items, items, error, cause);
	if (strcmp(input_type, "JSON") == 0)
	{
		JsonbValue *v = sfn_jv_parse(text, strlen(text));

		if (v == NULL || v->type != jbvArray)
			return reader_error(error, cause, "The JSON contents must be a JSON array");
		if (v->val.array.nElems > SFN_MAP_RUN_MAX_ITEMS)
			return reader_error(error, cause, "The contents hold more than %d items, the most a map run takes",
								SFN_MAP_RUN_MAX_ITEMS);
		if (max_items > 0 && v->val.array.nElems > max_items)
			v->val.array.nElems = (int) max_items;
		*items = v;
		return true;
	}
	return reader_error(error, cause, "ReaderConfig.InputType must be CSV, JSON or JSONL, not '%s'", input_type);
}

/* The map run's row; status SUCCEEDED (and no children) when empty. */
static int64
insert_run(int64 exec_id, const SfnEffect *eff, int64 items, int64 children)
{
	const SfnMapRunSpec *spec = eff->map_run;
	Datum		v[12];
	char		n[12];

	memset(n, ' ', sizeof(n));
	v[0] = DirectFunctionCall1(uuid_in, CStringGetDatum(spec->uuid));
	v[1] = Int64GetDatum(exec_id);
	v[2] = Int32GetDatum(eff->thread_id);
	v[3] = Int32GetDatum(eff->task_event_id);
	v[4] = CStringGetTextDatum(eff->state->name);
	v[5] = spec->label ? CStringGetTextDatum(spec->label) : (Datum) 0;
	n[5] = spec->label ? ' ' : 'n';
	v[6] = Int32GetDatum((int32) Min(spec->max_concurrency, PG_INT32_MAX));
	v[7] = Int64GetDatum(spec->tolerated_count);
	n[7] = spec->tolerated_count < 0 ? 'n' : ' ';
	v[8] = Float8GetDatum(spec->tolerated_percentage);
	n[8] = spec->tolerated_percentage < 0 ? 'n' : ' ';
	v[9] = Int64GetDatum(items);
	v[10] = Int64GetDatum(children);
	v[11] = spec->result_writer ? JsonbPGetDatum(sfn_jv_to_jsonb(spec->result_writer)) : (Datum) 0;
	n[11] = spec->result_writer ? ' ' : 'n';
	sfn_spi_exec("INSERT INTO sfn.map_runs (uuid, parent_execution_id, parent_thread_id, parent_event_id,"
				 "   state_name, label, max_concurrency, tolerated_failure_count,"
				 "   tolerated_failure_percentage, item_count, child_count, result_writer, start_date,"
				 "   status, stop_date)"
				 " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, pg_catalog.now(),"
				 "   CASE WHEN $11 OPERATOR(pg_catalog.=) 0 THEN 'SUCCEEDED' ELSE 'RUNNING' END,"
				 "   CASE WHEN $11 OPERATOR(pg_catalog.=) 0 THEN pg_catalog.now() END)"
				 " RETURNING id",
				 12, (Oid[]) {UUIDOID, INT8OID, INT4OID, INT4OID, TEXTOID, TEXTOID, INT4OID,
					 INT8OID, FLOAT8OID, INT8OID, INT8OID, JSONBOID},
				 v, n, false, SPI_OK_INSERT_RETURNING);
	return sfn_spi_get_int64(0, 1);
}

/* Every child's input (jsonb datums), in one statement. */
static void
insert_items(int64 run_id, Datum *d, int n)
{
	sfn_spi_exec("INSERT INTO sfn.map_run_items (map_run_id, child_index, input)"
				 " SELECT $1, (u.ord OPERATOR(pg_catalog.-) 1)::pg_catalog.int4, u.input"
				 " FROM ROWS FROM (pg_catalog.unnest($2::pg_catalog.jsonb[])) WITH ORDINALITY AS u(input, ord)",
				 2, (Oid[]) {INT8OID, JSONBARRAYOID},
				 (Datum[]) {Int64GetDatum(run_id),
					 PointerGetDatum(construct_array(d, n, JSONBOID, -1, false, TYPALIGN_INT))},
				 NULL, false, SPI_OK_INSERT);
}

/*
 * Rows taken as they are: each within the payload limit.  A jsonb's text
 * is at most six times its binary size (\u00XX escapes), so only large
 * ones are printed to be measured.
 */
static bool
check_raw_inputs(const SfnEffect *eff, Datum *d, int n, char **error, char **cause)
{
	int			limit = eff->map_run->max_payload;

	for (int i = 0; i < n; i++)
	{
		Jsonb	   *jb = DatumGetJsonbP(d[i]);

		CHECK_FOR_INTERRUPTS();
		if ((Size) VARSIZE(jb) * 6 < (Size) limit)
			continue;
		if (sfn_jv_to_text_limited(sfn_jv_from_jsonb(jb), limit) == NULL)
		{
			*error = pstrdup("States.DataLimitExceeded");
			*cause = psprintf("The input of the child execution %d of the Map state '%s' has a size exceeding the maximum number of bytes service limit.",
							  i, eff->state->name);
			return false;
		}
	}
	return true;
}

/* The first children, as many as MaxConcurrency allows; the rest wait. */
static SfnWake *
start_first(int64 run_id, const SfnMapRunSpec *spec)
{
	int64		concurrency = spec->max_concurrency > 0 ? spec->max_concurrency :
		SFN_MAP_RUN_DEFAULT_CONCURRENCY;

	(void) sfn_map_run_start_children(run_id, concurrency, GetCurrentTimestamp());
	sfn_wake_workers_at_commit();
	return NULL;
}

SfnWake *
sfn_map_run_start(int64 exec_id, Oid role, const SfnEffect *eff)
{
	const SfnMapRunSpec *spec = eff->map_run;
	JsonbValue *items = spec->items;
	JsonbValue *inputs;
	SfnError	err;
	char	   *error;
	char	   *cause;
	int64		run_id;

	Datum	   *raw = NULL;
	int			nraw = 0;
	/* Rows used as they are: a query's, with no ItemSelector or ItemBatcher. */
	bool		take_raw = eff->state->item_selector == NULL && eff->state->parameters == NULL &&
		eff->state->item_selector_expr == NULL &&
		sfn_jv_object_cget(eff->state->raw, "ItemBatcher") == NULL;

	if (items == NULL &&
		!read_items(spec->reader, role, &items, take_raw ? &raw : NULL, &nraw, &error, &cause))
	{
		SfnWake    *w = sfn_task_answer(eff, SFN_WAKE_TASK_FAILED);

		w->error = error;
		w->cause = cause;
		return w;
	}
	if (raw != NULL)
	{
		if (!check_raw_inputs(eff, raw, nraw, &error, &cause))
		{
			SfnWake    *w = sfn_task_answer(eff, SFN_WAKE_TASK_FAILED);

			w->error = error;
			w->cause = cause;
			return w;
		}
		run_id = insert_run(exec_id, eff, nraw, nraw);
		if (nraw == 0)
		{
			SfnWake    *w = sfn_task_answer(eff, SFN_WAKE_TASK_SUCCEEDED);

			w->output = sfn_jv_array();
			return w;
		}
		insert_items(run_id, raw, nraw);
		pfree(raw);
		return start_first(run_id, spec);
	}
	if (items->val.array.nElems > SFN_MAP_RUN_MAX_ITEMS)
	{
		SfnWake    *w = sfn_task_answer(eff, SFN_WAKE_TASK_FAILED);

		w->error = READER_FAILED;
		w->cause = psprintf("The map run has %d items, more than %d, the most a map run takes",
							items->val.array.nElems, SFN_MAP_RUN_MAX_ITEMS);
		return w;
	}
	if (!sfn_map_child_inputs(eff->state, spec, items, &inputs, &err))
	{
		SfnWake    *w = sfn_task_answer(eff, SFN_WAKE_TASK_FAILED);

		w->error = err.error;
		w->cause = err.cause;
		return w;
	}

	run_id = insert_run(exec_id, eff, items->val.array.nElems, inputs->val.array.nElems);
	if (inputs->val.array.nElems == 0)
	{
		SfnWake    *w = sfn_task_answer(eff, SFN_WAKE_TASK_SUCCEEDED);

		w->output = sfn_jv_array();
		return w;
	}
	{
		int			n = inputs->val.array.nElems;
		Datum	   *d = palloc(sizeof(Datum) * n);

		for (int i = 0; i < n; i++)
		{
			CHECK_FOR_INTERRUPTS();
			d[i] = JsonbPGetDatum(sfn_jv_to_jsonb(&inputs->val.array.elems[i]));
		}
		insert_items(run_id, d, n);
		pfree(d);
	}
	return start_first(run_id, spec);
}
