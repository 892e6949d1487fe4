/*-------------------------------------------------------------------------
 *
 * compile_int.h
 *	  Internals shared by the definition compiler's files.
 *
 *	  compile.c			entry points, plans (StartAt/States), state dispatch
 *	  compile_states.c	one function per state type
 *	  compile_fields.c	field kinds: paths, integers, templates, Retry, Catch
 *	  reachability.c	state names: lookup, duplicates, reachability
 *	  duplicate_keys.c	keys repeated in a definition given as text
 *	  service_actions.c	service integrations: actions and patterns
 *
 *-------------------------------------------------------------------------
 */
#ifndef SFN_COMPILE_INT_H
#define SFN_COMPILE_INT_H

#include "support/diag.h"
#include "asl/plan.h"
#include "eval/scope.h"

/* AWS's limits on fields given in seconds and on retries */
#define SFN_MAX_SECONDS			INT64CONST(99999999)
#define SFN_MAX_STATE_NAME_LEN	80

/* A state name, where it was defined, and in which order we saw it. */
typedef struct SfnNameRef
{
	const char *name;
	const char *location;
	int			seq;
	int			index;			/* within its plan */
} SfnNameRef;

/* One whole compilation. */
typedef struct SfnCompiler
{
	List	  **diags;
	bool		express;		/* type EXPRESS */
	List	   *all_names;		/* of SfnNameRef *, the whole definition */
	SfnQueryLanguage lang;		/* the machine's QueryLanguage */
} SfnCompiler;

/* One plan being compiled: the top level, a branch or a Map processor. */
typedef struct SfnPlanCtx
{
	SfnPlan    *plan;
	const char *location;		/* "" at the top level */
	SfnNameRef *sorted;			/* this plan's names, sorted, for lookups */
	int			n_sorted;
	bool		graph_known;	/* every Type and transition was valid */
} SfnPlanCtx;

/* compile.c */
extern SfnPlan *sfn_compile_plan(SfnCompiler *c, JsonbValue *obj, const char *location,
								 int depth, const char *const *extra_fields);

/* compile_states.c */
extern void sfn_compile_state_body(SfnCompiler *c, SfnPlanCtx *pc, SfnState *st,
								   JsonbValue *obj, const char *location);
extern bool sfn_state_type_from_name(const char *name, SfnStateType *out);

/* compile_fields.c */
extern bool sfn_c_check_fields(SfnCompiler *c, JsonbValue *obj, const char *location,
							   const char *const *allowed, const char *type_name);
extern bool sfn_c_string(SfnCompiler *c, JsonbValue *obj, const char *field,
						 const char *location, char **out);
extern bool sfn_c_int(SfnCompiler *c, JsonbValue *obj, const char *field,
					  const char *location, int64 min, int64 max, int64 *out);
extern bool sfn_c_number(SfnCompiler *c, JsonbValue *obj, const char *field,
						 const char *location, double min, double max, double *out);
extern bool sfn_c_exclusive(SfnCompiler *c, JsonbValue *obj, const char *a,
							const char *b, const char *location);
extern void sfn_c_opt_path(SfnCompiler *c, JsonbValue *obj, const char *field,
						   const char *location, bool reference, SfnOptPath *out);
extern SfnPath *sfn_c_ref_path(SfnCompiler *c, JsonbValue *obj, const char *field,
							   const char *location);
extern SfnPath *sfn_c_any_path(SfnCompiler *c, JsonbValue *obj, const char *field,
							   const char *location);
extern SfnValueExpr *sfn_c_value_expr(SfnCompiler *c, JsonbValue *obj, const char *field,
									  const char *location);
extern SfnTemplate *sfn_c_template(SfnCompiler *c, JsonbValue *obj, const char *field,
								   const char *location);
extern void sfn_c_transition(SfnCompiler *c, SfnPlanCtx *pc, SfnState *st,
							 JsonbValue *obj, const char *location);
extern void sfn_c_retry(SfnCompiler *c, SfnState *st, JsonbValue *obj,
						const char *location);
extern void sfn_c_catch(SfnCompiler *c, SfnPlanCtx *pc, SfnState *st,
						JsonbValue *obj, const char *location);
extern SfnQueryLanguage sfn_c_query_language(SfnCompiler *c, JsonbValue *obj,
											 const char *location, SfnQueryLanguage dflt);
extern void sfn_c_language_fields(SfnCompiler *c, JsonbValue *obj, const char *location,
								  SfnQueryLanguage lang, const char *first,...);
extern void sfn_c_output_fields(SfnCompiler *c, const SfnState *st, JsonbValue *obj,
								const char *location, const char *prefix, int allow,
								SfnOutputFields *out);

/* service_actions.c */
extern void sfn_check_service_resource(SfnCompiler *c, const char *resource,
									   const char *location);

/* duplicate_keys.c */
extern void sfn_check_duplicate_keys(const char *text, int len, List **diags);

/* reachability.c */
extern void sfn_names_index(SfnCompiler *c, SfnPlanCtx *pc, JsonbValue *states,
							const char *location);
extern int	sfn_names_resolve(SfnCompiler *c, SfnPlanCtx *pc, JsonbValue *target,
							  const char *field, const char *location);
extern void sfn_check_reachability(SfnCompiler *c, SfnPlanCtx *pc);
extern void sfn_check_duplicate_names(SfnCompiler *c);

#endif							/* SFN_COMPILE_INT_H */
