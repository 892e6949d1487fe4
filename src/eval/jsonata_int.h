/*-------------------------------------------------------------------------
 *
 * jsonata_int.h
 *	  Internals of the JSONata evaluator: values, syntax tree, errors.
 *
 * Values are JnVal trees (numbers as doubles, strings as UTF-8 bytes);
 * NULL is JSONata's "undefined".  JSON comes in and goes out as JsonbValue
 * only at the edges (jsonata_value.c).  Arrays carry flags that JSONata
 * keeps on its arrays: a sequence (the result of a path, flattened and
 * unwrapped when it holds one item), a constructed array ([...], never
 * flattened), and a tuple stream (path steps with variable bindings).
 *
 * Errors unwind with siglongjmp to the entry point (jn_throw), which turns
 * them into an SfnError; evaluation holds no resources but palloc'd memory.
 *
 *-------------------------------------------------------------------------
 */
#ifndef SFN_JSONATA_INT_H
#define SFN_JSONATA_INT_H

#include <setjmp.h>

#include "eval/jsonata.h"
#include "lib/stringinfo.h"
#include "mb/pg_wchar.h"

typedef struct JnVal JnVal;
typedef struct JnNode JnNode;
typedef struct JnFunc JnFunc;
typedef struct JnEnv JnEnv;
typedef struct JnSig JnSig;

typedef enum JnType
{
	JN_NULL,
	JN_BOOL,
	JN_NUM,
	JN_STR,
	JN_ARR,
	JN_OBJ,
	JN_FUNC
} JnType;

/* array flags */
#define JNF_SEQ		0x01		/* a sequence */
#define JNF_KEEP	0x02		/* keep a singleton sequence as an array */
#define JNF_CONS	0x04		/* built by an array constructor */
#define JNF_OUTER	0x08		/* the input array, wrapped */
#define JNF_TUPLES	0x10		/* a tuple stream (items are binding objects) */

typedef struct JnPair
{
	char	   *key;
	int			klen;
	JnVal	   *val;
} JnPair;

struct JnVal
{
	uint8		type;
	uint8		flags;
	void	   *numeric;		/* a number from the input: its Numeric, for output */
	union
	{
		bool		b;
		double		n;
		struct
		{
			char	   *p;
			int			len;
		}			s;
		struct
		{
			JnVal	  **items;
			int			n;
			int			cap;
		}			a;
		struct
		{
			JnPair	   *pairs;
			int			n;
			int			cap;
		}			o;
		JnFunc	   *f;
	}			u;
};

/* ---- values (jsonata_value.c) ---- */
extern JnVal jn_null_val;
extern JnVal jn_true_val;
extern JnVal jn_false_val;
#define JN_NULLV (&jn_null_val)
#define JN_BOOLV(b) ((b) ? &jn_true_val : &jn_false_val)

extern JnVal *jn_num(double d);
extern JnVal *jn_str(const char *s, int len);
extern JnVal *jn_cstr(const char *s);
extern JnVal *jn_arr(int cap);
extern JnVal *jn_seq(void);
extern JnVal *jn_obj(int cap);
extern JnVal *jn_funcval(JnFunc *f);
extern void jn_push(JnVal *arr, JnVal *v);
extern JnVal *jn_get(const JnVal *obj, const char *key, int klen);
extern void jn_put(JnVal *obj, const char *key, int klen, JnVal *v);
extern bool jn_del(JnVal *obj, const char *key, int klen);
extern JnVal *jn_copy_arr(const JnVal *a);
extern JnVal *jn_shallow_obj(const JnVal *o);
extern JnVal *jn_deep_copy(const JnVal *v);
extern bool jn_deep_equal(const JnVal *a, const JnVal *b);
extern bool jn_is_int(double d);
extern bool jn_is_array_of_strings(const JnVal *v);
extern bool jn_is_array_of_numbers(const JnVal *v);

extern JnVal *jn_from_jsonb(const JsonbValue *v);
extern JsonbValue *jn_to_jsonb(const JnVal *v);

/* JavaScript's Number.prototype.toString */
extern void jn_format_number(StringInfo buf, double d);
/* JSON.stringify as $string does it (numbers to 15 significant digits) */
extern void jn_stringify(StringInfo buf, const JnVal *v, bool pretty, int indent);

/* UTF-8 helpers: characters, and byte offset of character index */
extern int	jn_utf8_len(const char *s, int len);
extern int	jn_utf8_offset(const char *s, int len, int chars);

/* ---- errors ---- */
typedef struct JnError
{
	const char *code;
	int			pos;			/* -1: unknown */
	char	   *token;
	JnVal	   *value;
	JnVal	   *value2;
	int			index;			/* argument index (T04xx), 0: none */
	char	   *message;		/* D3137, $error: the whole message */
	const char *type;			/* T0412 */
} JnError;

