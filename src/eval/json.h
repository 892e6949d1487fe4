/*-------------------------------------------------------------------------
 *
 * json.h
 *	  A mutable JSON document model on top of PostgreSQL's JsonbValue.
 *
 * Evaluators work on fully expanded JsonbValue trees: objects are jbvObject
 * with pairs, arrays jbvArray with elems, and no jbvBinary anywhere.  Trees
 * are converted from and to Jsonb only at the edges (loading input, storing
 * output).  Everything is palloc'd in CurrentMemoryContext.
 *
 * Object pairs keep insertion order while in memory; sfn_jv_to_jsonb() sorts and
 * de-duplicates them as jsonb requires (the last value of a key wins).
 *
 *-------------------------------------------------------------------------
 */
#ifndef SFN_JSON_H
#define SFN_JSON_H

#include "postgres.h"
#include "utils/jsonb.h"
#include "utils/numeric.h"

/* An AWS runtime error raised while evaluating (never an ereport). */
typedef struct SfnError
{
	const char *error;			/* AWS error name, e.g. "States.Runtime" */
	char	   *cause;			/* human-readable cause, may be NULL */
} SfnError;

/* Fill *err and return false; for "return sfn_fail(err, ...)" one-liners. */
extern bool sfn_fail(SfnError *err, const char *error, const char *fmt,...) pg_attribute_printf(3, 4);

/* conversion */
extern JsonbValue *sfn_jv_from_jsonb(Jsonb *jb);
extern Jsonb *sfn_jv_to_jsonb(const JsonbValue *v);

/* Parse JSON text; returns NULL (never ereports) when text is not JSON. */
extern JsonbValue *sfn_jv_parse(const char *text, int len);

/*
 * Compact JSON text as AWS prints it: no whitespace, keys in insertion order,
 * strings escaped as JSON requires, numbers as written.
 */
extern char *sfn_jv_to_text(const JsonbValue *v);

/*
 * The same, or NULL when the text would be longer than limit bytes; stops
 * writing soon after the limit instead of printing a huge value whole.
 */
extern char *sfn_jv_to_text_limited(const JsonbValue *v, int limit);

/* constructors */
extern JsonbValue *sfn_jv_null(void);
extern JsonbValue *sfn_jv_bool(bool b);
extern JsonbValue *sfn_jv_string(const char *s, int len);
extern JsonbValue *sfn_jv_cstring(const char *s);
extern JsonbValue *sfn_jv_numeric(Numeric n);
extern JsonbValue *sfn_jv_int(int64 i);
extern JsonbValue *sfn_jv_float8(double d);
extern JsonbValue *sfn_jv_array(void);
extern JsonbValue *sfn_jv_object(void);

/*
 * Append to an array (grows as needed).  Containers must come from this
 * module (sfn_jv_array, sfn_jv_object, sfn_jv_copy, sfn_jv_parse, sfn_jv_from_jsonb): their
 * element storage is sized in powers of two, which the appenders rely on.
 */
extern void sfn_jv_array_append(JsonbValue *arr, JsonbValue *elem);

/* Set key in an object, replacing an existing value of that key. */
extern void sfn_jv_object_put(JsonbValue *obj, const char *key, int keylen, JsonbValue *val);

/*
 * Many keys at once: sfn_jv_object_add appends without looking for the key,
 * then sfn_jv_object_finish resolves repeated keys as sfn_jv_object_put would (the
 * last value wins, in the first one's position), in O(n log n) where one
 * sfn_jv_object_put per key costs O(n^2).
 */
extern void sfn_jv_object_add(JsonbValue *obj, const char *key, int keylen, JsonbValue *val);
extern void sfn_jv_object_finish(JsonbValue *obj);

/* Value of key in an object, or NULL; obj must be jbvObject. */
extern JsonbValue *sfn_jv_object_get(const JsonbValue *obj, const char *key, int keylen);
extern JsonbValue *sfn_jv_object_cget(const JsonbValue *obj, const char *key);

/*
 * Deep copy and deep equality (numbers compared by value).  sfn_jv_equal
 * charges the evaluation budget (eval/budget.h) one step per node.
 */
extern JsonbValue *sfn_jv_copy(const JsonbValue *v);
extern bool sfn_jv_equal(const JsonbValue *a, const JsonbValue *b);

/* NUL-terminated copy of a jbvString */
extern char *sfn_jv_cstr(const JsonbValue *v);

/* predicates */
#define sfn_jv_is_object(v) ((v)->type == jbvObject)
#define sfn_jv_is_array(v)	((v)->type == jbvArray)
#define sfn_jv_is_string(v) ((v)->type == jbvString)
#define sfn_jv_is_number(v) ((v)->type == jbvNumeric)
#define sfn_jv_is_bool(v)	((v)->type == jbvBool)
#define sfn_jv_is_null(v)	((v)->type == jbvNull)

/* Numeric helpers: is this number integral?  as int64 (false if not). */
extern bool sfn_jv_get_int64(const JsonbValue *v, int64 *out);
extern double sfn_jv_get_float8(const JsonbValue *v);

#endif							/* SFN_JSON_H */
