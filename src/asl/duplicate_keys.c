/*-------------------------------------------------------------------------
 *
 * duplicate_keys.c
 *	  Duplicate keys in a definition given as JSON text.
 *
 * jsonb keeps the last of repeated keys and says nothing, so a definition
 * with a state or a field written twice would silently lose one.  AWS
 * rejects such a definition.  Here the text is walked once with
 * PostgreSQL's JSON parser and every key that repeats an earlier one of
 * the same object is reported at its location: a repeated state name in a
 * States object as DUPLICATE_STATE_NAME (AWS's code and wording for
 * duplicate state names), any other repeated field as
 * SCHEMA_VALIDATION_FAILED (AWS documents no message for it).
 *
 * Keys are compared when their object ends, sorted (O(n log n) per object),
 * and the problems are reported in the order the repeats appear.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "common/jsonapi.h"
#include "mb/pg_wchar.h"
#include "miscadmin.h"

#include "asl/compile_int.h"

typedef struct KeyRef
{
	char	   *key;
	int			seq;			/* order of appearance in the whole text */
} KeyRef;

/* One open object or array. */
typedef struct Frame
{
	bool		is_object;
	char	   *location;
	char	   *key;			/* object: the current field */
	int			index;			/* array: the current element */
	bool		is_plan;		/* an object with StartAt and States */
	bool		is_states;		/* a plan's States object */
	bool		is_branches;	/* a Parallel's Branches array */
	KeyRef	   *keys;
	int			nkeys;
	int			maxkeys;
} Frame;

typedef struct Walk
{
	Frame	   *stack;
	int			depth;
	int			maxdepth;
	int			seq;
	List	   *dups;			/* of SfnDiag *, with seq in dup_seqs */
	List	   *dup_seqs;
} Walk;

static int
key_cmp(const void *a, const void *b)
{
	const KeyRef *ka = a;
	const KeyRef *kb = b;
	int			c = strcmp(ka->key, kb->key);

	return c != 0 ? c : (ka->seq > kb->seq) - (ka->seq < kb->seq);
}

static void
push(Walk *w, bool is_object)
{
	Frame	   *parent = w->depth > 0 ? &w->stack[w->depth - 1] : NULL;
	Frame	   *f;

	check_stack_depth();
	CHECK_FOR_INTERRUPTS();
	if (w->depth >= w->maxdepth)
	{
		w->maxdepth *= 2;
		w->stack = repalloc(w->stack, sizeof(Frame) * w->maxdepth);
		parent = w->depth > 0 ? &w->stack[w->depth - 1] : NULL;
	}
	f = &w->stack[w->depth++];
	memset(f, 0, sizeof(Frame));
	f->is_object = is_object;
	f->index = -1;
	if (parent == NULL)
		f->location = "";
	else if (parent->is_object)
		f->location = sfn_diag_loc(parent->location, parent->key);
	else
		f->location = sfn_diag_loc_index(parent->location, parent->index);

	if (is_object)
	{
		f->is_plan = parent == NULL ||
			(!parent->is_object && parent->is_branches) ||
			(parent->is_object && (strcmp(parent->key, "ItemProcessor") == 0 ||
								   strcmp(parent->key, "Iterator") == 0));
		f->is_states = parent && parent->is_object && parent->is_plan &&
			strcmp(parent->key, "States") == 0;
	}
	else
		f->is_branches = parent && parent->is_object &&
			strcmp(parent->key, "Branches") == 0;
}

static void
object_start(void *state)
{
	push((Walk *) state, true);
}

static void
array_start(void *state)
{
	push((Walk *) state, false);
}

static void
field_start(void *state, char *fname, bool isnull)
{
	Walk	   *w = state;
	Frame	   *f = &w->stack[w->depth - 1];

	if (f->nkeys >= f->maxkeys)
	{
		f->maxkeys = f->maxkeys ? f->maxkeys * 2 : 8;
		f->keys = f->keys ? repalloc(f->keys, sizeof(KeyRef) * f->maxkeys)
			: palloc(sizeof(KeyRef) * f->maxkeys);
	}
	f->keys[f->nkeys].key = fname;
	f->keys[f->nkeys].seq = w->seq++;
	f->nkeys++;
	f->key = fname;
}

static void
element_start(void *state, bool isnull)
{
	Walk	   *w = state;

	w->stack[w->depth - 1].index++;
}

/* Report every key of the closing object equal to an earlier one. */
static void
object_end(void *state)
{
	Walk	   *w = state;
	Frame	   *f = &w->stack[w->depth - 1];

	if (f->nkeys > 1)
		qsort(f->keys, f->nkeys, sizeof(KeyRef), key_cmp);
	for (int i = 1; i < f->nkeys; i++)
	{
		List	   *one = NIL;
		char	   *loc;

		if (strcmp(f->keys[i].key, f->keys[i - 1].key) != 0)
			continue;
		loc = sfn_diag_loc(f->location, f->keys[i].key);
		if (f->is_states)
			sfn_diag_add(&one, SFN_DIAG_DUPLICATE_STATE, loc,
						 "Duplicate State name: \"%s\"; state names must be unique within the whole state machine",
						 f->keys[i].key);
		else
			sfn_diag_add(&one, SFN_DIAG_SCHEMA, loc,
						 "Duplicate field \"%s\": a field may appear only once in an object",
						 f->keys[i].key);
		w->dups = lappend(w->dups, linitial(one));
		w->dup_seqs = lappend_int(w->dup_seqs, f->keys[i].seq);
	}
	w->depth--;
}

static void
array_end(void *state)
{
	((Walk *) state)->depth--;
}

typedef struct DupOrder
{
	SfnDiag    *diag;
	int			seq;
} DupOrder;

static int
dup_cmp(const void *a, const void *b)
{
	return (((const DupOrder *) a)->seq > ((const DupOrder *) b)->seq) -
		(((const DupOrder *) a)->seq < ((const DupOrder *) b)->seq);
}

/*
 * Append a diagnostic for every repeated key of text (JSON that parses) to
 * *diags, in the order the repeats appear.
 */
void
sfn_check_duplicate_keys(const char *text, int len, List **diags)
{
	JsonLexContext *lex;
	JsonSemAction sem;
	Walk		w;
	DupOrder   *order;
	int			n;

	memset(&w, 0, sizeof(w));
	w.maxdepth = 16;
	w.stack = palloc(sizeof(Frame) * w.maxdepth);

	memset(&sem, 0, sizeof(sem));
	sem.semstate = &w;
	sem.object_start = object_start;
	sem.object_end = object_end;
	sem.array_start = array_start;
	sem.array_end = array_end;
	sem.object_field_start = field_start;
	sem.array_element_start = element_start;

	lex = makeJsonLexContextCstringLen(pnstrdup(text, len), len,
									   GetDatabaseEncoding(), true);
	if (pg_parse_json(lex, &sem) != JSON_SUCCESS)
		return;					/* the caller reports text that is not JSON */

	n = list_length(w.dups);
	if (n == 0)
		return;
	order = palloc(sizeof(DupOrder) * n);
	for (int i = 0; i < n; i++)
	{
		order[i].diag = list_nth(w.dups, i);
		order[i].seq = list_nth_int(w.dup_seqs, i);
	}
	qsort(order, n, sizeof(DupOrder), dup_cmp);
	for (int i = 0; i < n; i++)
		*diags = lappend(*diags, order[i].diag);
}