extern pg_attribute_noreturn() void jn_throw(const char *code, int pos, const char *token,
											 JnVal *value);
extern pg_attribute_noreturn() void jn_throw_err(JnError *e);
extern char *jn_error_message(const JnError *e);

/* ---- syntax tree (jsonata_parse.c) ---- */
typedef enum JnNodeType
{
	NT_PATH,
	NT_BINARY,					/* op: + - * / % = != < <= > >= & .. in and or */
	NT_NEG,
	NT_ARRAY,
	NT_OBJECT,					/* object constructor; also a group-by */
	NT_NAME,
	NT_STRING,
	NT_NUMBER,
	NT_VALUE,					/* true false null */
	NT_WILDCARD,
	NT_DESCENDANT,
	NT_PARENT,
	NT_CONDITION,
	NT_BLOCK,
	NT_BIND,
	NT_REGEX,
	NT_FUNCTION,
	NT_PARTIAL,
	NT_PLACEHOLDER,
	NT_VARIABLE,
	NT_LAMBDA,
	NT_APPLY,
	NT_TRANSFORM,
	NT_SORT,
	NT_FILTER,					/* a predicate stage */
	NT_INDEX,					/* an index-binding stage */
	/* raw parse nodes, gone after jn_process */
	NT_RAW_DOT,
	NT_RAW_PRED,
	NT_RAW_GROUP,
	NT_RAW_SORT,
	NT_RAW_FOCUS,
	NT_RAW_INDEXBIND,
	NT_RAW_OPERATOR				/* "and"/"or"/"in" used as a name */
} JnNodeType;

typedef enum JnOp
{
	OP_NONE,
	OP_ADD, OP_SUB, OP_MUL, OP_DIV, OP_MOD,
	OP_EQ, OP_NE, OP_LT, OP_LE, OP_GT, OP_GE,
	OP_CONCAT, OP_RANGE, OP_IN, OP_AND, OP_OR
} JnOp;

/* an ancestor slot of the parent operator % */
typedef struct JnSlot
{
	char	   *label;
	int			level;
	int			index;
} JnSlot;

typedef struct JnNodeList
{
	JnNode	  **items;
	int			n;
	int			cap;
} JnNodeList;

struct JnNode
{
	JnNodeType	type;
	JnOp		op;
	int			pos;
	char	   *str;			/* name, string, variable, operator token */
	int			slen;
	double		num;
	JnVal	   *lit;			/* literal value (string, number, value) */
	JnNode	   *lhs;
	JnNode	   *rhs;
	JnNode	   *expr;			/* unary operand, condition, transform pattern */
	JnNode	   *then;			/* condition then, transform update */
	JnNode	   *els;			/* condition else, transform delete */
	JnNodeList	items;			/* array items, block, args, steps, pairs (k,v) */
	JnNodeList	params;			/* lambda parameters (variables) */
	bool	   *descending;		/* sort terms */
	JnNode	   *procedure;		/* function call */
	JnNode	   *body;			/* lambda */
	JnSig	   *sig;
	void	   *regex;			/* compiled regex (jsonata_regex.c) */
	/* path step annotations */
	JnNodeList	stages;			/* filters and index bindings within a path */
	JnNodeList	predicate;		/* filters outside a path */
	JnNode	   *group;			/* group-by object constructor */
	char	   *focus;			/* @$v */
	char	   *index;			/* #$v */
	JnSlot	   *ancestor;
	JnSlot	   *slot;			/* parent */
	JnSlot	  **seeking;
	int			nseeking;
	bool		has_seeking;
	bool		keep_array;
	bool		keep_singleton;
	bool		consarray;
	bool		tuple;
	bool		thunk;
	bool		has_else;
};

extern JnNode *jn_parse(const char *text, int len);
extern JnNode *jn_expression_ast(const SfnJsonata *expr);	/* jsonata_eval.c */
extern JnSig *jn_parse_signature(const char *sig, int len, int pos);
extern void jn_nodelist_add(JnNodeList *l, JnNode *n);

/* ---- functions ---- */
typedef JnVal *(*JnBuiltinFn) (JnVal **args, int nargs, JnVal *input, JnEnv *env, int pos);

typedef struct JnBuiltin
{
	const char *name;
	const char *signature;
	JnBuiltinFn fn;
	int			arity;			/* parameters the implementation declares */
	JnSig	   *sig;			/* parsed once */
	JnVal	   *value;			/* the function value, made once */
} JnBuiltin;

typedef enum JnFuncKind
{
	JFK_LAMBDA,
	JFK_BUILTIN,
	JFK_PARTIAL,
	JFK_REGEX,
	JFK_TRANSFORM,
	JFK_CHAIN
} JnFuncKind;

struct JnFunc
{
	JnFuncKind	kind;
	/* lambda */
	JnNode	   *node;			/* lambda node, regex node, transform node */
	JnEnv	   *env;
	JnVal	   *input;
	/* builtin */
	const JnBuiltin *builtin;
	/* partial application and chains */
	JnFunc	   *target;
	JnFunc	   *second;
	JnVal	  **args;
	bool	   *hole;
	int			nargs;
	/* for errors */
	const char *token;
	int			pos;
};

/* signature: parsed <...> */
typedef struct JnSigParam
{
	char		type;			/* s n b l o a f j x or '(' for a choice */
	char		classes[16];	/* accepted type symbols (m: missing) */
	char		quant;			/* 0, '?', '+' */
	bool		context;		/* '-': the context if not supplied */
	char		subtype;		/* a<s>: 's' (0: none) */
	char		subsig[64];
} JnSigParam;

struct JnSig
{
	int			nparams;
	JnSigParam	params[16];
};

/* ---- environment and evaluation (jsonata_eval.c) ---- */
typedef struct JnBind
{
	const char *name;
	JnVal	   *val;
} JnBind;

struct JnEnv
{
	JnEnv	   *parent;
	JnBind	   *binds;
	int			n;
	int			cap;
};

typedef struct JnCtx
{
	sigjmp_buf *jump;
	JnError    *error;
	int			depth;
	int			max_depth;
	uint64		rng;			/* xorshift state */
	int64		now_ms;
	JnEnv	   *global;
} JnCtx;

extern JnCtx *jn_ctx;

extern JnEnv *jn_env_new(JnEnv *parent);
extern void jn_env_bind(JnEnv *env, const char *name, JnVal *v);
extern JnVal *jn_env_lookup(JnEnv *env, const char *name, bool *found);
extern JnVal *jn_eval(JnNode *node, JnVal *input, JnEnv *env);
extern JnVal *jn_apply(JnVal *fn, JnVal **args, int nargs, JnVal *input, JnEnv *env);
extern int	jn_func_arity(const JnFunc *f);
extern JnVal *jn_apply_hof(JnVal *fn, JnVal *a1, JnVal *a2, JnVal *a3, JnEnv *env);
extern void jn_charge(int64 steps);
/* recursion guard: U1001 inside an evaluation, PostgreSQL's check outside */
extern void jn_check_stack(void);
/* stable merge sort; after(a, b) true puts b first */
extern JnVal *jn_sort_values(JnVal *arr, bool (*after) (void *arg, JnVal *a, JnVal *b), void *arg);
extern uint64 jn_random_u64(void);
extern double jn_random_double(void);

/* ---- library (jsonata_functions.c and friends) ---- */
extern const JnBuiltin *jn_lookup_builtin(const char *name);
extern bool jn_boolean(const JnVal *v);
extern JnVal *jn_string_of(JnVal *v, bool pretty);
extern JnVal *jn_append(JnVal *a, JnVal *b);
extern JnVal *jn_lookup(JnVal *input, const char *key, int klen);
extern const char *jn_type_name(const JnVal *v);
extern double jn_round_half_even(double arg, int precision);

/* datetime and number pictures (jsonata_datetime.c) */
extern JnVal *jn_fn_now(JnVal **args, int nargs, JnVal *input, JnEnv *env, int pos);
extern JnVal *jn_fn_millis(JnVal **args, int nargs, JnVal *input, JnEnv *env, int pos);
extern JnVal *jn_fn_from_millis(JnVal **args, int nargs, JnVal *input, JnEnv *env, int pos);
extern JnVal *jn_fn_to_millis(JnVal **args, int nargs, JnVal *input, JnEnv *env, int pos);
extern JnVal *jn_fn_format_number(JnVal **args, int nargs, JnVal *input, JnEnv *env, int pos);
extern JnVal *jn_fn_format_base(JnVal **args, int nargs, JnVal *input, JnEnv *env, int pos);
extern JnVal *jn_fn_format_integer(JnVal **args, int nargs, JnVal *input, JnEnv *env, int pos);
extern JnVal *jn_fn_parse_integer(JnVal **args, int nargs, JnVal *input, JnEnv *env, int pos);

/* regular expressions (jsonata_regex.c) */
typedef struct JnMatch
{
	int			start;			/* character offsets */
	int			end;
	int			ngroups;
	int		   *gstart;			/* -1: group did not take part */
	int		   *gend;
} JnMatch;

extern void *jn_regex_compile(const char *pattern, int len, const char *flags, int pos);
/* match at or after character offset from in s (wide chars); false if none */
extern bool jn_regex_exec(void *re, const pg_wchar *s, int slen, int from, JnMatch *m);
extern pg_wchar *jn_to_wide(const char *s, int len, int *wlen);
extern char *jn_from_wide(const pg_wchar *w, int wlen, int *len);

#endif							/* SFN_JSONATA_INT_H */
